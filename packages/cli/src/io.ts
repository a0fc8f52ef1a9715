import { defaultParseLimits } from '@virtuned/xml-core'
import { maxPolicyBytes } from '@virtuned/policies'
import { writeFileAtomic, type WriteOptions } from './files.ts'
import type { SchemaCheck } from './schema.ts'

/** What a file given to the CLI holds; each kind has its own size limit. */
export type InputKind = 'document' | 'spec' | 'policy'

/**
 * The most bytes the CLI reads of each kind of input (README, "Limits"): a domain or capabilities
 * document as much as the XML parser takes (16 MiB), a spec as much as the edge server's request body
 * (1 MiB), a policy file {@link maxPolicyBytes} (1 MiB).
 */
export const inputLimits: Readonly<Record<InputKind, { readonly bytes: number; readonly what: string }>> = {
  document: { bytes: defaultParseLimits.maxBytes, what: 'an XML document' },
  spec: { bytes: 1024 * 1024, what: 'a spec file' },
  policy: { bytes: maxPolicyBytes, what: 'a policy file' },
}

/** What the CLI touches outside itself, so tests can run it in memory. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** The file's bytes; with `maxBytes`, at most `maxBytes + 1` of them are read (more means "too large"). */
  readonly readFile: (path: string, maxBytes?: number) => Promise<Uint8Array>
  /** Standard input's bytes; with `maxBytes`, at most `maxBytes + 1` of them are read. */
  readonly readStdin: (maxBytes?: number) => Promise<Uint8Array>
  /**
   * Writes a temporary file beside `path` and renames it over `path`: never a half-written file.
   * An existing file keeps its mode (and owner, as root); a new one takes `modeFrom`'s mode.
   * Throws a `WriteError` (`cli-unwritable-output`) naming `path`.
   */
  readonly writeFileAtomic: (path: string, content: string, options?: WriteOptions) => Promise<void>
  /**
   * libvirt's RelaxNG check of a document (`root` names the schema: `domain` → domain.rng), by
   * libxml2 in WebAssembly: against `schemaDir` when given, else the host's libvirt schemas when
   * installed, else (for a domain) the set shipped with virtuned. `undefined` when no set has a
   * schema for `root` (a device alone); else which set answered and the problems (empty: valid).
   */
  readonly relaxng: (document: Uint8Array, schemaDir: string | undefined, root: string) => Promise<SchemaCheck | undefined>
  /** stderr is a terminal: bulk runs draw a progress bar there. */
  readonly isTerminal?: boolean
}

export async function nodeIo(): Promise<CliIo> {
  const { open } = await import('node:fs/promises')
  // `virtuned defaults os | head -1`: the reader went away, as with any Unix tool the rest of the output
  // has nowhere to go. End quietly (exit 0) instead of an unhandled EPIPE with a stack trace.
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0)
      throw error
    })
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTerminal: process.stderr.isTTY === true,
    readFile: async (path, maxBytes = Number.MAX_SAFE_INTEGER) => {
      // Read by chunks up to the limit (+1 to tell "too large"): a 50 MB file, /dev/zero or a FIFO
      // never fills memory before the caller refuses it.
      const handle = await open(path, 'r')
      try {
        const chunks: Uint8Array[] = []
        let total = 0
        for (;;) {
          const want = Math.min(1 << 20, maxBytes + 1 - total)
          if (want <= 0) break
          const { bytesRead, buffer } = await handle.read(new Uint8Array(want), 0, want, null)
          if (bytesRead === 0) break
          chunks.push(buffer.subarray(0, bytesRead))
          total += bytesRead
        }
        return new Uint8Array(Buffer.concat(chunks, total))
      } finally {
        await handle.close()
      }
    },
    readStdin: async (maxBytes = Number.MAX_SAFE_INTEGER) => {
      const chunks: Uint8Array[] = []
      let total = 0
      for await (const chunk of process.stdin) {
        chunks.push(chunk as Uint8Array)
        total += (chunk as Uint8Array).byteLength
        if (total > maxBytes) break
      }
      return new Uint8Array(Buffer.concat(chunks))
    },
    writeFileAtomic,
    relaxng: async (document, schemaDir, root) => {
      // Loaded on first use: commands that check no schema never load libxml2.
      const { checkSchema } = await import('./schema.ts')
      return checkSchema(document, root, schemaDir)
    },
  }
}
