// Which @babel/core the Vite/Rollup plugin runs: the `babelCore` option, else the project's own (resolved from the root).
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** What this plugin needs of @babel/core (7 or 8). */
export interface BabelCore {
  version: string
  transformAsync(code: string, options: Record<string, unknown>): Promise<{ code?: string | null; map?: unknown; metadata?: unknown } | null>
}

/**
 * The `given` @babel/core (an object, or a function that makes one), else the one `root`'s package resolves. Rejects
 * with a message naming the root and the `babelCore` option when none is installed there.
 */
export async function loadBabel(given: BabelCore | (() => BabelCore | Promise<BabelCore>) | undefined, root: string): Promise<BabelCore> {
  if (given) return typeof given === 'function' ? given() : given
  let resolved: string
  try {
    resolved = createRequire(path.join(root, 'package.json')).resolve('@babel/core')
  } catch {
    throw new Error(`[use-server] @babel/core is not installed in ${root}; install it or pass the \`babelCore\` option.`)
  }
  // CommonJS build: require (Node loads Babel 8's ES modules through require too); ES build: import().
  const loaded: any = typeof require === 'function' ? require(resolved) : await import(pathToFileURL(resolved).href)
  return loaded.default?.transformAsync ? loaded.default : loaded
}
