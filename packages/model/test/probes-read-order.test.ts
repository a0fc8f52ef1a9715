// The order the parsers read an element's attributes in (own probes `h35-…`, libvirtd 9.0; 9.0's and 11.3's source
// alike): attributeReads merges each element's reads in table order, and that order is the parser's.
import { expect, it } from 'vitest'
import { attributeReads, deviceReadParts, deviceReadParts9 } from '../src/index.ts'

const names = (path: string): string[] => attributeReads.get(path)!.map(([attribute]) => attribute)

it("the elements whose reads were merged out of the parser's order: each now in it", () => {
  // (virDomainDiskDefParseXML: rawio before sgio; the target's bus and tray before removable and the rotation rate)
  expect(names('devices/disk')).toEqual(['type', 'device', 'model', 'snapshot', 'rawio', 'sgio'])
  expect(names('devices/disk/target')).toEqual(['bus', 'tray', 'removable', 'rotation_rate'])
  // (virDomainFSDefParseXML: the driver's type and write policy, then the virtio options)
  expect(names('devices/filesystem/driver')).toEqual(['type', 'wrpolicy', 'iommu', 'ats', 'packed', 'page_per_vq'])
  // (virDomainVideoDefParseXML: the name, the virtio options; virDomainVideoDriverDefParseXML's VGA configuration last)
  expect(names('devices/video/driver')).toEqual(['name', 'iommu', 'ats', 'packed', 'page_per_vq', 'vgaconf'])
  // (virDomainNetDefParseXML: the type and RX filter trust, then a host device NIC's own; its PCI backend name before
  // the virtio options)
  expect(names('devices/interface').slice(0, 2)).toEqual(['type', 'trustGuestRxFilters'])
  expect(names('devices/interface/driver').slice(0, 2)).toEqual(['name', 'iommu'])
  expect(attributeReads.get('devices/interface/driver')![0]![2]?.when?.onlyType).toEqual(['hostdev'])
  // (that name read with the NIC's source, virDomainHostdevDefParseXMLSubsys: its part right after the source's)
  expect(attributeReads.get('devices/interface/driver')![0]![2]?.readWith).toBe('hostdev/driver')
  expect(deviceReadParts.interface!.indexOf('hostdev/driver')).toBe(deviceReadParts.interface!.indexOf('source/address') + 1)
  // (virSecurityLabelDefParseXML: the type, then the relabel switch)
  expect(names('seclabel')).toEqual(['type', 'relabel'])
  // (virDomainNumaDefParseXML: a latency's value first)
  expect(names('cpu/numa/interconnects/latency')).toEqual(['value', 'initiator', 'target', 'cache', 'type'])
  // (a video device's model acceleration and resolution before its driver — libvirt 9.0; 11.3 reads its whole model
  // first, its acceleration and resolution before its type — virDomainVideoModelDefParseXML, seen on libvirtd 11.3)
  expect(deviceReadParts9.video!.slice(1, 4)).toEqual(['model/acceleration', 'model/resolution', 'driver'])
  expect(deviceReadParts.video!.slice(0, 5)).toEqual(['model/@primary', 'model/acceleration', 'model/resolution', 'model', 'driver'])
})

it("the parts of a filesystem, a display and <pm> in their parsers' order", async () => {
  const { settingReadParts } = await import('../src/index.ts')
  // (virDomainFSDefParseXML: the file and directory modes between the access mode and the model)
  expect(deviceReadParts.filesystem!.slice(0, 6)).toEqual(['@type', '@accessmode', '@fmode', '@dmode', '@model', '@multidevs'])
  // (virDomainGraphicsDefParseXMLVNC / …Spice: the listens before the port and the rest)
  expect(deviceReadParts.graphics).toEqual(['@type', 'listen', '@port', '@'])
  expect(settingReadParts.pm).toEqual(['suspend-to-mem', 'suspend-to-disk'])
  // (virDomainHostdevDefParseXMLSubsys: a host device's type before its sgio and rawio)
  expect(deviceReadParts.hostdev!.slice(0, 3)).toEqual(['@mode', '@type', '@'])
})

it("a display's parts by its type, a character device's target type and model, an SDL or D-Bus display's GL switch", async () => {
  const { deviceReadPartsByType } = await import('../src/index.ts')
  const spice = deviceReadPartsByType.graphics!.spice!
  // (virDomainGraphicsDefParseXMLSpice: the password before the channels, the channels before the image… the mouse last)
  expect(spice.indexOf('@passwdValidTo')).toBeLessThan(spice.indexOf('channel'))
  expect(spice.slice(spice.indexOf('channel'))).toEqual(['channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'clipboard', 'filetransfer', 'gl', 'mouse'])
  // (…VNC: the <audio> before the password; …DBus: the GL switch before the <audio>)
  const vnc = deviceReadPartsByType.graphics!.vnc!
  expect(vnc.indexOf('audio')).toBeLessThan(vnc.indexOf('@passwd'))
  expect(deviceReadPartsByType.graphics!.dbus).toEqual(['@type', '@', 'gl', 'audio'])
  expect(deviceReadParts.serial!.slice(0, 5)).toEqual(['@', 'target/@type', 'target/model', 'target/@address', 'target'])
  // (a guest forwarding channel's target address before its port, the rest of the target: probe h42-pr3-alone-chr-guestfwd-noaddr)
  expect(deviceReadParts.channel!.indexOf('target/@address')).toBe(deviceReadParts.channel!.indexOf('target') - 1)
  expect(deviceReadParts.filesystem!.slice(-4)).toEqual(['binary', 'binary/lock', 'binary/cache', 'binary/sandbox'])
  expect(attributeReads.get('devices/graphics/gl')!.map(([a, , o]) => [a, o?.when?.values])).toEqual([['enable', ['spice']], ['enable', ['sdl', 'dbus']]])
})


it("a host device's source parts: a USB source's vendor, product, then address; another type's startup policy before its sgio", async () => {
  const { deviceReadPartsByType } = await import('../src/index.ts')
  const usb = deviceReadParts.hostdev!
  expect(usb.indexOf('source/vendor')).toBeLessThan(usb.indexOf('source/product'))
  expect(usb.indexOf('source/product')).toBeLessThan(usb.indexOf('source'))
  expect(usb.indexOf('@')).toBeLessThan(usb.indexOf('source/@startupPolicy'))
  const pci = deviceReadPartsByType.hostdev!.pci!
  expect(pci.indexOf('source/@startupPolicy')).toBeLessThan(pci.indexOf('@'))
})

it("a host device NIC's parts: a startup policy refused off USB before its sgio, a USB source's vendor, product, address", async () => {
  const { deviceReadPartsByType } = await import('../src/index.ts')
  const hostdevNic = deviceReadPartsByType.interface!.hostdev!
  expect(hostdevNic.indexOf('@trustGuestRxFilters')).toBeLessThan(hostdevNic.indexOf('source/@startupPolicy'))
  expect(hostdevNic.indexOf('source/@startupPolicy')).toBeLessThan(hostdevNic.indexOf('@'))
  const nic = deviceReadParts.interface!
  // (the source, then a USB source's vendor, product and address — a UDP socket's local end between: h36-udp-local-bare)
  expect(nic.filter((p) => p === 'source' || p.startsWith('source/vendor') || p.startsWith('source/product') || p === 'source/address')).toEqual(['source', 'source/vendor', 'source/product', 'source/address'])
  expect(nic.indexOf('source/local/@address')).toBeLessThan(nic.indexOf('source/local/@port'))
  expect(attributeReads.get('devices/interface/source')!.find(([a]) => a === 'startupPolicy')![2]?.refusedUnread).toBe(true)
})
