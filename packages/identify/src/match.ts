import { normalizeKeyValue, parseXml, rootElement, type Element, type Root } from '@virtuned/xml-core'
import { aliasOf, isUserAlias } from './alias.ts'
import { IdentityError } from './errors.ts'
import { childElement, devicesOf as modelDevicesOf, identityRuleOf, textOf } from '@virtuned/model'
import { identityRules, type IdentityRule } from './rules.ts'

/** One device of a domain, with where it is and what identifies it. */
export interface DeviceRef {
  readonly kind: string
  /** Index among the element children of `<devices>`. */
  readonly index: number
  readonly element: Element
  /** How it reads as an identity, e.g. `disk[target/@dev='vda']` or `interface[alias/@name='ua-net0']`. */
  readonly identity: string
}

/** Two versions of the same device, and what told them apart from the others. */
export interface DevicePair {
  readonly before: DeviceRef
  readonly after: DeviceRef
  /**
   * `alias`: a user alias; `key`: the kind's identity keys; `partial`: a key libvirt filled in on one
   * side, with every value the other side has agreeing, and no other candidate; `position`: order,
   * for kinds that have nothing else (video, hubs, identical singletons).
   */
  readonly by: 'alias' | 'key' | 'partial' | 'position'
}

/** Devices that could be the same but nothing says which is which: reported, never guessed. */
export interface AmbiguousMatch {
  readonly kind: string
  readonly identity: string
  readonly before: readonly DeviceRef[]
  readonly after: readonly DeviceRef[]
}

export interface MatchResult {
  readonly pairs: readonly DevicePair[]
  readonly added: readonly DeviceRef[]
  readonly removed: readonly DeviceRef[]
  readonly ambiguous: readonly AmbiguousMatch[]
}

type DomainInput = Root | Element | string | Uint8Array

function devicesOf(input: DomainInput): Element[] {
  const root = typeof input === 'string' || input instanceof Uint8Array ? rootElement(parseXml(input)) : input.type === 'root' ? rootElement(input) : input
  if (!root) return []
  if (root.name !== 'domain') throw new IdentityError('identify-not-a-device', `Unexpected \`<${root.name}>\`, expected \`<domain>\``)
  return withControllerIndexes(modelDevicesOf(root))
}

/**
 * Controllers written without `index` (virt-install's style) get the index libvirt gives them: per
 * type, in document order, the lowest one no other controller of that type has
 * (`virDomainControllerFindUnusedIndex`). Without it they all share the identity `controller[@type=…]`.
 */
function withControllerIndexes(devices: Element[]): Element[] {
  if (!devices.some((d) => d.name === 'controller' && d.attributes.index === undefined)) return devices
  const used = new Map<string, Set<string>>()
  const usedOf = (type: string) => used.get(type) ?? used.set(type, new Set()).get(type)!
  for (const d of devices) if (d.name === 'controller' && d.attributes.index !== undefined) usedOf(d.attributes.type ?? '').add(String(Number(d.attributes.index)))
  return devices.map((d) => {
    if (d.name !== 'controller' || d.attributes.index !== undefined) return d
    const taken = usedOf(d.attributes.type ?? '')
    let index = 0
    while (taken.has(String(index))) index++
    taken.add(String(index))
    return { ...d, attributes: { ...d.attributes, index: String(index) } }
  })
}

/** The value of a key expression, or undefined when the device does not have it. */
export function evaluateKey(element: Element, expression: string): string | undefined {
  let current: Element | undefined = element
  for (const step of expression.split('/')) {
    if (step.startsWith('@')) return current.attributes[step.slice(1)]
    current = childElement(current, step)
    if (!current) return undefined
  }
  // A text key is compared trimmed, as xml-core's identity (merge, diff) compares it.
  return textOf(current).trim()
}


function quote(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'"
}

/**
 * Values libvirt rewrites when it formats a domain — MACs in lower case, host addresses in its own
 * number format — compared as it writes them, by the rule's `normalize` (the same declaration and
 * the same function xml-core's merge and diff use).
 */
function normalise(rule: IdentityRule, expression: string, value: string | undefined): string | undefined {
  const form = rule.normalize && Object.hasOwn(rule.normalize, expression) ? rule.normalize[expression] : undefined
  return value === undefined || form === undefined ? value : normalizeKeyValue(value, form)
}

/** The identity of one device under a rule table: the key as data and as a readable string. */
export function identityOf(element: Element, rules: readonly IdentityRule[] = identityRules): { identity: string; complete: boolean; by: DevicePair['by'] } {
  const alias = aliasOf(element)
  if (alias !== undefined && isUserAlias(alias)) return { identity: `${element.name}[alias/@name=${quote(alias)}]`, complete: true, by: 'alias' }
  const rule = identityRuleOf(element, rules)
  if (!rule) return { identity: element.name, complete: true, by: 'position' }
  let complete = true
  let identity = element.name
  for (const key of rule.keys) {
    const value = normalise(rule, key, evaluateKey(element, key))
    if (value === undefined) complete = false
    if (value !== undefined) identity += `[${key}=${quote(value)}]`
  }
  return { identity, complete, by: rule.by === 'position' ? 'position' : 'key' }
}

/**
 * The devices of `before` and `after` that are the same device (inactive vs live XML, before vs after
 * hot-plug, before vs after libvirt filled in addresses), plus those added and removed. Devices that
 * share an identity are paired by order only for kinds that have nothing else (video, hubs, …);
 * otherwise they are reported in `ambiguous`.
 */
export function matchDevices(before: DomainInput, after: DomainInput, rules: readonly IdentityRule[] = identityRules): MatchResult {
  const describe = (elements: Element[]) => elements.map((element, index) => ({ ref: { kind: element.name, index, element, identity: identityOf(element, rules).identity } as DeviceRef, id: identityOf(element, rules) }))
  const a = describe(devicesOf(before))
  const b = describe(devicesOf(after))
  const pairs: DevicePair[] = []
  const ambiguous: AmbiguousMatch[] = []
  const usedA = new Set<number>()
  const usedB = new Set<number>()

  // Group by identity; equal groups of one pair up, positional kinds pair in order.
  const groups = new Map<string, { a: typeof a; b: typeof b }>()
  for (const x of a) { const g = groups.get(x.id.identity) ?? { a: [], b: [] }; g.a.push(x); groups.set(x.id.identity, g) }
  for (const y of b) { const g = groups.get(y.id.identity) ?? { a: [], b: [] }; g.b.push(y); groups.set(y.id.identity, g) }
  for (const [identity, group] of groups) {
    if (group.a.length === 0 || group.b.length === 0) continue
    const by = group.a[0]!.id.by
    if (group.a.length === 1 && group.b.length === 1) {
      pairs.push({ before: group.a[0]!.ref, after: group.b[0]!.ref, by })
    } else if (by === 'position' || identityRuleOf(group.a[0]!.ref.element, rules)?.by === 'singleton') {
      const n = Math.min(group.a.length, group.b.length)
      for (let i = 0; i < n; i++) pairs.push({ before: group.a[i]!.ref, after: group.b[i]!.ref, by: 'position' })
      for (let i = 0; i < n; i++) { usedA.add(group.a[i]!.ref.index); usedB.add(group.b[i]!.ref.index) }
      continue
    } else {
      ambiguous.push({ kind: group.a[0]!.ref.kind, identity, before: group.a.map((x) => x.ref), after: group.b.map((y) => y.ref) })
      for (const x of group.a) usedA.add(x.ref.index)
      for (const y of group.b) usedB.add(y.ref.index)
      continue
    }
    usedA.add(group.a[0]!.ref.index)
    usedB.add(group.b[0]!.ref.index)
  }

  // Keys libvirt fills in (a controller's index, an interface's MAC, a console's port): a device
  // whose key is incomplete pairs with the one device of its kind whose values agree with every
  // key and shape value it does have. Several candidates: reported, not guessed.
  for (const rule of rules) {
    const exprs = [...rule.keys, ...(rule.shape ?? [])]
    const fits = (e: Element) => identityRuleOf(e, rules) === rule
    const agree = (partial: Element, full: Element) => exprs.every((k) => {
      const v = normalise(rule, k, evaluateKey(partial, k))
      return v === undefined || v === normalise(rule, k, evaluateKey(full, k))
    })
    for (const [left, right, usedLeft, usedRight, leftIsBefore] of [[a, b, usedA, usedB, true], [b, a, usedB, usedA, false]] as const) {
      for (const x of left) {
        if (usedLeft.has(x.ref.index) || !fits(x.ref.element) || x.id.complete) continue
        const candidates = right.filter((y) => !usedRight.has(y.ref.index) && fits(y.ref.element) && agree(x.ref.element, y.ref.element))
        if (candidates.length === 0) continue
        usedLeft.add(x.ref.index)
        if (candidates.length === 1) {
          const y = candidates[0]!
          usedRight.add(y.ref.index)
          pairs.push(leftIsBefore ? { before: x.ref, after: y.ref, by: 'partial' } : { before: y.ref, after: x.ref, by: 'partial' })
        } else {
          ambiguous.push({ kind: rule.kind, identity: x.ref.identity, before: leftIsBefore ? [x.ref] : candidates.map((c) => c.ref), after: leftIsBefore ? candidates.map((c) => c.ref) : [x.ref] })
        }
      }
    }
  }

  pairs.sort((p, q) => p.before.index - q.before.index)
  return {
    pairs,
    added: b.filter((y) => !usedB.has(y.ref.index)).map((y) => y.ref),
    removed: a.filter((x) => !usedA.has(x.ref.index)).map((x) => x.ref),
    ambiguous,
  }
}
