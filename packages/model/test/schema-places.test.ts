// What libvirt's schemas take where (schemaPlace, tabulated by tools/schema-attributes.ts from libvirt 11.3's and 9.0's
// RelaxNG files) and the attributes it reads by type (attributesByType).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseXml, type Element } from '@virtuned/xml-core'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { attributeReads, attributesByType, childrenByType, deviceOrder, domainChildOrder, osKernelOptions, schemaPlace, schemaRoot, type SchemaPlace } from '../src/index.ts'

const corpus = locateCorpus()

const v9 = 9_000_000
const v11 = 11_003_000
const names = (set: ReadonlySet<string> | 'any' | undefined): string[] => (set === undefined ? [] : set === 'any' ? ['*'] : [...set].sort())

describe('schemaPlace', () => {
  it('gives the attributes of an element by its parent and name, per release', () => {
    expect(names(schemaPlace([], v11)?.attributes)).toEqual(['id', 'type'])
    expect(names(schemaPlace(['os', 'boot'], v11)?.attributes)).toEqual(['dev'])
    // (discard_no_unref came with libvirt 9.7, a topology's clusters with 10.1)
    expect(names(schemaPlace(['devices', 'disk', 'driver'], v11)?.attributes)).toContain('discard_no_unref')
    expect(names(schemaPlace(['devices', 'disk', 'driver'], v9)?.attributes)).not.toContain('discard_no_unref')
    expect(names(schemaPlace(['cpu', 'topology'], v9)?.attributes)).toEqual(['cores', 'dies', 'sockets', 'threads'])
    expect(names(schemaPlace(['cpu', 'topology'], v11)?.attributes)).toContain('clusters')
    // a release without the element: undefined (throttle groups came with 11.2)
    expect(schemaPlace(['throttlegroups'], v9)).toBeUndefined()
    expect(schemaPlace(['throttlegroups'], v11)).toBeDefined()
    expect(schemaPlace(['devices', 'disk', 'frobnicate'], v11)).toBeUndefined()
    // (by grandparent, parent and name: a disk's <target> takes no children, a memory device's does)
    expect([...schemaPlace(['devices', 'disk', 'target'], v11)!.children.keys()]).toEqual([])
    expect([...schemaPlace(['devices', 'memory', 'target'], v11)!.children.keys()]).toContain('size')
  })

  it('marks the elements that hold text (libvirt reads their string value)', () => {
    for (const release of [v9, v11]) {
      for (const path of [['os', 'loader'], ['cpu', 'model'], ['name'], ['devices', 'emulator']]) expect([path, schemaPlace(path, release)?.text]).toEqual([path, true])
      for (const path of [['devices'], ['devices', 'disk'], ['features', 'acpi'], ['devices', 'controller', 'model']]) expect([path, schemaPlace(path, release)?.text]).toEqual([path, false])
    }
  })

  it('marks where anything may stand below (metadata) and links each place to its children', () => {
    expect(schemaPlace(['metadata'], v11)?.anyChild).toBe(true)
    expect(schemaPlace(['devices'], v11)?.anyChild).toBe(false)
    const root = schemaRoot(v11)
    expect(root.children.get('devices')?.children.get('disk')).toBe(schemaPlace(['devices', 'disk'], v11))
    expect(schemaRoot(v9)).not.toBe(root)
  })

  it('knows every element model orders under <domain> and <devices> in libvirt 11.3', () => {
    // (the orders come from libvirt's formatter; the schema must take what the formatter writes — but <hwuuid> and <iommufd>,
    // which later releases write, 11.3 does not read yet)
    const root = schemaRoot(v11)
    expect(domainChildOrder.filter((name) => !name.includes(':') && !root.children.has(name))).toEqual(['hwuuid', 'iommufd'])
    expect(deviceOrder.filter((name) => !root.children.get('devices')!.children.has(name))).toEqual([])
  })
})

describe('attributesByType', () => {
  it("reads only what the schema's union takes there, and each type's own", () => {
    for (const release of [v9, v11]) {
      for (const [name, list] of attributesByType) {
        for (const byType of list) {
          // (the path to the element: below a device, a device's child, or a child of a device's child)
          const path = byType.parent?.[0] === 'domain' ? [name]
            : byType.parent?.[0] === 'backingStore' ? ['devices', 'disk', 'backingStore', name]
            : byType.grandparent === 'os' ? ['os', byType.parent![0]!, name]
            : byType.grandparent !== undefined && byType.grandparent !== 'devices' ? ['devices', byType.grandparent, byType.parent![0]!, name]
            : [...(byType.grandparent === 'devices' || byType.parent?.[0] === 'devices' ? ['devices'] : []), ...(byType.parent?.[0] === 'devices' ? [] : [byType.parent?.[0] ?? 'disk']), name]
          const union = names(schemaPlace(path, release)?.attributes)
          expect([name, byType.parent?.[0], union.length]).not.toEqual([name, byType.parent?.[0], 0])
          for (const [type, set] of byType.sets) {
            if ((type === 'vhostvdpa' || type === 'pipewire') && release === v9) continue
            // (libvirt 11's graphics user name and TPM emulator debug level: the 9.0 schema lacks them, and preview keeps only
            // what both take)
            // (and what the parser reads where the schema lacks it: attributeReads' outsideSchema — a host device interface's
            // source settings — and unwritten — a USB host device's autoAddress)
            const outside = (a: string): boolean => attributeReads.get(path.join('/'))?.some((r) => r[0] === a && (r[2]?.outsideSchema === true || r[2]?.unwritten === true)) ?? false
            expect([name, type, [...set].filter((a) => !union.includes(a) && !outside(a) && !(release === v9 && (a === 'username' || (name === 'backend' && a === 'debug'))))]).toEqual([name, type, []])
          }
        }
      }
    }
    expect([...attributesByType.get('source')![0]!.sets.get('file')!].sort()).toEqual(['fdgroup', 'file', 'startupPolicy'])
    // (a clock's by its offset — none is UTC —, the OS's children by the OS type's text: probes h14-ck-*, h14-init on libvirtd 9.0)
    const clock = attributesByType.get('clock')![0]!
    expect([clock.absent, [...clock.sets.get('utc')!].sort(), [...clock.sets.get('timezone')!].sort()]).toEqual(['utc', ['adjustment', 'offset'], ['offset', 'timezone']])
    const os = childrenByType.get('os')![0]!
    expect([os.by, os.byText, os.sets.get('hvm')!.has('init'), os.sets.get('hvm')!.has('kernel'), os.sets.get('exe')!.has('kernel')]).toEqual(['type', true, false, true, false])
    expect(attributesByType.get('address')![0]!.sets.get('pci')!.has('unit')).toBe(false)
    expect([...attributesByType.get('smartcard')![0]!.sets.get('host')!]).toEqual(['mode'])
    expect([...attributesByType.get('audio')![0]!.sets.get('none')!].sort()).toEqual(['id', 'timerPeriod', 'type'])
    expect([...attributesByType.get('source')!.find((b) => b.parent?.includes('input'))!.sets.get('passthrough')!]).toEqual(['evdev'])
    expect([...attributesByType.get('source')!.find((b) => b.parent?.includes('serial'))!.sets.get('tcp')!].sort()).toEqual(['host', 'mode', 'service', 'tls'])
    // (a type named like an Object member is no type: a Map, not a record)
    expect(attributesByType.get('address')![0]!.sets.get('toString')).toBeUndefined()
  })
  it("lists the kernel options virDomainDefParseBootKernelOptions reads by string(./os/NAME[1]) — <root> among them (probe h46-root-empty on libvirtd 9.0)", () => {
    expect([...osKernelOptions].sort()).toEqual(['cmdline', 'dtb', 'initrd', 'kernel', 'root', 'shim'])
    // (a full virtual machine reads every one; a container only the command line, which its init options read too)
    const os = childrenByType.get('os')![0]!
    expect(osKernelOptions.every((name) => os.sets.get('hvm')!.has(name))).toBe(true)
    expect(osKernelOptions.filter((name) => os.sets.get('exe')!.has(name))).toEqual(['cmdline'])
  })
})

describe.skipIf(!corpus.dir)(`what libvirt writes stands where schemaPlace takes it${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it("finds every element and attribute of libvirt 11.3's test outputs in the table (what preview drops, libvirt never writes)", () => {
    const dir = corpus.dir!
    const files = corpusFiles(dir, ['domains-out'])
    expect(files.length).toBe(548)
    const missing = new Set<string>()
    let elements = 0
    const walk = (e: Element, place: SchemaPlace, path: string): void => {
      elements++
      if (place.attributes !== 'any') for (const a of Object.keys(e.attributes)) if (!a.startsWith('xmlns') && !place.attributes.has(a)) missing.add(`${path}/@${a}`)
      if (place.anyChild) return
      for (const c of e.children) {
        if (c.type !== 'element' || c.name.includes(':')) continue
        const at = place.children.get(c.name)
        if (at) walk(c, at, `${path}/${c.name}`)
        else missing.add(`${path}/${c.name}`)
      }
    }
    for (const file of files) {
      const root = parseXml(readFileSync(join(dir, file), 'utf8')).children.find((c): c is Element => c.type === 'element')!
      walk(root, schemaRoot(v11), 'domain')
    }
    expect(elements).toBeGreaterThan(20_000)
    expect([...missing]).toEqual([])
  })

  it("finds every child of a disk's or an interface's source and of a graphics device that libvirt writes in its type's set (childrenByType)", () => {
    const dir = corpus.dir!
    const outside = new Set<string>()
    const sources = new Map<string, number>()
    for (const file of corpusFiles(dir, ['domains-out'])) {
      const root = parseXml(readFileSync(join(dir, file), 'utf8')).children.find((c): c is Element => c.type === 'element')!
      const devices = root.children.find((c): c is Element => c.type === 'element' && c.name === 'devices')
      for (const device of devices?.children ?? []) {
        if (device.type !== 'element') continue
        // (a device whose own children a type decides: graphics)
        const own = childrenByType.get(device.name)?.find((b) => b.parent?.includes('devices'))
        if (own) {
          const type = device.attributes[own.by] ?? own.absent
          sources.set(device.name, (sources.get(device.name) ?? 0) + 1)
          for (const c of device.children) if (c.type === 'element' && !own.sets.get(type)?.has(c.name)) outside.add(`${device.name} ${type}: ${c.name} (${file})`)
        }
        const byType = childrenByType.get('source')!.find((b) => b.parent?.includes(device.name))
        if (!byType) continue
        const type = device.attributes[byType.by] ?? byType.absent
        for (const source of device.children) {
          if (source.type !== 'element' || source.name !== 'source') continue
          sources.set(device.name, (sources.get(device.name) ?? 0) + 1)
          for (const c of source.children) if (c.type === 'element' && !byType.sets.get(type)?.has(c.name)) outside.add(`${device.name} ${type}: ${c.name} (${file})`)
        }
      }
    }
    expect(sources.get('disk')).toBeGreaterThan(300)
    expect(sources.get('interface')).toBeGreaterThan(15)
    expect(sources.get('graphics')).toBeGreaterThan(40)
    expect([...outside]).toEqual([])
  })
})
