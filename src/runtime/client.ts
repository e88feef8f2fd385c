// The client runtime that RPC stubs import: React's createServerReference, and a callServer the app provides.
import { createServerReference as reactCreateServerReference } from 'react-server-dom-webpack/client'
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
      `server is set. Call setCallServer(fn) from 'babel-plugin-use-server/client' when the app starts.`))
  }
  return handler(id, args)
}

/** Source maps for server functions are not served by default. */
export const findSourceMapURL: ((filename: string, environment: string) => string | null) | undefined = undefined

export const createServerReference: (id: string, callServer: CallServer, encodeFormAction?: unknown,
  findSourceMapURL?: unknown, functionName?: string) => (...args: unknown[]) => Promise<unknown> = reactCreateServerReference
