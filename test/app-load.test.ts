// A small run of the benchmark's request mix (bench/load-mix.mjs) against the example app as `npm run example`
// serves it (examples/run.mjs on its shared build, the protections at their defaults): every valid call answered
// and its user counted in the database exactly once; every forged, cross-origin and oversized request refused with
// its status and code, its user never created. Never timed (`npm run bench:server` measures).
// Also a tampered session cookie: never a session, never an error. Runs once, in leg 1 (like the browser test).
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM without types
import { checkMix, FULL_MIX, planMix, prepareMix, runMix } from '../bench/load-mix.mjs'
// @ts-expect-error: plain ESM without types
import { appDir, buildDir, ensureExampleBuild, secretsEnv, startExampleApp } from './support/example-app.mjs'

const leg2 = process.env.USE_SERVER_BABEL === '8'
if (leg2) console.log('test/app-load.test.ts: skipped in leg 2 (Babel 8): it runs once, in leg 1.')

describe.runIf(!leg2)('the example app under a small load mix', () => {
  const dataDir = path.join(appDir, '.data', `load-${process.pid}-${Date.now()}`)
  let app: { url: string; log: string[]; stop(): Promise<void> }
  let manifest: { actions: Record<string, { export: string }> }

  beforeAll(async () => {
    await ensureExampleBuild()
    manifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'use-server-manifest.json'), 'utf8'))
    app = await startExampleApp({ env: { DATA_DIR: dataDir, ...secretsEnv() } })
  }, 180_000)

  afterAll(async () => {
    await app?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  it('answers 200 valid and bad requests as expected, and counts each created user exactly once', async () => {
    const ctx = await prepareMix({ url: app.url, manifest, tag: `t${process.pid}`, posts: 4 })
    const plan = planMix(FULL_MIX, 200)
    for (const kind of Object.keys(FULL_MIX)) expect(plan, kind).toContain(kind)
    const { results } = await runMix(ctx, plan, { concurrency: 10 })
    expect(results).toHaveLength(plan.length)
    expect(await checkMix(ctx, results)).toEqual([])
  }, 120_000)

  it('treats a tampered session cookie as no session: the page signs a new one in, the action answers 401', async () => {
    const first = await fetch(`${app.url}/posts/1`)
    await first.arrayBuffer()
    const genuine = first.headers.get('set-cookie')!.split(';')[0] // session=demo.<signature>
    const [user, signature] = genuine.slice('session='.length).split('.')
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.slice(-1)
    const tampered = [
      `session=admin.${signature}`, // another user, the demo user's signature
      `session=${user}.${flip(signature)}`, // one character of the signature changed
      `session=${user}.${signature}x`, // a longer signature
      `session=%E0%A4%A.${signature}`, // an escape decodeURIComponent rejects
      `session=.${signature}`, // no user
      `session=${user}`, // no signature
    ]
    const createUser = Object.entries(manifest.actions).find(([, a]) => a.export === 'createUser')![0]
    const origin = new URL(app.url).origin
    for (const cookie of tampered) {
      const page = await fetch(`${app.url}/posts/1`, { headers: { cookie } })
      await page.arrayBuffer()
      expect(page.status, cookie).toBe(200)
      expect(page.headers.get('set-cookie'), cookie).toMatch(/^session=demo\./)
      const name = `Tampered ${crypto.randomUUID().slice(0, 8)}`
      const call = await fetch(`${app.url}/posts/1`, {
        method: 'POST', headers: { origin, cookie, 'rsc-action-id': createUser }, body: JSON.stringify([{ name }]),
      })
      expect(call.status, cookie).toBe(401)
      expect(await call.json()).toEqual({ error: 'Not signed in' })
    }
    // The genuine cookie still works (so the refusals above are the tampering's doing).
    const page = await fetch(`${app.url}/posts/1`, { headers: { cookie: genuine } })
    await page.arrayBuffer()
    expect(page.headers.get('set-cookie')).toBeNull()
  })
})
