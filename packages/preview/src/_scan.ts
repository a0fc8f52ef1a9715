// A fast path from domain XML straight to preview's mutable form (private). It reads the plain subset
// of XML that composed and dumped domains use — elements, attributes, text without references, an
// XML declaration at the very start — and gives up (returns `undefined`) on anything else: comments,
// CDATA, processing instructions, references, carriage returns, non-ASCII names, mixed content
// outside <metadata>, anything malformed. The caller then parses with xml-core (which reports the
// error, with its place, or handles the rest), so this path never decides what is an error.
//
// For what it accepts, the result equals `fromElement(parseDomain(xml).root)` without positions
// (pinned by test/scan.test.ts against xml-core on the corpus and on mutated inputs).
import type { SchemaPlace } from '@virtuned/model'
import type { Element, ElementContent } from '@virtuned/xml-core'
import { opaque, type N } from './_node.ts'

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

// Attribute values and texts that composed and dumped domains use most (libvirt's enumerations, small numbers,
// address numbers as libvirt writes them): read from the input, one of these is that string too — compared
// with another constant by identity, and a number read from it (`Number`) without parsing it again.
const commonValues = [
  'pci', 'pcie-root', 'pcie-root-port', 'pci-root', 'pci-bridge', 'pcie-to-pci-bridge', 'dmi-to-pci-bridge', 'pcie-switch-upstream-port',
  'pcie-switch-downstream-port', 'pci-expander-bus', 'pcie-expander-bus', 'usb', 'sata', 'ide', 'scsi', 'fdc', 'ccid', 'virtio', 'virtio-serial',
  'virtio-scsi', 'virtio-non-transitional', 'virtio-transitional', 'qemu-xhci', 'nec-xhci', 'piix3-uhci', 'ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2',
  'ich9-uhci3', 'ehci', 'lsilogic', 'file', 'block', 'dir', 'volume', 'network', 'bridge', 'user', 'direct', 'ethernet', 'hostdev', 'vhostuser',
  'disk', 'cdrom', 'floppy', 'lun', 'qcow2', 'raw', 'qemu', 'unmap', 'ignore', 'native', 'threads', 'io_uring', 'none', 'writeback',
  'writethrough', 'directsync', 'unsafe', 'on', 'off', 'yes', 'no', 'pty', 'unix', 'tcp', 'udp', 'dev', 'spicevmc', 'spiceport', 'vnc', 'spice',
  'sdl', 'egl-headless', 'dbus', 'address', 'default', 'KiB', 'MiB', 'GiB', 'bytes', 'maximum', 'host-model', 'host-passthrough', 'custom',
  'require', 'disable', 'optional', 'forbid', 'force', 'partial', 'full', 'exact', 'minimum', 'allow', 'utc', 'localtime', 'variable', 'rtc', 'pit',
  'hpet', 'kvmclock', 'hypervclock', 'tsc', 'catchup', 'delay', 'merge', 'discard', 'q35', 'pc', 'hvm', 'kvm', 'x86_64', 'i686', 'aarch64',
  's390x', 'ppc64le', 'isa', 'isa-serial', 'serial', 'console', 'tablet', 'mouse', 'keyboard', 'ps2', 'ich9', 'ich6', 'ac97', 'qxl', 'vga',
  'cirrus', 'bochs', 'ramfb', 'random', 'egd', 'builtin', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3', 'tpm-crb', 'tpm-tis', 'emulator', 'passthrough',
  '2.0', '1.2', 'efi', 'bios', 'static', 'auto', 'strict', 'mount', 'virtiofs', 'reset', 'destroy', 'restart', 'preserve', 'drive', 'dimm',
  'ccw', 'spapr-vio', 'virtio-mmio', 'subsystem', 'dynamic', 'pvpanic', 'hyperv', 'itco', 'i6300esb', 'sound', 'hd', 'network', 'mapped',
  '0x0000', '0x0', '0x1', '0x2', '0x3', '0x4', '0x5', '0x6', '0x7',
  ...Array.from({ length: 32 }, (_, n) => `0x${n.toString(16).padStart(2, '0')}`),
  ...Array.from({ length: 64 }, (_, n) => String(n)),
]

/** Each table's strings by length and first character (names and values up to 63 characters, ASCII first character). */
function shapesOf(strings: readonly string[]): (string[] | undefined)[] {
  const shapes: (string[] | undefined)[] = []
  for (let k = 0; k < 64 * 128; k++) shapes.push(undefined)
  for (const name of new Set(strings)) (shapes[name.length * 128 + name.charCodeAt(0)] ??= []).push(name)
  return shapes
}
const nameShapes = /* @__PURE__ */ shapesOf(commonNames)
const valueShapes = /* @__PURE__ */ shapesOf(commonValues)

/** The string at `start…end` of `s`: one of the table's (`shapes`) when it is one, else a new string. */
function stringAt(s: string, start: number, end: number, shapes: readonly (string[] | undefined)[]): string {
  const length = end - start
  const first = s.charCodeAt(start)
  const candidates = length > 0 && length < 64 && first < 128 ? shapes[length * 128 + first] : undefined
  if (candidates !== undefined) {
    // (compared by hand: `startsWith` with a position is a call the optimiser does not inline; the last character
    // first, which tells most candidates of one length and first character apart — `0x00` … `0x1f`)
    const last = s.charCodeAt(end - 1)
    for (let k = 0; k < candidates.length; k++) {
      const candidate = candidates[k]!
      if (candidate.charCodeAt(length - 1) !== last) continue
      let m = 1
      while (m < length && candidate.charCodeAt(m) === s.charCodeAt(start + m)) m++
      if (m === length) return candidate
    }
  }
  return s.slice(start, end)
}

/** The name at `start…end` of `s`: one of `commonNames` when it is one, else a new string. */
function nameAt(s: string, start: number, end: number): string {
  return stringAt(s, start, end, nameShapes)
}

// The open elements' text bookkeeping, by depth (parallel to the element stacks; numbers only, so kept between calls).
/** Where the text before an element's first element child lies (only that can become its text; sliced only then). */
const textStarts = /* @__PURE__ */ new Int32Array(maxDepth + 1)
const textEnds = /* @__PURE__ */ new Int32Array(maxDepth + 1)
/** Some of an element's text is not whitespace (JS `trim`, as `fromElement` tells). */
const mixed = /* @__PURE__ */ new Uint8Array(maxDepth + 1)

/**
 * The domain in preview's form and its root's attributes, or `undefined` when the fast path does not apply. Given
 * libvirt's schema (`schema`: model's schemaRoot), `known` says whether every element and attribute read stands where
 * the schema takes it (the union over its contexts; then preview's drop of what libvirt never reads has only the
 * reads by type left to check).
 */
export function scanDomain(input: string | Uint8Array, schema?: SchemaPlace): { domain: N; rootAttributes: Record<string, string>; known: boolean } | undefined {
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

  // Each element is made once, when its start tag is read, and goes into its parent's children right
  // away: outside a kept-as-written subtree as preview's N, inside one (its top included) as xml-core's
  // element. `depth` elements are open; `nodes[d]` / `elements[d]` is the one at depth `d`.
  const nodes: N[] = []
  const elements: Element[] = []
  /** The attribute names of the tag being read (the first 16; all of them in `seen` past that). */
  const names: string[] = []
  const seen = new Set<string>()
  let depth = 0
  /** The schema's place of each open element (outside kept-as-written subtrees), while all is known. */
  const places: SchemaPlace[] = []
  let known = schema !== undefined
  /** The depth of the open kept-as-written top (`<metadata>`), or past any depth when none is open. */
  let rawFrom = maxDepth + 1
  let root: N | undefined
  // ---- elements ----
  for (;;) {
    // at `<`
    const c1 = s.charCodeAt(i + 1)
    if (c1 === 0x2f) {
      // end tag
      if (depth === 0) return undefined
      const d = --depth
      const name = d < rawFrom ? nodes[d]!.name : elements[d]!.name
      i += 2
      for (let m = 0; m < name.length; m++) if (s.charCodeAt(i + m) !== name.charCodeAt(m)) return undefined
      i += name.length
      const after = s.charCodeAt(i)
      if (after >= 128 || (classes[after]! & NAME) !== 0) return undefined
      while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) i++; else break }
      if (s.charCodeAt(i) !== 0x3e) return undefined
      i++
      if (d < rawFrom) {
        const node = nodes[d]!
        if (node.children.length > 0) { if (mixed[d] === 1) return undefined }
        else if (textEnds[d]! > textStarts[d]!) {
          // (a leaf's text, blank or not: see fromElement)
          node.text = stringAt(s, textStarts[d]!, textEnds[d]!, valueShapes)
          // (text where the schema takes none: preview's drop of what libvirt never reads has it to drop)
          if (known && !places[d]!.text) known = false
        }
      } else if (d === rawFrom) rawFrom = maxDepth + 1
      if (d === 0) break
    } else {
      if (c1 >= 128 || (classes[c1]! & NAME_START) === 0) return undefined
      if (depth >= maxDepth) return undefined
      // start tag
      let j = i + 2
      for (;;) { const c = s.charCodeAt(j); if (c < 128 && (classes[c]! & NAME) !== 0) j++; else break }
      if (s.charCodeAt(j) >= 128) return undefined
      const name = nameAt(s, i + 1, j)
      i = j
      // (the schema's place of the element: the root's, or one its parent's place takes; none past the first unknown)
      let place: SchemaPlace | undefined
      if (known && depth < rawFrom) {
        place = depth === 0 ? schema : places[depth - 1]!.children.get(name)
        if (place === undefined || place.attributes === 'any') known = false
        else {
          places[depth] = place
          // (a second of a name the schema takes once there: preview's drop of what libvirt never reads has it to drop)
          if (!place.repeats && depth > 0) {
            const siblings = nodes[depth - 1]!.children
            for (let k = 0; k < siblings.length; k++) if (siblings[k]!.name === name) { known = false; break }
          }
        }
      }
      const attrs: Record<string, string> = {}
      let count = 0
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
        // a repeated name: the tag's names so far, compared here (most are the same string from `commonNames`); past a
        // few, in a set (a tag with thousands of attributes must not cost their square)
        if (count < 16) { for (let m = 0; m < count; m++) if (names[m] === attribute) return undefined }
        else {
          if (count === 16) { seen.clear(); for (let m = 0; m < 16; m++) seen.add(names[m]!) }
          if (seen.has(attribute)) return undefined
          seen.add(attribute)
        }
        if (attribute === '__proto__') return undefined
        if (known && place !== undefined && !(place.attributes as ReadonlySet<string>).has(attribute)) known = false
        names[count++] = attribute
        attrs[attribute] = stringAt(s, valueStart, i, valueShapes)
        i++
      }
      const d = depth
      if (d > rawFrom) {
        // inside a kept-as-written subtree
        const element: Element = { type: 'element', name, attributes: attrs, children: [] }
        ;(elements[d - 1]!.children as ElementContent[]).push(element)
        elements[d] = element
      } else if (opaque.has(name)) {
        // the top of a subtree kept as written (fromElement: `opaque`); a root kept so is no domain
        if (d === 0) return undefined
        const element: Element = { type: 'element', name, attributes: attrs, children: [] }
        nodes[d - 1]!.children.push({ name, attrs: { ...attrs }, children: [], text: undefined, raw: element })
        elements[d] = element
        rawFrom = d
      } else {
        const node: N = { name, attrs, children: [], text: undefined, raw: undefined }
        if (d > 0) nodes[d - 1]!.children.push(node)
        else if (name !== 'domain') return undefined
        else root = node
        nodes[d] = node
        textStarts[d] = 0
        textEnds[d] = 0
        mixed[d] = 0
      }
      if (empty) {
        // no text and no children: nothing to close
        if (d === 0) break
        if (d === rawFrom) rawFrom = maxDepth + 1
      } else depth++
    }
    // ---- text up to the next `<` ----
    const textStart = i
    /** Whitespace only (space, tab, newline); `solid`: an ASCII character that is not. */
    let plain = true
    let solid = false
    for (;;) {
      if (i >= n) return undefined
      const c = s.charCodeAt(i)
      if (c === 0x3c) break
      if (c === 0x20 || c === 10 || c === 9) { i++; continue }
      if (c === 0x26 || c < 0x20 || c >= 0xd800) return undefined
      if (c === 0x5d && s.charCodeAt(i + 1) === 0x5d && s.charCodeAt(i + 2) === 0x3e) return undefined
      plain = false
      if (c < 0x80) solid = true
      i++
    }
    if (i > textStart) {
      const d = depth - 1
      // layout whitespace is not copied: only kept-as-written subtrees and text that is not plain whitespace need the string
      if (d >= rawFrom) (elements[d]!.children as ElementContent[]).push({ type: 'text', value: s.slice(textStart, i) })
      else {
        if (!plain && mixed[d] === 0 && (solid || s.slice(textStart, i).trim() !== '')) mixed[d] = 1
        // (at most one run of text comes before the first element child)
        if (nodes[d]!.children.length === 0) { textStarts[d] = textStart; textEnds[d] = i }
      }
    }
    const next = s.charCodeAt(i + 1)
    if (next === 0x21 || next === 0x3f) return undefined
  }
  // ---- after the root: whitespace only ----
  while (i < n) { const c = s.charCodeAt(i); if (c === 0x20 || c === 9 || c === 10) i++; else return undefined }
  return { domain: root!, rootAttributes: root!.attrs, known }
}
