// Builds dist/esm (ES modules + .d.ts) and dist/cjs (CommonJS) from src/ with tsc.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true })
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', ...args], { cwd: root, stdio: 'inherit' })
run()
run('--module', 'commonjs', '--moduleResolution', 'node10', '--outDir', 'dist/cjs', '--declaration', 'false')
fs.writeFileSync(path.join(root, 'dist/esm/package.json'), '{ "type": "module" }\n')
fs.writeFileSync(path.join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n')
const cli = path.join(root, 'dist/esm/manifest/cli.js')
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755)
