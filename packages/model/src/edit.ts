import type { Element, ElementContent, Root } from '@virtuned/xml-core'
import { deviceOrder, domainChildOrder, isDeviceKind, rankIn } from './libvirt/devices.ts'
import { el, firstChild, isElement } from './_xml.ts'
import type { LibvirtDocument } from './document.ts'
import { DomainModelError } from './errors.ts'
import { formatSize, parseSize } from './units.ts'
import { viewDevice } from './views.ts'
import type { DeviceView } from './views-schema.ts'

// Small, pure, copy-on-write edits. Each returns a new document that shares every
// subtree it did not touch with its input (so `result.root.children[i] === input…` for
// untouched parts) and never mutates the input: frozen trees are fine. What the edit
// does not address — unknown elements, comments, attributes, metadata — is kept as is.
//
// These are deliberately local: the layered merge engine (xml-core) will own composed
// edits; keep this file to single, obvious changes.

function isWhitespaceText(node: ElementContent | undefined): node is ElementContent & { type: 'text' } {
  return node?.type === 'text' && /^[ \t\r\n]*$/.test(node.value)
}

/** A new document with the root element replaced (the tree's other top-level nodes are shared). */
function withRoot(document: LibvirtDocument, root: Element): LibvirtDocument {
  const tree: Root = { ...document.tree, children: document.tree.children.map((c) => (c === document.root ? root : c)) }
  return { kind: document.kind, tree, root }
}

function requireDomain(document: LibvirtDocument): Element {
  if (document.root.name !== 'domain') {
    throw new DomainModelError('model-unexpected-root', `Unexpected root \`<${document.root.name}>\`, expected \`<domain>\``, { path: document.root.name })
  }
  return document.root
}

/**
 * Insert `node` among `parent`'s children after the last element that libvirt's `order`
 * puts at or before it (or first), copying the neighbouring indentation so the
 * `preserve` layout stays tidy.
 */
function insertOrdered(parent: Element, node: Element, order: readonly string[]): Element {
  const rank = rankIn(order, node.name) ?? order.length
  const children = parent.children
  let after = -1
  let firstElement = -1
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!
    if (c.type !== 'element') continue
    if (firstElement < 0) firstElement = i
    const r = rankIn(order, c.name)
    if (r !== undefined && r <= rank) after = i
  }
  const next = [...children]
  if (after >= 0) {
    const indent = children[after - 1]
    next.splice(after + 1, 0, ...(isWhitespaceText(indent) ? [{ type: 'text' as const, value: indent.value }, node] : [node]))
  } else if (firstElement >= 0) {
    const indent = children[firstElement - 1]
    next.splice(firstElement, 0, ...(isWhitespaceText(indent) ? [node, { type: 'text' as const, value: indent.value }] : [node]))
  } else {
    next.push(node)
  }
  return { ...parent, children: next }
}

/** Replace the first child named `name` by `make(existing)`, or insert `make(undefined)` in libvirt's order. */
function upsertChild(parent: Element, name: string, order: readonly string[], make: (existing: Element | undefined) => Element): Element {
  const existing = firstChild(parent, name)
  if (!existing) return insertOrdered(parent, make(undefined), order)
  const replacement = make(existing)
  return { ...parent, children: parent.children.map((c) => (c === existing ? replacement : c)) }
}

/** The element with its content replaced by one text node (its attributes are kept). */
function withText(existing: Element | undefined, name: string, value: string, attributes: Readonly<Record<string, string>> = {}): Element {
  if (!existing) return el(name, attributes, [value])
  return { ...existing, attributes: { ...existing.attributes, ...attributes }, children: value === '' ? [] : [{ type: 'text', value }] }
}

function setDomainText(document: LibvirtDocument, name: string, value: string, check: (value: string) => string | undefined): LibvirtDocument {
  const root = requireDomain(document)
  const problem = check(value)
  if (problem) throw new DomainModelError('model-invalid-value', problem, { path: `domain/${name}` })
  return withRoot(document, upsertChild(root, name, domainChildOrder, (existing) => withText(existing, name, value)))
}

/**
 * Set `<name>`. libvirt refuses an empty name and names with `/` or a newline, and so does this.
 * @throws DomainModelError `model-invalid-value`, or `model-unexpected-root` for a device document.
 */
export function setName(document: LibvirtDocument, name: string): LibvirtDocument {
  return setDomainText(document, 'name', name, (v) =>
    v === '' ? 'Unexpected empty name, expected at least one character'
      : /[/\n]/.test(v) ? `Unexpected \`${v}\`, expected a name without \`/\` or a newline` : undefined)
}

/**
 * Set `<title>` (one line: libvirt refuses newlines in titles).
 * @throws DomainModelError `model-invalid-value`, or `model-unexpected-root` for a device document.
 */
export function setTitle(document: LibvirtDocument, title: string): LibvirtDocument {
  return setDomainText(document, 'title', title, (v) => (/\n/.test(v) ? 'Unexpected newline in the title, expected one line' : undefined))
}

/**
 * Set `<description>` (free text).
 * @throws DomainModelError `model-unexpected-root` for a device document.
 */
export function setDescription(document: LibvirtDocument, description: string): LibvirtDocument {
  return setDomainText(document, 'description', description, () => undefined)
}

/** Options of {@link setMemory} and {@link setCurrentMemory}. */
export interface SetMemoryOptions {
  /** Write the value in this unit. Default: the unit already written there when it divides the size exactly, else `KiB` (as libvirt prints). */
  readonly unit?: string
}

function unitDivides(bytes: number, unit: string): boolean {
  try {
    return bytes % parseSize('1', unit) === 0
  } catch {
    return false // an unknown unit already written there is overwritten, not an error of this edit
  }
}

function setMemoryElement(document: LibvirtDocument, name: 'memory' | 'currentMemory', bytes: number, options: SetMemoryOptions): LibvirtDocument {
  const root = requireDomain(document)
  const path = `domain/${name}`
  // libvirt keeps memory in whole KiB and rounds anything else up; refusing such sizes
  // keeps what was set equal to what libvirt will use.
  formatSize(bytes, { unit: 'KiB', path })
  return withRoot(document, upsertChild(root, name, domainChildOrder, (existing) => {
    const written = existing?.attributes.unit
    if (options.unit === undefined && existing && written === undefined) {
      // No unit attribute means KiB to libvirt: keep it absent.
      return withText(existing, name, String(formatSize(bytes, { unit: 'KiB', path }).value))
    }
    const unit = options.unit ?? (written && unitDivides(bytes, written) ? written : 'KiB')
    const formatted = formatSize(bytes, { unit, path })
    return withText(existing, name, String(formatted.value), { unit: formatted.unit })
  }))
}

/**
 * Set `<memory>` (the maximum at boot) to a number of bytes.
 * @throws DomainModelError `model-invalid-value` for a size that is not a whole number of KiB (libvirt's granularity) or of `unit`.
 */
export function setMemory(document: LibvirtDocument, bytes: number, options: SetMemoryOptions = {}): LibvirtDocument {
  return setMemoryElement(document, 'memory', bytes, options)
}

/**
 * Set `<currentMemory>` (the balloon target) to a number of bytes.
 * @throws DomainModelError `model-invalid-value` as {@link setMemory}.
 */
export function setCurrentMemory(document: LibvirtDocument, bytes: number, options: SetMemoryOptions = {}): LibvirtDocument {
  return setMemoryElement(document, 'currentMemory', bytes, options)
}

/**
 * Set the vCPU count (`<vcpu>N</vcpu>`), and with `current` the number online at boot.
 * Other attributes (`placement`, `cpuset`) are kept.
 * @throws DomainModelError `model-invalid-value` for a count below 1, or when `current` (given or
 *   already written) would exceed the count.
 */
export function setVcpus(document: LibvirtDocument, count: number, options: { readonly current?: number } = {}): LibvirtDocument {
  const root = requireDomain(document)
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new DomainModelError('model-invalid-value', `Unexpected vCPU count \`${count}\`, expected a whole number of at least 1`, { path: 'domain/vcpu' })
  }
  const current = options.current ?? Number(firstChild(root, 'vcpu')?.attributes.current ?? count)
  if (!Number.isSafeInteger(current) || current < 1 || current > count) {
    throw new DomainModelError('model-invalid-value', `Unexpected current vCPU count \`${current}\`, expected 1 to ${count}`, { path: 'domain/vcpu/@current' })
  }
  const attributes = options.current === undefined ? {} : { current: String(options.current) }
  return withRoot(document, upsertChild(root, 'vcpu', domainChildOrder, (existing) => withText(existing, 'vcpu', String(count), attributes)))
}

function deviceElement(device: LibvirtDocument | Element): Element {
  const element = 'type' in device ? device : device.root
  if (!isElement(element) || !isDeviceKind(element.name) || element.name === 'emulator') {
    throw new DomainModelError('model-unexpected-root', `Unexpected \`<${element.name}>\`, expected a device element such as \`<disk>\` or \`<interface>\``, { path: element.name })
  }
  return element
}

/**
 * Add a device under `<devices>` (created if missing), after the devices libvirt
 * prints before it, so the document reads as `virsh dumpxml` would write it.
 *
 * @param device - A device element or a device document from `parseDevice`.
 * @throws DomainModelError `model-unexpected-root` when `device` is not a device element (or is `<emulator>`).
 */
export function addDevice(document: LibvirtDocument, device: LibvirtDocument | Element): LibvirtDocument {
  const root = requireDomain(document)
  const element = deviceElement(device)
  return withRoot(document, upsertChild(root, 'devices', domainChildOrder, (devices) => insertOrdered(devices ?? el('devices'), element, deviceOrder)))
}

/**
 * Which device(s) an edit applies to: the very element (from a view's `element`), matched by
 * identity, or a test on each device's view. A test sees every device's view, so a device
 * holding a value libvirt refuses makes it throw `model-invalid-value`; matching by element never does.
 */
export type DeviceMatch = Element | ((device: DeviceView) => boolean)

function matches(match: DeviceMatch, element: Element): boolean {
  return typeof match === 'function' ? match(viewDevice(element)) : match === element
}

function editDevices(document: LibvirtDocument, edit: (devices: Element) => Element): LibvirtDocument {
  const root = requireDomain(document)
  const devices = firstChild(root, 'devices')
  if (!devices) return document
  const next = edit(devices)
  if (next === devices) return document
  return withRoot(document, { ...root, children: root.children.map((c) => (c === devices ? next : c)) })
}

/**
 * Remove every device the match selects, with the indentation before it. A document in
 * which nothing matched is returned as it is (the same object), so `result === document`
 * tells that nothing was removed.
 */
export function removeDevice(document: LibvirtDocument, match: DeviceMatch): LibvirtDocument {
  return editDevices(document, (devices) => {
    const children = devices.children
    const keep: ElementContent[] = []
    let removed = false
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!
      if (c.type === 'element' && matches(match, c)) {
        removed = true
        if (isWhitespaceText(keep[keep.length - 1])) keep.pop()
        continue
      }
      keep.push(c)
    }
    return removed ? { ...devices, children: keep } : devices
  })
}

/**
 * Replace the one device the match selects by `replacement`, in the same place.
 * @throws DomainModelError `model-device-not-found` when nothing matches, `model-device-ambiguous`
 *   when more than one device does, `model-unexpected-root` when `replacement` is not a device.
 */
export function replaceDevice(document: LibvirtDocument, match: DeviceMatch, replacement: LibvirtDocument | Element): LibvirtDocument {
  const element = deviceElement(replacement)
  requireDomain(document)
  const devices = firstChild(document.root, 'devices')
  const found = devices ? devices.children.filter((c): c is Element => c.type === 'element' && matches(match, c)) : []
  if (found.length === 0) throw new DomainModelError('model-device-not-found', 'No device matched, expected exactly one', { path: 'domain/devices' })
  if (found.length > 1) {
    throw new DomainModelError('model-device-ambiguous', `${found.length} devices matched (${found.map((f) => `<${f.name}>`).join(', ')}), expected exactly one`, { path: 'domain/devices' })
  }
  return editDevices(document, (d) => ({ ...d, children: d.children.map((c) => (c === found[0] ? element : c)) }))
}
