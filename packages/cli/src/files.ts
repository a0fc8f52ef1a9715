// Reading and writing the user's files: strict UTF-8, and atomic writes that keep the file's mode
// and owner (devices and FIFOs are written into, as shell redirection does). Shared by the main
// thread (single files) and the bulk workers.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
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
   * `false`: refuse a target that is a symbolic link or anything but a regular file (bulk runs
   * resolved every link when they walked the tree and kept regular files only; a link there now
   * was put there since, and could point out of the tree).
   */
  readonly followLinks?: boolean | undefined
}

const isErrno = (error: unknown, ...codes: string[]): boolean => error instanceof Error && 'code' in error && codes.includes(String(error.code))
const errno = (code: string, message: string): Error => Object.assign(new Error(`${code}: ${message}`), { code })

/** Symbolic links followed to find a dangling link's target, as the kernel's own limit (Linux: 40). */
const maxLinks = 40

/** Where a write goes: a new file, an existing regular file (by its real path), or something else that takes writes. */
type Target =
  | { readonly kind: 'new'; readonly path: string }
  | { readonly kind: 'regular'; readonly path: string; readonly mode: number; readonly uid: number; readonly gid: number }
  | { readonly kind: 'special'; readonly path: string }

/**
 * What `path` names once symbolic links are followed. `stat` follows them (and the kernel's
 * `/proc/self/fd/N` links, which `realpath` cannot name: `pipe:[…]`); when it finds nothing, the
 * links are followed one by one, so that a dangling link names the file to create through it,
 * never the link itself. Throws the errno error (`EISDIR` for a directory).
 */
async function resolveTarget(path: string, followLinks: boolean): Promise<Target> {
  if (!followLinks && (await lstat(path)).isSymbolicLink()) throw errno('ELOOP', `became a symbolic link since the walk, '${path}'`)
  let current = path
  for (let links = 0; links <= maxLinks; links++) {
    const found = await stat(current).catch((error: unknown) => { if (isErrno(error, 'ENOENT')) return undefined; throw error })
    if (found?.isDirectory()) throw errno('EISDIR', `illegal operation on a directory, open '${path}'`)
    if (found?.isFile()) return { kind: 'regular', path: await realpath(current), mode: found.mode & 0o7777, uid: found.uid, gid: found.gid }
    if (found) {
      // A bulk run walked regular files only: something else there now was put there since.
      if (!followLinks) throw errno('EEXIST', `not a regular file any more, '${path}'`)
      return { kind: 'special', path: current }
    }
    const link = await lstat(current).catch((error: unknown) => { if (isErrno(error, 'ENOENT')) return undefined; throw error })
    if (!link) return { kind: 'new', path: current }
    // Created between the two calls: look again. Otherwise a dangling link: on to what it names,
    // relative to the link's real directory (as the kernel resolves `..` in it).
    if (link.isSymbolicLink()) current = resolve(await realpath(dirname(current)), await readlink(current))
  }
  throw errno('ELOOP', `too many symbolic links, '${path}'`)
}

/**
 * Writes `content` into a character device, FIFO or the like as shell redirection does: opened
 * for writing as it is (no temporary file, no rename, no truncation, which such files ignore),
 * never as the controlling terminal. Opening a FIFO waits for its reader, as `>` does.
 */
async function writeInto(path: string, content: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | (constants.O_NOCTTY ?? 0))
  try {
    // Replaced by a regular file since it was looked at: writing it in place would leave stale
    // bytes past the end; nothing was written yet.
    if ((await handle.stat()).isFile()) throw new Error('it became a regular file while it was being opened; run again')
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
}

/**
 * Writes `content` to `path` as shell redirection would, but atomically for files. Symbolic links
 * are followed: their target is written, and a dangling link's target is created through it (the
 * link stays). A regular file (or a new one) is written atomically: a temporary file in the same
 * directory as the real target, renamed over it, so readers and a killed run see the old file or
 * the new one, never half. The temporary file is created with the target's mode (never more open
 * than the original, even for a moment), then given exactly that mode and — when running as root —
 * the target's owner. Anything else that exists (a character device, a FIFO, `/dev/stdout` on a
 * pipe) is opened and written directly: renaming over it would replace the device or pipe with a
 * regular file. A directory is refused. On failure the temporary file is removed and a
 * {@link WriteError} names `path`.
 */
export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<void> {
  let target: Target
  try {
    target = await resolveTarget(path, options.followLinks !== false)
  } catch (error) {
    throw new WriteError(path, error)
  }
  if (target.kind === 'special') {
    try {
      await writeInto(target.path, content)
    } catch (error) {
      throw new WriteError(path, error, 'Nothing was renamed or replaced; what was written before the error may have reached the device or reader.')
    }
    return
  }
  let mode = target.kind === 'regular' ? target.mode : undefined
  if (target.kind === 'new' && options.modeFrom !== undefined) {
    try { mode = (await stat(options.modeFrom)).mode & 0o7777 } catch { /* the input went away: default mode */ }
  }
  // Only for the path as given: a dangling link's target is created through it only where its
  // directory exists, as the shell's `>` does.
  if (options.parents && target.kind === 'new' && target.path === path) {
    try { await mkdir(dirname(path), { recursive: true }) } catch (error) { throw new WriteError(path, error) }
  }
  const temp = join(dirname(target.path), `.${basename(target.path)}.${randomBytes(6).toString('hex')}.tmp`)
  let created = false
  try {
    // O_CREAT|O_EXCL with the final mode: the umask can only remove bits, never add them.
    const handle = await open(temp, 'wx', mode ?? 0o666)
    created = true
    try {
      if (target.kind === 'regular' && process.getuid?.() === 0 && (target.uid !== 0 || target.gid !== 0)) await handle.chown(target.uid, target.gid)
      if (mode !== undefined) await handle.chmod(mode)
      await handle.writeFile(content)
    } finally {
      await handle.close()
    }
    await rename(temp, target.path)
  } catch (error) {
    if (created) await rm(temp, { force: true }).catch(() => undefined)
    throw new WriteError(path, error)
  }
}
