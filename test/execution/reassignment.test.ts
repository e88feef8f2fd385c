// A captured variable is sent as a snapshot, so it must not change once the action exists: such code is a build
// error. Assignments that all happen before the action is created (and per-iteration loop bindings) are fine.
import { describe, expect, it } from 'vitest'
import { buildError, expectSame, load } from './harness'

describe('build errors for a captured variable that changes', () => {
  const cases: Record<string, string> = {
    'assigned after creation': `
      export function make() {
        let v = 1
        const act = async () => { 'use server'; return v }
        v = 2
        return act
      }`,
    'updated after creation (++)': `
      export function make() {
        let v = 1
        const act = async () => { 'use server'; return v }
        v++
        return act
      }`,
    'assigned by destructuring after creation': `
      export function make() {
        let v = 1
        const act = async () => { 'use server'; return v }
        ;[v] = [2]
        return act
      }`,
    'assigned inside the action': `
      export function make() {
        let v = 1
        return async () => { 'use server'; v = v + 1; return v }
      }`,
    'assigned (never read) inside the action': `
      export function make() {
        let v = 1
        return async () => { 'use server'; v = 5 }
      }`,
    'assigned in a loop around it': `
      export function make(list) {
        let v = 0
        const actions = []
        for (const x of list) {
          v += x
          actions.push(async () => { 'use server'; return v })
        }
        return actions
      }`,
    'assigned in a while loop around it': `
      export function make() {
        let v = 0
        const actions = []
        while (v < 3) {
          actions.push(async () => { 'use server'; return v })
          v++
        }
        return actions
      }`,
    'a var loop counter (one binding for all rounds)': `
      export function make() {
        const actions = []
        for (var v = 0; v < 3; v++) actions.push(async () => { 'use server'; return v })
        return actions
      }`,
    'a let of the function, assigned in a nested loop (the loop is inside its scope)': `
      export function make(rows) {
        const actions = []
        for (const row of rows) {
          let v = 0
          for (const x of row) {
            v += x
            actions.push(async () => { 'use server'; return v })
          }
        }
        return actions
      }`,
    'a parameter assigned in a do-while loop around it': `
      export function make(v) {
        const actions = []
        do {
          v = v + 1
          actions.push(async () => { 'use server'; return v })
        } while (v < 3)
        return actions
      }`,
    'a var assigned in a labeled for-in loop inside an arrow': `
      export function make(obj) {
        return () => {
          var v
          const actions = []
          outer: for (const k in obj) {
            v = k
            actions.push(async () => { 'use server'; return v })
            if (k === 'b') break outer
          }
          return actions
        }
      }`,
    'a catch parameter assigned in a loop inside its catch block': `
      export function make(n) {
        try { throw 0 } catch (v) {
          const actions = []
          for (let i = 0; i < n; i++) {
            v = i
            actions.push(async () => { 'use server'; return v })
          }
          return actions
        }
      }`,
    'assigned inside another function': `
      export function make() {
        let v = 1
        const bump = () => { v = 2 }
        const act = async () => { 'use server'; return v }
        return [act, bump]
      }`,
  }
  for (const [what, source] of Object.entries(cases)) {
    it(what, () => {
      const error = buildError(source)
      expect(error.code).toBe('USE_SERVER_CAPTURED_REASSIGNED')
      expect(error.message).toContain('"v"')
    })
  }
})

describe('assignments that are allowed compile and behave', () => {
  it('a variable assigned before the action is created (`if (c) v = 2`)', async () => {
    const outcome = await expectSame(await load(`
      export function make(c) {
        let v = 1
        if (c) v = 2
        let w
        w = v * 10
        return async (x) => { 'use server'; return [v, w, x] }
      }`), async (m, call) => [await call(m.make(false), 'a'), await call(m.make(true), 'b')])
    expect(outcome.value).toEqual([[1, 10, 'a'], [2, 20, 'b']])
  })

  it('the counter of `for (let i = 0; …; i++)` (each round has its own i)', async () => {
    const outcome = await expectSame(await load(`
      export function make(n) {
        const actions = []
        for (let i = 0; i < n; i++) {
          let label = 'item'
          label += i
          actions.push(async () => { 'use server'; return label + ':' + i })
        }
        return actions
      }`), async (m, call) => Promise.all(m.make(3).map((act: any) => call(act))))
    expect(outcome.value).toEqual(['item0:0', 'item1:1', 'item2:2'])
  })

  // Every round of a loop outside the variable's own scope (a function called in it, a block inside it) makes a new
  // variable: assigned once before its action exists, the snapshot is exact.
  const fresh: Record<string, [string, (m: Record<string, any>, call: any) => Promise<unknown>]> = {
    'a var in an arrow created in a loop': [`
      export function Row(items) {
        const makers = []
        for (const item of items) {
          makers.push(() => {
            var label = item.name
            return async () => { 'use server'; return label }
          })
        }
        return makers
      }`, async (m, call) => Promise.all(m.Row([{ name: 'a' }, { name: 'b' }]).map((make: any) => call(make())))],
    'a parameter assigned before the action, in an arrow made and called in a loop': [`
      export function all(list) {
        const actions = []
        for (let i = 0; i < list.length; i++) {
          const make = (v) => {
            v = v.trim()
            return async () => { 'use server'; return v }
          }
          actions.push(make(list[i]))
        }
        return actions
      }`, async (m, call) => Promise.all(m.all([' a', 'b ']).map((act: any) => call(act)))],
    'a function declared inside a while loop': [`
      export function all(list) {
        const actions = []
        let i = 0
        while (i < list.length) {
          function make(v) {
            v += '!'
            return async () => { 'use server'; return v }
          }
          actions.push(make(list[i++]))
        }
        return actions
      }`, async (m, call) => Promise.all(m.all(['a', 'b']).map((act: any) => call(act)))],
    'a var inside an outer action, called in a loop': [`
      export function Page(names) {
        const outers = []
        for (const name of names) {
          outers.push(async () => {
            'use server'
            var label
            label = name + '?'
            return async () => { 'use server'; return label }
          })
        }
        return outers
      }`, async (m, call) => Promise.all(m.Page(['a', 'b']).map(async (outer: any) => call(await call(outer))))],
    'a let in a block inside a do-while loop': [`
      export function all(n) {
        const actions = []
        let i = 0
        do {
          {
            let v = 'x'
            v += i
            actions.push(async () => { 'use server'; return v })
          }
        } while (++i < n)
        return actions
      }`, async (m, call) => Promise.all(m.all(2).map((act: any) => call(act)))],
    'a catch parameter reassigned in a for-in loop with a label': [`
      export function all(obj) {
        const actions = []
        rounds: for (const k in obj) {
          try { throw new Error(k) } catch (e) {
            e = e.message + obj[k]
            actions.push(async () => { 'use server'; return e })
            continue rounds
          }
        }
        return actions
      }`, async (m, call) => Promise.all(m.all({ a: 1, b: 2 }).map((act: any) => call(act)))],
    'a for-of binding reassigned in its body': [`
      export function all(list) {
        const actions = []
        for (let x of list) {
          x = x.toUpperCase()
          actions.push(async () => { 'use server'; return x })
        }
        return actions
      }`, async (m, call) => Promise.all(m.all(['a', 'b']).map((act: any) => call(act)))],
  }
  for (const [what, [source, scenario]] of Object.entries(fresh)) {
    it(what, async () => {
      const outcome = await expectSame(await load(source), scenario)
      expect(outcome.error).toBeUndefined()
    })
  }
})
