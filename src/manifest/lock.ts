// The manifest's lock, so that read-merge-write cycles from several processes (parallel builds) lose no entry.
// proper-lockfile does the locking (an atomic mkdir of `<file>.lock`, refreshed while held, stale after 10 s); this
// module only adds the waiting its synchronous API leaves out, since Babel plugins run synchronously.
import lockfile from 'proper-lockfile'

/** Releases a held lock. Throws if the lock was compromised (taken over as stale) while held. */
export type ReleaseLock = () => void

const options = { realpath: false, stale: 10_000 } as const

/**
 * Takes the lock of `file` (the lock is the directory `<file>.lock`; `file` need not exist), blocking the thread
 * between attempts (2–10 ms, jittered) until it is free or stale. Throws on file-system errors other than "locked".
 */
export function acquireLockSync(file: string): ReleaseLock {
  for (;;) {
    try {
      return lockfile.lockSync(file, options)
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') throw error
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, retryDelayMs())
  }
}

/** As `acquireLockSync`, but waits without blocking the event loop; the release function returns a promise. */
export async function acquireLock(file: string): Promise<() => Promise<void>> {
  return lockfile.lock(file, { ...options, retries: { forever: true, retries: 8, factor: 1, minTimeout: 2, maxTimeout: 10, randomize: true } })
}

/** Short and jittered, so that waiting processes don't retry in lockstep. */
function retryDelayMs(): number {
  return 2 + Math.random() * 8
}
