// Writes src/schema-completion.json: for each element of libvirt's domain schema (the RelaxNG set
// @virtuned/schema ships), the child elements and attributes it may have and the values an
// attribute is limited to — the `elements` table CodeMirror's XML completion takes. Context-free
// (elements of one name share one entry, as CodeMirror keys them), so it suggests, never checks:
// libvirt's schema itself checks. Run again when @virtuned/schema's set changes (a test compares):
//   npx tsx --conditions=@virtuned/source scripts/completion.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'

export interface CompletionElement {
  readonly name: string
  readonly top?: true
  readonly children: readonly string[]
  readonly attributes: readonly (string | { readonly name: string; readonly values: readonly string[] })[]
}

const kids = (e: Element): Element[] => e.children.filter((c): c is Element => c.type === 'element')
const textOf = (e: Element): string => e.children.map((c) => (c.type === 'text' ? c.value : '')).join('').trim()
/** `<element name='x'>` or `<element><name>x</name>…` (anyName and nsName give no name). */
const nameOf = (e: Element): string | undefined => e.attributes.name ?? (kids(e).find((k) => k.name === 'name') ? textOf(kids(e).find((k) => k.name === 'name')!) : undefined)

export function completionTable(dir: string, start = 'domain.rng'): CompletionElement[] {
  const defines = new Map<string, Element[]>()
  let startPattern: Element | undefined
  const load = (file: string, overridden: ReadonlySet<string>): void => {
    const grammar = rootElement(parseXml(readFileSync(join(dir, file))))!
    for (const child of kids(grammar)) {
      if (child.name === 'start') startPattern ??= child
      else if (child.name === 'define' && !overridden.has(child.attributes.name!)) defines.set(child.attributes.name!, [...(defines.get(child.attributes.name!) ?? []), child])
      else if (child.name === 'include') {
        const inner = kids(child).filter((k) => k.name === 'define')
        for (const d of inner) defines.set(d.attributes.name!, [...(defines.get(d.attributes.name!) ?? []), d])
        load(child.attributes.href!, new Set([...overridden, ...inner.map((d) => d.attributes.name!)]))
      }
    }
  }
  load(start, new Set())
  const elements = new Map<string, { children: Set<string>; attributes: Map<string, Set<string> | undefined> }>()
  const queue: Element[] = []
  const seenElements = new Set<Element>()

  /** Values an attribute is limited to, or undefined when it takes free text or data. */
  const valuesOf = (pattern: Element, seen: Set<string>): Set<string> | undefined => {
    const out = new Set<string>()
    for (const k of kids(pattern)) {
      if (k.name === 'value') out.add(textOf(k))
      else if (k.name === 'data' || k.name === 'text' || k.name === 'list') return undefined
      else if (k.name === 'ref') {
        if (seen.has(k.attributes.name!)) continue
        seen.add(k.attributes.name!)
        for (const d of defines.get(k.attributes.name!) ?? []) { const v = valuesOf(d, seen); if (v === undefined) return undefined; for (const x of v) out.add(x) }
      } else { const v = valuesOf(k, seen); if (v === undefined) return undefined; for (const x of v) out.add(x) }
    }
    return out
  }
  const walk = (pattern: Element, into: { children: Set<string>; attributes: Map<string, Set<string> | undefined> }, seen: Set<string>): void => {
    for (const k of kids(pattern)) {
      if (k.name === 'element') {
        const name = nameOf(k)
        if (name !== undefined) into.children.add(name)
        if (!seenElements.has(k)) { seenElements.add(k); queue.push(k) }
      } else if (k.name === 'attribute') {
        const name = nameOf(k)
        if (name === undefined || name.includes(':')) continue
        const values = kids(k).length === 0 ? undefined : valuesOf(k, new Set())
        const had = into.attributes.get(name)
        into.attributes.set(name, into.attributes.has(name) && (had === undefined || values === undefined) ? undefined : new Set([...(had ?? []), ...(values ?? [])]))
      } else if (k.name === 'ref') {
        if (seen.has(k.attributes.name!)) continue
        seen.add(k.attributes.name!)
        for (const d of defines.get(k.attributes.name!) ?? []) walk(d, into, seen)
      } else if (k.name !== 'name' && k.name !== 'value' && k.name !== 'data' && k.name !== 'except') walk(k, into, seen)
    }
  }
  const top = { children: new Set<string>(), attributes: new Map<string, Set<string> | undefined>() }
  walk(startPattern!, top, new Set())
  while (queue.length > 0) {
    const element = queue.shift()!
    const name = nameOf(element)!
    const entry = elements.get(name) ?? { children: new Set(), attributes: new Map() }
    elements.set(name, entry)
    walk(element, entry, new Set())
  }
  return [...elements].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, e]) => ({
    name,
    ...(top.children.has(name) ? { top: true as const } : {}),
    children: [...e.children].sort(),
    attributes: [...e.attributes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([attribute, values]) => (values && values.size > 0 ? { name: attribute, values: [...values].sort() } : attribute)),
  }))
}

/** The schema set @virtuned/schema ships (its `schemas/libvirt-<version>` folder). */
export function shippedSchemaDir(): string {
  const root = fileURLToPath(new URL('../../schema/schemas/', import.meta.url))
  const [version] = readdirSync(root).filter((d) => d.startsWith('libvirt-'))
  return join(root, version!)
}

export const completionFile = fileURLToPath(new URL('../src/schema-completion.json', import.meta.url))

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = completionTable(shippedSchemaDir())
  writeFileSync(completionFile, JSON.stringify(table) + '\n')
  console.log(`${table.length} elements → ${completionFile}`)
}
