// What libvirt says of malformed domain XML (libvirtXmlSyntaxError): libxml2's first fatal error in libvirt's frame, the
// line it stopped on and the pointer. The cases in fixtures/libxml2/malformed-domains.json are what libvirtd 9.0 said for
// each, word for word (one per kind of error, on the first line and on a later one).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { libvirtIgnoredDoctype, libvirtXmlSyntaxError } from '../src/index.ts'

const { cases } = JSON.parse(readFileSync(new URL('../../../fixtures/libxml2/malformed-domains.json', import.meta.url), 'utf8')) as { cases: { xml: string; libvirtd: string }[] }

describe("libvirtXmlSyntaxError: libvirtd 9.0's words for malformed XML", () => {
  it('has a case of each kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60)
  })
  it.each(cases.map((c) => [c.libvirtd.split('\n')[0]!, c]))('%s', (_, c) => {
    expect(libvirtXmlSyntaxError(c.xml)?.message).toBe(c.libvirtd)
  })
})

describe('libvirtXmlSyntaxError', () => {
  it('finds nothing in well-formed documents (prefixes, references, CDATA, comments, PIs, a declaration, a BOM)', () => {
    for (const xml of [
      "<domain type='qemu'><name>a</name></domain>",
      "\ufeff<?xml version='1.0' encoding='UTF-8' standalone='no'?>\n<!-- c --><?pi x?>\n<domain type='qemu'>\r\n<name>a&amp;&#x41;&#65;</name><![CDATA[x]]]><a:b x:c='1'></a:b></domain>\n<!-- after -->\n",
      "<domain>" + '<a>'.repeat(256) + '</a>'.repeat(256) + '</domain>',
    ]) expect(libvirtXmlSyntaxError(xml)).toBeUndefined()
  })
  it('names the document as libvirt does: `(domain_definition)` for virsh define, a path where libvirt reads a file', () => {
    expect(libvirtXmlSyntaxError('<dom\n', 'ABS_SRCDIR/qemuxmlconfdata/broken-xml-invalid.xml')).toEqual({
      message: "ABS_SRCDIR/qemuxmlconfdata/broken-xml-invalid.xml:2: Couldn't find end of Start Tag dom line 1\n(null)\n^",
      reason: "Couldn't find end of Start Tag dom line 1", line: 2, column: 1, offset: 5,
    })
  })
  it("libvirt 11's frame: `at line N` for a string, the file's path for a file, and the last line quoted where the parser stopped at the end", () => {
    // (libvirt 11.3's own test, qemuxmlconfdata/broken-xml-invalid.x86_64-latest.err, byte for byte)
    expect(libvirtXmlSyntaxError('<dom\n', 'ABS_SRCDIR/qemuxmlconfdata/broken-xml-invalid.xml', 11_003_000)?.message)
      .toBe("ABS_SRCDIR/qemuxmlconfdata/broken-xml-invalid.xml:2: Couldn't find end of Start Tag dom line 1\n<dom\n----^")
    // (virsh define on libvirtd 11.3, Debian trixie)
    const cut = "<domain type='qemu'><name>m1</name><devices></devices>\n"
    expect(libvirtXmlSyntaxError(cut, undefined, 11_003_000)?.message).toBe(`at line 2: Premature end of data in tag domain line 1\n${cut.trimEnd()}\n${'-'.repeat(cut.length - 1)}^`)
    expect(libvirtXmlSyntaxError(new TextEncoder().encode(cut), undefined, 11_003_000)?.message).toBe(`at line 2: Premature end of data in tag domain line 1\n${cut.trimEnd()}\n${'-'.repeat(cut.length - 1)}^`)
    expect(libvirtXmlSyntaxError(cut)?.message).toBe('(domain_definition):2: Premature end of data in tag domain line 1\n(null)\n^')
    // (a place before the end: the same line and pointer in both)
    expect(libvirtXmlSyntaxError('<domain><devices></domain>', undefined, 11_003_000)?.message.split('\n').slice(1)).toEqual(libvirtXmlSyntaxError('<domain><devices></domain>')?.message.split('\n').slice(1))
  })
  it('the place: a column in characters, the pointer in bytes (a tab kept), the line libxml2 counts', () => {
    const found = libvirtXmlSyntaxError("<domain>\n\t<name>é</name>\n\t</domain>x")!
    expect(found).toMatchObject({ line: 3, column: 11, offset: 35, reason: 'Extra content at the end of the document' })
    expect(found.message.split('\n').slice(1)).toEqual(['\t</domain>x', '\t---------^'])
    expect(libvirtXmlSyntaxError("<domain>\n\t<name>é&</name></domain>")!.message.split('\n').slice(1)).toEqual(['\t<name>é&</name></domain>', '\t---------^'])
  })
  it('the 258th element open at once is past libxml2 depth limit (libvirt does not lift it)', () => {
    const deep = (n: number): string => '<domain>' + '<a>\n'.repeat(n) + '</a>'.repeat(n) + '</domain>'
    expect(libvirtXmlSyntaxError(deep(256))).toBeUndefined()
    expect(libvirtXmlSyntaxError(deep(257))).toMatchObject({ reason: 'Excessive depth in document: 256 use XML_PARSE_HUGE option', line: 257 })
  })
  it('reads past a document type declaration; says it does not follow one with declarations in its internal subset', () => {
    expect(libvirtXmlSyntaxError('<!DOCTYPE domain><domain><</domain>')?.reason).toBe('StartTag: invalid element name')
    expect(libvirtXmlSyntaxError("<!DOCTYPE domain [<!ENTITY a 'b'>]><domain><</domain>")).toBeUndefined()
  })
  it('libvirtIgnoredDoctype: where a declaration libvirt reads past stands', () => {
    expect(libvirtIgnoredDoctype("<?xml version='1.0'?>\n<!-- c -->\n<!DOCTYPE domain SYSTEM 'domain.dtd'>\n<domain/>")).toEqual({ start: 33, end: 70 })
    expect(libvirtIgnoredDoctype('<!DOCTYPE domain [ ]><domain/>')).toEqual({ start: 0, end: 21 })
    for (const xml of ['<domain/>', "<!DOCTYPE domain [<!ENTITY a 'b'>]><domain/>", "<!DOCTYPE domain SYSTEM'x'><domain/>", '<domain/><!DOCTYPE domain>'])
      expect(libvirtIgnoredDoctype(xml), xml).toBeUndefined()
  })
  it('reads text as UTF-8 whatever the XML declaration names (libvirt hands libxml2 a string)', () => {
    expect(libvirtXmlSyntaxError("<?xml version='1.0' encoding='ISO-8859-1'?><domain>é&</domain>")?.reason).toBe('xmlParseEntityRef: no name')
    expect(libvirtXmlSyntaxError("<?xml version='1.0' encoding='ISO-8859-1'?><domain>é</domain>")).toBeUndefined()
    // (a blank before `standalone` is asked for after another encoding only: libxml2 keeps UTF-8 and UTF-16 as names)
    expect(libvirtXmlSyntaxError("<?xml version='1.0' encoding='UTF-8'standalone='yes'?><domain/>")).toBeUndefined()
    expect(libvirtXmlSyntaxError("<?xml version='1.0' encoding='latin1'standalone='yes'?><domain/>")?.reason).toBe('Blank needed here')
  })
  it('ends a text at its first NUL, as libvirt reads a C string', () => {
    expect(libvirtXmlSyntaxError('<domain><name>a</name></domain>\0garbage')).toBeUndefined()
    expect(libvirtXmlSyntaxError('<domain><name>a\0</name></domain>')).toMatchObject({ reason: 'Premature end of data in tag name line 1', offset: 15 })
    expect(libvirtXmlSyntaxError('\0<domain/>')?.reason).toBe('Document is empty')
    expect(libvirtXmlSyntaxError(new TextEncoder().encode('<domain/>\0\xff'))).toBeUndefined()
  })
})

const bytes = JSON.parse(readFileSync(new URL('../../../fixtures/libxml2/prologs-and-bytes.json', import.meta.url), 'utf8')) as { cases: { name: string; bytes: string; libvirtd: string | null }[] }

describe("libvirtXmlSyntaxError on bytes: libvirtd 9.0's words for bytes that are not UTF-8", () => {
  it.each(bytes.cases.map((c) => [c.name, c]))('%s', (_, c) => {
    const found = libvirtXmlSyntaxError(Uint8Array.from(Buffer.from(c.bytes, 'base64')))
    // (a refusal of a well-formed document is another check's: none here)
    if (c.libvirtd === null || !c.libvirtd.startsWith('(domain_definition):')) expect(found).toBeUndefined()
    else expect(found?.message).toBe(c.libvirtd)
  })
  it('places the error by characters in the text read (offset, column) and by bytes in the pointer', () => {
    const found = libvirtXmlSyntaxError(Uint8Array.from([...new TextEncoder().encode("<domain>\n <a>é"), 0xe9, ...new TextEncoder().encode('xyz</a></domain>')]))!
    expect(found).toMatchObject({ line: 2, column: 6, offset: 14, reason: 'Input is not proper UTF-8, indicate encoding !\nBytes: 0xE9 0x78 0x79 0x7A' })
    expect(found.message.split('\n').slice(2)).toEqual([' <a>é\ufffdxyz</a></domain>', '------^'])
  })
})
