// The order libvirt's parsers read an element's attributes in, where two of them are faulty (own probes `h35-…`, each
// defined on the sandbox libvirtd 9.0 beside preview): the refusal names the first the parser reads, as
// virDomainDiskDefParseXML, virDomainFSDefParseXML, virDomainVideoDefParseXML, virDomainNetDefParseXML and
// virDomainNumaDefParseXML read them (model's attributeReads, merged per element in table order; deviceReadParts).
// Each refusal beside its near miss: the other fault alone is refused in its own words, and the faults mended are taken.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, extra = ''): string =>
  `<domain type='qemu'><name>ro</name><memory>524288</memory><vcpu>1</vcpu>${extra}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${devices}</devices></domain>`
const invalid = (attribute: string, element: string, value: string, expected = ''): string => `Invalid value for attribute '${attribute}' in element '${element}': '${value}'.${expected}`
const uintExpected = ' Expected non-negative integer value'

describe("a disk's own attributes and its target's (virDomainDiskDefParseXML)", () => {
  const lun = (attrs: string): string => dom(`<disk type='block' device='lun' ${attrs}><driver name='qemu' type='raw'/><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/></disk>`)
  it('rawio is read before sgio', () => {
    expect(refusal(lun("sgio='bogus' rawio='maybe'"), v9)).toMatchObject({ message: invalid('rawio', 'disk', 'maybe') })
    expect(refusal(lun("snapshot='bogus' rawio='maybe'"), v9)).toMatchObject({ message: invalid('snapshot', 'disk', 'bogus') })
    expect(refusal(lun("sgio='bogus' rawio='yes'"), v9)).toMatchObject({ message: invalid('sgio', 'disk', 'bogus') })
    expect(predicts(lun("sgio='filtered' rawio='yes'"), v9)).toContain("<disk type='block' device='lun' rawio='yes' sgio='filtered'>")
  })
  const file = (target: string): string => dom(`<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h35.img'/>${target}</disk>`)
  it("the target's bus and tray before removable and the rotation rate", () => {
    expect(refusal(file("<target dev='sda' bus='bogus' removable='maybe'/>"), v9)).toMatchObject({ message: invalid('bus', 'target', 'bogus') })
    expect(refusal(file("<target dev='sda' bus='bogus' rotation_rate='x'/>"), v9)).toMatchObject({ message: invalid('bus', 'target', 'bogus') })
    expect(refusal(file("<target dev='sda' bus='usb' tray='ajar' removable='maybe'/>"), v9)).toMatchObject({ message: invalid('tray', 'target', 'ajar') })
    expect(refusal(file("<target dev='sda' bus='usb' tray='ajar' rotation_rate='-1'/>"), v9)).toMatchObject({ message: invalid('tray', 'target', 'ajar') })
    expect(refusal(file("<target dev='sda' bus='usb' removable='maybe' rotation_rate='x'/>"), v9)).toMatchObject({ message: invalid('removable', 'target', 'maybe') })
    expect(refusal(file("<target dev='sda' bus='usb' removable='maybe'/>"), v9)).toMatchObject({ message: invalid('removable', 'target', 'maybe') })
    expect(predicts(file("<target dev='sda' bus='usb' removable='on'/>"), v9)).toContain("<target dev='sda' bus='usb' removable='on'/>")
    expect(predicts(file("<target dev='sda' bus='sata' rotation_rate='7200'/>"), v9)).toContain("<target dev='sda' bus='sata' rotation_rate='7200'/>")
  })
})

describe("a filesystem's driver (virDomainFSDefParseXML): its type and write policy, then the virtio options", () => {
  const fs = (driver: string): string => dom(`<filesystem type='mount' accessmode='mapped'><driver ${driver}/><source dir='/tmp'/><target dir='tag0'/></filesystem>`)
  it('refuses the type or the write policy before a virtio option', () => {
    expect(refusal(fs("type='bogus' iommu='maybe'"), v9)).toMatchObject({ message: invalid('type', 'driver', 'bogus') })
    expect(refusal(fs("type='bogus' packed='x' page_per_vq='y'"), v9)).toMatchObject({ message: invalid('type', 'driver', 'bogus') })
    expect(refusal(fs("type='path' wrpolicy='bogus' ats='maybe'"), v9)).toMatchObject({ message: invalid('wrpolicy', 'driver', 'bogus') })
    expect(refusal(fs("type='path' iommu='maybe'"), v9)).toMatchObject({ message: invalid('iommu', 'driver', 'maybe') })
    expect(predicts(fs("type='path' wrpolicy='immediate'"), v9)).toContain("<driver type='path' wrpolicy='immediate'/>")
  })
})

describe('a video device (virDomainVideoDefParseXML): its acceleration and resolution, its driver name, the virtio options', () => {
  const video = (inner: string): string => dom(`<video>${inner}</video>`)
  it("the driver's name before its virtio options", () => {
    expect(refusal(video("<model type='virtio'/><driver name='bogus' iommu='maybe'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(video("<model type='virtio'/><driver name='bogus' ats='maybe'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(video("<model type='virtio'/><driver name='qemu' iommu='maybe'/>"), v9)).toMatchObject({ message: invalid('iommu', 'driver', 'maybe') })
  })
  it("the model's acceleration and resolution before the driver, wherever the driver is written", () => {
    expect(refusal(video("<driver name='bogus'/><model type='virtio'><acceleration accel3d='maybe'/></model>"), v9)).toMatchObject({ message: invalid('accel3d', 'acceleration', 'maybe') })
    expect(refusal(video("<model type='virtio'><acceleration accel2d='maybe'/></model><driver iommu='maybe'/>"), v9)).toMatchObject({ message: invalid('accel2d', 'acceleration', 'maybe') })
    expect(refusal(video("<model type='virtio'><resolution x='abc' y='600'/></model><driver name='bogus'/>"), v9)).toMatchObject({ message: invalid('x', 'resolution', 'abc', uintExpected) })
    expect(refusal(video("<model type='virtio'><acceleration accel3d='no'/></model><driver name='bogus'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
  })
})

describe('a host device NIC (virDomainNetDefParseXML)', () => {
  const nic = (attrs: string, inner = ''): string => dom(`<interface type='hostdev' ${attrs}><source><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>${inner}</interface>`)
  it("its guest RX filter trust before the host device's sgio, rawio and model", () => {
    expect(refusal(nic("trustGuestRxFilters='maybe' sgio='bogus'"), v9)).toMatchObject({ message: invalid('trustGuestRxFilters', 'interface', 'maybe') })
    expect(refusal(nic("trustGuestRxFilters='maybe' rawio='maybe'"), v9)).toMatchObject({ message: invalid('trustGuestRxFilters', 'interface', 'maybe') })
    expect(refusal(nic("trustGuestRxFilters='maybe' model='bogus'"), v9)).toMatchObject({ message: invalid('trustGuestRxFilters', 'interface', 'maybe') })
    expect(refusal(nic("trustGuestRxFilters='no' sgio='bogus'"), v9)).toMatchObject({ message: invalid('sgio', 'interface', 'bogus') })
  })
  it('its PCI backend name (read with the source) before the virtio options', () => {
    expect(refusal(nic('', "<driver name='bogus' iommu='maybe'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(nic('', "<driver name='default' packed='maybe'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'default') })
    expect(refusal(nic('', "<driver name='vfio' iommu='maybe'/>"), v9)).toMatchObject({ message: invalid('iommu', 'driver', 'maybe') })
  })
  it('that backend name with the source: before its MAC, target and VLAN, after the source address', () => {
    expect(refusal(nic('', "<mac address='52:54:00:zz:00:01'/><driver name='bogus'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(nic('', "<target dev='h35' managed='maybe'/><driver name='bogus'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(nic('', "<vlan><tag id='x'/></vlan><driver name='bogus'/>"), v9)).toMatchObject({ message: invalid('name', 'driver', 'bogus') })
    expect(refusal(dom("<interface type='hostdev'><driver name='bogus'/><source><address type='pci' domain='x' bus='0x01' slot='0x00' function='0x0'/></source></interface>"), v9))
      .toMatchObject({ message: invalid('domain', 'address', 'x', uintExpected) })
    // (a virtio NIC's driver name is read with its driver: after the MAC and target)
    expect(refusal(dom("<interface type='user'><driver name='bogus'/><mac address='52:54:00:zz:00:01'/><model type='virtio'/></interface>"), v9)).toMatchObject({ message: "unable to parse mac address '52:54:00:zz:00:01'" })
    expect(refusal(dom("<interface type='user'><driver name='bogus'/><target dev='h35' managed='maybe'/><model type='virtio'/></interface>"), v9)).toMatchObject({ message: invalid('managed', 'target', 'maybe') })
  })
})

describe("a guest NUMA latency (virDomainNumaDefParseXML): its value, then initiator, target, cache and type", () => {
  const numa = (ic: string): string => dom('', `<cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/><interconnects>${ic}</interconnects></numa></cpu>`)
  it('refuses the value first, missing or unreadable', () => {
    expect(refusal(numa("<latency initiator='x' target='0' type='access' value='y'/>"), v9)).toMatchObject({ message: invalid('value', 'latency', 'y', uintExpected) })
    expect(refusal(numa("<latency initiator='0' target='0' type='bogus' value='-1'/>"), v9)).toMatchObject({ message: invalid('value', 'latency', '-1', uintExpected) })
    expect(refusal(numa("<latency initiator='x' target='0' type='access'/>"), v9)).toMatchObject({ message: "Missing required attribute 'value' in element 'latency'" })
    expect(refusal(numa("<latency initiator='x' target='0' type='access' value='5'/>"), v9)).toMatchObject({ message: invalid('initiator', 'latency', 'x', uintExpected) })
    expect(predicts(numa("<latency initiator='0' target='0' type='access' value='5'/>"), v9)).toContain("<latency initiator='0' target='0' type='access' value='5'/>")
  })
})

describe("a guest CPU's migratable switch (virCPUDefParseXML): read, then checked against the mode, before match and check", () => {
  const cpu = (attrs: string): string => dom('', `<cpu ${attrs}/>`)
  it("a value the switch reader refuses is refused in its words, whatever the mode", () => {
    expect(refusal(cpu("mode='custom' migratable='maybe' match='bogus'"), v9)).toMatchObject({ message: invalid('migratable', 'cpu', 'maybe') })
    expect(refusal(cpu("mode='custom' migratable='default' match='bogus'"), v9)).toMatchObject({ message: invalid('migratable', 'cpu', 'default') })
    expect(refusal(cpu("mode='host-passthrough' migratable='maybe' check='bogus'"), v9)).toMatchObject({ message: invalid('migratable', 'cpu', 'maybe') })
  })
  it('on or off, it is refused off the host-passthrough and maximum modes before the match is read', () => {
    expect(refusal(cpu("mode='custom' migratable='on' match='bogus'"), v9)).toMatchObject({ message: "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode" })
    expect(predicts(cpu("mode='host-passthrough' migratable='off'"), v9)).toContain("<cpu mode='host-passthrough' check='none' migratable='off'/>")
  })
})

describe("a filesystem's own attributes (virDomainFSDefParseXML): type, access mode, file and directory modes, model, multidevs", () => {
  const fs = (attrs: string, driver = ''): string => dom(`<filesystem ${attrs}>${driver}<source dir='/tmp'/><target dir='tag0'/></filesystem>`)
  it('a mode that does not read, or above 0777, is refused where it is read: before the model and multidevs', () => {
    expect(refusal(fs("type='mount' accessmode='mapped' fmode='x' model='bogus'"), v9)).toMatchObject({ message: invalid('fmode', 'filesystem', 'x', uintExpected) })
    expect(refusal(fs("type='mount' accessmode='mapped' fmode='0644' dmode='x' multidevs='bogus'"), v9)).toMatchObject({ message: invalid('dmode', 'filesystem', 'x', uintExpected) })
    expect(refusal(fs("type='mount' accessmode='mapped' fmode='01000' model='bogus'"), v9)).toMatchObject({ message: "invalid fmode: '01000'" })
    expect(refusal(fs("type='mount' accessmode='bogus' fmode='x'"), v9)).toMatchObject({ message: invalid('accessmode', 'filesystem', 'bogus') })
    expect(refusal(fs("type='mount' multidevs='bogus'", "<driver type='bogus'/>"), v9)).toMatchObject({ message: invalid('multidevs', 'filesystem', 'bogus') })
  })
})

describe('a display (virDomainGraphicsDefParseXML): its type, its listens (VNC, SPICE), then its own attributes', () => {
  const g = (attrs: string, inner = ''): string => dom(`<graphics ${attrs}>${inner}</graphics>`)
  it("a VNC port that does not read before its websocket; a listen's type before both", () => {
    expect(refusal(g("type='vnc' port='x' websocket='y'"), v9)).toMatchObject({ message: 'cannot parse vnc port x' })
    expect(refusal(g("type='vnc' websocket='x'", "<listen type='bogus'/>"), v9)).toMatchObject({ message: invalid('type', 'listen', 'bogus') })
    expect(refusal(g("type='spice' port='x'", "<listen type='bogus'/>"), v9)).toMatchObject({ message: invalid('type', 'listen', 'bogus') })
    expect(refusal(g("type='vnc' sharePolicy='bogus'", "<audio id='x'/>"), v9)).toMatchObject({ message: invalid('sharePolicy', 'graphics', 'bogus') })
  })
})

describe('<pm> (virDomainDefParseXML): suspend to memory before suspend to disk, whatever the document order', () => {
  it('refuses the memory state first', () => {
    const pm = (inner: string): string => `<domain type='qemu'><name>ro</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices/><pm>${inner}</pm></domain>`
    expect(refusal(pm("<suspend-to-disk enabled='y'/><suspend-to-mem enabled='x'/>"), v9)).toMatchObject({ message: invalid('enabled', 'suspend-to-mem', 'x') })
    expect(refusal(pm("<suspend-to-mem enabled='x'/><suspend-to-disk enabled='y'/>"), v9)).toMatchObject({ message: invalid('enabled', 'suspend-to-mem', 'x') })
  })
})

describe("a host device's type and an RNG's rate: checks that are no typed read, placed in their parser's order", () => {
  it("a subsystem host device's type before its sgio and rawio (virDomainHostdevDefParseXMLSubsys)", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='bogus' sgio='bogus'/>"), v9)).toMatchObject({ message: "unknown host device source address type 'bogus'" })
    expect(refusal(dom("<hostdev mode='subsystem' type='bogus' rawio='maybe'/>"), v9)).toMatchObject({ message: "unknown host device source address type 'bogus'" })
    expect(refusal(dom("<hostdev mode='subsystem' sgio='bogus'/>"), v9)).toMatchObject({ message: 'missing source address type' })
  })
  it("an RNG's rate before its backend (virDomainRNGDefParseXML), at the device it belongs to", () => {
    const backend = "<backend model='egd' type='tcp'><source mode='bogus' host='h' service='1'/></backend>"
    expect(refusal(dom(`<rng model='virtio'>${backend}<rate bytes='x'/></rng>`), v9)).toMatchObject({ message: 'invalid RNG rate bytes value' })
    expect(refusal(dom(`<rng model='virtio'>${backend}<rate bytes='1024' period='x'/></rng>`), v9)).toMatchObject({ message: 'invalid RNG rate period value' })
    expect(refusal(dom(`<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng><rng model='virtio'>${backend}<rate bytes='x'/></rng>`), v9)).toMatchObject({ message: 'invalid RNG rate bytes value', path: 'domain/devices/rng[2]/rate/@bytes' })
    expect(refusal(dom(`<rng model='virtio'>${backend}<rate bytes='1024'/></rng>`), v9)).toMatchObject({ message: invalid('mode', 'source', 'bogus') })
  })
})

describe("a display's children in its type's order (virDomainGraphicsDefParseXMLVNC, …Spice, …DBus, …SDL)", () => {
  const g = (attrs: string, inner = ''): string => dom(`<graphics ${attrs}>${inner}</graphics>`)
  it("SPICE: its password's validity, then its channels, then image, JPEG… settings in the parser's order", () => {
    expect(refusal(g("type='spice' passwd='x' passwdValidTo='bogus'", "<channel name='bogus' mode='any'/>"), v9)).toMatchObject({ message: "cannot parse password validity time 'bogus', expect YYYY-MM-DDTHH:MM:SS" })
    expect(refusal(g("type='spice'", "<image compression='bogus'/><channel name='bogus' mode='any'/>"), v9)).toMatchObject({ message: invalid('name', 'channel', 'bogus') })
    expect(refusal(g("type='spice'", "<jpeg compression='bogus'/><image compression='bogus'/>"), v9)).toMatchObject({ message: invalid('compression', 'image', 'bogus') })
  })
  it("D-Bus and SDL: a <gl> switch read, required (before a D-Bus display's <audio>)", () => {
    expect(refusal(g("type='dbus'", "<audio id='x'/><gl enable='maybe'/>"), v9)).toMatchObject({ message: invalid('enable', 'gl', 'maybe') })
    expect(refusal(g("type='dbus'", "<gl/>"), v9)).toMatchObject({ message: "Missing required attribute 'enable' in element 'gl'" })
    expect(refusal(g("type='sdl'", "<gl enable='maybe'/>"), v9)).toMatchObject({ message: invalid('enable', 'gl', 'maybe') })
    expect(predicts(g("type='sdl'", "<gl enable='no'/>"), v9)).toContain("<gl enable='no'/>")
  })
})

describe("a character device's target: its type and model before its port (virDomainChrDefParseXML)", () => {
  it('refuses an unknown target type or model before a port that does not read', () => {
    expect(refusal(dom("<serial type='pty'><target type='bogus' port='x'/></serial>"), v9)).toMatchObject({ message: "unknown target type 'bogus' specified for character device" })
    expect(refusal(dom("<serial type='pty'><target type='isa-serial' port='x'><model name='bogus'/></target></serial>"), v9)).toMatchObject({ message: "unknown target model 'bogus' specified for character device" })
  })
})

describe("a virtiofs filesystem's binary (virDomainFSDefParseXML): its driver, then xattr, locks, cache and sandbox", () => {
  const fs = (inner: string): string => dom(`<filesystem type='mount'><driver type='virtiofs'/><binary>${inner}</binary><source dir='/tmp'/><target dir='t'/></filesystem>`)
  it("reads the locks before the cache and the cache before the sandbox, wherever written", () => {
    expect(refusal(fs("<cache mode='bogus'/><lock posix='y'/>"), v9)).toMatchObject({ message: invalid('posix', 'lock', 'y') })
    expect(refusal(fs("<sandbox mode='bogus'/><cache mode='bogus'/>"), v9)).toMatchObject({ message: invalid('mode', 'cache', 'bogus') })
  })
  it("a driver's type before a missing source", () => {
    expect(refusal(dom("<filesystem type='mount'><driver type='bogus'/><target dir='t'/></filesystem>"), v9)).toMatchObject({ message: invalid('type', 'driver', 'bogus') })
  })
})


describe("a subsystem host device's source (virDomainHostdevDefParseXMLSubsys, …USBDefParseXML)", () => {
  it("a USB source's vendor before its product, its product before its address, wherever written", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='usb'><source><product id='x'/><vendor id='y'/></source></hostdev>"), v9)).toMatchObject({ message: invalid('id', 'vendor', 'y', uintExpected) })
    expect(refusal(dom("<hostdev mode='subsystem' type='usb'><source><address bus='x' device='1'/><product id='y'/></source></hostdev>"), v9)).toMatchObject({ message: invalid('id', 'product', 'y', uintExpected) })
    expect(refusal(dom("<hostdev mode='subsystem' type='usb'><source guestReset='bogus'><vendor id='y'/></source></hostdev>"), v9)).toMatchObject({ message: invalid('guestReset', 'source', 'bogus') })
  })
  it("another type's startup policy refused before its sgio is read", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='pci' sgio='bogus'><source startupPolicy='optional'><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>"), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
  })
})

describe("a host device NIC's source (virDomainHostdevDefParseXMLSubsys from virDomainNetDefParseXML)", () => {
  const pci = "<address type='pci' domain='0' bus='1' slot='0' function='0'/>"
  it("a startup policy on a source other than USB is refused — before the NIC's sgio, after its RX filter trust", () => {
    expect(refusal(dom(`<interface type='hostdev'><source startupPolicy='optional'>${pci}</source></interface>`), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(refusal(dom(`<interface type='hostdev' sgio='bogus'><source startupPolicy='optional'>${pci}</source></interface>`), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(refusal(dom(`<interface type='hostdev' trustGuestRxFilters='maybe'><source startupPolicy='optional'>${pci}</source></interface>`), v9)).toMatchObject({ message: invalid('trustGuestRxFilters', 'interface', 'maybe') })
  })
  it("a USB source's vendor, product, then address, wherever written", () => {
    expect(refusal(dom("<interface type='hostdev'><source><product id='x'/><vendor id='y'/></source></interface>"), v9)).toMatchObject({ message: invalid('id', 'vendor', 'y', uintExpected) })
    expect(refusal(dom("<interface type='hostdev'><source><address type='usb' bus='x' device='1'/><product id='y'/></source></interface>"), v9)).toMatchObject({ message: invalid('id', 'product', 'y', uintExpected) })
  })
})
