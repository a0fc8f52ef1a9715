import { XmlChangeError } from './errors.ts'
import { childIdentities, compileIdentityKeys, textOf, type CompiledKeys, type Identity, type IdentityKeys } from './identity.ts'
import { attributeOf, hasAttribute, writeAttribute } from './_attributes.ts'
import { isXmlChar, isXmlName, parseXml } from './parse.ts'
import { toCanonical, toXml } from './serialize.ts'
import { rootElement, type Element, type ElementContent, type Root } from './tree.ts'

/**
 * A patch: JSON, minimal (one changed attribute is one operation), addressed by identity paths
 * so it still applies after libvirt re-ordered or re-addressed other devices. See PATCH-FORMAT.md.
 */
export interface Patch {
  readonly format: 'virtuned-patch/1'
  readonly ops: readonly PatchOp[]
}

export type PatchOp =
  | { readonly op: 'set-attribute'; readonly path: string; readonly name: string; readonly value: string; readonly from?: string }
  | { readonly op: 'remove-attribute'; readonly path: string; readonly name: string; readonly from: string }
  | { readonly op: 'set-text'; readonly path: string; readonly value: string; readonly from: string }
  | { readonly op: 'insert'; readonly path: string; readonly after: string | null; readonly xml: string; readonly as: string }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'reorder'; readonly path: string; readonly order: readonly string[] }
  | { readonly op: 'replace'; readonly path: string; readonly xml: string }

type Mutable = { type: 'element'; name: string; attributes: Record<string, string>; children: MutableContent[] }
type MutableContent = Mutable | Exclude<ElementContent, Element>

// ---- paths ------------------------------------------------------------------------

/** Splits `/a/b[k='x/y']/c` into segments, respecting quoted values (`''` is a quote). */
export function splitPath(path: string): string[] {
  if (!path.startsWith('/')) throw new XmlChangeError('patch-invalid', `Unexpected path \`${path}\`, expected it to start with \`/\``, {})
  // Segments are the text between the `/`s that separate them: a `/` inside a quoted value or inside
  // a predicate key (`[target/@dev=…]`) belongs to the segment. Slices, not per-character strings:
  // explanations split tens of thousands of paths.
  const segments: string[] = []
  let start = 1
  let quoted = false
  // Whether the last bracket of the current segment (quoted text included) opens a predicate.
  let open = false
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c === 0x27) {
      if (!quoted) quoted = true
      else if (path.charCodeAt(i + 1) === 0x27) i++
      else quoted = false
    } else if (c === 0x5b) open = true
    else if (c === 0x5d) open = false
    else if (c === 0x2f && !quoted && !open) { segments.push(path.slice(start, i)); start = i + 1 }
  }
  if (quoted) throw new XmlChangeError('patch-invalid', `Unexpected end of path \`${path}\`, expected a closing quote`, {})
  segments.push(path.slice(start))
  return segments
}

function cloneMutable(element: Element): Mutable {
  return {
    type: 'element',
    name: element.name,
    attributes: { ...element.attributes },
    children: element.children.map((c): MutableContent => (c.type === 'element' ? cloneMutable(c) : stripPosition(c))),
  }
}

function stripPosition<T extends ElementContent>(node: T): T {
  const { position: _, ...rest } = node as T & { position?: unknown }
  return rest as T
}

/** The element at an identity path, or undefined. `names` receives the element names on the way. */
function resolve(root: Mutable, path: string, keys: CompiledKeys): Mutable | undefined {
  const segments = splitPath(path)
  if (segments[0] !== root.name) return undefined
  let current = root
  const names = [root.name]
  for (let i = 1; i < segments.length; i++) {
    const found = childIdentities(current as Element, names, keys).find((c) => c.segment === segments[i])
    if (!found) return undefined
    current = found.element as Mutable
    names.push(current.name)
  }
  return current
}

// ---- diff -------------------------------------------------------------------------------

function isBlank(value: string): boolean {
  return /^[ \t\n\r]*$/.test(value)
}

/** Whether the element holds anything besides element children and layout whitespace. */
function hasMixedContent(element: Element): boolean {
  let elements = false
  let other = false
  for (const c of element.children) {
    if (c.type === 'element') elements = true
    else if (c.type === 'comment' || c.type === 'instruction') other = true
    else if (!isBlank(c.value) || c.type === 'cdata') other = true
  }
  return elements && other
}

function hasElements(element: Element): boolean {
  return element.children.some((c) => c.type === 'element')
}

function hasMisc(element: Element): boolean {
  return element.children.some((c) => c.type === 'comment' || c.type === 'instruction')
}

function diffElement(a: Element, b: Element, path: string, names: string[], keys: CompiledKeys, ops: PatchOp[]): void {
  for (const name in b.attributes) {
    const to = b.attributes[name]!
    const from = attributeOf(a.attributes, name)
    if (from !== to) ops.push(from === undefined ? { op: 'set-attribute', path, name, value: to } : { op: 'set-attribute', path, name, value: to, from })
  }
  for (const name in a.attributes) {
    if (!hasAttribute(b.attributes, name)) ops.push({ op: 'remove-attribute', path, name, from: a.attributes[name]! })
  }
  // Comments, instructions or text beside elements: compared as a whole, replaced as a whole.
  if (hasMixedContent(a) || hasMixedContent(b) || hasMisc(a) || hasMisc(b)) {
    const content = (e: Element) => toCanonical({ ...e, attributes: {} })
    if (content(a) !== content(b)) ops.push({ op: 'replace', path, xml: toXml(b, { style: 'preserve' }) })
    return
  }
  // Elements on one side, text on the other: nothing to match, so the content is replaced. Old
  // whitespace may turn into layout, but new whitespace without elements is content (toCanonical rule 4).
  if (hasElements(a) !== hasElements(b) && (hasElements(a) ? textOf(b) !== '' : !isBlank(textOf(a)))) {
    ops.push({ op: 'replace', path, xml: toXml(b, { style: 'preserve' }) })
    return
  }
  if (!hasElements(a) && !hasElements(b)) {
    const from = textOf(a)
    const value = textOf(b)
    if (from !== value) ops.push({ op: 'set-text', path, value, from })
    return
  }
  const before = childIdentities(a, names, keys)
  const after = childIdentities(b, names, keys)
  const inA = new Map(before.map((c, i) => [c.segment, i]))
  const inB = new Set(after.map((c) => c.segment))
  // Last first, so that the `[n]` of same-identity siblings still names the same element.
  for (const c of [...before].reverse()) if (!inB.has(c.segment)) ops.push({ op: 'remove', path: `${path}/${c.segment}` })
  // Matched children in a new order: one `reorder` of their identities (never positional moves,
  // whose `[n]` numbering would shift under them).
  const matched = after.filter((c) => inA.has(c.segment))
  if (matched.some((c, i) => i > 0 && inA.get(c.segment)! < inA.get(matched[i - 1]!.segment)!)) {
    ops.push({ op: 'reorder', path, order: matched.map((c) => c.segment) })
  }
  let previous: string | null = null
  for (const c of after) {
    if (!inA.has(c.segment)) ops.push({ op: 'insert', path, after: previous, xml: toXml(c.element, { style: 'preserve' }), as: c.segment })
    previous = c.segment
  }
  for (const c of after) {
    const i = inA.get(c.segment)
    if (i !== undefined) diffElement(before[i]!.element, c.element, `${path}/${c.segment}`, [...names, c.element.name], keys, ops)
  }
}

/** The patch that turns tree `a` into tree `b`, matching children by identity keys. */
export function diffTrees(a: Root, b: Root, keys: IdentityKeys): Patch {
  const compiled = compileIdentityKeys(keys)
  const ra = rootElement(a)!
  const rb = rootElement(b)!
  const ops: PatchOp[] = []
  if (ra.name !== rb.name) ops.push({ op: 'replace', path: `/${ra.name}`, xml: toXml(rb, { style: 'preserve' }) })
  else diffElement(ra, rb, `/${ra.name}`, [ra.name], compiled, ops)
  return { format: 'virtuned-patch/1', ops }
}

// ---- apply -----------------------------------------------------------------------------

function parseElement(xml: string, index: number, path: string): Mutable {
  try {
    return cloneMutable(rootElement(parseXml(xml, { positions: false }))!)
  } catch (error) {
    throw new XmlChangeError('patch-invalid', `Operation ${index} (${path}) carries XML that does not parse`, { index, path, cause: error })
  }
}

/** Index in `children` just after the element `after` (null: before the first element child). */
function insertionIndex(parent: Mutable, after: string | null, names: readonly string[], keys: CompiledKeys, index: number, path: string): number {
  if (after === null) {
    const first = parent.children.findIndex((c) => c.type === 'element')
    return first < 0 ? parent.children.length : first
  }
  const found = childIdentities(parent as Element, names, keys).find((c) => c.segment === after)
  if (!found) throw new XmlChangeError('patch-target-missing', `Operation ${index}: no sibling \`${after}\` under \`${path}\` to insert after`, { index, path })
  return found.index + 1
}

function pathNames(root: Mutable, path: string, keys: CompiledKeys): string[] {
  const names: string[] = []
  let current: Mutable | undefined = root
  const segments = splitPath(path)
  names.push(root.name)
  for (let i = 1; i < segments.length && current; i++) {
    current = resolve(root, '/' + segments.slice(0, i + 1).join('/'), keys)
    if (current) names.push(current.name)
  }
  return names
}

/** A value a patch writes must be text XML 1.0 can carry: the serializer escapes markup, but no escape spells U+0001. */
function checkValue(value: unknown, index: number, op: PatchOp): void {
  if (typeof value !== 'string') throw new XmlChangeError('patch-invalid', `Operation ${index} (${op.op}) at \`${op.path}\`: unexpected value ${JSON.stringify(value)}, expected a string`, { index, path: op.path })
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++ }
    }
    if (!isXmlChar(c)) {
      throw new XmlChangeError('patch-invalid-value', `Operation ${index} (${op.op}) at \`${op.path}\`: unexpected character U+${c.toString(16).toUpperCase().padStart(4, '0')} in the value, expected only characters XML 1.0 allows`, { index, path: op.path })
    }
  }
}

/**
 * Apply a patch to a tree; returns a new tree (the input is not changed). All or nothing: the
 * first operation that cannot apply throws `XmlChangeError` with its index and path.
 */
export function applyPatchToTree(tree: Root, patch: Patch, keys: IdentityKeys): Root {
  if (!patch || patch.format !== 'virtuned-patch/1' || !Array.isArray(patch.ops)) {
    throw new XmlChangeError('patch-invalid', 'Unexpected patch, expected `{ format: "virtuned-patch/1", ops: [...] }`', {})
  }
  const compiled = compileIdentityKeys(keys)
  const source = rootElement(tree)!
  let root = cloneMutable(source)
  patch.ops.forEach((op, index) => {
    const missing = (what = op.path) => new XmlChangeError('patch-target-missing', `Operation ${index} (${op.op}): nothing at \`${what}\``, { index, path: op.path })
    const precondition = (found: string | undefined, expected: string | undefined) =>
      new XmlChangeError('patch-precondition-failed', `Operation ${index} (${op.op}) at \`${op.path}\`: found ${found === undefined ? 'nothing' : JSON.stringify(found)}, expected ${expected === undefined ? 'nothing' : JSON.stringify(expected)}`, { index, path: op.path })
    if (op.op === 'replace' && splitPath(op.path).length === 1) {
      if (splitPath(op.path)[0] !== root.name) throw missing()
      root = parseElement(op.xml, index, op.path)
      return
    }
    switch (op.op) {
      case 'set-attribute':
      case 'remove-attribute': {
        // What is written is checked before anything else, in the same order as the WebAssembly
        // engine (assembly/patch.ts). A removal writes nothing: a name no element has is simply not there.
        if (op.op === 'set-attribute' && (typeof op.name !== 'string' || !isXmlName(op.name))) {
          throw new XmlChangeError('patch-invalid-name', `Operation ${index} (${op.op}) at \`${op.path}\`: unexpected attribute name ${JSON.stringify(op.name)}, expected an XML name such as \`type\` or \`xmlns:ns\``, { index, path: op.path })
        }
        if (op.op === 'set-attribute') checkValue(op.value, index, op)
        const element = resolve(root, op.path, compiled)
        if (!element) throw missing()
        const current = attributeOf(element.attributes, op.name)
        if (current !== op.from) throw precondition(current, op.from)
        if (op.op === 'set-attribute') writeAttribute(element.attributes, op.name, op.value)
        else delete element.attributes[op.name]
        return
      }
      case 'set-text': {
        checkValue(op.value, index, op)
        const element = resolve(root, op.path, compiled)
        if (!element) throw missing()
        const current = textOf(element as Element)
        if (current !== op.from || element.children.some((c) => c.type === 'element')) throw precondition(current, op.from)
        element.children = op.value === '' ? [] : [{ type: 'text', value: op.value }]
        return
      }
      case 'insert': {
        const parent = resolve(root, op.path, compiled)
        if (!parent) throw missing()
        const names = pathNames(root, op.path, compiled)
        if (op.as !== undefined && childIdentities(parent as Element, names, compiled).some((c) => c.segment === op.as)) {
          throw new XmlChangeError('patch-precondition-failed', `Operation ${index} (insert) under \`${op.path}\`: \`${op.as}\` is there already`, { index, path: op.path })
        }
        const at = insertionIndex(parent, op.after, names, compiled, index, op.path)
        const added = parseElement(op.xml, index, op.path)
        parent.children.splice(at, 0, added)
        // The new element must get the identity the patch names: inserting a second `vdc` is refused.
        const segment = childIdentities(parent as Element, names, compiled).find((c) => c.element === (added as unknown as Element))?.segment
        if (op.as !== undefined && segment !== op.as) throw new XmlChangeError('patch-precondition-failed', `Operation ${index} (insert) under \`${op.path}\`: the new element would be \`${segment}\`, expected \`${op.as}\` (is it there already?)`, { index, path: op.path })
        return
      }
      case 'reorder': {
        const parent = resolve(root, op.path, compiled)
        if (!parent) throw missing()
        const identities = childIdentities(parent as Element, pathNames(root, op.path, compiled), compiled)
        const bySegment = new Map(identities.map((c) => [c.segment, c]))
        const order: readonly string[] = op.order
        const listed = order.map((segment: string): Identity => {
          const found = bySegment.get(segment)
          if (!found) throw missing(`${op.path}/${segment}`)
          return found
        })
        // The listed elements trade places among the slots they occupy; everything else stays.
        const slots = listed.map((c: Identity) => c.index).sort((x: number, y: number) => x - y)
        const elements = listed.map((c: Identity) => c.element as Mutable)
        slots.forEach((slot: number, i: number) => { parent.children[slot] = elements[i]! })
        return
      }
      case 'remove':
      case 'replace': {
        const segments = splitPath(op.path)
        const parentPath = '/' + segments.slice(0, -1).join('/')
        const parent = resolve(root, parentPath, compiled)
        const names = parent ? pathNames(root, parentPath, compiled) : []
        const found = parent && childIdentities(parent as Element, names, compiled).find((c) => c.segment === segments[segments.length - 1])
        if (!parent || !found) throw missing()
        if (op.op === 'replace') { parent.children[found.index] = parseElement(op.xml, index, op.path); return }
        parent.children.splice(found.index, 1)
        // The last element child gone: the whitespace that laid out the list goes with it.
        if (!parent.children.some((c) => c.type === 'element') && parent.children.every((c) => c.type === 'text' && isBlank(c.value))) parent.children = []
        return
      }
      default:
        throw new XmlChangeError('patch-invalid', `Operation ${index}: unknown op ${JSON.stringify((op as { op: unknown }).op)}`, { index, path: (op as { path?: string }).path ?? '' })
    }
  })
  const children = tree.children.map((c) => (c === source ? (root as Element) : stripPosition(c)))
  return { type: 'root', children }
}
