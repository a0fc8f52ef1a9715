// Capability checks and the corners the probes oracle listed as not reproduced, found by probing the sandbox libvirtd
// 9.0 (each case here was defined on it, arch as named; probes h9-…, h1-… of fixtures/preview/probes and h11-… of
// fixtures/preview/probes/capabilities.xml) or, for what libvirt 11.3 alone checks, read off its source with its test
// capabilities.
import { describe, expect, it } from 'vitest'
import { capsXml, domainXml } from './_caps.ts'
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
