// babel-plugin-use-server/vite: a Vite plugin (also a Rollup plugin) that runs Babel with this plugin alone, and only
// on modules whose text passes the plugin's cheap scan; every other module never reaches Babel.
//
//   // vite.config.js (Vite 6+: the environment comes from the Vite environment being built)
//   import useServer from 'babel-plugin-use-server/vite'
//   export default { plugins: [useServer()] }
//   //   'client' → client stubs; 'rsc' → server; 'ssr' → server, or client when an 'rsc' environment exists too;
//   //   any other environment by its `consumer`. Override: useServer({ environments: { edge: 'server', ssr: false } })
//
//   // rollup.config.js (one build per environment)
//   import useServer from 'babel-plugin-use-server/vite'
//   export default { input: 'src/server.js', plugins: [useServer({ environment: 'server' })] }
//
// A server build's entry imports `babel-plugin-use-server/references` (references.ts): the manifest and a loader per
// 'use server' module found under `scan`, so the bundle can run every action, also those only client code imports.
// Rollup's and Vite's "module level directive … ignored" warnings are dropped for the modules the plugin handles.
//
// Babel is `@babel/core` resolved from the project root (or `babelCore`), with `babelrc: false, configFile: false`;
// TypeScript and JSX are parsed (not transformed) by file extension, so the plugin can sit before or after the
// TS/JSX transform. Server builds emit the manifest as an asset (`manifest`, default 'use-server-manifest.json'),
// rebuilt from the modules of the build: from Babel's metadata, or the output markers of modules Rollup's cache served.
// Vite's `isProduction` is the Babel plugin's `production` (keyed action IDs). One instance serves every environment
// (`sharedDuringBuild`): the server build checks the client build's stubs against its manifest (vite/client-build.ts)
// and, with `onlyReferenced`, keeps only the exports the client bundle or server code imports (vite/server-imports.ts).
// What this plugin shares with the webpack one (folder walk, file stamps, manifests, parser plugins) is in core/.
import fs from 'node:fs'
import path from 'node:path'
import plugin from '../index.js'
import { serializeManifest, type ServerManifest } from '../manifest/manifest.js'
import type { UseServerMetadata } from '../metadata.js'
import { scanSource } from '../scan.js'
import { buildManifest, computableFromSource, moduleMetadata, unkeyedProductionWarning } from './core/manifest.js'
import { keepReferenced, mismatchedStubs } from './core/references.js'
import { findServerFiles } from './core/server-files.js'
import { fileStamp, StampCache } from './core/stamps.js'
import { syntaxPlugins } from '../syntax.js'
import { fillManifest, hasManifestPlaceholder, mentionsUseServer, referencesModuleCode, REFERENCES_IDS, RESOLVED_REFERENCES_ID } from './references.js'
import { loadBabel, type BabelCore } from './vite/babel.js'
import { ClientBuilds } from './vite/client-build.js'
import { serverImports } from './vite/server-imports.js'
import type { Context, Environment, UseServerViteOptions, UseServerVitePlugin } from './vite/types.js'

export type { ServerManifest } from '../manifest/manifest.js'
export type { UseServerMetadata } from '../metadata.js'
export type { BabelCore } from './vite/babel.js'
export type { UseServerViteOptions, UseServerVitePlugin } from './vite/types.js'

const DEFAULT_INCLUDE = /\.[cm]?[jt]sx?(?:$|\?)/
const DEFAULT_EXCLUDE = /[\\/]node_modules[\\/]/
// A superset of the scan's candidate strings: lets Vite/Rolldown skip calling into JS for most modules at all.
const CODE_FILTER = /["'`]\s*use[\s_-]*[A-Za-z]+\s*["'`]/i
// importStubs: a client module with an import or a re-export may import a 'use server' module.
const IMPORT_TEXT = /\bimport\b|\bfrom\s*["']/
const STUBS_CODE_FILTER = new RegExp(`${CODE_FILTER.source}|${IMPORT_TEXT.source}`, 'i')
/** How a 'use server' module gets into a Vite/Rollup server build (for USE_SERVER_ID_MISMATCH). */
const SCAN_FIX = "put it under the plugin's `scan` folders, or import it from the server entry"
/** Module meta key: the files an importStubs transform read, with their mtime and size. */
const META_KEY = 'use-server'

/**
 * The Vite (6+) / Rollup plugin: runs this Babel plugin on every file whose text holds a 'use server'-like string,
 * per environment (`client` → stubs, `rsc`/`ssr`/others → server, see the README), serves the generated
 * `babel-plugin-use-server/references` module in server builds, and emits `use-server-manifest.json` there. Options
 * are read once; a wrong Babel plugin option rejects the first transform with `USE_SERVER_INVALID_OPTION`.
 */
export default function useServer(options: UseServerViteOptions = {}): UseServerVitePlugin {
  const include = options.include ?? DEFAULT_INCLUDE
  const exclude = options.exclude ?? DEFAULT_EXCLUDE
  const manifestName = options.manifest ?? 'use-server-manifest.json'
  const importStubs = options.plugin?.importStubs === true
  let root = options.plugin?.root ?? process.cwd()
  let hasRsc = false
  /** Vite's `isProduction` (NODE_ENV); Rollup: unknown (the Babel plugin's own default, its env, decides). */
  let production: boolean | undefined
  let ssrBuild: boolean | undefined
  let outDirs: string[] = []
  let babel: Promise<BabelCore> | undefined
  /** Per environment: module id → its metadata (null: transformed, no actions). */
  const seen = new Map<string, Map<string, UseServerMetadata | null>>()
  const manifests = new Map<string, ServerManifest>()
  const clientBuilds = new ClientBuilds()
  /** Per server environment: this build's manifest, made once its graph is complete (renderChunk, generateBundle). */
  const finalManifests = new Map<string, Promise<ServerManifest>>()
  /** Every module id this plugin transformed, in any environment (for the directive-warning filter). */
  const transformed = new Set<string>()
  /** The references module's server transforms, by file: reused while the file's mtime and size are the same. */
  const scanned = new StampCache<UseServerMetadata | null>()
  /** The files the last references module listed. */
  let listed = new Set<string>()

  function environmentOf(ctx: Context, ssr = ssrBuild): { name: string; kind: Environment | false } {
    const env = ctx.environment
    if (!env) {
      const kind = options.environment ?? (ssr === undefined ? undefined : ssr ? 'server' : 'client')
      if (!kind) throw new Error("[use-server] Set the `environment` option ('server' or 'client') for a Rollup build.")
      return { name: 'default', kind }
    }
    const configured = options.environments?.[env.name]
    if (configured !== undefined) return { name: env.name, kind: configured }
    if (options.environment) return { name: env.name, kind: options.environment }
    if (env.name === 'rsc') return { name: env.name, kind: 'server' }
    if (env.name === 'ssr') return { name: env.name, kind: hasRsc ? 'client' : 'server' }
    if (env.name === 'client') return { name: env.name, kind: 'client' }
    return { name: env.name, kind: env.config?.consumer === 'server' ? 'server' : 'client' }
  }

  /** Babel with this plugin alone on one file; the metadata it reports. */
  async function runBabel(code: string, file: string, kind: Environment) {
    const core = await (babel ??= loadBabel(options.babelCore, root))
    const result = await core.transformAsync(code, {
      ...options.babel,
      babelrc: false,
      configFile: false,
      filename: file,
      sourceFileName: file,
      sourceMaps: true,
      parserOpts: { ...(options.babel?.parserOpts as object), plugins: syntaxPlugins(file) },
      plugins: [...((options.babel?.plugins as unknown[]) ?? []),
        [plugin, { ...options.plugin, root, environment: kind, production: options.plugin?.production ?? production }]],
    })
    const metadata = result?.metadata as { useServer?: UseServerMetadata; useServerDependencies?: string[] } | undefined
    return { result, meta: metadata?.useServer ?? null, dependencies: metadata?.useServerDependencies }
  }

  /** The references module: every 'use server' file under the scanned folders, and the manifest of their actions. */
  async function referencesModule(ctx: Context): Promise<string> {
    const files = findServerFiles({
      dirs: (options.scan ?? ['.']).map((dir) => path.resolve(root, dir)),
      skip: outDirs,
      include,
      exclude,
      isServerSource: mentionsUseServer,
    })
    const metas: UseServerMetadata[] = []
    const modules = new Map<string, string>()
    listed = new Set(files)
    for (const file of files) {
      ctx.addWatchFile?.(file)
      const stamp = fileStamp(file)
      let meta = scanned.get(file, stamp)
      if (meta === undefined) meta = scanned.set(file, stamp, (await runBabel(fs.readFileSync(file, 'utf8'), file, 'server')).meta)
      if (!meta || meta.actions.length === 0) continue
      metas.push(meta)
      modules.set(meta.file, file)
    }
    const serverRuntime = options.plugin?.serverRuntime ?? 'babel-plugin-use-server/server'
    // onlyReferenced: what server code imports is known once the graph is complete; renderChunk puts it in.
    const later = options.onlyReferenced !== false && clientBuilds.stubs() !== null
    return referencesModuleCode(later ? null : buildManifest(metas), modules, serverRuntime)
  }

  /**
   * A server build's manifest, from its modules: a client stub it lacks is USE_SERVER_ID_MISMATCH; with onlyReferenced
   * and a client build seen, only what the client bundle or other server code imports, and inline actions.
   */
  async function serverManifest(ctx: Context): Promise<ServerManifest> {
    const modules = seen.get(environmentOf(ctx).name) ?? new Map()
    const metas: UseServerMetadata[] = []
    const idOf = new Map<string, string>()
    for (const id of ctx.getModuleIds?.() ?? []) {
      // A module not transformed in this build (e.g. served by Rollup's cache): its output marker says what it has.
      for (const meta of moduleMetadata(modules.get(id), () => ctx.getModuleInfo?.(id)?.code)) {
        metas.push(meta)
        idOf.set(meta.file, id)
      }
    }
    const manifest = buildManifest(metas)
    if (production && metas.some(computableFromSource)) {
      ctx.warn(unkeyedProductionWarning("Vite passes its isProduction to the Babel plugin unless `plugin.production` says otherwise: remove `production: false`"))
    }
    const stubs = clientBuilds.stubs()
    if (!stubs) {
      // A Vite server environment built without a client one before it (Rollup builds are always apart: no notice).
      if (ctx.environment && options.onlyReferenced !== false && metas.some((meta) => meta.actions.some((a) => a.kind === 'export'))) {
        ctx.warn(`[use-server] onlyReferenced: the '${ctx.environment.name}' environment was built without a client ` +
          'environment before it, so its manifest keeps every export of its \'use server\' modules, also those nothing ' +
          'imports. List the client environments first in `environments` and build with `vite build`, or set ' +
          '`onlyReferenced: false` to silence this.')
      }
      return manifest
    }
    const mismatches = mismatchedStubs(stubs, manifest, root, SCAN_FIX)
    if (mismatches.length > 0) ctx.error(mismatches.join('\n'))
    if (options.onlyReferenced === false) return manifest
    const getModuleInfo = ctx.getModuleInfo
    const graph = getModuleInfo && { getModuleInfo: (id: string) => getModuleInfo.call(ctx, id), resolve: ctx.resolve.bind(ctx) }
    const imported = new Map<string, Set<string> | null>()
    for (const meta of metas) imported.set(meta.file, graph ? await serverImports(graph, idOf.get(meta.file)!, RESOLVED_REFERENCES_ID) : null)
    return buildManifest(keepReferenced(metas, stubs, (meta) => imported.get(meta.file) ?? null))
  }

  function finalManifest(ctx: Context, environment: string): Promise<ServerManifest> {
    let manifest = finalManifests.get(environment)
    if (!manifest) finalManifests.set(environment, (manifest = serverManifest(ctx)))
    return manifest
  }

  return {
    name: 'use-server',
    sharedDuringBuild: true,
    api: {
      manifests,
      metadata(environment = 'default') {
        const found = new Map<string, UseServerMetadata>()
        for (const [id, meta] of seen.get(environment) ?? []) if (meta) found.set(id, meta)
        return found
      },
    },
    configResolved(config) {
      root = options.plugin?.root ?? config.root
      production = config.isProduction
      hasRsc = Boolean(config.environments && 'rsc' in config.environments)
      ssrBuild = Boolean(config.build?.ssr) // Vite before the environments API: one build, SSR or not.
      const dirs = [config.build?.outDir, ...Object.values(config.environments ?? {}).map((env) => env.build?.outDir)]
      outDirs = dirs.filter((dir): dir is string => typeof dir === 'string').map((dir) => path.resolve(config.root, dir))
    },
    buildStart() {
      const env = environmentOf(this)
      seen.set(env.name, new Map())
      finalManifests.delete(env.name)
      if (env.kind === 'client') clientBuilds.start(env.name)
    },
    resolveId: {
      // Before Vite's own resolver, which would find the package's placeholder file.
      order: 'pre',
      handler(id) {
        return REFERENCES_IDS.includes(id) ? RESOLVED_REFERENCES_ID : null
      },
    },
    async load(id) {
      if (id !== RESOLVED_REFERENCES_ID) return null
      const env = environmentOf(this)
      if (env.kind !== 'server') {
        this.error(`[use-server] babel-plugin-use-server/references is for server builds; it was imported in the ` +
          `${env.name === 'default' ? "build with environment 'client'" : `'${env.name}' environment (a client one)`}.`)
      }
      return referencesModule(this)
    },
    onLog(_level, log) {
      if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.id) {
        // 'use server' in any module this plugin handles (also one Rollup's cache served untransformed): registered
        // (server) or replaced by stubs (client). 'use client' only where the plugin ran.
        const file = log.id.split('?', 1)[0]
        if (/use server/.test(log.message) && include.test(file) && !exclude.test(file)) return false
        if (/use client/.test(log.message) && transformed.has(log.id)) return false
      }
      // A 'use server' module the server also imports statically shares its chunk: expected, not a mistake.
      if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && log.message.includes(RESOLVED_REFERENCES_ID.slice(1))) return false
    },
    transform: {
      filter: { id: include, code: importStubs ? STUBS_CODE_FILTER : CODE_FILTER },
      async handler(code, id, transformOptions) {
        const file = id.split('?', 1)[0]
        if (id.startsWith('\0') || !include.test(file) || exclude.test(file)) return null
        const scan = scanSource(code)
        if (!scan && !(importStubs && IMPORT_TEXT.test(code))) return null
        const env = environmentOf(this, transformOptions?.ssr ?? ssrBuild)
        if (!env.kind || (!scan && env.kind !== 'client')) return null
        const { result, meta, dependencies: read } = await runBabel(code, file, env.kind)
        if (!result?.code) return null
        transformed.add(id)
        // importStubs: the output depends on the 'use server' modules it was made from; Vite and Rollup watch them.
        const dependencies: Record<string, string> = {}
        for (const dependency of read ?? []) {
          const absolute = path.resolve(root, dependency)
          this.addWatchFile?.(absolute)
          dependencies[absolute] = fileStamp(absolute)
        }
        let modules = seen.get(env.name)
        if (!modules) seen.set(env.name, (modules = new Map()))
        modules.set(id, meta)
        if (meta) options.onMetadata?.(meta, id, env.name)
        if (env.kind === 'client') clientBuilds.record(env.name, id, file, result.code, Boolean(meta))
        if (!read) return { code: result.code, map: result.map ?? null }
        return { code: result.code, map: result.map ?? null, meta: { [META_KEY]: { dependencies } } }
      },
    },
    hotUpdate({ type, file, modules }) {
      const graph = this.environment?.moduleGraph
      const references = graph?.getModuleById(RESOLVED_REFERENCES_ID)
      if (!graph || !references || !include.test(file) || exclude.test(file)) return
      // Created or edited: does it have a 'use server' string now? Deleted, or lost it: was it listed?
      const mentions = type !== 'delete' && mentionsUseServer(readText(file))
      if (!mentions && !listed.has(file)) return
      graph.invalidateModule(references as never)
      return [...modules, references]
    },
    shouldTransformCachedModule({ meta }) {
      const dependencies = (meta?.[META_KEY] as { dependencies?: Record<string, string> } | undefined)?.dependencies
      return Object.entries(dependencies ?? {}).some(([file, stamp]) => fileStamp(file) !== stamp)
    },
    async renderChunk(code) {
      const env = environmentOf(this)
      if (env.kind !== 'server' || !hasManifestPlaceholder(code)) return null
      return { code: fillManifest(code, await finalManifest(this, env.name)), map: null }
    },
    async generateBundle(_outputOptions, bundle) {
      const env = environmentOf(this)
      if (env.kind === 'client') clientBuilds.finish(env.name, bundle)
      if (env.kind !== 'server' || !this.getModuleIds) return
      const manifest = await finalManifest(this, env.name)
      manifests.set(env.name, manifest)
      options.onManifest?.(manifest, env.name)
      if (manifestName) this.emitFile({ type: 'asset', fileName: manifestName, source: serializeManifest(manifest) })
    },
  }
}

/** A file's text, or '' when it cannot be read (deleted meanwhile). */
function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

