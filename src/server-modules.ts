// What a 'use server' module exports, read from its source for import-site stubs. Each file is read and parsed
// once per version (its mtime and size), not once per importer.
import fs from 'node:fs'
import type { types as t } from '@babel/core'

export interface ServerModule {
  /** Value exports: each becomes a stub. */
  values: string[]
  /** Type-only exports: importers' references to them vanish with the types. */
  types: string[]
  /** `export *`: the names cannot be known here. */
  exportAll: boolean
}

export type Parse = (code: string, filename: string) => t.File | null

const cache = new Map<string, { stamp: string; module: ServerModule | null }>()

/** The exports of `file` if its prologue has 'use server', else null. */
export function readServerModule(file: string, parse: Parse): ServerModule | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (!stat) return null
  const stamp = `${stat.mtimeMs}:${stat.size}`
  const cached = cache.get(file)
  if (cached?.stamp === stamp) return cached.module
  const module = readModule(file, parse)
  cache.set(file, { stamp, module })
  return module
}

function readModule(file: string, parse: Parse): ServerModule | null {
  const code = fs.readFileSync(file, 'utf8')
  if (!code.includes('use server')) return null
  const ast = parse(code, file)
  if (!ast || !ast.program.directives.some((d) => d.value.value === 'use server')) return null
  const module: ServerModule = { values: [], types: [], exportAll: false }
  for (const node of ast.program.body) collectNames(node, module)
  return module
}

function collectNames(node: t.Statement, module: ServerModule): void {
  if (node.type === 'ExportAllDeclaration') {
    if (node.exportKind !== 'type') module.exportAll = true
  } else if (node.type === 'ExportDefaultDeclaration') {
    ;((node.declaration as t.Node).type === 'TSInterfaceDeclaration' ? module.types : module.values).push('default')
  } else if (node.type === 'ExportNamedDeclaration') {
    const typeOnly = node.exportKind === 'type'
    for (const specifier of node.specifiers) {
      const name = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value
      const isType = typeOnly || (specifier.type === 'ExportSpecifier' && specifier.exportKind === 'type')
      ;(isType ? module.types : module.values).push(name)
    }
    const declaration = node.declaration
    if (!declaration) return
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) module.values.push(...patternNames(declarator.id))
    } else if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
      module.values.push(declaration.id.name)
    } else if ('id' in declaration && declaration.id && declaration.id.type === 'Identifier') {
      module.types.push(declaration.id.name) // Interfaces, type aliases, `declare` forms: no runtime value.
    }
  }
}

function patternNames(pattern: t.LVal | t.Node): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name]
    case 'ObjectPattern': return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern': return pattern.elements.flatMap((e) => (e ? patternNames(e) : []))
    case 'AssignmentPattern': return patternNames(pattern.left)
    case 'RestElement': return patternNames(pattern.argument)
    default: return []
  }
}
