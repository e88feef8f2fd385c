// React's Flight webpack plugin (react-server-dom-webpack/plugin). Its 19.3.1 release requires two webpack files
// by their old paths (webpack/lib/dependencies/ModuleDependency, webpack/lib/Template), which webpack 5.112 moved;
// both classes are also webpack's public API, so those two requests are answered with it while the plugin loads.
const Module = require('node:module')
const webpack = require('webpack')

const moved = {
  'webpack/lib/dependencies/ModuleDependency': webpack.dependencies.ModuleDependency,
  'webpack/lib/Template': webpack.Template,
}
const load = Module._load
Module._load = function (request, ...rest) {
  return Object.hasOwn(moved, request) ? moved[request] : load.call(this, request, ...rest)
}
try {
  module.exports = require('react-server-dom-webpack/plugin')
} finally {
  Module._load = load
}
