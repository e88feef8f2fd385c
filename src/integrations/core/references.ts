// What the two builds of an app tell each other, whatever the bundler: the client build's stubs (each a
// `createServerReference("<id>", …, "<name>")` call the Babel plugin wrote), checked against the server build's
// manifest (USE_SERVER_ID_MISMATCH), and which exports of the 'use server' modules something imports, so that the
// manifest keeps only those and the inline actions (`onlyReferenced`). How a bundler learns who imports what is its own
// business (webpack: its module graph; Vite/Rollup: the rendered exports of each module).
import path from 'node:path'
import type { ServerManifest } from '../../manifest/manifest.js'
import type { UseServerMetadata } from '../../metadata.js'

/** A client stub: its action ID and export name, the absolute file it was found in, and whether something uses it. */
export interface ClientStub {
  id: string
  name: string
  resource: string
  referenced: boolean
}

// The stub call as the Babel plugin writes it, also after a CommonJS transform (`(0, _client.createServerReference)(`).
// Its middle arguments (callServer, void 0, findSourceMapURL) hold no string literal.
const STUB = /createServerReference\)?\(\s*"([0-9a-f]{40})"\s*,[^"]*?"((?:[^"\\]|\\.)*)"\s*\)/g

/** The stub calls in a module's transformed code, in order: action ID and export name. */
export function stubCalls(code: string): { id: string; name: string }[] {
  if (!code.includes('createServerReference')) return []
  return [...code.matchAll(STUB)].map((match) => ({ id: match[1], name: JSON.parse(`"${match[2]}"`) as string }))
}

/**
 * One message per client stub whose ID is not in the server build's manifest (file relative to `root`, export and ID
 * named), e.g. a client built with another secret, or a 'use server' module the server build does not contain.
 * `serverFix` says how to get a module into the server build with this bundler.
 */
export function mismatchedStubs(stubs: ClientStub[], manifest: ServerManifest, root: string, serverFix: string): string[] {
  const seen = new Set<string>()
  const errors: string[] = []
  for (const stub of stubs) {
    const key = `${stub.resource}\0${stub.name}\0${stub.id}`
    if (Object.hasOwn(manifest.actions, stub.id) || seen.has(key)) continue
    seen.add(key)
    const file = path.relative(root, stub.resource).split(path.sep).join('/')
    errors.push(`[USE_SERVER_ID_MISMATCH] ${file}: the client stub of "${stub.name}" (action ID ${stub.id}) has no server ` +
      'function in the server build. Either the two builds compute IDs differently (another USE_SERVER_ACTION_ID_SECRET, ' +
      '`secret`, `production`, `salt` or `root`; or a build cache served a file built with other settings: clear it), ' +
      `or the server build does not contain that 'use server' module (${serverFix}).`)
  }
  return errors
}

/**
 * The metadata with only the actions something uses: inline actions, the IDs of referenced client stubs, and the
 * exports `serverImports(meta)` names (`null`: every export of that module counts, e.g. an entry point).
 */
export function keepReferenced(metas: UseServerMetadata[], stubs: ClientStub[],
  serverImports: (meta: UseServerMetadata) => ReadonlySet<string> | null): UseServerMetadata[] {
  const fromClient = new Set(stubs.filter((stub) => stub.referenced).map((stub) => stub.id))
  return metas.map((meta) => {
    const imported = serverImports(meta)
    const actions = meta.actions.filter((action) =>
      action.kind === 'inline' || fromClient.has(action.id) || imported === null || imported.has(action.name))
    return { file: meta.file, actions }
  })
}
