// The React release floor: the advisories' fixed releases per line, the peer range that follows from them, and the
// runtime refusal, tried on a fake installed react-server-dom-webpack (a copy of the real one that says it is an
// older release) in a child process, never by installing an old React.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REACT_ADVISORIES, REACT_FLOORS, vulnerabilityOf, vulnerableReactError } from '../src/runtime/react-version.ts'

const root = path.resolve(import.meta.dirname, '..')

describe('floors', () => {
  it('are the latest fixed release of each line', () => {
    expect(REACT_FLOORS).toEqual({ '19.0': '19.0.8', '19.1': '19.1.9', '19.2': '19.2.8', '19.3': '19.3.0' })
  })

  it('judge versions by line', () => {
    const verdicts: [string, string | null][] = [
      ['19.0.0', '19.0.8'], ['19.0.7', '19.0.8'], ['19.0.8', null], ['19.0.9', null],
      ['19.1.1', '19.1.9'], ['19.1.9', null], ['19.1.10', null],
      ['19.2.0', '19.2.8'], ['19.2.3', '19.2.8'], ['19.2.7', '19.2.8'], ['19.2.8', null], ['19.2.9', null],
      ['19.3.0-canary-abc-20260101', '19.3.0'], ['19.3.0', null], ['19.3.1', null], ['19.4.0', null], ['20.0.0', null],
    ]
    for (const [version, floor] of verdicts) expect(vulnerabilityOf(version)?.floor ?? null, version).toBe(floor)
    for (const version of ['18.3.0-next-0ffc7f632-20230330', '0.0.1', 'garbage']) expect(vulnerabilityOf(version), version).toEqual({ floor: null, advisories: [] })
    // 19.2.3 is past the December 2025 fixes, not the later ones.
    expect(vulnerabilityOf('19.2.3')!.advisories.flatMap((a) => a.cves)).toEqual(['CVE-2026-23864', 'CVE-2026-23869', 'CVE-2026-23870', 'CVE-2026-44907'])
    expect(vulnerabilityOf('19.0.0')!.advisories).toHaveLength(REACT_ADVISORIES.length)
  })

  it('the error names the version, the advisories and the upgrade', () => {
    const error = vulnerableReactError('19.2.3', 'react-server-dom-webpack/package.json')!
    expect(error).toMatchObject({ code: 'USE_SERVER_VULNERABLE_REACT', status: 500 })
    for (const text of ['19.2.3', 'CVE-2026-44907', 'GHSA-wx67-qw84-cm4g', '19.2.8 or later', 'USE_SERVER_ALLOW_VULNERABLE_REACT=1']) {
      expect(error.message).toContain(text)
    }
    expect(vulnerableReactError('19.3.1', 'x')).toBeNull()
    expect(vulnerableReactError(null, 'nothing importable')!.message).toMatch(/could not be read/)
  })

  it('the peer range of react-server-dom-webpack starts at the floors', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    const lines = Object.values(REACT_FLOORS)
    const expected = [...lines.slice(0, -1).map((v) => `~${v}`), `^${lines[lines.length - 1]}`].join(' || ')
    expect(pkg.peerDependencies['react-server-dom-webpack']).toBe(expected)
  })
})

describe('at runtime, with a fake installed release', () => {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true })
  const dir = fs.mkdtempSync(path.join(root, '.cache', 'fake-react-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const modules = path.join(dir, 'node_modules')
  // Its own package scope: inside this project's, `babel-plugin-use-server` would resolve to the project itself.
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "fake-react-probe", "private": true }\n')
  const own = path.join(modules, 'babel-plugin-use-server')
  fs.mkdirSync(own, { recursive: true })
  fs.copyFileSync(path.join(root, 'package.json'), path.join(own, 'package.json'))
  fs.cpSync(path.join(root, 'dist'), path.join(own, 'dist'), { recursive: true })
  fs.symlinkSync(path.join(root, 'node_modules', 'react-dom'), path.join(modules, 'react-dom'))

  /** Installs react-server-dom-webpack (and react) claiming `version`; `exportsPackageJson: false` hides its package.json. */
  function install(version: string, { exportsPackageJson = true, reactVersion = '19.3.1' } = {}) {
    for (const name of ['react-server-dom-webpack', 'react']) fs.rmSync(path.join(modules, name), { recursive: true, force: true })
    const rsdw = path.join(modules, 'react-server-dom-webpack')
    fs.cpSync(path.join(root, 'node_modules', 'react-server-dom-webpack'), rsdw, { recursive: true })
    const pkg = JSON.parse(fs.readFileSync(path.join(rsdw, 'package.json'), 'utf8'))
    pkg.version = version
    if (!exportsPackageJson) delete pkg.exports['./package.json']
    fs.writeFileSync(path.join(rsdw, 'package.json'), JSON.stringify(pkg, null, 2))
    const react = path.join(modules, 'react')
    fs.cpSync(path.join(root, 'node_modules', 'react'), react, { recursive: true })
    for (const file of fs.readdirSync(path.join(react, 'cjs'))) {
      const full = path.join(react, 'cjs', file)
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replaceAll('"19.3.1"', JSON.stringify(reactVersion)))
    }
  }

  /** What handleActionRequest and decryptBoundValues do in a fresh process: `{ handle, decrypt }`, code or status each. */
  function run(env: Record<string, string> = {}) {
    const script = path.join(dir, 'probe.mjs')
    fs.writeFileSync(script, `
      import { handleActionRequest, decryptBoundValues } from 'babel-plugin-use-server/server'
      const outcome = (p) => p.then((r) => r ? { status: r.status } : null, (e) => ({ code: e.code, message: e.message }))
      const request = new Request('http://localhost/', { method: 'POST', headers: { 'rsc-action-id': 'x' }, body: '[]' })
      const handle = await outcome(handleActionRequest(request, { manifest: { version: 1, actions: {} }, loadModule: () => ({}) }))
      const decrypt = await outcome(decryptBoundValues('x', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))
      console.log(JSON.stringify({ handle, decrypt }))`)
    const child = spawnSync(process.execPath, ['--conditions=react-server', script], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, USE_SERVER_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), USE_SERVER_ALLOW_VULNERABLE_REACT: '', ...env },
    })
    expect(child.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('')
    return JSON.parse(child.stdout)
  }

  it('refuses a release below its floor, naming it, in handleActionRequest and decryptBoundValues', () => {
    install('19.2.3')
    const { handle, decrypt } = run()
    for (const outcome of [handle, decrypt]) {
      expect(outcome.code).toBe('USE_SERVER_VULNERABLE_REACT')
      expect(outcome.message).toContain('react-server-dom-webpack 19.2.3 is installed (react-server-dom-webpack/package.json)')
      expect(outcome.message).toContain('19.2.8 or later')
    }
  }, 60_000)

  it('USE_SERVER_ALLOW_VULNERABLE_REACT=1 lets it run', () => {
    install('19.2.3')
    expect(run({ USE_SERVER_ALLOW_VULNERABLE_REACT: '1' })).toMatchObject({ handle: { status: 404 }, decrypt: { code: 'USE_SERVER_INVALID_BOUND' } })
  }, 60_000)

  it('accepts a fixed release', () => {
    install('19.2.8')
    expect(run()).toMatchObject({ handle: { status: 404 }, decrypt: { code: 'USE_SERVER_INVALID_BOUND' } })
  }, 60_000)

  it("falls back to React's version where the package.json cannot be imported", () => {
    install('19.2.3', { exportsPackageJson: false, reactVersion: '19.1.4' })
    const { handle } = run()
    expect(handle.code).toBe('USE_SERVER_VULNERABLE_REACT')
    expect(handle.message).toContain("react-server-dom-webpack 19.1.4 is installed (React's `version`)")
    install('19.2.3', { exportsPackageJson: false, reactVersion: '19.3.1' })
    expect(run().handle).toEqual({ status: 404 })
  }, 60_000)
})
