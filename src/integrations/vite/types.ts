// The Vite/Rollup plugin's options and the structural types it is written against (a Vite plugin is a Rollup
// plugin; neither package's types are needed to use it).
import type { PluginOptions } from '../../index.js'
import type { ServerManifest } from '../../manifest/manifest.js'
import type { UseServerMetadata } from '../../metadata.js'
import type { BabelCore } from './babel.js'
import type { BundleEntry } from './client-build.js'

export type Environment = 'server' | 'client'

export interface UseServerViteOptions {
  /** Vite: environment name → which output it gets (`false`: leave its modules alone). Defaults: see vite.ts. */
  environments?: Record<string, Environment | false>
  /** Rollup, or Vite without environments API: the environment of every module of this build. */
  environment?: Environment
  /**
   * The Babel plugin's other options (`root` defaults to Vite's root, or the working directory; `production` to Vite's
   * `isProduction`, and for Rollup to the Babel plugin's own default).
   */
  plugin?: Omit<PluginOptions, 'environment'>
  /** More Babel options (e.g. `parserOpts`, `plugins` to run alongside); `babelrc`/`configFile` stay false. */
  babel?: Record<string, unknown>
  /** The @babel/core to use. Default: resolved from the project root. */
  babelCore?: BabelCore | (() => BabelCore | Promise<BabelCore>)
  /** Modules considered (id without query). Default: JS and TS files outside node_modules. */
  include?: RegExp
  exclude?: RegExp
  /** The manifest asset of server builds; false: none. Default 'use-server-manifest.json'. */
  manifest?: string | false
  /** Every module Babel transformed that has actions, as it is transformed. */
  onMetadata?: (meta: UseServerMetadata, id: string, environment: string) => void
  /** Each server build's manifest, before it is emitted. */
  onManifest?: (manifest: ServerManifest, environment: string) => void
  /**
   * Folders (relative to the root) searched for 'use server' files, for `babel-plugin-use-server/references`. Default
   * `['.']`: the whole root, except node_modules, folders starting with '.' and Vite's build output folders.
   */
  scan?: string[]
  /**
   * Vite, when this instance saw the client build first (`vite build`): leave out of the references module and the
   * manifest every export of a 'use server' module that neither the client bundle nor other server code imports
   * (inline actions stay), so it cannot be called (404, as an unknown ID). A server build alone, the dev server and
   * Rollup keep every export. Default: true.
   */
  onlyReferenced?: boolean
}

/** The slice of a Vite/Rollup plugin context this plugin uses. */
export interface Context {
  environment?: { name: string; config?: { consumer?: Environment }; moduleGraph?: ModuleGraph }
  getModuleIds?: () => Iterable<string>
  getModuleInfo?: (id: string) => { code?: string | null; importers?: readonly string[]; dynamicImporters?: readonly string[] } | null
  resolve(source: string, importer: string): Promise<{ id: string } | null>
  addWatchFile?: (id: string) => void
  emitFile(file: { type: 'asset'; fileName: string; source: string }): string
  warn(message: string): void
  error(message: string): never
}

/** The slice of a Vite dev environment's module graph this plugin uses. */
export interface ModuleGraph {
  getModuleById(id: string): object | undefined
  invalidateModule(module: never): void
}

/** A Vite dev server's file event (`hotUpdate`): the parts this plugin reads. */
export interface HotUpdate {
  type: 'create' | 'update' | 'delete'
  file: string
  modules: object[]
}

/** A Rollup/Vite log (`onLog`): the parts the directive-warning filter reads. */
export interface Log {
  code?: string
  id?: string
  message: string
}

/** The slice of Vite's resolved config this plugin reads. */
export interface ResolvedConfig {
  root: string
  isProduction?: boolean
  environments?: Record<string, { build?: { outDir?: string } }>
  build?: { ssr?: unknown; outDir?: string }
}

/** A Vite plugin, also a valid Rollup plugin (structurally typed, so neither package's types are needed). */
export interface UseServerVitePlugin {
  name: string
  /** One instance for every environment of `vite build`, so the server build sees the client build's stubs. */
  sharedDuringBuild: true
  configResolved(config: ResolvedConfig): void
  buildStart(this: Context): void
  resolveId: { order: 'pre'; handler(id: string): string | null }
  load(this: Context, id: string): Promise<string | null>
  /**
   * Drops Rollup's and Vite's "module level directive" warning for the files this plugin transformed, and the
   * "dynamic import will not move module into another chunk" one for the references module's imports.
   */
  onLog(level: string, log: Log): boolean | void
  transform: {
    filter: { id: RegExp; code: RegExp }
    handler(this: Context, code: string, id: string, options?: { ssr?: boolean }): Promise<{ code: string; map: unknown; meta?: Record<string, unknown> } | null>
  }
  /** Rollup's cache: a cached importer is transformed again when a file its import stubs were made from changed. */
  shouldTransformCachedModule(this: Context, module: { id: string; meta?: Record<string, unknown> | null }): boolean
  /** onlyReferenced: the references module's manifest, once the server build's graph is complete. */
  renderChunk(this: Context, code: string): Promise<{ code: string; map: null } | null>
  generateBundle(this: Context, outputOptions: unknown, bundle: Record<string, BundleEntry>): Promise<void>
  /**
   * Vite's dev server: a 'use server' file under `scan` that was created, edited or deleted (or a file that lost its
   * directive) regenerates the references module of each environment that loaded it.
   */
  hotUpdate(this: Context, update: HotUpdate): object[] | void
  api: {
    /** The manifest of the last server build of each environment (Vite environment name, or 'default'). */
    manifests: Map<string, ServerManifest>
    /** The metadata of the modules transformed so far in an environment, by module id (e.g. in a dev server). */
    metadata(environment?: string): Map<string, UseServerMetadata>
  }
}
