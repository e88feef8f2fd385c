// Three webpack builds, all with babel-plugin-use-server, in development or production mode (webpack's defaults):
//   client → static/  browser bundle; 'use server' modules become RPC stubs; React's Flight plugin finds the
//                     'use client' modules and writes react-client-manifest.json
//   rsc    → rsc.cjs  server components and server functions, under the 'react-server' condition; UseServerPlugin
//                     adds every 'use server' module of src/ and writes use-server-manifest.json and React's
//                     react-server-manifest.json (action ID → webpack module ID)
//   ssr    → ssr.cjs  react-dom/server + the client components, for the HTML of the first load
// Output: build/ (production) or build-development/.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import webpack from 'webpack'
import { parseManifest } from 'babel-plugin-use-server/manifest'
import { UseServerPlugin } from 'babel-plugin-use-server/webpack'

const require = createRequire(import.meta.url)
const ReactFlightWebpackPlugin = require('./flight-plugin.cjs') // React's Flight plugin (see that file)
export const appDir = path.dirname(fileURLToPath(import.meta.url))
export const srcDir = path.join(appDir, 'src')

/** Where a build of `mode` ('production' or 'development') goes. */
export function buildDirOf(mode = 'production') {
  return path.join(appDir, mode === 'production' ? 'build' : `build-${mode}`)
}

/**
 * babel-loader with React's JSX preset and this plugin: 'server' in the server compilation, 'client' elsewhere. In
 * production, action IDs are keyed with a secret (USE_SERVER_ACTION_ID_SECRET, else one made for this checkout).
 */
const babel = (environment, mode, plugins = []) => ({
  test: /\.jsx?$/,
  exclude: /node_modules/,
  use: {
    loader: 'babel-loader',
    options: {
      presets: [['@babel/preset-react', { runtime: 'automatic' }]],
      plugins: [['babel-plugin-use-server', { environment, root: srcDir, production: mode === 'production' }], ...plugins],
    },
  },
})

/**
 * UseServerPlugin of one build: in the server compilation, and a `client()` half in each client compilation (browser,
 * SSR), so that the builds' IDs are checked against each other and server functions that nothing imports are left out.
 */
const useServerPlugin = () => new UseServerPlugin({ include: 'src', reactFilename: 'react-server-manifest.json' })

const server = (buildDir, mode, useServer) => ({
  target: 'node20',
  entry: { rsc: './rsc.jsx' },
  output: { path: buildDir, filename: '[name].cjs', chunkFilename: 'rsc-[id].cjs', library: { type: 'commonjs2' } },
  resolve: { conditionNames: ['react-server', 'node', 'import', 'require', 'default'] },
  // RSC only: a Babel plugin that turns 'use client' modules into client references.
  module: { rules: [babel('server', mode, [require.resolve('./client-references.cjs')])] },
  // Every 'use server' module of src/ is in the bundle (also those only client code imports); the manifests.
  plugins: [useServer],
})

/** The three compilations of `mode`. */
export function configs(mode = 'production') {
  const buildDir = buildDirOf(mode)
  const staticDir = path.join(buildDir, 'static')
  const common = {
    mode,
    context: appDir,
    resolve: { extensions: ['.js', '.jsx', '.mjs', '.json'] },
    performance: false,
    infrastructureLogging: { level: 'error' },
  }
  // The SSR bundle keeps paths as module IDs: server.mjs maps the browser build's client modules to them.
  const ssrOptimization = { minimize: false, moduleIds: 'named', concatenateModules: false }
  const useServer = useServerPlugin()
  const rsc = server(buildDir, mode, useServer)
  return [
    {
      ...common,
      name: 'client',
      target: 'web',
      entry: { main: './client.jsx' },
      output: { path: staticDir, publicPath: '/static/', filename: '[name].js', chunkFilename: '[name].[contenthash:8].js', clean: true },
      module: { rules: [babel('client', mode)] },
      plugins: [
        new ReactFlightWebpackPlugin({ isServer: false, clientReferences: [{ directory: srcDir, recursive: true, include: /\.jsx?$/ }] }),
        useServer.client(),
      ],
    },
    {
      ...common,
      ...rsc,
      name: 'rsc',
      resolve: { ...common.resolve, ...rsc.resolve },
      externals: { '@electric-sql/pglite': 'commonjs @electric-sql/pglite' },
    },
    {
      ...common,
      name: 'ssr',
      dependencies: ['client'], // it bundles the client modules the client build found
      target: 'node20',
      entry: { ssr: './ssr.jsx' },
      output: { path: buildDir, filename: '[name].cjs', chunkFilename: 'ssr-[id].cjs', library: { type: 'commonjs2' } },
      module: { rules: [babel('client', mode)] },
      optimization: ssrOptimization,
      plugins: [
        useServer.client(), // its client stubs render forms' actions into the HTML: checked and counted too
        // ssr.jsx's webpackContext over src/ is narrowed to exactly the 'use client' modules.
        new webpack.ContextReplacementPlugin(/[\\/]src$/, (context) => {
          const files = clientModules(buildDir).map((file) => `./${path.relative(srcDir, file)}`)
          context.regExp = new RegExp(`^(${files.map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`)
        }),
      ],
    },
  ]
}

/** The files of the 'use client' modules, from the client build's react-client-manifest.json. */
export function clientModules(buildDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'static', 'react-client-manifest.json'), 'utf8'))
  return [...new Set(Object.keys(manifest).map((url) => fileURLToPath(url.replace(/#.*$/, ''))))]
}

/** Builds the app in `mode`; resolves to the server manifest UseServerPlugin wrote. */
export async function build(mode = 'production') {
  const buildDir = buildDirOf(mode)
  fs.rmSync(buildDir, { recursive: true, force: true })
  const stats = await new Promise((resolve, reject) => {
    webpack(configs(mode), (error, result) => (error ? reject(error) : resolve(result)))
  })
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true, errorDetails: true }))
  return parseManifest(fs.readFileSync(path.join(buildDir, 'use-server-manifest.json'), 'utf8'))
}
