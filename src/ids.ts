// Action IDs: 40 hex characters of SHA-256 over (salt, file path relative to the root, export name).
// Nothing readable survives in an ID, and it is the same on client and server, on any machine and checkout path.
import { createHash } from 'node:crypto'
import path from 'node:path'

export function actionId(salt: string, file: string, exportName: string): string {
  return createHash('sha256').update(`${salt}\0${file}\0${exportName}`).digest('hex').slice(0, 40)
}

/** The file path as it appears in IDs, metadata and output: relative to the root, with `/` separators. */
export function relativeFile(root: string, filename: string | null | undefined): string {
  if (!filename) return '<unknown>'
  const rel = path.relative(root, filename)
  return rel.split(path.sep).join('/')
}
