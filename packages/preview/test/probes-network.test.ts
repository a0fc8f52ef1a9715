// Network interfaces, filesystems, graphics, memory devices and IOMMUs as libvirtd 9.0 takes or refuses them, found by
// probing: each case here was defined on the sandbox libvirtd 9.0 (the words and the stored lines are its own).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (devices: string, extra = '', machine = 'pc', arch = 'x86_64'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='KiB'>524288</memory>
  ${extra}
  <os><type arch='${arch}' machine='${machine}'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`
const arm = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'cpu-max', 'virtio-net'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
const mac = "<mac address='52:54:00:11:22:33'/>"
const refused = (message: string, path: string, code = 'preview-refused') => ({ name: 'PreviewError', code, message, path })

describe('a vDPA interface (qemuValidateDomainDeviceDefNetwork)', () => {
  it('is plain virtio on libvirt 9.0: another model, a transitional one too, refused in the model enum\'s name', () => {
    const vdpa = (model: string, more = ''): string => dom(`<interface type='vdpa'>${mac}<source dev='/dev/vhost-vdpa-0'/><model type='${model}'/>${more}</interface>`)
    expect(refusal(vdpa('e1000'), { v9: true })).toEqual(refused("invalid model for interface of type 'vdpa': 'e1000'", 'domain/devices/interface[1]/model'))
    expect(refusal(vdpa('virtio-transitional'), { v9: true }).message).toBe("invalid model for interface of type 'vdpa': 'virtio-transitional'")
    expect(refusal(vdpa('rtl8139'), { v9: true }).message).toBe("invalid model for interface of type 'vdpa': 'rtl8139'")
    // (before its MTU: the model is checked with the guest-side addresses, first)
    expect(refusal(vdpa('e1000', "<mtu size='1400'/>"), { v9: true }).message).toBe("invalid model for interface of type 'vdpa': 'e1000'")
    expect(predicts(vdpa('virtio'), { v9: true })).toContain("<model type='virtio'/>")
    // (libvirt 11: a transitional virtio is virtio; another model refused in 11.3's words)
    expect(predicts(vdpa('virtio-transitional'))).toContain("<model type='virtio-transitional'/>")
    expect(refusal(vdpa('e1000')).message).toBe("invalid model for interface of type 'vdpa': 'e1000' - must be 'virtio'")
  })
})

describe('a vhost-user interface without a model on libvirt 9.0', () => {
  const vhostuser = `<interface type='vhostuser'>${mac}<source type='unix' path='/tmp/vu.sock' mode='client'/></interface>`
  it("takes the machine's default: virtio on an aarch64 virt board (defined)", () => {
    expect(predicts(dom(vhostuser, '', 'virt', 'aarch64'), { v9: true, caps: arm })).toContain("<model type='virtio'/>")
  })
  it("is refused where the default is not virtio (x86_64's rtl8139)", () => {
    expect(refusal(dom(vhostuser), { v9: true }).message).toBe("Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. vhostuser requires the virtio-net* frontend")
  })
  it('a guest-side address is refused on it as on any interface but user networking', () => {
    const xml = dom(`<interface type='vhostuser'>${mac}<source type='unix' path='/tmp/vu.sock' mode='client'/><model type='virtio'/><ip address='192.168.1.5' prefix='24'/></interface>`, "<memoryBacking><access mode='shared'/></memoryBacking>")
    expect(refusal(xml, { v9: true })).toEqual(refused('Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU', 'domain/devices/interface[1]/ip'))
  })
})

describe('a host device interface has no model (qemuDomainDeviceNetDefPostParse skips it)', () => {
  const hostdev = (more: string): string => `<interface type='hostdev' managed='yes'>${mac}<source><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source>${more}</interface>`
  it("as teaming's persistent side: refused, its model printed as (null)", () => {
    expect(refusal(dom(hostdev("<teaming type='persistent'/>"), '', 'q35'), { v9: true })).toEqual(refused("virtio-net teaming persistent interface must be <model type='virtio'/>, not '(null)'", 'domain/devices/interface[1]/model'))
    expect(refusal(dom(hostdev("<teaming type='persistent'/>"), '', 'virt', 'aarch64'), { v9: true, caps: arm }).message).toBe("virtio-net teaming persistent interface must be <model type='virtio'/>, not '(null)'")
  })
  it('virtio options are refused on it, on a board whose default NIC is virtio too', () => {
    expect(refusal(dom(hostdev("<driver iommu='on'/>"), '', 'virt', 'aarch64'), { v9: true, caps: arm })).toEqual(refused('iommu driver option is only supported for virtio devices', 'domain/devices/interface[1]/driver/@iommu'))
  })
})

describe("an interface's checks in libvirt's order: virDomainNetDefValidate's, then qemuValidateDomainDeviceDefNetwork's", () => {
  const user = (more: string, model = ''): string => dom(`<interface type='user'>${mac}${model}${more}</interface>`)
  it('the guest-side addresses first among the QEMU checks (before the MTU, teaming, queue sizes, coalescing)', () => {
    const prefix = refused('invalid prefix, must be in range of 4-27', 'domain/devices/interface[1]/ip/@prefix', 'preview-invalid-value')
    expect(refusal(user("<mtu size='1400'/><ip address='10.0.0.5' prefix='30'/>"), { v9: true })).toEqual(prefix)
    expect(refusal(user("<teaming type='persistent'/><ip address='10.0.0.5' prefix='30'/>", "<model type='e1000'/>"), { v9: true })).toEqual(prefix)
    expect(refusal(user("<coalesce><rx><frames max='7'/></rx></coalesce><ip address='10.0.0.5' prefix='30'/>"), { v9: true })).toEqual(prefix)
    expect(refusal(user("<driver rx_queue_size='300'/><ip address='10.0.0.5' prefix='30'/>", "<model type='virtio'/>"), { v9: true })).toEqual(prefix)
    expect(refusal(user("<mtu size='1400'/><route address='192.168.2.0' prefix='24' gateway='192.168.1.1'/>"), { v9: true }).message).toBe('Invalid attempt to set network interface guest-side IP route, not supported by QEMU')
    expect(refusal(user("<mtu size='1400'/><ip address='10.0.0.5' peer='10.0.0.1'/>"), { v9: true }).message).toBe('Invalid attempt to set peer IP for guest')
    expect(refusal(user("<mtu size='1400'/><ip address='fd00::5' prefix='48'/>"), { v9: true }).message).toBe("unsupported IPv6 address prefix='48' - must be 64")
    expect(refusal(dom(`<interface type='ethernet'>${mac}<mtu size='1400'/><coalesce><rx><frames max='7'/></rx></coalesce><ip address='10.0.0.5' prefix='24'/></interface>`), { v9: true }).message)
      .toBe('Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU')
  })
  it('a multicast tunnel with a guest address: refused', () => {
    expect(refusal(dom(`<interface type='mcast'>${mac}<source address='230.0.0.1' port='5558'/><ip address='10.0.0.5' prefix='24'/></interface>`), { v9: true }))
      .toEqual(refused('Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU', 'domain/devices/interface[1]/ip'))
  })
  it('port isolation before the virtio options (virDomainNetDefValidatePortOptions, then virDomainCheckVirtioOptionsAreAbsent)', () => {
    expect(refusal(user("<driver iommu='on'/><port isolated='yes'/>", "<model type='e1000'/>"), { v9: true }))
      .toEqual(refused("interface 52:54:00:11:22:33 - <port isolated='yes'/> is not supported for network interfaces with type='user'", 'domain/devices/interface[1]/port/@isolated'))
  })
  it('one interface after the other: the first one\'s QEMU check before the second one\'s conf check', () => {
    const xml = dom(`<interface type='user'>${mac}<mtu size='1400'/></interface><interface type='user'><mac address='52:54:00:11:22:34'/><port isolated='yes'/></interface>`)
    expect(refusal(xml, { v9: true }).message).toBe('setting MTU on interface type user is not supported yet')
  })
})

describe("an IP address's prefix as stored (virDomainNetIPInfoFormat)", () => {
  const ipsOf = (xml: string): string[] => [...predicts(xml, { v9: true }).matchAll(/<ip [^>]*\/>/g)].map((m) => m[0])
  it('0 is not written, the guest\'s and the host side\'s', () => {
    expect(ipsOf(dom(`<interface type='user'>${mac}<ip address='10.0.0.5' prefix='0'/></interface>`))).toEqual(["<ip address='10.0.0.5' family='ipv4'/>"])
    expect(ipsOf(dom(`<interface type='user'>${mac}<ip address='fd00::5' prefix='0'/></interface>`))).toEqual(["<ip address='fd00::5' family='ipv6'/>"])
    expect(ipsOf(dom(`<interface type='ethernet'>${mac}<source><ip address='10.0.0.6' prefix='00'/></source></interface>`))).toEqual(["<ip address='10.0.0.6' family='ipv4'/>"])
  })
  it('another is written in decimal as virStrToLong_ui read it', () => {
    expect(ipsOf(dom(`<interface type='user'>${mac}<ip address='10.0.0.5' prefix='024'/></interface>`))).toEqual(["<ip address='10.0.0.5' family='ipv4' prefix='24'/>"])
    expect(ipsOf(dom(`<interface type='user'>${mac}<ip address='10.0.0.5' prefix='+8'/></interface>`))).toEqual(["<ip address='10.0.0.5' family='ipv4' prefix='8'/>"])
  })
})

describe("a NIC's virtual port (virNetDevVPortProfileParse)", () => {
  const nic = (type: string, source: string, port: string): string => dom(`<interface type='${type}'>${mac}${source}${port}</interface>`)
  const at = 'domain/devices/interface[1]/virtualport'
  it("of no type: refused on a bridge, a macvtap device and a host device (before the port's isolation is looked at)", () => {
    expect(refusal(nic('bridge', "<source bridge='br0'/>", '<virtualport/>'), { v9: true })).toEqual(refused('missing required virtualport type', at, 'preview-invalid-value'))
    expect(refusal(nic('bridge', "<source bridge='br0'/>", "<virtualport/><port isolated='yes'/>"), { v9: true }).message).toBe('missing required virtualport type')
    expect(refusal(nic('hostdev', "<source><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source>", '<virtualport/>'), { v9: true }).message).toBe('missing required virtualport type')
  })
  it('incomplete for its type: refused on a bridge, a macvtap device and a host device', () => {
    expect(refusal(nic('bridge', "<source bridge='br0'/>", "<virtualport type='802.1Qbg'/>"), { v9: true })).toEqual(refused("missing managerid in <virtualport type='802.1Qbg'>", `${at}/parameters`, 'preview-invalid-value'))
    expect(refusal(nic('bridge', "<source bridge='br0'/>", "<virtualport type='802.1Qbg'><parameters managerid='1'/></virtualport>"), { v9: true }).message).toBe("missing typeid in <virtualport type='802.1Qbg'>")
    expect(refusal(nic('direct', "<source dev='eth0'/>", "<virtualport type='802.1Qbh'><parameters profileid=''/></virtualport>"), { v9: true }).message).toBe("missing profileid in <virtualport type='802.1Qbh'>")
    expect(refusal(nic('bridge', "<source bridge='br0'/>", "<virtualport type='midonet'/>"), { v9: true }).message).toBe("missing interfaceid in <virtualport type='midonet'>")
    // (a virtual network's port may be incomplete)
    expect(predicts(nic('network', "<source network='default'/>", "<virtualport type='802.1Qbg'><parameters instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>"), { v9: true }))
      .toContain("<virtualport type='802.1Qbg'>\n        <parameters instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n      </virtualport>")
  })
  it("with a parameter its type does not take: refused on any interface", () => {
    expect(refusal(nic('network', "<source network='default'/>", "<virtualport type='openvswitch'><parameters managerid='1' interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>"), { v9: true }))
      .toEqual(refused("extra managerid unsupported in <virtualport type='openvswitch'>", `${at}/parameters/@managerid`, 'preview-invalid-value'))
    expect(refusal(nic('network', "<source network='default'/>", "<virtualport type='802.1Qbg'><parameters instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>"), { v9: true }).message)
      .toBe("extra interfaceid unsupported in <virtualport type='802.1Qbg'>")
  })
  it('complete: stored, its numbers as the formatter writes what it read', () => {
    expect(predicts(nic('direct', "<source dev='eth0'/>", "<virtualport type='802.1Qbg'><parameters managerid='0x10' typeid='2' typeidversion='3' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>"), { v9: true }))
      .toContain("<virtualport type='802.1Qbg'>\n        <parameters managerid='16' typeid='2' typeidversion='3' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n      </virtualport>")
    expect(predicts(nic('direct', "<source dev='eth0'/>", "<virtualport type='802.1Qbh'><parameters profileid='x'/></virtualport>"), { v9: true })).toContain("<parameters profileid='x'/>")
  })
})

describe('a filesystem: virDomainFSDefValidate, then qemuValidateDomainDeviceDefFS', () => {
  const shared = "<memoryBacking><access mode='shared'/></memoryBacking>"
  it('without a target: refused first, naming its source, else its socket', () => {
    expect(refusal(dom("<filesystem type='mount'><source dir='/tmp'/></filesystem>"), { v9: true })).toEqual(refused('missing target information for device /tmp', 'domain/devices/filesystem[1]'))
    expect(refusal(dom("<filesystem type='mount'><driver type='virtiofs'/><source socket='/tmp/s'/></filesystem>", shared), { v9: true }).message).toBe('missing target information for device /tmp/s')
    // (before the QEMU driver's own checks: a block filesystem is not QEMU's)
    expect(refusal(dom("<filesystem type='block'><source dev='/dev/sda'/></filesystem>"), { v9: true }).message).toBe('missing target information for device /dev/sda')
    expect(refusal(dom("<filesystem type='ram'><source usage='1024'/></filesystem>"), { v9: true }).message).toBe('missing target information for device')
    expect(refusal(dom("<filesystem type='mount'><source dir='/a'/><target dir='a'/></filesystem><filesystem type='file'><source file='/b.img'/></filesystem>"), { v9: true }))
      .toEqual(refused('missing target information for device /b.img', 'domain/devices/filesystem[2]'))
  })
  it('with a socket, a handle driver is not passed through unless written so (virDomainFSDefPostParse)', () => {
    expect(refusal(dom("<filesystem type='mount'><driver type='handle'/><source socket='/tmp/s'/><target dir='t'/></filesystem>"), { v9: true }))
      .toEqual(refused('only supports passthrough accessmode', 'domain/devices/filesystem[1]/@accessmode'))
    expect(predicts(dom("<filesystem type='mount' accessmode='passthrough'><driver type='handle'/><source socket='/tmp/s'/><target dir='t'/></filesystem>"), { v9: true })).toContain("<filesystem type='mount' accessmode='passthrough'>")
  })
  it("virtiofs: its own checks before shared memory's", () => {
    const noShm = (attrs: string, driver: string, more = ''): string => dom(`<filesystem type='mount'${attrs}><driver type='virtiofs'${driver}/><source dir='/tmp'/><target dir='t'/>${more}</filesystem>`)
    expect(refusal(noShm('', " format='raw'"), { v9: true }).message).toBe('virtiofs does not support format')
    expect(refusal(noShm(" accessmode='mapped'", ''), { v9: true }).message).toBe('virtiofs only supports passthrough accessmode')
    expect(refusal(noShm(" model='virtio'", ''), { v9: true }).message).toBe('virtiofs does not support model')
    expect(refusal(noShm('', '', '<readonly/>'), { v9: true }).message).toBe('virtiofs does not yet support read-only mode')
    expect(refusal(noShm('', ''), { v9: true })).toEqual(refused("'virtiofs' requires shared memory", 'domain/devices/filesystem[1]'))
  })
  it('two virtiofs filesystems with one target: 9.0 checks that once every filesystem is validated, 11 with each', () => {
    const xml = dom("<filesystem type='mount'><driver type='virtiofs'/><source socket='/tmp/s'/><target dir='t'/></filesystem><filesystem type='mount' model='virtio'><driver type='virtiofs'/><source socket='/tmp/s2'/><target dir='t'/></filesystem>", shared)
    expect(refusal(xml, { v9: true })).toEqual(refused('virtiofs does not support model', 'domain/devices/filesystem[2]/@model'))
    expect(refusal(xml)).toEqual(refused("filesystem target 't' specified twice", 'domain/devices/filesystem[2]/target/@dir'))
    expect(refusal(xml.replace(" model='virtio'", ''), { v9: true })).toEqual(refused("filesystem target 't' specified twice", 'domain/devices/filesystem[2]/target/@dir'))
  })
})

describe("a display's own checks (virDomainGraphicsDefValidate) before the QEMU driver's", () => {
  it("a VNC display's audio backend: one written, else the one post-parse adds (ID 1)", () => {
    const missing = refused('no audio device with ID 2', 'domain/devices/graphics[1]/audio/@id', 'preview-invalid-value')
    expect(refusal(dom("<graphics type='vnc'><audio id='2'/></graphics>"), { v9: true })).toEqual(missing)
    expect(predicts(dom("<graphics type='vnc'><audio id='1'/></graphics>"), { v9: true })).toContain("<audio id='1' type='none'/>")
    // (before the VNC password's length and another display's type)
    expect(refusal(dom("<graphics type='vnc' passwd='123456789'><audio id='2'/></graphics><audio id='1' type='none'/>"), { v9: true })).toEqual(missing)
    expect(refusal(dom("<graphics type='vnc'><audio id='2'/></graphics><graphics type='rdp'/>"), { v9: true })).toEqual(missing)
    // (a sound device's likewise)
    expect(refusal(dom("<sound model='ich9'><audio id='2'/></sound>"), { v9: true })).toEqual(refused('no audio device with ID 2', 'domain/devices/sound[1]/audio/@id', 'preview-invalid-value'))
  })
  it("a network listen names its network, before 9.0 refuses RDP or a VNC password's length", () => {
    expect(refusal(dom("<graphics type='rdp'><listen type='network'/></graphics>"), { v9: true })).toEqual(refused("'network' attribute is required for listen type 'network'", 'domain/devices/graphics[1]/listen'))
    expect(refusal(dom("<graphics type='vnc' passwd='123456789'><listen type='network'/></graphics>"), { v9: true }).message).toBe("'network' attribute is required for listen type 'network'")
  })
})

describe('an IOMMU: virDomainIOMMUDefValidate, qemuValidateDomainDeviceDefIOMMU, then virDomainDefIOMMUValidate', () => {
  it("an Intel IOMMU's address before the machine it needs", () => {
    expect(refusal(dom("<iommu model='intel'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></iommu>"), { v9: true }))
      .toEqual(refused("iommu model 'intel' can't have address", 'domain/devices/iommu[1]/address', 'preview-invalid-value'))
  })
  it('interrupt remapping without the split I/O APIC: checked once every device is (a display after it first)', () => {
    const intremap = "<iommu model='intel'><driver intremap='on'/></iommu>"
    expect(refusal(dom(intremap, '', 'q35'), { v9: true }).message).toBe("IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')")
    expect(refusal(dom(`${intremap}<graphics type='vnc'><audio id='2'/></graphics>`, '', 'q35'), { v9: true }).message).toBe('no audio device with ID 2')
  })
})

describe('memory devices: each one\'s virDomainMemoryDefValidate, then qemuValidateDomainDeviceDefMemory', () => {
  const hotplug = "<maxMemory slots='4'>4194304</maxMemory><cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/></numa></cpu>"
  const sgx = (more = '', target = ''): string => `<memory model='sgx-epc'><target><size unit='KiB'>16384</size>${target}</target>${more}</memory>`
  it('an SGX EPC section needs maxMemory as any memory device does (the QEMU driver\'s domain checks come first)', () => {
    expect(refusal(dom(sgx()), { v9: true })).toEqual(refused("cannot use/hotplug a memory device when domain 'maxMemory' is not defined", 'domain/devices/memory[1]'))
    expect(refusal(dom(sgx()))).toEqual(refused("cannot use/hotplug a memory device when domain 'maxMemory' is not defined", 'domain/devices/memory[1]'))
  })
  it("its address and node before QEMU's lack of SGX", () => {
    expect(refusal(dom(sgx("<address type='dimm' slot='0'/>"), hotplug), { v9: true })).toEqual(refused("memory device address is not supported for model 'sgx-epc'", 'domain/devices/memory[1]/address'))
    expect(refusal(dom(sgx('', '<node>5</node>'), hotplug), { v9: true }).message).toBe("can't add memory backend for guest node '5' as the guest has only '1' NUMA nodes configured")
    expect(refusal(dom(sgx(), hotplug), { v9: true }).message).toBe("sgx epc isn't supported by this QEMU binary")
  })
  it('a model\'s own checks before the QEMU device it needs (a RISC-V QEMU without NVDIMM, virtio-mem)', () => {
    const rv = capsXml({ arch: 'riscv64', flags: ['pcie-root-port', 'gpex-pcihost', 'virtio-net'], machines: "<machine type='tcg' name='virt' default='yes'/>" })
    const onRv = (memory: string): string => dom(memory, hotplug, 'virt', 'riscv64')
    expect(refusal(onRv("<memory model='nvdimm'><target><size unit='KiB'>262144</size><node>0</node></target></memory>"), { v9: true, caps: rv }).message).toBe("path is required for model 'nvdimm'")
    expect(refusal(onRv("<memory model='virtio-mem'><target><size unit='KiB'>1048576</size><node>0</node><block unit='KiB'>3072</block><requested unit='KiB'>0</requested></target></memory>"), { v9: true, caps: rv }).message).toBe('block size must be a power of two')
    expect(refusal(onRv("<memory model='dimm'><target><size unit='KiB'>262144</size><node>3</node></target></memory>"), { v9: true, caps: rv }).message).toBe("can't add memory backend for guest node '3' as the guest has only '1' NUMA nodes configured")
    expect(refusal(onRv("<memory model='dimm'><target><size unit='KiB'>262144</size><node>0</node></target></memory>"), { v9: true, caps: rv }).message).toBe("memory hotplug isn't supported by this QEMU binary")
  })
})
