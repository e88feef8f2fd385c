// What a 'use server' module exports, read from its source for import-site stubs (forms: export-forms.ts). Each file is read and parsed
// once per version (its mtime and size), not once per importer.
import fs from 'node:fs'
import type { types as t } from '@babel/core'
import { exportForms } from './export-forms.js'

export interface ServerModule {
  /** Value exports: each becomes a stub (the module's own build rejects those that are not functions). */
  values: string[]
  /** Type-only exports: importers' references to them vanish with the types. */
  types: string[]
  /** `export *`: the names cannot be known here. */
  exportAll: boolean
}

export type Parse = (code: string, filename: string) => t.File | null

const cache = new Map<string, { stamp: string; module: ServerModule | null }>()

/** The exports of `file` if its prologue has 'use server', else null. */
export function readServerModule(file: string, parse: Parse): ServerModule | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false })
  if (!stat) return null
  const stamp = `${stat.mtimeMs}:${stat.size}`
  const cached = cache.get(file)
  if (cached?.stamp === stamp) return cached.module
  const module = readModule(file, parse)
  cache.set(file, { stamp, module })
  return module
}

function readModule(file: string, parse: Parse): ServerModule | null {
  const code = fs.readFileSync(file, 'utf8')
  if (!code.includes('use server')) return null
  const ast = parse(code, file)
  if (!ast || !ast.program.directives.some((d) => d.value.value === 'use server')) return null
  const module: ServerModule = { values: [], types: [], exportAll: false }
  for (const form of exportForms(ast.program.body)) {
    if (form.kind === 'export-all') module.exportAll = true
    else if (form.kind === 'type') module.types.push(form.name)
    else if (form.kind !== 'export-assignment') module.values.push(form.name)
  }
  return module
}
