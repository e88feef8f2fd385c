import { describe, expect, it } from 'vitest'
import { babel, babelMajor, presetReact, presetTypescript } from './support/babel'

// A trivial plugin (not ours): renames identifiers `foo` to `bar`.
const renameFoo = ({ types: t }: any) => ({
  name: 'rename-foo',
  visitor: { Identifier(path: any) { if (path.node.name === 'foo') path.replaceWith(t.identifier('bar')) } },
})

describe(`smoke (Babel ${babel.version}, Node ${process.version})`, () => {
  it('runs the selected Babel major with an inline plugin', () => {
    const out = babel.transformSync(`export const foo = 1;\nexport function f() { return foo + 1 }\n`, {
      filename: '/virtual/smoke.js', babelrc: false, configFile: false, sourceType: 'module', plugins: [renameFoo],
    })
    expect(Number(babel.version.split('.')[0])).toBe(babelMajor)
    expect(out?.code).toBe('export const bar = 1;\nexport function f() {\n  return bar + 1;\n}')
  })

  it('strips TypeScript with the preset of the same major (async API)', async () => {
    const out = await babel.transformAsync(`export const foo: number = 1\nexport type T = { a: string }\n`, {
      filename: '/virtual/smoke.ts', babelrc: false, configFile: false, presets: [presetTypescript()], plugins: [renameFoo],
    })
    expect(out?.code).toBe('export const bar = 1;')
  })

  it('compiles TSX with both presets (automatic JSX runtime)', () => {
    const out = babel.transformSync(`export const App = (p: { foo: string }) => <b>{p.foo}</b>\n`, {
      filename: '/virtual/App.tsx', babelrc: false, configFile: false, presets: [presetTypescript(), presetReact()],
    })
    expect(out?.code).toContain('from "react/jsx-runtime"')
    expect(out?.code).toContain('_jsx("b", {')
    expect(out?.code).not.toContain(': string')
  })
})
