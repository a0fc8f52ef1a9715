// merge: the WebAssembly twin of src/merge.ts. Layers are parsed into the same arena as the base;
// a layer's subtree that the base lacks is linked into the base as it is (annotations stripped),
// which is what the reference's clone gives, without copying.

import { Arena, I32s, T_ELEMENT, T_TEXT } from './arena'
import { Output } from './output'
import { beginDocuments, getArena, getInput, parseRange } from './parser'
import { formatDocument } from './format'
import {
  attributeNamed, Bytes, BytesMap, firstElement, identitiesOf, isJsSpace, jsonAscii, jsonString, loadRules,
  pushNameOf, popName, resetNames, setOutput2, textOf, appendTrimmed,
} from './changes'

const NS = 'urn:virtuned:layer'

let arena = changetype<Arena>(0)
let input: usize = 0
let holders = changetype<BytesMap>(0) // path → (source + 1) << 1 | require
let conflicts = changetype<Output>(0)
let provenance = changetype<Output>(0)
let firstConflict = true
let firstProvenance = true

// The current layer.
let layerIndex = 0
let layerNamePtr: usize = 0
let layerNameLen = 0
let layerForced = false
let prefixPtr: usize = 0
let prefixLen = -1 // -1: the layer declares no annotation namespace
let layerNames = new I32s(0) // per layer: (ptr, len) of its name in the meta block

const MODE_FILL = 0
const MODE_REQUIRE = 1

function startsWithBytes(p: usize, len: i32, q: usize, qlen: i32): bool {
  return len >= qlen && memory.compare(p, q, <usize>qlen) == 0
}

/** Whether attribute name [p, len) is a layer annotation: `prefix:…` or `xmlns:prefix`. */
function isAnnotation(p: usize, len: i32): bool {
  if (prefixLen < 0) return false
  if (len > prefixLen && startsWithBytes(p, len, prefixPtr, prefixLen) && load<u8>(p + <usize>prefixLen) == 0x3a) return true
  return len == prefixLen + 6 && equalXmlns(p) && memory.compare(p + 6, prefixPtr, <usize>prefixLen) == 0
}

function equalXmlns(p: usize): bool {
  return load<u8>(p) == 0x78 && load<u8>(p + 1) == 0x6d && load<u8>(p + 2) == 0x6c && load<u8>(p + 3) == 0x6e && load<u8>(p + 4) == 0x73 && load<u8>(p + 5) == 0x3a
}

/** The value of the annotation `prefix:local` on element, as attribute index, or -1. */
function annotation(element: i32, local: string): i32 {
  if (prefixLen < 0) return -1
  const b = new Bytes(prefixLen + 8)
  b.bytes(prefixPtr, prefixLen)
  b.byte(0x3a)
  b.ascii(local)
  return attributeNamed(arena, element, b.ptr, b.len)
}

function isAsciiValue(a: i32, s: string): bool {
  const p = arena.attributeValuePtr(a)
  const len = arena.attributeValueLen(a)
  if (len != s.length) return false
  for (let i = 0; i < len; i++) if (<i32>load<u8>(p + <usize>i) != <i32>s.charCodeAt(i)) return false
  return true
}

function modeOf(element: i32, inherited: i32): i32 {
  const a = annotation(element, 'mode')
  if (a < 0) return inherited
  if (isAsciiValue(a, 'require')) return MODE_REQUIRE
  if (isAsciiValue(a, 'fill')) return MODE_FILL
  return inherited
}

/** Whether the whitespace-separated word list in attribute a contains [p, len). */
function listHas(a: i32, p: usize, len: i32): bool {
  const vp = arena.attributeValuePtr(a)
  const vl = arena.attributeValueLen(a)
  let i = 0
  while (i < vl) {
    // Skip JS whitespace (\s), then read a word.
    const c = <i32>load<u8>(vp + <usize>i)
    const cp = decode(vp, i)
    if (isJsSpace(cp)) { i += lengthOf(c); continue }
    const start = i
    while (i < vl && !isJsSpace(decode(vp, i))) i += lengthOf(<i32>load<u8>(vp + <usize>i))
    if (i - start == len && memory.compare(vp + <usize>start, p, <usize>len) == 0) return true
  }
  return false
}

function decode(p: usize, i: i32): i32 {
  const b = <i32>load<u8>(p + <usize>i)
  if (b < 0x80) return b
  if (b < 0xe0) return ((b & 0x1f) << 6) | (<i32>load<u8>(p + <usize>(i + 1)) & 0x3f)
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((<i32>load<u8>(p + <usize>(i + 1)) & 0x3f) << 6) | (<i32>load<u8>(p + <usize>(i + 2)) & 0x3f)
  return ((b & 0x07) << 18) | ((<i32>load<u8>(p + <usize>(i + 1)) & 0x3f) << 12) | ((<i32>load<u8>(p + <usize>(i + 2)) & 0x3f) << 6) | (<i32>load<u8>(p + <usize>(i + 3)) & 0x3f)
}
function lengthOf(b: i32): i32 { return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4 }

const TEXT_KEY = '#text'

function valueMode(element: i32, p: usize, len: i32, elementMode: i32): i32 {
  if (prefixLen < 0) return elementMode
  const r = annotation(element, 'require')
  if (r >= 0 && listHas(r, p, len)) return MODE_REQUIRE
  const f = annotation(element, 'fill')
  if (f >= 0 && listHas(f, p, len)) return MODE_FILL
  return elementMode
}

function textModeOf(element: i32, elementMode: i32): i32 {
  const b = new Bytes(8)
  b.ascii(TEXT_KEY)
  return valueMode(element, b.ptr, b.len, elementMode)
}

// ---- output ----

function writeSource(o: Output, source: i32): void {
  if (source < 0) { jsonAscii(o, '"base"'); return }
  jsonString(o, <usize>layerNames.get(source * 2), layerNames.get(source * 2 + 1))
}

function addProvenance(path: Bytes, action: string, previousPtr: usize, previousLen: i32): void {
  if (!firstProvenance) provenance.byte(0x2c)
  firstProvenance = false
  jsonAscii(provenance, '{"path":'); jsonString(provenance, path.ptr, path.len)
  jsonAscii(provenance, ',"source":'); writeSource(provenance, layerIndex)
  jsonAscii(provenance, ',"action":"'); jsonAscii(provenance, action); provenance.byte(0x22)
  if (previousLen >= 0) { jsonAscii(provenance, ',"previous":'); jsonString(provenance, previousPtr, previousLen) }
  provenance.byte(0x7d)
}

function addConflict(path: Bytes, currentPtr: usize, currentLen: i32, wantedPtr: usize, wantedLen: i32, holder: i32): void {
  if (!firstConflict) conflicts.byte(0x2c)
  firstConflict = false
  jsonAscii(conflicts, '{"path":'); jsonString(conflicts, path.ptr, path.len)
  jsonAscii(conflicts, ',"current":'); jsonString(conflicts, currentPtr, currentLen)
  jsonAscii(conflicts, ',"wanted":'); jsonString(conflicts, wantedPtr, wantedLen)
  jsonAscii(conflicts, ',"holder":'); writeSource(conflicts, holder)
  jsonAscii(conflicts, ',"requester":'); writeSource(conflicts, layerIndex)
  conflicts.byte(0x7d)
}

function setHolder(path: Bytes, mode: i32): void {
  holders.set(path.ptr, path.len, ((layerIndex + 1) << 1) | mode)
}

// The write of apply(): what to change when the value is taken.
const W_ATTRIBUTE = 0
const W_TEXT = 1

/** One value (see the table in PATCH-FORMAT.md). current < 0 length: not set. */
function apply(path: Bytes, currentPtr: usize, currentLen: i32, wantedPtr: usize, wantedLen: i32, mode: i32,
  kind: i32, target: i32, existing: i32, nameStart: i32, nameLen: i32, wantedStart: i32): void {
  if (currentLen < 0) {
    write(kind, target, existing, nameStart, nameLen, wantedStart, wantedLen, wantedPtr)
    setHolder(path, mode)
    addProvenance(path, 'added', 0, -1)
    return
  }
  const held = holders.get(path.ptr, path.len)
  const holderSource = held < 0 ? -1 : (held >> 1) - 1
  const holderMode = held < 0 ? MODE_REQUIRE : held & 1
  if (currentLen == wantedLen && memory.compare(currentPtr, wantedPtr, <usize>currentLen) == 0) {
    if (mode == MODE_REQUIRE && holderMode == MODE_FILL) setHolder(path, mode)
    return
  }
  if (mode == MODE_FILL) return
  if (holderMode == MODE_FILL) {
    const previous = copy(currentPtr, currentLen)
    write(kind, target, existing, nameStart, nameLen, wantedStart, wantedLen, wantedPtr)
    setHolder(path, mode)
    addProvenance(path, 'set', previous.ptr, previous.len)
    return
  }
  if (holderSource < 0 && layerForced) {
    const previous = copy(currentPtr, currentLen)
    write(kind, target, existing, nameStart, nameLen, wantedStart, wantedLen, wantedPtr)
    setHolder(path, mode)
    addProvenance(path, 'overridden', previous.ptr, previous.len)
    return
  }
  addConflict(path, currentPtr, currentLen, wantedPtr, wantedLen, holderSource)
}

function copy(p: usize, len: i32): Bytes {
  const b = new Bytes(len)
  b.bytes(p, len)
  return b
}

function write(kind: i32, target: i32, existing: i32, nameStart: i32, nameLen: i32, valueStart: i32, valueLen: i32, valuePtr: usize): void {
  if (kind == W_ATTRIBUTE) {
    arena.setAttribute(target, existing, nameStart, nameLen, valueStart, valueLen)
    return
  }
  const at = arena.pushValueBytes(valuePtr, valueLen)
  const text = arena.add(-1, T_TEXT, 0, 0, at, valueLen)
  arena.clearChildren(target)
  arena.insertChild(target, -1, text)
}

function attributePath(path: Bytes, a: i32): Bytes {
  const b = new Bytes(path.len + 16)
  b.bytes(path.ptr, path.len)
  b.ascii('/@')
  b.bytes(input + <usize>arena.attributeNameStart(a), arena.attributeNameLen(a))
  return b
}

function textPath(path: Bytes): Bytes {
  const b = new Bytes(path.len + 8)
  b.bytes(path.ptr, path.len)
  b.ascii('/text()')
  return b
}

function childPath(path: Bytes, segPtr: usize, segLen: i32): Bytes {
  const b = new Bytes(path.len + segLen + 1)
  b.bytes(path.ptr, path.len)
  b.byte(0x2f)
  b.bytes(segPtr, segLen)
  return b
}

function isBlankText(node: i32): bool {
  const p = arena.valuePtr(node)
  const len = arena.valueLenOf(node)
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if (c != 0x20 && c != 9 && c != 10 && c != 13) return false
  }
  return true
}

/** Registers every value of an added subtree as held by this layer (before its annotations go). */
function hold(element: i32, path: Bytes, mode: i32): void {
  const elementMode = modeOf(element, mode)
  const count = arena.attributeCount(element)
  for (let k = 0; k < count; k++) {
    const a = arena.attributeInOrder(element, k)
    const np = input + <usize>arena.attributeNameStart(a)
    const nl = arena.attributeNameLen(a)
    if (isAnnotation(np, nl)) continue
    setHolder(attributePath(path, a), valueMode(element, np, nl, elementMode))
  }
  if (!arena.hasElementChild(element)) setHolder(textPath(path), textModeOf(element, elementMode))
  pushNameOf(arena, element)
  const ids = identitiesOf(arena, element)
  for (let i = 0; i < ids.count; i++) hold(ids.nodes.get(i), childPath(path, ids.segPtr(i), ids.segLen.get(i)), elementMode)
  popName()
}

function strip(element: i32): void {
  for (let k = arena.attributeCount(element) - 1; k >= 0; k--) {
    const a = arena.attributeInOrder(element, k)
    if (isAnnotation(input + <usize>arena.attributeNameStart(a), arena.attributeNameLen(a))) arena.removeAttributeAt(element, k)
  }
  for (let c = arena.firstChild(element); c >= 0; c = arena.next(c)) if (arena.type(c) == T_ELEMENT) strip(c)
}

function walk(target: i32, source: i32, path: Bytes, inherited: i32): void {
  const elementMode = modeOf(source, inherited)
  const count = arena.attributeCount(source)
  for (let k = 0; k < count; k++) {
    const a = arena.attributeInOrder(source, k)
    const np = input + <usize>arena.attributeNameStart(a)
    const nl = arena.attributeNameLen(a)
    if (isAnnotation(np, nl)) continue
    const existing = attributeNamed(arena, target, np, nl)
    apply(attributePath(path, a),
      existing >= 0 ? arena.attributeValuePtr(existing) : 0, existing >= 0 ? arena.attributeValueLen(existing) : -1,
      arena.attributeValuePtr(a), arena.attributeValueLen(a), valueMode(source, np, nl, elementMode),
      W_ATTRIBUTE, target, existing, arena.attributeNameStart(a), nl, arena.attributeValueStart(a))
  }
  if (!arena.hasElementChild(source)) {
    const text = new Bytes(64)
    textOf(arena, source, text)
    const trimmed = new Bytes(text.len)
    appendTrimmed(trimmed, text.ptr, text.len)
    if (trimmed.len == 0) return
    if (arena.hasElementChild(target)) {
      if (textModeOf(source, elementMode) == MODE_REQUIRE) {
        const elements = new Bytes(16)
        elements.ascii('(elements)')
        addConflict(textPath(path), elements.ptr, elements.len, text.ptr, text.len, -1)
      }
      return
    }
    const current = new Bytes(64)
    textOf(arena, target, current)
    apply(textPath(path), current.ptr, current.len == 0 ? -1 : current.len, text.ptr, text.len, textModeOf(source, elementMode),
      W_TEXT, target, -1, 0, 0, 0)
    return
  }
  const existing = identitiesOf(arena, target)
  const bySegment = new BytesMap(existing.count)
  for (let i = 0; i < existing.count; i++) bySegment.set(existing.segPtr(i), existing.segLen.get(i), i)
  const children = identitiesOf(arena, source)
  let after = -1
  for (let i = 0; i < children.count; i++) {
    const child = children.nodes.get(i)
    const cpath = childPath(path, children.segPtr(i), children.segLen.get(i))
    const m = bySegment.get(children.segPtr(i), children.segLen.get(i))
    if (m >= 0) {
      const match = existing.nodes.get(m)
      pushNameOf(arena, child)
      walk(match, child, cpath, elementMode)
      popName()
      after = match
      continue
    }
    // New here: the whole subtree comes from this layer, after its matched predecessor.
    if (!arena.hasElementChild(target)) {
      let blank = true
      for (let c = arena.firstChild(target); c >= 0; c = arena.next(c)) if (arena.type(c) != T_TEXT || !isBlankText(c)) { blank = false; break }
      if (blank) arena.clearChildren(target)
    }
    addProvenance(cpath, 'added', 0, -1)
    hold(child, cpath, elementMode)
    strip(child)
    arena.insertChild(target, after, child)
    after = child
  }
}

/**
 * merge: input = base, the layers' documents, the rules text, then the meta block
 * (u32 count; per layer: u32 document length, u8 mode, u8 forced, u32 name length, name).
 * Returns 0 (document in the output, `{"conflicts":…,"provenance":…}` in output 2), or k > 0: the
 * k-th document (1 = base) does not parse, or 1000 + i: layer i's root is not the base's.
 */
export function merge(baseLen: i32, layersLen: i32, rulesLen: i32, metaLen: i32, maxDepth: i32): i32 {
  const total = baseLen + layersLen + rulesLen + metaLen
  beginDocuments(total)
  arena = getArena()
  input = getInput()
  const base = parseRange(0, baseLen, maxDepth)
  if (base < 0) return 1
  const meta = input + <usize>(baseLen + layersLen + rulesLen)
  const count = load<u32>(meta)
  const roots = new I32s(<i32>count + 1)
  const modes = new I32s(<i32>count + 1)
  const forced = new I32s(<i32>count + 1)
  layerNames = new I32s(<i32>count * 2 + 2)
  let m: usize = meta + 4
  let at = baseLen
  for (let i = 0; i < <i32>count; i++) {
    const len = <i32>load<u32>(m)
    modes.set(i, <i32>load<u8>(m + 4))
    forced.set(i, <i32>load<u8>(m + 5))
    const nameLen = <i32>load<u32>(m + 6)
    layerNames.set(i * 2, <i32>(m + 10))
    layerNames.set(i * 2 + 1, nameLen)
    m += 10 + <usize>nameLen
    const root = parseRange(at, at + len, maxDepth)
    if (root < 0) return i + 2
    roots.set(i, root)
    at += len
  }
  loadRules(baseLen + layersLen, baseLen + layersLen + rulesLen)
  holders = new BytesMap(64)
  conflicts = new Output(256)
  provenance = new Output(256)
  firstConflict = true
  firstProvenance = true
  const baseElement = firstElement(arena, base)
  for (let i = 0; i < <i32>count; i++) {
    const layerElement = firstElement(arena, roots.get(i))
    if (arena.nameLen(layerElement) != arena.nameLen(baseElement) ||
      memory.compare(arena.namePtr(layerElement, input), arena.namePtr(baseElement, input), <usize>arena.nameLen(baseElement)) != 0) return 1000 + i
    layerIndex = i
    layerNamePtr = <usize>layerNames.get(i * 2)
    layerNameLen = layerNames.get(i * 2 + 1)
    layerForced = forced.get(i) != 0
    // The annotation prefix: the last xmlns:P bound to the layer namespace on the layer's root.
    prefixLen = -1
    const ac = arena.attributeCount(layerElement)
    for (let k = 0; k < ac; k++) {
      const a = arena.attributeInOrder(layerElement, k)
      const np = input + <usize>arena.attributeNameStart(a)
      const nl = arena.attributeNameLen(a)
      if (nl > 6 && equalXmlns(np) && isAsciiValue(a, NS)) { prefixPtr = np + 6; prefixLen = nl - 6 }
    }
    resetNames()
    pushNameOf(arena, baseElement)
    const path = new Bytes(64)
    path.byte(0x2f)
    path.bytes(arena.namePtr(baseElement, input), arena.nameLen(baseElement))
    walk(baseElement, layerElement, path, modes.get(i))
  }
  const out = new Output(total + 256)
  formatDocument(out, arena, input, base)
  const json = new Output(conflicts.len + provenance.len + 32)
  jsonAscii(json, '{"conflicts":[')
  json.bytes(conflicts.ptr, conflicts.len)
  jsonAscii(json, '],"provenance":[')
  json.bytes(provenance.ptr, provenance.len)
  jsonAscii(json, ']}')
  setOutput2(json)
  setOutput(out)
  return 0
}

let mergeOut = changetype<Output>(0)
function setOutput(o: Output): void { mergeOut = o }
export function mergeOutputPtr(): usize { return mergeOut.ptr }
export function mergeOutputLen(): i32 { return mergeOut.len }
