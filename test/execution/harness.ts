// Execution harness: a source is compiled twice — as it is (the original) and with the plugin for the server — both
// are written as .mjs files inside the project (so `babel-plugin-use-server/server` resolves to dist/ through the
// package's self-reference: run `npm run build` first), imported, and the same scenario runs on each.
//
// A scenario receives the module and a `call(fn, ...args)`. On the original, `call` is a plain call. On the
// transformed module it is either a plain call of the reference the module hands out ("direct"), or a call over a
// simulated wire ("wire"): React Flight renders the reference to a client, the client's stub sends bound values and
// arguments through `encodeReply`, the server decodes them with `decodeReply`, finds the action by its `$$id` in
// `result.metadata.useServer.actions` and calls the output module's export of that name.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { pathToFileURL } from 'node:url'
import { afterAll, expect } from 'vitest'
import plugin from '../../src/index.ts'
import type { ActionInfo, UseServerMetadata } from '../../src/index.ts'
import { babel, presetReact, presetTypescript } from '../support/babel'

/** Fixed test keys (base64 of 32 bytes). */
export const KEY_A = Buffer.alloc(32, 0xa1).toString('base64')
export const KEY_B = Buffer.alloc(32, 0xb2).toString('base64')
process.env.USE_SERVER_ENCRYPTION_KEY = KEY_A
delete process.env.USE_SERVER_ENCRYPTION_KEY_PREVIOUS

export const projectRoot = path.resolve(import.meta.dirname, '../..')
const created: string[] = []
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

type AnyFunction = (...args: any[]) => any
export type Call = (fn: AnyFunction, ...args: unknown[]) => Promise<unknown>
export type Scenario<T> = (mod: Record<string, any>, call: Call) => T | Promise<T>

export interface Loaded {
  /** The entry module compiled without the plugin. */
  original: Record<string, any>
  /** The entry module compiled with the plugin (server environment), for direct calls. */
  transformed: Record<string, any>
  /** A second copy of it, for calls over the wire (its actions are the ones the wire calls). */
  overWire: Record<string, any>
  /** The plugin's output for the entry (to read when a test fails). */
  code: string
  /** `metadata.useServer` of every file of the load, by file name. */
  metadata: Record<string, UseServerMetadata | undefined>
  /** Every action of every file, with the output module that exports it. */
  actions: (ActionInfo & { module: string })[]
  /** Calls a server reference of the transformed code over the simulated wire. */
  wire: Call
  /** Imports the wire copy of one output module of this load, by source file name. */
  importOutput(file: string): Promise<Record<string, any>>
}

/**
 * Compiles and imports `files` (name → source; the first one is the entry). Files import each other as
 * `./name.mjs` whatever their source extension (.js, .jsx, .ts, .tsx), since that is the name they are written under.
 */
export async function load(files: Record<string, string> | string): Promise<Loaded> {
  const sources = typeof files === 'string' ? { 'entry.js': files } : files
  const dir = fs.mkdtempSync(path.join(projectRoot, '.cache', 'exec-'))
  created.push(dir)
  const metadata: Loaded['metadata'] = {}
  const actions: Loaded['actions'] = []
  const written = (name: string, side: string) => path.join(dir, side, name.replace(/\.[jt]sx?$/, '') + '.mjs')
  let code = ''
  for (const [name, source] of Object.entries(sources)) {
    const filename = path.join(dir, 'src', name)
    write(written(name, 'original'), compile(source, filename, false).code)
    const out = compile(source, filename, true)
    // Direct and wire calls each get their own copy of the output, so that module state (counters, variables a
    // scenario changes) starts fresh for each, as it does for the original. The wire copy is imported last, so the
    // registry of server references (shared by ID) holds its functions.
    write(written(name, 'direct'), out.code)
    write(written(name, 'wire'), out.code)
    metadata[name] = out.metadata
    for (const action of out.metadata?.actions ?? []) actions.push({ ...action, module: written(name, 'wire') })
    code ||= out.code
  }
  const entry = Object.keys(sources)[0]
  const original = await importFile(written(entry, 'original'))
  const transformed = await importFile(written(entry, 'direct'))
  const overWire = await importFile(written(entry, 'wire'))
  return {
    original, transformed, overWire, code, metadata, actions,
    importOutput: (name) => importFile(written(name, 'wire')),
    wire: (fn, ...args) => callOverWire(actions, fn, args),
  }
}

/** Compiles with Babel: the TS/React presets by file extension, and the plugin when `withPlugin`. */
export function compile(source: string, filename: string, withPlugin: boolean): { code: string; metadata?: UseServerMetadata } {
  const presets: unknown[] = []
  if (/\.tsx?$/.test(filename)) presets.push(presetTypescript())
  if (/\.[jt]sx$/.test(filename)) presets.push(presetReact())
  const result = babel.transformSync(source, {
    filename, babelrc: false, configFile: false, sourceType: 'module', presets: presets as any[],
    plugins: withPlugin ? [[plugin, { environment: 'server', root: projectRoot }]] : [],
  })
  if (!result?.code) throw new Error(`no output for ${filename}`)
  return { code: result.code, metadata: (result.metadata as { useServer?: UseServerMetadata }).useServer }
}

/** The build error the plugin raises for `source` (fails the test when it compiles). */
export function buildError(source: string, filename = 'entry.js'): Error & { code?: string } {
  try {
    compile(source, path.join(projectRoot, '.cache', 'virtual', filename), true)
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected a build error, but the source compiled')
}

export interface Outcome {
  value?: unknown
  error?: string
}

/** Runs a scenario, turning a thrown error into its message so that failures can be compared too. */
export async function settle<T>(run: () => T | Promise<T>): Promise<Outcome> {
  try {
    return { value: await run() }
  } catch (error) {
    return { error: (error as Error)?.message ?? String(error) }
  }
}

/**
 * Runs `scenario` on the original (plain calls), on the transformed module (direct calls) and on the transformed
 * module over the wire, and expects the three outcomes to be deep-strictly equal. Returns the original's outcome.
 */
export async function expectSame<T>(loaded: Loaded, scenario: Scenario<T>, ways: ('direct' | 'wire')[] = ['direct', 'wire']): Promise<Outcome> {
  const plain: Call = async (fn, ...args) => fn(...args)
  const original = await settle(() => scenario(loaded.original, plain))
  for (const way of ways) {
    const outcome = await settle(() => way === 'direct' ? scenario(loaded.transformed, plain) : scenario(loaded.overWire, loaded.wire))
    if (!isDeepStrictEqual(outcome, original)) {
      expect.soft(outcome, `${way} call differs from the original\n--- output ---\n${loaded.code}`).toEqual(original)
      expect(isDeepStrictEqual(outcome, original), `${way}: not deep-strictly equal (types differ?)`).toBe(true)
    }
  }
  return original
}

// --- the simulated wire -------------------------------------------------------------------------------------------

const flightServer = await import('react-server-dom-webpack/server') as any
const flightClient = await import('react-server-dom-webpack/client') as any

/**
 * Server → client: the reference is rendered with React Flight and decoded by React's client, which yields the
 * action's ID and bound values. The client sends `[...bound, ...args]` (what React's browser stub passes to
 * `callServer`) through `encodeReply`; the server decodes them with `decodeReply`, finds the action by its ID in the
 * metadata and calls the output module's export of that name.
 */
async function callOverWire(actions: Loaded['actions'], fn: AnyFunction, args: unknown[]): Promise<unknown> {
  if (typeof (fn as { $$id?: unknown }).$$id !== 'string') throw new Error('wire: not a server reference (no $$id)')
  const { id, bound } = await toClient(fn)
  const action = actions.find((a) => a.id === id) ?? fail(`wire: no action ${id} in the metadata`)
  const sent = [...((await bound) ?? []), ...args]
  const decoded = await flightServer.decodeReply(await flightClient.encodeReply(sent), {})
  const mod = await importFile(action.module)
  return mod[action.name](...decoded)
}

/** Renders a server reference with Flight and decodes it on the client side: its ID and (a promise of) its bound values. */
async function toClient(fn: AnyFunction): Promise<{ id: string; bound: PromiseLike<unknown[] | null> }> {
  let failure: unknown
  const stream = flightServer.renderToReadableStream(fn, {}, { onError: (error: unknown) => { failure ??= error } })
  // Node's Flight client cannot call a server; its form-action encoder is handed the ID and bound values instead.
  const stub = await flightClient.createFromReadableStream(stream, {
    serverConsumerManifest: { moduleMap: {}, serverModuleMap: null, moduleLoading: null },
    encodeFormAction: (id: string, bound: PromiseLike<unknown[] | null>) => ({ id, bound }),
  })
  if (failure !== undefined) throw failure
  return stub.$$FORM_ACTION()
}

// --- helpers ------------------------------------------------------------------------------------------------------

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
}

/**
 * Node's own `import()`, not vitest's: outputs run as plain Node runs them (vite's SSR transform would, for one,
 * rename anonymous default exports), and they share the runtime instance in dist/ with `runtime()` below.
 */
const nativeImport = createRequire(import.meta.url)('../support/native-import.cjs') as (url: string) => Promise<Record<string, any>>

function importFile(file: string): Promise<Record<string, any>> {
  return nativeImport(pathToFileURL(file).href)
}

/** The server runtime as the outputs import it (`babel-plugin-use-server/server`, resolved by Node to dist/). */
export function runtime(): Promise<Record<string, any>> {
  return nativeImport(import.meta.resolve('babel-plugin-use-server/server'))
}

function fail(message: string): never {
  throw new Error(message)
}

/** The values a reference captured, decrypted with the current keys (as the server would). */
export async function decryptedBound(ref: AnyFunction): Promise<unknown[]> {
  const { decryptBoundValues } = await runtime()
  const bound = (ref as { $$bound?: unknown[] | null }).$$bound
  if (!bound) return []
  return decryptBoundValues((ref as { $$id: string }).$$id, bound[0])
}
