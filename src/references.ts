// Indexes that let the closure analysis look only at what lies inside an action. Without them each action walked
// every reference of each variable it captured, and every action hoisted before it: quadratic in a file where many
// actions capture the same props. Built once per binding (and per hoisted action), they answer "which references
// of this binding are these nodes" and "which hoisted actions are inside this function" in time proportional to
// the answer.
import type { NodePath, types as t } from '@babel/core'

export type Binding = NonNullable<ReturnType<NodePath['scope']['getBinding']>>

/**
 * The actions of a file hoisted so far (their original paths), with the bindings their reference at the site reads.
 * Their code has left the file, but Babel still lists references inside it (under the old paths): those are set
 * aside, and the site's reads count instead. Filled by recordHoisted.
 */
export type HoistedActions = Map<NodePath, Binding[]>

interface ReferenceIndex {
  /** The binding's `referencePaths` array when indexed, and how many of its entries are. */
  list: NodePath[]
  count: number
  paths: Map<t.Node, NodePath[]>
}

const references = new WeakMap<Binding, ReferenceIndex>()

/**
 * The binding's reference paths whose node is `node`: usually one, none when the node is not a reference of it.
 * Babel only ever appends to a binding's `referencePaths` (a rescan makes new bindings), so appended entries are
 * added to the index as they come, and another array means a new index.
 */
export function referencesAt(binding: Binding, node: t.Node): readonly NodePath[] {
  const list = binding.referencePaths
  let index = references.get(binding)
  if (!index || index.list !== list || index.count > list.length) {
    index = { list, count: 0, paths: new Map() }
    references.set(binding, index)
  }
  for (; index.count < list.length; index.count++) {
    const path = list[index.count]!
    const same = index.paths.get(path.node)
    if (same) same.push(path)
    else index.paths.set(path.node, [path])
  }
  return index.paths.get(node) ?? []
}

/** Each path that has hoisted actions under it (when they were hoisted), with those actions in hoisting order. */
const hoistedUnder = new WeakMap<HoistedActions, Map<NodePath, NodePath[]>>()

/**
 * Records a hoisted action with the bindings its reference at the site reads (see HoistedActions), and under each of
 * its ancestors. An action's ancestors stay the same while a file's actions are hoisted (its site stays where it is).
 */
export function recordHoisted(hoisted: HoistedActions, fn: NodePath, captured: Binding[]): void {
  hoisted.set(fn, captured)
  let under = hoistedUnder.get(hoisted)
  if (!under) hoistedUnder.set(hoisted, under = new Map())
  for (let ancestor = fn.parentPath; ancestor; ancestor = ancestor.parentPath) {
    const actions = under.get(ancestor)
    if (actions) actions.push(fn)
    else under.set(ancestor, [fn])
  }
}

/** The hoisted actions that were under `path` when hoisted, in hoisting order. */
export function hoistedUnderPath(hoisted: HoistedActions, path: NodePath): readonly NodePath[] {
  return hoistedUnder.get(hoisted)?.get(path) ?? []
}
