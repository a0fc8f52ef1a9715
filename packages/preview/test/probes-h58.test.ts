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
