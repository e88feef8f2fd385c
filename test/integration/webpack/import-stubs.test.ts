// webpack 5 + babel-loader with the Babel plugin's `importStubs` (client compilation): the client bundle holds stubs
// and no byte of the server modules, including a 'use server' module of a package that babel-loader excludes; the
// stub IDs are the server build's; and importers are rebuilt when a server module they import changes, through
// babel-loader's cacheDirectory (the loader's cache key) and webpack's filesystem cache (the metadata subscriber).
import fs from 'node:fs'
import path from 'node:path'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { actionId } from '../../../src/ids.ts'
import { METADATA_SUBSCRIBER, UseServerPlugin } from '../../../src/integrations/webpack.ts'
import { counterPluginPath, dist, makeProject, pluginPath, readCount, writeFiles } from '../support'

const SQL = 'SELECT secret_column FROM users_4f2a'
const SECRET = 'hunter2-8c1e'
const PACKAGE_SQL = 'DROP TABLE pkg_secret_9x'

const files = {
  'src/actions.js': [
    `'use server'`,
    `const db = { query: async (sql, ...args) => [sql, ...args] }`,
    `export async function listUsers() { return db.query("${SQL} WHERE token = ?", "${SECRET}") }`,
    ``,
  ].join('\n'),
  'src/page.js': [
    `import { listUsers } from './actions.js'`,
    `import { dbAction } from 'fake-actions'`,
    `export function Page() { return [listUsers, dbAction] }`,
    ``,
  ].join('\n'),
  // Unchanged by the edits below: its output still has to follow the server module.
  'src/reexport.js': `export * from './actions.js'\n`,
  'src/util.js': `export const twice = (n) => n * 2\n`,
  'src/client.js': `export { Page } from './page.js'\nexport * as all from './reexport.js'\nexport { twice } from './util.js'\n`,
  'src/server.js': `export { listUsers } from './actions.js'\nexport { dbAction } from 'fake-actions'\n`,
  'node_modules/fake-actions/package.json': JSON.stringify({ name: 'fake-actions', version: '1.0.0', main: 'index.js' }),
  'node_modules/fake-actions/index.js': `'use server'\nexport async function dbAction() { return "${PACKAGE_SQL}" }\n`,
}

interface BuildOptions {
  environment: 'server' | 'client'
  /** The loader before babel-loader: false (none), or its options. */
  loader?: false | { importStubs?: boolean }
  subscriber?: boolean
  babelCache?: boolean
  webpackCache?: boolean
  exclude?: RegExp
  log?: string
}

async function build(project: string, options: BuildOptions) {
  const { environment, loader = false, subscriber = true, babelCache = false, webpackCache = false } = options
  const log = options.log ?? path.join(project, 'babel.log')
  const babelLoader = {
    loader: 'babel-loader',
    options: {
      cacheDirectory: babelCache ? path.join(project, '.babel-cache') : false,
      babelrc: false,
      configFile: false,
      ...(subscriber ? { metadataSubscribers: [METADATA_SUBSCRIBER] } : {}),
      plugins: [[counterPluginPath, { log }], [pluginPath, { environment, root: project, importStubs: environment === 'client' }]],
    },
  }
  const out = path.join(project, 'out', environment)
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: project,
    target: 'node',
    entry: environment === 'client' ? './src/client.js' : './src/server.js',
    output: { path: out, filename: 'main.cjs', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) =>
      /^(babel-plugin-use-server|react)/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    module: {
      rules: [{
        test: /\.js$/,
        exclude: options.exclude ?? /node_modules/,
        use: loader ? [{ loader: dist('cjs', 'integrations', 'webpack.js'), options: loader }, babelLoader] : [babelLoader],
      }],
    },
    plugins: [new UseServerPlugin({ root: project })],
    cache: webpackCache ? { type: 'filesystem', cacheDirectory: path.join(project, '.webpack-cache', environment) } : false,
    infrastructureLogging: { level: 'error' },
  })
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
  expect(stats.hasWarnings(), stats.toString('errors-warnings')).toBe(false)
  /** A module's source after all loaders, by path relative to the project. */
  const moduleSource = (file: string): string | null => {
    for (const module of stats.compilation.modules) {
      const resource = (module as { resource?: string }).resource
      if (resource && path.relative(project, resource).split(path.sep).join('/') === file) {
        return String(module.originalSource()?.source() ?? '')
      }
    }
    return null
  }
  const text = (name: string) => fs.readFileSync(path.join(out, name), 'utf8')
  const result = {
    bundle: text('main.cjs'),
    manifest: JSON.parse(text('use-server-manifest.json')) as { actions: Record<string, { module: string; export: string }> },
    moduleSource,
    babelRuns: readCount(log, project).sort(),
  }
  fs.writeFileSync(log, '')
  return result
}

/** The `createServerReference("<id>", …, "<name>")` calls of a bundle, as id → name. */
function stubsOf(code: string): Record<string, string> {
  const stubs: Record<string, string> = {}
  for (const match of code.matchAll(/createServerReference\)?\("([0-9a-f]{40})",[^;]*?"([^"]+)"\)/g)) stubs[match[1]] = match[2]
  return stubs
}

const id = (file: string, name: string) => actionId('', file, name)

describe('webpack integration with importStubs', () => {
  it('the client bundle holds stubs with the server build IDs and no byte of any server module', async () => {
    const project = makeProject('webpack-stubs', files)
    // The server build compiles the package's 'use server' module too (its IDs and manifest entries).
    const server = await build(project, { environment: 'server', exclude: /node_modules[\\/](?!fake-actions)/ })
    const serverIds = Object.fromEntries(Object.entries(server.manifest.actions).map(([id, e]) => [id, `${e.module}#${e.export}`]))
    expect(Object.values(serverIds).sort()).toEqual(['node_modules/fake-actions/index.js#dbAction', 'src/actions.js#listUsers'])
    expect(server.bundle).toContain(PACKAGE_SQL)

    // The client: babel-loader excludes node_modules; the loader is there with `importStubs` and `skip` (page.js and
    // reexport.js have no directive, but are compiled: they import server modules; util.js imports nothing).
    const client = await build(project, { environment: 'client', loader: { importStubs: true, skip: true } })
    expect(client.babelRuns).toEqual(['src/client.js', 'src/page.js', 'src/reexport.js'])
    for (const secret of [SQL, SECRET, PACKAGE_SQL, 'fake-actions', 'actions.js', 'node_modules']) {
      expect(client.bundle).not.toContain(secret)
    }
    const stubs = stubsOf(client.bundle)
    expect(Object.keys(stubs).sort()).toEqual(Object.keys(serverIds).sort())
    for (const [stubId, name] of Object.entries(stubs)) expect(serverIds[stubId]).toMatch(new RegExp(`#${name}$`))
    expect(client.manifest.actions).toEqual({})

    // The same loader without `importStubs` keeps babel-loader away from page.js (it has no directive): the package's
    // server module is bundled as it is. This is what the option is for.
    const skipping = await build(project, { environment: 'client', loader: { skip: true } })
    expect(skipping.babelRuns).toEqual(['src/actions.js'])
    expect(skipping.bundle).toContain(PACKAGE_SQL)
  })

  /** Cold build (babel-loader cache), warm build (served by it, into webpack's filesystem cache), then two edits. */
  async function editServerModule(project: string, options: Partial<BuildOptions>) {
    const base = { environment: 'client' as const, babelCache: true, ...options }
    const cold = await build(project, base)
    const warm = await build(project, { ...base, webpackCache: true })
    // 1. actions.js gains an export; page.js imports it; reexport.js is not touched.
    writeFiles(project, {
      'src/actions.js': files['src/actions.js'] + `export async function deleteUser(id) { return db.query("DELETE FROM users_4f2a", id) }\n`,
      'src/page.js': files['src/page.js'].replace('{ listUsers }', '{ listUsers, deleteUser }').replace('[listUsers,', '[listUsers, deleteUser,'),
    })
    const added = await build(project, { ...base, webpackCache: true })
    // 2. actions.js loses its directive: its importers must import the real module.
    writeFiles(project, { 'src/actions.js': fs.readFileSync(path.join(project, 'src/actions.js'), 'utf8').replace(`'use server'\n`, '') })
    const removed = await build(project, { ...base, webpackCache: true })
    return { cold, warm, added, removed }
  }

  it('an edit to a server module reaches unchanged importers through both caches', async () => {
    const project = makeProject('webpack-stubs-cache', files)
    const { cold, warm, added, removed } = await editServerModule(project, { loader: { importStubs: true, skip: true } })
    expect(cold.babelRuns).toEqual(['src/client.js', 'src/page.js', 'src/reexport.js'])
    // Served by babel-loader's cache: the subscriber still gets each file's (cached) metadata.
    expect(warm.babelRuns).toEqual([])
    expect(warm.moduleSource('src/reexport.js')).toBe(cold.moduleSource('src/reexport.js'))

    // New export: page.js changed; reexport.js did not, and gets the new stub too.
    expect(added.babelRuns).toEqual(['src/page.js', 'src/reexport.js'])
    for (const file of ['src/page.js', 'src/reexport.js']) {
      expect(added.moduleSource(file)).toContain(`"${id('src/actions.js', 'deleteUser')}"`)
      expect(added.moduleSource(file)).toContain(`"${id('src/actions.js', 'listUsers')}"`)
    }
    expect(added.bundle).not.toContain('DELETE FROM')

    // Directive gone: both import the module itself, which is now in the bundle (as it is: the loader keeps
    // babel-loader away from it, it has neither a directive nor an import).
    expect(removed.babelRuns).toEqual(['src/page.js', 'src/reexport.js'])
    for (const file of ['src/page.js', 'src/reexport.js']) {
      expect(removed.moduleSource(file)).not.toContain(`"${id('src/actions.js', 'listUsers')}"`)
      expect(removed.moduleSource(file)).toContain(`'./actions.js'`)
    }
    expect(removed.moduleSource('src/reexport.js')).not.toContain('createServerReference')
    expect(removed.moduleSource('src/page.js')).toContain(`"${id('node_modules/fake-actions/index.js', 'dbAction')}"`)
    expect(removed.moduleSource('src/actions.js')).toContain('DELETE FROM')
    expect(removed.bundle).toContain(SQL)
    expect(removed.bundle).not.toContain(PACKAGE_SQL) // fake-actions still has its directive.
  })

  // The controls: the test above fails without either half of the mechanism.
  it("without the metadata subscriber, webpack's cache keeps the unchanged importer stale", async () => {
    const project = makeProject('webpack-stubs-nosub', files)
    const { added, removed } = await editServerModule(project, { loader: { importStubs: true, skip: true }, subscriber: false })
    expect(added.babelRuns).toEqual(['src/page.js'])
    expect(added.moduleSource('src/reexport.js')).not.toContain(`"${id('src/actions.js', 'deleteUser')}"`)
    expect(removed.moduleSource('src/reexport.js')).toContain('createServerReference')
  })

  it("without the loader's cache key, babel-loader's cacheDirectory serves the unchanged importer stale", async () => {
    const project = makeProject('webpack-stubs-nokey', files)
    const { added, removed } = await editServerModule(project, { loader: false })
    expect(added.babelRuns).toEqual(['src/page.js'])
    expect(added.moduleSource('src/reexport.js')).not.toContain(`"${id('src/actions.js', 'deleteUser')}"`)
    expect(removed.moduleSource('src/reexport.js')).toContain('createServerReference')
  })
})
