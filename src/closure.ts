// What an inline action captures, found with Babel's scope and binding API: exactly the bindings of enclosing
// function scopes that the action references. Module bindings, imports and globals are there on the server already.
import type { NodePath, types as t, Visitor } from '@babel/core'
import { ErrorCode, fail } from './errors.js'

type Binding = NonNullable<ReturnType<NodePath['scope']['getBinding']>>

export interface Closure {
  /** Captured variable names, in order of first use: their values travel (encrypted) with the reference. */
  captured: string[]
  /**
   * Functions and classes declared in an enclosing body that the action uses: values that cannot travel, so their
   * declarations (function/class declarations, or `const` declarators) are copied into the hoisted function, in
   * source order. What they capture is captured too.
   */
  copied: NodePath[]
  /** The action refers to itself by name (recursion): the hoisted function re-creates that reference. */
  selfName: string | null
  /** Names the action declares itself (parameters, top-level locals): they must not clash with the above. */
  ownNames: string[]
  /** Module-scope and global names the copies read: the action's own locals must not shadow them either. */
  copyFreeNames: string[]
  /** A default parameter value uses a captured, copied or self name, so parameters are read after the prologue. */
  paramsUseCaptures: boolean
}

/** Functions whose name this analysis changed (see `nameApart`), with the name they have in the source: `fn.name`. */
export const sourceNames = new WeakMap<t.Node, string>()

// TypeScript nodes that hold a value; every other TS node is a type, whose names are not values to capture.
const TS_VALUE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression', 'TSParameterProperty'])

/** What the walk over the action (and over each copied declaration) gathers. */
interface Collected {
  fn: NodePath<t.Function>
  /** The action, or the copied declaration being walked. */
  owner: NodePath
  params: NodePath[]
  programScope: Binding['scope']
  captured: Set<Binding>
  copied: Set<Binding>
  self: Binding | null
  paramsUseCaptures: boolean
  // Names read from module scope or globals: by the action and the copies (nothing may shadow them in the hoisted
  // function), and by the copies alone (the action's own locals must not shadow those).
  freeNames: Set<string>
  copyFreeNames: Set<string>
}

export function analyzeClosure(fn: NodePath<t.Function>, actionName: string): Closure {
  const state: Collected = {
    fn, owner: fn, params: fn.get('params'), programScope: fn.scope.getProgramParent(),
    captured: new Set(), copied: new Set(), self: null, paramsUseCaptures: false, freeNames: new Set(), copyFreeNames: new Set(),
  }
  fn.traverse(referenceVisitor, state)
  const { captured, copied, self } = state
  nameApart(fn, self, captured, copied, state.freeNames)

  checkAssignments(fn, actionName, captured)
  const names = (bindings: Iterable<Binding>) => [...bindings].map((b) => b.identifier.name)
  return {
    captured: names(captured),
    copied: [...copied].map((b) => b.path).sort((a, b) => a.node.start! - b.node.start!),
    selfName: self ? (self as Binding).identifier.name : null,
    ownNames: Object.keys(fn.scope.bindings),
    copyFreeNames: [...state.copyFreeNames],
    paramsUseCaptures: state.paramsUseCaptures,
  }
}

/** A reference of the owner that leaves it for an enclosing function: captured, copied, or the action itself. */
function visitReference(id: NodePath<t.Identifier | t.JSXIdentifier>, state: Collected): void {
  const { fn, owner } = state
  if (!id.isReferencedIdentifier() || inTypePosition(id, owner)) return
  const binding = id.scope.getBinding(id.node.name)
  if (!binding || binding.scope === state.programScope) {
    state.freeNames.add(id.node.name)
    if (owner !== fn) state.copyFreeNames.add(id.node.name)
    return
  }
  const inParams = owner === fn && state.params.some((param) => id.isDescendant(param))
  // Before the scope test: a named function expression's own name is bound in its own scope, yet the hoisted
  // function is renamed, so that name must be re-created too.
  if (isSelf(binding, fn)) {
    state.self = binding
  } else if (!isOutside(binding.scope, owner)) {
    return
  } else if (copyable(binding)) {
    if (binding.path !== owner && !state.copied.has(binding)) {
      state.copied.add(binding)
      state.owner = scopeOwner(binding.path)
      state.owner.traverse(referenceVisitor, state)
      state.owner = owner
    }
  } else {
    state.captured.add(binding)
  }
  if (inParams) state.paramsUseCaptures = true
}

// Module-level, so that Babel prepares it once rather than on every action.
const referenceVisitor: Visitor<Collected> = { Identifier: visitReference, JSXIdentifier: visitReference }

/**
 * The hoisted function declares one name per captured, copied and self variable, next to the module names its
 * code reads; captured names are also read at the site. Where two of these are different variables with one name
 * (a helper's `v` and the action's shadowing `v`), or a captured name is shadowed at the site, the variable is
 * renamed in the original code: a consistent rename keeps its meaning.
 */
function nameApart(fn: NodePath<t.Function>, self: Binding | null, captured: Set<Binding>, copied: Set<Binding>,
  freeNames: Set<string>): void {
  const site = fn.parentPath.scope
  const taken = new Set(freeNames)
  for (const binding of [...(self ? [self] : []), ...captured, ...copied]) {
    const name = binding.identifier.name
    if (taken.has(name) || (captured.has(binding) && site.getBinding(name) !== binding)) {
      const named = binding.path.isVariableDeclarator() ? binding.path.node.init : binding.path.node
      if (named && !sourceNames.has(named)) sourceNames.set(named, name)
      binding.scope.rename(name, binding.scope.generateUid(name))
    }
    taken.add(binding.identifier.name)
  }
}

/**
 * A function or class declared in an enclosing body and never reassigned: copy its code rather than its value.
 * Not another inline action that is still to be hoisted: that one becomes a server reference, a value that travels.
 */
function copyable(binding: Binding): boolean {
  // Babel counts a block-level function declaration as a violation of itself: only other assignments count.
  if (binding.constantViolations.some((violation) => violation !== binding.path)) return false
  const path = binding.path
  const definition = path.isVariableDeclarator() && path.get('id').isIdentifier() ? path.get('init') : path
  if (!definition.isFunctionDeclaration() && !definition.isClassDeclaration() && !definition.isArrowFunctionExpression() &&
    !definition.isFunctionExpression() && !definition.isClassExpression()) return false
  return !(definition.isFunction() && isInlineAction(definition.node))
}

function isInlineAction(node: t.Function): boolean {
  return node.body.type === 'BlockStatement' && node.body.directives.some((d) => d.value.value === 'use server')
}

/** The node whose scope holds a copyable declaration's own names (for `const f = () => …`, the arrow). */
function scopeOwner(path: NodePath): NodePath {
  return path.isVariableDeclarator() ? (path.get('init') as NodePath) : path
}

/** Is `scope` one of the scopes that enclose `owner` (not its own scope or one inside it)? */
function isOutside(scope: Binding['scope'], owner: NodePath): boolean {
  for (let current = owner.scope.parent; current; current = current.parent) if (current === scope) return true
  return false
}

/** The action's own name: a function declaration's or expression's id, or the `const` it is assigned to. */
function isSelf(binding: Binding, fn: NodePath<t.Function>): boolean {
  if (binding.path === fn) return true
  const declarator = binding.path
  return declarator.isVariableDeclarator() && declarator.node.init === fn.node && binding.constant
}

function inTypePosition(id: NodePath, owner: NodePath): boolean {
  for (let current = id.parentPath; current && current !== owner; current = current.parentPath) {
    if (current.node.type.startsWith('TS') && !TS_VALUE_WRAPPERS.has(current.node.type)) return true
  }
  return false
}

/**
 * The server receives a snapshot of what the action captured, so a captured variable must not change after the
 * action exists: assignments inside the action, after it (in source order), in a loop around it, or inside another
 * function are build errors. A `for (let …)` update acts on the next iteration's copy and is fine.
 */
function checkAssignments(fn: NodePath<t.Function>, actionName: string, captured: Set<Binding>): void {
  const programScope = fn.scope.getProgramParent()
  for (let scope = fn.scope.parent; scope && scope !== programScope; scope = scope.parent) {
    for (const [name, binding] of Object.entries(scope.bindings)) {
      if (isSelf(binding, fn)) continue
      // Also variables the action only assigns and never reads: they are captured in all but name.
      const inside = binding.constantViolations.find((v) => v.isDescendant(fn))
      if (inside) reassigned(inside, actionName, name, 'inside the server function')
      if (captured.has(binding)) checkLaterAssignments(fn, actionName, name, binding)
    }
  }
}

function checkLaterAssignments(fn: NodePath<t.Function>, actionName: string, name: string, binding: Binding): void {
  const home = binding.scope.getFunctionParent()
  // A `var` declared in a loop is assigned again by its own declaration on every round.
  const declaration = binding.kind === 'var' && binding.path.isVariableDeclarator() && binding.path.node.init ? [binding.path] : []
  // (Babel also lists a block-level function declaration as a violation of itself: not an assignment.)
  for (const violation of [...binding.constantViolations.filter((v) => v !== binding.path), ...declaration]) {
    if (violation.scope.getFunctionParent() !== home) {
      reassigned(violation, actionName, name, 'inside another function, which may run after the server function is created')
    }
    if (violation !== binding.path && violation.node.start! > fn.node.end!) {
      reassigned(violation, actionName, name, 'after the server function is created')
    }
    // Per-iteration bindings (`let`/`const` inside the loop, `for (let i …; i++)`) start fresh on every round.
    const loop = violation.findParent((p) => p.isLoop() && fn.isDescendant(p))
    const perIteration = (binding.kind === 'let' || binding.kind === 'const') && loop && binding.path.isDescendant(loop)
    if (loop && !perIteration) {
      reassigned(violation, actionName, name, 'in a loop that also creates the server function, so later rounds change it')
    }
  }
}

function reassigned(at: NodePath, action: string, name: string, where: string): never {
  fail(at, ErrorCode.CapturedReassigned,
    `The server function ${action ? `"${action}" ` : ''}captures "${name}", which is assigned ${where}. ` +
    `A server function receives a snapshot of the values it captures, so it would not see the change. ` +
    `Copy the final value into a const first (\`const ${name}Value = ${name}\`) and use that inside the server function.`)
}
