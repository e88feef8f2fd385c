// Server references with React's conventions: `$$typeof`, `$$id`, `$$bound` and a `bind` that appends to `$$bound`.
// Every registered function is also kept in a per-process registry, so that a reference decoded from bound values
// comes back as the real, callable function.
import { runtimeError } from './errors.js'

const SERVER_REFERENCE = Symbol.for('react.server.reference')

type AnyFunction = (...args: any[]) => any

export interface ServerReference extends AnyFunction {
  $$typeof: symbol
  $$id: string
  $$bound: unknown[] | null
}

/** How a reference made here calls its target: arguments for a direct call, and what `$$bound` shows the wire. */
export interface Binding {
  target: AnyFunction
  direct: () => unknown[]
  wire: () => unknown[] | null
}

interface Registered {
  fn: AnyFunction
  /** The name the function has in the source (an inline action's, not its generated export's). */
  name: string
}

const registryKey = Symbol.for('babel-plugin-use-server.registry')
const globals = globalThis as unknown as Record<symbol, Map<string, Registered> | undefined>
/** Shared by every copy of this runtime in the process (a bundle may hold two). */
const registry: Map<string, Registered> = (globals[registryKey] ??= new Map())

export function isServerReference(value: unknown): value is ServerReference {
  return typeof value === 'function' && (value as Partial<ServerReference>).$$typeof === SERVER_REFERENCE
}

/** The registered server function for an action ID, if its module has been loaded in this process. */
export function lookupServerReference(id: string): AnyFunction | undefined {
  return registry.get(id)?.fn
}

/**
 * A reference that arrived as data (decoded from bound values): the registered function, with the same bound
 * arguments, under its source name. Undefined when the function's module is not loaded in this process.
 */
export function restoreReference(id: string, args: unknown[]): ServerReference | undefined {
  const entry = registry.get(id)
  if (!entry) return undefined
  if (args.length === 0 && entry.fn.name === entry.name) return entry.fn as ServerReference
  return makeReference({ target: entry.fn, direct: () => args, wire: () => (args.length ? args : null) }, id, entry.name)
}

/**
 * Registers `fn` as the server function `id` (exported as `exportName`; `name` is its name in the source, for a
 * hoisted inline action). A function that is a server reference already (re-exported from another 'use server'
 * module, or exported twice) gets a new reference of its own.
 */
export function registerServerReference<T>(fn: T, id: string, exportName: string, name?: string): T {
  if (typeof fn !== 'function') {
    const what = fn === null ? 'null' : typeof fn
    throw runtimeError('USE_SERVER_NOT_A_FUNCTION', `The export "${exportName}" of a 'use server' module is ${what}, ` +
      `not a function (action ${id}). Every export of a 'use server' file must be an async function; ` +
      `move other values to a module without 'use server'.`)
  }
  const reference = isServerReference(fn)
    ? makeReference({ target: fn as AnyFunction, direct: () => [], wire: () => null }, id, name ?? fn.name)
    : defineReference(fn as AnyFunction, id, null)
  // The source name, where the transform had to give the function another one (hoisted, or an anonymous default).
  if (name !== undefined && reference.name !== name) Object.defineProperty(reference, 'name', { value: name, configurable: true })
  registry.set(id, { fn: reference, name: name ?? reference.name })
  return reference as T
}

/** A new function that calls `binding.target` with the bound arguments first, registered as a reference to `id`. */
export function makeReference(binding: Binding, id: string, name: string): ServerReference {
  const reference = function (this: unknown, ...args: unknown[]) {
    let bound: unknown[]
    try {
      bound = binding.direct()
    } catch (error) {
      return failedCall(binding.target, error)
    }
    return binding.target.apply(this, [...bound, ...args])
  }
  Object.defineProperty(reference, 'name', { value: name, configurable: true })
  Object.defineProperty(reference, 'length', { value: 0, configurable: true })
  return defineReference(reference, id, binding)
}

/**
 * Reading the captured values threw (a variable still in its TDZ, as when a function declared in a `switch` case is
 * called from a case that runs before the `const` it reads): the original function would have thrown inside its
 * body, so the call returns what such a call does, not a synchronous throw. An async function: a rejected promise.
 * An async generator: a generator whose first `next()` rejects.
 */
function failedCall(target: AnyFunction, error: unknown): unknown {
  if (Object.prototype.toString.call(target) === '[object AsyncGeneratorFunction]') {
    return (async function* () { throw error })()
  }
  return Promise.reject(error)
}

function defineReference(fn: AnyFunction, id: string, binding: Binding | null): ServerReference {
  const self = binding ?? { target: fn, direct: () => [], wire: () => null }
  Object.defineProperties(fn, {
    $$typeof: { value: SERVER_REFERENCE, configurable: true },
    $$id: { value: id, configurable: true },
    $$bound: { get: self.wire, configurable: true },
    bind: { value: bindReference(self, id), configurable: true },
    // A request can pass a reference to any server function as an argument; an action that turns an argument into
    // text (`String(x)`, a template) must not send the function's source back (React does the same, CVE-2025-55183).
    toString: { value: omittedSource, configurable: true, writable: true },
  })
  return fn as ServerReference
}

function omittedSource(): string {
  return 'function () { [omitted code] }'
}

function bindReference(binding: Binding, id: string) {
  return function bind(this: ServerReference, thisArg: unknown, ...args: unknown[]): ServerReference {
    if (thisArg != null) console.error('Cannot bind "this" of a Server Function. Pass null or undefined as the first argument to .bind().')
    return makeReference({
      target: binding.target,
      direct: () => [...binding.direct(), ...args],
      wire: () => [...(binding.wire() ?? []), ...args],
    }, id, `bound ${this.name}`)
  }
}
