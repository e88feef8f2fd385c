// examples/vite, examples/rollup and examples/webpack end to end in Chromium: each built once (Vite: `vite build` of
// both environments; Rollup: its two configs; webpack: its two compilations, through webpack's Node API as the CLI
// would run them), served (serve.mjs with the react-server condition; webpack: its own server bundle, which holds
// React's server build) and clicked through: three server functions, one of them imported only by client code.
// The Vite dev server (serve.mjs --dev) is clicked through too. Runs once: in leg 1 (Babel 7), like app.test.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionId } from '../../src/ids.ts'
import { resolveSecret } from '../../src/secret.ts'

const root = path.resolve(import.meta.dirname, '../..')
const CHROMIUM = '/usr/bin/chromium'
const leg2 = process.env.USE_SERVER_BABEL === '8'
const bin = (...parts: string[]) => path.join(root, 'node_modules', ...parts)
// The examples run as an app would: without this suite's react-server condition in NODE_OPTIONS, nor Vitest's
// NODE_ENV=test (which would make Vite bundle React's development client).
const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', PORT: '0' }
delete env.NODE_ENV

if (leg2) console.log('test/browser/bundlers.test.ts: skipped in leg 2 (Babel 8): the browser test runs once, in leg 1.')

/** Builds the webpack.config.mjs of the working directory (its default export) with webpack's Node API; exits 1 on errors. */
const WEBPACK_BUILD = `import webpack from 'webpack'
const config = (await import(process.cwd() + '/webpack.config.mjs')).default
webpack(config, (error, stats) => {
  if (error || stats.hasErrors()) { console.error(error ?? stats.toString('errors-only')); process.exitCode = 1 }
})`

describe.runIf(!leg2 && fs.existsSync(CHROMIUM))('the Vite, Rollup and webpack examples in Chromium', () => {
  let browser: Browser
  const servers: ChildProcess[] = []

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    for (const server of servers) {
      if (server.exitCode !== null) continue
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
  }, 30_000)

  function build(dir: string, command: string[]): void {
    fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true })
    execFileSync(process.execPath, command, { cwd: dir, env, stdio: 'pipe' })
  }

  /** Starts `serve.mjs` (with `args`) in `dir`, or node with `command`, and resolves to its URL once it listens. */
  function serve(dir: string, args: string[] = [], command = ['--conditions=react-server', 'serve.mjs', ...args]): Promise<string> {
    const server = spawn(process.execPath, command, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    servers.push(server)
    const log: string[] = []
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log.push(chunk.toString())
        const match = /listening on (http:\/\/[\d.:]+)/.exec(log.join(''))
        if (match) resolve(match[1])
      }
      server.stdout!.on('data', onData)
      server.stderr!.on('data', onData)
      server.once('exit', (code) => reject(new Error(`serve.mjs exited ${code}:\n${log.join('')}`)))
    })
  }

  /** Clicks each button and reads what the server function returned. */
  async function clickThrough(url: string): Promise<string[]> {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(url)
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 })
    const results: string[] = []
    for (const [name, expected] of [['Greet', /^Hello, Ada! \(\d+ so far\)$/], ['Add', /^5$/], ['Shout', /^HELLO!$/]] as const) {
      await page.getByRole('button', { name }).click()
      await expect.poll(() => page.locator('#result').textContent(), { timeout: 30_000 }).toMatch(expected)
      results.push((await page.locator('#result').textContent())!)
    }
    await context.close()
    expect(errors).toEqual([])
    return results
  }

  it('Vite: the production build serves every function, also the one only client code imports', async () => {
    const dir = path.join(root, 'examples/vite')
    build(dir, [bin('vite', 'bin', 'vite.js'), 'build'])
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'dist/server/use-server-manifest.json'), 'utf8'))
    expect(Object.values(manifest.actions).map((a: any) => `${a.module}#${a.export}`).sort())
      .toEqual(['src/actions.js#add', 'src/actions.js#greet', 'src/client-only.js#shout'])
    const url = await serve(dir)
    expect((await clickThrough(url)).slice(1)).toEqual(['5', 'HELLO!'])
    // The build's IDs are keyed with the secret it found (USE_SERVER_ACTION_ID_SECRET, else this checkout's generated
    // one): those computed from the source reach nothing. resetVisits, which nothing imports, is not in the manifest:
    // with the secret, its ID is the same 404 as an unknown one, while its sibling answers.
    const secret = resolveSecret(undefined, true, dir)!.value
    const call = (id: string, body: string) => fetch(url, { method: 'POST', headers: { 'rsc-action-id': id }, body })
    expect(manifest.actions[actionId('', 'src/actions.js', 'add', secret)]).toBeDefined()
    for (const [file, name] of [['src/actions.js', 'add'], ['src/actions.js', 'greet'], ['src/client-only.js', 'shout']]) {
      expect((await call(actionId('', file, name), '[]')).status, `${file}#${name}`).toBe(404)
    }
    const refused = await call(actionId('', 'src/actions.js', 'resetVisits', secret), '[]')
    expect(refused.status).toBe(404)
    expect((await refused.json()).code).toBe('USE_SERVER_UNKNOWN_ACTION')
    const sibling = await call(actionId('', 'src/actions.js', 'add', secret), '[2,3]')
    expect(sibling.status).toBe(200)
    expect(await sibling.text()).toContain('5')
  }, 240_000)

  it('Vite: the dev server does the same', async () => {
    expect((await clickThrough(await serve(path.join(root, 'examples/vite'), ['--dev']))).slice(1)).toEqual(['5', 'HELLO!'])
  }, 240_000)

  it('Rollup: the two builds serve every function, also the one only client code imports', async () => {
    const dir = path.join(root, 'examples/rollup')
    build(dir, [bin('rollup', 'dist', 'bin', 'rollup'), '-c'])
    expect(fs.readdirSync(path.join(dir, 'dist/server')).some((file) => file.startsWith('client-only'))).toBe(true)
    // `production: true` in both builds: keyed IDs, none computable from the source.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'dist/server/use-server-manifest.json'), 'utf8'))
    const entries = Object.entries(manifest.actions as Record<string, { module: string; export: string }>)
    expect(entries).toHaveLength(3)
    for (const [id, entry] of entries) expect(id).not.toBe(actionId('', entry.module, entry.export))
    expect((await clickThrough(await serve(dir))).slice(1)).toEqual(['5', 'HELLO!'])
  }, 240_000)

  it('webpack: the production builds serve every function, also the one only client code imports; an export nothing imports is refused', async () => {
    const dir = path.join(root, 'examples/webpack')
    build(dir, ['--input-type=module', '-e', WEBPACK_BUILD])
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'dist/server/use-server-manifest.json'), 'utf8'))
    expect(Object.values(manifest.actions).map((a: any) => `${a.module}#${a.export}`).sort())
      .toEqual(['app/server/client-only.ts#shout', 'app/server/fns.ts#add', 'app/server/fns.ts#greet'])
    const url = await serve(dir, [], ['dist/server/server.cjs'])
    expect((await clickThrough(url)).slice(1)).toEqual(['5', 'HELLO!'])
    // Keyed IDs: those computed from the source reach nothing. resetVisits() is in the bundle but nothing imports it:
    // with its real ID (the build's secret), the same 404 as an unknown ID, while its siblings answer.
    const secret = resolveSecret(undefined, true, dir)!.value
    const call = (name: string, args: unknown[], key: string | null = secret) => fetch(url, {
      method: 'POST', headers: { 'rsc-action-id': actionId('', 'app/server/fns.ts', name, key) }, body: JSON.stringify(args),
    })
    expect((await call('add', [1, 2], null)).status).toBe(404)
    const refused = await call('resetVisits', [])
    expect([refused.status, (await refused.json()).code]).toEqual([404, 'USE_SERVER_UNKNOWN_ACTION'])
    const sibling = await call('add', [20, 22])
    expect([sibling.status, await sibling.text()]).toEqual([200, '0:42\n'])
  }, 240_000)
})
