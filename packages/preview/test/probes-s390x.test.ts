// s390x guests end to end (machine s390-ccw-virtio, domain type qemu) as libvirtd 9.0 stored or refused them at
// define: CCW addresses (device_conf.c virDomainDeviceCCWAddressParseXML, virccw.c virCCWDeviceAddressIsValid),
// own probes h27-*, each defined on the sandbox libvirtd beside preview; the expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const s390 = capsXml({ arch: 's390x', flags: ['virtio-blk-ccw', 'virtio-net', 'virtio-net-ccw', 'virtio-ccw', 'zpci', 'virtio-pci', 'virtio-rng', 'rng-random', 'virtio-scsi-pci', 'netdev.user'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
const dom = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
const disk = (address: string, dev = 'vda'): string => `<disk type='file' device='disk'><source file='/tmp/${dev}.img'/><target dev='${dev}' bus='virtio'/>${address}</disk>`
const ccw = (cssid: string, ssid: string, devno: string): string => `<address type='ccw' cssid='${cssid}' ssid='${ssid}' devno='${devno}'/>`

describe('a written CCW address past its limits (virCCWDeviceAddressIsValid: cssid <= 0xfe, ssid <= 3, devno <= 0xffff)', () => {
  const invalid = (c: string, s: string, d: string): string => `Invalid specification for virtio ccw address: cssid='${c}' ssid='${s}' devno='${d}'`
  it('is refused with the numbers as read, in hex', () => {
    expect(refusal(dom(disk(ccw('0xff', '0x0', '0x0002'))), { caps: s390 })).toMatchObject({ code: 'preview-invalid-value', message: invalid('0xff', '0x0', '0x0002') })
    expect(refusal(dom(disk(ccw('0x100', '0x0', '0x0002'))), { caps: s390 })).toMatchObject({ message: invalid('0x100', '0x0', '0x0002') })
    expect(refusal(dom(disk(ccw('0xfe', '0x4', '0x0002'))), { caps: s390 })).toMatchObject({ message: invalid('0xfe', '0x4', '0x0002') })
    expect(refusal(dom(disk(ccw('0xfe', '0x0', '0x10000'))), { caps: s390 })).toMatchObject({ message: invalid('0xfe', '0x0', '0x10000') })
  })
  it('near misses: 0xfe, ssid 3 and devno 0xffff are kept', () => {
    expect(predicts(dom(disk(ccw('0xfe', '0x3', '0x0002'))), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x3' devno='0x0002'/>")
    expect(predicts(dom(disk(ccw('0xfe', '0x0', '0xffff'))), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0xffff'/>")
  })
})

describe('a partial CCW address (virDomainDeviceCCWAddressParseXML: all three numbers or none)', () => {
  it('is refused when one or two are written', () => {
    for (const address of ["<address type='ccw' cssid='0xfe'/>", "<address type='ccw' cssid='0xfe' ssid='0x0'/>", "<address type='ccw' devno='0x0005'/>"]) {
      expect(refusal(dom(disk(address)), { caps: s390 })).toMatchObject({ code: 'preview-invalid-value', message: 'Invalid partial specification for virtio ccw address' })
    }
  })
  it('but the limits are checked first, a missing number read as 0', () => {
    expect(refusal(dom(disk("<address type='ccw' ssid='0x7'/>")), { caps: s390 })).toMatchObject({ message: "Invalid specification for virtio ccw address: cssid='0x0' ssid='0x7' devno='0x0000'" })
  })
  it('near miss: an address with none is assigned the next device number', () => {
    expect(predicts(dom(disk("<address type='ccw'/>")), { caps: s390 })).toContain("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'/>")
  })
})

describe('a PCI address with more than one <zpci> (libvirt 9.0: virPCIDeviceAddressParseXML reads the last)', () => {
  const zpci = (inner: string, slot = '0x01'): string => `<address type='pci' domain='0x0000' bus='0x00' slot='${slot}' function='0x0'>${inner}</address>`
  it('keeps the last written, and reads no other', () => {
    expect(predicts(dom(disk(zpci("<zpci uid='0x0001' fid='0x1'/><zpci uid='0x0002' fid='0x2'/>"))), { caps: s390, v9: true })).toContain("<zpci uid='0x0002' fid='0x00000002'/>")
    // (the first's bad uid is not read; the last's is refused)
    expect(predicts(dom(disk(zpci("<zpci uid='-1' fid='0x1'/><zpci uid='0x0002' fid='0x2'/>"))), { caps: s390, v9: true })).toContain("<zpci uid='0x0002' fid='0x00000002'/>")
    expect(refusal(dom(disk(zpci("<zpci uid='0x0002' fid='0x2'/><zpci uid='-1' fid='0x1'/>"))), { caps: s390, v9: true })).toMatchObject({ message: "Invalid value for attribute 'uid' in element 'zpci': '-1'. Expected non-negative integer value" })
  })
  it('libvirt 11.3 reads the first (virXMLNodeGetSubelement)', () => {
    expect(predicts(dom(disk(zpci("<zpci uid='0x0001' fid='0x1'/><zpci uid='0x0002' fid='0x2'/>"))), { caps: s390 })).toContain("<zpci uid='0x0001' fid='0x00000001'/>")
  })
  it('an empty last one is assigned the first free uid and fid', () => {
    const xml = predicts(dom(disk(zpci("<zpci uid='0x0002' fid='0x2'/><zpci/>")) + disk("<address type='pci'/>", 'vdb')), { caps: s390, v9: true })
    expect(xml).toContain("<zpci uid='0x0001' fid='0x00000000'/>")
    expect(xml).toContain("<zpci uid='0x0002' fid='0x00000001'/>")
  })
})

describe('a container OS type without its init binary (virDomainDefPostParseCommon, before the driver refuses the type)', () => {
  const exe = (os: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='s390x' machine='s390-ccw-virtio'>exe</type>${os}</os><devices/></domain>`
  it('is refused for the missing init, an empty one too', () => {
    expect(refusal(exe(''), { caps: s390 })).toMatchObject({ code: 'preview-invalid-value', message: 'init binary must be specified' })
    expect(refusal(exe('<init></init>'), { caps: s390 })).toMatchObject({ message: 'init binary must be specified' })
  })
  it('near miss: with one, the QEMU driver refuses the OS type', () => {
    expect(refusal(exe('<init>/bin/sh</init>'), { caps: s390 })).toMatchObject({ message: "Emulator '/usr/bin/qemu-system-s390x' does not support os type 'exe'" })
  })
})

describe('libvirt 9.0: a virtio-mem device on a CCW address with guest NUMA and no node (qemuDomainDefValidateMemoryHotplugDevice, device by device)', () => {
  const numa = "<maxMemory slots='4'>1048576</maxMemory><vcpu>1</vcpu><cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/></numa></cpu>"
  const vmem = (address: string): string => `<memory model='virtio-mem'><target><size unit='KiB'>131072</size><block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target>${address}</memory>`
  const memDom = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory>${numa}<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${devices}</devices></domain>`
  const caps = capsXml({ arch: 's390x', flags: ['virtio-blk-ccw', 'virtio-ccw', 'zpci', 'virtio-pci', 'virtio-mem-pci', 'virtio-pmem-pci'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  it('is refused for its address first, written or assigned', () => {
    expect(refusal(memDom(vmem(ccw('0xfe', '0x0', '0x0003'))), { caps, v9: true })).toMatchObject({ code: 'preview-refused', message: "only 'pci' addresses are supported for the virtio-mem device" })
    expect(refusal(memDom(vmem('')), { caps, v9: true })).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
  })
  it('near miss: on PCI it is refused for its node', () => {
    expect(refusal(memDom(vmem("<address type='pci'/>")), { caps, v9: true })).toMatchObject({ message: 'target NUMA node needs to be specified for memory device' })
  })
})

describe("libvirt 9.0: a vfio-ccw mediated device on a PCI address beside two watchdogs (virDomainHostdevDefPostParse after the parser's count)", () => {
  const mdev = "<hostdev mode='subsystem' type='mdev' model='vfio-ccw'><source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8802'/></source><address type='pci'><zpci uid='0x1'/></address></hostdev>"
  const wd = "<watchdog model='diag288' action='reset'/>"
  it('is refused for the second watchdog, counted at parse, even when the watchdogs come after it', () => {
    expect(refusal(dom(wd + mdev + wd), { caps: s390, v9: true })).toMatchObject({ message: 'only a single watchdog device is supported' })
    expect(refusal(dom(mdev + wd + wd), { caps: s390, v9: true })).toMatchObject({ message: 'only a single watchdog device is supported' })
  })
  it('near miss: with one watchdog, the mediated device is refused for its address', () => {
    expect(refusal(dom(wd + mdev), { caps: s390, v9: true })).toMatchObject({ code: 'preview-invalid-value', message: "Unsupported address type 'pci' with mediated device model 'vfio-ccw'" })
  })
})

describe('zPCI uids and fids written (qemuDomainCollectPCIAddressExtension, virDomainZPCIAddressEnsureAddr)', () => {
  const rng = (address: string): string => `<rng model='virtio'><backend model='random'>/dev/urandom</backend>${address}</rng>`
  const host = (slot: string, address: string): string => `<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x00' slot='${slot}' function='0x0'/></source>${address}</hostdev>`
  const pci = (zpci: string, slot = ''): string => `<address type='pci'${slot ? ` domain='0x0000' bus='0x00' slot='${slot}' function='0x0'` : ''}>${zpci}</address>`
  it('are reserved in the devices’ iterate order: a host device’s fid alone takes uid 1 before an RNG written after it asks for it', () => {
    // (the host device comes before the RNG in virDomainDeviceInfoIterate's order, whatever the document's)
    expect(refusal(dom(rng(pci("<zpci uid='0x1'/>")) + host('0x13', pci("<zpci fid='0x00000002'/>"))), { caps: s390 })).toMatchObject({ code: 'preview-refused', message: 'zPCI uid 1 is already reserved' })
  })
  it('a device with no uid or fid written takes its own after all the written ones: never refused', () => {
    const xml = predicts(dom(rng(pci('<zpci/>')) + rng('') + disk(pci("<zpci uid='0x1'/>"), 'vdc')), { caps: s390 })
    expect(xml).toContain("<zpci uid='0x0001' fid='0x00000000'/>")
    expect(xml).toContain("<zpci uid='0x0002' fid='0x00000001'/>")
  })
  it('a written uid of 0 is reserved as any other (validation refuses it later); a fid alone takes the lowest uid free', () => {
    const devices = `<interface type='user'><mac address='52:54:00:00:03:00'/><model type='virtio'/>${pci('<zpci/>')}</interface>`
      + rng(pci("<zpci uid='0x0' fid='0x0'/>", '0x5')) + rng(pci("<zpci fid='0xffffffff'/>")) + rng(pci("<zpci uid='1' fid='0x1'/>"))
    expect(refusal(dom(devices), { caps: s390 })).toMatchObject({ message: 'zPCI uid 1 is already reserved' })
  })
  it('a PCI slot taken twice is refused before any zPCI identity', () => {
    const ctl = (index: number): string => `<controller type='scsi' index='${index}' model='virtio-scsi'>${pci("<zpci fid='3'/>", '0x4')}</controller>`
    expect(refusal(dom(ctl(0) + ctl(1)), { caps: s390 })).toMatchObject({ message: 'Attempted double use of PCI Address 0000:00:04.0' })
  })
  it('numbers in octal: uid 8 is reported as 10', () => {
    expect(refusal(dom(disk(pci("<zpci uid='0x8'/>")) + disk(pci("<zpci uid='8'/>"), 'vdb')), { caps: s390 })).toMatchObject({ message: 'zPCI uid 10 is already reserved' })
  })
})

describe("a character device's zPCI part (qemuDomainDeviceSupportZPCI: none; virDomainDeviceInfoFormat writes a present one whole)", () => {
  const consoleAt = (zpci: string): string => `<console type='pty'><target type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'>${zpci}</address></console>`
  it('a fid alone is stored with uid 0, a uid alone with fid 0, neither assigned', () => {
    expect(predicts(dom(consoleAt("<zpci fid='3'/>")), { caps: s390 })).toContain("<zpci uid='0x0000' fid='0x00000003'/>")
    expect(predicts(dom(consoleAt("<zpci uid='1'/>")), { caps: s390 })).toContain("<zpci uid='0x0001' fid='0x00000000'/>")
  })
  it('an empty one is not written', () => {
    expect(predicts(dom(consoleAt('<zpci/>')), { caps: s390 })).toContain("<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>\n    </console>")
  })
  it("near miss: a disk's half not written is assigned", () => {
    expect(predicts(dom(disk("<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'><zpci fid='3'/></address>")), { caps: s390 })).toContain("<zpci uid='0x0001' fid='0x00000003'/>")
  })
})

describe('the virtio-serial controllers post-parse adds (virDomainDefMaybeAddVirtioSerialController: channels, then consoles, each appended)', () => {
  const chan = (name: string, controller?: number): string => `<channel type='pty'><target type='virtio' name='${name}'/>${controller === undefined ? '' : `<address type='virtio-serial' controller='${controller}' bus='0' port='0'/>`}</channel>`
  it('libvirt 9.0 writes them in the order the channels asked for them, not by index', () => {
    const xml = predicts(dom(chan('c.1', 1) + chan('c.2')), { caps: s390, v9: true })
    expect(xml.indexOf("<controller type='virtio-serial' index='1'>")).toBeLessThan(xml.indexOf("<controller type='virtio-serial' index='0'>"))
  })
  it("a console's after every channel's, whatever the document's order", () => {
    const console2 = "<console type='pty'><target type='virtio'/><address type='virtio-serial' controller='2' bus='0' port='1'/></console>"
    const xml = predicts(dom(console2 + chan('c.1', 1)), { caps: s390, v9: true })
    expect(xml.indexOf("<controller type='virtio-serial' index='1'>")).toBeLessThan(xml.indexOf("<controller type='virtio-serial' index='2'>"))
  })
  it('near miss: asked for in index order, they are in index order', () => {
    const xml = predicts(dom(chan('c.2') + chan('c.1', 1)), { caps: s390, v9: true })
    expect(xml.indexOf("<controller type='virtio-serial' index='0'>")).toBeLessThan(xml.indexOf("<controller type='virtio-serial' index='1'>"))
  })
})

describe('the first console standing for serial 0 and CCW device numbers (virDomainSkipBackcompatConsole in virDomainDeviceInfoIterate)', () => {
  const vda = disk("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/>")
  const cons = (target: string): string => `<console type='pty'>${target}<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/></console>`
  it('beside a serial port, its written CCW address is neither reserved nor written', () => {
    for (const target of ['', "<target type='serial'/>", "<target type='serial' port='3'/>"]) {
      const xml = predicts(dom(vda + "<serial type='pty'/>" + cons(target)), { caps: s390, v9: true })
      expect(xml).toContain("<console type='pty'>\n      <target type='serial' port='0'/>\n    </console>")
    }
  })
  it('near misses: without a serial port it becomes serial 0, address and all; an SCLP or virtio console is iterated', () => {
    expect(refusal(dom(vda + cons('')), { caps: s390, v9: true })).toMatchObject({ message: "The CCW devno 'fe.0.0002' is in use already" })
    expect(refusal(dom(vda + "<serial type='pty'/>" + cons("<target type='sclp'/>")), { caps: s390, v9: true })).toMatchObject({ message: "The CCW devno 'fe.0.0002' is in use already" })
    expect(refusal(dom(vda + "<serial type='pty'/>" + cons("<target type='virtio'/>")), { caps: s390, v9: true })).toMatchObject({ message: "The CCW devno 'fe.0.0002' is in use already" })
  })
})

describe("a USB controller numbered 0 at 00:01.2, which qemuDomainCollectPCIAddress skips (the PIIX3's function) and only i440fx's chipset reserves", () => {
  const usb0 = "<controller type='usb' index='0'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/></controller>"
  it('two reach the USB address set on s390x, which refuses them (the repeat-child search edit, seed 750; probes h36-s390-usb0-…)', () => {
    expect(refusal(dom(usb0 + usb0 + "<memballoon model='none'/>"), { caps: s390, v9: true })).toMatchObject({ message: 'Duplicate USB controllers with index 0' })
    const zpci = "<controller type='usb' index='0'><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'><zpci uid='0x0001' fid='0x00000000'/></address></controller>"
    expect(refusal(dom(zpci + zpci + "<memballoon model='none'/>"), { caps: s390, v9: true }).message).toBe('zPCI uid 1 is already reserved')
  })
  it('another device may take 00:01.2 beside it (probe h36-s390-usb0-and-rng-at-1.2)', () => {
    const rng = "<rng model='virtio'><backend model='random'>/dev/urandom</backend><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/></rng>"
    expect(predicts(dom(usb0 + rng + "<memballoon model='none'/>"), { caps: s390, v9: true })).toMatch(/<rng model='virtio'>[\s\S]*<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'>/)
  })
})

describe("a device address's <zpci>, read in a PCI address alone (virPCIDeviceAddressParseXML)", () => {
  it('is not written back in a CCW address (the stray-element search edit, seed 760; probes h36-ccw-zpci, h36-pci-zpci-near)', () => {
    const balloon = (address: string): string => dom(`<memballoon model='virtio'>${address}</memballoon>`)
    expect(predicts(balloon("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'><zpci uid='0x0001' fid='0x00000000'/></address>"), { caps: s390, v9: true })).toContain("<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0000'/>")
    expect(predicts(balloon("<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'><zpci uid='0x0001' fid='0x00000000'/></address>"), { caps: s390, v9: true })).toContain("<zpci uid='0x0001' fid='0x00000000'/>")
  })
})
