// Capability checks and the corners the probes oracle listed as not reproduced, found by probing the sandbox libvirtd
// 9.0 (each case here was defined on it, arch as named; probes h9-…, h1-… of fixtures/preview/probes and h11-… of
// fixtures/preview/probes/capabilities.xml) or, for what libvirt 11.3 alone checks, read off its source with its test
// capabilities.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml, x86Flags } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const refused = (message: string, path: string) => ({ name: 'PreviewError', code: 'preview-refused', message, path })
const x86 = (devices: string, machine = 'pc'): string => domainXml(machine, devices)
const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'nec-usb-xhci', 'pcie-root-port', 'gpex-pcihost', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
const arm = (devices: string): string => domainXml('virt', devices, '', 'aarch64')
const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'qemu-xhci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const ppc = (devices: string, extra = ''): string => domainXml('pseries', devices, extra, 'ppc64')
const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'qemu-xhci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const s390 = (devices: string): string => domainXml('s390-ccw-virtio', devices, '', 's390x')
/** The domain's USB controllers and balloon, each on one line. */
const usbAndBalloon = (xml: string): string[] => [...xml.matchAll(/<controller type='usb'[^>]*\/>|<controller type='usb'[\s\S]*?<\/controller>|<memballoon[^>]*\/>|<memballoon[\s\S]*?<\/memballoon>/g)].map((m) => m[0].replace(/\s+/g, ' '))

describe("an xHCI controller's ports (qemuDomainControllerDefPostParse)", () => {
  const tooMany = (model: string) => refused(`'${model}' controller only supports up to '15' ports`, "domain/devices/controller[@type='usb'][@index='0']/@ports")

  it('counts them against the model post-parse picks: a controller without one off x86 is a qemu-xhci (h9-371, h9-372)', () => {
    expect(refusal(arm("<controller type='usb' ports='20'/>"), { caps: armCaps, v9: true })).toEqual(tooMany('qemu-xhci'))
    expect(refusal(ppc("<controller type='usb' index='0' ports='16'/>"), { caps: ppcCaps, v9: true })).toEqual(tooMany('qemu-xhci'))
    expect(refusal(arm("<controller type='usb' model='nec-xhci' ports='16'/>"), { caps: armCaps, v9: true })).toEqual(tooMany('nec-xhci'))
    // (fifteen are fine; on x86 the default is a PIIX3 UHCI, on s390 none: neither is counted — h11-usb-nomodel-…)
    expect(usbAndBalloon(predicts(arm("<controller type='usb' ports='15'/>"), { caps: armCaps, v9: true }))[0]).toMatch(/^<controller type='usb' index='0' model='qemu-xhci' ports='15'>/)
    expect(usbAndBalloon(predicts(x86("<controller type='usb' ports='16'/>"), { v9: true }))[0]).toMatch(/^<controller type='usb' index='0' model='piix3-uhci' ports='16'>/)
    expect(usbAndBalloon(predicts(s390("<controller type='usb' ports='16'/>"), { caps: s390Caps, v9: true }))[0]).toBe("<controller type='usb' index='0' model='none' ports='16'/>")
  })

  it('refuses there, in post-parse: after the parser, before a later controller of a Parallels model (h11-usb-xhci-ports-bad)', () => {
    expect(refusal(x86("<controller type='usb' model='qemu-xhci' ports='16'/><controller type='usb' model='qusb1' index='1'/>"), { v9: true })).toEqual(tooMany('qemu-xhci'))
    expect(refusal(x86("<controller type='usb' model='qemu-xhci' ports='16'/><controller type='usb' model='bogus' index='1'/>"), { v9: true }).message).toBe("Unknown model type 'bogus'")
  })
})

describe("a USB controller or balloon of model none (virDomainControllerDefParseXML, virDomainMemballoonDefParseXML)", () => {
  it('has none of its device information read: no master, ACPI index, ROM, boot, alias or address checked or written (h9-384, h9-386)', () => {
    const none = ["<controller type='usb' index='0' model='none'/>"]
    expect(usbAndBalloon(predicts(x86("<controller type='usb' model='none'><master startport='1'/><alias name='ua-x'/></controller>"), { v9: true })).slice(0, 1)).toEqual(none)
    expect(usbAndBalloon(predicts(x86("<controller type='usb' model='none'><acpi index='0'/></controller>"), { v9: true })).slice(0, 1)).toEqual(none)
    expect(usbAndBalloon(predicts(x86("<controller type='usb' model='none'><master startport='x'/></controller>"), { v9: true })).slice(0, 1)).toEqual(none)
    expect(usbAndBalloon(predicts(x86("<controller type='usb' model='none'><rom bar='x'/><boot order='1'/></controller>"), { v9: true })).slice(0, 1)).toEqual(none)
    expect(usbAndBalloon(predicts(x86("<memballoon model='none'><acpi index='0'/><alias name='ua-b'/></memballoon>"), { v9: true })).at(-1)).toBe("<memballoon model='none'/>")
    expect(usbAndBalloon(predicts(x86("<memballoon model='none'><rom bar='x'/><boot order='1'/><master startport='1'/></memballoon>"), { v9: true })).at(-1)).toBe("<memballoon model='none'/>")
    // (another model's are read: an ACPI index 0 refused, a companion without a master controller)
    expect(refusal(x86("<controller type='usb' model='piix3-uhci'><acpi index='0'/></controller>"), { v9: true }).message).toBe("Invalid value for attribute 'index' in element 'acpi': Zero is not permitted")
    expect(refusal(x86("<controller type='usb' model='piix3-uhci'><master startport='1'/></controller>"), { v9: true }).message).toBe('No master USB controller specified')
  })
})

describe('a balloon QEMU has no device for (qemuDomainAssignDevicePCISlots, qemuValidateDomainDeviceDefMemballoon)', () => {
  const noBus = refused('Cannot automatically add a new PCI bus for a device with connect flags 00', 'domain/devices/memballoon')

  it('is given a PCI slot as any balloon but none, and no bus takes it: the assignment fails before validation (h1-m1)', () => {
    expect(refusal(x86("<memballoon model='xen'/>"), { v9: true })).toMatchObject({ message: noBus.message })
    expect(refusal(x86("<memballoon model='xen'/>", 'q35'), { v9: true })).toMatchObject({ message: noBus.message })
    expect(refusal(arm("<memballoon model='xen'/>"), { caps: armCaps, v9: true })).toMatchObject({ message: noBus.message })
    expect(refusal(ppc("<memballoon model='xen'/>"), { caps: ppcCaps, v9: true })).toMatchObject({ message: noBus.message })
  })

  it("is refused in validation's words with an address of its own, or on s390's channel subsystem (h11-bal-xen-addr, bal-xen-s390)", () => {
    const words = refused("Memory balloon device type 'xen' is not supported by this version of qemu", 'domain/devices/memballoon[1]/@model')
    expect(refusal(x86("<memballoon model='xen'><address type='pci' domain='0' bus='0' slot='7' function='0'/></memballoon>"), { v9: true })).toEqual(words)
    expect(refusal(s390("<memballoon model='xen'/>"), { caps: s390Caps, v9: true })).toEqual(words)
  })
})

/** x86_64 capabilities without these flags. */
const x86Without = (...flags: string[]): string => capsXml({ flags: x86Flags.filter((f) => !flags.includes(f)) })
const nic = (inner: string, type = 'user'): string => `<interface type='${type}'><mac address='52:54:00:11:22:33'/>${inner}</interface>`

describe('the pSeries features, libvirt 9.0 (qemuValidateDomainDefPSeriesFeature)', () => {
  const ppc9 = (flags: string[] = []) => capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'qemu-xhci', ...flags], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
  const all = ['hpt-max-page-size', 'htm', 'nested-hv', 'ccf-assist', 'cfpc', 'sbbc', 'ibs'].map((cap) => `machine.pseries.cap-${cap}`)
  const features = (f: string): string => ppc('', `<features>${f}</features>`)
  const featuresOf = (xml: string): string => /<features>[\s\S]*?<\/features>/.exec(xml)![0].replace(/\s+/g, ' ')

  it('asks QEMU for the machine property each feature set needs, in the features\' order (each taken on libvirtd 9.0 with its QEMU 7.2: h11-ps-…)', () => {
    const cases = [
      ["<htm state='on'/>", 'machine.pseries.cap-htm', 'HTM configuration is not supported by this QEMU binary', 'domain/features/htm'],
      ["<nested-hv state='off'/>", 'machine.pseries.cap-nested-hv', 'Nested HV configuration is not supported by this QEMU binary', 'domain/features/nested-hv'],
      ["<ccf-assist state='on'/>", 'machine.pseries.cap-ccf-assist', 'ccf-assist configuration is not supported by this QEMU binary', 'domain/features/ccf-assist'],
      ["<cfpc value='workaround'/>", 'machine.pseries.cap-cfpc', 'cfpc configuration is not supported by this QEMU binary', 'domain/features/cfpc'],
      ["<sbbc value='broken'/>", 'machine.pseries.cap-sbbc', 'sbbc configuration is not supported by this QEMU binary', 'domain/features/sbbc'],
      ["<ibs value='fixed-ibs'/>", 'machine.pseries.cap-ibs', 'ibs configuration is not supported by this QEMU binary', 'domain/features/ibs'],
      ["<hpt resizing='required'><maxpagesize unit='KiB'>64</maxpagesize></hpt>", 'machine.pseries.cap-hpt-max-page-size', 'Configuring the page size for HPT guests is not supported by this QEMU binary', 'domain/features/hpt/maxpagesize'],
    ] as const
    for (const [feature, flag, message, path] of cases) {
      expect(refusal(features(feature), { caps: ppc9(all.filter((f) => f !== flag)), v9: true }), flag).toEqual(refused(message, path))
      expect(featuresOf(predicts(features(feature), { caps: ppc9(all), v9: true })), flag).toContain(`<${path.split('/')[2]!}`)
    }
    // (in libvirt's feature order, not the document's: htm before cfpc)
    expect(refusal(features("<cfpc value='workaround'/><htm state='on'/>"), { caps: ppc9(), v9: true }).message).toBe('HTM configuration is not supported by this QEMU binary')
  })

  it("asks nothing for what sets no feature, nor for an <hpt> without a page size; libvirt 11.3 asks nothing at all", () => {
    expect(featuresOf(predicts(features("<hpt resizing='enabled'/>"), { caps: ppc9(), v9: true }))).toBe("<features> <hpt resizing='enabled'/> </features>")
    expect(featuresOf(predicts(features("<hpt resizing='enabled'><maxpagesize>0</maxpagesize></hpt><cfpc/>"), { caps: ppc9(), v9: true }))).toBe("<features> <hpt resizing='enabled'/> </features>")
    expect(featuresOf(predicts(features("<htm state='on'/><cfpc value='workaround'/><hpt><maxpagesize unit='KiB'>64</maxpagesize></hpt>"), { caps: ppc9() })))
      .toBe("<features> <hpt> <maxpagesize unit='KiB'>64</maxpagesize> </hpt> <htm state='on'/> <cfpc value='workaround'/> </features>")
    // (off pSeries the machine check comes first — h11-x86-htm)
    expect(refusal(x86('').replace('<devices>', "<features><htm state='on'/></features><devices>"), { caps: x86Without(), v9: true }).message).toBe("The 'htm' feature is not supported for architecture 'x86_64' or machine type 'pc-i440fx-9.9'")
  })
})

describe('network backends and settings (qemuValidateDomainDeviceDefNetwork, virQEMUCapsFillDomainDeviceNetCaps)', () => {
  it("needs QEMU's vhost-vdpa backend for a vDPA interface, before its model (h11-vdpa, h11-vdpa-e1000)", () => {
    const vdpa = (model: string) => x86(nic(`<source dev='/dev/vhost-vdpa-0'/><model type='${model}'/>`, 'vdpa'))
    const words = refused('vDPA devices are not supported with this QEMU binary', 'domain/devices/interface[1]/@type')
    for (const v9 of [true, false]) {
      expect(refusal(vdpa('virtio'), { caps: x86Without('netdev.vhost-vdpa'), v9 })).toEqual(words)
      expect(refusal(vdpa('e1000'), { caps: x86Without('netdev.vhost-vdpa'), v9 })).toEqual(words)
      expect(predicts(vdpa('virtio'), { v9 })).toContain("<interface type='vdpa'>")
    }
    expect(refusal(vdpa('e1000'), { v9: true }).message).toBe("invalid model for interface of type 'vdpa': 'e1000'")
  })

  it("needs virtio-net's rss property for RSS or its hash reporting written at all, on or off — on a virtio model (h11-rss-…)", () => {
    for (const v9 of [true, false]) {
      const caps = x86Without('virtio-net.rss')
      expect(refusal(x86(nic("<model type='virtio'/><driver rss='off'/>")), { caps, v9 })).toEqual(refused('virtio rss is not supported with this QEMU binary', 'domain/devices/interface[1]/driver/@rss'))
      expect(refusal(x86(nic("<model type='virtio'/><driver rss_hash_report='on'/>")), { caps, v9 })).toEqual(refused('virtio rss hash report is not supported with this QEMU binary', 'domain/devices/interface[1]/driver/@rss_hash_report'))
      // (after the queue sizes; another model's driver settings are not read)
      expect(refusal(x86(nic("<model type='virtio'/><driver rss='on' rx_queue_size='100'/>")), { caps, v9 }).message).toBe('rx_queue_size has to be a power of two')
      expect(predicts(x86(nic("<model type='e1000'/><driver rss='on'/>")), { caps, v9 })).not.toContain('rss')
      expect(predicts(x86(nic("<model type='virtio'/><driver rss='on' rss_hash_report='off'/>")), { v9 })).toContain("<driver rss='on' rss_hash_report='off'/>")
    }
  })

  it('libvirt 11: a user interface\'s backend is one QEMU offers — passt needs its stream netdev, the default user networking (net-user-passt)', () => {
    const passt = x86(nic("<backend type='passt'/><model type='virtio'/>"))
    expect(refusal(passt, { caps: x86Without('netdev.stream') })).toEqual(refused("the 'passt' network backend is not supported with this QEMU binary", 'domain/devices/interface[1]/backend/@type'))
    expect(refusal(x86(nic("<model type='virtio'/>")), { caps: x86Without('netdev.user') })).toEqual(refused("the 'default' network backend is not supported with this QEMU binary", 'domain/devices/interface[1]/backend/@type'))
    expect(predicts(passt, { caps: x86Without('netdev.user') })).toContain("<backend type='passt'/>")
    // (a passt vhost-user interface's too; libvirt 9.0 asks neither — and does not know passt: h11-passt)
    const vhostPasst = x86(nic("<backend type='passt'/><model type='virtio'/>", 'vhostuser')).replace('<devices>', "<memoryBacking><access mode='shared'/></memoryBacking><devices>")
    expect(refusal(vhostPasst, { caps: x86Without('netdev.stream') }).message).toBe("the 'passt' network backend is not supported with this QEMU binary")
    expect(predicts(x86(nic("<model type='virtio'/>")), { caps: x86Without('netdev.user'), v9: true })).toContain("<interface type='user'>")
    expect(refusal(passt, { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'backend': 'passt'.")
  })
})

describe("a filesystem's multidevs (qemuValidateDomainDeviceDefFS)", () => {
  it("needs QEMU's fsdev multidevs property for any policy but the default, before the access mode checks (h11-fs-multidevs…)", () => {
    const fs = (multidevs: string, accessmode = 'mapped') => x86(`<filesystem type='mount' accessmode='${accessmode}' multidevs='${multidevs}'><source dir='/tmp'/><target dir='t'/></filesystem>`)
    for (const v9 of [true, false]) {
      expect(refusal(fs('remap'), { caps: x86Without('fsdev.multidevs'), v9 })).toEqual(refused('multidevs is not supported with this QEMU binary', 'domain/devices/filesystem[1]/@multidevs'))
      expect(refusal(fs('warn', 'passthrough').replace("multidevs='warn'", "multidevs='warn' fmode='0644'"), { caps: x86Without('fsdev.multidevs'), v9 }).message).toBe('multidevs is not supported with this QEMU binary')
      expect(predicts(fs('default'), { caps: x86Without('fsdev.multidevs'), v9 })).toContain("<filesystem type='mount' accessmode='mapped'>")
      expect(predicts(fs('forbid'), { v9 })).toContain("multidevs='forbid'")
    }
  })
})

describe('libvirt 11.3 alone: the PCI pvpanic, virtio sound, the legacy ivshmem (qemuValidateDomainDefPanic, …DeviceDefSound, …DeviceDefShmem)', () => {
  it('needs the pvpanic-pci device for a PCI pvpanic, before its address (pvpanic-pci-x86_64)', () => {
    const words = refused('the QEMU binary does not support the PCI pvpanic device', 'domain/devices/panic[1]/@model')
    expect(refusal(x86("<panic model='pvpanic'/>", 'q35'), { caps: x86Without('pvpanic-pci') })).toEqual(words)
    expect(refusal(x86("<panic model='pvpanic'><address type='isa' iobase='0x505'/></panic>", 'q35'), { caps: x86Without('pvpanic-pci') })).toEqual(words)
    expect(refusal(x86("<panic model='pvpanic'><address type='isa' iobase='0x505'/></panic>", 'q35')).message).toBe('pvpanic is supported only with PCI address type')
    expect(predicts(x86("<panic model='pvpanic'/>", 'q35'))).toMatch(/<panic model='pvpanic'>\s*<address type='pci'/)
    // (the ISA one needs QEMU's pvpanic, 9.0 as 11.3; 9.0 knows no pvpanic model — h11-panic-pvpanic)
    expect(refusal(x86("<panic model='isa'/>"), { caps: x86Without('pvpanic'), v9: true }).message).toBe('the QEMU binary does not support the ISA panic device')
    expect(refusal(x86("<panic model='pvpanic'/>"), { v9: true }).message).toBe("unknown panic model 'pvpanic'")
  })

  it('needs the virtio-sound device for a virtio sound card (sound-device-virtio; 9.0 does not know the model: h11-sound-virtio)', () => {
    expect(refusal(x86("<sound model='virtio'/>"), { caps: x86Without('virtio-sound') })).toEqual(refused('virtio-sound controller is not supported in this QEMU binary', 'domain/devices/sound[1]/@model'))
    expect(predicts(x86("<sound model='virtio'/>"))).toMatch(/<sound model='virtio' streams='2'>/)
    expect(refusal(x86("<sound model='virtio'/>"), { v9: true }).message).toBe("Invalid value for attribute 'model' in element 'sound': 'virtio'.")
  })

  it("refuses the legacy ivshmem whatever QEMU has, after the size; 9.0 asks for QEMU's device (h11-shmem-ivshmem, shmem-small-size)", () => {
    const shmem = (inner: string) => x86(`<shmem name='s'>${inner}</shmem>`)
    const gone = refused('ivshmem device is no longer supported', 'domain/devices/shmem[1]/model/@type')
    expect(refusal(shmem("<model type='ivshmem'/>"))).toEqual(gone)
    expect(refusal(shmem("<model type='ivshmem'/>"), { caps: x86Without('ivshmem') })).toEqual(gone)
    expect(refusal(shmem(''))).toEqual(gone)
    expect(refusal(shmem("<model type='ivshmem'/><size unit='K'>512</size>"))).toMatchObject({ code: 'preview-invalid-value', message: 'shmem size must be a power of 2 and at least 1 MiB (1024 KiB)' })
    expect(refusal(shmem("<model type='ivshmem'/>"), { caps: x86Without('ivshmem'), v9: true }).message).toBe('ivshmem device is not supported with this QEMU binary')
    expect(predicts(shmem("<model type='ivshmem'/>"), { v9: true })).toContain("<model type='ivshmem'/>")
    // (the plain and doorbell models by their flags, as before — h11-shmem-plain-s390)
    expect(refusal(shmem("<model type='ivshmem-plain'/>"), { caps: x86Without('ivshmem-plain') }).message).toBe("shmem model 'ivshmem-plain' is not supported by this QEMU binary")
  })
})

describe("RNG backends, vsock, the balloon's settings, virtiofs (qemuValidateDomainRNGDef, …DeviceDefVsock, …DeviceDefMemballoon, …DeviceDefFS)", () => {
  it("needs each RNG backend's QEMU object, an EGD one's before its character device's QEMU checks (h11-rng-…)", () => {
    const rng = (backend: string) => x86(`<rng model='virtio'>${backend}</rng>`)
    const egd = "<backend model='egd' type='unix'><source mode='connect' path='/tmp/egd'/></backend>"
    for (const v9 of [true, false]) {
      expect(refusal(rng("<backend model='random'>/dev/urandom</backend>"), { caps: x86Without('rng-random'), v9 })).toEqual(refused("this qemu doesn't support the rng-random backend", 'domain/devices/rng[1]/backend/@model'))
      expect(refusal(rng("<backend model='builtin'/>"), { caps: x86Without('rng-builtin'), v9 })).toEqual(refused("this qemu doesn't support the rng-builtin backend", 'domain/devices/rng[1]/backend/@model'))
      expect(refusal(rng(egd), { caps: x86Without('rng-egd'), v9 }).message).toBe("this qemu doesn't support the rng-egd backend")
      // (an EGD backend's source is the generic check's, before the QEMU driver's: h11-rng-egd-nopath)
      expect(refusal(rng("<backend model='egd' type='unix'><source mode='connect'/></backend>"), { caps: x86Without('rng-egd'), v9 }).message).toBe('Missing source path attribute for char device')
      expect(refusal(rng(egd.replace("type='unix'", "type='qemu-vdagent'").replace(/<source[^>]*\/>/, '')), { caps: x86Without('rng-egd', 'chardev.qemu-vdagent'), v9 }).message).toBe("this qemu doesn't support the rng-egd backend")
      expect(predicts(rng("<backend model='builtin'/>"), { v9 })).toContain("<backend model='builtin'/>")
    }
  })

  it('libvirt 11: an RNG model the domain capabilities offer, checked after the backend (9.0 asks none)', () => {
    const rng = (model: string) => x86(`<rng model='${model}'><backend model='builtin'/></rng>`)
    expect(refusal(rng('virtio'), { caps: x86Without('virtio-rng') })).toEqual(refused("domain configuration does not support rng model 'virtio'", 'domain/devices/rng[1]/@model'))
    expect(refusal(rng('virtio-transitional'), { caps: x86Without('virtio-pci-non-transitional') }).message).toBe("domain configuration does not support rng model 'virtio-transitional'")
    expect(refusal(rng('virtio'), { caps: x86Without('virtio-rng', 'rng-builtin') }).message).toBe("this qemu doesn't support the rng-builtin backend")
    expect(predicts(rng('virtio'), { caps: x86Without('virtio-rng'), v9: true })).toContain("<rng model='virtio'>")
    expect(predicts(rng('virtio-non-transitional'))).toContain("<rng model='virtio-non-transitional'>")
  })

  it("needs QEMU's vhost-vsock device, after the guest CID check (h11-vsock, vsock-cid2)", () => {
    const vsock = (cid: string) => x86(`<vsock model='virtio'><cid auto='no' address='${cid}'/></vsock>`)
    for (const v9 of [true, false]) {
      expect(refusal(vsock('3'), { caps: x86Without('vhost-vsock'), v9 })).toEqual(refused('vsock device is not supported with this QEMU binary', 'domain/devices/vsock[1]'))
      expect(refusal(vsock('2'), { caps: x86Without('vhost-vsock'), v9 }).message).toBe('guest CIDs must be >= 3')
      expect(predicts(vsock('3'), { v9 })).toContain("<cid auto='no' address='3'/>")
    }
  })

  it("needs a virtio balloon's settings' QEMU properties, on or off, after its model; none of model none (h11-bal-deflate…)", () => {
    const balloon = (attrs: string, model = 'virtio') => x86(`<memballoon model='${model}' ${attrs}/>`)
    for (const v9 of [true, false]) {
      expect(refusal(balloon("autodeflate='off'"), { caps: x86Without('virtio-balloon-pci.deflate-on-oom'), v9 })).toEqual(refused('deflate-on-oom is not supported by this QEMU binary', 'domain/devices/memballoon[1]/@autodeflate'))
      expect(refusal(balloon("autodeflate='on' freePageReporting='on'"), { caps: x86Without('virtio-balloon.free-page-reporting'), v9 })).toEqual(refused('freePageReporting is not supported by this QEMU binary', 'domain/devices/memballoon[1]/@freePageReporting'))
      expect(predicts(balloon("autodeflate='on'", 'none'), { caps: x86Without('virtio-balloon-pci.deflate-on-oom'), v9 })).toContain("<memballoon model='none' autodeflate='on'/>")
      expect(refusal(balloon("autodeflate='on'", 'xen').replace('/>', "><address type='pci' domain='0' bus='0' slot='7' function='0'/></memballoon>"), { caps: x86Without('virtio-balloon-pci.deflate-on-oom'), v9 }).message).toBe("Memory balloon device type 'xen' is not supported by this version of qemu")
    }
  })

  it("needs QEMU's vhost-user-fs device for virtiofs after its model and format, its bootindex for a boot order after its shared memory (h11-fs-virtiofs-…)", () => {
    const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
    const virtiofs = (inner = '', driver = '', memory = shared) => x86(`<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'${driver}/><source dir='/tmp'/><target dir='t'/>${inner}</filesystem>`).replace('<devices>', `${memory}<devices>`)
    for (const v9 of [true, false]) {
      expect(refusal(virtiofs(), { caps: x86Without('vhost-user-fs'), v9 })).toEqual(refused('virtiofs is not supported with this QEMU binary', 'domain/devices/filesystem[1]/driver/@type'))
      expect(refusal(virtiofs('', " format='raw'"), { caps: x86Without('vhost-user-fs'), v9 }).message).toBe('virtiofs does not support format')
      expect(refusal(virtiofs("<boot order='1'/>"), { caps: x86Without('vhost-user-fs.bootindex'), v9 })).toEqual(refused('setting virtiofs boot order is not supported with this QEMU binary', 'domain/devices/filesystem[1]/boot'))
      expect(refusal(virtiofs("<boot order='1'/>", '', ''), { caps: x86Without('vhost-user-fs.bootindex'), v9 }).message).toBe("'virtiofs' requires shared memory")
      expect(predicts(virtiofs("<boot order='1'/>"), { v9 })).toContain("<boot order='1'/>")
    }
    // (libvirt 11's MTP driver: QEMU's usb-mtp device, before its access mode)
    const mtp = (mode: string) => x86(`<filesystem type='mount' accessmode='${mode}'><driver type='mtp'/><source dir='/tmp'/><target dir='t'/></filesystem>`)
    expect(refusal(mtp('mapped'), { caps: x86Without('usb-mtp') })).toEqual(refused('mtp is not supported with this QEMU binary', 'domain/devices/filesystem[1]/driver/@type'))
    expect(refusal(mtp('mapped')).message).toBe('mtp only supports passthrough accessmode')
  })
})

describe("a disk's QEMU devices and properties (qemuValidateDomainDeviceDefDiskFrontend)", () => {
  const s390Disk = (flags: string[]) => capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'qemu-xhci', 'virtio-scsi-pci', 'scsi-disk.wwn', 'netdev.user', ...flags], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
  const disk = (target: string, inner = '', device = 'disk', type = 'file', source = "<source file='/tmp/x.img'/>") => `<disk type='${type}' device='${device}'>${source}<target ${target}/>${inner}</disk>`

  it("needs QEMU's usb-storage for a USB disk, before its address — an s390 QEMU has none (h11-usbdisk-s390…)", () => {
    const words = refused("This QEMU doesn't support '-device usb-storage'", "domain/devices/disk[target/@dev='sda']/target/@bus")
    const usb = "<controller type='usb' model='qemu-xhci'/>"
    for (const v9 of [true, false]) {
      expect(refusal(s390(usb + disk("dev='sda' bus='usb'")), { caps: s390Disk([]), v9 })).toEqual(words)
      expect(refusal(s390(usb + disk("dev='sda' bus='usb'", "<address type='drive' controller='0' bus='0' target='0' unit='0'/>")), { caps: s390Disk([]), v9 })).toEqual(words)
      expect(refusal(x86(disk("dev='sda' bus='usb'", "<address type='drive' controller='0' bus='0' target='0' unit='0'/>")), { v9 }).message).toBe('unexpected address type for usb disk')
    }
    // (9.0 then asks for its removable flag — h11-usbdisk-rm took it with the flag)
    expect(refusal(x86(disk("dev='sda' bus='usb' removable='on'")), { caps: x86Without('usb-storage.removable'), v9: true }).message).toBe("This QEMU doesn't support setting the removable flag of USB storage devices")
    expect(predicts(x86(disk("dev='sda' bus='usb' removable='on'")), { caps: x86Without('usb-storage.removable') })).toContain("removable='on'")
    expect(predicts(x86(disk("dev='sda' bus='usb' removable='on'")), { v9: true })).toContain("<target dev='sda' bus='usb' removable='on'/>")
  })

  it("libvirt 9.0 asks for a WWN's QEMU property: an IDE disk's, before the IDE controller is validated — s390 has none (h11-idewwn-s390)", () => {
    const wwn = '<wwn>5000c50015ea71ac</wwn>'
    expect(refusal(s390(disk("dev='hda' bus='ide'", wwn)), { caps: s390Disk([]), v9: true })).toEqual(refused('Setting wwn for ide disk is not supported by this QEMU', "domain/devices/disk[target/@dev='hda']/wwn"))
    expect(refusal(s390(disk("dev='hda' bus='ide'")), { caps: s390Disk([]), v9: true }).message).toBe('IDE controllers are unsupported for this QEMU binary or machine type')
    // (then, as libvirt has it, the SCSI disk's property for any disk but a SCSI one; 11.3 asks neither)
    expect(refusal(x86(disk("dev='hda' bus='ide'", wwn)), { caps: x86Without('scsi-disk.wwn'), v9: true }).message).toBe('Setting wwn for scsi disk is not supported by this QEMU')
    expect(predicts(x86("<controller type='scsi' model='virtio-scsi'/>" + disk("dev='sda' bus='scsi'", wwn)), { caps: x86Without('scsi-disk.wwn'), v9: true })).toContain(wwn)
    expect(predicts(x86(disk("dev='hda' bus='ide'", wwn)), { caps: x86Without('scsi-disk.wwn', 'ide-drive.wwn') })).toContain(wwn)
  })

  it("needs scsi-block for a SCSI LUN, the rotation rate's and a virtio queue size's properties (h11-lun-scsi, rotation, vqueue)", () => {
    for (const v9 of [true, false]) {
      const lun = x86("<controller type='scsi' model='virtio-scsi'/>" + disk("dev='sda' bus='scsi'", '', 'lun', 'block', "<source dev='/dev/sdz'/>"))
      expect(refusal(lun, { caps: x86Without('scsi-block'), v9 })).toEqual(refused("This QEMU doesn't support scsi-block for lun passthrough", "domain/devices/disk[target/@dev='sda']/target/@bus"))
      const rotation = x86(disk("dev='sda' bus='sata' rotation_rate='7200'"), 'q35')
      expect(refusal(rotation, { caps: x86Without('rotation-rate'), v9 })).toEqual(refused('rotation rate is not supported with this QEMU', "domain/devices/disk[target/@dev='sda']/target/@rotation_rate"))
      expect(refusal(x86(disk("dev='vda' bus='virtio' rotation_rate='7200'")), { caps: x86Without('rotation-rate'), v9 }).message).toBe('rotation rate is only valid for SCSI/IDE/SATA bus')
      expect(predicts(rotation, { v9 })).toContain("rotation_rate='7200'")
    }
    const queue = x86("<disk type='file' device='disk'><driver name='qemu' queue_size='256'/><source file='/tmp/x.img'/><target dev='vda' bus='virtio'/></disk>")
    expect(refusal(queue, { caps: x86Without('virtio-blk.queue-size') })).toEqual(refused("queue-size property isn't supported by this QEMU binary", "domain/devices/disk[target/@dev='vda']/driver/@queue_size"))
    expect(predicts(queue)).toContain("queue_size='256'")
  })
})

describe('vhost-user disks and GPUs, io_uring (qemuValidateDomainDeviceDefDisk, …DiskFrontend, …DeviceDefVideo)', () => {
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  const withShared = (xml: string) => xml.replace('<devices>', `${shared}<devices>`)
  it("needs QEMU's vhost-user-blk for a vhost-user disk before its shared memory, vhost-user-gpu for a vhost-user virtio video (h11-disk-vhostuser…, video-vhostuser)", () => {
    const disk = x86("<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost.sock'/><target dev='vda' bus='virtio'/></disk>")
    const video = x86("<video><driver name='vhostuser'/><model type='virtio'/></video>")
    for (const v9 of [true, false]) {
      expect(refusal(withShared(disk), { caps: x86Without('vhost-user-blk'), v9 })).toEqual(refused('vhostuser disk is not supported with this QEMU binary', 'domain/devices/disk[1]/@type'))
      expect(refusal(disk, { caps: x86Without('vhost-user-blk'), v9 }).message).toBe('vhostuser disk is not supported with this QEMU binary')
      expect(refusal(disk, { v9 }).message).toBe("'vhostuser' requires shared memory")
      expect(refusal(withShared(video), { caps: x86Without('vhost-user-gpu'), v9 })).toEqual(refused("this QEMU does not support 'vhost-user' video device", 'domain/devices/video[1]/driver/@name'))
      expect(predicts(withShared(video), { v9 })).toContain("<driver name='vhostuser'/>")
    }
  })

  it("needs QEMU's set-action for a transient disk sharing its backing image when the domain may not reboot (h11-transient-share)", () => {
    const lifecycle = (reboot: string) => `<on_poweroff>destroy</on_poweroff><on_reboot>${reboot}</on_reboot><on_crash>destroy</on_crash>`
    const disk = (reboot: string) => x86("<controller type='scsi' model='virtio-scsi'/><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/x.qcow2'/><target dev='sda' bus='scsi'/><transient shareBacking='yes'/></disk>").replace('<devices>', `${lifecycle(reboot)}<devices>`)
    // (QEMU has set-action since 6.0: an older one's capabilities lack it; a later libvirt retired the flag and no
    // longer writes it, its QEMUs all have it — retiredQemuFlags)
    const qemu52 = capsXml({ flags: x86Flags.filter((f) => f !== 'set-action'), version: '5002000' })
    const laterLibvirt = capsXml({ flags: x86Flags.filter((f) => f !== 'set-action'), version: '11000090' })
    for (const v9 of [true, false]) {
      expect(refusal(disk('destroy'), { caps: qemu52, v9 })).toEqual(refused("transient disk backing image sharing with destroy action of lifecycle isn't supported by this QEMU binary", "domain/devices/disk[target/@dev='sda']/transient/@shareBacking"))
      expect(predicts(disk('restart'), { caps: qemu52, v9 })).toContain("<transient shareBacking='yes'/>")
      expect(predicts(disk('destroy'), { v9 })).toContain("<transient shareBacking='yes'/>")
      expect(predicts(disk('destroy'), { caps: laterLibvirt, v9 })).toContain("<transient shareBacking='yes'/>")
    }
  })

  it("needs QEMU's io_uring AIO for io='io_uring' (h11-disk-iouring)", () => {
    const disk = x86("<disk type='file' device='disk'><driver name='qemu' io='io_uring'/><source file='/tmp/x.img'/><target dev='vda' bus='virtio'/></disk>")
    for (const v9 of [true, false]) {
      expect(refusal(disk, { caps: x86Without('aio.io_uring'), v9 })).toEqual(refused('io uring is not supported by this QEMU binary', "domain/devices/disk[target/@dev='vda']/driver/@io"))
      expect(predicts(disk, { v9 })).toContain("io='io_uring'")
    }
  })
})

describe('IOMMUs (qemuValidateDomainDeviceDefIOMMU)', () => {
  const q35 = (iommu: string, features = "<features><acpi/><ioapic driver='qemu'/></features>") => x86(iommu, 'q35').replace('<devices>', `${features}<devices>`)
  const armIommuCaps = (flags: string[]) => capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'virtio-pci-non-transitional', ...flags], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })

  it("needs each model's QEMU devices once its machine is right, before virtio's ACPI (h11-iommu-smmuv3, iommu-virtio-q35, iommu-virtio-noacpi)", () => {
    for (const v9 of [true, false]) {
      expect(refusal(q35("<iommu model='intel'/>"), { caps: x86Without('intel-iommu'), v9 })).toEqual(refused("IOMMU device: 'intel' is not supported with this QEMU binary", 'domain/devices/iommu[1]/@model'))
      expect(refusal(x86("<iommu model='intel'/>"), { caps: x86Without('intel-iommu'), v9 }).message).toBe("IOMMU device: 'intel' is only supported with Q35 machines")
      expect(refusal(q35("<iommu model='virtio'/>", ''), { caps: x86Without('virtio-iommu.boot-bypass'), v9 }).message).toBe("IOMMU device: 'virtio' is not supported with this QEMU binary")
      expect(refusal(q35("<iommu model='virtio'/>", ''), { v9 }).message).toBe("IOMMU device: 'virtio' requires ACPI")
      expect(refusal(arm("<iommu model='smmuv3'/>"), { caps: armIommuCaps([]), v9 }).message).toBe("IOMMU device: 'smmuv3' is not supported with this QEMU binary")
      expect(predicts(arm("<iommu model='smmuv3'/>"), { caps: armIommuCaps(['machine.virt.iommu']), v9 })).toContain("<iommu model='smmuv3'/>")
    }
  })

  it("needs each driver setting's Intel IOMMU property, written at all, whatever the model; dma_translation 11's alone (h11-iommu-intel-all)", () => {
    const intel = (driver: string) => q35(`<iommu model='intel'><driver ${driver}/></iommu>`)
    const cases = [
      ["intremap='on'", 'intel-iommu.intremap', 'iommu: interrupt remapping is not supported with this QEMU binary', 'intremap'],
      ["intremap='on' caching_mode='off'", 'intel-iommu.caching-mode', 'iommu: caching mode is not supported with this QEMU binary', 'caching_mode'],
      ["intremap='on' eim='on'", 'intel-iommu.eim', 'iommu: eim is not supported with this QEMU binary', 'eim'],
      ["iotlb='off'", 'intel-iommu.device-iotlb', 'iommu: device IOTLB is not supported with this QEMU binary', 'iotlb'],
      ["aw_bits='48'", 'intel-iommu.aw-bits', 'iommu: aw_bits is not supported with this QEMU binary', 'aw_bits'],
    ] as const
    for (const v9 of [true, false]) {
      for (const [driver, flag, message, name] of cases) expect(refusal(intel(driver), { caps: x86Without(flag), v9 }), flag).toEqual(refused(message, `domain/devices/iommu[1]/driver/@${name}`))
      expect(predicts(intel("intremap='on' caching_mode='on' eim='on' iotlb='on' aw_bits='48'"), { v9 })).toContain("<driver intremap='on' caching_mode='on' eim='on' iotlb='on' aw_bits='48'/>")
      // (another model's settings: the generic check refuses them first — h11-iommu-smmuv3-drv; 11.3's post-parse gives
      // interrupt remapping the split I/O APIC, which the features' validation refuses off x86 before: seen on libvirtd 11.3)
      expect(refusal(arm("<iommu model='smmuv3'><driver intremap='on'/></iommu>"), { caps: armIommuCaps(['machine.virt.iommu']), v9 }).message).toBe(v9 ? "iommu model 'smmuv3' doesn't support additional attributes" : "The 'ioapic' feature is not supported for architecture 'aarch64' or machine type 'virt-9.9'")
      expect(refusal(arm("<iommu model='smmuv3'><driver caching_mode='on'/></iommu>"), { caps: armIommuCaps(['machine.virt.iommu']), v9 }).message).toBe("iommu model 'smmuv3' doesn't support additional attributes")
    }
    expect(refusal(intel("dma_translation='off'"), { caps: x86Without('intel-iommu.dma-translation') }).message).toBe('iommu: updating dma translation is not supported with this QEMU binary')
    expect(predicts(intel("dma_translation='off'"), { caps: x86Without('intel-iommu.dma-translation'), v9: true })).toContain("<iommu model='intel'/>")
  })
})

describe('displays and D-Bus audio (virQEMUCapsFillDomainDeviceGraphicsCaps, qemuValidateDomainDeviceDef…Graphics, …DeviceDefAudio)', () => {
  it('offers a display type only where QEMU has its display: a QEMU built without SPICE refuses it (h11-gfx-spice-arm, gfx-sdl-s390)', () => {
    for (const v9 of [true, false]) {
      expect(refusal(x86("<graphics type='spice' autoport='yes'/>"), { caps: x86Without('spice'), v9 })).toEqual(refused('spice graphics are not supported with this QEMU', 'domain/devices/graphics[1]/@type'))
      expect(refusal(x86("<graphics type='sdl'/>"), { caps: x86Without('sdl'), v9 }).message).toBe('sdl graphics are not supported with this QEMU')
      expect(refusal(x86("<graphics type='vnc'/>"), { caps: x86Without('vnc'), v9 }).message).toBe('vnc graphics are not supported with this QEMU')
      expect(refusal(x86("<graphics type='vnc'/><graphics type='egl-headless'/>"), { caps: x86Without('egl-headless'), v9 }).message).toBe('egl-headless graphics are not supported with this QEMU')
      expect(refusal(x86("<graphics type='dbus'/>"), { caps: x86Without('display-dbus'), v9 }).message).toBe('dbus graphics are not supported with this QEMU')
      expect(predicts(x86("<graphics type='spice' autoport='yes'/>"), { v9 })).toContain("<graphics type='spice' autoport='yes'>")
    }
    // (libvirt 11's RDP server goes through QEMU's D-Bus display)
    expect(refusal(x86("<graphics type='rdp'/>"), { caps: x86Without('display-dbus') }).message).toBe('rdp graphics are not supported with this QEMU')
  })

  it("needs SPICE's OpenGL and its render node, egl-headless's render node, VNC's power control in QEMU (h11-gfx-spice-gl, gfx-egl-rn, gfx-vnc-power)", () => {
    for (const v9 of [true, false]) {
      const spiceGl = x86("<graphics type='spice'><gl enable='yes' rendernode='/dev/dri/renderD128'/></graphics><video><model type='virtio'/></video>")
      expect(refusal(spiceGl, { caps: x86Without('spice-gl'), v9 })).toEqual(refused("This QEMU doesn't support spice OpenGL", 'domain/devices/graphics[1]/gl/@enable'))
      expect(refusal(spiceGl, { caps: x86Without('spice-rendernode'), v9 })).toEqual(refused("This QEMU doesn't support spice OpenGL rendernode", 'domain/devices/graphics[1]/gl/@rendernode'))
      expect(predicts(spiceGl.replace(" enable='yes'", " enable='no'"), { caps: x86Without('spice-gl', 'spice-rendernode'), v9 })).toContain("<gl enable='no'")
      const egl = x86("<graphics type='vnc'/><graphics type='egl-headless'><gl rendernode='/dev/dri/renderD128'/></graphics>")
      expect(refusal(egl, { caps: x86Without('egl-headless.rendernode'), v9 })).toEqual(refused("This QEMU doesn't support OpenGL rendernode with egl-headless graphics type", 'domain/devices/graphics[2]/gl/@rendernode'))
      expect(refusal(x86("<graphics type='vnc' powerControl='no'/>"), { caps: x86Without('vnc-power-control'), v9 })).toEqual(refused('VNC power control is not available', 'domain/devices/graphics[1]/@powerControl'))
      expect(predicts(egl, { v9 })).toContain("<gl rendernode='/dev/dri/renderD128'/>")
    }
  })

  it("needs QEMU's D-Bus display for a D-Bus audio backend (h11-gfx-dbus-audio)", () => {
    const dbus = "<audio id='1' type='dbus'/>"
    for (const v9 of [true, false]) {
      expect(refusal(x86(`<graphics type='vnc'><audio id='1'/></graphics>${dbus}`), { caps: x86Without('display-dbus'), v9 })).toEqual(refused('D-Bus audio is not supported with this QEMU', 'domain/devices/audio[1]/@type'))
      expect(predicts(x86(`<graphics type='dbus'><audio id='1'/></graphics>${dbus}`), { v9 })).toContain(dbus)
    }
  })
})

describe("the QEMU driver's domain checks: I/O thread pools, huge pages' backend, NUMA HMAT (qemuValidateDomainDefIOThreads, …DefMemory, …DefNuma)", () => {
  const domain = (extra: string) => x86('').replace('<devices>', `${extra}<devices>`)

  it("needs QEMU's I/O thread pool for any thread's minimum or maximum, before the generic pool checks (h11-iothread-pool)", () => {
    const words = 'thread_pool_min and thread_pool_max is not supported by this QEMU binary'
    for (const v9 of [true, false]) {
      expect(refusal(domain("<iothreads>1</iothreads><iothreadids><iothread id='1' thread_pool_max='4'/></iothreadids>"), { caps: x86Without('iothread.thread-pool-max'), v9 })).toEqual(refused(words, "domain/iothreadids/iothread[@id='1']"))
      expect(refusal(domain("<defaultiothread thread_pool_min='1'/>"), { caps: x86Without('iothread.thread-pool-max'), v9 })).toEqual(refused(words, 'domain/defaultiothread'))
      // (with the flag, a minimum alone is the generic check's refusal)
      expect(refusal(domain("<defaultiothread thread_pool_min='1'/>"), { v9 }).message).toBe('thread_pool_min must be smaller or equal to thread_pool_max')
      expect(predicts(domain("<iothreads>1</iothreads><iothreadids><iothread id='1' thread_pool_min='1' thread_pool_max='4'/></iothreadids><defaultiothread thread_pool_max='2'/>"), { v9 })).toContain("<defaultiothread thread_pool_max='2'/>")
    }
  })

  it("needs, with huge pages, QEMU's preallocation threads and memfd huge pages, in libvirt's order (h11-hugepages-memfd)", () => {
    const backing = (inner: string) => domain(`<memoryBacking><hugepages/>${inner}</memoryBacking>`)
    for (const v9 of [true, false]) {
      const both = backing("<source type='memfd'/><allocation mode='immediate' threads='2'/>")
      expect(refusal(both, { caps: x86Without('memory-backend-file.prealloc-threads', 'memory-backend-memfd.hugetlb'), v9 })).toEqual(refused('preallocation threads are unsupported with this QEMU', 'domain/memoryBacking/allocation/@threads'))
      expect(refusal(both, { caps: x86Without('memory-backend-memfd.hugetlb'), v9 })).toEqual(refused('hugepages is not supported with memfd memory source', 'domain/memoryBacking/source/@type'))
      expect(refusal(backing("<source type='anonymous'/><allocation mode='immediate' threads='2'/>"), { caps: x86Without('memory-backend-memfd.hugetlb'), v9 }).message).toBe('hugepages are not allowed with anonymous memory source')
      expect(predicts(domain("<memoryBacking><source type='memfd'/></memoryBacking>"), { caps: x86Without('memory-backend-memfd.hugetlb'), v9 })).toContain("<source type='memfd'/>")
      expect(predicts(both, { v9 })).toContain("<allocation mode='immediate' threads='2'/>")
    }
  })

  it("needs QEMU's HMAT for a NUMA cell's cache or the interconnects (h11-numa-hmat)", () => {
    const numa = (cell0: string, links = '') => domain(`<vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'>${cell0}</cell><cell id='1' cpus='1' memory='262144' unit='KiB'/>${links}</numa></cpu>`).replace('<vcpu>1</vcpu>', '')
    const cache = "<cache level='1' associativity='direct' policy='writeback'><size value='10' unit='KiB'/><line value='8' unit='B'/></cache>"
    const links = "<interconnects><latency initiator='0' target='0' type='access' value='5'/></interconnects>"
    for (const v9 of [true, false]) {
      expect(refusal(numa(cache), { caps: x86Without('numa.hmat'), v9 })).toEqual(refused('HMAT is not supported with this QEMU', 'domain/cpu/numa/cell/cache'))
      expect(refusal(numa('', links), { caps: x86Without('numa.hmat'), v9 })).toEqual(refused('HMAT is not supported with this QEMU', 'domain/cpu/numa/interconnects'))
      expect(predicts(numa(''), { caps: x86Without('numa.hmat'), v9 })).toContain("<cell id='1' cpus='1' memory='262144' unit='KiB'/>")
      expect(predicts(numa(cache, links), { v9 })).toContain("<latency initiator='0' target='0' type='access' value='5'/>")
    }
  })
})

describe("libvirt 11's own features (qemuValidateDomainDefFeatures, from 11.3's source; 9.0's parser knows none of them)", () => {
  const features = (xml: string, f: string) => xml.replace('<devices>', `<features>${f}</features><devices>`)
  const riscvCaps = (flags: string[]) => capsXml({ arch: 'riscv64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'virtio-pci-non-transitional', 'netdev.user', ...flags], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>" })
  const riscv = (devices: string): string => domainXml('virt', devices, '', 'riscv64')

  it("needs QEMU's asynchronous teardown for one switched on (written without `enabled`, it is on)", () => {
    const words = refused('asynchronous teardown is not available with this QEMU binary', 'domain/features/async-teardown')
    expect(refusal(features(x86(''), '<async-teardown/>'), { caps: x86Without('run-with.async-teardown') })).toEqual(words)
    expect(refusal(features(x86(''), "<async-teardown enabled='yes'/>"), { caps: x86Without('run-with.async-teardown') })).toEqual(words)
    expect(predicts(features(x86(''), "<async-teardown enabled='no'/>"), { caps: x86Without('run-with.async-teardown') })).toContain("<async-teardown enabled='no'/>")
    expect(predicts(features(x86(''), '<async-teardown/>'))).toContain("<async-teardown enabled='yes'/>")
  })

  it('takes RAS on ARM virt and AIA on RISC-V virt alone, then asks QEMU for each', () => {
    expect(refusal(features(x86(''), "<ras state='on'/>"))).toEqual(refused('ras feature is only supported with ARM Virt machines', 'domain/features/ras'))
    expect(refusal(features(arm(''), "<ras state='off'/>"), { caps: armCaps })).toEqual(refused('ras feature is not available with this QEMU binary', 'domain/features/ras'))
    expect(refusal(features(x86(''), "<aia value='aplic-imsic'/>"))).toEqual(refused('aia feature is only supported with RISC-V Virt machines', 'domain/features/aia'))
    expect(refusal(features(riscv(''), "<aia value='aplic'/>"), { caps: riscvCaps([]) })).toEqual(refused('aia feature is not available with this QEMU binary', 'domain/features/aia'))
    expect(predicts(features(riscv(''), "<aia value='aplic'/>"), { caps: riscvCaps(['machine.virt.aia']) })).toContain("<aia value='aplic'/>")
    // (an <aia/> without a value is none: no check)
    expect(predicts(features(riscv(''), '<aia/>'), { caps: riscvCaps([]) })).not.toContain('<aia')
  })
})

describe("more of libvirt 11's flag checks, from 11.3's source (9.0 reads none of these settings)", () => {
  it('a shim, last of the boot checks', () => {
    const shim = x86('').replace("<type arch='x86_64' machine='pc'>hvm</type>", "<type arch='x86_64' machine='pc'>hvm</type><kernel>/boot/vmlinuz</kernel><shim>/boot/shim.efi</shim>")
    expect(refusal(shim, { caps: x86Without('shim') })).toEqual(refused('shim is not supported by this QEMU binary', 'domain/os/shim'))
    expect(predicts(shim)).toContain('<shim>/boot/shim.efi</shim>')
  })

  it("a virtio-mem device's dynamic memory slots, after its device", () => {
    const mem = (target: string) => x86(`<memory model='virtio-mem'><target${target}><size unit='MiB'>512</size><node>0</node><block unit='MiB'>2</block><requested unit='MiB'>0</requested></target></memory>`, 'q35')
      .replace('<vcpu>1</vcpu>', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu>1</vcpu>").replace('<devices>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><devices>")
    expect(refusal(mem(" dynamicMemslots='yes'"), { caps: x86Without('virtio-mem-pci.dynamic-memslots') })).toEqual(refused('virtio-mem does not support dynamicMemslots', 'domain/devices/memory[1]/target/@dynamicMemslots'))
    expect(refusal(mem(" dynamicMemslots='yes'"), { caps: x86Without('virtio-mem-pci.dynamic-memslots', 'virtio-mem-pci') }).message).toBe("virtio-mem isn't supported by this QEMU binary")
    expect(predicts(mem(" dynamicMemslots='no'"), { caps: x86Without('virtio-mem-pci.dynamic-memslots') })).toContain("dynamicMemslots='no'")
  })

  it("I/O thread mappings of a virtio disk and a virtio-scsi controller", () => {
    const threads = "<iothreads>2</iothreads>"
    const disk = x86(`<disk type='file' device='disk'><driver name='qemu'><iothreads><iothread id='1'/><iothread id='2'/></iothreads></driver><source file='/tmp/x.img'/><target dev='vda' bus='virtio'/></disk>`).replace('<devices>', `${threads}<devices>`)
    expect(refusal(disk, { caps: x86Without('virtio-blk.iothread-mapping') })).toEqual(refused("IOThread mapping for disk 'vda' is not available with this QEMU binary", "domain/devices/disk[target/@dev='vda']/driver/iothreads"))
    const scsi = x86(`<controller type='scsi' model='virtio-scsi'><driver><iothreads><iothread id='1'/></iothreads></driver></controller>`).replace('<devices>', `${threads}<devices>`)
    expect(refusal(scsi, { caps: x86Without('virtio-scsi.iothread-mapping') }).message).toBe('IOThread mapping for virtio-scsi controllers is not available with this QEMU binary')
    expect(refusal(scsi.replace("<controller type='scsi'", "<controller type='scsi'").replace('</driver>', "</driver><address type='spapr-vio'/>"), { caps: x86Without('virtio-scsi.iothread-mapping') }).message).toBe('virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers')
  })

  it("a qcow2 image's discard-no-unref; a virtio video's blob resources, then a memfd backend", () => {
    const disk = x86("<disk type='file' device='disk'><driver name='qemu' type='qcow2' discard_no_unref='on'/><source file='/tmp/x.qcow2'/><target dev='vda' bus='virtio'/></disk>")
    expect(refusal(disk, { caps: x86Without('qcow2-discard-no-unref') })).toEqual(refused("'discard_no_unref' is not supported by this QEMU binary", "domain/devices/disk[target/@dev='vda']/driver/@discard_no_unref"))
    expect(refusal(disk.replace("type='qcow2'", "type='raw'"), { caps: x86Without('qcow2-discard-no-unref') }).message).toBe("'discard_no_unref' only works with qcow2 disk format")
    expect(predicts(disk)).toContain("discard_no_unref='on'")
    const video = (memfd: boolean) => x86("<video><model type='virtio' blob='on'/></video>").replace('<devices>', `${memfd ? "<memoryBacking><source type='memfd'/></memoryBacking>" : ''}<devices>`)
    expect(refusal(video(true), { caps: x86Without('virtio-gpu.blob') })).toEqual(refused("this QEMU does not support 'blob' for virtio-gpu devices", 'domain/devices/video[1]/model/@blob'))
    expect(refusal(video(false)).message).toBe("'blob' support for virtio-gpu devices requires a memfd memory backend")
    expect(predicts(video(true))).toContain("blob='on'")
  })
})
