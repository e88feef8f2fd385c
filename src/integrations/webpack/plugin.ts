// UseServerPlugin: the manifest of a webpack compilation (ours, and optionally react-server-dom-webpack's), rebuilt on
// every compilation from the modules in it, and the `useServerMetadata` function babel-loader's
// `metadataSubscribers` calls. In a server compilation it also keeps what React needs to load a server function by
// module ID in a production build:
//   - `include`: every 'use server' module under the given directories is added to the build (a server function that
//     only client code imports has no importer on the server);
//   - every module with server functions keeps all its exports (no tree shaking, no export mangling) and is never
//     concatenated into another module, so `__webpack_require__(id)[name]` finds each one;
//   - React's manifest gets the final module IDs (after `optimizeModuleIds`); a module without one is a build error
//     (USE_SERVER_NO_MODULE_ID).
// With the client compilation's half (`plugins: [useServer.client()]` there) it sees both builds:
//   - a client stub whose ID the server manifest lacks is a build error naming the file and export
//     (USE_SERVER_ID_MISMATCH: the builds disagree on the secret, salt or root, or a cache served an old file);
//   - `onlyReferenced` (default): the manifests keep only the server functions that something imports (client code,
//     or server code that calls them or passes them on) and the inline actions; any other export answers 404.
import path from 'node:path'
import type { Compilation, Compiler, Module } from 'webpack'
import type { Dependency } from 'webpack'
import { serializeManifest, type ServerManifest } from '../../manifest/manifest.js'
import { serializeReactServerManifest, toReactServerManifest } from '../../manifest/react.js'
import { buildManifest, computableFromSource, sortByFile, unkeyedProductionWarning } from '../core/manifest.js'
import { keepReferenced, mismatchedStubs } from '../core/references.js'
import { ClientStubs, stubsOfAll, UseServerClientPlugin } from './client.js'
import { collectServerModules, installMetadataSubscriber, serverModulesOf } from './metadata.js'
import { findServerModules } from './include.js'
import { referencedExports } from './references.js'

const NAME = 'UseServerPlugin'
/** Why webpack does not concatenate a server module (webpack prints "Module uses …" in its optimization bailouts). */
const CONCATENATION_BAILOUT = "'use server' (React loads it by module ID)"
/** How a 'use server' module gets into a webpack server build (for USE_SERVER_ID_MISMATCH). */
const INCLUDE_FIX = "add its directory to UseServerPlugin's `include`"

export interface UseServerPluginOptions {
  /** The manifest asset (our JSON: action ID → module, export, kind). Default 'use-server-manifest.json'. */
  filename?: string
  /**
   * Also emit react-server-dom-webpack's server manifest (action ID → { id, chunks, name }) under this name, with
   * the final webpack module IDs. Default: not emitted.
   */
  reactFilename?: string | false
  /**
   * Server compilations: directories (absolute, or relative to webpack's `context`) whose 'use server' modules (a
   * 'use server' directive at the top of the file; `node_modules` and dot-directories are not searched) are added to
   * the build, in every entry's chunk, whether or not a server module imports them. Set it in the server compilation
   * only. Default: none.
   */
  include?: string | string[]
  /**
   * With `client()` in the client compilation: leave out of the manifests every export of a 'use server' module that
   * nothing imports (neither client code nor server code), so it cannot be called (404, as an unknown ID). Inline
   * actions are always kept. Default: true.
   */
  onlyReferenced?: boolean
  /** Called with each compilation's manifest, before the assets are emitted. */
  onManifest?: (manifest: ServerManifest, compilation: Compilation) => void
  /**
   * The Babel plugin's `root`: `metadata.useServerDependencies` (importStubs) are relative to it. Default: webpack's
   * `context`.
   */
  root?: string
}

export class UseServerPlugin {
  readonly options: Required<Omit<UseServerPluginOptions, 'onManifest' | 'root' | 'include'>> &
    Pick<UseServerPluginOptions, 'onManifest' | 'root' | 'include'>
  /** One per `client()` plugin: the client stubs of its compilation. */
  private readonly clientHalves: ClientStubs[] = []

  constructor(options: UseServerPluginOptions = {}) {
    this.options = { filename: 'use-server-manifest.json', reactFilename: false, onlyReferenced: true, ...options }
  }

  /**
   * The plugin for a client compilation of the same build (`plugins: [useServer.client()]`): the browser's, and an SSR
   * one that renders client components on the server (call `client()` once per compilation), e.g.
   * `const useServer = new UseServerPlugin({ include: 'src' })`. The server compilation checks each one's client
   * stubs and counts them as uses. It also does what UseServerPlugin does for importStubs (`metadataSubscribers`);
   * `root` as UseServerPlugin's.
   */
  client(options: { root?: string } = {}): UseServerClientPlugin {
    const stubs = new ClientStubs()
    this.clientHalves.push(stubs)
    return new UseServerClientPlugin(stubs, options.root ?? this.options.root)
  }

  apply(compiler: Compiler): void {
    const { Compilation: CompilationClass, EntryPlugin, WebpackError, sources } = compiler.webpack
    const root = this.options.root ?? compiler.context
    const include = [this.options.include ?? []].flat().map((dir) => path.resolve(compiler.context, dir))
    installMetadataSubscriber(compiler, root)
    // `include`'s entries import every export of their modules: they do not count as a use (onlyReferenced).
    const includeEntries = new WeakMap<Compilation, Set<Dependency>>()
    compiler.hooks.make.tapPromise(NAME, async (compilation) => {
      const entries = new Set<Dependency>()
      includeEntries.set(compilation, entries)
      for (const dir of include) {
        compilation.contextDependencies.add(dir) // watch mode: a new 'use server' file starts a rebuild
        for (const file of findServerModules(dir)) {
          const dependency = EntryPlugin.createDependency(file, { name: undefined })
          entries.add(dependency)
          await new Promise<void>((resolve, reject) => compilation.addInclude(compiler.context, dependency, { name: undefined },
            (error) => (error ? reject(error) : resolve())))
        }
      }
    })
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      // Before optimization: every module is still its own NormalModule (not yet concatenated).
      compilation.hooks.finishModules.tap(NAME, (modules) => {
        for (const { module } of collectServerModules(compilation, modules).values()) {
          if (module.buildInfo) module.buildInfo.moduleConcatenationBailout = CONCATENATION_BAILOUT
        }
      })
      // Every export of a server module is used in a way webpack cannot see (React looks it up by name): before
      // webpack's export usage pass (so what the exports use is kept too) and after it (so nothing resets it).
      const keepExports = () => {
        for (const { module } of serverModulesOf(compilation).values()) {
          compilation.moduleGraph.getExportsInfo(module).setUsedInUnknownWay(undefined)
        }
      }
      compilation.hooks.optimizeDependencies.tap({ name: NAME, stage: -10 }, keepExports)
      compilation.hooks.optimizeDependencies.tap({ name: NAME, stage: 10 }, keepExports)
      compilation.hooks.processAssets.tapPromise({ name: NAME, stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONAL }, async () => {
        const found = serverModulesOf(compilation)
        let metas = sortByFile([...found.values()].map(({ meta }) => meta))
        const stubs = await stubsOfAll(this.clientHalves)
        if (stubs) {
          for (const error of mismatchedStubs(stubs, buildManifest(metas), root, INCLUDE_FIX)) compilation.errors.push(new WebpackError(error))
          if (this.options.onlyReferenced) metas = keepReferenced(metas, stubs, (meta) =>
            referencedExports(compilation, found.get(meta.file)!.module, includeEntries.get(compilation) ?? new Set()))
        }
        if (compiler.options.mode === 'production' && metas.some(computableFromSource)) {
          compilation.warnings.push(new WebpackError(unkeyedProductionWarning('Give it `production: true` (or ' +
            'BABEL_ENV / NODE_ENV=production) in every build')))
        }
        const files = metas.map((meta) => meta.file)
        const manifest = buildManifest(metas)
        this.options.onManifest?.(manifest, compilation)
        compilation.emitAsset(this.options.filename, new sources.RawSource(serializeManifest(manifest)))
        // What React (and a loadModule by module ID) needs: every module with server functions has an ID of its own.
        const finals = finalModules(compilation)
        const { chunkGraph } = compilation
        const idOf = (file: string) => {
          const final = finals.get(found.get(file)!.module)
          return final ? chunkGraph.getModuleId(final) : null
        }
        const missing = files.filter((file) => idOf(file) === null || idOf(file) === undefined)
        if (missing.length > 0) {
          compilation.errors.push(new WebpackError(`[USE_SERVER_NO_MODULE_ID] ${missing.join(', ')}: not a module of ` +
            'its own in the bundle, so its server functions cannot be loaded by module ID (React\'s server manifest). ' +
            'It was concatenated into another module or left out of every chunk; webpack\'s own ' +
            '`optimization.concatenateModules` and `optimization.sideEffects` leave server modules alone, so look for ' +
            "another plugin, set `optimization.concatenateModules: false`, or add its directory to UseServerPlugin's " +
            '`include` option.'))
        }
        if (!this.options.reactFilename) return
        const react = toReactServerManifest(manifest, {
          moduleId: (file) => idOf(file) ?? file,
          // A module only in async chunks (code splitting) is required after React loads one of them.
          chunks: (file) => {
            const final = finals.get(found.get(file)!.module)
            const chunks = final ? [...chunkGraph.getModuleChunksIterable(final)] : []
            if (chunks.length === 0 || chunks.some((chunk) => chunk.canBeInitial())) return []
            const chunk = chunks.sort((a, b) => String(a.id).localeCompare(String(b.id)))[0]
            return [String(chunk.id), [...chunk.files].sort()[0] ?? '']
          },
        })
        compilation.emitAsset(this.options.reactFilename, new sources.RawSource(serializeReactServerManifest(react)))
      })
    })
  }
}

/**
 * What became of each module after webpack's optimizations: itself, or the concatenated module it is the root of
 * (required by that module's ID). Inner modules of a concatenation, and modules in no chunk, are absent.
 */
function finalModules(compilation: Compilation): Map<Module, Module> {
  const finals = new Map<Module, Module>()
  for (const module of compilation.modules) {
    const root = (module as { rootModule?: Module }).rootModule
    if (root) finals.set(root, module)
    else if (!finals.has(module) && compilation.chunkGraph.getNumberOfModuleChunks(module) > 0) finals.set(module, module)
  }
  return finals
}
