import { splitPath } from './diff.ts'
import { XmlChangeError } from './errors.ts'
import { childIdentities, compileIdentityKeys, textOf, type IdentityKeys } from './identity.ts'
import { rootElement, type Element, type Root } from './tree.ts'

/** A node an identity path selects: an element, one of its attributes, or its text. */
export type SelectedNode =
  | { readonly type: 'element'; readonly element: Element }
  | { readonly type: 'attribute'; readonly element: Element; readonly name: string; readonly value: string }
  | { readonly type: 'text'; readonly element: Element; readonly value: string }

type Predicate =
  | { readonly kind: 'position'; readonly n: number }
  | { readonly kind: 'equals'; readonly key: readonly string[]; readonly value: string }
  | { readonly kind: 'lacks'; readonly key: readonly string[] }

function bad(path: string, why: string): XmlChangeError {
  return new XmlChangeError('patch-invalid', `Unexpected path \`${path}\`: ${why}`, {})
}

/** `name[pred]…` → name and predicates (values quoted with `'`, `''` for a quote inside). */
function parseSegment(segment: string, path: string): { name: string; predicates: Predicate[] } {
  const open = segment.indexOf('[')
  const name = open < 0 ? segment : segment.slice(0, open)
  const predicates: Predicate[] = []
  let i = open < 0 ? segment.length : open
  while (i < segment.length) {
    if (segment[i] !== '[') throw bad(path, `expected \`[\` at \`${segment.slice(i)}\``)
    // The predicate ends at the first `]` outside quotes.
    let j = i + 1
    let quoted = false
    for (; j < segment.length; j++) {
      const c = segment[j]
      if (c === "'") { if (quoted && segment[j + 1] === "'") j++; else quoted = !quoted }
      else if (c === ']' && !quoted) break
    }
    if (j >= segment.length) throw bad(path, 'a predicate is not closed')
    const body = segment.slice(i + 1, j)
    const not = /^not\(([^()'=]+)\)$/.exec(body)
    const equals = /^([^'=]+)='((?:[^']|'')*)'$/.exec(body)
    if (/^[1-9][0-9]*$/.test(body)) predicates.push({ kind: 'position', n: Number(body) })
    else if (not) predicates.push({ kind: 'lacks', key: not[1]!.split('/') })
    else if (equals) predicates.push({ kind: 'equals', key: equals[1]!.split('/'), value: equals[2]!.replaceAll("''", "'") })
    else throw bad(path, `unexpected predicate \`[${body}]\``)
    i = j + 1
  }
  return { name, predicates }
}

/** Every value a key reaches from `element` (XPath: any matching child counts), texts trimmed. */
function valuesOf(element: Element, key: readonly string[]): string[] {
  let current: Element[] = [element]
  for (let s = 0; s < key.length; s++) {
    const step = key[s]!
    if (step.startsWith('@')) {
      const out: string[] = []
      for (const e of current) { const v = e.attributes[step.slice(1)]; if (v !== undefined && Object.hasOwn(e.attributes, step.slice(1))) out.push(v) }
      return out
    }
    const next: Element[] = []
    for (const e of current) for (const c of e.children) if (c.type === 'element' && c.name === step) next.push(c)
    current = next
  }
  return current.map((e) => textOf(e).trim())
}

function filter(nodes: Element[], predicate: Predicate): Element[] {
  if (predicate.kind === 'position') return nodes.length >= predicate.n ? [nodes[predicate.n - 1]!] : []
  if (predicate.kind === 'lacks') return nodes.filter((e) => valuesOf(e, predicate.key).length === 0)
  return nodes.filter((e) => valuesOf(e, predicate.key).includes(predicate.value))
}

/**
 * The nodes an identity path (`/domain/devices/disk[target/@dev='vda']/driver/@discard`, as merge
 * provenance, patches and explanations write them) selects in a document, read as XPath reads it:
 * `[key='v']` keeps the children whose key has that value, `[not(key)]` those without it, `[n]`
 * the n-th of those kept so far; a last step `@name` is an attribute, `text()` the text.
 * Every path virtuned reports selects exactly one node of the document it describes.
 *
 * @throws XmlChangeError `patch-invalid` for a path that is not an identity path.
 */
export function selectPath(document: Root | Element, path: string): SelectedNode[] {
  const root = document.type === 'root' ? rootElement(document) : document
  const segments = splitPath(path)
  if (!root || segments.length === 0) return []
  let current: Element[] = []
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    const last = i === segments.length - 1
    if (last && i > 0 && segment.startsWith('@')) {
      const name = segment.slice(1)
      return current.filter((e) => Object.hasOwn(e.attributes, name)).map((e) => ({ type: 'attribute', element: e, name, value: e.attributes[name]! }))
    }
    if (last && i > 0 && segment === 'text()') {
      return current.filter((e) => e.children.some((c) => c.type === 'text' || c.type === 'cdata')).map((e) => ({ type: 'text', element: e, value: textOf(e) }))
    }
    const { name, predicates } = parseSegment(segment, path)
    let next: Element[] = []
    if (i === 0) { if (root.name === name) next = [root] }
    else for (const e of current) {
      let children = e.children.filter((c): c is Element => c.type === 'element' && c.name === name)
      for (const p of predicates) children = filter(children, p)
      next.push(...children)
    }
    if (i === 0) for (const p of predicates) next = filter(next, p)
    current = next
  }
  return current.map((element) => ({ type: 'element', element }))
}

/**
 * Identity paths made exact for people and XPath: the first of several siblings that share an
 * identity keeps the plain segment in merge provenance and patches (so adding a second leaves
 * the first where it was), which as XPath selects them all; here it is written `[1]`. Each path
 * is resolved by identity in `document` (a `[1]` already there is accepted); a path that names
 * nothing in it comes back unchanged. One pass over the parents the paths visit.
 */
export function exactPaths(document: Root, paths: readonly string[], keys: IdentityKeys): string[] {
  const compiled = compileIdentityKeys(keys)
  const root = rootElement(document)
  const known = new Map<Element, { bySegment: Map<string, Element>; grouped: Set<string> }>()
  const identitiesOf = (parent: Element, names: readonly string[]) => {
    let entry = known.get(parent)
    if (!entry) {
      const ids = childIdentities(parent, names, compiled)
      const bySegment = new Map(ids.map((c) => [c.segment, c.element] as const))
      const grouped = new Set<string>()
      for (const c of ids) if (/\[2\]$/.test(c.segment)) grouped.add(c.segment.slice(0, -3))
      entry = { bySegment, grouped }
      known.set(parent, entry)
    }
    return entry
  }
  return paths.map((path) => {
    const segments = splitPath(path)
    if (!root || segments[0] !== root.name) return path
    let current = root
    const names = [root.name]
    let out = '/' + root.name
    for (let i = 1; i < segments.length; i++) {
      let segment = segments[i]!
      if (i === segments.length - 1 && (segment.startsWith('@') || segment === 'text()')) { out += '/' + segment; break }
      const { bySegment, grouped } = identitiesOf(current, names)
      if (segment.endsWith('[1]') && grouped.has(segment.slice(0, -3))) segment = segment.slice(0, -3)
      const child = bySegment.get(segment)
      if (!child) return path
      out += '/' + (grouped.has(segment) ? `${segment}[1]` : segment)
      current = child
      names.push(child.name)
    }
    return out
  })
}
