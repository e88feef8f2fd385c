// The HTTP server (plain Node, no export conditions: the React builds it needs are inside the bundles).
// Node request → Web Request → server function (rsc.handleAction) or page (Flight from rsc.renderPage, as HTML
// through ssr.renderHtml, or as Flight for the browser's refresh) → Web Response → Node response.
import fs from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseManifest } from 'babel-plugin-use-server/manifest'
import { sendWebResponse, toWebRequest } from 'babel-plugin-use-server/node'

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
      await sendWebResponse(res, await respond(toWebRequest(req)))
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

const types = { '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' }

function serveStatic(dir, name) {
  const file = path.join(dir, name)
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('Not found', { status: 404 })
  return new Response(fs.readFileSync(file), { headers: { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' } })
}
