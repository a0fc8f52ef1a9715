// What libvirt says of a domain that is not well-formed XML. libvirt reads XML with libxml2 and reports the FIRST
// fatal error libxml2 raises (util/virxml.c catchXMLError: once an error is set the later ones are ignored), as
// `NAME:LINE: MESSAGE`, then the line the parser stopped on and a pointer under the place — `virsh define` names the
// document `(domain_definition)`:
//
//   (domain_definition):1: Opening and ending tag mismatch: disk line 1 and devices
//   <domain type='qemu'><devices><disk></devices></domain>
//   -----------------------------------------^
//
// libxml2's messages and the place its parser stands when it raises each are facts of libxml2 2.9 (Debian bookworm's
// 2.9.14, under libvirtd 9.0, and what libvirt 11.3's tests expect): this is a small reader that walks a document the
// way libxml2's parser does (xmlParseDocument, xmlParseStartTag2, xmlParseAttValueInternal, xmlParseReference,
// xmlParseCharRef, xmlParseCharData, xmlParseComment, xmlParsePI, xmlParseEndTag2) until its first fatal error, written
// from those behaviours and checked against libvirtd 9.0 on thousands of broken documents
// (packages/model/test/xml-errors.test.ts; tools/preview-malformed-live.ts, and in CI packages/cli/test/preview-oracle-malformed.e2e.test.ts
// and preview-oracle-bytes.e2e.test.ts). Namespace errors are not fatal to libxml2 (libvirt goes on), nor to this
// reader. libvirt hands libxml2 a C string (xmlCtxtReadDoc): the document ends at its first NUL and is read as UTF-8
// whatever its XML declaration names; bytes are read as libxml2's character reader reads them (xmlCurrentChar). What it
// does not follow — an internal subset with declarations in it, a name of an encoding libxml2 may not know (iconv's and
// ICU's, the host's), an XML declaration missing an `=` or ending in `>` — it says it does not know (`undefined`), as it does for a document it
// finds well-formed.

/** libvirt's report of malformed XML: the whole message as `virsh` prints it after `error: `, and where it points. */
export interface LibvirtXmlSyntaxError {
  /** `NAME:LINE: libxml2's message`, the line the parser stopped on (`(null)` when empty), and the pointer line. */
  readonly message: string
  /** libxml2's own message (its first fatal error), without libvirt's frame. */
  readonly reason: string
  /** The line libxml2 reports (1-based). */
  readonly line: number
  /** The place the pointer marks: 1-based column (in characters) on `line`, and the offset in the text. */
  readonly column: number
  readonly offset: number
}

/** libxml2's fatal error: its words, where its parser stands (`at`: the pointer's place) and the line it counts. */
class Fatal {
  constructor(readonly reason: string, readonly at: number, readonly lineOf = at) {}
}
class NotFollowed {}

/** The offsets of a text's newlines, for lineAt. */
function newlinesOf(text: string): number[] {
  const out: number[] = []
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i)
  return out
}

/** The line `at` is on, as the parser counts lines: one more for each newline read before it (a binary search). */
function lineAt(newlines: readonly number[], at: number): number {
  let lo = 0
  let hi = newlines.length
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (newlines[mid]! < at) lo = mid + 1; else hi = mid }
  return lo + 1
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d

/** XML 1.0's Char (libxml2's IS_CHAR), on a code point. */
const isXmlChar = (c: number): boolean =>
  c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)

/** XML 1.0 (fifth edition) NameStartChar, on a code point. */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a ||
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) || (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) || (c >= 0x200c && c <= 0x200d) || (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff)
}
const isNameChar = (c: number): boolean =>
  isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040)

/** U+FFFE and U+FFFF: libxml2's character reader refuses them before any parser looks (xmlCurrentChar). */
const isNonCharacter = (c: number): boolean => c === 0xfffe || c === 0xffff
const outOfRange = (c: number): string => `Char 0x${c.toString(16).toUpperCase()} out of allowed range`

const predefinedEntities = new Set(['lt', 'gt', 'amp', 'apos', 'quot'])

/**
 * What libxml2's character reader (xmlCurrentChar) makes of a place in bytes that are not plain UTF-8, where a parser
 * reads a character there: a fatal error (its words), or `end` — the input's end, for a byte sequence that is not UTF-8
 * within the last three bytes (libxml2 takes it for a buffer cut short).
 */
type Mark = { readonly reason: string } | 'end'

/** The reader: a text and where it stands (offsets in UTF-16 code units). */
class Reader {
  p = 0
  /** The newlines' offsets, found when a line is first asked for. */
  private newlines: number[] | undefined
  /** The document type declaration read (prolog). */
  doctype: { start: number; end: number } | undefined
  /** Text decoded from bytes: the places libxml2's character reader stops at (each stands as one U+FFFD in `s`). */
  constructor(readonly s: string, readonly marks?: ReadonlyMap<number, Mark>) {}

  line(at = this.p): number {
    return lineAt((this.newlines ??= newlinesOf(this.s)), at)
  }

  /** The character at `at` as the parser's byte tests see it (RAW, NXT): no error raised; 0 at the end. */
  code(at = this.p): number {
    return at < this.s.length ? this.s.codePointAt(at)! : 0
  }
  /**
   * The character at `at` where libxml2 reads one (CUR_CHAR: names, attribute values, character data, comments, PIs,
   * CDATA): bytes that are not UTF-8 there raise its error; 0 at the end (and where it reads bytes cut short).
   */
  char(at = this.p): number {
    const mark = this.marks?.get(at)
    if (mark === undefined) return this.code(at)
    if (mark === 'end') return 0
    this.fail(mark.reason, at)
  }
  width(c: number): number {
    return c > 0xffff ? 2 : 1
  }
  startsWith(prefix: string): boolean {
    return this.s.startsWith(prefix, this.p)
  }
  atEnd(): boolean {
    return this.p >= this.s.length
  }
  skipBlanks(): boolean {
    const from = this.p
    while (this.p < this.s.length && isBlank(this.s.charCodeAt(this.p))) this.p++
    return this.p > from
  }
  /** A Name (colons in it: libxml2 reads a QName and only warns of a bad prefix), or undefined. */
  name(): string | undefined {
    const from = this.p
    const first = this.char()
    if (isNonCharacter(first)) this.fail(outOfRange(first))
    if (first === 0 || !isNameStart(first)) return undefined
    this.p += this.width(first)
    let c = this.char()
    for (; c !== 0 && isNameChar(c); c = this.char()) this.p += this.width(c)
    if (isNonCharacter(c)) this.fail(outOfRange(c))
    return this.s.slice(from, this.p)
  }
  fail(reason: string, at = this.p, lineOf = at): never {
    throw new Fatal(reason, at, lineOf)
  }
}

/** `&…;` at the reader (in content or an attribute value): libxml2's reference checks. */
function reference(r: Reader): void {
  r.p++
  if (r.code() === 0x23 /* # */) {
    r.p++
    const hex = r.code() === 0x78 /* x */
    if (hex) r.p++
    let value = 0
    while (r.code() !== 0x3b /* ; */) {
      const c = r.code()
      const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : hex && c >= 0x61 && c <= 0x66 ? c - 0x57 : hex && c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
      if (digit < 0) r.fail(hex ? 'CharRef: invalid hexadecimal value' : 'CharRef: invalid decimal value')
      value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000)
      r.p++
    }
    r.p++
    if (value >= 0x110000) r.fail('xmlParseCharRef: character reference out of bounds')
    if (!isXmlChar(value)) r.fail(`xmlParseCharRef: invalid xmlChar value ${value}`)
    return
  }
  const name = r.name()
  if (name === undefined) r.fail('xmlParseEntityRef: no name')
  if (r.code() !== 0x3b) r.fail("EntityRef: expecting ';'")
  r.p++
  if (!predefinedEntities.has(name)) r.fail(`Entity '${name}' not defined`)
}

/**
 * `<!--` at the reader. libxml2 reads plain ASCII quickly (a `--` reported at its first hyphen, with what the comment
 * held so far); from the first other character on (a lone CR too) it reads one by one, and reports a `--` after it. An
 * end met within the first three characters read one by one is reported without what the comment held
 * (xmlParseCommentComplex's first reads).
 */
function comment(r: Reader): void {
  r.p += 4
  const from = r.p
  // (what libxml2 has kept of the comment: CR LF and a lone CR read as LF)
  const kept = (to: number): string => r.s.slice(from, to).replace(/\r\n?/g, '\n')
  let quick = true
  let slowFrom = Infinity
  /** Characters read one by one so far. */
  let slowRead = 0
  for (;;) {
    let c = r.code()
    if (quick && !r.atEnd()) {
      if (c === 0x0d && r.code(r.p + 1) === 0x0a) { r.p += 2; continue }
      if (!((c >= 0x20 && c <= 0x7f) || c === 0x09 || c === 0x0a)) { quick = false; slowFrom = r.p }
    }
    if (!quick) c = r.char()
    if (c === 0) {
      if (quick || slowRead < 3) r.fail('Comment not terminated')
      // (the last two characters are held aside, for the end's `--`)
      const held = kept(r.p)
      r.fail(`Comment not terminated \n<!--${firstBytes([...held].slice(0, -2).join(''), 50)}`)
    }
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (!isXmlChar(c)) r.fail(`xmlParseComment: invalid xmlChar value ${c}`)
    if (quick && c === 0x2d && r.code(r.p + 1) === 0x2d) {
      if (r.code(r.p + 2) === 0x3e) { r.p += 3; return }
      const held = kept(r.p)
      r.fail(held === '' ? 'Double hyphen within comment' : `Double hyphen within comment: <!--${firstBytes(held, 50)}`)
    }
    if (!quick && r.p - 2 >= slowFrom && r.s.charCodeAt(r.p - 1) === 0x2d && r.s.charCodeAt(r.p - 2) === 0x2d) {
      if (c === 0x3e) { r.p++; return }
      r.fail("Comment must not contain '--' (double-hyphen)")
    }
    if (!quick) slowRead++
    r.p += r.width(c)
  }
}

/** `<?` at the reader (not the XML declaration at the start). */
function processingInstruction(r: Reader): void {
  r.p += 2
  const target = r.name()
  if (target === undefined) r.fail('xmlParsePI : no target name')
  if (target === 'xml') r.fail('XML declaration allowed only at the start of the document')
  if (target.toLowerCase() === 'xml') r.fail('Invalid PI name')
  if (r.startsWith('?>')) { r.p += 2; return }
  if (!r.skipBlanks()) r.fail(`ParsePI: PI ${target} space expected`)
  for (;;) {
    const c = r.char()
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (c === 0 || !isXmlChar(c)) r.fail(`ParsePI: PI ${target} never end ...`)
    if (c === 0x3f && r.code(r.p + 1) === 0x3e) { r.p += 2; return }
    r.p += r.width(c)
  }
}

/** A quoted string's opening quote at the reader (libxml2's words when there is none). */
function openQuote(r: Reader): number {
  const quote = r.code()
  if (quote !== 0x27 && quote !== 0x22) r.fail('String not started expecting \' or "')
  r.p++
  return quote
}
function closeQuote(r: Reader, quote: number): void {
  if (r.code() !== quote || r.atEnd()) r.fail('String not closed expecting " or \'')
  r.p++
}
/** `name` `=` at the reader, blanks around the `=` (one libxml2 has no words of its own for a missing `=`: not followed). */
function pseudoAttribute(r: Reader, name: string): boolean {
  if (!r.startsWith(name)) return false
  r.p += name.length
  r.skipBlanks()
  if (r.code() !== 0x3d) throw new NotFollowed()
  r.p++
  r.skipBlanks()
  return true
}

/**
 * The XML declaration (`<?xml` and a blank at the reader): its version, encoding and standalone as libxml2 reads them
 * (xmlParseXMLDecl).
 */
function xmlDeclaration(r: Reader): void {
  r.p += 5
  r.skipBlanks()
  if (!pseudoAttribute(r, 'version')) r.fail('Malformed declaration expecting version')
  const quote = openQuote(r)
  const version = /^[0-9]\.[0-9]*/.exec(r.s.slice(r.p, r.p + 64))?.[0]
  if (version !== undefined) r.p += version.length
  closeQuote(r, quote)
  if (version === undefined) r.fail('Malformed declaration expecting version')
  // (1.x other than 1.0 is a warning)
  if (!version.startsWith('1.')) r.fail(`Unsupported version '${version}'`)
  const end = (): boolean => { if (r.startsWith('?>')) { r.p += 2; return true } return false }
  if (!isBlank(r.code())) { if (end()) return; r.fail('Blank needed here') }
  r.skipBlanks()
  let encoding: string | undefined
  if (pseudoAttribute(r, 'encoding')) {
    const quote = openQuote(r)
    encoding = /^[A-Za-z][A-Za-z0-9._-]*/.exec(r.s.slice(r.p, r.p + 64))?.[0]
    if (encoding === undefined) r.fail('Invalid XML encoding name')
    r.p += encoding.length
    closeQuote(r, quote)
    // (another encoding libxml2 knows is not switched to: libvirt hands it the document as a string — xmlCtxtReadDoc —, which
    // it reads as UTF-8 whatever the declaration says; libvirtd 9.0 reads `encoding='ISO-8859-1'` over UTF-8 `é` as `é`,
    // and refuses Latin-1 bytes in its words for bytes that are not UTF-8. A name libxml2 does not know is refused,
    // "Unsupported encoding NAME": which names iconv and ICU know is the host's, not followed here.)
    // (a blank before `standalone` is asked for only after an encoding libxml2 switches to: not after UTF-8 or UTF-16,
    // which it keeps as the document's name alone — xmlParseEncodingDecl; libvirtd 9.0 reads `encoding='UTF-8'standalone='yes'`)
    if (!isBlank(r.code()) && !/^utf-?(?:8|16)$/i.test(encoding)) { if (end()) return; r.fail('Blank needed here') }
  }
  r.skipBlanks()
  if (pseudoAttribute(r, 'standalone')) {
    const quote = openQuote(r)
    if (r.startsWith('yes')) r.p += 3
    else if (r.startsWith('no')) r.p += 2
    else r.fail("standalone accepts only 'yes' or 'no'")
    closeQuote(r, quote)
  }
  r.skipBlanks()
  if (end()) return
  if (r.code() === 0x3e) throw new NotFollowed()
  r.fail("parsing XML declaration: '?>' expected")
}

/** Comments, processing instructions and blanks (libxml2's xmlParseMisc). */
function misc(r: Reader): void {
  for (;;) {
    r.skipBlanks()
    if (r.startsWith('<?')) processingInstruction(r)
    else if (r.startsWith('<!--')) comment(r)
    else return
  }
}

/** An attribute value at the reader (its quote first). */
function attributeValue(r: Reader): void {
  const quote = r.code()
  if (quote !== 0x27 && quote !== 0x22) r.fail('AttValue: " or \' expected')
  r.p++
  for (;;) {
    const c = r.char()
    if (c === 0) r.fail("AttValue: ' expected")
    if (c === quote) { r.p++; return }
    if (c === 0x3c) r.fail("Unescaped '<' not allowed in attributes values")
    if (c === 0x26) { reference(r); continue }
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (!isXmlChar(c)) r.fail('invalid character in attribute value')
    r.p += r.width(c)
  }
}

/**
 * `<![CDATA[` at the reader. libxml2 keeps the last two characters read aside (the `]]` of the end): an unfinished
 * section is reported with what it had kept, at most 50 bytes of it.
 */
function cdataSection(r: Reader): void {
  r.p += 9
  const from = r.p
  // (the first two: a character that is none there has no words of libxml2's own)
  for (let k = 0; k < 2; k++) {
    const c = r.char()
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (c === 0 || !isXmlChar(c)) r.fail('Unregistered error message')
    r.p += r.width(c)
  }
  for (;;) {
    const c = r.char()
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (c === 0 || !isXmlChar(c)) {
      // (the characters before the two kept aside)
      let kept = r.p
      for (let k = 0; k < 2; k++) kept -= kept >= 2 && r.s.charCodeAt(kept - 1) >= 0xdc00 && r.s.charCodeAt(kept - 1) <= 0xdfff ? 2 : 1
      r.fail(`CData section not finished\n${firstBytes(r.s.slice(from, kept), 50)}`)
    }
    if (c === 0x3e && r.s.charCodeAt(r.p - 1) === 0x5d && r.s.charCodeAt(r.p - 2) === 0x5d) { r.p++; return }
    r.p += r.width(c)
  }
}

/** `s` cut to at most `n` UTF-8 bytes (C's `%.50s` on libxml2's buffer), at a character's end. */
function firstBytes(s: string, n: number): string {
  let bytes = 0
  let i = 0
  for (const ch of s) {
    const width = utf8Length(ch)
    if (bytes + width > n) break
    bytes += width
    i += ch.length
  }
  return s.slice(0, i)
}

/**
 * An open element: its name as libxml2 keeps it (the local part of a prefixed name), its prefix, and the line its start
 * tag is on.
 */
interface Open { readonly name: string; readonly prefix: string | undefined; readonly line: number }

/** A name as libxml2's QName reader splits it: a prefix only before a colon with a name on each side. */
function qname(name: string): { prefix: string | undefined; local: string } {
  const colon = name.indexOf(':')
  return colon > 0 && colon < name.length - 1 ? { prefix: name.slice(0, colon), local: name.slice(colon + 1) } : { prefix: undefined, local: name }
}

/**
 * `<` at the reader, not `</`: the start tag; the element opened (pushed on `open`) unless it is empty.
 */
function startTag(r: Reader, open: Open[]): void {
  // (libxml2's depth limit without XML_PARSE_HUGE, which libvirt does not give: 256 elements open, and one more)
  if (open.length > 256) r.fail('Excessive depth in document: 256 use XML_PARSE_HUGE option')
  const line = r.line()
  r.p++
  const name = r.name()
  if (name === undefined) r.fail('StartTag: invalid element name')
  const seen = new Set<string>()
  // (a repeated attribute is found once the attributes are read, at the place the loop stopped: the first repeated)
  let repeated: string | undefined
  r.skipBlanks()
  for (;;) {
    const c = r.code()
    // (libxml2's loop: up to `>` or `/>`, on byte characters — a control character or the end stops it)
    if (r.atEnd() || c === 0x3e || (c === 0x2f && r.code(r.p + 1) === 0x3e) || (c < 0x20 && !isBlank(c))) break
    const attribute = r.name()
    if (attribute === undefined) r.fail('error parsing attribute name')
    r.skipBlanks()
    if (r.code() !== 0x3d /* = */) r.fail(`Specification mandates value for attribute ${attribute}`)
    r.p++
    r.skipBlanks()
    attributeValue(r)
    if (seen.has(attribute)) repeated ??= attribute
    seen.add(attribute)
    const next = r.code()
    if (next === 0x3e || (next === 0x2f && r.code(r.p + 1) === 0x3e)) break
    if (!r.skipBlanks()) r.fail('attributes construct error')
  }
  const { prefix, local } = qname(name)
  if (repeated !== undefined) r.fail(`Attribute ${repeated} redefined`)
  if (r.startsWith('/>')) { r.p += 2; return }
  if (r.code() !== 0x3e) r.fail(`Couldn't find end of Start Tag ${local} line ${line}`)
  r.p++
  open.push({ name: local, prefix, line })
}

/** `</` at the reader: the end tag of the innermost open element. */
function endTag(r: Reader, open: Open[]): void {
  const top = open[open.length - 1]!
  r.p += 2
  // (libxml2 compares the open name first: the same name followed by `>` or a blank is it; else it reads a name — a
  // prefixed element's as a prefix and a local part, named by its local part)
  const written = top.prefix === undefined ? top.name : `${top.prefix}:${top.name}`
  let matched = false
  let name: string | undefined
  if (r.startsWith(written) && (r.code(r.p + written.length) === 0x3e || isBlank(r.code(r.p + written.length)))) {
    r.p += written.length
    matched = true
  } else {
    const read = r.name()
    if (read !== undefined && top.prefix !== undefined) {
      const { prefix, local } = qname(read)
      name = local
      matched = local === top.name && prefix === top.prefix
    } else {
      name = read
      matched = read === top.name
    }
  }
  r.skipBlanks()
  if (r.code() !== 0x3e || r.atEnd()) r.fail("expected '>'")
  r.p++
  if (!matched) r.fail(`Opening and ending tag mismatch: ${top.name} line ${top.line} and ${name ?? 'unparsable'}`)
  open.pop()
}

/**
 * Character data up to the next markup or reference. libxml2 reads a run of plain ASCII quickly and moves its place only
 * when it hands characters on (at a CR LF, at the run's end): a `]]>` met on that path is reported from the run's start
 * (or its last CR LF's line feed), on the line of the `]]>`; after any other character it reads one by one, and reports
 * there.
 */
function characterData(r: Reader): void {
  let handedOn = r.p
  let quick = true
  for (;;) {
    if (r.atEnd()) return
    let c = r.code()
    if (c === 0x3c || c === 0x26) return
    // (bytes cut short: the character reader gives nothing, and the content loop sees no progress)
    if (c > 0x7f && (c = r.char()) === 0) r.fail('internal error: detected an error in element content\n')
    if (quick && c === 0x0d) {
      if (r.code(r.p + 1) === 0x0a) { handedOn = r.p + 1; r.p += 2; continue }
      quick = false
    } else if (quick && !((c >= 0x20 && c <= 0x7f) || c === 0x09 || c === 0x0a)) quick = false
    if (c === 0x5d && r.startsWith(']]>')) r.fail("Sequence ']]>' not allowed in content", quick ? handedOn : r.p, r.p)
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (!isXmlChar(c)) r.fail(`PCDATA invalid Char value ${c}`)
    r.p += r.width(c)
  }
}

/**
 * A quoted literal of a document type declaration (xmlParseSystemLiteral; xmlParsePubidLiteral, `pubid`: its characters
 * only) and libxml2's words when it does not start or end.
 */
function doctypeLiteral(r: Reader, pubid: boolean): void {
  const quote = r.code()
  // (libxml2 has one word for both: XML_ERR_LITERAL_NOT_STARTED)
  if (quote !== 0x22 && quote !== 0x27) r.fail(`SystemLiteral " or ' expected`)
  r.p++
  for (;;) {
    const c = pubid ? r.code() : r.char()
    if (c === quote) { r.p++; return }
    if (pubid ? !pubidCharacter.test(String.fromCharCode(c)) : c === 0 || !isXmlChar(c)) r.fail('Unfinished System or Public ID " or \' expected')
    r.p += r.width(c)
  }
}
const pubidCharacter = /^[-a-zA-Z0-9 \r\n'()+,./:=?;!*#@$_%]$/

/**
 * `<!DOCTYPE` at the reader: a document type declaration (xmlParseDocTypeDecl: a name, an external ID, `>`) and
 * libxml2's words for what is wrong in it. libvirt gives libxml2 no option that loads or validates against a DTD
 * (XML_PARSE_NONET alone), so such a declaration changes nothing libvirt reads. An internal subset with anything but
 * blanks in it (which may declare entities and attribute defaults) is not followed.
 */
function doctype(r: Reader): void {
  r.p += 9
  r.skipBlanks()
  if (r.name() === undefined) r.fail('xmlParseDocTypeDecl : no DOCTYPE name !')
  r.skipBlanks()
  if (r.startsWith('SYSTEM') || r.startsWith('PUBLIC')) {
    const keyword = r.s.slice(r.p, r.p + 6)
    r.p += 6
    if (!r.skipBlanks()) r.fail(`Space required after '${keyword}'`)
    if (keyword === 'PUBLIC') { doctypeLiteral(r, true); if (!r.skipBlanks()) r.fail('Space required after the Public Identifier') }
    doctypeLiteral(r, false)
  }
  r.skipBlanks()
  if (r.code() === 0x5b /* [ */) {
    r.p++
    r.skipBlanks()
    if (r.code() !== 0x5d) throw new NotFollowed()
    r.p++
    r.skipBlanks()
  }
  if (r.code() !== 0x3e) r.fail('DOCTYPE improperly terminated')
  r.p++
}

/** What comes before the root: a byte order mark, the XML declaration, comments, PIs and blanks, a document type declaration. */
function prolog(r: Reader): void {
  if (r.s.length === 0) r.fail('Document is empty')
  // (the byte order mark is read as such once there are four bytes to look at; before, as a character)
  if (r.code() === 0xfeff && utf8Length(r.s.slice(0, 2)) >= 4) r.p++
  if (r.startsWith('<?xml') && isBlank(r.code(r.p + 5))) xmlDeclaration(r)
  misc(r)
  if (r.startsWith('<!DOCTYPE')) {
    const start = r.p
    doctype(r)
    r.doctype = { start, end: r.p }
    misc(r)
  }
}

/**
 * Where a document's type declaration stands (offsets in the text), when it has one libxml2 reads without an internal
 * subset (`<!DOCTYPE domain>`, `<!DOCTYPE domain SYSTEM "domain.dtd">`): libvirt reads the document as if it were not
 * there — libvirtd 9.0 defines such a domain and stores it without. `undefined` for a document without one, or with one
 * that has an internal subset or is not well-formed (see libvirtXmlSyntaxError). A text ends at its first NUL, as for libvirt.
 */
export function libvirtIgnoredDoctype(text: string): { readonly start: number; readonly end: number } | undefined {
  const nul = text.indexOf('\0')
  const r = new Reader(nul === -1 ? text : text.slice(0, nul))
  try { prolog(r) } catch { return undefined }
  return r.doctype
}

/** libxml2's first fatal error on `text`, or undefined (well-formed, or a construct this reader does not follow). */
function firstFatal(text: string, marks?: ReadonlyMap<number, Mark>): Fatal | undefined {
  const r = new Reader(text, marks)
  try {
    prolog(r)
    if (r.code() !== 0x3c || r.atEnd()) r.fail("Start tag expected, '<' not found")
    const open: Open[] = []
    startTag(r, open)
    while (open.length > 0) {
      if (r.atEnd()) { const top = open[open.length - 1]!; r.fail(`Premature end of data in tag ${top.name} line ${top.line}`) }
      if (r.startsWith('</')) endTag(r, open)
      else if (r.startsWith('<?')) processingInstruction(r)
      else if (r.startsWith('<![CDATA[')) cdataSection(r)
      else if (r.startsWith('<!--')) comment(r)
      else if (r.code() === 0x3c) startTag(r, open)
      else if (r.code() === 0x26) reference(r)
      else characterData(r)
    }
    misc(r)
    if (!r.atEnd()) r.fail('Extra content at the end of the document')
    return undefined
  } catch (error) {
    if (error instanceof Fatal) return error
    if (error instanceof NotFollowed) return undefined
    throw error
  }
}

const utf8Length = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3
  }
  return n
}

/** A document's bytes as libxml2's character reader takes them: the text, the places it stops at, each place's byte. */
interface DecodedBytes { readonly text: string; readonly marks: Map<number, Mark>; readonly byteAt: Uint32Array }

const hex2 = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`

/**
 * Bytes decoded as libxml2 2.9's xmlCurrentChar reads UTF-8: a sequence it refuses (a stray continuation byte, 0xC0 or
 * 0xC1 and other overlong forms, 0xF8 on, a sequence cut short) is its encoding error, `Input is not proper UTF-8,
 * indicate encoding !` with the four bytes there — or the input's end when fewer than four bytes are left —; one it
 * decodes to a surrogate or past U+10FFFF is `Char 0x… out of allowed range`. Each such place stands as one U+FFFD.
 */
function decodeBytes(bytes: Uint8Array): DecodedBytes {
  const n = bytes.length
  const marks = new Map<number, Mark>()
  const units: number[] = []
  const byteAt: number[] = []
  const at = (k: number): number => (k < n ? bytes[k]! : 0)
  let text = ''
  const flush = (): void => { if (units.length > 0) { text += String.fromCharCode(...units); units.length = 0 } }
  const push = (unit: number, byte: number): void => { units.push(unit); byteAt.push(byte); if (units.length >= 4096) flush() }
  for (let i = 0; i < n;) {
    const c = bytes[i]!
    if (c < 0x80) { push(c, i); i++; continue }
    let value = -1
    let length = 1
    const c1 = at(i + 1)
    if ((c & 0x40) !== 0 && c !== 0xc0 && (c1 & 0xc0) === 0x80) {
      if ((c & 0xe0) !== 0xe0) { value = ((c & 0x1f) << 6) | (c1 & 0x3f); length = 2; if (value < 0x80) value = -1 }
      else {
        const c2 = at(i + 2)
        if ((c2 & 0xc0) === 0x80) {
          if ((c & 0xf0) !== 0xf0) { value = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f); length = 3; if (value < 0x800) value = -1 }
          else {
            const c3 = at(i + 3)
            if ((c & 0xf8) === 0xf0 && (c3 & 0xc0) === 0x80) {
              value = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f)
              length = 4
              if (value < 0x10000) value = -1
            }
          }
        }
      }
    }
    if (value === -1) {
      marks.set(byteAt.length, n - i < 4 ? 'end' : { reason: `Input is not proper UTF-8, indicate encoding !\nBytes: ${[0, 1, 2, 3].map((k) => hex2(bytes[i + k]!)).join(' ')}` })
      push(0xfffd, i)
      i++
    } else if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      marks.set(byteAt.length, { reason: outOfRange(value) })
      push(0xfffd, i)
      i += length
    } else if (value > 0xffff) {
      push(0xd800 + ((value - 0x10000) >> 10), i)
      push(0xdc00 + ((value - 0x10000) & 0x3ff), i)
      i += length
    } else { push(value, i); i += length }
  }
  flush()
  byteAt.push(n)
  return { text, marks, byteAt: Uint32Array.from(byteAt) }
}

/** libvirt's context of a place in a document's bytes (catchXMLError): the line, read as UTF-8 (U+FFFD for what is not), and the pointer. */
function contextInBytes(bytes: Uint8Array, at: number, eleven: boolean): { context: string; pointer: string } {
  const isBreak = (i: number): boolean => i < bytes.length && (bytes[i] === 0x0a || bytes[i] === 0x0d)
  let start = eleven && at === bytes.length && at > 0 ? at - 1 : at
  while (start > 0 && isBreak(start)) start--
  while (start > 0 && !isBreak(start)) start--
  if (isBreak(start)) start++
  let end = start
  while (end < bytes.length && !isBreak(end)) end++
  let pointer = ''
  for (let k = start; k < Math.min(at, end); k++) pointer += bytes[k] === 0x09 ? '\t' : '-'
  return { context: new TextDecoder().decode(bytes.subarray(start, end)), pointer }
}

/**
 * What libvirt reports for a document when it is not well-formed XML — libxml2's first fatal error in libvirt's frame
 * (catchXMLError) — or `undefined` when this reader finds it well-formed or meets what it does not follow (a DOCTYPE, an
 * XML declaration naming an encoding libxml2 may not know). `source` is the name libvirt gives the document: a file's
 * path where libvirt reads one; for a string (`virsh define`, virDomainDefineXML) libvirt 9.0 says `(domain_definition)`
 * (the default) and libvirt 11 `at line N` — `libvirtVersion` (libvirt's encoding, default 9.0's) picks the frame; 11
 * also quotes the last line where the parser stopped at the document's end (catchXMLError; seen on libvirtd 11.3).
 *
 * libvirt takes a document as a C string: it ends at its first NUL, whatever follows. Bytes are read as libxml2 reads
 * them, UTF-8 whatever an XML declaration names (libvirt hands libxml2 a string: xmlCtxtReadDoc): bytes that are not
 * UTF-8 are refused in its words, the line quoted as UTF-8 with U+FFFD for each byte that is not (the message is bytes;
 * `virsh` prints them as they are).
 */
export function libvirtXmlSyntaxError(document: string | Uint8Array, source?: string, libvirtVersion = 9_000_000): LibvirtXmlSyntaxError | undefined {
  // (libvirt 11 names the document only when it read a file — a string parsed, as `virsh define`'s, is `at line N` — and
  // quotes the last line when the parser stopped at the document's end, past its NUL: catchXMLError, seen on libvirtd 11.3)
  const eleven = libvirtVersion >= 11_000_000
  const frame = (line: number): string => eleven && source === undefined ? `at line ${line}: ` : `${source ?? '(domain_definition)'}:${line}: `
  if (typeof document !== 'string') {
    const nul = document.indexOf(0)
    const bytes = nul === -1 ? document : document.subarray(0, nul)
    const decoded = decodeBytes(bytes)
    const fatal = firstFatal(decoded.text, decoded.marks)
    if (fatal === undefined) return undefined
    const at = Math.min(fatal.at, decoded.text.length)
    const line = lineAt(newlinesOf(decoded.text), fatal.lineOf)
    const { context, pointer } = contextInBytes(bytes, decoded.byteAt[at]!, eleven)
    const lineStart = decoded.text.lastIndexOf('\n', at - 1) + 1
    return { message: `${frame(line)}${fatal.reason}\n${context === '' ? '(null)' : context}\n${pointer}^`, reason: fatal.reason, line, column: at - lineStart + 1, offset: at }
  }
  const nul = document.indexOf('\0')
  const text = nul === -1 ? document : document.slice(0, nul)
  const fatal = firstFatal(text)
  if (fatal === undefined) return undefined
  const at = Math.min(fatal.at, text.length)
  const line = lineAt(newlinesOf(text), fatal.lineOf)
  // (catchXMLError: back over the newlines the parser stands on, back to the line's start; the line from there, and a
  // pointer of one `-` per byte before the place — a tab kept as a tab —, no longer than that line)
  const isBreak = (i: number): boolean => i < text.length && (text[i] === '\n' || text[i] === '\r')
  // (11: back over the NUL when it stopped there)
  let start = eleven && at === text.length && at > 0 ? at - 1 : at
  while (start > 0 && isBreak(start)) start--
  while (start > 0 && !isBreak(start)) start--
  if (isBreak(start)) start++
  let end = start
  while (end < text.length && !isBreak(end)) end++
  const context = text.slice(start, end)
  const columnBytes = utf8Length(text.slice(start, Math.max(start, at)))
  let pointer = ''
  let bytes = 0
  for (const ch of context) {
    if (bytes >= columnBytes) break
    const width = utf8Length(ch)
    for (let k = 0; k < width && bytes < columnBytes; k++, bytes++) pointer += ch === '\t' ? '\t' : '-'
  }
  const lineStart = text.lastIndexOf('\n', at - 1) + 1
  return {
    message: `${frame(line)}${fatal.reason}\n${context === '' ? '(null)' : context}\n${pointer}^`,
    reason: fatal.reason,
    line,
    column: at - lineStart + 1,
    offset: at,
  }
}
