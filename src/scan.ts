// The cheap check before any traversal: a file whose text holds no directive-like string costs one regex scan.

// A quoted string starting with "use" and a word: 'use server', "use-server", 'Use Server', 'use action', …
const CANDIDATE = /["'`]\s*use[\s_-]*([A-Za-z]+)\s*["'`]/gi
const HARMLESS = new Set(['use client', 'use strict'])

export interface ScanResult {
  /** The exact text 'use server' appears in a string. */
  server: boolean
  /** How many times: a file whose only one is its file-level directive has no inline action to look for. */
  serverCount: number
  /** A string that may be a misspelt 'use server' appears: the AST must be checked for typos. */
  suspicious: boolean
  /** Where each of those strings starts (its opening quote): the AST is searched there, not walked whole. */
  offsets: number[]
}

/**
 * Scans source text for directive-like strings, without parsing. Returns `null` when there is none (then the plugin
 * does nothing at all with the file), otherwise what was found and where (offsets are UTF-16 indexes into `code`,
 * as Babel's node `start`s are). Never throws.
 */
export function scanSource(code: string): ScanResult | null {
  // `exec` rather than `matchAll`: a file with no candidate string allocates nothing (no iterator, no result).
  let result: ScanResult | null = null
  CANDIDATE.lastIndex = 0
  for (let match = CANDIDATE.exec(code); match; match = CANDIDATE.exec(code)) {
    const text = match[0].slice(1, -1)
    const server = text === 'use server'
    if (!server && (HARMLESS.has(text) || !looksLikeUseServer(text))) continue
    result ??= { server: false, serverCount: 0, suspicious: false, offsets: [] }
    if (server) {
      result.server = true
      result.serverCount++
    } else {
      result.suspicious = true
    }
    result.offsets.push(match.index)
  }
  return result
}

/** A likely misspelling of 'use server' (wrong case, dash, swapped letters, 'use action'). */
export function looksLikeUseServer(text: string): boolean {
  const match = /^\s*use[\s_-]*([A-Za-z]+)\s*$/i.exec(text)
  if (!match) return false
  if (text === 'use server') return false
  const word = match[1].toLowerCase()
  if (word === 'action' || word === 'actions') return true
  if (word === 'client' || word === 'strict') return false
  return editDistance(word, 'server') <= 2
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const next = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = next
    }
  }
  return row[b.length]
}
