// Finds the string literals the scan saw, by their offsets, descending from the program through the nodes that
// contain each offset: a file with directives is not walked whole to find its inline actions.
import type { NodePath, types as t } from '@babel/core'
import type { BabelTypes } from './context.js'

/**
 * The string or directive literal starting at each offset, when there is one (a match in a comment or a template
 * has none). Null when a node on the way has no position (an AST made by an earlier pass): walk the file instead.
 */
export function literalsAt(t: BabelTypes, program: NodePath<t.Program>, offsets: number[]): NodePath[] | null {
  const found: NodePath[] = []
  for (const offset of offsets) {
    const path = deepestAt(t, program, offset)
    if (path === null) return null
    if (path.node.start === offset && (path.isStringLiteral() || path.isDirectiveLiteral())) found.push(path)
  }
  return found
}

function deepestAt(t: BabelTypes, start: NodePath, offset: number): NodePath | null {
  let path = start
  descend: for (;;) {
    for (const key of t.VISITOR_KEYS[path.node.type] ?? []) {
      const child = (path.node as unknown as Record<string, t.Node | t.Node[] | null | undefined>)[key]
      const children = Array.isArray(child) ? child : child ? [child] : []
      for (let i = 0; i < children.length; i++) {
        const node = children[i]
        if (!node) continue
        if (node.start == null || node.end == null) return null
        if (node.start <= offset && offset < node.end) {
          path = path.get(Array.isArray(child) ? `${key}.${i}` : key) as NodePath
          continue descend
        }
      }
    }
    return path
  }
}
