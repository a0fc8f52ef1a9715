// A disk's I/O tuning and identity and the domain's CPU and block I/O tuning as libvirt reads, checks and writes them (own
// probes `h44-…`, each defined on the sandbox libvirtd 9.0 beside preview: fixtures/preview/probes/tuning-more.xml):
// `<iotune>` (virDomainDiskDefIotuneParse's order), `<wwn>`, `<vendor>` and `<product>` (virDomainDiskDefValidate's
// checks before the QEMU driver's, virDomainDiskVhostUserValidate's before both). Each libvirt 9.0 document or refusal is
// what the daemon printed; the libvirt 11 ones are read from 11.3's source (qemuValidateDomainDeviceDefDiskFrontend,
// virDomainDiskDefValidate's PRODUCT_ATA_SATA_LEN, virDomainThrottleGroupFormat).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = ({ devices = '', mid = '', machine = 'q35' } = {}): string =>
  `<domain type='qemu'><name>h44</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e44</uuid><memory unit='KiB'>524288</memory><vcpu placement='static'>4</vcpu>${mid}<os><type arch='x86_64' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (inner: string, bus = 'virtio', dev = 'vda'): string =>
  `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/${dev}.img'/><target dev='${dev}' bus='${bus}'/>${inner}</disk>`
const vhostUser = (inner: string): string =>
  `<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost.sock'><reconnect enabled='yes' timeout='10'/></source><target dev='vda' bus='virtio'/>${inner}</disk>`
const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
const diskOf = (xml: string): string => xml.slice(xml.indexOf('    <disk '), xml.indexOf('    </disk>') + 11)

describe("an empty <wwn> is none (virXPathString): not the QEMU driver's to refuse off IDE and SCSI", () => {
  it('stores a virtio, SATA or USB disk with an empty WWN without it (probes h44-wwn-6-virtio-q35, -sata-q35, -usb-pc, h44-wwn-empty-virtio-2-…)', () => {
    for (const v of [true, false]) {
      const o = v ? v9 : {}
      expect(diskOf(predicts(dom({ devices: disk('<wwn></wwn>') }), o))).toBe(`    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/vda.img'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </disk>`)
      expect(diskOf(predicts(dom({ devices: disk('<wwn/>', 'sata', 'sda') }), o))).not.toContain('wwn')
      expect(diskOf(predicts(dom({ machine: 'pc', devices: disk('<wwn></wwn>', 'usb', 'sda') }), o))).not.toContain('wwn')
    }
    // (near miss: a WWN written is refused off IDE and SCSI)
    expect(refusal(dom({ devices: disk('<wwn>0x5000c50015ea71ac</wwn>') }), v9).message).toBe('Only ide and scsi disk support wwn')
    expect(refusal(dom({ devices: disk('<wwn>0x5000c50015ea71ac</wwn>') })).message).toBe('Only ide and scsi disk support wwn')
  })
})

describe("a disk's vendor and product: virDomainDiskDefValidate's checks before the QEMU driver's", () => {
  it('refuses a too long vendor or product on a virtio disk for its length, not its bus (probes h44-vnd-2-virtio-q35, h44-prd-2-virtio-q35, h44-vnd-arch-long-…)', () => {
    expect(refusal(dom({ devices: disk('<vendor>VENDOR123</vendor>') }), v9).message).toBe('disk vendor is more than 8 characters')
    expect(refusal(dom({ machine: 'pc', devices: disk('<vendor>VENDOR123</vendor>', 'ide', 'hda') }), v9).message).toBe('disk vendor is more than 8 characters')
    expect(refusal(dom({ devices: disk('<product>PRODUCT1234567890</product>') }), v9).message).toBe('disk product is more than 16 characters')
    expect(refusal(dom({ devices: disk('<product>PRODUCT1234567890</product>', 'sata', 'sda') }), v9).message).toBe('disk product is more than 16 characters')
    // (near misses: within the limits, the bus is refused)
    expect(refusal(dom({ devices: disk('<vendor>VENDOR12</vendor>') }), v9).message).toBe('Only scsi disk supports vendor and product')
    expect(refusal(dom({ devices: disk('<product>PRODUCT123456789</product>') }), v9).message).toBe('Only scsi disk supports vendor and product')
  })
  it("refuses a vhost-user disk's vendor for the vhost-user disk, whatever its length (probe h44-vnd-vhu-q35)", () => {
    expect(refusal(dom({ mid: shared, devices: vhostUser('<vendor>VENDOR123</vendor>') }), v9).message).toBe('vendor is not supported with vhostuser disk')
    expect(refusal(dom({ mid: shared, devices: vhostUser('<vendor>V</vendor>') }), v9).message).toBe('vendor is not supported with vhostuser disk')
  })
  it('refuses a WWN off IDE and SCSI before a vendor there (probe h44-ord-wwn-then-vnd-q35)', () => {
    expect(refusal(dom({ devices: disk('<wwn>0x5000c50015ea71ac</wwn><vendor>V</vendor>') }), v9).message).toBe('Only ide and scsi disk support wwn')
    // (a malformed WWN is the generic check's, after the vendor's length)
    expect(refusal(dom({ devices: disk('<wwn>0x5</wwn><vendor>VENDOR123</vendor>') }), v9).message).toBe('disk vendor is more than 8 characters')
  })
  it('takes an empty vendor or product off SCSI: none (probe h44-vnd-empty-virtio-…)', () => {
    for (const machine of ['q35', 'pc']) expect(diskOf(predicts(dom({ machine, devices: disk('<vendor></vendor><product></product>') }), v9))).not.toMatch(/vendor|product/)
  })
  it("libvirt 11: a vendor on SCSI alone, a product on IDE, SATA and SCSI — up to 40 bytes off SCSI (11.3's source)", () => {
    expect(refusal(dom({ devices: disk('<vendor>V</vendor>', 'sata', 'sda') })).message).toBe("Only scsi disk supports 'vendor'")
    expect(refusal(dom({ devices: disk('<product>P</product>') })).message).toBe("Only ide, sata and scsi disk supports 'product'")
    expect(diskOf(predicts(dom({ devices: disk(`<product>${'p'.repeat(40)}</product>`, 'sata', 'sda') })))).toContain(`<product>${'p'.repeat(40)}</product>`)
    expect(refusal(dom({ devices: disk(`<product>${'p'.repeat(41)}</product>`, 'sata', 'sda') })).message).toBe('disk product is more than 40 characters')
    expect(refusal(dom({ devices: disk(`<product>${'p'.repeat(17)}</product>`, 'scsi', 'sda') })).message).toBe('disk product is more than 16 characters')
    // (libvirt 9.0: 16 bytes on any bus, the SATA disk's product then refused for its bus)
    expect(refusal(dom({ devices: disk(`<product>${'p'.repeat(17)}</product>`, 'sata', 'sda') }), v9).message).toBe('disk product is more than 16 characters')
    expect(refusal(dom({ devices: disk('<product>P</product>', 'sata', 'sda') }), v9).message).toBe('Only scsi disk supports vendor and product')
  })
})

describe("<iotune>'s numbers read in virDomainDiskDefIotuneParse's order, each the first of its name", () => {
  it('refuses the first libvirt reads, not the first written (probes h44-ord-io-bad2-q35, h44-ord-io-bad3-q35, h44-rp-order-2el-…)', () => {
    expect(refusal(dom({ devices: disk('<iotune><write_iops_sec_max_length>x</write_iops_sec_max_length><size_iops_sec>y</size_iops_sec></iotune>') }), v9).message).toBe("disk iotune field 'size_iops_sec' must be an integer")
    expect(refusal(dom({ devices: disk('<iotune><size_iops_sec>y</size_iops_sec><total_bytes_sec_max>z</total_bytes_sec_max></iotune>') }), v9).message).toBe("disk iotune field 'total_bytes_sec_max' must be an integer")
    expect(refusal(dom({ devices: disk('<iotune><read_iops_sec>x</read_iops_sec></iotune><iotune><total_bytes_sec>y</total_bytes_sec></iotune>') }), v9).message).toBe("disk iotune field 'total_bytes_sec' must be an integer")
    expect(refusal(dom({ devices: disk('<iotune><total_iops_sec>x</total_iops_sec><write_bytes_sec>y</write_bytes_sec></iotune>') }), v9).message).toBe("disk iotune field 'write_bytes_sec' must be an integer")
  })
  it('reads only the first of a name, in any <iotune> (probes h44-rp-…-ok-bad, -bad-ok, -two-el-…)', () => {
    expect(diskOf(predicts(dom({ devices: disk('<iotune><total_bytes_sec>5</total_bytes_sec><total_bytes_sec>x</total_bytes_sec></iotune>') }), v9))).toContain('<iotune>\n        <total_bytes_sec>5</total_bytes_sec>\n      </iotune>')
    expect(diskOf(predicts(dom({ devices: disk('<iotune><size_iops_sec>5</size_iops_sec></iotune><iotune><size_iops_sec>x</size_iops_sec></iotune>') }), v9))).toContain('<iotune>\n        <size_iops_sec>5</size_iops_sec>\n      </iotune>')
    expect(refusal(dom({ devices: disk('<iotune><size_iops_sec>x</size_iops_sec></iotune><iotune><size_iops_sec>5</size_iops_sec></iotune>') }), v9).message).toBe("disk iotune field 'size_iops_sec' must be an integer")
  })
})

describe("libvirt 11's throttle groups: the limits written in virDomainThrottleGroupFormat's order (11.3's source)", () => {
  it('writes the reads and writes in bytes before the totals in operations', () => {
    const xml = predicts(dom({ mid: '<throttlegroups><throttlegroup><total_iops_sec>10</total_iops_sec><write_bytes_sec>5</write_bytes_sec><read_bytes_sec>4</read_bytes_sec><group_name>g</group_name></throttlegroup></throttlegroups>' }))
    expect(xml).toContain('  <throttlegroups>\n    <throttlegroup>\n      <read_bytes_sec>4</read_bytes_sec>\n      <write_bytes_sec>5</write_bytes_sec>\n      <total_iops_sec>10</total_iops_sec>\n      <group_name>g</group_name>\n    </throttlegroup>\n  </throttlegroups>')
    expect(refusal(dom({ mid: '<throttlegroups><throttlegroup><total_iops_sec>x</total_iops_sec><write_bytes_sec>y</write_bytes_sec><group_name>g</group_name></throttlegroup></throttlegroups>' })).message).toBe("throttle group field 'write_bytes_sec' must be an integer")
  })
})

describe("libvirt 11's refusal of I/O limits on an SD card: qemuValidateDomainDeviceDefDiskBlkdeviotune's, after the front end's checks (11.3's source)", () => {
  const sd = (inner: string): string => dom({ machine: 'pc', devices: disk(inner, 'sd', 'sda') })
  it('refuses limits on an SD card, a group name alone for the group name, a WWN or serial first (probes h44-sd-… on 9.0: no SD check)', () => {
    expect(refusal(sd('<iotune><total_bytes_sec>5</total_bytes_sec></iotune>')).message).toBe("<iotune> is not supported with bus='sd'")
    expect(refusal(sd('<iotune><group_name>g</group_name></iotune>')).message).toBe('group_name can be configured only together with settings')
    expect(refusal(sd('<iotune><total_bytes_sec>5</total_bytes_sec></iotune><wwn>0x5000c50015ea71ac</wwn>')).message).toBe('Only ide and scsi disk support wwn')
    expect(refusal(sd('<iotune><total_bytes_sec>5</total_bytes_sec></iotune><serial>s</serial>')).message).toBe("Serial property not supported for drive bus 'sd'")
    // (near misses: a 0 limit is none; libvirtd 9.0 takes the limits)
    expect(predicts(sd('<iotune><total_bytes_sec>0</total_bytes_sec></iotune>'))).not.toContain('iotune')
    expect(predicts(sd('<iotune><total_bytes_sec>5</total_bytes_sec></iotune>'), v9)).toContain('<iotune>\n        <total_bytes_sec>5</total_bytes_sec>\n      </iotune>')
    expect(refusal(sd('<iotune><total_bytes_sec>5</total_bytes_sec></iotune><wwn>0x5000c50015ea71ac</wwn>'), v9).message).toBe('Only ide and scsi disk support wwn')
  })
})

describe("<memorytune>'s and <cachetune>'s numbers read as virXMLPropUInt reads them (virStrToLong_uip: a minus sign refused)", () => {
  const tune = (inner: string): string => dom({ mid: `<cputune>${inner}</cputune>` })
  it("refuses a negative bandwidth as a value that does not read, not as one above 100 (probe h44-rm-node-bandwidth-m1-q35)", () => {
    expect(refusal(tune("<memorytune vcpus='0-1'><node id='0' bandwidth='-1'/></memorytune>"), v9).message).toBe("Invalid value for attribute 'bandwidth' in element 'node': '-1'. Expected non-negative integer value")
    // (near misses: above 100 refused for that; within it, the TCG domain's tune refused by the QEMU driver)
    expect(refusal(tune("<memorytune vcpus='0-1'><node id='0' bandwidth='101'/></memorytune>"), v9).message).toBe('Memory Bandwidth value exceeding 100 is invalid.')
    expect(refusal(tune("<memorytune vcpus='0-1'><node id='0' bandwidth='100'/></memorytune>"), v9).message).toBe('cachetune is only supported for KVM domains')
  })
})

describe("libvirt 11's throttle filters: `./throttlefilters/throttlefilter`, each group once per disk (11.3's source)", () => {
  const groups = "<throttlegroups><throttlegroup><total_bytes_sec>10</total_bytes_sec><group_name>a</group_name></throttlegroup><throttlegroup><total_iops_sec>10</total_iops_sec><group_name>b</group_name></throttlegroup></throttlegroups>"
  const filtered = (inner: string): string => dom({ mid: groups, devices: disk(inner) })
  it('refuses a group filtered twice on one disk (virDomainDiskDefThrottleFiltersParse)', () => {
    expect(refusal(filtered("<throttlefilters><throttlefilter group='a'/><throttlefilter group='a'/></throttlefilters>")).message).toBe("duplicate filter name 'a' found")
    expect(refusal(filtered("<throttlefilters><throttlefilter group='a'/></throttlefilters><throttlefilters><throttlefilter group='a'/></throttlefilters>")).message).toBe("duplicate filter name 'a' found")
    // (near miss: two groups)
    expect(predicts(filtered("<throttlefilters><throttlefilter group='a'/><throttlefilter group='b'/></throttlefilters>"))).toContain("<throttlefilters>\n        <throttlefilter group='a'/>\n        <throttlefilter group='b'/>\n      </throttlefilters>")
  })
  it('reads the filters of every <throttlefilters>, written in one; a group of a later one looked up too', () => {
    expect(predicts(filtered("<throttlefilters><throttlefilter group='a'/></throttlefilters><throttlefilters><throttlefilter group='b'/></throttlefilters>"))).toContain("<throttlefilters>\n        <throttlefilter group='a'/>\n        <throttlefilter group='b'/>\n      </throttlefilters>")
    expect(refusal(filtered("<throttlefilters><throttlefilter group='a'/></throttlefilters><throttlefilters><throttlefilter group='c'/></throttlefilters>")).message).toBe("throttle group 'c' not found")
  })
  it('libvirt 9.0 reads none: a twice-filtered group taken, the filters not written (probes h44-tf-twice-q35, h44-tg-domain-q35)', () => {
    const xml = predicts(filtered("<throttlefilters><throttlefilter group='a'/><throttlefilter group='a'/></throttlefilters>"), v9)
    expect(xml).not.toContain('throttle')
  })
})

describe("a disk's <blockio> discard granularity: libvirt 11's (virXMLPropUInt, written when above 0; 11.3's source), not 9.0's", () => {
  it('refuses an unreadable one on libvirt 11, drops any on 9.0 (probes h44-bio-discard_granularity-… on libvirtd 9.0)', () => {
    expect(refusal(dom({ devices: disk("<blockio discard_granularity='x'/>") })).message).toBe("Invalid value for attribute 'discard_granularity' in element 'blockio': 'x'. Expected non-negative integer value")
    expect(refusal(dom({ devices: disk("<blockio discard_granularity='-1'/>") })).message).toBe("Invalid value for attribute 'discard_granularity' in element 'blockio': '-1'. Expected non-negative integer value")
    expect(refusal(dom({ devices: disk("<blockio discard_granularity='4294967296'/>") })).message).toBe("Invalid value for attribute 'discard_granularity' in element 'blockio': '4294967296'. Expected non-negative integer value")
    expect(diskOf(predicts(dom({ devices: disk("<blockio discard_granularity=' 7' logical_block_size='512'/>") })))).toContain("<blockio logical_block_size='512' discard_granularity='7'/>")
    expect(diskOf(predicts(dom({ devices: disk("<blockio discard_granularity='0'/>") })))).not.toContain('blockio')
    // (libvirtd 9.0: not read, whatever it holds)
    expect(diskOf(predicts(dom({ devices: disk("<blockio discard_granularity='x'/>") }), v9))).not.toContain('blockio')
    expect(diskOf(predicts(dom({ devices: disk("<blockio discard_granularity='4096' logical_block_size='512'/>") }), v9))).toContain("<blockio logical_block_size='512'/>")
  })
})

describe("a total beside a read or write limit, checked on the limits a disk naming only its group takes in post-parse (virDomainDiskExpandGroupIoTune, then virDomainDiskDefValidate)", () => {
  const only = '<iotune><group_name>g</group_name></iotune>'
  const both = '<iotune><total_iops_sec_max>5</total_iops_sec_max><write_iops_sec_max>5</write_iops_sec_max><group_name>g</group_name></iotune>'
  it("refuses the first disk of the group, before a later disk's fault (probes h44-gx-geo-between-…, h44-gx-wwn-between-…, h44-gx-sorted-…, h44-mi-43-pc, h44-mi-180-pc)", () => {
    for (const machine of ['q35', 'pc']) {
      expect(refusal(dom({ machine, devices: disk(only, 'scsi', 'sda') + disk("<geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sdb') + disk(both, 'usb', 'sdc') }), v9).message).toBe('total and read/write iops_sec_max cannot be set at the same time')
      expect(refusal(dom({ machine, devices: disk(only, 'virtio', 'vda') + disk('<wwn>0x5000c50015ea71ac</wwn>', 'virtio', 'vdb') + disk(both, 'virtio', 'vdc') }), v9).message).toBe('total and read/write iops_sec_max cannot be set at the same time')
      // (the disks in the parser's order: vda first, wherever it is written)
      expect(refusal(dom({ machine, devices: disk(both, 'virtio', 'vdc') + disk('<vendor>V</vendor>', 'virtio', 'vdb') + disk(only, 'virtio', 'vda') }), v9).message).toBe('total and read/write iops_sec_max cannot be set at the same time')
    }
    // (near miss: the group's limits without the conflict — the later disk's own fault)
    const fine = '<iotune><total_iops_sec_max>5</total_iops_sec_max><group_name>g</group_name></iotune>'
    expect(refusal(dom({ devices: disk(only, 'scsi', 'sda') + disk("<geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sdb') + disk(fine, 'usb', 'sdc') }), v9).message).toBe("CHS geometry can not be set for 'usb' bus")
    expect(refusal(dom({ devices: disk(only, 'virtio', 'vda') + disk('<wwn>0x5000c50015ea71ac</wwn>', 'virtio', 'vdb') + disk(fine, 'virtio', 'vdc') }), v9).message).toBe('Only ide and scsi disk support wwn')
  })
})

describe("a disk's generic checks in virDomainDiskDefValidate's order, all before the QEMU driver's (probes h44-go-…, libvirtd 9.0)", () => {
  const both = '<iotune><total_iops_sec>100</total_iops_sec><write_iops_sec>5</write_iops_sec></iotune>'
  const at = (inner: string, bus: string, dev: string, target = '', attrs = ''): string =>
    disk(inner, bus, dev).replace(`<target dev='${dev}' bus='${bus}'/>`, `<target dev='${dev}' bus='${bus}'${target}/>`).replace("<disk type='file' device='disk'>", `<disk type='file' device='disk'${attrs}>`)
  it('reservations, raw I/O and SG_IO off a LUN, then the I/O limits, then a tray, the vendor and product, then removable', () => {
    for (const machine of ['q35', 'pc']) {
      const refused = (devices: string): string => refusal(dom({ machine, devices }), v9).message
      expect(refused(disk(both).replace("<source file='/var/lib/libvirt/images/vda.img'/>", "<source file='/var/lib/libvirt/images/vda.img'><reservations managed='yes'/></source>"))).toBe('<reservations/> allowed only for lun devices')
      expect(refused(at(both + '<vendor>VENDOR123</vendor>', 'scsi', 'sda'))).toBe('total and read/write iops_sec cannot be set at the same time')
      expect(refused(at(both + '<product>PRODUCT1234567890</product>', 'virtio', 'vda'))).toBe('total and read/write iops_sec cannot be set at the same time')
      expect(refused(at(both, 'scsi', 'sda', " tray='open'"))).toBe('total and read/write iops_sec cannot be set at the same time')
      expect(refused(at('<vendor>VENDOR123</vendor>', 'scsi', 'sda', " tray='open'"))).toBe('tray is only valid for cdrom and floppy')
      expect(refused(at('<vendor>VENDOR123</vendor>', 'scsi', 'sda', " removable='on'"))).toBe('disk vendor is more than 8 characters')
      expect(refused(at('<wwn>0x5</wwn>', 'virtio', 'vda', " removable='on'"))).toBe('removable is only valid for usb disks')
    }
  })
  it("refuses each before the QEMU driver's checks of the disk: a CHS geometry on USB, a serial on SD, a rotation rate on virtio", () => {
    expect(refusal(dom({ devices: at("<geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sda', '', " rawio='yes'") }), v9).message).toBe("rawio can be used only with device='lun'")
    expect(refusal(dom({ devices: at('<serial>s</serial>', 'sd', 'sda', '', " sgio='filtered'") }), v9).message).toBe("sgio can be used only with device='lun'")
    expect(refusal(dom({ devices: at("<geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sda', " tray='open'") }), v9).message).toBe('tray is only valid for cdrom and floppy')
    expect(refusal(dom({ devices: at('<vendor>VENDOR123</vendor>', 'virtio', 'vda', " rotation_rate='7200'") }), v9).message).toBe('disk vendor is more than 8 characters')
    // (near miss: all of them in range, on SCSI)
    expect(diskOf(predicts(dom({ devices: at('<vendor>VENDOR12</vendor><product>P</product>', 'scsi', 'sda', " rotation_rate='7200'") }), v9))).toContain('<vendor>VENDOR12</vendor>')
  })
})

describe("a disk's serial and I/O thread: the QEMU driver's last front-end checks; its virtio-only settings: the generic ones after the I/O limits (probes h44-gs-…, libvirtd 9.0)", () => {
  const both = '<iotune><total_iops_sec>100</total_iops_sec><write_iops_sec>5</write_iops_sec></iotune>'
  const driver = (xml: string, attrs: string): string => xml.replace("<driver name='qemu' type='raw'/>", `<driver name='qemu' type='raw'${attrs}/>`)
  it("refuses an unsafe serial after the front end's other checks, before the I/O limits' QEMU cap", () => {
    expect(refusal(dom({ devices: disk('<serial>a,b</serial><wwn>0x5000c50015ea71ac</wwn>') }), v9).message).toBe('Only ide and scsi disk support wwn')
    expect(refusal(dom({ devices: disk('<serial>a,b</serial><vendor>V</vendor>') }), v9).message).toBe('Only scsi disk supports vendor and product')
    expect(refusal(dom({ devices: disk(`${both}<serial>a,b</serial>`) }), v9).message).toBe('total and read/write iops_sec cannot be set at the same time')
    expect(refusal(dom({ devices: disk("<serial>a,b</serial><geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sda') }), v9).message).toBe("CHS geometry can not be set for 'usb' bus")
    expect(refusal(dom({ devices: disk('<serial>a,b</serial><iotune><total_bytes_sec>1000000000000001</total_bytes_sec></iotune>') }), v9).message).toBe("driver serial 'a,b' contains unsafe characters")
    expect(refusal(dom({ devices: "<controller type='scsi' model='virtio-scsi'/><disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='scsi'/><serial>s</serial><wwn>0x5000c50015ea71ac</wwn></disk>" }), v9).message).toBe('Setting wwn is not supported for lun device')
    // (near miss: a serial of QEMU's characters)
    expect(diskOf(predicts(dom({ devices: disk('<serial>a-b_c. +d</serial>') }), v9))).toContain('<serial>a-b_c. +d</serial>')
  })
  it('refuses an I/O thread off virtio or the domain after the front end and the generic checks', () => {
    expect(refusal(dom({ mid: '<iothreads>1</iothreads>', devices: driver(disk('<wwn>0x5000c50015ea71ac</wwn>', 'sata', 'sda'), " iothread='1'") }), v9).message).toBe('Only ide and scsi disk support wwn')
    expect(refusal(dom({ mid: '<iothreads>1</iothreads>', devices: driver(disk('<vendor>V</vendor>'), " iothread='2'") }), v9).message).toBe('Only scsi disk supports vendor and product')
    expect(refusal(dom({ mid: '<iothreads>1</iothreads>', devices: driver(disk(both), " iothread='2'") }), v9).message).toBe('total and read/write iops_sec cannot be set at the same time')
  })
  it("refuses a virtio model or queues off virtio after the I/O limits and raw I/O, before the vendor's length", () => {
    expect(refusal(dom({ devices: driver(disk(both, 'scsi', 'sda'), " queues='2'") }), v9).message).toBe('total and read/write iops_sec cannot be set at the same time')
    expect(refusal(dom({ devices: disk(both, 'scsi', 'sda').replace("<disk type='file' device='disk'>", "<disk type='file' device='disk' model='virtio'>") }), v9).message).toBe('total and read/write iops_sec cannot be set at the same time')
    expect(refusal(dom({ devices: driver(disk('', 'scsi', 'sda'), " queues='2'").replace("<disk type='file' device='disk'>", "<disk type='file' device='disk' rawio='yes'>") }), v9).message).toBe("rawio can be used only with device='lun'")
    expect(refusal(dom({ devices: driver(disk('<vendor>VENDOR123</vendor>', 'scsi', 'sda'), " queues='2'") }), v9).message).toBe('queues attribute in disk driver element is only supported by virtio-blk')
  })
})

describe("the QEMU driver's front-end checks of a disk in their order: a WWN, vendor or CHS geometry before a LUN's bus, a rotation rate, a USB disk's address (qemuValidateDomainDeviceDefDiskFrontend; probes h44-gr-…, libvirtd 9.0)", () => {
  const rotating = (inner: string, bus = 'virtio', dev = 'vda'): string => disk(inner, bus, dev).replace(`<target dev='${dev}' bus='${bus}'/>`, `<target dev='${dev}' bus='${bus}' rotation_rate='7200'/>`)
  it('refuses the earlier check of each pair', () => {
    for (const machine of ['q35', 'pc']) {
      const refused = (devices: string): string => refusal(dom({ machine, devices }), v9).message
      expect(refused(rotating('<wwn>0x5000c50015ea71ac</wwn>'))).toBe('Only ide and scsi disk support wwn')
      expect(refused(rotating('<vendor>V</vendor>'))).toBe('Only scsi disk supports vendor and product')
      expect(refused(rotating("<geometry cyls='1' heads='1' secs='1'/>", 'usb', 'sda'))).toBe("CHS geometry can not be set for 'usb' bus")
      expect(refused(rotating('<readonly/>').replace("<driver name='qemu' type='raw'/>", "<driver name='qemu' type='raw' copy_on_read='on'/>"))).toBe("copy_on_read is not compatible with read-only disk 'vda'")
      expect(refused("<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='usb'/><geometry cyls='1' heads='1' secs='1'/></disk>")).toBe("CHS geometry can not be set for 'usb' bus")
      expect(refused("<disk type='file' device='disk'><source file='/x.img'/><target dev='sda' bus='usb'/><wwn>0x5000c50015ea71ac</wwn><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>")).toBe('Only ide and scsi disk support wwn')
    }
    expect(refusal(dom({ devices: "<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='sata'/><wwn>0x5000c50015ea71ac</wwn></disk>" }), v9).message).toBe('Only ide and scsi disk support wwn')
    // (near misses: each alone)
    expect(refusal(dom({ devices: rotating('') }), v9).message).toBe('rotation rate is only valid for SCSI/IDE/SATA bus')
    expect(refusal(dom({ devices: "<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sda' bus='usb'/></disk>" }), v9).message).toBe("disk device='lun' is not supported for bus='usb'")
    expect(diskOf(predicts(dom({ devices: rotating('', 'scsi', 'sda') }), v9))).toContain("<target dev='sda' bus='scsi' rotation_rate='7200'/>")
  })
})
