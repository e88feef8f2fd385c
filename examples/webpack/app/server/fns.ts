'use server'
// Imported by the client (buttons) and by the server entry (add).
const visits: string[] = []

export async function greet(name: string): Promise<string> {
  visits.push(name)
  return `Hello, ${name}! (${visits.length} so far)`
}

export async function add(a: number, b: number): Promise<number> {
  return a + b
}

// Nothing imports this one: the build leaves it out of both manifests (UseServerPlugin's onlyReferenced), so a call
// to it is the same 404 as an unknown ID, even for someone who can read this file and knows the build's secret.
export async function resetVisits(): Promise<void> {
  visits.length = 0
}
