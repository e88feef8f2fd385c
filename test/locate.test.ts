// Inline actions are found from the scan's offsets; an AST without positions (made by an earlier pass) is walked
// whole instead, with the same result.
import { expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'

const code = `export function Page({ id }) {
  async function outer(a) {
    'use server'
    const inner = async (b) => { 'use server'; return [id, a, b] }
    return inner
  }
  const label = 'use server is just text here'
  return [outer, label]
}
`

function stripPositions(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(stripPositions)
  if (!node || typeof node !== 'object') return
  const record = node as Record<string, unknown>
  delete record.start
  delete record.end
  for (const value of Object.values(record)) stripPositions(value)
}

it('gives the same output and metadata with and without node positions', () => {
  const options = { filename: '/project/page.js', babelrc: false, configFile: false,
    plugins: [[plugin, { environment: 'server', root: '/project' }]] }
  const located = babel.transformSync(code, options)!
  const ast = babel.parseSync(code, { filename: '/project/page.js', babelrc: false, configFile: false })!
  stripPositions(ast.program)
  const walked = babel.transformFromAstSync(ast, code, options)!
  expect(walked.code).toBe(located.code)
  expect(walked.metadata).toEqual(located.metadata)
  expect((located.metadata as { useServer: { actions: unknown[] } }).useServer.actions).toHaveLength(2)
})
