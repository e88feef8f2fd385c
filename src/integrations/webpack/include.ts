// The 'use server' modules under a project's source directories, by a cheap text check of each file's directive
// prologue: UseServerPlugin's `include` adds them to a server compilation, so that a server function that only client
// code imports is in the server bundle too (the client bundle holds only its stub).
import fs from 'node:fs'
import path from 'node:path'

const CODE_FILE = /\.[cm]?[jt]sx?$/
const SKIPPED_DIRECTORY = /^(?:node_modules|\..*)$/

// One item of a directive prologue: whitespace, a comment, or a string-literal statement (a directive).
const PROLOGUE_ITEM = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(['"])((?:(?!\1)[^\\\n]|\\.)*)\1\s*;?)/y

/** Whether the text's directive prologue holds 'use server' (a hashbang and comments may come before it). */
export function hasServerDirective(code: string): boolean {
  let at = code.charCodeAt(0) === 0xfeff ? 1 : 0
  if (code.startsWith('#!', at)) {
    const line = code.indexOf('\n', at)
    at = line < 0 ? code.length : line + 1
  }
  while (at < code.length) {
    PROLOGUE_ITEM.lastIndex = at
    const match = PROLOGUE_ITEM.exec(code)
    if (!match) return false
    if (match[2] === 'use server') return true
    at = PROLOGUE_ITEM.lastIndex
  }
  return false
}

/** Per file, by mtime and size: whether it is a 'use server' module (a rebuild reads only the files that changed). */
const states = new Map<string, { stamp: string; server: boolean }>()

/**
 * The code files (`.js`, `.jsx`, `.ts`, `.tsx`, `.mjs`, `.cjs`, …) under `directory` whose directive prologue holds
 * 'use server', as sorted absolute paths; `node_modules` and dot-directories are not entered. A missing directory
 * has none.
 */
export function findServerModules(directory: string): string[] {
  const found: string[] = []
  const visit = (dir: string) => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORY.test(entry.name)) visit(file)
      } else if (entry.isFile() && CODE_FILE.test(entry.name) && isServerModule(file)) {
        found.push(file)
      }
    }
  }
  visit(directory)
  return found.sort()
}

function isServerModule(file: string): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (!stat) return false
  const stamp = `${stat.mtimeMs}:${stat.size}`
  const cached = states.get(file)
  if (cached?.stamp === stamp) return cached.server
  const server = hasServerDirective(fs.readFileSync(file, 'utf8'))
  states.set(file, { stamp, server })
  return server
}
