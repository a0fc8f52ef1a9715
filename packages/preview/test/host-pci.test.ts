// The host's PCI devices, which libvirt reads from sysfs at define: pSeries isolation groups — libvirt keeps host PCI
// devices of different IOMMU groups on different PHBs, and off the default one (qemu_domain_address.c
// qemuDomainSetupIsolationGroups, qemuDomainFillDeviceIsolationGroup; domain_addr.c virDomainPCIAddressGetNextAddr,
// virDomainPCIAddressReserveAddrInternal) —, and where the machine has PCIe, whether a host device is PCI Express
// (qemuDomainDeviceCalculatePCIConnectFlags). The devices are the host's (`hostPciDevices`), or the test host's
// (tests/virpcimock.c) under `testHost`; the expectations are libvirt's (its pseries-hostdevs tests' layouts, and
// libvirtd 9.0 on this host, whose devices have no IOMMU groups and are conventional PCI: probe h5-hd1).
import { describe, expect, it } from 'vitest'
import { previewDomain, PreviewError, type PreviewOptions } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const caps = capsXml({ arch: 'ppc64', flags: ['spapr-pci-host-bridge', 'vfio-pci', 'virtio-scsi-pci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const ppc = (devices: string, machine = 'pseries'): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1048576</memory><os><type arch='ppc64' machine='${machine}'>hvm</type></os><devices>${devices}<controller type='usb' model='none'/><memballoon model='none'/></devices></domain>`
const source = (domain: string, bus: string, slot: string, fn: string): string => `<source><address domain='${domain}' bus='${bus}' slot='${slot}' function='${fn}'/></source>`
const hostdev = (host: string, guest = ''): string => `<hostdev mode='subsystem' type='pci' managed='yes'>${host}${guest}</hostdev>`
const guestAddress = (bus: number, slot: number): string => `<address type='pci' domain='0x0000' bus='0x${bus.toString(16).padStart(2, '0')}' slot='0x${slot.toString(16).padStart(2, '0')}' function='0x0'/>`
const preview = (xml: string, options: Partial<PreviewOptions> = {}) => previewDomain(xml, { qemuCaps: caps, abiUpdate: true, ...options })

/** The stored document's guest PCI addresses of its host devices and hostdev NICs, as `bus:slot`, in document order. */
function placed(xml: string): string[] {
  const out: string[] = []
  for (const m of xml.matchAll(/<(hostdev|interface) [^>]*>[\s\S]*?<\/\1>/g)) {
    const guest = [...m[0].matchAll(/<address type='pci' domain='0x0000' bus='0x(\w+)' slot='0x(\w+)'/g)].at(-1)
    out.push(guest ? `${Number.parseInt(guest[1]!, 16)}:${Number.parseInt(guest[2]!, 16)}` : 'none')
  }
  return out
}
const phbs = (xml: string): number => [...xml.matchAll(/<controller type='pci' index='\d+' model='pci-root'>/g)].length

describe('on the test host (tests/virpcimock.c: 0001:01:00.x in group 5, 0005:90:01.x in group 7)', () => {
  const a0 = source('0x0001', '0x01', '0x00', '0x0')
  const a1 = source('0x0001', '0x01', '0x00', '0x1')
  const b0 = source('0x0005', '0x90', '0x01', '0x0')
  it('each group gets a PHB of its own, never the default one; the hostdev NIC (first in the host device list) first', () => {
    const xml = preview(ppc(`${hostdev(a0)}<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0005' bus='0x90' slot='0x01' function='0x0'/></source><mac address='52:54:00:6d:90:02'/></interface>${hostdev(a1)}`), { testHost: 'latest' }).xml
    expect(phbs(xml)).toBe(3)
    expect(placed(xml)).toEqual(['1:1', '2:1', '2:2'])
  })
  it('a device written on a PHB with another group makes that PHB no group\'s: the next of a third group gets a new PHB', () => {
    const xml = preview(ppc(`<controller type='scsi' model='virtio-scsi'>${guestAddress(1, 1)}</controller>${hostdev(a0, guestAddress(1, 2))}${hostdev(b0)}`), { testHost: 'latest' }).xml
    expect(phbs(xml)).toBe(3)
    expect(placed(xml)).toEqual(['1:2', '2:1'])
  })
  it('a device written on PHB 2 gives it its group: another of that group joins it there, not the empty PHB 1', () => {
    const xml = preview(ppc(`${hostdev(a0, guestAddress(2, 1))}${hostdev(a1)}`), { testHost: 'latest' }).xml
    expect(phbs(xml)).toBe(3)
    expect(placed(xml)).toEqual(['2:1', '2:2'])
  })
  it('near misses: a host device the host has no group for stays on the default PHB; on a pseries-less machine nothing moves', () => {
    const xml = preview(ppc(hostdev(source('0x0007', '0x01', '0x00', '0x0'))), { testHost: 'latest' })
    expect(phbs(xml.xml)).toBe(1)
    expect(placed(xml.xml)).toEqual(['0:1'])
    expect(xml.notPredicted.filter((n) => n.reason.includes('IOMMU'))).toEqual([])
  })
})

describe('the host\'s IOMMU groups given (`hostPciDevices`)', () => {
  const one = source('0', '1', '0', '0')
  const two = source('0', '2', '0', '0')
  it('two devices of one group share a PHB; of two groups, one PHB each', () => {
    expect(placed(preview(ppc(hostdev(one) + hostdev(two)), { hostPciDevices: { '0000:01:00.0': { iommuGroup: 3 }, '0000:02:00.0': { iommuGroup: 3 } } }).xml)).toEqual(['1:1', '1:2'])
    expect(placed(preview(ppc(hostdev(one) + hostdev(two)), { hostPciDevices: { '0000:01:00.0': { iommuGroup: 3 }, '0000:02:00.0': { iommuGroup: 4 } } }).xml)).toEqual(['1:1', '2:1'])
  })
  it('group 0 is a group too (isolation group 1, not the emulated devices\' 0); addresses in lspci\'s short form and upper case', () => {
    expect(placed(preview(ppc(hostdev(one)), { hostPciDevices: { '01:00.0': { iommuGroup: 0 } } }).xml)).toEqual(['1:1'])
    expect(placed(preview(ppc(hostdev(source('0x000A', '0xB0', '0x1F', '0x7'))), { hostPciDevices: { '000A:B0:1F.7': { iommuGroup: 2 } } }).xml)).toEqual(['1:1'])
  })
  it('emulated devices stay on the default PHB beside them', () => {
    const xml = preview(ppc(`${hostdev(one)}<controller type='scsi' model='virtio-scsi'/>`), { hostPciDevices: { '0000:01:00.0': { iommuGroup: 3 } } }).xml
    expect(xml).toMatch(/<controller type='scsi' index='0' model='virtio-scsi'>\s*<address type='pci' domain='0x0000' bus='0x00' slot='0x01'/)
    expect(placed(xml)).toEqual(['1:1'])
  })
  it('on another machine the groups change nothing (libvirt isolates on pSeries only)', () => {
    const x86 = `<domain type='qemu'><name>t</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${hostdev(one)}${hostdev(two)}</devices></domain>`
    const x86caps = capsXml({ flags: ['vfio-pci'] })
    expect(previewDomain(x86, { qemuCaps: x86caps, hostPciDevices: { '0000:01:00.0': { iommuGroup: 3 }, '0000:02:00.0': { iommuGroup: 4 } } }).xml).toBe(previewDomain(x86, { qemuCaps: x86caps }).xml)
  })
  it('without them: placed as on a host with none (libvirtd 9.0 on such a host, probe h28-hostdev-pci) and listed as not predicted', () => {
    const result = preview(ppc(hostdev(one) + hostdev(two)))
    expect(placed(result.xml)).toEqual(['0:1', '0:2'])
    expect(result.notPredicted.filter((n) => n.reason.includes('IOMMU groups')).map((n) => n.path)).toEqual(['domain/devices/hostdev', 'domain/devices/hostdev'])
    // (with an empty list — a host without IOMMU groups — the same places, and nothing unpredicted)
    const none = preview(ppc(hostdev(one) + hostdev(two)), { hostPciDevices: {} })
    expect(none.xml).toBe(result.xml)
    expect(none.notPredicted.filter((n) => n.reason.includes('IOMMU groups'))).toEqual([])
  })
  it('an address, a group or a kind that is not one: a typed error naming it', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ '0000:01:00': {} }, 'hostPciDevices/0000:01:00'], [{ '0000:01:00.8': {} }, 'hostPciDevices/0000:01:00.8'], [{ '10000:01:00.0': {} }, 'hostPciDevices/10000:01:00.0'],
      [{ '0000:01:00.0': 3 }, 'hostPciDevices/0000:01:00.0'], [{ '0000:01:00.0': { iommuGroup: -1 } }, 'hostPciDevices/0000:01:00.0/iommuGroup'],
      [{ '0000:01:00.0': { iommuGroup: 1.5 } }, 'hostPciDevices/0000:01:00.0/iommuGroup'], [{ '0000:01:00.0': { iommuGroup: Number.NaN } }, 'hostPciDevices/0000:01:00.0/iommuGroup'],
      [{ '0000:01:00.0': { pcie: 'yes' } }, 'hostPciDevices/0000:01:00.0/pcie'],
    ]
    for (const [hostPciDevices, path] of bad) {
      const error = (() => { try { preview(ppc(hostdev(one)), { hostPciDevices } as Partial<PreviewOptions>) } catch (e) { return e } })()
      expect(error).toBeInstanceOf(PreviewError)
      expect(error).toMatchObject({ code: 'preview-bad-host-pci', path })
    }
  })
})

describe('a host device PCI Express or not, where the machine has PCIe (q35)', () => {
  const q35caps = capsXml()
  const q35 = (devices: string): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${devices}</devices></domain>`
  const onHost = source('0', '0', '3', '0')
  const absent = source('0', '0x7', '3', '0')
  const q = (xml: string, options: Partial<PreviewOptions> = {}) => previewDomain(xml, { qemuCaps: q35caps, abiUpdate: true, ...options })
  // (the bus each host device's guest address is on, and that bus's controller model)
  const buses = (xml: string): string[] => placed(xml).map((at) => {
    const bus = at.split(':')[0]!
    return [...xml.matchAll(/<controller type='pci' index='(\d+)' model='([\w-]+)'>/g)].find((m) => m[1] === bus)?.[2] ?? 'none'
  })
  it('one the host has that is not PCIe goes where conventional PCI goes (a pcie-to-pci-bridge); one the host lacks is PCIe (libvirtd 9.0 on this host, probe h5-hd1)', () => {
    const xml = q(q35(hostdev(onHost) + hostdev(absent)), { hostPciDevices: { '0000:00:03.0': { pcie: false } } }).xml
    expect(buses(xml)).toEqual(['pcie-to-pci-bridge', 'pcie-root-port'])
  })
  it('near misses: PCIe, or a guest address written (libvirt reads no host then), or a pc machine — as before', () => {
    const pcie = q(q35(hostdev(onHost)), { hostPciDevices: { '0000:00:03.0': { pcie: true } } })
    expect(buses(pcie.xml)).toEqual(['pcie-root-port'])
    expect(pcie.notPredicted.filter((n) => n.reason.includes('PCI Express'))).toEqual([])
    const written = q35(hostdev(onHost, "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"))
    expect(q(written, { hostPciDevices: { '0000:00:03.0': { pcie: false } } }).xml).toBe(q(written).xml)
    const pc = q35(hostdev(onHost)).replace("machine='q35'", "machine='pc'")
    expect(q(pc, { hostPciDevices: { '0000:00:03.0': { pcie: false } } }).xml).toBe(q(pc).xml)
  })
  it('without the host\'s devices, or a device listed without its kind: PCIe, and listed as not predicted', () => {
    for (const options of [{}, { hostPciDevices: { '0000:00:03.0': { iommuGroup: 4 } } }]) {
      const result = q(q35(hostdev(onHost)), options)
      expect(buses(result.xml)).toEqual(['pcie-root-port'])
      expect(result.notPredicted.filter((n) => n.reason.includes('PCI Express')).map((n) => n.path)).toEqual(['domain/devices/hostdev'])
    }
    // (one the host lacks: PCIe, nothing to ask)
    expect(q(q35(hostdev(absent)), { hostPciDevices: {} }).notPredicted.filter((n) => n.reason.includes('PCI Express'))).toEqual([])
  })
})
