// The warning for a missing USE_SERVER_ENCRYPTION_KEY: one plain line on stderr per process, never through console
// (Jest prints console calls with a stack; React's development build replays them into the browser's console).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'

const server = path.join(import.meta.dirname, '..', 'dist', 'esm', 'runtime', 'server.js')

it('warns once, on stderr, and says what to set', () => {
  const script = `
const calls = []
for (const level of ['log', 'warn', 'error', 'info']) console[level] = (...args) => calls.push(level)
const fresh = () => import(${JSON.stringify(server)} + '?' + Math.random())
for (let i = 0; i < 2; i++) {
  const { encryptBoundValues } = await fresh() // a reloaded module, as a test runner's module registry gives
  await encryptBoundValues('a'.repeat(40), [1])
}
process.stdout.write(JSON.stringify(calls))
`
  const env = { ...process.env }
  delete env.USE_SERVER_ENCRYPTION_KEY
  delete env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS
  const run = spawnSync(process.execPath, ['--conditions=react-server', '--input-type=module', '-e', script], { env, encoding: 'utf8' })
  expect(run.status, run.stderr).toBe(0)
  expect(JSON.parse(run.stdout)).toEqual([])
  const lines = run.stderr.split('\n').filter((line) => line.includes('USE_SERVER_ENCRYPTION_KEY is not set'))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toContain('Set USE_SERVER_ENCRYPTION_KEY to the same base64 32-byte key on every instance')
  expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
})
