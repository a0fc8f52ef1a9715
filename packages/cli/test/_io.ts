// The CLI's I/O in memory for in-process tests: stdout and stderr captured, writes recorded, files
// from the given map (then, unless `readDisk: false`, from disk), libvirt's real schema check.
import { readFileSync } from 'node:fs'
import type { CliIo } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'

const real = await nodeIo()

export interface MemoryIo extends CliIo {
  out: string
  err: string
  /** Every file written, by path. */
  readonly written: Record<string, string>
}

export function memoryIo(files: Record<string, string | Uint8Array> = {}, options: { stdin?: string; readDisk?: boolean; terminal?: boolean } = {}): MemoryIo {
  const io: MemoryIo = {
    out: '',
    err: '',
    written: {},
    isTerminal: options.terminal ?? false,
    writeFileAtomic: async (path, content) => { io.written[path] = content },
    relaxng: real.relaxng,
    stdout: (text) => { io.out += text },
    stderr: (text) => { io.err += text },
    readFile: async (path) => {
      const content = Object.hasOwn(files, path) ? files[path] : undefined
      if (content !== undefined) return typeof content === 'string' ? new TextEncoder().encode(content) : content
      if (options.readDisk === false) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return new Uint8Array(readFileSync(path))
    },
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ''),
  }
  return io
}
