// The client runtime that RPC stubs import: React's createServerReference, and a callServer the app provides.
import './webpack-globals.js'
import {
  createFromFetch as reactCreateFromFetch,
  createServerReference as reactCreateServerReference,
  encodeReply as reactEncodeReply,
} from 'react-server-dom-webpack/client'
import { runtimeError } from './errors.js'

export type CallServer = (id: string, args: unknown[]) => Promise<unknown>

let handler: CallServer | undefined

/** Sets how the browser sends a server function call to the server (e.g. fetch + encodeReply). */
export function setCallServer(callServer: CallServer): void {
  handler = callServer
}

/** Passed to every stub; forwards to the handler the app set with setCallServer. */
export function callServer(id: string, args: unknown[]): Promise<unknown> {
  if (!handler) {
    return Promise.reject(runtimeError('USE_SERVER_NO_CALL_SERVER', `Server function ${id} was called, but no way to reach the ` +
      `server is set. Call setCallServer(fn) from 'babel-plugin-use-server/client' when the app starts (in a test, ` +
      `before the call; during server rendering, server functions cannot be called).`))
  }
  return handler(id, args)
}

/** Source maps for server functions are not served by default. */
export const findSourceMapURL: ((filename: string, environment: string) => string | null) | undefined = undefined

type Stub = ((...args: unknown[]) => Promise<unknown>) & Record<string, unknown>
type CreateServerReference = (id: string, callServer: CallServer, encodeFormAction?: unknown,
  findSourceMapURL?: unknown, functionName?: string) => (...args: unknown[]) => Promise<unknown>

let ssrBuild: boolean | undefined

/**
 * Node and edge runtimes resolve React's SSR build of the Flight client, whose references ignore `callServer` and
 * throw "Server Functions cannot be called during initial render". The browser build's call it.
 */
function isSsrBuild(): boolean {
  if (ssrBuild === undefined) {
    const probe = (reactCreateServerReference as CreateServerReference)('probe', () => Promise.resolve())
    try {
      void probe()
      ssrBuild = false
    } catch {
      ssrBuild = true
    }
  }
  return ssrBuild
}

/**
 * React's createServerReference. Where React's build is the SSR one (Node: tests in Jest or Vitest, server
 * rendering), a thin reference around React's: a call goes to the function given to setCallServer once there is one
 * (a test), else to React's reference, which refuses it as during server rendering; React's form-action encoding,
 * `bind` and signature check are React's reference's own.
 */
export const createServerReference: CreateServerReference = (id, callServer, ...rest) => {
  const reference = (reactCreateServerReference as CreateServerReference)(id, callServer, ...rest) as Stub
  if (!isSsrBuild()) return reference
  const thin = function (this: unknown, ...args: unknown[]) {
    return handler ? callServer(id, args) : reference.apply(this, args)
  } as Stub
  for (const key of ['$$FORM_ACTION', '$$IS_SIGNATURE_EQUAL', 'bind'] as const) {
    const value = reference[key]
    if (typeof value === 'function') {
      Object.defineProperty(thin, key, { value: (...args: unknown[]) => value.apply(reference, args), configurable: true })
    }
  }
  Object.defineProperty(thin, 'name', { value: reference.name, configurable: true })
  return thin
}

/** React's `encodeReply` (the same build as the stubs): the body of a call, as `handleActionRequest` decodes it. */
export const encodeReply: (value: unknown, options?: unknown) => Promise<string | FormData> = reactEncodeReply

/**
 * React's `createFromFetch`: decodes a Flight response (a call's return value, a server-rendered payload). Server
 * references in it call through `callServer` (so through `setCallServer`'s function) unless `options.callServer`
 * says otherwise. In Node, React's build needs `options.serverConsumerManifest` (see the README).
 */
export const createFromFetch = (response: Promise<Response>, options?: object): Promise<unknown> =>
  (reactCreateFromFetch as (response: Promise<Response>, options: object) => Promise<unknown>)(response, { callServer, ...options })
