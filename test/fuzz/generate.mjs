// Generator of random VALID programs with inline 'use server' actions, for differential fuzzing.
//
// A program is a module exporting `async function run(input)`: nested blocks and functions, shadowing,
// destructuring and default parameters, loops with per-iteration bindings, local helper functions (declared before
// or after their use, after `return`, bounded recursion), closures over closures, actions inside actions and
// inside helpers, and captured values of many types. `run` returns `[out, data]` where `out` collects values (and
// actions) pushed along the way.
//
// Validity rules (what the plugin accepts by design):
//  - a `let` is only reassigned in the block that declares it, and only while no other function has referenced it
//    (any reference from a nested function "freezes" it), so no captured variable changes after an action exists;
//  - function declarations are generated when their block starts (they are hoisted), with only what is visible then;
//    a block that holds such declarations declares no names that shadow outer ones (their bodies would see them);
//  - calls between helpers/actions only go to functions generated earlier (or to themselves, with a counter that
//    decreases), so every program terminates;
//  - nothing throws on purpose: every operation is applied to a value of the type it expects.
import { createRandom } from './prng.mjs'

export const DEFAULT_SIZE = { statements: 7, depth: 3 }

const NAME_BASES = ['a', 'b', 'x', 'y', 'val', 'item', 'tmp', 'π', 'ñame', '变量', '$v', '_u', 'data', 'ctx']
const PARAM_NAMES = ['n', 'k', 'a', 'x', 'val', 'item', 'π']
const DATA_TYPES = ['num', 'str', 'big', 'date', 'map', 'set', 'arr', 'obj', 'null', 'undef', 'bool']

const LITERALS = {
  num: ['0', '-0', '1', '42', '-7.5', 'NaN', 'Infinity', '-Infinity', '1e21', '(0.1 + 0.2)', 'Number.MAX_SAFE_INTEGER', '5e-324'],
  str: ["''", "'héllo'", "'日本語テキスト'", "'emoji 😀👍🏽'", "'a\\nb\\tc'", "'quote\\'s \"dq\"'", "'$1'", "'$$'", "'$@0'",
    "'use server'", "'\\u0000nul'", "'${x}'", "'</script>'", "'ü'.normalize('NFD')", "'x'.repeat(300)"],
  big: ['0n', '-12n', '12345678901234567890123n', '(2n ** 64n)'],
  date: ['new Date(0)', 'new Date(1700000000000)', "new Date('2024-02-29T12:34:56.789Z')", 'new Date(-1)', 'new Date(8.64e15)'],
  null: ['null'],
  undef: ['undefined', 'void 0'],
  bool: ['true', 'false'],
}
const OBJECT_KEYS = ['k', 'ü', "'a b'", '0', "'$key'", 'value', "'__proto__x'"]

class Scope {
  constructor(parent, fn, { block = true } = {}) {
    this.parent = parent
    this.fn = fn
    this.vars = new Map()
    this.block = block
    /** No new name here may shadow an outer one (hoisted function declarations of this block see outer names). */
    this.noShadow = false
    /** Outer names used from here (or from inside): declaring them here would change what those uses see. */
    this.blocked = new Set()
  }
  lookupAll() {
    const seen = new Map()
    for (let s = this; s; s = s.parent) for (const [name, v] of s.vars) if (!seen.has(name)) seen.set(name, v)
    return [...seen.values()]
  }
}

export function generateProgram(seed, size = DEFAULT_SIZE) {
  const r = createRandom(seed)
  let uid = 0
  const budget = { statements: size.statements * 4, actions: 0 }

  const fresh = (base) => `${base ?? r.pick(NAME_BASES)}${uid++}`

  // --- names ---------------------------------------------------------------------------------------------------
  function newName(scope, preferShadow = 0.3) {
    if (!scope.noShadow && r.chance(preferShadow)) {
      const outer = scope.parent
        ? scope.parent.lookupAll().filter((v) => v.type !== 'counter').map((v) => v.name)
          .filter((n) => !scope.vars.has(n) && !scope.blocked.has(n))
        : []
      if (outer.length) return r.pick(outer)
    }
    return fresh()
  }
  /** Hides outer `name` while the initializer of a shadowing declaration is generated (it would be in its TDZ). */
  function reserve(scope, name) {
    return declare(scope, name, { type: 'counter', kind: 'reserved' })
  }
  function declare(scope, name, info) {
    const v = { name, frozen: false, scope, fn: scope.fn, ...info }
    scope.vars.set(name, v)
    return v
  }
  /** Marks a use of `v` from the current function: a use from another function freezes a `let`. */
  function use(ctx, v) {
    if (v.fn !== ctx.fn) v.frozen = true
    for (let s = ctx.scope; s && s !== v.scope; s = s.parent) s.blocked.add(v.name)
    return v.name
  }

  // --- expressions ------------------------------------------------------------------------------------------------
  function visible(ctx, pred) {
    return ctx.scope.lookupAll().filter(pred)
  }
  // An alias of an action is only data: calling it could be a call of a function that is being generated.
  const alias = (type) => (type === 'action' ? 'any' : type)
  const isData = (v) => v.type !== 'helper' && v.type !== 'action' && v.type !== 'counter'

  function literal(ctx, type, depth) {
    switch (type) {
      case 'map': return `new Map([${list(2, () => `[${r.pick(['1', "'k'", '-0', '2n', 'null'])}, ${value(ctx, depth - 1).code}]`)}])`
      case 'set': return `new Set([${list(3, () => value(ctx, depth - 1).code)}])`
      case 'arr': return `[${list(3, () => value(ctx, depth - 1).code)}]`
      case 'obj': {
        const keys = [...new Set(list(3, () => r.pick(OBJECT_KEYS)).split(', ').filter(Boolean))]
        return `{ ${keys.map((k) => `${k}: ${value(ctx, depth - 1).code}`).join(', ')} }`
      }
      default: return r.pick(LITERALS[type])
    }
  }
  function list(max, make) {
    const n = r.int(max + 1)
    return Array.from({ length: n }, make).join(', ')
  }

  /** An operation on a variable of a known type, still of a known type. */
  function derived(ctx, v) {
    const n = use(ctx, v)
    const ops = {
      num: [[`(${n} + 1)`, 'num'], [`(${n} * 2)`, 'num'], [`Object.is(${n}, -0)`, 'bool'], [`Math.max(${n}, 3)`, 'num'], [`String(${n})`, 'str']],
      str: [[`${n}.length`, 'num'], [`(${n} + '!')`, 'str'], [`${n}.toUpperCase()`, 'str'], [`[...${n}].reverse().join('')`, 'str']],
      big: [[`(${n} * 3n)`, 'big'], [`String(${n})`, 'str'], [`(${n} > 0n)`, 'bool']],
      date: [[`${n}.getTime()`, 'num'], [`new Date(${n}.getTime() - 1)`, 'date']],
      map: [[`${n}.size`, 'num'], [`[...${n}.entries()]`, 'arr'], [`new Map(${n})`, 'map']],
      set: [[`${n}.size`, 'num'], [`[...${n}]`, 'arr'], [`${n}.has(1)`, 'bool']],
      arr: [[`${n}.length`, 'num'], [`${n}.slice(0, 1)`, 'arr'], [`[...${n}, ${n}.length]`, 'arr']],
      obj: [[`Object.keys(${n})`, 'arr'], [`{ ...${n}, extra: 1 }`, 'obj']],
      null: [[`(${n} ?? 'fallback')`, 'str']],
      undef: [[`(${n} ?? 0)`, 'num'], [`typeof ${n}`, 'str']],
      bool: [[`!${n}`, 'bool'], [`(${n} ? 1 : 2)`, 'num']],
      any: [[`[${n}]`, 'arr']],
    }[v.type]
    const [code, type] = r.pick(ops)
    return { code, type }
  }

  function value(ctx, depth = 2) {
    const dataVars = visible(ctx, isData)
    // A function being generated is not called from inside itself (only through its bounded self-call).
    const helpers = ctx.noCalls ? [] : visible(ctx, (v) => v.type === 'helper' && !v.busy)
    const actions = visible(ctx, (v) => v.type === 'action')
    const callable = ctx.noCalls ? [] : actions.filter((v) => !v.busy)
    const choice = r.weighted([
      [dataVars.length ? 5 : 0, 'var'],
      [dataVars.length ? 3 : 0, 'derived'],
      [helpers.length && depth > 0 ? 2 : 0, 'helper'],
      [actions.length ? 2 : 0, 'action'],
      [callable.length && ctx.async && depth > 0 ? 2 : 0, 'call'],
      [3, 'literal'],
      [depth > 0 ? 2 : 0, 'compound'],
    ])
    switch (choice) {
      case 'var': { const v = r.pick(dataVars); return { code: use(ctx, v), type: v.type } }
      case 'derived': return derived(ctx, r.pick(dataVars))
      case 'helper': { const h = r.pick(helpers); return { code: `${use(ctx, h)}(${r.int(3)})`, type: 'any' } }
      case 'action': { const a = r.pick(actions); return { code: use(ctx, a), type: 'action' } }
      case 'call': { const a = r.pick(callable); return { code: `(await ${use(ctx, a)}(${r.int(2)}))`, type: 'any' } }
      case 'compound': { const type = r.pick(['map', 'set', 'arr', 'obj']); return { code: literal(ctx, type, depth), type } }
      default: { const type = r.pick(['num', 'str', 'big', 'date', 'null', 'undef', 'bool']); return { code: literal(ctx, type, depth), type } }
    }
  }
  /** A value of `type` (for reassignments and loops). */
  function valueOf(ctx, type, depth = 1) {
    if (type === 'any' || type === 'action') return value(ctx, depth).code
    const same = visible(ctx, (v) => v.type === type)
    if (same.length && r.chance(0.4)) return use(ctx, r.pick(same))
    return literal(ctx, type, depth)
  }
  const data = (ctx) => `[${Array.from({ length: 1 + r.int(3) }, () => value(ctx).code).join(', ')}]`

  // --- functions --------------------------------------------------------------------------------------------------
  /** Parameters (first one numeric: the call counter), declared into `bodyScope`. */
  function params(fn, bodyScope, { counter }) {
    const out = []
    const declaredHere = (name, type) => declare(bodyScope, name, { type, kind: 'param' })
    const first = counter
    declaredHere(first, 'num')
    out.push(first)
    const extra = r.int(3)
    for (let i = 0; i < extra; i++) {
      const form = r.pick(['default', 'default', 'object', 'array'])
      // Default values are evaluated in the parameter scope: only outer names and earlier parameters.
      const paramCtx = { scope: bodyScope, fn, async: false, pushOut: false, noCalls: true }
      if (form === 'default') {
        const name = pickParamName(bodyScope)
        reserve(bodyScope, name)
        const v = value(paramCtx, 1)
        out.push(`${name} = ${v.code}`)
        declaredHere(name, alias(v.type))
      } else if (form === 'object') {
        const a = pickParamName(bodyScope), b = pickParamName(bodyScope, a)
        reserve(bodyScope, a); reserve(bodyScope, b)
        const va = value(paramCtx, 1), vb = value(paramCtx, 1)
        out.push(`{ ${a} = ${va.code}, q: ${b} = ${vb.code} } = {}`)
        declaredHere(a, alias(va.type)); declaredHere(b, alias(vb.type))
      } else {
        const a = pickParamName(bodyScope)
        reserve(bodyScope, a)
        const va = value(paramCtx, 1)
        out.push(`[${a} = ${va.code}] = []`)
        declaredHere(a, alias(va.type))
      }
    }
    return out.join(', ')
  }
  function pickParamName(scope, not) {
    for (let i = 0; i < 5; i++) {
      const name = r.chance(0.5) ? r.pick(PARAM_NAMES) : fresh()
      if (!scope.vars.has(name) && !scope.blocked.has(name) && name !== not) return name
    }
    return fresh()
  }

  /** A function body: statements then `return <data>`, optionally with a bounded self-call first. */
  function body(fnCtx, selfCall, depth) {
    const lines = []
    if (selfCall) lines.push(selfCall)
    lines.push(...block(fnCtx, depth - 1, { functionBody: true, scope: fnCtx.scope, finalReturn: () => `return ${data(fnCtx)}` }))
    return lines
  }

  /** Generates an action; returns { code (an expression, or a declaration when form is 'declaration'), name }. */
  function action(ctx, depth, form, bindingName) {
    budget.actions++
    const fn = { kind: 'action' }
    const bodyScope = new Scope(ctx.scope, fn)
    const fnCtx = { scope: bodyScope, fn, async: true, pushOut: false, inLoop: false }
    let selfName = null
    if (form === 'declaration' || form === 'const-arrow' || form === 'const-function') selfName = bindingName
    if (form === 'named-expression') selfName = fresh('inner')
    const counter = pickParamName(bodyScope)
    for (const name of [selfName, bindingName]) if (name) bodyScope.blocked.add(name)
    if (selfName && selfName !== bindingName) declare(bodyScope, selfName, { type: 'action', kind: 'self', busy: true })
    const ps = params(fn, bodyScope, { counter })
    const self = selfName && r.chance(0.5) ? `if (${counter} > 0) return [${counter}, await ${selfName}(${counter} - 1)]` : null
    const lines = ["'use server'", ...body(fnCtx, self, depth)]
    const text = indent(lines)
    switch (form) {
      case 'declaration': return `async function ${bindingName}(${ps}) {\n${text}\n}`
      case 'const-arrow': return `async (${ps}) => {\n${text}\n}`
      case 'const-function': return `async function (${ps}) {\n${text}\n}`
      case 'named-expression': return `async function ${selfName}(${ps}) {\n${text}\n}`
      case 'method': {
        const key = r.pick(['m', "'mé thod'", 'run'])
        return `({ async ${key}(${ps}) {\n${text}\n} })${key.startsWith("'") ? `[${key}]` : `.${key}`}`
      }
      case 'static': return `(class { static async m(${ps}) {\n${text}\n} }).m`
      default: throw new Error(form)
    }
  }

  function helper(ctx, depth, form, bindingName) {
    const fn = { kind: 'helper' }
    const bodyScope = new Scope(ctx.scope, fn)
    const fnCtx = { scope: bodyScope, fn, async: false, pushOut: false, inLoop: false }
    const counter = pickParamName(bodyScope)
    bodyScope.blocked.add(bindingName)
    const ps = params(fn, bodyScope, { counter })
    const self = r.chance(0.4) ? `if (${counter} > 0) return [${counter}, ${bindingName}(${counter} - 1)]` : null
    const text = indent(body(fnCtx, self, depth))
    return form === 'declaration' ? `function ${bindingName}(${ps}) {\n${text}\n}` : `(${ps}) => {\n${text}\n}`
  }

  // --- statements -------------------------------------------------------------------------------------------------
  /**
   * The statements of one block. Function declarations are generated first (they are hoisted) and placed at random
   * positions, or after the final `return` of a function body.
   */
  function block(ctx, depth, { functionBody = false, finalReturn = null, scope = null } = {}) {
    const own = scope ?? new Scope(ctx.scope, ctx.fn)
    const here = { ...ctx, scope: own }
    const hoisted = functionDeclarations(here, depth, 0.35)
    const lines = []
    const count = Math.max(1, r.int(size.statements + 1))
    for (let i = 0; i < count && (budget.statements > 0 || (ctx.fn.kind === 'run' && i < 2)); i++) {
      budget.statements--
      lines.push(statement(here, depth).join('\n')) // one entry per statement: declarations go between them
    }
    if (finalReturn) lines.push(finalReturn())
    for (const { code } of hoisted) {
      // After the return (still hoisted), or anywhere before it.
      let at = functionBody && r.chance(0.4) ? lines.length : r.int(lines.length - (finalReturn ? 1 : 0) + 1)
      lines.splice(at, 0, code)
    }
    return lines
  }

  /** Function declarations of the block `ctx.scope` (generated first, as they are hoisted), as { code } entries. */
  function functionDeclarations(ctx, depth, chance, shadowChance = 0) {
    const hoisted = []
    const nDecls = depth > 0 && r.chance(chance) ? 1 + r.int(2) : 0
    if (nDecls) ctx.scope.noShadow = true
    for (let i = 0; i < nDecls; i++) {
      // An outer name no code generated so far here has used: inside the block it is the function.
      const outer = r.chance(shadowChance) ? ctx.scope.parent.lookupAll()
        .filter((v) => v.type !== 'counter' && !ctx.scope.vars.has(v.name) && !ctx.scope.blocked.has(v.name)) : []
      const name = outer.length ? r.pick(outer).name : fresh(r.pick(['f', 'act', 'helper', 'fn']))
      const isAction = r.chance(0.55)
      // Declared before the body is generated: recursion sees it; earlier siblings don't.
      const v = declare(ctx.scope, name, { type: isAction ? 'action' : 'helper', kind: 'function', busy: true })
      const code = isAction ? action(ctx, depth, 'declaration', name) : helper(ctx, depth, 'declaration', name)
      hoisted.push({ code })
      v.busy = false
    }
    return hoisted
  }

  /**
   * A switch: one scope for all its cases, whose function declarations (hoisted to the switch's start) go in any
   * case and are used from any case, and may take the name of an outer variable. Each case's other statements are in
   * a block of their own, so that no case meets a `let` of a case it skipped; only the case a constant discriminant
   * matches may start with a `const` of the switch's own scope, which those functions can capture (no code that runs
   * meets it uninitialised). The switch may be the body of an `if`, a loop that runs once, or a label.
   */
  function switchStatement(ctx, depth) {
    const own = new Scope(ctx.scope, ctx.fn)
    const here = { ...ctx, scope: own }
    const input = ctx.scope.lookupAll().find((v) => v.name === 'input')
    const constant = r.int(3)
    const discriminant = input?.kind === 'param' && ctx.fn.kind === 'run' && r.chance(0.7) ? `${use(ctx, input)} % 3` : `${constant}`
    const labels = r.pick([['case 0', 'case 1', 'default'], ['default', 'case 1', 'case 2'], ['case 1', 'default'], ['default']])
    const matched = discriminant === `${constant}`
      ? (labels.includes(`case ${constant}`) ? `case ${constant}` : labels.includes('default') ? 'default' : null) : null
    const switchConst = matched && r.chance(0.6) ? fresh('sw') : null
    const switchConstLine = switchConst ? [`const ${switchConst} = ${(() => {
      const v = value(here)
      declare(own, switchConst, { type: alias(v.type), kind: 'const' })
      return v.code
    })()}`] : []
    const hoisted = functionDeclarations(here, depth, 0.8, 0.3)
    const clauses = labels.map((label) => ({ label, lines: [...(label === matched ? switchConstLine : []), `{`, indent(block(here, depth - 1)), '}'], ends: r.chance(0.7) }))
    for (const { code } of hoisted) r.pick(clauses).lines.push(code)
    const [before, after] = r.weighted([[4, ['', '']], [1, ['if (1 > 0) ', '']], [1, [`${fresh('label')}: `, '']],
      [1, ['for (const once of [0]) ', '']], [1, ['do ', ' while (false)']]])
    return [before + 'switch (' + discriminant + ') {', indent(clauses.flatMap(({ label, lines, ends }) =>
      [`${label}:`, indent(ends ? [...lines, 'break'] : lines)])), '}' + after]
  }

  function statement(ctx, depth) {
    const lets = ctx.scope.vars.size ? [...ctx.scope.vars.values()].filter((v) => v.kind === 'let' && !v.frozen) : []
    const kind = r.weighted([
      [4, 'const'], [2, 'let'], [lets.length ? 3 : 0, 'reassign'], [2, 'destructure'],
      [depth > 0 ? (budget.actions < 14 ? 5 : 1) : 0, 'action'], [depth > 0 ? 2 : 0, 'helper'],
      [depth > 0 ? 1 : 0, 'block'], [depth > 0 ? 2 : 0, 'if'], [depth > 0 ? 2 : 0, 'for-let'], [depth > 0 ? 2 : 0, 'for-of'],
      [depth > 0 ? 1 : 0, 'while'], [depth > 0 ? 1 : 0, 'switch'], [ctx.pushOut ? 4 : 0, 'push'],
    ])
    switch (kind) {
      case 'const': case 'let': {
        const name = newName(ctx.scope)
        reserve(ctx.scope, name)
        const v = value(ctx)
        declare(ctx.scope, name, { type: alias(v.type), kind })
        return [`${kind} ${name} = ${v.code}`]
      }
      case 'reassign': {
        const v = r.pick(lets)
        return [`${v.name} = ${valueOf(ctx, v.type)}`]
      }
      case 'destructure': {
        const na = newName(ctx.scope); reserve(ctx.scope, na)
        const nb2 = newName(ctx.scope); reserve(ctx.scope, nb2)
        const nc = newName(ctx.scope); reserve(ctx.scope, nc)
        const a = value(ctx), b = value(ctx), d = value(ctx)
        declare(ctx.scope, na, { type: alias(a.type), kind: 'const' })
        declare(ctx.scope, nb2, { type: alias(d.type), kind: 'const' }) // the default is used: `missing` is absent
        declare(ctx.scope, nc, { type: alias(b.type), kind: 'const' })
        return r.chance(0.5)
          ? [`const { p: ${na}, missing: ${nb2} = ${d.code}, r: [${nc}] } = { p: ${a.code}, r: [${b.code}] }`]
          : [`const [${na}, [${nc}] = [${b.code}], ${nb2} = ${d.code}] = [${a.code}]`]
      }
      case 'action': {
        const form = r.pick(['const-arrow', 'const-arrow', 'const-function', 'named-expression', 'method', 'static'])
        const name = newName(ctx.scope)
        reserve(ctx.scope, name)
        const code = action(ctx, depth, form, name)
        declare(ctx.scope, name, { type: 'action', kind: 'const' })
        return [`const ${name} = ${code}`]
      }
      case 'helper': {
        const name = newName(ctx.scope)
        reserve(ctx.scope, name)
        const code = helper(ctx, depth, 'arrow', name)
        declare(ctx.scope, name, { type: 'helper', kind: 'const' })
        return [`const ${name} = ${code}`]
      }
      case 'block': return ['{', indent(block(ctx, depth - 1)), '}']
      case 'if': {
        const input = ctx.scope.lookupAll().find((v) => v.name === 'input')
        const cond = input?.kind === 'param' && ctx.fn.kind === 'run' && r.chance(0.6)
          ? `${use(ctx, input)} ${r.pick(['> 1', '< 0'])}` : r.pick(['true', 'false', '1 > 0'])
        const lines = [`if (${cond}) {`, indent(block(ctx, depth - 1)), '}']
        if (r.chance(0.5)) lines.push('else {', indent(block(ctx, depth - 1)), '}')
        return lines
      }
      case 'for-let': {
        const loopScope = new Scope(ctx.scope, ctx.fn)
        const i = newName(loopScope, 0.2)
        declare(loopScope, i, { type: 'num', kind: 'loop' })
        const inner = { ...ctx, scope: loopScope, inLoop: true }
        return [`for (let ${i} = 0; ${i} < ${1 + r.int(3)}; ${i}++) {`, indent(block(inner, depth - 1)), '}']
      }
      case 'for-of': {
        const type = r.pick(DATA_TYPES)
        const loopScope = new Scope(ctx.scope, ctx.fn)
        const x = newName(loopScope, 0.2)
        reserve(loopScope, x)
        const items = Array.from({ length: 1 + r.int(3) }, () => valueOf({ ...ctx, scope: loopScope }, type))
        declare(loopScope, x, { type, kind: 'loop' })
        const inner = { ...ctx, scope: loopScope, inLoop: true }
        const pattern = r.chance(0.3) ? `const [${x}] of [${items.map((it) => `[${it}]`).join(', ')}]` : `const ${x} of [${items.join(', ')}]`
        return [`for (${pattern}) {`, indent(block(inner, depth - 1)), '}']
      }
      case 'while': {
        const counter = fresh('count')
        declare(ctx.scope, counter, { type: 'counter', kind: 'let' }).frozen = true
        const loopScope = new Scope(ctx.scope, ctx.fn)
        const v = fresh('step')
        declare(loopScope, v, { type: 'num', kind: 'const' })
        const inner = { ...ctx, scope: loopScope, inLoop: true }
        return [`let ${counter} = 0`, `while (${counter} < ${1 + r.int(2)}) {`,
          indent([`const ${v} = ${counter}`, `${counter}++`, ...block(inner, depth - 1, { scope: loopScope })]), '}']
      }
      case 'switch': return switchStatement(ctx, depth)
      case 'push': return [`out.push(${value(ctx).code})`]
    }
    throw new Error(kind)
  }


  // --- the module -------------------------------------------------------------------------------------------------
  const moduleFn = { kind: 'module' }
  const moduleScope = new Scope(null, moduleFn)
  const moduleCtx = { scope: moduleScope, fn: moduleFn, async: false, pushOut: false }
  const prologue = []
  // Module-level values and a module-level action: never captured (they are on the server already).
  for (let i = 0; i < r.int(3); i++) {
    const v = value(moduleCtx, 1)
    const name = fresh('mod')
    declare(moduleScope, name, { type: v.type, kind: 'const' })
    prologue.push(`const ${name} = ${v.code}`)
  }
  if (r.chance(0.4)) {
    const name = fresh('topAction')
    prologue.push(`const ${name} = ${action(moduleCtx, 1, 'const-arrow', name)}`)
    declare(moduleScope, name, { type: 'action', kind: 'const' })
  }
  const runFn = { kind: 'run' }
  const runScope = new Scope(moduleScope, runFn)
  declare(runScope, 'input', { type: 'num', kind: 'param' })
  runScope.vars.set('out', { name: 'out', type: 'counter', kind: 'const', scope: runScope, fn: runFn }) // not in the pool
  const runCtx = { scope: runScope, fn: runFn, async: true, pushOut: true }
  const runBody = block(runCtx, size.depth, { functionBody: true, scope: runScope, finalReturn: () => `return [out, ${data(runCtx)}]` })
  return [...prologue, 'export async function run(input) {', indent(['const out = []', ...runBody]), '}', ''].join('\n')
}

function indent(lines) {
  return lines.join('\n').split('\n').map((l) => '  ' + l).join('\n')
}
