import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { createReferenceEngine, diffTrees, mergeTrees, parseXml, toCanonical, toXml, XmlChangeError, type Element, type ElementContent, type Layer, type MergeResult, type Root } from '../src/index.ts'
import { libvirtIdentityKeys } from './_libvirt-keys.ts'
import { element } from './_arbitraries.ts'

const keys = libvirtIdentityKeys
const layer = (name: string, mode: 'fill' | 'require', xml: string): Layer => ({ name, mode, document: parseXml(xml) })
const base = parseXml("<domain type='kvm'><name>web</name><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><disk type='file'><target dev='vda'/></disk></devices></domain>")

/** The tree without comments and processing instructions (diff replaces whole elements that have them). */
function withoutComments(root: Root): Root {
  return parseXml(toCanonical(root, { comments: false }))
}

/** Only additions: the base's own values are all still there. */
function onlyAdds(from: Root, to: Root): boolean {
  return diffTrees(withoutComments(from), withoutComments(to), keys).ops.every((op) =>
    (op.op === 'set-attribute' && op.from === undefined) || op.op === 'insert' || (op.op === 'set-text' && op.from.trim() === ''))
}

describe('merge', () => {
  it('fills only what is unset, and says who added what', () => {
    const result = mergeTrees(base, [layer('defaults', 'fill', "<domain><os><type machine='q35'/></os><devices><disk><target dev='vda' bus='virtio'/></disk><rng model='virtio'><backend model='random'>/dev/urandom</backend></rng></devices></domain>")], keys)
    expect(toXml(result.document)).toContain("<type arch='x86_64' machine='pc'>hvm</type>")
    expect(toXml(result.document)).toContain("<target dev='vda' bus='virtio'/>")
    expect(result.conflicts).toEqual([])
    expect(result.provenance).toEqual([
      { path: "/domain/devices/disk[target/@dev='vda']/target/@bus", source: 'defaults', action: 'added' },
      { path: "/domain/devices/rng[@model='virtio'][backend/@model='random']", source: 'defaults', action: 'added' },
    ])
    expect(onlyAdds(base, result.document)).toBe(true)
  })

  it('reports a require that clashes with the user value, and keeps the user value', () => {
    const result = mergeTrees(base, [layer('policy:pcie', 'require', "<domain><os><type machine='q35'/></os></domain>")], keys)
    expect(result.conflicts).toEqual([{ path: '/domain/os/type/@machine', current: 'pc', wanted: 'q35', holder: 'base', requester: 'policy:pcie' }])
    expect(toXml(result.document)).toContain("machine='pc'")
  })

  it('lets a forced require win over the user value, and records it', () => {
    const result = mergeTrees(base, [layer('policy:pcie', 'require', "<domain><os><type machine='q35'/></os></domain>")], keys, { force: ['policy:pcie'] })
    expect(result.conflicts).toEqual([])
    expect(result.provenance).toEqual([{ path: '/domain/os/type/@machine', source: 'policy:pcie', action: 'overridden', previous: 'pc' }])
  })

  it('names both layers when two requires disagree, and lets a require replace an earlier preference', () => {
    const result = mergeTrees(base, [
      layer('defaults', 'fill', "<domain><devices><video><model type='qxl'/></video></devices></domain>"),
      layer('policy:vnc', 'require', "<domain><devices><video><model type='virtio'/></video></devices></domain>"),
      layer('policy:spice', 'require', "<domain><devices><video><model type='qxl'/></video></devices></domain>"),
    ], keys)
    expect(result.provenance).toContainEqual({ path: '/domain/devices/video/model/@type', source: 'policy:vnc', action: 'set', previous: 'qxl' })
    expect(result.conflicts).toEqual([{ path: '/domain/devices/video/model/@type', current: 'virtio', wanted: 'qxl', holder: 'policy:vnc', requester: 'policy:spice' }])
  })

  it('takes per-value modes from annotations and strips them', () => {
    const result = mergeTrees(base, [layer('policy:x', 'fill', "<domain xmlns:vt='urn:virtuned:layer'><os vt:mode='require'><type machine='q35' arch='aarch64' vt:fill='arch'/></os><on_crash vt:require='#text'>restart</on_crash></domain>")], keys)
    expect(result.conflicts).toEqual([{ path: '/domain/os/type/@machine', current: 'pc', wanted: 'q35', holder: 'base', requester: 'policy:x' }])
    const xml = toXml(result.document)
    expect(xml).not.toMatch(/vt:|urn:virtuned/)
    expect(xml).toContain('<on_crash>restart</on_crash>')
    // A later fill cannot undo a value that a require added.
    const again = mergeTrees(result.document, [layer('late', 'require', '<domain><on_crash>destroy</on_crash></domain>')], keys)
    expect(again.conflicts).toEqual([{ path: '/domain/on_crash/text()', current: 'restart', wanted: 'destroy', holder: 'base', requester: 'late' }])
  })

  it('shares what it adds among results, frozen, and leaves the base and the layer as they were', () => {
    const rng = layer('defaults', 'fill', "<domain><devices><rng model='virtio'><backend model='random'>/dev/urandom</backend></rng></devices></domain>")
    const before = toXml(base)
    const layerBefore = toXml(rng.document)
    const rngOf = (root: Root) => (root.children[0] as any).children.find((c: any) => c.name === 'devices').children.find((c: any) => c.name === 'rng')
    const one = mergeTrees(base, [rng], keys).document
    const two = mergeTrees(base, [rng], keys).document
    expect(rngOf(one)).toBe(rngOf(two))
    expect(Object.isFrozen(rngOf(one)) && Object.isFrozen(rngOf(one).attributes) && Object.isFrozen(rngOf(one).children)).toBe(true)
    expect(() => { rngOf(one).attributes.model = 'x' }).toThrow(TypeError)
    // The unchanged <name> is the base's own object; the changed path is a copy.
    expect((one.children[0] as any).children[0]).toBe((base.children[0] as any).children[0])
    expect(one.children[0]).not.toBe(base.children[0])
    expect(toXml(base)).toBe(before)
    expect(toXml(rng.document)).toBe(layerBefore)
    // The serializer reuses a shared subtree's text only at the same depth: the same element at another depth is indented for it.
    expect(toXml(one)).toContain("\n    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n")
    expect(toXml({ type: 'root', children: [rngOf(one)] })).toBe("<rng model='virtio'>\n  <backend model='random'>/dev/urandom</backend>\n</rng>\n")
    expect(toXml(two)).toContain("\n    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n")
  })

  it('refuses a layer with another root', () => {
    expect(() => mergeTrees(base, [layer('x', 'fill', '<network/>')], keys)).toThrow(XmlChangeError)
  })

  it('matches later layers against repeats and keyed siblings that earlier layers wrote below', () => {
    const start = parseXml("<domain><devices><video><model type='vga'/></video><video/><controller type='usb' index='0'/><disk><target dev='vda'/><alias name='ua-d'/></disk></devices></domain>")
    const result = mergeTrees(start, [
      layer('a', 'fill', "<domain><devices><video/><video><model type='qxl'/></video><controller type='usb' index='0' model='qemu-xhci'/><disk><alias name='ua-d'/><driver name='qemu'/></disk></devices></domain>"),
      layer('b', 'fill', "<domain><devices><video/><video><model heads='1'/></video><controller type='usb' index='0'><address type='pci'/></controller><disk><alias name='ua-d'/><driver type='raw'/><serial>s</serial></disk></devices></domain>"),
    ], keys)
    const xml = toXml(result.document)
    expect([xml.match(/<video/g)?.length, xml.match(/<controller/g)?.length, xml.match(/<disk/g)?.length]).toEqual([2, 1, 1])
    expect(result.provenance).toEqual([
      { path: '/domain/devices/video[2]/model', source: 'a', action: 'added' },
      { path: "/domain/devices/controller[@type='usb'][@index='0']/@model", source: 'a', action: 'added' },
      { path: "/domain/devices/disk[alias/@name='ua-d']/driver", source: 'a', action: 'added' },
      { path: '/domain/devices/video[2]/model/@heads', source: 'b', action: 'added' },
      { path: "/domain/devices/controller[@type='usb'][@index='0']/address", source: 'b', action: 'added' },
      { path: "/domain/devices/disk[alias/@name='ua-d']/driver/@type", source: 'b', action: 'added' },
      { path: "/domain/devices/disk[alias/@name='ua-d']/serial", source: 'b', action: 'added' },
    ])
  })

  it('holds the values of an added subtree under its copy\'s identities when a key reads an annotation', () => {
    // The copy loses `vt:y`, so its target is `target[not(@vt:y)]` — where a later require finds
    // the fill's value (a `set`, not a conflict with the base).
    const odd = { rules: [{ path: 'domain/devices/disk/target', key: ['@vt:y'] }] }
    const result = mergeTrees(parseXml('<domain><devices/></domain>'), [
      layer('f', 'fill', "<domain xmlns:vt='urn:virtuned:layer'><devices><disk type='file'><target vt:y='1' dev='vda'/></disk></devices></domain>"),
      layer('r', 'require', "<domain><devices><disk type='block'><target dev='vdb'/></disk></devices></domain>"),
    ], odd)
    expect(result.conflicts).toEqual([])
    expect(result.provenance).toEqual([
      { path: '/domain/devices/disk', source: 'f', action: 'added' },
      { path: '/domain/devices/disk/@type', source: 'r', action: 'set', previous: 'file' },
      { path: "/domain/devices/disk/target[not(@vt:y)]/@dev", source: 'r', action: 'set', previous: 'vda' },
    ])
  })

  it('works through the engine on bytes, with the document in libvirt layout', () => {
    const engine = createReferenceEngine()
    const result = engine.merge('<domain><name>a</name></domain>', [{ name: 'defaults', mode: 'fill', document: '<domain><features><acpi/><apic/></features></domain>' }], keys)
    expect(new TextDecoder().decode(result.document)).toBe('<domain>\n  <name>a</name>\n  <features>\n    <acpi/>\n    <apic/>\n  </features>\n</domain>\n')
    expect(result.provenance).toEqual([{ path: '/domain/features', source: 'defaults', action: 'added' }])
  })
})

describe('merge on generated trees', () => {
  // Trees over a few names and values, so that layers match base children, repeat them, fill in
  // keys and aliases: a frozen base (as results are where layers added subtrees) must merge
  // exactly as a plain copy of it, however often its frozen elements' segments were read before.
  const small = fc.letrec<{ node: Element }>((tie) => ({
    node: fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'alias'),
      attributes: fc.dictionary(fc.constantFrom('k', 'm', 'name'), fc.constantFrom('1', '2', 'ua-x', 'ua-y'), { maxKeys: 2 }).map((a) => Object.assign({}, a)),
      children: fc.array(fc.oneof({ depthSize: 'small' }, fc.constantFrom<ElementContent>({ type: 'text', value: 't' }, { type: 'text', value: ' ' }), tie('node') as fc.Arbitrary<ElementContent>), { maxLength: 4 }),
    }).map((e) => ({ type: 'element' as const, ...e })),
  })).node
  const rooted = small.map((e): Root => ({ type: 'root', children: [{ ...e, name: 'r' }] }))
  const smallKeys = { rules: [{ path: 'r/a', key: ['@k'] }, { path: 'r/*/b', key: ['c/@m', 'a'], normalize: { 'c/@m': 'decimal' as const } }, { path: 'r/*/*/c[@k=\'1\']', key: ['@m'] }] }
  const copy = (node: any): any => (node.type === 'element' ? { ...node, attributes: { ...node.attributes }, children: node.children.map(copy) } : node.type === 'root' ? { ...node, children: node.children.map(copy) } : { ...node })
  const frozen = (node: any): any => Object.freeze(node.type === 'element' ? { ...node, attributes: Object.freeze({ ...node.attributes }), children: Object.freeze(node.children.map(frozen)) } : node.type === 'root' ? { ...node, children: node.children.map(frozen) } : { ...node })
  const same = (a: MergeResult, b: MergeResult) => {
    expect(toCanonical(a.document)).toBe(toCanonical(b.document))
    expect(a.conflicts).toEqual(b.conflicts)
    expect(a.provenance).toEqual(b.provenance)
  }

  it('merges a frozen base as a plain copy of it', () => {
    fc.assert(fc.property(rooted, rooted, rooted, rooted, (base, x, y, z) => {
      const layers: Layer[] = [{ name: 'x', mode: 'fill', document: x }, { name: 'y', mode: 'require', document: y }, { name: 'z', mode: 'fill', document: z }]
      same(mergeTrees(frozen(base), layers, smallKeys), mergeTrees(copy(base), layers, smallKeys))
      // A result shares the layers' frozen subtrees: merged again, it reads their kept segments.
      const once = mergeTrees(base, layers.slice(0, 1), smallKeys).document
      const more = [{ name: 'y', mode: 'require' as const, document: y }, { name: 'z', mode: 'fill' as const, document: z }, { name: 'x2', mode: 'require' as const, document: x }]
      const first = mergeTrees(once, more, smallKeys, { force: ['x2'] })
      same(mergeTrees(once, more, smallKeys, { force: ['x2'] }), first)
      same(mergeTrees(copy(once), more, smallKeys, { force: ['x2'] }), first)
    }), { seed: 20261203, numRuns: 400 })
  })

  it('is idempotent and a fill layer never changes a value of the base', () => {
    const generic = { rules: [] }
    fc.assert(fc.property(element, element, (x, y) => {
      const a = parseXml(toXml({ ...x, name: 'r' }, { style: 'preserve' }))
      const b = parseXml(toXml({ ...y, name: 'r' }, { style: 'preserve' }))
      const layers = [{ name: 'fill', mode: 'fill' as const, document: b }]
      const once = mergeTrees(a, layers, generic)
      const twice = mergeTrees(once.document, layers, generic)
      expect(toCanonical(twice.document)).toBe(toCanonical(once.document))
      expect(twice.provenance).toEqual([])
      for (const op of diffTrees(a, once.document, generic).ops) {
        expect(op.op === 'insert' || (op.op === 'set-attribute' && op.from === undefined) || (op.op === 'set-text' && op.from.trim() === '') || op.op === 'replace' || op.op === 'reorder').toBe(true)
      }
    }), { seed: 20261124, numRuns: 300 })
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`merge on corpus pairs${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it("merging libvirt's output as a fill layer is idempotent, never changes a user value, and adds what libvirt added", () => {
    const dir = corpus.dir!
    const outs = readdirSync(join(dir, 'domains-out'))
    let pairs = 0
    const failures: string[] = []
    for (const name of readdirSync(join(dir, 'domains')).sort()) {
      const stem = name.slice(0, -4)
      const out = outs.find((o) => o.startsWith(stem + '.') && o.split('.').length === stem.split('.').length + 2)
      if (!out) continue
      pairs++
      const a = parseXml(readFileSync(join(dir, 'domains', name)))
      const b = parseXml(readFileSync(join(dir, 'domains-out', out)))
      const layers = [{ name: 'libvirt', mode: 'fill' as const, document: b }]
      const once = mergeTrees(a, layers, keys)
      const twice = mergeTrees(once.document, layers, keys)
      if (toCanonical(twice.document) !== toCanonical(once.document) || twice.provenance.length > 0) failures.push(`${name}: not idempotent`)
      if (!onlyAdds(a, once.document)) failures.push(`${name}: a fill changed a base value`)
      if (once.conflicts.length > 0) failures.push(`${name}: a fill layer produced conflicts`)
      // Everything libvirt's output has is then in the merge (as a value or a user's own value).
      if (diffTrees(b, once.document, keys).ops.some((op) => op.op === 'remove')) failures.push(`${name}: lost an element libvirt added`)
    }
    expect(pairs).toBe(501)
    expect(failures).toEqual([])
  })
})
