// The AES-256-GCM keys for bound values: USE_SERVER_ENCRYPTION_KEY (base64, 32 bytes) encrypts and decrypts;
// USE_SERVER_ENCRYPTION_KEY_PREVIOUS (comma-separated) is only tried for decryption, which is how a key is rotated.
import { runtimeError } from './errors.js'
import { noticeOnce } from '../notice.js'

export interface Keys {
  current: CryptoKey
  /** Keys that are still accepted for decryption, current first. */
  accepted: CryptoKey[]
}

let cache: { source: string; keys: Promise<Keys> } | undefined
let randomKey: Uint8Array<ArrayBuffer> | undefined

/**
 * The AES-256-GCM `CryptoKey`s for bound values, from `USE_SERVER_ENCRYPTION_KEY` (base64 of 32 bytes; a random
 * per-process key with a warning when unset) and `USE_SERVER_ENCRYPTION_KEY_PREVIOUS` (comma-separated, decryption
 * only). Re-read when the variables change. Rejects with `USE_SERVER_INVALID_KEY` for a key that is not base64 of
 * exactly 32 bytes.
 */
export function getKeys(): Promise<Keys> {
  const current = process.env.USE_SERVER_ENCRYPTION_KEY ?? ''
  const previous = process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS ?? ''
  const source = `${current}\n${previous}`
  if (cache?.source !== source) cache = { source, keys: loadKeys(current, previous) }
  return cache.keys
}

async function loadKeys(current: string, previous: string): Promise<Keys> {
  const currentKey = await importKey(current ? decodeKey(current, 'USE_SERVER_ENCRYPTION_KEY') : processKey())
  const older = previous.split(',').map((s) => s.trim()).filter(Boolean)
  const accepted = [currentKey, ...await Promise.all(older.map((k) => importKey(decodeKey(k, 'USE_SERVER_ENCRYPTION_KEY_PREVIOUS'))))]
  return { current: currentKey, accepted }
}

function processKey(): Uint8Array<ArrayBuffer> {
  if (!randomKey) {
    randomKey = crypto.getRandomValues(new Uint8Array(32))
    noticeOnce('missing-key-warned', 'babel-plugin-use-server: USE_SERVER_ENCRYPTION_KEY is not set, so the values that inline server ' +
      'functions capture are encrypted with a random key made for this process: a reference rendered by one server ' +
      'instance (or before a restart) cannot be called on another. Set USE_SERVER_ENCRYPTION_KEY to the same base64 ' +
      '32-byte key on every instance (make one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))").')
  }
  return randomKey
}

function decodeKey(text: string, variable: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0))
  } catch {
    throw runtimeError('USE_SERVER_INVALID_KEY', `${variable} is not valid base64. It must be 32 random bytes in base64.`)
  }
  if (bytes.length !== 32) {
    throw runtimeError('USE_SERVER_INVALID_KEY', `${variable} decodes to ${bytes.length} bytes; AES-256-GCM needs exactly 32.`)
  }
  return bytes
}

function importKey(bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt'])
}
