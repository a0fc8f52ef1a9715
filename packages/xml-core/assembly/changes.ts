// diff (and the identity machinery merge and applyPatch share): the WebAssembly twin of
// src/identity.ts and src/diff.ts, writing the patch as an op table and one text (see `ops`) from
// which the host builds the objects the TypeScript reference returns; jsonString writes merge's
// conflicts and provenance as the JSON that `JSON.stringify` gives for the reference's.

import { Arena, I32s, T_ELEMENT, T_TEXT, T_CDATA, T_COMMENT, T_PI } from './arena'
import { copyBytes, Output } from './output'
import { beginDocuments, getArena, getInput, parseRange, writeCanonicalElement } from './parser'
import { inlineElement } from './format'

// ---- byte strings -----------------------------------------------------------------------

/** A growable byte buffer for building strings (segments, paths, text values). */
export class Bytes {
  ptr: usize
  cap: i32
  len: i32 = 0
  constructor(cap: i32) { this.cap = max(cap, 64); this.ptr = heap.alloc(<usize>this.cap) }
  ensure(extra: i32): void {
    if (this.len + extra <= this.cap) return
    let cap = this.cap << 1
    while (cap < this.len + extra) cap <<= 1
    const ptr = heap.alloc(<usize>cap)
    memory.copy(ptr, this.ptr, <usize>this.len)
    this.ptr = ptr
    this.cap = cap
  }
  byte(b: i32): void { this.ensure(1); store<u8>(this.ptr + <usize>this.len, <u8>b); this.len++ }
  bytes(p: usize, len: i32): void { this.ensure(len); copyBytes(this.ptr + <usize>this.len, p, len); this.len += len }
  ascii(s: string): void { for (let i = 0; i < s.length; i++) this.byte(<i32>s.charCodeAt(i)) }
  number(v: i32): void {
    if (v >= 10) this.number(v / 10)
    this.byte(0x30 + v % 10)
  }
}

function equalBytes(a: usize, al: i32, b: usize, bl: i32): bool {
  return al == bl && memory.compare(a, b, <usize>al) == 0
}

function equalAscii(p: usize, len: i32, s: string): bool {
  if (len != s.length) return false
  for (let i = 0; i < len; i++) if (<i32>load<u8>(p + <usize>i) != <i32>s.charCodeAt(i)) return false
  return true
}

/** Open-addressing map from byte strings to i32. */
export class BytesMap {
  keyPtr: I32s
  keyLen: I32s
  values: I32s
  size: i32
  constructor(expected: i32) {
    let size = 16
    while (size < expected * 2 + 2) size <<= 1
    this.size = size
    this.keyPtr = new I32s(size)
    this.keyLen = new I32s(size)
    this.values = new I32s(size)
    memory.fill(this.keyLen.ptr, 0xff, <usize>size << 2) // -1: empty
  }
  private grow(): void {
    const oldPtr = this.keyPtr, oldLen = this.keyLen, oldValues = this.values, oldSize = this.size
    this.size = oldSize << 1
    this.keyPtr = new I32s(this.size)
    this.keyLen = new I32s(this.size)
    this.values = new I32s(this.size)
    memory.fill(this.keyLen.ptr, 0xff, <usize>this.size << 2)
    for (let i = 0; i < oldSize; i++) {
      const l = oldLen.get(i)
      if (l < 0) continue
      const j = this.slot(<usize>oldPtr.get(i), l)
      this.keyPtr.set(j, oldPtr.get(i))
      this.keyLen.set(j, l)
      this.values.set(j, oldValues.get(i))
    }
  }
  private slot(p: usize, len: i32): i32 {
    // Four bytes a step (keys are paths and segments, tens of bytes), then the tail byte by byte.
    let h: u32 = 2166136261 ^ <u32>len
    let k = 0
    for (; k + 4 <= len; k += 4) h = rotl<u32>((h ^ load<u32>(p + <usize>k)) * 0x9e3779b1, 15)
    for (; k < len; k++) h = (h ^ <u32>load<u8>(p + <usize>k)) * 16777619
    h ^= h >> 16
    h *= 0x85ebca6b
    h ^= h >> 13
    const mask = this.size - 1
    let i = <i32>(h & <u32>mask)
    while (true) {
      const l = this.keyLen.get(i)
      if (l < 0 || equalBytes(<usize>this.keyPtr.get(i), l, p, len)) break
      i = (i + 1) & mask
    }
    return i
  }
  count: i32 = 0
  get(p: usize, len: i32): i32 {
    const i = this.slot(p, len)
    return this.keyLen.get(i) < 0 ? -1 : this.values.get(i)
  }
  set(p: usize, len: i32, value: i32): void {
    if ((this.count + 1) * 2 > this.size) this.grow()
    const i = this.slot(p, len)
    if (this.keyLen.get(i) < 0) this.count++
    this.keyPtr.set(i, <i32>p)
    this.keyLen.set(i, len)
    this.values.set(i, value)
  }
}

// ---- JSON -------------------------------------------------------------------------------------

const HEX = '0123456789abcdef'

/** A JSON string as JSON.stringify writes it. */
export function jsonString(o: Output, p: usize, len: i32): void {
  o.byte(0x22)
  let chunk = 0
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue
    o.bytes(p + <usize>chunk, k - chunk)
    chunk = k + 1
    o.byte(0x5c)
    if (c == 0x22) o.byte(0x22)
    else if (c == 0x5c) o.byte(0x5c)
    else if (c == 8) o.byte(0x62)
    else if (c == 9) o.byte(0x74)
    else if (c == 10) o.byte(0x6e)
    else if (c == 12) o.byte(0x66)
    else if (c == 13) o.byte(0x72)
    else { o.byte(0x75); o.byte(0x30); o.byte(0x30); o.byte(<i32>HEX.charCodeAt(c >> 4)); o.byte(<i32>HEX.charCodeAt(c & 15)) }
  }
  o.bytes(p + <usize>chunk, len - chunk)
  o.byte(0x22)
}

export function jsonAscii(o: Output, s: string): void {
  for (let i = 0; i < s.length; i++) o.byte(<i32>s.charCodeAt(i))
}

// ---- identity keys ------------------------------------------------------------------------------

// Rules arrive as text: '1' or '0' (user aliases), then lines `path\tkey\tkey…`.
let userAliases = true
let ruleCount = 0
let ruleSegStart = new I32s(0)  // per rule: first segment slice
let ruleSegCount = new I32s(0)
let ruleKeyStart = new I32s(0)  // per rule: first key
let ruleKeyCount = new I32s(0)
let segSlices = new I32s(0)     // pairs (start, len) in the input
let keyText = new I32s(0)       // per key: (start, len) of its whole text
let keyStepStart = new I32s(0)  // per key: first step slice
let keyStepCount = new I32s(0)
let stepSlices = new I32s(0)    // pairs (start, len)
let keyNorm = new I32s(0)       // per key: 0 as written, 1 lower-case, 2 decimal, 10+w hex of width w
// Per rule, its last segment read once at load: (name start, name len, -1 or `*`), and the
// `[@attr='value']` predicate as (attr start, attr len, value start, value len), attr len -1 if none.
let ruleLast = new I32s(0)
const LAST = 7

// The identity table stays resident between calls (the heap is reset at every call): its text and
// tables are placed in a static area, so a host that calls again with the same table sends none
// (rulesLen 0). A table too large for the area is read into the heap for that call only, and
// rulesResident() says 0 so the host sends it every time.
const RULES_AREA: usize = 64 * 1024
const rulesArea: usize = memory.data(<i32>RULES_AREA)
let areaAt: usize = 0
let rulesText: usize = 0
let resident = false
export function rulesResident(): i32 { return resident ? 1 : 0 }

/** An I32s of exactly `cap` entries: in the static area when the table is resident, else in the heap. */
function tableOf(cap: i32): I32s {
  if (!resident) return new I32s(cap)
  // The object (ptr, cap) and its data placed by hand: the stub runtime keeps no header to check,
  // and `cap` is exact, so set() never grows it into the heap.
  const object = areaAt
  areaAt += 16
  const data = areaAt
  areaAt += ((<usize>cap << 2) + 15) & ~15
  store<usize>(object + offsetof<I32s>('ptr'), data)
  store<i32>(object + offsetof<I32s>('cap'), cap)
  return changetype<I32s>(object)
}

/**
 * The identity table for this call: read from [start, end) of the input, or, when that range is
 * empty, the one read by an earlier call and kept resident (the host knows which: rulesResident()).
 */
export function loadRules(start: i32, end: i32): void {
  segmentCacheOn = false
  // Per-call scratch (the heap is reset between calls).
  scratchText = new Bytes(256)
  scratchValue = new Bytes(256)
  aliasName = heap.alloc(8)
  for (let k = 0; k < 5; k++) store<u8>(aliasName + <usize>k, <u8>ALIAS.charCodeAt(k))
  nameAttr = heap.alloc(4)
  store<u8>(nameAttr, 0x6e); store<u8>(nameAttr + 1, 0x61); store<u8>(nameAttr + 2, 0x6d); store<u8>(nameAttr + 3, 0x65)
  if (end <= start) return
  const source = getInput() + <usize>start
  const len = end - start
  // Exact bounds first: lines, tabs and slashes bound rules, keys, segments and steps.
  let lines = 1, tabs = 0, slashes = 0
  for (let k = 0; k < len; k++) {
    const c = load<u8>(source + <usize>k)
    if (c == 10) lines++
    else if (c == 9) tabs++
    else if (c == 0x2f) slashes++
  }
  const slices = slashes + lines + tabs + 1
  // The tables below, then the rule index (buildRuleIndex): 4 more tables of at most 30 entries per line.
  const need = ((<usize>len + 15) & ~15) + 16 * 15 + (<usize>(11 * (lines + 1) + 4 * slices + 5 * (tabs + 1) + 30 * (lines + 1)) << 2) + 15 * 16
  resident = need <= RULES_AREA
  if (resident) {
    areaAt = rulesArea
    rulesText = areaAt
    memory.copy(rulesText, source, <usize>len)
    areaAt += (<usize>len + 15) & ~15
  } else rulesText = source
  ruleSegStart = tableOf(lines + 1); ruleSegCount = tableOf(lines + 1); ruleKeyStart = tableOf(lines + 1); ruleKeyCount = tableOf(lines + 1)
  ruleLast = tableOf((lines + 1) * LAST)
  segSlices = tableOf(slices * 2); stepSlices = tableOf(slices * 2)
  keyText = tableOf((tabs + 1) * 2); keyStepStart = tableOf(tabs + 1); keyStepCount = tableOf(tabs + 1); keyNorm = tableOf(tabs + 1)
  // From here on, offsets are from rulesText.
  const text = rulesText
  ruleCount = 0
  userAliases = <i32>load<u8>(text) == 0x31
  let segs = 0, keys = 0, steps = 0
  let i = 2
  while (i < len) {
    let lineEnd = i
    while (lineEnd < len && load<u8>(text + <usize>lineEnd) != 10) lineEnd++
    // fields separated by tabs: the path, then keys
    let field = 0
    let f = i
    ruleSegStart.set(ruleCount, segs)
    ruleKeyStart.set(ruleCount, keys)
    let rSegs = 0, rKeys = 0
    while (f <= lineEnd) {
      let fe = f
      while (fe < lineEnd && load<u8>(text + <usize>fe) != 9) fe++
      if (field == 0) {
        let s = f
        for (let k = f; k <= fe; k++) {
          if (k == fe || load<u8>(text + <usize>k) == 0x2f) { segSlices.set(segs * 2, s); segSlices.set(segs * 2 + 1, k - s); segs++; rSegs++; s = k + 1 }
        }
      } else {
        // A normalisation prefix (see src/engine.ts rulesOf): `~` lower-case, `%` decimal, `#w` hex.
        let norm = 0
        const c0 = <i32>load<u8>(text + <usize>f)
        if (c0 == 0x7e) { norm = 1; f++ }
        else if (c0 == 0x25) { norm = 2; f++ }
        else if (c0 == 0x23) { norm = 10 + (<i32>load<u8>(text + <usize>f + 1) - 0x30); f += 2 }
        keyNorm.set(keys, norm)
        keyText.set(keys * 2, f); keyText.set(keys * 2 + 1, fe - f)
        keyStepStart.set(keys, steps)
        let s = f, n = 0
        for (let k = f; k <= fe; k++) {
          if (k == fe || load<u8>(text + <usize>k) == 0x2f) { stepSlices.set(steps * 2, s); stepSlices.set(steps * 2 + 1, k - s); steps++; n++; s = k + 1 }
        }
        keyStepCount.set(keys, n)
        keys++; rKeys++
      }
      field++
      f = fe + 1
    }
    ruleSegCount.set(ruleCount, rSegs)
    ruleKeyCount.set(ruleCount, rKeys)
    {
      const ls = segSlices.get((segs - 1) * 2)
      const ll = segSlices.get((segs - 1) * 2 + 1)
      let bracket = -1
      for (let k = 0; k < ll; k++) if (load<u8>(text + <usize>(ls + k)) == 0x5b) { bracket = k; break }
      const nameLen = bracket < 0 ? ll : bracket
      const base = ruleCount * LAST
      ruleLast.set(base, ls)
      ruleLast.set(base + 1, nameLen)
      ruleLast.set(base + 2, nameLen == 1 && load<u8>(text + <usize>ls) == 0x2a ? 1 : 0)
      if (bracket >= 0) {
        // [@attr='value']: attr from bracket+2 to '=', value between the quotes.
        let eq = bracket + 2
        while (eq < ll && load<u8>(text + <usize>(ls + eq)) != 0x3d) eq++
        ruleLast.set(base + 3, ls + bracket + 2)
        ruleLast.set(base + 4, eq - bracket - 2)
        ruleLast.set(base + 5, ls + eq + 2)
        ruleLast.set(base + 6, ll - 2 - (eq + 2))
      } else ruleLast.set(base + 4, -1)
    }
    ruleCount++
    i = lineEnd + 1
  }
  buildRuleIndex()
}

// ruleFor's index: the rules whose last segment names an element, by that name (open addressing,
// indexHash = rule + 1 of the first rule with the name), each name with the list of rules it can
// match in order — its own and the `*` ones; names not in the index try the `*` rules only. With
// more than MAX_WILDCARDS `*` rules the lists would grow too long: ruleFor then tries every rule.
const MAX_WILDCARDS = 16
let indexed = false
let indexSize = 0
let indexHash = new I32s(0)
let indexStart = new I32s(0)
let indexLen = new I32s(0)
let indexLists = new I32s(0)
let wildcardStart = 0
let wildcardLen = 0

function nameHash(p: usize, len: i32): u32 {
  let h: u32 = 2166136261
  for (let k = 0; k < len; k++) h = (h ^ <u32>load<u8>(p + <usize>k)) * 16777619
  return h
}

/** The index slot of a name: its entry, or the empty slot where it would go. */
function indexSlot(p: usize, len: i32): i32 {
  const mask = indexSize - 1
  let i = <i32>(nameHash(p, len) & <u32>mask)
  while (true) {
    const r = indexHash.get(i) - 1
    if (r < 0) break
    const base = r * LAST
    if (equalBytes(rulesText + <usize>ruleLast.get(base), ruleLast.get(base + 1), p, len)) break
    i = (i + 1) & mask
  }
  return i
}

function buildRuleIndex(): void {
  let wildcards = 0
  for (let r = 0; r < ruleCount; r++) if (ruleLast.get(r * LAST + 2) != 0) wildcards++
  indexed = wildcards <= MAX_WILDCARDS
  if (!indexed) return
  let size = 16
  while (size < (ruleCount + 1) * 2) size <<= 1
  indexSize = size
  indexHash = tableOf(size); indexStart = tableOf(size); indexLen = tableOf(size)
  memory.fill(indexHash.ptr, 0, <usize>size << 2)
  // Names first, with how many rules of their own.
  let names = 0
  for (let r = 0; r < ruleCount; r++) {
    const base = r * LAST
    if (ruleLast.get(base + 2) != 0) continue
    const slot = indexSlot(rulesText + <usize>ruleLast.get(base), ruleLast.get(base + 1))
    if (indexHash.get(slot) == 0) { indexHash.set(slot, r + 1); indexLen.set(slot, 0); names++ }
    indexLen.set(slot, indexLen.get(slot) + 1)
  }
  // Then the lists, one after another, the `*` rules' list last; filled in rule order.
  indexLists = tableOf(ruleCount + names * wildcards + 1)
  let at = 0
  for (let i = 0; i < size; i++) {
    if (indexHash.get(i) == 0) continue
    indexStart.set(i, at)
    at += indexLen.get(i) + wildcards
    indexLen.set(i, 0)
  }
  wildcardStart = at
  wildcardLen = 0
  for (let r = 0; r < ruleCount; r++) {
    const base = r * LAST
    if (ruleLast.get(base + 2) != 0) {
      for (let i = 0; i < size; i++) {
        if (indexHash.get(i) == 0) continue
        indexLists.set(indexStart.get(i) + indexLen.get(i), r)
        indexLen.set(i, indexLen.get(i) + 1)
      }
      indexLists.set(wildcardStart + wildcardLen++, r)
      continue
    }
    const slot = indexSlot(rulesText + <usize>ruleLast.get(base), ruleLast.get(base + 1))
    indexLists.set(indexStart.get(slot) + indexLen.get(slot), r)
    indexLen.set(slot, indexLen.get(slot) + 1)
  }
}

// Names of the elements from the root down to the current parent: (start, len) pairs.
let names = new I32s(0)
let depth = 0

function pushName(arena: Arena, node: i32): void {
  names.set(depth * 2, arena.nameStartOf(node))
  names.set(depth * 2 + 1, arena.nameLen(node))
  depth++
}

function ruleFor(arena: Arena, child: i32): i32 {
  const input = getInput()
  const childName = arena.namePtr(child, input)
  const childLen = arena.nameLen(child)
  // The candidates: from the index (in rule order), or every rule.
  let listAt = 0
  let listLen = ruleCount
  if (indexed) {
    const slot = indexSlot(childName, childLen)
    if (indexHash.get(slot) != 0) { listAt = indexStart.get(slot); listLen = indexLen.get(slot) }
    else { listAt = wildcardStart; listLen = wildcardLen }
  }
  for (let n = 0; n < listLen; n++) {
    const r = indexed ? indexLists.get(listAt + n) : n
    if (ruleSegCount.get(r) != depth + 1) continue
    // The element's own name first: most rules fail there.
    const base = r * LAST
    if (ruleLast.get(base + 2) == 0) {
      const nameLen = ruleLast.get(base + 1)
      if (nameLen != childLen) continue
      const lp = rulesText + <usize>ruleLast.get(base)
      if (load<u8>(lp) != load<u8>(childName) || memory.compare(lp, childName, <usize>nameLen) != 0) continue
    }
    const attrLen = ruleLast.get(base + 4)
    if (attrLen >= 0) {
      const attr = attributeNamed(arena, child, rulesText + <usize>ruleLast.get(base + 3), attrLen)
      if (attr < 0 || !equalBytes(arena.attributeValuePtr(attr), arena.attributeValueLen(attr), rulesText + <usize>ruleLast.get(base + 5), ruleLast.get(base + 6))) continue
    }
    const first = ruleSegStart.get(r)
    let ok = true
    for (let k = 0; k < depth && ok; k++) {
      const sp = rulesText + <usize>segSlices.get((first + k) * 2)
      const sl = segSlices.get((first + k) * 2 + 1)
      if (sl == 1 && load<u8>(sp) == 0x2a) continue // '*'
      ok = equalBytes(sp, sl, input + <usize>names.get(k * 2), names.get(k * 2 + 1))
    }
    if (ok) return r
  }
  return -1
}

export function firstChildNamed(arena: Arena, node: i32, p: usize, len: i32): i32 {
  const input = getInput()
  for (let c = arena.firstChild(node); c >= 0; c = arena.next(c)) {
    if (arena.type(c) == T_ELEMENT && equalBytes(arena.namePtr(c, input), arena.nameLen(c), p, len)) return c
  }
  return -1
}

/** Index of the attribute named [p, p+len) on node, or -1. */
export function attributeNamed(arena: Arena, node: i32, p: usize, len: i32): i32 {
  const input = getInput()
  const count = arena.attributeCount(node)
  for (let k = 0; k < count; k++) {
    const a = arena.attributeInOrder(node, k)
    if (equalBytes(input + <usize>arena.attributeNameStart(a), arena.attributeNameLen(a), p, len)) return a
  }
  return -1
}

/** Text content (text and CDATA joined) of node, appended to b. */
export function textOf(arena: Arena, node: i32, b: Bytes): void {
  for (let c = arena.firstChild(node); c >= 0; c = arena.next(c)) {
    const t = arena.type(c)
    if (t == T_TEXT || t == T_CDATA) b.bytes(arena.valuePtr(c), arena.valueLenOf(c))
  }
}

/** JavaScript's String.prototype.trim whitespace, by code point. */
export function isJsSpace(c: i32): bool {
  return c == 9 || c == 10 || c == 11 || c == 12 || c == 13 || c == 0x20 || c == 0xa0 || c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff
}

function decodeAt(p: usize, i: i32): i32 {
  const b = <i32>load<u8>(p + <usize>i)
  if (b < 0x80) return b
  if (b < 0xe0) return ((b & 0x1f) << 6) | (<i32>load<u8>(p + <usize>(i + 1)) & 0x3f)
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((<i32>load<u8>(p + <usize>(i + 1)) & 0x3f) << 6) | (<i32>load<u8>(p + <usize>(i + 2)) & 0x3f)
  return ((b & 0x07) << 18) | ((<i32>load<u8>(p + <usize>(i + 1)) & 0x3f) << 12) | ((<i32>load<u8>(p + <usize>(i + 2)) & 0x3f) << 6) | (<i32>load<u8>(p + <usize>(i + 3)) & 0x3f)
}

function seqLen(b: i32): i32 { return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4 }

/** Appends [p, p+len) trimmed as JS trims. */
export function appendTrimmed(b: Bytes, p: usize, len: i32): void {
  let start = 0
  while (start < len) {
    const c = decodeAt(p, start)
    if (!isJsSpace(c)) break
    start += seqLen(<i32>load<u8>(p + <usize>start))
  }
  let end = len
  while (end > start) {
    let k = end - 1
    while (k > start && (<i32>load<u8>(p + <usize>k) & 0xc0) == 0x80) k--
    if (!isJsSpace(decodeAt(p, k))) break
    end = k
  }
  b.bytes(p + <usize>start, end - start)
}

function appendQuoted(b: Bytes, p: usize, len: i32): void {
  b.byte(0x27)
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    b.byte(c)
    if (c == 0x27) b.byte(0x27)
  }
  b.byte(0x27)
}

/** The value of a key expression on `element`, appended to b; false when the element lacks it. */
function evaluateInto(arena: Arena, element: i32, key: i32, b: Bytes): bool {
  const start = b.len
  if (!evaluateRaw(arena, element, key, b)) return false
  const norm = keyNorm.get(key)
  if (norm != 0) normalizeValue(b, start, norm)
  return true
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}

/**
 * The value from `start` as libvirt writes it back (see src/identity.ts normalizeKeyValue):
 * ASCII lower-case, or a number read as strtol base 0 reads it (0x hex, 0 octal, else decimal,
 * at most 0xffffffff) written in decimal or as 0x-hex of a minimum width. Else left as written.
 */
function normalizeValue(b: Bytes, start: i32, norm: i32): void {
  const p = b.ptr + <usize>start
  const len = b.len - start
  if (norm == 1) {
    for (let k = 0; k < len; k++) { const c = <i32>load<u8>(p + <usize>k); if (c >= 0x41 && c <= 0x5a) store<u8>(p + <usize>k, <u8>(c + 32)) }
    return
  }
  if (len == 0) return
  let value: u64 = 0
  const c0 = <i32>load<u8>(p)
  if (len > 2 && c0 == 0x30 && (load<u8>(p + 1) == 0x78 || load<u8>(p + 1) == 0x58)) {
    if (len > 10) return
    for (let k = 2; k < len; k++) { const d = hexDigit(<i32>load<u8>(p + <usize>k)); if (d < 0) return; value = value * 16 + <u64>d }
  } else if (c0 == 0x30) {
    if (len > 12) return
    for (let k = 1; k < len; k++) { const c = <i32>load<u8>(p + <usize>k); if (c < 0x30 || c > 0x37) return; value = value * 8 + <u64>(c - 0x30) }
  } else {
    if (len > 10) return
    for (let k = 0; k < len; k++) { const c = <i32>load<u8>(p + <usize>k); if (c < 0x30 || c > 0x39) return; value = value * 10 + <u64>(c - 0x30) }
  }
  if (value > 0xffffffff) return
  b.len = start
  if (norm == 2) {
    // decimal, most significant digit first
    let div: u64 = 1
    while (div * 10 <= value) div *= 10
    for (; div > 0; div /= 10) b.byte(0x30 + <i32>((value / div) % 10))
    return
  }
  const width = norm - 10
  let digits = 1
  while (digits < 8 && (value >> (<u64>digits * 4)) != 0) digits++
  b.byte(0x30); b.byte(0x78)
  for (let k = digits; k < width; k++) b.byte(0x30)
  for (let k = digits - 1; k >= 0; k--) b.byte(<i32>'0123456789abcdef'.charCodeAt(<i32>((value >> (<u64>k * 4)) & 15)))
}

/** The value of a key expression on `element` as written, appended to b; false when it lacks it. */
function evaluateRaw(arena: Arena, element: i32, key: i32, b: Bytes): bool {
  const input = getInput()
  let current = element
  const first = keyStepStart.get(key)
  const count = keyStepCount.get(key)
  for (let s = 0; s < count; s++) {
    const sp = rulesText + <usize>stepSlices.get((first + s) * 2)
    const sl = stepSlices.get((first + s) * 2 + 1)
    if (load<u8>(sp) == 0x40) {
      const a = attributeNamed(arena, current, sp + 1, sl - 1)
      if (a < 0) return false
      b.bytes(arena.attributeValuePtr(a), arena.attributeValueLen(a))
      return true
    }
    current = firstChildNamed(arena, current, sp, sl)
    if (current < 0) return false
  }
  scratchText.len = 0
  textOf(arena, current, scratchText)
  appendTrimmed(b, scratchText.ptr, scratchText.len)
  return true
}

let scratchText = new Bytes(0)
let scratchValue = new Bytes(0)
let aliasName: usize = 0
let nameAttr: usize = 0

/** The child elements of a parent with their identity segments (see src/identity.ts). */
export class Identities {
  count: i32 = 0
  nodes: I32s = new I32s(16)
  segStart: I32s = new I32s(16)
  segLen: I32s = new I32s(16)
  buffer: Bytes = new Bytes(256)
  segPtr(k: i32): usize { return this.buffer.ptr + <usize>this.segStart.get(k) }
}

const ALIAS = 'alias'
const SMALL_LIST = 8
const smallCounts: usize = memory.data(SMALL_LIST * 4)
const UA = 'ua-'

// applyPatch asks for the identities of the same lists op after op: each element's segment before
// numbering (its name, alias or keys) depends only on its own subtree and its ancestors' names, so
// it is kept per node until patch.ts reports a change at or below that node (segmentChanged). Off
// unless applyPatch turns it on; loadRules turns it off at the start of every call.
let segmentCacheOn = false
let cachedStart = new I32s(0) // per node: where its segment starts in cachedBytes
let cachedLen = new I32s(0)   // per node: its length + 1; 0 = not cached
let cachedBytes = new Bytes(0)

/** Keeps element segments from here on, for nodes of the current arena (applyPatch only). */
export function beginSegmentCache(nodes: i32): void {
  const cap = max(nodes * 2, 64)
  cachedStart = new I32s(cap)
  cachedLen = new I32s(cap)
  memory.fill(cachedLen.ptr, 0, <usize>cap << 2)
  cachedBytes = new Bytes(4096)
  segmentCacheOn = true
}

/** Node `node` (or something below it) changed: its segment and its ancestors' are stale. */
export function segmentChanged(arena: Arena, node: i32): void {
  if (!segmentCacheOn) return
  for (let x = node; x >= 0; x = arena.parentOf(x)) if (x < cachedLen.cap) cachedLen.set(x, 0)
}

function cacheSegment(node: i32, p: usize, len: i32): void {
  if (node >= cachedLen.cap) {
    const old = cachedLen.cap
    cachedLen.grow(node + 1)
    memory.fill(cachedLen.ptr + (<usize>old << 2), 0, <usize>(cachedLen.cap - old) << 2)
    cachedStart.grow(cachedLen.cap)
  }
  cachedStart.set(node, cachedBytes.len)
  cachedBytes.bytes(p, len)
  cachedLen.set(node, len + 1)
}

/** Identities of the child elements of `parent`; `names` must hold the path down to `parent`. */
export function identitiesOf(arena: Arena, parent: i32): Identities {
  const input = getInput()
  const ids = new Identities()
  const b = ids.buffer
  for (let c = arena.firstChild(parent); c >= 0; c = arena.next(c)) {
    if (arena.type(c) != T_ELEMENT) continue
    const start = b.len
    if (segmentCacheOn && c < cachedLen.cap && cachedLen.get(c) > 0) {
      b.bytes(cachedBytes.ptr + <usize>cachedStart.get(c), cachedLen.get(c) - 1)
      const i = ids.count++
      ids.nodes.set(i, c)
      ids.segStart.set(i, start)
      ids.segLen.set(i, b.len - start)
      continue
    }
    b.bytes(arena.namePtr(c, input), arena.nameLen(c))
    let done = false
    if (userAliases) {
      const alias = firstChildNamed(arena, c, aliasName, 5)
      if (alias >= 0) {
        const a = attributeNamed(arena, alias, nameAttr, 4)
        if (a >= 0) {
          const vp = arena.attributeValuePtr(a)
          const vl = arena.attributeValueLen(a)
          if (vl >= 3 && load<u8>(vp) == 0x75 && load<u8>(vp + 1) == 0x61 && load<u8>(vp + 2) == 0x2d) {
            b.ascii('[alias/@name=')
            appendQuoted(b, vp, vl)
            b.byte(0x5d)
            done = true
          }
        }
      }
    }
    if (!done) {
      const r = ruleFor(arena, c)
      if (r >= 0) {
        const kc = ruleKeyCount.get(r)
        const k0 = ruleKeyStart.get(r)
        const positional = kc == 1 && equalAscii(rulesText + <usize>keyText.get(k0 * 2), keyText.get(k0 * 2 + 1), '@@position')
        if (kc > 0 && !positional) {
          for (let k = 0; k < kc; k++) {
            // A key the element lacks reads [not(key)], as in XPath (see src/identity.ts).
            scratchValue.len = 0
            const found = evaluateInto(arena, c, k0 + k, scratchValue)
            b.byte(0x5b)
            if (!found) b.ascii('not(')
            b.bytes(rulesText + <usize>keyText.get((k0 + k) * 2), keyText.get((k0 + k) * 2 + 1))
            if (found) {
              b.byte(0x3d)
              appendQuoted(b, scratchValue.ptr, scratchValue.len)
            } else b.byte(0x29)
            b.byte(0x5d)
          }
        }
      }
    }
    const i = ids.count++
    ids.nodes.set(i, c)
    ids.segStart.set(i, start)
    ids.segLen.set(i, b.len - start)
    if (segmentCacheOn) cacheSegment(c, b.ptr + <usize>start, b.len - start)
  }
  // The first of equal identities keeps the plain segment; the next get [2], [3]…
  if (ids.count <= SMALL_LIST) {
    // Most elements have a few children: compare pairwise, no map to build. Counts first, on the
    // segments as they are, then the numbering.
    let any = false
    for (let i = 0; i < ids.count; i++) {
      let count = 1
      const p = ids.segPtr(i)
      const l = ids.segLen.get(i)
      for (let j = 0; j < i; j++) if (equalBytes(ids.segPtr(j), ids.segLen.get(j), p, l)) count++
      store<i32>(smallCounts + (<usize>i << 2), count)
      if (count > 1) any = true
    }
    if (!any) return ids
    for (let i = 0; i < ids.count; i++) {
      const count = load<i32>(smallCounts + (<usize>i << 2))
      if (count == 1) continue
      const p = ids.segPtr(i)
      const l = ids.segLen.get(i)
      const start = b.len
      b.bytes(p, l) // may move the buffer: copy from the old place first
      b.byte(0x5b)
      b.number(count)
      b.byte(0x5d)
      ids.segStart.set(i, start)
      ids.segLen.set(i, b.len - start)
    }
    return ids
  }
  const seen = new BytesMap(ids.count)
  for (let i = 0; i < ids.count; i++) {
    const p = ids.segPtr(i)
    const l = ids.segLen.get(i)
    const n = seen.get(p, l)
    const count = n < 0 ? 1 : n + 1
    seen.set(p, l, count)
    if (count > 1) {
      const start = b.len
      b.bytes(p, l) // may move the buffer: copy from the old place first
      b.byte(0x5b)
      b.number(count)
      b.byte(0x5d)
      ids.segStart.set(i, start)
      ids.segLen.set(i, b.len - start)
    }
  }
  return ids
}

// ---- diff ---------------------------------------------------------------------------------------

// The patch goes out as data the host turns into objects without a JSON parse (src/engine.ts
// readPatch): every string's UTF-8 bytes one after the other in `text`, decoded once by the host,
// and an i32 table `ops`: per op its kind, then each string as its [start, end) in UTF-16 code
// units of that decoded text ((-1, -1) for an absent `from` or a null `after`); a reorder's path
// is followed by the number of segments, then the segments.
const OP_SET_ATTRIBUTE = 1
const OP_REMOVE_ATTRIBUTE = 2
const OP_SET_TEXT = 3
const OP_INSERT = 4
const OP_REMOVE = 5
const OP_REORDER = 6
const OP_REPLACE = 7
let text = changetype<Output>(0)
let ops = new I32s(0)
let opsLen = 0
/** UTF-16 code units in `text` so far. */
let units = 0
let path = new Bytes(0)

@inline function pushOp(v: i32): void { ops.set(opsLen++, v) }

/** Code units of the UTF-8 bytes [p, p+len): one per sequence, two for a 4-byte one. */
function unitsOf(p: usize, len: i32): i32 {
  let k = 0
  while (k + 8 <= len && (load<u64>(p + <usize>k) & 0x8080808080808080) == 0) k += 8
  let count = k
  for (; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if ((c & 0xc0) != 0x80) count++
    if (c >= 0xf0) count++
  }
  return count
}

/** Closes the string begun at byte `from` of `text` (see putString). */
function endString(from: i32): void {
  pushOp(units)
  units += unitsOf(text.ptr + <usize>from, text.len - from)
  pushOp(units)
}

function putString(p: usize, len: i32): void {
  const from = text.len
  text.bytes(p, len)
  endString(from)
}

function putAbsent(): void { pushOp(-1); pushOp(-1) }

function isBlank(p: usize, len: i32): bool {
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(p + <usize>k)
    if (c != 0x20 && c != 9 && c != 10 && c != 13) return false
  }
  return true
}

function hasElements(arena: Arena, node: i32): bool { return arena.hasElementChild(node) }

function hasMisc(arena: Arena, node: i32): bool {
  for (let c = arena.firstChild(node); c >= 0; c = arena.next(c)) {
    const t = arena.type(c)
    if (t == T_COMMENT || t == T_PI) return true
  }
  return false
}

function hasMixedContent(arena: Arena, node: i32): bool {
  let elements = false, other = false
  for (let c = arena.firstChild(node); c >= 0; c = arena.next(c)) {
    const t = arena.type(c)
    if (t == T_ELEMENT) elements = true
    else if (t == T_COMMENT || t == T_PI || t == T_CDATA) other = true
    else if (!isBlank(arena.valuePtr(c), arena.valueLenOf(c))) other = true
  }
  return elements && other
}

/** An op of this kind at the current path (plus `/extra` when extraLen >= 0). */
function beginOp(kind: i32, extraPtr: usize, extraLen: i32): void {
  pushOp(kind)
  const from = text.len
  text.bytes(path.ptr, path.len)
  if (extraLen >= 0) { text.byte(0x2f); text.bytes(extraPtr, extraLen) }
  endString(from)
}

/** The element as `toXml(…, { style: 'preserve' })` writes it, as a string of the patch. */
function putPreserveXml(arena: Arena, node: i32): void {
  const from = text.len
  inlineElement(text, arena, getInput(), node)
  endString(from)
}

/** A map from segment to index for a long child list; null for a short one (searched in place). */
function indexOfSegments(ids: Identities): BytesMap | null {
  if (ids.count <= SMALL_LIST) return null
  const map = new BytesMap(ids.count)
  for (let i = 0; i < ids.count; i++) map.set(ids.segPtr(i), ids.segLen.get(i), i)
  return map
}

/** The index of the child with segment [p, p+len) in ids, or -1 (segments are unique in a list). */
function findSegment(map: BytesMap | null, ids: Identities, p: usize, len: i32): i32 {
  if (map) return map.get(p, len)
  for (let i = 0; i < ids.count; i++) if (equalBytes(ids.segPtr(i), ids.segLen.get(i), p, len)) return i
  return -1
}

/**
 * Whether a and b were parsed from the same bytes: then their subtrees are equal (the parser reads
 * no context but the bytes) and, with the same ancestors' names, so are their identities — no ops.
 */
function sameSource(arena: Arena, input: usize, a: i32, b: i32): bool {
  const endA = arena.sourceEndOf(a)
  const endB = arena.sourceEndOf(b)
  if (endA < 0 || endB < 0) return false
  const startA = arena.nameStartOf(a) - 1
  const startB = arena.nameStartOf(b) - 1
  return endA - startA == endB - startB && memory.compare(input + <usize>startA, input + <usize>startB, <usize>(endA - startA)) == 0
}

function diffElement(arena: Arena, a: i32, b: i32): void {
  const input = getInput()
  if (sameSource(arena, input, a, b)) return
  // Attributes: b's in order, then those only a has.
  const bc = arena.attributeCount(b)
  for (let k = 0; k < bc; k++) {
    const attr = arena.attributeInOrder(b, k)
    const np = input + <usize>arena.attributeNameStart(attr)
    const nl = arena.attributeNameLen(attr)
    const old = attributeNamed(arena, a, np, nl)
    if (old >= 0 && equalBytes(arena.attributeValuePtr(old), arena.attributeValueLen(old), arena.attributeValuePtr(attr), arena.attributeValueLen(attr))) continue
    beginOp(OP_SET_ATTRIBUTE, 0, -1)
    putString(np, nl)
    putString(arena.attributeValuePtr(attr), arena.attributeValueLen(attr))
    if (old >= 0) putString(arena.attributeValuePtr(old), arena.attributeValueLen(old))
    else putAbsent()
  }
  const ac = arena.attributeCount(a)
  for (let k = 0; k < ac; k++) {
    const attr = arena.attributeInOrder(a, k)
    const np = input + <usize>arena.attributeNameStart(attr)
    const nl = arena.attributeNameLen(attr)
    if (attributeNamed(arena, b, np, nl) >= 0) continue
    beginOp(OP_REMOVE_ATTRIBUTE, 0, -1)
    putString(np, nl)
    putString(arena.attributeValuePtr(attr), arena.attributeValueLen(attr))
  }
  if (hasMixedContent(arena, a) || hasMixedContent(arena, b) || hasMisc(arena, a) || hasMisc(arena, b)) {
    const ca = new Output(256)
    const cb = new Output(256)
    writeCanonicalElement(ca, a, true, false)
    writeCanonicalElement(cb, b, true, false)
    if (!equalBytes(ca.ptr, ca.len, cb.ptr, cb.len)) writeReplace(arena, b)
    return
  }
  const ea = hasElements(arena, a)
  const eb = hasElements(arena, b)
  if (ea != eb) {
    const t = new Bytes(64)
    textOf(arena, ea ? b : a, t)
    if (ea ? t.len != 0 : !isBlank(t.ptr, t.len)) { writeReplace(arena, b); return }
  }
  if (!ea && !eb) {
    const ta = new Bytes(64)
    const tb = new Bytes(64)
    textOf(arena, a, ta)
    textOf(arena, b, tb)
    if (!equalBytes(ta.ptr, ta.len, tb.ptr, tb.len)) {
      beginOp(OP_SET_TEXT, 0, -1)
      putString(tb.ptr, tb.len)
      putString(ta.ptr, ta.len)
    }
    return
  }
  const before = identitiesOf(arena, a)
  const after = identitiesOf(arena, b)
  // Each of b's children looked up once in a's (segments are unique in a list): `match` is its
  // index in a or -1, `kept` marks a's children that b has too.
  const inA = indexOfSegments(before)
  const match = new I32s(after.count)
  const kept = new I32s(before.count)
  memory.fill(kept.ptr, 0, <usize>before.count << 2)
  for (let i = 0; i < after.count; i++) {
    const j = findSegment(inA, before, after.segPtr(i), after.segLen.get(i))
    match.set(i, j)
    if (j >= 0) kept.set(j, 1)
  }
  for (let i = before.count - 1; i >= 0; i--) {
    if (kept.get(i) != 0) continue
    beginOp(OP_REMOVE, before.segPtr(i), before.segLen.get(i))
  }
  // Reorder when the matched children are not in a's order.
  let last = -1
  let reordered = false
  for (let i = 0; i < after.count; i++) {
    const j = match.get(i)
    if (j < 0) continue
    if (j < last) { reordered = true; break }
    last = j
  }
  if (reordered) {
    beginOp(OP_REORDER, 0, -1)
    const countAt = opsLen
    pushOp(0)
    let count = 0
    for (let i = 0; i < after.count; i++) {
      if (match.get(i) < 0) continue
      putString(after.segPtr(i), after.segLen.get(i))
      count++
    }
    ops.set(countAt, count)
  }
  let previous = -1
  for (let i = 0; i < after.count; i++) {
    if (match.get(i) < 0) {
      beginOp(OP_INSERT, 0, -1)
      if (previous < 0) putAbsent()
      else putString(after.segPtr(previous), after.segLen.get(previous))
      putPreserveXml(arena, after.nodes.get(i))
      putString(after.segPtr(i), after.segLen.get(i))
    }
    previous = i
  }
  for (let i = 0; i < after.count; i++) {
    const j = match.get(i)
    if (j < 0) continue
    const saved = path.len
    path.byte(0x2f)
    path.bytes(after.segPtr(i), after.segLen.get(i))
    pushName(arena, after.nodes.get(i))
    diffElement(arena, before.nodes.get(j), after.nodes.get(i))
    depth--
    path.len = saved
  }
}

function writeReplace(arena: Arena, b: i32): void {
  beginOp(OP_REPLACE, 0, -1)
  putPreserveXml(arena, b)
}

export function firstElement(arena: Arena, root: i32): i32 {
  for (let c = arena.firstChild(root); c >= 0; c = arena.next(c)) if (arena.type(c) == T_ELEMENT) return c
  return -1
}

let out2 = changetype<Output>(0)
export function output2Ptr(): usize { return out2.ptr }
export function output2Len(): i32 { return out2.len }
/** diff's op table (see `ops` above): its address and length in i32s; the text is output2. */
export function opsPtr(): usize { return ops.ptr }
export function opsLen32(): i32 { return opsLen }

/**
 * diff(a, b): the input holds a in [0, aLen), b after it, then the rules text (rulesLen 0: the
 * resident table, see loadRules).
 * Returns 0 (the patch in output2 and opsPtr(), see `ops`) or a parse error code (-1 root in the host's terms).
 */
export function diff(aLen: i32, bLen: i32, rulesLen: i32, maxDepth: i32): i32 {
  const total = aLen + bLen + rulesLen
  beginDocuments(total)
  const arena = getArena()
  const ra = parseRange(0, aLen, maxDepth)
  if (ra < 0) return 1
  const rb = parseRange(aLen, aLen + bLen, maxDepth)
  if (rb < 0) return 2
  loadRules(aLen + bLen, total)
  text = new Output(total + 256)
  out2 = text
  ops = new I32s(256)
  opsLen = 0
  units = 0
  names = new I32s(64)
  depth = 0
  path = new Bytes(256)
  const ea = firstElement(arena, ra)
  const eb = firstElement(arena, rb)
  const input = getInput()
  path.byte(0x2f)
  path.bytes(arena.namePtr(ea, input), arena.nameLen(ea))
  if (!equalBytes(arena.namePtr(ea, input), arena.nameLen(ea), arena.namePtr(eb, input), arena.nameLen(eb))) writeReplace(arena, eb)
  else {
    pushName(arena, ea)
    diffElement(arena, ea, eb)
  }
  return 0
}

// Shared with merge.ts: the names stack and the second output.
export function pushNameOf(arena: Arena, node: i32): void { pushName(arena, node) }
export function popName(): void { depth-- }
export function resetNames(): void { names = new I32s(64); depth = 0 }
export function setOutput2(o: Output): void { out2 = o }
