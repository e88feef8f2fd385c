// File stamps: what the integrations' caches key a file's derived state on (is it a 'use server' module, its server
// transform, a digest of its text), so that a rebuild or a dev-server request re-reads only the files that changed.
import fs from 'node:fs'

/** A file's stamp: `"<mtimeMs>:<size>"` (mtime in milliseconds, size in bytes), or `'missing'`. Never throws. */
export function fileStamp(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  return stat ? `${stat.mtimeMs}:${stat.size}` : 'missing'
}

/** Per absolute file path: a value, valid while the file's stamp is the one it was stored with. */
export class StampCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: T }>()

  /** The value stored for `file` with this `stamp`, else undefined. */
  get(file: string, stamp: string): T | undefined {
    const entry = this.entries.get(file)
    return entry?.stamp === stamp ? entry.value : undefined
  }

  /** Stores `value` for `file` at `stamp` and returns it. */
  set(file: string, stamp: string, value: T): T {
    this.entries.set(file, { stamp, value })
    return value
  }

  /**
   * The value for `file` at its current stamp, computed by `compute(file)` when the file changed since it was stored;
   * `missing` (not stored) when the file does not exist. Errors of `compute` pass through (nothing is stored).
   */
  read(file: string, missing: T, compute: (file: string) => T): T {
    const stamp = fileStamp(file)
    if (stamp === 'missing') return missing
    const entry = this.entries.get(file)
    if (entry?.stamp === stamp) return entry.value
    return this.set(file, stamp, compute(file))
  }
}
