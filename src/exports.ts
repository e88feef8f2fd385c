// Collect and validate the exports of a file-level 'use server' module: every value export must be an async function.
// Which forms exist and which are types only is export-forms.ts; this file judges the values with Babel's scope.
import type { NodePath, types as t } from '@babel/core'
import { ErrorCode, fail } from './errors.js'
import { exportForms } from './export-forms.js'

/** One exported server function, described without changing the AST. */
export type ServerExport =
  /** Exported from a binding of this module (`export async function f`, `export { a as b }`, `export default f`). */
  | { type: 'binding'; name: string; local: string; path: NodePath }
  /** `export default <expression or anonymous function>`: there is no binding to register yet. */
  | { type: 'default-expression'; name: 'default'; path: NodePath<t.ExportDefaultDeclaration> }
  /** `export { x as y } from './other'`. */
  | { type: 're-export'; name: string; imported: string; path: NodePath<t.ExportNamedDeclaration> }

/**
 * The server functions a 'use server' module exports, in source order, each judged (type-only exports are left to
 * TypeScript and not listed). Throws a build error with a code frame (`UseServerError`) for an export that cannot be
 * one: `USE_SERVER_SYNC_FUNCTION` (not async), `USE_SERVER_NOT_A_FUNCTION` (a value known not to be a function),
 * `USE_SERVER_CLASS_EXPORT`, `USE_SERVER_EXPORT_ALL` (`export *` / `export * as ns`).
 */
export function collectExports(program: NodePath<t.Program>): ServerExport[] {
  const found: ServerExport[] = []
  const statements = program.get('body')
  for (const form of exportForms(program.node.body)) {
    const statement = statements[form.statement]!
    const at = form.at ? statement.get(form.at) as NodePath : statement
    switch (form.kind) {
      case 'type':
        break // Left to TypeScript.
      case 'export-assignment':
        fail(at, ErrorCode.NotAFunction, `'export =' is not allowed in a 'use server' file. Export async functions by name.`)
      case 'export-all':
        fail(at, ErrorCode.ExportAll,
          `'export *' is not allowed in a 'use server' file: its exports cannot be checked here. ` +
          `Export each server function by name: export { a, b } from '${(statement.node as t.ExportAllDeclaration).source.value}'.`)
      case 'namespace-re-export':
        fail(at, ErrorCode.ExportAll,
          `'export * as ${form.name}' exports a module namespace object, not a function. ` +
          `Export the server functions by name instead.`)
      case 'class':
        failClass(at, form.name)
      case 'ts-value':
        fail(at, ErrorCode.NotAFunction, notAFunction(form.name, form.what))
      case 'function':
        judgeFunction(at as NodePath<t.Function>, form.name)
        found.push(form.local
          ? { type: 'binding', name: form.name, local: form.local, path: at }
          : { type: 'default-expression', name: 'default', path: statement as NodePath<t.ExportDefaultDeclaration> })
        break
      case 'variable': {
        const declarator = at as NodePath<t.VariableDeclarator>
        const id = declarator.get('id')
        const init = declarator.get('init')
        // Destructured exports cannot be judged here; the runtime checks each value when the module loads.
        if (id.isIdentifier()) {
          if (init.hasNode()) judgeValue(init as NodePath<t.Expression>, form.name)
          else fail(declarator, ErrorCode.NotAFunction, notAFunction(form.name, 'has no value'))
        }
        found.push({ type: 'binding', name: form.name, local: form.name, path: declarator })
        break
      }
      case 'local': {
        // No binding: a global, judged at runtime.
        const binding = statement.scope.getBinding(form.local)
        if (binding) judgeBinding(binding.path, at, form.name)
        found.push({ type: 'binding', name: form.name, local: form.local, path: at })
        break
      }
      case 're-export':
        found.push({ type: 're-export', name: form.name, imported: form.imported, path: statement as NodePath<t.ExportNamedDeclaration> })
        break
      case 'default-expression':
        judgeValue(at as NodePath<t.Expression>, 'default')
        found.push({ type: 'default-expression', name: 'default', path: statement as NodePath<t.ExportDefaultDeclaration> })
        break
    }
  }
  return found
}

/** Judges what a local binding holds: a function declaration, a variable's initial value, an import (runtime). */
function judgeBinding(bindingPath: NodePath, at: NodePath, name: string): void {
  if (bindingPath.isFunctionDeclaration()) judgeFunction(bindingPath, name)
  else if (bindingPath.isClassDeclaration()) failClass(at, name)
  else if (bindingPath.isVariableDeclarator()) {
    const init = bindingPath.get('init')
    if (bindingPath.get('id').isIdentifier() && init.hasNode()) judgeValue(init as NodePath<t.Expression>, name)
  } else if (bindingPath.isTSEnumDeclaration() || bindingPath.isTSModuleDeclaration()) {
    fail(at, ErrorCode.NotAFunction, notAFunction(name, 'is a TypeScript enum or namespace'))
  }
}

/** Judges an expression: a function must be async, a literal or object is an error, anything else is checked at runtime. */
function judgeValue(value: NodePath<t.Expression>, name: string): void {
  const inner = unwrap(value)
  if (inner.isArrowFunctionExpression() || inner.isFunctionExpression()) judgeFunction(inner, name)
  else if (inner.isClassExpression()) failClass(inner, name)
  else if (inner.isLiteral() || inner.isObjectExpression() || inner.isArrayExpression() || inner.isJSXElement() ||
    inner.isJSXFragment() || inner.isNewExpression() || inner.isUnaryExpression() || inner.isBinaryExpression() ||
    inner.isUpdateExpression()) {
    fail(inner, ErrorCode.NotAFunction, notAFunction(name, `is ${describe(inner.node)}`))
  }
}

function judgeFunction(fn: NodePath<t.Function>, name: string): void {
  if (fn.node.async) return
  const what = fn.node.generator ? 'a synchronous generator function' : 'a synchronous function'
  fail(fn, ErrorCode.SyncFunction,
    `Only async functions are allowed to be exported in a 'use server' file: "${name}" is ${what}. ` +
    `Mark it async (\`async function${fn.node.generator ? '*' : ''} ${name === 'default' ? '' : name}(…)\`), ` +
    `or move it to a file without 'use server'.`)
}

function failClass(at: NodePath, name: string): never {
  fail(at, ErrorCode.ClassExport,
    `Classes cannot be exported from a 'use server' file ("${name}"): only async functions can be server functions. ` +
    `Move the class to another file, or export async functions that use it.`)
}

function notAFunction(name: string, what: string): string {
  return `Only async functions are allowed to be exported in a 'use server' file: "${name}" ${what}. ` +
    `Move it to a file without 'use server' (for example a shared constants module), or make it an async function.`
}

function describe(node: t.Node): string {
  if (node.type === 'StringLiteral' || node.type === 'TemplateLiteral') return 'a string'
  if (node.type === 'NumericLiteral' || node.type === 'BigIntLiteral') return 'a number'
  if (node.type === 'BooleanLiteral') return 'a boolean'
  if (node.type === 'NullLiteral') return 'null'
  if (node.type === 'ObjectExpression') return 'an object'
  if (node.type === 'ArrayExpression') return 'an array'
  if (node.type === 'RegExpLiteral') return 'a regular expression'
  if (node.type === 'JSXElement' || node.type === 'JSXFragment') return 'a JSX element'
  if (node.type === 'NewExpression') return 'an object created with new'
  return 'not a function'
}

/** Strips TypeScript wrappers and parentheses: `(x as Fn)`, `x satisfies Fn`, `x!`, `<Fn>x`. */
function unwrap(value: NodePath<t.Expression>): NodePath<t.Expression> {
  let current: NodePath = value
  while (current.isTSAsExpression() || current.isTSSatisfiesExpression() || current.isTSNonNullExpression() ||
    current.isTSTypeAssertion() || current.isParenthesizedExpression()) {
    current = current.get('expression') as NodePath
  }
  return current as NodePath<t.Expression>
}
