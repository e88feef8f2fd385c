// Which server functions a webpack compilation uses, read from its module graph:
//   - server compilation: the exports of each 'use server' module that another module imports (a server component
//     that calls one or passes it on as a prop, another server module that re-exports it);
//   - client compilation: the client stubs (`createServerReference("<id>", …, "<name>")`) of its modules, where a stub
//     that a module exports (a 'use server' module compiled to stubs) counts only if another module imports it.
// A namespace import, `require()`, `import()` or an entry point reads every export: all of them count.
// The stubs' text and what is done with them (the mismatch check, onlyReferenced) are core/references.ts.
import type { Compilation, Dependency, Module } from 'webpack'
import { stubCalls, type ClientStub } from '../core/references.js'

export type { ClientStub } from '../core/references.js'

/**
 * The export names of `module` that other modules of `compilation` reference, or `null` when every export counts.
 * `ignore`: dependencies that do not count (UseServerPlugin's `include` entries).
 */
export function referencedExports(compilation: Compilation, module: Module, ignore: ReadonlySet<Dependency>): Set<string> | null {
  const names = new Set<string>()
  for (const { dependency, originModule } of compilation.moduleGraph.getIncomingConnections(module)) {
    if (!dependency || ignore.has(dependency) || originModule === module) continue
    if (!originModule) return null // an entry point
    for (const reference of dependency.getReferencedExports(compilation.moduleGraph, undefined)) {
      const path = Array.isArray(reference) ? reference : reference.name
      if (path.length === 0) return null // the whole namespace object
      names.add(path[0])
    }
  }
  return names
}

/** Every client stub in the compilation's modules (call after `optimizeDependencies`: it reads provided exports). */
export function findClientStubs(compilation: Compilation, modules: Iterable<Module>): ClientStub[] {
  const stubs: ClientStub[] = []
  for (const module of modules) {
    const resource = (module as { resource?: string }).resource
    const code = (module as { originalSource?: () => { source(): string | Buffer } | null }).originalSource?.()?.source()
    if (!resource || typeof code !== 'string' || !code.includes('createServerReference')) continue
    const provided = compilation.moduleGraph.getProvidedExports(module)
    let imported: Set<string> | null | undefined
    for (const { id, name } of stubCalls(code)) {
      // An exported stub is what a client-compiled 'use server' module consists of: it counts where it is imported.
      const exported = Array.isArray(provided) && provided.includes(name)
      if (exported && imported === undefined) imported = referencedExports(compilation, module, new Set())
      const referenced = !exported || imported === null || imported!.has(name)
      stubs.push({ id, name, resource, referenced })
    }
  }
  return stubs
}
