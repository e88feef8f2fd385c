// The closure analysis reads the references Babel listed when it read the file. Code that a plugin earlier in the
// pass adds to an action is not in those lists: its identifiers have no position, which makes the analysis read the
// action's scope again rather than miss a capture.
import { expect, it } from 'vitest'
import type { PluginObj, types as t } from '@babel/core'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'

const code = `export function Page({ id }) {
  const secret = id + 1
  async function save(x) {
    'use server'
    return x
  }
  return save
}
`

/** Makes `return x` read `secret` too, with new nodes put straight into the AST (so Babel lists no reference). */
const addsARead = ({ types }: { types: typeof t }): PluginObj => ({
  visitor: {
    Program(program) {
      program.traverse({
        ReturnStatement(statement) {
          if (statement.node.argument?.type !== 'Identifier' || statement.node.argument.name !== 'x') return
          statement.node.argument = types.arrayExpression([types.identifier('x'), types.identifier('secret')])
        },
      })
    },
  },
})

it('captures what an earlier plugin of the pass made an action read', () => {
  const out = babel.transformSync(code, { filename: '/p/page.js', babelrc: false, configFile: false,
    plugins: [addsARead, [plugin, { environment: 'server', root: '/p' }]] })!
  expect(out.code).toContain('const [secret] = await _decryptBoundValues(')
  expect(out.code).toContain('() => [secret]')
})

// The reassignment check looks first at the variables the action names; where several are at fault, the error is
// still the first in scope and declaration order (`a`, assigned after the action, before `b`, assigned inside it).
it('reports the first faulty variable in declaration order', () => {
  const faulty = `export function Page() {
  let a = 1
  let b = 2
  async function save() {
    'use server'
    b = 3
    return a
  }
  a = 5
  return [save, b]
}
`
  expect(() => babel.transformSync(faulty, { filename: '/p/page.js', babelrc: false, configFile: false,
    plugins: [[plugin, { environment: 'server', root: '/p' }]] })).toThrow(/captures "a", which is assigned after/)
})
