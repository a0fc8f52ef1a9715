import { describe, expect, it } from 'vitest'
import { createEngine, createReferenceEngine, mergeTrees, normalizeKeyValue, parseXml, selectPath, toXml, valuePaths, type IdentityKeys } from '../src/index.ts'

// A local table (xml-core is generic; libvirt's table lives in @virtuned/model): key values are
// compared as libvirt writes them back, identically in both engines.
const keys: IdentityKeys = {
  rules: [
    { path: 'domain/devices/interface', key: ['mac/@address'], normalize: { 'mac/@address': 'lowercase' } },
    { path: "domain/devices/hostdev[@type='pci']", key: ['source/address/@domain', 'source/address/@bus', 'source/address/@slot', 'source/address/@function'], normalize: { 'source/address/@domain': 'hex4', 'source/address/@bus': 'hex2', 'source/address/@slot': 'hex2', 'source/address/@function': 'hex1' } },
    { path: "domain/devices/hostdev[@type='scsi']", key: ['source/address/@unit'], normalize: { 'source/address/@unit': 'decimal' } },
  ],
}

const pci = (d: string, b: string, s: string, f: string, extra = '') => `<hostdev mode='subsystem' type='pci'${extra}><source><address domain='${d}' bus='${b}' slot='${s}' function='${f}'/></source></hostdev>`
const doc = (devices: string) => `<domain><devices>${devices}</devices></domain>`

describe('identity values as libvirt writes them back', () => {
  it('normalizeKeyValue reads numbers as strtol base 0 and writes libvirt\'s format', () => {
    expect(['1', '0x1', '0X01', '01', '0', '4294967295', '0xffffffff'].map((v) => normalizeKeyValue(v, 'hex2'))).toEqual(['0x01', '0x01', '0x01', '0x01', '0x00', '0xffffffff', '0xffffffff'])
    expect(['010', '0x10', '16', '0x0010'].map((v) => normalizeKeyValue(v, 'decimal'))).toEqual(['8', '16', '16', '16'])
    expect(['', 'x', '0x', '08', '-1', ' 1', '4294967296', '0x100000000', '1e3'].map((v) => normalizeKeyValue(v, 'hex4'))).toEqual(['', 'x', '0x', '08', '-1', ' 1', '4294967296', '0x100000000', '1e3'])
    expect(normalizeKeyValue('52:54:00:AB:Cd:eF', 'lowercase')).toBe('52:54:00:ab:cd:ef')
    expect(normalizeKeyValue('É', 'lowercase')).toBe('É')
  })

  it('both engines: two spellings of one device are one device (diff, merge, paths)', async () => {
    const wasm = await createEngine()
    const reference = createReferenceEngine()
    const a = doc(`<interface type='network'><mac address='52:54:00:AA:BB:CC'/></interface>${pci('0', '1', '0x2', '0')}<hostdev mode='subsystem' type='scsi'><source><address unit='010'/></source></hostdev>`)
    const b = doc(`<interface type='network'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/></interface>${pci('0x0000', '0x01', '0x02', '0x0', " managed='yes'")}<hostdev mode='subsystem' type='scsi'><source><address unit='8'/></source></hostdev>`)
    for (const engine of [reference, wasm]) {
      const ops = engine.diff(a, b, keys).ops
      expect(ops.map((o) => o.op).sort()).toEqual(['insert', 'set-attribute', 'set-attribute', 'set-attribute', 'set-attribute', 'set-attribute', 'set-attribute', 'set-attribute'])
      expect(ops.filter((o) => o.op === 'insert').map((o) => o.path)).toEqual(["/domain/devices/interface[mac/@address='52:54:00:aa:bb:cc']"])
      expect(ops.map((o) => o.path)).toContain("/domain/devices/hostdev[source/address/@domain='0x0000'][source/address/@bus='0x01'][source/address/@slot='0x02'][source/address/@function='0x0']")
    }
    expect(wasm.diff(a, b, keys)).toEqual(reference.diff(a, b, keys))
    const layer = [{ name: 'l', mode: 'fill' as const, document: new TextEncoder().encode(doc("<interface><mac address='52:54:00:Aa:bB:cc'/><model type='e1000e'/></interface>")) }]
    const viaWasm = wasm.merge(a, layer, keys)
    const viaReference = reference.merge(a, layer, keys)
    expect(viaWasm).toEqual(viaReference)
    expect(new TextDecoder().decode(viaReference.document).match(/<interface/g)).toHaveLength(1)
    expect(viaReference.provenance.map((p) => p.path)).toContain("/domain/devices/interface[mac/@address='52:54:00:aa:bb:cc']/model")
  })

  it("a document as libvirt writes it: every path selects its node", () => {
    const formatted = parseXml(doc(`<interface type='network'><mac address='52:54:00:aa:bb:cc'/></interface>${pci('0x0000', '0x01', '0x02', '0x0')}`))
    for (const path of valuePaths(formatted, keys)) expect([path, selectPath(formatted, path).length]).toEqual([path, 1])
    expect(toXml(mergeTrees(formatted, [], keys).document)).toContain("bus='0x01'")
  })

  it('refuses a normalisation of a key the rule does not have, or an unknown form', () => {
    expect(() => mergeTrees(parseXml('<domain/>'), [], { rules: [{ path: 'domain/x', key: ['@a'], normalize: { '@b': 'lowercase' } }] })).toThrow(/normalize/)
    expect(() => mergeTrees(parseXml('<domain/>'), [], { rules: [{ path: 'domain/x', key: ['@a'], normalize: { '@a': 'hex9' as 'hex8' } }] })).toThrow(/normalize/)
  })
})
