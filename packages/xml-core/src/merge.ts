import { attributeOf, copyAttributes, writeAttribute } from './_attributes.ts'
import { XmlChangeError } from './errors.ts'
import { childIdentities, compileIdentityKeys, plainSegment, textOf, type CompiledKeys, type IdentityKeys } from './identity.ts'
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
/**
 * The children of an element being merged into, each name's identities computed when first asked:
 * a layer's child can only match siblings of its own name (a segment starts with the name, and
 * repeats are numbered among equal segments), so the other names' identities are never needed.
 * Children are few: two parallel lists, searched by segment (no hash of a new string, no entry
 * object, per child and merge).
 */
interface Children {
  /** Names whose children are in the lists (a few). */
  readonly names: string[]
  /** The identity segment of each child of those names… */
  readonly segments: string[]
  /** …and the node there now. */
  readonly elements: Element[]
}

/** Where the child with this segment is in `children`' lists, or -1. */
function indexOfSegment(children: Children, segment: string): number {
  const segments = children.segments
  for (let i = 0; i < segments.length; i++) if (segments[i] === segment) return i
  return -1
}

// A frozen element is never changed (the serializer and others rely on it too): its segment,
// once computed, is kept with the parent path and table it was computed under.
interface KnownSegment { readonly names: readonly string[]; readonly compiled: CompiledKeys; readonly segment: string }
const frozenSegments = new WeakMap<Element, KnownSegment>()

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** {@link plainSegment}, kept per frozen element. */
function segmentOf(child: Element, names: readonly string[], compiled: CompiledKeys): string {
  if (!Object.isFrozen(child)) return plainSegment(child, names, compiled)
  const known = frozenSegments.get(child)
  if (known !== undefined && known.compiled === compiled && sameNames(known.names, names)) return known.segment
  const segment = plainSegment(child, names, compiled)
  frozenSegments.set(child, { names, compiled, segment })
  return segment
}

function words(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/\s+/).filter(Boolean))
}

/** An attribute (or the text) of a layer element as the merge reads it. */
interface Value {
  readonly name: string
  readonly value: string
  /** Identity path of the value (`…/@name`, `…/text()`): the layer element's place decides it. */
  readonly path: string
  /** The mode the element's annotations give this value, if any (else the element's). */
  readonly mode: Mode | undefined
}

/**
 * A layer element as the merge reads it: everything that depends on the layer document alone
 * (paths, annotations, children's identities), computed once per layer document. The mode and
 * the name are the `Layer`'s, so they are read per merge.
 */
interface Step {
  readonly element: Element
  /** Identity path of the element (its place in the layer decides where it goes in the result). */
  readonly path: string
  /** The element's path from the root, names only. */
  readonly names: readonly string[]
  /** `vt:mode` on the element, if any (else the parent's mode). */
  readonly mode: Mode | undefined
  /** Attributes but annotations, in document order. */
  readonly attributes: readonly Value[]
  readonly hasElements: boolean
  /** The text of an element without element children, unless blank. */
  readonly text: Value | undefined
  /** `…/text()` and the mode annotations give `#text` (held for every added element without element children). */
  readonly textPath: string
  readonly textMode: Mode | undefined
  readonly children: readonly StepChild[]
}

/** A child element of a layer element: its identity among the layer's siblings. */
interface StepChild {
  readonly segment: string
  readonly name: string
  readonly element: Element
  /** Whether a key or the alias reads children of this name ({@link CompiledKeys.heads}). */
  readonly head: boolean
  step: Step | undefined
  /** The child without annotations, shared by every result that adds it. */
  stripped: Element | undefined
  /** The stripped copy's plain segment (what it is among new siblings). */
  plain: string | undefined
}

// Layers are immutable by convention and callers reuse parsed ones (defaults rules, policies), so
// what is computed from a layer alone is kept per layer document: its elements' steps (paths,
// modes, child identities), its annotation prefix, and its subtrees with annotations and source
// positions stripped, which every result that adds them shares instead of copying. (A base's own
// elements are new in nearly every call, and may be any object: their identities are computed per
// merge, per name; only frozen ones — most often those very stripped subtrees — keep theirs.)
interface LayerFacts {
  readonly compiled: CompiledKeys
  /** The `xmlns:` prefix bound to {@link layerNamespace} on the layer's root, if any. */
  readonly prefix: string | undefined
  /**
   * Whether an identity key or rule predicate reads an annotation attribute: then a stripped copy
   * may have other identities than its layer element, and what an added subtree holds is found
   * from the copy's own identities.
   */
  readonly keysReadAnnotations: boolean
  root: Step | undefined
}
const layerFacts = new WeakMap<Root, LayerFacts>()

function factsOf(document: Root, root: Element, compiled: CompiledKeys): LayerFacts {
  const known = layerFacts.get(document)
  if (known !== undefined && known.compiled === compiled) return known
  let prefix: string | undefined
  for (const name in root.attributes) if (name.startsWith('xmlns:') && root.attributes[name] === layerNamespace) prefix = name.slice(6)
  const keysReadAnnotations = prefix !== undefined && compiled.rules.some((rule) =>
    (rule.when !== undefined && isAnnotation(prefix, rule.when.attribute)) ||
    rule.key.some((steps) => { const last = steps[steps.length - 1]!; return last.startsWith('@') && isAnnotation(prefix, last.slice(1)) }))
  const facts: LayerFacts = { compiled, prefix, keysReadAnnotations, root: undefined }
  layerFacts.set(document, facts)
  return facts
}

function isAnnotation(prefix: string | undefined, name: string): boolean {
  return prefix !== undefined && (name.startsWith(prefix + ':') || name === 'xmlns:' + prefix)
}

function stepOf(element: Element, path: string, names: readonly string[], facts: LayerFacts): Step {
  const prefix = facts.prefix
  let mode: Mode | undefined
  let required: Set<string> | undefined
  let filled: Set<string> | undefined
  if (prefix !== undefined) {
    const own = element.attributes[`${prefix}:mode`]
    if (own === 'require' || own === 'fill') mode = own
    required = words(element.attributes[`${prefix}:require`])
    filled = words(element.attributes[`${prefix}:fill`])
  }
  const modeOf = (name: string): Mode | undefined => (required?.has(name) ? 'require' : filled?.has(name) ? 'fill' : undefined)
  const attributes: Value[] = []
  for (const name in element.attributes) {
    if (isAnnotation(prefix, name)) continue
    attributes.push({ name, value: element.attributes[name]!, path: `${path}/@${name}`, mode: modeOf(name) })
  }
  const elements = hasElements(element)
  const textPath = `${path}/text()`
  const textMode = modeOf('#text')
  let text: Value | undefined
  if (!elements) {
    const value = textOf(element)
    if (value.trim() !== '') text = { name: '#text', value, path: textPath, mode: textMode }
  }
  const children: StepChild[] = elements
    ? childIdentities(element, names, facts.compiled).map((c) => ({ segment: c.segment, name: c.element.name, element: c.element, head: facts.compiled.heads.has(c.element.name), step: undefined, stripped: undefined, plain: undefined }))
    : []
  return { element, path, names, mode, attributes, hasElements: elements, text, textPath, textMode, children }
}

function childStep(parent: Step, child: StepChild, facts: LayerFacts): Step {
  return (child.step ??= stepOf(child.element, `${parent.path}/${child.segment}`, [...parent.names, child.name], facts))
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

/** Whether an element has only whitespace text (or nothing): an added child replaces it. */
function blank(element: Element): boolean {
  for (let ci = 0; ci < element.children.length; ci++) { const c = element.children[ci]!; if (c.type !== 'text' || c.value.trim() !== '') return false }
  return true
}

/** One merge: the state of merging layers into one base, each in turn. */
class Merge {
  readonly root: Mutable
  readonly conflicts: Conflict[] = []
  readonly provenance: Provenance[] = []
  /**
   * Elements this merge copied and may change (every other node is shared and never written),
   * with their children's identities once asked for. Those are kept until a write below a child
   * changes that child's identity (a filled-in key): then they are computed again on next use.
   */
  private readonly owned = new Map<Element, Children | undefined>()
  // Who holds each value, when a layer tracks it or a `require` settles one (else never made).
  private holders: Map<string, Holder> | undefined
  private writes = 0
  // The layer being merged, and what is known of it.
  private name = ''
  private facts!: LayerFacts
  private track = false
  // Who holds a value this layer wrote, per mode (one object each: holders are never changed).
  // (Made when first needed: most layers track nothing and settle nothing.)
  private fillHolder: Holder | undefined
  private requireHolder: Holder | undefined

  constructor(baseRoot: Element, private readonly compiled: CompiledKeys, private readonly force: readonly string[] | undefined) {
    this.root = this.own(baseRoot)
  }

  private own(element: Element): Mutable {
    // (Spread, not `slice()`: V8 slices a frozen array — an added subtree's — ten times slower.)
    const copy: Mutable = { type: 'element', name: element.name, attributes: copyAttributes(element.attributes), children: [...element.children] }
    this.owned.set(copy, undefined)
    return copy
  }

  /** Merges one layer; `track` says whether who holds each value must be recorded (a later `require` reads it). */
  layerInto(layer: Layer, layerRoot: Element, facts: LayerFacts, track: boolean): void {
    this.name = layer.name
    this.facts = facts
    this.track = track
    this.fillHolder = undefined
    this.requireHolder = undefined
    const root = (facts.root ??= stepOf(layerRoot, `/${layerRoot.name}`, [layerRoot.name], facts))
    this.walk(this.root, root, layer.mode)
  }

  private held(): Map<string, Holder> {
    return (this.holders ??= new Map())
  }

  private holder(mode: Mode): Holder {
    return mode === 'fill' ? (this.fillHolder ??= { source: this.name, mode: 'fill' }) : (this.requireHolder ??= { source: this.name, mode: 'require' })
  }

  private childrenOf(target: Mutable): Children {
    let children = this.owned.get(target)
    if (!children) this.owned.set(target, (children = { names: [], segments: [], elements: [] }))
    return children
  }

  /** The identities of `target`'s children named `name` put in `children` (numbered as childIdentities numbers them), unless they are. */
  private named(children: Children, target: Mutable, names: readonly string[], name: string): void {
    if (children.names.includes(name)) return
    children.names.push(name)
    const segments = children.segments
    const start = segments.length
    // Plain segments of this name so far (made when a name has several children).
    let plains: string[] | undefined
    for (let ci = 0; ci < target.children.length; ci++) {
      const child = target.children[ci]!
      if (child.type !== 'element' || child.name !== name) continue
      const plain = segmentOf(child, names, this.compiled)
      let segment = plain
      if (segments.length > start) {
        plains ??= [segments[start]!]
        // The first keeps the plain segment; later ones with the same get `[2]`, `[3]`…
        let same = 0
        for (let i = 0; i < plains.length; i++) if (plains[i] === plain) same++
        if (same > 0) segment = `${plain}[${same + 1}]`
        plains.push(plain)
      }
      segments.push(segment)
      children.elements.push(child)
    }
  }

  /** A value that is there and differs from the wanted one, or a `require` of the same value: whether to write the wanted one. */
  private settle(path: string, current: string, wanted: string, mode: Mode): boolean {
    const name = this.name
    const holder = this.holders?.get(path) ?? baseHolder
    if (current === wanted) {
      if (mode === 'require' && holder.mode === 'fill') this.held().set(path, this.holder('require'))
      return false
    }
    if (mode === 'fill') return false // a preference yields to any value already there
    if (holder.mode === 'fill') {
      this.writes++
      this.held().set(path, this.holder('require'))
      this.provenance.push({ path, source: name, action: 'set', previous: current })
      return true
    }
    if (holder.source === 'base' && this.force !== undefined && this.force.includes(name)) {
      this.writes++
      this.held().set(path, this.holder('require'))
      this.provenance.push({ path, source: name, action: 'overridden', previous: current })
      return true
    }
    this.conflicts.push({ path, current, wanted, holder: holder.source, requester: name })
    return false
  }

  /** Registers every value of an added subtree as held by the layer. */
  private hold(step: Step, inherited: Mode): void {
    const mode = step.mode ?? inherited
    for (let i = 0; i < step.attributes.length; i++) { const value = step.attributes[i]!; this.held().set(value.path, this.holder(value.mode ?? mode)) }
    if (!step.hasElements) this.held().set(step.textPath, this.holder(step.textMode ?? mode))
    for (let i = 0; i < step.children.length; i++) this.hold(childStep(step, step.children[i]!, this.facts), mode)
  }

  /** {@link hold} where identity keys read annotations: the paths below come from the stripped copy's own identities. */
  private holdCopy(element: Element, path: string, step: Step, inherited: Mode): void {
    const mode = step.mode ?? inherited
    for (const value of step.attributes) this.held().set(`${path}/@${value.name}`, this.holder(value.mode ?? mode))
    if (!step.hasElements) this.held().set(`${path}/text()`, this.holder(step.textMode ?? mode))
    childIdentities(element, step.names, this.compiled).forEach((c, i) => this.holdCopy(c.element, `${path}/${c.segment}`, childStep(step, step.children[i]!, this.facts), mode))
  }

  /**
   * Merges one layer element into `target`; true when a write may have changed `target`'s own
   * segment (an attribute, or a child whose name a key or the alias reads: {@link CompiledKeys.heads}).
   */
  private walk(target: Mutable, step: Step, inherited: Mode): boolean {
    const elementMode = step.mode ?? inherited
    const layerName = this.name
    let touched = false
    for (let i = 0; i < step.attributes.length; i++) {
      const value = step.attributes[i]!
      const current = attributeOf(target.attributes, value.name)
      const mode = value.mode ?? elementMode
      if (current === undefined) {
        this.writes++
        writeAttribute(target.attributes, value.name, value.value)
        touched = true
        if (this.track) this.held().set(value.path, this.holder(mode))
        this.provenance.push({ path: value.path, source: layerName, action: 'added' })
      } else if (mode === 'require') {
        // A preference yields to any value already there; a requirement may clash with it.
        if (this.settle(value.path, current, value.value, mode)) { writeAttribute(target.attributes, value.name, value.value); touched = true }
      }
    }
    // (An element's own text is no part of its segment, and text is written only where there are no elements.)
    if (!step.hasElements) {
      const text = step.text
      if (text === undefined) return touched
      const mode = text.mode ?? elementMode
      if (hasElements(target)) {
        // Text where the base has elements: a preference yields, a requirement clashes.
        if (mode === 'require') this.conflicts.push({ path: text.path, current: '(elements)', wanted: text.value, holder: 'base', requester: layerName })
        return touched
      }
      const current = textOf(target)
      if (current === '') {
        this.writes++
        target.children = [{ type: 'text', value: text.value }]
        if (this.track) this.held().set(text.path, this.holder(mode))
        this.provenance.push({ path: text.path, source: layerName, action: 'added' })
      } else if (this.settle(text.path, current, text.value, mode)) target.children = [{ type: 'text', value: text.value }]
      return touched
    }
    // Identities as they were when this element's turn began: a write below a child drops them
    // for later layers, but this layer goes on matching against what it started with.
    const children = this.childrenOf(target)
    const names = step.names
    let insertAt = -1
    for (let i = 0; i < step.children.length; i++) {
      const child = step.children[i]!
      this.named(children, target, names, child.name)
      const at = indexOfSegment(children, child.segment)
      if (at >= 0) {
        const matched = children.elements[at]!
        let next = matched as Mutable
        if (!this.owned.has(next)) {
          next = this.own(matched)
          target.children[target.children.indexOf(matched)] = next
          children.elements[at] = next
        }
        const before = this.writes
        // A write below may have filled in a key of the child's identity: the cached identities
        // stay only while its segment is what it was (a numbered repeat is recomputed).
        if (this.walk(next, childStep(step, child, this.facts), elementMode) && plainSegment(next, names, this.compiled) !== children.segments[at]) this.owned.set(target, undefined)
        if (!touched && child.head && this.writes !== before) touched = true
        insertAt = target.children.indexOf(next) + 1
        continue
      }
      // New here: the whole subtree comes from this layer, after its matched predecessor.
      const added = (child.stripped ??= strip(child.element, this.facts.prefix))
      if (blank(target)) target.children = []
      const position = insertAt < 0 ? target.children.length : insertAt
      if (position === target.children.length) target.children.push(added)
      else target.children.splice(position, 0, added)
      this.writes++
      if (child.head) touched = true
      // Keep the cached identities of the siblings: add the new child's, unless its segment
      // repeats one (then numbering may shift and everything is recomputed on next use).
      if (this.owned.get(target) === children) {
        // The copy has the layer element's identity: stripping touches only annotations.
        const segment = (child.plain ??= segmentOf(added, names, this.compiled))
        if (indexOfSegment(children, segment) < 0) { children.segments.push(segment); children.elements.push(added) }
        else this.owned.set(target, undefined)
      }
      insertAt = position + 1
      const childStepped = childStep(step, child, this.facts)
      this.provenance.push({ path: childStepped.path, source: layerName, action: 'added' })
      if (this.track) {
        if (this.facts.keysReadAnnotations) this.holdCopy(added, childStepped.path, childStepped, elementMode)
        else this.hold(childStepped, elementMode)
      }
    }
    return touched
  }
}

const baseHolder: Holder = { source: 'base', mode: 'require' }

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
