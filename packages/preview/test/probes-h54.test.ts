// The address post-parse assigns a device, as libvirt 9.0's validation sees it (own probes `h54-…`, each defined on the
// sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35', arch = 'x86_64'): string =>
  `<domain type='qemu'><name>h54</name><memory>1048576</memory><vcpu>1</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const vioSerial = (inner: string): string => `<serial type='pty'><target type='spapr-vio-serial'/>${inner}</serial>`

describe("a device's sPAPR VIO address, given before validation (qemuDomainAssignSpaprVIOAddresses, qemuValidateDomainDeviceInfo)", () => {
  it("a spapr-vio-serial port's ACPI index is refused for its sPAPR VIO address before its machine (any machine)", () => {
    expect(refusal(dom(vioSerial("<acpi index='1'/>")), v9)).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
    // (the near misses: without an ACPI index, its machine; a PCI address written is made sPAPR VIO too)
    expect(refusal(dom(vioSerial('')), v9).message).toMatch(/^Serial device with target type 'spapr-vio-serial' and target model 'spapr-vty' not compatible/)
    expect(refusal(dom(vioSerial("<acpi index='1'/><address type='pci'/>")), v9)).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
  })
})

describe("an sPAPR VIO register past 32 bits (qemuValidateDomainDeviceDefAddress: the device's first QEMU check)", () => {
  const big = "<address type='spapr-vio' reg='0x100000000'/>"
  const words = "spapr-vio reg='0x100000000' exceeds maximum possible value (0xffffffff)"
  it("is refused before the device's own checks: a serial port's target, the NVRAM's arch, a USB disk's address", () => {
    expect(refusal(dom(vioSerial(big)), v9)).toMatchObject({ message: words })
    expect(refusal(dom(`<serial type='pty'>${big}</serial>`), v9)).toMatchObject({ message: words })
    expect(refusal(dom(`<nvram>${big}</nvram>`), v9)).toMatchObject({ message: words })
    expect(refusal(dom(`<disk type='file' device='disk'><source file='/tmp/u.img'/><target dev='sdb' bus='usb'/>${big}</disk>`), v9)).toMatchObject({ message: words })
    // (the near misses: at 32 bits, each device's own refusal)
    expect(refusal(dom("<nvram><address type='spapr-vio' reg='0xffffffff'/></nvram>"), v9)).toMatchObject({ message: 'nvram device is only supported for PPC64' })
    expect(refusal(dom("<serial type='pty'><address type='spapr-vio' reg='0xffffffff'/></serial>"), v9)).toMatchObject({ message: "Target type 'isa-serial' requires address type 'isa'" })
  })
  it("not on a USB hub's address: post-parse gives it a USB port (virDomainDefPostParse), defined", () => {
    expect(predicts(dom(`<hub type='usb'>${big}</hub>`), v9)).toMatch(/<hub type='usb'>\n +<address type='usb' bus='0' port='1'\/>/)
  })
})

describe("a smartcard's CCID slot, given before validation (virDomainDefMaybeAddSmartcardController)", () => {
  const card = (inner: string): string => `<smartcard mode='passthrough' type='spicevmc'>${inner}</smartcard>`
  it('its ACPI index is refused for its CCID address before its character device', () => {
    expect(refusal(dom(card("<acpi index='1'/>")), v9)).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
    // (the near miss: without one, its character device's refusal)
    expect(refusal(dom(card('')), v9)).toMatchObject({ message: "chardev 'spicevmc' not supported without spice graphics" })
  })
})

describe("s390's vfio-ap mediated device taken off any bus (qemuDomainPrimeVfioDeviceAddresses)", () => {
  const s390 = { ...v9, caps: capsXml({ arch: 's390x', flags: ['virtio-ccw', 'vfio-ccw', 'vfio-ap', 'acpi-index'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" }) }
  const ap = (inner: string): string => `<hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='90c6c135-ad44-41d0-b1b7-bae47de48628'/></source>${inner}</hostdev>`
  it('its written address is none at validation: an ACPI index beside an sPAPR VIO one, or a register past 32 bits, taken', () => {
    for (const inner of ["<acpi index='1'/><address type='spapr-vio'/>", "<address type='spapr-vio' reg='0x100000000'/>"]) {
      const out = predicts(dom(ap(inner), 's390-ccw-virtio', 's390x'), s390)
      expect(out).toContain("<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-ap'>")
      expect(out).not.toContain('spapr-vio')
    }
    // (the near miss: a vfio-ccw device keeps its CCW address — its ACPI index refused)
    const ccw = "<hostdev mode='subsystem' type='mdev' model='vfio-ccw'><source><address uuid='90c6c135-ad44-41d0-b1b7-bae47de48627'/></source><acpi index='1'/><address type='ccw'/></hostdev>"
    expect(refusal(dom(ccw, 's390-ccw-virtio', 's390x'), s390)).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
  })
})

describe("libvirt 9.0's armv6l virt: no PCIe root, its virtio devices on virtio-mmio (qemuDomainDefAddDefaultDevices, qemuDomainAssignVirtioMMIOAddresses)", () => {
  const machines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
  const flags = ['gpex-pcihost', 'virtio-mmio', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-pci-non-transitional', 'virtio-scsi-pci', 'virtio-scsi-device', 'iothread.thread-pool-max']
  const arm = (arch: string) => ({ caps: capsXml({ arch, flags, machines }), v9: true })
  const on = (arch: string, devices: string): string =>
    `<domain type='qemu'><name>h54</name><memory>1048576</memory><vcpu>1</vcpu><os><type arch='${arch}' machine='virt'>hvm</type></os><iothreads>1</iothreads><devices>${devices}</devices></domain>`
  const ctl = "<controller type='scsi' model='virtio-scsi'><driver iothread='1'/></controller>"
  const vhost = "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0'/></hostdev>"
  it("a virtio-scsi controller's I/O thread and a vhost SCSI host device are refused on the virtio-mmio address it gets", () => {
    expect(refusal(on('armv6l', ctl), arm('armv6l'))).toMatchObject({ message: 'virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers' })
    expect(refusal(on('armv6l', vhost), arm('armv6l'))).toMatchObject({ message: "SCSI_host host device must use 'pci' or 'ccw' address type" })
    // (the near miss: armv7l's virt gets the PCIe root, the controller a PCI address)
    expect(predicts(on('armv7l', ctl), arm('armv7l'))).toMatch(/<driver iothread='1'\/>\n +<address type='pci'/)
    expect(predicts(on('armv6l', "<interface type='user'><model type='virtio'/></interface>"), arm('armv6l'))).toContain("<address type='virtio-mmio'/>")
  })
})

describe("a virtio channel written on virtio-mmio is no virtio-mmio device (qemuDomainAssignVirtioSerialAddresses before qemuDomainHasVirtioMMIODevices)", () => {
  const machines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
  const flags = ['cpu-max', 'gpex-pcihost', 'virtio-mmio', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-pci-non-transitional', 'virtio-scsi-pci', 'virtio-scsi-device', 'iothread.thread-pool-max']
  const arm = { caps: capsXml({ arch: 'aarch64', flags, machines, extra: "<gic version='2' kernel='no' emulated='yes'/>" }), v9: true }
  const on = (devices: string): string =>
    `<domain type='qemu'><name>h54</name><memory>1048576</memory><vcpu>1</vcpu><os><type arch='aarch64' machine='virt'>hvm</type></os><iothreads>1</iothreads><devices>${devices}</devices></domain>`
  const ctl = "<controller type='scsi' model='virtio-scsi'><driver iothread='1'/></controller>"
  it("the domain's virtio devices stay on PCI: a virtio-scsi controller's I/O thread taken", () => {
    const out = predicts(on("<channel type='pty'><target type='virtio' name='org.x.0'/><address type='virtio-mmio'/></channel>" + ctl), arm)
    expect(out).toMatch(/<driver iothread='1'\/>\n +<address type='pci'/)
    expect(out).toMatch(/<target type='virtio' name='org.x.0'\/>\n +<address type='virtio-serial' controller='0' bus='0' port='1'\/>/)
    // (the near miss: a virtio console's is one — the controller on virtio-mmio, refused)
    expect(refusal(on("<console type='pty'><target type='virtio'/><address type='virtio-mmio'/></console>" + ctl), arm)).toMatchObject({ message: 'virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers' })
  })
})
