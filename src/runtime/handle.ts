// One request → one server function call, on Web Request/Response. Two shapes of request reach it:
//   - a call from the browser's `callServer`: POST, the action ID in a header (`rsc-action-id` by default), the
//     arguments as `encodeReply` made them (text, or multipart when they hold files / FormData);
//   - a progressive-enhancement form POST (no JavaScript yet): the fields React DOM rendered into the form
//     (`$ACTION_ID_<id>`, or `$ACTION_REF_n` + `$ACTION_n:…` for a reference with bound values).
// Before any byte of the body is read, a cross-origin request is refused (403, origin.ts) and a body declared larger
// than the limit too (413); the body is then read under the limit (body.ts) and only then decoded, by React
// (`decodeReply`, `decodeAction`, `decodeFormState`), never by us, and only with a React release that has no
// published advisory (react-version.ts). An unknown ID, a body React cannot decode, bound values that fail
// decryption and errors that carry a 4xx `status` become a 4xx response; the server function does not run for any
// of them (bound values are checked before the body of an inline action).
import type { ReactServerManifest } from '../manifest/react.js'
import { writeStderr } from '../notice.js'
import { bodyLimitOf, declaredTooLarge, readForm, readReply } from './body.js'
import { runtimeError, ServerActionError, statusOf } from './errors.js'
import { loadServerAction, moduleLoaderOf, type LoadModule, type LoadServerActionOptions } from './load.js'
import { reactManifestFor } from './module-loading.js'
import { originRefusal, type OriginOptions } from './origin.js'
import { assertPatchedReact } from './react-version.js'

type FlightServer = {
  decodeReply(body: string | FormData, manifest: unknown, options?: { temporaryReferences?: unknown }): PromiseLike<unknown>
  decodeAction(body: FormData, manifest: unknown): Promise<() => unknown> | null
  decodeFormState(result: unknown, body: FormData, manifest: unknown): Promise<unknown>
  renderToReadableStream(model: unknown, clientManifest: unknown,
    options?: { onError?: (error: unknown) => string | void; temporaryReferences?: unknown }): ReadableStream<Uint8Array>
  createTemporaryReferenceSet(): unknown
}

let flight: Promise<FlightServer> | undefined
/** React's server decoders, once the installed release is known to be patched (else rejects, every time). */
async function flightServer(): Promise<FlightServer> {
  await assertPatchedReact()
  return (flight ??= import('react-server-dom-webpack/server').then((ns: any) => (ns.decodeReply ? ns : ns.default) as FlightServer,
    (error: Error) => {
      flight = undefined
      throw runtimeError('USE_SERVER_NO_FLIGHT', 'handleActionRequest needs react-server-dom-webpack and the ' +
        `'react-server' export condition (node --conditions=react-server, or resolve.conditionNames). ${error.message}`, error)
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

/**
 * `manifest` with `loadModule` or `reactManifest` (LoadServerActionOptions: in a webpack-built server, give the
 * `reactManifest` UseServerPlugin writes, and `loadModule` may be left out; elsewhere, without `reactManifest`,
 * React's module globals are installed on top of `loadModule`, see `installModuleLoading`), and these settings.
 */
export type HandleActionOptions = LoadServerActionOptions & HandleActionSettings

export interface HandleActionSettings extends OriginOptions {
  /** The client manifest (react-client-manifest.json) for rendering a result that holds client components. */
  clientManifest?: unknown
  /** The header that carries the action ID of a `callServer` request. Default `rsc-action-id`. */
  actionIdHeader?: string
  /** The Flight model to send back for a return value (default: the value itself). */
  renderResult?: (returnValue: unknown, request: Request) => unknown
  /** The response to a form POST without JavaScript (default: 303 back to the same URL, post/redirect/get). */
  renderForm?: (result: FormActionResult) => Response | Promise<Response>
  /**
   * Errors of server functions (and of rendering their result), for logging: every 500, whose details the response
   * leaves out. 4xx refusals are not reported. Default: the error's stack, written to stderr.
   */
  onError?: (error: unknown) => void
  /**
   * The largest request body read, in bytes (default 1 MiB = 1_048_576; `Infinity` for no limit). Counted as the body
   * streams in, whatever `Content-Length` says, for text and multipart bodies (every part and file counts). Over it:
   * 413 `USE_SERVER_BODY_TOO_LARGE`, nothing decoded, nothing run. Form POSTs are read under it before it is known
   * whether they are actions.
   */
  maxBodyBytes?: number
}

/**
 * Handles a server function request. Resolves to `null` when the request is not one (not a POST, or a form
 * without React's action fields), so that the app can serve it otherwise; never rejects for a bad request.
 * A POST with the action ID header, or with a form body (multipart / URL-encoded, which may be a form action), is
 * first checked for its origin and declared size: a cross-origin form POST is refused (403) even when it would have
 * turned out not to be an action, since telling needs the body. Rejects for a deployment error: React missing
 * (`USE_SERVER_NO_FLIGHT`) or below its advisories' floor (`USE_SERVER_VULNERABLE_REACT`), no `reactManifest` in a
 * webpack bundle (`USE_SERVER_NO_REACT_MANIFEST`), no `loadModule` where none can be made
 * (`USE_SERVER_NO_LOAD_MODULE`), an invalid option (`USE_SERVER_INVALID_HANDLER_OPTION`).
 */
export async function handleActionRequest(request: Request, options: HandleActionOptions): Promise<Response | null> {
  if (request.method !== 'POST') return null
  const id = request.headers.get(options.actionIdHeader ?? 'rsc-action-id')
  if (id === null && !/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(request.headers.get('content-type') ?? '')) {
    return null
  }
  const limit = bodyLimitOf(options.maxBodyBytes)
  const refused = originRefusal(request, options) ?? declaredTooLarge(request, limit)
  if (refused) return refuse(refused, options)
  const react = await flightServer()
  const manifest = reactManifestFor(options)
  const decoding = { react, manifest, loadModule: moduleLoaderOf(options), limit }
  return id !== null ? callAction(request, id, decoding, options) : formAction(request, decoding, options)
}

interface Decoding {
  react: FlightServer
  manifest: ReactServerManifest
  loadModule: LoadModule
  limit: number
}

async function callAction(request: Request, id: string, { react, manifest, loadModule, limit }: Decoding, options: HandleActionOptions): Promise<Response> {
  let action: (...args: unknown[]) => unknown
  try {
    action = await loadServerAction(id, { manifest: options.manifest, loadModule })
  } catch (error) {
    return refuse(error, options)
  }
  let body: string | FormData
  try {
    body = await readReply(request, limit)
  } catch (error) {
    return refuse(unreadable(error, `The arguments of ${id} could not be read`), options)
  }
  const temporaryReferences = react.createTemporaryReferenceSet()
  let args: unknown
  try {
    args = await react.decodeReply(body, manifest, { temporaryReferences })
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
    onError: (error) => { report(error, options) },
  })
  return new Response(stream, { headers: { 'content-type': 'text/x-component; charset=utf-8' } })
}

async function formAction(request: Request, { react, manifest, limit }: Decoding, options: HandleActionOptions): Promise<Response | null> {
  let form: FormData
  try {
    form = await readForm(request.clone(), limit) // a clone: when it is no action, the app reads the body itself
  } catch (error) {
    return refuse(unreadable(error, 'The form data could not be read'), options)
  }
  // A form field's name, not Flight: an action without bound values is posted as `$ACTION_ID_<id>`.
  let unknown: string | undefined
  form.forEach((_value, key) => {
    if (key.startsWith('$ACTION_ID_') && !Object.hasOwn(options.manifest.actions, key.slice(11))) unknown ??= key.slice(11)
  })
  if (unknown !== undefined) {
    return refuse(runtimeError('USE_SERVER_UNKNOWN_ACTION', `No server function has the ID ${JSON.stringify(unknown)}.`), options)
  }
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

function badRequest(message: string): ServerActionError {
  return runtimeError('USE_SERVER_BAD_REQUEST', message)
}

/** A body that could not be read: over the limit stays a 413, anything else (a broken multipart body) is a 400. */
function unreadable(error: unknown, what: string): ServerActionError {
  return error instanceof ServerActionError ? error : badRequest(`${what}: ${messageOf(error)}`)
}

function refuse(error: unknown, options: HandleActionOptions): Response {
  const status = statusOf(error)
  if (status >= 500) report(error, options)
  // 4xx messages are ours or the app's deliberate refusals; 5xx details stay in the server log.
  const message = status < 500 ? messageOf(error) : 'The server function failed.'
  const code = status < 500 ? (error as { code?: unknown })?.code : undefined
  return new Response(JSON.stringify({ error: message, ...(typeof code === 'string' ? { code } : {}) }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/** A 500's error to `onError`, else to stderr: a server whose calls fail must say why somewhere. */
function report(error: unknown, options: HandleActionOptions): void {
  if (options.onError) return options.onError(error)
  const text = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error)
  writeStderr(`[use-server] A server function request failed (500; handleActionRequest's \`onError\` replaces this log):\n${text}`)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
