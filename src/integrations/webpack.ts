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
//
// Client compilation with the Babel plugin's `importStubs: true`: an importer's output depends on the server modules
// it imports. Add `metadataSubscribers: ['useServerMetadata']` to babel-loader's options (UseServerPlugin puts that
// function on every loader context; it makes `metadata.useServerDependencies` dependencies of the importer, also when
// babel-loader's cache serves the file), and, with babel-loader's `cacheDirectory`, put this loader before it with
// `{ importStubs: true }` (it then skips only files with neither a directive nor an import, and keys babel-loader's
// cache on the state of the 'use server' modules each file imports).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Compilation, Compiler, LoaderContext, Module } from 'webpack'
import { createManifest, serializeManifest, type ServerManifest } from '../manifest/manifest.js'
import { serializeReactServerManifest, toReactServerManifest } from '../manifest/react.js'
import { readMarkers, type UseServerMetadata } from '../metadata.js'
import { resolveImport } from '../resolve.js'
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
  /**
   * The Babel plugin's `root`: `metadata.useServerDependencies` (importStubs) are relative to it. Default: webpack's
   * `context`.
   */
  root?: string
}

/**
 * The function UseServerPlugin puts on every loader context, for babel-loader's
 * `metadataSubscribers: ['useServerMetadata']`: babel-loader calls it with each file's Babel metadata, also when its
 * cacheDirectory serves the file (the metadata is cached with the code), and it makes the files an importStubs
 * transform read (`metadata.useServerDependencies`) dependencies of the importer.
 */
export const METADATA_SUBSCRIBER = 'useServerMetadata'

export interface UseServerLoaderOptions {
  /** Which following loaders are skipped for files without a directive. Default: /[\\/]babel-loader[\\/]/. */
  skip?: RegExp
  /**
   * Set it in a client compilation whose Babel plugin has `importStubs: true`. Files without a directive are then
   * skipped only when they have no import or re-export either (any other file may import a 'use server' module), and
   * babel-loader's `cacheIdentifier` gets a digest of the 'use server' modules the file imports, so that its
   * cacheDirectory cannot serve an importer compiled against an older version of them. Default: false.
   */
  importStubs?: boolean
  /** With importStubs: the Babel plugin's `root` and `alias` (to resolve aliased imports). Default: webpack's context. */
  root?: string
  alias?: Record<string, string>
}

/** The modules of the compilation with actions, by source file; set in `finishModules`. */
const byCompilation = new WeakMap<Compilation, Map<string, { meta: UseServerMetadata; module: Module }>>()
/** Markers read from a module's source object; a module restored unchanged keeps its source object. */
const markersBySource = new WeakMap<object, UseServerMetadata[]>()
const SKIPPED = Symbol.for('babel-plugin-use-server.webpack.skipped')

export class UseServerPlugin {
  readonly options: Required<Omit<UseServerPluginOptions, 'onManifest' | 'root'>> & Pick<UseServerPluginOptions, 'onManifest' | 'root'>

  constructor(options: UseServerPluginOptions = {}) {
    this.options = { filename: 'use-server-manifest.json', reactFilename: false, ...options }
  }

  apply(compiler: Compiler): void {
    const { Compilation: CompilationClass, NormalModule, sources } = compiler.webpack
    const root = this.options.root ?? compiler.context
    compiler.hooks.compilation.tap(NAME, (compilation) => {
      NormalModule.getCompilationHooks(compilation).loader.tap(NAME, (loaderContext) => {
        ;(loaderContext as unknown as Record<string, unknown>)[METADATA_SUBSCRIBER] = (metadata: unknown) =>
          addUseServerDependencies(loaderContext, metadata, root)
      })
    })
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

/**
 * Makes the files an importStubs transform read dependencies of the module being built, so that webpack rebuilds the
 * importer (watch mode, `cache: { type: 'filesystem' }`) when one of them changes. UseServerPlugin calls it through
 * babel-loader's `metadataSubscribers`; a custom loader that runs Babel itself can call it with `result.metadata`.
 */
export function addUseServerDependencies(loaderContext: Pick<LoaderContext<unknown>, 'addDependency' | 'emitWarning'>,
  metadata: unknown, root: string): void {
  const dependencies = (metadata as { useServerDependencies?: unknown } | null)?.useServerDependencies
  if (!Array.isArray(dependencies)) return
  for (const dependency of dependencies) {
    if (typeof dependency !== 'string') continue
    const file = path.resolve(root, dependency)
    loaderContext.addDependency(file)
    if (!fs.existsSync(file)) {
      loaderContext.emitWarning(new Error(`[use-server] ${file} (from metadata.useServerDependencies) does not exist. ` +
        `If the file was not deleted, give UseServerPlugin the Babel plugin's \`root\` option.`))
    }
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
 * skips babel-loader among the loaders after this one. Files the scan can't rule out go through as configured.
 * With `importStubs`, files that import or re-export anything go through too, and babel-loader's cache key gets the
 * state of the 'use server' modules they import.
 */
export function pitch(this: LoaderContext<UseServerLoaderOptions>): void {
  const options = this.getOptions() ?? {}
  const { skip = /[\\/]babel-loader[\\/]/, importStubs = false } = options
  const file = this.resourcePath
  if (!file) return
  const callback = this.async()
  this.fs.readFile(file, (error, data) => {
    if (error || !data) return callback() // Reading is the normal pipeline's job; it reports the error.
    const code = typeof data === 'string' ? data : data.toString('utf8')
    const imports = importStubs ? importSpecifiers(code) : []
    if (scanSource(code) || imports.length > 0) {
      if (imports.length > 0) keyBabelCache(this, skip, imports, options)
      return callback()
    }
    // Marked as already run rather than removed: webpack reads each loader's options by its index in the module's
    // own loader list, so removing one would hand the next loader babel-loader's options.
    let removed = false
    for (let i = this.loaderIndex + 1; i < this.loaders.length; i++) {
      const loader = this.loaders[i] as (typeof this.loaders)[number] & { pitchExecuted: boolean; normalExecuted: boolean }
      if (skip.test(loader.path)) {
        loader.pitchExecuted = true
        loader.normalExecuted = true
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

// Every `… from '…'` and `import '…'` (a superset of what the plugin rewrites: text in comments and strings counts).
const IMPORT_SOURCE = /\b(?:from|import)\s*(['"])([^'"\r\n]+)\1/g

function importSpecifiers(code: string): string[] {
  const found = new Set<string>()
  for (const match of code.matchAll(IMPORT_SOURCE)) found.add(match[2])
  return [...found].sort()
}

/** Per file, by its mtime and size: a digest of its text if it may be a 'use server' module, else '-'. */
const serverStates = new Map<string, { stamp: string; state: string }>()

function serverState(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (!stat) return 'missing'
  const stamp = `${stat.mtimeMs}:${stat.size}`
  const cached = serverStates.get(file)
  if (cached?.stamp === stamp) return cached.state
  const text = fs.readFileSync(file, 'utf8')
  const state = text.includes('use server') ? createHash('sha256').update(text).digest('hex').slice(0, 16) : '-'
  serverStates.set(file, { stamp, state })
  return state
}

/**
 * babel-loader's cacheDirectory keys a file by its source and options only: an importer whose server module changed
 * (a new export, a lost directive) would be served as it was. Folding the state of every module the file imports
 * into the `cacheIdentifier` of this module's babel-loader makes that a miss. Loaders read their options from the
 * module's own loader list (`getOptions`), so the entry there is replaced, per module, by one with the new options.
 */
function keyBabelCache(loader: LoaderContext<UseServerLoaderOptions>, skip: RegExp, imports: string[], options: UseServerLoaderOptions): void {
  const root = options.root ?? loader.rootContext
  const alias = Object.entries(options.alias ?? {}).sort((a, b) => b[0].length - a[0].length)
  const moduleLoaders = (loader._module as { loaders?: { loader: string; options?: unknown }[] } | undefined)?.loaders
  let digest: string | undefined
  for (let i = loader.loaderIndex + 1; i < loader.loaders.length; i++) {
    const entry = loader.loaders[i]
    const item = moduleLoaders?.[i]
    if (!skip.test(entry.path) || !item || item.loader !== entry.path) continue
    if (!item.options || typeof item.options !== 'object') continue
    const babelOptions = item.options as Record<string, unknown>
    if (!babelOptions.cacheDirectory) continue
    digest ??= importsDigest(loader.resourcePath, root, alias, imports)
    // A module restored from webpack's cache keeps the options of its last build: drop that build's digest.
    const identifier = typeof babelOptions.cacheIdentifier === 'string'
      ? babelOptions.cacheIdentifier.replace(KEY_SUFFIX, '')
      : defaultCacheIdentifier(entry.path)
    const keyed = { ...babelOptions, cacheIdentifier: `${identifier},use-server:${digest}` }
    moduleLoaders![i] = { ...item, options: keyed }
    entry.options = keyed
  }
}

const KEY_SUFFIX = /,use-server:[0-9a-f]+$/

function importsDigest(file: string, root: string, alias: [string, string][], imports: string[]): string {
  const hash = createHash('sha256')
  for (const specifier of imports) {
    const target = resolveImport(specifier, file, root, alias)
    hash.update(`${specifier}\0${target ?? ''}\0${target ? serverState(target) : ''}\n`)
  }
  return hash.digest('hex').slice(0, 16)
}

/** babel-loader's own default: "core<@babel/core version>,loader<babel-loader version>". */
const defaultIdentifiers = new Map<string, string>()

function defaultCacheIdentifier(loaderPath: string): string {
  let identifier = defaultIdentifiers.get(loaderPath)
  if (identifier === undefined) {
    try {
      const require = createRequire(loaderPath)
      const core = (require('@babel/core') as { version: string }).version
      const own = (require(path.join(path.dirname(loaderPath), '..', 'package.json')) as { version: string }).version
      identifier = `core${core},loader${own}`
    } catch {
      identifier = 'babel-loader'
    }
    defaultIdentifiers.set(loaderPath, identifier)
  }
  return identifier
}
