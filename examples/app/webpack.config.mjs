// Three webpack builds, all with babel-plugin-use-server:
//   client → build/static/  browser bundle; 'use server' modules become RPC stubs; React's Flight plugin finds the
//                           'use client' modules and writes react-client-manifest.json
//   rsc    → build/rsc.cjs  server components and server functions, under the 'react-server' condition
//   ssr    → build/ssr.cjs  react-dom/server + the client components, for the HTML of the first load
// `build()` runs them and writes build/use-server-manifest.json (our manifest, from the marker comments in rsc.cjs).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import webpack from 'webpack'
import { manifestFromOutputs, writeManifestFile } from 'babel-plugin-use-server/manifest'

const require = createRequire(import.meta.url)
const ReactFlightWebpackPlugin = require('./flight-plugin.cjs') // React's Flight plugin (see that file)
export const appDir = path.dirname(fileURLToPath(import.meta.url))
export const srcDir = path.join(appDir, 'src')
export const buildDir = path.join(appDir, 'build')
export const staticDir = path.join(buildDir, 'static')
export const manifestFile = path.join(buildDir, 'use-server-manifest.json')
export const clientManifestFile = path.join(staticDir, 'react-client-manifest.json')

const babel = (environment, plugins = []) => ({
  test: /\.jsx?$/,
  include: appDir,
  use: {
    loader: require.resolve('babel-loader'),
    options: {
      babelrc: false,
      configFile: false,
      cacheDirectory: false,
      presets: [[require.resolve('@babel/preset-react'), { runtime: 'automatic' }]],
      plugins: [[require.resolve('babel-plugin-use-server'), { environment, root: srcDir }], ...plugins],
    },
  },
})

const common = {
  mode: 'production',
  context: appDir,
  resolve: { extensions: ['.js', '.jsx', '.mjs', '.json'] },
  performance: false,
  infrastructureLogging: { level: 'error' },
}
// Server bundles stay readable, and their module IDs are paths (the SSR map is built from them).
const serverOptimization = { minimize: false, moduleIds: 'named', concatenateModules: false }

export const configs = [
  {
    ...common,
    name: 'client',
    target: 'web',
    entry: { main: './client.jsx' },
    output: { path: staticDir, publicPath: '/static/', filename: '[name].js', chunkFilename: '[name].[contenthash:8].js', clean: true },
    module: { rules: [babel('client')] },
    plugins: [new ReactFlightWebpackPlugin({ isServer: false, clientReferences: [{ directory: srcDir, recursive: true, include: /\.jsx?$/ }] })],
  },
  {
    ...common,
    name: 'rsc',
    target: 'node20',
    entry: { rsc: './rsc.jsx' },
    output: { path: buildDir, filename: '[name].cjs', chunkFilename: 'rsc-[id].cjs', library: { type: 'commonjs2' } },
    resolve: { ...common.resolve, conditionNames: ['react-server', 'node', 'import', 'require', 'default'] },
    externals: { '@electric-sql/pglite': 'commonjs @electric-sql/pglite' },
    module: { rules: [babel('server', [require.resolve('./client-references.cjs')])] },
    optimization: serverOptimization,
  },
  {
    ...common,
    name: 'ssr',
    dependencies: ['client'], // it bundles the client modules the client build found
    target: 'node20',
    entry: { ssr: './ssr.jsx' },
    output: { path: buildDir, filename: '[name].cjs', chunkFilename: 'ssr-[id].cjs', library: { type: 'commonjs2' } },
    module: { rules: [babel('client')] },
    optimization: serverOptimization,
    plugins: [
      // ssr.jsx's webpackContext over src/ is narrowed to exactly the 'use client' modules.
      new webpack.ContextReplacementPlugin(/[\\/]src$/, (context) => {
        const files = clientModules().map((file) => `./${path.relative(srcDir, file)}`)
        context.regExp = new RegExp(`^(${files.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`)
      }),
    ],
  },
]

/** The files of the 'use client' modules, from the client build's react-client-manifest.json. */
export function clientModules() {
  const manifest = JSON.parse(fs.readFileSync(clientManifestFile, 'utf8'))
  return [...new Set(Object.keys(manifest).map((url) => fileURLToPath(url.replace(/#.*$/, ''))))]
}

export async function build() {
  fs.rmSync(buildDir, { recursive: true, force: true })
  const stats = await new Promise((resolve, reject) => {
    webpack(configs, (error, result) => (error ? reject(error) : resolve(result)))
  })
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true, errorDetails: true }))
  const outputs = fs.readdirSync(buildDir).filter((f) => f.endsWith('.cjs') && f.startsWith('rsc'))
  const manifest = manifestFromOutputs(outputs.map((f) => ({ code: fs.readFileSync(path.join(buildDir, f), 'utf8') })))
  writeManifestFile(manifestFile, manifest)
  return manifest
}
