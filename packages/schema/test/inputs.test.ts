// Inputs where libxml2 versions or readers could part ways — CDATA, comments and PIs inside values,
// character references, whitespace, BOM, Latin-1, XML 1.1, namespaces, foreign attributes, integer
// edges: the WebAssembly libxml2 gives native xmllint's verdict on each.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createValidator } from '../src/index.ts'
import { nativeVerdictsOf, shippedSchemas, xmllint } from './_native.ts'

const d = (name: string, extra = '', type = 'kvm') => `<domain type='${type}'><name>${name}</name><memory>1</memory><os><type>hvm</type></os>${extra}</domain>`
const m = (memory: string, unit = 'KiB') => `<domain type='kvm'><name>x</name><memory unit='${unit}'>${memory}</memory><os><type>hvm</type></os></domain>`
const cases: Record<string, string> = {
  'CDATA text': d('<![CDATA[web]]>'),
  'CDATA enum': d('x', '<on_poweroff><![CDATA[destroy]]></on_poweroff>'),
  'comment inside an enum': d('x', '<on_poweroff>des<!-- c -->troy</on_poweroff>'),
  'PI after an enum': d('x', '<on_poweroff>destroy<?pi x?></on_poweroff>'),
  'spaces around an enum': d('x', '<on_poweroff>  destroy\n</on_poweroff>'),
  'spaces around an attribute enum': d('x', '', ' kvm '),
  'tab in an attribute enum': d('x', '', 'kvm\t'),
  'CRLF around an enum': d('x', '<on_poweroff>\r\ndestroy\r\n</on_poweroff>'),
  'no-break space after an enum': d('x', '<on_poweroff>destroy\u00a0</on_poweroff>'),
  'character reference': d('x', '<on_poweroff>&#x64;estroy</on_poweroff>'),
  'empty name': d(''),
  'non-ASCII name': d('wéb😀'),
  'byte order mark': '\ufeff' + d('x'),
  'Latin-1 declared': `<?xml version='1.0' encoding='ISO-8859-1'?>${d('caf\u00e9')}`,
  'XML 1.1': `<?xml version="1.1"?>${d('x')}`,
  'standalone': `<?xml version="1.0" standalone="yes"?>${d('x')}`,
  'default namespace': d('x').replace('<domain ', "<domain xmlns='urn:x' "),
  'libvirt namespace on the root': d('x').replace('<domain ', "<domain xmlns='http://libvirt.org/schemas/domain/1.0' "),
  'xml:lang': d('x').replace('<domain ', "<domain xml:lang='en' "),
  'foreign attribute': d('x').replace('<domain ', "<domain xmlns:a='urn:a' a:b='c' "),
  'metadata in a namespace': d('x', "<metadata><app:x xmlns:app='urn:app'><y/></app:x></metadata>"),
  'metadata without one': d('x', '<metadata><x/></metadata>'),
  'unit with spaces': m('1', ' KiB '),
  'integer past unsignedLong': m('99999999999999999999999999'),
  'negative integer': m('-1'),
  'plus sign': m('+1'),
  'upper-case UUID': d('x', '<uuid>C7A5FDBD-EDAF-9455-926A-D65C16DB1809</uuid>'),
}

it.skipIf(xmllint.skip)(`${Object.keys(cases).length} tricky inputs: xmllint's verdict on each — ${xmllint.label}`, async () => {
  const validator = await createValidator()
  // Latin-1 is written as such: the declaration must be true to the bytes.
  const bytes = Object.entries(cases).map(([label, text]) => (label === 'Latin-1 declared' ? Buffer.from(text, 'latin1') : Buffer.from(text)))
  const native = nativeVerdictsOf(join(shippedSchemas, 'domain.rng'), bytes.map((b) => b.toString('latin1')), 'latin1')
  const verdicts = Object.fromEntries(Object.keys(cases).map((label, i) => [label, validator.validate(new Uint8Array(bytes[i]!)).valid]))
  expect(verdicts).toEqual(Object.fromEntries(Object.keys(cases).map((label, i) => [label, native[i]!.valid])))
  expect(Object.values(verdicts).filter((v) => !v).length).toBeGreaterThan(8)
})
