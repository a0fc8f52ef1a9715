// Drive addresses and the disk controllers they imply, as libvirt 9.0 gives and checks them (own probes `h55-…`, each
// defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or
// said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35', arch = 'x86_64'): string =>
  `<domain type='qemu'><name>h55</name><memory unit='KiB'>524288</memory><vcpu placement='static'>1</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const scsiDisk = (address: string): string =>
  `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h55.img'/><target dev='sda' bus='scsi'/>${address}</disk>`
const hostdev = (address: string): string =>
  `<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source>${address}</hostdev>`

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
