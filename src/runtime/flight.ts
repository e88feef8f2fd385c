// Bound values travel as a React Flight stream: React's own serializer keeps Dates, Maps, Sets, BigInts, undefined,
// NaN, -0 and server references. Loaded lazily, so modules that never bind values need no react-server condition.
import { runtimeError } from './errors.js'

type FlightServer = {
  renderToReadableStream(model: unknown, webpackMap: unknown, options?: { onError?: (error: unknown) => void }): ReadableStream<Uint8Array>
}
type FlightClient = {
  createFromReadableStream(stream: ReadableStream<Uint8Array>, options: unknown): PromiseLike<unknown>
}

let server: Promise<FlightServer> | undefined
let client: Promise<FlightClient> | undefined

function flightServer(): Promise<FlightServer> {
  return (server ??= import('react-server-dom-webpack/server').then(moduleOf<FlightServer>, (error: Error) => {
    throw runtimeError('USE_SERVER_NO_FLIGHT', 'Inline server functions serialize their captured values with React ' +
      "Flight: this needs react-server-dom-webpack and the 'react-server' export condition " +
      `(node --conditions=react-server). ${error.message}`, error)
  }))
}

function flightClient(): Promise<FlightClient> {
  return (client ??= import('react-server-dom-webpack/client').then(moduleOf<FlightClient>))
}

function moduleOf<T>(namespace: unknown): T {
  const ns = namespace as T & { default?: T }
  return ('renderToReadableStream' in (ns as object) || 'createFromReadableStream' in (ns as object) ? ns : ns.default) as T
}

/**
 * The Flight stream of `values`, as bytes: Flight rows can be binary (typed arrays, and in development the debug
 * info of awaited I/O), so the stream is never decoded as text.
 */
export async function serialize(values: unknown[]): Promise<Uint8Array<ArrayBuffer>> {
  const { renderToReadableStream } = await flightServer()
  let failure: unknown
  const stream = renderToReadableStream(values, {}, { onError: (error) => { failure ??= error } })
  const chunks: Uint8Array[] = []
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk)
  if (failure !== undefined) {
    throw runtimeError('USE_SERVER_UNSERIALIZABLE_CAPTURE', `A value captured by an inline server function cannot be ` +
      `serialized: ${(failure as Error)?.message ?? failure}`, failure)
  }
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

/** Decodes a Flight stream; `encodeFormAction` is how a decoded server reference tells its ID and bound values. */
export async function deserialize(bytes: Uint8Array, encodeFormAction: (id: string, bound: unknown) => unknown): Promise<unknown> {
  const { createFromReadableStream } = await flightClient()
  const stream = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(bytes); controller.close() } })
  return createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
    encodeFormAction,
  })
}
