// The skip loader in front of a babel-loader that also compiles JSX (@babel/preset-react), in real webpack builds:
// by default it skips nothing (a 'use client' file with JSX and, with importStubs, a leaf file that imports nothing
// still reach the preset); `skip: true` skips directive-free files only where babel-loader has no presets, and says so.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { skippedModuleCount } from '../../../src/integrations/webpack.ts'
import { dist, makeProject, pluginPath } from '../support'

const require = createRequire(import.meta.url)

const files = {
  'src/index.js': `export { Button } from './button.js'\nexport { Leaf } from './leaf.js'\nexport { save } from './actions.js'\n`,
  'src/button.js': `'use client'\nimport { save } from './actions.js'\nexport function Button() { return <button onClick={() => save(1)}>Save</button> }\n`,
  // A leaf: no directive, no import, but JSX.
  'src/leaf.js': `export function Leaf() { return <p>leaf</p> }\n`,
  'src/actions.js': `'use server'\nexport async function save(x) { return x }\n`,
}

async function build(project: string, loaderOptions: Record<string, unknown>, presets: boolean) {
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: project,
    target: 'node',
    entry: './src/index.js',
    output: { path: path.join(project, 'out'), filename: 'client.cjs', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) => /^(babel-plugin-use-server|react)/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{
        test: /\.js$/,
        exclude: /node_modules/,
        use: [
          { loader: dist('cjs', 'integrations', 'webpack.js'), options: loaderOptions },
          { loader: 'babel-loader', options: {
            babelrc: false,
            configFile: false,
            presets: presets ? [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]] : [],
            plugins: [[pluginPath, { environment: 'client', root: project, importStubs: loaderOptions.importStubs === true }]],
          } },
        ],
      }],
    },
    cache: false,
    infrastructureLogging: { level: 'error' },
  })
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  return { stats, skipped: skippedModuleCount(stats.compilation), warnings: stats.compilation.warnings.map((w) => w.message) }
}

describe('the webpack skip loader before a babel-loader with @babel/preset-react', () => {
  it.each([
    ['no options', {}],
    ['importStubs: true', { importStubs: true }],
  ])('with %s, every file reaches the preset (JSX compiles)', async (_name, options) => {
    const project = makeProject('webpack-skip-jsx', files)
    const { stats, skipped } = await build(project, options, true)
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
    expect(skipped).toBe(0)
    const bundle = fs.readFileSync(path.join(project, 'out', 'client.cjs'), 'utf8')
    expect(bundle).toContain('"leaf"')
    expect(bundle).not.toContain('<p>')
  })

  it('with skip: true, a babel-loader with presets is not skipped, and a warning names the option', async () => {
    const project = makeProject('webpack-skip-presets', files)
    const { stats, skipped, warnings } = await build(project, { skip: true, importStubs: true }, true)
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
    expect(skipped).toBe(0)
    expect(warnings.filter((w) => w.includes('[use-server]'))).toEqual([expect.stringContaining("`skip` option is set")])
  })

  it('with skip: true and a babel-loader for this plugin alone, directive-free files skip Babel', async () => {
    const project = makeProject('webpack-skip-alone', { ...files, 'src/leaf.js': `export const Leaf = 'leaf'\n` })
    const { stats, skipped, warnings } = await build(project, { skip: true }, false)
    // button.js ('use client', no 'use server' string) is skipped too: without a preset its JSX does not parse. This
    // is what `skip` means, and why it is not the default.
    expect(stats.toString('errors-only')).toContain('Module parse failed')
    expect(skipped).toBe(3) // index.js, leaf.js, button.js
    expect(warnings.filter((w) => w.includes('[use-server]'))).toEqual([])
  })
})
