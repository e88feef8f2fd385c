// The README's integration snippets are the files of the examples CI builds and runs: each block between
// `<!-- example: PATH -->` and `<!-- /example -->` must be that file's text exactly.
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const BLOCK = /<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```\n<!-- \/example -->/g

it('every marked README block is its example file, and the webpack, Vite and Rollup configs are among them', () => {
  const blocks = [...readme.matchAll(BLOCK)].map((match) => ({ file: match[1], text: match[2] }))
  expect(blocks.map((block) => block.file)).toEqual(expect.arrayContaining([
    'examples/webpack/webpack.config.mjs', 'examples/webpack/app/server.ts', 'examples/vite/vite.config.js', 'examples/rollup/rollup.config.js',
  ]))
  // Every marker opened is a well-formed block (a broken fence would silently drop one from the check).
  expect(blocks).toHaveLength(readme.split('<!-- example: ').length - 1)
  for (const { file, text } of blocks) {
    expect(text, `README block for ${file} differs from the file`).toBe(fs.readFileSync(path.join(root, file), 'utf8'))
  }
})
