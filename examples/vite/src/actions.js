'use server'
// Imported by the client (buttons) and by the server entry.
const visits = []

export async function greet(name) {
  visits.push(name)
  return `Hello, ${name}! (${visits.length} so far)`
}

export async function add(a, b) {
  return a + b
}
