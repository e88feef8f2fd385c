// React's browser Flight client (react-server-dom-webpack/client in a browser build) reads `__webpack_require__.u` when it loads,
// so outside webpack (Vite, Rollup, esbuild, a test runner's browser-like environment) it fails with "__webpack_require__ is not defined".
// This module, imported before React's, defines a stand-in where none exists. Server functions need nothing from it;
// only client component references inside a Flight response would, and those need a real module loader: the
// stand-in says so instead of failing obscurely. Inside webpack, `typeof __webpack_require__` is "function"; without
// a document (Node), React's client is its SSR build, which needs none.
declare const __webpack_require__: unknown
// A module (it imports), not a script: the declaration above stays local (as a script, its .d.ts would declare a
// global that clashes between the ES and CommonJS builds, and with webpack's own types).
import { runtimeError } from './errors.js'

if (typeof __webpack_require__ === 'undefined' && !('__webpack_require__' in globalThis) && typeof document !== 'undefined') {
  const require = (id: string): never => {
    throw runtimeError('USE_SERVER_NO_CLIENT_MODULES', `A Flight response referred to the client module ${JSON.stringify(id)}, ` +
      'but this build has no webpack module loader. Server function results can hold data and server references, ' +
      'not client components, outside webpack.')
  }
  Object.defineProperty(globalThis, '__webpack_require__', {
    value: Object.assign(require, { u: (chunkId: string) => chunkId }),
    configurable: true,
    writable: true,
  })
}
