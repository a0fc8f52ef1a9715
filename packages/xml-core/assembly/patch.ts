// applyPatch: the WebAssembly twin of src/diff.ts applyPatchToTree. The host encodes the patch
// (see src/engine.ts encodePatch): per op a kind byte, then length-prefixed strings; paths come
// pre-split into segments. On any failure the module reports the op index and the host asks the
// reference for the exact error, so both engines throw the same thing.

import { Arena, I32s, T_ELEMENT, T_TEXT } from './arena'
import { Output } from './output'
import { beginDocuments, getArena, getInput, isNameChar, isNameStartChar, isXmlChar, parseRange } from './parser'
import { formatDocument } from './format'
import { attributeNamed, beginSegmentCache, Bytes, firstElement, identitiesOf, loadRules, pushNameOf, popName, resetNames, segmentChanged, textOf } from './changes'

const K_SET_ATTRIBUTE = 1
const K_REMOVE_ATTRIBUTE = 2
const K_SET_TEXT = 3
const K_INSERT = 4
const K_REMOVE = 5
const K_REORDER = 6
const K_REPLACE = 7

let arena = changetype<Arena>(0)
let input: usize = 0
let cursor: usize = 0
let maxDepthLimit = 512
let failedOp = -1
let patchOut = changetype<Output>(0)

export function patchOutputPtr(): usize { return patchOut.ptr }
export function patchOutputLen(): i32 { return patchOut.len }
export function patchFailedOp(): i32 { return failedOp }

function readU8(): i32 { const v = <i32>load<u8>(cursor); cursor += 1; return v }
function readU32(): i32 { const v = <i32>load<u32>(cursor); cursor += 4; return v }
/** A string: returns its offset in the input; its length goes to strLen. */
let strLen = 0
function str(): i32 { strLen = readU32(); const at = <i32>(cursor - input); cursor += <usize>strLen; return at }

// Path segments of the current op: (offset, len) pairs.
let segs = new I32s(0)
let segCount = 0
function readPath(): void {
  segCount = readU32()
  for (let i = 0; i < segCount; i++) { const at = str(); segs.set(i * 2, at); segs.set(i * 2 + 1, strLen) }
}

// The host hands names and values over as well-formed UTF-8 (src/engine.ts encodePatch defers
// strings with lone surrogates to the reference), so decoding needs no error checks.
let cpBytes = 0
function cpAtPtr(p: usize): i32 {
  const b = <i32>load<u8>(p)
  if (b < 0x80) { cpBytes = 1; return b }
  if (b < 0xe0) { cpBytes = 2; return ((b & 0x1f) << 6) | (<i32>load<u8>(p + 1) & 0x3f) }
  if (b < 0xf0) { cpBytes = 3; return ((b & 0x0f) << 12) | ((<i32>load<u8>(p + 1) & 0x3f) << 6) | (<i32>load<u8>(p + 2) & 0x3f) }
  cpBytes = 4
  return ((b & 0x07) << 18) | ((<i32>load<u8>(p + 1) & 0x3f) << 12) | ((<i32>load<u8>(p + 2) & 0x3f) << 6) | (<i32>load<u8>(p + 3) & 0x3f)
}

/** src/parse.ts isXmlName: an XML Name with at most one `:`, between a non-empty prefix and local part. */
function isXmlName(p: usize, len: i32): bool {
  if (len == 0) return false
  let colon = -1
  let i = 0
  while (i < len) {
    const c = cpAtPtr(p + <usize>i)
    if (c == 0x3a) {
      if (colon >= 0 || i == 0 || i == len - 1) return false
      colon = i
    } else if (i == 0 || i == colon + 1) {
      if (!isNameStartChar(c)) return false
    } else if (!isNameChar(c)) return false
    i += cpBytes
  }
  return true
}

/** Every character of the value is an XML 1.0 Char (src/diff.ts checkValue). */
function isXmlText(p: usize, len: i32): bool {
  let i = 0
  while (i < len) {
    if (!isXmlChar(cpAtPtr(p + <usize>i))) return false
    i += cpBytes
  }
  return true
}

function sameBytes(p: usize, len: i32, q: usize, qlen: i32): bool {
  return len == qlen && memory.compare(p, q, <usize>len) == 0
}

/** Resolves segments [0, upTo) from the document element; leaves the names stack on the path. -1 if missing. */
function resolve(root: i32, upTo: i32): i32 {
  resetNames()
  if (!sameBytes(input + <usize>segs.get(0), segs.get(1), arena.namePtr(root, input), arena.nameLen(root))) return -1
  pushNameOf(arena, root)
  let current = root
  for (let i = 1; i < upTo; i++) {
    const ids = identitiesOf(arena, current)
    let found = -1
    for (let k = 0; k < ids.count; k++) {
      if (sameBytes(ids.segPtr(k), ids.segLen.get(k), input + <usize>segs.get(i * 2), segs.get(i * 2 + 1))) { found = ids.nodes.get(k); break }
    }
    if (found < 0) return -1
    current = found
    pushNameOf(arena, current)
  }
  return current
}

// ---- child lists as arrays ----

let list = new I32s(0)
let listCount = 0
function loadChildren(parent: i32): void {
  listCount = 0
  for (let c = arena.firstChild(parent); c >= 0; c = arena.next(c)) list.set(listCount++, c)
}
function relink(parent: i32): void {
  segmentChanged(arena, parent)
  arena.clearChildren(parent)
  for (let i = 0; i < listCount; i++) arena.insertChild(parent, -1, list.get(i))
}
function indexInList(node: i32): i32 {
  for (let i = 0; i < listCount; i++) if (list.get(i) == node) return i
  return -1
}
function insertInList(at: i32, node: i32): void {
  for (let i = listCount; i > at; i--) list.set(i, list.get(i - 1))
  list.set(at, node)
  listCount++
}
function removeFromList(at: i32): void {
  for (let i = at; i < listCount - 1; i++) list.set(i, list.get(i + 1))
  listCount--
}

function isBlank(node: i32): bool {
  const p = arena.valuePtr(node)
  const len = arena.valueLenOf(node)
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if (c != 0x20 && c != 9 && c != 10 && c != 13) return false
  }
  return true
}

/** Parses an op's XML (in the input) and returns its element, or -1. */
function parseElementAt(at: i32, len: i32): i32 {
  const root = parseRange(at, at + len, maxDepthLimit)
  if (root < 0) return -1
  return firstElement(arena, root)
}

function childWithSegment(parent: i32, p: usize, len: i32): i32 {
  const ids = identitiesOf(arena, parent)
  for (let k = 0; k < ids.count; k++) if (sameBytes(ids.segPtr(k), ids.segLen.get(k), p, len)) return ids.nodes.get(k)
  return -1
}

/** Applies one op; false when it cannot apply. `docRoot` is the document's root node. */
function applyOne(docRoot: i32, kind: i32): bool {
  readPath()
  const root = firstElement(arena, docRoot)
  if (kind == K_REPLACE && segCount == 1) {
    const xmlAt = str(); const xmlLen = strLen
    if (!sameBytes(input + <usize>segs.get(0), segs.get(1), arena.namePtr(root, input), arena.nameLen(root))) return false
    const element = parseElementAt(xmlAt, xmlLen)
    if (element < 0) return false
    loadChildren(docRoot)
    list.set(indexInList(root), element)
    relink(docRoot)
    return true
  }
  if (kind == K_SET_ATTRIBUTE || kind == K_REMOVE_ATTRIBUTE) {
    const nameAt = str(); const nameLen = strLen
    let valueAt = 0, valueLen = 0
    if (kind == K_SET_ATTRIBUTE) { valueAt = str(); valueLen = strLen }
    const hasFrom = kind == K_REMOVE_ATTRIBUTE ? true : readU8() == 1
    const fromAt = hasFrom ? str() : 0
    const fromLen = hasFrom ? strLen : 0
    // What is written is checked first, as the reference does.
    if (kind == K_SET_ATTRIBUTE && (!isXmlName(input + <usize>nameAt, nameLen) || !isXmlText(input + <usize>valueAt, valueLen))) return false
    const element = resolve(root, segCount)
    if (element < 0) return false
    const existing = attributeNamed(arena, element, input + <usize>nameAt, nameLen)
    if (hasFrom) {
      if (existing < 0 || !sameBytes(arena.attributeValuePtr(existing), arena.attributeValueLen(existing), input + <usize>fromAt, fromLen)) return false
    } else if (existing >= 0) return false
    segmentChanged(arena, element)
    if (kind == K_SET_ATTRIBUTE) {
      const at = arena.pushValueBytes(input + <usize>valueAt, valueLen)
      arena.setAttribute(element, existing, nameAt, nameLen, at, valueLen)
    } else {
      const count = arena.attributeCount(element)
      for (let k = 0; k < count; k++) if (arena.attributeInOrder(element, k) == existing) { arena.removeAttributeAt(element, k); break }
    }
    return true
  }
  if (kind == K_SET_TEXT) {
    const valueAt = str(); const valueLen = strLen
    const fromAt = str(); const fromLen = strLen
    if (!isXmlText(input + <usize>valueAt, valueLen)) return false
    const element = resolve(root, segCount)
    if (element < 0) return false
    const current = new Bytes(64)
    textOf(arena, element, current)
    if (!sameBytes(current.ptr, current.len, input + <usize>fromAt, fromLen) || arena.hasElementChild(element)) return false
    segmentChanged(arena, element)
    arena.clearChildren(element)
    if (valueLen > 0) {
      const at = arena.pushValueBytes(input + <usize>valueAt, valueLen)
      arena.insertChild(element, -1, arena.add(-1, T_TEXT, 0, 0, at, valueLen))
    }
    return true
  }
  if (kind == K_INSERT) {
    const hasAfter = readU8() == 1
    const afterAt = hasAfter ? str() : 0
    const afterLen = hasAfter ? strLen : 0
    const xmlAt = str(); const xmlLen = strLen
    const hasAs = readU8() == 1
    const asAt = hasAs ? str() : 0
    const asLen = hasAs ? strLen : 0
    const parent = resolve(root, segCount)
    if (parent < 0) return false
    if (hasAs && childWithSegment(parent, input + <usize>asAt, asLen) >= 0) return false
    loadChildren(parent)
    let at = listCount
    if (!hasAfter) {
      for (let i = 0; i < listCount; i++) if (arena.type(list.get(i)) == T_ELEMENT) { at = i; break }
    } else {
      const sibling = childWithSegment(parent, input + <usize>afterAt, afterLen)
      if (sibling < 0) return false
      at = indexInList(sibling) + 1
    }
    const element = parseElementAt(xmlAt, xmlLen)
    if (element < 0) return false
    insertInList(at, element)
    relink(parent)
    if (hasAs) {
      const ids = identitiesOf(arena, parent)
      for (let k = 0; k < ids.count; k++) {
        if (ids.nodes.get(k) == element) return sameBytes(ids.segPtr(k), ids.segLen.get(k), input + <usize>asAt, asLen)
      }
      return false
    }
    return true
  }
  if (kind == K_REORDER) {
    const count = readU32()
    const orderAt = new I32s(count + 1)
    const orderLen = new I32s(count + 1)
    for (let i = 0; i < count; i++) { orderAt.set(i, str()); orderLen.set(i, strLen) }
    const parent = resolve(root, segCount)
    if (parent < 0) return false
    const nodes = new I32s(count + 1)
    for (let i = 0; i < count; i++) {
      const node = childWithSegment(parent, input + <usize>orderAt.get(i), orderLen.get(i))
      if (node < 0) return false
      nodes.set(i, node)
    }
    loadChildren(parent)
    // The listed elements trade places among the slots they occupy.
    const slots = new I32s(count + 1)
    for (let i = 0; i < count; i++) slots.set(i, indexInList(nodes.get(i)))
    for (let i = 1; i < count; i++) {
      const x = slots.get(i)
      let j = i - 1
      while (j >= 0 && slots.get(j) > x) { slots.set(j + 1, slots.get(j)); j-- }
      slots.set(j + 1, x)
    }
    for (let i = 0; i < count; i++) list.set(slots.get(i), nodes.get(i))
    relink(parent)
    return true
  }
  // remove or replace of a child element
  let xmlAt = 0, xmlLen = 0
  if (kind == K_REPLACE) { xmlAt = str(); xmlLen = strLen }
  if (kind != K_REMOVE && kind != K_REPLACE) return false
  const parent = resolve(root, segCount - 1)
  if (parent < 0) return false
  const child = childWithSegment(parent, input + <usize>segs.get((segCount - 1) * 2), segs.get((segCount - 1) * 2 + 1))
  if (child < 0) return false
  loadChildren(parent)
  const at = indexInList(child)
  if (kind == K_REPLACE) {
    const element = parseElementAt(xmlAt, xmlLen)
    if (element < 0) return false
    list.set(at, element)
    relink(parent)
    return true
  }
  removeFromList(at)
  // The last element child gone: the whitespace that laid out the list goes with it.
  let elements = false, blank = true
  for (let i = 0; i < listCount; i++) {
    const c = list.get(i)
    if (arena.type(c) == T_ELEMENT) elements = true
    else if (arena.type(c) != T_TEXT || !isBlank(c)) blank = false
  }
  if (!elements && blank) listCount = 0
  relink(parent)
  return true
}

/**
 * applyPatch: input = the document, the rules text, the encoded patch (u32 op count, then ops).
 * Returns 0 (the document in libvirt's layout in the patch output), 1 (the document does not
 * parse) or 2 (op `patchFailedOp()` cannot apply).
 */
export function applyPatch(docLen: i32, rulesLen: i32, patchLen: i32, maxDepth: i32): i32 {
  const total = docLen + rulesLen + patchLen
  beginDocuments(total)
  arena = getArena()
  input = getInput()
  maxDepthLimit = maxDepth
  failedOp = -1
  const docRoot = parseRange(0, docLen, maxDepth)
  if (docRoot < 0) return 1
  loadRules(docLen, docLen + rulesLen)
  beginSegmentCache(arena.count)
  segs = new I32s(64)
  list = new I32s(64)
  cursor = input + <usize>(docLen + rulesLen)
  const count = readU32()
  for (let i = 0; i < count; i++) {
    if (!applyOne(docRoot, readU8())) { failedOp = i; return 2 }
  }
  patchOut = new Output(total + 256)
  formatDocument(patchOut, arena, input, docRoot)
  return 0
}
