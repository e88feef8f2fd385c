// The manifest under real build conditions: 8 worker processes (test/support/manifest-worker.mjs, the built plugin)
// transform one generated project of 1,002 files and merge into one manifest with updateManifestFile. Checked:
// complete and valid with concurrent writers; after workers are SIGKILLed mid-build and the build re-run (stale locks
// broken, no corrupt file); byte-identical outputs and manifest from two checkout paths and different worker orders.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManifest, parseManifest, serializeManifest } from '../src/manifest/index.ts'
import plugin from '../src/index.ts'
import { babel } from './support/babel'

const worker = path.join(import.meta.dirname, 'support', 'manifest-worker.mjs')
const FILES = 1002
const WORKERS = 8
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'use-server-stress-'))
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }))

/** A project of directive-free, file-level and inline files; returns the file list (relative paths). */
function generateProject(root: string): string[] {
  const files: string[] = []
  for (let i = 0; i < FILES; i++) {
    const file = `src/d${i % 17}/m${i}.js`
    const kind = i % 3
    const code = kind === 0
      ? `'use server'\nimport { db } from '../db.js'\nexport async function save${i}(x) { return db.save(${i}, x) }\nexport const load${i} = async () => db.load(${i})\n`
      : kind === 1
        ? `export function Page${i}(props) {\n  const id = props.id + ${i}\n  return async function act(x) { 'use server'; return [id, x] }\n}\n` +
          `export function other${i}(v) { return [async () => { 'use server'; return v }, async (y = v) => { 'use server'; return y }] }\n`
        : `export function plain${i}(a) { return a * ${i} } // 'use client' is not here; "use server" in a comment\n`
    fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), code)
    files.push(file)
  }
  return files
}

interface Run { done: Promise<number | null>; progress: () => number; kill: () => void }
function startWorker(root: string, out: string, manifest: string, files: string[], batch = 1): Run {
  const child = spawn(process.execPath, [worker, root, out, manifest, ...files],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MANIFEST_BATCH: String(batch) } })
  let lines = 0
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { lines += chunk.toString().split('\n').length - 1 })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const done = new Promise<number | null>((resolve) => child.on('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') console.error(`worker exited ${code ?? signal}: ${stderr}`)
    resolve(signal === 'SIGKILL' ? null : code)
  }))
  return { done, progress: () => lines, kill: () => child.kill('SIGKILL') }
}

/** Shards `files` over the workers; `overlap` also gives every 4th file to a second worker (concurrent rewrites). */
function shards(files: string[], { reverse = false, overlap = false } = {}): string[][] {
  const out: string[][] = Array.from({ length: WORKERS }, () => [])
  files.forEach((file, i) => {
    out[i % WORKERS].push(file)
    if (overlap && i % 4 === 0) out[(i + 3) % WORKERS].push(file)
  })
  return reverse ? out.reverse().map((s) => s.reverse()) : out
}

async function build(root: string, out: string, manifest: string, parts: string[][], batch = 1): Promise<void> {
  const codes = await Promise.all(parts.map((files) => startWorker(root, out, manifest, files, batch).done))
  expect(codes).toEqual(parts.map(() => 0))
}

/** The manifest the project must produce, computed in this process from the plugin's metadata. */
function expectedManifest(root: string, files: string[]): string {
  const metas = files.map((file) => (babel.transformSync(fs.readFileSync(path.join(root, file), 'utf8'), {
    filename: path.join(root, file), babelrc: false, configFile: false, sourceType: 'module',
    plugins: [[plugin, { environment: 'server', root }]],
  })!.metadata as any).useServer)
  return serializeManifest(createManifest(metas))
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.lock') || f.includes('.stale'))
}

function readTree(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else found.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'))
    }
  }
  walk(dir)
  return found
}

describe('manifest under parallel and interrupted builds', () => {
  const root = path.join(temp, 'checkout-a', 'project')
  let files: string[]
  let expected: string
  beforeAll(() => {
    files = generateProject(root)
    expected = expectedManifest(root, files)
  })

  it(`${WORKERS} concurrent workers, one lock cycle per file, some files built twice: complete and valid`, async () => {
    expect(Object.keys(parseManifest(expected).actions).length).toBe(334 * 2 + 334 * 3) // file-level: 2 exports; inline: 3
    const out = path.join(temp, 'out-parallel')
    const manifest = path.join(out, 'manifest.json')
    await build(root, out, manifest, shards(files, { overlap: true }))
    expect(fs.readFileSync(manifest, 'utf8')).toBe(expected)
    expect(leftovers(out)).toEqual([])
  }, 60_000)

  it('workers SIGKILLed mid-build, then the build re-run: complete, valid, no stuck lock', async () => {
    const out = path.join(temp, 'out-killed')
    const manifest = path.join(out, 'manifest.json')
    const runs = shards(files).map((part) => startWorker(root, out, manifest, part))
    // Kill everything once about a third of the files are through (some worker is then likely inside the lock).
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (runs.reduce((n, r) => n + r.progress(), 0) >= FILES / 3) { clearInterval(timer); resolve() }
      }, 5)
    })
    for (const run of runs) run.kill()
    await Promise.all(runs.map((r) => r.done))
    // Whatever the kill interrupted, the manifest is absent or a complete, valid manifest (never partial).
    if (fs.existsSync(manifest)) expect(() => parseManifest(fs.readFileSync(manifest, 'utf8'))).not.toThrow()
    // The re-run must get past a lock left by a killed owner (stale after 10 s) and finish the manifest.
    await build(root, out, manifest, shards(files), 25)
    expect(fs.readFileSync(manifest, 'utf8')).toBe(expected)
    expect(leftovers(out)).toEqual([])
    // Temp files of writes that were killed before their rename may remain; they are never the manifest.
    for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))) expect(f).toMatch(/^manifest\.json\.\d+\..+\.tmp$/)
  }, 60_000)

  it('two checkout paths and different worker orders: byte-identical outputs and manifest', async () => {
    const rootB = path.join(temp, 'elsewhere', 'deeper', 'checkout-b')
    fs.cpSync(root, rootB, { recursive: true })
    // Checkout A: the complete build of the first test (forward order, one merge per file, some files twice).
    const outA = path.join(temp, 'out-parallel'), outB = path.join(temp, 'out-b')
    if (!fs.existsSync(path.join(outA, 'manifest.json'))) await build(root, outA, path.join(outA, 'manifest.json'), shards(files), 25)
    await build(rootB, outB, path.join(outB, 'manifest.json'), shards(files, { reverse: true }).slice(0, 4).concat(
      shards(files, { reverse: true }).slice(4).map((part) => [...part].sort())), 10)
    const [a, b] = [readTree(outA), readTree(outB)]
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort())
    for (const [file, text] of a) expect(b.get(file), file).toBe(text)
    expect(a.get('manifest.json')).toBe(expected)
    for (const text of a.values()) expect(text).not.toContain(temp)
  }, 60_000)
})
