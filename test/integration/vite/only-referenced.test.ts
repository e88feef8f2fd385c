// onlyReferenced in a Vite build of a client and a server environment: the references module and the emitted
// manifest keep the exports of 'use server' modules that the client bundle uses or other server code imports, and
// inline actions; an export nothing imports is unknown to loadServerAction, like an ID nobody made.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createBuilder, createLogger } from 'vite'
import { describe, expect, it } from 'vitest'
import useServer, { type UseServerViteOptions } from '../../../src/integrations/vite.ts'
import { actionId } from '../../../src/ids.ts'
import { importedNames } from '../../../src/integrations/vite/server-imports.ts'
import { babelCore } from './build'
import { makeProject } from '../support'

const files = {
  // greet: client and server; add: client; audit: only server code (passed on); unused: nobody.
  'src/actions.js': [
    `'use server'`,
    `export async function greet(name) { return 'Hello, ' + name }`,
    `export async function add(a, b) { return a + b }`,
    `export async function audit() { return 'audited' }`,
    `export async function unused() { return 'should not run' }`,
  ].join('\n'),
  // Only the client imports this module, and only one of its exports.
  'src/client-only.js': `'use server'\nexport async function shout(text) { return text.toUpperCase() }\nexport async function whisper(text) { return text }\n`,
  'src/page.js': `import { audit } from './actions.js'\nexport const props = { onAudit: audit }\nexport function makeScale(factor) {\n  return async function scale(n) {\n    'use server'\n    return n * factor\n  }\n}\n`,
  'src/server.js': `import { greet } from './actions.js'\nexport { props, makeScale } from './page.js'\nexport { manifest, loadServerAction } from 'babel-plugin-use-server/references'\nexport const warmUp = () => greet('server')\n`,
  'src/main.js': `import { add, greet } from './actions.js'\nimport { shout } from './client-only.js'\nexport const run = () => Promise.all([greet('a'), add(1, 2), shout('b')])\n`,
}
type Manifest = { actions: Record<string, { module: string; export: string; kind: string }> }
const entriesOf = (m: Manifest) => Object.values(m.actions).map((a) => `${a.module}#${a.export}`).sort()

async function build(project: string, options: UseServerViteOptions = {}) {
  const external = [/^react/, 'babel-plugin-use-server/server', 'babel-plugin-use-server/client']
  const builder = await createBuilder({
    root: project,
    configFile: false,
    logLevel: 'silent',
    plugins: [useServer({ babelCore, scan: ['src'], ...options })],
    environments: {
      client: { build: { outDir: 'dist/client', minify: true, rollupOptions: { input: 'src/main.js', external, preserveEntrySignatures: 'exports-only' } } },
      ssr: { build: { outDir: 'dist/server', minify: true, rollupOptions: { input: 'src/server.js', external } } },
    },
    builder: {},
  })
  await builder.buildApp()
  const emitted = JSON.parse(fs.readFileSync(path.join(project, 'dist/server/use-server-manifest.json'), 'utf8')) as Manifest
  const server = await import(pathToFileURL(path.join(project, 'dist/server/server.js')).href)
  expect(server.manifest).toEqual(emitted)
  return { emitted, server }
}

describe('Vite onlyReferenced', () => {
  it('keeps what the client bundle or server code uses, and inline actions; the rest is unknown', async () => {
    const project = makeProject('vite-only-referenced', files)
    const { emitted, server } = await build(project)
    expect(entriesOf(emitted)).toEqual(['src/actions.js#add', 'src/actions.js#audit', 'src/actions.js#greet', 'src/client-only.js#shout', 'src/page.js#_$$action_scale'])
    expect(await (await server.loadServerAction(actionId('', 'src/client-only.js', 'shout')))('hi')).toBe('HI')
    expect(await (await server.loadServerAction(server.props.onAudit.$$id))()).toBe('audited')
    expect(emitted.actions[server.makeScale(2).$$id]?.kind).toBe('inline')
    for (const [file, name] of [['src/actions.js', 'unused'], ['src/client-only.js', 'whisper']]) {
      await expect(server.loadServerAction(actionId('', file, name))).rejects.toMatchObject({ code: 'USE_SERVER_UNKNOWN_ACTION' })
    }
  }, 60_000)

  it('keeps every export, and says so, when the server environment is built without the client one', async () => {
    const project = makeProject('vite-server-alone', files)
    const warnings: string[] = []
    const logger = createLogger('warn')
    logger.warn = (message) => { warnings.push(message) }
    const builder = await createBuilder({
      root: project,
      configFile: false,
      customLogger: logger,
      plugins: [useServer({ babelCore, scan: ['src'] })],
      environments: { ssr: { build: { outDir: 'dist/server', rollupOptions: { input: 'src/server.js', external: [/^react/, /^babel-plugin-use-server\/(server|client)$/] } } } },
      builder: {},
    })
    await builder.build(builder.environments.ssr)
    const emitted = JSON.parse(fs.readFileSync(path.join(project, 'dist/server/use-server-manifest.json'), 'utf8')) as Manifest
    expect(entriesOf(emitted)).toEqual(expect.arrayContaining(['src/actions.js#unused', 'src/client-only.js#whisper']))
    expect(warnings.join('\n')).toMatch(/onlyReferenced: the 'ssr' environment was built without a client environment before it/)
  }, 60_000)

  it('keeps every export with onlyReferenced: false', async () => {
    const project = makeProject('vite-all-exports', files)
    const { emitted } = await build(project, { onlyReferenced: false })
    expect(entriesOf(emitted)).toEqual(expect.arrayContaining(['src/actions.js#unused', 'src/client-only.js#whisper']))
  }, 60_000)

  it('reads import and re-export statements; what it cannot read counts as every export', async () => {
    const names = async (code: string) => {
      const found = await importedNames(code, async (source) => source === './a.js')
      return found && [...found].sort()
    }
    expect(await names(`import { b } from './b.js'\nimport x, { greet, add as plus } from "./a.js"`)).toEqual(['add', 'default', 'greet'])
    expect(await names(`export { greet as hi } from './a.js'; import{add}from"./a.js"`)).toEqual(['add', 'greet'])
    for (const code of [`import * as all from './a.js'`, `export * from './a.js'`, `import './a.js'`, `export { "a b" as c } from './a.js'`, `const a = require('./a.js')`]) {
      expect(await names(code)).toBeNull()
    }
  })
})
