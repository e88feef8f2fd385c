// UseServerPlugin: the manifest of a webpack compilation (ours, and optionally react-server-dom-webpack's), rebuilt on
// every compilation from the modules in it, and the `useServerMetadata` function babel-loader's
// `metadataSubscribers` calls.
import type { Compilation, Compiler, Module } from 'webpack'
import { createManifest, serializeManifest, type ServerManifest } from '../../manifest/manifest.js'
import { serializeReactServerManifest, toReactServerManifest } from '../../manifest/react.js'
import { addUseServerDependencies, collectServerModules, METADATA_SUBSCRIBER, serverModulesOf, type ServerModule } from './metadata.js'

const NAME = 'UseServerPlugin'

export interface UseServerPluginOptions {
  /** The manifest asset (our JSON: action ID → module, export, kind). Default 'use-server-manifest.json'. */
  filename?: string
  /**
   * Also emit react-server-dom-webpack's server manifest (action ID → { id, chunks, name }) under this name, with
   * webpack module IDs. Default: not emitted.
   */
  reactFilename?: string | false
  /** Called with each compilation's manifest, before the assets are emitted. */
  onManifest?: (manifest: ServerManifest, compilation: Compilation) => void
  /**
   * The Babel plugin's `root`: `metadata.useServerDependencies` (importStubs) are relative to it. Default: webpack's
   * `context`.
   */
  root?: string
}

export class UseServerPlugin {
  readonly options: Required<Omit<UseServerPluginOptions, 'onManifest' | 'root'>> & Pick<UseServerPluginOptions, 'onManifest' | 'root'>

  constructor(options: UseServerPluginOptions = {}) {
    this.options = { filename: 'use-server-manifest.json', reactFilename: false, ...options }
  }

  apply(compiler: Compiler): void {
    const { Compilation: CompilationClass, NormalModule, sources } = compiler.webpack
    const root = this.options.root ?? compiler.context
    compiler.hooks.compilation.tap(NAME, (compilation) => {
      NormalModule.getCompilationHooks(compilation).loader.tap(NAME, (loaderContext) => {
        ;(loaderContext as unknown as Record<string, unknown>)[METADATA_SUBSCRIBER] = (metadata: unknown) =>
          addUseServerDependencies(loaderContext, metadata, root)
      })
    })
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      // Before optimization: every module is still its own NormalModule (not yet concatenated).
      compilation.hooks.finishModules.tap(NAME, (modules) => { collectServerModules(compilation, modules) })
      compilation.hooks.processAssets.tap({ name: NAME, stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const found: Map<string, ServerModule> = serverModulesOf(compilation)
        const files = [...found.keys()].sort()
        const manifest = createManifest(files.map((file) => found.get(file)!.meta))
        this.options.onManifest?.(manifest, compilation)
        compilation.emitAsset(this.options.filename, new sources.RawSource(serializeManifest(manifest)))
        if (this.options.reactFilename) {
          const react = toReactServerManifest(manifest, {
            moduleId: (file) => compilation.chunkGraph.getModuleId(found.get(file)!.module as Module) ?? file,
          })
          compilation.emitAsset(this.options.reactFilename, new sources.RawSource(serializeReactServerManifest(react)))
        }
      })
    })
  }
}
