// Action IDs keyed with a secret: different secrets give different IDs, one secret gives byte-identical output from
// any checkout path, IDs computed from the source alone (empty salt, no secret) match nothing, and a production
// build without a secret makes one that both of its builds share.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import plugin from '../src/index.ts'
import { actionId } from '../src/ids.ts'
import { SECRET_ENV, SECRET_FILE } from '../src/secret.ts'
import { babel } from './support/babel'

const workDir = path.resolve(import.meta.dirname, '..', '.cache', `secret-${process.pid}`)
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }))

const actions = `'use server'
export async function save(data) { return data }
export async function remove(id) { return id }
`
const page = `import { save } from './actions'
export default async function Page({ id }) {
  async function rename(name) { 'use server'; return [id, name] }
  return [save, rename]
}
`
const client = `'use client'
import { save, remove } from './actions'
export const both = [save, remove]
`
const files = { 'app/actions.js': actions, 'app/page.js': page, 'app/form.js': client }

/** A checkout of `files` at `dir` (under the work folder): a package whose Babel root is its app/ folder. */
function checkout(dir: string): string {
  const root = path.join(workDir, dir, 'app')
  for (const [file, text] of Object.entries({ ...files, 'package.json': '{}' })) {
    fs.mkdirSync(path.dirname(path.join(root, '..', file)), { recursive: true })
    fs.writeFileSync(path.join(root, '..', file), text)
  }
  return root
}

type Env = 'server' | 'client'
/** Server and client output of every file, and the IDs the server build gave (export name → ID). */
function build(root: string, options: Record<string, unknown> = {}, envName?: string) {
  const out: Record<string, string> = {}
  const ids: Record<string, string> = {}
  for (const environment of ['server', 'client'] as Env[]) {
    for (const file of Object.keys(files)) {
      const source = path.join(root, '..', file)
      // The page (a server component with an inline action) is not a client module; the form is not a server one.
      if (file === (environment === 'server' ? 'app/form.js' : 'app/page.js')) continue
      const result = babel.transformSync(fs.readFileSync(source, 'utf8'), {
        filename: source, babelrc: false, configFile: false, sourceType: 'module', envName,
        plugins: [[plugin, { environment, root, importStubs: environment === 'client', ...options }]],
      })!
      out[`${environment}:${file}`] = result.code!
      const meta = (result.metadata as any).useServer
      if (environment === 'server' && meta) for (const action of meta.actions) ids[`${meta.file}#${action.name}`] = action.id
    }
  }
  return { out, ids }
}

/** Every 40-hex string in a build's output. */
const idsIn = (out: Record<string, string>) => new Set(Object.values(out).flatMap((code) => code.match(/\b[0-9a-f]{40}\b/g) ?? []))

let savedEnv: string | undefined
beforeEach(() => {
  savedEnv = process.env[SECRET_ENV]
  delete process.env[SECRET_ENV]
})
afterEach(() => {
  if (savedEnv === undefined) delete process.env[SECRET_ENV]
  else process.env[SECRET_ENV] = savedEnv
})

describe('action IDs keyed with a secret', () => {
  const secretA = 'first-secret-0123456789abcdef'
  const secretB = 'second-secret-0123456789abcdef'

  it('the same source under two secrets gives different IDs; client stubs carry the server build IDs', () => {
    const root = checkout('two-secrets')
    const a = build(root, { secret: secretA })
    const b = build(root, { secret: secretB })
    expect(Object.keys(a.ids).sort()).toEqual(['actions.js#remove', 'actions.js#save', 'page.js#_$$action_rename'])
    for (const key of Object.keys(a.ids)) expect(a.ids[key]).not.toBe(b.ids[key])
    for (const { out, ids } of [a, b]) {
      // Both builds agree: every ID in the client output (file stubs, import-site stubs) is one the server registers.
      const clientIds = [...idsIn({ a: out['client:app/actions.js'], b: out['client:app/form.js'] })]
      expect(clientIds).toHaveLength(2)
      for (const id of clientIds) expect(Object.values(ids)).toContain(id)
    }
  })

  it('under one secret, output is byte-identical from two checkout paths', () => {
    const one = build(checkout('checkout-one'), { secret: secretA })
    const two = build(checkout(path.join('somewhere', 'much', 'deeper', 'checkout-two')), { secret: secretA })
    expect(two.out).toEqual(one.out)
    expect(two.ids).toEqual(one.ids)
  })

  it('IDs computed from the source (empty salt, no secret) match none of the keyed ones', () => {
    const root = checkout('from-source')
    const plain = build(root)
    const keyed = build(root, { secret: secretA })
    const guessed = Object.keys(keyed.ids).map((key) => {
      const [file, name] = key.split('#')
      return actionId('', file, name)
    })
    // Without a secret, the guess is exactly what a development build uses …
    expect(Object.values(plain.ids).sort()).toEqual([...guessed].sort())
    // … and with one, nothing in either build's output is a guessed ID.
    const emitted = idsIn(keyed.out)
    for (const id of guessed) expect(emitted.has(id)).toBe(false)
  })

  it(`reads ${SECRET_ENV} when the option is unset, in any mode`, () => {
    const root = checkout('from-env')
    const byOption = build(root, { secret: secretA })
    process.env[SECRET_ENV] = secretA
    expect(build(root).out).toEqual(byOption.out)
    expect(build(root, {}, 'production').out).toEqual(byOption.out)
    expect(fs.existsSync(path.join(root, '..', SECRET_FILE))).toBe(false)
  })

  it('rejects a short secret with a code, from the option or the environment', () => {
    const root = checkout('short')
    expect(() => build(root, { secret: 'short' })).toThrow(/USE_SERVER_INVALID_SECRET.*"secret" option is 5 characters long/)
    process.env[SECRET_ENV] = 'also-short'
    expect(() => build(root)).toThrow(/USE_SERVER_INVALID_SECRET.*USE_SERVER_ACTION_ID_SECRET is 10 characters/)
    expect(() => build(root, { secret: 42 })).toThrow(/USE_SERVER_INVALID_OPTION.*"secret" must be a string/)
    expect(() => build(root, { production: 'yes' })).toThrow(/USE_SERVER_INVALID_OPTION.*"production" must be true or false/)
  })
})

describe('a production build without a secret', () => {
  const notedKey = Symbol.for('babel-plugin-use-server.generated-secret-noted')
  let stderr: string[]
  beforeEach(() => {
    delete (globalThis as any)[notedKey]
    stderr = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => void stderr.push(String(chunk)) ?? true)
  })
  afterEach(() => vi.restoreAllMocks())

  it('makes a secret once per checkout (in its package), which both builds and later builds share, and says what to set', () => {
    const root = checkout('generated')
    const file = path.join(root, '..', SECRET_FILE)
    const first = build(root, {}, 'production')
    const secret = fs.readFileSync(file, 'utf8').trim()
    expect(secret).toMatch(/^[\w-]{43}$/) // 32 random bytes, base64url
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(first.out).toEqual(build(root, { secret }).out)
    expect(build(root, {}, 'production').out).toEqual(first.out) // read again, not replaced
    expect(fs.readdirSync(path.dirname(file))).toEqual(['action-id-secret']) // no temporary file left
    expect(stderr).toHaveLength(1) // once per process
    expect(stderr[0]).toContain(`action IDs are keyed with the secret generated in ${file}`)
    expect(stderr[0]).toContain(`set ${SECRET_ENV}`)
  })

  it('production: false (or a development env) keeps the unkeyed IDs and makes no file', () => {
    const root = checkout('not-production')
    const plain = build(root)
    expect(build(root, { production: false }, 'production').out).toEqual(plain.out)
    expect(build(root, {}, 'development').out).toEqual(plain.out)
    expect(build(root, { production: true }).out).not.toEqual(plain.out)
    expect(stderr).toHaveLength(1)
  })

  it('a damaged secret file is an error that says how to recover', () => {
    const root = checkout('damaged')
    fs.mkdirSync(path.dirname(path.join(root, '..', SECRET_FILE)), { recursive: true })
    fs.writeFileSync(path.join(root, '..', SECRET_FILE), '\n')
    expect(() => build(root, {}, 'production')).toThrow(/USE_SERVER_INVALID_SECRET.*delete the file to make a new one/)
  })
})
