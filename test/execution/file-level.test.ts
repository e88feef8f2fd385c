// File-level 'use server': every export keeps working, is registered (has a `$$id`) and is reachable over the wire
// under the name the metadata gives.
import { describe, expect, it } from 'vitest'
import { expectSame, load, type Loaded } from './harness'

/** Every function export of the transformed entry is a server reference listed in the metadata under its name. */
function expectRegistered(loaded: Loaded, file: string, names: string[]) {
  const actions = loaded.metadata[file]?.actions ?? []
  for (const name of names) {
    const fn = loaded.transformed[name]
    expect(typeof fn, name).toBe('function')
    expect(fn.$$typeof, name).toBe(Symbol.for('react.server.reference'))
    expect(actions.find((a) => a.name === name)?.id, name).toBe(fn.$$id)
  }
}

describe('the seed: createUser / fetchUsers with a db module', () => {
  const files = {
    'users.js': `'use server'
      import { db } from './db.mjs'
      export async function createUser(data) {
        const user = await db.user.create({ data })
        return user
      }
      export async function fetchUsers() {
        return db.user.findMany()
      }`,
    'db.js': `
      const rows = []
      export const db = {
        user: {
          async create({ data }) { const row = { id: rows.length + 1, ...data, createdAt: new Date(Date.UTC(2024, 0, rows.length + 1)) }; rows.push(row); return row },
          async findMany() { return rows.map((row) => ({ ...row })) },
        },
      }`,
  }

  it('creates and lists users, directly and over the wire', async () => {
    const loaded = await load(files)
    const outcome = await expectSame(loaded, async (m, call) => {
      const ada = await call(m.createUser, { name: 'Ada', tags: new Set(['admin']) })
      const bob = await call(m.createUser, { name: 'Bob 🐝', score: 10n })
      return { ada, bob, all: await call(m.fetchUsers) }
    })
    expect((outcome.value as any).all).toHaveLength(2)
    expectRegistered(loaded, 'users.js', ['createUser', 'fetchUsers'])
  })
})

describe('every export form', () => {
  const files = {
    'actions.js': `'use server'
      export async function declared(a) { return ['declared', a] }
      export const arrow = async (a) => ['arrow', a]
      export const first = async () => 'first', second = async function () { return 'second' }
      async function local(a) { return ['local', a] }
      export { local, local as alias, local as "string name" }
      export { shared as fromServerModule } from './other-actions.mjs'
      export { plainAsync as fromPlainModule } from './plain.mjs'
      export default async function named(a) { return ['default', a] }`,
    'other-actions.js': `'use server'
      export async function shared(a) { return ['shared', a] }`,
    'plain.js': `export async function plainAsync(a) { return ['plain', a] }`,
  }
  const names = ['declared', 'arrow', 'first', 'second', 'local', 'alias', 'string name', 'fromServerModule', 'fromPlainModule', 'default']

  it('each export is callable with the same result, directly and over the wire', async () => {
    const loaded = await load(files)
    const outcome = await expectSame(loaded, async (m, call) => {
      const results: Record<string, unknown> = {}
      for (const name of names) results[name] = await call(m[name], name)
      return results
    })
    expect(outcome.value).toMatchObject({ 'string name': ['local', 'string name'], fromPlainModule: ['plain', 'fromPlainModule'] })
  })

  it('each export is registered under its own name', async () => {
    const loaded = await load(files)
    expectRegistered(loaded, 'actions.js', names)
    expect(new Set(names.map((n) => loaded.transformed[n].$$id)).size).toBe(names.length)
    expect(Object.keys(loaded.transformed).sort()).toEqual(Object.keys(loaded.original).sort())
  })

  it('default exports: anonymous function and arrow', async () => {
    for (const source of [
      `'use server'\nexport default async function (a) { return ['anonymous', a] }`,
      `'use server'\nexport default async (a) => ['arrow', a]`,
    ]) {
      const loaded = await load({ 'default.js': source })
      await expectSame(loaded, (m, call) => call(m.default, 1))
      expectRegistered(loaded, 'default.js', ['default'])
      expect(loaded.transformed.default.name).toBe('default')
    }
  })

  it('a TypeScript file: types are not exports, functions keep working', async () => {
    const loaded = await load({
      'typed.ts': `'use server'
        export type Input = { n: number }
        export interface Output { doubled: number }
        export async function double({ n }: Input): Promise<Output> { return { doubled: (n as number) * 2 } }
        export const negate = async <T extends number>(n: T): Promise<number> => -n`,
    })
    const outcome = await expectSame(loaded, async (m, call) => [await call(m.double, { n: 4 }), await call(m.negate, 0)])
    expect(outcome.value).toEqual([{ doubled: 8 }, -0])
    expectRegistered(loaded, 'typed.ts', ['double', 'negate'])
  })
})

describe('exports whose value is only known at runtime', () => {
  const factory = (returns: string) => ({
    'made.js': `'use server'
      import { makeAction } from './factory.mjs'
      export const made = makeAction()`,
    'factory.js': `export function makeAction() { return ${returns} }`,
  })

  it('a factory that returns an async function: registered and callable', async () => {
    const loaded = await load(factory('async (x) => ["made", x]'))
    await expectSame(loaded, (m, call) => call(m.made, 1))
    expectRegistered(loaded, 'made.js', ['made'])
  })

  it('a factory that returns a non-function: loading the module fails with a clear error', async () => {
    const loading = load(factory('42'))
    await expect(loading).rejects.toThrow('USE_SERVER_NOT_A_FUNCTION')
    await expect(loading).rejects.toThrow('"made"')
  })
})
