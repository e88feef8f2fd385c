// The CLI's behaviour as a function of its arguments, so tests run it in-process; cli.ts only wires it to the process.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { manifestFromPaths } from './collect.js'
import { createManifest, serializeManifest, type ServerManifest } from './manifest.js'
import { serializeReactServerManifest, toReactServerManifest } from './react.js'
import { writeTextFileAtomic } from './write.js'

export const USAGE = `Usage: use-server-manifest <dir-or-file>... [--out manifest.json] [--react] [--module-prefix P]

Rebuilds the server-action manifest from the /* @use-server ... */ markers in emitted server code.
Directories are searched for .js .mjs .cjs .jsx .ts .tsx files (node_modules is skipped).
For unbundled output: exits 1, naming the files, when a file holds server functions without markers (a bundle,
minified code); use the manifest your bundler integration writes then.

  --out FILE          write the manifest to FILE (atomically) instead of stdout
  --react             emit react-server-dom-webpack's server manifest: { [id]: { id, chunks, name } }
  --module-prefix P   prepend P, as is, to every module path (e.g. "./" or "/app/")
  -h, --help          show this help
`

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
}

export interface CliOptions {
  paths: string[]
  out?: string
  react: boolean
  modulePrefix: string
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string }

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgv>
  try {
    parsed = parseArgv(argv)
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (positionals.length === 0) return { kind: 'error', message: 'no directory or file given' }
  if (values.out === '') return { kind: 'error', message: '--out needs a file name' }
  const missing = positionals.find((p) => !fs.existsSync(p))
  if (missing !== undefined) return { kind: 'error', message: `no such file or directory: ${missing}` }
  const options = { paths: positionals, out: values.out, react: values.react, modulePrefix: values['module-prefix'] }
  return { kind: 'run', options }
}

// Throws on unknown options and missing option values.
function parseArgv(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      react: { type: 'boolean', default: false },
      'module-prefix': { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}

/** The manifest text the options ask for. */
export function buildManifestText(options: CliOptions): string {
  const manifest = prefixModules(manifestFromPaths(options.paths), options.modulePrefix)
  return options.react ? serializeReactServerManifest(toReactServerManifest(manifest)) : serializeManifest(manifest)
}

/**
 * Runs `use-server-manifest` with `argv` (the arguments after the command name), writing through `io`. Returns the
 * exit code: 0 (`EXIT_OK`, the manifest printed or written), 1 (`EXIT_FAILURE`: a file could not be read or written,
 * or outputs hold server functions without markers, `USE_SERVER_UNREADABLE_OUTPUT`), 2 (`EXIT_USAGE`: bad
 * arguments). Never throws.
 */
export function runCli(argv: readonly string[], io: CliIo): number {
  const args = parseCliArgs(argv)
  if (args.kind === 'error') {
    io.stderr(`use-server-manifest: ${args.message}\n\n${USAGE}`)
    return EXIT_USAGE
  }
  if (args.kind === 'help') {
    io.stdout(USAGE)
    return EXIT_OK
  }
  const { options } = args
  try {
    const text = buildManifestText(options)
    if (options.out === undefined) io.stdout(text)
    else writeTextFileAtomic(options.out, text)
    return EXIT_OK
  } catch (failure) {
    io.stderr(`use-server-manifest: ${failure instanceof Error ? failure.message : String(failure)}\n`)
    return EXIT_FAILURE
  }
}

function prefixModules(manifest: ServerManifest, prefix: string): ServerManifest {
  if (prefix === '') return manifest
  const prefixed = createManifest()
  for (const [id, entry] of Object.entries(manifest.actions)) prefixed.actions[id] = { ...entry, module: prefix + entry.module }
  return prefixed
}
