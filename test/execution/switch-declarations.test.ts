// Function declaration actions in a `switch` whose const cannot simply go before the switch statement (issue 12,
// kind 4): the switch is the body of an `if`, a loop or a label; the action's name is bound around the switch; the
// action captures the switch's own variables. In each, another case uses the function before its own case runs,
// as in the original, where the switch's block is entered with the function ready. Original and output side by
// side, directly and over the wire.
import { describe, expect, it } from 'vitest'
import { expectSame, load, type Call, type Scenario } from './harness'

async function same<T>(source: string | Record<string, string>, scenario: Scenario<T>) {
  return expectSame(await load(source), scenario)
}

/** Calls each action, with its `name`. */
const callAll = (call: Call, actions: any[], ...args: unknown[]) =>
  Promise.all(actions.map(async (act) => [act.name, await call(act, ...args)]))

describe('a braceless switch: the body of an if, a loop or a label', () => {
  it('if, for, while, do, for…of and a labeled switch in a loop, each read from a case before the declaring one', async () => {
    const outcome = await same(`
      export function braceless(kind) {
        const out = []
        if (kind) switch (kind) {
          case 'early': out.push(inIf); break
          default: async function inIf(x) { 'use server'; return ['if', kind, x] }
        }
        for (let i = 0; i < 2; i++) switch (i) {
          case 0: out.push(inFor); break
          case 1: async function inFor(x) { 'use server'; return ['for', i, x] }
        }
        let n = 0
        while (n++ < 1) switch (n) {
          case 1: out.push(inWhile); break
          default: async function inWhile(x) { 'use server'; return ['while', kind, x] }
        }
        do switch (kind) {
          case 'early': out.push(inDo); break
          default: async function inDo(x) { 'use server'; return ['do', kind, x] }
        } while (false)
        for (const k of [kind]) switch (k) {
          case 'early': out.push(inForOf); break
          default: async function inForOf(x) { 'use server'; return ['for-of', k, x] }
        }
        for (const k of [kind, 'late']) picking: switch (k) {
          case 'early': out.push(labeled); break picking
          case 'late': async function labeled(x) { 'use server'; return ['label', k, x] }
        }
        return out
      }`, async (m, call) => callAll(call, m.braceless('early'), '!'))
    expect(outcome.value).toEqual([
      ['inIf', ['if', 'early', '!']], ['inFor', ['for', 0, '!']], ['inWhile', ['while', 'early', '!']],
      ['inDo', ['do', 'early', '!']], ['inForOf', ['for-of', 'early', '!']], ['labeled', ['label', 'early', '!']],
    ])
  })

  it('one function per entry of the switch, the same one within an entry, as in the original', async () => {
    const outcome = await same(`
      export function entries(kinds) {
        const seen = []
        for (const kind of kinds) switch (kind) {
          case 'a': seen.push(act, act); break
          default: async function act() { 'use server'; return kind }
        }
        return seen
      }`, async (m, call) => {
      const [a1, a2, b1, b2] = m.entries(['a', 'a'])
      return [a1 === a2, b1 === b2, a1 === b1, a1.name, typeof a1, await call(a1), await call(b2)]
    })
    expect(outcome.value).toEqual([true, true, false, 'act', 'function', 'a', 'a'])
  })
})

describe('case tests', () => {
  it('a case test that reads the function sees it made, as every case test runs after the switch is entered', async () => {
    const outcome = await same(`
      export function tested(kind) {
        if (kind) switch (kind) {
          case typeof act === 'function' && act.name === 'act' ? 'ready' : 'missing':
            return ['ready', act]
          case 'missing':
            return ['missing']
          default:
            async function act() { 'use server'; return kind }
        }
      }`, async (m, call) => { const [seen, act] = m.tested('ready'); return [seen, await call(act)] })
    expect(outcome.value).toEqual(['ready', 'ready'])
  })
})

describe('the name is bound around the switch', () => {
  it('a parameter, an outer const, a module binding and a global read elsewhere, also in the discriminant', async () => {
    const outcome = await same(`
      const moduleSave = 'module'
      export function param(save, kind) {
        switch (save) {
          case 'first': return [save.name, typeof save, save]
          default: async function save(x) { 'use server'; return [kind, x] }
        }
      }
      export function outer(kind) {
        const save = 'outer'
        const out = [save]
        switch (save + kind) {
          case 'outerfirst': out.push(save); break
          default: async function save(x) { 'use server'; return ['inner', kind, x] }
        }
        out.push(save)
        return out
      }
      export function shadowsModule(kind) {
        switch (kind) {
          case 'first': return [moduleSave]
          default: async function moduleSave() { 'use server'; return kind }
        }
      }
      export function global(kind) {
        const before = typeof globalThis.save
        switch (kind) {
          case 'first': return [before, save]
          default: async function save() { 'use server'; return ['global', kind] }
        }
      }`, async (m, call) => {
      const [name, type, fromParam] = m.param('first', 'k')
      const [before, inner, after] = m.outer('first')
      const [fromModule] = m.shadowsModule('first')
      const [globalType, fromGlobal] = m.global('first')
      return [name, type, await call(fromParam, 1), before, await call(inner, 2), after,
        await call(fromModule), fromModule.name, globalType, await call(fromGlobal)]
    })
    expect(outcome.value).toEqual(['save', 'function', ['k', 1], 'outer', ['inner', 'first', 2], 'outer',
      'first', 'moduleSave', 'undefined', ['global', 'first']])
  })
})

describe('the action captures variables of the switch itself', () => {
  it('a const, a let and a class of another case, set before the function is called', async () => {
    const outcome = await same(`
      export function local(kind, n) {
        switch (kind) {
          case 'first':
            const label = 'L' + n
            let count = n * 2
            class Box { constructor(v) { this.v = [label, v] } }
            return [save, typeof Box]
          default:
            async function save(x) { 'use server'; return [label, count, new Box(x).v] }
        }
      }`, async (m, call) => {
      const [save, type] = m.local('first', 3)
      return [save.name, type, await call(save, 'x')]
    })
    expect(outcome.value).toEqual(['save', 'function', ['L3', 6, ['L3', 'x']]])
  })

  it('default in the middle, an async generator, and another action that captures the function', async () => {
    const outcome = await same(`
      export function middle(kind) {
        switch (kind) {
          case 'a':
            const prefix = kind + ':'
            return [stream, async () => { 'use server'; return [await first(1), typeof stream] }]
          default:
            async function first(n) { 'use server'; return prefix + n }
          case 'b':
            async function* stream(times) { 'use server'; for (let i = 0; i < times; i++) yield prefix + i }
        }
      }`, async (m, call) => {
      const [stream, other] = m.middle('a')
      const seen = []
      for await (const value of await call(stream, 2) as AsyncIterable<string>) seen.push(value)
      return [stream.name, seen, await call(other)]
    })
    expect(outcome.value).toEqual(['stream', ['a:0', 'a:1'], ['a:1', 'function']])
  })

  it('nested switches: the inner action captures a const of each', async () => {
    const outcome = await same(`
      export function nested(a, b) {
        switch (a) {
          case 1:
            const outer = 'outer' + a
            switch (b) {
              case 2:
                const inner = 'inner' + b
                return act
              default:
                async function act() { 'use server'; return [outer, inner] }
            }
        }
      }`, async (m, call) => call(m.nested(1, 2)))
    expect(outcome.value).toEqual(['outer1', 'inner2'])
  })
})

describe('called before a const it captures is set', () => {
  // In the original, the function's body meets the TDZ: an async function rejects, an async generator rejects on its
  // first next(); the call itself returns. (Directly only: such a reference cannot be sent, its values cannot be read.)
  it('returns a rejected promise or a generator that rejects, as the original does', async () => {
    const outcome = await expectSame(await load(`
      export function early(kind) {
        switch (kind) {
          case 'a': {
            const pending = save(1)
            const stream = lines()
            return { returned: true, pending, stream }
          }
          default:
            const v = 1
            async function save(x) { 'use server'; return v + x }
            async function* lines() { 'use server'; yield v }
        }
      }`), async (m) => {
      const { returned, pending, stream } = m.early('a')
      const reason = (e: Error) => [e.constructor.name, e.message]
      return [returned, await pending.catch(reason), await stream.next().catch(reason)]
    }, ['direct'])
    expect(outcome.value).toEqual([true, ['ReferenceError', "Cannot access 'v' before initialization"],
      ['ReferenceError', "Cannot access 'v' before initialization"]])
  })
})

describe('inside an outer inline action', () => {
  it('braceless, shadowing a parameter of the outer action, and capturing a case const', async () => {
    const outcome = await same(`
      export function make(tag) {
        return async function outer(save, kind) {
          'use server'
          const out = []
          if (kind) switch (kind) {
            case 'a':
              const v = tag + kind
              out.push(await save(1), await other(2), typeof save)
              break
            default:
              async function save(x) { 'use server'; return [v, x] }
              async function other(x) { 'use server'; return [tag, x] }
          }
          out.push(save)
          return out
        }
      }`, async (m, call) => call(m.make('t'), 'param', 'a'))
    expect(outcome.value).toEqual([['ta', 1], ['t', 2], 'function', 'param'])
  })

  it('a module variable of the same name, read by the outer action around the switch and by an action beside it', async () => {
    const outcome = await same(`
      const save = 'module'
      export function make(tag) {
        return async function outer(kind) {
          'use server'
          const out = [save]
          switch (kind) {
            case 'a':
              const v = tag + kind
              out.push(await save(1), save.name, await other())
              break
            default:
              async function save(x) { 'use server'; return [v, x] }
              async function other() { 'use server'; return [save.name, tag] }
          }
          out.push(save)
          return out
        }
      }
      export function beside(kind) {
        const read = async () => { 'use server'; return save }
        switch (kind) {
          case 1: return [save, read]
          default: async function save() { 'use server'; return kind }
        }
      }`, async (m, call) => {
      const [save, read] = m.beside(1)
      return [await call(m.make('t'), 'a'), await call(save), await call(read)]
    })
    expect(outcome.value).toEqual([['module', ['ta', 1], 'save', ['save', 't'], 'module'], 1, 'module'])
  })
})
