// Disks, the guest CPU and NUMA as libvirt 9.0 reads and writes them (conf/domain_conf.c virDomainDiskDefParseXML,
// virDomainStorageSourceParse, virDomainDiskDefFormat, virDomainDiskSourceFormat; cpu_conf.c virCPUDefParseXML,
// virCPUDefFormatBuf; numa_conf.c): each case was defined on the sandbox libvirtd 9.0 (the probes h13-<name> of
// fixtures/preview/probes/disks-cpu.xml) and preview says what the daemon stored or refused, in its words.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const dom = x86Domain
const diskOf = (xml: string): string => /<disk[ >][\s\S]*?<\/disk>/.exec(xml)![0]
const sourceOf = (xml: string): string => /<source [^>]*\/>|<source[ >][\s\S]*?<\/source>/.exec(diskOf(xml))![0]
const net = (source: string, target = "<target dev='vda' bus='virtio'/>", device = 'disk'): string => dom(`<disk type='network' device='${device}'>${source}${target}</disk>`)
const cdrom = "<target dev='hdc' bus='ide'/>"
const file = (inner: string, attrs = "type='file' device='disk'"): string => dom(`<disk ${attrs}>${inner}</disk>`)
const F = "<source file='/var/lib/libvirt/images/x.qcow2'/>"
const V = "<target dev='vda' bus='virtio'/>"
const invalid = (message: string, path: string) => ({ name: 'PreviewError', code: 'preview-invalid-value', message, path })

/** An x86_64 TCG domain of 4 vCPUs with these domain settings (a <cpu>, a <numatune>…). */
const withSettings = (settings: string, vcpu = '<vcpu>4</vcpu>'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='KiB'>524288</memory>
  ${vcpu}
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  ${settings}
  <devices/>
</domain>`
const cpuOf = (xml: string): string => /<cpu[^>]*\/>|<cpu[ >][\s\S]*?<\/cpu>/.exec(xml)![0]

describe("a network disk's hosts (virDomainStorageNetworkParseHost, virDomainDiskSourceFormatNetwork)", () => {
  it('a UNIX socket host keeps neither a name nor a port; TCP, the default, is not written; name, port, transport, socket in that order (h13-nbd-unix-name, -nbd-tcp-explicit, -nbd-rdma)', () => {
    expect(sourceOf(predicts(net("<source protocol='nbd' name='exp'><host transport='unix' socket='/run/nbd.sock' name='ignored' port='5'/></source>"))))
      .toContain("<host transport='unix' socket='/run/nbd.sock'/>")
    expect(sourceOf(predicts(net("<source protocol='nbd' name='x'><host transport='tcp' name='h' port='10809'/></source>")))).toContain("<host name='h' port='10809'/>")
    expect(sourceOf(predicts(net("<source protocol='nbd' name='x'><host transport='rdma' name='h'/></source>")))).toContain("<host name='h' transport='rdma'/>")
    expect(sourceOf(predicts(net("<source protocol='gluster' name='v/x'><host port='24008' transport='tcp' name='h'/></source>")))).toContain("<host name='h' port='24008'/>")
  })

  it("an RDMA host's port of 0 is none (no default port for it); VxHS's default port is 9999 (h13-net-host-rdma-port, -vxhs)", () => {
    expect(sourceOf(predicts(net("<source protocol='gluster' name='v/x'><host transport='rdma' port='0' name='h'/></source>")))).toContain("<host name='h' transport='rdma'/>")
    expect(sourceOf(predicts(net("<source protocol='vxhs' name='x'><host name='h'/></source>")))).toContain("<host name='h' port='9999'/>")
  })
})

describe("what a storage source's formatter writes (virDomainDiskSourceFormat, virDomainDiskBackingStoreFormat)", () => {
  it("a network source's security label and a volume source's <auth> are not written (h13-net-seclabel, -volume-auth)", () => {
    expect(sourceOf(predicts(net("<source protocol='nbd' name='x'><host name='h'/><seclabel model='dac' relabel='no'/></source>")))).not.toContain('seclabel')
    expect(sourceOf(predicts(file(`<source pool='default' volume='x.img'><auth username='u'><secret type='iscsi' usage='x'/></auth></source>${V}`, "type='volume' device='disk'"))))
      .toBe("<source pool='default' volume='x.img'/>")
    // (a file source's label is written)
    expect(sourceOf(predicts(file(`<source file='/var/lib/libvirt/images/x.qcow2'><seclabel model='dac' relabel='no'/></source>${V}`)))).toContain("<seclabel model='dac' relabel='no'/>")
  })

  it("an <auth>'s type before its user name, none or an empty one not written (h13-auth-order-attrs, -auth-type-none, -auth-type-empty)", () => {
    const rbd = (auth: string): string => net(`<source protocol='rbd' name='p/x'><host name='h'/>${auth}</source>`)
    expect(sourceOf(predicts(net(`<source protocol='iscsi' name='iqn.2013-07.com.example:iscsi/1'><host name='h'/><auth username='u' type='chap'><secret usage='s' type='iscsi'/></auth></source>`))))
      .toContain("<auth type='chap' username='u'>\n          <secret type='iscsi' usage='s'/>")
    expect(sourceOf(predicts(rbd("<auth type='none' username='admin'><secret type='ceph' usage='s'/></auth>")))).toContain("<auth username='admin'>")
    expect(sourceOf(predicts(rbd("<auth type='' username='admin'><secret type='ceph' usage='s'/></auth>")))).toContain("<auth username='admin'>")
    // (an iSCSI host device's source is read so too: h13-hd-iscsi-auth-none, -hd-iscsi-initiator-empty)
    const hostdev = (more: string): string => /<hostdev[ >][\s\S]*?<\/hostdev>/.exec(predicts(dom(`<controller type='scsi' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.2014-08.com.example:iscsi-nopool/1'><host name='example.org'/>${more}</source></hostdev>`)))![0]
    expect(hostdev("<auth username='u' type='none'><secret type='iscsi' usage='x'/></auth>")).toContain("<auth username='u'>")
    expect(hostdev('<initiator/>')).not.toContain('initiator')
    // (on the disk itself too: h13-auth-disklevel-type)
    expect(diskOf(predicts(dom("<disk type='network' device='disk'><auth type='none' username='admin'><secret type='ceph' usage='s'/></auth><source protocol='rbd' name='p/x'><host name='h'/></source><target dev='vda' bus='virtio'/></disk>"))))
      .toContain("<auth username='admin'>")
  })

  it("the first storage slice alone, its numbers as read; none without one (h13-slice-ok, -slice-othertype, -slice-empty)", () => {
    const sliced = (slices: string): string => file(`<driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/x.img'><slices>${slices}</slices></source>${V}`)
    expect(sourceOf(predicts(sliced("<slice type='storage' offset='0512' size='1024'/>")))).toContain("<slice type='storage' offset='512' size='1024'/>")
    expect(sourceOf(predicts(sliced("<slice type='format' offset='512' size='1024'/>")))).toBe("<source file='/var/lib/libvirt/images/x.img'/>")
    expect(sourceOf(predicts(sliced('')))).toBe("<source file='/var/lib/libvirt/images/x.img'/>")
    // (a second storage slice is not read, a bad one neither)
    expect(sourceOf(predicts(sliced("<slice type='storage' offset='512' size='1024'/><slice type='storage' offset='x' size='1'/>")))).not.toContain("offset='x'")
  })

  it("an HTTP source's timeout or readahead of 0 is not written (h13-http-timeout-zero)", () => {
    expect(sourceOf(predicts(net("<source protocol='http' name='/x.iso'><host name='h'/><timeout seconds='0'/><readahead size='0'/></source>", cdrom, 'cdrom')))).not.toMatch(/timeout|readahead/)
    expect(sourceOf(predicts(net("<source protocol='https' name='/x.iso'><host name='h'/><readahead size='0065536'/><timeout seconds='+5'/></source>", cdrom, 'cdrom'))))
      .toContain("<readahead size='65536'/>\n        <timeout seconds='5'/>")
  })

  it("an initiator is its IQN's name, an identity NFS's, an <ssl> its verify — else none (h13-net-initiator-empty, -net-identity-http, -net-ssl-empty)", () => {
    const iscsi = (more: string): string => net(`<source protocol='iscsi' name='iqn.2013-07.com.example:iscsi/1'><host name='h'/>${more}</source>`)
    expect(sourceOf(predicts(iscsi('<initiator/>')))).not.toContain('initiator')
    expect(sourceOf(predicts(iscsi('<initiator><iqn/></initiator>')))).not.toContain('initiator')
    expect(sourceOf(predicts(iscsi("<initiator><iqn name='iqn.2013-07.com.example:c'/></initiator>")))).toContain("<initiator>\n          <iqn name='iqn.2013-07.com.example:c'/>\n        </initiator>")
    expect(sourceOf(predicts(net("<source protocol='http' name='/x.iso'><host name='h'/><identity user='u'/></source>", cdrom, 'cdrom')))).not.toContain('identity')
    expect(sourceOf(predicts(net("<source protocol='https' name='/x.iso'><host name='h'/><ssl/></source>", cdrom, 'cdrom')))).not.toContain('ssl')
  })

  it("an HTTPS or FTPS <ssl verify> is a yes/no (h13-https-ssl-bad; an FTP one is not read, h13-net-ssl-ftp)", () => {
    expect(refusal(net("<source protocol='https' name='/x.iso'><host name='h'/><ssl verify='off'/></source>", cdrom, 'cdrom'), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'verify' in element 'ssl': 'off'.", 'domain/devices/disk[1]/source/ssl/@verify'))
    expect(sourceOf(predicts(net("<source protocol='ftp' name='/x.iso'><host name='h'/><ssl verify='off'/></source>", cdrom, 'cdrom')))).not.toContain('ssl')
  })

  it("a backing store's source has no startup policy; a metadata cache of 0 is none (h13-bs-startup, -drv-meta-zero, -bs-meta-zero)", () => {
    const disk = diskOf(predicts(file(`<driver name='qemu' type='qcow2'/>${F}<backingStore type='file'><format type='qcow2'/><source file='/var/lib/libvirt/images/b.qcow2' startupPolicy='optional'/></backingStore>${V}`)))
    expect(disk).toContain("<source file='/var/lib/libvirt/images/b.qcow2'/>")
    expect(diskOf(predicts(file(`<driver name='qemu' type='qcow2'><metadata_cache><max_size unit='bytes'>0</max_size></metadata_cache></driver>${F}${V}`)))).toContain("<driver name='qemu' type='qcow2'/>")
    // (an empty size, or none, is none too: h13-odd-meta-empty, -odd-meta-nosize)
    expect(diskOf(predicts(file(`<driver name='qemu' type='qcow2'><metadata_cache><max_size unit='bytes'></max_size></metadata_cache></driver>${F}${V}`)))).toContain("<driver name='qemu' type='qcow2'/>")
    expect(diskOf(predicts(file(`<driver name='qemu' type='qcow2'><metadata_cache/></driver>${F}${V}`)))).toContain("<driver name='qemu' type='qcow2'/>")
    expect(diskOf(predicts(file(`<driver name='qemu' type='qcow2'/>${F}<backingStore type='file'><format type='qcow2'><metadata_cache><max_size unit='bytes'>0</max_size></metadata_cache></format><source file='/var/lib/libvirt/images/b.qcow2'/></backingStore>${V}`))))
      .toContain("<format type='qcow2'/>")
  })

  it("an NVMe source is managed unless told, its namespace and address as read (h13-nvme-nomanaged, -nvme-addr-short, -nvme-addr-dec)", () => {
    const nvme = (source: string): string => file(`<driver name='qemu' type='raw'/>${source}${V}`, "type='nvme' device='disk'")
    expect(sourceOf(predicts(nvme("<source type='pci' namespace='1'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>")))).toContain("<source type='pci' managed='yes' namespace='1'>")
    expect(sourceOf(predicts(nvme("<source type='pci' managed='no' namespace='01'><address bus='1' slot='0' function='0'/></source>"))))
      .toBe("<source type='pci' managed='no' namespace='1'>\n        <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n      </source>")
  })
})

describe("a disk's own elements (virDomainDiskDefParseXML, virDomainDiskDefFormat)", () => {
  it("an empty <iotune/> and a <transient shareBacking='no'/>'s no are not written (h13-iot-empty, -transient-sb-no)", () => {
    expect(diskOf(predicts(file(`${F}${V}<iotune/>`)))).not.toContain('iotune')
    expect(diskOf(predicts(file(`${F}${V}<transient shareBacking='no'/>`)))).toContain('<transient/>')
    expect(diskOf(predicts(file(`${F}${V}<transient shareBacking='yes'/>`)))).toContain("<transient shareBacking='yes'/>")
  })

  it("a read error policy of enospace is refused (h13-drv-rerror-enospace; a write one is taken)", () => {
    expect(refusal(file(`<driver name='qemu' rerror_policy='enospace'/>${F}${V}`), { v9: true }))
      .toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Invalid disk read error policy: 'enospace'", path: 'domain/devices/disk[1]/driver/@rerror_policy' })
    expect(diskOf(predicts(file(`<driver name='qemu' error_policy='enospace'/>${F}${V}`)))).toContain("error_policy='enospace'")
  })

  it('persistent reservations: an unmanaged one names a UNIX socket the client connects to (h13-pr-unmanaged-nosrc, -pr-server, -pr-tcp, -pr-nopath, -pr-nomode)', () => {
    const lun = (reservations: string): string => file(`<source dev='/dev/sdz'>${reservations}</source><target dev='sda' bus='scsi'/>`, "type='block' device='lun'")
    const at = 'domain/devices/disk[1]/source/reservations'
    expect(refusal(lun("<reservations managed='no'/>"), { v9: true })).toEqual(invalid('missing connection type for <reservations/>', at))
    expect(refusal(lun("<reservations managed='no'><source type='unix' mode='client'/></reservations>"), { v9: true }).message).toBe('missing path for <reservations/>')
    expect(refusal(lun("<reservations managed='no'><source type='unix' path='/run/pr.sock'/></reservations>"), { v9: true }).message).toBe('missing connection mode for <reservations/>')
    expect(refusal(lun("<reservations managed='no'><source type='unix' path='/run/pr.sock' mode='server'/></reservations>"), { v9: true }).message).toBe('unsupported connection mode for <reservations/>: server')
    expect(refusal(lun("<reservations managed='no'><source type='tcp' path='/run/pr.sock' mode='client'/></reservations>"), { v9: true }).message).toBe('unsupported connection type for <reservations/>: tcp')
    // (a managed one naming a mode alone needs all three too: h13-pr-managed-mode)
    expect(refusal(lun("<reservations managed='yes'><source mode='client'/></reservations>"), { v9: true }).message).toBe('missing connection type for <reservations/>')
  })

  it("a LUKS cipher names its cipher and key size, an ivgen needs the cipher and a name (h13-enc-cipher-nosize, -enc-cipher-noname, -enc-ivgen-noname)", () => {
    const luks = (info: string): string => file(`<driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>${info}</encryption></source>${V}`)
    expect(refusal(luks("<cipher name='aes'/>"), { v9: true }).message).toBe("Missing required attribute 'size' in element 'cipher'")
    expect(refusal(luks("<cipher size='256'/>"), { v9: true }).message).toBe("cipher info missing 'name' attribute")
    expect(refusal(luks("<ivgen hash='sha256'/>"), { v9: true }).message).toBe('ivgen element found, but cipher is missing')
    expect(refusal(luks("<cipher name='aes' size='256'/><ivgen hash='sha256'/>"), { v9: true }).message).toBe('missing ivgen info name string')
    // (read, a whole LUKS cipher is then refused by the QEMU driver: libvirt chooses it)
    expect(refusal(luks("<cipher name='aes' size='256'/>"), { v9: true }).message).toBe('supplying <cipher> for domain disk definition is unnecessary')
  })

  it('a vhost-user disk: its virtio bus first, then a CD-ROM is read-only (h13-vu-cdrom, -vu-cdrom-sata)', () => {
    const vu = (target: string, device: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking><devices><disk type='vhostuser' device='${device}'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost-blk.sock'/>${target}</disk></devices></domain>`
    expect(refusal(vu(V, 'cdrom'), { v9: true }).message).toBe('readonly is not supported with vhostuser disk')
    expect(refusal(vu("<target dev='sda' bus='sata'/>", 'cdrom'), { v9: true }).message).toBe('vhostuser disk supports only virtio bus')
    // (what a disk off virtio cannot have is refused before: h13-vu-sata-ioeventfd)
    expect(refusal(vu("<target dev='sda' bus='sata'/>", 'disk').replace("type='raw'", "type='raw' ioeventfd='on'"), { v9: true }).message).toBe('disk ioeventfd mode supported only for virtio bus')
  })

  it("a backing NVMe source's namespace and PCI address as its formatter writes them, not made managed (h13-bs-nvme, -bs-nvme-hex)", () => {
    const disk = diskOf(predicts(file(`<driver name='qemu' type='qcow2'/>${F}<backingStore type='nvme'><format type='raw'/><source type='pci' namespace='03'><address domain='0' bus='0x1' slot='0' function='1'/></source></backingStore>${V}`)))
    expect(disk).toContain("<source type='pci' namespace='3'>\n          <address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>")
  })
})

describe('the guest CPU (virCPUDefParseXML, virCPUDefFormatBuf, qemuDomainDefSetDefaultCPU)', () => {
  it("a model's fallback before its vendor_id; a host-passthrough CPU writes no model, whatever it carries (h13-cpu-vendorid-ok, -cpu-hp-model, -cpu-hp-vendorid-nameless)", () => {
    expect(cpuOf(predicts(withSettings("<cpu><model vendor_id='GenuineIntel'>qemu64</model></cpu>")))).toContain("<model fallback='allow' vendor_id='GenuineIntel'>qemu64</model>")
    expect(cpuOf(predicts(withSettings("<cpu mode='host-passthrough'><model fallback='forbid' vendor_id='GenuineIntel'>qemu64</model></cpu>"))))
      .toBe("<cpu mode='host-passthrough' check='none' migratable='on'/>")
    expect(cpuOf(predicts(withSettings("<cpu mode='maximum'><model vendor_id='SomeVendorXY'/></cpu>")))).not.toContain('model')
  })

  it("a custom CPU's nameless model with a vendor_id gets the machine's default model, keeping the vendor_id (h13-cpu-vendorid-nomodel)", () => {
    expect(cpuOf(predicts(withSettings("<cpu><model vendor_id='GenuineIntel'/><topology sockets='1' cores='2' threads='2'/></cpu>"), { v9: true })))
      .toBe("<cpu mode='custom' match='exact' check='none'>\n    <model fallback='forbid' vendor_id='GenuineIntel'>qemu64</model>\n    <topology sockets='1' dies='1' cores='2' threads='2'/>\n  </cpu>")
  })

  it("a vendor_id holds no comma, read for the custom and host-model modes alone (h13-cpu-vendorid-comma, -cpu-hp-vendorid-comma)", () => {
    expect(refusal(withSettings("<cpu><model vendor_id='Genuine,ntel'>qemu64</model></cpu>"), { v9: true })).toEqual(invalid('vendor id is invalid', 'domain/cpu/model/@vendor_id'))
    expect(cpuOf(predicts(withSettings("<cpu mode='host-passthrough'><model vendor_id='a,b'/></cpu>")))).toBe("<cpu mode='host-passthrough' check='none' migratable='on'/>")
  })

  it('a cache level from 1 to 3, refused as the parser reads it (h13-cpu-cache-level4, -cpu-cache-level0)', () => {
    expect(refusal(withSettings("<cpu><cache level='4' mode='emulate'/></cpu>"), { v9: true })).toEqual(invalid('invalid CPU cache level, must be in range [1,3]', 'domain/cpu/cache/@level'))
    expect(refusal(withSettings("<cpu><cache level='0' mode='emulate'/></cpu>"), { v9: true }).message).toBe('invalid CPU cache level, must be in range [1,3]')
    expect(refusal(withSettings("<cpu><cache level='5'/></cpu>"), { v9: true }).message).toBe('invalid CPU cache level, must be in range [1,3]')
  })
})

describe('guest NUMA and <numatune> (numa_conf.c)', () => {
  const cells = (c: string, more = ''): string => withSettings(`<cpu><numa>${c}${more}</numa></cpu>`)
  const cache = (attrs: string, inner = "<size value='10' unit='KiB'/><line value='8' unit='B'/>"): string => cells(`<cell id='0' cpus='0-3' memory='524288'><cache ${attrs}>${inner}</cache></cell>`)

  it("a cell whose CPU set names none has no cpus; an empty <interconnects/> is not written (h13-numa-cpus-allexcl, -ic-empty)", () => {
    expect(predicts(cells("<cell id='0' cpus='0,^0' memory='262144'/><cell id='1' cpus='0-3' memory='262144'/>"))).toContain("<cell id='0' memory='262144' unit='KiB'/>")
    expect(predicts(cells("<cell id='0' cpus='0-3' memory='524288'/>", '<interconnects/>'))).not.toContain('interconnects')
  })

  it("a cell cache's attributes and parts, refused in libvirt 9.0's own words (h13-ncache-*)", () => {
    const at = 'domain/cpu/numa/cell[1]/cache[1]'
    expect(refusal(cache("associativity='direct' policy='writeback'"), { v9: true })).toEqual(invalid("Missing 'level' attribute in cache element for NUMA node 0", `${at}/@level`))
    expect(refusal(cache("level='0' associativity='direct' policy='writeback'"), { v9: true }).message).toBe("Invalid 'level' attribute in cache element for NUMA node 0")
    expect(refusal(cache("level='1' policy='writeback'"), { v9: true }).message).toBe("Missing 'associativity' attribute in cache element for NUMA node 0")
    expect(refusal(cache("level='1' associativity='full' policy='lazy'"), { v9: true }).message).toBe("Invalid cache policy 'lazy'")
    // (a missing policy: its error is overwritten by the enumeration's on NULL)
    expect(refusal(cache("level='1' associativity='direct'"), { v9: true }).message).toBe("Invalid cache policy '(null)'")
    expect(refusal(cache("level='1' associativity='direct' policy='writeback'", "<size value='10' unit='KiB'/>"), { v9: true }).message).toBe("missing element or attribute './line/@value'")
    expect(refusal(cache("level='1' associativity='direct' policy='writeback'", "<line value='8' unit='B'/>"), { v9: true }).message).toBe("missing element or attribute './size/@value'")
  })

  it("a cell cache's level as read, a line of 0 not written, units from <unit> children (h13-ncache-level-plus, -ncache-line0, -ncache-size-unitel)", () => {
    expect(predicts(cache("level='+2' associativity='direct' policy='writeback'"))).toContain("<cache level='2' associativity='direct' policy='writeback'>")
    const line0 = predicts(cache("level='1' associativity='direct' policy='writeback'", "<size value='10'/><line value='0'/>"))
    expect(line0).toContain("<size value='10' unit='KiB'/>\n        </cache>")
    expect(predicts(cache("level='1' associativity='direct' policy='writeback'", "<size value='2'><unit>MiB</unit></size><line value='64'/>"))).toContain("<size value='2048' unit='KiB'/>")
  })

  it("an interconnect's cache level of 0 is not written (h13-ic-cache0)", () => {
    const two = "<cell id='0' cpus='0-1' memory='262144'/><cell id='1' cpus='2-3' memory='262144'/>"
    expect(predicts(cells(two, "<interconnects><latency initiator='0' target='0' cache='0' type='access' value='5'/></interconnects>"))).toContain("<latency initiator='0' target='0' type='access' value='5'/>")
  })

  it("<numatune> that sets nothing is not written; a memnode's mode is strict unless told (h13-nt-empty, -nt-empty-memory, -nt-memnode)", () => {
    expect(predicts(withSettings('<numatune/>'))).not.toContain('numatune')
    expect(predicts(withSettings('<numatune><memory/></numatune>'))).not.toContain('numatune')
    const two = "<cpu><numa><cell id='0' cpus='0-1' memory='262144'/><cell id='1' cpus='2-3' memory='262144'/></numa></cpu>"
    expect(predicts(withSettings(`${two}<numatune><memory mode='strict' nodeset='0'/><memnode cellid='1' mode='interleave' nodeset='0-1'/><memnode cellid='0' nodeset='1'/></numatune>`)))
      .toContain("<numatune>\n    <memory mode='strict' nodeset='0'/>\n    <memnode cellid='0' mode='strict' nodeset='1'/>\n    <memnode cellid='1' mode='interleave' nodeset='0-1'/>\n  </numatune>")
    // (with automatic vCPU placement an empty one still makes the memory's automatic — but not one with a <memory>, even
    // empty: h13-nt-empty-vcpu-auto, -nt-empty-memory-vcpu-auto, -nt-memory-empty-vcpu-auto-memnode)
    const auto = "<vcpu placement='auto'>4</vcpu>"
    expect(predicts(withSettings('<numatune/>', auto))).toContain("<memory mode='strict' placement='auto'/>")
    expect(predicts(withSettings('<numatune><memory/></numatune>', auto))).not.toContain('numatune')
    expect(predicts(withSettings(`${two}<numatune><memory/><memnode cellid='0' nodeset='0'/></numatune>`, auto))).toContain("<numatune>\n    <memnode cellid='0' mode='strict' nodeset='0'/>\n  </numatune>")
  })
})

describe('an iSCSI disk source written with an empty name (libvirtd 9.0 dies on it: virDomainPostParseCheckISCSIPath)', () => {
  it('is refused in preview\'s own words, where libvirt stores nothing and refuses nothing', () => {
    const disk = (name: string) => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><disk type='network' device='disk'><source protocol='iscsi'${name}><host name='example.com' port='3260'/></source><target dev='vda' bus='virtio'/></disk></devices></domain>`
    expect(refusal(disk(" name=''"))).toMatchObject({ code: 'preview-refused', path: 'domain/devices/disk[1]/source/@name' })
    expect(refusal(disk(" name=''")).message).toContain('libvirtd dies on this domain')
    // (no name at all: the parser's own refusal first)
    expect(refusal(disk('')).message).toBe('missing name for disk source')
    expect(predicts(disk(" name='iqn.2013-07.com.example:iscsi-nopool'"))).toContain("name='iqn.2013-07.com.example:iscsi-nopool/0'")
  })
})

describe("a network NVRAM's hosts, read by the disks' storage source parser (virStorageSourceNetworkAssignDefaultPorts)", () => {
  it("takes the protocol's default port for a TCP host without one or with port 0 (differential seed 471, libvirtd 9.0)", () => {
    const nvram = (host: string) => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader><nvram type='network'><source protocol='nbd' name='bar'>${host}</source></nvram></os><features><acpi/></features><devices/></domain>`
    expect(predicts(nvram("<host name='example.org' port='0'/>"))).toContain("<host name='example.org' port='10809'/>")
    expect(predicts(nvram("<host name='example.org'/>"))).toContain("<host name='example.org' port='10809'/>")
    expect(predicts(nvram("<host name='example.org' port='+10810'/>"))).toContain("<host name='example.org' port='10810'/>")
  })
})
