// Small readers over a preview result for the tests.
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { previewDomain, type PreviewOptions, type PreviewResult } from '../src/index.ts'
import { capsXml } from './_caps.ts'

export function run(domain: string, options: Partial<PreviewOptions> = {}): PreviewResult & { root: Element } {
  const result = previewDomain(domain, { qemuCaps: capsXml(), ...options })
  return { ...result, root: rootElement(parseXml(result.xml))! }
}

export function kids(element: Element | undefined, name?: string): Element[] {
  if (!element) return []
  return element.children.filter((c): c is Element => c.type === 'element' && (name === undefined || c.name === name))
}

/** Elements at a slash path of names, each step optionally filtered by `[attr=value]`. */
export function all(root: Element, path: string): Element[] {
  let current: Element[] = [root]
  for (const step of path.split('/')) {
    const m = /^([\w:-]+)((?:\[[\w-]+=[^\]]*\])*)$/.exec(step)
    if (!m) throw new Error(`bad step ${step}`)
    const filters = [...m[2]!.matchAll(/\[([\w-]+)=([^\]]*)\]/g)].map((f) => [f[1]!, f[2]!] as const)
    current = current.flatMap((e) => kids(e, m[1]).filter((k) => filters.every(([a, v]) => k.attributes[a] === v)))
  }
  return current
}

export function one(root: Element, path: string): Element {
  const found = all(root, path)
  if (found.length !== 1) throw new Error(`${path}: ${found.length} matches`)
  return found[0]!
}

export function text(element: Element): string {
  return element.children.map((c) => (c.type === 'text' ? c.value : '')).join('')
}

export function pci(element: Element): string {
  const a = one(element, 'address')
  return `${a.attributes.bus}:${a.attributes.slot}.${a.attributes.function}`
}
