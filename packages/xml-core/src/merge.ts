import { attributeOf, writeAttribute } from './_attributes.ts'
import { XmlChangeError } from './errors.ts'
import { childIdentities, compileIdentityKeys, plainSegment, textOf, type CompiledKeys, type Identity, type IdentityKeys } from './identity.ts'
import { rootElement, type Element, type ElementContent, type Root } from './tree.ts'

/** The namespace of per-value annotations in a layer document; they never reach the output. */
export const layerNamespace = 'urn:virtuned:layer'

/**
 * A layer: a partial document with the same root as the base. Every value it holds is either a
 * preference (`fill`: only where nothing is set yet) or a requirement (`require`: must hold).
 *
 * Per value, the layer's `mode` can be changed with attributes in the {@link layerNamespace}
 * (declared on the layer's root, any prefix): `vt:mode="require"` on an element sets the mode of
 * that element and everything below it; `vt:require="machine arch"` / `vt:fill="…"` list the
 * attributes of that element (and `#text` for its text) that take the other mode.
 */
export interface Layer {
  /** Who the layer speaks for, e.g. `defaults:vmcoreinfo@1` or `policy:pcie`: used in conflicts and provenance. */
  readonly name: string
  readonly mode: 'fill' | 'require'
  readonly document: Root
}

/** Two values that cannot both hold. The current value is kept. */
export interface Conflict {
  /** Identity path of the value: an element path with `/@name` or `/text()`. */
  readonly path: string
  readonly current: string
  readonly wanted: string
  /** Who holds the current value: `base` (the document the user gave) or a layer's name. */
  readonly holder: string
  /** The layer that requires another value. */
  readonly requester: string
}

/** Which layer added or changed a node. An added element's content comes from the same layer. */
export interface Provenance {
  readonly path: string
  readonly source: string
  readonly action: 'added' | 'set' | 'overridden'
  /** What was there before (`set`, `overridden`). */
  readonly previous?: string
}

export interface MergeResult {
  readonly document: Root
  readonly conflicts: readonly Conflict[]
  readonly provenance: readonly Provenance[]
}

export interface MergeOptions {
  /** Layers whose `require` wins over the base's own value (recorded as `overridden`). */
  readonly force?: readonly string[]
}

type Mutable = { type: 'element'; name: string; attributes: Record<string, string>; children: ElementContent[] }
type Mode = 'fill' | 'require'
interface Holder { readonly source: string; readonly mode: Mode }
/** A child of an element being merged into: its identity segment and the node there now. */
interface Entry { readonly segment: string; element: Element }
/**
 * The children of an element being merged into, by name, each name's computed when first asked:
 * a layer's child can only match siblings of its own name (a segment starts with the name, and
 * repeats are numbered among equal segments), so the other names' identities are never needed.
 */
type Children = Map<string, Map<string, Entry>>

function words(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/\s+/).filter(Boolean))
}

// Layers are immutable by convention and callers reuse parsed ones (defaults rules, policies), so
// what is computed from a layer alone is kept per layer document: its elements' child identities,
// its annotation prefix, and its subtrees with annotations and source positions stripped, which
// every result that adds them shares instead of copying. (Base elements are new in nearly every
// call, so a cache of their identities costs more to fill than it saves: they are computed per
// merge, per name.)
interface LayerFacts {
  readonly compiled: CompiledKeys
  /** The `xmlns:` prefix bound to {@link layerNamespace} on the layer's root, if any. */
  readonly prefix: string | undefined
  readonly identities: Map<Element, readonly Identity[]>
  readonly stripped: Map<Element, Element>
  /** Plain segments of layer elements (what an added copy's segment is among its new siblings). */
  readonly segments: Map<Element, string>
}
const layerFacts = new WeakMap<Root, LayerFacts>()

function factsOf(document: Root, root: Element, compiled: CompiledKeys): LayerFacts {
  const known = layerFacts.get(document)
  if (known !== undefined && known.compiled === compiled) return known
  let prefix: string | undefined
  for (const name in root.attributes) if (name.startsWith('xmlns:') && root.attributes[name] === layerNamespace) prefix = name.slice(6)
  const facts: LayerFacts = { compiled, prefix, identities: new Map(), stripped: new Map(), segments: new Map() }
  layerFacts.set(document, facts)
  return facts
}

function isAnnotation(prefix: string | undefined, name: string): boolean {
  return prefix !== undefined && (name.startsWith(prefix + ':') || name === 'xmlns:' + prefix)
}

/**
 * A layer subtree without annotations and source positions, deep-frozen: every result that adds
 * it shares these objects, so a write to one result's copy would change them all (and the
 * serializer reuses a frozen element's text).
 */
function strip(element: Element, prefix: string | undefined): Element {
  const attributes: Record<string, string> = {}
  for (const name in element.attributes) if (!isAnnotation(prefix, name)) writeAttribute(attributes, name, element.attributes[name]!)
  const children = element.children.map((c): ElementContent => {
    if (c.type === 'element') return strip(c, prefix)
    const { position: _, ...rest } = c as typeof c & { position?: unknown }
    return Object.freeze(rest) as Exclude<ElementContent, Element>
  })
  return Object.freeze({ type: 'element', name: element.name, attributes: Object.freeze(attributes), children: Object.freeze(children) })
}

function hasElements(element: Element): boolean {
  for (let ci = 0; ci < element.children.length; ci++) { const c = element.children[ci]!; if (c.type === 'element') return true }
  return false
}

/** One merge: the state of merging layers into one base, each in turn. */
class Merge {
  readonly root: Mutable
  readonly conflicts: Conflict[] = []
  readonly provenance: Provenance[] = []
  /** Elements this merge copied and may change; every other node is shared and never written. */
  private readonly owned = new Set<Element>()
  private readonly holders = new Map<string, Holder>()
  // Children identities of the copies being merged into, kept until a write below a child changes
  // that child's identity (a filled-in key): then they are computed again on next use.
  private readonly childCache = new Map<Mutable, Children>()
  private writes = 0
  // The layer being merged, and what is known of it.
  private layer!: Layer
  private facts!: LayerFacts
  private prefix: string | undefined
  private track = false

  constructor(baseRoot: Element, private readonly compiled: CompiledKeys, private readonly force: readonly string[] | undefined) {
    this.root = this.own(baseRoot)
  }

  private own(element: Element): Mutable {
    const copy: Mutable = { type: 'element', name: element.name, attributes: { ...element.attributes }, children: element.children.slice() }
    this.owned.add(copy)
    return copy
  }

  /** Merges one layer; `track` says whether who holds each value must be recorded (a later `require` reads it). */
  layerInto(layer: Layer, layerRoot: Element, facts: LayerFacts, track: boolean): void {
    this.layer = layer
    this.facts = facts
    this.prefix = facts.prefix
    this.track = track
    this.walk(this.root, layerRoot, `/${this.root.name}`, [this.root.name], layer.mode)
  }

  private layerChildIdentities(element: Element, names: readonly string[]): readonly Identity[] {
    // A layer element's path is fixed by its place in its own document, so the element is the key.
    let identities = this.facts.identities.get(element)
    if (!identities) this.facts.identities.set(element, (identities = childIdentities(element, names, this.compiled)))
    return identities
  }

  private strippedSubtree(element: Element): Element {
    let stripped = this.facts.stripped.get(element)
    if (!stripped) this.facts.stripped.set(element, (stripped = strip(element, this.prefix)))
    return stripped
  }

  private childrenOf(target: Mutable): Children {
    let children = this.childCache.get(target)
    if (!children) this.childCache.set(target, (children = new Map()))
    return children
  }

  /** The identities of `target`'s children named `name`, by segment (numbered as childIdentities numbers them). */
  private named(children: Children, target: Mutable, names: readonly string[], name: string): Map<string, Entry> {
    let bySegment = children.get(name)
    if (bySegment) return bySegment
    bySegment = new Map()
    let seen: Map<string, number> | undefined
    for (let ci = 0; ci < target.children.length; ci++) {
      const child = target.children[ci]!
      if (child.type !== 'element' || child.name !== name) continue
      const plain = plainSegment(child, names, this.compiled)
      let segment = plain
      if (bySegment.has(plain) || seen?.has(plain)) {
        seen ??= new Map()
        const n = (seen.get(plain) ?? 1) + 1
        seen.set(plain, n)
        segment = `${plain}[${n}]`
      }
      bySegment.set(segment, { segment, element: child })
    }
    children.set(name, bySegment)
    return bySegment
  }

  private modeOf(element: Element, inherited: Mode): Mode {
    const value = this.prefix === undefined ? undefined : element.attributes[`${this.prefix}:mode`]
    return value === 'require' || value === 'fill' ? value : inherited
  }

  private valueMode(element: Element, name: string, elementMode: Mode): Mode {
    if (this.prefix === undefined) return elementMode
    if (words(element.attributes[`${this.prefix}:require`]).has(name)) return 'require'
    if (words(element.attributes[`${this.prefix}:fill`]).has(name)) return 'fill'
    return elementMode
  }

  /** A value that is there and differs from the wanted one, or a `require` of the same value. */
  private settle(path: string, current: string, wanted: string, mode: Mode, set: (value: string) => void): void {
    const name = this.layer.name
    const holder = this.holders.get(path) ?? { source: 'base', mode: 'require' }
    if (current === wanted) {
      if (mode === 'require' && holder.mode === 'fill') this.holders.set(path, { source: name, mode })
      return
    }
    if (mode === 'fill') return // a preference yields to any value already there
    if (holder.mode === 'fill') {
      this.writes++
      set(wanted)
      this.holders.set(path, { source: name, mode })
      this.provenance.push({ path, source: name, action: 'set', previous: current })
      return
    }
    if (holder.source === 'base' && this.force !== undefined && this.force.includes(name)) {
      this.writes++
      set(wanted)
      this.holders.set(path, { source: name, mode })
      this.provenance.push({ path, source: name, action: 'overridden', previous: current })
      return
    }
    this.conflicts.push({ path, current, wanted, holder: holder.source, requester: name })
  }

  /** Registers every value of an added subtree as held by the layer. */
  private hold(element: Element, path: string, names: string[], mode: Mode, source: Element): void {
    const elementMode = this.modeOf(source, mode)
    const name = this.layer.name
    for (const attribute of Object.keys(element.attributes)) this.holders.set(`${path}/@${attribute}`, { source: name, mode: this.valueMode(source, attribute, elementMode) })
    if (!hasElements(element)) this.holders.set(`${path}/text()`, { source: name, mode: this.valueMode(source, '#text', elementMode) })
    const added = childIdentities(element, names, this.compiled)
    const sources = this.layerChildIdentities(source, names)
    added.forEach((c, i) => this.hold(c.element, `${path}/${c.segment}`, [...names, c.element.name], elementMode, sources[i]!.element))
  }

  private walk(target: Mutable, source: Element, path: string, names: string[], inherited: Mode): void {
    const elementMode = this.modeOf(source, inherited)
    const layerName = this.layer.name
    for (const name in source.attributes) {
      if (isAnnotation(this.prefix, name)) continue
      const wanted = source.attributes[name]!
      const current = attributeOf(target.attributes, name)
      const mode = this.valueMode(source, name, elementMode)
      if (current === undefined) {
        this.writes++
        writeAttribute(target.attributes, name, wanted)
        const valuePath = `${path}/@${name}`
        if (this.track) this.holders.set(valuePath, { source: layerName, mode })
        this.provenance.push({ path: valuePath, source: layerName, action: 'added' })
      } else if (mode === 'require') {
        // A preference yields to any value already there; a requirement may clash with it.
        this.settle(`${path}/@${name}`, current, wanted, mode, (v) => { writeAttribute(target.attributes, name, v) })
      }
    }
    if (!hasElements(source)) {
      const text = textOf(source)
      if (text.trim() === '') return
      const mode = this.valueMode(source, '#text', elementMode)
      if (hasElements(target)) {
        // Text where the base has elements: a preference yields, a requirement clashes.
        if (mode === 'require') this.conflicts.push({ path: `${path}/text()`, current: '(elements)', wanted: text, holder: 'base', requester: layerName })
        return
      }
      const current = textOf(target)
      const set = (v: string) => { target.children = [{ type: 'text', value: v }] }
      if (current === '') {
        this.writes++
        set(text)
        if (this.track) this.holders.set(`${path}/text()`, { source: layerName, mode })
        this.provenance.push({ path: `${path}/text()`, source: layerName, action: 'added' })
      } else this.settle(`${path}/text()`, current, text, mode, set)
      return
    }
    // Identities as they were when this element's turn began: a write below a child drops them
    // for later layers, but this layer goes on matching against what it started with.
    const children = this.childrenOf(target)
    let insertAt = -1
    for (const child of this.layerChildIdentities(source, names)) {
      const siblings = this.named(children, target, names, child.element.name)
      const match = siblings.get(child.segment)
      if (match) {
        let next = match.element as Mutable
        if (!this.owned.has(next)) {
          next = this.own(match.element)
          target.children[target.children.indexOf(match.element)] = next
          match.element = next
        }
        const before = this.writes
        this.walk(next, child.element, `${path}/${child.segment}`, [...names, child.element.name], elementMode)
        // A write below may have filled in a key of the child's identity: the cached identities
        // stay only while its segment is what it was (a numbered repeat is recomputed).
        if (this.writes !== before && plainSegment(next, names, this.compiled) !== match.segment) this.childCache.delete(target)
        insertAt = target.children.indexOf(next) + 1
        continue
      }
      // New here: the whole subtree comes from this layer, after its matched predecessor.
      const added = this.strippedSubtree(child.element)
      if (!hasElements(target) && target.children.every((c) => c.type === 'text' && c.value.trim() === '')) target.children = []
      const position = insertAt < 0 ? target.children.length : insertAt
      target.children.splice(position, 0, added)
      this.writes++
      // Keep the cached identities of the siblings: add the new child's, unless its segment
      // repeats one (then numbering may shift and everything is recomputed on next use).
      if (this.childCache.get(target) === children) {
        // The copy has the layer element's identity: stripping touches only annotations.
        let segment = this.facts.segments.get(child.element)
        if (segment === undefined) this.facts.segments.set(child.element, (segment = plainSegment(added, names, this.compiled)))
        if (!siblings.has(segment)) siblings.set(segment, { segment, element: added })
        else this.childCache.delete(target)
      }
      insertAt = position + 1
      const childPath = `${path}/${child.segment}`
      this.provenance.push({ path: childPath, source: layerName, action: 'added' })
      if (this.track) this.hold(added, childPath, [...names, child.element.name], elementMode, child.element)
    }
  }
}

/**
 * Merge layers into a base document, in the order given. Lists are matched by identity keys.
 * Pure: the inputs are not changed. Conflicts are reported, never resolved silently.
 * The result shares the nodes nothing changed with the base, and added subtrees with the layers.
 */
export function mergeTrees(base: Root, layers: readonly Layer[], keys: IdentityKeys, options: MergeOptions = {}): MergeResult {
  const compiled = compileIdentityKeys(keys)
  const baseRoot = rootElement(base)!
  const merge = new Merge(baseRoot, compiled, options.force)
  // Who holds each value is read only by `require` values; layers after the last one that can
  // require (by mode, or by per-value annotations) need not record it.
  const roots: Element[] = []
  const facts: LayerFacts[] = []
  let lastTracked = -1
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!
    const layerRoot = rootElement(layer.document)!
    if (layerRoot.name !== baseRoot.name) {
      throw new XmlChangeError('merge-root-mismatch', `Unexpected layer \`${layer.name}\` with root \`<${layerRoot.name}>\`, expected \`<${baseRoot.name}>\``, { path: `/${baseRoot.name}` })
    }
    roots.push(layerRoot)
    facts.push(factsOf(layer.document, layerRoot, compiled))
    if (layer.mode === 'require' || facts[i]!.prefix !== undefined) lastTracked = i
  }
  for (let i = 0; i < layers.length; i++) merge.layerInto(layers[i]!, roots[i]!, facts[i]!, i <= lastTracked)
  const document: Root = {
    type: 'root',
    children: base.children.map((c) => (c === baseRoot ? (merge.root as unknown as Element) : c)),
  }
  return { document, conflicts: merge.conflicts, provenance: merge.provenance }
}
