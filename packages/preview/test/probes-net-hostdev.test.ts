// Network interfaces and host devices probed on libvirtd 9.0 (probes h16-…: domain_conf.c's virDomainNetDefParseXML,
// virDomainHostdevDefParseXML* and their formatters, nwfilter_params.c, device_conf.c's PCI address reader): each case
// here was defined on the sandbox libvirtd 9.0 beside preview (`virsh define`, `dumpxml --inactive`) and is written from
// what the daemon printed.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const dom = x86Domain
const mac = "<mac address='52:54:00:11:22:33'/>"
const nic = (type: string, inner = ''): string => `<interface type='${type}'>${mac}${inner}</interface>`
const interfaceOf = (xml: string): string => /<interface[\s\S]*?<\/interface>/.exec(xml)![0]
const hostdevOf = (xml: string): string => /<hostdev[\s\S]*?<\/hostdev>/.exec(xml)![0]
const br = "<source bridge='br0'/>"

describe('an interface as virDomainNetDefParseXML reads it and virDomainNetDefFormat writes it', () => {
  it('drops a <model> without a type: the machine default is taken (h16-net-model-notype)', () => {
    const xml = interfaceOf(predicts(dom(nic('user', '<model/>')), { v9: true }))
    expect(xml).toContain("<model type='rtl8139'/>")
    expect(xml).not.toContain('<model/>')
  })

  it('does not write a <script>, <downscript>, <backenddomain> or <guest> whose value is empty (virXPathString: none) (h16-net-script-empty)', () => {
    expect(interfaceOf(predicts(dom(nic('ethernet', "<script path=''/>")), { v9: true }))).not.toContain('script')
    expect(interfaceOf(predicts(dom(nic('ethernet', "<downscript path=''/><backenddomain name=''/><guest dev=''/>")), { v9: true }))).not.toMatch(/downscript|backenddomain|guest/)
    // (the near miss: with a path, each is kept)
    expect(interfaceOf(predicts(dom(nic('ethernet', "<script path='/etc/qemu-ifup'/><downscript path='/etc/qemu-ifdown'/>")), { v9: true })))
      .toContain("<script path='/etc/qemu-ifup'/>\n      <downscript path='/etc/qemu-ifdown'/>")
    expect(interfaceOf(predicts(dom(nic('ethernet', "<guest actual='eth1'/>")), { v9: true }))).toContain("<guest actual='eth1'/>")
  })

  it('does not write an empty <backend>, <mtu>, <tune> or <port> (h16-net-backend-empty, -mtu-nosize, -tune-empty, -port-empty)', () => {
    const xml = interfaceOf(predicts(dom(nic('bridge', `${br}<backend/><mtu/><tune/><port/>`)), { v9: true }))
    expect(xml).not.toMatch(/<backend|<mtu|<tune|<port/)
    expect(interfaceOf(predicts(dom(nic('bridge', `${br}<mtu size='1400'/><port isolated='no'/>`)), { v9: true }))).toContain("<port isolated='no'/>")
  })

  it("writes a user interface's host device only beside a passt back end (h16-net-user-srcdev)", () => {
    expect(interfaceOf(predicts(dom(nic('user', "<source dev='eth0'/>")), { v9: true }))).not.toContain('<source')
    // (the near miss: a direct interface's device is kept — a passt back end the sandbox's QEMU refuses)
    expect(interfaceOf(predicts(dom(nic('direct', "<source dev='eth0'/>")), { v9: true }))).toContain("<source dev='eth0' mode='vepa'/>")
  })

  it('writes a filter reference only with its filter, and of its parameters those with a valid name and value (h16-net-filter-*)', () => {
    expect(interfaceOf(predicts(dom(nic('bridge', `${br}<filterref><parameter name='IP' value='10.0.0.1'/></filterref>`)), { v9: true }))).not.toContain('filterref')
    expect(interfaceOf(predicts(dom(nic('bridge', `${br}<filterref filter='f'><parameter name='IP'/></filterref>`)), { v9: true }))).toContain("<filterref filter='f'/>")
    expect(interfaceOf(predicts(dom(nic('bridge', `${br}<filterref filter='f'><parameter name='IP' value='a b'/></filterref>`)), { v9: true }))).toContain("<filterref filter='f'/>")
    expect(interfaceOf(predicts(dom(nic('bridge', `${br}<filterref filter='f'><parameter name='I-P' value='1'/><parameter name='MAC' value='52:54:00:11:22:33'/></filterref>`)), { v9: true })))
      .toContain("<filterref filter='f'>\n        <parameter name='MAC' value='52:54:00:11:22:33'/>\n      </filterref>")
  })

  it("refuses a vhost-user socket end other than client or server in the reader's words (h16-net-vu-badmode)", () => {
    const vu = (mode: string): string => dom(nic('vhostuser', `<source type='unix' path='/tmp/vu' mode='${mode}'/><model type='virtio'/>`))
    expect(refusal(vu('both'), { v9: true }).message).toBe("Invalid value for attribute 'mode' in element 'source': 'both'.")
    expect(interfaceOf(predicts(vu('client'), { v9: true }))).toContain("<source type='unix' path='/tmp/vu' mode='client'/>")
  })

  it("refuses a host device interface's PCI address out of range (virPCIDeviceAddressParseXML)", () => {
    const hd = (address: string): string => dom(`<interface type='hostdev' managed='yes'>${mac}<source><address type='pci' ${address}/></source></interface>`)
    expect(refusal(hd("domain='0' bus='3' slot='32' function='0'"), { v9: true }).message).toBe("Invalid PCI address slot='0x20', must be <= 0x1F")
    expect(interfaceOf(predicts(hd("domain='0x0000' bus='0x03' slot='0x10' function='0x1'"), { v9: true }))).toContain("<address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>")
  })
})

describe('a host device as virDomainHostdevDefParseXML reads it and virDomainHostdevDefFormat writes it', () => {
  const pci = (address: string): string => dom(`<hostdev mode='subsystem' type='pci' managed='yes'><source><address ${address}/></source></hostdev>`)

  it('refuses a host PCI address out of range in libvirt\'s words, once domain, bus or slot is not 0 (h16-hd-pci-slot32, -func8, -bus256)', () => {
    expect(refusal(pci("domain='0' bus='3' slot='32' function='0'"), { v9: true })).toMatchObject({ message: "Invalid PCI address slot='0x20', must be <= 0x1F", path: 'domain/devices/hostdev[1]/source/address' })
    expect(refusal(pci("domain='0' bus='3' slot='1' function='8'"), { v9: true }).message).toBe('Invalid PCI address function=0x8, must be <= 7')
    expect(refusal(pci("domain='0' bus='256' slot='1' function='0'"), { v9: true }).message).toBe("Invalid PCI address bus='0x100', must be <= 0xFF")
    // (a host's PCI domain is any: no refusal, written in hex — h16-hd-pci-dom)
    expect(hostdevOf(predicts(pci("domain='0x10000' bus='0' slot='1' function='0'"), { v9: true }))).toContain("<address domain='0x10000' bus='0x00' slot='0x01' function='0x0'/>")
    expect(hostdevOf(predicts(pci("domain='0' bus='010' slot='07' function='0'"), { v9: true }))).toContain("<address domain='0x0000' bus='0x08' slot='0x07' function='0x0'/>")
  })

  it("refuses a subsystem host device's sgio or rawio that does not read, in the reader's words (h16-hd-scsi-sgio-bad, -rawio-bad)", () => {
    const scsi = (attrs: string): string => dom(`<hostdev mode='subsystem' type='scsi'${attrs}><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>`)
    expect(refusal(scsi(" sgio='bogus'"), { v9: true }).message).toBe("Invalid value for attribute 'sgio' in element 'hostdev': 'bogus'.")
    expect(refusal(scsi(" rawio='on'"), { v9: true }).message).toBe("Invalid value for attribute 'rawio' in element 'hostdev': 'on'.")
    expect(hostdevOf(predicts(scsi(" sgio='filtered' rawio='no'"), { v9: true }))).toContain("sgio='filtered' rawio='no'")
  })

  it("writes a USB device's host address only when its bus or device is not 0, and no empty <source> (h16-hd-usb-addr-0, -empty)", () => {
    const usb = (source: string): string => dom(`<hostdev mode='subsystem' type='usb'>${source}</hostdev>`)
    for (const source of ["<source><address bus='0' device='0'/></source>", '<source/>']) {
      const xml = hostdevOf(predicts(usb(source), { v9: true }))
      expect(xml).not.toContain('<source')
      expect(xml).toContain("<address type='usb' bus='0' port='1'/>")
    }
    expect(hostdevOf(predicts(usb("<source><address bus='0' device='3'/></source>"), { v9: true }))).toContain("<source>\n        <address bus='0' device='3'/>\n      </source>")
    expect(hostdevOf(predicts(usb("<source startupPolicy='optional'><address bus='0' device='0'/></source>"), { v9: true }))).toContain("<source startupPolicy='optional'/>")
  })

  it("does not write a SCSI source's protocol `adapter`, its enumeration's 0 (h16-hd-scsi-proto-adapter)", () => {
    const xml = hostdevOf(predicts(dom("<hostdev mode='subsystem' type='scsi'><source protocol='adapter'><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>"), { v9: true }))
    expect(xml).toContain('<source>\n')
    expect(xml).not.toContain('protocol')
  })

  it('refuses a capabilities host device without a type as the parser does, before the QEMU driver (h16-hd-caps-notype)', () => {
    const caps = dom("<hostdev mode='capabilities'><source><block>/dev/sdf1</block></source></hostdev>")
    expect(refusal(caps, { v9: true }).message).toBe('missing source address type')
    expect(refusal(caps).message).toBe("Missing required attribute 'type' in element 'hostdev'")
    expect(refusal(dom("<hostdev mode='capabilities' type='storage'><source><block>/dev/sdf1</block></source></hostdev>"), { v9: true }).message).toBe("hostdev mode 'capabilities' is not supported in qemu")
  })
})

describe('round two: host device interfaces, virtual ports, reconnects and vfio-ap', () => {
  const hdNic = (source: string, attrs = " managed='yes'"): string => dom(`<interface type='hostdev'${attrs}>${mac}<source>${source}</source></interface>`)

  it("writes a host device interface's USB address in decimal, as read (h16-r2-net-hd-usb)", () => {
    expect(interfaceOf(predicts(hdNic("<address type='usb' bus='1' device='0x2'/>"), { v9: true }))).toContain("<address type='usb' bus='1' device='2'/>")
  })

  it("reads a host device interface's other sources as a host device's, refusing what that reader refuses (h16-r2-net-hd-scsi, -mdev)", () => {
    expect(refusal(hdNic("<address type='scsi' bus='0' target='0' unit='0'/>", ''), { v9: true }).message).toBe("'adapter' name must be specified for scsi hostdev source")
    expect(refusal(hdNic("<address type='mdev' uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>", ''), { v9: true }).message).toBe("Missing required attribute 'model' in element 'interface'")
  })

  it("writes of a virtual port's parameters those its type's formatter writes: a MidoNet port's profile ID is dropped (h16-r2-net-vp-ovs-midonet-params)", () => {
    const port = (type: string, params: string): string => interfaceOf(predicts(dom(nic('bridge', `${br}<virtualport type='${type}'><parameters ${params}/></virtualport>`)), { v9: true }))
    expect(port('midonet', "interfaceid='11111111-2222-3333-4444-555555555555' profileid='x'")).toContain("<parameters interfaceid='11111111-2222-3333-4444-555555555555'/>")
    expect(port('openvswitch', "interfaceid='11111111-2222-3333-4444-555555555555' profileid='x'")).toContain("<parameters interfaceid='11111111-2222-3333-4444-555555555555' profileid='x'/>")
  })

  it("takes a vhost-user interface's reconnect timeout of 0: the chardev check is a character device's alone (h16-r2-vu-reconnect-0)", () => {
    const xml = interfaceOf(predicts(dom(nic('vhostuser', "<source type='unix' path='/tmp/vu' mode='client'><reconnect enabled='yes' timeout='0'/></source><model type='virtio'/>")), { v9: true }))
    expect(xml).toContain("<reconnect enabled='yes' timeout='0'/>")
    expect(refusal(dom("<serial type='unix'><source mode='connect' path='/tmp/s'><reconnect enabled='yes' timeout='0'/></source></serial>"), { v9: true }).message).toBe("chardev reconnect source timeout cannot be '0'")
  })

  it("takes a vfio-ap mediated device off any bus on s390: its address is not kept (qemuDomainPrimeVfioDeviceAddresses; h16-r2-hd-mdev-ap-addr)", () => {
    const s390 = (address: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices><hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source>${address}</hostdev></devices></domain>`
    const caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'vfio-ccw', 'vfio-ap', 'virtio-balloon-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    for (const address of ["<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0007'/>", "<address type='pci' domain='0' bus='0' slot='1' function='0'/>"]) {
      expect(hostdevOf(predicts(s390(address), { v9: true, caps }))).toBe("<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-ap'>\n      <source>\n        <address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>\n      </source>\n    </hostdev>")
    }
  })
})

describe('round three: odd values', () => {
  it("reads a teaming's empty type and persistent device as none (virXPathString; h16-r3-team-pers-empty, -team-empty)", () => {
    const team = (attrs: string, model = "<model type='virtio'/>"): string => dom(nic('bridge', `${br}${model}<teaming ${attrs}/>`))
    expect(refusal(team("type='transient' persistent=''"), { v9: true }).message).toBe("teaming persistent attribute must be set if teaming type is 'transient'")
    expect(interfaceOf(predicts(team("type='persistent' persistent=''"), { v9: true }))).toContain("<teaming type='persistent'/>")
    expect(interfaceOf(predicts(team("type='' persistent=''", ''), { v9: true }))).not.toContain('teaming')
    expect(refusal(team("type='' persistent='x'"), { v9: true }).message).toBe("unknown teaming type '(null)'")
    expect(hostdevOf(predicts(dom("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source><teaming/></hostdev>"), { v9: true }))).not.toContain('teaming')
  })

  it("refuses a host PCI address's multifunction switch that does not read, and does not write one that does (h16-r3-pci-mf-upper, -pci-mf-on, -nic-hd-pci-mf)", () => {
    const hd = (mf: string): string => dom(`<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='3' slot='1' function='0' multifunction='${mf}'/></source></hostdev>`)
    expect(refusal(hd('ON'), { v9: true }).message).toBe("Invalid value for attribute 'multifunction' in element 'address': 'ON'.")
    expect(hostdevOf(predicts(hd('on'), { v9: true }))).toContain("<address domain='0x0000' bus='0x03' slot='0x01' function='0x0'/>")
    const hdNic = (mf: string): string => dom(`<interface type='hostdev' managed='yes'>${mac}<source><address type='pci' domain='0' bus='3' slot='1' function='0' multifunction='${mf}'/></source></interface>`)
    expect(refusal(hdNic('ON'), { v9: true }).message).toBe("Invalid value for attribute 'multifunction' in element 'address': 'ON'.")
    expect(interfaceOf(predicts(hdNic('on'), { v9: true }))).toContain("<address type='pci' domain='0x0000' bus='0x03' slot='0x01' function='0x0'/>")
  })

  it("writes a host device interface's USB vendor and product in hex, and no zero USB address (h16-r3-nic-hd-vendor-dec, -nic-hd-usb-zero)", () => {
    expect(interfaceOf(predicts(dom(nic('hostdev', "<source><vendor id='1234'/><product id='10'/></source>")), { v9: true }))).toContain("<vendor id='0x04d2'/>\n        <product id='0x000a'/>")
    const zero = interfaceOf(predicts(dom(nic('hostdev', "<source><address type='usb' bus='0' device='0'/></source>")), { v9: true }))
    expect(zero).not.toContain('<source')
    expect(zero).toContain("<address type='usb' bus='0' port='1'/>")
  })
})

describe('round four: a host device interface read as a host device', () => {
  const hd = "<source><address type='pci' domain='0' bus='3' slot='1' function='0'/></source>"
  const hdNic = (attrs: string, source = hd): string => dom(`<interface type='hostdev'${attrs}>${mac}${source}</interface>`)

  it("refuses sgio, rawio and a model on the <interface> of a PCI one as a host device's parser does (h16-r4-hd-nic-sgio, -rawio, -model-attr)", () => {
    expect(refusal(hdNic(" managed='yes' sgio='filtered'"), { v9: true }).message).toBe('sgio is only supported for scsi host device')
    expect(refusal(hdNic(" managed='yes' rawio='yes'"), { v9: true }).message).toBe('rawio is only supported for scsi host device')
    expect(refusal(hdNic(" managed='yes' model='vfio-pci'"), { v9: true }).message).toBe("'model' attribute in <hostdev> is only supported when type='pci'")
    // (the near miss: on another interface type they are not read, nor written)
    expect(interfaceOf(predicts(dom(`<interface type='user' sgio='filtered' rawio='yes'>${mac}</interface>`), { v9: true }))).toMatch(/^<interface type='user'>/)
  })

  it("keeps a USB one's startup policy and guest reset, refuses a PCI one's write filtering in validation (h16-r4-hd-nic-startup, -guestreset, -wf)", () => {
    expect(interfaceOf(predicts(hdNic('', "<source startupPolicy='optional'><address type='usb' bus='1' device='2'/></source>"), { v9: true }))).toContain("<source startupPolicy='optional'>")
    expect(interfaceOf(predicts(hdNic('', "<source guestReset='off'><address type='usb' bus='1' device='2'/></source>"), { v9: true }))).toContain("<source guestReset='off'>")
    expect(refusal(hdNic(" managed='yes'", "<source writeFiltering='yes'><address type='pci' domain='0' bus='3' slot='1' function='0'/></source>"), { v9: true }).message).toBe('Write filtering of PCI device configuration space is not supported by qemu')
    expect(refusal(hdNic('', "<source><vendor id='0x1234'/></source>"), { v9: true }).message).toBe('missing product')
  })
})

describe('round six: VLANs, bandwidth, filters, virtual ports and MACs', () => {
  it("reads an empty VLAN trunk setting as none (virXPathString; h16-r6-vlan-trunk-empty, -trunk-empty-two)", () => {
    const vlan = (attrs: string, tags: string): string => dom(nic('bridge', `${br}<vlan${attrs}>${tags}</vlan>`))
    expect(interfaceOf(predicts(vlan(" trunk=''", "<tag id='5'/>"), { v9: true }))).toContain("<vlan>\n        <tag id='5'/>\n      </vlan>")
    expect(interfaceOf(predicts(vlan(" trunk=''", "<tag id='5'/><tag id='6'/>"), { v9: true }))).toContain("<vlan trunk='yes'>")
    // (the near miss: a value neither yes nor no is refused)
    expect(refusal(vlan(" trunk='maybe'", "<tag id='5'/>"), { v9: true }).message).toBe(`invalid "trunk='maybe'" in <vlan> - must be yes or no`)
  })
})

describe('round seven: iSCSI and vhost SCSI host devices', () => {
  const iscsi = (inner: string, host = "<host name='h'/>"): string => dom(`<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.2014-08.com.example:t/1'>${host}${inner}</source></hostdev>`)

  it("reads an iSCSI host device's <auth> as a disk's and wants an iSCSI secret (virStorageAuthDefParse; h16-r7-iscsi-auth-*)", () => {
    expect(refusal(iscsi("<auth username='u'><secret type='iscsi' usage='x' uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></auth>"), { v9: true }).message).toBe('either secret uuid or usage expected')
    expect(refusal(iscsi("<auth username='u'/>"), { v9: true }).message).toBe('Missing <secret> element in auth')
    expect(refusal(iscsi("<auth username='u'><secret type='ceph' usage='x'/></auth>"), { v9: true }).message).toBe("hostdev invalid secret type 'ceph'")
    expect(refusal(iscsi("<auth username='u'><secret type='chap' usage='x'/></auth>"), { v9: true }).message).toBe('invalid secret type chap')
    expect(hostdevOf(predicts(iscsi("<auth username='u'><secret type='iscsi' usage='x'/></auth>"), { v9: true }))).toContain("<auth username='u'>\n          <secret type='iscsi' usage='x'/>\n        </auth>")
  })

  it("writes an iSCSI host's port only when not 0 (virDomainHostdevDefFormatSubsysSCSI; h16-r7-iscsi-host-port0)", () => {
    expect(hostdevOf(predicts(iscsi('', "<host name='h' port='0'/>"), { v9: true }))).toContain("<host name='h'/>")
    expect(hostdevOf(predicts(iscsi('', "<host name='h' port='3261'/>"), { v9: true }))).toContain("<host name='h' port='3261'/>")
  })

  it("reads an iSCSI host's transport and socket, which its schema lacks, as a disk's host and writes neither back (virDomainStorageNetworkParseHost, virDomainHostdevDefFormatSubsysSCSI; h23-*)", () => {
    // (a UNIX socket's host: no name or port read, so `<host/>`; its port not read, so not refused)
    expect(hostdevOf(predicts(iscsi('', "<host transport='unix' socket='/tmp/sock'/>"), { v9: true }))).toContain('<host/>')
    expect(hostdevOf(predicts(iscsi('', "<host transport='unix' socket='/tmp/sock' name='example.org' port='99999'/>"), { v9: true }))).toContain('<host/>')
    expect(hostdevOf(predicts(iscsi('', "<host transport='unix' socket=''/>"), { v9: true }))).toContain('<host/>')
    // (the others: a name wanted, no socket, the transport not written)
    expect(hostdevOf(predicts(iscsi('', "<host transport='rdma' name='example.org' port='3260'/>"), { v9: true }))).toContain("<host name='example.org' port='3260'/>")
    expect(hostdevOf(predicts(iscsi('', "<host transport='tcp' name='example.org'/>"), { v9: true }))).toContain("<host name='example.org'/>")
    expect(refusal(iscsi('', "<host transport='unix'/>"), { v9: true }).message).toBe('missing socket for unix transport')
    expect(refusal(iscsi('', "<host transport='tcp' name='example.org' socket='/tmp/sock'/>"), { v9: true }).message).toBe("transport 'tcp' does not support socket attribute")
    expect(refusal(iscsi('', "<host name='example.org' socket='/tmp/sock'/>"), { v9: true }).message).toBe("transport '(null)' does not support socket attribute")
    expect(refusal(iscsi('', "<host transport='bogus' name='example.org'/>"), { v9: true }).message).toBe("unknown protocol transport type 'bogus'")
    expect(refusal(iscsi('', "<host transport='' name='example.org'/>"), { v9: true }).message).toBe("unknown protocol transport type ''")
    expect(refusal(iscsi('', "<host transport='rdma'/>"), { v9: true }).message).toBe('missing name for host')
  })

  it("keeps of a host device's <source> attributes what its type reads: a vhost SCSI host's protocol and WWPN (h16-r7-sh-extra-src)", () => {
    expect(hostdevOf(predicts(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0' name='x'/></hostdev>"), { v9: true }))).toContain("<source protocol='vhost' wwpn='naa.5123456789abcde0'/>")
  })
})


describe("a host device NIC's source address type, asked for before the interface's own attributes (virDomainHostdevDefParseXMLSubsys)", () => {
  const hdNic = (attrs: string, source: string): string => dom(`<interface type='hostdev'${attrs}>${mac}<source>${source}</source></interface>`, 'q35')
  const pci = "domain='0x0000' bus='0x00' slot='0x1f' function='0x3'"
  it('refuses a missing type before an sgio it does not know (probes h36-nic-hostdev-notype-sgio, -noaddress-sgio)', () => {
    expect(refusal(hdNic(" sgio='bogus'", `<address ${pci}/>`), { v9: true })).toMatchObject({ message: 'missing source address type', path: 'domain/devices/interface[1]/source/address/@type' })
    expect(refusal(hdNic(" sgio='bogus'", ''), { v9: true }).message).toBe('missing source address type')
    // (the near miss: with a type, the sgio is refused; h36-nic-hostdev-pci-sgio-near)
    expect(refusal(hdNic(" sgio='bogus'", `<address type='pci' ${pci}/>`), { v9: true }).message).toBe("Invalid value for attribute 'sgio' in element 'interface': 'bogus'.")
  })
})

describe("an 802.1Qbg port's IDs as virStrToLong_ui reads them (virNetDevVPortProfileParse: C's base, a minus wrapping within 32 bits)", () => {
  const port = (parameters: string): string => dom(nic('bridge', `<source bridge='br0'/><virtualport type='802.1Qbg'><parameters ${parameters} instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa3b'/></virtualport>`))
  it('refuses -1 as out of range, not as unreadable (the odd-value search edit, seed 721 on i686; probes h36-vport-…)', () => {
    expect(refusal(port("managerid='12' typeid='-1' typeidversion='1'"), { v9: true })).toMatchObject({ message: 'value for typeid out of range', path: 'domain/devices/interface[1]/virtualport/parameters/@typeid' })
    expect(refusal(port("managerid='-1' typeid='1' typeidversion='1'"), { v9: true }).message).toBe('value of managerid out of range')
    expect(refusal(port("managerid='1' typeid='1' typeidversion='-1'"), { v9: true }).message).toBe('value of typeidversion out of range')
    // (past 32 bits, a minus does not read)
    expect(refusal(port("managerid='1' typeid='-4294967296' typeidversion='1'"), { v9: true }).message).toBe('cannot parse value of typeid parameter')
  })
  it('writes -0 as 0', () => {
    expect(interfaceOf(predicts(port("managerid='-0' typeid='-0' typeidversion='-0x0'"), { v9: true }))).toContain("<parameters managerid='0' typeid='0' typeidversion='0' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa3b'/>")
  })
})

describe("a UDP socket's local end, its address read before its port (virDomainNetDefParseXML)", () => {
  const udp = (local: string): string => dom(`<interface type='udp'>${mac}<source address='127.0.0.1' port='5555'>${local}</source><model type='virtio'/></interface>`)
  it('names a missing address first (probes h36-udp-local-…, the gap h39 found)', () => {
    expect(refusal(udp('<local/>'), { v9: true }).message).toBe("Missing required attribute 'address' in element 'local'")
    expect(refusal(udp("<local port='5556'/>"), { v9: true }).message).toBe("Missing required attribute 'address' in element 'local'")
    expect(refusal(udp("<local address='127.0.0.1'/>"), { v9: true }).message).toBe("Missing required attribute 'port' in element 'local'")
  })
})
