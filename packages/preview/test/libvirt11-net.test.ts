// What libvirt 11.3's own daemon does with interfaces, host devices and their sources where 9.0 differs, found by defining
// the probes of fixtures/preview/probes (interfaces-more, interfaces-hostdevs, graphics-filesystems, validators-devices-2,
// parsers-devices) on Debian trixie's libvirtd 11.3 next to preview. The expected fragments and refusals are what that
// daemon stored or said; the near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const nic = (type: string, inner: string): string => x86Domain(`<interface type='${type}'><mac address='52:54:00:00:00:01'/>${inner}</interface>`)
const network = (bandwidth: string): string => nic('network', `<source network='default'/><bandwidth${bandwidth}</bandwidth>`)

describe("an interface's <bandwidth> (11.3's virNetDevBandwidthParse: virXMLPropUInt, virXMLPropULongLong)", () => {
  it("a rate's numbers in virXMLPropULongLong's words, read average, peak, burst, floor before the rate's own checks", () => {
    expect(refusal(network("><inbound average='x'/>"))).toMatchObject({ message: "Invalid value for attribute 'average' in element 'inbound': 'x'. Expected non-negative integer value" })
    expect(refusal(network("><inbound average='x'/>"), v9)).toMatchObject({ message: "could not convert bandwidth average value 'x'" })
    expect(refusal(network("><outbound average='0x10'/>"))).toMatchObject({ message: "Invalid value for attribute 'average' in element 'outbound': '0x10'. Expected non-negative integer value" })
    // (9.0 asks for an average before it reads the peak; 11.3 reads the peak first)
    expect(refusal(network("><inbound peak='x'/>"))).toMatchObject({ message: "Invalid value for attribute 'peak' in element 'inbound': 'x'. Expected non-negative integer value" })
    expect(refusal(network("><inbound peak='x'/>"), v9)).toMatchObject({ message: 'Missing mandatory average or floor attributes' })
    expect(refusal(network("><inbound average='1' floor=''/>"))).toMatchObject({ message: "Invalid value for attribute 'floor' in element 'inbound': ''. Expected non-negative integer value" })
  })
  it('a class ID read as an unsigned int first, then refused on a domain interface', () => {
    expect(refusal(network(" classID='x'><inbound average='1'/>"))).toMatchObject({ message: "Invalid value for attribute 'classID' in element 'bandwidth': 'x'. Expected non-negative integer value" })
    expect(refusal(network(" classID='x'><inbound average='1'/>"), v9)).toMatchObject({ message: 'classID attribute not supported on <bandwidth> in this usage context' })
    expect(refusal(network(" classID='5'><inbound average='1'/>"))).toMatchObject({ message: 'classID attribute not supported on <bandwidth> in this usage context' })
  })
  it("a floor written — even 0 — only inbound on a network's interface, in one set of words", () => {
    expect(refusal(network("><outbound average='1' floor='5'/>"))).toMatchObject({ message: 'floor attribute is not supported for this config' })
    expect(refusal(network("><outbound average='1' floor='5'/>"), v9)).toMatchObject({ message: "'floor' attribute allowed only in <inbound> element" })
    expect(refusal(network("><outbound average='1' floor='0'/>"))).toMatchObject({ message: 'floor attribute is not supported for this config' })
    expect(predicts(network("><outbound average='1' floor='0'/>"), v9)).toContain("<outbound average='1'/>")
    const bridge = nic('bridge', "<source bridge='br0'/><bandwidth><inbound average='1' floor='0'/></bandwidth>")
    expect(refusal(bridge)).toMatchObject({ message: 'floor attribute is not supported for this config' })
    expect(predicts(bridge, v9)).toContain("<inbound average='1'/>")
    // (a network's interface keeps an inbound floor of 0 as none)
    expect(predicts(network("><inbound average='1' floor='0'/>"))).toContain("<bandwidth>\n        <inbound average='1'/>\n      </bandwidth>")
  })
  it('the first <inbound> and <outbound> alone: a second is neither read nor refused', () => {
    const twice = network("><inbound average='1'/><inbound average='x'/><outbound average='2'/><outbound peak='y'/>")
    expect(predicts(twice)).toContain("<bandwidth>\n        <inbound average='1'/>\n        <outbound average='2'/>\n      </bandwidth>")
    expect(refusal(twice, v9)).toMatchObject({ message: 'Only one child <inbound> element allowed' })
  })
})

describe('interface sources 11.3 reads differently', () => {
  it("a vhost-user source's type, optional in 11.3, is refused when not unix — before its shared memory is asked for", () => {
    const vhost = nic('vhostuser', "<source type='tcp' path='/tmp/s' mode='client'/><model type='virtio'/>")
    expect(refusal(vhost)).toMatchObject({ message: "Type='tcp' unsupported for <interface type='vhostuser'>" })
    expect(refusal(nic('vhostuser', "<source type='UNIX'/><model type='virtio'/>"))).toMatchObject({ message: "Type='UNIX' unsupported for <interface type='vhostuser'>" })
    expect(refusal(vhost, v9)).toMatchObject({ message: "Type='tcp' unsupported for <interface type='vhostuser'>" })
    expect(refusal(nic('vhostuser', "<source type='unix' path='/tmp/s' mode='client'/><model type='virtio'/>"))).toMatchObject({ message: "'interface' requires shared memory" })
  })
  it("a host device interface without a source address type: 11.3 looks up a NULL name (virDomainHostdevSubsysTypeFromString)", () => {
    const hostdev = nic('hostdev', "<source><address domain='0' bus='1' slot='0' function='0'/></source>")
    expect(refusal(hostdev)).toMatchObject({ message: "unknown host device source address type '(null)'" })
    expect(refusal(hostdev, v9)).toMatchObject({ message: 'missing source address type' })
    expect(refusal(nic('hostdev', "<source><address type='' domain='0' bus='1' slot='0' function='0'/></source>"))).toMatchObject({ message: "unknown host device source address type '(null)'" })
  })
  it("a passt port forward's range needs a start beside an end, a target port or an exclusion (virDomainNetDefValidate)", () => {
    const passt = (range: string): string => nic('user', `<backend type='passt'/><portForward proto='tcp'><range ${range}/></portForward><model type='virtio'/>`)
    expect(refusal(passt("to='22'"))).toMatchObject({ message: "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified" })
    expect(refusal(passt("exclude='no'"))).toMatchObject({ message: "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified" })
    expect(predicts(passt("start='2022' to='22'"))).toContain("<range start='2022' to='22'/>")
  })
})

describe("host devices and storage hosts in virXMLPropEnum's words (seen on libvirtd 11.3)", () => {
  it("a host device's type (REQUIRED: a missing one was already 11.3's words)", () => {
    const hostdev = x86Domain("<hostdev mode='subsystem' type='PCI'><source><address domain='0' bus='1' slot='0' function='0'/></source></hostdev>")
    expect(refusal(hostdev)).toMatchObject({ message: "Invalid value for attribute 'type' in element 'hostdev': 'PCI'." })
    expect(refusal(hostdev, v9)).toMatchObject({ message: "unknown host device source address type 'PCI'" })
  })
  it("a vhost SCSI host's protocol (REQUIRED, NONZERO: `none` refused as any unknown name)", () => {
    const vhost = (protocol: string): string => x86Domain(`<hostdev mode='subsystem' type='scsi_host'><source${protocol} wwpn='naa.5123456789abcde0'/></hostdev>`)
    expect(refusal(vhost(''))).toMatchObject({ message: "Missing required attribute 'protocol' in element 'source'" })
    expect(refusal(vhost(''), v9)).toMatchObject({ message: 'Missing scsi_host subsystem protocol' })
    expect(refusal(vhost(" protocol='none'"))).toMatchObject({ message: "Invalid value for attribute 'protocol' in element 'source': 'none'." })
    expect(refusal(vhost(" protocol='iscsi'"), v9)).toMatchObject({ message: "Unknown scsi_host subsystem protocol 'iscsi'" })
    const nicScsiHost = nic('hostdev', "<source><address type='scsi_host'/></source>")
    expect(refusal(nicScsiHost)).toMatchObject({ message: "Missing required attribute 'protocol' in element 'source'" })
    expect(refusal(nicScsiHost, v9)).toMatchObject({ message: 'Missing scsi_host subsystem protocol' })
  })
  it("a storage host's transport (virXMLPropEnumDefault, TCP when none — a socket beside none is TCP's)", () => {
    const host = (attrs: string): string => x86Domain(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='x'><host ${attrs}/></source><target dev='vda' bus='virtio'/></disk>`)
    expect(refusal(host("name='h' transport='bogus'"))).toMatchObject({ message: "Invalid value for attribute 'transport' in element 'host': 'bogus'." })
    expect(refusal(host("name='h' transport='bogus'"), v9)).toMatchObject({ message: "unknown protocol transport type 'bogus'" })
    expect(refusal(host("name='h' socket='/s'"))).toMatchObject({ message: "transport 'tcp' does not support socket attribute" })
    expect(refusal(host("name='h' socket='/s'"), v9)).toMatchObject({ message: "transport '(null)' does not support socket attribute" })
  })
  it("a volume source's mode (NONZERO: `default` too), a disk's and a filesystem's", () => {
    const disk = x86Domain("<disk type='volume' device='disk'><source pool='p' volume='v' mode='default'/><target dev='vda' bus='virtio'/></disk>")
    expect(refusal(disk)).toMatchObject({ message: "Invalid value for attribute 'mode' in element 'source': 'default'." })
    expect(refusal(disk, v9)).toMatchObject({ message: "unknown source mode 'default' for volume type disk" })
    const fs = x86Domain("<filesystem type='volume'><source pool='p' volume='v' mode='bogus'/><target dir='/mnt'/></filesystem>")
    expect(refusal(fs)).toMatchObject({ message: "Invalid value for attribute 'mode' in element 'source': 'bogus'." })
    expect(refusal(fs, v9)).toMatchObject({ message: "unknown source mode 'bogus' for volume type disk" })
  })
})
