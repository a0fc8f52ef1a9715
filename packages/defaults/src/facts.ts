// What the rules need to know about a domain, read from its tree.
import { childElement as child, isQ35, machineFamily, pciSlotNeeded, selectsAny, textOf, type MachineFamily } from '@virtuned/model'
import type { Element } from '@virtuned/xml-core'

export interface DiskFacts {
  readonly element: Element
  readonly device: string
  readonly target?: string | undefined
  readonly bus?: string | undefined
  readonly format?: string | undefined
  readonly hasAddress: boolean
}

/** A domain as the rules' conditions see it. */
export interface DomainFacts {
  /** The `<domain>` element the facts were read from (conditions select paths in it). */
  readonly element: Element
  readonly type: string
  readonly vcpus: number
  readonly iothreads: number
  /** `os/type/@arch` as written, else `x86_64` (see `archWritten`). */
  readonly arch: string
  /** Whether the domain writes its architecture; when not, conditions read the host's (libvirt's default is the host's too). */
  readonly archWritten: boolean
  /** `os/type/@machine` as written (`q35`, `pc-q35-8.2`, `pc`…), undefined when unset. */
  readonly machine?: string | undefined
  /** q35-family machine (`q35`, `pc-q35-*` on x86: libvirt's qemuDomainMachineIsQ35), false when unset. */
  readonly isQ35: boolean
  /** The machine's family (`machineFamily` of `@virtuned/model`), undefined when the machine is unset. */
  readonly machineFamily?: MachineFamily | undefined
  /** `efi` with `os/@firmware='efi'` or a pflash loader; `bios` when written so; undefined when unset. */
  readonly firmware?: 'efi' | 'bios' | undefined
  readonly directKernel: boolean
  readonly graphics: readonly string[]
  readonly disks: readonly DiskFacts[]
  readonly interfaces: readonly Element[]
  readonly rootPorts: number
  /** Root ports a device's PCI address already sits on (a defined or live domain): they are not free for hot-plug. */
  readonly usedRootPorts: number
  /** Highest `controller[@type='pci']/@index` in use. */
  readonly maxPciIndex: number
  /** Devices that will each take a PCIe root port of their own on q35 and have no address yet (libvirt's connect flags: `pciSlotNeeded` of `@virtuned/model`). */
  readonly pcieDevices: number
}

// The tree readers and libvirt's machine and PCI knowledge come from @virtuned/model (one
// definition each); `child`/`elementChildren` keep their names here for the rules.
export { childElement as child, childElements as elementChildren } from '@virtuned/model'

// Trees are immutable by convention (every virtuned edit and merge makes a new one), so the facts of
// a <domain> element are kept for the few trees asked about last: policies' conditions ask again
// of the same tree. Not a WeakMap: nearly every tree lives for one call, and V8's minor GC keeps a
// WeakMap key that is young alive (and promotes it, with its whole tree): measured on compose,
// GC went from 17 to 6 µs per domain without such caches.
const recentTrees: Element[] = []
const recentFacts: DomainFacts[] = []
const recentSize = 2

/**
 * The facts of a `<domain>`. `memo`, a map that lives for one composition (never longer: see above),
 * keeps what each device contributes, so the trees of successive stages, which share most devices,
 * read each device once.
 */
export function domainFacts(domain: Element, memo?: Map<Element, unknown>): DomainFacts {
  const at = recentTrees.indexOf(domain)
  if (at >= 0) return recentFacts[at]!
  const facts = readFacts(domain, memo as Map<Element, DeviceFact> | undefined)
  if (recentTrees.length >= recentSize) { recentTrees.pop(); recentFacts.pop() }
  recentTrees.unshift(domain)
  recentFacts.unshift(facts)
  return facts
}

/**
 * Forget the recent trees' facts: a composition calls this when it is done, so that its trees — and
 * the device memo their facts hold — are not kept alive into the next one (each minor GC would copy
 * and then promote them to the old generation). The next composition's trees are new ones anyway.
 */
export function forgetRecentFacts(): void {
  recentTrees.length = 0
  recentFacts.length = 0
}

/** What one device contributes to the facts: read once per element (devices are shared between stages' trees, and those a rule adds between compositions). */
interface DeviceFact {
  /** The architecture the fact was read for (a NIC without a model is rtl8139 on x86, virtio elsewhere). */
  readonly arch: string
  /** Whether the device takes a PCIe root port of its own: read when first asked (only the root-port rules ask). */
  takesPort: boolean | undefined
  /** `controller[@type='pci']/@index`. */
  readonly pciIndex: number | undefined
  readonly rootPort: boolean
  /** The bus of the device's `<address type='pci'>`, when it has one. */
  readonly pciBus: number | undefined
  /** A channel that needs a virtio-serial controller. */
  readonly virtioChannel: boolean
  /** A virtio-serial controller. */
  readonly virtioSerial: boolean
  readonly graphics: string | undefined
  readonly disk: DiskFacts | undefined
}

// Only frozen devices are kept: those are the subtrees merges add from a layer, shared by every
// result and as long-lived as the layer (see domainFacts for why short-lived ones are not).
const deviceFacts = new WeakMap<Element, DeviceFact>()

function factOf(d: Element, arch: string, memo: Map<Element, DeviceFact> | undefined): DeviceFact {
  // A frozen device's fact is kept only in `deviceFacts`, any other's only in the memo: one lookup.
  const frozen = Object.isFrozen(d)
  let fact = frozen ? deviceFacts.get(d) : memo?.get(d)
  if (fact && fact.arch === arch) return fact
  let pciIndex: number | undefined
  let rootPort = false
  let virtioSerial = false
  let virtioChannel = false
  let graphics: string | undefined
  let disk: DiskFacts | undefined
  switch (d.name) {
    case 'controller':
      if (d.attributes.type === 'pci') {
        pciIndex = Number(d.attributes.index ?? 0)
        rootPort = d.attributes.model === 'pcie-root-port'
      }
      virtioSerial = d.attributes.type === 'virtio-serial'
      break
    case 'channel': {
      virtioChannel = child(d, 'target')?.attributes.type === 'virtio'
      break
    }
    case 'graphics': graphics = d.attributes.type ?? ''; break
    case 'disk': {
      const target = child(d, 'target')
      const driver = child(d, 'driver')
      disk = { element: d, device: d.attributes.device ?? 'disk', target: target?.attributes.dev, bus: target?.attributes.bus, format: driver?.attributes.type, hasAddress: child(d, 'address') !== undefined }
      break
    }
  }
  // Always the same fields (some undefined): one object shape keeps readFacts' loop fast.
  const address = child(d, 'address')
  const bus = address?.attributes.type === 'pci' && address.attributes.bus !== undefined ? Number(address.attributes.bus) : undefined
  const pciBus = bus !== undefined && Number.isInteger(bus) ? bus : undefined
  fact = { arch, takesPort: undefined, rootPort, pciBus, virtioChannel, virtioSerial, pciIndex, graphics, disk }
  if (frozen) deviceFacts.set(d, fact)
  else memo?.set(d, fact)
  return fact
}

/** Whether a device takes a PCIe root port of its own (libvirt's connect flags), read once per fact. */
function takesPort(d: Element, fact: DeviceFact): boolean {
  return (fact.takesPort ??= pciSlotNeeded(d, { pcieRoot: true, arch: fact.arch }) === 'pcie')
}

/** What the `<devices>` element contributes to the facts. */
type DevicesFacts = Pick<DomainFacts, 'graphics' | 'disks' | 'interfaces' | 'rootPorts' | 'usedRootPorts' | 'maxPciIndex' | 'pcieDevices'>

const noDevices: DevicesFacts = { graphics: [], disks: [], interfaces: [], rootPorts: 0, usedRootPorts: 0, maxPciIndex: -1, pcieDevices: 0 }

/** The facts of a `<devices>` element; the devices that take a PCIe port counted when first asked. */
class ReadDevices implements DevicesFacts {
  #pcieDevices: number | undefined
  constructor(
    /** The architecture the device facts were read for. */
    readonly arch: string,
    readonly graphics: readonly string[],
    readonly disks: readonly DiskFacts[],
    readonly interfaces: readonly Element[],
    readonly rootPorts: number,
    readonly usedRootPorts: number,
    readonly maxPciIndex: number,
    /** The device elements and their facts, in order. */
    readonly elements: readonly Element[],
    readonly facts: readonly DeviceFact[],
    /** A virtio channel without a virtio-serial controller: libvirt adds one, which takes a port. */
    private readonly serialAdded: boolean,
  ) {}

  get pcieDevices(): number {
    if (this.#pcieDevices === undefined) {
      let count = this.serialAdded ? 1 : 0
      for (let i = 0; i < this.facts.length; i++) if (takesPort(this.elements[i]!, this.facts[i]!)) count++
      this.#pcieDevices = count
    }
    return this.#pcieDevices
  }

  /** Plain data (JSON.stringify, spreading). */
  toJSON(): DevicesFacts {
    return { graphics: this.graphics, disks: this.disks, interfaces: this.interfaces, rootPorts: this.rootPorts, usedRootPorts: this.usedRootPorts, maxPciIndex: this.maxPciIndex, pcieDevices: this.pcieDevices }
  }
}

/**
 * `previous`: the `<devices>` a composition read before (an earlier stage's). A stage's merge appends
 * the devices it adds and the device rules replace a device where it is, so most devices are the same
 * elements at the same places: their facts are taken from there by comparing references, without a
 * lookup by element; any other device (or any after an insertion) is looked up as before.
 */
function devicesFactsOf(devices: Element | undefined, arch: string, memo: Map<Element, DeviceFact> | undefined, previous?: ReadDevices): DevicesFacts {
  if (devices === undefined) return noDevices
  const graphics: string[] = []
  const disks: DiskFacts[] = []
  const interfaces: Element[] = []
  let rootPorts = 0
  let maxPciIndex = -1
  let virtioChannel = false
  let virtioSerial = false
  // Made when there is something to put in them (a composed domain has no addresses yet).
  let portIndexes: number[] | undefined
  let buses: Set<number> | undefined
  const elements: Element[] = []
  const facts: DeviceFact[] = []
  const before = previous !== undefined && previous.arch === arch ? previous.elements : undefined
  for (let ci = 0; ci < devices.children.length; ci++) {
    const d = devices.children[ci]!
    if (d.type !== 'element') continue
    const at = elements.length
    const fact = before !== undefined && at < before.length && before[at] === d ? previous!.facts[at]! : factOf(d, arch, memo)
    elements.push(d)
    facts.push(fact)
    if (fact.pciIndex !== undefined) maxPciIndex = Math.max(maxPciIndex, fact.pciIndex)
    if (fact.rootPort) { rootPorts++; (portIndexes ??= []).push(fact.pciIndex!) }
    if (fact.pciBus !== undefined) (buses ??= new Set()).add(fact.pciBus)
    if (fact.virtioChannel) virtioChannel = true
    if (fact.virtioSerial) virtioSerial = true
    if (fact.graphics !== undefined) graphics.push(fact.graphics)
    if (fact.disk !== undefined) disks.push(fact.disk)
    if (d.name === 'interface') interfaces.push(d)
  }
  let usedRootPorts = 0
  if (portIndexes !== undefined && buses !== undefined) for (const index of portIndexes) if (buses.has(index)) usedRootPorts++
  // Channels of type virtio make libvirt add a virtio-serial controller, which takes a port.
  return new ReadDevices(arch, graphics, disks, interfaces, rootPorts, usedRootPorts, maxPciIndex, elements, facts, virtioChannel && !virtioSerial)
}

/** The facts of a `<devices>` element, kept in a composition's memo under that element. */
class KnownDevices {
  constructor(readonly arch: string, readonly facts: DevicesFacts) {}
}

/** The key under which a composition's memo keeps the last `<devices>` facts it read (no tree holds it). */
const lastDevices: Element = Object.freeze({ type: 'element', name: '#last-devices', attributes: Object.freeze({}), children: Object.freeze([]) as readonly Element[] })

function readFacts(domain: Element, memo: Map<Element, DeviceFact> | undefined): DomainFacts {
  return new Facts(domain, memo)
}

/**
 * Whether `rest` (a path below `<devices>`) selects something in the domain the facts were read from,
 * when the facts know its `<devices>` (facts of {@link domainFacts}); `undefined` when they do not.
 */
export function selectsInDevices(facts: DomainFacts, rest: string): boolean | undefined {
  return facts instanceof Facts ? facts.selectsInDevices(rest) : undefined
}

/**
 * The facts of one `<domain>`: what `<os>` and the top-level elements say at once; what the devices
 * say (each device's PCI connection, disks, graphics…) when a condition first asks — a policy's `when`
 * reads the architecture or the machine, rarely the devices. One class: one object shape for every
 * domain, which the rules read often.
 */
class Facts implements DomainFacts {
  readonly element: Element
  readonly type: string
  readonly vcpus: number
  readonly iothreads: number
  readonly arch: string
  readonly archWritten: boolean
  readonly machine: string | undefined
  readonly isQ35: boolean
  readonly machineFamily: MachineFamily | undefined
  readonly firmware: 'efi' | 'bios' | undefined
  readonly directKernel: boolean
  #devices: DevicesFacts | undefined
  readonly #memo: Map<Element, DeviceFact> | undefined
  /** The first `<devices>`, and whether it is the only one. */
  readonly #devicesElement: Element | undefined
  readonly #oneDevices: boolean

  constructor(domain: Element, memo: Map<Element, DeviceFact> | undefined) {
    // One walk of the root's children and one of <os>'s for what the facts read (each first of its
    // name, as `child` finds it): a condition is checked on every stage's tree, and a search per
    // name went through the whole root for each.
    let os: Element | undefined
    let vcpu: Element | undefined
    let iothreadsElement: Element | undefined
    let devices: Element | undefined
    let devicesCount = 0
    for (let ci = 0; ci < domain.children.length; ci++) {
      const c = domain.children[ci]!
      if (c.type !== 'element') continue
      if (c.name === 'os') os ??= c
      else if (c.name === 'vcpu') vcpu ??= c
      else if (c.name === 'iothreads') iothreadsElement ??= c
      else if (c.name === 'devices') { devices ??= c; devicesCount++ }
    }
    let type: Element | undefined
    let loader: Element | undefined
    let kernel: Element | undefined
    if (os !== undefined) {
      for (let ci = 0; ci < os.children.length; ci++) {
        const c = os.children[ci]!
        if (c.type !== 'element') continue
        if (c.name === 'type') type ??= c
        else if (c.name === 'loader') loader ??= c
        else if (c.name === 'kernel') kernel ??= c
      }
    }
    const arch = type?.attributes.arch ?? 'x86_64'
    const machine = type?.attributes.machine
    this.element = domain
    this.type = domain.attributes.type ?? 'kvm'
    this.vcpus = Number(textOf(vcpu)) || 1
    this.iothreads = Number(textOf(iothreadsElement)) || 0
    this.arch = arch
    this.archWritten = type?.attributes.arch !== undefined
    this.machine = machine
    this.isQ35 = machine !== undefined && isQ35(machine, arch)
    this.machineFamily = machine === undefined ? undefined : machineFamily(machine, arch)
    this.firmware = os?.attributes.firmware === 'efi' || loader?.attributes.type === 'pflash' ? 'efi' : os?.attributes.firmware === 'bios' || loader ? 'bios' : undefined
    this.directKernel = kernel !== undefined
    this.#devices = undefined
    this.#memo = memo
    this.#devicesElement = devices
    this.#oneDevices = devicesCount <= 1
  }

  /**
   * Whether `path` (steps below `<devices>`, as `selectsAny` of @virtuned/model reads them) selects
   * something in the domain's `<devices>`: found without a search of the root, which the facts already
   * walked. `undefined` for a domain with several `<devices>` (then every one is searched, by the caller).
   */
  selectsInDevices(path: string): boolean | undefined {
    if (!this.#oneDevices) return undefined
    return this.#devicesElement !== undefined && selectsAny(this.#devicesElement, path)
  }

  #read(): DevicesFacts {
    return (this.#devices ??= this.#readDevices())
  }

  #readDevices(): DevicesFacts {
    const devices = this.#devicesElement
    const memo = this.#memo
    if (devices === undefined || memo === undefined) return devicesFactsOf(devices, this.arch, memo)
    // A stage that left `<devices>` as it was hands the next the same element: its facts are the
    // same (they depend on the element and the architecture alone).
    const known = memo.get(devices)
    if (known instanceof KnownDevices && known.arch === this.arch) return known.facts
    const last = memo.get(lastDevices) as unknown
    const facts = devicesFactsOf(devices, this.arch, memo, last instanceof ReadDevices ? last : undefined)
    memo.set(devices, new KnownDevices(this.arch, facts) as unknown as DeviceFact)
    if (facts instanceof ReadDevices) memo.set(lastDevices, facts as unknown as DeviceFact)
    return facts
  }

  get graphics(): readonly string[] { return this.#read().graphics }
  get disks(): readonly DiskFacts[] { return this.#read().disks }
  get interfaces(): readonly Element[] { return this.#read().interfaces }
  get rootPorts(): number { return this.#read().rootPorts }
  get usedRootPorts(): number { return this.#read().usedRootPorts }
  get maxPciIndex(): number { return this.#read().maxPciIndex }
  get pcieDevices(): number { return this.#read().pcieDevices }

  /** Plain data, the device facts included (JSON.stringify, structured logs, spreading). */
  toJSON(): DomainFacts {
    return { ...this, graphics: this.graphics, disks: this.disks, interfaces: this.interfaces, rootPorts: this.rootPorts, usedRootPorts: this.usedRootPorts, maxPciIndex: this.maxPciIndex, pcieDevices: this.pcieDevices }
  }
}
