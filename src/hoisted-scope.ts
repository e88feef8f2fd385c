// The scope of a hoisted function, mostly ready-made. A hoisted function is a new node in a new place, so Babel
// makes it a new scope and reads the whole function again to fill it (a walk over every node, as long as its first
// reading of that code: about a third of what hoisting cost). Where the hoisted function's body is the action's
// own block, unchanged since Babel read the file, that reading is still good: Babel sets the scope up with the
// function's parameters and body out of sight, then the parameters and the prologue (whose shape is ours) are
// registered through the scope API, and the action's own bindings move over with the references Babel found for them.
// test/hoisted-scope.test.ts checks the result against Babel crawling the function again.
import type { NodePath, types as t } from '@babel/core'
import type { Binding, Closure, NamedBinding } from './closure.js'

type Scope = Binding['scope']

/** A hoisted function that takes over the action's scope: its body is the action's block, prologue first. */
export interface ScopeMove {
  block: t.BlockStatement
  /** The paths of the block and of the parameters in the action (see handOver). */
  blockPath: NodePath<t.BlockStatement>
  paramPaths: NodePath[]
  /** How many statements of the block are the prologue (see buildHoisted), before the action's own. */
  prologue: number
  /** The action's bindings as Babel read them with the file (removing a function declaration drops its parameters'). */
  bindings: [string, Binding][]
  labels: Scope['labels']
  named: NamedBinding[]
  /** The action's scope, which the paths Babel made at its level (not in a scope inside it) have as theirs. */
  scope: Scope
  /** Such paths in the lists of module variables: the action's references to them and assignments. */
  moduleReferences: NodePath[]
}

/**
 * Can the hoisted function take over the action's scope? Not when the action holds code made since Babel read the
 * file (an inner action's reference: Babel's lists miss it), nor when the action's own function is not the hoisted
 * function's (wrapped, see needsInnerFunction), or copies are declared beside its code, or it assigns a name the
 * prologue declares.
 */
export function canMove(fn: NodePath<t.Function>, closure: Closure, wrapped: boolean): boolean {
  if (wrapped || closure.fresh || closure.copied.length > 0 || fn.scope.path !== fn) return false
  return !closure.named.some(({ binding }) => binding.constantViolations.some((v) => v !== binding.path && v.isDescendant(fn)))
}

/** What a hoisted function takes over from the action `fn` (read before its site changes; see canMove). */
export function scopeMove(fn: NodePath<t.Function>, closure: Closure, prologue: number): ScopeMove {
  return {
    block: fn.node.body as t.BlockStatement, blockPath: fn.get('body') as NodePath<t.BlockStatement>,
    paramPaths: fn.get('params'), prologue, bindings: Object.entries(fn.scope.bindings), labels: fn.scope.labels,
    named: closure.named, scope: fn.scope, moduleReferences: closure.moduleReferences,
  }
}

/**
 * Makes the scope of each moving hoisted function (`statements`: their export statements, in the order of `moves`)
 * before anything asks for it, with its parameters and body out of sight: Babel's reading of it is then a few nodes.
 */
export function prepareScopes(statements: NodePath[], moves: (ScopeMove | null)[]): void {
  moves.forEach((move, i) => {
    if (!move) return
    const fn = statements[i]!.node as t.ExportNamedDeclaration
    const declaration = fn.declaration as t.FunctionDeclaration
    const { params } = declaration
    const body = move.block.body
    declaration.params = []
    move.block.body = []
    statements[i]!.get('declaration') // (Made and read now.)
    declaration.params = params
    move.block.body = body
  })
}

/**
 * Fills the scopes prepareScopes made: the parameters and the prologue as Babel's reading registers them, then the
 * action's bindings, labels, and the references of its parameters and of what the prologue declares, in the order a
 * reading of the whole function lists them.
 */
export function adoptScopes(statements: NodePath[], moves: (ScopeMove | null)[]): void {
  moves.forEach((move, i) => {
    if (!move) return
    const fn = statements[i]!.get('declaration') as NodePath<t.FunctionDeclaration>
    const scope = fn.scope
    handOver(fn, [...move.paramPaths, move.blockPath])
    for (const param of fn.get('params')) scope.registerBinding('param', param)
    // The action's statement paths now hang from the hoisted function's body.
    const body = fn.get('body')
    const get = (body.constructor as typeof NodePath).get as (options: object) => NodePath
    const list = move.block.body
    const paths = list.map((_, key) => get({ parentPath: body, parent: move.block, container: list, listKey: 'body', key }))
    for (const statement of paths.slice(0, move.prologue)) readPrologue(scope, statement as NodePath<t.VariableDeclaration>)
    for (const [name, binding] of move.bindings) {
      const own = scope.getOwnBinding(name)
      if (own) {
        take(own, binding.referencePaths, binding.constantViolations) // A parameter, or the action's own name.
      } else if (binding.kind !== 'param' && binding.kind !== 'local') {
        binding.scope = scope
        scope.bindings[name] = binding
      } // (Else a TypeScript `this` parameter, erased, or a function expression's name the action does not use.)
    }
    for (const [name, label] of move.labels) scope.labels.set(name, label)
    for (const { name, copied, references } of move.named) {
      const own = copied ? null : scope.getOwnBinding(name)
      if (own) take(own, references, [])
    }
    // A reading of the whole function would set their scope: the paths the scope and module lists hold, and the
    // statements (a later traversal sets the others' as it goes).
    const rescope = (list: readonly NodePath[]) => { for (const path of list) if (path.scope === move.scope) path.scope = scope }
    rescope(paths)
    rescope(move.moduleReferences)
    for (const binding of Object.values(scope.bindings)) {
      rescope([binding.path, ...binding.referencePaths, ...binding.constantViolations])
    }
    rescope([...scope.labels.values()])
  })
}

/**
 * One statement of the prologue: `const [captured…] = await decryptBoundValues(id, bound)` or
 * `const self = createInlineReference(exported, id, name[, () => [captured…]])`. Its declaration, and its references
 * (a helper, bound to nothing here, is a global to Babel).
 */
function readPrologue(scope: Scope, statement: NodePath<t.VariableDeclaration>): void {
  scope.registerDeclaration(statement)
  const program = scope.getProgramParent()
  const refer = (path: NodePath) => {
    const { name } = path.node as t.Identifier
    const binding = scope.getBinding(name)
    if (binding) binding.reference(path)
    else program.addGlobal(path.node as t.Identifier)
  }
  const init = statement.get('declarations.0.init') as NodePath<t.Expression>
  const call = (init.isAwaitExpression() ? init.get('argument') : init) as NodePath<t.CallExpression>
  const args = call.get('arguments')
  refer(call.get('callee'))
  if (init.isAwaitExpression()) refer(args[1]!)
  else refer(args[0]!)
  const captured = args[3] as NodePath<t.ArrowFunctionExpression> | undefined
  if (captured) for (const element of (captured.get('body') as NodePath<t.ArrayExpression>).get('elements')) refer(element as NodePath)
}

/**
 * The action's paths of these nodes (and so the paths Babel made under them) become the paths of the same nodes in
 * the hoisted function `fn`, as a reading of the whole function would find them. Babel 7 keeps a path's child paths
 * by parent node, so it finds the action's under the block still, and the parameters' under each parameter. Babel 8
 * keeps them in the parent's path (a private `_store`, by node): the action's paths are put there.
 */
function handOver(fn: NodePath, paths: NodePath[]): void {
  const owner = fn as unknown as { _store?: Map<t.Node, NodePath> | null }
  if (owner._store === undefined) return
  owner._store ??= new Map()
  for (const path of paths) if (path.node) owner._store.set(path.node, path)
}

function take(binding: Binding, references: readonly NodePath[], violations: readonly NodePath[]): void {
  for (const reference of references) binding.reference(reference)
  for (const violation of violations) binding.reassign(violation)
}
