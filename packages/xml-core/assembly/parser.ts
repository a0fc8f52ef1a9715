// The WebAssembly twin of src/parse.ts and src/serialize.ts (toCanonical). It follows the same
// grammar path for path, so that every input gives the same bytes out, or the same error code at
// the same UTF-8 byte offset (differential tests hold both to this).
//
// ABI (no imports; --runtime stub, so the heap is a bump allocator reset at every call):
//   ptr = prepare(len)            reset the heap, reserve the input buffer; the host copies bytes in
//   rc  = canonicalize(len, flags, maxDepth)   0 = ok, else an error code (see ERR_* / src/engine.ts)
//   outputPtr(), outputLen()      the canonical bytes (valid until the next prepare)
//   errorOffset()                 where the error is, in UTF-8 bytes from the start of the input
// flags: bit 0 = keep comments and processing instructions (canonicalize).
//   rc  = format(len, maxDepth)   the document in libvirt's layout (src/serialize.ts toXml), same outputs

import { Arena, I32s, setInputBase, T_ELEMENT, T_TEXT, T_CDATA, T_COMMENT, T_PI } from './arena'
import { copyBytes, Output } from './output'
import { formatDocument } from './format'

export const ERR_INVALID_UTF8: i32 = 1
export const ERR_INVALID_CHARACTER: i32 = 2
export const ERR_UNEXPECTED_CHARACTER: i32 = 3
export const ERR_UNEXPECTED_EOF: i32 = 4
export const ERR_MISMATCHED_TAG: i32 = 5
export const ERR_DUPLICATE_ATTRIBUTE: i32 = 6
export const ERR_UNDEFINED_ENTITY: i32 = 7
export const ERR_DOCTYPE_REFUSED: i32 = 8
export const ERR_NO_ROOT: i32 = 9
export const ERR_CONTENT_AFTER_ROOT: i32 = 10
export const ERR_TOO_DEEP: i32 = 11
export const ERR_MISPLACED_DECLARATION: i32 = 12

let input: usize = 0
let n: i32 = 0
let pos: i32 = 0
let docStart: i32 = 0
let errCode: i32 = 0
let errAt: i32 = 0
let arena: Arena = changetype<Arena>(0)
let out: Output = changetype<Output>(0)

export function prepare(len: i32): usize {
  heap.reset()
  input = heap.alloc(<usize>max(len, 1))
  setInputBase(input)
  return input
}

export function outputPtr(): usize { return out.ptr }
export function outputLen(): i32 { return out.len }
export function errorOffset(): i32 { return errAt }

// ---- bytes and code points ---------------------------------------------------

@inline function at(i: i32): i32 { return <i32>load<u8>(input + <usize>i) }
@inline function byteOr(i: i32): i32 { return i < n ? at(i) : -1 }

/** Code point at i (input is valid UTF-8 by then), or -1 past the end. */
function cpAt(i: i32): i32 {
  if (i >= n) return -1
  const b = at(i)
  if (b < 0x80) return b
  if (b < 0xe0) return ((b & 0x1f) << 6) | (at(i + 1) & 0x3f)
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((at(i + 1) & 0x3f) << 6) | (at(i + 2) & 0x3f)
  return ((b & 0x07) << 18) | ((at(i + 1) & 0x3f) << 12) | ((at(i + 2) & 0x3f) << 6) | (at(i + 3) & 0x3f)
}

@inline function cpLen(c: i32): i32 { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4 }

export function isNameStartChar(c: i32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c == 0x5f || c == 0x3a ||
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff)
}

export function isNameChar(c: i32): bool {
  return isNameStartChar(c) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0xb7 ||
    (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040)
}

export function isXmlChar(c: i32): bool {
  return c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
}

@inline function isSpace(c: i32): bool { return c == 0x20 || c == 9 || c == 10 || c == 13 }

/** First invalid UTF-8 byte in [docStart, n) (the rules of src/parse.ts firstInvalidUtf8), or n. */
function firstInvalidUtf8(): i32 {
  let i = docStart
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n && (load<u64>(input + <usize>i) & 0x8080808080808080) == 0) i += 8
    if (i >= n) break
    const b = at(i)
    if (b < 0x80) { i++; continue }
    let need = 0
    let min = 0
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80 }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800 }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000 }
    else return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i
      const c = at(i + k)
      if ((c & 0xc0) != 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return n
}

// ---- errors --------------------------------------------------------------------

// Errors unwind by setting errCode and returning; every caller checks `failed()`.
@inline function failed(): bool { return errCode != 0 }
function fail(code: i32, where: i32): void {
  if (errCode == 0) { errCode = code; errAt = where }
}
/** `unexpected` of the TS parser: end of input is its own code. */
function unexpected(where: i32): void {
  fail(where >= n ? ERR_UNEXPECTED_EOF : ERR_UNEXPECTED_CHARACTER, where)
}

/** Checks the character at pos is an XML Char; returns its byte length (0 after an error). */
function checkChar(i: i32): i32 {
  const c = cpAt(i)
  if (!isXmlChar(c)) { fail(ERR_INVALID_CHARACTER, i); return 0 }
  return cpLen(c)
}

// ---- grammar ---------------------------------------------------------------------

function startsWith(i: i32, s: string): bool {
  const len = s.length
  if (i + len > n) return false
  for (let k = 0; k < len; k++) if (at(i + k) != <i32>s.charCodeAt(k)) return false
  return true
}

// Per ASCII byte: 1 = NameStartChar, 2 = NameChar (a-z A-Z _ : start a name; digits - . continue one).
// Bytes 0x80 and above take the code-point path (isNameStartChar / isNameChar).
const NAME_CLASS: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 0, 0, 0, 0, 0,
  0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
  0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
])
@inline function nameClass(b: i32): i32 { return <i32>load<u8>(NAME_CLASS + <usize>b) }

/** Reads a name at pos; returns its byte length (0 after an error). ASCII bytes by table. */
function name(): i32 {
  const start = pos
  if (pos >= n) { unexpected(pos); return 0 }
  const b = at(pos)
  if (b < 0x80) {
    if ((nameClass(b) & 1) == 0) { unexpected(pos); return 0 }
    pos++
  } else {
    const first = cpAt(pos)
    if (!isNameStartChar(first)) { unexpected(pos); return 0 }
    pos += cpLen(first)
  }
  // ASCII name characters in a loop on locals (globals are not kept in registers across a loop).
  const end = n
  const base = input
  let i = pos
  for (;;) {
    while (i < end) {
      const c = <i32>load<u8>(base + <usize>i)
      if (c >= 0x80 || nameClass(c) == 0) break
      i++
    }
    if (i >= end || <i32>load<u8>(base + <usize>i) < 0x80) break
    const cp = cpAt(i)
    if (!isNameChar(cp)) break
    i += cpLen(cp)
  }
  pos = i
  return pos - start
}

/** Whether a name starts at i (ASCII by table). */
@inline function nameStartsAt(i: i32): bool {
  if (i >= n) return false
  const b = at(i)
  return b < 0x80 ? (nameClass(b) & 1) != 0 : isNameStartChar(cpAt(i))
}

function skipSpace(): bool {
  const start = pos
  const end = n
  let i = start
  while (i < end && isSpace(at(i))) i++
  pos = i
  return i > start
}

/**
 * [from, to) of the input with \r\n and \r read as \n, nothing escaped: into the value heap (the tree
 * parser's values) or, `toOutput`, onto the output (the canonical writer's comments and PIs).
 */
function copyNormalized(from: i32, to: i32, toOutput: bool = false): void {
  let chunk = from
  for (let i = from; i < to; i++) {
    if (at(i) != 13) continue
    copyRange(chunk, i - chunk, toOutput)
    if (toOutput) out.byte(10)
    else arena.pushValueByte(10)
    if (i + 1 < to && at(i + 1) == 10) i++
    chunk = i + 1
  }
  copyRange(chunk, to - chunk, toOutput)
}

function copyRange(from: i32, len: i32, toOutput: bool): void {
  if (toOutput) out.bytes(input + <usize>from, len)
  else arena.pushValueRange(input + <usize>from, len)
}

// The scanners below are shared by the tree parser (comment, instruction, cdata) and the one-pass
// canonical writer (canonicalComment …): the grammar and its errors live once; each caller only decides
// what to do with the value it found.

/** At `<!--`: moves `pos` to the `-->` that ends the comment (the value is [start + 4, pos)); false after an error. */
function scanComment(): bool {
  pos += 4
  for (;;) {
    if (pos >= n) { unexpected(pos); return false }
    const c = at(pos)
    if (c == 0x2d && byteOr(pos + 1) == 0x2d) {
      if (byteOr(pos + 2) == 0x3e) return true
      fail(ERR_UNEXPECTED_CHARACTER, pos)
      return false
    }
    const len = checkChar(pos)
    if (len == 0) return false
    pos += len
  }
  return false // unreachable: asc wants a return after the loop
}

/** At `<![CDATA[`: moves `pos` to the `]]>` that ends the section (the value is [start + 9, pos)); false after an error. */
function scanCdata(): bool {
  pos += 9
  for (;;) {
    if (pos >= n) { unexpected(pos); return false }
    if (at(pos) == 0x5d && startsWith(pos, ']]>')) return true
    const len = checkChar(pos)
    if (len == 0) return false
    pos += len
  }
  return false // unreachable: asc wants a return after the loop
}

// What scanInstruction found: the target name and the value (empty when start == end).
let piNameStart = 0
let piNameLen = 0
let piValueStart = 0
let piValueEnd = 0

/** At `<?`: reads a processing instruction up to and past its `?>` (see the pi* globals); false after an error. */
function scanInstruction(declaration: bool): bool {
  const start = pos
  pos += 2
  piNameStart = pos
  piNameLen = name()
  if (failed()) return false
  if (!declaration && piNameLen == 3 && (at(piNameStart) | 0x20) == 0x78 && (at(piNameStart + 1) | 0x20) == 0x6d && (at(piNameStart + 2) | 0x20) == 0x6c) {
    fail(ERR_MISPLACED_DECLARATION, start)
    return false
  }
  piValueStart = pos
  piValueEnd = pos
  if (startsWith(pos, '?>')) {
    pos += 2
    return true
  }
  if (!skipSpace()) { unexpected(pos); return false }
  piValueStart = pos
  for (;;) {
    if (pos >= n) { unexpected(pos); return false }
    if (at(pos) == 0x3f && byteOr(pos + 1) == 0x3e) break
    const len = checkChar(pos)
    if (len == 0) return false
    pos += len
  }
  piValueEnd = pos
  pos += 2
  return true
}

// What scanEndTag found: the end tag's name.
let endNameStart = 0
let endNameLen = 0

/** At `</`: reads the name and any space, and stops at the `>` (not consumed); false after an error. */
function scanEndTag(): bool {
  pos += 2
  endNameStart = pos
  endNameLen = name()
  if (failed()) return false
  skipSpace()
  if (byteOr(pos) != 0x3e) { unexpected(pos); return false }
  return true
}

function comment(parent: i32): void {
  const start = pos
  if (!scanComment()) return
  const v = arena.valueLen()
  copyNormalized(start + 4, pos)
  pos += 3
  arena.add(parent, T_COMMENT, start, 0, v, arena.valueLen() - v)
}

function instruction(parent: i32, declaration: bool): void {
  if (!scanInstruction(declaration)) return
  const v = arena.valueLen()
  if (piValueEnd > piValueStart) copyNormalized(piValueStart, piValueEnd)
  arena.add(parent, T_PI, piNameStart, piNameLen, v, arena.valueLen() - v)
}

function cdata(parent: i32): void {
  const valueStart = pos + 9
  if (!scanCdata()) return
  const v = arena.valueLen()
  copyNormalized(valueStart, pos)
  pos += 3
  arena.add(parent, T_CDATA, 0, 0, v, arena.valueLen() - v)
}

/** Reads a reference at `&` and appends its replacement to the value heap. */
function reference(): void {
  const v = referenceValue()
  if (v >= 0) arena.pushCodePoint(v)
}

/** Reads a reference at `&`; returns the code point it stands for, or -1 after an error. */
function referenceValue(): i32 {
  const amp = pos
  pos++
  if (byteOr(pos) == 0x23) {
    pos++
    let hex = false
    if (byteOr(pos) == 0x78) { hex = true; pos++ }
    const digitsStart = pos
    let code: i64 = 0
    while (pos < n) {
      const c = at(pos)
      let d = -1
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (hex && c >= 0x61 && c <= 0x66) d = c - 0x61 + 10
      else if (hex && c >= 0x41 && c <= 0x46) d = c - 0x41 + 10
      if (d < 0) break
      if (pos - digitsStart < 9) code = code * (hex ? 16 : 10) + d
      pos++
    }
    if (pos == digitsStart || byteOr(pos) != 0x3b) { fail(ERR_UNEXPECTED_CHARACTER, amp); return -1 }
    const digits = pos - digitsStart
    pos++
    // As in the TS parser: more than 8 digits is never a valid character.
    if (digits > 8 || code > 0x10ffff || !isXmlChar(<i32>code)) { fail(ERR_INVALID_CHARACTER, amp); return -1 }
    return <i32>code
  }
  const first = cpAt(pos)
  if (first < 0 || !isNameStartChar(first)) { fail(ERR_UNEXPECTED_CHARACTER, amp); return -1 }
  const nameStart = pos
  const len = name()
  if (byteOr(pos) != 0x3b) { fail(ERR_UNEXPECTED_CHARACTER, amp); return -1 }
  pos++
  let value = -1
  if (len == 2 && at(nameStart + 1) == 0x74) {
    if (at(nameStart) == 0x6c) value = 0x3c // lt
    else if (at(nameStart) == 0x67) value = 0x3e // gt
  } else if (len == 3 && startsWith(nameStart, 'amp')) value = 0x26
  else if (len == 4 && startsWith(nameStart, 'apos')) value = 0x27
  else if (len == 4 && startsWith(nameStart, 'quot')) value = 0x22
  if (value < 0) { fail(ERR_UNDEFINED_ENTITY, amp); return -1 }
  return value
}

// Bytes that stop the plain-run loops of text() and attributeValue(): 1 = look closer.
// Text: controls other than tab and newline, `&`, `<`, `]` (of `]]>`), 0xef (U+FFFE/U+FFFF).
const TEXT_STOP: usize = memory.data<u8>([
  1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
])
// Attribute values: controls, both quotes, `&`, `<`, and every non-ASCII byte (checked as a character).
const ATTRIBUTE_STOP: usize = memory.data<u8>([
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
])

function attributeValue(): void {
  const quote = byteOr(pos)
  if (quote != 0x22 && quote != 0x27) { unexpected(pos); return }
  pos++
  let chunk = pos
  for (;;) {
    {
      const end = n
      let i = pos
      while (i < end && load<u8>(ATTRIBUTE_STOP + <usize>at(i)) == 0) i++
      pos = i
    }
    if (pos >= n) { unexpected(pos); return }
    const c = at(pos)
    if (c == quote) break
    if (c == 0x22 || c == 0x27) { pos++; continue } // the other quote
    if (c == 0x3c) { fail(ERR_UNEXPECTED_CHARACTER, pos); return }
    if (c == 0x26) {
      arena.pushValueRange(input + <usize>chunk, pos - chunk)
      reference()
      if (failed()) return
      chunk = pos
      continue
    }
    if (c < 0x20) {
      if (c != 13 && c != 9 && c != 10) { fail(ERR_INVALID_CHARACTER, pos); return }
      // Literal tab, newline and carriage return (\r\n as one) read as a space.
      arena.pushValueRange(input + <usize>chunk, pos - chunk)
      arena.pushValueByte(0x20)
      pos++
      if (c == 13 && byteOr(pos) == 10) pos++
      chunk = pos
      continue
    }
    if (c >= 0x80) {
      const len = checkChar(pos)
      if (len == 0) return
      pos += len
      continue
    }
    pos++
  }
  arena.pushValueRange(input + <usize>chunk, pos - chunk)
  pos++
}

/** Start tag at `<`: adds the element; returns 1 if it is open, 0 if empty (`/>`), -1 on error. */
function startTag(parent: i32): i32 {
  const start = pos
  pos++
  const nameStart = pos
  const nameLen = name()
  if (failed()) return -1
  const element = arena.add(parent, T_ELEMENT, nameStart, nameLen, 0, 0)
  arena.beginAttributes(element)
  for (;;) {
    const spaced = skipSpace()
    const c = byteOr(pos)
    if (c == 0x3e) { pos++; return 1 }
    if (c == 0x2f && byteOr(pos + 1) == 0x3e) { pos += 2; arena.setSourceEnd(element, pos); return 0 }
    if (!spaced || !nameStartsAt(pos)) { unexpected(pos); return -1 }
    const attributeStart = pos
    const attributeLen = name()
    skipSpace()
    if (byteOr(pos) != 0x3d) { unexpected(pos); return -1 }
    pos++
    skipSpace()
    const v = arena.valueLen()
    attributeValue()
    if (failed()) return -1
    if (!arena.addAttribute(element, attributeStart, attributeLen, v, arena.valueLen() - v)) {
      fail(ERR_DUPLICATE_ATTRIBUTE, attributeStart)
      return -1
    }
  }
  return -1
}

/** Text at pos up to the next `<`, appended as one text node. Plain runs are copied in bulk. */
function text(parent: i32): void {
  const v = arena.valueLen()
  let chunk = pos
  while (pos < n) {
    {
      const end = n
      let i = pos
      while (i < end && load<u8>(TEXT_STOP + <usize>at(i)) == 0) i++
      pos = i
      if (i >= end) break
    }
    const c = at(pos)
    if (c == 0x3c) break
    if (c == 0x26) {
      arena.pushValueRange(input + <usize>chunk, pos - chunk)
      reference()
      if (failed()) return
      chunk = pos
      continue
    }
    if (c == 0x5d && byteOr(pos + 1) == 0x5d && byteOr(pos + 2) == 0x3e) { fail(ERR_UNEXPECTED_CHARACTER, pos); return }
    if (c < 0x20) {
      if (c == 13) {
        arena.pushValueRange(input + <usize>chunk, pos - chunk)
        arena.pushValueByte(10)
        pos++
        if (byteOr(pos) == 10) pos++
        chunk = pos
        continue
      }
      if (c != 9 && c != 10) { fail(ERR_INVALID_CHARACTER, pos); return }
    } else if (c == 0xef && byteOr(pos + 1) == 0xbf && (byteOr(pos + 2) == 0xbe || byteOr(pos + 2) == 0xbf)) {
      fail(ERR_INVALID_CHARACTER, pos) // U+FFFE, U+FFFF
      return
    }
    pos++
  }
  arena.pushValueRange(input + <usize>chunk, pos - chunk)
  arena.add(parent, T_TEXT, 0, 0, v, arena.valueLen() - v)
}

/** The document element and everything in it; iterative, depth bounded by maxDepth. */
function element(root: i32, maxDepth: i32): void {
  const state = startTag(root)
  if (state <= 0) return
  let current = arena.lastAdded()
  let depth = 1
  for (;;) {
    if (pos >= n) { unexpected(pos); return }
    const c = at(pos)
    if (c == 0x3c) {
      const next = byteOr(pos + 1)
      if (next == 0x2f) {
        const endStart = pos
        if (!scanEndTag()) return
        if (!arena.nameEquals(current, endNameStart, endNameLen)) { fail(ERR_MISMATCHED_TAG, endStart); return }
        pos++
        arena.setSourceEnd(current, pos)
        depth--
        if (depth == 0) return
        current = arena.parentOf(current)
      } else if (next == 0x21) {
        if (startsWith(pos, '<!--')) comment(current)
        else if (startsWith(pos, '<![CDATA[')) cdata(current)
        else { unexpected(pos + 2); return }
      } else if (next == 0x3f) {
        instruction(current, false)
      } else {
        if (depth >= maxDepth) { fail(ERR_TOO_DEEP, pos); return }
        const open = startTag(current)
        if (open < 0) return
        if (open == 1) { current = arena.lastAdded(); depth++ }
      }
    } else {
      text(current)
    }
    if (failed()) return
  }
}

function document(maxDepth: i32): i32 {
  const root = arena.add(-1, T_ELEMENT, 0, 0, 0, 0)
  pos = docStart
  if (n - docStart >= 3 && at(docStart) == 0xef && at(docStart + 1) == 0xbb && at(docStart + 2) == 0xbf) pos = docStart + 3
  if (startsWith(pos, '<?xml') && (isSpace(byteOr(pos + 5)) || byteOr(pos + 5) == 0x3f)) {
    instruction(root, true)
    if (failed()) return root
    arena.markDeclaration(arena.lastAdded())
  }
  let seenRoot = false
  while (pos < n) {
    const c = at(pos)
    if (c == 0x3c) {
      if (startsWith(pos, '<!--')) comment(root)
      else if (startsWith(pos, '<?')) instruction(root, false)
      else if (startsWith(pos, '<!DOCTYPE')) { fail(ERR_DOCTYPE_REFUSED, pos); return root }
      else if (nameStartsAt(pos + 1)) {
        if (seenRoot) { fail(ERR_CONTENT_AFTER_ROOT, pos); return root }
        element(root, maxDepth)
        seenRoot = true
      } else { unexpected(pos + 1); return root }
    } else {
      while (pos < n && isSpace(at(pos))) pos++
      if (pos < n && at(pos) != 0x3c) {
        if (checkChar(pos) == 0) return root
        if (seenRoot) fail(ERR_CONTENT_AFTER_ROOT, pos)
        else unexpected(pos)
        return root
      }
    }
    if (failed()) return root
  }
  if (!seenRoot) fail(ERR_NO_ROOT, n)
  return root
}

// ---- canonical form ------------------------------------------------------------------

@inline function isWhitespaceRun(from: usize, len: i32): bool {
  for (let k = 0; k < len; k++) {
    const c = <i32>load<u8>(from + <usize>k)
    if (c != 0x20 && c != 9 && c != 10 && c != 13) return false
  }
  return true
}

/** Writes the pending text run of an element: its text and CDATA children joined (toCanonical rules 3–4). */
function flushRun(runStart: i32, runNodes: i32, hasElement: bool): void {
  if (runNodes == 0) return
  if (hasElement) {
    // Whitespace-only runs between element children are layout: tested on the raw values, before escaping.
    let blank = true
    let node = runStart
    for (let k = 0; k < runNodes && blank; node = arena.next(node)) {
      const t = arena.type(node)
      if (t == T_TEXT || t == T_CDATA) { blank = isWhitespaceRun(arena.valuePtr(node), arena.valueLenOf(node)); k++ }
    }
    if (blank) return
  }
  let node = runStart
  for (let k = 0; k < runNodes; node = arena.next(node)) {
    const t = arena.type(node)
    if (t == T_TEXT || t == T_CDATA) { out.escapeText(arena.valuePtr(node), arena.valueLenOf(node)); k++ }
  }
}

/** Canonical form of one element into `o` (optionally without its attributes): used by diff to compare content. */
export function writeCanonicalElement(o: Output, node: i32, keepComments: bool, withAttributes: bool): void {
  const saved = out
  out = o
  attributesOff = !withAttributes
  topOfCanonical = node
  writeElement(node, keepComments)
  attributesOff = false
  out = saved
}

let attributesOff = false
let topOfCanonical: i32 = -1

function writeElement(node: i32, keepComments: bool): void {
  // Iterative pre-order walk with an explicit stack of (element, next child).
  const stack = arena.stack()
  let sp = 0
  stack.set(sp++, node)
  openElement(node)
  let child = arena.firstChild(node)
  let hasElement = arena.hasElementChild(node)
  let runStart = -1
  let runNodes = 0
  let bodyStart = out.len
  for (;;) {
    if (child < 0) {
      flushRun(runStart, runNodes, hasElement)
      runNodes = 0
      const element = stack.get(--sp)
      if (out.len == bodyStart) { out.len--; out.byte(0x2f); out.byte(0x3e) } // `<a>` → `<a/>`
      else { out.byte(0x3c); out.byte(0x2f); out.bytes(arena.namePtr(element, input), arena.nameLen(element)); out.byte(0x3e) }
      if (sp == 0) return
      child = arena.next(element)
      hasElement = true // the parent had this element child
      runStart = -1
      bodyStart = -1 // the parent's body is not empty
      continue
    }
    const t = arena.type(child)
    if (t == T_TEXT || t == T_CDATA) {
      if (runNodes == 0) runStart = child
      runNodes++
      child = arena.next(child)
      continue
    }
    if (t == T_COMMENT || t == T_PI) {
      if (keepComments) {
        flushRun(runStart, runNodes, hasElement)
        runNodes = 0
        writeMisc(child)
      }
      child = arena.next(child)
      continue
    }
    // An element child.
    flushRun(runStart, runNodes, hasElement)
    runNodes = 0
    stack.set(sp++, child)
    openElement(child)
    bodyStart = out.len
    hasElement = arena.hasElementChild(child)
    child = arena.firstChild(child)
  }
}

function openElement(node: i32): void {
  out.byte(0x3c)
  out.bytes(arena.namePtr(node, input), arena.nameLen(node))
  const count = attributesOff && node == topOfCanonical ? 0 : arena.attributeCount(node)
  // One attribute needs no sorting.
  if (count > 1) arena.sortAttributes(node, input)
  for (let k = 0; k < count; k++) {
    const a = count > 1 ? arena.sortedAttribute(node, k) : arena.attributeInOrder(node, 0)
    const nameLen = arena.attributeNameLen(a)
    out.ensure(nameLen + 3)
    const p = out.ptr + <usize>out.len
    store<u8>(p, 0x20)
    copyBytes(p + 1, input + <usize>arena.attributeNameStart(a), nameLen)
    store<u8>(p + 1 + <usize>nameLen, 0x3d)
    store<u8>(p + 2 + <usize>nameLen, 0x22)
    out.len += nameLen + 3
    out.escapeAttribute(arena.attributeValuePtr(a), arena.attributeValueLen(a))
    out.byte(0x22)
  }
  out.byte(0x3e)
}

function writeMisc(node: i32): void {
  if (arena.type(node) == T_COMMENT) {
    out.byte(0x3c); out.byte(0x21); out.byte(0x2d); out.byte(0x2d)
    out.bytes(arena.valuePtr(node), arena.valueLenOf(node))
    out.byte(0x2d); out.byte(0x2d); out.byte(0x3e)
  } else {
    out.byte(0x3c); out.byte(0x3f)
    out.bytes(arena.namePtr(node, input), arena.nameLen(node))
    const len = arena.valueLenOf(node)
    if (len > 0) { out.byte(0x20); out.bytes(arena.valuePtr(node), len) }
    out.byte(0x3f); out.byte(0x3e)
  }
}

// ---- canonicalize: parse and write the canonical form in one pass ----------------------------------
//
// The same grammar path for path as document()/element() above (same error code at the same byte),
// but nothing is kept: every piece goes straight to the output in canonical form (toCanonical in
// src/serialize.ts). What toCanonical decides on a whole element is settled as the parse reaches it:
// - attributes are written in document order, each as ` name="value"`, and the pieces reordered by
//   name at the end of the start tag when they are not in order already;
// - a text run (text and CDATA children up to the next element, or comment / PI when they are kept)
//   is written escaped as it is read, with whether it is all whitespace; at the next element child
//   a whitespace run is taken back (the parent has an element child), at the end tag it stays unless
//   the element had one. A whitespace run ended by a kept comment or PI before any element child is
//   left in place and noted; the first element child takes those back out (only the innermost open
//   element can have any: an element child settles its parent).

let keep = false
/** Per open element (stride 4): name start, name length, output length after `>`, has an element child. */
let open = changetype<I32s>(0)
let runOpen = false
let runStart: i32 = 0
let runBlank = false
/** Whitespace runs of the innermost element before its first element child, (start, end) in the output. */
let held = changetype<I32s>(0)
let heldCount: i32 = 0
/** Duplicate check and sorting of one start tag's attributes (one element node, its attributes reset per tag). */
let tagArena = changetype<Arena>(0)
let tagElement: i32 = 0
let scratch = changetype<Output>(0)
/** The name length of the start tag read last. */
let tagNameLen: i32 = 0

@inline function isBlankByte(c: i32): bool { return c == 0x20 || c == 9 || c == 10 || c == 13 }

/** A character of text, escaped as canonical text is (`& < >` and carriage return). */
function textChar(c: i32): void {
  if (c == 0x26) out.ascii('&amp;')
  else if (c == 0x3c) out.ascii('&lt;')
  else if (c == 0x3e) out.ascii('&gt;')
  else if (c == 13) out.ascii('&#13;')
  else out.codePoint(c)
}

/** A character of an attribute value, escaped as canonical attributes are (`& < "`, tab, newline, carriage return). */
function attributeChar(c: i32): void {
  if (c == 0x26) out.ascii('&amp;')
  else if (c == 0x3c) out.ascii('&lt;')
  else if (c == 0x22) out.ascii('&quot;')
  else if (c == 9) out.ascii('&#9;')
  else if (c == 10) out.ascii('&#10;')
  else if (c == 13) out.ascii('&#13;')
  else out.codePoint(c)
}

@inline function beginRun(): void {
  if (runOpen) return
  runOpen = true
  runStart = out.len
  runBlank = true
}

/** Ends the text run; `hasElement` 1 yes, 0 no, -1 not known yet (a kept comment or PI before any element child). */
function endRun(hasElement: i32): void {
  if (!runOpen) return
  runOpen = false
  if (!runBlank) return
  if (hasElement == 1) { out.len = runStart; return }
  if (hasElement < 0) {
    held.set(heldCount * 2, runStart)
    held.set(heldCount * 2 + 1, out.len)
    heldCount++
  }
}

/** The first element child of the innermost element: its held whitespace runs come back out. */
function dropHeld(): void {
  if (heldCount == 0) return
  let to = held.get(0)
  for (let k = 0; k < heldCount; k++) {
    const from = held.get(k * 2 + 1)
    const end = k + 1 < heldCount ? held.get(k * 2 + 2) : out.len
    if (end > from) memory.copy(out.ptr + <usize>to, out.ptr + <usize>from, <usize>(end - from))
    to += end - from
  }
  out.len = to
  heldCount = 0
}

/** [from, to) of the input as text content: line ends read as \n, then escaped; updates runBlank. */
function writeTextRange(from: i32, to: i32): void {
  let chunk = from
  for (let i = from; i < to; i++) {
    const c = at(i)
    if (runBlank && !isBlankByte(c)) runBlank = false
    if (c != 13 && c != 0x26 && c != 0x3c && c != 0x3e) continue
    out.bytes(input + <usize>chunk, i - chunk)
    if (c == 13) {
      out.byte(10)
      if (i + 1 < to && at(i + 1) == 10) i++
    } else textChar(c)
    chunk = i + 1
  }
  out.bytes(input + <usize>chunk, to - chunk)
}

// Text bytes that stop the canonical plain-run loop: TEXT_STOP and `>` (written `&gt;`).
const CANONICAL_TEXT_STOP: usize = memory.data<u8>([
  1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
])

/** text(), written: up to the next `<`, into the current run. */
function canonicalText(): void {
  beginRun()
  const end = n
  while (pos < end) {
    if (runBlank) {
      // Layout between elements: a whitespace prefix needs no escaping.
      let i = pos
      while (i < end) { const c = at(i); if (c == 0x20 || c == 10 || c == 9) i++; else break }
      out.bytes(input + <usize>pos, i - pos)
      pos = i
      if (i >= end) break
      const c = at(i)
      if (c == 0x3c) break
      if (c != 13 && c != 0x26) runBlank = false
    }
    {
      let i = pos
      while (i < end && load<u8>(CANONICAL_TEXT_STOP + <usize>at(i)) == 0) i++
      out.bytes(input + <usize>pos, i - pos)
      pos = i
      if (i >= end) break
    }
    const c = at(pos)
    if (c == 0x3c) break
    if (c == 0x3e) { out.ascii('&gt;'); pos++; continue }
    if (c == 0x26) {
      const v = referenceValue()
      if (v < 0) return
      if (!isBlankByte(v)) runBlank = false
      textChar(v)
      continue
    }
    if (c == 0x5d && byteOr(pos + 1) == 0x5d && byteOr(pos + 2) == 0x3e) { fail(ERR_UNEXPECTED_CHARACTER, pos); return }
    if (c < 0x20) {
      if (c == 13) {
        out.byte(10)
        pos++
        if (byteOr(pos) == 10) pos++
        continue
      }
      if (c != 9 && c != 10) { fail(ERR_INVALID_CHARACTER, pos); return }
    } else if (c == 0xef && byteOr(pos + 1) == 0xbf && (byteOr(pos + 2) == 0xbe || byteOr(pos + 2) == 0xbf)) {
      fail(ERR_INVALID_CHARACTER, pos) // U+FFFE, U+FFFF
      return
    }
    out.byte(c)
    pos++
  }
}

/** attributeValue(), written escaped. */
function canonicalAttributeValue(): void {
  const quote = byteOr(pos)
  if (quote != 0x22 && quote != 0x27) { unexpected(pos); return }
  pos++
  const end = n
  for (;;) {
    {
      let i = pos
      while (i < end && load<u8>(ATTRIBUTE_STOP + <usize>at(i)) == 0) i++
      out.bytes(input + <usize>pos, i - pos)
      pos = i
    }
    if (pos >= end) { unexpected(pos); return }
    const c = at(pos)
    if (c == quote) break
    if (c == 0x22) { out.ascii('&quot;'); pos++; continue } // the other quote
    if (c == 0x3c) { fail(ERR_UNEXPECTED_CHARACTER, pos); return }
    if (c == 0x26) {
      const v = referenceValue()
      if (v < 0) return
      attributeChar(v)
      continue
    }
    if (c < 0x20) {
      if (c != 13 && c != 9 && c != 10) { fail(ERR_INVALID_CHARACTER, pos); return }
      // Literal tab, newline and carriage return (\r\n as one) read as a space.
      out.byte(0x20)
      pos++
      if (c == 13 && byteOr(pos) == 10) pos++
      continue
    }
    if (c >= 0x80) {
      const len = checkChar(pos)
      if (len == 0) return
      out.bytes(input + <usize>pos, len)
      pos += len
      continue
    }
    out.byte(c) // `'` inside "…"
    pos++
  }
  pos++
}

// A start tag's first SMALL_TAG attributes, each as (name start, name length, piece start, piece
// length) in a static table, found and sorted by plain loops; from the next one on the tag arena
// (hashed duplicate check, merge sort) holds them all, so a tag with many stays O(n log n).
const SMALL_TAG = 16
const smallAttributes: usize = memory.data(SMALL_TAG * 16)
const smallOrder: usize = memory.data(SMALL_TAG * 4)
let tagAttributes: i32 = 0
let bigTag = false

/** Byte order of two attribute names (Arena#compareNames). */
@inline function compareNames(aStart: i32, aLen: i32, bStart: i32, bLen: i32): i32 {
  const fa = <i32>load<u8>(input + <usize>aStart)
  const fb = <i32>load<u8>(input + <usize>bStart)
  if (fa != fb) return fa - fb
  const c = memory.compare(input + <usize>aStart, input + <usize>bStart, <usize>min(aLen, bLen))
  return c != 0 ? c : aLen - bLen
}

/** Notes the current tag's next attribute; false when its name is already there. */
function addTagAttribute(nameStart: i32, nameLen: i32, piece: i32, pieceLen: i32): bool {
  if (!bigTag) {
    if (tagAttributes < SMALL_TAG) {
      const first = load<u8>(input + <usize>nameStart)
      for (let k = 0; k < tagAttributes; k++) {
        const e = smallAttributes + (<usize>k << 4)
        const start = load<i32>(e)
        if (load<i32>(e, 4) == nameLen && load<u8>(input + <usize>start) == first && memory.compare(input + <usize>start, input + <usize>nameStart, <usize>nameLen) == 0) return false
      }
      const e = smallAttributes + (<usize>tagAttributes << 4)
      store<i32>(e, nameStart)
      store<i32>(e, nameLen, 4)
      store<i32>(e, piece, 8)
      store<i32>(e, pieceLen, 12)
      tagAttributes++
      return true
    }
    tagArena.attrCount = 0
    tagArena.beginAttributes(tagElement)
    for (let k = 0; k < tagAttributes; k++) {
      const e = smallAttributes + (<usize>k << 4)
      tagArena.addAttribute(tagElement, load<i32>(e), load<i32>(e, 4), load<i32>(e, 8), load<i32>(e, 12))
    }
    bigTag = true
  }
  if (!tagArena.addAttribute(tagElement, nameStart, nameLen, piece, pieceLen)) return false
  tagAttributes++
  return true
}

/** The start tag's attributes from `from` in the output, reordered by name unless they are in order. */
function sortWrittenAttributes(from: i32): void {
  const count = tagAttributes
  if (count < 2) return
  if (!bigTag) {
    // Most tags are written in order already: compare neighbours before sorting.
    let inOrder = true
    for (let k = 1; k < count && inOrder; k++) {
      const a = smallAttributes + (<usize>(k - 1) << 4)
      const b = smallAttributes + (<usize>k << 4)
      inOrder = compareNames(load<i32>(a), load<i32>(a, 4), load<i32>(b), load<i32>(b, 4)) < 0
    }
    if (inOrder) return
    for (let k = 0; k < count; k++) store<i32>(smallOrder + (<usize>k << 2), k)
    for (let i = 1; i < count; i++) {
      const x = load<i32>(smallOrder + (<usize>i << 2))
      const ex = smallAttributes + (<usize>x << 4)
      let j = i - 1
      while (j >= 0) {
        const y = load<i32>(smallOrder + (<usize>j << 2))
        const ey = smallAttributes + (<usize>y << 4)
        if (compareNames(load<i32>(ey), load<i32>(ey, 4), load<i32>(ex), load<i32>(ex, 4)) <= 0) break
        store<i32>(smallOrder + (<usize>(j + 1) << 2), y)
        j--
      }
      store<i32>(smallOrder + (<usize>(j + 1) << 2), x)
    }
    const len = out.len - from
    scratch.len = 0
    scratch.ensure(len)
    for (let k = 0; k < count; k++) {
      const e = smallAttributes + (<usize>load<i32>(smallOrder + (<usize>k << 2)) << 4)
      scratch.bytes(out.ptr + <usize>load<i32>(e, 8), load<i32>(e, 12))
    }
    memory.copy(out.ptr + <usize>from, scratch.ptr, <usize>len)
    return
  }
  // Most tags are written in order already: compare neighbours before sorting.
  let inOrder = true
  for (let k = 1; k < count && inOrder; k++) {
    const la = tagArena.attributeNameLen(k - 1)
    const lb = tagArena.attributeNameLen(k)
    const c = memory.compare(input + <usize>tagArena.attributeNameStart(k - 1), input + <usize>tagArena.attributeNameStart(k), <usize>min(la, lb))
    inOrder = c < 0 || (c == 0 && la < lb)
  }
  if (inOrder) return
  tagArena.sortAttributes(tagElement, input)
  const len = out.len - from
  scratch.len = 0
  scratch.ensure(len)
  for (let k = 0; k < count; k++) {
    const a = tagArena.sortedAttribute(tagElement, k)
    scratch.bytes(out.ptr + <usize>tagArena.attributeValueStart(a), tagArena.attributeValueLen(a))
  }
  memory.copy(out.ptr + <usize>from, scratch.ptr, <usize>len)
}

/** startTag(), written: 1 open (`<name …>`), 0 empty (`<name …/>`), -1 on error. */
function canonicalStartTag(): i32 {
  pos++
  const nameStart = pos
  const nameLen = name()
  if (failed()) return -1
  tagNameLen = nameLen
  out.byte(0x3c)
  out.bytes(input + <usize>nameStart, nameLen)
  const attributesFrom = out.len
  tagAttributes = 0
  bigTag = false
  for (;;) {
    const spaced = skipSpace()
    const c = byteOr(pos)
    if (c == 0x3e) { pos++; sortWrittenAttributes(attributesFrom); out.byte(0x3e); return 1 }
    if (c == 0x2f && byteOr(pos + 1) == 0x3e) { pos += 2; sortWrittenAttributes(attributesFrom); out.byte(0x2f); out.byte(0x3e); return 0 }
    if (!spaced || !nameStartsAt(pos)) { unexpected(pos); return -1 }
    const attributeStart = pos
    const attributeLen = name()
    skipSpace()
    if (byteOr(pos) != 0x3d) { unexpected(pos); return -1 }
    pos++
    skipSpace()
    const piece = out.len
    out.ensure(attributeLen + 3)
    const p = out.ptr + <usize>out.len
    store<u8>(p, 0x20)
    copyBytes(p + 1, input + <usize>attributeStart, attributeLen)
    store<u8>(p + 1 + <usize>attributeLen, 0x3d)
    store<u8>(p + 2 + <usize>attributeLen, 0x22)
    out.len += attributeLen + 3
    canonicalAttributeValue()
    if (failed()) return -1
    out.byte(0x22)
    if (!addTagAttribute(attributeStart, attributeLen, piece, out.len - piece)) {
      fail(ERR_DUPLICATE_ATTRIBUTE, attributeStart)
      return -1
    }
  }
  return -1
}

/** comment(), written when comments are kept (a kept comment ends the text run). */
function canonicalComment(hasElement: i32): void {
  const valueStart = pos + 4
  if (!scanComment()) return
  const valueEnd = pos
  pos += 3
  if (!keep) return
  endRun(hasElement)
  out.ascii('<!--')
  copyNormalized(valueStart, valueEnd, true)
  out.ascii('-->')
}

/** instruction(), written when kept and not the declaration. */
function canonicalInstruction(declaration: bool, hasElement: i32): void {
  if (!scanInstruction(declaration)) return
  if (!keep || declaration) return
  endRun(hasElement)
  out.byte(0x3c); out.byte(0x3f)
  out.bytes(input + <usize>piNameStart, piNameLen)
  if (piValueEnd > piValueStart) { out.byte(0x20); copyNormalized(piValueStart, piValueEnd, true) }
  out.byte(0x3f); out.byte(0x3e)
}

/** cdata(), into the current text run. */
function canonicalCdata(): void {
  const valueStart = pos + 9
  if (!scanCdata()) return
  beginRun()
  writeTextRange(valueStart, pos)
  pos += 3
}

/** element(), written. */
function canonicalElement(maxDepth: i32): void {
  const nameStart = pos + 1
  const state = canonicalStartTag()
  if (state <= 0) return
  let depth = 1
  let top = 0
  open.set(0, nameStart)
  open.set(1, tagNameLen)
  open.set(2, out.len)
  open.set(3, 0)
  runOpen = false
  heldCount = 0
  for (;;) {
    if (pos >= n) { unexpected(pos); return }
    const c = at(pos)
    if (c == 0x3c) {
      const next = byteOr(pos + 1)
      if (next == 0x2f) {
        const endStart = pos
        if (!scanEndTag()) return
        const openStart = open.get(top)
        const openLen = open.get(top + 1)
        if (openLen != endNameLen || memory.compare(input + <usize>openStart, input + <usize>endNameStart, <usize>openLen) != 0) { fail(ERR_MISMATCHED_TAG, endStart); return }
        pos++
        endRun(open.get(top + 3))
        heldCount = 0
        if (out.len == open.get(top + 2)) { out.len--; out.byte(0x2f); out.byte(0x3e) } // `<a>` → `<a/>`
        else {
          out.ensure(openLen + 3)
          const p = out.ptr + <usize>out.len
          store<u8>(p, 0x3c); store<u8>(p, 0x2f, 1)
          copyBytes(p + 2, input + <usize>openStart, openLen)
          store<u8>(p + 2 + <usize>openLen, 0x3e)
          out.len += openLen + 3
        }
        depth--
        if (depth == 0) return
        top -= 4
      } else if (next == 0x21) {
        if (startsWith(pos, '<!--')) canonicalComment(open.get(top + 3) != 0 ? 1 : -1)
        else if (startsWith(pos, '<![CDATA[')) canonicalCdata()
        else { unexpected(pos + 2); return }
      } else if (next == 0x3f) {
        canonicalInstruction(false, open.get(top + 3) != 0 ? 1 : -1)
      } else {
        if (depth >= maxDepth) { fail(ERR_TOO_DEEP, pos); return }
        // An element child: the parent's whitespace runs so far are layout.
        endRun(1)
        dropHeld()
        open.set(top + 3, 1)
        const childStart = pos + 1
        const state = canonicalStartTag()
        if (state < 0) return
        if (state == 1) {
          top += 4
          depth++
          open.set(top, childStart)
          open.set(top + 1, tagNameLen)
          open.set(top + 2, out.len)
          open.set(top + 3, 0)
        }
      }
    } else {
      canonicalText()
    }
    if (failed()) return
  }
}

export function canonicalize(len: i32, flags: i32, maxDepth: i32): i32 {
  n = len
  docStart = 0
  errCode = 0
  errAt = 0
  const bad = firstInvalidUtf8()
  if (bad < n) { errCode = ERR_INVALID_UTF8; errAt = bad; return errCode }
  keep = (flags & 1) != 0
  out = new Output(n + 64)
  open = new I32s(256)
  held = new I32s(16)
  heldCount = 0
  runOpen = false
  scratch = new Output(256)
  tagArena = new Arena(0)
  tagElement = tagArena.add(-1, T_ELEMENT, 0, 0, 0, 0)
  canonicalDocument(maxDepth)
  return errCode
}

/** document(), written: the root element, and the comments and PIs around it when kept. */
function canonicalDocument(maxDepth: i32): void {
  pos = docStart
  if (n - docStart >= 3 && at(docStart) == 0xef && at(docStart + 1) == 0xbb && at(docStart + 2) == 0xbf) pos = docStart + 3
  if (startsWith(pos, '<?xml') && (isSpace(byteOr(pos + 5)) || byteOr(pos + 5) == 0x3f)) {
    canonicalInstruction(true, 0)
    if (failed()) return
  }
  let seenRoot = false
  while (pos < n) {
    const c = at(pos)
    if (c == 0x3c) {
      if (startsWith(pos, '<!--')) canonicalComment(0)
      else if (startsWith(pos, '<?')) canonicalInstruction(false, 0)
      else if (startsWith(pos, '<!DOCTYPE')) { fail(ERR_DOCTYPE_REFUSED, pos); return }
      else if (nameStartsAt(pos + 1)) {
        if (seenRoot) { fail(ERR_CONTENT_AFTER_ROOT, pos); return }
        canonicalElement(maxDepth)
        seenRoot = true
      } else { unexpected(pos + 1); return }
    } else {
      while (pos < n && isSpace(at(pos))) pos++
      if (pos < n && at(pos) != 0x3c) {
        if (checkChar(pos) == 0) return
        if (seenRoot) fail(ERR_CONTENT_AFTER_ROOT, pos)
        else unexpected(pos)
        return
      }
    }
    if (failed()) return
  }
  if (!seenRoot) fail(ERR_NO_ROOT, n)
}

/** The document in libvirt's layout, as `toXml(parseXml(x))` writes it. */
export function format(len: i32, maxDepth: i32): i32 {
  n = len
  docStart = 0
  errCode = 0
  errAt = 0
  const bad = firstInvalidUtf8()
  if (bad < n) { errCode = ERR_INVALID_UTF8; errAt = bad; return errCode }
  arena = new Arena(n)
  out = new Output(n + (n >> 2) + 64)
  const root = document(maxDepth)
  if (failed()) return errCode
  formatDocument(out, arena, input, root)
  return 0
}

/**
 * Parses the document in [start, end) of the input into the shared arena; returns its root node,
 * or -1 with the error code set (the host asks the reference parser for the exact error).
 */
export function parseRange(start: i32, end: i32, maxDepth: i32): i32 {
  n = end
  docStart = start
  errCode = 0
  const bad = firstInvalidUtf8()
  if (bad < n) { errCode = ERR_INVALID_UTF8; errAt = bad; return -1 }
  const root = document(maxDepth)
  return failed() ? -1 : root
}

/** Starts a multi-document operation: one arena and output for everything parsed until the next prepare. */
export function beginDocuments(totalLen: i32): void {
  arena = new Arena(totalLen)
  out = new Output(totalLen + 64)
}

export function getArena(): Arena { return arena }
export function getOutput(): Output { return out }
export function getInput(): usize { return input }
export function getErrorCode(): i32 { return errCode }
