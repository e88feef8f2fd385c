// Statements this plugin adds to the module body or to a block. It runs when Babel enters the Program, before the
// pass reaches the body, so they are spliced into the node rather than inserted through the path API: Babel queues
// every path inserted that way for one more visit by all the plugins of the pass (after the whole Program), a second
// walk over each hoisted function. Spliced, they are visited once, in place, like the code around them.
import type { NodePath, types as t } from '@babel/core'

/**
 * Puts statements at `at` in a statement list (or cases in a switch's `cases`), and registers what they declare in
 * the list's scope (`prepare` runs on their paths just before).
 */
export function spliceStatements(parent: NodePath, listKey: string, at: number, statements: (t.Statement | t.SwitchCase)[],
  prepare?: (paths: NodePath[]) => void): NodePath[] {
  if (statements.length === 0) return []
  const list = (parent.node as unknown as Record<string, (t.Statement | t.SwitchCase)[]>)[listKey]!
  // The paths Babel made already for the statements after `at` keep their old keys (positions in the list) for now:
  // Babel finds a path's key again (by its node) before it removes or replaces it, and sets keys anew as it walks a
  // list. (Shifting them here would cost as much as the list is long, and Babel 8 has no public way to.)
  list.splice(at, 0, ...statements)
  const paths = statements.map((_, i) => statementPath(parent, listKey, list, at + i))
  prepare?.(paths)
  for (const path of paths) if (path.isDeclaration()) parent.scope.registerDeclaration(path)
  return paths
}

/**
 * Takes a statement out of its list as `path.remove()` does (its comments go to its neighbours, the path is marked
 * removed), but leaves the scope to the caller and the other paths of the list their keys, as spliceStatements does.
 * `remove()` renumbers every path made in the list, so N actions removed from one body cost N²: 9 % of the plugin's
 * time on a body of 1,281 statements. A statement outside a list is removed by Babel.
 */
export function removeStatement(path: NodePath): void {
  const list = path.container
  if (!Array.isArray(list)) return path.remove()
  path.shareCommentsWithSiblings()
  // (Its key is stale when statements before it were added or removed since the path was made.)
  list.splice(list[path.key as number] === path.node ? path.key as number : list.indexOf(path.node), 1)
  path.removed = true
  path.shouldSkip = true
}

/**
 * The path of one statement of a list, made alone: `parent.get(listKey)` would make (and set up) a path for every
 * statement of the list, as long as the list for each statement added (N actions in one body: quadratic).
 */
interface PathOptions { parentPath: NodePath, parent: t.Node, container: t.Node[], listKey: string, key: number }

function statementPath(parent: NodePath, listKey: string, list: t.Node[], key: number): NodePath {
  // (NodePath.get, as `get` and Babel's own insertion use it; the class of the running Babel, whichever major.)
  const get = (parent.constructor as typeof NodePath).get as (options: PathOptions) => NodePath
  return get({ parentPath: parent, parent: parent.node, container: list, listKey, key }).setContext(parent.context)
}

/** Where code starts in a statement list: after its imports. */
export function firstCode(list: t.Statement[]): number {
  const index = list.findIndex((statement) => statement.type !== 'ImportDeclaration')
  return index === -1 ? list.length : index
}
