// Request bodies under a byte limit, counted while they stream in: a body over the limit is refused (413) before
// React decodes anything. Multipart bodies are counted as bytes on the wire, so every part and file counts.
import { runtimeError, type ServerActionError } from './errors.js'

/** 1 MiB, like Next.js's `serverActions.bodySizeLimit`. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576

/** The limit in bytes: `maxBodyBytes` (a positive integer, or `Infinity` for none), else 1 MiB. */
export function bodyLimitOf(maxBodyBytes: number | undefined): number {
  if (maxBodyBytes === undefined) return DEFAULT_MAX_BODY_BYTES
  if (typeof maxBodyBytes !== 'number' || !(maxBodyBytes > 0) || !(Number.isInteger(maxBodyBytes) || maxBodyBytes === Infinity)) {
    throw runtimeError('USE_SERVER_INVALID_HANDLER_OPTION',
      `handleActionRequest: maxBodyBytes must be a positive whole number of bytes (or Infinity), not ${String(maxBodyBytes)}.`)
  }
  return maxBodyBytes
}

/** The refusal for a request whose `Content-Length` already exceeds `limit`, before a byte is read; else null. */
export function declaredTooLarge(request: Request, limit: number): ServerActionError | null {
  const declared = request.headers.get('content-length')
  if (declared === null || !/^\d+$/.test(declared.trim()) || Number(declared) <= limit) return null
  return tooLarge(`Its Content-Length is ${declared}`, limit)
}

/**
 * The body as `encodeReply` made it: FormData for a multipart body, else text (UTF-8). Rejects with
 * `USE_SERVER_BODY_TOO_LARGE` past `limit` bytes, whatever `Content-Length` said; parse errors reject as they are.
 */
export async function readReply(request: Request, limit: number): Promise<string | FormData> {
  const bytes = await readLimited(request, limit)
  const type = request.headers.get('content-type') ?? ''
  if (/^multipart\/form-data\b/i.test(type)) return formOf(bytes, type)
  return new TextDecoder().decode(bytes)
}

/** A form body (multipart or URL-encoded) as FormData, under the same limit as `readReply`. */
export async function readForm(request: Request, limit: number): Promise<FormData> {
  return formOf(await readLimited(request, limit), request.headers.get('content-type') ?? '')
}

function formOf(bytes: Uint8Array<ArrayBuffer>, type: string): Promise<FormData> {
  // The platform's own parser, on bytes already counted.
  return new Response(bytes, { headers: { 'content-type': type } }).formData()
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const refused = declaredTooLarge(request, limit)
  if (refused) throw refused
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Stop reading: the rest of the body is never pulled from the connection into memory.
      reader.cancel().catch(() => {})
      throw tooLarge('It sent more bytes than that', limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function tooLarge(why: string, limit: number): ServerActionError {
  return runtimeError('USE_SERVER_BODY_TOO_LARGE', `The request body is larger than the ${limit}-byte limit of ` +
    `handleActionRequest (maxBodyBytes). ${why}; nothing was decoded or run.`)
}
