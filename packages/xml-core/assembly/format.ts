// libvirt-style layout of a parsed arena, byte-identical to src/serialize.ts `toXml(tree)`:
// two-space indent, one element per line where an element has element children and no real
// text, `attr='value'` with libvirt's escapes, and libxml2's style (`attr="value"`) for <metadata> and everything in it.

import { Arena, T_ELEMENT, T_TEXT, T_CDATA, T_COMMENT, T_PI } from './arena'
import { Output } from './output'

function isBlank(p: usize, len: i32): bool {
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if (c != 0x20 && c != 9 && c != 10 && c != 13) return false
  }
  return true
}

function escapeInto(out: Output, p: usize, len: i32, libxml2: bool, attribute: bool): void {
  out.ensure(len)
  let chunk = 0
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    let replacement: string | null = null
    if (c == 0x26) replacement = '&amp;'
    else if (c == 0x3c) replacement = '&lt;'
    else if (c == 0x3e) replacement = '&gt;'
    else if (c == 13) replacement = '&#13;'
    else if (c == 0x22 && (attribute || !libxml2)) replacement = '&quot;'
    else if (c == 0x27 && !libxml2) replacement = '&apos;'
    else if (attribute && c == 10) replacement = '&#10;'
    else if (attribute && c == 9) replacement = '&#9;'
    if (replacement !== null) {
      out.bytes(p + <usize>chunk, k - chunk)
      chunk = k + 1
      const r = changetype<string>(replacement)
      for (let i = 0; i < r.length; i++) out.byte(<i32>r.charCodeAt(i))
    }
  }
  out.bytes(p + <usize>chunk, len - chunk)
}

function pad(out: Output, depth: i32): void {
  for (let k = 0; k < depth; k++) { out.byte(0x20); out.byte(0x20) }
}

function startTag(out: Output, arena: Arena, input: usize, node: i32, libxml2: bool): void {
  out.byte(0x3c)
  out.bytes(arena.namePtr(node, input), arena.nameLen(node))
  const quote = libxml2 ? 0x22 : 0x27
  const count = arena.attributeCount(node)
  for (let k = 0; k < count; k++) {
    const a = arena.attributeInOrder(node, k)
    out.byte(0x20)
    out.bytes(input + <usize>arena.attributeNameStart(a), arena.attributeNameLen(a))
    out.byte(0x3d)
    out.byte(quote)
    escapeInto(out, arena.attributeValuePtr(a), arena.attributeValueLen(a), libxml2, true)
    out.byte(quote)
  }
}

function inline(out: Output, arena: Arena, input: usize, node: i32, libxml2: bool): void {
  const t = arena.type(node)
  if (t == T_TEXT) { escapeInto(out, arena.valuePtr(node), arena.valueLenOf(node), libxml2, false); return }
  if (t == T_CDATA) {
    out.byte(0x3c); out.byte(0x21); out.byte(0x5b); out.byte(0x43); out.byte(0x44); out.byte(0x41); out.byte(0x54); out.byte(0x41); out.byte(0x5b)
    out.bytes(arena.valuePtr(node), arena.valueLenOf(node))
    out.byte(0x5d); out.byte(0x5d); out.byte(0x3e)
    return
  }
  if (t == T_COMMENT) {
    out.byte(0x3c); out.byte(0x21); out.byte(0x2d); out.byte(0x2d)
    out.bytes(arena.valuePtr(node), arena.valueLenOf(node))
    out.byte(0x2d); out.byte(0x2d); out.byte(0x3e)
    return
  }
  if (t == T_PI) {
    out.byte(0x3c); out.byte(0x3f)
    out.bytes(arena.namePtr(node, input), arena.nameLen(node))
    const len = arena.valueLenOf(node)
    if (len > 0) { out.byte(0x20); out.bytes(arena.valuePtr(node), len) }
    out.byte(0x3f); out.byte(0x3e)
    return
  }
  startTag(out, arena, input, node, libxml2)
  let child = arena.firstChild(node)
  if (child < 0) { out.byte(0x2f); out.byte(0x3e); return }
  out.byte(0x3e)
  for (; child >= 0; child = arena.next(child)) inline(out, arena, input, child, libxml2)
  closeTag(out, arena, input, node)
}

function closeTag(out: Output, arena: Arena, input: usize, node: i32): void {
  out.byte(0x3c); out.byte(0x2f)
  out.bytes(arena.namePtr(node, input), arena.nameLen(node))
  out.byte(0x3e)
}

function isMetadata(arena: Arena, input: usize, node: i32): bool {
  if (arena.nameLen(node) != 8) return false
  const p = arena.namePtr(node, input)
  const s = 'metadata'
  for (let k = 0; k < 8; k++) if (<i32>load<u8>(p + <usize>k) != <i32>s.charCodeAt(k)) return false
  return true
}

/** One line (or block) per element; depth is bounded by the parser's maxDepth. */
function pretty(out: Output, arena: Arena, input: usize, node: i32, depth: i32, libxml2: bool): void {
  // libvirt hands <metadata> to libxml2 whole: the element's own tag is libxml2's too, not only its children
  const inMetadata = libxml2 || isMetadata(arena, input, node)
  let hasText = false
  let structured = false
  for (let child = arena.firstChild(node); child >= 0; child = arena.next(child)) {
    const t = arena.type(child)
    if (t == T_CDATA || (t == T_TEXT && !isBlank(arena.valuePtr(child), arena.valueLenOf(child)))) hasText = true
    // (libxml2 lays out any content without text on lines: comments and processing instructions too — libvirtd 9.0)
    else if (t == T_ELEMENT || (inMetadata && (t == T_COMMENT || t == T_PI))) structured = true
  }
  pad(out, depth)
  if (hasText || !structured) {
    inline(out, arena, input, node, inMetadata)
    out.byte(10)
    return
  }
  startTag(out, arena, input, node, inMetadata)
  out.byte(0x3e)
  out.byte(10)
  for (let child = arena.firstChild(node); child >= 0; child = arena.next(child)) {
    const t = arena.type(child)
    if (t == T_TEXT) continue
    if (t == T_ELEMENT) pretty(out, arena, input, child, depth + 1, inMetadata)
    else { pad(out, depth + 1); inline(out, arena, input, child, inMetadata); out.byte(10) }
  }
  pad(out, depth)
  closeTag(out, arena, input, node)
  out.byte(10)
}

/** The whole document in libvirt's layout (root-level text dropped, each node on its own line). */
export function formatDocument(out: Output, arena: Arena, input: usize, root: i32): void {
  for (let child = arena.firstChild(root); child >= 0; child = arena.next(child)) {
    const t = arena.type(child)
    if (t == T_TEXT) continue
    if (t == T_ELEMENT) pretty(out, arena, input, child, 0, false)
    else { inline(out, arena, input, child, false); out.byte(10) }
  }
}

/** One element as the `preserve` style writes it (attributes in order, libvirt quoting). */
export function inlineElement(out: Output, arena: Arena, input: usize, node: i32): void {
  inline(out, arena, input, node, false)
}
