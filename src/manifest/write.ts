// The manifest file on disk: atomic replacement, and locked read-merge-write so that parallel builds in several processes keep every entry.
import fs from 'node:fs'
import path from 'node:path'
import type { UseServerMetadata } from '../metadata.js'
import { writeFileAtomic } from './atomic-write.js'
import { hasErrorCode } from './errno.js'
import { acquireLock, acquireLockSync, releaseLock } from './lock.js'
import { addToManifest, createManifest, parseManifest, serializeManifest, type ServerManifest } from './manifest.js'

type Metas = Iterable<UseServerMetadata | undefined | null>

/** The manifest at `file`; an empty one if there is no file yet. Throws if the file is not a manifest. */
export function readManifestFile(file: string): ServerManifest {
  const text = readTextIfExists(file)
  return text === undefined ? createManifest() : parseManifest(text)
}

/** Replaces the file with `manifest` atomically: readers see the old or the new text, never a mix. */
export function writeManifestFile(file: string, manifest: ServerManifest): void {
  writeFileAtomic(file, serializeManifest(manifest))
}

/** Merges the files' metadata into the manifest at `file` under a lock, synchronously (for Babel plugins). */
export function updateManifestFile(file: string, metas: Metas): ServerManifest {
  const lock = acquireLockSync(prepareLockPath(file))
  try {
    return mergeIntoFile(file, metas)
  } finally {
    releaseLock(lock)
  }
}

/** As `updateManifestFile`, but waits for the lock without blocking the event loop. */
export async function updateManifestFileAsync(file: string, metas: Metas): Promise<ServerManifest> {
  const lock = await acquireLock(prepareLockPath(file))
  try {
    return mergeIntoFile(file, metas)
  } finally {
    releaseLock(lock)
  }
}

/** The lock file's path; creates the directory, since the lock is taken before the first manifest is written. */
function prepareLockPath(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  return `${file}.lock`
}

/** The read-merge-write cycle; the caller holds the lock. */
function mergeIntoFile(file: string, metas: Metas): ServerManifest {
  const before = readTextIfExists(file)
  const manifest = parseOrEmpty(before)
  for (const meta of metas) addToManifest(manifest, meta)
  const after = serializeManifest(manifest)
  // Unchanged text is not rewritten, so file watchers are not triggered by rebuilds that change no action.
  if (after !== before) writeFileAtomic(file, after)
  return manifest
}

function parseOrEmpty(text: string | undefined): ServerManifest {
  if (text === undefined) return createManifest()
  try {
    return parseManifest(text)
  } catch {
    return createManifest() // Corrupt (e.g. edited by hand): rebuilt from the files compiled from now on.
  }
}

function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined
    throw error
  }
}
