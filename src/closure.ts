// What an inline action captures, found with Babel's scope and binding API: exactly the bindings of enclosing
// function scopes that the action references. Module bindings, imports and globals are there on the server already.
import type { NodePath, types as t } from '@babel/core'
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
  /** A default parameter value uses a captured variable, so parameters can only be read after decryption. */
  paramsUseCaptures: boolean
}

// TypeScript nodes that hold a value; every other TS node is a type, whose names are not values to capture.
const TS_VALUE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression', 'TSParameterProperty'])

export function analyzeClosure(fn: NodePath<t.Function>, actionName: string): Closure {
  const captured = new Map<string, Binding>()
  const copied = new Map<string, Binding>()
  let selfName: string | null = null
  let paramsUseCaptures = false
  const programScope = fn.scope.getProgramParent()
  const params = fn.get('params')

  // Visits the references of `owner` (the action, or a copied declaration) that leave it for an enclosing function.
  const collect = (owner: NodePath) => {
    const visit = (id: NodePath<t.Identifier | t.JSXIdentifier>) => {
      if (!id.isReferencedIdentifier() || inTypePosition(id, owner)) return
      const name = id.node.name
      const binding = id.scope.getBinding(name)
      if (!binding || binding.scope === programScope) return
      // Before the scope test: a named function expression's own name is bound in its own scope, yet the hoisted
      // function is renamed, so that name must be re-created too.
      if (isSelf(binding, fn)) {
        selfName = name
      } else if (!isOutside(binding.scope, owner)) {
        return
      } else if (copyable(binding)) {
        if (!copied.has(name) && binding.path !== owner) {
          copied.set(name, binding)
          collect(scopeOwner(binding.path))
        }
      } else {
        if (!captured.has(name)) captured.set(name, binding)
        if (owner === fn && params.some((param) => id.isDescendant(param))) paramsUseCaptures = true
      }
    }
    owner.traverse({ Identifier: visit, JSXIdentifier: visit })
  }
  collect(fn)

  checkAssignments(fn, actionName, captured)
  return {
    captured: [...captured.keys()],
    copied: [...copied.values()].map((b) => b.path).sort((a, b) => a.node.start! - b.node.start!),
    selfName,
    ownNames: Object.keys(fn.scope.bindings),
    paramsUseCaptures,
  }
}

/** A function or class declared in an enclosing body and never reassigned: copy its code rather than its value. */
function copyable(binding: Binding): boolean {
  if (!binding.constant) return false
  const path = binding.path
  if (path.isFunctionDeclaration() || path.isClassDeclaration()) return true
  if (!path.isVariableDeclarator() || !path.get('id').isIdentifier()) return false
  const init = path.get('init')
  return init.isArrowFunctionExpression() || init.isFunctionExpression() || init.isClassExpression()
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
function checkAssignments(fn: NodePath<t.Function>, actionName: string, captured: Map<string, Binding>): void {
  const programScope = fn.scope.getProgramParent()
  for (let scope = fn.scope.parent; scope && scope !== programScope; scope = scope.parent) {
    for (const [name, binding] of Object.entries(scope.bindings)) {
      if (isSelf(binding, fn)) continue
      // Also variables the action only assigns and never reads: they are captured in all but name.
      const inside = binding.constantViolations.find((v) => v.isDescendant(fn))
      if (inside) reassigned(inside, actionName, name, 'inside the server function')
      if (captured.get(name) === binding) checkLaterAssignments(fn, actionName, name, binding)
    }
  }
}

function checkLaterAssignments(fn: NodePath<t.Function>, actionName: string, name: string, binding: Binding): void {
  const home = binding.scope.getFunctionParent()
  // A `var` declared in a loop is assigned again by its own declaration on every round.
  const declaration = binding.kind === 'var' && binding.path.isVariableDeclarator() && binding.path.node.init ? [binding.path] : []
  for (const violation of [...binding.constantViolations, ...declaration]) {
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
