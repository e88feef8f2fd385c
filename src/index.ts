// babel-plugin-use-server: React's 'use server' for any Babel build. Source text → cheap scan → directives →
// (server | client) transform → metadata. Each step lives in its own file; this one dispatches.
import type { NodePath, PluginObj, PluginPass, types as t } from '@babel/core'
import { declare } from '@babel/helper-plugin-utils'
import { replaceWithStubs } from './client-output.js'
import { createContext, type TransformContext } from './context.js'
import { checkMisplacedDirective, functionDirective, readFileDirectives } from './directives.js'
import { collectExports } from './exports.js'
import { alignLateRenames, copyDeclarations, type Hoisting } from './hoist.js'
import { adoptScopes, prepareScopes } from './hoisted-scope.js'
import { relativeFile } from './ids.js'
import { rewriteServerImports } from './import-stubs.js'
import { transformInlineAction } from './inline.js'
import { syntaxPlugins } from './syntax.js'
import { literalsAt } from './locate.js'
import { markerText, type UseServerMetadata } from './metadata.js'
import { normalizeOptions, type PluginOptions } from './options.js'
import { scanSource } from './scan.js'
import { resolveSecret } from './secret.js'
import { firstCode, spliceStatements } from './statements.js'
import { registerExports } from './server-output.js'

export type { PluginOptions } from './options.js'
export type { ActionInfo, ActionKind, UseServerMetadata } from './metadata.js'
export { ErrorCode, UseServerError } from './errors.js'
export { actionId } from './ids.js'

export default declare((api, rawOptions: PluginOptions): PluginObj<PluginPass> => {
  api.assertVersion('^7.22.0 || ^8.0.0-0')
  const options = normalizeOptions(rawOptions)
  const t = api.types
  const production = options.production ?? api.env() === 'production'
  // Per root (Babel's root when the option is unset), read or made once per plugin instance.
  const secrets = new Map<string, string | null>()
  const secretFor = (root: string) => {
    if (!secrets.has(root)) secrets.set(root, resolveSecret(options.secret, production, root)?.value ?? null)
    return secrets.get(root)!
  }
  // Reads another module's exports (import-site stubs) with the same Babel, configured for nothing but parsing.
  const parse = (code: string, filename: string) => {
    try {
      return api.parseSync(code, { filename, babelrc: false, configFile: false, sourceType: 'module',
        parserOpts: { plugins: syntaxPlugins(filename) } })
    } catch {
      return null // Its own build reports the syntax error.
    }
  }

  return {
    name: 'use-server',
    visitor: {
      Program(program, state) {
        const scan = scanSource(state.file.code)
        const stubImports = options.importStubs && options.environment === 'client'
        if (!scan && !stubImports) return // No directive-like string: nothing else runs for this file.
        const directives = scan ? readFileDirectives(program) : { server: null, client: null }
        const root = options.root ?? state.file.opts.root ?? state.file.opts.cwd ?? process.cwd()
        const file = relativeFile(root, state.filename)
        const ctx = createContext(t, options, secretFor(root), program, file, Boolean(directives.client))

        if (stubImports && !directives.server && state.filename) {
          const dependencies = rewriteServerImports(ctx, root, state.filename, parse)
          ;(state.file.metadata as { useServerDependencies?: string[] }).useServerDependencies = dependencies
        }
        if (!scan) return
        if (directives.server && options.environment === 'client') {
          replaceWithStubs(ctx, collectExports(program))
        } else {
          // A file whose only 'use server' is its own directive holds no inline action and no misplaced string.
          const onlyFileDirective = directives.server && scan.serverCount === 1 && !scan.suspicious
          const hoisting = onlyFileDirective ? null : findInlineActions(ctx, Boolean(directives.server), scan.offsets)
          if (directives.server) registerExports(ctx, collectExports(program))
          if (hoisting) finishHoisting(ctx, hoisting)
        }
        if (!directives.server && ctx.actions.length === 0) return
        if (options.environment === 'server') addMarker(ctx, file)
        ;(state.file.metadata as { useServer?: UseServerMetadata }).useServer = { file, actions: ctx.actions }
      },
    },
  }
})

/**
 * Hoists inline actions (innermost first) and rejects misplaced or misspelt directive strings. The scan's offsets
 * lead to the strings; an AST without positions (made by an earlier pass) is walked whole instead.
 */
function findInlineActions(ctx: TransformContext, serverFile: boolean, offsets: number[]): Hoisting {
  const hoisting: Hoisting = {
    declarations: [], named: [], moves: [], namedBindings: new Set(), registrations: [], copies: [], hoisted: new Map(),
    names: {}, nextSuffix: new Map(),
  }
  // Inner actions are hoisted before the ones around them: traversal exit order, or (the same) order of ends.
  let functions: NodePath<t.Function>[] = []
  const literals = literalsAt(ctx.t, ctx.program, offsets)
  if (literals) {
    for (const literal of literals) {
      const holder = literal.parentPath!
      if (holder.isExpressionStatement()) checkMisplacedDirective(holder)
      const fn = holder.isDirective() ? holder.parentPath!.parentPath! : null
      if (fn?.isFunction() && !functions.includes(fn)) functions.push(fn)
    }
    functions = functions.sort((a, b) => a.node.end! - b.node.end!)
  } else {
    ctx.program.traverse({
      ExpressionStatement: checkMisplacedDirective,
      Function: { exit: (fn) => void functions.push(fn) },
    })
  }
  for (const fn of functions) {
    const body = fn.get('body')
    if (!body.isBlockStatement()) continue
    const directive = functionDirective(body)
    if (!directive) continue
    if (serverFile && isFileLevelExport(fn)) {
      directive.remove() // Already a server function through the file's own directive.
      continue
    }
    transformInlineAction(ctx, fn, directive, hoisting)
  }
  return hoisting
}

function isFileLevelExport(fn: NodePath<t.Function>): boolean {
  const parent = fn.parentPath
  if (parent.isExportNamedDeclaration() || parent.isExportDefaultDeclaration()) return true
  return parent.isVariableDeclarator() && Boolean(parent.parentPath.parentPath?.isExportNamedDeclaration())
}

function finishHoisting(ctx: TransformContext, hoisting: Hoisting): void {
  if (hoisting.declarations.length === 0) return
  copyDeclarations(ctx.t, hoisting)
  spliceStatements(ctx.program, 'body', firstCode(ctx.program.node.body), hoisting.registrations)
  const paths = spliceStatements(ctx.program, 'body', ctx.program.node.body.length, hoisting.declarations,
    (statements) => prepareScopes(statements, hoisting.moves))
  adoptScopes(paths, hoisting.moves)
  alignLateRenames(paths, hoisting)
}

/** The compact marker that lets a manifest be rebuilt from emitted files (e.g. served from a build cache). */
function addMarker(ctx: TransformContext, file: string): void {
  const first = ctx.program.node.body[0]
  const text = markerText({ file, actions: ctx.actions })
  if (first) ctx.t.addComment(first, 'leading', text)
  else ctx.program.node.body.push(ctx.t.addComment(ctx.t.emptyStatement(), 'leading', text))
}
