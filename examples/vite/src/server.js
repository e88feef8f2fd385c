// The server entry: answers server function calls with the functions of this build.
import { handleActionRequest } from 'babel-plugin-use-server/server'
import { loadModule, manifest } from 'babel-plugin-use-server/references'
import { greet } from './actions.js'

export { manifest }

/** A Web Request → the call's Response, or null when the request is not a server function call. */
export function handleAction(request) {
  return handleActionRequest(request, { manifest, loadModule })
}

/** Server code may call a server function directly too. */
export const warmUp = () => greet('server')
