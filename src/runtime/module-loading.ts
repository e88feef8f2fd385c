// How React's server decoders reach server functions: the React server manifest they look IDs up in, and (without a
// bundler) the `__webpack_require__` / `__webpack_chunk_load__` globals they load modules with.
import type { ReactServerManifest } from '../manifest/react.js'
import { reactServerManifestForLoader } from '../manifest/react.js'
import type { ServerManifest } from '../manifest/manifest.js'
import { runtimeError } from './errors.js'
import { inWebpackBundle, moduleLoaderOf, type LoadModule } from './load.js'

const forLoader = new WeakMap<object, ReactServerManifest>()
const guarded = new WeakMap<object, ReactServerManifest>()

/**
 * The manifest React decodes with: `reactManifest`, or (outside webpack) one over `loadModule`, installing the module
 * globals. Throws `USE_SERVER_NO_REACT_MANIFEST` in a webpack bundle without a `reactManifest`, and
 * `USE_SERVER_NO_LOAD_MODULE` outside one without a `loadModule`.
 */
export function reactManifestFor(options: { manifest: ServerManifest; loadModule?: LoadModule; reactManifest?: ReactServerManifest }): ReactServerManifest {
  let manifest = options.reactManifest
  if (!manifest) {
    if (inWebpackBundle()) {
      throw runtimeError('USE_SERVER_NO_REACT_MANIFEST', "In a webpack bundle, React loads server functions with the " +
        "bundle's own __webpack_require__: pass handleActionRequest a reactManifest with webpack module IDs, e.g. " +
        "the react-server-manifest.json of UseServerPlugin's `reactFilename` option (babel-plugin-use-server/webpack).")
    }
    installModuleLoading(moduleLoaderOf(options))
    manifest = forLoader.get(options.manifest)
    if (!manifest) forLoader.set(options.manifest, (manifest = reactServerManifestForLoader(options.manifest)))
  }
  return guard(manifest)
}

/**
 * The manifest as React may see it: only its own keys. React looks an ID up, and when it is missing, splits it at
 * its last `#` and reads the export after it from the module before it; with a real action ID in front, `<id>#name`
 * would reach any export of that module (a helper next to an inline action, its default export, `*` for the whole
 * namespace), not only registered actions. Our IDs never contain `#`, so such a lookup is refused outright;
 * `__proto__`, `toString` and other inherited names are simply not there.
 */
function guard(manifest: ReactServerManifest): ReactServerManifest {
  let proxy = guarded.get(manifest)
  if (!proxy) {
    proxy = new Proxy(manifest, {
      get(target, key) {
        if (typeof key !== 'string') return undefined
        if (Object.hasOwn(target, key)) return target[key]
        if (key.includes('#')) throw runtimeError('USE_SERVER_UNKNOWN_ACTION', `No server function has the ID ${JSON.stringify(key)}.`)
        return undefined
      },
    })
    guarded.set(manifest, proxy)
  }
  return proxy
}

type Globals = { __webpack_require__?: (id: string) => unknown; __webpack_chunk_load__?: (chunk: string) => Promise<unknown> }
const installed = Symbol.for('babel-plugin-use-server.module-loading')

/**
 * Without a bundler: defines the `__webpack_chunk_load__` / `__webpack_require__` globals React's server decoders
 * call, loading through `loadModule`, for manifests from `reactServerManifestForLoader`. IDs it did not load fall
 * through to globals that were there before. The last `loadModule` installed is the one used.
 */
export function installModuleLoading(loadModule: LoadModule): void {
  const g = globalThis as typeof globalThis & Globals & { [installed]?: { loadModule: LoadModule } }
  if (g[installed]) {
    g[installed].loadModule = loadModule
    return
  }
  const state = { loadModule }
  g[installed] = state
  const modules = new Map<string, unknown>()
  const previousRequire = g.__webpack_require__
  const previousChunkLoad = g.__webpack_chunk_load__
  g.__webpack_chunk_load__ = async (chunk: string) => {
    try {
      modules.set(chunk, await state.loadModule(chunk))
    } catch (error) {
      if (previousChunkLoad) return previousChunkLoad(chunk)
      throw error
    }
  }
  g.__webpack_require__ = (id: string) => {
    if (modules.has(id)) return modules.get(id)
    if (previousRequire) return previousRequire(id)
    throw runtimeError('USE_SERVER_NOT_LOADED', `Module ${id} was required before it was loaded.`)
  }
}
