// A disk's less probed parts as libvirt 9.0 reads, post-parses, validates and writes them (own probes `h48-…`, each defined
// on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const IMG = "<source file='/var/lib/libvirt/images/h48.img'/>"
const dom = (devices: string, machine = 'q35', pre = ''): string =>
  `<domain type='qemu'><name>h48</name><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu>${pre}<os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (inner: string, attrs = "type='file' device='disk'"): string => `<disk ${attrs}>${inner}</disk>`

describe("a disk's <driver> read in virDomainDiskDefDriverParseXML's order", () => {
  it("a read error policy of `enospace` is refused as soon as read: before an I/O mode or switch read after it", () => {
    for (const bad of ["io='bogus'", "ioeventfd='bogus'", "discard='bogus'", "queues='x'", "type='bogus'"]) {
      // (written before the policy in the document: libvirt's order counts, not the document's)
      expect(refusal(dom(disk(`<driver ${bad} rerror_policy='enospace' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9))
        .toMatchObject({ code: 'preview-refused', message: "Invalid disk read error policy: 'enospace'" })
    }
    // (the near miss: what is read before it — the cache, the write error policy — is refused first)
    expect(refusal(dom(disk(`<driver rerror_policy='enospace' cache='bogus' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9))
      .toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'cache' in element 'driver': 'bogus'." })
    expect(refusal(dom(disk(`<driver rerror_policy='enospace' error_policy='bogus' name='qemu'/>${IMG}<target dev='sda' bus='scsi'/>`)), v9).message)
      .toContain("attribute 'error_policy'")
  })
})

describe("what only a virtio disk takes, checked together (virDomainDiskDefValidate's bus block)", () => {
  const sata = (driver: string, more = '', source = IMG): string => dom(disk(`<driver name='qemu' type='raw' ${driver}/>${source}<target dev='sda' bus='sata'${more}/>`))
  it('an event index or I/O event fd switch off virtio is refused before a startup policy, a missing medium or a SATA disk read-only', () => {
    expect(refusal(sata("event_idx='on'", '', "<source file='/var/lib/libvirt/images/h48.img' startupPolicy='requisite'/>"), v9).message).toBe('disk event_idx mode supported only for virtio bus')
    expect(refusal(sata("ioeventfd='on'", '', ''), v9).message).toBe('disk ioeventfd mode supported only for virtio bus')
    // (near miss: without the switch, the startup policy's refusal)
    expect(refusal(sata('', '', "<source file='/var/lib/libvirt/images/h48.img' startupPolicy='requisite'/>"), v9).message).toBe("disk startupPolicy 'requisite' is allowed only for cdrom or floppy")
  })
  it("a virtio option off virtio (virDomainCheckVirtioOptionsAreAbsent) comes there too: before a tray or a removable flag", () => {
    const d = dom(disk(`<driver name='qemu' type='raw' iommu='on'/>${IMG}<target dev='sda' bus='sata' removable='on'/>`))
    expect(refusal(d, v9).message).toBe('iommu driver option is only supported for virtio devices')
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='sata' removable='on'/>`)), v9).message).toBe('removable is only valid for usb disks')
  })
})

describe("a disk's address type (virDomainDeviceInfoValidate, virDomainDiskAddressDiskBusCompatibility)", () => {
  it("an unassigned address is refused before any check of the disk's own", () => {
    const words = "address of type 'unassigned' is supported only for hostdevs"
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='sata'/><address type='unassigned'/>`)), v9).message).toBe(words)
    // (a virtio disk's is refused before, by the QEMU driver's post-parse: its own words, a target or not)
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target bus='virtio'/><address type='unassigned'/>`)), v9).message).toBe("virtio disk cannot have an address of type 'unassigned'")
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='scsi' tray='open'/><address type='unassigned'/>`)), v9).message).toBe(words)
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target bus='sata'/><address type='unassigned'/>`)), v9).message).toBe(words)
  })
  it("a SATA disk's address of another type is the generic check's, before the QEMU driver's checks of that address", () => {
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='sata'/><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/>`)), v9).message)
      .toBe("Invalid address type 'ccw' for the disk 'sda' with the bus type 'sata'")
    // (after a LUN's source and a disk's raw I/O, before a virtio model)
    const pci = "<address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/>"
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='scsi'/>${pci}`, "type='file' device='disk' rawio='yes'")), v9).message).toBe("rawio can be used only with device='lun'")
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='sata'/>${pci}`, "type='file' device='disk' model='virtio'")), v9).message)
      .toBe("Invalid address type 'pci' for the disk 'sda' with the bus type 'sata'")
  })
})

describe("a disk target's partition (qemuValidateDomainDeviceDefDisk, after its front end's checks)", () => {
  const vda1 = (inner: string, attrs?: string): string => dom(disk(`${inner}<target dev='vda1' bus='virtio'/>`, attrs))
  it('is refused after the generic and the front-end checks, the shared access and the driver name', () => {
    expect(refusal(vda1(`<driver name='qemu' type='raw'/>${IMG}`, "type='file' device='cdrom'"), v9).message).toBe("disk type of 'vda1' does not support ejectable media")
    expect(refusal(vda1(`<driver name='qemu' type='raw'/>`), v9).message).toBe('missing source information for device vda1')
    expect(refusal(vda1(`<driver name='tap' type='raw'/>${IMG}`), v9).message).toBe("unsupported driver name 'tap' for disk 'vda1'")
    // (the near miss: alone, and before the storage format's checks — a `cow` image)
    expect(refusal(vda1(`<driver name='qemu' type='raw'/>${IMG}`), v9).message).toBe("invalid disk target 'vda1', partitions can't appear in disk targets")
    expect(refusal(vda1(`<driver name='qemu' type='cow'/>${IMG}`), v9).message).toBe("invalid disk target 'vda1', partitions can't appear in disk targets")
  })
  it("a `cow` backing image is refused too (qemuDomainValidateStorageSource for each image of the chain)", () => {
    expect(refusal(dom(disk(`<driver name='qemu' type='qcow2'/>${IMG}<target dev='vda' bus='virtio'/><backingStore type='file'><format type='cow'/><source file='/x.img'/></backingStore>`)), v9).message)
      .toBe("'cow' storage format is not supported")
  })
})

describe("a disk target's tray and name as post-parse leaves them", () => {
  it("a closed tray is no tray: taken on a hard disk or LUN, not written", () => {
    const out = predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='vda' bus='virtio' tray='closed'/>`)), v9)
    expect(out).toContain("<target dev='vda' bus='virtio'/>")
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='vda' bus='virtio' tray='open'/>`)), v9).message).toBe('tray is only valid for cdrom and floppy')
  })
  it("the Xen driver's old `ioemu:` prefix is dropped before the address and the checks (virDomainDiskDefPostParse)", () => {
    expect(predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='ioemu:vda' bus='virtio'/>`)), v9)).toContain("<target dev='vda' bus='virtio'/>")
    expect(predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='ioemu:sda' bus='scsi'/>`)), v9)).toContain("<target dev='sda' bus='scsi'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='0'/>")
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='ioemu:' bus='virtio'/>`)), v9).message).toBe("Unknown disk name '' and no address specified")
    // (two disks of one name once the prefix is gone)
    expect(refusal(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='ioemu:vda' bus='virtio'/>`) + disk(`<driver name='qemu' type='raw'/><source file='/b.img'/><target dev='vda' bus='virtio'/>`)), v9).message)
      .toContain("target 'vda' duplicated")
  })
})

describe('what the disk formatter writes', () => {
  it('a back-end domain only with a name (virXPathString: an empty one is none)', () => {
    expect(predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='vda' bus='virtio'/><backenddomain/>`)), v9)).not.toContain('backenddomain')
    expect(predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='vda' bus='virtio'/><backenddomain name=''/>`)), v9)).not.toContain('backenddomain')
    expect(predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='vda' bus='virtio'/><backenddomain name='dom0'/>`)), v9)).toContain("<backenddomain name='dom0'/>")
  })
  it("a drive address's numbers are written signed (`%d`): unit 4294967295 is -1", () => {
    const at = (unit: string): string => predicts(dom(disk(`<driver name='qemu' type='raw'/>${IMG}<target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='${unit}'/>`)), v9)
    expect(at('4294967295')).toContain("unit='-1'/>")
    expect(at('2147483648')).toContain("unit='-2147483648'/>")
    expect(at('2147483647')).toContain("unit='2147483647'/>")
  })
})

describe("a shareable writable disk's format (qemuBlockStorageSourceSupportsConcurrentAccess)", () => {
  const vol = (driver: string, more = ''): string => dom(disk(`${driver}<source pool='default' volume='h48.img'/><target dev='vda' bus='virtio'/><shareable/>${more}`, "type='volume' device='disk'"))
  it('a volume without a format is not raw (post-parse leaves its format unset): refused', () => {
    expect(refusal(vol("<driver name='qemu'/>"), v9).message).toBe("shared access for disk 'vda' requires use of supported storage format")
    expect(refusal(vol(''), v9).message).toBe("shared access for disk 'vda' requires use of supported storage format")
    // (near misses: raw, or read-only)
    expect(predicts(vol("<driver name='qemu' type='raw'/>"), v9)).toContain('<shareable/>')
    expect(predicts(vol("<driver name='qemu'/>", '<readonly/>'), v9)).toContain('<shareable/>')
  })
  it("libvirt 11: a raw image QEMU decrypts as LUKS is not raw (qemuBlockStorageSourceIsRaw; 9.0 takes it)", () => {
    const luks = dom(disk(`<driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h48.img'><encryption format='luks'><secret type='passphrase' usage='s'/></encryption></source><target dev='vda' bus='virtio'/><shareable/>`))
    expect(refusal(luks).message).toBe("shared access for disk 'vda' requires use of supported storage format")
    expect(predicts(luks, v9)).toContain('<shareable/>')
  })
})
