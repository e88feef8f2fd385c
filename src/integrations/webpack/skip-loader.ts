// The loader `babel-plugin-use-server/webpack`, placed right before babel-loader. With `importStubs` it keys
// babel-loader's cache on the 'use server' modules a file imports. With `skip` (opt-in: only the user knows that Babel
// has nothing else to do, e.g. TS/JSX are compiled by swc-loader), it keeps babel-loader away from files whose text
// has no directive-like string. Skipping is never the default: a babel-loader that also runs a JSX or TypeScript
// preset must see every file, or webpack fails to parse the skipped ones.
import type { Compilation, LoaderContext } from 'webpack'
import { scanSource } from '../../scan.js'
import { importSpecifiers, keyBabelCache } from './cache-key.js'

export interface UseServerLoaderOptions {
  /**
   * Skip the following babel-loader (`true`), or the following loaders whose path matches the RegExp, for files
   * whose text has no directive-like string. Set it only where babel-loader runs for this plugin alone: a skipped
   * file gets none of Babel's other plugins and presets. A skipped babel-loader whose own options list `presets` is
   * not skipped (with a warning naming this option). Default: false (nothing is skipped).
   */
  skip?: boolean | RegExp
  /**
   * Set it in a client compilation whose Babel plugin has `importStubs: true`: babel-loader's `cacheIdentifier` gets
   * a digest of the 'use server' modules the file imports, so that its cacheDirectory cannot serve an importer
   * compiled against an older version of them. With `skip`, files without a directive are then skipped only when
   * they have no import or re-export either (any other file may import a 'use server' module). Default: false.
   */
  importStubs?: boolean
  /** With importStubs: the Babel plugin's `root` and `alias` (to resolve aliased imports). Default: webpack's context. */
  root?: string
  alias?: Record<string, string>
}

const SKIPPED = Symbol.for('babel-plugin-use-server.webpack.skipped')
const WARNED = Symbol.for('babel-plugin-use-server.webpack.skip-warned')
const BABEL_LOADER = /[\\/]babel-loader[\\/]/

/** How many modules the loader kept away from babel-loader in this compilation. */
export function skippedModuleCount(compilation: Compilation): number {
  return (compilation as unknown as Record<symbol, number>)[SKIPPED] ?? 0
}

/** The loader's normal phase: the source passes through unchanged. */
export default function useServerLoader(this: LoaderContext<UseServerLoaderOptions>, source: string | Buffer, map?: unknown, meta?: unknown): void {
  this.callback(null, source, map as never, meta as never)
}

/**
 * The loader's pitch. With `skip`: reads the file and, when its text has no directive-like string (the plugin's own
 * cheap scan), skips the matching loaders after this one; files the scan can't rule out go through as configured.
 * With `importStubs`, files that import or re-export anything go through too, and babel-loader's cache key gets the
 * state of the 'use server' modules they import.
 */
export function pitch(this: LoaderContext<UseServerLoaderOptions>): void {
  const options = this.getOptions() ?? {}
  const { skip = false, importStubs = false } = options
  const skipped = skip === true ? BABEL_LOADER : skip || null
  const file = this.resourcePath
  if (!file || (!skipped && !importStubs)) return
  const callback = this.async()
  this.fs.readFile(file, (error, data) => {
    if (error || !data) return callback() // Reading is the normal pipeline's job; it reports the error.
    const code = typeof data === 'string' ? data : data.toString('utf8')
    const imports = importStubs ? importSpecifiers(code) : []
    if (imports.length > 0) keyBabelCache(this, skipped ?? BABEL_LOADER, imports, options)
    if (!skipped || scanSource(code) || imports.length > 0) return callback()
    // Marked as already run rather than removed: webpack reads each loader's options by its index in the module's
    // own loader list, so removing one would hand the next loader babel-loader's options.
    let removed = false
    for (let i = this.loaderIndex + 1; i < this.loaders.length; i++) {
      const loader = this.loaders[i] as (typeof this.loaders)[number] & { pitchExecuted: boolean; normalExecuted: boolean }
      if (!skipped.test(loader.path)) continue
      if (hasPresets(loader.options)) {
        warnOnce(this, loader.path)
        continue
      }
      loader.pitchExecuted = true
      loader.normalExecuted = true
      removed = true
    }
    if (removed && this._compilation) {
      const counts = this._compilation as unknown as Record<symbol, number>
      counts[SKIPPED] = (counts[SKIPPED] ?? 0) + 1
    }
    callback()
  })
}

function hasPresets(options: unknown): boolean {
  const presets = options && typeof options === 'object' ? (options as { presets?: unknown }).presets : undefined
  return Array.isArray(presets) && presets.length > 0
}

/** One warning per compilation: a loader with presets compiles more than directives, so it is never skipped. */
function warnOnce(loader: LoaderContext<UseServerLoaderOptions>, path: string): void {
  const compilation = loader._compilation as (Compilation & { [WARNED]?: boolean }) | undefined
  if (compilation?.[WARNED]) return
  if (compilation) compilation[WARNED] = true
  loader.emitWarning(new Error(`[use-server] The loader's \`skip\` option is set, but ${path} has \`presets\`: ` +
    'files without a directive still need them, so that loader is not skipped. Remove `skip` from the ' +
    "babel-plugin-use-server/webpack loader's options, or compile TS/JSX with another loader."))
}
