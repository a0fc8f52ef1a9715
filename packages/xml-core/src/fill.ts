// The smallest merge: one value filled into one element, as `mergeTrees` fills a one-value layer
// (`<device><child attr='value'/></device>`, children matched by name, mode `fill`) — the same result
// without building a layer and a merge state (copies, like the merge's, carry no source position). The defaults fill device values (a disk's bus, a NIC's
// model) one at a time, several per device, so this is on every compose's path.
import { copyAttributes, hasAttribute, writeAttribute } from './_attributes.ts'
import type { Element, ElementContent } from './tree.ts'

/**
 * `element` with `child/@name` (or its own `@name`) set to `value` where nothing is set: the first
 * child element named `child` gets the attribute, or a new `<child name='value'/>` is appended when
 * there is none. Nothing there is ever changed: the same object comes back when the value is set.
 * Equal to `mergeTrees` of the one-value layer in `fill` mode with no identity rules (tested).
 */
export function fillAttribute(element: Element, path: string, value: string): Element {
  // one value through the filler: the same walk, the same copies
  const filler = new Filler(element)
  filler.fill(path, value)
  return filler.element
}

/** A fill path read once: `child/@name` (child set) or `@name`. */
interface FillPath { readonly child: string | undefined; readonly name: string }
const fillPaths = new Map<string, FillPath>()

function fillPathOf(path: string): FillPath {
  let known = fillPaths.get(path)
  if (known === undefined) {
    if (path.startsWith('@')) known = { child: undefined, name: path.slice(1) }
    else {
      const slash = path.indexOf('/@')
      if (slash <= 0 || path.indexOf('/') !== slash || path.indexOf('/', slash + 1) >= 0) throw new TypeError(`fillAttribute: expected a path \`child/@name\` or \`@name\`, got ${JSON.stringify(path)}`)
      known = { child: path.slice(0, slash), name: path.slice(slash + 2) }
    }
    // Paths are a program's constants (a rule's `target/@bus`): a few, each read once.
    if (fillPaths.size < 1000) fillPaths.set(path, known)
  }
  return known
}

/**
 * {@link fillAttribute} for several values in turn on one element, each seeing what the earlier
 * ones filled: `element` is the result so far (the given element, unchanged, until a value is
 * filled). The same result as chaining `fillAttribute`, with one copy of the element (and of each
 * child it fills) instead of one per value: the copies are its own, and later fills write into them.
 */
export interface AttributeFiller {
  /** The element with every value filled so far (never the given one once something was filled). */
  readonly element: Element
  /**
   * `fillAttribute(element, path, value)` on the element so far; true when it filled the value
   * (false: it was set). `first` writes a new attribute of an existing child before its others
   * (`<target dev='sda' bus='scsi'/>`, as libvirt writes a target).
   */
  fill(path: string, value: string, first?: boolean): boolean
}

type Mutable = { type: 'element'; name: string; attributes: Record<string, string>; children: ElementContent[] }

class Filler implements AttributeFiller {
  element: Element
  /** Whether `element` is this filler's copy. */
  #owned = false
  /** The children this filler copied (and may write to). */
  #ownedChildren: Element[] | undefined

  constructor(element: Element) {
    this.element = element
  }

  #own(): Mutable {
    if (!this.#owned) {
      const e = this.element
      this.element = { type: 'element', name: e.name, attributes: copyAttributes(e.attributes), children: e.children.slice() }
      this.#owned = true
    }
    return this.element as Mutable
  }

  fill(path: string, value: string, first = false): boolean {
    const { child: childName, name } = fillPathOf(path)
    if (childName === undefined) {
      if (hasAttribute(this.element.attributes, name)) return false
      writeAttribute(this.#own().attributes, name, value)
      return true
    }
    const children = this.element.children
    let elements = false
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!
      if (c.type !== 'element') continue
      elements = true
      if (c.name !== childName) continue
      if (hasAttribute(c.attributes, name)) return false
      const owned = this.#ownedChildren
      if (owned !== undefined && owned.includes(c)) {
        if (first) (c as Mutable).attributes = withFirst(c.attributes, name, value)
        else writeAttribute((c as Mutable).attributes, name, value)
        return true
      }
      let attributes: Record<string, string>
      if (first) attributes = withFirst(c.attributes, name, value)
      else { attributes = copyAttributes(c.attributes); writeAttribute(attributes, name, value) }
      const copy: Element = { type: 'element', name: c.name, attributes, children: c.children.slice() }
      this.#own().children[i] = copy
      ;(this.#ownedChildren ??= []).push(copy)
      return true
    }
    const added = addedChild(childName, name, value)
    // As the merge does: an element holding only whitespace text gets the new child alone.
    const onlySpace = !elements && children.every((c) => c.type === 'text' && c.value.trim() === '')
    const element = this.#own()
    if (onlySpace) element.children = [added]
    else element.children.push(added)
    return true
  }
}

/** `attributes` with `name` first, then the others in their order. */
function withFirst(attributes: Readonly<Record<string, string>>, name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {}
  writeAttribute(out, name, value)
  for (const key in attributes) writeAttribute(out, key, attributes[key]!)
  return out
}

/** A filler of `element` (see {@link AttributeFiller}); `element` itself is never changed. */
export function attributeFiller(element: Element): AttributeFiller {
  return new Filler(element)
}

// The `<child name='value'/>` a fill adds, one frozen element per (child, name, value), shared by every
// result that adds it, as a merge shares a layer's subtrees: the serializer's and the merge's
// per-element caches then serve it from the second composition on, and no short-lived frozen
// element becomes a WeakMap key (a young key is kept alive and promoted by V8's minor GC). The
// values are few (buses, models, target names); past the cap a new element is made per call.
// Looked up by child, attribute and value in turn: the three are most often constants whose hashes
// V8 keeps, where a joined key was a new string to build and hash on every fill.
const addedChildren = new Map<string, Map<string, Map<string, Element>>>()
let addedCount = 0

function addedChild(childName: string, name: string, value: string): Element {
  const known = addedChildren.get(childName)?.get(name)?.get(value)
  if (known !== undefined) return known
  const attributes: Record<string, string> = {}
  writeAttribute(attributes, name, value)
  const added: Element = Object.freeze({ type: 'element', name: childName, attributes: Object.freeze(attributes), children: Object.freeze([]) as unknown as ElementContent[] })
  if (addedCount < 1000) {
    addedCount++
    let byName = addedChildren.get(childName)
    if (byName === undefined) addedChildren.set(childName, (byName = new Map()))
    let byValue = byName.get(name)
    if (byValue === undefined) byName.set(name, (byValue = new Map()))
    byValue.set(value, added)
  }
  return added
}
