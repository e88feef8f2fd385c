// A build's manifest from its modules: each module's metadata as the Babel run reported it, or, for a module the
// bundler served from a cache without running Babel (Rollup's cache, babel-loader's cacheDirectory, webpack's cache),
// as the `/* @use-server {...} */` marker in its transformed code says. Sorted by file, so output is deterministic.
import { actionId } from '../../ids.js'
import { createManifest, type ServerManifest } from '../../manifest/manifest.js'
import { readMarkers, type UseServerMetadata } from '../../metadata.js'

/**
 * One module's metadata: `known` when Babel ran on it in this build (`null`: it ran and found no action), else read
 * from the markers of its transformed `code()` (none when there is no code).
 */
export function moduleMetadata(known: UseServerMetadata | null | undefined, code: () => string | null | undefined): UseServerMetadata[] {
  if (known !== undefined) return known ? [known] : []
  return readMarkers(code() ?? '')
}

/** The metadata sorted by file (relative path, code-unit order), as every manifest lists it. */
export function sortByFile(metas: UseServerMetadata[]): UseServerMetadata[] {
  return [...metas].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/** The manifest of a build whose modules have `metas` (any order). */
export function buildManifest(metas: UseServerMetadata[]): ServerManifest {
  return createManifest(sortByFile(metas))
}

/** Does this file have an action ID anyone can compute from the source (no secret, empty salt)? */
export function computableFromSource(meta: UseServerMetadata): boolean {
  return meta.actions.some((action) => action.id === actionId('', meta.file, action.name))
}

/** The warning of a production build whose IDs can be computed from the source (`bundlerOption` names the fix). */
export function unkeyedProductionWarning(bundlerOption: string): string {
  return '[use-server] Production build, but its action IDs can be computed from the source: the Babel plugin does ' +
    `not know it is a production build. ${bundlerOption}, or set USE_SERVER_ACTION_ID_SECRET.`
}
