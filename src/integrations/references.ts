// The references module of a Vite/Rollup server build (`babel-plugin-use-server/references`, or
// `virtual:use-server/references`): the build's manifest, and for each 'use server' module a loader
// `() => import('/abs/path')`. The bundler makes each of those a chunk that keeps every export (the hoisted
// `_$$action_…` ones too), whatever it minifies or splits, so the runtime loads an action by its ID from the bundle.
//
// Which modules: every file under the scanned folders whose text has a 'use server' string (the plugin's cheap scan),
// whether the server imports it or only client code does. Scanning the sources, rather than learning them from the
// client build, works the same in a Vite dev server, a Vite build in any environment order and two Rollup builds.
// The folder walk is core/server-files.ts.
import path from 'node:path'
import type { ServerManifest } from '../manifest/manifest.js'
import { scanSource } from '../scan.js'

/** What a server entry imports (Vite and Rollup resolve both to the generated module). */
export const REFERENCES_IDS = ['babel-plugin-use-server/references', 'virtual:use-server/references']
/** The resolved id: `\0` keeps other plugins (and Vite's import analysis) from treating it as a file. */
export const RESOLVED_REFERENCES_ID = '\0virtual:use-server/references'

/** Which files the references module lists: any whose text has the exact string 'use server' in quotes. */
export function mentionsUseServer(code: string): boolean {
  return scanSource(code)?.server === true
}

/**
 * Where the manifest goes when it is known only once the server build's graph is complete (`onlyReferenced`): a
 * string literal, which minifiers keep as it is, replaced in the rendered chunk (`fillManifest`).
 */
const MANIFEST_PLACEHOLDER = '__USE_SERVER_MANIFEST__'
const PLACEHOLDER_LITERAL = new RegExp(`(["'\`])${MANIFEST_PLACEHOLDER}\\1`)

/** Does this rendered chunk hold the references module's manifest placeholder? */
export function hasManifestPlaceholder(code: string): boolean {
  return code.includes(MANIFEST_PLACEHOLDER)
}

/** The rendered chunk with the placeholder replaced by the manifest (as a JSON string literal). */
export function fillManifest(code: string, manifest: ServerManifest): string {
  return code.replace(PLACEHOLDER_LITERAL, () => JSON.stringify(JSON.stringify(manifest)))
}

/**
 * The generated module's code. `modules` maps each manifest module (path relative to the root) to its absolute file;
 * `manifest` null: a placeholder that `fillManifest` replaces in the rendered chunk.
 * Exports: `manifest`, `loadModule(module)` (for handleActionRequest / loadServerAction) and `loadServerAction(id)`.
 */
export function referencesModuleCode(manifest: ServerManifest | null, modules: Map<string, string>, serverRuntime: string): string {
  const loaders = [...modules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, file]) => `  ${JSON.stringify(module)}: () => import(${JSON.stringify(file.split(path.sep).join('/'))}),`)
  return [
    `import { loadServerAction as load } from ${JSON.stringify(serverRuntime)};`,
    `export const manifest = ${manifest ? JSON.stringify(manifest) : `JSON.parse(${JSON.stringify(MANIFEST_PLACEHOLDER)})`};`,
    `const modules = {\n${loaders.join('\n')}\n};`,
    'export function loadModule(module) {',
    '  if (!Object.prototype.hasOwnProperty.call(modules, module)) {',
    '    throw new Error("[USE_SERVER_NOT_IN_BUILD] " + JSON.stringify(module) + " is not a \'use server\' module of this build.");',
    '  }',
    '  return modules[module]();',
    '}',
    'export function loadServerAction(id) {',
    '  return load(id, { manifest, loadModule });',
    '}',
    '',
  ].join('\n')
}
