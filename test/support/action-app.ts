// A small app for handleActionRequest tests: 'use server' sources compiled by the plugin, written inside the project
// (so their runtime import resolves to dist/, as the handler's does) and imported by Node. Every action and helper
// records what it did in `db`, the state that a refused request must leave unchanged.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import plugin from '../../src/index.ts'
import { createManifest, type ServerManifest } from '../../src/manifest/index.ts'
import type { UseServerMetadata } from '../../src/index.ts'
import { babel } from './babel'

const root = path.resolve(import.meta.dirname, '../..')
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (url: string) => Promise<Record<string, any>>

export interface ActionApp {
  dir: string
  manifest: ServerManifest
  modules: Record<string, Record<string, any>>
  /** Action IDs by source name (`transfer`, `rename`, …). */
  ids: Record<string, string>
  /** What ran, in order. */
  db: unknown[][]
  server: Record<string, any>
  flightServer: any
  flightClient: any
  loadModule: (module: string) => unknown
  remove(): void
}

/** Compiles `sources` (file name → code; code reaches the log as `globalThis[dbKey]`) and imports them. */
export async function createActionApp(sources: Record<string, string>, dbKey: string): Promise<ActionApp> {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true })
  const dir = fs.mkdtempSync(path.join(root, '.cache', 'app-'))
  const db: unknown[][] = ((globalThis as any)[dbKey] = [])
  const metas: UseServerMetadata[] = []
  const ids: Record<string, string> = {}
  for (const [name, source] of Object.entries(sources)) {
    const result = babel.transformSync(source, {
      filename: path.join(dir, name), babelrc: false, configFile: false, sourceType: 'module',
      plugins: [[plugin, { environment: 'server', root: dir }]],
    })!
    const meta = (result.metadata as { useServer?: UseServerMetadata }).useServer
    if (meta) {
      metas.push(meta)
      for (const action of meta.actions) ids[action.name.replace(/^_\$\$action_/, '')] = action.id
    }
    fs.writeFileSync(path.join(dir, name.replace(/\.js$/, '.mjs')), result.code!)
  }
  const modules: Record<string, Record<string, any>> = {}
  for (const name of Object.keys(sources)) modules[name] = await nativeImport(pathToFileURL(path.join(dir, name.replace(/\.js$/, '.mjs'))).href)
  return {
    dir, manifest: createManifest(metas), modules, ids, db,
    server: await nativeImport(import.meta.resolve('babel-plugin-use-server/server')),
    flightServer: await import('react-server-dom-webpack/server'),
    flightClient: await import('react-server-dom-webpack/client'),
    loadModule: (module: string) => modules[module],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}
