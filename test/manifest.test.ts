import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markerText, type UseServerMetadata } from '../src/metadata.js'
import {
  addToManifest,
  createManifest,
  manifestFromOutputs,
  parseManifest,
  readManifestFile,
  removeModule,
  serializeManifest,
  serializeReactServerManifest,
  toReactServerManifest,
  updateManifestFile,
  updateManifestFileAsync,
  writeManifestFile,
  type ServerManifest,
} from '../src/manifest/index.js'
import { acquireLockSync } from '../src/manifest/lock.js'

const srcDir = path.join(import.meta.dirname, '..', 'src')

const a: UseServerMetadata = {
  file: 'src/a.ts',
  actions: [
    { id: 'a1', name: 'save', kind: 'export' },
    { id: 'a2', name: '$$INLINE_ACTION_0', kind: 'inline' },
  ],
}
const b: UseServerMetadata = { file: 'src/b.ts', actions: [{ id: 'b1', name: 'default', kind: 'export' }] }
const c: UseServerMetadata = { file: 'src/nested/c.tsx', actions: [{ id: '0c', name: 'remove', kind: 'export' }] }
const d: UseServerMetadata = { file: 'src/d.ts', actions: [{ id: 'ff', name: 'load', kind: 'inline' }] }

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'use-server-manifest-'))
})
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})
function tempDir(): string {
  return fs.mkdtempSync(path.join(tmp, 'case-'))
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

describe('building the manifest', () => {
  it('maps every action ID to its module, export and kind', () => {
    expect(createManifest([a, b])).toEqual({
      version: 1,
      actions: {
        a1: { module: 'src/a.ts', export: 'save', kind: 'export' },
        a2: { module: 'src/a.ts', export: '$$INLINE_ACTION_0', kind: 'inline' },
        b1: { module: 'src/b.ts', export: 'default', kind: 'export' },
      },
    })
  })

  it('skips absent metadata and starts empty without arguments', () => {
    expect(createManifest([undefined, b, null])).toEqual(createManifest([b]))
    expect(createManifest()).toEqual({ version: 1, actions: {} })
  })

  it('refuses what is not the plugin\'s metadata (a Babel result\'s whole metadata) with USE_SERVER_INVALID_METADATA', () => {
    const whole = { useServer: b, useServerDependencies: [] }
    expect(() => createManifest([whole as never])).toThrow(
      /^\[USE_SERVER_INVALID_METADATA\] .*`result\.metadata\.useServer`.*not an object with "useServer", "useServerDependencies"\.$/)
    expect(() => createManifest(['src/a.ts' as never])).toThrow(/not string\.$/)
    expect(() => createManifest([{ file: 'a.js' } as never])).toThrow(/USE_SERVER_INVALID_METADATA/)
  })

  it('replaces a rebuilt file’s entries and leaves other files alone', () => {
    const manifest = createManifest([a, b])
    addToManifest(manifest, { file: 'src/a.ts', actions: [{ id: 'a3', name: 'save', kind: 'export' }] })
    expect(Object.keys(manifest.actions).sort()).toEqual(['a3', 'b1'])
  })

  it('clears a file that no longer has actions', () => {
    const manifest = addToManifest(createManifest([a, b]), { file: 'src/a.ts', actions: [] })
    expect(Object.keys(manifest.actions)).toEqual(['b1'])
  })

  it('removes a module', () => {
    const manifest = removeModule(createManifest([a, b, c]), 'src/a.ts')
    expect(Object.keys(manifest.actions).sort()).toEqual(['0c', 'b1'])
    expect(removeModule(manifest, 'src/missing.ts')).toBe(manifest)
  })

  it('treats odd IDs such as __proto__ as ordinary keys', () => {
    const manifest = createManifest([{ file: 'x.ts', actions: [{ id: '__proto__', name: 'x', kind: 'export' }] }])
    expect(parseManifest(serializeManifest(manifest)).actions['__proto__']).toEqual({ module: 'x.ts', export: 'x', kind: 'export' })
  })
})

describe('serialisation', () => {
  it('is byte-identical whatever order the files are added in, rebuilds included', () => {
    const stale: UseServerMetadata = { file: 'src/b.ts', actions: [{ id: 'old', name: 'gone', kind: 'export' }] }
    const texts = new Set(
      permutations([a, b, c, d]).map((order) => {
        const manifest = createManifest([stale])
        for (const meta of order) addToManifest(manifest, meta)
        return serializeManifest(manifest)
      }),
    )
    expect(texts.size).toBe(1)
    expect([...texts][0]).toBe(serializeManifest(createManifest([a, b, c, d])))
  })

  it('writes 2-space JSON sorted by action ID with a trailing newline', () => {
    const text = serializeManifest(createManifest([d, c, b, a]))
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "actions": {',
        '    "0c": {',
        '      "module": "src/nested/c.tsx",',
        '      "export": "remove",',
        '      "kind": "export"',
        '    },',
        '    "a1": {',
        '      "module": "src/a.ts",',
        '      "export": "save",',
        '      "kind": "export"',
        '    },',
        '    "a2": {',
        '      "module": "src/a.ts",',
        '      "export": "$$INLINE_ACTION_0",',
        '      "kind": "inline"',
        '    },',
        '    "b1": {',
        '      "module": "src/b.ts",',
        '      "export": "default",',
        '      "kind": "export"',
        '    },',
        '    "ff": {',
        '      "module": "src/d.ts",',
        '      "export": "load",',
        '      "kind": "inline"',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
  })

  it('matches JSON.stringify for an empty manifest', () => {
    expect(serializeManifest(createManifest())).toBe(`${JSON.stringify(createManifest(), null, 2)}\n`)
  })

  it('sorts all-digit IDs as strings too (JSON.stringify would put them first)', () => {
    const manifest = createManifest([
      { file: 'n.ts', actions: ['b0', '9', '10', 'a'].map((id) => ({ id, name: `f${id}`, kind: 'export' as const })) },
    ])
    const idsInText = [...serializeManifest(manifest).matchAll(/^ {4}"(\w+)": \{$/gm)].map((match) => match[1])
    expect(idsInText).toEqual(['10', '9', 'a', 'b0'])
  })

  it('round-trips through parseManifest, and parseManifest rejects what is not a manifest', () => {
    const manifest = createManifest([a, b, c])
    expect(parseManifest(serializeManifest(manifest))).toEqual(manifest)
    expect(() => parseManifest('{"version":2,"actions":{}}')).toThrow(/Not a use-server manifest/)
    expect(() => parseManifest('{"version":1,"actions":{"x":{"module":"m","export":"e","kind":"other"}}}')).toThrow(/"x"/)
    expect(() => parseManifest('{"version":1,')).toThrow(SyntaxError)
  })
})

describe('React server manifest', () => {
  it('has react-server-dom-webpack’s { id, chunks, name } shape, keyed by action ID', () => {
    expect(toReactServerManifest(createManifest([a, b]))).toEqual({
      a1: { id: 'src/a.ts', chunks: [], name: 'save' },
      a2: { id: 'src/a.ts', chunks: [], name: '$$INLINE_ACTION_0' },
      b1: { id: 'src/b.ts', chunks: [], name: 'default' },
    })
  })

  it('maps modules to bundler IDs', () => {
    const ids: Record<string, number> = { 'src/a.ts': 7, 'src/b.ts': 12 }
    const react = toReactServerManifest(createManifest([b, a]), { moduleId: (module) => ids[module] })
    expect(react.a1).toEqual({ id: 7, chunks: [], name: 'save' })
    expect(react.b1).toEqual({ id: 12, chunks: [], name: 'default' })
  })

  it('serialises deterministically', () => {
    const one = serializeReactServerManifest(toReactServerManifest(createManifest([a, b, c])))
    const other = serializeReactServerManifest(toReactServerManifest(createManifest([c, b, a])))
    expect(one).toBe(other)
    expect(Object.keys(JSON.parse(one))).toEqual(['0c', 'a1', 'a2', 'b1'])
    expect(one.endsWith('}\n')).toBe(true)
  })
})

describe('rebuilding from emitted code', () => {
  const fileCode = (meta: UseServerMetadata) => `"use strict";\n/*${markerText(meta)}*/\nexport async function x() {}\n`

  it('reads the markers of each output, several per bundle', () => {
    const bundle = { code: `${fileCode(a)}// some other module\n/* a plain comment */\n${fileCode(c)}` }
    expect(manifestFromOutputs([bundle, { code: fileCode(b) }, { code: 'export {}' }])).toEqual(createManifest([a, b, c]))
  })

  it('gives the same text as the Babel metadata did', () => {
    const outputs = [a, b, c, d].map((meta) => ({ code: fileCode(meta) }))
    expect(serializeManifest(manifestFromOutputs(outputs))).toBe(serializeManifest(createManifest([d, c, b, a])))
  })

  it('survives names containing */ and a file whose marker lists no actions', () => {
    const odd: UseServerMetadata = { file: 'src/odd*/x.ts', actions: [{ id: 'o1', name: 'a*/b', kind: 'export' }] }
    const empty: UseServerMetadata = { file: 'src/a.ts', actions: [] }
    const manifest = manifestFromOutputs([{ code: fileCode(a) }, { code: fileCode(odd) }, { code: fileCode(empty) }])
    expect(manifest).toEqual(createManifest([odd]))
  })

  it('skips malformed actions in a marker', () => {
    const code = '/* @use-server {"file":"m.ts","actions":[{"id":"ok","name":"f","kind":"export"},{"id":3},{"id":"k","name":"g","kind":"?"}]} */'
    expect(Object.keys(manifestFromOutputs([{ code }]).actions)).toEqual(['ok'])
  })
})

describe('manifest files', () => {
  it('writes, reads back, and reads a missing file as empty', () => {
    const file = path.join(tempDir(), 'deep', 'er', 'manifest.json')
    expect(readManifestFile(file)).toEqual(createManifest())
    const manifest = createManifest([a, b])
    writeManifestFile(file, manifest)
    expect(fs.readFileSync(file, 'utf8')).toBe(serializeManifest(manifest))
    expect(readManifestFile(file)).toEqual(manifest)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['manifest.json'])
  })

  it('refuses to read a corrupt file', () => {
    const file = path.join(tempDir(), 'manifest.json')
    fs.writeFileSync(file, '{"version": 1, "act')
    expect(() => readManifestFile(file)).toThrow()
  })

  it('merges updates, replacing a file’s entries', () => {
    const file = path.join(tempDir(), 'm', 'manifest.json')
    updateManifestFile(file, [a, b])
    const result = updateManifestFile(file, [{ file: 'src/a.ts', actions: [] }, c])
    expect(result).toEqual(createManifest([b, c]))
    expect(fs.readFileSync(file, 'utf8')).toBe(serializeManifest(createManifest([b, c])))
    expect(fs.readdirSync(path.dirname(file))).toEqual(['manifest.json'])
  })

  it('does not rewrite the file when nothing changed', () => {
    const file = path.join(tempDir(), 'manifest.json')
    updateManifestFile(file, [a])
    const { ino } = fs.statSync(file)
    updateManifestFile(file, [a, undefined])
    expect(fs.statSync(file).ino).toBe(ino)
  })

  it('updates asynchronously too', async () => {
    const file = path.join(tempDir(), 'manifest.json')
    await Promise.all([updateManifestFileAsync(file, [a]), updateManifestFileAsync(file, [b])])
    expect(readManifestFile(file)).toEqual(createManifest([a, b]))
  })

  it('starts over from a corrupt file instead of failing the build', () => {
    const file = path.join(tempDir(), 'manifest.json')
    fs.writeFileSync(file, 'not json')
    expect(updateManifestFile(file, [b])).toEqual(createManifest([b]))
    expect(readManifestFile(file)).toEqual(createManifest([b]))
  })
})

describe('interrupted writers', () => {
  // proper-lockfile's lock is the directory <file>.lock; it is stale once its mtime is 10 s old.
  const staleLock = (file: string, seconds: number) => {
    fs.mkdirSync(`${file}.lock`)
    const then = new Date(Date.now() - seconds * 1000)
    fs.utimesSync(`${file}.lock`, then, then)
  }

  it('ignores a leftover temp file and takes over a stale lock (its owner crashed)', () => {
    const dir = tempDir()
    const file = path.join(dir, 'manifest.json')
    writeManifestFile(file, createManifest([a]))
    const leftover = `${file}.99999.tmp`
    fs.writeFileSync(leftover, '{"version": 1, "actions": {"half')
    staleLock(file, 15)
    expect(updateManifestFile(file, [b])).toEqual(createManifest([a, b]))
    expect(readManifestFile(file)).toEqual(createManifest([a, b]))
    expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', path.basename(leftover)])
  })

  it('lets one process at a time through a stale lock that many saw stale at once', async () => {
    // Eight processes start waiting on a dead owner's lock together: several see it stale before any breaks it.
    // Breaking it must not remove the lock that the first of them took meanwhile (two would merge at once).
    const waiter = path.join(import.meta.dirname, 'support', 'lock-waiter.mjs')
    for (let round = 0; round < 3; round++) {
      const file = path.join(tempDir(), 'manifest.json')
      staleLock(file, 15)
      const startAt = Date.now() + 700 // Once every process has loaded.
      const exits = await Promise.all(Array.from({ length: 8 }, () => new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [waiter, file, String(startAt)], { stdio: ['ignore', 'ignore', 'pipe'] })
        let stderr = ''
        child.stderr.on('data', (chunk) => { stderr += chunk })
        child.on('exit', (code) => resolve(code === 0 ? 'ok' : `exit ${code} ${stderr.split('\n').find((l) => l.includes('Error')) ?? ''}`))
      })))
      expect(exits).toEqual(Array(8).fill('ok'))
      expect(fs.existsSync(`${file}.lock`)).toBe(false)
    }
  }, 30_000)

  it('waits for a recent lock until it is released, then merges', async () => {
    const file = path.join(tempDir(), 'manifest.json')
    staleLock(file, 5)
    let done = false
    const update = updateManifestFileAsync(file, [a]).then((manifest) => {
      done = true
      return manifest
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(done).toBe(false)
    expect(fs.existsSync(file)).toBe(false)
    fs.rmdirSync(`${file}.lock`)
    expect(await update).toEqual(createManifest([a]))
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
  })

  it('holds the lock for the whole read-merge-write, and releases it', () => {
    const file = path.join(tempDir(), 'manifest.json')
    const release = acquireLockSync(file)
    expect(fs.statSync(`${file}.lock`).isDirectory()).toBe(true)
    release()
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
    expect(updateManifestFile(file, [c])).toEqual(createManifest([c]))
    expect(fs.existsSync(`${file}.lock`)).toBe(false)
  })
})

// Child processes load the built module (npm test builds before testing).
const builtManifestModule = path.join(srcDir, '..', 'dist', 'esm', 'manifest', 'index.js')

describe('parallel writers in separate processes', () => {
  const WORKERS = 8
  const UPDATES = 50

  it('keep every entry, and a reader only ever sees whole manifests', async () => {
    const dir = tempDir()
    const entry = builtManifestModule
    const worker = path.join(dir, 'worker.mjs')
    fs.writeFileSync(
      worker,
      `import { updateManifestFile, updateManifestFileAsync } from ${JSON.stringify(entry)}
const [file, n, count] = process.argv.slice(2)
for (let i = 0; i < Number(count); i++) {
  const meta = { file: \`src/w\${n}/f\${i}.ts\`, actions: [{ id: \`w\${n}-\${i}\`, name: 'act', kind: i % 2 ? 'inline' : 'export' }] }
  // Half the workers use the async API: both must honour the same lock.
  if (Number(n) % 2) await updateManifestFileAsync(file, [meta])
  else updateManifestFile(file, [meta])
}
`,
    )
    const out = path.join(dir, 'out')
    const file = path.join(out, 'manifest.json')

    let reads = 0
    const torn: string[] = []
    const reader = setInterval(() => {
      try {
        parseManifest(fs.readFileSync(file, 'utf8'))
        reads++
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') torn.push(String(error))
      }
    }, 1)

    const runs = Array.from({ length: WORKERS }, (_, n) => {
      const child = spawn(process.execPath, [worker, file, String(n), String(UPDATES)], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })))
    })
    const results = await Promise.all(runs)
    clearInterval(reader)

    expect(results).toEqual(Array.from({ length: WORKERS }, () => ({ code: 0, stderr: '' })))
    expect(torn).toEqual([])
    expect(reads).toBeGreaterThan(0)
    const manifest: ServerManifest = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(Object.keys(manifest.actions)).toHaveLength(WORKERS * UPDATES)
    expect(manifest.actions['w7-49']).toEqual({ module: 'src/w7/f49.ts', export: 'act', kind: 'inline' })
    expect(fs.readdirSync(out)).toEqual(['manifest.json'])
  }, 60_000)
})
