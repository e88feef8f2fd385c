// The scope of a hoisted function, taken over from the action it was made from. The hoisted function is a new node,
// so Babel would read its whole body again to build its scope (a crawl per action: about a third of the plugin's
// time on inline-heavy files). Its body is the action's own, though, and Babel read that once already with the file:
// the action's scope is moved to the new node, and only what the hoisting added is registered in it.
import type { NodePath, types as t } from '@babel/core'
import type { Binding } from './references.js'
import { statementPath } from './statements.js'

type Scope = Binding['scope']

/**
 * What a hoisted function keeps of its action: the action's scope, and the statements and parameters the hoisting
 * put in front of the action's own (registered in the scope when it moves).
 */
export interface Adoption {
  scope: Scope
  /**
   * The scope's bindings when the action was hoisted: removing the action from its site removes its parameters from
   * its scope (Babel's `remove` drops every name the declaration binds, parameters included).
   */
  bindings: Scope['bindings']
  /** The action's own name in its own scope (a named function expression): no longer declared there. */
  ownName: string | null
  /** How many parameters come before the action's own (the bound values). */
  addedParams: number
  /** The first statements of the body that the hoisting added (prologue, then copies of local declarations). */
  addedStatements: number
}

interface PathOptions { parentPath: NodePath, parent: t.Node, container: t.Node, key: string }

/**
 * Gives the function declaration of `exported` (an `export function` just put into the module body, without a path
 * of its own yet) the scope described by `adoption`, so that no crawl of its body happens. Call it before anything
 * makes a path for the declaration (`registerDeclaration` does). The scope's scope-cache entry is made the way
 * Babel makes it (constructing a Scope for the new path), then filled with the action's bindings.
 */
export function adoptScope(exported: NodePath<t.ExportNamedDeclaration>, adoption: Adoption): void {
  const get = (exported.constructor as typeof NodePath).get as (options: PathOptions) => NodePath<t.FunctionDeclaration>
  const fn = get({ parentPath: exported, parent: exported.node, container: exported.node, key: 'declaration' })
  const old = adoption.scope
  const scope = new (old.constructor as new (path: NodePath) => Scope)(fn)
  // What crawl() sets (Babel 7 also keeps per-scope `references` and `uids`; Babel 8 only on the program, with
  // getters on the class that throw).
  const fields = scope as unknown as Record<string, unknown>
  for (const key of ['labels', 'globals', 'references', 'uids']) {
    if (Object.hasOwn(old, key)) fields[key] = (old as unknown as Record<string, unknown>)[key]
  }
  scope.bindings = adoption.bindings
  fields.data = Object.create(null)
  fields.inited = true
  if (adoption.ownName !== null && scope.bindings[adoption.ownName]?.kind === 'local') delete scope.bindings[adoption.ownName]
  for (const binding of Object.values(scope.bindings)) binding.scope = scope
  fn.setContext(exported.context) // Finds the scope above, already inited.
  const params = fn.get('params')
  for (let i = 0; i < adoption.addedParams; i++) scope.registerBinding('param', params[i]!)
  // One path per added statement: a path for each statement of the body would set up (and crawl) the scopes of its
  // blocks and loops.
  const body = fn.get('body') as NodePath<t.BlockStatement>
  for (let i = 0; i < adoption.addedStatements; i++) {
    const statement = statementPath(body, 'body', body.node.body, i)
    if (statement.isDeclaration()) scope.registerDeclaration(statement)
  }
}
