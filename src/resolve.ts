// Where an import points, for import-site stubs: relative paths with extension and index probing, aliases, package
// names (Node's resolution from the importer), and TypeScript's habit of importing './a.js' for './a.ts'.
import fs from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import path from 'node:path'

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs']
const JS_EXTENSION = /\.(m?js|jsx)$/

/**
 * Resolves an import of a module to an absolute file path, or `null` when it is not a file this plugin can read
 * (a Node built-in, a package without a resolvable file, a missing file, a non-JS asset). `importer` is the
 * importing file's absolute path; `alias` is `[prefix, folder relative to root][]` sorted longest prefix first
 * (as `normalizeOptions` gives it), so that '@/lib/' wins over '@/'. Never throws.
 */
export function resolveImport(specifier: string, importer: string, root: string, alias: [string, string][]): string | null {
  if (specifier.startsWith('.')) return probe(path.resolve(path.dirname(importer), specifier))
  for (const [prefix, target] of alias) {
    if (specifier === prefix || specifier.startsWith(prefix)) return probe(path.resolve(root, target, specifier.slice(prefix.length)))
  }
  if (path.isAbsolute(specifier)) return probe(specifier)
  if (isBuiltin(specifier) || specifier.includes(':')) return null
  return resolvePackage(specifier, importer)
}

function probe(base: string): string | null {
  if (isFile(base)) return base
  for (const ext of EXTENSIONS) if (isFile(base + ext)) return base + ext
  if (JS_EXTENSION.test(base)) {
    const stem = base.replace(JS_EXTENSION, '')
    for (const ext of ['.ts', '.tsx', '.mts']) if (isFile(stem + ext)) return stem + ext
  }
  for (const ext of EXTENSIONS) if (isFile(path.join(base, 'index' + ext))) return path.join(base, 'index' + ext)
  return null
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false
}

// Package resolution is slow and does not change during a build: cached per importing folder.
const packages = new Map<string, string | null>()

function resolvePackage(specifier: string, importer: string): string | null {
  const key = `${path.dirname(importer)}\0${specifier}`
  let resolved = packages.get(key)
  if (resolved === undefined) {
    try {
      resolved = createRequire(importer).resolve(specifier)
    } catch {
      resolved = null
    }
    packages.set(key, resolved)
  }
  return resolved
}
