// Who is calling: a real app reads a signed session cookie here.
export async function currentUser() {
  return { id: 1, name: 'example' }
}
