'use server'
// Server functions. The client's buttons call greet and add; the server entry calls add too. Nothing imports
// forget: it is compiled into the server bundle but left out of the manifests, so a request for it is refused (404).
const visits: string[] = []

export async function greet(name: string): Promise<string> {
  visits.push(name)
  return `Hello, ${name}! (${visits.length} so far)`
}

export async function add(a: number, b: number): Promise<number> {
  return a + b
}

export async function forget(): Promise<void> {
  visits.length = 0
}
