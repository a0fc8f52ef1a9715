// Devices libvirt refuses at define (_refusals-devices.ts): host devices, IOMMUs, controllers, disks,
// character devices, network interfaces, graphics, shared memory, sPAPR-VIO and CCW addresses, panic
// notifiers, TPMs, virtiofs, USB buses. The 9.0 messages are what libvirtd 9.0 answered to `virsh define` of
// the same configuration; the 11.3 ones are libvirt's words (its test data's .err files, its source). Each
// rule also has a domain just inside it that preview predicts.
import { describe, expect, it } from 'vitest'
import { parseQemuConf, previewDomain } from '../src/index.ts'
import { capsXml, domainXml, x86Flags } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

interface Dom { readonly extra?: string; readonly devices?: string; readonly machine?: string; readonly arch?: string }
const dom = (d: Dom = {}): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='${d.arch ?? 'x86_64'}' machine='${d.machine ?? 'q35'}'>hvm</type></os>
  ${d.extra ?? ''}
  <devices>${d.devices ?? ''}</devices>
</domain>`
const q35 = (devices: string, extra = ''): string => dom({ devices, extra })
const pc = (devices: string, extra = ''): string => dom({ devices, extra, machine: 'pc' })

const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'tpm-spapr', 'spapr-tpm-proxy', 'tpm-passthrough', 'tpm-emulator', 'machine.pseries.cap-hpt-max-page-size', 'netdev.user'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const phbNumaCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'spapr-pci-host-bridge.numa_node'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'vfio-pci', 'vfio-ap', 'vfio-ccw', 'netdev.user', 'vhost-user-fs', 'vhost-user-fs.bootindex'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'tpm-tis', 'tpm-passthrough', 'tpm-emulator'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
const pseries = (devices: string): string => dom({ arch: 'ppc64', machine: 'pseries', devices })
const s390 = (devices: string): string => dom({ arch: 's390x', machine: 's390-ccw-virtio', devices })

const usbHost = (bus: string, device: string) => `<hostdev mode='subsystem' type='usb'><source><address bus='${bus}' device='${device}'/></source></hostdev>`
const pciHost = (address: string) => `<hostdev mode='subsystem' type='pci' managed='yes'><source><address ${address}/></source></hostdev>`
const mdev = (uuid: string, ramfb: string) => `<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on' ramfb='${ramfb}'><source><address uuid='${uuid}'/></source></hostdev>`
const vhostScsi = (inner = '') => `<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0'/>${inner}</hostdev>`

describe('host devices', () => {
  it('rawio only on a SCSI host device (parse)', () => {
    expect(refusal(pc(pciHost("domain='0' bus='6' slot='18' function='5'").replace("managed='yes'", "rawio='yes'")))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'rawio is only supported for scsi host device', path: 'domain/devices/hostdev[1]/@rawio',
    })
    expect(refusal(pc(vhostScsi().replace("type='scsi_host'", "type='scsi_host' rawio='yes'"))).path).toBe('domain/devices/hostdev[1]/@rawio')
    expect(predicts(pc("<controller type='scsi' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi' rawio='yes'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>"))).toContain("rawio='yes'")
  })

  it('a vhost SCSI target is not bootable', () => {
    expect(refusal(pc(vhostScsi("<boot order='1'/>")))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'booting from assigned devices is not supported by vhost SCSI devices', path: 'domain/devices/hostdev[1]/boot',
    })
    expect(predicts(pc(vhostScsi()))).toContain("wwpn='naa.5123456789abcde0'")
  })

  it('one host device once, compared as libvirt compares them (numbers read, USB by bus/device or by IDs)', () => {
    const dup = { name: 'PreviewError', code: 'preview-invalid-value', message: 'Hostdev already exists in the domain configuration' }
    expect(refusal(pc(usbHost('14', '6') + usbHost('14', '6')))).toEqual({ ...dup, path: 'domain/devices/hostdev[2]' })
    expect(refusal(pc(pciHost("domain='0x0000' bus='0x06' slot='0x12' function='0x5'") + usbHost('1', '2') + pciHost("bus='6' slot='18' function='5'")))).toEqual({ ...dup, path: 'domain/devices/hostdev[3]' })
    const ids = (address: string) => `<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/>${address}</source></hostdev>`
    expect(refusal(pc(ids('') + ids(''))).message).toBe(dup.message)
    expect(refusal(pc(vhostScsi() + vhostScsi())).message).toBe(dup.message)
    expect(refusal(pc(mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'off') + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'off') + "<graphics type='vnc'/>", '')).message).toBe(dup.message)
    // (each device is validated before the domain's generic checks: without graphics, the display is refused first — libvirtd 9.0)
    expect(refusal(pc(mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'off') + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'off'), '')).message).toBe("graphics device is needed for attribute value 'display=on' in <hostdev>")
    // the same IDs at two USB addresses are two devices; so are two functions of one PCI device
    expect(predicts(pc(ids("<address bus='1' device='2'/>") + ids("<address bus='1' device='3'/>")))).toContain("device='3'")
    expect(predicts(pc(pciHost("bus='6' slot='18' function='5'") + pciHost("bus='6' slot='18' function='6'")))).toContain("function='0x6'")
  })

  it('a host device interface is a host device too: one PCI address once among interfaces and <hostdev>s (libvirtd 9.0)', () => {
    const nic = (mac: string) => `<interface type='hostdev' managed='yes'><mac address='52:54:00:00:f3:${mac}'/><source><address type='pci' domain='0x0005' bus='0x90' slot='0x01' function='0x0'/></source></interface>`
    expect(refusal(pc(nic('00') + nic('01'))).message).toBe('Hostdev already exists in the domain configuration')
    expect(refusal(pc(pciHost("domain='0x0005' bus='0x90' slot='0x01' function='0x0'") + nic('01'))).message).toBe('Hostdev already exists in the domain configuration')
    expect(predicts(pc(nic('00') + pciHost("domain='0x0005' bus='0x90' slot='0x01' function='0x1'")))).toContain("<interface type='hostdev' managed='yes'>")
  })

  it('compares thousands of host devices in one pass (before: 4,000 USB devices took 39 s, every pair compared)', () => {
    const many = (n: number): string => Array.from({ length: n }, (_, i) => usbHost(String(1 + (i >> 8)), String(1 + (i & 255)))).join('')
    // (so many USB devices find no USB port — four levels of hubs hold fewer: libvirt's post-parse refuses before it
    // validates; libvirtd 9.0, own probe)
    expect(refusal(pc(many(4000) + usbHost('1', '1'))).message).toBe('No free USB ports')
    expect(refusal(pc(many(40) + usbHost('1', '1'))).path).toBe('domain/devices/hostdev[41]')
    expect(predicts(pc(many(40)))).toContain("device='40'")
  })

  it('one mediated device with ramfb', () => {
    const gfx = "<graphics type='vnc'/>"
    expect(refusal(pc(gfx + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'on') + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dd', 'on')))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: "Only one vgpu device can have 'ramfb' enabled", path: 'domain/devices/hostdev[2]/@ramfb',
    })
    expect(predicts(pc(gfx + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dc', 'on') + mdev('53764d0e-85a0-42b4-af5c-2046b460b1dd', 'off')))).toContain("ramfb='on'")
  })

  it('a CCW device number once (s390)', () => {
    const ccw = (uuid: string, devno: string) => `<hostdev mode='subsystem' type='mdev' model='vfio-ccw'><source><address uuid='${uuid}'/></source><address type='ccw' cssid='0xfe' ssid='0x0' devno='${devno}'/></hostdev>`
    expect(refusal(s390(ccw('90c6c135-ad44-41d0-b1b7-bae47de48627', '0x0001') + ccw('71b411af-5491-4100-b03e-0705e0b2eb27', '0x0001')), { caps: s390Caps })).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: "The CCW devno 'fe.0.0001' is in use already", path: 'domain/devices/hostdev[2]/address',
    })
    expect(predicts(s390(ccw('90c6c135-ad44-41d0-b1b7-bae47de48627', '0x0001') + ccw('71b411af-5491-4100-b03e-0705e0b2eb27', '0x0002')), { caps: s390Caps })).toContain("devno='0x0002'")
  })

  it('a zPCI uid from 1 to 0xffff', () => {
    const zpci = (uid: string) => `<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x00' slot='0x00' function='0x0'/></source><address type='pci'><zpci uid='${uid}'/></address></hostdev>`
    expect(refusal(s390(zpci('0x000')), { caps: s390Caps })).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid PCI address uid='0x0000', must be > 0x0000 and <= 0xffff", path: 'domain/devices/hostdev[1]/address/zpci/@uid',
    })
    expect(predicts(s390(zpci('0xffff')), { caps: s390Caps })).toContain("uid='0xffff'")
  })
})

describe('IOMMUs', () => {
  const acpi = '<features><acpi/></features>'
  it('the machine an IOMMU model needs, and ACPI for virtio (9.0 and 11.3 alike)', () => {
    for (const v9 of [false, true]) {
      expect(refusal(pc("<iommu model='intel'/>"), { v9 })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "IOMMU device: 'intel' is only supported with Q35 machines", path: 'domain/devices/iommu[1]' })
      expect(refusal(pc("<iommu model='virtio'/>", acpi), { v9 }).message).toBe("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines")
      expect(refusal(q35("<iommu model='virtio'/>"), { v9 }).message).toBe("IOMMU device: 'virtio' requires ACPI")
      expect(predicts(q35("<iommu model='virtio'/>", acpi), { v9 })).toContain("<iommu model='virtio'>")
    }
    expect(predicts(q35("<iommu model='intel'/>"))).toContain("<iommu model='intel'/>")
  })

  it("a virtio IOMMU takes none of Intel's attributes (dma_translation: libvirt 11; 9.0 drops it)", () => {
    expect(refusal(q35("<iommu model='virtio'><driver caching_mode='on'/></iommu>", acpi), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: "iommu model 'virtio' doesn't support additional attributes", path: 'domain/devices/iommu[1]/driver/@caching_mode',
    })
    expect(refusal(q35("<iommu model='virtio'><driver dma_translation='off'/></iommu>", acpi)).path).toBe('domain/devices/iommu[1]/driver/@dma_translation')
    expect(predicts(q35("<iommu model='virtio'><driver dma_translation='off'/></iommu>", acpi), { v9: true })).not.toContain('dma_translation')
    expect(predicts(q35("<iommu model='intel'><driver caching_mode='on'/></iommu>"))).toContain("caching_mode='on'")
  })
})

describe('controllers', () => {
  it("a model its type knows, none on a SATA, floppy, CCID, Xen bus or ISA controller (model's controllerModels; libvirtd 9.0's words)", () => {
    const controller = (attributes: string) => pc(`<controller ${attributes}/>`)
    for (const [attributes, model] of [["type='sata' index='0' model='ahci'", 'ahci'], ["type='usb' index='0' model='xhci'", 'xhci'], ["type='isa' index='0' model='x'", 'x'], ["type='virtio-serial' index='0' model='virtio-scsi'", 'virtio-scsi']] as const) {
      expect(refusal(controller(attributes), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: `Unknown model type '${model}'`, path: 'domain/devices/controller[1]/@model' })
    }
    // (a controller written without a type is an IDE one)
    expect(predicts(controller("index='0' model='piix4'"))).toContain("<controller type='ide' index='0' model='piix4'>")
    expect(predicts(controller("type='usb' index='0' model='qemu-xhci'"))).toContain("model='qemu-xhci'")
  })

  it('an I/O thread only for a virtio-scsi controller', () => {
    const threads = '<iothreads>1</iothreads>'
    for (const v9 of [false, true]) {
      expect(refusal(q35("<controller type='virtio-serial' index='0'><driver iothread='1'/></controller>", threads), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-invalid-value', message: "'iothread' attribute only supported for virtio scsi controllers", path: 'domain/devices/controller[1]/driver/@iothread',
      })
    }
    expect(refusal(q35("<controller type='scsi' model='lsilogic'><driver iothread='1'/></controller>", threads)).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
    expect(predicts(q35("<controller type='scsi' model='virtio-scsi'><driver iothread='1'/></controller>", threads))).toContain("iothread='1'")
  })
})

describe('USB ports given in the domain (qemuDomainAssignUSBAddresses: each reserved, hubs first)', () => {
  const mouse = (port: string, bus = '0') => `<input type='mouse' bus='usb'><address type='usb' bus='${bus}' port='${port}'/></input>`
  const hub = (port: string) => `<hub type='usb'><address type='usb' bus='0' port='${port}'/></hub>`
  const uhci = "<controller type='usb' index='0' model='piix3-uhci'/>"
  const define = (xml: string, abiUpdate: boolean) => previewDomain(xml, { qemuCaps: capsXml(), abiUpdate })
  it('refuses a port given twice, as libvirtd 9.0 does (its words), with or without --abi-update', () => {
    expect(refusal(pc(uhci + hub('1') + mouse('1')))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'Duplicate USB address bus 0 port 1', path: "domain/devices/input[@type='mouse']/address" })
    // without --abi-update libvirt reserves the ports only when every USB device has one
    expect(() => define(pc(uhci + hub('1') + mouse('1')), false)).toThrow('Duplicate USB address bus 0 port 1')
    expect(define(pc(uhci + hub('1') + mouse('1') + "<input type='tablet' bus='usb'/>"), false).xml).toContain("<address type='usb' bus='0' port='1'/>")
    expect(() => define(pc(uhci + hub('1') + mouse('1') + "<input type='tablet' bus='usb'/>"), true)).toThrow('Duplicate USB address bus 0 port 1')
    expect(refusal(pc(uhci + hub('2') + hub('2'))).message).toBe('Duplicate USB hub on bus 0 port 2')
    // the hub's ports are its own: 1.1 is not 1
    expect(predicts(pc(uhci + hub('1') + mouse('1.1') + mouse('2')))).toContain("port='1.1'")
  })
  it('refuses a port past the ports of its controller or hub, and one behind a port that holds no hub (each with libvirtd 9.0\'s words)', () => {
    expect(refusal(pc(uhci + mouse('3'))).message).toBe('requested USB port 3 not present on USB bus 0')
    expect(refusal(pc(uhci + mouse('2.1'))).message).toBe('there is no hub at port 2 in USB address bus: 0 port: 2.1')
    expect(refusal(pc(uhci + mouse('5.1'))).message).toBe('port 5 out of range in USB address bus: 0 port: 5.1')
    expect(refusal(pc(uhci + hub('1') + mouse('1.9'))).message).toBe('requested USB port 1.9 not present on USB bus 0')
    // an XHCI controller has the ports it says (4 unless told)
    expect(refusal(q35("<controller type='usb' index='0' model='qemu-xhci'/>" + mouse('5'))).message).toBe('requested USB port 5 not present on USB bus 0')
    expect(predicts(q35("<controller type='usb' index='0' model='qemu-xhci' ports='8'/>" + mouse('5')))).toContain("port='5'")
    // a controller written without a model has the machine's (PIIX3 UHCI on pc: 2 ports)
    expect(refusal(pc("<controller type='usb' index='0'/>" + mouse('3'))).message).toBe('requested USB port 3 not present on USB bus 0')
  })
})

describe('disks', () => {
  it("refuses a directory as a format, for disks of type block and dir alike (libvirtd 9.0's words)", () => {
    const disk = (type: string, source: string) => `<disk type='${type}' device='disk'><driver name='qemu' type='dir'/>${source}<target dev='hda' bus='ide'/></disk>`
    expect(refusal(pc(disk('block', "<source dev='/dev/vg/x'/>")))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead", path: "domain/devices/disk[target/@dev='hda']/driver/@type",
    })
    expect(refusal(pc(disk('dir', "<source dir='/srv/x'/>"))).code).toBe('preview-refused')
    // (a directory is a read-only FAT image: on IDE, where QEMU has no read-only disks, none can be defined — libvirtd 9.0)
    expect(refusal(pc(disk('dir', "<source dir='/srv/x'/>").replace("type='dir'/>", "type='fat'/>"))).message).toBe("virtual FAT storage can't be accessed in read-write mode")
    expect(predicts(pc(disk('dir', "<source dir='/srv/x'/><readonly/>").replace("type='dir'/>", "type='fat'/>").replace("dev='hda' bus='ide'", "dev='vda' bus='virtio'")))).toContain("type='fat'")
  })
  const net = (protocol: string, auth: string) => `<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='${protocol}' name='pool/image'><host name='example.org' port='6000'/>${auth}</source><target dev='vda' bus='virtio'/></disk>`
  const auth = (type?: string) => `<auth username='me'><secret ${type ? `type='${type}' ` : ''}usage='mine'/></auth>`
  it('the secret type of a network disk matches its protocol', () => {
    expect(refusal(pc(net('iscsi', auth())))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown secret type '<null>'", path: "domain/devices/disk[target/@dev='vda']/auth/secret" })
    expect(refusal(pc(net('iscsi', auth('ceph')))).message).toBe("invalid secret type 'ceph'")
    expect(refusal(pc(net('rbd', auth('iscsi')))).message).toBe("invalid secret type 'iscsi'")
    expect(refusal(pc(net('iscsi', auth('bogus')))).message).toBe("unknown secret type 'bogus'")
    expect(refusal(pc(net('nbd', auth('iscsi'))), { v9: true }).message).toBe("authentication is not supported for protocol 'nbd'")
    // the older place of <auth>, under <disk>
    expect(refusal(pc(net('iscsi', '').replace('<source', auth('ceph') + '<source'))).message).toBe("invalid secret type 'ceph'")
    expect(predicts(pc(net('iscsi', auth('iscsi'))))).toContain("<secret type='iscsi' usage='mine'/>")
  })

  const file = (driver: string, inner: string, target = "<target dev='vda' bus='virtio'/>") => `<disk type='file' device='disk'>${driver}<source file='/var/lib/x.img'>${inner}</source>${target}</disk>`
  const luks = (more = '') => `<encryption format='luks'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>${more}</encryption>`
  it('LUKS: no cipher of the user, raw or qcow2 images only', () => {
    expect(refusal(pc(file("<driver name='qemu' type='raw'/>", luks("<cipher name='serpent' size='256' mode='cbc' hash='sha256'/>"))), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'supplying <cipher> for domain disk definition is unnecessary', path: "domain/devices/disk[target/@dev='vda']/encryption/cipher",
    })
    expect(refusal(pc(file("<driver name='qemu' type='vmdk'/>", luks())), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "encryption is supported only with 'raw' and 'qcow2' image format", path: "domain/devices/disk[target/@dev='vda']/driver/@type",
    })
    expect(predicts(pc(file("<driver name='qemu' type='qcow2'/>", luks())))).toContain("<encryption format='luks'")
    expect(predicts(pc(file('', luks())))).toContain("<encryption format='luks'")
  })

  it('a writable shared disk is raw', () => {
    const shared = (driver: string, more = '') => file(driver, '', `<target dev='vda' bus='virtio'/><shareable/>${more}`)
    expect(refusal(pc(shared("<driver name='qemu' type='qcow2'/>")), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "shared access for disk 'vda' requires use of supported storage format", path: "domain/devices/disk[target/@dev='vda']/shareable",
    })
    expect(predicts(pc(shared("<driver name='qemu' type='qcow2'/>", '<readonly/>')))).toContain('<shareable/>')
    expect(predicts(pc(shared("<driver name='qemu' type='raw'/>")))).toContain('<shareable/>')
    expect(predicts(pc(shared('')))).toContain('<shareable/>')
    expect(predicts(pc("<disk type='file' device='cdrom'><driver name='qemu' type='qcow2'/><source file='/x.iso'/><target dev='hdc' bus='ide'/><shareable/></disk>"))).toContain('<shareable/>')
    expect(refusal(pc("<disk type='file' device='floppy'><driver name='qemu' type='qcow2'/><source file='/x.img'/><target dev='fda'/><shareable/></disk>")).message).toBe("shared access for disk 'fda' requires use of supported storage format")
  })

  it("libvirt 11: a vendor string only on a SCSI disk (9.0's words name product too)", () => {
    const vendor = (target: string) => `<disk type='file' device='disk'><source file='/x.img'/>${target}<vendor>SEAGATE</vendor></disk>`
    expect(refusal(q35(vendor("<target dev='sda' bus='virtio'/>")))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "Only scsi disk supports 'vendor'", path: "domain/devices/disk[target/@dev='sda']/vendor",
    })
    expect(refusal(q35(vendor("<target dev='sda' bus='virtio'/>")), { v9: true }).message).toBe('Only scsi disk supports vendor and product')
    expect(predicts(q35(vendor("<target dev='sda' bus='scsi'/>")))).toContain('<vendor>SEAGATE</vendor>')
  })

  it('libvirt 11: throttle filters or <iotune>, not both', () => {
    const disk = (iotune: string) => `<disk type='block' device='disk'><driver name='qemu' type='qcow2'/><source dev='/dev/vg/a'/><target dev='vda' bus='virtio'/>${iotune}<throttlefilters><throttlefilter group='limit0'/></throttlefilters></disk>`
    const groups = "<throttlegroups><throttlegroup><total_bytes_sec>1000</total_bytes_sec><group_name>limit0</group_name></throttlegroup></throttlegroups>"
    expect(refusal(q35(disk('<iotune><total_bytes_sec>10000000</total_bytes_sec></iotune>'), groups))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "block 'throttlefilters' can't be used together with 'iotune' for disk 'vda'", path: "domain/devices/disk[target/@dev='vda']/throttlefilters",
    })
    expect(predicts(q35(disk(''), groups))).toContain("<throttlefilter group='limit0'/>")
  })
})

describe('disk frontends, video, watchdogs (each seen on libvirtd 9.0 with these words)', () => {
  const disk = (target: string, more = '', driver = '', device = 'disk', attrs = '') => `<disk type='file' device='${device}'${attrs}>${driver}<source file='/x.img'/>${target}${more}</disk>`
  it("what a disk's bus and device take", () => {
    const refused = (xml: string, v9 = false) => refusal(xml, { v9 })
    expect(refused(pc(disk("<target dev='vdc' bus='virtio'/>", '', '', 'cdrom')))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "disk type of 'vdc' does not support ejectable media", path: "domain/devices/disk[target/@dev='vdc']/target/@bus",
    })
    expect(refused(pc(disk("<target dev='hda' bus='ide'/>", '<readonly/>'))).message).toBe('readonly ide disks are not supported')
    expect(refused(q35(disk("<target dev='sda' bus='sata'/>", '<readonly/>'))).message).toBe('readonly sata disks are not supported')
    expect(refused(pc(disk("<target dev='vda' bus='virtio'/>", '', "<driver name='qemu' type='raw' io='native'/>"))).message).toBe("io='native' needs either no disk cache or directsync cache mode")
    expect(refused(pc(disk("<target dev='vda' bus='virtio'/>", '<wwn>5000c50015ea71ad</wwn>'))).message).toBe('Only ide and scsi disk support wwn')
    expect(refused(pc(disk("<target dev='vda' bus='virtio'/>", '<readonly/>', "<driver name='qemu' type='raw' copy_on_read='on'/>"))).message).toBe("copy_on_read is not compatible with read-only disk 'vda'")
    expect(refused(pc(disk("<target dev='vda' bus='virtio' tray='open'/>"))).message).toBe('tray is only valid for cdrom and floppy')
    expect(refused(pc(disk("<target dev='sda' bus='scsi'/>", '', '', 'disk', " rawio='yes'"))).message).toBe("rawio can be used only with device='lun'")
    expect(refused(pc(disk("<target dev='sda' bus='scsi'/>", '', '', 'disk', " sgio='filtered'"))).message).toBe("sgio can be used only with device='lun'")
    // removable: USB only in 9.0, SCSI hard disks too later
    expect(refused(pc(disk("<target dev='vda' bus='virtio' removable='on'/>")), true).message).toBe('removable is only valid for usb disks')
    expect(refused(pc(disk("<target dev='vda' bus='virtio' removable='on'/>"))).message).toBe('removable is only valid for usb or scsi disks')
    expect(refused(pc(disk("<target dev='sda' bus='scsi' removable='on'/>")), true).message).toBe('removable is only valid for usb disks')
    // just inside
    // (libvirt 11 takes it on a SCSI disk but writes it only on a USB one: virDomainDiskDefFormat)
    expect(predicts(pc(disk("<target dev='sda' bus='scsi' removable='on'/>")))).not.toContain("removable='on'")
    expect(predicts(pc(disk("<target dev='sda' bus='usb' removable='on'/>")))).toContain("removable='on'")
    expect(predicts(pc(disk("<target dev='vda' bus='virtio'/>", '', "<driver name='qemu' type='raw' io='native' cache='none'/>")))).toContain("io='native'")
    expect(predicts(pc(disk("<target dev='hdc' bus='ide' tray='open'/>", '', '', 'cdrom')))).toContain("tray='open'")
    expect(predicts(pc(disk("<target dev='sda' bus='scsi'/>", '<wwn>5000c50015ea71ad</wwn>')))).toContain('<wwn>')
    expect(predicts(q35(disk("<target dev='vda' bus='virtio'/>", '<readonly/>')))).toContain('<readonly/>')
  })

  it('video models and their attributes', () => {
    expect(refusal(pc("<video><model type='vga' ram='65536'/></video>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'ram attribute only supported for video type qxl', path: 'domain/devices/video[1]/model/@ram',
    })
    expect(refusal(pc("<video><model type='none'/></video><video><model type='vga'/></video>")).message).toBe("a 'none' video type must be the only video device defined for the domain")
    expect(predicts(pc("<video><model type='qxl' ram='65536'/></video>"))).toContain("ram='65536'")
  })

  it('watchdogs where their model lives', () => {
    expect(refusal(pc("<watchdog model='diag288'/>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'diag288 model of watchdog is allowed for s390 and s390x only', path: 'domain/devices/watchdog[1]/@model',
    })
    expect(refusal(s390("<watchdog model='diag288'><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0001'/></watchdog>"), { caps: s390Caps }).message).toBe('diag288 model of watchdog is virtual and cannot go on any bus.')
    expect(refusal(pc("<watchdog model='i6300esb'><address type='isa' iobase='0x505'/></watchdog>")).message).toBe('i6300esb model of watchdog can go only on PCI bus')
    expect(predicts(s390("<watchdog model='diag288'/>"), { caps: s390Caps })).toContain("model='diag288'")
  })
})

describe('more device checks libvirtd 9.0 makes with these words', () => {
  it('LUNs, floppies, USB disks', () => {
    const lun = (type: string, source: string, driver = '') => `<disk type='${type}' device='lun'>${driver}${source}<target dev='sda' bus='scsi'/></disk>`
    expect(refusal(pc(lun('file', "<source file='/x.img'/>")), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "disk device='lun' is only valid for block type disk source", path: "domain/devices/disk[target/@dev='sda']/@type",
    })
    expect(refusal(pc(lun('network', "<source protocol='nbd' name='x'><host name='h'/></source>"))).message).toBe("disk device='lun' is not supported for protocol='nbd'")
    expect(refusal(pc(lun('block', "<source dev='/dev/sdb'/>", "<driver name='qemu' type='qcow2'/>"))).message).toBe("disk device 'lun' must use 'raw' format")
    expect(predicts(pc(lun('block', "<source dev='/dev/sdb'/>", "<driver name='qemu' type='raw'/>")))).toContain("device='lun'")
    expect(refusal(pc("<disk type='file' device='floppy'><source file='/x.img'/><target dev='fda' bus='ide'/></disk>"), { v9: true }).message).toBe("Invalid bus type 'ide' for floppy disk")
    expect(refusal(pc("<disk type='file' device='disk'><source file='/x.img'/><target dev='hda' bus='fdc'/></disk>")).message).toBe("Invalid bus type 'fdc' for disk")
    expect(refusal(pc("<disk type='file' device='disk'><source file='/x.img'/><target dev='sda' bus='usb'/><address type='pci' domain='0' bus='0' slot='5' function='0'/></disk>"), { v9: true }).message).toBe('unexpected address type for usb disk')
    expect(predicts(pc("<disk type='file' device='floppy'><source file='/x.img'/><target dev='fda'/></disk>"))).toContain("bus='fdc'")
  })

  it('IOMMU interrupt remapping, EIM and addresses', () => {
    const intel = (driver: string, extra = '') => q35(`<iommu model='intel'>${driver}</iommu>`, extra)
    expect(refusal(intel("<driver intremap='on'/>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')", path: 'domain/devices/iommu[1]/driver/@intremap',
    })
    expect(refusal(intel("<driver eim='on'/>", "<features><ioapic driver='qemu'/></features>")).message).toBe('IOMMU eim requires interrupt remapping to be enabled')
    expect(refusal(q35("<iommu model='intel'><address type='pci' domain='0' bus='0' slot='5' function='0'/></iommu>")).message).toBe("iommu model 'intel' can't have address")
    expect(predicts(intel("<driver intremap='on' eim='on'/>", "<features><ioapic driver='qemu'/></features>"))).toContain("eim='on'")
  })

  it('one primary video', () => {
    expect(refusal(pc("<video><model type='qxl' primary='yes'/></video><video><model type='qxl' primary='yes'/></video>")).message).toBe('Only one primary video device is supported')
    expect(predicts(pc("<video><model type='qxl'/></video><video><model type='qxl' primary='yes'/></video>"))).toContain("primary='yes'")
  })

  it('audio backends by ID', () => {
    expect(refusal(pc("<sound model='ich6'><audio id='2'/></sound><audio id='1' type='none'/>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'no audio device with ID 2', path: 'domain/devices/sound[1]/audio/@id',
    })
    expect(refusal(pc("<audio id='1' type='none'/><audio id='1' type='none'/>")).message).toBe('audio ID 1 is used multiple times')
    expect(refusal(pc("<graphics type='vnc'><audio id='3'/></graphics><audio id='1' type='none'/>")).message).toBe('no audio device with ID 3')
    expect(predicts(pc("<sound model='ich6'><audio id='2'/></sound><audio id='2' type='none'/>"))).toContain("<audio id='2'/>")
  })

  it('shared memory names, vsock CIDs, PS/2 devices', () => {
    expect(refusal(pc("<shmem name='a/b'><model type='ivshmem-plain'/></shmem>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "shmem name cannot include '/' character", path: 'domain/devices/shmem[1]/@name',
    })
    expect(refusal(pc("<shmem name='..'><model type='ivshmem-plain'/></shmem>")).message).toBe("shmem name cannot be equal to '..'")
    expect(refusal(pc("<vsock model='virtio'><cid auto='no' address='2'/></vsock>")).message).toBe('guest CIDs must be >= 3')
    expect(refusal(pc("<input type='tablet' bus='ps2'/>")).message).toBe('ps2 bus does not support tablet input device')
    expect(predicts(pc("<vsock model='virtio'><cid auto='no' address='3'/></vsock><shmem name='a.b'><model type='ivshmem-plain'/></shmem>"))).toContain("address='3'")
  })
})

describe('yet more checks libvirtd 9.0 makes with these words', () => {
  it('mediated devices: no boot, a display needs graphics, one vfio-ap', () => {
    const m = (more: string, attrs = '') => `<hostdev mode='subsystem' type='mdev' model='vfio-pci'${attrs}><source><address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source>${more}</hostdev>`
    expect(refusal(pc("<graphics type='vnc'/>" + m("<boot order='1'/>")), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'booting from assigned devices is not supported by mediated devices of model vfio-pci', path: 'domain/devices/hostdev[1]/boot',
    })
    expect(refusal(pc(m('', " display='on'"))).message).toBe("graphics device is needed for attribute value 'display=on' in <hostdev>")
    expect(predicts(pc("<graphics type='vnc'/>" + m('', " display='on'")))).toContain("display='on'")
    const ap = (uuid: string) => `<hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='${uuid}'/></source></hostdev>`
    expect(refusal(s390(ap('90c6c135-ad44-41d0-b1b7-bae47de48627') + ap('71b411af-5491-4100-b03e-0705e0b2eb27')), { caps: s390Caps }).message).toBe('Only one hostdev of model vfio-ap is supported')
  })

  it('disks: virtio-only settings, serials QEMU can carry, I/O threads the domain has', () => {
    const threads = '<iothreads>1</iothreads>'
    expect(refusal(q35("<disk type='file' device='disk' model='virtio'><source file='/x.img'/><target dev='sda' bus='sata'/></disk>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "disk model 'virtio' not supported for bus 'sata'", path: "domain/devices/disk[target/@dev='sda']/@model",
    })
    const queues = q35("<disk type='file' device='disk'><driver name='qemu' queues='2'/><source file='/x.img'/><target dev='sda' bus='sata'/></disk>")
    expect(refusal(queues, { v9: true }).message).toBe('queues attribute in disk driver element is only supported by virtio-blk')
    expect(refusal(queues).message).toBe('queues attribute in disk driver element is only supported for virtio bus')
    expect(refusal(pc("<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/><serial>a,b</serial></disk>")).message).toBe("driver serial 'a,b' contains unsafe characters")
    expect(refusal(q35("<disk type='file' device='disk'><driver name='qemu' iothread='1'/><source file='/x.img'/><target dev='sda' bus='sata'/></disk>", threads)).message).toBe('IOThreads not available for bus sata target sda')
    expect(refusal(pc("<disk type='file' device='disk'><driver name='qemu' iothread='2'/><source file='/x.img'/><target dev='vda' bus='virtio'/></disk>", threads)).message).toBe("Disk iothread '2' not defined in iothreadid")
    expect(refusal(pc("<controller type='scsi' model='virtio-scsi'><driver iothread='2'/></controller>", threads)).message).toBe("controller iothread '2' not defined in iothreadid")
    // (a controller's thread is checked as the devices are validated — disks first —, not in the post-parse: a disk's missing
    // thread is named before a controller's written earlier; h34-iothread-disk-controller, libvirtd 9.0)
    const both = pc("<controller type='scsi' model='virtio-scsi'><driver iothread='2'/></controller><disk type='file' device='disk'><driver name='qemu' iothread='3'/><source file='/x.img'/><target dev='vda' bus='virtio'/></disk>", threads)
    for (const v9 of [true, false]) {
      expect(refusal(both, { v9 }).message).toBe("Disk iothread '3' not defined in iothreadid")
      expect(refusal(pc("<controller type='scsi' model='virtio-scsi'><driver iothread='2'/></controller>", threads), { v9 }).message).toBe("controller iothread '2' not defined in iothreadid")
    }
    expect(predicts(pc("<disk type='file' device='disk'><driver name='qemu' iothread='3'/><source file='/x.img'/><target dev='vda' bus='virtio'/><serial>WD-1 2.3+x_y</serial></disk>", "<iothreads>2</iothreads><iothreadids><iothread id='3'/></iothreadids>"))).toContain("iothread='3'")
  })

  it('SPICE backends need SPICE graphics; one smartcard', () => {
    expect(refusal(pc("<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "chardev 'spicevmc' not supported without spice graphics", path: 'domain/devices/channel[1]/@type',
    })
    expect(refusal(pc("<audio id='1' type='spice'/>")).message).toBe('Spice audio is not supported without spice graphics')
    expect(refusal(pc("<smartcard mode='host'/><smartcard mode='host'/>")).message).toBe('this QEMU binary lacks multiple smartcard support')
    expect(predicts(pc("<graphics type='spice' autoport='yes'/><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel><audio id='1' type='spice'/>"))).toContain("type='spicevmc'")
  })

  it('interface teaming and vhost-user servers', () => {
    const teaming = (attrs: string) => `<interface type='network'><source network='default'/><model type='virtio'/><teaming ${attrs}/></interface>`
    expect(refusal(pc(teaming("type='transient'")), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "teaming persistent attribute must be set if teaming type is 'transient'", path: 'domain/devices/interface[1]/teaming',
    })
    expect(refusal(pc(teaming("type='persistent' persistent='ua-x'"))).message).toBe("teaming persistent attribute not allowed if teaming type is 'persistent'")
    const server = pc("<interface type='vhostuser'><source type='unix' path='/tmp/v.sock' mode='server'><reconnect enabled='yes' timeout='5'/></source><model type='virtio'/></interface>", "<memoryBacking><access mode='shared'/></memoryBacking>")
    expect(refusal(server, { v9: true }).message).toBe("'reconnect' attribute unsupported 'server' mode for <interface type='vhostuser'>")
    // (libvirt 11's words, from 11.3's source)
    expect(refusal(server).message).toBe("'reconnect' attribute is not supported when source mode='server' for <interface type='vhostuser'>")
    expect(predicts(pc(teaming("type='persistent'")))).toContain("<teaming type='persistent'/>")
  })

  it('graphics listeners and D-Bus peers', () => {
    expect(refusal(pc("<graphics type='vnc'><listen type='network'/></graphics>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "'network' attribute is required for listen type 'network'", path: 'domain/devices/graphics[1]/listen',
    })
    expect(refusal(pc("<graphics type='dbus' p2p='yes' address='unix:path=/tmp/x'/>")).message).toBe('D-Bus p2p with an address is not supported')
    expect(predicts(pc("<graphics type='dbus' p2p='yes'/>"))).toContain("p2p='yes'")
  })

  it('filesystems and passthrough input', () => {
    const shared = "<memoryBacking><access mode='shared'/></memoryBacking>"
    const fs = (attrs: string, inner: string) => `<filesystem${attrs}>${inner}<source dir='/tmp'/><target dir='t'/></filesystem>`
    expect(refusal(pc(fs(" type='mount'", "<boot order='1'/>")), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'boot order is only supported for virtiofs', path: 'domain/devices/filesystem[1]/boot' })
    expect(refusal(pc(fs('', "<driver type='virtiofs'/>") + fs('', "<driver type='virtiofs'/>"), shared)).message).toBe("filesystem target 't' specified twice")
    // (libvirt 9.0 refuses a read-only virtiofs; 11 takes it)
    expect(refusal(pc(fs('', "<driver type='virtiofs'/><readonly/>"), shared), { v9: true }).message).toBe('virtiofs does not yet support read-only mode')
    expect(predicts(pc(fs('', "<driver type='virtiofs'/><readonly/>"), shared))).toContain('<readonly/>')
    expect(refusal(pc(fs(" type='mount' accessmode='passthrough' fmode='644'", ''))).message).toBe('fmode and dmode must be used with accessmode=mapped')
    expect(refusal(pc("<filesystem type='block'><source dev='/dev/sda'/><target dir='t'/></filesystem>")).message).toBe('only supports mount filesystem type')
    expect(refusal(pc("<input type='passthrough' bus='usb'><source evdev='/dev/input/event1'/></input>")).message).toBe("only bus 'virtio' is supported for 'passthrough' input devices")
    expect(refusal(pc("<input type='mouse' bus='xen'/>"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'unsupported input bus xen', path: 'domain/devices/input[1]/@bus' })
    expect(refusal(pc("<input type='evdev' bus='usb'><source dev='/dev/input/event1'/></input>")).message).toBe("input evdev doesn't support bus element")
    expect(refusal(pc("<input type='tablet' bus='usb' model='virtio'/>")).message).toBe("only bus 'virtio' is supported for input model 'virtio'")
    expect(refusal(pc("<input type='tablet' bus='virtio' model='virtio-transitional'/>")).message).toBe('virtio (non-)transitional models are not supported for input type=tablet')
    expect(predicts(pc("<input type='tablet' bus='virtio' model='virtio'/><input type='evdev'><source dev='/dev/input/event1'/></input>"))).toContain("<input type='evdev'>")
    expect(predicts(pc(fs(" accessmode='mapped' fmode='644'", '') + fs('', "<driver type='virtiofs'/>").replace("dir='t'", "dir='u'"), shared))).toContain("fmode='0644'")
  })
})

describe('host device sources, zPCI, LUKS, SCSI strings, TPM counts (9.0 words seen on libvirtd 9.0)', () => {
  it('sgio like rawio; a mediated device named by its UUID', () => {
    expect(refusal(pc(vhostScsi().replace("type='scsi_host'", "type='scsi_host' sgio='unfiltered'")))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'sgio is only supported for scsi host device', path: 'domain/devices/hostdev[1]/@sgio',
    })
    const noUuid = pc("<graphics type='vnc'/><hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address/></source></hostdev>")
    // (libvirt 11.3 still says it in virDomainHostdevSubsysMediatedDevDefParseXML's own words)
    expect(refusal(noUuid)).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "Missing 'uuid' attribute for element <address>", path: 'domain/devices/hostdev[1]/source/address' })
    expect(refusal(noUuid, { v9: true }).message).toBe("Missing 'uuid' attribute for element <address>")
  })

  it('zPCI: a QEMU with it, each uid and fid once (9.0 writes them in octal)', () => {
    const z = (slot: number, zpci: string) => `<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x00' slot='0x0${slot}' function='0x0'/></source><address type='pci'><zpci ${zpci}/></address></hostdev>`
    expect(refusal(pc(z(0, "uid='0x1'")))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "This QEMU binary doesn't support zPCI", path: 'domain/devices/hostdev[1]/address/zpci' })
    expect(refusal(pc(z(0, "uid='0x0'"))).message).toBe("This QEMU binary doesn't support zPCI")
    expect(refusal(s390(z(0, "uid='0x2b38'") + z(1, "uid='11064'")), { caps: s390Caps })).toEqual({
      // (written with %o: 0x2b38 is 25470 in octal, in 11.3 as in 9.0)
      name: 'PreviewError', code: 'preview-refused', message: 'zPCI uid 25470 is already reserved', path: 'domain/devices/hostdev[2]/address/zpci/@uid',
    })
    expect(refusal(s390(z(0, "uid='0x2b38'") + z(1, "uid='0x2b38'")), { caps: s390Caps, v9: true }).message).toBe('zPCI uid 25470 is already reserved')
    expect(refusal(s390(z(0, "uid='0x1' fid='0x10'") + z(1, "uid='0x2' fid='16'")), { caps: s390Caps, v9: true }).message).toBe('zPCI fid 20 is already reserved')
    expect(predicts(s390(z(0, "uid='0x1' fid='0x10'") + z(1, "uid='0x2' fid='17'")), { caps: s390Caps })).toContain("<zpci uid='0x0002' fid='0x00000011'/>")
  })

  it('one <encryption> per disk; SCSI vendor and product lengths', () => {
    const secret = "<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"
    const luks = `<encryption format='luks'>${secret}</encryption>`
    expect(refusal(pc(`<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/x.img'>${luks}</source><target dev='vda' bus='virtio'/>${luks}</disk>`), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'an <encryption> definition already found for disk source', path: "domain/devices/disk[target/@dev='vda']/encryption",
    })
    const scsi = (more: string) => `<disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='sda' bus='scsi'/>${more}</disk>`
    expect(refusal(pc(scsi('<vendor>ABCDEFGHI</vendor>')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'disk vendor is more than 8 characters', path: "domain/devices/disk[target/@dev='sda']/vendor" })
    expect(refusal(pc(scsi('<product>ABCDEFGHIJKLMNOPQ</product>'))).message).toBe('disk product is more than 16 characters')
    expect(predicts(pc(scsi('<vendor>ABCDEFGH</vendor><product>ABCDEFGHIJKLMNOP</product>')))).toContain('<product>ABCDEFGHIJKLMNOP</product>')
  })

  it('one TPM proxy and one other TPM', () => {
    const proxy = (dev: string) => `<tpm model='spapr-tpm-proxy'><backend type='passthrough'><device path='/dev/${dev}'/></backend></tpm>`
    expect(refusal(pseries(proxy('tpmrm0') + proxy('tpmrm1')), { caps: ppcCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'only a single TPM Proxy device is supported', path: 'domain/devices/tpm[2]' })
    const tpm = (model: string, dev: string) => `<tpm model='${model}'><backend type='passthrough'><device path='/dev/${dev}'/></backend></tpm>`
    expect(refusal(q35(tpm('tpm-tis', 'tpm0') + tpm('tpm-crb', 'tpm1')), { v9: true }).message).toBe('only a single TPM non-proxy device is supported')
    expect(predicts(q35(tpm('tpm-crb', 'tpm0')))).toContain("<tpm model='tpm-crb'>")
  })
})

describe('character devices', () => {
  it("names the parsers read with their own words: a target type by device, a serial target model, an input's type, model and bus (model's deviceNames; libvirtd 9.0's words)", () => {
    const words = (xml: string): string => refusal(pc(xml), { v9: true }).message
    for (const kind of ['serial', 'console', 'channel']) expect(words(`<${kind} type='pty'><target type='bogus'/></${kind}>`)).toBe("unknown target type 'bogus' specified for character device")
    expect(words("<serial type='pty'><target type='isa-serial'><model name='bogus'/></target></serial>")).toBe("unknown target model 'bogus' specified for character device")
    expect(words("<input type='bogus' bus='ps2'/>")).toBe("unknown input device type 'bogus'")
    expect(words("<input type='mouse' bus='ps2' model='default'/>")).toBe("unknown input model 'default'")
    expect(words("<input type='mouse' bus='bogus'/>")).toBe("unknown input bus type 'bogus'")
    // `none` is no target type: the serial port gets the machine's default
    expect(predicts(pc("<serial type='pty'><target type='none'/></serial>"))).toContain("<target type='isa-serial' port='0'>")
  })

  it('a parallel port reads no target type; without a number it takes the one after the highest before it (libvirtd 9.0)', () => {
    const out = predicts(pc("<parallel type='pty'/><parallel type='pty'><target port='3'/></parallel><parallel type='pty'><target type='x'/></parallel><parallel type='pty'/>"))
    expect([...out.matchAll(/<parallel type='pty'>\n\s*<target ([^>]*)\/>/g)].map((m) => m[1])).toEqual(["port='0'", "port='3'", "port='4'", "port='5'"])
  })

  it('the source a backend needs (a virtio channel socket is generated)', () => {
    for (const v9 of [false, true]) {
      expect(refusal(q35("<serial type='unix'><target type='pci-serial'/></serial>"), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-refused', message: 'Missing source path attribute for char device', path: 'domain/devices/serial[1]',
      })
      expect(refusal(q35("<rng model='virtio'><backend model='egd' type='unix'><source mode='connect' host='1.2.3.4' service='1234'/></backend></rng>"), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-refused', message: 'Missing source path attribute for char device', path: 'domain/devices/rng[1]/backend',
      })
    }
    expect(refusal(q35("<serial type='file'><target port='0'/></serial>")).message).toBe('Missing source path attribute for char device')
    expect(refusal(q35("<serial type='tcp'><source mode='connect' service='9999'/></serial>")).message).toBe('Missing source host attribute for char device')
    expect(refusal(q35("<channel type='unix'><target type='guestfwd' address='10.0.2.1' port='4600'/></channel>")).message).toBe('Missing source path attribute for char device')
    expect(predicts(q35("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"))).toContain("name='org.qemu.guest_agent.0'")
    expect(predicts(q35("<serial type='unix'><source mode='bind' path='/tmp/s'/><target type='pci-serial'/></serial>"))).toContain("path='/tmp/s'")
    expect(refusal(q35("<smartcard mode='passthrough' type='tcp'><source mode='connect' service='2001'/></smartcard>")).path).toBe('domain/devices/smartcard[1]')
    expect(refusal(q35("<redirdev bus='usb' type='tcp'><source mode='connect' service='4000'/></redirdev>")).message).toBe('Missing source host attribute for char device')
    // the first console of serial type is serial 0's copy; another console is its own device
    const serial = "<serial type='unix'><source mode='bind' path='/tmp/s1'/></serial>"
    expect(predicts(pc(`${serial}<console type='unix'><target type='serial'/></console>`))).toContain("path='/tmp/s1'")
    expect(predicts(pc(`${serial}<console type='unix'/>`))).toContain("path='/tmp/s1'")
    expect(refusal(pc("<serial type='pty'/><console type='unix'><target type='virtio'/></console>")).path).toBe('domain/devices/console[1]')
    // reconnecting: only a connecting device, after at least a second (9.0's words too)
    const reconnect = (mode: string, timeout: string) => `<serial type='tcp'><source mode='${mode}' host='1.2.3.4' service='99'><reconnect enabled='yes' timeout='${timeout}'/></source></serial>`
    expect(refusal(pc(reconnect('bind', '5')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'chardev reconnect is possible only for connect mode', path: 'domain/devices/serial[1]/source/reconnect' })
    expect(refusal(pc(reconnect('connect', '0')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: "chardev reconnect source timeout cannot be '0'", path: 'domain/devices/serial[1]/source/reconnect/@timeout' })
    expect(predicts(pc(reconnect('connect', '5')))).toContain("<reconnect enabled='yes' timeout='5'/>")
  })

  it("libvirt 11: TCP character devices speak raw or telnet (9.0 takes 'tls' and 'telnets')", () => {
    const tcp = (protocol: string) => `<serial type='tcp'><source mode='connect' host='127.0.0.1' service='9999'/><protocol type='${protocol}'/><target port='0'/></serial>`
    expect(refusal(q35(tcp('tls')))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "tcp chardev protocol 'tls' not supported", path: 'domain/devices/serial[1]/protocol/@type' })
    expect(refusal(q35(tcp('telnets'))).message).toBe("tcp chardev protocol 'telnets' not supported")
    expect(predicts(q35(tcp('tls')), { v9: true })).toContain("<protocol type='tls'/>")
    expect(predicts(q35(tcp('telnet')))).toContain("<protocol type='telnet'/>")
  })

  it("a serial device's target belongs to its machine", () => {
    for (const v9 of [false, true]) {
      expect(refusal(pc("<serial type='pty'><target type='spapr-vio-serial'><model name='spapr-vty'/></target></serial>"), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-refused', path: 'domain/devices/serial[1]/target',
        message: "Serial device with target type 'spapr-vio-serial' and target model 'spapr-vty' not compatible with guest architecture or machine type",
      })
    }
    expect(refusal(pc("<serial type='pty'><target type='spapr-vio-serial'/></serial>")).message).toContain("target model 'spapr-vty' not compatible")
    expect(refusal(pc("<serial type='pty'><target type='system-serial'><model name='pl011'/></target></serial>")).message).toContain("target type 'system-serial' and target model 'pl011'")
    expect(refusal(pc("<serial type='pty'><target type='sclp-serial'/></serial>")).message).toContain("target type 'sclp-serial' and target model 'sclpconsole'")
    expect(predicts(pseries("<serial type='pty'><target type='spapr-vio-serial'><model name='spapr-vty'/></target></serial>"), { caps: ppcCaps })).toContain("<model name='spapr-vty'/>")
  })
})

describe('network interfaces', () => {
  it('the number of queues is an unsigned base-10 integer (parse)', () => {
    const nic = (queues: string) => `<interface type='user'><model type='virtio'/><driver name='vhost' queues='${queues}'/></interface>`
    for (const v9 of [false, true]) {
      expect(refusal(pc(nic('-5')), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-invalid-value', message: "Invalid value for attribute 'queues' in element 'driver': '-5'. Expected non-negative integer value", path: 'domain/devices/interface[1]/driver/@queues',
      })
    }
    expect(refusal(pc(nic('0x4'))).message).toBe("Invalid value for attribute 'queues' in element 'driver': '0x4'. Expected non-negative integer value")
    expect(predicts(pc(nic('4')))).toContain("queues='4'")
  })

  it('an MTU only where QEMU sets one: network, bridge, ethernet, vhost-user (user networking through passt on 11.3)', () => {
    // (libvirtd 9.0's words; an MTU of 0 is none: not refused, nor written — `if (def->mtu)`, seen on libvirtd 9.0)
    const nic = (type: string, mtu: string, extra = '') => `<interface type='${type}'>${extra}<model type='e1000e'/><mtu size='${mtu}'/></interface>`
    expect(refusal(pc(nic('user', '1400')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'setting MTU on interface type user is not supported yet', path: 'domain/devices/interface[1]/mtu' })
    expect(refusal(pc(nic('mcast', '9000', "<source address='230.0.0.1' port='5558'/>"))).message).toBe('setting MTU on interface type mcast is not supported yet')
    expect(predicts(pc(nic('user', '0')))).not.toContain('<mtu')
    expect(predicts(pc(nic('network', '9000', "<source network='default'/>")))).toContain("<mtu size='9000'/>")
    expect(predicts(pc(nic('user', '1400', "<backend type='passt'/>")))).toContain("<mtu size='1400'/>")
  })

  it('virtio queue sizes are powers of two; vhost-user needs a virtio-net frontend', () => {
    const sized = (model: string, size: string) => `<interface type='user'><model type='${model}'/><driver rx_queue_size='${size}'/></interface>`
    expect(refusal(pc(sized('virtio', '300')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'rx_queue_size has to be a power of two', path: 'domain/devices/interface[1]/driver/@rx_queue_size' })
    expect(refusal(pc(sized('virtio', '256').replace('rx_queue_size', 'tx_queue_size').replace("'256'", "'300'"))).message).toBe('tx_queue_size has to be a power of two')
    expect(predicts(pc(sized('virtio', '256')))).toContain("rx_queue_size='256'")
    // a NIC not written as virtio keeps none of virtio-net's driver settings: nothing to check (libvirtd 9.0)
    expect(predicts(pc(sized('e1000', '300')))).not.toContain('<driver')
    const vhost = (model: string) => `<interface type='vhostuser'><source type='unix' path='/tmp/vhost.sock' mode='server'/>${model}</interface>`
    const words = "Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. vhostuser requires the virtio-net* frontend"
    expect(refusal(pc(vhost('')), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: words, path: 'domain/devices/interface[1]/model' })
    expect(refusal(pc(vhost("<model type='e1000'/>")), { v9: true }).message).toBe(words)
    // (libvirt 11 — from 11.3's source —: shared memory first, then a virtio model)
    expect(refusal(pc(vhost("<model type='e1000'/>"))).message).toBe("'interface' requires shared memory")
    expect(refusal(pc(vhost("<model type='e1000'/>"), "<memoryBacking><access mode='shared'/></memoryBacking>")).message).toBe("invalid model for interface of type 'vhostuser': 'e1000' - must be 'virtio'")
    expect(predicts(pc(vhost("<model type='virtio'/>"), "<memoryBacking><access mode='shared'/></memoryBacking>"))).toContain("<model type='virtio'/>")
  })

  it("libvirt 11: port forwarding is passt's, and a passt vhost-user interface needs shared memory", () => {
    const forward = "<portForward proto='tcp'><range start='443' to='344'/></portForward>"
    expect(refusal(pc(`<interface type='user'>${forward}<model type='virtio'/></interface>`))).toEqual({
      name: 'PreviewError', code: 'preview-refused', path: 'domain/devices/interface[1]/portForward',
      message: "The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
    })
    expect(predicts(pc(`<interface type='user'>${forward}<model type='virtio'/></interface>`), { v9: true })).toContain('<interface')
    expect(predicts(pc(`<interface type='user'>${forward}<model type='virtio'/><backend type='passt'/></interface>`))).toContain("<backend type='passt'/>")
    const vhost = "<interface type='vhostuser'><model type='virtio'/><backend type='passt'/></interface>"
    expect(refusal(pc(vhost))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "'interface' requires shared memory", path: 'domain/devices/interface[1]' })
    expect(predicts(pc(vhost, "<memoryBacking><access mode='shared'/></memoryBacking>"))).toContain("<backend type='passt'/>")
  })
})

describe('graphics', () => {
  const spice = "<graphics type='spice' port='5903' tlsPort='5904' autoport='no'/>"
  it("a SPICE TLS port needs qemu.conf's spice_tls, off unless set (libvirt's test host sets it)", () => {
    expect(refusal(pc(spice))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'spice TLS port set in XML configuration, but TLS is disabled in qemu.conf', path: 'domain/devices/graphics[1]/@tlsPort',
    })
    expect(refusal(pc(spice), { v9: true, qemuConf: parseQemuConf('security_driver = "none"\nspice_tls = 0\n') }).message).toBe('spice TLS port set in XML configuration, but TLS is disabled in qemu.conf')
    expect(parseQemuConf('spice_tls = 1').spiceTls).toBe(true)
    expect(predicts(pc(spice), { qemuConf: parseQemuConf('spice_tls = 1') })).toContain("tlsPort='5904'")
    expect(predicts(pc(spice), { testHost: 'latest' })).toContain("tlsPort='5904'")
    // listening nowhere, the TLS port is not checked, nor written (virDomainGraphicsDefFormat writes ports for address
    // and network listens only)
    expect(predicts(pc("<graphics type='spice' tlsPort='5904' autoport='no'><listen type='none'/></graphics>"))).toContain("<graphics type='spice'>")
    expect(predicts(pc("<graphics type='spice' autoport='yes'/>"))).toContain("autoport='yes'")
  })

  it('egl-headless and SPICE OpenGL exclude each other; graphics QEMU does not offer', () => {
    const gl = "<graphics type='spice'><listen type='none'/><gl enable='yes'/></graphics>"
    expect(refusal(pc(`${gl}<graphics type='egl-headless'/>`), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'multiple OpenGL displays are not supported by QEMU', path: 'domain/devices/graphics[1]/gl',
    })
    expect(predicts(pc(gl))).toContain("<gl enable='yes'/>")
    expect(refusal(pc("<graphics type='vnc' passwd='123456789'/>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'VNC password is 9 characters long, only 8 permitted', path: 'domain/devices/graphics[1]/@passwd',
    })
    expect(predicts(pc("<graphics type='vnc' passwd='12345678'/>"))).toContain("<graphics type='vnc'")
    expect(refusal(pc("<graphics type='desktop'/>")).message).toBe('desktop graphics are not supported with this QEMU')
    expect(refusal(pc("<graphics type='rdp' autoport='yes'/>"), { v9: true })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'rdp graphics are not supported with this QEMU', path: 'domain/devices/graphics[1]/@type',
    })
    expect(predicts(pc("<graphics type='dbus'/><graphics type='rdp' autoport='yes'/>"))).toContain("<graphics type='rdp'")
  })
})

describe('other devices', () => {
  it('libvirt 11: a shared memory size is a power of two of at least 1 MiB', () => {
    const shmem = (size: string) => `<shmem name='shmem0'><model type='ivshmem-plain'/>${size}</shmem>`
    expect(refusal(pc(shmem("<size unit='K'>12345</size>")))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'shmem size must be a power of 2 and at least 1 MiB (1024 KiB)', path: 'domain/devices/shmem[1]/size',
    })
    expect(refusal(pc(shmem("<size unit='K'>512</size>"))).message).toBe('shmem size must be a power of 2 and at least 1 MiB (1024 KiB)')
    expect(predicts(pc(shmem("<size unit='M'>4</size>")))).toContain('<shmem')
    expect(predicts(pc(shmem("<size unit='K'>12345</size>")), { v9: true })).toContain('<shmem')
  })

  it('an sPAPR-VIO register once (the console is serial 0)', () => {
    const clash = "<console type='pty'><address type='spapr-vio'/></console><serial type='pty'><address type='spapr-vio'/></serial><serial type='pty'><address type='spapr-vio' reg='0x4000'/></serial><controller type='scsi' index='0'><address type='spapr-vio' reg='4000'/></controller>"
    expect(refusal(pseries(clash), { caps: ppcCaps })).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: 'spapr-vio address 0x4000 already in use', path: 'domain/devices/controller[1]/address/@reg',
    })
    expect(predicts(pseries(clash.replace("reg='4000'", "reg='0x2000'")), { caps: ppcCaps })).toContain("reg='0x00002000'")
  })

  it("a firmware or hypervisor panic notifier has no address and belongs to its machine", () => {
    expect(refusal(pseries("<panic><address type='isa' iobase='0x505'/></panic>"), { caps: ppcCaps })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "setting the panic device address is not supported for model 'pseries'", path: 'domain/devices/panic[1]/address',
    })
    expect(refusal(pseries("<panic model='hyperv'/>"), { caps: ppcCaps }).message).toBe("only i686 and x86_64 guests support panic device of model 'hyperv'")
    expect(refusal(pc("<panic model='pseries'/>")).message).toBe("only pSeries guests support panic device of model 'pseries'")
    expect(refusal(pc("<panic model='hyperv'><address type='isa' iobase='0x505'/></panic>")).message).toBe("setting the panic device address is not supported for model 'hyperv'")
    expect(predicts(pseries('<panic/>'), { caps: ppcCaps })).toContain("<panic model='pseries'/>")
  })

  it('TPM 1.2 has no ARM interface', () => {
    const tpm = (version: string) => `<tpm model='tpm-tis'><backend type='emulator' version='${version}'/></tpm>`
    const arm = (devices: string) => dom({ arch: 'aarch64', machine: 'virt', devices })
    expect(refusal(arm(tpm('1.2')), { caps: armCaps })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "TPM 1.2 is not supported on architecture 'aarch64'", path: 'domain/devices/tpm[1]/backend/@version',
    })
    expect(refusal(arm(tpm('1.2')), { caps: armCaps, v9: true }).message).toBe('TPM 1.2 is not supported on ARM')
    expect(predicts(arm(tpm('2.0')), { caps: armCaps })).toContain("version='2.0'")
    expect(predicts(q35(tpm('1.2')))).toContain("version='1.2'")
  })

  it('libvirt 11: virtiofs boots from PCI only (an s390 device gets CCW)', () => {
    const fs = (address = '') => `<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><source dir='/tmp'/><target dir='tag'/><boot order='2'/>${address}</filesystem>`
    const shared = "<memoryBacking><access mode='shared'/></memoryBacking>"
    expect(refusal(dom({ arch: 's390x', machine: 's390-ccw-virtio', devices: fs(), extra: shared }), { caps: s390Caps })).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: 'setting virtiofs boot order is supported only with PCI bus', path: 'domain/devices/filesystem[1]/boot',
    })
    expect(predicts(q35(fs(), shared))).toContain("<boot order='2'/>")
  })

  it('a USB address on a bus no controller provides, once libvirt reserves USB addresses (a new definition, as virsh define makes)', () => {
    for (const v9 of [true, false]) {
      expect(refusal(pc("<hub type='usb'><address type='usb' bus='1'/></hub>"), { v9 })).toEqual({
        name: 'PreviewError', code: 'preview-invalid-value', message: 'USB bus 1 requested but no controller with that index is present', path: "domain/devices/hub[@type='usb']/address/@bus",
      })
      expect(refusal(pc("<input type='tablet' bus='usb'><address type='usb' bus='2' port='1'/></input>"), { v9 }).message).toBe('Missing USB bus 2')
      expect(predicts(pc("<controller type='usb' index='0'/><controller type='usb' index='1' model='qemu-xhci'/><hub type='usb'><address type='usb' bus='1'/></hub>"), { v9 })).toContain("<hub type='usb'>")
    }
    // an existing definition read again (libvirt's usb-bus-missing test pair): no address set unless every USB device has its port
    const reread = previewDomain(pc("<hub type='usb'><address type='usb' bus='1'/></hub>"), { qemuCaps: capsXml(), abiUpdate: false }).xml
    expect(reread).toContain("<address type='usb' bus='1'/>")
  })

  it("libvirt 9.0's parser does not know the PCI pvpanic model", () => {
    expect(refusal(pc("<panic model='pvpanic'/>"), { v9: true })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown panic model 'pvpanic'", path: 'domain/devices/panic[1]/@model' })
    expect(predicts(pc("<panic model='pvpanic'/>"))).toContain("<panic model='pvpanic'>")
  })
})

describe("a disk-level <encryption> read with the source, before the disk's attributes (virDomainDiskDefParseSourceXML; the differential, seed 1040; each seen on libvirtd 9.0)", () => {
  const enc = "<encryption format='luks'><secret type='-1' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption>"
  const disk = (attrs: string, inner: string) => q35(`<disk type='file' ${attrs}>${inner}<target dev='vda' bus='virtio'/>${enc}</disk>`)
  it('is refused before the device, the snapshot, the target, the driver and the backing chain', () => {
    const refused = { code: 'preview-refused', message: 'unknown volume encryption secret type -1' }
    expect(refusal(disk("device='DISK'", "<source file='/tmp/e.img'/>"))).toMatchObject(refused)
    expect(refusal(disk("device='disk' snapshot='bogus'", "<source file='/tmp/e.img'/>"))).toMatchObject(refused)
    expect(refusal(disk("device='disk'", "<driver name='qemu' type='qcowz'/><source file='/tmp/e.img'/>"))).toMatchObject(refused)
    expect(refusal(disk("device='disk'", "<source file='/tmp/e.img'/><backingStore type='file'><format type='bogus'/><source file='/tmp/b.img'/></backingStore>"))).toMatchObject(refused)
    expect(refusal(q35(`<disk type='file' device='disk'><source file='/tmp/e.img'/><target dev='vda' bus='bogus'/>${enc}</disk>`))).toMatchObject(refused)
  })
})

describe("a qcow2 metadata cache's size as virParseScaledValue reads it (the differential, seed 950; each seen on libvirtd 9.0)", () => {
  const disk = (unit: string, size: string, backing = '', address = '', format = 'qcow2') => pc(`<disk type='file' device='disk'><driver name='qemu' type='${format}'><metadata_cache><max_size unit='${unit}'>${size}</max_size></metadata_cache></driver><source file='/tmp/a.img'/>${backing}<target dev='hda' bus='ide'/>${address}</disk>`)
  const backing = "<backingStore type='file'><format type='qcow2'><metadata_cache><max_size unit='zz'>1</max_size></metadata_cache></format><source file='/tmp/b.img'/></backingStore>"
  it("refuses a unit or a number that does not read, and one above 2^64 - 1 bytes, before a drive address it reads later", () => {
    expect(refusal(disk(' ', '12345', '', "<address type='drive' controller='0' bus='zz' target='0' unit='0'/>"))).toMatchObject({ message: "unknown suffix ' '", path: "domain/devices/disk[target/@dev='hda']/driver/metadata_cache/max_size" })
    expect(refusal(disk('bytes', '12x')).message).toBe("Invalid value '12x' for element or attribute './metadata_cache/max_size'")
    expect(refusal(disk('EiB', '99999')).message).toBe('value too large: 99999EiB')
  })
  it("reads a backing store's first (its chain before the driver), the driver's format before its own", () => {
    expect(refusal(disk('KiB', '1024', backing))).toMatchObject({ message: "unknown suffix 'zz'", path: "domain/devices/disk[target/@dev='hda']/backingStore/format/metadata_cache/max_size" })
    expect(refusal(disk('qq', '1', backing)).message).toBe("unknown suffix 'zz'")
    expect(refusal(disk('qq', '1', '', '', 'qcowz')).message).toBe("unknown driver format value 'qcowz'")
  })
  it('takes an empty unit as bytes', () => {
    expect(predicts(disk('', '1024'))).toContain("<max_size unit='bytes'>1024</max_size>")
  })
})

describe('held-out libvirt test domains: what libvirtd 9.0 refused, in its words (each case defined on the sandbox)', () => {
  const file = (target: string, extra = '') => `<disk type='file' device='disk'><source file='/tmp/a.img'/><target ${target}/>${extra}</disk>`

  it('a disk without a target name is named by its source; a name that does not read is refused, without an address and with one', () => {
    const missing = (disk: string) => refusal(pc(disk))
    expect(missing("<disk type='block' device='disk'><source dev='/dev/HostVG/x'/></disk>")).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'missing target information for device /dev/HostVG/x', path: 'domain/devices/disk[1]/target' })
    expect(missing(file("bus='virtio'")).message).toBe('missing target information for device /tmp/a.img')
    expect(missing("<disk type='file' device='cdrom'><target bus='ide'/></disk>").message).toBe('missing target information for device')
    expect(missing("<disk type='network' device='disk'><source protocol='nbd' name='foo'><host name='h' port='10809'/></source></disk>").message).toBe('missing target information for device foo')
    expect(missing("<disk type='volume' device='disk'><source pool='p' volume='v'/></disk>").message).toBe("missing target information for device pool = 'p', volume = 'v'")
    for (const name of ['', 'vdA', 'xyz', 'sd1']) {
      expect(refusal(pc(file(`dev='${name}' bus='virtio'`)))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: `Unknown disk name '${name}' and no address specified`, path: `domain/devices/disk[target/@dev='${name}']/target/@dev` })
    }
    expect(refusal(pc(file("dev='xyz' bus='sata'"))).message).toBe("Unknown disk name 'xyz' and no address specified")
    expect(refusal(q35(file("dev='xyz' bus='sata'", "<address type='drive' controller='0' bus='0' target='0' unit='1'/>")))).toMatchObject({ code: 'preview-refused', message: 'Invalid harddisk device name: xyz' })
    expect(refusal(pc(file("dev='' bus='virtio'", "<address type='pci' domain='0' bus='0' slot='7' function='0'/>"))).message).toBe('Invalid harddisk device name: ')
    // a name whose index overflows an int: 9.0 lets it wrap (and took this one), 11.3 refuses it
    expect(refusal(pc(file("dev='hdaxxxxxxxxxx' bus='virtio'"))).message).toBe("Unknown disk name 'hdaxxxxxxxxxx' and no address specified")
    expect(predicts(pc(file("dev='hdaxxxxxxxxxx' bus='virtio'")), { v9: true })).toContain("<target dev='hdaxxxxxxxxxx' bus='virtio'/>")
    expect(predicts(pc(file("dev='vdzz' bus='virtio'")))).toContain("<target dev='vdzz' bus='virtio'/>")
  })

  it("an ISO image is raw to QEMU, and a directory a disk type: the disk's format and its backing chain's", () => {
    const chain = (format: string) => `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/a.qcow2'/><backingStore type='file'><format type='${format}'/><source file='/tmp/b'/></backingStore><target dev='vda' bus='virtio'/></disk>`
    expect(refusal(pc("<disk type='file' device='cdrom'><driver name='qemu' type='iso'/><source file='/tmp/a.iso'/><target dev='hdc' bus='ide'/></disk>"))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "storage format 'iso' is not directly supported by QEMU, use 'raw' instead", path: "domain/devices/disk[target/@dev='hdc']/driver/@type",
    })
    expect(refusal(pc(chain('iso')))).toMatchObject({ message: "storage format 'iso' is not directly supported by QEMU, use 'raw' instead", path: "domain/devices/disk[target/@dev='vda']/backingStore/format/@type" })
    expect(refusal(pc(chain('dir'))).message).toBe("'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead")
    expect(predicts(pc(chain('raw')))).toContain("<format type='raw'/>")
  })

  it('one <auth> per disk, under <source> or <disk>', () => {
    const auth = "<auth username='u'><secret type='iscsi' usage='x'/></auth>"
    const disk = (inner: string, outer: string) => `<disk type='network' device='disk'><source protocol='iscsi' name='iqn.1992-01.com.example/1'><host name='h'/>${inner}</source>${outer}<target dev='vda' bus='virtio'/></disk>`
    expect(refusal(pc(disk(auth, auth)))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'an <auth> definition already found for disk source', path: "domain/devices/disk[target/@dev='vda']/auth" })
    expect(predicts(pc(disk(auth, '')))).toContain("<auth username='u'>")
  })

  it('USB switched off and another USB controller, in either order', () => {
    const message = "Can't add another USB controller: USB is disabled for this domain"
    expect(refusal(pc("<controller type='usb' index='0' model='none'/><controller type='usb' index='0'/>"))).toMatchObject({ code: 'preview-invalid-value', message })
    expect(refusal(pc("<controller type='usb' index='0' model='piix3-uhci'/><controller type='usb' index='1' model='none'/>")).message).toBe(message)
    expect(predicts(pc("<controller type='usb' index='0' model='none'/>"))).toContain("<controller type='usb' index='0' model='none'/>")
  })

  it('USB companions need a controller that is not one (any index); the parser orders USB controllers, 9.0 too', () => {
    const usb = (controllers: string) => pc(controllers)
    for (const alone of ["<controller type='usb' index='0' model='ich9-uhci2'/>", "<controller type='usb' index='0' model='piix3-uhci'><master startport='2'/></controller>", "<controller type='usb' index='0' model='ich9-uhci1'/><controller type='usb' index='0' model='ich9-uhci2'/>"]) {
      expect(refusal(usb(alone))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'No master USB controller specified', path: "domain/devices/controller[@type='usb']" })
    }
    // a companion written before its master, or an index out of order, is written in libvirt's order
    for (const v9 of [false, true]) {
      const out = predicts(usb("<controller type='usb' index='1' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci2'/>"), { v9 })
      expect(out.indexOf("model='ich9-uhci2'")).toBeLessThan(out.indexOf("model='ich9-ehci1'"))
      expect(out).toContain("<master startport='2'/>")
      const master = predicts(usb("<controller type='usb' index='0' model='ich9-uhci2'/><controller type='usb' index='0' model='ich9-ehci1'/>"), { v9 })
      expect(master.indexOf("model='ich9-ehci1'")).toBeLessThan(master.indexOf("model='ich9-uhci2'"))
    }
    // beside a PIIX3 UHCI an ICH9 UHCI still takes its master port
    expect(predicts(usb("<controller type='usb' index='0' model='piix3-uhci'/><controller type='usb' index='0' model='ich9-uhci2'/>"))).toContain("<master startport='2'/>")
  })

  it('libvirt 11: no PS/2 inputs with PS/2 off (libvirt 9.0 does not know the ps2 feature at all)', () => {
    expect(refusal(pc("<input type='mouse' bus='ps2'/>", "<features><ps2 state='off'/></features>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'ps2 bus inputs require the ps2 feature not to be disabled', path: 'domain/devices/input[1]/@bus' })
    expect(predicts(pc("<input type='tablet' bus='usb'/>", "<features><ps2 state='off'/></features>"))).toContain("<ps2 state='off'/>")
  })

  it("no PCI address taken twice: two devices written at one, or a device on the chipset's own functions", () => {
    const balloon = (slot: string, fn: number) => `<memballoon model='virtio'><address type='pci' slot='${slot}' function='${fn}'/></memballoon>`
    const double = (address: string, path = "domain/devices/memballoon[@model='virtio']/address") => ({ name: 'PreviewError', code: 'preview-invalid-value', message: `Attempted double use of PCI Address ${address}`, path })
    expect(refusal(pc(`${balloon('5', 0)}<rng model='virtio'><backend model='random'>/dev/urandom</backend><address type='pci' slot='5' function='0'/></rng>`))).toEqual(double('0000:00:05.0', "domain/devices/rng[@model='virtio']/address"))
    // i440fx: 00:01.0 and 00:01.3 always, 00:01.1 with an IDE controller, 00:01.2 with a PIIX3 USB one
    expect(refusal(pc(balloon('1', 0)))).toEqual(double('0000:00:01.0'))
    expect(refusal(pc(balloon('1', 3)))).toEqual(double('0000:00:01.3'))
    expect(refusal(pc(balloon('1', 2)))).toEqual(double('0000:00:01.2'))
    expect(refusal(pc(`<controller type='ide' index='0'/>${balloon('1', 1)}`))).toEqual(double('0000:00:01.1'))
    expect(refusal(pc(`<controller type='ide' index='0'><address type='pci' slot='1' function='1'/></controller>${balloon('1', 1)}`)).message).toBe('Attempted double use of PCI Address 0000:00:01.1')
    expect(predicts(pc(balloon('1', 1)))).toContain("function='0x1'")
    expect(predicts(pc(`<controller type='usb' index='0' model='qemu-xhci'/>${balloon('1', 2)}`))).toContain("function='0x2'")
    expect(predicts(pc(balloon('1', 4)))).toContain("function='0x4'")
    // q35: 00:1f.0 and 00:1f.3, 00:1f.2 with the SATA controller
    expect(refusal(q35(balloon('0x1f', 0)))).toEqual(double('0000:00:1f.0'))
    expect(refusal(q35(balloon('0x1f', 2)))).toEqual(double('0000:00:1f.2'))
    expect(refusal(q35(balloon('0x1f', 3)))).toEqual(double('0000:00:1f.3'))
    expect(predicts(q35(balloon('0x1f', 4)))).toContain("slot='0x1f' function='0x4'")
  })

  it("a SCSI host device's drive address is its own (libvirt's words: 9.0 swaps bus and controller in one, drops a quote in another)", () => {
    const host = (unit: number, controller: number, driveUnit: number) => `<hostdev mode='subsystem' type='scsi' managed='no'><source><adapter name='scsi_host2'/><address bus='0' target='0' unit='${unit}'/></source><address type='drive' controller='${controller}' bus='0' target='0' unit='${driveUnit}'/></hostdev>`
    const scsi = "<controller type='scsi' index='0' model='virtio-scsi'/><controller type='scsi' index='1' model='virtio-scsi'/>"
    expect(refusal(pc(`${host(1, 1, 2)}${host(2, 1, 2)}${scsi}`))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "SCSI host address controller='0' bus='1' target='0' unit='2' in use by another SCSI host device", path: "domain/devices/hostdev[@type='scsi'][1]/address" })
    expect(refusal(pc(`<disk type='block' device='disk'><source dev='/dev/x'/><target dev='sdb' bus='scsi'/><address type='drive' controller='1' bus='0' target='0' unit='3'/></disk>${host(1, 1, 3)}${scsi}`))).toMatchObject({
      code: 'preview-invalid-value', message: "SCSI host address controller='1' bus='0' target='0' unit='3' in use by a SCSI disk",
    })
    expect(refusal(pc(`<disk type='block' device='disk'><source dev='/dev/x'/><target dev='sdi' bus='scsi'/></disk>${host(1, 1, 1)}${scsi}`))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "using disk target name 'sdi' conflicts with SCSI host device address controller='1' bus='0' target='0' unit='1", path: "domain/devices/disk[target/@dev='sdi']/target/@dev",
    })
    expect(predicts(pc(`<disk type='block' device='disk'><source dev='/dev/x'/><target dev='sdi' bus='scsi'/></disk>${host(1, 1, 2)}${scsi}`))).toContain("controller='1' bus='0' target='0' unit='1'")
  })

  it("a mediated device's address is its bus's; a generated virtio channel socket listens, so it cannot reconnect", () => {
    const mdev = (model: string, address: string) => pc(`<hostdev mode='subsystem' type='mdev' model='${model}'><source><address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source>${address}</hostdev>`)
    expect(refusal(mdev('vfio-pci', "<address type='drive' controller='0' bus='0' target='0' unit='1'/>"))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', message: "Unsupported address type 'drive' with mediated device model 'vfio-pci'", path: 'domain/devices/hostdev[1]/address/@type',
    })
    // (before the machine's buses: a CCW address on a PC is the model's problem first)
    expect(refusal(mdev('vfio-pci', "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>")).message).toBe("Unsupported address type 'ccw' with mediated device model 'vfio-pci'")
    expect(refusal(mdev('vfio-ccw', "<address type='pci' domain='0' bus='0' slot='7' function='0'/>")).message).toBe("Unsupported address type 'pci' with mediated device model 'vfio-ccw'")
    expect(predicts(mdev('vfio-pci', "<address type='pci' domain='0' bus='0' slot='7' function='0'/>"))).toContain("slot='0x07'")
    const channel = (path: string) => pc(`<channel type='unix'><source mode='connect' path='${path}'><reconnect enabled='yes' timeout='10'/></source><target type='virtio' name='asdf'/></channel>`)
    expect(refusal(channel('/var/lib/libvirt/qemu/channel/target/domain-old/asdf'))).toMatchObject({ code: 'preview-refused', message: 'chardev reconnect is possible only for connect mode', path: 'domain/devices/channel[1]/source/reconnect' })
    expect(predicts(channel('/run/user/asdf'))).toContain("<reconnect enabled='yes' timeout='10'/>")
  })

  it('shared memory MSI needs a server', () => {
    expect(refusal(pc("<shmem name='s'><msi/></shmem>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'msi option is only supported with a server', path: 'domain/devices/shmem[1]/msi' })
    expect(predicts(pc("<shmem name='s'><model type='ivshmem-doorbell'/><server path='/tmp/s.sock'/><msi/></shmem>"))).toContain('<msi')
  })

  it('egl-headless pairs with VNC and SPICE only', () => {
    expect(refusal(pc("<graphics type='sdl' display=':0.1'/><graphics type='egl-headless'/>"))).toEqual({
      name: 'PreviewError', code: 'preview-refused', message: "graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types", path: 'domain/devices/graphics[1]/@type',
    })
    expect(predicts(pc("<graphics type='vnc'/><graphics type='egl-headless'/>"))).toMatch(/<graphics type='egl-headless'/)
  })

  it('a virtio IOMMU takes a PCI address only; a CCW address is for s390 CCW machines alone', () => {
    const iommu = (address: string) => q35(`<iommu model='virtio'>${address}</iommu>`, '<features><acpi/></features>')
    expect(refusal(iommu("<address type='virtio-mmio'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "IOMMU device: 'virtio' needs a PCI address", path: 'domain/devices/iommu[1]/address/@type' })
    expect(refusal(q35("<iommu model='virtio'><address type='virtio-mmio'/></iommu>")).message).toBe("IOMMU device: 'virtio' requires ACPI")
    expect(refusal(iommu("<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>"), { v9: true })).toMatchObject({ message: "cannot use CCW address type for device '<null>' using machine type 'pc-q35-9.9'", path: 'domain/devices/iommu[1]/address/@type' })
    expect(refusal(pc(file("dev='vda' bus='virtio'", "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>")), { v9: true }).message).toBe("cannot use CCW address type for device '<null>' using machine type 'pc-i440fx-9.9'")
    // (libvirt 11's words, from 11.3's source: its validation of the address)
    expect(refusal(pc(file("dev='vda' bus='virtio'", "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>"))).message).toBe("CCW addresses are not supported by machine type 'pc-i440fx-9.9'")
    expect(predicts(iommu("<address type='pci' domain='0' bus='0' slot='5' function='0'/>"))).toContain("<iommu model='virtio'>")
    expect(predicts(s390(file("dev='vda' bus='virtio'", "<address type='ccw' cssid='0xfe' ssid='0' devno='0x0001'/>")), { caps: s390Caps })).toContain("devno='0x0001'")
  })
})

// Found by the differential search (tools/preview-differential.ts: libvirt's test domains, client samples and composed
// domains, edited as management applications edit them, defined on libvirtd 9.0 and compared); each case and the one
// just inside it were defined on that daemon.
describe('edits clients make (differential search)', () => {
  const cdrom = (dev: string, extra = '') => `<disk type='file' device='cdrom'><target dev='${dev}' bus='ide'/>${extra}</disk>`

  it('IDE: the board\'s one controller on i440fx, none on q35; an IDE disk on a second controller', () => {
    expect(predicts(pc(cdrom('hdc')))).toContain("<controller type='ide' index='0'>")
    expect(refusal(q35(cdrom('hda')))).toMatchObject({ code: 'preview-refused', message: 'IDE controllers are unsupported for this QEMU binary or machine type' })
    expect(refusal(q35("<controller type='ide'/>")).message).toBe('IDE controllers are unsupported for this QEMU binary or machine type')
    expect(refusal(pc("<controller type='ide' index='1'/>")).message).toBe('Only a single IDE controller is supported for this machine type')
    // a copy of the controller without its index is numbered 1
    expect(refusal(pc("<controller type='ide' index='0'/><controller type='ide'/>")).message).toBe('Only a single IDE controller is supported for this machine type')
    // hde is the fifth IDE disk: the second controller's; so is a drive address naming it — on any machine
    expect(refusal(pc(cdrom('hde')))).toMatchObject({ message: 'Only 1 IDE controller is supported', path: "domain/devices/disk[target/@dev='hde']" })
    expect(refusal(q35(cdrom('hde'))).message).toBe('Only 1 IDE controller is supported')
    expect(refusal(pc(cdrom('hda', "<address type='drive' controller='1' bus='0' target='0' unit='0'/>"))).message).toBe('Only 1 IDE controller is supported')
  })

  it('one memory balloon, vsock, NVRAM and IOMMU device (11.3 parses one IOMMU too)', () => {
    expect(refusal(pc("<memballoon model='none'/><memballoon model='virtio'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'only a single memory balloon device is supported', path: 'domain/devices/memballoon' })
    expect(refusal(pc("<vsock model='virtio'><cid auto='yes'/></vsock><vsock model='virtio'><cid auto='yes'/></vsock>")).message).toBe('only a single vsock device is supported')
    expect(refusal(pc('<nvram/><nvram/>')).message).toBe('only a single nvram device is supported')
    expect(refusal(q35("<iommu model='intel'/><iommu model='intel'/>", '<features><acpi/><ioapic driver="qemu"/></features>'), { v9: true }).message).toBe('only a single IOMMU device is supported')
    expect(refusal(q35("<iommu model='intel'/><iommu model='intel'/>", '<features><acpi/><ioapic driver="qemu"/></features>')).message).toBe('only a single IOMMU device is supported')
    expect(predicts(pc("<memballoon model='virtio'/>"))).toContain("<memballoon model='virtio'>")
  })

  it('a pci-root copied without its index is numbered 1, and refused', () => {
    expect(refusal(pc("<controller type='pci' index='0' model='pci-root'/><controller type='pci' model='pci-root'/>"))).toMatchObject({ message: 'pci-root and pcie-root controllers should have index 0', path: "domain/devices/controller[@type='pci'][@model='pci-root'][@index='1']/@index" })
    expect(predicts(pc("<controller type='pci' model='pci-root'/>"))).toContain("<controller type='pci' index='0' model='pci-root'/>")
  })

  it('USB: one bus per index (ICH9 UHCI companions aside), USB switched off once', () => {
    expect(refusal(pc("<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0'/>"))).toMatchObject({ message: 'Duplicate USB controllers with index 0' })
    expect(refusal(pc("<controller type='usb' index='0' model='qemu-xhci'/><controller type='usb' index='0' model='qemu-xhci'/>")).message).toBe('Duplicate USB controllers with index 0')
    expect(predicts(pc("<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/>"))).toContain("model='ich9-uhci1'")
    expect(refusal(pc("<controller type='usb' model='none'/><controller type='usb' model='none'/>")).message).toBe("Can't add another USB controller: USB is disabled for this domain")
  })

  it('controllers written without an index: numbered by the first free one, placed after the last of their type; an ICH9 companion shares its master\'s', () => {
    const order = (xml: string) => [...xml.matchAll(/<controller type='(\w+)' index='(\d+)'(?: model='([\w-]+)')?/g)].map((m) => `${m[1]}${m[2]}${m[3] ? `:${m[3]}` : ''}`)
    expect(order(predicts(pc("<controller type='scsi' model='virtio-scsi'/><controller type='usb' index='0' model='piix3-uhci'/><controller type='scsi' model='lsilogic'/>"))))
      .toEqual(['scsi0:virtio-scsi', 'scsi1:lsilogic', 'usb0:piix3-uhci', 'pci0:pci-root'])
    expect(order(predicts(pc("<controller type='usb' index='0' model='piix3-uhci'/><controller type='usb' model='qemu-xhci'/><controller type='usb' index='1' model='qemu-xhci'/>"))))
      .toEqual(['usb0:piix3-uhci', 'usb2:qemu-xhci', 'usb1:qemu-xhci', 'pci0:pci-root'])
    expect(order(predicts(pc("<controller type='usb' index='2' model='ich9-ehci1'/><controller type='usb' model='ich9-uhci1'/>"), { v9: true })))
      .toEqual(['usb2:ich9-ehci1', 'usb2:ich9-uhci1', 'usb0:piix3-uhci', 'pci0:pci-root'])
  })

  it('a SCSI host device gets its drive address and its controllers as the parser reads it', () => {
    const iscsi = (address = '') => `<hostdev mode='subsystem' type='scsi' managed='yes'><source protocol='iscsi' name='iqn.1992-01.com.example:storage/1'><host name='example.org' port='3260'/></source>${address}</hostdev>`
    const scsi = (xml: string) => [...xml.matchAll(/<controller type='scsi' index='(\d+)' model='([\w-]+)'/g)].map((m) => `${m[1]}:${m[2]}`)
    const alone = predicts(pc(iscsi()))
    expect(scsi(alone)).toEqual(['0:lsilogic'])
    expect(alone).toContain("<address type='drive' controller='0' bus='0' target='0' unit='0'/>")
    // a controller written without an index is numbered after the one the host device needs
    expect(scsi(predicts(pc(`<controller type='scsi' model='virtio-scsi'/>${iscsi()}`)))).toEqual(['1:virtio-scsi', '0:lsilogic'])
    // every index up to the one the address names, in the model of the controller it is on (none yet: the default)
    expect(scsi(predicts(q35(iscsi("<address type='drive' controller='2' bus='0' target='0' unit='0'/>"))))).toEqual(['0:lsilogic', '1:lsilogic', '2:lsilogic'])
    // the next free unit, past the units disks were given: seven a controller (libvirtd 9.0); without an address the
    // parser reads controller 0, the one the address given later names is added after the default controllers
    const disk = (unit: number, address: boolean) => `<disk type='file' device='disk'><source file='/tmp/${unit}'/><target dev='sd${String.fromCharCode(97 + unit)}' bus='scsi'/>${address ? `<address type='drive' controller='0' bus='0' target='0' unit='${unit}'/>` : ''}</disk>`
    for (const address of [true, false]) {
      const full = predicts(pc(`${[0, 1, 2, 3, 4, 5, 6].map((u) => disk(u, address)).join('')}${iscsi()}`), { v9: true })
      expect(full).toContain("<address type='drive' controller='1' bus='0' target='0' unit='0'/>")
      expect([...full.matchAll(/<controller type='(\w+)' index='(\d+)'/g)].map((m) => `${m[1]}${m[2]}`)).toEqual(['scsi0', 'usb0', 'pci0', 'scsi1'])
    }
    // libvirt 9.0 appends what its parser adds: after the controllers written
    expect([...predicts(pc(`<controller type='usb' index='0' model='piix3-uhci'/><controller type='pci' index='0' model='pci-root'/>${iscsi()}`), { v9: true }).matchAll(/<controller type='(\w+)' index='(\d+)'/g)].map((m) => `${m[1]}${m[2]}`)).toEqual(['usb0', 'pci0', 'scsi0'])
    // a host device given controller 1 has both added as the parser reads it
    const given = predicts(pc(`${[0, 1, 2, 3, 4, 5, 6].map((u) => disk(u, true)).join('')}${iscsi("<address type='drive' controller='1' bus='0' target='0' unit='0'/>")}`), { v9: true })
    expect([...given.matchAll(/<controller type='(\w+)' index='(\d+)'/g)].map((m) => `${m[1]}${m[2]}`)).toEqual(['scsi0', 'scsi1', 'usb0', 'pci0'])
  })

  it("any device's drive address, by the disk's bus — another device's as a SCSI host device's (qemuValidateDomainDeviceDefAddressDrive)", () => {
    const disk = (dev: string, bus: string, address: string, device = 'disk') => `<disk type='file' device='${device}'><source file='/tmp/x'/><target dev='${dev}' bus='${bus}'/><address type='drive' ${address}/></disk>`
    expect(refusal(q35(disk('sda', 'sata', "controller='0' bus='1' target='0' unit='0'")))).toMatchObject({ code: 'preview-refused', message: 'bus must be 0 for sata controller', path: 'domain/devices/disk[1]/address/@bus' })
    expect(refusal(q35(disk('sda', 'sata', "controller='0' bus='0' target='1' unit='0'"))).message).toBe('target must be 0 for sata controller')
    expect(refusal(pc(disk('hda', 'ide', "controller='0' bus='0' target='1' unit='0'"))).message).toBe('target must be 0 for ide controller')
    expect(refusal(pc(disk('fda', 'fdc', "controller='1' bus='0' target='0' unit='0'", 'floppy'))).message).toBe('Only 1 fdc controller is supported')
    expect(refusal(pc(disk('fda', 'fdc', "controller='0' bus='1' target='0' unit='0'", 'floppy'))).message).toBe('Only 1 fdc bus is supported')
    expect(refusal(pc(disk('fda', 'fdc', "controller='0' bus='0' target='1' unit='0'", 'floppy'))).message).toBe('target must be 0 for controller fdc')
    expect(predicts(q35(disk('sda', 'sata', "controller='0' bus='0' target='0' unit='3'")))).toContain("unit='3'")
    // a device that is no disk: a SCSI host device's checks (libvirtd 9.0 refused a keyboard and an RNG so)
    const keyboard = (address: string, extra = '') => pc(`${extra}<input type='keyboard' bus='ps2'><address type='drive' ${address}/></input>`)
    expect(refusal(keyboard("controller='0' bus='1' target='0' unit='1'"))).toMatchObject({ message: 'SCSI controller only supports 1 bus', path: 'domain/devices/input[1]/address/@bus' })
    expect(refusal(keyboard("controller='0' bus='0' target='2' unit='1'", "<controller type='scsi' index='0' model='lsilogic'/>")).message).toBe("target must be 0 for controller model 'lsilogic'")
    // (no SCSI controller at that index: nothing more is checked)
    expect(refusal(pc("<rng model='virtio'><backend model='random'>/dev/urandom</backend><address type='drive' controller='0' bus='2' target='0' unit='0'/></rng>")).message).toBe('SCSI controller only supports 1 bus')
  })

  it("a host device's address type by its subsystem, SG_IO and teaming (virDomainHostdevDefValidate, before the QEMU checks)", () => {
    expect(refusal(pc(pciHost("domain='0' bus='6' slot='18' function='5'").replace('</hostdev>', "<address type='drive' controller='0' bus='0' target='0' unit='0'/></hostdev>")))).toMatchObject({
      code: 'preview-refused', message: "PCI host devices must use 'pci' or 'unassigned' address type", path: 'domain/devices/hostdev[1]/address/@type',
    })
    const scsiHost = (attrs: string, address: string) => pc(`<hostdev mode='subsystem' type='scsi'${attrs}><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source>${address}</hostdev>`)
    expect(refusal(scsiHost('', "<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>")).message).toBe("SCSI host device must use 'drive' address type")
    expect(refusal(scsiHost(" sgio='unfiltered'", '')).message).toBe('unfiltered sgio is no longer supported')
    // (the generic check first: a USB host device's drive address is no SCSI bus question)
    expect(refusal(pc(usbHost('1', '2').replace('</hostdev>', "<address type='drive' controller='0' bus='1' target='0' unit='0'/></hostdev>"))).message).toBe("USB host device must use 'usb' address type")
    const teamed = (teaming: string) => pc(pciHost("domain='0' bus='6' slot='18' function='5'").replace('</hostdev>', `${teaming}</hostdev>`))
    expect(refusal(teamed("<teaming type='persistent'/>")).message).toBe("teaming hostdev devices must have type='transient'")
    expect(refusal(teamed("<teaming type='transient'/>")).message).toBe('missing required persistent attribute in hostdev teaming element')
    expect(predicts(pc(usbHost('1', '2').replace('</hostdev>', "<address type='usb' bus='0' port='1'/></hostdev>")))).toContain("<address type='usb' bus='0' port='1'/>")
  })

  it('SCSI: one bus a controller, LSI Logic on target 0; virtio-scsi\'s driver settings on no other controller; a LUN on SCSI or virtio', () => {
    const drive = (model: string, bus: number, target: number, unit: number) => pc(`<controller type='scsi' index='0' model='${model}'/><disk type='file' device='disk'><source file='/tmp/x'/><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='${bus}' target='${target}' unit='${unit}'/></disk>`)
    expect(refusal(drive('lsilogic', 1, 0, 0))).toMatchObject({ code: 'preview-refused', message: 'SCSI controller only supports 1 bus' })
    expect(refusal(drive('virtio-scsi', 1, 0, 0)).message).toBe('SCSI controller only supports 1 bus')
    expect(refusal(drive('lsilogic', 0, 1, 0))).toMatchObject({ message: "target must be 0 for controller model 'lsilogic'", path: 'domain/devices/disk[1]/address/@target' })
    for (const inside of [drive('lsilogic', 0, 0, 8), drive('lsisas1068', 0, 1, 0), drive('virtio-scsi', 0, 256, 0)]) expect(predicts(inside)).toContain("<disk type='file' device='disk'>")
    // …unless a SCSI host device made the parser add an LSI Logic one at 0 first (libvirtd 9.0)
    const hostdevAt = (controller: number) => pc(`<controller type='scsi' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><address type='drive' controller='${controller}' bus='0' target='1' unit='0'/></hostdev>`)
    expect(refusal(hostdevAt(0)).message).toBe("target must be 0 for controller model 'lsilogic'")
    expect(refusal(hostdevAt(1)).message).toBe("target must be 0 for controller model 'lsilogic'")
    // a controller written without an index is the one numbered 0
    expect(predicts(drive('virtio-scsi', 0, 1, 0).replace("<controller type='scsi' index='0'", "<controller type='scsi'"))).toContain("target='1'")
    // a SCSI host device on a controller of the default model (LSI Logic here)
    expect(refusal(pc("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><address type='drive' controller='0' bus='0' target='4' unit='8'/></hostdev>")).message).toBe("target must be 0 for controller model 'lsilogic'")
    expect(refusal(pc("<controller type='scsi' model='lsilogic'><driver queues='2'/></controller>"))).toMatchObject({ message: "'queues' is only supported by virtio-scsi controller", path: 'domain/devices/controller[1]/driver/@queues' })
    expect(refusal(pc("<controller type='scsi'><driver max_sectors='512'/></controller>")).message).toBe("'max_sectors' is only supported by virtio-scsi controller")
    expect(refusal(pc("<controller type='virtio-serial'><driver ioeventfd='on'/></controller>")).message).toBe("'ioeventfd' is only supported by virtio-scsi controller")
    expect(predicts(pc("<controller type='scsi' model='virtio-scsi'><driver queues='2' ioeventfd='on'/></controller>"))).toContain("queues='2'")
    const lun = (dev: string, bus: string) => pc(`<disk type='block' device='lun'><driver name='qemu' type='raw'/><source dev='/dev/sdz'/><target dev='${dev}' bus='${bus}'/></disk>`)
    expect(refusal(lun('sda', 'usb')).message).toBe("disk device='lun' is not supported for bus='usb'")
    expect(refusal(lun('hda', 'ide')).message).toBe("disk device='lun' is not supported for bus='ide'")
    // (SCSI emulation on virtio-blk: libvirt 11 checks QEMU for it — gone from QEMU 10 —, 9.0 does not)
    expect(predicts(lun('vda', 'virtio'), { v9: true })).toContain("device='lun'")
    expect(refusal(lun('vda', 'virtio')).message).toBe("This QEMU doesn't support SCSI emulation with 'virtio-blk' device")
  })

  it('a serial port\'s address is its target type\'s bus (a serial console keeps its own); ISA addresses read and written in hex', () => {
    expect(refusal(pc("<console type='dev'><source path='/dev/ttyS2'/><target type='serial' port='0'/><address type='pci' domain='0' bus='0' slot='4' function='0'/></console>"))).toMatchObject({ code: 'preview-refused', message: "Target type 'isa-serial' requires address type 'isa'" })
    expect(refusal(pc("<serial type='pty'><target port='0'/><address type='pci' domain='0' bus='0' slot='5' function='0'/></serial>")).message).toBe("Target type 'isa-serial' requires address type 'isa'")
    const isa = predicts(pc("<serial type='pty'><target type='isa-serial' port='0'/><address type='isa' iobase='2f8' irq='10'/></serial><serial type='pty'><target type='isa-serial' port='1'/><address type='isa' iobase='0x3e8' irq='0'/></serial>"))
    expect(isa).toContain("<address type='isa' iobase='0x2f8' irq='0x10'/>")
    expect(isa).toContain("<address type='isa' iobase='0x3e8'/>")
  })

  it('the CCID controller a smartcard names is added, though another one is there; QEMU takes one card, at controller 0 slot 0', () => {
    const out = predicts(pc("<controller type='ccid' index='1'/><smartcard mode='host'><address type='ccid' controller='0' slot='0'/></smartcard>"), { v9: true })
    expect([...out.matchAll(/<controller type='ccid' index='(\d+)'/g)].map((m) => m[1])).toEqual(['1', '0'])
    expect(refusal(pc("<smartcard mode='host'><address type='ccid' controller='0' slot='3'/></smartcard>")).message).toBe('this QEMU binary lacks multiple smartcard support')
  })

  it('USB audio takes its port before redirected USB devices', () => {
    const out = predicts(pc("<graphics type='spice'/><redirdev bus='usb' type='spicevmc'/><sound model='usb'/>"), { v9: true })
    expect(out).toMatch(/<sound model='usb'>\s*<address type='usb' bus='0' port='1'\/>/)
    expect(out).toMatch(/<redirdev bus='usb' type='spicevmc'>\s*<address type='usb' bus='0' port='2'\/>/)
  })

  it('virtiofs needs shared memory', () => {
    const fs = "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/><source dir='/srv'/><target dir='srv'/></filesystem>"
    expect(refusal(pc(fs))).toMatchObject({ code: 'preview-refused', message: "'virtiofs' requires shared memory", path: 'domain/devices/filesystem[1]' })
    expect(predicts(pc(fs, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"))).toContain("<driver type='virtiofs'/>")
  })

  it('a second console written without a target type is a serial one; a vhost-user disk needs shared memory', () => {
    expect(refusal(pc("<console type='pty'><target type='virtio'/></console><console type='pty'/>"))).toMatchObject({ message: 'Only the first console can be a serial port' })
    const vhost = "<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='unix' path='/tmp/vhost1.sock'><reconnect enabled='yes' timeout='10'/></source><target dev='vda' bus='virtio'/></disk>"
    expect(refusal(pc(vhost))).toMatchObject({ code: 'preview-refused', message: "'vhostuser' requires shared memory", path: 'domain/devices/disk[1]' })
    expect(predicts(pc(vhost, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"))).toContain("<disk type='vhostuser'")
  })

  it('an ICH9 UHCI without an index shares the index of the ICH9 controller before it unless its model is there, else takes the first free one', () => {
    const order = (xml: string) => [...xml.matchAll(/<controller type='usb' index='(\d+)' model='([\w-]+)'/g)].map((m) => `${m[1]}:${m[2]}`)
    const set = "<controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'/><controller type='usb' index='0' model='ich9-uhci2'/><controller type='usb' index='0' model='ich9-uhci3'/>"
    expect(order(predicts(pc(`${set}<controller type='usb' model='ich9-uhci3'/>`), { v9: true }))).toEqual(['0:ich9-ehci1', '0:ich9-uhci1', '0:ich9-uhci2', '0:ich9-uhci3', '1:ich9-uhci3'])
    expect(order(predicts(pc("<controller type='usb' model='ich9-ehci1'/><controller type='usb' model='ich9-uhci1'/>")))).toEqual(['0:ich9-ehci1', '0:ich9-uhci1'])
    // after a controller of another model (a <master> alone does not make one a companion)
    const mixed = "<controller type='usb' model='ich9-ehci1'/><controller type='usb'><master startport='0'/></controller><controller type='usb' model='ich9-uhci2'><master startport='2'/></controller><controller type='usb' model='ich9-uhci3'><master startport='4'/></controller>"
    expect(order(predicts(pc(mixed), { v9: true }))).toEqual(['0:ich9-ehci1', '1:piix3-uhci', '2:ich9-uhci2', '2:ich9-uhci3'])
  })

  it('USB hubs written count their ports before libvirt adds one; more conventional PCI devices on q35 get a pci-bridge', () => {
    const mice = "<input type='mouse' bus='usb'/>".repeat(3)
    const hubs = predicts(pc(`<hub type='usb'/><hub type='usb'/>${mice}`), { v9: true })
    expect(hubs.match(/<hub type='usb'>/g)).toHaveLength(2)
    expect([...hubs.matchAll(/port='([\d.]+)'/g)].map((m) => m[1])).toEqual(['1.1', '1.2', '1.3', '1', '2'])
    const nics = Array.from({ length: 32 }, (_, i) => `<interface type='user'><mac address='52:54:00:01:61:${i.toString(16).padStart(2, '0')}'/><model type='e1000'/></interface>`).join('')
    const bridged = predicts(q35(nics), { v9: true })
    expect([...bridged.matchAll(/<controller type='pci' index='(\d+)' model='([\w-]+)'/g)].slice(0, 4).map((m) => `${m[1]}:${m[2]}`)).toEqual(['0:pcie-root', '1:pcie-root-port', '2:pcie-to-pci-bridge', '3:pci-bridge'])
    expect(bridged).toMatch(/<controller type='pci' index='3' model='pci-bridge'>\s*<model name='pci-bridge'\/>\s*<target chassisNr='3'\/>\s*<address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'\/>/)
  })

  it('what only virtio disks, displays and NICs have; a SCSI I/O thread on the default model; no free USB port', () => {
    const sata = (driver: string, extra = '', type = 'file') => pc(`<disk type='${type}' device='disk'><driver name='qemu' type='qcow2'${driver}/>${type === 'file' ? "<source file='/tmp/x'/>" : "<source type='unix' path='/tmp/vhost1.sock'/>"}<target dev='sda' bus='sata'/>${extra}</disk>`, type === 'file' ? '' : "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
    expect(refusal(sata(" event_idx='on'"))).toMatchObject({ code: 'preview-refused', message: 'disk event_idx mode supported only for virtio bus', path: 'domain/devices/disk[1]/driver/@event_idx' })
    expect(refusal(sata(" ioeventfd='on'")).message).toBe('disk ioeventfd mode supported only for virtio bus')
    expect(refusal(sata('', '', 'vhostuser')).message).toBe('vhostuser disk supports only virtio bus')
    expect(refusal(sata('', "<transient shareBacking='yes'/>")).message).toBe("disk bus 'sata' doesn't support transiend disk backing image sharing")
    expect(predicts(sata('', '<transient/>'))).toContain('<transient/>')
    expect(predicts(sata('', "<transient shareBacking='yes'/>").replace("bus='sata'", "bus='usb'"))).toContain("shareBacking='yes'")
    expect(refusal(pc("<graphics type='vnc'/><video><driver name='vhostuser'/></video>", "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")).message).toBe("'vhostuser' driver is only supported with 'virtio' device")
    // (each video's own checks in virDomainVideoDefValidate's order — its vhost-user driver before its virtio options —, the
    // videos in turn: a second video's packed option is not placed at the first — the differential, seed 900, libvirtd 9.0)
    expect(refusal(pc("<video><model type='virtio' primary='yes'/></video><video><driver packed='off' name='vhostuser'/></video>"))).toMatchObject({ message: "'vhostuser' driver is only supported with 'virtio' device", path: 'domain/devices/video[2]/driver/@name' })
    expect(refusal(pc("<video><model type='vga'/></video><video><driver packed='off' name='vhostuser'/><model type='vga'/></video>")).message).toBe("'vhostuser' driver is only supported with 'virtio' device")
    expect(refusal(pc("<video><model type='virtio' primary='yes'/></video><video><driver packed='off'/></video>"))).toMatchObject({ message: 'packed driver option is only supported for virtio devices', path: 'domain/devices/video[2]/driver/@packed' })
    // (a video's own settings checked when libvirt validates that video, after the videos before it — the QEMU driver's
    // model check of the first before a second's resolution or RAM —; a none video among several refused at the first)
    expect(refusal(pc("<video><model type='xen' primary='yes'/></video><video><model type='vga' ram='65536'/></video>")).message).toBe("domain configuration does not support video model 'xen'")
    expect(refusal(pc("<video><model type='xen' primary='yes'/></video><video><model type='virtio'><resolution x='0' y='600'/></model></video>")).message).toBe("domain configuration does not support video model 'xen'")
    expect(refusal(pc("<video><model type='vga' ram='65536' primary='yes'/></video><video><model type='none'/></video>")).message).toBe("a 'none' video type must be the only video device defined for the domain")
    expect(refusal(pc("<video><model type='virtio' primary='yes'/></video><video><model type='virtio' ram='1024'/></video>")).message).toBe('ram attribute only supported for video type qxl')
    expect(refusal(pc("<interface type='network'><mac address='52:54:00:02:6f:00'/><source network='default'/><teaming type='persistent'/></interface>")).message).toBe("virtio-net teaming persistent interface must be <model type='virtio'/>, not 'rtl8139'")
    expect(refusal(pc("<controller type='scsi'><driver iothread='1'/></controller>", '<iothreads>1</iothreads>')).message).toBe("'iothread' attribute only supported for virtio scsi controllers")
    const ccid = (i: number) => `<controller type='ccid' index='${i}'><address type='usb' bus='0' port='${i + 1}'/></controller>`
    expect(refusal(pc(`<controller type='usb' index='0' model='piix3-uhci'/>${ccid(0)}${ccid(1)}<disk type='file' device='disk'><source file='/tmp/x'/><target dev='sda' bus='usb'/></disk>`))).toMatchObject({ code: 'preview-refused', message: 'No free USB ports' })
  })

  it('disks written without buses keep their order (the parser sorts by the bus written); USB ports reserved on the default controller; a rotation rate on SCSI, IDE or SATA', () => {
    const disk = (dev: string, device = 'disk') => `<disk type='file' device='${device}'><source file='/tmp/${dev}'/><target dev='${dev}'/></disk>`
    expect([...predicts(pc(disk('vda') + disk('hda', 'cdrom') + disk('vdb'))).matchAll(/<target dev='(\w+)'/g)].map((m) => m[1])).toEqual(['vda', 'hda', 'vdb'])
    const mouse = (port: string) => `<input type='mouse' bus='usb'><address type='usb' bus='0' port='${port}'/></input>`
    expect(refusal(pc(mouse('1.1') + mouse('1.2.1')))).toMatchObject({ message: 'there is no hub at port 1 in USB address bus: 0 port: 1.1' })
    expect(refusal(pc("<disk type='file' device='disk'><source file='/tmp/x'/><target dev='vda' bus='virtio' rotation_rate='7200'/></disk>")).message).toBe('rotation rate is only valid for SCSI/IDE/SATA bus')
    expect(predicts(pc("<disk type='file' device='disk'><source file='/tmp/x'/><target dev='sda' bus='sata' rotation_rate='7200'/></disk>"))).toContain("rotation_rate='7200'")
  })

  it('USB ports given are checked on a controller written without an index too; ICH9 UHCI companions alone make no bus (9.0)', () => {
    expect(refusal(pc("<controller type='usb'/><input type='tablet' bus='usb'><address type='usb' bus='0' port='3'/></input>"))).toMatchObject({ message: 'requested USB port 3 not present on USB bus 0' })
    const set = (i: number) => ['ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3'].map((m) => `<controller type='usb' index='${i}' model='${m}'/>`).join('')
    expect(refusal(pc(`<controller type='usb' index='0' model='ich9-ehci1'/>${set(0)}${set(1)}<input type='tablet' bus='usb'><address type='usb' bus='1' port='3'/></input>`), { v9: true }).message).toBe('Missing USB bus 1')
  })

  it('numbers USB controllers written without indexes as post-parse does (ICH9 USB2 sets share one, by the models written) before it reserves the ports given (each case defined on libvirtd 9.0)', () => {
    const c = (model?: string) => (model ? `<controller type='usb' model='${model}'/>` : "<controller type='usb'/>")
    const tablet = (bus: number, port?: number) => `<input type='tablet' bus='usb'><address type='usb' bus='${bus}'${port === undefined ? '' : ` port='${port}'`}/></input>`
    const companions = c('ich9-uhci1') + c('ich9-uhci2') + c('ich9-uhci3')
    // EHCI + companions at 0, a controller without a model (PIIX3 UHCI: 2 ports) at 1, companions without an EHCI at 2
    for (const v9 of [true, false]) {
      expect(refusal(q35(c('ich9-ehci1') + companions + c() + companions + tablet(1, 3)), { v9 }).message).toBe('requested USB port 3 not present on USB bus 1')
      expect(predicts(q35(c('ich9-ehci1') + companions + c() + companions + tablet(1, 2)), { v9 })).toContain("<address type='usb' bus='1' port='2'/>")
      // …and bus 2 holds only companions: no ports of its own
      expect(refusal(q35(c('ich9-ehci1') + companions + c() + companions + tablet(2, 1)), { v9 }).message).toBe('Missing USB bus 2')
      // a second UHCI1 after the first cannot share its index: bus 1 holds companions only
      expect(refusal(pc(c('ich9-ehci1') + c('ich9-uhci1') + c('ich9-uhci1') + c('ich9-uhci2') + tablet(1, 1)), { v9 }).message).toBe('Missing USB bus 1')
      // the machine's own controller is bus 0, and no more
      expect(refusal(pc(tablet(1, 1)), { v9 }).message).toBe('Missing USB bus 1')
      // a bus given without a port: a port of it is assigned, and the bus must be there
      expect(refusal(q35("<controller type='usb' index='0' model='qemu-xhci'/>" + tablet(3)), { v9 }).message).toBe('USB bus 3 requested but no controller with that index is present')
      // companions alone: the parser refuses first
      expect(refusal(pc("<controller type='usb' index='0' model='ich9-uhci1'/>" + tablet(0, 1)), { v9 }).message).toBe('No master USB controller specified')
      // no USB at all: the devices are refused, not the bus
      expect(refusal(pc("<controller type='usb' model='none'/>" + tablet(1, 1)), { v9 }).message).toBe("Can't add USB input device. USB bus is disabled")
    }
  })

  it('libvirt counts every USB device against the ports before it adds a hub; an ICH9 EHCI without an index joins the set before it', () => {
    const placed = (port: number) => `<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='${port}'/></redirdev>`
    const out = predicts(pc(`<graphics type='spice'/><controller type='usb' model='nec-xhci'/><input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>${placed(2)}${placed(3)}<disk type='file' device='disk'><source file='/tmp/u'/><target dev='sda' bus='usb'/></disk><hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>`), { v9: true })
    expect(out).toMatch(/<hub type='usb'>\s*<address type='usb' bus='0' port='4'\/>/)
    expect(out).toMatch(/<target dev='sda' bus='usb'\/>\s*<address type='usb' bus='0' port='4.2'\/>/)
    const order = (xml: string) => [...xml.matchAll(/<controller type='usb' index='(\d+)' model='([\w-]+)'/g)].map((m) => `${m[1]}:${m[2]}`)
    const set = ['ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3'].map((m) => `<controller type='usb' index='0' model='${m}'/>`).join('')
    expect(order(predicts(pc(`${set}<controller type='usb' model='ich9-uhci1'/><controller type='usb' model='ich9-ehci1'/>`), { v9: true }))).toEqual(['0:ich9-ehci1', '0:ich9-uhci1', '0:ich9-uhci2', '0:ich9-uhci3', '1:ich9-uhci1', '1:ich9-ehci1'])
  })

  it('a domain without <vcpu> under automatic memory placement gets automatic vCPUs; a D-Bus display\'s audio is D-Bus', () => {
    expect(predicts(pc('', "<numatune><memory mode='preferred' placement='auto'/></numatune>").replace('<vcpu>1</vcpu>', ''))).toContain("<vcpu placement='auto'>1</vcpu>")
    expect(refusal(pc("<graphics type='vnc'/><graphics type='dbus' p2p='yes'><audio id='1'/></graphics>"))).toMatchObject({ code: 'preview-refused', message: "The associated audio is not of 'dbus' kind." })
    // (a validation refusal: a post-parse one — a PCI address taken twice — comes first, as libvirtd 9.0 reports it)
    const taken = "<address type='pci' domain='0' bus='0' slot='5' function='0'/>"
    expect(refusal(pc(`<graphics type='dbus'><audio id='1'/></graphics><audio id='1' type='none'/><memballoon model='virtio'>${taken}</memballoon><rng model='virtio'><backend model='random'>/dev/urandom</backend>${taken}</rng>`)).message).toBe('Attempted double use of PCI Address 0000:00:05.0')
  })

  it('PCI controllers written without a model: the root one in libvirt\'s "(null)" words, another one as an internal error', () => {
    const words = (root: string) => `The PCI controller with index='0' must be model='${root}' for this machine type, but model='(null)' was found instead`
    expect(refusal(pc("<controller type='pci' index='0'/>"))).toMatchObject({ code: 'preview-invalid-value', message: words('pci-root') })
    expect(refusal(pc("<controller type='pci'/>")).message).toBe(words('pci-root'))
    expect(refusal(q35("<controller type='pci'/>")).message).toBe(words('pcie-root'))
    expect(refusal(q35("<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1'/>"))).toMatchObject({ code: 'preview-refused', message: 'PCI controller model was not set correctly' })
  })

  it('the one numbered 0 as an internal error too on a machine without a root bus (an aarch64 guest of an x86 machine type: the differential, seed 700; probes h36-pci0-…)', () => {
    const machines = "<machine type='tcg' name='integratorcp' maxCpus='1' defaultCPU='arm926-arm-cpu'/><machine type='tcg' name='virt-9.9' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='arm926' typename='arm926-arm-cpu' usable='yes'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
    const caps = capsXml({ arch: 'aarch64', flags: [], machines })
    const arm = (machine: string, devices: string): string => domainXml(machine, devices, '', 'aarch64')
    expect(refusal(arm('integratorcp', "<controller type='pci' index='0'/>"), { caps })).toMatchObject({ code: 'preview-refused', message: 'PCI controller model was not set correctly', path: "domain/devices/controller[@type='pci'][@index='0']/@model" })
    // (the lowest index first, wherever written)
    expect(refusal(arm('integratorcp', "<controller type='pci' index='1'/><controller type='pci' index='0'/>"), { caps }).path).toBe("domain/devices/controller[@type='pci'][@index='0']/@model")
    // (the near misses: a model written; the virt board's root bus, whose post-parse refuses a root without its model)
    expect(predicts(arm('integratorcp', "<controller type='pci' index='0' model='pci-root'/>"), { caps })).toContain("<controller type='pci' index='0' model='pci-root'/>")
    expect(refusal(arm('virt', "<controller type='pci' index='0'/>"), { caps }).message).toBe("The PCI controller with index='0' must be model='pcie-root' for this machine type, but model='(null)' was found instead")
  })

  it('a team\'s transient side is a host device (or a network of them); a bandwidth floor is a network\'s; `managed` is a host device interface\'s', () => {
    const nic = (type: string, inner: string, attrs = '') => pc(`<interface type='${type}'${attrs}><mac address='52:54:00:02:6f:01'/>${type === 'network' ? "<source network='default'/>" : ''}<model type='virtio'/>${inner}</interface>`)
    expect(refusal(nic('user', "<teaming type='transient' persistent='ua-backup0'/>"))).toMatchObject({ message: "virtio-net teaming transient interface must be type='hostdev', not 'user'" })
    expect(refusal(nic('user', "<bandwidth><inbound average='1000' floor='200'/></bandwidth>")).message).toBe('floor attribute is not supported for this config')
    expect(predicts(nic('network', "<bandwidth><inbound average='1000' floor='200'/></bandwidth>"))).toContain("floor='200'")
    expect(predicts(nic('network', '', " managed='yes'"))).toContain("<interface type='network'>")
  })

  it('a guest-side address is user networking\'s', () => {
    const nic = (type: string, extra = '') => pc(`<interface type='${type}'><mac address='52:54:00:01:3a:00'/><ip address='172.17.2.0' family='ipv4' prefix='24'/><model type='rtl8139'/>${extra}</interface>`)
    expect(refusal(nic('ethernet', "<target dev='tap9' managed='no'/>"), { v9: true })).toMatchObject({ code: 'preview-refused', message: 'Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU' })
    // (libvirt 11 words the route and the address apart: 11.3's source)
    expect(refusal(nic('ethernet', "<target dev='tap9' managed='no'/>"))).toMatchObject({ code: 'preview-refused', message: 'Invalid attempt to set network interface guest-side IP address info, not supported by QEMU' })
    expect(predicts(nic('user'))).toContain("<ip address='172.17.2.0' family='ipv4' prefix='24'/>")
  })

  it('a pinning of a vCPU the domain does not have is dropped', () => {
    const xml = pc('', "<cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='1'/><emulatorpin cpuset='1'/></cputune>")
    const out = predicts(xml)
    expect(out).toContain("<vcpupin vcpu='0' cpuset='0'/>")
    expect(out).not.toContain("vcpu='1'")
    expect(predicts(pc('', "<cputune><vcpupin vcpu='1' cpuset='1'/></cputune>"))).not.toContain('cputune')
  })

  it('a secondary display is QXL or virtio; a model left out is the machine\'s default', () => {
    expect(refusal(q35("<video><model type='vga'/></video><video><model type='bochs'/></video>"))).toMatchObject({ code: 'preview-refused', message: "video type 'bochs' is only valid as primary video device", path: 'domain/devices/video[2]/model/@type' })
    expect(refusal(pc('<video/><video/>')).message).toBe("video type 'cirrus' is only valid as primary video device")
    // the primary one is the one marked so: the other, without a model, is the default
    expect(refusal(pc("<video/><video><model type='virtio' primary='yes'/></video>")).message).toBe("video type 'cirrus' is only valid as primary video device")
    expect(predicts(q35("<video><model type='vga'/></video><video><model type='qxl'/></video>"))).toContain("<model type='qxl'")
  })

  it('a disk\'s target name fits its device: fd for floppies, a hard disk prefix for disks and LUNs', () => {
    expect(refusal(pc("<disk type='file' device='floppy'><target dev='vdc'/></disk>"))).toMatchObject({ message: 'Invalid floppy device name: vdc', path: "domain/devices/disk[target/@dev='vdc']/target/@dev" })
    expect(refusal(pc("<disk type='file' device='disk'><source file='/tmp/x'/><target dev='fda' bus='ide'/></disk>")).message).toBe('Invalid harddisk device name: fda')
    expect(predicts(pc("<disk type='file' device='cdrom'><target dev='fdb' bus='ide'/></disk>"))).toContain("<target dev='fdb' bus='ide'/>")
  })

  it('virtio options on a device that is not virtio; virtio-net driver settings only for a NIC written as virtio', () => {
    const nic = (inner: string) => pc(`<interface type='user'><mac address='52:54:00:00:00:01'/>${inner}</interface>`)
    expect(refusal(nic("<driver name='qemu' iommu='on' ats='on'/>"))).toMatchObject({ code: 'preview-refused', message: 'iommu driver option is only supported for virtio devices', path: 'domain/devices/interface[1]/driver/@iommu' })
    expect(refusal(nic("<model type='rtl8139'/><driver packed='on'/>")).message).toBe('packed driver option is only supported for virtio devices')
    expect(refusal(pc("<disk type='file' device='disk'><driver name='qemu' type='raw' ats='on'/><source file='/tmp/x'/><target dev='sda' bus='sata'/></disk>")).message).toBe('ats driver option is only supported for virtio devices')
    expect(refusal(pc("<graphics type='vnc'/><video><driver page_per_vq='on'/><model type='vga'/></video>")).message).toBe('page_per_vq option is only supported for virtio devices')
    expect(predicts(pc("<disk type='file' device='disk'><driver name='qemu' type='raw' iommu='on'/><source file='/tmp/x'/><target dev='vda' bus='virtio'/></disk>"))).toContain("iommu='on'")
    // e1000 and a NIC without a model (rtl8139 here): the settings, offloads and vhost backend are gone
    const e1000 = predicts(nic("<model type='e1000'/><backend vhost='/dev/vhost-net'/><driver name='vhost' queues='2'><host csum='off'/></driver>"))
    expect(e1000).not.toContain('<driver')
    expect(e1000).not.toContain('<backend')
    expect(predicts(nic("<driver name='vhost' txmode='iothread' ioeventfd='off'/>"))).not.toContain('<driver')
    expect(predicts(nic("<model type='virtio-transitional'/><driver name='qemu' queues='2'/>"))).toContain("<driver name='qemu' queues='2'/>")
  })
})

// Found by the differential search on libvirtd 9.0's aarch64, ppc64 and s390x QEMUs (--arch), each checked there.
describe('edits clients make on other architectures (differential search)', () => {
  const arm = (devices: string) => dom({ arch: 'aarch64', machine: 'virt', devices })

  it('a device this QEMU binary lacks: TPM model and backend, video model, ISA panic, shared memory, ICH9 audio, SATA', () => {
    expect(refusal(arm("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"), { caps: armCaps })).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'The QEMU executable /usr/bin/qemu-system-aarch64 does not support TPM model tpm-crb', path: 'domain/devices/tpm[1]/@model' })
    expect(refusal(s390("<tpm model='tpm-tis'><backend type='emulator'/></tpm>"), { caps: s390Caps }).message).toBe('The QEMU executable /usr/bin/qemu-system-s390x does not support TPM backend type emulator')
    expect(refusal(arm("<video><model type='qxl'/></video>"), { caps: armCaps }).message).toBe("domain configuration does not support video model 'qxl'")
    expect(refusal(s390("<panic model='isa'/>"), { caps: s390Caps }).message).toBe('the QEMU binary does not support the ISA panic device')
    expect(refusal(s390("<shmem name='s'><model type='ivshmem-plain'/></shmem>"), { caps: s390Caps }).message).toBe("shmem model 'ivshmem-plain' is not supported by this QEMU binary")
    expect(refusal(s390("<sound model='ich9'/>"), { caps: s390Caps }).message).toBe('The ich9-intel-hda audio controller is not supported in this QEMU binary')
    expect(refusal(s390("<disk type='file' device='disk'><source file='/tmp/x'/><target dev='sda' bus='sata'/></disk>"), { caps: s390Caps }).message).toBe('SATA is not supported with this QEMU binary')
    expect(predicts(arm("<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"), { caps: armCaps })).toContain("<tpm model='tpm-tis'>")
  })

  it("the SATA controller a disk implies is validated as a controller: after every disk's own checks (seed 1202, s390x)", () => {
    const sata = "<disk type='file' device='disk'><source file='/tmp/x'/><target dev='sda' bus='sata'/></disk>"
    const virtioOnIothread = "<disk type='file' device='disk'><driver name='qemu' iothread='1'/><source file='/tmp/y'/><target dev='vda' bus='virtio'/></disk>"
    // (libvirtd 9.0: the virtio disk written after it is refused first)
    expect(refusal(s390(sata + virtioOnIothread), { caps: s390Caps }).message).toBe("Disk iothread '1' not defined in iothreadid")
    expect(refusal(s390(sata), { caps: s390Caps }).message).toBe('SATA is not supported with this QEMU binary')
    expect(refusal(s390("<controller type='sata' index='2'/>"), { caps: s390Caps }).message).toBe('SATA is not supported with this QEMU binary')
  })

  it('libvirt 9.0 gives a panic device without a model the ISA one on every machine but pSeries and s390 (refused where QEMU lacks it)', () => {
    expect(refusal(arm('<panic/>'), { caps: armCaps, v9: true })).toMatchObject({ code: 'preview-refused', message: 'the QEMU binary does not support the ISA panic device' })
    const powernv = dom({ arch: 'ppc64', machine: 'powernv9', devices: '<panic/>' })
    expect(refusal(powernv, { caps: capsXml({ arch: 'ppc64', flags: [], machines: "<machine type='tcg' name='powernv9' default='yes'/>" }), v9: true }).message).toBe('the QEMU binary does not support the ISA panic device')
    expect(predicts(pseries('<panic/>'), { caps: ppcCaps, v9: true })).toContain("<panic model='pseries'")
  })

  it('controller 0 must be the root bus the machine gets (ARM virt: pcie-root; s390 with zPCI, pSeries: pci-root), before any address is assigned', () => {
    expect(refusal(arm("<controller type='pci' index='0' model='pcie-root-port'/>"), { caps: armCaps })).toMatchObject({ code: 'preview-invalid-value', message: "The PCI controller with index='0' must be model='pcie-root' for this machine type, but model='pcie-root-port' was found instead" })
    expect(refusal(s390("<controller type='pci' index='0'/><interface type='user'><model type='virtio'/></interface>"), { caps: s390Caps }).message).toBe("The PCI controller with index='0' must be model='pci-root' for this machine type, but model='(null)' was found instead")
    expect(refusal(pseries("<controller type='pci' index='0' model='pcie-root'/>"), { caps: ppcCaps }).message).toBe("The PCI controller with index='0' must be model='pci-root' for this machine type, but model='pcie-root' was found instead")
  })

  it('USB devices on a machine libvirt gives no USB controller are refused', () => {
    expect(refusal(arm("<input type='tablet' bus='usb'/>"), { caps: armCaps })).toMatchObject({ code: 'preview-refused', message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
    expect(predicts(arm("<controller type='usb' model='qemu-xhci'/><input type='tablet' bus='usb'/>"), { caps: armCaps })).toContain("<input type='tablet' bus='usb'>")
  })

  it('a SCSI controller is LSI Logic wherever QEMU has it but on pSeries, s390 and LoongArch (qemuDomainGetSCSIControllerModel; libvirt 9.0 too)', () => {
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'lsi', 'virtio-scsi-pci', 'gpex-pcihost'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(predicts(arm("<controller type='scsi'/>"), { caps, v9: true })).toContain("model='lsilogic'")
    expect(predicts(arm("<controller type='scsi'/>"), { caps })).toContain("model='lsilogic'")
    const noLsi = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'virtio-scsi-pci'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(predicts(arm("<controller type='scsi'/>"), { caps: noLsi })).toContain("model='virtio-scsi'")
  })

  it('a filesystem written target-first is written driver, binary, source, target', () => {
    const fs = "<filesystem type='mount' accessmode='passthrough'><target dir='mount_tag'/><source dir='/tmp'/><binary path='/usr/libexec/virtiofsd'/><driver type='virtiofs'/></filesystem>"
    const out = predicts(pc(fs, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"))
    expect(out).toMatch(/<driver type='virtiofs'\/>\s*<binary path='\/usr\/libexec\/virtiofsd'\/>\s*<source dir='\/tmp'\/>\s*<target dir='mount_tag'\/>/)
  })

  it('a serial port becomes the console whatever the machine (a g3beige one without a target type too); pSeries PHBs written without an index are numbered first', () => {
    const g3 = dom({ arch: 'ppc64', machine: 'g3beige', devices: "<serial type='pty'/>" })
    expect(predicts(g3, { caps: capsXml({ arch: 'ppc64', flags: ['pci-ohci'], machines: "<machine type='tcg' name='g3beige' default='yes'/>" }) })).toMatch(/<console type='pty'>\s*<target type='serial' port='0'\/>/)
    const phb = (target: string) => `<controller type='pci' model='pci-root'><target index='${target}'/></controller>`
    expect(predicts(pseries(phb('0') + phb('1')), { caps: ppcCaps })).toContain("<controller type='pci' index='1' model='pci-root'>")
  })

  it('vmport is the PC machines\' feature; a migratable host CPU needs QEMU\'s migratable property', () => {
    expect(refusal(dom({ arch: 'aarch64', machine: 'virt', extra: "<features><vmport state='off'/></features>" }), { caps: armCaps })).toMatchObject({ code: 'preview-refused', message: 'vmport is not available with this QEMU binary' })
    expect(refusal(dom({ arch: 'aarch64', machine: 'virt', extra: "<cpu mode='host-passthrough' check='none' migratable='on'/>" }), { caps: armCaps }).message).toBe('Migratable attribute for host-passthrough CPU is not supported by this QEMU binary')
    expect(predicts(pc('', "<features><vmport state='off'/></features>"))).toContain("<vmport state='off'/>")
  })

  it('libvirt 9.0 takes ACPI S3/S4 settings where QEMU can disable them (its ppc64 QEMU can); 11 on x86 only', () => {
    const pm = "<pm><suspend-to-mem enabled='no'/></pm>"
    const caps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'disable-s3'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
    expect(predicts(dom({ arch: 'ppc64', machine: 'pseries', extra: pm }), { caps, v9: true })).toContain("<suspend-to-mem enabled='no'/>")
    expect(refusal(dom({ arch: 'ppc64', machine: 'pseries', extra: pm }), { caps: ppcCaps, v9: true }).message).toBe('setting ACPI S3 not supported')
    expect(refusal(dom({ arch: 'ppc64', machine: 'pseries', extra: pm }), { caps }).message).toBe('setting ACPI S3/S4 not supported')
  })

  it('libvirt 9.0 gives a pci-bridge on s390 no zPCI extension (11.3 does)', () => {
    const hostdev = "<hostdev mode='subsystem' type='pci'><source><address domain='0xffff' bus='0x00' slot='0x00' function='0x0'/></source><address type='pci' domain='0x0000' bus='0x01' slot='0x1f' function='0x0'><zpci uid='0xffff' fid='0xffffffff'/></address></hostdev>"
    const bridge = (o: { v9?: boolean }) => /<controller type='pci' index='1' model='pci-bridge'>[\s\S]*?<\/controller>/.exec(predicts(s390(`<controller type='pci' model='pci-root'/>${hostdev}`), { caps: s390Caps, ...o }))![0]
    expect(bridge({ v9: true })).not.toContain('<zpci')
    expect(bridge({})).toContain('<zpci')
  })
})

describe('parts a device\'s parser requires, and the types it takes when none is written (each seen on libvirtd 9.0)', () => {
  it('refuses a device without what libvirt requires, in 11.3\'s words and 9.0\'s where they differ', () => {
    const cases: [string, string, string?][] = [
      ['<sound/>', "Missing required attribute 'model' in element 'sound'"],
      ["<input bus='usb'/>", 'missing input device type'],
      ["<watchdog action='reset'/>", "Missing required attribute 'model' in element 'watchdog'", 'watchdog must contain model name'],
      ["<rng><backend model='random'>/dev/urandom</backend></rng>", "Missing required attribute 'model' in element 'rng'", 'missing RNG device model'],
      ["<rng model='virtio'><backend>/dev/urandom</backend></rng>", "Missing required attribute 'model' in element 'backend'", 'missing RNG device backend model'],
      ['<memballoon/>', "Missing required attribute 'model' in element 'memballoon'"],
      ["<hostdev mode='subsystem'><source><address domain='0' bus='0' slot='1' function='0'/></source></hostdev>", "Missing required attribute 'type' in element 'hostdev'", 'missing source address type'],
      ['<smartcard/>', "Missing required attribute 'mode' in element 'smartcard'"],
      ['<shmem/>', "shmem element must contain 'name' attribute"],
      ['<graphics/>', "Missing required attribute 'type' in element 'graphics'"],
      ["<audio id='1'/>", "Missing required attribute 'type' in element 'audio'"],
      ["<audio type='none'/>", "Missing required attribute 'id' in element 'audio'"],
      ['<hub/>', 'missing hub device type'],
      ['<iommu/>', "Missing required attribute 'model' in element 'iommu'"],
      ["<panic model='bogus'/>", "unknown panic model 'bogus'"],
      ["<channel type='unix'><target name='org.qemu.guest_agent.0'/></channel>", "unknown target type '(null)' specified for character device"],
      ['<tpm><backend/></tpm>', "Missing required attribute 'type' in element 'backend'"],
      ["<sound model='ich6'><codec/></sound>", "unknown codec type '(null)'"],
      ['<lease><lockspace>x</lockspace><key>k</key></lease>', "Missing 'target' element for lease"],
      ["<memory model='dimm'><target><node>0</node></target></memory>", "missing element or attribute './size'"],
      // (an empty size is none to virXPathULongLong: defined on libvirtd 9.0)
      ["<memory model='dimm'><target><size unit='KiB'></size><node>0</node></target></memory>", "missing element or attribute './size'"],
    ]
    for (const [device, words, words9] of cases) {
      expect(refusal(pc(device)).message, device).toBe(words)
      expect(refusal(pc(device), { v9: true }).message, device).toBe(words9 ?? words)
    }
  })

  it("an iSCSI host device's host port is read as a network disk's; a firmware NVRAM's source by the NVRAM's type, and none without one (each defined on libvirtd 9.0)", () => {
    const iscsi = (port: string) => `<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.1992-01.com.example'><host name='example.org' port='${port}'/></source></hostdev>`
    for (const v9 of [true, false]) {
      expect(predicts(pc(iscsi(' 3260')), { v9 })).toContain("<host name='example.org' port='3260'/>")
      expect(refusal(pc(iscsi('x3260')), { v9 })).toMatchObject({ message: "failed to parse port number 'x3260'", path: 'domain/devices/hostdev[1]/source/host/@port' })
    }
    const flash = (nvram: string) => dom({ machine: 'pc', extra: '<features><acpi/></features>' }).replace('</os>', `<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>${nvram}</os>`)
    // a file's source reads `file` (and `fdgroup`): another attribute is dropped
    expect(predicts(flash("<nvram type='file'><source file='/tmp/t_VARS.fd' type='qemu'/></nvram>"))).toContain("<source file='/tmp/t_VARS.fd'/>")
    // without a type the NVRAM is the path in its text: the source is not read, and a blank path is none (libvirt makes one up)
    for (const v9 of [true, false]) {
      const out = predicts(flash("<nvram>\n  <source file='/tmp/t_VARS.fd'/>\n</nvram>"), { v9 })
      expect(out).toMatch(/<nvram( [^>]*)?>\/var\/lib\/libvirt\/qemu\/nvram\/t_VARS\.fd<\/nvram>/)
      expect(out).not.toContain('/tmp/t_VARS.fd')
    }
  })

  it("of several parse refusals, the one libvirt's parser meets first: settings, then devices by kind, each kind in document order (libvirtd 9.0)", () => {
    const nbd = (port: string) => `<disk type='network' device='disk'><source protocol='nbd' name='x'><host name='example.com' port='${port}'/></source><target dev='vda' bus='virtio'/></disk>`
    for (const v9 of [true, false]) {
      // a disk is read before a controller, a memory balloon after both
      expect(refusal(q35("<controller type='usb' index='0 ' model='qemu-xhci'/>" + nbd('')), { v9 }).message).toBe("failed to parse port number ''")
      expect(refusal(q35("<memballoon model='NONE'/>" + nbd('')), { v9 }).message).toBe("failed to parse port number ''")
      // two disks: the first written
      expect(refusal(q35(nbd('6322 ') + "<disk type='file' device='bogus'><source file='/tmp/b'/><target dev='vdb' bus='virtio'/></disk>"), { v9 }).message).toBe("failed to parse port number '6322 '")
      // within a disk: its source (the hosts too) before its attributes, then its target, then its driver
      expect(refusal(q35("<disk type='network' device='none'><source protocol='nbd' name='x'><host name='h' port='1234 '/></source><target dev='vda' bus='virtio'/></disk>"), { v9 }).message).toBe("failed to parse port number '1234 '")
      expect(refusal(q35("<disk type='network' device='disk'><source protocol='nbd' name='x'><host name='h' port=''/></source><target dev='vda' bus='VIRTIO'/></disk>"), { v9 }).message).toBe("failed to parse port number ''")
      // (enumerations are checked for 9.0 alone: a later release may know more names)
      if (v9) expect(refusal(q35("<disk type='file' device='disk'><driver name='qemu' cache='NONE'/><source file='/tmp/x'/><target dev='vda' bus='bogus'/></disk>"), { v9 }).message).toBe("Invalid value for attribute 'bus' in element 'target': 'bogus'.")
      // more watchdogs than 9.0 takes are counted before any is read
      if (v9) expect(refusal(q35("<watchdog model='i6300esb'/><watchdog model='itco'/>"), { v9 }).message).toBe('only a single watchdog device is supported')
    }
  })

  it("values libvirt's parser reads outside its typed attribute readers: lifecycle actions, a clock offset, firmware and boot devices, an arch, a character device's type, a vhost-user disk's socket, a CPU's mode and fallback, a serial port of -1 (each defined on libvirtd 9.0)", () => {
    for (const v9 of [true, false]) {
      expect(refusal(q35('', '<on_reboot>zz</on_reboot>'), { v9 }).message).toBe('unknown on_reboot action: zz')
      expect(refusal(q35('', '<on_crash>destroy </on_crash>'), { v9 }).message).toBe('unknown on_crash action: destroy ')
      expect(predicts(q35('', '<on_reboot></on_reboot>'), { v9 })).toContain('<on_reboot>restart</on_reboot>')
      expect(predicts(q35('', '<on_lockfailure>default</on_lockfailure>'), { v9 })).not.toContain('on_lockfailure')
      expect(refusal(q35('', "<clock offset='UTC'/>"), { v9 }).message).toBe("unknown clock offset 'UTC'")
      expect(refusal(q35('').replace('<os>', "<os firmware='none'>"), { v9 }).message).toBe('unknown firmware value none')
      expect(refusal(q35('').replace('</os>', "<boot dev=' hd'/></os>"), { v9 }).message).toBe("Invalid value for attribute 'dev' in element 'boot': ' hd'.")
      expect(refusal(q35('').replace("arch='x86_64'", "arch='x86_64x'"), { v9 }).message).toBe('Unknown architecture x86_64x')
      expect(predicts(q35('').replace("arch='x86_64'", "arch=''").replace("machine='q35'", "machine=''"), { v9 })).toMatch(/<type arch='x86_64' machine='pc-[^']+'>hvm<\/type>/)
      expect(refusal(q35("<serial type='PTY'/>"), { v9 }).message).toBe('unknown type presented to host for character device: PTY')
      expect(refusal(q35("<controller type='ccid' index='0'/><smartcard mode='passthrough' type='TCP'><source mode='bind' host='127.0.0.1' service='2001'/></smartcard>"), { v9 }).message).toBe('unknown type presented to host for character device: TCP')
      expect(refusal(q35("<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/><source type='tcp' path='/tmp/vhost.sock'/><target dev='vda' bus='virtio'/></disk>"), { v9 }).message).toBe("invalid 'type' attribute for vhostuser disk source")
      expect(refusal(q35('', "<cpu mode='zz'/>"), { v9 }).message).toBe("Invalid mode attribute 'zz'")
      expect(refusal(q35('', "<cpu mode='custom'><model fallback='never'>qemu64</model></cpu>"), { v9 }).message).toBe('Invalid fallback attribute')
      expect(predicts(q35("<serial type='pty'><target port='-1'/></serial>"), { v9 })).toContain("<target type='isa-serial' port='0'>")
      // (libvirt 11.3 reads a video model with virXMLPropEnumDefault: its words, and an empty one refused — 9.0's
      // virXPathString takes it for none)
      expect(refusal(q35("<video><model type='QXL'/></video>"), { v9 }).message).toBe(v9 ? "unknown video model 'QXL'" : "Invalid value for attribute 'type' in element 'model': 'QXL'.")
      if (v9) expect(predicts(q35("<video><model type=''/></video>"), { v9 })).not.toContain("type=''")
      else expect(refusal(q35("<video><model type=''/></video>"), { v9 }).message).toBe("Invalid value for attribute 'type' in element 'model': ''.")
      // a leaf element's blank text is kept and read (libxml2's NOBLANKS keeps it there): refused in libvirt's words
      expect(refusal(q35('', '<on_reboot>  </on_reboot>'), { v9 }).message).toBe('unknown on_reboot action:   ')
      expect(refusal(q35('', '<iothreads> </iothreads>'), { v9 }).message).toBe("invalid iothreads count ' '")
      expect(refusal(q35('').replace("<memory unit='MiB'>1024</memory>", '<memory> </memory>'), { v9 }).message).toBe("Invalid value ' ' for element or attribute './memory[1]'")
      const dimm = (target: string) => q35(`<memory model='dimm'><target>${target}</target></memory>`).replace('<vcpu>', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu>").replace('<os>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><os>")
      expect(refusal(dimm("<size unit='KiB'>  </size><node>0</node>"), { v9 }).message).toBe("Invalid value '  ' for element or attribute './size'")
      expect(refusal(dimm("<size unit='KiB'>524288</size><node> </node>"), { v9 }).message).toBe('invalid value of memory device node')
      // a filesystem's modes in octal; a virtiofs daemon's switches read for a virtiofs filesystem alone, its <binary> too
      const fsShared = (fs: string) => q35(fs, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
      expect(refusal(fsShared("<filesystem type='mount' accessmode='mapped' fmode='644x'><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 }).message).toBe("Invalid value for attribute 'fmode' in element 'filesystem': '644x'. Expected non-negative integer value")
      expect(refusal(fsShared("<filesystem type='mount'><driver type='virtiofs'/><binary xattr=''/><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 }).message).toBe("Invalid value for attribute 'xattr' in element 'binary': ''.")
      expect(predicts(fsShared("<filesystem type='mount' accessmode='mapped'><driver type='path'/><binary xattr='zz'/><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 })).not.toContain('<binary')
      // an empty CPU tuning number is none; a guest forwarding channel's port is required
      expect(predicts(q35('', '<cputune><shares></shares></cputune>'), { v9 })).not.toContain('cputune')
      expect(refusal(q35("<channel type='pipe'><source path='/tmp/guestfwd'/><target type='guestfwd' address='10.0.2.1' port=''/></channel>"), { v9 }).message).toBe("Invalid value for attribute 'port' in element 'target': ''. Expected non-negative integer value")
      if (v9) {
        // (9.0's names: a loader's type, a network disk's protocol)
        expect(refusal(q35('').replace('</os>', "<loader type='pflashx'>/usr/share/OVMF/OVMF_CODE.fd</loader></os>"), { v9 }).message).toBe("Invalid value for attribute 'type' in element 'loader': 'pflashx'.")
        expect(refusal(q35("<disk type='network' device='disk'><source protocol='rbd ' name='pool/image'/><target dev='vda' bus='virtio'/></disk>"), { v9 }).message).toBe("Invalid value for attribute 'protocol' in element 'source': 'rbd '.")
      }
      // an empty emulator is filled in; another binary than the capabilities' is not predicted (the host's to check)
      expect(predicts(q35('<emulator></emulator>'), { v9 })).toMatch(/<emulator>\/[^<]+<\/emulator>/)
      const other = previewDomain(q35('<emulator>/usr/libexec/qemu-kvm</emulator>'), { qemuCaps: capsXml(), abiUpdate: true, ...(v9 ? { libvirtVersion: 9_000_000 } : {}) })
      expect(other.notPredicted.map((n) => n.path)).toContain('domain/devices/emulator')
      expect(refusal(q35("<hostdev mode='' type='usb'><source><address bus='1' device='2'/></source></hostdev>"), { v9 }).message).toBe(v9 ? "unknown hostdev mode ''" : "Invalid value for attribute 'mode' in element 'hostdev': ''.")
      expect(refusal(q35("<redirdev bus='usb' type='spicevmcx'/>"), { v9 }).message).toBe("unknown redirdev character device type 'spicevmcx'")
    }
  })

  it('device information the parser reads on every device, where the schema leaves it out: a USB master, a user alias, an ACPI index (each defined on libvirtd 9.0)', () => {
    for (const v9 of [true, false]) {
      expect(predicts(q35("<input type='keyboard' bus='ps2'><master startport='2'/></input>"), { v9 })).toMatch(/<input type='keyboard' bus='ps2'>\s*<master startport='2'\/>\s*<\/input>/)
      // (a character device's information after its target)
      expect(predicts(q35("<serial type='pty'><master startport='2'/></serial>"), { v9 })).toMatch(/<model name='isa-serial'\/>\s*<\/target>\s*<master startport='2'\/>/)
      expect(predicts(q35("<controller type='ccid' index='0'/><smartcard mode='host'><alias name='ua-card'/></smartcard>"), { v9 })).toContain("<alias name='ua-card'/>")
      expect(predicts(q35("<rng model='virtio'><backend model='random'>/dev/urandom</backend><acpi index='4'/></rng>"), { v9 })).toContain("<acpi index='4'/>")
      expect(refusal(q35("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/><acpi index='3'/></channel>"), { v9 }).message).toBe('ACPI index is only supported for PCI devices')
    }
  })

  it("a serial port's <model> without a name is none: the machine's default, or no <model>; a memory device's sizes written as numbers; the first memory limit; an empty accessmode; a display's audio ID (libvirtd 9.0)", () => {
    for (const v9 of [true, false]) {
      expect(predicts(q35("<serial type='pty'><target port='0'><model type='rtl8139'/></target></serial>"), { v9 })).toContain("<model name='isa-serial'/>")
      const mem = (size: string) => q35(`<memory model='dimm'><target><size unit='KiB'>${size}</size><node>0</node></target></memory>`).replace('<vcpu>', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu>").replace('<os>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><os>")
      expect(predicts(mem('0523264'), { v9 })).toContain("<size unit='KiB'>523264</size>")
      // the first of each memory limit is read
      expect(predicts(q35('', "<memtune><hard_limit unit='GiB'>4</hard_limit><hard_limit unit='GiB'>8</hard_limit></memtune>"), { v9 }).match(/<hard_limit/g)).toEqual(['<hard_limit'])
      // an empty accessmode is the default's name
      expect(predicts(q35("<filesystem type='mount' accessmode=''><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 })).toContain("<filesystem type='mount' accessmode='passthrough'>")
      // a network disk's source attributes in the formatter's order; a virtual port's first <parameters>; a boot menu's timeout as a number, none without enable
      expect(predicts(q35("<disk type='network' device='disk'><source tls='yes' name='example.com' protocol='nbd'><host name='example.com' port='10809'/></source><target dev='vda' bus='virtio'/></disk>"), { v9 })).toContain("<source protocol='nbd' name='example.com' tls='yes'>")
      const port = "<virtualport type='openvswitch'><parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/><parameters interfaceid='19b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>"
      expect(predicts(q35(`<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>${port}<model type='virtio'/></interface>`), { v9 }).match(/<parameters [^>]*>/g)).toEqual(["<parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>"])
      expect(predicts(q35('').replace('</os>', "<bootmenu enable='yes' timeout='+60'/></os>"), { v9 })).toContain("<bootmenu enable='yes' timeout='60'/>")
      expect(predicts(q35('').replace('</os>', "<bootmenu timeout='60'/></os>"), { v9 })).not.toContain('<bootmenu')
      // a SCSI vhost host device's source reads no child
      expect(predicts(q35("<hostdev mode='subsystem' type='scsi_host' managed='no'><source protocol='vhost' wwpn='naa.5123456789abcde0'><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></source></hostdev>"), { v9 })).toContain("<source protocol='vhost' wwpn='naa.5123456789abcde0'/>")
      // a controller given an sPAPR VIO address without a register gets one from the vSCSI base
      expect(predicts(pseries("<controller type='usb' index='0'><address type='spapr-vio'/></controller>"), { v9, caps: ppcCaps })).toMatch(/<controller type='usb' index='0'[^>]*>\s*<address type='spapr-vio' reg='0x00002000'\/>/)
      // a filesystem driver of the default type writes no write policy; a SCSI host device's adapter reads its name alone
      expect(predicts(q35("<filesystem><driver type='default' wrpolicy='immediate'/><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 })).not.toContain('<driver')
      expect(predicts(q35("<filesystem><driver type='path' wrpolicy='immediate'/><source dir='/srv'/><target dir='srv'/></filesystem>"), { v9 })).toContain("<driver type='path' wrpolicy='immediate'/>")
      expect(predicts(q35("<hostdev mode='subsystem' type='scsi' managed='yes'><source><adapter name='scsi_host0' type='drive'/><address bus='0' target='0' unit='0'/></source></hostdev>"), { v9 })).toContain("<adapter name='scsi_host0'/>")
      // a boot entry's loadparm: 1 to 8 characters of a set, upper-cased
      const boot = (loadparm: string) => q35(`<disk type='file' device='disk'><source file='/tmp/a'/><target dev='vda' bus='virtio'/><boot order='1' loadparm='${loadparm}'/></disk>`)
      expect(refusal(boot(''), { v9 }).message).toBe("loadparm value '' must be between 1 and 8 characters")
      expect(refusal(boot('abcdefghi'), { v9 }).message).toBe("loadparm value 'ABCDEFGHI' must be between 1 and 8 characters")
      expect(refusal(boot('ab?'), { v9 }).message).toBe("invalid loadparm value 'AB?', expecting chars in set of [a-zA-Z0-9.] and blank spaces")
      expect(predicts(boot('sys1'), { v9 })).toContain("loadparm='SYS1'")
      // pSeries: an sPAPR VIO register read in base 16 and written `0x%08llx`, a PHB's NUMA node as a number, an HPT's page size
      const vio = (reg: string) => pseries(`<controller type='scsi' index='0' model='ibmvscsi'><address type='spapr-vio' reg='${reg}'/></controller>`)
      expect(predicts(vio('3000'), { v9, caps: ppcCaps })).toContain("<address type='spapr-vio' reg='0x00003000'/>")
      expect(refusal(vio(''), { v9, caps: ppcCaps }).message).toBe("Invalid value for attribute 'reg' in element 'address': ''. Expected non-negative integer value")
      expect(predicts(pseries("<controller type='pci' index='0' model='pci-root'><target index='0'/></controller><controller type='pci' index='1' model='pci-root'><target index='1'><node>00</node></target></controller>").replace('<os>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><os>"), { v9, caps: phbNumaCaps })).toContain('<node>0</node>')
      const hpt = (size: string) => dom({ arch: 'ppc64', machine: 'pseries', extra: `<features><hpt resizing='required'><maxpagesize unit='GiB'>${size}</maxpagesize></hpt></features>` })
      expect(refusal(hpt('1 '), { v9, caps: ppcCaps }).message).toBe('Unable to parse HPT maxpagesize setting')
      expect(predicts(hpt(''), { v9, caps: ppcCaps })).toContain("<hpt resizing='required'/>")
      expect(predicts(hpt('1'), { v9, caps: ppcCaps })).toContain("<maxpagesize unit='KiB'>1048576</maxpagesize>")
      // a DIMM's base read in base 16, written `0x%llx`
      const dimm = (base: string) => q35(`<memory model='dimm'><target><size unit='MiB'>512</size><node>0</node></target><address type='dimm' slot='0' base='${base}'/></memory>`).replace('<vcpu>', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu>").replace('<os>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><os>")
      expect(predicts(dimm('0x0100000000'), { v9 })).toContain("base='0x100000000'")
      expect(predicts(dimm('100000000'), { v9 })).toContain("base='0x100000000'")
      expect(refusal(dimm('zz'), { v9 }).message).toBe("Invalid value for attribute 'base' in element 'address': 'zz'. Expected non-negative integer value")
      // s390: a zPCI address's identifiers read in C's base 0 and written in hex
      const zpci = (uid: string) => s390(`<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></source><address type='pci'><zpci uid='${uid}' fid='010'/></address></hostdev>`)
      expect(predicts(zpci(' 1'), { v9, caps: s390Caps })).toContain("<zpci uid='0x0001' fid='0x00000008'/>")
      expect(refusal(zpci(''), { v9, caps: s390Caps }).message).toBe("Invalid value for attribute 'uid' in element 'zpci': ''. Expected non-negative integer value")
      // an empty target NUMA node is none
      expect(refusal(q35("<memory model='dimm'><target><size unit='MiB'>512</size><node></node></target></memory>").replace('<vcpu>', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu>").replace('<os>', "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu><os>"), { v9 }).message).toBe('target NUMA node needs to be specified for memory device')
      // a NIC: its MAC address as virMacAddrParse reads it (and written as libvirt formats it), unicast; its link state;
      // its MTU; its virtio settings read for a model written as virtio alone
      const nic = (inner: string) => q35(`<interface type='user'>${inner}</interface>`)
      expect(refusal(nic("<mac address='zz:54:00:00:00:01'/>"), { v9 }).message).toBe("unable to parse mac address 'zz:54:00:00:00:01'")
      expect(refusal(nic("<mac address='52:54:00:00:00:01x'/>"), { v9 }).message).toBe("unable to parse mac address '52:54:00:00:00:01x'")
      expect(refusal(nic("<mac address='53:54:00:00:00:01'/>"), { v9 }).message).toBe("expected unicast mac address, found multicast '53:54:00:00:00:01'")
      expect(predicts(nic("<mac address='52:54:0:0:0:A x'/><model type='e1000'/>"), { v9 })).toContain("<mac address='52:54:00:00:00:0a'/>")
      expect(refusal(nic("<mac address='52:54:00:00:00:01'/><link state='default'/>"), { v9 }).message).toBe("unknown interface link state 'default'")
      expect(predicts(nic("<mac address='52:54:00:00:00:01'/><link state=''/>"), { v9 })).not.toContain('<link')
      expect(refusal(nic("<mac address='52:54:00:00:00:01'/><driver queues='x'/><mtu size='x'/>"), { v9 }).message).toBe('malformed mtu size')
      expect(refusal(nic("<mac address='52:54:00:00:00:01'/><model type='virtio'/><driver queues='x'/>"), { v9 }).message).toBe("Invalid value for attribute 'queues' in element 'driver': 'x'. Expected non-negative integer value")
      // an empty I/O thread count is none
      expect(predicts(q35('', '<iothreads></iothreads>'), { v9 })).not.toContain('<iothreads')
      expect(predicts(q35('', "<iothreads></iothreads><iothreadids><iothread id='2'/></iothreadids>"), { v9 })).toContain('<iothreads>1</iothreads>')
      // a VNC or D-Bus display's audio ID is read as a sound device's
      expect(refusal(q35("<graphics type='vnc'><audio id=''/></graphics>"), { v9 }).message).toBe("Invalid value for attribute 'id' in element 'audio': ''. Expected non-negative integer value")
    }
  })

  it('a controller without a type is an IDE one, an interface user networking, a character device a pty; 9.0 drops <crypto> unread', () => {
    expect(predicts(pc("<controller index='0'/>"))).toContain("<controller type='ide' index='0'>")
    expect(predicts(pc("<interface><mac address='52:54:00:00:00:09'/></interface>"))).toContain("<interface type='user'>")
    expect(predicts(pc("<serial><target port='0'/></serial>"))).toContain("<serial type='pty'>")
    const crypto = "<crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/></crypto>"
    expect(predicts(pc(crypto), { v9: true })).not.toContain('<crypto')
    expect(predicts(pc(crypto))).toContain('<crypto')
  })
})

describe('non-x86 and device forms other tools write (aarch64, s390x, ppc64 and x86_64 on libvirtd 9.0)', () => {
  it("a watchdog's action is written, reset unless told; an <os><acpi> without a table is none; a hub takes a USB port whatever address it had", () => {
    expect(predicts(pc("<watchdog model='i6300esb'/>"))).toContain("<watchdog model='i6300esb' action='reset'>")
    expect(predicts(s390("<watchdog model='diag288'/>"), { caps: s390Caps })).toContain("<watchdog model='diag288' action='reset'/>")
    expect(predicts(pc('').replace('</os>', '<acpi/></os>'))).not.toContain('<acpi/>\n    </os>')
    expect(predicts(pc("<hub type='usb'><address type='isa' iobase='0x505'/></hub>"))).toMatch(/<hub type='usb'>\n\s*<address type='usb' bus='0' port='1'\/>/)
  })

  it("a PCI controller's chassis in decimal and port in hex, both read base 0; a USB host device's ids as 0x%.4x; zPCI ids as 0x%.4x / 0x%.8x", () => {
    expect(predicts(q35("<controller type='pci' index='1' model='pcie-root-port'><target chassis='0x5' port='16'/></controller>"))).toContain("<target chassis='5' port='0x10'/>")
    expect(predicts(q35("<controller type='usb' model='qemu-xhci'/><hostdev mode='subsystem' type='usb'><source><vendor id='0x1D6B'/><product id='2'/></source></hostdev>"))).toContain("<vendor id='0x1d6b'/>\n        <product id='0x0002'/>")
    expect(predicts(s390("<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/><address type='pci'><zpci uid='17' fid='0xA'/></address></disk>"), { caps: s390Caps })).toContain("<zpci uid='0x0011' fid='0x0000000a'/>")
  })

  it("secrets' and virtual ports' UUIDs in libvirt's form", () => {
    const out = predicts(q35("<disk type='network' device='disk'><source protocol='rbd' name='p/i'><host name='mon'/><auth username='u'><secret type='ceph' uuid='8A9B0C1D-0000-4000-8000-00000000ABCD'/></auth></source><target dev='vda' bus='virtio'/></disk><interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/><virtualport type='openvswitch'><parameters interfaceid='4C3B2A19-0000-4000-8000-00000000ABCD'/></virtualport></interface>"))
    expect(out).toContain("uuid='8a9b0c1d-0000-4000-8000-00000000abcd'")
    expect(out).toContain("interfaceid='4c3b2a19-0000-4000-8000-00000000abcd'")
  })

  it('ROM tuning and ACPI indexes on PCI devices alone (as addressed); the virtio-s390 bus refused; memory devices need their QEMU device; s390 PV its host', () => {
    expect(refusal(s390("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><rom bar='off'/></interface>"), { caps: s390Caps })).toMatchObject({ code: 'preview-refused', message: 'ROM tuning is only supported for PCI devices' })
    expect(refusal(s390("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><acpi index='3'/></interface>"), { caps: capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'acpi-index', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" }) })).toMatchObject({ message: 'ACPI index is only supported for PCI devices' })
    expect(refusal(q35("<interface type='user'><mac address='52:54:00:00:00:01'/><acpi index='3'/></interface>"), { caps: capsXml({ flags: x86Flags.filter((f) => f !== 'acpi-index') }) }).message).toBe('ACPI index is not supported with this QEMU')
    expect(refusal(s390("<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/><address type='virtio-s390'/></disk>"), { caps: s390Caps })).toMatchObject({ code: 'preview-invalid-value', message: "virtio-s390 bus doesn't have an address" })
    expect(refusal(s390("<memory model='dimm'><target><size unit='KiB'>524288</size></target></memory>").replace('<vcpu', "<maxMemory slots='2' unit='KiB'>4194304</maxMemory><vcpu"), { caps: s390Caps }).message).toBe("memory hotplug isn't supported by this QEMU binary")
    const pv = s390('').replace('</devices>', "</devices><launchSecurity type='s390-pv'/>")
    expect(refusal(pv, { caps: s390Caps, v9: true }).message).toBe('S390 PV launch security is not supported with this QEMU binary')
    // (libvirt 11.3: the type named, when QEMU lacks the s390-pv-guest object or the machine's confidential guest support)
    expect(refusal(pv, { caps: s390Caps }).message).toBe("'s390-pv' launch security is not supported with this QEMU binary")
    expect(refusal(pv, { caps: capsXml({ arch: 's390x', flags: ['virtio-ccw', 'zpci', 'confidential-guest-support', 's390-pv-guest'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" }) }).message).toBe('S390 PV launch security is not supported by this host or kernel')
  })

  it("a SCSI host device's model and a mediated device's from their enumerations (libvirtd 9.0)", () => {
    expect(refusal(q35(vhostScsi().replace("type='scsi_host'", "type='scsi_host' model='none'")), { v9: true }).message).toBe("Invalid value for attribute 'model' in element 'hostdev': 'none'.")
  })
})

describe('PCI buses an address asks for (libvirtd 9.0, aarch64 virt as virt-install writes it)', () => {
  it('an address on a bus no controller makes adds the bus, and then one more root port for hot-plug', () => {
    const arm = (devices: string) => dom({ arch: 'aarch64', machine: 'virt', devices })
    // (a virtio disk is a PCIe device where QEMU has non-transitional virtio, as an aarch64 QEMU does: without it, a
    // conventional PCI one, for which libvirt grows a PCI topology instead — the probe h5-q*)
    const caps = armCaps.replace("<flag name='qemu-xhci'/>", "<flag name='qemu-xhci'/>\n  <flag name='virtio-pci-non-transitional'/>")
    const out = predicts(arm("<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></disk>"), { caps })
    // (bus 1 for the disk, 2 the spare: the first root port's slot becomes multifunction)
    expect(out.match(/<controller type='pci' index='\d' model='pcie-root-port'>/g)).toEqual(["<controller type='pci' index='1' model='pcie-root-port'>", "<controller type='pci' index='2' model='pcie-root-port'>"])
    expect(out).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0' multifunction='on'/>")
  })
})

describe("formatdomain's device examples as libvirtd 9.0 reads them", () => {
  it("a macvtap NIC's mode is VEPA; an IP's family is written; an unknown NIC model is a PCIe device; random virtual port IDs are not predicted", () => {
    const out = predicts(q35("<interface type='direct'><mac address='52:54:00:00:00:01'/><source dev='eth0'/></interface><interface type='user'><mac address='52:54:00:00:00:02'/><ip address='172.17.2.0' prefix='24'/></interface><interface type='user'><mac address='52:54:00:00:00:03'/><model type='ne2k_pci'/></interface>"))
    expect(out).toContain("<source dev='eth0' mode='vepa'/>")
    expect(out).toContain("<ip address='172.17.2.0' family='ipv4' prefix='24'/>")
    const ne2k = out.slice(out.indexOf("<model type='ne2k_pci'/>"))
    expect(ne2k).toMatch(/<address type='pci' domain='0x0000' bus='0x0\d' slot='0x00' function='0x0'\/>/)
    const result = previewDomain(q35("<interface type='network'><mac address='52:54:00:00:00:04'/><source network='default'/><virtualport type='802.1Qbg'><parameters managerid='11' typeid='1193047' typeidversion='2'/></virtualport></interface>"), { qemuCaps: capsXml(), abiUpdate: true })
    expect(result.notPredicted.some((n) => n.reason.includes('802.1Qbg port without instanceid'))).toBe(true)
  })

  it("a memory device's source and target in libvirt's order; virtio-mem's requested size written, its current one not; virtio-pmem shared", () => {
    const numa = "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>"
    const mem = (device: string) => q35(device, `<maxMemory slots='4' unit='KiB'>8388608</maxMemory>${numa}`)
    const out = predicts(mem("<memory model='dimm'><source><pagesize unit='KiB'>4</pagesize><nodemask>0</nodemask></source><target><size unit='KiB'>524288</size><node>0</node></target></memory><memory model='virtio-mem'><target><size unit='KiB'>2097152</size><node>0</node><block unit='KiB'>2048</block><current unit='KiB'>0</current></target></memory><memory model='virtio-pmem'><source><path>/tmp/pmem</path></source><target><size unit='KiB'>524288</size></target></memory>"))
    expect(out).toContain('<nodemask>0</nodemask>\n        <pagesize unit=\'KiB\'>4</pagesize>')
    expect(out).toContain("<block unit='KiB'>2048</block>\n        <requested unit='KiB'>0</requested>\n      </target>")
    expect(out).toContain("<memory model='virtio-pmem' access='shared'>")
  })

  it("what libvirt refuses in the docs' examples: a pool-less RBD name, a rotation rate off disks, a LUN slice, PCI write filtering, 2D and non-virtio 3D acceleration, a doorbell without its server, memory device models' rules", () => {
    expect(refusal(q35("<disk type='network' device='disk'><source protocol='rbd' name='image_name2'><host name='mon'/></source><target dev='vda' bus='virtio'/></disk>")).message).toBe("can't split path 'image_name2' into pool name and image name")
    expect(refusal(q35("<disk type='file' device='cdrom'><source file='/x.iso'/><target dev='sda' bus='sata' rotation_rate='7200'/></disk>")).message).toBe('rotation rate is only valid for disk device')
    expect(refusal(q35("<controller type='scsi' model='virtio-scsi'/><disk type='block' device='lun'><source dev='/dev/sdz'><slices><slice type='storage' offset='0' size='1024'/></slices></source><target dev='sda' bus='scsi'/></disk>")).message).toBe("disk device 'lun' doesn't support storage slice")
    expect(refusal(q35(pciHost("domain='0x0000' bus='0x06' slot='0x02' function='0x0'").replace('<source>', "<source writeFiltering='no'>"))).message).toBe('Write filtering of PCI device configuration space is not supported by qemu')
    expect(refusal(q35("<video><model type='vga'><acceleration accel2d='yes'/></model></video>")).message).toBe('qemu does not support the accel2d setting')
    expect(refusal(q35("<video><model type='qxl'><acceleration accel3d='yes'/></model></video>")).message).toBe("3d acceleration is supported only with 'virtio' video device")
    expect(refusal(q35("<shmem name='d'><model type='ivshmem-doorbell'/></shmem>")).message).toBe("shmem model 'ivshmem-doorbell' is supported only with server option enabled")
    expect(refusal(q35("<shmem name='d'><model type='ivshmem-doorbell'/><size unit='M'>4</size><server path='/tmp/x.sock'/></shmem>")).message).toBe("shmem model 'ivshmem-doorbell' does not support size setting")
    const numa = "<maxMemory slots='4' unit='KiB'>8388608</maxMemory><cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>"
    expect(refusal(q35("<memory model='nvdimm'><uuid>9d6ae0ea-6b6e-4a7f-8e9b-1b2c3d4e5f60</uuid><source><path>/tmp/nv</path></source><target><size unit='KiB'>524288</size><node>0</node></target></memory>", numa)).message).toBe('UUID is not supported for NVDIMM device')
    expect(refusal(q35("<memory model='virtio-mem'><target><size unit='KiB'>2097152</size><block unit='KiB'>2048</block></target></memory>", numa)).message).toBe('target NUMA node needs to be specified for memory device')
    expect(refusal(q35("<memory model='virtio-mem'><target><size unit='KiB'>2097152</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>3072</requested></target></memory>", numa)).message).toBe('requested size must be an integer multiple of block size')
    expect(refusal(q35("<memory model='virtio-pmem' access='private'><source><path>/tmp/p</path></source><target><size unit='KiB'>524288</size></target></memory>", numa)).message).toBe('shared access mode required for virtio-pmem device')
    expect(refusal(q35("<interface type='user'><mac address='52:54:00:00:00:01'/><route address='192.168.1.0' prefix='24' gateway='10.0.2.2'/></interface>")).message).toBe('Invalid attempt to set network interface guest-side IP route, not supported by QEMU')
  })
})
