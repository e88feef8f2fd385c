// A small fixed-seed run of the fuzzers in test/fuzz/ (the full run is `npm run fuzz`): random valid programs with
// inline actions behave the same compiled with the plugin (direct calls and calls over the simulated, encrypted
// wire) as without it; random invalid uses fail with their documented code and a code frame. The plugin is the
// source (src/); outputs import the runtime from dist/ (`npm run build` first, as `npm test` does).
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel'
// @ts-expect-error plain ES module without types
import { createHarness } from './fuzz/harness.mjs'
// @ts-expect-error plain ES module without types
import { generateProgram } from './fuzz/generate.mjs'
// @ts-expect-error plain ES module without types
import { checkInvalid, generateInvalid } from './fuzz/invalid.mjs'
import fs from 'node:fs'

const root = path.resolve(import.meta.dirname, '..')
const SEED = 20_240_601
const VALID = 40
const INVALID = 40
process.env.USE_SERVER_ENCRYPTION_KEY = Buffer.alloc(32, 0x5e).toString('base64')

const importUrl = createRequire(import.meta.url)('./fuzz/native-import.cjs') as (url: string) => Promise<unknown>
const workDir = path.join(root, '.cache', `fuzz-test-${process.pid}`)
const harness = createHarness({ babel, plugin, importUrl, root, workDir })
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }))

describe('differential fuzzing (fixed seeds)', () => {
  it(`${VALID} random programs: original = transformed (direct) = transformed (wire)`, { timeout: 120_000 }, async () => {
    const failures: string[] = []
    for (let i = 0; i < VALID; i++) {
      const seed = SEED + i
      const source = generateProgram(seed)
      const failure = await harness.check(source)
      if (failure) failures.push(`seed ${seed} (${failure.kind}): ${failure.message.slice(0, 2000)}\n--- program:\n${source}`)
    }
    expect(failures, failures.join('\n\n')).toEqual([])
  })

  it(`${INVALID} seeds of invalid uses: the documented code, a code frame, no internal error`, () => {
    const failures: string[] = []
    for (let i = 0; i < INVALID; i++) {
      for (const testCase of generateInvalid(SEED + i)) {
        const problem = checkInvalid(babel, plugin, testCase, root)
        if (problem) failures.push(`seed ${SEED + i} ${testCase.name} (${testCase.environment}): ${problem}\n${testCase.source}`)
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([])
  })
})
