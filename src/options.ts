// Options are normalised and validated once per plugin instance: a wrong name or type fails when the plugin loads.
import { optionError } from './errors.js'

export interface PluginOptions {
  /** Which build this is: the server (register functions) or the client (RPC stubs). */
  environment: 'server' | 'client'
  /** The project root; IDs and every path in output and metadata are relative to it. Default: Babel's root/cwd. */
  root?: string
  /** Mixed into every action ID. Default: ''. */
  salt?: string
  /** Import source of the server runtime. Default: 'babel-plugin-use-server/server'. */
  serverRuntime?: string
  /** Import source of the client runtime. Default: 'babel-plugin-use-server/client'. */
  clientRuntime?: string
}

export interface NormalizedOptions {
  environment: 'server' | 'client'
  root: string | undefined
  salt: string
  serverRuntime: string
  clientRuntime: string
}

const KNOWN = ['environment', 'root', 'salt', 'serverRuntime', 'clientRuntime']

export function normalizeOptions(raw: unknown): NormalizedOptions {
  const options = (raw ?? {}) as Record<string, unknown>
  if (typeof options !== 'object' || Array.isArray(options)) throw optionError('options must be an object.')
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw optionError(`unknown option "${key}". Known options: ${KNOWN.join(', ')}.`)
  }
  const { environment, root, salt = '', serverRuntime, clientRuntime } = options
  if (environment !== 'server' && environment !== 'client') {
    throw optionError(`"environment" must be 'server' or 'client' (got ${JSON.stringify(environment)}).`)
  }
  if (root !== undefined && (typeof root !== 'string' || root === '')) throw optionError('"root" must be a non-empty string path.')
  if (typeof salt !== 'string') throw optionError('"salt" must be a string.')
  for (const [name, value] of [['serverRuntime', serverRuntime], ['clientRuntime', clientRuntime]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw optionError(`"${name}" must be a module specifier string.`)
  }
  return {
    environment,
    root: root as string | undefined,
    salt,
    serverRuntime: (serverRuntime as string | undefined) ?? 'babel-plugin-use-server/server',
    clientRuntime: (clientRuntime as string | undefined) ?? 'babel-plugin-use-server/client',
  }
}
