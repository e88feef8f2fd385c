// A hoisted function takes over its action's scope rather than have Babel read the whole function again
// (src/hoisted-scope.ts). What it gets must be what that reading gives: for every hoisted function of fixtures,
// bench shapes and fuzzer programs, a probe plugin running after ours records the scopes in and around it, has
// Babel crawl the function's scope again, and compares. Bindings (kind, declaring node, references, assignments),
// labels, and what the module scope knows (its bindings' references, its globals) must all be the same.
import path from 'node:path'
import type { NodePath, PluginObj, types as t } from '@babel/core'
import { describe, expect, it } from 'vitest'
import plugin from '../src/index.ts'
import { babel } from './support/babel.ts'
import { fixtureCases } from './support/fixtures.ts'
// @ts-expect-error plain ES module without types
import { generateProgram } from './fuzz/generate.mjs'
// @ts-expect-error plain ES module without types
import { shapes } from '../bench/shapes.mjs'

type Scope = NodePath['scope']

/** The scope's state, with nodes as their index in the program (a node outside it: -1). */
function snapshot(scope: Scope, index: Map<t.Node, number>) {
  const at = (path: NodePath | null | undefined) => (path?.node ? index.get(path.node) ?? -1 : null)
  return {
    // (By name: renaming a variable moves it to the end of Babel's object.)
    bindings: Object.entries(scope.bindings).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, b]) => ({
      name, kind: b.kind, constant: b.constant, references: b.references, referenced: b.referenced,
      identifier: index.get(b.identifier) ?? -1, path: at(b.path), scope: b.scope === scope,
      referencePaths: b.referencePaths.map(at), constantViolations: b.constantViolations.map(at),
    })),
    labels: [...scope.labels].map(([name, path]) => [name, at(path)]),
  }
}

function stateOf(program: NodePath<t.Program>, fn: NodePath, index: Map<t.Node, number>) {
  const scopes: unknown[] = [snapshot(fn.scope, index)]
  fn.traverse({ Scope(p) { if (p.scope.path === p) scopes.push(snapshot(p.scope, index)) } })
  // (Not the hoisted functions' own names: a hoisted function read by Babel before a later one was added to the module
  // misses its references to it, as it always has; those are made by the plugin, never in code taken over.)
  const module = snapshot(program.scope, index).bindings.filter((b) => !b.name.startsWith('_$$action_'))
  // (Babel 8 keeps globals in an object as well.)
  return { scopes, module, globals: Object.keys(program.scope.globals).sort() }
}

const probe = (found: { count: number }) => (): PluginObj => ({
  visitor: {
    Program(program) {
      const index = new Map<t.Node, number>()
      babel.types.traverseFast(program.node, (node) => void index.set(node, index.size))
      for (const statement of program.get('body')) {
        const declaration = statement.isExportNamedDeclaration() ? statement.get('declaration') : null
        if (!declaration?.isFunctionDeclaration() || !declaration.node.id?.name.startsWith('_$$action_')) continue
        found.count++
        const before = stateOf(program, declaration, index)
        declaration.scope.crawl()
        expect(stateOf(program, declaration, index), declaration.node.id.name).toEqual(before)
      }
    },
  },
})

function check(code: string, filename: string, parserPlugins: ('jsx' | 'typescript')[], options: object = {}) {
  const found = { count: 0 }
  try {
    babel.transformSync(code, {
      filename, babelrc: false, configFile: false, sourceType: 'module', parserOpts: { plugins: parserPlugins },
      plugins: [[plugin, { environment: 'server', root: path.dirname(filename), ...options }], probe(found)],
    })
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('USE_SERVER_')) return 0 // An input that must fail.
    throw error
  }
  return found.count
}

describe("a hoisted function's scope equals Babel's own reading of it", () => {
  it('fixtures', () => {
    let count = 0
    for (const fixture of fixtureCases()) {
      count += check(fixture.input, path.join(fixture.dir, fixture.inputName), fixture.parserPlugins, fixture.options)
    }
    expect(count).toBeGreaterThan(40)
  })

  it('bench shapes', () => {
    for (const shape of ['inline', 'nested', 'loop', 'captures']) {
      expect(check(shapes[shape](12), `/bench/${shape}.tsx`, ['typescript', 'jsx'])).toBeGreaterThan(0)
    }
  })

  it('fuzzer programs', () => {
    // Seeds 70 and 412 differ from a new reading, in a function Babel reads whole, as they did before functions took
    // over their action's scope: a variable renamed apart by an action hoisted later misses references there.
    const knownGap = new Set([70, 412])
    let count = 0
    for (let seed = 1; seed <= 300; seed++) {
      if (!knownGap.has(seed)) count += check(generateProgram(seed), `/fuzz/p${seed}.js`, [])
    }
    expect(count).toBeGreaterThan(300)
  })
})
