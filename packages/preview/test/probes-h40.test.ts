// Host devices, displays and filesystems as libvirt 9.0 reads them (own probes `h40-…`, each defined on the sandbox
// libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35'): string =>
  `<domain type='qemu'><name>h40</name><memory unit='KiB'>262144</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`

const U1 = 'c2177883-f1bb-4b0b-b9c4-7e8a7b9b5b3a'
const U2 = 'd3277883-f1bb-4b0b-b9c4-7e8a7b9b5b3b'
const pciSource = "<address domain='0x0000' bus='0x06' slot='0x02' function='0x0'/>"
const usbIds = "<vendor id='0x1234'/><product id='0xbeef'/>"

describe("a host device's later <source> (virDomainHostdevDefParseXMLSubsys: the first source, but ./source/… through every one)", () => {
  const mdev = (sources: string): string => dom(`<hostdev mode='subsystem' type='mdev' model='vfio-pci'>${sources}</hostdev>`)
  it("a mediated device's address is the first in any source (virDomainHostdevSubsysMediatedDevDefParseXML: ./source/address)", () => {
    expect(predicts(mdev(`<source/><source><address uuid='${U2}'/></source>`), v9)).toContain(`<source>\n        <address uuid='${U2}'/>\n      </source>`)
    const both = predicts(mdev(`<source><address uuid='${U1}'/></source><source><address uuid='${U2}'/></source>`), v9)
    expect(both).toContain(`<address uuid='${U1}'/>`)
    expect(both).not.toContain(U2)
    // (the first address read, even without a UUID: the second source's is not looked at)
    expect(refusal(mdev(`<source><address/></source><source><address uuid='${U2}'/></source>`), v9)).toMatchObject({ message: "Missing 'uuid' attribute for element <address>" })
    expect(refusal(mdev('<source/><source/>'), v9)).toMatchObject({ message: 'Missing <address> element' })
  })
  it('a startup policy in any source is refused off USB (boolean(./source/@startupPolicy))', () => {
    const pci = (sources: string): string => dom(`<hostdev mode='subsystem' type='pci' managed='yes'>${sources}</hostdev>`, 'pc')
    expect(refusal(pci(`<source>${pciSource}</source><source startupPolicy='optional'/>`), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(refusal(pci(`<source>${pciSource}</source><source startupPolicy='bogus'/>`), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(refusal(mdev(`<source><address uuid='${U1}'/></source><source startupPolicy='optional'/>`), v9)).toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0'/><source startupPolicy='optional'/></hostdev>"), v9))
      .toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    // (the near miss: a second source without one; its address is not read — the first source's is)
    const kept = predicts(pci(`<source>${pciSource}</source><source/>`), v9)
    expect(kept).toContain(`<source>\n        ${pciSource}\n      </source>`)
    expect(predicts(pci(`<source/><source>${pciSource}</source>`), v9)).toContain("<source>\n        <address domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>\n      </source>")
  })
  it("a USB device's startup policy is its first source's: a second source's bad one is not read", () => {
    const usb = (sources: string): string => dom(`<hostdev mode='subsystem' type='usb'>${sources}</hostdev>`)
    const stored = predicts(usb(`<source>${usbIds}</source><source startupPolicy='bogus'/>`), v9)
    expect(stored).toContain(`<source>\n        <vendor id='0x1234'/>`)
    expect(stored).not.toContain('startupPolicy')
  })
  it("a capabilities device's own element is the first in any source; an empty one is none (string(./source/block[1]))", () => {
    const caps = (type: string, sources: string): string => dom(`<hostdev mode='capabilities' type='${type}'>${sources}</hostdev>`, 'pc')
    expect(refusal(caps('storage', '<source/><source><block>/dev/sdb</block></source>'), v9)).toMatchObject({ message: "hostdev mode 'capabilities' is not supported in qemu" })
    expect(refusal(caps('misc', '<source/><source><char>/dev/ttyS0</char></source>'), v9)).toMatchObject({ message: "hostdev mode 'capabilities' is not supported in qemu" })
    expect(refusal(caps('net', '<source/><source><interface>eth9</interface></source>'), v9)).toMatchObject({ message: "hostdev mode 'capabilities' is not supported in qemu" })
    expect(refusal(caps('storage', '<source><block/></source><source><block>/dev/sdb</block></source>'), v9)).toMatchObject({ message: 'Missing <block> element in hostdev storage device' })
  })
})

describe("a host device interface's sources (virDomainNetDefParseXML: string(./source/address/@type), ./source/vendor)", () => {
  const nic = (sources: string): string => dom(`<interface type='hostdev' managed='yes'><mac address='52:54:00:11:22:33'/>${sources}</interface>`, 'pc')
  it("takes the address type from any source's address and the numbers from the first source's first address", () => {
    const stored = "<source>\n        <address type='pci' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/>\n      </source>"
    expect(predicts(nic(`<source>${pciSource}</source><source><address type='pci' domain='0x0000' bus='0x07' slot='0x03' function='0x1'/></source>`), v9)).toContain(stored)
    expect(predicts(nic(`<source>${pciSource}<address type='pci' domain='0x0000' bus='0x07' slot='0x03' function='0x1'/></source>`), v9)).toContain(stored)
    expect(predicts(nic(`<source><address type='pci' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source><source><address domain='0x0000' bus='0x07' slot='0x03' function='0x1'/></source>`), v9)).toContain(stored)
    // (a USB address type read from the second: the first's bus and device, required of a USB address)
    expect(refusal(nic(`<source>${pciSource}</source><source><address type='usb' bus='1' device='2'/></source>`), v9)).toMatchObject({ message: "Missing required attribute 'device' in element 'address'" })
    // (an empty type written first is none)
    expect(refusal(nic("<source><address type='' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source><source><address type='pci' domain='0x0000' bus='0x07' slot='0x03' function='0x1'/></source>"), v9)).toMatchObject({ message: 'missing source address type' })
  })
  it('is a USB device when any source has a vendor; a first source without one holds no USB device', () => {
    expect(predicts(nic(`<source><address bus='1' device='2'/></source><source>${usbIds}</source>`), v9)).toContain("<source>\n        <address type='usb' bus='1' device='2'/>\n      </source>")
    const bare = predicts(nic(`<source/><source>${usbIds}</source>`), v9)
    expect(bare).not.toContain('<source')
    expect(bare).toContain("<address type='usb' bus='0' port='1'/>")
  })
  it("refuses a startup policy in any source off USB, reads a USB device's from its first source alone", () => {
    expect(refusal(nic("<source><address type='pci' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source><source startupPolicy='optional'/>"), v9))
      .toMatchObject({ message: 'Setting startupPolicy is only allowed for USB devices' })
    expect(predicts(nic(`<source>${usbIds}</source><source startupPolicy='bogus'/>`), v9)).not.toContain('startupPolicy')
    expect(refusal(nic(`<source><address uuid='${U1}'/></source><source><address type='mdev'/></source>`), v9)).toMatchObject({ message: "Missing required attribute 'model' in element 'interface'" })
  })
})

describe('a display as libvirt 9.0 reads and writes it (virDomainGraphicsDefParseXML, virDomainGraphicsDefFormat)', () => {
  const g = (graphics: string): string => dom(graphics)
  it("a VNC display's websocketGenerated='yes' is written back as websocket -1, after a websocket that reads", () => {
    expect(predicts(g("<graphics type='vnc' port='5901' autoport='no' websocketGenerated='yes'/>"), v9)).toContain("<graphics type='vnc' port='5901' autoport='no' websocket='-1'>")
    expect(predicts(g("<graphics type='vnc' port='5901' autoport='no' websocket='5700' websocketGenerated='yes'/>"), v9)).toContain("<graphics type='vnc' port='5901' autoport='no' websocket='-1'>")
    // (the near miss: `no` keeps the websocket written)
    expect(predicts(g("<graphics type='vnc' port='5901' autoport='no' websocket='5700' websocketGenerated='no'/>"), v9)).toContain("<graphics type='vnc' port='5901' autoport='no' websocket='5700'>")
  })
  it('a VNC display on a socket or listening nowhere is written without port, autoport or websocket', () => {
    expect(predicts(g("<graphics type='vnc' socket='/tmp/h40.sock' port='5901'/>"), v9)).toContain("<graphics type='vnc' socket='/tmp/h40.sock'>\n      <listen type='socket' socket='/tmp/h40.sock'/>")
    expect(predicts(g("<graphics type='vnc' port='5901' autoport='no' websocket='5700'><listen type='none'/></graphics>"), v9)).toContain("<graphics type='vnc'>\n      <listen type='none'/>")
    expect(predicts(g("<graphics type='vnc' autoport='yes' websocket='-1'><listen type='socket' socket='/tmp/x.sock'/></graphics>"), v9)).toContain("<graphics type='vnc' socket='/tmp/x.sock'>\n      <listen type='socket' socket='/tmp/x.sock'/>")
  })
  it("a first socket listen without a socket takes the display's own, a SPICE display's too (virDomainGraphicsListenDefParseXML's socketCompat)", () => {
    expect(predicts(g("<graphics type='vnc' socket='/tmp/a.sock'><listen type='socket'/></graphics>"), v9)).toContain("<graphics type='vnc' socket='/tmp/a.sock'>\n      <listen type='socket' socket='/tmp/a.sock'/>")
    expect(predicts(g("<graphics type='spice' socket='/tmp/a.sock'><listen type='socket'/></graphics>"), v9)).toContain("<graphics type='spice'>\n      <listen type='socket' socket='/tmp/a.sock'/>")
    // (an empty one is none: neither the listen's nor the display's written)
    expect(predicts(g("<graphics type='vnc' socket=''><listen type='socket'/></graphics>"), v9)).toContain("<graphics type='vnc'>\n      <listen type='socket'/>")
    expect(refusal(g("<graphics type='spice' socket='/tmp/a.sock'><listen type='socket' socket='/tmp/b.sock'/></graphics>"), v9))
      .toMatchObject({ message: "graphics 'socket' attribute '/tmp/a.sock' must match 'socket' attribute of first listen element (found '/tmp/b.sock')" })
  })
  it('an empty network or socket on a listen is none: not written, and a network listen without one refused', () => {
    expect(predicts(g("<graphics type='vnc'><listen type='address' network=''/></graphics>"), v9)).toContain("<graphics type='vnc' port='-1' autoport='yes'>\n      <listen type='address'/>")
    expect(predicts(g("<graphics type='vnc'><listen type='address' socket=''/></graphics>"), v9)).toContain("<graphics type='vnc' port='-1' autoport='yes'>\n      <listen type='address'/>")
    expect(refusal(g("<graphics type='vnc'><listen type='network' network=''/></graphics>"), v9)).toMatchObject({ message: "'network' attribute is required for listen type 'network'" })
    expect(refusal(g("<graphics type='spice'><listen type='network' network=''/></graphics>"), v9)).toMatchObject({ message: "'network' attribute is required for listen type 'network'" })
  })
  it("a SPICE display's default mode any, a D-Bus display's p2p no and an SDL display's GL render node are not written", () => {
    expect(predicts(g("<graphics type='spice' defaultMode='any'/>"), v9)).toContain("<graphics type='spice'>\n      <listen type='none'/>")
    expect(predicts(g("<graphics type='spice' defaultMode='secure'/>"), v9)).toContain("defaultMode='secure'")
    expect(predicts(g("<graphics type='dbus' p2p='no'/>"), v9)).toContain("<graphics type='dbus'/>")
    expect(predicts(g("<graphics type='dbus' p2p='no' address='unix:path=/tmp/h40'/>"), v9)).toContain("<graphics type='dbus' address='unix:path=/tmp/h40'/>")
    expect(predicts(g("<graphics type='sdl'><gl enable='yes' rendernode='/dev/dri/renderD128'/></graphics>"), v9)).toContain("<graphics type='sdl'>\n      <gl enable='yes'/>\n    </graphics>")
  })
})

describe('a filesystem as libvirt 9.0 reads and writes it (virDomainFSDefParseXML, virDomainFSDefFormat)', () => {
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  const fs = (inner: string, attrs = " type='mount'", top = ''): string =>
    `<domain type='qemu'><name>h40</name><memory unit='KiB'>262144</memory><vcpu>1</vcpu>${top}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices><filesystem${attrs}>${inner}</filesystem></devices></domain>`
  const virtiofs = (binary: string): string => fs(`<driver type='virtiofs'/>${binary}<source dir='/tmp'/><target dir='mnt'/>`, " type='mount'", shared)
  it("a virtiofs queue size read by strtoull: a minus wraps, -1 is 2^64 - 1", () => {
    expect(predicts(fs("<driver type='virtiofs' queue='-1'/><source dir='/tmp'/><target dir='mnt'/>", " type='mount'", shared), v9)).toContain("<driver type='virtiofs' queue='18446744073709551615'/>")
    expect(predicts(fs("<driver type='virtiofs' queue='+1024'/><source dir='/tmp'/><target dir='mnt'/>", " type='mount'", shared), v9)).toContain("<driver type='virtiofs' queue='1024'/>")
    expect(refusal(fs("<driver type='virtiofs' queue='x'/><source dir='/tmp'/><target dir='mnt'/>", " type='mount'", shared), v9)).toMatchObject({ message: "cannot parse queue size 'x' for virtiofs" })
  })
  it("a daemon's cache or sandbox without a mode, lock without a switch, thread pool without a size are not written", () => {
    for (const empty of ['<cache/>', '<sandbox/>', '<lock/>', '<thread_pool/>']) {
      const stored = predicts(virtiofs(`<binary>${empty}</binary>`), v9)
      expect(stored, empty).toContain("<driver type='virtiofs'/>\n      <source dir='/tmp'/>")
      expect(stored, empty).not.toContain('<binary')
    }
    expect(predicts(virtiofs("<binary><lock flock='on'/></binary>"), v9)).toContain("<binary>\n        <lock flock='on'/>\n      </binary>")
  })
  it('a mount served by a socket is written with the socket alone', () => {
    const stored = predicts(fs("<source dir='/tmp' socket='/tmp/vfs.sock'/><target dir='mnt'/>"), v9)
    expect(stored).toContain("<source socket='/tmp/vfs.sock'/>")
    expect(stored).not.toContain("dir='/tmp'")
  })
  it("a volume's pool and volume go together and its mode is a volume disk's, refused before the driver and the QEMU driver's check", () => {
    expect(refusal(fs("<source pool='p'/><target dir='mnt'/>", " type='volume'"), v9)).toMatchObject({ message: "'pool' and 'volume' must be specified together for 'pool' type source" })
    expect(refusal(fs("<driver type='path' format='bogus'/><source pool='p'/><target dir='mnt'/>", " type='volume'"), v9)).toMatchObject({ message: "'pool' and 'volume' must be specified together for 'pool' type source" })
    expect(refusal(fs("<driver type='bogus'/><source pool='p' volume='v' mode='bogus'/><target dir='mnt'/>", " type='volume'"), v9)).toMatchObject({ message: "unknown source mode 'bogus' for volume type disk" })
    expect(refusal(fs("<source pool='p' volume='v' mode='host'/><target dir='mnt'/>", " type='volume'"), v9)).toMatchObject({ message: 'only supports mount filesystem type' })
  })
  it('space limits are read before the driver', () => {
    expect(refusal(fs("<driver type='bogus'/><source dir='/tmp'/><target dir='mnt'/><space_hard_limit unit='bogus'>1</space_hard_limit>"), v9)).toMatchObject({ message: "unknown suffix 'bogus'" })
  })
  it("a RAM filesystem's usage read by strtoull, then scaled (KiB when no units) within 2^64 - 1 bytes", () => {
    expect(refusal(fs("<source usage='-1'/><target dir='mnt'/>", " type='ram'"), v9)).toMatchObject({ message: 'value too large: 18446744073709551615' })
    expect(refusal(fs("<source usage='-1' units='KiB'/><target dir='mnt'/>", " type='ram'"), v9)).toMatchObject({ message: 'value too large: 18446744073709551615KiB' })
    expect(refusal(fs("<source usage='18014398509481984'/><target dir='mnt'/>", " type='ram'"), v9)).toMatchObject({ message: 'value too large: 18014398509481984' })
    expect(refusal(fs("<source usage='18014398509481983'/><target dir='mnt'/>", " type='ram'"), v9)).toMatchObject({ message: 'only supports mount filesystem type' })
    expect(refusal(fs("<source usage='-5' units='bytes'/><target dir='mnt'/>", " type='ram'"), v9)).toMatchObject({ message: 'only supports mount filesystem type' })
  })
})

describe("a SCSI host device's address of another type (virDomainHostdevDefValidate; virDomainDefMaybeAddHostdevSCSIcontroller)", () => {
  const scsi = (address: string, machine = 'pc'): string =>
    dom(`<controller type='scsi' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source>${address}</hostdev>`, machine)
  it('is refused for its type by the generic check, before the QEMU driver refuses a CCW address off s390', () => {
    expect(refusal(scsi("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0005'/>"), v9)).toMatchObject({ message: "SCSI host device must use 'drive' address type" })
    expect(refusal(dom(`<hostdev mode='subsystem' type='pci' managed='yes'><source>${pciSource}</source><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0005'/></hostdev>`, 'pc'), v9))
      .toMatchObject({ message: "PCI host devices must use 'pci' or 'unassigned' address type" })
    expect(refusal(dom(`<hostdev mode='subsystem' type='usb'><source>${usbIds}</source><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0005'/></hostdev>`, 'pc'), v9))
      .toMatchObject({ message: "USB host device must use 'usb' address type" })
    // (the near miss: a vhost SCSI host takes a CCW address — the QEMU driver's words then)
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0'/><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0005'/></hostdev>", 'pc'), v9).message)
      .toMatch(/^cannot use CCW address type for device '<null>' using machine type 'pc-i440fx/)
  })
  it("names a SCSI controller by its address's first word: an ISA iobase of 0x300 asks for 769 SCSI controllers, refused for their PCI slots before validation", () => {
    // (libvirtd 9.0: "a PCI slot is needed to connect a PCI controller model='pci-bridge', but none is available…"; preview
    // runs out of slots in other words — as for a drive address naming controller 768)
    const refused = refusal(scsi("<address type='isa' iobase='0x300'/>"), v9)
    expect(refused.message).not.toBe("SCSI host device must use 'drive' address type")
    expect(refused.message).toMatch(/PCI slot/)
    // (the near miss: iobase 0x1f4, 501 controllers, fit — then the generic check)
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><address type='isa' iobase='0x1f4'/></hostdev>", 'pc'), v9))
      .toMatchObject({ message: "SCSI host device must use 'drive' address type" })
  })
})

describe("the attributes' order (virDomainFSDefFormat, virDomainHostdevDefFormat, virDomainHostdevDefFormatSubsysUSB)", () => {
  const target = "<source dir='/tmp'/><target dir='mnt'/>"
  it("a filesystem's model and multidevs before its modes, its driver's format and write policy before the rest", () => {
    expect(predicts(dom(`<filesystem dmode='0755' fmode='0644' multidevs='remap' model='virtio' accessmode='mapped' type='mount'>${target}</filesystem>`), v9))
      .toContain("<filesystem type='mount' accessmode='mapped' model='virtio' multidevs='remap' fmode='0644' dmode='0755'>")
    expect(predicts(dom(`<filesystem type='mount' multidevs='remap' model='virtio'>${target}</filesystem>`), v9)).toContain("<filesystem type='mount' accessmode='passthrough' model='virtio' multidevs='remap'>")
    expect(predicts(dom(`<filesystem type='mount'><driver page_per_vq='on' packed='on' ats='on' iommu='on' wrpolicy='immediate' format='raw' type='path'/>${target}</filesystem>`), v9))
      .toContain("<driver type='path' format='raw' wrpolicy='immediate' iommu='on' ats='on' packed='on' page_per_vq='on'/>")
  })
  it("a host device's sgio and rawio after managed; a USB source's startup policy before its guest reset", () => {
    expect(predicts(dom("<hostdev rawio='yes' sgio='filtered' managed='no' type='scsi' mode='subsystem'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>"), v9))
      .toContain("<hostdev mode='subsystem' type='scsi' managed='no' sgio='filtered' rawio='yes'>")
    expect(predicts(dom(`<hostdev mode='subsystem' type='usb'><source guestReset='off' startupPolicy='optional'>${usbIds}</source></hostdev>`), v9)).toContain("<source startupPolicy='optional' guestReset='off'>")
  })
  it("a host device interface's managed before its RX filter trust (virDomainNetDefFormat)", () => {
    expect(predicts(dom("<interface type='hostdev' trustGuestRxFilters='no' managed='yes'><mac address='52:54:00:11:22:92'/><source><address type='pci' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source><model type='virtio'/></interface>", 'pc'), v9))
      .toContain("<interface type='hostdev' managed='yes' trustGuestRxFilters='no'>")
  })
})

describe("a SCSI host device's address read as a drive address whatever its type, against the SCSI disks' (virDomainHostdevDefPostParse)", () => {
  const disk = "<disk type='file' device='disk'><source file='/tmp/h40.img'/><target dev='sda' bus='scsi'/></disk>"
  const scsi = (address: string, withDisk = true): string =>
    dom(`${withDisk ? disk : ''}<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source>${address}</hostdev>`, 'pc')
  const inUse = "SCSI host address controller='0' bus='0' target='0' unit='0' in use by a SCSI disk"
  it('refuses one whose words are 0:0:0:0 beside sda, in the post-parse, before its address type is checked', () => {
    for (const address of ["<address type='virtio-mmio'/>", "<address type='unassigned'/>", "<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>", "<address type='ccid' controller='0' slot='0'/>", "<address type='virtio-serial' controller='0' bus='0' port='0'/>", "<address type='isa' iobase='0x0'/>", "<address type='dimm' slot='0'/>"]) {
      expect(refusal(scsi(address), v9), address).toMatchObject({ message: inUse })
    }
  })
  it('takes others to the address type check: other words, or no disk there', () => {
    for (const address of ["<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>", "<address type='ccid' controller='0' slot='1'/>", "<address type='usb' bus='0' port='1'/>", "<address type='isa' iobase='0x0' irq='0x1'/>", "<address type='ccw' cssid='0x0' ssid='0x0' devno='0x0000'/>"]) {
      expect(refusal(scsi(address), v9), address).toMatchObject({ message: "SCSI host device must use 'drive' address type" })
    }
    expect(refusal(scsi("<address type='virtio-mmio'/>", false), v9)).toMatchObject({ message: "SCSI host device must use 'drive' address type" })
  })
  it("a drive address the disk is given refuses the disk first, in the disk's words", () => {
    expect(refusal(scsi("<address type='drive' controller='0' bus='0' target='0' unit='0'/>"), v9).message)
      .toBe("using disk target name 'sda' conflicts with SCSI host device address controller='0' bus='0' target='0' unit='0")
  })
})

describe("a capabilities network host device's IP addresses and routes, read from the host device (virDomainHostdevDefParseXMLCaps)", () => {
  const net = (source: string, own: string): string => dom(`<hostdev mode='capabilities' type='net'><source>${source}</source>${own}</hostdev>`, 'pc')
  it("refuses them as an interface's, in the parser, before the QEMU driver refuses the mode", () => {
    expect(refusal(net('<interface>eth9</interface>', "<ip address='bogus'/>"), v9)).toMatchObject({ message: "Invalid address 'bogus' in <ip>" })
    expect(refusal(net('<interface>eth9</interface>', "<ip address='10.0.0.1' prefix='33'/>"), v9)).toMatchObject({ message: "Invalid prefix value '33' in <ip>" })
    expect(refusal(net('<interface>eth9</interface>', "<ip prefix='24'/>"), v9)).toMatchObject({ message: 'Missing required address in <ip>' })
    expect(refusal(net('<interface>eth9</interface>', "<route address='10.0.0.0' prefix='8' gateway='bogus'/>"), v9)).toMatchObject({ message: "Domain hostdev device: Bad gateway address 'bogus' in route definition" })
  })
  it('reads none below the source, and its interface first', () => {
    const unsupported = "hostdev mode 'capabilities' is not supported in qemu"
    expect(refusal(net("<interface>eth9</interface><ip address='bogus'/>", ''), v9)).toMatchObject({ message: unsupported })
    expect(refusal(net('<interface>eth9</interface>', "<ip address='10.0.0.1' prefix='24'/>"), v9)).toMatchObject({ message: unsupported })
    expect(refusal(net('', "<ip address='bogus'/>"), v9)).toMatchObject({ message: 'Missing <interface> element in hostdev net device' })
    // (nor on another kind of host device)
    expect(refusal(dom("<hostdev mode='capabilities' type='storage'><source><block>/dev/sdb</block></source><ip address='bogus'/></hostdev>", 'pc'), v9)).toMatchObject({ message: unsupported })
  })
})

describe('USB host devices of neither IDs nor address are one device (virDomainHostdevMatchSubsysUSB on a zeroed source)', () => {
  const usb = (source: string): string => `<hostdev mode='subsystem' type='usb'>${source}</hostdev>`
  const twice = 'Hostdev already exists in the domain configuration'
  it('refuses two of them, as host devices or host device interfaces, and one before a device of address (its IDs, 0, match)', () => {
    expect(refusal(dom(usb('<source/>') + usb('<source/>'), 'pc'), v9)).toMatchObject({ message: twice })
    expect(refusal(dom("<interface type='hostdev' managed='yes'><mac address='52:54:00:11:22:33'/><source/><source><vendor id='0x1234'/><product id='0xbeef'/></source></interface><interface type='hostdev' managed='yes'><mac address='52:54:00:11:22:34'/><source/><source><vendor id='0x1234'/><product id='0xbeef'/></source></interface>", 'pc'), v9))
      .toMatchObject({ message: twice })
    expect(refusal(dom("<interface type='hostdev'><mac address='52:54:00:11:22:33'/><source><address type='usb' bus='0' device='0'/></source></interface>" + usb('<source/>'), 'pc'), v9)).toMatchObject({ message: twice })
    expect(refusal(dom(usb('<source/>') + usb("<source><address bus='1' device='2'/></source>"), 'pc'), v9)).toMatchObject({ message: twice })
  })
  it('takes one beside a device of IDs, or after a device of address (matched by its address)', () => {
    expect(predicts(dom(usb('<source/>') + usb(`<source>${usbIds}</source>`), 'pc'), v9)).toContain(`<source>\n        ${usbIds.replace('><', '>\n        <')}\n      </source>`)
    expect(predicts(dom(usb("<source><address bus='1' device='2'/></source>") + usb('<source/>'), 'pc'), v9)).toContain("<address bus='1' device='2'/>")
  })
})

describe("a USB host device interface in the host devices' list before every <hostdev> (the parser reads the interfaces first)", () => {
  const nic = (mac: string): string => `<interface type='hostdev'><mac address='52:54:00:11:22:${mac}'/><source>${usbIds}</source></interface>`
  it('takes USB port 1 before a USB host device written earlier (virDomainUSBDeviceDefForeach over def->hostdevs)', () => {
    const stored = predicts(dom(`<hostdev mode='subsystem' type='usb'><source/></hostdev>${nic('74')}`), v9)
    expect(stored).toContain(`<source>\n        ${usbIds.replace('><', '>\n        <')}\n      </source>\n      <address type='usb' bus='0' port='1'/>\n    </interface>`)
    expect(stored).toContain("<hostdev mode='subsystem' type='usb' managed='no'>\n      <address type='usb' bus='0' port='2'/>")
  })
  it('is the same device as a USB host device of its IDs: its type read from its vendor (virDomainHostdevMatchSubsysUSB)', () => {
    expect(refusal(dom(`<hostdev mode='subsystem' type='usb'><source>${usbIds}</source></hostdev>${nic('31')}`), v9)).toMatchObject({ message: 'Hostdev already exists in the domain configuration' })
    expect(refusal(dom(`<hostdev mode='subsystem' type='usb'><source>${usbIds}<address bus='1' device='2'/></source></hostdev>${nic('67')}`), v9)).toMatchObject({ message: 'Hostdev already exists in the domain configuration' })
    // (the near miss: other IDs)
    expect(predicts(dom(`<hostdev mode='subsystem' type='usb'><source><vendor id='0x1235'/><product id='0xbeef'/></source></hostdev>${nic('24')}`), v9)).toContain("<vendor id='0x1235'/>")
  })
})

describe("a virtio host device interface on s390 (qemuDomainPrimeVirtioDeviceAddresses, then virDomainHostdevDefValidate)", () => {
  const s390 = { v9: true, caps: capsXml({ arch: 's390x', flags: ['virtio-blk-ccw', 'virtio-net', 'virtio-net-ccw', 'virtio-ccw', 'zpci', 'virtio-pci', 'vfio-pci', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" }) }
  const nic = (extra: string): string => `<domain type='qemu'><name>h40</name><memory unit='KiB'>262144</memory><vcpu>1</vcpu><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices><interface type='hostdev'><mac address='52:54:00:11:22:97'/><source><address type='pci' domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source>${extra}</interface></devices></domain>`
  it('is primed a CCW address by its model, refused for its PCI host device; without the model it takes a PCI address', () => {
    expect(refusal(nic("<model type='virtio'/>"), s390)).toMatchObject({ message: "PCI host devices must use 'pci' or 'unassigned' address type" })
    expect(predicts(nic("<vlan><tag id='42'/></vlan>"), s390)).toMatch(/<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'>\n\s+<zpci uid='0x0001' fid='0x00000000'\/>/)
  })
})
