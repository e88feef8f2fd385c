// The Vite/Rollup plugin with the Babel plugin's `importStubs`: in a client environment, modules without a directive
// that import a 'use server' module are transformed too; the client chunk holds stubs (the server build's IDs) and
// none of the server code; the server modules become watch files of their importers, and Rollup's cache transforms
// an unchanged importer again when a server module it imports changed.
import fs from 'node:fs'
import path from 'node:path'
import { rollup } from 'rollup'
import { describe, expect, it } from 'vitest'
import { buildClientAndRsc, external } from './build.ts'
import { actionId } from '../../../src/ids.ts'
import useServer, { type BabelCore } from '../../../src/integrations/vite.ts'
import { babel } from '../../support/babel'
import { makeProject } from '../support'

const SQL = 'SELECT secret_column FROM users_4f2a'
type Manifest = { version: 1; actions: Record<string, { module: string; export: string; kind: string }> }
const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/')

function spyBabel(root: string) {
  const files: string[] = []
  const core: BabelCore = {
    version: babel.version,
    transformAsync(code, options) {
      files.push(rel(root, options.filename as string))
      return babel.transformAsync(code, options) as ReturnType<BabelCore['transformAsync']>
    },
  }
  return { core, files }
}

/** The plugin, with its transform's `this.addWatchFile` calls recorded (per environment) and passed on. */
function watching(plugin: ReturnType<typeof useServer>, root: string) {
  const watched = new Map<string, string[]>()
  const handler = plugin.transform.handler
  const spied = {
    ...plugin,
    transform: {
      filter: plugin.transform.filter,
      handler(this: any, code: string, id: string, options?: { ssr?: boolean }) {
        const context = this
        const env = context.environment?.name ?? 'default'
        const proxy = new Proxy(context, {
          get(target, key) {
            if (key === 'addWatchFile') {
              return (file: string) => {
                watched.set(env, [...(watched.get(env) ?? []), `${rel(root, id)} -> ${rel(root, file)}`])
                target.addWatchFile(file)
              }
            }
            const value = Reflect.get(target, key)
            return typeof value === 'function' ? value.bind(target) : value
          },
        })
        return handler.call(proxy, code, id, options)
      },
    },
  }
  return { spied, watched }
}

describe('vite integration with importStubs', () => {
  it('client chunk: stubs with the rsc build IDs, no server code; the server module is a watch file of its importer', async () => {
    const project = makeProject('vite-stubs', {
      'src/actions.ts': `'use server'\nconst db = { query: async (sql: string) => [sql] }\nexport async function listUsers(): Promise<unknown> { return db.query("${SQL}") }\n`,
      'src/util.ts': `export const twice = (n: number): number => n * 2\n`,
      'src/List.tsx': `import { listUsers } from './actions'\nexport const List = () => <button onClick={() => listUsers()}>list</button>\n`,
      'src/client-entry.tsx': `export { List } from './List'\nexport { twice } from './util'\n`,
      'src/server-entry.ts': `export { listUsers } from './actions'\n`,
    })
    const spy = spyBabel(project)
    const { spied, watched } = watching(useServer({ babelCore: spy.core, plugin: { importStubs: true } }), project)
    await buildClientAndRsc(project, spied)

    // Client: every module with an import or re-export enters Babel (util.ts has none); actions.ts never enters the
    // client graph. rsc: only actions.ts (the scan), as without importStubs.
    expect(spy.files.sort()).toEqual(['src/List.tsx', 'src/actions.ts', 'src/client-entry.tsx'])
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'dist/rsc/use-server-manifest.json'), 'utf8')) as Manifest
    const listId = Object.keys(manifest.actions).find((id) => manifest.actions[id].export === 'listUsers')!
    expect(listId).toBe(actionId('', 'src/actions.ts', 'listUsers'))

    const clientDir = path.join(project, 'dist/client')
    const client = fs.readdirSync(clientDir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(clientDir, f), 'utf8')).join('\n')
    expect(client).toContain(`createServerReference("${listId}"`)
    for (const secret of [SQL, 'db.query', 'actions']) expect(client).not.toContain(secret)

    // (Also the packages the files import, e.g. React's JSX runtime: any import may be a 'use server' module.)
    expect(watched.get('client')?.filter((line) => !line.includes('node_modules')).sort()).toEqual([
      'src/List.tsx -> src/actions.ts',
      'src/client-entry.tsx -> src/List.tsx',
      'src/client-entry.tsx -> src/util.ts',
    ])
    expect(watched.get('rsc')).toBeUndefined()
  })
})

describe('rollup integration with importStubs', () => {
  const files = {
    'src/actions.js': `'use server'\nexport async function save(x) { return 'saved ' + x }\n`,
    'src/util.js': `export const add = (a, b) => a + b\n`,
    // Not edited below: its output must follow actions.js.
    'src/client.js': `export * from './actions.js'\nexport { add } from './util.js'\n`,
  }

  async function build(project: string, cache?: unknown) {
    const spy = spyBabel(project)
    const bundle = await rollup({
      input: path.join(project, 'src/client.js'),
      external,
      cache: cache as never,
      plugins: [useServer({ environment: 'client', babelCore: spy.core, plugin: { root: project, importStubs: true } }) as never],
    })
    const { output } = await bundle.generate({ format: 'es' })
    await bundle.close()
    return { files: spy.files.sort(), code: output[0].code, watchFiles: bundle.watchFiles.map((f) => rel(project, f)).sort(), cache: bundle.cache }
  }

  it('stubs in the client chunk, watch files, and a cached rebuild that follows an edited server module', async () => {
    const project = makeProject('rollup-stubs', files)
    const cold = await build(project)
    expect(cold.files).toEqual(['src/client.js'])
    expect(cold.code).toContain(`createServerReference("${actionId('', 'src/actions.js', 'save')}"`)
    expect(cold.code).not.toContain('saved ')
    expect(cold.watchFiles).toEqual(['src/actions.js', 'src/client.js', 'src/util.js'])

    // Rollup's cache serves client.js while nothing it read changed.
    const cached = await build(project, cold.cache)
    expect(cached.files).toEqual([])
    expect(cached.code).toBe(cold.code)

    // actions.js gains an export: the unchanged client.js is transformed again, with the new stub.
    fs.writeFileSync(path.join(project, 'src/actions.js'), files['src/actions.js'] + `export async function drop(x) { return 'dropped ' + x }\n`)
    const added = await build(project, cached.cache)
    expect(added.files).toEqual(['src/client.js'])
    expect(added.code).toContain(`createServerReference("${actionId('', 'src/actions.js', 'drop')}"`)

    // actions.js loses its directive: client.js re-exports the real module, bundled.
    fs.writeFileSync(path.join(project, 'src/actions.js'), `export async function save(x) { return 'saved ' + x }\n`)
    const removed = await build(project, added.cache)
    expect(removed.files).toEqual(['src/client.js'])
    expect(removed.code).not.toContain('createServerReference')
    expect(removed.code).toContain('saved ')
  })
})
