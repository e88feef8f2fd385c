// Every error code the runtime raises, with the HTTP status it stands for and what it means. This is the only list:
// errors are made with `runtimeError(code, …)`, `statusOf` reads the status from here, and the README's runtime table
// is checked against it (test/runtime-errors.test.ts). Build errors have their own list in src/errors.ts.

/** `status` is the HTTP status a handler answers with; `null` for errors that never reach one (browser side). */
export interface RuntimeErrorInfo {
  status: number | null
  meaning: string
}

export const RUNTIME_ERRORS = {
  USE_SERVER_BAD_REQUEST: { status: 400, meaning: 'a request React cannot decode: malformed Flight reply or form data, arguments that are not a list' },
  USE_SERVER_INVALID_BOUND: { status: 400, meaning: 'the encrypted bound values of an inline action were tampered with, truncated, made for another action or with an unknown key' },
  USE_SERVER_FORBIDDEN_ORIGIN: { status: 403, meaning: "a cross-origin request: its `Origin` (or `Sec-Fetch-Site`) names neither the request's host nor one of `allowedOrigins`" },
  USE_SERVER_UNKNOWN_ACTION: { status: 404, meaning: 'no server function has the requested ID' },
  USE_SERVER_BODY_TOO_LARGE: { status: 413, meaning: 'the request body (text, form fields and files together) is larger than `maxBodyBytes`' },
  USE_SERVER_NOT_A_FUNCTION: { status: 500, meaning: "an export of a `'use server'` module is not a function when it loads, or the manifest names an export the module does not have" },
  USE_SERVER_NOT_LOADED: { status: 500, meaning: 'a module (or a captured server function) was needed before its module was loaded in this process' },
  USE_SERVER_NO_FLIGHT: { status: 500, meaning: "react-server-dom-webpack or the `react-server` export condition is missing" },
  USE_SERVER_NO_LOAD_MODULE: { status: 500, meaning: '`handleActionRequest` / `loadServerAction` got no `loadModule`, and cannot make one: that needs a `reactManifest` and the runtime inside the webpack bundle' },
  USE_SERVER_NO_REACT_MANIFEST: { status: 500, meaning: 'in a webpack bundle, `handleActionRequest` needs a `reactManifest` built with the bundle\'s module IDs' },
  USE_SERVER_VULNERABLE_REACT: { status: 500, meaning: 'the installed react-server-dom-webpack is below the fixed release of its line (a published advisory applies)' },
  USE_SERVER_INVALID_HANDLER_OPTION: { status: 500, meaning: 'a wrong `handleActionRequest` option (`allowedOrigins` entry, `maxBodyBytes`, `hostHeader`)' },
  USE_SERVER_INVALID_KEY: { status: 500, meaning: '`USE_SERVER_ENCRYPTION_KEY` (or a previous key) is not base64 of 32 bytes' },
  USE_SERVER_UNSERIALIZABLE_CAPTURE: { status: 500, meaning: 'a value captured by an inline action cannot be serialized with React Flight' },
  USE_SERVER_NO_REFERENCES: { status: 500, meaning: "`babel-plugin-use-server/references` was imported in a build without the Vite/Rollup plugin, which generates it" },
  USE_SERVER_NOT_IN_BUILD: { status: 500, meaning: "the `loadModule` of `babel-plugin-use-server/references` was asked for a module that is not a `'use server'` module of the build" },
  USE_SERVER_NO_CLIENT_MODULES: { status: 500, meaning: 'outside webpack, a Flight answer referred to a client component, which the client runtime cannot load' },
  USE_SERVER_NO_CALL_SERVER: { status: null, meaning: 'in the browser: a client stub was called before `setCallServer`' },
} as const satisfies Record<string, RuntimeErrorInfo>

export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS

/** The error of every runtime failure: `code` and `status` from the registry, the message prefixed with `[code]`. */
export class ServerActionError extends Error {
  code: RuntimeErrorCode
  /** The HTTP status of the registry; 500 for a browser-side error that somehow reaches a handler. */
  status: number
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[${code}] ${message}`, options)
    this.name = 'ServerActionError'
    this.code = code
    this.status = RUNTIME_ERRORS[code].status ?? 500
  }
}

/** Shorthand for `new ServerActionError(code, message, { cause })`. */
export function runtimeError(code: RuntimeErrorCode, message: string, cause?: unknown): ServerActionError {
  return new ServerActionError(code, message, cause === undefined ? undefined : { cause })
}

/**
 * The HTTP status an error stands for: its own `status` / `statusCode` when that is 4xx or 5xx (the app's refusals),
 * else the registry's status for its `code`, else 500.
 */
export function statusOf(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown } | null
  const status = e?.status ?? e?.statusCode
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) return status
  const code = e?.code
  if (typeof code === 'string' && Object.hasOwn(RUNTIME_ERRORS, code)) return RUNTIME_ERRORS[code as RuntimeErrorCode].status ?? 500
  return 500
}
