// Source maps: the body of a hoisted inline action maps back to its lines in the original function.
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'

it('maps the hoisted body of an inline action to the original lines', () => {
  const source = [
    'export function Page({ id }) {',
    '  const prefix = "post " + id',
    '  async function updatePost(title) {',
    "    'use server'",
    '    const marker = prefix + title',
    '    return marker',
    '  }',
    '  return updatePost',
    '}',
  ].join('\n')
  const result = babel.transformSync(source, {
    filename: '/project/page.js', babelrc: false, configFile: false, sourceMaps: true,
    plugins: [[plugin, { environment: 'server', root: '/project' }]],
  })!
  const lines = result.code!.split('\n')
  const generatedLine = lines.findIndex((line) => line.includes('const marker = prefix + title')) + 1
  const hoistedLine = lines.findIndex((line) => line.startsWith('export async function _$$action_updatePost')) + 1
  expect(hoistedLine).toBeGreaterThan(0)
  expect(generatedLine).toBeGreaterThan(hoistedLine) // The body did move to the hoisted function.
  const column = lines[generatedLine - 1].indexOf('const marker')
  const original = originalPositionFor(new TraceMap(result.map as never), { line: generatedLine, column })
  expect(original).toMatchObject({ source: 'page.js', line: 5 })
})
