// One request → one server function call, on Web Request/Response. Two shapes of request reach it:
//   - a call from the browser's `callServer`: POST, the action ID in a header (`rsc-action-id` by default), the
//     arguments as `encodeReply` made them (text, or multipart when they hold files / FormData);
//   - a progressive-enhancement form POST (no JavaScript yet): the fields React DOM rendered into the form
//     (`$ACTION_ID_<id>`, or `$ACTION_REF_n` + `$ACTION_n:…` for a reference with bound values).
// Decoding is React's (`decodeReply`, `decodeAction`, `decodeFormState`), never ours. An unknown ID, a body React
// cannot decode, bound values that fail decryption and errors that carry a 4xx `status` become a 4xx response; the
// server function does not run for any of them (bound values are checked before the body of an inline action).
import type { ReactServerManifest } from '../manifest/react.js'
import { reactServerManifestForLoader } from '../manifest/react.js'
import { loadServerAction, ServerActionError, type LoadModule, type LoadServerActionOptions } from './load.js'

declare const __webpack_modules__: unknown

type FlightServer = {
  decodeReply(body: string | FormData, manifest: unknown, options?: { temporaryReferences?: unknown }): PromiseLike<unknown>
  decodeAction(body: FormData, manifest: unknown): Promise<() => unknown> | null
  decodeFormState(result: unknown, body: FormData, manifest: unknown): Promise<unknown>
  renderToReadableStream(model: unknown, clientManifest: unknown,
    options?: { onError?: (error: unknown) => string | void; temporaryReferences?: unknown }): ReadableStream<Uint8Array>
  createTemporaryReferenceSet(): unknown
}

let flight: Promise<FlightServer> | undefined
function flightServer(): Promise<FlightServer> {
  return (flight ??= import('react-server-dom-webpack/server').then((ns: any) => (ns.decodeReply ? ns : ns.default) as FlightServer,
    (error: Error) => {
      flight = undefined
      throw new Error('[USE_SERVER_NO_FLIGHT] handleActionRequest needs react-server-dom-webpack and the ' +
        `'react-server' export condition (node --conditions=react-server, or resolve.conditionNames). ${error.message}`)
    }))
}

/** What a form POST made without JavaScript leaves for the app to render: React's form state and the result. */
export interface FormActionResult {
  request: Request
  /** The server function's return value. */
  returnValue: unknown
  /** `decodeFormState`'s result: pass it to react-dom's render as `formState` (for `useActionState`). */
  formState: unknown
}

export interface HandleActionOptions extends LoadServerActionOptions {
  /**
   * React's shape of the manifest, for `decodeReply` / `decodeAction` (see src/manifest/react.ts for how React loads
   * modules). In a webpack-built server, build it with the bundle's module IDs:
   * `toReactServerManifest(manifest, { moduleId })`. Omitted outside webpack, it is `reactServerManifestForLoader(manifest)`
   * and React's module globals are installed on top of `loadModule` (`installModuleLoading`).
   */
  reactManifest?: ReactServerManifest
  /** The client manifest (react-client-manifest.json) for rendering a result that holds client components. */
  clientManifest?: unknown
  /** The header that carries the action ID of a `callServer` request. Default `rsc-action-id`. */
  actionIdHeader?: string
  /** The Flight model to send back for a return value (default: the value itself). */
  renderResult?: (returnValue: unknown, request: Request) => unknown
  /** The response to a form POST without JavaScript (default: 303 back to the same URL, post/redirect/get). */
  renderForm?: (result: FormActionResult) => Response | Promise<Response>
  /** Errors of server functions (and of rendering their result), for logging. 4xx refusals are not reported. */
  onError?: (error: unknown) => void
}

/**
 * Handles a server function request. Resolves to `null` when the request is not one (not a POST, or a form
 * without React's action fields), so that the app can serve it otherwise; never rejects for a bad request.
 */
export async function handleActionRequest(request: Request, options: HandleActionOptions): Promise<Response | null> {
  if (request.method !== 'POST') return null
  const id = request.headers.get(options.actionIdHeader ?? 'rsc-action-id')
  if (id !== null) return callAction(request, id, options)
  const type = request.headers.get('content-type') ?? ''
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) return null
  return formAction(request, options)
}

async function callAction(request: Request, id: string, options: HandleActionOptions): Promise<Response> {
  let action: (...args: unknown[]) => unknown
  try {
    action = await loadServerAction(id, options)
  } catch (error) {
    return refuse(error, options)
  }
  const react = await flightServer()
  const temporaryReferences = react.createTemporaryReferenceSet()
  let args: unknown
  try {
    const multipart = /^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '')
    const body = multipart ? await request.formData() : await request.text()
    args = await react.decodeReply(body, reactManifestOf(options), { temporaryReferences })
  } catch (error) {
    return refuse(badRequest(`The arguments of ${id} could not be decoded: ${messageOf(error)}`), options)
  }
  if (!Array.isArray(args)) return refuse(badRequest(`The arguments of ${id} are not a list.`), options)
  let value: unknown
  try {
    value = await action.apply(null, args)
  } catch (error) {
    return refuse(error, options)
  }
  const model = options.renderResult ? options.renderResult(value, request) : value
  const stream = react.renderToReadableStream(model, options.clientManifest ?? {}, {
    temporaryReferences,
    onError: (error) => { options.onError?.(error) },
  })
  return new Response(stream, { headers: { 'content-type': 'text/x-component; charset=utf-8' } })
}

async function formAction(request: Request, options: HandleActionOptions): Promise<Response | null> {
  let form: FormData
  try {
    form = await request.clone().formData()
  } catch (error) {
    return refuse(badRequest(`The form data could not be read: ${messageOf(error)}`), options)
  }
  // A form field's name, not Flight: an action without bound values is posted as `$ACTION_ID_<id>`.
  let unknown: string | undefined
  form.forEach((_value, key) => {
    if (key.startsWith('$ACTION_ID_') && !Object.hasOwn(options.manifest.actions, key.slice(11))) unknown ??= key.slice(11)
  })
  if (unknown !== undefined) {
    return refuse(new ServerActionError('USE_SERVER_UNKNOWN_ACTION', 404, `No server function has the ID ${JSON.stringify(unknown)}.`), options)
  }
  const react = await flightServer()
  const manifest = reactManifestOf(options)
  let action: (() => unknown) | null
  try {
    action = await react.decodeAction(form, manifest)
  } catch (error) {
    return refuse(badRequest(`The form's server function could not be decoded: ${messageOf(error)}`), options)
  }
  if (!action) return null
  let returnValue: unknown
  try {
    returnValue = await action()
  } catch (error) {
    return refuse(error, options)
  }
  let formState: unknown
  try {
    formState = await react.decodeFormState(returnValue, form, manifest)
  } catch (error) {
    return refuse(badRequest(`The form state could not be decoded: ${messageOf(error)}`), options)
  }
  if (options.renderForm) return options.renderForm({ request, returnValue, formState })
  return new Response(null, { status: 303, headers: { location: request.url } })
}

const manifests = new WeakMap<object, ReactServerManifest>()

function reactManifestOf(options: HandleActionOptions): ReactServerManifest {
  if (options.reactManifest) return options.reactManifest
  if (typeof __webpack_modules__ !== 'undefined') { // webpack turns this into true in a bundle
    throw new Error('[USE_SERVER_NO_REACT_MANIFEST] In a webpack bundle, React loads server functions with the ' +
      "bundle's own __webpack_require__: pass handleActionRequest a reactManifest built with webpack module IDs, " +
      'e.g. toReactServerManifest(manifest, { moduleId: (module) => context.resolve(`./${module}`) }).')
  }
  installModuleLoading(options.loadModule)
  let react = manifests.get(options.manifest)
  if (!react) manifests.set(options.manifest, (react = reactServerManifestForLoader(options.manifest)))
  return react
}

type Globals = { __webpack_require__?: (id: string) => unknown; __webpack_chunk_load__?: (chunk: string) => Promise<unknown> }
const installed = Symbol.for('babel-plugin-use-server.module-loading')

/**
 * Without a bundler: defines the `__webpack_chunk_load__` / `__webpack_require__` globals React's server decoders
 * call, loading through `loadModule`, for manifests from `reactServerManifestForLoader`. IDs it did not load fall
 * through to globals that were there before. The last `loadModule` installed is the one used.
 */
export function installModuleLoading(loadModule: LoadModule): void {
  const g = globalThis as typeof globalThis & Globals & { [installed]?: { loadModule: LoadModule } }
  if (g[installed]) {
    g[installed].loadModule = loadModule
    return
  }
  const state = { loadModule }
  g[installed] = state
  const modules = new Map<string, unknown>()
  const previousRequire = g.__webpack_require__
  const previousChunkLoad = g.__webpack_chunk_load__
  g.__webpack_chunk_load__ = async (chunk: string) => {
    try {
      modules.set(chunk, await state.loadModule(chunk))
    } catch (error) {
      if (previousChunkLoad) return previousChunkLoad(chunk)
      throw error
    }
  }
  g.__webpack_require__ = (id: string) => {
    if (modules.has(id)) return modules.get(id)
    if (previousRequire) return previousRequire(id)
    throw new Error(`[USE_SERVER_NOT_LOADED] Module ${id} was required before it was loaded.`)
  }
}

function badRequest(message: string): ServerActionError {
  return new ServerActionError('USE_SERVER_BAD_REQUEST', 400, message)
}

/** The HTTP status an error stands for: its own 4xx `status`, 400 for rejected bound values, else 500. */
export function statusOf(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown } | null
  const status = e?.status ?? e?.statusCode
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) return status
  if (e?.code === 'USE_SERVER_INVALID_BOUND') return 400
  return 500
}

function refuse(error: unknown, options: HandleActionOptions): Response {
  const status = statusOf(error)
  if (status >= 500) options.onError?.(error)
  // 4xx messages are ours or the app's deliberate refusals; 5xx details stay in the server log.
  const message = status < 500 ? messageOf(error) : 'The server function failed.'
  const code = status < 500 ? (error as { code?: unknown })?.code : undefined
  return new Response(JSON.stringify({ error: message, ...(typeof code === 'string' ? { code } : {}) }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
