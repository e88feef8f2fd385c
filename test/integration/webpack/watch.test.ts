// UseServerPlugin and its client half in webpack's watch mode: each rebuild's manifest follows the edits (a client
// import added or removed, a new export, a new 'use server' file), a server rebuild without a client rebuild keeps the
// client's last stubs, and an edit that makes the builds disagree fails the rebuild that sees it.
import fs from 'node:fs'
import path from 'node:path'
import webpack from 'webpack'
import { afterEach, describe, expect, it } from 'vitest'
import { UseServerPlugin } from '../../../src/integrations/webpack.ts'
import { makeProject } from '../support'
import { compilation } from './compilation'

const files = {
  'src/server.js': `import { Page } from './page.js'\nexport const render = () => Page()\n`,
  'src/page.js': `import { passedOn } from './actions.js'\nexport function Page() { return { action: passedOn } }\n`,
  'src/client.js': `import { fromClient } from './actions.js'\nexport const buttons = [fromClient]\n`,
  'src/actions.js': [
    `'use server'`,
    `export async function fromClient() { return 'client' }`,
    `export async function passedOn() { return 'passed' }`,
    `export async function later() { return 'later' }`,
    ``,
  ].join('\n'),
}

type Watching = ReturnType<webpack.MultiCompiler['watch']>
let watching: Watching | undefined
afterEach(async () => {
  await new Promise<void>((resolve) => (watching ? watching.close(() => resolve()) : resolve()))
  watching = undefined
})

/**
 * Watches the project's client and server compilations. `next(edit)` applies an edit and resolves with the server's
 * manifest exports and the build errors once the compilations have settled after it.
 */
function watch(project: string) {
  const secret = 'one-secret-for-both-builds'
  const plugin = new UseServerPlugin({ include: 'src' })
  const compiler = webpack([
    compilation(project, 'client', { secret }, [plugin.client()], 'development', true),
    compilation(project, 'server', { secret }, [plugin], 'development', true),
  ])
  /** The compilations that ran since the last `next()`. */
  const ran: string[] = []
  for (const child of compiler.compilers) child.hooks.compile.tap('test', () => ran.push(child.name!))
  let waiter: ((stats: webpack.MultiStats) => void) | null = null
  let settle: NodeJS.Timeout | undefined
  let last: webpack.MultiStats | undefined
  watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
    if (error) throw error
    last = stats!
    // A change may rebuild the compilations one after the other: answer once nothing has rebuilt for a while.
    clearTimeout(settle)
    settle = setTimeout(() => { waiter?.(last!); waiter = null }, 1500)
  })
  const manifestFile = path.join(project, 'out', 'server', 'use-server-manifest.json')
  const result = (stats: webpack.MultiStats) => ({
    exports: Object.values(JSON.parse(fs.readFileSync(manifestFile, 'utf8')).actions as Record<string, { module: string; export: string }>)
      .map((a) => `${a.module}#${a.export}`).sort(),
    errors: stats.toString('errors-only'),
    hasErrors: stats.hasErrors(),
    ran: ran.splice(0).sort(),
  })
  return {
    async next(edit?: Record<string, string>) {
      const done = new Promise<webpack.MultiStats>((resolve) => { waiter = resolve })
      if (edit) {
        // Past the first build's file timestamps, so webpack sees a change.
        await new Promise((resolve) => setTimeout(resolve, 1100))
        for (const [file, text] of Object.entries(edit)) fs.writeFileSync(path.join(project, file), text)
      }
      return result(await done)
    },
  }
}

describe('UseServerPlugin in watch mode', () => {
  it('each rebuild keeps what is imported; a server-only rebuild keeps the client\'s last stubs', async () => {
    const project = makeProject('webpack-watch', files)
    const run = watch(project)
    const first = await run.next()
    expect(first.hasErrors, first.errors).toBe(false)
    expect(first.exports).toEqual(['src/actions.js#fromClient', 'src/actions.js#passedOn'])
    expect(first.ran).toEqual(['client', 'server'])

    // The client starts importing `later`.
    const imported = await run.next({ 'src/client.js': `import { fromClient, later } from './actions.js'\nexport const buttons = [fromClient, later]\n` })
    expect(imported.hasErrors, imported.errors).toBe(false)
    expect(imported.exports).toEqual(['src/actions.js#fromClient', 'src/actions.js#later', 'src/actions.js#passedOn'])

    // Only the server's graph changes: the server rebuilds alone, with the client's stubs of the last client build.
    const serverOnly = await run.next({ 'src/page.js': `import { passedOn } from './actions.js'\nexport function Page() { return { action: passedOn, n: 2 } }\n` })
    expect(serverOnly.hasErrors, serverOnly.errors).toBe(false)
    expect(serverOnly.ran).toEqual(['server'])
    expect(serverOnly.exports).toEqual(['src/actions.js#fromClient', 'src/actions.js#later', 'src/actions.js#passedOn'])

    // A new 'use server' file that the client imports (found by `include`'s directory watch too).
    const added = await run.next({
      'src/more.js': `'use server'\nexport async function more() { return 'more' }\n`,
      'src/client.js': `import { fromClient } from './actions.js'\nimport { more } from './more.js'\nexport const buttons = [fromClient, more]\n`,
    })
    expect(added.hasErrors, added.errors).toBe(false)
    expect(added.exports).toEqual(['src/actions.js#fromClient', 'src/actions.js#passedOn', 'src/more.js#more'])
  }, 120_000)
})
