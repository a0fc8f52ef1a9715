import type { Element, ElementContent, Root, RootContent } from './tree.ts'

/**
 * How {@link toXml} lays out a tree.
 *
 * - `libvirt` (default): what `virsh dumpxml` prints. Two-space indentation, one
 *   element per line, `attr='value'`, and `&apos; &quot; &lt; &gt; &amp;` escaped in
 *   text and attributes alike (libvirt's `virBufferEscapeString`). Whitespace-only
 *   text between elements is replaced by that indentation; text that is not only
 *   whitespace (mixed content) is written as it is, with no indentation added.
 *   `<metadata>` and its children are written the way libvirt hands them to libxml2:
 *   `attr="value"`, `'` left unescaped in text, comments and processing instructions on lines of
 *   their own where no text stands beside them. Tab, newline and carriage return are written as
 *   references (in attributes; carriage return in text too) so that the text reads back the same —
 *   libvirt writes them as they are.
 * - `preserve`: every text node as it was read (the input's own indentation and
 *   line breaks), attributes in document order, single-quoted.
 *
 * Both keep comments, CDATA sections, processing instructions and the XML declaration.
 */
export type XmlStyle = 'libvirt' | 'preserve'

export interface ToXmlOptions {
  readonly style?: XmlStyle
  /** Indentation of the root element in `libvirt` style (default 0): device XML nested in a larger document. */
  readonly indent?: number
}

/**
 * An escape table: which character codes below 64 are escaped (`flags`, one byte each, so the
 * test is one typed-array read) and with what (`replacements`). Every character any table escapes
 * is below 64, so most characters (letters) are decided by one comparison.
 */
interface EscapeTable {
  readonly flags: Uint8Array
  readonly replacements: readonly string[]
}

function tableOf(replacements: Readonly<Record<string, string>>): EscapeTable {
  const flags = new Uint8Array(64)
  const strings: string[] = Array.from({ length: 64 }, () => '')
  for (const c of Object.keys(replacements)) {
    flags[c.charCodeAt(0)] = 1
    strings[c.charCodeAt(0)] = replacements[c]!
  }
  return { flags, replacements: strings }
}

const libvirtTextTable = tableOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' })
const libvirtAttributeTable = tableOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' })
const libxml2TextTable = tableOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })
const libxml2AttributeTable = tableOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\t': '&#9;', '\r': '&#13;' })

/** `value` with every character the table names replaced; the value itself when none is there (most are not). */
function escape(value: string, table: EscapeTable): string {
  const flags = table.flags
  const n = value.length
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    if (c < 64 && flags[c] === 1) return escapeFrom(value, i, table)
  }
  return value
}

function escapeFrom(value: string, first: number, table: EscapeTable): string {
  const flags = table.flags
  let out = ''
  let run = 0
  for (let i = first; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 64 || flags[c] !== 1) continue
    out += value.slice(run, i) + table.replacements[c]!
    run = i + 1
  }
  return out + value.slice(run)
}

interface Flavour {
  readonly quote: string
  /** `='` or `="`: what goes between an attribute's name and its value. */
  readonly equals: string
  readonly text: EscapeTable
  readonly attribute: EscapeTable
}

const libvirtFlavour: Flavour = { quote: "'", equals: "='", text: libvirtTextTable, attribute: libvirtAttributeTable }
const libxml2Flavour: Flavour = { quote: '"', equals: '="', text: libxml2TextTable, attribute: libxml2AttributeTable }

/**
 * A value as XML that is safe wherever a value goes: text, or an attribute value quoted with `'`
 * or `"` (`& < > ' "`, tab, newline and carriage return as references, as libvirt writes
 * attributes). Only for XML that must be a string template (policy fragments with `${param}`);
 * everywhere else build a tree and let {@link toXml} escape it.
 */
export function escapeXml(value: string): string {
  return escape(value, libvirtAttributeTable)
}

function isWhitespace(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c !== 0x20 && c !== 9 && c !== 10 && c !== 13) return false
  }
  return true
}

// The writers below append to `out` and return it: one string grows through the whole
// document, with no intermediate string per tag or per element.

/** `<name attr='value' …` (the caller closes it). */
function writeOpen(out: string, node: Element, flavour: Flavour): string {
  out += '<' + node.name
  const attributes = node.attributes
  const quote = flavour.quote
  const equals = flavour.equals
  const table = flavour.attribute
  for (const name in attributes) out += ' ' + name + equals + escape(attributes[name]!, table) + quote
  return out
}

/** A node with everything inside it on the same line, as it is. */
function writeInline(out: string, node: ElementContent, flavour: Flavour): string {
  switch (node.type) {
    case 'text': return out + escape(node.value, flavour.text)
    case 'cdata': return out + '<![CDATA[' + node.value + ']]>'
    case 'comment': return out + '<!--' + node.value + '-->'
    case 'instruction': return out + '<?' + node.name + (node.value ? ' ' + node.value : '') + '?>'
    case 'element': {
      out = writeOpen(out, node, flavour)
      const children = node.children
      if (children.length === 0) return out + '/>'
      out += '>'
      for (let ci = 0; ci < children.length; ci++) out = writeInline(out, children[ci]!, flavour)
      return out + '</' + node.name + '>'
    }
  }
}

const pads: string[] = []
const padOf = (depth: number): string => (pads[depth] ??= '  '.repeat(depth))

/**
 * Libvirt layout: children on their own lines unless the element holds real (non-whitespace) text.
 * Appends the element's lines, each ended by a newline, to `out`; returns the new text.
 */
function pretty(node: Element, depth: number, flavour: Flavour, out: string): string {
  if (Object.isFrozen(node)) return out + sharedText(node, depth, flavour)
  return prettyLines(node, depth, flavour, out)
}

// A frozen element is shared, unchanged, between many trees (merge freezes the subtrees it adds
// from a layer, and every result that adds them holds the same objects): its lines are written
// once per depth and flavour, and reused.
const sharedTexts = new WeakMap<Element, { readonly depth: number; readonly flavour: Flavour; readonly text: string }>()

function sharedText(node: Element, depth: number, flavour: Flavour): string {
  const known = sharedTexts.get(node)
  if (known !== undefined && known.depth === depth && known.flavour === flavour) return known.text
  // (flat, as it is kept: every document that holds it copies it from one piece)
  const text = flattened(prettyLines(node, depth, flavour, ''))
  sharedTexts.set(node, { depth, flavour, text })
  return text
}

function prettyLines(node: Element, depth: number, parentFlavour: Flavour, out: string): string {
  // libvirt hands <metadata> to libxml2 whole: the element's own tag is libxml2's too, not only its children
  const flavour = parentFlavour === libxml2Flavour || node.name === 'metadata' ? libxml2Flavour : parentFlavour
  const pad = padOf(depth)
  const children = node.children
  // The usual shapes first: no children (`<target dev='vda'/>`), one text child (`<name>vm</name>`).
  if (children.length === 0) return writeOpen(out + pad, node, flavour) + '/>\n'
  if (children.length === 1) {
    const only = children[0]!
    if (only.type === 'text') return writeOpen(out + pad, node, flavour) + '>' + escape(only.value, flavour.text) + '</' + node.name + '>\n'
  }
  // Layout whitespace goes only where the canonical form ignores it: between the
  // children of an element that has element children and no real text.
  let hasText = false
  let structured = false
  for (let ci = 0; ci < children.length; ci++) {
    const c = children[ci]!
    // (libxml2, which writes <metadata>, lays out any content without text on lines: comments and processing
    // instructions too — seen on libvirtd 9.0)
    if (c.type === 'element' || (flavour === libxml2Flavour && (c.type === 'comment' || c.type === 'instruction'))) structured = true
    else if (c.type === 'cdata' || (c.type === 'text' && !isWhitespace(c.value))) { hasText = true; break }
  }
  // Leaf, text-only, comment-only (libvirt's own) or mixed content: written as it is, whitespace included.
  if (hasText || !structured) return writeInline(out + pad, node, flavour) + '\n'
  out = writeOpen(out + pad, node, flavour) + '>\n'
  const childFlavour = flavour
  const childPad = padOf(depth + 1)
  for (let ci = 0; ci < children.length; ci++) {
    const child = children[ci]!
    if (child.type === 'text') continue
    if (child.type === 'element') out = pretty(child, depth + 1, childFlavour, out)
    else out = writeInline(out + childPad, child, flavour) + '\n'
  }
  return out + pad + '</' + node.name + '>\n'
}

/**
 * The text flattened now, while it is young. A string grown by `+=` is a rope in V8, flattened by its first reader,
 * and a rope read long after it was made costs that reader dearly: a composed domain previewed later took 45–60 µs
 * more (of ~330) than one flattened when composed (the two taking turns over 6,000 distinct composed domains), while
 * flattening here costs compose nothing measurable. Reading one character flattens a rope in place (V8's
 * String::Flatten); kept in `firstCode` so no optimiser drops the read.
 */
function flattened(text: string): string {
  firstCode = text.charCodeAt(0)
  return text
}
let firstCode = 0

/** Serialize a tree to XML text (see {@link XmlStyle}). The result ends with a newline in `libvirt` style. */
export function toXml(root: Root | Element, options: ToXmlOptions = {}): string {
  const style = options.style ?? 'libvirt'
  const nodes: readonly (RootContent | ElementContent)[] = root.type === 'root' ? root.children : [root]
  let out = ''
  if (style === 'preserve') {
    for (let ci = 0; ci < nodes.length; ci++) out = writeInline(out, nodes[ci]!, libvirtFlavour)
    return flattened(out)
  }
  for (let ci = 0; ci < nodes.length; ci++) {
    const child = nodes[ci]!
    if (child.type === 'text') continue
    if (child.type === 'element') out = pretty(child, options.indent ?? 0, libvirtFlavour, out)
    else out = writeInline(out, child, libvirtFlavour) + '\n'
  }
  // Lines joined by newlines, and a final one: an empty document is one newline.
  return out === '' ? '\n' : flattened(out)
}

// ---- canonical form ----------------------------------------------------------

/**
 * Options of the canonical form. The WebAssembly engine takes the same options and
 * must give byte-identical output.
 */
export interface CanonicalOptions {
  /** Keep comments and processing instructions (default true). libvirt itself drops them. */
  readonly comments?: boolean
}

const canonicalTextTable = tableOf({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })
const canonicalAttributeTable = tableOf({ '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })

/** Compare two strings by Unicode code point (= UTF-8 byte order), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (astral code points) sort after every BMP code unit.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000
    else if (x >= 0xe000) x -= 0x800
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000
    else if (y >= 0xe000) y -= 0x800
    return x - y
  }
  return a.length - b.length
}

/**
 * The canonical form virtuned compares documents by. Defined, not borrowed (it is
 * not W3C C14N):
 *
 * 1. No XML declaration, no whitespace outside the root element, no layout.
 * 2. Attributes (namespace declarations too) sorted by name in code-point order, written
 *    `name="value"` with `& < "` and tab, newline, carriage return escaped.
 * 3. CDATA sections become text; adjacent text joins. Text is written with `& < >` and
 *    carriage return escaped.
 * 4. In an element that has element children, text that is only whitespace
 *    (space, tab, newline, carriage return) is dropped: it is layout. All other text is kept as it is.
 * 5. Elements with no children are written `<name/>`.
 * 6. Comments and processing instructions are kept in place (unless `comments: false`,
 *    which drops them before step 3, so text on both sides of a comment joins).
 */
export function toCanonical(root: Root | Element, options: CanonicalOptions = {}): string {
  const keepComments = options.comments ?? true
  let out = ''
  const write = (node: Element): void => {
    out += '<' + node.name
    const names = Object.keys(node.attributes)
    if (names.length > 1) names.sort(compareCodePoints)
    for (const name of names) out += ' ' + name + '="' + escape(node.attributes[name]!, canonicalAttributeTable) + '"'
    const children = node.children
    if (children.length === 0) { out += '/>'; return }
    let hasElement = false
    for (const c of children) if (c.type === 'element') { hasElement = true; break }
    let run = ''
    let inRun = false
    let body = ''
    const flush = (): void => {
      if (inRun && !(hasElement && isWhitespace(run))) body += escape(run, canonicalTextTable)
      run = ''
      inRun = false
    }
    const bodyStart = out.length
    out += '>'
    for (const child of children) {
      if (child.type === 'text' || child.type === 'cdata') { run += child.value; inRun = true; continue }
      if (child.type === 'comment' || child.type === 'instruction') {
        if (!keepComments) continue
        flush()
        out += body
        body = ''
        out += child.type === 'comment' ? '<!--' + child.value + '-->' : '<?' + child.name + (child.value ? ' ' + child.value : '') + '?>'
        continue
      }
      flush()
      out += body
      body = ''
      write(child)
    }
    flush()
    out += body
    if (out.length === bodyStart + 1) out = out.slice(0, bodyStart) + '/>'
    else out += '</' + node.name + '>'
  }
  const nodes: readonly (RootContent | ElementContent)[] = root.type === 'root' ? root.children : [root]
  for (const node of nodes) {
    if (node.type === 'element') write(node)
    else if (keepComments && node.type === 'comment') out += '<!--' + node.value + '-->'
    else if (keepComments && node.type === 'instruction' && node.name !== 'xml') out += '<?' + node.name + (node.value ? ' ' + node.value : '') + '?>'
  }
  return out
}
