// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with its own .d.ts and source maps, from src/ with tsc.
// The maps point at ../../src/*.ts, which the package ships (package.json "files"), so stack traces name real files.
// It compiles into a fresh folder and swaps it in at the end, so processes importing dist/ never see a half-built tree.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const out = path.join(root, `.dist-${process.pid}`)
fs.rmSync(out, { recursive: true, force: true })
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', ...args], { cwd: root, stdio: 'inherit' })
try {
  run('--outDir', path.join(out, 'esm'))
  run('--module', 'commonjs', '--moduleResolution', 'node10', '--outDir', path.join(out, 'cjs'))
  // The nearest package.json is what bundlers read for a module: its `sideEffects` lets them leave out what an import
  // does not use (a server bundle reading its manifest gets no file locking); the one module imported for its effect
  // is the client runtime's __webpack_require__ stand-in.
  const sideEffects = ['./runtime/webpack-globals.js']
  for (const [dir, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
    fs.writeFileSync(path.join(out, dir, 'package.json'), `${JSON.stringify({ type, sideEffects })}\n`)
  }
  const cli = path.join(out, 'esm/manifest/cli.js')
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755)
  const dist = path.join(root, 'dist')
  const old = path.join(root, `.dist-old-${process.pid}`)
  if (fs.existsSync(dist)) fs.renameSync(dist, old)
  fs.renameSync(out, dist)
  fs.rmSync(old, { recursive: true, force: true })
} catch (error) {
  fs.rmSync(out, { recursive: true, force: true })
  throw error
}
