import type { Element, Root } from '@virtuned/xml-core'
import type { z } from 'zod'
import { childrenOf, el, elementChildren, firstChild, textOf, type Located } from './_xml.ts'
import { parseDomain, type LibvirtDocument } from './document.ts'
import { DomainModelError } from './errors.ts'
import { checkedSpecSchema, nicSourcePatterns, parseSpec, specFeatures, type DomainSpec, type DomainSpecInput, type SpecOptions } from './spec.ts'
import { parseSize } from './units.ts'
import { libosinfoNamespace, localName, namespaceOf } from './libvirt/namespaces.ts'

// spec ⇄ XML. `fromSpec` writes exactly what the spec says, in the order `virsh dumpxml`
// prints, and nothing else: defaults and policies (later packages) add the rest as
// layers. `toSpec` reads what the spec can say and lists everything else by path, so a
// caller always knows what a spec round trip would leave behind.

export { libosinfoNamespace }

const yesNo = (value: boolean): string => (value ? 'yes' : 'no')
const str = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(value))
const present = <T>(items: readonly (T | undefined | false)[]): T[] => items.filter((i): i is T => i !== undefined && i !== false)

type Disk = DomainSpec['disks'][number]
type Nic = DomainSpec['nics'][number]

function diskXml(disk: Disk): Element {
  const source = disk.source
  const type = !source || 'file' in source ? 'file' : 'block' in source ? 'block' : 'pool' in source ? 'volume' : 'network'
  let sourceXml: Element | undefined
  if (source) {
    if ('file' in source) sourceXml = el('source', { file: source.file })
    else if ('block' in source) sourceXml = el('source', { dev: source.block })
    else if ('pool' in source) sourceXml = el('source', { pool: source.pool, volume: source.volume })
    else sourceXml = el('source', { protocol: source.protocol, name: source.name }, present([source.host && el('host', { name: source.host.name, port: str(source.host.port) })]))
  }
  return el('disk', { type, device: disk.device }, present([
    (disk.format !== undefined || disk.cache !== undefined || disk.discard !== undefined) && el('driver', { type: disk.format, cache: disk.cache, discard: disk.discard }),
    sourceXml,
    (disk.target !== undefined || disk.bus !== undefined) && el('target', { dev: disk.target, bus: disk.bus }),
    disk.bootOrder !== undefined && el('boot', { order: String(disk.bootOrder) }),
    disk.readonly && el('readonly'),
    disk.shareable && el('shareable'),
    disk.serial !== undefined && el('serial', {}, [disk.serial]),
    disk.alias !== undefined && el('alias', { name: disk.alias }),
  ]))
}

const nicSourceAttribute = { network: 'network', bridge: 'bridge', direct: 'dev' } as const

function nicXml(nic: Nic): Element {
  return el('interface', { type: nic.type }, present([
    nic.mac !== undefined && el('mac', { address: nic.mac }),
    nic.type !== 'user' && nic.source !== undefined && el('source', { [nicSourceAttribute[nic.type]]: nic.source }),
    nic.model !== undefined && el('model', { type: nic.model }),
    nic.bootOrder !== undefined && el('boot', { order: String(nic.bootOrder) }),
    nic.alias !== undefined && el('alias', { name: nic.alias }),
  ]))
}

/**
 * Write a spec as a domain document, in the element order `virsh dumpxml` prints
 * (`serialize(fromSpec(spec))` gives the text). Only what the spec says is written:
 * libvirt, defaults and policies fill the rest (emulator, controllers, addresses …).
 *
 * @param spec - A spec as written (sizes may be strings such as `'4GiB'`) or already parsed.
 * @param options - `limits`: how many devices the spec may have (default `deviceLimits`).
 * @throws DomainModelError `model-invalid-spec` with the path of the first problem;
 *   `model-too-many-devices` for more devices than the limits.
 */
export function fromSpec(spec: DomainSpecInput | DomainSpec, options: SpecOptions = {}): LibvirtDocument {
  const s = parseSpec(spec, options)
  const os = s.os
  const kib = (bytes: number): string => String(bytes / 1024)
  const devices = [
    ...s.disks.map(diskXml),
    ...s.nics.map(nicXml),
    s.tpm && el('tpm', { model: s.tpm.model }, [el('backend', { type: s.tpm.backend, version: s.tpm.version })]),
    ...s.graphics.map((g) => el('graphics', {
      type: g.type,
      port: str(g.port),
      autoport: g.autoport === undefined ? undefined : yesNo(g.autoport),
      listen: g.listen,
      passwd: g.password,
    })),
    ...s.sound.map((sound) => el('sound', { model: sound.model })),
    s.video && el('video', {}, [el('model', { type: s.video.model, vram: s.video.vram === undefined ? undefined : kib(s.video.vram), heads: str(s.video.heads) })]),
    s.rng && el('rng', { model: s.rng.model }, [el('backend', { model: s.rng.backend }, present([s.rng.source]))]),
  ]
  const topology = s.cpu?.topology
  const domain = el('domain', { type: s.type }, present([
    el('name', {}, [s.name]),
    s.uuid !== undefined && el('uuid', {}, [s.uuid]),
    s.title !== undefined && el('title', {}, [s.title]),
    s.description !== undefined && el('description', {}, [s.description]),
    s.osinfo !== undefined && el('metadata', {}, [
      el('libosinfo:libosinfo', { 'xmlns:libosinfo': libosinfoNamespace }, [el('libosinfo:os', { id: s.osinfo })]),
    ]),
    el('memory', { unit: 'KiB' }, [kib(s.memory)]),
    s.currentMemory !== undefined && el('currentMemory', { unit: 'KiB' }, [kib(s.currentMemory)]),
    el('vcpu', {}, [String(s.vcpus)]),
    el('os', { firmware: os.firmware }, present([
      el('type', { arch: os.arch, machine: os.machine }, [os.type]),
      os.secureBoot !== undefined && el('firmware', {}, [el('feature', { enabled: yesNo(os.secureBoot), name: 'secure-boot' })]),
      os.kernel !== undefined && el('kernel', {}, [os.kernel]),
      os.initrd !== undefined && el('initrd', {}, [os.initrd]),
      os.cmdline !== undefined && el('cmdline', {}, [os.cmdline]),
      ...os.boot.map((dev) => el('boot', { dev })),
    ])),
    s.features.length > 0 && el('features', {}, s.features.map((name) => el(name))),
    s.cpu && el('cpu', { mode: s.cpu.mode }, present([
      s.cpu.model !== undefined && el('model', {}, [s.cpu.model]),
      topology && el('topology', { sockets: String(topology.sockets), dies: str(topology.dies), clusters: str(topology.clusters), cores: String(topology.cores), threads: String(topology.threads) }),
    ])),
    s.clock && el('clock', { offset: s.clock.offset }, s.clock.timers.map((t) => el('timer', {
      name: t.name,
      present: t.present === undefined ? undefined : yesNo(t.present),
      tickpolicy: t.tickpolicy,
    }))),
    s.events?.onPoweroff !== undefined && el('on_poweroff', {}, [s.events.onPoweroff]),
    s.events?.onReboot !== undefined && el('on_reboot', {}, [s.events.onReboot]),
    s.events?.onCrash !== undefined && el('on_crash', {}, [s.events.onCrash]),
    el('devices', {}, present(devices)),
  ]))
  const tree: Root = { type: 'root', children: [domain] }
  return { kind: 'domain', tree, root: domain }
}

// ---- reading ---------------------------------------------------------------------

/** What {@link toSpec} read, and what it could not. */
export interface SpecReading {
  /** The spec: everything the document says that a spec can say. */
  readonly spec: DomainSpec
  /**
   * Paths of what the spec does not carry, outermost first in document order: whole
   * elements (`domain/devices/controller[2]`), attributes of modelled elements
   * (`domain/devices/disk/driver/@name`) and text (`…/text()`). Namespace declarations
   * and comments are not listed. Empty when the spec says everything the document does.
   */
  readonly unmodelled: readonly string[]
}

/** Tracks which elements, attributes and texts the spec took, to list the rest. */
class Reader {
  readonly #elements = new Set<Element>()
  readonly #attributes = new Map<Element, Set<string>>()
  readonly #texts = new Set<Element>()

  use(element: Element): void {
    this.#elements.add(element)
  }

  useText(element: Element): string {
    this.use(element)
    this.#texts.add(element)
    return textOf(element)
  }

  useAttribute(element: Element, name: string): void {
    this.use(element)
    let set = this.#attributes.get(element)
    if (!set) this.#attributes.set(element, (set = new Set()))
    set.add(name)
  }

  /** The attribute's value when the schema accepts it (and then it counts as read). */
  attribute<S extends z.ZodType>(element: Element | undefined, name: string, schema: S, map: (value: string) => unknown = (v) => v): z.output<S> | undefined {
    const written = element?.attributes[name]
    if (element === undefined || written === undefined) return undefined
    const parsed = schema.safeParse(map(written))
    if (!parsed.success) return undefined
    this.useAttribute(element, name)
    return parsed.data
  }

  /** The element's text when the schema accepts it. */
  text<S extends z.ZodType>(element: Element | undefined, schema: S, map: (value: string) => unknown = (v) => v): z.output<S> | undefined {
    if (element === undefined) return undefined
    const parsed = schema.safeParse(map(textOf(element)))
    if (!parsed.success) return undefined
    this.useText(element)
    return parsed.data
  }

  unmodelled(root: Element): string[] {
    const out: string[] = []
    const walk = (at: Located): void => {
      const { element, path } = at
      if (!this.#elements.has(element)) {
        out.push(path)
        return
      }
      const attributes = this.#attributes.get(element)
      for (const name of Object.keys(element.attributes)) {
        if (name === 'xmlns' || name.startsWith('xmlns:') || attributes?.has(name)) continue
        out.push(`${path}/@${name}`)
      }
      if (!this.#texts.has(element) && element.children.some((c) => (c.type === 'text' || c.type === 'cdata') && c.value.trim() !== '')) out.push(`${path}/text()`)
      for (const c of childrenOf(at)) walk(c)
    }
    walk({ element: root, path: root.name })
    return out
  }
}

const shape = checkedSpecSchema.shape
const osShape = shape.os.unwrap().shape
const diskShape = shape.disks.unwrap().element.shape
const nicShape = shape.nics.unwrap().element.shape
const graphicsShape = shape.graphics.unwrap().element.shape
const videoShape = shape.video.unwrap().shape
const tpmShape = shape.tpm.unwrap().shape
const rngShape = shape.rng.unwrap().shape
const cpuShape = shape.cpu.unwrap().shape
const clockShape = shape.clock.unwrap().shape
const timerShape = clockShape.timers.unwrap().element.shape
const eventsShape = shape.events.unwrap().shape

const yesNoValue = (v: string): unknown => (v === 'yes' || v === 'on' ? true : v === 'no' || v === 'off' ? false : v)
const integer = (v: string): unknown => (/^\s*\+?[0-9]+$/.test(v) ? Number(v) : v)

function sizeOf(reader: Reader, element: Element, path: string): number {
  const unit = element.attributes.unit
  const bytes = parseSize(textOf(element), unit, { defaultUnit: 'KiB', path, place: element.position?.start })
  reader.useText(element)
  if (unit !== undefined) reader.useAttribute(element, 'unit')
  // libvirt keeps memory in KiB, rounding up (virDomainParseMemory).
  return Math.ceil(bytes / 1024) * 1024
}

function readMemory(reader: Reader, root: Element): number {
  const memory = firstChild(root, 'memory')
  if (memory) return sizeOf(reader, memory, 'domain/memory')
  // Without <memory>, libvirt sums the guest NUMA cells (which stay unmodelled: the spec has no NUMA).
  const cpu = firstChild(root, 'cpu')
  const numa = cpu && firstChild(cpu, 'numa')
  const cells = numa ? elementChildren(numa).filter((c) => c.name === 'cell' && c.attributes.memory !== undefined) : []
  if (cells.length > 0) {
    let total = 0
    for (const cell of cells) {
      total += parseSize(cell.attributes.memory!, cell.attributes.unit, { defaultUnit: 'KiB', path: 'domain/cpu/numa/cell/@memory', place: cell.position?.start })
    }
    return Math.ceil(total / 1024) * 1024
  }
  throw new DomainModelError('model-missing-element', 'Expected `<memory>` (or guest NUMA cells with memory), found neither', { path: 'domain/memory', place: root.position?.start })
}

// User aliases are unique in a domain: the first device keeps one, a repeat stays unmodelled.
function takeAlias(reader: Reader, alias: Element | undefined, aliases: Set<string>): string | undefined {
  const name = reader.attribute(alias, 'name', diskShape.alias.unwrap().refine((a) => !aliases.has(a)))
  if (name !== undefined) aliases.add(name)
  return name
}

function readDisk(reader: Reader, disk: Element, hypervisor: string, withBootOrder: boolean, aliases: Set<string>): Disk | undefined {
  const type = disk.attributes.type ?? 'file'
  if (type !== 'file' && type !== 'block' && type !== 'volume' && type !== 'network') return undefined
  const device = peek(diskShape.device.unwrap(), disk.attributes.device)
  if (disk.attributes.device !== undefined && device === undefined) return undefined // a device kind the spec has no word for

  // The source, checked before anything counts as read.
  const sourceElement = firstChild(disk, 'source')
  const host = sourceElement && firstChild(sourceElement, 'host')
  let source: Disk['source']
  if (sourceElement) {
    const a = sourceElement.attributes
    let candidate: unknown
    if (type === 'file' && a.file !== undefined) candidate = { file: a.file }
    else if (type === 'block' && a.dev !== undefined) candidate = { block: a.dev }
    else if (type === 'volume' && a.pool !== undefined && a.volume !== undefined) candidate = { pool: a.pool, volume: a.volume }
    else if (type === 'network' && a.protocol !== undefined && a.name !== undefined) {
      const port = host?.attributes.port
      candidate = { protocol: a.protocol, name: a.name, ...(host?.attributes.name === undefined ? {} : { host: { name: host.attributes.name, ...(port === undefined ? {} : { port: integer(port) }) } }) }
    }
    source = peek(diskShape.source.unwrap(), candidate)
    // Only rbd may leave out the host (the spec's cross-field rule, checked here per disk).
    if (source && 'protocol' in source && source.protocol !== 'rbd' && source.host === undefined) source = undefined
  }
  // A LUN passes a block device or a network LUN through; anything else is not a spec disk.
  if (device === 'lun' && (source === undefined || 'file' in source)) return undefined

  reader.use(disk)
  if (device !== undefined) reader.useAttribute(disk, 'device')
  if (sourceElement && source) {
    const take = (...names: string[]): void => { for (const n of names) reader.useAttribute(sourceElement, n) }
    if ('file' in source) take('file')
    else if ('block' in source) take('dev')
    else if ('pool' in source) take('pool', 'volume')
    else {
      take('protocol', 'name')
      if (host && source.host) {
        reader.useAttribute(host, 'name')
        if (source.host.port !== undefined) reader.useAttribute(host, 'port')
      }
    }
  }
  // The type follows from the source, so it is read only with one (or as the default `file`).
  if (disk.attributes.type !== undefined && (source !== undefined || type === 'file')) reader.useAttribute(disk, 'type')
  const driver = firstChild(disk, 'driver')
  if (driver && driver.attributes.name === 'qemu' && (hypervisor === 'kvm' || hypervisor === 'qemu')) reader.useAttribute(driver, 'name') // libvirt's own default
  const target = firstChild(disk, 'target')
  const boot = firstChild(disk, 'boot')
  const alias = firstChild(disk, 'alias')
  const readonly = firstChild(disk, 'readonly')
  const shareable = firstChild(disk, 'shareable')
  if (readonly) reader.use(readonly)
  if (shareable) reader.use(shareable)
  return {
    device: device ?? 'disk',
    ...(source === undefined ? {} : { source }),
    ...optional('target', reader.attribute(target, 'dev', diskShape.target.unwrap())),
    ...optional('bus', reader.attribute(target, 'bus', diskShape.bus.unwrap())),
    ...optional('format', reader.attribute(driver, 'type', diskShape.format.unwrap())),
    readonly: readonly !== undefined,
    shareable: shareable !== undefined,
    ...optional('serial', reader.text(firstChild(disk, 'serial'), diskShape.serial.unwrap())),
    ...optional('bootOrder', withBootOrder ? reader.attribute(boot, 'order', diskShape.bootOrder.unwrap(), integer) : undefined),
    ...optional('alias', takeAlias(reader, alias, aliases)),
    ...optional('cache', reader.attribute(driver, 'cache', diskShape.cache.unwrap())),
    ...optional('discard', reader.attribute(driver, 'discard', diskShape.discard.unwrap())),
  }
}

function readNic(reader: Reader, nic: Element, withBootOrder: boolean, aliases: Set<string>): Nic | undefined {
  // Check before reading anything, so a NIC the spec cannot say is listed whole.
  const type = peek(nicShape.type, nic.attributes.type)
  if (type === undefined) return undefined
  const source = firstChild(nic, 'source')
  const written = type === 'user' ? undefined : peek(nicShape.source.unwrap(), source?.attributes[nicSourceAttribute[type]])
  if (type !== 'user' && (written === undefined || !nicSourcePatterns[type].test(written))) return undefined
  reader.useAttribute(nic, 'type')
  const sourceValue = type === 'user' ? undefined : reader.attribute(source, nicSourceAttribute[type], nicShape.source.unwrap())
  return {
    type,
    ...optional('source', sourceValue),
    ...optional('model', reader.attribute(firstChild(nic, 'model'), 'type', nicShape.model.unwrap())),
    ...optional('mac', reader.attribute(firstChild(nic, 'mac'), 'address', nicShape.mac.unwrap())),
    ...optional('alias', takeAlias(reader, firstChild(nic, 'alias'), aliases)),
    ...optional('bootOrder', withBootOrder ? reader.attribute(firstChild(nic, 'boot'), 'order', nicShape.bootOrder.unwrap(), integer) : undefined),
  }
}

type Graphics = DomainSpec['graphics'][number]

function readGraphics(reader: Reader, graphics: Element): Graphics | undefined {
  const type = reader.attribute(graphics, 'type', graphicsShape.type)
  if (type === undefined) return undefined
  if (type !== 'vnc' && type !== 'spice' && type !== 'rdp') return { type }
  let autoport = reader.attribute(graphics, 'autoport', graphicsShape.autoport.unwrap(), yesNoValue)
  let port = reader.attribute(graphics, 'port', graphicsShape.port.unwrap(), integer)
  // port='-1' is libvirt's older way to say autoport.
  if (graphics.attributes.port === '-1' && (autoport === undefined || autoport)) {
    reader.useAttribute(graphics, 'port')
    autoport = true
    port = undefined
  }
  let listen = reader.attribute(graphics, 'listen', graphicsShape.listen.unwrap())
  for (const l of elementChildren(graphics).filter((c) => c.name === 'listen')) {
    // libvirt writes the listen address twice, as the attribute and as <listen type='address'>.
    if (l.attributes.type !== 'address' || l.attributes.address === undefined) continue
    if (listen === undefined) listen = reader.attribute(l, 'address', graphicsShape.listen.unwrap())
    if (listen !== undefined && l.attributes.address === listen) {
      reader.useAttribute(l, 'type')
      reader.useAttribute(l, 'address')
      break
    }
  }
  return {
    type,
    ...optional('listen', listen),
    ...optional('port', port),
    ...optional('autoport', autoport),
    ...optional('password', reader.attribute(graphics, 'passwd', graphicsShape.password.unwrap())),
  }
}

/** The value if the schema accepts it, without counting it as read. */
function peek<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  if (value === undefined) return undefined
  const parsed = schema.safeParse(value)
  return parsed.success ? parsed.data : undefined
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

/**
 * Read a domain as a spec, and list what the spec does not carry.
 *
 * What is read follows libvirt's semantics: memory is rounded up to whole KiB, a
 * `<currentMemory>` above `<memory>` is clamped to it and `port='-1'` means autoport, as
 * libvirt itself does. A value the spec cannot say (a disk of type `nvme`, a CPU topology
 * that does not multiply out to the vCPU count, a kernel-less `cmdline`) is left out of the
 * spec and listed in `unmodelled` — never silently dropped.
 *
 * @param input - Domain XML (string or UTF-8 bytes) or a parsed domain document.
 * @throws DomainModelError `model-missing-element` without a `<name>` or any memory size,
 *   `model-invalid-value` for values libvirt refuses (a malformed size, zero vCPUs, a name with `/`),
 *   `model-invalid-spec` for a domain no spec can describe (an OS type other than `hvm`), and
 *   `model-unexpected-root` for a device document.
 */
export function toSpec(input: string | Uint8Array | LibvirtDocument): SpecReading {
  const document = typeof input === 'string' || input instanceof Uint8Array ? parseDomain(input) : input
  const root = document.root
  if (root.name !== 'domain') {
    throw new DomainModelError('model-unexpected-root', `Unexpected root \`<${root.name}>\`, expected \`<domain>\``, { path: root.name, place: root.position?.start })
  }
  const reader = new Reader()
  reader.use(root)
  const type = reader.attribute(root, 'type', shape.type.unwrap())

  const nameElement = firstChild(root, 'name')
  if (!nameElement) throw new DomainModelError('model-missing-element', 'Expected `<name>`, found none', { path: 'domain/name', place: root.position?.start })
  const name = reader.text(nameElement, shape.name)
  if (name === undefined) {
    throw new DomainModelError('model-invalid-value', `Unexpected name \`${textOf(nameElement)}\`, expected a non-empty name without \`/\` or a newline`, { path: 'domain/name', place: nameElement.position?.start })
  }
  // libvirt also accepts a UUID as 32 hex digits, and writes it with dashes.
  const uuid = reader.text(firstChild(root, 'uuid'), shape.uuid.unwrap(),
    (v) => (/^[0-9a-fA-F]{32}$/.test(v) ? `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}` : v))

  // <metadata><libosinfo:libosinfo xmlns:libosinfo='…'><libosinfo:os id='…'/>
  let osinfo: string | undefined
  const metadata = firstChild(root, 'metadata')
  if (metadata) {
    reader.use(metadata)
    for (const holder of elementChildren(metadata)) {
      if (osinfo !== undefined || localName(holder.name) !== 'libosinfo' || namespaceOf(holder, [root, metadata]) !== libosinfoNamespace) continue
      const os = elementChildren(holder).find((c) => localName(c.name) === 'os' && namespaceOf(c, [root, metadata, holder]) === libosinfoNamespace)
      osinfo = reader.attribute(os, 'id', shape.osinfo.unwrap())
      if (osinfo !== undefined) reader.use(holder)
    }
  }

  const memory = readMemory(reader, root)
  if (memory < 1024) throw new DomainModelError('model-invalid-value', 'Unexpected memory size 0, expected at least 1 KiB', { path: 'domain/memory' })
  const currentElement = firstChild(root, 'currentMemory')
  // libvirt clamps the balloon target to the memory size, and reads 0 as "all of it".
  const current = currentElement ? Math.min(sizeOf(reader, currentElement, 'domain/currentMemory'), memory) || memory : undefined

  const vcpuElement = firstChild(root, 'vcpu')
  let vcpus = 1 // libvirt's default without <vcpu>
  if (vcpuElement) {
    const count = reader.text(vcpuElement, shape.vcpus, integer)
    if (count === undefined) {
      throw new DomainModelError('model-invalid-value', `Unexpected vCPU count \`${textOf(vcpuElement)}\`, expected 1 to 16384`, { path: 'domain/vcpu', place: vcpuElement.position?.start })
    }
    vcpus = count
    if (vcpuElement.attributes.placement === 'static') reader.useAttribute(vcpuElement, 'placement') // libvirt's own default
  }

  // <os>
  const osElement = firstChild(root, 'os')
  const typeElement = osElement && firstChild(osElement, 'type')
  const osType = reader.text(typeElement, osShape.type.unwrap())
  if (typeElement && osType === undefined) {
    throw new DomainModelError('model-invalid-spec', `The domain cannot be read as a spec: OS type \`${textOf(typeElement)}\`, expected \`hvm\` (the spec describes fully virtualized guests only)`, { path: 'domain/os/type', place: typeElement.position?.start })
  }
  if (osElement) reader.use(osElement)
  const firmware = reader.attribute(osElement, 'firmware', osShape.firmware.unwrap())
  let secureBoot: boolean | undefined
  const firmwareElement = osElement && firstChild(osElement, 'firmware')
  if (firmware === 'efi' && firmwareElement) {
    const feature = elementChildren(firmwareElement).find((f) => f.name === 'feature' && f.attributes.name === 'secure-boot')
    secureBoot = reader.attribute(feature, 'enabled', osShape.secureBoot.unwrap(), yesNoValue)
    if (feature && secureBoot !== undefined) {
      reader.useAttribute(feature, 'name')
      reader.use(firmwareElement)
    }
  }
  const kernel = reader.text(osElement && firstChild(osElement, 'kernel'), osShape.kernel.unwrap())
  const initrd = kernel === undefined ? undefined : reader.text(osElement && firstChild(osElement, 'initrd'), osShape.initrd.unwrap())
  const cmdline = kernel === undefined ? undefined : reader.text(osElement && firstChild(osElement, 'cmdline'), osShape.cmdline.unwrap())
  const boot: DomainSpec['os']['boot'] = []
  for (const b of osElement ? elementChildren(osElement).filter((c) => c.name === 'boot') : []) {
    const dev = b.attributes.dev
    if (boot.length >= 4 || dev === undefined || boot.includes(dev as never)) continue
    const value = reader.attribute(b, 'dev', osShape.boot.unwrap().element)
    if (value !== undefined) boot.push(value)
  }
  const deviceBootOrder = boot.length === 0

  // <features>: a spec feature is on when it is present and not switched off.
  const features: DomainSpec['features'] = []
  const featuresElement = firstChild(root, 'features')
  if (featuresElement) {
    reader.use(featuresElement)
    for (const f of elementChildren(featuresElement)) {
      if (!(specFeatures as readonly string[]).includes(f.name)) continue
      const switchAttribute = f.name === 'async-teardown' ? 'enabled' : 'state'
      const state = f.attributes[switchAttribute]
      if (state !== undefined && state !== 'on' && state !== 'yes') continue
      reader.use(f)
      if (state !== undefined) reader.useAttribute(f, switchAttribute)
      features.push(f.name as DomainSpec['features'][number])
    }
  }

  // <cpu>
  let cpu: DomainSpec['cpu']
  const cpuElement = firstChild(root, 'cpu')
  if (cpuElement) {
    reader.use(cpuElement)
    const topologyElement = firstChild(cpuElement, 'topology')
    let topology: NonNullable<DomainSpec['cpu']>['topology']
    if (topologyElement) {
      const parsed = cpuShape.topology.unwrap().safeParse(Object.fromEntries(['sockets', 'dies', 'clusters', 'cores', 'threads']
        .filter((k) => topologyElement.attributes[k] !== undefined).map((k) => [k, integer(topologyElement.attributes[k]!)])))
      const t = parsed.success ? parsed.data : undefined
      if (t && t.sockets * (t.dies ?? 1) * (t.clusters ?? 1) * t.cores * t.threads === vcpus) {
        topology = t
        for (const k of Object.keys(t)) reader.useAttribute(topologyElement, k)
      }
    }
    cpu = {
      ...optional('mode', reader.attribute(cpuElement, 'mode', cpuShape.mode.unwrap())),
      ...optional('model', reader.text(firstChild(cpuElement, 'model'), cpuShape.model.unwrap())),
      ...optional('topology', topology),
    }
  }

  // <clock>: only with an offset the spec can say (libvirt's schema requires one).
  let clock: DomainSpec['clock']
  const clockElement = firstChild(root, 'clock')
  const offset = reader.attribute(clockElement, 'offset', clockShape.offset)
  if (clockElement && offset !== undefined) {
    const timers: NonNullable<DomainSpec['clock']>['timers'] = []
    for (const t of elementChildren(clockElement).filter((c) => c.name === 'timer')) {
      const timerName = t.attributes.name
      if (timers.some((x) => x.name === timerName)) continue
      const parsedName = reader.attribute(t, 'name', timerShape.name)
      if (parsedName === undefined) continue
      const ticks = parsedName !== 'kvmclock' && parsedName !== 'hypervclock'
      timers.push({
        name: parsedName,
        ...optional('present', reader.attribute(t, 'present', timerShape.present.unwrap(), yesNoValue)),
        ...optional('tickpolicy', ticks ? reader.attribute(t, 'tickpolicy', timerShape.tickpolicy.unwrap()) : undefined),
      })
    }
    clock = { offset, timers }
  }

  // <on_poweroff> …
  const events = {
    ...optional('onPoweroff', reader.text(firstChild(root, 'on_poweroff'), eventsShape.onPoweroff.unwrap())),
    ...optional('onReboot', reader.text(firstChild(root, 'on_reboot'), eventsShape.onReboot.unwrap())),
    ...optional('onCrash', reader.text(firstChild(root, 'on_crash'), eventsShape.onCrash.unwrap())),
  }

  // <devices>
  const disks: Disk[] = []
  const nics: Nic[] = []
  const graphics: Graphics[] = []
  const sound: DomainSpec['sound'] = []
  let video: DomainSpec['video']
  let tpm: DomainSpec['tpm']
  let rng: DomainSpec['rng']
  const devicesElement = firstChild(root, 'devices')
  const hypervisor = type ?? ''
  const aliases = new Set<string>()
  if (devicesElement) {
    reader.use(devicesElement)
    for (const device of elementChildren(devicesElement)) {
      switch (device.name) {
        case 'disk': {
          const disk = readDisk(reader, device, hypervisor, deviceBootOrder, aliases)
          if (disk) disks.push(disk)
          break
        }
        case 'interface': {
          const nic = readNic(reader, device, deviceBootOrder, aliases)
          if (nic) nics.push(nic)
          break
        }
        case 'graphics': {
          if (graphics.some((g) => g.type === device.attributes.type)) break
          const g = readGraphics(reader, device)
          if (g) graphics.push(g)
          break
        }
        case 'sound': {
          const model = reader.attribute(device, 'model', shape.sound.unwrap().element.shape.model)
          if (model !== undefined) sound.push({ model })
          break
        }
        case 'video': {
          if (video) break
          const model = firstChild(device, 'model')
          const modelType = reader.attribute(model, 'type', videoShape.model)
          if (modelType === undefined || !model) break
          reader.use(device)
          video = {
            model: modelType,
            ...optional('heads', reader.attribute(model, 'heads', videoShape.heads.unwrap(), integer)),
            ...optional('vram', reader.attribute(model, 'vram', videoShape.vram.unwrap(), (v) => { const n = integer(v); return typeof n === 'number' ? n * 1024 : v })),
          }
          break
        }
        case 'tpm': {
          if (tpm) break
          const backend = firstChild(device, 'backend')
          const backendType = reader.attribute(backend, 'type', tpmShape.backend)
          if (backendType === undefined) break
          reader.use(device)
          tpm = {
            backend: backendType,
            ...optional('model', reader.attribute(device, 'model', tpmShape.model.unwrap())),
            ...optional('version', backendType === 'emulator' ? reader.attribute(backend, 'version', tpmShape.version.unwrap()) : undefined),
          }
          break
        }
        case 'rng': {
          if (rng) break
          const backend = firstChild(device, 'backend')
          if (peek(rngShape.model.unwrap(), device.attributes.model) === undefined || peek(rngShape.backend.unwrap(), backend?.attributes.model) === undefined) break
          const model = reader.attribute(device, 'model', rngShape.model.unwrap())!
          const backendModel = reader.attribute(backend, 'model', rngShape.backend.unwrap())!
          rng = {
            model,
            backend: backendModel,
            ...optional('source', backendModel === 'random' ? reader.text(backend, rngShape.source.unwrap()) : undefined),
          }
          break
        }
        default:
          break
      }
    }
  }

  const candidate = {
    ...optional('type', type),
    name,
    ...optional('uuid', uuid),
    ...optional('title', reader.text(firstChild(root, 'title'), shape.title.unwrap())),
    ...optional('description', reader.text(firstChild(root, 'description'), shape.description.unwrap())),
    ...optional('osinfo', osinfo),
    memory,
    ...optional('currentMemory', current),
    vcpus,
    os: {
      type: osType ?? 'hvm',
      ...optional('arch', reader.attribute(typeElement, 'arch', osShape.arch.unwrap())),
      ...optional('machine', reader.attribute(typeElement, 'machine', osShape.machine.unwrap())),
      ...optional('firmware', firmware),
      ...optional('secureBoot', secureBoot),
      boot,
      ...optional('kernel', kernel),
      ...optional('initrd', initrd),
      ...optional('cmdline', cmdline),
    },
    features,
    ...optional('cpu', cpu),
    ...optional('clock', clock),
    ...(Object.keys(events).length > 0 ? { events } : {}),
    disks,
    nics,
    graphics,
    ...optional('video', video),
    sound,
    ...optional('tpm', tpm),
    ...optional('rng', rng),
  }
  const parsed = checkedSpecSchema.safeParse(candidate)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new DomainModelError('model-invalid-spec', `The domain cannot be read as a spec: ${issue.path.join('.')}: ${issue.message}`, { path: issue.path.join('.'), place: root.position?.start })
  }
  return { spec: parsed.data, unmodelled: reader.unmodelled(root) }
}
