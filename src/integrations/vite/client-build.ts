// What a Vite server build learns from the client builds of the same `vite build`: the plugin is `sharedDuringBuild`,
// so one instance sees every environment, and Vite's default `buildApp` builds them in the order of `environments`
// (`client` first unless the config lists another before it). Each client environment's stubs are recorded as Babel writes them and, once its bundle
// is generated, marked referenced or not:
//   - a 'use server' module compiled to stubs exports them: a stub counts if the bundle renders that export (some
//     client module imports and uses it; Rollup's tree shaking drops the others);
//   - a stub an importer holds (importStubs) counts if that importer is in the bundle.
// The server build then checks them against its manifest (USE_SERVER_ID_MISMATCH) and keeps only what is used
// (`onlyReferenced`), through core/references.ts.
import { stubCalls, type ClientStub } from '../core/references.js'

/** A Rollup/Vite output bundle entry, as far as this file reads it. */
export interface BundleEntry {
  type: 'chunk' | 'asset'
  modules?: Record<string, { renderedExports: string[] }>
}

interface TransformedModule {
  /** The absolute file. */
  file: string
  stubs: { id: string; name: string }[]
  /** Are the stubs the module's exports (a 'use server' module), rather than an importer's own (importStubs)? */
  exported: boolean
}

/** The client environments of one build run: their transformed modules' stubs, then each finished bundle's. */
export class ClientBuilds {
  private readonly transformed = new Map<string, Map<string, TransformedModule>>()
  private readonly finished = new Map<string, ClientStub[]>()

  /** A client environment's build starts (`buildStart`): forget what it recorded before. */
  start(environment: string): void {
    this.transformed.set(environment, new Map())
    this.finished.delete(environment)
  }

  /** A client module Babel transformed (`id` as the bundler names it, `file` absolute): its output's stubs. */
  record(environment: string, id: string, file: string, code: string, exported: boolean): void {
    const stubs = stubCalls(code)
    if (stubs.length === 0) return
    let modules = this.transformed.get(environment)
    if (!modules) this.transformed.set(environment, (modules = new Map()))
    modules.set(id, { file, stubs, exported })
  }

  /** A client environment's bundle is generated (`generateBundle`): its stubs, each marked referenced or not. */
  finish(environment: string, bundle: Record<string, BundleEntry>): void {
    const rendered = new Map<string, Set<string>>()
    for (const entry of Object.values(bundle)) {
      if (entry.type !== 'chunk') continue
      for (const [id, module] of Object.entries(entry.modules ?? {})) {
        const names = rendered.get(id) ?? new Set()
        for (const name of module.renderedExports) names.add(name)
        rendered.set(id, names)
      }
    }
    const stubs: ClientStub[] = []
    for (const [id, { file, stubs: calls, exported }] of this.transformed.get(environment) ?? []) {
      const names = rendered.get(id)
      if (!names) continue // Not in the bundle: its stubs never reach a browser.
      for (const { id: actionId, name } of calls) stubs.push({ id: actionId, name, resource: file, referenced: !exported || names.has(name) })
    }
    this.finished.set(environment, stubs)
  }

  /** The stubs of every client environment whose bundle was generated in this run; null when there was none. */
  stubs(): ClientStub[] | null {
    return this.finished.size === 0 ? null : [...this.finished.values()].flat()
  }
}
