// Serves the example after `rollup -c`: `node --conditions=react-server serve.mjs` (React's Flight server needs the
// react-server condition). Server function calls go to the server build; everything else is a static file.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createActionListener } from 'babel-plugin-use-server/node'

// React's Flight server must be the production build, as the client bundle's React is (rollup.config.js).
process.env.NODE_ENV = 'production'
const root = path.dirname(fileURLToPath(import.meta.url))
const { manifest, loadModule } = await import(pathToFileURL(path.join(root, 'dist/server/server.js')).href)
const actions = createActionListener({ manifest, loadModule, onError: (error) => console.error(error) })
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' }

const server = http.createServer((req, res) => actions(req, res, () => {
  const name = new URL(req.url, 'http://localhost').pathname
  const file = name === '/' ? path.join(root, 'index.html') : path.join(root, 'dist/client', decodeURIComponent(name))
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end()
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file))
}))
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
const stop = () => { server.closeAllConnections(); server.close() }
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
