import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Execution tests write server output to disk and `import()` it, so React's `react-server` export condition must
// be on in both resolvers: vite's, for modules vitest transforms itself (`ssr.resolve.conditions`; setting it
// replaces vite's defaults, hence they are repeated), and Node's, for externalized node_modules such as
// react-server-dom-webpack requiring `react` (`externalConditions`, and `execArgv` for the worker processes).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  ssr: {
    resolve: {
      conditions: ['react-server', 'module', 'node', 'development|production'],
      externalConditions: ['react-server', 'node', 'module-sync'],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '.cache/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    execArgv: ['--conditions=react-server'],
  },
})
