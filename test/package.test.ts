// The built package as users and harnesses load it: by its name, from ES modules and CommonJS, and by name in a
// Babel config. Runs against dist/ (npm test builds first).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { expect, it } from 'vitest'
import { babel } from './support/babel.ts'

const require = createRequire(import.meta.url)
const code = "'use server'\nexport async function hello(name) { return 'hi ' + name }\n"
const options = { filename: '/project/app/hello.js', babelrc: false, configFile: false }

/** A folder whose node_modules holds this package, as a user's project does: Babel resolves plugin names from it. */
function consumer(): string {
  const dir = path.join(import.meta.dirname, '..', '.cache', 'consumer')
  const link = path.join(dir, 'node_modules', 'babel-plugin-use-server')
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(path.join(import.meta.dirname, '..'), link, 'dir')
  }
  return dir
}

it('loads by name as an ES module and as CommonJS, both giving the same plugin output', async () => {
  const esm = (await import('babel-plugin-use-server')).default
  const cjs = require('babel-plugin-use-server')
  expect(typeof esm).toBe('function')
  expect(typeof cjs.default).toBe('function')
  const viaEsm = babel.transformSync(code, { ...options, plugins: [[esm, { environment: 'server', root: '/project' }]] })!
  const viaCjs = babel.transformSync(code, { ...options, plugins: [[cjs.default, { environment: 'server', root: '/project' }]] })!
  expect(viaCjs.code).toBe(viaEsm.code)
})

it('is found by name in a Babel config, and reports its metadata', () => {
  const result = babel.transformSync(code, {
    ...options, cwd: consumer(), plugins: [['babel-plugin-use-server', { environment: 'client', root: '/project' }]],
  })!
  expect((result.metadata as { useServer?: unknown }).useServer).toMatchObject({ file: 'app/hello.js', actions: [{ name: 'hello', kind: 'export' }] })
  expect(result.code).toContain('createServerReference')
})

it('exposes every public entry by name in both module systems', async () => {
  for (const entry of ['babel-plugin-use-server/server', 'babel-plugin-use-server/manifest', 'babel-plugin-use-server/node']) {
    expect(Object.keys(require(entry)).length).toBeGreaterThan(0)
    expect(Object.keys(await import(entry)).length).toBeGreaterThan(0)
  }
  expect(typeof require('babel-plugin-use-server/server').registerServerReference).toBe('function')
  expect(typeof (await import('babel-plugin-use-server/manifest')).createManifest).toBe('function')
})

it('rejects a wrong option when the plugin loads, with the option named', () => {
  const cwd = consumer()
  expect(() => babel.transformSync(code, { ...options, cwd, plugins: [['babel-plugin-use-server', { environment: 'browser' }]] }))
    .toThrow(/USE_SERVER_INVALID_OPTION.*"environment" must be 'server' or 'client'/)
  expect(() => babel.transformSync(code, { ...options, cwd, plugins: [['babel-plugin-use-server', { environment: 'server', sallt: 'x' }]] }))
    .toThrow(/USE_SERVER_INVALID_OPTION.*'sallt' is not a valid top-level option\.\n- Did you mean 'salt'\?/)
})

/** The relative link targets of a Markdown text (inline `[text](target)` and `[label]: target`), outside code. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
  const targets = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? m[2])
  return targets.filter((target) => !/^([a-z][a-z+.-]*:|#)/i.test(target))
}

it('every relative link of the README names a file the packed package holds', () => {
  const root = path.join(import.meta.dirname, '..')
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
  const files = new Set<string>(packed[0].files.map((file: { path: string }) => file.path))
  const links = relativeLinks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'))
  expect(links.length).toBeGreaterThan(0)
  const missing = links.map((link) => decodeURI(link.replace(/[#?].*$/, '')).replace(/^\.\//, '')).filter((file) => !files.has(file))
  expect(missing, 'README links to files that are not in the npm package').toEqual([])
})

it('finds links in prose only, not in code', () => {
  expect(relativeLinks('[a](x/a.md) `[b](y)` [c](https://e.org) [d](#top)\n```\n[e](z)\n```\n[f]: ./f.js\n')).toEqual(['x/a.md', './f.js'])
})

it('builds dist/ before it is packed, so a tarball never ships an old build (or none, from a fresh clone)', () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../package.json'), 'utf8')).scripts as Record<string, string>
  expect(scripts.prepack).toBe('npm run build')
  expect(scripts.build).toBe('node scripts/build.mjs')
})
