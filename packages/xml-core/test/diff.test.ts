import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { applyPatchToTree, createReferenceEngine, diffTrees, parseXml, toCanonical, toXml, XmlChangeError, type IdentityKeys, type Patch } from '../src/index.ts'
import { libvirtIdentityKeys } from './_libvirt-keys.ts'
import { element } from './_arbitraries.ts'

const keys = libvirtIdentityKeys
const same = (a: string, b: string) => expect(toCanonical(parseXml(a), { comments: true })).toBe(toCanonical(parseXml(b), { comments: true }))
const roundTrip = (a: string, b: string, k: IdentityKeys = keys): Patch => {
  const patch = diffTrees(parseXml(a), parseXml(b), k)
  same(toXml(applyPatchToTree(parseXml(a), patch, k)), b)
  return patch
}

const domain = (devices: string, extra = '') => `<domain type='kvm'><name>d</name>${extra}<devices>${devices}</devices></domain>`
const disk = (dev: string, cache = 'none') => `<disk type='file' device='disk'><driver name='qemu' cache='${cache}'/><source file='/img/${dev}.qcow2'/><target dev='${dev}' bus='virtio'/></disk>`

describe('diff', () => {
  it('is empty between a document and itself, and ignores layout and attribute order', () => {
    expect(diffTrees(parseXml(domain(disk('vda'))), parseXml(domain(disk('vda'))), keys).ops).toEqual([])
    expect(diffTrees(parseXml("<a x='1' y='2'>\n  <b/>\n</a>"), parseXml("<a y='2' x='1'><b/></a>"), keys).ops).toEqual([])
  })

  it('is minimal: one changed attribute is one operation, addressed by identity', () => {
    const patch = roundTrip(domain(disk('vda') + disk('vdb')), domain(disk('vda') + disk('vdb', 'writeback')))
    expect(patch.ops).toEqual([{ op: 'set-attribute', path: "/domain/devices/disk[target/@dev='vdb']/driver", name: 'cache', value: 'writeback', from: 'none' }])
  })

  it('adds and removes attributes, text and elements', () => {
    const patch = roundTrip(
      "<domain type='kvm'><name>a</name><memory unit='KiB'>1024</memory><devices>" + disk('vda') + "<interface type='network'><mac address='52:54:00:00:00:01'/></interface></devices></domain>",
      "<domain><name>b</name><memory>2048</memory><devices>" + disk('vda') + disk('vdc') + '</devices></domain>',
    )
    expect(patch.ops.map((o) => o.op).sort()).toEqual(['insert', 'remove', 'remove-attribute', 'remove-attribute', 'set-text', 'set-text'])
    expect(patch.ops).toContainEqual({ op: 'insert', path: '/domain/devices', after: "disk[target/@dev='vda']", xml: disk('vdc'), as: "disk[target/@dev='vdc']" })
    expect(patch.ops).toContainEqual({ op: 'remove', path: "/domain/devices/interface[mac/@address='52:54:00:00:00:01']" })
  })

  it('reorders by identity, with one operation per list', () => {
    const patch = roundTrip(domain(disk('vda') + disk('vdb') + disk('vdc')), domain(disk('vdc') + disk('vda') + disk('vdb')))
    expect(patch.ops).toEqual([{ op: 'reorder', path: '/domain/devices', order: ["disk[target/@dev='vdc']", "disk[target/@dev='vda']", "disk[target/@dev='vdb']"] }])
  })

  it('tells same-identity siblings apart by their order, and a user alias beats every other key', () => {
    roundTrip(domain('<video/><video/><hub/>'), domain('<hub/><video/>'))
    const aliased = (dev: string) => `<disk type='file'><source file='/img/boot.qcow2'/><target dev='${dev}'/><alias name='ua-boot'/></disk>`
    const patch = roundTrip(domain(aliased('vda')), domain(aliased('vdz')))
    expect(patch.ops).toEqual([{ op: 'set-attribute', path: "/domain/devices/disk[alias/@name='ua-boot']/target", name: 'dev', value: 'vdz', from: 'vda' }])
  })

  it('replaces content with comments or mixed text as a whole', () => {
    const patch = roundTrip('<domain><devices><!-- a --><disk/></devices></domain>', '<domain><devices><!-- b --><disk/></devices></domain>')
    expect(patch.ops).toEqual([{ op: 'replace', path: '/domain/devices', xml: '<devices><!-- b --><disk/></devices>' }])
    roundTrip('<domain/>', '<network/>')
  })

  it('identifies a re-plugged USB host device by vendor and product, not bus numbers', () => {
    const usb = (device: string) => domain(`<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/><address bus='1' device='${device}'/></source></hostdev>`)
    expect(roundTrip(usb('5'), usb('9')).ops).toEqual([{ op: 'set-attribute', path: "/domain/devices/hostdev[source/vendor/@id='0x1234'][source/product/@id='0xbeef']/source/address", name: 'device', value: '9', from: '5' }])
    expect(() => diffTrees(parseXml(usb('5')), parseXml(usb('9')), { rules: [{ path: "domain[@x='1']/devices", key: [] }] })).toThrow(expect.objectContaining({ code: 'engine-bad-option' }))
  })

  it('escapes quotes in identity paths', () => {
    const patch = roundTrip(domain(disk('it&apos;s')), domain(disk('it&apos;s', 'unsafe')))
    expect(patch.ops[0]!.path).toBe("/domain/devices/disk[target/@dev='it''s']/driver")
  })
})

describe('applyPatch', () => {
  const a = domain(disk('vda') + disk('vdb'))
  const b = domain(disk('vda') + disk('vdb', 'writeback') + disk('vdc'))
  const patch = diffTrees(parseXml(a), parseXml(b), keys)

  it('still applies after libvirt re-ordered and re-addressed the devices', () => {
    const reordered = domain(disk('vdb').replace('</disk>', "<address type='pci' slot='0x05'/></disk>") + disk('vda'))
    const result = toXml(applyPatchToTree(parseXml(reordered), patch, keys))
    expect(result).toContain("<driver name='qemu' cache='writeback'/>")
    expect(result).toContain("<address type='pci' slot='0x05'/>")
    expect(result).toContain("dev='vdc'")
  })

  it('is all or nothing: a precondition or a missing target is a typed error with the op index', () => {
    const applied = applyPatchToTree(parseXml(a), patch, keys)
    expect(() => applyPatchToTree(applied, patch, keys)).toThrow(expect.objectContaining({ code: 'patch-precondition-failed', index: 0 }))
    expect(() => applyPatchToTree(parseXml(domain(disk('vda'))), patch, keys)).toThrow(expect.objectContaining({ code: 'patch-target-missing', index: 0, path: '/domain/devices' }))
    expect(() => applyPatchToTree(parseXml(a), { format: 'nope' } as unknown as Patch, keys)).toThrow(XmlChangeError)
    expect(() => applyPatchToTree(parseXml(a), { format: 'virtuned-patch/1', ops: [{ op: 'insert', path: '/domain/devices', after: null, xml: '<broken', as: 'x' }] }, keys)).toThrow(expect.objectContaining({ code: 'patch-invalid' }))
  })

  it('refuses a bad identity table with a clear message', () => {
    expect(() => diffTrees(parseXml(a), parseXml(b), { rules: [{ path: 'domain//disk', key: ['target/@dev'] }] })).toThrow(expect.objectContaining({ code: 'engine-bad-option' }))
    expect(() => diffTrees(parseXml(a), parseXml(b), { rules: [{ path: 'domain/devices/disk', key: ['target/@'] }] })).toThrow(/target\/@/)
  })

  it('works through the engine on bytes', () => {
    const engine = createReferenceEngine()
    const p = engine.diff(a, new TextEncoder().encode(b), keys)
    same(new TextDecoder().decode(engine.applyPatch(a, JSON.parse(JSON.stringify(p)), keys)), b)
  })
})

describe('diff and applyPatch on generated trees', () => {
  it('applyPatch(a, diff(a, b)) ≡ b, diff(a, a) is empty', () => {
    const generic: IdentityKeys = { rules: [] }
    fc.assert(fc.property(element, element, (x, y) => {
      // Same root name, so the patch works inside it (a different root is one `replace`).
      const a = parseXml(toXml({ ...x, name: 'r' }, { style: 'preserve' }))
      const b = parseXml(toXml({ ...y, name: 'r' }, { style: 'preserve' }))
      const patch = diffTrees(a, b, generic)
      expect(toCanonical(applyPatchToTree(a, patch, generic))).toBe(toCanonical(b))
      expect(diffTrees(a, a, generic).ops).toEqual([])
    }), { seed: 20261124, numRuns: 300 })
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`diff and applyPatch on corpus pairs${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const dir = corpus.dir!
  const pairs: [string, string][] = []
  if (corpus.dir) {
    const outs = readdirSync(join(dir, 'domains-out'))
    for (const name of readdirSync(join(dir, 'domains')).sort()) {
      const base = name.slice(0, -4)
      for (const out of outs.filter((o) => o.startsWith(base + '.') && o.split('.').length === base.split('.').length + 2)) pairs.push([`domains/${name}`, `domains-out/${out}`])
    }
    for (const line of readFileSync(join(dir, 'hotplug/operations.tsv'), 'utf8').split('\n')) {
      const [action, , domainFile, , fail, , result] = line.split('\t')
      if (!action || action.startsWith('#') || fail !== 'no' || !result || result === '-') continue
      pairs.push([`hotplug/domains/${domainFile}`, `hotplug/domains/${result}`])
    }
  }

  it('turns each file into its pair, both ways', () => {
    // 501 input/output pairs of libvirt's post-parse, 29 successful hot-plug steps.
    expect(pairs.length).toBe(530)
    const failures: string[] = []
    for (const [x, y] of pairs) {
      const a = parseXml(readFileSync(join(dir, x)))
      const b = parseXml(readFileSync(join(dir, y)))
      for (const [from, to, label] of [[a, b, `${x} → ${y}`], [b, a, `${y} → ${x}`]] as const) {
        try {
          const patch = diffTrees(from, to, keys)
          if (toCanonical(applyPatchToTree(from, patch, keys)) !== toCanonical(to)) failures.push(label)
        } catch (error) {
          failures.push(`${label}: ${(error as Error).message}`)
        }
      }
      if (diffTrees(a, a, keys).ops.length !== 0) failures.push(`${x}: diff with itself is not empty`)
    }
    expect(failures).toEqual([])
  })
})
