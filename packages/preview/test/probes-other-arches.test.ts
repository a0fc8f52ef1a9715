// The architectures beyond x86_64, s390x, aarch64 and pSeries end to end (riscv64/riscv32 virt, i686, armv7l virt and
// boards, 32-bit PPC, Alpha, m68k, SH-4, Xtensa, MicroBlaze, CRIS; domain type qemu) as libvirtd 9.0 stored or refused
// them at define: own probes h33-*, each defined on the sandbox libvirtd beside preview; the expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (arch: string, machine: string, devices: string): string =>
  `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const noUsb = "<controller type='usb' model='none'/>"
const noBalloon = "<memballoon model='none'/>"
const disk = (dev: string, bus: string, address = ''): string => `<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='${dev}' bus='${bus}'/>${address}</disk>`
const mmio = "<address type='virtio-mmio'/>"

// (the flags these QEMUs have that matter here: m68k has virtio-mmio and virtio-scsi but no USB controller; MicroBlaze
// and CRIS have neither; Xtensa has USB but no virtio-mmio; SH-4 has PCI USB)
const m68k = capsXml({ arch: 'm68k', flags: ['virtio-mmio', 'virtio-scsi-pci', 'scsi-block'], machines: "<machine type='tcg' name='virt-7.2' alias='virt' maxCpus='1' defaultCPU='m68040-m68k-cpu'/><machine type='tcg' name='q800' maxCpus='1' defaultCPU='m68040-m68k-cpu'/>" })
const microblaze = capsXml({ arch: 'microblaze', flags: [], machines: "<machine type='tcg' name='petalogix-s3adsp1800' default='yes' maxCpus='1'/>" })
const xtensa = capsXml({ arch: 'xtensa', flags: ['piix3-usb-uhci', 'pci-ohci', 'qemu-xhci', 'lsi', 'virtio-scsi-pci'], machines: "<machine type='tcg' name='sim' default='yes' maxCpus='4' defaultCPU='dc232b-xtensa-cpu'/>" })
const sh4eb = capsXml({ arch: 'sh4eb', flags: ['piix3-usb-uhci', 'pci-ohci', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='r2d' maxCpus='1' defaultCPU='sh7751r-superh-cpu'/><machine type='tcg' name='shix' default='yes' maxCpus='1' defaultCPU='sh7750r-superh-cpu'/>" })

describe('big-endian SH-4 (qemuDomainDefAddDefaultDevices: sh4eb beside sh4, alpha and ppc)', () => {
  it('gets a PCI root, a PIIX3 USB controller and a balloon on PCI', () => {
    const xml = predicts(dom('sh4eb', 'r2d', ''), { caps: sh4eb, v9: true })
    expect(xml).toContain(`<controller type='usb' index='0' model='piix3-uhci'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </controller>
    <controller type='pci' index='0' model='pci-root'/>`)
    expect(xml).toContain(`<memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </memballoon>`)
  })
  it("so a PCIe root is refused in the PCI root's words", () => {
    expect(refusal(dom('sh4eb', 'r2d', "<controller type='pci' index='0' model='pcie-root'/>"), { caps: sh4eb, v9: true })).toMatchObject({
      message: "The PCI controller with index='0' must be model='pci-root' for this machine type, but model='pcie-root' was found instead",
    })
  })
})

describe('libvirt 9.0 adds a USB controller and a balloon to m68k, MicroBlaze and CRIS machines, which have no PCI bus', () => {
  it('the USB controller, of no model QEMU offers, still wants a PCI slot: refused with the balloon none', () => {
    expect(refusal(dom('m68k', 'virt', noBalloon), { caps: m68k, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    expect(refusal(dom('microblaze', 'petalogix-s3adsp1800', noBalloon), { caps: microblaze, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    // (a written one of index 1 leaves index 0 to post-parse)
    expect(refusal(dom('m68k', 'virt', noBalloon + "<controller type='usb' index='1' model='none'/>"), { caps: m68k, v9: true })).toMatchObject({ message: 'No PCI buses available' })
  })
  it('and the balloon with the USB controller none', () => {
    expect(refusal(dom('m68k', 'virt', noUsb), { caps: m68k, v9: true })).toMatchObject({ message: 'No PCI buses available' })
  })
  it('near miss: both none, the domain is kept with them', () => {
    const xml = predicts(dom('m68k', 'virt', noUsb + noBalloon), { caps: m68k, v9: true })
    expect(xml).toContain("<type arch='m68k' machine='virt-7.2'>hvm</type>")
    expect(xml).toContain(`<controller type='usb' index='0' model='none'/>
    <audio id='1' type='none'/>
    <memballoon model='none'/>`)
  })
})

describe("a SCSI controller where QEMU has no model for it (qemuDomainGetSCSIControllerModel: no LSI, no virtio-scsi, no built-in ESP)", () => {
  const mb = (devices: string): string => dom('microblaze', 'petalogix-s3adsp1800', noUsb + noBalloon + devices)
  it('is refused when written without a model, or auto, with its index', () => {
    expect(refusal(mb("<controller type='scsi'/>"), { caps: microblaze, v9: true })).toMatchObject({ code: 'preview-refused', message: 'Unable to determine model for SCSI controller idx=0' })
    expect(refusal(mb("<controller type='scsi' index='2'/>"), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=2' })
    expect(refusal(mb("<controller type='scsi' index='1' model='auto'/>"), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=1' })
  })
  it('and when a SCSI disk makes post-parse add it — the first index missing, before any address is assigned', () => {
    expect(refusal(mb(disk('sda', 'scsi')), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=0' })
    const onController1 = disk('sda', 'scsi', "<address type='drive' controller='1' bus='0' target='0' unit='0'/>")
    expect(refusal(mb(onController1), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=0' })
    expect(refusal(mb("<controller type='scsi' index='0' model='lsilogic'/>" + onController1), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=1' })
    expect(refusal(mb(disk('vda', 'virtio', mmio) + disk('sda', 'scsi')), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=0' })
  })
  it("before the generic post-parse's last step, a custom CPU's check without a model", () => {
    const cpuCheck = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='microblaze' machine='petalogix-s3adsp1800'>hvm</type></os><cpu check='full'/><devices>${noUsb + noBalloon + devices}</devices></domain>`
    expect(refusal(cpuCheck(disk('sda', 'scsi')), { caps: microblaze, v9: true })).toMatchObject({ message: 'Unable to determine model for SCSI controller idx=0' })
    expect(refusal(cpuCheck(''), { caps: microblaze, v9: true })).toMatchObject({ message: 'check attribute specified for CPU with no model' })
    expect(refusal(cpuCheck("<controller type='scsi' index='0' model='lsilogic'/>" + disk('sda', 'scsi')), { caps: microblaze, v9: true })).toMatchObject({ message: 'check attribute specified for CPU with no model' })
  })
  it('near misses: a model written is taken (then wants PCI); m68k picks virtio-scsi, and q800 keeps its ESP', () => {
    expect(refusal(mb("<controller type='scsi' model='lsilogic'/>"), { caps: microblaze, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    expect(refusal(dom('m68k', 'q800', noUsb + noBalloon + "<controller type='scsi'/>"), { caps: m68k, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    const xml = predicts(dom('m68k', 'q800', noUsb + noBalloon + "<controller type='scsi' model='ncr53c90'/>" + disk('sda', 'scsi')), { caps: m68k, v9: true })
    expect(xml).toContain("<address type='drive' controller='0' bus='0' target='0' unit='0'/>")
    expect(xml).toContain("<controller type='scsi' index='0' model='ncr53c90'/>")
  })
})

describe('a virtio disk on a virtio-mmio address where the machine has no PCI bus (qemuDomainAssignDevicePCISlots still walks the devices)', () => {
  const xt = (devices: string): string => dom('xtensa', 'sim', devices)
  it("is refused where QEMU has no virtio-mmio (Xtensa), in the walk's order", () => {
    expect(refusal(xt(noUsb + noBalloon + disk('vda', 'virtio', mmio)), { caps: xtensa, v9: true })).toMatchObject({ code: 'preview-refused', message: "virtio disk cannot have an address of type 'virtio-mmio'" })
    // (the USB controller, then a NIC, come before the disks; the disks in their targets' order)
    expect(refusal(xt(noBalloon + disk('vda', 'virtio', mmio)), { caps: xtensa, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    expect(refusal(xt(noUsb + noBalloon + disk('vda', 'virtio', mmio) + "<interface type='user'><model type='virtio'/></interface>"), { caps: xtensa, v9: true })).toMatchObject({ message: 'No PCI buses available' })
    expect(refusal(xt(noUsb + noBalloon + disk('vdb', 'virtio', mmio) + disk('vda', 'virtio')), { caps: xtensa, v9: true })).toMatchObject({ message: 'No PCI buses available' })
  })
  it('and another address type in its own words', () => {
    expect(refusal(xt(noUsb + noBalloon + disk('vda', 'virtio', "<address type='drive' controller='0' bus='0' target='0' unit='0'/>")), { caps: xtensa, v9: true })).toMatchObject({ message: "virtio disk cannot have an address of type 'drive'" })
  })
  it('near miss: m68k has virtio-mmio, and keeps the disks there', () => {
    const xml = predicts(dom('m68k', 'virt', noUsb + noBalloon + disk('vdb', 'virtio', mmio) + disk('vda', 'virtio', mmio)), { caps: m68k, v9: true })
    expect(xml).toContain(`<target dev='vda' bus='virtio'/>
      <address type='virtio-mmio'/>`)
    expect(xml).toContain(`<target dev='vdb' bus='virtio'/>
      <address type='virtio-mmio'/>`)
  })
})

describe('a virtio memory device on a machine that puts virtio devices on virtio-mmio (qemuDomainDefValidateMemoryHotplugDevice after the address assignment)', () => {
  const arm = capsXml({ arch: 'armv7l', flags: ['virtio-mmio', 'gpex-pcihost', 'pcie-root-port', 'virtio-mem-pci'], machines: "<machine type='tcg' name='virt-7.2' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><machine type='tcg' name='vexpress-a9' maxCpus='4' defaultCPU='cortex-a9-arm-cpu'/>" })
  const riscv = capsXml({ arch: 'riscv64', flags: ['virtio-mmio', 'gpex-pcihost', 'pcie-root-port'], machines: "<machine type='tcg' name='virt' maxCpus='512' defaultCPU='rv64-riscv-cpu'/>" })
  const hotplug = (arch: string, machine: string, devices: string): string =>
    `<domain type='qemu'><name>t</name><maxMemory slots='2'>2097152</maxMemory><memory>524288</memory><os><type arch='${arch}' machine='${machine}'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='524288'/></numa></cpu><devices>${devices}</devices></domain>`
  const pmem = (address = ''): string => `<memory model='virtio-pmem' access='shared'><source><path>/tmp/pm</path></source><target><size unit='MiB'>128</size></target>${address}</memory>`
  const vmem = "<memory model='virtio-mem'><target><size unit='MiB'>128</size><node>0</node><block unit='MiB'>2</block><requested unit='MiB'>0</requested></target></memory>"
  it('is refused on a vexpress board, whose virtio devices all go there, before QEMU is asked for the device', () => {
    expect(refusal(hotplug('armv7l', 'vexpress-a9', pmem()), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: "only 'pci' addresses are supported for the virtio-pmem device" })
    expect(refusal(hotplug('armv7l', 'vexpress-a9', vmem), { caps: arm, v9: true })).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
  })
  it('and on ARM and RISC-V virt once a device was written on virtio-mmio', () => {
    expect(refusal(hotplug('armv7l', 'virt', disk('vda', 'virtio', mmio) + vmem), { caps: arm, v9: true })).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
    expect(refusal(hotplug('riscv64', 'virt', disk('vda', 'virtio', mmio) + pmem()), { caps: riscv, v9: true })).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-pmem device" })
  })
  it('near misses: on virt alone it goes on PCI — QEMU lacking the device is the refusal, or the device is kept', () => {
    expect(refusal(hotplug('riscv64', 'virt', pmem()), { caps: riscv, v9: true })).toMatchObject({ message: "virtio-pmem isn't supported by this QEMU binary" })
    expect(refusal(hotplug('riscv64', 'virt', pmem("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>")), { caps: riscv, v9: true })).toMatchObject({ message: "virtio-pmem isn't supported by this QEMU binary" })
    expect(predicts(hotplug('armv7l', 'virt', vmem), { caps: arm, v9: true })).toContain("<memory model='virtio-mem'>")
  })
})

describe("more vCPUs than the machine type takes (qemuValidateDomainVCpuTopology, after qemuValidateDomainDef's earlier checks)", () => {
  const alpha = capsXml({ arch: 'alpha', flags: ['piix3-usb-uhci', 'pci-ohci'], machines: "<machine type='tcg' name='clipper' default='yes' maxCpus='4' defaultCPU='ev67-alpha-cpu'/>" })
  const ppc = capsXml({ arch: 'ppc', flags: ['piix3-usb-uhci', 'pci-ohci'], machines: "<machine type='tcg' name='mac99' maxCpus='1' defaultCPU='7400_v2.9-powerpc-cpu'/>" })
  const vcpus = (arch: string, machine: string, n: number, os = '', rest = ''): string =>
    `<domain type='qemu'><name>t</name><memory>524288</memory><vcpu>${n}</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type>${os}</os>${rest}<devices/></domain>`
  it('is refused after the BIOS serial console, the lifecycle actions and the CPU mode QEMU lacks', () => {
    expect(refusal(vcpus('ppc', 'mac99', 2, "<bios useserial='yes'/>"), { caps: ppc, v9: true })).toMatchObject({ message: 'BIOS serial console only supported on x86 architectures' })
    expect(refusal(vcpus('alpha', 'clipper', 5, '', "<cpu mode='maximum'/>"), { caps: alpha, v9: true })).toMatchObject({ message: 'maximum CPU is not supported by QEMU binary' })
    expect(refusal(vcpus('alpha', 'clipper', 5, '', '<on_poweroff>preserve</on_poweroff>'), { caps: alpha, v9: true })).toMatchObject({ message: "qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'" })
  })
  it('and before the features, the topology and the devices', () => {
    expect(refusal(vcpus('alpha', 'clipper', 5, '', "<features><gic version='2'/></features>"), { caps: alpha, v9: true })).toMatchObject({ message: 'Maximum CPUs greater than specified machine type limit 4' })
    expect(refusal(vcpus('alpha', 'clipper', 5, '', "<cpu><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>"), { caps: alpha, v9: true })).toMatchObject({ message: 'Maximum CPUs greater than specified machine type limit 4' })
    expect(refusal(vcpus('ppc', 'mac99', 2), { caps: ppc, v9: true })).toMatchObject({ code: 'preview-refused', message: 'Maximum CPUs greater than specified machine type limit 1', path: 'domain/vcpu' })
  })
  it('near miss: at the limit, the next check speaks', () => {
    expect(refusal(vcpus('alpha', 'clipper', 4, '', "<features><gic version='2'/></features>"), { caps: alpha, v9: true })).toMatchObject({ message: "The 'gic' feature is not supported for architecture 'alpha' or machine type 'clipper'" })
    expect(predicts(vcpus('alpha', 'clipper', 4), { caps: alpha, v9: true })).toContain("<vcpu placement='static'>4</vcpu>")
  })
})

describe("a switch's upstream port on an ARM board without PCI (the dry run of qemuDomainAssignPCIAddresses still gives what it adds a slot)", () => {
  const arm = capsXml({ arch: 'armv7l', flags: ['pcie-root-port', 'x3130-upstream', 'xio3130-downstream', 'pcie-pci-bridge'], machines: "<machine type='tcg' name='vexpress-a15' maxCpus='4' defaultCPU='cortex-a15-arm-cpu'/>" })
  const board = (devices: string, n = 1): string => `<domain type='qemu'><name>t</name><memory>524288</memory><vcpu>${n}</vcpu><os><type arch='armv7l' machine='vexpress-a15'>hvm</type></os><devices>${devices}</devices></domain>`
  const noRootPort = "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added"
  it('gets a root port, which has no pcie-root to plug into: refused in post-parse, before the vCPU count', () => {
    expect(refusal(board("<controller type='pci' model='pcie-switch-upstream-port'/>"), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: noRootPort })
    expect(refusal(board("<controller type='pci' model='pcie-switch-upstream-port'/>", 5), { caps: arm, v9: true })).toMatchObject({ message: noRootPort })
    expect(refusal(board("<controller type='pci' index='0' model='pci-root'/><controller type='pci' index='1' model='pcie-switch-upstream-port'/>"), { caps: arm, v9: true })).toMatchObject({ message: noRootPort })
  })
  it('near misses: with a pcie-root the added root port plugs in — then validation finds it without a model name', () => {
    expect(refusal(board("<controller type='pci' index='0' model='pcie-root'/><controller type='pci' model='pcie-switch-upstream-port'/>"), { caps: arm, v9: true })).toMatchObject({
      message: "Required option 'modelName' is not set for PCI controller with index '1', model 'pcie-switch-upstream-port' and modelName 'none'",
    })
    // (a conventional PCI device's root port and PCIe-to-PCI bridge: the bridge already seated in the root port)
    expect(refusal(board("<controller type='pci' index='0' model='pcie-root'/><interface type='user'><model type='e1000'/></interface>"), { caps: arm, v9: true })).toMatchObject({
      message: "Required option 'modelName' is not set for PCI controller with index '1', model 'pcie-root-port' and modelName 'none'",
    })
  })
})

describe("a vhost-user disk or virtiofs without NUMA cells (libvirt 9.0's qemuValidateDomainDefVhostUserRequireSharedMemory: shared access on a machine with a default RAM ID)", () => {
  const flags = ['piix3-usb-uhci', 'pci-ohci', 'vhost-user-blk', 'vhost-user-fs', 'memory-backend-memfd', 'virtio-pci-non-transitional']
  const sh4 = capsXml({ arch: 'sh4', flags, machines: "<machine type='tcg' name='r2d' maxCpus='1' defaultCPU='sh7751r-superh-cpu'/>" })
  const riscv = capsXml({ arch: 'riscv64', flags: [...flags, 'gpex-pcihost', 'pcie-root-port'], machines: "<machine type='tcg' name='virt' maxCpus='512' defaultCPU='rv64-riscv-cpu' defaultRAMid='riscv_virt_board.ram'/>" })
  const vhostDisk = "<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost.sock'><reconnect enabled='yes' timeout='10'/></source><target dev='vda' bus='virtio'/></disk>"
  const virtiofs = "<filesystem type='mount'><driver type='virtiofs'/><source dir='/tmp'/><target dir='t'/></filesystem>"
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  const dom2 = (arch: string, machine: string, devices: string, rest: string): string =>
    `<domain type='qemu'><name>t</name><memory>524288</memory>${rest}<os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
  it("is refused on SH-4's r2d, which has none, shared access or not", () => {
    expect(refusal(dom2('sh4', 'r2d', vhostDisk, shared), { caps: sh4, v9: true })).toMatchObject({ code: 'preview-refused', message: "'vhostuser' requires shared memory" })
    expect(refusal(dom2('sh4', 'r2d', virtiofs, shared), { caps: sh4, v9: true })).toMatchObject({ message: "'virtiofs' requires shared memory" })
  })
  it('near misses: a shared NUMA cell there, or RISC-V virt with its default RAM ID, are kept', () => {
    expect(predicts(dom2('sh4', 'r2d', vhostDisk, "<cpu><numa><cell id='0' cpus='0' memory='524288' memAccess='shared'/></numa></cpu>"), { caps: sh4, v9: true })).toContain("<disk type='vhostuser' device='disk' snapshot='no'>")
    expect(predicts(dom2('riscv64', 'virt', virtiofs, shared), { caps: riscv, v9: true })).toContain("<driver type='virtiofs'/>")
    expect(refusal(dom2('riscv64', 'virt', virtiofs, "<memoryBacking><source type='memfd'/></memoryBacking>"), { caps: riscv, v9: true })).toMatchObject({ message: "'virtiofs' requires shared memory" })
  })
  it('libvirt 11.3 asks for the shared access alone', () => {
    expect(predicts(dom2('sh4', 'r2d', vhostDisk, shared), { caps: sh4 })).toContain("<disk type='vhostuser' device='disk' snapshot='no'>")
  })
})

describe('PCI addresses on machines without PCI, and buses the dry run grows for a written address (qemuDomainCollectPCIAddress → virDomainPCIAddressSetGrow)', () => {
  const arm = capsXml({ arch: 'armv7l', flags: ['pcie-root-port', 'pcie-pci-bridge', 'ivshmem-plain', 'pci-ohci', 'virtio-rng', 'rng-random', 'virtio-tablet', 'virtio-mouse', 'virtio-keyboard'], machines: "<machine type='tcg' name='vexpress-a9' maxCpus='4' defaultCPU='cortex-a9-arm-cpu'/><machine type='tcg' name='highbank' maxCpus='4'/>" })
  const board = (machine: string, devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='armv7l' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
  const tablet = (address: string): string => `<input type='tablet' bus='virtio'>${address}</input>`
  it('an empty PCI address no assignment fills is written without numbers, the function too — the multifunction switch kept', () => {
    expect(predicts(board('vexpress-a9', tablet("<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x3'/>")), { caps: arm, v9: true })).toContain(`<input type='tablet' bus='virtio'>
      <address type='pci'/>
    </input>`)
    expect(predicts(board('vexpress-a9', tablet("<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0' multifunction='on'/>")), { caps: arm, v9: true })).toContain("<address type='pci' multifunction='on'/>")
    // (a PCI root written runs the dry run; the real assignment is still skipped)
    expect(predicts(board('highbank', "<controller type='pci' index='0' model='pci-root'/><rng model='virtio'><backend model='random'>/dev/urandom</backend><address type='pci' domain='0' bus='0' slot='0' function='2'/></rng>"), { caps: arm, v9: true })).toContain(`</backend>
      <address type='pci'/>`)
  })
  it('near miss: an address written short stays short', () => {
    expect(predicts(board('vexpress-a9', tablet("<address type='pci'/>")), { caps: arm, v9: true })).toContain("<address type='pci'/>")
  })
  it('a conventional PCI device written on a bus past the last where no bus takes a pci-bridge gets a root port and a PCIe-to-PCI bridge first (bus 0 a root port too)', () => {
    const shmem = "<shmem name='s2'><model type='ivshmem-plain'/><size unit='M'>4</size><address type='pci' domain='0x0000' bus='0x01' slot='0x07' function='0x7'/></shmem>"
    const usb = "<controller type='usb' index='0' model='pci-ohci'><address type='pci' domain='0x0000' bus='0x02' slot='0x07' function='0x7' multifunction='on'/></controller>"
    expect(refusal(board('vexpress-a9', shmem + usb + "<controller type='pci' model='pcie-root-port'/>"), { caps: arm, v9: true })).toMatchObject({
      message: "The device at PCI address 0000:01:07.7 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a standard PCI device.",
    })
  })
  it("a switch's upstream port written on such a bus gets root ports, whose one slot is 0", () => {
    const pc = capsXml()
    const dom3 = `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><controller type='pci' index='1' model='pcie-switch-upstream-port'><address type='pci' domain='0x0000' bus='0x03' slot='0x07' function='0x7'/></controller></devices></domain>`
    expect(refusal(dom3, { caps: pc, v9: true })).toMatchObject({ message: 'Invalid PCI address 0000:03:07.7. slot must be <= 0' })
  })
})

describe('PCI controllers on a board without PCI: which one validation refuses first, and after what', () => {
  const arm = capsXml({ arch: 'armv7l', flags: ['pci-bridge', 'pcie-root-port', 'usb-ehci', 'piix3-usb-uhci', 'pci-ohci'], machines: "<machine type='tcg' name='vexpress-a15' maxCpus='4'/><machine type='tcg' name='highbank' maxCpus='4'/>" })
  const board = (machine: string, devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='armv7l' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
  const noName = (index: number): string => `Required option 'modelName' is not set for PCI controller with index '${index}', model 'pci-bridge' and modelName 'none'`
  it('one written without an index stays past the one before it, numbered 0 (virDomainControllerInsertPreAlloced, virDomainAssignControllerIndexes)', () => {
    expect(refusal(board('vexpress-a15', "<controller type='pci' index='4' model='pci-bridge'/><controller type='pci' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(4) })
    expect(refusal(board('vexpress-a15', "<controller type='pci' index='4' model='pci-bridge'/><sound model='ich6'/><controller type='pci' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(4) })
  })
  it('near misses: written first it is first; two with indexes go by index', () => {
    expect(refusal(board('vexpress-a15', "<controller type='pci' model='pci-bridge'/><controller type='pci' index='4' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(0) })
    expect(refusal(board('vexpress-a15', "<controller type='pci' index='4' model='pci-bridge'/><controller type='pci' index='2' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(2) })
  })
  it('the USB addresses are assigned (and refused) before validation finds a controller without a model name', () => {
    const ehci = "<controller type='usb' index='1' model='ehci'><address type='pci' domain='0x0000' bus='0x01' slot='0x07' function='0x0'/></controller>"
    expect(refusal(board('highbank', "<controller type='pci' model='pci-bridge'/>" + ehci + "<controller type='usb' index='1' model='piix3-uhci'/>"), { caps: arm, v9: true })).toMatchObject({ message: 'Duplicate USB controllers with index 1' })
    expect(refusal(board('highbank', "<controller type='pci' index='0' model='pci-root'/>" + ehci + "<controller type='usb' index='1' model='piix3-uhci'/>"), { caps: arm, v9: true })).toMatchObject({ message: 'Duplicate USB controllers with index 1' })
    expect(refusal(board('highbank', "<controller type='pci' model='pci-bridge'/>" + ehci), { caps: arm, v9: true })).toMatchObject({ message: noName(0) })
  })
})

describe('USB switched off and another USB controller (virDomainDefParseXML, as each controller is read)', () => {
  const pc = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${devices}</devices></domain>`
  const off = "<controller type='usb' model='none'/>"
  const ehci = "<controller type='usb' index='1' model='ich9-ehci1'/>"
  const megasas = "<controller type='scsi' index='0' model='megasas'/>"
  it('is met at that controller: one the parser refuses before it comes first', () => {
    expect(refusal(pc(off + megasas + ehci), { v9: true })).toMatchObject({ message: "Unknown model type 'megasas'" })
  })
  it('near miss: written before the refused one, it is the refusal, placed at the controller', () => {
    expect(refusal(pc(off + ehci + megasas), { v9: true })).toMatchObject({ message: "Can't add another USB controller: USB is disabled for this domain", path: 'domain/devices/controller[2]' })
  })
})
