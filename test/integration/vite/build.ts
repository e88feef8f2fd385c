// What the Vite tests share: dependencies left to Node, and a Vite build with a client and an rsc environment.
import { createBuilder, type Plugin, type UserConfig } from 'vite'
import { babel } from '../../support/babel'

export const external = [/^babel-plugin-use-server/, /^react/]

/** The Babel of this test run's leg (7 or 8), as the plugin's `babelCore` option. */
export const babelCore = { version: babel.version, transformAsync: (code: string, options: Record<string, unknown>) => babel.transformAsync(code, options) as any }

/** Builds `src/client-entry.tsx` for the client and `src/server-entry.ts` for rsc, as libraries in `dist/`. */
export async function buildClientAndRsc(project: string, plugin: Plugin): Promise<void> {
  const lib = (entry: string) => ({ lib: { entry, formats: ['es' as const], fileName: 'index' }, minify: false, rollupOptions: { external } })
  await buildEnvironments(project, plugin, {
    client: { build: { outDir: 'dist/client', ...lib('src/client-entry.tsx') } },
    rsc: { consumer: 'server', build: { outDir: 'dist/rsc', ...lib('src/server-entry.ts') } },
  })
}

/** `vite build` of the project's `environments` (in their order) with `plugin` alone, no config file, silently. */
export async function buildEnvironments(project: string, plugin: Plugin, environments: UserConfig['environments']): Promise<void> {
  const builder = await createBuilder({ root: project, configFile: false, logLevel: 'silent', plugins: [plugin], environments, builder: {} })
  await builder.buildApp()
}
