// libxml2 in WebAssembly gives native xmllint's verdict, with the same schema files, on every
// document of libvirt's corpus, on libvirt's deliberately invalid inputs, and on documents mutated
// in the three ways the schema catches; every invalid document is located by line.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createValidator, type SchemaValidator } from '../src/index.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { nativeVerdicts, nativeVerdictsOf, schemaFiles, shippedSchemas, xmllint } from './_native.ts'

const corpus = locateCorpus()
const folders = ['domains', 'domains-out', 'generic', 'generic-out']

let validator: SchemaValidator
beforeAll(async () => { validator = await createValidator() })

describe.skipIf(corpus.dir === undefined)(`libvirt's corpus ${corpus.reason}`, () => {
  const dir = corpus.dir!
  const files = corpus.dir ? corpusFiles(dir, folders) : []

  it('ships the same schema files as the corpus (libvirt 11.3.0)', () => {
    expect(validator.schema).toMatchObject({ source: 'libvirt', version: '11.3.0', start: 'domain.rng' })
    expect(schemaFiles(shippedSchemas)).toEqual(schemaFiles(join(dir, 'schemas')))
  })

  it.skipIf(xmllint.skip)(`gives xmllint's verdict on all ${files.length} documents, each invalid one located by line — ${xmllint.label}`, () => {
    expect(files.length).toBeGreaterThan(1100)
    const native = nativeVerdicts(join(dir, 'schemas/domain.rng'), files.map((f) => join(dir, f)))
    const disagree: string[] = []
    const invalid: string[] = []
    for (const file of files) {
      const result = validator.validate(readFileSync(join(dir, file)))
      const expected = native.get(join(dir, file))!
      if (result.valid !== expected.valid) disagree.push(`${file}: wasm ${result.valid}, native ${expected.valid}`)
      if (!result.valid) {
        invalid.push(file)
        // Located: the first problem has a line, and it is one native xmllint names too.
        expect(result.errors[0]!.line, file).toBeGreaterThan(0)
        const libxml2Lines = result.errors.filter((e) => e.code === 'schema-invalid').map((e) => e.line)
        for (const line of expected.lines) expect(libxml2Lines, file).toContain(line)
      }
    }
    expect(disagree).toEqual([])
    expect(invalid.length).toBe(13)
  })

  it("rejects exactly libvirt's deliberately schema-invalid inputs (expected-parse-errors.txt)", () => {
    const rows = readFileSync(join(dir, 'expected-parse-errors.txt'), 'utf8').split('\n')
      .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'))
    const schemaInvalid = rows.filter((r) => r[1] === 'schema').map((r) => r[0]!)
    expect(schemaInvalid).toHaveLength(13)
    const first: Record<string, string> = {}
    for (const file of schemaInvalid) {
      const result = validator.validate(readFileSync(join(dir, file), 'utf8'))
      expect(result.valid, file).toBe(false)
      expect(result.errors.some((e) => e.line > 0 && e.path.startsWith('/domain')), file).toBe(true)
      first[file.replace(/^.*\//, '')] = `${result.errors[0]!.code} ${result.errors[0]!.path}`
    }
    // What a person reads first: the attribute, value or element at fault, for 10 of the 13.
    expect(first).toEqual({
      'disk-cdrom-empty-network-invalid.xml': 'schema-invalid /domain/devices',
      'disk-network-iscsi-auth-secrettype-invalid.xml': 'schema-missing-attribute /domain/devices/disk/auth/secret',
      'hostdev-scsi-vhost-rawio-invalid.xml': 'schema-bad-value /domain/devices/hostdev',
      'luks-disk-invalid.xml': 'schema-invalid /domain/devices',
      'machine-loadparm-s390-len-invalid.xml': 'schema-bad-value /domain/devices/disk/boot',
      'numatune-auto-nodeset-invalid.xml': 'schema-bad-value /domain/numatune/memory',
      'pci-bus-invalid.xml': 'schema-bad-value /domain/devices/interface/address',
      'pci-function-invalid.xml': 'schema-bad-value /domain/devices/interface/address',
      'pci-rom-disabled-invalid.xml': 'schema-bad-value /domain/devices/interface/rom',
      'pci-rom-disabled-invalid.x86_64-latest.xml': 'schema-bad-value /domain/devices/interface/rom',
      'throttlefilter-invalid.xml': 'schema-invalid /domain/devices',
      'tpm-no-backend-invalid.xml': 'schema-missing-element /domain/devices/tpm',
      'vhost_queues-invalid.xml': 'schema-bad-value /domain/devices/interface/driver',
    })
    // libvirt's parser refuses these for reasons the schema does not know: they are schema-valid.
    const parseOnly = rows.filter((r) => r[1] === 'parse' && !schemaInvalid.includes(r[0]!)).map((r) => r[0]!)
    expect(parseOnly.length).toBeGreaterThan(80)
    for (const file of parseOnly) {
      expect(validator.validate(readFileSync(join(dir, file), 'utf8')).valid, file).toBe(true)
    }
  })

  it.skipIf(xmllint.skip)(`checks domain capabilities against the shipped domaincaps.rng as xmllint does — ${xmllint.label}`, async () => {
    const caps = await createValidator({ start: 'domaincaps.rng' })
    expect(caps.schema).toMatchObject({ source: 'libvirt', version: '11.3.0', start: 'domaincaps.rng' })
    const files = corpusFiles(dir, ['domcaps'])
    expect(files.length).toBeGreaterThan(4)
    const native = nativeVerdicts(join(dir, 'schemas/domaincaps.rng'), files.map((f) => join(dir, f)))
    for (const file of files) expect(caps.validate(readFileSync(join(dir, file))).valid, file).toBe(native.get(join(dir, file))!.valid)
    expect(caps.validate('<domainCapabilities><path>/usr/bin/qemu</path><frobnicator/></domainCapabilities>').errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'schema-unknown-element', path: '/domainCapabilities/frobnicator', line: 1, column: 47 }),
      expect.objectContaining({ code: 'schema-missing-element', path: '/domainCapabilities', expected: ['domain'] }),
    ]))
  })

  describe('mutated documents', () => {
    // Every 8th valid document (about 140), each made invalid three ways the schema catches.
    const sample = files.filter((_, i) => i % 8 === 0)
      .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }))
      .filter(({ file, text }) => /<domain type='[^']*'/.test(text) && /<devices>/.test(text) && !/-invalid/.test(file))
    const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length
    const mutations = sample.flatMap(({ file, text }) => {
      const devices = text.indexOf('<devices>') + '<devices>'.length
      const root = text.indexOf("<domain type='")
      const target = text.search(/<target dev='[^']*'/)
      const out = [
        { file, kind: 'unknown element', code: 'schema-unknown-element', text: `${text.slice(0, devices)}<frobnicator/>${text.slice(devices)}`, line: lineOf(text, devices), path: '/domain/devices/frobnicator' },
        { file, kind: 'bad enum', code: 'schema-bad-value', text: text.replace(/<domain type='[^']*'/, "<domain type='bogus'"), line: lineOf(text, root), path: '/domain' },
        { file, kind: 'missing required attribute', code: 'schema-missing-attribute', text: text.replace(/<domain type='[^']*'/, '<domain'), line: lineOf(text, root), path: '/domain' },
      ]
      if (target >= 0 && /<disk /.test(text)) {
        out.push({ file, kind: 'missing target dev', code: 'schema-missing-attribute', text: text.replace(/<target dev='[^']*'/, '<target'), line: lineOf(text, target), path: '' })
      }
      return out
    })

    it.skipIf(xmllint.skip)(`${mutations.length} mutations: xmllint's verdict, located at the mutation, with a finding that says what is wrong — ${xmllint.label}`, () => {
      expect(mutations.length).toBeGreaterThan(300)
      const native = nativeVerdictsOf(join(dir, 'schemas/domain.rng'), mutations.map((m) => m.text))
      for (const [i, m] of mutations.entries()) {
        const result = validator.validate(m.text)
        const what = `${m.file} (${m.kind})`
        expect(native[i]!.valid, what).toBe(false)
        expect(result.valid, what).toBe(false)
        const finding = result.errors.find((e) => e.code === m.code && e.line === m.line)
        expect(finding, `${what}: ${JSON.stringify(result.errors.slice(0, 3))}`).toBeDefined()
        expect(finding!.column).toBeGreaterThan(0)
        if (m.path) expect(finding!.path).toBe(m.path)
        expect(result.errors[0], what).toBe(finding)
      }
    })
  })
})
