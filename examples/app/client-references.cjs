// Babel plugin for the RSC build: a 'use client' module becomes client references (what React's node-loader does
// for unbundled servers): React renders them as "load this module in the browser", keyed by the file URL the
// Flight webpack plugin uses in react-client-manifest.json.
const { pathToFileURL } = require('node:url')

module.exports = function clientReferences({ types: t, template }) {
  return {
    name: 'client-references',
    visitor: {
      Program(program, state) {
        if (!program.node.directives.some((d) => d.value.value === 'use client')) return
        const names = []
        for (const statement of program.node.body) {
          if (t.isExportDefaultDeclaration(statement)) names.push('default')
          if (!t.isExportNamedDeclaration(statement)) continue
          const declaration = statement.declaration
          if (declaration?.id) names.push(declaration.id.name)
          for (const d of declaration?.declarations ?? []) names.push(d.id.name)
          for (const s of statement.specifiers) names.push(s.exported.name ?? s.exported.value)
        }
        const url = JSON.stringify(pathToFileURL(state.filename).href)
        const code = [`import { registerClientReference } from 'react-server-dom-webpack/server'`]
        for (const name of names) {
          const value = `registerClientReference(function () { throw new Error(${JSON.stringify(`${name} is a client component: it cannot be called on the server`)}) }, ${url}, ${JSON.stringify(name)})`
          code.push(name === 'default' ? `export default ${value}` : `export const ${name} = ${value}`)
        }
        program.node.directives = []
        program.node.body = template.statements.ast(code.join('\n'))
      },
    },
  }
}
