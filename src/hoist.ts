// Moves an inline action to module scope as an exported, registered function, and puts a server reference to it
// (carrying what it captured) where the function was.
import type { NodePath, types as t } from '@babel/core'
import type { Binding, Closure, HoistedActions, NamedBinding } from './closure.js'
import type { TransformContext } from './context.js'
import { canMove, type ScopeMove, scopeMove } from './hoisted-scope.js'
import { firstCode, removeStatement, spliceStatements } from './statements.js'
import { declarationSite, initialiseInSwitch } from './switch-declarations.js'
import { valueName } from './ts-values.js'

export interface Hoisting {
  /** Hoisted functions, to append to the module body, with the variables each one names (see alignLateRenames). */
  declarations: t.Statement[]
  named: NamedBinding[][]
  /** For each hoisted function, whether it takes over the action's scope (see hoisted-scope.ts). */
  moves: (ScopeMove | null)[]
  /** Every binding in `named` (and so in `hoisted`): only those need replacing in them (see replaceBinding). */
  namedBindings: Set<Binding>
  /** Their registrations, to run before any module code (function declarations are hoisted; so are these). */
  registrations: t.Statement[]
  /**
   * Local functions and classes to copy into hoisted functions, at `index` of `block`. Copied once every action of
   * the file is hoisted, so a copy holds the final code (an action inside a copied helper is a reference by then).
   */
  copies: { block: t.BlockStatement; index: number; declarations: NodePath[] }[]
  /** The actions hoisted so far, for the analysis of those around them. */
  hoisted: HoistedActions
  /**
   * Parameter names of the hoisted functions, made once per file: unique in the module, so each hoisted function
   * (a scope of its own) can use the same one.
   */
  names: Partial<Record<'bound' | 'args', t.Identifier>>
  /** Per export name base (see exportName), the suffix to try next: names are found in one pass per file. */
  nextSuffix: Map<string, number>
}

/** A parameter name for the hoisted functions (see Hoisting.names). */
function parameterName(ctx: TransformContext, out: Hoisting, name: 'bound' | 'args'): t.Identifier {
  out.names[name] ??= ctx.program.scope.generateUidIdentifier(name)
  return ctx.t.cloneNode(out.names[name])
}

/**
 * An action hoisted later can rename a variable in the original code (see nameApart) that an action hoisted earlier
 * also names. That earlier function's prologue and body keep the old name, while its copies, cloned at the end, have
 * the new one: the hoisted function (now in the module, `paths` in the order of Hoisting.declarations) is renamed
 * to agree, towards the name its declaration has there.
 */
export function alignLateRenames(paths: NodePath[], hoisting: Hoisting): void {
  hoisting.named.forEach((named, i) => {
    const renamed = named.filter(({ binding, name }) => binding.identifier.name !== name)
    if (renamed.length === 0) return
    const scope = (paths[i]!.get('declaration') as NodePath).scope
    for (const { binding, name, copied } of renamed) {
      if (copied) scope.rename(binding.identifier.name, name)
      else scope.rename(name, binding.identifier.name)
    }
  })
}

/** Puts the copies of local functions and classes into the hoisted functions (see Hoisting.copies). */
export function copyDeclarations(t: TransformContext['t'], hoisting: Hoisting): void {
  for (const { block, index, declarations } of hoisting.copies) {
    block.body.splice(index, 0, ...declarations.map((declaration) => declaration.isVariableDeclarator()
      ? t.variableDeclaration('const', [t.cloneNode(declaration.node, true)])
      : t.cloneNode(declaration.node as t.Statement, true)))
  }
}

/**
 * The export of a hoisted action: `_$$action_<name>`, made unique in the module with a suffix only when taken
 * (`_$$action_save2`, `_$$action_fun1_2`). Not Babel's generateUid, which drops trailing digits (`fun1` would be
 * `_$$action_fun`); the name is checked and reserved the way generateUid does it, so that later uids avoid it.
 */
function exportName(ctx: TransformContext, name: string, out: Hoisting): string {
  const scope = ctx.program.scope
  const source = `$$action_${name || 'anonymous'}`
  // (An identifier in ASCII that starts with `$` is what toIdentifier would return: it is not called for it.)
  const base = `_${/^[\w$]*$/.test(source) ? source : ctx.t.toIdentifier(source)}`
  const separator = /\d$/.test(base) ? '_' : ''
  // The names tried before for this base are taken still (reserved below, or bound or referenced in the module), so
  // the search goes on from where the last one stopped: not from 2 again, which is quadratic in anonymous actions.
  let i = out.nextSuffix.get(base) ?? 1
  const candidateAt = (suffix: number) => suffix === 1 ? base : `${base}${separator}${suffix}`
  let candidate = candidateAt(i)
  while (scope.hasLabel(candidate) || scope.hasBinding(candidate) || scope.hasGlobal(candidate) ||
    scope.hasReference(candidate) || scope.hasUid(candidate)) candidate = candidateAt(++i)
  out.nextSuffix.set(base, i + 1)
  // Babel 8 keeps these in Sets (its `uids`/`references` getters throw), Babel 7 in objects.
  const program = scope as unknown as { uidsSet?: Set<string>; referencesSet?: Set<string>
    uids?: Record<string, boolean>; references?: Record<string, boolean> }
  if (program.uidsSet && program.referencesSet) {
    program.uidsSet.add(candidate)
    program.referencesSet.add(candidate)
  } else {
    program.uids![candidate] = true
    program.references![candidate] = true
  }
  return candidate
}

export function hoistAction(ctx: TransformContext, fn: NodePath<t.Function>, name: string, closure: Closure, out: Hoisting): void {
  const { t } = ctx
  const exported = t.identifier(exportName(ctx, name, out))
  const id = ctx.addAction(exported.name, 'inline')
  const captured = closure.captured.map((n) => t.identifier(n))

  const reference = () => t.callExpression(ctx.serverHelper('createInlineReference'), [
    t.cloneNode(exported), t.stringLiteral(id), t.stringLiteral(name),
    ...(captured.length ? [t.arrowFunctionExpression([], t.arrayExpression(captured.map((c) => t.cloneNode(c))))] : []),
  ])

  out.declarations.push(t.exportNamedDeclaration(buildHoisted(ctx, fn, exported, id, closure, reference, out)))
  out.named.push(closure.named)
  for (const { binding } of closure.named) out.namedBindings.add(binding)
  out.registrations.push(t.expressionStatement(t.callExpression(ctx.serverHelper('registerServerReference'),
    [t.cloneNode(exported), t.stringLiteral(id), t.stringLiteral(exported.name), t.stringLiteral(name)])))
  replaceSite(ctx, fn, reference(), closure, out)
}

function buildHoisted(ctx: TransformContext, fn: NodePath<t.Function>, exported: t.Identifier, id: string,
  closure: Closure, reference: () => t.Expression, out: Hoisting): t.FunctionDeclaration {
  const { t } = ctx
  const node = fn.node
  const body = node.body as t.BlockStatement
  body.directives = body.directives.filter((d) => d.value.value !== 'use server')
  const prologue: t.Statement[] = []
  const bound = closure.captured.length ? parameterName(ctx, out, 'bound') : null
  if (bound) {
    prologue.push(t.variableDeclaration('const', [t.variableDeclarator(
      t.arrayPattern(closure.captured.map((n) => t.identifier(n))),
      t.awaitExpression(t.callExpression(ctx.serverHelper('decryptBoundValues'), [t.stringLiteral(id), t.cloneNode(bound)])),
    )]))
  }
  if (closure.selfName) {
    prologue.push(t.variableDeclaration('const', [t.variableDeclarator(t.identifier(closure.selfName), reference())]))
  }
  const boundParams = bound ? [bound] : []
  const wrapped = needsInnerFunction(closure)
  const hoisted = wrapped
    ? wrapOriginal(ctx, node, body, prologue, boundParams, parameterName(ctx, out, 'args'))
    : t.functionDeclaration(null, [...boundParams, ...withoutThisParam(node.params as t.FunctionDeclaration['params'])],
      withPrologue(body, prologue), node.generator, node.async)
  out.moves.push(canMove(fn, closure, wrapped) ? scopeMove(fn, closure, prologue.length) : null)
  if (closure.copied.length) out.copies.push({ block: hoisted.body, index: prologue.length, declarations: closure.copied })
  hoisted.id = exported
  hoisted.typeParameters = node.typeParameters as t.FunctionDeclaration['typeParameters']
  hoisted.returnType = node.returnType
  hoisted.loc = node.loc
  return hoisted
}

/**
 * The action's own block, prologue first, as a new block would print: the paths Babel made for the action's code stay
 * good under it (see hoisted-scope.ts). Its position and comments (around the braces, not the statements') belonged
 * to the function that was.
 */
function withPrologue(body: t.BlockStatement, prologue: t.Statement[]): t.BlockStatement {
  body.body.unshift(...prologue)
  body.start = body.end = null
  body.loc = null
  body.leadingComments = body.innerComments = body.trailingComments = null
  return body
}

/**
 * Where the action's own parameters or locals would shadow a prologue name (or a module name a copy reads), or a
 * default parameter value reads the prologue, the original function runs as an inner function, inside its scope.
 */
function needsInnerFunction(closure: Closure): boolean {
  if (closure.paramsUseCaptures) return true
  const own = new Set(closure.ownNames)
  const declared = [...closure.captured, ...(closure.selfName ? [closure.selfName] : []), ...closure.copyFreeNames,
    ...closure.copied.flatMap((p) => { const ts = valueName(p); return ts === null ? Object.keys(p.getBindingIdentifiers()) : [ts] })]
  return declared.some((name) => own.has(name))
}

/**
 * TypeScript's `this: T` parameter is a type, erased only while it is the first parameter: behind the bound values
 * it would be emitted as a parameter named `this`, a syntax error.
 */
function withoutThisParam(params: t.FunctionDeclaration['params']): t.FunctionDeclaration['params'] {
  const first = params[0]
  return first?.type === 'Identifier' && first.name === 'this' ? params.slice(1) : params
}

function wrapOriginal(ctx: TransformContext, node: t.Function, body: t.BlockStatement, prologue: t.Statement[],
  boundParams: t.Identifier[], args: t.Identifier): t.FunctionDeclaration {
  const { t } = ctx
  const inner = t.functionExpression(null, node.params as t.FunctionExpression['params'], body, node.generator, node.async)
  const call = t.callExpression(t.memberExpression(inner, t.identifier('apply')), [t.identifier('undefined'), t.cloneNode(args)])
  const result = node.generator ? t.yieldExpression(call, true) : call
  return t.functionDeclaration(null, [...boundParams, t.restElement(args)],
    t.blockStatement([...prologue, t.returnStatement(result)]), node.generator, node.async)
}

/**
 * The original site: a function declaration becomes a const at the start of the block that scopes it, since the
 * function is initialised when that block is entered (hoisting still holds; see switch-declarations.ts for a
 * `switch`).
 */
function replaceSite(ctx: TransformContext, fn: NodePath<t.Function>, reference: t.Expression, closure: Closure,
  out: Hoisting): void {
  const { t } = ctx
  if (fn.isFunctionDeclaration()) {
    const local = fn.node.id ?? ctx.program.scope.generateUidIdentifier('default')
    const parent = fn.parentPath
    // Read before the site changes: a removed path has no node, so asking afterwards would lose the export.
    const namedExport = parent.isExportNamedDeclaration()
    const statement = namedExport || parent.isExportDefaultDeclaration() ? parent : fn
    const site = declarationSite(fn, statement, local.name, closure)
    if (!site) return initialiseInSwitch(t, fn, reference)
    const declaration = t.variableDeclaration('const', [t.variableDeclarator(t.identifier(local.name), reference)])
    // The name now belongs to the const: later analysis (an enclosing action capturing it) must see that binding,
    // with the references the function had.
    const scope = statement.parentPath!.scope
    const previous = scope.getOwnBinding(local.name)
    if (parent.isExportDefaultDeclaration()) {
      parent.replaceWith(t.exportNamedDeclaration(null, [t.exportSpecifier(t.identifier(local.name), t.identifier('default'))]))
    } else {
      removeStatement(statement)
    }
    // Own only: Babel's removal by name would reach a binding of the same name in another scope.
    if (scope.getOwnBinding(local.name) === previous) scope.removeOwnBinding(local.name)
    const list = (site.block.node as unknown as Record<string, t.Statement[]>)[site.listKey]!
    const at = site.before ? site.before.key as number : firstCode(list)
    spliceStatements(site.block, site.listKey, at, [namedExport ? t.exportNamedDeclaration(declaration) : declaration])
    const binding = site.block.scope.getOwnBinding(local.name)
    if (previous && binding) replaceBinding(out, previous, binding)
  } else if (fn.isObjectMethod()) {
    fn.replaceWith(t.objectProperty(fn.node.key, reference, fn.node.computed))
  } else if (fn.isClassMethod()) {
    fn.replaceWith(t.classProperty(fn.node.key, reference, null, null, fn.node.computed, true))
  } else if (fn.isClassPrivateMethod()) {
    fn.replaceWith(t.classPrivateProperty(fn.node.key, reference, null, true))
  } else {
    fn.replaceWith(reference)
  }
}

/**
 * The const that replaces a function declaration is a new binding: it takes over the function's references, and its
 * place wherever the actions hoisted so far recorded the function (captured, or named for alignLateRenames).
 */
function replaceBinding(out: Hoisting, previous: Binding, binding: Binding): void {
  for (const ref of previous.referencePaths) binding.reference(ref)
  if (!out.namedBindings.has(previous)) return // (Usually so: no action hoisted before it names it.)
  out.namedBindings.add(binding)
  for (const captured of out.hoisted.values()) {
    const index = captured.indexOf(previous)
    if (index !== -1) captured[index] = binding
  }
  for (const named of out.named) for (const entry of named) if (entry.binding === previous) entry.binding = binding
}
