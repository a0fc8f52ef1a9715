// The small readers every package needs over a libvirt tree: children by name and element text.
// One definition each, so "text" means the same thing everywhere.
import type { Element, ElementContent } from '@virtuned/xml-core'

/** The first child element with this name (`undefined` for an absent parent). */
export function childElement(element: Element | undefined, name: string): Element | undefined {
  if (!element) return undefined
  for (let ci = 0; ci < element.children.length; ci++) { const c = element.children[ci]!; if (c.type === 'element' && c.name === name) return c }
  return undefined
}

/** The child elements (with this name, if given), in order (`[]` for an absent parent). */
export function childElements(element: Element | undefined, name?: string): Element[] {
  const out: Element[] = []
  if (!element) return out
  for (let ci = 0; ci < element.children.length; ci++) { const c = element.children[ci]!; if (c.type === 'element' && (name === undefined || c.name === name)) out.push(c) }
  return out
}

/** The device elements of a `<domain>` (the element children of its `<devices>`). */
export function devicesOf(domain: Element): Element[] {
  return childElements(childElement(domain, 'devices'))
}

/**
 * The element's text as libvirt reads it (`virXMLNodeContentString`, XPath `string()`): every
 * text and CDATA node under it, nested ones included, joined, **not trimmed** (libvirt parses
 * numbers with `strtol`, which skips leading white space; names and paths keep theirs).
 * Callers that compare values trim themselves. `''` for an absent element.
 */
export function textOf(element: Element | undefined): string {
  if (!element) return ''
  let out = ''
  const walk = (nodes: readonly ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'text' || node.type === 'cdata') out += node.value
      else if (node.type === 'element') walk(node.children)
    }
  }
  walk(element.children)
  return out
}
