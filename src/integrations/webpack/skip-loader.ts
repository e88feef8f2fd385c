// The loader `babel-plugin-use-server/webpack`: placed right before babel-loader, it can keep babel-loader away from
// files whose text has no directive-like string, and (importStubs) keys babel-loader's cache on the 'use server'
// modules a file imports.
import type { Compilation, LoaderContext } from 'webpack'
import { scanSource } from '../../scan.js'
import { importSpecifiers, keyBabelCache } from './cache-key.js'

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

const SKIPPED = Symbol.for('babel-plugin-use-server.webpack.skipped')

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
