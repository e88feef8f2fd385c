// One-line notices to the person running the build or the server: on stderr, once per process per kind.

/**
 * Writes `message` and a newline to stderr the first time `kind` is noticed in this process. The flag lives on
 * globalThis under `Symbol.for("babel-plugin-use-server." + kind)`,
 * so a test runner that reloads modules does not repeat it. Not through `console`: Jest prints console
 * calls with a stack, and React's development build replays console calls made while rendering into the browser.
 */
export function noticeOnce(kind: string, message: string): void {
  const key = Symbol.for(`babel-plugin-use-server.${kind}`)
  const g = globalThis as Record<symbol, boolean | undefined>
  if (g[key]) return
  g[key] = true
  writeStderr(message)
}

/**
 * Writes `message` and a newline to stderr (`console.error` where there is no `process`, e.g. an edge runtime), for
 * the same reasons as `noticeOnce`.
 */
export function writeStderr(message: string): void {
  if (typeof process !== 'undefined' && typeof process.stderr?.write === 'function') process.stderr.write(`${message}\n`)
  else console.error(message)
}
