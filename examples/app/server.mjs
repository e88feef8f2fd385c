// The HTTP server (plain Node, no export conditions: the React builds it needs are inside the bundles).
// Node request → Web Request → server function (rsc.handleAction) or page (Flight from rsc.renderPage, as HTML
// through ssr.renderHtml, or as Flight for the browser's refresh) → Web Response → Node response.
import fs from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseManifest } from 'babel-plugin-use-server/manifest'

const require = createRequire(import.meta.url)

/** Serves the build in `buildDir` on 127.0.0.1:`port` (0: a free port); `actionOptions` go to rsc.jsx's createRsc. */
export function startServer({ buildDir, port = 0, actionOptions }) {
  const manifest = parseManifest(fs.readFileSync(path.join(buildDir, 'use-server-manifest.json'), 'utf8'))
  const clientManifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'static', 'react-client-manifest.json'), 'utf8'))
  const reactManifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'react-server-manifest.json'), 'utf8'))
  const rsc = require(path.join(buildDir, 'rsc.cjs')).createRsc({ manifest, reactManifest, clientManifest, actionOptions })
  const { renderHtml } = require(path.join(buildDir, 'ssr.cjs'))
  // Client module ID (browser build) → the same module in the SSR bundle, whose module IDs are paths.
  const moduleMap = {}
  for (const [url, entry] of Object.entries(clientManifest)) {
    const ssrId = `./${path.relative(path.dirname(buildDir), fileURLToPath(url))}`
    moduleMap[entry.id] = { '*': { id: ssrId, chunks: [], name: '*' } }
  }

  async function respond(request) {
    const url = new URL(request.url)
    if (url.pathname.startsWith('/static/')) return serveStatic(path.join(buildDir, 'static'), url.pathname.slice(8))
    if (url.pathname === '/') return new Response(null, { status: 302, headers: { location: '/posts/1' } })
    const action = await rsc.handleAction(request)
    if (action) return action
    const flight = rsc.renderPage(request)
    if (!flight) return new Response('Not found', { status: 404 })
    const headers = new Headers()
    const cookie = rsc.sessionCookie(request)
    if (cookie) headers.set('set-cookie', cookie)
    if (request.headers.get('accept')?.includes('text/x-component')) {
      headers.set('content-type', 'text/x-component; charset=utf-8')
      return new Response(flight, { headers })
    }
    const text = await new Response(flight).text()
    const html = await renderHtml(new Response(text).body, {
      moduleMap,
      bootstrapScripts: ['/static/main.js'],
      bootstrapScriptContent: `self.__FLIGHT=${JSON.stringify(text).replace(/</g, '\\u003c')}`,
    })
    headers.set('content-type', 'text/html; charset=utf-8')
    return new Response(html, { headers })
  }

  const server = http.createServer(async (req, res) => {
    try {
      await send(req, res, await respond(toRequest(req)))
    } catch (error) {
      console.error(error)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('Internal error')
    }
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    url: `http://localhost:${server.address().port}`,
    async close() {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
      await rsc.close()
    },
  })))
}

// --- the Node ↔ Web adapter -----------------------------------------------------------------------------------

function toRequest(req) {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) headers.append(name, v)
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : bodyOf(req)
  return new Request(new URL(req.url, `http://${req.headers.host ?? 'localhost'}`), { method: req.method, headers, body, duplex: 'half' })
}

/**
 * The request's body as a Web stream. Not `Readable.toWeb`: cancelling that destroys the request and with it the
 * socket, so a handler that stops reading a body over its limit would reset the connection before its 413 is sent.
 * Cancelling this one only stops the reading; send() drops the rest.
 */
function bodyOf(req) {
  let open = true
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        controller.enqueue(new Uint8Array(chunk))
        if (controller.desiredSize <= 0) req.pause()
      })
      const finish = (settle) => { if (open) { open = false; settle() } }
      req.once('end', () => finish(() => controller.close()))
      req.once('error', (error) => finish(() => controller.error(error)))
      req.once('close', () => finish(() => controller.error(new Error('The connection closed before the body ended.'))))
    },
    pull() { req.resume() },
    cancel() {
      open = false
      req.removeAllListeners('data')
      req.pause()
    },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength })
}

// An answer given before the request's body was read whole (a refusal: too large, another origin): the rest of the
// body is read and dropped, so that the client gets the answer (not a reset while it is still sending) and the
// connection can carry its next request; past DRAIN_BYTES the connection is cut instead.
const DRAIN_BYTES = 8 * 1024 * 1024

async function send(req, res, response) {
  if (!req.complete) {
    let drained = 0
    req.removeAllListeners('data') // the Web stream's: nobody reads it any more
    req.on('data', (chunk) => { if ((drained += chunk.length) > DRAIN_BYTES) req.socket.destroy() })
    req.resume()
  }
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) return res.end()
  for await (const chunk of response.body) res.write(chunk)
  res.end()
}

const types = { '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' }

function serveStatic(dir, name) {
  const file = path.join(dir, name)
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('Not found', { status: 404 })
  return new Response(fs.readFileSync(file), { headers: { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' } })
}
