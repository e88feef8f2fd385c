// Statements this plugin adds to the module body or to a block. It runs when Babel enters the Program, before the
// pass reaches the body, so they are spliced into the node rather than inserted through the path API: Babel queues
// every path inserted that way for one more visit by all the plugins of the pass (after the whole Program), a second
// walk over each hoisted function. Spliced, they are visited once, in place, like the code around them.
import type { NodePath, types as t } from '@babel/core'

/** Puts statements at `at` in a statement list, and registers what they declare in the list's scope. */
export function spliceStatements(parent: NodePath, listKey: string, at: number, statements: t.Statement[]): NodePath[] {
  if (statements.length === 0) return []
  ;(parent.node as unknown as Record<string, t.Statement[]>)[listKey]!.splice(at, 0, ...statements)
  // Getting the list's paths also brings the keys of those Babel has made already up to date.
  const paths = (parent.get(listKey) as NodePath[]).slice(at, at + statements.length)
  for (const path of paths) if (path.isDeclaration()) parent.scope.registerDeclaration(path)
  return paths
}

/** Where code starts in a statement list: after its imports. */
export function firstCode(list: t.Statement[]): number {
  const index = list.findIndex((statement) => statement.type !== 'ImportDeclaration')
  return index === -1 ? list.length : index
}
