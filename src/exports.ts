// Collect and validate the exports of a file-level 'use server' module: every value export must be an async function.
import type { NodePath, types as t } from '@babel/core'
import { ErrorCode, fail } from './errors.js'

/** One exported server function, described without changing the AST. */
export type ServerExport =
  /** Exported from a binding of this module (`export async function f`, `export { a as b }`, `export default f`). */
  | { type: 'binding'; name: string; local: string; path: NodePath }
  /** `export default <expression or anonymous function>`: there is no binding to register yet. */
  | { type: 'default-expression'; name: 'default'; path: NodePath<t.ExportDefaultDeclaration> }
  /** `export { x as y } from './other'`. */
  | { type: 're-export'; name: string; imported: string; path: NodePath<t.ExportNamedDeclaration> }

export function collectExports(program: NodePath<t.Program>): ServerExport[] {
  const found: ServerExport[] = []
  for (const statement of program.get('body')) {
    if (statement.isExportAllDeclaration()) {
      if (statement.node.exportKind === 'type') continue
      fail(statement, ErrorCode.ExportAll,
        `'export *' is not allowed in a 'use server' file: its exports cannot be checked here. ` +
        `Export each server function by name: export { a, b } from '${statement.node.source.value}'.`)
    } else if (statement.isExportNamedDeclaration()) {
      collectNamed(statement, found)
    } else if (statement.isExportDefaultDeclaration()) {
      collectDefault(statement, found)
    } else if (statement.isTSExportAssignment()) {
      fail(statement, ErrorCode.NotAFunction, `'export =' is not allowed in a 'use server' file. Export async functions by name.`)
    }
  }
  return found
}

function collectNamed(statement: NodePath<t.ExportNamedDeclaration>, found: ServerExport[]): void {
  const { node } = statement
  if (node.exportKind === 'type') return
  const declaration = statement.get('declaration')
  if (declaration.hasNode()) {
    collectDeclaration(declaration as NodePath<t.Declaration>, found)
    return
  }
  for (const specifier of statement.get('specifiers')) {
    if (specifier.isExportNamespaceSpecifier()) {
      fail(specifier, ErrorCode.ExportAll,
        `'export * as ${exportedName(specifier.node.exported)}' exports a module namespace object, not a function. ` +
        `Export the server functions by name instead.`)
    }
    if (specifier.isExportDefaultSpecifier()) {
      found.push({ type: 're-export', name: specifier.node.exported.name, imported: 'default', path: statement })
      continue
    }
    if (!specifier.isExportSpecifier() || specifier.node.exportKind === 'type') continue
    const name = exportedName(specifier.node.exported)
    const local = exportedName(specifier.node.local)
    if (node.source) {
      found.push({ type: 're-export', name, imported: local, path: statement })
      continue
    }
    const binding = statement.scope.getBinding(local)
    if (!binding) {
      // A name with no value binding is a TypeScript type (erased later) or a global: judged at runtime.
      if (isTypeOnlyName(statement, local)) continue
    } else {
      judgeBinding(binding.path, specifier, name)
    }
    found.push({ type: 'binding', name, local, path: specifier })
  }
}

function collectDeclaration(declaration: NodePath<t.Declaration>, found: ServerExport[]): void {
  if (declaration.isFunctionDeclaration()) {
    judgeFunction(declaration, declaration.node.id!.name)
    found.push({ type: 'binding', name: declaration.node.id!.name, local: declaration.node.id!.name, path: declaration })
  } else if (declaration.isVariableDeclaration()) {
    for (const declarator of declaration.get('declarations')) {
      const id = declarator.get('id')
      const init = declarator.get('init')
      if (id.isIdentifier()) {
        if (init.hasNode()) judgeValue(init as NodePath<t.Expression>, id.node.name)
        else fail(declarator, ErrorCode.NotAFunction, notAFunction(id.node.name, 'has no value'))
      }
      // Destructured exports cannot be judged here; the runtime checks each value when the module loads.
      for (const name of Object.keys(declarator.getBindingIdentifiers())) {
        found.push({ type: 'binding', name, local: name, path: declarator })
      }
    }
  } else if (declaration.isClassDeclaration()) {
    failClass(declaration, declaration.node.id?.name ?? 'default')
  } else if (declaration.isTSEnumDeclaration() || declaration.isTSModuleDeclaration()) {
    if (declaration.node.declare) return
    fail(declaration, ErrorCode.NotAFunction, notAFunction(nameOf(declaration.node.id), 'is a TypeScript enum or namespace'))
  } else if (declaration.isTSImportEqualsDeclaration()) {
    fail(declaration, ErrorCode.NotAFunction, notAFunction(declaration.node.id.name, 'is an import alias'))
  }
  // Types, interfaces and `declare` forms (including overload signatures) have no runtime value: nothing to do.
}

function collectDefault(statement: NodePath<t.ExportDefaultDeclaration>, found: ServerExport[]): void {
  const declaration = statement.get('declaration')
  if (declaration.isTSInterfaceDeclaration() || declaration.isTSDeclareFunction()) return
  if (declaration.isClassDeclaration() || declaration.isClassExpression()) failClass(declaration, 'default')
  if (declaration.isFunctionDeclaration()) {
    judgeFunction(declaration, 'default')
    const id = declaration.node.id
    found.push(id ? { type: 'binding', name: 'default', local: id.name, path: declaration } : { type: 'default-expression', name: 'default', path: statement })
    return
  }
  if (declaration.isIdentifier()) {
    const binding = statement.scope.getBinding(declaration.node.name)
    if (binding) judgeBinding(binding.path, declaration, 'default')
    found.push({ type: 'binding', name: 'default', local: declaration.node.name, path: declaration })
    return
  }
  judgeValue(declaration as NodePath<t.Expression>, 'default')
  found.push({ type: 'default-expression', name: 'default', path: statement })
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

function isTypeOnlyName(statement: NodePath, name: string): boolean {
  const program = statement.scope.getProgramParent().path as NodePath<t.Program>
  return program.node.body.some((node) => {
    const declaration = node.type === 'ExportNamedDeclaration' ? node.declaration : node
    return (declaration?.type === 'TSInterfaceDeclaration' || declaration?.type === 'TSTypeAliasDeclaration') &&
      declaration.id.name === name
  })
}

export function exportedName(node: t.Identifier | t.StringLiteral): string {
  return node.type === 'Identifier' ? node.name : node.value
}

function nameOf(node: t.Identifier | t.StringLiteral | t.TSQualifiedName | t.TSEntityName): string {
  if (node.type === 'Identifier') return node.name
  if (node.type === 'StringLiteral') return node.value
  return 'namespace'
}
