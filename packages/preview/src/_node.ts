// A small mutable tree the rules work on (private). xml-core's tree is immutable plain data; preview
// builds one new document per call, so it converts once in, edits in place, and converts once out.
import type { Element, ElementContent } from '@virtuned/xml-core'

/** A mutable element: attributes in order, element children, or text. */
export interface N {
  name: string
  attrs: Record<string, string>
  children: N[]
  /** The text of an element without element children. */
  text: string | undefined
  /** An element kept exactly as written (`<metadata>`). */
  raw: Element | undefined
}

/** A new node; `attrs` becomes its own (give a fresh object, or a copy). */
export function node(name: string, attrs?: Record<string, string>, children: N[] = [], text?: string): N {
  return { name, attrs: attrs ?? {}, children, text, raw: undefined }
}

/** Elements kept exactly as written. */
export const opaque: ReadonlySet<string> = new Set(['metadata'])

/**
 * Comments and layout whitespace are dropped: libvirt keeps neither. So is text beside element children outside
 * the elements kept as written (`<devices>[<disk/>]</devices>`, as templates leave it): libvirt's parser reads
 * elements by name and its formatter writes what it read — `strayText` collects where such text stood.
 */
export function fromElement(element: Element, strayText?: string[], path: string = element.name, inherited: XmlSpace = -1): N {
  const out = node(element.name, { ...element.attributes as Record<string, string> })
  if (opaque.has(element.name)) { out.raw = element; return out }
  const elements: N[] = []
  let text = ''
  let mixed = false
  const space = xmlSpace(element, inherited)
  const dropped = blanksDropped(element.children, space)
  for (const c of element.children) {
    if (c.type === 'element') elements.push(fromElement(c, strayText, `${path}/${c.name}`, space))
    else if (c.type === 'cdata' || (c.type === 'text' && !dropped.has(c))) { text += c.value; if (c.value.trim() !== '') mixed = true }
  }
  if (mixed && elements.length > 0) { strayText?.push(path); mixedText.set(out, stringValue(element, space)) }
  const first = firstTextNodeOf(element)
  if (first !== undefined) firstTextNode.set(out, first)
  if (elements.length > 0) out.children = elements
  // a leaf's text is kept, blank or not: libxml2 drops blank text between elements but keeps a leaf's (`<model> </model>`
  // is the CPU model ' ' to libvirtd 9.0); where libvirt reads no text, preview's drop of what it never reads removes it
  else if (text !== '') out.text = text
  return out
}

/**
 * The string value (XPath's `string()`: every text below, in document order) of each element that mixes text with
 * elements, where libvirt may read it as the element's text (`string(./backend)` of a random RNG backend). Set only for
 * such elements, which composed and dumped domains never have.
 */
export const mixedText: WeakMap<N, string> = new WeakMap()

/**
 * XPath's `string(./x/text())` of each element whose first text node may not be all its text (a comment, an element or a
 * CDATA section beside it): libvirt reads a smartcard's database so (virDomainSmartcardDefParseXML — `<database>/x<!--c-->z`
 * is `/x`, probe h25-tx-db-child, libvirtd 9.0). A blank text node beside other nodes is not one: libxml2 drops it.
 */
export const firstTextNode: WeakMap<N, string> = new WeakMap()

function firstTextNodeOf(element: Element): string | undefined {
  const children = element.children
  // (only text: one text node, the element's text; no text: none — firstTextIn says so without an entry)
  let text = false
  let other = false
  for (const c of children) { if (c.type === 'text' || c.type === 'cdata') text = true; if (c.type !== 'text') other = true }
  if (!text || !other) return undefined
  for (const c of children) {
    if (c.type === 'cdata') return c.value
    if (c.type === 'text' && c.value.trim() !== '') return c.value
  }
  // (no text node: XPath's string of none, empty)
  return ''
}

/**
 * An element's first text node as XPath's `text()` reads it (firstTextNode), else its text — none beside element
 * children alone (the fast path, _scan.ts, takes no mixed content: blank text there is no node to libxml2).
 */
export function firstTextIn(n: N | undefined): string | undefined {
  return n === undefined ? undefined : firstTextNode.get(n) ?? (n.children.length > 0 ? '' : n.text)
}

function stringValue(element: Element, space: XmlSpace): string {
  let value = ''
  const dropped = blanksDropped(element.children, space)
  for (const c of element.children) value += c.type === 'element' ? stringValue(c, xmlSpace(c, space)) : c.type === 'cdata' || (c.type === 'text' && !dropped.has(c)) ? c.value : ''
  return value
}

/**
 * libxml2's space state of an element (its parser's spaceTab): an `xml:space` of `preserve` keeps every blank (1), one of
 * `default` leaves them to the heuristic without the state a kept blank-led text sets (0); else the parent's (-1 at
 * first) — `<resource xml:space='preserve'><partition> <!--c-->/a</partition></resource>` is the partition ` /a`,
 * libvirtd 9.0, probes h41-o6-….
 */
type XmlSpace = -1 | 0 | 1
function xmlSpace(element: Element, inherited: XmlSpace): XmlSpace {
  const declared = (element.attributes as Record<string, string>)['xml:space']
  return declared === 'preserve' ? 1 : declared === 'default' ? 0 : inherited
}

/**
 * The blank text nodes libxml2 drops as it parses (libvirt parses without keeping blanks: xmlParseCharData asks
 * xmlSAX2's areBlanks, there being no DTD): a blank run is kept as the whole content before the end tag, after a text
 * node, where the element's first node is text, or once a text starting with a blank was kept in the element (libxml2
 * then marks the element's space state, `-2`, and keeps every blank after); else — first in an element with more to
 * come, or after a comment, processing instruction, CDATA section or element — it is dropped. `<iothreads> <!-- c -->
 * </iothreads>` is no count, `<iothreads>2<!-- c --> </iothreads>` the count `2 ` (refused), `<memory> <!-- c --> 262144
 * <!-- c --> </memory>` the size ` 262144  ` (refused) — libvirtd 9.0, probes h41-o-io-comment-blank, h41-cf1-….
 * (A reference's blank is kept wherever it stands; the tree has no trace of one: not reproduced.)
 */
function blanksDropped(children: readonly ElementContent[], space: XmlSpace): ReadonlySet<ElementContent> {
  let dropped: Set<ElementContent> | undefined
  // (only where a blank text node stands beside a node of another kind, and blanks are not preserved)
  if (space === 1 || children.length < 2 || !children.some((c) => c.type === 'text' && blankRun.test(c.value))) return new Set()
  let first: ElementContent | undefined
  let last: ElementContent | undefined
  let keepBlanks = false
  for (const [i, c] of children.entries()) {
    if (c.type === 'text' && blankRun.test(c.value)) {
      const kept = keepBlanks || (first === undefined ? i === children.length - 1 : last!.type === 'text' || first.type === 'text')
      if (!kept) { (dropped ??= new Set()).add(c); continue }
    }
    // (a text kept that starts with a blank: areBlanks was asked, said no, and the element keeps its blanks from now)
    if (space === -1 && c.type === 'text' && /^[ \t\n\r]/.test(c.value)) keepBlanks = true
    first ??= c
    last = c
  }
  return dropped ?? new Set()
}

const blankRun = /^[ \t\n\r]+$/

export function toElement(n: N): Element {
  if (n.raw) return { ...n.raw, name: n.name, attributes: { ...n.attrs } }
  const children: ElementContent[] = n.children.length > 0
    ? n.children.map(toElement)
    : n.text !== undefined ? [{ type: 'text', value: n.text }] : []
  return { type: 'element', name: n.name, attributes: { ...n.attrs }, children }
}

export function child(n: N | undefined, name: string): N | undefined {
  if (!n) return undefined
  const children = n.children
  for (let i = 0; i < children.length; i++) if (children[i]!.name === name) return children[i]
  return undefined
}

/** Each order's names with their first place (the orders that get here are constants: made once each). */
const rankMaps = new WeakMap<readonly string[], ReadonlyMap<string, number>>()

/** `order.indexOf(name)` as a map lookup, for the long orders (element orders of libvirt's formatter). */
export function rankMap(order: readonly string[]): ReadonlyMap<string, number> {
  let map = rankMaps.get(order)
  if (!map) {
    const m = new Map<string, number>()
    order.forEach((name, i) => { if (!m.has(name)) m.set(name, i) })
    rankMaps.set(order, (map = m))
  }
  return map
}

export function kids(n: N | undefined, name?: string): N[] {
  if (!n) return []
  return name === undefined ? n.children : n.children.filter((c) => c.name === name)
}

/** The child with this name, created (appended, or placed by `order`) when missing. */
export function ensure(n: N, name: string, order?: readonly string[]): N {
  const found = child(n, name)
  if (found) return found
  const created = node(name)
  insertOrdered(n, created, order)
  return created
}

/** Insert `c` before the first child that comes later in `order` (appended without an order). */
export function insertOrdered(n: N, c: N, order?: readonly string[]): void {
  if (!order) { n.children.push(c); return }
  // short orders are often written in place: indexOf; the long ones are constants: ranked once
  const ranks = order.length > 12 ? rankMap(order) : undefined
  const rank = rankIn(order, ranks, c.name)
  if (rank < 0) { n.children.push(c); return }
  const children = n.children
  let at = -1
  for (let i = 0; i < children.length; i++) if (rankIn(order, ranks, children[i]!.name) > rank) { at = i; break }
  if (at < 0) children.push(c)
  else children.splice(at, 0, c)
}

/** A name's place in `order` (its rank map when there is one), -1 when it is not there. */
function rankIn(order: readonly string[], ranks: ReadonlyMap<string, number> | undefined, name: string): number {
  return ranks ? ranks.get(name) ?? -1 : order.indexOf(name)
}

/** Set attributes in the given order (existing keys keep their place, unless `reorder`). */
export function setAttrs(n: N, attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) n.attrs[k] = v
}

/**
 * An element's text as written, '' for none: libvirt reads it so (virXPathString and the readers after it: an empty
 * value is none, a blank one a value — refused where a number or a name is read, kept where a string is).
 */
export function textIn(n: N | undefined): string {
  return n?.text ?? ''
}

/** A short path for explanations: `domain/devices/controller[@type='usb'][@index='0']`. */
export function describe(parents: readonly N[], n: N): string {
  const keys = ['type', 'index', 'model', 'bus', 'dev', 'name', 'id']
  const segs = [...parents, n].map((x) => {
    let s = x.name
    for (const k of keys) if (x.attrs[k] !== undefined && x !== parents[0]) { s += `[@${k}='${x.attrs[k]}']`; if (k === 'type' && x.name !== 'controller') break }
    return s
  })
  return segs.join('/')
}
