import { VirtunedError, defaultParseLimits } from '@virtuned/xml-core'
import { maxPolicyBytes } from '@virtuned/policies'
import { writeFileAtomic, type WriteOptions } from './files.ts'

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
   * libvirt's RelaxNG check of a document (`root` names the schema: `domain` → domain.rng).
   * `undefined` when the schema directory has no such schema; else the problems (empty: valid).
   */
  readonly relaxng: (document: Uint8Array, schemaDir: string, root: string) => Promise<{ line: number; message: string }[] | undefined>
  /** stderr is a terminal: bulk runs draw a progress bar there. */
  readonly isTerminal?: boolean
}

export async function nodeIo(): Promise<CliIo> {
  const { open, access } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { execFile } = await import('node:child_process')
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
      const schema = join(schemaDir, `${root}.rng`)
      try { await access(schema) } catch { return undefined }
      // xmllint reads the document from stdin; arguments are passed as a list, never through a shell.
      return await new Promise((resolve, reject) => {
        const child = execFile('xmllint', ['--noout', '--relaxng', schema, '-'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
          if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') { reject(new VirtunedError('cli-xmllint-missing', 'xmllint not found', { note: 'Install it (Debian: libxml2-utils), or pass --no-schema.' })); return }
          const problems: { line: number; message: string }[] = []
          for (const line of stderr.split('\n')) {
            const m = /^-:(\d+): (.*)$/.exec(line)
            if (m) problems.push({ line: Number(m[1]), message: m[2]! })
          }
          if (error && problems.length === 0) problems.push({ line: 0, message: stderr.trim() || String(error) })
          resolve(problems)
        })
        // xmllint may exit before reading all of stdin (libxml2 stops at a text node over 10 MB):
        // the write then fails with EPIPE, and its stderr, reported above, says why.
        child.stdin!.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(new VirtunedError('cli-xmllint-failed', `Cannot pass the document to xmllint: ${error.message}`, { cause: error, note: 'Run again with --no-schema to check well-formedness only.' }))
        })
        child.stdin!.end(Buffer.from(document))
      })
    },
  }
}
