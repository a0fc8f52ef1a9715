// Reading and writing the user's files: strict UTF-8, and atomic writes that keep the file's mode
// and owner. Shared by the main thread (single files) and the bulk workers.
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { decodeUtf8, VirtunedError } from '@virtuned/xml-core'
import { InvalidUtf8Error, WriteError } from './errors.ts'

/**
 * The text of `bytes`, refusing anything that is not UTF-8 (with the byte's offset, line and
 * column) — never U+FFFD, which a rewrite would then save over the user's bytes.
 */
export function decodeFile(file: string, bytes: Uint8Array): string {
  try {
    return decodeUtf8(bytes)
  } catch (error) {
    if (error instanceof VirtunedError && error.code === 'xml-invalid-utf8' && error.place) throw new InvalidUtf8Error(file, bytes[error.place.offset] ?? 0, error.place)
    throw error
  }
}

export interface WriteOptions {
  /** A new file takes this file's mode (the input it was made from); an existing target keeps its own. */
  readonly modeFrom?: string | undefined
  /** Create the target's missing parent directories (bulk `--output-dir` layouts). */
  readonly parents?: boolean | undefined
  /**
   * `false`: refuse a target that is a symbolic link (bulk runs resolved every link when they
   * walked the tree; a link there now was put there since, and could point out of the tree).
   */
  readonly followLinks?: boolean | undefined
}

const isErrno = (error: unknown, ...codes: string[]): boolean => error instanceof Error && 'code' in error && codes.includes(String(error.code))

/**
 * Writes `content` to `path` atomically: a temporary file in the same directory, renamed over
 * the target, so readers and a killed run see the old file or the new one, never half. The
 * temporary file is created with the target's mode (never more open than the original, even for
 * a moment), then given exactly that mode and — when running as root — the target's owner. A
 * symbolic link is written through (its target is replaced). On failure the temporary file is
 * removed and a {@link WriteError} names `path`.
 */
export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<void> {
  let target = path
  let mode: number | undefined
  let owner: { uid: number; gid: number } | undefined
  try {
    if (options.followLinks === false && (await lstat(path)).isSymbolicLink()) throw Object.assign(new Error(`ELOOP: became a symbolic link since the walk, '${path}'`), { code: 'ELOOP' })
    const existing = await stat(path)
    if (existing.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR' })
    target = await realpath(path)
    mode = existing.mode & 0o7777
    owner = { uid: existing.uid, gid: existing.gid }
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw new WriteError(path, error)
    if (options.modeFrom !== undefined) {
      try { mode = (await stat(options.modeFrom)).mode & 0o7777 } catch { /* the input went away: default mode */ }
    }
  }
  if (options.parents) {
    try { await mkdir(dirname(target), { recursive: true }) } catch (error) { throw new WriteError(path, error) }
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  let created = false
  try {
    // O_CREAT|O_EXCL with the final mode: the umask can only remove bits, never add them.
    const handle = await open(temp, 'wx', mode ?? 0o666)
    created = true
    try {
      if (owner && process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0)) await handle.chown(owner.uid, owner.gid)
      if (mode !== undefined) await handle.chmod(mode)
      await handle.writeFile(content)
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (error) {
    if (created) await rm(temp, { force: true }).catch(() => undefined)
    throw new WriteError(path, error)
  }
}
