import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import {
  DomainModelError,
  domainSpecJsonSchema,
  domainSpecSchema,
  fromSpec,
  parseDomain,
  parseSpec,
  serialize,
  specFeatures,
  toSpec,
  validateSpec,
  viewDomain,
  type DomainSpec,
  type DomainSpecInput,
} from '../src/index.ts'
import { errorOf } from './_helpers.ts'

// Deterministic: a fixed seed and bounded runs.
const settings = { seed: 20261124, numRuns: 300 } as const


// ---- arbitraries -------------------------------------------------------------------

// Any XML character, with the ones that need escaping (and layout-looking ones) over-represented.
const xmlChar = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", '\t', '\r', ' ', ']', '-', '/', '\n', 'a', 'Z', '0'),
  fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
)
const xmlString = (min: number, max: number) => fc.array(xmlChar, { minLength: min, maxLength: max }).map((a) => a.join(''))
const oneLine = (min: number, max: number) => xmlString(min, max).map((s) => s.replace(/\n/g, ' '))
// Strings over a small alphabet (cheaper to generate than fc.stringMatching).
const over = (alphabet: string, min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''))
const lower = 'abcdefghijklmnopqrstuvwxyz'
const word = fc.tuple(fc.constantFrom(...lower), over(`${lower}0123456789_-`, 0, 10)).map(([a, b]) => a + b)
const userAlias = over(`${lower}0123456789_-`, 1, 8).map((s) => `ua-${s}`)
const absolutePath = fc.array(word, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`)
const kib = (maxKib: number) => fc.integer({ min: 1, max: maxKib }).map((k) => k * 1024)
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const diskArb = fc.record({
  device: fc.constantFrom('disk', 'cdrom', 'floppy', 'lun'),
  source: maybe(fc.oneof(
    absolutePath.map((file) => ({ file })),
    absolutePath.map((block) => ({ block })),
    fc.record({ pool: word, volume: oneLine(1, 12).map((v) => v.replace(/\//g, '_')) }),
    fc.record({
      protocol: fc.constantFrom('nbd', 'rbd', 'iscsi', 'http', 'https', 'gluster', 'ssh', 'nfs'),
      name: oneLine(1, 12),
      host: maybe(fc.record({ name: fc.constantFrom('ceph-mon', '192.0.2.7', '2001:db8::1', 'nfs.example'), port: maybe(fc.integer({ min: 1, max: 65535 })) }, { requiredKeys: ['name'] })),
    }, { requiredKeys: ['protocol', 'name'] }),
  )),
  target: maybe(fc.tuple(fc.constantFrom('vd', 'sd', 'hd', 'xvd', 'fd'), over(lower, 1, 3)).map(([p, s]) => p + s)),
  bus: maybe(fc.constantFrom('virtio', 'scsi', 'sata', 'ide', 'usb', 'fdc')),
  format: maybe(fc.constantFrom('raw', 'qcow2', 'vmdk', 'luks', 'iso')),
  readonly: fc.boolean(),
  shareable: fc.boolean(),
  serial: maybe(over(`${lower}ABCXYZ0123456789_.+ -`, 1, 12)),
  bootOrder: maybe(fc.integer({ min: 1, max: 9 })),
  alias: maybe(userAlias),
  cache: maybe(fc.constantFrom('none', 'writethrough', 'writeback', 'directsync', 'unsafe')),
  discard: maybe(fc.constantFrom('unmap', 'ignore')),
}, { requiredKeys: ['device', 'readonly', 'shareable'] })

const nicArb = fc.oneof(
  fc.record({ type: fc.constant('user' as const) }),
  fc.record({ type: fc.constant('network' as const), source: oneLine(1, 10) }),
  fc.record({ type: fc.constantFrom('bridge' as const, 'direct' as const), source: word }),
).chain((base) => fc.record({
  model: maybe(fc.constantFrom('virtio', 'e1000e', 'rtl8139')),
  mac: maybe(fc.tuple(fc.integer({ min: 0, max: 127 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 5, maxLength: 5 }))
    .map(([first, rest]) => [first * 2, ...rest].map((b) => b.toString(16).padStart(2, '0')).join(':'))),
  alias: maybe(userAlias),
  bootOrder: maybe(fc.integer({ min: 1, max: 9 })),
}).map((rest) => ({ ...base, ...rest })))

const graphicsArb = fc.oneof(
  fc.record({
    type: fc.constantFrom('vnc' as const, 'spice' as const, 'rdp' as const),
    listen: maybe(fc.constantFrom('127.0.0.1', '0.0.0.0', '::1', 'localhost', 'vnc.example.org')),
    port: maybe(fc.integer({ min: 1, max: 65535 })),
    autoport: maybe(fc.boolean()),
    password: maybe(oneLine(0, 10)),
  }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constantFrom('sdl' as const, 'egl-headless' as const, 'dbus' as const) }),
)

const topologyArb = fc.record({
  sockets: fc.integer({ min: 1, max: 4 }),
  dies: maybe(fc.integer({ min: 1, max: 2 })),
  clusters: maybe(fc.integer({ min: 1, max: 2 })),
  cores: fc.integer({ min: 1, max: 8 }),
  threads: fc.integer({ min: 1, max: 2 }),
}, { requiredKeys: ['sockets', 'cores', 'threads'] })

const osArb = fc.record({
  type: fc.constant('hvm' as const),
  arch: maybe(fc.constantFrom('x86_64', 'aarch64', 'riscv64', 's390x')),
  machine: maybe(fc.constantFrom('q35', 'pc', 'virt', 'pc-q35-8.2')),
  firmware: maybe(fc.constantFrom('bios' as const, 'efi' as const)),
  secureBoot: maybe(fc.boolean()),
  boot: fc.subarray(['hd', 'cdrom', 'network', 'fd'] as const).chain((b) => fc.shuffledSubarray(b, { minLength: b.length, maxLength: b.length })),
  kernel: maybe(absolutePath),
  initrd: maybe(absolutePath),
  cmdline: maybe(xmlString(0, 20)),
})

const rawSpec = fc.record({
  type: fc.constantFrom('kvm', 'qemu', 'hvf', 'xen'),
  name: xmlString(1, 20).map((n) => n.replace(/[/\n]/g, '_')),
  uuid: maybe(fc.uuid()),
  title: maybe(oneLine(1, 20)),
  description: maybe(xmlString(0, 40)),
  osinfo: maybe(fc.webUrl()),
  memory: kib(2 ** 32),
  currentMemoryShare: maybe(fc.integer({ min: 1, max: 100 })),
  vcpus: fc.integer({ min: 1, max: 64 }),
  os: osArb,
  features: fc.subarray([...specFeatures]),
  cpu: maybe(fc.record({
    mode: maybe(fc.constantFrom('host-passthrough', 'host-model', 'custom', 'maximum')),
    model: maybe(fc.constantFrom('Skylake-Client', 'EPYC-v4', 'qemu64', 'cortex-a57')),
    topology: maybe(topologyArb),
  })),
  clock: maybe(fc.record({
    offset: fc.constantFrom('utc', 'localtime'),
    timers: fc.uniqueArray(fc.record({
      name: fc.constantFrom('rtc', 'pit', 'hpet', 'kvmclock', 'hypervclock', 'tsc'),
      present: maybe(fc.boolean()),
      tickpolicy: maybe(fc.constantFrom('delay', 'catchup', 'merge', 'discard')),
    }).map((t) => (t.name === 'kvmclock' || t.name === 'hypervclock' ? { ...t, tickpolicy: undefined } : t)), { selector: (t) => t.name, maxLength: 4 }),
  })),
  events: maybe(fc.record({
    onPoweroff: maybe(fc.constantFrom('destroy', 'restart', 'preserve', 'rename-restart')),
    onReboot: maybe(fc.constantFrom('destroy', 'restart')),
    onCrash: maybe(fc.constantFrom('destroy', 'coredump-destroy', 'coredump-restart')),
  })),
  disks: fc.array(diskArb, { maxLength: 4 }),
  nics: fc.array(nicArb, { maxLength: 3 }),
  graphics: fc.uniqueArray(graphicsArb, { selector: (g) => g.type, maxLength: 3 }),
  video: maybe(fc.record({ model: fc.constantFrom('virtio', 'qxl', 'vga', 'bochs', 'ramfb', 'none'), heads: maybe(fc.integer({ min: 1, max: 4 })), vram: maybe(kib(65536)) }, { requiredKeys: ['model'] })),
  sound: fc.array(fc.record({ model: fc.constantFrom('ich9', 'ich6', 'ac97', 'usb', 'virtio') }), { maxLength: 2 }),
  tpm: maybe(fc.oneof(
    fc.record({ model: maybe(fc.constantFrom('tpm-tis', 'tpm-crb')), backend: fc.constant('emulator' as const), version: maybe(fc.constantFrom('1.2', '2.0')) }, { requiredKeys: ['backend'] }),
    fc.record({ model: maybe(fc.constantFrom('tpm-tis', 'tpm-crb')), backend: fc.constant('passthrough' as const) }, { requiredKeys: ['backend'] }),
  )),
  rng: maybe(fc.oneof(
    fc.record({ model: fc.constantFrom('virtio', 'virtio-non-transitional'), backend: fc.constant('random' as const), source: maybe(absolutePath) }, { requiredKeys: ['model', 'backend'] }),
    fc.record({ model: fc.constant('virtio'), backend: fc.constant('builtin' as const) }),
  )),
}, {
  requiredKeys: ['type', 'name', 'memory', 'vcpus', 'os', 'features', 'disks', 'nics', 'graphics', 'sound'],
})

/** Drop `undefined` keys (what `maybe` leaves) so the spec is plain JSON-like data. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

type Loose = Record<string, unknown> & { alias?: string | undefined; bootOrder?: number | undefined; target?: string | undefined }

/** Make the cross-field rules hold, then parse into the canonical form. */
const specArb: fc.Arbitrary<DomainSpec> = rawSpec.map((raw) => {
  const { currentMemoryShare, ...spec } = clean(raw) as typeof raw
  const candidate: Record<string, unknown> = { ...spec }
  if (currentMemoryShare !== undefined) candidate.currentMemory = Math.max(1024, Math.floor((spec.memory * currentMemoryShare) / 100 / 1024) * 1024)
  const t = spec.cpu?.topology
  if (t) candidate.vcpus = t.sockets * (t.dies ?? 1) * (t.clusters ?? 1) * t.cores * t.threads
  const os: Record<string, unknown> = { ...spec.os }
  if (os.firmware !== 'efi') delete os.secureBoot
  if (os.kernel === undefined) {
    delete os.initrd
    delete os.cmdline
  }
  candidate.os = os
  const seenTargets = new Set<string>()
  const seenAliases = new Set<string>()
  let order = 1
  const device = (d: Loose): Loose => {
    const out: Loose = { ...d }
    if (out.alias !== undefined) {
      if (seenAliases.has(out.alias)) delete out.alias
      else seenAliases.add(out.alias)
    }
    if (out.bootOrder !== undefined) {
      if (spec.os.boot.length > 0) delete out.bootOrder
      else out.bootOrder = order++
    }
    return out
  }
  candidate.disks = spec.disks.map((d) => {
    const out = device(d as Loose)
    if (out.target !== undefined) {
      if (seenTargets.has(out.target)) delete out.target
      else seenTargets.add(out.target)
    }
    if (out.device === 'lun' && (out.source === undefined || 'file' in (out.source as object))) out.source = { block: '/dev/sdx' }
    // Every network protocol but rbd needs a host.
    const source = out.source as { protocol?: string; host?: unknown } | undefined
    if (source?.protocol !== undefined && source.protocol !== 'rbd' && source.host === undefined) out.source = { ...source, host: { name: 'storage.example' } }
    return out
  })
  candidate.nics = spec.nics.map((n) => device(n as Loose))
  return domainSpecSchema.parse(candidate)
})


// ---- tests -------------------------------------------------------------------------

describe('spec ⇄ XML (properties)', () => {
  it('toSpec(fromSpec(spec)) is the spec, with nothing unmodelled', () => {
    fc.assert(fc.property(specArb, (spec) => {
      const reading = toSpec(fromSpec(spec))
      expect(reading.spec).toEqual(spec)
      expect(reading.unmodelled).toEqual([])
    }), settings)
  })

  it('fromSpec output serializes to XML that parses back to the same spec, and is a fixed point', () => {
    fc.assert(fc.property(specArb, (spec) => {
      const text = serialize(fromSpec(spec))
      const document = parseDomain(text)
      expect(serialize(document)).toBe(text)
      expect(toSpec(text).spec).toEqual(spec)
      expect(viewDomain(document).name).toBe(spec.name)
    }), settings)
  })

  it('parsing a parsed spec changes nothing (canonical form is a fixed point)', () => {
    fc.assert(fc.property(specArb, (spec) => {
      expect(parseSpec(spec)).toEqual(spec)
      expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec)
    }), settings)
  })

  it('any JSON value either parses or throws model-invalid-spec, never a raw ZodError', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), rawSpec.map((r) => clean(r) as unknown)), (value) => {
      try {
        parseSpec(value)
      } catch (error) {
        expect(error).toBeInstanceOf(DomainModelError)
        expect((error as DomainModelError).code).toBe('model-invalid-spec')
      }
    }), settings)
  })
})

describe('spec schema', () => {
  const minimal: DomainSpecInput = { name: 'vm', memory: '2GiB', vcpus: 2 }

  it('fills defaults and takes sizes as strings', () => {
    expect(parseSpec(minimal)).toEqual({
      type: 'kvm', name: 'vm', memory: 2 * 1024 ** 3, vcpus: 2, os: { type: 'hvm', boot: [] },
      features: [], disks: [], nics: [], graphics: [], sound: [],
    })
    expect(parseSpec({ ...minimal, video: { model: 'virtio', vram: '16 MiB' } }).video).toEqual({ model: 'virtio', vram: 16 * 1024 ** 2 })
  })

  it('gives one spelling per meaning: features in libvirt order, lower-case UUID and MAC', () => {
    const spec = parseSpec({ ...minimal, features: ['vmcoreinfo', 'apic', 'acpi'], uuid: 'C7A5FDBD-EDAF-9455-926A-D65C16DB1809', nics: [{ type: 'user', mac: '52:54:00:AB:CD:EF' }] })
    expect(spec.features).toEqual(['acpi', 'apic', 'vmcoreinfo'])
    expect(spec.uuid).toBe('c7a5fdbd-edaf-9455-926a-d65c16db1809')
    expect(spec.nics[0]?.mac).toBe('52:54:00:ab:cd:ef')
  })

  it.each<[string, unknown, string, RegExp]>([
    ['no name', { memory: 1024, vcpus: 1 }, 'name', /expected string/],
    ['a slash in the name', { ...minimal, name: 'a/b' }, 'name', /`\/`/],
    ['memory not in KiB', { ...minimal, memory: 1000 }, 'memory', /at least 1024|KiB/],
    ['memory as nonsense', { ...minimal, memory: 'lots' }, 'memory', /Expected a size/],
    ['an unknown unit', { ...minimal, memory: '4 parsecs' }, 'memory', /Unexpected unit/],
    ['currentMemory above memory', { ...minimal, currentMemory: '4GiB' }, 'currentMemory', /at most `memory`/],
    ['a topology that does not multiply out', { ...minimal, cpu: { topology: { sockets: 1, cores: 3, threads: 1 } } }, 'cpu.topology', /equal `vcpus`/],
    ['secure boot without EFI', { ...minimal, os: { secureBoot: true } }, 'os.secureBoot', /efi/],
    ['initrd without kernel', { ...minimal, os: { initrd: '/boot/initrd' } }, 'os.kernel', /kernel/],
    ['a disk target with a partition', { ...minimal, disks: [{ target: 'vda1' }] }, 'disks[0].target', /no partition/],
    ['a repeated disk target', { ...minimal, disks: [{ target: 'vda' }, { target: 'vda' }] }, 'disks[1].target', /repeated/],
    ['a source of two shapes at once', { ...minimal, disks: [{ source: { file: '/a', dev: '/b' } }] }, 'disks[0].source.dev', /no such field/],
    ['a source of no known shape', { ...minimal, disks: [{ source: { url: 'http://x/a.img' } }] }, 'disks[0].source', /\{ file \}/],
    ['a relative file', { ...minimal, disks: [{ source: { file: 'a.img' } }] }, 'disks[0].source.file', /absolute path/],
    ['a repeated alias', { ...minimal, disks: [{ alias: 'ua-x' }], nics: [{ type: 'user', alias: 'ua-x' }] }, 'nics[0].alias', /unique/],
    ['an alias without ua-', { ...minimal, disks: [{ alias: 'disk0' }] }, 'disks[0].alias', /ua-/],
    ['boot order with os.boot', { ...minimal, os: { boot: ['hd'] }, disks: [{ bootOrder: 1 }] }, 'disks[0].bootOrder', /one or the other/],
    ['a network NIC without source', { ...minimal, nics: [{ type: 'network' }] }, 'nics[0].source', /network name/],
    ['a multicast MAC', { ...minimal, nics: [{ type: 'user', mac: '01:00:5e:00:00:01' }] }, 'nics[0].mac', /unicast/],
    ['two VNC displays', { ...minimal, graphics: [{ type: 'vnc' }, { type: 'vnc' }] }, 'graphics[1].type', /one of each/],
    ['a port on egl-headless', { ...minimal, graphics: [{ type: 'egl-headless', port: 5900 }] }, 'graphics[0].port', /only for vnc/],
    ['a TPM version on passthrough', { ...minimal, tpm: { backend: 'passthrough', version: '2.0' } }, 'tpm.version', /emulator/],
    ['an unknown key', { ...minimal, cores: 4 }, 'cores', /no such field/],
    ['an unknown nested key', { ...minimal, os: { loader: '/x' } }, 'os.loader', /no such field/],
    ['a character XML cannot carry', { ...minimal, description: 'bell\u0007' }, 'description', /XML 1.0/],
  ])('refuses %s', (_, input, path, message) => {
    const error = errorOf(() => parseSpec(input))
    expect(error.code).toBe('model-invalid-spec')
    expect(error.path).toBe(path)
    expect(error.message).toMatch(message)
    const result = validateSpec(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems[0]?.path).toBe(path)
  })

  it('lists every problem in one error', () => {
    const error = errorOf(() => parseSpec({ name: '', memory: 1, vcpus: 0 }))
    expect(error.message).toMatch(/^\d+ problems in the spec:\n/)
    expect(error.message).toContain('vcpus: ')
  })

  it('has a JSON Schema for specs as written', () => {
    const schema = domainSpecJsonSchema as { type: string; required: string[]; properties: Record<string, { anyOf?: unknown[] }>; additionalProperties: boolean }
    expect(schema.type).toBe('object')
    expect(schema.required.sort()).toEqual(['memory', 'name', 'vcpus'])
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.memory?.anyOf).toHaveLength(2) // a number of bytes or a string such as '4GiB'
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
  })
})

describe('fromSpec', () => {
  it("writes what the spec says in virsh dumpxml's order, and nothing else", () => {
    const xml = serialize(fromSpec({
      name: 'vm', memory: '1GiB', vcpus: 1, osinfo: 'http://debian.org/debian/12', features: ['acpi'],
      disks: [{ source: { file: '/vm.qcow2' }, format: 'qcow2', target: 'vda', bus: 'virtio' }],
      nics: [{ type: 'network', source: 'default', model: 'virtio' }],
      graphics: [{ type: 'vnc', autoport: true }],
      video: { model: 'virtio' },
      tpm: { backend: 'emulator', version: '2.0' },
      rng: { backend: 'random', source: '/dev/urandom' },
      events: { onCrash: 'destroy' },
    }))
    expect(xml).toBe(`<domain type='kvm'>
  <name>vm</name>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit='KiB'>1048576</memory>
  <vcpu>1</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <features>
    <acpi/>
  </features>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver type='qcow2'/>
      <source file='/vm.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <tpm>
      <backend type='emulator' version='2.0'/>
    </tpm>
    <graphics type='vnc' autoport='yes'/>
    <video>
      <model type='virtio'/>
    </video>
    <rng model='virtio'>
      <backend model='random'>/dev/urandom</backend>
    </rng>
  </devices>
</domain>
`)
  })

  it('refuses an invalid spec with model-invalid-spec', () => {
    expect(errorOf(() => fromSpec({ name: 'x', memory: 1024, vcpus: 0 }))).toMatchObject({ code: 'model-invalid-spec', path: 'vcpus' })
  })
})

describe('toSpec', () => {
  it('follows libvirt: memory rounded up to KiB, currentMemory clamped, port -1 as autoport, 32-digit UUIDs', () => {
    const { spec, unmodelled } = toSpec(`<domain type='qemu'>
  <name>r</name>
  <uuid>C7A5FDBDEDAF9455926AD65C16DB1809</uuid>
  <memory unit='b'>1000</memory>
  <currentMemory unit='MiB'>64</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <graphics type='vnc' port='-1' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>
  </devices>
</domain>`)
    expect(spec).toMatchObject({ type: 'qemu', uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809', memory: 1024, currentMemory: 1024, vcpus: 2, graphics: [{ type: 'vnc', autoport: true, listen: '0.0.0.0' }] })
    expect(unmodelled).toEqual(['domain/vcpu/@current'])
  })

  it('lists what the spec cannot say, by path, and never drops it silently', () => {
    const { spec, unmodelled } = toSpec(`<domain type='kvm' id='3'>
  <name>u</name>
  <metadata>
    <app:data xmlns:app='urn:example'>1</app:data>
    <os:libosinfo xmlns:os='http://libosinfo.org/xmlns/libvirt/domain/1.0'><os:os id='http://fedoraproject.org/fedora/40'/></os:libosinfo>
  </metadata>
  <memory unit='GiB' dumpCore='on'>1</memory>
  <vcpu>4</vcpu>
  <os firmware='efi'>
    <type arch='x86_64'>hvm</type>
    <firmware><feature enabled='yes' name='secure-boot'/><feature enabled='no' name='enrolled-keys'/></firmware>
    <cmdline>console=ttyS0</cmdline>
  </os>
  <features><acpi/><pvspinlock state='off'/><apic eoi='on'/></features>
  <cpu mode='host-passthrough' migratable='on'><topology sockets='1' cores='3' threads='1'/></cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='nvme' device='disk'><source type='pci' namespace='1'/><target dev='vda'/></disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' io='native'/>
      <source file='/a.qcow2'/>
      <target dev='vdb' bus='virtio'/>
      <alias name='virtio-disk1'/>
    </disk>
    <interface type='vhostuser'><source type='unix' path='/s' mode='client'/></interface>
    <video><model type='qxl' ram='65536'/></video>
    <video><model type='virtio'/></video>
  </devices>
</domain>`)
    expect(spec.osinfo).toBe('http://fedoraproject.org/fedora/40')
    expect(spec.os).toEqual({ type: 'hvm', arch: 'x86_64', firmware: 'efi', secureBoot: true, boot: [] })
    expect(spec.features).toEqual(['acpi', 'apic'])
    expect(spec.cpu).toEqual({ mode: 'host-passthrough' })
    expect(spec.disks).toEqual([{ device: 'disk', source: { file: '/a.qcow2' }, target: 'vdb', bus: 'virtio', format: 'qcow2', readonly: false, shareable: false }])
    expect(spec.video).toEqual({ model: 'qxl' })
    expect(unmodelled).toEqual([
      'domain/@id',
      'domain/metadata/app:data',
      'domain/memory/@dumpCore',
      'domain/os/firmware/feature[2]',
      'domain/os/cmdline',
      'domain/features/pvspinlock',
      'domain/features/apic/@eoi',
      'domain/cpu/@migratable',
      'domain/cpu/topology',
      'domain/devices/emulator',
      'domain/devices/disk[1]',
      'domain/devices/disk[2]/driver/@io',
      'domain/devices/disk[2]/alias',
      'domain/devices/interface',
      'domain/devices/video[1]/model/@ram',
      'domain/devices/video[2]',
    ])
  })

  it('refuses what cannot be a spec at all', () => {
    expect(errorOf(() => toSpec("<domain type='kvm'><memory>1024</memory></domain>"))).toMatchObject({ code: 'model-missing-element', path: 'domain/name' })
    expect(errorOf(() => toSpec("<domain type='kvm'><name>n</name></domain>"))).toMatchObject({ code: 'model-missing-element', path: 'domain/memory' })
    expect(errorOf(() => toSpec("<domain type='kvm'><name>n</name><memory>1024</memory><vcpu>0</vcpu></domain>"))).toMatchObject({ code: 'model-invalid-value', path: 'domain/vcpu' })
    expect(errorOf(() => toSpec('<disk/>'))).toMatchObject({ code: 'model-unexpected-root' })
  })
})

const corpus = locateCorpus()

// Domain files libvirt itself refuses (see expected-parse-errors.txt) that toSpec refuses too, with why.
const refusedByToSpec: Readonly<Record<string, string>> = {
  'domains/no-memory.xml': 'model-missing-element: neither <memory> nor NUMA cells (libvirt: "Memory size must be specified")',
  'generic/name-slash-fail.xml': "model-invalid-value: a name with '/' (libvirt refuses it)",
}

describe.skipIf(!corpus.dir)(`toSpec over the corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const dir = corpus.dir!
  // describe.skipIf still runs this body to collect the tests: no corpus, no files.
  const files = corpus.dir ? corpusFiles(dir, ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug/domains']) : []

  it('reads every domain file as a spec (but two libvirt refuses too), and the spec survives fromSpec', () => {
    const failures: string[] = []
    const refused: string[] = []
    let read = 0
    for (const file of files) {
      let reading
      try {
        reading = toSpec(new Uint8Array(readFileSync(join(dir, file))))
      } catch (error) {
        if (error instanceof DomainModelError && file in refusedByToSpec && refusedByToSpec[file]!.startsWith(error.code)) refused.push(file)
        else failures.push(`${file}: ${String(error)}`)
        continue
      }
      read++
      // What toSpec reads, fromSpec writes and toSpec reads again, with nothing left over.
      const again = toSpec(serialize(fromSpec(reading.spec)))
      if (JSON.stringify(again.spec) !== JSON.stringify(reading.spec)) failures.push(`${file}: spec changed through fromSpec`)
      if (again.unmodelled.length > 0) failures.push(`${file}: fromSpec wrote what toSpec does not read: ${again.unmodelled.join(', ')}`)
      for (const path of reading.unmodelled) if (!path.startsWith('domain')) failures.push(`${file}: odd path ${path}`)
    }
    expect(failures).toEqual([])
    expect(refused.sort()).toEqual(Object.keys(refusedByToSpec).sort())
    expect(read).toBe(files.length - refused.length)
  })
})
