// UseServerPlugin with its client half (`useServer.client()`) in one webpack multi-compiler build: the manifests keep
// only the server functions something imports (client code, or server code that passes them on) and the inline
// actions, a call to any other is a 404, and a client stub whose ID the server build lacks (another secret) fails
// the build, naming the file and the export.
import fs from 'node:fs'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { actionId } from '../../../src/ids.ts'
import { UseServerPlugin } from '../../../src/integrations/webpack.ts'
import { loadServerAction } from '../../../src/runtime/load.ts'
import { makeProject } from '../support'
import { compilation } from './compilation'

const files = {
  // Server entry: renders a page that passes one action on, and has an inline action.
  'src/server.js': `import { Page } from './page.js'\nexport const render = () => Page(1)\n`,
  'src/page.js': [
    `import { passedOn } from './actions.js'`,
    `export function Page(n) {`,
    `  async function bump(m) {\n    'use server'\n    return n + m\n  }`,
    `  return { action: passedOn, bump }`,
    `}`,
    ``,
  ].join('\n'),
  // Client entry: imports one export of each 'use server' module.
  'src/client.js': `import { fromClient } from './actions.js'\nimport { onlyClient } from './client-only.js'\nexport const buttons = [fromClient, onlyClient]\n`,
  'src/actions.js': [
    `'use server'`,
    `export async function fromClient() { return 'client' }`,
    `export async function passedOn() { return 'passed' }`,
    `export async function nobodyImports() { return 'secret stuff' }`,
    ``,
  ].join('\n'),
  // SSR entry (client components rendered on the server): its client stubs are paired too when it has a client half.
  'src/ssr.js': `import { fromClient } from './actions.js'\nimport { unusedToo } from './client-only.js'\nexport const html = [fromClient, unusedToo]\n`,
  'src/client-only.js': `'use server'\nexport async function onlyClient() { return 'only' }\nexport async function unusedToo() { return 'no' }\n`,
}

interface Options {
  clientPlugin?: Record<string, unknown>
  serverPlugin?: Record<string, unknown>
  useServer?: Record<string, unknown>
  paired?: boolean
  /** Also an SSR compilation (client environment) with its own client half, and these Babel plugin options. */
  ssrPlugin?: Record<string, unknown>
  mode?: 'development' | 'production'
}

/** Builds the client and server compilations together; the server manifest and the stats. */
async function build(project: string, { clientPlugin = {}, serverPlugin = {}, useServer = {}, paired = true, ssrPlugin, mode = 'development' }: Options = {}) {
  const plugin = new UseServerPlugin({ include: 'src', reactFilename: 'react-server-manifest.json', ...useServer })
  const compiler = webpack([
    compilation(project, 'client', clientPlugin, paired ? [plugin.client()] : [], mode),
    compilation(project, 'server', serverPlugin, [plugin], mode),
    ...(ssrPlugin ? [compilation(project, 'ssr', ssrPlugin, [plugin.client()], mode)] : []),
  ])
  const stats = await new Promise<webpack.MultiStats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  const out = (name: string) => path.join(project, 'out', 'server', name)
  const read = (name: string) => (fs.existsSync(out(name)) ? JSON.parse(fs.readFileSync(out(name), 'utf8')) : null)
  return {
    stats,
    manifest: read('use-server-manifest.json') as { version: 1; actions: Record<string, { module: string; export: string; kind: 'export' | 'inline' }> },
    react: read('react-server-manifest.json') as Record<string, unknown>,
  }
}

const exportsOf = (manifest: { actions: Record<string, { module: string; export: string }> }) =>
  Object.values(manifest.actions).map((a) => `${a.module}#${a.export}`).sort()

describe('UseServerPlugin with its client half', () => {
  it('keeps what client or server code imports and the inline actions; the rest is a 404 like an unknown ID', async () => {
    const project = makeProject('webpack-references', files)
    const { stats, manifest, react } = await build(project)
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
    expect(exportsOf(manifest)).toEqual([
      'src/actions.js#fromClient', 'src/actions.js#passedOn', 'src/client-only.js#onlyClient',
      expect.stringMatching(/^src\/page\.js#_\$\$action_bump/),
    ])
    expect(Object.keys(react).sort()).toEqual(Object.keys(manifest.actions).sort())
    // The left-out export's module is still in the bundle (its siblings are), but its ID leads nowhere.
    const loadModule = () => ({ nobodyImports: async () => 'secret stuff', fromClient: async () => 'client' })
    const left = actionId('', 'src/actions.js', 'nobodyImports')
    const error = await loadServerAction(left, { manifest, loadModule }).catch((e) => e)
    const unknown = await loadServerAction('0'.repeat(40), { manifest, loadModule }).catch((e) => e)
    expect([error.status, error.code]).toEqual([404, 'USE_SERVER_UNKNOWN_ACTION'])
    expect(error.message).toBe(unknown.message.replace('0'.repeat(40), left))
    expect(await (await loadServerAction(actionId('', 'src/actions.js', 'fromClient'), { manifest, loadModule }))()).toBe('client')
  })

  it('onlyReferenced: false, or no client half, keeps every export', async () => {
    const all = [
      'src/actions.js#fromClient', 'src/actions.js#nobodyImports', 'src/actions.js#passedOn',
      'src/client-only.js#onlyClient', 'src/client-only.js#unusedToo', expect.stringMatching(/^src\/page\.js#/),
    ]
    const project = makeProject('webpack-references-all', files)
    expect(exportsOf((await build(project, { useServer: { onlyReferenced: false } })).manifest)).toEqual(all)
    expect(exportsOf((await build(project, { paired: false })).manifest)).toEqual(all)
  })

  it('a client stub whose ID the server build lacks (builds with different secrets) is a build error naming file and export', async () => {
    const project = makeProject('webpack-references-mismatch', files)
    const { stats } = await build(project, {
      clientPlugin: { secret: 'the-client-build-secret-1234' },
      serverPlugin: { secret: 'the-server-build-secret-5678' },
    })
    const errors = stats.toString('errors-only')
    expect(stats.hasErrors()).toBe(true)
    expect(errors).toContain('[USE_SERVER_ID_MISMATCH] src/actions.js: the client stub of "fromClient"')
    expect(errors).toContain('[USE_SERVER_ID_MISMATCH] src/client-only.js: the client stub of "onlyClient"')
    expect(errors).toContain('USE_SERVER_ACTION_ID_SECRET')
  })

  it('an SSR compilation with its own client half is checked and counted too', async () => {
    const project = makeProject('webpack-references-ssr', files)
    const paired = await build(project, { ssrPlugin: {} })
    expect(paired.stats.hasErrors(), paired.stats.toString('errors-only')).toBe(false)
    // `unusedToo` is imported by the SSR entry only.
    expect(exportsOf(paired.manifest)).toContain('src/client-only.js#unusedToo')
    expect(exportsOf(paired.manifest)).not.toContain('src/actions.js#nobodyImports')

    const { stats } = await build(project, { ssrPlugin: { secret: 'the-ssr-build-secret-123456' } })
    const errors = stats.toString('errors-only')
    expect(errors).toContain('[USE_SERVER_ID_MISMATCH] src/client-only.js: the client stub of "unusedToo"')
    expect(errors).toContain('[USE_SERVER_ID_MISMATCH] src/actions.js: the client stub of "fromClient"')
  })

  it('warns about a production build whose IDs can be computed from the source, and not once the Babel plugin knows', async () => {
    const project = makeProject('webpack-references-production', files)
    const warnings = async (plugin: Record<string, unknown>) => {
      const { stats } = await build(project, { mode: 'production', clientPlugin: plugin, serverPlugin: plugin })
      expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
      return stats.toString({ all: false, warnings: true })
    }
    expect(await warnings({})).toContain('can be computed from the source')
    expect(await warnings({ secret: 'one-secret-for-both-builds' })).not.toContain('can be computed from the source')
  })
})
