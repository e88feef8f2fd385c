// Client environment: an import of a 'use server' module becomes RPC stubs where it is written, so the server
// module never enters the client module graph, even when the build does not run Babel on it.
import type { NodePath, types as t } from '@babel/core'
import { stubCall } from './client-output.js'
import { exportName, type TransformContext } from './context.js'
import { ErrorCode, fail } from './errors.js'
import { relativeFile } from './ids.js'
import { resolveImport } from './resolve.js'
import { readServerModule, type Parse, type ServerModule } from './server-modules.js'

type ModuleStatement = NodePath<t.ImportDeclaration | t.ExportNamedDeclaration | t.ExportAllDeclaration>

/** Rewrites the file's imports of server modules; returns every file it read (relative to the root). */
export function rewriteServerImports(ctx: TransformContext, root: string, filename: string, parse: Parse): string[] {
  const read = new Set<string>()
  for (const statement of ctx.program.get('body')) {
    if (!statement.isImportDeclaration() && !statement.isExportNamedDeclaration() && !statement.isExportAllDeclaration()) continue
    const node = statement.node as t.ImportDeclaration | t.ExportNamedDeclaration | t.ExportAllDeclaration
    const kind = node.type === 'ImportDeclaration' ? node.importKind : node.exportKind
    if (!node.source || kind === 'type' || kind === 'typeof') continue
    const target = resolveImport(node.source.value, filename, root, ctx.options.alias)
    if (!target) continue
    read.add(relativeFile(root, target))
    const module = readServerModule(target, parse)
    if (!module) continue
    const file = relativeFile(root, target)
    const stub = (name: string) => stubCall(ctx, ctx.idOf(file, name), name)
    rewrite(ctx, statement as ModuleStatement, module, stub)
  }
  return [...read].sort()
}

function rewrite(ctx: TransformContext, statement: ModuleStatement, module: ServerModule, stub: (name: string) => t.Expression): void {
  const { t } = ctx
  const check = (at: NodePath, name: string) => {
    if (namesOf(module).values.has(name)) return true
    if (namesOf(module).types.has(name)) return false // A type: erased with the types, nothing to stub.
    const source = (statement.node.source as t.StringLiteral).value
    if (module.exportAll) {
      fail(at, ErrorCode.ExportAll, `'${source}' is a 'use server' module that uses 'export *', so "${name}" cannot be ` +
        `turned into a stub here. Export its server functions by name.`)
    }
    fail(at, ErrorCode.UnknownServerExport, `'${source}' is a 'use server' module with no export named "${name}". ` +
      `Its server functions are: ${module.values.join(', ') || '(none)'}.`)
  }
  const replacement: t.Statement[] = []
  const constant = (local: t.Identifier, init: t.Expression) =>
    t.variableDeclaration('const', [t.variableDeclarator(t.identifier(local.name), init)])

  if (statement.isImportDeclaration()) {
    for (const specifier of statement.get('specifiers')) {
      const { node } = specifier
      if (node.type === 'ImportNamespaceSpecifier') {
        replacement.push(constant(node.local, namespace(ctx, usedMembers(specifier, module), stub)))
      } else if (node.type === 'ImportDefaultSpecifier') {
        if (check(specifier, 'default')) replacement.push(constant(node.local, stub('default')))
      } else if (node.importKind !== 'type' && node.importKind !== 'typeof') {
        const name = node.imported.type === 'Identifier' ? node.imported.name : node.imported.value
        if (check(specifier, name)) replacement.push(constant(node.local, stub(name)))
      }
    }
  } else if (statement.isExportNamedDeclaration()) {
    for (const specifier of statement.get('specifiers')) {
      const { node } = specifier
      const exported = node.exported.type === 'Identifier' ? node.exported.name : node.exported.value
      let value: t.Expression | null = null
      if (node.type === 'ExportNamespaceSpecifier') value = namespace(ctx, module.values, stub)
      else if (node.type === 'ExportDefaultSpecifier') value = check(specifier, 'default') ? stub('default') : null
      else if (node.exportKind !== 'type') {
        const local = exportedLocal(node.local as t.Identifier | t.StringLiteral)
        value = check(specifier, local) ? stub(local) : null
      }
      if (value) replacement.push(...exportValue(ctx, exported, value))
    }
  } else {
    for (const name of module.values) if (name !== 'default') replacement.push(...exportValue(ctx, name, stub(name)))
  }
  const imported = statement.isImportDeclaration() ? statement.node.specifiers.map((s) => s.local.name) : []
  rescope(ctx, imported, statement.replaceWithMultiple(replacement.length ? replacement : [t.emptyStatement()]))
}

/**
 * Brings the module scope up to date after one statement was rewritten: the import bindings `imported` give way to
 * the consts that replace them, which take their references over (a name that lost its import and got no const, a
 * type, is a global again); the new consts and exports are registered. What a crawl of the whole module would find,
 * without reading the module again for each file with server imports.
 */
function rescope(ctx: TransformContext, imported: string[], added: NodePath[]): void {
  const scope = ctx.program.scope
  const previous = new Map(imported.map((name) => [name, scope.getOwnBinding(name)]))
  for (const name of imported) scope.removeOwnBinding(name)
  for (const path of added) if (path.isDeclaration()) scope.registerDeclaration(path)
  for (const [name, binding] of previous) {
    if (!binding) continue
    const replaced = scope.getOwnBinding(name)
    for (const reference of binding.referencePaths) {
      if (replaced) replaced.reference(reference)
      else scope.addGlobal(reference.node as t.Identifier)
    }
    for (const violation of binding.constantViolations) replaced?.reassign(violation)
  }
  for (const path of added) {
    if (!path.isExportNamedDeclaration() || path.node.declaration) continue
    for (const specifier of path.get('specifiers')) {
      const local = specifier.get('local') as NodePath<t.Identifier>
      scope.getOwnBinding(local.node.name)?.reference(local)
    }
  }
}

/** `import * as actions`: only the members the file reads, when every use is `actions.name`; else every export. */
function usedMembers(specifier: NodePath, module: ServerModule): string[] {
  const binding = specifier.scope.getBinding((specifier.node as t.ImportNamespaceSpecifier).local.name)
  const names = new Set<string>()
  for (const reference of binding?.referencePaths ?? []) {
    const parent = reference.parentPath
    if (!parent?.isMemberExpression({ object: reference.node }) || parent.node.computed ||
      parent.node.property.type !== 'Identifier') return module.values
    if (namesOf(module).values.has(parent.node.property.name)) names.add(parent.node.property.name)
  }
  return [...names].sort()
}

const exportSets = new WeakMap<ServerModule, { values: Set<string>, types: Set<string> }>()

/** A server module's export names as sets, made once per module read: a file may import hundreds of them. */
function namesOf(module: ServerModule): { values: Set<string>, types: Set<string> } {
  let sets = exportSets.get(module)
  if (!sets) exportSets.set(module, sets = { values: new Set(module.values), types: new Set(module.types) })
  return sets
}

function namespace(ctx: TransformContext, names: string[], stub: (name: string) => t.Expression): t.Expression {
  const { t } = ctx
  const object = t.objectExpression(names.map((name) => t.objectProperty(t.stringLiteral(name), stub(name))))
  return t.callExpression(t.memberExpression(t.identifier('Object'), t.identifier('freeze')), [object])
}

function exportValue(ctx: TransformContext, name: string, value: t.Expression): t.Statement[] {
  const { t, program } = ctx
  const local = program.scope.generateUidIdentifier(name)
  return [
    t.variableDeclaration('const', [t.variableDeclarator(local, value)]),
    t.exportNamedDeclaration(null, [t.exportSpecifier(t.cloneNode(local), exportName(t, name))]),
  ]
}

function exportedLocal(node: t.Identifier | t.StringLiteral): string {
  return node.type === 'Identifier' ? node.name : node.value
}
