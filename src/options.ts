// Options are normalised and validated once per plugin instance: a wrong name or type fails when the plugin loads.
import { OptionValidator } from '@babel/helper-validator-option'
import { optionError } from './errors.js'

export interface PluginOptions {
  /** Which build this is: the server (register functions) or the client (RPC stubs). */
  environment: 'server' | 'client'
  /** The project root; IDs and every path in output and metadata are relative to it. Default: Babel's root/cwd. */
  root?: string
  /** Mixed into every action ID. Default: ''. */
  salt?: string
  /**
   * Keys every action ID (HMAC-SHA256), so IDs cannot be computed from the source; at least 16 characters, the same
   * for the client and the server build. Default: the USE_SERVER_ACTION_ID_SECRET environment variable, else in
   * production a secret generated once per checkout (see secret.ts), else none.
   */
  secret?: string
  /** Is this a production build (which gets a generated secret when none is set)? Default: Babel's env is 'production'. */
  production?: boolean
  /** Import source of the server runtime. Default: 'babel-plugin-use-server/server'. */
  serverRuntime?: string
  /** Import source of the client runtime. Default: 'babel-plugin-use-server/client'. */
  clientRuntime?: string
  /**
   * Client environment: replace imports of 'use server' modules with RPC stubs where they are written, so the
   * server module never enters the client graph. Default: false (see the README on build caches).
   */
  importStubs?: boolean
  /** With importStubs: import prefixes mapped to folders (relative to root), e.g. `{ '@/': 'src/' }`. */
  alias?: Record<string, string>
}

export interface NormalizedOptions {
  environment: 'server' | 'client'
  root: string | undefined
  salt: string
  secret: string | undefined
  production: boolean | undefined
  serverRuntime: string
  clientRuntime: string
  importStubs: boolean
  alias: [prefix: string, target: string][]
}

/** Every option name, once: the unknown-name check and its "did you mean" suggestion read this. */
const OPTION_NAMES: Record<keyof PluginOptions, true> = {
  environment: true, root: true, salt: true, secret: true, production: true, serverRuntime: true, clientRuntime: true, importStubs: true, alias: true,
}

const validator = new OptionValidator('babel-plugin-use-server')

/**
 * Checks the plugin's options and fills in defaults (`salt` '', the runtimes' package entries, `importStubs` false,
 * `alias` sorted longest prefix first). Throws `UseServerError` with code `USE_SERVER_INVALID_OPTION` for an unknown
 * name (with the closest known one: "did you mean 'salt'?"), a wrong type or a missing `environment`.
 */
export function normalizeOptions(raw: unknown): NormalizedOptions {
  const options = (raw ?? {}) as Record<string, unknown>
  if (typeof options !== 'object' || Array.isArray(options)) throw optionError('options must be an object.')
  try {
    validator.validateTopLevelOptions(options, OPTION_NAMES)
  } catch (error) {
    // The validator's message already names the plugin; ours adds the code and the list.
    const message = (error as Error).message.replace(/^babel-plugin-use-server: /, '')
    throw optionError(`${message}\n- Known options: ${Object.keys(OPTION_NAMES).join(', ')}.`)
  }
  const { environment, root, salt = '', secret, production, serverRuntime, clientRuntime, importStubs = false, alias = {} } = options
  if (environment !== 'server' && environment !== 'client') {
    throw optionError(`"environment" must be 'server' or 'client' (got ${JSON.stringify(environment)}).`)
  }
  if (root !== undefined && (typeof root !== 'string' || root === '')) throw optionError('"root" must be a non-empty string path.')
  if (typeof salt !== 'string') throw optionError('"salt" must be a string.')
  if (secret !== undefined && typeof secret !== 'string') throw optionError('"secret" must be a string.')
  if (production !== undefined && typeof production !== 'boolean') throw optionError('"production" must be true or false.')
  for (const [name, value] of [['serverRuntime', serverRuntime], ['clientRuntime', clientRuntime]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw optionError(`"${name}" must be a module specifier string.`)
  }
  if (typeof importStubs !== 'boolean') throw optionError('"importStubs" must be true or false.')
  if (typeof alias !== 'object' || alias === null || Array.isArray(alias) ||
    Object.values(alias).some((target) => typeof target !== 'string')) {
    throw optionError('"alias" must map import prefixes to folder paths, e.g. { "@/": "src/" }.')
  }
  return {
    environment,
    root: root as string | undefined,
    salt,
    secret: secret as string | undefined,
    production: production as boolean | undefined,
    serverRuntime: (serverRuntime as string | undefined) ?? 'babel-plugin-use-server/server',
    clientRuntime: (clientRuntime as string | undefined) ?? 'babel-plugin-use-server/client',
    importStubs,
    // Longest prefix first, so '@/lib/' wins over '@/'.
    alias: Object.entries(alias as Record<string, string>).sort((a, b) => b[0].length - a[0].length),
  }
}
