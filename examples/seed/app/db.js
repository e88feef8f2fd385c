// A stand-in database for the transform example (the full app in examples/app uses PGlite).
const users = []
export const db = {
  async insert(_sql, [name]) {
    const user = { id: users.length + 1, name }
    users.push(user)
    return user
  },
  async query() {
    return [...users]
  },
}
