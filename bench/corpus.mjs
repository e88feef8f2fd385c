// The bench corpora: deterministic (no randomness beyond a fixed-seed generator; real files chosen by sorted path).
//   app      generated app-like TSX/TS files (components, hooks, utils, API clients, reducers), no directive
//   packages real sources from installed packages: react's and react-dom's CJS builds, TypeScript's lib .d.ts files,
//            @babel/traverse's compiled lib — picked by sorted path up to a size budget per source
//   actions  generated directive-heavy files: file-level 'use server' modules and server components with inline
//            actions closing over props, locals and module values (client builds get only the file-level ones, as
//            inline actions are a server-only construct)
import fs from 'node:fs'
import path from 'node:path'

/** Mulberry32: a tiny seeded PRNG so the generated corpora are the same on every run. */
function rng(seed) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const words = ['user', 'order', 'item', 'cart', 'invoice', 'product', 'review', 'comment', 'profile', 'session',
  'team', 'project', 'task', 'note', 'message', 'payment', 'address', 'report', 'setting', 'tag']
const cap = (s) => s[0].toUpperCase() + s.slice(1)

function component(r, i) {
  const w = words[i % words.length]
  const W = cap(w)
  const fields = words.slice(0, 3 + Math.floor(r() * 5))
  return `import { useMemo, useState, useCallback } from 'react'
import type { ${W}, ${W}Filter } from '../types/${w}'
import { format${W}, sortBy } from '../utils/${w}'
import { Button } from '../ui/Button'

export interface ${W}ListProps {
  items: ${W}[]
  filter?: ${W}Filter
  onSelect?: (item: ${W}) => void
  pageSize?: number
}

const columns = [${fields.map((f) => `{ key: '${f}', label: '${cap(f)}', width: ${40 + Math.floor(r() * 200)} }`).join(', ')}] as const

export function ${W}List({ items, filter, onSelect, pageSize = ${10 + Math.floor(r() * 40)} }: ${W}ListProps) {
  const [page, setPage] = useState(0)
  const [sortKey, setSortKey] = useState<keyof ${W}>('id')
  const visible = useMemo(() => {
    const filtered = filter ? items.filter((item) => Object.entries(filter).every(([k, v]) => (item as any)[k] === v)) : items
    return sortBy(filtered, sortKey).slice(page * pageSize, (page + 1) * pageSize)
  }, [items, filter, sortKey, page, pageSize])
  const next = useCallback(() => setPage((p) => p + 1), [])
  const prev = useCallback(() => setPage((p) => Math.max(0, p - 1)), [])
  return (
    <section className="${w}-list">
      <table>
        <thead>
          <tr>{columns.map((c) => <th key={c.key} style={{ width: c.width }} onClick={() => setSortKey(c.key as keyof ${W})}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {visible.map((item) => (
            <tr key={item.id} onClick={() => onSelect?.(item)}>
              {columns.map((c) => <td key={c.key}>{format${W}(item, c.key)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <footer>
        <Button disabled={page === 0} onClick={prev}>Previous</Button>
        <span>{\`Page \${page + 1}\`}</span>
        <Button disabled={visible.length < pageSize} onClick={next}>Next</Button>
      </footer>
    </section>
  )
}

export default ${W}List
`
}

function util(r, i) {
  const w = words[i % words.length]
  const W = cap(w)
  return `import type { ${W} } from '../types/${w}'

export const ${w.toUpperCase()}_LIMIT = ${Math.floor(r() * 1000)}
const cache = new Map<string, ${W}>()

export function format${W}(item: ${W}, key: string): string {
  const value = (item as Record<string, unknown>)[key]
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'number') return value.toFixed(${Math.floor(r() * 3)})
  return String(value ?? '')
}

export function sortBy<T>(list: T[], key: keyof T): T[] {
  return [...list].sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0))
}

export async function fetch${W}(id: string, signal?: AbortSignal): Promise<${W}> {
  const hit = cache.get(id)
  if (hit) return hit
  const res = await fetch(\`/api/${w}s/\${encodeURIComponent(id)}\`, { signal, headers: { accept: 'application/json' } })
  if (!res.ok) throw new Error(\`${w} \${id}: \${res.status}\`)
  const data = (await res.json()) as ${W}
  cache.set(id, data)
  return data
}

export class ${W}Store {
  private items = new Map<string, ${W}>()
  private listeners = new Set<() => void>()
  constructor(private readonly limit = ${w.toUpperCase()}_LIMIT) {}
  subscribe(fn: () => void) { this.listeners.add(fn); return () => this.listeners.delete(fn) }
  upsert(item: ${W}) {
    if (this.items.size >= this.limit) this.items.delete(this.items.keys().next().value!)
    this.items.set(item.id, item)
    for (const fn of this.listeners) fn()
  }
  get(id: string) { return this.items.get(id) }
  get size() { return this.items.size }
}

export type ${W}Action = { type: 'add'; item: ${W} } | { type: 'remove'; id: string } | { type: 'clear' }

export function ${w}Reducer(state: ${W}[], action: ${W}Action): ${W}[] {
  switch (action.type) {
    case 'add': return [...state, action.item]
    case 'remove': return state.filter((x) => x.id !== action.id)
    case 'clear': return []
    default: return state
  }
}
`
}

function types(r, i) {
  const w = words[i % words.length]
  const W = cap(w)
  return `export interface ${W} {
  id: string
  createdAt: Date
  updatedAt?: Date
${words.slice(3, 6 + Math.floor(r() * 6)).map((f) => `  ${f}: ${r() < 0.5 ? 'string' : 'number'}`).join('\n')}
}

export type ${W}Filter = Partial<Pick<${W}, 'id'>> & { query?: string }
export enum ${W}Status { Draft = 'draft', Active = 'active', Archived = 'archived' }
export const default${W}: Readonly<Partial<${W}>> = Object.freeze({ id: '' })
`
}

function fileLevelActions(r, i) {
  const w = words[i % words.length]
  const W = cap(w)
  const n = 3 + Math.floor(r() * 4)
  const fns = Array.from({ length: n }, (_, k) => `
export async function ${['create', 'update', 'remove', 'archive', 'restore', 'publish', 'rename'][k]}${W}(input: { id?: string; name?: string }, form?: FormData) {
  const session = await getSession()
  if (!session) throw new Error('unauthorized')
  const data = { ...input, by: session.user, at: Date.now(), note: form?.get('note') ?? null }
  await db.${w}.${['insert', 'update', 'delete', 'update', 'update', 'update', 'update'][k]}(data)
  revalidate('/${w}s')
  return { ok: true, id: data.id ?? crypto.randomUUID() }
}
`).join('')
  return `'use server'
import { db } from '../db'
import { getSession } from '../auth'
import { revalidate } from '../cache'
${fns}
export const list${W}s = async (limit = 20) => db.${w}.findMany({ take: limit })
`
}

function inlineActions(r, i) {
  const w = words[i % words.length]
  const W = cap(w)
  const n = 2 + Math.floor(r() * 3)
  const actions = Array.from({ length: n }, (_, k) => `
  async function action${k}(formData: FormData) {
    'use server'
    const value = formData.get('${w}${k}')
    await db.${w}.update({ id, value, by: user.id, version: ${k}, limit: LIMIT })
    return format(value, label)
  }`).join('\n')
  return `import { db } from '../db'
import { format } from '../utils/format'
import { Form } from '../ui/Form'

const LIMIT = ${10 + Math.floor(r() * 90)}

export default async function ${W}Page({ params, user }: { params: { id: string }; user: { id: string } }) {
  const id = params.id
  const label = \`${w} \${id}\`
  const record = await db.${w}.find(id)
${actions}
  const remove = async () => {
    'use server'
    await db.${w}.delete(id)
  }
  return (
    <main>
      <h1>{label}</h1>
      <pre>{JSON.stringify(record)}</pre>
${Array.from({ length: n }, (_, k) => `      <Form action={action${k}} name="${w}${k}" />`).join('\n')}
      <form action={remove}><button>Delete</button></form>
    </main>
  )
}
`
}

/** Generated files: { name, code, kind }. */
export function appCorpus(count = 300) {
  const r = rng(1)
  const files = []
  for (let i = 0; i < count; i++) {
    const pick = i % 3
    if (pick === 0) files.push({ name: `src/components/C${i}.tsx`, code: component(r, i) })
    else if (pick === 1) files.push({ name: `src/utils/u${i}.ts`, code: util(r, i) })
    else files.push({ name: `src/types/t${i}.ts`, code: types(r, i) })
  }
  return files
}

export function actionsCorpus(count = 120) {
  const r = rng(2)
  const files = []
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) files.push({ name: `src/actions/a${i}.ts`, code: fileLevelActions(r, i), kind: 'file' })
    else files.push({ name: `src/app/p${i}/page.tsx`, code: inlineActions(r, i), kind: 'inline' })
  }
  return files
}

/** Real sources from node_modules, chosen by sorted path, up to `budget` bytes per source. */
export function packagesCorpus(root) {
  const nm = path.join(root, 'node_modules')
  const sources = [
    { dir: 'react/cjs', test: /\.js$/, budget: 120_000 },
    { dir: 'react-dom/cjs', test: /\.js$/, budget: 60_000, maxFile: 40_000 },
    { dir: 'typescript/lib', test: /^lib\.es20.*\.d\.ts$/, budget: 120_000 },
    { dir: '@babel/traverse/lib', test: /\.js$/, budget: 150_000, recursive: true },
  ]
  const files = []
  for (const { dir, test, budget, maxFile = 60_000, recursive } of sources) {
    let used = 0
    for (const file of listFiles(path.join(nm, dir), recursive).filter((f) => test.test(path.basename(f)))) {
      const code = fs.readFileSync(file, 'utf8')
      if (code.length > maxFile) continue
      if (used + code.length > budget) break
      used += code.length
      files.push({ name: path.relative(root, file), code })
    }
  }
  return files
}

function listFiles(dir, recursive) {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) { if (recursive) out.push(...listFiles(full, true)) } else out.push(full)
  }
  return out
}
