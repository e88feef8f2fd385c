// A Vite production build (client and ssr environments, one `vite build`): Vite's `isProduction` reaches the Babel
// plugin, so action IDs are keyed with the checkout's secret and cannot be computed from the source, in both builds
// alike; a client stub whose ID the server build lacks is a build error (USE_SERVER_ID_MISMATCH).
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import useServer from '../../../src/integrations/vite.ts'
import { actionId } from '../../../src/ids.ts'
import { SECRET_ENV } from '../../../src/secret.ts'
import { babel } from '../../support/babel'
import { makeProject } from '../support'
import { babelCore, buildEnvironments } from './build'

const files = {
  // Its own package: the generated secret goes to this project's node_modules/.cache.
  'package.json': '{ "name": "vite-production", "private": true, "type": "module" }\n',
  'src/actions.js': `'use server'\nexport async function greet(name) { return 'Hello, ' + name }\nexport async function add(a, b) { return a + b }\n`,
  'src/client-only.js': `'use server'\nexport async function shout(text) { return text.toUpperCase() }\n`,
  'src/server.js': `import { greet } from './actions.js'\nexport { manifest, loadServerAction } from 'babel-plugin-use-server/references'\nexport const warmUp = () => greet('server')\n`,
  'src/main.js': `import { add, greet } from './actions.js'\nimport { shout } from './client-only.js'\nexport const run = () => Promise.all([greet('a'), add(1, 2), shout('b')])\n`,
}
type Manifest = { actions: Record<string, { module: string; export: string }> }

/** `vite build` of the project's client (src/main.js) and ssr (src/server.js) environments. */
async function buildBoth(project: string, plugin: ReturnType<typeof useServer>, warnings: string[] = []): Promise<void> {
  const external = [/^react/, 'babel-plugin-use-server/server', 'babel-plugin-use-server/client']
  await buildEnvironments(project, plugin as never, {
    client: { build: { outDir: 'dist/client', minify: false, rollupOptions: { input: 'src/main.js', external, preserveEntrySignatures: 'exports-only' } } },
    ssr: { build: { outDir: 'dist/server', minify: false, rollupOptions: { input: 'src/server.js', external, onwarn: (w) => { warnings.push(w.message) } } } },
  })
}

/** The `createServerReference("<id>", …, "<name>")` calls of the client bundle, as `name → id`. */
function clientStubs(project: string): Record<string, string> {
  const dir = path.join(project, 'dist/client/assets')
  const code = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n')
  return Object.fromEntries([...code.matchAll(/createServerReference\("([0-9a-f]{40})",[^;]*?"(\w+)"\)/g)].map((m) => [m[2], m[1]]))
}

describe('Vite production builds', () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, BABEL_ENV: process.env.BABEL_ENV, [SECRET_ENV]: process.env[SECRET_ENV] }
  beforeEach(() => {
    // Vite's isProduction comes from NODE_ENV; Babel's own env says development, so only the plugin can tell Babel.
    process.env.NODE_ENV = 'production'
    process.env.BABEL_ENV = 'development'
    delete process.env[SECRET_ENV]
  })
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })

  it("give Babel Vite's isProduction: keyed IDs nobody can compute from the source, the same in both builds", async () => {
    const project = makeProject('vite-production', files)
    await buildBoth(project, useServer({ babelCore, scan: ['src'] }))
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'dist/server/use-server-manifest.json'), 'utf8')) as Manifest
    const entries = Object.entries(manifest.actions)
    expect(entries.map(([, a]) => `${a.module}#${a.export}`).sort()).toEqual(['src/actions.js#add', 'src/actions.js#greet', 'src/client-only.js#shout'])
    for (const [id, { module, export: name }] of entries) expect(id).not.toBe(actionId('', module, name))
    // The secret the build generated for this checkout keys them.
    const secret = fs.readFileSync(path.join(project, 'node_modules/.cache/babel-plugin-use-server/action-id-secret'), 'utf8').trim()
    for (const [id, { module, export: name }] of entries) expect(id).toBe(actionId('', module, name, secret))
    // The client calls exactly those IDs.
    const stubs = clientStubs(project)
    expect(Object.keys(stubs).sort()).toEqual(['add', 'greet', 'shout'])
    for (const id of Object.values(stubs)) expect(manifest.actions[id]).toBeDefined()
  }, 60_000)

  it('warn when IDs can be computed from the source all the same (`plugin.production: false`), and not otherwise', async () => {
    const warned = async (plugin: Record<string, unknown>) => {
      const warnings: string[] = []
      await buildBoth(makeProject('vite-production-unkeyed', files), useServer({ babelCore, scan: ['src'], plugin }), warnings)
      return warnings.filter((message) => message.includes('can be computed from the source'))
    }
    expect(await warned({ production: false })).toEqual([expect.stringContaining('remove `production: false`')])
    expect(await warned({})).toEqual([])
  }, 60_000)

  it('fail with USE_SERVER_ID_MISMATCH, naming file and export, when a client stub has no server function', async () => {
    const project = makeProject('vite-mismatch', files)
    // client-only.js moves out of `scan`: the server build does not contain it, the client still calls it.
    fs.mkdirSync(path.join(project, 'client'))
    fs.renameSync(path.join(project, 'src/client-only.js'), path.join(project, 'client/client-only.js'))
    fs.writeFileSync(path.join(project, 'src/main.js'), files['src/main.js'].replace('./client-only.js', '../client/client-only.js'))
    const build = buildBoth(project, useServer({ babelCore, scan: ['src'] }))
    await expect(build).rejects.toThrow(/\[USE_SERVER_ID_MISMATCH\] client\/client-only\.js: the client stub of "shout" \(action ID [0-9a-f]{40}\)/)
  }, 60_000)

  it('fail with USE_SERVER_ID_MISMATCH when the client build was made with another secret', async () => {
    const project = makeProject('vite-other-secret', files)
    // As a stale build cache or another USE_SERVER_ACTION_ID_SECRET would: the client's stubs carry other IDs.
    const otherSecret = {
      version: babel.version,
      transformAsync: (code: string, options: Record<string, unknown>) => babel.transformAsync(code, {
        ...options,
        plugins: (options.plugins as [unknown, { environment?: string }][]).map(([plugin, pluginOptions]) =>
          [plugin, pluginOptions?.environment === 'client' ? { ...pluginOptions, secret: 'the-client-build-had-another-one' } : pluginOptions]),
      }) as any,
    }
    const build = buildBoth(project, useServer({ babelCore: otherSecret, scan: ['src'] }))
    await expect(build).rejects.toThrow(/\[USE_SERVER_ID_MISMATCH\] src\/actions\.js: the client stub of "add"/)
  }, 60_000)
})
