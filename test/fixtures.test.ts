// Checks every fixtures/<group>/<case>/ (layout and shared expectations: test/support/fixtures.ts): the input's
// server and client builds against server.js / client.js / metadata.json, or against the expected build error.
// Adding a case is adding a folder. UPDATE_FIXTURES=1 writes missing or changed outputs (review them before
// committing); an environment whose expected error comes from the group is never rewritten.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel, babelMajor } from './support/babel.ts'
import { fixtureCases, fixturesDir, type Environment, type FixtureCase } from './support/fixtures.ts'

const update = process.env.UPDATE_FIXTURES === '1'
type Action = { id: string; name: string; kind: string }

function transform(fixture: FixtureCase, environment: Environment) {
  return babel.transformSync(fixture.input, {
    filename: path.join(fixture.dir, fixture.inputName),
    babelrc: false,
    configFile: false,
    sourceType: 'module',
    parserOpts: { plugins: fixture.parserPlugins },
    plugins: [[plugin, { environment, root: fixture.dir, ...fixture.options }]],
  })!
}

function expectFile(file: string, actual: string) {
  if (update && (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== actual)) fs.writeFileSync(file, actual)
  if (!fs.existsSync(file)) throw new Error(`missing ${path.relative(fixturesDir, file)} (run with UPDATE_FIXTURES=1 to write it)`)
  expect(actual).toBe(fs.readFileSync(file, 'utf8'))
}

for (const fixture of fixtureCases()) {
  describe(`fixture ${fixture.name}`, () => {
    const outputs: Partial<Record<Environment, Action[]>> = {}
    // A case reported with its input only (e.g. found by the fuzzer) waits for its expected files.
    if (!fixture.hasOwnExpectation && !update) {
      it.todo('expected output not written yet (UPDATE_FIXTURES=1, then review)')
      return
    }
    for (const environment of ['server', 'client'] as const) {
      const expected = fixture.expected[environment]
      if (expected?.kind === 'error') {
        it(`${environment}: fails with ${expected.code} and a code frame`, () => {
          let error: (Error & { code?: string }) | undefined
          try {
            transform(fixture, environment)
          } catch (e) {
            error = e as Error & { code?: string }
          }
          expect(error, 'a build error').toBeDefined()
          expect(error!.code).toBe(expected.code)
          expect(error!.message).toContain(expected.message)
          expect(error!.message).toMatch(/>\s*\d+\s*\|/) // Babel's code frame
          expect(error!.name).not.toMatch(/^(TypeError|ReferenceError|RangeError)$/)
        })
      } else if (expected || update) {
        it(`${environment}: output`, () => {
          const result = transform(fixture, environment)
          // The output must be a module Babel can read again.
          expect(() => babel.parseSync(result.code!, { babelrc: false, configFile: false, sourceType: 'module', parserOpts: { plugins: fixture.parserPlugins } })).not.toThrow()
          // Babel 8 prints some TypeScript differently (no comma after an enum's last member): such a case keeps its
          // Babel 8 output in <environment>.babel8.js.
          const babel8File = path.join(fixture.dir, `${environment}.babel8.js`)
          expectFile(babelMajor === 8 && fs.existsSync(babel8File) ? babel8File : path.join(fixture.dir, `${environment}.js`), result.code + '\n')
          const metadata = (result.metadata as { useServer?: { actions: Action[] } }).useServer
          outputs[environment] = metadata?.actions ?? []
          if (environment === 'server') expectFile(path.join(fixture.dir, 'metadata.json'), JSON.stringify(metadata ?? null, null, 2) + '\n')
        })
      } else {
        it(`${environment}: has an expectation`, () => {
          throw new Error(`fixtures/${fixture.name}: nothing says what the ${environment} build gives (${environment}.js, ${environment}.error.json or error.json, in the case or its group)`)
        })
      }
    }
    if (fixture.expected.server?.kind === 'output' && fixture.expected.client?.kind === 'output') {
      it('client stubs carry the server build\'s IDs', () => {
        const exported = (env: Environment) => (outputs[env] ?? []).filter((a) => a.kind === 'export')
        expect(exported('client')).toEqual(exported('server'))
      })
    }
  })
}
