// Captured values of inline actions: a direct call passes them as they are; over the wire they travel as
// AES-256-GCM ciphertext of their Flight text, with the action ID as additional authenticated data, so a client
// can neither read them nor move them to another action.
import { runtimeError, type ServerActionError } from './errors.js'
import { getKeys } from './keys.js'
import { assertPatchedReact } from './react-version.js'
import { deserialize, serialize } from './flight.js'
import { isServerReference, makeReference, restoreReference, type ServerReference } from './reference.js'

const IV_BYTES = 12
const TAG_BYTES = 16

/** Captured values handed over in-process: not something a request can produce, so never decrypted. */
const localBounds = new WeakMap<object, unknown[]>()

function localBound(values: unknown[]): object {
  const token = Object.freeze({})
  localBounds.set(token, values)
  return token
}

/** The value of an inline action at its original site: a reference to the hoisted function, captured values first. */
export function createInlineReference(target: (...args: any[]) => any, id: string, name: string,
  captured?: () => unknown[]): ServerReference {
  if (!captured) return makeReference({ target, direct: () => [], wire: () => null }, id, name)
  let wire: unknown[] | undefined
  return makeReference({
    target,
    direct: () => [localBound(captured())],
    // Computed when `$$bound` is first read (by React, when it renders the reference): the variables are set by then.
    wire: () => (wire ??= [encryptBoundValues(id, captured())]),
  }, id, name)
}

/**
 * The wire form of an inline action's captured values: the values serialized with React Flight, encrypted with
 * AES-256-GCM under the current key (see getKeys) with the action ID as additional authenticated data, as one base64
 * string of IV (12 random bytes) ‖ ciphertext ‖ tag (16 bytes). Rejects with
 * `USE_SERVER_INVALID_KEY`, `USE_SERVER_NO_FLIGHT` or `USE_SERVER_UNSERIALIZABLE_CAPTURE`.
 */
export async function encryptBoundValues(id: string, values: unknown[]): Promise<string> {
  const plaintext = await serialize(values)
  const { current } = await getKeys()
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(id) }, current, plaintext))
  const out = new Uint8Array(IV_BYTES + sealed.length)
  out.set(iv)
  out.set(sealed, IV_BYTES)
  return toBase64(out)
}

/** Runs first in every hoisted action that captures values; the action body never runs with values that fail here. */
export async function decryptBoundValues(id: string, payload: unknown): Promise<unknown[]> {
  let value: unknown
  try {
    value = await payload
  } catch (cause) {
    throw invalid(id, 'the encrypted value did not arrive', cause)
  }
  if (value !== null && typeof value === 'object' && localBounds.has(value)) return localBounds.get(value)!
  if (typeof value !== 'string') throw invalid(id, 'the first argument is not the encrypted value the server sent')
  await assertPatchedReact() // the values are decoded with React's Flight client below
  const bytes = fromBase64(value)
  if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw invalid(id, 'the ciphertext is malformed or truncated')
  const { accepted } = await getKeys()
  for (const key of accepted) {
    let plaintext: ArrayBuffer
    try {
      plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: aad(id) },
        key, bytes.subarray(IV_BYTES))
    } catch {
      continue
    }
    const values = await deserialize(new Uint8Array(plaintext), (refId, bound) => ({ [DECODED]: { refId, bound } }))
    if (!Array.isArray(values)) throw invalid(id, 'the decrypted value is not a list')
    return (await restoreReferences(values)) as unknown[]
  }
  throw invalid(id, 'it was tampered with, truncated, encrypted for another action, or with a key this server does not have')
}

function invalid(id: string, why: string, cause?: unknown): ServerActionError {
  return runtimeError('USE_SERVER_INVALID_BOUND', `The bound values of server function ${id} were rejected: ${why}.`, cause)
}

const DECODED = Symbol('decoded server reference')

/** Flight decodes a server reference as a client stub; put the registered server function (bound alike) in its place. */
async function restoreReferences(value: unknown, seen = new Set<unknown>()): Promise<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return value
  seen.add(value)
  if (typeof value === 'function') {
    const encode = (value as { $$FORM_ACTION?: () => unknown }).$$FORM_ACTION
    if (isServerReference(value) || typeof encode !== 'function') return value
    const { refId, bound } = (encode.call(value) as { [DECODED]: { refId: string; bound: unknown } })[DECODED]
    const restored = restoreReference(refId, ((await bound) as unknown[] | null) ?? [])
    if (!restored) throw runtimeError('USE_SERVER_NOT_LOADED', `A captured server function (${refId}) is not loaded in this process.`)
    return restored
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = await restoreReferences(value[i], seen)
  } else if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, await restoreReferences(v, seen))
  } else if (value instanceof Set) {
    const items = [...value]
    value.clear()
    for (const item of items) value.add(await restoreReferences(item, seen))
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = await restoreReferences(record[key], seen)
  }
  return value
}

function aad(id: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`use-server:${id}`)
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}
