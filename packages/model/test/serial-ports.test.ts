// Serial ports' target types, models and addresses, and the sPAPR VIO register an address of another type becomes:
// checked against what libvirt wrote in the corpus and what libvirtd 9.0 did with domains defined on it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import {
  parseLibvirtXml, serialTargetAddressTypes, serialTargetDefaultModels, serialTargetFits, serialTargetHomes, serialTargetModelTypes,
  ccwAddressLimits, readLastWhenRepeated, spaprVioOverlays, spaprVioRegisterFrom, systemSerialDefaultModels, type LibvirtDocument,
} from '../src/index.ts'

type Element = Extract<LibvirtDocument['root']['children'][number], { type: 'element' }>
const kids = (e: Element | undefined, name: string): Element[] => (e?.children ?? []).filter((c): c is Element => c.type === 'element' && c.name === name)

describe('serial target types and models (qemu_postparse.c qemuDomainChrDefPostParse, qemu_validate.c qemuValidateDomainChrDef)', () => {
  it('every default model is one of its target type, every machine-bound model and type has a home', () => {
    for (const [type, model] of Object.entries(serialTargetDefaultModels)) expect(serialTargetModelTypes[model], type).toBe(type)
    for (const model of Object.values(systemSerialDefaultModels)) expect(serialTargetModelTypes[model!]).toBe('system-serial')
    for (const model of Object.keys(serialTargetHomes.models)) expect(serialTargetModelTypes[model], model).toBeDefined()
    for (const type of Object.values(serialTargetModelTypes)) expect(serialTargetAddressTypes[type], type).toBeDefined()
  })

  it('tells where a machine-bound port may stand (libvirtd 9.0 refused each misplaced one)', () => {
    expect(serialTargetFits('system-serial', '16550a', 'pc', 'x86_64')).toBe(false)
    expect(serialTargetFits('system-serial', '16550a', 'virt', 'aarch64')).toBe(false)
    expect(serialTargetFits('system-serial', '16550a', 'virt', 'riscv64')).toBe(true)
    expect(serialTargetFits('system-serial', 'pl011', 'virt', 'aarch64')).toBe(true)
    expect(serialTargetFits('system-serial', undefined, 'pc', 'x86_64')).toBe(true)
    expect(serialTargetFits('sclp-serial', 'sclpconsole', 'pc', 'x86_64')).toBe(false)
    expect(serialTargetFits('sclp-serial', 'sclplmconsole', 's390-ccw-virtio', 's390x')).toBe(true)
    expect(serialTargetFits('spapr-vio-serial', 'spapr-vty', 's390-ccw-virtio', 's390x')).toBe(false)
    expect(serialTargetFits('spapr-vio-serial', 'spapr-vty', 'pseries', 'ppc64')).toBe(true)
    expect(serialTargetFits('isa-serial', 'isa-serial', 'pc', 'x86_64')).toBe(true)
  })
})

const corpus = locateCorpus()

describe.skipIf(!corpus.dir)(`serial ports libvirt wrote${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it('each has the model its target type takes, the address its type plugs into, and fits its machine', () => {
    const out: string[] = []
    let seen = 0
    for (const file of corpusFiles(corpus.dir!, ['domains-out'])) {
      const root = parseLibvirtXml(readFileSync(join(corpus.dir!, file))).root as Element
      const type = kids(kids(root, 'os')[0], 'type')[0]
      const arch = type?.attributes.arch
      const machine = type?.attributes.machine
      if (root.name !== 'domain' || root.attributes.type === 'xen' || !arch || !machine) continue
      for (const serial of kids(kids(root, 'devices')[0], 'serial')) {
        const target = kids(serial, 'target')[0]
        const targetType = target?.attributes.type
        const model = kids(target, 'model')[0]?.attributes.name
        if (targetType === undefined) continue
        seen++
        if (model !== undefined && serialTargetModelTypes[model] !== targetType) out.push(`${file}: model ${model} on ${targetType}`)
        const address = kids(serial, 'address')[0]?.attributes.type
        const wanted = serialTargetAddressTypes[targetType]
        if (address !== undefined && wanted !== address) out.push(`${file}: address ${address} on ${targetType}`)
        if (!serialTargetFits(targetType, model, machine, arch)) out.push(`${file}: ${targetType}/${model} on ${arch} ${machine}`)
      }
    }
    expect(out).toEqual([])
    expect(seen).toBeGreaterThan(50)
  })
})

describe('an address made sPAPR VIO (qemu_domain_address.c qemuDomainAssignSpaprVIOAddresses)', () => {
  it('reads its register from the written numbers as libvirtd 9.0 did', () => {
    // (defined on libvirtd 9.0: a spapr-vio-serial port, an ibmvscsi controller, a pSeries TPM with these addresses)
    expect(spaprVioRegisterFrom('pci', { type: 'pci', slot: '0x03' })).toBe(0n)
    expect(spaprVioRegisterFrom('pci', { type: 'pci', domain: '0x0001', slot: '0x03' })).toBe(1n)
    expect(spaprVioRegisterFrom('pci', { type: 'pci' })).toBeUndefined()
    expect(spaprVioRegisterFrom('usb', { type: 'usb', bus: '0', port: '1' })).toBeUndefined()
    expect(spaprVioRegisterFrom('usb', { type: 'usb', bus: '1', port: '2.3' })).toBe(0x200000001n)
    expect(spaprVioRegisterFrom('drive', { type: 'drive', controller: '1', bus: '2', target: '3' })).toBe(0x200000001n)
    expect(spaprVioRegisterFrom('isa', { type: 'isa', iobase: '0x3f8', irq: '4' })).toBeUndefined()
    // (the NVRAM cases kept in preview's tests: a CCW address's numbers in C's base 0)
    expect(spaprVioRegisterFrom('ccw', { type: 'ccw', cssid: '0xfe', ssid: '0', devno: '0x0001' })).toBe(0xfen)
    expect(spaprVioRegisterFrom('virtio-mmio', { type: 'virtio-mmio' })).toBeUndefined()
  })

  it('lays out each address type as libvirt’s union does: at most three fields, a padding gap only in a DIMM address', () => {
    for (const [type, fields] of Object.entries(spaprVioOverlays)) {
      expect(fields.length, type).toBeLessThanOrEqual(3)
      if (type !== 'dimm') expect(fields.includes(undefined), type).toBe(false)
    }
  })
})

describe('CCW address limits (virccw.h, virCCWDeviceAddressIsValid)', () => {
  it('holds cssid up to 0xfe, ssid up to 3, devno up to 0xffff', () => {
    expect(ccwAddressLimits).toEqual({ cssid: 0xfe, ssid: 3, devno: 0xffff })
  })
})

describe('parts read once, the last (virPCIDeviceAddressParseXML)', () => {
  it("is a PCI address's zPCI part alone", () => {
    expect([...readLastWhenRepeated]).toEqual(['address/zpci'])
  })
})
