// The WebAssembly engine's diff, applyPatch and merge against the TypeScript reference: the same
// JSON, the same bytes, the same errors — on corpus pairs, generated trees and broken input.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { createEngine, createReferenceEngine, toXml, type LayerInput, type Patch, type XmlChangeEngine, type XmlEngine } from '../src/index.ts'
import { libvirtIdentityKeys as keys } from './_libvirt-keys.ts'
import { outcome } from './_outcome.ts'
import { engineInternals } from '../src/_internals.ts'
import { element } from './_arbitraries.ts'

const reference = createReferenceEngine()
let wasm: XmlEngine & XmlChangeEngine
beforeAll(async () => {
  wasm = await createEngine()
})


function compare(a: string | Uint8Array, b: string | Uint8Array, layers: (x: typeof a, y: typeof b) => LayerInput[] = (x, y) => [{ name: 'fill', mode: 'fill', document: y }, { name: 'req', mode: 'require', document: x }]): void {
  const patch = reference.diff(a, b, keys)
  expect(outcome(() => wasm.diff(a, b, keys))).toEqual(outcome(() => patch))
  expect(outcome(() => wasm.applyPatch(a, patch, keys))).toEqual(outcome(() => reference.applyPatch(a, patch, keys)))
  expect(outcome(() => wasm.merge(a, layers(a, b), keys, { force: ['req'] }))).toEqual(outcome(() => reference.merge(a, layers(a, b), keys, { force: ['req'] })))
}

describe('wasm ≡ reference: diff, applyPatch, merge', () => {
  it('on hand-written cases with aliases, duplicates, reorders, annotations and text', () => {
    const d = (devices: string, extra = '') => `<domain xmlns:vt='urn:virtuned:layer'>${extra}<devices>${devices}</devices></domain>`
    const cases: [string, string][] = [
      [d("<disk><target dev='vda'/></disk><disk><target dev='vdb'/></disk>"), d("<disk><target dev='vdb'/></disk><disk><target dev='vda' bus='virtio'/></disk><video/><video/>")],
      [d("<video/><video/><hub/>"), d("<hub type='usb'/><video/>")],
      [d("<disk><target dev='x'/><alias name='ua-a'/></disk>"), d("<disk><target dev='y'/><alias name='ua-a'/></disk>")],
      [d('', '<os vt:mode="require"><type machine="q35" vt:fill="machine">hvm</type></os><on_crash vt:require="#text">destroy</on_crash>'), d('', '<os><type machine="pc">hvm</type></os><on_crash>restart</on_crash>')],
      [d('<!-- c --><disk/>'), d('<!-- d --><disk/>')],
      ["<domain><cpu>\n  </cpu></domain>", "<domain><cpu mode='x'><model/></cpu></domain>"],
      ["<domain><description>ü &amp; \"q\" 'a' \t\n</description></domain>", "<domain><description>𝄞 new\r\n</description></domain>"],
      ["<domain><disk><target dev=\"it's\"/></disk></domain>", "<domain><disk><target dev=\"it's\" bus='sata'/></disk></domain>"],
      ['<domain/>', '<network/>'],
      [d("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1'/><product id='0x2'/><address bus='1' device='5'/></source></hostdev><hostdev type='pci'><source><address domain='0' bus='1' slot='2' function='0'/></source></hostdev>"),
        d("<hostdev type='pci'><source><address domain='0' bus='1' slot='2' function='0'/></source></hostdev><hostdev mode='subsystem' type='usb'><source><vendor id='0x1'/><product id='0x2'/><address bus='1' device='9'/></source></hostdev>")],
    ]
    for (const [a, b] of cases) { compare(a, b); compare(b, a) }
  })

  it('on subtrees with the same bytes (skipped by the module) next to changed ones, and on strings past the BMP', () => {
    // diff skips a matched pair parsed from identical bytes; the patch still comes out as the reference's.
    const disk = (dev: string, extra = '') => `<disk type='file'><source file='/v/${dev}.img'/><target dev='${dev}' bus='virtio'/>${extra}</disk>`
    const d = (devices: string) => `<domain><name>𝄞 ü</name><devices>${devices}</devices></domain>`
    const cases: [string, string][] = [
      [d(disk('vda') + disk('vdb')), d(disk('vda') + disk('vdb', "<serial>𝄞'x</serial>"))],
      [d(disk('vda') + disk('vdb')), d(disk('vdb') + disk('vda'))],
      [d(disk('vda') + disk('vda')), d(disk('vda') + disk('vda') + disk('vda'))],
      [d(disk('vda')), d(disk('vda') + "<interface type='network'><source network='n€t 😀'/></interface>")],
      [d("<video><model type='vga'/></video>"), d("<video><model type='vga' name='😀 \u00e9'/></video>")],
      ["<domain><devices><disk/></devices><devices><disk/></devices></domain>", "<domain><devices><disk/></devices><devices><disk a='1'/></devices></domain>"],
    ]
    for (const [a, b] of cases) { compare(a, b); compare(b, a) }
    expect(wasm.diff(cases[0]![0], cases[0]![0], keys)).toEqual({ format: 'virtuned-patch/1', ops: [] })
  })

  it('gives the same errors for broken documents, patches and layers', () => {
    const good = "<domain><devices><disk><target dev='vda'/></disk></devices></domain>"
    const patch = reference.diff(good, "<domain><devices><disk><target dev='vda' bus='sata'/></disk></devices></domain>", keys)
    const bad: [string, () => unknown, () => unknown][] = [
      ['broken document', () => wasm.diff('<domain>', good, keys), () => reference.diff('<domain>', good, keys)],
      ['broken second document', () => wasm.diff(good, '<a></b>', keys), () => reference.diff(good, '<a></b>', keys)],
      ['patch applied twice', () => wasm.applyPatch(reference.applyPatch(good, patch, keys), patch, keys), () => reference.applyPatch(reference.applyPatch(good, patch, keys), patch, keys)],
      ['patch for another document', () => wasm.applyPatch('<domain/>', patch, keys), () => reference.applyPatch('<domain/>', patch, keys)],
      ['not a patch', () => wasm.applyPatch(good, { format: 'x' } as unknown as Patch, keys), () => reference.applyPatch(good, { format: 'x' } as unknown as Patch, keys)],
      ['unknown op', () => wasm.applyPatch(good, { format: 'virtuned-patch/1', ops: [{ op: 'nope', path: '/domain' }] } as unknown as Patch, keys), () => reference.applyPatch(good, { format: 'virtuned-patch/1', ops: [{ op: 'nope', path: '/domain' }] } as unknown as Patch, keys)],
      ['bad XML in an insert', () => wasm.applyPatch(good, { format: 'virtuned-patch/1', ops: [{ op: 'insert', path: '/domain/devices', after: null, xml: '<x', as: 'x' }] }, keys), () => reference.applyPatch(good, { format: 'virtuned-patch/1', ops: [{ op: 'insert', path: '/domain/devices', after: null, xml: '<x', as: 'x' }] }, keys)],
      ['layer with another root', () => wasm.merge(good, [{ name: 'n', mode: 'fill', document: '<network/>' }], keys), () => reference.merge(good, [{ name: 'n', mode: 'fill', document: '<network/>' }], keys)],
      ['broken layer', () => wasm.merge(good, [{ name: 'n', mode: 'fill', document: '<domain' }], keys), () => reference.merge(good, [{ name: 'n', mode: 'fill', document: '<domain' }], keys)],
      ['bad layer mode', () => wasm.merge(good, [{ name: 'n', mode: 'maybe' as 'fill', document: good }], keys), () => reference.merge(good, [{ name: 'n', mode: 'maybe' as 'fill', document: good }], keys)],
      ['bad identity table', () => wasm.diff(good, good, { rules: [{ path: '', key: [] }] }), () => reference.diff(good, good, { rules: [{ path: '', key: [] }] })],
    ]
    for (const [label, w, r] of bad) {
      const expected = outcome(r)
      expect(typeof expected, `${label} should fail`).toBe('object')
      expect(outcome(w), label).toEqual(expected)
    }
  })

  it('on generated trees', () => {
    fc.assert(fc.property(element, element, (x, y) => {
      const a = toXml({ ...x, name: 'r' }, { style: 'preserve' })
      const b = toXml({ ...y, name: 'r' }, { style: 'preserve' })
      compare(a, b)
    }), { seed: 20261124, numRuns: 300 })
  })

  it('keeps memory bounded over repeated merges', async () => {
    const engine = await createEngine()
    const doc = `<domain><devices>${Array.from({ length: 400 }, (_, i) => `<disk><target dev='vd${i}'/></disk>`).join('')}</devices></domain>`
    const layer = `<domain><devices>${Array.from({ length: 400 }, (_, i) => `<disk><target dev='vd${i}' bus='virtio'/><driver cache='none'/></disk>`).join('')}</devices></domain>`
    engine.merge(doc, [{ name: 'l', mode: 'fill', document: layer }], keys)
    const after1 = engineInternals.get(engine)!.memoryBytes()
    for (let i = 0; i < 100; i++) engine.merge(doc, [{ name: 'l', mode: 'fill', document: layer }], keys)
    expect(engineInternals.get(engine)!.memoryBytes()).toBe(after1)
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`wasm ≡ reference on corpus pairs${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it('diff, applyPatch and merge in both directions', () => {
    const dir = corpus.dir!
    const outs = readdirSync(join(dir, 'domains-out'))
    const pairs: [Uint8Array, Uint8Array][] = []
    for (const name of readdirSync(join(dir, 'domains')).sort()) {
      const stem = name.slice(0, -4)
      for (const out of outs.filter((o) => o.startsWith(stem + '.') && o.split('.').length === stem.split('.').length + 2)) {
        pairs.push([new Uint8Array(readFileSync(join(dir, 'domains', name))), new Uint8Array(readFileSync(join(dir, 'domains-out', out)))])
      }
    }
    for (const line of readFileSync(join(dir, 'hotplug/operations.tsv'), 'utf8').split('\n')) {
      const [action, , domain, , fail, , result] = line.split('\t')
      if (!action || action.startsWith('#') || fail !== 'no' || !result || result === '-') continue
      pairs.push([new Uint8Array(readFileSync(join(dir, 'hotplug/domains', domain!))), new Uint8Array(readFileSync(join(dir, 'hotplug/domains', result)))])
    }
    expect(pairs.length).toBe(530)
    for (const [a, b] of pairs) { compare(a, b); compare(b, a) }
  })
})
