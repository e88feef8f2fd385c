// Discovers fixtures/<case>/ and checks each: input.{js,jsx,ts,tsx} → server.js / client.js / metadata.json, or
// server.error.json / client.error.json ({ code, message }) for build errors. Adding a case is adding a folder.
// The folder is the project root; other files in it are modules the input imports; options.json adds plugin options.
// UPDATE_FIXTURES=1 writes missing or changed expected files (review them before committing).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'

const fixturesDir = path.join(import.meta.dirname, '..', 'fixtures')
const update = process.env.UPDATE_FIXTURES === '1'
function transform(dir: string, input: string, filename: string, environment: 'server' | 'client') {
  const optionsFile = path.join(dir, 'options.json')
  const extra = fs.existsSync(optionsFile) ? JSON.parse(fs.readFileSync(optionsFile, 'utf8')) : {}
  const ext = path.extname(filename)
  const parserPlugins: ('jsx' | 'typescript')[] = []
  if (ext === '.jsx' || ext === '.tsx') parserPlugins.push('jsx')
  if (ext === '.ts' || ext === '.tsx') parserPlugins.push('typescript')
  return babel.transformSync(input, {
    filename: path.join(dir, filename),
    babelrc: false,
    configFile: false,
    sourceType: 'module',
    parserOpts: { plugins: parserPlugins },
    plugins: [[plugin, { environment, root: dir, ...extra }]],
  })!
}

function expectFile(file: string, actual: string) {
  if (update && (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== actual)) fs.writeFileSync(file, actual)
  if (!fs.existsSync(file)) throw new Error(`missing ${path.relative(fixturesDir, file)} (run with UPDATE_FIXTURES=1 to write it)`)
  expect(actual).toBe(fs.readFileSync(file, 'utf8'))
}

for (const name of fs.readdirSync(fixturesDir).sort()) {
  const dir = path.join(fixturesDir, name)
  const inputName = fs.readdirSync(dir).find((f) => /^input\.(js|jsx|ts|tsx)$/.test(f))
  if (!inputName) continue
  const input = fs.readFileSync(path.join(dir, inputName), 'utf8')

  describe(`fixture ${name}`, () => {
    const outputs: Record<string, { id: string; name: string; kind: string }[]> = {}
    for (const environment of ['server', 'client'] as const) {
      const errorFile = path.join(dir, `${environment}.error.json`)
      const outputFile = path.join(dir, `${environment}.js`)
      if (fs.existsSync(errorFile)) {
        it(`${environment}: fails with the expected error and a code frame`, () => {
          const expected = JSON.parse(fs.readFileSync(errorFile, 'utf8')) as { code: string; message: string }
          let error: (Error & { code?: string }) | undefined
          try {
            transform(dir, input, inputName, environment)
          } catch (e) {
            error = e as Error & { code?: string }
          }
          expect(error, 'a build error').toBeDefined()
          expect(error!.code).toBe(expected.code)
          expect(error!.message).toContain(expected.message)
          expect(error!.message).toMatch(/>\s*\d+\s*\|/) // Babel's code frame
          expect(error!.name).not.toMatch(/^(TypeError|ReferenceError|RangeError)$/)
        })
      } else if (fs.existsSync(outputFile) || update) {
        it(`${environment}: output`, () => {
          const result = transform(dir, input, inputName, environment)
          expectFile(outputFile, result.code + '\n')
          const metadata = (result.metadata as { useServer?: { actions: { id: string; name: string; kind: string }[] } }).useServer
          outputs[environment] = metadata?.actions ?? []
          if (environment === 'server') expectFile(path.join(dir, 'metadata.json'), JSON.stringify(metadata ?? null, null, 2) + '\n')
        })
      }
    }
    // A case reported with its input only (e.g. found by the fuzzer) waits for its expected files.
    const expected = ['server.js', 'client.js', 'server.error.json', 'client.error.json'].some((f) => fs.existsSync(path.join(dir, f)))
    if (!expected && !update) it.todo('expected output not written yet (UPDATE_FIXTURES=1, then review)')
    if (fs.existsSync(path.join(dir, 'client.js')) && fs.existsSync(path.join(dir, 'server.js'))) {
      it('client stubs carry the server build\'s IDs', () => {
        const exported = (env: string) => (outputs[env] ?? []).filter((a) => a.kind === 'export')
        expect(exported('client')).toEqual(exported('server'))
      })
    }
  })
}
