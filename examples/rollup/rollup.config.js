import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import useServer from 'babel-plugin-use-server/vite'

// Run from this folder (`rollup -c`): the plugin's root, and so the action IDs, is the working directory.
// Rollup has no mode: `production: true` keys the action IDs with USE_SERVER_ACTION_ID_SECRET, else with a secret
// made once for this checkout, which both builds read.
const plugin = { production: true }

export default [
  // The browser bundle: the 'use server' modules it imports become stubs that call the server.
  {
    input: 'src/main.js',
    output: { dir: 'dist/client', format: 'es' },
    plugins: [
      useServer({ environment: 'client', plugin }),
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      nodeResolve({ browser: true }),
      commonjs(),
    ],
  },
  // The server: its entry imports 'babel-plugin-use-server/references', which brings in every 'use server' module of
  // src/ (client-only.js too, which no server module imports). Run it with `node --conditions=react-server`.
  {
    input: 'src/server.js',
    output: { dir: 'dist/server', format: 'es' },
    external: [/^react/, 'babel-plugin-use-server/server'],
    plugins: [useServer({ environment: 'server', scan: ['src'], plugin })],
  },
]
