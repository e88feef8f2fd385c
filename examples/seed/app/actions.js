'use server'
// The seed's server file: every export is a server function. Check the caller in each one.
import { db } from './db.js'
import { currentUser } from './session.js'

export async function createUser(data) {
  const caller = await currentUser()
  if (!caller) throw new Error('Not signed in')
  return db.insert('INSERT INTO users (name) VALUES ($1) RETURNING *', [data.name])
}

export async function fetchUsers() {
  const caller = await currentUser()
  if (!caller) throw new Error('Not signed in')
  return db.query('SELECT id, name FROM users ORDER BY id')
}
