import { VirtunedError } from '@virtuned/xml-core'
import { writeFileAtomic, type WriteOptions } from './files.ts'

/** What the CLI touches outside itself, so tests can run it in memory. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly readFile: (path: string) => Promise<Uint8Array>
  readonly readStdin: () => Promise<Uint8Array>
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
  const { readFile, access } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { execFile } = await import('node:child_process')
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTerminal: process.stderr.isTTY === true,
    readFile: async (path) => new Uint8Array(await readFile(path)),
    readStdin: async () => {
      const chunks: Uint8Array[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array)
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
