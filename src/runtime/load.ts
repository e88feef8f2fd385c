// Finding a server function by its action ID at request time: our manifest says which module and export it is,
// the app says how to load a module (a bundler's require, an `import()` map, a file loader...), or, inside a webpack
// bundle, React's server manifest does (the bundle's module IDs and chunks, loaded the way React's decoders load them).
import type { ServerManifest } from '../manifest/manifest.js'
import type { ReactServerManifest } from '../manifest/react.js'
import { runtimeError } from './errors.js'

declare const __webpack_modules__: unknown
declare const __webpack_require__: (id: string | number) => unknown
declare const __webpack_chunk_load__: (chunkId: string) => Promise<unknown>

/** Loads a module of the manifest (`ManifestEntry.module`, a path relative to the plugin's `root`) and returns its namespace. */
export type LoadModule = (module: string) => unknown | Promise<unknown>

interface ModuleLoading {
  manifest: ServerManifest
  /**
   * How to load a manifest module. Optional when `reactManifest` is given and this runtime is bundled by webpack
   * (into the same bundle as the server functions): a module is then loaded by the webpack module ID and chunks of
   * React's manifest (`__webpack_chunk_load__`, then `__webpack_require__`), as React's decoders do.
   */
  loadModule?: LoadModule
  /**
   * React's shape of the manifest (see src/manifest/react.ts for how React loads modules). In a webpack-built server,
   * the react-server-manifest.json UseServerPlugin writes (`reactFilename`), with the bundle's final module IDs.
   */
  reactManifest?: ReactServerManifest
}

/** `manifest`, and `loadModule` or `reactManifest` or both (without `loadModule`, only inside a webpack bundle). */
export type LoadServerActionOptions = ModuleLoading & ({ loadModule: LoadModule } | { reactManifest: ReactServerManifest })

type AnyFunction = (...args: any[]) => any

/**
 * Is this module bundled by webpack? webpack replaces `typeof __webpack_modules__` in every module it bundles. Not
 * `typeof __webpack_require__`: outside webpack, `installModuleLoading` defines a global of that name.
 */
export function inWebpackBundle(): boolean {
  return typeof __webpack_modules__ !== 'undefined'
}

const webpackLoaders = new WeakMap<ReactServerManifest, { manifest: ServerManifest; loadModule: LoadModule }>()

/**
 * The `loadModule` to use: the app's, else (in a webpack bundle, with `reactManifest`) one that loads a module by
 * the webpack module ID and chunks React's manifest gives its actions. Throws `USE_SERVER_NO_LOAD_MODULE` when
 * there is neither.
 */
export function moduleLoaderOf(options: ModuleLoading): LoadModule {
  if (options.loadModule) return options.loadModule
  const react = options.reactManifest
  if (!react || !inWebpackBundle()) {
    throw runtimeError('USE_SERVER_NO_LOAD_MODULE', (react
      ? 'A reactManifest was given, but this runtime is not inside a webpack bundle (is babel-plugin-use-server in ' +
        "webpack's `externals`?), so its module IDs mean nothing here"
      : 'Neither loadModule nor reactManifest was given') +
      ': pass `loadModule(module)`, which loads a manifest module (a source path such as "src/actions.js") and returns its exports.')
  }
  let cached = webpackLoaders.get(react)
  if (!cached || cached.manifest !== options.manifest) {
    const entries = new Map<string, ReactServerManifest[string]>()
    for (const [id, { module }] of Object.entries(options.manifest.actions)) {
      if (!entries.has(module) && Object.hasOwn(react, id)) entries.set(module, react[id])
    }
    cached = {
      manifest: options.manifest,
      // A module React's manifest does not name loads as nothing: loadServerAction answers USE_SERVER_NOT_A_FUNCTION.
      loadModule: async (module) => {
        const entry = entries.get(module)
        if (!entry) return undefined
        for (let i = 0; i < entry.chunks.length; i += 2) await __webpack_chunk_load__(entry.chunks[i])
        return __webpack_require__(entry.id)
      },
    }
    webpackLoaders.set(react, cached)
  }
  return cached.loadModule
}

/**
 * The server function registered under `id`. Rejects with a ServerActionError (errors.ts): `USE_SERVER_UNKNOWN_ACTION`
 * (status 404) when the manifest has no such ID, `USE_SERVER_NOT_A_FUNCTION` (500) when the module's export is missing
 * or not a function (a manifest out of date with the build), `USE_SERVER_NO_LOAD_MODULE` (500) without `loadModule`
 * outside a webpack bundle.
 */
export async function loadServerAction(id: string, options: LoadServerActionOptions): Promise<AnyFunction> {
  const loadModule = moduleLoaderOf(options)
  const entry = typeof id === 'string' && Object.hasOwn(options.manifest.actions, id) ? options.manifest.actions[id] : undefined
  if (!entry) throw runtimeError('USE_SERVER_UNKNOWN_ACTION', `No server function has the ID ${JSON.stringify(id)}.`)
  const namespace = (await loadModule(entry.module)) as Record<string, unknown> | null | undefined
  const fn = namespace != null && Object.hasOwn(namespace, entry.export) ? namespace[entry.export] : undefined
  if (typeof fn !== 'function') {
    throw runtimeError('USE_SERVER_NOT_A_FUNCTION', `The manifest maps ${id} to the export ` +
      `"${entry.export}" of ${entry.module}, but that module has no such function: is the manifest from this build?`)
  }
  return fn as AnyFunction
}
