// libvirt's device parsers probed on libvirtd 9.0 (domain_conf.c's readers, netdev_bandwidth_conf.c, its formatters):
// each case here was defined on the sandbox libvirtd 9.0 beside preview (`virsh define`, `dumpxml --inactive`).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const dom = x86Domain
const nic = (inner: string, type = "network'><source network='default'/"): string => `<interface type='${type}><mac address='52:54:00:ab:cd:ef'/>${inner}</interface>`
const elementOf = (xml: string, name: string): string => new RegExp(`<${name}[ >][\\s\\S]*?</${name}>`).exec(xml)?.[0] ?? ''
const interfaceOf = (xml: string): string => /<interface[\s\S]*?<\/interface>/.exec(xml)![0]

describe('a NIC read as virDomainNetDefParseXML reads it', () => {
  it("keeps a <tune><sndbuf> as the unsigned long long it read (virXPathULongLong, written '%llu')", () => {
    for (const text of ['01024', '+1024', ' 1024']) expect(interfaceOf(predicts(dom(nic(`<model type='virtio'/><tune><sndbuf>${text}</sndbuf></tune>`))))).toContain('<sndbuf>1024</sndbuf>')
    expect(refusal(dom(nic("<model type='virtio'/><tune><sndbuf>-1</sndbuf></tune>"))).message).toBe('sndbuf must be a positive integer')
  })

  it("does not write an MTU of 0 (`if (def->mtu)`)", () => {
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><mtu size='0'/>"))))).not.toContain('<mtu')
    // (an empty size is none to virXPathUInt: no MTU either — on any NIC model)
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><mtu size=''/>"))))).not.toContain('<mtu')
    expect(interfaceOf(predicts(dom(nic("<model type='e1000'/><mtu size=''/>"))))).not.toContain('<mtu')
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><mtu size='01500'/>"))))).toContain("<mtu size='1500'/>")
  })

  it('writes a bandwidth rate average, peak, floor, burst (virNetDevBandwidthRateFormat)', () => {
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><bandwidth><inbound burst='1024' floor='200' average='1000'/></bandwidth>")))))
      .toContain("<inbound average='1000' floor='200' burst='1024'/>")
  })

  it("drops a virtio NIC's empty driver, host and guest; one queue is none (virDomainNetDefParseXMLDriver)", () => {
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><driver><host/><guest/></driver>"))))).not.toContain('driver')
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><driver name='vhost'><host/></driver>"))))).toContain("<driver name='vhost'/>")
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><driver queues='1'/>"))))).not.toContain('driver')
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><driver queues='2'><host csum='off'/></driver>"))))).toContain("<driver queues='2'>\n        <host csum='off'/>\n      </driver>")
  })
})

describe("a device's ACPI index (virDomainDeviceInfoParseXML: a NONZERO base-10 unsigned int)", () => {
  it('is refused when 0 or not decimal, and written back in decimal — for any device', () => {
    expect(refusal(dom(nic("<model type='virtio'/><acpi index='0'/>")))).toMatchObject({ message: "Invalid value for attribute 'index' in element 'acpi': Zero is not permitted", path: 'domain/devices/interface[1]/acpi/@index' })
    expect(refusal(dom(nic("<model type='virtio'/><acpi index='0x5'/>"))).message).toBe("Invalid value for attribute 'index' in element 'acpi': '0x5'. Expected non-negative integer value")
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><acpi index='+05'/>"))))).toContain("<acpi index='5'/>")
    const xml = predicts(dom("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/x.img'/><target dev='vda' bus='virtio'/><acpi index=' 7'/></disk><memballoon model='virtio'><acpi index='+3'/></memballoon>"))
    expect(elementOf(xml, 'disk')).toContain("<acpi index='7'/>")
    expect(elementOf(xml, 'memballoon')).toContain("<acpi index='3'/>")
  })
})

describe("a reconnect's timeout (virDomainChrSourceReconnectDefParseXML: read only when enabled='yes')", () => {
  it('is not kept when not reconnecting: a vhost-user NIC, a TCP serial port', () => {
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/>", "vhostuser'><source type='unix' path='/tmp/vhost.sock' mode='client'><reconnect enabled='no' timeout='10'/></source")), { v9: true }))).toContain("<reconnect enabled='no'/>")
    const serial = (reconnect: string): string => elementOf(predicts(dom(`<serial type='tcp'><source mode='connect' host='127.0.0.1' service='4555'>${reconnect}</source><protocol type='telnet'/></serial>`)), 'serial')
    expect(serial("<reconnect enabled='no' timeout='5'/>")).toContain("<reconnect enabled='no'/>")
    expect(serial("<reconnect timeout='5'/>")).not.toContain('reconnect')
    expect(serial("<reconnect enabled='yes' timeout='5'/>")).toContain("<reconnect enabled='yes' timeout='5'/>")
  })
})

describe("a pty's path (virDomainChrSourceDefParseXML: read from a live XML alone)", () => {
  it("is not kept in an EGD RNG backend's source nor a passthrough smartcard's, as a serial port's", () => {
    // (the backend is still written open and closed: virDomainRNGDefFormat — as libvirtd 9.0 stored it)
    expect(elementOf(predicts(dom("<rng model='virtio'><backend model='egd' type='pty'><source path='/dev/pts/3'/></backend></rng>")), 'rng')).toContain("<backend model='egd' type='pty'>\n      </backend>")
    expect(elementOf(predicts(dom("<smartcard mode='passthrough' type='pty'><source path='/dev/pts/4'/></smartcard>")), 'smartcard')).not.toContain('source')
    expect(elementOf(predicts(dom("<smartcard mode='passthrough' type='tcp'><source mode='connect' host='127.0.0.1' service='2001'/><protocol type='raw'/></smartcard>")), 'smartcard')).toContain("<source mode='connect' host='127.0.0.1' service='2001'/>")
  })
})

describe('a display read as virDomainGraphicsDefParseXML reads it', () => {
  const graphicsOf = (xml: string): string => /<graphics[^>]*\/>|<graphics[\s\S]*?<\/graphics>/.exec(xml)?.[0] ?? ''
  it("fills a first address listen without an address from `listen`; an empty address is none (virDomainGraphicsListenDefParseXML)", () => {
    expect(graphicsOf(predicts(dom("<graphics type='vnc' port='5905' autoport='yes' listen='0.0.0.0'><listen type='address'/></graphics>"))))
      .toBe("<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'>\n      <listen type='address' address='0.0.0.0'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='vnc' autoport='yes'><listen type='address' address=''/></graphics>"))))
      .toBe("<graphics type='vnc' port='-1' autoport='yes'>\n      <listen type='address'/>\n    </graphics>")
    const spice = graphicsOf(predicts(dom("<graphics type='spice' autoport='yes' listen='127.0.0.1'><listen type='address'/><listen type='address' address='::1'/></graphics>")))
    expect(spice).toContain("<graphics type='spice' autoport='yes' listen='127.0.0.1'>\n      <listen type='address' address='127.0.0.1'/>\n      <listen type='address' address='::1'/>")
  })

  it("refuses a `connected` it does not know, and any but keep for VNC (with a password alone)", () => {
    expect(refusal(dom("<graphics type='vnc' passwd='x' connected='disconnect'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "VNC supports connected='keep' only", path: 'domain/devices/graphics[1]/@connected' })
    expect(refusal(dom("<graphics type='spice' autoport='yes' passwd='x' connected='bogus'/>")).message).toBe('unknown connected value bogus')
    expect(refusal(dom("<graphics type='spice' autoport='yes' passwd='x' connected='default'/>")).message).toBe('unknown connected value default')
    expect(graphicsOf(predicts(dom("<graphics type='spice' autoport='yes' passwd='x' connected='disconnect'/>")))).toContain("connected='disconnect'")
    expect(graphicsOf(predicts(dom("<graphics type='vnc' connected='bogus'/>")))).not.toContain('connected')
  })

  it("does not write an SDL display's fullscreen='no', nor an egl-headless <gl> but its render node", () => {
    expect(graphicsOf(predicts(dom("<graphics type='sdl' display=':0' xauth='/root/.Xauthority' fullscreen='no'><gl enable='no'/></graphics>"))))
      .toBe("<graphics type='sdl' display=':0' xauth='/root/.Xauthority'>\n      <gl enable='no'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='sdl' fullscreen='yes'/>")))).toContain("fullscreen='yes'")
    expect(graphicsOf(predicts(dom("<graphics type='egl-headless'><gl rendernode='/dev/dri/renderD128' enable='yes'/></graphics>"))))
      .toBe("<graphics type='egl-headless'>\n      <gl rendernode='/dev/dri/renderD128'/>\n    </graphics>")
    expect(graphicsOf(predicts(dom("<graphics type='egl-headless'><gl/></graphics>")))).toBe("<graphics type='egl-headless'/>")
  })

  it("requires a SPICE channel's name and mode, of libvirt's names (virXMLPropEnum, REQUIRED)", () => {
    const channel = (attrs: string) => refusal(dom(`<graphics type='spice'><channel ${attrs}/></graphics>`))
    expect(channel("name='bogus' mode='any'")).toMatchObject({ message: "Invalid value for attribute 'name' in element 'channel': 'bogus'.", path: 'domain/devices/graphics[1]/channel/@name' })
    expect(channel("name='main' mode='bogus'").message).toBe("Invalid value for attribute 'mode' in element 'channel': 'bogus'.")
    expect(channel("mode='any'").message).toBe("Missing required attribute 'name' in element 'channel'")
    expect(channel("name='main'").message).toBe("Missing required attribute 'mode' in element 'channel'")
    expect(graphicsOf(predicts(dom("<graphics type='spice' autoport='yes'><channel name='main' mode='secure'/></graphics>")))).toContain("<channel name='main' mode='secure'/>")
  })
})

describe("a host device NIC's <driver name> (read by virDomainHostdevDefParseXMLSubsys for a PCI source only)", () => {
  const usbNic = (inner: string): string => nic(`<source><vendor id='0x1234'/><product id='0x5678'/></source>${inner}`, "hostdev'")
  it('is not read, nor written, when a vendor without an address type makes the source USB (libvirtd 9.0: probe h12-nic-vendor-drv)', () => {
    const stored = interfaceOf(predicts(dom(usbNic("<driver name='bogus'/>"))))
    expect(stored).not.toContain('driver')
    expect(stored).toContain("<address type='usb' bus='0' port='1'/>")
  })
  it('is read for a PCI source, and a source without a type is refused first (probes h12-nic-pci-drv, h12-nic-none-drv)', () => {
    const pci = "<source><address type='pci' domain='0' bus='1' slot='0' function='0'/></source>"
    expect(refusal(dom(nic(`${pci}<driver name='bogus'/>`, "hostdev'"))).message).toBe("Invalid value for attribute 'name' in element 'driver': 'bogus'.")
    expect(refusal(dom(nic("<source/><driver name='bogus'/>", "hostdev'")), { v9: true }).message).toBe('missing source address type')
    expect(refusal(dom(nic("<source/><driver name='bogus'/>", "hostdev'"))).message).toBe("unknown host device source address type '(null)'")
  })
})

describe("a NIC's <rom> (virDomainDeviceInfoFormat: written only with a setting; probe h14-rom-empty)", () => {
  it('is not written empty', () => {
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><rom/>"))))).not.toContain('<rom')
    expect(interfaceOf(predicts(dom(nic("<model type='virtio'/><rom bar='off'/>"))))).toContain("<rom bar='off'/>")
  })
})
