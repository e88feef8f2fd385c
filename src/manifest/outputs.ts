// Rebuilds the manifest from emitted server code alone (its marker comments), e.g. when outputs come from a cache and no Babel metadata exists.
import { readMarkers, type ActionInfo } from '../metadata.js'
import { addToManifest, createManifest, type ServerManifest } from './manifest.js'

export function manifestFromOutputs(files: Iterable<{ code: string }>): ServerManifest {
  const manifest = createManifest()
  for (const { code } of files) {
    for (const meta of readMarkers(code)) {
      // Marker JSON comes from arbitrary files: keep only well-formed actions.
      addToManifest(manifest, { file: meta.file, actions: meta.actions.filter(isActionInfo) })
    }
  }
  return manifest
}

function isActionInfo(value: unknown): value is ActionInfo {
  if (typeof value !== 'object' || value === null) return false
  const { id, name, kind } = value as Record<string, unknown>
  return typeof id === 'string' && typeof name === 'string' && (kind === 'export' || kind === 'inline')
}
