// The `babel-plugin-use-server/manifest` entry: building, converting, reading and writing the server-action manifest.
export {
  addToManifest,
  createManifest,
  parseManifest,
  removeModule,
  serializeManifest,
  type ManifestEntry,
  type ServerManifest,
} from './manifest.js'
export {
  reactServerManifestForLoader,
  serializeReactServerManifest,
  toReactServerManifest,
  type ReactServerManifest,
  type ReactServerManifestEntry,
  type ReactServerManifestOptions,
} from './react.js'
export { manifestFromOutputs, UnreadableOutputError, type EmittedFile } from './outputs.js'
export { manifestFromPaths } from './collect.js'
export { readManifestFile, updateManifestFile, updateManifestFileAsync, writeManifestFile } from './write.js'
