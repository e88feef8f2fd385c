// Declarations that an inline action depends on: function declaration actions keep their hoisting in every block
// (a switch is one block for all its cases), and TypeScript enums and namespaces it reads are there when it runs.
// Each runs the original and the output side by side, directly and over the wire.
import { describe, expect, it } from 'vitest'
import { expectSame, load, type Scenario } from './harness'

async function same<T>(source: string | Record<string, string>, scenario: Scenario<T>) {
  return expectSame(await load(source), scenario)
}

describe('function declaration actions keep their hoisting in every block', () => {
  it('in a switch case, used by another case (the switch is its block), also labeled and in a loop', async () => {
    const outcome = await same(`
      export function pick(kind) {
        switch (kind) {
          case 'first':
            return save
          default:
            async function save(x) { 'use server'; return kind + x }
        }
      }
      export function later(kind) {
        const found = []
        for (const k of [kind, 'other']) {
          choose: switch (k) {
            default:
              found.push(typeof act)
              break choose
            case 'act':
              async function act() { 'use server'; return k }
              found.push(act)
          }
        }
        return found
      }`, async (m, call) => {
      const [first, other] = m.later('act')
      return [await call(m.pick('first'), '!'), await call(first), other]
    })
    expect(outcome.value).toEqual(['first!', 'act', 'function'])
  })

  it('two in one switch, one capturing the other; one renamed because a case shadows its name (fuzz seeds 47, 489)', async () => {
    const outcome = await same(`
      export async function run(input) {
        const out = []
        switch (input % 3) {
          case 0:
            out.push(await first(1))
          case 1: {
            const { act: second } = { act: 'shadow' }
            out.push(second, await helper())
          }
          default:
            async function first(n, other = second) { 'use server'; return [n, await other(n + 1)] }
            function helper() { return second(5) }
          case 2:
            async function second(n) { 'use server'; return ['second', n, input] }
        }
        return out
      }`, async (m) => [await m.run(0), await m.run(1), await m.run(2)])
    expect(outcome.value).toEqual([
      [[1, ['second', 2, 0]], 'shadow', ['second', 5, 0]], ['shadow', ['second', 5, 1]], []])
  })

  it('in every block that can hold one: plain, if/else, loop body, try/catch/finally, nested function', async () => {
    const outcome = await same(`
      export function blocks(c) {
        const out = []
        {
          out.push(inBlock)
          async function inBlock() { 'use server'; return ['block', c] }
        }
        if (!c) {} else {
          out.push(inElse)
          async function inElse() { 'use server'; return ['else', c] }
        }
        for (let i = 0; i < 1; i++) {
          out.push(inLoop)
          async function inLoop() { 'use server'; return ['loop', c, i] }
        }
        try {
          out.push(inTry)
          async function inTry() { 'use server'; return ['try', c] }
          throw new Error('x')
        } catch (e) {
          out.push(inCatch)
          async function inCatch() { 'use server'; return ['catch', c, e.message] }
        } finally {
          out.push(inFinally)
          async function inFinally() { 'use server'; return ['finally', c] }
        }
        function nested() {
          return inNested
          async function inNested() { 'use server'; return ['nested', c] }
        }
        out.push(nested())
        return out
      }`, async (m, call) => Promise.all(m.blocks('c').map((act: any) => call(act))))
    expect((outcome.value as unknown[]).length).toBe(7)
  })

  it('one in a block, named like an outer binding that another action captures: the outer one is still captured', async () => {
    const outcome = await same(`
      export function Page(v) {
        const save = (x) => 'outer ' + x + v
        {
          async function save(y) { 'use server'; return 'inner ' + y + v }
          var inner = save
        }
        async function useOuter() { 'use server'; return save('z') }
        const useOuterLater = async () => { 'use server'; return save('w') }
        return [inner, useOuter, useOuterLater]
      }`, async (m, call) => Promise.all(m.Page('v').map((act: any) => call(act, 'y'))))
    expect(outcome.value).toEqual(['inner yv', 'outer zv', 'outer wv'])
  })
})

describe('TypeScript enums and namespaces declared around an action (issue 12, kind 3)', () => {
  it('an enum in a component, as in the report', async () => {
    const outcome = await same({
      'entry.ts': `
        export function Picker(v: string) {
          enum Color { Red = 'red', Blue = 'blue' }
          async function pick(x: string) { 'use server'; return Color.Red + ':' + v + ':' + x }
          return pick
        }`,
    }, (m, call) => call(m.Picker('v'), 'x'))
    expect(outcome.value).toBe('red:v:x')
  })

  it('numeric, merged and const enums, members computed from captured values, read in a default parameter', async () => {
    const outcome = await same({
      'entry.ts': `
        export function make(base: number, tag: string) {
          enum Size { Small = base, Large = Small * 10, Tag = tag.length }
          enum Size { Huge = 1000 }
          const enum Mode { On = 'on', Off = 'off' }
          return async (s: Size = Size.Large, m: Mode = Mode.Off) => {
            'use server'
            return [s, m, Size[Size.Small], Size.Tag, Size.Huge, Object.keys(Size).length]
          }
        }`,
    }, async (m, call) => [await call(m.make(2, 'abc')), await call(m.make(3, ''), 7, 'on')])
    expect(outcome.value).toEqual([[20, 'off', 'Small', 3, 1000, 8], [7, 'on', 'Small', 0, 1000, 8]])
  })

  it('a namespace with a function and a value, and an enum in a block, read through a copied helper', async () => {
    const outcome = await same({
      'entry.ts': `
        export function make(prefix: string, kind: number) {
          namespace Format {
            export const start = prefix + '['
            export function wrap(x: string): string { return start + x + ']' }
          }
          switch (kind) {
            case 1: {
              enum Unit { Px = 'px' }
              const unit = (n: number) => n + Unit.Px
              return async (n: number) => { 'use server'; return Format.wrap(unit(n)) }
            }
            default:
              return async () => { 'use server'; return Format.wrap('none') }
          }
        }`,
    }, async (m, call) => [await call(m.make('a', 1), 5), await call(m.make('b', 2))])
    expect(outcome.value).toEqual(['a[5px]', 'b[none]'])
  })

  it('a local or parameter named like the enum shadows it, and a type of that name is not a read', async () => {
    const outcome = await same({
      'entry.ts': `
        export function make(v: number) {
          enum Color { Red = 'red' }
          const shadow = async (Color: string) => { 'use server'; return Color + v }
          const typed = async (c: Color) => { 'use server'; const x: Color = c; return x }
          return [shadow, typed]
        }`,
    }, async (m, call) => { const [a, b] = m.make(1); return [await call(a, 'x'), await call(b, 'red')] })
    expect(outcome.value).toEqual(['x1', 'red'])
  })
})
