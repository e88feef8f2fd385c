// The server entry, bundled by the server compilation into dist/server/server.cjs: `node dist/server/server.cjs`
// (React's server build is inside the bundle). Server function calls go to createActionListener, which loads each
// function by the bundle's module ID from React's manifest (no loadModule to write); other requests get the page.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { ReactServerManifest, ServerManifest } from 'babel-plugin-use-server/manifest'
import { createActionListener } from 'babel-plugin-use-server/node'
import { add } from './server/fns'

// UseServerPlugin writes both manifests next to this bundle (webpack leaves `__dirname` to Node on a node target).
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, name), 'utf8'))
const manifest: ServerManifest = read('use-server-manifest.json')
const reactManifest: ReactServerManifest = read('react-server-manifest.json')
const actions = createActionListener({ manifest, reactManifest, onError: (error) => console.error(error) })

const root = path.join(__dirname, '..', '..')
const files: Record<string, [string, string]> = {
  '/': [path.join(root, 'index.html'), 'text/html; charset=utf-8'],
  '/main.js': [path.join(root, 'dist/client/main.js'), 'text/javascript; charset=utf-8'],
}

const server = http.createServer((req, res) => actions(req, res, () => {
  const file = files[new URL(req.url ?? '/', 'http://localhost').pathname]
  if (!file) return void res.writeHead(404).end()
  res.writeHead(200, { 'content-type': file[1] }).end(fs.readFileSync(file[0]))
}))

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', async () => {
  // Server code calls server functions directly too.
  console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port} (2 + 3 = ${await add(2, 3)})`)
})
const stop = () => { server.closeAllConnections(); server.close() }
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
