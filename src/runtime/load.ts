// Finding a server function by its action ID at request time: our manifest says which module and export it is,
// the app says how to load a module (a bundler's require, an `import()` map, a file loader...).
import type { ServerManifest } from '../manifest/manifest.js'
import { runtimeError } from './errors.js'

/** Loads a module of the manifest (`ManifestEntry.module`, a path relative to the plugin's `root`) and returns its namespace. */
export type LoadModule = (module: string) => unknown | Promise<unknown>

export interface LoadServerActionOptions {
  manifest: ServerManifest
  loadModule: LoadModule
}

type AnyFunction = (...args: any[]) => any

/**
 * The server function registered under `id`. Rejects with a ServerActionError (errors.ts): `USE_SERVER_UNKNOWN_ACTION`
 * (status 404) when the manifest has no such ID, `USE_SERVER_NOT_A_FUNCTION` (500) when the module's export is missing
 * or not a function (a manifest out of date with the build).
 */
export async function loadServerAction(id: string, options: LoadServerActionOptions): Promise<AnyFunction> {
  const entry = typeof id === 'string' && Object.hasOwn(options.manifest.actions, id) ? options.manifest.actions[id] : undefined
  if (!entry) throw runtimeError('USE_SERVER_UNKNOWN_ACTION', `No server function has the ID ${JSON.stringify(id)}.`)
  const namespace = (await options.loadModule(entry.module)) as Record<string, unknown> | null | undefined
  const fn = namespace != null && Object.hasOwn(namespace, entry.export) ? namespace[entry.export] : undefined
  if (typeof fn !== 'function') {
    throw runtimeError('USE_SERVER_NOT_A_FUNCTION', `The manifest maps ${id} to the export ` +
      `"${entry.export}" of ${entry.module}, but that module has no such function: is the manifest from this build?`)
  }
  return fn as AnyFunction
}
