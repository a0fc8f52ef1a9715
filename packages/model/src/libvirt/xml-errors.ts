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
// (packages/model/test/xml-errors.test.ts; tools/preview-malformed-live.ts, and in CI packages/cli/test/preview-oracle-malformed.e2e.test.ts). Namespace errors are not fatal to libxml2
// (libvirt goes on), nor to this reader. What it does not follow — a DOCTYPE, an XML declaration other than the plain
// `version`/`encoding='UTF-8'`/`standalone` one, an unfinished CDATA section — it says it does not know (`undefined`),
// as it does for a document it finds well-formed.

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

/** The reader: a text and where it stands (offsets in UTF-16 code units). */
class Reader {
  p = 0
  /** The newlines' offsets, found when a line is first asked for. */
  private newlines: number[] | undefined
  constructor(readonly s: string) {}

  line(at = this.p): number {
    return lineAt((this.newlines ??= newlinesOf(this.s)), at)
  }

  code(at = this.p): number {
    return at < this.s.length ? this.s.codePointAt(at)! : 0
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
    const first = this.code()
    if (isNonCharacter(first)) this.fail(outOfRange(first))
    if (this.atEnd() || !isNameStart(first)) return undefined
    this.p += this.width(first)
    for (let c = this.code(); !this.atEnd() && isNameChar(c); c = this.code()) this.p += this.width(c)
    if (isNonCharacter(this.code())) this.fail(outOfRange(this.code()))
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
 * held so far); from the first other character on (a lone CR too) it reads one by one, and reports a `--` after it.
 */
function comment(r: Reader): void {
  r.p += 4
  const from = r.p
  // (what libxml2 has kept of the comment: CR LF and a lone CR read as LF)
  const kept = (to: number): string => r.s.slice(from, to).replace(/\r\n?/g, '\n')
  let quick = true
  let slowFrom = Infinity
  for (;;) {
    if (r.atEnd()) {
      if (quick) r.fail('Comment not terminated')
      // (the last two characters are held aside, for the end's `--`)
      const held = kept(r.p)
      r.fail(`Comment not terminated \n<!--${firstBytes([...held].slice(0, -2).join(''), 50)}`)
    }
    const c = r.code()
    if (quick) {
      if (c === 0x0d && r.code(r.p + 1) === 0x0a) { r.p += 2; continue }
      if (!((c >= 0x20 && c <= 0x7f) || c === 0x09 || c === 0x0a)) { quick = false; slowFrom = r.p }
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
    const c = r.code()
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (r.atEnd() || !isXmlChar(c)) r.fail(`ParsePI: PI ${target} never end ...`)
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
 * (xmlParseXMLDecl). An encoding other than UTF-8 is followed only for a text all ASCII (the same characters then).
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
    if (!/^utf-?8$/i.test(encoding)) {
      // eslint-disable-next-line no-control-regex
      if (/^utf-?16|^ucs|^utf-?32|ebcdic/i.test(encoding) || /[^\x00-\x7f]/.test(r.s)) throw new NotFollowed()
    }
    if (!isBlank(r.code())) { if (end()) return; r.fail('Blank needed here') }
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
    if (r.atEnd()) r.fail("AttValue: ' expected")
    const c = r.code()
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
    if (isNonCharacter(r.code())) r.fail(outOfRange(r.code()))
    if (r.atEnd() || !isXmlChar(r.code())) r.fail('Unregistered error message')
    r.p += r.width(r.code())
  }
  for (;;) {
    const c = r.code()
    if (isNonCharacter(c)) r.fail(outOfRange(c))
    if (r.atEnd() || !isXmlChar(c)) {
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
    const c = r.code()
    if (c === 0x3c || c === 0x26) return
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

/** libxml2's first fatal error on `text`, or undefined (well-formed, or a construct this reader does not follow). */
function firstFatal(text: string): Fatal | undefined {
  const r = new Reader(text)
  try {
    if (text.length === 0) r.fail('Document is empty')
    // (the byte order mark is read as such once there are four bytes to look at; before, as a character)
    if (r.code() === 0xfeff && utf8Length(text.slice(0, 2)) >= 4) r.p++
    if (r.startsWith('<?xml') && isBlank(r.code(r.p + 5))) xmlDeclaration(r)
    misc(r)
    if (r.startsWith('<!DOCTYPE')) throw new NotFollowed()
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

/**
 * What libvirt reports for `text` when it is not well-formed XML — libxml2's first fatal error in libvirt's frame
 * (catchXMLError) — or `undefined` when this reader finds it well-formed or meets what it does not follow (a DOCTYPE, an
 * XML declaration naming another encoding, an unfinished CDATA section). `source` is the name libvirt gives the
 * document: `(domain_definition)` for `virsh define` (virDomainDefineXML), a file's path where libvirt reads one.
 */
export function libvirtXmlSyntaxError(text: string, source = '(domain_definition)'): LibvirtXmlSyntaxError | undefined {
  const fatal = firstFatal(text)
  if (fatal === undefined) return undefined
  const at = Math.min(fatal.at, text.length)
  const line = lineAt(newlinesOf(text), fatal.lineOf)
  // (catchXMLError: back over the newlines the parser stands on, back to the line's start; the line from there, and a
  // pointer of one `-` per byte before the place — a tab kept as a tab —, no longer than that line)
  let start = at
  const isBreak = (i: number): boolean => i < text.length && (text[i] === '\n' || text[i] === '\r')
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
    message: `${source}:${line}: ${fatal.reason}\n${context === '' ? '(null)' : context}\n${pointer}^`,
    reason: fatal.reason,
    line,
    column: at - lineStart + 1,
    offset: at,
  }
}
