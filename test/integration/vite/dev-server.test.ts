// The Vite dev server after startup: an example-like project (a 'use server' module the server entry imports, one only
// client code imports, the entry re-exporting babel-plugin-use-server/references) served in middleware mode; its
// actions are called through the references module, then the 'use server' files are edited (a return value changed,
// an export added, a new 'use server' file) and the actions called again through what the dev server serves now.
import fs from 'node:fs'
import path from 'node:path'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, describe, expect, it } from 'vitest'
import useServer from '../../../src/integrations/vite.ts'
import { actionId } from '../../../src/ids.ts'
import { babelCore } from './build'
import { makeProject } from '../support'

const files = {
  'src/actions.js': `'use server'\nexport async function greet(name) { return 'Hello, ' + name }\n`,
  'src/client-only.js': `'use server'\nexport async function shout(text) { return text.toUpperCase() }\n`,
  'src/server.js': `import { greet } from './actions.js'\nexport { manifest, loadServerAction } from 'babel-plugin-use-server/references'\nexport const warmUp = () => greet('server')\n`,
  'src/main.js': `import { greet } from './actions.js'\nimport { shout } from './client-only.js'\nexport const run = () => Promise.all([greet('a'), shout('b')])\n`,
}

type Entry = { manifest: { actions: Record<string, { module: string; export: string }> }; loadServerAction(id: string): Promise<(...args: unknown[]) => Promise<unknown>> }

describe('the Vite dev server', () => {
  let vite: ViteDevServer | undefined
  afterAll(async () => { await vite?.close() })

  it('serves edits to the \'use server\' files made after startup through the references module', async () => {
    const project = makeProject('vite-dev', files)
    vite = await createServer({
      root: project,
      configFile: false,
      logLevel: 'silent',
      appType: 'custom',
      server: { middlewareMode: true, ws: false },
      plugins: [useServer({ babelCore, scan: ['src'] })],
      environments: { ssr: { resolve: { externalConditions: ['react-server', 'node'] } } },
    })
    const runner = vite.environments.ssr.runner
    const entry = () => runner.import('/src/server.js') as Promise<Entry>
    const call = async (file: string, name: string, ...args: unknown[]) => {
      const fn = await (await entry()).loadServerAction(actionId('', file, name))
      return fn(...args)
    }
    const exportsOf = async () => Object.values((await entry()).manifest.actions).map((a) => `${a.module}#${a.export}`).sort()

    expect(await exportsOf()).toEqual(['src/actions.js#greet', 'src/client-only.js#shout'])
    expect(await call('src/actions.js', 'greet', 'Ada')).toBe('Hello, Ada')
    expect(await call('src/client-only.js', 'shout', 'hi')).toBe('HI')

    // A changed return value and a new export in a module the server entry imports.
    fs.writeFileSync(path.join(project, 'src/actions.js'), `'use server'\nexport async function greet(name) { return 'Hi, ' + name }\n` +
      `export async function wave(name) { return 'Bye, ' + name }\n`)
    await expect.poll(exportsOf, { timeout: 20_000 }).toEqual(['src/actions.js#greet', 'src/actions.js#wave', 'src/client-only.js#shout'])
    expect(await call('src/actions.js', 'greet', 'Ada')).toBe('Hi, Ada')
    expect(await call('src/actions.js', 'wave', 'Ada')).toBe('Bye, Ada')

    // A module only the references module imports (the client's): changed too.
    fs.writeFileSync(path.join(project, 'src/client-only.js'), `'use server'\nexport async function shout(text) { return text.toUpperCase() + '!' }\n`)
    await expect.poll(() => call('src/client-only.js', 'shout', 'hi'), { timeout: 20_000 }).toBe('HI!')

    // A new 'use server' file: the references module lists it.
    fs.writeFileSync(path.join(project, 'src/more.js'), `'use server'\nexport async function twice(n) { return n * 2 }\n`)
    await expect.poll(exportsOf, { timeout: 20_000 }).toContain('src/more.js#twice')
    expect(await call('src/more.js', 'twice', 21)).toBe(42)

    // A file that loses its directive: its functions are no longer callable.
    fs.writeFileSync(path.join(project, 'src/more.js'), `export async function twice(n) { return n * 2 }\n`)
    await expect.poll(exportsOf, { timeout: 20_000 }).toEqual(['src/actions.js#greet', 'src/actions.js#wave', 'src/client-only.js#shout'])
    await expect(call('src/more.js', 'twice', 1)).rejects.toMatchObject({ code: 'USE_SERVER_UNKNOWN_ACTION' })
  }, 120_000)
})
