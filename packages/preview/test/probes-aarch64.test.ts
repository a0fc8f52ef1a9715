// aarch64 guests end to end (machine virt and its versioned names, the other ARM boards, armv7l on qemu-system-aarch64;
// domain type qemu under TCG) as libvirtd 9.0 stored or refused them at define: own probes h31-*, each defined on the
// sandbox libvirtd beside preview; the expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const virtMachine = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><machine type='tcg' name='vexpress-a15' maxCpus='4' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
const gic = "<gic version='2' kernel='no' emulated='yes'/><gic version='3' kernel='no' emulated='yes'/>"
const armFlags = ['cpu-max', 'gpex-pcihost', 'virtio-mmio', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-pci-non-transitional', 'virtio-net', 'netdev.user', 'vhost-scsi', 'pc-dimm', 'virtio-mem-pci']
const arm = capsXml({ arch: 'aarch64', flags: armFlags, machines: virtMachine, extra: gic })
const dom = (devices: string, machine = 'virt', head = ''): string => `<domain type='qemu'><name>t</name><memory>1048576</memory>${head}<os><type arch='aarch64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const mmioDisk = "<disk type='file' device='disk'><source file='/tmp/s.img'/><target dev='vdz' bus='virtio'/><address type='virtio-mmio'/></disk>"

describe('a SCSI host device without an address where post-parse primes virtio-mmio (qemuDomainPrimeVirtioDeviceAddresses, then virDomainHostdevDefValidate)', () => {
  const scsiHost = "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5001405df3e54061'/></hostdev>"
  it('is refused on virt beside a device written on virtio-mmio, in either order', () => {
    const words = "SCSI_host host device must use 'pci' or 'ccw' address type"
    expect(refusal(dom(mmioDisk + scsiHost), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: words })
    expect(refusal(dom(scsiHost + "<interface type='user'><model type='virtio'/><address type='virtio-mmio'/></interface>"), { caps: arm, v9: true })).toMatchObject({ message: words })
  })
  it('and on a vexpress board, whose virtio devices are all primed virtio-mmio', () => {
    expect(refusal(dom(scsiHost, 'vexpress-a15'), { caps: arm, v9: true })).toMatchObject({ message: "SCSI_host host device must use 'pci' or 'ccw' address type" })
  })
  it('near miss: alone on virt it is put on a root port', () => {
    const xml = predicts(dom(scsiHost), { caps: arm, v9: true })
    expect(xml).toContain("<source protocol='vhost' wwpn='naa.5001405df3e54061'/>\n      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>")
  })
})

describe('a virtio-mem device without an address where post-parse primes virtio-mmio (qemuDomainDefValidateMemoryHotplugDevice)', () => {
  const numa = "<maxMemory slots='4'>4194304</maxMemory><vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa></cpu>"
  const vmem = "<memory model='virtio-mem'><target><size unit='KiB'>524288</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target></memory>"
  const memDom = (devices: string): string => `<domain type='qemu'><name>t</name><memory>1048576</memory>${numa}<os><type arch='aarch64' machine='virt'>hvm</type></os><devices>${devices}</devices></domain>`
  it('is refused beside a device written on virtio-mmio', () => {
    expect(refusal(memDom(mmioDisk + vmem), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: "only 'pci' addresses are supported for the virtio-mem device" })
  })
  it('near miss: alone it goes on PCI', () => {
    expect(predicts(memDom(vmem), { caps: arm, v9: true })).toMatch(/<memory model='virtio-mem'>[\s\S]*<address type='pci' domain='0x0000' bus='0x01'/)
  })
})

describe('an ACPI index or ROM tuning on a device post-parse primes virtio-mmio (qemuValidateDomainDeviceInfo, at that device in the walk)', () => {
  const scsiHost = "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5001405df3e54062'/></hostdev>"
  const mmioNic = "<interface type='user'><model type='virtio'/><address type='virtio-mmio'/></interface>"
  const armAcpi = capsXml({ arch: 'aarch64', flags: [...armFlags, 'acpi-index', 'e1000', 'arm-smmuv3'], machines: virtMachine, extra: gic })
  it('a NIC (walked before the host devices) is refused for it before a SCSI host device primed virtio-mmio too', () => {
    expect(refusal(dom(scsiHost + mmioNic + "<interface type='user'><model type='virtio'/><acpi index='3'/></interface>"), { caps: armAcpi, v9: true })).toMatchObject({ code: 'preview-refused', message: 'ACPI index is only supported for PCI devices' })
  })
  it('on a vexpress board, before an IOMMU the board cannot have', () => {
    expect(refusal(dom("<iommu model='smmuv3'/><interface type='user'><model type='virtio'/><rom bar='off'/></interface>", 'vexpress-a15'), { caps: armAcpi, v9: true })).toMatchObject({ message: 'ROM tuning is only supported for PCI devices' })
  })
  it('near misses: an e1000 is not primed (the IOMMU refused, or the index kept on PCI)', () => {
    expect(refusal(dom("<iommu model='smmuv3'/><interface type='user'><model type='e1000'/><rom bar='off'/></interface>", 'vexpress-a15'), { caps: armAcpi, v9: true })).toMatchObject({ message: "IOMMU device: 'smmuv3' is only supported with ARM Virt machines" })
    expect(predicts(dom(mmioNic + "<interface type='user'><model type='e1000'/><acpi index='3'/></interface>"), { caps: armAcpi, v9: true })).toContain("<acpi index='3'/>")
    expect(predicts(dom(scsiHost + "<interface type='user'><model type='virtio'/><acpi index='3'/></interface>"), { caps: armAcpi, v9: true })).toContain("<acpi index='3'/>")
  })
})

describe('an ACPI index on a device post-parse gives a USB port or a virtio-serial port, before a later device refused (qemuValidateDomainDeviceInfo in the walk)', () => {
  const armUsb = capsXml({ arch: 'aarch64', flags: [...armFlags, 'acpi-index', 'qemu-xhci', 'usb-tablet', 'vhost-vsock', 'virtio-serial'], machines: virtMachine, extra: gic })
  const xhci = "<controller type='usb' model='qemu-xhci'/>"
  const vsock = "<vsock model='virtio'><cid auto='no' address='2'/></vsock>"
  it('a USB tablet is refused for it before the vsock (generic check, later in the walk)', () => {
    expect(refusal(dom(xhci + "<input type='tablet' bus='usb'><acpi index='2'/></input>" + vsock), { caps: armUsb, v9: true })).toMatchObject({ code: 'preview-refused', message: 'ACPI index is only supported for PCI devices' })
  })
  it('a virtio channel too', () => {
    expect(refusal(dom("<channel type='pty'><target type='virtio' name='c1'/><acpi index='2'/></channel>" + vsock), { caps: armUsb, v9: true })).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
  })
  it('near miss: without the index the vsock is refused', () => {
    expect(refusal(dom(xhci + "<input type='tablet' bus='usb'/>" + vsock), { caps: armUsb, v9: true })).toMatchObject({ message: 'guest CIDs must be >= 3' })
  })
})

describe('more vCPUs than the machine takes is refused at its step of the QEMU driver\'s domain checks (qemuValidateDomainVCpuTopology)', () => {
  const many = (body: string, os = ''): string => `<domain type='qemu'><name>t</name><memory>1048576</memory><vcpu>513</vcpu><os><type arch='aarch64' machine='virt'>hvm</type>${os}</os>${body}<devices/></domain>`
  it('after a timer, PM and the BIOS serial console refused on ARM', () => {
    expect(refusal(many("<clock offset='utc'><timer name='armvtimer' tickpolicy='discard'/></clock>"), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: "Configuring the 'armvtimer' timer is not supported for virtType=qemu arch=aarch64 machine=virt-9.9 guests" })
    expect(refusal(many("<pm><suspend-to-mem enabled='no'/></pm>"), { caps: arm, v9: true })).toMatchObject({ message: 'setting ACPI S3 not supported' })
    expect(refusal(many('', "<bios useserial='yes'/>"), { caps: arm, v9: true })).toMatchObject({ message: 'BIOS serial console only supported on x86 architectures' })
  })
  it('near misses: before the features, and 512 taken', () => {
    expect(refusal(many("<features><hpt resizing='enabled'/></features>"), { caps: arm, v9: true })).toMatchObject({ message: 'Maximum CPUs greater than specified machine type limit 512' })
    expect(predicts(many('').replace('<vcpu>513</vcpu>', '<vcpu>512</vcpu>'), { caps: arm, v9: true })).toContain("<vcpu placement='static'>512</vcpu>")
  })
})

describe('a floppy without an address is given controller index / 2, unit index % 2 (virDomainDiskDefAssignAddress), one floppy controller taken', () => {
  const floppy = (dev: string): string => `<disk type='file' device='floppy'><source file='/tmp/a.img'/><target dev='${dev}' bus='fdc'/></disk>`
  const armVsock = capsXml({ arch: 'aarch64', flags: [...armFlags, 'vhost-vsock'], machines: virtMachine, extra: gic })
  it('fdc names controller 1: refused at the disk, before a later device', () => {
    expect(refusal(dom(floppy('fdc')), { caps: armVsock, v9: true })).toMatchObject({ code: 'preview-refused', message: 'Only 1 fdc controller is supported' })
    expect(refusal(dom(floppy('fdc') + "<vsock model='virtio'><cid auto='no' address='2'/></vsock>"), { caps: armVsock, v9: true })).toMatchObject({ message: 'Only 1 fdc controller is supported' })
  })
  it('a name that does not fit the device is refused by the generic disk check first (virDomainDiskDefValidate)', () => {
    // (a hard disk named fdz sits on IDE — index 25, IDE controller 6 — and a disk or CD-ROM on the floppy bus is refused
    // by the QEMU driver's bus check, not the floppy controller's)
    expect(refusal(dom("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='fdz'/></disk>"), { caps: armVsock, v9: true })).toMatchObject({ message: 'Invalid harddisk device name: fdz' })
    expect(refusal(dom("<disk type='file' device='cdrom'><source file='/tmp/a.img'/><target dev='fdc' bus='fdc'/></disk>"), { caps: armVsock, v9: true })).toMatchObject({ message: "Invalid bus type 'fdc' for disk" })
  })
  it('near miss: fdb is unit 1 of controller 0', () => {
    const xml = predicts(dom(floppy('fdb')), { caps: armVsock, v9: true })
    expect(xml).toContain("<target dev='fdb' bus='fdc'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='1'/>")
    expect(xml).toContain("<controller type='fdc' index='0'/>")
  })
})

describe('an empty <os firmware> is none (virDomainDefParseBootFirmwareOptions reads it with virXPathString)', () => {
  const fw = (value: string, inner = '', features = ''): string => `<domain type='qemu'><name>t</name><memory>1048576</memory><os firmware='${value}'><type arch='aarch64' machine='virt'>hvm</type>${inner}</os>${features}<devices/></domain>`
  it('is not written', () => {
    expect(predicts(fw(''), { caps: arm, v9: true })).toContain('<os>\n')
  })
  it('asks for no autoselection: firmware features refused, a loader\'s settings and a loader without a path judged without it', () => {
    expect(refusal(fw('', "<firmware><feature enabled='yes' name='secure-boot'/></firmware>"), { caps: arm, v9: true })).toMatchObject({ message: 'cannot use feature-based firmware autoselection when firmware autoselection is disabled' })
    expect(predicts(fw('', "<loader readonly='yes' type='pflash'>/usr/share/AAVMF/AAVMF_CODE.fd</loader>"), { caps: arm, v9: true })).toContain("<loader readonly='yes' type='pflash'>/usr/share/AAVMF/AAVMF_CODE.fd</loader>")
    expect(refusal(fw('', "<loader type='rom'/>"), { caps: arm, v9: true })).toMatchObject({ message: 'no loader path specified and firmware auto selection disabled' })
  })
  it('near misses: efi autoselects (a loader setting refused), none is no value of the enumeration', () => {
    expect(refusal(fw('efi', "<loader readonly='yes' type='pflash'>/usr/share/AAVMF/AAVMF_CODE.fd</loader>"), { caps: arm, v9: true })).toMatchObject({ message: "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled" })
    expect(refusal(fw('none'), { caps: arm, v9: true })).toMatchObject({ message: 'unknown firmware value none' })
  })
})

describe('two disks at one drive address, written or assigned, are refused at the generic step of that check (virDomainDefDuplicateDriveAddressesValidate)', () => {
  const armScsi = capsXml({ arch: 'aarch64', flags: [...armFlags, 'virtio-scsi-pci', 'scsi-disk.channel', 'virtio-gpu'], machines: virtMachine, extra: gic })
  const disk = (dev: string, unit?: number): string => `<disk type='file' device='disk'><source file='/tmp/${dev}.img'/><target dev='${dev}' bus='scsi'/>${unit === undefined ? '' : `<address type='drive' controller='0' bus='0' target='0' unit='${unit}'/>`}</disk>`
  const twoPrimaries = "<video><model type='virtio' primary='yes'/></video><video><model type='virtio' primary='yes'/></video>"
  it('before a later generic step (a second primary video)', () => {
    expect(refusal(dom(disk('sda', 1) + disk('sdb') + twoPrimaries), { caps: armScsi, v9: true })).toMatchObject({ code: 'preview-refused', message: "Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' target='0' unit='1'" })
  })
  it('the first disk that has a twin is named', () => {
    expect(refusal(dom(disk('sda', 5) + disk('sdb', 6) + disk('sdc', 6) + disk('sdd', 5)), { caps: armScsi, v9: true })).toMatchObject({ message: "Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' target='0' unit='5'" })
  })
  it('near miss: apart, the videos are refused', () => {
    expect(refusal(dom(disk('sda', 2) + disk('sdb') + twoPrimaries), { caps: armScsi, v9: true })).toMatchObject({ message: 'Only one primary video device is supported' })
  })
})

describe('(found beside the ARM probes) a pSeries PHB given target index 31 is refused at that controller in validation\'s walk (virDomainControllerDefValidate)', () => {
  const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'virtio-net', 'vhost-vsock'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
  const ppc = (devices: string): string => `<domain type='qemu'><name>t</name><memory>1048576</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  const phbs = (n: number): string => Array.from({ length: n }, (_, i) => `<controller type='pci' index='${i + 1}' model='pci-root'/>`).join('')
  const vsock = "<vsock model='virtio'><cid auto='no' address='2'/></vsock>"
  it('before a later device refused (the controllers are walked before the vsock)', () => {
    expect(refusal(ppc(phbs(31) + vsock), { caps: ppcCaps, v9: true })).toMatchObject({ code: 'preview-refused', message: "PCI controller target index '31' out of range - must be 0-30" })
  })
  it('near miss: 30 PHBs take 1-30, and the vsock is refused', () => {
    expect(refusal(ppc(phbs(30) + vsock), { caps: ppcCaps, v9: true })).toMatchObject({ message: 'guest CIDs must be >= 3' })
  })
})
