import { copyBytes } from './output'
// A flat, growable store of parsed nodes in linear memory: no objects per node, no GC.
// Node fields (i32 each, stride NODE): type, parent, firstChild, lastChild, next,
// nameStart, nameLen (bytes in the input), valueStart, valueLen (bytes in the value heap),
// attrStart, attrCount, flags, sourceEnd (an element parsed from the input: the offset after its end
// tag or `/>`, else -1), then padding to 16 fields (the stride is a shift).
// Attributes (stride ATTR): nameStart, nameLen, valueStart, valueLen.

export const T_ELEMENT: i32 = 1
export const T_TEXT: i32 = 2
export const T_CDATA: i32 = 3
export const T_COMMENT: i32 = 4
export const T_PI: i32 = 5

const NODE: i32 = 16
const ATTR: i32 = 4
const F_HAS_ELEMENT: i32 = 1
const F_DECLARATION: i32 = 2

/** A growable i32 array in the bump heap (old blocks are left behind until the next reset). */
export class I32s {
  ptr: usize
  cap: i32
  constructor(cap: i32) {
    this.cap = max(cap, 16)
    this.ptr = heap.alloc(<usize>this.cap << 2)
  }
  @inline get(i: i32): i32 { return load<i32>(this.ptr + (<usize>i << 2)) }
  @inline set(i: i32, v: i32): void {
    if (i >= this.cap) this.grow(i + 1)
    store<i32>(this.ptr + (<usize>i << 2), v)
  }
  grow(need: i32): void {
    let cap = this.cap << 1
    while (cap < need) cap <<= 1
    const ptr = heap.alloc(<usize>cap << 2)
    memory.copy(ptr, this.ptr, <usize>this.cap << 2)
    this.ptr = ptr
    this.cap = cap
  }
}

export class Arena {
  nodes: I32s
  count: i32 = 0
  attrs: I32s
  attrCount: i32 = 0
  values: usize
  valuesCap: i32
  valuesLen: i32 = 0
  last: i32 = -1
  sorted: I32s
  scratch: I32s
  hash: I32s
  hashSize: i32 = 0
  currentElement: i32 = -1
  stackArray: I32s

  constructor(inputLen: i32) {
    const valuesCap = max(inputLen, 64)
    this.nodes = new I32s(NODE * (inputLen / 16 + 16))
    this.attrs = new I32s(ATTR * (inputLen / 32 + 16))
    this.sorted = new I32s(64)
    this.scratch = new I32s(64)
    this.hash = new I32s(64)
    this.stackArray = new I32s(64)
    this.valuesCap = valuesCap
    this.values = heap.alloc(<usize>valuesCap)
  }

  // ---- values heap ----
  @inline valueLen(): i32 { return this.valuesLen }
  pushValueByte(b: i32): void {
    if (this.valuesLen >= this.valuesCap) {
      const cap = this.valuesCap << 1
      const ptr = heap.alloc(<usize>cap)
      memory.copy(ptr, this.values, <usize>this.valuesLen)
      this.values = ptr
      this.valuesCap = cap
    }
    store<u8>(this.values + <usize>this.valuesLen, <u8>b)
    this.valuesLen++
  }
  /** Appends [p, p+len) to the value heap in one copy. */
  pushValueRange(p: usize, len: i32): void {
    if (len <= 0) return
    if (this.valuesLen + len > this.valuesCap) {
      let cap = this.valuesCap << 1
      while (cap < this.valuesLen + len) cap <<= 1
      const ptr = heap.alloc(<usize>cap)
      memory.copy(ptr, this.values, <usize>this.valuesLen)
      this.values = ptr
      this.valuesCap = cap
    }
    copyBytes(this.values + <usize>this.valuesLen, p, len)
    this.valuesLen += len
  }
  pushCodePoint(c: i32): void {
    if (c < 0x80) this.pushValueByte(c)
    else if (c < 0x800) { this.pushValueByte(0xc0 | (c >> 6)); this.pushValueByte(0x80 | (c & 0x3f)) }
    else if (c < 0x10000) { this.pushValueByte(0xe0 | (c >> 12)); this.pushValueByte(0x80 | ((c >> 6) & 0x3f)); this.pushValueByte(0x80 | (c & 0x3f)) }
    else {
      this.pushValueByte(0xf0 | (c >> 18)); this.pushValueByte(0x80 | ((c >> 12) & 0x3f))
      this.pushValueByte(0x80 | ((c >> 6) & 0x3f)); this.pushValueByte(0x80 | (c & 0x3f))
    }
  }

  // ---- nodes ----
  // Every node below `count` has its fields allocated (add() grows the store first): no bounds check.
  @inline private f(node: i32, field: i32): i32 { return load<i32>(this.nodes.ptr + (<usize>(node * NODE + field) << 2)) }
  @inline private setF(node: i32, field: i32, v: i32): void { store<i32>(this.nodes.ptr + (<usize>(node * NODE + field) << 2), v) }

  add(parent: i32, type: i32, nameStart: i32, nameLen: i32, valueStart: i32, valueLen: i32): i32 {
    const node = this.count++
    const base = node * NODE
    if (base + NODE > this.nodes.cap) this.nodes.grow(base + NODE)
    const p = this.nodes.ptr + (<usize>base << 2)
    store<i32>(p, type)
    store<i32>(p, parent, 4)
    store<i32>(p, -1, 8)
    store<i32>(p, -1, 12)
    store<i32>(p, -1, 16)
    store<i32>(p, nameStart, 20)
    store<i32>(p, nameLen, 24)
    store<i32>(p, valueStart, 28)
    store<i32>(p, valueLen, 32)
    store<i32>(p, 0, 36)
    store<i32>(p, 0, 40)
    store<i32>(p, 0, 44)
    store<i32>(p, -1, 48)
    if (parent >= 0) {
      const lastChild = this.f(parent, 3)
      if (lastChild < 0) this.setF(parent, 2, node)
      else this.setF(lastChild, 4, node)
      this.setF(parent, 3, node)
      if (type == T_ELEMENT) this.setF(parent, 11, this.f(parent, 11) | F_HAS_ELEMENT)
    }
    this.last = node
    return node
  }
  @inline lastAdded(): i32 { return this.last }
  @inline type(node: i32): i32 { return this.f(node, 0) }
  @inline parentOf(node: i32): i32 { return this.f(node, 1) }
  @inline firstChild(node: i32): i32 { return this.f(node, 2) }
  @inline next(node: i32): i32 { return this.f(node, 4) }
  @inline namePtr(node: i32, input: usize): usize { return input + <usize>this.f(node, 5) }
  @inline nameLen(node: i32): i32 { return this.f(node, 6) }
  /** Where the name starts in the input. */
  @inline nameStartOf(node: i32): i32 { return this.f(node, 5) }
  @inline valuePtr(node: i32): usize { return this.values + <usize>this.f(node, 7) }
  @inline valueLenOf(node: i32): i32 { return this.f(node, 8) }
  /** Where an element parsed from the input ends (after `>` of its end tag or `/>`), or -1. */
  @inline sourceEndOf(node: i32): i32 { return this.f(node, 12) }
  @inline setSourceEnd(node: i32, end: i32): void { this.setF(node, 12, end) }
  @inline hasElementChild(node: i32): bool { return (this.f(node, 11) & F_HAS_ELEMENT) != 0 }
  // ---- mutation (merge) ----
  @inline lastChildOf(node: i32): i32 { return this.f(node, 3) }
  setValue(node: i32, start: i32, len: i32): void { this.setF(node, 7, start); this.setF(node, 8, len) }
  /** Appends bytes to the value heap; returns their offset. */
  pushValueBytes(p: usize, len: i32): i32 {
    const at = this.valuesLen
    this.pushValueRange(p, len)
    return at
  }
  /** Empties an element's child list. */
  clearChildren(node: i32): void {
    this.setF(node, 2, -1)
    this.setF(node, 3, -1)
    this.setF(node, 11, this.f(node, 11) & ~F_HAS_ELEMENT)
  }
  /** Links `child` (and its subtree) under `parent`, after `after` (-1: at the end). */
  insertChild(parent: i32, after: i32, child: i32): void {
    this.setF(child, 1, parent)
    if (after < 0) {
      this.setF(child, 4, -1)
      const last = this.f(parent, 3)
      if (last < 0) this.setF(parent, 2, child)
      else this.setF(last, 4, child)
      this.setF(parent, 3, child)
    } else {
      this.setF(child, 4, this.f(after, 4))
      this.setF(after, 4, child)
      if (this.f(parent, 3) == after) this.setF(parent, 3, child)
    }
    if (this.f(child, 0) == T_ELEMENT) this.setF(parent, 11, this.f(parent, 11) | F_HAS_ELEMENT)
  }
  /** Sets an attribute's value (heap offset), adding it at the end when the element lacks it. */
  setAttribute(element: i32, existing: i32, nameStart: i32, nameLen: i32, valueStart: i32, valueLen: i32): void {
    if (existing >= 0) {
      this.attrs.set(existing * ATTR + 2, valueStart)
      this.attrs.set(existing * ATTR + 3, valueLen)
      return
    }
    const first = this.f(element, 9)
    const count = this.f(element, 10)
    if (first + count != this.attrCount) {
      // Not the last block: move the element's attributes to the end first.
      const moved = this.attrCount
      for (let k = 0; k < count; k++) {
        for (let w = 0; w < ATTR; w++) this.attrs.set((moved + k) * ATTR + w, this.attrs.get((first + k) * ATTR + w))
      }
      this.attrCount += count
      this.setF(element, 9, moved)
    }
    const a = this.attrCount++
    this.attrs.set(a * ATTR, nameStart)
    this.attrs.set(a * ATTR + 1, nameLen)
    this.attrs.set(a * ATTR + 2, valueStart)
    this.attrs.set(a * ATTR + 3, valueLen)
    this.setF(element, 10, count + 1)
  }
  /** Drops the k-th attribute (document order) of an element, keeping the others' order. */
  removeAttributeAt(element: i32, k: i32): void {
    const first = this.f(element, 9)
    const count = this.f(element, 10)
    for (let i = k; i < count - 1; i++) {
      for (let w = 0; w < ATTR; w++) this.attrs.set((first + i) * ATTR + w, this.attrs.get((first + i + 1) * ATTR + w))
    }
    this.setF(element, 10, count - 1)
  }
  @inline attributeValueStart(a: i32): i32 { return this.attrs.get(a * ATTR + 2) }
  @inline valueStartOf(node: i32): i32 { return this.f(node, 7) }

  markDeclaration(node: i32): void { this.setF(node, 11, this.f(node, 11) | F_DECLARATION) }
  @inline isDeclaration(node: i32): bool { return (this.f(node, 11) & F_DECLARATION) != 0 }

  nameEquals(node: i32, start: i32, len: i32): bool {
    if (this.f(node, 6) != len) return false
    return memory.compare(inputBase + <usize>this.f(node, 5), inputBase + <usize>start, <usize>len) == 0
  }

  stack(): I32s { return this.stackArray }

  // ---- attributes ----
  beginAttributes(element: i32): void {
    this.setF(element, 9, this.attrCount)
    this.setF(element, 10, 0)
    this.currentElement = element
    this.hashSize = 0
  }
  @inline attributeCount(element: i32): i32 { return this.f(element, 10) }
  @inline attributeNameStart(a: i32): i32 { return this.attrs.get(a * ATTR) }
  @inline attributeNameLen(a: i32): i32 { return this.attrs.get(a * ATTR + 1) }
  @inline attributeValuePtr(a: i32): usize { return this.values + <usize>this.attrs.get(a * ATTR + 2) }
  @inline attributeValueLen(a: i32): i32 { return this.attrs.get(a * ATTR + 3) }

  private sameName(a: i32, start: i32, len: i32): bool {
    return this.attributeNameLen(a) == len &&
      memory.compare(inputBase + <usize>this.attributeNameStart(a), inputBase + <usize>start, <usize>len) == 0
  }

  private hashOf(start: i32, len: i32): i32 {
    let h: u32 = 2166136261
    for (let k = 0; k < len; k++) h = (h ^ <u32>load<u8>(inputBase + <usize>(start + k))) * 16777619
    return <i32>(h & 0x7fffffff)
  }

  private hashInsert(a: i32): void {
    const mask = this.hashSize - 1
    let slot = this.hashOf(this.attributeNameStart(a), this.attributeNameLen(a)) & mask
    while (this.hash.get(slot) != 0) slot = (slot + 1) & mask
    this.hash.set(slot, a + 1)
  }

  private rebuildHash(element: i32, size: i32): void {
    if (size > this.hash.cap) this.hash.grow(size)
    memory.fill(this.hash.ptr, 0, <usize>size << 2)
    this.hashSize = size
    const first = this.f(element, 9)
    const count = this.f(element, 10)
    for (let k = 0; k < count; k++) this.hashInsert(first + k)
  }

  /** Adds an attribute to the element being parsed; false if its name is already there. */
  addAttribute(element: i32, nameStart: i32, nameLen: i32, valueStart: i32, valueLen: i32): bool {
    const first = this.f(element, 9)
    const count = this.f(element, 10)
    if (count < 8) {
      for (let k = 0; k < count; k++) if (this.sameName(first + k, nameStart, nameLen)) return false
    } else {
      if (this.hashSize < (count + 1) * 2) this.rebuildHash(element, max(64, nextPowerOfTwo((count + 1) * 4)))
      const mask = this.hashSize - 1
      let slot = this.hashOf(nameStart, nameLen) & mask
      for (;;) {
        const entry = this.hash.get(slot)
        if (entry == 0) break
        if (this.sameName(entry - 1, nameStart, nameLen)) return false
        slot = (slot + 1) & mask
      }
    }
    const a = this.attrCount++
    const base = a * ATTR
    this.attrs.set(base, nameStart)
    this.attrs.set(base + 1, nameLen)
    this.attrs.set(base + 2, valueStart)
    this.attrs.set(base + 3, valueLen)
    this.setF(element, 10, count + 1)
    if (this.hashSize > 0) this.hashInsert(a)
    return true
  }

  private compareNames(a: i32, b: i32): i32 {
    const la = this.attributeNameLen(a)
    const lb = this.attributeNameLen(b)
    const c = memory.compare(inputBase + <usize>this.attributeNameStart(a), inputBase + <usize>this.attributeNameStart(b), <usize>min(la, lb))
    return c != 0 ? c : la - lb
  }

  /** Sorts the element's attributes by name in byte (= code point) order into `sorted`. */
  sortAttributes(element: i32, input: usize): void {
    const first = this.f(element, 9)
    const count = this.f(element, 10)
    const sorted = this.sorted
    if (count > sorted.cap) sorted.grow(count)
    for (let k = 0; k < count; k++) store<i32>(sorted.ptr + (<usize>k << 2), first + k)
    if (count <= 16) {
      for (let i = 1; i < count; i++) {
        const x = sorted.get(i)
        let j = i - 1
        while (j >= 0 && this.compareNames(sorted.get(j), x) > 0) { store<i32>(sorted.ptr + (<usize>(j + 1) << 2), sorted.get(j)); j-- }
        store<i32>(sorted.ptr + (<usize>(j + 1) << 2), x)
      }
      return
    }
    // Bottom-up merge sort: hostile tags with many attributes stay O(n log n).
    if (count > this.scratch.cap) this.scratch.grow(count)
    let src = sorted.ptr
    let dst = this.scratch.ptr
    for (let width = 1; width < count; width <<= 1) {
      for (let lo = 0; lo < count; lo += width << 1) {
        const mid = min(lo + width, count)
        const hi = min(lo + (width << 1), count)
        let i = lo, j = mid, k = lo
        while (i < mid && j < hi) {
          const x = load<i32>(src + (<usize>i << 2))
          const y = load<i32>(src + (<usize>j << 2))
          if (this.compareNames(x, y) <= 0) { store<i32>(dst + (<usize>k << 2), x); i++ } else { store<i32>(dst + (<usize>k << 2), y); j++ }
          k++
        }
        while (i < mid) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>i << 2))); i++; k++ }
        while (j < hi) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>j << 2))); j++; k++ }
      }
      const t = src; src = dst; dst = t
    }
    if (src != sorted.ptr) memory.copy(sorted.ptr, src, <usize>count << 2)
  }
  @inline sortedAttribute(element: i32, k: i32): i32 { return this.sorted.get(k) }
  /** The k-th attribute of an element in document order. */
  @inline attributeInOrder(element: i32, k: i32): i32 { return this.f(element, 9) + k }
}

/** The input buffer's address, set by the parser before any name comparison. */
export let inputBase: usize = 0
export function setInputBase(p: usize): void { inputBase = p }

function nextPowerOfTwo(v: i32): i32 {
  let p = 1
  while (p < v) p <<= 1
  return p
}
