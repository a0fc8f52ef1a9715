// Addresses as libvirtd 9.0 assigned them for domains written to reach the corners of qemu_domain_address.c and
// domain_addr.c (own probes: each case defined on the sandbox libvirtd beside preview).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (devices: string, arch = 'x86_64', machine = 'pc'): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`

describe('USB ports (virDomainUSBAddressFindFreePort)', () => {
  it('a port path is at most four ports long: the ports of a fourth-level hub are never handed out', () => {
    const hubs = "<controller type='usb' index='0' model='piix3-uhci'/>" + ['1', '1.1', '1.1.1', '1.1.1.1'].map((p) => `<hub type='usb'><address type='usb' bus='0' port='${p}'/></hub>`).join('')
    // (two root ports, seven free on each of the three lower hubs, and the fourth hub's place: 22 tablets fit)
    const tablets = (n: number): string => hubs + "<input type='tablet' bus='usb'/>".repeat(n)
    expect(predicts(dom(tablets(22)))).toContain("<address type='usb' bus='0' port='1.1.1.8'/>")
    expect(predicts(dom(tablets(22)))).not.toContain("port='1.1.1.1.")
    expect(refusal(dom(tablets(23)))).toMatchObject({ code: 'preview-refused', message: 'No free USB ports' })
  })
})

describe('virtio-serial ports (virDomainVirtioSerialAddrAutoAssign)', () => {
  it('a channel whose address names a controller but no port takes one of that controller, or is refused', () => {
    const channel = (name: string): string => `<channel type='pty'><target type='virtio' name='${name}'/><address type='virtio-serial' controller='1'/></channel>`
    expect(refusal(dom(`<controller type='virtio-serial' index='1' ports='2'/>${channel('c.x')}${channel('c.y')}`))).toMatchObject({ code: 'preview-invalid-value', message: 'Unable to find a free port on virtio-serial controller 1' })
    expect(predicts(dom(`<controller type='virtio-serial' index='1' ports='2'/>${channel('c.x')}`))).toContain("<address type='virtio-serial' controller='1' bus='0' port='1'/>")
  })

  it('a virtio console keeps its address as written, all three numbers; without a port it takes one of controller 0', () => {
    const console = (address: string): string => `<console type='pty'><target type='virtio'/>${address}</console>`
    const xml = predicts(dom(console("<address type='virtio-serial' controller='3' port='0'/>") + "<channel type='pty'><target type='virtio' name='c.x'/></channel>"))
    expect(xml).toContain("<address type='virtio-serial' controller='3' bus='0' port='0'/>")
    // (the console's port on controller 0 is port 1: the channel takes port 2)
    expect(xml).toContain("<address type='virtio-serial' controller='0' bus='0' port='2'/>")
    expect(predicts(dom(console("<address type='virtio-serial' controller='0' port='3'/>")))).toContain("<address type='virtio-serial' controller='0' bus='0' port='3'/>")
    expect(refusal(dom(console("<address type='virtio-serial' controller='1' port='0'/>")))).toMatchObject({ code: 'preview-refused', message: 'virtio-serial controller 0 not available' })
  })
})

describe('zPCI identities (virDomainZPCIAddressEnsureAddr)', () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-net', 'virtio-net-ccw', 'zpci', 'virtio-pci', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const nic = (mac: string, zpci: string): string => `<interface type='user'><mac address='52:54:00:00:00:${mac}'/><model type='virtio'/><address type='pci'>${zpci}</address></interface>`
  it('device by device: a half not written takes the lowest free value at once, which a later device may find taken', () => {
    expect(refusal(dom(nic('02', "<zpci uid='0x0001'/>") + nic('03', "<zpci fid='0x00000000'/>"), 's390x', 's390-ccw-virtio'), { caps: s390 })).toMatchObject({ message: 'zPCI fid 0 is already reserved', path: 'domain/devices/interface[2]/address/zpci/@fid' })
    expect(refusal(dom(nic('03', "<zpci fid='0x00000001'/>") + nic('02', "<zpci uid='0x0001'/>"), 's390x', 's390-ccw-virtio'), { caps: s390 })).toMatchObject({ message: 'zPCI uid 1 is already reserved' })
  })
  it('the uid is written before the fid', () => {
    expect(predicts(dom(nic('03', "<zpci fid='0x00000005'/>"), 's390x', 's390-ccw-virtio'), { caps: s390 })).toContain("<zpci uid='0x0001' fid='0x00000005'/>")
  })
})

describe('buses the dry run grows for an address written on a bus not there yet (virDomainPCIAddressSetGrow)', () => {
  const e1000 = (bus: number, slot = 1): string => `<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/><address type='pci' domain='0' bus='${bus}' slot='${slot}' function='0'/></interface>`
  const controllersOf = (xml: string): string[] => [...xml.matchAll(/<controller type='pci' index='(\d+)' model='([^']+)'/g)].map((m) => `${m[1]} ${m[2]}`)
  it('a conventional PCI device on a PCIe machine: a root port taken by a pcie-to-pci-bridge first; asking for one bus, its bus is bumped to the bridge', () => {
    const one = predicts(dom(e1000(1), 'x86_64', 'q35'))
    expect(controllersOf(one).slice(0, 3)).toEqual(['0 pcie-root', '1 pcie-root-port', '2 pcie-to-pci-bridge'])
    expect(one).toContain("<address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'/>\n    </interface>")
    // (three buses asked: root port, bridge, then a pci-bridge — no bump)
    expect(controllersOf(predicts(dom(e1000(3), 'x86_64', 'q35'))).slice(0, 4)).toEqual(['0 pcie-root', '1 pcie-root-port', '2 pcie-to-pci-bridge', '3 pci-bridge'])
  })
  it('once a bus takes a pci-bridge, pci-bridges', () => {
    const xml = predicts(dom("<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-to-pci-bridge'/>" + e1000(3), 'x86_64', 'q35'))
    expect(controllersOf(xml).slice(0, 4)).toEqual(['0 pcie-root', '1 pcie-root-port', '2 pcie-to-pci-bridge', '3 pci-bridge'])
  })
})

describe('pSeries PHBs and USB host device NICs (own probes, libvirtd 9.0)', () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'qemu-xhci', 'virtio-net'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
  it("a PHB's target index: the lowest no PHB before it has, a later one only with its model name written (qemuDomainAddressFindNewTargetIndex)", () => {
    const xml = predicts(dom("<controller type='pci' index='1' model='pci-root'/><controller type='pci' index='2' model='pci-root'><target index='1'/></controller>", 'ppc64', 'pseries'), { caps: ppc })
    // (both index 1, as libvirtd 9.0 stores them)
    expect([...xml.matchAll(/<target index='(\d+)'\/>/g)].map((m) => m[1])).toEqual(['0', '1', '1'])
    const named = predicts(dom("<controller type='pci' index='1' model='pci-root'/><controller type='pci' index='2' model='pci-root'><model name='spapr-pci-host-bridge'/><target index='1'/></controller>", 'ppc64', 'pseries'), { caps: ppc })
    expect([...named.matchAll(/<target index='(\d+)'\/>/g)].map((m) => m[1])).toEqual(['0', '2', '1'])
  })
  it("a SCSI controller without a model is pSeries' ibmvscsi: an sPAPR VIO device whatever address was written", () => {
    const xml = predicts(dom("<controller type='scsi'><address type='pci'/></controller>", 'ppc64', 'pseries'), { caps: ppc.replace("<flag name='pci-ohci'/>", "<flag name='pci-ohci'/>\n  <flag name='spapr-vscsi'/>") })
    expect(/<controller type='scsi'[\s\S]*?<\/controller>/.exec(xml)![0]).toContain("<address type='spapr-vio' reg='0x00002000'/>")
  })
  it('a host device NIC whose source names a vendor (no address type) is a USB device: a USB port, no PCI slot', () => {
    const xml = predicts(dom("<interface type='hostdev' managed='yes'><mac address='52:54:00:ab:cd:ef'/><source><vendor id='0x0bda'/><product id='0x8153'/></source></interface>", 'x86_64', 'q35'))
    expect(/<interface type='hostdev'[\s\S]*?<\/interface>/.exec(xml)![0]).toContain("<address type='usb' bus='0' port='1'/>")
  })
})

describe("a controller's I/O thread (own probes of virDomainControllerDefPostParse and the QEMU driver's checks, libvirtd 9.0)", () => {
  it('0 is none: not written, not checked; a model left out or auto is the default one', () => {
    expect(predicts(dom("<controller type='scsi' model='virtio-scsi'><driver iothread='0'/></controller>"))).not.toContain('<driver')
    expect(predicts(dom("<controller type='scsi' model='lsilogic'><driver iothread='0'/></controller>"))).toContain("<controller type='scsi' index='0' model='lsilogic'>")
  })
  it("post-parse compares model numbers whatever the type: a nec-xhci's passes there and is refused by the QEMU driver's words", () => {
    const withThread = `<domain type='qemu'><name>t</name><memory>524288</memory><iothreads>1</iothreads><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><controller type='usb' model='nec-xhci'><driver iothread='1'/></controller></devices></domain>`
    expect(refusal(withThread, { v9: true })).toMatchObject({ code: 'preview-refused', message: "'iothread' is only supported for virtio-scsi controller" })
    // (11.3's generic controller validation names it first: seen on libvirtd 11.3)
    expect(refusal(withThread)).toMatchObject({ code: 'preview-refused', message: "iothreads are supported only by 'virtio-scsi' controllers" })
    expect(refusal(dom("<controller type='usb' model='qemu-xhci'><driver iothread='1'/></controller>")).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
  })
})

describe('a PCI address on a bus the dry run grows (virDomainPCIAddressReserveAddrInternal: grown, then validated there and then)', () => {
  const A = (bus: number, slot: number, fn = 0): string => `<address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/>`
  const disk = (a: string): string => `<disk type='file' device='disk'><source file='/var/lib/libvirt/images/x.img'/><target dev='vda' bus='virtio'/>${a}</disk>`
  const nic = (a: string, model = 'virtio'): string => `<interface type='user'><mac address='52:54:00:00:00:01'/><model type='${model}'/>${a}</interface>`
  it("refuses a grown pci-bridge's slot 0 before the chipset's slots are checked (virt-manager's testdriver domain, probe h14-pc-b1s0-and-piix)", () => {
    expect(refusal(dom(disk(A(1, 0)) + nic(A(0, 1))))).toMatchObject({ message: 'Invalid PCI address 0000:01:00.0. slot must be >= 1' })
    expect(refusal(dom(nic(A(0, 1)) + disk(A(1, 0)))).message).toBe('Invalid PCI address 0000:01:00.0. slot must be >= 1')
    expect(refusal(dom(disk(A(1, 1)) + nic(A(0, 1)))).message).toBe('Attempted double use of PCI Address 0000:00:01.0')
  })
  it('names the address as written when the growth bumps its bus (a conventional PCI device on q35: probe h14-q35-b1s0-e1000)', () => {
    expect(refusal(dom(nic(A(1, 0), 'e1000'), 'x86_64', 'q35')).message).toBe('Invalid PCI address 0000:01:00.0. slot must be >= 1')
    expect(predicts(dom(nic(A(1, 1), 'e1000'), 'x86_64', 'q35'))).toContain("<address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'/>")
  })
})

describe('a PCI root written with an address (qemuDomainCollectPCIAddress: no connect flags, taken as a standard PCI device)', () => {
  it('grows a pci-bridge for it on a bus no controller makes yet, and is refused there (differential seed 485, probes h22-*)', () => {
    const root = (machine: string, model: string, bus: number, slot: number, more = '') => dom(`<controller type='pci' index='0' model='${model}'><address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='0x0'/></controller>${more}`, 'x86_64', machine)
    expect(refusal(root('q35', 'pcie-root', 2, 0, "<controller type='pci' index='1' model='dmi-to-pci-bridge'/>")).message).toBe('Invalid PCI address 0000:02:00.0. slot must be >= 1')
    expect(refusal(root('pc', 'pci-root', 1, 0)).message).toBe('Invalid PCI address 0000:01:00.0. slot must be >= 1')
    // (where the slot is fine, validation refuses the address itself)
    expect(refusal(root('pc', 'pci-root', 0, 3)).message).toBe('pci-root and pcie-root controllers should not have an address')
  })
})
