// Request bodies for handler tests: streams that record how far they were read, and multipart bodies written by hand.

/** A body stream that records whether anything pulled it (`state.pulled`), in chunks of `chunk` bytes. */
export function tracked(bytes: Uint8Array, chunk = 16 * 1024) {
  let offset = 0
  const state = { pulled: 0 }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled += 1
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(offset, offset + chunk))
      offset += chunk
    },
  }, { highWaterMark: 0 })
  return { stream, state }
}

/** An endless body: 64 KiB chunks until the reader stops; `state.sent` counts the bytes handed out. */
export function endless() {
  const state = { sent: 0 }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = new Uint8Array(64 * 1024).fill(0x20)
      state.sent += chunk.length
      controller.enqueue(chunk)
    },
  }, { highWaterMark: 0 })
  return { stream, state }
}

/**
 * The bytes and content type of a multipart body, written here: undici's own FormData serializer takes seconds for
 * the 20,000-part bodies below. File fields are `{ file: bytes }`.
 */
export function multipart(fields: Record<string, string | { file: Uint8Array }> | [string, string][]): { bytes: Uint8Array; type: string } {
  const boundary = '----use-server-test-boundary'
  const encoder = new TextEncoder()
  const chunks: Uint8Array[] = []
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) {
    const file = typeof value === 'string' ? null : value.file
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="f.bin"\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n`))
    chunks.push(file ?? encoder.encode(value as string), encoder.encode('\r\n'))
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`))
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length }
  return { bytes, type: `multipart/form-data; boundary=${boundary}` }
}
