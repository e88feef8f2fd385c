// `npm run example`: builds examples/app (webpack: client, RSC and SSR builds), prints its server manifest and serves
// it on http://localhost:$PORT (a free port when PORT is unset). Ctrl-C stops it. WEBPACK_MODE=development builds in
// webpack's development mode (into examples/app/build-development); the default is production.
// Its data lives in examples/app/.data: the PGlite database (DATA_DIR), and the session secret and bound-value
// encryption key, made on the first run and kept so that sessions and rendered forms outlive a restart.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'app')
const dataDir = path.join(appDir, '.data')
fs.mkdirSync(dataDir, { recursive: true })

function secret(file) {
  const at = path.join(dataDir, file)
  if (!fs.existsSync(at)) fs.writeFileSync(at, crypto.randomBytes(32).toString('base64'), { mode: 0o600 })
  return fs.readFileSync(at, 'utf8').trim()
}
process.env.DATA_DIR ??= path.join(dataDir, 'db')
process.env.SESSION_SECRET ??= secret('session-secret')
process.env.USE_SERVER_ENCRYPTION_KEY ??= secret('encryption-key')

const { build, buildDirOf } = await import('./app/webpack.config.mjs')
const mode = process.env.WEBPACK_MODE ?? 'production'
const buildDir = buildDirOf(mode)
const { serializeManifest } = await import('babel-plugin-use-server/manifest')
const { startServer } = await import('./app/server.mjs')

if (!process.argv.includes('--no-build')) {
  const started = performance.now()
  const manifest = await build(mode)
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)}s`)
  console.log(serializeManifest(manifest).trimEnd())
}
const server = await startServer({ buildDir, port: Number(process.env.PORT ?? 0) })
console.log(`listening on ${server.url}/posts/1`)

process.once('SIGINT', async () => {
  await server.close()
  console.log('stopped')
  process.exit(0)
})
