// A 'use server' module that also exports types: each way a name can be a type only is left to TypeScript in the
// server build (the output loads; `getItems` works directly and over the wire; only it is registered), in the client
// build (no stub for the type) and in the import-site stubs' reader of server modules (an importer of the type gets
// no stub and no "unknown export" error). The fixture file-level/type-exports holds all the forms in one file.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import plugin from '../../src/index.ts'
import { babel } from '../support/babel'
import { expectSame, load, projectRoot } from './harness'

const types = `export interface Item { id: number }
export default interface Cursor { after: string }
export {}`

const getItems = `export async function getItems(page?: number): Promise<Item[]> { return [{ id: page ?? 1 }] }`

/** [title, the module's declarations and exports of the type, the name the type is exported under]. */
const cases: [string, string, string][] = [
  ['`import type` then `export { }`', `import type { Item } from './types.mjs'\nexport { Item }`, 'Item'],
  ['`import { type }` then `export { }`', `import { type Item } from './types.mjs'\nexport { Item }`, 'Item'],
  ['a default `import type`', `import type Item from './types.mjs'\nexport { Item }`, 'Item'],
  ['a namespace `import type`', `import type * as Types from './types.mjs'\ntype Item = Types.Item\nexport { Types }`, 'Types'],
  ['an interface', `interface Item { id: number }\nexport { Item }`, 'Item'],
  ['a type alias, renamed', `type Item = { id: number }\nexport { Item as Row }`, 'Row'],
  ['an interface as the default export', `interface Item { id: number }\nexport default Item`, 'default'],
  ['`declare const`', `type Item = { id: number }\ndeclare const Item: Item\nexport { Item }`, 'Item'],
  ['`declare function`', `type Item = { id: number }\ndeclare function Item(): Item\nexport { Item }`, 'Item'],
  ['`declare class`', `declare class Item { id: number }\nexport { Item }`, 'Item'],
  ['`declare enum`', `type Item = { id: number }\ndeclare enum Kind { A }\nexport { Kind }`, 'Kind'],
  ['`declare const enum`', `type Item = { id: number }\ndeclare const enum Kind { A }\nexport { Kind }`, 'Kind'],
  ['`declare namespace`', `type Item = { id: number }\ndeclare namespace Env { const name: string }\nexport { Env }`, 'Env'],
  ['a namespace that holds types only', `namespace Models { export interface Item { id: number } }\ntype Item = Models.Item\nexport { Models }`, 'Models'],
  ['an exported dotted namespace that holds types only', `export namespace Models.Rows { export interface Item { id: number } }\ntype Item = Models.Rows.Item`, 'Models'],
  ['`export declare const`', `type Item = { id: number }\nexport declare const limit: number`, 'limit'],
  ['`export declare class`', `export declare class Item { id: number }`, 'Item'],
  ['`export declare enum`', `type Item = { id: number }\nexport declare enum Kind { A }`, 'Kind'],
  ['`export namespace` of types', `export namespace Models { export interface Item { id: number } }\ntype Item = Models.Item`, 'Models'],
  ['overload signatures', `type Item = { id: number }\nexport async function load(): Promise<void>\nexport async function load(x?: number): Promise<void> {}\nexport declare function Item(): Item`, 'Item'],
  ['`export type { }` and `export { type }`', `type Item = { id: number }\ntype Other = Item\nexport type { Item }\nexport { type Other }`, 'Other'],
]

function transform(code: string, filename: string, environment: 'server' | 'client', extra: object = {}) {
  const result = babel.transformSync(code, {
    filename, babelrc: false, configFile: false, sourceType: 'module', parserOpts: { plugins: ['typescript'] },
    plugins: [[plugin, { environment, root: path.dirname(filename), ...extra }]],
  })!
  return { code: result.code!, actions: (result.metadata as { useServer?: { actions: { name: string; id: string }[] } }).useServer?.actions ?? [] }
}

const temp = fs.mkdtempSync(path.join(projectRoot, '.cache', 'type-exports-'))
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }))

describe('types exported from a \'use server\' module', () => {
  it.each(cases)('%s: the server output loads, getItems works, only it is registered', async (_, declarations, exported) => {
    const loaded = await load({ 'actions.ts': `'use server'\n${declarations}\n${getItems}\n`, 'types.ts': types })
    const outcome = await expectSame(loaded, (m, call) => call(m.getItems, 2))
    expect(outcome.value).toEqual([{ id: 2 }])
    expect(loaded.metadata['actions.ts']!.actions.map((a) => a.name)).toEqual(
      declarations.includes('function load(x') ? ['load', 'getItems'] : ['getItems'])
    // The same exports as the original (Babel itself leaves `export let Models` for an exported namespace of types).
    expect(Object.keys(loaded.transformed).sort()).toEqual(Object.keys(loaded.original).sort())
    expect(loaded.transformed[exported]?.$$typeof).toBeUndefined()
  })

  it.each(cases)('%s: the client build has no stub for the type', (_, declarations, exported) => {
    const file = path.join(temp, 'client', 'actions.ts')
    const { code, actions } = transform(`'use server'\n${declarations}\n${getItems}\n`, file, 'client')
    expect(actions.map((a) => a.name)).not.toContain(exported)
    expect(code).toContain('"getItems"')
    expect(code).not.toContain(`"${exported}"`)
  })

  it.each(cases)('%s: an importer of the type gets no stub for it (import-site stubs)', (_, declarations, exported) => {
    const dir = fs.mkdtempSync(path.join(temp, 'stubs-'))
    const server = `'use server'\n${declarations}\n${getItems}\n`
    fs.writeFileSync(path.join(dir, 'actions.ts'), server)
    const specifier = exported === 'default' ? 'Thing, { getItems }' : `{ getItems, ${exported} }`
    const page = `import ${specifier} from './actions'\nexport const items = getItems()\n`
    const { code } = transform(page, path.join(dir, 'page.ts'), 'client', { importStubs: true })
    const serverIds = Object.fromEntries(transform(server, path.join(dir, 'actions.ts'), 'server').actions.map((a) => [a.name, a.id]))
    expect(code).toContain(`_createServerReference("${serverIds.getItems}"`)
    expect(code).not.toContain(`"${exported}"`)
    expect(code).not.toContain('./actions')
  })

  it('`export import` of a type-only namespace member is a type (TypeScript rejects it under isolatedModules)', () => {
    // Not executed: Babel's TypeScript plugin itself turns it into `export var Row = Models.Row`.
    const source = `'use server'\nnamespace Models { export interface Row { id: number } }\nexport import Row = Models.Row\n${getItems.replace('Item[]', 'Row[]')}\n`
    for (const environment of ['server', 'client'] as const) {
      const { actions, code } = transform(source, path.join(temp, 'alias', 'actions.ts'), environment)
      expect(actions.map((a) => a.name)).toEqual(['getItems'])
      expect(code).not.toMatch(/"Row"/)
    }
  })
})
