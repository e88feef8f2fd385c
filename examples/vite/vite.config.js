import useServer from 'babel-plugin-use-server/vite'

// `vite build` builds both environments; `vite` (the dev server) serves them. The ssr environment is the server:
// its entry imports 'babel-plugin-use-server/references', which brings in every 'use server' module of src/.
export default {
  plugins: [useServer({ scan: ['src'] })],
  environments: {
    client: { build: { outDir: 'dist/client' } },
    ssr: {
      // React's Flight server (react-server-dom-webpack/server) needs the react-server condition: in the dev server's
      // module runner too (the built server runs with `node --conditions=react-server`).
      resolve: { externalConditions: ['react-server', 'node'] },
      build: { outDir: 'dist/server', rollupOptions: { input: 'src/server.js' } },
    },
  },
  builder: {},
}
