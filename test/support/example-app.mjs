// The example app (examples/app) for the tests that run it and for `npm run bench:server`: one webpack build shared
// by every test file (they run in parallel) and every run while its inputs are unchanged, and servers started from
// that build in child processes.
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const appDir = path.join(root, 'examples/app')
export const buildDir = path.join(appDir, 'build')
const stampFile = path.join(buildDir, '.inputs-sha256')
const lockDir = path.join(root, '.cache', 'example-build.lock')

/** SHA-256 over what the build reads: the app's sources, the plugin's dist/ and the installed versions. */
function inputsHash() {
  const hash = crypto.createHash('sha256')
  const walk = (dir, skip = []) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name)
      if (skip.includes(entry.name)) continue
      if (entry.isDirectory()) walk(file)
      else hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update('\0')
    }
  }
  walk(appDir, ['build', '.data'])
  walk(path.join(root, 'dist'))
  hash.update(fs.readFileSync(path.join(root, 'package-lock.json')))
  return hash.digest('hex')
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const alive = (pid) => {
  try { return process.kill(pid, 0) } catch (error) { return error.code === 'EPERM' }
}

/**
 * Makes sure examples/app/build is a build of the current inputs (run `npm run build` first: it bundles dist/).
 * Builds under a lock that parallel test files wait on; a lock whose owner died is taken over.
 * @returns {Promise<{ built: boolean, seconds: number }>} whether this call built, and how long it took in seconds
 */
export async function ensureExampleBuild() {
  const started = performance.now()
  const want = inputsHash()
  const current = () => fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === want
  fs.mkdirSync(path.dirname(lockDir), { recursive: true })
  for (;;) {
    if (current()) return { built: false, seconds: (performance.now() - started) / 1000 }
    try {
      fs.mkdirSync(lockDir)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      let owner = 0
      let age = 0
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'))
      } catch {} // gone meanwhile, or its owner has not written its pid yet
      if ((owner && !alive(owner)) || age > 5 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true })
      await sleep(250)
    }
  }
  try {
    fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid))
    if (!current()) {
      const config = path.join(appDir, 'webpack.config.mjs')
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', 'await (await import(process.argv[1])).build()', config],
        { cwd: root, encoding: 'utf8' })
      if (run.status !== 0) throw new Error(`building examples/app failed (exit ${run.status}):\n${run.stdout}${run.stderr}`)
      fs.writeFileSync(stampFile, want)
    }
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true })
  }
  return { built: true, seconds: (performance.now() - started) / 1000 }
}

/**
 * Starts a server of the build in a child process and resolves once it prints `listening on <url>`.
 * `script` (default examples/run.mjs --no-build, what `npm run example` serves) runs with `env` added; `ipc` opens
 * an IPC channel. Resolves to `{ url, child, log, stop }`: `url` is http://localhost:<port>, `stop()` sends SIGINT
 * and waits for the exit.
 */
export async function startExampleApp({ env = {}, script = ['examples/run.mjs', '--no-build'], ipc = false } = {}) {
  const child = spawn(process.execPath, script, {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  })
  const log = []
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log.push(chunk.toString())
      const match = /listening on (http:\/\/localhost:\d+)/.exec(log.join(''))
      if (match) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${script.join(' ')} exited ${code}:\n${log.join('')}`)))
  })
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
  }
  return { url, child, log, stop }
}

/** Fresh secrets for a test server (the session HMAC and the bound-value key). */
export function secretsEnv() {
  return { SESSION_SECRET: crypto.randomBytes(24).toString('base64'), USE_SERVER_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') }
}
