// Finding the 'use server' files of a project on disk, without a bundler: the one folder walker of the integrations.
// Vite/Rollup's references module lists every file with a 'use server' string (file-level or inline actions);
// webpack's `include` adds the files whose directive prologue holds 'use server'. Each caller says which test.
import fs from 'node:fs'
import path from 'node:path'
import { StampCache } from './stamps.js'

export interface FindServerFilesOptions {
  /** Folders to search (absolute, or relative to the working directory). A missing folder has no files. */
  dirs: string[]
  /** Folders never entered (build outputs). `node_modules` and folders whose name starts with '.' never are. */
  skip?: string[]
  /** Files considered, tested against the absolute path. */
  include: RegExp
  exclude?: RegExp
  /** Whether a file's text makes it a 'use server' file. Its answer is cached per file until the file changes. */
  isServerSource: (code: string) => boolean
}

/** Per test function: file → its answer (a rebuild reads only the files that changed). */
const answers = new WeakMap<(code: string) => boolean, StampCache<boolean>>()

/** The files under `options.dirs` that pass `include`/`exclude` and `isServerSource`: absolute, sorted, distinct. */
export function findServerFiles(options: FindServerFilesOptions): string[] {
  const { include, exclude, isServerSource } = options
  let cache = answers.get(isServerSource)
  if (!cache) answers.set(isServerSource, (cache = new StampCache()))
  const known = cache
  const skip = new Set((options.skip ?? []).map((dir) => path.resolve(dir)))
  const found = new Set<string>()
  const walk = (dir: string) => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return // A folder that is not there (e.g. the default `src` of a project without one) has nothing to find.
    }
    for (const entry of entries) {
      const child = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && !skip.has(child)) walk(child)
      } else if (entry.isFile() && include.test(child) && !exclude?.test(child)) {
        if (known.read(child, false, (file) => isServerSource(fs.readFileSync(file, 'utf8')))) found.add(child)
      }
    }
  }
  for (const dir of options.dirs) walk(path.resolve(dir))
  return [...found].sort()
}
