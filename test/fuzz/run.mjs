// `npm run fuzz`: differential fuzzing of the built plugin (dist/) on random valid programs, then the invalid-use
// generator. Program i uses seed FUZZ_SEED + i.
//   FUZZ_COUNT   programs to run (default 1000)
//   FUZZ_SEED    first seed (default 1)
//   FUZZ_SIZE    statements per block (default 7); FUZZ_DEPTH nesting depth (default 3)
//   FUZZ_INVALID invalid programs to check (default 300)
//   FUZZ_SEEDS   a comma-separated list of seeds to run instead (e.g. the failing seeds of an earlier run)
//   FUZZ_SHRINK  0 to print failing programs without shrinking them
//   USE_SERVER_BABEL=8 uses Babel 8 (babel8-core; Node >= 22.18)
// A failure prints its seed, the reason and the smallest program found that still fails; exit code 1.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

// Bound values are serialized with React Flight, which needs the react-server export condition.
if (!process.execArgv.some((a) => a.includes('react-server')) && !process.env.FUZZ_CHILD) {
  const child = spawnSync(process.execPath, ['--conditions=react-server', ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, FUZZ_CHILD: '1' },
  })
  process.exit(child.status ?? 1)
}

const { createHarness } = await import('./harness.mjs')
const { generateProgram, DEFAULT_SIZE } = await import('./generate.mjs')
const { checkInvalid, generateInvalid } = await import('./invalid.mjs')

process.env.USE_SERVER_ENCRYPTION_KEY ??= Buffer.alloc(32, 0x5e).toString('base64')
const require = createRequire(import.meta.url)
const babel = process.env.USE_SERVER_BABEL === '8' ? await import('babel8-core') : require('@babel/core')
const { default: plugin } = await import(path.join(root, 'dist/esm/index.js'))

const firstSeed = Number(process.env.FUZZ_SEED ?? 1)
const seeds = process.env.FUZZ_SEEDS
  ? process.env.FUZZ_SEEDS.split(',').map(Number)
  : Array.from({ length: Number(process.env.FUZZ_COUNT ?? 1000) }, (_, i) => firstSeed + i)
const count = seeds.length
const invalidCount = Number(process.env.FUZZ_INVALID ?? 300)
const size = { statements: Number(process.env.FUZZ_SIZE ?? DEFAULT_SIZE.statements), depth: Number(process.env.FUZZ_DEPTH ?? DEFAULT_SIZE.depth) }
const workDir = path.join(root, '.cache', `fuzz-${process.pid}`)
const harness = createHarness({ babel: babel.default ?? babel, plugin, importUrl: (url) => import(url), root, workDir })

const started = Date.now()
const failures = []
const invalidGenerated = []
for (const seed of seeds) {
  const source = generateProgram(seed, size)
  const failure = await harness.check(source)
  if (!failure) continue
  if (failure.kind === 'invalid') {
    invalidGenerated.push({ seed, ...failure })
    continue
  }
  console.log(`\n✗ seed ${seed}: ${failure.kind}\n${failure.message.split('\n').slice(0, 30).join('\n')}`)
  let smallest = source
  if (process.env.FUZZ_SHRINK !== '0') {
    // Smaller programs from the same seed first, then deleting parts of the smallest failing one.
    for (let depth = 1; depth <= size.depth; depth++) {
      for (let statements = 1; statements <= size.statements; statements++) {
        const candidate = generateProgram(seed, { statements, depth })
        if (candidate.length < smallest.length && (await harness.check(candidate))?.kind === failure.kind) smallest = candidate
      }
    }
    smallest = await harness.shrink(smallest, failure.kind)
  }
  const again = await harness.check(smallest)
  console.log(`--- smallest program for seed ${seed} (${failure.kind}):\n${smallest}\n--- its failure:\n${again?.message.split('\n').slice(0, 30).join('\n')}\n`)
  failures.push({ seed, kind: failure.kind, smallest })
}
const validSeconds = (Date.now() - started) / 1000

let invalidFailures = 0
const invalidStarted = Date.now()
for (let i = 0; i < invalidCount; i++) {
  const seed = firstSeed + i
  const cases = generateInvalid(seed)
  for (const testCase of cases) {
    const problem = checkInvalid(babel.default ?? babel, plugin, testCase, root)
    if (problem) {
      invalidFailures++
      console.log(`\n✗ invalid seed ${seed} (${testCase.name}, ${testCase.environment}): ${problem}\n${testCase.source}\n`)
    }
  }
}
const invalidSeconds = (Date.now() - invalidStarted) / 1000

fs.rmSync(workDir, { recursive: true, force: true })
if (invalidGenerated.length) {
  console.log(`\n${invalidGenerated.length} generated programs were not valid themselves (generator bugs), e.g. seed ` +
    `${invalidGenerated[0].seed}: ${invalidGenerated[0].message.split('\n')[0]}`)
}
console.log(`\nfuzz: ${count} valid programs (seeds ${seeds[0]}..${seeds[count - 1]}) in ${validSeconds.toFixed(1)}s, ` +
  `${failures.length} failing; ${invalidCount} invalid seeds in ${invalidSeconds.toFixed(1)}s, ${invalidFailures} failing`)
if (failures.length) console.log(`failing seeds: ${failures.map((f) => `${f.seed} (${f.kind})`).join(', ')}`)
process.exitCode = failures.length || invalidFailures || invalidGenerated.length ? 1 : 0
if (process.env.FUZZ_VERBOSE) for (const g of invalidGenerated) console.log(`invalid seed ${g.seed}: ${g.message.split('\n')[0]}`)
