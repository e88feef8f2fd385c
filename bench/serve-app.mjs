// A child process of `npm run bench:server`: serves examples/app/build like `npm run example --no-build`, but with
// `--unprotected` turns handleActionRequest's origin check and body limit off (what the protections cost is measured
// against that). Answers an IPC "stats" message with its memory in bytes: { rss, maxRss, sampled }: now, the peak of
// the process's life, and the highest RSS seen every 20 ms since the previous "stats" (which starts a new sample).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../examples/app/server.mjs'

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/app/build')
const unprotected = process.argv.includes('--unprotected')
const server = await startServer({ buildDir, actionOptions: unprotected ? { checkOrigin: false, maxBodyBytes: Infinity } : undefined })
console.log(`listening on ${server.url}/posts/1${unprotected ? ' (protections off)' : ''}`)

let sampled = 0
setInterval(() => { sampled = Math.max(sampled, process.memoryUsage.rss()) }, 20).unref()
process.on('message', (message) => {
  if (message !== 'stats') return
  const rss = process.memoryUsage.rss()
  process.send({ rss, maxRss: process.resourceUsage().maxRSS * 1024, sampled: Math.max(sampled, rss) })
  sampled = 0
})
process.once('SIGINT', async () => {
  await server.close()
  process.exit(0)
})
