// What a webpack compilation knows of the plugin's per-file metadata: read from the `/* @use-server {...} */` markers
// in each module's final source (so it holds whether babel-loader ran, its cacheDirectory served the file, or
// webpack's cache restored the module), and the importStubs dependencies babel-loader reports through
// `metadataSubscribers`.
import fs from 'node:fs'
import path from 'node:path'
import type { Compilation, Compiler, LoaderContext, Module } from 'webpack'
import { readMarkers, type UseServerMetadata } from '../../metadata.js'

/**
 * The function UseServerPlugin puts on every loader context, for babel-loader's
 * `metadataSubscribers: ['useServerMetadata']`: babel-loader calls it with each file's Babel metadata, also when its
 * cacheDirectory serves the file (the metadata is cached with the code), and it makes the files an importStubs
 * transform read (`metadata.useServerDependencies`) dependencies of the importer.
 */
export const METADATA_SUBSCRIBER = 'useServerMetadata'

/** A module of the compilation with actions, and what its markers say. */
export interface ServerModule {
  meta: UseServerMetadata
  module: Module
}

/** The modules of the compilation with actions, by source file; set in `finishModules`. */
const byCompilation = new WeakMap<Compilation, Map<string, ServerModule>>()
/** Markers read from a module's source object; a module restored unchanged keeps its source object. */
const markersBySource = new WeakMap<object, UseServerMetadata[]>()

/** Records the modules with actions of a compilation (UseServerPlugin, in `finishModules`): source file → module. */
export function collectServerModules(compilation: Compilation, modules: Iterable<Module>): Map<string, ServerModule> {
  const found = new Map<string, ServerModule>()
  for (const module of modules) {
    for (const meta of getUseServerMetadata(module)) found.set(meta.file, { meta, module })
  }
  byCompilation.set(compilation, found)
  return found
}

/** The modules `collectServerModules` recorded for the compilation (empty before `finishModules`). */
export function serverModulesOf(compilation: Compilation): Map<string, ServerModule> {
  return byCompilation.get(compilation) ?? new Map()
}

/**
 * Makes the files an importStubs transform read dependencies of the module being built, so that webpack rebuilds the
 * importer (watch mode, `cache: { type: 'filesystem' }`) when one of them changes. UseServerPlugin calls it through
 * babel-loader's `metadataSubscribers`; a custom loader that runs Babel itself can call it with `result.metadata`.
 */
export function addUseServerDependencies(loaderContext: Pick<LoaderContext<unknown>, 'addDependency' | 'emitWarning'>,
  metadata: unknown, root: string): void {
  const dependencies = (metadata as { useServerDependencies?: unknown } | null)?.useServerDependencies
  if (!Array.isArray(dependencies)) return
  for (const dependency of dependencies) {
    if (typeof dependency !== 'string') continue
    const file = path.resolve(root, dependency)
    loaderContext.addDependency(file)
    if (!fs.existsSync(file)) {
      loaderContext.emitWarning(new Error(`[use-server] ${file} (from metadata.useServerDependencies) does not exist. ` +
        `If the file was not deleted, give UseServerPlugin the Babel plugin's \`root\` option.`))
    }
  }
}

/** Puts the `useServerMetadata` function (see METADATA_SUBSCRIBER) on every loader context of `compiler`. */
export function installMetadataSubscriber(compiler: Compiler, root: string): void {
  compiler.hooks.compilation.tap('UseServerPlugin', (compilation) => {
    compiler.webpack.NormalModule.getCompilationHooks(compilation).loader.tap('UseServerPlugin', (loaderContext) => {
      ;(loaderContext as unknown as Record<string, unknown>)[METADATA_SUBSCRIBER] = (metadata: unknown) =>
        addUseServerDependencies(loaderContext, metadata, root)
    })
  })
}

/** The use-server metadata of one webpack module: read from the markers in its source after all loaders. */
export function getUseServerMetadata(module: Module): UseServerMetadata[] {
  const source = (module as { originalSource?: () => { source(): string | Buffer } | null }).originalSource?.()
  if (!source) return []
  let metas = markersBySource.get(source)
  if (!metas) {
    const code = source.source()
    metas = typeof code === 'string' ? readMarkers(code) : []
    markersBySource.set(source, metas)
  }
  return metas
}

/** The metadata of every module with actions in the compilation, by source file (available after `finishModules`). */
export function getCompilationMetadata(compilation: Compilation): Map<string, UseServerMetadata> {
  return new Map([...serverModulesOf(compilation)].map(([file, { meta }]) => [file, meta]))
}
