// The Vite plugin, built for real: Vite's JS API with a client and an 'rsc' environment, and Rollup's JS API (server
// and client builds, and a rebuild served by Rollup's cache). Babel is the one the leg selects (7 or 8), wrapped to
// record which files enter it.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { rollup } from 'rollup'
import { describe, expect, it } from 'vitest'
import { buildClientAndRsc, external } from './build.ts'
import useServer, { type BabelCore } from '../../../src/integrations/vite.ts'
import { createRequire } from 'node:module'
import { babel } from '../../support/babel'
import { dist, makeProject } from '../support'

function spyBabel(root: string) {
  const files: string[] = []
  const core: BabelCore = {
    version: babel.version,
    transformAsync(code, options) {
      files.push(path.relative(root, options.filename as string).split(path.sep).join('/'))
      return babel.transformAsync(code, options) as ReturnType<BabelCore['transformAsync']>
    },
  }
  return { core, files }
}

type Manifest = { version: 1; actions: Record<string, { module: string; export: string; kind: string }> }
const entriesOf = (m: Manifest) => Object.values(m.actions).map((e) => `${e.module}#${e.export}:${e.kind}`).sort()

describe('vite integration (Vite environments)', () => {
  it('transforms per environment, only files with a directive enter Babel, the rsc build emits the manifest', async () => {
    const project = makeProject('vite', {
      'src/actions.ts': `'use server'\nexport async function save(name: string): Promise<string> { return 'saved ' + name }\n`,
      'src/util.ts': `export const twice = (n: number): number => n * 2\n`,
      'src/server-entry.ts': [
        `import { twice } from './util'`,
        `export { save } from './actions'`,
        `export function makeAction(factor: number) {`,
        `  return async function scale(n: number) {`,
        `    'use server'`,
        `    return twice(n) * factor`,
        `  }`,
        `}`,
      ].join('\n'),
      'src/Button.tsx': `import { save } from './actions'\nexport const Button = () => <button onClick={() => save('x')}>save</button>\n`,
      'src/client-entry.tsx': `import { Button } from './Button'\nimport { twice } from './util'\nexport { Button, twice }\n`,
    })
    const spy = spyBabel(project)
    const plugin = useServer({ babelCore: spy.core })
    await buildClientAndRsc(project, plugin)

    // actions.ts in both environments, server-entry.ts (inline action) only where it is imported; never util/Button.
    expect(spy.files.sort()).toEqual(['src/actions.ts', 'src/actions.ts', 'src/server-entry.ts'])

    const rscManifest = path.join(project, 'dist/rsc/use-server-manifest.json')
    const manifest = JSON.parse(fs.readFileSync(rscManifest, 'utf8')) as Manifest
    expect(entriesOf(manifest)).toEqual(['src/actions.ts#save:export', expect.stringMatching(/^src\/server-entry\.ts#.+:inline$/)])
    expect(fs.existsSync(path.join(project, 'dist/client/use-server-manifest.json'))).toBe(false)
    expect(plugin.api.manifests.get('rsc')?.actions).toEqual(manifest.actions)
    expect([...plugin.api.metadata('rsc').values()].map((m) => m.file).sort()).toEqual(['src/actions.ts', 'src/server-entry.ts'])

    // Client output: a stub with the manifest's ID, none of the server code.
    const saveId = Object.keys(manifest.actions).find((id) => manifest.actions[id].export === 'save')!
    const clientDir = path.join(project, 'dist/client')
    const client = fs.readdirSync(clientDir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(clientDir, f), 'utf8')).join('\n')
    expect(client).toContain(saveId)
    expect(client).toContain('createServerReference')
    expect(client).not.toContain('saved ')

    // Server output runs: references carry the manifest's IDs.
    const rscDir = path.join(project, 'dist/rsc')
    const entry = fs.readdirSync(rscDir).find((f) => /\.m?js$/.test(f))!
    const server = await import(pathToFileURL(path.join(rscDir, entry)).href)
    expect(server.save.$$id).toBe(saveId)
    expect(await server.save('y')).toBe('saved y')
    const scale = server.makeAction(3)
    expect(manifest.actions[scale.$$id]?.kind).toBe('inline')
    expect(await scale(2)).toBe(12)
  })

  it('maps environments as configured (ssr → client when an rsc environment exists; false leaves one alone)', async () => {
    const plugin = useServer({ environments: { edge: 'server', legacy: false } })
    plugin.configResolved({ root: '/p', environments: { rsc: {}, ssr: {}, client: {} } })
    const kinds: Record<string, unknown> = {}
    for (const [name, consumer] of [['rsc', 'server'], ['ssr', 'server'], ['client', 'client'], ['edge', 'client'], ['legacy', 'server'], ['worker', 'server']] as const) {
      const ctx = { environment: { name, config: { consumer } }, emitFile: () => '', warn() {} }
      // A file without a directive is never considered; one with a directive but in a `false` environment neither.
      kinds[name] = await plugin.transform.handler.call(ctx, `export const x = 1`, '/p/x.js')
    }
    expect(Object.values(kinds).every((v) => v === null)).toBe(true)
    const code = `'use server'\nexport async function f() {}\n`
    const out = async (name: string, consumer: 'server' | 'client') => {
      const ctx = { environment: { name, config: { consumer } }, emitFile: () => '', warn() {} }
      const plugin2 = useServer({ environments: { edge: 'server', legacy: false }, babelCore: babel as unknown as BabelCore })
      plugin2.configResolved({ root: '/p', environments: { rsc: {}, ssr: {}, client: {} } })
      const result = await plugin2.transform.handler.call(ctx, code, '/p/x.js')
      if (!result) return 'untouched'
      return result.code.includes('registerServerReference') ? 'server' : 'client'
    }
    expect(await out('rsc', 'server')).toBe('server')
    expect(await out('ssr', 'server')).toBe('client')
    expect(await out('client', 'client')).toBe('client')
    expect(await out('edge', 'client')).toBe('server')
    expect(await out('legacy', 'server')).toBe('untouched')
    expect(await out('worker', 'server')).toBe('server')
  })
})

describe('rollup integration', () => {
  const files = {
    'src/actions.js': `'use server'\nexport async function save(x) { return 'saved ' + x }\nexport async function drop(x) { return 'dropped ' + x }\n`,
    'src/util.js': `export const add = (a, b) => a + b\n`,
    'src/client.js': `import { add } from './util.js'\nexport { save } from './actions.js'\nexport { add }\n`,
    'src/main.js': `import { add } from './util.js'\nexport { save, drop } from './actions.js'\nexport function counter(start) {\n  return async function inc(n) {\n    'use server'\n    return add(start, n)\n  }\n}\n`,
  }

  async function build(project: string, environment: 'server' | 'client', cache?: unknown) {
    const spy = spyBabel(project)
    const bundle = await rollup({
      input: path.join(project, environment === 'server' ? 'src/main.js' : 'src/client.js'),
      external,
      cache: cache as never,
      plugins: [useServer({ environment, babelCore: spy.core, plugin: { root: project } }) as never],
    })
    const { output } = await bundle.generate({ format: 'es' })
    await bundle.close()
    const asset = output.find((o) => o.fileName === 'use-server-manifest.json')
    const chunk = output.find((o) => o.type === 'chunk')!
    return {
      files: spy.files.sort(),
      manifest: asset && asset.type === 'asset' ? (JSON.parse(String(asset.source)) as Manifest) : null,
      code: chunk.type === 'chunk' ? chunk.code : '',
      cache: bundle.cache,
    }
  }

  it('server build emits the manifest; client build gets stubs and no manifest; a cached rebuild keeps every entry', async () => {
    const project = makeProject('rollup', files)
    const server = await build(project, 'server')
    expect(server.files).toEqual(['src/actions.js', 'src/main.js'])
    expect(entriesOf(server.manifest!)).toEqual([
      'src/actions.js#drop:export', 'src/actions.js#save:export', expect.stringMatching(/^src\/main\.js#.+:inline$/),
    ])

    const client = await build(project, 'client')
    expect(client.manifest).toBeNull()
    expect(client.files).toEqual(['src/actions.js'])
    const saveId = Object.keys(server.manifest!.actions).find((id) => server.manifest!.actions[id].export === 'save')!
    expect(client.code).toContain(`createServerReference("${saveId}"`)
    expect(client.code).toContain('createServerReference')
    expect(client.code).not.toContain('saved ')

    // Rollup's cache serves every module: Babel does not run, the manifest comes from the output markers.
    const cached = await build(project, 'server', server.cache)
    expect(cached.files).toEqual([])
    expect(cached.manifest).toEqual(server.manifest)

    // main.js loses its inline directive: its entry is gone, actions.js's stay (from the cache).
    fs.writeFileSync(path.join(project, 'src/main.js'), files['src/main.js'].replace("    'use server'\n", ''))
    const edited = await build(project, 'server', cached.cache)
    expect(edited.files).toEqual([])
    expect(entriesOf(edited.manifest!)).toEqual(['src/actions.js#drop:export', 'src/actions.js#save:export'])
  })
})

describe('vite integration, published builds', () => {
  it('finds @babel/core in the project by itself, from the ES and the CommonJS build', async () => {
    const project = makeProject('rollup-dist', {
      'src/actions.js': `'use server'\nexport async function ping() { return 'pong' }\n`,
    })
    const esm = (await import(pathToFileURL(dist('esm', 'integrations', 'vite.js')).href)).default as typeof useServer
    const cjs = createRequire(import.meta.url)(dist('cjs', 'integrations', 'vite.js')).default as typeof useServer
    for (const factory of [esm, cjs]) {
      const bundle = await rollup({
        input: path.join(project, 'src/actions.js'),
        external,
        plugins: [factory({ environment: 'server', plugin: { root: project } }) as never],
      })
      const { output } = await bundle.generate({ format: 'es' })
      await bundle.close()
      const asset = output.find((o) => o.fileName === 'use-server-manifest.json')
      expect(asset?.type === 'asset' && entriesOf(JSON.parse(String(asset.source)))).toEqual(['src/actions.js#ping:export'])
    }
  })
})
