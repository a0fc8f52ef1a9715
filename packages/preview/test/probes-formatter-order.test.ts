// The order libvirt's formatter writes children in, whatever the order they were written in (model's
// formatterChildOrders, preview's orderDomain): the children each of these elements was missing an order for, written in
// reverse, and their near misses written in order. Each case was defined on the sandbox libvirtd 9.0 (the probes h37-…
// of fixtures/preview/probes/formatter-order.xml); the expected fragments are what the daemon printed.
import { describe, expect, it } from 'vitest'
import { capsXml, x86Flags } from './_caps.ts'
import { predicts, x86Domain } from './_refusal.ts'

const q35 = (devices: string): string => x86Domain(devices, 'q35')
/** An x86_64 q35 domain with `settings` before `<os>` and `after` between `<os>` and `<devices>`. */
const withSettings = (settings: string, after = ''): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>${settings}<os><type arch='x86_64' machine='q35'>hvm</type></os>${after}<devices/></domain>`
const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const s390Domain = (tail: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices/>${tail}</domain>`

describe("a TPM emulator's backend (virDomainTPMDefFormat)", () => {
  const tpm = (backend: string): string => q35(`<tpm model='tpm-crb'><backend type='emulator' version='2.0'>${backend}</backend></tpm>`)
  const stored = "<backend type='emulator' version='2.0'>\n        <encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>\n        <active_pcr_banks>\n          <sha1/>\n          <sha256/>\n"

  it('the encryption is written before the active PCR banks, whatever the order (h37-tpm-be-rev, h37-tpm-be-enc-rev)', () => {
    expect(predicts(tpm("<active_pcr_banks><sha1/><sha256/></active_pcr_banks><encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"), { v9: true })).toContain(stored)
  })

  it('in that order already, it stays (h37-tpm-be-ok)', () => {
    expect(predicts(tpm("<encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><active_pcr_banks><sha1/><sha256/></active_pcr_banks>"), { v9: true })).toContain(stored)
  })
})

describe("a video model's children (virDomainVideoDefFormat)", () => {
  const video = (model: string): string => q35(`<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'>${model}</model></video>`)
  const stored = "primary='yes'>\n        <acceleration accel3d='no' accel2d='no'/>\n        <resolution x='800' y='600'/>\n      </model>"

  it('acceleration, then resolution (h37-video-model-rev, h37-video-virtio-res-rev)', () => {
    expect(predicts(video("<resolution x='800' y='600'/><acceleration accel3d='no' accel2d='no'/>"), { v9: true })).toContain(stored)
    expect(predicts(video("<acceleration accel3d='no' accel2d='no'/><resolution x='800' y='600'/>"), { v9: true })).toContain(stored)
  })
})

describe("an EGD random number backend's character device (virDomainRNGDefFormat, virDomainChrSourceDefFormat)", () => {
  const rng = (backend: string): string => q35(`<rng model='virtio'><backend model='egd' type='tcp'>${backend}</backend></rng>`)
  const stored = "<backend model='egd' type='tcp'>\n        <source mode='connect' host='127.0.0.1' service='1234'/>\n        <protocol type='raw'/>\n      </backend>"

  it('the source, then the protocol (h37-rng-egd-rev; -ok in order)', () => {
    expect(predicts(rng("<protocol type='raw'/><source mode='connect' host='127.0.0.1' service='1234'/>"), { v9: true })).toContain(stored)
    expect(predicts(rng("<source mode='connect' host='127.0.0.1' service='1234'/><protocol type='raw'/>"), { v9: true })).toContain(stored)
  })
})

describe('the resource partition (virDomainResourceDefFormat)', () => {
  const stored = "<resource>\n    <partition>/machine</partition>\n    <fibrechannel appid='abcdef'/>\n  </resource>"

  it('the partition, then the Fibre Channel application ID (h37-resource-rev; -ok in order)', () => {
    expect(predicts(withSettings("<resource><fibrechannel appid='abcdef'/><partition>/machine</partition></resource>"), { v9: true })).toContain(stored)
    expect(predicts(withSettings("<resource><partition>/machine</partition><fibrechannel appid='abcdef'/></resource>"), { v9: true })).toContain(stored)
  })
})

describe("a guest NUMA cell's children (virDomainNumaDefFormatXML, virNumaDistanceFormat, virNumaCacheFormat)", () => {
  const cell = (inner: string, second = ''): string => withSettings('<vcpu>2</vcpu>', `<cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'>${inner}</cell>${second}</numa></cpu>`)
  const cache = (inner: string): string => `<cache level='1' associativity='direct' policy='writeback'>${inner}</cache>`

  it("a cache's size, then its line (h37-cpu-cache-rev, h37-cpu-cell; -ok in order)", () => {
    const stored = "<cache level='1' associativity='direct' policy='writeback'>\n          <size value='10' unit='KiB'/>\n          <line value='8' unit='B'/>\n        </cache>"
    expect(predicts(cell(cache("<line value='8' unit='B'/><size value='10' unit='KiB'/>")), { v9: true })).toContain(stored)
    expect(predicts(cell(cache("<size value='10' unit='KiB'/><line value='8' unit='B'/>")), { v9: true })).toContain(stored)
  })

  it("a cell's distances, then its caches (h37-numa-dist-rev; -ok in order)", () => {
    const other = "<cell id='1' cpus='1' memory='262144' unit='KiB'><distances><sibling id='0' value='21'/><sibling id='1' value='10'/></distances></cell>"
    const distances = "<distances><sibling id='0' value='10'/><sibling id='1' value='21'/></distances>"
    const c = cache("<size value='10' unit='KiB'/><line value='8' unit='B'/>")
    const stored = "<sibling id='1' value='21'/>\n        </distances>\n        <cache level='1'"
    expect(predicts(cell(c + distances, other), { v9: true })).toContain(stored)
    expect(predicts(cell(distances + c, other), { v9: true })).toContain(stored)
  })
})

describe('key wrapping (virDomainKeyWrapDefFormat)', () => {
  it('the AES cipher, then the DEA one, whatever the order written (h37-keywrap-rev, h37-keywrap1-rev; -ok in order)', () => {
    expect(predicts(s390Domain("<keywrap><cipher name='dea' state='off'/><cipher name='aes' state='on'/></keywrap>"), { caps: s390, v9: true }))
      .toContain("<keywrap>\n    <cipher name='aes' state='on'/>\n    <cipher name='dea' state='off'/>\n  </keywrap>")
    expect(predicts(s390Domain("<keywrap><cipher name='aes' state='off'/><cipher name='dea' state='on'/></keywrap>"), { caps: s390, v9: true }))
      .toContain("<keywrap>\n    <cipher name='aes' state='off'/>\n    <cipher name='dea' state='on'/>\n  </keywrap>")
  })
})

describe("a network disk source's children (virDomainDiskSourceFormatNetwork)", () => {
  const disk = (protocol: string, name: string, inner: string, device = 'disk'): string => q35(`<disk type='network' device='${device}'><driver name='qemu' type='raw'/><source protocol='${protocol}' name='${name}'>${inner}</source><target dev='${device === 'disk' ? 'vdb' : 'sdb'}' bus='${device === 'disk' ? 'virtio' : 'sata'}'/>${device === 'cdrom' ? '<readonly/>' : ''}</disk>`)

  it("an NFS source's identity right after its host, before the snapshot and config file (h37-src-nfs-rev, h37-src-nfs2-rev)", () => {
    const stored = "<source protocol='nfs' name='/export/img.raw'>\n        <host name='nfs.example.com'/>\n        <identity user='qemu' group='kvm'/>\n        <snapshot name='s1'/>\n        <config file='/etc/x.conf'/>\n      </source>"
    expect(predicts(disk('nfs', '/export/img.raw', "<config file='/etc/x.conf'/><snapshot name='s1'/><identity user='qemu' group='kvm'/><host name='nfs.example.com'/>"), { v9: true })).toContain(stored)
  })

  it('in that order already, it stays (h37-src-nfs-ok: libvirtd 9.0 writes it so; preview wrote the identity last)', () => {
    const stored = "<host name='nfs.example.com'/>\n        <identity user='qemu' group='kvm'/>\n        <snapshot name='s1'/>"
    expect(predicts(disk('nfs', '/export/img.raw', "<host name='nfs.example.com'/><identity user='qemu' group='kvm'/><snapshot name='s1'/><config file='/etc/x.conf'/>"), { v9: true })).toContain(stored)
  })

  it("the initiator, read for any protocol, before an HTTPS source's SSL check, read-ahead and timeout (h37-src-https-init-ok, -rev, h37-src-https-init2-ok)", () => {
    const stored = "<host name='example.com' port='443'/>\n        <initiator>\n          <iqn name='iqn.2013-07.com.example:client'/>\n        </initiator>\n        <ssl verify='no'/>\n        <readahead size='65536'/>\n        <timeout seconds='10'/>\n      </source>"
    const inOrder = "<host name='example.com' port='443'/><initiator><iqn name='iqn.2013-07.com.example:client'/></initiator><ssl verify='no'/><readahead size='65536'/><timeout seconds='10'/>"
    expect(predicts(disk('https', '/x.iso', inOrder, 'cdrom'), { v9: true })).toContain(stored)
    expect(predicts(disk('https', '/x.iso', "<timeout seconds='10'/><readahead size='65536'/><ssl verify='no'/><initiator><iqn name='iqn.2013-07.com.example:client'/></initiator><host name='example.com' port='443'/>", 'cdrom'), { v9: true })).toContain(stored)
  })

  it("libvirt 11.x (its source): an NBD source's reconnect before its snapshot; an SSH source's identity after its known hosts", () => {
    expect(predicts(disk('nbd', 'e', "<snapshot name='s'/><reconnect delay='10'/><host name='nbd.example.com' port='10809'/>")))
      .toContain("<host name='nbd.example.com' port='10809'/>\n        <reconnect delay='10'/>\n        <snapshot name='s'/>\n      </source>")
    expect(predicts(disk('ssh', '/x.img', "<identity username='u' keyfile='/tmp/id'/><knownHosts path='/tmp/kh'/><config file='/etc/c'/><host name='ssh.example.com' port='22'/>")))
      .toContain("<host name='ssh.example.com' port='22'/>\n        <config file='/etc/c'/>\n        <knownHosts path='/tmp/kh'/>\n        <identity username='u' keyfile='/tmp/id'/>\n      </source>")
  })
})

describe("a character device's UNIX socket source (virDomainChrSourceDefFormat)", () => {
  const stored = "<source mode='connect' path='/tmp/ch1.sock'>\n        <seclabel model='dac' relabel='no'/>\n        <reconnect enabled='yes' timeout='5'/>\n      </source>"
  const channel = (inner: string): string => q35(`<channel type='unix'><source mode='connect' path='/tmp/ch1.sock'>${inner}</source><target type='virtio' name='org.qemu.guest_agent.0'/></channel>`)

  it('its labels, then its reconnect (h37-chr-unix-src-rev, h37-chr-unix-src2-rev; -ok in order)', () => {
    expect(predicts(channel("<reconnect enabled='yes' timeout='5'/><seclabel model='dac' relabel='no'/>"), { v9: true })).toContain(stored)
    expect(predicts(channel("<seclabel model='dac' relabel='no'/><reconnect enabled='yes' timeout='5'/>"), { v9: true })).toContain(stored)
    expect(predicts(q35("<serial type='unix'><source mode='connect' path='/tmp/s1.sock'><reconnect enabled='yes' timeout='5'/><seclabel model='dac' relabel='no'/></source><target port='0'/></serial>"), { v9: true }))
      .toContain("<source mode='connect' path='/tmp/s1.sock'>\n        <seclabel model='dac' relabel='no'/>\n        <reconnect enabled='yes' timeout='5'/>\n      </source>")
  })
})

describe("libvirt 11.x's formatters, and what the sandbox's QEMU refuses (read from 11.3's and 9.0's source: no libvirtd 11, no SEV to define them on)", () => {
  const withIothread = (devices: string): string => q35(devices).replace("<memory unit='MiB'>512</memory>", "<memory unit='MiB'>512</memory><iothreads>1</iothreads>")

  it("launch security: the C-bit position, reduced physical address bits, policy, then SEV's certificate and session or SEV-SNP's workarounds, ID block, ID auth, host data (virDomainSecDefFormat; 9.0's SEV alike)", () => {
    const withSecurity = (inner: string, type: string): string => q35('').replace('</devices>', `</devices><launchSecurity type='${type}'>${inner}</launchSecurity>`)
    expect(predicts(withSecurity('<hostData>AAAA</hostData><idAuth>x</idAuth><idBlock>y</idBlock><guestVisibleWorkarounds>z</guestVisibleWorkarounds><policy>0x00030000</policy><reducedPhysBits>1</reducedPhysBits><cbitpos>47</cbitpos>', 'sev-snp'), { caps: capsXml({ flags: [...x86Flags, 'sev-snp-guest'] }) }))
      .toContain("<launchSecurity type='sev-snp'>\n    <cbitpos>47</cbitpos>\n    <reducedPhysBits>1</reducedPhysBits>\n    <policy>0x00030000</policy>\n    <guestVisibleWorkarounds>z</guestVisibleWorkarounds>\n    <idBlock>y</idBlock>\n    <idAuth>x</idAuth>\n    <hostData>AAAA</hostData>\n  </launchSecurity>")
    const sevCaps = capsXml({ flags: [...x86Flags, 'sev-guest'] })
    expect(predicts(withSecurity('<session>BBB</session><dhCert>AAA</dhCert><policy>0x0003</policy><reducedPhysBits>1</reducedPhysBits><cbitpos>47</cbitpos>', 'sev'), { caps: sevCaps, v9: true }))
      .toContain("<launchSecurity type='sev'>\n    <cbitpos>47</cbitpos>\n    <reducedPhysBits>1</reducedPhysBits>\n    <policy>0x0003</policy>\n    <dhCert>AAA</dhCert>\n    <session>BBB</session>\n  </launchSecurity>")
  })

  it("a throttle group's limits as a disk's I/O tuning, its name last (virDomainThrottleGroupFormat)", () => {
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/><throttlefilters><throttlefilter group='limit0'/></throttlefilters></disk>"
    const group = '<group_name>limit0</group_name><total_bytes_sec_max_length>5</total_bytes_sec_max_length><size_iops_sec>4096</size_iops_sec><total_bytes_sec_max>2000000</total_bytes_sec_max><read_iops_sec>400</read_iops_sec><total_bytes_sec>1000000</total_bytes_sec>'
    expect(predicts(q35(disk).replace('<os>', `<throttlegroups><throttlegroup>${group}</throttlegroup></throttlegroups><os>`)))
      .toContain('<throttlegroup>\n      <total_bytes_sec>1000000</total_bytes_sec>\n      <read_iops_sec>400</read_iops_sec>\n      <total_bytes_sec_max>2000000</total_bytes_sec_max>\n      <size_iops_sec>4096</size_iops_sec>\n      <total_bytes_sec_max_length>5</total_bytes_sec_max_length>\n      <group_name>limit0</group_name>\n    </throttlegroup>')
  })

  it("a crypto device's backend before its driver (virDomainCryptoDefFormat)", () => {
    expect(predicts(q35("<crypto model='virtio' type='qemu'><driver iommu='on'/><backend model='builtin' queues='1'/></crypto>")))
      .toContain("<crypto model='virtio' type='qemu'>\n      <backend model='builtin' queues='1'/>\n      <driver iommu='on'/>\n")
  })

  it("a pstore's path before its size (virDomainPstoreDefFormat)", () => {
    const caps = capsXml({ flags: [...x86Flags, 'acpi-erst'] })
    expect(predicts(q35("<pstore backend='acpi-erst'><size unit='KiB'>8</size><path>/tmp/pstore</path></pstore>"), { caps }))
      .toContain("<pstore backend='acpi-erst'>\n      <path>/tmp/pstore</path>\n      <size unit='KiB'>8</size>\n")
  })

  it("a disk driver's metadata cache before its I/O thread mapping (virDomainDiskDefFormatDriver)", () => {
    expect(predicts(withIothread("<disk type='file' device='disk'><driver name='qemu' type='qcow2'><iothreads><iothread id='1'/></iothreads><metadata_cache><max_size unit='bytes'>1024</max_size></metadata_cache></driver><source file='/tmp/a.img'/><target dev='vdc' bus='virtio'/></disk>")))
      .toContain("<metadata_cache>\n          <max_size unit='bytes'>1024</max_size>\n        </metadata_cache>\n        <iothreads>\n          <iothread id='1'/>\n        </iothreads>\n      </driver>")
  })
})
