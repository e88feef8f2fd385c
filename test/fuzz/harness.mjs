// Differential check of one program: compiled without the plugin (the original) and with it (server environment),
// `run(3)` is called on each and its result normalised (every function in it is called with 2, recursively, up to a
// depth): on the transformed module once with direct calls of the references, and once over a simulated wire (the
// action is found in the metadata by `$$id` and its export called with the awaited `$$bound` — the AES-GCM
// ciphertext — then the arguments). All three must be `util.isDeepStrictEqual`.
//
// Used by test/fuzz/run.mjs (the built plugin) and test/fuzz.test.ts (the plugin's source, under vitest); they
// pass in Babel, the plugin and an `import()` that runs files as plain Node does.
import fs from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual, inspect } from 'node:util'
import { pathToFileURL } from 'node:url'

const SERVER_REFERENCE = Symbol.for('react.server.reference')
const MAX_CALL_DEPTH = 3
const PROGRAM_TIMEOUT_MS = 20_000

/**
 * @param {{ babel: any, plugin: any, importUrl: (url: string) => Promise<any>, root: string, workDir: string }} options
 * `root` is the plugin's root (the project, so that outputs resolve 'babel-plugin-use-server/server');
 * `workDir` a folder inside it for the compiled files.
 */
export function createHarness({ babel, plugin, importUrl, root, workDir }) {
  let counter = 0
  fs.mkdirSync(workDir, { recursive: true })

  function compile(source, filename, pluginOptions) {
    const result = babel.transformSync(source, {
      filename, babelrc: false, configFile: false, sourceType: 'module',
      plugins: pluginOptions ? [[plugin, pluginOptions]] : [],
    })
    return { code: result.code, metadata: result.metadata?.useServer }
  }

  /**
   * Checks one program. Returns null when the three agree, otherwise `{ kind, message }` with kind one of
   * 'invalid' (the original itself fails: a generator bug), 'build' (the plugin throws), 'diff', 'timeout'.
   */
  async function check(source) {
    const n = counter++
    const dir = path.join(workDir, `p${n}`)
    fs.mkdirSync(dir, { recursive: true })
    const filename = path.join(dir, 'program.js')
    fs.writeFileSync(filename, source)
    let original
    try {
      original = compile(source, filename, null)
    } catch (error) {
      return { kind: 'invalid', message: `the original does not compile: ${error.message}` }
    }
    let transformed
    try {
      transformed = compile(source, filename, { environment: 'server', root })
    } catch (error) {
      return { kind: 'build', message: `the plugin threw ${error?.name}: ${error?.message}\n${error?.stack ?? ''}` }
    }
    fs.writeFileSync(path.join(dir, 'original.mjs'), original.code)
    fs.writeFileSync(path.join(dir, 'transformed.mjs'), transformed.code)
    const actions = transformed.metadata?.actions ?? []

    const work = async () => {
      let origMod, trMod
      try {
        origMod = await importUrl(pathToFileURL(path.join(dir, 'original.mjs')).href)
      } catch (error) {
        return { kind: 'invalid', message: `the original does not load: ${error?.message}` }
      }
      try {
        trMod = await importUrl(pathToFileURL(path.join(dir, 'transformed.mjs')).href)
      } catch (error) {
        return { kind: 'diff', message: `the transformed module does not load: ${error?.stack ?? error}` }
      }
      const plain = async (fn, ...args) => fn(...args)
      const wire = async (ref, ...args) => {
        const action = actions.find((a) => a.id === ref.$$id)
        if (!action) throw new Error(`wire: no action ${ref.$$id} in the metadata`)
        const bound = await Promise.all(ref.$$bound ?? [])
        return trMod[action.name](...bound, ...args)
      }
      const expected = await outcome(() => origMod.run(3), 'original', plain)
      if (expected.error !== undefined) return { kind: 'invalid', message: `the original throws: ${expected.error}` }
      for (const [mode, call] of [['direct', plain], ['wire', wire]]) {
        const actual = await outcome(() => trMod.run(3), mode, call)
        // React Flight drops an object property whose value is undefined (README, "Encryption of captured values").
        const same = mode === 'wire'
          ? isDeepStrictEqual(withoutUndefinedKeys(actual), withoutUndefinedKeys(expected))
          : isDeepStrictEqual(actual, expected)
        if (!same) {
          return { kind: 'diff', message: `${mode} differs from the original\n--- original:\n${show(expected)}\n--- ${mode}:\n${show(actual)}` }
        }
      }
      return null
    }
    let timer
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout', message: `no result after ${PROGRAM_TIMEOUT_MS} ms` }), PROGRAM_TIMEOUT_MS)
    })
    try {
      const failure = await Promise.race([work(), timeout])
      if (failure) failure.transformed = transformed.code
      else fs.rmSync(dir, { recursive: true, force: true })
      return failure
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Shrinks a failing program: deletes statements, array elements, object properties and extra parameters one at
   * a time, keeping each deletion after which the program still fails the same way (until nothing more goes).
   */
  async function shrink(source, kind, { budgetMs = 60_000 } = {}) {
    const started = Date.now()
    let best = source
    let changed = true
    while (changed && Date.now() - started < budgetMs) {
      changed = false
      for (let i = 0; Date.now() - started < budgetMs; i++) {
        const candidate = removeNth(best, i)
        if (candidate === undefined) break
        if (candidate === null || candidate === best) continue
        const failure = await check(candidate)
        if (failure?.kind === kind) {
          best = candidate
          changed = true
          i--
        }
      }
    }
    return best
  }

  /** The source with the i-th removable node removed; undefined past the last one; null if it can't be printed. */
  function removeNth(source, index) {
    let ast
    try {
      ast = babel.parseSync(source, { babelrc: false, configFile: false, sourceType: 'module' })
    } catch {
      return null
    }
    const removable = []
    babel.traverse(ast, {
      enter(p) {
        if (isRemovable(p)) removable.push(p)
      },
    })
    if (index >= removable.length) return undefined
    try {
      removable[index].remove()
      return babel.transformFromAstSync(ast, source, { babelrc: false, configFile: false, code: true, ast: false }).code
    } catch {
      return null
    }
  }

  return { check, shrink, compile }
}

function isRemovable(p) {
  const parent = p.parentPath
  if (!parent) return false
  if (p.isStatement() && !p.isBlockStatement() && (p.listKey === 'body' || p.listKey === 'consequent')) {
    return !(p.isExportNamedDeclaration() && parent.isProgram())
  }
  if (p.isBlockStatement() && p.listKey === 'body') return true
  if (p.isIfStatement() && false) return true
  if (parent.isArrayExpression() && p.listKey === 'elements') return true
  if (parent.isObjectExpression() && p.listKey === 'properties') return true
  if (p.listKey === 'params' && p.key > 0) return true
  if (p.listKey === 'declarations' && parent.node.declarations.length > 1) return true
  return false
}

/** The outcome of `run()`: its normalised value or its error message. */
async function outcome(run, mode, call) {
  try {
    return { value: await normalise(await run(), mode, call, 0) }
  } catch (error) {
    return { error: error?.message ?? String(error) }
  }
}

/**
 * Functions are replaced by `{ fn: name, result | error }` (called with 2); in the transformed module every
 * function handed out must be a server reference, else it becomes `{ plainFunction }` (which never matches).
 */
async function normalise(value, mode, call, depth) {
  if (typeof value === 'function') {
    if (mode !== 'original' && value.$$typeof !== SERVER_REFERENCE) return { plainFunction: value.name }
    if (depth >= MAX_CALL_DEPTH) return { fn: value.name }
    try {
      const result = await call(value, 2)
      return { fn: value.name, result: await normalise(result, mode, call, depth + 1) }
    } catch (error) {
      return { fn: value.name, error: error?.message ?? String(error) }
    }
  }
  if (value instanceof Date && Number.isNaN(value.getTime())) return { invalidDate: true }
  if (Array.isArray(value)) {
    const out = []
    for (const item of value) out.push(await normalise(item, mode, call, depth))
    return out
  }
  if (value instanceof Map) {
    const out = new Map()
    for (const [k, v] of value) out.set(k, await normalise(v, mode, call, depth))
    return out
  }
  if (value instanceof Set) {
    const out = new Set()
    for (const item of value) out.add(await normalise(item, mode, call, depth))
    return out
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out = {}
    for (const [k, v] of Object.entries(value)) out[k] = await normalise(v, mode, call, depth)
    return out
  }
  return value
}

/** The value with every plain-object property whose value is undefined left out, as Flight delivers it. */
function withoutUndefinedKeys(value) {
  if (Array.isArray(value)) return value.map(withoutUndefinedKeys)
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, withoutUndefinedKeys(v)]))
  if (value instanceof Set) return new Set([...value].map(withoutUndefinedKeys))
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefinedKeys(v)]))
  }
  return value
}

function show(value) {
  return inspect(value, { depth: 12, breakLength: 120, maxArrayLength: 50, maxStringLength: 200 })
}
