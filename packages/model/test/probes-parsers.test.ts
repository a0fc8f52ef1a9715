// The device parsers' reads found by defining probes on libvirtd 9.0 (conf/domain_conf.c of libvirt 9.0): model's
// tables say them so.
import { describe, expect, it } from 'vitest'
import { attributeOrder, attributeReadProblem, attributeReads, childrenByType, emptyUnwritten, featuresSetBy, inAttributeOrder, readUsbDeviceVersion } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('the device parsers', () => {
  it("a PCI host device's backend is read NONZERO, for a PCI host device (and a PCI host device NIC) alone", () => {
    const backend = read('devices/hostdev/driver', 'name')
    expect(attributeReadProblem('default', backend, 'driver')).toBe("Invalid value for attribute 'name' in element 'driver': 'default'.")
    expect(attributeReadProblem('vfio', backend, 'driver')).toBeUndefined()
    expect(backend[2]!.when).toEqual({ of: 'device', attribute: 'type', values: ['pci'] })
    expect(attributeReads.get('devices/interface/driver')!.some((r) => r[0] === 'name' && r[2]?.when?.child === 'source/address' && r[2].when.onlyType?.includes('hostdev'))).toBe(true)
  })

  it("a host device's <readonly/>, <shareable/> are a SCSI one's, its <driver> a PCI one's", () => {
    const sets = childrenByType.get('hostdev')![0]!.sets
    expect(sets.get('scsi')!.has('readonly')).toBe(true)
    expect(sets.get('pci')!.has('readonly')).toBe(false)
    expect(sets.get('pci')!.has('driver')).toBe(true)
    expect(sets.get('usb')!.has('driver')).toBe(false)
  })

  it("a USB source's autoAddress is read, and not written back", () => {
    const auto = read('devices/hostdev/source', 'autoAddress')
    expect(auto[2]!.unwritten).toBe(true)
    expect(attributeReadProblem('x', auto, 'source')).toBe("Invalid value for attribute 'autoAddress' in element 'source': 'x'.")
  })

  it("a video driver's vgaconf: its 0 unwritten, a refusal taken as no value; the driver not written empty; acceleration 3D first", () => {
    expect(read('devices/video/driver', 'vgaconf')[2]).toMatchObject({ zeroUnwritten: true, refusalIgnored: true })
    expect(emptyUnwritten.has('devices/video/driver')).toBe(true)
    expect(Object.keys(inAttributeOrder({ accel2d: 'no', accel3d: 'no' }, attributeOrder('video', 'model', 'acceleration')!))).toEqual(['accel3d', 'accel2d'])
  })

  it("a shmem's role NONZERO, its MSI vectors written in decimal", () => {
    expect(attributeReadProblem('default', read('devices/shmem', 'role'), 'shmem')).toBe("Invalid value for attribute 'role' in element 'shmem': 'default'.")
    expect(read('devices/shmem/msi', 'vectors')[2]).toMatchObject({ base: 0, decimal: true })
  })
})

describe("a USB redirection filter rule's version (virDomainRedirFilterUSBVersionHelper)", () => {
  it('reads JJ.MN, each below 100, a one-digit minor as tens, and writes %d.%02d', () => {
    expect(readUsbDeviceVersion('2.0')).toBe('2.00')
    expect(readUsbDeviceVersion('2.1')).toBe('2.10')
    expect(readUsbDeviceVersion('02.00')).toBe('2.00')
    expect(readUsbDeviceVersion('+1.+1')).toBe('1.01')
    expect(readUsbDeviceVersion('-0.5')).toBe('0.50')
    for (const refused of ['3', '1.', '1.100', '100.0', '-1.0', 'x', '1.2x']) expect(readUsbDeviceVersion(refused)).toBeUndefined()
  })
})

describe('the machine features read as none unless set (featuresSetBy, virDomainFeaturesDefParse)', () => {
  it("takes an attribute or a positive size as what sets each — 11's <aia> by its value, whose absence is the default", () => {
    expect([...featuresSetBy.keys()]).toEqual(['ioapic', 'hpt', 'tcg', 'cfpc', 'sbbc', 'ibs', 'aia'])
    expect(featuresSetBy.get('aia')).toEqual(['@value'])
    expect(featuresSetBy.get('hpt')).toEqual(['@resizing', 'maxpagesize'])
  })
})
