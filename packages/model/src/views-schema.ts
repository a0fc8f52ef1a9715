import type { Element } from '@virtuned/xml-core'
import { z } from 'zod'
import { isElement } from './_xml.ts'

// The shapes of the typed views, as zod schemas: the single source of the view types
// (`DomainView`, `DeviceView`, …) and a way for callers to check a view that crossed a
// boundary. Every optional field is absent (never `undefined`) when the XML does not
// say it; attribute bags (`address`, `driver`, …) are plain records in document order.

/** A view's own data made read-only all the way down; the tree nodes it points at are read-only already. */
export type DeepReadonly<T> = T extends Element ? T
  : T extends (infer U)[] ? readonly DeepReadonly<U>[]
    : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T

const text = z.string()
const record = z.record(z.string(), z.string())
const element = z.custom<Element>(isElement, 'Expected an xml-core element')
const count = z.number().int().nonnegative()

/** A size as written and in bytes: `<memory unit='GiB'>4</memory>` is `{ bytes: 4294967296, value: '4', unit: 'GiB' }`. */
export const sizeViewSchema = z.object({
  bytes: count,
  value: text,
  unit: text.optional(),
})

// ---- domain sections ----------------------------------------------------------

const vcpuViewSchema = z.object({
  count,
  placement: text.optional(),
  cpuset: text.optional(),
  current: count.optional(),
  element,
})

const osViewSchema = z.object({
  type: text.optional(),
  arch: text.optional(),
  machine: text.optional(),
  /** `<os firmware='efi'>`: firmware auto-selection. */
  firmware: text.optional(),
  /** `<firmware><feature name='secure-boot' enabled='yes'/>…`, the auto-selection's requirements. */
  firmwareFeatures: z.array(z.object({ name: text, enabled: z.boolean() })),
  loader: z.object({
    path: text.optional(),
    readonly: z.boolean().optional(),
    type: text.optional(),
    secure: z.boolean().optional(),
    stateless: z.boolean().optional(),
    format: text.optional(),
  }).optional(),
  nvram: z.object({ path: text.optional(), template: text.optional(), format: text.optional() }).optional(),
  /** `<boot dev='…'/>` in document order (libvirt tries them in that order). */
  boot: z.array(text),
  bootmenu: z.object({ enable: z.boolean().optional(), timeout: count.optional() }).optional(),
  kernel: text.optional(),
  initrd: text.optional(),
  cmdline: text.optional(),
  dtb: text.optional(),
  element,
})

const featureSettings = z.record(z.string(), record)

const featuresViewSchema = z.object({
  /** Every feature element's name, in document order. */
  names: z.array(text),
  /** Each feature's attributes (`{ pvspinlock: { state: 'off' }, gic: { version: '3' } }`); `{}` for `<acpi/>`. */
  attributes: featureSettings,
  /** `<hyperv mode='…'>` and the attributes of each enlightenment (`{ spinlocks: { state: 'on', retries: '4096' } }`). */
  hyperv: z.object({ mode: text.optional(), settings: featureSettings }).optional(),
  /** `<kvm>` and the attributes of each setting (`{ hidden: { state: 'on' } }`). */
  kvm: z.object({ settings: featureSettings }).optional(),
  element,
})

const cpuViewSchema = z.object({
  mode: text.optional(),
  match: text.optional(),
  check: text.optional(),
  migratable: z.boolean().optional(),
  model: z.object({ name: text, fallback: text.optional(), vendorId: text.optional() }).optional(),
  vendor: text.optional(),
  topology: z.object({
    sockets: count.optional(),
    dies: count.optional(),
    clusters: count.optional(),
    cores: count.optional(),
    threads: count.optional(),
  }).optional(),
  features: z.array(z.object({ name: text, policy: text.optional() })),
  element,
})

const clockViewSchema = z.object({
  offset: text.optional(),
  timezone: text.optional(),
  adjustment: text.optional(),
  basis: text.optional(),
  timers: z.array(z.object({
    name: text,
    present: z.boolean().optional(),
    tickpolicy: text.optional(),
    track: text.optional(),
    mode: text.optional(),
    frequency: count.optional(),
  })),
  element,
})

// ---- devices --------------------------------------------------------------------

const common = {
  /** `<alias name='…'/>`: libvirt's (`virtio-disk0`) on live XML, or the user's (`ua-…`). */
  alias: text.optional(),
  /** `<address type='pci' bus='0x01' …/>` as written. */
  address: record.optional(),
  /** The device element itself, to reach what the view does not model. */
  element,
}

const device = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), ...common, ...shape })

const diskSourceSchema = z.object({
  file: text.optional(),
  dev: text.optional(),
  dir: text.optional(),
  pool: text.optional(),
  volume: text.optional(),
  mode: text.optional(),
  protocol: text.optional(),
  name: text.optional(),
  /** The source's own `type` (`pci` for NVMe, `unix` for vhost-user). */
  type: text.optional(),
  path: text.optional(),
  startupPolicy: text.optional(),
  hosts: z.array(z.object({ name: text.optional(), port: text.optional(), transport: text.optional(), socket: text.optional() })),
})

const chardev = <K extends string>(kind: K) => device(kind, {
  type: text.optional(),
  /** The first `<source>`'s attributes (`{ mode: 'bind', path: '/tmp/sock' }`). */
  source: record.optional(),
  target: record.optional(),
  protocol: text.optional(),
})

/** One schema per device kind (plus `other`), keyed by kind. */
export const deviceViewSchemas = {
  emulator: device('emulator', { path: text }),
  disk: device('disk', {
    type: text.optional(),
    device: text.optional(),
    driver: record.optional(),
    source: diskSourceSchema.optional(),
    target: z.object({ dev: text.optional(), bus: text.optional(), tray: text.optional() }).optional(),
    serial: text.optional(),
    wwn: text.optional(),
    readonly: z.boolean(),
    shareable: z.boolean(),
    transient: z.boolean(),
    bootOrder: count.optional(),
  }),
  controller: device('controller', {
    type: text.optional(),
    index: count.optional(),
    model: text.optional(),
    ports: count.optional(),
    driver: record.optional(),
    target: record.optional(),
  }),
  lease: device('lease', { lockspace: text.optional(), key: text.optional(), target: record.optional() }),
  filesystem: device('filesystem', {
    type: text.optional(),
    accessmode: text.optional(),
    driver: record.optional(),
    source: record.optional(),
    target: text.optional(),
    readonly: z.boolean(),
    bootOrder: count.optional(),
  }),
  interface: device('interface', {
    type: text.optional(),
    mac: text.optional(),
    source: record.optional(),
    model: text.optional(),
    /** `<target dev='vnet0'/>`: the host-side device. */
    target: text.optional(),
    driver: record.optional(),
    bootOrder: count.optional(),
  }),
  input: device('input', { type: text.optional(), bus: text.optional(), model: text.optional(), source: record.optional() }),
  sound: device('sound', { model: text.optional(), codecs: z.array(text) }),
  hostdev: device('hostdev', {
    mode: text.optional(),
    type: text.optional(),
    managed: z.boolean().optional(),
    model: text.optional(),
    source: record.optional(),
    /** `<source><address …/></source>`: the host device (PCI, USB, SCSI …). */
    sourceAddress: record.optional(),
    /** `<source><vendor id='…'/>` (USB). */
    vendor: text.optional(),
    product: text.optional(),
    bootOrder: count.optional(),
  }),
  graphics: device('graphics', {
    type: text.optional(),
    port: z.number().int().optional(),
    tlsPort: z.number().int().optional(),
    autoport: z.boolean().optional(),
    /** The `listen` attribute. */
    listen: text.optional(),
    /** Every `<listen type='address|network|socket|none' …/>` as written. */
    listens: z.array(record),
    passwd: text.optional(),
    keymap: text.optional(),
    socket: text.optional(),
  }),
  video: device('video', {
    model: z.object({
      type: text.optional(),
      heads: count.optional(),
      /** KiB, as libvirt writes `vram`, `ram`, `vgamem` and `vram64`. */
      vram: count.optional(),
      ram: count.optional(),
      vgamem: count.optional(),
      vram64: count.optional(),
      primary: z.boolean().optional(),
    }).optional(),
    driver: record.optional(),
  }),
  console: chardev('console'),
  serial: chardev('serial'),
  parallel: chardev('parallel'),
  channel: chardev('channel'),
  smartcard: device('smartcard', { mode: text.optional(), type: text.optional(), certificates: z.array(text), database: text.optional() }),
  hub: device('hub', { type: text.optional() }),
  redirdev: device('redirdev', { bus: text.optional(), type: text.optional(), source: record.optional(), bootOrder: count.optional() }),
  redirfilter: device('redirfilter', { rules: z.array(record) }),
  rng: device('rng', {
    model: text.optional(),
    backend: z.object({ model: text.optional(), type: text.optional(), path: text.optional() }).optional(),
    rate: record.optional(),
  }),
  tpm: device('tpm', {
    model: text.optional(),
    backend: z.object({ type: text.optional(), version: text.optional(), path: text.optional() }).optional(),
  }),
  memballoon: device('memballoon', {
    model: text.optional(),
    autodeflate: z.boolean().optional(),
    freePageReporting: z.boolean().optional(),
    statsPeriod: count.optional(),
  }),
  watchdog: device('watchdog', { model: text.optional(), action: text.optional() }),
  panic: device('panic', { model: text.optional() }),
  shmem: device('shmem', { name: text.optional(), role: text.optional(), model: text.optional(), size: sizeViewSchema.optional(), server: text.optional() }),
  memory: device('memory', {
    model: text.optional(),
    access: text.optional(),
    discard: z.boolean().optional(),
    source: z.object({ path: text.optional(), pagesize: sizeViewSchema.optional(), nodemask: text.optional() }).optional(),
    target: z.object({
      size: sizeViewSchema.optional(),
      node: count.optional(),
      requested: sizeViewSchema.optional(),
      block: sizeViewSchema.optional(),
    }).optional(),
  }),
  iommu: device('iommu', { model: text.optional(), driver: record.optional() }),
  vsock: device('vsock', { model: text.optional(), cid: z.object({ auto: z.boolean().optional(), address: count.optional() }).optional() }),
  audio: device('audio', { id: count.optional(), type: text.optional() }),
  crypto: device('crypto', { model: text.optional(), type: text.optional(), backend: record.optional() }),
  pstore: device('pstore', { backend: text.optional(), path: text.optional(), size: sizeViewSchema.optional() }),
  /** pseries' NVRAM device (its spapr-vio address is in `address`). */
  nvram: device('nvram', {}),
  /** An element under `<devices>` this version of virtuned does not know (a newer libvirt's). */
  other: device('other', { name: text }),
} as const

/** Any device view: a union discriminated by `kind` (the element name, or `other`). */
export const deviceViewSchema = z.discriminatedUnion('kind', Object.values(deviceViewSchemas) as unknown as [
  (typeof deviceViewSchemas)[keyof typeof deviceViewSchemas],
  ...(typeof deviceViewSchemas)[keyof typeof deviceViewSchemas][],
])

const devicesShape = Object.fromEntries(Object.entries(deviceViewSchemas).map(([kind, schema]) => [kind, z.array(schema)])) as {
  [K in keyof typeof deviceViewSchemas]: z.ZodArray<(typeof deviceViewSchemas)[K]>
}

/** The schema of {@link DomainView}. */
export const domainViewSchema = z.object({
  /** The hypervisor, `<domain type='kvm'>`. */
  type: text.optional(),
  name: text.optional(),
  uuid: text.optional(),
  title: text.optional(),
  description: text.optional(),
  memory: sizeViewSchema.optional(),
  currentMemory: sizeViewSchema.optional(),
  maxMemory: sizeViewSchema.extend({ slots: count.optional() }).optional(),
  vcpu: vcpuViewSchema.optional(),
  os: osViewSchema.optional(),
  features: featuresViewSchema.optional(),
  cpu: cpuViewSchema.optional(),
  clock: clockViewSchema.optional(),
  onPoweroff: text.optional(),
  onReboot: text.optional(),
  onCrash: text.optional(),
  onLockfailure: text.optional(),
  /** Every element under `<devices>`, each in exactly one list: its kind's, or `other`. */
  devices: z.object(devicesShape),
  /** The `<domain>` element, to reach what the view does not model. */
  element,
})

/** A size as written and in bytes. */
export type SizeView = DeepReadonly<z.output<typeof sizeViewSchema>>
/** A read-only, plain-data view of a domain's main parts; `element` fields lead back into the tree. */
export type DomainView = DeepReadonly<z.output<typeof domainViewSchema>>
/** The view of one device, discriminated by `kind`. */
export type DeviceView = DeepReadonly<z.output<typeof deviceViewSchema>>
/** The kinds a device view can have: libvirt's device element names, plus `other`. */
export type DeviceViewKind = keyof typeof deviceViewSchemas
/** The device view of one kind: `DeviceViewOf<'disk'>`. */
export type DeviceViewOf<K extends DeviceViewKind> = DeepReadonly<z.output<(typeof deviceViewSchemas)[K]>>
/** `<vcpu>`. */
export type VcpuView = DeepReadonly<z.output<typeof vcpuViewSchema>>
/** `<os>`. */
export type OsView = DeepReadonly<z.output<typeof osViewSchema>>
/** `<features>`. */
export type FeaturesView = DeepReadonly<z.output<typeof featuresViewSchema>>
/** `<cpu>`. */
export type CpuView = DeepReadonly<z.output<typeof cpuViewSchema>>
/** `<clock>`. */
export type ClockView = DeepReadonly<z.output<typeof clockViewSchema>>
