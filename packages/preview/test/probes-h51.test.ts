// Character devices — serial and parallel ports, consoles, channels — and the character device sources other devices
// share (USB redirection, passthrough smartcards, EGD backends) as libvirt 9.0 reads them (own probes `h51-…`, each
// defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon stored or
// said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const q35 = (devices: string): string => x86Domain(devices, 'q35')
const tcp = "<source mode='connect' host='127.0.0.1' service='4555'/>"

describe("a passthrough smartcard's and an EGD backend's source (virDomainChrSourceDefParseXML wherever it is read)", () => {
  it("refuses a <log append> that is not on/off, as a serial port's", () => {
    const sc = (log: string) => q35(`<smartcard mode='passthrough' type='tcp'>${tcp}${log}</smartcard>`)
    const rng = (log: string) => q35(`<rng model='virtio'><backend model='egd' type='tcp'>${tcp}${log}</backend></rng>`)
    for (const xml of [sc("<log file='/tmp/l' append='yes'/>"), rng("<log file='/tmp/l' append='yes'/>")]) {
      expect(refusal(xml, v9)).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value for attribute 'append' in element 'log': 'yes'." })
    }
    expect(refusal(sc("<log file='/tmp/l' append=''/>"), v9).message).toBe("Invalid value for attribute 'append' in element 'log': ''.")
    // (the near miss: on is kept)
    expect(predicts(sc("<log file='/tmp/l' append='on'/>"), v9)).toContain("<log file='/tmp/l' append='on'/>")
    expect(predicts(rng("<log file='/tmp/l' append='off'/>"), v9)).toContain("<log file='/tmp/l' append='off'/>")
  })
  it("an EGD backend's TCP TLS switch and file append switch are read by the backend's type", () => {
    const rng = (type: string, source: string) => q35(`<rng model='virtio'><backend model='egd' type='${type}'>${source}</backend></rng>`)
    expect(refusal(rng('tcp', "<source mode='connect' host='h' service='1' tls='on'/>"), v9).message).toBe("Invalid value for attribute 'tls' in element 'source': 'on'.")
    expect(refusal(rng('file', "<source path='/tmp/f' append='yes'/>"), v9).message).toBe("Invalid value for attribute 'append' in element 'source': 'yes'.")
    expect(predicts(rng('tcp', "<source mode='connect' host='h' service='1' tls='yes'/>"), v9)).toContain("<source mode='connect' host='h' service='1' tls='yes'/>")
  })
  it("a QEMU vdagent's clipboard and mouse are kept on a USB redirection and a smartcard, and each required where written", () => {
    const vdagent = "<source><clipboard copypaste='yes'/><mouse mode='client'/></source>"
    const spice = "<graphics type='spice'/>"
    for (const device of [`<redirdev bus='usb' type='qemu-vdagent'>${vdagent}</redirdev>`, `<smartcard mode='passthrough' type='qemu-vdagent'>${vdagent}</smartcard>`]) {
      expect(predicts(q35(device + spice), v9)).toContain("<source>\n        <clipboard copypaste='yes'/>\n        <mouse mode='client'/>\n      </source>")
    }
    expect(refusal(q35(`<redirdev bus='usb' type='qemu-vdagent'><source><clipboard/></source></redirdev>${spice}`), v9).message).toBe("Missing required attribute 'copypaste' in element 'clipboard'")
    expect(refusal(q35(`<smartcard mode='passthrough' type='qemu-vdagent'><source><mouse/></source></smartcard>${spice}`), v9).message).toBe("Missing required attribute 'mode' in element 'mouse'")
    expect(refusal(q35(`<rng model='virtio'><backend model='egd' type='qemu-vdagent'><source><mouse mode='default'/></source></backend></rng>${spice}`), v9).message)
      .toBe("Invalid value for attribute 'mode' in element 'mouse': 'default'.")
  })
  it('a reconnect timeout of 0 is refused on a TCP or UNIX backend alone: a UDP one reads no reconnect', () => {
    const rng = (type: string) => q35(`<rng model='virtio'><backend model='egd' type='${type}'><source mode='connect' host='h' service='1' path='/tmp/s'><reconnect enabled='yes' timeout='0'/></source></backend></rng>`)
    expect(predicts(rng('udp'), v9)).toContain("<backend model='egd' type='udp'>\n        <source mode='connect' host='h' service='1'/>\n      </backend>")
    expect(refusal(rng('tcp'), v9).message).toBe("chardev reconnect source timeout cannot be '0'")
  })
})

describe("a serial or parallel port's target port (virDomainChrDefParseTargetXML: virStrToLong_ui into an int, written '%d')", () => {
  it('past 2^31 - 1 it is written negative', () => {
    expect(predicts(q35("<serial type='pty'><target port='2147483648'/></serial>"), v9)).toContain("<target type='isa-serial' port='-2147483648'>")
    expect(predicts(q35("<parallel type='pty'><target port='4294967294'/></parallel>"), v9)).toContain("<target port='-2'/>")
    // (the near miss: 2^31 - 1 is kept)
    expect(predicts(q35("<serial type='pty'><target port='2147483647'/></serial>"), v9)).toContain("<target type='isa-serial' port='2147483647'>")
  })
  it('the port after the highest wraps in C\'s int, and a negative one raises no one\'s number', () => {
    const serials = predicts(q35("<serial type='pty'><target port='2147483647'/></serial><serial type='pty'/>"), v9)
    expect(serials).toContain("<target type='isa-serial' port='-2147483648'>")
    const parallels = predicts(q35("<parallel type='pty'><target port='2147483647'/></parallel><parallel type='pty'/>"), v9)
    expect(parallels).toContain("<target port='-2147483648'/>")
    const negative = predicts(q35("<parallel type='pty'><target port='-2'/></parallel><parallel type='pty'/>"), v9)
    expect(negative).toContain("<target port='-2'/>")
    expect(negative).toContain("<target port='0'/>")
    expect(predicts(q35("<parallel type='pty'><target port='2'/></parallel><parallel type='pty'/>"), v9)).toContain("<target port='3'/>")
  })
})

describe('virtio-serial addresses past 2^31 - 1 (an int to virDomainDefMaybeAddController, written %d)', () => {
  const channel = (address: string) => q35(`<channel type='pty'><target type='virtio' name='org.h51.0'/>${address}</channel>`)
  it('a bus nothing checks is written negative', () => {
    expect(predicts(channel("<address type='virtio-serial' controller='0' bus='4294967295' port='1'/>"), v9)).toContain("<address type='virtio-serial' controller='0' bus='-1' port='1'/>")
    expect(predicts(channel("<address type='virtio-serial' controller='0' bus='7' port='1'/>"), v9)).toContain("<address type='virtio-serial' controller='0' bus='7' port='1'/>")
  })
  it('a controller number that is negative there adds a controller at the lowest free index, and stays missing', () => {
    expect(refusal(channel("<address type='virtio-serial' controller='4294967295' bus='0' port='1'/>"), v9))
      .toMatchObject({ code: 'preview-invalid-value', message: 'virtio serial controller 4294967295 is missing' })
    expect(refusal(channel("<address type='virtio-serial' controller='4294967295'/>"), v9)).toMatchObject({ code: 'preview-refused', message: 'virtio-serial controller 4294967295 not available' })
    // (the near miss: a controller the domain lacks below 2^31 is added)
    expect(predicts(channel("<address type='virtio-serial' controller='2'/>"), v9)).toContain("<address type='virtio-serial' controller='2' bus='0' port='1'/>")
  })
})

describe('a USB address (virDomainDeviceUSBAddressParseXML, virDomainDeviceInfoFormat)', () => {
  it("is written with its bus, 0 when not written", () => {
    expect(predicts(q35("<serial type='pty'><target type='usb-serial'/><address type='usb' port='1'/></serial>"), v9)).toContain("<address type='usb' bus='0' port='1'/>")
    expect(predicts(q35("<input type='tablet' bus='usb'><address type='usb' port='2'/></input>"), v9)).toContain("<address type='usb' bus='0' port='2'/>")
  })
})

describe('two character device faults: the one the parser reads first (virDomainDefParseXML, the devices kind by kind)', () => {
  it("a serial port's before a console's or a channel's, whatever the document's order", () => {
    expect(refusal(q35("<channel type='pty'><target type='guestfwd' port='1'/></channel><serial type='pty'><log file='/a'/><log file='/b'/></serial>"), v9).message)
      .toBe('only one log element is allowed for character device')
    expect(refusal(q35("<console type='pty'><target type='x'/></console><serial type='pty'><target><model name='x'/></target></serial>"), v9).message)
      .toBe("unknown target model 'x' specified for character device")
    // (the near miss: the channel's alone)
    expect(refusal(q35("<channel type='pty'><target type='guestfwd' port='1'/></channel><serial type='pty'><log file='/a'/></serial>"), v9).message)
      .toBe('guestfwd channel does not define a target address')
  })
})

describe("a target type or serial model `none` (the enumerations' first name: none written, virDomainChrDefParseTargetXML)", () => {
  it('a console of type none is a serial one: alone it becomes serial 0, a second one is refused as a second serial console', () => {
    const out = predicts(q35("<console type='pty'><target type='none'/></console>"), v9)
    expect(out).toContain("<serial type='pty'>\n      <target type='isa-serial' port='0'>\n        <model name='isa-serial'/>\n      </target>\n    </serial>")
    expect(out).toContain("<console type='pty'>\n      <target type='serial' port='0'/>\n    </console>")
    expect(refusal(q35("<console type='pty'><target type='none'/></console><console type='pty'><target type='none'/></console>"), v9).message).toBe('Only the first console can be a serial port')
    // (the near miss: a virtio one is not)
    expect(predicts(q35("<console type='pty'><target type='virtio'/></console>"), v9)).toContain("<target type='virtio' port='0'/>")
  })
  it("a serial port's model none is the type's default, and its type none the arch's", () => {
    expect(predicts(q35("<serial type='pty'><target><model name='none'/></target></serial>"), v9)).toContain("<model name='isa-serial'/>")
    expect(predicts(q35("<serial type='pty'><target type='none'><model name='isa-serial'/></target></serial>"), v9)).toContain("<target type='isa-serial' port='0'>\n        <model name='isa-serial'/>")
    expect(refusal(q35("<serial type='pty'><target type='none'><model name='pci-serial'/></target></serial>"), v9).message).toBe("Target model 'pci-serial' requires target type 'pci-serial'")
  })
})
