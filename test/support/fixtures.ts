// The fixture layout, read in one place for every test that walks fixtures/ (the fixture runner, hostile.test.ts).
//
// fixtures/<group>/<case>/ holds input.{js,jsx,ts,tsx}; the case folder is the project root, and its other files
// are modules the input imports. What a group shares is written once in the group folder, as Babel's own fixture
// runner does:
// - options.json: plugin options; the group's, then the case's (a case key wins).
// - Expectations, per environment (server, client), the first that exists:
//   case <env>.js (the output, with metadata.json for the server) · case <env>.error.json · case error.json (both
//   environments fail the same way) · group <env>.error.json · group error.json.
//   An error file is { "code": "USE_SERVER_…", "message": "<part of the message>" }.
import fs from 'node:fs'
import path from 'node:path'

export const fixturesDir = path.join(import.meta.dirname, '..', '..', 'fixtures')

export type Environment = 'server' | 'client'
export type Expectation =
  | { kind: 'output'; file: string }
  | { kind: 'error'; file: string; code: string; message: string }

export interface FixtureCase {
  /** `<group>/<case>`, for test names. */
  name: string
  dir: string
  inputName: string
  input: string
  /** Babel parser plugins for the input's extension. */
  parserPlugins: ('jsx' | 'typescript')[]
  /** Plugin options besides `environment` and `root` (group options.json, then the case's). */
  options: Record<string, unknown>
  /** null: nothing says what this environment should give (yet). */
  expected: Record<Environment, Expectation | null>
  /** Whether the case folder holds any expectation of its own (a case with its input only waits for them). */
  hasOwnExpectation: boolean
}

const readJson = (file: string) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined)

function errorAt(file: string): Expectation | null {
  const expected = readJson(file) as { code: string; message: string } | undefined
  return expected ? { kind: 'error', file, code: expected.code, message: expected.message } : null
}

function expectation(groupDir: string, dir: string, environment: Environment): Expectation | null {
  const output = path.join(dir, `${environment}.js`)
  const ownError = path.join(dir, `${environment}.error.json`)
  if (fs.existsSync(output) && fs.existsSync(ownError)) {
    throw new Error(`${path.relative(fixturesDir, dir)}: both ${environment}.js and ${environment}.error.json`)
  }
  if (fs.existsSync(output)) return { kind: 'output', file: output }
  return (
    errorAt(ownError) ??
    errorAt(path.join(dir, 'error.json')) ??
    errorAt(path.join(groupDir, `${environment}.error.json`)) ??
    errorAt(path.join(groupDir, 'error.json'))
  )
}

const ownExpectationFiles = ['server.js', 'client.js', 'server.error.json', 'client.error.json', 'error.json']

/** Every fixture case, sorted by `<group>/<case>`. */
export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = []
  for (const group of fs.readdirSync(fixturesDir).sort()) {
    const groupDir = path.join(fixturesDir, group)
    if (!fs.statSync(groupDir).isDirectory()) continue
    const groupOptions = readJson(path.join(groupDir, 'options.json')) ?? {}
    for (const name of fs.readdirSync(groupDir).sort()) {
      const dir = path.join(groupDir, name)
      if (!fs.statSync(dir).isDirectory()) continue
      const inputName = fs.readdirSync(dir).find((f) => /^input\.(js|jsx|ts|tsx)$/.test(f))
      if (!inputName) throw new Error(`fixtures/${group}/${name}: no input.{js,jsx,ts,tsx}`)
      const ext = path.extname(inputName)
      cases.push({
        name: `${group}/${name}`,
        dir,
        inputName,
        input: fs.readFileSync(path.join(dir, inputName), 'utf8'),
        parserPlugins: [...(ext === '.jsx' || ext === '.tsx' ? ['jsx' as const] : []), ...(ext === '.ts' || ext === '.tsx' ? ['typescript' as const] : [])],
        options: { ...groupOptions, ...readJson(path.join(dir, 'options.json')) },
        expected: { server: expectation(groupDir, dir, 'server'), client: expectation(groupDir, dir, 'client') },
        hasOwnExpectation: ownExpectationFiles.some((f) => fs.existsSync(path.join(dir, f))),
      })
    }
  }
  return cases
}
