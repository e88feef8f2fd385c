// Shared by the integration tests: throwaway projects inside the repository (so that `babel-plugin-use-server/*`
// resolves to dist/ through the package's self-reference — run `npm run build` first) and a Babel call counter.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll } from 'vitest'

export const repoRoot = path.resolve(import.meta.dirname, '../..')
export const dist = (...parts: string[]) => path.join(repoRoot, 'dist', ...parts)
/** The plugin as Babel loads it by path (CommonJS build). */
export const pluginPath = dist('cjs', 'index.js')
/** A Babel plugin that appends each file it sees to the file named by its `log` option (counts Babel runs). */
export const counterPluginPath = path.join(import.meta.dirname, 'count-files.cjs')

const created: string[] = []
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** A fresh project folder under .cache/ holding `files` (path → text); removed after the test file. */
export function makeProject(name: string, files: Record<string, string>): string {
  const dir = path.join(repoRoot, '.cache', 'integration', `${name}-${process.pid}-${Date.now().toString(36)}`)
  fs.rmSync(dir, { recursive: true, force: true })
  created.push(dir)
  fs.mkdirSync(dir, { recursive: true })
  writeFiles(dir, files)
  return dir
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
}

/** The files the counter plugin logged (relative to `root`), in order. */
export function readCount(log: string, root: string): string[] {
  if (!fs.existsSync(log)) return []
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((f) => path.relative(root, f).split(path.sep).join('/'))
}
