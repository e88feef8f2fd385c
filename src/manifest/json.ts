// JSON.stringify puts integer-like keys (an all-digit action ID) first whatever the insertion order; this writes records in plain sorted key order.

/** `record` as 2-space-indented JSON with keys in code-unit order, nested `level` deep in the surrounding text. */
export function stringifySorted(record: Readonly<Record<string, unknown>>, level = 0): string {
  const keys = Object.keys(record).sort()
  if (keys.length === 0) return '{}'
  const pad = '  '.repeat(level + 1)
  const members = keys.map((key) => `${pad}${JSON.stringify(key)}: ${JSON.stringify(record[key], null, 2).replace(/\n/g, `\n${pad}`)}`)
  return `{\n${members.join(',\n')}\n${'  '.repeat(level)}}`
}
