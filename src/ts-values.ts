// TypeScript declarations that leave a runtime value in the block that holds them: `enum` (a `const enum` too, kept
// as an object by the TypeScript transform unless its optimizeConstEnums option inlines it) and `namespace` /
// `module` (an object that may hold functions and classes). `declare` ones leave nothing. Babel's scope keeps no
// binding for either, so they are found by name, in the statement lists of a scope's own block.
import type { NodePath, types as t } from '@babel/core'

type Scope = NodePath['scope']
export type TsValueDeclaration = NodePath<t.TSEnumDeclaration | t.TSModuleDeclaration>

// Made once per scope: the actions of a file look into the same enclosing scopes again and again.
const byScope = new WeakMap<Scope, Map<string, TsValueDeclaration[]>>()

/**
 * The enum and namespace declarations directly in the scope's block, by name; merged declarations of one name
 * (`enum E { A }` … `enum E { B = 2 }`) together, in source order.
 */
export function tsValueDeclarations(scope: Scope): Map<string, TsValueDeclaration[]> {
  let found = byScope.get(scope)
  if (found) return found
  found = new Map()
  for (const list of statementLists(scope.path)) {
    if (!list.some((statement) => valueName(statement) !== null)) continue
    for (const statement of list) {
      const name = valueName(statement)
      if (name === null) continue
      const path = statement.isExportNamedDeclaration() ? statement.get('declaration') : statement
      found.set(name, [...(found.get(name) ?? []), path as TsValueDeclaration])
    }
  }
  byScope.set(scope, found)
  return found
}

/** The scope between `from` and the program (both included, the program not) whose block declares `name`. */
export function tsValueScope(from: Scope | null | undefined, name: string): Scope | null {
  for (let scope = from; scope && scope.path.type !== 'Program'; scope = scope.parent) {
    if (tsValueDeclarations(scope).has(name)) return scope
  }
  return null
}

/** The statement lists that belong to a scope's own block (a function's body, a switch's cases, …). */
function statementLists(path: NodePath): NodePath[][] {
  if (path.isFunction()) {
    const body = path.get('body')
    return body.isBlockStatement() ? [body.get('body')] : []
  }
  if (path.isCatchClause()) return [path.get('body').get('body')]
  if (path.isSwitchStatement()) return path.get('cases').map((c) => c.get('consequent'))
  if (path.isBlockStatement() || path.isStaticBlock() || path.isTSModuleBlock()) {
    return [path.get('body') as NodePath[]]
  }
  return []
}

/** The name of an enum or namespace declaration that is not `declare` (also one exported from a namespace), or null. */
export function valueName(statement: NodePath): string | null {
  let node = statement.node
  if (node.type === 'ExportNamedDeclaration' && node.declaration) node = node.declaration
  if (node.type === 'TSEnumDeclaration') return node.declare ? null : node.id.name
  if (node.type !== 'TSModuleDeclaration' || node.declare) return null
  // `namespace A.B {}`: the outer name (a qualified name in Babel 8, nested declarations in Babel 7). A `module 'x'`
  // or `global` declaration is ambient.
  let id = node.id as t.Node
  while (id.type === 'TSQualifiedName') id = id.left
  return id.type === 'Identifier' && node.kind !== 'global' ? id.name : null
}
