// Action IDs: 40 hex characters of SHA-256 over (salt, file path relative to the root, export name), keyed with
// HMAC when the build has a secret (secret.ts). Nothing readable survives in an ID, and it is the same on client and
// server, on any machine and checkout path (given the same secret).
import * as crypto from 'node:crypto'
import path from 'node:path'

// One-shot hashing (Node 20.12+) skips the Hash object, a third of the cost when IDs are made per export.
const sha256: (input: string) => string = typeof crypto.hash === 'function'
  ? (input) => crypto.hash('sha256', input)
  : (input) => crypto.createHash('sha256').update(input).digest('hex')

/**
 * The action ID of one server function: the first 40 hex characters (160 bits, lowercase) of
 * SHA-256(`salt` NUL `file` NUL `exportName`), e.g. `"df9fde796ff05bc36b17652f94ee0c893be4b970"`, or with a
 * `secret` of HMAC-SHA256(key `secret`, same message), which nobody without the secret can compute.
 * `file` is the module's path relative to the root with `/` separators (see `relativeFile`); `exportName` is the
 * export of the server output (`_$$action_<name>` for an inline action). Never throws.
 */
export function actionId(salt: string, file: string, exportName: string, secret?: string | null): string {
  const message = `${salt}\0${file}\0${exportName}`
  if (secret) return crypto.createHmac('sha256', secret).update(message).digest('hex').slice(0, 40)
  return sha256(message).slice(0, 40)
}

/** The file path as it appears in IDs, metadata and output: relative to the root, with `/` separators. */
export function relativeFile(root: string, filename: string | null | undefined): string {
  if (!filename) return '<unknown>'
  const rel = path.relative(root, filename)
  return rel.split(path.sep).join('/')
}
