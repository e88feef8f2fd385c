// Which Babel parser plugins a file needs, by its extension. The import stubs' reader and the integrations parse
// or run Babel with this plugin alone (no user config), so TypeScript and JSX are parsed and printed back, never
// transformed.

/** `.ts`/`.mts`/`.cts` → `['typescript']`; `.tsx` → `['typescript', 'jsx']`; anything else → `['jsx']`. */
export function syntaxPlugins(file: string): ('typescript' | 'jsx')[] {
  if (/\.[cm]?ts$/.test(file)) return ['typescript']
  if (/\.[cm]?tsx$/.test(file)) return ['typescript', 'jsx']
  return ['jsx']
}
