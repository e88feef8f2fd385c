// Hostile and odd input: syntax errors, huge files, deep nesting, Unicode/BOM/CRLF, look-alike 'use server' strings,
// thousands of actions; tampered ciphertext, unguessable IDs, no server code in client output, no captured values in
// error messages. Programs that run are checked differentially with the fuzz harness (original = direct = wire).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel'
import { fixtureCases } from './support/fixtures.ts'
// @ts-expect-error plain ES module without types
import { createHarness } from './fuzz/harness.mjs'

const root = path.resolve(import.meta.dirname, '..')
process.env.USE_SERVER_ENCRYPTION_KEY = Buffer.alloc(32, 0x3c).toString('base64')
const importUrl = createRequire(import.meta.url)('./fuzz/native-import.cjs') as (url: string) => Promise<any>
const workDir = path.join(root, '.cache', `hostile-${process.pid}`)
const harness = createHarness({ babel, plugin, importUrl, root, workDir })
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }))

type Env = 'server' | 'client'
function transform(code: string, { environment = 'server' as Env, filename = 'src/input.js', salt = undefined as string | undefined,
  plugins = [] as string[] } = {}) {
  const result = babel.transformSync(code, {
    filename: path.join(root, filename), babelrc: false, configFile: false, sourceType: 'module',
    parserOpts: { plugins: plugins as any },
    plugins: [[plugin, { environment, root, ...(salt === undefined ? {} : { salt }) }]],
  })!
  return { code: result.code!, meta: (result.metadata as any).useServer as { file: string; actions: { id: string; name: string; kind: string }[] } | undefined }
}
function errorOf(run: () => unknown): Error & { code?: string } {
  try {
    run()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected an error')
}
async function expectSame(source: string) {
  const failure = await harness.check(source)
  expect(failure, failure ? `${failure.kind}: ${failure.message}\n--- output:\n${failure.transformed ?? ''}` : '').toBeNull()
}
let loads = 0
async function load(source: string) {
  const { code, meta } = transform(source, { filename: `src/load${loads}.js` })
  const file = path.join(workDir, `load${loads++}.mjs`)
  fs.mkdirSync(workDir, { recursive: true })
  fs.writeFileSync(file, code)
  const mod = await importUrl(pathToFileURL(file).href)
  const exportOf = (ref: any) => mod[meta!.actions.find((a) => a.id === ref.$$id)!.name]
  return { mod, meta: meta!, exportOf }
}

describe('odd input', () => {
  it('syntax errors are Babel\'s SyntaxError, never a crash inside the plugin', () => {
    const broken = [
      "'use server'\nexport async function a( {",
      "export function f() { const g = async () => { 'use server'; return 1 }",
      "'use server'\nexport default async function () { return <div }",
      "const x = async () => { 'use server'; await }; }}}",
      "'use server'\nexport async function a() { return `unterminated }",
      "\uFEFF'use server'\nexport async function 1a() {}",
    ]
    for (const code of broken) {
      const error = errorOf(() => transform(code))
      expect(error.name, code).toBe('SyntaxError')
      expect(error.stack ?? '').not.toMatch(/[/\\]src[/\\](?!.*node_modules)[^\n]*\.ts/)
    }
  })

  it('a 5 MB file without directives completes (and is left alone)', () => {
    const chunk = 'export function f_N(a, b) { const s = "use strict-ish " + a; return [s, b, `t${a}`, /re/g.test(s)] }\n'
    const lines: string[] = []
    for (let size = 0, i = 0; size < 5 * 1024 * 1024; i++) {
      const line = chunk.replace('_N', `_${i}`)
      lines.push(line)
      size += line.length
    }
    const { meta } = transform(lines.join(''))
    expect(meta).toBeUndefined()
  }, 120_000)

  it('500 nested functions with an action at the bottom: correct', async () => {
    const depth = 500
    const params = Array.from({ length: depth }, (_, i) => `(p${i}) => `).join('')
    const chain = `const chain = ${params}async (x) => { 'use server'; return [x, p0, p${depth / 2}, p${depth - 1}] }`
    // In a plain Node process with a larger stack (4 MB, below Linux's 8 MB main-thread stack): at this depth
    // Babel itself, without the plugin, overflows the default stack.
    const file = path.join(workDir, 'deep.js')
    fs.mkdirSync(workDir, { recursive: true })
    fs.writeFileSync(file, `export async function run(input) {\n${chain}\nlet f = chain\nfor (let i = 0; i < ${depth}; i++) f = f(i * input)\nreturn [f]\n}\n`)
    const child = spawnSync(process.execPath, ['--stack-size=4000', '--conditions=react-server', path.join(root, 'test/fuzz/check-source.mjs'), file],
      { encoding: 'utf8', env: process.env })
    expect(child.stderr.replace(/.*deoptimised.*\n?/g, '')).toBe('')
    expect(JSON.parse(child.stdout)).toBeNull()
  }, 60_000)

  it('Unicode identifiers and strings, BOM, CRLF', async () => {
    await expectSame(`export async function run(input) {
      const 名前 = '日本語 😀 \\u{1F600} ü\\u0308 \\u0000 \\u2028 $1 $$'
      const π = -0, ñ = 10n ** 30n, ß = new Map([['ключ', new Set(['ζ'])]])
      const 𝑓 = async (Ω = 名前) => { 'use server'; return [Ω, 名前, π, ñ, ß, '\\u{10FFFF}'] }
      return [𝑓]
    }`)
    const crlf = `\uFEFF'use server'\r\n// comment\r\nexport async function a(x) {\r\n  return x\r\n}\r\nexport const b = async () => {\r\n  return 'b'\r\n}\r\n`
    const { meta } = transform(crlf)
    expect(meta!.actions.map((a) => a.name)).toEqual(['a', 'b'])
    expect(transform(crlf, { environment: 'client' }).meta!.actions.map((a) => a.name)).toEqual(['a', 'b'])
    await expectSame(`\uFEFFexport async function run(input) {\r\n  const s = 'x\\r\\ny'\r\n  return [async () => {\r\n    'use server'\r\n    return [s, input]\r\n  }]\r\n}\r\n`)
    // A typo in a CRLF file still has a code frame.
    const error = errorOf(() => transform("\r\n\r\nexport async function f() {\r\n  'use sever'\r\n}\r\n"))
    expect(error.code).toBe('USE_SERVER_DIRECTIVE_TYPO')
    expect(error.message).toMatch(/>\s*\d+\s*\|/)
  })

  it("'use server' in comments, template strings and ordinary strings is not a directive: output untouched", () => {
    const sources = [
      "// 'use server'\nexport async function a() { return 1 }\n",
      "/* 'use server' */\nexport async function a() { return 1 }\n",
      "`use server`\nexport async function a() { return 1 }\n",
      "export async function a() { `use server`; return 1 }\n",
      "export async function a() { return 'use server' }\n",
      "export const s = ['use server', \"use server\", `use server`]\n",
      "export async function a() { /* 'use server' */ return f('use server') }\n",
    ]
    for (const code of sources) {
      const plain = babel.transformSync(code, { babelrc: false, configFile: false, sourceType: 'module', filename: 'x.js' })!.code
      const out = transform(code)
      expect(out.meta, code).toBeUndefined()
      expect(out.code, code).toBe(plain)
      expect(transform(code, { environment: 'client' }).code, code).toBe(plain)
    }
  })

  it('2,000 exports in a file-level file and 1,000 inline actions: correct', async () => {
    const fileLevel = ["'use server'", ...Array.from({ length: 2000 }, (_, i) => `export async function a${i}(x) { return [${i}, x] }`)].join('\n')
    for (const environment of ['server', 'client'] as const) {
      const { meta } = transform(fileLevel, { environment })
      expect(meta!.actions).toHaveLength(2000)
      expect(new Set(meta!.actions.map((a) => a.id)).size).toBe(2000)
    }
    const inline = Array.from({ length: 1000 }, (_, i) => `  const a${i} = async (x) => { 'use server'; return [${i}, x, v${i % 10}] }`)
    const vars = Array.from({ length: 10 }, (_, i) => `  const v${i} = input * ${i}`)
    const source = `export async function run(input) {\n${vars.join('\n')}\n${inline.join('\n')}\n  return [${inline.map((_, i) => `a${i}`).join(', ')}]\n}\n`
    expect(transform(source).meta!.actions).toHaveLength(1000)
    await expectSame(source)
  }, 120_000)
})

describe('security', () => {
  const source = `
    export function make(secret, user) { return async function reveal(x) { 'use server'; return [x, user, secret] } }
    export function other(secret) { return async function other(x) { 'use server'; return ['other', x, secret] } }`

  it('tampered, truncated, swapped or replayed ciphertext is rejected', async () => {
    const { mod, exportOf } = await load(source)
    const a = mod.make('s3cret-A', 'alice'), b = mod.make('s3cret-B', 'bob'), o = mod.other('s3cret-O')
    const [ca] = await Promise.all(a.$$bound), [cb] = await Promise.all(b.$$bound), [co] = await Promise.all(o.$$bound)
    expect(ca).not.toContain('s3cret')
    expect(await exportOf(a)(ca, 1)).toEqual([1, 'alice', 's3cret-A'])
    // Swapped between two references of one action: both decrypt (same action, same key) to their own values, so
    // the values stay those of the reference the ciphertext came from (no mixing of fields).
    expect(await exportOf(a)(cb, 1)).toEqual([1, 'bob', 's3cret-B'])
    const bytes = Buffer.from(ca, 'base64')
    const flip = (i: number) => { const c = Buffer.from(bytes); c[i] ^= 1; return c.toString('base64') }
    const rejected = [
      flip(0), flip(13), flip(bytes.length - 1), flip(Math.floor(bytes.length / 2)),
      bytes.subarray(0, bytes.length - 1).toString('base64'), bytes.subarray(0, 20).toString('base64'), '',
      'not base64 !!', Buffer.concat([bytes, Buffer.from([0])]).toString('base64'), co, // replayed for another ID
      null, undefined, 42, { $$bound: ca }, [ca],
    ]
    for (const forged of rejected) {
      await expect(exportOf(a)(forged, 1), String(forged).slice(0, 40)).rejects.toMatchObject({ code: 'USE_SERVER_INVALID_BOUND' })
    }
    await expect(exportOf(o)(ca, 1)).rejects.toMatchObject({ code: 'USE_SERVER_INVALID_BOUND' })
    // Reordered: a bound reference's $$bound is [ciphertext, ...bound arguments]; swapping them is rejected.
    const bound = a.bind(null, 'arg')
    const [sealed, arg] = await Promise.all(bound.$$bound)
    expect(await exportOf(a)(sealed, arg)).toEqual(['arg', 'alice', 's3cret-A'])
    await expect(exportOf(a)(arg, sealed)).rejects.toMatchObject({ code: 'USE_SERVER_INVALID_BOUND' })
  })

  it('IDs depend on the salt and show no path text', () => {
    const code = "'use server'\nexport async function createUser() {}\nexport async function deleteUser() {}\n"
    const filename = 'app/admin/secret-area/users.js'
    const ids = (salt?: string) => transform(code, { filename, salt }).meta!.actions.map((a) => a.id)
    const [plain, salted, other] = [ids(undefined), ids('pepper-1'), ids('pepper-2')]
    for (const [a, b] of [[plain, salted], [salted, other]]) for (let i = 0; i < a.length; i++) expect(a[i]).not.toBe(b[i])
    for (const id of [...plain, ...salted]) {
      expect(id).toMatch(/^[0-9a-f]{40}$/)
      for (const word of ['app', 'admin', 'secret', 'users', 'createUser', 'deleteUser']) expect(id.toLowerCase()).not.toContain(word.toLowerCase())
    }
  })

  it('client output of every fixture contains none of its server code', () => {
    let checked = 0
    for (const fixture of fixtureCases()) {
      const { input: code, parserPlugins } = fixture
      let client: string
      try {
        client = babel.transformSync(code, {
          filename: path.join(fixture.dir, fixture.inputName), babelrc: false, configFile: false, sourceType: 'module',
          parserOpts: { plugins: parserPlugins }, plugins: [[plugin, { environment: 'client', root: fixture.dir, ...fixture.options }]],
        })!.code!
      } catch {
        continue // Inline actions cannot be compiled for the client at all.
      }
      const secrets = serverOnlyText(code, parserPlugins)
      for (const text of secrets) expect(client, `${fixture.name}: client output contains server code ${JSON.stringify(text)}`).not.toContain(text)
      checked++
    }
    expect(checked).toBeGreaterThan(3)
  })

  it('error messages do not print captured values outside the code frame', () => {
    const secret = 'sk_live_TOP-SECRET-4242'
    const filler = Array.from({ length: 8 }, (_, i) => `  const pad${i} = ${i}`).join('\n')
    const cases = [
      `export function Page() {\n  const key = '${secret}'\n${filler}\n  let count = 0\n  const act = async () => { 'use server'; return [key, count] }\n  count = 1\n  return act\n}\n`,
      `export function Page() {\n  const key = '${secret}'\n${filler}\n  let count = 0\n  return async () => { 'use server'; count++; return key }\n}\n`,
      `export function Page() {\n  const key = '${secret}'\n${filler}\n  return async function () { 'use server'; return [key, this] }\n}\n`,
      `export function Page() {\n  const key = '${secret}'\n${filler}\n  return async function () { 'use sever'; return key }\n}\n`,
    ]
    for (const code of cases) {
      const error = errorOf(() => transform(code))
      expect(error.code).toMatch(/^USE_SERVER_/)
      expect(error.message).toMatch(/>\s*\d+\s*\|/)
      expect(error.message).not.toContain(secret)
      expect(error.message).not.toContain('TOP-SECRET')
    }
  })
})

/** String literals and local names inside the bodies of a file-level 'use server' file's functions. */
function serverOnlyText(code: string, parserPlugins: string[]): string[] {
  const ast = babel.parseSync(code, { babelrc: false, configFile: false, sourceType: 'module', parserOpts: { plugins: parserPlugins as any } })!
  if (!(ast.program.directives ?? []).some((d: any) => d.value.value === 'use server')) return []
  const found = new Set<string>()
  const outside = new Set<string>()
  babel.traverse(ast, {
    Function(p: any) {
      p.get('body').traverse({
        StringLiteral(s: any) { if (s.node.value.length >= 4) found.add(s.node.value) },
        Identifier(id: any) { if (id.isBindingIdentifier() && id.node.name.length >= 4) found.add(id.node.name) },
      })
      p.skip()
    },
    Identifier(id: any) { outside.add(id.node.name) },
    StringLiteral(s: any) { outside.add(s.node.value) },
  })
  return [...found].filter((text) => !outside.has(text) && text !== 'use server')
}
