// The browser entry: the 'use server' modules it imports are stubs in the client build.
import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createFromFetch, encodeReply, setCallServer } from 'babel-plugin-use-server/client'
import { add, greet } from './server/fns'
import { shout } from './server/client-only'

// How a stub reaches the server: POST the encoded arguments with the action ID; the answer is a Flight stream.
setCallServer(async (id, args) => {
  const response = fetch('/', { method: 'POST', headers: { 'rsc-action-id': id }, body: await encodeReply(args) })
  return createFromFetch(response)
})

function App() {
  const [result, setResult] = useState('')
  const run = (call: () => Promise<unknown>) => async () => setResult(String(await call()))
  return (
    <main>
      <button onClick={run(() => greet('Ada'))}>Greet</button>
      <button onClick={run(() => add(2, 3))}>Add</button>
      <button onClick={run(() => shout('hello'))}>Shout</button>
      <output id="result">{result}</output>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(<App />)
document.documentElement.dataset.ready = 'true'
