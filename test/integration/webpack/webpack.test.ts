// webpack 5 + babel-loader (Babel 7: babel-loader loads the root's @babel/core) with UseServerPlugin, through
// webpack's Node API: the manifest asset from a cold build, from a warm build served by babel-loader's
// cacheDirectory, after a file loses its directive, and with the loader that keeps directive-free files from Babel.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { UseServerPlugin, getCompilationMetadata, skippedModuleCount } from '../../../src/integrations/webpack.ts'
import { counterPluginPath, dist, makeProject, pluginPath, readCount, writeFiles } from '../support'

const files = {
  'src/index.js': `export { save, remove } from './actions.js'\nexport { Page } from './page.js'\nexport { add } from './util.js'\nexport { more } from './more.js'\n`,
  'src/actions.js': `'use server'\nexport async function save(x) { return 'saved ' + x }\nexport const remove = async (x) => 'removed ' + x\n`,
  'src/page.js': `import { add } from './util.js'\nexport function Page(n) {\n  async function bump(m) {\n    'use server'\n    return add(n, m)\n  }\n  return bump\n}\n`,
  'src/util.js': `export const add = (a, b) => a + b\n`,
  'src/more.js': `// "use client" and 'use strict' are not directives this plugin cares about\nexport const more = 'use strict'\n`,
}

interface BuildOptions { cache: boolean; skip: boolean; log: string; webpackCache?: string; tag?: string }

function config(project: string, { cache, skip, log, webpackCache, tag }: BuildOptions, plugin: UseServerPlugin): webpack.Configuration {
  const babelLoader = {
    loader: 'babel-loader',
    options: {
      cacheDirectory: cache ? path.join(project, '.babel-cache') : false,
      babelrc: false,
      configFile: false,
      plugins: [[counterPluginPath, { log }], [pluginPath, { environment: 'server', root: project }]],
    },
  }
  return {
    mode: 'development',
    devtool: false,
    context: project,
    target: 'node',
    entry: './src/index.js',
    output: { path: path.join(project, 'out'), filename: 'server.cjs', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) =>
      /^(babel-plugin-use-server|react)/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{
        test: /\.js$/,
        exclude: /node_modules/,
        use: [
          ...(skip ? [{ loader: dist('cjs', 'integrations', 'webpack.js'), options: { skip: true } }] : []),
          babelLoader,
          ...(tag ? [{ loader: path.join(import.meta.dirname, 'tag-loader.cjs'), options: { tag } }] : []),
        ],
      }],
    },
    plugins: [plugin],
    cache: webpackCache ? { type: 'filesystem', cacheDirectory: webpackCache } : false,
    infrastructureLogging: { level: 'error' },
  }
}

async function build(project: string, options: BuildOptions) {
  const plugin = new UseServerPlugin({ reactFilename: 'react-server-manifest.json' })
  const compiler = webpack(config(project, options, plugin))
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
  const out = (name: string) => fs.readFileSync(path.join(project, 'out', name), 'utf8')
  return {
    manifestText: out('use-server-manifest.json'),
    manifest: JSON.parse(out('use-server-manifest.json')),
    react: JSON.parse(out('react-server-manifest.json')),
    skipped: skippedModuleCount(stats.compilation),
    metadata: getCompilationMetadata(stats.compilation),
    babelRuns: readCount(options.log, project),
  }
}

/** The bundle, loaded fresh (its runtime import resolves to dist/ through the package's self-reference). */
function loadBundle(project: string): Record<string, any> {
  const file = path.join(project, 'out', 'server.cjs')
  const require = createRequire(file)
  delete require.cache[file]
  return require(file)
}

describe('webpack integration (webpack 5, babel-loader)', () => {
  it('emits the manifest cold, identically from the babel-loader cache, and drops a file that loses its directive', async () => {
    const project = makeProject('webpack-cache', files)
    const log = path.join(project, 'babel.log')

    const cold = await build(project, { cache: true, skip: false, log })
    expect(cold.babelRuns.sort()).toEqual(['src/actions.js', 'src/index.js', 'src/more.js', 'src/page.js', 'src/util.js'])
    const entries = Object.values(cold.manifest.actions) as { module: string; export: string; kind: string }[]
    expect(entries.map((e) => `${e.module}#${e.export}:${e.kind}`).sort()).toEqual([
      'src/actions.js#remove:export',
      'src/actions.js#save:export',
      expect.stringMatching(/^src\/page\.js#.+:inline$/),
    ])
    expect([...cold.metadata.keys()].sort()).toEqual(['src/actions.js', 'src/page.js'])
    // React's shape, keyed by the same IDs, with webpack's module IDs.
    expect(Object.keys(cold.react).sort()).toEqual(Object.keys(cold.manifest.actions).sort())
    for (const [id, entry] of Object.entries(cold.manifest.actions) as [string, { module: string; export: string }][]) {
      expect(cold.react[id]).toEqual({ id: `./${entry.module}`, chunks: [], name: entry.export })
    }

    // The bundle runs, and its references carry the manifest's IDs.
    const bundle = loadBundle(project)
    const saveId = Object.keys(cold.manifest.actions).find((id) => cold.manifest.actions[id].export === 'save')
    expect(bundle.save.$$id).toBe(saveId)
    expect(await bundle.save('x')).toBe('saved x')
    expect(await bundle.Page(2)(3)).toBe(5)

    // Warm: every file comes from babel-loader's cache (Babel does not run), the manifest is byte-identical.
    fs.rmSync(path.join(project, 'out'), { recursive: true })
    fs.writeFileSync(log, '')
    const warm = await build(project, { cache: true, skip: false, log })
    expect(warm.babelRuns).toEqual([])
    expect(warm.manifestText).toBe(cold.manifestText)

    // page.js loses its inline directive: only that file is recompiled, and its entry is gone.
    writeFiles(project, { 'src/page.js': files['src/page.js'].replace("    'use server'\n", '') })
    fs.writeFileSync(log, '')
    const edited = await build(project, { cache: true, skip: false, log })
    expect(edited.babelRuns).toEqual(['src/page.js'])
    const left = Object.values(edited.manifest.actions) as { module: string }[]
    expect(left.map((e) => e.module)).toEqual(['src/actions.js', 'src/actions.js'])
    expect([...edited.metadata.keys()]).toEqual(['src/actions.js'])

    // actions.js loses its file directive too: the manifest is empty.
    writeFiles(project, { 'src/actions.js': files['src/actions.js'].replace("'use server'\n", '') })
    const empty = await build(project, { cache: true, skip: false, log })
    expect(empty.manifest).toEqual({ version: 1, actions: {} })
  })

  it("rebuilds the manifest from modules restored by webpack's own filesystem cache", async () => {
    const project = makeProject('webpack-fscache', files)
    const log = path.join(project, 'babel.log')
    const webpackCache = path.join(project, '.webpack-cache')
    const cold = await build(project, { cache: false, skip: true, log, webpackCache })
    expect(Object.keys(cold.manifest.actions)).toHaveLength(3)
    fs.writeFileSync(log, '')
    fs.rmSync(path.join(project, 'out'), { recursive: true })
    const warm = await build(project, { cache: false, skip: true, log, webpackCache })
    expect(warm.babelRuns).toEqual([])
    expect(warm.manifestText).toBe(cold.manifestText)
    expect(warm.react).toEqual(cold.react)
  })

  it('with the loader, files without a directive never enter Babel and the manifest is the same', async () => {
    const project = makeProject('webpack-skip', files)
    const log = path.join(project, 'babel.log')
    const plain = await build(project, { cache: false, skip: false, log })
    fs.writeFileSync(log, '')
    const skipping = await build(project, { cache: false, skip: true, log })
    expect(skipping.babelRuns.sort()).toEqual(['src/actions.js', 'src/page.js'])
    expect(skipping.skipped).toBe(3)
    expect(skipping.manifestText).toBe(plain.manifestText)
    const bundle = loadBundle(project)
    expect(await bundle.remove('y')).toBe('removed y')
    expect(bundle.add(1, 2)).toBe(3)
  })

  it('skipping babel-loader leaves a later loader its own options', async () => {
    const project = makeProject('webpack-skip-tag', files)
    const log = path.join(project, 'babel.log')
    const skipping = await build(project, { cache: false, skip: true, log, tag: 'after-babel' })
    expect(skipping.skipped).toBe(3)
    const bundle = fs.readFileSync(path.join(project, 'out', 'server.cjs'), 'utf8')
    expect(bundle.match(/tag:after-babel/g)).toHaveLength(5) // every module, skipped or not
    expect(bundle).not.toContain('tag:undefined')
  })
})
