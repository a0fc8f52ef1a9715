// The elements written twice libvirt reads through every one (parse-order.ts's repeated-read sets; probes h39-…, each
// seen on libvirtd 9.0): what the parsers read by `string(./x/@a)` or `./x/y` from the device or setting.
import { describe, expect, it } from 'vitest'
import { addressFirstWord, addressUnionWords, attributesReadThroughWhenRepeated, hostdevNicSourceTypeRead, hostdevSourceReadThrough, readAsOneWhenRepeated, readAsOneWhenRepeated9, readFirstWhenRepeated, readThroughWhenRepeated, refusedWhenRepeated } from '../src/index.ts'

describe('elements read as one when repeated', () => {
  it("holds a device's alias for every device with an info, not a display's", () => {
    for (const device of ['disk', 'interface', 'input', 'video', 'serial', 'console', 'tpm', 'rng']) expect(readAsOneWhenRepeated.has(`${device}/alias`), device).toBe(true)
    expect(readAsOneWhenRepeated.has('graphics/alias')).toBe(false)
  })
  it("holds a NIC's settings read by string(), a disk's I/O tuning and (libvirt 11) throttle filters, the memory backing's source, access and allocation", () => {
    for (const key of ['interface/model', 'interface/link', 'interface/mtu', 'interface/tune', 'disk/iotune', 'memoryBacking/source', 'memoryBacking/access', 'memoryBacking/allocation', 'os/smbios', 'rng/rate', 'source/slices', 'backend/active_pcr_banks', 'disk/throttlefilters']) {
      expect(readAsOneWhenRepeated.has(key), key).toBe(true)
    }
  })
  it("a video model is libvirt 9.0's alone (11.3 reads the first), and no pair is both read as one and refused or read first", () => {
    expect(readAsOneWhenRepeated9.has('video/model')).toBe(true)
    expect(readAsOneWhenRepeated.has('video/model')).toBe(false)
    for (const key of [...readAsOneWhenRepeated, ...readAsOneWhenRepeated9]) {
      expect(refusedWhenRepeated.has(key), key).toBe(false)
      expect(readFirstWhenRepeated.has(key), key).toBe(false)
      expect(readThroughWhenRepeated.has(key), key).toBe(false)
    }
  })
  it("a NIC's first driver is read, with the host and guest settings of any", () => {
    expect(readThroughWhenRepeated.get('interface/driver')).toEqual([['host'], ['guest']])
    expect(readThroughWhenRepeated.get('domain/cpu')).toEqual([['numa', 'interconnects']])
  })
  it("a size's value and unit read through every element written, and a filesystem driver's queue", () => {
    for (const key of ['target/size', 'target/label', 'label/size', 'target/block', 'target/requested', 'source/pagesize', 'controller/pcihole64', 'metadata_cache/max_size', 'tcg/tb-cache', 'smm/tseg', 'hpt/maxpagesize', 'backingStore/format', 'source/initiator', 'initiator/iqn']) {
      expect(readAsOneWhenRepeated.has(key), key).toBe(true)
    }
    expect(attributesReadThroughWhenRepeated.get('filesystem/driver')).toEqual(['queue'])
  })
})

describe("a host device's sources read through every one (probes h40-…, libvirtd 9.0)", () => {
  it("a mediated device's address and a capabilities device's own element from any source; a startup policy off USB from any", () => {
    expect(hostdevSourceReadThrough.get('subsystem/mdev')).toEqual({ children: ['address'], attributes: ['startupPolicy'] })
    expect(hostdevSourceReadThrough.get('subsystem/pci')).toEqual({ attributes: ['startupPolicy'] })
    expect(hostdevSourceReadThrough.get('capabilities/storage')).toEqual({ children: ['block'] })
    // (a USB device reads its startup policy, vendor, product and address from the first source alone)
    expect(hostdevSourceReadThrough.has('subsystem/usb')).toBe(false)
  })
  it("a host device interface's source type: the first address type written in any source, an empty one none, else a vendor's USB", () => {
    const source = (...children: { name: string; attrs: Record<string, string> }[]) => ({ attrs: {}, children })
    expect(hostdevNicSourceTypeRead([source({ name: 'address', attrs: { bus: '6' } }), source({ name: 'address', attrs: { type: 'pci' } })])).toBe('pci')
    expect(hostdevNicSourceTypeRead([source({ name: 'address', attrs: {} }, { name: 'address', attrs: { type: 'usb' } })])).toBe('usb')
    expect(hostdevNicSourceTypeRead([source({ name: 'address', attrs: { type: '' } }), source({ name: 'address', attrs: { type: 'pci' } })])).toBe(undefined)
    expect(hostdevNicSourceTypeRead([source(), source({ name: 'vendor', attrs: { id: '0x1234' } })])).toBe('usb')
    expect(hostdevNicSourceTypeRead([source()])).toBe(undefined)
  })
})

describe("an address's first word through the union (virDomainDeviceInfo's addr; virDomainDefMaybeAddHostdevSCSIcontroller)", () => {
  it("is each type's first field: an ISA iobase (hex), a CCW cssid, a USB bus, a PCI domain, a sPAPR VIO register's low word", () => {
    expect(addressFirstWord('isa', { iobase: '0x300' })).toBe(768)
    expect(addressFirstWord('ccw', { cssid: '0xfe', ssid: '0', devno: '0x0005' })).toBe(254)
    expect(addressFirstWord('usb', { bus: '40', port: '1' })).toBe(40)
    expect(addressFirstWord('pci', { domain: '0x0005', bus: '0' })).toBe(5)
    expect(addressFirstWord('dimm', { slot: '300' })).toBe(300)
    expect(addressFirstWord('spapr-vio', { reg: '0x100003000' })).toBe(0x3000)
    expect(addressFirstWord('virtio-mmio', {})).toBe(0)
  })
})

describe("an address's four words through the union (virDomainHostdevDefPostParse reads them as a drive address)", () => {
  it('gives each type its fields in its struct order', () => {
    expect(addressUnionWords('pci', { domain: '0x0000', bus: '0x00', slot: '0x05', function: '0x1' })).toEqual([0, 0, 5, 1])
    expect(addressUnionWords('usb', { bus: '0', port: '1.2' })).toEqual([0, 1, 2, 0])
    expect(addressUnionWords('ccid', { controller: '0', slot: '1' })).toEqual([0, 1, 0, 0])
    expect(addressUnionWords('isa', { iobase: '0x0', irq: '0x1' })).toEqual([0, 1, 0, 0])
    // (a CCW address is `assigned` when its three numbers are written, whatever they are)
    expect(addressUnionWords('ccw', { cssid: '0x0', ssid: '0x0', devno: '0x0000' })).toEqual([0, 0, 0, 1])
    expect(addressUnionWords('virtio-mmio', {})).toEqual([0, 0, 0, 0])
    expect(addressUnionWords('spapr-vio', { reg: '0x100003000' })).toEqual([0x3000, 1, 1, 0])
  })
})
