import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markerText, type UseServerMetadata } from '../src/metadata.js'
import { createManifest, readManifestFile, serializeManifest } from '../src/manifest/index.js'
import { findCodeFiles } from '../src/manifest/collect.js'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, USAGE, runCli } from '../src/manifest/run-cli.js'

const srcDir = path.join(import.meta.dirname, '..', 'src')

const a: UseServerMetadata = { file: 'src/a.ts', actions: [{ id: 'a1', name: 'save', kind: 'export' }] }
const b: UseServerMetadata = { file: 'src/b.ts', actions: [{ id: 'b1', name: '$$INLINE_ACTION_0', kind: 'inline' }] }
const ignored: UseServerMetadata = { file: 'src/ignored.ts', actions: [{ id: 'x1', name: 'nope', kind: 'export' }] }
const emitted = (...metas: UseServerMetadata[]) => `${metas.map((meta) => `/*${markerText(meta)}*/`).join('\nexport {};\n')}\n`

let tmp: string
let build: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'use-server-manifest-cli-'))
  build = path.join(tmp, 'build')
  const files: Record<string, string> = {
    'server/a.js': emitted(a),
    'server/chunks/b.mjs': `// bundle\n${emitted(b)}`,
    'server/plain.cjs': 'module.exports = {}\n',
    'server/notes.txt': emitted(ignored),
    'server/node_modules/dep/index.js': emitted(ignored),
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(build, name)), { recursive: true })
    fs.writeFileSync(path.join(build, name), text)
  }
})
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) })
  return { code, stdout, stderr }
}

describe('finding emitted code', () => {
  it('walks directories for code files, skipping node_modules, and keeps files named directly', () => {
    const notes = path.join(build, 'server/notes.txt')
    expect(findCodeFiles([path.join(build, 'server'), notes]).map((file) => path.relative(build, file))).toEqual([
      'server/a.js',
      'server/chunks/b.mjs',
      'server/notes.txt',
      'server/plain.cjs',
    ])
  })
})

describe('use-server-manifest', () => {
  it('prints the manifest of the markers it finds', () => {
    expect(run(path.join(build, 'server'))).toEqual({ code: EXIT_OK, stdout: serializeManifest(createManifest([a, b])), stderr: '' })
  })

  it('reads files given directly, whatever their extension', () => {
    const result = run(path.join(build, 'server/notes.txt'), path.join(build, 'server/a.js'))
    expect(result.stdout).toBe(serializeManifest(createManifest([a, ignored])))
  })

  it('prints React’s server manifest with --react, module paths prefixed with --module-prefix', () => {
    const result = run('--react', path.join(build, 'server'), '--module-prefix', './')
    expect(result.code).toBe(EXIT_OK)
    expect(JSON.parse(result.stdout)).toEqual({
      a1: { id: './src/a.ts', chunks: [], name: 'save' },
      b1: { id: './src/b.ts', chunks: [], name: '$$INLINE_ACTION_0' },
    })
  })

  it('writes the file with --out and prints nothing', () => {
    const out = path.join(tmp, 'out', 'manifest.json')
    const result = run(path.join(build, 'server'), '--out', out, '--module-prefix=/app/')
    expect(result).toEqual({ code: EXIT_OK, stdout: '', stderr: '' })
    expect(readManifestFile(out).actions.a1).toEqual({ module: '/app/src/a.ts', export: 'save', kind: 'export' })
    expect(fs.readdirSync(path.dirname(out))).toEqual(['manifest.json'])
  })

  it('prints an empty manifest for a tree without markers', () => {
    expect(run(path.join(build, 'server/plain.cjs')).stdout).toBe(serializeManifest(createManifest()))
  })

  it('prints help with --help', () => {
    expect(run('--help')).toEqual({ code: EXIT_OK, stdout: USAGE, stderr: '' })
  })

  it.each([
    [[], /no directory or file given/],
    [['--bogus', 'x'], /Unknown option '--bogus'/],
    [['dir', '--out'], /--out/],
    [['dir', '--out='], /--out needs a file name/],
    [['/no/such/dir'], /no such file or directory: \/no\/such\/dir/],
  ])('exits with 2 and the usage on bad arguments: %j', (argv, message) => {
    const result = run(...argv.map((arg) => (arg === 'dir' ? build : arg)))
    expect(result.code).toBe(EXIT_USAGE)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain(USAGE)
  })

  it('exits with 1 when the output cannot be written', () => {
    const blocker = path.join(tmp, 'a-file')
    fs.writeFileSync(blocker, '')
    const result = run(build, '--out', path.join(blocker, 'manifest.json'))
    expect(result.code).toBe(EXIT_FAILURE)
    expect(result.stderr).toMatch(/^use-server-manifest: (EEXIST|ENOTDIR): /)
  })
})

describe('output it cannot read', () => {
  const id = (c: string) => c.repeat(40)
  const save: UseServerMetadata = { file: 'src/save.js', actions: [{ id: id('1'), name: 'save', kind: 'export' }] }
  const write = (name: string, text: string) => {
    const file = path.join(tmp, 'unreadable', name)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
    return file
  }

  it('exits 1 and names the file for a minified bundle (markers stripped), and prints no manifest', () => {
    const file = write('webpack/main.js', `(()=>{var e={1:(e,t,r)=>{r.d(t,{x:()=>o});var n=r(2);async function o(){}(0,n.registerServerReference)(o,"${id('2')}","x")}}})();`)
    const result = run(file)
    expect(result.code).toBe(EXIT_FAILURE)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`${file}: 1 action ID (e.g. 222222222222…) and no marker`)
    expect(result.stderr).toMatch(/USE_SERVER_UNREADABLE_OUTPUT[\s\S]*UseServerPlugin's use-server-manifest\.json[\s\S]*babel-plugin-use-server\/references/)
  })

  it('exits 1 for a bundle that kept one marker of two (Rollup), and for a \'use server\' file without its marker', () => {
    const bundle = write('rollup/index.js', `/*${markerText(save)}*/\nregisterServerReference(save, "${id('1')}", "save");\nregisterServerReference(drop, "${id('3')}", "drop");\n`)
    const bare = write('babel/actions.js', `"use server";\nexport async function f() {}\n`)
    const result = run(path.join(tmp, 'unreadable', 'rollup'), bare)
    expect(result.code).toBe(EXIT_FAILURE)
    expect(result.stderr).toContain(`${bundle}: 1 action ID (e.g. 333333333333…) that no marker names`)
    expect(result.stderr).toContain(`${bare}: a 'use server' directive and no marker`)
  })

  it('reads a bundle of many comments in one pass (a backtracking check would not finish)', () => {
    const file = write('big/bundle.js', `${'/* c */\n'.repeat(200)}registerServerReference(x);\n`)
    expect(run(file).code).toBe(EXIT_OK)
  })

  it('still reads unbundled output, and ignores 40-hex strings in files without server function traces', () => {
    const ok = write('plain/save.js', `/*${markerText(save)}*/\n"use server";\nregisterServerReference(save, "${id('1')}", "save");\n`)
    const hash = write('plain/version.js', `export const commit = "${id('f')}"\n`)
    expect(run(ok, hash)).toEqual({ code: EXIT_OK, stdout: serializeManifest(createManifest([save])), stderr: '' })
  })
})

describe('the bin as a process', () => {
  // The built bin (npm test builds before testing), run the way npm's bin link runs it.
  const builtCli = path.join(srcDir, '..', 'dist', 'esm', 'manifest', 'cli.js')

  it('starts with a node shebang, prints the manifest and exits 0, or 2 on bad arguments', () => {
    const cli = builtCli
    expect(fs.readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')

    const ok = spawnSync(process.execPath, [cli, path.join(build, 'server')], { encoding: 'utf8' })
    expect(ok.status).toBe(0)
    expect(ok.stdout).toBe(serializeManifest(createManifest([a, b])))

    const bad = spawnSync(process.execPath, [cli, '--react'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('Usage: use-server-manifest')
  })
})
