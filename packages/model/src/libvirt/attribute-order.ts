// In which order libvirt writes an element's attributes (its formatter's order, whatever the input's), from the table
// tools/attribute-orders.ts makes of libvirt's test outputs. Keyed like schemaPlace: the element's, its parent's and
// its grandparent's names ('' above the root).
import { attributeOrderRows } from './attribute-orders.ts'

/** An element's attributes in the order libvirt writes them. */
export interface AttributeOrder {
  /**
   * For each attribute, the attributes libvirt writes before it (seen so in its outputs, and what follows from them);
   * a pair in neither's set has no order libvirt's outputs show.
   */
  readonly before: ReadonlyMap<string, ReadonlySet<string>>
  /** Each attribute's place in one order that keeps every `before` (attributes in rising places are in order). */
  readonly rank: ReadonlyMap<string, number>
}

/** grandparent → parent → element name → order. */
let table: Map<string, Map<string, Map<string, AttributeOrder>>> | undefined

function orderOf(attributes: string, before: string): AttributeOrder {
  const names = attributes.split(' ')
  const direct = before.split(';').map((list) => (list === '' ? [] : list.split(' ').map(Number)))
  // the rows list each attribute after all it follows: one pass gathers what follows from them
  const closure: Set<string>[] = []
  names.forEach((_, i) => {
    const set = new Set<string>()
    for (const j of direct[i]!) { set.add(names[j]!); for (const k of closure[j]!) set.add(k) }
    closure.push(set)
  })
  return { before: new Map(names.map((n, i) => [n, closure[i]!])), rank: new Map(names.map((n, i) => [n, i])) }
}

/**
 * The orders of the elements below `parent` below `grandparent`, by element name (a writer walking a tree looks up
 * each parent once, each child by its name).
 */
export function attributeOrdersBelow(grandparent: string, parent: string): ReadonlyMap<string, AttributeOrder> | undefined {
  if (table === undefined) {
    table = new Map()
    for (const [key, attributes, before] of attributeOrderRows) {
      const [g, p, n] = key.split('/') as [string, string, string]
      let byParent = table.get(g)
      if (!byParent) table.set(g, (byParent = new Map()))
      let byName = byParent.get(p)
      if (!byName) byParent.set(p, (byName = new Map()))
      byName.set(n, orderOf(attributes, before))
    }
  }
  return table.get(grandparent)?.get(parent)
}

/** The order libvirt writes the attributes of `name` below `parent` below `grandparent` in, when its outputs show one. */
export function attributeOrder(grandparent: string, parent: string, name: string): AttributeOrder | undefined {
  return attributeOrdersBelow(grandparent, parent)?.get(name)
}

/**
 * `attributes` in libvirt's order (`order`): each time, the first as given that nothing left must precede — two
 * attributes libvirt's outputs never show together keep the order given. The same object when already in order.
 */
export function inAttributeOrder(attributes: Readonly<Record<string, string>>, order: AttributeOrder): Readonly<Record<string, string>> {
  const left = Object.keys(attributes)
  let ordered = true
  for (let i = 0; i < left.length - 1 && ordered; i++) {
    const must = order.before.get(left[i]!)
    if (must !== undefined) for (let j = i + 1; j < left.length; j++) if (must.has(left[j]!)) { ordered = false; break }
  }
  if (ordered) return attributes
  const placed: Record<string, string> = {}
  while (left.length > 0) {
    let k = 0
    for (; k < left.length; k++) { const must = order.before.get(left[k]!); if (must === undefined || !left.some((o) => must.has(o))) break }
    const [name] = left.splice(k < left.length ? k : 0, 1)
    placed[name!] = attributes[name!]!
  }
  return placed
}
