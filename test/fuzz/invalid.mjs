// Generator of INVALID uses of 'use server': each must fail the build with its documented code (src/errors.ts) and
// Babel's code frame, never with an internal TypeError/ReferenceError. A seed gives a few cases: one offending
// snippet, at a random depth of valid nesting (blocks, loops, helpers, other actions), with valid noise around it.
import { createRandom } from './prng.mjs'

const NAMES = ['a', 'value', 'item', 'π', 'ñ', '变量', '$x', '_y', 'data', 'count']

/** @returns {{ name: string, code: string, environment: 'server' | 'client', source: string }[]} */
export function generateInvalid(seed) {
  const r = createRandom(seed ^ 0x5eed)
  let uid = 0
  const name = () => `${r.pick(NAMES)}${uid++}`
  const typo = () => r.pick(['use sever', 'use servre', 'Use Server', 'USE SERVER', 'use-server', 'use_server', 'use  server',
    'use action', 'use actions', 'use serve', 'use servers', 'usе server'.replace('е', 'e') + 'r', ' use server'])

  /** Valid statements that can sit next to the offending one. */
  function noise() {
    const n = name()
    return r.pick([
      `const ${n} = ${r.pick(['1', "'x'", '[1, 2]', 'new Date(0)', '{ k: 1 }'])}`,
      `const ${n} = async () => { 'use server'; return 1 }`,
      `function ${n}(x) { return x }`,
      `let ${n} = 0; ${n} = 1`,
      `for (const ${n} of [1, 2]) {}`,
      `// 'use server' in a comment`,
      `const ${n} = \`use server\``,
      `const ${n} = ['use server', "use client"]`,
    ])
  }
  /** Wraps statements in random valid nesting; returns the statements of run's body. */
  function nest(lines, depth) {
    if (depth === 0) return lines
    const inner = nest(lines, depth - 1)
    const body = [...(r.chance(0.5) ? [noise()] : []), ...inner, ...(r.chance(0.5) ? [noise()] : [])]
    const v = name()
    return [r.pick([
      () => `{\n${body.join('\n')}\n}`,
      () => `if (input) {\n${body.join('\n')}\n}`,
      () => `for (const ${v} of [1]) {\n${body.join('\n')}\n}`,
      () => `const ${v} = () => {\n${body.join('\n')}\n}`,
      () => `function ${v}() {\n${body.join('\n')}\n}`,
      () => `const ${v} = async () => {\n'use server'\n${body.join('\n')}\n}`,
    ])()]
  }
  const inline = (lines) => `export function run(input) {\n${nest(lines, r.int(4)).join('\n')}\n}\n`

  const cases = []
  const add = (caseName, code, source, environment = 'server') => cases.push({ name: caseName, code, environment, source })

  // Inline actions.
  const f = name(), v = name(), x = name()
  add('sync action', 'USE_SERVER_SYNC_FUNCTION', inline([r.pick([
    `function ${f}() { 'use server'; return 1 }`,
    `const ${f} = () => { 'use server'; return 1 }`,
    `const ${f} = function* () { 'use server'; yield 1 }`,
    `const ${f} = { m() { 'use server' } }`,
  ])]))
  add('this', 'USE_SERVER_THIS', inline([r.pick([
    `async function ${f}() { 'use server'; return this }`,
    `const ${f} = async function () { 'use server'; return (() => this.x)() }`,
    `const ${f} = { async m() { 'use server'; return [this] } }`,
  ])]))
  add('arguments', 'USE_SERVER_ARGUMENTS', inline([r.pick([
    `async function ${f}() { 'use server'; return arguments.length }`,
    `const ${f} = async function () { 'use server'; return (() => arguments[0])() }`,
  ])]))
  add('super', 'USE_SERVER_SUPER', inline([r.pick([
    `const ${f} = { async m() { 'use server'; return super.toString() } }`,
    `class ${f} extends Object { static async m() { 'use server'; return super.name } }`,
  ])]))
  add('new.target', 'USE_SERVER_NEW_TARGET', inline([r.pick([
    `async function ${f}() { 'use server'; return new.target }`,
    `const ${f} = async function () { 'use server'; return (() => new.target)() }`,
  ])]))
  add('instance method', 'USE_SERVER_INSTANCE_METHOD', inline([`class ${f} { async ${r.pick(['m', '#p', "'q r'"])}() { 'use server' } }`]))
  add('typo (function)', 'USE_SERVER_DIRECTIVE_TYPO', inline([`async function ${f}() { '${typo()}'; return 1 }`]))
  add('misplaced (function)', 'USE_SERVER_MISPLACED_DIRECTIVE', inline([r.pick([
    `async function ${f}() { const ${x} = 1; 'use server'; return ${x} }`,
    `async function ${f}() { ('use server'); return 1 }`,
    `async function ${f}() { if (input) { 'use server' } }`,
    `const ${x} = 0\n'use server'`,
  ])]))
  // Reassigned captures.
  const use = `async () => { 'use server'; return ${v} }`
  add('reassigned after', 'USE_SERVER_CAPTURED_REASSIGNED', inline([`let ${v} = 1`, `const ${f} = ${use}`, r.pick([
    `${v} = 2`, `${v}++`, `${v} += 1`, `[${v}] = [2]`, `({ k: ${v} } = { k: 2 })`, `for (${v} of [1]) {}`,
  ])]))
  add('reassigned inside', 'USE_SERVER_CAPTURED_REASSIGNED', inline([`let ${v} = 1`,
    `const ${f} = async () => { 'use server'; ${r.pick([`${v} = 2`, `${v}++`, `${v} ||= 3`, `const g = () => { ${v} = 4 }`])} }`]))
  add('reassigned in loop', 'USE_SERVER_CAPTURED_REASSIGNED', inline([`let ${v}`, `const ${f} = []`,
    `${r.pick(['for (const it of [1, 2])', 'while (input--)', 'for (let i = 0; i < 2; i++)'])} {`, `${v} = input`, `${f}.push(${use})`, '}']))
  add('reassigned in another function', 'USE_SERVER_CAPTURED_REASSIGNED', inline([`let ${v} = 1`, `const set = () => { ${v} = 2 }`, `const ${f} = ${use}`]))
  add('reassigned var in loop', 'USE_SERVER_CAPTURED_REASSIGNED', inline([`const ${f} = []`,
    `for (const it of [1, 2]) {`, `var ${v} = it`, `${f}.push(${use})`, '}']))

  // Inline actions where server code cannot be.
  add('inline in a client build', 'USE_SERVER_INLINE_IN_CLIENT', inline([`const ${f} = async () => { 'use server'; return 1 }`]), 'client')
  add('inline in a client file', 'USE_SERVER_INLINE_IN_CLIENT', `'use client'\n${inline([`const ${f} = async () => { 'use server'; return 1 }`])}`)

  // File-level 'use server' modules, in both environments.
  const file = (lines) => [r.pick(["'use server'", '"use server"', "// header\n'use server'", "'use strict'\n'use server'"]),
    ...(r.chance(0.5) ? [`export async function ok${uid++}() { return 1 }`] : []), ...lines].join('\n') + '\n'
  const env = () => r.pick(['server', 'client'])
  add('sync export', 'USE_SERVER_SYNC_FUNCTION', file([r.pick([
    `export function ${f}() { return 1 }`, `export const ${f} = () => 1`, `export const ${f} = function () {}`,
    `export default function () {}`, `function ${f}() {}\nexport { ${f} }`, `function ${f}() {}\nexport { ${f} as default }`,
  ])]), env())
  add('generator export', 'USE_SERVER_SYNC_FUNCTION', file([r.pick([`export function* ${f}() {}`, `export const ${f} = function* () {}`])]), env())
  add('value export', 'USE_SERVER_NOT_A_FUNCTION', file([r.pick([
    `export const ${x} = 1`, `export const ${x} = 'use server'`, `export const ${x} = { a: 1 }`, `export const ${x} = [1]`,
    `export let ${x}`, `export const ${x} = null`, `export const ${x} = -1`, `export const ${x} = 10n`, 'export default 42',
    `export const ${x} = new Map()`, `const ${x} = 1\nexport { ${x} }`,
  ])]), env())
  add('class export', 'USE_SERVER_CLASS_EXPORT', file([r.pick([
    `export class ${f} {}`, 'export default class {}', `class ${f} {}\nexport { ${f} }`, `export const ${f} = class {}`,
  ])]), env())
  add('export *', 'USE_SERVER_EXPORT_ALL', file([r.pick(["export * from './other.js'", "export * as ns from './other.js'"])]), env())
  add('client and server', 'USE_SERVER_CLIENT_AND_SERVER', r.chance(0.5) ? "'use client'\n'use server'\nexport async function a() {}\n"
    : "'use server'\n'use client'\nexport async function a() {}\n", env())
  add('typo (file)', 'USE_SERVER_DIRECTIVE_TYPO', `'${typo()}'\nexport async function a() {}\n`, env())
  add('misplaced (file)', 'USE_SERVER_MISPLACED_DIRECTIVE', r.pick([
    "import x from 'y'\n'use server'\nexport async function a() { return x }\n",
    "const a = 1\n'use server'\n", "('use server')\nexport async function a() {}\n",
  ]), env())
  return cases
}

/** Null when the case fails as documented, otherwise what is wrong. */
export function checkInvalid(babel, plugin, testCase, root) {
  let error
  try {
    babel.transformSync(testCase.source, {
      filename: `${root}/.cache/invalid/input.js`, babelrc: false, configFile: false, sourceType: 'module',
      plugins: [[plugin, { environment: testCase.environment, root }]],
    })
  } catch (e) {
    error = e
  }
  if (!error) return `expected ${testCase.code}, but it compiled`
  const message = String(error?.message ?? error)
  if (/^(TypeError|ReferenceError|RangeError)$/.test(error?.name ?? '') || /internal error/i.test(message)) {
    return `internal ${error?.name}: ${message.split('\n')[0]}`
  }
  if (error.code !== testCase.code) return `expected ${testCase.code}, got ${error.code ?? error.name}: ${message.split('\n')[0]}`
  if (!/>\s*\d+\s*\|/.test(message)) return `no code frame in: ${message}`
  return null
}
