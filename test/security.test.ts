// Replayed attack classes against handleActionRequest, with the installed React: cross-origin calls (both request
// shapes), oversized bodies, Flight reference paths through the prototype chain, IDs that name what is not a
// registered action, server references read as text, cyclic thenables, deep / wide / many-part payloads, bound
// values made for another action. Each answer is a 4xx (or a 500 that ends), and `db`, the record of everything the
// app's functions did, is unchanged. Where React itself must defend, the test still pins what our endpoint answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createActionApp, type ActionApp } from './support/action-app'
import { endless, multipart, tracked } from './support/bodies'

process.env.USE_SERVER_ENCRYPTION_KEY = Buffer.alloc(32, 0x61).toString('base64')

let app: ActionApp
beforeAll(async () => {
  app = await createActionApp({
    'bank.js': `'use server'
export async function transfer(formData) { globalThis.__sec.push(['transfer', formData?.get?.('amount') ?? formData]); return 'ok' }
export async function settle(value) { const v = await value; globalThis.__sec.push(['settle', String(v)]); return 'settled' }
export async function echo(value) { globalThis.__sec.push(['echo']); return String(value) }`,
    'page.js': `export function makeRename(params) {
  return async function rename(title) { 'use server'; globalThis.__sec.push(['rename', params.id, title]); return 'renamed' }
}
export function makeDelete(params) {
  return async function remove() { 'use server'; globalThis.__sec.push(['delete', params.id]); return 'deleted' }
}
export function helper(...args) { globalThis.__sec.push(['helper', args]); return 'helper ran' }
export default function Page() { globalThis.__sec.push(['Page']); return 'page ran' }`,
  }, '__sec')
})
afterAll(() => app.remove())
beforeEach(() => { app.db.length = 0 })

const URL_ = 'http://localhost/posts/7'
const options = (extra: Record<string, unknown> = {}) => ({ manifest: app.manifest, loadModule: app.loadModule, onError: () => {}, ...extra })

function call(id: string, body: BodyInit, headers: Record<string, string> = {}, url = URL_): Request {
  return new Request(url, { method: 'POST', headers: { 'rsc-action-id': id, ...headers }, body, duplex: 'half' } as RequestInit)
}

function post(body: BodyInit, headers: Record<string, string> = {}, url = URL_): Request {
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
}

/** A form action POST as react-dom renders it without JavaScript: `$ACTION_ID_<id>` and a field. */
async function formPost(id: string, headers: Record<string, string> = {}, extra: Record<string, string | { file: Uint8Array }> = {}): Promise<Request> {
  const { bytes, type } = multipart({ [`$ACTION_ID_${id}`]: '', amount: '100', ...extra })
  return post(bytes, { 'content-type': type, ...headers })
}

async function expectRefused(response: Response | null, status: number, code?: string) {
  expect(response, 'a response').not.toBeNull()
  const text = await response!.text()
  expect(response!.status, text).toBe(status)
  if (code) expect(JSON.parse(text).code).toBe(code)
  expect(app.db).toEqual([])
}

async function decode(response: Response): Promise<unknown> {
  return app.flightClient.createFromReadableStream(response.body, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
  })
}

describe('cross-origin requests', () => {
  const reply = '["7"]'

  it('are refused with 403 before a byte of the body is read, for both request shapes', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'http://localhost:8080', 'null', 'not an origin', 'file://']) {
      const text = tracked(new TextEncoder().encode(reply))
      await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, text.stream, { origin }), options()), 403, 'USE_SERVER_FORBIDDEN_ORIGIN')
      expect(text.state.pulled, origin).toBe(0)
      const { bytes, type } = multipart({ [`$ACTION_ID_${app.ids.transfer}`]: '', amount: '1000000' })
      const form = tracked(bytes)
      await expectRefused(await app.server.handleActionRequest(post(form.stream, { 'content-type': type, origin }), options()), 403, 'USE_SERVER_FORBIDDEN_ORIGIN')
      expect(form.state.pulled, origin).toBe(0)
    }
    // URL-encoded forms are form posts too.
    const encoded = post(`%24ACTION_ID_${app.ids.transfer}=&amount=5`, { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })
    await expectRefused(await app.server.handleActionRequest(encoded, options()), 403, 'USE_SERVER_FORBIDDEN_ORIGIN')
  })

  it('pass from the own host, with or without a default port, and without browser headers (curl, servers)', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://localhost' }, { origin: 'http://LOCALHOST' }, { origin: 'https://localhost', host: 'localhost:443' },
      { origin: 'http://localhost:3000', host: 'localhost:3000' }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {},
    ]
    for (const headers of cases) {
      const response = await app.server.handleActionRequest(call(app.ids.echo, reply, headers), options())
      expect(response.status, JSON.stringify(headers)).toBe(200)
      expect(await decode(response)).toBe('7')
    }
    expect(app.db).toHaveLength(cases.length)
  })

  it('without Origin, Sec-Fetch-Site other than same-origin / none is refused', async () => {
    for (const site of ['cross-site', 'same-site', 'unknown-value']) {
      await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, reply, { 'sec-fetch-site': site }), options()), 403, 'USE_SERVER_FORBIDDEN_ORIGIN')
      await expectRefused(await app.server.handleActionRequest(await formPost(app.ids.transfer, { 'sec-fetch-site': site }), options()), 403, 'USE_SERVER_FORBIDDEN_ORIGIN')
    }
  })

  it('allowedOrigins: hosts, host:port, full origins, *. (one label) and **. (any depth)', async () => {
    const allowed = { allowedOrigins: ['partner.test', 'localhost:5173', 'https://secure.test', '*.example.com', '**.deep.test'] }
    const verdicts: [string, number][] = [
      ['https://partner.test', 200], ['http://partner.test', 200], ['https://partner.test:8443', 403],
      ['http://localhost:5173', 200], ['http://localhost:5174', 403],
      ['https://secure.test', 200], ['http://secure.test', 403],
      ['https://a.example.com', 200], ['https://example.com', 403], ['https://a.b.example.com', 403], ['https://evilexample.com', 403],
      ['https://x.deep.test', 200], ['https://x.y.deep.test', 200], ['https://deep.test', 403],
    ]
    for (const [origin, status] of verdicts) {
      app.db.length = 0
      const response = await app.server.handleActionRequest(call(app.ids.echo, reply, { origin }), options(allowed))
      expect(response.status, origin).toBe(status)
      expect(app.db, origin).toHaveLength(status === 200 ? 1 : 0)
    }
  })

  it('behind a proxy: the host header is the one hostHeader names, and forwarded headers are ignored otherwise', async () => {
    const proxied = (origin: string, forwarded: string) => call(app.ids.echo, reply,
      { origin, host: 'internal:3000', 'x-forwarded-host': forwarded }, 'http://internal:3000/posts/7')
    await expectRefused(await app.server.handleActionRequest(proxied('https://app.example', 'app.example'), options()), 403)
    // An attacker's own forwarded header does not make its origin the host.
    await expectRefused(await app.server.handleActionRequest(proxied('https://evil.example', 'evil.example'), options()), 403)
    const response = await app.server.handleActionRequest(proxied('https://app.example', 'app.example, internal:3000'), options({ hostHeader: 'x-forwarded-host' }))
    expect(response.status).toBe(200)
    app.db.length = 0
    await expectRefused(await app.server.handleActionRequest(proxied('https://evil.example', 'app.example'), options({ hostHeader: 'x-forwarded-host' })), 403)
    // Without the named header (a request that did not come through the proxy), the Host header is the host.
    const direct = call(app.ids.echo, reply, { origin: 'http://internal:3000', host: 'internal:3000' }, 'http://internal:3000/')
    expect((await app.server.handleActionRequest(direct, options({ hostHeader: 'x-forwarded-host' }))).status).toBe(200)
  })

  it('a cross-origin form POST is refused even when it is not an action (telling needs the body); other POSTs are not ours', async () => {
    const { bytes, type } = multipart({ q: 'search' })
    await expectRefused(await app.server.handleActionRequest(post(bytes, { 'content-type': type, origin: 'https://evil.example' }), options()), 403)
    expect(await app.server.handleActionRequest(post('{}', { 'content-type': 'application/json', origin: 'https://evil.example' }), options())).toBeNull()
    // Same-origin, it stays the app's, with its body unread.
    const own = post(bytes, { 'content-type': type, origin: 'http://localhost' })
    expect(await app.server.handleActionRequest(own, options())).toBeNull()
    expect((await own.formData()).get('q')).toBe('search')
  })

  it('checkOrigin: false turns the check off', async () => {
    const response = await app.server.handleActionRequest(await formPost(app.ids.transfer, { origin: 'https://evil.example' }), options({ checkOrigin: false }))
    expect(response.status).toBe(303)
    expect(app.db).toEqual([['transfer', '100']])
  })

  it('rejects allowedOrigins entries it cannot read, and hostHeader values that are no header name', async () => {
    for (const entry of ['https://a.example/path', '*', '*example.com', 'a.example:port', '', 'ftp://a.example']) {
      await expect(app.server.handleActionRequest(call(app.ids.echo, reply, { origin: 'https://x.test' }), options({ allowedOrigins: [entry] })),
        entry).rejects.toMatchObject({ code: 'USE_SERVER_INVALID_HANDLER_OPTION' })
    }
    for (const hostHeader of ['', 'x forwarded', 42]) {
      await expect(app.server.handleActionRequest(call(app.ids.echo, reply), options({ hostHeader })), String(hostHeader))
        .rejects.toMatchObject({ code: 'USE_SERVER_INVALID_HANDLER_OPTION' })
    }
    expect(app.db).toEqual([])
  })
})

describe('body limit', () => {
  const big = (n: number) => new TextEncoder().encode(JSON.stringify(['x'.repeat(n)]))

  it('refuses a text body over maxBodyBytes with 413, reading no further than the limit', async () => {
    const body = tracked(big(5000), 512)
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, body.stream), options({ maxBodyBytes: 2048 })), 413, 'USE_SERVER_BODY_TOO_LARGE')
    expect(body.state.pulled).toBeLessThanOrEqual(2048 / 512 + 2)
    const fits = await app.server.handleActionRequest(call(app.ids.echo, big(1000)), options({ maxBodyBytes: 2048 }))
    expect(await decode(fits)).toBe('x'.repeat(1000))
  })

  it('defaults to 1 MiB', async () => {
    expect(app.server.DEFAULT_MAX_BODY_BYTES).toBe(1_048_576)
    const exact = JSON.stringify(['x'.repeat(1_048_576 - 4)])
    expect(exact.length).toBe(1_048_576)
    const response = await app.server.handleActionRequest(call(app.ids.echo, exact), options())
    expect(response.status).toBe(200)
    app.db.length = 0
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, exact + ' '), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
  })

  it('refuses on a Content-Length over the limit without reading, and counts bytes when it lies or is missing', async () => {
    const declared = tracked(big(10))
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, declared.stream, { 'content-length': String(64 * 1024 * 1024) }), options()), 413)
    expect(declared.state.pulled).toBe(0)
    const lying = tracked(big(200_000))
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, lying.stream, { 'content-length': '10' }), options({ maxBodyBytes: 100_000 })), 413)
    // Chunked, no length, endless (a 64 MB body would never end here): reading stops just past the limit.
    const chunked = endless()
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, chunked.stream), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
    expect(chunked.state.sent).toBeLessThanOrEqual(1_048_576 + 2 * 64 * 1024)
  })

  it('counts every part and file of a multipart body, for callServer and form posts alike', async () => {
    const limit = { maxBodyBytes: 64 * 1024 }
    const file = { file: new Uint8Array(100 * 1024) }
    const withFile = multipart({ '0': '["$K1"]', '1_file': file })
    await expectRefused(await app.server.handleActionRequest(call(app.ids.transfer, withFile.bytes, { 'content-type': withFile.type }), options(limit)), 413)
    const manyFields: Record<string, string> = { '0': '["ok"]' }
    for (let i = 1; i < 200; i++) manyFields[String(i)] = 'y'.repeat(500)
    const fields = multipart(manyFields)
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, fields.bytes, { 'content-type': fields.type }), options(limit)), 413)
    await expectRefused(await app.server.handleActionRequest(await formPost(app.ids.transfer, {}, { upload: file }), options(limit)), 413)
    const form = await formPost(app.ids.transfer, {}, { note: 'z'.repeat(70 * 1024) })
    await expectRefused(await app.server.handleActionRequest(form, options(limit)), 413)
  })

  it('rejects a maxBodyBytes that is not a positive whole number', async () => {
    for (const maxBodyBytes of [0, -1, 1.5, NaN, '1000']) {
      await expect(app.server.handleActionRequest(call(app.ids.echo, '[1]'), options({ maxBodyBytes })), String(maxBodyBytes))
        .rejects.toMatchObject({ code: 'USE_SERVER_INVALID_HANDLER_OPTION' })
    }
  })
})

/** The ID and (resolved) bound values a client receives for a rendered reference. */
async function boundOf(fn: unknown): Promise<{ id: string; bound: any[] }> {
  const stream = app.flightServer.renderToReadableStream({ fn }, {})
  const model = await app.flightClient.createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
    encodeFormAction: (id: string, bound: PromiseLike<unknown[] | null>) => ({ id, bound }),
  })
  const { id, bound } = model.fn.$$FORM_ACTION()
  return { id, bound: await Promise.all(((await bound) ?? []) as any[]) }
}

/** A Flight reply as multipart parts (part `0` is the root), sent to `id`. */
async function flight(id: string, parts: Record<string, string>): Promise<Request> {
  const { bytes, type } = multipart(parts)
  return call(id, bytes, { 'content-type': type })
}

/** A `$ACTION_REF_` form post, as react-dom renders a reference with bound values: `{ id, bound }` in field 0. */
async function formRef(reference: { id: string; bound: unknown }, extra: Record<string, string> = {}): Promise<Request> {
  const { bytes, type } = multipart({ '$ACTION_REF_1': '', '$ACTION_1:0': JSON.stringify(reference), ...extra })
  return post(bytes, { 'content-type': type })
}

describe('attack classes', () => {
  it('Flight reference paths through __proto__, constructor and prototype', async () => {
    const paths = ['$1:__proto__:constructor:constructor', '$1:constructor:constructor', '$1:constructor:prototype',
      '$1:__proto__', '$1:prototype', '$1:then:constructor', '$0:__proto__:toString']
    for (const path of paths) {
      for (const target of [app.ids.echo, app.ids.settle]) {
        await expectRefused(await app.server.handleActionRequest(await flight(target, { '0': JSON.stringify([path]), '1': '{}' }), options()), 400, 'USE_SERVER_BAD_REQUEST')
      }
      await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, JSON.stringify([path.replace('$1', '$0')])), options()), 400)
      // The same paths as the bound values of a form action.
      const form = await formRef({ id: app.ids.transfer, bound: '$@2' }, { '$ACTION_1:2': JSON.stringify([path.replace('$1', '$3')]), '$ACTION_1:3': '{}' })
      const response = await app.server.handleActionRequest(form, options())
      expect(response.status, path).toBeGreaterThanOrEqual(400)
      expect(response.status, path).toBeLessThan(500)
      expect(app.db).toEqual([])
    }
  })

  it('IDs of Object.prototype members, and of exports that are not registered actions, reach nothing', async () => {
    const inherited = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']
    for (const id of inherited) {
      await expectRefused(await app.server.handleActionRequest(call(id, '[]'), options()), 404, 'USE_SERVER_UNKNOWN_ACTION')
      await expectRefused(await app.server.handleActionRequest(await formPost(id), options()), 404, 'USE_SERVER_UNKNOWN_ACTION')
      await expectRefused(await app.server.handleActionRequest(await formRef({ id, bound: null }), options()), 400)
      await expectRefused(await app.server.handleActionRequest(await flight(app.ids.echo, { '0': '["$h1"]', '1': JSON.stringify({ id, bound: null }) }), options()), 400)
    }
    // React resolves `<id>#<export>` to any export of the module behind a real action ID: the helper next to an inline
    // action, the default export (`#`), the namespace (`#*`). None is a registered action.
    for (const id of [app.ids.rename, app.ids.transfer]) {
      for (const suffix of ['#helper', '#', '#*', '#default', '#makeRename', '#transfer', '#__proto__', '#constructor']) {
        await expectRefused(await app.server.handleActionRequest(call(id + suffix, '["x"]'), options()), 404, 'USE_SERVER_UNKNOWN_ACTION')
        await expectRefused(await app.server.handleActionRequest(await formPost(id + suffix), options()), 404, 'USE_SERVER_UNKNOWN_ACTION')
        await expectRefused(await app.server.handleActionRequest(await formRef({ id: id + suffix, bound: ['x'] }), options()), 400)
        await expectRefused(await app.server.handleActionRequest(await flight(app.ids.echo, { '0': '["$h1"]', '1': JSON.stringify({ id: id + suffix, bound: null }) }), options()), 400)
      }
    }
  })

  it('a server reference passed as an argument and read as text shows no source', async () => {
    for (const target of [app.ids.transfer, app.ids.rename]) {
      const response = await app.server.handleActionRequest(await flight(app.ids.echo, { '0': '["$h1"]', '1': JSON.stringify({ id: target, bound: null }) }), options())
      expect(response.status).toBe(200)
      const text = await decode(response)
      expect(text).toBe('function () { [omitted code] }')
      expect(String(text)).not.toMatch(/__sec|push|transfer|rename/)
    }
    expect(app.db).toEqual([['echo'], ['echo']])
  })

  it('cyclic and self-resolving thenables end (a 500, the action stopped at its await)', async () => {
    const cycles = [{ '0': '["$@1"]', '1': '"$@1"' }, { '0': '["$@1"]', '1': '"$@2"', '2': '"$@1"' }, { '0': '["$@1"]', '1': '"$@2"', '2': '"$@3"', '3': '"$@1"' }]
    for (const parts of cycles) {
      const response = await app.server.handleActionRequest(await flight(app.ids.settle, parts), options())
      expect(response.status).toBe(500)
      expect(await response.text()).not.toContain('cyclic') // the details stay in the server log
      expect(app.db).toEqual([])
    }
  })

  it('very deep payloads are refused (400), very wide ones stop at the body limit (413)', async () => {
    const depth = 300_000
    const deep = `[${'['.repeat(depth)}${']'.repeat(depth)}]`
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, deep), options()), 400, 'USE_SERVER_BAD_REQUEST')
    const deepObject = `[${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}]`
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, deepObject), options()), 400, 'USE_SERVER_BAD_REQUEST')
    const deepForm = await formRef({ id: app.ids.transfer, bound: '$@2' }, { '$ACTION_1:2': deep })
    const response = await app.server.handleActionRequest(deepForm, options())
    expect(response.status).toBe(400)
    expect(app.db).toEqual([])
    const wide = JSON.stringify([Array.from({ length: 600_000 }, () => 0)])
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, wide), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
    const wideObject = JSON.stringify([Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))])
    await expectRefused(await app.server.handleActionRequest(call(app.ids.echo, wideObject), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
  })

  it('reference amplification and long reference chains across parts are refused', async () => {
    const amplified: Record<string, string> = { '0': '["$1"]' }
    for (let i = 1; i < 30; i++) amplified[String(i)] = JSON.stringify(Array.from({ length: 16 }, () => `$${i + 1}`))
    amplified['30'] = '"leaf"'
    await expectRefused(await app.server.handleActionRequest(await flight(app.ids.echo, amplified), options()), 400)
    const chain: Record<string, string> = { '0': '["$1"]' }
    for (let i = 1; i < 5000; i++) chain[String(i)] = JSON.stringify(`$${i + 1}`)
    chain['5000'] = '"end"'
    await expectRefused(await app.server.handleActionRequest(await flight(app.ids.echo, chain), options()), 400)
  })

  it('thousands of multipart parts: bounded by the body limit, unreferenced parts never decoded', async () => {
    const many: Record<string, string> = { '0': '["$1"]', '1': '"first"' }
    for (let i = 2; i < 20_000; i++) many[String(i)] = String(i)
    await expectRefused(await app.server.handleActionRequest(await flight(app.ids.echo, many), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
    const form: [string, string][] = [[`$ACTION_ID_${app.ids.transfer}`, '']]
    for (let i = 0; i < 20_000; i++) form.push([`$ACTION_${i}:0`, '{"id":"x"}'])
    const { bytes, type } = multipart(form)
    await expectRefused(await app.server.handleActionRequest(post(bytes, { 'content-type': type }), options()), 413, 'USE_SERVER_BODY_TOO_LARGE')
    // Under the limit, 5,000 parts nobody refers to are parsed by the platform and left alone.
    const under: Record<string, string> = { '0': '["$1"]', '1': '"first"' }
    for (let i = 2; i < 5000; i++) under[String(i)] = String(i)
    const response = await app.server.handleActionRequest(await flight(app.ids.echo, under), options())
    expect(await decode(response)).toBe('first')
    expect(app.db).toEqual([['echo']])
  })

  it('bound values made for another action are refused (400) in both request shapes', async () => {
    const rename = await boundOf(app.modules['page.js'].makeRename({ id: '7' }))
    const remove = await boundOf(app.modules['page.js'].makeDelete({ id: '7' }))
    expect(rename.id).toBe(app.ids.rename)
    // callServer: the ciphertext of rename sent to delete, and the other way round.
    await expectRefused(await app.server.handleActionRequest(call(remove.id, JSON.stringify([rename.bound[0]])), options()), 400, 'USE_SERVER_INVALID_BOUND')
    await expectRefused(await app.server.handleActionRequest(call(rename.id, JSON.stringify([remove.bound[0], 'title'])), options()), 400, 'USE_SERVER_INVALID_BOUND')
    // A form post: the reference's bound values, with the ID swapped.
    const form = await formRef({ id: remove.id, bound: '$@2' }, { '$ACTION_1:2': JSON.stringify([rename.bound[0]]) })
    await expectRefused(await app.server.handleActionRequest(form, options()), 400, 'USE_SERVER_INVALID_BOUND')
    // The same ciphertext with its own action runs.
    const own = await formRef({ id: remove.id, bound: '$@2' }, { '$ACTION_1:2': JSON.stringify([remove.bound[0]]) })
    expect((await app.server.handleActionRequest(own, options())).status).toBe(303)
    expect(app.db).toEqual([['delete', '7']])
  })
})
