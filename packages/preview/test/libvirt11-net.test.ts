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

describe('filesystems libvirt 11.3 reads and validates differently', () => {
  const shared = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${devices}</devices></domain>`
  const fs = (dir: string, target: string, more = '', driver = "<driver type='virtiofs'/>"): string => `<filesystem type='mount'>${driver}${more}<source dir='${dir}'/><target dir='${target}'/></filesystem>`
  it("a filesystem on a virtiofs one's target, whatever its own driver (virDomainFSDefValidate gathers the virtiofs targets first)", () => {
    const mixed = shared(fs('/tmp', 'mnt', '', '') + fs('/var', 'mnt'))
    expect(refusal(mixed)).toMatchObject({ message: "filesystem target 'mnt' specified twice" })
    expect(predicts(mixed, v9)).toContain("<source dir='/tmp'/>\n      <target dir='mnt'/>")
    // (two virtiofs ones refused at the first filesystem validated, whatever its own target: named at the second of them)
    expect(refusal(shared(fs('/tmp', 'a') + fs('/var', 'b') + fs('/usr', 'b')))).toMatchObject({ message: "filesystem target 'b' specified twice", path: 'domain/devices/filesystem[3]/target/@dir' })
  })
  it("a virtiofs daemon's open file limit (virStrToLong_ull, written with %lld when not 0) and its ID maps (virXPathUInt)", () => {
    expect(refusal(shared(fs('/tmp', 'a', "<binary><openfiles max='x'/></binary>")))).toMatchObject({ message: "cannot parse openfiles 'x' for virtiofs" })
    expect(refusal(shared(fs('/tmp', 'a', "<idmap><uid start='x' target='y' count='z'/></idmap>")))).toMatchObject({ message: 'invalid idmap start/target/count settings' })
    expect(refusal(shared(fs('/tmp', 'a', "<idmap><uid start='0' target='1'/><gid start='0' target='1' count='1'/></idmap>")))).toMatchObject({ message: 'invalid idmap start/target/count settings' })
    const kept = predicts(shared(fs('/tmp', 'a', "<binary><openfiles max='-1'/></binary><idmap><gid start='5' target='1' count='2'/><uid start='3' target='+7' count='1'/><uid start='0' target='100' count='3'/></idmap>")
      + fs('/var', 'b', "<binary><openfiles max='0'/><thread_pool size='4'/></binary><idmap><gid start='0' target='1' count='2'/></idmap>") + fs('/usr', 'c', "<binary><openfiles max=' 12'/></binary>")))
    expect(kept).toContain("<binary>\n        <openfiles max='-1'/>\n      </binary>\n      <idmap>\n        <uid start='0' target='100' count='3'/>\n        <uid start='3' target='7' count='1'/>\n        <gid start='5' target='1' count='2'/>\n      </idmap>\n      <source dir='/tmp'/>")
    expect(kept).toContain("<binary>\n        <thread_pool size='4'/>\n      </binary>\n      <source dir='/var'/>")
    expect(kept).toContain("<openfiles max='12'/>")
    // (read for virtiofs alone)
    expect(predicts(shared(fs('/tmp', 'a', "<idmap><uid start='0' target='1' count='1'/></idmap>", '')))).not.toContain('<idmap>')
  })
})

describe('a graphics user name (11.3: read and written beside a password alone — virDomainGraphicsAuthDefParseXML)', () => {
  it('is dropped without a password, kept with one', () => {
    expect(predicts(x86Domain("<graphics type='vnc' username=''/>"))).toContain("<graphics type='vnc' port='-1' autoport='yes'>")
    expect(predicts(x86Domain("<graphics type='vnc' username='joe' passwd='x'/>"))).toContain("<graphics type='vnc' port='-1' autoport='yes' username='joe'>")
  })
})

describe('a memory device on guest node 0 of a domain without NUMA (qemuDomainDefNumaAutoAdd before validation)', () => {
  const dimm = (numa: string): string => `<domain type='qemu'><name>t</name><maxMemory slots='4' unit='KiB'>4194304</maxMemory><memory unit='KiB'>524288</memory>${numa}<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><memory model='dimm'><target><size unit='KiB'>262144</size><node>0</node></target></memory></devices></domain>`
  it('11.3 validates it against the node it added; 9.0 refuses a domain with memory hot-plug and no NUMA', () => {
    expect(predicts(dimm(''))).toContain("<cell id='0' cpus='0' memory='262144' unit='KiB'/>")
    expect(refusal(dimm(''), v9)).toMatchObject({ message: 'At least one numa node has to be configured when enabling memory hotplug' })
    const onNode1 = dimm('').replace('<node>0</node>', '<node>1</node>')
    expect(refusal(onNode1)).toMatchObject({ message: "can't add memory backend for guest node '1' as the guest has only '1' NUMA nodes configured" })
  })
})
