// A child process of `npm run bench:server`: serves examples/app/build like `npm run example --no-build`, but with
// `--unprotected` turns handleActionRequest's origin check and body limit off (what the protections cost is measured
// against that). Answers an IPC "stats" message with its memory: { rss, maxRss } in bytes (maxRss: the peak so far).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../examples/app/server.mjs'

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/app/build')
const unprotected = process.argv.includes('--unprotected')
const server = await startServer({ buildDir, actionOptions: unprotected ? { checkOrigin: false, maxBodyBytes: Infinity } : undefined })
console.log(`listening on ${server.url}/posts/1${unprotected ? ' (protections off)' : ''}`)

process.on('message', (message) => {
  if (message === 'stats') process.send({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 })
})
process.once('SIGINT', async () => {
  await server.close()
  process.exit(0)
})
