// babel-plugin-use-server/node on a real `http` server bound to port 0: calls made the way React's client makes them
// (encodeReply + rsc-action-id), a request that is not a call (404, or next() as in Express), refusals, forwarded
// headers only with trustProxy, Set-Cookie lines, streamed bodies. Loaded by package name (dist/), as users do.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

const { createActionListener, sendWebResponse, toWebRequest } = await import('babel-plugin-use-server/node')
const { createManifest } = await import('babel-plugin-use-server/manifest')
const flightClient = await import('react-server-dom-webpack/client') as any

const manifest = createManifest([{ file: 'src/math.js', actions: [
  { id: 'a'.repeat(40), name: 'add', kind: 'export' },
  { id: 'b'.repeat(40), name: 'fail', kind: 'export' },
] }])
const calls: unknown[][] = []
const math = {
  async add(a: number, b: number) { calls.push([a, b]); return a + b },
  async fail() { throw new Error('secret detail') },
}
const loadModule = (module: string) => (module === 'src/math.js' ? math : undefined)

const servers: http.Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  }
})

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function call(url: string, id: string, args: unknown[]): Promise<Response> {
  return fetch(`${url}/anything`, { method: 'POST', headers: { 'rsc-action-id': id }, body: await flightClient.encodeReply(args) })
}

const decode = (response: Response) => flightClient.createFromReadableStream(response.body, {
  serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
})

describe('createActionListener', () => {
  it('runs a server function called over HTTP and streams its result back as Flight', async () => {
    calls.length = 0
    const url = await listen(createActionListener({ manifest, loadModule }))
    const response = await call(url, 'a'.repeat(40), [2, 3])
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/x-component/)
    expect(await decode(response)).toBe(5)
    expect(calls).toEqual([[2, 3]])
  })

  it('refuses an unknown ID with 404 and a code, and hides a failure behind a 500', async () => {
    const errors: unknown[] = []
    const url = await listen(createActionListener({ manifest, loadModule, onError: (e) => errors.push(e) }))
    const unknown = await call(url, 'c'.repeat(40), [])
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ code: 'USE_SERVER_UNKNOWN_ACTION' })
    const failed = await call(url, 'b'.repeat(40), [])
    expect(failed.status).toBe(500)
    expect(await failed.text()).not.toContain('secret detail')
    expect(errors).toHaveLength(1)
  })

  it('answers 404 to a request that is not a call, or hands it to next() as Express middleware', async () => {
    const plain = await listen(createActionListener({ manifest, loadModule }))
    expect((await fetch(`${plain}/page`)).status).toBe(404)
    const middleware = createActionListener({ manifest, loadModule })
    const chained = await listen((req, res) => {
      void middleware(req, res, (error) => res.writeHead(error ? 500 : 200).end(error ? 'error' : 'from next'))
    })
    const page = await fetch(`${chained}/page`)
    expect(await page.text()).toBe('from next')
    const response = await call(chained, 'a'.repeat(40), [1, 1])
    expect(await decode(response)).toBe(2)
  })
})

describe('toWebRequest / sendWebResponse', () => {
  async function seen(headers: Record<string, string>, trustProxy?: boolean): Promise<{ url: string; cookie: string | null; body: string }> {
    let result: { url: string; cookie: string | null; body: string } | undefined
    const url = await listen(async (req, res) => {
      const request = toWebRequest(req, { trustProxy })
      result = { url: request.url, cookie: request.headers.get('x-many'), body: request.method === 'POST' ? await request.text() : '' }
      res.end()
    })
    await fetch(`${url}/a/b?c=1`, { method: 'POST', headers, body: 'x'.repeat(100_000) })
    return result!
  }

  it('takes the host from Host, and from X-Forwarded-* only with trustProxy; streams the body', async () => {
    const forwarded = { 'x-forwarded-host': 'evil.example, proxy', 'x-forwarded-proto': 'https' }
    const plain = await seen(forwarded)
    expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/a\/b\?c=1$/)
    expect(plain.body).toHaveLength(100_000)
    expect((await seen(forwarded, true)).url).toBe('https://evil.example/a/b?c=1')
  })

  it('writes each Set-Cookie on its own line, the status and a streamed body', async () => {
    const url = await listen((_req, res) => {
      const headers = new Headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-kind', 'test']])
      const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('part1,')); c.enqueue(new TextEncoder().encode('part2')); c.close() } })
      void sendWebResponse(res, new Response(body, { status: 201, headers }))
    })
    const response = await fetch(url)
    expect(response.status).toBe(201)
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(response.headers.get('x-kind')).toBe('test')
    expect(await response.text()).toBe('part1,part2')
  })
})
