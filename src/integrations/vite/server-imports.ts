// Which exports of a 'use server' module the server build's own code imports (a server component that passes one on
// as a prop, another module that re-exports it), read once the build's module graph is complete: each static
// importer's transformed code is searched for the import and re-export statements whose specifier resolves to the
// module. A namespace import, `export *`, a dynamic import, or an import this reading cannot follow counts as every
// export. The references module itself (which imports every module dynamically) does not count.

/** The slice of the Rollup/Vite plugin context this file uses. */
export interface GraphContext {
  getModuleInfo(id: string): { code?: string | null; importers?: readonly string[]; dynamicImporters?: readonly string[] } | null
  resolve(source: string, importer: string): Promise<{ id: string } | null>
}

// `import <clause> from '<source>'` and `export <clause> from '<source>'`; the clause holds no quote or semicolon.
const STATEMENT = /\b(import|export)\s*([^'"`;()]*?)\s*from\s*(['"])([^'"\r\n]+)\3/g
// An import clause: `x`, `x, { … }`, `x, * as ns`, `{ … }`, `* as ns` (export clauses: `{ … }`, `*`, `* as ns`).
const CLAUSE = /^(?:([\w$]+)\s*(?:,\s*)?)?(\*(?:\s*as\s+[\w$]+)?|\{([^{}]*)\})?$/
const SPECIFIER = /^(?:type\s+)?(?:([\w$]+)|(["'])(.*)\2)(?:\s+as\s+(?:[\w$]+|(["']).*\4))?$/

/**
 * The names `code` imports or re-exports from the specifiers `matches` accepts; `null` when it takes every export (a
 * namespace, `export *`), a clause cannot be read, or no statement matches (the import is of a form not read here).
 */
export async function importedNames(code: string, matches: (source: string) => Promise<boolean>): Promise<Set<string> | null> {
  const names = new Set<string>()
  let matched = false
  for (const [, keyword, rawClause, , source] of code.matchAll(STATEMENT)) {
    if (!(await matches(source))) continue
    matched = true
    const clause = CLAUSE.exec(rawClause.trim())
    if (!clause || clause[2]?.startsWith('*')) return null
    if (clause[1] && keyword === 'import') names.add('default')
    else if (clause[1]) return null // `export x from` is not JavaScript: read nothing into it.
    for (const item of (clause[3] ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
      const specifier = SPECIFIER.exec(item)
      if (!specifier) return null
      names.add(specifier[1] ?? specifier[3])
    }
  }
  return matched ? names : null
}

/**
 * The exports of module `id` that server code of the build imports (see above), or `null` for every export.
 * `references`: the references module's id, whose dynamic imports do not count.
 */
export async function serverImports(ctx: GraphContext, id: string, references: string): Promise<Set<string> | null> {
  const info = ctx.getModuleInfo(id)
  if (!info) return null
  if ((info.dynamicImporters ?? []).some((importer) => importer !== references)) return null
  const names = new Set<string>()
  for (const importer of info.importers ?? []) {
    if (importer === references || importer === id) continue
    const code = ctx.getModuleInfo(importer)?.code
    if (typeof code !== 'string') return null
    const found = await importedNames(code, async (source) => (await ctx.resolve(source, importer))?.id === id)
    if (found === null) return null
    for (const name of found) names.add(name)
  }
  return names
}
