// Replaces a file in one step (unique temp file + rename in the same directory), so neither a reader nor a crash ever sees a partial file.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`
  try {
    const fd = fs.openSync(temp, 'wx')
    try {
      fs.writeFileSync(fd, text)
      // On disk before the rename makes it visible: a power loss cannot leave an empty manifest behind.
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw error
  }
}
