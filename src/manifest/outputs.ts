// Rebuilds the manifest from emitted server code alone (its marker comments), e.g. when outputs come from a cache and
// no Babel metadata exists. Bundlers and minifiers drop or merge those comments: a file that shows server functions
// its markers do not account for is an error that names it, never a smaller manifest.
import { readMarkers, type ActionInfo, type UseServerMetadata } from '../metadata.js'
import { addToManifest, createManifest, type ServerManifest } from './manifest.js'

/** An emitted file; `file` names it in errors. */
export interface EmittedFile {
  code: string
  file?: string
}

export class UnreadableOutputError extends Error {
  code = 'USE_SERVER_UNREADABLE_OUTPUT'
  /** Each unreadable file (or `#n` for the n-th unnamed one) and why. */
  files: { file: string; reason: string }[]
  constructor(files: { file: string; reason: string }[]) {
    super(`[USE_SERVER_UNREADABLE_OUTPUT] ${files.length} file(s) hold server functions whose markers are missing ` +
      `(stripped by a minifier, or merged away by a bundler), so no manifest can be rebuilt from them:\n` +
      files.map(({ file, reason }) => `  ${file}: ${reason}`).join('\n') + '\n' +
      'Rebuilding from markers works on unbundled output only (a babel or tsc output folder, @babel/register). For a ' +
      "bundle, use the manifest its integration writes: webpack: UseServerPlugin's use-server-manifest.json (and " +
      "reactFilename); Vite or Rollup: the server build's use-server-manifest.json, with " +
      "'babel-plugin-use-server/references' to load the actions. (A client bundle holds action IDs too: pass only " +
      'server output.)')
    this.name = 'UnreadableOutputError'
    this.files = files
  }
}

export function manifestFromOutputs(files: Iterable<EmittedFile>): ServerManifest {
  const manifest = createManifest()
  const unreadable: { file: string; reason: string }[] = []
  let index = 0
  for (const { code, file } of files) {
    index++
    const metas = readMarkers(code)
    const reason = unreadableReason(code, metas)
    if (reason) unreadable.push({ file: file ?? `#${index}`, reason })
    for (const meta of metas) {
      // Marker JSON comes from arbitrary files: keep only well-formed actions.
      addToManifest(manifest, { file: meta.file, actions: meta.actions.filter(isActionInfo) })
    }
  }
  if (unreadable.length > 0) throw new UnreadableOutputError(unreadable)
  return manifest
}

// What server output shows of its server functions whatever a minifier does: the runtime's names and React's
// symbol key (a bundled runtime), a file-level directive, and the action IDs as string literals.
const TRACE = /registerServerReference|createInlineReference|react\.server\.reference/
const ID_LITERAL = /(["'`])([0-9a-f]{40})\1/g

/** Why the markers of `code` do not describe its server functions, or null when they do (or it has none). */
export function unreadableReason(code: string, metas: UseServerMetadata[]): string | null {
  const directive = startsWithUseServer(code)
  if (!directive && !TRACE.test(code)) return null
  const named = new Set(metas.flatMap((meta) => (Array.isArray(meta.actions) ? meta.actions.map((action) => action?.id) : [])))
  const unnamed = new Set<string>()
  for (const match of code.matchAll(ID_LITERAL)) if (!named.has(match[2])) unnamed.add(match[2])
  if (unnamed.size > 0) {
    return `${unnamed.size} action ID${unnamed.size === 1 ? '' : 's'} (e.g. ${[...unnamed][0].slice(0, 12)}…) ` +
      `${metas.length === 0 ? 'and no marker' : 'that no marker names'}`
  }
  if (metas.length === 0 && directive) return "a 'use server' directive and no marker"
  return null
}

/** Whether the file's first statement, after comments (the marker among them), is the 'use server' directive. */
function startsWithUseServer(code: string): boolean {
  let at = 0
  // One pass over the leading comments: no regular expression that could backtrack over a large bundle.
  for (;;) {
    while (at < code.length && /\s/.test(code[at])) at++
    if (code.startsWith('/*', at)) {
      const end = code.indexOf('*/', at + 2)
      if (end < 0) return false
      at = end + 2
    } else if (code.startsWith('//', at)) {
      const end = code.indexOf('\n', at)
      if (end < 0) return false
      at = end + 1
    } else {
      break
    }
  }
  return code.startsWith("'use server'", at) || code.startsWith('"use server"', at)
}

function isActionInfo(value: unknown): value is ActionInfo {
  if (typeof value !== 'object' || value === null) return false
  const { id, name, kind } = value as Record<string, unknown>
  return typeof id === 'string' && typeof name === 'string' && (kind === 'export' || kind === 'inline')
}
