// The client runtime that RPC stubs import: React's createServerReference, and a callServer the app provides.
// React's browser build, wherever this runs: its references call `callServer`. (The build Node resolves for
// `react-server-dom-webpack/client` is the SSR one, whose references refuse every call, so client code calling a
// server function could not be tested in Jest or Vitest.)
import './webpack-globals.js'
import {
  createFromFetch as reactCreateFromFetch,
  createServerReference as reactCreateServerReference,
  encodeReply as reactEncodeReply,
} from 'react-server-dom-webpack/client.browser'

export type CallServer = (id: string, args: unknown[]) => Promise<unknown>

let handler: CallServer | undefined

/** Sets how the browser sends a server function call to the server (e.g. fetch + encodeReply). */
export function setCallServer(callServer: CallServer): void {
  handler = callServer
}

/** Passed to every stub; forwards to the handler the app set with setCallServer. */
export function callServer(id: string, args: unknown[]): Promise<unknown> {
  if (!handler) {
    return Promise.reject(new Error(`[USE_SERVER_NO_CALL_SERVER] Server function ${id} was called, but no way to reach the ` +
      `server is set. Call setCallServer(fn) from 'babel-plugin-use-server/client' when the app starts (in a test, ` +
      `before the call; during server rendering, server functions cannot be called).`))
  }
  return handler(id, args)
}

/** Source maps for server functions are not served by default. */
export const findSourceMapURL: ((filename: string, environment: string) => string | null) | undefined = undefined

export const createServerReference: (id: string, callServer: CallServer, encodeFormAction?: unknown,
  findSourceMapURL?: unknown, functionName?: string) => (...args: unknown[]) => Promise<unknown> = reactCreateServerReference

/** React's `encodeReply` (the same build as the stubs): the body of a call, as `handleActionRequest` decodes it. */
export const encodeReply: (value: unknown, options?: unknown) => Promise<string | FormData> = reactEncodeReply

/** React's `createFromFetch`: decodes the Flight response of a call (its return value). */
export const createFromFetch: (response: Promise<Response>, options?: unknown) => Promise<unknown> = reactCreateFromFetch
