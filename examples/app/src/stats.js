'use server'
// Imported by the client button alone: no server module imports it, so only UseServerPlugin's `include` puts it in
// the server build (webpack.config.mjs).
import { query } from './db.js'
import { requireUser } from './session.js'

export async function countUsers() {
  await requireUser()
  const [row] = await query('SELECT count(*)::int AS n FROM users')
  return row.n
}
