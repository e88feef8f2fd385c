// Babel's helpers ship no types; this describes the part of them the plugin uses.
declare module '@babel/helper-plugin-utils' {
  import type { ConfigAPI, PluginObj, PluginPass, parseSync, types } from '@babel/core'
  export function declare<O>(
    builder: (api: ConfigAPI & { types: typeof types; parseSync: typeof parseSync; assertVersion(range: string | number): void }, options: O, dirname: string) => PluginObj<PluginPass>,
  ): (api: object, options: O, dirname: string) => PluginObj<PluginPass>
}
declare module '@babel/helper-module-imports' {
  import type { NodePath, types } from '@babel/core'
  export function addNamed(path: NodePath, name: string, source: string, options?: { nameHint?: string }): types.Identifier
}
declare module '@babel/helper-validator-option' {
  export class OptionValidator {
    constructor(descriptor: string)
    /** Throws `Error("<descriptor>: 'x' is not a valid top-level option.\n- Did you mean 'y'?")` for an unknown name. */
    validateTopLevelOptions(options: object, shape: Record<string, unknown>): void
  }
}
