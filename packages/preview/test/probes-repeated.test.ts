// Elements written twice where the schema takes one (own probes `h39-…`, each defined on the sandbox libvirtd 9.0 beside
// preview): where libvirt's parser reads them by `string(./x/@a)` or `./x/y` from the device or setting, each attribute
// and child is the first written in ANY of them — a first element without it does not hide the second's (model's
// readAsOneWhenRepeated, readAsOneWhenRepeated9 for libvirt 9.0's video model); a NIC's first <driver> is read, but its
// <host> and <guest> are the first in any <driver> (readThroughWhenRepeated). Each beside its near miss where the first
// holds what is read. The expected fragments are what libvirtd 9.0 stored.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (devices: string, extra = '', os = ''): string =>
  `<domain type='qemu'><name>rp</name><memory unit='KiB'>262144</memory><vcpu>1</vcpu>${extra}<os><type arch='x86_64' machine='q35'>hvm</type>${os}</os><devices>${devices}</devices></domain>`

describe("a device's alias (virDomainDeviceInfoParseXML: string(./alias/@name))", () => {
  it('is the first name written in any <alias>', () => {
    expect(predicts(dom("<input type='tablet' bus='usb'><alias/><alias name='ua-tab'/></input>"), v9)).toContain("<alias name='ua-tab'/>")
    const both = predicts(dom("<input type='tablet' bus='usb'><alias name='ua-a'/><alias name='ua-b'/></input>"), v9)
    expect(both).toContain("<alias name='ua-a'/>")
    expect(both).not.toContain('ua-b')
  })
})

describe("a video device's model in libvirt 9.0 (virDomainVideoDefParseXML: string(./model/@type), ./model/acceleration)", () => {
  const video = (inner: string): string => dom(`<video>${inner}</video>`)
  it('reads each attribute and child from the first <model> that has it', () => {
    expect(predicts(video("<model type='virtio'/><model type='vga' heads='2'/>"), v9)).toContain("<model type='virtio' heads='2' primary='yes'/>")
    expect(predicts(video("<model/><model type='vga' vram='32768'/>"), v9)).toContain("<model type='vga' vram='32768' heads='1' primary='yes'/>")
    expect(predicts(video("<model type='virtio'/><model type='virtio'><acceleration accel3d='no'/></model>"), v9))
      .toContain("<model type='virtio' heads='1' primary='yes'>\n        <acceleration accel3d='no'/>\n      </model>")
    expect(predicts(video("<model type='virtio' heads='2'/>"), v9)).toContain("<model type='virtio' heads='2' primary='yes'/>")
  })
  it("refuses a bad value only the second <model> holds", () => {
    expect(refusal(video("<model type='qxl'/><model type='vga' ram='x'/>"), v9)).toMatchObject({ message: "cannot parse video ram 'x'" })
  })
})

describe('a network interface (virDomainNetDefParseXML)', () => {
  it("reads its model, link, script, guest name and tune from any of them, the first written", () => {
    expect(predicts(dom("<interface type='user'><model/><model type='e1000'/></interface>"), v9)).toContain("<model type='e1000'/>")
    expect(predicts(dom("<interface type='user'><link/><link state='down'/></interface>"), v9)).toContain("<link state='down'/>")
    expect(predicts(dom("<interface type='ethernet'><script/><script path='/bin/true'/></interface>"), v9)).toContain("<script path='/bin/true'/>")
    expect(predicts(dom("<interface type='user'><guest/><guest dev='eth9'/></interface>"), v9)).toContain("<guest dev='eth9'/>")
    expect(predicts(dom("<interface type='user'><tune/><tune><sndbuf>1600</sndbuf></tune></interface>"), v9)).toContain('<tune>\n        <sndbuf>1600</sndbuf>\n      </tune>')
    expect(predicts(dom("<interface type='user'><model type='e1000'/></interface>"), v9)).toContain("<model type='e1000'/>")
  })
  it("reads an MTU only a second <mtu> holds (refused on user networking)", () => {
    expect(refusal(dom("<interface type='user'><model type='virtio'/><mtu/><mtu size='1400'/></interface>"), v9))
      .toMatchObject({ message: 'setting MTU on interface type user is not supported yet' })
  })
  it("reads the first <driver>'s attributes, and the first <host> written in any <driver>", () => {
    expect(predicts(dom("<interface type='user'><model type='virtio'/><driver queues='2'/><driver><host csum='off'/></driver></interface>"), v9))
      .toContain("<driver queues='2'>\n        <host csum='off'/>\n      </driver>")
    expect(predicts(dom("<interface type='user'><model type='virtio'/><driver/><driver queues='2'/></interface>"), v9)).not.toContain('queues')
  })
})

describe('a filesystem (virDomainFSDefParseXML: string(./target/@dir), ./binary/cache)', () => {
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  it("takes a target dir and a binary only a second element holds", () => {
    expect(predicts(dom("<filesystem type='mount'><source dir='/tmp'/><target/><target dir='mnt'/></filesystem>"), v9)).toContain("<source dir='/tmp'/>\n      <target dir='mnt'/>")
    expect(predicts(dom("<filesystem type='mount'><driver type='virtiofs'/><binary/><binary path='/usr/libexec/virtiofsd'><cache mode='none'/></binary><source dir='/tmp'/><target dir='mnt'/></filesystem>", shared), v9))
      .toContain("<binary path='/usr/libexec/virtiofsd'>\n        <cache mode='none'/>\n      </binary>")
  })
})

describe('the memory backing (virDomainDefParseMemory: string(./memoryBacking/source/@type)…)', () => {
  it('reads its source, access and allocation from any of them, each attribute the first written', () => {
    expect(predicts(dom('', "<memoryBacking><source/><source type='memfd'/></memoryBacking>"), v9)).toContain("<memoryBacking>\n    <source type='memfd'/>\n  </memoryBacking>")
    expect(predicts(dom('', "<memoryBacking><access/><access mode='shared'/></memoryBacking>"), v9)).toContain("<memoryBacking>\n    <access mode='shared'/>\n  </memoryBacking>")
    expect(predicts(dom('', "<memoryBacking><allocation mode='immediate'/><allocation threads='2'/></memoryBacking>"), v9)).toContain("<allocation mode='immediate' threads='2'/>")
  })
})

describe('the SMBIOS mode, an RNG rate, a disk (string(./os/smbios/@mode), string(./rate/@bytes), string(./iotune/…))', () => {
  it('reads them through every element written', () => {
    expect(predicts(dom('', '', "<smbios/><smbios mode='emulate'/>"), v9)).toContain("<smbios mode='emulate'/>")
    expect(predicts(dom("<rng model='virtio'><rate bytes='1024'/><rate period='1000'/><backend model='random'>/dev/urandom</backend></rng>"), v9)).toContain("<rate bytes='1024' period='1000'/>")
    const disk = (inner: string): string => dom(`<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h39.img'/><target dev='vda' bus='virtio'/>${inner}</disk>`)
    expect(predicts(disk('<iotune><total_bytes_sec>1000000</total_bytes_sec></iotune><iotune><read_iops_sec>100</read_iops_sec></iotune>'), v9))
      .toContain('<iotune>\n        <total_bytes_sec>1000000</total_bytes_sec>\n        <read_iops_sec>100</read_iops_sec>\n      </iotune>')
    expect(predicts(disk("<backenddomain/><backenddomain name='dom0'/>"), v9)).toContain("<backenddomain name='dom0'/>")
  })
  it("reads a disk source's snapshot, readahead, timeout and slices through every one", () => {
    expect(predicts(dom("<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/img'><host name='mon1'/><snapshot/><snapshot name='s1'/></source><target dev='vda' bus='virtio'/></disk>"), v9))
      .toContain("<snapshot name='s1'/>")
    const http = predicts(dom("<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='http' name='/x.iso'><host name='web'/><readahead/><readahead size='65536'/><timeout/><timeout seconds='10'/></source><target dev='sda' bus='sata'/><readonly/></disk>"), v9)
    expect(http).toContain("<readahead size='65536'/>\n        <timeout seconds='10'/>")
    expect(predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/h39.img'><slices/><slices><slice type='storage' offset='512' size='1024'/></slices></source><target dev='vda' bus='virtio'/></disk>"), v9))
      .toContain("<slices>\n          <slice type='storage' offset='512' size='1024'/>\n        </slices>")
  })
})

describe("a TPM's backend, a SCSI host device's adapter, the resource", () => {
  it('reads the encryption, the PCR banks, the adapter name and the app id through every one', () => {
    expect(predicts(dom("<tpm model='tpm-crb'><backend type='emulator' version='2.0'><encryption/><encryption secret='6dd3e4a5-1d76-44ce-961f-f119f5aad935'/></backend></tpm>"), v9))
      .toContain("<backend type='emulator' version='2.0'>\n        <encryption secret='6dd3e4a5-1d76-44ce-961f-f119f5aad935'/>\n      </backend>")
    expect(predicts(dom("<tpm model='tpm-crb'><backend type='emulator' version='2.0'><active_pcr_banks><sha256/></active_pcr_banks><active_pcr_banks><sha384/></active_pcr_banks></backend></tpm>"), v9))
      .toContain('<active_pcr_banks>\n          <sha256/>\n          <sha384/>\n        </active_pcr_banks>')
    expect(predicts(dom("<hostdev mode='subsystem' type='scsi'><source><adapter/><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>"), v9))
      .toContain("<source>\n        <adapter name='scsi_host0'/>\n        <address bus='0' target='0' unit='0'/>\n      </source>")
    expect(predicts(dom('', "<resource><fibrechannel/><fibrechannel appid='h39app'/></resource>"), v9)).toContain("<resource>\n    <fibrechannel appid='h39app'/>\n  </resource>")
  })
})

describe('a size written twice (virDomainParseMemory, virParseScaledValue: `./size` and `./size/@unit`)', () => {
  const numa = "<maxMemory slots='4' unit='KiB'>16777216</maxMemory><cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'/></numa></cpu>"
  const mem = (model: string, inner: string): string => dom(`<memory model='${model}'>${inner}</memory>`, numa)
  it("is the first's value in the unit first written in any", () => {
    expect(predicts(mem('dimm', "<target><size>128</size><size unit='MiB'>1</size><node>0</node></target>"), v9)).toContain("<target>\n        <size unit='KiB'>131072</size>")
    expect(predicts(mem('dimm', "<target><size unit='MiB'>128</size><size unit='MiB'>256</size><node>0</node></target>"), v9)).toContain("<size unit='KiB'>131072</size>\n        <node>0</node>")
    expect(predicts(mem('dimm', "<source><pagesize>4</pagesize><pagesize unit='MiB'>2</pagesize></source><target><size unit='MiB'>128</size><node>0</node></target>"), v9))
      .toContain("<pagesize unit='KiB'>4096</pagesize>")
    expect(predicts(mem('virtio-mem', "<target><size unit='MiB'>128</size><node>0</node><block>2048</block><block unit='MiB'>4</block><requested unit='MiB'>0</requested></target>"), v9))
      .toContain("<block unit='KiB'>2097152</block>")
    const requested = predicts(mem('virtio-mem', "<target><size unit='MiB'>128</size><node>0</node><block unit='KiB'>2048</block><requested>64</requested><requested unit='MiB'>0</requested></target>"), v9)
    expect(requested).toContain("<requested unit='KiB'>65536</requested>")
    expect(predicts(mem('nvdimm', "<source><path>/tmp/h39-nvdimm</path><alignsize>2048</alignsize><alignsize unit='MiB'>4</alignsize></source><target><size unit='MiB'>128</size><node>0</node></target>"), v9))
      .toContain("<alignsize unit='KiB'>2097152</alignsize>")
  })
  it("reads an NVDIMM's label through every <label>", () => {
    expect(predicts(mem('nvdimm', "<source><path>/tmp/h39-nvdimm</path></source><target><size unit='MiB'>128</size><node>0</node><label/><label><size unit='KiB'>128</size></label></target>"), v9))
      .toContain("<label>\n          <size unit='KiB'>128</size>\n        </label>")
  })
  it("a PCI root's 64-bit hole, a disk's metadata cache, TCG's translation cache", () => {
    expect(predicts(dom("<controller type='pci' index='0' model='pci-root'><pcihole64>1</pcihole64><pcihole64 unit='GiB'>2</pcihole64></controller>").replace("machine='q35'", "machine='pc'"), v9))
      .toContain("<pcihole64 unit='KiB'>1048576</pcihole64>")
    const disk = (driver: string): string => dom(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'>${driver}</driver><source file='/var/lib/libvirt/images/h39.img'/><target dev='vda' bus='virtio'/></disk>`)
    expect(predicts(disk("<metadata_cache/><metadata_cache><max_size unit='MiB'>1</max_size></metadata_cache>"), v9))
      .toContain("<driver name='qemu' type='qcow2'>\n        <metadata_cache>\n          <max_size unit='bytes'>1048576</max_size>")
    expect(predicts(disk("<metadata_cache><max_size>1024</max_size><max_size unit='MiB'>1</max_size></metadata_cache>"), v9)).toContain("<max_size unit='bytes'>1073741824</max_size>")
    expect(predicts(dom('', "<features><tcg><tb-cache>65536</tb-cache><tb-cache unit='MiB'>1</tb-cache></tcg></features>"), v9)).toContain("<tb-cache unit='KiB'>67108864</tb-cache>")
    expect(predicts(dom('', "<features><tcg><tb-cache unit='KiB'>65536</tb-cache></tcg></features>"), v9)).toContain("<tb-cache unit='KiB'>65536</tb-cache>")
  })
})

describe("virtiofs's driver queue and thread pool, a NIC's coalesced frames (string(./driver/@queue), string(./rx/frames/@max))", () => {
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  const fs = (inner: string): string => dom(`<filesystem type='mount'>${inner}<source dir='/tmp'/><target dir='mnt'/></filesystem>`, shared)
  it("reads the queue of any <driver>, the first's other attributes alone", () => {
    expect(predicts(fs("<driver type='virtiofs'/><driver queue='1024'/>"), v9)).toContain("<driver type='virtiofs' queue='1024'/>")
    expect(predicts(fs("<driver type='virtiofs' queue='1024'/>"), v9)).toContain("<driver type='virtiofs' queue='1024'/>")
  })
  it('reads the thread pool size of any <thread_pool>', () => {
    expect(predicts(fs("<driver type='virtiofs'/><binary path='/usr/libexec/virtiofsd'><thread_pool/><thread_pool size='16'/></binary>"), v9)).toContain("<thread_pool size='16'/>")
  })
  it('reads the frames of any <rx> (refused on user networking)', () => {
    expect(refusal(dom("<interface type='user'><model type='virtio'/><coalesce><rx/><rx><frames max='7'/></rx></coalesce></interface>"), v9))
      .toMatchObject({ message: 'coalesce settings on interface type user are not supported' })
  })
})

describe("a backing store's format (virDomainDiskBackingStoreParse: string(./format/@type))", () => {
  const disk = (store: string): string => dom(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/h39.qcow2'/>${store}<target dev='vda' bus='virtio'/></disk>`)
  it('is the first type written in any <format>', () => {
    expect(predicts(disk("<backingStore type='file'><format/><format type='qcow2'/><source file='/var/lib/libvirt/images/h39b.qcow2'/></backingStore>"), v9))
      .toContain("<backingStore type='file'>\n        <format type='qcow2'/>\n        <source file='/var/lib/libvirt/images/h39b.qcow2'/>\n      </backingStore>")
    expect(predicts(disk("<backingStore type='file'><format type='qcow2'/><source file='/var/lib/libvirt/images/h39b.qcow2'/></backingStore>"), v9)).toContain("<format type='qcow2'/>")
  })
})

describe("an iSCSI source's initiator (virStorageSourceInitiatorParseXML: string(./initiator/iqn/@name))", () => {
  const iscsi = (inner: string): string => dom(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='iscsi' name='iqn.2013-07.com.example:iscsi-nopool/1'><host name='example.com' port='3260'/>${inner}</source><target dev='vda' bus='virtio'/></disk>`)
  it('is the first IQN name written in any <initiator> or <iqn>', () => {
    const stored = "<initiator>\n          <iqn name='iqn.2013-07.com.example:client'/>\n        </initiator>"
    expect(predicts(iscsi("<initiator/><initiator><iqn name='iqn.2013-07.com.example:client'/></initiator>"), v9)).toContain(stored)
    expect(predicts(iscsi("<initiator><iqn/><iqn name='iqn.2013-07.com.example:client'/></initiator>"), v9)).toContain(stored)
    expect(predicts(iscsi("<initiator><iqn name='iqn.2013-07.com.example:client'/></initiator>"), v9)).toContain(stored)
  })
})
