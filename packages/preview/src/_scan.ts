// A fast path from domain XML straight to preview's mutable form (private). It reads the plain subset
// of XML that composed and dumped domains use — elements, attributes, text without references, an
// XML declaration at the very start — and gives up (returns `undefined`) on anything else: comments,
// CDATA, processing instructions, references, carriage returns, non-ASCII names, mixed content
// outside <metadata>, anything malformed. The caller then parses with xml-core (which reports the
// error, with its place, or handles the rest), so this path never decides what is an error.
//
// For what it accepts, the result equals `fromElement(parseDomain(xml).root)` without positions
// (pinned by test/scan.test.ts against xml-core on the corpus and on mutated inputs).
import type { Element, ElementContent } from '@virtuned/xml-core'
import { opaque, preservesSpace, type N } from './_node.ts'

/** xml-core's default input limit (16 MiB) and a depth well below its 512. */
const maxBytes = 16 * 1024 * 1024
const maxDepth = 256

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

// Character classes by code (ASCII only; anything from 0x80 up in a name makes the fast path give up).
const NAME_START = 1
const NAME = 2
const classes = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128)
  for (let c = 0; c < 128; c++) {
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a
    if (letter) t[c] = NAME_START | NAME
    else if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) t[c] = NAME
  }
  return t
})()

// Element and attribute names that composed and dumped domains use, each made once: a name read from the
// input that matches one is that string (no new string, and no string-table lookup when it becomes a key).
const commonNames = [
  'domain', 'name', 'uuid', 'title', 'description', 'metadata', 'memory', 'currentMemory', 'vcpu', 'os', 'type', 'boot', 'loader', 'nvram',
  'features', 'acpi', 'apic', 'pae', 'vmport', 'vmcoreinfo', 'smm', 'cpu', 'topology', 'feature', 'clock', 'timer', 'on_poweroff',
  'on_reboot', 'on_crash', 'pm', 'suspend-to-mem', 'suspend-to-disk', 'devices', 'emulator', 'disk', 'driver', 'source', 'target',
  'address', 'controller', 'interface', 'mac', 'model', 'serial', 'console', 'channel', 'input', 'graphics', 'listen', 'image', 'video',
  'memballoon', 'stats', 'rng', 'backend', 'sound', 'audio', 'redirdev', 'panic', 'tpm', 'watchdog', 'hostdev', 'filesystem', 'alias',
  'readonly', 'shareable', 'index', 'unit', 'bus', 'dev', 'file', 'port', 'ports', 'mode', 'network', 'slot', 'function', 'placement',
  'arch', 'machine', 'tickpolicy', 'present', 'offset', 'enabled', 'autoport', 'state', 'discard', 'device', 'period', 'compression',
  'order', 'sockets', 'dies', 'cores', 'threads', 'check', 'match', 'fallback', 'chassis', 'id', 'cache', 'io', 'multifunction',
  'protocol', 'host', 'path', 'policy', 'value', 'size', 'vram', 'heads', 'primary', 'managed', 'format', 'bridge', 'passwd', 'keymap',
]
const nameShapes: (string[] | undefined)[] = /* @__PURE__ */ (() => {
  const shapes: (string[] | undefined)[] = []
  for (let k = 0; k < 64 * 128; k++) shapes.push(undefined)
  for (const name of commonNames) (shapes[name.length * 128 + name.charCodeAt(0)] ??= []).push(name)
  return shapes
})()

/** The name at `start…end` of `s`: one of `commonNames` when it is one, else a new string. */
function nameAt(s: string, start: number, end: number): string {
  const length = end - start
  const candidates = length < 64 ? nameShapes[length * 128 + s.charCodeAt(start)] : undefined
  if (candidates !== undefined) for (let k = 0; k < candidates.length; k++) if (s.startsWith(candidates[k]!, start)) return candidates[k]!
  return s.slice(start, end)
}

/** An element being read: preview's form, or (inside <metadata> and the like) xml-core's. */
interface Frame {
  readonly name: string
  readonly attrs: Record<string, string>
  /** Element children in preview's form (unused inside a raw subtree). */
  readonly kids: N[]
  /** Where the text before the first element child lies in the input (only that can become the element's text; sliced only then). */
  textStart: number
  textEnd: number
  /** Some text is not whitespace (JS `trim`, as `fromElement` tells). */
  mixed: boolean
  /** xml-core children, when this element is kept as written (`raw`) or lies inside such an element. */
  readonly content: ElementContent[] | undefined
}

/** The domain in preview's form and its root's attributes, or `undefined` when the fast path does not apply. */
export function scanDomain(input: string | Uint8Array): { domain: N; rootAttributes: Record<string, string> } | undefined {
  let s: string
  if (typeof input === 'string') s = input
  else {
    if (input.length > maxBytes) return undefined
    try { s = utf8.decode(input) } catch { return undefined }
  }
  if (s.length * 3 > maxBytes) return undefined
  const n = s.length
  let i = 0
  // an XML declaration, only at the very start (xml-core refuses it anywhere else)
  if (s.startsWith('<?xml', 0)) {
    const c5 = s.charCodeAt(5)
    if (c5 === 0x3f) { if (s.charCodeAt(6) !== 0x3e) return undefined; i = 7 }
    else if (c5 === 0x20 || c5 === 9 || c5 === 10) {
      i = 6
      for (;;) {
        if (i >= n) return undefined
        const c = s.charCodeAt(i)
        if (c === 0x3f && s.charCodeAt(i + 1) === 0x3e) { i += 2; break }
        if ((c < 0x20 && c !== 9 && c !== 10) || c >= 0xd800) return undefined
        i++
      }
    } else return undefined
  }
  while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) i++; else break }
  if (s.charCodeAt(i) !== 0x3c) return undefined

  const stack: Frame[] = []
  let root: N | undefined
  let rootAttributes: Record<string, string> | undefined
  // ---- elements ----
  for (;;) {
    // at `<`
    const c1 = s.charCodeAt(i + 1)
    if (c1 === 0x2f) {
      // end tag
      const frame = stack.pop()
      if (!frame) return undefined
      const end = i + 2 + frame.name.length
      if (!s.startsWith(frame.name, i + 2)) return undefined
      i = end
      const after = s.charCodeAt(i)
      if (after >= 128 || (classes[after]! & NAME) !== 0) return undefined
      while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) i++; else break }
      if (s.charCodeAt(i) !== 0x3e) return undefined
      i++
      const done = close(frame, stack, s)
      if (done === false) return undefined
      if (done !== undefined) { root = done; rootAttributes = frame.attrs; break }
    } else {
      if (c1 >= 128 || (classes[c1]! & NAME_START) === 0) return undefined
      if (stack.length >= maxDepth) return undefined
      // start tag
      let j = i + 2
      for (;;) { const c = s.charCodeAt(j); if (c < 128 && (classes[c]! & NAME) !== 0) j++; else break }
      if (s.charCodeAt(j) >= 128) return undefined
      const name = nameAt(s, i + 1, j)
      i = j
      const attrs: Record<string, string> = {}
      let empty = false
      for (;;) {
        let spaced = false
        while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) { i++; spaced = true } else break }
        const c = s.charCodeAt(i)
        if (c === 0x3e) { i++; break }
        if (c === 0x2f) { if (s.charCodeAt(i + 1) !== 0x3e) return undefined; i += 2; empty = true; break }
        if (!spaced || c >= 128 || (classes[c]! & NAME_START) === 0) return undefined
        let k = i + 1
        for (;;) { const d = s.charCodeAt(k); if (d < 128 && (classes[d]! & NAME) !== 0) k++; else break }
        if (s.charCodeAt(k) >= 128) return undefined
        const attribute = nameAt(s, i, k)
        i = k
        while (i < n) { const d = s.charCodeAt(i); if (d === 0x20 || d === 9 || d === 10) i++; else break }
        if (s.charCodeAt(i) !== 0x3d) return undefined
        i++
        while (i < n) { const d = s.charCodeAt(i); if (d === 0x20 || d === 9 || d === 10) i++; else break }
        const quote = s.charCodeAt(i)
        if (quote !== 0x22 && quote !== 0x27) return undefined
        const valueStart = ++i
        for (;;) {
          if (i >= n) return undefined
          const d = s.charCodeAt(i)
          if (d === quote) break
          // references, `<`, tabs and newlines (normalised to spaces), control characters, surrogates
          if (d === 0x26 || d === 0x3c || d < 0x20 || d >= 0xd800) return undefined
          i++
        }
        if (attrs[attribute] !== undefined || attribute === '__proto__') return undefined
        attrs[attribute] = s.slice(valueStart, i)
        i++
      }
      const parent = stack[stack.length - 1]
      const frame: Frame = {
        name, attrs, kids: [], textStart: 0, textEnd: 0, mixed: false,
        content: parent?.content !== undefined || opaque.has(name) ? [] : undefined,
      }
      if (empty) {
        const done = close(frame, stack, s)
        if (done === false) return undefined
        if (done !== undefined) { root = done; rootAttributes = attrs; break }
      } else stack.push(frame)
    }
    // ---- text up to the next `<` ----
    const textStart = i
    let plain = true
    for (;;) {
      if (i >= n) {
        if (stack.length > 0) return undefined
        break
      }
      const c = s.charCodeAt(i)
      if (c === 0x3c) break
      if (c === 0x20 || c === 10 || c === 9) { i++; continue }
      if (c === 0x26 || c < 0x20 || c >= 0xd800) return undefined
      if (c === 0x5d && s.charCodeAt(i + 1) === 0x5d && s.charCodeAt(i + 2) === 0x3e) return undefined
      plain = false
      i++
    }
    const frame = stack[stack.length - 1]
    if (!frame) return undefined
    if (i > textStart) {
      // layout whitespace is not copied: only kept-as-written subtrees and text that is not plain whitespace need the string
      if (frame.content !== undefined) {
        const value = s.slice(textStart, i)
        frame.content.push({ type: 'text', value })
        if (!plain && !frame.mixed && value.trim() !== '') frame.mixed = true
      } else if (!plain && !frame.mixed && s.slice(textStart, i).trim() !== '') frame.mixed = true
      // (at most one run of text comes before the first element child)
      if (frame.kids.length === 0) { frame.textStart = textStart; frame.textEnd = i }
    }
    const next = s.charCodeAt(i + 1)
    if (next === 0x21 || next === 0x3f) return undefined
  }
  // ---- after the root: whitespace only ----
  while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) i++; else return undefined }
  if (root.name !== 'domain' || root.raw) return undefined
  return { domain: root, rootAttributes: rootAttributes! }
}

/**
 * Closes an element into its parent. Returns the root when the stack is empty, `false` when the fast
 * path gives up (mixed content outside a kept-as-written subtree), else `undefined`.
 */
function close(frame: Frame, stack: Frame[], s: string): N | false | undefined {
  const parent = stack[stack.length - 1]
  if (frame.content !== undefined) {
    const element: Element = { type: 'element', name: frame.name, attributes: frame.attrs, children: frame.content }
    if (parent?.content !== undefined) { parent.content.push(element); return undefined }
    // the top of a subtree kept as written (fromElement: `opaque`)
    const out: N = { name: frame.name, attrs: { ...frame.attrs }, children: [], text: undefined, raw: element }
    if (!parent) return out
    parent.kids.push(out)
    return undefined
  }
  const out: N = { name: frame.name, attrs: frame.attrs, children: [], text: undefined, raw: undefined }
  if (frame.kids.length > 0) {
    if (frame.mixed) return false
    out.children = frame.kids
  } else {
    if (frame.mixed || (frame.textEnd > frame.textStart && preservesSpace.has(frame.name))) out.text = s.slice(frame.textStart, frame.textEnd)
  }
  if (!parent) return out
  parent.kids.push(out)
  return undefined
}
