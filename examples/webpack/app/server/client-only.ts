'use server'
// Only client code imports this module: UseServerPlugin's `include` puts it in the server bundle.
export async function shout(text: string): Promise<string> {
  return text.toUpperCase() + '!'
}
