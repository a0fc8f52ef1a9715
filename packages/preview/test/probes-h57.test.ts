// PCI controllers and their topology as libvirt 9.0 reads, fills in and checks them (own probes `h57-…`, each defined
// on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const v9 = { v9: true }
const rootHole = (text: string, unit?: string, machine = 'pc'): string =>
  x86Domain(`<controller type='pci' index='0' model='${machine === 'pc' ? 'pci-root' : 'pcie-root'}'><pcihole64${unit ? ` unit='${unit}'` : ''}>${text}</pcihole64></controller>`, machine)

describe("a PCI root's 64-bit hole (virDomainControllerDefParseXML: virParseScaledValue's limit)", () => {
  it("9.0's limit, 1024ULL * ULONG_MAX, wraps to 2^64 - 1024 bytes: 2^54 KiB refused, one less taken", () => {
    for (const machine of ['pc', 'q35']) {
      expect(refusal(rootHole('18014398509481984', undefined, machine), v9))
        .toMatchObject({ message: 'value too large: 18014398509481984' })
      expect(predicts(rootHole('18014398509481983', undefined, machine), v9)).toContain("<pcihole64 unit='KiB'>18014398509481983</pcihole64>")
    }
    // (in bytes, the last 1,023 below 2^64 are past 9.0's limit; 11's is ULLONG_MAX)
    expect(refusal(rootHole('18446744073709550593', 'B'), v9)).toMatchObject({ message: 'value too large: 18446744073709550593B' })
    expect(predicts(rootHole('18446744073709550592', 'B'), v9)).toContain("<pcihole64 unit='KiB'>18014398509481983</pcihole64>")
  })
  it("11's limit is ULLONG_MAX, and VIR_DIV_UP wraps the last 1,023 bytes' KiB to 0", () => {
    expect(refusal(rootHole('18014398509481984'))).toMatchObject({ message: 'value too large: 18014398509481984' })
    expect(predicts(rootHole('18446744073709551615', 'B'))).toContain("<pcihole64 unit='KiB'>0</pcihole64>")
    expect(predicts(rootHole('18446744073709550592', 'B'))).toContain("<pcihole64 unit='KiB'>18014398509481983</pcihole64>")
  })
})

describe('a PCI controller on an address of another type (qemuDomainAssignPCIAddresses reads the address union as PCI)', () => {
  const rootPort = (address: string, target = ''): string => x86Domain(`<controller type='pci' index='1' model='pcie-root-port'>${target}${address}</controller>`, 'q35')
  it("a root port's port is (slot << 3) + function of the union's numbers, its chassis its index", () => {
    expect(predicts(rootPort("<address type='virtio-mmio'/>"), v9))
      .toContain("<controller type='pci' index='1' model='pcie-root-port'>\n      <model name='pcie-root-port'/>\n      <target chassis='1' port='0x0'/>\n      <address type='virtio-mmio'/>")
    // (an sPAPR VIO register's has_reg is the slot: port 0x8; a drive address's target and unit the slot and function)
    expect(predicts(rootPort("<address type='spapr-vio' reg='0x1000'/>"), v9)).toContain("<target chassis='1' port='0x8'/>")
    expect(predicts(rootPort("<address type='drive' controller='0' bus='0' target='5' unit='3'/>"), v9)).toContain("<target chassis='1' port='0x2b'/>")
    // (near miss: a written chassis and port are kept)
    expect(predicts(rootPort("<address type='spapr-vio' reg='0x1000'/>", "<target chassis='9' port='0x9'/>"), v9)).toContain("<target chassis='9' port='0x9'/>")
  })
  it('a port past 255 so filled in is refused by validation as a written one', () => {
    expect(refusal(rootPort("<address type='drive' controller='0' bus='0' target='40' unit='0'/>"), v9))
      .toMatchObject({ message: "PCI controller port '320' out of range - must be 0-255" })
    expect(predicts(rootPort("<address type='drive' controller='0' bus='0' target='31' unit='7'/>"), v9)).toContain("<target chassis='1' port='0xff'/>")
  })
  it("a downstream port's port is the union's slot", () => {
    const down = (address: string): string => x86Domain(`<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-switch-upstream-port'/><controller type='pci' index='3' model='pcie-switch-downstream-port'>${address}</controller>`, 'q35')
    expect(predicts(down("<address type='usb' bus='0' port='1.2.3'/>"), v9)).toContain("<target chassis='3' port='0x2'/>\n      <address type='usb' bus='0' port='1.2.3'/>")
  })
  it("a pci-bridge's bus is the union's: a USB address on port 1 is bus 1, not below index 1", () => {
    const bridge = (idx: number, address: string): string => x86Domain(`<controller type='pci' index='${idx}' model='pci-bridge'>${address}</controller>`)
    expect(refusal(bridge(1, "<address type='usb' bus='0' port='1'/>"), v9))
      .toMatchObject({ message: "PCI controller at index 1 (0x01) has bus='0x01', but index must be larger than bus" })
    expect(predicts(bridge(3, "<address type='usb' bus='0' port='1'/>"), v9)).toContain("<target chassisNr='3'/>\n      <address type='usb' bus='0' port='1'/>")
    expect(predicts(bridge(1, "<address type='usb' bus='0' port='0'/>"), v9)).toContain("<target chassisNr='1'/>\n      <address type='usb' bus='0'/>")
  })
})

const pciAt = (bus: number, slot: number, fn: number, multi = false): string =>
  `<address type='pci' domain='0x0000' bus='0x${bus.toString(16).padStart(2, '0')}' slot='0x${slot.toString(16).padStart(2, '0')}' function='0x${fn}'${multi ? " multifunction='on'" : ''}/>`
const rootPortAt = (idx: number, address: string): string => `<controller type='pci' index='${idx}' model='pcie-root-port'>${address}</controller>`

describe('a slot aggregates root ports when its first function reserved is a root port (virDomainPCIAddressReserveAddrInternal)', () => {
  it("a NIC written at function 0 — collected before the controllers — keeps the slot to itself: the added root ports take a slot of their own", () => {
    const out = predicts(x86Domain(`<interface type='user'><model type='rtl8139'/>${pciAt(0, 1, 0)}</interface>${rootPortAt(7, pciAt(0, 1, 7, true))}`, 'q35'), v9)
    expect(out).toContain(`<target chassis='1' port='0x10'/>\n      ${pciAt(0, 2, 0, true)}`)
    expect(out).toContain(`<target chassis='6' port='0x15'/>\n      ${pciAt(0, 2, 5)}`)
    // (near miss: the root port at function 7 alone — the added ones fill the slot's free functions from 0)
    const near = predicts(x86Domain(rootPortAt(7, pciAt(0, 1, 7)), 'q35'), v9)
    expect(near).toContain(`<target chassis='1' port='0x8'/>\n      ${pciAt(0, 1, 0, true)}`)
    expect(near).toContain(`<target chassis='2' port='0x9'/>\n      ${pciAt(0, 1, 1)}`)
  })
})

describe("q35's chipset at 00:1f (qemuDomainValidateDevicePCISlotsQ35)", () => {
  it('the primary SATA controller is given 00:1f.2 without reserving it: the ISA bridge at 00:1f.0 and the SMBus at 00:1f.3 are refused first', () => {
    expect(refusal(x86Domain(rootPortAt(1, pciAt(0, 0x1f, 0, true)) + rootPortAt(2, pciAt(0, 0x1f, 2)), 'q35'), v9))
      .toMatchObject({ message: 'Attempted double use of PCI Address 0000:00:1f.0' })
    expect(refusal(x86Domain(rootPortAt(1, pciAt(0, 0x1f, 2)) + rootPortAt(2, pciAt(0, 0x1f, 3)), 'q35'), v9))
      .toMatchObject({ message: 'Attempted double use of PCI Address 0000:00:1f.3' })
    // (near miss: 00:1f.2 alone, refused for itself)
    expect(refusal(x86Domain(rootPortAt(1, pciAt(0, 0x1f, 2)), 'q35'), v9)).toMatchObject({ message: 'Attempted double use of PCI Address 0000:00:1f.2' })
  })
})

describe('PCI controllers validated in the order libvirt keeps them (virDomainControllerInsertPreAlloced, virDomainControllerDefValidate)', () => {
  const bridge = (idx: number | undefined, chassisNr?: number): string =>
    `<controller type='pci'${idx === undefined ? '' : ` index='${idx}'`} model='pci-bridge'>${chassisNr === undefined ? '' : `<target chassisNr='${chassisNr}'/>`}</controller>`
  const root = "<controller type='pci' index='0' model='pci-root'/>"
  it('one without an index stays after the last written before it — numbered 1, it is met after index 2', () => {
    expect(refusal(x86Domain(root + bridge(3) + bridge(undefined, 0) + bridge(2, 256)), v9))
      .toMatchObject({ message: "PCI controller chassisNr '256' out of range - must be 1-255" })
    // (near miss: written before index 3, it is met first)
    expect(refusal(x86Domain(root + bridge(undefined, 0) + bridge(3) + bridge(2, 256)), v9))
      .toMatchObject({ message: "PCI controller chassisNr '0' out of range - must be 1-255" })
  })
  it("a root bus's address is the first of its checks, met in that order beside another controller's target index", () => {
    const phbs = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
    const unnumbered = "<controller type='pci' model='pci-root'><target index='1'/></controller>"
    const addressed = "<controller type='pci' index='2' model='pci-root'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></controller>"
    const ppc = { v9: true, caps: capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'pci-bridge'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" }) }
    expect(refusal(phbs("<controller type='pci' index='12' model='pci-bridge'/>" + unnumbered + addressed), ppc))
      .toMatchObject({ message: 'pci-root and pcie-root controllers should not have an address' })
    // (near miss: the unnumbered PHB — numbered 0, of target index 1 — kept before the addressed one behind a bridge of index 1)
    expect(refusal(phbs("<controller type='pci' index='1' model='pci-bridge'/>" + unnumbered + addressed), ppc))
      .toMatchObject({ message: 'Only the PCI controller with index 0 can have target index 0, and vice versa' })
  })
})

describe("a PCI controller's NUMA node past the guest's cells (qemuDomainControllerDefPostParse, in libvirt's controller order)", () => {
  const pxb = (idx: number, node: number, busNr: number): string => `<controller type='pci' index='${idx}' model='pci-expander-bus'><target busNr='${busNr}'><node>${node}</node></target></controller>`
  const numa = (devices: string): string =>
    `<domain type='qemu'><name>t</name><memory>524288</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='262144'/><cell id='1' cpus='1' memory='262144'/></numa></cpu><devices>${devices}</devices></domain>`
  it('index 1 is met before index 2 whatever the document order', () => {
    const words = "pci-expander-bus with index 1 is configured for a NUMA node (2) not present in the domain's <cpu><numa> array (2)"
    expect(refusal(numa(pxb(2, 3, 100) + pxb(1, 2, 200)), v9)).toMatchObject({ message: words })
    expect(refusal(numa(pxb(1, 2, 200) + pxb(2, 3, 100)), v9)).toMatchObject({ message: words })
    // (near miss: index 2's node within the cells)
    expect(refusal(numa(pxb(2, 1, 100) + pxb(1, 2, 200)), v9)).toMatchObject({ message: words })
  })
})

describe("qemuDomainControllerDefPostParse's PCI checks, controller by controller in index order", () => {
  it("an expander bus off its machine at index 2 is met after index 1's NUMA node (and the other way round)", () => {
    const numa = (devices: string): string =>
      `<domain type='qemu'><name>t</name><memory>524288</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='262144'/><cell id='1' cpus='1' memory='262144'/></numa></cpu><devices>${devices}</devices></domain>`
    const pxb = (idx: number): string => `<controller type='pci' index='${idx}' model='pci-expander-bus'><target busNr='200'/></controller>`
    const noded = (idx: number): string => `<controller type='pci' index='${idx}' model='pcie-expander-bus'><target busNr='150'><node>3</node></target></controller>`
    expect(refusal(numa(pxb(2) + noded(1)), v9))
      .toMatchObject({ message: "pcie-expander-bus with index 1 is configured for a NUMA node (3) not present in the domain's <cpu><numa> array (2)" })
    expect(refusal(numa(noded(2) + pxb(1)), v9)).toMatchObject({ message: 'pci-expander-bus controllers are only supported on 440fx-based machinetypes' })
  })
})
