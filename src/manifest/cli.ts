#!/usr/bin/env node
// The `use-server-manifest` bin: hands argv and the standard streams to runCli and exits with its code.
import { runCli } from './run-cli.js'

// exitCode rather than exit(): lets a large manifest finish flushing to a pipe.
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
