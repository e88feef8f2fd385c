// The 'use server' modules under a project's source directories, by a cheap text check of each file's directive
// prologue: UseServerPlugin's `include` adds them to a server compilation, so that a server function that only client
// code imports is in the server bundle too (the client bundle holds only its stub). The walk is core/server-files.ts.
import { findServerFiles } from '../core/server-files.js'

const CODE_FILE = /\.[cm]?[jt]sx?$/

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

/**
 * The code files (`.js`, `.jsx`, `.ts`, `.tsx`, `.mjs`, `.cjs`, …) under `directory` whose directive prologue holds
 * 'use server', as sorted absolute paths; `node_modules` and dot-directories are not entered. A missing directory
 * has none.
 */
export function findServerModules(directory: string): string[] {
  return findServerFiles({ dirs: [directory], include: CODE_FILE, isServerSource: hasServerDirective })
}
