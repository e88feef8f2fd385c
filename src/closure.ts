// What an inline action captures, found with Babel's scope and binding API: exactly the bindings of enclosing
// function scopes that have a reference inside the action. Module bindings, imports and globals are there on the
// server already. No walk over paths: a pass over the action's nodes lists the names it mentions, and only the
// enclosing bindings with those names have their references looked at.
import type { NodePath, types as t, Visitor } from '@babel/core'
import type { BabelTypes } from './context.js'
import { tsValueDeclarations, tsValueScope, type TsValueDeclaration } from './ts-values.js'
import { checkAssignments, isSelf, outerBindings } from './reassignment.js'
import { type Binding, type HoistedActions, hoistedUnderPath, recordHoisted, referencesAt } from './references.js'

export type { Binding, HoistedActions } from './references.js'

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
  /** Module-scope and global names the copies read: the action's own locals must not shadow them either. */
  copyFreeNames: string[]
  /** A default parameter value uses a captured, copied or self name, so parameters are read after the prologue. */
  paramsUseCaptures: boolean
  /** The variables behind the names above, with those names: an action hoisted later may still rename them. */
  named: NamedBinding[]
  /** The action holds identifiers made after Babel read the file (an inner action's reference): its lists miss them. */
  fresh: boolean
  /** The paths at the action's own level (not in a scope inside it) that read or assign module variables. */
  moduleReferences: NodePath[]
}

export interface NamedBinding {
  binding: Binding
  /** Its name when this action was hoisted. */
  name: string
  /** Declared in the hoisted function by a copy of its declaration (not by the prologue). */
  copied: boolean
  /** Its references among the action's own identifiers (they refer to the hoisted function's declaration of it). */
  references: NodePath[]
}

/** Functions whose name this analysis changed (see `nameApart`), with the name they have in the source: `fn.name`. */
export const sourceNames = new WeakMap<t.Node, string>()

// TypeScript nodes that hold a value; every other TS node is a type, whose names are not values to capture.
const TS_VALUE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression', 'TSParameterProperty', 'TSEnumDeclaration', 'TSEnumBody', 'TSEnumMember',
  'TSModuleDeclaration', 'TSModuleBlock'])

/** What the analysis of the action (and of each copied declaration) gathers. */
interface Collected {
  t: BabelTypes
  fn: NodePath<t.Function>
  programScope: Binding['scope']
  hoisted: HoistedActions
  captured: Set<Binding>
  copied: Set<Binding>
  /** TypeScript enums and namespaces the action (or a copy) reads: they have no binding, and are copied too. */
  copiedTs: Set<TsValueDeclaration>
  self: Binding | null
  paramsUseCaptures: boolean
  // Names read from module scope or globals: by the action and the copies (nothing may shadow them in the hoisted
  // function), and by the copies alone (the action's own locals must not shadow those).
  freeNames: Set<string>
  copyFreeNames: Set<string>
}

export function analyzeClosure(types: BabelTypes, fn: NodePath<t.Function>, actionName: string,
  hoisted: HoistedActions): Closure {
  const state: Collected = {
    t: types, fn, programScope: fn.scope.getProgramParent(), hoisted,
    captured: new Set(), copied: new Set(), copiedTs: new Set(), self: null, paramsUseCaptures: false, freeNames: new Set(), copyFreeNames: new Set(),
  }
  const names = mentionedNames(types, fn.node)
  // Read before nameApart may rename some of them: the enclosing variables the action names.
  const named = outerBindings(fn, names.mentioned)
  collect(state, fn, names)
  const { captured, copied, self } = state
  const outside = [...(self ? [self] : []), ...captured, ...copied]
  // (Read by name, so before nameApart renames any.)
  const references = outside.map((binding) =>
    (names.mentioned.get(binding.identifier.name)?.nodes ?? []).flatMap((node) => referencesAt(binding, node)))
  const moduleReferences: NodePath[] = []
  for (const [name, { nodes }] of names.mentioned) {
    const binding = state.programScope.bindings[name]
    if (!binding) continue
    for (const node of nodes) for (const path of referencesAt(binding, node)) if (path.scope === fn.scope) moduleReferences.push(path)
    for (const path of binding.constantViolations) if (path.scope === fn.scope) moduleReferences.push(path)
  }
  nameApart(fn, self, captured, copied, state.freeNames)

  checkAssignments(fn, actionName, captured, named)
  recordHoisted(hoisted, fn, [...captured])
  const namesOf = (bindings: Iterable<Binding>) => [...bindings].map((b) => b.identifier.name)
  return {
    captured: namesOf(captured),
    copied: [...[...copied].map((b) => b.path), ...state.copiedTs].sort((a, b) => a.node.start! - b.node.start!),
    selfName: self ? (self as Binding).identifier.name : null,
    ownNames: Object.keys(fn.scope.bindings),
    copyFreeNames: [...state.copyFreeNames],
    paramsUseCaptures: state.paramsUseCaptures,
    named: outside.map((binding, i) => ({ binding, name: binding.identifier.name, copied: copied.has(binding), references: references[i]! })),
    fresh: names.unplaced.size > 0,
    moduleReferences,
  }
}

/** Where a reference is, seen from the owner (the action, or a copied declaration). */
const enum Place { Elsewhere, Body, Params }

/**
 * The bindings the owner reads from outside itself, in order of first mention: captured, copied, the action itself,
 * or module-scope and global names.
 */
function collect(state: Collected, owner: NodePath, { mentioned, unplaced } = mentionedNames(state.t, owner.node)): void {
  let reads = readsOf(state, owner, mentioned)
  // Babel lists the references it found when it read the file. An identifier without a position was made later (by
  // another plugin, or this one): if it reads an enclosing variable that no listed reference accounts for, Babel's
  // lists are behind, so the owner's scope is read again.
  const outer = outerScope(owner)
  const stale = [...unplaced].some((name) => {
    const binding = outer?.getBinding(name)
    return binding && binding.scope !== state.programScope && !reads.some((read) => read.binding === binding)
  })
  if (stale) {
    owner.scope.crawl()
    reads = readsOf(state, owner, mentioned)
  }
  for (const read of reads) visitRead(state, owner, read.binding, read.inParams)
  for (const name of mentioned.keys()) {
    if (outer?.getBinding(name)) continue
    if (readsTsValue(state, owner, outer, name)) continue
    // Globals keep no list of references: a global name the owner mentions counts as read.
    if (state.programScope.globals[name]) {
      state.freeNames.add(name)
      if (owner !== state.fn) state.copyFreeNames.add(name)
    }
  }
}

interface Read { binding: Binding, order: number, inParams: boolean }

/**
 * The enclosing bindings (and the action's own name) with references inside the owner, in order of first mention.
 * Only the owner's own identifiers are looked at (see references.ts), whatever else reads the same variables.
 */
function readsOf(state: Collected, owner: NodePath, mentioned: Map<string, Mention>): Read[] {
  const { fn, programScope } = state
  const reads: Read[] = []
  // A named function expression's own name lives in its own scope: the action refers to itself.
  const ownName = owner === fn && fn.node.type === 'FunctionExpression' ? fn.node.id?.name : undefined
  const own = ownName === undefined ? undefined : fn.scope.getOwnBinding(ownName)
  if (own?.path === fn) {
    const { order, nodes } = mentioned.get(ownName!)!
    const place = firstPlace(own, owner, nodes, state.hoisted, false)
    if (place !== Place.Elsewhere) reads.push({ binding: own, order, inParams: place === Place.Params })
  }
  for (let scope = outerScope(owner); scope; scope = scope.parent) {
    // (Names are unique in a scope, so the order of this loop does not show in the sorted result.)
    for (const [name, { order, nodes }] of mentioned) {
      const binding = scope.bindings[name]
      if (!binding) continue
      const place = firstPlace(binding, owner, nodes, state.hoisted, scope === programScope)
      if (place !== Place.Elsewhere) reads.push({ binding, order, inParams: place === Place.Params })
    }
    if (scope === programScope) break
  }
  // An action hoisted from inside the owner: its reference at the site reads what that action captured.
  for (const action of hoistedUnderPath(state.hoisted, owner)) {
    const place = placeOf(action, owner, null)
    if (place === Place.Elsewhere) continue
    for (const binding of state.hoisted.get(action)!) {
      // (A named function expression's own name is in its own scope, yet outside what is hoisted: the action itself.)
      if (isOutside(binding.scope, owner) || (owner === fn && isSelf(binding, fn))) {
        reads.push({ binding, order: mentioned.get(binding.identifier.name)?.order ?? Infinity, inParams: place === Place.Params })
      }
    }
  }
  return reads.sort((a, b) => a.order - b.order)
}

/** One binding the owner reads from outside: captured, copied, the action itself, or a module-scope name. */
function visitRead(state: Collected, owner: NodePath, binding: Binding, inParams: boolean): void {
  const { fn } = state
  if (binding.scope === state.programScope) {
    state.freeNames.add(binding.identifier.name)
    if (owner !== fn) state.copyFreeNames.add(binding.identifier.name)
    return
  }
  if (isSelf(binding, fn)) {
    state.self = binding
  } else if (copyable(binding)) {
    if (binding.path !== owner && !state.copied.has(binding)) {
      state.copied.add(binding)
      collect(state, scopeOwner(binding.path))
    }
  } else {
    state.captured.add(binding)
  }
  if (inParams && owner === fn) state.paramsUseCaptures = true
}

/** A name the owner mentions: the index of its first appearance among the names (source order), and its nodes. */
interface Mention { order: number, nodes: t.Node[] }

/** The identifiers in a node, by name (see Mention), and the names of identifiers that have no position. */
function mentionedNames(types: BabelTypes, node: t.Node): { mentioned: Map<string, Mention>, unplaced: Set<string> } {
  const mentioned = new Map<string, Mention>()
  const unplaced = new Set<string>()
  types.traverseFast(node, (child) => {
    if (child.type !== 'Identifier' && child.type !== 'JSXIdentifier') return
    const mention = mentioned.get(child.name)
    if (mention) mention.nodes.push(child)
    else mentioned.set(child.name, { order: mentioned.size, nodes: [child] })
    if (child.start == null) unplaced.add(child.name)
  })
  return { mentioned, unplaced }
}

/**
 * Where the binding's references among the owner's identifiers `nodes` are: in its body, in its parameters, or
 * none there. For a module-scope binding, any one will do (parameters matter only for the enclosing ones).
 */
function firstPlace(binding: Binding, owner: NodePath, nodes: t.Node[], hoisted: HoistedActions, anyOne: boolean): Place {
  let found = Place.Elsewhere
  for (const node of nodes) {
    for (const ref of referencesAt(binding, node)) {
      const place = placeOf(ref, owner, hoisted)
      if (place === Place.Params || (anyOne && place === Place.Body)) return place
      if (place === Place.Body) found = place
    }
  }
  return found
}

/**
 * Is the path inside the owner, and as a value (not in a type, not in an action hoisted out already)? One walk up
 * its ancestors answers all three.
 */
function placeOf(path: NodePath, owner: NodePath, hoisted: HoistedActions | null): Place {
  let inType = false
  for (let child = path, current = path.parentPath; current; child = current, current = current.parentPath) {
    if (current === owner) {
      if (inType) return Place.Elsewhere
      return child.listKey === 'params' ? Place.Params : Place.Body
    }
    if (hoisted?.has(current)) return Place.Elsewhere
    const type = current.node?.type
    if (type?.startsWith('TS') && !TS_VALUE_WRAPPERS.has(type)) inType = true
  }
  return Place.Elsewhere
}

/**
 * The hoisted function declares one name per captured, copied and self variable, next to the module names its
 * code reads; captured names are also read at the site. Where two of these are different variables with one name
 * (a helper's `v` and the action's shadowing `v`), or a captured name is shadowed at the site, the variable is
 * renamed in the original code: a consistent rename keeps its meaning.
 */
function nameApart(fn: NodePath<t.Function>, self: Binding | null, captured: Set<Binding>, copied: Set<Binding>,
  freeNames: Set<string>): void {
  const site = fn.parentPath.scope
  const taken = new Set(freeNames)
  for (const binding of [...(self ? [self] : []), ...captured, ...copied]) {
    const name = binding.identifier.name
    if (taken.has(name) || (captured.has(binding) && site.getBinding(name) !== binding)) {
      const named = binding.path.isVariableDeclarator() ? binding.path.node.init : binding.path.node
      if (named && !sourceNames.has(named)) sourceNames.set(named, name)
      binding.scope.rename(name, binding.scope.generateUid(name))
    }
    taken.add(binding.identifier.name)
  }
}

/**
 * A function or class declared in an enclosing body and never reassigned: copy its code rather than its value.
 * Not another inline action that is still to be hoisted: that one becomes a server reference, a value that travels.
 */
function copyable(binding: Binding): boolean {
  // Babel counts a block-level function declaration as a violation of itself: only other assignments count.
  if (binding.constantViolations.some((violation) => violation !== binding.path)) return false
  const path = binding.path
  const definition = path.isVariableDeclarator() && path.get('id').isIdentifier() ? path.get('init') : path
  if (!definition.isFunctionDeclaration() && !definition.isClassDeclaration() && !definition.isArrowFunctionExpression() &&
    !definition.isFunctionExpression() && !definition.isClassExpression()) return false
  return !(definition.isFunction() && isInlineAction(definition.node))
}

function isInlineAction(node: t.Function): boolean {
  return node.body.type === 'BlockStatement' && node.body.directives.some((d) => d.value.value === 'use server')
}

/** The innermost scope around the owner: an enum or namespace declaration is no scope of its own, a function is. */
function outerScope(owner: NodePath): Binding['scope'] | undefined {
  return owner.scope.path === owner ? owner.scope.parent : owner.scope
}

/**
 * Does the owner read the enum or namespace `name` of an enclosing block (not one of its own, not a local that
 * shadows it, not in a type)? Then its declarations are copied, and what they read is collected in turn.
 */
function readsTsValue(state: Collected, owner: NodePath, outer: Binding['scope'] | undefined, name: string): boolean {
  const home = tsValueScope(outer, name)
  if (!home) return false
  const declarations = tsValueDeclarations(home).get(name)!
  if (declarations.includes(owner as TsValueDeclaration)) return false
  const found: TsRead = { name, home, owner, hoisted: state.hoisted, place: Place.Elsewhere }
  owner.traverse(tsReadVisitor, found)
  if (found.place === Place.Elsewhere) return false
  if (found.place === Place.Params && owner === state.fn) state.paramsUseCaptures = true
  for (const declaration of declarations) {
    if (state.copiedTs.has(declaration)) continue
    state.copiedTs.add(declaration)
    collect(state, declaration)
  }
  return true
}

interface TsRead { name: string, home: Binding['scope'], owner: NodePath, hoisted: HoistedActions, place: Place }

// Module-level, so that Babel prepares it once.
const tsReadVisitor: Visitor<TsRead> = {
  Identifier(path, read) {
    if (path.node.name !== read.name || !path.isReferencedIdentifier() || path.scope.getBinding(read.name)) return
    if (tsValueScope(path.scope, read.name) !== read.home) return
    const place = placeOf(path, read.owner, read.hoisted)
    if (place === Place.Elsewhere) return
    if (read.place !== Place.Params) read.place = place
    if (place === Place.Params) path.stop()
  },
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
