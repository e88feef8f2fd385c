// What the paired-build tests share: one compilation of a test project (`src/<name>.js` → `out/<name>/main.js`), with
// babel-loader running the plugin in the compilation's environment, and React and this package left to Node.
import path from 'node:path'
import type webpack from 'webpack'
import { pluginPath } from '../support'

/**
 * The compilation `name` (the server, or a client one: the browser's, an SSR one) in `mode`, with `plugins`; `plugin`:
 * more Babel plugin options (e.g. a `secret`). `cache: false` unless `watch` (webpack's watch mode keeps its memory cache).
 */
export function compilation(project: string, name: 'client' | 'server' | 'ssr', plugin: Record<string, unknown>,
  plugins: webpack.WebpackPluginInstance[], mode: 'development' | 'production' = 'development', watch = false): webpack.Configuration {
  return {
    name,
    mode,
    devtool: false,
    context: project,
    target: name === 'client' ? 'web' : 'node',
    entry: `./src/${name}.js`,
    output: { path: path.join(project, 'out', name), filename: 'main.js', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) =>
      /^(babel-plugin-use-server|react)/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{ test: /\.js$/, use: { loader: 'babel-loader', options: { babelrc: false, configFile: false,
        plugins: [[pluginPath, { environment: name === 'server' ? 'server' : 'client', root: project, ...plugin }]] } } }],
    },
    optimization: { minimize: false },
    plugins,
    ...(watch ? { watchOptions: { aggregateTimeout: 50 } } : { cache: false }),
    infrastructureLogging: { level: 'error' },
  }
}
