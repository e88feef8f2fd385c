// Inline 'use server' functions: checked, analysed for what they capture, and hoisted (the innermost first).
import type { NodePath, types as t, Visitor } from '@babel/core'
import { analyzeClosure, sourceNames } from './closure.js'
import type { TransformContext } from './context.js'
import { ErrorCode, fail } from './errors.js'
import { hoistAction, type Hoisting } from './hoist.js'

export function transformInlineAction(ctx: TransformContext, fn: NodePath<t.Function>, directive: NodePath<t.Directive>,
  out: Hoisting): void {
  if (ctx.clientFile) {
    fail(directive, ErrorCode.InlineInClient,
      `Inline 'use server' functions cannot be defined in a 'use client' file: client code cannot hold server code. ` +
      `Move the function to a 'use server' file and import it, or pass it from a server component as a prop.`)
  }
  if (ctx.options.environment === 'client') {
    fail(directive, ErrorCode.InlineInClient,
      `Inline 'use server' functions can only be compiled for the server environment, but this file is compiled for ` +
      `the client. Define the function in a 'use server' file and import it, or keep this module on the server.`)
  }
  const name = functionName(fn)
  checkAction(ctx.t, fn, name)
  hoistAction(ctx, fn, name, analyzeClosure(ctx.t, fn, name, out.hoisted), out)
}

/** The name the function had (`fn.name`): its id, or the variable, property or method it is assigned to. */
export function functionName(fn: NodePath<t.Function>): string {
  const node = fn.node
  const renamed = sourceNames.get(node)
  if (renamed !== undefined) return renamed
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id) return node.id.name
  if (node.type === 'ObjectMethod' || node.type === 'ClassMethod') return keyName(node.key, node.computed)
  if (node.type === 'ClassPrivateMethod') return `#${node.key.id.name}`
  const parent = fn.parent
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name
  if (parent.type === 'AssignmentExpression' && parent.left.type === 'Identifier') return parent.left.name
  if ((parent.type === 'ObjectProperty' || parent.type === 'ClassProperty') && parent.value === node) return keyName(parent.key, parent.computed)
  if (parent.type === 'ExportDefaultDeclaration') return 'default'
  return ''
}

function keyName(key: t.Node, computed: boolean): string {
  if (key.type === 'Identifier' && !computed) return key.name
  if (key.type === 'StringLiteral' || key.type === 'NumericLiteral') return String(key.value)
  return ''
}

function checkAction(types: TransformContext['t'], fn: NodePath<t.Function>, name: string): void {
  const label = name ? `"${name}"` : 'this function'
  const node = fn.node
  if ((node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod') && !node.static) {
    fail(fn, ErrorCode.InstanceMethod,
      `The instance method ${label} cannot be a server function: it would need its object, which cannot be sent. ` +
      `Make it a static method, or a function outside the class.`)
  }
  if (!node.async) {
    fail(fn, ErrorCode.SyncFunction,
      `Server functions must be async: ${label} is ${node.generator ? 'a synchronous generator' : 'synchronous'}. ` +
      `Add \`async\` to it (\`async function${node.generator ? '*' : ''}\`), since a call to the server always returns a promise.`)
  }
  if (mayUseCallContext(types, node)) fn.traverse(contextVisitor, { label })
}

/**
 * A quick pass over the nodes alone (no paths, nothing allocated): could the function use `this`, `super`,
 * `new.target` or `arguments`? Only then does the exact check below run. Where Babel's traverseFast cannot skip
 * (before 7.24), nested functions are looked into as well: a false alarm costs only the exact check.
 */
function mayUseCallContext(types: TransformContext['t'], fn: t.Function): boolean {
  // Undefined before Babel 7.24, where returning it does nothing.
  const skip = types.traverseFast.skip as typeof types.traverseFast.skip | undefined
  let found = false
  const visit: Parameters<typeof types.traverseFast>[1] = (node) => {
    switch (node.type) {
      case 'ThisExpression':
      case 'Super':
      case 'MetaProperty':
        found = true
        break
      case 'Identifier':
        if (node.name === 'arguments') found = true
        break
      case 'ArrowFunctionExpression':
        break
      default:
        // An ordinary nested function has its own call context; a class its own `this`.
        if (node !== fn && (types.isFunction(node) || types.isClass(node))) return skip
    }
    return undefined
  }
  for (const param of fn.params) types.traverseFast(param, visit)
  types.traverseFast(fn.body, visit)
  return found
}

function forbidden(at: NodePath, label: string, code: ErrorCode, what: string): never {
  fail(at, code, `A server function cannot use ${what}: ${label} runs on its own when called from the client, with no ` +
    `caller object or call context. Pass what you need as arguments, or capture it in a const.`)
}

// Module-level, so that Babel prepares it once rather than on every action.
const contextVisitor: Visitor<{ label: string }> = {
  Function(inner) {
    // An ordinary nested function has its own `this` and `arguments`; an arrow shares the action's.
    if (!inner.isArrowFunctionExpression()) inner.skip()
  },
  Class(inner) {
    inner.skip()
  },
  ThisExpression(p, { label }) {
    forbidden(p, label, ErrorCode.ThisInAction, '`this`')
  },
  Super(p, { label }) {
    forbidden(p, label, ErrorCode.SuperInAction, '`super`')
  },
  MetaProperty(p, { label }) {
    if (p.node.meta.name === 'new' && p.node.property.name === 'target') forbidden(p, label, ErrorCode.NewTargetInAction, '`new.target`')
  },
  Identifier(p, { label }) {
    if (p.node.name === 'arguments' && p.isReferencedIdentifier() && !p.scope.hasBinding('arguments', true)) {
      forbidden(p, label, ErrorCode.ArgumentsInAction, '`arguments` (use a rest parameter: `async (...args) => …`)')
    }
  },
}
