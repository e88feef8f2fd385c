// babel-plugin-use-server/webpack: the manifests of a webpack server compilation (UseServerPlugin), and a loader
// for babel-loader's cache (importStubs) that can also keep babel-loader away from files without a directive (`skip`).
//
//   // webpack.config.js, the server compilation (client compilations: environment 'client'; UseServerPlugin only
//   // for importStubs, see below, and without include)
//   const { UseServerPlugin } = require('babel-plugin-use-server/webpack')
//   module.exports = {
//     module: { rules: [{ test: /\.jsx?$/, exclude: /node_modules/, use: { loader: 'babel-loader', options: {
//       presets: [['@babel/preset-react', { runtime: 'automatic' }]],
//       plugins: [['babel-plugin-use-server', { environment: 'server' }]],
//     } } }] },
//     // include: the 'use server' modules of src/ are in the bundle, also those only client code imports.
//     plugins: [new UseServerPlugin({ include: 'src', reactFilename: 'react-server-manifest.json' })],
//   }
//
// In production (minification, concatenation, tree shaking, code splitting) the modules with server functions stay
// modules of their own with all their exports, and React's manifest gets their final module IDs.
//
// Both builds at once: `const useServer = new UseServerPlugin({ include: 'src' })` in the server compilation and
// `useServer.client()` in the browser compilation. Then a client stub the server lacks is a build error, and the
// manifests keep only the server functions something imports, plus inline actions (`onlyReferenced`).
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
// `{ importStubs: true }` (it keys babel-loader's cache on the state of the 'use server' modules each file imports).
// The loader's `skip: true` (only where babel-loader runs for this plugin alone: no JSX/TS presets) keeps babel-loader
// away from files with no directive (with importStubs: and no import either).
//
// One file per concern: webpack/plugin.ts (UseServerPlugin), webpack/client.ts (its client half),
// webpack/references.ts (what the module graph uses), webpack/include.ts (`include`'s scan),
// webpack/metadata.ts (markers, metadata, importStubs dependencies), webpack/skip-loader.ts (this entry is also the
// loader), webpack/cache-key.ts (babel-loader's cache key). What the Vite plugin shares with them is in core/: the folder
// walk, file stamps, manifests from module metadata, and the client-stub checks (mismatch, onlyReferenced).
export type { ServerManifest } from '../manifest/manifest.js'
export type { UseServerMetadata } from '../metadata.js'
export { UseServerPlugin, type UseServerPluginOptions } from './webpack/plugin.js'
export { METADATA_SUBSCRIBER, addUseServerDependencies, getCompilationMetadata, getUseServerMetadata } from './webpack/metadata.js'
export { default, pitch, skippedModuleCount, type UseServerLoaderOptions } from './webpack/skip-loader.js'
