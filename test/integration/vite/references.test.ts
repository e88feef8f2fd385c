// babel-plugin-use-server/references: a server build (Vite with minification, Rollup with code splitting) can run
// every action of its manifest, including those of a module only client code imports and inline actions; the
// directive warnings of Rollup and Vite are not printed for the files the plugin handled.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { rollup } from 'rollup'
import { createBuilder, createLogger } from 'vite'
import { describe, expect, it } from 'vitest'
import useServer from '../../../src/integrations/vite.ts'
import { EXIT_FAILURE, runCli } from '../../../src/manifest/run-cli.ts'
import { babel, presetTypescript } from '../../support/babel'
import { babelCore } from './build'
import { makeProject } from '../support'

const files = {
  'src/actions.ts': `'use server'\nexport async function save(name: string) { return 'saved ' + name }\nexport default async function remove(id: number) { return 'removed ' + id }\n`,
  'src/only-client.ts': `'use server'\nexport async function shout(text: string) { return text.toUpperCase() }\n`,
  'src/page.ts': `export function makeScale(factor: number) {\n  return async function scale(n: number) {\n    'use server'\n    return n * factor\n  }\n}\n`,
  'src/server.ts': `import { save } from './actions'\nexport { makeScale } from './page'\nexport { manifest, loadModule, loadServerAction } from 'babel-plugin-use-server/references'\nexport const direct = () => save('direct')\n`,
  'src/client.ts': `import { save } from './actions'\nimport { shout } from './only-client'\nexport const run = () => Promise.all([save('x'), shout('y')])\n`,
  // Not under src/: the plugin's scan option leaves it out.
  'scripts/tool.ts': `'use server'\nexport async function unrelated() {}\n`,
}
type Manifest = { version: 1; actions: Record<string, { module: string; export: string; kind: string }> }

/** Every action of the emitted manifest, loaded through the built references module and called. */
async function callEveryAction(entryFile: string, manifestFile: string) {
  const server = await import(pathToFileURL(entryFile).href)
  const emitted = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest
  expect(server.manifest).toEqual(emitted)
  const byExport: Record<string, unknown> = {}
  for (const [id, entry] of Object.entries(emitted.actions)) {
    const fn = await server.loadServerAction(id)
    expect(fn.$$id).toBe(id)
    byExport[`${entry.module}#${entry.export.replace(/^_\$\$action_/, '')}`] = fn
  }
  expect(Object.keys(byExport).sort()).toEqual(['src/actions.ts#default', 'src/actions.ts#save', 'src/only-client.ts#shout', 'src/page.ts#scale'])
  expect(await (byExport['src/only-client.ts#shout'] as any)('hi')).toBe('HI')
  expect(await (byExport['src/actions.ts#default'] as any)(3)).toBe('removed 3')
  // The inline action's module is the one the server imports: the reference it makes has the manifest's ID.
  expect(emitted.actions[server.makeScale(2).$$id]?.kind).toBe('inline')
  expect(await server.direct()).toBe('saved direct')
  await expect(server.loadServerAction('nope')).rejects.toMatchObject({ code: 'USE_SERVER_UNKNOWN_ACTION' })
}

describe('babel-plugin-use-server/references', () => {
  it('Vite (client + ssr, minified): the server build runs every action, none of the directive warnings printed', async () => {
    const project = makeProject('vite-refs', files)
    const warnings: string[] = []
    const logger = createLogger('warn')
    logger.warn = (message) => { warnings.push(message) }
    const external = [/^react/, 'babel-plugin-use-server/server']
    const builder = await createBuilder({
      root: project,
      configFile: false,
      customLogger: logger,
      // Every action, also those the client bundle does not use (only-referenced.test.ts leaves those out).
      plugins: [useServer({ babelCore, scan: ['src'], onlyReferenced: false })],
      environments: {
        client: { build: { outDir: 'dist/client', minify: true, rollupOptions: { input: 'src/client.ts', external } } },
        ssr: { build: { outDir: 'dist/server', minify: true, rollupOptions: { input: 'src/server.ts', external } } },
      },
      builder: {},
    })
    await builder.buildApp()
    expect(warnings.join('\n')).not.toMatch(/directive|dynamic import will not move/i)
    const serverDir = path.join(project, 'dist/server')
    // Each module only reached through the references module is a chunk of its own.
    expect(fs.readdirSync(path.join(serverDir, 'assets')).some((f) => f.startsWith('only-client'))).toBe(true)
    await callEveryAction(path.join(serverDir, 'server.js'), path.join(serverDir, 'use-server-manifest.json'))
    // The manifest CLI cannot read this output (no markers survive), and says so instead of printing a smaller one.
    let stderr = ''
    expect(runCli([serverDir], { stdout: () => {}, stderr: (text) => { stderr += text } })).toBe(EXIT_FAILURE)
    expect(stderr).toMatch(/USE_SERVER_UNREADABLE_OUTPUT[\s\S]*only-client-\w+\.js: 1 action ID/)
  })

  it('Rollup (a server build alone, code splitting): the same, with no directive warning', async () => {
    const project = makeProject('rollup-refs', files)
    const warnings: string[] = []
    const bundle = await rollup({
      input: path.join(project, 'src/server.ts'),
      external: [/^react/, 'babel-plugin-use-server/server'],
      onwarn: (warning) => { warnings.push(`${warning.code}: ${warning.message}`) },
      plugins: [useServer({ environment: 'server', babelCore, scan: ['src'], plugin: { root: project } }) as never, typescriptImports(project)],
    })
    await bundle.write({ dir: path.join(project, 'dist'), format: 'es' })
    await bundle.close()
    expect(warnings).toEqual([])
    await callEveryAction(path.join(project, 'dist/server.js'), path.join(project, 'dist/use-server-manifest.json'))
  })

  it('is a build error in a client build', async () => {
    const project = makeProject('rollup-refs-client', { 'src/client.js': `import { manifest } from 'babel-plugin-use-server/references'\nexport { manifest }\n` })
    const build = rollup({ input: path.join(project, 'src/client.js'), plugins: [useServer({ environment: 'client', babelCore }) as never] })
    await expect(build).rejects.toThrow(/babel-plugin-use-server\/references is for server builds/)
  })
})

/** Rollup alone does not resolve `./actions` to `actions.ts` nor strip types: a minimal stand-in for the test. */
function typescriptImports(project: string) {
  return {
    name: 'ts-imports',
    resolveId(source: string, importer?: string) {
      if (!importer || !source.startsWith('.')) return null
      const file = path.resolve(path.dirname(importer), source) + '.ts'
      return fs.existsSync(file) ? file : null
    },
    async transform(code: string, id: string) {
      if (!id.startsWith(project) || !id.endsWith('.ts')) return null
      const result = await babel.transformAsync(code, { filename: id, babelrc: false, configFile: false, presets: [presetTypescript()] })
      return { code: result!.code!, map: null }
    },
  }
}
