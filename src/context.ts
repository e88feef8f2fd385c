// What every step of one file's transform shares: Babel's API, the options, the file's path and the actions found.
import type { NodePath, types as t } from '@babel/core'
import { addNamed } from '@babel/helper-module-imports'
import type { ActionInfo, ActionKind } from './metadata.js'
import type { NormalizedOptions } from './options.js'
import { actionId } from './ids.js'

export type BabelTypes = typeof t

export interface TransformContext {
  t: BabelTypes
  options: NormalizedOptions
  program: NodePath<t.Program>
  /** The source file relative to the root (`/` separators). */
  file: string
  /** Is the whole file 'use client'? */
  clientFile: boolean
  actions: ActionInfo[]
  /** The ID of export `name` of `file` (relative to the root) under this build's salt and secret. */
  idOf(file: string, name: string): string
  /** Records an action and returns its ID. */
  addAction(name: string, kind: ActionKind): string
  /** An identifier for a named export of the server runtime, imported once per file. */
  serverHelper(name: string): t.Identifier
  /** The same for the client runtime. */
  clientHelper(name: string): t.Identifier
}

export function createContext(t: BabelTypes, options: NormalizedOptions, secret: string | null,
  program: NodePath<t.Program>, file: string, clientFile: boolean): TransformContext {
  const imported = new Map<string, t.Identifier>()
  const actions: ActionInfo[] = []
  const helper = (source: string, name: string) => {
    const key = `${source}\0${name}`
    let id = imported.get(key)
    if (!id) {
      id = addNamed(program, name, source, { nameHint: name })
      imported.set(key, id)
    }
    return t.cloneNode(id)
  }
  const idOf = (of: string, name: string) => actionId(options.salt, of, name, secret)
  return {
    t, options, program, file, clientFile, actions, idOf,
    addAction(name, kind) {
      const id = idOf(file, name)
      actions.push({ id, name, kind })
      return id
    },
    serverHelper: (name) => helper(options.serverRuntime, name),
    clientHelper: (name) => helper(options.clientRuntime, name),
  }
}

/** A name for `export { local as name }`: an identifier where possible, else a string ("string name"). */
export function exportName(t: BabelTypes, name: string): t.Identifier | t.StringLiteral {
  return t.isValidIdentifier(name, false) || name === 'default' ? t.identifier(name) : t.stringLiteral(name)
}

