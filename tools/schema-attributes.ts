// Which attributes libvirt can read on each element of a domain, per release, tabulated from its RelaxNG schema (and the
// few reads found beyond it, `beyondSchema`; issue 19): libvirt's parser ignores an attribute it does not read and its formatter writes only what it read,
// and every document libvirt writes is valid against its schema (its tests check it) — so an attribute the schema
// does not allow where it stands is one `virsh define` drops. The table (packages/model/src/libvirt/
// schema-elements.ts) is keyed by the last three element names of a path (`devices/disk/driver`,
// `backingStore/source/host`): the union over every schema context with that ending, so a name is only ever dropped
// when no context of that ending takes it.
//   npx tsx --conditions=@virtuned/source tools/schema-attributes.ts [--check]
// Reads libvirt 11.3.0's schema (packages/schema/schemas) and 9.0.0's (node_modules/.cache/libvirt-9.0.0, which
// `npx tsx tools/libvirt-heldout.ts --release 9.0.0` fetches); `--check` fails when the committed table differs.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createExplainer, type Definition } from '../packages/schema/src/explain.ts'

const root = join(import.meta.dirname, '..')
const releases = [
  { name: '11.3.0', dir: join(root, 'packages/schema/schemas/libvirt-11.3.0') },
  { name: '9.0.0', dir: join(root, 'node_modules/.cache/libvirt-9.0.0/libvirt-9.0.0/src/conf/schemas') },
]
const out = join(root, 'packages/model/src/libvirt/schema-elements.ts')

/** What the schema takes at one element (by its grandparent's, its parent's and its own name): its attributes ('*' any), whether any element may be below it, whether it holds text. */
interface Place { attributes: Set<string> | '*'; anyChild: boolean; text: boolean; repeats: boolean }

/** `grandparent/parent/name` → what the schema takes there, over every context with that ending (the root: `//domain`). */
function tabulate(dir: string): Map<string, Place> {
  const files = new Map(readdirSync(dir).filter((f) => f.endsWith('.rng')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
  const { roots } = createExplainer(files, 'domain.rng')
  const table = new Map<string, Place>()
  const ids = new Map<Definition, number>()
  const idOf = (d: Definition): number => { let i = ids.get(d); if (i === undefined) ids.set(d, (i = ids.size)); return i }
  const seen = new Set<string>()
  const walk = (grandparent: string, parent: string, name: string, candidates: readonly Definition[], repeats: boolean): void => {
    const key = `${grandparent}/${parent}/${name}`
    const place = table.get(key) ?? { attributes: new Set<string>(), anyChild: false, text: false, repeats: false }
    table.set(key, place)
    // (it may stand more than once below its parent when some context lets it: the union, as for the rest)
    if (repeats) place.repeats = true
    const state = `${key}|${candidates.map(idOf).sort((a, b) => a - b).join(',')}`
    if (seen.has(state)) return
    seen.add(state)
    if (candidates.some((d) => d.takesText)) place.text = true
    if (candidates.some((d) => d.openAttributes)) place.attributes = '*'
    else if (place.attributes !== '*') for (const d of candidates) for (const a of d.attributes.keys()) place.attributes.add(a)
    const byName = new Map<string, Definition[]>()
    const repeating = new Set<string>()
    for (const d of candidates) for (const c of d.children) {
      // (an <anyName/> element: anything may stand there, metadata's contents; a namespaced one is the driver's)
      if (c.name === undefined) { place.anyChild = true; continue }
      if (c.name.startsWith('{')) continue
      const list = byName.get(c.name) ?? []
      if (!list.includes(c)) list.push(c)
      byName.set(c.name, list)
      if (d.repeatable.has(c.name)) repeating.add(c.name)
    }
    for (const [child, list] of byName) walk(parent, name, child, list, repeating.has(child))
  }
  walk('', '', 'domain', roots.filter((d) => d.name === 'domain'), false)
  return table
}

/**
 * What libvirt's parser reads and its formatter writes though its domain schema does not take it there — found on
 * libvirtd 9.0 (`<auth type='chap'>` on a disk source is kept: virStorageAuthDefParse, shared with storage pools, reads
 * it, virStorageAuthDefFormat writes it): added to both releases' tables, so preview keeps them.
 */
const beyondSchema: readonly (readonly [path: string, attribute: string])[] = [
  ['disk/source/auth', 'type'],
  ['devices/disk/auth', 'type'],
  ['backingStore/source/auth', 'type'],
  ['nvram/source/auth', 'type'],
  ['hostdev/source/auth', 'type'],
]

/**
 * What libvirt's parser reads every one of though its schema takes one there — found on libvirtd 9.0: an encryption's
 * secrets (virStorageEncryptionParseNode reads the node set; 9.0's schema takes one). Marked repeatable in both tables.
 */
const repeatsBeyondSchema: readonly string[] = ['source/encryption/secret', 'disk/encryption/secret']

const tables = releases.map((r) => {
  const table = tabulate(r.dir)
  for (const path of repeatsBeyondSchema) {
    const place = table.get(path)
    if (place === undefined) throw new Error(`schema-attributes: no element ${path} in libvirt ${r.name}'s schema`)
    place.repeats = true
  }
  for (const [path, attribute] of beyondSchema) {
    const place = table.get(path)
    if (place === undefined) throw new Error(`schema-attributes: no element ${path} in libvirt ${r.name}'s schema`)
    if (place.attributes !== '*') place.attributes.add(attribute)
  }
  return table
})
const keys = [...new Set(tables.flatMap((t) => [...t.keys()]))].sort()
// (the attribute sets once each, by number; then by grandparent and parent: `child:set` for both releases, `child:set,set`
// when the older differs, an empty number when a release has no such element, `+` when any element may stand below it)
const sets: string[] = []
const numberOf = (p: Place | undefined): string => {
  if (p === undefined) return ''
  const text = p.attributes === '*' ? '*' : [...p.attributes].sort().join(' ')
  let i = sets.indexOf(text)
  if (i < 0) i = sets.push(text) - 1
  return `${i}${p.anyChild ? '+' : ''}${p.text ? '~' : ''}${p.repeats ? '*' : ''}`
}
const byParent = new Map<string, string[]>()
for (const key of keys) {
  const at = key.lastIndexOf('/')
  const [parent, child] = [key.slice(0, at), key.slice(at + 1)]
  const [newest, older] = tables.map((t) => numberOf(t.get(key)))
  const list = byParent.get(parent) ?? []
  list.push(`${child}:${newest}${newest === older ? '' : `,${older}`}`)
  byParent.set(parent, list)
}
const text = `// Generated by tools/schema-attributes.ts from libvirt ${releases.map((r) => r.name).join(' and ')}'s RelaxNG schemas (src/conf/schemas): do not edit.
/** Attribute sets, by number: names separated by spaces, or \`*\` for any. */
export const schemaAttributeSets = ${JSON.stringify(sets.join('|'))}
/** By grandparent and parent element, \`grandparent/parent{child:N child:N,M …}\`: N the attribute set libvirt ${releases[0]!.name}'s schema takes there, M ${releases[1]!.name}'s when it differs (empty: no such element), \`+\` any child element, \`~\` text, \`*\` it may stand more than once. */
export const schemaElements = ${JSON.stringify([...byParent].map(([p, l]) => `${p}{${l.join(' ')}}`).join(''))}
`
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) { console.error(`schema-attributes: ${out} is not what the schemas give; run tools/schema-attributes.ts`); process.exit(1) }
} else {
  writeFileSync(out, text)
  console.log(`schema-attributes: ${keys.length} elements by grandparent and parent, ${sets.length} attribute sets → ${out} (${text.length} bytes)`)
}
