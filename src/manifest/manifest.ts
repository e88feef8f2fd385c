// The server manifest (action ID -> module and export) and the pure operations that build it from per-file metadata.
import type { ActionKind, UseServerMetadata } from '../metadata.js'
import { ErrorCode, UseServerError } from '../errors.js'
import { stringifySorted } from './json.js'

export interface ManifestEntry {
  /** The source file, relative to the project root (`UseServerMetadata.file`). */
  module: string
  /** The export of the module's server output under which the action is reachable. */
  export: string
  kind: ActionKind
}

export interface ServerManifest {
  version: 1
  /** Keyed by action ID. */
  actions: Record<string, ManifestEntry>
}

// A null prototype keeps odd IDs such as `__proto__` ordinary keys.
function emptyActions(): Record<string, ManifestEntry> {
  return Object.create(null) as Record<string, ManifestEntry>
}

/**
 * A manifest holding the actions of every given file (absent metadata, from files without actions, is skipped).
 * Throws `USE_SERVER_INVALID_METADATA` for anything else than the plugin's metadata (e.g. all of `result.metadata`).
 */
export function createManifest(metas: Iterable<UseServerMetadata | undefined | null> = []): ServerManifest {
  const manifest: ServerManifest = { version: 1, actions: emptyActions() }
  for (const meta of metas) addToManifest(manifest, meta)
  return manifest
}

/**
 * Replaces `meta.file`'s entries with its current actions (none clears them), in place; returns `manifest`.
 * Action IDs are expected to be unique across files; if two files claim one, the file added last owns it. Throws
 * `USE_SERVER_INVALID_METADATA` as `createManifest` does.
 */
export function addToManifest(manifest: ServerManifest, meta: UseServerMetadata | undefined | null): ServerManifest {
  if (!meta) return manifest
  if (typeof meta !== 'object' || typeof meta.file !== 'string' || !Array.isArray(meta.actions)) {
    const keys = typeof meta === 'object' ? `an object with ${Object.keys(meta).map((key) => `"${key}"`).join(', ') || 'no keys'}` : typeof meta
    throw new UseServerError(`[${ErrorCode.InvalidMetadata}] A manifest is made from this plugin's metadata, ` +
      '`{ file, actions }` per module: `result.metadata.useServer` of a Babel transform (undefined for a file without ' +
      `server functions, which is skipped), not ${keys}.`)
  }
  removeModule(manifest, meta.file)
  for (const action of meta.actions) {
    manifest.actions[action.id] = { module: meta.file, export: action.name, kind: action.kind }
  }
  return manifest
}

/** Drops every entry of `file` (e.g. a deleted source file), in place; returns `manifest`. */
export function removeModule(manifest: ServerManifest, file: string): ServerManifest {
  for (const [id, entry] of Object.entries(manifest.actions)) {
    if (entry.module === file) delete manifest.actions[id]
  }
  return manifest
}

/** Deterministic text: actions sorted by ID, fixed field order, trailing newline; equal manifests give equal bytes. */
export function serializeManifest(manifest: ServerManifest): string {
  const actions = emptyActions()
  for (const [id, { module, export: name, kind }] of Object.entries(manifest.actions)) {
    actions[id] = { module, export: name, kind }
  }
  return `{\n  "version": 1,\n  "actions": ${stringifySorted(actions, 1)}\n}\n`
}

/** Parses manifest text; throws if it is not JSON of a version 1 manifest. */
export function parseManifest(text: string): ServerManifest {
  const data: unknown = JSON.parse(text)
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.actions)) {
    throw new Error('Not a use-server manifest (expected { "version": 1, "actions": {...} })')
  }
  const manifest = createManifest()
  for (const [id, entry] of Object.entries(data.actions)) {
    if (!isManifestEntry(entry)) throw new Error(`Invalid use-server manifest entry for action ${JSON.stringify(id)}`)
    manifest.actions[id] = { module: entry.module, export: entry.export, kind: entry.kind }
  }
  return manifest
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isManifestEntry(value: unknown): value is ManifestEntry {
  return (
    isRecord(value) &&
    typeof value.module === 'string' &&
    typeof value.export === 'string' &&
    (value.kind === 'export' || value.kind === 'inline')
  )
}
