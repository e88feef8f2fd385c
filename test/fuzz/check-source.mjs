// Runs the differential check (test/fuzz/harness.mjs) on one source file with the built plugin (dist/), in a plain
// Node process: for inputs too deep for a test worker's stack. Prints the failure as JSON, or `null`.
//   node --conditions=react-server test/fuzz/check-source.mjs <file>
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHarness } from './harness.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
process.env.USE_SERVER_ENCRYPTION_KEY ??= Buffer.alloc(32, 0x5e).toString('base64')
const babel = process.env.USE_SERVER_BABEL === '8' ? await import('babel8-core') : createRequire(import.meta.url)('@babel/core')
const { default: plugin } = await import(path.join(root, 'dist/esm/index.js'))
const workDir = path.join(root, '.cache', `check-${process.pid}`)
const harness = createHarness({ babel: babel.default ?? babel, plugin, importUrl: (url) => import(url), root, workDir })
const failure = await harness.check(fs.readFileSync(process.argv[2], 'utf8'))
fs.rmSync(workDir, { recursive: true, force: true })
console.log(JSON.stringify(failure && { kind: failure.kind, message: failure.message }))
