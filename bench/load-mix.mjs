// The request mix that `npm run bench:server` (bench/server.mjs) and test/app-load.test.ts send to the example app's
// action endpoint, and the checks of what came back and of what the database holds afterwards.
//
// Valid requests, made the way a same-origin browser makes them (Origin: the app's own, the session cookie):
//   call      callServer(createUser, [{ name }]): `rsc-action-id` header, body from React's encodeReply → 200
//   form      a form post without JavaScript: `$ACTION_ID_<createUser>` + name (multipart)         → 303
//   inline    the page's inline updatePost form, with its encrypted bound value, as react-dom rendered it → 303
// Bad requests, each with a new name that must never reach the database:
//   forged    the inline form with one character of its ciphertext changed            → 400 USE_SERVER_INVALID_BOUND
//   crossCall callServer from another origin (Origin: http://evil.example)            → 403 USE_SERVER_FORBIDDEN_ORIGIN
//   crossForm the form post from another origin of the same site (localhost, other port) → 403 (same code)
//   crossSite the form post with no Origin but `Sec-Fetch-Site: cross-site`           → 403 (same code)
//   bigCall   callServer with a 1.5 MiB body                                          → 413 USE_SERVER_BODY_TOO_LARGE
//   bigStream the same body streamed (chunked, no Content-Length: counted as it arrives) → 413 (same code)
//   bigForm   the form post with a 1.5 MiB file part                                  → 413 (same code)
import { performance } from 'node:perf_hooks'
import { encodeReply } from 'react-server-dom-webpack/client'

export const EXPECT = {
  call: { status: 200 },
  form: { status: 303 },
  inline: { status: 303 },
  forged: { status: 400, code: 'USE_SERVER_INVALID_BOUND' },
  crossCall: { status: 403, code: 'USE_SERVER_FORBIDDEN_ORIGIN' },
  crossForm: { status: 403, code: 'USE_SERVER_FORBIDDEN_ORIGIN' },
  crossSite: { status: 403, code: 'USE_SERVER_FORBIDDEN_ORIGIN' },
  bigCall: { status: 413, code: 'USE_SERVER_BODY_TOO_LARGE' },
  bigStream: { status: 413, code: 'USE_SERVER_BODY_TOO_LARGE' },
  bigForm: { status: 413, code: 'USE_SERVER_BODY_TOO_LARGE' },
}
/** Kinds that must succeed and, for those that insert a user, be counted in the database exactly once. */
export const VALID = ['call', 'form', 'inline']
const INSERTS = new Set(['call', 'form'])

/** Shares of the full mix (they sum to 1). */
export const FULL_MIX = { call: 0.35, form: 0.15, inline: 0.1, forged: 0.08, crossCall: 0.08, crossForm: 0.06, crossSite: 0.06, bigCall: 0.04, bigStream: 0.04, bigForm: 0.04 }
/** Valid requests only, in the same proportions: what both the protected and the unprotected app are timed on. */
export const VALID_MIX = { call: 0.35 / 0.6, form: 0.15 / 0.6, inline: 0.1 / 0.6 }

const BIG = Buffer.alloc(1.5 * 1024 * 1024, 'x')

/**
 * What the mix needs from a running app at `url` (http://localhost:<port>): a session cookie, the action IDs from
 * `manifest` (the parsed use-server-manifest.json), and the genuine hidden fields of `posts` inline-action forms.
 * `tag` prefixes every name this run writes, so runs against one database do not mix.
 */
export async function prepareMix({ url, manifest, tag, posts = 8 }) {
  const id = (name) => Object.entries(manifest.actions).find(([, a]) => a.export === name)[0]
  const first = await fetch(`${url}/posts/1`)
  await first.arrayBuffer()
  const cookie = first.headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error(`GET /posts/1 answered ${first.status} without a session cookie`)
  const forms = []
  for (let i = 0; i < posts; i++) forms.push(await inlineFields(url, `${tag}-p${i}`, cookie))
  const ciphertext = forms[0].find(([, v]) => /^"[A-Za-z0-9+/=]{40,}"$/.test(v))
  if (!ciphertext) throw new Error(`no ciphertext among the form's fields: ${JSON.stringify(forms[0])}`)
  const at = Math.floor(ciphertext[1].length / 2)
  const flipped = ciphertext[1].slice(0, at) + (ciphertext[1][at] === 'A' ? 'B' : 'A') + ciphertext[1].slice(at + 1)
  const forged = forms[0].map(([k, v]) => [k, v === ciphertext[1] ? flipped : v])
  return { url, origin: new URL(url).origin, tag, cookie, createUser: id('createUser'), fetchUsers: id('fetchUsers'), forms, forged }
}

/** The hidden fields react-dom rendered into the inline-action form of /posts/<post>. */
async function inlineFields(url, post, cookie) {
  const html = await (await fetch(`${url}/posts/${post}`, { headers: { cookie } })).text()
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  return [...html.matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/>/g)].map((m) => [unescape(m[1]), unescape(m[2] ?? '')])
}

/** `total` kinds in the proportions of `mix`, interleaved deterministically (a fixed-seed shuffle). */
export function planMix(mix, total) {
  const plan = []
  for (const [kind, share] of Object.entries(mix)) for (let i = Math.round(share * total); i > 0; i--) plan.push(kind)
  let seed = 0x2545f491
  for (let i = plan.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    const j = seed % (i + 1)
    ;[plan[i], plan[j]] = [plan[j], plan[i]]
  }
  return plan
}

/** `text` as a stream of 64 KiB chunks: fetch sends it chunked, without a Content-Length. */
function streamOf(text) {
  const bytes = new TextEncoder().encode(text)
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(at, (at += 65536)))
    },
  })
}

function form(fields, file) {
  const body = new FormData()
  for (const [k, v] of fields) body.append(k, v)
  if (file) body.append('avatar', new Blob([file]), 'avatar.bin')
  return body
}

/** The fetch arguments of request `i` of kind `kind`, and the user name it tries to create (if any). */
async function requestOf(ctx, kind, i) {
  const same = { origin: ctx.origin, cookie: ctx.cookie }
  const ok = `${ctx.tag}-ok-${i}`
  const bad = `${ctx.tag}-bad-${i}`
  const call = async (name, headers, body) => ({ headers: { ...headers, 'rsc-action-id': ctx.createUser }, body: body ?? await encodeReply([{ name }]) })
  const createForm = (name, file) => form([[`$ACTION_ID_${ctx.createUser}`, ''], ['name', name]], file)
  const otherOrigin = `http://localhost:${Number(new URL(ctx.url).port) === 65535 ? 65534 : Number(new URL(ctx.url).port) + 1}`
  switch (kind) {
    case 'call': return { name: ok, init: await call(ok, same) }
    case 'form': return { name: ok, init: { headers: same, body: createForm(ok) } }
    case 'inline': return { init: { headers: same, body: form([...ctx.forms[i % ctx.forms.length], ['title', ok]]) } }
    case 'forged': return { init: { headers: same, body: form([...ctx.forged, ['title', bad]]) } }
    case 'crossCall': return { name: bad, init: await call(bad, { ...same, origin: 'http://evil.example' }) }
    case 'crossForm': return { name: bad, init: { headers: { ...same, origin: otherOrigin }, body: createForm(bad) } }
    case 'crossSite': return { name: bad, init: { headers: { cookie: ctx.cookie, 'sec-fetch-site': 'cross-site' }, body: createForm(bad) } }
    case 'bigCall': return { name: bad, init: await call(bad, same, JSON.stringify([{ name: bad, pad: BIG.toString() }])) }
    case 'bigStream': return { name: bad, init: { ...await call(bad, same, streamOf(JSON.stringify([{ name: bad, pad: BIG.toString() }]))), duplex: 'half' } }
    case 'bigForm': return { name: bad, init: { headers: same, body: createForm(bad, BIG) } }
    default: throw new Error(`unknown kind ${kind}`)
  }
}

/**
 * Sends `plan` (from planMix) to the app over `concurrency` parallel connections (Node's fetch keeps them alive),
 * each request to /posts/1 and its answer read whole. Stops early after `maxSeconds`.
 * @returns {Promise<{ results: { kind: string, name?: string, status: number, code?: string, ms: number, error?: string }[], seconds: number }>}
 */
export async function runMix(ctx, plan, { concurrency, maxSeconds = 120 }) {
  const results = []
  const started = performance.now()
  let next = 0
  async function worker() {
    while (next < plan.length && performance.now() - started < maxSeconds * 1000) {
      const i = next++
      const kind = plan[i]
      const { name, init } = await requestOf(ctx, kind, i)
      const t0 = performance.now()
      const result = { kind, name, status: 0 }
      try {
        const response = await fetch(`${ctx.url}/posts/1`, { method: 'POST', redirect: 'manual', ...init })
        result.status = response.status
        const text = await response.text()
        if (response.headers.get('content-type')?.startsWith('application/json')) result.code = JSON.parse(text).code
      } catch (error) {
        result.error = `${error.message}${error.cause ? `: ${error.cause.code ?? error.cause.message}` : ''}`
      }
      result.ms = performance.now() - t0
      results.push(result)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { results, seconds: (performance.now() - started) / 1000 }
}

/** The names of every user in the database, through the app's own fetchUsers server function. */
async function userNames(ctx) {
  const response = await fetch(`${ctx.url}/posts/1`, {
    method: 'POST', headers: { origin: ctx.origin, cookie: ctx.cookie, 'rsc-action-id': ctx.fetchUsers }, body: await encodeReply([]),
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`fetchUsers answered ${response.status}: ${text.slice(0, 200)}`)
  return [...text.matchAll(/"name":"([^"\\]*)"/g)].map((m) => m[1])
}

/**
 * Checks a mix's results against EXPECT and the database: every valid request answered as expected and each user it
 * created present exactly once; every bad request refused with its status and code, and none of its names present.
 * @returns {Promise<string[]>} the problems found (empty when everything held)
 */
export async function checkMix(ctx, results) {
  const problems = []
  for (const r of results) {
    const want = EXPECT[r.kind]
    if (r.status !== want.status || (want.code && r.code !== want.code)) {
      problems.push(`${r.kind}: expected ${want.status}${want.code ? ` ${want.code}` : ''}, got ${r.error ?? `${r.status} ${r.code ?? ''}`}`)
    }
  }
  const counts = new Map()
  for (const name of await userNames(ctx)) if (name.startsWith(`${ctx.tag}-`)) counts.set(name, (counts.get(name) ?? 0) + 1)
  let created = 0
  for (const r of results) {
    if (!r.name) continue
    const n = counts.get(r.name) ?? 0
    if (INSERTS.has(r.kind)) {
      created++
      if (n !== 1) problems.push(`${r.kind}: ${r.name} is in the database ${n} times, not once`)
    } else if (n !== 0) problems.push(`${r.kind}: ${r.name} reached the database`)
  }
  const tagged = [...counts.values()].reduce((a, b) => a + b, 0)
  if (tagged !== created) problems.push(`${tagged} users of this run in the database, ${created} created`)
  return problems
}

/** Requests/s and latency percentiles (ms) of results. */
export function summarize(results, seconds) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b)
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]
  return { requests: results.length, perSecond: results.length / seconds, p50: at(0.5), p99: at(0.99) }
}
