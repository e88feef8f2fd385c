// The example app (examples/app) built in webpack's development mode (app.test.ts covers production), served and
// driven in Chromium: a callServer click, a server function only client code imports, and the inline-action form
// posted without JavaScript. Runs once: in leg 1 (Babel 7), only where Chromium is at /usr/bin/chromium (app.test.ts
// fails CI when it is missing).
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const appDir = path.join(root, 'examples/app')
const CHROMIUM = '/usr/bin/chromium'
const run = process.env.USE_SERVER_BABEL !== '8' && fs.existsSync(CHROMIUM)

describe.runIf(run)('the example app, webpack development build, in Chromium', () => {
  const dataDir = path.join(appDir, '.data', `test-dev-${process.pid}-${Date.now()}`)
  let server: ChildProcess
  let url = ''
  let browser: Browser

  beforeAll(async () => {
    server = spawn(process.execPath, ['examples/run.mjs'], {
      cwd: root,
      env: {
        ...process.env, WEBPACK_MODE: 'development', PORT: '0', DATA_DIR: dataDir,
        SESSION_SECRET: crypto.randomBytes(24).toString('base64'), USE_SERVER_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const log: string[] = []
    url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log.push(chunk.toString())
        const match = /listening on (http:\/\/localhost:\d+)/.exec(log.join(''))
        if (match) resolve(match[1])
      }
      server.stdout!.on('data', onData)
      server.stderr!.on('data', onData)
      server.once('exit', (code) => reject(new Error(`examples/run.mjs exited ${code}:\n${log.join('')}`)))
    })
    await fetch(`${url}/posts/1`) // warm-up: the database opens on the first request, not in the first test's time
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGINT')
      await exited
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  async function openPage(post: string, javaScriptEnabled = true): Promise<Page> {
    const page = await (await browser.newContext({ javaScriptEnabled })).newPage()
    await page.goto(`${url}/posts/${post}`)
    if (javaScriptEnabled) await page.waitForSelector('html[data-hydrated="true"]')
    return page
  }

  it('is a development build: React development builds, readable bundles, module IDs are paths', () => {
    const dir = path.join(appDir, 'build-development')
    expect(fs.readFileSync(path.join(dir, 'rsc.cjs'), 'utf8')).toContain('react-server-dom-webpack-server.node.development')
    const react = JSON.parse(fs.readFileSync(path.join(dir, 'react-server-manifest.json'), 'utf8'))
    expect(Object.values(react).map((e: any) => e.id).sort()).toContain('./src/stats.js')
  })

  it('callServer: the client buttons call fetchUsers() and countUsers() (imported only by client code)', async () => {
    const page = await openPage('1')
    await page.getByRole('button', { name: 'Load users' }).click()
    await expect.poll(() => page.locator('#users li').allTextContents()).toEqual(expect.arrayContaining(['Ada Lovelace', 'Grace Hopper']))
    await page.getByRole('button', { name: 'Count users' }).click()
    await expect.poll(() => page.locator('#count').textContent()).toMatch(/^\d+ users$/)
    await page.context().close()
  })

  it('the inline-action form works without JavaScript', async () => {
    const page = await openPage('nojs-dev', false)
    const title = `Without JS ${crypto.randomUUID().slice(0, 8)}`
    await page.getByLabel('Title').fill(title)
    await Promise.all([page.waitForURL(`${url}/posts/nojs-dev`), page.getByRole('button', { name: 'Save' }).click()])
    expect(await page.locator('#title').textContent()).toBe(title)
    await page.context().close()
  })
})
