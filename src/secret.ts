// The secret that keys action IDs, so that they cannot be computed from the source alone (an open-source app, a
// leaked repository, a published 'use server' package). The client and the server build must read the same one:
// - the `secret` option, else the USE_SERVER_ACTION_ID_SECRET environment variable (any build, any mode);
// - else, in a production build, a secret generated once per checkout in node_modules/.cache of the package that
//   holds the root, which every later build reads (both builds of one checkout agree; other machines need the
//   variable);
// - else (development, tests) none: IDs keep the unkeyed formula, stable and the same everywhere.
import * as crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ErrorCode, UseServerError } from './errors.js'
import { noticeOnce } from './notice.js'

export const SECRET_ENV = 'USE_SERVER_ACTION_ID_SECRET'
/** Where a production build without a secret keeps the one it made, relative to the package (see `packageDirOf`). */
export const SECRET_FILE = 'node_modules/.cache/babel-plugin-use-server/action-id-secret'
/** A shorter secret is a typo or a placeholder, not something an attacker cannot guess. */
const MIN_LENGTH = 16

export type SecretSource = 'option' | 'environment' | 'file'
export interface ActionIdSecret {
  value: string
  source: SecretSource
}

/**
 * The secret for a build under `root`: `explicit` (the plugin's `secret` option), else `process.env`'s
 * USE_SERVER_ACTION_ID_SECRET (an empty value counts as unset), else — only when `production` — the checkout's
 * generated secret (`<package>/node_modules/.cache/babel-plugin-use-server/action-id-secret`, where `<package>` is
 * the nearest folder from `root` up with a package.json, else `root`; created on first use,
 * with a one-line note on stderr once per process naming the variable to set), else null.
 * Throws `UseServerError` with code `USE_SERVER_INVALID_SECRET` for a secret under 16 characters (or a damaged
 * secret file), and file-system errors other than a missing file as they are.
 */
export function resolveSecret(explicit: string | undefined, production: boolean, root: string): ActionIdSecret | null {
  if (explicit !== undefined) return { value: checked(explicit, 'The "secret" option'), source: 'option' }
  const fromEnv = process.env[SECRET_ENV]
  if (fromEnv) return { value: checked(fromEnv, SECRET_ENV), source: 'environment' }
  if (!production) return null
  const file = path.join(packageDirOf(root), SECRET_FILE)
  const value = checked(readOrCreate(file), `The generated secret in ${file} (delete the file to make a new one)`)
  noteOnce(file)
  return { value, source: 'file' }
}

/** The nearest folder from `root` up that has a package.json (where node_modules/.cache goes), else `root`. */
function packageDirOf(root: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return root
  }
}

function checked(value: string, what: string): string {
  if (value.length < MIN_LENGTH) {
    throw new UseServerError(`[${ErrorCode.InvalidSecret}] babel-plugin-use-server: ${what} is ${value.length} ` +
      `characters long; an action ID secret needs at least ${MIN_LENGTH}. Make one with: ` +
      `node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`)
  }
  return value
}

/**
 * Reads the shared secret file, creating it first if it is missing. The new secret is written in full to a file of
 * this process and then hard-linked into place: a link never replaces a file, so when two builds start at once one
 * secret wins and both read it, and nobody reads a half-written file.
 */
function readOrCreate(file: string): string {
  const existing = readIfExists(file)
  if (existing !== null) return existing
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}`
  fs.writeFileSync(temp, `${crypto.randomBytes(32).toString('base64url')}\n`, { mode: 0o600 })
  try {
    fs.linkSync(temp, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // Another build made it first: use theirs.
  } finally {
    fs.rmSync(temp, { force: true })
  }
  return fs.readFileSync(file, 'utf8').trim()
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Once per process (Babel, Jest and webpack all run plugins in-process). */
function noteOnce(file: string): void {
  noticeOnce('generated-secret-noted', `babel-plugin-use-server: production build without ${SECRET_ENV}: action IDs are keyed with ` +
    `the secret generated in ${file}, which the client and server builds of this checkout share. Builds on other ` +
    `machines (CI, a remote build cache, one build per instance) make other IDs: set ${SECRET_ENV} to the same ` +
    `random value for every build of a deployment.`)
}
