// The manifest's lock, so that read-merge-write cycles from several processes (parallel builds) lose no entry.
// proper-lockfile takes and releases the lock (an atomic mkdir of `<file>.lock`, its mtime refreshed while held).
// A lock whose owner died (its mtime older than STALE_MS) is broken here, not by proper-lockfile: its own breaking
// races. Two waiters that both saw the old lock stale each remove "the lock" and make it anew, so the second removes
// the first one's fresh lock and both merge at once (an entry lost), or the first fails on its vanished lock. Here
// a waiter breaks a lock only while it holds `<file>.lock.break` (a plain mkdir), and only after seeing, under it,
// that the lock is still stale: a lock made meanwhile by another waiter is fresh, and stays.
import fs from 'node:fs'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { hasErrorCode } from './errno.js'

/** How old (ms) an unrefreshed lock must be to count as its owner's death; the owner refreshes it every 5 s. */
const STALE_MS = 10_000
// proper-lockfile never judges a lock stale itself (a year), and refreshes a held lock's mtime every 5 s.
const options = { realpath: false, stale: 365 * 24 * 3600_000, update: 5_000 } as const

/** Releases a held lock. Throws if the lock was compromised (broken as stale) while held. */
export type ReleaseLock = () => void

/**
 * Takes the lock of `file` (the lock is the directory `<file>.lock`; `file` need not exist), blocking the thread
 * between attempts (2–10 ms, jittered) until it is free or stale. Throws on file-system errors other than "locked".
 */
export function acquireLockSync(file: string): ReleaseLock {
  for (;;) {
    try {
      return lockfile.lockSync(file, options)
    } catch (error) {
      if (!isBusy(error, file)) throw error
    }
    if (!breakIfStale(file)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, retryDelayMs())
  }
}

/** As `acquireLockSync`, but waits without blocking the event loop; the release function returns a promise. */
export async function acquireLock(file: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      return await lockfile.lock(file, options)
    } catch (error) {
      if (!isBusy(error, file)) throw error
    }
    if (!breakIfStale(file)) await new Promise((resolve) => setTimeout(resolve, retryDelayMs()))
  }
}

/**
 * Held by another: "locked", or the lock directory gone while proper-lockfile was setting it up (a waiter broke a
 * stale lock between its mkdir and its first mtime update). Not a missing folder for the lock: that is an error.
 */
function isBusy(error: unknown, file: string): boolean {
  return hasErrorCode(error, 'ELOCKED') || (hasErrorCode(error, 'ENOENT') && fs.existsSync(path.dirname(file)))
}

/**
 * Removes the lock of `file` if it is stale, under the breaker's own lock (see the top of this file); true if it
 * removed it. A breaker that died while holding its lock leaves it stale in turn: it is then removed alone.
 */
function breakIfStale(file: string): boolean {
  const lock = `${file}.lock`
  const breaker = `${lock}.break`
  if (!isStale(lock)) return false
  try {
    fs.mkdirSync(breaker)
  } catch (error) {
    if (!hasErrorCode(error, 'EEXIST')) throw error
    if (isStale(breaker)) removeDirectory(breaker)
    return false
  }
  try {
    if (!isStale(lock)) return false // Broken and taken again by another waiter meanwhile.
    removeDirectory(lock)
    return true
  } finally {
    removeDirectory(breaker)
  }
}

function isStale(directory: string): boolean {
  try {
    return fs.statSync(directory).mtimeMs < Date.now() - STALE_MS
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return false
    throw error
  }
}

function removeDirectory(directory: string): void {
  try {
    fs.rmdirSync(directory)
  } catch (error) {
    if (!hasErrorCode(error, 'ENOENT')) throw error
  }
}

/** Short and jittered, so that waiting processes don't retry in lockstep. */
function retryDelayMs(): number {
  return 2 + Math.random() * 8
}
