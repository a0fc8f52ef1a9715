import { generateAlias, generateSerial, identityOf, isUserAlias, matchDevices, validateSerial, IdentityError } from '@virtuned/identify'
import {
  busFromTarget, checkDeviceLimits, childElement as child, defaultFamilyOf, devicesOf, diskNameFromIndex, el, fromSpec, hasFreeHotplugSlot, hasPCIeRoot, hotpluggableDiskBuses, isDeviceKind,
  machineFamily, machineOf, parseSize, parseSpec, pciSlotNeeded, prefixForBus, textOf, type DeviceLimits, type DomainSpecInput,
} from '@virtuned/model'
import { previewDomain, type QemuCaps } from '@virtuned/preview'
import { getEngine, parseXml, rootElement, toXml, type Element, type Root } from '@virtuned/xml-core'

/** Why a plan cannot be made: data, with a stable code and what would have prevented it. */
export interface Problem {
  readonly code:
    | 'NO_FREE_HOTPLUG_SLOT' | 'BUS_NOT_HOTPLUGGABLE' | 'DEVICE_EXISTS' | 'TARGET_TAKEN' | 'NO_FREE_TARGET'
    | 'INVALID_ALIAS' | 'ALIAS_TAKEN' | 'INVALID_SERIAL' | 'MEDIA_CHANGE_IS_UPDATE' | 'NOT_A_DEVICE' | 'NOT_FOUND' | 'AMBIGUOUS'
    | 'NO_MEMORY_HEADROOM' | 'POLICY_CONFLICT' | 'NOT_DETACHABLE' | 'DEVICE_IN_USE' | 'CCW_ADDRESS_TAKEN' | 'INVALID_CCW_ADDRESS'
  readonly message: string
  /** A policy that would have prevented the problem, when there is one. */
  readonly policy?: string
}

export type AttachFlags = 'live' | 'config' | 'live+config'

/** A disk or NIC in the abstract spec's form (`@virtuned/model`), instead of XML. */
export type DeviceSpec =
  | { readonly disk: NonNullable<DomainSpecInput['disks']>[number] }
  | { readonly nic: NonNullable<DomainSpecInput['nics']>[number] }

/** A device-rooted layer (`<disk>…</disk>`): defaults as `fill`, policies as `require`. */
export interface DeviceLayer {
  readonly name: string
  readonly mode: 'fill' | 'require'
  readonly document: string | Root
}

export interface AttachOptions {
  /**
   * Defaults and policies for the device, applied by xml-core's merge before the plan completes it;
   * a `require` that clashes with what the device says is a `POLICY_CONFLICT` problem.
   */
  readonly layers?: readonly DeviceLayer[]
  /** The alias the caller wants (`ua-` added when missing); by default one is generated. */
  readonly alias?: string
  /** What makes the device this device (a volume id, a spec name): the same seed gives the same alias, serial and MAC. */
  readonly seed?: string
  /** Where the change goes (default `live`): the running guest, the persistent definition or both. */
  readonly flags?: AttachFlags
  /** How many devices the live domain may have (default `deviceLimits` of `@virtuned/model`); raise only for trusted input. */
  readonly limits?: DeviceLimits
  /**
   * The host's QEMU capabilities (`@virtuned/preview`): the plan is made against the domain as
   * libvirt stores it — the devices it adds at define on their ports — so the free-port preflight
   * counts what will really be free. For a domain not yet defined (a composed file); a live domain
   * from libvirt is already addressed and is planned as it is.
   */
  readonly qemuCaps?: QemuCaps | string | Uint8Array
}

export type AttachPlan =
  | {
    readonly ok: true
    readonly kind: string
    /** The device XML to send to `virDomainAttachDeviceFlags`. */
    readonly xml: string
    readonly alias: string
    readonly flags: AttachFlags
    readonly target?: string
    readonly serial?: string
    readonly mac?: string
    /** What the guest sees to find this device (a by-id path, a MAC), when it sees anything. */
    readonly guestId?: string
    /** What the plan filled in, for explanations. */
    readonly filled: readonly string[]
  }
  | { readonly ok: false; readonly problems: readonly Problem[] }

type Domain = Root | string | Uint8Array
const tree = (input: Domain | Element): Root => (typeof input === 'string' || input instanceof Uint8Array ? parseXml(input) : input.type === 'root' ? input : { type: 'root', children: [input] })

/**
 * libvirt's disk name for an index (`vda`, …, `vdz`, `vdaa`): `diskNameFromIndex` of
 * `@virtuned/model`, kept under this name for existing callers.
 */
export const diskName: (prefix: string, index: number) => string = diskNameFromIndex

/**
 * The first free target name for a bus, given the names in use (`vdz` → `vdaa`, `vdzz` → `vdaaa`),
 * with the prefix virt-install gives the bus (`prefixForBus`). At most `taken.size + 1` names are
 * tried (one of them is free), so one plan is linear in the disks of the domain; `undefined` is
 * kept in the type for callers written against older versions.
 */
export function nextTarget(bus: string, taken: ReadonlySet<string>): string | undefined {
  const prefix = prefixForBus(bus)
  for (let i = 0; i <= taken.size; i++) if (!taken.has(diskNameFromIndex(prefix, i))) return diskNameFromIndex(prefix, i)
  return undefined
}

/**
 * Whether the domain has room for one more PCI Express device by hot-plug: a free hot-pluggable
 * root port (or switch downstream port) on a machine with a PCIe root (q35, ARM/RISC-V `virt`), a
 * free slot on pci-root or a pci-bridge elsewhere (`hasFreeHotplugSlot` of `@virtuned/model`).
 */
export function hasFreeHotplugPort(domain: Element): boolean {
  return hasFreeHotplugSlot(domain, hasPCIeRoot(domain) ? 'pcie' : 'pci')
}

/** A device element built from the abstract spec by the model's own `fromSpec` (no second XML writer). */
/** The device element an abstract disk or NIC spec stands for (as `fromSpec` writes it). */
export function deviceFromSpec(device: DeviceSpec): Element {
  const spec = parseSpec({ name: 'hotplug', memory: '1GiB', vcpus: 1, ...('disk' in device ? { disks: [device.disk] } : { nics: [device.nic] }) })
  const devices = fromSpec(spec).root.children.find((c): c is Element => c.type === 'element' && c.name === 'devices')!
  return devices.children.find((c): c is Element => c.type === 'element')!
}

// ---- s390x: channel I/O (CCW) addresses ---------------------------------------------------------

/** The channel subsystem of virtio-ccw devices: QEMU's virtual one, 0xfe (libvirt requires it for virtio). */
const virtioCssid = 0xfe

/** Whether the domain's machine is an s390-ccw one (its devices are on channel I/O, not PCI). */
function isCcwMachine(domain: Element): boolean {
  const { machine, arch } = machineOf(domain)
  return (machine === undefined ? defaultFamilyOf(arch) : machineFamily(machine, arch)) === 's390-ccw'
}

/** Whether a device (as the plan judges it: bus and model filled) rides on virtio-ccw: libvirt gives it a ccw address. */
function takesCcwAddress(device: Element): boolean {
  switch (device.name) {
    case 'disk': return child(device, 'target')?.attributes['bus'] === 'virtio'
    case 'interface': return child(device, 'model')?.attributes['type'] === 'virtio'
    case 'controller': return device.attributes['type'] === 'virtio-serial' || (device.attributes['type'] === 'scsi' && (device.attributes['model'] ?? 'virtio-scsi') === 'virtio-scsi')
    case 'rng': case 'memballoon': return (device.attributes['model'] ?? '').startsWith('virtio')
    case 'input': return device.attributes['bus'] === 'virtio'
    case 'vsock': case 'filesystem': return true
    default: return false
  }
}

const hex = (value: string | undefined): number => (value !== undefined && /^(0x[0-9a-f]+|[0-9]+)$/i.test(value) ? Number(value) : Number.NaN)

/** `cssid.ssid.devno` keys of every ccw address in the domain. */
function ccwAddressesOf(existing: readonly Element[]): Set<string> {
  const used = new Set<string>()
  for (const d of existing) {
    const address = child(d, 'address')
    if (address?.attributes['type'] === 'ccw') used.add(`${hex(address.attributes['cssid'])}.${hex(address.attributes['ssid'])}.${hex(address.attributes['devno'])}`)
  }
  return used
}

/**
 * The ccw address of a device hot-plugged to an s390-ccw domain: a written one checked (all three numbers,
 * in range, css 0xfe, not in use), else the first free device number in 0xfe.0 — what libvirt
 * would pick, written out so the plan says where the device goes and the guest sees it
 * (`/sys/bus/ccw/devices/0.0.NNNN`).
 */
function planCcwAddress(device: Element, existing: readonly Element[]): { address?: Element; problem?: Problem } {
  const used = ccwAddressesOf(existing)
  const given = child(device, 'address')
  // `<address type='ccw'/>` alone asks for one (libvirt's own hot-plug tests write it so).
  const asks = given?.attributes['type'] === 'ccw' && ['cssid', 'ssid', 'devno'].every((a) => given.attributes[a] === undefined)
  if (given !== undefined && !asks) {
    if (given.attributes['type'] !== 'ccw') return {}
    const [cssid, ssid, devno] = [hex(given.attributes['cssid']), hex(given.attributes['ssid']), hex(given.attributes['devno'])]
    if (![cssid, ssid, devno].every(Number.isInteger) || ssid > 3 || devno > 0xffff || cssid !== virtioCssid) {
      return { problem: { code: 'INVALID_CCW_ADDRESS', message: `Unexpected ccw address cssid='${given.attributes['cssid'] ?? ''}' ssid='${given.attributes['ssid'] ?? ''}' devno='${given.attributes['devno'] ?? ''}': virtio-ccw needs all three, cssid 0xfe, ssid 0x0–0x3, devno 0x0000–0xffff; or leave the address out` } }
    }
    if (used.has(`${cssid}.${ssid}.${devno}`)) return { problem: { code: 'CCW_ADDRESS_TAKEN', message: `The ccw address 0x${cssid.toString(16)}.0x${ssid.toString(16)}.0x${devno.toString(16).padStart(4, '0')} is in use; leave the address out and virtuned picks the next free one` } }
    return {}
  }
  for (let devno = 0; devno <= 0xffff; devno++) {
    if (!used.has(`${virtioCssid}.0.${devno}`)) return { address: el('address', { type: 'ccw', cssid: '0xfe', ssid: '0x0', devno: `0x${devno.toString(16).padStart(4, '0')}` }) }
  }
  return { problem: { code: 'NO_FREE_HOTPLUG_SLOT', message: 'Every device number of channel subsystem 0xfe.0 is in use' } }
}

/** Memory devices need `<maxMemory slots=…>` with a free slot and room for their size. */
function memoryHeadroom(domain: Element, device: Element, existing: readonly Element[]): Problem[] {
  const max = child(domain, 'maxMemory')
  if (!max) return [{ code: 'NO_MEMORY_HEADROOM', message: 'Memory hot-plug needs `<maxMemory slots=…>` in the domain, set before it starts', policy: 'memory-hotplug' }]
  const size = (element: Element | undefined) => element ? parseSize(textOf(element).trim() || '0', element.attributes['unit'], { defaultUnit: 'KiB' }) : 0
  const slots = Number.parseInt(max.attributes['slots'] ?? '0', 10)
  const plugged = existing.filter((d) => d.name === 'memory')
  if (plugged.length >= slots) return [{ code: 'NO_MEMORY_HEADROOM', message: `All ${slots} memory slots are in use`, policy: 'memory-hotplug' }]
  const target = (d: Element) => size(child(child(d, 'target') ?? d, 'size'))
  const total = size(child(domain, 'currentMemory') ?? child(domain, 'memory')) + target(device)
  const limit = size(max)
  if (total > limit) return [{ code: 'NO_MEMORY_HEADROOM', message: `${total} bytes of memory would exceed maxMemory ${limit}`, policy: 'memory-hotplug' }]
  return []
}

/** A locally administered MAC in QEMU's range, derived from a seed. */
function macFor(seed: string): string {
  let h = 0x811c9dc5
  for (const byte of new TextEncoder().encode(seed)) h = Math.imul(h ^ byte, 0x01000193) >>> 0
  const bytes = [(h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff]
  return '52:54:00:' + bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')
}

/**
 * Plan a hot-plug: the device XML completed with what it lacks (next free target, alias, serial,
 * MAC) — through xml-core's merge as a `fill` layer, so nothing the caller wrote is changed — and a
 * preflight against the live domain. Expected failures are `{ ok: false, problems }`, not exceptions.
 *
 * @throws DomainModelError `model-too-many-devices` when the live domain has more devices than the limits.
 */
export function planAttach(liveDomain: Domain, device: string | Element | DeviceSpec, options: AttachOptions = {}): AttachPlan {
  const given = rootElement(tree(liveDomain))!
  // Before any work that grows with the device count.
  checkDeviceLimits(given, options.limits)
  const domain = options.qemuCaps === undefined ? given : rootElement(previewDomain(toXml(given, { style: 'preserve' }), { qemuCaps: options.qemuCaps, abiUpdate: true }).document)!
  let deviceTree = tree(typeof device === 'object' && !('type' in device) ? deviceFromSpec(device) : device)
  if (options.layers && options.layers.length > 0 && rootElement(deviceTree) && isDeviceKind(rootElement(deviceTree)!.name)) {
    const merged = getEngine().mergeTree(deviceTree, options.layers.map((l) => ({ name: l.name, mode: l.mode, document: tree(l.document) })), { rules: [] })
    if (merged.conflicts.length > 0) {
      return { ok: false, problems: merged.conflicts.map((c) => ({ code: 'POLICY_CONFLICT' as const, message: `${c.requester} requires ${c.path} = ${JSON.stringify(c.wanted)}, but ${c.holder === 'base' ? 'the device says' : `${c.holder} requires`} ${JSON.stringify(c.current)}`, policy: c.requester })) }
    }
    deviceTree = merged.document
  }
  const element = rootElement(deviceTree)!
  if (!isDeviceKind(element.name) || element.name === 'emulator') {
    return { ok: false, problems: [{ code: 'NOT_A_DEVICE', message: `Unexpected \`<${element.name}>\`, expected a device such as \`<disk>\` or \`<interface>\`` }] }
  }
  const problems: Problem[] = []
  const existing = devicesOf(domain)
  const taken = new Set(existing.map((d) => child(d, 'alias')?.attributes['name']).filter((a): a is string => a !== undefined))
  const seed = options.seed ?? toXml(element, { style: 'preserve' })
  const filled: string[] = []
  // What the plan fills in, as elements: values stay data until xml-core writes (and escapes) them.
  const layer: Element[] = []
  let target: string | undefined
  let serial: string | undefined
  let mac: string | undefined
  let guestId: string | undefined

  // The same device already there (by identity) is not a new one.
  const identity = identityOf(element)
  if (identity.complete && existing.some((d) => identityOf(d).identity === identity.identity)) {
    const cdrom = element.name === 'disk' && element.attributes['device'] === 'cdrom'
    problems.push(cdrom
      ? { code: 'MEDIA_CHANGE_IS_UPDATE', message: `A cdrom at ${identity.identity} exists: changing its media is an update (virDomainUpdateDeviceFlags), not an attach` }
      : { code: 'DEVICE_EXISTS', message: `The domain already has ${identity.identity}` })
  }

  let bus: string | undefined
  if (element.name === 'disk') {
    const targetElement = child(element, 'target')
    const dev = targetElement?.attributes['dev']
    // libvirt derives the bus from the target's prefix when none is given; without a target, virtio (scsi for a cdrom).
    bus = targetElement?.attributes['bus'] ?? (dev !== undefined ? busFromTarget(dev, element.attributes['device']) : element.attributes['device'] === 'cdrom' ? 'scsi' : 'virtio')
    if (!hotpluggableDiskBuses.has(bus)) {
      problems.push({ code: 'BUS_NOT_HOTPLUGGABLE', message: `Unexpected bus \`${bus}\` for a hot-plugged disk: QEMU cannot hot-plug ${bus.toUpperCase()} disks; use virtio, scsi or usb` })
    } else if (bus === 'usb' && isCcwMachine(domain)) {
      problems.push({ code: 'BUS_NOT_HOTPLUGGABLE', message: 'Unexpected bus `usb` for a hot-plugged disk on an s390-ccw machine, which has no USB; use virtio or scsi' })
    }
    const targets = new Set(existing.filter((d) => d.name === 'disk').map((d) => child(d, 'target')?.attributes['dev']).filter((t): t is string => t !== undefined))
    if (dev !== undefined) {
      if (targets.has(dev) && !problems.some((p) => p.code === 'MEDIA_CHANGE_IS_UPDATE' || p.code === 'DEVICE_EXISTS')) problems.push({ code: 'TARGET_TAKEN', message: `Target \`${dev}\` is in use; leave it out and virtuned picks the next free one` })
      target = dev
    } else {
      target = nextTarget(bus, targets)
      if (target === undefined) problems.push({ code: 'NO_FREE_TARGET', message: `No free target name left for bus \`${bus}\`` })
      else { layer.push(el('target', { dev: target, bus })); filled.push(`target ${target} on ${bus}`) }
    }
    const given = child(element, 'serial')
    if (element.attributes['device'] !== 'cdrom' && (bus === 'virtio' || bus === 'scsi')) {
      try {
        serial = given ? validateSerial(textOf(given), bus) : generateSerial(seed, bus)
        if (!given) { layer.push(el('serial', {}, [serial])); filled.push(`serial ${serial}`) }
        guestId = bus === 'virtio' ? `/dev/disk/by-id/virtio-${serial}` : `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_${serial}`
      } catch (error) {
        if (!(error instanceof IdentityError)) throw error
        problems.push({ code: 'INVALID_SERIAL', message: error.message })
      }
    }
  }

  if (element.name === 'interface') {
    mac = child(element, 'mac')?.attributes['address']?.toLowerCase()
    if (mac === undefined) {
      const macs = new Set(existing.map((d) => child(d, 'mac')?.attributes['address']?.toLowerCase()))
      let n = 0
      do mac = macFor(`${seed}#${n++}`); while (macs.has(mac))
      layer.push(el('mac', { address: mac }))
      filled.push(`MAC ${mac}`)
    }
    guestId = mac
    // A NIC that names no model would be libvirt's default, rtl8139 on x86: conventional PCI, which a
    // q35 root port does not take. The plan's own choice, as for disks (without OS defaults), is virtio.
    if (!child(element, 'model') && element.attributes['type'] !== 'hostdev') {
      layer.push(el('model', { type: 'virtio' }))
      filled.push('model virtio')
    }
  }

  if (element.name === 'memory') problems.push(...memoryHeadroom(domain, element, existing))

  // A SCSI disk on a domain without a SCSI controller makes libvirt add one, which needs a slot too.
  const addsController = element.name === 'disk' && bus === 'scsi' && !existing.some((d) => d.name === 'controller' && d.attributes['type'] === 'scsi')
  const pcieRoot = hasPCIeRoot(domain)
  const slotOptions = { pcieRoot, arch: machineOf(domain).arch }
  // A disk is judged on the bus the plan gives it (a disk without a target goes on virtio here, where libvirt would read ide).
  // A NIC is judged with the model the plan fills.
  const judged = element.name === 'disk' && bus !== undefined ? { ...element, children: [...element.children.filter((c) => !(c.type === 'element' && c.name === 'target')), el('target', { bus })] }
    : element.name === 'interface' && !child(element, 'model') && element.attributes['type'] !== 'hostdev' ? { ...element, children: [...element.children, el('model', { type: 'virtio' })] }
    : element
  const slot = pciSlotNeeded(judged, slotOptions) ?? (addsController ? pciSlotNeeded(el('controller', { type: 'scsi' }), slotOptions) : undefined)
  if (slot !== undefined && !hasFreeHotplugSlot(domain, slot)) {
    problems.push(slot === 'pcie'
      ? { code: 'NO_FREE_HOTPLUG_SLOT', message: 'No free hot-pluggable pcie-root-port on this domain: libvirt would answer "No more available PCI slots"', policy: 'hotplug-ready' }
      : { code: 'NO_FREE_HOTPLUG_SLOT', message: pcieRoot
        ? 'No free slot on a hot-pluggable pcie-to-pci-bridge or pci-bridge for this conventional PCI device: libvirt would answer "No more available PCI slots"; use a PCIe model (e1000e, virtio) or define the domain with a pcie-to-pci-bridge'
        : 'No free slot on pci-root or a pci-bridge: libvirt would answer "No more available PCI slots"; define the domain with a pci-bridge' })
  }

  // s390x: no PCI slots to check; the device's channel I/O address instead.
  if (isCcwMachine(domain) && takesCcwAddress(judged)) {
    const ccw = planCcwAddress(judged, existing)
    if (ccw.problem) problems.push(ccw.problem)
    if (ccw.address) {
      layer.push(ccw.address)
      filled.push(`ccw address ${ccw.address.attributes['cssid']}.${ccw.address.attributes['ssid']}.${ccw.address.attributes['devno']}`)
    }
  }

  // The alias: the caller's, the device's own user alias, or a generated one.
  const own = child(element, 'alias')?.attributes['name']
  let alias: string
  try {
    if (own !== undefined) {
      if (!isUserAlias(own)) throw new IdentityError('identify-invalid-alias', `Unexpected alias \`${own}\`: libvirt only accepts user aliases (\`ua-…\`) in device XML`)
      if (taken.has(own)) throw new IdentityError('identify-alias-taken', `Alias \`${own}\` is already used in the domain`)
      alias = own
    } else {
      alias = generateAlias(element.name, taken, options.alias === undefined ? { seed } : { name: options.alias, seed })
      layer.push(el('alias', { name: alias }))
      filled.push(`alias ${alias}`)
    }
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error
    problems.push({ code: error.code === 'identify-alias-taken' ? 'ALIAS_TAKEN' : 'INVALID_ALIAS', message: error.message })
    alias = ''
  }

  if (problems.length > 0) return { ok: false, problems }
  const merged = getEngine().mergeTree(deviceTree, [{ name: 'hotplug', mode: 'fill', document: { type: 'root', children: [el(element.name, {}, layer)] } }], { rules: [] })
  const xml = toXml(rootElement(merged.document)!)
  return {
    ok: true, kind: element.name, xml, alias, flags: options.flags ?? 'live', filled,
    ...(target !== undefined ? { target } : {}), ...(serial !== undefined ? { serial } : {}), ...(mac !== undefined ? { mac } : {}), ...(guestId !== undefined ? { guestId } : {}),
  }
}

export interface DetachSelector {
  readonly alias?: string
  /** A device's XML (as for `virsh detach-device`): found by its identity (user alias, then keys). */
  readonly device?: string | Element
  /** A disk's target name (`vdb`). */
  readonly disk?: string
  readonly mac?: string
}

export type DetachPlan =
  | { readonly ok: true; readonly method: 'alias'; readonly alias: string; readonly xml: string }
  | { readonly ok: false; readonly problems: readonly Problem[] }

/**
 * What to send to detach a device from a live domain: its alias (for
 * `virDomainDetachDeviceAlias`, which libvirt completes asynchronously) and, for older paths, the
 * device's full live XML (with its address), which is what `virDomainDetachDeviceFlags` matches on.
 */
export function planDetach(liveDomain: Domain, selector: DetachSelector): DetachPlan {
  const domain = rootElement(tree(liveDomain))!
  const wanted = selector.device === undefined ? undefined : rootElement(tree(selector.device))!
  const wantedIdentity = wanted === undefined ? undefined : identityOf(wanted)
  const found = devicesOf(domain).filter((d) =>
    (wantedIdentity !== undefined && d.name === wanted!.name && sameDevice(wantedIdentity, identityOf(d), wanted!, d))
    || (selector.alias !== undefined && child(d, 'alias')?.attributes['name'] === selector.alias)
    || (selector.disk !== undefined && d.name === 'disk' && child(d, 'target')?.attributes['dev'] === selector.disk)
    || (selector.mac !== undefined && d.name === 'interface' && child(d, 'mac')?.attributes['address']?.toLowerCase() === selector.mac.toLowerCase()))
  const what = wantedIdentity ? wantedIdentity.identity : JSON.stringify(selector)
  if (found.length === 0) return { ok: false, problems: [{ code: 'NOT_FOUND', message: `No device matches ${what}` }] }
  if (found.length > 1) return { ok: false, problems: [{ code: 'AMBIGUOUS', message: `${found.length} devices match ${what}; select by alias` }] }
  const device = found[0]!
  const alias = child(device, 'alias')?.attributes['name']
  if (alias === undefined) return { ok: false, problems: [{ code: 'NOT_FOUND', message: `The device matching ${what} has no alias: is this the live XML?` }] }
  const refusal = detachRefusal(domain, device, alias)
  if (refusal) return { ok: false, problems: [refusal] }
  return { ok: true, method: 'alias', alias, xml: toXml(device) }
}

// Device kinds QEMU's driver has no live detach for (qemuDomainDetachDeviceLive: "live detach of device '…' is not supported").
const notLiveDetachable = new Set(['video', 'graphics', 'sound', 'hub', 'smartcard', 'memballoon', 'nvram', 'tpm', 'panic', 'iommu', 'audio', 'crypto', 'pstore'])

/** Disk buses QEMU can unplug (qemuDomainDetachPrepDisk); the others are "This type of disk cannot be hot unplugged". */
const unpluggableDiskBuses = new Set(['virtio', 'scsi', 'usb'])

/** The first child element named `name` (the detach checks' own, so they depend on nothing else here). */
function sub(element: Element, name: string): Element | undefined {
  for (const c of element.children) if (c.type === 'element' && c.name === name) return c
  return undefined
}

/** PCI bus number of a device's address (`bus='0x01'`), when it has a PCI address. */
function pciBus(device: Element): number | undefined {
  const address = sub(device, 'address')
  if (address?.attributes['type'] !== 'pci' || address.attributes['bus'] === undefined) return undefined
  const n = Number(address.attributes['bus'])
  return Number.isInteger(n) ? n : undefined
}

/**
 * What libvirt refuses to unplug from a running QEMU domain, found before the request is sent:
 * the same reason libvirt would give, and what to do instead.
 */
function detachRefusal(domain: Element, device: Element, alias: string): Problem | undefined {
  const refuse = (message: string): Problem => ({ code: 'NOT_DETACHABLE', message })
  const kind = device.name
  if (kind === 'video') {
    const first = devicesOf(domain).find((d) => d.name === 'video')
    return refuse(`${alias} is ${first === device ? 'the primary video device' : 'a video device'}: libvirt has no live detach of video devices; remove it from the inactive definition (--config) and restart`)
  }
  if (notLiveDetachable.has(kind)) return refuse(`libvirt has no live detach of <${kind}> devices (${alias}); remove it from the inactive definition (--config) and restart`)
  if (kind === 'disk') {
    const type = device.attributes['device'] ?? 'disk'
    const bus = sub(device, 'target')?.attributes['bus']
    // libvirt's qemuDomainDetachPrepDisk goes by bus for every disk device (its own tests unplug USB and SCSI
    // CD-ROMs); a CD-ROM or floppy elsewhere is "disk device type 'cdrom' cannot be detached" (seen on libvirtd).
    if (bus !== undefined && !unpluggableDiskBuses.has(bus)) {
      const removable = type === 'cdrom' || type === 'floppy'
      const media = type === 'cdrom' ? 'CD-ROM drive' : type === 'floppy' ? 'floppy drive' : 'disk'
      const says = removable ? `disk device type '${type}' cannot be detached` : 'This type of disk cannot be hot unplugged'
      return refuse(`${alias} is a ${bus.toUpperCase()} ${media}, which QEMU cannot unplug ("${says}"); ${removable ? 'eject the media instead (virsh change-media --eject), or ' : ''}detach it from the inactive definition (--config) and restart`)
    }
  }
  if (kind === 'controller') {
    const type = device.attributes['type'] ?? ''
    const index = Number(device.attributes['index'] ?? '0')
    if (type === 'pci') {
      const users = devicesOf(domain).filter((d) => d !== device && pciBus(d) === index)
      return users.length > 0
        ? { code: 'DEVICE_IN_USE', message: `${alias} (pci controller ${index}, ${device.attributes['model'] ?? 'pci'}) is in use by ${users.map((u) => sub(u, 'alias')?.attributes['name'] ?? u.name).join(', ')}, and libvirt cannot hot-unplug PCI controllers ("'pci' controller cannot be hot unplugged"); detach those devices, then remove the controller from the inactive definition` }
        : refuse(`${alias} (pci controller ${index}, ${device.attributes['model'] ?? 'pci'}): libvirt cannot hot-unplug PCI controllers ("'pci' controller cannot be hot unplugged"); remove it from the inactive definition (--config) and restart`)
    }
    if (type !== 'scsi') return refuse(`${alias}: libvirt can hot-unplug only SCSI controllers ("'${type}' controller cannot be hot unplugged"); remove it from the inactive definition (--config) and restart`)
    const users = devicesOf(domain).filter((d) => (d.name === 'disk' || d.name === 'hostdev') && sub(d, 'address')?.attributes['type'] === 'drive' && Number(sub(d, 'address')!.attributes['controller'] ?? '0') === index)
    if (users.length > 0) return { code: 'DEVICE_IN_USE', message: `${alias} (scsi controller ${index}) is in use by ${users.map((u) => sub(u, 'alias')?.attributes['name'] ?? u.name).join(', ')} ("device is busy"); detach those first` }
  }
  if (kind === 'memory' && !sub(domain, 'maxMemory')) return refuse(`${alias}: the domain has no <maxMemory slots=…>, so its memory is not hot-pluggable`)
  if (kind === 'input') {
    const bus = device.attributes['bus']
    if (bus === 'ps2' || (bus === undefined && (device.attributes['type'] === 'mouse' || device.attributes['type'] === 'keyboard'))) return refuse(`${alias} is a PS/2 ${device.attributes['type'] ?? 'input'} device: libvirt cannot detach it live ("input device on bus 'ps2' cannot be detached")`)
  }
  return undefined
}

/**
 * Whether a live device is the one a detach request names: the same identity; or, when the request
 * leaves a key out (libvirt fills some in), every key value the request has agrees.
 */
function sameDevice(wanted: ReturnType<typeof identityOf>, live: ReturnType<typeof identityOf>, request: Element, device: Element): boolean {
  if (wanted.identity === live.identity) return true
  if (wanted.complete) return false
  // Each device alone in a domain, as a tree: no serialize-and-parse round trip.
  const alone = (e: Element): Element => el('domain', {}, [el('devices', {}, [e])])
  return matchDevices(alone(request), alone(device)).pairs.length === 1
}

/** After an attach: is the planned device in the new live XML, as a new device? */
export function verifyAttach(before: Domain, after: Domain, plan: AttachPlan): boolean {
  if (!plan.ok) return false
  return matchDevices(tree(before), tree(after)).added.some((d) => child(d.element, 'alias')?.attributes['name'] === plan.alias)
}

/** After a detach: is the device gone from the new live XML? */
export function verifyDetach(after: Domain, plan: DetachPlan): boolean {
  if (!plan.ok) return false
  return !devicesOf(rootElement(tree(after))!).some((d) => child(d, 'alias')?.attributes['name'] === plan.alias)
}
