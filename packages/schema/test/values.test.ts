// Attribute values and texts of valid corpus documents replaced by awkward ones (empty, signs, hex,
// overflowing integers, long, non-ASCII…): xmllint's verdict on each, and every finding — the
// explanation's claim of what is wrong — sits on the element that was changed, nowhere else.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createValidator } from '../src/index.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { nativeVerdictsOf, xmllint } from './_native.ts'

const corpus = locateCorpus()
const values = ['', ' ', '0', '-1', '0x', '0x10', 'yes', 'on', '1e3', '1.5', 'x'.repeat(300), 'é', '00:11:22:33:44:55', '2147483648', '18446744073709551616', 'auto', 'none', '/path', 'a b']

it.skipIf(corpus.dir === undefined || xmllint.skip)(`values replaced in corpus documents: xmllint's verdict, findings only where the change is — ${xmllint.label} ${corpus.reason}`, async () => {
  const validator = await createValidator()
  let seed = 7
  const pick = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n }
  const lineOf = (text: string, at: number) => text.slice(0, text.lastIndexOf('<', at)).split('\n').length
  const docs: { text: string; line: number }[] = []
  for (const file of corpusFiles(corpus.dir!, ['domains']).filter((_, i) => i % 6 === 0)) {
    const text = readFileSync(join(corpus.dir!, file), 'utf8')
    if (!validator.validate(text).valid) continue
    const attributes = [...text.matchAll(/ ([a-zA-Z_-]+)='([^']*)'/g)]
    for (let k = 0; k < 3 && attributes.length > 0; k++) {
      const a = attributes[pick(attributes.length)]!
      docs.push({ text: `${text.slice(0, a.index)} ${a[1]}='${values[pick(values.length)]}'${text.slice(a.index! + a[0].length)}`, line: lineOf(text, a.index!) })
    }
    const texts = [...text.matchAll(/>([^<\s][^<]*)</g)]
    if (texts.length > 0) {
      const t = texts[pick(texts.length)]!
      docs.push({ text: text.slice(0, t.index! + 1) + values[pick(values.length)] + text.slice(t.index! + 1 + t[1]!.length), line: lineOf(text, t.index!) })
    }
  }
  expect(docs.length).toBeGreaterThan(300)
  const native = nativeVerdictsOf(join(corpus.dir!, 'schemas/domain.rng'), docs.map((d) => d.text))
  let invalid = 0
  let explained = 0
  for (const [i, { text, line }] of docs.entries()) {
    const result = validator.validate(text)
    expect(result.valid, text).toBe(native[i]!.valid)
    if (result.valid) continue
    invalid++
    expect(result.errors[0]!.line).toBeGreaterThan(0)
    const findings = result.errors.filter((e) => e.code !== 'schema-invalid')
    for (const finding of findings) expect(finding.line, `${finding.message}\n${text}`).toBe(line)
    if (findings.length > 0) explained++
  }
  expect(invalid).toBeGreaterThan(200)
  // Nearly every refusal gets a finding that names the value and what the schema takes (327 of 341).
  expect(explained / invalid).toBeGreaterThan(0.9)
})
