import { XmlSyntaxError, type XmlErrorCode } from './errors.ts'
import type { Cdata, Comment, Element, ElementContent, Instruction, Point, Position, Root, RootContent, Text } from './tree.ts'

/**
 * The XML grammar virtuned reads (XML 1.0 without a DTD). The WebAssembly twin in
 * `assembly/` implements exactly the same rules, and the differential tests hold
 * both to the same output and the same error code and byte offset:
 *
 * - input is UTF-8 (a leading BOM is skipped); every character must be an XML 1.0 `Char`;
 * - `\r\n` and a lone `\r` read as `\n`; in attribute values a literal tab or newline reads as a space;
 * - references: `&lt; &gt; &amp; &apos; &quot;`, `&#N;` and `&#xH;` (to a valid `Char`);
 *   any other well-formed `&name;` is `xml-undefined-entity`, anything else after `&` is
 *   `xml-unexpected-character`, both placed at the `&`;
 * - a `<!DOCTYPE` is refused (`xml-doctype-refused`): nothing is ever expanded or fetched;
 * - `<?xml …?>` only at the very start; names follow XML 1.0's `NameStartChar`/`NameChar`;
 * - errors are placed at the character where the rule breaks (a mismatched end tag at its `<`).
 */
export interface ParseOptions {
  /** Refuse inputs longer than this many UTF-8 bytes (default 16 MiB). */
  readonly maxBytes?: number
  /** Refuse elements nested deeper than this (default 512; libxml2 stops at 256 unless told otherwise). */
  readonly maxDepth?: number
  /** Record `position` on every node (default true). */
  readonly positions?: boolean
}

export const defaultParseLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 512 } as const

const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decode UTF-8 bytes, throwing `xml-invalid-utf8` at the first bad byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    const offset = firstInvalidUtf8(bytes)
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset))
    const place = withBom(bytes, locate(before, before.length))
    throw new XmlSyntaxError('xml-invalid-utf8', `Invalid UTF-8 byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')}`, place, lineAt(before, before.length))
  }
}

/**
 * A place counted in text decoded without its BOM (TextDecoder drops it), as a place in the bytes: the
 * BOM's 3 bytes come before the offset; it is not a column (a document's first element is at column 1).
 */
export function withBom(bytes: Uint8Array, place: Point): Point {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? { ...place, offset: place.offset + 3 } : place
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    let need = 0
    let min = 0
    if (b < 0x80) { i++; continue }
    else if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80 }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800 }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000 }
    else return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return i
}

/** Line, column (code points) and UTF-8 byte offset of string index `index`. */
export function locate(source: string, index: number, from?: { index: number; point: Point }): Point {
  let line = 1
  let column = 1
  let offset = 0
  let i = 0
  if (from && from.index <= index) {
    ;({ line, column, offset } = from.point)
    i = from.index
  }
  while (i < index) {
    const c = source.charCodeAt(i)
    if (c === 10) { line++; column = 1; offset++; i++; continue }
    if (c === 13) {
      // \r\n is one line break; so is a lone \r.
      line++; column = 1; offset++; i++
      if (i < index && source.charCodeAt(i) === 10) { offset++; i++ }
      continue
    }
    column++
    if (c < 0x80) offset += 1
    else if (c < 0x800) offset += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < source.length && (source.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { offset += 4; i++ }
    else offset += 3
    i++
  }
  return { line, column, offset }
}

/** The source line around string index `index`, for error snippets. */
export function lineAt(source: string, index: number): string {
  const start = Math.max(source.lastIndexOf('\n', index - 1), source.lastIndexOf('\r', index - 1)) + 1
  let end = source.length
  for (let i = index; i < source.length; i++) {
    const c = source.charCodeAt(i)
    if (c === 10 || c === 13) { end = i; break }
  }
  const line = source.slice(start, end)
  return line.length > 200 ? line.slice(Math.max(0, index - start - 80), index - start + 80) : line
}

export function isNameStartChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a ||
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff)
}

export function isNameChar(c: number): boolean {
  return isNameStartChar(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040)
}

/**
 * Whether `name` may name an element or attribute virtuned writes: an XML 1.0 `Name` with at
 * most one `:`, between a non-empty prefix and local part (a namespace `QName`). Anything else
 * (`a b`, `x='1'/><evil a`, `1x`, `a:b:c`) would write markup that is not what was meant.
 */
export function isXmlName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false
  let colon = -1
  let i = 0
  while (i < name.length) {
    const c = name.codePointAt(i)!
    if (c === 0x3a) {
      if (colon >= 0 || i === 0 || i === name.length - 1) return false
      colon = i
    } else if (i === 0 || i === colon + 1 ? !isNameStartChar(c) : !isNameChar(c)) return false
    i += c > 0xffff ? 2 : 1
  }
  return true
}

/** XML 1.0 `Char`. */
export function isXmlChar(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 9 || c === 10 || c === 13
}

const predefinedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' }

// ASCII name characters by code: 1 = may start a name, 2 = may only continue one. Names in
// libvirt XML are ASCII, so one table read per character decides; other code points take
// isNameStartChar/isNameChar.
const asciiName = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128)
  for (let c = 0; c < 128; c++) table[c] = isNameStartChar(c) ? 1 : isNameChar(c) ? 2 : 0
  return table
})()

/**
 * Parse an XML document (a string, or UTF-8 bytes) into a lossless tree.
 * Throws {@link XmlSyntaxError} with code, place (line, column, UTF-8 offset) and the offending line.
 */
/** Inputs of another type than the types say (from JavaScript): `xml-not-text`, naming what was given, not a TypeError from inside. */
export function assertText(input: unknown): asserts input is string | Uint8Array {
  if (typeof input === 'string' || input instanceof Uint8Array) return
  const given = input === null || input === undefined ? String(input) : Array.isArray(input) ? 'an array' : typeof input === 'object' ? 'an object' : `a ${typeof input}`
  throw new XmlSyntaxError('xml-not-text', `Unexpected input (${given}): expected XML text, a string or its bytes (a Uint8Array)`, { line: 1, column: 1, offset: 0 }, '')
}

export function parseXml(input: string | Uint8Array, options: ParseOptions = {}): Root {
  assertText(input)
  const maxBytes = options.maxBytes ?? defaultParseLimits.maxBytes
  const maxDepth = options.maxDepth ?? defaultParseLimits.maxDepth
  const withPositions = options.positions ?? true
  let source: string
  if (typeof input === 'string') {
    // A JS string is at least as many UTF-8 bytes as code units / 1 and at most 3×: only count when it could matter.
    if (input.length * 3 > maxBytes && new TextEncoder().encode(input).length > maxBytes) tooLarge(maxBytes)
    source = input
  } else {
    if (input.length > maxBytes) tooLarge(maxBytes)
    source = decodeUtf8(input)
  }
  return new Parser(source, maxDepth, withPositions).document()
}

function tooLarge(maxBytes: number): never {
  throw new XmlSyntaxError('xml-too-large', `Input is larger than the limit of ${maxBytes} bytes`, { line: 1, column: 1, offset: 0 }, '')
}

/**
 * One pass over the string with `charCodeAt`: values are sliced once, in one piece unless a
 * reference or a line break to normalise splits them; positions are counted only when asked for.
 */
class Parser {
  private i: number
  private readonly s: string
  private readonly n: number
  // The last place computed (index and its point): the next one is counted on from here.
  private atIndex = 0
  private atLine = 1
  private atColumn = 1
  private atOffset = 0
  // The start tag just read by startTag().
  private tagName = ''
  private tagAttributes: Record<string, string> = {}

  constructor(source: string, private readonly maxDepth: number, private readonly withPositions: boolean) {
    this.s = source
    this.n = source.length
    this.i = source.charCodeAt(0) === 0xfeff ? 1 : 0
    if (this.i === 1) { this.atIndex = 1; this.atOffset = 3 }
  }

  // ---- positions ---------------------------------------------------------

  /** The point of `index`, counted on from the last one (from the top if `index` is behind it). */
  private point(index: number): Point {
    const s = this.s
    let line = 1
    let column = 1
    let offset = 0
    let i = 0
    if (this.atIndex <= index) { line = this.atLine; column = this.atColumn; offset = this.atOffset; i = this.atIndex }
    // As locate() counts.
    while (i < index) {
      const c = s.charCodeAt(i)
      if (c < 0x80) {
        if (c === 10) { line++; column = 1; offset++; i++; continue }
        if (c === 13) {
          line++; column = 1; offset++; i++
          if (i < index && s.charCodeAt(i) === 10) { offset++; i++ }
          continue
        }
        column++; offset++; i++
        continue
      }
      column++
      if (c < 0x800) offset += 2
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { offset += 4; i++ }
      else offset += 3
      i++
    }
    if (index >= this.atIndex) { this.atIndex = index; this.atLine = line; this.atColumn = column; this.atOffset = offset }
    return { line, column, offset }
  }

  private fail(code: XmlErrorCode, message: string, index: number): never {
    const from = this.atIndex <= index ? { index: this.atIndex, point: { line: this.atLine, column: this.atColumn, offset: this.atOffset } } : undefined
    throw new XmlSyntaxError(code, message, locate(this.s, index, from), lineAt(this.s, index))
  }

  private describe(index: number): string {
    if (index >= this.n) return 'end of input'
    const c = this.s.codePointAt(index)!
    if (c < 0x20 || c === 0x7f) return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`
    return `\`${String.fromCodePoint(c)}\``
  }

  private unexpected(index: number, expected: string): never {
    if (index >= this.n) this.fail('xml-unexpected-eof', `Unexpected end of input, expected ${expected}`, index)
    this.fail('xml-unexpected-character', `Unexpected ${this.describe(index)}, expected ${expected}`, index)
  }

  /** The code point at `index` (surrogate pairs joined), failing on a lone surrogate. */
  private cp(index: number): number {
    const c = this.s.charCodeAt(index)
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = this.s.charCodeAt(index + 1)
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
      this.fail('xml-invalid-character', 'Invalid character: a lone UTF-16 surrogate', index)
    }
    return c
  }

  private checkChar(index: number): number {
    const c = this.cp(index)
    if (!isXmlChar(c)) this.fail('xml-invalid-character', `Invalid ${this.describe(index)}: XML 1.0 does not allow it`, index)
    return c
  }

  /** Checks the character at `index` (one that is not plain: below U+0020 or from U+D800), returns its length in code units. */
  private checkedLength(index: number): number {
    return this.checkChar(index) > 0xffff ? 2 : 1
  }

  private startsWith(text: string, index = this.i): boolean {
    return this.s.startsWith(text, index)
  }

  // ---- grammar -------------------------------------------------------------

  document(): Root {
    const children: RootContent[] = []
    const start = this.i
    // Taken first: counted later, from the top, a BOM before it would count as a column.
    const startPoint = this.withPositions ? this.point(start) : undefined
    if (this.startsWith('<?xml') && (isSpace(this.s.charCodeAt(this.i + 5)) || this.s.charCodeAt(this.i + 5) === 0x3f)) {
      children.push(this.instruction(true))
    }
    let seenRoot = false
    while (this.i < this.n) {
      const c = this.s.charCodeAt(this.i)
      if (c === 0x3c /* < */) {
        if (this.startsWith('<!--')) children.push(this.comment())
        else if (this.startsWith('<?')) children.push(this.instruction(false))
        else if (this.startsWith('<!DOCTYPE')) {
          this.fail('xml-doctype-refused', 'Unexpected `<!DOCTYPE`: document type declarations are refused', this.i)
        } else if (isNameStartChar(this.cpSafe(this.i + 1))) {
          if (seenRoot) this.fail('xml-content-after-root', 'Unexpected second root element, expected end of input', this.i)
          children.push(this.element())
          seenRoot = true
        } else this.unexpected(this.i + 1, seenRoot ? 'a comment or processing instruction' : 'the root element')
      } else {
        const textStart = this.i
        while (this.i < this.n && isSpace(this.s.charCodeAt(this.i))) this.i++
        if (this.i < this.n && this.s.charCodeAt(this.i) !== 0x3c) {
          this.checkChar(this.i)
          if (seenRoot) this.fail('xml-content-after-root', `Unexpected ${this.describe(this.i)} after the root element, expected end of input`, this.i)
          this.unexpected(this.i, '`<`')
        }
        const value = normalizeNewlines(this.s.slice(textStart, this.i))
        children.push(this.withPositions ? { type: 'text', value, position: this.span(textStart, this.i) } : { type: 'text', value })
      }
    }
    if (!seenRoot) this.fail('xml-no-root', 'Unexpected end of input, expected a root element', this.n)
    return startPoint ? { type: 'root', children, position: { start: startPoint, end: this.point(this.n) } } : { type: 'root', children }
  }

  private span(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(end) }
  }

  private cpSafe(index: number): number {
    if (index >= this.n) return -1
    const c = this.s.charCodeAt(index)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.s.charCodeAt(index + 1)
      if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000
    }
    return c
  }

  private name(): string {
    const s = this.s
    const start = this.i
    let i = start
    const first = s.charCodeAt(i)
    if (first < 0x80 && asciiName[first] === 1) i++
    else {
      const c = this.cpSafe(i)
      if (!isNameStartChar(c)) this.unexpected(i, 'a name')
      i += c > 0xffff ? 2 : 1
    }
    for (;;) {
      const c = s.charCodeAt(i) // NaN past the end: no table entry, not a name character
      if (c < 0x80) {
        if (asciiName[c] === 0) break
        i++
        continue
      }
      if (!(c >= 0x80)) break
      const code = this.cpSafe(i)
      if (!isNameChar(code)) break
      i += code > 0xffff ? 2 : 1
    }
    this.i = i
    return s.slice(start, i)
  }

  private skipSpace(): boolean {
    const s = this.s
    const start = this.i
    let i = start
    for (;;) {
      const c = s.charCodeAt(i)
      if (c !== 0x20 && c !== 10 && c !== 9 && c !== 13) break
      i++
    }
    this.i = i
    return i > start
  }

  private comment(): Comment {
    const s = this.s
    const start = this.i
    this.i += 4
    const valueStart = this.i
    let cr = false
    for (;;) {
      if (this.i >= this.n) this.unexpected(this.i, '`-->`')
      const c = s.charCodeAt(this.i)
      if (c === 0x2d && s.charCodeAt(this.i + 1) === 0x2d) {
        if (s.charCodeAt(this.i + 2) === 0x3e) break
        this.fail('xml-unexpected-character', 'Unexpected `--` inside a comment, expected `-->`', this.i)
      }
      if (c >= 0x20 && c < 0xd800) this.i++
      else {
        if (c === 13) cr = true
        this.i += this.checkedLength(this.i)
      }
    }
    const raw = s.slice(valueStart, this.i)
    const value = cr ? normalizeNewlines(raw) : raw
    this.i += 3
    return this.withPositions ? { type: 'comment', value, position: this.span(start, this.i) } : { type: 'comment', value }
  }

  private instruction(declaration: boolean): Instruction {
    const start = this.i
    this.i += 2
    const name = this.name()
    if (!declaration && name.toLowerCase() === 'xml') {
      this.fail('xml-misplaced-declaration', 'Unexpected XML declaration, expected it only at the very start', start)
    }
    let value = ''
    if (this.startsWith('?>')) {
      this.i += 2
    } else {
      if (!this.skipSpace()) this.unexpected(this.i, 'whitespace or `?>`')
      const valueStart = this.i
      for (;;) {
        if (this.i >= this.n) this.unexpected(this.i, '`?>`')
        const c = this.s.charCodeAt(this.i)
        if (c === 0x3f && this.s.charCodeAt(this.i + 1) === 0x3e) break
        if (c >= 0x20 && c < 0xd800) this.i++
        else this.i += this.checkedLength(this.i)
      }
      value = normalizeNewlines(this.s.slice(valueStart, this.i))
      this.i += 2
    }
    return this.withPositions ? { type: 'instruction', name, value, position: this.span(start, this.i) } : { type: 'instruction', name, value }
  }

  private cdata(): Cdata {
    const start = this.i
    this.i += 9
    const valueStart = this.i
    for (;;) {
      if (this.i >= this.n) this.unexpected(this.i, '`]]>`')
      const c = this.s.charCodeAt(this.i)
      if (c === 0x5d && this.startsWith(']]>')) break
      if (c >= 0x20 && c < 0xd800) this.i++
      else this.i += this.checkedLength(this.i)
    }
    const value = normalizeNewlines(this.s.slice(valueStart, this.i))
    this.i += 3
    return this.withPositions ? { type: 'cdata', value, position: this.span(start, this.i) } : { type: 'cdata', value }
  }

  /** Reads a reference at `&`, returns its replacement text. */
  private reference(): string {
    const amp = this.i
    this.i++
    if (this.s.charCodeAt(this.i) === 0x23 /* # */) {
      this.i++
      let hex = false
      if (this.s.charCodeAt(this.i) === 0x78 /* x */) { hex = true; this.i++ }
      const digitsStart = this.i
      while (this.i < this.n) {
        const c = this.s.charCodeAt(this.i)
        const digit = (c >= 0x30 && c <= 0x39) || (hex && ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)))
        if (!digit) break
        this.i++
      }
      if (this.i === digitsStart || this.s.charCodeAt(this.i) !== 0x3b) {
        this.fail('xml-unexpected-character', 'Unexpected malformed character reference, expected `&#N;` or `&#xH;`', amp)
      }
      const digits = this.s.slice(digitsStart, this.i)
      this.i++
      // Cap the digits so a huge reference cannot overflow into a valid code point.
      const code = digits.length > 8 ? -1 : Number.parseInt(digits, hex ? 16 : 10)
      if (!isXmlChar(code)) this.fail('xml-invalid-character', `Invalid character reference \`&#${hex ? 'x' : ''}${digits};\`: XML 1.0 does not allow that character`, amp)
      return String.fromCodePoint(code)
    }
    const first = this.cpSafe(this.i)
    if (!isNameStartChar(first)) this.fail('xml-unexpected-character', 'Unexpected `&`, expected a reference such as `&amp;` (escape a literal `&` as `&amp;`)', amp)
    const name = this.name()
    if (this.s.charCodeAt(this.i) !== 0x3b) this.fail('xml-unexpected-character', `Unexpected \`&${name}\` without \`;\`, expected a reference such as \`&amp;\``, amp)
    this.i++
    // Own entries only: `&constructor;` is an undefined entity, not Object's source text.
    const value = Object.hasOwn(predefinedEntities, name) ? predefinedEntities[name] : undefined
    if (value === undefined) this.fail('xml-undefined-entity', `Unexpected entity \`&${name};\`, expected one of &lt; &gt; &amp; &apos; &quot;`, amp)
    return value
  }

  /**
   * A quoted value. Most are one slice; a reference splits the value into pieces around its
   * replacement, and each piece's tabs and line breaks become spaces on their own (so `\r&#10;`
   * is a space and a newline, as in XML's attribute-value normalisation).
   */
  private attributeValue(): string {
    const s = this.s
    const quote = s.charCodeAt(this.i)
    if (quote !== 0x22 && quote !== 0x27) this.unexpected(this.i, 'a quoted attribute value')
    let i = this.i + 1
    let value = ''
    let chunk = i
    let spaced = false
    for (;;) {
      const c = s.charCodeAt(i)
      if (c === quote) break
      if (c >= 0x20 && c < 0xd800) {
        if (c === 0x3c) this.fail('xml-unexpected-character', 'Unexpected `<` in an attribute value, expected `&lt;`', i)
        if (c === 0x26) {
          const piece = s.slice(chunk, i)
          this.i = i
          value += (spaced ? normalizeAttributeSpace(piece) : piece) + this.reference()
          i = chunk = this.i
          spaced = false
          continue
        }
        i++
        continue
      }
      if (i >= this.n) this.unexpected(i, 'the closing quote of the attribute value')
      if (c === 9 || c === 10 || c === 13) { spaced = true; i++; continue }
      i += this.checkedLength(i)
    }
    const piece = s.slice(chunk, i)
    this.i = i + 1
    return value + (spaced ? normalizeAttributeSpace(piece) : piece)
  }

  /**
   * Reads the start tag at `<` into tagName and tagAttributes; returns whether it is empty (`/>`).
   * Attributes go straight into a plain object, in document order: a name such as `__proto__`
   * is defined as an own property (an assignment would set the prototype).
   */
  private startTag(): boolean {
    const s = this.s
    this.i++
    const name = this.name()
    const attributes: Record<string, string> = {}
    this.tagName = name
    this.tagAttributes = attributes
    for (;;) {
      const spaced = this.skipSpace()
      const c = s.charCodeAt(this.i)
      if (c === 0x3e) { this.i++; return false }
      if (c === 0x2f && s.charCodeAt(this.i + 1) === 0x3e) { this.i += 2; return true }
      if (!spaced || this.i >= this.n || !(c < 0x80 ? asciiName[c] === 1 : isNameStartChar(this.cpSafe(this.i)))) this.unexpected(this.i, '`>`, `/>` or an attribute')
      const attributeStart = this.i
      const attribute = this.name()
      if (s.charCodeAt(this.i) === 0x3d) this.i++
      else {
        this.skipSpace()
        if (s.charCodeAt(this.i) !== 0x3d) this.unexpected(this.i, '`=`')
        this.i++
      }
      const q = s.charCodeAt(this.i)
      if (q !== 0x27 && q !== 0x22) this.skipSpace()
      const value = this.attributeValue()
      if (Object.hasOwn(attributes, attribute)) this.fail('xml-duplicate-attribute', `Unexpected second \`${attribute}\` attribute on \`<${name}>\``, attributeStart)
      if (attribute === '__proto__') Object.defineProperty(attributes, attribute, { value, writable: true, enumerable: true, configurable: true })
      else attributes[attribute] = value
    }
  }

  /**
   * Iterative, so nesting depth is bounded by `maxDepth`, never by the JS stack. The open
   * elements are kept in parallel stacks; an element object is made once, when it closes.
   * Its start place is taken at its start tag: after its children, it would be behind the cursor.
   */
  private element(): Element {
    const s = this.s
    const withPositions = this.withPositions
    const names: string[] = []
    const attributeStack: Record<string, string>[] = []
    const childStack: ElementContent[][] = []
    const starts: Point[] = []
    let start = this.i
    let startPoint: Point | undefined
    if (this.startTag()) {
      return withPositions
        ? { type: 'element', name: this.tagName, attributes: this.tagAttributes, children: [], position: this.span(start, this.i) }
        : { type: 'element', name: this.tagName, attributes: this.tagAttributes, children: [] }
    }
    let name = this.tagName
    let attributes = this.tagAttributes
    let children: ElementContent[] = []
    if (withPositions) startPoint = this.point(start)
    for (;;) {
      const c = s.charCodeAt(this.i)
      if (c !== 0x3c) {
        if (this.i >= this.n) this.unexpected(this.i, `\`</${name}>\``)
        children.push(this.text())
        continue
      }
      const next = s.charCodeAt(this.i + 1)
      if (next === 0x2f /* / */) {
        const endStart = this.i
        // The usual end tag, `</name>` exactly, is matched in place; anything else is read as a name.
        if (s.startsWith(name, endStart + 2) && s.charCodeAt(endStart + 2 + name.length) === 0x3e) this.i = endStart + 3 + name.length
        else {
          this.i += 2
          const endName = this.name()
          this.skipSpace()
          if (s.charCodeAt(this.i) !== 0x3e) this.unexpected(this.i, '`>`')
          if (endName !== name) this.fail('xml-mismatched-tag', `Unexpected \`</${endName}>\`, expected \`</${name}>\``, endStart)
          this.i++
        }
        const done: Element = withPositions
          ? { type: 'element', name, attributes, children, position: { start: startPoint!, end: this.point(this.i) } }
          : { type: 'element', name, attributes, children }
        const depth = names.length
        if (depth === 0) return done
        name = names.pop()!
        attributes = attributeStack.pop()!
        children = childStack.pop()!
        if (withPositions) startPoint = starts.pop()
        children.push(done)
      } else if (next === 0x21 /* ! */) {
        if (this.startsWith('<!--')) children.push(this.comment())
        else if (this.startsWith('<![CDATA[')) children.push(this.cdata())
        else this.unexpected(this.i + 2, '`--` or `[CDATA[`')
      } else if (next === 0x3f /* ? */) {
        children.push(this.instruction(false))
      } else {
        if (names.length + 1 >= this.maxDepth) this.fail('xml-too-deep', `Elements nested deeper than ${this.maxDepth}`, this.i)
        start = this.i
        if (this.startTag()) {
          children.push(withPositions
            ? { type: 'element', name: this.tagName, attributes: this.tagAttributes, children: [], position: this.span(start, this.i) }
            : { type: 'element', name: this.tagName, attributes: this.tagAttributes, children: [] })
        } else {
          names.push(name)
          attributeStack.push(attributes)
          childStack.push(children)
          if (withPositions) { starts.push(startPoint!); startPoint = this.point(start) }
          name = this.tagName
          attributes = this.tagAttributes
          children = []
        }
      }
    }
  }

  /** Text up to the next `<` (or the end: the caller reports the missing end tag). */
  private text(): Text {
    const s = this.s
    const n = this.n
    const start = this.i
    let i = start
    let value = ''
    let chunk = i
    let cr = false
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c >= 0x20 && c < 0xd800) {
        if (c === 0x3c) break
        if (c === 0x26) {
          const piece = s.slice(chunk, i)
          this.i = i
          value += (cr ? normalizeNewlines(piece) : piece) + this.reference()
          i = chunk = this.i
          cr = false
          continue
        }
        if (c === 0x5d && s.charCodeAt(i + 1) === 0x5d && s.charCodeAt(i + 2) === 0x3e) {
          this.fail('xml-unexpected-character', 'Unexpected `]]>` in text, expected `]]&gt;`', i)
        }
        i++
        continue
      }
      if (c === 10 || c === 9) { i++; continue }
      if (c === 13) { cr = true; i++; continue }
      i += this.checkedLength(i)
    }
    this.i = i
    const piece = s.slice(chunk, i)
    value += cr ? normalizeNewlines(piece) : piece
    return this.withPositions ? { type: 'text', value, position: this.span(start, i) } : { type: 'text', value }
  }
}

function normalizeNewlines(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n')
}

function normalizeAttributeSpace(text: string): string {
  return /[\t\n\r]/.test(text) ? text.replace(/\r\n?/g, '\n').replace(/[\t\n]/g, ' ') : text
}
