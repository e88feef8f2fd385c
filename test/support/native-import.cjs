// Node's own dynamic import, loaded with Node's require so that vitest does not rewrite the `import()` below.
module.exports = (url) => import(url)
