'use server'
// Only client code imports this module: the server build still has it (babel-plugin-use-server/references).
export async function shout(text) {
  return text.toUpperCase() + '!'
}
