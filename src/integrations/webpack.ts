// babel-plugin-use-server/webpack: the manifest of a webpack compilation, and a loader that keeps babel-loader away
// from files without a directive.
//
//   // webpack.config.js (the server compilation; the client compilation uses environment: 'client')
//   const { UseServerPlugin } = require('babel-plugin-use-server/webpack')
//   module.exports = {
//     module: {
//       rules: [{
//         test: /\.[cm]?[jt]sx?$/,
//         exclude: /node_modules/,
//         use: [
//           // Optional, must come right before babel-loader: files whose text holds no 'use server'-like string
//           // skip babel-loader (and only it: other loaders in the rule still run).
//           { loader: 'babel-plugin-use-server/webpack' },
//           { loader: 'babel-loader', options: {
//             cacheDirectory: true,
//             plugins: [['babel-plugin-use-server', { environment: 'server' }]],
//           } },
//         ],
//       }],
//     },
//     plugins: [new UseServerPlugin({ filename: 'use-server-manifest.json', reactFilename: 'react-server-manifest.json' })],
//   }
//
// The manifest is rebuilt on every compilation from the modules in it: each server module's final source carries the
// plugin's `/* @use-server {...} */` marker, so it is complete whether babel-loader ran, babel-loader's
// cacheDirectory served the file, or webpack's own cache restored the module; a file that lost its directive (or
// left the module graph) loses its entries. Keep the marker: don't run babel with `comments: false` on the server.
//
// Per-file metadata: `getUseServerMetadata(module)` (e.g. in a compilation hook), `getCompilationMetadata(compilation)`
// after `finishModules`, the `onManifest` option, or babel-loader's own `metadataSubscribers` option.
//
// Client compilation with the Babel plugin's `importStubs: true`: an importer's output depends on the server modules
// it imports. Add `metadataSubscribers: ['useServerMetadata']` to babel-loader's options (UseServerPlugin puts that
// function on every loader context; it makes `metadata.useServerDependencies` dependencies of the importer, also when
// babel-loader's cache serves the file), and, with babel-loader's `cacheDirectory`, put this loader before it with
// `{ importStubs: true }` (it then skips only files with neither a directive nor an import, and keys babel-loader's
// cache on the state of the 'use server' modules each file imports).
//
// One file per concern: webpack/plugin.ts (UseServerPlugin), webpack/metadata.ts (markers, metadata, importStubs
// dependencies), webpack/skip-loader.ts (this entry is also the loader), webpack/cache-key.ts (babel-loader's cache key).
export type { ServerManifest } from '../manifest/manifest.js'
export type { UseServerMetadata } from '../metadata.js'
export { UseServerPlugin, type UseServerPluginOptions } from './webpack/plugin.js'
export { METADATA_SUBSCRIBER, addUseServerDependencies, getCompilationMetadata, getUseServerMetadata } from './webpack/metadata.js'
export { default, pitch, skippedModuleCount, type UseServerLoaderOptions } from './webpack/skip-loader.js'
