// Which Babel the tests run against: USE_SERVER_BABEL=8 selects Babel 8 (the `babel8-core` alias, Node >= 22.18),
// anything else Babel 7 (`@babel/core`). Tests use `babel.transformSync` / `babel.transformAsync` with
// `{ filename, babelrc: false, configFile: false, plugins }` and never import @babel/core themselves.
import type * as Babel from '@babel/core'

export const babelMajor: 7 | 8 = process.env.USE_SERVER_BABEL === '8' ? 8 : 7

// Babel 8 is ESM (a namespace, no default export); Babel 7 is CommonJS (its exports are the default export).
// Its API is the same for what the tests use, so the v7 types describe both.
const loaded: any = babelMajor === 8 ? await import('babel8-core') : await import('@babel/core')
export const babel: typeof Babel = loaded.default ?? loaded

if (Number(babel.version.split('.')[0]) !== babelMajor) {
  throw new Error(`test/support/babel.ts: wanted Babel ${babelMajor}, loaded ${babel.version}`)
}

// Presets of the same major as `babel` (Babel 8 rejects v7 presets and vice versa).
const v8Presets: any = babelMajor === 8 ? await import('babel8-presets') : null
const v7Ts: any = babelMajor === 7 ? (await import('@babel/preset-typescript')).default : null
const v7React: any = babelMajor === 7 ? (await import('@babel/preset-react')).default : null

/**
 * `[preset-typescript, options]` for the current major. TypeScript is detected from the filename (.ts / .tsx /
 * .mts / .cts), so give test inputs such a filename. Don't pass `isTSX` / `allExtensions` (removed in Babel 8);
 * use `ignoreExtensions: true` to treat every file as TS, with JSX detection left to the syntax plugins.
 */
export function presetTypescript(options: Record<string, unknown> = {}): [unknown, Record<string, unknown>] {
  if ('isTSX' in options || 'allExtensions' in options) {
    throw new Error('presetTypescript: isTSX/allExtensions do not exist in Babel 8; use a .tsx filename or ignoreExtensions')
  }
  return [v8Presets ? v8Presets.presetTypescript : v7Ts, options]
}

/** `[preset-react, options]` for the current major, with the automatic runtime by default (Babel 8's default). */
export function presetReact(options: Record<string, unknown> = {}): [unknown, Record<string, unknown>] {
  return [v8Presets ? v8Presets.presetReact : v7React, { runtime: 'automatic', ...options }]
}

export const presets = { presetTypescript, presetReact }
