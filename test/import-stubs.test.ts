// Import-site stubs (client environment, `importStubs: true`): IDs match the server build, the files read are
// reported for build caches, edits to the server module show up, and packages in node_modules are handled.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'

type Meta = { useServer?: { actions: { id: string; name: string }[] }; useServerDependencies?: string[] }

function compile(file: string, root: string, environment: 'server' | 'client', extra: object = {}) {
  const result = babel.transformSync(fs.readFileSync(file, 'utf8'), {
    filename: file, babelrc: false, configFile: false, sourceType: 'module',
    parserOpts: { plugins: ['jsx'] },
    plugins: [[plugin, { environment, root, importStubs: true, ...extra }]],
  })!
  return { code: result.code!, metadata: result.metadata as Meta }
}

const stubIds = (code: string) => Object.fromEntries(
  [...code.matchAll(/_createServerReference\("([0-9a-f]+)", _callServer, void 0, _findSourceMapURL, "([^"]+)"\)/g)].map((m) => [m[2], m[1]]))

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-stubs-'))
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }))

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(temp, 'p-'))
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  return dir
}

describe('import-site stubs', () => {
  it('use the IDs the server build gives the server module', () => {
    const dir = path.join(import.meta.dirname, '..', 'fixtures', 'import-stubs', 'named')
    const server = compile(path.join(dir, 'actions.js'), dir, 'server')
    const client = compile(path.join(dir, 'input.jsx'), dir, 'client')
    const serverIds = Object.fromEntries(server.metadata.useServer!.actions.map((a) => [a.name, a.id]))
    expect(stubIds(client.code)).toEqual({ fetchUsers: serverIds.fetchUsers, createUser: serverIds.createUser })
    expect(client.code).not.toContain('./actions')
    expect(client.code).not.toContain('INSERT INTO')
  })

  it('report every file they read, relative to the root', () => {
    const dir = project({
      'actions.js': "'use server'\nexport async function a() {}\n",
      'util.js': 'export const u = 1\n',
      'app/page.js': "import { a } from '../actions'\nimport { u } from '../util.js'\nimport React from 'react'\nexport const x = [a, u, React]\n",
    })
    const { metadata } = compile(path.join(dir, 'app/page.js'), dir, 'client')
    expect(metadata.useServerDependencies).toContain('actions.js')
    expect(metadata.useServerDependencies).toContain('util.js')
    for (const file of metadata.useServerDependencies!) expect(path.isAbsolute(file)).toBe(false)
  })

  it('see edits to the server module: a new export, then the directive removed', () => {
    const dir = project({
      'actions.js': "'use server'\nexport async function a() {}\n",
      'page.js': "import { a, b } from './actions'\nexport const x = [a, b]\n",
    })
    const page = path.join(dir, 'page.js')
    expect(() => compile(page, dir, 'client')).toThrow(/USE_SERVER_UNKNOWN_EXPORT[\s\S]*no export named "b"/)
    fs.writeFileSync(path.join(dir, 'actions.js'), "'use server'\nexport async function a() {}\nexport async function b() {}\n// longer\n")
    expect(Object.keys(stubIds(compile(page, dir, 'client').code)).sort()).toEqual(['a', 'b'])
    fs.writeFileSync(path.join(dir, 'actions.js'), 'export async function a() {}\nexport async function b() {}\n')
    const plain = compile(page, dir, 'client').code
    expect(plain).toContain("from './actions'")
    expect(stubIds(plain)).toEqual({})
  })

  it('turn a package\'s \'use server\' module into stubs', () => {
    const dir = project({
      'node_modules/server-lib/package.json': JSON.stringify({ name: 'server-lib', main: 'index.js' }),
      'node_modules/server-lib/index.js': "'use server'\nconst secret = 'library secret'\nexport async function libAction() { return secret }\n",
      'page.js': "import { libAction } from 'server-lib'\nexport const x = libAction\n",
    })
    const { code } = compile(path.join(dir, 'page.js'), dir, 'client')
    expect(Object.keys(stubIds(code))).toEqual(['libAction'])
    expect(code).not.toContain('server-lib')
    const server = compile(path.join(dir, 'node_modules/server-lib/index.js'), dir, 'server')
    expect(stubIds(code).libAction).toBe(server.metadata.useServer!.actions[0].id)
  })

  it('leave imports alone when the option is off, and on the server', () => {
    const dir = project({
      'actions.js': "'use server'\nexport async function a() {}\n",
      'page.js': "import { a } from './actions'\nexport const x = a\n",
    })
    const page = path.join(dir, 'page.js')
    expect(compile(page, dir, 'client', { importStubs: false }).code).toContain("from './actions'")
    expect(compile(page, dir, 'server').code).toContain("from './actions'")
  })
})
