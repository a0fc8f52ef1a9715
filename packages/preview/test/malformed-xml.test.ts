// Malformed domain XML refused in libvirt's words (model's libvirtXmlSyntaxError): `virsh define` prints libxml2's first
// fatal error with the line it stopped on and a pointer; preview throws that message (PreviewError
// `preview-malformed-xml`, its place the pointer's). Each message here is what libvirtd 9.0 said for the same input.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { XmlSyntaxError } from '@virtuned/xml-core'
import { previewDomain } from '../src/index.ts'
import { PreviewError } from '../src/errors.ts'
import { capsXml } from './_caps.ts'

// (libvirt 9.0's frame, as the daemon these messages come from gives it; 11.3's is below)
const options = { qemuCaps: capsXml(), abiUpdate: true, libvirtVersion: 9_000_000 }
const thrown = (xml: string | Uint8Array, o: typeof options | { qemuCaps: string; abiUpdate: boolean } = options): unknown => { try { previewDomain(xml, o) } catch (error) { return error } throw new Error('expected a refusal') }

describe("malformed XML in libvirt 11.3's frame (catchXMLError, seen on libvirtd 11.3)", () => {
  it('`at line N` for the text virsh define sends, the last line quoted where libxml2 stopped at the end', () => {
    const eleven = { qemuCaps: capsXml(), abiUpdate: true }
    expect((thrown('<dom\n', eleven) as Error).message).toBe("at line 2: Couldn't find end of Start Tag dom line 1\n<dom\n----^")
    expect(thrown("<domain type='qemu'><name>a</name></devices></domain>", eleven)).toMatchObject({
      code: 'preview-malformed-xml',
      message: "at line 1: Opening and ending tag mismatch: domain line 1 and devices\n<domain type='qemu'><name>a</name></devices></domain>\n--------------------------------------------^",
      place: { line: 1, column: 45, offset: 44 },
    })
  })
})

describe('malformed XML, in libvirt\'s words', () => {
  it('a tag mismatch, an unfinished start tag, a bare ampersand: the daemon\'s message whole, with its place', () => {
    const mismatch = thrown("<domain type='qemu'><name>a</name></devices></domain>")
    expect(mismatch).toBeInstanceOf(PreviewError)
    expect(mismatch).toMatchObject({
      code: 'preview-malformed-xml',
      message: "(domain_definition):1: Opening and ending tag mismatch: domain line 1 and devices\n<domain type='qemu'><name>a</name></devices></domain>\n--------------------------------------------^",
      place: { line: 1, column: 45, offset: 44 },
    })
    expect((thrown('<dom\n') as Error).message).toBe("(domain_definition):2: Couldn't find end of Start Tag dom line 1\n(null)\n^")
    expect((thrown(new TextEncoder().encode("<domain type='qemu'>\n  <name>a&b</name>\n</domain>")) as Error).message)
      .toBe("(domain_definition):2: EntityRef: expecting ';'\n  <name>a&b</name>\n-----------^")
  })
  it('a document nested past libxml2\'s 256 open elements is refused; one at the limit is read', () => {
    const domain = (depth: number): string => `<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><metadata>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</metadata></domain>`
    // (<domain> and <metadata> open: 255 more reach the 257 libxml2 takes)
    // (read: its elements in no namespace are dropped, as libvirt does)
    expect(previewDomain(domain(255), options).xml).toContain('<metadata/>')
    expect(thrown(domain(256))).toMatchObject({ code: 'preview-malformed-xml', message: expect.stringMatching(/^\(domain_definition\):1: Excessive depth in document: 256 use XML_PARSE_HUGE option\n/) })
  })
  it("a DOCTYPE with declarations in its internal subset keeps xml-core's error (preview expands no entity)", () => {
    expect(thrown("<!DOCTYPE domain [<!ENTITY a 'b'>]><domain type='qemu'><name>&a;</name></domain>")).toMatchObject({ code: 'xml-doctype-refused' })
    expect(thrown("<!DOCTYPE domain [<!ENTITY a 'b'>]><domain type='qemu'><</domain>")).toBeInstanceOf(XmlSyntaxError)
  })
})

const prologs = JSON.parse(readFileSync(new URL('../../../fixtures/libxml2/prologs-and-bytes.json', import.meta.url), 'utf8')) as { cases: { name: string; bytes: string; libvirtd: string | null }[] }

describe('documents as tools write them: bytes that are not UTF-8, a NUL, declarations of other encodings, DOCTYPEs', () => {
  // (each as libvirtd 9.0 took it; the live test, packages/cli/test/preview-oracle-bytes.e2e.test.ts, compares what it stored)
  it.each(prologs.cases.filter((c) => !/ENTITY/.test(Buffer.from(c.bytes, 'base64').toString('latin1'))).map((c) => [c.name, c]))('%s', (_, c) => {
    const bytes = Uint8Array.from(Buffer.from(c.bytes, 'base64'))
    const name = /<name>([^<]*)<\/name>/.exec(new TextDecoder().decode(bytes))?.[1]
    if (c.libvirtd === null) expect(previewDomain(bytes, options).xml).toContain(`<name>${name}</name>`)
    else if (c.libvirtd.startsWith('(domain_definition):')) expect(thrown(bytes)).toMatchObject({ code: 'preview-malformed-xml', message: c.libvirtd })
    // (refused by another check, in libvirt's words after its error class)
    else expect((thrown(bytes) as Error).message).toBe(c.libvirtd.replace(/^[a-z ]+error: /i, ''))
  })
  it('a NUL ends the document, in a text as in bytes (libvirt reads a C string)', () => {
    const body = "<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
    expect(previewDomain(`${body}\0`, options).xml).toBe(previewDomain(body, options).xml)
    expect(previewDomain(new TextEncoder().encode(`${body}\n\0\xff junk`), options).xml).toBe(previewDomain(body, options).xml)
    expect(thrown(body.replace('<name>a', '<name>a\0'))).toMatchObject({ code: 'preview-malformed-xml', message: expect.stringMatching(/^\(domain_definition\):1: Premature end of data in tag name line 1\n/) })
  })
  it('a DOCTYPE without declarations is read past, lines and columns kept for what follows', () => {
    const body = "<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
    expect(previewDomain(`<!DOCTYPE domain SYSTEM "domain.dtd">\n${body}`, options).xml).toBe(previewDomain(body, options).xml)
    expect(thrown(`<!DOCTYPE domain>\n${body.replace('<memory>1048576', '<memory unit="x">1048576')}`)).toMatchObject({ path: expect.stringContaining('memory') })
  })
})

describe('an XML declaration libxml2 refuses', () => {
  it('is refused in its words though xml-core would read on (`<?xml ?>`, a version 2.0); the plain ones read', () => {
    const body = "<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
    expect(thrown(`<?xml ?>${body}`)).toMatchObject({ code: 'preview-malformed-xml', message: `(domain_definition):1: Malformed declaration expecting version\n<?xml ?>${body}\n------^` })
    expect(thrown(`<?xml version='2.0'?>${body}`)).toMatchObject({ message: expect.stringMatching(/^\(domain_definition\):1: Unsupported version '2\.0'\n/) })
    for (const declaration of ["<?xml version='1.0'?>", '<?xml version="1.0" encoding="UTF-8"?>\n', "\ufeff<?xml version='1.1'?>", "<?xml version='1.0' encoding='ISO-8859-1'?>"]) expect(previewDomain(declaration + body, options).xml).toContain('<name>a</name>')
  })
})

describe('an XML declaration given as bytes', () => {
  it('is checked as the text is: refused in libxml2 words, the plain one read, with a byte order mark or without', () => {
    const body = "<domain type='qemu'><name>a</name><memory>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
    expect(thrown(bytes(`<?xml ?>${body}`))).toMatchObject({ code: 'preview-malformed-xml', message: expect.stringMatching(/^\(domain_definition\):1: Malformed declaration expecting version\n/) })
    expect(thrown(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(`<?xml version='2.0'?>${body}`)]))).toMatchObject({ message: expect.stringMatching(/^\(domain_definition\):1: Unsupported version '2\.0'\n/) })
    expect(previewDomain(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(`<?xml version='1.0'?>${body}`)]), options).xml).toContain('<name>a</name>')
  })
})
