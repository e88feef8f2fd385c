// Server-side rendering, bundled by webpack without the 'react-server' condition (build/ssr.cjs): turns a page's
// Flight stream into HTML with react-dom/server, so the page (and its forms) work before JavaScript loads.
import { use } from 'react'
import { renderToReadableStream } from 'react-dom/server'
import { createFromReadableStream } from 'react-server-dom-webpack/client'

// Makes this bundle hold the 'use client' modules (the build narrows this context to them), with their paths as
// module IDs: React's Flight client loads them through this bundle's __webpack_require__ (see server.mjs's moduleMap).
import.meta.webpackContext('./src', { recursive: true, regExp: /\.jsx?$/ })

/** `moduleMap` maps client module IDs of the browser build to this bundle's (see server.mjs). */
export function renderHtml(flight, { moduleMap, bootstrapScripts, bootstrapScriptContent }) {
  const root = createFromReadableStream(flight, {
    serverConsumerManifest: { moduleMap, serverModuleMap: null, moduleLoading: { prefix: '/static/', crossOrigin: null } },
  })
  function Document() {
    return (
      <html lang="en">
        <head>
          <meta charSet="utf-8" />
          <title>babel-plugin-use-server example</title>
        </head>
        <body>
          <div id="root">{use(root)}</div>
        </body>
      </html>
    )
  }
  return renderToReadableStream(<Document />, { bootstrapScripts, bootstrapScriptContent })
}
