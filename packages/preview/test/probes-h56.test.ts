// USB end to end as libvirt 9.0 reads, places and refuses it (own probes `h56-…`, each defined on the sandbox libvirtd
// 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const xhci = "<controller type='usb' model='qemu-xhci' ports='4'/>"
const hub = (port: string): string => `<hub type='usb'><address type='usb' bus='0' port='${port}'/></hub>`
const tablet = (port: string): string => `<input type='tablet' bus='usb'><address type='usb' bus='0' port='${port}'/></input>`

describe("a USB port path with a 0 between two levels (virDomainUSBAddressGetLastIdx, virDomainUSBAddressFindPort)", () => {
  it('is walked to its last level not 0: the level before the 0 must hold a hub', () => {
    // (the path is written in the message up to its first 0: virDomainUSBAddressPortFormat)
    expect(refusal(x86Domain(xhci + tablet('1.0.2'), 'q35'), v9))
      .toMatchObject({ message: 'there is no hub at port 1 in USB address bus: 0 port: 1' })
    expect(refusal(x86Domain(xhci + tablet('2.0.1'), 'q35'), v9))
      .toMatchObject({ message: 'there is no hub at port 2 in USB address bus: 0 port: 2' })
  })
  it('behind a hub, the 0 level is port index -1, out of range', () => {
    const hubs = hub('1') + hub('1.1') + hub('1.1.1')
    expect(refusal(x86Domain(xhci + hubs + tablet('1.0.2'), 'q35'), v9))
      .toMatchObject({ message: 'port 0 out of range in USB address bus: 0 port: 1' })
    expect(refusal(x86Domain(xhci + hubs + tablet('1.1.0.2')), v9))
      .toMatchObject({ message: 'port 0 out of range in USB address bus: 0 port: 1.1' })
  })
  it('near misses: trailing 0 levels are no levels, a first level of 0 is no port', () => {
    expect(predicts(x86Domain(xhci + hub('1') + tablet('1.1.0'), 'q35'), v9)).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1.1'/>")
    // (`1.0` is port 1, the hub's: refused as a duplicate)
    expect(refusal(x86Domain(xhci + hub('1') + tablet('1.0') + tablet('1')), v9)).toMatchObject({ message: 'Duplicate USB address bus 0 port 1' })
    expect(predicts(x86Domain(xhci + tablet('0.1'), 'q35'), v9)).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1'/>")
  })
})

describe('USB ports assigned in virDomainUSBDeviceDefForeach order (qemuDomainAssignUSBPorts, virDomainUSBAddressAssign)', () => {
  // (bus 0 has one port, taken by the keyboard; bus 1 has four)
  const buses = "<controller type='usb' index='0' model='qemu-xhci' ports='1'/><controller type='usb' index='1' model='qemu-xhci' ports='4'/><input type='keyboard' bus='usb'><address type='usb' bus='0' port='1'/></input>"
  const on = (kind: 'tablet' | 'mouse', bus: number): string => `<input type='${kind}' bus='usb'><address type='usb' bus='${bus}'/></input>`
  it('a device asking for a full bus is refused before a later one asking for a bus there is not', () => {
    expect(refusal(x86Domain(buses + on('tablet', 0) + on('mouse', 3), 'q35'), v9)).toMatchObject({ message: 'No free USB ports' })
    // (USB audio comes after the inputs in libvirt's walk, wherever it is written)
    expect(refusal(x86Domain(buses + "<sound model='usb'><address type='usb' bus='3'/></sound>" + on('tablet', 0), 'q35'), v9)).toMatchObject({ message: 'No free USB ports' })
  })
  it('near miss: the one asking for a missing bus met first is refused for it', () => {
    expect(refusal(x86Domain(buses + on('mouse', 3) + on('tablet', 0), 'q35'), v9))
      .toMatchObject({ message: 'USB bus 3 requested but no controller with that index is present' })
    // (USB host devices come before the inputs)
    expect(refusal(x86Domain(buses + on('tablet', 0) + "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source><address type='usb' bus='3'/></hostdev>", 'q35'), v9))
      .toMatchObject({ message: 'USB bus 3 requested but no controller with that index is present' })
  })
})

describe("a CCID controller's USB port (virDomainUSBDeviceDefForeach walks CCID controllers; virDomainUSBAddressReserve)", () => {
  const ccid = (bus: number, port: string): string => `<controller type='usb' index='0' model='piix3-uhci'/><controller type='ccid'><address type='usb' bus='${bus}' port='${port}'/></controller>`
  it('is reserved like any USB device: past the controller, on a missing bus, taken twice', () => {
    expect(refusal(x86Domain(ccid(0, '3'), 'q35'), v9)).toMatchObject({ message: 'requested USB port 3 not present on USB bus 0' })
    expect(refusal(x86Domain(ccid(1, '1'), 'q35'), v9)).toMatchObject({ message: 'Missing USB bus 1' })
    expect(refusal(x86Domain(ccid(0, '1') + "<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>", 'q35'), v9))
      .toMatchObject({ message: 'Duplicate USB address bus 0 port 1' })
  })
  it('near miss: a port the controller has is kept', () => {
    expect(predicts(x86Domain(ccid(0, '2'), 'q35'), v9)).toContain("<controller type='ccid' index='0'>\n      <address type='usb' bus='0' port='2'/>")
  })
})

describe("a USB host device's host address (virDomainHostdevDefFormatSubsysUSB writes bus and device with %d)", () => {
  const hostdev = (bus: string, device: string): string => `<hostdev mode='subsystem' type='usb'><source><address bus='${bus}' device='${device}'/></source></hostdev>`
  it('a bus or device past 2^31 - 1 comes back negative', () => {
    expect(predicts(x86Domain(hostdev('4294967295', '2'), 'q35'), v9)).toContain("<address bus='-1' device='2'/>")
    expect(predicts(x86Domain(hostdev('1', '0x80000000'), 'q35'), v9)).toContain("<address bus='1' device='-2147483648'/>")
    // (a host device NIC's USB source too: the same formatter, with the address type)
    expect(predicts(x86Domain("<interface type='hostdev'><source><address type='usb' bus='2147483648' device='3'/></source></interface>", 'q35'), v9))
      .toContain("<address type='usb' bus='-2147483648' device='3'/>")
  })
  it('near miss: 2^31 - 1 is written as read', () => {
    expect(predicts(x86Domain(hostdev('2147483647', '2'), 'q35'), v9)).toContain("<address bus='2147483647' device='2'/>")
  })
})

describe('a USB address bus and a companion start port are written with %d (virDomainDeviceInfoFormat)', () => {
  const nic = (bus: string): string => `<interface type='user'><model type='virtio'/><address type='usb' bus='${bus}' port='1'/></interface>`
  it("a bus past 2^31 - 1 on a device that keeps its USB address comes back negative", () => {
    expect(predicts(x86Domain(nic('4294967295'), 'q35'), v9)).toContain("<address type='usb' bus='-1' port='1'/>")
    expect(predicts(x86Domain(nic('2147483648'), 'q35'), v9)).toContain("<address type='usb' bus='-2147483648' port='1'/>")
    expect(predicts(x86Domain(nic('2147483647'), 'q35'), v9)).toContain("<address type='usb' bus='2147483647' port='1'/>")
  })
  it('a USB device at such a bus is still refused for the bus libvirt holds (virDomainUSBAddressFindPort)', () => {
    expect(refusal(x86Domain("<disk type='file' device='cdrom'><target dev='sdc' bus='usb'/><address type='usb' bus='4294967295' port='1'/></disk>", 'q35'), v9))
      .toMatchObject({ message: 'Missing USB bus 4294967295' })
  })
  it("an ICH9 UHCI companion's start port past 2^31 - 1 comes back negative", () => {
    const set = (startport: string): string => `<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'><master startport='${startport}'/></controller>`
    expect(predicts(x86Domain(set('4294967295'), 'q35'), v9)).toContain("<master startport='-1'/>")
    expect(predicts(x86Domain(set('2147483647'), 'q35'), v9)).toContain("<master startport='2147483647'/>")
  })
})

describe("libvirt 11's USB walk (virDomainUSBDeviceDefForeach over virDomainDeviceInfoIterate, virDomainDeviceIsUSB)", () => {
  const xhci4 = "<controller type='usb' model='qemu-xhci' ports='4'/>"
  const mixed = "<redirdev bus='usb' type='tcp'><source mode='connect' host='127.0.0.1' service='4000'/></redirdev><input type='tablet' bus='usb'/><sound model='usb'/><hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>"
  it('gives the ports in the device walk order: USB audio, host devices, inputs, redirection', () => {
    const out = predicts(x86Domain(xhci4 + mixed))
    expect(out).toContain("<sound model='usb'>\n      <address type='usb' bus='0' port='1'/>")
    expect(out).toMatch(/<hostdev mode='subsystem' type='usb'[^]*?<address type='usb' bus='0' port='2'\/>/)
    expect(out).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='3'/>")
    // (9.0 walks host devices, inputs, USB audio, redirection: seen on libvirtd 9.0)
    const nine = predicts(x86Domain(xhci4 + mixed), v9)
    expect(nine).toMatch(/<hostdev mode='subsystem' type='usb'[^]*?<address type='usb' bus='0' port='1'\/>/)
    expect(nine).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='2'/>")
    expect(nine).toContain("<sound model='usb'>\n      <address type='usb' bus='0' port='3'/>")
  })
  it('a usb-net NIC and an MTP filesystem are USB devices: given a port, counted, refused with USB off', () => {
    const net = "<interface type='user'><model type='usb-net'/></interface>"
    expect(predicts(x86Domain("<controller type='usb' model='qemu-xhci' ports='1'/>" + net))).toMatch(/<model type='usb-net'\/>\n      <address type='usb' bus='0' port='1'\/>/)
    const mtp = "<filesystem type='mount' accessmode='passthrough'><driver type='mtp'/><source dir='/tmp/a'/><target dir='t'/></filesystem>"
    // (the filesystem after the inputs in the walk)
    const out = predicts(x86Domain("<controller type='usb' model='piix3-uhci'/>" + mtp + "<input type='tablet' bus='usb'/>"))
    expect(out).toContain("<input type='tablet' bus='usb'>\n      <address type='usb' bus='0' port='1'/>")
    expect(out).toMatch(/<target dir='t'\/>\n      <address type='usb' bus='0' port='2'\/>/)
    expect(refusal(x86Domain("<controller type='usb' model='none'/>" + net))).toMatchObject({ message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
    // (near miss, 9.0: a usb-net NIC is no USB device, and no PCI one — libvirtd 9.0)
    expect(refusal(x86Domain(net), v9)).toMatchObject({ message: 'Cannot automatically add a new PCI bus for a device with connect flags 00' })
  })
})
