// Moves an inline action to module scope as an exported, registered function, and puts a server reference to it
// (carrying what it captured) where the function was.
import type { NodePath, types as t } from '@babel/core'
import type { Closure } from './closure.js'
import type { TransformContext } from './context.js'

export interface Hoisting {
  /** Hoisted functions, to append to the module body. */
  declarations: t.Statement[]
  /** Their registrations, to run before any module code (function declarations are hoisted; so are these). */
  registrations: t.Statement[]
}

export function hoistAction(ctx: TransformContext, fn: NodePath<t.Function>, name: string, closure: Closure, out: Hoisting): void {
  const { t, program } = ctx
  const exported = program.scope.generateUidIdentifier(`$$action_${name || 'anonymous'}`)
  const id = ctx.addAction(exported.name, 'inline')
  const captured = closure.captured.map((n) => t.identifier(n))

  const reference = () => t.callExpression(ctx.serverHelper('createInlineReference'), [
    t.cloneNode(exported), t.stringLiteral(id), t.stringLiteral(name),
    ...(captured.length ? [t.arrowFunctionExpression([], t.arrayExpression(captured.map((c) => t.cloneNode(c))))] : []),
  ])

  out.declarations.push(t.exportNamedDeclaration(buildHoisted(ctx, fn, exported, id, closure, reference)))
  out.registrations.push(t.expressionStatement(t.callExpression(ctx.serverHelper('registerServerReference'),
    [t.cloneNode(exported), t.stringLiteral(id), t.stringLiteral(exported.name)])))
  replaceSite(ctx, fn, name, reference())
}

function buildHoisted(ctx: TransformContext, fn: NodePath<t.Function>, exported: t.Identifier, id: string,
  closure: Closure, reference: () => t.Expression): t.FunctionDeclaration {
  const { t, program } = ctx
  const node = fn.node
  const body = node.body as t.BlockStatement
  body.directives = body.directives.filter((d) => d.value.value !== 'use server')
  let params = node.params as t.FunctionDeclaration['params']
  const prologue: t.Statement[] = []
  if (closure.captured.length) {
    const bound = program.scope.generateUidIdentifier('bound')
    prologue.push(t.variableDeclaration('const', [t.variableDeclarator(
      t.arrayPattern(closure.captured.map((n) => t.identifier(n))),
      t.awaitExpression(t.callExpression(ctx.serverHelper('decryptBoundValues'), [t.stringLiteral(id), t.cloneNode(bound)])),
    )]))
    if (closure.paramsUseCaptures) {
      // Default values read captured variables: read the parameters only once those are decrypted.
      const args = program.scope.generateUidIdentifier('args')
      prologue.push(t.variableDeclaration('let', [t.variableDeclarator(t.arrayPattern(params.map(stripTypes) as t.PatternLike[]), t.cloneNode(args))]))
      params = [t.restElement(args)]
    }
    params = [bound, ...params]
  }
  if (closure.selfName) {
    prologue.push(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(closure.selfName), reference())]))
  }
  body.body.unshift(...prologue)
  const hoisted = t.functionDeclaration(exported, params, body, node.generator, node.async)
  hoisted.typeParameters = node.typeParameters as t.FunctionDeclaration['typeParameters']
  hoisted.returnType = node.returnType
  hoisted.loc = node.loc
  return hoisted
}

function stripTypes<T extends t.Node>(param: T): T {
  const copy = { ...param } as T & { typeAnnotation?: unknown; optional?: boolean }
  delete copy.typeAnnotation
  delete copy.optional
  return copy
}

/** The original site: a function declaration becomes a const at the top of its block (so hoisting still holds). */
function replaceSite(ctx: TransformContext, fn: NodePath<t.Function>, name: string, reference: t.Expression): void {
  const { t } = ctx
  if (fn.isFunctionDeclaration()) {
    const local = fn.node.id ?? ctx.program.scope.generateUidIdentifier('default')
    const declaration = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(local.name), reference)])
    const parent = fn.parentPath
    if (parent.isExportDefaultDeclaration()) {
      insertAtTop(ctx, parent, [declaration])
      parent.replaceWith(t.exportNamedDeclaration(null, [t.exportSpecifier(t.identifier(local.name), t.identifier('default'))]))
    } else if (parent.isExportNamedDeclaration()) {
      insertAtTop(ctx, parent, [t.exportNamedDeclaration(declaration)])
      parent.remove()
    } else {
      insertAtTop(ctx, fn, [declaration])
      fn.remove()
    }
  } else if (fn.isObjectMethod()) {
    fn.replaceWith(t.objectProperty(fn.node.key, reference, fn.node.computed))
  } else if (fn.isClassMethod()) {
    fn.replaceWith(t.classProperty(fn.node.key, reference, null, null, fn.node.computed, true))
  } else if (fn.isClassPrivateMethod()) {
    fn.replaceWith(t.classPrivateProperty(fn.node.key, reference, null, true))
  } else {
    fn.replaceWith(reference)
  }
  void name
}

/** Inserts statements before everything else in the statement list that holds `statement` (after imports). */
function insertAtTop(ctx: TransformContext, statement: NodePath, nodes: t.Statement[]): void {
  const siblings = (statement.parentPath!.get(statement.listKey as string) as NodePath[])
  const anchor = siblings.find((s) => !s.isImportDeclaration())
  if (anchor && anchor !== statement) anchor.insertBefore(nodes)
  else statement.insertBefore(nodes)
  void ctx
}
