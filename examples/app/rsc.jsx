// The React Server Components entry, bundled by webpack under the 'react-server' condition (build/rsc.cjs):
// renders pages to Flight and runs server functions. Every request runs inside withRequest, so server functions
// can read the session of the request that called them.
import { renderToReadableStream } from 'react-server-dom-webpack/server'
import { handleActionRequest } from 'babel-plugin-use-server/server'
import PostPage from './src/page.jsx'
import { closeDb } from './src/db.js'
import { readSession, sessionCookie, withRequest } from './src/session.js'

/**
 * `manifest` and `reactManifest` are what UseServerPlugin wrote next to this bundle: action ID → module and export,
 * and action ID → this bundle's webpack module ID, which React's decoders pass to its __webpack_require__ (and which
 * handleActionRequest, bundled here too, loads server functions by: no `loadModule` needed).
 * `actionOptions`: extra handleActionRequest options. The app passes none, so the protections keep their defaults
 * (same-origin requests only, 1 MiB bodies); `npm run bench:server` turns them off here to measure what they cost.
 */
export function createRsc({ manifest, reactManifest, clientManifest, actionOptions = {} }) {
  const onError = (error) => console.error(error)
  return {
    /** A Response for a server function request (a callServer fetch or a form post), else null. */
    handleAction: (request) => withRequest(request, () => handleActionRequest(request, {
      ...actionOptions, manifest, reactManifest, clientManifest, onError,
    })),
    /** The Flight stream of the page at the request's URL, or null when there is no such page. */
    renderPage(request) {
      const match = /^\/posts\/([\w-]{1,40})$/.exec(new URL(request.url).pathname)
      if (!match) return null
      return withRequest(request, () => renderToReadableStream(<PostPage params={{ id: match[1] }} />, clientManifest, { onError }))
    },
    /** A Set-Cookie value that signs a visitor without a valid session in (a demo login), else null. */
    sessionCookie: (request) => (readSession(request) ? null : sessionCookie('demo')),
    close: closeDb,
  }
}
