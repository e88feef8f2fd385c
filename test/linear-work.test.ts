// Work that grows with the square of the actions in one body, checked by what Babel is asked to do, not by time.
// Babel's `remove()` renumbers every path made in a statement list, so removing each action's function declaration
// through it cost N² in a body of N actions; the plugin takes them out of the list itself (removeStatement).
import { expect, it } from 'vitest'
import type { NodePath, PluginObj } from '@babel/core'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'
// @ts-expect-error plain ES module without types
import { shapes } from '../bench/shapes.mjs'

/** Transforms `code` and returns the output and the statements of a list that were removed with `remove()`. */
function transform(code: string) {
  const removed: string[] = []
  let restore = () => {}
  const counter = (): PluginObj => ({
    visitor: {
      Program(program) {
        const prototype = Object.getPrototypeOf(program) as { remove: (this: NodePath) => void }
        const remove = prototype.remove
        prototype.remove = function (this: NodePath) {
          if (Array.isArray(this.container)) removed.push(this.node.type)
          return remove.call(this)
        }
        restore = () => { prototype.remove = remove }
      },
    },
  })
  try {
    const out = babel.transformSync(code, { filename: '/bench/captures.tsx', babelrc: false, configFile: false,
      sourceType: 'module', parserOpts: { plugins: ['jsx', 'typescript'] },
      plugins: [counter, [plugin, { root: '/bench', environment: 'server' }]] })!
    return { code: out.code!, removed }
  } finally {
    restore()
  }
}

it('takes the function declarations of actions out of their body without renumbering the body for each', () => {
  const { code, removed } = transform(shapes.captures(8))
  expect(removed).toEqual([])
  // Each declaration is gone from the body: a const made from the reference stands at its start instead.
  expect(code.match(/async function act\d/g)).toBeNull()
  expect(code.match(/const act\d+ = _createInlineReference/g)).toHaveLength(8)
})

it('keeps a comment of a removed declaration, as Babel\'s removal does', () => {
  const { code } = transform(`export default async function Page({ id }: { id: string }) {
  // Saves the label.
  async function save() {
    'use server'
    return id
  }
  return save
}
`)
  expect(code).toContain('// Saves the label.')
})
