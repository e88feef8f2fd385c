// babel-plugin-use-server/node: Node's `http` request/response ↔ the Web Request/Response that handleActionRequest
// speaks, and a listener/middleware made of the two.
//
//   import http from 'node:http'
//   import { createActionListener } from 'babel-plugin-use-server/node'
//   http.createServer(createActionListener({ manifest, loadModule })).listen(3000)
//   // in a webpack-built server: createActionListener({ manifest, reactManifest }) (loadModule from React's manifest)
//
// Express: `app.use(createActionListener({ manifest, loadModule }))` before any body parser (the handler reads the
// raw body); requests that are not server function calls go to `next()`.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { runtimeError } from './errors.js'
import { handleActionRequest, type HandleActionOptions } from './handle.js'

export interface ToWebRequestOptions {
  /**
   * Take the URL's protocol and host from `X-Forwarded-Proto` / `X-Forwarded-Host` (first value of each). Only when
   * a proxy you run sets them: a client can send anything. Default false: `Host`, and `https` on a TLS socket.
   */
  trustProxy?: boolean
  /** The Request's `signal` (e.g. one aborted when the response closes early). */
  signal?: AbortSignal
}

/**
 * A Web Request for a Node request: method, URL (from `Host`, or the forwarded headers with `trustProxy`), headers
 * (repeated ones appended), and the body as a stream (none for GET/HEAD). The body is the request stream itself:
 * don't read `req` after this.
 */
export function toWebRequest(req: IncomingMessage, options: ToWebRequestOptions = {}): Request {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]
    // HTTP/2 pseudo-headers (":path", …) are not header names Fetch accepts.
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1])
  }
  const encrypted = Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted)
  let protocol = encrypted ? 'https' : 'http'
  let host = req.headers.host ?? req.headers[':authority'] ?? 'localhost'
  if (options.trustProxy) {
    protocol = firstValue(req.headers['x-forwarded-proto']) ?? protocol
    host = firstValue(req.headers['x-forwarded-host']) ?? host
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(req)
  return new Request(new URL(req.url ?? '/', `${protocol}://${host}`), {
    method,
    headers,
    body,
    signal: options.signal,
    // Required by Node's fetch for a streamed body.
    duplex: 'half',
  } as RequestInit)
}

/**
 * The request's body as a Web stream. Not `Readable.toWeb`: cancelling that destroys the request and with it the
 * socket, so a handler that stops reading a body over its limit (413) would reset the connection before its answer
 * is sent. Cancelling this one only stops reading; sendWebResponse drops the rest.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      const finish = (settle: () => void) => { if (open) { open = false; settle() } }
      req.once('end', () => finish(() => controller.close()))
      req.once('error', (error) => finish(() => controller.error(error)))
      req.once('close', () => finish(() => controller.error(runtimeError('USE_SERVER_BAD_REQUEST', 'The connection closed before the body ended.'))))
    },
    pull() { req.resume() },
    cancel() {
      open = false
      req.removeAllListeners('data')
      req.pause()
    },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength })
}

/**
 * Bytes of an unread request body that are read and dropped after an early answer (a refusal: too large, another
 * origin), so that the client gets the answer rather than a reset while it is still sending, and the connection can
 * carry its next request. Past this the connection is cut instead.
 */
const DRAIN_BYTES = 8 * 1024 * 1024

function drainRest(req: IncomingMessage): void {
  if (req.complete) return
  let drained = 0
  req.removeAllListeners('data') // the Web stream's: nobody reads it any more
  req.on('data', (chunk: Buffer) => { if ((drained += chunk.length) > DRAIN_BYTES) req.socket.destroy() })
  req.resume()
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header
  const first = text?.split(',')[0].trim()
  return first ? first : undefined
}

/**
 * Writes a Web Response to a Node response: status, headers (each `Set-Cookie` on its own line), and the body
 * streamed with back-pressure. A request body nobody read whole (an early refusal) is read and dropped, up to
 * 8 MiB, then the connection is cut. Resolves when the body is written; rejects if the body stream fails (the response is
 * then destroyed, since a status line was already sent).
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (res.req) drainRest(res.req)
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => { if (name !== 'set-cookie') headers[name] = value })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, response.statusText || undefined, headers)
  if (!response.body) {
    res.end()
    return
  }
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), res)
}

/** handleActionRequest's options, and toWebRequest's. */
export type ActionListenerOptions = HandleActionOptions & ToWebRequestOptions

/** A Node request listener, and an Express/Connect middleware when given `next`. */
export type ActionListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>

/**
 * Serves server function calls (see handleActionRequest) on Node's `http`. Other requests go to `next()` when
 * there is one (Express, Connect), else get a 404. An error thrown while answering goes to `next(error)`, or
 * becomes a 500 (after `onError`) when headers were not sent yet.
 */
export function createActionListener(options: ActionListenerOptions): ActionListener {
  return async (req, res, next) => {
    // 'close' before the response finished: the client went away; the Request's signal tells the app.
    const controller = new AbortController()
    res.once('close', () => { if (!res.writableFinished) controller.abort() })
    try {
      const request = toWebRequest(req, { trustProxy: options.trustProxy, signal: controller.signal })
      const response = await handleActionRequest(request, options)
      if (response) return await sendWebResponse(res, response)
      if (next) return next()
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
    } catch (error) {
      if (next) return next(error)
      options.onError?.(error)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error')
      else res.destroy(error as Error)
    }
  }
}
