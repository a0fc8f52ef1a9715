// Drive addresses and the disk controllers they imply, as libvirt 9.0 gives and checks them (own probes `h55-…`, each
// defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or
// said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35', arch = 'x86_64'): string =>
  `<domain type='qemu'><name>h55</name><memory unit='KiB'>524288</memory><vcpu placement='static'>1</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const scsiDisk = (address: string): string =>
  `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h55.img'/><target dev='sda' bus='scsi'/>${address}</disk>`
const hostdev = (address: string, hostUnit = 0): string =>
  `<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='${hostUnit}'/></source>${address}</hostdev>`

describe("a SCSI controller of model 'auto' (qemuDomainSetSCSIControllerModel, then qemuValidateDomainDeviceDefAddressDrive)", () => {
  it("is the default model by validation: on x86, LSI Logic's target 0 is asked of its disks and host devices", () => {
    for (const device of [scsiDisk("<address type='drive' controller='0' bus='0' target='1' unit='0'/>"), hostdev("<address type='drive' controller='0' bus='0' target='1' unit='0'/>")]) {
      expect(refusal(dom(`<controller type='scsi' index='0' model='auto'/>${device}`), v9)).toMatchObject({ message: "target must be 0 for controller model 'lsilogic'" })
      // (the near misses: target 0 behind it, stored behind an LSI Logic controller; target 1 behind a virtio-scsi one)
      expect(predicts(dom(`<controller type='scsi' index='0' model='auto'/>${device.replace("target='1'", "target='0'")}`), v9)).toContain("<controller type='scsi' index='0' model='lsilogic'>")
      expect(predicts(dom(`<controller type='scsi' index='0' model='virtio-scsi'/>${device}`), v9)).toContain("<address type='drive' controller='0' bus='0' target='1' unit='0'/>")
    }
  })
})

describe('the pci-bridges the dry run adds for many disk controllers (qemuDomainAssignPCIAddresses → virDomainPCIAddressSetGrow)', () => {
  const far = (controller: number, machine = 'pc'): string =>
    dom(`<disk type='file' device='disk'><source file='/var/lib/libvirt/images/h55.img'/><target dev='sda' bus='scsi'/><address type='drive' controller='${controller}' bus='0' target='0' unit='0'/></disk>`, machine)
  const words = "a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available, and it cannot be automatically added"
  it('each takes a slot in the dry run, which adds no bus for a bridge: refused when the slots the devices left are too few', () => {
    // (271 and 301 SCSI controllers on pc: 9 and 10 bridges, too few slots left for them)
    expect(refusal(far(270), v9)).toMatchObject({ message: words })
    expect(refusal(far(300), v9)).toMatchObject({ message: words })
    // (the near miss between them: 281 controllers leave the 9 bridges their slots — libvirtd 9.0 stores 10 PCI controllers)
    expect(predicts(far(280), v9).match(/<controller type='pci'/g)).toHaveLength(10)
    // (on q35, whose root ports and PCIe-to-PCI bridge come first, 501 fit and 701 do not)
    expect(predicts(far(500, 'q35'), v9)).toContain("<controller type='scsi' index='500' model='lsilogic'>")
    expect(refusal(far(700, 'q35'), v9)).toMatchObject({ message: words })
  })
})

describe('the SCSI controllers the parser adds for host devices, as validation sees them (virDomainDefMaybeAddHostdevSCSIcontroller)', () => {
  const onController0 = hostdev('')
  const farTarget = hostdev("<address type='drive' controller='2' bus='0' target='8' unit='8'/>", 1)
  it("take the model of the controller a host device raising the highest index stands on: not LSI Logic's target check", () => {
    const out = predicts(dom(`<controller type='scsi' index='0' model='lsisas1078'/>${onController0}${farTarget}`), v9)
    expect(out).toContain("<controller type='scsi' index='1' model='lsisas1078'>")
    expect(out).toContain("<controller type='scsi' index='2' model='lsisas1078'>")
    expect(out).toContain("<address type='drive' controller='2' bus='0' target='8' unit='8'/>")
    // (the near miss: no host device on controller 0 — the one on controller 2 stands on none, the controllers added take
    // the default model, LSI Logic on x86, and its target 8 is refused)
    expect(refusal(dom(`<controller type='scsi' index='0' model='lsisas1078'/>${farTarget}`), v9)).toMatchObject({ message: "target must be 0 for controller model 'lsilogic'" })
  })
})

describe('the SCSI controllers added as each host device is read (virDomainDefMaybeAddHostdevSCSIcontroller after each one)', () => {
  const first = hostdev("<address type='drive' controller='0' bus='0' target='0' unit='6'/>")
  const onVirtio = hostdev("<address type='drive' controller='1' bus='0' target='0' unit='2'/>", 1)
  it('a host device on controller 0 read before one on a virtio-scsi controller 1 gets the default model: the later one is not read yet', () => {
    const out = predicts(dom(`<controller type='scsi' index='1' model='virtio-scsi'/>${first}${onVirtio}`, 'pc'), v9)
    expect(out).toContain("<controller type='scsi' index='0' model='lsilogic'>")
    // (the near miss: in the other order the call after the first host device raises the index to 1 on the virtio-scsi
    // controller, and controller 0 is added of its model)
    expect(predicts(dom(`<controller type='scsi' index='1' model='virtio-scsi'/>${onVirtio}${first}`, 'pc'), v9)).toContain("<controller type='scsi' index='0' model='virtio-scsi'>")
  })
  it('a host device at target 1 on a controller added without a model is refused, though a later one stands on a virtio-scsi controller', () => {
    const target1 = hostdev("<address type='drive' controller='1' bus='0' target='1' unit='2'/>", 1)
    const onVirtio2 = hostdev("<address type='drive' controller='2' bus='0' target='0' unit='6'/>", 2)
    expect(refusal(dom(`<controller type='scsi' index='2' model='virtio-scsi'/>${target1}${onVirtio2}`, 'pc'), v9)).toMatchObject({ message: "target must be 0 for controller model 'lsilogic'" })
    // (the near miss: the one on the virtio-scsi controller read first — 0 and 1 added as virtio-scsi controllers)
    expect(predicts(dom(`<controller type='scsi' index='2' model='virtio-scsi'/>${onVirtio2}${target1}`, 'pc'), v9)).toContain("<controller type='scsi' index='1' model='virtio-scsi'>")
  })
})

describe("a SCSI disk named onto a SCSI host device's drive address (virDomainDiskDefAssignAddress, in the device post-parse)", () => {
  const taken = hostdev("<address type='drive' controller='0' bus='0' target='0' unit='1'/>")
  const sdb = "<disk type='file' device='cdrom'><target dev='sdb' bus='scsi'/></disk>"
  it('is refused before virDomainDefPostParseCommon finds two controllers of one index', () => {
    const twice = "<controller type='scsi' index='1' model='dc390'/><controller type='scsi' index='1' model='lsilogic'/>"
    expect(refusal(dom(`${twice}${sdb}${taken}`), v9)).toMatchObject({ message: "using disk target name 'sdb' conflicts with SCSI host device address controller='0' bus='0' target='0' unit='1" })
    // (the near miss: named sdc, its unit 2 free — the duplicate controllers are refused then)
    expect(refusal(dom(`${twice}${sdb.replace('sdb', 'sdc')}${taken}`), v9)).toMatchObject({ message: "Multiple 'scsi' controllers with index '1'" })
  })
  it('a disk without a bus is on SCSI by its sd name', () => {
    expect(refusal(dom(`<disk type='file' device='disk'><target dev='sdb'/></disk>${taken}`), v9)).toMatchObject({ message: "using disk target name 'sdb' conflicts with SCSI host device address controller='0' bus='0' target='0' unit='1" })
    expect(predicts(dom(`<disk type='file' device='disk'><source file='/var/lib/libvirt/images/h55.img'/><target dev='sdb' bus='sata'/></disk>${taken}`), v9)).toContain("<target dev='sdb' bus='sata'/>")
  })
})

describe("a SATA disk where QEMU has no AHCI controller (qemuValidateDomainDeviceDefControllerSATA on the controller post-parse adds)", () => {
  const s390 = { caps: capsXml({ arch: 's390x', flags: ['virtio-blk-ccw', 'virtio-ccw', 'zpci', 'virtio-pci', 'virtio-scsi-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" }), v9: true }
  const sata = "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/h55.img'/><target dev='sda' bus='sata'/></disk>"
  it("is refused on its controller, met after a SCSI host device's refusal: host devices come before controllers in the walk", () => {
    const pciHostdev = hostdev("<address type='pci' domain='0x0000' bus='0x00' slot='0x0c' function='0x0'/>")
    expect(refusal(dom(`${sata}${pciHostdev}`, 's390-ccw-virtio', 's390x'), s390)).toMatchObject({ message: "SCSI host device must use 'drive' address type" })
    // (the near miss: the SATA disk alone — its controller refused)
    expect(refusal(dom(sata, 's390-ccw-virtio', 's390x'), s390)).toMatchObject({ message: 'SATA is not supported with this QEMU binary' })
  })
})

describe("a backing store's source, read as the disk's own (virDomainDiskBackingStoreParse → virDomainStorageSourceParse)", () => {
  const backed = (store: string, address = ''): string =>
    dom(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'/>${store}<target dev='vda' bus='virtio'/>${address}</disk>`, 'pc')
  const nvme = (inner: string): string => `<backingStore type='nvme'><format type='raw'/><source type='pci' managed='no' namespace='03'>${inner}</source></backingStore>`
  it('an NVMe image without its PCI address is refused as the disk is parsed, before a drive address on the virtio disk is validated', () => {
    expect(refusal(backed(nvme('')), v9)).toMatchObject({ message: 'NVMe disk source is missing address' })
    expect(refusal(backed(nvme(''), "<address type='drive' controller='0' bus='0' target='1' unit='7'/>"), v9)).toMatchObject({ message: 'NVMe disk source is missing address' })
    // (the near miss: the address written — the chain kept)
    expect(predicts(backed(nvme("<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>")), v9)).toContain("<backingStore type='nvme'>\n        <format type='raw'/>\n        <source type='pci' managed='no' namespace='3'>")
  })
})
