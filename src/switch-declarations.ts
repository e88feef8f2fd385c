// Function declaration actions in a `switch`. Every case of a switch shares one block scope, and a function declared
// in any case is initialised when that block is entered, before the first case test runs, whichever case matches:
// another case can use it before its own case is reached.
//
//   switch (kind) {                      switch (kind) {
//     case 'first':                        case save = _createInlineReference(…, () => [v]):
//       const v = 1                        case 'first':
//       return save                →         const v = 1
//     default:                               return save
//       async function save() {…}          default:
//   }                                        function save() {}
//                                        }
//
// The usual output (see declarationSite) is a const just before the switch statement, which enters the block at the
// same moment. Where that cannot be exact, the reference is made inside the switch, as above: a first case whose test
// assigns it to the declaration's own binding (left in place, emptied) and never matches, since the value it
// compares is a function made after the discriminant. Case tests run in order, in the switch's scope, after its
// declarations are instantiated: this one runs first, on every entry, and sees the switch's own variables.
import type { NodePath, types as t } from '@babel/core'
import type { Closure } from './closure.js'
import type { BabelTypes } from './context.js'
import { spliceStatements } from './statements.js'

/** Where a function declaration action's const goes: before `before` in a statement list (none: at its start). */
export interface Site { block: NodePath; listKey: string; before: NodePath | null }

/** How many initialising cases each switch has (they keep the order in which their actions were hoisted). */
const initialisers = new WeakMap<t.SwitchStatement, number>()

/**
 * The site of the const that replaces a function declaration action: the start of the block that scopes it, or for
 * one in a `switch` case, just before the switch statement (and its labels), or null: made inside the switch (see
 * initialiseInSwitch). Before the switch needs the switch (with its labels) in a statement list, no variable (or
 * global) of that name around it, which the const would hide or take, and nothing captured from the switch's own
 * scope (a `let`, `const` or class of a case, or another function of the switch), which the const could not see.
 */
export function declarationSite(fn: NodePath, statement: NodePath, name: string, closure: Closure): Site | null {
  const own = { block: statement.parentPath!, listKey: statement.listKey as string, before: null }
  if (!own.block.isSwitchCase()) return own
  const switchScope = own.block.scope
  let top: NodePath = own.block.parentPath!
  while (top.parentPath?.isLabeledStatement()) top = top.parentPath
  const capturesSwitchLocal = closure.named.some(({ binding, copied }) =>
    !copied && binding.path !== fn && binding.scope === switchScope)
  // Not hasBinding: it also counts the names made by generateUid, such as the one this action may have been given.
  const around = top.parentPath!.scope
  if (typeof top.key !== 'number' || !top.listKey || capturesSwitchLocal || around.getBinding(name) ||
    around.getProgramParent().globals[name]) return null
  return { block: top.parentPath!, listKey: top.listKey, before: top }
}

/**
 * Makes the server reference inside the switch (see the top of this file): the declaration becomes an empty function
 * of the same name that holds the binding, and a new first case assigns the reference to it. The binding keeps its
 * references; the assignment is registered, so that a later analysis sees a variable (captured), not a function
 * to copy.
 */
export function initialiseInSwitch(t: BabelTypes, fn: NodePath<t.FunctionDeclaration>, reference: t.Expression): void {
  const id = fn.node.id!
  const switchPath = fn.parentPath.parentPath as NodePath<t.SwitchStatement>
  const binding = fn.parentPath.scope.getOwnBinding(id.name)!
  // The same identifier node: Babel sees the binding's own declaration again, not a second one.
  fn.replaceWith(t.functionDeclaration(id, [], t.blockStatement([])))
  const at = initialisers.get(switchPath.node) ?? 0
  initialisers.set(switchPath.node, at + 1)
  const test = t.assignmentExpression('=', t.identifier(id.name), reference)
  const [clause] = spliceStatements(switchPath, 'cases', at, [t.switchCase(test, [])])
  binding.reassign(clause!.get('test') as NodePath)
}
