// `npm run bench:server` (builds the plugin first): the example app's action endpoint under load, on loopback.
//
// Builds examples/app (or reuses its build, see test/support/example-app.mjs) and serves it twice, each in its own
// process with its own PGlite database: with the protections at their defaults, and with them off (origin check
// and body limit; bench/serve-app.mjs --unprotected). Then:
//   1. correctness: the full mix of bench/load-mix.mjs (valid calls and form posts, forged bound values,
//      cross-origin and oversized requests) against the protected app. Every valid request must be answered and its
//      user counted in the database exactly once; every bad one refused with its status and code. Latency is
//      reported per kind (the refusals' too).
//   2. memory: one 64 MiB callServer body streamed on each connection at once (what a server that reads bodies whole
//      would hold: concurrency × 64 MiB). Each must be refused (413, or the connection cut once the server has
//      dropped 8 MiB of it) and the server's RSS (sampled every 20 ms) may grow by at most --max-rss-growth-mb.
//      (PGlite alone keeps ~800 MB resident, so the growth is what tells.)
//   3. cost: valid requests only, in alternating rounds on both apps (so both see the same machine load); requests/s
//      (median of the rounds) and p50/p99 latency (all rounds' requests), and protected / unprotected as ratios.
// Flags: --total=N (phase 1, default 3000) --round=N (requests per round of phase 3, default 500) --rounds=N
//        (default 6) --concurrency=N (default 32) --max-rss-growth-mb=N (default 64) --max-seconds=N (the whole run,
//        default 900) --no-write (don't write bench/server-results.md)
// Exits non-zero when a check fails.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDir, ensureExampleBuild, secretsEnv, startExampleApp } from '../test/support/example-app.mjs'
import { checkMix, EXPECT, FULL_MIX, planMix, prepareMix, runMix, summarize, VALID_MIX } from './load-mix.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v = 'true'] = a.replace(/^--/, '').split('=')
  return [k, v]
}))
const total = Number(args.total ?? 3000)
const roundSize = Number(args.round ?? 500)
const rounds = Number(args.rounds ?? 6)
const concurrency = Number(args.concurrency ?? 32)
const maxGrowthMb = Number(args['max-rss-growth-mb'] ?? 64)
const maxSeconds = Number(args['max-seconds'] ?? 900)
const MB = 1024 * 1024

const runDir = path.join(here, '..', '.cache', `bench-server-${process.pid}`)
fs.mkdirSync(runDir, { recursive: true })
const apps = []
async function cleanUp() {
  await Promise.all(apps.map((app) => app.stop()))
  fs.rmSync(runDir, { recursive: true, force: true })
}
process.on('unhandledRejection', async (error) => {
  console.error(error)
  await cleanUp()
  process.exit(1)
})
const guard = setTimeout(async () => {
  console.error(`bench:server: still running after ${maxSeconds}s, stopping`)
  await cleanUp()
  process.exit(1)
}, maxSeconds * 1000)

const loadAtStart = os.loadavg()[0]
const build = await ensureExampleBuild()
console.log(build.built ? `built examples/app in ${build.seconds.toFixed(1)}s` : 'reusing the build of examples/app')
const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'use-server-manifest.json'), 'utf8'))

/** One app: its server process, the mix's context against it and its memory figures over IPC. */
async function start(variant) {
  const app = await startExampleApp({
    script: [path.join(here, 'serve-app.mjs'), ...(variant === 'off' ? ['--unprotected'] : [])],
    env: { DATA_DIR: path.join(runDir, variant), ...secretsEnv() },
    ipc: true,
  })
  apps.push(app)
  const ctx = await prepareMix({ url: app.url, manifest, tag: `b${variant}`, posts: 16 })
  const stats = () => new Promise((resolve) => {
    app.child.once('message', resolve)
    app.child.send('stats')
  })
  return { variant, app, ctx, stats }
}

const problems = []
const check = async (label, ctx, results) => {
  for (const p of await checkMix(ctx, results)) problems.push(`${label}: ${p}`)
}
const fmt = (n, digits = 1) => n.toFixed(digits)

const [on, off] = await Promise.all([start('on'), start('off')])
// Warm-up (JIT, the database's first pages), checked like the rest.
for (const app of [on, off]) {
  const tagged = { ...app.ctx, tag: `${app.ctx.tag}w` }
  await check(`warm-up (${app.variant})`, tagged, (await runMix(tagged, planMix(VALID_MIX, 200), { concurrency })).results)
}

// 1. The full mix on the protected app.
const fullCtx = { ...on.ctx, tag: `${on.ctx.tag}f` }
const full = await runMix(fullCtx, planMix(FULL_MIX, total), { concurrency, maxSeconds: maxSeconds / 3 })
if (full.results.length < total) problems.push(`full mix: stopped after ${full.results.length} of ${total} requests (time limit)`)
await check('full mix', fullCtx, full.results)
const byKind = Object.keys(FULL_MIX).map((kind) => {
  const results = full.results.filter((r) => r.kind === kind)
  const want = EXPECT[kind]
  const right = results.filter((r) => r.status === want.status && (!want.code || r.code === want.code)).length
  return { kind, want: `${want.status}${want.code ? ` ${want.code}` : ''}`, count: results.length, right, ...summarize(results, full.seconds) }
})
const fullSummary = summarize(full.results, full.seconds)

// 2. Huge bodies, all at once.
const HUGE = 64 * MB
const rssBefore = (await on.stats()).rss
const chunk = new Uint8Array(64 * 1024).fill(0x78)
const huge = await Promise.all(Array.from({ length: concurrency }, async () => {
  let sent = 0
  const body = new ReadableStream({
    pull(controller) {
      if (sent >= HUGE) return controller.close()
      sent += chunk.length
      controller.enqueue(chunk)
    },
  })
  try {
    const response = await fetch(`${on.ctx.url}/posts/1`, {
      method: 'POST', duplex: 'half', body, headers: { origin: on.ctx.origin, cookie: on.ctx.cookie, 'rsc-action-id': on.ctx.createUser },
    })
    const text = await response.text()
    return response.status === 413 && text.includes('USE_SERVER_BODY_TOO_LARGE') ? 'refused' : `answered ${response.status}`
  } catch (error) {
    return /ECONNRESET|EPIPE|other side closed|SocketError/.test(`${error.cause?.code} ${error.cause?.message} ${error.cause?.name}`) ? 'cut' : `failed: ${error.cause?.message ?? error.message}`
  }
}))
const hugeGrowth = (await on.stats()).sampled - rssBefore
const tally = new Map()
for (const outcome of huge) tally.set(outcome, (tally.get(outcome) ?? 0) + 1)
const hugeOutcomes = [...tally].map(([outcome, n]) => `${n} ${outcome}`).join(', ')
for (const outcome of huge) if (outcome !== 'refused' && outcome !== 'cut') problems.push(`a 64 MiB body was ${outcome}`)
if (hugeGrowth > maxGrowthMb * MB) problems.push(`the server's RSS grew by ${fmt(hugeGrowth / MB)} MB under the 64 MiB bodies (limit ${maxGrowthMb} MB)`)

// 3. Valid requests only, alternating rounds on both apps.
const timed = { on: [], off: [] }
for (let round = 0; round < rounds; round++) {
  for (const app of round % 2 ? [off, on] : [on, off]) {
    const ctx = { ...app.ctx, tag: `${app.ctx.tag}r${round}` }
    const run = await runMix(ctx, planMix(VALID_MIX, roundSize), { concurrency, maxSeconds: maxSeconds / 3 / rounds })
    await check(`round ${round} (${app.variant})`, ctx, run.results)
    timed[app.variant].push(run)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cost = {}
for (const variant of ['on', 'off']) {
  const all = timed[variant].flatMap((r) => r.results)
  const pooled = summarize(all, 1)
  cost[variant] = { requests: all.length, perSecond: median(timed[variant].map((r) => summarize(r.results, r.seconds).perSecond)), p50: pooled.p50, p99: pooled.p99 }
}
const memory = { on: await on.stats(), off: await off.stats() }
// Each round's protected requests/s over the unprotected round next to it: the spread shows the machine's noise.
const roundRatios = timed.on.map((run, i) => summarize(run.results, run.seconds).perSecond / summarize(timed.off[i].results, timed.off[i].seconds).perSecond)
await cleanUp()
clearTimeout(guard)

// The report.
const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
const lines = [
  '# Bench: the example app\'s action endpoint under load',
  '',
  `Node ${process.version}, ${cpu} (${os.cpus().length} threads, shared with other work: load average ${fmt(loadAtStart)} at the start), loopback, ` +
    `${concurrency} concurrent keep-alive connections (Node's fetch). Generated by \`npm run bench:server\` (bench/server.mjs); ` +
    'absolute figures depend on the machine and its load, the ratios of the interleaved rounds less so.',
  '',
  `## Correctness: ${full.results.length} requests of the full mix, protections at their defaults`,
  '',
  `${fmt(fullSummary.perSecond)} requests/s, p50 ${fmt(fullSummary.p50)} ms, p99 ${fmt(fullSummary.p99)} ms. ` +
    `${problems.length ? `**${problems.length} problems** (below)` : 'Every check held'}: each valid request answered and its user in the ` +
    'database exactly once, each bad one refused with its status and code and its user never created.',
  '',
  '| kind | expected | requests | answered as expected | p50 ms | p99 ms |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...byKind.map((k) => `| ${k.kind} | ${k.want} | ${k.count} | ${k.right} | ${fmt(k.p50)} | ${fmt(k.p99)} |`),
  '',
  `## Memory: ${concurrency} bodies of 64 MiB at once`,
  '',
  `${hugeOutcomes} (refused: 413 read by the client; cut: the connection closed once the server had dropped 8 MiB). ` +
    `The server's RSS (sampled every 20 ms) grew by at most ${fmt(hugeGrowth / MB)} MB (limit ${maxGrowthMb} MB; reading them whole would take ` +
    `${fmt((concurrency * HUGE) / MB, 0)} MB). Peak RSS over the whole run: ${fmt(memory.on.maxRss / MB)} MB, most of it PGlite's WebAssembly heap.`,
  '',
  `## Cost: valid requests only, ${rounds} alternating rounds of ${roundSize} on each app`,
  '',
  '| app | requests | requests/s (median of rounds) | p50 ms | p99 ms | peak RSS MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...['on', 'off'].map((v) => `| protections ${v === 'on' ? 'on (defaults)' : 'off'} | ${cost[v].requests} | ${fmt(cost[v].perSecond)} | ${fmt(cost[v].p50)} | ${fmt(cost[v].p99)} | ${fmt(memory[v].maxRss / MB)} |`),
  `| on / off | | ${fmt(cost.on.perSecond / cost.off.perSecond, 3)} (rounds: ${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)}) | ${fmt(cost.on.p50 / cost.off.p50, 3)} | ${fmt(cost.on.p99 / cost.off.p99, 3)} | |`,
  '',
  'Valid requests: 58 % `callServer(createUser)` (encodeReply), 25 % form posts of createUser without JavaScript, 17 % the ' +
    'page\'s inline updatePost form with its encrypted bound value. Kinds: see bench/load-mix.mjs.',
  ...(problems.length ? ['', '## Problems', '', ...problems.slice(0, 50).map((p) => `- ${p}`)] : []),
]
const report = lines.join('\n') + '\n'
console.log(`\n${report}`)
if (!args['no-write']) fs.writeFileSync(path.join(here, 'server-results.md'), report)
if (problems.length) {
  console.error(`bench:server: ${problems.length} problems`)
  process.exitCode = 1
}
