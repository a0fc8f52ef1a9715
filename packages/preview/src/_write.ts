// Writes preview's mutable form as libvirt prints it (private): the same text as xml-core's
// `toXml({ type: 'root', children: [toElement(n)] })` (libvirt style) — but for tab, newline and carriage return, which
// libvirt writes as they are (below) —, without building that tree first.
// Subtrees kept as written (<metadata>) go through xml-core's serializer itself.
//
// Two writers give the same text: the usual one puts ASCII bytes in one reused buffer and decodes it
// once (no string per piece, no rope to flatten); a character beyond ASCII anywhere sends the whole
// domain through the other, which joins strings.
//
// Both write an element's attributes in the order libvirt's formatter does (model's attributeOrder), whatever order
// they came in: an element out of that order gets its attributes reordered in place (the result's tree shows them so
// too), checked as they are written.
import { attributeOrdersBelow, attributesWrittenUnescaped, attributesWrittenUnescaped9, inAttributeOrder, textClosedAfterIndent, type AttributeOrder } from '@virtuned/model'
import { toXml } from '@virtuned/xml-core'
import type { N } from './_node.ts'

// libvirt's escaping (virBufferEscapeString): `& < > ' "`, in text and attribute values alike; tab, newline and
// carriage return are written as they are — a newline in an attribute value breaks the line (seen on libvirtd 9.0;
// xml-core's libvirt style writes them as references, so that what it writes reads back the same). Every character
// escaped is below 64.
const textReplacements: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' }
const attributeReplacements: Readonly<Record<string, string>> = textReplacements

// ---- the string writer ----

const textPattern = /[&<>'"]/g

function escapeText(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x26 || c === 0x3c || c === 0x3e || c === 0x27 || c === 0x22) return value.replace(textPattern, (m) => textReplacements[m]!)
  }
  return value
}

// The attributes libvirt writes unescaped (model's attributesWrittenUnescaped: a CPU feature's name; 9.0's
// attributesWrittenUnescaped9 beside them: a socket interface's address), by parent, then element.
function unescapedTable(table: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>> {
  const byParent = new Map<string, Map<string, Set<string>>>()
  for (const [path, names] of table) {
    const [parent, element] = path.split('/') as [string, string]
    let below = byParent.get(parent)
    if (!below) byParent.set(parent, (below = new Map()))
    below.set(element, new Set(names))
  }
  return byParent
}
const unescapedBelow11 = /* @__PURE__ */ unescapedTable(attributesWrittenUnescaped)
const unescapedBelow9 = /* @__PURE__ */ unescapedTable(attributesWrittenUnescaped9)
/** The table of the release being written (writeDomain sets it). */
let unescapedBelow = unescapedBelow11

const pads: string[] = []
const padOf = (depth: number): string => (pads[depth] ??= '  '.repeat(depth))

function raw(n: N, depth: number): string {
  // (xml-core writes <metadata> whole as libxml2 does, its own namespace declarations double-quoted)
  return toXml({ ...n.raw!, name: n.name, attributes: { ...n.attrs } }, { indent: depth })
}

function write(n: N, depth: number, out: string, orders: ReadonlyMap<string, AttributeOrder> | undefined, parent: string): string {
  if (n.raw) return out + raw(n, depth)
  out += padOf(depth) + '<' + n.name
  const order = orders?.get(n.name)
  const attrs = order === undefined ? n.attrs : (n.attrs = inAttributeOrder(n.attrs, order) as Record<string, string>)
  const unescaped = unescapedBelow.get(parent)?.get(n.name)
  for (const name in attrs) out += ' ' + name + "='" + (unescaped?.has(name) ? attrs[name]! : escapeText(attrs[name]!)) + "'"
  const children = n.children
  if (children.length > 0) {
    out += '>\n'
    const below = attributeOrdersBelow(parent, n.name)
    for (let i = 0; i < children.length; i++) out = write(children[i]!, depth + 1, out, below, n.name)
    return out + padOf(depth) + '</' + n.name + '>\n'
  }
  // (a text ending in a newline, written through a child buffer: the closing tag indented, model's textClosedAfterIndent)
  if (n.text !== undefined) return out + '>' + escapeText(n.text) + (n.text.endsWith('\n') && textClosedAfterIndent.has(`${parent}/${n.name}`) ? padOf(depth) : '') + '</' + n.name + '>\n'
  return out + '/>\n'
}

// ---- the byte writer ----

/** Per character code below 64: its reference's bytes where it is escaped, else `undefined`. */
function referencesOf(replacements: Readonly<Record<string, string>>): (Uint8Array | undefined)[] {
  const table: (Uint8Array | undefined)[] = []
  for (let c = 0; c < 64; c++) {
    const replacement = replacements[String.fromCharCode(c)]
    table.push(replacement === undefined ? undefined : Uint8Array.from(replacement, (ch) => ch.charCodeAt(0)))
  }
  return table
}
const textReferences = /* @__PURE__ */ referencesOf(textReplacements)
const attributeReferences = /* @__PURE__ */ referencesOf(attributeReplacements)

/** The longest reference (`&apos;`, `&quot;`): the most bytes one character can take. */
const widest = 6
/** Room every put leaves after what it wrote, for the fixed punctuation between two puts (at most 4 bytes). */
const slack = 16
/** The buffer's first size, and the most it keeps between calls (a larger one is let go after its domain). */
const initialSize = 16 * 1024
const keptSize = 1024 * 1024

let bytes = /* @__PURE__ */ new Uint8Array(initialSize)
const ascii = /* @__PURE__ */ new TextDecoder()

/** `bytes` with room for `size` bytes, the first `used` kept. */
function room(used: number, size: number): Uint8Array {
  if (size > bytes.length) {
    const grown = new Uint8Array(Math.max(size, bytes.length * 2))
    grown.set(bytes.subarray(0, used))
    bytes = grown
  }
  return bytes
}

/** `value` from `p` on, as it is; -1 for a character beyond ASCII. */
function put(value: string, p: number): number {
  const n = value.length
  const b = room(p, p + n + slack)
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0x80) return -1
    b[p++] = c
  }
  return p
}

/** `value` from `p` on, escaped by `references`; -1 for a character beyond ASCII. */
function putEscaped(value: string, p: number, references: readonly (Uint8Array | undefined)[]): number {
  const n = value.length
  let b = room(p, p + n + slack)
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    if (c < 64) {
      const reference = references[c]
      if (reference !== undefined) {
        b = room(p, p + widest + (n - i) + slack)
        for (let k = 0; k < reference.length; k++) b[p++] = reference[k]!
        continue
      }
    } else if (c >= 0x80) return -1
    b[p++] = c
  }
  return p
}

/** Two spaces per level, from `p` on. */
function indent(depth: number, p: number): number {
  const b = room(p, p + 2 * depth + slack)
  for (let k = 2 * depth; k > 0; k--) b[p++] = 0x20
  return p
}

/** ` name='value'` from `p` on (`as is`: unescaped); -1 for a character beyond ASCII. */
function putAttribute(key: string, value: string, p: number, asIs = false): number {
  bytes[p++] = 0x20
  if ((p = put(key, p)) < 0) return -1
  bytes[p++] = 0x3d // =
  bytes[p++] = 0x27 // '
  if ((p = asIs ? put(value, p) : putEscaped(value, p, attributeReferences)) < 0) return -1
  bytes[p++] = 0x27
  return p
}

/**
 * `n` from `p` on; -1 for a character beyond ASCII. `orders`: the attribute orders of the elements below `n`'s parent
 * (by name), `parent` that parent's name.
 */
function putElement(n: N, depth: number, p: number, orders: ReadonlyMap<string, AttributeOrder> | undefined, parent: string): number {
  if (n.raw) return put(raw(n, depth), p)
  const name = n.name
  p = indent(depth, p)
  bytes[p++] = 0x3c // <
  if ((p = put(name, p)) < 0) return -1
  const attrs = n.attrs
  const order = orders?.get(name)
  const rank = order?.rank
  const unescaped = unescapedBelow.get(parent)?.get(name)
  const attributesAt = p
  let previous = -1
  // (the first attribute's place is read only once a second one comes: one alone is in order — most elements have one)
  let first: string | undefined
  for (const key in attrs) {
    // (in rising places of the table's one order, as usual, the attributes are in libvirt's order; else they are
    // written again in that order)
    if (rank !== undefined) {
      if (first === undefined) first = key
      else {
        if (first !== '') { previous = rank.get(first) ?? -1; first = '' }
        const r = rank.get(key)
        if (r !== undefined) {
          if (r < previous) {
            const ordered = (n.attrs = inAttributeOrder(attrs, order!) as Record<string, string>)
            p = attributesAt
            for (const k in ordered) if ((p = putAttribute(k, ordered[k]!, p, unescaped?.has(k))) < 0) return -1
            break
          }
          previous = r
        }
      }
    }
    if ((p = putAttribute(key, attrs[key]!, p, unescaped?.has(key))) < 0) return -1
  }
  const children = n.children
  if (children.length > 0) {
    bytes[p++] = 0x3e // >
    bytes[p++] = 0x0a
    const below = attributeOrdersBelow(parent, name)
    for (let i = 0; i < children.length; i++) if ((p = putElement(children[i]!, depth + 1, p, below, name)) < 0) return -1
    p = indent(depth, p)
    bytes[p++] = 0x3c
    bytes[p++] = 0x2f // /
  } else if (n.text !== undefined) {
    bytes[p++] = 0x3e
    if ((p = putEscaped(n.text, p, textReferences)) < 0) return -1
    if (n.text.endsWith('\n') && textClosedAfterIndent.has(`${parent}/${name}`)) p = indent(depth, p)
    bytes[p++] = 0x3c
    bytes[p++] = 0x2f
  } else {
    bytes[p++] = 0x2f
    bytes[p++] = 0x3e
    bytes[p++] = 0x0a
    return p
  }
  if ((p = put(name, p)) < 0) return -1
  bytes[p++] = 0x3e
  bytes[p++] = 0x0a
  return p
}

/** The domain as libvirt formats it, ending with a newline (`libvirt9`: as libvirt 9.0's formatter escapes it). */
export function writeDomain(domain: N, libvirt9 = false): string {
  unescapedBelow = libvirt9 ? unescapedBelow9 : unescapedBelow11
  const orders = attributeOrdersBelow('', '')
  const end = putElement(domain, 0, 0, orders, '')
  if (end < 0) return write(domain, 0, '', orders, '')
  const text = ascii.decode(bytes.subarray(0, end))
  if (bytes.length > keptSize) bytes = new Uint8Array(initialSize)
  return text
}
