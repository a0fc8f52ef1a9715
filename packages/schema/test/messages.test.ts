// What a person reads: every problem located (line, column in code points, libxml2's path) and,
// for an unknown name or a value outside a list, what the schema allows. Also: another schema set,
// and the errors this package throws.
import { describe, expect, it } from 'vitest'
import { createValidator, SchemaError } from '../src/index.ts'

const domain = (body: string, type = 'kvm') => `<domain type='${type}'>\n  <name>t</name>\n  <memory unit='MiB'>512</memory>\n  <os><type arch='x86_64'>hvm</type></os>\n${body}</domain>\n`

describe('findings on the shipped libvirt schema', () => {
  it('a valid domain has no errors, and the validator is shared per isolate', async () => {
    const validator = await createValidator()
    expect(await createValidator()).toBe(validator)
    expect(validator.validate(domain("  <devices><disk type='file' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/></disk></devices>\n"))).toEqual({ valid: true, errors: [] })
    expect(validator.validate(new TextEncoder().encode(domain('')))).toEqual({ valid: true, errors: [] })
  })

  it('names an unknown element and the elements allowed there', async () => {
    const { valid, errors } = (await createValidator()).validate(domain('  <devices>\n    <frobnicator/>\n  </devices>\n'))
    expect(valid).toBe(false)
    expect(errors[0]).toMatchObject({ code: 'schema-unknown-element', line: 6, column: 5, path: '/domain/devices/frobnicator' })
    expect(errors[0]!.message).toMatch(/^Unknown element `<frobnicator>` in `<devices>`: expected one of `audio`, `channel`,/)
    expect(errors[0]!.expected).toEqual(expect.arrayContaining(['disk', 'interface', 'tpm', 'watchdog']))
    // libxml2's own words follow, located and with the path of the element it names.
    expect(errors.filter((e) => e.code === 'schema-invalid')).toEqual([
      { code: 'schema-invalid', message: 'Extra element devices in interleave (at /domain/devices)', line: 5, column: 3, path: '/domain/devices', libxml2: 'Extra element devices in interleave' },
      { code: 'schema-invalid', message: 'Element domain failed to validate content (at /domain/devices)', line: 5, column: 3, path: '/domain/devices', libxml2: 'Element domain failed to validate content' },
    ])
  })

  it('names a bad attribute value and the values allowed (from the schema, through its refs)', async () => {
    const { errors } = (await createValidator()).validate(domain("  <devices><disk type='file' device='floppy-tape'><target dev='vda'/></disk></devices>\n"))
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', line: 5, column: 12, path: '/domain/devices/disk', expected: ['cdrom', 'disk', 'floppy', 'lun'] })
    expect(errors[0]!.message).toBe('Invalid value `floppy-tape` for attribute `device` of `<disk>`: expected one of `cdrom`, `disk`, `floppy`, `lun`.')
  })

  it('names a bad text value and the values allowed', async () => {
    const { errors } = (await createValidator()).validate(domain('  <on_crash>explode</on_crash>\n'))
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', line: 5, column: 3, path: '/domain/on_crash' })
    expect(errors[0]!.expected).toEqual(expect.arrayContaining(['destroy', 'restart', 'coredump-destroy']))
  })

  it('names a missing required attribute', async () => {
    const { errors } = (await createValidator()).validate(domain("  <devices><interface type='network'><source/></interface></devices>\n").replace(" type='kvm'", ''))
    expect(errors[0]).toMatchObject({ code: 'schema-missing-attribute', line: 1, column: 1, path: '/domain', expected: ['type'] })
    expect(errors[0]!.message).toBe('Missing attribute `type` on `<domain>`: the schema requires it.')
  })

  it('names an unknown attribute and the attributes allowed', async () => {
    const { errors } = (await createValidator()).validate(domain("  <devices><disk type='file' colour='red'><target dev='vda'/></disk></devices>\n"))
    expect(errors[0]).toMatchObject({ code: 'schema-unknown-attribute', path: '/domain/devices/disk' })
    expect(errors[0]!.expected).toEqual(expect.arrayContaining(['type', 'device', 'model', 'snapshot']))
  })

  it('gives paths with positions among same-named siblings, and columns in code points', async () => {
    const xml = "<domain type='kvm'><name>é€😀</name><memory>1</memory><os><type>hvm</type></os><devices><disk type='file'><target dev='vda'/></disk><disk type='file'><target dev='vdb' bus='floppy-bus'/></disk></devices></domain>"
    const { errors } = (await createValidator()).validate(xml)
    const column = [...xml.slice(0, xml.lastIndexOf('<target'))].length + 1
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', line: 1, column, path: '/domain/devices/disk[2]/target' })
  })

  it('says when a name is right but its namespace is not', async () => {
    const { errors } = (await createValidator()).validate("<domain xmlns='http://libvirt.org/schemas/domain/1.0' type='kvm'><name>x</name></domain>")
    expect(errors[0]).toMatchObject({ code: 'schema-unknown-element', path: '/domain', expected: ['domain'] })
    expect(errors[0]!.message).toBe('Unknown root element `<domain>` (it is in namespace `http://libvirt.org/schemas/domain/1.0`, the schema\'s is in none: remove the `xmlns`): expected `domain`.')
  })

  it('locates a document that is not well-formed', async () => {
    const { valid, errors } = (await createValidator()).validate('<domain type="kvm">\n  <name>x</nam>\n</domain>')
    expect(valid).toBe(false)
    expect(errors).toEqual([expect.objectContaining({ code: 'xml-malformed', line: 2, path: '' })])
    expect(errors[0]!.message).toMatch(/^Not well-formed XML: Opening and ending tag mismatch: name line 2 and nam/)
  })

  it('names a value outside a data type (a PCI bus past 0xff) with what the type takes', async () => {
    const { errors } = (await createValidator()).validate(domain("  <devices><disk type='file'><target dev='vda'/><address type='pci' domain='0x0000' bus='0x100' slot='0x00' function='0x0'/></disk></devices>\n"))
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', line: 5, path: '/domain/devices/disk/address', expected: ['(string matching 0x[0-9a-fA-F]{1,2})', '(int from 0 to 255)'] })
  })

  it('blames the one attribute that no form takes with the others', async () => {
    const { errors } = (await createValidator()).validate(domain("  <numatune><memory mode='strict' placement='auto' nodeset='0-3'/></numatune>\n"))
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', line: 5, path: '/domain/numatune/memory', expected: ['static'] })
    expect(errors[0]!.message).toBe('Invalid value `auto` for attribute `placement` of `<memory>` with its other attributes: expected `static`.')
  })

  it('names a missing required child element', async () => {
    const { errors } = (await createValidator()).validate(domain("  <devices><tpm model='tpm-tis'/></devices>\n"))
    expect(errors[0]).toMatchObject({ code: 'schema-missing-element', line: 5, path: '/domain/devices/tpm', expected: ['backend'] })
  })

  it('keeps libxml2’s verdict where no finding applies (a count), with its message located', async () => {
    const { valid, errors } = (await createValidator()).validate(domain('  <name>again</name>\n'))
    expect(valid).toBe(false)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e.code === 'schema-invalid' && e.line > 0 && e.path.startsWith('/domain'))).toBe(true)
  })
})

describe('another schema set', () => {
  const rng = `<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="pet"><attribute name="kind"><ref name="kinds"/></attribute><ref name="body"/></element></start>
  <include href="body.rng"/>
  <define name="kinds"><choice><value>cat</value><value>dog</value></choice></define>
</grammar>`
  const body = `<grammar xmlns="http://relaxng.org/ns/structure/1.0"><define name="body"><optional><element name="name"><text/></element></optional></define></grammar>`

  it('validates against the files given, includes resolved among them', async () => {
    const validator = await createValidator({ schemas: { 'pet.rng': rng, 'body.rng': new TextEncoder().encode(body) }, start: 'pet.rng' })
    expect(validator.schema).toEqual({ source: 'custom', version: undefined, start: 'pet.rng', files: ['body.rng', 'pet.rng'] })
    expect(validator.validate("<pet kind='cat'><name>Tom</name></pet>")).toEqual({ valid: true, errors: [] })
    const { errors } = validator.validate("<pet kind='cow'/>")
    expect(errors[0]).toMatchObject({ code: 'schema-bad-value', expected: ['cat', 'dog'], path: '/pet' })
  })

  it('throws SchemaError for a set libxml2 refuses, a missing start file, an input over the limit', async () => {
    await expect(createValidator({ schemas: { 'pet.rng': rng }, start: 'pet.rng' })).rejects.toMatchObject({ code: 'schema-set-invalid' })
    await expect(createValidator({ schemas: { 'pet.rng': rng } })).rejects.toMatchObject({ code: 'schema-start-missing' })
    await expect(createValidator({ schemas: { 'pet.rng': '<grammar' }, start: 'pet.rng' })).rejects.toBeInstanceOf(SchemaError)
    const small = await createValidator({ maxBytes: 100 })
    expect(() => small.validate(domain(''))).toThrow(expect.objectContaining({ code: 'schema-input-too-large' }))
  })
})
