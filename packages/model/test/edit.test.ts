import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Element, Root } from '@virtuned/xml-core'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import {
  DomainModelError,
  addDevice,
  canonicalize,
  parseDevice,
  parseDomain,
  removeDevice,
  replaceDevice,
  serialize,
  setCurrentMemory,
  setDescription,
  setMemory,
  setName,
  setTitle,
  setVcpus,
  viewDomain,
  type LibvirtDocument,
} from '../src/index.ts'
import { errorOf } from './_helpers.ts'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

function frozenDomain(xml: string | Uint8Array): LibvirtDocument {
  return deepFreeze(parseDomain(xml))
}

/** The document with the given elements left out, as a canonical string. */
function canonicalWithout(document: LibvirtDocument, drop: (element: Element, parent: Element) => boolean): string {
  const prune = (element: Element): Element => ({
    ...element,
    children: element.children.filter((c) => c.type !== 'element' || !drop(c, element)).map((c) => (c.type === 'element' ? prune(c) : c)),
  })
  const root = prune(document.root)
  const tree: Root = { ...document.tree, children: document.tree.children.map((c) => (c === document.root ? root : c)) }
  return canonicalize({ kind: document.kind, tree, root })
}


const sample = `<?xml version="1.0"?>
<!-- kept as it is -->
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>old</name>
  <memory dumpCore='off' unit='MiB'>1024</memory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <source file='/a.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <!-- the NIC -->
    <interface type='network'>
      <source network='default'/>
    </interface>
    <video><model type='virtio'/></video>
  </devices>
  <qemu:commandline><qemu:arg value='-S'/></qemu:commandline>
</domain>
`

describe('edits', () => {
  it('set the name, title and description, creating elements in libvirt order', () => {
    const original = frozenDomain(sample)
    const renamed = setName(original, 'new')
    expect(viewDomain(renamed).name).toBe('new')
    expect(viewDomain(original).name).toBe('old')
    const titled = setDescription(setTitle(renamed, 'A title'), 'Text & more')
    expect(serialize(titled)).toContain("<name>new</name>\n  <title>A title</title>\n  <description>Text &amp; more</description>\n  <memory")
    // preserve style keeps the input's own layout, indentation copied for the new elements
    expect(serialize(titled, { style: 'preserve' })).toContain("  <name>new</name>\n  <title>A title</title>\n  <description>Text &amp; more</description>\n  <memory dumpCore='off'")
    expect(errorOf(() => setName(original, 'a/b'))).toMatchObject({ code: 'model-invalid-value', path: 'domain/name' })
    expect(errorOf(() => setName(original, ''))).toMatchObject({ code: 'model-invalid-value' })
    expect(errorOf(() => setTitle(original, 'two\nlines'))).toMatchObject({ code: 'model-invalid-value', path: 'domain/title' })
  })

  it('share every untouched subtree and keep what they do not address', () => {
    const original = frozenDomain(sample)
    const renamed = setName(original, 'new')
    const before = original.root.children
    const after = renamed.root.children
    expect(after.length).toBe(before.length)
    before.forEach((child, i) => {
      if (child.type === 'element' && child.name === 'name') expect(after[i]).not.toBe(child)
      else expect(after[i]).toBe(child)
    })
    // Top-level comment and XML declaration are still there, untouched.
    expect(renamed.tree.children.filter((c) => c !== renamed.root)).toEqual(original.tree.children.filter((c) => c !== original.root))
    expect(serialize(renamed)).toContain("<qemu:commandline>")
  })

  it('set memory in the unit already written when it divides, KiB otherwise', () => {
    const original = frozenDomain(sample)
    expect(serialize(setMemory(original, 2 * 1024 ** 3))).toContain("<memory dumpCore='off' unit='MiB'>2048</memory>")
    expect(serialize(setMemory(original, 1536 * 1024))).toContain("<memory dumpCore='off' unit='KiB'>1536</memory>")
    expect(serialize(setMemory(original, 2 * 1024 ** 3, { unit: 'GiB' }))).toContain("<memory dumpCore='off' unit='GiB'>2</memory>")
    expect(errorOf(() => setMemory(original, 1000))).toMatchObject({ code: 'model-invalid-value', path: 'domain/memory' })
    // <currentMemory> did not exist: created after <memory>, in KiB as libvirt prints it
    const withCurrent = setCurrentMemory(original, 512 * 1024 ** 2)
    expect(serialize(withCurrent)).toContain("unit='MiB'>1024</memory>\n  <currentMemory unit='KiB'>524288</currentMemory>\n  <vcpu")
    expect(viewDomain(withCurrent).currentMemory?.bytes).toBe(512 * 1024 ** 2)
  })

  it('set vCPUs, keeping placement and checking current', () => {
    const original = frozenDomain(sample)
    expect(serialize(setVcpus(original, 8))).toContain("<vcpu placement='static'>8</vcpu>")
    const withCurrent = setVcpus(original, 8, { current: 4 })
    expect(serialize(withCurrent)).toContain("<vcpu placement='static' current='4'>8</vcpu>")
    expect(errorOf(() => setVcpus(withCurrent, 2))).toMatchObject({ code: 'model-invalid-value', path: 'domain/vcpu/@current' })
    expect(errorOf(() => setVcpus(original, 0))).toMatchObject({ code: 'model-invalid-value', path: 'domain/vcpu' })
  })

  it('add devices after the devices libvirt prints before them', () => {
    const original = frozenDomain(sample)
    const disk = deepFreeze(parseDevice("<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"))
    const graphics = deepFreeze(parseDevice("<graphics type='vnc'/>"))
    const rng = deepFreeze(parseDevice("<rng model='virtio'><backend model='random'/></rng>"))
    const edited = addDevice(addDevice(addDevice(original, rng), graphics), disk)
    expect(viewDomain(edited).devices.disk.map((d) => d.target?.dev)).toEqual(['vda', 'sda'])
    const order = viewDomain(edited).element.children
      .flatMap((c) => (c.type === 'element' && c.name === 'devices' ? c.children : []))
      .flatMap((c) => (c.type === 'element' ? [c.name] : []))
    expect(order).toEqual(['emulator', 'disk', 'disk', 'interface', 'graphics', 'video', 'rng'])
    expect(errorOf(() => addDevice(original, parseDomain('<domain/>')))).toMatchObject({ code: 'model-unexpected-root' })
    expect(errorOf(() => addDevice(original, parseDevice('<emulator>/x</emulator>')))).toMatchObject({ code: 'model-unexpected-root' })
    // A domain without <devices> gets one, in its place.
    const bare = frozenDomain("<domain type='kvm'><name>x</name><memory>1024</memory><on_crash>destroy</on_crash><seclabel type='none'/></domain>")
    expect(serialize(addDevice(bare, graphics))).toBe("<domain type='kvm'>\n  <name>x</name>\n  <memory>1024</memory>\n  <on_crash>destroy</on_crash>\n  <devices>\n    <graphics type='vnc'/>\n  </devices>\n  <seclabel type='none'/>\n</domain>\n")
  })

  it('remove devices by view or by element, and say when nothing matched', () => {
    const original = frozenDomain(sample)
    const removed = removeDevice(original, (d) => d.kind === 'disk' && d.target?.dev === 'vda')
    expect(viewDomain(removed).devices.disk).toEqual([])
    expect(serialize(removed, { style: 'preserve' })).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>\n    <!-- the NIC -->')
    expect(removeDevice(original, (d) => d.kind === 'hostdev')).toBe(original)
    const nic = viewDomain(original).devices.interface[0]!.element
    expect(viewDomain(removeDevice(original, nic)).devices.interface).toEqual([])
  })

  it('replace exactly one device in place', () => {
    const original = frozenDomain(sample)
    const replacement = parseDevice("<interface type='bridge'><source bridge='br0'/></interface>")
    const replaced = replaceDevice(original, (d) => d.kind === 'interface', replacement)
    expect(viewDomain(replaced).devices.interface.map((i) => i.source)).toEqual([{ bridge: 'br0' }])
    expect(errorOf(() => replaceDevice(original, (d) => d.kind === 'hostdev', replacement)).code).toBe('model-device-not-found')
    expect(errorOf(() => replaceDevice(original, (d) => d.kind !== 'emulator', replacement)).code).toBe('model-device-ambiguous')
  })

  it('refuse device documents where a domain is needed', () => {
    const device = parseDevice('<disk/>')
    for (const edit of [() => setName(device, 'x'), () => setMemory(device, 1024), () => setVcpus(device, 1), () => addDevice(device, device), () => removeDevice(device, () => true)]) {
      expect(errorOf(edit).code).toBe('model-unexpected-root')
    }
  })
})

const corpus = locateCorpus()

describe.skipIf(!corpus.dir)(`edits over the corpus change only what they edit${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const dir = corpus.dir!
  // describe.skipIf still runs this body to collect the tests: no corpus, no files.
  const files = corpus.dir ? corpusFiles(dir, ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug/domains']) : []
  const newDisk = deepFreeze(parseDevice("<disk type='file' device='disk'><source file='/var/lib/virtuned/extra.qcow2'/><target dev='vdz' bus='virtio'/><alias name='ua-extra'/></disk>")).root
  const newNic = deepFreeze(parseDevice("<interface type='network'><source network='virtuned'/><model type='virtio'/></interface>")).root
  // A child of <domain> by name (not, say, <devices><memory>).
  const named = (name: string) => (e: Element, parent: Element) => e.name === name && parent.name === 'domain'

  it('on every domain file, with frozen inputs', () => {
    const problems: string[] = []
    for (const file of files) {
      const original = frozenDomain(new Uint8Array(readFileSync(join(dir, file))))
      const canonical = canonicalize(original)
      type Drop = (e: Element, parent: Element) => boolean
      const check = (what: string, result: LibvirtDocument, dropFromResult: Drop, dropFromOriginal: Drop = dropFromResult): void => {
        if (canonicalWithout(result, dropFromResult) !== canonicalWithout(original, dropFromOriginal)) problems.push(`${file}: ${what} changed more than it should`)
      }
      check('setName', setName(original, 'virtuned-edited'), named('name'))
      if (viewDomain(setName(original, 'virtuned-edited')).name !== 'virtuned-edited') problems.push(`${file}: setName`)
      check('setMemory', setMemory(original, 3 * 1024 ** 3), named('memory'))
      check('setVcpus', setVcpus(original, 64), named('vcpu'))

      const added = addDevice(original, newDisk)
      const hadDevices = original.root.children.some((c) => c.type === 'element' && c.name === 'devices')
      check('addDevice', added, hadDevices ? (e) => e === newDisk : named('devices'), hadDevices ? () => false : named('devices'))

      const view = viewDomain(original)
      const firstDisk = view.devices.disk[0]?.element
      if (firstDisk) check('removeDevice', removeDevice(original, firstDisk), () => false, (e) => e === firstDisk)
      const firstNic = view.devices.interface[0]?.element
      if (firstNic) check('replaceDevice', replaceDevice(original, firstNic, newNic), (e) => e === newNic, (e) => e === firstNic)

      // The frozen input is untouched.
      if (canonicalize(original) !== canonical) problems.push(`${file}: input changed`)
    }
    expect(problems).toEqual([])
  })
})
