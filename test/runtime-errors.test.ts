// One list of runtime error codes (src/runtime/errors.ts): the README's runtime table says the same, row for row, and
// every code the runtime's sources name is in it.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RUNTIME_ERRORS, ServerActionError, statusOf } from '../src/runtime/errors.ts'
import { ErrorCode } from '../src/errors.ts'

const root = path.resolve(import.meta.dirname, '..')

/** The rows of the table under the README's "### Runtime errors" heading: [code, status, meaning]. */
function readmeRows(): [string, string, string][] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### Runtime errors'))
  const lines = section.split('\n')
  const start = lines.findIndex((line) => line.startsWith('| code |'))
  const rows: [string, string, string][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    const cells = line.slice(1, -1).split(' | ').map((cell) => cell.trim())
    rows.push([cells[0].replace(/^`|`$/g, ''), cells[1], cells.slice(2).join(' | ')])
  }
  return rows
}

describe('runtime error codes', () => {
  it("the README's table is the registry", () => {
    const expected = Object.entries(RUNTIME_ERRORS).map(([code, { status, meaning }]) => [code, status === null ? '—' : String(status), meaning])
    expect(readmeRows()).toEqual(expected)
  })

  it('every code the runtime names is registered, and made through it', () => {
    const dir = path.join(root, 'src', 'runtime')
    const envVariables = new Set(['USE_SERVER_ENCRYPTION_KEY', 'USE_SERVER_ENCRYPTION_KEY_PREVIOUS', 'USE_SERVER_ALLOW_VULNERABLE_REACT'])
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8')
      for (const [code] of source.matchAll(/USE_SERVER_[A-Z_]+/g)) {
        if (envVariables.has(code)) continue
        expect(Object.hasOwn(RUNTIME_ERRORS, code), `${file}: ${code}`).toBe(true)
      }
      // Codes are never written into a message by hand (`[USE_SERVER_…]`), nor errors built around them.
      if (file !== 'errors.ts') expect(source, file).not.toMatch(/\[USE_SERVER_|new Error\(|new TypeError\(/)
    }
  })

  it('a runtime error carries its code, its status and the code in its message', () => {
    const error = new ServerActionError('USE_SERVER_BODY_TOO_LARGE', 'Too big.')
    expect(error).toMatchObject({ code: 'USE_SERVER_BODY_TOO_LARGE', status: 413, message: '[USE_SERVER_BODY_TOO_LARGE] Too big.' })
    expect(statusOf({ code: 'USE_SERVER_INVALID_BOUND' })).toBe(400)
    expect(statusOf({ code: 'USE_SERVER_INVALID_BOUND', status: 401 })).toBe(401)
    expect(statusOf(new Error('x'))).toBe(500)
    expect(statusOf({ code: 'toString' })).toBe(500)
  })

  it('build and runtime share only the code that means the same at both times', () => {
    const shared = Object.values(ErrorCode).filter((code) => Object.hasOwn(RUNTIME_ERRORS, code))
    expect(shared).toEqual(['USE_SERVER_NOT_A_FUNCTION'])
  })
})
