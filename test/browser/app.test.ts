// The example app (examples/app) end to end in Chromium: its shared build (webpack: client, RSC and SSR builds with
// the plugin, see test/support/example-app.mjs) served by `node examples/run.mjs`; the browser clicks, submits forms
// with and without JavaScript, and raw requests check that forged bound values and unauthenticated calls are
// refused with nothing changed. A page of another origin (another port of localhost, and 127.0.0.1) posts forms and
// fetches to the app: refused, nothing changed.
// Runs once: in leg 1 (Babel 7). Chromium must be at /usr/bin/chromium; without it this fails in CI and skips elsewhere.
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionId as computeId } from '../../src/ids.ts'
import { resolveSecret } from '../../src/secret.ts'
// @ts-expect-error plain ES module without types
import { ensureExampleBuild, startExampleApp } from '../support/example-app.mjs'

const root = path.resolve(import.meta.dirname, '../..')
const appDir = path.join(root, 'examples/app')
const CHROMIUM = '/usr/bin/chromium'
const leg2 = process.env.USE_SERVER_BABEL === '8'
const haveChromium = fs.existsSync(CHROMIUM)

if (leg2) console.log('test/browser/app.test.ts: skipped in leg 2 (Babel 8): the browser test runs once, in leg 1.')
else if (!haveChromium && !process.env.CI) {
  console.log(`test/browser/app.test.ts: SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium). In CI this fails.`)
}

describe.runIf(!leg2 && !haveChromium && process.env.CI)('browser: install check', () => {
  it(`has Chromium at ${CHROMIUM}`, () => {
    expect.fail(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium).`)
  })
})

describe.runIf(!leg2 && haveChromium)('the example app in Chromium', () => {
  const secret = crypto.randomBytes(24).toString('base64')
  const dataDir = path.join(appDir, '.data', `test-${process.pid}-${Date.now()}`)
  let app: { url: string; stop(): Promise<void> }
  let url = ''
  let browser: Browser
  let manifest: { actions: Record<string, { module: string; export: string }> }
  const actionId = (name: string) => Object.entries(manifest.actions).find(([, a]) => a.export === name)![0]

  beforeAll(async () => {
    const started = performance.now()
    const build = await ensureExampleBuild()
    app = await startExampleApp({ env: { DATA_DIR: dataDir, SESSION_SECRET: secret, USE_SERVER_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') } })
    url = app.url
    await fetch(`${url}/posts/1`) // warm-up: the database opens on the first request, not in the first test's time
    console.log(`example: ${build.built ? `built in ${build.seconds.toFixed(1)}s` : 'build reused'}, serving after ${((performance.now() - started) / 1000).toFixed(1)}s`)
    manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'build/use-server-manifest.json'), 'utf8'))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  async function openPage(post: string, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    await page.goto(`${url}/posts/${post}`)
    if (javaScriptEnabled) await page.waitForSelector('html[data-hydrated="true"]')
    return page
  }

  /** A raw HTTP client with the session cookie the app gives a visitor. */
  async function signedIn(): Promise<string> {
    const response = await fetch(`${url}/posts/1`)
    return response.headers.get('set-cookie')!.split(';')[0]
  }

  /** The hidden fields react-dom rendered into the page's inline-action form (what a browser without JS posts). */
  async function formFields(post: string, cookie: string): Promise<[string, string][]> {
    const html = await (await fetch(`${url}/posts/${post}`, { headers: { cookie } })).text()
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    return [...html.matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/>/g)].map((m) => [unescape(m[1]), unescape(m[2] ?? '')])
  }

  function post(path: string, fields: [string, string][], cookie?: string): Promise<Response> {
    const form = new FormData()
    for (const [k, v] of fields) form.append(k, v)
    return fetch(`${url}${path}`, { method: 'POST', body: form, redirect: 'manual', headers: cookie ? { cookie } : {} })
  }

  const titleOf = async (post: string) => /<h1 id="title">([^<]*)<\/h1>/.exec(await (await fetch(`${url}/posts/${post}`)).text())?.[1]

  it('the client button calls fetchUsers() and shows the users from the database', async () => {
    const page = await openPage('1')
    await page.getByRole('button', { name: 'Load users' }).click()
    await expect.poll(() => page.locator('#users li').allTextContents()).toEqual(expect.arrayContaining(['Ada Lovelace', 'Grace Hopper']))
    const name = `Tester ${crypto.randomUUID().slice(0, 8)}`
    await page.getByLabel('New user').fill(name)
    await page.getByRole('button', { name: 'Add user' }).click()
    await expect.poll(() => page.locator('#users li').allTextContents()).toContain(name)
    await page.context().close()
  })

  it('calls countUsers(), a server function that only client code imports (UseServerPlugin `include`)', async () => {
    const page = await openPage('1')
    await page.getByRole('button', { name: 'Count users' }).click()
    await expect.poll(() => page.locator('#count').textContent()).toMatch(/^\d+ users$/)
    await page.context().close()
  })

  it('the inline-action form updates the post (with JavaScript), and a reload shows it persisted', async () => {
    const page = await openPage('js')
    const title = `With JS ${crypto.randomUUID().slice(0, 8)}`
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('#title').textContent()).toBe(title)
    await page.reload()
    expect(await page.locator('#title').textContent()).toBe(title)
    await page.context().close()
  })

  it('the same form works without JavaScript (progressive enhancement)', async () => {
    const page = await openPage('nojs', false)
    const title = `Without JS ${crypto.randomUUID().slice(0, 8)}`
    await page.getByLabel('Title').fill(title)
    await Promise.all([page.waitForURL(`${url}/posts/nojs`), page.getByRole('button', { name: 'Save' }).click()])
    expect(await page.locator('#title').textContent()).toBe(title)
    await page.context().close()
    expect(await titleOf('nojs')).toBe(title)
  })

  it('refuses a form post whose bound value was tampered with, and changes nothing', async () => {
    const cookie = await signedIn()
    const fields = await formFields('tamper', cookie)
    const ciphertext = fields.find(([, v]) => /^"[A-Za-z0-9+/=]{40,}"$/.test(v))
    expect(ciphertext, JSON.stringify(fields)).toBeDefined()
    // The untouched fields work (so the refusal below is the tampering's doing)...
    expect((await post('/posts/tamper', [...fields, ['title', 'Genuine']], cookie)).status).toBe(303)
    expect(await titleOf('tamper')).toBe('Genuine')
    // ...one flipped character of the ciphertext does not.
    const value = ciphertext![1]
    const i = Math.floor(value.length / 2)
    const forged = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1)
    const tampered = fields.map(([k, v]): [string, string] => [k, v === value ? forged : v])
    const response = await post('/posts/tamper', [...tampered, ['title', 'Forged']], cookie)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'USE_SERVER_INVALID_BOUND' })
    // Genuine bound values of another post's form, posted to this URL: they bind what the server rendered for
    // that form (params.id = 'other'), so they update 'other' and can never be pointed at 'tamper'.
    const moved = await formFields('other', cookie)
    expect((await post('/posts/tamper', [...moved, ['title', 'Moved']], cookie)).status).toBe(303)
    expect(await titleOf('tamper')).toBe('Genuine')
    expect(await titleOf('other')).toBe('Moved')
  })

  it('refuses unauthenticated calls (no session cookie) and changes nothing', async () => {
    const name = `Mallory ${crypto.randomUUID().slice(0, 8)}`
    const call = await fetch(`${url}/posts/1`, { method: 'POST', headers: { 'rsc-action-id': actionId('createUser') }, body: JSON.stringify([{ name }]) })
    expect(call.status).toBe(401)
    expect(await call.json()).toEqual({ error: 'Not signed in' })
    const forgedCookie = 'session=admin.' + crypto.randomBytes(32).toString('base64url')
    const forged = await fetch(`${url}/posts/1`, { method: 'POST', headers: { 'rsc-action-id': actionId('fetchUsers'), cookie: forgedCookie }, body: '[]' })
    expect(forged.status).toBe(401)
    // The inline action, with genuine bound values but no cookie.
    const cookie = await signedIn()
    const before = await titleOf('auth')
    const response = await post('/posts/auth', [...await formFields('auth', cookie), ['title', 'Anonymous']])
    expect(response.status).toBe(401)
    expect(await titleOf('auth')).toBe(before)
    // Signed in, the user list has no Mallory.
    const list = await fetch(`${url}/posts/1`, { method: 'POST', headers: { 'rsc-action-id': actionId('fetchUsers'), cookie }, body: '[]' })
    expect(list.status).toBe(200)
    const text = await list.text()
    expect(text).toContain('Ada Lovelace')
    expect(text).not.toContain(name)
  })

  /** Names in the users table, read through fetchUsers with a genuine session. */
  async function userNames(cookie: string): Promise<string> {
    const list = await fetch(`${url}/posts/1`, { method: 'POST', headers: { 'rsc-action-id': actionId('fetchUsers'), cookie }, body: '[]' })
    expect(list.status).toBe(200)
    return list.text()
  }

  /** A server on another port of loopback: its page holds a form that posts createUser's `$ACTION_ID_` shape to the app. */
  async function otherOrigin(): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      const name = new URL(req.url!, 'http://x').searchParams.get('name') ?? ''
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><form method="POST" action="${url}/posts/1">
        <input type="hidden" name="$ACTION_ID_${actionId('createUser')}" value=""><input name="name" value="${name}">
        <button type="submit">Send</button></form>`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as { port: number }).port, close: () => new Promise((resolve) => server.close(() => resolve())) }
  }

  // localhost:<other port> is the same site as the app, so its SameSite=Lax cookie goes along: only the origin
  // check stands between that page and the action. 127.0.0.1 is another site (no cookie: a 401 without the check).
  for (const host of ['localhost', '127.0.0.1']) {
    it(`refuses a form post and fetches from another origin (http://${host}:<other port>), and changes nothing`, async () => {
      const other = await otherOrigin()
      const otherUrl = `http://${host}:${other.port}`
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`${url}/posts/1`) // the visitor's session cookie
      const cookie = (await context.cookies(url)).map((c) => `${c.name}=${c.value}`).join('; ')
      const name = `Cross ${crypto.randomUUID().slice(0, 8)}`
      await page.goto(`${otherUrl}/?name=${encodeURIComponent(name)}`)
      const isPost = (r: { url(): string; request(): { method(): string } }) => r.url().startsWith(url) && r.request().method() === 'POST'
      const [response] = await Promise.all([page.waitForResponse(isPost), page.getByRole('button', { name: 'Send' }).click()])
      expect(response.status()).toBe(403)
      expect(await response.json()).toMatchObject({ code: 'USE_SERVER_FORBIDDEN_ORIGIN' })
      const sent = await response.request().allHeaders()
      expect(sent.origin).toBe(otherUrl)
      if (host === 'localhost') expect(sent.cookie).toMatch(/session=/)
      // fetch with the rsc-action-id header: the browser's CORS preflight gets no permission, so it is never sent.
      await page.goto(`${otherUrl}/`)
      const args = { target: `${url}/posts/1`, id: actionId('createUser'), name }
      expect(await page.evaluate(async ({ target, id, name }) => {
        try {
          await fetch(target, { method: 'POST', credentials: 'include', headers: { 'rsc-action-id': id }, body: JSON.stringify([{ name }]) })
          return 'sent'
        } catch {
          return 'blocked'
        }
      }, args)).toBe('blocked')
      // A no-cors fetch of the form's fields needs no preflight: the server refuses it.
      const [noCors] = await Promise.all([page.waitForResponse(isPost), page.evaluate(({ target, id, name }) => {
        const form = new FormData()
        form.append(`$ACTION_ID_${id}`, '')
        form.append('name', name)
        return fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', body: form }).then(() => 'done')
      }, args)])
      expect(noCors.status()).toBe(403)
      // The same call outside a browser, with the other origin's Origin and the genuine cookie.
      const raw = await fetch(`${url}/posts/1`, { method: 'POST', headers: { origin: otherUrl, cookie, 'rsc-action-id': args.id }, body: JSON.stringify([{ name }]) })
      expect(raw.status).toBe(403)
      expect(await raw.json()).toMatchObject({ code: 'USE_SERVER_FORBIDDEN_ORIGIN' })
      expect(await userNames(cookie)).not.toContain(name)
      await context.close()
      await other.close()
    })
  }

  it('refuses a server function nothing imports, and every ID computed from the source, while its siblings work', async () => {
    const cookie = await signedIn()
    const call = (id: string) => fetch(`${url}/posts/1`, { method: 'POST', headers: { 'rsc-action-id': id, cookie }, body: '[]' })
    // The production build's IDs are keyed with the secret the build found (USE_SERVER_ACTION_ID_SECRET, else the
    // one it made for this checkout), as the plugin resolves it for the app's root.
    const idSecret = resolveSecret(undefined, true, path.join(appDir, 'src'))!.value
    expect(actionId('fetchUsers')).toBe(computeId('', 'actions.js', 'fetchUsers', idSecret))
    // deleteAllUsers, an export of actions.js that nothing imports, is not in the manifest: even with the secret,
    // its ID gets the same 404 as an ID that never existed.
    expect(Object.values(manifest.actions).map((a) => a.export)).not.toContain('deleteAllUsers')
    const refused = await call(computeId('', 'actions.js', 'deleteAllUsers', idSecret))
    const unknown = await call('0'.repeat(40))
    expect([refused.status, unknown.status]).toEqual([404, 404])
    expect((await refused.json()).code).toBe('USE_SERVER_UNKNOWN_ACTION')
    // The IDs anyone can compute from the source (no secret, empty salt) reach no server function.
    const exported = { 'actions.js': ['createUser', 'fetchUsers', 'deleteAllUsers'], 'stats.js': ['countUsers'] }
    for (const [file, names] of Object.entries(exported)) {
      for (const name of names) expect((await call(computeId('', file, name))).status, `${file}#${name}`).toBe(404)
    }
    // Its sibling in the same module answers, and the users are all still there.
    const list = await call(actionId('fetchUsers'))
    expect(list.status).toBe(200)
    expect(await list.text()).toContain('Ada Lovelace')
  })

  it('ships no server code to the browser', () => {
    const dir = path.join(appDir, 'build/static')
    const chunks = fs.readdirSync(dir).filter((f) => f.endsWith('.js'))
    expect(chunks.length).toBeGreaterThan(1)
    const serverOnly = [
      secret, 'DELETE FROM', 'INSERT INTO', 'SELECT id, name FROM users', 'CREATE TABLE', 'ON CONFLICT', // SQL and the secret
      'createHmac', 'SESSION_SECRET', 'requireUser', 'pglite', 'PGlite', 'AsyncLocalStorage', // server code
      'db.js', 'session.js', 'posts.js', 'page.jsx', 'rsc.jsx', '_$$action_', // server modules
      'decryptBoundValues', 'registerServerReference', // the server runtime
    ]
    for (const file of chunks) {
      const code = fs.readFileSync(path.join(dir, file), 'utf8')
      for (const needle of serverOnly) expect(code.includes(needle), `${file} contains ${JSON.stringify(needle)}`).toBe(false)
    }
    // The client stubs are there: the action IDs of actions.js, and no inline action's.
    const all = chunks.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n')
    expect(all).toContain(actionId('fetchUsers'))
    expect(all).not.toContain(actionId('_$$action_updatePost'))
  })
})
