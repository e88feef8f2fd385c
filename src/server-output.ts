// Server environment, file level: the module keeps its code and each exported server function is registered.
import type { NodePath, types as t } from '@babel/core'
import type { ServerExport } from './exports.js'
import { exportName, type TransformContext } from './context.js'
import { spliceStatements } from './statements.js'

export function registerExports(ctx: TransformContext, exports: ServerExport[]): void {
  const { t, program } = ctx
  const registrations: t.Statement[] = []
  const registered = new Set<string>()
  const register = (local: t.Expression, name: string, sourceName?: string) =>
    t.callExpression(ctx.serverHelper('registerServerReference'), [local, t.stringLiteral(ctx.addAction(name, 'export')),
      t.stringLiteral(name), ...(sourceName ? [t.stringLiteral(sourceName)] : [])])

  for (const exp of exports) {
    let local: string
    // An anonymous default export is named "default" in JavaScript; the binding it gets here would rename it.
    let sourceName: string | undefined
    if (exp.type === 're-export') {
      local = importReExport(ctx, exp.path, exp.imported, exp.name)
    } else if (exp.type === 'default-expression') {
      if (isAnonymousFunction(t, exp.path.node.declaration)) sourceName = 'default'
      local = bindDefaultExport(ctx, exp.path)
    } else {
      local = exp.local
    }
    if (exp.type !== 're-export' && !registered.has(local) && program.scope.getBinding(local)?.kind !== 'module') {
      // The function itself becomes the reference, so `f === imported f` and hoisting stay as they were.
      registered.add(local)
      registrations.push(t.expressionStatement(register(t.identifier(local), exp.name, sourceName)))
      continue
    }
    // A function exported under a second name, or imported from elsewhere (maybe registered there already),
    // gets a reference of its own.
    const alias = program.scope.generateUidIdentifier(exp.name === 'default' ? 'default' : exp.name)
    registrations.push(t.variableDeclaration('const', [t.variableDeclarator(alias, register(t.identifier(local), exp.name))]))
    registrations.push(t.exportNamedDeclaration(null, [t.exportSpecifier(t.cloneNode(alias), exportName(t, exp.name))]))
    if (exp.type === 'binding') removeExportedName(exp.path, exp.name)
  }
  spliceStatements(program, 'body', program.node.body.length, registrations)
}

/** `export { x as y } from './m'` → `import { x as _y } from './m'` (the export is re-added as a reference). */
function importReExport(ctx: TransformContext, statement: NodePath<t.ExportNamedDeclaration>, imported: string, name: string): string {
  const { t, program } = ctx
  const local = program.scope.generateUidIdentifier(imported === 'default' ? name : imported)
  const specifier = imported === 'default'
    ? t.importDefaultSpecifier(local)
    : t.importSpecifier(local, exportName(t, imported))
  program.unshiftContainer('body', t.importDeclaration([specifier], t.cloneNode(statement.node.source!)))
  removeExportedName(statement, name)
  return local.name
}

function isAnonymousFunction(t: TransformContext['t'], node: t.Node): boolean {
  return t.isArrowFunctionExpression(node) || ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && !node.id)
}

/** `export default <expression>` → `const _default = <expression>; export { _default as default }`. */
function bindDefaultExport(ctx: TransformContext, statement: NodePath<t.ExportDefaultDeclaration>): string {
  const { t, program } = ctx
  const declaration = statement.node.declaration
  if (t.isFunctionDeclaration(declaration)) {
    declaration.id = program.scope.generateUidIdentifier('default')
    return declaration.id.name
  }
  const local = program.scope.generateUidIdentifier('default')
  statement.replaceWithMultiple([
    t.variableDeclaration('const', [t.variableDeclarator(local, declaration as t.Expression)]),
    t.exportNamedDeclaration(null, [t.exportSpecifier(t.cloneNode(local), t.identifier('default'))]),
  ])
  return local.name
}

/** Drops one exported name from its original export statement (the statement goes when nothing is left). */
function removeExportedName(at: NodePath, name: string): void {
  const statement = at.isExportNamedDeclaration() || at.isExportDefaultDeclaration()
    ? at
    : at.findParent((p) => p.isExportNamedDeclaration() || p.isExportDefaultDeclaration())
  if (!statement) return
  if (statement.isExportDefaultDeclaration()) {
    statement.remove()
    return
  }
  const node = statement.node as t.ExportNamedDeclaration
  node.specifiers = node.specifiers.filter((s) => !(s.type === 'ExportSpecifier' &&
    (s.exported.type === 'Identifier' ? s.exported.name : s.exported.value) === name))
  if (node.specifiers.length === 0 && !node.declaration) statement.remove()
}
