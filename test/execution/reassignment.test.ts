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
})
