// The text check behind UseServerPlugin's `include`: a file is a 'use server' module when its directive prologue
// holds 'use server' (after a BOM, a hashbang, comments and other directives), and only then.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findServerModules, hasServerDirective } from '../../../src/integrations/webpack/include.ts'
import { makeProject } from '../support'

describe('finding the \'use server\' modules of a directory', () => {
  it.each([
    [`'use server'\nexport async function a() {}`, true],
    [`"use server";`, true],
    [`\uFEFF#!/usr/bin/env node\n// comment\n/* block\n */ 'use strict'; "use server"\n`, true],
    [`'use client'\n'use server'`, true], // the Babel plugin reports the clash; the build must hold the file to do so
    [`export async function a() {\n  'use server'\n}`, false], // inline only: the server graph reaches it anyway
    [`import x from 'y'\n'use server'`, false],
    [`const s = 'use server'`, false],
    [`'use servers'`, false],
    [`// 'use server'\nexport {}`, false],
  ])('%j → %s', (code, expected) => {
    expect(hasServerDirective(code)).toBe(expected)
  })

  it('walks the directory, not node_modules or dot-directories, and only code files', () => {
    const project = makeProject('server-modules', {
      'src/a.js': `'use server'\n`,
      'src/deep/b.tsx': `'use server'\n`,
      'src/c.js': `export {}\n`,
      'src/d.md': `'use server'\n`,
      'src/node_modules/e.js': `'use server'\n`,
      'src/.hidden/f.js': `'use server'\n`,
    })
    expect(findServerModules(path.join(project, 'src')).map((f) => path.relative(project, f))).toEqual(['src/a.js', 'src/deep/b.tsx'])
    expect(findServerModules(path.join(project, 'missing'))).toEqual([])
  })
})
