import type { Point } from './tree.ts'

/**
 * Every error code xml-core can throw, with what to do about it. Codes are stable:
 * tools and tests match on them, never on messages.
 */
export const xmlErrorCatalog = {
  'xml-invalid-utf8': 'The input is not valid UTF-8. Save the file as UTF-8.',
  'xml-invalid-character': 'XML 1.0 forbids this character. Remove it or write it as a character reference if it is allowed.',
  'xml-unexpected-character': 'Fix the markup at this place.',
  'xml-unexpected-eof': 'The document ends too early: close every open element, comment, CDATA section or tag.',
  'xml-mismatched-tag': 'Close elements in the reverse order they were opened.',
  'xml-duplicate-attribute': 'Write each attribute once per element.',
  'xml-undefined-entity': 'Only &lt; &gt; &amp; &apos; &quot; and numeric character references are allowed: virtuned reads no DTD.',
  'xml-doctype-refused': 'Remove the <!DOCTYPE …>: libvirt XML needs none, and virtuned never expands entities.',
  'xml-no-root': 'The document has no root element.',
  'xml-content-after-root': 'Only comments, processing instructions and whitespace may follow the root element.',
  'xml-not-text': 'Give the XML as a string or its UTF-8 bytes (a Uint8Array, a Buffer): read the file first, or serialize the tree with toXml().',
  'xml-too-large': 'The input exceeds the size limit. Raise `maxBytes` if the input is trusted.',
  'xml-too-deep': 'Elements are nested deeper than the limit. Raise `maxDepth` if the input is trusted.',
  'xml-misplaced-declaration': 'The XML declaration may only appear at the very start of the document.',
} as const

export type XmlErrorCode = keyof typeof xmlErrorCatalog

export interface VirtunedErrorOptions {
  readonly place?: Point | undefined
  readonly note?: string | undefined
  readonly cause?: unknown
}

/**
 * Base class of every error a virtuned package throws: a stable `code`, the
 * `place` in the input where it applies (when there is one) and a `note`
 * saying how to fix it.
 */
export class VirtunedError extends Error {
  readonly code: string
  readonly place: Point | undefined
  readonly note: string | undefined

  constructor(code: string, message: string, options: VirtunedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'VirtunedError'
    this.code = code
    this.place = options.place
    this.note = options.note
  }
}

/** Malformed XML, or XML virtuned refuses to read (DOCTYPE, size or depth over a limit). */
export class XmlSyntaxError extends VirtunedError {
  override readonly code: XmlErrorCode
  /** The source line the error is on, for display. */
  readonly snippet: string

  constructor(code: XmlErrorCode, message: string, place: Point, snippet: string) {
    super(code, message, { place, note: xmlErrorCatalog[code] })
    this.name = 'XmlSyntaxError'
    this.code = code
    this.snippet = snippet
  }
}

/** Every code a patch or merge can fail with. */
export const changeErrorCatalog = {
  'patch-invalid': 'The patch is not in the virtuned-patch/1 format (see PATCH-FORMAT.md); regenerate it with diff().',
  'patch-target-missing': 'The patch names a node this document does not have: it was made for another document, or the device was removed.',
  'patch-invalid-name': 'An attribute name in the patch is not an XML name (letters, digits, `-`, `.`, `_`, at most one `:` prefix): fix the patch; virtuned never writes such a name.',
  'patch-invalid-value': 'A value in the patch holds a character XML 1.0 cannot carry (a control character other than tab, newline and carriage return, U+FFFE/U+FFFF, or a lone surrogate): remove it.',
  'patch-precondition-failed': 'The document changed since the patch was made: the old value the patch expects is not there. Diff again.',
  'merge-root-mismatch': 'A layer must have the same root element as the base document (e.g. both `<domain>`).',
} as const

export type ChangeErrorCode = keyof typeof changeErrorCatalog

/** A patch that cannot apply, or a merge whose layers do not fit the base. */
export class XmlChangeError extends VirtunedError {
  override readonly code: ChangeErrorCode
  /** Index of the failing operation, when there is one. */
  readonly index: number | undefined
  /** Identity path the failure is about. */
  readonly path: string | undefined

  constructor(code: ChangeErrorCode, message: string, options: { index?: number; path?: string; cause?: unknown }) {
    super(code, message, { note: changeErrorCatalog[code], cause: options.cause })
    this.name = 'XmlChangeError'
    this.code = code
    this.index = options.index
    this.path = options.path
  }
}

/** Misuse of the engine or a failure inside it (a WebAssembly trap, an exhausted memory). */
export class XmlEngineError extends VirtunedError {
  constructor(code: 'engine-trap' | 'engine-input-too-large' | 'engine-bad-option', message: string, options: VirtunedErrorOptions = {}) {
    super(code, message, options)
    this.name = 'XmlEngineError'
  }
}
