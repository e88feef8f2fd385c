// The server entry: what the Node server needs to run this build's server functions.
export { loadModule, manifest } from 'babel-plugin-use-server/references'
