import { z } from 'zod'
import { DomainModelError } from './errors.ts'
import { parseHumanSize } from './units.ts'
import { deviceLimits, specDeviceLimitProblem, type DeviceLimits } from './limits.ts'

// The abstract spec: what a stateless application sets, and nothing else. One zod schema
// gives the TypeScript types, validation (with paths) and a JSON Schema. Sizes are bytes
// (numbers) once parsed, so two specs compare with plain deep equality; on input they may
// also be strings such as '4GiB' (a zod codec, so the JSON Schema shows both forms).
// Lists default to `[]` and flags to `false`, so a parsed spec has one spelling per meaning.

// ---- building blocks --------------------------------------------------------------

// XML 1.0 `Char`: what an attribute or text can carry at all (lone surrogates excluded).
const xmlChars = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u
// A pattern, not a refinement: zod's compiled parser tests a pattern in its generated code, while a
// refinement is a call through its generic check machinery on every string (a third of parseSpec's
// time). The JSON Schema shows the pattern (lone surrogates are JavaScript's problem, not the spec's).
const xmlText = z.string().regex(xmlChars, 'Unexpected character, expected only characters XML 1.0 can carry')
const line = xmlText.regex(/^[^\n]*$/, 'Unexpected newline, expected one line')
const absolutePath = xmlText.regex(/^\/./, 'Expected an absolute path (starting with `/`)')
const token = (what: string) => z.string().regex(/^[A-Za-z0-9_.+-]+$/, `Expected ${what}: letters, digits, \`_\`, \`.\`, \`+\`, \`-\``)
const order = z.number().int().min(1).max(0xffffffff)
/** libvirt's user aliases: `ua-` and then letters, digits, `_` or `-`. */
// An IP address or DNS name, as libvirt's schema allows for hosts and listen addresses.
const hostName = z.string().regex(/^[A-Za-z0-9.:-]+$/, 'Expected an IP address or a host name')
const alias = z.string().regex(/^ua-[A-Za-z0-9_-]+$/, 'Expected a user alias: `ua-` followed by letters, digits, `_` or `-`')

/**
 * The default of a list: a new empty array per parse (a function, as zod calls it; an array given as
 * the default is cloned by zod's generic shallow clone on every parse, which costs more).
 */
const emptyList = <T>(): T[] => []

const humanSizePattern = /^\s*[0-9]+(?:\.[0-9]+)?\s*[A-Za-z]*\s*$/

/**
 * A size: bytes as a number, or on input a string such as `'4GiB'`, `'512 MiB'` or `'1.5G'`
 * (units as libvirt reads them: `G` and `GiB` are 1024³, `GB` is 1000³).
 */
function size(output: z.ZodNumber) {
  return z.codec(z.union([z.number(), z.string().regex(humanSizePattern, 'Expected a size such as `4GiB`, `512 MiB` or a number of bytes')]), output, {
    decode: (value, context) => {
      if (typeof value === 'number') return value
      try {
        return parseHumanSize(value)
      } catch (error) {
        context.issues.push({ code: 'custom', message: (error as Error).message, input: value })
        return z.NEVER
      }
    },
    encode: (bytes) => bytes,
  })
}

// libvirt keeps memory (and video RAM) in KiB and rounds anything else up: a spec that says
// 1000 bytes would not be what runs, so sizes must be whole KiB.
const kibibytes = (minimum: number) =>
  size(z.number().int().min(minimum, `Expected at least ${minimum} bytes`).max(Number.MAX_SAFE_INTEGER).multipleOf(1024, 'Expected a whole number of KiB: libvirt keeps this size in KiB'))

// ---- sections ---------------------------------------------------------------------------

// Hypervisors of `<domain type='…'>` (libvirt's schema).
const hypervisorTypes = ['kvm', 'qemu', 'kqemu', 'xen', 'lxc', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'vz', 'bhyve', 'hvf'] as const

/**
 * Features a spec can switch on by name, each written as an empty element (`<acpi/>`).
 * Sorted into libvirt's own order on parse, so equal sets compare equal.
 */
export const specFeatures = ['acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'pvspinlock', 'pmu', 'vmport', 'gic', 'smm', 'hpt', 'vmcoreinfo', 'async-teardown'] as const

const osSchema = z.strictObject({
  /** Full virtualization, the one kind of guest the spec describes (Xen PV and container guests are out of scope). */
  type: z.literal('hvm').default('hvm'),
  arch: z.string().regex(/^[a-z0-9_]+$/, 'Expected an architecture name such as `x86_64` or `aarch64`').optional(),
  machine: z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'Expected a machine type such as `q35` or `pc-q35-8.2`').optional(),
  /** Firmware auto-selection (`<os firmware='efi'>`): libvirt picks a matching loader and NVRAM. */
  firmware: z.enum(['bios', 'efi']).optional(),
  /** With `firmware: 'efi'`: require (or refuse) a Secure Boot firmware. */
  secureBoot: z.boolean().optional(),
  /** `<boot dev='…'/>` in order. Exclusive with per-device `bootOrder`. */
  boot: z.array(z.enum(['hd', 'cdrom', 'network', 'fd'])).max(4).default(emptyList),
  kernel: absolutePath.optional(),
  initrd: absolutePath.optional(),
  cmdline: xmlText.optional(),
})

const cpuSchema = z.strictObject({
  mode: z.enum(['host-passthrough', 'host-model', 'custom', 'maximum']).optional(),
  model: token('a CPU model name such as `Skylake-Client`').optional(),
  /** Must multiply out to `vcpus` (libvirt refuses anything else). */
  topology: z.strictObject({
    sockets: z.number().int().min(1),
    dies: z.number().int().min(1).optional(),
    clusters: z.number().int().min(1).optional(),
    cores: z.number().int().min(1),
    threads: z.number().int().min(1),
  }).optional(),
})

const clockSchema = z.strictObject({
  /** libvirt's schema requires an offset whenever `<clock>` is written. */
  offset: z.enum(['utc', 'localtime']),
  timers: z.array(z.strictObject({
    name: z.enum(['platform', 'pit', 'rtc', 'hpet', 'tsc', 'kvmclock', 'hypervclock', 'armvtimer']),
    present: z.boolean().optional(),
    /** Not for `kvmclock` and `hypervclock`, which have no ticks to lose. */
    tickpolicy: z.enum(['delay', 'catchup', 'merge', 'discard']).optional(),
  })).default(emptyList),
})

const lifecycle = ['destroy', 'restart', 'preserve', 'rename-restart'] as const
const eventsSchema = z.strictObject({
  onPoweroff: z.enum(lifecycle).optional(),
  onReboot: z.enum(lifecycle).optional(),
  onCrash: z.enum([...lifecycle, 'coredump-destroy', 'coredump-restart']).optional(),
})

const diskSourceSchema = z.union([
  z.strictObject({ file: absolutePath }),
  z.strictObject({ block: absolutePath }),
  z.strictObject({
    pool: line.min(1).regex(/^[^/]*$/, 'Expected a storage pool name (no `/`)'),
    volume: xmlText.min(1).regex(/^[^/]*$/, 'Expected a volume name (no `/`)'),
  }),
  z.strictObject({
    protocol: z.enum(['nbd', 'rbd', 'iscsi', 'http', 'https', 'ftp', 'ftps', 'tftp', 'gluster', 'ssh', 'nfs']),
    name: line.min(1),
    /** Required for every protocol but `rbd`, which may take its monitors from the Ceph configuration. */
    host: z.strictObject({ name: hostName, port: z.number().int().min(1).max(65535).optional() }).optional(),
  }),
], { error: 'Expected a source of one of these shapes: `{ file }`, `{ block }`, `{ pool, volume }`, `{ protocol, name, host? }`' })

const diskSchema = z.strictObject({
  device: z.enum(['disk', 'cdrom', 'floppy', 'lun']).default('disk'),
  /** Absent for an empty CD-ROM drive. */
  source: diskSourceSchema.optional(),
  /** The guest-side name (`vda`, `sdb`, `hdc`, `fda`); left out, defaults or hot-plug pick the next free one. */
  target: z.string().regex(/^(fd|hd|sd|vd|xvd|ubd)[a-z]+$/, 'Expected a disk target such as `vda`, `sdb` or `hdc` (no partition number)').optional(),
  bus: z.enum(['virtio', 'scsi', 'sata', 'ide', 'usb', 'fdc', 'xen', 'sd']).optional(),
  /** The image format (`<driver type='…'/>`). */
  format: z.enum(['raw', 'qcow2', 'qcow', 'qed', 'vmdk', 'vdi', 'vpc', 'vhd', 'vhdx', 'luks', 'bochs', 'cloop', 'dmg', 'iso', 'ploop', 'fat']).optional(),
  readonly: z.boolean().default(false),
  shareable: z.boolean().default(false),
  /** What the guest sees as the disk's serial number: the stable way to find it from inside. */
  serial: z.string().regex(/^[A-Za-z0-9_.+\- ]+$/, 'Expected a serial of letters, digits, spaces and `_ . + -`').optional(),
  bootOrder: order.optional(),
  alias: alias.optional(),
  cache: z.enum(['none', 'writethrough', 'writeback', 'directsync', 'unsafe']).optional(),
  discard: z.enum(['unmap', 'ignore']).optional(),
})

/** What libvirt's schema allows as a NIC source, by type (networks are free text). */
export const nicSourcePatterns: Readonly<Record<'network' | 'bridge' | 'user' | 'direct', RegExp>> = {
  network: /^[^\n]*$/,
  bridge: /^[a-zA-Z0-9_.\\:/ -]+$/,
  direct: /^[a-zA-Z0-9_.\\:/-]+$/,
  user: /^$/,
}

const nicSchema = z.strictObject({
  type: z.enum(['network', 'bridge', 'user', 'direct']),
  /** The libvirt network, host bridge, or host device for `direct`; none for `user`. */
  source: line.min(1).optional(),
  model: token('a NIC model such as `virtio` or `e1000e`').optional(),
  /** A unicast MAC address; written in lower case. */
  mac: z.string().regex(/^[0-9a-fA-F][02468aAcCeE](:[0-9a-fA-F]{2}){5}$/, 'Expected a unicast MAC address such as `52:54:00:12:34:56`').toLowerCase().optional(),
  alias: alias.optional(),
  bootOrder: order.optional(),
})

const graphicsSchema = z.strictObject({
  type: z.enum(['vnc', 'spice', 'sdl', 'rdp', 'egl-headless', 'dbus']),
  /** The address to listen on (`<graphics listen='…'>`). */
  listen: hostName.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  autoport: z.boolean().optional(),
  password: line.optional(),
})

const videoSchema = z.strictObject({
  model: z.enum(['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'ramfb', 'vmvga', 'xen', 'vbox', 'gop', 'none']),
  heads: z.number().int().min(1).max(16).optional(),
  /** Video RAM in bytes (libvirt writes it in KiB). */
  vram: kibibytes(1024).optional(),
})

const soundSchema = z.strictObject({
  model: z.enum(['ich9', 'ich7', 'ich6', 'ac97', 'es1370', 'sb16', 'pcspk', 'usb', 'virtio']),
})

const tpmSchema = z.strictObject({
  /** Left out, libvirt picks the architecture's default (`tpm-tis`, `tpm-crb` …). */
  model: z.enum(['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy']).optional(),
  backend: z.enum(['emulator', 'passthrough']),
  /** Emulated TPM version (emulator backend only). */
  version: z.enum(['1.2', '2.0']).optional(),
})

const rngSchema = z.strictObject({
  model: z.enum(['virtio', 'virtio-transitional', 'virtio-non-transitional']).default('virtio'),
  backend: z.enum(['random', 'builtin']).default('random'),
  /** The host's random device for the `random` backend, e.g. `/dev/urandom`. */
  source: absolutePath.optional(),
})

// ---- the spec ------------------------------------------------------------------------

const baseSchema = z.strictObject({
  /** The hypervisor (`<domain type='…'>`). */
  type: z.enum(hypervisorTypes).default('kvm'),
  name: xmlText.min(1, 'Expected a name').regex(/^[^/\n]*$/, 'Unexpected `/` or newline, expected a name libvirt accepts'),
  /** Written in lower case. */
  uuid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'Expected a UUID such as `c7a5fdbd-edaf-9455-926a-d65c16db1809`').toLowerCase().optional(),
  /** One non-empty line. */
  title: line.min(1, 'Expected a title of at least one character').optional(),
  description: xmlText.optional(),
  /** The guest OS as a libosinfo id (`http://ubuntu.com/ubuntu/24.04`), kept in `<metadata>` as virt-manager does. */
  osinfo: line.min(1).optional(),
  /** Memory at boot, in bytes (whole KiB). */
  memory: kibibytes(1024),
  /** The balloon target, in bytes (whole KiB); at most `memory`. */
  currentMemory: kibibytes(1024).optional(),
  vcpus: z.number().int().min(1).max(16384),
  os: osSchema.prefault({}),
  features: z.array(z.enum(specFeatures)).default(emptyList),
  cpu: cpuSchema.optional(),
  clock: clockSchema.optional(),
  /** What libvirt does when the guest powers off, reboots or crashes (`<on_poweroff>` …). */
  events: eventsSchema.optional(),
  // At most `deviceLimits` devices (checked before the schema, so the limits can be raised).
  disks: z.array(diskSchema).meta({ maxItems: deviceLimits.disks }).default(emptyList),
  nics: z.array(nicSchema).meta({ maxItems: deviceLimits.nics }).default(emptyList),
  graphics: z.array(graphicsSchema).default(emptyList),
  video: videoSchema.optional(),
  sound: z.array(soundSchema).default(emptyList),
  tpm: tpmSchema.optional(),
  rng: rngSchema.optional(),
})

type Base = z.output<typeof baseSchema>

const noIndexes: readonly number[] = Object.freeze([])

function duplicates<T>(items: readonly T[], key: (item: T) => unknown): readonly number[] {
  // One item has no duplicate (most lists of a spec are empty or hold one).
  if (items.length < 2) return noIndexes
  const seen = new Set<unknown>()
  const out: number[] = []
  items.forEach((item, i) => {
    const k = key(item)
    if (k === undefined) return
    if (seen.has(k)) out.push(i)
    seen.add(k)
  })
  return out
}

const featureRank = new Map<string, number>(specFeatures.map((name, i) => [name, i]))

/** Where {@link crossCheck} reports a problem: the field to fix and what is wrong with it. */
type IssueSink = (path: (string | number)[], message: string) => void

// Rules libvirt enforces across fields; each issue points at the field to fix.
function crossCheck(spec: Base, issue: IssueSink): void {
  if (spec.currentMemory !== undefined && spec.currentMemory > spec.memory) issue(['currentMemory'], 'Expected at most `memory`')
  const topology = spec.cpu?.topology
  if (topology) {
    const product = topology.sockets * (topology.dies ?? 1) * (topology.clusters ?? 1) * topology.cores * topology.threads
    if (product !== spec.vcpus) issue(['cpu', 'topology'], `Expected sockets × dies × clusters × cores × threads to equal \`vcpus\` (${spec.vcpus}), got ${product}`)
  }
  if (spec.os.secureBoot !== undefined && spec.os.firmware !== 'efi') issue(['os', 'secureBoot'], "Expected `os.firmware: 'efi'` with `secureBoot`")
  if ((spec.os.initrd !== undefined || spec.os.cmdline !== undefined) && spec.os.kernel === undefined) issue(['os', 'kernel'], 'Expected a kernel with `initrd` or `cmdline`')
  for (const i of duplicates(spec.os.boot, (b) => b)) issue(['os', 'boot', i], 'Unexpected repeated boot device')
  for (const i of duplicates(spec.features, (f) => f)) issue(['features', i], 'Unexpected repeated feature')
  for (const i of duplicates(spec.disks, (d) => d.target)) issue(['disks', i, 'target'], 'Unexpected repeated disk target')
  for (const i of duplicates(spec.graphics, (g) => g.type)) issue(['graphics', i, 'type'], 'Unexpected second graphics device of this type, expected one of each at most')
  for (const i of duplicates(spec.clock?.timers ?? [], (t) => t.name)) issue(['clock', 'timers', i, 'name'], 'Unexpected repeated timer')
  spec.clock?.timers.forEach((t, i) => {
    if (t.tickpolicy !== undefined && (t.name === 'kvmclock' || t.name === 'hypervclock')) issue(['clock', 'timers', i, 'tickpolicy'], `Unexpected tick policy for \`${t.name}\`, expected none`)
  })
  // Aliases and boot orders across disks and NICs (nothing to check when no device has either).
  const named = (d: { readonly alias?: string | undefined; readonly bootOrder?: number | undefined }): boolean => d.alias !== undefined || d.bootOrder !== undefined
  if (spec.disks.some(named) || spec.nics.some(named)) {
    const devices: { path: (string | number)[]; alias?: string | undefined; bootOrder?: number | undefined }[] = [
      ...spec.disks.map((d, i) => ({ path: ['disks', i], alias: d.alias, bootOrder: d.bootOrder })),
      ...spec.nics.map((n, i) => ({ path: ['nics', i], alias: n.alias, bootOrder: n.bootOrder })),
    ]
    for (const i of duplicates(devices, (d) => d.alias)) issue([...devices[i]!.path, 'alias'], 'Unexpected repeated alias, expected aliases unique in the domain')
    for (const i of duplicates(devices, (d) => d.bootOrder)) issue([...devices[i]!.path, 'bootOrder'], 'Unexpected repeated boot order')
    if (spec.os.boot.length > 0) {
      for (const d of devices) if (d.bootOrder !== undefined) issue([...d.path, 'bootOrder'], 'Unexpected per-device boot order together with `os.boot` (libvirt allows one or the other)')
    }
  }
  spec.disks.forEach((disk, i) => {
    const source = disk.source
    if (disk.device === 'lun' && (source === undefined || 'file' in source)) issue(['disks', i, 'source'], 'Expected a `block` or network source for a `lun`')
    if (source && 'protocol' in source && source.protocol !== 'rbd' && source.host === undefined) {
      issue(['disks', i, 'source', 'host'], `Expected a host for \`${source.protocol}\` (only rbd may leave it to the Ceph configuration)`)
    }
  })
  spec.nics.forEach((nic, i) => {
    if (nic.source !== undefined && !nicSourcePatterns[nic.type].test(nic.source)) {
      issue(['nics', i, 'source'], nic.type === 'bridge' ? 'Expected a bridge name such as `br0`' : 'Expected a host network device name such as `eth0`')
    }
    if (nic.type === 'user' && nic.source !== undefined) issue(['nics', i, 'source'], "Unexpected source for a `user` NIC")
    if (nic.type !== 'user' && nic.source === undefined) issue(['nics', i, 'source'], `Expected a source (${nic.type === 'network' ? 'network name' : nic.type === 'bridge' ? 'bridge name' : 'host device'})`)
  })
  spec.graphics.forEach((g, i) => {
    if (g.type === 'vnc' || g.type === 'spice' || g.type === 'rdp') return
    for (const key of ['listen', 'port', 'autoport', 'password'] as const) {
      if (g[key] !== undefined) issue(['graphics', i, key], `Unexpected \`${key}\` for \`${g.type}\` graphics, expected it only for vnc, spice or rdp`)
    }
  })
  if (spec.tpm?.version !== undefined && spec.tpm.backend !== 'emulator') issue(['tpm', 'version'], 'Expected `version` only with the emulator backend')
  if (spec.rng?.source !== undefined && spec.rng.backend !== 'random') issue(['rng', 'source'], 'Expected `source` only with the random backend')
}

/** The spec's fields, each checked, with `features` in libvirt's order: {@link checkedSpecSchema} without the cross-field rules. */
const orderedSpecSchema = baseSchema
  .overwrite((parsed) => {
    const features = inFeatureOrder(parsed.features)
    // Without `events` (most specs) the parsed object itself, when its features are in order: zod made
    // it for this parse, and an object rest (`{ events, ...spec }`) is a slow generic copy.
    if (!('events' in parsed)) return features === parsed.features ? parsed : { ...parsed, features }
    const { events, ...spec } = parsed
    return {
      ...spec,
      features,
      // `events: {}` says nothing, and nothing in the XML would say it back.
      ...(events === undefined || Object.values(events).every((v) => v === undefined) ? {} : { events }),
    }
  })

/**
 * The abstract domain spec: what a stateless app sets (name, memory, vCPUs, OS and boot,
 * disks, NICs, graphics, video, sound, TPM, RNG, simple features, CPU, clock, lifecycle
 * events, the libosinfo id). Parsing fills defaults (`type: 'kvm'`, `os.type: 'hvm'`, empty
 * lists, `readonly: false` …), lower-cases UUIDs and MACs and sorts `features` into libvirt's
 * order, so that a parsed spec has one spelling per meaning and deep equality is equality.
 */
export const checkedSpecSchema = orderedSpecSchema.superRefine((spec, context) => crossCheck(spec, (path, message) => context.addIssue({ code: 'custom', path, message })))

/** The features in libvirt's order: the list itself when it already is (most have none or one). */
function inFeatureOrder<T extends (typeof specFeatures)[number]>(features: T[]): T[] {
  for (let i = 1; i < features.length; i++) {
    if (featureRank.get(features[i - 1]!)! > featureRank.get(features[i]!)!) return [...features].sort((a, b) => featureRank.get(a)! - featureRank.get(b)!)
  }
  return features
}

/**
 * The abstract domain spec (see {@link checkedSpecSchema}), refused at once, before any device is
 * read, when it has more devices than {@link deviceLimits}: a server that validates request bodies
 * with this schema spends no time on a spec of 300,000 disks. Over the limits is a limit, not a
 * schema problem: `parse` and `safeParse` both throw DomainModelError `model-too-many-devices`
 * (a server answers it as it answers every typed error); {@link validateSpec} returns it as a problem.
 */
export const domainSpecSchema = z.preprocess<unknown, typeof checkedSpecSchema, z.input<typeof checkedSpecSchema>>((input) => {
  throwIfTooMany(input, deviceLimits)
  return input
}, checkedSpecSchema)

function throwIfTooMany(input: unknown, limits: DeviceLimits | undefined): void {
  const problem = specDeviceLimitProblem(input, limits)
  if (problem) throw new DomainModelError('model-too-many-devices', problem.message, { path: problem.path })
}

/** A parsed (canonical) spec: sizes in bytes, defaults filled. */
export type DomainSpec = z.output<typeof domainSpecSchema>
/** What {@link parseSpec} and `fromSpec` accept: sizes may be strings like `'4GiB'`, defaults may be left out. */
export type DomainSpecInput = z.input<typeof domainSpecSchema>

/**
 * The JSON Schema (draft 2020-12) of a spec as written, e.g. in a `spec.json`
 * (sizes as numbers or strings such as `'4GiB'`, defaults optional).
 */
export const domainSpecJsonSchema: Readonly<Record<string, unknown>> = /* @__PURE__ */ z.toJSONSchema(domainSpecSchema, { io: 'input' }) as Record<string, unknown>

/**
 * {@link orderedSpecSchema} compiled by zod (`z.compile`): a generated fast path for the specs it
 * accepts, zod's own parser for everything else (so every problem, its path and its message are
 * the schema's, as before). Made when a spec is first parsed, not on import; where generated code
 * may not run (a strict Content-Security-Policy), zod hands back the schema itself.
 */
let compiledSpecSchema: typeof orderedSpecSchema | undefined

/**
 * A spec checked as {@link checkedSpecSchema} checks it, the same problems in the same order: the compiled
 * field checks, then — when they pass — {@link crossCheck} called here, not through `superRefine`; a spec
 * whose fields fail goes to {@link checkedSpecSchema} itself (zod decides there whether the cross-field rules
 * still run, as they do after a number out of range and do not after a wrong type). Why not through it: zod's compiled code hands a refinement a
 * payload object made per call, and V8 comes to allocate those payloads in the old generation
 * (allocation-site pretenuring, decided in a process's first few hundred specs); each minor GC then copies
 * ~180 KB the dead payloads point to (measured with `--trace-gc-nvp` on the compose bench: pauses 1.0–1.1 ms
 * vs 0.5 ms, and nothing promoted, without the refinement).
 */
function checkSpec(input: unknown): { readonly ok: true; readonly spec: DomainSpec } | { readonly ok: false; readonly problems: readonly SpecProblem[] } {
  const parsed = (compiledSpecSchema ??= z.compile(orderedSpecSchema)).safeParse(input)
  if (!parsed.success) {
    const checked = checkedSpecSchema.safeParse(input)
    return checked.success ? { ok: true, spec: checked.data } : { ok: false, problems: problemsOf(checked.error) }
  }
  let problems: SpecProblem[] | undefined
  crossCheck(parsed.data, (path, message) => (problems ??= []).push({ path: formatPath(path), message }))
  return problems === undefined ? { ok: true, spec: parsed.data } : { ok: false, problems }
}

export interface SpecOptions {
  /** How many devices the spec may have (default {@link deviceLimits}); raise only for trusted input. */
  readonly limits?: DeviceLimits
}

/** One thing wrong with a spec: where (`disks[0].target`) and what. */
export interface SpecProblem {
  readonly path: string
  readonly message: string
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`
  return out
}

function problemsOf(error: z.ZodError): SpecProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: formatPath([...issue.path, issue.keys[0]!]), message: `Unexpected key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}: the spec has no such field` }
    }
    return { path: formatPath(issue.path), message: issue.message }
  })
}

/**
 * Check a spec without throwing: the parsed spec, or every problem with its path.
 */
export function validateSpec(input: unknown, options: SpecOptions = {}): { readonly ok: true; readonly spec: DomainSpec } | { readonly ok: false; readonly problems: readonly SpecProblem[] } {
  // Device counts first: an oversized spec is refused before the schema walks every device.
  const tooMany = specDeviceLimitProblem(input, options.limits)
  if (tooMany) return { ok: false, problems: [tooMany] }
  return checkSpec(input)
}

/**
 * Parse and check a spec (JSON data, or a `DomainSpecInput` built in code) into its canonical form.
 * @throws DomainModelError `model-invalid-spec`, whose `path` is the first problem's and whose message lists them all;
 *   `model-too-many-devices` (path `disks`, `nics`…) for more devices than {@link deviceLimits}.
 */
export function parseSpec(input: unknown, options: SpecOptions = {}): DomainSpec {
  throwIfTooMany(input, options.limits)
  // The counts are checked: the schema's own parse, without counting again.
  const result = checkSpec(input)
  if (result.ok) return result.spec
  const [first, ...rest] = result.problems
  const lines = result.problems.map((p) => `${p.path || '(spec)'}: ${p.message}`)
  throw new DomainModelError('model-invalid-spec', rest.length === 0 ? lines[0]! : `${lines.length} problems in the spec:\n${lines.join('\n')}`, { path: first!.path })
}
