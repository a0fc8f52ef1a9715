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

/**
 * One line for any error: `file:line:column: message [code]` (as compilers print),
 * then the note on how to fix it.
 */
export function formatError(file: string, error: unknown): string {
  if (error instanceof VirtunedError) {
    const where = error.place ? `${file}:${error.place.line}:${error.place.column}` : file
    const path = 'path' in error && typeof error.path === 'string' && error.path ? ` (at ${error.path})` : ''
    return `${where}: ${error.message}${path} [${error.code}]` + (error.note ? `\n  hint: ${error.note}` : '')
  }
  return `${file}: ${error instanceof Error ? error.message : String(error)} [internal]`
}
