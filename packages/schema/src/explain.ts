// Why a document fails: libxml2's RelaxNG messages are terse ("Element domain failed to validate
// content", "Extra element devices in interleave") because its interleave matching backtracks. The
// verdict stays libxml2's; this reads the same schema files into a small index — per element
// definition, the child elements, the attributes (with their values when the schema lists them)
// and the attributes every alternative requires — and walks the failing subtrees with it. The index
// ignores order and counts, so a finding is a real violation, never a guess; a document can still
// fail for a reason it does not see (a data type, an order), and then libxml2's words stand alone.
import { parseXml, type Element, type ElementContent, type Root } from '@virtuned/xml-core'
import type { SchemaProblem } from './validator.ts'
import { accepts, describe, type ValueAlternative } from './_values.ts'

/** A located explanation: a SchemaProblem with one of the finding codes. */
export type Finding = SchemaProblem

export interface Explainer {
  /** Findings in the subtrees of `paths` (libxml2's paths of the failing elements), in document order. */
  explain(tree: Root, paths: readonly string[]): Finding[]
  /** The definitions a document's root can match (the index itself, for tools that tabulate the schema). */
  readonly roots: readonly Definition[]
}

export interface Definition {
  /** Element names this definition matches; undefined for `<anyName/>` (anything goes below). */
  readonly name: string | undefined
  /** The definition's content patterns (for matching attribute sets). */
  readonly content: readonly Element[]
  readonly children: Definition[]
  /** Attribute name → the values it takes (listed, or data types), undefined when anything may do. */
  readonly attributes: Map<string, ValueAlternative[] | undefined>
  openAttributes: boolean
  /** Attributes present in every alternative; undefined when the definition can never match. */
  required: Set<string> | undefined
  /** Child elements present in every alternative; undefined when the definition can never match. */
  requiredChildren: Set<string> | undefined
  /** The values the text content takes, when that is all the content can be. */
  text: ValueAlternative[] | undefined
  /** Whether the element may hold text (a `text`, `data`, `value` or `list` pattern, or `mixed` content). */
  takesText: boolean
  /** The names of the child elements that may stand more than once (in a `zeroOrMore` or `oneOrMore`, or twice in a row). */
  repeatable: Set<string>
}

const collapse = (value: string): string => value.replace(/[\t\n\r ]+/g, ' ').trim()
const elements = (node: Element): Element[] => node.children.filter((c): c is Element => c.type === 'element')
const local = (name: string): string => name.slice(name.indexOf(':') + 1)

type TextShape = { kind: 'neutral' } | { kind: 'enum'; values: ValueAlternative[] } | { kind: 'other' }

export function createExplainer(files: ReadonlyMap<string, string>, start: string): Explainer {
  const defines = new Map<string, Element[]>()
  // Namespaces in the schema: each pattern's inherited `ns` and the prefixes in scope.
  const scopes = new WeakMap<Element, { readonly ns: string; readonly prefixes: ReadonlyMap<string, string> }>()
  const annotate = (node: Element, ns: string, prefixes: ReadonlyMap<string, string>): void => {
    const declared = Object.entries(node.attributes).filter(([n]) => n.startsWith('xmlns:'))
    const inScope = declared.length === 0 ? prefixes : new Map([...prefixes, ...declared.map(([n, v]) => [n.slice(6), v] as const)])
    const here = node.attributes.ns ?? ns
    scopes.set(node, { ns: here, prefixes: inScope })
    for (const child of elements(node)) annotate(child, here, inScope)
  }
  /** The expanded name (`{uri}local`, or `local` outside a namespace) an `<element>` pattern gives, or undefined. */
  const patternName = (pattern: Element, name: string): string | undefined => {
    const scope = scopes.get(pattern)
    const colon = name.indexOf(':')
    const uri = colon < 0 ? scope?.ns ?? '' : scope?.prefixes.get(name.slice(0, colon))
    if (uri === undefined) return undefined
    return expand(uri, colon < 0 ? name : name.slice(colon + 1))
  }
  const starts: Element[] = []
  const seenFiles = new Set<string>()
  const readGrammar = (file: string, isStart: boolean): void => {
    if (seenFiles.has(file)) return
    seenFiles.add(file)
    const text = files.get(file)
    if (text === undefined) return
    const root = parseXml(text).children.find((c): c is Element => c.type === 'element')
    if (!root || local(root.name) !== 'grammar') return
    annotate(root, '', new Map())
    const visit = (node: Element): void => {
      for (const child of elements(node)) {
        const kind = local(child.name)
        if (kind === 'define' && child.attributes.name) {
          const list = defines.get(child.attributes.name) ?? []
          list.push(child)
          defines.set(child.attributes.name, list)
        } else if (kind === 'start' && isStart) starts.push(child)
        else if (kind === 'include' && child.attributes.href) {
          readGrammar(child.attributes.href, false)
          visit(child)
        } else if (kind === 'div') visit(child)
      }
    }
    visit(root)
  }
  readGrammar(start, true)

  const built = new Map<Element, Definition>()
  const definitionOf = (element: Element): Definition => {
    let definition = built.get(element)
    if (definition) return definition
    const nameChild = elements(element).find((c) => local(c.name) === 'name')
    const anyName = elements(element).some((c) => local(c.name) === 'anyName' || local(c.name) === 'nsName')
    const written = element.attributes.name ?? (nameChild ? collapse(textOf(nameChild)) : undefined)
    const name = written === undefined ? undefined : patternName(nameChild ?? element, written)
    const content = elements(element).filter((c) => !['name', 'anyName', 'nsName'].includes(local(c.name)))
    definition = { name: anyName ? undefined : name, content, children: [], attributes: new Map(), openAttributes: false, required: new Set(), requiredChildren: new Set(), text: undefined, takesText: false, repeatable: new Set() }
    built.set(element, definition)
    for (const pattern of content) scan(pattern, definition, new Set())
    definition.repeatable = repeatingNames(content)
    definition.required = requiredOf(content, 'group', new Set(), 'attribute')
    definition.requiredChildren = requiredOf(content, 'group', new Set(), 'element')
    const shape = textShape(content, 'group', new Set())
    definition.text = shape.kind === 'enum' ? shape.values : undefined
    definition.takesText = content.some((p) => holdsText(p, new Set()))
    return definition
  }

  /**
   * The child element names a content model lets stand more than once: how many times each may occur at most — a group
   * adds, a choice takes the larger, `zeroOrMore` and `oneOrMore` have no bound — above one.
   */
  const repeatingNames = (content: readonly Element[]): Set<string> => {
    const refs = new Set<string>()
    const add = (a: Map<string, number>, b: Map<string, number>): Map<string, number> => { for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + v); return a }
    const most = (a: Map<string, number>, b: Map<string, number>): Map<string, number> => { for (const [k, v] of b) a.set(k, Math.max(a.get(k) ?? 0, v)); return a }
    /** How many times each name may occur in patterns one after the other (their counts added). */
    const inSequence = (patterns: readonly Element[]): Map<string, number> => patterns.map(occurs).reduce(add, new Map<string, number>())
    const occurs = (pattern: Element): Map<string, number> => {
      const kind = local(pattern.name)
      if (kind === 'element') {
        const nameChild = elements(pattern).find((c) => local(c.name) === 'name')
        const name = pattern.attributes.name ?? (nameChild ? collapse(textOf(nameChild)) : undefined)
        return name === undefined ? new Map() : new Map([[name, 1]])
      }
      if (kind === 'choice') return elements(pattern).map(occurs).reduce(most, new Map<string, number>())
      if (kind === 'zeroOrMore' || kind === 'oneOrMore') {
        const inner = inSequence(elements(pattern))
        for (const k of inner.keys()) inner.set(k, Infinity)
        return inner
      }
      if (['optional', 'group', 'interleave', 'mixed'].includes(kind)) return inSequence(elements(pattern))
      if (kind === 'ref') {
        const name = pattern.attributes.name ?? ''
        const list = defines.get(name)
        if (!list || refs.has(name)) return new Map()
        refs.add(name)
        try {
          const parts = list.map((d) => inSequence(elements(d)))
          return list.some((d) => d.attributes.combine === 'choice') ? parts.reduce(most, new Map()) : parts.reduce(add, new Map())
        } finally { refs.delete(name) }
      }
      return new Map()
    }
    const counts = inSequence(content)
    return new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k))
  }

  const scan = (pattern: Element, into: Definition, refs: Set<string>): void => {
    const kind = local(pattern.name)
    if (kind === 'element') {
      into.children.push(definitionOf(pattern))
      return
    }
    if (kind === 'attribute') {
      const nameChild = elements(pattern).find((c) => local(c.name) === 'name')
      const name = pattern.attributes.name ?? (nameChild ? collapse(textOf(nameChild)) : undefined)
      if (name === undefined) { into.openAttributes = true; return }
      const values = valuesOf(elements(pattern).filter((c) => local(c.name) !== 'name'), new Set())
      const known = into.attributes
      if (!known.has(name)) known.set(name, values)
      else {
        const before = known.get(name)
        known.set(name, before && values ? [...before, ...values] : undefined)
      }
      return
    }
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      if (refs.has(name)) return
      refs.add(name)
      for (const define of defines.get(name) ?? []) for (const child of elements(define)) scan(child, into, refs)
      refs.delete(name)
      return
    }
    if (['optional', 'zeroOrMore', 'oneOrMore', 'choice', 'group', 'interleave', 'mixed'].includes(kind)) {
      for (const child of elements(pattern)) scan(child, into, refs)
    }
  }

  /** The values a pattern allows, or undefined when it allows text this explanation cannot judge. */
  const valuesOf = (patterns: readonly Element[], refs: Set<string>): ValueAlternative[] | undefined => {
    if (patterns.length !== 1) return undefined
    const pattern = patterns[0]!
    const kind = local(pattern.name)
    if (kind === 'value') {
      const type = pattern.attributes.type
      if (type === undefined || type === 'token' || type === 'string') return [{ kind: 'value', value: textOf(pattern), collapse: type !== 'string' }]
      return [{ kind: 'data', type: `value of type ${type}`, params: [] }]
    }
    if (kind === 'data') {
      const children = elements(pattern)
      if (children.some((c) => local(c.name) !== 'param')) return undefined
      return [{ kind: 'data', type: pattern.attributes.type ?? '', params: children.map((c) => [c.attributes.name ?? '', textOf(c)] as const) }]
    }
    if (kind === 'choice') {
      const all: ValueAlternative[] = []
      for (const child of elements(pattern)) {
        const values = valuesOf([child], refs)
        if (!values) return undefined
        all.push(...values)
      }
      return all
    }
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return undefined
      refs.add(name)
      try {
        const all: ValueAlternative[] = []
        for (const define of list) {
          const values = valuesOf(elements(define), refs)
          if (!values) return undefined
          all.push(...values)
        }
        return all
      } finally { refs.delete(name) }
    }
    return undefined
  }

  /** Attributes that every way through the patterns has; undefined = cannot match (notAllowed). */
  const requiredOf = (patterns: readonly Element[], combine: 'group' | 'choice', refs: Set<string>, what: 'attribute' | 'element'): Set<string> | undefined => {
    const parts = patterns.map((p) => requiredOne(p, refs, what))
    if (combine === 'group') {
      if (parts.some((p) => p === undefined)) return undefined
      return new Set(parts.flatMap((p) => [...p!]))
    }
    const possible = parts.filter((p): p is Set<string> => p !== undefined)
    if (possible.length === 0) return patterns.length === 0 ? new Set() : undefined
    return new Set([...possible[0]!].filter((name) => possible.every((p) => p.has(name))))
  }
  const requiredOne = (pattern: Element, refs: Set<string>, what: 'attribute' | 'element'): Set<string> | undefined => {
    const kind = local(pattern.name)
    if (kind === 'attribute' || kind === 'element') {
      const name = kind === what && pattern.attributes.name !== undefined ? (kind === 'element' ? patternName(pattern, pattern.attributes.name) : pattern.attributes.name) : undefined
      return new Set(name === undefined ? [] : [name])
    }
    if (kind === 'notAllowed') return undefined
    if (kind === 'group' || kind === 'interleave' || kind === 'oneOrMore' || kind === 'mixed') return requiredOf(elements(pattern), 'group', refs, what)
    if (kind === 'choice') return requiredOf(elements(pattern), 'choice', refs, what)
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return new Set()
      refs.add(name)
      try {
        // combine="choice" across files: the attribute must be in every one of them.
        const each = list.map((define) => requiredOf(elements(define), 'group', refs, what))
        const possible = each.filter((p): p is Set<string> => p !== undefined)
        if (possible.length === 0) return undefined
        if (list.length > 1 && list.some((d) => d.attributes.combine === 'interleave')) return new Set(possible.flatMap((p) => [...p]))
        return new Set([...possible[0]!].filter((n) => possible.every((p) => p.has(n))))
      } finally { refs.delete(name) }
    }
    return new Set()
  }

  /** Whether a content pattern lets its element hold text (not counting the elements below it). */
  const holdsText = (pattern: Element, refs: Set<string>): boolean => {
    const kind = local(pattern.name)
    if (kind === 'text' || kind === 'data' || kind === 'value' || kind === 'list' || kind === 'mixed') return true
    if (kind === 'group' || kind === 'interleave' || kind === 'choice' || kind === 'optional' || kind === 'zeroOrMore' || kind === 'oneOrMore') return elements(pattern).some((p) => holdsText(p, refs))
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return false
      refs.add(name)
      try { return list.some((d) => elements(d).some((p) => holdsText(p, refs))) } finally { refs.delete(name) }
    }
    return false
  }

  /** Whether the text content of an element can only be one of listed values. */
  const textShape = (patterns: readonly Element[], combine: 'group' | 'choice', refs: Set<string>): TextShape => {
    const parts = patterns.map((p) => textOne(p, refs))
    if (parts.some((p) => p.kind === 'other')) return { kind: 'other' }
    const enums = parts.filter((p): p is { kind: 'enum'; values: ValueAlternative[] } => p.kind === 'enum')
    if (enums.length === 0) return { kind: 'neutral' }
    if (combine === 'group' && enums.length === 1) return enums[0]!
    if (combine === 'choice' && enums.length === parts.length) return { kind: 'enum', values: enums.flatMap((e) => e.values) }
    return { kind: 'other' }
  }
  const textOne = (pattern: Element, refs: Set<string>): TextShape => {
    const kind = local(pattern.name)
    if (kind === 'attribute') return { kind: 'neutral' }
    if (kind === 'value' || kind === 'data') {
      const values = valuesOf([pattern], refs)
      return values ? { kind: 'enum', values } : { kind: 'other' }
    }
    if (kind === 'group' || kind === 'interleave') return textShape(elements(pattern), 'group', refs)
    if (kind === 'choice') return textShape(elements(pattern), 'choice', refs)
    if (kind === 'optional' || kind === 'zeroOrMore' || kind === 'oneOrMore') {
      const inner = textShape(elements(pattern), 'group', refs)
      return inner.kind === 'neutral' ? inner : { kind: 'other' }
    }
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return { kind: 'other' }
      refs.add(name)
      try {
        return list.length === 1 ? textShape(elements(list[0]!), 'group', refs) : textShape(list.map((d) => ({ ...d, name: 'group' })), 'choice', refs)
      } finally { refs.delete(name) }
    }
    return { kind: 'other' }
  }

  /**
   * Whether a definition takes this set of attributes with these values, child elements and text
   * left aside: the states are the attribute subsets a pattern can consume (bit i = attribute i),
   * with, in the bits from 16, which `<attribute>` pattern consumed the `loose` attribute — whose value
   * is then not checked, to learn which values the matching forms would take. 'unknown' when a
   * pattern is beyond this (a name class, a recursive ref, too many states).
   */
  const attributeStates = (patterns: readonly Element[], names: readonly string[], values: readonly string[], loose: number, used: (ValueAlternative[] | undefined)[]): Set<number> | 'unknown' => {
    const memo = new Map<Element, Set<number> | 'unknown'>()
    const refs = new Set<string>()
    const mask = (1 << 16) - 1
    const combine = (a: Set<number> | 'unknown', b: Set<number> | 'unknown'): Set<number> | 'unknown' => {
      if (a === 'unknown' || b === 'unknown') return 'unknown'
      const out = new Set<number>()
      for (const x of a) for (const y of b) if ((x & y & mask) === 0) out.add((x & mask) | (y & mask) | ((x >>> 16) + (y >>> 16)) << 16)
      return out.size > 4096 ? 'unknown' : out
    }
    const union = (a: Set<number> | 'unknown', b: Set<number> | 'unknown'): Set<number> | 'unknown' => (a === 'unknown' || b === 'unknown' ? 'unknown' : new Set([...a, ...b]))
    const group = (list: readonly Element[]): Set<number> | 'unknown' => list.reduce<Set<number> | 'unknown'>((acc, p) => combine(acc, one(p)), new Set([0]))
    const more = (base: Set<number> | 'unknown'): Set<number> | 'unknown' => {
      let all = base
      for (let i = 0; i < names.length + 1 && all !== 'unknown'; i++) all = union(all, combine(all, base))
      return all
    }
    const one = (pattern: Element): Set<number> | 'unknown' => {
      const cached = memo.get(pattern)
      if (cached) return cached
      const kind = local(pattern.name)
      let states: Set<number> | 'unknown'
      if (kind === 'attribute') {
        const name = pattern.attributes.name
        const i = name === undefined ? -2 : names.indexOf(name)
        if (i === -2) states = 'unknown'
        else if (i < 0) states = new Set()
        else {
          const allowed = attributeValues(pattern)
          if (i === loose) states = new Set([(1 << i) | (used.push(allowed) << 16)])
          else states = allowed && accepts(allowed, values[i]!) === false ? new Set() : new Set([1 << i])
        }
      } else if (['element', 'text', 'data', 'value', 'list', 'empty'].includes(kind)) states = new Set([0])
      else if (kind === 'notAllowed') states = new Set()
      else if (kind === 'group' || kind === 'interleave' || kind === 'mixed') states = group(elements(pattern))
      else if (kind === 'choice') states = elements(pattern).reduce<Set<number> | 'unknown'>((acc, p) => union(acc, one(p)), new Set())
      else if (kind === 'optional') states = union(group(elements(pattern)), new Set([0]))
      else if (kind === 'zeroOrMore') states = union(more(group(elements(pattern))), new Set([0]))
      else if (kind === 'oneOrMore') states = more(group(elements(pattern)))
      else if (kind === 'ref') {
        const name = pattern.attributes.name ?? ''
        const list = defines.get(name)
        if (!list || refs.has(name)) states = 'unknown'
        else {
          refs.add(name)
          states = list.some((d) => d.attributes.combine === 'interleave')
            ? list.reduce<Set<number> | 'unknown'>((acc, d) => combine(acc, group(elements(d))), new Set([0]))
            : list.reduce<Set<number> | 'unknown'>((acc, d) => union(acc, group(elements(d))), new Set())
          refs.delete(name)
        }
      } else states = 'unknown'
      memo.set(pattern, states)
      return states
    }
    return group(patterns)
  }

  const valueCache = new WeakMap<Element, ValueAlternative[] | undefined>()
  const attributeValues = (pattern: Element): ValueAlternative[] | undefined => {
    if (!valueCache.has(pattern)) valueCache.set(pattern, valuesOf(elements(pattern).filter((c) => local(c.name) !== 'name'), new Set()))
    return valueCache.get(pattern)
  }

  /** Which forms of the candidates take the element's attribute set: true, false or unknown. */
  const takesCache = new WeakMap<Definition, Map<string, boolean | undefined>>()
  const takes = (definition: Definition, names: readonly string[], values: readonly string[]): boolean | undefined => {
    if (definition.openAttributes || names.length > 16) return undefined
    let cache = takesCache.get(definition)
    if (!cache) takesCache.set(definition, cache = new Map())
    const key = JSON.stringify([names, values])
    if (cache.has(key)) return cache.get(key)
    const states = attributeStates(definition.content, names, values, -1, [])
    const full = (1 << names.length) - 1
    const answer = states === 'unknown' ? undefined : [...states].some((s) => (s & 0xffff) === full)
    cache.set(key, answer)
    return answer
  }

  /** When no form takes the attributes: the one attribute whose value, or presence, is at fault. */
  const blame = (element: Element, candidates: readonly Definition[], where: { line: number; column: number; path: string }): Finding | undefined => {
    const names = Object.keys(element.attributes)
    const values = names.map((n) => element.attributes[n]!)
    const full = (1 << names.length) - 1
    for (let i = 0; i < names.length; i++) {
      // Its value: some form takes every attribute if this one's value is not checked.
      const allowed: ValueAlternative[] = []
      let fits = false
      for (const definition of candidates) {
        const used: (ValueAlternative[] | undefined)[] = []
        const states = attributeStates(definition.content, names, values, i, used)
        if (states === 'unknown') return undefined
        for (const state of states) {
          if ((state & 0xffff) !== full) continue
          fits = true
          const these = used[(state >>> 16) - 1]
          if (!these) return undefined
          allowed.push(...these)
        }
      }
      if (fits && accepts(allowed, values[i]!) === false) {
        const expected = describe(allowed)
        return { code: 'schema-bad-value', message: `Invalid value \`${values[i]}\` for attribute \`${names[i]}\` of \`<${element.name}>\` with its other attributes: expected ${list(expected)}.`, ...where, expected }
      }
    }
    for (let i = 0; i < names.length; i++) {
      // Its presence: some form takes the others without it.
      const others = names.filter((_, j) => j !== i)
      const otherValues = values.filter((_, j) => j !== i)
      if (candidates.some((d) => takes(d, others, otherValues) === true)) {
        const with_ = others.map((n, j) => `${n}='${otherValues[j]}'`).join(' ')
        return { code: 'schema-unknown-attribute', message: `Attribute \`${names[i]}\` is not allowed on \`<${element.name}>\`${with_ ? ` with ${with_}` : ''}: remove it, or change the other attributes.`, ...where, expected: [] }
      }
    }
    return undefined
  }

  // The definitions the document's root can match.
  const roots: Definition[] = []
  for (const s of starts) {
    const holder: Definition = { name: '', content: [], children: roots, attributes: new Map(), openAttributes: false, required: new Set(), requiredChildren: new Set(), text: undefined, takesText: false, repeatable: new Set() }
    for (const pattern of elements(s)) scan(pattern, holder, new Set())
  }

  return {
    roots,
    explain(tree, paths) {
      const findings: Finding[] = []
      const root = tree.children.find((c): c is Element => c.type === 'element')
      if (!root) return findings
      const wanted = paths.map((p) => p.replace(/\[1\]/g, ''))
      const inScope = (path: string): boolean => {
        const bare = path.replace(/\[1\]/g, '')
        return wanted.some((w) => bare === w || bare.startsWith(w + '/'))
      }
      const walk = (element: Element, path: string, candidates: readonly Definition[], prefixes: ReadonlyMap<string, string>): void => {
        if (candidates.some((d) => d.name === undefined)) return
        const keys = new Map<Element, string | undefined>()
        for (const child of element.children) if (child.type === 'element') keys.set(child, documentName(child, prefixes).key)
        const place = element.position?.start
        const where = { line: place?.line ?? 0, column: place?.column ?? 0, path }
        if (inScope(path)) {
          const names = Object.keys(element.attributes).filter((n) => n !== 'xmlns' && !n.includes(':'))
          const plain = names.length === Object.keys(element.attributes).length
          const values = names.map((n) => element.attributes[n]!)
          const answers = plain ? candidates.map((d) => takes(d, names, values)) : candidates.map(() => undefined)
          const fitting = candidates.filter((_, i) => answers[i] !== false)
          const before = findings.length
          check(element, where, fitting.length > 0 ? fitting : candidates, findings, new Set([...keys.values()].filter((k): k is string => k !== undefined)))
          if (fitting.length === 0 && !findings.slice(before).some((f) => f.code !== 'schema-missing-element')) {
            const finding = blame(element, candidates, where)
            if (finding) findings.splice(before, 0, finding)
          }
        }
        const counts = new Map<string, number>()
        const seen = new Map<string, number>()
        for (const child of element.children) if (child.type === 'element') counts.set(child.name, (counts.get(child.name) ?? 0) + 1)
        for (const child of element.children) {
          if (child.type !== 'element') continue
          const n = (seen.get(child.name) ?? 0) + 1
          seen.set(child.name, n)
          const childPath = `${path}/${child.name}${counts.get(child.name)! > 1 ? `[${n}]` : ''}`
          const key = keys.get(child)
          if (key === undefined) continue
          const matches = candidates.flatMap((d) => d.children.filter((c) => c.name === undefined || c.name === key))
          if (matches.length > 0) { walk(child, childPath, unique(matches), documentName(child, prefixes).prefixes); continue }
          if (!inScope(childPath) && !inScope(path)) continue
          const allowed = [...new Set(candidates.flatMap((d) => d.children.map((c) => c.name)).filter((n): n is string => n !== undefined).map(display))].sort()
          const at = child.position?.start
          findings.push({
            code: 'schema-unknown-element',
            message: `Unknown element \`<${child.name}>\` in \`<${element.name}>\`${namespaceNote(key, allowed)}: ${allowed.length ? `expected ${list(allowed)}` : `\`<${element.name}>\` has no child elements`}.`,
            line: at?.line ?? 0, column: at?.column ?? 0, path: childPath, expected: allowed,
          })
        }
      }
      const rootName = documentName(root, new Map())
      const rootMatches = roots.filter((d) => d.name === undefined || d.name === rootName.key)
      if (rootMatches.length === 0) {
        const allowed = [...new Set(roots.map((d) => d.name).filter((n): n is string => n !== undefined).map(display))].sort()
        findings.push({
          code: 'schema-unknown-element',
          message: `Unknown root element \`<${root.name}>\`${namespaceNote(rootName.key, allowed)}: expected ${list(allowed)}.`,
          line: root.position?.start.line ?? 0, column: root.position?.start.column ?? 0, path: `/${root.name}`, expected: allowed,
        })
        return findings
      }
      walk(root, `/${root.name}`, unique(rootMatches), rootName.prefixes)
      return findings
    },
  }
}

const expand = (uri: string, name: string): string => (uri ? `{${uri}}${name}` : name)
const display = (key: string): string => key.replace(/^\{[^}]*\}/, '')

/** When the name is right but its namespace is not (an `xmlns` on libvirt XML), say so. */
function namespaceNote(key: string | undefined, allowed: readonly string[]): string {
  if (key === undefined || !allowed.includes(display(key))) return ''
  const uri = /^\{([^}]*)\}/.exec(key)?.[1]
  return uri ? ` (it is in namespace \`${uri}\`, the schema's is in none: remove the \`xmlns\`)` : ' (the schema\'s is in a namespace)'
}

/** A document element's expanded name (undefined for an undeclared prefix) and the prefixes in scope below it. */
function documentName(element: Element, prefixes: ReadonlyMap<string, string>): { key: string | undefined; prefixes: ReadonlyMap<string, string> } {
  const declared = Object.entries(element.attributes).filter(([n]) => n === 'xmlns' || n.startsWith('xmlns:'))
  const inScope = declared.length === 0 ? prefixes : new Map([...prefixes, ...declared.map(([n, v]) => [n === 'xmlns' ? '' : n.slice(6), v] as const)])
  const colon = element.name.indexOf(':')
  const uri = colon < 0 ? inScope.get('') ?? '' : inScope.get(element.name.slice(0, colon))
  return { key: uri === undefined ? undefined : expand(uri, colon < 0 ? element.name : element.name.slice(colon + 1)), prefixes: inScope }
}

function check(element: Element, where: { line: number; column: number; path: string }, candidates: readonly Definition[], findings: Finding[], childNames: ReadonlySet<string>): void {
  const open = candidates.some((d) => d.openAttributes)
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xml:')) continue
    const declaring = candidates.filter((d) => d.attributes.has(name))
    if (declaring.length === 0) {
      if (open) continue
      const allowed = [...new Set(candidates.flatMap((d) => [...d.attributes.keys()]))].sort()
      findings.push({
        code: 'schema-unknown-attribute',
        message: `Unknown attribute \`${name}\` on \`<${element.name}>\`: ${allowed.length ? `expected ${list(allowed)}` : `\`<${element.name}>\` takes no attributes`}.`,
        ...where, expected: allowed,
      })
      continue
    }
    const sets = declaring.map((d) => d.attributes.get(name))
    if (sets.some((v) => v === undefined)) continue
    const alternatives = sets.flatMap((v) => v!)
    if (accepts(alternatives, value) === false) {
      const expected = describe(alternatives)
      findings.push({
        code: 'schema-bad-value',
        message: `Invalid value \`${value}\` for attribute \`${name}\` of \`<${element.name}>\`: expected ${list(expected)}.`,
        ...where, expected,
      })
    }
  }
  const requiredSets = candidates.map((d) => d.required)
  if (requiredSets.every((s) => s !== undefined)) {
    const [first, ...rest] = requiredSets as Set<string>[]
    for (const name of first ?? []) {
      if (rest.every((s) => s.has(name)) && !(name in element.attributes)) {
        findings.push({ code: 'schema-missing-attribute', message: `Missing attribute \`${name}\` on \`<${element.name}>\`: the schema requires it.`, ...where, expected: [name] })
      }
    }
  }
  const childSets = candidates.map((d) => d.requiredChildren)
  if (childSets.every((s) => s !== undefined)) {
    const [first, ...rest] = childSets as Set<string>[]
    for (const name of first ?? []) {
      if (rest.every((s) => s.has(name)) && !childNames.has(name)) {
        findings.push({ code: 'schema-missing-element', message: `Missing element \`<${display(name)}>\` in \`<${element.name}>\`: the schema requires it.`, ...where, expected: [display(name)] })
      }
    }
  }
  if (candidates.every((d) => d.text !== undefined) && childNames.size === 0) {
    const value = textContent(element.children)
    const alternatives = candidates.flatMap((d) => d.text!)
    if (accepts(alternatives, value) === false) {
      const expected = describe(alternatives)
      findings.push({ code: 'schema-bad-value', message: `Invalid value \`${collapse(value)}\` in \`<${element.name}>\`: expected ${list(expected)}.`, ...where, expected })
    }
  }
}

function unique(definitions: readonly Definition[]): Definition[] {
  return [...new Set(definitions)]
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => `\`${n}\``)
  const more = names.length > shown.length ? `, … (${names.length} in all)` : ''
  return names.length === 1 ? shown[0]! : `one of ${shown.join(', ')}${more}`
}

function textOf(element: Element): string {
  return textContent(element.children)
}

function textContent(children: readonly ElementContent[]): string {
  let text = ''
  for (const child of children) {
    if (child.type === 'text' || child.type === 'cdata') text += child.value
    else if (child.type === 'element') text += textContent(child.children)
  }
  return text
}
