// Bound values travel as React Flight text: React's own serializer keeps Dates, Maps, Sets, BigInts, undefined,
// NaN, -0 and server references. Loaded lazily, so modules that never bind values need no react-server condition.

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
    throw new Error('[USE_SERVER_NO_FLIGHT] Inline server functions serialize their captured values with React ' +
      "Flight: this needs react-server-dom-webpack and the 'react-server' export condition " +
      `(node --conditions=react-server). ${error.message}`)
  }))
}

function flightClient(): Promise<FlightClient> {
  return (client ??= import('react-server-dom-webpack/client').then(moduleOf<FlightClient>))
}

function moduleOf<T>(namespace: unknown): T {
  const ns = namespace as T & { default?: T }
  return ('renderToReadableStream' in (ns as object) || 'createFromReadableStream' in (ns as object) ? ns : ns.default) as T
}

export async function serialize(values: unknown[]): Promise<string> {
  const { renderToReadableStream } = await flightServer()
  let failure: unknown
  const stream = renderToReadableStream(values, {}, { onError: (error) => { failure ??= error } })
  let text = ''
  const decoder = new TextDecoder()
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true })
  text += decoder.decode()
  if (failure !== undefined) {
    throw new Error(`[USE_SERVER_UNSERIALIZABLE_CAPTURE] A value captured by an inline server function cannot be ` +
      `serialized: ${(failure as Error)?.message ?? failure}`)
  }
  return text
}

/** Decodes Flight text; `onReference` turns each server reference found into the value to use in its place. */
export async function deserialize(text: string, encodeFormAction: (id: string, bound: unknown) => unknown): Promise<unknown> {
  const { createFromReadableStream } = await flightClient()
  const bytes = new TextEncoder().encode(text)
  const stream = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(bytes); controller.close() } })
  return createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
    encodeFormAction,
  })
}
