// React ships no types for these entry points; flight.ts and handle.ts describe the little they use. `react` is only
// read for its `version` (react-version.ts).
declare module 'react-server-dom-webpack/server'
declare module 'react-server-dom-webpack/client'
declare module 'react'
