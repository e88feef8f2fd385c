// A server build in webpack's production mode with its default optimization (minification, module concatenation,
// tree shaking, export mangling, code splitting) and UseServerPlugin: React's server manifest names module IDs the
// bundle's own __webpack_require__ finds, with every export React looks up by name; `include` adds a 'use server'
// module that no server module imports; a server module only in an async chunk names that chunk.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { UseServerPlugin } from '../../../src/integrations/webpack.ts'
import { makeProject, pluginPath } from '../support'

const files = {
  // The entry: uses one of two exports of actions.js, renders a page with an inline action, loads lazy.js on demand,
  // and hands the test the bundle's own module and chunk loaders (what React's decoders call).
  'src/index.js': [
    `import { used } from './actions.js'`,
    `import { Page } from './page.js'`,
    `export const run = () => [used, Page]`,
    `export const lazy = () => import('../lib/lazy.js')`,
    `export { greet } from './greet.js'`,
    `export { requireModule, loadChunk } from './loaders.js'`,
    ``,
  ].join('\n'),
  'src/loaders.js': `export const requireModule = (id) => __webpack_require__(id)\nexport const loadChunk = (id) => __webpack_chunk_load__(id)\n`,
  // Concatenated into the entry (as actions.js would be, without the plugin).
  'src/greet.js': `export const greet = () => 'hello'\n`,
  'src/actions.js': `'use server'\nimport { double } from './util.js'\nexport async function used(x) { return double(x) }\nexport async function unused(x) { return double(x) + 1 }\n`,
  'src/page.js': `import { triple } from './util.js'\nexport function Page(n) {\n  async function bump(m) {\n    'use server'\n    return triple(n + m)\n  }\n  return bump\n}\n`,
  // Imported by no server module (only a client would import it): `include` brings it in.
  'src/client-only.js': `'use server'\nimport { square } from './math.js'\nexport async function onlyFromClient(x) { return square(x) }\n`,
  'src/util.js': `export const double = (x) => x * 2\nexport const triple = (x) => x * 3\nexport const unusedHelper = () => 'x'\n`,
  'src/math.js': `export const square = (x) => x * x\n`,
  'lib/lazy.js': `'use server'\nexport async function later(x) { return 'later ' + x }\n`,
}

/** Runs the build; resolves to its stats. */
async function compile(project: string, include?: string, extraPlugins: webpack.WebpackPluginInstance[] = []) {
  const compiler = webpack({
    mode: 'production',
    context: project,
    target: 'node',
    entry: './src/index.js',
    output: { path: path.join(project, 'out'), filename: 'server.cjs', chunkFilename: '[id].chunk.cjs', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) => /^(babel-plugin-use-server|react)/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{ test: /\.js$/, use: { loader: 'babel-loader', options: { babelrc: false, configFile: false, plugins: [[pluginPath, { environment: 'server', root: project }]] } } }],
    },
    plugins: [new UseServerPlugin({ reactFilename: 'react-server-manifest.json', include }), ...extraPlugins],
    cache: false,
    infrastructureLogging: { level: 'error' },
  })
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  return stats
}

/** Builds without errors; the manifests, the bundle (loaded) and its stats. */
async function build(project: string, include?: string) {
  const stats = await compile(project, include)
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
  const out = (name: string) => JSON.parse(fs.readFileSync(path.join(project, 'out', name), 'utf8'))
  const file = path.join(project, 'out', 'server.cjs')
  const require = createRequire(file)
  delete require.cache[file]
  return {
    manifest: out('use-server-manifest.json') as { actions: Record<string, { module: string; export: string }> },
    react: out('react-server-manifest.json') as Record<string, { id: string | number; chunks: string[]; name: string }>,
    bundle: require(file),
    code: fs.readFileSync(file, 'utf8'),
    stats: stats.toJson({ all: false, modules: true, optimizationBailout: true }),
  }
}

describe('webpack production build of a server (default optimization)', () => {
  it('names real module IDs: every server function is found by __webpack_require__ and runs', async () => {
    const project = makeProject('webpack-production', files)
    const { manifest, react, bundle, code, stats } = await build(project, 'src')
    // It is a production bundle: minified, with concatenated modules (util.js is inlined), unused helpers dropped.
    expect(code.split('\n').length).toBeLessThan(5)
    expect(code).not.toContain('unusedHelper')
    const concatenated = stats.modules!.find((m) => m.name?.includes('+ '))
    expect(concatenated?.name).toMatch(/^\.\/src\/index\.js \+ /)
    const actions = stats.modules!.find((m) => m.name === './src/actions.js')
    expect(actions?.optimizationBailout).toContain("ModuleConcatenation bailout: Module uses 'use server' (React loads it by module ID)")
    expect(bundle.greet()).toBe('hello')
    const names = Object.values(manifest.actions).map((a) => `${a.module}#${a.export}`).sort()
    expect(names).toEqual([
      'lib/lazy.js#later', 'src/actions.js#unused', 'src/actions.js#used', 'src/client-only.js#onlyFromClient',
      expect.stringMatching(/^src\/page\.js#_\$\$action_bump/),
    ])
    const inputs: Record<string, unknown> = { used: 5, unused: 5, onlyFromClient: 4, later: 'x' }
    const results: Record<string, unknown> = {}
    for (const [id, entry] of Object.entries(react)) {
      const { module } = manifest.actions[id]
      expect(entry.id, module).not.toBe(module) // a webpack module ID, not a source path
      for (let i = 0; i < entry.chunks.length; i += 2) await bundle.loadChunk(entry.chunks[i])
      const fn = bundle.requireModule(entry.id)[entry.name]
      expect(typeof fn, `${module}#${entry.name}`).toBe('function')
      if (entry.name in inputs) results[entry.name] = await fn(inputs[entry.name])
    }
    // unused() and onlyFromClient() work: their exports and what they use survived tree shaking.
    expect(results).toEqual({ used: 10, unused: 11, onlyFromClient: 16, later: 'later x' })
    // lib/lazy.js is only in an async chunk: React loads that chunk first.
    const lazyId = Object.keys(manifest.actions).find((id) => manifest.actions[id].export === 'later')!
    expect(react[lazyId].chunks).toHaveLength(2)
    const pageId = Object.keys(manifest.actions).find((id) => manifest.actions[id].module === 'src/page.js')!
    expect(react[pageId].chunks).toEqual([])
  })

  it('without `include`, a server function no server module imports is not in the build', async () => {
    const project = makeProject('webpack-production-noinclude', files)
    const { manifest } = await build(project)
    expect(Object.values(manifest.actions).map((a) => a.module)).not.toContain('src/client-only.js')
  })

  it('a server module that another plugin lets webpack concatenate fails the build, naming the file and the setting', async () => {
    const project = makeProject('webpack-production-concatenated', files)
    // Stands for any plugin that undoes the plugin's concatenation bailout.
    const undo: webpack.WebpackPluginInstance = {
      apply(compiler) {
        compiler.hooks.thisCompilation.tap('undo', (compilation) => {
          compilation.hooks.finishModules.tap('undo', (modules) => {
            for (const module of modules) if (module.buildInfo?.moduleConcatenationBailout?.includes('use server')) delete module.buildInfo.moduleConcatenationBailout
          })
        })
      },
    }
    const errors = (await compile(project, undefined, [undo])).toString('errors-only')
    expect(errors).toContain('[USE_SERVER_NO_MODULE_ID] src/actions.js')
    expect(errors).toContain('optimization.concatenateModules: false')
  })
})
