import { VirtunedError } from '@virtuned/xml-core'

/** A command line the CLI cannot run: unknown command or option, missing argument. */
export class UsageError extends VirtunedError {
  constructor(message: string, note = 'Run `virtuned --help` for the commands and options.') {
    super('cli-usage', message, { note })
    this.name = 'UsageError'
  }
}

/** A file that cannot be read. */
export class InputError extends VirtunedError {
  readonly file: string
  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error && 'code' in cause && cause.code === 'ENOENT' ? 'no such file' : cause instanceof Error ? cause.message : String(cause)
    super('cli-unreadable-input', `Cannot read ${file}: ${reason}`, { cause, note: 'Check the path and its permissions.' })
    this.name = 'InputError'
    this.file = file
  }
}

/** A file (or standard input) larger than what the CLI reads for that kind of input: refused before it is read whole. */
export class InputTooLargeError extends VirtunedError {
  readonly file: string
  readonly limit: number
  constructor(file: string, limit: number, what: string) {
    super('cli-input-too-large', `${file}: larger than the limit of ${limit} bytes for ${what}`, { note: `virtuned read no more than ${limit} bytes of it; check it is the file you meant (limits: README, "Limits").` })
    this.name = 'InputTooLargeError'
    this.file = file
    this.limit = limit
  }
}

/** What an errno means, in words, for one-line messages. */
const errnoWords: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'a file of that name is in the way',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ELOOP: 'a symbolic link where a file was expected',
  EXDEV: 'the temporary file and the target are on different file systems',
  ENXIO: 'nothing there takes writes (a socket, or a device that is not present)',
  EPIPE: 'the reader closed its end',
}

/** A file that cannot be written (output, in-place rewrite): the user's path or disk, not a bug. */
export class WriteError extends VirtunedError {
  readonly file: string
  /** The errno code (`EACCES`, `EISDIR`, `ENOSPC`, …), when there is one. */
  readonly errno: string | undefined
  /** `note`: what the user should know instead of the default (the file there was not changed). */
  constructor(file: string, cause: unknown, note = 'Check that the directory exists and is writable and that the disk has space; the file there was not changed.') {
    const errno = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined
    const reason = errno && errnoWords[errno] ? `${errnoWords[errno]} (${errno})` : cause instanceof Error ? cause.message : String(cause)
    super('cli-unwritable-output', `Cannot write ${file}: ${reason}`, { cause, note })
    this.name = 'WriteError'
    this.file = file
    this.errno = errno
  }
}

/** A file whose bytes are not UTF-8 (a Latin-1 `café`): refused, never rewritten with U+FFFD. */
export class InvalidUtf8Error extends VirtunedError {
  readonly file: string
  constructor(file: string, byte: number, place: { line: number; column: number; offset: number }) {
    super('xml-invalid-utf8', `Invalid UTF-8 byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${place.offset}`, { place, note: 'Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`); virtuned changed nothing.' })
    this.name = 'InvalidUtf8Error'
    this.file = file
  }
}

/** Two inputs of a bulk run that would be written to the same output file. */
export class OutputCollisionError extends VirtunedError {
  readonly file: string
  constructor(file: string, first: string, second: string) {
    super('cli-output-collision', `Unexpected two inputs for ${file}: ${first} and ${second}`, { note: 'Give inputs under one directory (their layout below it is kept under --output-dir), or run them separately.' })
    this.name = 'OutputCollisionError'
    this.file = file
  }
}

/**
 * `tail` (the code) after a message: at its end, but for a message that ends in a pointer under a line of text —
 * libvirt's for malformed XML: libxml2's message, the text's line, `----^` — after its first line, so that the text and
 * the pointer stay as they are, at the start of their lines.
 */
export function afterFirstLine(message: string, tail: string): string {
  const end = message.indexOf('\n')
  if (end === -1 || !/\n[-\t]*\^$/.test(message)) return message + tail
  return message.slice(0, end) + tail + message.slice(end)
}

/**
 * One line for any error (and, for a message of several lines, its other lines below): `file:line:column: message [code]` (as compilers print),
 * then the note on how to fix it.
 */
export function formatError(file: string, error: unknown): string {
  if (error instanceof VirtunedError) {
    const where = error.place ? `${file}:${error.place.line}:${error.place.column}` : file
    const path = 'path' in error && typeof error.path === 'string' && error.path ? ` (at ${error.path})` : ''
    // Some packages' messages already start with the place (`p.yaml:6:4: …`) or the file: say it once.
    const message = error.message.startsWith(`${where}: `) ? error.message.slice(where.length + 2) : error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message
    return printable(`${where}: ${afterFirstLine(message, `${path} [${error.code}]`)}` + (error.note ? `\n  hint: ${error.note}` : ''))
  }
  return printable(`${file}: ${error instanceof Error ? error.message : String(error)} [internal]`)
}

/**
 * Text safe for a terminal: ANSI escape sequences (CSI, OSC and the short ones such as `ESC c`) and control characters other
 * than newline and tab removed. libvirt's messages (and values quoted from the input) are printed as
 * they came, and an escape could recolour, hide or rewrite what the user reads.
 */
export function printable(text: string): string {
  return text.replace(/\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
}

/**
 * `read()` for what `file` holds: an error of virtuned's it throws names the file (main prints `file:line:column`,
 * not `virtuned:…`: `--qemucaps caps.xml:1:1: …`).
 */
export function aboutFile<T>(file: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof VirtunedError && !('file' in error)) Object.defineProperty(error, 'file', { value: file === '-' ? '<stdin>' : file, enumerable: true })
    throw error
  }
}
