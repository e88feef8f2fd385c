// A build worker for test/manifest-stress.test.ts: transforms the given files of a project with the built plugin
// (dist/, server environment), writes each output under <out>/ and merges its metadata into one manifest with
// updateManifestFile, file by file, as a Babel loader in a parallel build would.
//   node manifest-worker.mjs <root> <out> <manifest> <file>...   (files relative to root, in this order)
// MANIFEST_BATCH=n merges every n files instead (for tests about the outputs rather than the lock).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const babel = process.env.USE_SERVER_BABEL === '8' ? (await import('babel8-core')) : createRequire(import.meta.url)('@babel/core')
const { default: plugin } = await import(path.join(repo, 'dist/esm/index.js'))
const { updateManifestFile } = await import(path.join(repo, 'dist/esm/manifest/index.js'))
const [root, out, manifest, ...files] = process.argv.slice(2)
const batch = Number(process.env.MANIFEST_BATCH ?? 1)
let pending = []

for (const file of files) {
  const result = babel.transformSync(fs.readFileSync(path.join(root, file), 'utf8'), {
    filename: path.join(root, file), babelrc: false, configFile: false, sourceType: 'module',
    plugins: [[plugin, { environment: 'server', root }]],
  })
  const target = path.join(out, file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, result.code)
  const meta = result.metadata.useServer
  if (meta) pending.push(meta)
  if (pending.length >= batch) {
    updateManifestFile(manifest, pending)
    pending = []
  }
  process.stdout.write(`${file}\n`) // progress, for the test that kills workers mid-build
}
if (pending.length) updateManifestFile(manifest, pending)
