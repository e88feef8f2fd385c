'use client'
// A client component that calls a server function: on the client build the import is an RPC stub.
import { useState } from 'react'
import { fetchUsers } from './actions.js'

export function UsersButton() {
  const [users, setUsers] = useState([])
  return (
    <div>
      <button onClick={async () => setUsers(await fetchUsers())}>Load users</button>
      <ul>{users.map((u) => <li key={u.id}>{u.name}</li>)}</ul>
    </div>
  )
}
