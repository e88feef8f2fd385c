// react-server-dom-webpack resolves server references through its own manifest shape; this converts ours to it.
import { stringifySorted } from './json.js'
import type { ServerManifest } from './manifest.js'

/** What `resolveServerReference` reads: the module to require, its chunks, and the export name. */
export interface ReactServerManifestEntry {
  id: string | number
  chunks: string[]
  name: string
}

/** Keyed by action ID. */
export type ReactServerManifest = Record<string, ReactServerManifestEntry>

export interface ReactServerManifestOptions {
  /** The bundler's module ID for a source path (default: the path itself). */
  moduleId?: (module: string) => string | number
}

export function toReactServerManifest(manifest: ServerManifest, options: ReactServerManifestOptions = {}): ReactServerManifest {
  const moduleId = options.moduleId ?? ((module: string) => module)
  const react = Object.create(null) as ReactServerManifest
  for (const id of Object.keys(manifest.actions).sort()) {
    const entry = manifest.actions[id]
    react[id] = { id: moduleId(entry.module), chunks: [], name: entry.export }
  }
  return react
}

/** Deterministic text of a React server manifest: keys sorted, 2-space indent, trailing newline. */
export function serializeReactServerManifest(manifest: ReactServerManifest): string {
  return `${stringifySorted(manifest)}\n`
}
