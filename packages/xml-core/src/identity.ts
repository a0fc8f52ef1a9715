import { attributeOf } from './_attributes.ts'
import { XmlEngineError } from './errors.ts'
import { rootElement, type Element, type ElementContent, type Root } from './tree.ts'

/**
 * How siblings are matched between two documents: never by position alone.
 *
 * A rule names the element by its path from the root (`domain/devices/disk`; `*` matches any one
 * name) and lists the key expressions that identify it among its siblings:
 * `@attr` (an attribute), `child/@attr` (an attribute of the first such child), `child` (the text of
 * the first such child). `@@position` in a key list means "by order among same-name siblings",
 * for elements that have nothing better (say so in the rule's `note`).
 *
 * Matching, for each child element:
 * 1. a user alias (`alias/@name` starting `ua-`) when `userAliases` is on: libvirt keeps it across
 *    define, start and hot-plug, so it beats everything;
 * 2. else the first rule whose path matches: the values of its keys;
 * 3. else the element name alone (singletons such as `<os>` or `<memory>`).
 * Siblings that share an identity are told apart by their order among those that share it: the
 * first keeps the plain segment, the next are `[2]`, `[3]`… — a documented fallback.
 */
export interface IdentityRule {
  /**
   * Element path from the root, `/`-separated; `*` matches any single name. The last segment may
   * hold one predicate on the element's own attribute, `hostdev[@type='usb']`, for kinds whose
   * identity depends on their type. The first matching rule wins, so put such rules first.
   */
  readonly path: string
  /** Key expressions; see {@link IdentityRule}. */
  readonly key: readonly string[]
  /** Why this key (shown in docs and errors). */
  readonly note?: string
  /**
   * Key values compared as libvirt writes them back, by key expression: `lowercase` (ASCII, for
   * MACs), `decimal`, or `hex1`…`hex8` (`0x`, lower-case, at least that many digits: a PCI bus
   * is `hex2`) for numbers read as libvirt reads them (C `strtol` base 0: `0x` hex, leading `0`
   * octal, else decimal; up to 0xffffffff, anything else is left as written). Identity paths
   * carry the normalised value: `hostdev[source/address/@bus='0x01']` for `bus='1'`.
   */
  readonly normalize?: Readonly<Record<string, KeyNormalization>>
}

/** How a key value is normalised before it is compared (see {@link IdentityRule.normalize}). */
export type KeyNormalization = 'lowercase' | 'decimal' | 'hex1' | 'hex2' | 'hex3' | 'hex4' | 'hex5' | 'hex6' | 'hex7' | 'hex8'

const normalizations = new Set<string>(['lowercase', 'decimal', 'hex1', 'hex2', 'hex3', 'hex4', 'hex5', 'hex6', 'hex7', 'hex8'])

/** A number as libvirt reads it (`strtol` base 0, unsigned, at most 0xffffffff), or undefined. */
function libvirtNumber(value: string): number | undefined {
  let n: number
  if (/^0[xX][0-9a-fA-F]{1,8}$/.test(value)) n = Number.parseInt(value.slice(2), 16)
  else if (/^0[0-7]{0,11}$/.test(value)) n = value.length === 1 ? 0 : Number.parseInt(value.slice(1), 8)
  else if (/^[1-9][0-9]{0,9}$/.test(value)) n = Number(value)
  else return undefined
  return n <= 0xffffffff ? n : undefined
}

/**
 * A key value as libvirt writes it back (MACs in lower case, PCI addresses as `0x%02x`…), so two
 * spellings of one device compare equal in merge, diff, patch and matching alike. Both engines
 * implement it; a value that is not what the form expects is returned as written.
 */
export function normalizeKeyValue(value: string, form: KeyNormalization): string {
  if (form === 'lowercase') return value.replace(/[A-Z]+/g, (m) => m.toLowerCase())
  const n = libvirtNumber(value)
  if (n === undefined) return value
  return form === 'decimal' ? String(n) : '0x' + n.toString(16).padStart(Number(form.slice(3)), '0')
}

export interface IdentityKeys {
  readonly rules: readonly IdentityRule[]
  /** Match by `alias/@name` when it starts with `ua-` (default true). */
  readonly userAliases?: boolean
}

const keyPattern = /^(?:@@position|@[^/@\s]+|[^/@\s]+(?:\/[^/@\s]+)*(?:\/@[^/@\s]+)?)$/

const compiledTables = new WeakMap<IdentityKeys, CompiledKeys>()

/**
 * Validates a table (throws `engine-bad-option` naming the bad entry) and compiles it for lookups.
 * Tables are plain data and treated as immutable: a compiled table is kept per table object.
 */
export function compileIdentityKeys(keys: IdentityKeys): CompiledKeys {
  const known = keys && typeof keys === 'object' ? compiledTables.get(keys) : undefined
  if (known) return known
  const compiled = compileTable(keys)
  if (keys && typeof keys === 'object') compiledTables.set(keys, compiled)
  return compiled
}

function compileTable(keys: IdentityKeys): CompiledKeys {
  if (!keys || !Array.isArray(keys.rules)) throw new XmlEngineError('engine-bad-option', 'Unexpected identity keys, expected `{ rules: [{ path, key: [] }] }`')
  const rules = keys.rules.map((rule, i) => {
    if (!rule || typeof rule.path !== 'string' || !/^[^/\s[]+(\/[^/\s[]+)*(\[@[^/\s=[\]]+='[^'/\s]*'\])?$/.test(rule.path)) {
      throw new XmlEngineError('engine-bad-option', `Unexpected identity rule ${i} path ${JSON.stringify(rule?.path)}, expected names separated by \`/\` such as \`domain/devices/disk\`, the last one optionally with \`[@attr='value']\``)
    }
    if (!Array.isArray(rule.key) || rule.key.some((k: unknown) => typeof k !== 'string' || !keyPattern.test(k))) {
      throw new XmlEngineError('engine-bad-option', `Unexpected identity rule ${i} (${rule.path}) key ${JSON.stringify(rule.key)}, expected expressions such as \`@type\`, \`target/@dev\` or \`serial\``)
    }
    const segments = rule.path.split('/')
    const last = segments[segments.length - 1]!
    const predicate = /^([^[]+)\[@([^=]+)='([^']*)'\]$/.exec(last)
    if (predicate) segments[segments.length - 1] = predicate[1]!
    const normalize = rule.normalize
    if (normalize !== undefined && (typeof normalize !== 'object' || normalize === null || Object.entries(normalize).some(([k, form]) => !rule.key.includes(k) || typeof form !== 'string' || !normalizations.has(form)))) {
      throw new XmlEngineError('engine-bad-option', `Unexpected identity rule ${i} (${rule.path}) normalize ${JSON.stringify(normalize)}, expected key expressions of the rule mapped to \`lowercase\`, \`decimal\` or \`hex1\`…\`hex8\``)
    }
    const forms = rule.key.map((k: string) => (normalize && Object.hasOwn(normalize, k) ? normalize[k] : undefined))
    return { segments, key: rule.key.map((k: string) => k.split('/')), keyText: [...rule.key] as string[], forms, order: i, ...(predicate ? { when: { attribute: predicate[2]!, value: predicate[3]! } } : {}) }
  })
  // Rules by depth, then last name (`disk`, `*`): a child's candidates are two lookups, not a scan.
  const byLast = new Map<number, Map<string, (typeof rules)[number][]>>()
  for (const rule of rules) {
    let named = byLast.get(rule.segments.length)
    if (!named) byLast.set(rule.segments.length, (named = new Map()))
    const last = rule.segments[rule.segments.length - 1]!
    const list = named.get(last)
    if (list) list.push(rule)
    else named.set(last, [rule])
  }
  const userAliases = keys.userAliases ?? true
  const heads = new Set<string>(userAliases ? ['alias'] : [])
  for (const rule of rules) for (const steps of rule.key) if (!steps[0]!.startsWith('@')) heads.add(steps[0]!)
  return { rules, byLast, userAliases, heads }
}

interface CompiledRule { readonly segments: readonly string[]; readonly key: readonly (readonly string[])[]; readonly keyText: readonly string[]; readonly forms: readonly (KeyNormalization | undefined)[]; readonly order: number; readonly when?: { readonly attribute: string; readonly value: string } }

export interface CompiledKeys {
  readonly rules: readonly CompiledRule[]
  readonly byLast: ReadonlyMap<number, ReadonlyMap<string, readonly CompiledRule[]>>
  readonly userAliases: boolean
  /**
   * Names of the children a segment can read (the first step of a key, `alias`): a change below
   * an element outside its attributes and these children leaves its segment as it was.
   */
  readonly heads: ReadonlySet<string>
}

function firstChild(element: Element, name: string): Element | undefined {
  for (let ci = 0; ci < element.children.length; ci++) { const child = element.children[ci]!; if (child.type === 'element' && child.name === name) return child }
  return undefined
}

/** Text content of an element (text and CDATA joined). */
export function textOf(element: Element): string {
  let out = ''
  for (let ci = 0; ci < element.children.length; ci++) { const child = element.children[ci]!; if (child.type === 'text' || child.type === 'cdata') out += child.value }
  return out
}

function evaluate(element: Element, expression: readonly string[]): string | undefined {
  let current: Element | undefined = element
  for (let i = 0; i < expression.length; i++) {
    const step = expression[i]!
    if (step.startsWith('@')) return attributeOf(current.attributes, step.slice(1))
    current = firstChild(current, step)
    if (!current) return undefined
  }
  return textOf(current).trim()
}

function firstMatch(candidates: readonly CompiledRule[] | undefined, parentPath: readonly string[], element: Element): CompiledRule | undefined {
  if (!candidates) return undefined
  for (const rule of candidates) {
    if (rule.when && attributeOf(element.attributes, rule.when.attribute) !== rule.when.value) continue
    let ok = true
    for (let i = 0; i < parentPath.length; i++) {
      const s = rule.segments[i]!
      if (s !== '*' && s !== parentPath[i]) { ok = false; break }
    }
    if (ok) return rule
  }
  return undefined
}

/** The first rule, in table order, for a child named `name` under `parentPath`. */
function ruleFor(keys: CompiledKeys, parentPath: readonly string[], name: string, element: Element): CompiledRule | undefined {
  const atDepth = keys.byLast.get(parentPath.length + 1)
  if (!atDepth) return undefined
  const named = firstMatch(atDepth.get(name), parentPath, element)
  const any = firstMatch(atDepth.get('*'), parentPath, element)
  return named && any ? (named.order < any.order ? named : any) : named ?? any
}

/** One child's identity among its siblings: a path segment such as `disk[target/@dev='vda']`. */
export interface Identity {
  /** The segment as written in identity paths (see PATCH-FORMAT.md). */
  readonly segment: string
  readonly element: Element
  /** Index of the element in its parent's `children`. */
  readonly index: number
}

function quote(value: string): string {
  return "'" + (value.includes("'") ? value.replaceAll("'", "''") : value) + "'"
}

/**
 * The identities of an element's child elements, in document order. `path` is the element's own
 * path from the root (names only), e.g. `['domain', 'devices']`.
 */
export function childIdentities(parent: Element, path: readonly string[], keys: CompiledKeys): Identity[] {
  const base: { segment: string; element: Element; index: number }[] = []
  parent.children.forEach((child: ElementContent, index) => {
    if (child.type !== 'element') return
    base.push({ segment: plainSegment(child, path, keys), element: child, index })
  })
  // Siblings with the same identity are told apart by their order among them: the first keeps the
  // plain segment (so adding a second one leaves the first where it was), later ones get `[2]`, `[3]`…
  const seen = new Map<string, number>()
  return base.map((b) => {
    const n = (seen.get(b.segment) ?? 0) + 1
    seen.set(b.segment, n)
    return n === 1 ? b : { ...b, segment: `${b.segment}[${n}]` }
  })
}

/**
 * A child's identity segment before siblings that share it are numbered (`[2]`, `[3]`…): what
 * the child alone says, under its parent's `path`. {@link childIdentities} numbers the repeats.
 */
export function plainSegment(child: Element, path: readonly string[], keys: CompiledKeys): string {
  const alias = keys.userAliases ? firstChild(child, 'alias')?.attributes['name'] : undefined
  if (alias !== undefined && alias.startsWith('ua-')) return `${child.name}[alias/@name=${quote(alias)}]`
  const rule = ruleFor(keys, path, child.name, child)
  if (!rule || rule.key.length === 0 || (rule.key.length === 1 && rule.key[0]![0] === '@@position')) return child.name
  let segment = child.name
  // A key the element lacks reads `[not(key)]`, as in XPath: `[key='']` would select nothing.
  for (let i = 0; i < rule.key.length; i++) {
    const raw = evaluate(child, rule.key[i]!)
    const form = rule.forms[i]
    const value = raw === undefined || form === undefined ? raw : normalizeKeyValue(raw, form)
    segment += value === undefined ? `[not(${rule.keyText[i]})]` : `[${rule.keyText[i]}=${quote(value)}]`
  }
  return segment
}

/**
 * The identity segments of an element's child elements, in document order (`disk[target/@dev='vda']`,
 * `video[2]`): what merge provenance and patches call them. `path` is the element's own path
 * from the root, names only (`['domain', 'devices']`).
 */
export function childSegments(parent: Element, path: readonly string[], keys: IdentityKeys): string[] {
  return childIdentities(parent, path, compileIdentityKeys(keys)).map((c) => c.segment)
}

/**
 * Every element, attribute (but namespace declarations) and text of a document as identity paths
 * — the same paths merge provenance and patches use — in document order.
 */
export function valuePaths(tree: Root, keys: IdentityKeys): string[] {
  const compiled = compileIdentityKeys(keys)
  const root = rootElement(tree)
  const out: string[] = []
  if (!root) return out
  const walk = (e: Element, path: string, names: string[]): void => {
    out.push(path)
    for (const name of Object.keys(e.attributes)) if (name !== 'xmlns' && !name.startsWith('xmlns:')) out.push(`${path}/@${name}`)
    const elements = e.children.some((c) => c.type === 'element')
    if (!elements && textOf(e).trim() !== '') out.push(`${path}/text()`)
    for (const c of childIdentities(e, names, compiled)) walk(c.element, `${path}/${c.segment}`, [...names, c.element.name])
  }
  walk(root, `/${root.name}`, [root.name])
  return out
}
