import { VirtunedError } from '@virtuned/xml-core'

/**
 * Every error code this package can throw, with what to do about it. Codes are stable: tools and
 * tests match on them, never on messages. A document that fails the schema is not an error: it is
 * a result (`{ valid: false, errors }`).
 */
export const schemaErrorCatalog = {
  'schema-set-invalid': 'The schema files given in `schemas` do not form a RelaxNG grammar libxml2 accepts (a file missing from the set, or not RelaxNG). Pass every file the start file includes, by the name it is included with.',
  'schema-dir-unreadable': 'The schema folder cannot be read or holds no .rng file. Check the path (libvirt installs its schemas in /usr/share/libvirt/schemas), or use the schemas shipped with virtuned.',
  'schema-start-missing': 'The schema set has no file by the `start` name. Pass it in `schemas`, or name the start file with `start`.',
  'schema-input-too-large': 'The document exceeds `maxBytes`. Raise `maxBytes` if the input is trusted.',
  'schema-engine-failed': 'libxml2 (WebAssembly) stopped unexpectedly: a bug or an exhausted memory limit. Report it with the document.',
} as const

export type SchemaErrorCode = keyof typeof schemaErrorCatalog

/** Bad schema files, an input over the limit, or a failure of the WebAssembly engine. */
export class SchemaError extends VirtunedError {
  override readonly code: SchemaErrorCode

  constructor(code: SchemaErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { note: schemaErrorCatalog[code], cause: options.cause })
    this.name = 'SchemaError'
    this.code = code
  }
}
