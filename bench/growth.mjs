// The growth table of `npm run bench` (alone: `npm run bench -- --growth`): does what an action costs depend on how
// many share its file? For each shape (bench/shapes.mjs) and size N, the same file goes through the floor (the
// presets alone), ours, and, on Babel 7, Expo's server-actions plugin (babel-preset-expo), interleaved in a rotating
// order; each figure is the median CPU time of `reps` transforms after warm-up. "extra per action" is
// (variant − floor) / N: flat when the cost is linear in N. "our visitor" is the CPU time inside our Program visitor
// alone (a few more transforms with it timed), free of what a larger AST costs Babel afterwards. "output floor" is
// what the presets alone cost on our output (bench/output-floor.mjs): the least any plugin with this output costs.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { outputFloor, outputFloorVariants, settle } from './output-floor.mjs'
import { shapes, sizes, stubsModule } from './shapes.mjs'

const require = createRequire(import.meta.url)

/** Expo's plugin (Babel 7 only: it builds an AST that Babel 8 rejects), or null where it cannot load. */
export function expoPlugin(babelMajor) {
  if (babelMajor !== 7) return null
  try {
    return require('babel-preset-expo/build/plugins/server-actions-plugin.js').reactServerActionsPlugin
  } catch {
    return null
  }
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage()
  return user + system
}

/** Our plugin with its Program visitor's CPU time added to `visitorTime.us`: its own work, without what its output
 * costs Babel afterwards (the presets' pass over more code, printing it, collecting the garbage of a larger AST). */
const visitorTime = { us: 0 }
const timed = (plugin) => (api, options, dirname) => {
  const instance = plugin(api, options, dirname)
  const program = instance.visitor.Program
  return { ...instance, visitor: { ...instance.visitor, Program(...args) {
    const start = cpuNow()
    try { return program.apply(this, args) } finally { visitorTime.us += cpuNow() - start }
  } } }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/**
 * Runs the table. `names`: the shapes to run (default: the README's two). Returns rows
 * { shape, n, floor, ours, expo | null } in µs, and prints each row to stderr as it comes.
 */
export function runGrowth({ babel, presets, plugin, syntaxPlugins, babelMajor, names = ['inline', 'exports'], reps: fixedReps, budgetMs = 2500 }) {
  const expo = expoPlugin(babelMajor)
  // The stubs shape needs its server module on disk, beside the importer.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'use-server-growth-'))
  const rows = []
  try {
    for (const shape of names) {
      // Warm-up for the shape: the JIT has seen every variant on it before the first (smallest, cheapest) row.
      let warm = true
      for (const n of [10, ...sizes]) {
        const code = shapes[shape](n)
        const filename = path.join(dir, `${shape}-${n}.tsx`)
        const client = shape === 'stubs'
        if (client) fs.writeFileSync(path.join(dir, 'actions.ts'), stubsModule(n))
        const ours = [plugin, { environment: client ? 'client' : 'server', root: dir, ...(client ? { importStubs: true } : {}) }]
        const configs = {
          floor: { presets, plugins: [] },
          ours: { presets, plugins: [ours] },
          ...(expo && !client ? { expo: { presets, plugins: [expo] } } : {}),
        }
        const options = { babelrc: false, configFile: false, sourceType: 'module', filename, root: dir, ast: false, sourceMaps: false }
        const run = Object.fromEntries(Object.entries(configs).map(([name, config]) =>
          [name, () => babel.transformSync(code, { ...config, ...options })]))
        const file = { code, filename }
        for (const [name, variant] of Object.entries(outputFloorVariants({ babel, options: { presets, root: dir }, ours, syntaxPlugins }))) {
          run[name] = () => variant(file)
        }
        const variants = Object.keys(run)
        const timedRun = () => babel.transformSync(code, { presets, plugins: [[timed(plugin), ours[1]]], ...options })
        if (warm) {
          for (let r = 0; r < 20; r++) for (const name of variants) run[name]()
          warm = false
          continue
        }
        // Warm-up, which also sizes the run: about `budgetMs` of CPU per row, 5 to 41 transforms per variant.
        const start = cpuNow()
        for (const name of ['floor', 'ours', ...(run.expo ? ['expo'] : [])]) run[name]()
        const each = (cpuNow() - start) / 1000
        const reps = fixedReps ?? Math.max(5, Math.min(41, 2 * Math.round(budgetMs / each / 2) + 1))
        const samples = Object.fromEntries(variants.map((v) => [v, []]))
        for (let r = 0; r < reps; r++) {
          for (let k = 0; k < variants.length; k++) {
            const name = variants[(k + r) % variants.length]
            settle()
            const t0 = cpuNow()
            run[name]()
            samples[name].push(cpuNow() - t0)
          }
        }
        const visitor = []
        for (let r = 0; r < Math.max(3, Math.ceil(reps / 3)); r++) {
          settle()
          visitorTime.us = 0
          timedRun()
          visitor.push(visitorTime.us)
        }
        const us = Object.fromEntries(variants.map((v) => [v, median(samples[v])]))
        const row = { shape, n, reps, floor: us.floor, ours: us.ours, outputFloor: outputFloor(us), visitor: median(visitor),
          expo: samples.expo ? us.expo : null }
        rows.push(row)
        console.error(`growth ${shape} N=${n} (${reps} reps): floor ${row.floor.toFixed(0)} µs, ours ×${(row.ours / row.floor).toFixed(2)} ` +
          `(+${((row.ours - row.floor) / n).toFixed(0)} µs/action, visitor ${(row.visitor / n).toFixed(0)} µs/action), ` +
          `output floor ×${(row.outputFloor / row.floor).toFixed(2)}` +
          (row.expo === null ? '' : `, Expo ×${(row.expo / row.floor).toFixed(2)} (+${((row.expo - row.floor) / n).toFixed(0)} µs/action)`))
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** The growth rows as Markdown, one table per shape, with per-action growth (N = 640 over N = 10) under each. */
export function growthMarkdown(rows) {
  const out = []
  for (const shape of [...new Set(rows.map((r) => r.shape))]) {
    const of = rows.filter((r) => r.shape === shape)
    const expo = of.some((r) => r.expo !== null)
    const unit = shape === 'stubs' ? 'import' : 'action'
    out.push(`**${shape}**`, '',
      `| ${unit}s | floor µs | ours µs | ours / floor | output floor / floor | ours extra µs per ${unit} | our visitor µs per ${unit} |` +
        (expo ? ' Expo µs | Expo / floor | Expo extra µs per action |' : ''),
      '|---:|---:|---:|---:|---:|---:|---:|' + (expo ? '---:|---:|---:|' : ''),
      ...of.map((r) => `| ${r.n} | ${r.floor.toFixed(0)} | ${r.ours.toFixed(0)} | ${(r.ours / r.floor).toFixed(2)} | ${(r.outputFloor / r.floor).toFixed(2)} | ${((r.ours - r.floor) / r.n).toFixed(0)} | ${(r.visitor / r.n).toFixed(0)} |` +
        (expo ? ` ${r.expo.toFixed(0)} | ${(r.expo / r.floor).toFixed(2)} | ${((r.expo - r.floor) / r.n).toFixed(0)} |` : '')))
    const perAction = (n, key) => {
      const r = of.find((x) => x.n === n)
      if (!r || r[key] === null) return null
      return (key === 'visitor' ? r.visitor : r[key] - r.floor) / n
    }
    const growth = (key) => {
      const [small, large] = [perAction(10, key), perAction(640, key)]
      return small && large ? (large / small).toFixed(2) : '–'
    }
    out.push('', `Per ${unit}, at 640 over at 10: our extra time ×${growth('ours')}, our visitor time ×${growth('visitor')}, ` +
      `the output floor's extra time ×${growth('outputFloor')}` +
      (expo ? `, Expo's extra time ×${growth('expo')}.` : '.'), '')
  }
  return out
}
