// Client code that calls a server function, unit-tested in Node: the fixture's one spec runs under Jest (babel-jest,
// the plugin with environment 'client' in babel.config.cjs) and under Vitest (the Vite plugin with environment
// 'client'), each a real run in a child process. Node resolves React's SSR Flight client, whose references refuse
// every call; the client runtime wraps them, so once setCallServer is called the stub reaches its function.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support'

const fixture = path.join(import.meta.dirname, 'fixture')
// Without the react-server condition of this suite's workers: a client test runs as an app's would.
const env = { ...process.env, NODE_OPTIONS: '' }
const bin = (...parts: string[]) => path.join(repoRoot, 'node_modules', ...parts)

describe('client stubs in Node test runners', () => {
  it('Jest (babel-jest)', () => {
    const run = spawnSync(process.execPath, [bin('jest', 'bin', 'jest.js'), '--ci', '--no-cache', '--rootDir', fixture,
      '--config', path.join(fixture, 'jest.config.cjs')], { cwd: fixture, encoding: 'utf8', env })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    expect(run.stderr).toMatch(/Tests:\s+1 passed, 1 total/)
  })

  it('Vitest (the Vite plugin)', () => {
    const run = spawnSync(process.execPath, [bin('vitest', 'vitest.mjs'), 'run', '--root', fixture, '--config',
      path.join(fixture, 'vitest.config.mjs')], { cwd: fixture, encoding: 'utf8', env })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    expect(run.stdout).toMatch(/Tests\s+.*1 passed/)
  })
})
