// A webpack-built server needs no hand-written `loadModule`: with React's server manifest (UseServerPlugin's
// `reactFilename`), the runtime bundled with the server functions loads a module by its webpack module ID and chunks,
// as React's decoders do, in a production build (minified, concatenated, code-split). Outside a webpack bundle it
// cannot, and says so with USE_SERVER_NO_LOAD_MODULE.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { UseServerPlugin } from '../../../src/integrations/webpack.ts'
import { handleActionRequest, loadServerAction } from '../../../src/runtime/server.ts'
import { makeProject, pluginPath } from '../support'

const files = {
  // The server entry bundles the runtime (not external); lib/lazy.js (outside `include`) is only in an async chunk.
  'src/index.js': [
    `export { handleActionRequest, loadServerAction } from 'babel-plugin-use-server/server'`,
    `export const lazy = () => import('../lib/lazy.js')`,
    ``,
  ].join('\n'),
  'src/actions.js': `'use server'\nimport { double } from './util.js'\nexport async function twice(x) { return double(x) }\n`,
  'lib/lazy.js': `'use server'\nexport async function later(x) { return 'later ' + x }\n`,
  'src/util.js': `export const double = (x) => x * 2\n`,
}

type Manifest = { version: 1; actions: Record<string, { module: string; export: string; kind: 'export' | 'inline' }> }

async function build(project: string) {
  const compiler = webpack({
    mode: 'production',
    context: project,
    target: 'node',
    entry: './src/index.js',
    output: { path: path.join(project, 'out'), filename: 'server.cjs', chunkFilename: '[id].chunk.cjs', library: { type: 'commonjs2' } },
    // React stays outside (Node loads it with this suite's react-server condition); the runtime is bundled.
    externals: [({ request }, callback) => /^react/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{ test: /\.js$/, use: { loader: 'babel-loader', options: { babelrc: false, configFile: false, plugins: [[pluginPath, { environment: 'server', root: project }]] } } }],
    },
    plugins: [new UseServerPlugin({ include: 'src', reactFilename: 'react-server-manifest.json' })],
    cache: false,
    infrastructureLogging: { level: 'error' },
  })
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
  const out = (name: string) => JSON.parse(fs.readFileSync(path.join(project, 'out', name), 'utf8'))
  const file = path.join(project, 'out', 'server.cjs')
  return {
    manifest: out('use-server-manifest.json') as Manifest,
    reactManifest: out('react-server-manifest.json') as Record<string, { id: string | number; chunks: string[]; name: string }>,
    bundle: createRequire(file)(file) as { handleActionRequest: typeof handleActionRequest; loadServerAction: typeof loadServerAction },
  }
}

const idOf = (manifest: Manifest, name: string) => Object.keys(manifest.actions).find((id) => manifest.actions[id].export === name)!
const call = (id: string, body: string) => new Request('http://localhost/', { method: 'POST', headers: { 'rsc-action-id': id }, body })

describe('loadModule in a webpack-built server', () => {
  it('defaults to the module IDs and chunks of React\'s manifest, also for a module only in an async chunk', async () => {
    const { manifest, reactManifest, bundle } = await build(makeProject('webpack-load-module', files))
    const later = idOf(manifest, 'later')
    expect(reactManifest[later].chunks).toHaveLength(2) // the async chunk is loaded first
    expect(await (await bundle.loadServerAction(idOf(manifest, 'twice'), { manifest, reactManifest }))(21)).toBe(42)
    expect(await (await bundle.loadServerAction(later, { manifest, reactManifest }))('x')).toBe('later x')
    // handleActionRequest (and createActionListener, which calls it) with the two manifests only.
    const response = await bundle.handleActionRequest(call(idOf(manifest, 'twice'), '[4]'), { manifest, reactManifest })
    expect(response!.status).toBe(200)
    expect(await response!.text()).toMatch(/(^|\n)0:8\n/) // React's development build adds a timing row first
    const unknown = await bundle.handleActionRequest(call('nope', '[]'), { manifest, reactManifest })
    expect([unknown!.status, (await unknown!.json()).code]).toEqual([404, 'USE_SERVER_UNKNOWN_ACTION'])
  })

  it('is required outside a webpack bundle: USE_SERVER_NO_LOAD_MODULE, also when a reactManifest is given', async () => {
    const manifest: Manifest = { version: 1, actions: { a1: { module: 'src/actions.js', export: 'twice', kind: 'export' } } }
    const reactManifest = { a1: { id: 7, chunks: [], name: 'twice' } }
    for (const options of [{ manifest, reactManifest }, { manifest }] as Parameters<typeof loadServerAction>[1][]) {
      await expect(loadServerAction('a1', options)).rejects.toMatchObject({ code: 'USE_SERVER_NO_LOAD_MODULE', status: 500 })
      // A deployment error: the handler rejects (as for a missing reactManifest in webpack), it answers nothing.
      await expect(handleActionRequest(call('a1', '[1]'), options)).rejects.toMatchObject({ code: 'USE_SERVER_NO_LOAD_MODULE' })
    }
    await expect(loadServerAction('a1', { manifest, reactManifest })).rejects.toThrow(/not inside a webpack bundle.*externals/)
  })
})
