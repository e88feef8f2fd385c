// The client runtime's createFromFetch: server references in a decoded Flight response (a server function that returns
// another, a server-rendered form action) call through the app's setCallServer function by default. React's own
// createFromFetch is replaced by a recorder, so the test sees the options it is given.
import { describe, expect, it, vi } from 'vitest'

const given: unknown[] = []
vi.mock('react-server-dom-webpack/client', async (original) => ({
  ...(await original<object>()),
  createFromFetch: (response: unknown, options: unknown) => (given.push(options), Promise.resolve(response)),
}))
const client = await import('../src/runtime/client.ts')

describe('createFromFetch (babel-plugin-use-server/client)', () => {
  it("passes React the runtime's callServer unless the options name another, and keeps the other options", async () => {
    const response = Promise.resolve(new Response(''))
    await client.createFromFetch(response)
    const own = async () => 'own'
    await client.createFromFetch(response, { callServer: own, serverConsumerManifest: { moduleMap: {} } })
    expect(given).toEqual([{ callServer: client.callServer }, { callServer: own, serverConsumerManifest: { moduleMap: {} } }])
  })

  it('so a reference from a response reaches the function given to setCallServer', async () => {
    const calls: unknown[][] = []
    client.setCallServer(async (id, args) => (calls.push([id, args]), 'answered'))
    await client.createFromFetch(Promise.resolve(new Response('')))
    const { callServer } = given.at(-1) as { callServer: (id: string, args: unknown[]) => Promise<unknown> }
    expect(await callServer('a'.repeat(40), [1])).toBe('answered')
    expect(calls).toEqual([['a'.repeat(40), [1]]])
  })
})
