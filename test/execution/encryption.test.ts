// Captured values travel encrypted: a client can neither read them, nor change them, nor move them to another
// action; keys can be rotated. Every rejected call must fail before the action's body runs.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { KEY_A, KEY_B, load, type Loaded } from './harness'

const source = `
  export let runs = 0
  export function makeSecret(secret, user) {
    return async function reveal(greeting) { 'use server'; runs++; return greeting + ' ' + user + ': ' + secret }
  }
  export function makeOther(secret) {
    return async function other() { 'use server'; runs++; return 'other ' + secret }
  }
  export function makePlain() {
    return async function plain() { 'use server'; runs++; return 'plain' }
  }`

const SECRET = 'hunter2-ÿ-秘密-🔑'
let loaded: Loaded
let mod: Record<string, any>

beforeAll(async () => {
  loaded = await load(source)
  mod = loaded.overWire
})

afterEach(() => {
  process.env.USE_SERVER_ENCRYPTION_KEY = KEY_A
  delete process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS
})

/** The export that serves a reference's action ID (what a server calls for a request naming that ID). */
function exportFor(ref: { $$id: string }): (...args: unknown[]) => Promise<unknown> {
  const action = loaded.actions.find((a) => a.id === ref.$$id)
  if (!action) throw new Error(`no action ${ref.$$id}`)
  return mod[action.name]
}

async function ciphertext(ref: any): Promise<string> {
  expect(ref.$$bound).toHaveLength(1)
  return ref.$$bound[0]
}

/** Calls the action with a forged payload and expects a rejection before its body ran. */
async function expectRejected(ref: any, payload: unknown) {
  const before = mod.runs
  await expect(exportFor(ref)(payload, 'hi')).rejects.toThrow('USE_SERVER_INVALID_BOUND')
  expect(mod.runs).toBe(before)
}

describe('bound values are encrypted', () => {
  it('the secret is neither in the ciphertext nor in its base64 decoding', async () => {
    const ref = mod.makeSecret(SECRET, 'ada')
    const text = await ciphertext(ref)
    expect(typeof text).toBe('string')
    const bytes = Buffer.from(text, 'base64')
    for (const secret of [SECRET, 'hunter2', '秘密', 'ada']) {
      expect(text).not.toContain(secret)
      expect(bytes.toString('latin1')).not.toContain(secret)
      expect(bytes.toString('utf8')).not.toContain(secret)
      expect(bytes.includes(Buffer.from(secret))).toBe(false)
    }
    // And it is what the server decrypts: the untouched ciphertext works.
    expect(await exportFor(ref)(text, 'hi')).toBe(`hi ada: ${SECRET}`)
  })

  it('an action that captures nothing has no bound values', async () => {
    const ref = mod.makePlain()
    expect(ref.$$bound).toBeNull()
    expect(await loaded.wire(ref)).toBe('plain')
  })

  it('each rendering encrypts with a fresh IV', async () => {
    const [a, b] = [mod.makeSecret(SECRET, 'ada'), mod.makeSecret(SECRET, 'ada')]
    expect(await ciphertext(a)).not.toBe(await ciphertext(b))
  })
})

describe('tampered bound values are rejected and the body never runs', () => {
  it('flipping any single byte (every position)', async () => {
    const ref = mod.makeSecret(SECRET, 'ada')
    const bytes = Buffer.from(await ciphertext(ref), 'base64')
    for (let i = 0; i < bytes.length; i++) {
      const forged = Buffer.from(bytes)
      forged[i] ^= 0x01
      await expectRejected(ref, forged.toString('base64'))
    }
  })

  it('truncating it, or sending something that is not a ciphertext', async () => {
    const ref = mod.makeSecret(SECRET, 'ada')
    const text = await ciphertext(ref)
    const bytes = Buffer.from(text, 'base64')
    for (const length of [0, 1, 12, 27, 28, bytes.length - 16, bytes.length - 1]) {
      await expectRejected(ref, bytes.subarray(0, length).toString('base64'))
    }
    for (const junk of [text.slice(0, -4), 'not base64 !!', undefined, null, 42, [text], { value: text }]) {
      await expectRejected(ref, junk)
    }
  })

  it("the ciphertext of one action is rejected by another action", async () => {
    const secret = mod.makeSecret(SECRET, 'ada')
    const other = mod.makeOther('x')
    await expectRejected(other, await ciphertext(secret))
    await expectRejected(secret, await ciphertext(other))
  })

  it('(accepted by design) the ciphertext of another instance of the same action', async () => {
    // The action ID is the authenticated data, not the instance: a client that holds two instances of one action
    // (here rendered with different captured values) can send either's values to it. Both were given to it.
    const ada = mod.makeSecret('s1', 'ada')
    const bob = mod.makeSecret('s2', 'bob')
    expect(await exportFor(ada)(await ciphertext(bob), 'hi')).toBe('hi bob: s2')
  })
})

describe('key rotation', () => {
  it('values encrypted with key A decrypt after rotating to B with A as previous, and not without it', async () => {
    const ref = mod.makeSecret(SECRET, 'ada')
    const text = await ciphertext(ref)

    process.env.USE_SERVER_ENCRYPTION_KEY = KEY_B
    process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS = KEY_A
    expect(await exportFor(ref)(text, 'hi')).toBe(`hi ada: ${SECRET}`)

    delete process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS
    await expectRejected(ref, text)

    // New values are encrypted with B, which A alone does not accept.
    process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS = KEY_A
    const newer = await ciphertext(mod.makeSecret(SECRET, 'ada'))
    process.env.USE_SERVER_ENCRYPTION_KEY = KEY_A
    delete process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS
    await expectRejected(ref, newer)
  })
})
