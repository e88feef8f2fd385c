// Transforms the seed example (examples/seed/app) for the server and the client build, prints each output and the
// server manifest. Run with `npm run example:transform`.
import { transformFileSync } from '@babel/core'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import plugin from 'babel-plugin-use-server'
import { createManifest, serializeManifest } from 'babel-plugin-use-server/manifest'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed')
const files = fs.readdirSync(path.join(root, 'app')).sort().map((f) => path.join(root, 'app', f))
// The client build only compiles what the browser loads: the client component and what it imports.
const clientGraph = new Set(['button.jsx', 'actions.js'])
const metadata = []

for (const environment of ['server', 'client']) {
  for (const file of files) {
    if (environment === 'client' && !clientGraph.has(path.basename(file))) continue
    const result = transformFileSync(file, {
      babelrc: false,
      configFile: false,
      parserOpts: { plugins: ['jsx'] },
      plugins: [[plugin, { environment, root }]],
    })
    const meta = result.metadata.useServer
    if (!meta) continue // No directive: the file is left alone.
    if (environment === 'server') metadata.push(meta)
    console.log(`\n// ===== ${environment}: ${path.relative(root, file)} (${meta.actions.length} actions)\n${result.code}`)
  }
}
console.log('\n// ===== server manifest\n' + serializeManifest(createManifest(metadata)))
