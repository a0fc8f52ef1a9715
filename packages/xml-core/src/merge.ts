import { XmlChangeError } from './errors.ts'
import { childIdentities, compileIdentityKeys, textOf, type CompiledKeys, type IdentityKeys } from './identity.ts'
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

type Mutable = { type: 'element'; name: string; attributes: Record<string, string>; children: (Mutable | Exclude<ElementContent, Element>)[] }
interface Holder { readonly source: string; readonly mode: 'fill' | 'require' }

function clone(element: Element, strip: (attributes: Record<string, string>) => Record<string, string>): Mutable {
  return {
    type: 'element',
    name: element.name,
    attributes: strip({ ...element.attributes }),
    children: element.children.map((c) => {
      if (c.type === 'element') return clone(c, strip)
      const { position: _, ...rest } = c as typeof c & { position?: unknown }
      return rest as Exclude<ElementContent, Element>
    }),
  }
}

function words(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/\s+/).filter(Boolean))
}

// Identities of a layer's children, by table and path. Layer documents are never changed (the merge
// copies what it adds), and callers reuse the same parsed layers across merges (defaults, policies),
// so computing them once per layer element is safe and saves most of a merge's time.
const layerIdentities = new WeakMap<CompiledKeys, WeakMap<Element, Map<string, ReturnType<typeof childIdentities>>>>()

function layerChildIdentities(element: Element, names: readonly string[], compiled: CompiledKeys): ReturnType<typeof childIdentities> {
  let byElement = layerIdentities.get(compiled)
  if (!byElement) { byElement = new WeakMap(); layerIdentities.set(compiled, byElement) }
  let byPath = byElement.get(element)
  if (!byPath) { byPath = new Map(); byElement.set(element, byPath) }
  const key = names.join('/')
  let identities = byPath.get(key)
  if (!identities) { identities = childIdentities(element, names, compiled); byPath.set(key, identities) }
  return identities
}

/**
 * Merge layers into a base document, in the order given. Lists are matched by identity keys.
 * Pure: the inputs are not changed. Conflicts are reported, never resolved silently.
 */
export function mergeTrees(base: Root, layers: readonly Layer[], keys: IdentityKeys, options: MergeOptions = {}): MergeResult {
  const compiled = compileIdentityKeys(keys)
  const force = new Set(options.force ?? [])
  const baseRoot = rootElement(base)!
  const root = clone(baseRoot, (a) => a)
  const holders = new Map<string, Holder>()
  // Identities of a base element's children, kept until a child is inserted there: each layer
  // walks the same <devices>, and recomputing 30 identities per layer dominated merge time.
  // A write below a child may change that child's identity (a filled-in key): then drop the entry.
  const identityCache = new WeakMap<Mutable, ReturnType<typeof childIdentities>>()
  let writes = 0
  const conflicts: Conflict[] = []
  const provenance: Provenance[] = []

  for (const layer of layers) {
    const layerRoot = rootElement(layer.document)!
    if (layerRoot.name !== root.name) {
      throw new XmlChangeError('merge-root-mismatch', `Unexpected layer \`${layer.name}\` with root \`<${layerRoot.name}>\`, expected \`<${root.name}>\``, { path: `/${root.name}` })
    }
    let prefix: string | undefined
    for (const [name, value] of Object.entries(layerRoot.attributes)) if (name.startsWith('xmlns:') && value === layerNamespace) prefix = name.slice(6)
    const annotation = (name: string) => prefix !== undefined && (name.startsWith(prefix + ':') || name === 'xmlns:' + prefix)
    const strip = (attributes: Record<string, string>) => {
      for (const name of Object.keys(attributes)) if (annotation(name)) delete attributes[name]
      return attributes
    }

    /** Applies one value; `read`/`write` reach the base node. */
    const apply = (path: string, current: string | undefined, wanted: string, mode: 'fill' | 'require', set: (value: string) => void): void => {
      const write = (value: string) => { writes++; set(value) }
      if (current === undefined) {
        write(wanted)
        holders.set(path, { source: layer.name, mode })
        provenance.push({ path, source: layer.name, action: 'added' })
        return
      }
      const holder = holders.get(path) ?? { source: 'base', mode: 'require' }
      if (current === wanted) {
        if (mode === 'require' && holder.mode === 'fill') holders.set(path, { source: layer.name, mode })
        return
      }
      if (mode === 'fill') return // a preference yields to any value already there
      if (holder.mode === 'fill') {
        write(wanted)
        holders.set(path, { source: layer.name, mode })
        provenance.push({ path, source: layer.name, action: 'set', previous: current })
        return
      }
      if (holder.source === 'base' && force.has(layer.name)) {
        write(wanted)
        holders.set(path, { source: layer.name, mode })
        provenance.push({ path, source: layer.name, action: 'overridden', previous: current })
        return
      }
      conflicts.push({ path, current, wanted, holder: holder.source, requester: layer.name })
    }

    /** Registers every value of an added subtree as held by this layer. */
    const hold = (element: Mutable, path: string, names: string[], mode: 'fill' | 'require', source: Element): void => {
      const elementMode = modeOf(source, mode)
      for (const name of Object.keys(element.attributes)) holders.set(`${path}/@${name}`, { source: layer.name, mode: valueMode(source, name, elementMode) })
      if (!element.children.some((c) => c.type === 'element')) holders.set(`${path}/text()`, { source: layer.name, mode: valueMode(source, '#text', elementMode) })
      const added = childIdentities(element as unknown as Element, names, compiled)
      const sources = layerChildIdentities(source, names, compiled)
      added.forEach((c, i) => hold(c.element as unknown as Mutable, `${path}/${c.segment}`, [...names, c.element.name], elementMode, sources[i]!.element))
    }

    const modeOf = (element: Element, inherited: 'fill' | 'require'): 'fill' | 'require' => {
      const value = prefix === undefined ? undefined : element.attributes[`${prefix}:mode`]
      return value === 'require' || value === 'fill' ? value : inherited
    }
    const valueMode = (element: Element, name: string, elementMode: 'fill' | 'require'): 'fill' | 'require' => {
      if (prefix === undefined) return elementMode
      if (words(element.attributes[`${prefix}:require`]).has(name)) return 'require'
      if (words(element.attributes[`${prefix}:fill`]).has(name)) return 'fill'
      return elementMode
    }

    const walk = (target: Mutable, source: Element, path: string, names: string[], inherited: 'fill' | 'require'): void => {
      const elementMode = modeOf(source, inherited)
      for (const [name, value] of Object.entries(source.attributes)) {
        if (annotation(name)) continue
        apply(`${path}/@${name}`, target.attributes[name], value, valueMode(source, name, elementMode), (v) => { target.attributes[name] = v })
      }
      const sourceHasElements = source.children.some((c) => c.type === 'element')
      if (!sourceHasElements) {
        const text = textOf(source)
        if (text.trim() !== '') {
          const targetHasElements = target.children.some((c) => c.type === 'element')
          const current = targetHasElements ? undefined : textOf(target as unknown as Element)
          if (targetHasElements) {
            // Text where the base has elements: a preference yields, a requirement clashes.
            if (valueMode(source, '#text', elementMode) === 'require') conflicts.push({ path: `${path}/text()`, current: '(elements)', wanted: text, holder: 'base', requester: layer.name })
          } else {
            apply(`${path}/text()`, current === '' ? undefined : current, text, valueMode(source, '#text', elementMode), (v) => { target.children = [{ type: 'text', value: v }] })
          }
        }
        return
      }
      let existing = identityCache.get(target)
      if (!existing) {
        existing = childIdentities(target as unknown as Element, names, compiled)
        identityCache.set(target, existing)
      }
      const bySegment = new Map<string, (typeof existing)[number]>(existing.map((c) => [c.segment, c]))
      let insertAt = -1
      for (const child of layerChildIdentities(source, names, compiled)) {
        const childPath = `${path}/${child.segment}`
        const childNames = [...names, child.element.name]
        const match = bySegment.get(child.segment)
        if (match) {
          const before = writes
          walk(match.element as unknown as Mutable, child.element, childPath, childNames, elementMode)
          if (writes !== before) identityCache.delete(target)
          insertAt = target.children.indexOf(match.element as unknown as Mutable) + 1
          continue
        }
        // New here: the whole subtree comes from this layer, after its matched predecessor.
        const added = clone(child.element, strip)
        if (!target.children.some((c) => c.type === 'element') && target.children.every((c) => c.type === 'text' && c.value.trim() === '')) target.children = []
        const at = insertAt < 0 ? target.children.length : insertAt
        target.children.splice(at, 0, added)
        writes++
        // Keep the cached identities of the siblings: add the new child's, unless its segment
        // repeats one (then numbering may shift and everything is recomputed on next use).
        const cached = identityCache.get(target)
        if (cached) {
          const own = childIdentities({ ...(target as unknown as Element), children: [added as unknown as Element] }, names, compiled)[0]
          if (own && !bySegment.has(own.segment)) {
            cached.push({ ...own, element: added as unknown as Element })
            bySegment.set(own.segment, cached[cached.length - 1]!)
          } else identityCache.delete(target)
        }
        insertAt = at + 1
        provenance.push({ path: childPath, source: layer.name, action: 'added' })
        hold(added, childPath, childNames, elementMode, child.element)
      }
    }
    walk(root, layerRoot, `/${root.name}`, [root.name], layer.mode)
  }

  const document: Root = {
    type: 'root',
    children: base.children.map((c) => (c === baseRoot ? (root as unknown as Element) : c)),
  }
  return { document, conflicts, provenance }
}
