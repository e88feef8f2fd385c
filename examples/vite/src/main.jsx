import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createFromFetch, encodeReply, setCallServer } from 'babel-plugin-use-server/client'
import { add, greet } from './actions.js'
import { shout } from './client-only.js'

// How a stub reaches the server: POST the encoded arguments with the action ID; the answer is a Flight stream.
setCallServer(async (id, args) => {
  const response = fetch('/', { method: 'POST', headers: { 'rsc-action-id': id }, body: await encodeReply(args) })
  return createFromFetch(response)
})

function App() {
  const [result, setResult] = useState('')
  const run = (call) => async () => setResult(String(await call()))
  return (
    <main>
      <button onClick={run(() => greet('Ada'))}>Greet</button>
      <button onClick={run(() => add(2, 3))}>Add</button>
      <button onClick={run(() => shout('hello'))}>Shout</button>
      <output id="result">{result}</output>
    </main>
  )
}

createRoot(document.getElementById('root')).render(<App />)
document.documentElement.dataset.ready = 'true'
