// Files for the growth table (bench/growth.mjs): one file per shape and size N (the number of actions, or of
// imports for the stubs shape), so that what an action costs can be compared between files with few and many.
//   inline    a server component with N inline actions that all capture the same two props (issue 16's shape)
//   exports   a file-level 'use server' module with N exported functions
//   nested    N/2 actions that each hold an inner action (which captures the outer one's parameter and the props)
//   loop      N loops, each making an action per element that captures the loop variable and a prop
//   captures  N locals and N actions, each action capturing 8 of the locals (a different 8 each)
//   stubs     a client file importing N server functions from one 'use server' module (import-site stubs)
// Every shape is valid input for our plugin and for Expo's (stubs is ours alone: Expo has no such feature).

const props = '{ base, user }: { base: number; user: { name: string } }'

function inline(n) {
  const actions = Array.from({ length: n }, (_, k) => `
  async function act${k}(fd: FormData) {
    'use server'
    const v = fd.get('v${k}')
    await db.save(base + ${k}, user.name, v)
  }`).join('')
  return `import { db } from './db'

export default async function Page(${props}) {${actions}
  return (
    <main>
${forms(n, (k) => `act${k}`)}
    </main>
  )
}
`
}

function exportsFile(n) {
  return `'use server'
import { db } from './db'
${Array.from({ length: n }, (_, k) => `
export async function save${k}(fd: FormData) {
  const v = fd.get('v${k}')
  await db.save(${k}, v)
}`).join('\n')}
`
}

function nested(n) {
  const pairs = Math.max(1, Math.floor(n / 2))
  const actions = Array.from({ length: pairs }, (_, k) => n === 1 ? `
  async function act${k}(fd: FormData) {
    'use server'
    await db.save(base + ${k}, user.name, fd.get('v'))
  }` : `
  async function act${k}(fd: FormData) {
    'use server'
    const v = fd.get('v${k}')
    async function inner${k}(next: FormData) {
      'use server'
      await db.save(base + ${k}, user.name, v, next.get('w'))
    }
    return inner${k}
  }`).join('')
  return `import { db } from './db'

export default async function Page(${props}) {${actions}
  return (
    <main>
${forms(pairs, (k) => `act${k}`)}
    </main>
  )
}
`
}

function loop(n) {
  const loops = Array.from({ length: n }, (_, k) => `
  for (const item${k} of items) {
    rows.push(<form key={item${k}.id} action={async (fd: FormData) => {
      'use server'
      await db.save(item${k}.id, user.name, fd.get('v${k}'))
    }} />)
  }`).join('')
  return `import { db } from './db'

export default async function Page({ items, user }: { items: { id: string }[]; user: { name: string } }) {
  const rows: JSX.Element[] = []${loops}
  return <main>{rows}</main>
}
`
}

function captures(n) {
  const locals = Array.from({ length: n }, (_, k) => `  const v${k} = base + ${k}`).join('\n')
  const actions = Array.from({ length: n }, (_, k) => {
    const used = Array.from({ length: Math.min(8, n) }, (_, j) => `v${(k + j) % n}`)
    return `
  async function act${k}(fd: FormData) {
    'use server'
    await db.save(user.name, fd.get('v'), ${used.join(', ')})
  }`
  }).join('')
  return `import { db } from './db'

export default async function Page(${props}) {
${locals}${actions}
  return (
    <main>
${forms(n, (k) => `act${k}`)}
    </main>
  )
}
`
}

/** The importer; `stubsModule(n)` is the 'use server' module it imports, to be written to ./actions.ts beside it. */
function stubs(n) {
  const names = Array.from({ length: n }, (_, k) => `save${k}`)
  return `'use client'
import { ${names.join(', ')} } from './actions'

export function Forms() {
  return (
    <main>
${forms(n, (k) => names[k])}
    </main>
  )
}
`
}

export const stubsModule = exportsFile

function forms(n, action) {
  return Array.from({ length: n }, (_, k) => `      <form action={${action(k)}}><input name="v${k}" /><button>Save</button></form>`).join('\n')
}

/** shape name → (n) => source. `inline` and `exports` are the README's table; the rest are checked the same way. */
export const shapes = { inline, exports: exportsFile, nested, loop, captures, stubs }
export const sizes = [1, 10, 40, 160, 640]
