// An exclusive lock file, so that read-merge-write cycles on one manifest from several processes (parallel builds) don't lose entries.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { hasErrorCode } from './errno.js'

/** A lock whose owner process is gone is stale after this long (the owner may have crashed mid-update). */
const STALE_DEAD_OWNER_MS = 10_000
/** Any lock is stale after this long (an update takes milliseconds; the owner is hung, or the pid was reused). */
const STALE_ANY_OWNER_MS = 30_000

export interface HeldLock {
  path: string
  /** What we wrote into the lock file: tells our lock apart from one taken after ours was broken. */
  content: string
}

interface LockSnapshot {
  content: string
  mtimeMs: number
}

export function acquireLockSync(lockPath: string): HeldLock {
  for (;;) {
    const lock = tryAcquireLock(lockPath)
    if (lock) return lock
    // Babel plugins run synchronously: block this thread without spinning.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, retryDelayMs())
  }
}

export async function acquireLock(lockPath: string): Promise<HeldLock> {
  for (;;) {
    const lock = tryAcquireLock(lockPath)
    if (lock) return lock
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs()))
  }
}

export function releaseLock(lock: HeldLock): void {
  // If we overran the stale limit, another process may hold the lock now: only remove our own.
  if (snapshot(lock.path)?.content === lock.content) fs.rmSync(lock.path, { force: true })
}

/** One attempt: the lock if it was free, otherwise undefined (after breaking the current lock if it is stale). */
function tryAcquireLock(lockPath: string): HeldLock | undefined {
  const content = JSON.stringify({ pid: process.pid, token: randomUUID() })
  try {
    fs.writeFileSync(lockPath, content, { flag: 'wx' })
    return { path: lockPath, content }
  } catch (error) {
    if (!hasErrorCode(error, 'EEXIST')) throw error
  }
  breakIfStale(lockPath)
  return undefined
}

function breakIfStale(lockPath: string): void {
  const seen = snapshot(lockPath)
  if (!seen || !isStale(seen)) return
  // Move it aside rather than delete it: if another process broke it first and took a fresh lock, the file we
  // moved is that fresh lock, which we can tell by its content and put back.
  const aside = `${lockPath}.${process.pid}.${randomUUID()}.stale`
  try {
    fs.renameSync(lockPath, aside)
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return
    throw error
  }
  const moved = snapshot(aside)
  if (moved && (moved.content !== seen.content || moved.mtimeMs !== seen.mtimeMs)) {
    try {
      fs.linkSync(aside, lockPath)
    } catch (error) {
      if (!hasErrorCode(error, 'EEXIST')) throw error
    }
  }
  fs.rmSync(aside, { force: true })
}

/** Content and mtime read from one open file, so both describe the same lock. */
function snapshot(file: string): LockSnapshot | undefined {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined
    throw error
  }
  try {
    return { content: fs.readFileSync(fd, 'utf8'), mtimeMs: fs.fstatSync(fd).mtimeMs }
  } finally {
    fs.closeSync(fd)
  }
}

function isStale(lock: LockSnapshot): boolean {
  const age = Date.now() - lock.mtimeMs
  return age > STALE_ANY_OWNER_MS || (age > STALE_DEAD_OWNER_MS && !ownerIsAlive(lock.content))
}

function ownerIsAlive(content: string): boolean {
  let pid: unknown
  try {
    pid = (JSON.parse(content) as { pid?: unknown }).pid
  } catch {
    return false // Empty or torn: the owner died between creating and writing the lock.
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return hasErrorCode(error, 'EPERM') // Exists, but belongs to another user.
  }
}

/** Short and jittered, so that waiting processes don't retry in lockstep. */
function retryDelayMs(): number {
  return 2 + Math.random() * 8
}
