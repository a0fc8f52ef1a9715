// What libvirt's device parsers read (conf/domain_conf.c of libvirt 9.0): each case here was defined on the sandbox
// libvirtd 9.0 (the probe files /tmp/probe/h6/h6-<id>.xml of the parser probes) and preview says what it stored or
// refused.
import { describe, expect, it } from 'vitest'
import { capsXml, x86Flags } from './_caps.ts'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const dom = x86Domain
const invalid = (message: string, path: string) => ({ name: 'PreviewError', code: 'preview-invalid-value', message, path })
const deviceOf = (xml: string, name: string): string => new RegExp(`<${name}[ >][\\s\\S]*?</${name}>`).exec(xml)![0]

describe('host devices (virDomainHostdevDefParseXML)', () => {
  it('<readonly/> and <shareable/> are read for a SCSI host device alone (hd16, hd16b)', () => {
    const pci = deviceOf(predicts(dom("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/></source><readonly/><shareable/></hostdev>")), 'hostdev')
    expect(pci).not.toContain('readonly')
    expect(pci).not.toContain('shareable')
    expect(deviceOf(predicts(dom("<hostdev mode='subsystem' type='usb'><source><vendor id='0x46d'/><product id='0xc52b'/></source><readonly/></hostdev>")), 'hostdev')).not.toContain('readonly')
    expect(deviceOf(predicts(dom("<controller type='scsi' model='virtio-scsi'/><hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><readonly/><shareable/></hostdev>")), 'hostdev')).toContain('<readonly/>\n      <shareable/>')
  })

  it("a PCI one's <driver name> is its backend, read NONZERO: `default` is refused, as on a host device NIC (hd33, z7, z13)", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='pci'><driver name='default'/><source><address domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source></hostdev>"), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'name' in element 'driver': 'default'.", 'domain/devices/hostdev[1]/driver/@name'))
    expect(refusal(dom("<hostdev mode='subsystem' type='pci'><driver name='foo'/><source><address domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source></hostdev>"), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'name' in element 'driver': 'foo'.", 'domain/devices/hostdev[1]/driver/@name'))
    expect(refusal(dom("<interface type='hostdev'><mac address='52:54:00:ab:cd:ef'/><driver name='default'/><source><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source></interface>"), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'name' in element 'driver': 'default'.", 'domain/devices/interface[1]/driver/@name'))
    expect(deviceOf(predicts(dom("<hostdev mode='subsystem' type='pci'><driver name='vfio'/><source><address domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></source></hostdev>")), 'hostdev')).toContain("<driver name='vfio'/>")
  })

  it("another host device's <driver> is not read (z14)", () => {
    expect(deviceOf(predicts(dom("<hostdev mode='subsystem' type='usb'><driver name='vfio'/><source><address bus='1' device='2'/></source></hostdev>")), 'hostdev')).not.toContain('driver')
  })

  it("a USB source's autoAddress is a yes/no, not written back (e57)", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='usb'><source autoAddress='x'><address bus='1' device='2'/></source></hostdev>"), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'autoAddress' in element 'source': 'x'.", 'domain/devices/hostdev[1]/source/@autoAddress'))
    expect(predicts(dom("<hostdev mode='subsystem' type='usb'><source autoAddress='yes'><address bus='1' device='2'/></source></hostdev>"))).not.toContain('autoAddress')
  })

  it("a PCI source's writeFiltering is read before the QEMU driver refuses any (e56)", () => {
    expect(refusal(dom("<hostdev mode='subsystem' type='pci'><source writeFiltering='x'><address domain='0' bus='0' slot='7' function='0'/></source></hostdev>"), { v9: true }))
      .toEqual(invalid("Invalid value for attribute 'writeFiltering' in element 'source': 'x'.", 'domain/devices/hostdev[1]/source/@writeFiltering'))
  })

  it('a PCI host device with an empty <source/> holds the zero address (hd28)', () => {
    expect(deviceOf(predicts(dom("<hostdev mode='subsystem' type='pci'><source/></hostdev>")), 'hostdev'))
      .toContain("<source>\n        <address domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>\n      </source>")
  })
})

describe('video (virDomainVideoDefParseXML, virDomainVideoDriverDefParseXML)', () => {
  it("a <driver vgaconf>'s 0, `io`, is not written back; nor is the <driver> left empty (vd2, vd2c)", () => {
    expect(deviceOf(predicts(dom("<video><model type='vga' vram='16384' heads='1'/><driver vgaconf='io'/></video>")), 'video')).not.toContain('driver')
    expect(deviceOf(predicts(dom("<video><driver vgaconf='io' name='qemu'/><model type='virtio' heads='1'/></video>")), 'video')).toContain("<driver name='qemu'/>")
    expect(deviceOf(predicts(dom("<video><model type='vga'/><driver vgaconf='on'/></video>")), 'video')).toContain("<driver vgaconf='on'/>")
  })

  it('a vgaconf it does not read is dropped, not refused: the parser keeps no driver setting (e145)', () => {
    expect(deviceOf(predicts(dom("<video><model type='vga'/><driver vgaconf='bogus'/></video>"), { v9: true }), 'video')).not.toContain('driver')
  })

  it("<acceleration> is written accel3d, then accel2d (vd8; virDomainVideoAccelDefFormat)", () => {
    expect(deviceOf(predicts(dom("<video><model type='qxl' ram='65536' vram='65536' vram64='0' vgamem='16384' heads='1'><acceleration accel2d='no' accel3d='no'/></model></video>")), 'video'))
      .toContain("<acceleration accel3d='no' accel2d='no'/>")
  })
})

describe('shared memory (virDomainShmemDefParseXML)', () => {
  it('MSI vectors are read in base 0 and written in decimal (s3)', () => {
    expect(deviceOf(predicts(dom("<shmem name='ivshmem2' role='peer'><model type='ivshmem-doorbell'/><server path='/tmp//ivshmem_socket/'/><msi vectors='0x20' ioeventfd='on'/></shmem>")), 'shmem'))
      .toContain("<msi vectors='32' ioeventfd='on'/>")
  })

  it('the role is read NONZERO: `default` is refused as an unknown one is (z16, z16b)', () => {
    expect(refusal(dom("<shmem name='x' role='default'><model type='ivshmem-plain'/></shmem>"), { v9: true })).toEqual(invalid("Invalid value for attribute 'role' in element 'shmem': 'default'.", 'domain/devices/shmem[1]/@role'))
    expect(refusal(dom("<shmem name='x' role='bogus'><model type='ivshmem-plain'/></shmem>"), { v9: true })).toEqual(invalid("Invalid value for attribute 'role' in element 'shmem': 'bogus'.", 'domain/devices/shmem[1]/@role'))
    // (not read for the legacy ivshmem: its QEMU device's absence is refused instead — z16c)
    expect(refusal(dom("<shmem name='x' role='bogus'><model type='ivshmem'/></shmem>"), { v9: true, caps: capsXml({ flags: x86Flags.filter((f) => f !== 'ivshmem') }) }).message).toBe('ivshmem device is not supported with this QEMU binary')
  })
})

describe('an emulated TPM (virDomainTPMDefParseXML, virDomainTPMDefFormat)', () => {
  const backendOf = (backend: string): string => /<backend[^>]*\/>|<backend[\s\S]*?<\/backend>/.exec(predicts(dom(`<tpm model='tpm-crb'>${backend}</tpm>`, 'q35')))![0]
  it("persistent_state='no' is not written back (t1c)", () => {
    expect(backendOf("<backend type='emulator' version='2.0' persistent_state='no'/>")).toBe("<backend type='emulator' version='2.0'/>")
    expect(backendOf("<backend type='emulator' version='2.0' persistent_state='yes'/>")).toBe("<backend type='emulator' version='2.0' persistent_state='yes'/>")
  })

  it('its active PCR banks are a bitmap: each once, in the banks\' order, none written when empty (t1, t1b, t2)', () => {
    expect(backendOf("<backend type='emulator' version='2.0'><active_pcr_banks><sha384/><sha256/><sha256/></active_pcr_banks></backend>"))
      .toBe("<backend type='emulator' version='2.0'>\n        <active_pcr_banks>\n          <sha256/>\n          <sha384/>\n        </active_pcr_banks>\n      </backend>")
    expect(backendOf("<backend type='emulator' version='2.0'><active_pcr_banks><sha512/><sha1/></active_pcr_banks></backend>")).toContain('<sha1/>\n          <sha512/>')
    expect(/<tpm[\s\S]*?<\/tpm>/.exec(predicts(dom("<tpm model='tpm-tis'><backend type='emulator'><active_pcr_banks/></backend></tpm>")))![0]).not.toContain('active_pcr_banks')
  })
})

describe('USB redirection (virDomainRedirdevDefParseXML, virDomainRedirFilterUSBDevDefParseXML)', () => {
  it('a redirected device with an address other than a USB one is refused (rd2)', () => {
    expect(refusal(dom("<redirdev type='spicevmc'><address type='pci' domain='0' bus='0' slot='9' function='0'/></redirdev><graphics type='spice' autoport='yes'/>"), { v9: true }))
      .toEqual(invalid('Invalid address for a USB device', 'domain/devices/redirdev[1]/address/@type'))
  })

  it("a filter rule's version is JJ.MN, each below 100, written %d.%02d (rd4, e96, e97, rd5, e98)", () => {
    for (const version of ['3', '1.100', '1.']) {
      expect(refusal(dom(`<redirfilter><usbdev version='${version}' allow='yes'/></redirfilter>`), { v9: true })).toEqual(invalid(`Cannot parse USB device version ${version}`, 'domain/devices/redirfilter[1]/usbdev/@version'))
    }
    expect(predicts(dom("<redirfilter><usbdev vendor='010' product='0X1f' version='02.00' allow='no'/></redirfilter>"))).toContain("<usbdev vendor='0x0008' product='0x001F' version='2.00' allow='no'/>")
    expect(predicts(dom("<redirfilter><usbdev version='+1.+1' allow='yes'/></redirfilter>"))).toContain("<usbdev version='1.01' allow='yes'/>")
    expect(predicts(dom("<redirfilter><usbdev version='2.1' allow='yes'/></redirfilter>"))).toContain("<usbdev version='2.10' allow='yes'/>")
    expect(predicts(dom("<redirfilter><usbdev version='-1' allow='yes'/></redirfilter>"))).toContain("<usbdev allow='yes'/>")
  })
})

describe("a controller's NUMA node (virDomainControllerDefParseXML)", () => {
  it('is read for every controller type: a negative or unreadable one is refused (c7, c7c, c7b)', () => {
    const numa = (controller: string): ReturnType<typeof refusal> => refusal(dom(controller, 'q35'), { v9: true })
    expect(numa("<controller type='sata' index='0'><target><node>-1</node></target></controller>")).toEqual(invalid('invalid NUMA node in target', 'domain/devices/controller[1]/target/node'))
    expect(refusal(dom("<controller type='usb' index='0' model='piix3-uhci'><target><node>x</node></target></controller>"), { v9: true })).toEqual(invalid('invalid NUMA node in target', 'domain/devices/controller[1]/target/node'))
    expect(numa("<controller type='pci' index='1' model='pcie-root-port'><target chassis='1' port='0x10'><node>-1</node></target></controller>")).toEqual(invalid('invalid NUMA node in target', 'domain/devices/controller[1]/target/node'))
    // (a valid one on a controller other than a PCI one is not kept)
    expect(predicts(dom("<controller type='sata' index='0'><target><node>0</node></target></controller>", 'q35'))).not.toContain('<node>')
  })
})

describe('a filesystem (virDomainFSDefParseXML, virDomainFSDefFormat)', () => {
  const fsOf = (xml: string): string => deviceOf(predicts(dom(xml)), 'filesystem')
  it('a file or directory mode of 0 is none: not written, and no mode to refuse off mapped access (f2)', () => {
    expect(fsOf("<filesystem type='mount' accessmode='mapped' fmode='0'><source dir='/srv/share'/><target dir='share'/></filesystem>")).toContain("<filesystem type='mount' accessmode='mapped'>")
    expect(fsOf("<filesystem type='mount' accessmode='passthrough' dmode='00'><source dir='/srv/share'/><target dir='share'/></filesystem>")).toContain("<filesystem type='mount' accessmode='passthrough'>")
    expect(fsOf("<filesystem type='mount' accessmode='mapped' fmode='644'><source dir='/srv/share'/><target dir='share'/></filesystem>")).toContain("fmode='0644'")
  })

  it("a driver's queue size is read for virtiofs alone (f3)", () => {
    expect(fsOf("<filesystem type='mount' accessmode='passthrough'><driver type='path' queue='1024'/><source dir='/srv/share'/><target dir='share'/></filesystem>")).toContain("<driver type='path'/>")
  })

  it("a driver's format is a storage format libvirt knows, `none` not one (e32, e41)", () => {
    for (const [type, format] of [['path', 'bogus'], ['loop', 'none']]) {
      expect(refusal(dom(`<filesystem type='mount'><driver type='${type}' format='${format}'/><source dir='/s'/><target dir='t'/></filesystem>`), { v9: true }))
        .toEqual({ name: 'PreviewError', code: 'preview-refused', message: `unknown driver format value '${format}'`, path: 'domain/devices/filesystem[1]/driver/@format' })
    }
  })

  it("a RAM filesystem's usage is scaled by its units (e48)", () => {
    expect(refusal(dom("<filesystem type='ram'><source usage='1' units='furlong'/><target dir='t'/></filesystem>"), { v9: true }))
      .toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unknown suffix 'furlong'", path: 'domain/devices/filesystem[1]/source/@units' })
  })
})

describe('character devices (own probes, libvirtd 9.0)', () => {
  it('a guestfwd channel needs an address; an isa-debug serial port is x86\'s', () => {
    expect(refusal(dom("<channel type='pty'><target type='guestfwd' port='4600'/></channel>"))).toMatchObject({ code: 'preview-invalid-value', message: 'guestfwd channel does not define a target address' })
    const arm = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(refusal(dom("<serial type='pty'><target type='isa-debug'/></serial>").replace("arch='x86_64' machine='pc'", "arch='aarch64' machine='virt'"), { caps: arm }).message).toBe('isa-debug serial type only valid on x86 architecture')
  })
  it('a <log> without a file is none; a TCP <protocol/> without a type is raw', () => {
    expect(predicts(dom("<serial type='pty'><log append='on'/></serial>"))).not.toContain('<log')
    expect(predicts(dom("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'/><protocol/></serial>"))).toContain("<protocol type='raw'/>")
  })
  it('a redirected device without a bus is USB: the bus written, a USB port given', () => {
    const xml = predicts(dom("<redirdev type='spicevmc'/><graphics type='spice'/>"))
    expect(/<redirdev[\s\S]*?<\/redirdev>/.exec(xml)![0]).toMatch(/^<redirdev bus='usb' type='spicevmc'>[\s\S]*<address type='usb' bus='0' port='\d'\/>/)
  })
})
