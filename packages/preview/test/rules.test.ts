// One test (or a few) per rule, on small hand-written domains and capabilities.
import { describe, expect, it } from 'vitest'
import { PreviewError, previewDomain, previewRules } from '../src/index.ts'
import { capsXml, x86Flags } from './_caps.ts'
import { all, kids, one, pci, run, text } from './_find.ts'
import { domainXml } from './_caps.ts'

const pc = (devices: string, extra = ''): string => domainXml('pc', devices, extra)
const q35 = (devices: string, extra = ''): string => domainXml('q35', devices, extra)

describe('machine-canonical', () => {
  it('replaces an alias with the versioned machine type', () => {
    const { root, explanation } = run(pc(''))
    expect(one(root, 'os/type').attributes.machine).toBe('pc-i440fx-9.9')
    expect(explanation.some((e) => e.rule === 'machine-canonical' && e.path === 'domain/os/type/@machine')).toBe(true)
  })

  it('keeps the alias on libvirt\'s test host (`latest`: aliases stripped)', () => {
    expect(one(run(pc(''), { testHost: 'latest' }).root, 'os/type').attributes.machine).toBe('pc')
  })

  it('fills in the default machine type when none is given', () => {
    expect(one(run(domainXml(undefined, '')).root, 'os/type').attributes.machine).toBe('pc-i440fx-9.9')
  })

  it('refuses an unknown machine type with preview-unknown-machine', () => {
    expect(() => run(domainXml('pc-i440fx-1.0', ''))).toThrow(expect.objectContaining({ code: 'preview-unknown-machine', path: 'domain/os/type/@machine' }))
  })

  it('refuses capabilities of another architecture with preview-arch-mismatch', () => {
    try {
      run(domainXml('virt', '', '', 'aarch64'))
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PreviewError)
      expect((error as PreviewError).code).toBe('preview-arch-mismatch')
      expect((error as PreviewError).message).toContain('aarch64')
    }
  })

  it("makes up the UUID and generation ID libvirt's test host makes up (virUUIDGenerate over virrandommock's bytes), and none elsewhere", () => {
    const bare = domainXml('q35', '', '<genid/>')
    const qemuCaps = capsXml({ flags: [...x86Flags, 'vmgenid'] })
    const onTestHost = run(bare, { qemuCaps, testHost: 'latest' })
    expect(text(one(onTestHost.root, 'uuid'))).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f')
    expect(text(one(onTestHost.root, 'genid'))).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f')
    const elsewhere = run(bare, { qemuCaps })
    expect(all(elsewhere.root, 'uuid')).toEqual([])
    expect(one(elsewhere.root, 'genid').children).toEqual([])
    expect(elsewhere.notPredicted.map((n) => n.path)).toEqual(expect.arrayContaining(['domain/uuid', 'domain/genid']))
  })

  it("says it in libvirt's words on libvirt's test host, where every emulator has the capabilities given (testutilsqemu.c)", () => {
    const aarch64 = domainXml('virt', '', '', 'aarch64').replace('<devices>', '<devices><emulator>/usr/bin/qemu-system-aarch64</emulator>')
    expect(() => run(aarch64, { testHost: 'latest' })).toThrow(expect.objectContaining({ code: 'preview-arch-mismatch', message: "Emulator '/usr/bin/qemu-system-aarch64' does not support arch 'aarch64'" }))
    // (no emulator written: the capabilities' own)
    expect(() => run(domainXml('virt', '', '', 'aarch64'), { testHost: 'latest' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/^Emulator '.+' does not support arch 'aarch64'$/) }))
    // (on a real host the capabilities given are what is wrong)
    expect(() => run(aarch64)).toThrow(expect.objectContaining({ code: 'preview-arch-mismatch', message: expect.stringContaining('Unexpected capabilities') }))
  })
})

describe("a domain naming no arch gets the host's (virArchFromHost)", () => {
  const noArch = domainXml('virt', '', '', 'aarch64').replace(" arch='aarch64'", '')
  const aarch64Tcg = capsXml({ arch: 'aarch64', flags: [], machines: "<machine type='tcg' name='virt-9.9' alias='virt'/><cpu type='tcg' name='cortex-a57' usable='yes'/>" })
  it('known from capabilities with KVM for an arch KVM runs natively alone', () => {
    const { root, explanation, notPredicted } = run(domainXml(undefined, '').replace(" arch='x86_64'", ''))
    expect(one(root, 'os/type').attributes.arch).toBe('x86_64')
    expect(explanation.some((e) => e.rule === 'arch-default' && e.why.includes('`x86_64`'))).toBe(true)
    expect(notPredicted.map((n) => n.path)).not.toContain('domain/os/type/@arch')
  })
  it('else the capabilities\' arch, listed as not predicted', () => {
    const { root, notPredicted } = run(noArch, { qemuCaps: aarch64Tcg })
    expect(one(root, 'os/type').attributes.arch).toBe('aarch64')
    expect(notPredicted.map((n) => n.path)).toContain('domain/os/type/@arch')
  })
  it('given (hostArch; x86_64 on libvirt\'s test host): capabilities for another arch are refused, as for a written arch', () => {
    expect(() => run(noArch, { qemuCaps: aarch64Tcg, hostArch: 'x86_64' })).toThrow(expect.objectContaining({ code: 'preview-arch-mismatch', message: expect.stringContaining("the host's arch `x86_64`") }))
    expect(() => run(noArch, { qemuCaps: aarch64Tcg, testHost: 'versioned' })).toThrow(expect.objectContaining({ code: 'preview-arch-mismatch' }))
    const { root, notPredicted } = run(noArch, { qemuCaps: aarch64Tcg, hostArch: 'aarch64' })
    expect(one(root, 'os/type').attributes.arch).toBe('aarch64')
    expect(notPredicted.map((n) => n.path)).not.toContain('domain/os/type/@arch')
    expect(() => run(noArch, { qemuCaps: aarch64Tcg, hostArch: 'amd64' })).toThrow(expect.objectContaining({ code: 'preview-unknown-host-arch', message: 'Unknown host architecture `amd64`' }))
  })
})

describe('memory and vCPUs', () => {
  it('stores memory in KiB and sets currentMemory to it', () => {
    const { root } = run(pc(''))
    expect(one(root, 'memory').attributes.unit).toBe('KiB')
    expect(text(one(root, 'memory'))).toBe('1048576')
    expect(text(one(root, 'currentMemory'))).toBe('1048576')
  })

  it('lowers a currentMemory larger than memory', () => {
    const xml = pc('').replace('<vcpu>', "<currentMemory unit='GiB'>4</currentMemory><vcpu>")
    expect(text(one(run(xml).root, 'currentMemory'))).toBe('1048576')
  })

  it('records static vCPU placement', () => {
    expect(one(run(pc('')).root, 'vcpu').attributes.placement).toBe('static')
  })
})

describe('lifecycle, clock and boot defaults', () => {
  it('writes destroy/restart/destroy, utc and boot from hd', () => {
    const { root } = run(pc(''))
    expect(['on_poweroff', 'on_reboot', 'on_crash'].map((n) => text(one(root, n)))).toEqual(['destroy', 'restart', 'destroy'])
    expect(one(root, 'clock').attributes.offset).toBe('utc')
    expect(one(root, 'os/boot').attributes.dev).toBe('hd')
  })

  it('a loader given by its path alone is a raw ROM (qemuFirmwareFillDomain, then virDomainDefPostParseOs); one written as a ROM stays as written', () => {
    const withLoader = (loader: string) => pc('').replace('hvm</type></os>', `hvm</type>${loader}</os>`)
    // (firmware selection finds no descriptor nor legacy pair for it first, so its image is taken to be raw)
    expect(one(run(withLoader('<loader>/usr/share/seabios/bios.bin</loader>')).root, 'os/loader').attributes).toEqual({ type: 'rom', format: 'raw' })
    expect(Object.keys(one(run(withLoader("<loader readonly='yes' stateless='yes'>/usr/share/seabios/bios.bin</loader>")).root, 'os/loader').attributes)).toEqual(['readonly', 'type', 'stateless', 'format'])
    // a loader written as a ROM needs no firmware selection: it stays as written
    expect(one(run(withLoader("<loader type='rom'>/usr/share/seabios/bios.bin</loader>")).root, 'os/loader').attributes).toEqual({ type: 'rom' })
  })

  it('adds no <boot> when a device has a boot order', () => {
    const disk = "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/><boot order='1'/></disk>"
    expect(all(run(pc(disk)).root, 'os/boot')).toHaveLength(0)
  })
})

describe('cpu-default-model and cpu-check', () => {
  it('writes the machine type\'s default CPU model with check none for TCG', () => {
    const cpu = one(run(pc('')).root, 'cpu')
    expect(cpu.attributes).toMatchObject({ mode: 'custom', match: 'exact', check: 'none' })
    expect(one(cpu, 'model').attributes.fallback).toBe('forbid')
    expect(text(one(cpu, 'model'))).toBe('qemu64')
  })

  it('checks a custom CPU partially under KVM and marks host-passthrough migratable', () => {
    const custom = pc('', "<cpu><model>qemu64</model></cpu>").replace("type='qemu'", "type='kvm'")
    expect(one(run(custom).root, 'cpu').attributes.check).toBe('partial')
    const passthrough = pc('', "<cpu mode='host-passthrough'/>")
    expect(one(run(passthrough).root, 'cpu').attributes).toMatchObject({ check: 'none', migratable: 'on' })
  })
})

describe('default devices (i440fx)', () => {
  const { root, explanation } = run(pc(''))
  it('adds PS/2 input, a USB controller, pci-root, a memballoon and a silent audio backend', () => {
    expect(all(root, 'devices/input[bus=ps2]').map((i) => i.attributes.type)).toEqual(['mouse', 'keyboard'])
    expect(one(root, 'devices/controller[type=usb]').attributes.model).toBe('piix3-uhci')
    expect(one(root, 'devices/controller[type=pci]').attributes.model).toBe('pci-root')
    expect(one(root, 'devices/memballoon').attributes.model).toBe('virtio')
    expect(one(root, 'devices/audio').attributes).toEqual({ id: '1', type: 'none' })
    expect(one(root, 'devices/emulator').children).toEqual([expect.objectContaining({ value: '/usr/bin/qemu-system-x86_64' })])
  })

  it('puts the PIIX3 USB controller at 00:01.2 and the balloon in the next free slot', () => {
    expect(pci(one(root, 'devices/controller[type=usb]'))).toBe('0x00:0x01.0x2')
    expect(pci(one(root, 'devices/memballoon'))).toBe('0x00:0x02.0x0')
  })

  it('explains every change with a known rule name', () => {
    const names = new Set(previewRules.map((r) => r.name))
    const used = new Set(explanation.map((e) => e.rule))
    expect(used.has('usb-default')).toBe(true)
    expect(used.has('memballoon-default')).toBe(true)
    // every explanation names a rule or one of the sub-rules documented in the README
    for (const e of explanation) expect(e.path.startsWith('domain')).toBe(true)
    expect(names.has('default-devices')).toBe(true)
  })
})

describe('video', () => {
  it('adds a video device for graphics and gives it the primary slot 2 on i440fx', () => {
    const { root } = run(pc("<graphics type='vnc'/>"))
    const model = one(root, 'devices/video/model')
    expect(model.attributes).toEqual({ type: 'cirrus', vram: '16384', heads: '1', primary: 'yes' })
    expect(pci(one(root, 'devices/video'))).toBe('0x00:0x02.0x0')
  })

  it('fills QXL sizes and moves the primary video first', () => {
    const videos = "<video><model type='virtio'/></video><video><model type='qxl' primary='yes'/></video>"
    const models = all(run(pc(videos)).root, 'devices/video/model')
    expect(models.map((m) => m.attributes.type)).toEqual(['qxl', 'virtio'])
    expect(models[0]!.attributes).toMatchObject({ ram: '65536', vram: '65536', vgamem: '16384', primary: 'yes' })
    expect(models[1]!.attributes.primary).toBeUndefined()
  })
})

describe('graphics', () => {
  it('gives VNC an automatic port and an address listen', () => {
    const g = one(run(pc("<graphics type='vnc'/>")).root, 'devices/graphics')
    expect(g.attributes).toMatchObject({ port: '-1', autoport: 'yes' })
    expect(one(g, 'listen').attributes).toEqual({ type: 'address' })
  })

  it('takes the audio backend from the last VNC, SPICE or SDL display (others leave it)', () => {
    const audio = (graphics: string) => all(run(pc(graphics)).root, 'devices/audio').map((a) => a.attributes.type)
    expect(audio("<graphics type='spice'/><graphics type='vnc'/>")).toEqual(['none'])
    expect(audio("<graphics type='vnc'/><graphics type='spice'/>")).toEqual(['spice'])
    expect(audio("<graphics type='spice'/><graphics type='egl-headless'/>")).toEqual(['spice'])
    expect(audio("<graphics type='egl-headless'/>")).toEqual([])
    // SDL passes the host's audio through: without libvirtd's QEMU_AUDIO_DRV, no backend at all
    expect(audio("<graphics type='vnc'/><graphics type='sdl'/>")).toEqual([])
    expect(audio("<graphics type='sdl'/><graphics type='vnc'/>")).toEqual(['none'])
  })

  it('gives SPICE without ports a listen of type none and a spice audio backend', () => {
    const { root } = run(pc("<graphics type='spice'/>"))
    expect(one(root, 'devices/graphics/listen').attributes).toEqual({ type: 'none' })
    expect(one(root, 'devices/audio').attributes.type).toBe('spice')
  })
})

describe('disks', () => {
  it('derives bus, driver and drive address from the target name, and adds the controller', () => {
    const { root } = run(pc("<disk type='file' device='cdrom'><source file='/a.iso'/><target dev='hdc'/></disk>"))
    const disk = one(root, 'devices/disk')
    expect(one(disk, 'target').attributes.bus).toBe('ide')
    expect(one(disk, 'driver').attributes).toEqual({ name: 'qemu', type: 'raw' })
    expect(all(disk, 'readonly')).toHaveLength(1)
    expect(one(disk, 'address').attributes).toEqual({ type: 'drive', controller: '0', bus: '1', target: '0', unit: '0' })
    expect(pci(one(root, 'devices/controller[type=ide]'))).toBe('0x00:0x01.0x1')
  })

  it('keeps disks of one bus in target order', () => {
    const disk = (dev: string): string => `<disk type='file' device='disk'><source file='/${dev}.img'/><target dev='${dev}' bus='virtio'/></disk>`
    const { root } = run(pc(disk('vdb') + disk('vda')))
    expect(all(root, 'devices/disk/target').map((t) => t.attributes.dev)).toEqual(['vda', 'vdb'])
    expect(all(root, 'devices/disk').map(pci)).toEqual(['0x00:0x02.0x0', '0x00:0x03.0x0'])
  })
})

describe('serial and console', () => {
  it('pairs a serial port with a console that mirrors it', () => {
    const { root } = run(pc("<serial type='pty'/>"))
    const target = one(root, 'devices/serial/target')
    expect(target.attributes).toEqual({ type: 'isa-serial', port: '0' })
    expect(one(target, 'model').attributes.name).toBe('isa-serial')
    expect(one(root, 'devices/console').attributes.type).toBe('pty')
    expect(one(root, 'devices/console/target').attributes).toEqual({ type: 'serial', port: '0' })
  })

  it('turns a lone console into serial 0 plus its console', () => {
    const { root } = run(pc("<console type='pty'/>"))
    expect(all(root, 'devices/serial')).toHaveLength(1)
    expect(one(root, 'devices/console/target').attributes.type).toBe('serial')
  })

  it('gives virtio channels a virtio-serial controller and ports from 1', () => {
    const channel = (name: string): string => `<channel type='unix'><target type='virtio' name='${name}'/></channel>`
    const { root } = run(pc(channel('a') + channel('b')))
    expect(all(root, 'devices/controller[type=virtio-serial]')).toHaveLength(1)
    expect(all(root, 'devices/channel/address').map((a) => a.attributes.port)).toEqual(['1', '2'])
  })
})

describe('q35', () => {
  const { root } = run(q35("<interface type='user'><model type='virtio'/></interface>"))
  it('adds pcie-root, the SATA controller at 00:1f.2 and the iTCO watchdog', () => {
    expect(one(root, 'devices/controller[type=pci][index=0]').attributes.model).toBe('pcie-root')
    expect(pci(one(root, 'devices/controller[type=sata]'))).toBe('0x00:0x1f.0x2')
    expect(one(root, 'devices/watchdog').attributes).toEqual({ model: 'itco', action: 'reset' })
  })

  it('inserts a pcie-root-port per PCIe device, plus one spare, sharing slot 1 with multifunction', () => {
    const ports = all(root, 'devices/controller[model=pcie-root-port]')
    // NIC, XHCI, balloon and a spare
    expect(ports).toHaveLength(4)
    expect(ports.map(pci)).toEqual(['0x00:0x01.0x0', '0x00:0x01.0x1', '0x00:0x01.0x2', '0x00:0x01.0x3'])
    expect(one(ports[0]!, 'address').attributes.multifunction).toBe('on')
    expect(ports.map((p) => one(p, 'target').attributes)).toEqual([1, 2, 3, 4].map((i) => ({ chassis: String(i), port: `0x${(8 + i - 1).toString(16)}` })))
    expect(one(ports[0]!, 'model').attributes.name).toBe('pcie-root-port')
    expect(pci(one(root, 'devices/interface'))).toBe('0x01:0x00.0x0')
    expect(one(root, 'devices/controller[type=usb]').attributes.model).toBe('qemu-xhci')
    expect(pci(one(root, 'devices/controller[type=usb]'))).toBe('0x02:0x00.0x0')
  })

  it('puts a legacy PCI device behind a pcie-to-pci-bridge', () => {
    const { root: r } = run(q35("<watchdog model='i6300esb'/><memballoon model='none'/>"))
    const bridge = one(r, 'devices/controller[model=pcie-to-pci-bridge]')
    expect(one(bridge, 'model').attributes.name).toBe('pcie-pci-bridge')
    expect(one(r, 'devices/watchdog[model=i6300esb]/address').attributes.bus).toBe(`0x0${bridge.attributes.index}`)
  })

  it("connects each device as libvirt's connect flags say (model's pciConnectTable): virtio-crypto is conventional PCI", () => {
    const { root: r } = run(q35("<crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/></crypto><memballoon model='none'/>"))
    const bridge = one(r, 'devices/controller[model=pcie-to-pci-bridge]')
    expect(one(r, 'devices/crypto/address').attributes.bus).toBe(`0x0${bridge.attributes.index}`)
  })
})

describe('other architectures', () => {
  it('numbers s390 virtio devices on the channel subsystem', () => {
    const caps = capsXml({ arch: 's390x', flags: ['virtio-net'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='host-s390x-cpu'/>" })
    const disk = "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>"
    const { root } = run(domainXml('s390-ccw-virtio', disk, '', 's390x'), { qemuCaps: caps })
    expect(one(root, 'devices/disk/address').attributes).toEqual({ type: 'ccw', cssid: '0xfe', ssid: '0x0', devno: '0x0000' })
    expect(one(root, 'devices/memballoon/address').attributes.devno).toBe('0x0001')
    expect(one(root, 'devices/panic').attributes.model).toBe('s390')
  })

  it('gives ARM virt a GIC: version 2 under TCG, the highest KVM offers under KVM', () => {
    const machines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/><machine type='kvm' name='virt-9.9' alias='virt' default='yes'/>"
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci'], machines, extra: "<gic version='3' kernel='yes' emulated='yes'/><gic version='2' kernel='no' emulated='yes'/>" })
    const tcg = run(domainXml('virt', '', '', 'aarch64'), { qemuCaps: caps })
    expect(one(tcg.root, 'features/gic').attributes.version).toBe('2')
    const kvm = run(domainXml('virt', '', '', 'aarch64').replace("type='qemu'", "type='kvm'"), { qemuCaps: caps })
    expect(one(kvm.root, 'features/gic').attributes.version).toBe('3')
  })
})

describe('notPredicted', () => {
  it('lists host PCI devices, whose PCIe-ness only the host knows', () => {
    const hostdev = "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='6' slot='7' function='0'/></source></hostdev>"
    const { notPredicted, root } = run(q35(hostdev))
    expect(notPredicted.some((n) => n.path.includes('hostdev') && n.reason.includes('sysfs'))).toBe(true)
    expect(one(root, 'devices/hostdev/source/address').attributes).toEqual({ domain: '0x0000', bus: '0x06', slot: '0x07', function: '0x0' })
  })
})

describe('controller-order and virtio-serial ports', () => {
  it('keeps controllers of one type in index order, as the parser inserts them', () => {
    const { root } = run(pc("<controller type='scsi' index='1' model='virtio-scsi'/><controller type='scsi' index='0' model='virtio-scsi'/>"))
    expect(all(root, 'devices/controller[type=scsi]').map((c) => c.attributes.index)).toEqual(['0', '1'])
  })

  it('fills controller 0 up to its ports, then moves on to the next controller', () => {
    const channel = (name: string): string => `<channel type='pty'><target type='virtio' name='${name}'/></channel>`
    const controllers = "<controller type='virtio-serial' index='0' ports='3'/><controller type='virtio-serial' index='1'/>"
    const { root } = run(pc(controllers + channel('a') + channel('b') + channel('c')))
    expect(all(root, 'devices/channel/address').map((a) => `${a.attributes.controller}:${a.attributes.port}`)).toEqual(['0:1', '0:2', '1:1'])
  })
})

describe('iommu-x2apic', () => {
  it('adds an Intel IOMMU with interrupt remapping and EIM, and the split I/O APIC, for more than 255 vCPUs on q35', () => {
    const caps = capsXml({ flags: ['qemu-xhci', 'pcie-root-port', 'intel-iommu', 'intel-iommu.intremap', 'intel-iommu.eim'] })
    const { root } = run(q35('').replace('<vcpu>1</vcpu>', "<vcpu placement='static'>288</vcpu>"), { qemuCaps: caps })
    expect(one(root, 'devices/iommu').attributes.model).toBe('intel')
    expect(one(root, 'devices/iommu/driver').attributes).toEqual({ intremap: 'on', eim: 'on' })
    expect(one(root, 'features/ioapic').attributes.driver).toBe('qemu')
    expect(all(run(q35(''), { qemuCaps: caps }).root, 'devices/iommu')).toHaveLength(0)
  })
})

describe('inactive normalisation', () => {
  it('drops image labels, and on libvirt\'s test host turns a model-less label into none', () => {
    const label = "<seclabel type='static' model='selinux' relabel='yes'><label>a</label><imagelabel>b</imagelabel></seclabel>"
    const dynamic = "<seclabel type='dynamic' relabel='yes'/>"
    const xml = (sec: string): string => pc('').replace('</devices>', `</devices>${sec}`)
    expect(all(run(xml(label)).root, 'seclabel/imagelabel')).toHaveLength(0)
    expect(one(run(xml(dynamic), { testHost: 'latest' }).root, 'seclabel').attributes).toEqual({ type: 'none', model: 'none' })
    const host = run(xml(dynamic))
    expect(one(host.root, 'seclabel').attributes.type).toBe('dynamic')
    expect(host.notPredicted.some((n) => n.path === 'domain/seclabel')).toBe(true)
  })

  it('sums NUMA cells when <memory> is missing and writes node sets as libvirt does', () => {
    const xml = pc('', "<cpu><numa><cell cpus='0' memory='1024' unit='MiB'/></numa></cpu><numatune><memory mode='strict' nodeset='0-2,^1'/></numatune>")
      .replace("<memory unit='MiB'>1024</memory>", '')
    const { root } = run(xml)
    expect(text(one(root, 'memory'))).toBe('1048576')
    expect(one(root, 'cpu/numa/cell').attributes.id).toBe('0')
    expect(one(root, 'numatune/memory').attributes.nodeset).toBe('0,2')
  })
})

describe('virtio-mmio, zPCI and sPAPR VIO', () => {
  const armMachines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>"
  const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'virtio-mmio', 'pcie-root-port'], machines: armMachines })
  const disk = (dev: string, address = ''): string => `<disk type='file' device='disk'><source file='/${dev}'/><target dev='${dev}' bus='virtio'/>${address}</disk>`

  it('keeps virtio-pci on ARM virt, unless a device already uses virtio-mmio', () => {
    expect(one(run(domainXml('virt', disk('vda'), '', 'aarch64'), { qemuCaps: armCaps }).root, 'devices/disk/address').attributes.type).toBe('pci')
    const mixed = run(domainXml('virt', disk('vda', "<address type='virtio-mmio'/>") + disk('vdb'), '', 'aarch64'), { qemuCaps: armCaps })
    expect(all(mixed.root, 'devices/disk/address').map((a) => a.attributes.type)).toEqual(['virtio-mmio', 'virtio-mmio'])
  })

  it('numbers zPCI uid and fid on s390 PCI addresses', () => {
    const caps = capsXml({ arch: 's390x', flags: ['zpci', 'virtio-net', 'vfio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    const hostdev = "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='1' slot='0' function='0'/></source><address type='pci'/></hostdev>"
    const { root } = run(domainXml('s390-ccw-virtio', hostdev, '', 's390x'), { qemuCaps: caps })
    expect(one(root, 'devices/hostdev/address/zpci').attributes).toEqual({ uid: '0x0001', fid: '0x00000000' })
  })

  it('puts pSeries VTY serials and vSCSI controllers on the VIO bus', () => {
    const caps = capsXml({ arch: 'ppc64', flags: ['pci-ohci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
    const { root } = run(domainXml('pseries', "<serial type='pty'/><controller type='scsi' index='0'/>", '', 'ppc64'), { qemuCaps: caps })
    expect(one(root, 'devices/serial/address').attributes).toEqual({ type: 'spapr-vio', reg: '0x30000000' })
    expect(one(root, 'devices/console/address').attributes.reg).toBe('0x30000000')
    expect(one(root, 'devices/controller[type=scsi]').attributes.model).toBe('ibmvscsi')
    expect(one(root, 'devices/controller[type=scsi]/address').attributes.reg).toBe('0x00002000')
    expect(one(root, 'devices/panic').attributes.model).toBe('pseries')
  })
})

describe('metadata-namespaces and expander buses', () => {
  it('keeps the first metadata element of each namespace and drops those without one (libvirtd 9.0)', () => {
    const metadata = "<metadata><plain/><a:x xmlns:a='urn:a'>1</a:x><b:y xmlns:b='urn:b'/><c:x xmlns:c='urn:a'>2</c:x></metadata>"
    const { root } = run(pc('').replace('<memory', `${metadata}<memory`))
    const kept = all(root, 'metadata')[0]!.children.filter((c) => c.type === 'element').map((c) => (c as { name: string }).name)
    expect(kept).toEqual(['a:x', 'b:y'])
  })

  it('gives a pci-expander-bus a busNr two below the lowest in use and a slot on pci-root', () => {
    const { root } = run(pc("<controller type='pci' index='1' model='pci-expander-bus'><target busNr='254'/></controller><controller type='pci' index='2' model='pci-expander-bus'/>"))
    const pxb = all(root, 'devices/controller[model=pci-expander-bus]')
    expect(pxb.map((c) => one(c, 'target').attributes.busNr)).toEqual(['254', '252'])
    expect(pxb.map((c) => one(c, 'model').attributes.name)).toEqual(['pxb', 'pxb'])
    expect(pxb.map(pci)).toEqual(['0x00:0x02.0x0', '0x00:0x03.0x0'])
  })
})

describe('errors', () => {
  it('refuses a domain without <os><type> with preview-no-os-type', () => {
    const xml = "<domain type='qemu'><name>t</name><memory>1024</memory><os/><devices/></domain>"
    expect(() => run(xml)).toThrow(expect.objectContaining({ code: 'preview-no-os-type', path: 'domain/os/type' }))
  })

  it("refuses a document that is not a domain in libvirt's words (virXMLParseHelper; libvirtd 9.0 alike), by its root's local name", () => {
    expect(() => run("<disk type='file'/>")).toThrow(expect.objectContaining({ code: 'preview-invalid-value', message: "expecting root element of 'domain', not 'disk'" }))
    expect(() => run("<n:network xmlns:n='urn:x'/>")).toThrow(expect.objectContaining({ message: "expecting root element of 'domain', not 'network'" }))
  })
  it('reads a prefixed <x:domain> on as libvirt does (its children in no namespace, its own attributes) and writes <domain>', () => {
    const body = "<name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>"
    const plain = previewDomain(`<domain type='qemu'>${body}</domain>`, { qemuCaps: capsXml() }).xml
    expect(previewDomain(`<x:domain xmlns:x='urn:x' type='qemu'>${body}</x:domain>`, { qemuCaps: capsXml() }).xml).toBe(plain)
    // (children of its prefix are in its namespace: libvirt finds no <name> — libvirtd 9.0)
    expect(() => previewDomain("<x:domain xmlns:x='urn:x' type='qemu'><x:name>a</x:name><x:memory>1048576</x:memory></x:domain>", { qemuCaps: capsXml() })).toThrow('missing name information')
  })
})

describe('virsh define (abiUpdate) and libvirt 9.0', () => {
  it('assigns USB ports to a new definition only', () => {
    // (SPICE graphics: libvirt refuses a spicevmc redirection without them)
    const devices = "<graphics type='spice' autoport='yes'/><input type='tablet' bus='usb'/><redirdev bus='usb' type='spicevmc'/>"
    const fresh = run(q35(devices), { abiUpdate: true }).root
    expect(all(fresh, 'devices/input[bus=usb]/address').map((a) => a.attributes)).toEqual([{ type: 'usb', bus: '0', port: '1' }])
    expect(one(fresh, 'devices/redirdev/address').attributes.port).toBe('2')
    expect(all(run(q35(devices)).root, 'devices/input[bus=usb]/address')).toHaveLength(0)
  })

  it('writes features in libvirt\'s order', () => {
    const { root } = run(pc('', "<features><vmcoreinfo/><apic/><acpi/></features>"))
    expect(one(root, 'features').children.filter((c) => c.type === 'element').map((c) => (c as { name: string }).name)).toEqual(['acpi', 'apic', 'vmcoreinfo'])
  })

  it('adds SCSI disk controllers before SATA ones', () => {
    const disk = (dev: string, bus: string): string => `<disk type='file' device='disk'><source file='/${dev}'/><target dev='${dev}' bus='${bus}'/></disk>`
    const types = all(run(pc(disk('sda', 'sata') + disk('sdb', 'scsi'))).root, 'devices/controller').map((c) => c.attributes.type)
    expect(types.indexOf('scsi')).toBeLessThan(types.indexOf('sata'))
  })

  it('reproduces libvirt 9.0: no topology clusters, no firmware image formats', () => {
    const xml = pc('', "<features><acpi/></features><cpu><topology sockets='1' cores='2' threads='1'/></cpu>").replace('<vcpu>1</vcpu>', '<vcpu>2</vcpu>').replace('</os>', "<loader readonly='yes' type='pflash'>/fw/CODE.fd</loader></os>")
    const nine = run(xml, { libvirtVersion: 9_000_000 }).root
    expect(one(nine, 'cpu/topology').attributes.clusters).toBeUndefined()
    expect(one(nine, 'os/loader').attributes.format).toBeUndefined()
    const eleven = run(xml).root
    expect(one(eleven, 'cpu/topology').attributes.clusters).toBe('1')
    expect(one(eleven, 'os/loader').attributes.format).toBe('raw')
  })

  it('reproduces libvirt 9.0: what its parser did not know yet is dropped (its schema has no such attribute), 11.3 keeps it', () => {
    const xml = pc("<disk type='file' device='disk'><driver name='qemu' type='qcow2' discard='unmap' discard_no_unref='on'/><source file='/i/a.qcow2'/><target dev='vda' bus='virtio'/><blockio logical_block_size='512' discard_granularity='4096'/></disk>", "<cpu mode='host-passthrough'><maxphysaddr mode='passthrough' limit='39'/></cpu>")
    const nine = run(xml, { libvirtVersion: 9_000_000 })
    expect(one(nine.root, 'devices/disk/driver').attributes.discard_no_unref).toBeUndefined()
    expect(one(nine.root, 'devices/disk/blockio').attributes.discard_granularity).toBeUndefined()
    expect(one(nine.root, 'cpu/maxphysaddr').attributes.limit).toBeUndefined()
    expect(nine.explanation.filter((e) => e.rule === 'unread').map((e) => e.path)).toEqual(['domain/cpu/maxphysaddr', 'domain/devices/disk/driver', 'domain/devices/disk/blockio'])
    const eleven = run(xml).root
    expect(one(eleven, 'devices/disk/driver').attributes.discard_no_unref).toBe('on')
    expect(one(eleven, 'cpu/maxphysaddr').attributes.limit).toBe('39')
  })

  it("a disk's or an interface's source keeps the children its type reads: a network disk's hosts, a host device NIC's address (libvirtd 9.0 dropped the rest)", () => {
    const disk = (type: string, source: string) => pc(`<disk type='${type}' device='disk'><driver name='qemu' type='raw'/>${source}<target dev='vda' bus='virtio'/></disk>`)
    const block = run(disk('block', "<source dev='/dev/vg/a'><host name='mon2.example.org' port='6322'/><seclabel model='dac' relabel='no'/></source>"))
    expect(all(block.root, 'devices/disk/source/host')).toHaveLength(0)
    expect(all(block.root, 'devices/disk/source/seclabel')).toHaveLength(1)
    expect(block.explanation.filter((e) => e.rule === 'unread').map((e) => e.path)).toEqual(['domain/devices/disk/source/host'])
    const file = run(disk('file', "<source file='/i/a.img'><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></source>")).root
    expect(all(file, 'devices/disk/source/address')).toHaveLength(0)
    const network = run(disk('network', "<source protocol='nbd' name='a'><host name='example.org' port='10809'/></source>")).root
    expect(all(network, 'devices/disk/source/host')).toHaveLength(1)
    // an interface's source likewise, by the interface's type (a host device's address stays; a network's goes)
    const nic = (type: string, source: string) => pc(`<interface type='${type}'>${source}<model type='virtio'/></interface>`)
    expect(all(run(nic('network', "<source network='default'><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></source>")).root, 'devices/interface/source/address')).toHaveLength(0)
    expect(all(run(nic('hostdev', "<source><address type='pci' domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source>")).root, 'devices/interface/source/address')).toHaveLength(1)
  })

  it('reproduces libvirt 9.0: no iTCO watchdog, new PCI controllers after all controllers', () => {
    const nine = run(q35("<interface type='user'><model type='virtio'/></interface>"), { libvirtVersion: 9_000_000 }).root
    expect(all(nine, 'devices/watchdog')).toHaveLength(0)
    const kinds = all(nine, 'devices/controller').map((c) => `${c.attributes.type}${c.attributes.type === 'pci' ? c.attributes.index : ''}`)
    expect(kinds.indexOf('pci1')).toBeGreaterThan(kinds.indexOf('sata'))
    const eleven = run(q35("<interface type='user'><model type='virtio'/></interface>")).root
    const kinds11 = all(eleven, 'devices/controller').map((c) => `${c.attributes.type}${c.attributes.type === 'pci' ? c.attributes.index : ''}`)
    expect(kinds11.indexOf('pci1')).toBe(kinds11.indexOf('pci0') + 1)
    expect(all(eleven, 'devices/watchdog[model=itco]')).toHaveLength(1)
  })
})

describe('what a running guest\'s XML holds, defined again (`virsh dumpxml` of a running domain; each seen on libvirtd 9.0)', () => {
  it('device aliases are dropped but a user\'s own (`ua-` and letters, digits, `_`, `-`); a pty\'s path and `tty` are dropped', () => {
    const result = run(pc(`<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
      <interface type='user'><mac address='52:54:00:00:00:31'/><alias name='ua-net_1'/></interface>
      <controller type='usb' model='piix3-uhci'><alias name='ua-bad.name'/></controller>
      <serial type='pty'><source path='/dev/pts/3'/><alias name='serial0'/></serial>
      <console type='pty' tty='/dev/pts/3'><source path='/dev/pts/3'/><target type='serial'/><alias name='serial0'/></console>`))
    expect(all(result.root, 'devices/disk/alias')).toHaveLength(0)
    expect(one(result.root, 'devices/interface/alias').attributes.name).toBe('ua-net_1')
    expect(all(result.root, 'devices/controller[type=usb]/alias')).toHaveLength(0)
    expect(all(result.root, 'devices/serial/source')).toHaveLength(0)
    expect(one(result.root, 'devices/console').attributes).toEqual({ type: 'pty' })
    expect(result.explanation.filter((e) => e.rule === 'inactive-live-state').length).toBeGreaterThanOrEqual(4)
  })

  it('a network\'s port, bridge and device, a target name libvirt generated and a network listen\'s address are the running domain\'s', () => {
    const result = run(pc(`<interface type='network'><mac address='52:54:00:00:00:32'/><source network='default' portgroup='web' portid='5c6bd1d4-1e4e-4c6b-8b55-9f6bd1f8d1aa' bridge='virbr0'/><target dev='vnet3'/><model type='virtio'/></interface>
      <interface type='direct'><mac address='52:54:00:00:00:33'/><source dev='eth0' mode='bridge'/><target dev='macvtap0'/><model type='virtio'/></interface>
      <interface type='ethernet'><mac address='52:54:00:00:00:34'/><target dev='vnet9' managed='no'/><model type='virtio'/></interface>
      <graphics type='spice' autoport='yes'><listen type='network' address='192.168.122.1' network='default'/></graphics>`))
    const [network, direct, ethernet] = all(result.root, 'devices/interface')
    expect(one(network!, 'source').attributes).toEqual({ network: 'default', portgroup: 'web' })
    expect(all(network!, 'target')).toHaveLength(0)
    expect(all(direct!, 'target')).toHaveLength(0)
    // (a tap the user manages keeps its name)
    expect(one(ethernet!, 'target').attributes).toEqual({ dev: 'vnet9', managed: 'no' })
    expect(one(result.root, 'devices/graphics/listen').attributes).toEqual({ type: 'network', network: 'default' })
  })

  it('a serial console\'s alias is its serial port\'s: a console alone moves to the port with its alias; beside one, it mirrors the port\'s', () => {
    const alone = run(pc("<console type='pty'><alias name='ua-con'/></console>")).root
    expect([one(alone, 'devices/serial/alias').attributes.name, one(alone, 'devices/console/alias').attributes.name]).toEqual(['ua-con', 'ua-con'])
    const beside = run(pc("<serial type='pty'/><console type='pty'><alias name='ua-con'/></console>")).root
    expect(all(beside, 'devices/console/alias')).toHaveLength(0)
  })

  it('no alias at all where libvirt keeps no device info: graphics, audio, a USB filter, a USB controller or balloon of model none', () => {
    const root = run(pc("<controller type='usb' index='0' model='none'><alias name='ua-c0'/></controller><graphics type='vnc'><alias name='ua-g0'/></graphics><audio id='1' type='none'><alias name='ua-a0'/></audio><memballoon model='none'><alias name='ua-mb'/></memballoon><redirfilter><usbdev allow='yes'/><alias name='ua-rf'/></redirfilter><input type='mouse' bus='ps2'><alias name='ua-in'/></input>")).root
    expect(['controller', 'graphics', 'audio', 'memballoon', 'redirfilter'].flatMap((k) => all(root, `devices/${k}/alias`))).toEqual([])
    expect(one(root, 'devices/input[type=mouse]/alias').attributes.name).toBe('ua-in')
  })

  it('a user\'s alias names one device: a second is refused, but for the serial port a console mirrors', () => {
    const twice = pc("<video><model type='vga'/><alias name='ua-v'/></video><disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/><alias name='ua-v'/></disk>")
    expect(() => run(twice)).toThrow('non unique alias detected: ua-v')
    expect(run(pc("<serial type='pty'><alias name='ua-s'/></serial><console type='pty'><alias name='ua-s'/></console>")).xml).toContain("<alias name='ua-s'/>")
    // (a virtio console beside an ISA serial port: the port is still mirrored by the serial console libvirt adds)
    expect(run(pc("<serial type='pty'><alias name='ua-s'/></serial><console type='pty'><target type='virtio'/><alias name='ua-s'/></console>")).xml).toContain("<alias name='ua-s'/>")
    // (a PCI serial port is no console: both count)
    expect(() => run(q35("<serial type='pty'><target type='pci-serial'/><alias name='ua-s'/></serial><console type='pty'><target type='virtio'/><alias name='ua-s'/></console>"))).toThrow('non unique alias detected: ua-s')
  })

  it('a vsock\'s CID is chosen at start unless one is given; a CID of 0 or that does not read is refused', () => {
    expect(one(run(pc('<vsock/>')).root, 'devices/vsock/cid').attributes).toEqual({ auto: 'yes' })
    expect(one(run(pc("<vsock><cid address='7'/></vsock>")).root, 'devices/vsock/cid').attributes).toEqual({ auto: 'no', address: '7' })
    expect(one(run(pc("<vsock><cid auto='yes' address='9'/></vsock>")).root, 'devices/vsock/cid').attributes).toEqual({ auto: 'yes', address: '9' })
    expect(() => run(pc("<vsock><cid address='0'/></vsock>"))).toThrow("Invalid value for attribute 'address' in element 'cid': Zero is not permitted")
    expect(() => run(pc("<vsock><cid address='x'/></vsock>"))).toThrow("Invalid value for attribute 'address' in element 'cid': 'x'. Expected non-negative integer value")
    expect(() => run(pc("<vsock><cid auto='maybe'/></vsock>"))).toThrow("Invalid value for attribute 'auto' in element 'cid': 'maybe'.")
  })
})

describe('memory hot-plug without guest NUMA (qemuDomainDefNumaAutoAdd, libvirt 11; memory-hotplug-ppc64-nonuma)', () => {
  const hotplug = q35("<memory model='dimm'><target><size unit='KiB'>524288</size></target></memory>", "<maxMemory slots='16' unit='KiB'>4194304</maxMemory><vcpu>2</vcpu>").replace('<vcpu>1</vcpu>', '')
  it('with an ABI update (virsh define) libvirt 11 adds a node holding what the devices do not, with every vCPU; the devices go on it', () => {
    const root = run(hotplug, { abiUpdate: true }).root
    expect(one(root, 'cpu/numa/cell').attributes).toEqual({ id: '0', cpus: '0-1', memory: '524288', unit: 'KiB' })
    expect(text(one(root, 'devices/memory/target/node'))).toBe('0')
    expect(text(one(root, 'memory'))).toBe('1048576')
  })
  it('without an ABI update, or on libvirt 9.0, guest NUMA is required', () => {
    expect(() => run(hotplug)).toThrow('At least one numa node has to be configured when enabling memory hotplug')
    expect(() => run(hotplug, { abiUpdate: true, libvirtVersion: 9_000_000 })).toThrow('At least one numa node has to be configured when enabling memory hotplug')
  })
  it('devices larger than the memory are refused', () => {
    const big = hotplug.replace("<size unit='KiB'>524288</size>", "<size unit='KiB'>2097152</size>")
    expect(() => run(big, { abiUpdate: true })).toThrow('Total size of memory devices exceeds the total memory size')
  })
})

describe("what libvirt 9.0.0's own test suite showed (tools/libvirt-heldout.ts --release 9.0.0)", () => {
  const nine = { libvirtVersion: 9_000_000 }
  it("an HTTP disk source's cookies are written only with securityInfo, in every version (VIR_DOMAIN_DEF_FORMAT_SECURE)", () => {
    const disk = pc("<disk type='network' device='disk'><source protocol='https' name='x.img'><host name='h' port='443'/><cookies><cookie name='a'>b</cookie></cookies></source><target dev='vda' bus='virtio'/></disk>")
    for (const o of [{}, nine]) {
      expect(run(disk, o).xml).not.toContain('<cookies>')
      expect(run(disk, { ...o, securityInfo: true }).xml).toContain("<cookie name='a'>b</cookie>")
    }
  })
  it('an emulated TPM\'s version: 11 picks 2.0 but for TIS on x86; 9.0 picked 1.2 but for sPAPR, CRB and ARM virt (a RISC-V TIS TPM: seen on libvirtd 9.0)', () => {
    const caps = capsXml({ arch: 'riscv64', flags: ['gpex-pcihost', 'tpm-tis', 'tpm-emulator'], machines: "<machine type='tcg' name='virt' default='yes'/>" })
    const tpm = (model: string) => domainXml('virt', `<tpm model='${model}'><backend type='emulator'/></tpm>`, '', 'riscv64')
    expect(one(run(tpm('tpm-tis'), { qemuCaps: caps, ...nine }).root, 'devices/tpm/backend').attributes.version).toBe('1.2')
    expect(one(run(tpm('tpm-tis'), { qemuCaps: caps }).root, 'devices/tpm/backend').attributes.version).toBe('2.0')
    expect(one(run(pc("<tpm model='tpm-crb'><backend type='emulator'/></tpm>"), nine).root, 'devices/tpm/backend').attributes.version).toBe('2.0')
    expect(one(run(pc("<tpm model='tpm-tis'><backend type='emulator'/></tpm>"), nine).root, 'devices/tpm/backend').attributes.version).toBe('1.2')
  })

  it("a virtio channel's socket under 9.0's test host's channel directory (/tmp/channel) is generated there (dropped), a system daemon's directory is not (user-aliases)", () => {
    const channel = (path: string) => pc(`<channel type='unix'><source mode='bind' path='${path}'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>`)
    const system = '/var/lib/libvirt/qemu/channel/target/gentoo.org.qemu.guest_agent.0'
    const test = '/tmp/channel/gentoo.org.qemu.guest_agent.0'
    const source = (xml: string, o: object) => all(run(xml, { ...nine, ...o }).root, 'devices/channel/source')[0]?.attributes.path
    expect(source(channel(system), {})).toBeUndefined()
    expect(source(channel(system), { testHost: 'latest' })).toBe(system)
    expect(source(channel(test), { testHost: 'latest' })).toBeUndefined()
    expect(source(channel(test), {})).toBe(test)
  })

  it("an s390 KVM domain whose default CPU is the host's: host-model, but host-passthrough on the machine types KVM takes no model on (s390-default-cpu-kvm-ccw-virtio-2.7)", () => {
    const caps = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: ['2.7', '4.2'].map((v) => `<machine type='kvm' name='s390-ccw-virtio-${v}' defaultCPU='host-s390x-cpu'/>`).join('') + "<machine type='tcg' name='s390-ccw-virtio-4.2' defaultCPU='qemu-s390x-cpu'/>" })
    const s390 = (machine: string, type = 'kvm') => domainXml(machine, '', '', 's390x').replace("type='qemu'", `type='${type}'`)
    for (const o of [{}, nine]) {
      expect(one(run(s390('s390-ccw-virtio-2.7'), { qemuCaps: caps, ...o }).root, 'cpu').attributes).toEqual({ mode: 'host-passthrough', check: 'none' })
      expect(one(run(s390('s390-ccw-virtio-4.2'), { qemuCaps: caps, ...o }).root, 'cpu').attributes).toEqual({ mode: 'host-model', check: 'partial' })
    }
  })

  it("an external TPM's socket is kept by 9.0 (only an emulated TPM's state source is newer)", () => {
    const tpm = pc("<tpm model='tpm-tis'><backend type='external'><source type='unix' mode='connect' path='/tmp/path.sock'/></backend></tpm>")
    expect(one(run(tpm, nine).root, 'devices/tpm/backend/source').attributes).toEqual({ type: 'unix', mode: 'connect', path: '/tmp/path.sock' })
  })
  it('libvirt 9.0 writes out that enrolled keys imply secure boot, and refuses them with secure boot off', () => {
    const efi = (features: string) => pc('', `<os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type><firmware>${features}</firmware></os>`).replace(/<os><type[^<]*<\/type><\/os>/, '')
    const acpi = (xml: string) => xml.replace('</os>', '</os><features><acpi/></features>')
    expect(all(run(acpi(efi("<feature enabled='yes' name='enrolled-keys'/>")), nine).root, 'os/firmware/feature').map((f) => f.attributes)).toEqual([{ enabled: 'yes', name: 'enrolled-keys' }, { enabled: 'yes', name: 'secure-boot' }])
    // (a post-parse refusal: before what validation refuses — here UEFI without ACPI)
    expect(() => run(efi("<feature enabled='yes' name='enrolled-keys'/><feature enabled='no' name='secure-boot'/>"), nine)).toThrow("firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled")
  })
})

describe('what libvirtd 9.0 adds on arches other than x86, s390 and ppc64 (its qemuDomainDefAddDefaultDevices; each seen on the sandbox daemon)', () => {
  const nine = { libvirtVersion: 9_000_000 }
  const names = (root: ReturnType<typeof run>['root']) => kids(one(root, 'devices')).map((e) => `${e.name}${e.attributes.model ? `:${e.attributes.model}` : ''}`)
  const arm = (machine: string, arch: string, devices = '') => domainXml(machine, devices, '', arch)
  const armCaps = (arch: string, machine: string, flags: string[] = ['pci-ohci', 'netdev.user']) => capsXml({ arch, flags, machines: `<machine type='tcg' name='${machine}' default='yes'/>` })

  it('ARM versatilepb and realview: no USB controller and no PCI root on armv7l and aarch64, a PCI root on armv6l; 11.3 adds a USB controller, and a PCI root on versatilepb only', () => {
    for (const [arch, machine] of [['armv7l', 'versatilepb'], ['aarch64', 'versatilepb'], ['armv7l', 'realview-eb'], ['aarch64', 'realview-eb']] as const) {
      const caps = armCaps(arch === 'aarch64' ? 'aarch64' : 'armv7l', machine)
      expect(names(run(arm(machine, arch), { qemuCaps: caps, ...nine }).root)).toEqual(['emulator', 'audio'])
      // (libvirtd 11.3, Debian trixie: realview-eb's USB controller without a PCI root)
      expect(names(run(arm(machine, arch), { qemuCaps: caps }).root)).toEqual(machine === 'versatilepb' ? ['emulator', 'controller:pci-ohci', 'controller:pci-root', 'audio'] : ['emulator', 'controller:pci-ohci', 'audio'])
    }
    // (qemu-system-arm runs armv6l guests: virQEMUCapsIsArchSupported)
    const v6 = run(arm('versatilepb', 'armv6l', "<interface type='user'><mac address='52:54:00:00:00:21'/></interface>"), { qemuCaps: armCaps('armv7l', 'versatilepb'), ...nine }).root
    expect(names(v6)).toEqual(['emulator', 'controller:pci-root', 'interface', 'audio'])
    expect(pci(one(v6, 'devices/interface'))).toBe('0x00:0x01.0x0')
    // (a PCI device on a 9.0 armv7l versatilepb has no bus to go to)
    expect(() => run(arm('versatilepb', 'armv7l', "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"), { qemuCaps: armCaps('armv7l', 'versatilepb'), ...nine })).toThrow('No PCI buses available')
  })

  it('ARM and RISC-V virt: a PCIe root only where QEMU has the generic host bridge; a balloon on every RISC-V machine', () => {
    const withGpex = armCaps('aarch64', 'virt', ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost'])
    const without = armCaps('aarch64', 'virt', ['qemu-xhci', 'pcie-root-port'])
    expect(names(run(arm('virt', 'aarch64'), { qemuCaps: withGpex, ...nine }).root)).toContain('controller:pcie-root')
    expect(names(run(arm('virt', 'aarch64'), { qemuCaps: without, ...nine }).root)).not.toContain('controller:pcie-root')
    expect(names(run(arm('virt', 'aarch64'), { qemuCaps: without }).root)).toContain('controller:pcie-root')
    const sifive = armCaps('riscv64', 'sifive_u', ['virtio-balloon-pci'])
    expect(names(run(arm('sifive_u', 'riscv64'), { qemuCaps: sifive, ...nine }).root)).toContain('memballoon:virtio')
    expect(names(run(arm('sifive_u', 'riscv64'), { qemuCaps: sifive }).root)).toContain('memballoon:virtio')
  })

  it('the arches 9.0 did not name get a USB controller and a balloon, which a machine without PCI then refuses; 11.3 adds neither', () => {
    const caps = armCaps('m68k', 'q800', ['pci-ohci'])
    expect(() => run(arm('q800', 'm68k'), { qemuCaps: caps, ...nine })).toThrow('No PCI buses available')
    expect(names(run(arm('q800', 'm68k'), { qemuCaps: caps }).root)).toEqual(['emulator', 'audio'])
  })

  it('with a virtio-mmio device on ARM virt, every SCSI controller goes on virtio-mmio, whatever its model; filesystems and the vsock stay on PCI', () => {
    const caps = capsXml({ arch: 'aarch64', flags: ['pci-ohci', 'netdev.user', 'qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'virtio-mmio', 'lsi', 'vhost-user-fs', 'vhost-vsock'], machines: "<machine type='tcg' name='virt' default='yes' defaultRAMid='mach-virt.ram'/>" })
    const devices = "<memballoon model='virtio'><address type='virtio-mmio'/></memballoon><controller type='scsi' model='lsilogic'/><vsock/><filesystem type='mount'><driver type='virtiofs'/><source dir='/srv'/><target dir='t'/></filesystem>"
    const root = run(domainXml('virt', devices, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>", 'aarch64'), { qemuCaps: caps, ...nine }).root
    expect(one(root, 'devices/controller[type=scsi]/address').attributes).toEqual({ type: 'virtio-mmio' })
    expect(one(root, 'devices/vsock/address').attributes.type).toBe('pci')
    expect(one(root, 'devices/filesystem/address').attributes.type).toBe('pci')
    // (virDomainFSDefPostParse: pass-through unless written, virtiofs too — but not a virtiofs daemon over a socket)
    expect(one(root, 'devices/filesystem').attributes.accessmode).toBe('passthrough')
    const socket = run(pc("<filesystem type='mount'><driver type='virtiofs'/><source socket='/tmp/vfsd.sock'/><target dir='t'/></filesystem>", "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")).root
    expect(one(socket, 'devices/filesystem').attributes.accessmode).toBeUndefined()
  })

  it('no default CPU model for RISC-V on 9.0, which had no CPU driver for it; 11.3 writes QEMU\'s', () => {
    const caps = capsXml({ arch: 'riscv64', flags: ['gpex-pcihost'], machines: "<machine type='tcg' name='spike' default='yes' defaultCPU='rv64-riscv-cpu'/>" })
    expect(run(arm('spike', 'riscv64'), { qemuCaps: caps, ...nine }).xml).not.toContain('<cpu')
    expect(run(arm('spike', 'riscv64'), { qemuCaps: caps }).xml).toContain("<model fallback='forbid'>rv64</model>")
  })
})

describe('what libvirt 11.3 test pairs beyond the shared corpus showed', () => {
  it('a NIC model libvirt knows is stored in its spelling; a name with other characters is refused', () => {
    const nic = (model: string) => pc(`<interface type='user'><mac address='52:54:00:00:00:01'/><model type='${model}'/></interface>`)
    expect(one(run(nic('ViRtIo')).root, 'devices/interface/model').attributes.type).toBe('virtio')
    expect(one(run(nic('am79c973')).root, 'devices/interface/model').attributes.type).toBe('Am79C973')
    expect(one(run(nic('my_nic-1')).root, 'devices/interface/model').attributes.type).toBe('my_nic-1')
    expect(() => run(nic('bad model'))).toThrow('Model name contains invalid characters')
  })

  it('versatilepb\'s default NIC is written in libvirt\'s spelling of its enum, `scm91c111`, and takes a PCI slot like any NIC but a USB one', () => {
    const caps = capsXml({ arch: 'armv7l', flags: ['pci-ohci', 'netdev.user'], machines: "<machine type='tcg' name='versatilepb' default='yes'/>" })
    const nic = (address: string) => domainXml('versatilepb', `<interface type='user'><mac address='52:54:00:00:00:21'/>${address}</interface>`, '', 'armv7l')
    expect(one(run(nic("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"), { qemuCaps: caps }).root, 'devices/interface/model').attributes.type).toBe('scm91c111')
    // (qemuDomainDeviceCalculatePCIConnectFlags: PCI flags for every NIC model but usb-net; seen on libvirtd 9.0 with armv6l)
    const placed = run(nic(''), { qemuCaps: caps }).root
    // (qemuDomainAssignDevicePCISlots: NICs before the USB controller)
    expect(one(placed, 'devices/interface/address').attributes).toMatchObject({ type: 'pci', bus: '0x00', slot: '0x01' })
    expect(one(placed, 'devices/controller[type=usb]/address').attributes).toMatchObject({ type: 'pci', bus: '0x00', slot: '0x02' })
  })

  it('a PCI root\'s 64-bit hole is stored in KiB; an SMM TSEG size in the largest unit that divides it', () => {
    const hole = one(run(pc("<controller type='pci' index='0' model='pci-root'><pcihole64 unit='GiB'>1</pcihole64></controller>")).root, 'devices/controller/pcihole64')
    expect([hole.attributes, text(hole)]).toEqual([{ unit: 'KiB' }, '1048576'])
    const tseg = one(run(q35('', "<features><smm state='on'><tseg unit='KiB'>49152</tseg></smm></features>")).root, 'features/smm/tseg')
    expect([tseg.attributes, text(tseg)]).toEqual([{ unit: 'MiB' }, '48'])
  })

  it('every subsystem host device is written managed or not; a disk chain loses its live indexes', () => {
    const usb = one(run(pc("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>")).root, 'devices/hostdev')
    expect(usb.attributes).toEqual({ mode: 'subsystem', type: 'usb', managed: 'no' })
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2' index='3'/><backingStore type='file' index='2'><format type='raw'/><source file='/b.raw'/></backingStore><target dev='vda' bus='virtio'/></disk>"
    const { root } = run(pc(disk))
    expect(one(root, 'devices/disk/source').attributes).toEqual({ file: '/a.qcow2' })
    expect(one(root, 'devices/disk/backingStore').attributes).toEqual({ type: 'file' })
    expect(one(root, 'devices/disk/target').attributes).toEqual({ dev: 'vda', bus: 'virtio' })
  })

  it('memory tuning without a placement or node set is automatic unless the vCPUs are static; automatic memory placement makes unpinned vCPUs automatic', () => {
    const auto = run(pc('', "<numatune><memory mode='preferred'/></numatune>").replace('<vcpu>1</vcpu>', "<vcpu placement='auto'>1</vcpu>")).root
    expect(one(auto, 'numatune/memory').attributes).toEqual({ mode: 'preferred', placement: 'auto' })
    const vcpus = run(pc('', "<numatune><memory mode='interleave' placement='auto'/></numatune>").replace('<vcpu>1</vcpu>', "<vcpu placement='static'>1</vcpu>")).root
    expect(one(vcpus, 'vcpu').attributes.placement).toBe('auto')
    const pinned = run(pc('', "<numatune><memory mode='interleave' placement='auto'/></numatune><cputune><emulatorpin cpuset='0'/></cputune>")).root
    expect(one(pinned, 'vcpu').attributes.placement).toBe('static')
  })
})

describe('what libvirt 11.3 test pairs beyond the shared corpus showed (interfaces, disk sources)', () => {
  it('interfaces: a filter only on network, bridge and ethernet ones; no port ID; a host device one keeps only the virtio options of <driver>', () => {
    const { root } = run(pc("<interface type='hostdev' managed='yes'><mac address='00:11:22:33:44:55'/><source><address type='pci' domain='0x0000' bus='0x06' slot='0x12' function='0x1'/></source><model type='virtio'/><filterref filter='f'/><driver queues='4' iommu='on'/></interface>"
      + "<interface type='network'><mac address='00:11:22:33:44:57'/><source network='default' portid='873be5a0-6b8a-4a0b-a1df-ef3659cd64bc'/><filterref filter='f'/></interface>"))
    const [hostdev, network] = all(root, 'devices/interface')
    expect(all(hostdev!, 'filterref')).toHaveLength(0)
    expect(one(hostdev!, 'driver').attributes).toEqual({ iommu: 'on' })
    expect(one(network!, 'source').attributes).toEqual({ network: 'default' })
    expect(all(network!, 'filterref')).toHaveLength(1)
  })

  it('a D-Bus USB redirection without a channel takes QEMU\'s usbredir channel', () => {
    const { root } = run(pc("<graphics type='dbus'/><controller type='usb' model='qemu-xhci'/><redirdev bus='usb' type='dbus'/>"))
    expect(one(root, 'devices/redirdev/source').attributes).toEqual({ channel: 'org.qemu.usbredir' })
  })

  it('a USB address is written as libvirt reads it (port path levels joined by dots, the bus a number); a mediated device\'s UUID canonical', () => {
    const { root } = run(pc("<controller type='usb' index='0' model='qemu-xhci'/><hub type='usb'><address type='usb' bus='00' port='+1'/></hub><input type='tablet' bus='usb'><address type='usb' bus='0' port='1 2'/></input>"))
    expect([...all(root, 'devices/hub/address'), ...all(root, 'devices/input[bus=usb]/address')].map((a) => `${a.attributes.bus}:${a.attributes.port}`)).toEqual(['0:1', '0:1.2'])
    const mdev = run(pc("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid=' 53764D0E-85A0-42B4-AF5C-2046B460B1DC '/></source></hostdev>")).root
    expect(one(mdev, 'devices/hostdev/source/address').attributes.uuid).toBe('53764d0e-85a0-42b4-af5c-2046b460b1dc')
  })

  it('devices written in several <devices> blocks are read as one (the first emulator); a balloon\'s statistics period 0 is not written; an RNG writes its rate first', () => {
    const xml = pc("<rng model='virtio'><backend model='random'>/dev/random</backend><rate period='1000' bytes='2048'/></rng>").replace('</devices>', "</devices><devices><emulator>/other</emulator><memballoon model='virtio'><stats period='0'/></memballoon></devices>")
    const { root } = run(xml)
    expect(all(root, 'devices')).toHaveLength(1)
    expect(all(root, 'devices/emulator')).toHaveLength(1)
    expect(all(root, 'devices/memballoon/stats')).toHaveLength(0)
    expect(one(root, 'devices/rng').children.filter((c) => c.type === 'element').map((c) => (c as { name: string }).name)).toEqual(['rate', 'backend', 'address'])
  })

  it('a disk source writes its slices before its encryption; backing images\' encryption takes the qemu engine', () => {
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption><slices><slice type='storage' offset='1234' size='321'/></slices></source>"
      + "<backingStore type='file'><format type='qcow2'/><source file='/b.qcow2'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption></source></backingStore><target dev='vda' bus='virtio'/></disk>"
    const { root } = run(pc(disk))
    expect(one(root, 'devices/disk/source').children.filter((c) => c.type === 'element').map((c) => (c as { name: string }).name)).toEqual(['slices', 'encryption'])
    expect(one(root, 'devices/disk/backingStore/source/encryption').attributes.engine).toBe('qemu')
  })
})

describe('what libvirt 11.3 test pairs beyond the shared corpus showed (other architectures, shared memory, Hyper-V)', () => {
  const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'virtio-mem-ccw', 'vfio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
  const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'tpm-spapr', 'tpm-emulator'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
  const s390 = (devices: string, extra = '') => domainXml('s390-ccw-virtio', devices, extra, 's390x')
  const disk = (dev: string, address: string) => `<disk type='file' device='disk'><source file='/${dev}.img'/><target dev='${dev}' bus='virtio'/>${address}</disk>`

  it('an empty CCW address is assigned (from fe.0.0000, a written 0.0.0000 taking nothing from it)', () => {
    const { root } = run(s390(disk('vda', "<address type='ccw' cssid='0x0' ssid='0x0' devno='0x0000'/>") + disk('vdb', "<address type='ccw'/>")), { qemuCaps: s390Caps })
    expect(all(root, 'devices/disk/address').map((a) => `${a.attributes.cssid}.${a.attributes.ssid}.${a.attributes.devno}`)).toEqual(['0x0.0x0.0x0000', '0xfe.0x0.0x0000'])
  })

  it('zPCI: devices naming a uid or fid are completed first, then the others', () => {
    const host = (slot: string, zpci: string) => `<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x00' slot='${slot}' function='0x0'/></source><address type='pci'>${zpci}</address></hostdev>`
    const { root } = run(s390(host('0x01', '') + host('0x02', "<zpci uid='0x0053'/>")), { qemuCaps: s390Caps })
    expect(all(root, 'devices/hostdev/address/zpci').map((z) => `${z.attributes.uid}/${z.attributes.fid}`)).toEqual(['0x0001/0x00000001', '0x0053/0x00000000'])
  })

  it('a pSeries TPM gets a spapr-vio address at 0x4000', () => {
    const { root } = run(domainXml('pseries', "<tpm model='tpm-spapr'><backend type='emulator' version='2.0'/></tpm>", '', 'ppc64'), { qemuCaps: ppcCaps })
    expect(one(root, 'devices/tpm/address').attributes).toEqual({ type: 'spapr-vio', reg: '0x00004000' })
  })

  it('shared memory: 4 MiB unless a doorbell; a doorbell with a server has MSI with ioeventfd', () => {
    const { root } = run(pc("<shmem name='a'><model type='ivshmem-plain'/></shmem><shmem name='b'><model type='ivshmem-doorbell'/><server path='/tmp/s'/></shmem>"))
    const [plain, doorbell] = all(root, 'devices/shmem')
    expect(one(plain!, 'size').attributes).toEqual({ unit: 'M' })
    expect(text(one(plain!, 'size'))).toBe('4')
    expect(all(doorbell!, 'size')).toHaveLength(0)
    expect(one(doorbell!, 'msi').attributes).toEqual({ ioeventfd: 'on' })
  })

  it('Hyper-V in passthrough mode without features is written open and closed, as libvirt\'s formatter does', () => {
    expect(run(pc('', "<features><hyperv mode='passthrough'/></features>")).xml).toContain("<hyperv mode='passthrough'>\n    </hyperv>")
  })
})

describe('what libvirt 11.3 test pairs beyond the shared corpus showed (controllers, consoles, channels, defaults)', () => {
  it('root ports go up the slots in one pass: an empty slot before the free functions of a later one', () => {
    const ports = Array.from({ length: 10 }, (_, i) => `<controller type='pci' index='${i + 1}' model='pcie-root-port'/>`).join('')
    const { root } = run(q35(`${ports}<video><model type='none'/></video>`))
    const slots = all(root, 'devices/controller[model=pcie-root-port]/address').map((a) => `${a.attributes.slot}.${a.attributes.function}`)
    expect(slots.slice(0, 9)).toEqual(['0x01.0x0', '0x01.0x1', '0x01.0x2', '0x01.0x3', '0x01.0x4', '0x01.0x5', '0x01.0x6', '0x01.0x7', '0x02.0x0'])
  })

  it('q35: a primary video that cannot have 00:01.0 is counted twice by the dry run — one root port more (seen on libvirtd 9.0)', () => {
    const ports = (devices: string) => all(run(q35(devices)).root, 'devices/controller[model=pcie-root-port]').length
    const usbAt1 = "<controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></controller><memballoon model='none'/>"
    const free = "<controller type='usb' index='0' model='qemu-xhci'/><memballoon model='none'/>"
    expect(ports(usbAt1 + "<video><model type='virtio'/></video>")).toBe(ports(free + "<video><model type='virtio'/></video>") + 1)
  })

  it('ICH9 USB2 sets written without indexes: libvirt 11 puts each EHCI before the companions of its index', () => {
    const usb = (model: string) => `<controller type='usb' model='${model}'/>`
    const order = (v9: boolean) => all(run(q35(usb('ich9-uhci1') + usb('ich9-uhci2') + usb('ich9-uhci3') + usb('ich9-ehci1')), v9 ? { libvirtVersion: 9000000 } : {}).root, 'devices/controller[type=usb]').map((c) => `${c.attributes.index}:${c.attributes.model}`)
    expect(order(false)).toEqual(['0:ich9-ehci1', '0:ich9-uhci1', '0:ich9-uhci2', '0:ich9-uhci3'])
    expect(order(true)).toEqual(['0:ich9-uhci1', '0:ich9-uhci2', '0:ich9-uhci3', '0:ich9-ehci1'])
  })

  it('sPAPR VIO devices get their register on any machine (an ibmvscsi controller on a PC)', () => {
    expect(one(run(pc("<controller type='scsi' index='1' model='ibmvscsi'/>")).root, 'devices/controller[model=ibmvscsi]/address').attributes).toEqual({ type: 'spapr-vio', reg: '0x00002000' })
  })

  it('serial ports written as isa-serial are numbered before the others (virDomainChrIsaSerialDefPostParse)', () => {
    const ports = all(run(pc("<serial type='pty'/><serial type='pty'><target type='isa-serial'/></serial>")).root, 'devices/serial/target').map((t) => t.attributes.port)
    expect(ports).toEqual(['1', '0'])
  })

  it('an ISA debug console port is not mirrored as the console', () => {
    expect(all(run(pc("<serial type='pty'><target type='isa-debug'><model name='isa-debugcon'/></target></serial>")).root, 'devices/console')).toHaveLength(0)
  })

  it('virtio channel socket paths libvirt generated are dropped: libvirt 11 knows its runtime and library channel directories and the ID-NAME form', () => {
    const channel = (path: string) => pc(`<channel type='unix'><source mode='bind' path='${path}'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>`)
    // (a source left with no path is not written)
    const path = (xml: string, o = {}) => all(run(xml, o).root, 'devices/channel/source')[0]?.attributes.path
    expect(path(channel('/run/libvirt/qemu/channel/1-guest/org.qemu.guest_agent.0'))).toBeUndefined()
    expect(path(channel('/var/lib/libvirt/qemu/channel/target/domain-1-guest/org.qemu.guest_agent.0'))).toBeUndefined()
    expect(path(channel('/run/libvirt/qemu/channel/1-guest/org.qemu.guest_agent.0'), { libvirtVersion: 9000000 })).toBe('/run/libvirt/qemu/channel/1-guest/org.qemu.guest_agent.0')
    expect(path(channel('/tmp/guest/org.qemu.guest_agent.0'))).toBe('/tmp/guest/org.qemu.guest_agent.0')
  })

  it('QEMU\'s default CPU model is written for TCG domains, and for accelerated ones only on x86, s390 and ppc64', () => {
    const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' defaultCPU='cortex-a15-arm-cpu'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    const arm = domainXml('virt', '', '', 'aarch64')
    expect(text(one(run(arm, { qemuCaps: armCaps }).root, 'cpu/model'))).toBe('cortex-a15')
    expect(all(run(arm.replace("type='qemu'", "type='hvf'"), { qemuCaps: armCaps }).root, 'cpu')).toHaveLength(0)
  })

  it('ARM virt\'s panic device is pvpanic; RISC-V virt\'s USB controller is the generic choice', () => {
    const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'pvpanic-pci'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(one(run(domainXml('virt', '<panic/>', '', 'aarch64'), { qemuCaps: armCaps }).root, 'devices/panic').attributes.model).toBe('pvpanic')
    const riscvCaps = capsXml({ arch: 'riscv64', flags: ['piix3-usb-uhci', 'qemu-xhci', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>" })
    expect(one(run(domainXml('virt', "<controller type='usb'/>", '', 'riscv64'), { qemuCaps: riscvCaps }).root, 'devices/controller[type=usb]').attributes.model).toBe('piix3-uhci')
  })
})
