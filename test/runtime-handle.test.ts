// loadServerAction / handleActionRequest (babel-plugin-use-server/server) on real plugin output: a 'use server' file
// and an inline action are compiled, written inside the project (so their runtime import resolves to dist/, as the
// handler's does) and imported by Node; requests are made the way React's client makes them (encodeReply, and the
// hidden fields of a progressive-enhancement form). Bad requests must be refused with a 4xx and never call anything.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import plugin from '../src/index.ts'
import { createManifest, reactServerManifestForLoader, toReactServerManifest, type ServerManifest } from '../src/manifest/index.ts'
import type { UseServerMetadata } from '../src/index.ts'
import { babel } from './support/babel'

process.env.USE_SERVER_ENCRYPTION_KEY = Buffer.alloc(32, 0x5e).toString('base64')

const root = path.resolve(import.meta.dirname, '..')
const nativeImport = createRequire(import.meta.url)('./support/native-import.cjs') as (url: string) => Promise<Record<string, any>>
const flightServer = await import('react-server-dom-webpack/server') as any
const flightClient = await import('react-server-dom-webpack/client') as any

const sources: Record<string, string> = {
  'actions.js': `'use server'
export async function add(a, b) {
  globalThis.__handleCalls.push(['add', a, b])
  return a + b
}
export async function signedOut() {
  globalThis.__handleCalls.push(['signedOut'])
  throw Object.assign(new Error('Not signed in'), { status: 401 })
}
export async function broken() {
  throw new Error('database password is hunter2')
}`,
  'page.js': `export function makeRename(params) {
  async function rename(formData) {
    'use server'
    globalThis.__handleCalls.push(['rename', params.id, formData.get('title')])
    return 'renamed ' + params.id
  }
  return rename
}`,
}

let dir: string
let server: Record<string, any>
let manifest: ServerManifest
const modules: Record<string, Record<string, any>> = {}
const ids: Record<string, string> = {}
const calls: unknown[][] = ((globalThis as any).__handleCalls = [])

beforeAll(async () => {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true })
  dir = fs.mkdtempSync(path.join(root, '.cache', 'handle-'))
  const metas: UseServerMetadata[] = []
  for (const [name, source] of Object.entries(sources)) {
    const result = babel.transformSync(source, {
      filename: path.join(dir, name), babelrc: false, configFile: false, sourceType: 'module',
      plugins: [[plugin, { environment: 'server', root: dir }]],
    })!
    const meta = (result.metadata as { useServer: UseServerMetadata }).useServer
    metas.push(meta)
    for (const action of meta.actions) ids[action.name.replace(/^_\$\$action_/, '')] = action.id
    fs.writeFileSync(path.join(dir, name.replace(/\.js$/, '.mjs')), result.code!)
  }
  for (const name of Object.keys(sources)) modules[name] = await nativeImport(pathToFileURL(path.join(dir, name.replace(/\.js$/, '.mjs'))).href)
  manifest = createManifest(metas)
  server = await nativeImport(import.meta.resolve('babel-plugin-use-server/server'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
beforeEach(() => { calls.length = 0 })

const loadModule = (module: string) => modules[module]
const options = () => ({ manifest, loadModule, onError: () => {} })

/** A `callServer` request as the browser sends it: POST, the action ID in a header, `encodeReply` of the arguments. */
async function callRequest(id: string, args: unknown[] | string): Promise<Request> {
  const body = typeof args === 'string' ? args : await flightClient.encodeReply(args)
  return new Request('http://localhost/posts/7', { method: 'POST', headers: { 'rsc-action-id': id }, body })
}

async function decode(response: Response): Promise<unknown> {
  return flightClient.createFromReadableStream(response.body, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
  })
}

/** What the client receives for a rendered server reference: React's form-action encoding of it (ID + bound values). */
async function toClient(fn: unknown): Promise<any> {
  const stream = flightServer.renderToReadableStream({ fn }, {})
  const model = await flightClient.createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
  })
  return model.fn
}

/** The POST of a form whose action is `stub`, as react-dom renders and the browser submits it without JavaScript. */
async function formRequest(stub: any, fields: Record<string, string>, tamper?: (value: string) => string): Promise<Request> {
  let encoded
  for (;;) {
    try {
      encoded = stub.$$FORM_ACTION('P')
      break
    } catch (thenable) {
      if (typeof (thenable as PromiseLike<unknown>)?.then !== 'function') throw thenable
      await thenable // react-dom suspends the same way until the bound values are there
    }
  }
  const form = new FormData()
  if (encoded.name) form.append(encoded.name, '')
  encoded.data?.forEach((value: string, key: string) => form.append(key, tamper ? tamper(value) : value))
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  return new Request('http://localhost/posts/7', { method: 'POST', body: form })
}

function flipCiphertext(text: string, ciphertext: string): string {
  const i = Math.floor(ciphertext.length / 2)
  const flipped = ciphertext.slice(0, i) + (ciphertext[i] === 'A' ? 'B' : 'A') + ciphertext.slice(i + 1)
  return text.split(ciphertext).join(flipped)
}

describe('loadServerAction', () => {
  it('returns the export the manifest names', async () => {
    const fn = await server.loadServerAction(ids.add, { manifest, loadModule })
    expect(fn).toBe(modules['actions.js'].add)
    expect(await fn(1, 2)).toBe(3)
  })

  it('rejects an unknown ID with status 404, without loading anything', async () => {
    let loaded = 0
    for (const id of ['nope', '__proto__', 'constructor', '']) {
      const error = await server.loadServerAction(id, { manifest, loadModule: () => { loaded++ } }).catch((e: unknown) => e)
      expect(error).toMatchObject({ status: 404, code: 'USE_SERVER_UNKNOWN_ACTION' })
    }
    expect(loaded).toBe(0)
  })

  it('rejects a manifest entry whose export is missing with a 500', async () => {
    const error = await server.loadServerAction(ids.add, { manifest, loadModule: () => ({}) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 500, code: 'USE_SERVER_NOT_A_FUNCTION' })
  })
})

describe('React server manifests', () => {
  it('maps action IDs to bundler module IDs and chunks', () => {
    const react = toReactServerManifest(manifest, { moduleId: (m) => `./src/${m}`, chunks: (m) => [`c-${m}`, `${m}.js`] })
    expect(react[ids.add]).toEqual({ id: './src/actions.js', chunks: ['c-actions.js', 'actions.js.js'], name: 'add' })
    expect(react[ids.rename]).toEqual({ id: './src/page.js', chunks: ['c-page.js', 'page.js.js'], name: '_$$action_rename' })
  })

  it('reactServerManifestForLoader makes every module its own chunk (for installModuleLoading)', () => {
    expect(reactServerManifestForLoader(manifest)[ids.add]).toEqual({ id: 'actions.js', chunks: ['actions.js', 'actions.js'], name: 'add' })
  })
})

describe('handleActionRequest: callServer requests', () => {
  it('calls the action with the decoded arguments and renders the result with Flight', async () => {
    const response = await server.handleActionRequest(await callRequest(ids.add, [2, 3]), options())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/x-component/)
    expect(await decode(response)).toBe(5)
    expect(calls).toEqual([['add', 2, 3]])
  })

  it('refuses an unknown action ID with a 404', async () => {
    const response = await server.handleActionRequest(await callRequest('0'.repeat(40), [1, 2]), options())
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ code: 'USE_SERVER_UNKNOWN_ACTION' })
    expect(calls).toEqual([])
  })

  it.each([
    ['not JSON', '{"oops'],
    ['not a list', '{"a":1}'],
    ['a reference to a server function that does not exist', '["$h1"]'],
  ])('refuses a malformed body (%s) with a 400', async (_name, body) => {
    const response = await server.handleActionRequest(await callRequest(ids.add, body), options())
    expect(response.status).toBe(400)
    expect(calls).toEqual([])
  })

  it('refuses a multipart body that is not multipart with a 400', async () => {
    const request = new Request('http://localhost/', {
      method: 'POST', body: 'garbage', headers: { 'rsc-action-id': ids.add, 'content-type': 'multipart/form-data; boundary=x' },
    })
    const response = await server.handleActionRequest(request, options())
    expect(response.status).toBe(400)
    expect(calls).toEqual([])
  })

  it('calls an inline action with the bound values the server sent', async () => {
    const { id, bound } = await boundOf(modules['page.js'].makeRename({ id: '7' }))
    expect(id).toBe(ids.rename)
    const form = new FormData()
    form.append('title', 'Hello')
    const response = await server.handleActionRequest(await callRequest(id, [...bound, form]), options())
    expect(response.status).toBe(200)
    expect(await decode(response)).toBe('renamed 7')
    expect(calls).toEqual([['rename', '7', 'Hello']])
  })

  it('refuses tampered bound values with a 400, and the action body never runs', async () => {
    const { id, bound } = await boundOf(modules['page.js'].makeRename({ id: '7' }))
    const form = new FormData()
    form.append('title', 'Hacked')
    for (const forged of [flipCiphertext(bound[0], bound[0]), 'not base64!', '', 42, [{ id: '8' }]]) {
      const response = await server.handleActionRequest(await callRequest(id, [forged, form]), options())
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ code: 'USE_SERVER_INVALID_BOUND' })
    }
    expect(calls).toEqual([])
  })

  it('turns an error with a 4xx status into that status, and hides the message of other errors', async () => {
    const refused = await server.handleActionRequest(await callRequest(ids.signedOut, []), options())
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ error: 'Not signed in' })
    const errors: unknown[] = []
    const broken = await server.handleActionRequest(await callRequest(ids.broken, []), { ...options(), onError: (e: unknown) => errors.push(e) })
    expect(broken.status).toBe(500)
    expect(await broken.text()).not.toContain('hunter2')
    expect(errors).toHaveLength(1)
  })

  it('without onError, writes a 500\'s stack to stderr (and nothing for a 4xx), so a failing server says why', async () => {
    const written: string[] = []
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (written.push(String(chunk)), true))
    try {
      const { onError: _, ...withoutOnError } = options()
      expect((await server.handleActionRequest(await callRequest(ids.signedOut, []), withoutOnError)).status).toBe(401)
      expect(written).toEqual([])
      const broken = await server.handleActionRequest(await callRequest(ids.broken, []), withoutOnError)
      expect(broken.status).toBe(500)
      expect(await broken.text()).not.toContain('hunter2')
    } finally {
      spy.mockRestore()
    }
    expect(written.join('')).toMatch(/^\[use-server\] A server function request failed \(500.*\nError: database password is hunter2\n\s+at /)
  })

  it('leaves requests that are not actions to the app', async () => {
    expect(await server.handleActionRequest(new Request('http://localhost/'), options())).toBeNull()
    const json = new Request('http://localhost/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(await server.handleActionRequest(json, options())).toBeNull()
    const plainForm = new FormData()
    plainForm.append('q', 'x')
    expect(await server.handleActionRequest(new Request('http://localhost/', { method: 'POST', body: plainForm }), options())).toBeNull()
  })
})

/** The ID and (resolved) bound values a client receives for a rendered reference. */
async function boundOf(fn: unknown): Promise<{ id: string; bound: any[] }> {
  const stream = flightServer.renderToReadableStream({ fn }, {})
  const model = await flightClient.createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
    encodeFormAction: (id: string, bound: PromiseLike<unknown[] | null>) => ({ id, bound }),
  })
  const { id, bound } = model.fn.$$FORM_ACTION()
  // `$$bound` of an inline action is [Promise<ciphertext>]: the client holds (and sends back) a promise.
  const values = ((await bound) ?? []) as any[]
  return { id, bound: await Promise.all(values) }
}

describe('handleActionRequest: form posts without JavaScript', () => {
  it('runs a form action with bound values and redirects back (post/redirect/get)', async () => {
    const stub = await toClient(modules['page.js'].makeRename({ id: '7' }))
    const response = await server.handleActionRequest(await formRequest(stub, { title: 'From a form' }), options())
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://localhost/posts/7')
    expect(calls).toEqual([['rename', '7', 'From a form']])
  })

  it('hands the result and the form state to renderForm', async () => {
    const stub = await toClient(modules['page.js'].makeRename({ id: '9' }))
    let seen: any
    const response = await server.handleActionRequest(await formRequest(stub, { title: 'x' }), {
      ...options(), renderForm: (result: unknown) => { seen = result; return new Response('page') },
    })
    expect(await response.text()).toBe('page')
    expect(seen.returnValue).toBe('renamed 9')
    expect(seen.request).toBeInstanceOf(Request)
  })

  it('runs a form action without bound values ($ACTION_ID_)', async () => {
    const stub = await toClient(modules['actions.js'].signedOut)
    const response = await server.handleActionRequest(await formRequest(stub, {}), options())
    expect(response.status).toBe(401)
    expect(calls).toEqual([['signedOut']])
  })

  it('refuses tampered bound values with a 400, and the action body never runs', async () => {
    const fn = modules['page.js'].makeRename({ id: '7' })
    const { bound } = await boundOf(fn)
    const stub = await toClient(fn)
    const response = await server.handleActionRequest(await formRequest(stub, { title: 'Hacked' }, (v) => flipCiphertext(v, bound[0])), options())
    expect(response.status).toBe(400)
    expect(calls).toEqual([])
  })

  it('refuses an unknown action ID with a 404 and a malformed action field with a 400', async () => {
    const unknown = new FormData()
    unknown.append(`$ACTION_ID_${'f'.repeat(40)}`, '')
    const r1 = await server.handleActionRequest(new Request('http://localhost/', { method: 'POST', body: unknown }), options())
    expect(r1.status).toBe(404)
    const malformed = new FormData()
    malformed.append('$ACTION_REF_P', '')
    malformed.append('$ACTION_P:0', '{"id":')
    const r2 = await server.handleActionRequest(new Request('http://localhost/', { method: 'POST', body: malformed }), options())
    expect(r2.status).toBe(400)
    const otherId = new FormData()
    otherId.append('$ACTION_REF_P', '')
    otherId.append('$ACTION_P:0', JSON.stringify({ id: 'e'.repeat(40), bound: null }))
    const r3 = await server.handleActionRequest(new Request('http://localhost/', { method: 'POST', body: otherId }), options())
    expect(r3.status).toBeGreaterThanOrEqual(400)
    expect(r3.status).toBeLessThan(500)
    expect(calls).toEqual([])
  })
})
