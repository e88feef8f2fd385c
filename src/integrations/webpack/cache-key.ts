// babel-loader's cacheDirectory keys a file by its source and options only: with importStubs, an importer whose
// server module changed (a new export, a lost directive) would be served as it was. The skip loader folds the state
// of every module the file imports into that module's babel-loader `cacheIdentifier`, which makes that a miss.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { LoaderContext } from 'webpack'
import { resolveImport } from '../../resolve.js'
import { StampCache } from '../core/stamps.js'

/** The options of the loader this module reads (see skip-loader.ts). */
export interface CacheKeyOptions {
  root?: string
  alias?: Record<string, string>
}

// Every `… from '…'` and `import '…'` (a superset of what the plugin rewrites: text in comments and strings counts).
const IMPORT_SOURCE = /\b(?:from|import)\s*(['"])([^'"\r\n]+)\1/g

/** The specifiers of every import and re-export of a file's text, sorted and distinct. */
export function importSpecifiers(code: string): string[] {
  const found = new Set<string>()
  for (const match of code.matchAll(IMPORT_SOURCE)) found.add(match[2])
  return [...found].sort()
}

/** Per file, until it changes: a digest of its text if it may be a 'use server' module, else '-'. */
const serverStates = new StampCache<string>()

function serverState(file: string): string {
  return serverStates.read(file, 'missing', () => {
    const text = fs.readFileSync(file, 'utf8')
    return text.includes('use server') ? createHash('sha256').update(text).digest('hex').slice(0, 16) : '-'
  })
}

/**
 * Keys the cacheDirectory of every following loader whose path matches `babelLoader` on `imports` (the file's import
 * specifiers). Loaders read their options from the module's own loader list (`getOptions`), so the entry there is
 * replaced, per module, by one with the new `cacheIdentifier`.
 */
export function keyBabelCache(loader: LoaderContext<unknown>, babelLoader: RegExp, imports: string[], options: CacheKeyOptions): void {
  const root = options.root ?? loader.rootContext
  const alias = Object.entries(options.alias ?? {}).sort((a, b) => b[0].length - a[0].length)
  const moduleLoaders = (loader._module as { loaders?: { loader: string; options?: unknown }[] } | undefined)?.loaders
  let digest: string | undefined
  for (let i = loader.loaderIndex + 1; i < loader.loaders.length; i++) {
    const entry = loader.loaders[i]
    const item = moduleLoaders?.[i]
    if (!babelLoader.test(entry.path) || !item || item.loader !== entry.path) continue
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
