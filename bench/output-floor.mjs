// Two things both tables of `npm run bench` share.
//
// The output floor: what the presets alone cost on our plugin's output. Whatever a plugin does in its visitor, Babel
// then runs the presets over the AST the plugin leaves and prints it; a plugin that produced the same output in no
// time at all would still cost that. So "output floor / floor" is the lowest ratio any implementation of this output
// can reach, and "ours / output floor" what our visitor (and the garbage it leaves) adds on top. It is measured as
//   presets over the output's code − parsing the output + parsing the input
// (a real build parses the input, never our output), all in the same interleaved rounds as the other variants.
//
// Settling the heap: with --expose-gc (as `npm run bench` runs), a young-generation collection runs, untimed, before
// each timed transform, so one variant's short-lived garbage is not collected during the next one's time: on the
// inline files it halved the spread of a file's times over rounds. (A full collection instead made every transform
// about ten times slower: V8 then drops what it had learnt about the code.) Old-generation collections still land
// where they fall, and count.

/** Collects the young generation's garbage, when the process runs with --expose-gc; else nothing. */
export const settle = typeof globalThis.gc === 'function' ? () => globalThis.gc({ type: 'minor' }) : () => {}

/**
 * The variants that measure the output floor, for an interleaved run: variant name → (file) => void, where a file
 * is { code, filename }. `options` are the run's Babel options for the floor (presets, root, …); `ours` our plugin
 * entry ([plugin, options]), whose output for a file (TypeScript and JSX kept, parsed with `syntaxPlugins` of its
 * name) is made once, untimed, the first time the file is seen.
 */
export function outputFloorVariants({ babel, options, ours, syntaxPlugins }) {
  const base = { ...options, babelrc: false, configFile: false, sourceType: 'module', ast: false, sourceMaps: false }
  const outputs = new Map()
  const outputOf = (file) => {
    if (!outputs.has(file.code)) {
      outputs.set(file.code, babel.transformSync(file.code, { babelrc: false, configFile: false, sourceType: 'module',
        filename: file.filename, root: options.root, plugins: [ours], parserOpts: { plugins: syntaxPlugins(file.filename) } }).code)
    }
    return outputs.get(file.code)
  }
  return {
    'output': (file) => babel.transformSync(outputOf(file), { ...base, filename: file.filename }),
    'parse output': (file) => babel.parseSync(outputOf(file), { ...base, filename: file.filename }),
    'parse input': (file) => babel.parseSync(file.code, { ...base, filename: file.filename }),
  }
}

/** The output floor in µs, from the same statistic (median, mean) of those variants' times (see above). */
export const outputFloor = (us) => us.output - us['parse output'] + us['parse input']
