// Why a document fails: libxml2's RelaxNG messages are terse ("Element domain failed to validate
// content", "Extra element devices in interleave") because its interleave matching backtracks. The
// verdict stays libxml2's; this reads the same schema files into a small index — per element
// definition, the child elements, the attributes (with their values when the schema lists them)
// and the attributes every alternative requires — and walks the failing subtrees with it. The index
// ignores order and counts, so a finding is a real violation, never a guess; a document can still
// fail for a reason it does not see (a data type, an order), and then libxml2's words stand alone.
import { parseXml, type Element, type ElementContent, type Root } from '@virtuned/xml-core'
import type { SchemaProblem } from './validator.ts'

/** A located explanation: a SchemaProblem with one of the finding codes. */
export type Finding = SchemaProblem

export interface Explainer {
  /** Findings in the subtrees of `paths` (libxml2's paths of the failing elements), in document order. */
  explain(tree: Root, paths: readonly string[]): Finding[]
}

interface Definition {
  /** Element names this definition matches; undefined for `<anyName/>` (anything goes below). */
  readonly name: string | undefined
  readonly children: Definition[]
  /** Attribute name → listed values, or undefined when any value of its type may do. */
  readonly attributes: Map<string, Set<string> | undefined>
  openAttributes: boolean
  /** Attributes present in every alternative; undefined when the definition can never match. */
  required: Set<string> | undefined
  /** The text content's listed values, when that is all the content can be. */
  text: Set<string> | undefined
}

const collapse = (value: string): string => value.replace(/[\t\n\r ]+/g, ' ').trim()
const elements = (node: Element): Element[] => node.children.filter((c): c is Element => c.type === 'element')
const local = (name: string): string => name.slice(name.indexOf(':') + 1)

type TextShape = { kind: 'neutral' } | { kind: 'enum'; values: Set<string> } | { kind: 'other' }

export function createExplainer(files: ReadonlyMap<string, string>, start: string): Explainer {
  const defines = new Map<string, Element[]>()
  const starts: Element[] = []
  const seenFiles = new Set<string>()
  const readGrammar = (file: string, isStart: boolean): void => {
    if (seenFiles.has(file)) return
    seenFiles.add(file)
    const text = files.get(file)
    if (text === undefined) return
    const root = parseXml(text).children.find((c): c is Element => c.type === 'element')
    if (!root || local(root.name) !== 'grammar') return
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
    const name = element.attributes.name ?? (nameChild ? collapse(textOf(nameChild)) : undefined)
    definition = { name: anyName ? undefined : name, children: [], attributes: new Map(), openAttributes: false, required: new Set(), text: undefined }
    built.set(element, definition)
    const content = elements(element).filter((c) => !['name', 'anyName', 'nsName'].includes(local(c.name)))
    for (const pattern of content) scan(pattern, definition, new Set())
    definition.required = requiredOf(content, 'group', new Set())
    const shape = textShape(content, 'group', new Set())
    definition.text = shape.kind === 'enum' ? shape.values : undefined
    return definition
  }

  const scan = (pattern: Element, into: Definition, refs: Set<string>): void => {
    const kind = local(pattern.name)
    if (kind === 'element') { into.children.push(definitionOf(pattern)); return }
    if (kind === 'attribute') {
      const nameChild = elements(pattern).find((c) => local(c.name) === 'name')
      const name = pattern.attributes.name ?? (nameChild ? collapse(textOf(nameChild)) : undefined)
      if (name === undefined) { into.openAttributes = true; return }
      const values = valuesOf(elements(pattern).filter((c) => local(c.name) !== 'name'), new Set())
      const known = into.attributes
      if (!known.has(name)) known.set(name, values)
      else {
        const before = known.get(name)
        known.set(name, before && values ? new Set([...before, ...values]) : undefined)
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

  /** The listed values a pattern allows, or undefined when it allows any text of some type. */
  const valuesOf = (patterns: readonly Element[], refs: Set<string>): Set<string> | undefined => {
    if (patterns.length !== 1) return undefined
    const pattern = patterns[0]!
    const kind = local(pattern.name)
    if (kind === 'value') return new Set([collapse(textOf(pattern))])
    if (kind === 'choice') {
      const all = new Set<string>()
      for (const child of elements(pattern)) {
        const values = valuesOf([child], refs)
        if (!values) return undefined
        for (const v of values) all.add(v)
      }
      return all
    }
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return undefined
      refs.add(name)
      try {
        const all = new Set<string>()
        for (const define of list) {
          const values = valuesOf(elements(define), refs)
          if (!values) return undefined
          for (const v of values) all.add(v)
        }
        return all
      } finally { refs.delete(name) }
    }
    return undefined
  }

  /** Attributes that every way through the patterns has; undefined = cannot match (notAllowed). */
  const requiredOf = (patterns: readonly Element[], combine: 'group' | 'choice', refs: Set<string>): Set<string> | undefined => {
    const parts = patterns.map((p) => requiredOne(p, refs))
    if (combine === 'group') {
      if (parts.some((p) => p === undefined)) return undefined
      return new Set(parts.flatMap((p) => [...p!]))
    }
    const possible = parts.filter((p): p is Set<string> => p !== undefined)
    if (possible.length === 0) return patterns.length === 0 ? new Set() : undefined
    return new Set([...possible[0]!].filter((name) => possible.every((p) => p.has(name))))
  }
  const requiredOne = (pattern: Element, refs: Set<string>): Set<string> | undefined => {
    const kind = local(pattern.name)
    if (kind === 'attribute') return new Set(pattern.attributes.name === undefined ? [] : [pattern.attributes.name])
    if (kind === 'notAllowed') return undefined
    if (kind === 'group' || kind === 'interleave' || kind === 'oneOrMore' || kind === 'mixed') return requiredOf(elements(pattern), 'group', refs)
    if (kind === 'choice') return requiredOf(elements(pattern), 'choice', refs)
    if (kind === 'ref') {
      const name = pattern.attributes.name ?? ''
      const list = defines.get(name)
      if (!list || refs.has(name)) return new Set()
      refs.add(name)
      try {
        // combine="choice" across files: the attribute must be in every one of them.
        const each = list.map((define) => requiredOf(elements(define), 'group', refs))
        const possible = each.filter((p): p is Set<string> => p !== undefined)
        if (possible.length === 0) return undefined
        if (list.length > 1 && list.some((d) => d.attributes.combine === 'interleave')) return new Set(possible.flatMap((p) => [...p]))
        return new Set([...possible[0]!].filter((n) => possible.every((p) => p.has(n))))
      } finally { refs.delete(name) }
    }
    return new Set()
  }

  /** Whether the text content of an element can only be one of listed values. */
  const textShape = (patterns: readonly Element[], combine: 'group' | 'choice', refs: Set<string>): TextShape => {
    const parts = patterns.map((p) => textOne(p, refs))
    if (parts.some((p) => p.kind === 'other')) return { kind: 'other' }
    const enums = parts.filter((p): p is { kind: 'enum'; values: Set<string> } => p.kind === 'enum')
    if (enums.length === 0) return { kind: 'neutral' }
    if (combine === 'group' && enums.length === 1) return enums[0]!
    if (combine === 'choice' && enums.length === parts.length) return { kind: 'enum', values: new Set(enums.flatMap((e) => [...e.values])) }
    return { kind: 'other' }
  }
  const textOne = (pattern: Element, refs: Set<string>): TextShape => {
    const kind = local(pattern.name)
    if (kind === 'attribute') return { kind: 'neutral' }
    if (kind === 'value') return { kind: 'enum', values: new Set([collapse(textOf(pattern))]) }
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

  // The definitions the document's root can match.
  const roots: Definition[] = []
  for (const s of starts) {
    const holder: Definition = { name: '', children: roots, attributes: new Map(), openAttributes: false, required: new Set(), text: undefined }
    for (const pattern of elements(s)) scan(pattern, holder, new Set())
  }

  return {
    explain(tree, paths) {
      const findings: Finding[] = []
      const root = tree.children.find((c): c is Element => c.type === 'element')
      if (!root) return findings
      const wanted = paths.map((p) => p.replace(/\[1\]/g, ''))
      const inScope = (path: string): boolean => {
        const bare = path.replace(/\[1\]/g, '')
        return wanted.some((w) => bare === w || bare.startsWith(w + '/'))
      }
      const walk = (element: Element, path: string, candidates: readonly Definition[]): void => {
        if (candidates.some((d) => d.name === undefined)) return
        const place = element.position?.start
        const where = { line: place?.line ?? 0, column: place?.column ?? 0, path }
        if (inScope(path)) check(element, where, candidates, findings)
        const counts = new Map<string, number>()
        const seen = new Map<string, number>()
        for (const child of element.children) if (child.type === 'element') counts.set(child.name, (counts.get(child.name) ?? 0) + 1)
        for (const child of element.children) {
          if (child.type !== 'element') continue
          const n = (seen.get(child.name) ?? 0) + 1
          seen.set(child.name, n)
          const childPath = `${path}/${child.name}${counts.get(child.name)! > 1 ? `[${n}]` : ''}`
          const matches = candidates.flatMap((d) => d.children.filter((c) => c.name === undefined || c.name === child.name))
          if (matches.length > 0) { walk(child, childPath, unique(matches)); continue }
          if (!inScope(childPath) && !inScope(path)) continue
          const allowed = [...new Set(candidates.flatMap((d) => d.children.map((c) => c.name)).filter((n): n is string => n !== undefined))].sort()
          const at = child.position?.start
          findings.push({
            code: 'schema-unknown-element',
            message: `Unknown element \`<${child.name}>\` in \`<${element.name}>\`: ${allowed.length ? `expected ${list(allowed)}` : `\`<${element.name}>\` has no child elements`}.`,
            line: at?.line ?? 0, column: at?.column ?? 0, path: childPath, expected: allowed,
          })
        }
      }
      const rootMatches = roots.filter((d) => d.name === undefined || d.name === root.name)
      if (rootMatches.length === 0) {
        const allowed = [...new Set(roots.map((d) => d.name).filter((n): n is string => n !== undefined))].sort()
        findings.push({
          code: 'schema-unknown-element',
          message: `Unknown root element \`<${root.name}>\`: expected ${list(allowed)}.`,
          line: root.position?.start.line ?? 0, column: root.position?.start.column ?? 0, path: `/${root.name}`, expected: allowed,
        })
        return findings
      }
      walk(root, `/${root.name}`, unique(rootMatches))
      return findings
    },
  }
}

function check(element: Element, where: { line: number; column: number; path: string }, candidates: readonly Definition[], findings: Finding[]): void {
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
    if (sets.some((s) => s === undefined)) continue
    const allowed = new Set(sets.flatMap((s) => [...s!]))
    if (!allowed.has(collapse(value))) {
      const expected = [...allowed].sort()
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
  if (candidates.every((d) => d.text !== undefined) && !element.children.some((c) => c.type === 'element')) {
    const value = collapse(textContent(element.children))
    const allowed = new Set(candidates.flatMap((d) => [...d.text!]))
    if (!allowed.has(value)) {
      const expected = [...allowed].sort()
      findings.push({ code: 'schema-bad-value', message: `Invalid value \`${value}\` in \`<${element.name}>\`: expected ${list(expected)}.`, ...where, expected })
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
