// libosinfo's database (osinfo-db) read into plain records, and compiled into the compact OS table
// the rules consult: inheritance (derives-from, clones) resolved, PCI/USB ids turned into names.
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { DefaultsError } from './errors.ts'

/** One `<os>` of osinfo-db as written, before inheritance. */
export interface OsinfoRecord {
  readonly id: string
  readonly shortIds: readonly string[]
  readonly name: string
  readonly version?: string
  readonly family?: string
  readonly distro?: string
  readonly releaseDate?: string
  readonly eolDate?: string
  readonly derivesFrom: readonly string[]
  readonly clones: readonly string[]
  readonly upgrades: readonly string[]
  /** Device ids with `supported="false"` as `false`. */
  readonly devices: Readonly<Record<string, boolean>>
  /** Devices whose drivers can be installed (Windows' virtio-win), from `*.d/*-installable-drivers.xml`. */
  readonly driverDevices: readonly string[]
  /** `arch:type` → supported, e.g. `x86_64:efi` → true, `x86_64:bios` → false. */
  readonly firmware: Readonly<Record<string, boolean>>
  /**
   * Architectures the OS is published for: the `arch` of its `<media>`, `<tree>` and `<image>`
   * (`all` counts as every one); empty when it lists none (then nothing is known per architecture).
   */
  readonly arches: readonly string[]
  /** Resources for `x86_64` (or `all`): minimum and recommended RAM (bytes), vCPUs, storage (bytes). */
  readonly resources: Readonly<Partial<Record<'minRam' | 'recRam' | 'minCpus' | 'recCpus' | 'minStorage' | 'recStorage', number>>>
}

/** The device names virtuned's rules speak of, keyed by osinfo device id. */
export const osinfoDeviceNames: Readonly<Record<string, string>> = {
  'http://pcisig.com/pci/1af4/1000': 'virtio-net',
  'http://pcisig.com/pci/1af4/1001': 'virtio-block',
  'http://pcisig.com/pci/1af4/1002': 'virtio-balloon',
  'http://pcisig.com/pci/1af4/1003': 'virtio-console',
  'http://pcisig.com/pci/1af4/1004': 'virtio-scsi',
  'http://pcisig.com/pci/1af4/1005': 'virtio-rng',
  'http://pcisig.com/pci/1af4/1009': 'virtio-9p',
  'http://pcisig.com/pci/1af4/1041': 'virtio1.0-net',
  'http://pcisig.com/pci/1af4/1042': 'virtio1.0-block',
  'http://pcisig.com/pci/1af4/1043': 'virtio1.0-console',
  'http://pcisig.com/pci/1af4/1044': 'virtio1.0-rng',
  'http://pcisig.com/pci/1af4/1045': 'virtio1.0-balloon',
  'http://pcisig.com/pci/1af4/1048': 'virtio1.0-scsi',
  'http://pcisig.com/pci/1af4/1049': 'virtio1.0-9p',
  'http://pcisig.com/pci/1af4/1050': 'virtio1.0-gpu',
  'http://pcisig.com/pci/1af4/1052': 'virtio1.0-input',
  'http://pcisig.com/pci/1af4/105a': 'virtio1.0-fs',
  'http://pcisig.com/pci/1b36/0100': 'qxl',
  'http://pcisig.com/pci/1b36/0004': 'qemu-xhci',
  'http://pcisig.com/pci/1033/0194': 'nec-xhci',
  'http://pcisig.com/pci/8086/2668': 'ich6-hda',
  'http://pcisig.com/pci/8086/293e': 'ich9-hda',
  'http://pcisig.com/pci/8086/2415': 'ac97',
  'http://pcisig.com/pci/8086/10d3': 'e1000e',
  'http://pcisig.com/pci/8086/100e': 'e1000',
  'http://pcisig.com/pci/10ec/8139': 'rtl8139',
  'http://pcisig.com/pci/1234/1111': 'bochs-display',
  'http://usb.org/usb/80ee/0021': 'usb-tablet',
  'http://qemu.org/chipset/x86/q35': 'q35',
}

function children(element: Element, name: string): Element[] {
  return element.children.filter((c): c is Element => c.type === 'element' && c.name === name)
}

function text(element: Element | undefined): string | undefined {
  if (!element) return undefined
  const value = element.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.value : '')).join('').trim()
  return value === '' ? undefined : value
}

function first(element: Element, name: string): Element | undefined {
  // osinfo-db writes translated names with xml:lang; the untranslated one has none.
  return children(element, name).find((c) => c.attributes['xml:lang'] === undefined)
}

function resources(os: Element): OsinfoRecord['resources'] {
  const blocks = children(os, 'resources')
  const block = blocks.find((r) => r.attributes.arch === 'x86_64') ?? blocks.find((r) => r.attributes.arch === 'all')
  if (!block) return {}
  const out: Partial<Record<'minRam' | 'recRam' | 'minCpus' | 'recCpus' | 'minStorage' | 'recStorage', number>> = {}
  const read = (kind: 'minimum' | 'recommended', prefix: 'min' | 'rec') => {
    const e = first(block, kind)
    if (!e) return
    const num = (name: string) => { const v = text(first(e, name)); return v === undefined ? undefined : Number(v) }
    const ram = num('ram'); const cpus = num('n-cpus'); const storage = num('storage')
    if (ram !== undefined && Number.isFinite(ram)) out[`${prefix}Ram`] = ram
    if (cpus !== undefined && Number.isFinite(cpus)) out[`${prefix}Cpus`] = cpus
    if (storage !== undefined && Number.isFinite(storage)) out[`${prefix}Storage`] = storage
  }
  read('minimum', 'min')
  read('recommended', 'rec')
  return out
}

function deviceMap(parent: Element | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  if (!parent) return out
  for (const d of children(parent, 'device')) {
    const id = d.attributes.id
    if (id) out[id] = d.attributes.supported !== 'false'
  }
  return out
}

/**
 * Reads one osinfo-db file. OS files yield their `<os>` entries; driver files (`<libosinfo><os
 * id=…><driver>…`) yield entries with only `driverDevices`, merged by {@link compileOsTable}.
 * @throws DefaultsError `defaults-bad-osinfo` naming the file when it is not osinfo XML.
 */
export function parseOsinfoXml(xml: string | Uint8Array, file = 'osinfo.xml'): OsinfoRecord[] {
  let root: Element | undefined
  try {
    root = rootElement(parseXml(xml, { positions: false }))
  } catch (error) {
    throw new DefaultsError('defaults-bad-osinfo', `${file}: ${(error as Error).message}`, { path: file, cause: error })
  }
  if (!root || root.name !== 'libosinfo') throw new DefaultsError('defaults-bad-osinfo', `${file}: expected a <libosinfo> document`, { path: file })
  return children(root, 'os').map((os) => {
    const id = os.attributes.id
    if (!id) throw new DefaultsError('defaults-bad-osinfo', `${file}: an <os> without id`, { path: file })
    const firmware: Record<string, boolean> = {}
    for (const f of children(os, 'firmware')) firmware[`${f.attributes.arch ?? 'all'}:${f.attributes.type ?? ''}`] = f.attributes.supported !== 'false'
    const driverDevices = children(os, 'driver').flatMap((d) => children(d, 'device').map((e) => e.attributes.id ?? '')).filter(Boolean)
    const ids = (name: string) => children(os, name).map((e) => e.attributes.id ?? '').filter(Boolean)
    const record: OsinfoRecord = {
      id,
      shortIds: children(os, 'short-id').map((e) => text(e) ?? '').filter(Boolean),
      name: text(first(os, 'name')) ?? id,
      ...opt('version', text(first(os, 'version'))),
      ...opt('family', text(first(os, 'family'))),
      ...opt('distro', text(first(os, 'distro'))),
      ...opt('releaseDate', text(first(os, 'release-date'))),
      ...opt('eolDate', text(first(os, 'eol-date'))),
      derivesFrom: ids('derives-from'),
      clones: ids('clones'),
      upgrades: ids('upgrades'),
      devices: deviceMap(first(os, 'devices')),
      driverDevices,
      firmware,
      arches: [...new Set(['media', 'tree', 'image'].flatMap((name) => children(os, name).map((e) => e.attributes.arch ?? 'all')))].sort(),
      resources: resources(os),
    }
    return record
  })
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}

/** One OS of the compact table: inheritance resolved, devices by name. */
export interface OsEntry {
  readonly id: string
  readonly shortId: string
  readonly name: string
  readonly family: string
  readonly distro: string
  readonly version: string
  readonly released?: string
  readonly eol?: string
  /** The OS it derives from or clones, for "nearest known release" fallbacks and reports. */
  readonly parent?: string
  /** Devices the OS has in-box drivers for (names of {@link osinfoDeviceNames}). */
  readonly devices: readonly string[]
  /** Devices whose drivers can be added (virtio-win for Windows). */
  readonly installableDrivers: readonly string[]
  /**
   * Architectures osinfo-db publishes the OS for (installer media, trees, cloud images), sorted;
   * left out when it lists none: then every architecture is allowed (nothing is known). `all` means every one.
   */
  readonly arches?: readonly string[]
  /** x86_64 firmware: `efi-required` (no BIOS boot), `efi` (both), `bios` (no EFI listed). */
  readonly firmware: 'efi-required' | 'efi' | 'bios'
  readonly minRam?: number
  readonly recRam?: number
  readonly minCpus?: number
  readonly recCpus?: number
  readonly recStorage?: number
}

/** The table virtuned ships: which osinfo-db it was made from, and the OSes. */
export interface OsTable {
  readonly source: string
  readonly entries: readonly OsEntry[]
}

/**
 * Resolves inheritance (an OS inherits devices, firmware and resources from what it derives from
 * or clones, and may withdraw a device with `supported="false"`) and keeps what the rules need.
 */
export function compileOsTable(records: readonly OsinfoRecord[], source: string): OsTable {
  // An OS's driver files (`win-10.d/*-installable-drivers.xml`) repeat its <os> with only <driver>s:
  // the record with a family is the OS itself, the others add installable drivers to it.
  const byId = new Map<string, OsinfoRecord>()
  for (const r of records) {
    const known = byId.get(r.id)
    if (!known) { byId.set(r.id, r); continue }
    const [base, extra] = known.family !== undefined ? [known, r] : [r, known]
    byId.set(r.id, { ...base, driverDevices: [...base.driverDevices, ...extra.driverDevices] })
  }
  const resolved = new Map<string, { devices: Map<string, boolean>; firmware: Record<string, boolean>; res: OsinfoRecord['resources'] }>()
  const resolve = (id: string, seen: Set<string>): { devices: Map<string, boolean>; firmware: Record<string, boolean>; res: OsinfoRecord['resources'] } => {
    const done = resolved.get(id)
    if (done) return done
    const r = byId.get(id)
    if (!r || seen.has(id)) return { devices: new Map(), firmware: {}, res: {} }
    seen.add(id)
    const devices = new Map<string, boolean>()
    let firmware: Record<string, boolean> = {}
    let res: OsinfoRecord['resources'] = {}
    for (const parent of [...r.derivesFrom, ...r.clones]) {
      const p = resolve(parent, seen)
      for (const [d, ok] of p.devices) if (ok) devices.set(d, true)
      firmware = { ...p.firmware, ...firmware }
      res = { ...p.res, ...res }
    }
    for (const [d, ok] of Object.entries(r.devices)) devices.set(d, ok)
    const own = { devices, firmware: { ...firmware, ...r.firmware }, res: Object.keys(r.resources).length > 0 ? { ...res, ...r.resources } : res }
    resolved.set(id, own)
    return own
  }
  // virtio-win ships drivers for the releases after the last one osinfo-db lists them for.
  const driverIds = (id: string, seen: Set<string>): string[] => {
    const r = byId.get(id)
    if (!r || seen.has(id)) return []
    seen.add(id)
    return r.driverDevices.length > 0 ? [...r.driverDevices] : [...r.derivesFrom, ...r.clones].flatMap((p) => driverIds(p, seen))
  }
  const entries: OsEntry[] = []
  for (const r of byId.values()) {
    if (r.shortIds.length === 0) continue
    const { devices, firmware, res } = resolve(r.id, new Set())
    const names = [...devices].filter(([, ok]) => ok).map(([d]) => osinfoDeviceNames[d]).filter((n): n is string => n !== undefined).sort()
    const installable = driverIds(r.id, new Set()).map((d) => osinfoDeviceNames[d]).filter((n): n is string => n !== undefined)
    const efi = firmware['x86_64:efi'] ?? firmware['all:efi']
    const bios = firmware['x86_64:bios'] ?? firmware['all:bios']
    const parent = r.derivesFrom[0] ?? r.clones[0]
    entries.push({
      id: r.id,
      shortId: r.shortIds[0]!,
      name: r.name,
      family: r.family ?? 'unknown',
      distro: r.distro ?? 'unknown',
      version: r.version ?? '',
      ...(r.releaseDate === undefined ? {} : { released: r.releaseDate }),
      ...(r.eolDate === undefined ? {} : { eol: r.eolDate }),
      ...(parent === undefined ? {} : { parent }),
      devices: names,
      ...(r.arches.length === 0 ? {} : { arches: r.arches }),
      installableDrivers: [...new Set(installable)].sort(),
      firmware: efi === true && bios === false ? 'efi-required' : efi === true ? 'efi' : 'bios',
      ...(res.minRam === undefined ? {} : { minRam: res.minRam }),
      ...(res.recRam === undefined ? {} : { recRam: res.recRam }),
      ...(res.minCpus === undefined ? {} : { minCpus: res.minCpus }),
      ...(res.recCpus === undefined ? {} : { recCpus: res.recCpus }),
      ...(res.recStorage === undefined ? {} : { recStorage: res.recStorage }),
    })
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { source, entries }
}
