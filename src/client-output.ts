// Client environment, file level: the module becomes one RPC stub per export; nothing else of it survives.
import type { types as t } from '@babel/core'
import type { ServerExport } from './exports.js'
import { exportName, type TransformContext } from './context.js'
import { spliceStatements } from './statements.js'

export function replaceWithStubs(ctx: TransformContext, exports: ServerExport[]): void {
  const { program } = ctx
  program.node.directives = []
  program.node.body = []
  // The module's own names are gone with its code: the stubs declare some of them again.
  for (const name of Object.keys(program.scope.bindings)) program.scope.removeBinding(name)
  const seen = new Set<string>()
  const stubs: t.Statement[] = []
  for (const { name } of exports) {
    if (seen.has(name)) continue
    seen.add(name)
    stubs.push(...exportStub(ctx, name, stubCall(ctx, ctx.addAction(name, 'export'), name)))
  }
  spliceStatements(program, 'body', program.node.body.length, stubs)
}

/** `createServerReference(id, callServer, undefined, findSourceMapURL, name)`: React's client reference. */
export function stubCall(ctx: TransformContext, id: string, name: string): t.Expression {
  const { t } = ctx
  const stub = t.callExpression(ctx.clientHelper('createServerReference'), [
    t.stringLiteral(id),
    ctx.clientHelper('callServer'),
    t.unaryExpression('void', t.numericLiteral(0)),
    ctx.clientHelper('findSourceMapURL'),
    t.stringLiteral(name),
  ])
  return t.addComment(stub, 'leading', '#__PURE__')
}

function exportStub(ctx: TransformContext, name: string, stub: t.Expression): t.Statement[] {
  const { t, program } = ctx
  if (name === 'default') return [t.exportDefaultDeclaration(stub)]
  if (t.isValidIdentifier(name, false)) {
    return [t.exportNamedDeclaration(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(name), stub)]))]
  }
  const local = program.scope.generateUidIdentifier(name)
  return [
    t.variableDeclaration('const', [t.variableDeclarator(local, stub)]),
    t.exportNamedDeclaration(null, [t.exportSpecifier(t.cloneNode(local), exportName(t, name))]),
  ]
}
