// React ships no types for these entry points; flight.ts describes the little it uses.
declare module 'react-server-dom-webpack/server'
declare module 'react-server-dom-webpack/client'
