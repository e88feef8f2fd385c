// What a transformed file reports: `result.metadata.useServer`, and the same data as a marker comment in the
// server output, so that a manifest can be rebuilt from emitted files alone (e.g. outputs served from a cache).

export type ActionKind = 'export' | 'inline'

export interface ActionInfo {
  /** The action ID: the server reference's `$$id`. */
  id: string
  /** The export of the output module under which the server function is reachable. */
  name: string
  /** `'export'` for a file-level export, `'inline'` for a hoisted inline action. */
  kind: ActionKind
}

export interface UseServerMetadata {
  /** The source file, relative to the project root, with `/` separators. */
  file: string
  actions: ActionInfo[]
}

const MARKER_PREFIX = '@use-server '
const MARKER_PATTERN = /\/\*\s*@use-server (\{.*?\})\s*\*\//g

/** The text of the marker comment (without the comment delimiters). */
export function markerText(meta: UseServerMetadata): string {
  // `*/` cannot appear in JSON of our own strings except inside names; escape it to keep the comment closed.
  return ` ${MARKER_PREFIX}${JSON.stringify(meta).replace(/\*\//g, '*\\u002f')} `
}

/** Every marker found in an emitted file's text (a bundle may hold several modules). */
export function readMarkers(code: string): UseServerMetadata[] {
  if (!code.includes(MARKER_PREFIX)) return []
  const found: UseServerMetadata[] = []
  for (const match of code.matchAll(MARKER_PATTERN)) {
    try {
      const meta = JSON.parse(match[1]) as UseServerMetadata
      if (typeof meta.file === 'string' && Array.isArray(meta.actions)) found.push(meta)
    } catch {
      // A comment that merely looks like a marker: not ours.
    }
  }
  return found
}
