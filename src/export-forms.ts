// Every export form of a module, classified from its plain AST (no Babel scope, so a module parsed on its own can be
// read too). Its two readers: the validator of a 'use server' file (exports.ts, which then judges values with Babel's
// scope) and the import-site stubs' reader of other server modules (server-modules.ts). One list of forms, so an
// export form cannot be handled by one of them and missed by the other.
//
// What is a type only follows TypeScript as Babel's TypeScript plugin erases it: interfaces, type aliases, `declare`
// forms (variables, functions, classes, enums, namespaces), overload signatures, namespaces that hold types only,
// `import type` / `import { type X }`, `export type`, and `export { X }` / `export default X` of any of these.
import type { types as t } from '@babel/core'

/** Where a form is: `program.body[statement]`, then `NodePath#get(at)` from there ('' is the statement itself). */
interface Place { statement: number; at: string }

export type ExportForm = Place & (
  /** `export [default] function f` (`local` null: an anonymous default function). */
  | { kind: 'function'; name: string; local: string | null }
  /** One name bound by `export const/let/var`; `at` is its declarator. */
  | { kind: 'variable'; name: string }
  /** `export [default] class`. */
  | { kind: 'class'; name: string }
  /** A TypeScript declaration that leaves a value which is not a function: enum, namespace, import alias. */
  | { kind: 'ts-value'; name: string; what: string }
  /** `export { local as name }`, `export default local`: a value binding of the module, or a global. */
  | { kind: 'local'; name: string; local: string }
  /** `export { imported as name } from '…'`. */
  | { kind: 're-export'; name: string; imported: string }
  /** `export * as name from '…'`. */
  | { kind: 'namespace-re-export'; name: string }
  /** `export default <expression>`. */
  | { kind: 'default-expression'; name: 'default' }
  /** A type only: erased by TypeScript, nothing at runtime. */
  | { kind: 'type'; name: string }
  /** `export * from '…'`: the names are not known here. */
  | { kind: 'export-all' }
  /** TypeScript's `export = value`. */
  | { kind: 'export-assignment' }
)

/** Classifies every export of a module body, in source order (one form per exported name). */
export function exportForms(body: t.Statement[]): ExportForm[] {
  const kinds = topLevelKinds(body)
  const isType = (name: string) => kinds.get(name) === 'type'
  const forms: ExportForm[] = []
  body.forEach((node, statement) => {
    const add = (at: string, form: DistributiveOmit<ExportForm, 'statement' | 'at'>) => forms.push({ statement, at, ...form } as ExportForm)
    if (node.type === 'ExportAllDeclaration') {
      if (node.exportKind !== 'type') add('', { kind: 'export-all' })
    } else if (node.type === 'TSExportAssignment') {
      add('', { kind: 'export-assignment' })
    } else if (node.type === 'TSImportEqualsDeclaration' && node.isExport) {
      add('', importAlias(node, isType)) // Babel 7; Babel 8 wraps it in an ExportNamedDeclaration.
    } else if (node.type === 'ExportDefaultDeclaration') {
      add('declaration', defaultForm(node.declaration as t.Node, isType))
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration) {
        for (const [at, form] of declarationForms(node.declaration, isType, node.exportKind === 'type')) add(at, form)
      }
      node.specifiers.forEach((specifier, index) => {
        const at = `specifiers.${index}`
        const name = nameOf(specifier.exported)
        if (node.exportKind === 'type' || (specifier.type === 'ExportSpecifier' && specifier.exportKind === 'type')) {
          add(at, { kind: 'type', name })
        } else if (specifier.type === 'ExportNamespaceSpecifier') {
          add(at, { kind: 'namespace-re-export', name })
        } else if (specifier.type === 'ExportDefaultSpecifier') {
          add(at, { kind: 're-export', name, imported: 'default' })
        } else if (node.source) {
          add(at, { kind: 're-export', name, imported: nameOf(specifier.local) })
        } else {
          const local = nameOf(specifier.local)
          add(at, isType(local) ? { kind: 'type', name } : { kind: 'local', name, local })
        }
      })
    }
  })
  return forms
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
type Form = DistributiveOmit<ExportForm, 'statement' | 'at'>

function defaultForm(declaration: t.Node, isType: (name: string) => boolean): Form {
  switch (declaration.type) {
    case 'FunctionDeclaration': return { kind: 'function', name: 'default', local: declaration.id?.name ?? null }
    case 'ClassDeclaration':
    case 'ClassExpression': return { kind: 'class', name: 'default' }
    case 'TSInterfaceDeclaration':
    case 'TSDeclareFunction': return { kind: 'type', name: 'default' }
    case 'Identifier':
      return isType(declaration.name) ? { kind: 'type', name: 'default' } : { kind: 'local', name: 'default', local: declaration.name }
    default: return { kind: 'default-expression', name: 'default' }
  }
}

/** The forms of `export <declaration>`, each with its place relative to the export statement. */
function declarationForms(declaration: t.Declaration, isType: (name: string) => boolean, typeOnly: boolean): [string, Form][] {
  const at = 'declaration'
  const declared = 'declare' in declaration && Boolean(declaration.declare)
  if (typeOnly || declared || valueKind(declaration) === 'type') {
    return declaredNames(declaration).map((name) => [at, { kind: 'type', name }])
  }
  switch (declaration.type) {
    case 'FunctionDeclaration': return [[at, { kind: 'function', name: declaration.id!.name, local: declaration.id!.name }]]
    case 'ClassDeclaration': return [[at, { kind: 'class', name: declaration.id!.name }]]
    case 'VariableDeclaration':
      return declaration.declarations.flatMap((declarator, index) =>
        patternNames(declarator.id).map((name): [string, Form] => [`${at}.declarations.${index}`, { kind: 'variable', name }]))
    case 'TSEnumDeclaration': return [[at, { kind: 'ts-value', name: declaration.id.name, what: 'is a TypeScript enum' }]]
    case 'TSModuleDeclaration': return [[at, { kind: 'ts-value', name: declaredNames(declaration)[0]!, what: 'is a TypeScript namespace' }]]
    case 'TSImportEqualsDeclaration': return [[at, importAlias(declaration, isType)]]
    default: return []
  }
}

function importAlias(node: t.TSImportEqualsDeclaration, isType: (name: string) => boolean): Form {
  const name = node.id.name
  return namesType(node, isType) ? { kind: 'type', name } : { kind: 'ts-value', name, what: 'is an import alias' }
}

/** `import type A = …`, or `import A = N.B` where N is a type only: A names a type. */
function namesType(alias: t.TSImportEqualsDeclaration, isType: (name: string) => boolean): boolean {
  const reference = alias.moduleReference
  return alias.importKind === 'type' || (reference.type !== 'TSExternalModuleReference' && isType(firstIdentifier(reference)))
}

/**
 * Whether each name declared at the top of the module is a value or a type only. A name declared both ways
 * (`interface X` and `const X`) is a value.
 */
function topLevelKinds(body: t.Statement[]): Map<string, 'value' | 'type'> {
  const kinds = new Map<string, 'value' | 'type'>()
  const set = (name: string, kind: 'value' | 'type') => { if (kinds.get(name) !== 'value') kinds.set(name, kind) }
  const aliases: t.TSImportEqualsDeclaration[] = []
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      const typeImport = statement.importKind === 'type' || statement.importKind === 'typeof'
      for (const specifier of statement.specifiers) {
        const typeSpecifier = specifier.type === 'ImportSpecifier' && (specifier.importKind === 'type' || specifier.importKind === 'typeof')
        set(specifier.local.name, typeImport || typeSpecifier ? 'type' : 'value')
      }
      continue
    }
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
      ? statement.declaration as t.Node | null
      : statement
    if (!declaration) continue
    if (declaration.type === 'TSImportEqualsDeclaration') aliases.push(declaration)
    else for (const name of declaredNames(declaration)) set(name, valueKind(declaration))
  }
  // An alias is a type when what it names is one; read after every other declaration is known.
  for (const alias of aliases) set(alias.id.name, namesType(alias, (name) => kinds.get(name) === 'type') ? 'type' : 'value')
  return kinds
}

/** 'type' for declarations that leave nothing at runtime; 'value' for the others. */
function valueKind(declaration: t.Node): 'value' | 'type' {
  if ('declare' in declaration && declaration.declare) return 'type'
  switch (declaration.type) {
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSDeclareFunction': return 'type'
    case 'TSModuleDeclaration': return namespaceHasValues(declaration) ? 'value' : 'type'
    default: return 'value'
  }
}

/**
 * Whether Babel's TypeScript plugin emits an object for this namespace: it does when the namespace holds a function,
 * class, enum, variable, a nested namespace that does, or any other JavaScript statement (its own rule in
 * plugin-transform-typescript's namespace.ts, mirrored so that both agree on what is a type only).
 */
function namespaceHasValues(namespace: t.TSModuleDeclaration): boolean {
  if (namespace.declare) return false
  const body = namespace.body as t.Node
  // Babel 7 nests `namespace A.B` as A { B { … } }; Babel 8 has one declaration with a qualified name.
  const statements = body.type === 'TSModuleBlock' ? body.body : [body as t.Statement]
  return statements.some((statement) => {
    const node = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement
    if (!node) return false
    if (statement.type === 'ExportNamedDeclaration' && 'declare' in node && node.declare) return false
    switch (node.type) {
      case 'TSModuleDeclaration': return namespaceHasValues(node)
      case 'TSEnumDeclaration':
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'VariableDeclaration': return true
      default: return !node.type.startsWith('TS')
    }
  })
}

/** The names a top-level declaration binds (a namespace `A.B` binds `A`; `declare module 'x'` binds nothing). */
function declaredNames(declaration: t.Node): string[] {
  switch (declaration.type) {
    case 'VariableDeclaration': return declaration.declarations.flatMap((declarator) => patternNames(declarator.id))
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSDeclareFunction': return declaration.id ? [declaration.id.name] : []
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSEnumDeclaration':
    case 'TSImportEqualsDeclaration': return [declaration.id.name]
    case 'TSModuleDeclaration': {
      const id = declaration.id as t.Node
      return id.type === 'StringLiteral' ? [] : [firstIdentifier(id as t.TSEntityName)]
    }
    default: return []
  }
}

function firstIdentifier(name: t.TSEntityName | t.Node): string {
  let node = name as t.Node
  while (node.type === 'TSQualifiedName') node = node.left
  return node.type === 'Identifier' ? node.name : ''
}

/** The names a binding pattern declares: `{ a, b: [c], ...d }` → a, c, d. */
function patternNames(pattern: t.Node): string[] {
  switch (pattern.type) {
    case 'Identifier': return [pattern.name]
    case 'ObjectPattern': return pattern.properties.flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value))
    case 'ArrayPattern': return pattern.elements.flatMap((e) => (e ? patternNames(e) : []))
    case 'AssignmentPattern': return patternNames(pattern.left)
    case 'RestElement': return patternNames(pattern.argument)
    default: return []
  }
}

function nameOf(node: t.Identifier | t.StringLiteral): string {
  return node.type === 'Identifier' ? node.name : node.value
}
