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

// Nothing imports this one: the production build leaves it out of the manifest (the plugin's onlyReferenced), so a
// call to it is the same 404 as an unknown ID, even for someone who can read this file and knows the build's secret.
export async function resetVisits() {
  visits.length = 0
}
