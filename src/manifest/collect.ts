// Finds and reads emitted code under the paths given to the CLI, to rebuild the manifest from build output.
import fs from 'node:fs'
import path from 'node:path'
import type { ServerManifest } from './manifest.js'
import { manifestFromOutputs, type EmittedFile } from './outputs.js'

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx'])

/**
 * Code files under the given directories (skipping node_modules; symlinks are not followed), plus files named
 * directly whatever their extension; sorted, so output and errors don't depend on directory order.
 */
export function findCodeFiles(paths: Iterable<string>): string[] {
  const found = new Set<string>()
  for (const root of paths) {
    if (fs.statSync(root).isDirectory()) walk(root, found)
    else found.add(root)
  }
  return [...found].sort()
}

function walk(dir: string, found: Set<string>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(child, found)
    } else if (entry.isFile() && CODE_EXTENSIONS.has(path.extname(entry.name))) {
      found.add(child)
    }
  }
}

/**
 * The manifest described by the marker comments in the code files under `paths`. Throws an UnreadableOutputError
 * (code `USE_SERVER_UNREADABLE_OUTPUT`) naming the files that hold server functions without markers (bundles).
 */
export function manifestFromPaths(paths: Iterable<string>): ServerManifest {
  return manifestFromOutputs(readEach(findCodeFiles(paths)))
}

// One file in memory at a time: build output can be large.
function* readEach(files: string[]): Generator<EmittedFile> {
  for (const file of files) yield { code: fs.readFileSync(file, 'utf8'), file }
}
