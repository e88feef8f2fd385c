// Jest (babel-jest) with the plugin in the project's babel.config.cjs: a real `jest` run in a child process on the
// fixture project, whose spec imports and calls server functions. babel-jest always loads the root's @babel/core
// (Babel 7), whichever Babel the leg selects.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeProject, repoRoot } from '../support'

describe('jest integration (babel-jest)', () => {
  it('runs server functions compiled by babel-jest', () => {
    const fixture = path.join(import.meta.dirname, 'fixture')
    const out = path.join(makeProject('jest', {}), 'results.json')
    const jest = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js')
    const run = spawnSync(process.execPath, [jest, '--ci', '--no-cache', '--rootDir', fixture, '--config', path.join(fixture, 'jest.config.cjs'),
      '--json', `--outputFile=${out}`], { cwd: fixture, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    const results = JSON.parse(fs.readFileSync(out, 'utf8'))
    expect(results.numPassedTests).toBe(2)
    expect(results.numFailedTests).toBe(0)
  })
})
