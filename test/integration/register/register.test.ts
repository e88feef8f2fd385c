// @babel/register with the plugin, in a child `node --conditions=react-server` process: requiring a 'use server'
// TypeScript module compiles it for the server, and its functions are callable server references.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { actionId } from '../../../src/index.ts'

describe('@babel/register integration', () => {
  it('compiles a server module on require and runs its server functions', () => {
    const fixture = path.join(import.meta.dirname, 'fixture')
    const run = spawnSync(process.execPath, ['--conditions=react-server', 'main.cjs'], {
      cwd: fixture, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
    })
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
      reference: true,
      id: actionId('', 'actions.ts', 'save'),
      registered: true,
      saved: 'saved register',
      added: 3,
    })
  })
})
