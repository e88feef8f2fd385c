// What the Vite tests share: dependencies left to Node, and a Vite build with a client and an rsc environment.
import { createBuilder, type Plugin } from 'vite'

export const external = [/^babel-plugin-use-server/, /^react/]

/** Builds `src/client-entry.tsx` for the client and `src/server-entry.ts` for rsc, as libraries in `dist/`. */
export async function buildClientAndRsc(project: string, plugin: Plugin): Promise<void> {
  const lib = (entry: string) => ({ lib: { entry, formats: ['es' as const], fileName: 'index' }, minify: false, rollupOptions: { external } })
  const builder = await createBuilder({
    root: project,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    environments: {
      client: { build: { outDir: 'dist/client', ...lib('src/client-entry.tsx') } },
      rsc: { consumer: 'server', build: { outDir: 'dist/rsc', ...lib('src/server-entry.ts') } },
    },
    builder: {},
  })
  await builder.buildApp()
}
