// The React Server Components entry, bundled by webpack under the 'react-server' condition (build/rsc.cjs):
// renders pages to Flight and runs server functions. Every request runs inside withRequest, so server functions
// can read the session of the request that called them.
import { renderToReadableStream } from 'react-server-dom-webpack/server'
import { handleActionRequest } from 'babel-plugin-use-server/server'
import { toReactServerManifest } from 'babel-plugin-use-server/manifest'
import PostPage from './src/page.jsx'
import { closeDb } from './src/db.js'
import { readSession, sessionCookie, withRequest } from './src/session.js'

// Every module of the app, by the path the plugin's manifest uses (relative to src/). `modules(path)` is webpack's
// require of that module and `modules.resolve(path)` its webpack module ID, which is what React's decoders pass to
// this bundle's __webpack_require__: so React's server manifest maps action IDs to those IDs.
const modules = import.meta.webpackContext('./src', { recursive: true, regExp: /\.jsx?$/ })

/**
 * `actionOptions`: extra handleActionRequest options. The app passes none, so the protections keep their defaults
 * (same-origin requests only, 1 MiB bodies); `npm run bench:server` turns them off here to measure what they cost.
 */
export function createRsc({ manifest, clientManifest, actionOptions = {} }) {
  const reactManifest = toReactServerManifest(manifest, { moduleId: (module) => modules.resolve(`./${module}`) })
  const onError = (error) => console.error(error)
  return {
    /** A Response for a server function request (a callServer fetch or a form post), else null. */
    handleAction: (request) => withRequest(request, () => handleActionRequest(request, {
      ...actionOptions, manifest, reactManifest, clientManifest, onError,
      loadModule: (module) => modules(`./${module}`),
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
