// Client environment, file level: the module becomes one RPC stub per export; nothing else of it survives.
import type { types as t } from '@babel/core'
import type { ServerExport } from './exports.js'
import { exportName, type TransformContext } from './context.js'

export function replaceWithStubs(ctx: TransformContext, exports: ServerExport[]): void {
  const { t, program } = ctx
  const helper = (name: string) => program.scope.generateUidIdentifier(name)
  const create = helper('createServerReference')
  const callServer = helper('callServer')
  const findSourceMapURL = helper('findSourceMapURL')
  const body: t.Statement[] = [
    t.importDeclaration([
      t.importSpecifier(create, t.identifier('createServerReference')),
      t.importSpecifier(callServer, t.identifier('callServer')),
      t.importSpecifier(findSourceMapURL, t.identifier('findSourceMapURL')),
    ], t.stringLiteral(ctx.options.clientRuntime)),
  ]
  const seen = new Set<string>()
  for (const { name } of exports) {
    if (seen.has(name)) continue
    seen.add(name)
    const stub = t.callExpression(t.cloneNode(create), [
      t.stringLiteral(ctx.addAction(name, 'export')),
      t.cloneNode(callServer),
      t.unaryExpression('void', t.numericLiteral(0)),
      t.cloneNode(findSourceMapURL),
      t.stringLiteral(name),
    ])
    t.addComment(stub, 'leading', '#__PURE__')
    body.push(...exportStub(ctx, name, stub))
  }
  program.node.directives = []
  program.node.body = body
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
