// The manifest file on disk: atomic replacement, and locked read-merge-write so that parallel builds in several processes keep every entry.
import fs from 'node:fs'
import path from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import type { UseServerMetadata } from '../metadata.js'
import { hasErrorCode } from './errno.js'
import { acquireLock, acquireLockSync } from './lock.js'
import { addToManifest, createManifest, parseManifest, serializeManifest, type ServerManifest } from './manifest.js'

type Metas = Iterable<UseServerMetadata | undefined | null>

/** The manifest at `file`; an empty one if there is no file yet. Throws if the file is not a manifest. */
export function readManifestFile(file: string): ServerManifest {
  const text = readTextIfExists(file)
  return text === undefined ? createManifest() : parseManifest(text)
}

/** Replaces the file with `manifest` atomically: readers see the old or the new text, never a mix. */
export function writeManifestFile(file: string, manifest: ServerManifest): void {
  writeTextFileAtomic(file, serializeManifest(manifest))
}

/**
 * Replaces `file` with `text` (UTF-8) in one step, creating its directory: write-file-atomic writes a temp file
 * beside it, fsyncs it and renames it over, so neither a reader nor a crash ever sees a partial file.
 */
export function writeTextFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  writeFileAtomic.sync(file, text)
}

/** Merges the files' metadata into the manifest at `file` under a lock, synchronously (for Babel plugins). */
export function updateManifestFile(file: string, metas: Metas): ServerManifest {
  const release = acquireLockSync(prepareDirectory(file))
  try {
    return mergeIntoFile(file, metas)
  } finally {
    release()
  }
}

/** As `updateManifestFile`, but waits for the lock without blocking the event loop. */
export async function updateManifestFileAsync(file: string, metas: Metas): Promise<ServerManifest> {
  const release = await acquireLock(prepareDirectory(file))
  try {
    return mergeIntoFile(file, metas)
  } finally {
    await release()
  }
}

/** Creates the file's directory, since the lock beside it is taken before the first manifest is written. */
function prepareDirectory(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  return file
}

/** The read-merge-write cycle; the caller holds the lock. */
function mergeIntoFile(file: string, metas: Metas): ServerManifest {
  const before = readTextIfExists(file)
  const manifest = parseOrEmpty(before)
  for (const meta of metas) addToManifest(manifest, meta)
  const after = serializeManifest(manifest)
  // Unchanged text is not rewritten, so file watchers are not triggered by rebuilds that change no action.
  if (after !== before) writeTextFileAtomic(file, after)
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
