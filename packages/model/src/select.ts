// Paths into a domain, as policies and the defaults' conditions write them: `devices/graphics[@type='spice']`,
// `devices/*/address[@type='pci']` — names separated by `/`, each with at most one `[@attr='value']`.
import { childSegments, type Element, type IdentityKeys } from '@virtuned/xml-core'

interface Step { readonly name: string; readonly attribute?: string; readonly value?: string }

// Policies use a handful of paths, again and again: each is split once.
const parsedPaths = new Map<string, readonly Step[]>()

function steps(path: string): readonly Step[] {
  let known = parsedPaths.get(path)
  if (!known) {
    known = parse(path)
    if (parsedPaths.size < 1000) parsedPaths.set(path, known)
  }
  return known
}

function parse(path: string): Step[] {
  return path.split('/').map((segment) => {
    const m = /^([^[]+)(?:\[@([^=]+)='([^']*)'\])?$/.exec(segment)!
    return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, attribute: m[2], value: m[3]! }
  })
}

function matches(e: Element, step: Step): boolean {
  if (step.name !== '*' && e.name !== step.name) return false
  // Own attributes only: `[@toString='x']` asks for an attribute, not Object.prototype's method.
  return step.attribute === undefined || (Object.hasOwn(e.attributes, step.attribute) && e.attributes[step.attribute] === step.value)
}

/** Every element the path selects below `root` (the `<domain>`), in document order, with its parent. */
export function selectAll(root: Element, path: string): { element: Element; parent: Element }[] {
  let current: { element: Element; parent: Element }[] = [{ element: root, parent: root }]
  for (const step of steps(path)) {
    const next: { element: Element; parent: Element }[] = []
    for (const { element } of current) {
      for (let ci = 0; ci < element.children.length; ci++) { const c = element.children[ci]!; if (c.type === 'element' && matches(c, step)) next.push({ element: c, parent: element }) }
    }
    current = next
  }
  return current
}

/** Whether the path selects anything below `root`: `selectAll(root, path).length > 0`, depth-first, stopping at the first match, allocating nothing. */
export function selectsAny(root: Element, path: string): boolean {
  return anyBelow(root, steps(path), 0)
}

function anyBelow(e: Element, all: readonly Step[], depth: number): boolean {
  const step = all[depth]!
  for (let ci = 0; ci < e.children.length; ci++) {
    const c = e.children[ci]!
    if (c.type === 'element' && matches(c, step) && (depth === all.length - 1 || anyBelow(c, all, depth + 1))) return true
  }
  return false
}

/**
 * The tree with `change` applied to every element the path selects (copy-on-write): `change`
 * returns the replacement, or `undefined` to remove the element.
 */
export function rewriteAll(root: Element, path: string, change: (element: Element) => Element | undefined): Element {
  const all = steps(path)
  const walk = (e: Element, depth: number): Element => {
    const step = all[depth]!
    let changed = false
    const children = []
    for (let ci = 0; ci < e.children.length; ci++) {
      const c = e.children[ci]!
      if (c.type !== 'element' || !matches(c, step)) { children.push(c); continue }
      const replaced = depth === all.length - 1 ? change(c) : walk(c, depth + 1)
      if (replaced !== c) changed = true
      if (replaced !== undefined) children.push(replaced)
    }
    // The last element child removed: the whitespace that laid out the list goes with it (`<video/>`, not a blank line).
    if (changed && !children.some((c) => c.type === 'element') && children.every((c) => c.type === 'text' && c.value.trim() === '')) return { ...e, children: [] }
    return changed ? { ...e, children } : e
  }
  return walk(root, 0)
}

/**
 * Every element the path selects below `root`, in document order, with its identity path
 * (`/domain/devices/disk[target/@dev='hda']`, as xml-core's merge, diff and patches name nodes
 * under `keys`): what a patch built from a selection addresses.
 */
export function selectIdentities(root: Element, path: string, keys: IdentityKeys): { element: Element; path: string }[] {
  const all = steps(path)
  const out: { element: Element; path: string }[] = []
  const walk = (e: Element, at: string, names: readonly string[], depth: number): void => {
    const step = all[depth]!
    let segments: string[] | undefined
    let index = 0
    for (let ci = 0; ci < e.children.length; ci++) {
      const c = e.children[ci]!
      if (c.type !== 'element') continue
      const i = index++
      if (!matches(c, step)) continue
      // Identities of the siblings are computed only where the path goes through.
      segments ??= childSegments(e, names, keys)
      const childPath = `${at}/${segments[i]!}`
      if (depth === all.length - 1) out.push({ element: c, path: childPath })
      else walk(c, childPath, [...names, c.name], depth + 1)
    }
  }
  walk(root, `/${root.name}`, [root.name], 0)
  return out
}
