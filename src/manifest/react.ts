// react-server-dom-webpack resolves server references through its own manifest shape; this converts ours to it.
//
// How React loads what an entry names: `decodeAction` / `decodeReply` call `__webpack_chunk_load__(chunk)` for every
// chunk of `chunks` (a flat list of [chunkId, chunkFile] pairs), then `__webpack_require__(id)` and take `name` from
// it. In a webpack-built RSC server both are webpack's own, so `id` must be the module's webpack module ID (e.g.
// `moduleId: (module) => context.resolve('./' + module)` with a `require.context` / `import.meta.webpackContext`
// over the app) and `chunks` stays empty. Without a bundler, `installModuleLoading` from
// 'babel-plugin-use-server/server' defines both globals on top of a `loadModule` function and
// `reactServerManifestForLoader` builds the matching manifest (the module path as both chunk and module ID).
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
  /** Chunks to load before the module, as [chunkId, chunkFile] pairs (default: none). */
  chunks?: (module: string) => string[]
}

/**
 * React's server manifest (the `serverManifest` argument of react-server-dom-webpack's `decodeReply` /
 * `decodeAction`) from ours: `{ [actionId]: { id: moduleId(module), chunks: chunks(module) ?? [], name: export } }`,
 * keyed by action ID so that React finds an ID without its `#name` suffix. Never throws; a `moduleId` that throws
 * propagates.
 */
export function toReactServerManifest(manifest: ServerManifest, options: ReactServerManifestOptions = {}): ReactServerManifest {
  const moduleId = options.moduleId ?? ((module: string) => module)
  const chunks = options.chunks ?? (() => [])
  const react = Object.create(null) as ReactServerManifest
  for (const id of Object.keys(manifest.actions).sort()) {
    const entry = manifest.actions[id]
    react[id] = { id: moduleId(entry.module), chunks: chunks(entry.module), name: entry.export }
  }
  return react
}

/**
 * The React server manifest that goes with `installModuleLoading` (no bundler): every module is its own chunk, so
 * React's `__webpack_chunk_load__(module)` loads it through the app's `loadModule` before `__webpack_require__(module)`.
 */
export function reactServerManifestForLoader(manifest: ServerManifest): ReactServerManifest {
  return toReactServerManifest(manifest, { chunks: (module) => [module, module] })
}

/** Deterministic text of a React server manifest: keys sorted, 2-space indent, trailing newline. */
export function serializeReactServerManifest(manifest: ReactServerManifest): string {
  return `${stringifySorted(manifest)}\n`
}
