// Refusals found through libvirt 11.3's own refused test domains that preview predicted (or refused in other
// words), each on a small hand-written domain: disks (USB media, Sheepdog, virtio LUNs, one target name once),
// GIC versions, SVE, panic models, USB port paths, pSeries vCPU hot-plug granularity, virt types, maximum
// physical address bits, sPAPR-VIO registers, x86 timers, mediated devices, PCI controller targets, zPCI ids. The
// 9.0 words are what libvirtd 9.0 answered to `virsh define` of the same configuration; the 11.3 ones are libvirt's
// (its test data's .err files, its source). Each rule also has a domain just inside it that preview predicts.
import { describe, expect, it } from 'vitest'
import { capsXml, x86Flags } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

interface Dom { readonly type?: string; readonly extra?: string; readonly devices?: string; readonly machine?: string; readonly arch?: string; readonly vcpu?: string }
const dom = (d: Dom = {}): string => `<domain type='${d.type ?? 'qemu'}'>
  <name>t</name>
  <memory unit='MiB'>1024</memory>
  ${d.vcpu ?? '<vcpu>1</vcpu>'}
  <os><type arch='${d.arch ?? 'x86_64'}' machine='${d.machine ?? 'pc'}'>hvm</type></os>
  ${d.extra ?? ''}
  <devices>${d.devices ?? ''}</devices>
</domain>
`
const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'pvpanic-pci', 'cpu-max'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'spapr-pci-host-bridge.numa_node', 'query-hotpluggable-cpus'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'vfio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const riscvCaps = capsXml({ arch: 'riscv64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>" })
const arm = (d: Dom): string => dom({ arch: 'aarch64', machine: 'virt', ...d })
const pseries = (d: Dom): string => dom({ arch: 'ppc64', machine: 'pseries', ...d })
const s390 = (d: Dom): string => dom({ arch: 's390x', machine: 's390-ccw-virtio', ...d })

describe('disks', () => {
  it("libvirt 11: a USB disk has a medium (an empty USB CD-ROM: libvirtd 9.0 takes it); a hard disk always has one", () => {
    const usbCdrom = (source: string) => dom({ devices: `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>${source}<target dev='sdb' bus='usb'/><readonly/></disk>` })
    expect(refusal(usbCdrom(''))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "'usb' disk must not be empty", path: "domain/devices/disk[target/@dev='sdb']" })
    // (an empty path is none)
    expect(refusal(usbCdrom("<source file=''/>")).message).toBe("'usb' disk must not be empty")
    expect(predicts(usbCdrom(''), { v9: true })).toContain("bus='usb'")
    expect(predicts(usbCdrom("<source file='/tmp/cd.iso'/>"))).toContain("<source file='/tmp/cd.iso'/>")
    // (an empty IDE CD-ROM is fine; a hard disk without a source is refused by either version)
    expect(predicts(dom({ devices: "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>" }))).toContain("dev='hdc'")
    const noMedium = dom({ devices: "<disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>" })
    expect(refusal(noMedium)).toMatchObject({ code: 'preview-refused', message: 'missing source information for device vda', path: "domain/devices/disk[target/@dev='vda']/source" })
    expect(refusal(noMedium, { v9: true }).message).toBe('missing source information for device vda')
  })

  it("libvirt 11: Sheepdog is gone, on a disk or down its backing chain (libvirtd 9.0 takes it)", () => {
    const sheepdog = (protocol: string) => dom({ devices: `<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='${protocol}' name='pool/image'><host name='example.org' port='6000'/></source><target dev='vda' bus='virtio'/></disk>` })
    expect(refusal(sheepdog('sheepdog'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "'sheepdog' protocol is no longer supported by any hypervisor driver", path: "domain/devices/disk[target/@dev='vda']/source/@protocol" })
    expect(predicts(sheepdog('sheepdog'), { v9: true })).toContain("protocol='sheepdog'")
    expect(predicts(sheepdog('nbd'))).toContain("protocol='nbd'")
    const backing = dom({ devices: "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/top.qcow2'/><backingStore type='network'><format type='raw'/><source protocol='sheepdog' name='base'><host name='example.org'/></source></backingStore><target dev='vda' bus='virtio'/></disk>" })
    expect(refusal(backing).path).toBe("domain/devices/disk[target/@dev='vda']/backingStore/source/@protocol")
  })

  it("libvirt 11: a LUN on virtio needs QEMU's SCSI emulation in virtio-blk (`virtio-blk-pci.scsi`, gone from QEMU 9.1)", () => {
    const lun = dom({ devices: "<disk type='block' device='lun'><driver name='qemu' type='raw'/><source dev='/dev/sdz'/><target dev='vda' bus='virtio'/></disk>" })
    expect(refusal(lun)).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "This QEMU doesn't support SCSI emulation with 'virtio-blk' device", path: "domain/devices/disk[target/@dev='vda']/target/@bus" })
    expect(predicts(lun, { caps: capsXml({ flags: [...x86Flags, 'virtio-blk-pci.scsi'] }) })).toContain("device='lun'")
    // (libvirtd 9.0 does not ask)
    expect(predicts(lun, { v9: true })).toContain("device='lun'")
    // a LUN on SCSI is another capability's
    expect(predicts(dom({ devices: "<controller type='scsi' model='virtio-scsi'/><disk type='block' device='lun'><driver name='qemu' type='raw'/><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/></disk>" }))).toContain("device='lun'")
  })

  it('one disk per target name, the pair named in the order libvirt holds disks (by bus as written, then target index)', () => {
    const disk = (file: string, dev: string, bus: string) => `<disk type='file' device='disk'><source file='${file}'/><target dev='${dev}' bus='${bus}'/></disk>`
    // the IDE sda goes in after hda, before the USB one written earlier: that pair is named
    const three = dom({ devices: disk('/a.img', 'hda', 'ide') + disk('/usb.img', 'sda', 'usb') + disk('/ide.img', 'sda', 'ide') + disk('/scsi.img', 'sda', 'scsi') })
    expect(refusal(three)).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "target 'sda' duplicated for disk sources '/ide.img' and '/usb.img'", path: "domain/devices/disk[target/@dev='sda']/target/@dev" })
    expect(refusal(three, { v9: true }).message).toBe("target 'sda' duplicated for disk sources '/ide.img' and '/usb.img'")
    // (a source without a path is named <null>; the drive addresses are not what is refused)
    expect(refusal(dom({ devices: "<disk type='volume' device='disk'><source pool='p' volume='v'/><target dev='vda' bus='virtio'/></disk>" + disk('/b.img', 'vda', 'virtio') })).message).toBe("target 'vda' duplicated for disk sources '<null>' and '/b.img'")
    expect(predicts(dom({ devices: disk('/a.img', 'hda', 'ide') + disk('/usb.img', 'sda', 'usb') + disk('/ide.img', 'hdb', 'ide') }))).toContain("dev='hdb'")
  })
})

describe('CPU and machine features', () => {
  it("a GIC version of virGICVersion's but its zero, 'none' (both versions)", () => {
    const gic = (version: string) => arm({ extra: `<features><gic version='${version}'/></features>` })
    expect(refusal(gic('none'), { caps: armCaps })).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'version' in element 'gic': 'none'.", path: 'domain/features/gic/@version' })
    expect(refusal(gic('4'), { caps: armCaps, v9: true }).message).toBe("Invalid value for attribute 'version' in element 'gic': '4'.")
    // (an unknown feature before it is found first, in document order)
    expect(refusal(arm({ extra: "<features><bogus/><gic version='none'/></features>" }), { caps: armCaps }).message).toBe("unexpected feature 'bogus'")
    expect(predicts(gic('3'), { caps: armCaps })).toContain("<gic version='3'/>")
  })

  it('SVE vector lengths with SVE itself disabled or forbidden (post-parse, any CPU mode; both versions)', () => {
    const cpu = (policy: string, mode = "mode='maximum'") => arm({ extra: `<cpu ${mode}><feature policy='${policy}' name='sve'/><feature policy='require' name='sve128'/></cpu>` })
    expect(refusal(cpu('disable'), { caps: armCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'SVE disabled, but SVE vector lengths provided', path: "domain/cpu/feature[@name='sve']/@policy" })
    expect(refusal(cpu('forbid', "mode='custom'><model>max</model"), { caps: armCaps, v9: true }).message).toBe('SVE disabled, but SVE vector lengths provided')
    // SVE required with its lengths, or disabled without any, is fine
    expect(predicts(cpu('require'), { caps: armCaps })).toContain("name='sve128'")
    expect(predicts(arm({ extra: "<cpu mode='maximum'><feature policy='disable' name='sve'/></cpu>" }), { caps: armCaps })).toContain("policy='disable'")
  })

  it("HVF only where the capabilities list it (when they list accelerators at all)", () => {
    const probed = capsXml({ flags: [...x86Flags, 'tcg', 'kvm'] })
    const hvf = dom({ type: 'hvf', machine: 'q35' })
    expect(refusal(hvf, { caps: probed })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'hvf'", path: 'domain/@type' })
    expect(refusal(hvf, { caps: probed, v9: true }).message).toBe("Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'hvf'")
    expect(predicts(hvf, { caps: capsXml({ flags: [...x86Flags, 'tcg', 'hvf'] }) })).toContain("type='hvf'")
    // (KVM and TCG alike: a KVM domain on a QEMU probed without KVM, a TCG one on a QEMU without TCG — libvirtd 9.0 refuses
    // both, probe h27-o3; capabilities that list no accelerator at all, as hand-written ones, take any of the three)
    const noKvm = capsXml({ flags: [...x86Flags, 'tcg'] })
    expect(refusal(dom({ type: 'kvm' }), { caps: noKvm })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'kvm'", path: 'domain/@type' })
    expect(refusal(dom({ type: 'kvm' }), { caps: noKvm, v9: true }).message).toBe("Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'kvm'")
    expect(predicts(dom({ type: 'qemu' }), { caps: noKvm })).toContain("type='qemu'")
    expect(refusal(dom({ type: 'qemu' }), { caps: capsXml({ flags: [...x86Flags, 'kvm'] }) }).message).toBe("Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'qemu'")
    expect(predicts(dom({ type: 'kvm' }), { caps: capsXml({ flags: [...x86Flags, 'tcg', 'kvm'] }) })).toContain("type='kvm'")
    expect(predicts(dom({ type: 'kvm' }), { caps: capsXml({ flags: x86Flags }) })).toContain("type='kvm'")
  })

  it("maximum physical address bits: x86's, no number passed through (9.0 also wants one when emulated); the CPU cache is x86's too", () => {
    const addr = (a: string, d: Dom = {}) => dom({ extra: `<cpu mode='host-passthrough'><maxphysaddr ${a}/></cpu>`, ...d })
    expect(refusal(addr("mode='passthrough' bits='42'"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "CPU maximum physical address bits number specification cannot be used with mode='passthrough'", path: 'domain/cpu/maxphysaddr/@bits' })
    expect(refusal(addr("mode='passthrough' bits='42'"), { v9: true }).message).toBe("CPU maximum physical address bits number specification cannot be used with mode='passthrough'")
    expect(predicts(addr("mode='passthrough'"))).toContain("<maxphysaddr mode='passthrough'/>")
    expect(predicts(addr("mode='emulate' bits='42'"))).toContain("bits='42'")
    expect(refusal(addr("mode='emulate'"), { v9: true }).message).toBe("if using CPU maximum physical address mode='emulate', bits= must be specified too")
    expect(predicts(addr("mode='emulate'"))).toContain("<maxphysaddr mode='emulate'/>")
    expect(refusal(arm({ extra: "<cpu mode='maximum'><maxphysaddr mode='passthrough'/></cpu>" }), { caps: armCaps }).message).toBe("CPU maximum physical address bits specification is not supported for 'aarch64' architecture")
    expect(refusal(arm({ extra: "<cpu mode='maximum'><cache mode='disable'/></cpu>" }), { caps: armCaps, v9: true }).message).toBe("CPU cache specification is not supported for 'aarch64' architecture")
  })

  it('pSeries hot-plugs vCPUs a core at a time: the vCPUs at boot are a multiple of the threads per core', () => {
    const vcpus = (current: number) => pseries({ vcpu: `<vcpu placement='static' current='${current}'>8</vcpu>`, extra: "<cpu><topology sockets='1' dies='1' cores='2' threads='4'/></cpu>" })
    expect(refusal(vcpus(2), { caps: ppcCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'vCPUs count must be a multiple of the vCPU hotplug granularity (4)', path: 'domain/vcpu/@current' })
    expect(refusal(vcpus(6), { caps: ppcCaps, v9: true }).message).toBe('vCPUs count must be a multiple of the vCPU hotplug granularity (4)')
    expect(predicts(vcpus(4), { caps: ppcCaps })).toContain("current='4'")
    // (elsewhere vCPUs come one at a time)
    expect(predicts(dom({ vcpu: "<vcpu placement='static' current='2'>8</vcpu>", extra: "<cpu><topology sockets='1' dies='1' cores='2' threads='4'/></cpu>" }))).toContain("current='2'")
  })
})

describe('clock timers', () => {
  it("the x86 timers (TSC, kvmclock, Hyper-V clock) switched on elsewhere; an RTC tracking the boot time; a PIT merging ticks", () => {
    const timer = (t: string, d: Dom = {}) => s390({ extra: `<clock offset='utc'>${t}</clock>`, ...d })
    expect(refusal(timer("<timer name='tsc' present='yes'/>"), { caps: s390Caps })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "Configuring the 'tsc' timer is not supported for virtType=qemu arch=s390x machine=s390-ccw-virtio-9.9 guests", path: "domain/clock/timer[@name='tsc']/@present",
    })
    expect(refusal(timer("<timer name='kvmclock' present='yes'/>", { type: 'kvm' }), { caps: s390Caps, v9: true }).message).toBe("Configuring the 'kvmclock' timer is not supported for virtType=kvm arch=s390x machine=s390-ccw-virtio-9.9 guests")
    expect(predicts(timer("<timer name='tsc' present='no'/>"), { caps: s390Caps })).toContain("present='no'")
    expect(predicts(dom({ extra: "<clock offset='utc'><timer name='tsc' present='yes'/></clock>" }))).toContain("present='yes'")
    expect(refusal(dom({ extra: "<clock offset='utc'><timer name='rtc' track='boot'/></clock>" })).message).toBe("unsupported rtc timer track 'boot'")
    expect(refusal(dom({ extra: "<clock offset='utc'><timer name='pit' tickpolicy='merge'/></clock>" }), { v9: true }).message).toBe("unsupported pit tickpolicy 'merge'")
    expect(predicts(dom({ extra: "<clock offset='utc'><timer name='rtc' track='guest'/><timer name='pit' tickpolicy='delay'/></clock>" }))).toContain("tickpolicy='delay'")
  })
})

describe('devices', () => {
  it("libvirt 11: a panic device without a model where the machine has no default (9.0 gives it the ISA one)", () => {
    const riscv = dom({ arch: 'riscv64', machine: 'virt', devices: '<panic/>' })
    expect(refusal(riscv, { caps: riscvCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'no panic model provided, and no default for the architecture and machine type', path: 'domain/devices/panic[1]' })
    expect(refusal(riscv, { caps: riscvCaps, v9: true }).message).toBe('the QEMU binary does not support the ISA panic device')
    expect(predicts(dom({ arch: 'riscv64', machine: 'virt', devices: "<panic model='pvpanic'/>" }), { caps: capsXml({ arch: 'riscv64', flags: ['qemu-xhci', 'pcie-root-port', 'pvpanic-pci'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>" }) })).toContain("<panic model='pvpanic'>")
  })

  it('libvirt 11: the PCI pvpanic sits on PCI (an address left out is assigned one)', () => {
    const pvpanic = (address: string) => arm({ devices: `<panic model='pvpanic'>${address}</panic>` })
    expect(refusal(pvpanic("<address type='isa' iobase='0x505'/>"), { caps: armCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'pvpanic is supported only with PCI address type', path: 'domain/devices/panic[1]/address/@type' })
    expect(refusal(pvpanic("<address type='isa' iobase='0x505'/>"), { caps: armCaps, v9: true }).message).toBe("unknown panic model 'pvpanic'")
    expect(predicts(pvpanic(''), { caps: armCaps })).toContain("<panic model='pvpanic'>")
  })

  it('a USB port path is up to four numbers joined by dots (virStrToLong_uip each: white space and + taken, - not)', () => {
    const hub = (port: string) => `<hub type='usb'><address type='usb' bus='0' port='${port}'/></hub>`
    const nested = (n: number) => Array.from({ length: n }, (_, i) => hub(Array(i + 1).fill('1').join('.'))).join('')
    expect(refusal(dom({ devices: nested(5) }))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Cannot parse <address> 'port' attribute", path: 'domain/devices/hub[5]/address/@port' })
    for (const port of ['1.', '1x', '-1', '', '1..2', '4294967296']) expect(refusal(dom({ devices: hub(port) }), { v9: true }).message).toBe("Cannot parse <address> 'port' attribute")
    expect(predicts(dom({ devices: nested(4) }))).toContain("port='1.1.1.1'")
  })

  it("an sPAPR-VIO register is 32 bits (read whole, as 64)", () => {
    const serial = (reg: string) => pseries({ devices: `<serial type='pty'><address type='spapr-vio' reg='${reg}'/></serial>` })
    expect(refusal(serial('0x0000000100000000'), { caps: ppcCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "spapr-vio reg='0x100000000' exceeds maximum possible value (0xffffffff)", path: 'domain/devices/serial[1]/address/@reg' })
    expect(refusal(serial('0x100000000'), { caps: ppcCaps, v9: true }).message).toBe("spapr-vio reg='0x100000000' exceeds maximum possible value (0xffffffff)")
    // (two registers past 32 bits are two registers: the limit is what is refused)
    expect(refusal(pseries({ devices: "<serial type='pty'><address type='spapr-vio' reg='0x100000001'/></serial><serial type='pty'><address type='spapr-vio' reg='0x100000002'/></serial>" }), { caps: ppcCaps }).message).toBe("spapr-vio reg='0x100000001' exceeds maximum possible value (0xffffffff)")
    expect(predicts(serial('0xffffffff'), { caps: ppcCaps })).toContain("reg='0xffffffff'")
  })

  it("a mediated device is named by its source address's UUID (libvirt 11.3's words are 9.0's)", () => {
    const mdev = (source: string) => dom({ devices: `<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>${source}</source></hostdev>` })
    const missing = { name: 'PreviewError', code: 'preview-invalid-value', message: "Missing 'uuid' attribute for element <address>", path: 'domain/devices/hostdev[1]/source/address' }
    expect(refusal(mdev("<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>"))).toEqual(missing)
    expect(refusal(mdev("<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>"), { v9: true })).toEqual(missing)
    expect(refusal(mdev('')).message).toBe('Missing <address> element')
    expect(refusal(mdev("<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1d'/>"), { v9: true }).message).toBe('Cannot parse uuid attribute of element <address>')
    expect(predicts(mdev("<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/>"))).toContain("uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'")
  })

  it('PCI controller targets in their ranges, the target index first (every machine; both versions)', () => {
    const phb = (target: string) => pseries({ devices: `<controller type='pci' model='pci-root'>${target}</controller>` })
    expect(refusal(phb("<target index='31'/>"), { caps: ppcCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "PCI controller target index '31' out of range - must be 0-30", path: "domain/devices/controller[@type='pci'][@index='0']/target/@index" })
    expect(refusal(phb("<target index='1'/>"), { caps: ppcCaps, v9: true }).message).toBe('Only the PCI controller with index 0 can have target index 0, and vice versa')
    expect(predicts(pseries({ devices: "<controller type='pci' index='1' model='pci-root'><target index='30'/></controller>" }), { caps: ppcCaps })).toContain("<target index='30'/>")
    const bridge = (target: string) => dom({ devices: `<controller type='pci' index='1' model='pci-bridge'>${target}</controller>` })
    expect(refusal(bridge("<target chassisNr='0'/>")).message).toBe("PCI controller chassisNr '0' out of range - must be 1-255")
    expect(refusal(dom({ machine: 'q35', devices: "<controller type='pci' index='1' model='pcie-root-port'><target chassis='1' port='0x100'/></controller>" })).message).toBe("PCI controller port '256' out of range - must be 0-255")
    expect(refusal(dom({ devices: "<controller type='pci' index='256' model='pci-bridge'/>" }), { v9: true }).message).toBe('PCI controller index 256 too high, maximum is 255')
    expect(predicts(bridge("<target chassisNr='255'/>"))).toContain("chassisNr='255'")
  })

  it('zPCI: a uid or fid twice names the later device by its number in octal (libvirt 11.3 as 9.0)', () => {
    const z = (domain: number, zpci: string) => `<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x000${domain}' bus='0x00' slot='0x00' function='0x0'/></source><address type='pci'><zpci ${zpci}/></address></hostdev>`
    expect(refusal(s390({ devices: z(0, "uid='0x1234' fid='0x1234'") + z(1, "uid='0x1234' fid='0x1234'") }), { caps: s390Caps })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'zPCI uid 11064 is already reserved', path: 'domain/devices/hostdev[2]/address/zpci/@uid',
    })
    expect(refusal(s390({ devices: z(0, "uid='0x1' fid='8'") + z(1, "uid='0x2' fid='0x8'") }), { caps: s390Caps }).message).toBe('zPCI fid 10 is already reserved')
    expect(predicts(s390({ devices: z(0, "uid='0x1234' fid='0x1234'") + z(1, "uid='0x1235' fid='0x1235'") }), { caps: s390Caps })).toContain("uid='0x1235'")
  })
})
