// The small devices as libvirt 9.0 reads them — IOMMU, TPM, watchdog, panic, vsock, hub, lease, smartcard, USB
// redirection filter (own probes `h53-…`, each defined on the sandbox libvirtd 9.0 beside preview; the expected fragments
// and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }
const q35 = (devices: string, features = ''): string =>
  `<domain type='qemu'><name>h53</name><memory>1048576</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/>${features}</features><devices>${devices}</devices></domain>`

describe("an Intel IOMMU's address width (unsigned int aw_bits, virDomainIOMMUDefFormat's %d)", () => {
  it('is written back negative past 2^31 - 1', () => {
    expect(predicts(q35("<iommu model='intel'><driver aw_bits='4294967295'/></iommu>"), v9)).toContain("<driver aw_bits='-1'/>")
    expect(predicts(q35("<iommu model='intel'><driver aw_bits='2147483648'/></iommu>"), v9)).toContain("<driver aw_bits='-2147483648'/>")
    // (the near misses: 2^31 - 1 and 48 kept as written, a negative value refused by the unsigned reader)
    expect(predicts(q35("<iommu model='intel'><driver aw_bits='2147483647'/></iommu>"), v9)).toContain("<driver aw_bits='2147483647'/>")
    expect(predicts(q35("<iommu model='intel'><driver aw_bits='48'/></iommu>"), v9)).toContain("<driver aw_bits='48'/>")
    expect(refusal(q35("<iommu model='intel'><driver aw_bits='-1'/></iommu>"), v9).message).toContain("Invalid value for attribute 'aw_bits' in element 'driver': '-1'")
  })
})

describe("an external TPM's socket (virDomainTPMDefFormat)", () => {
  const external = (source: string): string => x86Domain(`<tpm model='tpm-crb'><backend type='external'>${source}</backend></tpm>`, 'q35')
  it("is written back as its type, mode and path alone: its reconnect read and not kept", () => {
    expect(predicts(external("<source type='unix' mode='connect' path='/tmp/s'><reconnect enabled='yes' timeout='5'/></source>"), v9))
      .toContain("<backend type='external'>\n        <source type='unix' mode='connect' path='/tmp/s'/>\n      </backend>")
    // (the near miss: a plain socket, the same)
    expect(predicts(external("<source type='unix' path='/tmp/s'/>"), v9))
      .toContain("<backend type='external'>\n        <source type='unix' mode='connect' path='/tmp/s'/>\n      </backend>")
  })
})

describe("an external TPM's backend, read as a character device of its <source>'s type (virDomainTPMDefParseXML, virDomainChrSourceDefParseXML)", () => {
  const external = (backend: string): string => x86Domain(`<tpm model='tpm-crb'><backend type='external'>${backend}</backend></tpm>`, 'q35')
  const unix = "<source type='unix' mode='connect' path='/tmp/s'/>"
  it("refuses what that parser refuses before the TPM's validation looks at the type", () => {
    expect(refusal(external("<source type='unix' mode='bogus' path='/tmp/s'/>"), v9).message).toBe("Invalid value for attribute 'mode' in element 'source': 'bogus'.")
    expect(refusal(external("<source type='unix' mode='connect' path='/tmp/s'><reconnect enabled='yes'/></source>"), v9).message).toBe("Missing required attribute 'timeout' in element 'reconnect'")
    expect(refusal(external(`${unix}<log file='/tmp/l' append='bogus'/>`), v9).message).toBe("Invalid value for attribute 'append' in element 'log': 'bogus'.")
    expect(refusal(external(`${unix}<log file='/tmp/l'/><log file='/tmp/m'/>`), v9).message).toBe('only one log element is allowed for character device')
    expect(refusal(external(`${unix}<protocol type='raw'/><protocol type='raw'/>`), v9).message).toBe('only one protocol element is allowed for character device')
    // (a TCP socket's switches and protocol: refused as read, before its type is refused)
    expect(refusal(external("<source type='tcp' mode='connect' host='127.0.0.1' service='4000' tls='bogus'/>"), v9).message).toBe("Invalid value for attribute 'tls' in element 'source': 'bogus'.")
    expect(refusal(external("<source type='tcp' mode='connect' host='127.0.0.1' service='4000'/><protocol type='bogus'/>"), v9).message).toBe("Unknown protocol 'bogus'")
    expect(refusal(external("<source type='file' path='/tmp/f' append='bogus'/>"), v9).message).toBe("Invalid value for attribute 'append' in element 'source': 'bogus'.")
    // (a QEMU vdagent's clipboard, then its mouse, whatever their order)
    expect(refusal(external("<source type='qemu-vdagent'><mouse mode='x'/><clipboard copypaste='x'/></source>"), v9).message).toBe("Invalid value for attribute 'copypaste' in element 'clipboard': 'x'.")
    expect(refusal(external("<source type='qemu-vdagent'><mouse/></source>"), v9).message).toBe("Missing required attribute 'mode' in element 'mouse'")
    // (the near misses: the TCP socket and file otherwise well written, refused for their type; a UDP one's two ends)
    expect(refusal(external("<source type='tcp' mode='connect' host='127.0.0.1' service='4000' tls='yes'/><protocol type='raw'/>"), v9).message).toBe("only source type 'unix' is supported for external TPM device")
    expect(refusal(external("<source type='udp' mode='connect' host='127.0.0.1' service='4000'/><source type='udp' mode='bind' host='127.0.0.1' service='4001'/>"), v9).message).toBe("only source type 'unix' is supported for external TPM device")
    expect(predicts(external(`${unix}<log file='/tmp/l' append='on'/><protocol type='raw'/>`), v9)).toContain(`<backend type='external'>\n        ${unix}\n      </backend>`)
  })
  it('reads no such part of an emulator or passthrough backend', () => {
    for (const backend of ["<backend type='emulator' version='2.0'>", "<backend type='passthrough'><device path='/dev/tpm0'/>"]) {
      for (const part of ["<source type='unix' mode='bogus' path='/tmp/s'/>", "<log file='/tmp/l' append='bogus'/>", "<protocol type='bogus'/>"]) {
        expect(predicts(x86Domain(`<tpm model='tpm-crb'>${backend}${part}</backend></tpm>`, 'q35'), v9)).toContain("<tpm model='tpm-crb'>")
      }
    }
  })
  it("takes its type from the first <source> that has one (XPath's string value), the first <source> counted as a second", () => {
    expect(refusal(external("<source/><source type='unix' mode='connect' path='/tmp/s'/>"), v9).message).toBe('only one source element is allowed for character device')
    expect(refusal(external("<source/>"), v9).message).toBe('missing external TPM backend type')
  })
})

describe("a passthrough TPM's host device (`string(./backend/device/@path)`, virDomainTPMDefParseXML)", () => {
  const passthrough = (devices: string): string => x86Domain(`<tpm model='tpm-tis'><backend type='passthrough'>${devices}</backend></tpm>`, 'q35')
  it('is the path of the first <device> that has one', () => {
    expect(predicts(passthrough("<device/><device path='/dev/tpm1'/>"), v9)).toContain("<backend type='passthrough'>\n        <device path='/dev/tpm1'/>\n      </backend>")
    expect(predicts(passthrough("<device x='1'/><device path='/dev/tpm3'/>"), v9)).toContain("<backend type='passthrough'>\n        <device path='/dev/tpm3'/>\n      </backend>")
    // (the near misses: the first of two paths; a first path written empty, read as none — the default device)
    expect(predicts(passthrough("<device path='/dev/tpm1'/><device path='/dev/tpm2'/>"), v9)).toContain("<backend type='passthrough'>\n        <device path='/dev/tpm1'/>\n      </backend>")
    expect(predicts(passthrough("<device path=''/><device path='/dev/tpm1'/>"), v9)).toContain("<backend type='passthrough'>\n        <device path='/dev/tpm0'/>\n      </backend>")
  })
})

describe("a smartcard's database written twice (`string(./database/text())`, virDomainSmartcardDefParseXML)", () => {
  const card = (database: string): string => x86Domain(`<smartcard mode='host-certificates'><certificate>a</certificate><certificate>b</certificate><certificate>c</certificate>${database}</smartcard>`, 'q35')
  it("is the first text node of any, in document order", () => {
    expect(predicts(card('<database/><database>/b</database>'), v9)).toContain('<certificate>c</certificate>\n      <database>/b</database>\n')
    expect(predicts(card('<database><x/></database><database>/b</database>'), v9)).toContain('<certificate>c</certificate>\n      <database>/b</database>\n')
    expect(refusal(card('<database/><database>rel</database>'), v9).message).toBe('expecting absolute path: rel')
    // (the near misses: the first's text when it has one; two without text, refused without a word)
    expect(predicts(card('<database>/a</database><database>/b</database>'), v9)).toContain('<certificate>c</certificate>\n      <database>/a</database>\n')
    expect(predicts(card('<database>/a<x/></database><database>/b</database>'), v9)).toContain('<certificate>c</certificate>\n      <database>/a</database>\n')
    expect(refusal(card('<database/><database/>'), v9).message).toBe('An error occurred, but the cause is unknown')
  })
})

describe('three TPMs (virDomainDefParseXML counts them before it reads any)', () => {
  const bad = "<tpm model='tpm-tis'><backend type='bogus'/></tpm>"
  const good = "<tpm model='tpm-crb'><backend type='passthrough'/></tpm>"
  it("are refused for their count before the first one's backend type", () => {
    expect(refusal(x86Domain(`${bad}${good}${good}`, 'q35'), v9).message).toBe('a maximum of two TPM devices is supported, one of them being a TPM Proxy device')
    // (the near miss: two, the first one's type refused)
    expect(refusal(x86Domain(`${bad}${good}`, 'q35'), v9).message).toBe("Invalid value for attribute 'type' in element 'backend': 'bogus'.")
  })
})
