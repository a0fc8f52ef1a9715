// One syntax for device options (`--disk`, `--nic`) in every command that takes them — new,
// plan-attach, attach, edit — following virt-install's keys, turned into the model's disk and NIC specs.
import { deviceFromSpec } from '@virtuned/hotplug'
import { isQ35, parseHumanSize, parseLibvirtXml, type DomainSpecInput } from '@virtuned/model'
import type { Element } from '@virtuned/xml-core'
import { UsageError } from './errors.ts'

/** The spec of one disk, as `new` and hot-plug take it. */
export type DiskSpecInput = NonNullable<DomainSpecInput['disks']>[number]
/** The spec of one NIC, as `new` and hot-plug take it. */
export type NicSpecInput = NonNullable<DomainSpecInput['nics']>[number]

/** One key of a device option: its name (virt-install's), other spellings virt-install takes, and what it sets. */
export interface DeviceKey {
  readonly key: string
  readonly also?: readonly string[]
  readonly value: string
  readonly help: string
}

/** The `--disk` keys, in the order `--help` lists them. */
export const diskKeys: readonly DeviceKey[] = [
  { key: 'path', value: 'FILE', help: 'the image or ISO (a bare first value is the path: --disk /x.qcow2)' },
  { key: 'size', value: 'SIZE', help: 'size of a new image (a bare number is GiB, as virt-install; 10G, 512MiB); the image itself is not created' },
  { key: 'format', also: ['driver.type'], value: 'F', help: 'qcow2, raw, … (default: raw for a CD-ROM or a .iso/.img/.raw path, else qcow2)' },
  { key: 'bus', also: ['target.bus'], value: 'B', help: 'virtio, scsi (a virtio-scsi controller when the OS has its driver; else libvirt adds its default), sata, usb, ide (not on q35)' },
  { key: 'device', value: 'D', help: 'disk, cdrom, floppy or lun' },
  { key: 'target', also: ['target.dev'], value: 'DEV', help: 'the guest-side name (vdb, sda); default: the next free one for the bus' },
  { key: 'serial', value: 'S', help: 'the serial the guest sees' },
  { key: 'cache', also: ['driver.cache'], value: 'MODE', help: 'none, writethrough, writeback, directsync or unsafe' },
  { key: 'discard', also: ['driver.discard'], value: 'MODE', help: 'unmap or ignore' },
  { key: 'readonly', value: 'yes|no', help: 'a read-only disk' },
  { key: 'shareable', value: 'yes|no', help: 'shared with other guests' },
  { key: 'boot.order', also: ['boot_order'], value: 'N', help: 'boot order' },
  { key: 'alias.name', also: ['alias'], value: 'ua-NAME', help: 'a user alias (starts with ua-)' },
]

/** The `--nic` keys (virt-install's `--network`), in the order `--help` lists them. */
export const nicKeys: readonly DeviceKey[] = [
  { key: 'network', value: 'NAME', help: 'a libvirt network (a bare first value is a network name: --nic default)' },
  { key: 'bridge', value: 'BR', help: 'a host bridge: <interface type=\'bridge\'><source bridge=\'BR\'/>' },
  { key: 'type', value: 'T', help: 'user (also a bare `user`), network, bridge or direct' },
  { key: 'source', value: 'DEV', help: 'the host device for type=direct' },
  { key: 'model', also: ['model.type'], value: 'M', help: 'virtio, e1000e, rtl8139, … (default: what the guest OS has drivers for)' },
  { key: 'mac', also: ['mac.address'], value: 'MAC', help: 'a unicast MAC such as 52:54:00:12:34:56' },
  { key: 'boot.order', also: ['boot_order'], value: 'N', help: 'boot order' },
  { key: 'alias.name', also: ['alias'], value: 'ua-NAME', help: 'a user alias (starts with ua-)' },
]

/** The `--controller` keys (new, plan-attach, attach). */
export const controllerKeys: readonly DeviceKey[] = [
  { key: 'type', value: 'T', help: 'scsi, usb, virtio-serial, sata, ccid (a bare first value is the type; usb2, usb3 as virt-install)' },
  { key: 'model', value: 'M', help: 'virtio-scsi, qemu-xhci, ich9-ehci1, …' },
  { key: 'index', value: 'N', help: 'the controller index (default: libvirt picks the next free one)' },
  { key: 'alias.name', also: ['alias'], value: 'ua-NAME', help: 'a user alias (starts with ua-)' },
]

/** The `--hostdev` keys (new, plan-attach, attach); the device is the bare first value. */
export const hostdevKeys: readonly DeviceKey[] = [
  { key: 'managed', value: 'yes|no', help: 'libvirt detaches the device from its host driver (default yes)' },
  { key: 'boot.order', also: ['boot_order'], value: 'N', help: 'boot order' },
  { key: 'alias.name', also: ['alias'], value: 'ua-NAME', help: 'a user alias (starts with ua-)' },
]

/** `--help` text for both options, one key a line. */
export function deviceOptionsHelp(): string {
  const lines = (keys: readonly DeviceKey[]) => keys.map((k) => `    ${`${k.key}=${k.value}`.padEnd(18)} ${k.help}${k.also ? ` (also ${k.also.map((a) => `${a}=`).join(', ')})` : ''}`).join('\n')
  return `Device options (the same in new, plan-attach, attach and edit; virt-install's keys, comma-separated):
  --disk KEY=VALUE,...
${lines(diskKeys)}
  --nic KEY=VALUE,...   (virt-install's network option)
${lines(nicKeys)}
  An unknown key is refused (exit 2) with the nearest valid key.
`
}

/** `--help` text for the options `--controller` and `--hostdev` (new, plan-attach, attach). */
export function hotplugOptionsHelp(): string {
  const lines = (keys: readonly DeviceKey[]) => keys.map((k) => `    ${`${k.key}=${k.value}`.padEnd(18)} ${k.help}${k.also ? ` (also ${k.also.map((a) => `${a}=`).join(', ')})` : ''}`).join('\n')
  return `  --controller KEY=VALUE,...   (new, plan-attach and attach)
${lines(controllerKeys)}
  --hostdev DEVICE[,KEY=VALUE...]   (new, plan-attach and attach) DEVICE as virt-install takes it: a PCI address
                     (0000:01:00.0, 01:00.0), a node device (pci_0000_01_00_0), a USB bus.device (001.003)
                     or a USB vendor:product (0x046d:0xc52b)
${lines(hostdevKeys)}
`
}

/** Edit distance, for "did you mean": small strings only (keys). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) { best = c; bestDistance = d }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

/**
 * `a=1,b=2` → `{ a: '1', b: '2' }` under the keys' canonical names. A first value without `=` is
 * the option's bare value (`--disk /x.qcow2`, `--nic user`); an unknown key is a usage error naming the nearest.
 */
export function parseDeviceOption(option: 'disk' | 'nic' | 'controller' | 'hostdev', value: string): { bare?: string; fields: Record<string, string> } {
  const keys = option === 'disk' ? diskKeys : option === 'nic' ? nicKeys : option === 'controller' ? controllerKeys : hostdevKeys
  const names = new Map<string, string>()
  for (const k of keys) for (const n of [k.key, ...(k.also ?? [])]) names.set(n, k.key)
  const fields: Record<string, string> = {}
  let bare: string | undefined
  const parts = value.split(',')
  parts.forEach((part, i) => {
    const eq = part.indexOf('=')
    if (eq < 0) {
      if (i === 0 && part !== '') { bare = part; return }
      throw new UsageError(`Unexpected \`${part}\` in --${option}, expected KEY=VALUE`, `Keys: ${keys.map((k) => k.key).join(', ')} (see \`virtuned new --help\`).`)
    }
    const given = part.slice(0, eq)
    const key = names.get(given)
    if (key === undefined) {
      const near = nearest(given, [...names.keys()])
      throw new UsageError(`Unexpected --${option} key \`${given}\`${near ? `, did you mean \`${near}\`?` : ''}`, `Valid --${option} keys: ${keys.map((k) => k.key).join(', ')}.`)
    }
    if (key in fields) throw new UsageError(`Unexpected second \`${given}\` in --${option} \`${value}\``)
    fields[key] = part.slice(eq + 1)
  })
  return { ...(bare === undefined ? {} : { bare }), fields }
}

function yesNo(option: string, key: string, value: string): boolean {
  if (value === 'yes' || value === 'on' || value === 'true') return true
  if (value === 'no' || value === 'off' || value === 'false') return false
  throw new UsageError(`Unexpected --${option} ${key}=\`${value}\`, expected yes or no`)
}

function order(option: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`Unexpected --${option} boot.order=\`${value}\`, expected a whole number ≥ 1`)
  return n
}

function oneOf<T extends string>(option: string, key: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  const near = nearest(value, allowed)
  throw new UsageError(`Unexpected --${option} ${key}=\`${value}\`${near ? `, did you mean \`${near}\`?` : ''}`, `Expected one of ${allowed.join(', ')}.`)
}

/** Bytes of `size=`: a bare number is GiB (virt-install's `size=`), else a size with its unit. */
export function diskSize(value: string): number {
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) return Math.round(Number(value) * 1024 ** 3)
  try {
    return parseHumanSize(value)
  } catch (error) {
    throw new UsageError(`Unexpected --disk size=\`${value}\`: ${(error as Error).message}`, 'Give GiB as a bare number (size=20) or a size with a unit (20G, 512MiB).')
  }
}

const rawExtensions = /\.(iso|img|raw)$/i
const diskDevices = ['disk', 'cdrom', 'floppy', 'lun'] as const
const diskBuses = ['virtio', 'scsi', 'sata', 'ide', 'usb', 'fdc', 'xen', 'sd'] as const

/**
 * A `--disk` option → the model's disk spec. `name` and `index` name a new image when no path is
 * given (`/var/lib/libvirt/images/NAME-1.qcow2`); without `name` a path is required (hot-plug).
 */
export function diskSpec(value: string, image?: { name: string; index: number }): DiskSpecInput {
  const { bare, fields } = parseDeviceOption('disk', value)
  if (bare !== undefined && fields.path !== undefined) throw new UsageError(`Unexpected both \`${bare}\` and path= in --disk, expected one path`)
  if (fields.size !== undefined) diskSize(fields.size)
  const device = fields.device === undefined ? 'disk' : oneOf('disk', 'device', fields.device, diskDevices)
  const given = bare ?? fields.path
  if (given !== undefined && !given.startsWith('/')) throw new UsageError(`Unexpected --disk path \`${given}\`, expected an absolute path`, 'libvirt needs the full path of the image, e.g. /var/lib/libvirt/images/data.qcow2.')
  // virt-install's defaults: CD-ROMs and existing raw images are raw; a new image is qcow2.
  const format = fields.format ?? (device === 'cdrom' || device === 'floppy' || (given !== undefined && rawExtensions.test(given)) ? 'raw' : 'qcow2')
  let path = given
  if (path === undefined && device === 'disk') {
    if (image === undefined) throw new UsageError(`Unexpected --disk \`${value}\` without a path`, 'Name the image: --disk path=/var/lib/libvirt/images/data.qcow2 (or a bare path).')
    path = `/var/lib/libvirt/images/${image.name}${image.index === 0 ? '' : `-${image.index}`}.${format === 'qcow2' ? 'qcow2' : 'img'}`
  }
  return {
    ...(path === undefined ? {} : { source: { file: path } }),
    ...(device === 'disk' ? {} : { device }),
    ...(path === undefined ? {} : { format: format as 'qcow2' }),
    ...(fields.bus !== undefined ? { bus: oneOf('disk', 'bus', fields.bus, diskBuses) } : {}),
    ...(fields.target !== undefined ? { target: fields.target } : {}),
    ...(fields.serial !== undefined ? { serial: fields.serial } : {}),
    ...(fields.cache !== undefined ? { cache: fields.cache as 'none' } : {}),
    ...(fields.discard !== undefined ? { discard: fields.discard as 'unmap' } : {}),
    ...(fields.readonly !== undefined ? { readonly: yesNo('disk', 'readonly', fields.readonly) } : {}),
    ...(fields.shareable !== undefined ? { shareable: yesNo('disk', 'shareable', fields.shareable) } : {}),
    ...(fields['boot.order'] !== undefined ? { bootOrder: order('disk', fields['boot.order']) } : {}),
    ...(fields['alias.name'] !== undefined ? { alias: fields['alias.name'] } : {}),
  }
}

const nicTypes = ['network', 'bridge', 'user', 'direct'] as const

/** A `--nic` option → the model's NIC spec: `user`, `default`, `network=default`, `bridge=br0`, `type=direct,source=eth0`. */
export function nicSpec(value: string): NicSpecInput {
  const { bare, fields } = parseDeviceOption('nic', value)
  const sources = (['network', 'bridge'] as const).filter((k) => fields[k] !== undefined)
  if (sources.length > 1) throw new UsageError(`Unexpected network= with bridge= in --nic \`${value}\`, expected one`)
  let type: NicSpecInput['type']
  let source: string | undefined
  if (bare !== undefined) {
    if (sources.length > 0 || fields.type !== undefined) throw new UsageError(`Unexpected \`${bare}\` with ${sources[0] ?? 'type'}= in --nic \`${value}\``, 'Give a bare `user` or network name, or KEY=VALUE pairs.')
    type = bare === 'user' ? 'user' : 'network'
    source = bare === 'user' ? undefined : bare
  } else {
    type = fields.type !== undefined ? oneOf('nic', 'type', fields.type, nicTypes) : sources[0] ?? (fields.source !== undefined ? 'direct' : 'network')
    source = type === 'network' ? fields.network : type === 'bridge' ? fields.bridge : type === 'direct' ? fields.source : undefined
    if (sources[0] !== undefined && sources[0] !== type) throw new UsageError(`Unexpected ${sources[0]}= with type=${type} in --nic \`${value}\``)
    if (type === 'user' && fields.source !== undefined) throw new UsageError(`Unexpected source= with type=user in --nic \`${value}\``)
    if (type !== 'user' && source === undefined) throw new UsageError(`Unexpected --nic \`${value}\` without a ${type === 'direct' ? 'source=DEV' : `${type}=NAME`}`, 'Examples: --nic network=default, --nic bridge=br0, --nic user.')
  }
  return {
    type,
    ...(source === undefined ? {} : { source }),
    ...(fields.model !== undefined ? { model: fields.model } : {}),
    ...(fields.mac !== undefined ? { mac: fields.mac } : {}),
    ...(fields['boot.order'] !== undefined ? { bootOrder: order('nic', fields['boot.order']) } : {}),
    ...(fields['alias.name'] !== undefined ? { alias: fields['alias.name'] } : {}),
  }
}

/** The smallest guest `new` writes: firmware and a kernel do not boot in less (virt-install's own tests use 64 MiB). */
export const minimumMemory = 64 * 1024 ** 2

/**
 * `--memory`: a bare number is MiB, as virt-install's `--memory 2048`; with a unit it is read as
 * libvirt reads units (`G`/`GiB` are 1024³, `GB` is 1000³: 2GB is 1.86 GiB). Below {@link minimumMemory} is refused.
 */
export function memorySize(value: string | number, what = '--memory'): number {
  let bytes: number
  if (typeof value === 'number') bytes = value
  else if (/^[0-9]+$/.test(value.trim())) bytes = Number(value.trim()) * 1024 ** 2
  else {
    try {
      bytes = parseHumanSize(value)
    } catch (error) {
      throw new UsageError(`Unexpected ${what} \`${value}\`: ${(error as Error).message}`, 'A bare number is MiB (--memory 2048); or give a unit: 2GiB, 512MiB.')
    }
  }
  if (bytes < minimumMemory) {
    throw new UsageError(`Unexpected ${what} \`${value}\` (${bytes} bytes), expected at least 64 MiB`, typeof value === 'number' ? 'A number in a spec file is bytes; write a unit: memory: 2GiB.' : 'A bare number is MiB (--memory 2048 is 2 GiB); with a unit: 2GiB.')
  }
  return bytes
}

type XmlNode = { readonly type: string; readonly name?: string; readonly attributes?: Readonly<Record<string, string | undefined>>; readonly children?: readonly XmlNode[] }

function elements(node: XmlNode | undefined, name: string): XmlNode[] {
  return (node?.children ?? []).filter((c) => c.type === 'element' && c.name === name)
}

/**
 * Refuses a composed domain whose disks ask for a bus its machine does not have: q35 has no IDE
 * controller (libvirt refuses `bus='ide'` there: "IDE controllers are unsupported for this QEMU binary or machine type").
 */
export function refuseMissingBuses(document: { readonly root: XmlNode }): void {
  const domain = document.root
  const type = elements(elements(domain, 'os')[0], 'type')[0]
  const machine = type?.attributes?.machine ?? ''
  // libvirt's q35 family (q35, pc-q35-*, on x86), not any name containing "q35".
  if (!isQ35(machine, type?.attributes?.arch ?? 'x86_64')) return
  for (const disk of elements(elements(domain, 'devices')[0], 'disk')) {
    const target = elements(disk, 'target')[0]
    if (target?.attributes?.bus === 'ide') {
      const dev = target.attributes.dev
      throw new UsageError(`Unexpected bus=ide for disk${dev ? ` ${dev}` : ''}: the ${machine} machine has no IDE controller`, disk.attributes?.device === 'cdrom' ? 'Use bus=sata for a CD-ROM on q35 (or leave bus= out).' : 'Use bus=sata (or virtio, scsi) on q35, or leave bus= out.')
    }
  }
}

/**
 * The device a hot-plug command's `--disk`/`--nic` stands for (plan-attach, attach), as the same
 * spec `new` takes; `--bus B` is kept as a short form of `bus=B`.
 */
export function hotplugDeviceSpec(values: { disk?: string | undefined; nic?: string | undefined; bus?: string | undefined }): { disk: DiskSpecInput } | { nic: NicSpecInput } | undefined {
  if (values.disk !== undefined && values.nic !== undefined) throw new UsageError('Unexpected --disk with --nic, expected one device')
  if (values.bus !== undefined && values.disk === undefined) throw new UsageError('Unexpected --bus without --disk', 'Write the bus in the disk option: --disk /x.qcow2,bus=sata.')
  if (values.disk !== undefined) return { disk: diskSpec(values.bus === undefined ? values.disk : `${values.disk},bus=${values.bus}`) }
  if (values.nic !== undefined) return { nic: nicSpec(values.nic) }
  return undefined
}

const aliasPattern = /^ua-[A-Za-z0-9_-]+$/

function aliasOf(option: string, value: string | undefined): string {
  if (value === undefined) return ''
  if (!aliasPattern.test(value)) throw new UsageError(`Unexpected --${option} alias.name=\`${value}\`, expected ua- and letters, digits, _ or -`)
  return `<alias name='${value}'/>`
}

const controllerTypes = ['scsi', 'usb', 'virtio-serial', 'sata', 'ccid', 'ide', 'fdc', 'pci', 'xenbus', 'isa'] as const

/**
 * A `--controller` option → the `<controller>` element: `scsi`, `type=scsi,model=virtio-scsi`, `usb3`
 * (virt-install's shorthand for qemu-xhci), `type=usb,model=qemu-xhci,index=1`.
 */
export function controllerXml(value: string): string {
  const { bare, fields } = parseDeviceOption('controller', value)
  if (bare !== undefined && fields.type !== undefined) throw new UsageError(`Unexpected both \`${bare}\` and type= in --controller`)
  const shorthand: Readonly<Record<string, { type: string; model: string }>> = { usb2: { type: 'usb', model: 'ich9-ehci1' }, usb3: { type: 'usb', model: 'qemu-xhci' } }
  const given = bare ?? fields.type
  if (given === undefined) throw new UsageError(`Unexpected --controller \`${value}\` without a type`, 'Example: --controller type=scsi,model=virtio-scsi')
  const type = shorthand[given]?.type ?? oneOf('controller', 'type', given, controllerTypes)
  const model = fields.model ?? shorthand[given]?.model
  if (model !== undefined && !/^[a-z0-9][a-z0-9.-]*$/.test(model)) throw new UsageError(`Unexpected --controller model=\`${model}\`, expected a model name such as virtio-scsi`)
  if (fields.index !== undefined && !/^[0-9]+$/.test(fields.index)) throw new UsageError(`Unexpected --controller index=\`${fields.index}\`, expected a whole number`)
  const alias = aliasOf('controller', fields['alias.name'])
  const attributes = `type='${type}'${fields.index !== undefined ? ` index='${Number(fields.index)}'` : ''}${model !== undefined ? ` model='${model}'` : ''}`
  return alias ? `<controller ${attributes}>${alias}</controller>` : `<controller ${attributes}/>`
}

/**
 * A `--hostdev` option → the `<hostdev>` element, for the device forms virt-install's `--hostdev` takes:
 * a PCI address or node device name, a USB bus.device, a USB vendor:product.
 */
export function hostdevXml(value: string): string {
  const { bare, fields } = parseDeviceOption('hostdev', value)
  if (bare === undefined) throw new UsageError(`Unexpected --hostdev \`${value}\` without a device`, 'Name it first: --hostdev 0000:01:00.0, pci_0000_01_00_0, 001.003 or 0x046d:0xc52b.')
  const managed = fields.managed === undefined ? 'yes' : yesNo('hostdev', 'managed', fields.managed) ? 'yes' : 'no'
  const extra = `${fields['boot.order'] !== undefined ? `<boot order='${order('hostdev', fields['boot.order'])}'/>` : ''}${aliasOf('hostdev', fields['alias.name'])}`
  const pci = /^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(bare) ?? /^pci_([0-9a-f]{4})_([0-9a-f]{2})_([0-9a-f]{2})_([0-7])$/i.exec(bare)
  if (pci) {
    const [, domain = '0000', bus, slot, fn] = pci
    return `<hostdev mode='subsystem' type='pci' managed='${managed}'><source><address domain='0x${domain.toLowerCase()}' bus='0x${bus!.toLowerCase()}' slot='0x${slot!.toLowerCase()}' function='0x${fn}'/></source>${extra}</hostdev>`
  }
  const usbAddress = /^([0-9]{1,3})\.([0-9]{1,3})$/.exec(bare)
  if (usbAddress) return `<hostdev mode='subsystem' type='usb' managed='${managed}'><source><address bus='${Number(usbAddress[1])}' device='${Number(usbAddress[2])}'/></source>${extra}</hostdev>`
  const usbId = /^0x([0-9a-f]{4}):0x([0-9a-f]{4})$/i.exec(bare)
  if (usbId) return `<hostdev mode='subsystem' type='usb' managed='${managed}'><source><vendor id='0x${usbId[1]!.toLowerCase()}'/><product id='0x${usbId[2]!.toLowerCase()}'/></source>${extra}</hostdev>`
  throw new UsageError(`Unexpected --hostdev \`${bare}\`, expected a PCI address (0000:01:00.0), a node device (pci_0000_01_00_0), a USB bus.device (001.003) or vendor:product (0x046d:0xc52b)`)
}

/**
 * The device element a hot-plug command's device option stands for (plan-attach, attach): `--disk` and
 * `--nic` as `new` reads them, `--controller` and `--hostdev` as virt-install's; at most one of them.
 */
export function hotplugDevice(values: { disk?: string | undefined; nic?: string | undefined; bus?: string | undefined; controller?: string | undefined; hostdev?: string | undefined }): Element | undefined {
  const given = (['disk', 'nic', 'controller', 'hostdev'] as const).filter((k) => values[k] !== undefined)
  if (given.length > 1) throw new UsageError(`Unexpected --${given[0]} with --${given[1]}, expected one device`)
  if (values.controller !== undefined) return parseLibvirtXml(controllerXml(values.controller)).root
  if (values.hostdev !== undefined) return parseLibvirtXml(hostdevXml(values.hostdev)).root
  const spec = hotplugDeviceSpec(values)
  return spec === undefined ? undefined : deviceFromSpec(spec)
}
