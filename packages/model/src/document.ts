import {
  getEngine,
  parseXml,
  rootElement,
  toXml,
  withChildren,
  type CanonicalOptions,
  type Element,
  type ParseOptions,
  type Root,
  type XmlEngine,
  type XmlStyle,
} from '@virtuned/xml-core'
import { deviceOrder, domainChildOrder, osChildOrder, sortChildren, isDeviceKind } from './libvirt/devices.ts'
import { DomainModelError } from './errors.ts'

/** A parsed libvirt document: the lossless tree and what its root is. */
export interface LibvirtDocument {
  readonly kind: 'domain' | 'device'
  readonly tree: Root
  /** The root element: `<domain>`, or the device element. */
  readonly root: Element
}

function parseAs(input: string | Uint8Array, accept: 'domain' | 'device' | 'any', options: ParseOptions): LibvirtDocument {
  const tree = parseXml(input, options)
  const root = rootElement(tree)!
  const isDomain = root.name === 'domain'
  const isDevice = isDeviceKind(root.name)
  if ((accept === 'domain' && !isDomain) || (accept === 'device' && !isDevice) || (accept === 'any' && !isDomain && !isDevice)) {
    const expected = accept === 'domain' ? '`<domain>`' : accept === 'device' ? 'a device element such as `<disk>` or `<interface>`' : '`<domain>` or a device element such as `<disk>`'
    throw new DomainModelError('model-unexpected-root', `Unexpected root \`<${root.name}>\`, expected ${expected}`, {
      path: root.name,
      place: root.position?.start,
    })
  }
  return { kind: isDomain ? 'domain' : 'device', tree, root }
}

/** Parse libvirt domain XML (string or UTF-8 bytes). Throws `XmlSyntaxError` or `DomainModelError` (`model-unexpected-root`). */
export function parseDomain(input: string | Uint8Array, options: ParseOptions = {}): LibvirtDocument {
  return parseAs(input, 'domain', options)
}

/** Parse one device (`<disk>`, `<interface>`, … as given to attach or detach). */
export function parseDevice(input: string | Uint8Array, options: ParseOptions = {}): LibvirtDocument {
  return parseAs(input, 'device', options)
}

/** Parse either a domain or one device, whichever the root is. */
export function parseLibvirtXml(input: string | Uint8Array, options: ParseOptions = {}): LibvirtDocument {
  return parseAs(input, 'any', options)
}

/** Serialize a document: `libvirt` style (as `virsh dumpxml` prints) by default, or `preserve` the input's own layout. */
export function serialize(document: LibvirtDocument | Root | Element, options: { style?: XmlStyle } = {}): string {
  const node = 'type' in document ? document : document.tree
  return toXml(node, options)
}

const decoder = new TextDecoder()

export interface CanonicalizeOptions extends CanonicalOptions {
  /** The engine to use; by default xml-core's `getEngine()` (WebAssembly where it may be compiled). */
  readonly engine?: XmlEngine
}

function bytesOf(document: LibvirtDocument | string | Uint8Array): string | Uint8Array {
  return typeof document === 'string' || document instanceof Uint8Array ? document : toXml(document.tree, { style: 'preserve' })
}

/** The canonical form of a document or of XML text (see xml-core's `toCanonical` for the rules). */
export function canonicalize(document: LibvirtDocument | string | Uint8Array, options: CanonicalizeOptions = {}): string {
  const engine = options.engine ?? getEngine()
  return decoder.decode(engine.canonicalize(bytesOf(document), { comments: options.comments ?? true }))
}

/**
 * Whether two documents mean the same: equal canonical forms, so attribute order,
 * quoting, character references, CDATA vs text and layout whitespace do not count.
 * Comments count unless `comments: false` (libvirt itself drops them). Units are compared as written.
 */
export function isSemanticallyEqual(
  a: LibvirtDocument | string | Uint8Array,
  b: LibvirtDocument | string | Uint8Array,
  options: CanonicalizeOptions = {},
): boolean {
  return canonicalize(a, options) === canonicalize(b, options)
}

/**
 * The document with `<domain>`'s, `<os>`'s and `<devices>`' children in the order libvirt writes
 * them (virsh dumpxml order). Merges append what they add; this puts it where a reader expects it.
 * Pure; other elements keep their order.
 */
export function inLibvirtOrder(document: LibvirtDocument): LibvirtDocument {
  const root = document.root
  if (root.name !== 'domain') return document
  const reorder = (e: Element): Element => {
    if (e.name === 'os') return withChildren(e, sortChildren(e.children, osChildOrder))
    if (e.name === 'devices') return withChildren(e, sortChildren(e.children, deviceOrder))
    return e
  }
  const children = sortChildren(root.children, domainChildOrder).map((c) => (c.type === 'element' ? reorder(c) : c))
  const newRoot: Element = withChildren(root, children)
  return { ...document, root: newRoot, tree: { ...document.tree, children: document.tree.children.map((c) => (c === root ? newRoot : c)) } }
}
