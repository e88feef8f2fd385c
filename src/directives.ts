// 'use server' / 'use client' in directive prologues; likely typos and 'use server' strings that are not directives.
import type { NodePath, types as t } from '@babel/core'
import { ErrorCode, fail } from './errors.js'
import { looksLikeUseServer } from './scan.js'

export interface FileDirectives {
  server: NodePath<t.Directive> | null
  client: NodePath<t.Directive> | null
}

export function readFileDirectives(program: NodePath<t.Program>): FileDirectives {
  const found: FileDirectives = { server: null, client: null }
  for (const directive of program.get('directives')) {
    const value = directive.node.value.value
    if (value === 'use server') found.server ??= directive
    else if (value === 'use client') found.client ??= directive
    else checkTypo(directive, value)
  }
  if (found.server && found.client) {
    const later = found.server.node.start! > found.client.node.start! ? found.server : found.client
    fail(later, ErrorCode.ClientAndServer,
      `A file cannot have both 'use client' and 'use server'. Keep 'use server' for a file of server functions ` +
      `that clients import, or 'use client' for a client component; move the other part to its own file.`)
  }
  return found
}

/** The 'use server' directive at the top of a function body, if any (typos there are errors). */
export function functionDirective(body: NodePath<t.BlockStatement>): NodePath<t.Directive> | null {
  let found: NodePath<t.Directive> | null = null
  for (const directive of body.get('directives')) {
    const value = directive.node.value.value
    if (value === 'use server') found ??= directive
    else checkTypo(directive, value)
  }
  return found
}

function checkTypo(directive: NodePath<t.Directive>, value: string): void {
  if (looksLikeUseServer(value)) {
    fail(directive, ErrorCode.DirectiveTypo, `Unknown directive '${value}'. Did you mean 'use server'?`)
  }
}

/** A 'use server' string (or a likely typo of it) as a plain statement: it looks like a directive but is not one. */
export function checkMisplacedDirective(statement: NodePath<t.ExpressionStatement>): void {
  const expression = statement.node.expression
  if (expression.type !== 'StringLiteral') return
  const value = expression.value
  if (value !== 'use server' && !looksLikeUseServer(value)) return
  const parenthesized = Boolean((expression.extra as { parenthesized?: boolean } | undefined)?.parenthesized)
  fail(statement, ErrorCode.MisplacedDirective, parenthesized
    ? `'${value}' is wrapped in parentheses, so it is an ordinary string, not a directive. Remove the parentheses.`
    : `'${value}' is not a directive here: it must be the first statement of the file or of a function body ` +
      `(only comments and other directives may come before it). Move it to the top, or remove it.`)
}
