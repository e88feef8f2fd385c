// A waiter for the stale-lock test of test/manifest.test.ts: waits until <startAt> (ms since the epoch), takes the
// lock of <file> with the built lock (dist/), checks that no other process is inside, stays 15 ms, and releases.
// Exits 2 if another process held the lock at the same time.
//   node lock-waiter.mjs <file> <startAt>
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const { acquireLockSync } = await import(path.join(repo, 'dist/esm/manifest/lock.js'))
const [file, startAt] = process.argv.slice(2)
while (Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1)
const release = acquireLockSync(file)
try {
  fs.writeFileSync(`${file}.inside`, String(process.pid), { flag: 'wx' })
} catch {
  process.exit(2)
}
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15)
fs.rmSync(`${file}.inside`)
release()
