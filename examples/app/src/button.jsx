'use client'
// A client component that calls server functions: on the client build the import is RPC stubs.
import { useState } from 'react'
import { createUser, fetchUsers } from './actions.js'
import { countUsers } from './stats.js'

export function UsersButton() {
  const [users, setUsers] = useState(null)
  const [error, setError] = useState(null)
  const [count, setCount] = useState(null)
  async function run(call) {
    try {
      await call()
      setUsers(await fetchUsers())
      setError(null)
    } catch (e) {
      setError(e.message)
    }
  }
  return (
    <section>
      <form action={(formData) => run(() => createUser({ name: formData.get('name') }))}>
        <input name="name" aria-label="New user" />
        <button type="submit">Add user</button>
      </form>
      <button type="button" onClick={() => run(async () => {})}>Load users</button>
      <button type="button" onClick={() => run(async () => setCount(await countUsers()))}>Count users</button>
      {count !== null && <p id="count">{count} users</p>}
      {error && <p role="alert">{error}</p>}
      {users && <ul id="users">{users.map((u) => <li key={u.id}>{u.name}</li>)}</ul>}
    </section>
  )
}
