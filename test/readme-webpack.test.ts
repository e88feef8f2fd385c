// The README's webpack snippet is the example app's configuration: the block between `// README:webpack:start` and
// `// README:webpack:end` in examples/app/webpack.config.mjs (which the browser tests build and drive) must be the
// code block after the README's `<!-- excerpt: examples/app/webpack.config.mjs README:webpack -->` line.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')

/** The text between two marker lines of a file (without the markers). */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start)
  const to = text.indexOf(end, from)
  expect(from, `${start} not found`).toBeGreaterThanOrEqual(0)
  expect(to, `${end} not found`).toBeGreaterThan(from)
  return text.slice(from + start.length, to)
}

describe('README webpack snippet', () => {
  it('is the example app\'s webpack configuration, character for character', () => {
    const example = fs.readFileSync(path.join(root, 'examples/app/webpack.config.mjs'), 'utf8')
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
    const fromExample = between(example, '// README:webpack:start\n', '// README:webpack:end\n')
    const afterMarker = readme.slice(readme.indexOf('<!-- excerpt: examples/app/webpack.config.mjs README:webpack -->'))
    const fromReadme = between(afterMarker, '```js\n', '```\n')
    expect(fromReadme).toBe(fromExample)
    expect(fromExample).toContain('new UseServerPlugin(')
  })
})
