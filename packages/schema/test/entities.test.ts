// Documents with a DOCTYPE: native xmllint (libxml2 2.9) validates an entity reference by its
// content; this libxml2 does so once the parser replaces it (XML_PARSE_NOENT). Verdicts as native,
// external entities never loaded, entity bombs refused.
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createValidator } from '../src/index.ts'
import { nativeVerdictsOf, shippedSchemas, xmllint } from './_native.ts'

const body = (poweroff: string) => `<domain type='kvm'><name>&n;</name><memory>1</memory><os><type>hvm</type></os><on_poweroff>${poweroff}</on_poweroff><description>&x;</description></domain>\n`
const dtd = `<!DOCTYPE domain [ <!ENTITY n "web"> <!ENTITY bad "explode"> <!ENTITY good "destroy"> <!ENTITY x SYSTEM "/etc/passwd"> ]>\n`
const laughs = `<!DOCTYPE domain [<!ENTITY l0 "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')}]>\n<domain type='kvm'><name>&l9;</name><memory>1</memory><os><type>hvm</type></os></domain>\n`
const documents = [dtd + body('&good;'), dtd + body('&bad;'), laughs]

it.skipIf(xmllint.skip)(`internal entities validated by their text, external ones never read, bombs refused — ${xmllint.label}`, async () => {
  const validator = await createValidator()
  const results = documents.map((d) => validator.validate(d))
  expect(results.map((r) => r.valid)).toEqual([true, false, false])
  expect(nativeVerdictsOf(join(shippedSchemas, 'domain.rng'), documents).map((v) => v.valid)).toEqual([true, false, false])
  expect(results[1]!.errors[0]).toMatchObject({ code: 'schema-invalid', line: 2, path: '/domain', libxml2: 'Extra element on_poweroff in interleave' })
  expect(results[2]!.errors).toEqual([expect.objectContaining({ code: 'xml-malformed', message: expect.stringMatching(/amplification/) })])
})
