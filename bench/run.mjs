// `npm run bench` (builds first): what the plugin adds to a Babel transform. Never a timed test.
//
// For each corpus (see corpus.mjs) and each environment, a round transforms every file of the corpus with:
//   floor   the same presets (TypeScript + React), no plugin
//   no-op   the presets plus a plugin with an empty visitor (the peer figure's baseline)
//   ours    the presets plus babel-plugin-use-server
// interleaved per file in a rotating order (the default 12 rounds put each variant in each place equally often);
// after warm-up rounds, each file's median CPU time per variant is taken, and their mean reported as µs per file and
// as a ratio to the floor. Targets: ours/floor ≤ 1.02 on directive-free code, ≤ 1.15 on directive-heavy code.
// The cheap scan is also timed against Expo's `code.includes('use server')` check.
//
// Flags: --rounds=N (default 12) --warmup=N (default 3) --only=corpus[:env] (e.g. --only=actions:server)
//        --plugin=DIR (a build of the plugin other than dist/esm, for A/B runs) --kind=file|inline (actions subset)
//        --babel=8 (Babel 8 + its presets; needs Node >= 22.18) --no-write (don't write bench/results.md)
//        --growth (only the growth table, see growth.mjs, and its section of results.md; --growth=all or
//        --growth=inline,nested,… for other shapes, printed only)
//        --reps=N (growth: transforms per variant and size; default: about 2.5 s of CPU per row, 5 to 41)
// With --expose-gc (as `npm run bench` runs it), the heap is collected, untimed, before each timed transform
// (bench/output-floor.mjs says why).
// Profile: node --cpu-prof --cpu-prof-dir=.cache/prof bench/run.mjs --only=actions:server --rounds=30
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { actionsCorpus, appCorpus, packagesCorpus } from './corpus.mjs'
import { expoPlugin, growthMarkdown, runGrowth } from './growth.mjs'
import { outputFloor, outputFloorVariants, settle } from './output-floor.mjs'
import { shapes } from './shapes.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v = 'true'] = a.replace(/^--/, '').split('=')
  return [k, v]
}))
const rounds = Number(args.rounds ?? 12)
const warmup = Number(args.warmup ?? 3)
const babelMajor = args.babel === '8' ? 8 : 7

// --plugin=DIR: another build of the plugin (a folder like dist/esm), e.g. to A/B a change to the hot path.
const pluginDir = path.resolve(root, args.plugin ?? 'dist/esm')
const { default: plugin } = await import(path.join(pluginDir, 'index.js'))
const { scanSource } = await import(path.join(pluginDir, 'scan.js'))
const { syntaxPlugins } = await import(path.join(pluginDir, 'syntax.js'))
// --plugin-b=DIR: a second build measured in the same interleaved rounds as variant "B" (printed, not tabulated).
const pluginB = args['plugin-b'] ? (await import(path.join(path.resolve(root, args['plugin-b']), 'index.js'))).default : null
let babel, presetTypescript, presetReact
if (babelMajor === 8) {
  babel = await import('babel8-core')
  ;({ presetTypescript, presetReact } = await import('babel8-presets'))
} else {
  babel = (await import('@babel/core')).default
  presetTypescript = (await import('@babel/preset-typescript')).default
  presetReact = (await import('@babel/preset-react')).default
}

const corpora = [
  { name: 'app', note: 'generated app-like TS/TSX, no directive', target: 1.02, files: appCorpus() },
  { name: 'packages', note: 'real JS/.d.ts from node_modules, no directive', target: 1.02, files: packagesCorpus(root) },
  { name: 'actions', note: "generated, every file has 'use server' (file-level or inline)", target: 1.15, files: actionsCorpus() },
]
const environments = ['server', 'client']

const noop = () => ({ name: 'noop', visitor: {} })
// Arrays built once per variant: Babel caches its config descriptors by their identity, as in a real build.
const presets = [[presetTypescript, {}], [presetReact, { runtime: 'automatic' }]]
// Expo's server-actions plugin (Babel 7 only), beside ours on the directive-heavy server build.
const expo = expoPlugin(babelMajor)
function variants(environment, corpus) {
  const ours = [plugin, { environment, root: '/bench' }]
  const configs = {
    floor: { presets, plugins: [] },
    'no-op': { presets, plugins: [noop] },
    ours: { presets, plugins: [ours] },
    ...(pluginB ? { B: { presets, plugins: [[pluginB, { environment, root: '/bench' }]] } } : {}),
    ...(expo && corpus === 'actions' && environment === 'server' ? { expo: { presets, plugins: [expo] } } : {}),
  }
  const run = Object.fromEntries(Object.entries(configs).map(([name, config]) => [name, (file) => transform(file, config)]))
  // Directive-free files come out as they went in: their output floor is the floor.
  if (corpus !== 'actions') return run
  const floorVariants = outputFloorVariants({ babel, options: { presets, root: '/bench' }, ours, syntaxPlugins })
  for (const [name, variant] of Object.entries(floorVariants)) run[name] = (file) => variant({ code: file.code, filename: `/bench/${file.name}` })
  return run
}

/** The plugin with its Program visitor timed (CPU µs into `selfTime.us`): the plugin's own work, without what its
 * output costs Babel downstream (more code to print, GC). */
const selfTime = { us: 0 }
function timedPlugin(api, options, dirname) {
  const instance = plugin(api, options, dirname)
  const visitor = instance.visitor.Program
  const fn = typeof visitor === 'function' ? visitor : visitor.enter
  const timed = function (...a) {
    const start = cpuNow()
    try { return fn.apply(this, a) } finally { selfTime.us += cpuNow() - start }
  }
  return { ...instance, visitor: { ...instance.visitor, Program: typeof visitor === 'function' ? timed : { ...visitor, enter: timed } } }
}

const transform = (file, config) => babel.transformSync(file.code, {
  ...config, babelrc: false, configFile: false, sourceType: 'module', filename: `/bench/${file.name}`,
  ast: false, sourceMaps: false,
})

const cpuNow = () => {
  const { user, system } = process.cpuUsage()
  return user + system
}

/**
 * One round: every file through every variant, interleaved per file (rotating order), each transform's CPU time
 * (µs, this process) recorded in samples[variant][file]. CPU time rather than wall time: other processes on the
 * machine then add far less noise.
 */
function round(files, run, names, index, samples) {
  files.forEach((file, i) => {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i + index) % names.length]
      settle()
      const start = cpuNow()
      run[name](file)
      samples?.[name][i].push(cpuNow() - start)
    }
  })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function timeScan(files, fn, reps = 200) {
  const start = performance.now()
  let hits = 0
  for (let r = 0; r < reps; r++) for (const f of files) if (fn(f.code)) hits++
  return { usPerFile: ((performance.now() - start) * 1000) / (reps * files.length), hits: hits / reps }
}

// --growth: the growth table alone. With the default shapes it also replaces that section of results.md.
const growthNames = args.growth === 'all' ? Object.keys(shapes) : args.growth && args.growth !== 'true' ? args.growth.split(',') : undefined
const growthSection = (names) => [
  '## Growth: many actions in one file',
  '',
  'One file per size N: **inline** is a server component with N inline actions that all capture the same two ' +
    "props; **exports** a file-level 'use server' module with N exports (bench/shapes.mjs). Median CPU time of " +
    'one transform per variant, interleaved; "extra per action" is (variant − floor) / N, flat when the cost is linear; ' +
    '"our visitor" is the time inside our plugin\'s visitor alone, without what the larger output costs Babel afterwards. ' +
    (babelMajor === 7 ? "Expo: babel-preset-expo's server-actions plugin, same presets, same process." : "Expo's plugin does not run on Babel 8."),
  '',
  ...growthMarkdown(runGrowth({ babel, presets, plugin, syntaxPlugins, babelMajor, names, reps: args.reps ? Number(args.reps) : undefined })),
]
if (args.growth) {
  const section = growthSection(growthNames)
  console.log(section.join('\n'))
  const results = path.join(root, 'bench', 'results.md')
  if (!growthNames && babelMajor === 7 && args['no-write'] !== 'true' && fs.existsSync(results)) {
    const text = fs.readFileSync(results, 'utf8')
    const at = text.indexOf('## Growth')
    fs.writeFileSync(results, (at === -1 ? text + '\n' : text.slice(0, at)) + section.join('\n'))
  }
  process.exit(0)
}

const rows = []
const scans = []
for (const corpus of corpora) {
  for (const environment of environments) {
    if (args.only && args.only !== corpus.name && args.only !== `${corpus.name}:${environment}`) continue
    // Inline actions are server-only: the client build of the directive-heavy corpus gets its file-level modules.
    const files = (environment === 'client' ? corpus.files.filter((f) => f.kind !== 'inline') : corpus.files)
      .filter((f) => !args.kind || !f.kind || f.kind === args.kind)
    const kb = files.reduce((n, f) => n + f.code.length, 0) / 1024
    const run = variants(environment, corpus.name)
    const names = Object.keys(run)
    const samples = Object.fromEntries(names.map((n) => [n, files.map(() => [])]))
    for (let r = 0; r < warmup + rounds; r++) round(files, run, names, r, r >= warmup ? samples : undefined)
    // Per file, the median over rounds; a variant's figure is the mean of those over the corpus.
    const us = Object.fromEntries(names.map((n) => [n, samples[n].reduce((sum, xs) => sum + median(xs), 0) / files.length]))
    // The ratio of those means: the table's µs columns divided. (A paired figure, the median over rounds of each
    // round's ratio, was tried: with per-transform times this skewed (GC pauses of 10+ ms in 2 ms transforms) it
    // read 2–4 % above both this ratio and the plugin's own measured time on directive-free code.)
    const ratioOf = (name) => us[name] / us.floor
    const ratio = ratioOf('ours')
    // The plugin's own visitor time, as a share of the floor (a few more passes with the timed plugin).
    const timedConfig = { presets, plugins: [[timedPlugin, { environment, root: '/bench' }]] }
    const selfPerFile = files.map(() => [])
    for (let r = 0; r < Math.max(3, Math.ceil(rounds / 3)); r++) {
      files.forEach((file, i) => {
        settle()
        selfTime.us = 0
        transform(file, timedConfig)
        selfPerFile[i].push(selfTime.us)
      })
    }
    const self = selfPerFile.reduce((sum, xs) => sum + median(xs), 0) / files.length / us.floor
    const row = {
      corpus: corpus.name, environment, files: files.length, kb, floor: us.floor, noop: us['no-op'], ours: us.ours,
      ratio, noopRatio: ratioOf('no-op'), self, target: corpus.target, ok: ratio <= corpus.target,
      expoRatio: us.expo ? ratioOf('expo') : null, outputFloorRatio: us.output ? outputFloor(us) / us.floor : null,
    }
    rows.push(row)
    // A corpus of two kinds (file-level and inline actions): each kind's share of the same rounds, as rows of its own.
    const kinds = [...new Set(files.map((f) => f.kind).filter(Boolean))]
    if (kinds.length > 1) {
      for (const kind of kinds) {
        const of = files.map((f, i) => f.kind === kind ? i : -1).filter((i) => i !== -1)
        const mean = (n) => of.reduce((sum, i) => sum + median(samples[n][i]), 0) / of.length
        const [floor, ours] = [mean('floor'), mean('ours')]
        const outputFloorRatio = us.output ? outputFloor(Object.fromEntries(['output', 'parse output', 'parse input'].map((n) => [n, mean(n)]))) / floor : null
        rows.push({ corpus: `${corpus.name}: ${kind === 'inline' ? 'inline' : 'file-level'} files`, environment, files: of.length,
          kb: of.reduce((n, i) => n + files[i].code.length, 0) / 1024, floor, noop: mean('no-op'), ours, ratio: ours / floor,
          noopRatio: mean('no-op') / floor, self: of.reduce((sum, i) => sum + median(selfPerFile[i]), 0) / of.length / floor,
          target: corpus.target, ok: ours / floor <= corpus.target, expoRatio: us.expo ? mean('expo') / floor : null, outputFloorRatio })
      }
    }
    console.error(`${corpus.name}/${environment}: floor ${us.floor.toFixed(0)} µs, no-op ${us['no-op'].toFixed(0)} µs, ours ${us.ours.toFixed(0)} µs/file → ×${ratio.toFixed(3)} (no-op ×${ratioOf('no-op').toFixed(3)}; target ≤ ${corpus.target})` + ` self ${(100 * self).toFixed(2)}%` +
      (pluginB ? `; B ${us.B.toFixed(0)} µs/file → ×${ratioOf('B').toFixed(3)}` : '') +
      (us.expo ? `; Expo ×${ratioOf('expo').toFixed(3)}` : '') +
      (us.output ? `; output floor ×${(outputFloor(us) / us.floor).toFixed(3)}` : ''))
  }
  const withDirective = corpus.files.filter((f) => scanSource(f.code)).length
  scans.push({
    corpus: corpus.name,
    files: corpus.files.length,
    withDirective,
    includes: timeScan(corpus.files, (c) => c.includes('use server')),
    scan: timeScan(corpus.files, scanSource),
  })
}

const f1 = (x) => x.toFixed(1)
const f3 = (x) => x.toFixed(3)
const floorOf = (name) => rows.find((r) => r.corpus === name && r.environment === 'server')?.floor
const lines = [
  `# Bench: babel-plugin-use-server vs. the Babel floor`,
  '',
  `Babel ${babel.version}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} threads); ` +
    `CPU time per transform, median per file over ${rounds} rounds (after ${warmup} warm-up), mean over files; presets: TypeScript + React (automatic). ` +
    'Generated by `npm run bench` (bench/run.mjs); numbers vary by machine, ratios less so.',
  '',
  '| corpus | env | files | KB | floor µs/file | no-op plugin µs/file | ours µs/file | no-op / floor | ours / floor | output floor / floor | plugin\'s own visitor time | Expo / floor | target | |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.corpus} | ${r.environment} | ${r.files} | ${r.kb.toFixed(0)} | ${f1(r.floor)} | ${f1(r.noop)} | ${f1(r.ours)} | ${f3(r.noopRatio)} | ${f3(r.ratio)} | ${r.outputFloorRatio === null ? '–' : f3(r.outputFloorRatio)} | ${(100 * r.self).toFixed(2)} % | ${r.expoRatio === null ? '–' : f3(r.expoRatio)} | ≤ ${r.target} | ${r.ok ? 'ok' : '**missed**'} |`),
  '',
  'Ratios are those of the µs columns (per file the median over rounds, then the mean over files). **no-op / floor** is the noise left (an empty-visitor plugin costs ~nothing). ' +
    '**output floor / floor**: the presets alone on our output (parsing the input, not the output; bench/output-floor.mjs), ' +
    'what a plugin making this output in no time would cost: no implementation of this output goes below it. ' +
    '**plugin\'s own visitor time**: CPU time inside the plugin\'s visitor as a share of the floor — on directive-free ' +
    'files the whole of what the plugin adds, measured directly rather than as a difference of two noisy totals; on ' +
    'directive-heavy files Babel also pays downstream for the larger output (printing, GC). **Expo / floor**: ' +
    "babel-preset-expo's server-actions plugin in the same rounds (Babel 7, the directive-heavy server build only).",
  '',
  'Corpora: ' + corpora.map((c) => `**${c.name}**: ${c.note}`).join('; ') + '. The client build of **actions** ' +
    'gets only its file-level modules (inline actions are server-only).',
  '',
  '## The pre-check alone',
  '',
  '| corpus | files | files passing our scan | `includes(\'use server\')` µs/file | our scan µs/file | scan as % of floor |',
  '|---|---:|---:|---:|---:|---:|',
  ...scans.map((s) => `| ${s.corpus} | ${s.files} | ${s.withDirective} | ${s.includes.usPerFile.toFixed(2)} | ${s.scan.usPerFile.toFixed(2)} | ` +
    `${floorOf(s.corpus) ? ((100 * s.scan.usPerFile) / floorOf(s.corpus)).toFixed(2) + ' %' : '–'} |`),
  '',
  ...(args.only ? [] : growthSection()),
]
const text = lines.join('\n')
console.log(text)
if (args['no-write'] !== 'true' && !args.only) fs.writeFileSync(path.join(root, 'bench', 'results.md'), text)
