// A loader that runs after babel-loader in the tests: it appends its own option, to show that skipping babel-loader
// leaves the options of the other loaders where they were.
module.exports = function tagLoader(source) {
  return `${source}\n/* tag:${this.getOptions().tag} */\n`
}
