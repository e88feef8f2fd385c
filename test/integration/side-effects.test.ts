// The package declares which of its modules have side effects (package.json `sideEffects`), so a bundle that imports
// one function of an entry gets that function and what it uses, not the rest of the entry: a server bundle that reads
// its manifest with `parseManifest` must not carry the manifest writer's file locking (proper-lockfile, and
// graceful-fs, which patches `process.cwd` and `fs` when it loads). The client runtime's one side-effect module
// (the `__webpack_require__` stand-in, which webpack itself needs not) stays in other bundlers' output.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { rolldown } from 'rolldown'
import webpack from 'webpack'
import { describe, expect, it } from 'vitest'
import { makeProject } from './support'

async function bundle(project: string, entry: string, target: 'node' | 'web'): Promise<string> {
  const compiler = webpack({
    mode: 'production',
    context: project,
    target,
    entry,
    output: { path: path.join(project, 'out', target), filename: 'main.cjs', library: { type: 'commonjs2' } },
    externals: [({ request }, callback) => /^react/.test(request ?? '') ? callback(undefined, `commonjs ${request}`) : callback()],
    optimization: { minimize: false },
    cache: false,
    infrastructureLogging: { level: 'error' },
  })
  const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result!))))
  await new Promise<void>((resolve, reject) => compiler.close((error) => (error ? reject(error) : resolve())))
  expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
  return path.join(project, 'out', target, 'main.cjs')
}

describe('package.json sideEffects', () => {
  it('a bundle that reads the manifest with parseManifest holds no file-locking code, and works', async () => {
    const project = makeProject('webpack-side-effects', {
      'src/server.js': `import { parseManifest } from 'babel-plugin-use-server/manifest'\nexport const read = (text) => parseManifest(text)\n`,
    })
    const file = await bundle(project, './src/server.js', 'node')
    const code = fs.readFileSync(file, 'utf8')
    for (const library of ['proper-lockfile', 'graceful-fs', 'write-file-atomic', 'signal-exit']) expect(code).not.toContain(library)
    const { read } = createRequire(file)(file) as { read: (text: string) => unknown }
    expect(read('{"version":1,"actions":{}}')).toEqual({ version: 1, actions: {} })
  }, 60_000)

  it("keeps the client runtime's __webpack_require__ stand-in, a module imported for its side effect (Rolldown, as Vite)", async () => {
    const project = makeProject('side-effects-client', {
      'src/client.js': `import { setCallServer } from 'babel-plugin-use-server/client'\nexport const set = setCallServer\n`,
    })
    const build = await rolldown({ input: path.join(project, 'src/client.js'), cwd: project, external: [/^react/], logLevel: 'silent' })
    const { output } = await build.generate({ format: 'es' })
    expect(output[0].code).toContain('USE_SERVER_NO_CLIENT_MODULES')
  }, 60_000)
})
