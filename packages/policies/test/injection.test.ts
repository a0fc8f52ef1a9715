// Injection: values that look like XML — from specs, policy parameters, policy requests as a
// command line gives them, device aliases and serials — are either escaped (the composed domain
// has exactly the elements it should, and the value reads back as the same text) or refused with a
// typed error. They never alter the XML structure.
import { describe, expect, it } from 'vitest'
import { planAttach } from '@virtuned/hotplug'
import { fromSpec, parseLibvirtXml, serialize, toSpec, type DomainSpecInput } from '@virtuned/model'
import { parseXml, rootElement, VirtunedError, type Element } from '@virtuned/xml-core'
import { compose, definePolicy } from '../src/index.ts'

const hostdev = "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/></source></hostdev>"

/** Values that would change the document if pasted into XML unescaped. */
const hostile = [
  '<', '>', '&', '"', "'", ']]>', '&amp;', '&lt;x&gt;', '&#0;', '&nosuch;', 'a\nb', 'a\r\nb', 'tab\there', 'nul\u0000byte', '\uFFFE', '\uD800',
  `</name><devices>${hostdev}</devices><name>`,
  `'/><devices>${hostdev}</devices><x a='`,
  `"/><devices>${hostdev}</devices><x a="`,
  `</title></domain><domain><name>evil</name>`,
  '<![CDATA[</name>]]>', '<!-- </name> -->', '<?pi </name>?>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  '${label}', ' padded ', 'ua-x</alias><hostdev/>', 'vda\'/><hostdev/>',
]

/** Element paths of a document in order (`domain/devices/disk/source`), the shape injection would change. */
function shape(xml: string): string[] {
  const out: string[] = []
  const walk = (e: Element, path: string): void => {
    out.push(path)
    for (const c of e.children) if (c.type === 'element') walk(c, `${path}/${c.name}`)
  }
  const root = rootElement(parseXml(xml))!
  walk(root, root.name)
  return out
}

function elementsAt(xml: string, path: string): Element[] {
  const names = path.split('/')
  let level = [rootElement(parseXml(xml))!].filter((e) => e.name === names[0])
  for (const name of names.slice(1)) level = level.flatMap((e) => e.children.filter((c): c is Element => c.type === 'element' && c.name === name))
  return level
}

const text = (e: Element): string => e.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.value : '')).join('')

type Outcome = { refused: string } | { xml: string }

/** What `run` gives: the XML, or the code of the typed error it threw (anything else fails the test). */
function attempt(run: () => string): Outcome {
  try {
    return { xml: run() }
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(VirtunedError)
    return { refused: (error as VirtunedError).code }
  }
}

const baseSpec = {
  name: 'guest', memory: '1GiB', vcpus: 1,
  os: { kernel: '/boot/vmlinuz', cmdline: 'console=ttyS0' },
  disks: [{ source: { file: '/var/lib/images/a.qcow2' }, format: 'qcow2', serial: 'SER1', alias: 'ua-disk' }],
  nics: [{ type: 'network', source: 'default', alias: 'ua-nic' }],
} satisfies DomainSpecInput

/** Where each spec value goes, and how to read it back from the composed XML. */
const specFields: { field: string; plain?: string; with: (v: string) => DomainSpecInput; read: (xml: string) => string | undefined }[] = [
  { field: 'name', with: (v) => ({ ...baseSpec, name: v }), read: (xml) => text(elementsAt(xml, 'domain/name')[0]!) },
  { field: 'title', with: (v) => ({ ...baseSpec, title: v }), read: (xml) => text(elementsAt(xml, 'domain/title')[0]!) },
  { field: 'description', with: (v) => ({ ...baseSpec, description: v }), read: (xml) => text(elementsAt(xml, 'domain/description')[0]!) },
  { field: 'os.cmdline', with: (v) => ({ ...baseSpec, os: { ...baseSpec.os, cmdline: v } }), read: (xml) => text(elementsAt(xml, 'domain/os/cmdline')[0]!) },
  { field: 'os.kernel', with: (v) => ({ ...baseSpec, os: { ...baseSpec.os, kernel: `/boot/${v}` } }), read: (xml) => text(elementsAt(xml, 'domain/os/kernel')[0]!).slice('/boot/'.length) },
  { field: 'disks[0].source.file', with: (v) => ({ ...baseSpec, disks: [{ ...baseSpec.disks[0]!, source: { file: `/images/${v}` } }] }), read: (xml) => elementsAt(xml, 'domain/devices/disk/source')[0]!.attributes['file']!.slice('/images/'.length) },
  { field: 'disks[0].serial', with: (v) => ({ ...baseSpec, disks: [{ ...baseSpec.disks[0]!, serial: v }] }), read: (xml) => text(elementsAt(xml, 'domain/devices/disk/serial')[0]!) },
  { field: 'disks[0].alias', plain: 'ua-plain', with: (v) => ({ ...baseSpec, disks: [{ ...baseSpec.disks[0]!, alias: v }] }), read: (xml) => elementsAt(xml, 'domain/devices/disk/alias')[0]!.attributes['name'] },
  { field: 'nics[0].source', with: (v) => ({ ...baseSpec, nics: [{ ...baseSpec.nics[0]!, source: v }] }), read: (xml) => elementsAt(xml, 'domain/devices/interface/source')[0]!.attributes['network'] },
  { field: 'nics[0].alias', plain: 'ua-plain', with: (v) => ({ ...baseSpec, nics: [{ ...baseSpec.nics[0]!, alias: v }] }), read: (xml) => elementsAt(xml, 'domain/devices/interface/alias')[0]!.attributes['name'] },
]

describe('injection through spec values', () => {
  it.each(specFields)('$field: escaped or refused, never a new element', ({ field, plain, with: withValue, read }) => {
    // The shape with a harmless value in the same place.
    const expected = shape(compose(withValue(plain ?? 'plain'), { os: 'debian11' }).xml)
    let escaped = 0
    for (const value of hostile) {
      const what = `${field} = ${JSON.stringify(value)}`
      // fromSpec alone, then the whole composition.
      const written = attempt(() => serialize(fromSpec(withValue(value))))
      const composed = attempt(() => compose(withValue(value), { os: 'debian11' }).xml)
      expect('refused' in written, what).toBe('refused' in composed)
      if ('refused' in composed) {
        expect(composed.refused, what).toMatch(/^model-invalid-spec$/)
        continue
      }
      escaped++
      expect(shape(composed.xml), what).toEqual(expected)
      expect(read(composed.xml), what).toBe(value)
      // And toSpec reads the same value back.
      expect(JSON.stringify(toSpec(composed.xml).spec), what).toContain(JSON.stringify(value).slice(1, -1))
    }
    // Free-text fields take many of these values as text; aliases refuse them all, serials all but ' padded '.
    if (/alias/.test(field)) expect(escaped, field).toBe(0)
    else if (/serial/.test(field)) expect(escaped, field).toBe(1)
    else expect(escaped, field).toBeGreaterThan(5)
  })

  it('refuses characters XML cannot carry (NUL, U+FFFE, lone surrogates) in every text field', () => {
    for (const { field, with: withValue } of specFields) {
      for (const value of ['nul\u0000byte', '\uFFFE', '\uD800']) {
        expect(attempt(() => serialize(fromSpec(withValue(value)))), `${field} = ${JSON.stringify(value)}`).toEqual({ refused: 'model-invalid-spec' })
      }
    }
  })

  it('keeps a hostile name, title and description as text through a parse of the composed domain', () => {
    const value = `</name><devices>${hostdev}</devices><name>`
    const xml = compose({ ...baseSpec, title: value, description: `a\r\nb ]]> & ${value}` }, { os: 'debian11' }).xml
    expect(elementsAt(xml, 'domain/devices/hostdev')).toEqual([])
    expect(text(elementsAt(xml, 'domain/title')[0]!)).toBe(value)
    expect(text(elementsAt(xml, 'domain/description')[0]!)).toBe(`a\r\nb ]]> & ${value}`)
  })
})

describe('injection through policy parameters', () => {
  const labelled = definePolicy({
    name: 'labelled', version: 1, description: 'A test policy with a free-form string parameter, used in text and in an attribute.',
    parameters: { label: { type: 'string', default: 'plain', description: 'any text' } },
    prefer: "<description>${label}</description><devices><shmem name='${label}'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem></devices>",
  })
  const library = { labelled }
  const expected = shape(compose(baseSpec, { os: 'debian11', library, policies: [{ name: 'labelled', parameters: { label: 'plain' } }] }).xml)

  it('escapes a string parameter in text and in attributes, or refuses it', () => {
    const refused: string[] = []
    for (const value of hostile) {
      const what = `label = ${JSON.stringify(value)}`
      const composed = attempt(() => compose(baseSpec, { os: 'debian11', library, policies: [{ name: 'labelled', parameters: { label: value } }] }).xml)
      if ('refused' in composed) {
        expect(composed.refused, what).toBe('policy-bad-parameter')
        refused.push(value)
        continue
      }
      expect(shape(composed.xml), what).toEqual(expected)
      expect(text(elementsAt(composed.xml, 'domain/description')[0]!), what).toBe(value)
      expect(elementsAt(composed.xml, 'domain/devices/shmem')[0]!.attributes['name'], what).toBe(value)
    }
    // Only what XML cannot carry at all is refused.
    expect(refused).toEqual(['nul\u0000byte', '\uFFFE', '\uD800'])
  })

  it('reads `name:param=value` requests (as a command line gives them) without letting the value out', () => {
    for (const value of hostile.filter((v) => !v.includes(','))) {
      const what = `labelled:label=${JSON.stringify(value)}`
      const composed = attempt(() => compose(baseSpec, { os: 'debian11', library, policies: [`labelled:label=${value}`] }).xml)
      if ('refused' in composed) { expect(composed.refused, what).toBe('policy-bad-parameter'); continue }
      expect(shape(composed.xml), what).toEqual(expected)
      expect(text(elementsAt(composed.xml, 'domain/description')[0]!), what).toBe(value)
    }
  })

  it('regression: keeps tabs and line ends of a parameter in an attribute, and a value with `=` or `:` whole', () => {
    const xml = compose(baseSpec, { os: 'debian11', library, policies: ['labelled:label=a=b:c\td\r\ne'] }).xml
    expect(elementsAt(xml, 'domain/devices/shmem')[0]!.attributes['name']).toBe('a=b:c\td\r\ne')
    expect(text(elementsAt(xml, 'domain/description')[0]!)).toBe('a=b:c\td\r\ne')
    expect(attempt(() => compose(baseSpec, { os: 'debian11', library, policies: [{ name: 'labelled', parameters: { label: 'a\u0000' } }] }).xml)).toEqual({ refused: 'policy-bad-parameter' })
  })

  it('refuses hostile policy names, OS ids and integer parameters with typed errors', () => {
    for (const value of hostile) {
      expect(attempt(() => compose(baseSpec, { os: 'debian11', policies: [value] }).xml), `policy ${JSON.stringify(value)}`).toMatchObject({ refused: expect.stringMatching(/^policy-(unknown|bad-parameter)$/) })
      expect(attempt(() => compose(baseSpec, { os: value }).xml), `os ${JSON.stringify(value)}`).toEqual({ refused: 'defaults-unknown-os' })
      expect(attempt(() => compose(baseSpec, { os: 'debian11', policies: [{ name: 'hotplug-ready', parameters: { ports: value } }] }).xml), `ports ${JSON.stringify(value)}`).toEqual({ refused: 'policy-bad-parameter' })
    }
  })
})

describe('injection through hot-plug aliases and serials', () => {
  const live = "<domain type='kvm'><name>l</name><os><type machine='q35'>hvm</type></os><devices><controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/></devices></domain>"
  const escapeText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const escapeAttribute = (v: string) => escapeText(v).replace(/'/g, '&apos;').replace(/"/g, '&quot;')

  function check(what: string, run: () => ReturnType<typeof planAttach>, read: (device: Element) => string | undefined, value: string, codes: readonly string[]): 'ok' | 'problem' | 'refused' {
    let plan: ReturnType<typeof planAttach>
    try {
      plan = run()
    } catch (error) {
      expect(error, `${what}: ${String(error)}`).toBeInstanceOf(VirtunedError)
      return 'refused'
    }
    if (!plan.ok) {
      for (const p of plan.problems) expect(codes, `${what}: ${p.message}`).toContain(p.code)
      return 'problem'
    }
    const device = parseLibvirtXml(plan.xml).root
    // One disk with its own children, nothing else: the value stayed a value.
    expect(device.name, what).toBe('disk')
    expect(device.children.filter((c): c is Element => c.type === 'element').map((c) => c.name).sort(), what).toEqual(['alias', 'serial', 'source', 'target'])
    expect(read(device), what).toBe(value)
    return 'ok'
  }

  it('refuses hostile aliases given as an option, and in the device XML', () => {
    for (const value of hostile) {
      const device = "<disk type='file' device='disk'><source file='/b.img'/></disk>"
      expect(check(`alias option ${JSON.stringify(value)}`, () => planAttach(live, device, { alias: value }), (d) => d.children.find((c): c is Element => c.type === 'element' && c.name === 'alias')?.attributes['name'], value, ['INVALID_ALIAS'])).toBe('problem')
      const withAlias = `<disk type='file' device='disk'><source file='/b.img'/><alias name='${escapeAttribute(value)}'/></disk>`
      if (value.includes('\u0000') || value === '\uFFFE' || value === '\uD800') continue
      expect(check(`alias element ${JSON.stringify(value)}`, () => planAttach(live, withAlias), () => undefined, value, ['INVALID_ALIAS'])).toBe('problem')
    }
  })

  it('refuses hostile serials in the device XML and in a device spec', () => {
    for (const value of hostile) {
      if (value.includes('\u0000') || value === '\uFFFE' || value === '\uD800') continue
      const device = `<disk type='file' device='disk'><source file='/b.img'/><serial>${escapeText(value)}</serial></disk>`
      expect(check(`serial element ${JSON.stringify(value)}`, () => planAttach(live, device), () => undefined, value, ['INVALID_SERIAL'])).toBe('problem')
    }
    for (const value of hostile) {
      const outcome = check(`serial spec ${JSON.stringify(value)}`, () => planAttach(live, { disk: { source: { file: '/b.img' }, serial: value } }), (d) => text(d.children.find((c): c is Element => c.type === 'element' && c.name === 'serial')!), value, ['INVALID_SERIAL'])
      expect(outcome, value).not.toBe('ok')
    }
  })

  it('keeps a hostile file path a value of the source', () => {
    for (const value of hostile) {
      const outcome = check(`source ${JSON.stringify(value)}`, () => planAttach(live, { disk: { source: { file: `/i/${value}` } } }), (d) => d.children.find((c): c is Element => c.type === 'element' && c.name === 'source')?.attributes['file']?.slice(3), value, [])
      if (value.includes('\u0000') || value === '\uFFFE' || value === '\uD800') expect(outcome, value).toBe('refused')
    }
  })
})

