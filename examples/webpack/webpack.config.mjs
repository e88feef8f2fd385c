import path from 'node:path'
import { UseServerPlugin } from 'babel-plugin-use-server/webpack'

// Run from this folder (`npx webpack`, with webpack-cli): the Babel plugin's root (Babel's working directory) and
// webpack's context are this folder, so both compilations compute the same action IDs. Production mode: minified,
// modules concatenated; `production: true` tells the Babel plugin (webpack's mode does not reach Babel), which then
// keys the IDs with a secret (USE_SERVER_ACTION_ID_SECRET, else one generated for this checkout).
const mode = 'production'

/** babel-loader for TypeScript and JSX, with this plugin: 'server' in the server compilation, 'client' in the browser's. */
const babel = (environment) => ({
  test: /\.[cm]?[jt]sx?$/,
  exclude: /node_modules/,
  use: {
    loader: 'babel-loader',
    options: {
      presets: ['@babel/preset-typescript', ['@babel/preset-react', { runtime: 'automatic' }]],
      plugins: [['babel-plugin-use-server', { environment, production: mode === 'production' }]],
    },
  },
})

// The server compilation's plugin: every 'use server' module of app/server is in the server bundle (shout too, which
// only client code imports); it writes our manifest and React's (the bundle's module IDs). Its client() half in the
// browser compilation checks the client stubs' IDs and leaves out of both manifests what nothing imports.
const useServer = new UseServerPlugin({ include: 'app/server', reactFilename: 'react-server-manifest.json' })
const resolve = { extensions: ['.ts', '.tsx', '.js'] }

export default [
  {
    name: 'client',
    mode,
    target: 'web',
    entry: './app/main.tsx',
    output: { path: path.resolve('dist/client'), filename: 'main.js', clean: true },
    resolve,
    module: { rules: [babel('client')] },
    plugins: [useServer.client()],
  },
  {
    name: 'server',
    mode,
    target: 'node20',
    entry: './app/server.ts',
    output: { path: path.resolve('dist/server'), filename: 'server.cjs', chunkFilename: '[id].cjs', clean: true },
    // React's Flight server (react-server-dom-webpack/server) needs the react-server condition.
    resolve: { ...resolve, conditionNames: ['react-server', 'node', 'import', 'require', 'default'] },
    module: { rules: [babel('server')] },
    plugins: [useServer],
  },
]
