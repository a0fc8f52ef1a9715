// PCI addresses and implicit controllers on PCI Express machines (x86_64 q35, aarch64 virt) as libvirtd 9.0 assigned
// them at define (qemu_domain_address.c qemuDomainAssignPCIAddresses, qemuDomainValidateDevicePCISlotsQ35; domain_addr.c):
// own probes h26-*, each defined on the sandbox libvirtd beside preview; the expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml, x86Flags } from './_caps.ts'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const root = "<controller type='pci' index='0' model='pcie-root'/>"
const noSlot = "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added"

describe('a PCI controller index above 255 (the dry run before virDomainControllerDefValidate)', () => {
  it('on q35 the gaps below it are pcie-root-ports that run out of slots on pcie-root first', () => {
    for (const index of [255, 256, 300, 1023]) {
      expect(refusal(x86Domain(`${root}<controller type='pci' index='${index}' model='pcie-root-port'/>`, 'q35'))).toMatchObject({ code: 'preview-refused', message: noSlot })
    }
    expect(refusal(x86Domain(`${root}<controller type='pci' index='256' model='pcie-to-pci-bridge'/>`, 'q35'))).toMatchObject({ message: noSlot })
  })
  it('near misses: 240 root ports fit; on pc the gaps are pci-bridges that fit, and validation names the index', () => {
    expect(predicts(x86Domain(`${root}<controller type='pci' index='240' model='pcie-root-port'/>`, 'q35'))).toContain("<controller type='pci' index='239' model='pcie-root-port'>")
    expect(refusal(x86Domain("<controller type='pci' index='600' model='pci-bridge'/>"), { v9: true })).toMatchObject({ message: 'PCI controller index 600 too high, maximum is 255' })
    // (11.3 names the first of the pci-bridges address assignment adds below it: seen on libvirtd 11.3)
    expect(refusal(x86Domain("<controller type='pci' index='600' model='pci-bridge'/>"))).toMatchObject({ message: 'PCI controller index 256 too high, maximum is 255' })
    expect(refusal(x86Domain("<controller type='pci' index='256' model='pci-bridge'/>"))).toMatchObject({ message: 'PCI controller index 256 too high, maximum is 255' })
  })
})

describe('q35 chipset places (qemuDomainValidateDevicePCISlotsQ35): only a controller written with no address at all', () => {
  const usb = (model: string, address = ''): string => `<controller type='usb' index='0' model='${model}'>${address}</controller>`
  it('an ICH9 UHCI1 with an empty <address type="pci"/> is not put at 00:1d: the set goes where conventional PCI devices go', () => {
    const xml = predicts(x86Domain(root + usb('ich9-ehci1') + usb('ich9-uhci1', "<address type='pci'/>"), 'q35'))
    expect(xml).toContain("<controller type='usb' index='0' model='ich9-ehci1'>\n      <address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x7'/>")
    expect(xml).toContain("<address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0' multifunction='on'/>")
    expect(xml).toContain("<controller type='pci' index='2' model='pcie-to-pci-bridge'>")
  })
  it('near miss: without the address element the set is at 00:1d', () => {
    const xml = predicts(x86Domain(root + usb('ich9-ehci1') + usb('ich9-uhci1'), 'q35'))
    expect(xml).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x1d' function='0x7'/>")
    expect(xml).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x1d' function='0x0' multifunction='on'/>")
  })
  it('a dmi-to-pci-bridge with an empty PCI address takes the first free slot, not 00:1e', () => {
    const bridges = (address: string): string => `${root}<controller type='pci' index='1' model='dmi-to-pci-bridge'>${address}</controller><controller type='pci' index='2' model='pci-bridge'/>`
    expect(predicts(x86Domain(bridges("<address type='pci'/>"), 'q35'))).toContain("<controller type='pci' index='1' model='dmi-to-pci-bridge'>\n      <model name='i82801b11-bridge'/>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>")
    expect(predicts(x86Domain(bridges(''), 'q35'))).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x1e' function='0x0'/>")
  })
})

describe('a controller written on a bus no controller provides (virDomainPCIAddressSetGrow in the dry run)', () => {
  const at = (model: string, bus: number, target = ''): string => `<controller type='pci' model='${model}'>${target}<address type='pci' domain='0x0000' bus='${bus}' slot='0x00' function='0x0'/></controller>`
  const slotWords = (model: string): string => `a PCI slot is needed to connect a PCI controller model='${model}', but none is available, and it cannot be automatically added`
  it('libvirt adds buses only for a PCI or PCIe device or an upstream port: any other controller is refused, named by its model', () => {
    for (const model of ['pcie-root-port', 'pcie-switch-downstream-port', 'dmi-to-pci-bridge', 'pci-bridge']) {
      expect(refusal(x86Domain(root + at(model, 5), 'q35'))).toMatchObject({ code: 'preview-refused', message: slotWords(model) })
    }
    expect(refusal(x86Domain(root + at('pcie-expander-bus', 2, "<target busNr='100'/>"), 'q35'))).toMatchObject({ message: slotWords('pcie-expander-bus') })
    expect(refusal(x86Domain(root + at('pcie-to-pci-bridge', 2), 'q35'))).toMatchObject({ message: 'Cannot automatically add a new PCI bus for a device with connect flags 2000' })
    expect(refusal(x86Domain("<controller type='pci' index='1' model='pci-expander-bus'><target busNr='100'/><address type='pci' bus='3' slot='1'/></controller>"))).toMatchObject({ message: slotWords('pci-expander-bus') })
  })
  it('near misses: an upstream port there takes new root ports; with the buses written, the bus named is checked instead', () => {
    const up = predicts(x86Domain(root + at('pcie-switch-upstream-port', 5), 'q35'))
    expect(up).toContain("<controller type='pci' index='1' model='pcie-switch-upstream-port'>")
    expect(up).toContain("<address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>")
    const ports = [1, 2, 3, 4, 5].map((i) => `<controller type='pci' index='${i}' model='pcie-root-port'/>`).join('')
    expect(refusal(x86Domain(root + ports + at('pcie-root-port', 5), 'q35'))).toMatchObject({ message: "The device at PCI address 0000:05:00.0 cannot be plugged into the PCI controller with index='5'. It requires a controller that accepts a pcie-root-port." })
  })
})

describe('an empty PCI address written with multifunction (virDomainPCIAddressReserveNextAddr assigns the address whole)', () => {
  const disk = (address: string): string => `<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/>${address}</disk>`
  it('the address libvirt finds replaces it, multifunction and all, on q35 and pc alike', () => {
    for (const mf of ['on', 'off']) {
      expect(predicts(x86Domain(root + disk(`<address type='pci' multifunction='${mf}'/>`), 'q35'))).toContain("<address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>\n    </disk>")
      expect(predicts(x86Domain(disk(`<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x3' multifunction='${mf}'/>`)))).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n    </disk>")
    }
    // (a chipset place too: the first SATA controller at 00:1f.2)
    expect(predicts(x86Domain(`${root}<controller type='sata' index='0'><address type='pci' multifunction='off'/></controller>`, 'q35'))).toContain("<controller type='sata' index='0'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>")
  })
  it('near miss: multifunction on a written address is kept', () => {
    expect(predicts(x86Domain(disk("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='off'/>")))).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='off'/>")
  })
})

describe('videos validated one at a time in the device walk (qemuValidateDomainDeviceDefVideo)', () => {
  // (QEMU without QXL, as on aarch64: the probes h26-l-video-order* were aarch64 virt domains)
  const noQxl = capsXml({ flags: x86Flags.filter((f) => f !== 'qxl') })
  const videos = (...models: string[]): string => models.map((m) => `<video><model type='${m}'/></video>`).join('')
  it('a second VGA is refused before a third video of a model QEMU lacks', () => {
    expect(refusal(x86Domain(videos('virtio', 'vga', 'qxl')), { caps: noQxl })).toMatchObject({ code: 'preview-refused', message: "video type 'vga' is only valid as primary video device" })
  })
  it('near miss: the model QEMU lacks comes first, and is refused first', () => {
    expect(refusal(x86Domain(videos('virtio', 'qxl', 'vga')), { caps: noQxl })).toMatchObject({ message: "domain configuration does not support video model 'qxl'" })
  })
})

describe('the root port the dry run adds for a pcie-to-pci-bridge (virDomainPCIAddressSetGrow: its connect flags the bridge\'s alone)', () => {
  const sound = "<sound model='ich6'><address type='pci' domain='0x0000' bus='0x03' slot='0x01' function='0x0'/></sound>"
  const keyboard = (bus: number): string => `<input type='keyboard' bus='virtio'><address type='pci' domain='0x0000' bus='${bus}' slot='0x00' function='0x0'/></input>`
  it('a PCIe device written on it is refused as not fitting there (not as an address used twice)', () => {
    expect(refusal(x86Domain(root + sound + keyboard(1), 'q35'))).toMatchObject({ code: 'preview-invalid-value', message: "The device at PCI address 0000:01:00.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a PCI Express device." })
    expect(refusal(x86Domain(`${root + sound}<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></hostdev>`, 'q35'))).toMatchObject({ message: "The device at PCI address 0000:01:00.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a PCI Express device." })
  })
  it('near misses: on the bridge it is a slot-0 refusal; on a bus past the ones grown it takes a new root port', () => {
    expect(refusal(x86Domain(root + sound + keyboard(2), 'q35'))).toMatchObject({ message: 'Invalid PCI address 0000:02:00.0. slot must be >= 1' })
    const xml = predicts(x86Domain(root + sound + keyboard(4), 'q35'))
    expect(xml).toContain("<controller type='pci' index='4' model='pcie-root-port'>")
    expect(xml).toContain("<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>\n    </input>")
  })
})

describe('an ARM board without PCI (qemuDomainSupportsPCI: not virt nor versatilepb) with PCI controllers written', () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'virtio-mmio', 'pcie-root-port', 'x3130-upstream', 'pcie-pci-bridge', 'pxb-pcie', 'pci-bridge', 'e1000', 'virtio-net', 'netdev.user'], machines: "<machine type='tcg' name='vexpress-a9' maxCpus='4' defaultCPU='cortex-a9-arm-cpu'/><cpu type='tcg' name='cortex-a9' typename='cortex-a9-arm-cpu' usable='yes'/>" })
  const board = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='aarch64' machine='vexpress-a9'>hvm</type></os><devices>${devices}</devices></domain>`
  const words = (option: string, index: number, model: string, modelName: string): string => `Required option '${option}' is not set for PCI controller with index '${index}', model '${model}' and modelName '${modelName}'`
  it('no defaults are set: the model name, then each option the model needs, is missing', () => {
    expect(refusal(board(`${root}<controller type='pci' index='1' model='pcie-root-port'/>`), { caps: arm })).toMatchObject({ code: 'preview-refused', message: words('modelName', 1, 'pcie-root-port', 'none') })
    expect(refusal(board(`${root}<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='1'/></controller>`), { caps: arm })).toMatchObject({ message: words('port', 1, 'pcie-root-port', 'pcie-root-port') })
    expect(refusal(board(`${root}<controller type='pci' index='1' model='pci-bridge'><model name='pci-bridge'/></controller>`), { caps: arm })).toMatchObject({ message: words('chassisNr', 1, 'pci-bridge', 'pci-bridge') })
    expect(predicts(board(`${root}<controller type='pci' index='1' model='pci-bridge'><model name='pci-bridge'/><target chassisNr='1'/></controller>`), { caps: arm })).toContain("<target chassisNr='1'/>\n    </controller>")
  })
  it('the dry run still runs: a root port with no pcie-root is refused there; a controller it adds lacks its model name', () => {
    expect(refusal(board("<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='1' port='0x8'/></controller>"), { caps: arm })).toMatchObject({ message: "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added" })
    expect(refusal(board(`${root}<controller type='pci' index='1' model='pcie-switch-upstream-port'><model name='x3130-upstream'/></controller>`), { caps: arm })).toMatchObject({ message: words('modelName', 2, 'pcie-root-port', 'none') })
    // (a virtio disk is virtio-pci where a pcie-root is written, as on virt: it asks the dry run for a root port)
    expect(refusal(board(`${root}<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/></disk>`), { caps: arm })).toMatchObject({ message: words('modelName', 1, 'pcie-root-port', 'none') })
  })
  it('near misses: every option written is taken, and no address is assigned; without a pcie-root a virtio disk is on virtio-mmio', () => {
    const xml = predicts(board(`${root}<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/><target chassis='1' port='0x8'/></controller>`), { caps: arm })
    expect(xml).toContain("<controller type='pci' index='1' model='pcie-root-port'>\n      <model name='pcie-root-port'/>\n      <target chassis='1' port='0x8'/>\n    </controller>")
    expect(predicts(board("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/></disk>"), { caps: arm })).toContain("<address type='virtio-mmio'/>")
  })
})

describe('found transplanting the address probes to aarch64 virt (h26-ta-*)', () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'qemu-xhci', 'pcie-root-port', 'tpm-tis-device', 'tpm-emulator', 'virtio-mmio', 'virtio-keyboard', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
  const virt = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>${devices}</devices></domain>`
  it('a TPM 1.2 is refused for its interface before QEMU is asked for the model (qemuValidateDomainDeviceDefTPM)', () => {
    expect(refusal(virt("<tpm model='tpm-crb'><backend type='emulator' version='1.2'/></tpm>"), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: "Unsupported interface 'tpm-crb' for TPM 1.2" })
    // (near miss: a TPM 2.0 CRB reaches the model check)
    expect(refusal(virt("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"), { caps: arm, v9: true })).toMatchObject({ message: 'The QEMU executable /usr/bin/qemu-system-aarch64 does not support TPM model tpm-crb' })
  })
  it('with USB off, an input without a bus is refused where the parser makes it a USB one (off x86 a mouse too)', () => {
    expect(refusal(virt("<controller type='usb' model='none'/><input type='mouse'/>"), { caps: arm, v9: true })).toMatchObject({ code: 'preview-refused', message: "Can't add USB input device. USB bus is disabled" })
    expect(refusal(x86Domain(`${root}<controller type='usb' model='none'/><input type='tablet'/>`, 'q35'), { v9: true })).toMatchObject({ message: "Can't add USB input device. USB bus is disabled" })
    // (11.3 gives the bus in post-parse, after the parser's check: address assignment finds the USB device — seen on libvirtd 11.3)
    expect(refusal(x86Domain(`${root}<controller type='usb' model='none'/><input type='tablet'/>`, 'q35'))).toMatchObject({ message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
    // (near misses: on x86 a mouse without a bus is PS/2; a virtio keyboard needs no USB)
    expect(predicts(x86Domain(`${root}<controller type='usb' model='none'/><input type='mouse'/>`, 'q35'))).toContain("<input type='mouse' bus='ps2'/>")
    expect(predicts(virt("<controller type='usb' model='none'/><input type='keyboard' bus='virtio'/>"), { caps: arm })).toContain("<input type='keyboard' bus='virtio'>")
  })
})

describe('a capabilities host device of type storage is a USB device to libvirt (virDomainUSBDeviceDefForeach reads the union\'s type)', () => {
  const caps = (type: string, source: string): string => `<hostdev mode='capabilities' type='${type}'><source>${source}</source></hostdev>`
  const storage = caps('storage', '<block>/dev/sdf1</block>')
  it('with USB off it is refused as a host USB device is; with no USB controller (s390) as a USB device is', () => {
    expect(refusal(x86Domain(`${root}<controller type='usb' model='none'/>${storage}`, 'q35'))).toMatchObject({ code: 'preview-refused', message: "Can't add host USB device: USB is disabled in this host" })
    const s390 = capsXml({ arch: 's390x', flags: ['virtio-net-ccw', 'virtio-scsi-ccw', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    expect(refusal(`<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${storage}</devices></domain>`, { caps: s390 })).toMatchObject({ message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
  })
  it('near misses: where USB is there, and for another capabilities type, the QEMU driver refuses the mode', () => {
    expect(refusal(x86Domain(storage))).toMatchObject({ message: "hostdev mode 'capabilities' is not supported in qemu" })
    expect(refusal(x86Domain(`${root}<controller type='usb' model='none'/>${caps('misc', '<char>/dev/input/event3</char>')}`, 'q35'))).toMatchObject({ message: "hostdev mode 'capabilities' is not supported in qemu" })
  })
})

describe('videos: the Xen, VirtualBox and Parallels displays are PCI devices; two primaries are the generic step\'s refusal', () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-gpu', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
  const virt = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>${devices}</devices></domain>`
  const video = (type: string, primary = ''): string => `<video><model type='${type}'${primary}/></video>`
  it('a Xen display gets its slot, then validation refuses the model QEMU lacks; a GOP one has no connect flags', () => {
    expect(refusal(virt(video('xen')), { caps: arm })).toMatchObject({ code: 'preview-refused', message: "domain configuration does not support video model 'xen'" })
    expect(refusal(virt(video('gop')), { caps: arm })).toMatchObject({ message: 'Cannot automatically add a new PCI bus for a device with connect flags 00' })
  })
  it('two written primaries: a model QEMU lacks is refused first; else the generic check, not the secondary-VGA one', () => {
    expect(refusal(virt(video('virtio', " primary='yes'") + video('qxl', " primary='yes'")), { caps: arm })).toMatchObject({ message: "domain configuration does not support video model 'qxl'" })
    expect(refusal(x86Domain(video('vga', " primary='yes'") + video('vga', " primary='yes'"), 'q35'))).toMatchObject({ message: 'Only one primary video device is supported' })
  })
})

describe('a domain element in a default namespace declared on it is not read, by validation either (h26-tv-h18-ns-features)', () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
  const virt = (features: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='aarch64' machine='virt'>hvm</type></os>${features}<devices/></domain>`
  it("<features xmlns='…'><acpi/> on aarch64 virt: no ACPI to ask UEFI for, no features written", () => {
    const xml = predicts(virt("<features xmlns='http://example.com/x'><acpi/></features>"), { caps: arm })
    expect(xml).not.toContain('<acpi/>')
  })
  it("near miss: in no namespace (xmlns='') it is read, and refused without UEFI", () => {
    expect(refusal(virt("<features xmlns=''><acpi/></features>"), { caps: arm })).toMatchObject({ code: 'preview-refused', message: 'ACPI requires UEFI on this architecture' })
  })
})

describe('a USB controller written without a model on 32-bit ARM virt (qemuDomainControllerDefPostParse: xHCI is aarch64\'s)', () => {
  const armv7 = capsXml({ arch: 'armv7l', flags: ['cpu-max', 'pcie-root-port', 'pcie-pci-bridge', 'qemu-xhci', 'piix3-usb-uhci', 'pci-ohci', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
  const domain = (arch: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='${arch}' machine='virt'>hvm</type></os><devices><controller type='usb'/></devices></domain>`
  it('is PIIX3 UHCI where QEMU has it, a conventional PCI device behind a pcie-to-pci-bridge', () => {
    const xml = predicts(domain('armv7l'), { caps: armv7 })
    expect(xml).toContain("<controller type='usb' index='0' model='piix3-uhci'>")
    expect(xml).toContain("<controller type='pci' index='2' model='pcie-to-pci-bridge'>")
  })
  it('near miss: on aarch64 it is qemu-xhci', () => {
    const aarch64 = capsXml({ arch: 'aarch64', flags: ['cpu-max', 'pcie-root-port', 'pcie-pci-bridge', 'qemu-xhci', 'piix3-usb-uhci', 'pci-ohci', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(predicts(domain('aarch64'), { caps: aarch64 })).toContain("<controller type='usb' index='0' model='qemu-xhci'>")
  })
})

describe('a PCI domain other than 0 is refused as the addresses are collected (virDomainPCIAddressValidate), not as they are parsed', () => {
  const disk = (domain: string, bus = '0x00', slot = '0x05'): string => `<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/><address type='pci' domain='${domain}' bus='${bus}' slot='${slot}' function='0x0'/></disk>`
  it("the machine's root bus is checked first (qemuDomainDefAddDefaultDevices, post-parse)", () => {
    expect(refusal(x86Domain(`${root}${disk('0x0001')}`))).toMatchObject({ code: 'preview-invalid-value', message: "The PCI controller with index='0' must be model='pci-root' for this machine type, but model='pcie-root' was found instead" })
  })
  it('near misses: with the right root the domain is refused, before the bus is looked at; a bus past 0xFF is the parser\'s', () => {
    expect(refusal(x86Domain(disk('0x0001')))).toMatchObject({ message: 'Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available' })
    expect(refusal(x86Domain(disk('0x0001', '0x09', '0x00'), 'q35'))).toMatchObject({ message: 'Invalid PCI address 0001:09:00.0. Only PCI domain 0 is available' })
    expect(refusal(x86Domain(disk('0x0001', '0x100', '0x00'), 'q35'))).toMatchObject({ message: "Invalid PCI address bus='0x100', must be <= 0xFF" })
  })
})

describe('a USB hub libvirt adds is validated as a written one (qemuValidateDomainDeviceDefHub; seen with s390x\'s QEMU, probes h26-tS-h5-u*)', () => {
  const noHub = capsXml({ flags: x86Flags.filter((f) => f !== 'usb-hub') })
  const tablets = (n: number, address = ''): string => `<input type='tablet' bus='usb'>${address}</input>`.repeat(n)
  it('refused where QEMU has no usb-hub, once the ports are assigned', () => {
    expect(refusal(x86Domain(`<controller type='usb' index='0' model='qemu-xhci' ports='1'/>${tablets(3)}`), { caps: noHub })).toMatchObject({ code: 'preview-refused', message: 'usb-hub not supported by QEMU binary' })
  })
  it('near misses: ports that run out on the bus asked for are refused first; no hub needed, none refused', () => {
    const pinned = "<controller type='usb' index='0' model='piix3-uhci'/><controller type='usb' index='1' model='piix3-uhci'/>" + tablets(3, "<address type='usb' bus='1'/>") + tablets(2)
    expect(refusal(x86Domain(pinned), { caps: noHub })).toMatchObject({ message: 'No free USB ports' })
    expect(predicts(x86Domain(`<controller type='usb' index='0' model='qemu-xhci' ports='4'/>${tablets(3)}`), { caps: noHub })).not.toContain('<hub')
  })
})
