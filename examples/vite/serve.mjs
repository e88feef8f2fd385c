// Serves the example: `node --conditions=react-server serve.mjs` (after `vite build`) or with `--dev` (Vite's dev
// server). React's Flight server needs the react-server condition. Prints "listening on <url>".
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sendWebResponse, toWebRequest } from 'babel-plugin-use-server/node'

const root = path.dirname(fileURLToPath(import.meta.url))
const dev = process.argv.includes('--dev')
// React's server build must match the client's (a production client cannot read development-only Flight rows).
process.env.NODE_ENV ??= dev ? 'development' : 'production'
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' }

let vite
let serverEntry
if (dev) {
  const { createServer } = await import('vite')
  vite = await createServer({ root, server: { middlewareMode: true }, appType: 'spa' })
} else {
  serverEntry = await import(pathToFileURL(path.join(root, 'dist/server/server.js')).href)
}

const server = http.createServer(async (req, res) => {
  try {
    // Loaded per request in dev: Vite re-runs what changed.
    const entry = dev ? await vite.environments.ssr.runner.import('/src/server.js') : serverEntry
    const response = await entry.handleAction(toWebRequest(req))
    if (response) return await sendWebResponse(res, response)
    if (dev) return vite.middlewares(req, res)
    const name = req.url === '/' ? 'index.html' : decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1))
    const file = path.join(root, 'dist/client', name)
    if (!file.startsWith(path.join(root, 'dist/client') + path.sep) || !fs.existsSync(file)) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file))
  } catch (error) {
    console.error(error)
    if (!res.headersSent) res.writeHead(500)
    res.end()
  }
})
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
const stop = async () => { await vite?.close(); server.closeAllConnections(); server.close() }
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
