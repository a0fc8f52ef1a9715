// Small readers over the xml-core tree, shared by views, edits and the spec.
// Private: not exported from index.ts.
import type { Element, ElementContent } from '@virtuned/xml-core'
import { DomainModelError } from './errors.ts'

/** An element and its path from the root, for error messages and `unmodelled` lists. */
export interface Located {
  readonly element: Element
  readonly path: string
}

/** Whether a value is an xml-core element (for zod's `custom` check and device arguments). */
export function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'element'
    && typeof (node as { name?: unknown }).name === 'string' && Array.isArray((node as { children?: unknown }).children)
}

// The tree readers live in libvirt/tree.ts (one definition each); these names are the ones views use.
export { childElements as elementChildren, childElement as firstChild, textOf } from './libvirt/tree.ts'
import { childElement as firstChild, textOf } from './libvirt/tree.ts'

/**
 * Child paths in XPath form: `domain/devices/disk[2]`, with a 1-based index only
 * when the parent has more than one child of that name.
 */
export function childPath(parent: Located, child: Element): string {
  let index = 0
  let count = 0
  for (const c of parent.element.children) {
    if (c.type !== 'element' || c.name !== child.name) continue
    count++
    if (c === child) index = count
  }
  return `${parent.path}/${child.name}${count > 1 ? `[${index}]` : ''}`
}

function locate(parent: Located, child: Element): Located {
  return { element: child, path: childPath(parent, child) }
}

/** The first child element with this name, located. */
export function child(parent: Located, name: string): Located | undefined {
  const element = firstChild(parent.element, name)
  return element && locate(parent, element)
}

/**
 * The element children (with this name, if given), located: the same paths as {@link childPath},
 * in two passes over the children (a `childPath` per child would make 4,096 devices 16 million steps).
 */
export function childrenOf(parent: Located, name?: string): Located[] {
  const counts = new Map<string, number>()
  for (const c of parent.element.children) if (c.type === 'element' && (name === undefined || c.name === name)) counts.set(c.name, (counts.get(c.name) ?? 0) + 1)
  const seen = new Map<string, number>()
  const out: Located[] = []
  for (const c of parent.element.children) {
    if (c.type !== 'element' || (name !== undefined && c.name !== name)) continue
    const index = (seen.get(c.name) ?? 0) + 1
    seen.set(c.name, index)
    out.push({ element: c, path: `${parent.path}/${c.name}${counts.get(c.name)! > 1 ? `[${index}]` : ''}` })
  }
  return out
}

/** An attribute of an element that may be absent. */
export function attr(element: Element | undefined, name: string): string | undefined {
  return element?.attributes[name]
}

function invalid(at: Located, attribute: string | undefined, message: string): DomainModelError {
  return new DomainModelError('model-invalid-value', message, {
    path: attribute === undefined ? at.path : `${at.path}/@${attribute}`,
    place: at.element.position?.start,
  })
}

// libvirt reads integers with strtol/strtoul: leading white space and a sign are fine, trailing text is not.
const unsignedPattern = /^[ \t\n\v\f\r]*\+?[0-9]+$/
const signedPattern = /^[ \t\n\v\f\r]*[+-]?[0-9]+$/

function toInteger(written: string, at: Located, attribute: string | undefined, signed: boolean): number {
  if (!(signed ? signedPattern : unsignedPattern).test(written)) {
    throw invalid(at, attribute, `Unexpected \`${written}\`, expected ${signed ? 'an integer' : 'a non-negative integer'}`)
  }
  const value = Number(written.trim())
  if (!Number.isSafeInteger(value)) {
    throw new DomainModelError('model-value-out-of-range', `Unexpected \`${written}\`, expected at most ${Number.MAX_SAFE_INTEGER}`, {
      path: attribute === undefined ? at.path : `${at.path}/@${attribute}`,
      place: at.element.position?.start,
    })
  }
  return value
}

/** An unsigned decimal attribute, or `undefined` when absent. */
export function uintAttr(at: Located, name: string): number | undefined {
  const written = at.element.attributes[name]
  return written === undefined ? undefined : toInteger(written, at, name, false)
}

/** A signed decimal attribute (graphics ports may be `-1`), or `undefined` when absent. */
export function intAttr(at: Located, name: string): number | undefined {
  const written = at.element.attributes[name]
  return written === undefined ? undefined : toInteger(written, at, name, true)
}

/** The element's text as an unsigned decimal. */
export function uintText(at: Located): number {
  return toInteger(textOf(at.element), at, undefined, false)
}

const truthy: Readonly<Record<string, boolean>> = { yes: true, no: false, on: true, off: false }

/** A `yes`/`no` (or `on`/`off`) attribute as a boolean, or `undefined` when absent. */
export function boolAttr(at: Located, name: string): boolean | undefined {
  const written = at.element.attributes[name]
  if (written === undefined) return undefined
  const value = Object.hasOwn(truthy, written) ? truthy[written] : undefined
  if (value === undefined) throw invalid(at, name, `Unexpected \`${written}\`, expected \`yes\` or \`no\` (or \`on\`/\`off\`)`)
  return value
}

/** The attributes of an element as a fresh plain record, or `undefined` when the element is absent. */
export function attributesOf(element: Element | undefined): Readonly<Record<string, string>> | undefined {
  return element ? { ...element.attributes } : undefined
}

/** Drop the keys whose value is `undefined`, so views and specs are clean plain data (and JSON-stable). */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v
  return out as T
}

/**
 * Build an element (no positions: it was not read from a source). The one way virtuned writes
 * XML that carries user values: names and values stay data in the tree, and xml-core's
 * serializer escapes every string when the tree is written, so no value can add markup.
 */
export function el(name: string, attributes: Readonly<Record<string, string | undefined>> = {}, children: readonly (Element | string)[] = []): Element {
  const attrs: Record<string, string> = {}
  for (const key in attributes) {
    const value = attributes[key]
    if (value === undefined) continue
    // defineProperty for `__proto__` only: `attrs['__proto__'] = v` would set the prototype and lose
    // the attribute; every other name is a plain write (defineProperty is a runtime call per attribute).
    if (key === '__proto__') Object.defineProperty(attrs, key, { value, writable: true, enumerable: true, configurable: true })
    else attrs[key] = value
  }
  return { type: 'element', name, attributes: attrs, children: contentOf(children) }
}

/**
 * The children as nodes: a string is a text node, and an empty string adds none (`<description/>`
 * rather than `<description></description>`). Mapped, so the array is made at its size: an empty array
 * pushed to takes room for 17, and a composed domain is mostly elements with one child or two.
 */
function contentOf(children: readonly (Element | string)[]): ElementContent[] {
  if (children.length === 0) return []
  let empty = false
  for (let i = 0; i < children.length; i++) if (children[i] === '') empty = true
  const given = empty ? children.filter((c) => c !== '') : children
  return given.map((c): ElementContent => (typeof c === 'string' ? { type: 'text', value: c } : c))
}
