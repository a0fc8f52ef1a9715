// Address assignment (private): drive addresses (domain_conf.c virDomainDiskDefAssignAddress), the
// controllers they imply, virtio-serial ports, and PCI addresses with libvirt's two passes
// (qemu_domain_address.c qemuDomainAssignPCIAddresses): a dry run that counts the buses the devices
// need and adds pcie-root-ports / bridges for them, then the real assignment in libvirt's device order.
import { hostPciConventional, isolationGroups } from './_host-pci.ts'
import { arch, defaultNetModel, defaultScsiModel, scsiModelFromCaps, devices, has, isLibvirt9, isQ35, isS390, isPSeries, machineFamilyOf, machineName, serialTargetTypeAfterPostParse, virtioNetModels, type PreviewContext } from './_context.ts'
import type { Element } from '@virtuned/xml-core'
import { child, ensure, insertOrdered, kids, node, type N } from './_node.ts'
import { addScsiControllers, hostdevScsiControllers, indexesOf, insertController } from './_controllers.ts'
import { addressUnionWords, afterDeviceInfo, driveUnitsPerController, scsiControllerUnits, busFromTarget, deviceIterateOrder, pciAddressProblem, qemuDeviceFlags, deviceNames, spaprVioAssignedKinds, conditionValue, deviceInfoChildOrder, formatterChildOrders, hostdevNicSourceType, parseDiskName, pciConnectRuleOf, readCInteger, readUsbPort, formatUsbPort, spaprVioRegisterFrom, usbHubPorts, usbPortDepth } from '@virtuned/model'
import { PreviewError } from './errors.ts'
import { validationError } from './_refusal.ts'

const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`
// the address numbers written most (buses and slots 0–255 at width 2, functions 0–7 at width 1), made once
const hex2: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, n) => hex(n, 2))
const hex1: readonly string[] = /* @__PURE__ */ Array.from({ length: 16 }, (_, n) => hex(n, 1))
const hexWidth2 = (n: number): string => (n >= 0 && n < 256 ? hex2[n]! : hex(n, 2))
const hexWidth1 = (n: number): string => (n >= 0 && n < 16 ? hex1[n]! : hex(n, 1))
/** Those numbers' values (what `Number` reads from them), so that the addresses preview writes are not parsed again each time they are read. */
const hexValues: ReadonlyMap<string, number> = /* @__PURE__ */ new Map([...hex2.map((h, n) => [h, n] as const), ...hex1.map((h, n) => [h, n] as const), ['0x0000', 0]])

/** A PCI address number as `Number` reads it (an absent one is 0). */
function addressNumber(text: string | undefined): number {
  return text === undefined ? 0 : hexValues.get(text) ?? Number(text)
}

// ---- drive addresses ---------------------------------------------------------------------------

/** A disk target's index, from model's `parseDiskName` (libvirt's virDiskNameToIndex). */
export function diskIndex(dev: string): number | undefined {
  return parseDiskName(dev)?.index
}

/** Whether a SCSI host device has this drive address (virDomainDriveAddressIsUsedByHostdev). */
export function scsiHostdevAt(ctx: PreviewContext, at: Record<string, string>): boolean {
  for (const h of devices(ctx)) {
    if (h.name !== 'hostdev' || h.attrs.mode === 'capabilities' || h.attrs.type !== 'scsi') continue
    const a = child(h, 'address')
    if (a?.attrs.type !== 'drive') continue
    if (Number(a.attrs.controller ?? '0') === Number(at.controller) && Number(a.attrs.bus ?? '0') === Number(at.bus) && Number(a.attrs.target ?? '0') === Number(at.target) && Number(a.attrs.unit ?? '0') === Number(at.unit)) return true
  }
  return false
}

/**
 * The drive address virDomainDiskDefAssignAddress gives a disk without one from its target name's index, by bus: IDE two
 * buses of two units a controller, SATA six units, a floppy controller two units, SCSI seven; `undefined` on another bus.
 */
export function assignedDriveAddress(bus: string | undefined, idx: number): Record<string, string> | undefined {
  if (bus !== 'ide' && bus !== 'sata' && bus !== 'fdc' && bus !== 'scsi') return undefined
  // (model's driveUnitsPerController: two units a floppy controller — `fdc` names controller 1, refused in validation;
  // an IDE controller's four are two buses of two)
  const units = driveUnitsPerController[bus]
  const controller = String(Math.floor(idx / units))
  if (bus === 'ide') return { controller, bus: String(Math.floor((idx % units) / 2)), target: '0', unit: String(idx % 2) }
  return { controller, bus: '0', target: '0', unit: String(idx % units) }
}

/**
 * The refusal of virDomainDefPostParseCommon's walk over the SCSI controllers a SCSI disk made it add, when QEMU has no
 * model for them (qemuDomainGetSCSIControllerModel): the first index missing up to the highest a SCSI disk names — met
 * before the generic post-parse's last steps (a custom CPU's check without a model: probe h33-q11-cris-axis-dev88-3,
 * libvirtd 9.0); the address assignment finds it again otherwise.
 */
export function implicitScsiControllerRefusal(ctx: PreviewContext): PreviewError | undefined {
  if (scsiModelFromCaps(ctx) !== undefined) return undefined
  let max = -1
  for (const d of devices(ctx)) {
    const target = child(d, 'target')
    if (d.name !== 'disk' || target?.attrs.bus !== 'scsi') continue
    const a = child(d, 'address')
    const controller = a?.attrs.type === 'drive' ? Number(a.attrs.controller ?? '0') : Math.floor((diskIndex(target.attrs.dev ?? '') ?? 0) / 7)
    if (Number.isInteger(controller) && controller > max) max = controller
  }
  const present = new Set(devices(ctx).filter((c) => c.name === 'controller' && c.attrs.type === 'scsi').map((c) => Number(c.attrs.index ?? '0')))
  for (let i = 0; i <= max; i++) if (!present.has(i)) return new PreviewError('preview-refused', `Unable to determine model for SCSI controller idx=${i}`, { path: "domain/devices/disk[target/@bus='scsi']" })
  return undefined
}

function assignDriveAddresses(ctx: PreviewContext): void {
  // (whether any SCSI host device is there to hold a drive address: most domains have none)
  let scsiHostdevs: boolean | undefined
  for (const d of devices(ctx)) {
    if (d.name !== 'disk') continue
    const target = child(d, 'target')
    const bus = target?.attrs.bus
    if (child(d, 'address') || !target) continue
    const idx = diskIndex(target.attrs.dev ?? '')
    if (idx === undefined) continue
    const addr = assignedDriveAddress(bus, idx)
    if (bus === 'scsi' && addr) {
      // the address a SCSI host device was given is not the disk's to take (virDomainDiskDefAssignAddress; libvirtd 9.0's words)
      scsiHostdevs ??= devices(ctx).some((h) => h.name === 'hostdev' && h.attrs.type === 'scsi')
      if (scsiHostdevs && scsiHostdevAt(ctx, addr)) {
        // (libvirt's words end without the closing quote)
        throw new PreviewError('preview-refused', `using disk target name '${target.attrs.dev}' conflicts with SCSI host device address controller='${addr.controller}' bus='0' target='0' unit='${addr.unit}`, { path: `domain/devices/disk[target/@dev='${target.attrs.dev}']/target/@dev` })
      }
    }
    if (!addr) continue
    insertOrdered(d, node('address', { type: 'drive', ...addr }), diskChildOrder)
    ctx.explain(`domain/devices/disk[target/@dev='${target.attrs.dev}']/address`, 'drive-address', `libvirt derives the ${bus} drive address from the target name.`)
  }
  // no two disks of one bus at one drive address (virDomainDefCheckDuplicateDriveAddresses: the first is named),
  // and the highest controller index each disk bus's drive addresses name (one walk for both)
  let seenDrive: Map<string, N> | undefined
  const maxController = new Map<string, number>()
  for (const d of devices(ctx)) {
    if (d.name !== 'disk') continue
    const a = child(d, 'address')
    if (a?.attrs.type !== 'drive') continue
    const bus = child(d, 'target')?.attrs.bus ?? ''
    const at = { controller: a.attrs.controller ?? '0', bus: a.attrs.bus ?? '0', target: a.attrs.target ?? '0', unit: a.attrs.unit ?? '0' }
    const key = `${bus}:${at.controller}:${at.bus}:${at.target}:${at.unit}`
    const first = (seenDrive ??= new Map()).get(key)
    if (first) {
      const dev = child(first, 'target')?.attrs.dev ?? ''
      // (a validation refusal: it waits while the addresses are assigned — a PCI address taken twice, a post-parse
      // refusal, comes first; libvirtd 9.0, the repeat-child search edit, seed 358 — unless one waits already)
      ctx.deferredRefusal ??= validationError(new PreviewError('preview-refused', `Found duplicate drive address for disk with target name '${dev}' controller='${at.controller}' bus='${at.bus}' target='${at.target}' unit='${at.unit}'`, { path: `domain/devices/disk[target/@dev='${dev}']/address` }))
    } else seenDrive.set(key, d)
    const index = Number(a.attrs.controller ?? '0')
    // libvirt compares the number as a C int: one above INT_MAX reads as negative and adds nothing
    if (index <= 2 ** 31 - 1 && index > (maxController.get(bus) ?? -1)) maxController.set(bus, index)
  }
  const list = ensure(ctx.domain, 'devices')
  if (maxController.size === 0) { assignScsiHostdevAddresses(ctx); return }
  // implicit disk controllers (virDomainDefAddImplicitControllers → virDomainDefAddDiskControllersForType:
  // SCSI, then FDC, IDE and SATA): every index up to the highest a disk's drive address names
  for (const bus of impliedDiskControllers) {
    const max = maxController.get(bus) ?? -1
    if (max < 0) continue
    if (max >= maxImpliedDiskControllers) {
      throw new PreviewError('preview-limit', `A ${bus} disk's drive address names controller ${max}: libvirt would add ${max + 1} ${bus} controllers, more than preview's limit of ${maxImpliedDiskControllers}`, { path: `domain/devices/disk/address[@controller='${max}']` })
    }
    const present = new Set<number>()
    for (const c of list.children) if (c.name === 'controller' && c.attrs.type === bus) present.add(Number(c.attrs.index ?? '0'))
    for (let i = 0; i <= max; i++) {
      if (present.has(i)) continue
      const c = node('controller', { type: bus, index: String(i) })
      if (bus === 'scsi') {
        // (post-parse picks its model at once: refused where QEMU has none to offer — virDomainDefPostParseCommon's
        // second walk over the implicit SCSI controllers)
        const model = scsiModelFromCaps(ctx)
        if (model === undefined) throw new PreviewError('preview-refused', `Unable to determine model for SCSI controller idx=${i}`, { path: "domain/devices/disk[target/@bus='scsi']" })
        c.attrs.model = model
      }
      insertController(list, c, isLibvirt9(ctx))
      ctx.explain(`domain/devices/controller[@type='${bus}'][@index='${i}']`, 'disk-controller', `A ${bus} disk needs its controller: libvirt adds it.`)
    }
  }
  assignScsiHostdevAddresses(ctx)
}

/**
 * Whether a SCSI host device may take `unit` of a controller's bus 0, target 0 (virDomainControllerSCSINextUnit): one of
 * the narrow bus's units that the controller written with that index — its model's — does not count as used
 * (virDomainSCSIDriveAddressIsUsed: model's scsiControllerUnits; checked on libvirtd 9.0: nine host devices behind an
 * lsisas1068 take units 0–1 of controller 0, then 0–6 of the controller added as 1).
 */
function scsiHostdevUnitFree(list: N, controller: number, unit: number): boolean {
  if (unit >= driveUnitsPerController.scsi) return false
  const written = list.children.find((c) => c.name === 'controller' && c.attrs.type === 'scsi' && c.attrs.index !== undefined && Number(c.attrs.index) === controller)
  const limits = written?.attrs.model === undefined || !Object.hasOwn(scsiControllerUnits, written.attrs.model) ? undefined : scsiControllerUnits[written.attrs.model]
  return !(limits?.last !== undefined && unit > limits.last) && unit !== limits?.reserved
}

/**
 * SCSI host devices without an address (virDomainHostdevAssignAddress, in post-parse): the first free unit of the
 * first controller with one, past the units disks (their own or the ones their names gave) and earlier host devices
 * hold; then the controllers they name, added after the others (checked on libvirtd 9.0).
 */
function assignScsiHostdevAddresses(ctx: PreviewContext): void {
  const list = ensure(ctx.domain, 'devices')
  const waiting = list.children.filter((h) => h.name === 'hostdev' && (h.attrs.mode ?? 'subsystem') === 'subsystem' && h.attrs.type === 'scsi' && !child(h, 'address'))
  if (waiting.length === 0) return
  const taken = new Set<string>()
  for (const d of list.children) {
    const a = child(d, 'address')
    if (a?.attrs.type !== 'drive' || Number(a.attrs.bus ?? '0') !== 0 || Number(a.attrs.target ?? '0') !== 0) continue
    if ((d.name === 'disk' && child(d, 'target')?.attrs.bus === 'scsi') || (d.name === 'hostdev' && d.attrs.type === 'scsi')) taken.add(`${Number(a.attrs.controller ?? '0')}:${Number(a.attrs.unit ?? '0')}`)
  }
  for (const h of waiting) {
    let controller = 0
    let unit = -1
    for (;; controller++) {
      for (let u = 0; u < driveUnitsPerController.scsi && unit < 0; u++) if (scsiHostdevUnitFree(list, controller, u) && !taken.has(`${controller}:${u}`)) unit = u
      if (unit >= 0) break
    }
    taken.add(`${controller}:${unit}`)
    insertOrdered(h, node('address', { type: 'drive', controller: String(controller), bus: '0', target: '0', unit: String(unit) }), hostdevChildOrder)
    ctx.explain("domain/devices/hostdev[@type='scsi']/address", 'scsi-hostdev-address', 'A SCSI host device takes the first free unit of a SCSI controller.')
  }
  // (virDomainDefMaybeAddHostdevSCSIcontroller once more, over every SCSI host device: the controllers it adds take the
  // model of the controller below them — the written ones' resolved already —, else the default model at once:
  // controller-model has run; libvirtd 9.0: host devices past a virtio-scsi controller's units get a second virtio-scsi)
  const { highest, model } = hostdevScsiControllers(list, (a) => (a?.attrs.type === 'drive' ? Number(a.attrs.controller ?? '0') : 0))
  addScsiControllers(ctx, list, highest, model ?? defaultScsiModel(ctx), isLibvirt9(ctx))
}

/** A `<hostdev>`'s children in libvirt's order, its device information last (virDomainHostdevDefFormat). */
const hostdevChildOrder: readonly string[] = [...formatterChildOrders['devices/hostdev']!, ...deviceInfoChildOrder]

/** The disk buses whose controllers libvirt adds for drive addresses, in its order. */
const impliedDiskControllers = ['scsi', 'fdc', 'ide', 'sata'] as const

/**
 * The most disk controllers preview adds for drive addresses (libvirt adds one per index up to the highest
 * named, each needing a slot): beyond this a domain is refused with `preview-limit` instead of growing without bound.
 */
const maxImpliedDiskControllers = 1024

/** A `<disk>`'s children in libvirt's order (virDomainDiskDefFormat, its device information included). */
const diskChildOrder = formatterChildOrders['devices/disk']!

function controllers(ctx: PreviewContext, type: string): N[] {
  return devices(ctx).filter((d) => d.name === 'controller' && d.attrs.type === type)
}

// ---- virtio-serial -----------------------------------------------------------------------------

function assignVirtioSerial(ctx: PreviewContext): void {
  const all = devices(ctx)
  const chans: N[] = []
  /** The devices with a virtio-serial address (any device may carry one: libvirt reserves every complete one). */
  const addressed: N[] = []
  for (const d of all) {
    if ((d.name === 'channel' || d.name === 'console') && child(d, 'target')?.attrs.type === 'virtio') chans.push(d)
    if (child(d, 'address')?.attrs.type === 'virtio-serial') addressed.push(d)
  }
  if (chans.length === 0 && addressed.length === 0) return
  // (virDomainDefMaybeAddVirtioSerialController: the controller an address names only when it is a virtio-serial one)
  // (the channels' first, then the consoles', each in document order: each one added is appended — libvirt 9.0 writes
  // index 1 before 0 when a channel naming controller 1 comes first; probe h27-c17-229)
  const byKind = [...chans.filter((c) => c.name === 'channel'), ...chans.filter((c) => c.name === 'console')]
  const wanted = byKind.map((c) => { const a = child(c, 'address'); return a?.attrs.type === 'virtio-serial' ? Number(a.attrs.controller ?? '0') : 0 })
  const present = new Set(controllers(ctx, 'virtio-serial').map((c) => Number(c.attrs.index ?? '0')))
  for (const named of wanted) {
    // (the index is an int there: a controller number past 2^31 - 1 is negative, "any index", and each such device adds
    // a controller at the lowest index unused — virDomainDefAddController; its own number stays missing: probe
    // h51-vs-ctl-4 on libvirtd 9.0)
    let index = named
    if (named > 0x7fffffff) { index = 0; while (present.has(index)) index++ } else if (present.has(index)) continue
    present.add(index)
    insertController(ensure(ctx.domain, 'devices'), node('controller', { type: 'virtio-serial', index: String(index) }), isLibvirt9(ctx))
    ctx.explain(`domain/devices/controller[@type='virtio-serial'][@index='${index}']`, 'virtio-serial-controller', 'A virtio channel or console needs its virtio-serial controller: libvirt adds it.')
  }
  // virDomainVirtioSerialAddrAutoAssign: ports 1 … ports-1 of each controller (31 by default), addresses
  // given in full kept, a given controller honoured, otherwise the first controller with a free port
  // (per controller: its capacity, the ports taken, and the lowest port that may be free — each walk is short)
  const list = ensure(ctx.domain, 'devices')
  const capacities = new Map<number, number>()
  for (const c of list.children) {
    if (c.name !== 'controller' || c.attrs.type !== 'virtio-serial') continue
    const index = Number(c.attrs.index ?? '0')
    if (!capacities.has(index)) capacities.set(index, Number(c.attrs.ports ?? '31'))
  }
  const order = [...capacities.keys()].sort((a, b) => a - b)
  const used = new Map<number, Set<number>>()
  const take = (controller: number, port: number): void => {
    let ports = used.get(controller)
    if (!ports) used.set(controller, (ports = new Set()))
    ports.add(port)
  }
  // virDomainVirtioSerialAddrSetCreateFromDomain: every device's complete address (a port other than 0), in
  // virDomainDeviceInfoIterate's order, on a controller the domain has, within its ports, once
  const inIterateOrder = addressed.length < 2 ? addressed : addressed.map((d, i) => ({ d, i, k: deviceIterateOrder.indexOf(d.name) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.d)
  for (const d of inIterateOrder) {
    const a = child(d, 'address')!
    if (a.attrs.port === undefined || Number(a.attrs.port) === 0) continue
    const controller = Number(a.attrs.controller ?? '0')
    const port = Number(a.attrs.port)
    const path = `domain/devices/${d.name}/address`
    const capacity = capacities.get(controller)
    if (capacity === undefined) throw new PreviewError('preview-invalid-value', `virtio serial controller ${controller} is missing`, { path: `${path}/@controller` })
    if (port >= capacity) throw new PreviewError('preview-invalid-value', `virtio serial controller ${controller} does not have port ${port}`, { path: `${path}/@port` })
    if (used.get(controller)?.has(port)) throw new PreviewError('preview-invalid-value', `virtio serial port ${port} on controller ${controller} is already occupied`, { path: `${path}/@port` })
    take(controller, port)
  }
  const lowest = new Map<number, number>()
  const free = (controller: number): number | undefined => {
    const ports = used.get(controller)
    let port = lowest.get(controller) ?? 1
    while (ports?.has(port)) port++
    lowest.set(controller, port)
    return port < (capacities.get(controller) ?? 31) ? port : undefined
  }
  // a virtio console first (qemuDomainAssignVirtioSerialAddresses): never given an address of its own — libvirt assigns
  // into a zeroed copy —, but one written as virtio-serial without a port takes a port of controller 0 whichever it
  // names (virDomainVirtioSerialAddrAssign with allowZero: the copy's controller); the formatter writes all three numbers
  for (const c of chans) {
    const a = c.name === 'console' ? child(c, 'address') : undefined
    if (a?.attrs.type !== 'virtio-serial') continue
    if (a.attrs.port === undefined || Number(a.attrs.port) === 0) {
      if (!capacities.has(0)) throw new PreviewError('preview-refused', 'virtio-serial controller 0 not available', { path: 'domain/devices/console/address' })
      const port = free(0)
      if (port === undefined) throw new PreviewError('preview-invalid-value', 'Unable to find a free port on virtio-serial controller 0', { path: 'domain/devices/console/address' })
      take(0, port)
    }
    a.attrs = { type: 'virtio-serial', controller: a.attrs.controller ?? '0', bus: a.attrs.bus ?? '0', port: a.attrs.port ?? '0' }
  }
  for (const c of chans) {
    if (c.name === 'console') continue
    const a = child(c, 'address')
    // (port 0 is no port: virDomainVirtioSerialAddrIsComplete — libvirt picks one; an address of another type — PCI, USB,
    // CCW, sPAPR VIO … — is no complete one either: virDomainVirtioSerialAddrAssign writes a virtio-serial one over it)
    if (a && a.attrs.type === 'virtio-serial' && a.attrs.port !== undefined && Number(a.attrs.port) !== 0) {
      a.attrs = { type: 'virtio-serial', controller: a.attrs.controller ?? '0', bus: a.attrs.bus ?? '0', port: a.attrs.port }
      continue
    }
    // (a virtio-serial address without a port asks for a port of its controller, 0 when it names none:
    // virDomainVirtioSerialAddrNextFromController — full, it is refused)
    const portOnly = a?.attrs.type === 'virtio-serial'
    const wanted = portOnly ? [Number(a.attrs.controller ?? '0')] : order
    let placed: { controller: number; port: number } | undefined
    // (a controller the domain lacks — one numbered past 2^31 - 1, see above — has no port to give:
    // virDomainVirtioSerialAddrNextFromController)
    if (portOnly && !capacities.has(wanted[0]!)) throw new PreviewError('preview-refused', `virtio-serial controller ${wanted[0]} not available`, { path: `domain/devices/${c.name}/address/@controller` })
    for (const controller of wanted) { const port = free(controller); if (port !== undefined) { placed = { controller, port }; break } }
    if (!placed && portOnly) throw new PreviewError('preview-invalid-value', `Unable to find a free port on virtio-serial controller ${wanted[0]}`, { path: `domain/devices/${c.name}/address` })
    if (!placed) {
      // every controller is full: libvirt adds one at the lowest free index and takes its first port
      // (virDomainVirtioSerialAddrNext → virDomainVirtioSerialAddrSetAutoaddController)
      let index = 0
      while (capacities.has(index)) index++
      insertController(list, node('controller', { type: 'virtio-serial', index: String(index) }), isLibvirt9(ctx))
      ctx.explain(`domain/devices/controller[@type='virtio-serial'][@index='${index}']`, 'virtio-serial-controller', 'Every virtio-serial controller is full: libvirt adds another for the channel.')
      capacities.set(index, 31)
      order.push(index)
      placed = { controller: index, port: 1 }
    }
    if (!placed) continue
    take(placed.controller, placed.port)
    const attrs = { type: 'virtio-serial', controller: String(placed.controller), bus: '0', port: String(placed.port) }
    // (a virtio-serial address has nothing below it: a PCI address's <zpci/> goes with the rest of it)
    if (a) { a.attrs = attrs; a.children = [] }
    else insertOrdered(c, node('address', attrs), ['source', 'protocol', 'log', 'target', 'alias', 'address'])
    ctx.explain('domain/devices/channel/address', 'virtio-serial-address', 'libvirt gives each virtio channel the next free port of a virtio-serial controller.')
  }
  // (the formatter writes a virtio-serial address's numbers with `%d`: a bus past 2^31 - 1, which nothing checks, comes
  // back negative — `bus='4294967295'` is stored `bus='-1'`, virDomainDeviceInfoFormat; probe h51-vs-bus-2 on libvirtd 9.0)
  for (const d of addressed) {
    const a = child(d, 'address')
    if (a?.attrs.type !== 'virtio-serial') continue
    for (const k of ['controller', 'bus', 'port'] as const) {
      const v = a.attrs[k]
      if (v !== undefined && Number(v) > 0x7fffffff) a.attrs[k] = String(Number(v) | 0)
    }
  }
}

// ---- PCI ---------------------------------------------------------------------------------------

/** The function of each USB2 companion controller in its shared slot. */
const usb2Function: Record<string, number> = { 'ich9-ehci1': 7, 'ich9-uhci1': 0, 'ich9-uhci2': 1, 'ich9-uhci3': 2 }

const kinds = ['pci', 'pcie', 'root-port', 'upstream-port', 'downstream-port', 'pcie-to-pci', 'dmi-to-pci', 'pci-bridge', 'pxb', 'pxb-pcie', 'integrated', 'none'] as const
type Kind = typeof kinds[number]
/** Each kind as one bit (for the kinds a bus takes: `Bus.accepts`). */
const kindBit = /* @__PURE__ */ Object.fromEntries(kinds.map((k, i) => [k, 1 << i])) as Readonly<Record<Kind, number>>

interface Bus {
  readonly model: string
  /**
   * A root port the dry run added for a pcie-to-pci-bridge alone: it takes nothing else, a written address neither
   * (virDomainPCIAddressSetGrow sets its connect flags to VIR_PCI_CONNECT_TYPE_PCIE_TO_PCI_BRIDGE).
   */
  readonly bridgeOnly?: true
  /** A bus whose controller the dry run gave its slot as it added the bus (a bridge grown for a conventional PCI device). */
  seated?: true
  index: number
  /**
   * Slot (0–`max`; 0–31 on bus 0) → its used functions as bits: bit n for function n (0–30), bit 31 for any
   * other value written in an address. Slots above `max` (or outside 0–31) are never asked about, so they are not kept.
   */
  readonly used: number[]
  /** Slots taken by aggregated root ports, as bits. */
  aggregate: number
  /** The slots devices may take (slotRange). */
  readonly min: number
  readonly max: number
  /** The kinds libvirt's search may place on the bus, as `kindBit`s (busAccepts, read once per bus model). */
  readonly accepts: number
  /** The isolation group of the devices on the bus (pSeries host devices: _host-pci.ts; 0 for every other). */
  isolation: number
  /** A bus whose isolation group stays (pSeries' default PHB: no host device goes there by itself). */
  locked?: true
}

/**
 * What each bus model takes (virDomainPCIAddressBusSetModel): its connect types in preview's kinds (`pci` a
 * standard PCI device, `pcie` a PCI Express one, `pxb`/`pxb-pcie` the expander buses, the rest controllers),
 * and whether libvirt may put a device there by itself (VIR_PCI_CONNECT_AUTOASSIGN). One table for the
 * assignment (busAccepts) and for the check of written addresses (checkGivenAddress).
 */
const busConnect: Readonly<Record<string, { readonly takes: readonly Kind[]; readonly autoassign: boolean }>> = {
  'pci-root': { takes: ['pci', 'pci-bridge', 'pxb'], autoassign: true },
  'pci-bridge': { takes: ['pci', 'pci-bridge'], autoassign: true },
  'pci-expander-bus': { takes: ['pci', 'pci-bridge'], autoassign: true },
  'pcie-root': { takes: ['pcie', 'root-port', 'dmi-to-pci', 'pxb-pcie'], autoassign: false },
  'dmi-to-pci-bridge': { takes: ['pci', 'pci-bridge'], autoassign: false },
  'pcie-to-pci-bridge': { takes: ['pci', 'pci-bridge'], autoassign: true },
  'pcie-root-port': { takes: ['pcie', 'upstream-port', 'pcie-to-pci'], autoassign: true },
  'pcie-switch-downstream-port': { takes: ['pcie', 'upstream-port', 'pcie-to-pci'], autoassign: true },
  'pcie-switch-upstream-port': { takes: ['downstream-port'], autoassign: false },
  'pcie-expander-bus': { takes: ['root-port', 'dmi-to-pci'], autoassign: false },
}

/**
 * Whether libvirt's search may place a device of this kind on the bus (virDomainPCIAddressFlagsCompatible, not
 * from config): the bus takes the kind, and an endpoint device — which asks for auto-assignment — only where
 * the bus allows it (so a PCIe device on a pcie-root machine takes a root port, never pcie-root itself); an
 * integrated device goes on pcie-root.
 */
function busAccepts(bus: Bus, kind: Kind): boolean {
  return (bus.accepts & kindBit[kind]) !== 0
}

/** The kinds a bus of this model accepts (busAccepts' rule), as `kindBit`s. */
function acceptedKinds(model: string): number {
  let mask = 0
  const connect = Object.hasOwn(busConnect, model) ? busConnect[model] : undefined
  for (const kind of kinds) {
    const accepts = kind === 'integrated' ? model === 'pcie-root'
      : connect !== undefined && connect.takes.includes(kind) && (connect.autoassign || (kind !== 'pci' && kind !== 'pcie'))
    if (accepts) mask |= kindBit[kind]
  }
  return mask
}

/** `acceptedKinds` of every model in `busConnect` (any other model accepts nothing), made once. */
const acceptedByModel: ReadonlyMap<string, number> = /* @__PURE__ */ new Map(Object.keys(busConnect).map((model) => [model, acceptedKinds(model)]))

function slotRange(model: string): [number, number] {
  if (model === 'pcie-root-port' || model === 'pcie-switch-downstream-port') return [0, 0]
  if (model === 'dmi-to-pci-bridge' || model === 'pci-expander-bus' || model === 'pcie-expander-bus' || model === 'pcie-switch-upstream-port') return [0, 31]
  return [1, 31]
}

interface PciSet {
  buses: Bus[]; pcieRoot: boolean; dryRun: boolean; bridgeSupported: boolean; defaultModel: string
  /** Whether the dry run's set has buses no controller provides (made for addresses on them). */
  grown: boolean
}

/** A copy of a set to assign from (its buses' slots copied: the copy is taken from apart). */
function copySet(set: PciSet, dryRun: boolean): PciSet {
  return { ...set, dryRun, buses: set.buses.map((b) => ({ ...b, used: b.used.slice() })) }
}

/** The model of a bus libvirt adds (qemuDomainPCIAddressSetCreate): PHBs on pSeries, root ports under pcie-root, else pci-bridge. */
export function defaultBusModel(ctx: PreviewContext, set: { pcieRoot: boolean }): string {
  return isPSeries(ctx) ? 'pci-root' : set.pcieRoot ? 'pcie-root-port' : 'pci-bridge'
}

/** Slots 0–31, all free: a bus's `used` is a copy of its part (made at its size at once). */
const freeSlots: readonly number[] = /* @__PURE__ */ Array.from({ length: 32 }, () => 0)

function newBus(model: string, index: number): Bus {
  const [min, max] = slotRange(model)
  // a plain array of small integers (much cheaper to make than a typed array), up to the last slot a
  // device may take: no search asks beyond it (a root port has one slot); bus 0 whole (the chipsets' fixed slots are read on it)
  const used = freeSlots.slice(0, (index === 0 ? 31 : max) + 1)
  return { model, index, used, aggregate: 0, min, max, accepts: acceptedByModel.get(model) ?? 0, isolation: 0 }
}

/** Whether `slot` is one a bus keeps (an integer 0–31). */
function keptSlot(slot: number): boolean {
  return Number.isInteger(slot) && slot >= 0 && slot < 32
}

function functionBit(fn: number): number {
  return Number.isInteger(fn) && fn >= 0 && fn < 31 ? 1 << fn : 1 << 31
}

function markAggregate(set: PciSet, bus: number, slot: number): void {
  const b = set.buses[bus]
  if (b && keptSlot(slot)) b.aggregate |= 1 << slot
}

function reserve(set: PciSet, bus: number, slot: number, fn: number, group = 0): void {
  const b = set.buses[bus]
  if (!b) return
  // (virDomainPCIAddressReserveAddrInternal: the first device on a bus gives it its isolation group, unless the bus is
  // locked; a device of another group after it — only a written address puts one there — makes the bus's group 0)
  if (group !== b.isolation) b.isolation = b.locked === undefined && busEmpty(b) ? group : 0
  if (keptSlot(slot) && slot < b.used.length) b.used[slot] = b.used[slot]! | functionBit(fn)
}

/** Whether a function is taken already. */
function inUse(set: PciSet, a: { bus: number; slot: number; fn: number }): boolean {
  const b = set.buses[a.bus]
  return b !== undefined && keptSlot(a.slot) && a.slot < b.used.length && (b.used[a.slot]! & functionBit(a.fn)) !== 0
}

/** libvirt's words for an address taken twice (domain 0: the only one preview's buses have). */
function doubleUse(a: { bus: number; slot: number; fn: number }, path: string): PreviewError {
  return new PreviewError('preview-invalid-value', `Attempted double use of PCI Address 0000:${hexRaw(a.bus, 2)}:${hexRaw(a.slot, 2)}.${a.fn}`, { path })
}

/** virDomainPCIAddressBusIsEmpty: no function of its slots (min to max) taken. */
function busEmpty(b: Bus): boolean {
  for (let slot = b.min; slot <= b.max && slot < b.used.length; slot++) if (b.used[slot] !== 0) return false
  return true
}

function busHasFree(b: Bus): boolean {
  for (let slot = b.min; slot <= b.max; slot++) if (slotFree(b, slot)) return true
  return false
}

function slotFree(b: Bus, slot: number): boolean {
  return b.used[slot] === 0
}

/**
 * virDomainPCIAddressGetNextAddr: first bus that takes the device, first free slot (root ports share slots 8 to a slot) —
 * among the buses of the device's isolation group (`group`), then an empty bus that is not locked.
 */
function nextAddress(set: PciSet, kind: Kind, group = 0): { bus: number; slot: number; fn: number } | undefined {
  for (const b of set.buses) {
    if (b.isolation !== group || !busAccepts(b, kind)) continue
    const a = freeOnBus(b, kind)
    if (a !== undefined) return a
  }
  // (a bus of another group only while empty, and not locked: the device's group becomes the bus's — pSeries host devices)
  for (const b of set.buses) {
    if (b.isolation === group || b.locked !== undefined || !busAccepts(b, kind) || !busEmpty(b)) continue
    const a = freeOnBus(b, kind)
    if (a !== undefined) return a
  }
  if (!set.dryRun) return undefined
  // a downstream port needs an upstream port, a PCIe-to-PCI bridge or a root port a root port or pcie-root, which libvirt
  // does not add (virDomainPCIAddressSetGrow grows for a PCI or PCIe device or an upstream port only: a root port with no
  // pcie-root to plug into is refused — probe h26-o-vexpress-a9-rp-noroot)
  if (cannotGrowFor[kind] !== undefined) return undefined
  // grow (virDomainPCIAddressSetGrow)
  const next = set.buses.length
  if (kind === 'pci' && set.pcieRoot) {
    // once a bus takes a pci-bridge (the PCIe-to-PCI bridge added before, a DMI-to-PCI one…), more conventional PCI
    // devices get a pci-bridge; its own slot is found in the real pass, which places controllers first (checked on
    // libvirtd 9.0: 32 e1000 NICs on q35)
    if (set.buses.some((b) => pciBridgeHosts.has(b.model))) {
      set.buses.push(newBus('pci-bridge', next))
      return { bus: next, slot: 1, fn: 0 }
    }
    // the new bridge takes the slot of the bus it plugs into right away
    if (set.bridgeSupported) {
      set.buses.push(newBus('pcie-root-port', next), { ...newBus('pcie-to-pci-bridge', next + 1), seated: true })
      reserve(set, next, 0, 0)
      return { bus: next + 1, slot: 1, fn: 0 }
    }
    set.buses.push(newBus('dmi-to-pci-bridge', next), { ...newBus('pci-bridge', next + 1), seated: true })
    reserve(set, next, 0, 0)
    return { bus: next + 1, slot: 1, fn: 0 }
  }
  // (an upstream port gets a root port, whatever the machine: on a PCI machine that root port finds no slot in turn)
  const model = kind === 'upstream-port' ? 'pcie-root-port' : set.defaultModel
  set.buses.push(newBus(model, next))
  return { bus: next, slot: model === 'pcie-root-port' ? 0 : 1, fn: 0 }
}

/**
 * virDomainPCIAddressFindUnusedFunctionOnBus: one pass up the slots — an empty slot takes function 0, a root port also the
 * first free function of a slot root ports aggregate.
 */
function freeOnBus(b: Bus, kind: Kind): { bus: number; slot: number; fn: number } | undefined {
  const min = b.min
  const max = b.max
  for (let slot = min; slot <= max; slot++) {
    if (slotFree(b, slot)) return { bus: b.index, slot, fn: 0 }
    if (kind === 'root-port' && (b.aggregate & (1 << slot)) !== 0) {
      const used = b.used[slot]!
      for (let fn = 0; fn < 8; fn++) if ((used & (1 << fn)) === 0) return { bus: b.index, slot, fn }
    }
  }
  return undefined
}

/** The buses a pci-bridge plugs into (their connect flags include PCI_BRIDGE). */
const pciBridgeHosts: ReadonlySet<string> = new Set(['pci-root', 'pci-bridge', 'dmi-to-pci-bridge', 'pcie-to-pci-bridge'])

function take(set: PciSet, kind: Kind, group = 0): { bus: number; slot: number; fn: number } | undefined {
  const a = nextAddress(set, kind, group)
  if (!a) return undefined
  reserve(set, a.bus, a.slot, a.fn, group)
  if (kind === 'root-port') markAggregate(set, a.bus, a.slot)
  return a
}

/**
 * Whether a PCI address is empty (virPCIDeviceAddressIsEmpty: domain, bus and slot all 0): libvirt then
 * assigns one (virDeviceInfoPCIAddressIsWanted); any other is the device's, reserved as written.
 */
function emptyPciAddress(attrs: Record<string, string>): boolean {
  return !(addressNumber(attrs.domain) || addressNumber(attrs.bus) || addressNumber(attrs.slot))
}

/** Whether the device has a PCI address libvirt keeps (virDeviceInfoPCIAddressIsPresent; what `pciAddressOf` reads, without making it). */
function hasPciAddress(d: N): boolean {
  const a = child(d, 'address')
  return a !== undefined && a.attrs.type === 'pci' && !emptyPciAddress(a.attrs)
}

/**
 * A PCI controller's address of another type (not PCI, nor none) as qemuDomainAssignPCIAddresses reads it: the PCI
 * numbers of the address union (addressUnionWords; a virtio-mmio one is 0:0:0.0, an sPAPR VIO register's `has_reg` the
 * slot). The defaults it fills in (a root port's port, a downstream port's) and the pci-bridge's bus check see these
 * (libvirtd 9.0, probes h57-na-…: `<address type='spapr-vio' reg='0x1000'/>` on a root port is port 0x8, a USB address
 * on port 1 of a pci-bridge index 1 is bus 1).
 */
function unionPciAddressOf(d: N): { bus: number; slot: number; fn: number } | undefined {
  const a = child(d, 'address')
  if (!a || a.attrs.type === undefined || a.attrs.type === 'pci') return undefined
  const [, bus, slot, fn] = addressUnionWords(a.attrs.type, a.attrs)
  return { bus, slot, fn }
}

/**
 * The port qemuDomainAssignPCIAddresses fills in for a root or downstream port written without one on an address of
 * another type (unionPciAddressOf) — which validation then checks against 0–255 (a drive address of target 40 on a
 * root port is port 320: probe h57-nu-rp-drive-t40, libvirtd 9.0); `undefined` for any other controller.
 */
export function unionFilledPciPort(c: N): number | undefined {
  if (c.attrs.model !== 'pcie-root-port' && c.attrs.model !== 'pcie-switch-downstream-port') return undefined
  if (child(c, 'target')?.attrs.port !== undefined) return undefined
  const addr = unionPciAddressOf(c)
  if (!addr) return undefined
  return c.attrs.model === 'pcie-root-port' ? ((addr.slot * 8 + addr.fn) % 2 ** 32) | 0 : addr.slot | 0
}

function pciAddressOf(d: N): { bus: number; slot: number; fn: number } | undefined {
  const a = child(d, 'address')
  if (!a || a.attrs.type !== 'pci' || emptyPciAddress(a.attrs)) return undefined
  return { bus: addressNumber(a.attrs.bus), slot: addressNumber(a.attrs.slot), fn: addressNumber(a.attrs.function) }
}

/**
 * qemuDomainDeviceCalculatePCIConnectFlags: the bridges by model here, every other device from
 * model's `pciConnectTable` (the one home of libvirt's connect flags). `virtio` devices take the
 * PCIe flags when QEMU has non-transitional virtio-pci devices, else conventional PCI's.
 */
/** Kinds found so far in one assignment, by the machine's PCIe-ness (a device's kind does not change meanwhile). */
type KindMemo = readonly [Map<N, Kind>, Map<N, Kind>]

function kindOf(ctx: PreviewContext, d: N, pcie: boolean, memos?: KindMemo): Kind {
  // (a PCI controller's kind is its model's: read again rather than kept)
  if (memos === undefined || (d.name === 'controller' && d.attrs.type === 'pci')) return connectKind(ctx, d, pcie)
  const memo = memos[pcie ? 1 : 0]
  let kind = memo.get(d)
  if (kind === undefined) { kind = connectKind(ctx, d, pcie); memo.set(d, kind) }
  return kind
}

function connectKind(ctx: PreviewContext, d: N, pcie: boolean): Kind {
  const P = pcie ? 'pcie' : 'pci'
  if (d.name === 'controller' && d.attrs.type === 'pci') {
    const model = d.attrs.model
    if (model === 'pcie-root-port') return 'root-port'
    if (model === 'pcie-switch-upstream-port') return 'upstream-port'
    if (model === 'pcie-switch-downstream-port') return 'downstream-port'
    if (model === 'pcie-to-pci-bridge') return 'pcie-to-pci'
    if (model === 'dmi-to-pci-bridge') return 'dmi-to-pci'
    if (model === 'pci-bridge') return 'pci-bridge'
    if (model === 'pci-expander-bus') return 'pxb'
    if (model === 'pcie-expander-bus') return 'pxb-pcie'
    return 'none'
  }
  // (a host PCI device the host has and is not PCI Express, where the machine has PCIe: conventional PCI — but for one
  // with a guest address already, which libvirt gives PCIe flags without reading the host: qemuDomainDeviceCalculatePCIConnectFlags)
  if (pcie && (d.name === 'hostdev' || d.name === 'interface') && !hasPciAddress(d) && hostPciConventional(ctx, d)) return 'pci'
  // An <interface type='hostdev'> has no flags of its own, but libvirt addresses it with the host
  // devices ("a type='hostdev' will use PCI"), as a PCIe device where the machine has PCIe.
  if (d.name === 'interface' && d.attrs.type === 'hostdev') return P
  const rule = pciConnectRuleOf(shallowElement(d), arch(ctx))
  if (!rule || rule.connect === 'none') return 'none'
  // VIR_PCI_CONNECT_INTEGRATED (pvpanic, the virtio and AMD IOMMUs): the device may sit on pcie-root itself, and
  // libvirt's search takes bus 0 first, so it goes there, not behind a root port
  if (rule.integrated && pcie) return 'integrated'
  if (rule.connect === 'pci') return 'pci'
  if (rule.connect === 'virtio') return has(ctx, 'virtio-pci-non-transitional') ? P : 'pci'
  return P
}

/**
 * The device as model's `pciConnectRuleOf` reads it: its own attributes and its children's (the model,
 * target and driver elements) — one level, not a copy of the whole device.
 */
function shallowElement(d: N): Element {
  const children: Element[] = []
  for (const c of d.children) children.push({ type: 'element', name: c.name, attributes: c.attrs, children: [] })
  return { type: 'element', name: d.name, attributes: d.attrs, children }
}

function wantsPci(ctx: PreviewContext, d: N): boolean {
  const a = child(d, 'address')
  if (a && a.attrs.type !== 'pci') return false
  if (a && !emptyPciAddress(a.attrs)) return false
  void ctx
  return true
}

/** The devices qemuDomainAssignDevicePCISlots addresses, in its order: its device lists one after another, each in document order. */
function pciCandidates(ctx: PreviewContext): N[] {
  const all = devices(ctx)
  const q35 = isQ35(ctx)
  const libvirt9 = isLibvirt9(ctx)
  // each device's list read once, then the lists one after another (a few dozen devices: no buckets to make)
  const lists: number[] = []
  let used = 0
  for (let i = 0; i < all.length; i++) { const list = candidateList(all[i]!, q35, libvirt9); lists.push(list); if (list >= 0) used |= 1 << list }
  const out: N[] = []
  for (let list = 0; list < candidateLists; list++) {
    if ((used & (1 << list)) === 0) continue
    for (let i = 0; i < all.length; i++) if (lists[i] === list) out.push(all[i]!)
  }
  return out
}

const candidateLists = 21

/** Which of qemuDomainAssignDevicePCISlots' lists a device is in (the list's place in its walk), or -1. */
function candidateList(d: N, q35: boolean, libvirt9: boolean): number {
  const a = d.attrs
  switch (d.name) {
    case 'controller': {
      const t = a.type
      if (t === 'pci') return a.model !== 'pci-root' && a.model !== 'pcie-root' ? 0 : -1
      if (t === 'fdc' || t === 'ccid') return -1
      if (t === 'usb' && a.model === 'none') return -1
      if (t === 'ide' && (a.index ?? '0') === '0') return -1
      if (t === 'scsi' && a.model === 'ncr53c90') return -1
      if (t === 'sata' && (a.index ?? '0') === '0' && q35) return -1
      return 4
    }
    case 'filesystem': return child(d, 'driver')?.attrs.type !== 'mtp' ? 1 : -1
    // host devices, <interface type='hostdev'> first: libvirt's hostdev list holds those as their NICs are parsed, before
    // any <hostdev> (virDomainNetInsert; each group in document order); (libvirt 9.0 still walks a usb-net NIC in the
    // NICs' list: see assignPci)
    case 'interface': return a.type === 'hostdev' ? (hostdevNicType(d) === 'pci' ? 6 : -1) : libvirt9 || child(d, 'model')?.attrs.type !== 'usb-net' ? 2 : -1
    case 'sound': { const m = a.model ?? ''; return m !== 'sb16' && m !== 'pcspk' && m !== 'usb' ? 3 : -1 }
    case 'disk': return child(d, 'target')?.attrs.bus === 'virtio' ? 5 : -1
    case 'hostdev': return (a.mode ?? 'subsystem') === 'subsystem' && (a.type === 'pci' || a.type === 'scsi_host' || (a.type === 'mdev' && a.model === 'vfio-pci')) ? 7 : -1
    // (a balloon of any model but none — virDomainDefHasMemballoon; qemuDomainAssignDevicePCISlots takes "the qemu driver
    // only accepts virtio" on trust, so a Xen one, without PCI connect flags, fails the assignment there: probe h1-m1)
    case 'memballoon': return a.model !== undefined && a.model !== 'none' ? 8 : -1
    case 'rng': return 9
    case 'watchdog': return a.model === 'i6300esb' ? 10 : -1
    case 'video': { const t = child(d, 'model')?.attrs.type ?? ''; return t !== 'none' && t !== 'ramfb' ? 11 : -1 }
    case 'shmem': return 12
    case 'input': return a.bus === 'virtio' ? 13 : -1
    case 'serial': return child(d, 'target')?.attrs.type === 'pci-serial' ? 14 : -1
    case 'iommu': return a.model === 'virtio' ? 15 : -1
    case 'vsock': return 16
    case 'memory': return a.model === 'virtio-pmem' || a.model === 'virtio-mem' ? 17 : -1
    case 'crypto': return 18
    case 'panic': return a.model === 'pvpanic' ? 19 : -1
    // (libvirt 11's ACPI ERST store, last: qemuDomainAssignDevicePCISlots, 11.3's source — the test data writes its address)
    case 'pstore': return libvirt9 ? -1 : 20
    default: return -1
  }
}

function createSet(ctx: PreviewContext, dryRun: boolean, memos: KindMemo, groups: ReadonlyMap<N, number> | undefined): PciSet {
  const all = devices(ctx)
  // the first PCI controller of each index, and the devices that have an address already
  const byIndex = new Map<number, N>()
  let max = -1
  let wanted = -1
  const addressed: N[] = []
  for (let i = 0; i < all.length; i++) {
    const d = all[i]!
    if (hasPciAddress(d)) {
      addressed.push(d)
      const bus = addressNumber(child(d, 'address')!.attrs.bus)
      if (Number.isNaN(bus)) wanted = NaN
      else if (bus > wanted) wanted = bus
    }
    if (d.name !== 'controller' || d.attrs.type !== 'pci') continue
    const index = Number(d.attrs.index ?? '0')
    // Math.max's way: an index that is not a number makes the maximum NaN (no buses)
    if (Number.isNaN(index)) max = NaN
    else if (index > max) max = index
    if (!byIndex.has(index)) byIndex.set(index, d)
  }
  // a bus no controller provides yet takes the model libvirt gives it (qemuDomainPCIAddressSetCreate)
  const pcieRoot = max >= 0 && byIndex.get(0)?.attrs.model === 'pcie-root'
  const gapModel = defaultBusModel(ctx, { pcieRoot })
  const buses: Bus[] = []
  for (let i = 0; i <= max; i++) buses.push(newBus(byIndex.get(i)?.attrs.model ?? (i === 0 ? 'pci-root' : gapModel), i))
  const set: PciSet = { buses, pcieRoot, dryRun, bridgeSupported: has(ctx, 'pcie-pci-bridge'), defaultModel: gapModel, grown: false }
  // (pSeries' default PHB keeps its isolation group: no host device goes there by itself — qemuDomainSetupIsolationGroups)
  if (buses[0] !== undefined && byIndex.has(0) && isPSeries(ctx)) buses[0].locked = true
  void wanted
  // collect existing addresses (the PIIX3 IDE/USB at 00:01.x are reserved below); the dry run checks each
  // against its bus first, on the buses controllers provide (qemuDomainCollectPCIAddress)
  const provided = max + 1
  // (in virDomainDeviceInfoIterate's order, as qemuDomainCollectPCIAddress sees them: a NIC's address before a
  // controller's — the first refused is the one libvirt names, seen on libvirtd 9.0)
  if (addressed.length > 1) inIterateOrder(addressed)
  const i440fx = machineFamilyOf(ctx) === 'i440fx'
  for (const d of addressed) {
    const a = pciAddressOf(d)!
    // (the PIIX3's IDE and USB functions are not collected: on i440fx the chipset reserves them — each, so two written there
    // are one taken twice —, on any other machine nothing does — two USB controllers numbered 0 at 00:01.2 on s390x pass to
    // the USB address set, which refuses them: the repeat-child search edit, seed 750)
    if (!i440fx && isPiix3Function(d, a, child(d, 'address')!.attrs)) {
      if (dryRun) checkGivenAddress(ctx, set, d, a, set.buses.length, memos)
      continue
    }
    // the dry run grows the set for an address on a bus no controller provides yet, device by device
    // (virDomainPCIAddressReserveAddr → virDomainPCIAddressSetGrow)
    // (libvirt names the address as written, before the growth may bump its bus: virDomainPCIAddressReserveAddrInternal)
    const writtenBus = a.bus
    if (dryRun && a.bus >= set.buses.length) growForAddress(ctx, set, d, a, memos)
    if (dryRun) {
      // (checked against its bus as the dry run has it: one it grew for this address too — a pci-bridge's slot 0 is refused
      // there and then, before the chipset's slots are checked; virt-manager's testdriver domain, libvirtd 9.0)
      checkGivenAddress(ctx, set, d, a, set.buses.length, memos, writtenBus)
      // two devices written at one address (virDomainPCIAddressReserveAddrInternal)
      if (inUse(set, a)) throw doubleUse(a, `${devicePathOf(d)}/address`)
    } else {
      // (an address on a bus the dry run added is checked against that bus now: a pci-bridge's slot 0 is refused —
      // virt-manager's test domains, seen on libvirtd 9.0)
      const holder = byIndex.get(a.bus)
      if (holder !== undefined && ctx.addedBuses?.has(holder) === true) checkGivenAddress(ctx, set, d, a, provided, memos)
    }
    // (a slot aggregates root ports when its first function reserved is a root port's: a device written at function 0
    // before a root port at function 7 leaves the slot to itself — virDomainPCIAddressReserveAddrInternal; libvirtd 9.0
    // puts the root ports it adds in a slot of their own, probe h57-ag-…)
    const firstOfSlot = (set.buses[a.bus]?.used[a.slot] ?? 0) === 0
    reserve(set, a.bus, a.slot, a.fn, groups?.get(d))
    if (firstOfSlot && kindOf(ctx, d, set.pcieRoot, memos) === 'root-port') markAggregate(set, a.bus, a.slot)
  }
  set.grown = buses.length !== max + 1
  return set
}

/**
 * The buses the dry run adds for an address written on a bus no controller provides yet (virDomainPCIAddressSetGrow):
 * of the machine's default model — but for a conventional PCI device on a PCIe machine with no bus a pci-bridge plugs
 * into yet, a PCI topology first: a root port taken by a pcie-to-pci-bridge (where QEMU has one; else a
 * dmi-to-pci-bridge), then pci-bridges; when the device asked for one bus only, that makes one more, and its address's
 * bus is bumped to the bridge's.
 */
/**
 * The kinds virDomainPCIAddressSetGrow adds no bus for, with the controller model its words name
 * (virDomainPCIControllerConnectTypeToModel; '' for a pcie-to-pci-bridge, whose connect type names none).
 */
const cannotGrowFor: Partial<Record<Kind, string>> = {
  'root-port': 'pcie-root-port', 'downstream-port': 'pcie-switch-downstream-port', 'dmi-to-pci': 'dmi-to-pci-bridge',
  pxb: 'pci-expander-bus', 'pxb-pcie': 'pcie-expander-bus', 'pci-bridge': 'pci-bridge', 'pcie-to-pci': '',
}

function growForAddress(ctx: PreviewContext, set: PciSet, d: N, a: { bus: number }, memos: KindMemo): void {
  const buses = set.buses
  // (a device with no connect flags that has an address anyway is taken as a standard PCI device, a pcie-root's too:
  // qemuDomainCollectPCIAddress — differential seed 485 on libvirtd 9.0)
  const kind = kindOf(ctx, d, set.pcieRoot, memos)
  // (a bus is added only to plug in a PCI or PCI Express device or a switch's upstream port: for a controller of
  // another kind written on a bus no controller provides, libvirt names the controller it cannot add a slot for —
  // libvirtd 9.0, probes h26-j-grow-*)
  const cannotGrow = cannotGrowFor[kind]
  if (cannotGrow !== undefined) throw new PreviewError('preview-refused', cannotGrow === '' ? 'Cannot automatically add a new PCI bus for a device with connect flags 2000' : `a PCI slot is needed to connect a PCI controller model='${cannotGrow}', but none is available, and it cannot be automatically added`, { path: `${devicePathOf(d)}/address` })
  const conventional = !isPSeries(ctx) && (kind === 'pci' || kind === 'none')
  // (a conventional PCI device gets pci-bridges where a bus takes one — PHBs on pSeries —, else a PCI topology first,
  // whatever bus 0 is: a board whose only bus is a root port too; an upstream port gets root ports — probes
  // h33-a3-armv7l-vexpress-a9-21, h33-a3-i686-pc-39, libvirtd 9.0)
  if (!conventional || buses.some((b) => pciBridgeHosts.has(b.model))) {
    for (let i = buses.length; i <= a.bus; i++) buses.push(newBus(conventional ? 'pci-bridge' : kind === 'upstream-port' ? 'pcie-root-port' : set.defaultModel, i))
    return
  }
  if (a.bus - buses.length + 1 === 1) {
    a.bus++
    const written = child(d, 'address')!
    written.attrs = { ...written.attrs, bus: `0x${a.bus.toString(16).padStart(2, '0')}` }
  }
  const next = buses.length
  if (set.bridgeSupported) {
    // (the root port takes the bridge alone: no other device, by address or not — libvirtd 9.0, probe h26-r7-42)
    buses.push({ ...newBus('pcie-root-port', next), accepts: kindBit['pcie-to-pci'], bridgeOnly: true }, newBus('pcie-to-pci-bridge', next + 1))
  } else buses.push(newBus('dmi-to-pci-bridge', next))
  for (let i = buses.length; i <= a.bus; i++) buses.push(newBus('pci-bridge', i))
}

/** How libvirt names what a device plugs in as (virDomainPCIAddressFlagsCompatible's words). */
const connectWords: Readonly<Record<Kind, string>> = {
  pci: 'standard PCI device', 'pci-bridge': 'standard PCI device', none: 'standard PCI device', pcie: 'PCI Express device', integrated: 'PCI Express device',
  'root-port': 'pcie-root-port', 'upstream-port': 'pcie-switch-upstream-port', 'downstream-port': 'pcie-switch-downstream-port',
  'dmi-to-pci': 'dmi-to-pci-bridge', 'pcie-to-pci': 'pcie-to-pci-bridge', pxb: 'pci-expander-bus', 'pxb-pcie': 'pcie-expander-bus',
}

/**
 * The function a PIIX3 gives one of its own controllers — the first IDE controller 00:01.1, the first USB one (PIIX3 or
 * default model) 00:01.2 —, whatever the machine: qemuDomainCollectPCIAddress skips such a controller written there, and
 * i440fx's chipset places it there (chipsetFunction). `undefined` for any other device.
 */
function piix3Function(c: N): { readonly slot: 1; readonly fn: number } | undefined {
  if (c.name !== 'controller' || (c.attrs.index ?? '0') !== '0') return undefined
  if (c.attrs.type === 'ide') return { slot: 1, fn: 1 }
  return c.attrs.type === 'usb' && (c.attrs.model === undefined || c.attrs.model === 'piix3-uhci') ? { slot: 1, fn: 2 } : undefined
}

/** A PIIX3 controller written at its own function (piix3Function): qemuDomainCollectPCIAddress skips it. */
function isPiix3Function(d: N, a: { bus: number; slot: number; fn: number }, address: Readonly<Record<string, string>>): boolean {
  const own = piix3Function(d)
  return own !== undefined && a.bus === 0 && a.slot === own.slot && a.fn === own.fn && Number(address.domain ?? '0') === 0
}

/**
 * An address written in the domain, checked as libvirt checks it when it collects the addresses in use
 * (qemuDomainCollectPCIAddress → virDomainPCIAddressValidate with `fromConfig`): an integrated device only on
 * bus 0; a bus that takes the device's kind (a written address may put a PCI device in a PCIe slot and back,
 * and a pci-bridge wherever a PCI device goes); a slot in the bus's range. The dry run checks the buses controllers
 * provide; an address on a bus it grows is checked in the second pass, against the bus libvirt added there.
 */
function checkGivenAddress(ctx: PreviewContext, set: PciSet, d: N, a: { bus: number; slot: number; fn: number }, provided: number, memos: KindMemo, writtenBus = a.bus): void {
  const address = child(d, 'address')!.attrs
  // the PIIX3's own IDE and USB functions at 00:01.1 and 00:01.2 are not collected (reserved with the chipset)
  if (isPiix3Function(d, a, address)) {
    if (set.buses.length > 0 && !(busConnect[set.buses[0]!.model]?.takes ?? []).includes('pci')) throw new PreviewError('preview-refused', 'Bus 0 must be PCI for integrated PIIX3 USB or IDE controllers', { path: devicePathOf(d) })
    return
  }
  // (virDomainPCIAddressValidate: the QEMU driver's one PCI domain, checked first — as the addresses are collected, after
  // the post-parse's checks of the machine's root bus: probe h26-tp-b-addr-dom1, libvirtd 9.0)
  const domain = addressNumber(address.domain)
  if (domain !== 0) {
    const problem = pciAddressProblem({ domain, bus: a.bus, slot: a.slot, function: a.fn })
    if (problem) throw new PreviewError('preview-invalid-value', problem, { path: `${devicePathOf(d)}/address` })
  }
  if (!Number.isInteger(a.bus) || a.bus < 0) return
  // virPCIDeviceAddressAsString
  const addrStr = `${hex4(Number(address.domain ?? '0'))}:${hexRaw(writtenBus, 2)}:${hexRaw(a.slot, 2)}.${a.fn}`
  const words = `The device at PCI address ${addrStr}`
  const path = `${devicePathOf(d)}/address`
  let kind = kindOf(ctx, d, set.pcieRoot, memos)
  // VIR_PCI_CONNECT_INTEGRATED (the rule says so whatever the machine): bus 0 only, where either kind fits —
  // checked before the bus's model, so on a bus the dry run grows too
  const integrated = kind === 'integrated' || (d.name !== 'controller' && pciConnectRuleOf(shallowElement(d), arch(ctx))?.integrated === true)
  if (integrated) {
    if (a.bus !== 0) throw new PreviewError('preview-invalid-value', `${words} needs to be an integrated device (bus=0)`, { path })
    return
  }
  if (a.bus >= provided) return
  const bus = set.buses[a.bus]!
  // a device with no connect flags that has an address anyway is taken as a standard PCI device
  if (kind === 'none') kind = 'pci'
  const takes = bus.bridgeOnly ? bridgeOnlyTakes : busConnect[bus.model]?.takes ?? []
  const endpoint = takes.includes('pci') || takes.includes('pcie')
  const fits = takes.includes(kind) || (endpoint && (kind === 'pci' || kind === 'pcie' || kind === 'pci-bridge'))
  if (!fits) {
    throw new PreviewError('preview-invalid-value', `${words} cannot be plugged into the PCI controller with index='${a.bus}'. It requires a controller that accepts a ${connectWords[kind]}.`, { path })
  }
  if (bus.min > 0 && a.slot < bus.min) throw new PreviewError('preview-invalid-value', `Invalid PCI address ${addrStr}. slot must be >= ${bus.min}`, { path })
  if (a.slot > bus.max) throw new PreviewError('preview-invalid-value', `Invalid PCI address ${addrStr}. slot must be <= ${bus.max}`, { path })
}

const bridgeOnlyTakes: readonly Kind[] = ['pcie-to-pci']
const hexRaw = (n: number, width: number): string => n.toString(16).padStart(width, '0')
const hex4 = (n: number): string => hexRaw(n, 4)

/** A device's path for an error: `domain/devices/controller[@type='pci'][@index='2']`. */
function devicePathOf(d: N): string {
  return `domain/devices/${d.name}${d.attrs.type ? `[@type='${d.attrs.type}']` : ''}${d.attrs.index !== undefined ? `[@index='${d.attrs.index}']` : ''}${d.attrs.model !== undefined ? `[@model='${d.attrs.model}']` : ''}`
}

/** libvirt's PCI address attributes for a slot (what setAddress writes). */
function pciAddressAttrs(a: { bus: number; slot: number; fn: number }): Record<string, string> {
  return { type: 'pci', domain: '0x0000', bus: hexWidth2(a.bus), slot: hexWidth2(a.slot), function: hexWidth1(a.fn) }
}

function setAddress(ctx: PreviewContext, d: N, a: { bus: number; slot: number; fn: number }): void {
  let address = child(d, 'address')
  const attrs = pciAddressAttrs(a)
  if (address) {
    // (an empty address written is replaced whole, its multifunction setting too: virDomainPCIAddressReserveNextAddr
    // and the chipset's places assign the address they found — libvirtd 9.0, probes h26-k-mf-empty-*)
    address.attrs = attrs
  } else {
    address = { name: 'address', attrs, children: [], text: undefined, raw: undefined }
    if (d.name === 'disk') insertOrdered(d, address, diskChildOrder)
    else d.children.push(address)
  }
  ctx.explainPciAddress({ device: d.name, type: d.attrs.type, bus: attrs.bus!, slot: attrs.slot!, fn: attrs.function! })
}

/**
 * What libvirt says when the real assignment finds no slot for a device (the dry run has added every bus
 * it could): qemuDomainPCIAddressReserveNextAddr for a PCI controller, virDomainPCIAddressGetNextAddr otherwise.
 * `realPass11`: libvirt 11's real pass (not a dry run) — virDomainPCIAddressGetNextAddr grows no bus there and says
 * "No more available PCI slots" for a controller too (an expander bus whose slot the root ports filling the index gap
 * below it took: seen on libvirtd 11.3, where 9.0 seats it).
 */
function noSlot(d: N, realPass11 = false): PreviewError {
  const path = `domain/devices/${d.name}${d.attrs.type ? `[@type='${d.attrs.type}']` : ''}${d.attrs.index !== undefined ? `[@index='${d.attrs.index}']` : ''}`
  if (realPass11) return new PreviewError('preview-refused', 'No more available PCI slots', { path })
  // (a PCIe-to-PCI bridge's connect type maps to no controller model libvirt could name: it gives the flags)
  if (d.name === 'controller' && d.attrs.type === 'pci' && d.attrs.model === 'pcie-to-pci-bridge') return new PreviewError('preview-refused', 'Cannot automatically add a new PCI bus for a device with connect flags 2000', { path })
  return d.name === 'controller' && d.attrs.type === 'pci'
    ? new PreviewError('preview-refused', `a PCI slot is needed to connect a PCI controller model='${d.attrs.model ?? ''}', but none is available, and it cannot be automatically added`, { path })
    : new PreviewError('preview-refused', 'No more available PCI slots', { path })
}

/**
 * The slot and function the chipset gives one of its own controllers (qemuDomainValidateDevicePCISlotsPIIX3 / …Q35): on
 * i440fx the first IDE controller at 00:01.1 and the first PIIX3 (or default) USB one at 00:01.2, on q35 the first SATA
 * one at 00:1f.2 — whatever address of another type they were written with; `undefined` for any other device.
 */
export function chipsetFunction(ctx: PreviewContext, c: N): { readonly slot: number; readonly fn: number } | undefined {
  const family = machineFamilyOf(ctx)
  if (family === 'i440fx') return piix3Function(c)
  return family === 'q35' && c.name === 'controller' && (c.attrs.index ?? '0') === '0' && c.attrs.type === 'sata' ? { slot: 0x1f, fn: 2 } : undefined
}

/** Fixed slots of the chipsets (qemuDomainValidateDevicePCISlotsPIIX3 / …Q35). */
function chipsetSlots(ctx: PreviewContext, set: PciSet, write: boolean): Set<N> {
  const placed = new Set<N>()
  const put = (d: N, a: { bus: number; slot: number; fn: number }): void => { placed.add(d); if (write) setAddress(ctx, d, a) }
  const all = devices(ctx)
  const primary = all.find((d) => d.name === 'video')
  const primaryModel = primary ? child(primary, 'model')?.attrs.type : undefined
  const primaryWanted = primary !== undefined && primaryModel !== 'none' && primaryModel !== 'ramfb' && wantsPci(ctx, primary)
  // the chipset's own functions, and the ones its integrated controllers get, clash with a device written there
  // (checked once, on the dry run: libvirtd 9.0 refused a device at 00:01.0, at 00:01.1 beside an IDE controller,
  // at 00:01.2 beside a PIIX3 USB one, at 00:01.3; on q35 at 00:1f.0, 00:1f.2, 00:1f.3; 00:01.1 without IDE is free)
  const claim = (d: N | undefined, a: { bus: number; slot: number; fn: number }): void => {
    if (write || set.buses.length === 0 || !inUse(set, a)) return
    // (named by the device written there)
    const holder = all.find((x) => { const at = pciAddressOf(x); return at !== undefined && at.bus === a.bus && at.slot === a.slot && at.fn === a.fn })
    throw doubleUse(a, holder ? `${devicePathOf(holder)}/address` : d ? devicePathOf(d) : 'domain/devices')
  }
  const family = machineFamilyOf(ctx)
  if (family === 'i440fx') {
    // (the PIIX3's IDE and USB functions first, each where the chipset has it — one written elsewhere is refused —,
    // then its ISA bridge at 00:01.0 and its power management at 00:01.3: qemuDomainValidateDevicePCISlotsPIIX3's order)
    // (a second controller the chipset would give the same function — a USB controller written twice — is refused as
    // that function taken twice: libvirtd 9.0, the repeat-child search edit)
    const given = new Set<number>()
    for (const c of all) {
      if (c.name !== 'controller') continue
      const fixedAt = chipsetFunction(ctx, c)
      if (fixedAt === undefined) continue
      const a = { bus: 0, ...fixedAt }
      if (!hasPciAddress(c)) {
        claim(c, a)
        if (!write && given.has(a.slot * 8 + a.fn)) throw doubleUse(a, devicePathOf(c))
        given.add(a.slot * 8 + a.fn)
        put(c, a)
        continue
      }
      const at = pciAddressOf(c)
      if (!write && at !== undefined && (at.bus !== 0 || at.slot !== a.slot || at.fn !== a.fn || Number(child(c, 'address')!.attrs.domain ?? '0') !== 0)) {
        throw new PreviewError('preview-refused', c.attrs.type === 'ide' ? 'Primary IDE controller must have PCI address 0:0:1.1' : 'PIIX3 USB controller at index 0 must have PCI address 0:0:1.2', { path: `${devicePathOf(c)}/address` })
      }
    }
    claim(undefined, { bus: 0, slot: 1, fn: 0 })
    claim(undefined, { bus: 0, slot: 1, fn: 3 })
    reserve(set, 0, 1, 0); reserve(set, 0, 1, 1); reserve(set, 0, 1, 2); reserve(set, 0, 1, 3)
    if (primaryWanted) {
      if (slotFree(set.buses[0]!, 2)) { reserve(set, 0, 2, 0); put(primary, { bus: 0, slot: 2, fn: 0 }) } else { const a = take(set, 'pci'); if (a) put(primary, a) }
    }
  } else if (family === 'q35') {
    // (the controllers first — the primary SATA controller's address checked —, then the ISA bridge's 00:1f.0 and the
    // SMBus's 00:1f.3: qemuDomainValidateDevicePCISlotsQ35's order — a SATA controller written at 00:1f.0 is refused for
    // its address, the differential, seed 1090, libvirtd 9.0)
    // (the primary SATA controller given 00:1f.2 here is not reserved by it: a device written there is refused when the
    // address is collected, after the ISA bridge's 00:1f.0 — root ports written at 00:1f.0 and 00:1f.2 are refused
    // for 00:1f.0, probe h57-q35-1f-…, libvirtd 9.0)
    let sataClash: unknown
    for (const c of all) {
      if (c.name !== 'controller') continue
      if (chipsetFunction(ctx, c) !== undefined && !hasPciAddress(c)) {
        try { claim(c, { bus: 0, slot: 0x1f, fn: 2 }) } catch (e) { sataClash ??= e }
        reserve(set, 0, 0x1f, 2); put(c, { bus: 0, slot: 0x1f, fn: 2 })
      }
      else if (!write && c.attrs.type === 'sata' && chipsetFunction(ctx, c) !== undefined) {
        // (the first SATA controller written at another PCI address: qemuDomainValidateDevicePCISlotsQ35, an internal error
        // seen on libvirtd 9.0)
        const at = pciAddressOf(c)
        if (at !== undefined && (at.bus !== 0 || at.slot !== 0x1f || at.fn !== 2 || Number(child(c, 'address')!.attrs.domain ?? '0') !== 0)) {
          throw new PreviewError('preview-refused', 'Primary SATA controller must have PCI address 0:0:1f.2', { path: `${devicePathOf(c)}/address` })
        }
      }
      // the first USB2 companion set goes to 00:1d, the second to 00:1a, as on real ICH9 hardware — a UHCI1 written with
      // no address at all: an empty <address type='pci'/> is left to the regular assignment (info.type NONE; libvirtd 9.0,
      // probe h26-e-usb-uhci-emptyaddr), as is a DMI-to-PCI bridge's below
      if (c.attrs.type === 'usb' && c.attrs.model === 'ich9-uhci1' && child(c, 'address') === undefined) {
        const slot = slotFree(set.buses[0]!, 0x1d) ? 0x1d : slotFree(set.buses[0]!, 0x1a) ? 0x1a : undefined
        if (slot !== undefined) { reserve(set, 0, slot, 0); put(c, { bus: 0, slot, fn: 0 }); if (write) child(c, 'address')!.attrs.multifunction = 'on' }
      }
      if (c.attrs.type === 'pci' && c.attrs.model === 'dmi-to-pci-bridge' && child(c, 'address') === undefined && slotFree(set.buses[0]!, 0x1e)) {
        reserve(set, 0, 0x1e, 0); put(c, { bus: 0, slot: 0x1e, fn: 0 })
      }
    }
    claim(undefined, { bus: 0, slot: 0x1f, fn: 0 })
    claim(undefined, { bus: 0, slot: 0x1f, fn: 3 })
    if (sataClash !== undefined) throw sataClash
    reserve(set, 0, 0x1f, 0); reserve(set, 0, 0x1f, 3)
    if (primaryWanted) {
      // (00:01.0 taken: the video takes the next free address — and on the dry run it is counted again by the
      // regular assignment, so libvirt's q35 gets one root port more than the devices need: seen on libvirtd 9.0
      // with a device written at 00:01.0 and a virtio video, 3 root ports; with a virtio NIC too, 4)
      if (slotFree(set.buses[0]!, 1)) { reserve(set, 0, 1, 0); put(primary, { bus: 0, slot: 1, fn: 0 }) } else { const a = take(set, kindOf(ctx, primary, true)); if (a && write) put(primary, a) }
    }
    if (slotFree(set.buses[0]!, 0x1b)) {
      const sound = all.find((d) => d.name === 'sound' && d.attrs.model === 'ich9' && wantsPci(ctx, d) && !hasPciAddress(d))
      if (sound) { reserve(set, 0, 0x1b, 0); put(sound, { bus: 0, slot: 0x1b, fn: 0 }) }
    }
  }
  return placed
}

/** qemuDomainSupportsPCI: most machines; on ARM only versatilepb and virt, on RISC-V virt (the GPEX capability is no longer probed). */
export function supportsPci(ctx: PreviewContext): boolean {
  const a = arch(ctx)
  const m = machineName(ctx)
  if (a === 'aarch64' || a.startsWith('arm')) return m === 'versatilepb' || m === 'virt' || m.startsWith('virt-')
  if (a.startsWith('riscv')) return m === 'virt' || m.startsWith('virt-')
  return true
}

/**
 * A PCI address left empty (domain, bus and slot 0) where no assignment fills it — a machine without PCI: libvirt writes
 * it without numbers, the function too, and keeps the multifunction switch and the zPCI identity (virDomainDeviceInfoFormat
 * tests virPCIDeviceAddressIsEmpty; probes h33-v-empty-addr-*, libvirtd 9.0).
 */
function emptyPciAddressesAsWritten(ctx: PreviewContext): void {
  for (const d of devices(ctx)) {
    const a = child(d, 'address')
    if (a === undefined || a.attrs.type !== 'pci' || !emptyPciAddress(a.attrs)) continue
    const { domain: _d, bus: _b, slot: _s, function: _f, ...rest } = a.attrs
    a.attrs = rest
  }
}

/** qemuDomainAssignDevicePCISlots on a virtio disk: its address is PCI (or CCW, or virtio-mmio where QEMU has it) — anything else libvirt refuses. */
function virtioDiskAddressCheck(ctx: PreviewContext, d: N): void {
  if (d.name !== 'disk') return
  const type = child(d, 'address')?.attrs.type
  if (type !== undefined && type !== 'pci' && type !== 'ccw' && !(type === 'virtio-mmio' && has(ctx, 'virtio-mmio'))) {
    throw new PreviewError('preview-refused', `virtio disk cannot have an address of type '${type}'`, { path: "domain/devices/disk[target/@bus='virtio']/address/@type" })
  }
}

function assignPci(ctx: PreviewContext): void {
  // (a machine without PCI — an ARM board but virt and versatilepb: with no PCI controller written, a PCI address written
  // there has no bus to stand on — the odd-value search edit, seed 422; with one, libvirt's dry run still runs, and adds
  // the controllers the devices need, with no defaults: only the real assignment is skipped — probes h26-o-*, libvirtd 9.0)
  const pciSupported = supportsPci(ctx)
  if (!pciSupported && controllers(ctx, 'pci').length === 0) {
    const stranded = devices(ctx).find(hasPciAddress)
    if (stranded) throw new PreviewError('preview-invalid-value', 'No PCI buses available', { path: devicePathOf(stranded) })
    emptyPciAddressesAsWritten(ctx)
    return
  }
  if (controllers(ctx, 'pci').length === 0) {
    // a machine without any PCI bus (isapc; s390 without zPCI…): libvirt's address set has no bus, so a written
    // PCI address or a device that wants one ends there (virDomainPCIAddressValidate / …GetNextAddr)
    // (the walk meets a virtio disk's other address before any later device's want: m68k's virtio-mmio is QEMU's, Xtensa's
    // is not — probes h33-x-*-mmio, libvirtd 9.0)
    const stranded = devices(ctx).find(hasPciAddress) ?? pciCandidates(ctx).find((d) => { virtioDiskAddressCheck(ctx, d); return wantsPci(ctx, d) })
    if (stranded) throw new PreviewError('preview-invalid-value', 'No PCI buses available', { path: devicePathOf(stranded) })
    return
  }
  let hadControllers = -1
  for (const c of devices(ctx)) if (c.name === 'controller' && c.attrs.type === 'pci') hadControllers = Math.max(hadControllers, Number(c.attrs.index ?? '0'))
  const memos: KindMemo = [new Map(), new Map()]
  // pass 1: the dry run
  // (pSeries host devices' isolation groups, from the host's IOMMU groups: set once, before the dry run)
  const groups = isolationGroups(ctx)
  const noted = new Set<N>()
  const dry = createSet(ctx, true, memos, groups)
  // the real pass starts from the same buses and addresses in use when the dry run adds no bus: a copy of the
  // set as it is now (else it is made again once the buses are added)
  const start = dry.grown ? undefined : copySet(dry, false)
  const fixed = chipsetSlots(ctx, dry, false)
  // one spare slot for a future bridge, unless every bus is already full
  if (!dry.pcieRoot && dry.buses.some((b) => b.model !== 'pcie-root' && busHasFree(b))) take(dry, 'pci')
  const candidates = pciCandidates(ctx)
  for (const d of candidates) {
    virtioDiskAddressCheck(ctx, d)
    if (!wantsPci(ctx, d) || hasPciAddress(d)) continue
    if (fixed.has(d)) continue
    // a USB2 companion whose set already has a slot (00:1d from the chipset, or given) joins it: no new bus
    if (d.name === 'controller' && d.attrs.type === 'usb' && usb2Function[d.attrs.model ?? ''] !== undefined
      && controllers(ctx, 'usb').some((c) => c !== d && (c.attrs.index ?? '0') === (d.attrs.index ?? '0') && usb2Function[c.attrs.model ?? ''] !== undefined && (fixed.has(c) || hasPciAddress(c)))) continue
    const kind = kindOf(ctx, d, dry.pcieRoot, memos)
    if (kind === 'none') {
      // a device libvirt asks a slot for that has no PCI connect flags (libvirt 9.0: a usb-net NIC): no bus takes it, none can be added
      throw new PreviewError('preview-refused', 'Cannot automatically add a new PCI bus for a device with connect flags 00', { path: devicePathOf(d) })
    }
    // (whether a host device is PCIe, where that is asked and the host's devices are not known: listed)
    if (dry.pcieRoot) hostPciConventional(ctx, d, noted)
    // (no bus takes it and none can be added for it: the dry run ends there)
    if (!take(dry, kind, groups?.get(d))) throw noSlot(d)
  }
  // (qemuDomainAssignPCIAddresses: more buses than the controllers written — added for the devices, or for an address
  // written on a bus no controller makes — leave one more root port free for hot-plug)
  if (hadControllers <= 0 && dry.buses.length > hadControllers + 1 && dry.pcieRoot) take(dry, 'pcie')
  const devicesEl = ensure(ctx.domain, 'devices')
  const present = new Set<number>()
  for (const c of devicesEl.children) if (c.name === 'controller' && c.attrs.type === 'pci') present.add(Number(c.attrs.index ?? '0'))
  let busesAdded = false
  for (let i = 1; i < dry.buses.length; i++) {
    if (present.has(i)) continue
    busesAdded = true
    const model = dry.buses[i]!.model
    const added = node('controller', { type: 'pci', index: String(i), model })
    ;(ctx.addedBuses ??= new Set()).add(added)
    insertController(devicesEl, added, isLibvirt9(ctx))
    ctx.explain(`domain/devices/controller[@type='pci'][@index='${i}']`, 'pci-bus-added', `The devices need another PCI bus: libvirt adds a \`${model}\`.`)
  }
  // pass 2: the real assignment
  const set = !busesAdded && start !== undefined ? start : createSet(ctx, false, memos, groups)
  // (the dry run itself gives each controller it added a slot, in index order, and grows no bus for one: a root port
  // added for a switch's upstream port has no pcie-root to plug into — libvirtd 9.0, probes
  // h33-np-*-pcie-switch-upstream-port —, and the pci-bridges added for some 300 SCSI controllers on pc fill the slots
  // the devices left — qemuDomainAssignPCIAddresses, then virDomainPCIAddressSetGrow's words; probes h55-big-*)
  if (busesAdded) {
    for (const c of controllers(ctx, 'pci')) {
      if (!ctx.addedBuses?.has(c) || dry.buses[Number(c.attrs.index)]?.seated) continue
      if (!take(dry, kindOf(ctx, c, dry.pcieRoot, memos))) throw noSlot(c)
    }
  }
  if (!pciSupported) {
    // (a controller the dry run added has no model name there: validation refuses the first — libvirtd 9.0, probe
    // h26-o-vexpress-a9-up-name)
    const added = ctx.addedBuses === undefined ? undefined : controllers(ctx, 'pci').find((c) => ctx.addedBuses!.has(c))
    // (a refusal of validation: the USB addresses are still assigned first, and refused first — probe
    // h33-a5-armv7l-highbank-12, libvirtd 9.0)
    if (added !== undefined) ctx.deferredRefusal ??= validationError(new PreviewError('preview-refused', `Required option 'modelName' is not set for PCI controller with index '${added.attrs.index}', model '${added.attrs.model}' and modelName 'none'`, { path: devicePathOf(added) }))
    emptyPciAddressesAsWritten(ctx)
    return
  }
  chipsetSlots(ctx, set, true)
  // the same devices as in the dry run, unless buses were added (addresses do not change who is a candidate)
  for (const d of busesAdded ? pciCandidates(ctx) : candidates) {
    if (!wantsPci(ctx, d) || hasPciAddress(d)) continue
    const kind = kindOf(ctx, d, set.pcieRoot, memos)
    if (kind === 'none') continue
    const companion = usb2Function[d.attrs.type === 'usb' ? d.attrs.model ?? '' : '']
    if (companion !== undefined) {
      // all controllers of one USB2 index share a slot, one function each
      const sibling = controllers(ctx, 'usb').find((c) => c !== d && (c.attrs.index ?? '0') === (d.attrs.index ?? '0') && usb2Function[c.attrs.model ?? ''] !== undefined && hasPciAddress(c))
      const at = sibling ? { ...pciAddressOf(sibling)!, fn: companion } : nextAddress(set, kind)
      if (!at) throw noSlot(d)
      const placed = { ...at, fn: companion }
      // (two companions of one model and index want one function: libvirt reserves it twice and refuses — the
      // repeat-child search edit, seed 387, libvirtd 9.0)
      if (inUse(set, placed)) throw doubleUse(placed, devicePathOf(d))
      reserve(set, placed.bus, placed.slot, placed.fn)
      setAddress(ctx, d, placed)
      if (companion === 0) child(d, 'address')!.attrs.multifunction = 'on'
      continue
    }
    const a = take(set, kind, groups?.get(d))
    if (!a) throw noSlot(d, !isLibvirt9(ctx))
    setAddress(ctx, d, a)
  }
  // multifunction='on' on function 0 of slots with several functions (virDomainPCIAddressSetAllMulti)
  // (keyed by bus and slot as written: the same numbers read the same)
  // (a slot's one device as itself, a list only once a second comes: most slots have one)
  const perSlot = new Map<number | string, N | N[]>()
  for (const d of devices(ctx)) {
    const attrs = child(d, 'address')?.attrs
    if (attrs === undefined || attrs.type !== 'pci' || emptyPciAddress(attrs)) continue
    const bus = addressNumber(attrs.bus)
    const slot = addressNumber(attrs.slot)
    // small integers as one number (no string to make and hash), anything else as text
    const k = bus >= 0 && bus < 65536 && slot >= 0 && slot < 65536 && Number.isInteger(bus) && Number.isInteger(slot) ? bus * 65536 + slot : `${bus}:${slot}`
    const there = perSlot.get(k)
    if (there === undefined) perSlot.set(k, d)
    else if (Array.isArray(there)) there.push(d)
    else perSlot.set(k, [there, d])
  }
  for (const list of perSlot.values()) {
    if (!Array.isArray(list)) continue
    for (const d of list) {
      const a = child(d, 'address')!
      if (addressNumber(a.attrs.function) === 0 && a.attrs.multifunction === undefined) a.attrs.multifunction = 'on'
    }
  }
  // controller defaults (model name, chassis, port)
  const pciControllers = controllers(ctx, 'pci')
  for (let ci = 0; ci < pciControllers.length; ci++) {
    const c = pciControllers[ci]!
    const model = c.attrs.model
    const idx = Number(c.attrs.index ?? '0')
    const modelName = defaultPciModelName(ctx, model)
    const order = controllerChildOrder
    const written = child(c, 'model')
    // (`<model name='none'/>` or a `<model>` without a name is no name: libvirt gives the default, or writes no `<model>`)
    if (written && (written.attrs.name === undefined || written.attrs.name === 'none')) {
      if (modelName) written.attrs = { ...written.attrs, name: modelName }
      else c.children = c.children.filter((x) => x !== written)
    } else if (modelName && !written) insertOrdered(c, node('model', { name: modelName }), order)
    const addr = pciAddressOf(c) ?? unionPciAddressOf(c)
    if (model === 'pci-bridge' && child(c, 'target')?.attrs.chassisNr === undefined) targetOf(c).attrs = { chassisNr: String(idx), ...targetOf(c).attrs }
    if ((model === 'pcie-root-port' || model === 'pcie-switch-downstream-port') && addr) {
      const t = targetOf(c)
      // (int port = (unsigned slot << 3) + function, in 32 bits)
      const port = model === 'pcie-root-port' ? ((addr.slot * 8 + addr.fn) % 2 ** 32) | 0 : addr.slot | 0
      const attrs: Record<string, string> = {}
      attrs.chassis = t.attrs.chassis ?? String(idx)
      attrs.port = t.attrs.port ?? (port >= 0 && port < 256 ? hexPlain[port]! : `0x${(port >>> 0).toString(16)}`)
      // then the others, in their order (defined as own properties, as Object.fromEntries does)
      for (const k in t.attrs) if (k !== 'chassis' && k !== 'port') Object.defineProperty(attrs, k, { value: t.attrs[k], enumerable: true, writable: true, configurable: true })
      t.attrs = attrs
    }
    if ((model === 'pci-expander-bus' || model === 'pcie-expander-bus') && child(c, 'target')?.attrs.busNr === undefined) {
      // qemuDomainAddressFindNewBusNr: two below the lowest busNr in use (pxb and its built-in bridge), from 256
      const lowest = controllers(ctx, 'pci').map((x) => Number(child(x, 'target')?.attrs.busNr ?? NaN)).filter((n) => Number.isFinite(n)).reduce((m, n) => Math.min(m, n), 256)
      if (lowest <= 2) throw new PreviewError('preview-refused', `No free busNr lower than current lowest busNr is available to auto-assign to bus ${addr?.bus ?? 0}. Must be manually assigned`, { path: `${devicePathOf(c)}/target/@busNr` })
      const t = targetOf(c); t.attrs = { busNr: String(lowest - 2), ...t.attrs }
    }
    if (model === 'pci-root' && isPSeries(ctx)) {
      const t = targetOf(c)
      // index 0 is the implicit PHB's; any other takes the lowest target index (1–31) no PHB has yet (qemuDomainAddressFindNewTargetIndex)
      if (t.attrs.index === undefined) {
        // (the PHBs libvirt knows as such by then: the ones before this, given their model name in this same walk, and
        // later ones only with the name written — virDomainControllerIsPSeriesPHB; a later PHB's written target index
        // may so be taken twice, as libvirtd 9.0 stores it)
        const taken = new Set(pciControllers.filter((x, xi) => x.attrs.model === 'pci-root' && (xi < ci || child(x, 'model')?.attrs.name === 'spapr-pci-host-bridge')).map((x) => child(x, 'target')?.attrs.index).filter((v) => v !== undefined).map(Number))
        let free = 0
        if (idx !== 0) for (free = 1; free <= 31 && taken.has(free); free++);
        if (free > 31) throw new PreviewError('preview-refused', `No usable target index found for ${addr?.bus ?? 0}`, { path: `${devicePathOf(c)}/target/@index` })
        t.attrs = { index: String(free), ...t.attrs }
        // (the last one, 31, is out of the range validation allows: virDomainControllerDefValidate, after post-parse)
        if (free > 30) ctx.deferredRefusal ??= validationError(new PreviewError('preview-refused', `PCI controller target index '${free}' out of range - must be 0-30`, { path: `${devicePathOf(c)}/target/@index` }))
      }
    }
    // every pci-bridge sits on a bus of a lower index (qemuDomainAssignPCIAddresses)
    if (model === 'pci-bridge' && addr && idx <= addr.bus) {
      throw new PreviewError('preview-refused', `PCI controller at index ${idx} (0x${hexRaw(idx, 2)}) has bus='0x${hexRaw(addr.bus, 2)}', but index must be larger than bus`, { path: `${devicePathOf(c)}/address` })
    }
  }
}

/**
 * The QEMU device a PCI controller of this model gets when its `<model name>` is not written
 * (qemuDomainPCIControllerSetDefaults): a root port is QEMU's generic one where QEMU has it, else Intel's
 * ioh3420; a pSeries pci-root is a PHB; pci-root and pcie-root on other machines have none (`undefined`).
 */
export function defaultPciModelName(ctx: PreviewContext, model: string | undefined): string | undefined {
  switch (model) {
    case 'pci-bridge': return 'pci-bridge'
    case 'dmi-to-pci-bridge': return 'i82801b11-bridge'
    case 'pcie-to-pci-bridge': return 'pcie-pci-bridge'
    case 'pcie-root-port': return has(ctx, 'pcie-root-port') ? 'pcie-root-port' : 'ioh3420'
    case 'pcie-switch-upstream-port': return 'x3130-upstream'
    case 'pcie-switch-downstream-port': return 'xio3130-downstream'
    case 'pci-expander-bus': return 'pxb'
    case 'pcie-expander-bus': return 'pxb-pcie'
    case 'pci-root': return isPSeries(ctx) ? 'spapr-pci-host-bridge' : undefined
    default: return undefined
  }
}

/** Children of a PCI controller in libvirt's order (virDomainControllerDefFormat, its device information, the 64-bit hole). */
const controllerChildOrder: readonly string[] = [...formatterChildOrders['devices/controller']!, ...deviceInfoChildOrder, ...afterDeviceInfo.controller!]

/** A controller's `<target>`, made (in its place) when missing. */
function targetOf(c: N): N {
  const t = child(c, 'target')
  if (t) return t
  const n = node('target')
  insertOrdered(c, n, controllerChildOrder)
  return n
}

/** Numbers 0–255 in hex without padding (a root port's `port`), made once. */
const hexPlain: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, n) => `0x${n.toString(16)}`)

/** Smartcards sit on CCID controller 0 (virDomainDefAddImplicitControllers, virDomainCCIDAddressAssign). */
function assignCcid(ctx: PreviewContext): void {
  const cards = devices(ctx).filter((d) => d.name === 'smartcard')
  if (cards.length === 0) return
  // virDomainDefMaybeAddSmartcardController, card by card: one without an address takes CCID controller 0, the slot
  // after the highest another card has there; then the controller its address names (0 for another address type) is
  // added if missing
  const list = ensure(ctx.domain, 'devices')
  for (const card of cards) {
    let a = child(card, 'address')
    if (!a) {
      let max = -1
      for (const other of cards) {
        const o = other !== card ? child(other, 'address') : undefined
        if (o?.attrs.type === 'ccid' && Number(o.attrs.controller ?? '0') === 0) max = Math.max(max, Number(o.attrs.slot ?? '0'))
      }
      a = node('address', { type: 'ccid', controller: '0', slot: String(max + 1) })
      card.children.push(a)
    } else if (a.attrs.type === 'ccid' && (a.attrs.controller === undefined || a.attrs.slot === undefined)) {
      // (a CCID address's controller and slot are 0 unless written, and the formatter writes both:
      // virDomainDeviceCcidAddressParseXML, virDomainDeviceInfoFormat — probe h25-sc-addr-ccid-noslot, libvirtd 9.0)
      a.attrs = { ...a.attrs, controller: a.attrs.controller ?? '0', slot: a.attrs.slot ?? '0' }
    }
    // (a card at another address still gets CCID controller 0 — validation then refuses its address, after post-parse
    // counted that controller as a USB device: "USB is disabled…" on s390, libvirtd 9.0)
    const index = a.attrs.type === 'ccid' ? Number(a.attrs.controller ?? '0') : 0
    if (!Number.isInteger(index) || index < 0 || index > 2 ** 31 - 1) continue
    if (controllers(ctx, 'ccid').some((c) => Number(c.attrs.index ?? '0') === index)) continue
    insertController(list, node('controller', { type: 'ccid', index: String(index) }), isLibvirt9(ctx))
    ctx.explain(`domain/devices/controller[@type='ccid'][@index='${index}']`, 'ccid-controller', 'A smartcard needs its CCID controller: libvirt adds it.')
  }
}

/**
 * DIMM-like memory devices get the next free slot, after the PCI and USB addresses (qemuDomainAssignMemorySlots,
 * qemuAssignMemoryDeviceSlot): one without a DIMM address — none, or one of another type — becomes a DIMM address in
 * the next slot no DIMM address holds, walked in order. libvirt sets the type and the slot alone: the base is what the
 * address's union held at the DIMM base's place (the third and fourth numbers of a PCI or drive address — PCI slot 5
 * function 0 is base 0x5; a virtio-serial port), written when not 0 (libvirtd 9.0; 11.3's code alike).
 */
function assignDimms(ctx: PreviewContext): void {
  const all = devices(ctx).filter((d) => d.name === 'memory')
  const mems = all.filter((d) => d.attrs.model === 'dimm' || d.attrs.model === 'nvdimm')
  if (mems.length === 0) return
  // (the slots taken: any memory device's DIMM address, a virtio-mem device's too — qemuDomainGetMemorySlotMap)
  const used = new Set(all.map((m) => child(m, 'address')).filter((a) => a?.attrs.type === 'dimm').map((a) => Number(a!.attrs.slot ?? '0')))
  for (const m of mems) {
    const given = child(m, 'address')
    if (given?.attrs.type === 'dimm') continue
    let slot = 0
    while (used.has(slot)) slot++
    used.add(slot)
    const base = given === undefined ? 0n : unionDimmBase(given)
    const address = node('address', { type: 'dimm', slot: String(slot), ...(base !== 0n ? { base: `0x${base.toString(16)}` } : {}) })
    m.children = given === undefined ? [...m.children, address] : m.children.map((c) => c === given ? address : c)
  }
}

/**
 * A DIMM or NVDIMM written with an address of another type: the post-parse makes it a DIMM address (assignDimms) before
 * libvirt validates any address — the checks of that other type (a CCW address off s390, an unassigned one, a drive
 * address's controller) never see it (libvirtd 9.0, probes h19-r4-dimm-addr-ccw, -unassigned, h19-r4-nvd-addr-drive).
 */
export function addressMadeDimm(d: N): boolean {
  if (d.name !== 'memory' || (d.attrs.model !== 'dimm' && d.attrs.model !== 'nvdimm')) return false
  const type = child(d, 'address')?.attrs.type
  return type !== undefined && type !== 'dimm'
}

/** The DIMM base (a 64-bit number after the slot's 32 bits and their padding) read from another address type's union. */
export function unionDimmBase(a: N): bigint {
  const num = (v: string | undefined): bigint => { const n = v === undefined ? 0 : Number(v); return Number.isInteger(n) && n >= 0 ? BigInt(n) : 0n }
  switch (a.attrs.type) {
    case 'pci': return num(a.attrs.slot) | (num(a.attrs.function) << 32n)
    case 'drive': return num(a.attrs.target) | (num(a.attrs.unit) << 32n)
    case 'virtio-serial': return num(a.attrs.port)
    // (a CCW address's devno, then its `assigned` flag — set once cssid, ssid and devno are read; an sPAPR VIO address's
    // `has_reg` after its 64-bit register: libvirtd 9.0, probes h19-r4-dimm-addr-ccw, -spapr)
    case 'ccw': return a.attrs.devno !== undefined ? num(a.attrs.devno) | (1n << 32n) : 0n
    case 'spapr-vio': return a.attrs.reg !== undefined ? 1n : 0n
    default: return 0n
  }
}


/**
 * The devices qemuDomainPrimeVirtioDeviceAddresses declares of the machine's virtio transport (s390's channel
 * subsystem, or virtio-mmio): virtio ones, and every SCSI controller whatever its model (libvirtd 9.0 puts an ARM
 * virt domain's LSI Logic controller on virtio-mmio too); filesystems and the vsock only on CCW.
 */
function isVirtioDevice(d: N, transport: 'ccw' | 'virtio-mmio'): boolean {
  const virtio = (m: string | undefined): boolean => m !== undefined && m.startsWith('virtio')
  switch (d.name) {
    case 'disk': return child(d, 'target')?.attrs.bus === 'virtio'
    // (a NIC model is virtio by name — virDomainNetIsVirtioModel: one libvirt does not know, `virtiox`, is not; seed 322 —
    // a host device NIC's too: probe h40-s-nicpci-model, libvirtd 9.0)
    case 'interface': return virtioNetModels.has(child(d, 'model')?.attrs.type ?? '')
    case 'controller': return d.attrs.type === 'scsi' || d.attrs.type === 'virtio-serial'
    case 'hostdev': return (d.attrs.type === 'scsi_host') || (d.attrs.type === 'mdev' && d.attrs.model === 'vfio-ccw')
    case 'filesystem': return transport === 'ccw'
    // ("All memballoon devices accepted by the qemu driver are virtio": any but none)
    case 'memballoon': return d.attrs.model !== undefined && d.attrs.model !== 'none'
    case 'rng': case 'crypto': return virtio(d.attrs.model)
    case 'input': return d.attrs.bus === 'virtio'
    case 'video': return child(d, 'model')?.attrs.type === 'virtio'
    case 'vsock': return transport === 'ccw'
    case 'sound': return d.attrs.model === 'virtio'
    case 'memory': return d.attrs.model === 'virtio-mem' || d.attrs.model === 'virtio-pmem'
    default: return false
  }
}

/**
 * The address type qemuDomainAssignAddresses declares a device written without one to have, before validation sees it
 * (qemuDomainPrimeVirtioDeviceAddresses): CCW for a virtio device on s390's CCW machine, virtio-mmio where
 * qemuDomainAssignVirtioMMIOAddresses primes it (`virtioMmioPrimed`); `undefined` for none (PCI, or no address at all).
 * For the checks that run before preview assigns addresses (libvirt validates after its post-parse).
 */
export function primedAddressType(ctx: PreviewContext, d: N): 'ccw' | 'virtio-mmio' | undefined {
  if (child(d, 'address')) return undefined
  // (a NIC written without a model has the machine's default by then — qemuDomainDeviceNetDefPostParse: virtio on s390
  // and the virt boards; its ROM or ACPI index refused on CCW before its guest-side addresses, probe h45-fz1-62-s390)
  const virtio = (transport: 'ccw' | 'virtio-mmio'): boolean => d.name === 'interface' && (child(d, 'model')?.attrs.type ?? '') === ''
    ? virtioNetModels.has(defaultNetModel(ctx, d) ?? '') : isVirtioDevice(d, transport)
  if (isS390(ctx) && machineName(ctx).startsWith('s390-ccw')) return virtio('ccw') ? 'ccw' : undefined
  return virtio('virtio-mmio') && virtioMmioPrimed(ctx) ? 'virtio-mmio' : undefined
}

/**
 * A device's address type as validation sees it, judged before preview assigns addresses: the one written, the one
 * post-parse primes (`primedAddressType`), a USB port for a USB device (qemuDomainAssignUSBAddresses, at define), a
 * drive address for a disk on an IDE, SATA, floppy or SCSI bus whose target name numbers it (virDomainDiskDefAssignAddress),
 * a virtio-serial port for a virtio channel; else none (PCI's is assigned as none is: both pass the checks that ask).
 */
export function addressTypeAtValidation(ctx: PreviewContext, d: N): string {
  if (vfioApAddressDropped(ctx, d)) return 'none'
  const written = child(d, 'address')?.attrs.type
  if (written !== undefined) return written
  // (the sPAPR VIO devices — a spapr-vlan NIC, an ibmvscsi controller, a spapr-vio-serial port on any machine, pSeries'
  // NVRAM and TPMs — get theirs in qemuDomainAssignSpaprVIOAddresses, before the virtio ones are primed: probes h54-b-…)
  if (spaprVioKinds.includes(d.name) && spaprVioForced(ctx, d, d.name === 'serial' ? serialTargetTypeAfterPostParse(ctx, d) : undefined)) return 'spapr-vio'
  const primed = primedAddressType(ctx, d)
  if (primed !== undefined) return primed
  // (a smartcard's CCID slot, virDomainDefMaybeAddSmartcardController: its ACPI index refused before its character
  // device's checks — probe h54-b-q35-smartcard-acpi, libvirtd 9.0)
  if (d.name === 'smartcard') return 'ccid'
  if (d.name === 'disk') {
    const target = child(d, 'target')
    const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)
    if (bus === 'usb') return ctx.options.abiUpdate ? 'usb' : 'none'
    return (bus === 'ide' || bus === 'sata' || bus === 'fdc' || bus === 'scsi') && diskIndex(target?.attrs.dev ?? '') !== undefined ? 'drive' : 'none'
  }
  // (a virtio channel's virtio-serial port: virDomainDefAddImplicitDevices' controllers, then qemuDomainAssignAddresses —
  // h31-ao-chan-acpi-vsock2)
  if (d.name === 'channel' && child(d, 'target')?.attrs.type === 'virtio') return 'virtio-serial'
  return ctx.options.abiUpdate && isUsbDevice(d, isLibvirt9(ctx)) ? 'usb' : 'none'
}

/** Whether the machine is one qemuDomainAssignVirtioMMIOAddresses looks at: an ARM vexpress board, an ARM or RISC-V virt. */
function virtioMmioMachine(ctx: PreviewContext): boolean {
  const a = arch(ctx)
  const m = machineName(ctx)
  const vexpress = (a === 'aarch64' || a.startsWith('arm')) && m.startsWith('vexpress-')
  const virt = ((a === 'aarch64' || a.startsWith('arm')) || a.startsWith('riscv')) && (m === 'virt' || m.startsWith('virt-'))
  return vexpress || virt
}

/**
 * Whether qemuDomainAssignVirtioMMIOAddresses puts the virtio devices without an address on virtio-mmio, judged before
 * post-parse adds the PCIe root: on a machine it looks at whose QEMU has virtio-mmio, unless the domain has a PCIe root
 * (written at index 0, or the one an ARM or RISC-V virt machine gets — libvirt 9.0 where QEMU has the generic host
 * bridge) and QEMU a root port, and no device was written on virtio-mmio.
 */
function virtioMmioPrimed(ctx: PreviewContext): boolean {
  if (!virtioMmioMachine(ctx) || !has(ctx, 'virtio-mmio')) return false
  const all = devices(ctx)
  // (a virtio channel's virtio-mmio address is not one: qemuDomainAssignVirtioSerialAddresses gave it a virtio-serial port
  // before qemuDomainHasVirtioMMIODevices looks — probe h54-e-aarch64-virt-chan-ctl, libvirtd 9.0)
  const virtioChannel = (d: N): boolean => d.name === 'channel' && child(d, 'target')?.attrs.type === 'virtio'
  if (all.some((d) => child(d, 'address')?.attrs.type === 'virtio-mmio' && !virtioChannel(d))) return true
  if (!has(ctx, 'pcie-root-port') && !has(ctx, 'ioh3420')) return true
  const root = controllers(ctx, 'pci').find((c) => Number(c.attrs.index ?? '0') === 0)
  if (root) return root.attrs.model !== 'pcie-root'
  const m = machineName(ctx)
  const virt = m === 'virt' || m.startsWith('virt-')
  // (libvirt 9.0's qemuDomainDefAddDefaultDevices gives armv6l's virt no PCIe root — versatilepb alone a PCI one —: its
  // virtio devices go on virtio-mmio, a virtio-scsi controller's I/O thread refused there; probe h54-c-armv6l-…)
  if (isLibvirt9(ctx) && arch(ctx) === 'armv6l') return true
  return !(virt && (!isLibvirt9(ctx) || has(ctx, 'gpex-pcihost')))
}

/**
 * Whether qemuDomainPrimeVfioDeviceAddresses takes the device off any bus (s390's CCW machine, QEMU with vfio-ccw): a
 * vfio-ap mediated device, whatever address it was written with — validation sees none (probe h54-b-s390-vfioap-…).
 */
export function vfioApAddressDropped(ctx: PreviewContext, d: N): boolean {
  return d.name === 'hostdev' && d.attrs.type === 'mdev' && d.attrs.model === 'vfio-ap' && isS390(ctx) && machineName(ctx).startsWith('s390-ccw') && has(ctx, 'vfio-ccw')
}

/** s390 ccw: every virtio device without an address takes the next free device number (virDomainCCWAddressAssign). */
function assignCcw(ctx: PreviewContext): void {
  if (!(isS390(ctx) && machineName(ctx).startsWith('s390-ccw'))) return
  // (with QEMU's vfio-ccw, qemuDomainPrimeVfioDeviceAddresses first takes a vfio-ap mediated device off any bus: the
  // address it was given is not kept — libvirtd 9.0, the same in 11.3)
  for (const d of devices(ctx)) if (vfioApAddressDropped(ctx, d)) d.children = d.children.filter((c) => c.name !== 'address')
  const ordered = deviceIterateOrder.flatMap((name) => devices(ctx).filter((d) => d.name === name))
  const used = new Set<string>()
  const num = (v: string): number => (/^0x/i.test(v) ? parseInt(v, 16) : Number(v))
  for (const d of ordered) {
    const a = child(d, 'address')
    if (a?.attrs.type === 'ccw' && a.attrs.devno !== undefined) used.add(`${num(a.attrs.cssid!)}.${num(a.attrs.ssid!)}.${num(a.attrs.devno)}`)
  }
  let next = 0
  for (const d of ordered) {
    const a = child(d, 'address')
    if (a && !(a.attrs.type === 'ccw' && a.attrs.devno === undefined)) continue
    if (!a && !isVirtioDevice(d, 'ccw')) continue
    while (used.has(`254.0.${next}`)) next++
    used.add(`254.0.${next}`)
    const attrs = { type: 'ccw', cssid: '0xfe', ssid: '0x0', devno: `0x${next.toString(16).padStart(4, '0')}` }
    if (a) a.attrs = attrs
    else d.children.push(node('address', attrs))
    ctx.explain(`domain/devices/${d.name}/address`, 'ccw-address', 'On s390 libvirt puts virtio devices on the channel subsystem, numbered in device order.')
  }
}

/**
 * pSeries' sPAPR VIO bus: NICs (spapr-vlan), vSCSI controllers, VTY serials and the NVRAM get
 * register addresses from a default per kind, moved up by 0x1000 while taken (qemuDomainAssignSpaprVIOAddresses).
 */
/** The kinds of device on the sPAPR VIO bus, in the order libvirt addresses them (model's; each kind's base register: `bases`). */
const spaprVioKinds = spaprVioAssignedKinds

/**
 * Whether libvirt makes the device's address sPAPR VIO whatever type was written (qemuDomainAssignSpaprVIOAddresses): a
 * spapr-vlan NIC, an ibmvscsi controller and a spapr-vio-serial port on any machine, the NVRAM and every TPM but the
 * proxy on pSeries. `serialType`: a serial port's target type as post-parse leaves it.
 */
export function spaprVioForced(ctx: PreviewContext, d: N, serialType: string | undefined = child(d, 'target')?.attrs.type): boolean {
  switch (d.name) {
    case 'interface': return child(d, 'model')?.attrs.type === 'spapr-vlan'
    // (a SCSI controller without a model — or `auto` — is the default one, ibmvscsi on pSeries: qemuDomainGetSCSIControllerModel)
    case 'controller': return d.attrs.type === 'scsi' && (d.attrs.model === undefined || d.attrs.model === 'auto' ? defaultScsiModel(ctx) : d.attrs.model) === 'ibmvscsi'
    case 'serial': return serialType === 'spapr-vio-serial'
    case 'nvram': return isPSeries(ctx)
    case 'tpm': return isPSeries(ctx) && d.attrs.model !== 'spapr-tpm-proxy'
    default: return false
  }
}

/** A written address of another type made sPAPR VIO: only its type changes (model's spaprVioRegisterFrom reads the register). */
export function asSpaprVio(address: Readonly<Record<string, string>>): Record<string, string> {
  const reg = spaprVioRegisterFrom(address.type ?? '', address)
  return reg === undefined ? { type: 'spapr-vio' } : { type: 'spapr-vio', reg: `0x${reg.toString(16).padStart(8, '0')}` }
}

function assignSpaprVio(ctx: PreviewContext): void {
  // (on every machine: spapr-vlan NICs, ibmvscsi controllers and spapr-vio serial ports are sPAPR VIO devices;
  // pSeries' NVRAM and TPMs too. One pass sorts the devices by the register they start from, in libvirt's order of
  // kinds; most domains have none and stop here.)
  const byBase: N[][] = [[], [], [], [], []]
  let addressed: N[] | undefined
  for (const d of devices(ctx)) {
    const a = child(d, 'address')
    // (the devices libvirt makes sPAPR VIO whatever address type was written — a spapr-vlan NIC, an ibmvscsi controller, a
    // spapr-vio-serial port, on pSeries the NVRAM and TPMs; one of these kinds given an sPAPR VIO address without a
    // register gets one from its kind's base too)
    // (a register any device has written is taken — a balloon's too: qemuDomainSpaprVIOFindByReg walks every device)
    const vio = a?.attrs.type === 'spapr-vio'
    if (vio && a!.attrs.reg !== undefined && d.name !== 'console') (addressed ??= []).push(a!)
    const slot = spaprVioKinds.indexOf(d.name)
    if (slot < 0) continue
    // (their addresses of other types were made sPAPR VIO before validation: spaprVioAddresses)
    const forced = spaprVioForced(ctx, d)
    if (forced || vio) byBase[slot]!.push(d)
  }
  if (!addressed && byBase.every((list) => list.length === 0)) return
  const used = new Set<bigint>()
  for (const a of addressed ?? []) {
    const reg = BigInt(`0x${/^(?:0[xX])?([0-9a-fA-F]+)$/.exec(a.attrs.reg!.trim().replace(/^\+/, ''))?.[1] ?? '0'}`)
    used.add(reg)
    a.attrs.reg = `0x${reg.toString(16).padStart(8, '0')}`
  }
  const bases = [0x1000, 0x2000, 0x30000000, 0x3000, 0x4000]
  byBase.forEach((list, k) => {
    for (const d of list) {
      const a = child(d, 'address')
      if (a && !(a.attrs.type === 'spapr-vio' && a.attrs.reg === undefined)) continue
      let reg = BigInt(bases[k]!)
      while (used.has(reg)) reg += 0x1000n
      used.add(reg)
      const attrs = { type: 'spapr-vio', reg: `0x${reg.toString(16).padStart(8, '0')}` }
      if (a) a.attrs = attrs
      else d.children.push(node('address', attrs))
      ctx.explain(`domain/devices/${d.name}/address`, 'spapr-vio-address', 'This device goes on the sPAPR VIO bus at the next free register.')
    }
  })
}

/**
 * The addresses post-parse makes sPAPR VIO whatever type was written (spaprVioForced), made so — only the type changes,
 * the register read from the written numbers (model's spaprVioRegisterFrom) — so that validation sees them as libvirt's
 * does. `true` when one changed.
 */
export function spaprVioAddresses(ctx: PreviewContext): boolean {
  let changed = false
  for (const d of devices(ctx)) {
    if (!spaprVioKinds.includes(d.name)) continue
    const a = child(d, 'address')
    if (a === undefined || a.attrs.type === 'spapr-vio' || !spaprVioForced(ctx, d, d.name === 'serial' ? serialTargetTypeAfterPostParse(ctx, d) : undefined)) continue
    // (a complete virtio-serial address is reserved first, qemuDomainAssignVirtioSerialAddresses before
    // qemuDomainAssignSpaprVIOAddresses: on a controller no one has, it stays for the virtio-serial assignment to refuse —
    // "virtio serial controller 0 is missing", libvirtd 9.0)
    if (a.attrs.type === 'virtio-serial' && virtioSerialControllerMissing(ctx, a)) continue
    // (an sPAPR VIO address has nothing below it: a PCI address's <zpci/> goes with the rest of it)
    a.attrs = asSpaprVio(a.attrs)
    a.children = []
    changed = true
    ctx.explain(`domain/devices/${d.name}/address`, 'spapr-vio-address', 'An sPAPR VIO device: libvirt changes its address\'s type and reads a register from the numbers the address held.')
  }
  return changed
}

/**
 * Whether a complete virtio-serial address (a port other than 0) names a controller the domain will not have: none
 * written, and no virtio channel or console to make post-parse add it (virDomainDefMaybeAddVirtioSerialController).
 */
export function virtioSerialControllerMissing(ctx: PreviewContext, a: N): boolean {
  if (a.attrs.port === undefined || Number(a.attrs.port) === 0) return false
  const index = Number(a.attrs.controller ?? '0')
  if (controllers(ctx, 'virtio-serial').some((c) => Number(c.attrs.index ?? '0') === index)) return false
  return !devices(ctx).some((d) => {
    if ((d.name !== 'channel' && d.name !== 'console') || child(d, 'target')?.attrs.type !== 'virtio') return false
    const own = child(d, 'address')
    return (own?.attrs.type === 'virtio-serial' ? Number(own.attrs.controller ?? '0') : 0) === index
  })
}

/** The console that mirrors serial 0 is the same character device: it carries the serial's address too. */
function mirrorConsoleAddress(ctx: PreviewContext): void {
  const all = devices(ctx)
  const serial0 = all.find((x) => x.name === 'serial')
  const console0 = all.find((x) => x.name === 'console')
  const address = child(serial0, 'address')
  if (console0 && address && child(console0, 'target')?.attrs.type === 'serial' && !child(console0, 'address')) console0.children.push(node('address', { ...address.attrs }))
}

/**
 * virtio-mmio (qemuDomainAssignVirtioMMIOAddresses): ARM vexpress boards always, ARM and RISC-V virt only
 * when the domain already has a virtio-mmio device — otherwise virtio-pci is preferred.
 */
function assignVirtioMmio(ctx: PreviewContext): void {
  if (!virtioMmioMachine(ctx)) return
  const all = devices(ctx)
  const hasMmio = all.some((d) => child(d, 'address')?.attrs.type === 'virtio-mmio')
  // (virtio-pci where the domain has a pcie-root and QEMU a root port to plug devices in, and no device was written on
  // virtio-mmio: a vexpress board too — qemuDomainAssignVirtioMMIOAddresses; probe h26-o2-vexpress-a9-vd-root, libvirtd 9.0)
  if (controllers(ctx, 'pci').some((c) => c.attrs.model === 'pcie-root') && (has(ctx, 'pcie-root-port') || has(ctx, 'ioh3420')) && !hasMmio) return
  if (!has(ctx, 'virtio-mmio')) return
  for (const d of deviceIterateOrder.flatMap((name) => all.filter((x) => x.name === name))) {
    if (child(d, 'address') || !isVirtioDevice(d, 'virtio-mmio')) continue
    d.children.push(node('address', { type: 'virtio-mmio' }))
  }
}

/** Devices sorted in place by virDomainDeviceInfoIterate's order of kinds, stably. */
function inIterateOrder(list: N[]): void {
  const rank = (d: N): number => { const r = deviceIterateOrder.indexOf(d.name); return r < 0 ? deviceIterateOrder.length : r }
  let sorted = true
  for (let i = 1; i < list.length && sorted; i++) if (rank(list[i - 1]!) > rank(list[i]!)) sorted = false
  if (sorted) return
  const ranked = list.map((d, i) => ({ d, i, r: rank(d) })).sort((a, b) => a.r - b.r || a.i - b.i)
  for (let i = 0; i < list.length; i++) list[i] = ranked[i]!.d
}

/** The character devices (virDomainChrDef): serial and parallel ports, channels, consoles. */
const chrKinds: ReadonlySet<string> = new Set(deviceNames.chrKinds)

/**
 * qemuDomainCollectPCIAddressExtension (qemuDomainPCIAddressSetCreate, once every PCI slot is collected — a slot taken
 * twice is refused first): the devices whose PCI address has a zPCI uid or fid written, in virDomainDeviceInfoIterate's
 * order (character devices never: qemuDomainDeviceSupportZPCI), each through virDomainZPCIAddressEnsureAddr — the half
 * not written takes the lowest value free among the devices before, then the uid and the fid are reserved, a repeat
 * refused with its number in octal (`%o`). The devices with neither are given theirs after all of these (assignZpci),
 * so never refused. libvirtd 9.0, probes h27-z5-101, -116, -148, -162.
 */
function reserveWrittenZpci(ctx: PreviewContext): void {
  if (!isS390(ctx) || !has(ctx, 'zpci')) return
  const walked = devices(ctx).filter((d) => !chrKinds.has(d.name))
  inIterateOrder(walked)
  const uids = new Set<number>()
  const fids = new Set<number>()
  const read = (v: string | undefined): number | undefined => {
    const r = v === undefined ? undefined : readCInteger(v, 0)
    return r === undefined || r.negative ? undefined : r.magnitude
  }
  for (const d of walked) {
    const a = child(d, 'address')
    const z = a?.attrs.type === 'pci' ? child(a, 'zpci') : undefined
    if (z === undefined || (z.attrs.uid === undefined && z.attrs.fid === undefined)) continue
    let uid = read(z.attrs.uid)
    let fid = read(z.attrs.fid)
    if (uid === undefined) { uid = 1; while (uids.has(uid)) uid++ }
    if (fid === undefined) { fid = 0; while (fids.has(fid)) fid++ }
    const all = devices(ctx)
    const path = `domain/devices/${d.name}[${all.filter((o) => o.name === d.name).indexOf(d) + 1}]/address/zpci`
    if (uids.has(uid)) throw new PreviewError('preview-refused', `zPCI uid ${uid.toString(8)} is already reserved`, { path: `${path}/@uid` })
    uids.add(uid)
    if (fids.has(fid)) throw new PreviewError('preview-refused', `zPCI fid ${fid.toString(8)} is already reserved`, { path: `${path}/@fid` })
    fids.add(fid)
  }
}

/** s390 zPCI: every PCI address carries a zpci with the next free uid (from 1) and fid (from 0). */
function assignZpci(ctx: PreviewContext): void {
  if (!isS390(ctx) || !has(ctx, 'zpci')) return
  // (libvirt 9.0 gives a PCI bus it added for the devices no zPCI extension: the pci-bridge stays without one on
  // libvirtd 9.0, where 11.3's test data gives it one; a bridge written in the domain has one, with or without an
  // address — each seen on libvirtd 9.0)
  const v9 = isLibvirt9(ctx)
  // (in virDomainDeviceInfoIterate's order, which qemuDomainAssignPCIAddressExtension walks: a host device's before a
  // controller's — libvirtd 9.0)
  const added = v9 ? ctx.addedBuses : undefined
  // (character devices never take the zPCI extension — qemuDomainDeviceSupportZPCI: a virtio console written with a PCI
  // address keeps it bare, libvirtd 9.0)
  const walked = devices(ctx).filter((d) => !chrKinds.has(d.name) && (added === undefined || !added.has(d)))
  // (but a character device's zPCI part with a uid or fid written is kept as read, and virDomainDeviceInfoFormat writes
  // both numbers of a present one — the half not written as 0: `<zpci fid='3'/>` on a virtio console is stored
  // `<zpci uid='0x0000' fid='0x00000003'/>`, libvirtd 9.0, probes h27-y11-10, -121)
  for (const d of devices(ctx)) {
    const a = chrKinds.has(d.name) ? child(d, 'address') : undefined
    const z = a?.attrs.type === 'pci' ? child(a, 'zpci') : undefined
    if (z === undefined) continue
    // (an empty one is none: not written — probe h27-y13-59)
    if (z.attrs.uid === undefined && z.attrs.fid === undefined) { a!.children = a!.children.filter((c) => c !== z); continue }
    const value = (v: string | undefined): number => { const r = v === undefined ? undefined : readCInteger(v, 0); return r === undefined || r.negative ? 0 : r.magnitude }
    const { uid, fid, ...rest } = z.attrs
    z.attrs = { uid: `0x${value(uid).toString(16).padStart(4, '0')}`, fid: `0x${value(fid).toString(16).padStart(8, '0')}`, ...rest }
  }
  inIterateOrder(walked)
  const addrs = walked.map((d) => child(d, 'address')).filter((a): a is N => a?.attrs.type === 'pci')
  // (a written uid or fid is an unsigned integer, base 0 — `uid='17'` is 17 —, written as `0x%.4x` / `0x%.8x`:
  // virZPCIDeviceAddressParseXML, virDomainDeviceInfoFormat; libvirtd 9.0)
  for (const a of addrs) {
    const z = child(a, 'zpci')
    if (!z) continue
    for (const [attribute, width] of [['uid', 4], ['fid', 8]] as const) {
      const read = z.attrs[attribute] === undefined ? undefined : readCInteger(z.attrs[attribute]!, 0)
      if (read && !read.negative && read.magnitude <= 0xffffffff) z.attrs[attribute] = `0x${read.magnitude.toString(16).padStart(width, '0')}`
    }
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : parseInt(v, 16))
  const uids = new Set(addrs.map((a) => num(child(a, 'zpci')?.attrs.uid)).filter((v): v is number => v !== undefined))
  const fids = new Set(addrs.map((a) => num(child(a, 'zpci')?.attrs.fid)).filter((v): v is number => v !== undefined))
  const partial = addrs.filter((a) => { const z = child(a, 'zpci'); return z !== undefined && (z.attrs.uid !== undefined || z.attrs.fid !== undefined) })
  for (const a of [...partial, ...addrs.filter((a) => !partial.includes(a))]) {
    const z = child(a, 'zpci') ?? node('zpci')
    if (!child(a, 'zpci')) a.children.push(z)
    if (z.attrs.uid === undefined) { let u = 1; while (uids.has(u)) u++; uids.add(u); z.attrs.uid = `0x${u.toString(16).padStart(4, '0')}` }
    if (z.attrs.fid === undefined) { let f = 0; while (fids.has(f)) f++; fids.add(f); z.attrs.fid = `0x${f.toString(16).padStart(8, '0')}` }
    // (the formatter writes the uid before the fid, whichever was written)
    const { uid, fid, ...rest } = z.attrs
    z.attrs = { uid: uid!, fid: fid!, ...rest }
  }
}


/**
 * A USB controller's ports as libvirt's address set counts them (virDomainUSBAddressControllerModelToPorts):
 * 0 for the ICH9 UHCI companions (their EHCI's bus holds the ports) and for models without USB addresses.
 * `model` is the model post-parse leaves (`undefined`: none, which counts as 2).
 */
export function usbControllerPorts(model: string | undefined, ports: string | undefined): number {
  switch (model) {
    case undefined: case 'piix3-uhci': case 'piix4-uhci': case 'vt82c686b-uhci': return 2
    case 'ehci': case 'ich9-ehci1': return 6
    case 'pci-ohci': return 3
    case 'nec-xhci': case 'qemu-xhci': return ports !== undefined ? Number(ports) : 4
    case 'qusb1': case 'qusb2': return ports !== undefined ? Number(ports) : 8
    default: return 0
  }
}

/**
 * The port levels a USB address was read with, kept when its port is written back (`1.0.2` is written `1`, but libvirt
 * holds and reserves the three levels): normaliseAddress.
 */
const usbPortsAsRead = new WeakMap<N, readonly number[]>()
export function rememberUsbPort(address: N, levels: readonly number[]): void { usbPortsAsRead.set(address, levels) }

/**
 * A USB address's port path (`1.2` → [1, 2]; at most 4 levels) up to its last level not 0, or `undefined` when libvirt
 * would not reserve it: no port, a first level of 0 (virDomainUSBAddressPortIsValid), a level that does not read. A 0
 * between two levels stays in the path (virDomainUSBAddressGetLastIdx looks for the last level not 0): libvirt then
 * walks to it and refuses it (virDomainUSBAddressFindPort).
 */
function usbPortPath(address: N): number[] | undefined {
  // (read as libvirt reads it: model's readUsbPort, the one reader — or the levels read before the port was written back)
  const port = address.attrs.port
  const levels = usbPortsAsRead.get(address) ?? (port === undefined ? undefined : readUsbPort(port))
  if (!levels || levels[0] === 0) return undefined
  let last = levels.length - 1
  while (last > 0 && levels[last] === 0) last--
  return levels.slice(0, last + 1)
}

/** A USB bus or hub as libvirt's address set holds it: its ports, those taken, and the hubs on them. */
interface ReservedHub { readonly ports: number; readonly taken: Set<number>; readonly hubs: Map<number, ReservedHub> }

/**
 * The first USB address libvirt refuses to reserve, in its words (qemuDomainAssignUSBAddresses:
 * virDomainUSBAddressSetAddControllers, then virDomainUSBAddressSetAddHub for each hub with a port, then
 * virDomainUSBAddressReserve for the other devices in virDomainUSBDeviceDefForeach's order): a port past
 * the ports of its controller or hub, a port behind one that holds no hub, a port given twice. libvirt
 * reserves the given ports for a new definition (`abiUpdate`), otherwise only when every USB device has
 * one. `modelOf` gives a controller's model as post-parse leaves it; `implicitModel`, the model of the USB controller
 * the machine gets at index 0 when none has that index (qemuDomainDefAddDefaultDevices, before addresses). A bus no
 * controller with ports provides (a number past them, or one only ICH9 UHCI companions or `none` hold) is missing.
 */
export function usbAddressRefusal(ctx: PreviewContext, modelOf: (controller: N) => string | undefined, implicitModel?: string): { message: string; path: string } | undefined {
  const all = devices(ctx)
  // (nothing to refuse without two USB controllers, which may share an index, or a device written at a USB port: most domains)
  let usbControllers = 0
  let addressed = false
  for (const d of all) {
    // (a CCID controller is a USB device: its written port is reserved too)
    if (d.name === 'controller' && d.attrs.type === 'usb') { usbControllers++; continue }
    const a = child(d, 'address')
    if (a !== undefined && a.attrs.type === 'usb' && (a.attrs.port !== undefined || a.attrs.bus !== undefined)) addressed = true
  }
  if (usbControllers < 2 && !addressed) return undefined
  const nine = isLibvirt9(ctx)
  const usbDevices = all.filter((d) => isUsbDevice(d, nine))
  const pathOf = (d: N): number[] | undefined => {
    const a = child(d, 'address')
    return a?.attrs.type === 'usb' ? usbPortPath(a) : undefined
  }
  // (a new definition always gets the set; another only when every USB device has its port — none is every one)
  if (!ctx.options.abiUpdate && !usbDevices.every((d) => pathOf(d) !== undefined)) return undefined
  const buses = new Map<number, ReservedHub>()
  // (a controller written without an index is numbered as post-parse numbers it: virDomainAssignControllerIndexes)
  const numbered = indexesOf(all.filter((c) => c.name === 'controller' && c.attrs.type === 'usb'))
  for (const c of all) {
    if (c.name !== 'controller' || c.attrs.type !== 'usb') continue
    const written = c.attrs.index ?? String(numbered.get(c))
    if (!/^[0-9]+$/.test(written)) return undefined
    const ports = usbControllerPorts(modelOf(c), c.attrs.ports)
    if (!(ports > 0)) continue
    const index = Number(written)
    // virDomainUSBAddressSetAddController: one bus per index (ICH9 UHCI companions have no ports of their own)
    if (buses.has(index)) return { message: `Duplicate USB controllers with index ${index}`, path: `domain/devices/controller[@type='usb'][@index='${index}']` }
    buses.set(index, { ports, taken: new Set(), hubs: new Map() })
  }
  // a domain without a USB controller numbered 0 gets the machine's there before the ports are reserved
  if (implicitModel !== undefined && ![...numbered.values()].includes(0)) {
    const ports = usbControllerPorts(implicitModel, undefined)
    if (ports > 0) buses.set(0, { ports, taken: new Set(), hubs: new Map() })
  }
  // (with no USB at all — every controller `none` — qemuDomainUSBAddressAddHubs refuses the USB devices first: assignUsb)
  if (!all.some((c) => c.name === 'controller' && c.attrs.type === 'usb' && modelOf(c) !== 'none') && !buses.has(0)) return undefined
  const reserve = (d: N, path: readonly number[]): { message: string; path: string } | undefined => {
    const address = child(d, 'address')!
    const bus = usbBusOf(address)
    if (bus === undefined) return undefined
    // (the path as libvirt writes it in its messages: up to the first 0 — virDomainUSBAddressPortFormat)
    const port = formatUsbPort(path)!
    const where = `${devicePathOf(d)}/address`
    let hub = buses.get(bus)
    // (virDomainUSBAddressFindPort)
    if (hub === undefined) return { message: `Missing USB bus ${bus}`, path: where }
    for (let i = 0; i < path.length - 1; i++) {
      const p = path[i]!
      // (a level of 0 is port index -1, compared unsigned with the hub's ports: out of range)
      if (p === 0 || p > hub.ports) return { message: `port ${p} out of range in USB address bus: ${bus} port: ${port}`, path: where }
      const below: ReservedHub | undefined = hub.hubs.get(p)
      if (below === undefined) return { message: `there is no hub at port ${p} in USB address bus: ${bus} port: ${port}`, path: where }
      hub = below
    }
    const last = path[path.length - 1]!
    if (last > hub.ports) return { message: `requested USB port ${port} not present on USB bus ${bus}`, path: where }
    if (d.name === 'hub') {
      if (hub.hubs.has(last)) return { message: `Duplicate USB hub on bus ${bus} port ${port}`, path: where }
      hub.hubs.set(last, { ports: usbHubPorts, taken: new Set(), hubs: new Map() })
    } else if (hub.taken.has(last)) {
      return { message: `Duplicate USB address bus ${bus} port ${port}`, path: where }
    }
    hub.taken.add(last)
    return undefined
  }
  // the hubs with a port first, in document order; then the other devices in libvirt's order
  for (const d of usbDevices) {
    const path = d.name === 'hub' ? pathOf(d) : undefined
    const refused = path && reserve(d, path)
    if (refused) return refused
  }
  for (const d of inUsbOrder(usbDevices, nine)) {
    if (d.name === 'hub') continue
    const path = pathOf(d)
    const refused = path && reserve(d, path)
    if (refused) return refused
  }
  // (a bus asked for without a port is refused as the ports are given, in libvirt's walk — a device before it may find
  // its bus full first: assignUsb)
  return undefined
}

/**
 * A USB address's bus as libvirt holds it (an unsigned int; 0 when not written), from the bus as read or as written back
 * (`%d`: `-1` is 4294967295 — normaliseAddress); `undefined` when it is neither.
 */
function usbBusOf(address: N): number | undefined {
  const text = address.attrs.bus ?? '0'
  if (!/^-?[0-9]+$/.test(text)) return undefined
  const n = Number(text)
  return n < 0 ? (n >= -(2 ** 31) ? n + 2 ** 32 : undefined) : n
}

/** Whether a device sits on USB (the devices virDomainUSBDeviceDefForeach walks). */
/**
 * Whether libvirt takes a host device for a USB one (virDomainUSBDeviceDefForeach, and the parser's USB-off check): it
 * reads the subsystem type whatever the mode, so a capabilities device of type storage — the same first value of the
 * union — is one too (probe h26-ta-h16-hd-caps-storage, libvirtd 9.0).
 */
export function isUsbHostdev(d: N): boolean {
  return (d.attrs.mode ?? 'subsystem') === 'capabilities' ? d.attrs.type === 'storage' : d.attrs.type === 'usb'
}

function isUsbDevice(d: N, libvirt9: boolean): boolean {
  switch (d.name) {
    case 'input': return d.attrs.bus === 'usb'
    case 'sound': return d.attrs.model === 'usb'
    case 'hostdev': return isUsbHostdev(d)
    case 'redirdev': return d.attrs.bus === 'usb'
    case 'disk': return child(d, 'target')?.attrs.bus === 'usb'
    case 'controller': return d.attrs.type === 'ccid'
    case 'serial': return child(d, 'target')?.attrs.type === 'usb-serial'
    case 'hub': return d.attrs.type === 'usb'
    // (libvirt 11's virDomainDeviceIsUSB: a usb-net NIC and an MTP filesystem too — 9.0's walk has neither)
    case 'interface': return d.attrs.type === 'hostdev' ? hostdevNicType(d) === 'usb' : !libvirt9 && child(d, 'model')?.attrs.type === 'usb-net'
    case 'filesystem': return !libvirt9 && child(d, 'driver')?.attrs.type === 'mtp'
    default: return false
  }
}

/** USB switched off: USB controllers only of model `none` (virDomainDefHasUSB false; with none at all libvirt adds its default). */
export function usbOff(ctx: PreviewContext): boolean {
  const usb = controllers(ctx, 'usb')
  return usb.length > 0 && usb.every((c) => c.attrs.model === 'none')
}

/** The order libvirt 9.0's virDomainUSBDeviceDefForeach walks USB devices in (USB audio before redirection: libvirtd 9.0). */
const usbDeviceOrder = ['hub', 'hostdev', 'disk', 'controller', 'input', 'serial', 'sound', 'redirdev']
/**
 * USB devices in virDomainUSBDeviceDefForeach's order, each kind in document order — a USB host device NIC in libvirt's
 * host devices' list, before every `<hostdev>`: the parser puts it there as it reads the interfaces (a USB host device
 * NIC takes port 1 before a USB `<hostdev>` written earlier — probe h40-m1-21, libvirtd 9.0). 9.0 walks its own list of
 * kinds (usbDeviceOrder); libvirt 11 walks every device in virDomainDeviceInfoIterate's order (deviceIterateOrder:
 * disks, then usb-net NICs, USB audio, host devices, CCID controllers, serial ports, inputs, MTP filesystems, hubs,
 * redirection) and keeps those virDomainDeviceIsUSB takes.
 */
function inUsbOrder(list: readonly N[], libvirt9: boolean): N[] {
  const ordered: N[] = []
  for (const name of libvirt9 ? usbDeviceOrder : deviceIterateOrder) {
    if (name === 'interface') continue
    if (name === 'hostdev') for (const d of list) if (d.name === 'interface' && d.attrs.type === 'hostdev') ordered.push(d)
    // (a usb-net NIC walked with the NICs: libvirt 11)
    if (name === 'disk' && !libvirt9) {
      for (const d of list) if (d.name === 'disk') ordered.push(d)
      for (const d of list) if (d.name === 'interface' && d.attrs.type !== 'hostdev') ordered.push(d)
      continue
    }
    for (const d of list) if (d.name === name) ordered.push(d)
  }
  return ordered
}

/** An `<interface type='hostdev'>`'s host device type as libvirt's parser reads it (model's hostdevNicSourceType). */
const hostdevNicType = (nic: N): string | undefined => conditionValue(hostdevNicSourceType, nic)

/** A USB bus or hub: its ports, each free, taken by a device (`null`) or by a hub. */
interface UsbHub { readonly ports: number; readonly taken: Map<number, UsbHub | null>; full?: boolean }

/** virDomainUSBAddressFindFreePort: a free port of this hub first, then (depth first) of the hubs on it. */
function freeUsbPort(hub: UsbHub, prefix: readonly number[]): number[] | undefined {
  // ports are only ever taken, so a hub found full stays full: it is not searched again
  if (hub.full) return undefined
  // (the walks stop at the first port not taken, and visit only the hubs there are: `ports` may be large)
  for (let p = 1; p <= hub.ports; p++) if (!hub.taken.has(p)) return [...prefix, p]
  // (a port path is at most four ports long: the hubs a fourth-level hub holds are never searched — virDomainUSBAddressFindFreePort)
  if (prefix.length >= usbPortDepth - 1) { hub.full = true; return undefined }
  const hubs = [...hub.taken].filter(([p, below]) => below !== null && p >= 1 && p <= hub.ports).sort((a, b) => a[0] - b[0])
  for (const [p, below] of hubs) {
    const found = freeUsbPort(below!, [...prefix, p])
    if (found) return found
  }
  hub.full = true
  return undefined
}

/**
 * USB ports, assigned for a new definition (`virsh define`, i.e. `abiUpdate`; qemuDomainAssignUSBAddresses):
 * when the devices without a port outnumber the controllers' ports, libvirt first adds USB hubs
 * (qemuDomainUSBAddressAddHubs: ⌈(devices − ports + 1) / 7⌉ of them); then each hub and device without a port
 * takes the first free port of the first controller (by index), a hub's ports after the bus's own.
 */
function assignUsb(ctx: PreviewContext): void {
  if (!ctx.options.abiUpdate) return
  // counting the USB devices before adding hubs (qemuDomainUSBAddressAddHubs): any with USB switched off, or with no
  // USB controller at all (machines libvirt gives none: ARM virt, s390…), is refused
  const nine = isLibvirt9(ctx)
  if ((usbOff(ctx) || !devices(ctx).some((c) => c.name === 'controller' && c.attrs.type === 'usb')) && devices(ctx).some((d) => isUsbDevice(d, nine))) {
    throw new PreviewError('preview-refused', 'USB is disabled for this domain, but USB devices are present in the domain XML', { path: 'domain/devices' })
  }
  const usb = controllers(ctx, 'usb').filter((c) => c.attrs.model !== 'none')
  const buses = new Map<number, UsbHub>()
  for (const c of usb) {
    const index = Number(c.attrs.index ?? '0')
    const ports = usbControllerPorts(c.attrs.model, c.attrs.ports)
    // (the ICH9 UHCI companions have none: their EHCI's bus holds the ports)
    if (ports > 0 && (!buses.has(index) || (c.attrs.model ?? '').includes('ehci'))) buses.set(index, { ports, taken: new Map() })
  }
  const all = devices(ctx)
  const needsPort = (d: N): boolean => {
    if (!isUsbDevice(d, nine)) return false
    const a = child(d, 'address')
    // (a USB hub takes a USB port whatever address it was written with: qemuDomainAssignUSBHubs assigns one unless it
    // has a USB port already — libvirtd 9.0 replaced a hub's ISA address)
    if (d.name === 'hub' && a && a.attrs.type !== 'usb') return true
    return !a || (a.attrs.type === 'usb' && a.attrs.port === undefined)
  }
  // the ports already given, with the hubs they make (virDomainUSBAddressReserve)
  const reserve = (bus: number, path: readonly number[], isHub: boolean): void => {
    let hub = buses.get(bus)
    for (const [i, p] of path.entries()) {
      if (!hub) return
      if (i === path.length - 1) { hub.taken.set(p, isHub ? { ports: usbHubPorts, taken: new Map() } : null); return }
      hub = hub.taken.get(p) ?? undefined
    }
  }
  // the USB devices, read once (hubs added below are read again)
  const usbAll = all.filter((d) => isUsbDevice(d, nine))
  const given = usbAll.filter((d) => !needsPort(d)).map((d) => ({ d, a: child(d, 'address')! })).filter(({ a }) => a.attrs.type === 'usb')
  // a hub's own port first, so the devices behind it find it
  for (const { d, a } of given.sort((x, y) => x.a.attrs.port!.split('.').length - y.a.attrs.port!.split('.').length)) {
    reserve(usbBusOf(a) ?? 0, a.attrs.port!.split('.').map(Number), d.name === 'hub')
  }
  // qemuDomainUSBAddressAddHubs counts every USB device, those given a port too (libvirtd 9.0 adds a hub for five
  // USB devices on a four-port xHCI, three of them placed already)
  const waiting = usbAll.length
  // (virDomainUSBAddressCountAllPorts: the controllers' ports and the written hubs' too)
  let available = 0
  for (const b of buses.values()) available += b.ports
  for (const d of usbAll) if (d.name === 'hub' && d.attrs.type === 'usb') available += usbHubPorts
  if (waiting > available) {
    const hubs = Math.ceil((waiting - available + 1) / (usbHubPorts - 1))
    const list = ensure(ctx.domain, 'devices')
    for (let i = 0; i < hubs; i++) {
      const last = list.children.map((c) => c.name).lastIndexOf('hub')
      list.children.splice(last >= 0 ? last + 1 : list.children.length, 0, node('hub', { type: 'usb' }))
    }
    ctx.explain('domain/devices/hub', 'usb-hub', `More USB devices than the controllers have ports: libvirt adds ${hubs} USB hub${hubs > 1 ? 's' : ''}.`)
    // (a hub added is validated as a written one: refused where QEMU has none — s390x's, probe h26-tS-h5-u19, libvirtd 9.0 —
    // once the post-parse is through: its ports may run out first, h26-tS-h5-u12)
    if (!has(ctx, qemuDeviceFlags.usbHub.flag)) ctx.deferredRefusal ??= validationError(new PreviewError('preview-refused', qemuDeviceFlags.usbHub.message, { path: 'domain/devices/hub' }))
  }
  // virDomainUSBDeviceDefForeach's order: hubs, host devices, disks, CCID controllers, input, serial, audio, redirection
  const usbDevices = waiting > available ? devices(ctx).filter(needsPort) : usbAll.filter(needsPort)
  const inOrder: N[] = []
  // (the hubs first — qemuDomainAssignUSBHubs —, then the rest — qemuDomainAssignUSBPorts)
  const walked = inUsbOrder(usbDevices, nine)
  inOrder.push(...walked.filter((d) => d.name === 'hub'), ...walked.filter((d) => d.name !== 'hub'))
  // the controllers by index (placing a device changes what a bus holds, never which buses there are)
  const sortedBuses = [...buses].sort((x, y) => x[0] - y[0])
  for (const d of inOrder) {
    if (!needsPort(d)) continue
    const a = child(d, 'address')
    // (the bus a USB address asks for; another type's numbers say nothing here)
    const wanted = a?.attrs.type === 'usb' && a.attrs.bus !== undefined ? usbBusOf(a) : undefined
    let placed: { bus: number; path: number[] } | undefined
    for (const [bus, root] of sortedBuses) {
      if (wanted !== undefined && wanted !== bus) continue
      const path = freeUsbPort(root, [])
      if (path) { placed = { bus, path }; break }
    }
    if (!placed) {
      // virDomainUSBAddressAssign: every port of the controllers and hubs there are is taken — or there is none, a
      // controller's `ports='0'` giving no bus (libvirtd 9.0; the odd-value search edit, seed 403)
      if (wanted !== undefined && !buses.has(wanted)) throw new PreviewError('preview-invalid-value', `USB bus ${wanted} requested but no controller with that index is present`, { path: `${devicePathOf(d)}/address/@bus` })
      throw new PreviewError('preview-refused', 'No free USB ports', { path: `domain/devices/${d.name}` })
    }
    reserve(placed.bus, placed.path, d.name === 'hub')
    const attrs = { type: 'usb', bus: String(placed.bus), port: placed.path.join('.') }
    if (a) { a.attrs = attrs; a.children = [] }
    else d.children.push(node('address', attrs))
    ctx.explain(`domain/devices/${d.name}/address`, 'usb-address', 'A new definition gets its USB ports assigned: the next free port of the first USB controller.')
  }
}

/**
 * Every address libvirt assigns, in its order. `beforeUsb`: what libvirt checks between the PCI and the USB addresses —
 * the USB buses and ports given (qemuDomainAssignUSBAddresses), refused after a PCI address taken twice.
 */
export function assignAddresses(ctx: PreviewContext, beforeUsb?: () => void): void {
  // implicit controllers in libvirt's order (virDomainDefAddImplicitControllers): disk buses, virtio-serial, CCID
  assignDriveAddresses(ctx)
  assignVirtioSerial(ctx)
  assignCcid(ctx)
  assignSpaprVio(ctx)
  assignCcw(ctx)
  assignVirtioMmio(ctx)
  assignPci(ctx)
  reserveWrittenZpci(ctx)
  beforeUsb?.()
  assignUsb(ctx)
  assignDimms(ctx)
  assignZpci(ctx)
  mirrorConsoleAddress(ctx)
  deviceInfoValidate(ctx)
  void kids
}

/**
 * qemuValidateDomainDeviceInfo, on the addresses as assigned (libvirt validates after its post-parse): an ACPI index
 * needs QEMU's support and a PCI device, ROM tuning a PCI device (an s390 virtio device on CCW, an sPAPR VLAN, a
 * virtio-mmio one refused; libvirtd 9.0's words).
 */
function deviceInfoValidate(ctx: PreviewContext): void {
  const list = devices(ctx)
  for (const d of list) {
    const acpi = child(d, 'acpi')
    const rom = child(d, 'rom')
    if (!acpi && !rom) continue
    const type = child(d, 'address')?.attrs.type ?? 'none'
    const at = `domain/devices/${d.name}[${list.filter((o) => o.name === d.name).indexOf(d) + 1}]`
    const problem = deviceInfoProblem(ctx, acpi, rom, type, at)
    // (validation: its refusal waits for the post-parse rules still to run, whose own refusals come first in libvirt)
    if (problem !== undefined) { ctx.deferredRefusal ??= validationError(problem); return }
  }
}

export function deviceInfoProblem(ctx: PreviewContext, acpi: N | undefined, rom: N | undefined, type: string, at: string): PreviewError | undefined {
  if (acpi?.attrs.index !== undefined && Number(acpi.attrs.index) !== 0) {
    if (!has(ctx, 'acpi-index')) return new PreviewError('preview-refused', 'ACPI index is not supported with this QEMU', { path: `${at}/acpi/@index` })
    if (type !== 'none' && type !== 'pci') return new PreviewError('preview-refused', 'ACPI index is only supported for PCI devices', { path: `${at}/acpi/@index` })
  }
  if (rom && (rom.attrs.enabled !== undefined || rom.attrs.bar !== undefined || rom.attrs.file !== undefined) && type !== 'pci' && type !== 'none' && type !== 'unassigned') {
    return new PreviewError('preview-refused', 'ROM tuning is only supported for PCI devices', { path: `${at}/rom` })
  }
  return undefined
}
