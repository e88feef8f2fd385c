// React's Flight decoders (`decodeReply`, `decodeAction`, and the client decoder that reads bound values) parse
// untrusted input, and releases of react-server-dom-webpack have published advisories for exactly that. The runtime
// refuses to decode with a release below the fixed one of its line. USE_SERVER_ALLOW_VULNERABLE_REACT=1 turns the
// check off, for those who patch React themselves.
import { runtimeError } from './errors.js'

export interface ReactAdvisory {
  /** GitHub advisory ID, where React published one (the December 2025 denial of service fixes have only CVEs). */
  ghsa?: string
  cves: string[]
  summary: string
  /** The first fixed release of each `major.minor` line the advisory affects. */
  fixed: Record<string, string>
}

/** React's advisories for react-server-dom-* (the Server Function endpoint), oldest first. */
export const REACT_ADVISORIES: readonly ReactAdvisory[] = [
  { ghsa: 'GHSA-fv66-9v8q-g76r', cves: ['CVE-2025-55182'], summary: 'remote code execution',
    fixed: { '19.0': '19.0.1', '19.1': '19.1.2', '19.2': '19.2.1' } },
  { cves: ['CVE-2025-55183', 'CVE-2025-55184', 'CVE-2025-67779'], summary: 'server function source exposure and denial of service',
    fixed: { '19.0': '19.0.3', '19.1': '19.1.4', '19.2': '19.2.3' } },
  { ghsa: 'GHSA-83fc-fqcc-2hmg', cves: ['CVE-2026-23864'], summary: 'denial of service',
    fixed: { '19.0': '19.0.4', '19.1': '19.1.5', '19.2': '19.2.4' } },
  { ghsa: 'GHSA-479c-33wc-g2pg', cves: ['CVE-2026-23869'], summary: 'denial of service (CPU)',
    fixed: { '19.0': '19.0.5', '19.1': '19.1.6', '19.2': '19.2.5' } },
  { ghsa: 'GHSA-rv78-f8rc-xrxh', cves: ['CVE-2026-23870'], summary: 'denial of service (crash, memory, CPU)',
    fixed: { '19.0': '19.0.6', '19.1': '19.1.7', '19.2': '19.2.6' } },
  { ghsa: 'GHSA-wx67-qw84-cm4g', cves: ['CVE-2026-44907'], summary: 'CPU and memory exhaustion',
    fixed: { '19.0': '19.0.8', '19.1': '19.1.9', '19.2': '19.2.8', '19.3': '19.3.0' } },
]

/**
 * The lowest release of each line with no known advisory, e.g. `{ '19.0': '19.0.8', …, '19.3': '19.3.0' }`. Lines
 * after the last one listed came out after these advisories and are accepted; lines before the first are refused.
 */
export const REACT_FLOORS: Readonly<Record<string, string>> = Object.fromEntries(
  [...new Set(REACT_ADVISORIES.flatMap((a) => Object.keys(a.fixed)))].sort(compareLines).map((line) => {
    const fixes = REACT_ADVISORIES.map((a) => a.fixed[line]).filter((v): v is string => v !== undefined)
    return [line, fixes.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))]
  }))

export const ALLOW_VULNERABLE_ENV = 'USE_SERVER_ALLOW_VULNERABLE_REACT'

/** What to do about `version` (of react-server-dom-webpack): `null` when it is at or above its line's floor. */
export function vulnerabilityOf(version: string): { floor: string | null; advisories: ReactAdvisory[] } | null {
  const parsed = parse(version)
  const lines = Object.keys(REACT_FLOORS)
  if (!parsed) return { floor: null, advisories: [] }
  const line = `${parsed.major}.${parsed.minor}`
  const floor = REACT_FLOORS[line]
  if (floor === undefined) {
    // A line newer than every listed one is accepted; an older (or unknown) one has no fixed release to go to.
    return compareLines(line, lines[lines.length - 1]) > 0 ? null : { floor: null, advisories: [] }
  }
  if (compareVersions(version, floor) >= 0) return null
  const advisories = REACT_ADVISORIES.filter((a) => a.fixed[line] !== undefined && compareVersions(version, a.fixed[line]) < 0)
  return { floor, advisories }
}

/** The error for an installed `version` below its floor (`source` says where the version was read), else null. */
export function vulnerableReactError(version: string | null, source: string) {
  const optOut = `or, if you patch React yourself, set ${ALLOW_VULNERABLE_ENV}=1`
  if (version === null) {
    return runtimeError('USE_SERVER_VULNERABLE_REACT', 'The version of react-server-dom-webpack could not be read ' +
      `(${source}), so it cannot be checked against React's advisories for Server Function endpoints. Make ` +
      `'react-server-dom-webpack/package.json' importable, ${optOut}.`)
  }
  const found = vulnerabilityOf(version)
  if (!found) return null
  const named = found.advisories.map((a) => `${a.cves.join(', ')}${a.ghsa ? ` (${a.ghsa})` : ''}: ${a.summary}`)
  const upgrade = found.floor
    ? `Upgrade react-server-dom-webpack (and react, react-dom) to ${found.floor} or later`
    : `Upgrade react-server-dom-webpack (and react, react-dom) to a release of a supported line (${Object.values(REACT_FLOORS).join(', ')} or later)`
  return runtimeError('USE_SERVER_VULNERABLE_REACT', `react-server-dom-webpack ${version} is installed (${source}); ` +
    `it decodes untrusted Server Function requests with published advisories${named.length ? ` — ${named.join('; ')}` : ''}. ` +
    `${upgrade}, ${optOut}.`)
}

type Read = { version: string | null; source: string }
let installed: Promise<Read> | undefined

/**
 * Rejects with `USE_SERVER_VULNERABLE_REACT` when the installed react-server-dom-webpack is below its line's floor
 * (or its version cannot be read), unless USE_SERVER_ALLOW_VULNERABLE_REACT=1. The version is read once per process.
 */
export async function assertPatchedReact(): Promise<void> {
  if (process.env[ALLOW_VULNERABLE_ENV] === '1') return
  const { version, source } = await (installed ??= readInstalledVersion())
  const error = vulnerableReactError(version, source)
  if (error) throw error
}

/**
 * The version of react-server-dom-webpack as this module resolves it: its package.json, imported the way the
 * package itself is (by Node, or bundled by webpack / Vite, which resolve the same package the decoders come from).
 * Where that import is not possible, React's own `version` (React releases these packages in lockstep).
 */
async function readInstalledVersion(): Promise<Read> {
  try {
    // @ts-ignore -- import attributes; TypeScript rejects a second argument for the CommonJS build, which drops it.
    const pkg = await import('react-server-dom-webpack/package.json', { with: { type: 'json' } })
    const version = (pkg.default ?? pkg).version
    if (typeof version === 'string') return { version, source: 'react-server-dom-webpack/package.json' }
  } catch {
    // Not importable as JSON here: fall back to React's version below.
  }
  try {
    const react = (await import('react')) as { version?: unknown; default?: { version?: unknown } }
    const version = react.version ?? react.default?.version
    if (typeof version === 'string') return { version, source: "React's `version`" }
  } catch {
    // Neither is readable: refused below, with a message that says so.
  }
  return { version: null, source: 'neither react-server-dom-webpack/package.json nor React could be imported' }
}

function parse(version: string): { major: number; minor: number; patch: number; pre: boolean } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+.*)?$/.exec(version)
  return m ? { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] !== undefined } : null
}

/** Orders `major.minor.patch[-pre]` versions; a prerelease comes before its release. */
function compareVersions(a: string, b: string): number {
  const x = parse(a)!, y = parse(b)!
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch || Number(!x.pre) - Number(!y.pre)
}

function compareLines(a: string, b: string): number {
  return compareVersions(`${a}.0`, `${b}.0`)
}
