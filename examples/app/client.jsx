// The browser entry: hydrates the server-rendered page from its inlined Flight payload, and sends server function
// calls to the server (callServer), re-fetching the page's Flight after each one.
import { startTransition, use, useEffect, useState } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { createFromFetch, createFromReadableStream, encodeReply } from 'react-server-dom-webpack/client'
import { setCallServer } from 'babel-plugin-use-server/client'

let setRoot

function Root({ initial }) {
  const [root, set] = useState(initial)
  setRoot = set
  useEffect(() => { document.documentElement.dataset.hydrated = 'true' }, []) // for tests: the page is interactive
  return use(root)
}

async function callServer(id, args) {
  const response = await fetch(location.pathname, { method: 'POST', headers: { 'rsc-action-id': id }, body: await encodeReply(args) })
  if (!response.ok) {
    const { error } = await response.json().catch(() => ({ error: response.statusText }))
    throw new Error(error)
  }
  const result = await createFromFetch(Promise.resolve(response), { callServer })
  const page = createFromFetch(fetch(location.pathname, { headers: { accept: 'text/x-component' } }), { callServer })
  startTransition(() => setRoot(page))
  return result
}

setCallServer(callServer)
const initial = createFromReadableStream(new Response(self.__FLIGHT).body, { callServer })
hydrateRoot(document.getElementById('root'), <Root initial={initial} />)
