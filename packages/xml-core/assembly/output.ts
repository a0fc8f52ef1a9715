// The growable output buffer of the canonical writer, with its two escaping rules.

/**
 * Copies len bytes between regions that do not overlap. Short runs (names, most values) by hand:
 * V8 runs `memory.copy` as a call out of the module, which costs more than a tag name's bytes.
 */
@inline export function copyBytes(dst: usize, src: usize, len: i32): void {
  if (len > 32) { memory.copy(dst, src, <usize>len); return }
  let k = 0
  for (; k + 8 <= len; k += 8) store<u64>(dst + <usize>k, load<u64>(src + <usize>k))
  for (; k < len; k++) store<u8>(dst + <usize>k, load<u8>(src + <usize>k))
}

export class Output {
  ptr: usize
  cap: i32
  len: i32 = 0
  constructor(cap: i32) {
    this.cap = max(cap, 64)
    this.ptr = heap.alloc(<usize>this.cap)
  }
  @inline ensure(extra: i32): void {
    if (this.len + extra > this.cap) this.grow(this.len + extra)
  }
  grow(need: i32): void {
    let cap = this.cap << 1
    while (cap < need) cap <<= 1
    const ptr = heap.alloc(<usize>cap)
    memory.copy(ptr, this.ptr, <usize>this.len)
    this.ptr = ptr
    this.cap = cap
  }
  @inline byte(b: i32): void {
    this.ensure(1)
    store<u8>(this.ptr + <usize>this.len, <u8>b)
    this.len++
  }
  bytes(from: usize, len: i32): void {
    this.ensure(len)
    copyBytes(this.ptr + <usize>this.len, from, len)
    this.len += len
  }
  /** The UTF-8 form of code point c. */
  codePoint(c: i32): void {
    this.ensure(4)
    const p = this.ptr + <usize>this.len
    if (c < 0x80) { store<u8>(p, <u8>c); this.len += 1 }
    else if (c < 0x800) { store<u8>(p, <u8>(0xc0 | (c >> 6))); store<u8>(p, <u8>(0x80 | (c & 0x3f)), 1); this.len += 2 }
    else if (c < 0x10000) { store<u8>(p, <u8>(0xe0 | (c >> 12))); store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 1); store<u8>(p, <u8>(0x80 | (c & 0x3f)), 2); this.len += 3 }
    else {
      store<u8>(p, <u8>(0xf0 | (c >> 18))); store<u8>(p, <u8>(0x80 | ((c >> 12) & 0x3f)), 1)
      store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 2); store<u8>(p, <u8>(0x80 | (c & 0x3f)), 3); this.len += 4
    }
  }
  ascii(s: string): void {
    const len = s.length
    this.ensure(len)
    for (let k = 0; k < len; k++) store<u8>(this.ptr + <usize>(this.len + k), <u8>s.charCodeAt(k))
    this.len += len
  }
  /** Text: `& < >` and carriage return escaped. */
  escapeText(from: usize, len: i32): void {
    this.escape(from, len, TEXT_ESCAPES)
  }
  /** Attribute values: `& < "`, tab, newline and carriage return escaped. */
  escapeAttribute(from: usize, len: i32): void {
    this.escape(from, len, ATTRIBUTE_ESCAPES)
  }
  /** Copies [from, from+len) with the bytes the table marks replaced by their references. */
  @inline private escape(from: usize, len: i32, table: usize): void {
    let chunk = 0
    for (let k = 0; k < len; k++) {
      const c = <i32>load<u8>(from + <usize>k)
      if (load<u8>(table + <usize>c) == 0) continue
      this.bytes(from + <usize>chunk, k - chunk)
      chunk = k + 1
      if (c == 0x26) this.ascii('&amp;')
      else if (c == 0x3c) this.ascii('&lt;')
      else if (c == 0x3e) this.ascii('&gt;')
      else if (c == 0x22) this.ascii('&quot;')
      else if (c == 9) this.ascii('&#9;')
      else if (c == 10) this.ascii('&#10;')
      else this.ascii('&#13;')
    }
    this.bytes(from + <usize>chunk, len - chunk)
  }
}

// The bytes each escaping rule replaces (1), by byte value.
const TEXT_ESCAPES: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
])
const ATTRIBUTE_ESCAPES: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
])
