'use server'
// The seed's server file: every export is a server function. Each checks its caller: anyone can call it.
import { query } from './db.js'
import { requireUser } from './session.js'

/** `data`: `{ name }` from a client component, or the FormData of a `<form action={createUser}>` post. */
export async function createUser(data) {
  await requireUser()
  const name = String((data instanceof FormData ? data.get('name') : data?.name) ?? '').trim()
  if (!name) throw Object.assign(new Error('A name is required'), { status: 400 })
  const [user] = await query('INSERT INTO users (name) VALUES ($1) RETURNING id, name', [name.slice(0, 100)])
  return user
}

export async function fetchUsers() {
  await requireUser()
  return query('SELECT id, name FROM users ORDER BY id')
}

// Nothing imports this one: the server build leaves it out of its manifests (UseServerPlugin with its client half),
// so it cannot be called, even by someone who can read this file and knows the build's secret.
export async function deleteAllUsers() {
  await requireUser()
  await query('DELETE FROM users')
}
