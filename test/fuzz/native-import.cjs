// Node's own dynamic import, loaded with Node's require so that vitest does not rewrite the `import()` below:
// fuzzed programs run as plain Node runs them and share the runtime in dist/ with each other.
module.exports = (url) => import(url)
