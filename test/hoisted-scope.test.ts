// A hoisted function takes over its action's scope rather than have Babel read the whole function again
// (src/hoisted-scope.ts). What it gets must be what that reading gives: for every hoisted function of fixtures,
// bench shapes and fuzzer programs, a probe plugin running after ours records the scopes in and around it, has
// Babel crawl the function's scope again, and compares. Bindings (kind, declaring node, references, assignments, and
// the scope and parents those paths have), labels, and what the module scope knows (its bindings' references, its
// globals) must all be the same. It also counts the functions that took over, so that the comparison covers them.
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

/**
 * The scope's state, with nodes as their index in the program (a node outside it: -1). A path where the scope's
 * variables are declared, read or assigned also gives the node of its scope and of its parent paths: plugins use those
 * paths before a traversal would set them again.
 */
function snapshot(scope: Scope, index: Map<t.Node, number>) {
  const node = (path: NodePath | null | undefined) => (path?.node ? index.get(path.node) ?? -1 : null)
  const ancestry = (path: NodePath) => {
    const nodes = []
    for (let current = path.parentPath; current; current = current.parentPath) nodes.push(node(current))
    return nodes
  }
  const at = (path: NodePath | null | undefined) => (path ? [node(path), node(path.scope?.path), ...ancestry(path)] : null)
  return {
    // (By name: renaming a variable moves it to the end of Babel's object.)
    bindings: Object.entries(scope.bindings).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, b]) => ({
      name, kind: b.kind, constant: b.constant, references: b.references, referenced: b.referenced,
      identifier: index.get(b.identifier) ?? -1, path: at(b.path), scope: b.scope === scope,
      referencePaths: b.referencePaths.map(at), constantViolations: b.constantViolations.map(at),
    })),
    labels: [...scope.labels].map(([name, path]) => [name, node(path)]),
  }
}

function stateOf(program: NodePath<t.Program>, fn: NodePath, index: Map<t.Node, number>) {
  const scopes: unknown[] = [snapshot(fn.scope, index)]
  // (Not the hoisted functions' own names: a hoisted function read by Babel before a later one was added to the module
  // misses its references to it, as it always has; those are made by the plugin, never in code taken over.)
  const module = snapshot(program.scope, index).bindings.filter((b) => !b.name.startsWith('_$$action_'))
  // (Last: a traversal sets the scope of the paths it passes.)
  fn.traverse({ Scope(p) { if (p.scope.path === p) scopes.push(snapshot(p.scope, index)) } })
  // (Babel 8 keeps globals in an object as well.)
  return { scopes, module, globals: Object.keys(program.scope.globals).sort() }
}

const probe = (found: { count: number; taken: number }) => (): PluginObj => ({
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

/**
 * Counts the hoisted functions Babel reads with their body out of sight while our plugin runs: those that took over
 * their action's scope (the probe's own readings come later, whole).
 */
const takeoverCounter = (found: { taken: number }, restore: (undo: () => void) => void) => (): PluginObj => ({
  visitor: {
    Program(program) {
      const prototype = Object.getPrototypeOf(program.scope) as { crawl: (this: Scope) => void }
      const crawl = prototype.crawl
      prototype.crawl = function (this: Scope) {
        const node = this.path.node
        if (node.type === 'FunctionDeclaration' && node.id?.name.startsWith('_$$action_') && node.body.body.length === 0 &&
          node.params.length === 0) found.taken++
        return crawl.call(this)
      }
      restore(() => { prototype.crawl = crawl })
    },
  },
})

function check(code: string, filename: string, parserPlugins: ('jsx' | 'typescript')[], options: object = {}) {
  const found = { count: 0, taken: 0 }
  let undo = () => {}
  try {
    babel.transformSync(code, {
      filename, babelrc: false, configFile: false, sourceType: 'module', parserOpts: { plugins: parserPlugins },
      plugins: [takeoverCounter(found, (restore) => { undo = restore }),
        [plugin, { environment: 'server', root: path.dirname(filename), ...options }], probe(found)],
    })
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('USE_SERVER_')) return { count: 0, taken: 0 } // An input that must fail.
    throw error
  } finally {
    undo()
  }
  return found
}

describe("a hoisted function's scope equals Babel's own reading of it", () => {
  it('fixtures', () => {
    let count = 0
    let taken = 0
    for (const fixture of fixtureCases()) {
      const found = check(fixture.input, path.join(fixture.dir, fixture.inputName), fixture.parserPlugins, fixture.options)
      count += found.count
      taken += found.taken
    }
    expect(count).toBeGreaterThan(40)
    // (So that what is compared is mostly takeovers: a change that silently stopped them would fail here.)
    expect(taken).toBeGreaterThan(30)
  })

  it('bench shapes', () => {
    for (const shape of ['inline', 'nested', 'loop', 'captures']) {
      const found = check(shapes[shape](12), `/bench/${shape}.tsx`, ['typescript', 'jsx'])
      expect(found.count).toBe(12)
      // An action around another holds the inner one's reference, made by the plugin: Babel reads it whole.
      expect(found.taken).toBe(shape === 'nested' ? 6 : 12)
    }
  })

  it('parameters with defaults and patterns, labels, module variables assigned', () => {
    const code = `import { db } from './db'
let calls = 0
export function Page({ base }) {
  async function save(a, b = a + db.offset, { c, d: [e = calls] } = {}, ...rest) {
    'use server'
    calls++
    outer: for (const item of rest) { if (item) continue outer; calls = item }
    return [base, a, b, c, e, rest.length, typeof missing]
  }
  const drop = async function named(x = 1) { 'use server'; return x + base }
  return [save, drop]
}
`
    const found = check(code, '/params/page.js', [])
    expect(found).toEqual({ count: 2, taken: 2 })
  })

  it('fuzzer programs', () => {
    let count = 0
    let taken = 0
    for (let seed = 1; seed <= 300; seed++) {
      const found = check(generateProgram(seed), `/fuzz/p${seed}.js`, [])
      count += found.count
      taken += found.taken
    }
    expect(count).toBeGreaterThan(300)
    expect(taken).toBeGreaterThan(400)
  })
})
