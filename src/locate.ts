// Finds the string literals the scan saw, by their offsets, descending from the program through the nodes that
// contain each offset: a file with directives is not walked whole to find its inline actions. All offsets descend
// together, so a statement list on the way has its paths made once, not once per offset in it.
import type { NodePath, types as t } from '@babel/core'
import type { BabelTypes } from './context.js'

interface Target { offset: number, index: number }

/**
 * The string or directive literal starting at each offset, when there is one (a match in a comment or a template
 * has none), in the order of `offsets` (ascending, as the scan gives them). Null when a node on the way has no
 * position (an AST made by an earlier pass): walk the file instead.
 */
export function literalsAt(t: BabelTypes, program: NodePath<t.Program>, offsets: number[]): NodePath[] | null {
  const found: (NodePath | undefined)[] = []
  const targets = offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset)
  if (!descend(t, program, targets, found)) return null
  return found.filter((path): path is NodePath => path !== undefined)
}

/**
 * Hands each target to the first child (in visiting order) whose range holds its offset; the targets no child holds
 * end here, at the deepest node that holds them. False when a child without a position comes before a target's.
 */
function descend(t: BabelTypes, path: NodePath, targets: Target[], found: (NodePath | undefined)[]): boolean {
  const left = targets.slice() // The targets no child has taken yet, by offset.
  for (const key of t.VISITOR_KEYS[path.node.type] ?? []) {
    const child = (path.node as unknown as Record<string, t.Node | t.Node[] | null | undefined>)[key]
    const children = Array.isArray(child) ? child : child ? [child] : []
    let paths: NodePath[] | null = null
    for (let i = 0; i < children.length && left.length > 0; i++) {
      const node = children[i]
      if (!node) continue
      if (node.start == null || node.end == null) return false
      const from = lowerBound(left, node.start)
      let to = from
      while (to < left.length && left[to]!.offset < node.end) to++
      if (to === from) continue
      let childPath: NodePath
      if (Array.isArray(child)) childPath = (paths ??= path.get(key) as NodePath[])[i]!
      else childPath = path.get(key) as NodePath
      if (!descend(t, childPath, left.splice(from, to - from), found)) return false
    }
  }
  for (const { offset, index } of left) {
    if (path.node.start === offset && (path.isStringLiteral() || path.isDirectiveLiteral())) found[index] = path
  }
  return true
}

/** The first index of `targets` (sorted by offset) whose offset is at least `offset`. */
function lowerBound(targets: Target[], offset: number): number {
  let low = 0
  let high = targets.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (targets[middle]!.offset < offset) low = middle + 1
    else high = middle
  }
  return low
}
