// What libvirt 11.3's own daemon stores where 9.0's differs, found by defining domains on Debian trixie's libvirtd 11.3
// (tools/libvirt-trixie: a chroot beside the sandbox's 9.0) next to preview — the probes of fixtures/preview/probes and
// the client samples through `VIRTUNED_LIVE_ROOT=… tools/preview-live-files.ts`. The expected fragments and refusals are
// what that daemon stored or said; the near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'
import { capsXml } from './_caps.ts'
import { previewDomain } from '../src/index.ts'

const v9 = { v9: true }
const count = (xml: string, fragment: string): number => xml.split(fragment).length - 1

describe('an input written without a bus (11.3: virDomainInputDefPostParse, after the implicit inputs are added)', () => {
  it("11.3 adds the implicit PS/2 mouse and keyboard beside a written `<input type='mouse'/>`; 9.0 counts it as the PS/2 one", () => {
    const xml = x86Domain("<input type='mouse'/><input type='keyboard'/><input type='tablet'/>", 'q35')
    const eleven = predicts(xml)
    expect(count(eleven, "<input type='mouse' bus='ps2'/>")).toBe(2)
    expect(count(eleven, "<input type='keyboard' bus='ps2'/>")).toBe(2)
    // (the written ones first, in their order; the added ones after every written input)
    expect(eleven.indexOf("<input type='tablet' bus='usb'>")).toBeLessThan(eleven.lastIndexOf("<input type='mouse' bus='ps2'/>"))
    const nine = predicts(xml, v9)
    expect(count(nine, "<input type='mouse' bus='ps2'/>")).toBe(1)
    expect(count(nine, "<input type='keyboard' bus='ps2'/>")).toBe(1)
    // (a bus written is counted by both)
    expect(count(predicts(x86Domain("<input type='mouse' bus='ps2'/>")), "<input type='mouse' bus='ps2'/>")).toBe(1)
  })
  it("9.0's parser refuses a tablet without a bus at a PCI address (its default bus is USB); 11.3 checks the bus as written", () => {
    const xml = x86Domain("<input type='tablet'><address type='pci' domain='0' bus='0' slot='5' function='0'/></input>", 'q35')
    expect(refusal(xml, v9)).toMatchObject({ message: 'Invalid address for a USB device' })
    expect(predicts(xml)).toContain("<input type='tablet' bus='usb'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n    </input>")
    expect(refusal(x86Domain("<input type='tablet' bus='usb'><address type='pci' domain='0' bus='0' slot='5' function='0'/></input>", 'q35')))
      .toMatchObject({ message: 'Invalid address for a USB device' })
  })
})

describe("11.3's words for attributes it reads with virXMLPropEnum (seen on libvirtd 11.3)", () => {
  it("a device address's type: required, of virDomainDeviceAddressType and not `none`", () => {
    const tablet = (address: string): string => x86Domain(`<input type='tablet' bus='usb'>${address}</input>`, 'q35')
    expect(refusal(tablet("<address type='none'/>"))).toMatchObject({ message: "Invalid value for attribute 'type' in element 'address': 'none'." })
    expect(refusal(tablet("<address type='bogus'/>"))).toMatchObject({ message: "Invalid value for attribute 'type' in element 'address': 'bogus'." })
    expect(refusal(tablet("<address bus='0' port='1'/>"))).toMatchObject({ message: "Missing required attribute 'type' in element 'address'" })
    expect(refusal(tablet("<address type='none'/>"), v9)).toMatchObject({ message: "unknown address type 'none'" })
    expect(refusal(tablet("<address bus='0' port='1'/>"), v9)).toMatchObject({ message: 'No type specified for device address' })
  })
  it("a TCP character device's protocol (virDomainChrSourceDefParseProtocol)", () => {
    const serial = (protocol: string): string => x86Domain(`<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'/><protocol type='${protocol}'/></serial>`)
    expect(refusal(serial('RAW'))).toMatchObject({ message: "Invalid value for attribute 'type' in element 'protocol': 'RAW'." })
    expect(refusal(serial('RAW'), v9)).toMatchObject({ message: "Unknown protocol 'RAW'" })
    expect(predicts(serial('telnet'))).toContain("<protocol type='telnet'/>")
  })
})

describe("the i8042 PS/2 controller (virQEMUCapsSupportsI8042: QEMU's device on a PC machine)", () => {
  const pseries = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  const caps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'i8042', 'usb-kbd'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
  it('11.3 refuses a PS/2 input on pSeries even where its QEMU has the device; 9.0 takes it there', () => {
    expect(refusal(pseries("<input type='mouse' bus='ps2'/>"), { caps })).toMatchObject({ message: 'ps2 is not supported by this QEMU binary' })
    expect(predicts(pseries("<input type='mouse' bus='ps2'/>"), { caps, v9: true })).toContain("<input type='mouse' bus='ps2'/>")
  })
  it('11.3 adds no PS/2 inputs where QEMU lacks the device', () => {
    const without = capsXml({ flags: ['piix3-usb-uhci', 'pci-ohci'] })
    expect(predicts(x86Domain(''), { caps: without })).not.toContain("bus='ps2'")
    expect(predicts(x86Domain(''), { caps: without, v9: true })).toContain("<input type='mouse' bus='ps2'/>")
  })
})

describe("a controller's I/O threads (11.3's virDomainControllerDefValidate before the QEMU driver's checks)", () => {
  // (a USB controller whose model's number is virtio-scsi's passes the post-parse check of an I/O thread: model's iothreadPostParseModels)
  const usb = (driver: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><iothreads>2</iothreads><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci3'><driver ${driver}/></controller></devices></domain>`
  it('11.3 names the controller type first; 9.0 its QEMU driver\'s words', () => {
    expect(refusal(usb("iothread='2'"))).toMatchObject({ message: "iothreads are supported only by 'virtio-scsi' controllers" })
    expect(refusal(usb("iothread='2'"), v9)).toMatchObject({ message: "'iothread' is only supported for virtio-scsi controller" })
  })
  it('takes a SCSI controller of model `auto` as the default one (s390x: virtio-scsi)', () => {
    const s390 = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><iothreads>1</iothreads><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices><controller type='scsi' model='auto'><driver iothread='1'/></controller></devices></domain>`
    const caps = capsXml({ arch: 's390x', flags: ['virtio-scsi-ccw', 'virtio-ccw', 'virtio-scsi-pci', 'iothread'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
    expect(predicts(s390, { caps })).toContain("<controller type='scsi' index='0' model='virtio-scsi'>\n      <driver iothread='1'/>")
  })
})

describe("an RDP display (libvirt 11: QEMU's D-Bus display and the host's qemu-rdp helper, qemuRdpAvailable)", () => {
  const rdp = x86Domain("<graphics type='rdp'/>", 'q35')
  const caps = capsXml()
  it('refused where the host lacks qemu-rdp (seen on libvirtd 11.3, Debian trixie), taken where it has it', () => {
    expect(refusal(rdp, { caps, qemuRdp: false })).toMatchObject({ message: 'rdp graphics are not supported with this QEMU' })
    expect(predicts(rdp, { caps, qemuRdp: true })).toContain("<graphics type='rdp'")
  })
  it('not known: predicted as on a host that has it, and listed as not predicted', () => {
    const r = previewDomain(rdp, { qemuCaps: caps, abiUpdate: true })
    expect(r.xml).toContain("<graphics type='rdp'")
    expect(r.notPredicted.map((n) => n.reason).join('\n')).toContain('qemu-rdp')
    // (libvirt's test host mocks it: there)
    expect(previewDomain(rdp, { qemuCaps: caps, abiUpdate: true, testHost: 'latest' }).notPredicted.map((n) => n.reason).join('\n')).not.toContain('qemu-rdp')
  })
})

describe("USB switched off (11.3's parser sees an input's bus as written; the address assignment refuses the rest)", () => {
  const off = (input: string, machine = 'q35'): string => x86Domain(`<controller type='usb' model='none'/>${input}`, machine)
  it("a tablet without a bus: refused where USB addresses are assigned in 11.3, by the parser in 9.0", () => {
    expect(refusal(off("<input type='tablet'/>"))).toMatchObject({ message: 'USB is disabled for this domain, but USB devices are present in the domain XML' })
    expect(refusal(off("<input type='tablet'/>"), v9)).toMatchObject({ message: "Can't add USB input device. USB bus is disabled" })
    expect(refusal(off("<input type='tablet' bus='usb'/>"))).toMatchObject({ message: "Can't add USB input device. USB bus is disabled" })
  })
})

describe("a CPU topology's clusters (11.3's virCPUDefParseXML reads them after the dies; 9.0 knows none)", () => {
  const topology = (attrs: string): string => x86Domain('', 'q35').replace('<devices>', `<cpu><topology ${attrs}/></cpu><devices>`).replace('<memory', '<vcpu>4</vcpu><memory')
  it("refuses a cluster count that is not a number before the threads' in 11.3; 9.0 does not read it", () => {
    expect(refusal(topology("sockets='1' dies='1' clusters='1 ' cores='2' threads='1 '"))).toMatchObject({ message: "Invalid value for attribute 'clusters' in element 'topology': '1 '. Expected non-negative integer value" })
    expect(refusal(topology("sockets='1' dies='1' clusters='1 ' cores='2' threads='1 '"), v9)).toMatchObject({ message: "Invalid value for attribute 'threads' in element 'topology': '1 '. Expected non-negative integer value" })
    expect(refusal(topology("sockets='1' clusters='0' cores='4' threads='1'"))).toMatchObject({ message: "Invalid value for attribute 'clusters' in element 'topology': Zero is not permitted" })
  })
})

describe("a TPM emulator's state <source> (11.3: virDomainTPMDefParseXML, virDomainTPMDefFormat; seen on libvirtd 11.3)", () => {
  const tpm = (source: string): string => x86Domain(`<tpm model='tpm-crb'><backend type='emulator' version='2.0'>${source}</backend></tpm>`, 'q35')
  it('needs a path; is written back with its type and path alone, and not at all without a type', () => {
    expect(refusal(tpm("<source type='dir'/>"))).toMatchObject({ message: 'missing TPM source path' })
    expect(refusal(tpm("<source network='default'/>"))).toMatchObject({ message: 'missing TPM source path' })
    expect(predicts(tpm("<source type='dir' path='/a' mode='x'/><source type='file' path='/b'/>"))).toContain("<backend type='emulator' version='2.0'>\n        <source type='dir' path='/a'/>\n      </backend>")
    expect(predicts(tpm("<source path='/var/lib/x.img'/>"))).toContain("<backend type='emulator' version='2.0'/>")
  })
})
