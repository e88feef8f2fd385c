// The reassignment check of inline actions: the server receives a snapshot of what an action captured, so a captured
// variable must not change after the action exists. Build errors, with the first faulty variable in scope order.
import type { NodePath, types as t } from '@babel/core'
import { ErrorCode, fail } from './errors.js'
import type { Binding } from './references.js'

/** The action's own name: a function declaration's or expression's id, or the `const` it is assigned to. */
export function isSelf(binding: Binding, fn: NodePath<t.Function>): boolean {
  if (binding.path === fn) return true
  const declarator = binding.path
  return declarator.isVariableDeclarator() && declarator.node.init === fn.node && binding.constant
}

/** The variables of enclosing function scopes that have one of these names there. */
export function outerBindings(fn: NodePath<t.Function>, names: Map<string, unknown>): Binding[] {
  const programScope = fn.scope.getProgramParent()
  const found: Binding[] = []
  for (let scope = fn.scope.parent; scope && scope !== programScope; scope = scope.parent) {
    for (const name of names.keys()) {
      const binding = scope.bindings[name]
      if (binding) found.push(binding)
    }
  }
  return found
}

/**
 * The server receives a snapshot of what the action captured, so a captured variable must not change after the
 * action exists: assignments inside the action, after it (in source order), in a loop around it, or inside another
 * function are build errors. A `for (let …)` update acts on the next iteration's copy and is fine.
 *
 * An assignment inside the action names its variable, so only `named` (the enclosing variables the action names) and
 * the captured ones are looked at; where one of them is at fault, every enclosing variable is checked in order, so
 * that the error reported is the first in scope and declaration order.
 */
export function checkAssignments(fn: NodePath<t.Function>, actionName: string, captured: Set<Binding>, named: Binding[]): void {
  try {
    const inside = named.some((binding) => !isSelf(binding, fn) && binding.constantViolations.some((v) => v.isDescendant(fn)))
    for (const binding of captured) checkLaterAssignments(fn, actionName, binding.identifier.name, binding)
    if (!inside) return
  } catch {
    // Reported below, in order.
  }
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
    // Only a loop inside the variable's own scope repeats an assignment to the same variable: where the scope itself
    // is inside the loop (a function called in it, a block or `for (let i …; i++)` of it), each round has its own.
    const loop = violation.findParent((p) => p.isLoop() && fn.isDescendant(p))
    if (loop?.isDescendant(binding.scope.path)) {
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
