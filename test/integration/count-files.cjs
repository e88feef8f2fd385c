// A Babel plugin for the integration tests: appends the name of every file Babel transforms to `options.log`.
const fs = require('node:fs')

module.exports = function countFiles(_api, options) {
  return {
    name: 'count-files',
    pre(file) {
      fs.appendFileSync(options.log, `${file.opts.filename}\n`)
    },
  }
}
