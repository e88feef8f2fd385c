// babel-plugin-use-server/webpack: the manifest of a webpack compilation, and a loader that keeps babel-loader away
// from files without a directive.
//
//   // webpack.config.js (the server compilation; the client compilation uses environment: 'client')
//   const { UseServerPlugin } = require('babel-plugin-use-server/webpack')
//   module.exports = {
//     module: {
//       rules: [{
//         test: /\.[cm]?[jt]sx?$/,
//         exclude: /node_modules/,
//         use: [
//           // Optional, must come right before babel-loader: files whose text holds no 'use server'-like string
//           // skip babel-loader (and only it: other loaders in the rule still run).
//           { loader: 'babel-plugin-use-server/webpack' },
//           { loader: 'babel-loader', options: {
//             cacheDirectory: true,
//             plugins: [['babel-plugin-use-server', { environment: 'server' }]],
//           } },
//         ],
//       }],
//     },
//     plugins: [new UseServerPlugin({ filename: 'use-server-manifest.json', reactFilename: 'react-server-manifest.json' })],
//   }
//
// The manifest is rebuilt on every compilation from the modules in it: each server module's final source carries the
// plugin's `/* @use-server {...} */` marker, so it is complete whether babel-loader ran, babel-loader's
// cacheDirectory served the file, or webpack's own cache restored the module; a file that lost its directive (or
// left the module graph) loses its entries. Keep the marker: don't run babel with `comments: false` on the server.
//
// Per-file metadata: `getUseServerMetadata(module)` (e.g. in a compilation hook), `getCompilationMetadata(compilation)`
// after `finishModules`, the `onManifest` option, or babel-loader's own `metadataSubscribers` option.
import type { Compilation, Compiler, LoaderContext, Module } from 'webpack'
import { createManifest, serializeManifest, type ServerManifest } from '../manifest/manifest.js'
import { serializeReactServerManifest, toReactServerManifest } from '../manifest/react.js'
import { readMarkers, type UseServerMetadata } from '../metadata.js'
import { scanSource } from '../scan.js'

export type { ServerManifest } from '../manifest/manifest.js'
export type { UseServerMetadata } from '../metadata.js'

const NAME = 'UseServerPlugin'

export interface UseServerPluginOptions {
  /** The manifest asset (our JSON: action ID → module, export, kind). Default 'use-server-manifest.json'. */
  filename?: string
  /**
   * Also emit react-server-dom-webpack's server manifest (action ID → { id, chunks, name }) under this name, with
   * webpack module IDs. Default: not emitted.
   */
  reactFilename?: string | false
  /** Called with each compilation's manifest, before the assets are emitted. */
  onManifest?: (manifest: ServerManifest, compilation: Compilation) => void
}

export interface UseServerLoaderOptions {
  /** Which following loaders are skipped for files without a directive. Default: /[\\/]babel-loader[\\/]/. */
  skip?: RegExp
}

/** The modules of the compilation with actions, by source file; set in `finishModules`. */
const byCompilation = new WeakMap<Compilation, Map<string, { meta: UseServerMetadata; module: Module }>>()
/** Markers read from a module's source object; a module restored unchanged keeps its source object. */
const markersBySource = new WeakMap<object, UseServerMetadata[]>()
const SKIPPED = Symbol.for('babel-plugin-use-server.webpack.skipped')

export class UseServerPlugin {
  readonly options: Required<Omit<UseServerPluginOptions, 'onManifest'>> & Pick<UseServerPluginOptions, 'onManifest'>

  constructor(options: UseServerPluginOptions = {}) {
    this.options = { filename: 'use-server-manifest.json', reactFilename: false, ...options }
  }

  apply(compiler: Compiler): void {
    const { Compilation: CompilationClass, sources } = compiler.webpack
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.hooks.finishModules.tap(NAME, (modules) => {
        // Before optimization: every module is still its own NormalModule (not yet concatenated).
        const found = new Map<string, { meta: UseServerMetadata; module: Module }>()
        for (const module of modules) {
          for (const meta of getUseServerMetadata(module)) found.set(meta.file, { meta, module })
        }
        byCompilation.set(compilation, found)
      })
      compilation.hooks.processAssets.tap({ name: NAME, stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const found = byCompilation.get(compilation) ?? new Map()
        const files = [...found.keys()].sort()
        const manifest = createManifest(files.map((file) => found.get(file)!.meta))
        this.options.onManifest?.(manifest, compilation)
        compilation.emitAsset(this.options.filename, new sources.RawSource(serializeManifest(manifest)))
        if (this.options.reactFilename) {
          const react = toReactServerManifest(manifest, {
            moduleId: (file) => compilation.chunkGraph.getModuleId(found.get(file)!.module) ?? file,
          })
          compilation.emitAsset(this.options.reactFilename, new sources.RawSource(serializeReactServerManifest(react)))
        }
      })
    })
  }
}

/** The use-server metadata of one webpack module: read from the markers in its source after all loaders. */
export function getUseServerMetadata(module: Module): UseServerMetadata[] {
  const source = (module as { originalSource?: () => { source(): string | Buffer } | null }).originalSource?.()
  if (!source) return []
  let metas = markersBySource.get(source)
  if (!metas) {
    const code = source.source()
    metas = typeof code === 'string' ? readMarkers(code) : []
    markersBySource.set(source, metas)
  }
  return metas
}

/** The metadata of every module with actions in the compilation, by source file (available after `finishModules`). */
export function getCompilationMetadata(compilation: Compilation): Map<string, UseServerMetadata> {
  const found = byCompilation.get(compilation)
  return new Map([...(found ?? [])].map(([file, { meta }]) => [file, meta]))
}

/** How many modules the loader kept away from babel-loader in this compilation. */
export function skippedModuleCount(compilation: Compilation): number {
  return (compilation as unknown as Record<symbol, number>)[SKIPPED] ?? 0
}

/** The loader's normal phase: the source passes through unchanged. */
export default function useServerLoader(this: LoaderContext<UseServerLoaderOptions>, source: string | Buffer, map?: unknown, meta?: unknown): void {
  this.callback(null, source, map as never, meta as never)
}

/**
 * The loader's pitch: reads the file and, when its text has no directive-like string (the plugin's own cheap scan),
 * removes babel-loader from the loaders after this one. Files the scan can't rule out go through as configured.
 */
export function pitch(this: LoaderContext<UseServerLoaderOptions>): void {
  const { skip = /[\\/]babel-loader[\\/]/ } = this.getOptions() ?? {}
  const file = this.resourcePath
  if (!file) return
  const callback = this.async()
  this.fs.readFile(file, (error, data) => {
    if (error || !data) return callback() // Reading is the normal pipeline's job; it reports the error.
    if (scanSource(typeof data === 'string' ? data : data.toString('utf8'))) return callback()
    let removed = false
    for (let i = this.loaders.length - 1; i > this.loaderIndex; i--) {
      if (skip.test(this.loaders[i].path)) {
        this.loaders.splice(i, 1)
        removed = true
      }
    }
    if (removed && this._compilation) {
      const counts = this._compilation as unknown as Record<symbol, number>
      counts[SKIPPED] = (counts[SKIPPED] ?? 0) + 1
    }
    callback()
  })
}
