// What libvirt's other test data showed when defined on libvirtd 9.0 beside preview (its generic, Xen xl/xm,
// VMware, bhyve and status-XML test domains, retargeted to a QEMU x86_64 guest): each case here was defined on
// the sandbox libvirtd 9.0; the 11.3 words are libvirt's source.
import { describe, expect, it } from 'vitest'
import { capsXml, x86Flags } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (devices: string, extra = '', machine = 'pc'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  ${extra}
  <os><type arch='x86_64' machine='${machine}'>hvm</type></os>
  <devices>${devices}</devices>
</domain>`
const graphicsOf = (xml: string): string => /<graphics[^>]*\/>|<graphics[\s\S]*?<\/graphics>/.exec(xml)![0]

describe('a Xen PV bootloader (xl/xm configurations converted to libvirt XML)', () => {
  it('is refused: libvirt 9.0 in its post-parse, before any address, libvirt 11 while validating the boot settings', () => {
    const bootloader = { name: 'PreviewError', code: 'preview-refused', message: 'bootloader is not supported by QEMU', path: 'domain/bootloader' }
    expect(refusal(dom('', '<bootloader>/usr/bin/pygrub</bootloader>'), { v9: true })).toEqual(bootloader)
    expect(refusal(dom('', '<bootloader>/usr/bin/pygrub</bootloader>'))).toEqual(bootloader)
    expect(refusal(dom('', '<bootloader_args>-q</bootloader_args>'), { v9: true })).toEqual({ ...bootloader, path: 'domain/bootloader_args' })
    // 9.0 refuses it before the PCI addresses it could not assign (a Xen PV machine has no PCI bus)
    expect(refusal(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>", '<bootloader>/usr/bin/pygrub</bootloader>').replace("machine='pc'", "machine='xenpv'"), { v9: true }).message).toBe(bootloader.message)
    // an empty one is none (virXPathString)
    expect(predicts(dom('', '<bootloader/>'))).not.toContain('bootloader')
  })
})

describe("a VNC server's old `socket` attribute", () => {
  it('replaces a first address or network listen, and the port goes with it', () => {
    const vnc = graphicsOf(predicts(dom("<graphics type='vnc' socket='/tmp/v.sock' listen='1.2.3.4' port='5901' autoport='no'><listen type='address' address='1.2.3.4'/><listen type='address' address='5.6.7.8'/></graphics>")))
    expect(vnc).toBe("<graphics type='vnc' socket='/tmp/v.sock'>\n      <listen type='socket' socket='/tmp/v.sock'/>\n      <listen type='address' address='5.6.7.8'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='vnc' socket='/tmp/v.sock'><listen type='network' network='default'/></graphics>")))).toContain("<listen type='socket' socket='/tmp/v.sock'/>")
  })

  it('reads an address on an address listen alone: a none or socket listen drops one (h34-gfx-listen-none-address, libvirtd 9.0)', () => {
    expect(graphicsOf(predicts(dom("<graphics type='vnc' listen='127.0.0.1'><listen type='none' address='127.0.0.1'/></graphics>"), { v9: true }))).toBe("<graphics type='vnc'>\n      <listen type='none'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='vnc'><listen type='socket' address='10.1.1.1' socket='/tmp/v.sock'/></graphics>"), { v9: true }))).toBe("<graphics type='vnc' socket='/tmp/v.sock'>\n      <listen type='socket' socket='/tmp/v.sock'/>\n    </graphics>")
    // (the near miss: an address listen keeps it)
    expect(graphicsOf(predicts(dom("<graphics type='vnc'><listen type='address' address='10.1.1.1'/></graphics>"), { v9: true }))).toContain("<listen type='address' address='10.1.1.1'/>")
  })

  it('is dropped before a first listen on nothing; a socket listen has no port', () => {
    expect(graphicsOf(predicts(dom("<graphics type='vnc' socket='/tmp/v.sock' listen='1.2.3.4'><listen type='none'/></graphics>")))).toBe("<graphics type='vnc'>\n      <listen type='none'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='vnc' port='5901' autoport='no'><listen type='socket' socket='/tmp/x.sock'/></graphics>")))).toBe("<graphics type='vnc' socket='/tmp/x.sock'>\n      <listen type='socket' socket='/tmp/x.sock'/>\n    </graphics>")
  })
})

describe("a character device's sources (libvirt's generic chardev tests)", () => {
  it('one source, two for UDP (its connect and bind ends), refused in the parser\'s words', () => {
    expect(refusal(dom("<serial type='tcp'><source mode='connect' host='a' service='1'/><source mode='bind' host='b' service='2'/></serial>"))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'only one source element is allowed for character device', path: 'domain/devices/serial[1]/source[2]',
    })
    expect(refusal(dom("<rng model='virtio'><backend model='egd' type='udp'><source host='a' service='1'/><source mode='bind' service='2'/><source mode='bind' service='3'/></backend></rng>"))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'only two source elements are allowed for character device', path: 'domain/devices/rng[1]/backend/source[3]',
    })
  })

  it("a UDP device's ends: bind first, then connect; the first source of each mode that names something; a connect service required", () => {
    const serial = (sources: string): string => /<serial[\s\S]*?<\/serial>/.exec(predicts(dom(`<serial type='udp'>${sources}</serial>`)))![0]
    expect(serial("<source mode='connect' host='a' service='1'/><source mode='bind' host='b' service='2'/>")).toContain("<source mode='bind' host='b' service='2'/>\n      <source mode='connect' host='a' service='1'/>\n      <target")
    // (a connect source naming nothing leaves the end to the next; what else a source carries is not kept)
    expect(serial("<source mode='connect' path='/x'/><source mode='connect' host='h' service='5'/>")).toContain("<serial type='udp'>\n      <source mode='connect' host='h' service='5'/>\n      <target")
    expect(refusal(dom("<serial type='udp'><source mode='bind' service='2'/></serial>"))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'Missing source service attribute for char device', path: 'domain/devices/serial[1]',
    })
  })
})

describe('cache and memory bandwidth allocations (libvirt\'s generic cachetune and memorytune tests, on a KVM domain)', () => {
  const kvm = (cputune: string, vcpus = 2): string => dom('', `<vcpu>${vcpus}</vcpu><cputune>${cputune}</cputune>`).replace("type='qemu'", "type='kvm'")
  const cputuneOf = (xml: string): string => /<cputune>[\s\S]*?<\/cputune>/.exec(xml)?.[0] ?? ''

  it('are kept per group of vCPUs (clipped to the domain\'s), caches by level, type and id in the largest unit that divides them, every cachetune first', () => {
    const stored = cputuneOf(predicts(kvm("<memorytune vcpus='0-3'><node id='3' bandwidth='10'/><node id='1' bandwidth='100'/></memorytune><cachetune vcpus='0-7'><cache id='1' level='2' type='data' size='1048576' unit='b'/><cache id='0' level='2' type='code' size='2048'/><cache id='0' level='1' type='both' size='0'/></cachetune><cachetune vcpus='9'><cache id='0' level='3' type='both' size='3'/></cachetune>")))
    expect(stored).toBe([
      '<cputune>',
      "    <cachetune vcpus='0-1'>",
      "      <cache id='0' level='1' type='both' size='0' unit='B'/>",
      "      <cache id='0' level='2' type='code' size='2' unit='MiB'/>",
      "      <cache id='1' level='2' type='data' size='1' unit='MiB'/>",
      '    </cachetune>',
      "    <memorytune vcpus='0-1'>",
      "      <node id='1' bandwidth='100'/>",
      "      <node id='3' bandwidth='10'/>",
      '    </memorytune>',
      '  </cputune>',
    ].join('\n'))
  })

  it("are refused as libvirt's parser refuses them, before the QEMU domain's own refusal", () => {
    const parse = (cputune: string, message: string, path: string) => expect(refusal(kvm(cputune).replace("type='kvm'", "type='qemu'"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message, path })
    parse("<cachetune vcpus='0'><cache id='0' level='3' type='code' size='12' unit='KiB'/><cache id='0' level='3' type='both' size='18' unit='KiB'/></cachetune>", "Colliding cache allocations for cache level '3' id '0', type 'both'", 'domain/cputune/cachetune[1]/cache[2]')
    parse("<cachetune vcpus='0'><cache id='0' level='3' type='both' size='1'/></cachetune><cachetune vcpus='0'><cache id='1' level='3' type='both' size='1'/></cachetune>", 'Identical vcpus in cachetunes found', 'domain/cputune/cachetune[2]/@vcpus')
    parse("<cachetune vcpus='0'><cache id='0' level='3' type='both' size='1'/><monitor level='3' vcpus='1'/></cachetune>", 'Monitor vcpus conflicts with allocation', 'domain/cputune/cachetune[1]/monitor[1]/@vcpus')
    parse("<memorytune vcpus='0'><node id='0' bandwidth='20'/><node id='0' bandwidth='30'/></memorytune>", 'Memory Bandwidth already defined for node 0', 'domain/cputune/memorytune[1]/node[2]')
    parse("<cachetune vcpus='0-1'><cache id='0' level='3' type='both' size='1'/></cachetune><memorytune vcpus='1'><node id='0' bandwidth='20'/></memorytune>", 'Overlapping vcpus in resctrls', 'domain/cputune/memorytune[1]/@vcpus')
    parse("<cachetune vcpus='0'><cache id='0' level='3' type='both'/></cachetune>", "missing element or attribute './@size'", 'domain/cputune/cachetune[1]/cache[1]/@size')
    // (one that keeps nothing — its vCPUs all beyond the domain's — is none, and a QEMU domain takes it)
    expect(cputuneOf(predicts(kvm("<cachetune vcpus='7'><cache id='0' level='3' type='both' size='3'/></cachetune>").replace("type='kvm'", "type='qemu'")))).toBe('')
    expect(refusal(kvm("<cachetune vcpus='1'><cache id='0' level='3' type='both' size='3'/></cachetune>").replace("type='kvm'", "type='qemu'")).message).toBe('cachetune is only supported for KVM domains')
  })
})

describe("a disk's encryption (libvirt's domain schema tests: an old qcow one)", () => {
  const disk = (encryption: string, inSource = false): string => dom(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.img'>${inSource ? encryption : ''}</source><target dev='vdb' bus='virtio'/>${inSource ? '' : encryption}</disk>`)
  const secret = (uuid = 'e78d4b51-a2af-485f-b0f5-afca709a80f4') => `<secret type='passphrase' uuid='${uuid}'/>`

  it('has a format libvirt knows (parse)', () => {
    expect(refusal(disk(`<encryption>${secret()}</encryption>`))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'unknown volume encryption format', path: 'domain/devices/disk[1]/encryption/@format' })
    expect(refusal(disk("<encryption format='bogus'/>", true))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'unknown volume encryption format type bogus', path: 'domain/devices/disk[1]/source/encryption/@format' })
    // (libvirt 11 knows luks-any; 9.0 does not)
    expect(refusal(disk("<encryption format='luks-any'/>"), { v9: true }).message).toBe('unknown volume encryption format type luks-any')
  })

  it("is never qcow's old one; QEMU's engine takes LUKS alone, one secret (libvirt 11); librbd's an RBD source", () => {
    const refused = { name: 'PreviewError', code: 'preview-refused' }
    expect(refusal(disk(`<encryption format='qcow'>${secret()}</encryption>`))).toEqual({ ...refused, message: 'old qcow/qcow2 encryption is not supported', path: "domain/devices/disk[target/@dev='vdb']/encryption/@format" })
    expect(refusal(disk("<encryption format='default'/>")).message).toBe('old qcow/qcow2 encryption is not supported')
    expect(refusal(disk(`<encryption format='luks2'>${secret()}</encryption>`), { v9: true }).message).toBe('luks2 is currently not supported by the qemu encryption engine')
    expect(refusal(disk(`<encryption format='luks2'>${secret()}</encryption>`)).message).toBe("'luks2' is currently not supported by the qemu encryption engine")
    expect(refusal(disk(`<encryption format='luks'>${secret()}${secret('e78d4b51-a2af-485f-b0f5-afca709a80f5')}</encryption>`)).message).toBe('qemu encryption engine expects only a single secret')
    expect(predicts(disk(`<encryption format='luks'>${secret()}${secret('e78d4b51-a2af-485f-b0f5-afca709a80f5')}</encryption>`), { v9: true })).toContain("<encryption format='luks' engine='qemu'>")
    expect(refusal(disk(`<encryption format='luks' engine='librbd'>${secret()}</encryption>`), { v9: true }).message).toBe('librbd encryption is not supported by this QEMU binary')
    expect(refusal(disk(`<encryption format='luks' engine='librbd'>${secret()}</encryption>`), { v9: true, caps: capsXml({ flags: [...x86Flags, 'rbd-encryption'] }) }).message).toBe('librbd encryption is supported only with RBD backed disks')
  })
})

describe("what a definition converted from VMware, or read from libvirt's state, holds", () => {
  it('a disk without <source> is a file, whatever type it says (an empty block or directory CD-ROM; a LUN then refused)', () => {
    expect(predicts(dom("<disk type='block' device='cdrom'><target dev='hda' bus='ide'/><readonly/></disk>"))).toContain("<disk type='file' device='cdrom'>")
    expect(predicts(dom("<disk type='dir' device='cdrom'><target dev='hda' bus='ide'/></disk>"))).toContain("<disk type='file' device='cdrom'>")
    expect(refusal(dom("<disk type='block' device='lun'><target dev='sda' bus='scsi'/></disk>")).message).toBe("disk device='lun' is only valid for block type disk source")
    expect(refusal(dom("<disk type='vhostuser' device='disk'><target dev='vda' bus='virtio'/></disk>")).message).toBe('missing source information for device vda')
    // (a network source of protocol none is no medium either: refused on a disk, kept on a CD-ROM — the odd-form search, seed
    // 631; h34-disk-protocol-none, libvirtd 9.0)
    expect(refusal(dom("<disk type='network' device='disk'><source protocol='none' name='pool/image'/><target dev='vdb' bus='virtio'/></disk>"), { v9: true }).message).toBe('missing source information for device vdb')
    expect(predicts(dom("<disk type='network' device='cdrom'><source protocol='none' name='pool/image'/><target dev='sdb' bus='sata'/></disk>"), { v9: true })).toContain("<source protocol='none' name='pool/image'/>")
    // (an empty <source/> keeps the type)
    expect(predicts(dom("<disk type='block' device='cdrom'><source/><target dev='hda' bus='ide'/></disk>"))).toContain("<disk type='block' device='cdrom'>")
  })

  it("a status file's <privateData> is not read at define", () => {
    const xml = predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2' index='3'><privateData><nodenames><nodename type='storage' name='libvirt-3-storage'/></nodenames></privateData></source><target dev='vda' bus='virtio'/><privateData><qom name='/machine/peripheral/virtio-disk1/virtio-backend'/></privateData></disk>"))
    expect(xml).not.toContain('privateData')
    expect(xml).toContain("<source file='/a.qcow2'/>")
  })
})

describe("a VMware distributed switch's port (libvirt's VMware converter tests)", () => {
  const vds = (source: string): string => dom(`<interface type='vds'><mac address='00:50:56:87:65:43'/><source ${source}/><model type='e1000e'/></interface>`)
  const sourceOf = (xml: string): string => /<source switchid[^>]*\/>/.exec(xml)![0]

  it('libvirt 9.0 requires the switch, port, port group and connection; 11 the switch alone, the ids then 0', () => {
    expect(refusal(vds("switchid='503426b2-94e9-3b16-1d68-87bfff4a5440'"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Missing required attribute 'portid' in element 'source'", path: "domain/devices/interface[@type='vds']/source/@portid" })
    expect(sourceOf(predicts(vds("switchid='503426b2-94e9-3b16-1d68-87bfff4a5440'")))).toBe("<source switchid='503426b2-94e9-3b16-1d68-87bfff4a5440' portid='0' connectionid='0'/>")
  })

  it('reads the switch as a UUID and the ids as long long integers in any base, writing them back in its form and order', () => {
    expect(sourceOf(predicts(vds("connectionid=' -3' portgroupid='pg' portid='0x10' switchid='503426B2-94e9-3b16-1d68-87bfff4a5440'"), { v9: true }))).toBe("<source switchid='503426b2-94e9-3b16-1d68-87bfff4a5440' portid='16' portgroupid='pg' connectionid='-3'/>")
    expect(refusal(vds("switchid='nope'")).message).toBe("Invalid value for attribute 'switchid' in element 'source': 'nope'. Expected UUID")
    expect(refusal(vds("switchid='503426b2-94e9-3b16-1d68-87bfff4a5440' portid='x'")).message).toBe("Invalid value for attribute 'portid' in element 'source': 'x'. Expected long long integer value")
  })
})

describe("controllers and consoles of other hypervisors' definitions (Xen, bhyve, LXC)", () => {
  it('a Xen bus or ISA controller asks for a PCI slot no bus can give (libvirt gives such controllers no connect flags)', () => {
    for (const type of ['xenbus', 'isa']) {
      for (const machine of ['pc', 'q35']) {
        expect(refusal(dom(`<controller type='${type}'/>`, '', machine))).toMatchObject({ code: 'preview-refused', message: 'Cannot automatically add a new PCI bus for a device with connect flags 00' })
      }
    }
    // (one written with an address of its own asks for nothing)
    expect(predicts(dom("<controller type='isa' index='0'><address type='isa' iobase='0x100'/></controller>"))).toContain("<controller type='isa' index='0'>")
  })

  it("a console's target QEMU has: serial, virtio, SCLP where QEMU has it — never LXC, OpenVZ, UML or Xen", () => {
    for (const type of ['lxc', 'openvz', 'uml', 'xen']) expect(refusal(dom(`<console type='pty'><target type='${type}' port='0'/></console>`))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: `unsupported console target type ${type}`, path: 'domain/devices/console/target/@type' })
    expect(refusal(dom("<console type='pty'><target type='sclp'/></console>")).message).toBe('sclpconsole is not supported in this QEMU binary')
    expect(predicts(dom("<console type='pty'><target type='virtio'/></console>"))).toContain("<target type='virtio' port='0'/>")
  })
})

describe("libvirt 11.3's test inputs defined on libvirtd 9.0 (what 9.0 reads otherwise)", () => {
  it('an empty <nvram> beside an autoselected firmware is none', () => {
    expect(predicts(dom('', "<features><acpi/></features>", 'q35').replace("<os><type arch='x86_64' machine='q35'>hvm</type></os>", "<os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type><nvram format='qcow2'/></os>"), { v9: true })).not.toContain('<nvram')
  })

  it("a display and a ramfb are a mediated device's alone", () => {
    const pci = "<hostdev mode='subsystem' type='pci' display='on' ramfb='on'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>"
    expect(predicts(dom(pci), { v9: true })).toContain("<hostdev mode='subsystem' type='pci' managed='no'>")
  })

  it("9.0 refuses a restrictive memory's other memnode modes as it reads them, and not the other way round", () => {
    const numa = (memory: string, memnode: string): string => dom('', `<vcpu>2</vcpu><numatune><memory mode='${memory}' nodeset='0'/><memnode cellid='0' mode='${memnode}' nodeset='0'/></numatune><cpu><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/></numa></cpu>`)
    expect(refusal(numa('restrictive', 'strict'), { v9: true })).toMatchObject({ message: "'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element", path: 'domain/numatune/memnode[1]/@mode' })
    expect(predicts(numa('interleave', 'restrictive'), { v9: true })).toContain("<memnode cellid='0' mode='restrictive' nodeset='0'/>")
    expect(refusal(numa('interleave', 'restrictive')).message).toBe("'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element")
  })
})

describe("libvirt 9.0's own test inputs defined on libvirtd 9.0", () => {
  const i386 = capsXml({ arch: 'i686', flags: x86Flags.filter((f) => f !== 'cpu.migratable') }).replace(/x86_64/g, 'i386').replace('<arch>i386</arch>', '<arch>i686</arch>')
  const i686 = (cpu: string): string => dom('', cpu).replace("arch='x86_64'", "arch='i686'")

  it('a host-passthrough CPU needs QEMU\'s migratable property only when it asks to be migratable; a maximum one never', () => {
    expect(refusal(i686("<cpu mode='host-passthrough' migratable='on'/>"), { caps: i386, v9: true }).message).toBe('Migratable attribute for host-passthrough CPU is not supported by this QEMU binary')
    expect(predicts(i686("<cpu mode='host-passthrough' migratable='off'/>"), { caps: i386, v9: true })).toContain("<cpu mode='host-passthrough' check='none' migratable='off'/>")
    expect(predicts(i686("<cpu mode='maximum' migratable='on'/>"), { caps: i386, v9: true })).toContain("<cpu mode='maximum' check='none' migratable='on'/>")
  })

  it('an SGX EPC memory device needs QEMU to have it (and, as any memory device, memory hot-plug: probed on libvirtd 9.0)', () => {
    const sgx = dom("<memory model='sgx-epc'><target><size unit='KiB'>16384</size></target></memory>", "<maxMemory slots='4'>4194304</maxMemory><cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/></numa></cpu>")
    expect(refusal(sgx, { v9: true })).toMatchObject({ code: 'preview-refused', message: "sgx epc isn't supported by this QEMU binary", path: 'domain/devices/memory[1]/@model' })
  })
})

describe("s390 zPCI ids (libvirt 9.0's test outputs defined again on libvirtd 9.0)", () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'pci-bridge', 'vfio-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
  const onS390 = (devices: string): string => dom(devices).replace("arch='x86_64' machine='pc'", "arch='s390x' machine='s390-ccw-virtio'")
  const hostdev = "<hostdev mode='subsystem' type='pci'><driver name='vfio'/><source><address domain='0x0000' bus='0x00' slot='0x00' function='0x0'/></source><address type='pci' domain='0x0000' bus='0x01' slot='0x1f' function='0x0'/></hostdev>"
  const zpcis = (xml: string): string[] => [...xml.matchAll(/<zpci uid='(0x[0-9a-f]+)' fid='(0x[0-9a-f]+)'\/>/g)].map((m) => `${m[1]} ${m[2]}`)

  it('a bridge written in the domain has one, given after the host devices (virDomainDeviceInfoIterate\'s order); one libvirt 9.0 added has none', () => {
    expect(zpcis(predicts(onS390(`<controller type='pci' index='1' model='pci-bridge'/>${hostdev}`), { caps: s390, v9: true }))).toEqual(['0x0002 0x00000001', '0x0001 0x00000000'])
    expect(zpcis(predicts(onS390(hostdev), { caps: s390, v9: true }))).toEqual(['0x0001 0x00000000'])
  })
})

describe('an LXC container definition given to the QEMU driver', () => {
  it('is refused for its OS type before its console is looked at', () => {
    const lxc = dom("<console type='pty'><target type='lxc' port='0'/></console>").replace("<os><type arch='x86_64' machine='pc'>hvm</type></os>", "<os><type arch='x86_64'>exe</type><init>/sbin/init</init></os>")
    expect(refusal(lxc).message).toBe("Emulator '/usr/bin/qemu-system-x86_64' does not support os type 'exe'")
  })
})

describe('what virt-install writes (its own test outputs, defined on libvirtd 9.0)', () => {
  it('a maximum CPU needs QEMU\'s max model (riscv64 and ppc64 QEMUs of 9.0\'s day lack it)', () => {
    const riscv = capsXml({ arch: 'riscv64', flags: ['gpex-pcihost', 'pcie-root-port', 'virtio-pci-non-transitional'], machines: "<machine type='tcg' name='virt' default='yes'/>" })
    expect(refusal(dom('', "<cpu mode='maximum'/>").replace("arch='x86_64' machine='pc'", "arch='riscv64' machine='virt'"), { caps: riscv, v9: true })).toMatchObject({ code: 'preview-refused', message: 'maximum CPU is not supported by QEMU binary', path: 'domain/cpu/@mode' })
  })

  it("an SMBIOS mode of none is no <smbios>; an unknown mode is refused", () => {
    const smbios = (mode: string): string => dom('').replace('hvm</type></os>', `hvm</type><smbios${mode}/></os>`)
    expect(predicts(smbios(" mode='none'"))).not.toContain('smbios')
    expect(predicts(smbios(''))).not.toContain('smbios')
    expect(predicts(smbios(" mode='host'"))).toContain("<smbios mode='host'/>")
    expect(refusal(smbios(" mode='bogus'"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown smbios mode 'bogus'", path: 'domain/os/smbios/@mode' })
  })
})

describe('an address written on a PCI bus libvirt adds for it (virt-manager\'s test domains)', () => {
  const disk = (address: string, machine: string): string => dom(`<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' ${address} function='0x0'/></disk>`, '', machine)
  it('is checked against that bus once it is added: a pci-bridge has no slot 0, a root port one slot', () => {
    expect(refusal(disk("bus='0x04' slot='0x00'", 'pc'))).toMatchObject({ code: 'preview-invalid-value', message: 'Invalid PCI address 0000:04:00.0. slot must be >= 1' })
    expect(refusal(disk("bus='0x02' slot='0x1f'", 'q35')).message).toBe('Invalid PCI address 0000:02:1f.0. slot must be <= 0')
    expect(predicts(disk("bus='0x04' slot='0x01'", 'pc'))).toContain("<controller type='pci' index='4' model='pci-bridge'>")
    expect(predicts(disk("bus='0x04' slot='0x00'", 'q35'))).toContain("<controller type='pci' index='4' model='pcie-root-port'>")
  })
})

describe("written PCI addresses are checked in virDomainDeviceInfoIterate's order (libvirt 9.0's aarch64 test input)", () => {
  it("a NIC's address is refused before a controller's written before it", () => {
    const xml = dom("<controller type='scsi' index='0' model='virtio-scsi'><address type='pci' domain='0x0000' bus='0x03' slot='0x01' function='0x0'/></controller><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><address type='pci' domain='0x0000' bus='0x03' slot='0x02' function='0x0'/></interface>", '', 'q35')
    expect(refusal(xml).message).toBe('Invalid PCI address 0000:03:02.0. slot must be <= 0')
  })
})

describe("virt-manager's test domains: which refusal comes first, and the domain's own attributes", () => {
  it('a domain without an OS type is refused in the parser\'s words', () => {
    expect(refusal("<domain type='qemu'><name>t</name><memory>524288</memory></domain>")).toEqual({ name: 'PreviewError', code: 'preview-no-os-type', message: 'an os <type> must be specified', path: 'domain/os/type' })
  })

  it('an aarch64 domain with ACPI and no UEFI is refused before its lifecycle actions are', () => {
    const arm = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'cpu-max'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    const xml = dom('', '<features><acpi/></features><on_poweroff>restart</on_poweroff><on_reboot>destroy</on_reboot>').replace("arch='x86_64' machine='pc'", "arch='aarch64' machine='virt'")
    expect(refusal(xml, { caps: arm, v9: true }).message).toBe('ACPI requires UEFI on this architecture')
  })

  it("memory hot-plug without guest NUMA is refused before a firmware config entry's name", () => {
    const xml = dom('', "<maxMemory slots='2' unit='KiB'>2097152</maxMemory><sysinfo type='fwcfg'><entry name='foo'>bar</entry></sysinfo>")
    expect(refusal(xml, { v9: true }).message).toBe('At least one numa node has to be configured when enabling memory hotplug')
  })

  it("a disk's front end (a WWN off IDE and SCSI) is refused before its driver's name", () => {
    const xml = dom("<disk type='file' device='disk'><driver name='test'/><source file='/a.img'/><target dev='vda' bus='virtio'/><wwn>50000c0d6a8e1f2a</wwn></disk>")
    expect(refusal(xml).message).toBe('Only ide and scsi disk support wwn')
  })

  it('writes the domain type before the QEMU namespace, whatever order they came in', () => {
    const xml = dom('').replace("<domain type='qemu'>", '<domain xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" type="qemu">').replace('</domain>', "<qemu:commandline><qemu:arg value='-foo'/></qemu:commandline></domain>")
    expect(predicts(xml).split('\n')[0]).toBe("<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
  })
})

describe('a memory backing\'s enumerations and thread count (the odd-value search edit, on libvirtd 9.0)', () => {
  const backing = (inner: string): string => dom('', `<memoryBacking>${inner}</memoryBacking>`)
  it('refuses a source type, access mode or allocation mode libvirt does not know — their first names too', () => {
    expect(refusal(backing("<source type='none'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown memoryBacking/source/type 'none'", path: 'domain/memoryBacking/source/@type' })
    expect(refusal(backing("<access mode='default'/>")).message).toBe("unknown memoryBacking/access/mode 'default'")
    expect(refusal(backing("<allocation mode='bogus'/>")).message).toBe("unknown memoryBacking/allocation/mode 'bogus'")
    expect(refusal(backing("<allocation mode='immediate' threads='-1'/>"))).toMatchObject({ code: 'preview-invalid-value', message: 'Failed to parse memory allocation threads' })
  })
  it('writes the thread count as libvirt read it', () => {
    expect(predicts(backing("<allocation mode='immediate' threads=' 08'/>"))).toContain("<allocation mode='immediate' threads='8'/>")
  })
})

describe('values the odd-value search edit wrote (seed 234), each defined on libvirtd 9.0', () => {
  it("an empty NIC model is none: the machine's default is taken", () => {
    expect(predicts(dom("<interface type='user'><mac address='52:54:00:00:00:01'/><model type=''/></interface>"))).toContain("<model type='rtl8139'/>")
  })

  it('a video size of 0 is none (its default taken, or none written); a head count of 0 is none; other displays than QXL and virtio have one head', () => {
    expect(predicts(dom("<video><model type='qxl' ram='0' vram64='0' heads='0'/></video>"))).toContain("<model type='qxl' ram='65536' vram='65536' vgamem='16384' primary='yes'/>")
    expect(refusal(dom("<video><model type='vga' heads='0'/></video>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "video type 'vga' doesn't support multiple 'heads'", path: 'domain/devices/video[1]/model/@heads' })
    expect(refusal(dom("<video><model type='cirrus' heads='2'/></video>")).message).toBe("video type 'cirrus' doesn't support multiple 'heads'")
  })

  it("a backing store's empty source path is none: its source is not written", () => {
    const xml = predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/a.qcow2'/><backingStore type='file' index='1'><format type='qcow2'/><source file=''/></backingStore><target dev='vda' bus='virtio'/></disk>"))
    expect(xml).toContain("<backingStore type='file'>\n        <format type='qcow2'/>\n      </backingStore>")
  })

  it('a firmware or NVRAM path of blanks is a path (libvirt does not trim it)', () => {
    const efi = (os: string): string => dom('', '<features><acpi/></features>', 'q35').replace('hvm</type></os>', `hvm</type>${os}</os>`)
    expect(predicts(efi("<loader readonly='yes' type='pflash'> </loader><nvram>/path/to/guest_VARS.fd</nvram>"), { v9: true })).toContain("<loader readonly='yes' type='pflash'> </loader>")
    expect(predicts(efi("<loader readonly='yes' type='pflash'> </loader><nvram>/path/to/guest_VARS.fd</nvram>"))).toContain("<loader readonly='yes' type='pflash' format='raw'> </loader>")
    expect(predicts(efi("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader><nvram> </nvram>"), { v9: true })).toContain('<nvram> </nvram>')
    expect(predicts(efi('<loader> </loader>'), { v9: true })).toContain("<loader type='rom'> </loader>")
  })
})

describe("a disk image's storage checks (qemuDomainValidateStorageSource), each defined on libvirtd 9.0", () => {
  const net = (protocol: string, inner: string): string => dom(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='${protocol}' name='a.img'>${inner}</source><target dev='vda' bus='virtio'/></disk>`)
  it('a directory is a read-only FAT image, and FAT a directory\'s format alone', () => {
    expect(refusal(dom("<disk type='dir' device='disk'><source dir='/tmp'/><target dev='vda' bus='virtio'/></disk>")).message).toBe("storage type 'dir' requires use of storage format 'fat'")
    expect(refusal(dom("<disk type='file' device='disk'><driver name='qemu' type='fat'/><source file='/tmp/a'/><target dev='vda' bus='virtio'/></disk>")).message).toBe("storage format 'fat' is supported only with 'dir' storage type")
    expect(predicts(dom("<disk type='dir' device='cdrom'><driver name='qemu' type='fat'/><source dir='/tmp'/><target dev='sda' bus='sata'/></disk>"))).toContain("<disk type='dir' device='cdrom'>")
  })
  it("HTTP cookies in RFC 6265's characters, once each; no TFTP; NFS on one TCP host without a port", () => {
    expect(refusal(net('https', "<host name='h'/><cookies><cookie name='a'>b c</cookie></cookies>"))).toMatchObject({ code: 'preview-invalid-value', message: "value of cookie 'a' contains invalid characters" })
    expect(refusal(net('https', "<host name='h'/><cookies><cookie name='a:b'>d</cookie></cookies>")).message).toBe("cookie name 'a:b' contains invalid characters")
    expect(refusal(net('http', "<host name='h'/><cookies><cookie name='a'>&quot;bc&quot;</cookie><cookie name='a'>d</cookie></cookies>")).message).toBe("duplicate cookie 'a'")
    expect(refusal(net('tftp', "<host name='h'/>")).message).toBe("'tftp' protocol is not supported with this QEMU binary")
    expect(refusal(net('nfs', "<host name='h' port='2049'/>")).message).toBe("port cannot be specified in 'nfs' protocol host")
    expect(refusal(net('nfs', "<host name='h'/><host name='i'/>")).message).toBe("'nfs' protocol requires the usage of exactly one host")
  })
  it('an <ssl> is read for HTTPS and FTPS alone', () => {
    expect(predicts(net('http', "<host name='h'/><ssl verify='no'/>"))).not.toContain('<ssl')
    expect(predicts(net('https', "<host name='h'/><ssl verify='no'/>"))).toContain("<ssl verify='no'/>")
  })
})

describe("a host device's type and a vhost SCSI host's protocol (the odd-value search edit, libvirtd 9.0)", () => {
  it('are read from their enumerations, a protocol required', () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='0' managed='yes'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown host device source address type '0'", path: 'domain/devices/hostdev[1]/@type' })
    expect(refusal(dom("<hostdev mode='capabilities' type='bogus'><source><block>/dev/sdf1</block></source></hostdev>"), { v9: true }).message).toBe("unknown host device source address type 'bogus'")
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='none' wwpn='naa.5123456789abcde0'/></hostdev>"), { v9: true }).message).toBe("Unknown scsi_host subsystem protocol 'none'")
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source wwpn='naa.5123456789abcde0'/></hostdev>"), { v9: true })).toMatchObject({ code: 'preview-invalid-value', message: 'Missing scsi_host subsystem protocol' })
  })
})

describe('more of what the odd-value search edit wrote (seed 235), each defined on libvirtd 9.0', () => {
  it("a socket character device's end is connect or bind", () => {
    expect(refusal(dom("<channel type='unix'><source mode='-1' path='/tmp/x.sock'/><target type='virtio' name='fdsa'/></channel>"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'mode' in element 'source': '-1'.", path: 'domain/devices/channel[1]/source/@mode' })
    // (enumerations are checked with libvirt 9.0's names, which later releases may extend: reproducing 9.0 here)
    expect(refusal(dom("<redirdev bus='usb' type='tcp'><source mode='x' host='a' service='1'/></redirdev>"), { v9: true }).message).toBe("Invalid value for attribute 'mode' in element 'source': 'x'.")
    // (a file's source has no end: its mode is not read)
    expect(predicts(dom("<serial type='file'><source mode='x' path='/tmp/f'/></serial>"))).toContain("<source path='/tmp/f'/>")
  })
  it('an empty clock offset is UTC, adjusted as a UTC one is', () => {
    expect(predicts(dom('', "<clock offset=''/>"))).toContain("<clock offset='utc'/>")
    expect(predicts(dom('', "<clock offset='' adjustment='10'/>"))).toContain("<clock offset='variable' adjustment='10' basis='utc'/>")
  })
})

describe('the odd-value search edit, seed 236 (libvirtd 9.0)', () => {
  it("a redirected device's bus, when written, is usb — an empty one too is refused", () => {
    expect(refusal(dom("<redirdev bus='' type='spicevmc'/><graphics type='spice'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown redirdev bus ''", path: 'domain/devices/redirdev[1]/@bus' })
  })
  it("an IP address's family is the address's own when the one written is neither ipv4 nor ipv6", () => {
    expect(predicts(dom("<interface type='user'><mac address='52:54:00:00:00:01'/><ip address='10.0.3.0' family='IPV4' prefix='24'/></interface>"))).toContain("<ip address='10.0.3.0' family='ipv4' prefix='24'/>")
  })
})

describe('the stray-element search edit, seed 238 (libvirtd 9.0)', () => {
  it("a 64-bit PCI hole is a PCI controller's alone", () => {
    expect(predicts(dom("<controller type='usb' index='0'><pcihole64 unit='KiB'>1048576</pcihole64></controller>"))).not.toContain('pcihole64')
  })
})

describe("oVirt's (vdsm's) test domains on libvirtd 9.0", () => {
  it("an empty disk serial, WWN, vendor or product is none", () => {
    const xml = predicts(dom("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='sda' bus='scsi'/><serial></serial><wwn></wwn><vendor></vendor><product/></disk>"))
    expect(xml).not.toMatch(/<serial|<wwn|<vendor|<product/)
  })
})

describe('the odd-value search edit, seed 239 (libvirtd 9.0)', () => {
  it("a CPU's migratable switch is on or off; a network NVRAM's protocol is one libvirt knows", () => {
    expect(refusal(dom('', "<cpu mode='host-passthrough' migratable='onx'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'migratable' in element 'cpu': 'onx'.", path: 'domain/cpu/@migratable' })
    const nvram = dom('', '<features><acpi/></features>', 'q35').replace('hvm</type></os>', "hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader><nvram type='network'><source protocol='iscsi ' name='iqn.2013-07.com.example:iscsi-nopool/0'><host name='example.com' port='6000'/></source></nvram></os>")
    expect(refusal(nvram, { v9: true }).message).toBe("Invalid value for attribute 'protocol' in element 'source': 'iscsi '.")
  })
})

describe("a disk with an address whose target name does not read (the odd-value search edit, libvirtd 9.0)", () => {
  it("is refused in the QEMU driver's words when the name has a disk prefix, in the generic words when it has none", () => {
    const disk = (dev: string): string => dom(`<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='${dev}' bus='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></disk>`)
    expect(refusal(disk('vda ')).message).toBe("invalid disk target 'vda '")
    expect(refusal(disk('vda01')).message).toBe("invalid disk target 'vda01'")
    expect(refusal(disk('zz')).message).toBe('Invalid harddisk device name: zz')
  })
})

describe('the odd-value search edit, seed 243 (libvirtd 9.0)', () => {
  const nic = (ip: string): string => dom(`<interface type='user'><mac address='52:54:00:00:00:01'/><ip address='${ip}'/></interface>`)
  const ipOf = (xml: string): string => /<ip [^>]*\/>/.exec(xml)![0]
  it("an interface's IP address is numeric, written back as libvirt formats it", () => {
    expect(refusal(nic('zz'))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid address 'zz' in <ip>", path: 'domain/devices/interface[1]/ip/@address' })
    expect(refusal(nic('1::2::3')).message).toBe("Invalid address '1::2::3' in <ip>")
    expect(ipOf(predicts(nic('10.1')))).toBe("<ip address='10.0.0.1' family='ipv4'/>")
    expect(ipOf(predicts(nic('0x0a.1.2.3')))).toBe("<ip address='10.1.2.3' family='ipv4'/>")
    expect(ipOf(predicts(nic('2001:DB8:0:0:1:0:0:1')))).toBe("<ip address='2001:db8::1:0:0:1' family='ipv6'/>")
    expect(ipOf(predicts(nic('::ffff:1.2.3.4')))).toBe("<ip address='::ffff:1.2.3.4' family='ipv6'/>")
  })
  it("a hub's type is usb; a TCP character device's protocol one libvirt knows", () => {
    expect(refusal(dom("<hub type='zz'/>")).message).toBe("unknown hub device type 'zz'")
    expect(refusal(dom("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='2001'/><protocol type='-1'/></serial>"), { v9: true })).toMatchObject({ code: 'preview-refused', message: "Unknown protocol '-1'" })
    // (11.3's virXMLPropEnum: seen on libvirtd 11.3)
    expect(refusal(dom("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='2001'/><protocol type='-1'/></serial>"))).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'type' in element 'protocol': '-1'." })
  })
  it("the QEMU namespace's checks see a default-namespace <commandline> as they see a prefixed one", () => {
    const xml = dom('').replace('</domain>', "<commandline xmlns='http://libvirt.org/schemas/domain/qemu/1.0'><env name=' NS' value='ns'/></commandline></domain>")
    expect(refusal(xml).message).toBe('Invalid environment name, it must begin with a letter or underscore')
  })
})

describe("a virtual port's type and ids (the odd-value search edit, seed 246; libvirtd 9.0)", () => {
  const direct = (port: string): string => dom(`<interface type='direct'><mac address='52:54:00:00:00:01'/><source dev='eth0' mode='vepa'/>${port}</interface>`)
  it("are read as virNetDevVPortProfileParse reads them, and written as it formats them", () => {
    expect(refusal(direct("<virtualport type='openvswitch'><parameters interfaceid='zz'/></virtualport>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'cannot parse interfaceid parameter as a uuid', path: 'domain/devices/interface[1]/virtualport/parameters/@interfaceid' })
    expect(refusal(direct("<virtualport type='bogus'/>"))).toMatchObject({ code: 'preview-refused', message: 'unknown virtualport type bogus' })
    expect(refusal(direct("<virtualport type='802.1Qbg'><parameters managerid='0x100'/></virtualport>")).message).toBe('value of managerid out of range')
    expect(refusal(direct(`<virtualport type='802.1Qbh'><parameters profileid='${'p'.repeat(40)}'/></virtualport>`)).message).toBe('profileid parameter too long')
    expect(predicts(direct("<virtualport type='802.1Qbg'><parameters managerid='0x10' typeid='010' typeidversion='1' instanceid='c7a5fdbd-edaf-9455-926a-d65c16db1809'/></virtualport>"))).toContain("managerid='16' typeid='8' typeidversion='1'")
  })
})

describe('the odd-value search edit, seeds 250–251 (libvirtd 9.0)', () => {
  it("a watchdog's model, then its action, from their enumerations (9.0's words, 11's virXMLPropEnum's; seed 286)", () => {
    expect(refusal(dom("<watchdog model='ib700' action='0'/>"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown watchdog action '0'", path: 'domain/devices/watchdog[1]/@action' })
    expect(refusal(dom("<watchdog model='ib700' action='0'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'action' in element 'watchdog': '0'.", path: 'domain/devices/watchdog[1]/@action' })
    expect(refusal(dom("<watchdog model='IB700' action='0'/>"), { v9: true }).message).toBe("unknown watchdog model 'IB700'")
    expect(refusal(dom("<watchdog model='itco'/>"), { v9: true }).message).toBe("unknown watchdog model 'itco'")
    expect(refusal(dom("<watchdog model='IB700'/>")).message).toBe("Invalid value for attribute 'model' in element 'watchdog': 'IB700'.")
  })
  it("an interface's routes: a numeric address and gateway, in the side's words", () => {
    expect(refusal(dom("<interface type='ethernet'><mac address='52:54:00:00:00:01'/><source><ip address='192.168.125.1' prefix='24'/><route family='ipv4' address='10.20.0.0x' prefix='16' gateway='192.168.125.2'/></source></interface>")).message).toBe("interface host IP: Bad network address '10.20.0.0x' in route definition")
    expect(refusal(dom("<interface type='ethernet'><mac address='52:54:00:00:00:01'/><route address='10.21.0.0' prefix='16' gateway='zz'/></interface>")).message).toBe("guest interface: Bad gateway address 'zz' in route definition")
  })
  it("a custom CPU's model of no name is none: the machine's default model is written", () => {
    expect(predicts(dom('', "<cpu mode='custom' match='exact'><model fallback='allow'></model></cpu>"))).toContain("<model fallback='forbid'>qemu64</model>")
  })
  it("a firmware feature's name from its enumeration", () => {
    const xml = dom('', '<features><acpi/></features>', 'q35').replace("<os><type arch='x86_64' machine='q35'>hvm</type></os>", "<os firmware='efi'><firmware><feature name='-1' enabled='no'/></firmware><type arch='x86_64' machine='q35'>hvm</type></os>")
    expect(refusal(xml, { v9: true }).message).toBe("Invalid value for attribute 'name' in element 'feature': '-1'.")
  })
})

describe('the odd-value search edit, seed 252 (libvirtd 9.0)', () => {
  it("a vhost SCSI host's WWPN and a disk's WWN are WWNs", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0x'/></hostdev>"))).toMatchObject({ code: 'preview-invalid-value', message: "malformed 'wwpn' value" })
    expect(refusal(dom("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost'/></hostdev>")).message).toBe('missing vhost-scsi hostdev source wwpn')
    expect(refusal(dom("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='sda' bus='scsi'/><wwn>zz</wwn></disk>")).message).toBe('Malformed wwn: zz')
    expect(predicts(dom("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='sda' bus='scsi'/><wwn>0x5000c50015ea71ac</wwn></disk>"))).toContain('<wwn>0x5000c50015ea71ac</wwn>')
  })
  it("a display's listen type from its enumeration; an RBD name split into pool and image, an empty one too", () => {
    expect(refusal(dom("<graphics type='vnc'><listen type=' address'/></graphics>"), { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'listen': ' address'.")
    expect(refusal(dom("<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name=''><host name='h'/></source><target dev='vda' bus='virtio'/></disk>")).message).toBe("can't split path '' into pool name and image name")
  })
})

describe('the odd-value search edit, seed 256 (libvirtd 9.0): a 0 the formatter does not write back', () => {
  // (each defined on the sandbox libvirtd 9.0 and read back: the same in 11.3's domain_conf.c)
  it("a disk's queues, rotation rate and block sizes, a controller's and a NIC's driver numbers: gone, and a <driver> or <blockio> left empty with them", () => {
    const disks = predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='raw' queues='0' queue_size='00'/><source file='/tmp/a.img'/><target dev='sda' bus='scsi' rotation_rate='0'/><blockio logical_block_size='0' physical_block_size='0'/></disk><disk type='file' device='disk'><driver queues='0'/><source file='/tmp/b.img'/><target dev='vda' bus='virtio'/><blockio logical_block_size='512' physical_block_size='0'/></disk>"))
    expect(disks).toContain("<driver name='qemu' type='raw'/>\n      <source file='/tmp/a.img'/>\n      <target dev='sda' bus='scsi'/>\n      <address")
    // (post-parse then gives the emptied <driver> its name and format again, as libvirt's does)
    expect(disks).toContain("<driver name='qemu' type='raw'/>\n      <source file='/tmp/b.img'/>\n      <blockio logical_block_size='512'/>\n      <target dev='vda' bus='virtio'/>")
    const drivers = predicts(dom("<controller type='scsi' model='virtio-scsi'><driver queues='0' cmd_per_lun='0' max_sectors='0'/></controller><interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><driver queues='0' rx_queue_size='0' tx_queue_size='0'/></interface><interface type='user'><mac address='52:54:00:11:22:34'/><model type='virtio'/><driver name='qemu' queues='0'/></interface>"))
    expect(drivers).not.toContain('queues=')
    expect(drivers).toContain("<model type='virtio'/>\n      <driver name='qemu'/>")
    expect(drivers).toMatch(/<controller type='scsi' index='0' model='virtio-scsi'>\n\s*<address/)
    // (a number that is not 0 stays, as libvirt writes it)
    expect(predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='raw' queues='02'/><source file='/tmp/a.img'/><target dev='vda' bus='virtio'/></disk>"))).toContain("<driver name='qemu' type='raw' queues='2'/>")
  })

  it("an audio backend's buffer count and latency, an IOMMU's address width, a VNC websocket port, timer catch-up limits, a vCPU's order, a lease offset", () => {
    expect(predicts(dom("<sound model='ich9'/><audio id='1' type='pulseaudio'><input latency='0'/><output latency='+0'/></audio>"))).toContain("<audio id='1' type='pulseaudio'/>")
    expect(predicts(dom("<audio id='1' type='oss'><input dev='/dev/dsp' bufferCount='0'/></audio>"))).toContain("<input dev='/dev/dsp'/>")
    expect(predicts(dom("<iommu model='intel'><driver aw_bits='0'/></iommu>", '', 'q35'))).toContain("<iommu model='intel'/>")
    expect(graphicsOf(predicts(dom("<graphics type='vnc' websocket='0'/>")))).not.toContain('websocket')
    expect(graphicsOf(predicts(dom("<graphics type='vnc' websocket='-1'/>")))).toContain("websocket='-1'")
    const settings = predicts(dom('', "<vcpu current='1'>2</vcpu><vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='0'/><vcpu id='1' enabled='no' hotpluggable='yes' order='0'/></vcpus><clock offset='utc'><timer name='rtc' tickpolicy='catchup'><catchup threshold='0' slew='0' limit='0'/></timer></clock>"))
    expect(settings).toContain("<vcpu id='0' enabled='yes' hotpluggable='no'/>")
    expect(settings).toContain("<timer name='rtc' tickpolicy='catchup'/>")
    expect(predicts(dom("<lease><lockspace>s</lockspace><key>k</key><target path='/tmp/l' offset='00'/></lease>"))).toContain("<target path='/tmp/l'/>")
  })
})

describe('the odd-value search edit, seed 258 (libvirtd 9.0): a secret names its volume by a UUID or a usage', () => {
  const rbd = (inside: string, auth = ''): string => dom(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/image'><host name='mon1.example.org' port='6321'/>${inside}</source>${auth}<target dev='vda' bus='virtio'/></disk>`)
  const encrypted = (secrets: string): string => rbd(`<encryption format='luks' engine='librbd'>${secrets}</encryption>`)
  it("an encryption's secrets, each in order: its type, then one UUID libvirt reads or one usage", () => {
    expect(refusal(encrypted("<secret type='passphrase' uuid='-1'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "invalid secret uuid '-1'", path: 'domain/devices/disk[1]/source/encryption/secret[1]/@uuid' })
    expect(refusal(encrypted("<secret type='passphrase'/>")).message).toBe('missing secret uuid or usage attribute')
    expect(refusal(encrypted("<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f' usage='x'/>")).message).toBe('either secret uuid or usage expected')
    expect(refusal(encrypted("<secret uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"))).toMatchObject({ code: 'preview-invalid-value', message: 'unknown volume encryption secret type' })
    expect(refusal(encrypted("<secret type='pass' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"))).toMatchObject({ code: 'preview-refused', message: 'unknown volume encryption secret type pass' })
    expect(refusal(encrypted("<secret type='passphrase' usage='vol'/><secret type='passphrase' uuid='zz'/>")).path).toBe('domain/devices/disk[1]/source/encryption/secret[2]/@uuid')
    // (a UUID virUUIDParse reads is written in virUUIDFormat's form)
    expect(predicts(dom("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/a.qcow2'><encryption format='luks'><secret type='passphrase' uuid='0A81F5B284037B23C8D621CCC2F80D6F'/></encryption></source><target dev='vda' bus='virtio'/></disk>"))).toContain("<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>")
  })
  it("an <auth>'s secret the same way", () => {
    expect(refusal(rbd('', "<auth username='u'><secret type='ceph' uuid='-1'/></auth>")).message).toBe("invalid secret uuid '-1'")
    expect(refusal(rbd('', "<auth username='u'><secret type='ceph'/></auth>")).message).toBe('missing secret uuid or usage attribute')
    expect(refusal(rbd('', "<auth username='u'><secret type='ceph' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f' usage='x'/></auth>")).message).toBe('either secret uuid or usage expected')
    expect(predicts(rbd('', "<auth username='u'><secret type='ceph' usage='mypassid'/></auth>"))).toContain("<secret type='ceph' usage='mypassid'/>")
  })
})

describe('the odd-value search edit, seed 259 (libvirtd 9.0)', () => {
  it("a custom CPU's features need a model: an empty <model> is none", () => {
    expect(refusal(dom('', "<cpu match='strict'><model></model><feature name='vmx' policy='optional'/></cpu>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'Non-empty feature list specified without CPU model', path: 'domain/cpu/feature' })
  })
})

describe('the odd-value search edit, seed 261 (aarch64, libvirtd 9.0)', () => {
  it('no machine type (an empty one too) is the first the capabilities list for the virt type, whether or not QEMU names a default', () => {
    const machines = `
  <machine type='tcg' name='pc-q35-9.9' alias='q35' hotplugCpus='yes' maxCpus='288' defaultCPU='qemu64-x86_64-cpu'/>
  <machine type='tcg' name='pc-i440fx-9.9' alias='pc' hotplugCpus='yes' maxCpus='255' defaultCPU='qemu64-x86_64-cpu'/>
  <cpu type='tcg' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>`
    const caps = capsXml({ machines })
    expect(predicts(dom('').replace("machine='pc'", "machine=''"), { caps })).toContain("<type arch='x86_64' machine='pc-q35-9.9'>hvm</type>")
    expect(predicts(dom('').replace(" machine='pc'", ''), { caps })).toContain("machine='pc-q35-9.9'")
    // (with QEMU's default listed first, as a cache file lists it, that one)
    expect(predicts(dom('').replace(" machine='pc'", ''))).toContain("machine='pc-i440fx-9.9'")
  })
})

describe('the stray-attribute search edit, seed 263 (libvirtd 9.0)', () => {
  it("a filesystem's source is read by the filesystem's type: a mount's `dev` is not read, nor written back", () => {
    const fs = /<filesystem[\s\S]*?<\/filesystem>/.exec(predicts(dom("<filesystem type='mount' accessmode='passthrough'><source dir='/export/fs1' dev='vda'/><target dir='fs1'/></filesystem>")))![0]
    expect(fs).toContain("<source dir='/export/fs1'/>")
  })
})

describe('the odd-value search edit, seed 266 (libvirtd 9.0)', () => {
  it("a CPU model's empty fallback is none: allow", () => {
    expect(predicts(dom('', "<cpu mode='custom' match='exact'><model fallback=''>qemu64</model></cpu>"))).toContain("<model fallback='allow'>qemu64</model>")
  })
})

describe('the odd-value search edit, seed 266 (libvirtd 9.0): a route by its family; no vCPUs', () => {
  const routed = (route: string): string => dom(`<interface type='ethernet'><mac address='52:54:00:00:7d:00'/><source><ip address='192.168.125.1' family='ipv4' prefix='24'/>${route}</source><model type='rtl8139'/></interface>`)
  it("a route's family, netmask and prefix, and its address the network's, in virNetDevIPRouteCreate's words", () => {
    const message = (route: string): string => refusal(routed(route)).message
    expect(refusal(routed("<route family=' ipv4' address='10.20.0.0' prefix='16' gateway='192.168.125.2'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "interface host IP: Unrecognized family ' ipv4' in route definition", path: 'domain/devices/interface[1]/source/route/@family' })
    expect(message("<route address='10.20.0.1' prefix='16' gateway='192.168.125.2'/>")).toBe("interface host IP: Address '10.20.0.1' in route definition is not a network address")
    expect(message("<route address='10.20.0.0' gateway='192.168.125.2'/>")).toBe("interface host IP: Address '10.20.0.0' in route definition is not a network address")
    expect(message("<route address='10.20.0.0' netmask='255.255.0.0' prefix='16' gateway='192.168.125.2'/>")).toBe('interface host IP: Route definition cannot have both a prefix and a netmask')
    expect(message("<route address='10.20.0.0' netmask='ffff::' gateway='192.168.125.2'/>")).toBe("interface host IP: Invalid netmask 'ffff::' for address '10.20.0.0' (both must be IPv4)")
    expect(message("<route address='10.20.0.0' prefix='33' gateway='192.168.125.2'/>")).toBe('interface host IP: Invalid prefix 33 specified in route definition, must be 0 - 32')
    expect(message("<route address='fd00::' prefix='16' gateway='192.168.125.2'/>")).toBe("interface host IP: No family specified for non-IPv4 address 'fd00::' in route definition")
    // (libvirt names the address where the gateway is not IPv4)
    expect(message("<route address='10.20.0.0' prefix='16' gateway='fd00::1'/>")).toBe("interface host IP: No family specified for non-IPv4 gateway '10.20.0.0' in route definition")
    expect(message("<route family='ipv6' address='fd00::1' prefix='16' gateway='fd00::1'/>")).toBe("interface host IP: Address 'fd00::1' in route definition is not a network address")
    expect(message("<route family='ipv6' address='fd00::' prefix='129' gateway='fd00::1'/>")).toBe('interface host IP: Invalid prefix 129 specified in route definition, must be 0 - 128')
    expect(message("<route family='ipv6' address='10.0.0.0' prefix='8' gateway='fd00::1'/>")).toBe("interface host IP: ipv6 family specified for non-IPv6 address '10.0.0.0' in route definition")
    for (const route of ["<route address='0.0.0.0' gateway='192.168.125.2'/>", "<route address='10.20.0.0' netmask='255.255.0.0' gateway='192.168.125.2'/>", "<route family='ipv6' address='fd00::' prefix='16' gateway='fd00::1'/>"]) {
      expect(predicts(routed(route))).toContain('<route')
    }
  })
  it('no vCPUs is refused where the parser checks the NUMA cells against them, before the lifecycle actions and the devices', () => {
    expect(refusal(dom("<memballoon model=''/>", '<vcpu>0</vcpu><on_poweroff>DESTROY</on_poweroff>'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'CPU IDs in <numa> exceed the <vcpu> count', path: 'domain/cpu/numa' })
  })
})

describe('the odd-value search edit, seed 266 (libvirtd 9.0): user namespace ID maps', () => {
  it("are read by virXPathUInt (its words), validated as maps of root, and kept user maps first, each sorted by start", () => {
    const idmap = (maps: string): string => dom('', maps)
    expect(refusal(idmap("<idmap><uid start='0' target='1000' count='-1'/><gid start='0' target='1000' count='10'/></idmap>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'invalid idmap start/target/count settings', path: 'domain/idmap/uid[1]/@count' })
    expect(refusal(idmap("<idmap><uid start='0' target='1000'/><gid start='0' target='1000' count='10'/></idmap>")).message).toBe('invalid idmap start/target/count settings')
    expect(refusal(idmap("<idmap><uid start='0' target='1000' count='10 '/><gid start='0' target='1000' count='10'/></idmap>")).message).toBe('invalid idmap start/target/count settings')
    expect(refusal(idmap("<idmap><gid start='0' target='1000' count='10'/></idmap>"))).toMatchObject({ code: 'preview-refused', message: 'uid and gid should be mapped both' })
    expect(refusal(idmap("<idmap><uid start='5' target='1000' count='10'/><gid start='0' target='1000' count='10'/></idmap>")).message).toBe('You must map the root user of container')
    expect(predicts(idmap("<idmap><uid start='1000' target='2000' count='10'/><gid start='0' target='1000' count=' 10'/></idmap><idmap><uid start='0' target='01000' count='+10'/></idmap>")))
      .toContain("<idmap>\n    <uid start='0' target='1000' count='10'/>\n    <uid start='1000' target='2000' count='10'/>\n    <gid start='0' target='1000' count='10'/>\n  </idmap>")
  })
})

describe('the odd-value search edit, seed 267 (libvirtd 9.0)', () => {
  it("a file character device's append switch is read as on or off", () => {
    expect(refusal(dom("<serial type='file'><source path='/tmp/serial.log' append=' '/><target port='0'/></serial>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'append' in element 'source': ' '.", path: 'domain/devices/serial[1]/source/@append' })
    expect(predicts(dom("<serial type='file'><source path='/tmp/serial.log' append='on'/><target port='0'/></serial>"))).toContain("<source path='/tmp/serial.log' append='on'/>")
  })
})

describe('the odd-value search edit, seed 271 (libvirtd 9.0): two faults in one element, the one its parser reads first', () => {
  it("a timer's name before whether it is present; an audio backend's type before its id", () => {
    expect(refusal(dom('', "<clock offset='utc'><timer name='HYPERVCLOCK' present='YES'/></clock>"), { v9: true }).message).toBe("Invalid value for attribute 'name' in element 'timer': 'HYPERVCLOCK'.")
    expect(refusal(dom("<audio id='1 ' type='-1'/>"), { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'audio': '-1'.")
    expect(refusal(dom("<sound model='ich9'/><audio id='1' type='pulseaudio' timerPeriod='0'/>")).message).toBe("Invalid value for attribute 'timerPeriod' in element 'audio': Zero is not permitted")
  })
  it("a balloon's, a NIC's, a disk's and a memory device's model or type before their switches; a perf event's name before whether enabled", () => {
    const first = (xml: string): string => refusal(xml, { v9: true }).message
    expect(first(dom("<memballoon model='zz' autodeflate='x'/>"))).toBe("Invalid value for attribute 'model' in element 'memballoon': 'zz'.")
    expect(first(dom("<interface type='zz' trustGuestRxFilters='x'><mac address='52:54:00:11:22:33'/></interface>"))).toBe("Invalid value for attribute 'type' in element 'interface': 'zz'.")
    expect(first(dom("<disk type='file' device='zz' rawio='x'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"))).toBe("Invalid value for attribute 'device' in element 'disk': 'zz'.")
    expect(first(dom("<memory model='zz' discard='x'><target><size unit='KiB'>524288</size><node>0</node></target></memory>"))).toBe("Invalid value for attribute 'model' in element 'memory': 'zz'.")
    expect(first(dom('', "<perf><event name='zz' enabled='x'/></perf>"))).toBe("Invalid value for attribute 'name' in element 'event': 'zz'.")
    // (a CPU's address size mode before its bits, a MAC's type before its check, a NUMA cell's memory access before its discard)
    expect(first(dom('', "<cpu mode='host-passthrough'><maxphysaddr mode='zz' bits='x'/></cpu>"))).toBe("Invalid value for attribute 'mode' in element 'maxphysaddr': 'zz'.")
    expect(first(dom("<interface type='user'><mac address='52:54:00:11:22:33' type='zz' check='x'/></interface>"))).toBe("Invalid value for attribute 'type' in element 'mac': 'zz'.")
    expect(first(dom('', "<vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB' memAccess='zz' discard='x'/></numa></cpu>"))).toBe("Invalid value for attribute 'memAccess' in element 'cell': 'zz'.")
    // (a disk driver's in virDomainDiskDefDriverParseXML's order: its cache first, copy on read before discard, detect zeroes before queues)
    const driver = (attributes: string): string => first(dom(`<disk type='file' device='disk'><driver name='qemu' type='raw' ${attributes}/><source file='/a'/><target dev='vda' bus='virtio'/></disk>`))
    expect(driver("copy_on_read='x' discard='zz' cache='yy'")).toBe("Invalid value for attribute 'cache' in element 'driver': 'yy'.")
    expect(driver("copy_on_read='x' discard='zz'")).toBe("Invalid value for attribute 'copy_on_read' in element 'driver': 'x'.")
    expect(driver("detect_zeroes='q' queues='x'")).toBe("Invalid value for attribute 'detect_zeroes' in element 'driver': 'q'.")
  })
})

describe('the odd-value search edit, seed 275 (libvirtd 9.0): an NVDIMM label and virtio-mem sizes', () => {
  const nvdimm = (label: string): string => `<domain type='qemu'>
  <name>t</name>
  <maxMemory slots='16' unit='KiB'>1099511627776</maxMemory>
  <memory unit='KiB'>1267710</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model><numa><cell id='0' cpus='0-1' memory='219136' unit='KiB'/></numa></cpu>
  <devices>
    <memory model='nvdimm' access='private'>
      <source><path>/tmp/nvdimm</path></source>
      <target><size unit='KiB'>523264</size><node>0</node>${label}</target>
    </memory>
  </devices>
</domain>`
  it('an NVDIMM label size is read as a size, at least 128 KiB and below the NVDIMM size; 0 is no label', () => {
    expect(refusal(nvdimm("<label><size unit='zz'>128</size></label>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "unknown suffix 'zz'", path: 'domain/devices/memory[1]/target/label/size' })
    expect(refusal(nvdimm("<label><size unit='KiB'>64</size></label>")).message).toBe('nvdimm label must be at least 128KiB')
    expect(refusal(nvdimm("<label><size unit='KiB'>523264</size></label>")).message).toBe('label size must be smaller than NVDIMM size')
    expect(predicts(nvdimm("<label><size unit='MiB'>1</size></label>"))).toContain("<label>\n          <size unit='KiB'>1024</size>\n        </label>")
    expect(predicts(nvdimm("<label><size unit='KiB'>0</size></label>"))).not.toContain('<label>')
  })
})

describe('the odd-value search edit, seed 279 (libvirtd 9.0): a memory device’s source and UUID', () => {
  const memory = (model: string, inner: string): string => `<domain type='qemu'>
  <name>t</name>
  <maxMemory slots='4' unit='KiB'>4194304</maxMemory>
  <memory unit='KiB'>1048576</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/></numa></cpu>
  <devices>
    <memory model='${model}'>${inner}<target><size unit='KiB'>524288</size><node>0</node></target></memory>
  </devices>
</domain>`
  const sourceOf = (xml: string): string | undefined => /<memory model[\s\S]*?<\/memory>/.exec(xml)![0].match(/<source>[\s\S]*?<\/source>/)?.[0]
  it('sizes and node masks read as libvirt reads them, before the target, in libvirt’s words', () => {
    expect(refusal(memory('nvdimm', "<source><path>/tmp/nv</path><alignsize unit='KiB'>-1</alignsize></source>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value '-1' for element or attribute './alignsize'", path: 'domain/devices/memory[1]/source/alignsize' })
    // (the parse refusal comes before validation's missing path)
    expect(refusal(memory('nvdimm', "<source><alignsize>x</alignsize></source>")).message).toBe("Invalid value 'x' for element or attribute './alignsize'")
    expect(refusal(memory('dimm', "<source><nodemask>x</nodemask><pagesize>x</pagesize></source>")).message).toBe("Invalid value 'x' for element or attribute './pagesize'")
    expect(refusal(memory('dimm', '<source><nodemask>x</nodemask></source>')).message).toBe("Failed to parse bitmap 'x'")
    expect(refusal(memory('dimm', '<source><nodemask>16384</nodemask></source>')).message).toBe("Failed to parse bitmap '16384'")
    expect(refusal(memory('dimm', '<source><nodemask>^0</nodemask></source>'))).toMatchObject({ code: 'preview-refused', message: "Invalid value of 'nodemask': ^0" })
    // (a source fault before a target one)
    expect(refusal(memory('dimm', '<source><pagesize>x</pagesize></source>').replace("<size unit='KiB'>524288</size>", "<size unit='KiB'>y</size>")).message).toBe("Invalid value 'x' for element or attribute './pagesize'")
  })
  it('what each model reads is written back in libvirt’s form; what it does not read, a 0 or an empty value is not', () => {
    expect(sourceOf(predicts(memory('dimm', '<source><nodemask>0,1</nodemask></source>')))).toBe('<source>\n        <nodemask>0-1</nodemask>\n      </source>')
    expect(sourceOf(predicts(memory('dimm', '<source><nodemask>0-1,^1</nodemask><nodemask>x</nodemask></source>')))).toContain('<nodemask>0</nodemask>\n      </source>')
    expect(sourceOf(predicts(memory('dimm', "<source><pagesize unit='KiB'>4</pagesize><alignsize>2048</alignsize><path>/x</path></source>")))).toBe("<source>\n        <pagesize unit='KiB'>4</pagesize>\n      </source>")
    expect(sourceOf(predicts(memory('dimm', '<source><nodemask></nodemask><pagesize>0</pagesize></source>')))).toBeUndefined()
    expect(sourceOf(predicts(memory('nvdimm', "<source><path>/tmp/nv</path><pagesize unit='KiB'>4</pagesize><nodemask>0</nodemask><alignsize unit='MiB'>0</alignsize><pmem/><pmem/></source>")))).toBe('<source>\n        <path>/tmp/nv</path>\n        <pmem/>\n      </source>')
    expect(sourceOf(predicts(memory('nvdimm', "<source><path>/a</path><path>/b</path><alignsize unit='MiB'>2</alignsize></source>")))).toBe("<source>\n        <path>/a</path>\n        <alignsize unit='KiB'>2048</alignsize>\n      </source>")
  })
  it("an NVDIMM's UUID is read (a malformed one refused, an empty one none); another model's is not read", () => {
    expect(refusal(memory('nvdimm', '<uuid>zz</uuid><source><path>/tmp/nv</path></source>'))).toMatchObject({ message: 'malformed uuid element', path: 'domain/devices/memory[1]/uuid' })
    expect(predicts(memory('nvdimm', '<uuid></uuid><source><path>/tmp/nv</path></source>'))).not.toContain('<uuid/>')
    expect(predicts(memory('dimm', '<uuid>zz</uuid>'))).not.toContain('<uuid>zz')
  })
})

describe('the odd-value and odd-form search edits, seeds 280–281 (libvirtd 9.0): of several faults, the one libvirt meets first', () => {
  const first = (xml: string, v9 = true): string => refusal(xml, { v9 }).message
  it("a controller's model before its index; a video model's sizes before its address; a balloon's address before its driver", () => {
    expect(first(dom("<controller type='pci' index='0 ' model='pci-root '/>"))).toBe("Unknown model type 'pci-root '")
    expect(first(dom("<video><model type='virtio' heads='zz'/><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0x'/></video>"))).toBe("cannot parse video heads 'zz'")
    expect(first(dom("<memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function=''/><driver iommu=''/></memballoon>"))).toBe("Invalid value for attribute 'function' in element 'address': ''. Expected non-negative integer value")
  })
  it("an address type that does not read is placed at its device, read in libvirt's order of kinds", () => {
    // (a controller is read after every disk: the disk's type first)
    const xml = dom("<controller type='usb' index='0'><address type='zz'/></controller><disk type=' block' device='disk'><source dev='/dev/sdb'/><target dev='vda' bus='virtio'/></disk>")
    expect(first(xml)).toBe("Invalid value for attribute 'type' in element 'disk': ' block'.")
    expect(refusal(dom("<disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vda' bus='virtio'/></disk><disk type='block' device='disk'><source dev='/dev/sdc'/><target dev='vdb' bus='virtio'/><address type='zz'/></disk>")).path).toBe('domain/devices/disk[2]/address/@type')
  })
  it("duplicate controllers are post-parse's, after the parser's faults (a NIC model that does not read)", () => {
    expect(first(dom("<controller type='pci' index='0' model='pci-root'/><controller type='pci' index='0' model='pci-root'/><interface type='user'><model type='virtio '/></interface>"))).toBe('Model name contains invalid characters')
    expect(first(dom("<controller type='pci' index='0' model='pci-root'/><controller type='pci' index='0' model='pci-root'/>"))).toBe("Multiple 'pci' controllers with index '0'")
  })
  it("a CD-ROM's target name that does not read is the QEMU driver's refusal; a hard disk's without a prefix the generic one's", () => {
    const disk = (device: string, dev: string, bus = 'ide'): string => dom(`<disk type='file' device='${device}'><source file='/tmp/a.img'/><target dev='${dev}' bus='${bus}'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>`)
    expect(first(disk('cdrom', ''))).toBe("invalid disk target ''")
    expect(first(disk('cdrom', 'hd'))).toBe("invalid disk target 'hd'")
    expect(first(disk('disk', 'xyz'))).toBe('Invalid harddisk device name: xyz')
    expect(first(disk('disk', 'hda1'))).toBe("invalid disk target 'hda1', partitions can't appear in disk targets")
    // (a virtio disk given a drive address: the address assignment refuses it, before validation reads the name)
    expect(first(disk('disk', 'xyz', 'virtio'))).toBe("virtio disk cannot have an address of type 'drive'")
  })
  it('an empty <maxMemory> is none, a maximum of 0 not written; 9.0 wants the slot count with it, at post-parse, 11 a maximum with slots', () => {
    expect(predicts(dom('', "<maxMemory unit='KiB'></maxMemory>"), { v9: true })).not.toContain('maxMemory')
    expect(predicts(dom('', "<maxMemory slots='0' unit='KiB'>0</maxMemory>"))).not.toContain('maxMemory')
    expect(first(dom('', "<maxMemory slots='4' unit='KiB'></maxMemory>"))).toBe('both maximum memory size and memory slot count must be specified')
    expect(first(dom('', "<maxMemory unit='KiB'>4194304</maxMemory>"))).toBe('both maximum memory size and memory slot count must be specified')
    // (post-parse: a parse error of a device comes first)
    expect(first(dom("<controller type='usb' index='0'><address type=''/></controller>", "<maxMemory slots='4' unit='KiB'></maxMemory>"))).toBe("unknown address type ''")
    expect(first(dom('', "<maxMemory slots='4' unit='KiB'>0</maxMemory>"), false)).toBe('maximum memory size must be specified when specifying number of memory slots')
  })
})

describe('the search edits, seeds 283–284 (libvirtd 9.0)', () => {
  const first = (xml: string): string => refusal(xml, { v9: true }).message
  it("a direct interface's macvtap mode is read (VEPA when none is written)", () => {
    const direct = (mode: string): string => dom(`<interface type='direct'><mac address='52:54:00:11:22:33'/><source dev='eth0' ${mode}/></interface>`)
    expect(refusal(direct("mode='BRIDGE'"), { v9: true })).toMatchObject({ message: "Invalid value for attribute 'mode' in element 'source': 'BRIDGE'.", path: 'domain/devices/interface[1]/source/@mode' })
    expect(predicts(direct("mode='bridge'"))).toContain("<source dev='eth0' mode='bridge'/>")
  })
  it("huge page and NUMA tuning node sets read as bitmaps, where the parser reads them (an empty one does not read)", () => {
    expect(first(dom('', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='1x'/></hugepages></memoryBacking><vcpu>0</vcpu>"))).toBe("Failed to parse bitmap '1x'")
    expect(refusal(dom('', "<memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0,^0'/></hugepages></memoryBacking>"))).toMatchObject({ code: 'preview-refused', message: "Invalid value of 'nodeset': 0,^0" })
    expect(first(dom("<graphics type='spice' autoport='YES'/>", "<vcpu>2</vcpu><numatune><memory mode='strict' nodeset=''/></numatune>"))).toBe("Failed to parse bitmap ''")
    expect(first(dom('', "<vcpu>2</vcpu><numatune><memory mode='strict' nodeset='16384'/></numatune>"))).toBe("Failed to parse bitmap '16384'")
  })
  it("an interface's type before a later interface's model; a disk's device before its source's startup policy", () => {
    expect(first(dom("<interface type=' '><mac address='52:54:00:11:22:33'/></interface><interface type='user'><model type='e1000 '/></interface>"))).toBe("Invalid value for attribute 'type' in element 'interface': ' '.")
    expect(first(dom("<disk type='file' device='default'><source file='/a' startupPolicy=''/><target dev='vda' bus='virtio'/></disk>"))).toBe("Invalid value for attribute 'device' in element 'disk': 'default'.")
  })
  it("a host device's source before its address; an address's own attributes before its zPCI part", () => {
    const hostdev = (type: string, address: string): string => dom(`<hostdev mode='subsystem' type='${type}' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></source>${address}</hostdev>`)
    expect(first(hostdev('-1', "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'><zpci uid='0x0001' fid='zz'/></address>"))).toBe("unknown host device source address type '-1'")
    expect(first(hostdev('pci', "<address type='pci' domain='0x0000' bus='zz' slot='0x05' function='0x0'><zpci uid='0x0001' fid='0xffffffff '/></address>"))).toBe("Invalid value for attribute 'bus' in element 'address': 'zz'. Expected non-negative integer value")
  })
})

describe("enumerations read in each release's names (libvirt 11.3's VIR_ENUM_IMPL where they differ from 9.0's)", () => {
  it('libvirt 11.3 refuses a name no enumeration of it has, as 9.0 does', () => {
    expect(refusal(dom('', "<vcpu placement='STATIC'>1</vcpu>")).message).toBe("Invalid value for attribute 'placement' in element 'vcpu': 'STATIC'.")
    expect(refusal(dom("<interface type='direct'><mac address='52:54:00:11:22:33'/><source dev='eth0' mode='BRIDGE'/></interface>")).message).toBe("Invalid value for attribute 'mode' in element 'source': 'BRIDGE'.")
    expect(refusal(dom("<disk type='zz' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/></disk>")).message).toBe("Invalid value for attribute 'type' in element 'disk': 'zz'.")
  })
  it("and takes the names it added: a virtio sound device, a PipeWire audio backend, a vhost-vDPA disk", () => {
    expect(predicts(dom("<sound model='virtio'/><audio id='1' type='pipewire'/>"))).toContain("<audio id='1' type='pipewire'")
    expect(refusal(dom("<audio id='1' type='pipewire'/>"), { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'audio': 'pipewire'.")
    expect(refusal(dom("<disk type='vhostvdpa' device='disk'><driver name='qemu' type='raw' cache='none'/><source dev='/dev/vhost-vdpa-0'/><target dev='vda' bus='virtio'/></disk>"), { v9: true }).message).toBe("Invalid value for attribute 'type' in element 'disk': 'vhostvdpa'.")
  })
})

describe('the search edits, seeds 285–287 (libvirtd 9.0)', () => {
  const first = (xml: string): string => refusal(xml, { v9: true }).message
  it("a vCPU's placement before its CPU set and before the NUMA checks; a CPU's topology before its NUMA cells", () => {
    expect(first(dom('', "<vcpu placement='staticx' cpuset=''>2</vcpu>"))).toBe("Invalid value for attribute 'placement' in element 'vcpu': 'staticx'.")
    expect(first(dom('', "<vcpu placement='static '>0</vcpu>"))).toBe("Invalid value for attribute 'placement' in element 'vcpu': 'static '.")
    expect(first(dom('', "<vcpu>2</vcpu><cpu><topology sockets='1' dies='1' cores='1' threads='2 '/><numa><cell id='0' cpus='0-1' memory='-1' unit='KiB'/></numa></cpu>"))).toBe("Invalid value for attribute 'threads' in element 'topology': '2 '. Expected non-negative integer value")
    expect(first(dom('', "<vcpu>2</vcpu><cpu><topology sockets=' ' dies='1' cores='1' threads='2'/><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/><cell id='0' cpus='1' memory='524288' unit='KiB'/></numa></cpu>"))).toBe("Invalid value for attribute 'sockets' in element 'topology': ' '. Expected non-negative integer value")
  })
  it('disks are validated in the order the parser inserts them; a floppy name without `fd` is the generic refusal', () => {
    const floppies = dom("<disk type='file' device='floppy'><driver name='QEMU' type='raw'/><source file='/a'/><target dev='fda' bus='fdc'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk><disk type='file' device='floppy'><driver name='QEMU' type='raw'/><source file='/b'/><target dev='0' bus='fdc'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>")
    expect(first(floppies)).toBe('Invalid floppy device name: 0')
    expect(first(dom("<disk type='file' device='floppy'><source file='/a'/><target dev=' fdb' bus='fdc'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>"))).toBe('Invalid floppy device name:  fdb')
  })
  it("the PIIX3's IDE and USB controllers written at another PCI address are refused first, in libvirt's words", () => {
    expect(first(dom("<controller type='usb' index='0' model='piix3-uhci'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0'/></controller>"))).toBe('PIIX3 USB controller at index 0 must have PCI address 0:0:1.2')
    expect(first(dom("<controller type='ide' index='0'><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></controller>"))).toBe('Primary IDE controller must have PCI address 0:0:1.1')
  })
  it("a parse refusal a row's reader throws is weighed with the others (the arch is read before the NUMA cells)", () => {
    expect(first(dom('', "<vcpu>2</vcpu><cpu><numa><cell cpus='zz' memory='524288' unit='KiB'/></numa></cpu>").replace("arch='x86_64'", "arch='-1'"))).toBe('Unknown architecture -1')
  })
  it("a character device's type before its address", () => {
    expect(first(dom("<serial type=''><address type='-1'/></serial>"))).toBe('unknown type presented to host for character device: ')
  })
  it("an NVRAM of storage type none: the storage source parser's refusal", () => {
    const nvram = (n: string): string => dom('', '').replace('</os>', `<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>${n}</os>`)
    expect(first(nvram("<nvram type='none'><source file='/tmp/x_VARS.fd'/></nvram>"))).toBe('unexpected disk type none')
    expect(first(nvram("<nvram type='none'/>"))).toBe('An error occurred, but the cause is unknown')
  })
})

describe('the search edits, seeds 288–289 (libvirtd 9.0)', () => {
  const first = (xml: string): string => refusal(xml, { v9: true }).message
  it("a blank disk I/O limit is refused; an empty virtiofs daemon path is none", () => {
    expect(first(dom("<disk type='file' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/><iotune><total_bytes_sec>5000</total_bytes_sec><size_iops_sec> </size_iops_sec></iotune></disk>"))).toBe("disk iotune field 'size_iops_sec' must be an integer")
    const fs = predicts(dom("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><binary path=''/><source dir='/tmp'/><target dir='tag'/></filesystem>", "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"))
    expect(fs).not.toContain('<binary')
  })
  it("a vCPU pin before the emulator's; an NVRAM before its loader's attributes", () => {
    expect(first(dom('', "<vcpu>2</vcpu><cputune><vcpupin vcpu='0x' cpuset='0'/><emulatorpin cpuset=' '/></cputune>"))).toBe("Invalid value for attribute 'vcpu' in element 'vcpupin': '0x'. Expected non-negative integer value")
    const os = dom('', '').replace('</os>', "<loader readonly=' yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader><nvram type='0'><source file='/tmp/v.fd'/></nvram></os>")
    expect(first(os)).toBe("Invalid value for attribute 'type' in element 'nvram': '0'.")
  })
})

describe('the odd-value search edit, seed 290 (libvirtd 9.0)', () => {
  const first = (xml: string, v9 = true): string => refusal(xml, { v9 }).message
  it("a SCSI host device's source protocol from its enumeration (9.0's words, 11's virXMLPropEnum's)", () => {
    const scsi = dom("<hostdev mode='subsystem' type='scsi'><source protocol='ISCSI' name='iqn.1992-01.com.example:storage/2'><host name='example.org' port='3260'/></source></hostdev>")
    expect(first(scsi)).toBe("Unknown SCSI subsystem protocol 'ISCSI'")
    expect(first(scsi, false)).toBe("Invalid value for attribute 'protocol' in element 'source': 'ISCSI'.")
  })
  it("an HTTP(S) disk's cookies are read at parse (named, valued, in RFC 6265's characters, once each), before validation's checks", () => {
    const cookies = (inner: string, machine = 'pc'): string => dom(`<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='https' name='/x.iso'><host name='example.org' port='443'/><cookies>${inner}</cookies></source><target dev='hdc' bus='ide'/><readonly/></disk>`, '', machine)
    expect(first(cookies("<cookie name=''>v</cookie>"))).toBe('missing cookie name')
    expect(first(cookies("<cookie name='a'></cookie>"))).toBe("missing value for cookie 'a'")
    expect(first(cookies("<cookie name='a'>v</cookie><cookie name='a'>w;</cookie>"))).toBe("duplicate cookie 'a'")
    // (a parse error, before the unknown machine type validation refuses)
    expect(first(cookies("<cookie name='a '>v</cookie>", '-1'))).toBe("cookie name 'a ' contains invalid characters")
  })
})

describe('the search edits, seeds 292–293 (libvirtd 9.0)', () => {
  const first = (xml: string): string => refusal(xml, { v9: true }).message
  it("an emulated TPM's state encryption secret: a UUID virUUIDParse reads, written in its form; an empty one none", () => {
    const tpm = (encryption: string): string => dom(`<tpm model='tpm-tis'><backend type='emulator' version='2.0'>${encryption}</backend></tpm>`)
    expect(first(tpm("<encryption secret='32ee7e76-2178-47a1-ab7b-269e6e348015x'/>"))).toBe("Unable to parse secret uuid '32ee7e76-2178-47a1-ab7b-269e6e348015x'")
    expect(predicts(tpm("<encryption secret='32EE7E76217847a1ab7b269e6e348015'/>"))).toContain("<encryption secret='32ee7e76-2178-47a1-ab7b-269e6e348015'/>")
    expect(predicts(tpm("<encryption secret=''/>"))).toContain("<backend type='emulator' version='2.0'/>")
  })
  it("a SPICE port's or D-Bus channel's name: present, of letters, digits, `_`, `-` and `.` (seed 294)", () => {
    expect(first(dom("<channel type='dbus'><source channel=' '/><target type='virtio' name='chardev-dbus'/></channel>"))).toBe('Invalid character in source channel for char device')
    expect(first(dom("<channel type='spiceport'><target type='virtio' name='x.y'/></channel>"))).toBe('Missing source channel attribute for char device')
  })
  it("a <vcpus> entry beyond the vCPU count is the parser's refusal (one vCPU when no <vcpu> says), before validation's", () => {
    const xml = dom('', "<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/><vcpu id='1' enabled='no' hotpluggable='yes'/></vcpus><cpu><topology sockets='3' dies='1' cores='2' threads='1'/></cpu>")
    expect(first(xml)).toBe("vcpu id '1' is out of range of maximum vcpu count")
  })
})

describe('the search edits, seeds 297–298 (libvirtd 9.0)', () => {
  const first = (xml: string): string => refusal(xml, { v9: true }).message
  it("a shared memory size read as a scaled value (a blank one refused); a <memory> of no size still has its dumpCore read", () => {
    expect(first(dom("<shmem name='s0'><model type='ivshmem-plain'/><size unit='K'> </size></shmem>"))).toBe("Invalid value ' ' for element or attribute './size[1]'")
    expect(first(dom("<shmem name='s0'><model type='ivshmem-plain'/><size unit='K'>x</size></shmem>"))).toBe("Invalid value 'x' for element or attribute './size[1]'")
    expect(first(dom('').replace("<memory unit='MiB'>512</memory>", "<memory dumpCore='OFF'></memory>"))).toBe("Invalid value for attribute 'dumpCore' in element 'memory': 'OFF'.")
  })
  it("an OS's firmware features before its boot devices", () => {
    const os = dom('', '').replace('</os>', "<firmware><feature enabled=' ' name='secure-boot'/></firmware><boot dev='-1'/></os>")
    expect(first(os)).toBe("Invalid value for attribute 'enabled' in element 'feature': ' '.")
  })
})

describe('the search edits, seed 299 and later (libvirtd 9.0)', () => {
  it("a memory device's target reads by model: a DIMM's <requested> or <label> is dropped, a virtio-mem device's kept", () => {
    const memory = (model: string, target: string): string => `<domain type='qemu'>
  <name>t</name>
  <maxMemory slots='4' unit='KiB'>8388608</maxMemory>
  <memory unit='KiB'>1048576</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/></numa></cpu>
  <devices>
    <memory model='${model}'>${model === 'nvdimm' ? '<source><path>/tmp/nv</path></source>' : ''}<target><size unit='MiB'>1024</size><node>0</node>${target}</target></memory>
  </devices>
</domain>`
    const targetOf = (xml: string): string => /<memory model[\s\S]*?<\/memory>/.exec(xml)![0].match(/<target>[\s\S]*?<\/target>/)![0]
    for (const v9 of [true, false]) {
      expect(targetOf(predicts(memory('dimm', "<requested unit='MiB'>128</requested><label><size unit='KiB'>256</size></label><readonly/>"), { v9 }))).toBe("<target>\n        <size unit='KiB'>1048576</size>\n        <node>0</node>\n      </target>")
      expect(targetOf(predicts(memory('virtio-mem', "<block unit='MiB'>2</block><requested unit='MiB'>128</requested><readonly/>"), { v9 }))).toBe("<target>\n        <size unit='KiB'>1048576</size>\n        <node>0</node>\n        <block unit='KiB'>2048</block>\n        <requested unit='KiB'>131072</requested>\n      </target>")
      expect(targetOf(predicts(memory('nvdimm', "<block unit='MiB'>2</block><requested unit='MiB'>128</requested>"), { v9 }))).toBe("<target>\n        <size unit='KiB'>1048576</size>\n        <node>0</node>\n      </target>")
    }
  })

  it("timers: an HPET switched on needs QEMU's -no-hpet (9.0) or an x86 guest (11); a PIT catching up the KVM PIT's lost-tick policy; the ARM virtual timer never off", () => {
    const clock = (timers: string, arch = 'x86_64', machine = 'pc', type = 'qemu'): string => `<domain type='${type}'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  <os><type arch='${arch}' machine='${machine}'>hvm</type></os>
  <clock offset='utc'>${timers}</clock>
  <devices/>
</domain>`
    const hpet = "<timer name='hpet' present='yes'/>"
    const flags = (...more: string[]) => capsXml({ flags: [...x86Flags, ...more] })
    const aarch64 = (...more: string[]) => capsXml({ arch: 'aarch64', flags: ['cpu-max', ...more], machines: "<machine type='tcg' name='virt-9.9' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><machine type='kvm' name='virt-9.9' alias='virt' maxCpus='512'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>" })
    // (virt-install's `--clock hpet_present=yes` on an aarch64 guest, defined on libvirtd 9.0: its QEMU has no -no-hpet)
    expect(refusal(clock(hpet, 'aarch64', 'virt'), { v9: true, caps: aarch64() })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'hpet timer is not supported', path: "domain/clock/timer[@name='hpet']/@present" })
    expect(refusal(clock(hpet, 'aarch64', 'virt'), { caps: aarch64() }).message).toBe('hpet timer is not supported by this architecture')
    expect(refusal(clock(hpet), { v9: true }).message).toBe('hpet timer is not supported')
    expect(predicts(clock(hpet), { v9: true, caps: flags('no-hpet') })).toContain(hpet)
    expect(predicts(clock(hpet))).toContain(hpet)
    expect(predicts(clock("<timer name='hpet' present='no'/>", 'aarch64', 'virt'), { v9: true, caps: aarch64() })).toContain("<timer name='hpet' present='no'/>")
    const catchup = "<timer name='pit' tickpolicy='catchup'/>"
    expect(refusal(clock(catchup)).message).toBe("unsupported pit tickpolicy 'catchup'")
    expect(predicts(clock(catchup), { caps: flags('kvm-pit-lost-tick-policy') })).toContain(catchup)
    const armv = (timer: string, ...more: string[]) => refusal(clock(timer, 'aarch64', 'virt', 'kvm'), { caps: aarch64(...more) }).message
    expect(armv("<timer name='armvtimer' present='no'/>", 'cpu.kvm-no-adjvtime')).toBe("The 'armvtimer' timer can't be disabled")
    expect(armv("<timer name='armvtimer'/>")).toBe("Configuring the 'armvtimer' timer is not supported with this QEMU binary")
    expect(armv("<timer name='armvtimer' tickpolicy='catchup'/>", 'cpu.kvm-no-adjvtime')).toBe("The 'armvtimer' timer does not support tickpolicy 'catchup'")
  })

})

describe("other tools' test domains: libvirt-go-xml (libvirtd 9.0)", () => {
  const clock = (attrs: string): string => dom('', `<clock ${attrs}/>`)
  const clockOf = (xml: string): string => /<clock[^>]*\/>/.exec(predicts(xml))![0]
  it("a clock's adjustment read as libvirt reads it: a variable one's as a long long (0 when it does not read), a UTC one's refused when it does not", () => {
    expect(clockOf(clock("offset='variable' basis='utc' adjustment='reset'"))).toBe("<clock offset='variable' adjustment='0' basis='utc'/>")
    expect(clockOf(clock("offset='variable' adjustment='+7' adjustment0='5'"))).toBe("<clock offset='variable' adjustment='7' basis='utc'/>")
    expect(clockOf(clock("offset='variable' adjustment='99999999999999999999' basis=''"))).toBe("<clock offset='variable' adjustment='0' basis='utc'/>")
    // (past 32 bits: a long long, not a 32-bit count)
    expect(clockOf(clock("offset='utc' adjustment='5000000000'"))).toBe("<clock offset='variable' adjustment='5000000000' basis='utc'/>")
    expect(clockOf(clock("offset='localtime' adjustment=' -12'"))).toBe("<clock offset='variable' adjustment='-12' basis='localtime'/>")
    expect(clockOf(clock("offset='utc' adjustment=''"))).toBe("<clock offset='utc'/>")
    expect(refusal(clock("offset='utc' adjustment='0x10'"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "unknown clock adjustment '0x10'", path: 'domain/clock/@adjustment' })
    expect(refusal(clock("offset='variable' basis='x'")).message).toBe("unknown clock basis 'x'")
    expect(refusal(clock("offset='timezone' timezone=''")).message).toBe("missing 'timezone' attribute for clock with offset='timezone'")
  })
  it("a controller's own driver settings are read before its virtio options", () => {
    expect(refusal(dom("<controller type='scsi' index='0' model='virtio-scsi'><driver queues='3' ioeventfd='yes' iommu='yes'/></controller>")).message).toBe("Invalid value for attribute 'ioeventfd' in element 'driver': 'yes'.")
    // (a disk reads its virtio options first)
    expect(refusal(dom("<disk type='file' device='disk'><driver name='qemu' ioeventfd='yes' iommu='yes'/><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>")).message).toBe("Invalid value for attribute 'iommu' in element 'driver': 'yes'.")
  })
  it("an NVRAM device is pSeries': refused elsewhere; there an sPAPR VIO device whatever address was written, its register read from the address's numbers", () => {
    const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'nvram'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
    const nvram = (address: string): string => dom(`<nvram>${address}</nvram>`).replace("arch='x86_64' machine='pc'", "arch='ppc64' machine='pseries'")
    const nvramOf = (address: string): string => /<nvram>[\s\S]*?<\/nvram>/.exec(predicts(nvram(address), { caps: ppc }))![0].replace(/\s+/g, ' ')
    expect(refusal(dom("<nvram><address type='spapr-vio' reg='0x4000'/></nvram>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'nvram device is only supported for PPC64', path: 'domain/devices/nvram[1]' })
    expect(refusal(nvram(''), { caps: ppc.replace("<flag name='nvram'/>", '') }).message).toBe('nvram device is not supported by this QEMU binary')
    expect(nvramOf('')).toBe("<nvram> <address type='spapr-vio' reg='0x00003000'/> </nvram>")
    // (a PCI address's domain and bus the register's halves, its slot whether it holds one; a drive's controller and bus, its target)
    expect(nvramOf("<address type='pci' domain='0' bus='0' slot='5' function='0'/>")).toBe("<nvram> <address type='spapr-vio' reg='0x00000000'/> </nvram>")
    expect(nvramOf("<address type='pci' domain='0' bus='0' slot='0' function='0'/>")).toBe("<nvram> <address type='spapr-vio' reg='0x00003000'/> </nvram>")
    expect(nvramOf("<address type='drive' controller='3' bus='0' target='1' unit='0'/>")).toBe("<nvram> <address type='spapr-vio' reg='0x00000003'/> </nvram>")
    expect(nvramOf("<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>")).toBe("<nvram> <address type='spapr-vio' reg='0x000000fe'/> </nvram>")
    expect(refusal(nvram("<address type='usb' bus='2' port='1.3'/>"), { caps: ppc })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "spapr-vio reg='0x100000002' exceeds maximum possible value (0xffffffff)", path: 'domain/devices/nvram[1]/address/@reg' })
  })
  it("nova's: a host device's <source> required in both modes; a filesystem's source by its type, unless a socket serves it", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='pci' managed='no'></hostdev>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'Missing <source> element in hostdev device', path: 'domain/devices/hostdev[1]' })
    expect(refusal(dom("<hostdev mode='capabilities' type='storage'/>")).message).toBe('Missing <source> element in hostdev device')
    expect(refusal(dom("<filesystem type='mount'></filesystem>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'missing source information for device', path: 'domain/devices/filesystem[1]/source' })
    expect(refusal(dom("<filesystem type='file'><source dir='/x'/><target dir='y'/></filesystem>")).message).toBe('missing source information for device y')
    expect(refusal(dom("<filesystem type='ram'><source usage='x'/><target dir='y'/></filesystem>")).message).toBe("cannot parse usage 'x' for RAM filesystem")
    expect(refusal(dom("<filesystem type='ram'><source/><target dir='y'/></filesystem>")).message).toBe("missing 'usage' attribute for RAM filesystem")
    // (an empty directory is one: virXMLPropString; a socket stands for the source)
    expect(predicts(dom("<filesystem type='mount'><source dir=''/><target dir='x'/></filesystem>"))).toContain("<target dir='x'/>")
    expect(predicts(dom("<filesystem type='mount'><source socket='/tmp/s'/><target dir='x'/></filesystem>"))).toContain("<source socket='/tmp/s'/>")
  })
})

describe("libvirt's generic device validation (domain_validate.c), each defined on libvirtd 9.0", () => {
  const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
  const vhostUser = (inner: string, attrs = ''): string => dom(`<disk type='vhostuser' device='disk'${attrs}><driver name='qemu' type='raw'${inner.startsWith(' ') ? inner : ''}/><source type='unix' path='/tmp/vhost.sock'/><target dev='vda' bus='virtio'/>${inner.startsWith(' ') ? '' : inner}</disk>`, shared)
  it('a vhost-user disk has none of the settings it cannot (in libvirt\'s order), its generic words before the QEMU driver\'s', () => {
    expect(predicts(vhostUser(''))).toContain("<disk type='vhostuser' device='disk' snapshot='no'>")
    expect(refusal(vhostUser('', " snapshot='external'"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'only snapshot=no is supported with vhostuser disk', path: "domain/devices/disk[target/@dev='vda']/@snapshot" })
    expect(refusal(vhostUser(" cache='none'")).message).toBe('cache is not supported with vhostuser disk')
    // (the default cache is none to it, and not written)
    expect(predicts(vhostUser(" cache='default'"))).toContain("<driver name='qemu' type='raw'/>")
    expect(refusal(vhostUser(" io='threads' discard='unmap'")).message).toBe('io is not supported with vhostuser disk')
    expect(refusal(vhostUser('<iotune><read_iops_sec>5</read_iops_sec></iotune>')).message).toBe('iotune is not supported with vhostuser disk')
    expect(predicts(vhostUser('<iotune><total_bytes_sec>0</total_bytes_sec></iotune>'))).not.toContain('<iotune>')
    expect(refusal(vhostUser('<backingStore/>')).message).toBe('backingStore is not supported with vhostuser disk')
    expect(refusal(vhostUser('<serial>x</serial><readonly/>')).message).toBe('readonly is not supported with vhostuser disk')
    expect(predicts(vhostUser('<serial></serial>'))).not.toContain('<serial')
    expect(refusal(vhostUser("<geometry cyls='0' heads='0' secs='0' trans='lba'/>")).message).toBe('geometry is not supported with vhostuser disk')
    // (a vendor: the generic check's words, not the QEMU driver's SCSI-only ones)
    expect(refusal(vhostUser('<vendor>x</vendor>'), { v9: true }).message).toBe('vendor is not supported with vhostuser disk')
  })
  const disk = (inner: string, source = "<source file='/a.img'/>", device = 'disk', target = "<target dev='vda' bus='virtio'/>"): string => dom(`<disk type='file' device='${device}'>${source}${target}${inner}</disk>`)
  it("a disk's I/O limits, inquiry strings and startup policy", () => {
    expect(refusal(disk('<iotune><total_bytes_sec>5</total_bytes_sec><read_bytes_sec>6</read_bytes_sec></iotune>'))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'total and read/write bytes_sec cannot be set at the same time', path: "domain/devices/disk[target/@dev='vda']/iotune/total_bytes_sec" })
    expect(refusal(disk('<iotune><total_iops_sec_max>5</total_iops_sec_max><write_iops_sec_max>6</write_iops_sec_max></iotune>')).message).toBe('total and read/write iops_sec_max cannot be set at the same time')
    expect(predicts(disk('<iotune><total_bytes_sec>5</total_bytes_sec><read_bytes_sec>0</read_bytes_sec></iotune>'))).toContain('<total_bytes_sec>5</total_bytes_sec>')
    const scsi = "<target dev='sda' bus='scsi'/>"
    expect(refusal(disk('<vendor>a\tb</vendor>', undefined, 'disk', scsi))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'disk vendor is not printable string', path: "domain/devices/disk[target/@dev='sda']/vendor" })
    expect(refusal(disk('<product>é</product>', undefined, 'disk', scsi)).message).toBe('disk product is not printable string')
    expect(refusal(disk('', "<source file='/a.img' startupPolicy='requisite'/>")).message).toBe("disk startupPolicy 'requisite' is allowed only for cdrom or floppy")
    expect(predicts(disk('', "<source file='/a.iso' startupPolicy='requisite'/>", 'cdrom', "<target dev='hdc' bus='ide'/>"))).toContain("startupPolicy='requisite'")
    expect(refusal(dom("<disk type='network' device='disk'><source protocol='nbd' name='x' startupPolicy='optional'><host name='h' port='1'/></source><target dev='vda' bus='virtio'/></disk>")).message).toBe("disk startupPolicy 'optional' is not allowed for disk of 'network' type")
  })
  it("an interface's host-side addresses and unmanaged tap are ethernet's; an isolated port a host bridge's, named by its MAC", () => {
    expect(refusal(dom("<interface type='bridge'><source bridge='br0'/><target dev='vnet0' managed='no'/><model type='virtio'/></interface>")).message).toBe("unmanaged target dev is not supported on interfaces of type 'bridge'")
    expect(predicts(dom("<interface type='ethernet'><mac address='52:54:00:aa:bb:01'/><target dev='vnet0' managed='no'/><model type='virtio'/></interface>"))).toContain("<target dev='vnet0' managed='no'/>")
    expect(refusal(dom("<interface type='network'><source network='default'><ip address='10.0.0.1' prefix='24'/></source><model type='virtio'/></interface>")).message).toBe("Invalid attempt to set network interface host-side IP route and/or address info on interface of type 'network'. This is only supported on interfaces of type 'ethernet'")
    expect(refusal(dom("<interface type='user'><mac address='52:54:00:AA:bb:01'/><port isolated='yes'/><model type='virtio'/></interface>")).message).toBe("interface 52:54:00:aa:bb:01 - <port isolated='yes'/> is not supported for network interfaces with type='user'")
    expect(refusal(dom("<interface type='bridge'><mac address='52:54:00:aa:bb:01'/><source bridge='br0'/><virtualport type='openvswitch'/><port isolated='yes'/><model type='virtio'/></interface>")).message).toBe("interface 52:54:00:aa:bb:01 - <port isolated='yes'/> is not supported for network interfaces with virtualport type='openvswitch'")
  })
  it("a TPM's backends: one; an emulator's state switch, PCR banks (TPM 2.0's) and an external one's UNIX socket it connects to", () => {
    const tpm = (backend: string, model = " model='tpm-crb'"): string => dom(`<tpm${model}>${backend}</tpm>`, '', 'q35')
    expect(refusal(tpm("<backend type='emulator'/><backend type='emulator'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'only one TPM backend is supported', path: 'domain/devices/tpm[1]/backend[2]' })
    expect(refusal(tpm("<backend type='emulator' persistent_state='maybe'/>")).message).toBe("Invalid persistent_state value, either 'yes' or 'no'")
    expect(refusal(tpm("<backend type='emulator' version='2.0'><active_pcr_banks><md5/></active_pcr_banks></backend>")).message).toBe("Unsupported PCR banks 'md5'")
    // (a TIS TPM's version is 1.2 unless written, on x86: libvirt 9.0 and 11 alike)
    for (const v9 of [true, false]) expect(refusal(tpm("<backend type='emulator'><active_pcr_banks><sha256/></active_pcr_banks></backend>", ''), { v9 }).message).toBe("<active_pcr_banks/> requires TPM version '2.0'")
    expect(predicts(tpm("<backend type='emulator'><active_pcr_banks><sha256/></active_pcr_banks></backend>"))).toContain('<sha256/>')
    expect(refusal(tpm("<backend type='external'/>"), { v9: true }).message).toBe('missing external TPM backend type')
    expect(refusal(tpm("<backend type='external'/>")).message).toBe('missing external TPM backend source type')
    expect(refusal(tpm("<backend type='external'><source type='xyz'/></backend>"), { v9: true }).message).toBe("unknown backend type 'xyz' for external TPM")
    expect(refusal(tpm("<backend type='external'><source type='file' path='/tmp/x'/></backend>")).message).toBe("only source type 'unix' is supported for external TPM device")
    expect(refusal(tpm("<backend type='external'><source type='unix' mode='bind' path='/tmp/s'/></backend>"), { v9: true }).message).toBe("only 'client' mode is supported for external TPM device")
    expect(refusal(tpm("<backend type='external'><source type='unix' mode='bind' path='/tmp/s'/></backend>")).message).toBe("only 'connect' mode is supported for external TPM device")
    expect(refusal(tpm("<backend type='external'><source type='unix' mode='connect'/></backend>")).message).toBe('missing socket path for external TPM device')
  })
  it("a smartcard sits on a CCID controller, checked before its character device's", () => {
    expect(refusal(dom("<smartcard mode='passthrough' type='spicevmc'><address type='usb' bus='0' port='1'/></smartcard>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Controllers must use the 'ccid' address type", path: 'domain/devices/smartcard[1]/address/@type' })
  })
})

describe("the QEMU driver's device validation (qemu_validate.c) preview lacked, each defined on libvirtd 9.0", () => {
  const first = (xml: string, o = {}): string => refusal(xml, o).message
  it('panic addresses, serial target models, watchdog addresses, QXL sizes as post-parse rounds them', () => {
    expect(first(dom("<panic model='isa'><address type='pci' domain='0' bus='0' slot='9' function='0'/></panic>"))).toBe('panic is supported only with ISA address type')
    expect(first(dom("<serial type='pty'><target type='isa-serial'><model name='pci-serial'/></target></serial>"))).toBe("Target model 'pci-serial' requires target type 'pci-serial'")
    expect(first(dom("<serial type='pty'><target><model name='pci-serial'/></target></serial>"))).toBe("Target model 'pci-serial' requires target type 'pci-serial'")
    expect(predicts(dom("<serial type='pty'><target type='pci-serial'><model name='pci-serial'/></target></serial>"))).toContain("<model name='pci-serial'/>")
    expect(first(dom("<watchdog model='ib700'><address type='pci' domain='0' bus='0' slot='9' function='0'/></watchdog>"))).toBe('ib700 model of watchdog does not support configuring the address')
    // (4194303 KiB is rounded up to 4 GiB first: refused; the video RAM's check before the RAM's)
    expect(first(dom("<video><model type='qxl' ram='8388608' vram='4194303'/></video>"))).toBe("value for 'vram' must be less than '4194303'")
    expect(first(dom("<video><model type='qxl' ram='2097153'/></video>"))).toBe("value for 'ram' must be less than '4194303'")
    expect(predicts(dom("<video><model type='qxl' ram='2097152'/></video>"))).toContain("ram='2097152'")
  })
  it("disks: a LUN's own settings, I/O limit groups and QEMU's cap, transient disks", () => {
    const lun = (inner: string): string => dom(`<disk type='block' device='lun'><source dev='/dev/sda'/><target dev='sda' bus='scsi'/>${inner}</disk>`)
    expect(first(lun("<driver name='qemu' type='raw' copy_on_read='on'/>"))).toBe("copy_on_read is not compatible with 'lun' disk 'sda'")
    expect(first(lun('<wwn>5000c50015ea71ad</wwn>'))).toBe('Setting wwn is not supported for lun device')
    expect(first(lun('<product>x</product>'))).toBe('Setting vendor or product is not supported for lun device')
    const disk = (dev: string, iotune: string, file = `/${dev}.img`): string => `<disk type='file' device='disk'><source file='${file}'/><target dev='${dev}' bus='virtio'/><iotune>${iotune}</iotune></disk>`
    expect(first(dom(disk('vda', '<group_name>g</group_name>')))).toBe('group_name can be configured only together with settings')
    expect(first(dom(disk('vda', '<total_bytes_sec>5</total_bytes_sec><group_name>g</group_name>') + disk('vdb', '<total_bytes_sec>6</total_bytes_sec><group_name>g</group_name>')))).toBe('different iotunes for disks vda and vdb')
    expect(predicts(dom(disk('vda', '<total_bytes_sec>5</total_bytes_sec><group_name>g</group_name>') + disk('vdb', '<total_bytes_sec>5</total_bytes_sec><group_name>g</group_name>')))).toContain('<group_name>g</group_name>')
    expect(first(dom(disk('vda', '<total_bytes_sec>1000000000000001</total_bytes_sec>')))).toBe('block I/O throttle limit must be no more than 1000000000000000 using QEMU')
    // (a burst length is not capped)
    expect(predicts(dom(disk('vda', '<total_bytes_sec>5</total_bytes_sec><total_bytes_sec_max_length>1000000000000001</total_bytes_sec_max_length>')))).toContain('1000000000000001')
    expect(first(dom("<disk type='block' device='disk'><source dev='/dev/sda'/><target dev='vda' bus='virtio'/><transient/></disk>"))).toBe("transient disk supported only with 'file' type (vda)")
    expect(first(dom("<disk type='file' device='cdrom'><source file='/a.iso'/><target dev='sda' bus='scsi'/><transient/></disk>"))).toBe("transient disk 'sda' must not be read-only")
    expect(first(dom("<disk type='file' device='cdrom'><target dev='sda' bus='scsi'/><transient/></disk>"))).toBe("transient disk 'sda' must not be empty")
    expect(first(dom("<disk type='file' device='floppy'><source file='/a.img'/><target dev='fda' bus='fdc'/><transient/></disk>"))).toBe("transient disk supported only with 'disk' device (fda)")
  })
  it('filesystems by driver: virtiofs passes through, without write policy, model, format, several devices or file modes', () => {
    const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
    const fs = (attrs: string, driver: string, source = "<source dir='/x'/>"): string => dom(`<filesystem type='mount' ${attrs}><driver ${driver}/>${source}<target dir='y'/></filesystem>`, shared)
    expect(first(fs("accessmode='mapped'", "type='virtiofs'"))).toBe('virtiofs only supports passthrough accessmode')
    expect(first(fs("accessmode='passthrough'", "type='virtiofs' wrpolicy='immediate'"))).toBe('virtiofs does not support wrpolicy')
    expect(first(fs("model='virtio'", "type='virtiofs'"))).toBe('virtiofs does not support model')
    expect(first(fs("multidevs='remap'", "type='virtiofs'"))).toBe('virtiofs does not support multidevs')
    expect(first(fs('', "type='virtiofs' format='raw'"))).toBe('virtiofs does not support format')
    expect(first(fs("accessmode='mapped' fmode='644'", "type='virtiofs'", "<source socket='/tmp/s'/>"))).toBe('virtiofs does not support fmode and dmode')
    expect(first(fs("accessmode='squash'", "type='handle'"))).toBe('only supports passthrough accessmode')
  })
  it("TPM 1.2 per release, a pSeries TPM proxy's backend; host devices: no capabilities mode, a mediated device's QEMU device, a startup policy USB's", () => {
    const tpm = (model: string, backend = "<backend type='emulator' version='1.2'/>"): string => dom(`<tpm model='${model}'>${backend}</tpm>`, '', 'q35')
    expect(first(tpm('tpm-crb'), { v9: true })).toBe("Unsupported interface 'tpm-crb' for TPM 1.2")
    expect(first(tpm('tpm-crb'))).toBe("TPM 1.2 is not supported for model 'tpm-crb'")
    expect(first(dom("<hostdev mode='capabilities' type='storage'><source><block>/dev/sda</block></source></hostdev>"))).toBe("hostdev mode 'capabilities' is not supported in qemu")
    const mdev = (model: string, extra = ''): string => dom(`<hostdev mode='subsystem' type='mdev' model='${model}'><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source>${extra}</hostdev>`)
    expect(first(mdev('vfio-ap', "<boot order='1'/>"))).toBe('VFIO AP device assignment is not supported by this version of QEMU')
    expect(first(mdev('vfio-ccw'))).toBe('VFIO CCW device assignment is not supported by this version of QEMU')
    const usb = (attrs: string): string => dom(`<hostdev mode='subsystem' type='usb'><source ${attrs}><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>`)
    expect(refusal(usb("guestReset='uboot'"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'guestReset' in element 'source': 'uboot'.", path: 'domain/devices/hostdev[1]/source/@guestReset' })
    expect(first(usb("startupPolicy='bogus'"))).toBe("Invalid value for attribute 'startupPolicy' in element 'source': 'bogus'.")
    expect(first(dom("<hostdev mode='subsystem' type='pci'><source startupPolicy='optional'><address domain='0' bus='0' slot='3' function='0'/></source></hostdev>"))).toBe('Setting startupPolicy is only allowed for USB devices')
  })
  it('SCSI controllers: an ESP one is a built-in controller 0; virtio-scsi I/O threads on PCI or CCW', () => {
    expect(first(dom("<controller type='scsi' model='ncr53c90'/>"))).toBe('ncr53c90 SCSI controller is not a built-in for this machine')
    expect(first(dom("<controller type='scsi' model='virtio-scsi'><driver iothread='1'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></controller>", '<iothreads>1</iothreads>'))).toBe('virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers')
  })
})

describe("the domain parser's checks (domain_conf.c) preview lacked, each defined on libvirtd 9.0", () => {
  const first = (xml: string, o = {}): string => refusal(xml, o).message
  it('host devices: a USB vendor with its product, a SCSI LUN\'s address and adapter, an iSCSI target and one host, a capabilities device\'s element', () => {
    expect(first(dom("<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/></source></hostdev>"))).toBe('missing product')
    expect(first(dom("<hostdev mode='subsystem' type='usb'><source><product id='0x1234'/></source></hostdev>"))).toBe('missing vendor')
    expect(first(dom("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/></source></hostdev>"))).toBe("'address' must be specified for scsi hostdev source")
    expect(first(dom("<hostdev mode='subsystem' type='scsi'><source><address bus='0' target='0' unit='0'/></source></hostdev>"))).toBe("'adapter' name must be specified for scsi hostdev source")
    expect(first(dom("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi'><host name='h'/></source></hostdev>"))).toBe('missing iSCSI hostdev source path name')
    expect(first(dom("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.x/1'/></hostdev>"))).toBe('missing the host address for the iSCSI hostdev')
    expect(first(dom("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.x/1'><host name='a'/><host name='b'/></source></hostdev>"))).toBe('only one source host address may be specified for the iSCSI hostdev')
    // (the parser's words before the QEMU driver's refusal of the mode)
    expect(first(dom("<hostdev mode='capabilities' type='storage'><source/></hostdev>"))).toBe('Missing <block> element in hostdev storage device')
    expect(first(dom("<hostdev mode='capabilities' type='net'><source/></hostdev>"))).toBe('Missing <interface> element in hostdev net device')
  })
  it("disk sources by type: a network source's name, a volume's pool and volume, an NVMe source, storage slices", () => {
    const disk = (type: string, source: string): string => dom(`<disk type='${type}' device='disk'>${source}<target dev='vda' bus='virtio'/></disk>`)
    expect(first(disk('network', "<source protocol='rbd'/>"))).toBe('missing name for disk source')
    expect(first(disk('volume', "<source pool='p'/>"))).toBe("'pool' and 'volume' must be specified together for 'pool' type source")
    expect(refusal(disk('volume', "<source pool='p' volume='v' mode='x'/>"), { v9: true }).message).toBe("unknown source mode 'x' for volume type disk")
    // (11.3 reads it with virXMLPropEnum: seen on libvirtd 11.3)
    expect(first(disk('volume', "<source pool='p' volume='v' mode='x'/>"))).toBe("Invalid value for attribute 'mode' in element 'source': 'x'.")
    expect(first(disk('nvme', '<source/>'))).toBe("missing 'type' attribute to disk source")
    expect(first(disk('nvme', "<source type='xyz' namespace='1'/>"))).toBe("unsupported source type 'xyz'")
    expect(refusal(disk('nvme', "<source type='pci'/>"), { v9: true }).message).toBe("missing 'namespace' attribute to disk source")
    expect(refusal(disk('nvme', "<source type='pci' namespace='x'><address domain='0' bus='1' slot='0' function='0'/></source>"), { v9: true }).message).toBe("malformed namespace 'x'")
    // (11.3 reads it with virXMLPropULongLong, REQUIRED: seen on libvirtd 11.3)
    expect(first(disk('nvme', "<source type='pci'/>"))).toBe("Missing required attribute 'namespace' in element 'source'")
    expect(first(disk('nvme', "<source type='pci' namespace='1'/>"))).toBe('NVMe disk source is missing address')
    expect(first(disk('file', "<source file='/a.img'><slices><slice type='storage' offset='1'/></slices></source>"))).toBe('missing offset or size attribute of slice')
    expect(first(disk('file', "<source file='/a.img'><slices><slice type='storage' offset='x' size='1'/></slices></source>"))).toBe("malformed value 'x' of 'offset' attribute of slice")
  })
  it('CPU pins name their host CPUs (a vCPU the domain lacks aside), one per I/O thread', () => {
    expect(first(dom('', "<vcpu>2</vcpu><cputune><vcpupin vcpu='0'/></cputune>"))).toBe('missing cpuset for vcpupin')
    expect(predicts(dom('', "<vcpu>2</vcpu><cputune><vcpupin vcpu='5'/></cputune>"))).not.toContain('vcpupin')
    expect(first(dom('', '<cputune><emulatorpin/></cputune>'))).toBe('missing cpuset for emulatorpin')
    expect(first(dom('', "<iothreads>1</iothreads><cputune><iothreadpin iothread='1'/></cputune>"))).toBe('missing cpuset for iothreadpin')
    expect(first(dom('', "<iothreads>1</iothreads><cputune><iothreadpin iothread='1' cpuset='0'/><iothreadpin iothread='1' cpuset='0'/></cputune>"))).toBe("duplicate iothreadpin for same iothread '1'")
  })
  it('interfaces: a virtual port only where read, a send buffer, a teaming type, ROM tuning of a ROM switched on, a peer address, a coalescing count', () => {
    const nic = (inner: string, type = 'network'): string => dom(`<interface type='${type}'>${type === 'network' ? "<source network='default'/>" : ''}<mac address='52:54:00:01:02:03'/><model type='virtio'/>${inner}</interface>`)
    expect(first(nic("<virtualport type='openvswitch'/>", 'user'))).toBe("<virtualport> element unsupported for <interface type='user'>")
    expect(first(nic('<tune><sndbuf>-1</sndbuf></tune>'))).toBe('sndbuf must be a positive integer')
    expect(first(dom("<interface type='hostdev'><source><address type='pci' domain='0' bus='0' slot='3' function='0'/></source><teaming type='bogus'/></interface>"))).toBe("unknown teaming type 'bogus'")
    expect(first(nic("<rom enabled='no' bar='on'/>", 'user'))).toBe('ROM tuning is not supported when ROM is disabled')
    expect(first(nic("<ip address='10.0.0.1' peer='x'/>", 'ethernet'))).toBe("Invalid peer 'x' in <ip>")
    expect(first(nic("<coalesce><rx><frames max='99999999999'/></rx></coalesce>"))).toBe("value '99999999999' is too big for coalesce parameter, maximum is '4294967295'")
    expect(first(nic("<coalesce><rx><frames max='x'/></rx></coalesce>"))).toBe("cannot parse value 'x' for coalesce parameter")
    expect(predicts(nic("<coalesce><rx><frames max='+5'/></rx></coalesce>"))).toContain("<frames max='5'/>")
    expect(predicts(nic("<coalesce><rx><frames max=''/></rx></coalesce>"))).not.toContain('<coalesce>')
  })
  it('character devices, smartcards, graphics, video, filesystems, sysinfo, controllers', () => {
    expect(first(dom("<serial type='pty'><log file='/a'/><log file='/b'/><target port='0'/></serial>"))).toBe('only one log element is allowed for character device')
    expect(first(dom("<serial type='tcp'><source mode='bind' host='a' service='1'/><protocol type='raw'/><protocol type='telnet'/><target port='0'/></serial>"))).toBe('only one protocol element is allowed for character device')
    expect(first(dom("<channel type='pty'><target type='guestfwd' address='::1' port='1'/></channel>"))).toBe('guestfwd channel only supports IPv4 addresses')
    expect(first(dom("<channel type='spicevmc'><target type='guestfwd' address='10.0.2.1' port='4600'/></channel>"))).toBe('spicevmc device type only supports virtio')
    expect(first(dom("<serial type='pty'><target type='usb-serial'/><address type='pci' domain='0' bus='0' slot='9' function='0'/></serial>"))).toBe('usb-serial requires address of usb type')
    expect(first(dom("<smartcard mode='host-certificates'><certificate>a</certificate></smartcard>"))).toBe('host-certificates mode needs exactly three certificates')
    expect(first(dom("<smartcard mode='host-certificates'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate><database>rel</database></smartcard>"))).toBe('expecting absolute path: rel')
    expect(first(dom("<smartcard mode='passthrough'/>"))).toBe('passthrough mode requires a character device type attribute')
    expect(first(dom("<graphics type='vnc' passwd='x' passwdValidTo='2020-01-01T00:00:00 '/>"))).toBe("cannot parse password validity time '2020-01-01T00:00:00 ', expect YYYY-MM-DDTHH:MM:SS")
    // (written back in full, the epoch when no such time; not read without a password)
    expect(predicts(dom("<graphics type='vnc' passwd='x' passwdValidTo='2020-1-1T0:0:0'/>"))).toContain("passwdValidTo='2020-01-01T00:00:00'")
    expect(predicts(dom("<graphics type='vnc' passwd='x' passwdValidTo='2020-13-01T00:00:00'/>"))).toContain("passwdValidTo='1970-01-01T00:00:00'")
    expect(predicts(dom("<graphics type='vnc' passwdValidTo='2020-01-01T00:00:00'/>"))).not.toContain('passwdValidTo')
    expect(first(dom("<graphics type='rdp' port='x'/>"))).toBe('cannot parse rdp port x')
    expect(first(dom("<video><model type='virtio'><acceleration/></model></video>"))).toBe('missing values for acceleration')
    expect(first(dom("<filesystem type='mount' accessmode='mapped' dmode='1777'><source dir='/x'/><target dir='y'/></filesystem>"))).toBe("invalid dmode: '01777'")
    expect(first(dom('', "<sysinfo type='smbios'><system><entry name='uuid'>notauuid</entry></system></sysinfo>"))).toBe('malformed <sysinfo> uuid element')
    expect(first(dom('', "<sysinfo type='fwcfg'><entry>x</entry></sysinfo>"))).toBe("Firmware entry is missing 'name' attribute")
    expect(first(dom('', "<sysinfo type='fwcfg'><entry name='opt/x'/></sysinfo>"))).toBe("Firmware entry must have either value or 'file' attribute")
    expect(first(dom("<controller type='pci' index='1' model='pcie-expander-bus'><target busNr='250'><node>-1</node></target></controller>", '', 'q35'))).toBe('invalid NUMA node in target')
  })
})

describe('storage sources, USB and memory devices (qemu_domain.c, domain_conf.c), each defined on libvirtd 9.0', () => {
  const first = (xml: string): string => refusal(xml).message
  const net = (protocol: string, attrs: string, inner: string): string => dom(`<disk type='network' device='disk'><source protocol='${protocol}' name='x'${attrs}>${inner}</source><target dev='vda' bus='virtio'/></disk>`)
  it("a network disk's hosts: a transport libvirt knows, a socket for UNIX's alone, a name for the others", () => {
    expect(first(net('nbd', '', "<host transport='unix'/>"))).toBe('missing socket for unix transport')
    expect(first(net('nbd', '', "<host transport='tcp' socket='/a'/>"))).toBe("transport 'tcp' does not support socket attribute")
    expect(refusal(net('nbd', '', "<host socket='/a'/>"), { v9: true }).message).toBe("transport '(null)' does not support socket attribute")
    expect(refusal(net('nbd', '', "<host transport='bogus'/>"), { v9: true }).message).toBe("unknown protocol transport type 'bogus'")
    // (11.3: the transport read with virXMLPropEnumDefault, TCP when none is written — seen on libvirtd 11.3)
    expect(first(net('nbd', '', "<host socket='/a'/>"))).toBe("transport 'tcp' does not support socket attribute")
    expect(first(net('nbd', '', "<host transport='bogus'/>"))).toBe("Invalid value for attribute 'transport' in element 'host': 'bogus'.")
    expect(first(net('iscsi', '', '<host/>').replace("name='x'", "name='x/1'"))).toBe('missing name for host')
    expect(predicts(net('nbd', '', "<host transport='unix' socket='/tmp/nbd.sock'/>"))).toContain("<host transport='unix' socket='/tmp/nbd.sock'/>")
  })
  it("a query string is HTTP(S)'s (another protocol's is not read); a TLS host name NBD's; a metadata cache qcow2's", () => {
    expect(predicts(net('ftp', " query='a=b'", "<host name='h' port='21'/>"))).toContain("<source protocol='ftp' name='x'>")
    expect(predicts(net('https', " query='a=b'", "<host name='h' port='443'/>"))).toContain("query='a=b'")
    expect(first(net('http', " tlsHostname='a'", "<host name='h' port='80'/>"))).toBe("'tlsHostname' field is supported only with NBD disks")
    expect(first(dom("<disk type='file' device='disk'><driver name='qemu' type='raw'><metadata_cache><max_size unit='KiB'>1024</max_size></metadata_cache></driver><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>"))).toBe('metadata cache max size control is supported only with qcow2 images')
  })
  it("Parallels' USB controllers are refused at post-parse; virtio memory devices sit on PCI", () => {
    expect(refusal(dom("<controller type='usb' model='qusb1'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "USB controller model type 'qusb1' or 'qusb2' is not supported in qemu", path: "domain/devices/controller[@type='usb'][@index='0']/@model" })
    const numa = "<maxMemory slots='4' unit='GiB'>8</maxMemory><cpu><numa><cell id='0' cpus='0' memory='524288'/></numa></cpu>"
    expect(first(dom("<memory model='virtio-pmem'><source><path>/tmp/x</path></source><target><size unit='MiB'>128</size></target><address type='dimm' slot='0'/></memory>", numa))).toBe("only 'pci' addresses are supported for the virtio-pmem device")
    const vmem = dom("<memory model='virtio-mem'><target><size unit='MiB'>128</size><node>0</node><block unit='MiB'>2</block></target><address type='dimm' slot='0'/></memory>", numa)
    expect(refusal(vmem, { v9: true }).message).toBe("only 'pci' addresses are supported for the virtio-mem device")
    // (libvirt 11.3 takes a CCW address too: qemuDomainDefValidateMemoryHotplugDevice's words then)
    expect(first(vmem)).toBe("only 'pci' and 'ccw' addresses are supported for the virtio-mem device")
  })
})

describe("the domain's own settings the parser checks (virDomainDefParseXML), each defined on libvirtd 9.0", () => {
  const first = (xml: string): string => refusal(xml).message
  it('schedulers, a generation ID, SEV settings, the TPM and redirection filter counts', () => {
    expect(first(dom('', "<cputune><vcpusched vcpus='^0' scheduler='fifo' priority='1'/></cputune>"))).toBe("'vcpus' scheduler bitmap '^0' is empty")
    expect(first(dom('', "<cputune><emulatorsched scheduler='fifo' priority='1'/><emulatorsched scheduler='fifo' priority='1'/></cputune>"))).toBe('only one emulatorsched is supported')
    expect(refusal(dom('', '<genid>xyz</genid>'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'malformed genid element', path: 'domain/genid' })
    const sev = (inner: string): string => dom('', `<launchSecurity type='sev'>${inner}</launchSecurity>`)
    expect(first(sev('<cbitpos>47</cbitpos>'))).toBe('failed to get launch security policy')
    expect(first(sev('<policy>0x0001</policy><cbitpos>-1</cbitpos>'))).toBe('Invalid format for launch security cbitpos')
    expect(first(sev('<policy>0x0001</policy><reducedPhysBits>x</reducedPhysBits>'))).toBe('Invalid format for launch security reduced-phys-bits')
    const tpm = "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"
    expect(first(dom(tpm + tpm + tpm, '', 'q35'))).toBe('a maximum of two TPM devices is supported, one of them being a TPM Proxy device')
    expect(first(dom("<redirfilter><usbdev allow='yes'/></redirfilter><redirfilter><usbdev allow='yes'/></redirfilter>"))).toBe('only one set of redirection filter rule is supported')
  })
  it('more than 255 x86 vCPUs need Q35 and an IOMMU with extended interrupts; an SD card no serial', () => {
    const q35 = (devices: string): string => dom(devices, "<vcpu>256</vcpu><features><ioapic driver='qemu'/></features>", 'q35')
    // (a QEMU without an Intel IOMMU: libvirt 11 then adds none either)
    const noIommu = capsXml({ flags: x86Flags.filter((f) => !f.startsWith('intel-iommu')) })
    expect(refusal(q35(''), { caps: noIommu }).message).toBe('more than 255 vCPUs require extended interrupt mode enabled on the iommu device')
    expect(refusal(q35(''), { v9: true }).message).toBe('more than 255 vCPUs require extended interrupt mode enabled on the iommu device')
    expect(refusal(q35("<iommu model='intel'/>"), { caps: noIommu }).message).toBe('more than 255 vCPUs require extended interrupt mode enabled on the iommu device')
    expect(refusal(q35("<iommu model='intel'/>"), { v9: true }).message).toBe('more than 255 vCPUs require extended interrupt mode enabled on the iommu device')
    expect(predicts(q35("<iommu model='intel'><driver intremap='on' eim='on'/></iommu>"))).toContain("<vcpu placement='static'>256</vcpu>")
    // (libvirt 11 adds the IOMMU where QEMU has one; 9.0 adds none and refuses)
    const iommuCaps = capsXml({ flags: [...x86Flags, 'intel-iommu', 'intel-iommu.intremap', 'intel-iommu.eim'] })
    expect(predicts(q35(''), { caps: iommuCaps })).toContain("<iommu model='intel'>")
    expect(refusal(q35(''), { caps: iommuCaps, v9: true }).message).toBe('more than 255 vCPUs require extended interrupt mode enabled on the iommu device')
    expect(first(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='sda' bus='sd'/><serial>x</serial></disk>"))).toBe("Serial property not supported for drive bus 'sd'")
  })
  it("an evdev input's grab, toggle and repeat; a virtiofs daemon's cache and sandbox modes (the odd-value search edit, seed 306)", () => {
    expect(first(dom("<input type='evdev'><source dev='/dev/input/event1' grab='ALL'/></input>"))).toBe("Invalid value for attribute 'grab' in element 'source': 'ALL'.")
    expect(first(dom("<input type='evdev'><source dev='/dev/input/event1' grabToggle='x'/></input>"))).toBe("Invalid value for attribute 'grabToggle' in element 'source': 'x'.")
    // (an input before a host device, as the parser reads them)
    expect(first(dom("<hostdev mode='subsystem' type=' pci' managed='yes'><source><address domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/></source></hostdev><input type='evdev'><source dev='/dev/input/event1' grab='ALL' repeat='on'/></input>"))).toBe("Invalid value for attribute 'grab' in element 'source': 'ALL'.")
    const shared = "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
    const fs = (binary: string): string => dom(`<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><binary>${binary}</binary><source dir='/x'/><target dir='y'/></filesystem>`, shared)
    expect(first(fs("<cache mode=' '/>"))).toBe("Invalid value for attribute 'mode' in element 'cache': ' '.")
    expect(first(fs("<cache mode='default'/>"))).toBe("Invalid value for attribute 'mode' in element 'cache': 'default'.")
    expect(first(fs("<sandbox mode='x'/>"))).toBe("Invalid value for attribute 'mode' in element 'sandbox': 'x'.")
  })
  it("an I/O thread's pool: a maximum above 0, a minimum not above it (one left out counts as -1: a minimum alone is refused)", () => {
    expect(first(dom('', "<iothreadids><iothread id='1' thread_pool_max='0'/></iothreadids>"))).toBe('thread_pool_max must be a positive integer')
    expect(first(dom('', "<iothreadids><iothread id='1' thread_pool_min='1'/></iothreadids>"))).toBe('thread_pool_min must be smaller or equal to thread_pool_max')
    expect(first(dom('', "<defaultiothread thread_pool_min='3' thread_pool_max='2'/>"))).toBe('thread_pool_min must be smaller or equal to thread_pool_max')
    expect(predicts(dom('', "<iothreadids><iothread id='1' thread_pool_min='1' thread_pool_max='2'/></iothreadids>"))).toContain("thread_pool_max='2'")
  })
  it("a host device's mode before what its mode reads (the odd-value search edit, seed 307)", () => {
    const zz = dom("<hostdev mode='zz' type='mdev' model=''><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>")
    expect(refusal(zz, { v9: true }).message).toBe("unknown hostdev mode 'zz'")
    // (libvirt 11.3 reads the mode with virXMLPropEnumDefault: its words)
    expect(first(zz)).toBe("Invalid value for attribute 'mode' in element 'hostdev': 'zz'.")
  })
  it("a host device interface's address type, a passthrough TPM's default device (the odd-value search edit, seed 308)", () => {
    const nic = (address: string): string => dom(`<interface type='hostdev' managed='yes'><mac address='52:54:00:01:02:03'/><source>${address}</source></interface>`)
    expect(refusal(nic("<address domain='0x0005' bus='0x90' slot='0x01' function='0x0'/>"), { v9: true }).message).toBe('missing source address type')
    expect(first(nic("<address type='-1' domain='0x0005' bus='0x90' slot='0x01' function='0x0'/>"))).toBe("unknown host device source address type '-1'")
    expect(predicts(dom("<tpm model='tpm-tis'><backend type='passthrough'><device path=''/></backend></tpm>"))).toContain("<device path='/dev/tpm0'/>")
    expect(predicts(dom("<tpm model='tpm-tis'><backend type='passthrough'/></tpm>"))).toContain("<device path='/dev/tpm0'/>")
  })
  it("a channel's target, a USB input's or redirected device's USB address, a process capability's name", () => {
    expect(first(dom("<channel type='pty'/>"))).toBe('target type must be specified for channel device')
    expect(first(dom("<input type='tablet' bus='usb'><address type='pci' domain='0' bus='0' slot='9' function='0'/></input>"))).toBe('Invalid address for a USB device')
    expect(first(dom("<redirdev bus='usb' type='spicevmc'><address type='pci' domain='0' bus='0' slot='9' function='0'/></redirdev>"))).toBe('Invalid address for a USB device')
    expect(first(dom('', "<features><capabilities policy='default'><bogus state='on'/></capabilities></features>"))).toBe("unexpected capability feature 'bogus'")
  })
  it("an OS's firmware name is checked after its firmware features (the odd-value search edit, seed 310)", () => {
    const os = dom('', '').replace("<os><type arch='x86_64' machine='pc'>hvm</type></os>", "<os firmware='-1'><type arch='x86_64' machine='pc'>hvm</type><firmware><feature enabled='yes' name='secure-boot '/></firmware></os>")
    expect(first(os)).toBe("Invalid value for attribute 'name' in element 'feature': 'secure-boot '.")
    expect(first(os.replace("<firmware><feature enabled='yes' name='secure-boot '/></firmware>", ''))).toBe('unknown firmware value -1')
  })
})


describe('a CPU topology of more than 2^32 - 1 vCPUs (virDomainDefGetVcpusTopology)', () => {
  it('is refused by the generic validation in its words, not as a topology that does not match the vCPU count', () => {
    const overflow = { name: 'PreviewError', code: 'preview-refused', message: 'cpu topology results in more than 4294967295 cpus', path: 'domain/cpu/topology' }
    for (const v9 of [true, false]) {
      expect(refusal(dom('', "<vcpu>4</vcpu><cpu><topology sockets='2147483648' cores='2' threads='1'/></cpu>"), { v9 })).toEqual(overflow)
      // (each step of the product checked: 65536 × 65536 passes UINT_MAX, 65536 × 65535 does not and is a mismatch)
      expect(refusal(dom('', "<vcpu>4</vcpu><cpu><topology sockets='65536' dies='65536' cores='1' threads='1'/></cpu>"), { v9 })).toEqual(overflow)
      expect(refusal(dom('', "<vcpu>4</vcpu><cpu><topology sockets='65536' dies='65535' cores='1' threads='1'/></cpu>"), { v9 }).message).toBe("CPU topology doesn't match maximum vcpu count")
    }
    // libvirt 11 multiplies its clusters in too
    expect(refusal(dom('', "<vcpu>4</vcpu><cpu><topology sockets='65536' dies='1' clusters='65536' cores='1' threads='1'/></cpu>"))).toEqual(overflow)
  })
})

describe("a NIC model of characters libvirt refuses (virDomainNetSetModelString), in libvirt's reading order", () => {
  it('comes after the devices parsed before NICs and after the NIC\'s own type and trustGuestRxFilters', () => {
    const nic = "<interface type='user'><model type=' virtio'/></interface>"
    const model = { name: 'PreviewError', code: 'preview-invalid-value', message: 'Model name contains invalid characters', path: 'domain/devices/interface[1]/model/@type' }
    for (const v9 of [true, false]) {
      expect(refusal(dom(nic, '', 'q35'), { v9 })).toEqual(model)
      // (controllers are parsed before NICs, whatever the document's order — seed 311 of the differential search)
      expect(refusal(dom(`${nic}<controller type='pci' index='zz' model='pcie-root'/>`, '', 'q35'), { v9 }).path).toBe('domain/devices/controller[1]/@index')
      expect(refusal(dom("<interface type='usr'><model type=' virtio'/></interface>", '', 'q35'), { v9 }).path).toBe('domain/devices/interface[1]/@type')
      expect(refusal(dom("<interface type='user' trustGuestRxFilters='maybe'><model type=' virtio'/></interface>", '', 'q35'), { v9 }).path).toBe('domain/devices/interface[1]/@trustGuestRxFilters')
      // (before its MAC address and its own address)
      expect(refusal(dom("<interface type='user'><mac address='zz'/><model type=' virtio'/><address type='pci' slot='zz'/></interface>", '', 'q35'), { v9 })).toEqual(model)
    }
  })
})

describe("a TPM backend's attributes (virDomainTPMDefParseXML)", () => {
  const tpm = (backend: string): string => `<tpm model='tpm-tis'>${backend}</tpm>`
  it("an emulator's version of libvirt's names, `default` refused (NONZERO) — seed 311 of the differential search", () => {
    for (const version of ['2.0 ', 'bogus', 'default']) {
      expect(refusal(dom(tpm(`<backend type='emulator' version='${version}'/>`), '', 'q35'))).toEqual({
        name: 'PreviewError', code: 'preview-invalid-value', message: `Invalid value for attribute 'version' in element 'backend': '${version}'.`, path: 'domain/devices/tpm[1]/backend/@version',
      })
    }
    expect(predicts(dom(tpm("<backend type='emulator' version='1.2'/>"), '', 'q35'), { v9: true })).toContain("<backend type='emulator' version='1.2'/>")
  })

  it("a passthrough or external backend's emulator settings are not read, so not written back", () => {
    expect(predicts(dom(tpm("<backend type='passthrough' version='bogus' persistent_state='yes'/>"), '', 'q35'))).toContain("<backend type='passthrough'>")
    expect(predicts(dom(tpm("<backend type='external' version='2.0' persistent_state='yes'><source type='unix' mode='connect' path='/tmp/x.sock'/></backend>"), '', 'q35'))).toContain("<backend type='external'>")
  })
})

describe("an audio backend's faults in libvirt's reading order (virDomainAudioDefParseXML)", () => {
  const audio = (body: string, attrs = "type='sdl' driver='pulseaudio'"): string => dom(`<audio id='1' ${attrs}>${body}</audio>`, '', 'q35')
  it("each direction's common settings (input first, whatever the document's order) before the type's own attributes", () => {
    // (an SDL input's bufferCount is read after the output's settings — seed 311 of the differential search)
    expect(refusal(audio("<input mixingEngine='yes' fixedSettings='yes' bufferCount=''><settings format='S16'/></input>")).path).toBe('domain/devices/audio[1]/input/settings/@format')
    expect(refusal(audio("<input bufferCount='x'/><output voices='0'/>")).path).toBe('domain/devices/audio[1]/output/@voices')
    expect(refusal(audio("<output mixingEngine='maybe'/><input voices='x'/>")).path).toBe('domain/devices/audio[1]/input/@voices')
    expect(refusal(audio("<input bufferCount='x'/>")).path).toBe('domain/devices/audio[1]/input/@bufferCount')
    expect(refusal(audio("<input tryPoll='x'/><output voices='0'/>", "type='oss' tryMMap='maybe'")).path).toBe('domain/devices/audio[1]/output/@voices')
  })
})

describe('a controller only a disk implies, refused while validating (an IDE controller past the first)', () => {
  it("stands where controllers stand in libvirt's device walk, after the disks and NICs (sushy-tools' test domain)", () => {
    const disk = (dev: string, bus: string, file: string): string => `<disk type='file' device='disk'><source file='${file}'/><target dev='${dev}' bus='${bus}'/></disk>`
    // (the disk's own check first: it comes before every controller, whatever other disk is written before it)
    expect(refusal(dom(disk('vda', 'virtio', '/a.img') + disk('hdk', 'ide', '/b.img')))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'Only 1 IDE controller is supported', path: "domain/devices/disk[target/@dev='hdk']",
    })
    const cdrom = "<disk type='file' device='cdrom'><target dev='hda' bus='ide'/></disk>"
    // (a NIC's refusal before the implied controller's, a watchdog's after it)
    expect(refusal(dom(`${cdrom}<interface type='user'><model type='virtio'/><driver queues='2' rx_queue_size='7'/></interface>`, '', 'q35')).message).toBe('rx_queue_size has to be a power of two')
    expect(refusal(dom(`${cdrom}<watchdog model='diag288'/>`, '', 'q35')).message).toBe('IDE controllers are unsupported for this QEMU binary or machine type')
  })
})

describe("two refusals of libvirt's generic validation (virDomainDefValidateInternal), each on libvirtd 9.0", () => {
  it("the one its steps meet first (model's genericValidationSteps), not the one preview's table lists first", () => {
    const twins = "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='disk'><source file='/b.img'/><target dev='vda' bus='virtio'/></disk>"
    const coredump = '<on_poweroff>coredump-destroy</on_poweroff>'
    for (const v9 of [true, false]) {
      // (one disk a target name before the lifecycle actions; a topology's size before them too)
      expect(refusal(dom(twins, coredump), { v9 }).message).toBe("target 'vda' duplicated for disk sources '/a.img' and '/b.img'")
      expect(refusal(dom('', `${coredump}<vcpu>2</vcpu><cpu><topology sockets='2147483648' cores='2' threads='1'/></cpu>`), { v9 }).message).toBe('cpu topology results in more than 4294967295 cpus')
      // (lifecycle, then cputune, then the tunables)
      const blkio = '<blkiotune><device><path>/dev/sda</path><weight>100</weight></device><device><path>/dev/sda</path><weight>200</weight></device></blkiotune>'
      expect(refusal(dom('', `${coredump}<cputune><period>1</period></cputune>${blkio}`), { v9 }).message).toBe("Lifecycle event 'poweroff' doesn't support 'coredump-destroy' action")
      expect(refusal(dom('', `<cputune><period>1</period></cputune>${blkio}`), { v9 }).message).toBe("Value of cputune 'period' must be in range [1000, 1000000]")
    }
  })
})

describe("checks of libvirt's generic device validation a message list showed missing (virDomainDiskDefValidate, virDomainVideoDefValidate)", () => {
  it('persistent reservations on a LUN alone, an NVMe namespace from 1, a render node for a vhost-user display, a resolution above 0', () => {
    const q35 = (devices: string) => refusal(dom(devices, '', 'q35'))
    expect(q35("<disk type='file' device='disk'><source file='/a.img'><reservations managed='yes'/></source><target dev='sda' bus='scsi'/></disk>")).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: '<reservations/> allowed only for lun devices', path: "domain/devices/disk[target/@dev='sda']/source/reservations",
    })
    expect(q35("<disk type='nvme' device='disk'><source type='pci' managed='yes' namespace='00'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source><target dev='vda' bus='virtio'/></disk>").message).toBe("NVMe namespace can't be zero")
    expect(q35("<video><driver name='qemu'/><model type='virtio'><acceleration accel3d='no' rendernode='/dev/dri/renderD128'/></model></video>").message).toBe("unsupported rendernode accel attribute without 'vhostuser'")
    expect(q35("<video><model type='virtio'><resolution x='800' y='00'/></model></video>").message).toBe('video resolution values must be greater than 0')
    expect(predicts(dom("<video><model type='virtio'><resolution x='800' y='600'/></model></video>", '', 'q35'))).toContain("<resolution x='800' y='600'/>")
  })
})

describe('seed 315 of the differential search (odd values), each on libvirtd 9.0', () => {
  it("a sound codec's type of libvirt's names, in document order (model deviceNames.soundCodecTypes)", () => {
    const codecs = (body: string) => refusal(dom(`<sound model='ich6'>${body}</sound>`, '', 'q35'))
    expect(codecs("<codec type='-1'/>")).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown codec type '-1'", path: 'domain/devices/sound[1]/codec/@type' })
    expect(codecs("<codec type='duplex'/><codec type='bogus'/>").path).toBe('domain/devices/sound[1]/codec[2]/@type')
    expect(codecs('<codec/>').message).toBe("unknown codec type '(null)'")
    expect(codecs("<codec type=''/>").message).toBe("unknown codec type ''")
    expect(predicts(dom("<sound model='ich6'><codec type='micro'/></sound>", '', 'q35'))).toContain("<codec type='micro'/>")
  })

  it("a Hyper-V spinlock count that does not read is refused by its reader, not as below 4095", () => {
    const spinlocks = (retries: string) => refusal(dom('', `<features><hyperv mode='custom'><spinlocks state='on' retries='${retries}'/></hyperv></features>`, 'q35')).message
    expect(spinlocks('')).toBe("Invalid value for attribute 'retries' in element 'spinlocks': ''. Expected non-negative integer value")
    expect(spinlocks('-1')).toBe("Invalid value for attribute 'retries' in element 'spinlocks': '-1'. Expected non-negative integer value")
    expect(spinlocks('100')).toBe('HyperV spinlock retry count must be at least 4095')
  })

  it("NUMA cells' faults in document order, each cell's in its parser's order (model settingRepeatedReadParts)", () => {
    const cells = (body: string) => refusal(dom('', `<vcpu>16</vcpu><cpu><numa>${body}</numa></cpu>`, 'q35')).path
    expect(cells("<cell id='' cpus='8-15' memory='109550' unit='KiB'/><cell id='0' cpus='' memory='109550' unit='KiB'/>")).toBe('domain/cpu/numa/cell[1]/@id')
    expect(cells("<cell id='' cpus='' memory='109550' unit='KiB'/><cell id='1' cpus='0-7' memory='109550' unit='KiB'/>")).toBe('domain/cpu/numa/cell[1]/@id')
    expect(cells("<cell id='0' cpus='0-7' memory='x' unit='KiB'/><cell id='' cpus='8-15' memory='109550' unit='KiB'/>")).toBe('domain/cpu/numa/cell[1]/@memory')
  })

  it("a SPICE agent channel's target type libvirt does not know is refused as it reads the target", () => {
    const spice = (target: string) => refusal(dom(`<channel type='spicevmc'>${target}</channel><graphics type='spice'/>`, '', 'q35')).message
    expect(spice("<target type='zz' name='com.redhat.spice.0'/>")).toBe("unknown target type 'zz' specified for character device")
    expect(spice('<target/>')).toBe("unknown target type '(null)' specified for character device")
    expect(spice("<target type='guestfwd' address='10.0.2.1' port='4600'/>")).toBe('spicevmc device type only supports virtio')
  })
})

describe("checks of the QEMU driver's validation a message list showed missing, each on libvirtd 9.0", () => {
  it("an absolute clock starts by 9999-12-31T23:59:59, checked after the timers", () => {
    const start = (value: string, timers = '') => dom('', `<clock offset='absolute' start='${value}'>${timers}</clock>`)
    expect(refusal(start('253402300800'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "The maximum 'start' value for <clock offset='absolute'> is 253402300799", path: 'domain/clock/@start' })
    expect(predicts(start('253402300799'))).toContain("<clock offset='absolute' start='253402300799'/>")
    expect(refusal(start('253402300800', "<timer name='platform'/>")).message).toBe("unsupported timer type (name) 'platform'")
  })

  it("receive coalescing on a virtual network's or a bridge's NIC alone (an empty frame count is none)", () => {
    const nic = (type: string, max: string) => dom(`<interface type='${type}'><mac address='52:54:00:11:22:33'/><source network='default'/><model type='virtio'/><coalesce><rx><frames max='${max}'/></rx></coalesce></interface>`, '', 'q35')
    expect(refusal(nic('user', '7'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'coalesce settings on interface type user are not supported', path: 'domain/devices/interface[1]/coalesce' })
    expect(refusal(nic('ethernet', '7')).message).toBe('coalesce settings on interface type ethernet are not supported')
    expect(predicts(nic('network', '7'))).toContain("<frames max='7'/>")
    expect(predicts(nic('user', ''))).not.toContain('coalesce')
  })
})

describe("a filesystem's space limits (virDomainFSDefParseXML, virDomainFSDefFormat), each on libvirtd 9.0", () => {
  const fs = (limits: string) => dom(`<filesystem type='mount'><source dir='/tmp'/><target dir='t'/>${limits}</filesystem>`, '', 'q35')
  const written = (xml: string) => /<filesystem[\s\S]*?<\/filesystem>/.exec(predicts(xml, { v9: true }))![0]
  it('stored in bytes after the device information by 9.0, 0 or empty as none; refused by 11 (from its source)', () => {
    expect(refusal(fs("<space_hard_limit unit='KiB'>1024</space_hard_limit>"))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'filesystem usage limits are not supported with QEMU', path: 'domain/devices/filesystem[1]/space_hard_limit',
    })
    expect(predicts(fs("<space_hard_limit unit='bytes'>0</space_hard_limit>"))).not.toContain('limit')
    expect(written(fs("<space_soft_limit unit='G'>2</space_soft_limit><space_hard_limit unit='KiB'>1024</space_hard_limit>")))
      .toMatch(/<address [^>]*\/>\n {6}<space_hard_limit unit='bytes'>1048576<\/space_hard_limit>\n {6}<space_soft_limit unit='bytes'>2147483648<\/space_soft_limit>\n {4}<\/filesystem>/)
    expect(written(fs("<space_hard_limit unit='bytes'>0</space_hard_limit><space_soft_limit></space_soft_limit>"))).not.toContain('limit')
  })

  it("refused in virParseScaledValue's words: a value that does not read, an unknown unit, more than 2^64 - 1 bytes", () => {
    expect(refusal(fs("<space_hard_limit unit='EiB'>100</space_hard_limit>"))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'value too large: 100EiB', path: 'domain/devices/filesystem[1]/space_hard_limit',
    })
    expect(refusal(fs('<space_hard_limit>x</space_hard_limit>')).message).toBe("Invalid value 'x' for element or attribute './space_hard_limit[1]'")
    expect(refusal(fs('<space_soft_limit>  </space_soft_limit>')).message).toBe("Invalid value '  ' for element or attribute './space_soft_limit[1]'")
    expect(refusal(fs("<space_hard_limit unit='zz'>1</space_hard_limit>")).message).toBe("unknown suffix 'zz'")
  })
})

describe("a USB redirection filter rule's class (virDomainRedirFilterUSBDevDefParseXML), on libvirtd 9.0", () => {
  const rule = (attrs: string) => dom(`<redirdev bus='usb' type='spicevmc'/><redirfilter><usbdev ${attrs} allow='yes'/></redirfilter><graphics type='spice'/>`, '', 'q35')
  it('one byte or -1, named in hex as libvirt does (a negative one as its 32 bits), checked as it is read', () => {
    expect(refusal(rule("class='0x100'"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'Invalid USB Class code 0x100', path: 'domain/devices/redirfilter[1]/usbdev/@class' })
    expect(refusal(rule("class='-2'")).message).toBe('Invalid USB Class code 0xfffffffe')
    expect(refusal(rule("class='0x100' vendor='x'")).message).toBe('Invalid USB Class code 0x100')
    expect(predicts(rule("class='0xff'"))).toContain("class='0xFF'")
  })
})

describe("more of libvirt's checks a message list showed missing, each on libvirtd 9.0", () => {
  it("a Xen feature of libvirt's names (virDomainFeaturesXENDefParse)", () => {
    expect(refusal(dom('', "<features><xen><e820_host state='on'/><bogus/></xen></features>", 'q35'))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'unsupported Xen feature: bogus', path: 'domain/features/xen/bogus',
    })
  })

  it("Q35's first SATA controller at 00:1f.2 alone (qemuDomainValidateDevicePCISlotsQ35)", () => {
    const sata = (address: string) => dom(`<controller type='sata' index='0'><address type='pci' ${address}/></controller>`, '', 'q35')
    expect(refusal(sata("bus='0x00' slot='0x1e' function='0x2'"))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'Primary SATA controller must have PCI address 0:0:1f.2', path: "domain/devices/controller[@type='sata'][@index='0']/address",
    })
    expect(predicts(sata("bus='0x00' slot='0x1f' function='0x2'"))).toContain("<controller type='sata' index='0'>")
    // (checked before the ISA bridge takes 00:1f.0: a SATA controller written there is refused for its address, another
    // device there for the address taken twice — the differential, seed 1090, libvirtd 9.0)
    expect(refusal(sata("bus='0x00' slot='0x1f' function='0'")).message).toBe('Primary SATA controller must have PCI address 0:0:1f.2')
    expect(refusal(dom("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000e'/><address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0'/></interface>", '', 'q35')).message).toBe('Attempted double use of PCI Address 0000:00:1f.0')
  })
})

describe('an unassigned device address (virDomainDeviceInfoValidate), on libvirtd 9.0', () => {
  it("a host device's alone", () => {
    expect(refusal(dom("<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/><address type='unassigned'/></interface>", '', 'q35'))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "address of type 'unassigned' is supported only for hostdevs", path: 'domain/devices/interface[1]/address/@type',
    })
    expect(predicts(dom("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x02' function='0x0'/></source><address type='unassigned'/></hostdev>", '', 'q35'))).toContain("<address type='unassigned'/>")
  })
})

describe('a blank <path> is a path of blanks to libvirt (virXPathString), seed 317 of the differential search', () => {
  it("a blkio device's and an NVDIMM's, read and written back as written; an empty one is none", () => {
    expect(predicts(dom('', '<blkiotune><device><path> </path><weight>500</weight></device></blkiotune>', 'q35'))).toContain('<path> </path>')
    expect(refusal(dom('', '<blkiotune><device><path></path><weight>500</weight></device></blkiotune>', 'q35')).message).toBe('missing per-device path')
    expect(refusal(dom('', '<blkiotune><device><path> </path><weight>500</weight></device><device><path> </path><weight>400</weight></device></blkiotune>', 'q35')).message).toBe("duplicate blkio device path ' '")
    const numa = "<maxMemory slots='4' unit='KiB'>4194304</maxMemory><vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='524288' unit='KiB'/></numa></cpu>"
    const nvdimm = (path: string) => dom(`<memory model='nvdimm'><source><path>${path}</path></source><target><size unit='KiB'>524288</size><node>0</node></target></memory>`, numa)
    expect(predicts(nvdimm(' '))).toContain('<path> </path>')
    expect(refusal(nvdimm('')).message).toBe("path is required for model 'nvdimm'")
  })
})

describe("libvirt 11's watchdog checks (qemuValidateDomainWatchdogDef, qemuValidateDomainDefWatchdogs; from 11.3's source)", () => {
  const watchdogs = (devices: string, machine = 'q35') => dom(devices, '', machine)
  it('an iTCO one on Q35 at no address, an ib700 on i440fx, one of each model but i6300esb, one action for all', () => {
    expect(refusal(watchdogs("<watchdog model='itco' action='reset'/>", 'pc')).message).toBe('itco model of watchdog is only part of q35 machine')
    expect(refusal(watchdogs("<watchdog model='itco'><address type='pci' bus='0x00' slot='0x09' function='0x0'/></watchdog>")).message).toBe('itco model of watchdog is part of the machine and cannot have any address set.')
    expect(refusal(watchdogs("<watchdog model='ib700'/>")).message).toBe('ib700 model of watchdog cannot be used with this machine type')
    expect(refusal(watchdogs("<watchdog model='ib700'/><watchdog model='ib700'/>", 'pc'))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "domain can only have one watchdog with model 'ib700'", path: 'domain/devices/watchdog[2]',
    })
    expect(refusal(watchdogs("<watchdog model='i6300esb' action='reset'/><watchdog model='i6300esb' action='poweroff'/>")).message).toBe('watchdogs with different actions are not supported with this QEMU binary')
    // (Q35's implicit iTCO watchdog takes the first one's action)
    expect(predicts(watchdogs("<watchdog model='i6300esb' action='poweroff'/>"))).toContain("<watchdog model='itco' action='poweroff'/>")
    // (libvirt 9.0 knows none of that: one watchdog, no iTCO model)
    expect(refusal(watchdogs("<watchdog model='ib700'/><watchdog model='ib700'/>", 'pc'), { v9: true }).message).toBe('only a single watchdog device is supported')
  })
})

describe("more of libvirt 11's checks 9.0 did not make (from 11.3's source; 9.0's behaviour kept)", () => {
  const q35 = (devices: string, extra = '') => dom(devices, extra, 'q35')
  const disk = (inner: string, device = 'disk') => `<disk type='file' device='${device}'>${inner}</disk>`
  it("a disk's queue size, qcow2's discard-no-unref, one way of naming its I/O threads, throttle filters", () => {
    expect(refusal(q35(disk("<driver name='qemu' queue_size='256'/><source file='/a.img'/><target dev='sda' bus='sata'/>"))).message).toBe('queue_size attribute in disk driver is only supported for virtio bus')
    expect(refusal(q35(disk("<driver name='qemu' type='raw' discard_no_unref='on'/><source file='/a.img'/><target dev='vda' bus='virtio'/>"))).message).toBe("'discard_no_unref' only works with qcow2 disk format")
    expect(refusal(q35(disk("<driver name='qemu' type='qcow2' discard_no_unref='on'/><source file='/a.img'/><target dev='vda' bus='virtio'/><readonly/>"))).message).toBe("'discard_no_unref' is not compatible with read-only disk")
    expect(refusal(q35(disk("<driver name='qemu' type='qcow2' iothread='1'><iothreads><iothread id='1'/></iothreads></driver><source file='/a.img'/><target dev='vda' bus='virtio'/>"), '<iothreads>1</iothreads>')).message)
      .toBe("disk driver 'iothread' attribute can't be used together with 'iothreads' subelement")
    const groups = '<throttlegroups><throttlegroup><group_name>g</group_name><total_bytes_sec>10</total_bytes_sec></throttlegroup></throttlegroups>'
    expect(refusal(q35(disk("<source file='/a.iso'/><target dev='sda' bus='sata'/><throttlefilters><throttlefilter group='g'/></throttlefilters>", 'cdrom'), groups)).message).toBe("cdrom device with throttle filters isn't supported")
    expect(refusal(q35(disk("<source file='/a.img'/><target dev='vda' bus='virtio'/><throttlefilters><throttlefilter group='h'/></throttlefilters>"), groups)).message).toBe("throttle group 'h' not found")
    expect(predicts(q35(disk("<source file='/a.img'/><target dev='vda' bus='virtio'/><throttlefilters><throttlefilter group='g'/></throttlefilters>"), groups))).toContain("<throttlefilter group='g'/>")
    // (libvirt 9.0 keeps a SATA disk's queue size)
    expect(() => predicts(q35(disk("<driver name='qemu' queue_size='256'/><source file='/a.img'/><target dev='sda' bus='sata'/>")), { v9: true })).not.toThrow()
  })

  it("a controller's I/O threads, a vhost-user or vDPA NIC's model, QEMU's RDP server, an MTP filesystem", () => {
    // (an `iothread` attribute is refused by the post-parse, in 11 as in 9.0; an `<iothreads>` mapping by the validation)
    expect(refusal(dom("<controller type='scsi' model='lsilogic'><driver iothread='1'/></controller>", '<iothreads>1</iothreads>')).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
    expect(refusal(dom("<controller type='scsi' model='lsilogic'><driver><iothreads><iothread id='1'/></iothreads></driver></controller>", '<iothreads>1</iothreads>')).message).toBe("iothreads are supported only by 'virtio-scsi' controllers")
    expect(refusal(q35("<controller type='scsi' model='virtio-scsi'><driver iothread='2'/></controller>", '<iothreads>1</iothreads>')).message).toBe("controller iothread '2' not defined in iothreadid")
    expect(refusal(q35("<interface type='vdpa'><source dev='/dev/vhost-vdpa-0'/><model type='e1000'/></interface>")).message).toBe("invalid model for interface of type 'vdpa': 'e1000' - must be 'virtio'")
    expect(refusal(q35("<graphics type='rdp' replaceUser='yes'/>")).message).toBe("RDP doesn't support 'replaceUser'")
    expect(refusal(q35("<graphics type='rdp' passwd='x' passwdValidTo='2030-01-01T00:00:00'/>")).message).toBe("RDP password expiration isn't supported")
    expect(refusal(q35("<filesystem type='mount' accessmode='mapped'><driver type='mtp'/><source dir='/tmp'/><target dir='t'/></filesystem>")).message).toBe('mtp only supports passthrough accessmode')
  })
})

describe("libvirt 11's TPM profile and shim checks (from 11.3's source)", () => {
  it('a TPM profile is TPM 2.0\'s; a shim loads a kernel', () => {
    expect(refusal(dom("<tpm model='tpm-tis'><backend type='emulator' version='1.2'><profile source='local:x'/></backend></tpm>")).message).toBe("<profile/> requires TPM version '2.0'")
    // (checked past the loader's checks alone: without a loader the shim is stored — seen on libvirtd 11.3)
    expect(refusal(dom('', '', 'q35').replace('</type>', "</type><loader readonly='yes' type='rom'>/b.bin</loader><shim>/a</shim>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'shim only allowed with kernel option', path: 'domain/os/shim' })
    expect(predicts(dom('', '', 'q35').replace('</type>', '</type><shim>/a</shim>'))).toContain('<shim>/a</shim>')
    expect(predicts(dom('', '', 'q35').replace('</type>', '</type><kernel>/k</kernel><shim>/a</shim>'))).toContain('<shim>/a</shim>')
  })
})

describe('a NIC model libvirt does not know on s390 (virDomainNetIsVirtioModel), seed 322 of the differential search', () => {
  it('is no virtio device: not on the channel subsystem, but on zPCI', () => {
    const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
    const xml = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>
      <interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtiox'/></interface><interface type='user'><mac address='52:54:00:11:22:34'/><model type='virtio'/></interface></devices></domain>`
    const out = predicts(xml, { caps: s390Caps })
    expect(out).toMatch(/<model type='virtiox'\/>\s*<address type='pci'[^>]*>\s*<zpci /)
    expect(out).toMatch(/<model type='virtio'\/>\s*<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'\/>/)
  })
})

describe("a video model's type read before its sizes (virDomainVideoModelDefParseXML), seed 326 of the differential search", () => {
  it('an unknown type is refused first; a known one lets the head count be read', () => {
    expect(refusal(dom("<video><model type='VGA' heads='-1'/></video>", '', 'q35'), { v9: true }).message).toBe("unknown video model 'VGA'")
    expect(refusal(dom("<video><model type='vga' heads='-1'/></video>", '', 'q35'), { v9: true }).message).toBe("cannot parse video heads '-1'")
  })
})

describe("libvirt 11's ACPI ERST store (from 11.3's source; its test data writes the address this gives)", () => {
  const pstore = (inner: string, extra = '') => dom(`<pstore backend='acpi-erst'>${inner}</pstore>${extra}`, '', 'q35')
  it('takes the next PCI slot after every other device; one a domain, with a path and a power-of-two size of 4 KiB or more', () => {
    expect(predicts(pstore("<path>/tmp/p</path><size unit='KiB'>8</size>"), { caps: capsXml({ flags: [...x86Flags, 'acpi-erst'] }) })).toMatch(/<size unit='KiB'>8<\/size>\n {6}<address type='pci' /)
    const caps = capsXml({ flags: [...x86Flags, 'acpi-erst'] })
    expect(refusal(pstore("<size unit='KiB'>8</size>"), { caps }).message).toBe('missing path for ACPI ERST pstore device')
    expect(refusal(pstore("<path>/tmp/p</path><size unit='KiB'>6</size>"), { caps }).message).toBe('invalid size of ACPI ERST pstore device')
    expect(refusal(pstore("<path>/tmp/p</path><size unit='KiB'>8</size>", "<pstore backend='acpi-erst'><path>/tmp/q</path><size unit='KiB'>8</size></pstore>"), { caps }).message).toBe('only a single pstore device is supported')
    expect(refusal(pstore("<path>/tmp/p</path><size unit='KiB'>8</size><address type='isa' iobase='0x505'/>"), { caps }).message).toBe('ACPI ERST device must reside on a PCI bus')
    expect(refusal(pstore("<path>/tmp/p</path><size unit='KiB'>8</size>")).message).toBe('acpi-erst backend of pstore device is not supported')
  })
})

describe('an empty shared memory size (virDomainShmemDefParseXML), seed 330 of the differential search', () => {
  it("is none: the post-parse's 4 MiB", () => {
    expect(predicts(dom("<shmem name='lg'><model type='ivshmem-plain'/><size unit='M'></size></shmem>", '', 'q35'))).toContain("<size unit='M'>4</size>")
  })
})

describe("a leaf's blank text is kept (libxml2 drops blank text between elements, not a leaf's): the stray-text and blank-text search edits, seeds 332–342", () => {
  const cpu = (inner: string): string => dom('', `<cpu${inner}</cpu>`)
  it("a CPU model of blank text is the name ' ': written back, with the fallback a named model gets", () => {
    expect(predicts(cpu(" mode='host-model'><model fallback='forbid'> </model>"))).toContain("<cpu mode='host-model' check='partial'>\n    <model fallback='forbid'> </model>\n  </cpu>")
    expect(predicts(cpu('><model> </model>'))).toContain("<model fallback='allow'> </model>")
    // (a vendor beside it has a model, and a blank vendor is a vendor)
    expect(predicts(cpu('><model> </model><vendor>Intel</vendor>'))).toContain('<vendor>Intel</vendor>')
    expect(predicts(cpu('><model>qemu64</model><vendor> </vendor>'))).toContain('<vendor> </vendor>')
    // (an empty model is none: the machine's default is written)
    expect(predicts(cpu('><model></model>'))).toContain("<model fallback='forbid'>qemu64</model>")
    expect(refusal(cpu('><model/><vendor>Intel</vendor>')).message).toBe('CPU vendor specified without CPU model')
  })

  it("a random RNG backend's blank file is that file; an empty one is /dev/random", () => {
    expect(predicts(dom("<rng model='virtio'><backend model='random'> </backend></rng>"))).toContain("<backend model='random'> </backend>")
    expect(predicts(dom("<rng model='virtio'><backend model='random'></backend></rng>"))).toContain("<backend model='random'>/dev/random</backend>")
  })

  it('text where libvirt reads none is not written, blank or not (a TPM or NIC backend, a video model, an input device)', () => {
    const out = predicts(dom("<tpm model='tpm-tis'><backend type='emulator'>x</backend></tpm><interface type='user'><mac address='52:54:00:00:00:01'/><backend tap='/dev/net/tun'> </backend></interface><video><model type='vga'>x</model></video><input type='tablet' bus='usb'>x</input>"))
    expect(out).toContain("<backend type='emulator' version='1.2'/>")
    expect(out).toContain("<backend tap='/dev/net/tun'/>")
    expect(out).toMatch(/<model type='vga' vram='16384' heads='1' primary='yes'\/>/)
    expect(out).toContain("<input type='tablet' bus='usb'>\n      <address type='usb'")
  })

  it("a disk's blank serial, vendor and product are kept; blank values that must read are refused in libvirt's words", () => {
    const disk = predicts(dom("<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='sda' bus='scsi'/><serial> </serial><vendor> </vendor><product> </product></disk>"))
    expect(disk).toContain('<serial> </serial>\n      <vendor> </vendor>\n      <product> </product>')
    expect(refusal(dom('', '<bootloader> </bootloader>')).message).toBe('bootloader is not supported by QEMU')
    expect(refusal(dom('', '<cputune><shares> </shares></cputune>')).message).toBe("can't parse cputune shares value")
    expect(refusal(dom('', '<genid> </genid>')).message).toBe('malformed genid element')
    const caps = capsXml({ flags: [...x86Flags, 'vmgenid'] })
    expect(predicts(dom('', '<genid> 00010203-0405-4607-8809-0a0b0c0d0e0f </genid>'), { caps })).toContain('<genid>00010203-0405-4607-8809-0a0b0c0d0e0f</genid>')
    expect(predicts(dom('', "<seclabel type='static' model='dac' relabel='no'><label> </label></seclabel>"))).toContain('<label> </label>')
  })

  it("a memory limit: empty is none, blank is refused with the blank in libvirt's words; a guarantee of 0 is none", () => {
    expect(predicts(dom('', '<memtune><hard_limit></hard_limit><soft_limit>100</soft_limit></memtune>'))).toContain("<memtune>\n    <soft_limit unit='KiB'>100</soft_limit>\n  </memtune>")
    expect(refusal(dom('', '<memtune><hard_limit> </hard_limit></memtune>')).message).toBe("Invalid value ' ' for element or attribute './memtune/hard_limit[1]'")
    expect(predicts(dom('', "<memtune><min_guarantee unit='MiB'>0</min_guarantee><hard_limit>0</hard_limit></memtune>"))).toContain("<memtune>\n    <hard_limit unit='KiB'>0</hard_limit>\n  </memtune>")
    expect(predicts(dom('', '<memtune><min_guarantee></min_guarantee></memtune>'))).not.toContain('memtune')
    expect(refusal(dom('', "<memtune><min_guarantee unit='b'>1</min_guarantee></memtune>")).message).toBe("Parameter 'min_guarantee' not supported by QEMU.")
  })

  it("a controller's second <model> is refused even when both are empty (counted before either is read)", () => {
    expect(refusal(dom("<controller type='usb' index='0' model='none'><model/><model/></controller>")).message).toBe('Multiple <model> elements in controller definition not allowed')
    expect(predicts(dom("<controller type='usb' index='0' model='none'><model> </model></controller>"))).toContain("<controller type='usb' index='0' model='none'/>")
  })
})

describe('empty text libvirt reads as none or as nothing (the blank-text search edit, seed 338; libvirtd 9.0)', () => {
  it("a smartcard's empty certificate is written open and closed; an empty database fails without a word, a blank one is no absolute path", () => {
    const card = (certificates: string, database = ''): string => dom(`<smartcard mode='host-certificates'>${certificates}${database}</smartcard>`)
    expect(predicts(card('<certificate>a</certificate><certificate>b</certificate><certificate></certificate>'))).toContain('<certificate>b</certificate>\n      <certificate></certificate>')
    expect(refusal(card('<certificate>a</certificate><certificate>b</certificate><certificate>c</certificate>', '<database></database>'))).toMatchObject({ code: 'preview-refused', message: 'An error occurred, but the cause is unknown' })
    expect(refusal(card('<certificate>a</certificate><certificate>b</certificate><certificate>c</certificate>', '<database> </database>')).message).toBe('expecting absolute path:  ')
  })

  it("a memory device's empty size is 0 KiB: a virtio-mem device's requested size written so, an empty block size refused", () => {
    const mem = (target: string): string => dom(`<memory model='virtio-mem'><target>${target}</target></memory>`, "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/></numa></cpu><maxMemory slots='4' unit='GiB'>4</maxMemory>", 'q35')
    expect(predicts(mem("<size unit='GiB'>1</size><node>0</node><block unit='MiB'>2</block><requested unit='GiB'></requested>"))).toContain("<block unit='KiB'>2048</block>\n        <requested unit='KiB'>0</requested>")
    expect(refusal(mem("<size unit='GiB'>1</size><node>0</node><block unit='MiB'></block><requested unit='GiB'>1</requested>")).message).toBe('block size must be a power of two')
  })
})

describe('values read as written, blanks around them included (the blank-text search edit, seeds 343–348; libvirtd 9.0)', () => {
  it("a title of a newline and blanks is refused; a blank NUMA node of a PCI expander bus does not read; an empty ACPI table is written open and closed", () => {
    expect(refusal(dom('', '<title>\n  </title>')).message).toBe("Domain title can't contain newlines")
    // (read right after the IDs, before the lifecycle actions — the blank-text search, seed 631; h34-title-newline-lifecycle)
    expect(refusal(dom('', '<title>\n  </title><on_crash>\n  </on_crash>'), { v9: true }).message).toBe("Domain title can't contain newlines")
    expect(refusal(dom('', '<title>one line</title><on_crash>\n  </on_crash>'), { v9: true }).message).toBe('unknown on_crash action: \n  ')
    const pxb = (node: string): string => dom(`<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-expander-bus'><target busNr='254'>${node}</target></controller>`, "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/></numa></cpu>", 'q35')
    expect(refusal(pxb('<node> </node>')).message).toBe('invalid NUMA node in target')
    expect(predicts(pxb('<node></node>'))).toContain("<target busNr='254'/>")
    expect(predicts(dom('').replace('</os>', "<acpi><table type='slic'></table></acpi></os>"))).toContain("<table type='slic'></table>")
  })
  it('a number with blanks after it or a name with blanks before it is refused; blanks before a number are skipped', () => {
    expect(refusal(dom('', '<vcpu>2 </vcpu>')).message).toBe('maximum vcpus count must be an integer')
    expect(predicts(dom('', '<vcpu> 2</vcpu>'))).toContain("<vcpu placement='static'>2</vcpu>")
    expect(refusal(dom('', '<on_reboot> restart</on_reboot>')).message).toBe('unknown on_reboot action:  restart')
  })
})

describe("a second of an element the schema takes once is not read (the repeat-child search edit, seeds 350–358; libvirtd 9.0)", () => {
  it('the first is read and written alone: a disk source, a NIC MAC, a balloon stats period, a loader, the emulator', () => {
    const out = predicts(dom("<emulator>/usr/bin/qemu-system-x86_64</emulator><emulator>/usr/bin/qemu-system-x86_64</emulator><disk type='file' device='disk'><source file='/a.img'/><source file='/b.img'/><target dev='vda' bus='virtio'/><readonly/><readonly/></disk><interface type='user'><mac address='52:54:00:00:00:01'/><mac address='52:54:00:00:00:02'/></interface><memballoon model='virtio'><stats period='10'/><stats period='20'/></memballoon>"))
    expect(out.match(/<emulator>/g)).toHaveLength(1)
    expect(out).toContain("<source file='/a.img'/>")
    expect(out).not.toContain('/b.img')
    expect(out.match(/<readonly\/>/g)).toHaveLength(1)
    expect(out).not.toContain('52:54:00:00:00:02')
    expect(out).toContain("<stats period='10'/>")
    expect(out).not.toContain("period='20'")
  })
  it('several <os> are one: each single setting the first, every boot device kept', () => {
    const out = predicts(dom('').replace('</os>', "<boot dev='cdrom'/></os><os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>"))
    expect(out).toContain("<type arch='x86_64' machine='pc-i440fx-")
    expect(out).toContain("<boot dev='cdrom'/>\n    <boot dev='hd'/>")
  })
  it("several <hugepages> are read as one: their pages together (model readAsOneWhenRepeated)", () => {
    expect(refusal(dom('', "<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>")).message).toBe('two master hugepages detected: 2048 and 2048')
  })
  it("two <cpu>: the first is read, but the cells and interconnects of each one's first <numa> (model readThroughWhenRepeated; seed 362)", () => {
    const cell = (id: number, cpus: string): string => `<cell id='${id}' cpus='${cpus}' memory='262144'/>`
    const latency = (n: number): string => `<latency initiator='${n}' target='${n}' type='access' value='5'/>`
    const out = predicts(dom('', `<vcpu>2</vcpu><cpu><numa>${cell(0, '0')}<interconnects>${latency(0)}</interconnects></numa></cpu><cpu mode='host-model'><numa>${cell(1, '1')}<interconnects>${latency(1)}</interconnects></numa><numa>${cell(2, '1')}</numa></cpu>`))
    expect(out).toContain("<memory unit='KiB'>524288</memory>")
    expect(out).toContain("<cpu mode='custom' match='exact' check='none'>")
    expect(out).toMatch(/<numa>\n\s*<cell id='0' cpus='0' memory='262144' unit='KiB'\/>\n\s*<cell id='1' cpus='1' memory='262144' unit='KiB'\/>\n\s*<interconnects>\n\s*<latency initiator='0'[^>]*\/>\n\s*<latency initiator='1'[^>]*\/>\n\s*<\/interconnects>\n\s*<\/numa>/)
    // (the second's NUMA stands in a first without one; one id in both is refused in the parser's words)
    expect(predicts(dom('', `<vcpu>2</vcpu><cpu mode='host-model'/><cpu><numa>${cell(0, '0-1')}</numa></cpu>`))).toContain("<cpu mode='host-model' check='partial'>\n    <numa>")
    expect(refusal(dom('', `<vcpu>2</vcpu><cpu><numa>${cell(0, '0')}</numa></cpu><cpu><numa>${cell(0, '1')}</numa></cpu>`)).message).toBe("Duplicate NUMA cell info for cell id '0'")
  })
  it('of several controllers written twice, the one libvirt meets first: types as first written, each by index (seed 382)', () => {
    const refused = (controllers: string): string => refusal(dom(controllers)).message
    expect(refused("<controller type='scsi' index='1'/><controller type='scsi' index='1'/><controller type='ide' index='0'/><controller type='ide' index='0'/>")).toBe("Multiple 'scsi' controllers with index '1'")
    expect(refused("<controller type='sata' index='3'/><controller type='pci' index='0' model='pci-root'/><controller type='sata' index='1'/><controller type='pci' index='0' model='pci-root'/><controller type='sata' index='3'/><controller type='sata' index='1'/>")).toBe("Multiple 'sata' controllers with index '1'")
  })
  it('a second where libvirt counts them is still refused (model refusedWhenRepeated)', () => {
    expect(refusal(dom("<rng model='virtio'><backend model='random'/><backend model='random'/></rng>")).message).toBe('only one RNG backend is supported')
    expect(refusal(dom("<serial type='pty'><log file='/a'/><log file='/b'/><target port='0'/></serial>")).message).toBe('only one log element is allowed for character device')
    // (a passthrough smartcard, a redirected device and an RNG's backend are character devices too: seed 381)
    const tcp = "<source mode='connect' host='localhost' service='4000'/><protocol type='raw'/><protocol type='raw'/>"
    expect(refusal(dom(`<redirdev bus='usb' type='tcp'>${tcp}</redirdev>`))).toMatchObject({ message: 'only one protocol element is allowed for character device', path: 'domain/devices/redirdev[1]/protocol[2]' })
    expect(refusal(dom(`<smartcard mode='passthrough' type='tcp'>${tcp}</smartcard>`)).message).toBe('only one protocol element is allowed for character device')
    expect(refusal(dom(`<rng model='virtio'><backend model='egd' type='tcp'>${tcp}</backend></rng>`)).path).toBe('domain/devices/rng[1]/backend/protocol[2]')
    expect(refusal(dom("<redirdev bus='usb' type='tcp'><source mode='connect' host='localhost' service='4000'/><log file='/a'/><log file='/b'/></redirdev>")).message).toBe('only one log element is allowed for character device')
  })
})

describe("children in libvirt's order whatever the order written (the shuffle-children search edit, seeds 349–354; libvirtd 9.0)", () => {
  it("a PCI controller's model before its target, a tap's addresses before its routes, an iSCSI source's host, auth, initiator", () => {
    expect(predicts(dom("<controller type='pci' index='0' model='pci-root'/><controller type='pci' index='1' model='pci-bridge'><target chassisNr='1'/><model name='pci-bridge'/></controller>"))).toMatch(/<model name='pci-bridge'\/>\n\s*<target chassisNr='1'\/>/)
    expect(predicts(dom("<interface type='ethernet'><mac address='52:54:00:00:00:03'/><source><route family='ipv4' address='10.20.0.0' prefix='16' gateway='192.168.125.2'/><ip address='192.168.125.1' family='ipv4' prefix='24' peer='192.168.125.2'/></source></interface>"))).toMatch(/<ip address='192\.168\.125\.1'[^>]*\/>\n\s*<route /)
    expect(predicts(dom("<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.1992-01.com.example:storage/2'><initiator><iqn name='iqn.2020-07.com.example:test'/></initiator><auth username='myname'><secret type='iscsi' usage='x'/></auth><host name='example.org' port='3260'/></source></hostdev>"))).toMatch(/<host name='example\.org' port='3260'\/>\n\s*<auth username='myname'>[\s\S]*<\/auth>\n\s*<initiator>/)
  })
  it("an audio backend's input before its output, a virtiofs daemon's cache before its sandbox, a memory device's source before its target", () => {
    // (a guest NUMA's cells before their interconnects: virDomainNumaDefFormatXML, model formatterChildOrders 'cpu/numa')
    expect(predicts(dom('', "<vcpu>2</vcpu><cpu><numa><interconnects><latency initiator='0' target='0' type='access' value='5'/></interconnects><cell id='0' cpus='0-1' memory='524288'/></numa></cpu>"))).toMatch(/<cell id='0'[^>]*\/>\n\s*<interconnects>/)
    expect(predicts(dom("<audio id='1' type='none'><output mixingEngine='no'/><input mixingEngine='no'/></audio>"))).toMatch(/<input mixingEngine='no'\/>\n\s*<output mixingEngine='no'\/>/)
    expect(predicts(dom("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><binary path='/usr/libexec/virtiofsd'><sandbox mode='chroot'/><cache mode='always'/></binary><source dir='/tmp'/><target dir='t'/></filesystem>", "<memoryBacking><access mode='shared'/></memoryBacking>", 'q35'))).toMatch(/<cache mode='always'\/>\n\s*<sandbox mode='chroot'\/>/)
  })
})

describe('what the repeat-child and shuffle-children searches found next (seeds 358 and 360; libvirtd 9.0)', () => {
  it("an encryption's secrets are all read, though 9.0's schema takes one; a redirected TCP device's source before its protocol", () => {
    const secrets = "<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80fb0'/><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"
    const out = predicts(dom(`<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/image'><host name='mon1.example.org' port='6321'/><encryption format='luks' engine='librbd'>${secrets}</encryption></source><target dev='vda' bus='virtio'/></disk>`), { v9: true, caps: capsXml({ flags: [...x86Flags, 'rbd-encryption'] }) })
    expect(out.match(/<secret type='passphrase'/g)).toHaveLength(2)
    expect(predicts(dom("<redirdev bus='usb' type='tcp'><protocol type='raw'/><source mode='connect' host='localhost' service='4000'/></redirdev>"))).toMatch(/<source mode='connect' host='localhost' service='4000'\/>\n\s*<protocol type='raw'\/>/)
  })
  it('the first four boot devices are read, the rest not even checked', () => {
    const out = predicts(dom('').replace('</os>', "<boot dev='hd'/><boot dev='cdrom'/><boot dev='network'/><boot dev='fd'/><boot dev='bogus'/></os>"))
    expect(out.match(/<boot dev=/g)).toHaveLength(4)
  })
})

describe('what the repeat-child and shuffle-children searches found last (seeds 358–363; libvirtd 9.0)', () => {
  it('a USB controller written twice on i440fx is the PIIX3 function 00:01.2 taken twice, refused before the USB buses are', () => {
    expect(refusal(dom("<controller type='usb' index='0'/><controller type='usb' index='0'/>")).message).toBe('Attempted double use of PCI Address 0000:00:01.2')
    expect(refusal(dom("<controller type='usb' index='0' model='qemu-xhci'/><controller type='usb' index='0' model='qemu-xhci'/>")).message).toBe('Duplicate USB controllers with index 0')
  })
  it("a drive address used twice is refused once the PCI addresses are assigned; a host device's driver before its source, read-only after", () => {
    expect(refusal(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='hda' bus='ide'/></disk><disk type='file' device='disk'><source file='/b.img'/><target dev='hdb' bus='ide'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk><controller type='usb' index='0'/><controller type='usb' index='0'/>")).message).toBe('Attempted double use of PCI Address 0000:00:01.2')
    expect(refusal(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='hda' bus='ide'/></disk><disk type='file' device='disk'><source file='/b.img'/><target dev='hdb' bus='ide'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>")).message).toBe("Found duplicate drive address for disk with target name 'hda' controller='0' bus='0' target='0' unit='0'")
    expect(predicts(dom("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source><driver name='vfio'/></hostdev>"))).toMatch(/<driver name='vfio'\/>\n\s*<source>/)
  })
})

describe('what the repeat-child search found at seed 386 (libvirtd 9.0)', () => {
  it("a gluster or RBD disk's source is named past its pool; a boot order twice is refused before a second serial console", () => {
    expect(refusal(dom("<disk type='network' device='disk'><source protocol='rbd' name='pool/image'><host name='h'/></source><target dev='vda' bus='virtio'/></disk><disk type='network' device='disk'><source protocol='gluster' name='vol/dir/image2'><host name='h'/></source><target dev='vda' bus='virtio'/></disk>")).message).toBe("target 'vda' duplicated for disk sources 'image' and 'dir/image2'")
    expect(refusal(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/><boot order='1'/></disk><interface type='user'><boot order='1'/></interface><console type='pty'><target type='virtio'/></console><console type='pty'><target type='serial'/></console>")).message).toBe("boot order '1' used for more than one device")
  })
})

describe('the searches at seeds 428–429 (libvirtd 9.0)', () => {
  it("a NUMA cell's ID is read before its vCPUs, the only cell too", () => {
    expect(refusal(dom('', "<vcpu>2</vcpu><cpu><numa><cell id=' ' cpus='zz' memory='524288' unit='KiB'/></numa></cpu>")).message).toBe("Invalid value for attribute 'id' in element 'cell': ' '. Expected non-negative integer value")
  })
  it("the sources named when two disks share a target: an iSCSI name's LUN 0, a vhost-user socket none", () => {
    const iscsi = "<disk type='network' device='disk'><source protocol='iscsi' name='iqn.1992-01.com.example'><host name='h'/></source><target dev='vda' bus='virtio'/></disk>"
    expect(refusal(dom(iscsi + iscsi)).message).toBe("target 'vda' duplicated for disk sources 'iqn.1992-01.com.example/0' and 'iqn.1992-01.com.example/0'")
    const vhost = "<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost1.sock'/><target dev='vdb' bus='virtio'/></disk>"
    expect(refusal(dom(vhost + vhost, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")).message).toBe("target 'vdb' duplicated for disk sources '<null>' and '<null>'")
  })
})

describe("a machine's vCPU limit is validated after the post-parse (the odd-value search edit, seed 422; libvirtd 9.0)", () => {
  it('an empty memory size and a PCI function taken twice are reported first', () => {
    expect(refusal(dom('', '<vcpu>300</vcpu>')).message).toBe('Maximum CPUs greater than specified machine type limit 255')
    expect(refusal(dom("<controller type='usb' index='0'/><controller type='usb' index='0'/>", '<vcpu>300</vcpu>')).message).toBe('Attempted double use of PCI Address 0000:00:01.2')
    expect(refusal(dom('', '<vcpu>300</vcpu>').replace("<memory unit='MiB'>512</memory>", '<memory></memory>')).message).toBe('Memory size must be specified via <memory> or in the <numa> configuration')
  })
})

describe('a PCI address on an ARM board without PCI (the odd-value search edit, seed 422; libvirtd 9.0)', () => {
  it('has no bus to stand on', () => {
    const board = capsXml({ arch: 'aarch64', flags: ['qemu-xhci'], machines: "<machine type='tcg' name='integratorcp' maxCpus='1' default='yes'/>" })
    const xml = dom("<controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></controller>").replace("arch='x86_64' machine='pc'", "arch='aarch64' machine='integratorcp'")
    expect(refusal(xml, { caps: board, v9: true }).message).toBe('No PCI buses available')
  })
})

describe('network storage read by virXPathString and virXMLPropString (the odd-value search edit, seeds 415–416; libvirtd 9.0)', () => {
  const disk = (source: string): string => dom(`<disk type='network' device='disk'><driver name='qemu' type='raw'/>${source}<target dev='vda' bus='virtio'/></disk>`)
  it('an empty name is a name to the parser, then none: not written', () => {
    expect(predicts(disk("<source protocol='ssh' name=''><host name='example.org' port='2222'/></source>"))).toContain("<source protocol='ssh'>\n        <host name='example.org' port='2222'/>")
  })
  it('an empty snapshot or configuration file is none', () => {
    const out = predicts(disk("<source protocol='rbd' name='pool/image'><host name='h'/><snapshot/><config file=''/></source>"))
    expect(out).not.toContain('<snapshot')
    expect(out).not.toContain('<config')
    expect(predicts(disk("<source protocol='rbd' name='pool/image'><host name='h'/><snapshot name='s1'/></source>"))).toContain("<snapshot name='s1'/>")
  })
  it("a network NVRAM store's protocol is read before its hosts' ports", () => {
    const nvram = dom('').replace('</os>', "<nvram type='network' format='qcow2'><source protocol='nbd '><host name='example.org' port='-1'/></source></nvram></os>")
    expect(refusal(nvram).message).toBe("Invalid value for attribute 'protocol' in element 'source': 'nbd '.")
  })
})

describe("a tap's peer and routes as libvirt writes what it read (the odd-value search edit, seed 410; libvirtd 9.0)", () => {
  it('each numeric address in virSocketAddrFormat form', () => {
    const out = predicts(dom("<interface type='ethernet'><mac address='52:54:00:00:00:09'/><source><ip address='10.0.0.1' peer='10.2' prefix='24'/><route family='ipv4' address='10.20.0.0' prefix='16' gateway='0'/><route family='ipv4' address='10.21.0.0' netmask='255.255.0.0' gateway='0x0a000001'/><route family='ipv6' address='2001:DB8::' prefix='32' gateway='FE80::1'/></source></interface>"))
    expect(out).toContain("<ip address='10.0.0.1' family='ipv4' prefix='24' peer='10.0.0.2'/>")
    expect(out).toContain("<route family='ipv4' address='10.20.0.0' prefix='16' gateway='0.0.0.0'/>")
    expect(out).toContain("<route family='ipv4' address='10.21.0.0' netmask='255.255.0.0' gateway='10.0.0.1'/>")
    expect(out).toContain("<route family='ipv6' address='2001:db8::' prefix='32' gateway='fe80::1'/>")
  })
  it("a port forward's address too; one that does not read is refused (libvirt 9.0 reads it, passt or not)", () => {
    const forward = (address: string): string => dom(`<interface type='user'><mac address='52:54:00:00:00:09'/><portForward proto='tcp' address='${address}' dev='eth0'><range start='2022' to='22'/></portForward></interface>`)
    expect(predicts(forward('0'), { v9: true })).toContain("<portForward proto='tcp' address='0.0.0.0' dev='eth0'>")
    expect(refusal(forward('zz'), { v9: true })).toMatchObject({ message: "Invalid address 'zz' in <portForward>", path: 'domain/devices/interface[1]/portForward[1]/@address' })
  })
})

describe("an input device's children in its formatter's order (virDomainInputDefFormat)", () => {
  it('the virtio options\' <driver>, then the source, whatever the order written (the shuffle-children search, seed 631; h34-input-driver-source, libvirtd 9.0)', () => {
    const input = "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event1234'/><driver iommu='on'/></input>"
    for (const v9 of [true, false]) expect(predicts(dom(input), { v9 })).toMatch(/<input type='passthrough' bus='virtio'>\n\s*<driver iommu='on'\/>\n\s*<source evdev='\/dev\/input\/event1234'\/>/)
  })
})

describe("a video device's parts in its parser's order (virDomainVideoDefParseXML)", () => {
  const video = (driver: string, model: string, inner = ''): string => dom(`<video><driver name='${driver}'/><model ${model}>${inner}</model></video>`)
  it("libvirt 9.0: the model's acceleration and resolution, then the driver, then the model's type and sizes (the differential's odd-form search, seed 622; h34-video-…)", () => {
    expect(refusal(video('bogus', "type='virtio' heads='x'", "<acceleration accel3d=''/>"), { v9: true }).message).toBe("Invalid value for attribute 'accel3d' in element 'acceleration': ''.")
    expect(refusal(video('bogus', "type='virtio'", "<resolution x='a' y='1'/>"), { v9: true }).message).toBe("Invalid value for attribute 'x' in element 'resolution': 'a'. Expected non-negative integer value")
    expect(refusal(video('bogus', "type='bogusmodel'", "<acceleration accel3d='yes'/>"), { v9: true }).message).toBe("Invalid value for attribute 'name' in element 'driver': 'bogus'.")
  })
  it('libvirt 11.3: the whole model first (virDomainVideoModelDefParseXML), then the driver', () => {
    expect(refusal(video('bogus', "type='bogusmodel'")).message).toBe("Invalid value for attribute 'type' in element 'model': 'bogusmodel'.")
    expect(refusal(video('bogus', "type='virtio'", "<acceleration accel3d=''/>")).message).toBe("Invalid value for attribute 'accel3d' in element 'acceleration': ''.")
    expect(refusal(video('bogus', "type='virtio'")).message).toBe("Invalid value for attribute 'name' in element 'driver': 'bogus'.")
  })
})

describe('a secondary video of an empty type (the odd-value search edit, seed 406; libvirtd 9.0)', () => {
  it("is the machine's default type, named so in the refusal", () => {
    expect(refusal(dom("<video><model type='qxl' primary='yes'/></video><video><model type=''/></video>"), { v9: true }).message).toBe("video type 'cirrus' is only valid as primary video device")
    // (libvirt 11.3 reads the type with virXMLPropEnumDefault: an empty one is refused as it is read)
    expect(refusal(dom("<video><model type='qxl' primary='yes'/></video><video><model type=''/></video>")).message).toBe("Invalid value for attribute 'type' in element 'model': ''.")
  })
})

describe("a USB controller of no ports (the odd-value search edit, seed 403; libvirtd 9.0)", () => {
  it("`ports='0'` gives no bus: a USB device finds no free port", () => {
    expect(predicts(dom("<controller type='usb' index='0' model='nec-xhci' ports='0'/>"))).toContain("<controller type='usb' index='0' model='nec-xhci' ports='0'>")
    expect(refusal(dom("<controller type='usb' index='0' model='nec-xhci' ports='0'/><input type='mouse' bus='usb'/>")).message).toBe('No free USB ports')
  })
})

describe('a feature written more than once (model repeatedFeatureReads; the repeat-child search edit, seed 399; libvirtd 9.0)', () => {
  const features = (inner: string, machine = 'q35'): string => /<features>[\s\S]*?<\/features>/.exec(predicts(dom('', `<features><acpi/>${inner}</features>`, machine)))![0]
  it("SMM's state the last's, its TSEG size the first written (read only while on)", () => {
    expect(features("<smm state='on'><tseg unit='MiB'>48</tseg></smm><smm state='on'><tseg unit='MiB'>16</tseg></smm>")).toContain("<smm state='on'>\n      <tseg unit='MiB'>48</tseg>\n    </smm>")
    expect(features("<smm state='on'/><smm state='on'><tseg unit='KiB'>16384</tseg></smm>")).toContain("<tseg unit='MiB'>16</tseg>")
    expect(features("<smm state='on'><tseg unit='MiB'>16</tseg></smm><smm state='off'/>")).toContain("<smm state='off'/>")
  })
  it('the process capabilities of every one, one per name, the last state, in their order; the policy the last written or default', () => {
    expect(features("<capabilities policy='deny'><mknod/><audit_control state='off'/><mknod state='off'/></capabilities><capabilities><chown/></capabilities>"))
      .toContain("<capabilities policy='default'>\n      <audit_control state='off'/>\n      <chown state='on'/>\n      <mknod state='off'/>\n    </capabilities>")
    expect(features("<xen><passthrough state='on' mode='sync_pt'/><e820_host state='on'/><e820_host state='off'/></xen>")).toContain("<xen>\n      <e820_host state='off'/>\n      <passthrough state='on' mode='sync_pt'/>\n    </xen>")
  })
})

describe("text beside elements where libvirt reads an element's text: its string value (libvirtd 9.0)", () => {
  it("a random RNG backend's file, a disk serial: every text below, in document order; the elements not read", () => {
    const backend = (inner: string): string => /<backend[\s\S]*?<\/backend>/.exec(predicts(dom(`<rng model='virtio'><backend model='random'>${inner}</backend></rng>`)))![0]
    expect(backend("/dev/urandom<source mode='connect' host='a' service='1'/>")).toBe("<backend model='random'>/dev/urandom</backend>")
    expect(backend("/dev/<bogus>u</bogus>random")).toBe("<backend model='random'>/dev/urandom</backend>")
    expect(predicts(dom("<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/><serial>ab<x/>cd</serial></disk>"))).toContain('<serial>abcd</serial>')
  })
})

describe('what the repeat-child search found at seed 387 (libvirtd 9.0)', () => {
  it("a pty's second source is counted before its path is dropped; an external TPM's backend takes one source", () => {
    expect(refusal(dom("<serial type='pty'><source path='/dev/pts/2'/><source path='/dev/pts/2'/><target port='0'/></serial>"))).toMatchObject({ message: 'only one source element is allowed for character device', path: 'domain/devices/serial[1]/source[2]' })
    expect(predicts(dom("<serial type='pty'><source path='/dev/pts/2'/><target port='0'/></serial>"))).toContain("<serial type='pty'>\n      <target ")
    expect(refusal(dom("<tpm model='tpm-crb'><backend type='external'><source type='unix' mode='connect' path='/tmp/a'/><source type='unix' mode='connect' path='/tmp/b'/></backend></tpm>")).path).toBe('domain/devices/tpm[1]/backend/source[2]')
  })
  it("a TPM backend's children by its type (model childrenByType): a passthrough one's source and an external one's device are not read", () => {
    const tpm = (backend: string): string => /<tpm[\s\S]*?<\/tpm>/.exec(predicts(dom(`<tpm model='tpm-crb'>${backend}</tpm>`)))![0]
    expect(tpm("<backend type='passthrough'><device path='/dev/tpm0'/><source type='unix' mode='connect' path='/tmp/a'/></backend>")).not.toContain('<source')
    expect(tpm("<backend type='external'><device path='/dev/tpm0'/><source type='unix' mode='connect' path='/tmp/a'/></backend>")).not.toContain('<device')
  })
  it('two USB2 companions of one model and index want one PCI function: refused as libvirt reserves it twice', () => {
    const twice = "<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/>"
    expect(refusal(dom(twice, '', 'q35')).message).toBe('Attempted double use of PCI Address 0000:00:1d.7')
    expect(refusal(dom(twice)).message).toBe('Attempted double use of PCI Address 0000:00:02.7')
    // (two UHCI1 on Q35: the second set goes to 00:1a)
    expect(predicts(dom("<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/><controller type='usb' index='0' model='ich9-uhci1'/>", '', 'q35'))).toContain("slot='0x1a'")
  })
})

describe("a tap's host-side addresses and routes, read before the rest of its source (virDomainNetIPInfoParseXML; seed 365)", () => {
  it('an address before a route, whatever the order written, and both before the source itself', () => {
    const tap = (source: string, extra = ''): string => dom(`<interface type='ethernet'><source>${source}</source>${extra}</interface>`)
    const ip = "<ip address='' family='ipv4' prefix='24'/>"
    const route = "<route family='ipv4' address='10.0.0.0' prefix='' gateway='192.168.1.1'/>"
    expect(refusal(tap(ip + route))).toMatchObject({ message: "Invalid address '' in <ip>", path: 'domain/devices/interface[1]/source/ip/@address' })
    expect(refusal(tap(route + ip)).message).toBe("Invalid address '' in <ip>")
    expect(refusal(tap(route)).message).toBe("Invalid value for attribute 'prefix' in element 'route': ''. Expected non-negative integer value")
    expect(refusal(tap("<ip address='1.2.3.4' prefix='99'/>", "<mac address='zz'/>"))).toMatchObject({ message: "Invalid prefix value '99' in <ip>", path: 'domain/devices/interface[1]/source/ip/@prefix' })
  })
})

describe("a virtio NIC's driver name and TX mode (virDomainNetDefParseXML), the odd-value search edit, seed 365", () => {
  it("are read after the virtio options, `default` refused; another model's are not read", () => {
    const nic = (model: string, driver: string): string => dom(`<interface type='user'><mac address='52:54:00:00:00:01'/><model type='${model}'/>${driver}</interface>`)
    expect(refusal(nic('virtio', "<driver name='vhost '/>")).message).toBe("Invalid value for attribute 'name' in element 'driver': 'vhost '.")
    expect(refusal(nic('virtio', "<driver name='default'/>")).message).toBe("Invalid value for attribute 'name' in element 'driver': 'default'.")
    expect(refusal(nic('virtio', "<driver name='vhost' txmode='x'/>")).message).toBe("Invalid value for attribute 'txmode' in element 'driver': 'x'.")
    expect(predicts(nic('e1000', "<driver name='bogus'/>"))).toContain('<interface')
  })
})

describe("a guest forwarding channel's address (virDomainChrDefParseTargetXML), the odd-value search edit, seed 371", () => {
  it('is written as virSocketAddrFormat writes what it read; one getaddrinfo does not take is refused in its words', () => {
    const channel = (address: string): string => dom(`<channel type='pty'><target type='guestfwd' address='${address}' port='4600'/></channel>`)
    expect(predicts(channel('0'))).toContain("<target type='guestfwd' address='0.0.0.0' port='4600'/>")
    expect(predicts(channel('0x7f.1'))).toContain("address='127.0.0.1'")
    expect(refusal(channel('1.2.3.4.5')).message).toBe("Cannot parse socket address '1.2.3.4.5': Name or service not known")
    expect(refusal(channel('a:b')).message).toBe("Cannot parse socket address 'a:b': Name or service not known")
    expect(refusal(channel('::1')).message).toBe('guestfwd channel only supports IPv4 addresses')
  })
})

describe("a serial port's target, port by port as qemuValidateDomainChrDef checks it (own probes, libvirtd 9.0)", () => {
  const arm = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'cpu-max'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
  const onArm = (devices: string): string => dom(devices).replace("arch='x86_64' machine='pc'", "arch='aarch64' machine='virt'")
  const serial = (target: string, address = ''): string => dom(`<serial type='pty'>${target}${address}</serial>`)

  it('its address first: the one its target type plugs into, none for a system or SCLP port', () => {
    expect(refusal(serial("<target type='system-serial'><model name='pl011'/></target>", "<address type='pci'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Target type 'system-serial' cannot have an associated address", path: 'domain/devices/serial[1]/address/@type' })
    expect(refusal(serial("<target type='sclp-serial'/>", "<address type='pci'/>")).message).toBe("Target type 'sclp-serial' cannot have an associated address")
    expect(refusal(serial("<target type='system-serial'/>", "<address type='isa'/>")).message).toBe("Target type 'system-serial' cannot have an associated address")
    expect(refusal(serial("<target type='isa-debug'/>", "<address type='pci'/>")).message).toBe("Target type 'isa-debug' requires address type 'isa'")
    // (the first port's address before the second port's machine)
    expect(refusal(dom("<serial type='pty'><target type='isa-serial'/><address type='pci'/></serial><serial type='pty'><target type='spapr-vio-serial'/></serial>")).message).toBe("Target type 'isa-serial' requires address type 'isa'")
  })

  it('then the target type its model needs, then the machine the two belong to', () => {
    expect(refusal(serial("<target type='spapr-vio-serial'><model name='isa-serial'/></target>")).message).toBe("Target model 'isa-serial' requires target type 'isa-serial'")
    expect(refusal(serial("<target type='system-serial'><model name='16550a'/></target>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "Serial device with target type 'system-serial' and target model '16550a' not compatible with guest architecture or machine type", path: 'domain/devices/serial[1]/target' })
    expect(refusal(onArm("<serial type='pty'><target type='system-serial'><model name='16550a'/></target></serial>"), { caps: arm }).message).toBe("Serial device with target type 'system-serial' and target model '16550a' not compatible with guest architecture or machine type")
    // (a spapr-vio-serial port's address is sPAPR VIO by then, whatever was written)
    expect(refusal(serial("<target type='spapr-vio-serial'/>", "<address type='pci'/>")).message).toBe("Serial device with target type 'spapr-vio-serial' and target model 'spapr-vty' not compatible with guest architecture or machine type")
  })

  it('a system port takes a model only on a virt board: elsewhere it has none, and fits', () => {
    const port = /<serial[\s\S]*?<\/serial>/.exec(predicts(serial("<target type='system-serial'/>")))![0]
    expect(port).toContain("<target type='system-serial' port='0'/>")
    expect(predicts(onArm("<serial type='pty'><target type='system-serial'/></serial>"), { caps: arm })).toContain("<target type='system-serial' port='0'>\n        <model name='pl011'/>")
  })
})

describe('an address post-parse makes sPAPR VIO whatever type was written (own probes, libvirtd 9.0 pSeries)', () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'nvram', 'spapr-vscsi', 'spapr-vlan', 'tpm-spapr', 'tpm-emulator', 'netdev.user'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
  const pseries = (devices: string): string => dom(devices).replace("arch='x86_64' machine='pc'", "arch='ppc64' machine='pseries'")
  const addressOf = (xml: string, kind: string): string => new RegExp(`<${kind}[\\s\\S]*?(<address[^>]*/>)`).exec(xml)![1]!

  it("a spapr-vio-serial port's, an sPAPR VLAN NIC's: the register read from the written numbers, else the kind's base", () => {
    const port = (address: string): string => addressOf(predicts(pseries(`<serial type='pty'><target type='spapr-vio-serial'/>${address}</serial>`), { caps: ppc }), 'serial')
    expect(port("<address type='pci'/>")).toBe("<address type='spapr-vio' reg='0x30000000'/>")
    expect(port("<address type='pci' slot='0x03'/>")).toBe("<address type='spapr-vio' reg='0x00000000'/>")
    // (a PCI domain other than 0 is refused only where PCI addresses are assigned: never met here)
    expect(port("<address type='pci' domain='0x0001' slot='0x03'/>")).toBe("<address type='spapr-vio' reg='0x00000001'/>")
    expect(port("<address type='usb' bus='0' port='1'/>")).toBe("<address type='spapr-vio' reg='0x30000000'/>")
    // (an ISA port written is the pSeries default, a spapr-vio-serial one)
    expect(addressOf(predicts(pseries("<serial type='pty'><target type='isa-serial'/><address type='isa' iobase='0x3f8' irq='4'/></serial>"), { caps: ppc }), 'serial')).toBe("<address type='spapr-vio' reg='0x30000000'/>")
    expect(addressOf(predicts(pseries("<interface type='user'><model type='spapr-vlan'/><address type='pci' slot='0x05'/></interface>"), { caps: ppc }), 'interface')).toBe("<address type='spapr-vio' reg='0x00000000'/>")
  })

  // (a register taken twice is met assigning the first of the two in libvirt's order — NICs first: its path)
  it('then validated as any sPAPR VIO register: 32 bits, each once', () => {
    expect(refusal(pseries("<controller type='scsi' model='ibmvscsi'><address type='drive' controller='1' bus='2' target='3'/></controller>"), { caps: ppc })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "spapr-vio reg='0x200000001' exceeds maximum possible value (0xffffffff)", path: 'domain/devices/controller[1]/address/@reg' })
    expect(refusal(pseries("<tpm model='tpm-spapr'><backend type='emulator' version='2.0'/><address type='usb' bus='1' port='2.3'/></tpm>"), { caps: ppc }).message).toBe("spapr-vio reg='0x200000001' exceeds maximum possible value (0xffffffff)")
    expect(refusal(pseries("<interface type='user'><model type='spapr-vlan'/><address type='pci' slot='0x05'/></interface><interface type='user'><model type='spapr-vlan'/><address type='spapr-vio' reg='0x0'/></interface>"), { caps: ppc })).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'spapr-vio address 0 already in use', path: 'domain/devices/interface[1]/address/@reg' })
  })
})

describe("a disk's validation, as libvirtd 9.0 made it (own probes of virDomainDiskDefValidate and qemuValidateDomainDeviceDefDiskFrontend)", () => {
  const disk = (inner: string, device = 'disk', type = 'file'): string => dom(`<disk type='${type}' device='${device}'>${inner}</disk>`)
  it('a geometry is kept only whole (cylinders, heads and sectors), and only a whole one is checked', () => {
    expect(predicts(disk("<source file='/var/lib/libvirt/images/x.qcow2'/><target dev='vda' bus='virtio'/><geometry cyls='100' heads='16' trans='lba'/>"))).not.toContain('<geometry')
    expect(predicts(disk("<source file='/var/lib/libvirt/images/x.qcow2'/><target dev='sda' bus='usb'/><geometry cyls='100' heads='16'/>"))).not.toContain('<geometry')
    expect(predicts(disk("<source file='/var/lib/libvirt/images/x.qcow2'/><target dev='hda' bus='ide'/><geometry cyls='100' heads='16' secs='63' trans='lba'/>"))).toContain("<geometry cyls='100' heads='16' secs='63' trans='lba'/>")
    expect(refusal(disk("<source file='/var/lib/libvirt/images/x.qcow2'/><target dev='sda' bus='usb'/><geometry cyls='100' heads='16' secs='63'/>")).message).toBe("CHS geometry can not be set for 'usb' bus")
  })
  it('copy on read is no floppy’s; a LUN takes no encryption', () => {
    expect(refusal(disk("<driver name='qemu' copy_on_read='on'/><source file='/var/lib/libvirt/images/x.img'/><target dev='fda' bus='fdc'/>", 'floppy')).message).toBe("copy_on_read is not supported with removable disk 'fda'")
    expect(refusal(disk("<source dev='/dev/sdz'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption></source><target dev='sda' bus='scsi'/>", 'lun', 'block'))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "disk device 'lun' doesn't support encryption", path: "domain/devices/disk[target/@dev='sda']/source/encryption/@format" })
  })
  it("each image of the backing chain is checked as the disk's own source: its authentication, its LUKS cipher", () => {
    expect(refusal(disk("<source file='/var/lib/libvirt/images/x.qcow2'/><backingStore type='network'><format type='raw'/><source protocol='gluster' name='v/x'><host name='h'/><auth username='u'><secret type='ceph' usage='x'/></auth></source></backingStore><target dev='vda' bus='virtio'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "authentication is not supported for protocol 'gluster'", path: "domain/devices/disk[target/@dev='vda']/backingStore/source/@protocol" })
    expect(refusal(disk("<driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/x.qcow2'/><backingStore type='file'><format type='qcow2'/><source file='/var/lib/libvirt/images/b.qcow2'><encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes' size='256' mode='xts'/></encryption></source></backingStore><target dev='vda' bus='virtio'/>")).message).toBe('supplying <cipher> for domain disk definition is unnecessary')
  })
})
