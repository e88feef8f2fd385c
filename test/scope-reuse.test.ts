// Import-site stubs update the module scope Babel read with the file, rather than have Babel read the whole module
// again; plugins later in the pass see the bindings a fresh read would give them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { NodePath, PluginObj } from '@babel/core'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'
// @ts-expect-error plain ES module without types
import { shapes } from '../bench/shapes.mjs'

type Scope = NodePath['scope']

/**
 * Transforms with a first plugin that counts the scopes Babel reads after it parsed the file (by the node kind
 * and name of each scope's owner), and `after`, run later in the same pass.
 */
function transform(code: string, filename: string, options: object, after: PluginObj['visitor']) {
  const crawled: string[] = []
  let restore = () => {}
  const counter = (): PluginObj => ({
    visitor: {
      Program(program) {
        const prototype = Object.getPrototypeOf(program.scope) as { crawl: (this: Scope) => void }
        const crawl = prototype.crawl
        prototype.crawl = function (this: Scope) {
          const node = this.path.node as { type: string, id?: { name: string } | null, body?: { body?: unknown[] } }
          // (A function read with its body out of sight, as hoisted-scope.ts has Babel read a hoisted function.)
          const bodyless = Array.isArray(node.body?.body) && node.body.body.length === 0
          crawled.push(`${node.type} ${node.id?.name ?? ''}${bodyless ? ' (bodyless)' : ''}`.trim())
          return crawl.call(this)
        }
        restore = () => { prototype.crawl = crawl }
      },
    },
  })
  try {
    const out = babel.transformSync(code, { filename, babelrc: false, configFile: false, sourceType: 'module',
      parserOpts: { plugins: ['jsx', 'typescript'] },
      plugins: [counter, [plugin, { root: path.dirname(filename), ...options }], () => ({ visitor: after })] })!
    return { code: out.code!, crawled }
  } finally {
    restore()
  }
}


const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-reuse-'))
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }))

it('registers import-site stubs in the module scope, with the references of the imports they replace', () => {
  fs.writeFileSync(path.join(temp, 'actions.js'), `'use server'\nexport async function save() {}\nexport async function drop() {}\n`)
  const found: Record<string, [string, number]> = {}
  const { code, crawled } = transform(
    `import { save, drop as remove } from './actions'\nexport { drop } from './actions'\nexport const forms = [save, remove, save]\n`,
    path.join(temp, 'forms.js'), { environment: 'client', importStubs: true }, {
      Program(program) {
        for (const name of ['save', 'remove', '_drop']) {
          const binding = program.scope.getOwnBinding(name)!
          found[name] = [binding.kind, binding.referencePaths.length]
        }
      },
    })
  expect(code).toContain('export { _drop as drop }')
  expect(found).toEqual({ save: ['const', 2], remove: ['const', 1], _drop: ['const', 1] })
  expect(crawled.filter((owner) => owner === 'Program')).toEqual([])
})

it('reads no hoisted function of the common shape whole: each takes over its action\'s scope', () => {
  const { crawled } = transform(shapes.inline(6), '/bench/inline.tsx', { environment: 'server' }, {})
  const hoisted = crawled.filter((owner) => owner.includes(' _$$action_'))
  expect(hoisted).toHaveLength(6)
  expect(hoisted.filter((owner) => !owner.endsWith(' (bodyless)'))).toEqual([])
})
