// Attributes in an XML namespace on libvirt's own elements, as libvirtd 9.0 reads them: by their local name where the
// parser reads with virXMLPropString and its typed kin (xmlGetProp: whatever the namespace, the first of that name in
// the element), not at all where it reads with XPath (`string(./model/@type)`: attributes in no namespace only) —
// model's attributesReadByLocalName9 / attributesReadByLocalName. Each case was defined on the sandbox libvirtd 9.0
// (the probes h29-… of fixtures/preview/probes/namespaced-attributes.xml) and preview says what it stored or refused.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const ns = "xmlns:x='urn:x'"
const q35 = (devices: string): string => x86Domain(devices, 'q35')
/** A q35 domain with these settings before `<devices>` (and the OS section's extra children). */
const settings = (extra: string, os = '', vcpu = '<vcpu>1</vcpu>', memory = '<memory>524288</memory>', type = "<type arch='x86_64' machine='q35'>hvm</type>"): string =>
  `<domain type='qemu'><name>t</name>${memory}${vcpu}<os>${type}${os}</os>${extra}<devices/></domain>`
const file = "<source file='/tmp/h29.img'/>"
const mac = "<mac address='52:54:00:11:22:33'/>"

describe("a disk's attributes are read by local name (virDomainDiskDefParseXML, virDomainStorageSourceParse, …)", () => {
  it('a prefixed device makes a CD-ROM; of two the first wins, prefixed or not (h29-d-device, -device-ns-first, -device-plain-first)', () => {
    expect(predicts(q35(`<disk type='file' ${ns} x:device='cdrom'><source file='/tmp/a.iso'/><target dev='sda' bus='sata'/></disk>`), { v9: true })).toContain("<disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      <source file='/tmp/a.iso'/>\n      <target dev='sda' bus='sata'/>\n      <readonly/>")
    expect(predicts(q35(`<disk type='file' ${ns} x:device='cdrom' device='disk'><source file='/tmp/a.iso'/><target dev='sda' bus='sata'/></disk>`), { v9: true })).toContain("<disk type='file' device='cdrom'>")
    expect(predicts(q35(`<disk type='file' ${ns} device='disk' x:device='cdrom'>${file}<target dev='sda' bus='sata'/></disk>`), { v9: true })).toContain("<disk type='file' device='disk'>")
  })

  it("xml:device is the device too; an undeclared prefix's attribute is not (h29-d-xmlid, -d-unbound)", () => {
    expect(predicts(q35("<disk type='file' xml:device='cdrom'><source file='/tmp/a.iso'/><target dev='sda' bus='sata'/></disk>"), { v9: true })).toContain("<disk type='file' device='cdrom'>")
    expect(predicts(q35("<disk type='file' y:device='cdrom'><source file='/tmp/a.iso'/><target dev='sda' bus='sata'/></disk>"), { v9: true })).toContain("<disk type='file' device='disk'>")
  })

  it('its target, driver, network source and host; a prefix declared on <domain> (h29-d-target, -target-twin, -driver, -net, -decl-root)', () => {
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}>${file}<target x:dev='vdb' x:bus='virtio'/></disk>`), { v9: true })).toContain("<target dev='vdb' bus='virtio'/>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}>${file}<target dev='sdb' x:bus='virtio' bus='sata'/></disk>`), { v9: true })).toContain("<target dev='sdb' bus='virtio'/>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}><driver x:name='qemu' x:type='qcow2' x:cache='none' x:discard='unmap'/>${file}<target dev='vda' bus='virtio'/></disk>`), { v9: true })).toContain("<driver name='qemu' type='qcow2' cache='none' discard='unmap'/>")
    expect(predicts(q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source x:protocol='nbd' x:name='exp'><host x:name='example.org' x:port='10810'/></source><target dev='vda' bus='virtio'/></disk>`), { v9: true })).toContain("<source protocol='nbd' name='exp'>\n        <host name='example.org' port='10810'/>\n      </source>")
    const rooted = `<domain type='qemu' ${ns}><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'>${file}<target dev='sda' x:bus='virtio'/></disk></devices></domain>`
    expect(predicts(rooted, { v9: true })).toContain("<target dev='sda' bus='virtio'/>")
  })

  it('checked as the plain ones are: a rotation rate off SCSI/IDE/SATA, a CHS translation off IDE (h29-d-serial-ro, -d-geometry, -d-rotation-ok2, -d-geometry-ok)', () => {
    expect(refusal(q35(`<disk type='file' device='disk' ${ns}>${file}<target dev='vda' bus='virtio' x:rotation_rate='1'/></disk>`), { v9: true }).message).toBe('rotation rate is only valid for SCSI/IDE/SATA bus')
    expect(refusal(q35(`<disk type='file' device='disk' ${ns}>${file}<target dev='hda' bus='sata'/><geometry x:cyls='16383' x:heads='16' x:secs='63' x:trans='lba'/></disk>`), { v9: true }).message).toBe("CHS translation mode can only be set for 'ide' bus not 'sata'")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns} x:snapshot='no'>${file}<target dev='sda' bus='sata' x:rotation_rate='1'/></disk>`), { v9: true })).toContain("<disk type='file' device='disk' snapshot='no'>\n      <driver name='qemu' type='raw'/>\n      <source file='/tmp/h29.img'/>\n      <target dev='sda' bus='sata' rotation_rate='1'/>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}>${file}<target dev='sda' bus='sata'/><geometry x:cyls='16383' x:heads='16' x:secs='63'/><blockio x:logical_block_size='512' x:physical_block_size='4096'/></disk>`), { v9: true })).toContain("<geometry cyls='16383' heads='16' secs='63'/>\n      <blockio logical_block_size='512' physical_block_size='4096'/>\n      <target dev='sda' bus='sata'/>")
  })

  it("what the parser reads with XPath is not read: a web source's readahead and timeout, a slice's offset, an auth's username (h29-d-readahead, -readahead-empty, -d-slice, -d-auth, -d-auth-plain)", () => {
    const web = (parts: string): string => q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source protocol='http' name='/a.img'><host name='example.org'/>${parts}</source><target dev='vda' bus='virtio'/></disk>`)
    expect(predicts(web("<readahead x:size='65536'/><timeout x:seconds='10'/>"), { v9: true })).toContain("<host name='example.org' port='80'/>\n      </source>")
    expect(predicts(web('<readahead/><timeout/>'), { v9: true })).toContain("<host name='example.org' port='80'/>\n      </source>")
    expect(predicts(web("<readahead size='65536'/><timeout seconds='10'/>"), { v9: true })).toContain("<readahead size='65536'/>\n        <timeout seconds='10'/>")
    expect(refusal(q35(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='raw'/><source file='/tmp/h29.img'><slices><slice type='storage' x:offset='512' size='1024'/></slices></source><target dev='vda' bus='virtio'/></disk>`), { v9: true }).message).toBe('missing offset or size attribute of slice')
    const iscsi = (auth: string): string => q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source protocol='iscsi' name='iqn.2013-07.com.example:iscsi-nopool/1'><host name='example.org' port='3260'/><auth ${auth}><secret x:type='iscsi' x:usage='libvirtiscsi'/></auth></source><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(iscsi("x:username='u'"), { v9: true }).message).toBe('missing username for auth')
    expect(predicts(iscsi("username='u'"), { v9: true })).toContain("<auth username='u'>\n          <secret type='iscsi' usage='libvirtiscsi'/>")
  })

  it("a backing store's type, index and source, not its format's type (h29-d-backing, -d-backing-ok)", () => {
    const backing = (format: string): string => q35(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='qcow2'/>${file}<backingStore x:type='file'>${format}<source x:file='/tmp/b.img'/></backingStore><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(backing("<format x:type='raw'/>"), { v9: true }).message).toBe('missing disk backing store format')
    expect(predicts(backing("<format type='raw'/>"), { v9: true })).toContain("<backingStore type='file'>\n        <format type='raw'/>\n        <source file='/tmp/b.img'/>")
  })
})

describe('a NIC reads its own attributes by local name, its model, link, MTU and VLAN trunk with XPath (virDomainNetDefParseXML)', () => {
  it('type, MAC, source, driver and its host and guest parts, bandwidth, IP (h29-i-type-mac-ip, -i-network, -i-bw, -i-driver)', () => {
    expect(predicts(q35(`<interface ${ns} x:type='user'><mac x:address='52:54:00:aa:bb:cc'/><model type='virtio'/><ip x:address='10.0.2.15' x:family='ipv4' x:prefix='24'/></interface>`), { v9: true })).toContain("<interface type='user'>\n      <mac address='52:54:00:aa:bb:cc'/>\n      <ip address='10.0.2.15' family='ipv4' prefix='24'/>\n      <model type='virtio'/>")
    expect(predicts(q35(`<interface type='network' ${ns}>${mac}<source x:network='default' x:portgroup='pg'/><model type='virtio'/><port x:isolated='yes'/></interface>`), { v9: true })).toContain("<source network='default' portgroup='pg'/>\n      <port isolated='yes'/>\n      <model type='virtio'/>")
    expect(predicts(q35(`<interface type='network' ${ns}>${mac}<source network='default'/><model type='virtio'/><bandwidth><inbound x:average='1000' x:peak='5000'/><outbound average='128'/></bandwidth></interface>`), { v9: true })).toContain("<bandwidth>\n        <inbound average='1000' peak='5000'/>\n        <outbound average='128'/>\n      </bandwidth>")
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model type='virtio'/><driver x:name='qemu' x:queues='2' x:rx_queue_size='512'><host x:csum='off'/><guest x:tso4='off'/></driver></interface>`), { v9: true })).toContain("<driver name='qemu' queues='2' rx_queue_size='512'>\n        <host csum='off'/>\n        <guest tso4='off'/>\n      </driver>")
  })

  it("a prefixed model type is no model (the default, rtl8139); a plain twin is read (h29-i-model, -i-model-twin)", () => {
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model x:type='e1000'/></interface>`), { v9: true })).toContain("<model type='rtl8139'/>")
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model x:type='e1000' type='virtio'/></interface>`), { v9: true })).toContain("<model type='virtio'/>")
  })

  it('a prefixed link state, MTU and VLAN trunk are dropped (h29-i-link-mtu, -i-link-mtu-plain, -i-vlan-one, -i-vlan-one-plain)', () => {
    const net = (parts: string, x = ns): string => q35(`<interface type='network' ${x}>${mac}<source network='default'/><model type='virtio'/>${parts}</interface>`)
    const xml = predicts(net("<link x:state='down'/><mtu x:size='1400'/>"), { v9: true })
    expect(xml).not.toContain('<link')
    expect(xml).not.toContain('<mtu')
    expect(predicts(net("<link state='down'/><mtu size='1400'/>", ''), { v9: true })).toContain("<link state='down'/>\n      <mtu size='1400'/>")
    expect(predicts(net("<vlan x:trunk='yes'><tag id='42'/></vlan>"), { v9: true })).toContain("<vlan>\n        <tag id='42'/>\n      </vlan>")
    expect(predicts(net("<vlan trunk='yes'><tag id='42'/></vlan>", ''), { v9: true })).toContain("<vlan trunk='yes'>\n        <tag id='42'/>\n      </vlan>")
  })

  it("a host device NIC's source address: its numbers by local name, its type with XPath (h29-i-hostdev, -i-hostdev-type)", () => {
    expect(predicts(q35(`<interface type='hostdev'>${mac}<source ${ns}><address type='pci' x:domain='0x0000' x:bus='0x00' x:slot='0x1f' x:function='0x3'/></source></interface>`), { v9: true })).toContain("<source>\n        <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/>\n      </source>")
    expect(refusal(q35(`<interface type='hostdev'>${mac}<source ${ns}><address x:type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/></source></interface>`), { v9: true }).message).toBe('missing source address type')
  })
})

describe('controllers, input, displays, video (virDomainControllerDefParseXML, virDomainInputDefParseXML, virDomainGraphicsDefParseXML, virDomainVideoDefParseXML)', () => {
  it("a controller's attributes, the first of a name winning (h29-c-usb, -c-usb-twin, -c-usb-twin-ns-first, -c-pci)", () => {
    expect(predicts(q35(`<controller ${ns} x:type='usb' x:index='0' x:model='qemu-xhci' x:ports='8'/>`), { v9: true })).toContain("<controller type='usb' index='0' model='qemu-xhci' ports='8'>")
    expect(predicts(q35(`<controller type='usb' index='0' model='qemu-xhci' ${ns} x:model='ehci'/>`), { v9: true })).toContain("<controller type='usb' index='0' model='qemu-xhci'>")
    expect(predicts(q35(`<controller type='usb' index='0' ${ns} x:model='ich9-ehci1' model='qemu-xhci'/>`), { v9: true })).toContain("<controller type='usb' index='0' model='ich9-ehci1'>")
    expect(predicts(q35(`<controller type='pci' index='1' model='pcie-root-port' ${ns}><model x:name='pcie-root-port'/><target x:chassis='5' x:port='0x10'/></controller>`), { v9: true })).toContain("<target chassis='5' port='0x10'/>")
  })

  it('input devices and their driver; a VNC display, its listen, a SPICE display\'s children (h29-in-tablet, -g-vnc, -g-spice)', () => {
    expect(predicts(q35(`<input ${ns} x:type='tablet' x:bus='usb'/><input type='keyboard' bus='virtio' ${ns}><driver x:iommu='on'/></input>`), { v9: true })).toContain("<input type='keyboard' bus='virtio'>\n      <driver iommu='on'/>")
    expect(predicts(q35(`<graphics ${ns} x:type='vnc' x:port='5901' x:autoport='no' x:keymap='de'><listen x:type='address' x:address='127.0.0.1'/></graphics>`), { v9: true })).toContain("<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1' keymap='de'>\n      <listen type='address' address='127.0.0.1'/>")
    expect(predicts(q35(`<graphics type='spice' ${ns} x:autoport='yes'><listen type='none'/><image x:compression='off'/><streaming x:mode='filter'/><clipboard x:copypaste='no'/><mouse x:mode='client'/><channel x:name='main' x:mode='secure'/></graphics>`), { v9: true })).toContain("<listen type='none'/>\n      <channel name='main' mode='secure'/>\n      <image compression='off'/>\n      <streaming mode='filter'/>\n      <mouse mode='client'/>\n      <clipboard copypaste='no'/>")
  })

  it("9.0 reads a video model's own attributes with XPath — prefixed, none (the default, cirrus) —, its resolution and the driver by local name (h29-v-model, -v-model-twin, -v-parts)", () => {
    expect(predicts(q35(`<video ${ns}><model x:type='vga' x:vram='32768' x:heads='1'/></video>`), { v9: true })).toContain("<model type='cirrus' vram='16384' heads='1' primary='yes'/>")
    expect(predicts(q35(`<video ${ns}><model x:type='cirrus' type='vga' x:vram='32768'/></video>`), { v9: true })).toContain("<model type='vga' vram='16384' heads='1' primary='yes'/>")
    expect(predicts(q35(`<video ${ns}><model type='virtio' heads='1'><resolution x:x='800' x:y='600'/></model><driver x:iommu='on'/></video>`), { v9: true })).toContain("<driver iommu='on'/>\n      <model type='virtio' heads='1' primary='yes'>\n        <resolution x='800' y='600'/>\n      </model>")
  })

  it("11.3 reads the video model's with xmlGetProp (virDomainVideoModelDefParseXML): the first of a name, prefixed or not", () => {
    expect(predicts(q35(`<video ${ns}><model x:type='vga' x:vram='32768' x:heads='1'/></video>`))).toContain("<model type='vga' vram='32768' heads='1' primary='yes'/>")
    expect(predicts(q35(`<video ${ns}><model x:type='cirrus' type='vga'/></video>`))).toContain("<model type='cirrus' vram='16384' heads='1' primary='yes'/>")
  })
})

describe('character devices, host devices, the small devices (virDomainChrDefParseXML, virDomainHostdevDefParseXML, …)', () => {
  it("a serial port's type and target by local name, its target's model name with XPath (h29-ch-serial, -ch-serial-model)", () => {
    expect(predicts(q35(`<serial ${ns} x:type='pty'><target x:type='isa-serial' x:port='0'><model x:name='isa-serial'/></target></serial>`), { v9: true })).toContain("<serial type='pty'>\n      <target type='isa-serial' port='0'>\n        <model name='isa-serial'/>")
    expect(predicts(q35(`<serial type='pty' ${ns}><target type='isa-serial' port='0'><model x:name='pci-serial'/></target></serial>`), { v9: true })).toContain("<target type='isa-serial' port='0'>\n        <model name='isa-serial'/>")
  })

  it("a TCP source, its protocol and log; a channel's source and target, the first of a name winning (h29-ch-tcp, -ch-channel-twin)", () => {
    expect(predicts(q35(`<serial type='tcp' ${ns}><source x:mode='bind' x:host='127.0.0.1' x:service='4444'/><protocol x:type='telnet'/><log x:file='/tmp/s.log' x:append='on'/><target port='0'/></serial>`), { v9: true })).toContain("<serial type='tcp'>\n      <source mode='bind' host='127.0.0.1' service='4444'/>\n      <protocol type='telnet'/>\n      <log file='/tmp/s.log' append='on'/>")
    expect(predicts(q35(`<channel type='unix' ${ns}><source mode='bind' path='/tmp/h29ch.sock' x:path='/tmp/other.sock'/><target type='virtio' name='org.qemu.guest_agent.0' x:name='com.x.y'/></channel>`), { v9: true })).toContain("<source mode='bind' path='/tmp/h29ch.sock'/>\n      <target type='virtio' name='org.qemu.guest_agent.0'/>")
  })

  it('host devices: USB by vendor and product, mediated devices; a PCI one\'s write filtering refused as a plain one (h29-h-usb, -h-mdev, -h-pci, -h-pci-ok)', () => {
    expect(predicts(q35(`<hostdev mode='subsystem' type='usb' ${ns}><source x:startupPolicy='optional'><vendor x:id='0x1234'/><product x:id='0x5678'/></source></hostdev>`), { v9: true })).toContain("<source startupPolicy='optional'>\n        <vendor id='0x1234'/>\n        <product id='0x5678'/>")
    expect(predicts(q35(`<hostdev mode='subsystem' type='mdev' ${ns} x:model='vfio-pci'><source><address x:uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>`), { v9: true })).toContain("<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='off'>\n      <source>\n        <address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>")
    const pci = (source: string): string => q35(`<hostdev mode='subsystem' ${ns} x:type='pci' x:managed='yes'><source ${source}><address x:domain='0x0000' x:bus='0x00' x:slot='0x1f' x:function='0x3'/></source><driver x:name='vfio'/></hostdev>`)
    expect(refusal(pci("x:writeFiltering='yes'"), { v9: true }).message).toBe('Write filtering of PCI device configuration space is not supported by qemu')
    expect(predicts(pci(''), { v9: true })).toContain("<hostdev mode='subsystem' type='pci' managed='yes'>\n      <driver name='vfio'/>\n      <source>\n        <address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/>")
  })

  it("an RNG's rate is XPath's: without its bytes it is none (h29-r-rng, -r-rng-plain)", () => {
    expect(predicts(q35(`<rng ${ns} x:model='virtio'><rate x:bytes='1024' period='1000'/><backend x:model='random'>/dev/urandom</backend></rng>`), { v9: true })).toContain("<rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>")
    expect(predicts(q35(`<rng ${ns} x:model='virtio'><rate bytes='1024' x:period='1000'/><backend x:model='random'>/dev/urandom</backend></rng>`), { v9: true })).toContain("<rate bytes='1024'/>")
  })

  it("a TPM's model and backend by local name, a passthrough device's path with XPath (h29-t-tpm, -t-tpm-path, -t-tpm-path-plain)", () => {
    expect(predicts(q35(`<tpm ${ns} x:model='tpm-crb'><backend x:type='emulator' x:version='2.0' x:persistent_state='yes'/></tpm>`), { v9: true })).toContain("<tpm model='tpm-crb'>\n      <backend type='emulator' version='2.0' persistent_state='yes'/>")
    expect(predicts(q35(`<tpm model='tpm-tis' ${ns}><backend type='passthrough'><device x:path='/dev/tpmrm0'/></backend></tpm>`), { v9: true })).toContain("<device path='/dev/tpm0'/>")
    expect(predicts(q35("<tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpmrm0'/></backend></tpm>"), { v9: true })).toContain("<device path='/dev/tpmrm0'/>")
  })

  it("a filesystem's own, its source and driver by local name, its target's dir with XPath (h29-fs-mount, -fs-target, -fs-target-twin)", () => {
    expect(predicts(q35(`<filesystem ${ns} x:type='mount' x:accessmode='mapped' x:fmode='0644'><driver type='path' x:wrpolicy='immediate'/><source x:dir='/tmp'/><target dir='share'/></filesystem>`), { v9: true })).toContain("<filesystem type='mount' accessmode='mapped' fmode='0644'>\n      <driver type='path' wrpolicy='immediate'/>\n      <source dir='/tmp'/>\n      <target dir='share'/>")
    expect(refusal(q35(`<filesystem type='mount' accessmode='mapped' ${ns}><source dir='/tmp'/><target x:dir='share'/></filesystem>`), { v9: true }).message).toBe('missing target information for device /tmp')
    expect(predicts(q35(`<filesystem type='mount' accessmode='mapped' ${ns}><source dir='/tmp'/><target x:dir='other' dir='share'/></filesystem>`), { v9: true })).toContain("<target dir='share'/>")
  })

  it('a balloon, the first of its model winning; a vsock\'s CID (h29-b-balloon, -b-balloon-twin, -dv-vsock)', () => {
    expect(predicts(q35(`<memballoon ${ns} x:model='virtio' x:autodeflate='on' x:freePageReporting='on'><stats x:period='10'/><driver x:iommu='on'/></memballoon>`), { v9: true })).toContain("<memballoon model='virtio' autodeflate='on' freePageReporting='on'>\n      <stats period='10'/>")
    expect(predicts(q35(`<memballoon ${ns} x:model='none' model='virtio'/>`), { v9: true })).toContain("<memballoon model='none'/>")
    expect(predicts(q35(`<vsock ${ns} x:model='virtio'><cid x:auto='no' x:address='5'/></vsock>`), { v9: true })).toContain("<cid auto='no' address='5'/>")
  })
})

describe("the domain's settings (virDomainDefParseXML, virCPUDefParseXML, virDomainDefClockParse, virDomainNumatuneParseXML, …)", () => {
  it("the OS type's machine is XPath's (the default machine); boot devices, the boot menu, the loader by local name (h29-o-type-machine, -o-boot, -o-loader)", () => {
    expect(predicts(settings('', '', '<vcpu>1</vcpu>', '<memory>524288</memory>', `<type ${ns} arch='x86_64' x:machine='q35'>hvm</type>`), { v9: true })).toMatch(/<type arch='x86_64' machine='pc-i440fx-[0-9.]+'>hvm<\/type>/)
    expect(predicts(settings('', `<boot ${ns} x:dev='cdrom'/><boot dev='hd'/><bootmenu ${ns} x:enable='yes' x:timeout='3000'/>`), { v9: true })).toContain("<boot dev='cdrom'/>\n    <boot dev='hd'/>\n    <bootmenu enable='yes' timeout='3000'/>")
    expect(predicts(settings('', `<loader ${ns} x:readonly='yes' x:type='rom'>/usr/share/seabios/bios.bin</loader>`, undefined, undefined, "<type arch='x86_64' machine='pc'>hvm</type>"), { v9: true })).toContain("<loader readonly='yes' type='rom'>/usr/share/seabios/bios.bin</loader>")
  })

  it("the CPU, its topology and features by local name, its model's fallback with XPath; the first of a name wins (h29-cpu-all, -cpu-twin, -cpu-twin-ok)", () => {
    const xml = predicts(settings(`<cpu ${ns} x:mode='custom' x:match='exact' x:check='none'><model x:fallback='forbid'>qemu64</model><topology x:sockets='1' x:dies='1' x:cores='2' x:threads='1'/><feature x:policy='disable' x:name='svm'/></cpu>`, '', '<vcpu>2</vcpu>'), { v9: true })
    expect(xml).toContain("<cpu mode='custom' match='exact' check='none'>\n    <model fallback='allow'>qemu64</model>\n    <topology sockets='1' dies='1' cores='2' threads='1'/>\n    <feature policy='disable' name='svm'/>")
    const twin = (vcpus: number): string => settings(`<cpu ${ns}><topology sockets='1' x:cores='4' cores='2' dies='1' threads='2'/></cpu>`, '', `<vcpu>${vcpus}</vcpu>`)
    expect(refusal(twin(4), { v9: true }).message).toBe("CPU topology doesn't match maximum vcpu count")
    expect(predicts(twin(8), { v9: true })).toContain("<topology sockets='1' dies='1' cores='4' threads='2'/>")
  })

  it("a NUMA cell's id, CPUs and access by local name, its memory with XPath (h29-cpu-numa, -cpu-numa-mem)", () => {
    expect(predicts(settings(`<cpu ${ns}><numa><cell x:id='0' x:cpus='0-1' memory='524288' x:unit='KiB' x:memAccess='shared'/></numa></cpu>`, '', '<vcpu>2</vcpu>'), { v9: true })).toContain("<cell id='0' cpus='0-1' memory='524288' unit='KiB' memAccess='shared'/>")
    expect(refusal(settings(`<cpu ${ns}><numa><cell id='0' cpus='0-1' x:memory='524288'/></numa></cpu>`, '', '<vcpu>2</vcpu>'), { v9: true }).message).toBe("missing element or attribute './@memory'")
  })

  it('machine features, walked by local name (h29-f-all, -f-ioapic)', () => {
    const xml = predicts(settings(`<features ${ns}><acpi/><apic x:eoi='on'/><hyperv x:mode='custom'><relaxed x:state='on'/><spinlocks state='on' x:retries='8191'/><vendor_id state='on' x:value='abcdef'/></hyperv><kvm><hidden x:state='on'/></kvm><vmport x:state='off'/><smm x:state='on'/><pmu x:state='off'/></features>`), { v9: true })
    expect(xml).toContain("<apic eoi='on'/>\n    <hyperv mode='custom'>\n      <relaxed state='on'/>\n      <spinlocks state='on' retries='8191'/>\n      <vendor_id state='on' value='abcdef'/>\n    </hyperv>\n    <kvm>\n      <hidden state='on'/>\n    </kvm>\n    <pmu state='off'/>\n    <vmport state='off'/>\n    <smm state='on'/>")
    expect(predicts(settings(`<features ${ns}><acpi/><ioapic x:driver='qemu'/></features>`), { v9: true })).toContain("<ioapic driver='qemu'/>")
  })

  it("the clock's own attributes are XPath's, a timer's and its catch-up by local name (h29-k-clock, -k-clock-twin, -k-clock-var, -k-catchup)", () => {
    expect(predicts(settings(`<clock ${ns} x:offset='localtime'><timer x:name='rtc' x:tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/><timer x:name='hpet' x:present='no'/></clock>`), { v9: true })).toContain("<clock offset='utc'>\n    <timer name='rtc' tickpolicy='catchup'/>\n    <timer name='pit' tickpolicy='delay'/>\n    <timer name='hpet' present='no'/>\n  </clock>")
    expect(predicts(settings(`<clock ${ns} offset='utc' x:offset='localtime'><timer name='rtc' x:tickpolicy='catchup' tickpolicy='delay'/></clock>`), { v9: true })).toContain("<clock offset='utc'>\n    <timer name='rtc' tickpolicy='catchup'/>")
    expect(predicts(settings(`<clock offset='variable' ${ns} x:adjustment='3600' x:basis='localtime'/>`), { v9: true })).toContain("<clock offset='variable' adjustment='0' basis='utc'/>")
    expect(predicts(settings(`<clock offset='utc' ${ns}><timer name='rtc' tickpolicy='catchup'><catchup x:threshold='123' x:slew='120' x:limit='10000'/></timer></clock>`), { v9: true })).toContain("<catchup threshold='123' slew='120' limit='10000'/>")
  })

  it("memory's unit is XPath's (KiB), its dumpCore xmlGetProp's; vCPUs by local name (h29-m-unit, -m-dumpcore, -vc-vcpu, -vc-vcpus)", () => {
    expect(predicts(settings('', '', '<vcpu>1</vcpu>', `<memory ${ns} x:unit='GiB'>1</memory><currentMemory ${ns} x:unit='MiB'>512</currentMemory>`), { v9: true })).toContain("<memory unit='KiB'>1</memory>\n  <currentMemory unit='KiB'>1</currentMemory>")
    expect(predicts(settings('', '', '<vcpu>1</vcpu>', `<memory ${ns} x:dumpCore='off'>524288</memory>`), { v9: true })).toContain("<memory dumpCore='off' unit='KiB'>524288</memory>")
    expect(predicts(settings('', '', `<vcpu ${ns} x:placement='static' x:current='1'>2</vcpu>`), { v9: true })).toContain("<vcpu placement='static' current='1'>2</vcpu>")
    expect(predicts(settings('', '', `<vcpu current='1'>2</vcpu><vcpus ${ns}><vcpu x:id='0' x:enabled='yes' x:hotpluggable='no' x:order='1'/><vcpu id='1' enabled='no' hotpluggable='yes'/></vcpus>`), { v9: true })).toContain("<vcpus>\n    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>\n    <vcpu id='1' enabled='no' hotpluggable='yes'/>\n  </vcpus>")
  })

  it("a memory slot count and memory backing's modes are XPath's (h29-m-max, -m-backing)", () => {
    expect(refusal(settings("<cpu><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/></numa></cpu>", '', '<vcpu>2</vcpu>', `<maxMemory ${ns} x:slots='4' unit='KiB'>2097152</maxMemory><memory>524288</memory>`), { v9: true }).message).toBe('both maximum memory size and memory slot count must be specified')
    expect(predicts(settings(`<memoryBacking ${ns}><source x:type='memfd'/><access x:mode='shared'/><allocation x:mode='immediate'/></memoryBacking>`), { v9: true })).not.toContain('memoryBacking')
  })

  it('NUMA tuning, CPU tuning, I/O threads by local name (h29-nt-memory, -nt-memnode, -ct-pin, -io-threads, -io-default)', () => {
    expect(predicts(settings(`<numatune ${ns}><memory x:mode='strict' x:nodeset='0'/></numatune>`), { v9: true })).toContain("<numatune>\n    <memory mode='strict' nodeset='0'/>")
    expect(predicts(settings(`<cputune ${ns}><vcpupin x:vcpu='0' x:cpuset='0'/><vcpupin vcpu='1' cpuset='0'/><emulatorpin x:cpuset='0'/><vcpusched x:vcpus='0' x:scheduler='fifo' x:priority='10'/></cputune>`, '', '<vcpu>2</vcpu>'), { v9: true })).toContain("<vcpupin vcpu='0' cpuset='0'/>\n    <vcpupin vcpu='1' cpuset='0'/>\n    <emulatorpin cpuset='0'/>\n    <vcpusched vcpus='0' scheduler='fifo' priority='10'/>")
    const xml = predicts(settings(`<iothreads>2</iothreads><iothreadids ${ns}><iothread x:id='1'/><iothread id='2' x:thread_pool_min='0' x:thread_pool_max='4'/></iothreadids><cputune ${ns}><iothreadpin x:iothread='1' x:cpuset='0'/></cputune>`), { v9: true })
    expect(xml).toContain("<iothreadids>\n    <iothread id='1'/>\n    <iothread id='2' thread_pool_min='0' thread_pool_max='4'/>\n  </iothreadids>")
    expect(xml).toContain("<iothreadpin iothread='1' cpuset='0'/>")
    expect(predicts(settings(`<iothreads>1</iothreads><defaultiothread ${ns} x:thread_pool_min='1' x:thread_pool_max='2'/>`), { v9: true })).toContain("<defaultiothread thread_pool_min='1' thread_pool_max='2'/>")
  })

  it("SMBIOS entries are found by an XPath predicate on their name: a prefixed one is not (h29-dv-sysinfo)", () => {
    const xml = predicts(settings(`<sysinfo ${ns} x:type='smbios'><bios><entry x:name='vendor'>V</entry><entry name='version'>1</entry></bios></sysinfo>`, "<smbios mode='sysinfo'/>"), { v9: true })
    expect(xml).toContain("<sysinfo type='smbios'>\n    <bios>\n      <entry name='version'>1</entry>\n    </bios>\n  </sysinfo>")
  })
})

describe('the second round: more sources, NIC parts, character devices and settings (probes h29-…2-…)', () => {
  const vda = "<target dev='vda' bus='virtio'/>"
  it("a volume's, an NVMe disk's, a file source's security label and a virtio driver's options by local name; a loadparm upper-cased (h29-d2-volume, -d2-nvme, -d2-seclabel, -d2-driver-virtio, -d2-wwn-iotune)", () => {
    expect(predicts(q35(`<disk type='volume' device='disk' ${ns}><source x:pool='default' x:volume='v1.img' x:mode='host'/>${vda}</disk>`), { v9: true })).toContain("<source pool='default' volume='v1.img' mode='host'/>")
    expect(predicts(q35(`<disk type='nvme' device='disk' ${ns}><driver name='qemu' type='raw'/><source x:type='pci' x:managed='no' x:namespace='2'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>${vda}</disk>`), { v9: true })).toContain("<source type='pci' managed='no' namespace='2'>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}><source file='/tmp/h29.img'><seclabel x:model='dac' x:relabel='no'/></source>${vda}</disk>`), { v9: true })).toContain("<seclabel model='dac' relabel='no'/>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='raw' x:iommu='on' x:ats='on' x:packed='on' x:queues='2' x:queue_size='256'/>${file}${vda}</disk>`), { v9: true })).toContain("<driver name='qemu' type='raw' queues='2' queue_size='256' iommu='on' ats='on' packed='on'/>")
    expect(predicts(q35(`<disk type='file' device='disk' ${ns} x:model='virtio-non-transitional'>${file}${vda}<boot x:order='2' x:loadparm='x'/></disk>`), { v9: true })).toContain("<boot order='2' loadparm='X'/>")
  })

  it("an encryption's format and its secret's type are XPath's, its engine and the secret's UUID xmlGetProp's (h29-d2-encryption, -d2-encryption-plain, -d2-encryption-fmt)", () => {
    const encrypted = (encryption: string, secret: string): string => q35(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='qcow2'/><source file='/tmp/h29.img'><encryption ${encryption}><secret ${secret}/></encryption></source>${vda}</disk>`)
    expect(refusal(encrypted("x:format='luks' x:engine='qemu'", "x:type='passphrase' x:uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'"), { v9: true }).message).toBe('unknown volume encryption format')
    expect(refusal(encrypted("format='luks' x:engine='qemu'", "x:type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'"), { v9: true }).message).toBe('unknown volume encryption secret type')
    expect(predicts(encrypted("format='luks' x:engine='qemu'", "type='passphrase' x:uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'"), { v9: true })).toContain("<encryption format='luks' engine='qemu'>\n          <secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>")
  })

  it("a network source's snapshot, config, iSCSI initiator and cookie names are XPath's; an HTTPS source's SSL check xmlGetProp's (h29-d2-snapshot, -d2-iscsi-initiator, -d2-ssl-cookie, -d2-ssl-cookie-ok)", () => {
    expect(predicts(q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/img'><host name='mon1'/><snapshot x:name='s1'/><config x:file='/etc/ceph/ceph.conf'/></source>${vda}</disk>`), { v9: true })).toContain("<source protocol='rbd' name='pool/img'>\n        <host name='mon1'/>\n      </source>")
    expect(predicts(q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source protocol='iscsi' name='iqn.2013-07.com.example:iscsi/1'><host name='example.org' port='3260'/><initiator><iqn x:name='iqn.2013-07.com.example:client'/></initiator></source>${vda}</disk>`), { v9: true })).toContain("<host name='example.org' port='3260'/>\n      </source>")
    const https = (cookies: string): string => q35(`<disk type='network' device='disk' ${ns}><driver name='qemu' type='raw'/><source protocol='https' name='/a.img'><host name='example.org'/><ssl x:verify='no'/><cookies>${cookies}</cookies></source>${vda}</disk>`)
    expect(refusal(https("<cookie x:name='c1'>v1</cookie><cookie name='c2'>v2</cookie>"), { v9: true }).message).toBe('missing cookie name')
    expect(predicts(https("<cookie name='c2'>v2</cookie>"), { v9: true })).toContain("<host name='example.org' port='443'/>\n        <ssl verify='no'/>\n      </source>")
  })

  it("a bridge's source, virtual port and VLAN tag, a UDP source and its local end, ROM, ACPI index and boot order by local name (h29-i2-bridge, -i2-udp, -i2-rom-acpi)", () => {
    expect(predicts(q35(`<interface ${ns} x:type='bridge'>${mac}<source x:bridge='virbr9'/><model type='virtio'/><virtualport x:type='openvswitch'><parameters x:interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport><vlan><tag x:id='42'/></vlan></interface>`), { v9: true })).toContain("<source bridge='virbr9'/>\n      <vlan>\n        <tag id='42'/>\n      </vlan>\n      <virtualport type='openvswitch'>\n        <parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n      </virtualport>")
    expect(predicts(q35(`<interface type='udp' ${ns}>${mac}<source address='127.0.0.1' x:port='11111'><local x:address='127.0.0.1' x:port='22222'/></source><model type='virtio'/></interface>`), { v9: true })).toContain("<source address='127.0.0.1' port='11111'>\n        <local address='127.0.0.1' port='22222'/>\n      </source>")
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model type='virtio'/><rom x:enabled='no'/><acpi x:index='3'/><boot x:order='1'/></interface>`), { v9: true })).toContain("<model type='virtio'/>\n      <boot order='1'/>\n      <rom enabled='no'/>\n      <acpi index='3'/>")
  })

  it("teaming, coalescing, the guest-side name and the down script are XPath's: not read, so not refused off their types (h29-i2-teaming, -i2-coalesce, -i2-coalesce-plain, -i2-coalesce-net, -i2-tune-guest, -i2-model-twin-after)", () => {
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model type='virtio'/><teaming x:type='persistent'/></interface>`), { v9: true })).not.toContain('teaming')
    const coalesce = (type: string, frames: string, x = ns): string => q35(`<interface type='${type}' ${x}>${mac}${type === 'network' ? "<source network='default'/>" : ''}<model type='virtio'/><coalesce><rx><frames ${frames}/></rx></coalesce></interface>`)
    expect(predicts(coalesce('ethernet', "x:max='7'"), { v9: true })).not.toContain('coalesce')
    expect(refusal(coalesce('ethernet', "max='7'", ''), { v9: true }).message).toBe('coalesce settings on interface type ethernet are not supported')
    expect(predicts(coalesce('network', "x:max='7'"), { v9: true })).not.toContain('coalesce')
    const tap = predicts(q35(`<interface type='ethernet' ${ns}>${mac}<model type='virtio'/><target dev='tap-h29b'/><guest x:dev='eth0'/><script path='/etc/qemu-ifup'/><downscript x:path='/etc/qemu-ifdown'/></interface>`), { v9: true })
    expect(tap).toContain("<mac address='52:54:00:11:22:33'/>\n      <script path='/etc/qemu-ifup'/>\n      <target dev='tap-h29b'/>\n      <model type='virtio'/>\n      <address")
    expect(tap).not.toMatch(/<guest|downscript/)
    expect(predicts(q35(`<interface type='user' ${ns}>${mac}<model type='virtio' x:type='e1000'/></interface>`), { v9: true })).toContain("<model type='virtio'/>")
  })

  it("host devices: of two names the first; an iSCSI SCSI host device's sgio checked as a plain one (h29-h2-usb-twin, -h2-scsi-iscsi, -h2-scsi-iscsi-ok)", () => {
    expect(predicts(q35(`<hostdev mode='subsystem' type='usb' ${ns} managed='no' x:managed='yes'><source><vendor id='0x1234' x:id='0x9999'/><product x:id='0x5678'/></source></hostdev>`), { v9: true })).toContain("<hostdev mode='subsystem' type='usb' managed='no'>\n      <source>\n        <vendor id='0x1234'/>\n        <product id='0x5678'/>")
    const iscsi = (sgio: string): string => q35(`<controller type='scsi' index='0' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi' ${ns} x:sgio='${sgio}' x:rawio='yes'><source x:protocol='iscsi' x:name='iqn.2014-08.com.example:iscsi-nopool/1'><host x:name='example.com' x:port='3260'/></source></hostdev>`)
    expect(refusal(iscsi('unfiltered'), { v9: true }).message).toBe('unfiltered sgio is no longer supported')
    expect(predicts(iscsi('filtered'), { v9: true })).toContain("<hostdev mode='subsystem' type='scsi' managed='no' sgio='filtered' rawio='yes'>\n      <source protocol='iscsi' name='iqn.2014-08.com.example:iscsi-nopool/1'>\n        <host name='example.com' port='3260'/>")
  })

  it("a UDP serial port's two sources, a guest forward's target, an evdev input's source, shared memory's parts, an IOMMU driver's twin (h29-c2-udp, -c2-guestfwd, -in2-evdev, -sh2-server, -io2-iommu-twin)", () => {
    expect(predicts(q35(`<serial type='udp' ${ns}><source x:mode='connect' x:host='127.0.0.1' x:service='2222'/><source mode='bind' x:host='127.0.0.1' x:service='3333'/><target port='0'/></serial>`), { v9: true })).toContain("<serial type='udp'>\n      <source mode='bind' host='127.0.0.1' service='3333'/>\n      <source mode='connect' host='127.0.0.1' service='2222'/>")
    expect(predicts(q35(`<channel type='pty' ${ns}><target type='guestfwd' x:address='10.0.2.1' x:port='4600'/></channel><interface type='user'>${mac}<model type='virtio'/></interface>`), { v9: true })).toContain("<target type='guestfwd' address='10.0.2.1' port='4600'/>")
    expect(predicts(q35(`<input type='evdev' ${ns}><source x:dev='/dev/input/event1' x:grab='all' x:grabToggle='ctrl-ctrl' x:repeat='on'/></input>`), { v9: true })).toContain("<source dev='/dev/input/event1' grab='all' grabToggle='ctrl-ctrl' repeat='on'/>")
    expect(predicts(q35(`<shmem name='sh2' ${ns}><model type='ivshmem-doorbell'/><server x:path='/tmp/ivsh.sock'/><msi x:vectors='8' x:ioeventfd='on'/></shmem>`), { v9: true })).toContain("<server path='/tmp/ivsh.sock'/>\n      <msi vectors='8' ioeventfd='on'/>")
    const iommu = `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/><ioapic driver='qemu'/></features><devices><iommu model='intel' ${ns}><driver intremap='off' x:intremap='on' x:iotlb='on'/></iommu></devices></domain>`
    expect(predicts(iommu, { v9: true })).toContain("<driver intremap='off' iotlb='on'/>")
  })

  it("the domain's settings, the first of a name winning: vCPUs, timers, current memory, NUMA and CPU tuning (h29-vc2-vcpus-twin, -k2-timer-catchup-twin, -m2-current-twin, -nt2-memory-twin, -ct2-memorytune-twin)", () => {
    expect(predicts(settings('', '', `<vcpu placement='static' ${ns} current='1' x:current='2'>2</vcpu>`), { v9: true })).toContain("<vcpu placement='static' current='1'>2</vcpu>")
    expect(predicts(settings(`<clock offset='utc' ${ns}><timer x:name='pit' name='rtc' tickpolicy='delay'/></clock>`), { v9: true })).toContain("<clock offset='utc'>\n    <timer name='pit' tickpolicy='delay'/>")
    expect(predicts(settings('', '', undefined, `<memory unit='KiB'>524288</memory><currentMemory ${ns} x:unit='MiB' unit='KiB'>262144</currentMemory>`), { v9: true })).toContain("<currentMemory unit='KiB'>262144</currentMemory>")
    expect(predicts(settings(`<numatune ${ns}><memory mode='strict' x:mode='interleave' x:placement='static' nodeset='0'/></numatune>`), { v9: true })).toContain("<numatune>\n    <memory mode='strict' nodeset='0'/>")
    expect(predicts(settings(`<cputune ${ns}><vcpupin vcpu='0' x:vcpu='1' cpuset='1'/></cputune>`, '', '<vcpu>2</vcpu>'), { v9: true })).toContain("<vcpupin vcpu='0' cpuset='1'/>")
  })

  it("NUMA interconnects: a latency's value xmlGetProp's, a bandwidth's XPath's — missing, refused in virDomainParseMemory's words, as a plain one missing or unreadable (h29-cpu2-interconnects, -cpu2-bw-value, -cpu2-bw-novalue-plain, -cpu2-bw-bad-plain, -cpu2-bw-ok-plain)", () => {
    const links = (bandwidth: string): string => settings(`<cpu ${ns}><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/><interconnects>${bandwidth}</interconnects></numa></cpu>`, '', '<vcpu>2</vcpu>')
    expect(refusal(links("<bandwidth initiator='0' target='0' type='access' x:value='204800'/>"), { v9: true }).message).toBe("missing element or attribute './@value'")
    expect(refusal(links("<bandwidth initiator='0' target='0' type='access'/>"), { v9: true }).message).toBe("missing element or attribute './@value'")
    expect(refusal(links("<bandwidth initiator='0' target='0' type='access' value='abc'/>"), { v9: true }).message).toBe("Invalid value 'abc' for element or attribute './@value'")
    expect(predicts(links("<bandwidth initiator='0' target='0' type='access' value='204800' unit='MiB'/>"), { v9: true })).toContain("<bandwidth initiator='0' target='0' type='access' value='209715200' unit='KiB'/>")
    const xml = predicts(settings(`<cpu ${ns}><numa><cell id='0' cpus='0' memory='262144' unit='KiB'><distances><sibling x:id='0' x:value='10'/><sibling id='1' value='21'/></distances><cache x:level='1' x:associativity='direct' x:policy='writeback'><size value='10' unit='KiB'/><line value='8' unit='B'/></cache></cell><cell id='1' cpus='1' memory='262144' unit='KiB'><distances><sibling id='0' value='21'/><sibling id='1' value='10'/></distances></cell><interconnects><latency x:initiator='0' x:target='0' x:type='access' x:value='5'/><bandwidth initiator='0' x:target='0' type='access' value='204800' x:unit='KiB'/></interconnects></numa></cpu>`, '', '<vcpu>2</vcpu>'), { v9: true })
    expect(xml).toContain("<sibling id='0' value='10'/>\n          <sibling id='1' value='21'/>")
    expect(xml).toContain("<cache level='1' associativity='direct' policy='writeback'>")
    expect(xml).toContain("<latency initiator='0' target='0' type='access' value='5'/>\n        <bandwidth initiator='0' target='0' type='access' value='204800' unit='KiB'/>")
  })

  it("HyperV's stimer and its direct mode, KVM's dirty ring, capabilities; a security label; firmware config entries (h29-f2-hyperv-stimer, -seclabel2, -sysinfo2-fwcfg)", () => {
    expect(predicts(settings(`<features ${ns}><hyperv mode='custom'><vpindex state='on'/><synic state='on'/><stimer x:state='on'><direct x:state='on'/></stimer></hyperv><kvm><dirty-ring state='on' x:size='4096'/></kvm><capabilities x:policy='allow'><mknod x:state='on'/></capabilities></features>`), { v9: true })).toContain("<stimer state='on'>\n        <direct state='on'/>\n      </stimer>\n    </hyperv>\n    <kvm>\n      <dirty-ring state='on' size='4096'/>\n    </kvm>\n    <capabilities policy='allow'>\n      <mknod state='on'/>\n    </capabilities>")
    expect(predicts(settings(`<seclabel type='dynamic' ${ns} x:model='dac' x:relabel='yes'/>`), { v9: true })).toContain("<seclabel type='dynamic' model='dac' relabel='yes'/>")
    expect(predicts(settings(`<sysinfo type='fwcfg' ${ns}><entry x:name='opt/com.example/name'>example</entry><entry name='opt/com.example/file' x:file='/tmp/h29.fwcfg'/></sysinfo>`), { v9: true })).toContain("<sysinfo type='fwcfg'>\n    <entry name='opt/com.example/name'>example</entry>\n    <entry name='opt/com.example/file' file='/tmp/h29.fwcfg'/>\n  </sysinfo>")
  })
})

describe("a host device source's startupPolicy: xmlGetProp's for USB alone, looked for with XPath otherwise (virDomainHostdevDefParseXMLSubsys)", () => {
  const pci = (policy: string): string => q35(`<hostdev mode='subsystem' type='pci' managed='yes' ${ns}><source ${policy}><address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/></source></hostdev>`)
  it('on a PCI device a prefixed one is not seen, so neither refused nor kept; a plain one is refused (h29-h3-pci-startup, -h3-pci-startup-plain)', () => {
    expect(predicts(pci("x:startupPolicy='optional'"), { v9: true })).toContain("<hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n        <address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/>")
    expect(refusal(pci("startupPolicy='optional'"), { v9: true }).message).toBe('Setting startupPolicy is only allowed for USB devices')
  })

  it('on a USB device the first of the name is read, prefixed or not (h29-h3-usb-startup-twin)', () => {
    expect(predicts(q35(`<hostdev mode='subsystem' type='usb' ${ns}><source x:startupPolicy='optional' startupPolicy='mandatory'><vendor id='0x1234'/><product id='0x5678'/></source></hostdev>`), { v9: true })).toContain("<source startupPolicy='optional'>")
  })
})

describe("the QEMU namespace's attributes are xmlGetProp's but its deprecation behaviour; <domain>'s type is XPath's (qemuDomainDefNamespaceParse*, virDomainDefParseCaps)", () => {
  const qemu = "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"
  const body = "<memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os>"
  const disk = "<devices><disk type='file' device='disk'><source file='/tmp/h29.img'/><target dev='vda' bus='virtio'/><alias name='ua-d'/></disk></devices>"
  it('an argument, an environment variable, capabilities by local name, the first of a name winning (h29-q-arg, -q-arg-twin, -q-caps)', () => {
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}<devices/><qemu:commandline><qemu:arg ${ns} x:value='-no-hpet'/><qemu:env ${ns} x:name='H29' x:value='1'/></qemu:commandline></domain>`, { v9: true })).toContain("<qemu:commandline>\n    <qemu:arg value='-no-hpet'/>\n    <qemu:env name='H29' value='1'/>\n  </qemu:commandline>")
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}<devices/><qemu:commandline ${ns}><qemu:arg value='-no-hpet' x:value='-S'/><qemu:env x:name='H29' name='H30' value='1'/></qemu:commandline></domain>`, { v9: true })).toContain("<qemu:arg value='-no-hpet'/>\n    <qemu:env name='H29' value='1'/>")
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}<devices/><qemu:capabilities ${ns}><qemu:add x:capability='blockdev'/><qemu:del x:capability='sata'/></qemu:capabilities></domain>`, { v9: true })).toContain("<qemu:capabilities>\n    <qemu:add capability='blockdev'/>\n    <qemu:del capability='sata'/>\n  </qemu:capabilities>")
  })

  it("a device override's alias and properties, checked as plain ones (h29-q-override, -q-override-type)", () => {
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}${disk}<qemu:override ${ns}><qemu:device x:alias='ua-d'><qemu:frontend><qemu:property x:name='serial' x:type='string' x:value='abc'/></qemu:frontend></qemu:device></qemu:override></domain>`, { v9: true })).toContain("<qemu:device alias='ua-d'>\n      <qemu:frontend>\n        <qemu:property name='serial' type='string' value='abc'/>")
    expect(refusal(`<domain type='qemu' ${qemu}><name>t</name>${body}${disk}<qemu:override ${ns}><qemu:device alias='ua-d'><qemu:frontend><qemu:property name='serial' x:type='bogus' type='string' value='abc'/></qemu:frontend></qemu:device></qemu:override></domain>`, { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'property': 'bogus'.")
  })

  it("a prefixed deprecation behaviour is not read, nor a prefixed domain type (h29-q-deprecation, -q-deprecation-plain, -root-type, -root-type-twin-kvm)", () => {
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}<devices/><qemu:deprecation ${ns} x:behavior='reject'/></domain>`, { v9: true })).not.toContain('qemu:')
    expect(predicts(`<domain type='qemu' ${qemu}><name>t</name>${body}<devices/><qemu:deprecation behavior='reject'/></domain>`, { v9: true })).toContain("<qemu:deprecation behavior='reject'/>")
    expect(refusal(`<domain ${ns} x:type='qemu'><name>t</name>${body}<devices/></domain>`, { v9: true }).message).toBe('missing domain type attribute')
    expect(predicts(`<domain ${ns} x:type='kvm' type='qemu'><name>t</name>${body}<devices/></domain>`, { v9: true })).toMatch(/^<domain type='qemu'>/)
  })
})

describe('found by prefixing attributes of the other probe files at random (probes h29-r…, h29-e-…)', () => {
  const pc = (devices: string): string => x86Domain(devices, 'pc')
  it("an attribute is read by local name before anything reads it: a plain twin after a prefixed one is not refused (h29-r5-62)", () => {
    const xml = predicts(`<domain ${ns} type='qemu'><name>t</name><memory>262144</memory><vcpu x:current='3' current='h29bogus'>4</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><topology x:sockets='1' sockets='h29bogus' x:cores='2' cores='h29bogus' threads='2'/></cpu><devices></devices></domain>`, { v9: true })
    expect(xml).toContain("<vcpu placement='static' current='3'>4</vcpu>")
    expect(xml).toContain("<topology sockets='1' dies='1' cores='2' threads='2'/>")
  })

  it("a log of a redirected USB device's and a smartcard's character device by local name (h29-r8-138, -r8-176, -r8-221)", () => {
    expect(predicts(pc(`<controller ${ns} x:type='usb' x:model='qemu-xhci'/><redirdev ${ns} x:bus='usb' x:type='spicevmc'><log x:file='/tmp/x'/></redirdev><graphics type='spice'/>`), { v9: true })).toContain("<log file='/tmp/x'/>")
    expect(predicts(pc(`<smartcard ${ns} x:mode='passthrough' x:type='vc'><log file='/tmp/l' x:append='off'/></smartcard>`), { v9: true })).toContain("<log file='/tmp/l' append='off'/>")
  })

  it("an encryption's secret of no type is refused before a LUKS ivgen without a cipher, prefixed or plain (h29-r6-68, -e-ivgen-secret-untyped-plain)", () => {
    const disk = (secret: string, ivgen: string): string => pc(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'><encryption format='luks'><secret ${secret} uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><ivgen ${ivgen}/></encryption></source><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(disk("x:type='passphrase'", "x:hash='sha256'"), { v9: true }).message).toBe('unknown volume encryption secret type')
    expect(refusal(disk('', "hash='sha256'"), { v9: true }).message).toBe('unknown volume encryption secret type')
    expect(refusal(disk("type='passphrase'", "hash='sha256'"), { v9: true }).message).toBe('ivgen element found, but cipher is missing')
  })

  it("an NVMe disk's source address: its numbers by local name, no type read at all (h29-r13-3, -f-nvme-addr)", () => {
    const nvme = (address: string): string => pc(`<disk type='nvme' device='disk'><driver name='qemu' type='raw'/><source type='pci' namespace='1'><address ${ns} ${address}/></source><target dev='sda' bus='sata'/></disk>`)
    const stored = "<source type='pci' managed='yes' namespace='1'>\n        <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n      </source>"
    expect(predicts(nvme("x:domain='0x0000' domain='h29bogus' bus='0x01' slot='0x00' function='0x0'"), { v9: true })).toContain(stored)
    expect(predicts(nvme("x:type='pci' x:domain='0x0000' x:bus='0x01' x:slot='0x00' x:function='0x0'"), { v9: true })).toContain(stored)
  })

  it("a memory bandwidth allocation's monitor by local name (h29-f-memorytune-monitor)", () => {
    expect(predicts(`<domain type='kvm'><name>t</name><memory>524288</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><cputune><memorytune vcpus='0' ${ns}><node id='0' bandwidth='10'/><monitor x:vcpus='0'/></memorytune></cputune><devices/></domain>`, { v9: true })).toContain("<memorytune vcpus='0'>\n      <node id='0' bandwidth='10'/>\n      <monitor vcpus='0'/>\n    </memorytune>")
  })

  it("a NIC's host-side IPs and routes under its source, a USB host device NIC's IDs, a bandwidth's class ID by local name (h29-g-source-ip, -g-iface-usb-hostdev, -g-bw-classid)", () => {
    expect(predicts(pc(`<interface type='ethernet'>${mac}<source ${ns}><ip x:address='10.0.0.1' address='h29bogus' x:prefix='24'/><route x:address='10.1.0.0' x:prefix='16' x:gateway='10.0.0.2'/></source></interface>`), { v9: true })).toContain("<source>\n        <ip address='10.0.0.1' family='ipv4' prefix='24'/>\n        <route address='10.1.0.0' prefix='16' gateway='10.0.0.2'/>\n      </source>")
    expect(predicts(pc(`<interface type='hostdev'>${mac}<source ${ns}><vendor x:id='0x1234' id='h29bogus'/><product x:id='0x5678'/></source></interface>`), { v9: true })).toContain("<vendor id='0x1234'/>\n        <product id='0x5678'/>")
    expect(refusal(pc(`<interface type='network'>${mac}<source network='default'/><bandwidth ${ns} x:classID='5'><inbound average='10'/></bandwidth></interface>`), { v9: true }).message).toBe('classID attribute not supported on <bandwidth> in this usage context')
  })

  it("a backing store's source and hosts as the disk's, at any depth (h29-g-backing-seclabel)", () => {
    expect(predicts(pc(`<disk type='file' device='disk' ${ns}><driver name='qemu' type='qcow2'/><source file='/tmp/a.qcow2'/><backingStore type='network'><format type='raw'/><source protocol='nbd' name='x'><host x:name='h' name='h29bogus'/><seclabel x:model='dac' model='h29bogus' x:relabel='no'/></source><backingStore type='file'><format type='raw'/><source x:file='/tmp/b.img'/></backingStore></backingStore><target dev='vda' bus='virtio'/></disk>`), { v9: true })).toContain("<source protocol='nbd' name='x'>\n          <host name='h' port='10809'/>\n        </source>\n        <backingStore type='file'>\n          <format type='raw'/>\n          <source file='/tmp/b.img'/>")
  })

  it("an external TPM's source: its type XPath's, its mode xmlGetProp's and written `connect` when not given (h29-r23-15, -g-tpm-external-type, -g-tpm-external-plain)", () => {
    const external = (source: string): string => pc(`<tpm model='tpm-tis'><backend type='external'><source ${ns} ${source}/></backend></tpm>`)
    expect(refusal(external("x:type='unix' mode='connect' path='/tmp/swtpm.sock'"), { v9: true }).message).toBe('missing external TPM backend type')
    expect(predicts(external("type='unix' path='/tmp/swtpm.sock'"), { v9: true })).toContain("<backend type='external'>\n        <source type='unix' mode='connect' path='/tmp/swtpm.sock'/>")
    expect(predicts(external("type='unix' x:mode='connect' path='/tmp/swtpm.sock'"), { v9: true })).toContain("<source type='unix' mode='connect' path='/tmp/swtpm.sock'/>")
  })

  it("a video model of no type is not QXL's: its vram64 is refused, as on libvirtd 9.0 (h29-r25-149, -g-vram64-notype, -g-vram64-notype-plain)", () => {
    expect(refusal(pc(`<video><model ${ns} x:type='virtio' vram64='65536'/></video>`), { v9: true }).message).toBe('vram64 attribute only supported for video type qxl')
    expect(refusal(pc("<video><model vram64='65536'/></video>"), { v9: true }).message).toBe('vram64 attribute only supported for video type qxl')
  })

  it("an encryption's cipher is read after its secrets: a secret of no type is refused before a cipher without a size (h29-r24-155, -g-cipher-secret-untyped-plain, -g-cipher-secret-typed-plain, -g-disk-enc-untyped-plain)", () => {
    const encrypted = (secret: string): string => pc(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'><encryption format='luks'><secret ${secret} uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes'/></encryption></source><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(encrypted(''), { v9: true }).message).toBe('unknown volume encryption secret type')
    expect(refusal(encrypted("type='passphrase'"), { v9: true }).message).toBe("Missing required attribute 'size' in element 'cipher'")
    expect(refusal(pc("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'/><target dev='vda' bus='virtio'/><encryption format='luks'><secret uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes'/></encryption></disk>"), { v9: true }).message).toBe('unknown volume encryption secret type')
  })

  it("a USB host device NIC's source address: its numbers by local name (h29-r28-232)", () => {
    expect(predicts(`<domain ${ns} type='qemu'><name>t</name><memory>524288</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><interface x:type='hostdev' managed='yes'>${mac}<source><address type='usb' bus='1' x:device='2'/></source></interface></devices></domain>`, { v9: true })).toContain("<interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:11:22:33'/>\n      <source>\n        <address type='usb' bus='1' device='2'/>")
  })

  it("a host device's teaming type is XPath's, refused unknown at parse as a NIC's (h29-r38-93, -h-hostdev-teaming-plain)", () => {
    expect(refusal(`<domain ${ns} type='qemu'><name>t</name><memory>524288</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><hostdev x:mode='subsystem' mode='h29bogus' type='pci' x:managed='yes' managed='h29bogus'><source><address x:domain='0x0000' domain='h29bogus' x:bus='0x03' bus='h29bogus' slot='0x10' function='0x1'/></source><teaming x:type='transient' type='h29bogus'/></hostdev></devices></domain>`, { v9: true }).message).toBe("unknown teaming type 'h29bogus'")
    expect(refusal(q35("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x03' slot='0x10' function='0x1'/></source><teaming type='bogus'/></hostdev>"), { v9: true }).message).toBe("unknown teaming type 'bogus'")
  })
})
