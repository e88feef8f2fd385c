// The packed tarball as a new user meets it: installed into a fresh folder outside this repository (so nothing
// resolves from our node_modules) with the packages of the README's install lines, configured with the README's
// babel.config snippet, built for both environments with the babel CLI, one server function called over HTTP's shape
// (handleActionRequest); the README's Jest and @babel/register snippets run as written in a CommonJS project of the
// same install; and type-checked by a strict TypeScript project in every module resolution mode (with the README's
// webpack server entry). One pack and one install per run. Runs on the first leg only: it installs from the npm
// registry (offline-first, from npm's cache when it can) and checks the package, not Babel 8.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const repo = path.join(import.meta.dirname, '..')
const leg2 = process.env.USE_SERVER_BABEL === '8'
const versionOf = (pkg: string) => JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version as string

/** The fenced block after `<!-- snippet: NAME -->` in the README. */
export function readmeSnippet(name: string): string {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8')
  const match = new RegExp(`<!-- snippet: ${name.replace(/\./g, '\\.')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)
  if (!match) throw new Error(`README.md has no snippet "${name}"`)
  return match[1]
}

/** The packages the `npm install` lines of the README's Install section name. */
export function readmeInstall(): string[] {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Install\n'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]
  return block.split('\n').filter((line) => line.startsWith('npm install '))
    .flatMap((line) => line.split('#')[0].trim().split(/\s+/).slice(2).filter((word) => !word.startsWith('-')))
}

let project = ''
const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd: project, encoding: 'utf8', env: { ...process.env, ...env, NODE_OPTIONS: '' }, stdio: 'pipe' })

describe.skipIf(leg2)('the packed package in a fresh project', () => {
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'use-server-packed-'))
    // (No prepack: `pretest` built dist/, and a rebuild now would swap it under the tests running beside this one.)
    const tarball = run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', project, repo]).trim().split('\n').pop()!
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fresh', private: true, type: 'module' }))
    // What the README's install lines name (so that they are enough for its snippets), and what the type-check adds.
    const deps = [...readmeInstall().filter((pkg) => pkg !== 'babel-plugin-use-server'), 'typescript', 'webpack', '@types/node']
      .map((pkg) => `${pkg}@${pkg === '@babel/cli' ? '7' : versionOf(pkg)}`)
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`, ...deps])
    fs.writeFileSync(path.join(project, 'babel.config.cjs'), readmeSnippet('babel.config.cjs'))
    fs.mkdirSync(path.join(project, 'src'))
    fs.writeFileSync(path.join(project, 'src', 'actions.js'),
      "'use server'\nexport async function greet(name) { return `hello ${name}` }\n")
    fs.writeFileSync(path.join(project, 'src', 'Greet.jsx'),
      "'use client'\nimport { greet } from './actions.js'\nexport function Greet() { return <button onClick={() => greet('ada')}>greet</button> }\n")
  }, 240_000)

  it('builds both environments with the README config, and the server answers a call', async () => {
    run('npx', ['babel', 'src', '--out-dir', 'build/server'])
    run('npx', ['babel', 'src', '--out-dir', 'build/client'], { BUILD_TARGET: 'client' })
    const client = fs.readFileSync(path.join(project, 'build/client/actions.js'), 'utf8')
    expect(client).toContain('createServerReference')
    expect(client).not.toContain('hello')
    expect(fs.readFileSync(path.join(project, 'build/client/Greet.js'), 'utf8')).toContain('react/jsx-runtime')
    expect(fs.readFileSync(path.join(project, 'build/server/actions.js'), 'utf8')).toContain('registerServerReference')

    run('npx', ['use-server-manifest', 'build/server', '--out', 'build/manifest.json'])
    fs.writeFileSync(path.join(project, 'call.mjs'), `
import fs from 'node:fs'
import { handleActionRequest } from 'babel-plugin-use-server/server'
import { parseManifest } from 'babel-plugin-use-server/manifest'
const manifest = parseManifest(fs.readFileSync('build/manifest.json', 'utf8'))
const [id] = Object.keys(manifest.actions)
const request = new Request('http://localhost/', {
  method: 'POST', body: '["ada"]', headers: { 'rsc-action-id': id, origin: 'http://localhost', host: 'localhost' },
})
// The manifest names source modules (src/actions.js); the babel CLI wrote them to build/server/actions.js.
const loadModule = (module) => import('./build/server/' + module.slice('src/'.length))
const response = await handleActionRequest(request, { manifest, loadModule, onError: console.error })
console.log(response.status, await response.text())
`)
    const out = run(process.execPath, ['--conditions=react-server', 'call.mjs'])
    expect(out).toMatch(/^200 /)
    expect(out).toContain('hello ada')
  }, 120_000)

  it("runs the README's Jest projects and its @babel/register server as written, a Jest client calling that server", async () => {
    // A CommonJS Node project of its own (no babel.config, no "type": "module"), in the same install.
    const app = path.join(project, 'node-app')
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true })
      fs.writeFileSync(path.join(app, file), text)
    }
    write('package.json', JSON.stringify({ name: 'node-app', private: true }))
    for (const file of ['jest.config.cjs', 'main.cjs', 'test/server/actions.test.ts', 'test/client/greeter.test.ts', 'test/client/http.test.ts']) {
      write(file, readmeSnippet(file))
    }
    // The modules the snippets name.
    write('src/actions.ts', "'use server'\nexport async function greet(name: string): Promise<string> {\n  return `hello ${name}`\n}\n")
    write('src/greeter.ts', "import { greet } from './actions'\n" +
      'export const greetAll = (names: string[]): Promise<string[]> => Promise.all(names.map((name) => greet(name)))\n')

    const server = spawn(process.execPath, ['--conditions=react-server', 'main.cjs'], {
      cwd: app, env: { ...process.env, NODE_OPTIONS: '', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let serverOutput = ''
    server.stderr.on('data', (chunk) => { serverOutput += chunk })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (chunk) => {
          serverOutput += chunk
          const match = /listening on (\S+)/.exec(serverOutput)
          if (match) resolve(match[1])
        })
        server.once('exit', (code) => reject(new Error(`main.cjs exited (${code}):\n${serverOutput}`)))
      })
      const jest = spawnSync('npx', ['jest', '--ci', '--cacheDirectory=.jest-cache'], {
        cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', SERVER_URL: url },
      })
      expect(jest.status, jest.stderr + jest.stdout).toBe(0)
      expect(jest.stderr).toMatch(/PASS server test\/server\/actions\.test\.ts/)
      expect(jest.stderr).toMatch(/PASS client test\/client\/greeter\.test\.ts/)
      expect(jest.stderr).toMatch(/PASS client test\/client\/http\.test\.ts/)
      expect(jest.stderr).toMatch(/Tests:\s+3 passed, 3 total/)
    } finally {
      server.kill()
    }
  }, 120_000)

  it('type-checks every entry under strict TypeScript in each module resolution mode, ES modules and CommonJS', () => {
    // The core entries need no @types at all; the webpack entry needs what webpack's own types need (@types/node), and
    // the node entry Node's types.
    const core = ['', '/server', '/client', '/manifest', '/vite', '/references']
    const all = [...core, '/webpack', '/node']
    const file = (name: string, entries: string[], line: (entry: string, i: number) => string) =>
      fs.writeFileSync(path.join(project, name), entries.map((e, i) => line(`babel-plugin-use-server${e}`, i)).join(''))
    const esm = (entry: string, i: number) => `import * as e${i} from '${entry}'\nvoid e${i}\n`
    const cjs = (entry: string, i: number) => `import e${i} = require('${entry}')\nvoid e${i}\n`
    file('core.mts', core, esm)
    fs.appendFileSync(path.join(project, 'core.mts'),
      "import plugin, { type PluginOptions } from 'babel-plugin-use-server'\nconst options: PluginOptions = { environment: 'server' }\nvoid [plugin, options]\n")
    file('core.cts', core, cjs)
    file('core.ts', core, esm)
    file('all.mts', all, esm)
    file('all.cts', all, cjs)
    // examples/webpack's server entry (a README block) as written, and the loading options: `loadModule` may be left
    // out only when `reactManifest` is given (webpack), never both.
    for (const file of ['app/server.ts', 'app/server/fns.ts']) {
      fs.mkdirSync(path.dirname(path.join(project, 'webpack-example', file)), { recursive: true })
      fs.copyFileSync(path.join(repo, 'examples/webpack', file), path.join(project, 'webpack-example', file))
    }
    fs.writeFileSync(path.join(project, 'loading.ts'), [
      "import { handleActionRequest, loadServerAction } from 'babel-plugin-use-server/server'",
      "declare const manifest: import('babel-plugin-use-server/manifest').ServerManifest",
      'declare const request: Request',
      'void handleActionRequest(request, { manifest, reactManifest: {} })',
      'void loadServerAction(\'id\', { manifest, loadModule: (module) => import(module) })',
      '// @ts-expect-error neither loadModule nor reactManifest',
      'void handleActionRequest(request, { manifest })',
      '// @ts-expect-error neither loadModule nor reactManifest',
      'void loadServerAction(\'id\', { manifest })',
      '',
    ].join('\n'))
    const modes = [
      { module: 'esnext', moduleResolution: 'bundler', files: ['webpack-example/app/server.ts', 'loading.ts'], types: ['node'] },
      { module: 'node16', moduleResolution: 'node16', files: ['core.mts', 'core.cts'], types: [] },
      { module: 'nodenext', moduleResolution: 'nodenext', files: ['core.mts', 'core.cts'], types: [] },
      { module: 'esnext', moduleResolution: 'bundler', files: ['core.mts'], types: [] },
      { module: 'commonjs', moduleResolution: 'node', files: ['core.ts'], types: [] },
      { module: 'nodenext', moduleResolution: 'nodenext', files: ['all.mts', 'all.cts'], types: ['node'] },
    ]
    for (const [n, { files, ...mode }] of modes.entries()) {
      const config = path.join(project, `tsconfig.${n}.json`)
      fs.writeFileSync(config, JSON.stringify({
        compilerOptions: { ...mode, strict: true, noEmit: true, skipLibCheck: false, target: 'es2022' },
        files,
      }))
      let output = ''
      try {
        run(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', config])
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error)
      }
      expect(output, `tsc ${JSON.stringify(mode)} on ${files.join(', ')}`).toBe('')
    }
  }, 300_000)
})
