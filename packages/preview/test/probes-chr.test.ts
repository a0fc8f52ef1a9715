// Character devices as libvirtd 9.0 stores them — serial and parallel ports, consoles, channels, and the character
// device sources of USB redirection, smartcards and EGD random number generators (virDomainChrDefParseXML,
// virDomainChrSourceDefParseXML, virDomainChrDefFormat, virDomainChrSourceDefFormat, virDomainChrSourceDefValidate,
// qemuDomainChrDefPostParse, qemuDomainAssignVirtioSerialAddresses): each case was defined on the sandbox libvirtd 9.0
// (the probes h10-… of fixtures/preview/probes/character-devices.xml), and preview says what it stored or refused.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const dom = x86Domain
const spice = "<graphics type='spice'/>"
const deviceOf = (xml: string, name: string): string => new RegExp(`<${name}[ >][\\s\\S]*?</${name}>`).exec(xml)![0]
const withLabel = (devices: string, label: string): string => dom(devices).replace('</devices>', `</devices>${label}`)
const other = (devices: string, arch: string, machine: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`
const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const arm = capsXml({ arch: 'aarch64', flags: ['virtio-pci-non-transitional', 'gpex-pcihost', 'pcie-root-port', 'virtio-mmio'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' defaultCPU='cortex-a15-arm-cpu'/>" })

describe('a spicevmc source (virDomainChrDefParseXML compares target type numbers)', () => {
  const refused = { code: 'preview-refused', message: 'spicevmc device type only supports virtio' }

  it("passes where the target type's number is the channel's virtio: a serial port's usb-serial, a console's xen (h10-svmc-ser-usb, h10-svmc-con-xen)", () => {
    expect(deviceOf(predicts(dom(`<serial type='spicevmc'><target type='usb-serial' port='0'/></serial>${spice}`), { v9: true }), 'serial'))
      .toContain("<serial type='spicevmc'>\n      <target type='usb-serial' port='0'>\n        <model name='usb-serial'/>")
    // (the console passes the parser, to be refused by the QEMU driver for its target type instead)
    expect(refusal(dom(`<console type='spicevmc'><target type='xen' port='0'/></console>${spice}`), { v9: true }).message).toBe('unsupported console target type xen')
    expect(predicts(dom(`<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>${spice}`), { v9: true })).toContain("<channel type='spicevmc'>")
  })

  it("is refused by the number elsewhere: a console's virtio, a serial port's pci-serial or none, a parallel port (h10-svmc-con-virtio, -ser-pci, -ser-none, -par)", () => {
    expect(refusal(dom(`<console type='spicevmc'><target type='virtio' port='0'/></console>${spice}`), { v9: true })).toMatchObject(refused)
    expect(refusal(dom(`<serial type='spicevmc'><target type='pci-serial' port='0'/></serial>${spice}`), { v9: true })).toMatchObject(refused)
    expect(refusal(dom(`<serial type='spicevmc'/>${spice}`), { v9: true })).toMatchObject(refused)
    expect(refusal(dom(`<parallel type='spicevmc'/>${spice}`), { v9: true })).toMatchObject(refused)
    expect(refusal(dom(`<channel type='spicevmc'><target type='xen' name='com.redhat.spice.0'/></channel>${spice}`), { v9: true })).toMatchObject(refused)
  })

  it('a serial port that passes still needs SPICE graphics (h10-svmc-ser-usb-nospice)', () => {
    expect(refusal(dom("<serial type='spicevmc'><target type='usb-serial' port='0'/></serial>"), { v9: true }).message).toBe("chardev 'spicevmc' not supported without spice graphics")
  })
})

describe('reconnect in bind mode (virDomainChrSourceDefValidate)', () => {
  const refused = { code: 'preview-refused', message: 'chardev reconnect is possible only for connect mode' }

  it("any reconnect written is refused beside a listening TCP or UNIX source, `enabled='no'` too (h10-rc-tcp-bind-no, -unix-bind-no, -unix-chbind-no)", () => {
    expect(refusal(dom("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'><reconnect enabled='no'/></source></serial>"), { v9: true })).toMatchObject(refused)
    expect(refusal(dom("<serial type='unix'><source mode='bind' path='/tmp/s.sock'><reconnect enabled='no'/></source></serial>"), { v9: true })).toMatchObject(refused)
    expect(refusal(dom("<channel type='unix'><source mode='bind' path='/tmp/c.sock'><reconnect enabled='no'/></source><target type='virtio' name='x.y'/></channel>"), { v9: true })).toMatchObject(refused)
  })

  it('and on the sources of a redirected USB device, an EGD backend, a passthrough smartcard (h10-rc-redir-bind-no, -rng-bind-no, -sc-bind-no)', () => {
    const usb = "<controller type='usb' model='qemu-xhci'/>"
    expect(refusal(dom(`${usb}<redirdev bus='usb' type='tcp'><source mode='bind' host='127.0.0.1' service='4000'><reconnect enabled='no'/></source></redirdev>`), { v9: true })).toMatchObject(refused)
    expect(refusal(dom("<rng model='virtio'><backend model='egd' type='tcp'><source mode='bind' host='127.0.0.1' service='1234'><reconnect enabled='no'/></source></backend></rng>"), { v9: true })).toMatchObject(refused)
    expect(refusal(dom(`${usb}<smartcard mode='passthrough' type='tcp'><source mode='bind' host='127.0.0.1' service='2001'><reconnect enabled='no'/></source></smartcard>`), { v9: true })).toMatchObject(refused)
  })

  it('a UNIX channel without a path listens, whatever its mode: a reconnect there is refused (h10-rc-unix-nopath-yes, -nopath-no)', () => {
    expect(refusal(dom("<channel type='unix'><source mode='connect'><reconnect enabled='yes' timeout='5'/></source><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"), { v9: true })).toMatchObject(refused)
    expect(refusal(dom("<channel type='unix'><source><reconnect enabled='no'/></source><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"), { v9: true })).toMatchObject(refused)
  })

  it("connecting, `enabled='no'` is kept, its timeout not (h10-rc-tcp-conn-no, -unix-conn-no)", () => {
    expect(deviceOf(predicts(dom("<serial type='tcp'><source mode='connect' host='127.0.0.1' service='4555'><reconnect enabled='no'/></source></serial>"), { v9: true }), 'serial'))
      .toContain("<source mode='connect' host='127.0.0.1' service='4555'>\n        <reconnect enabled='no'/>\n      </source>")
    expect(deviceOf(predicts(dom("<serial type='unix'><source mode='connect' path='/tmp/s.sock'><reconnect enabled='no' timeout='3'/></source></serial>"), { v9: true }), 'serial'))
      .toContain("<source mode='connect' path='/tmp/s.sock'>\n        <reconnect enabled='no'/>\n      </source>")
  })
})

describe("source labels against the domain's (virSecurityDeviceLabelDefValidate from virDomainChrSourceDefValidate)", () => {
  const refused = { code: 'preview-refused', message: 'label overrides require relabeling to be enabled at the domain level' }
  const file = (label: string): string => `<serial type='file'><source path='/tmp/ser.log'>${label}</source></serial>`

  it("a label of a model whose domain label does not relabel is refused: type none, or static with relabel='no' (h10-sl-none-dac-dac, -static-norelabel-dac)", () => {
    expect(refusal(withLabel(file("<seclabel model='dac' relabel='no'/>"), "<seclabel type='none' model='dac'/>"), { v9: true })).toMatchObject(refused)
    expect(refusal(withLabel(file("<seclabel model='dac' relabel='no'/>"), "<seclabel type='static' model='dac' relabel='no'><label>0:0</label></seclabel>"), { v9: true })).toMatchObject(refused)
  })

  it('whatever the source type: a TCP source stores no label, but it is checked (the TCP near miss of h10-sl-none-dac-dac)', () => {
    expect(refusal(withLabel("<serial type='tcp'><source mode='connect' host='127.0.0.1' service='4555'><seclabel model='dac' relabel='no'/></source></serial>", "<seclabel type='none' model='dac'/>"), { v9: true })).toMatchObject(refused)
  })

  it('another model, or none, passes (h10-sl-none-dac-selinux, -none-dac-nomodel, -dyn-dac)', () => {
    expect(deviceOf(predicts(withLabel(file("<seclabel model='selinux' relabel='no'/>"), "<seclabel type='none' model='dac'/>"), { v9: true }), 'serial')).toContain("<seclabel model='selinux' relabel='no'/>")
    expect(deviceOf(predicts(withLabel(file("<seclabel relabel='no'/>"), "<seclabel type='none' model='dac'/>"), { v9: true }), 'serial')).toContain("<seclabel relabel='no'/>")
    expect(deviceOf(predicts(withLabel(file("<seclabel model='dac' relabel='no'/>"), "<seclabel type='dynamic' model='dac'/>"), { v9: true }), 'serial')).toContain("<seclabel model='dac' relabel='no'/>")
  })

  it("an EGD backend's labels are not read, so not checked (h10-sl-none-rng)", () => {
    expect(predicts(withLabel("<rng model='virtio'><backend model='egd' type='unix'><source mode='connect' path='/tmp/e.sock'><seclabel model='dac' relabel='no'/></source></backend></rng>", "<seclabel type='none' model='dac'/>"), { v9: true }))
      .toContain("<source mode='connect' path='/tmp/e.sock'/>")
  })
})

describe('which sources store their labels (virDomainChrSourceDefFormat)', () => {
  const label = "<seclabel model='dac' relabel='no'/>"

  it('a file, device or pipe path and a UNIX socket keep them (h10-st-file, -dev, -pipe, -unix)', () => {
    expect(deviceOf(predicts(dom(`<serial type='file'><source path='/tmp/f' append='on'>${label}</source></serial>`), { v9: true }), 'serial')).toContain(`<source path='/tmp/f' append='on'>\n        ${label}\n      </source>`)
    expect(deviceOf(predicts(dom(`<serial type='dev'><source path='/dev/ttyS0'>${label}</source></serial>`), { v9: true }), 'serial')).toContain(label)
    expect(deviceOf(predicts(dom(`<serial type='unix'><source mode='connect' path='/tmp/u.sock'>${label}<reconnect enabled='yes' timeout='2'/></source></serial>`), { v9: true }), 'serial'))
      .toContain(`<source mode='connect' path='/tmp/u.sock'>\n        ${label}\n        <reconnect enabled='yes' timeout='2'/>\n      </source>`)
  })

  it('a pty writes no <source> at all, a TCP, SPICE port or null source no label (h10-st-pty, -st-pty-nopath, -st-tcp, -st-spiceport, -st-null, -st-console-pty)', () => {
    const pty = deviceOf(predicts(dom(`<serial type='pty'><source path='/dev/pts/3'>${label}</source></serial>`), { v9: true }), 'serial')
    expect(pty).not.toContain('<source')
    expect(deviceOf(predicts(dom(`<console type='pty'><source>${label}</source><target type='virtio'/></console>`), { v9: true }), 'console')).not.toContain('<source')
    expect(deviceOf(predicts(dom(`<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'>${label}</source></serial>`), { v9: true }), 'serial'))
      .toContain("<source mode='bind' host='127.0.0.1' service='4555'/>")
    expect(deviceOf(predicts(dom(`<serial type='spiceport'><source channel='org.x'>${label}</source></serial>${spice}`), { v9: true }), 'serial')).toContain("<source channel='org.x'/>")
    expect(deviceOf(predicts(dom(`<serial type='null'><source path='/x'>${label}</source></serial>`), { v9: true }), 'serial')).not.toContain('<source')
  })

  it("an EGD backend's are neither read nor written: a label with relabel='no' is not even refused (h10-st-egd-tcp, -st-egd-label-norelabel)", () => {
    const xml = predicts(dom("<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='127.0.0.1' service='1'><seclabel relabel='no'><label>x</label></seclabel></source></backend></rng>"), { v9: true })
    expect(deviceOf(xml, 'rng')).toContain("<source mode='connect' host='127.0.0.1' service='1'/>")
  })

  it("a label with relabel='no' is refused in libvirt's words, `<null>` for no model (h10-st-tcp-label-norelabel)", () => {
    expect(refusal(dom("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'><seclabel relabel='no'><label>0:0</label></seclabel></source></serial>"), { v9: true }))
      .toMatchObject({ code: 'preview-invalid-value', message: 'Cannot specify a label if relabelling is turned off. model=<null>' })
  })

  it("a UDP device's labels are read from its first <source> alone (h10-sr-udp-two-labels)", () => {
    expect(deviceOf(predicts(dom("<serial type='udp'><source mode='connect' host='a' service='1'/><source mode='bind' service='2'><seclabel model='dac' relabel='no'><label>x</label></seclabel></source></serial>"), { v9: true }), 'serial'))
      .toContain("<source mode='bind' service='2'/>\n      <source mode='connect' host='a' service='1'/>")
  })
})

describe("a channel's address (qemuDomainAssignVirtioSerialAddresses)", () => {
  const agent = "<target type='virtio' name='org.qemu.guest_agent.0'/>"
  const serialPort1 = "<address type='virtio-serial' controller='0' bus='0' port='1'/>"

  it('an address of another type is no virtio-serial one: a port is written over it — PCI, USB, drive, ISA (h10-adr-ch-pci, -usb, -drive, -isa)', () => {
    for (const address of ["<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>", "<address type='usb' bus='0' port='2'/>", "<address type='drive' controller='0' bus='0' unit='0'/>", "<address type='isa' iobase='0x300'/>"]) {
      const channel = deviceOf(predicts(dom(`<controller type='usb' model='qemu-xhci'/><channel type='pty'>${agent}${address}</channel>`), { v9: true }), 'channel')
      expect(channel).toContain(serialPort1)
      expect(channel.match(/<address/g)).toHaveLength(1)
    }
  })

  it("a drive address's controller is not the virtio-serial controller's index (h10-ch-pci-ctl2)", () => {
    const xml = predicts(dom(`<channel type='pty'><target type='virtio' name='a'/><address type='drive' controller='2' bus='0' unit='0'/></channel>`), { v9: true })
    expect(xml).toContain("<controller type='virtio-serial' index='0'>")
    expect(xml).not.toContain("<controller type='virtio-serial' index='2'")
    expect(deviceOf(xml, 'channel')).toContain(serialPort1)
  })

  it("an sPAPR VIO one on pSeries, a virtio-mmio one on ARM virt — whose controller then takes PCI (h10-adr-ch-vio, -mmio)", () => {
    expect(deviceOf(predicts(other(`<channel type='pty'>${agent}<address type='spapr-vio' reg='0x30001000'/></channel>`, 'ppc64', 'pseries'), { v9: true, caps: ppc }), 'channel')).toContain(serialPort1)
    const xml = predicts(other(`<channel type='pty'>${agent}<address type='virtio-mmio'/></channel>`, 'aarch64', 'virt'), { v9: true, caps: arm })
    expect(deviceOf(xml, 'channel')).toContain(serialPort1)
    expect(xml).toMatch(/<controller type='virtio-serial' index='0'>\n {6}<address type='pci'/)
  })

  it('a complete virtio-serial address is kept (h10-adr-ch-vs)', () => {
    expect(deviceOf(predicts(dom(`<channel type='pty'>${agent}<address type='virtio-serial' controller='0' bus='0' port='3'/></channel>`), { v9: true }), 'channel')).toContain("port='3'")
  })
})

describe('a console moved to serial 0 (virDomainDefAddConsoleCompat)', () => {
  it('takes its address along: the serial port and its console mirror both carry it (h10-con-mv-isa)', () => {
    const xml = predicts(dom("<console type='pty'><target type='serial' port='0'/><address type='isa' iobase='0x2f8' irq='0x3'/></console>"), { v9: true })
    expect(deviceOf(xml, 'serial')).toContain("<address type='isa' iobase='0x2f8' irq='0x3'/>")
    expect(deviceOf(xml, 'console')).toContain("<address type='isa' iobase='0x2f8' irq='0x3'/>")
  })

  it("a pSeries console's sPAPR VIO reg is the serial port's (h10-con-mv-pseries)", () => {
    const xml = predicts(other("<console type='pty'><target type='serial'/><address type='spapr-vio' reg='0x30001000'/></console>", 'ppc64', 'pseries'), { v9: true, caps: ppc })
    expect(deviceOf(xml, 'serial')).toContain("<address type='spapr-vio' reg='0x30001000'/>")
  })

  it('a PCI one is then refused for the ISA serial port it becomes (h10-con-mv-pci)', () => {
    expect(refusal(dom("<console type='pty'><target type='serial' port='0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></console>"), { v9: true }).message)
      .toBe("Target type 'isa-serial' requires address type 'isa'")
  })

  it("a console that duplicates serial 0 shows the serial port's address, not its own (h10-con-dup-isa)", () => {
    const xml = predicts(dom("<serial type='pty'/><console type='pty'><target type='serial' port='0'/><address type='isa' iobase='0x2f8'/></console>"), { v9: true })
    expect(deviceOf(xml, 'console')).not.toContain('<address')
  })
})

describe("a channel's <target> (virDomainChrDefParseTargetXML)", () => {
  it("reads what its type reads alone: a virtio channel's name, not `port` or `address` (h10-tg-virtio-port, -virtio-address, -virtio-state)", () => {
    expect(deviceOf(predicts(dom("<channel type='pty'><target type='virtio' name='a.b' port='4'/></channel>"), { v9: true }), 'channel')).toContain("<target type='virtio' name='a.b'/>")
    expect(deviceOf(predicts(dom("<channel type='pty'><target type='virtio' name='a.b' address='10.0.2.1'/></channel>"), { v9: true }), 'channel')).toContain("<target type='virtio' name='a.b'/>")
  })

  it("a guestfwd one's address and port, not its name (h10-tg-gfwd-name); a Xen one's name; none at all nothing (h10-tg-xen, -ch-bogus)", () => {
    expect(deviceOf(predicts(dom("<channel type='pty'><target type='guestfwd' address='10.0.2.1' port='4600' name='a.b' state='connected'/></channel>"), { v9: true }), 'channel'))
      .toContain("<target type='guestfwd' address='10.0.2.1' port='4600'/>")
    expect(deviceOf(predicts(dom("<channel type='pty'><target type='xen' name='a.b' port='3'/></channel>"), { v9: true }), 'channel')).toContain("<target type='xen' name='a.b'/>")
    expect(deviceOf(predicts(dom("<channel type='pty'><target type='none' name='x'/></channel>"), { v9: true }), 'channel')).toContain("<target type='none'/>")
  })

  it("a guestfwd port is kept in 16 bits: 70000 is 4464, 65536 is 0, 4294967295 is 65535 (h10-gp-70000, -65536, -u32)", () => {
    const port = (p: string): string => /port='(\d+)'/.exec(deviceOf(predicts(dom(`<channel type='pty'><target type='guestfwd' address='10.0.2.1' port='${p}'/></channel>`), { v9: true }), 'channel'))![1]!
    expect(port('70000')).toBe('4464')
    expect(port('65536')).toBe('0')
    expect(port('4294967295')).toBe('65535')
    expect(port('65535')).toBe('65535')
  })

  it('a port past 32 bits or below 0 does not read (h10-gp-big, -neg)', () => {
    expect(refusal(dom("<channel type='pty'><target type='guestfwd' address='10.0.2.1' port='4294967296'/></channel>"), { v9: true }).code).toBe('preview-invalid-value')
    expect(refusal(dom("<channel type='pty'><target type='guestfwd' address='10.0.2.1' port='-1'/></channel>"), { v9: true }).code).toBe('preview-invalid-value')
  })
})

describe("a virtio channel's default socket path (qemuDomainChrDefDropDefaultPath)", () => {
  const socket = (path: string, name?: string): string => deviceOf(predicts(dom(`<channel type='unix'><source mode='bind' path='${path}'/><target type='virtio'${name === undefined ? '' : ` name='${name}'`}/></channel>`), { v9: true }), 'channel')

  it('a nameless channel: libvirt 9.0 matches a prefix — `domain-…/` anywhere, or NAME. under its directory — and drops it (h10-sp-nameless-dom, -tmpdom, -dot)', () => {
    expect(socket('/var/lib/libvirt/qemu/channel/target/domain-1-x/foo')).not.toContain('<source')
    expect(socket('/tmp/domain-abc/x.sock')).not.toContain('<source')
    expect(socket('/var/lib/libvirt/qemu/channel/target/a.b')).not.toContain('<source')
  })

  it('other paths are kept (h10-sp-nameless-plain, -dir-nodot, -named-tmpdom-other)', () => {
    expect(socket('/tmp/a.b')).toContain("<source mode='bind' path='/tmp/a.b'/>")
    expect(socket('/var/lib/libvirt/qemu/channel/target/ab')).toContain("path='/var/lib/libvirt/qemu/channel/target/ab'")
    expect(socket('/tmp/domain-x/c.d', 'a.b')).toContain("path='/tmp/domain-x/c.d'")
    expect(socket('/tmp/domain-x/a.b', 'a.b')).not.toContain('<source')
  })

  it('libvirt 11.3 matches a nameless one under its channel directories alone', () => {
    const eleven = (path: string): string => deviceOf(predicts(dom(`<channel type='unix'><source mode='bind' path='${path}'/><target type='virtio'/></channel>`)), 'channel')
    expect(eleven('/tmp/domain-abc/x.sock')).toContain("path='/tmp/domain-abc/x.sock'")
    expect(eleven('/var/lib/libvirt/qemu/channel/target/domain-1-x/foo')).not.toContain('<source')
  })
})

describe('a first serial console whose source is serial 0\'s (virDomainDefAddConsoleCompat, virDomainChrSourceDefIsEqual)', () => {
  const refused = { code: 'preview-refused', message: 'label overrides require relabeling to be enabled at the domain level' }
  const none = "<seclabel type='none' model='dac'/>"
  const label = "<seclabel model='dac' relabel='no'/>"
  const pair = (serial: string, console: string): string => withLabel(`${serial}${console}`, none)

  it('stays, and is validated with its own labels (h10-eq-label-conflict, h10-eqc-tcp-same, -tcp-proto-raw, -udp, -pty)', () => {
    expect(refusal(pair("<serial type='file'><source path='/tmp/s'/></serial>", `<console type='file'><source path='/tmp/s'>${label}</source><target type='serial'/></console>`), { v9: true })).toMatchObject(refused)
    expect(refusal(pair("<serial type='tcp'><source mode='connect' host='h' service='1'/></serial>", `<console type='tcp'><source mode='connect' host='h' service='1'>${label}</source><protocol type='raw'/><target type='serial'/></console>`), { v9: true })).toMatchObject(refused)
    expect(refusal(pair("<serial type='udp'><source mode='connect' host='h' service='1'/></serial>", `<console type='udp'><source host='h' service='1'>${label}</source><target type='serial'/></console>`), { v9: true })).toMatchObject(refused)
    // (a pty's path is not read into an inactive definition: two ptys are the same)
    expect(refusal(pair("<serial type='pty'><source path='/dev/pts/1'/></serial>", `<console type='pty'><source path='/dev/pts/2'>${label}</source><target type='serial'/></console>`), { v9: true })).toMatchObject(refused)
  })

  it('another is replaced by a stub, its labels never checked: another path, protocol, reconnect, mode, append or type (h10-neq-label-conflict, h10-eqc-tcp-proto, -tcp-rc-diff, -unix-mode, -file-append, -type)', () => {
    const stored = (serial: string, console: string): string => deviceOf(predicts(pair(serial, console), { v9: true }), 'console')
    expect(stored("<serial type='file'><source path='/tmp/s'/></serial>", `<console type='file'><source path='/tmp/t'>${label}</source><target type='serial'/></console>`)).toContain("<source path='/tmp/s'/>")
    expect(stored("<serial type='tcp'><source mode='connect' host='h' service='1'/></serial>", `<console type='tcp'><source mode='connect' host='h' service='1'>${label}</source><protocol type='telnet'/><target type='serial'/></console>`)).toContain("<protocol type='raw'/>")
    expect(stored("<serial type='tcp'><source mode='connect' host='h' service='1'><reconnect enabled='yes' timeout='3'/></source></serial>", `<console type='tcp'><source mode='connect' host='h' service='1'>${label}<reconnect enabled='yes' timeout='4'/></source><target type='serial'/></console>`)).toContain("timeout='3'")
    expect(stored("<serial type='unix'><source mode='bind' path='/tmp/u'/></serial>", `<console type='unix'><source path='/tmp/u'>${label}</source><target type='serial'/></console>`)).toContain("mode='bind'")
    expect(stored("<serial type='file'><source path='/tmp/s' append='off'/></serial>", `<console type='file'><source path='/tmp/s'>${label}</source><target type='serial'/></console>`)).toContain("append='off'")
    expect(stored("<serial type='dev'><source path='/tmp/s'/></serial>", `<console type='file'><source path='/tmp/s'>${label}</source><target type='serial'/></console>`)).toContain("<console type='dev'>")
  })
})

describe("the sources of a USB redirection, a smartcard and an EGD backend, by their type (virDomainChrSourceDefParseXML)", () => {
  const usb = "<controller type='usb' model='qemu-xhci'/>"

  it("keep what their type reads alone: a spicevmc one's path, a TCP one's path and channel, a UNIX one's host are dropped (h10-sc-spicevmc-src, -rd-spicevmc-src, -rd-stray, -sc-stray, -rng-stray, -rng-unix-stray)", () => {
    expect(deviceOf(predicts(dom(`${usb}<smartcard mode='passthrough' type='spicevmc'><source path='/x'/></smartcard>${spice}`), { v9: true }), 'smartcard')).not.toContain('<source')
    expect(deviceOf(predicts(dom(`${usb}<redirdev bus='usb' type='spicevmc'><source path='/x'/></redirdev>${spice}`), { v9: true }), 'redirdev')).not.toContain('<source')
    expect(deviceOf(predicts(dom(`${usb}<redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='4' path='/x' channel='c'/></redirdev>`), { v9: true }), 'redirdev')).toContain("<source mode='connect' host='h' service='4'/>")
    expect(deviceOf(predicts(dom(`${usb}<smartcard mode='passthrough' type='unix'><source mode='connect' path='/tmp/s' service='3'/></smartcard>`), { v9: true }), 'smartcard')).toContain("<source mode='connect' path='/tmp/s'/>")
    expect(deviceOf(predicts(dom("<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect' host='127.0.0.1' service='1' path='/x' append='on'/></backend></rng>"), { v9: true }), 'rng'))
      .toContain("<source mode='connect' host='127.0.0.1' service='1'/>")
    expect(deviceOf(predicts(dom("<rng model='virtio'><backend model='egd' type='unix'><source mode='connect' path='/tmp/e' host='h' tls='yes'/></backend></rng>"), { v9: true }), 'rng'))
      .toContain("<source mode='connect' path='/tmp/e'/>")
  })

  it("a file's append is kept (h10-rd-file-append)", () => {
    expect(deviceOf(predicts(dom(`${usb}<redirdev bus='usb' type='file'><source path='/tmp/r' append='on'/></redirdev>`), { v9: true }), 'redirdev')).toContain("<source path='/tmp/r' append='on'/>")
  })
})

describe("a serial port's target model (virDomainChrDefParseTargetXML: virXPathString)", () => {
  it("an empty name is none: the default model, and the default checked (h10-x-model-empty, -empty-pci, -empty-vio-pc)", () => {
    expect(deviceOf(predicts(dom("<serial type='pty'><target><model name=''/></target></serial>"), { v9: true }), 'serial')).toContain("<model name='isa-serial'/>")
    expect(deviceOf(predicts(dom("<serial type='pty'><target type='pci-serial'><model name=''/></target></serial>"), { v9: true }), 'serial')).toContain("<model name='pci-serial'/>")
    expect(refusal(dom("<serial type='pty'><target type='spapr-vio-serial'><model name=''/></target></serial>"), { v9: true }).message)
      .toBe("Serial device with target type 'spapr-vio-serial' and target model 'spapr-vty' not compatible with guest architecture or machine type")
  })
})

describe("a serial port written isa-serial off x86 (qemuDomainChrDefPostParse: ISA is none, then the arch's default)", () => {
  it("keeps no type on an ARM board that is not virt, the board's default elsewhere (differential seed 478, probes h21-isa-*)", () => {
    const machines = "<machine type='tcg' name='integratorcp' maxCpus='1' defaultCPU='arm926-arm-cpu'/><machine type='tcg' name='virt-9.9' alias='virt' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='arm926' typename='arm926-arm-cpu' usable='yes'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'cpu-max'], machines, extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    const arm = (machine: string) => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='aarch64' machine='${machine}'>hvm</type></os><devices><controller type='usb' model='none'/><serial type='pty'><target type='isa-serial'/></serial><memballoon model='none'/></devices></domain>`
    const serialOf = (xml: string) => /<serial[\s\S]*?<\/serial>/.exec(xml)![0]
    expect(serialOf(predicts(arm('integratorcp'), { caps }))).toContain("<target port='0'/>")
    expect(serialOf(predicts(arm('virt'), { caps }))).toContain("<target type='system-serial' port='0'>")
  })
})
