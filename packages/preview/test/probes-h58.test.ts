// Virtio devices' options and models where the other probe files probe least (own probes `h58-…`, each defined on the
// sandbox libvirtd 9.0 beside preview — all agreed —; the fixes below are libvirt 11.3's, from its source: 9.0 reads no
// <driver> on a sound or crypto device, which the near misses with `{ v9: true }` keep).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const crypto = (driver: string): string => x86Domain(`<crypto model='virtio' type='qemu'><backend model='builtin'/>${driver}</crypto>`, 'q35')
const sound = (model: string, driver: string): string => x86Domain(`<sound model='${model}'>${driver}</sound>`, 'q35')

describe("libvirt 11's sound and crypto <driver>: the virtio options (virDomainVirtioOptionsParseXML in virDomainSoundDefParseXML, virDomainCryptoDefParseXML)", () => {
  it('a value virXMLPropTristateSwitch does not read is refused, for every sound model', () => {
    expect(refusal(crypto("<driver ats='x'/>"))).toMatchObject({ message: "Invalid value for attribute 'ats' in element 'driver': 'x'.", path: 'domain/devices/crypto[1]/driver/@ats' })
    expect(refusal(sound('virtio', "<driver packed='maybe'/>"))).toMatchObject({ message: "Invalid value for attribute 'packed' in element 'driver': 'maybe'." })
    expect(refusal(sound('ich9', "<driver iommu='x'/>"))).toMatchObject({ message: "Invalid value for attribute 'iommu' in element 'driver': 'x'.", path: 'domain/devices/sound[1]/driver/@iommu' })
    // (the first <driver> alone is read: a bad value in a second one is not met)
    expect(predicts(sound('virtio', "<driver iommu='on'/><driver packed='maybe'/>"))).toMatch(/<sound model='virtio' streams='2'>\n {6}<address [^\n]*\n {6}<driver iommu='on'\/>\n {4}<\/sound>/)
    // (libvirt 9.0 reads no <driver> there: the same ICH9 card defined, its driver dropped)
    expect(predicts(sound('ich9', "<driver iommu='x'/>"), v9)).not.toContain('<driver')
  })
  it("are written in virDomainVirtioOptionsFormat's order, whatever the input's", () => {
    const d = "<driver page_per_vq='on' packed='off' ats='on' iommu='off'/>"
    expect(predicts(crypto(d))).toContain("<backend model='builtin'/>\n      <driver iommu='off' ats='on' packed='off' page_per_vq='on'/>\n")
    // (a sound card's after its device information: virDomainSoundDefFormat)
    expect(predicts(sound('virtio', d))).toMatch(/<sound model='virtio' streams='2'>\n {6}<address [^\n]*\n {6}<driver iommu='off' ats='on' packed='off' page_per_vq='on'\/>\n/)
    // (what is not a virtio option is not kept; an empty <driver> is not written)
    expect(predicts(crypto("<driver name='qemu' queues='2'/>"))).toContain("<backend model='builtin'/>\n      <address")
  })
  it("a sound card's <driver> is written for a virtio card alone (virDomainSoundDefFormat)", () => {
    expect(predicts(sound('ich9', "<driver iommu='on'/>"))).toContain("<sound model='ich9'>\n      <address")
    expect(predicts(sound('usb', "<driver packed='on'/>"))).not.toContain('<driver')
    // (the near miss: a virtio card's kept)
    expect(predicts(sound('virtio', "<driver iommu='on'/>"))).toMatch(/<sound model='virtio' streams='2'>\n {6}<address [^\n]*\n {6}<driver iommu='on'\/>\n/)
  })
})

describe("the formatter's order of a vsock's and an IOMMU's <driver> and a balloon's switches (tools/attribute-orders.ts' formatter rows)", () => {
  it("a vsock's virtio options: iommu, ats, packed, page_per_vq whatever the input's (virDomainVsockDefFormat; probe h58-ord-vsock, libvirtd 9.0)", () => {
    const vsock = (driver: string): string => x86Domain(`<vsock model='virtio'><cid auto='no' address='3'/>${driver}</vsock>`, 'q35')
    expect(predicts(vsock("<driver page_per_vq='on' packed='off' ats='on' iommu='off'/>"), v9)).toContain("<driver iommu='off' ats='on' packed='off' page_per_vq='on'/>")
    expect(predicts(vsock("<driver packed='on' iommu='on'/>"), v9)).toContain("<driver iommu='on' packed='on'/>")
    // (the near miss: in order already, kept so)
    expect(predicts(vsock("<driver iommu='on' packed='on'/>"), v9)).toContain("<driver iommu='on' packed='on'/>")
  })
  it("an Intel IOMMU's driver: intremap, caching_mode, eim, iotlb, aw_bits (virDomainIOMMUDefFormat; probes h58-ord-iommu…, libvirtd 9.0)", () => {
    const iommu = (driver: string): string => `<domain type='qemu'><name>h58</name><memory>1048576</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/><ioapic driver='qemu'/></features><devices><iommu model='intel'>${driver}</iommu></devices></domain>`
    expect(predicts(iommu("<driver aw_bits='48' iotlb='on' eim='on' caching_mode='on' intremap='on'/>"), v9)).toContain("<driver intremap='on' caching_mode='on' eim='on' iotlb='on' aw_bits='48'/>")
    expect(predicts(iommu("<driver eim='on' caching_mode='on' intremap='on'/>"), v9)).toContain("<driver intremap='on' caching_mode='on' eim='on'/>")
    expect(predicts(iommu("<driver aw_bits='48' iotlb='on' caching_mode='on'/>"), v9)).toContain("<driver caching_mode='on' iotlb='on' aw_bits='48'/>")
  })
  it("a balloon's deflate-on-OOM before its free page reporting (virDomainMemballoonDefFormat; probe h58-ord-bal, libvirtd 9.0)", () => {
    expect(predicts(x86Domain("<memballoon freePageReporting='on' autodeflate='on' model='virtio'/>", 'q35'), v9)).toContain("<memballoon model='virtio' autodeflate='on' freePageReporting='on'>")
    // (the near miss: one switch alone)
    expect(predicts(x86Domain("<memballoon freePageReporting='on' model='virtio'/>", 'q35'), v9)).toContain("<memballoon model='virtio' freePageReporting='on'>")
  })
})

describe("what libvirt's test outputs do not show together, in its formatters' order (probes h58-rev-…: probes of five files with their attributes reversed, libvirtd 9.0)", () => {
  it('an address of each type on every device: type first, then its own in virDomainDeviceInfoFormat’s order', () => {
    // (USB on a sound card, ISA on a vsock — refused later or not, the order is the formatter's)
    expect(predicts(x86Domain("<sound model='usb'><address port='1' bus='0' type='usb'/></sound>", 'q35'), v9)).toContain("<address type='usb' bus='0' port='1'/>")
    expect(predicts(x86Domain("<panic model='isa'><address irq='0x5' iobase='0x505' type='isa'/></panic>"), v9)).toContain("<address type='isa' iobase='0x505' irq='0x5'/>")
    // (the near miss: a PCI address, whose order libvirt's outputs show, as before)
    expect(predicts(x86Domain("<memballoon model='virtio'><address function='0x0' slot='0x07' bus='0x00' domain='0x0000' type='pci'/></memballoon>"), v9)).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>")
  })
  it("a character device's source and log (virDomainChrSourceDefFormat) on a smartcard and a redirected USB device", () => {
    const out = predicts(x86Domain("<controller type='usb' model='qemu-xhci'/><redirdev bus='usb' type='nmdm'><source slave='/dev/nmdm0B' master='/dev/nmdm0A'/><log append='on' file='/tmp/r.log'/></redirdev>", 'q35'), v9)
    expect(out).toContain("<source master='/dev/nmdm0A' slave='/dev/nmdm0B'/>")
    expect(out).toContain("<log file='/tmp/r.log' append='on'/>")
    expect(predicts(x86Domain("<smartcard mode='passthrough' type='tcp'><source tls='yes' service='2001' host='127.0.0.1' mode='connect'/><protocol type='raw'/></smartcard>", 'q35'), v9))
      .toContain("<source mode='connect' host='127.0.0.1' service='2001' tls='yes'/>")
  })
  it("an interface's MAC type and check (virDomainNetDefFormat)", () => {
    const out = predicts(x86Domain("<interface type='ethernet'><mac check='no' type='static' address='52:54:00:00:58:01'/><model type='virtio'/></interface>", 'q35'), v9)
    expect(out).toContain("<mac address='52:54:00:00:58:01' type='static' check='no'/>")
    // (the near miss: the address alone)
    expect(predicts(x86Domain("<interface type='ethernet'><mac address='52:54:00:00:58:01'/><model type='virtio'/></interface>", 'q35'), v9)).toContain("<mac address='52:54:00:00:58:01'/>")
  })
  it("a console's and a serial port's reconnect, a file source's path before append, a filter's parameters, a NIC's back end (virDomainChrSourceReconnectDefFormat, virNWFilterFormatParamAttributes, virDomainNetBackendFormat)", () => {
    const out = predicts(x86Domain("<serial type='unix'><source path='/tmp/u.sock' mode='connect'><reconnect timeout='2' enabled='yes'/></source></serial><channel type='file'><source append='on' path='/tmp/c.log'/><target type='virtio' name='org.h58.0'/></channel>", 'q35'), v9)
    expect(out).toContain("<reconnect enabled='yes' timeout='2'/>")
    expect(out).toContain("<source path='/tmp/c.log' append='on'/>")
    const nic = predicts(x86Domain("<interface type='ethernet'><mac address='52:54:00:00:58:01'/><model type='virtio'/><backend logFile='/tmp/n.log' vhost='/dev/vhost-net' tap='/dev/net/tun'/><filterref filter='clean-traffic'><parameter value='10.0.0.1' name='IP'/></filterref></interface>", 'q35'), v9)
    expect(nic).toContain("<backend tap='/dev/net/tun' vhost='/dev/vhost-net' logFile='/tmp/n.log'/>")
    expect(nic).toContain("<parameter name='IP' value='10.0.0.1'/>")
  })
  it("a PCI controller's target: chassisNr, chassis, port, busNr, index, hotplug (virDomainControllerDefFormatPCI)", () => {
    const out = predicts(x86Domain("<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off' port='0x10' chassis='5'/></controller>", 'q35'), v9)
    expect(out).toContain("<target chassis='5' port='0x10' hotplug='off'/>")
    // (the near miss: in order already)
    expect(predicts(x86Domain("<controller type='pci' index='1' model='pcie-root-port'><target chassis='5' port='0x10'/></controller>", 'q35'), v9)).toContain("<target chassis='5' port='0x10'/>")
  })
})
