// Which device needs which PCI connection, and whether a running domain has a slot for one more.
// The table is libvirt's own decision, qemuDomainDeviceCalculatePCIConnectFlags
// (src/qemu/qemu_domain_address.c), written as data; the slot check follows the bus rules of
// virDomainPCIAddressBusSetModel (src/conf/domain_addr.c) for hot-plug, where libvirt never grows
// the topology (it answers "No more available PCI slots").
import type { Element } from '@virtuned/xml-core'
import { busFromTarget } from './disks.ts'
import { netModelNames, type DeviceKind } from './devices.ts'
import { pciRootOf } from './machines.ts'
import { childElement, childElements, devicesOf } from './tree.ts'

/**
 * What a device plugs into: `pcie` a PCI Express endpoint slot (a root port on q35), `pci` a
 * conventional PCI slot (a pci-bridge or pcie-to-pci-bridge on q35), `virtio` PCIe where the
 * machine has a PCIe root and conventional PCI elsewhere (modern virtio, QEMU ≥ 4.0), `none`
 * not a PCI device (or one that arrives with its own address, like an `<interface type='hostdev'>`).
 */
export type PciConnect = 'pcie' | 'pci' | 'virtio' | 'none'

/** One row of {@link pciConnectTable}: a device kind, what selects the row, its connection. */
export interface PciConnectRule {
  readonly kind: DeviceKind
  /** The device's `@type` (controller, interface, hostdev). */
  readonly type?: readonly string[]
  /** The device's model, read where libvirt keeps it for the kind (see {@link pciFieldsOf}); `''` = not written. */
  readonly model?: readonly string[]
  /** The bus: a disk's `target/@bus` (or the bus its target name implies), an input's `@bus`, a serial's `target/@type`, a filesystem's `driver/@type`. */
  readonly bus?: readonly string[]
  readonly connect: PciConnect
  /** On the root bus itself (no port or bridge): pvpanic, the virtio and AMD IOMMUs. */
  readonly integrated?: true
}

const transitional = ['virtio-transitional']

/**
 * libvirt's qemuDomainDeviceCalculatePCIConnectFlags as data. Rows are tried in order; the first
 * whose given fields all match decides; a kind without a matching row is `none`.
 */
export const pciConnectTable: readonly PciConnectRule[] = [
  { kind: 'disk', bus: ['virtio'], model: transitional, connect: 'pci' },
  { kind: 'disk', bus: ['virtio'], connect: 'virtio' },
  { kind: 'controller', type: ['pci'], model: ['pcie-to-pci-bridge', 'pcie-switch-upstream-port'], connect: 'pcie' },
  { kind: 'controller', type: ['pci'], model: ['pci-bridge'], connect: 'pci' },
  { kind: 'controller', type: ['usb'], model: ['none', 'qusb1', 'qusb2'], connect: 'none' },
  { kind: 'controller', type: ['usb'], model: ['qemu-xhci', 'nec-xhci'], connect: 'pcie' },
  { kind: 'controller', type: ['usb'], connect: 'pci' },
  { kind: 'controller', type: ['scsi'], model: transitional, connect: 'pci' },
  { kind: 'controller', type: ['scsi'], model: ['', 'virtio-scsi', 'virtio-non-transitional'], connect: 'virtio' },
  { kind: 'controller', type: ['scsi'], model: ['ncr53c90'], connect: 'none' },
  { kind: 'controller', type: ['scsi'], connect: 'pci' },
  { kind: 'controller', type: ['virtio-serial'], model: transitional, connect: 'pci' },
  { kind: 'controller', type: ['virtio-serial'], connect: 'virtio' },
  { kind: 'controller', type: ['sata', 'ide'], connect: 'pci' },
  { kind: 'controller', type: ['nvme'], connect: 'pcie' },
  { kind: 'interface', type: ['hostdev'], connect: 'none' },
  { kind: 'interface', model: ['virtio', 'virtio-non-transitional'], connect: 'virtio' },
  { kind: 'interface', model: transitional, connect: 'pci' },
  { kind: 'interface', model: ['e1000e', 'igb'], connect: 'pcie' },
  // (qemuDomainDeviceCalculatePCIConnectFlags: only a USB NIC is not a PCI device — the ARM boards' built-in
  // LAN9118 and SMC91C111 are PCI devices to it too, on a machine with PCI: on libvirtd 9.0 an armv6l versatilepb NIC
  // of model scm91c111 takes 00:01.0; a pSeries VLAN has its sPAPR VIO address before PCI is assigned)
  { kind: 'interface', model: ['usb-net', 'spapr-vlan'], connect: 'none' },
  // (the other models libvirt knows are conventional PCI; a name it does not know — `ne2k_pci`, written as the docs
  // show — is model "unknown", which it takes for a host's PCIe NIC: a root port on q35, seen on libvirtd 9.0)
  { kind: 'interface', model: netModelNames.filter((m) => !['virtio', 'virtio-non-transitional', 'virtio-transitional', 'e1000e', 'igb', 'usb-net', 'spapr-vlan'].includes(m)), connect: 'pci' },
  { kind: 'interface', connect: 'pcie' },
  { kind: 'hostdev', type: ['pci', 'mdev'], connect: 'pcie' },
  { kind: 'hostdev', type: ['scsi_host'], model: transitional, connect: 'pci' },
  { kind: 'hostdev', type: ['scsi_host'], connect: 'virtio' },
  { kind: 'memballoon', model: ['none', 'xen'], connect: 'none' },
  { kind: 'memballoon', model: transitional, connect: 'pci' },
  { kind: 'memballoon', connect: 'virtio' },
  { kind: 'rng', model: transitional, connect: 'pci' },
  { kind: 'rng', connect: 'virtio' },
  { kind: 'watchdog', model: ['', 'i6300esb'], connect: 'pci' },
  { kind: 'sound', model: ['ich6', 'ich9', 'ac97', 'es1370'], connect: 'pci' },
  { kind: 'sound', model: ['virtio'], connect: 'virtio' },
  { kind: 'video', model: ['virtio'], connect: 'virtio' },
  { kind: 'video', model: ['bochs'], connect: 'pcie' },
  // (the Xen, VirtualBox and Parallels displays too — on a machine whose QEMU lacks them validation refuses them after
  // their slot is found: probe h26-ta-h1-v24, libvirtd 9.0; GOP, none and ramfb are not PCI devices)
  { kind: 'video', model: ['', 'vga', 'cirrus', 'qxl', 'vmvga', 'xen', 'vbox', 'parallels'], connect: 'pci' },
  { kind: 'input', bus: ['virtio'], model: transitional, connect: 'pci' },
  { kind: 'input', bus: ['virtio'], connect: 'virtio' },
  { kind: 'filesystem', bus: ['mtp', 'loop', 'nbd', 'ploop'], connect: 'none' },
  { kind: 'filesystem', model: transitional, connect: 'pci' },
  { kind: 'filesystem', connect: 'virtio' },
  { kind: 'vsock', model: transitional, connect: 'pci' },
  { kind: 'vsock', connect: 'virtio' },
  { kind: 'shmem', connect: 'pci' },
  { kind: 'panic', model: ['pvpanic'], connect: 'pci', integrated: true },
  { kind: 'iommu', model: ['virtio'], connect: 'virtio', integrated: true },
  { kind: 'iommu', model: ['amd'], connect: 'pci', integrated: true },
  { kind: 'crypto', connect: 'pci' },
  { kind: 'memory', model: ['virtio-mem', 'virtio-pmem'], connect: 'virtio' },
  { kind: 'pstore', connect: 'pci' },
  { kind: 'serial', bus: ['pci-serial'], connect: 'pci' },
]

const x86 = new Set(['i686', 'x86_64'])

/**
 * The fields {@link pciConnectTable} matches on, read where libvirt keeps them for the kind.
 * A NIC without a model gets the one libvirt would pick (qemuDomainDefaultNetModel): rtl8139 on
 * x86, virtio elsewhere (the ARM/RISC-V/LoongArch `virt` boards and s390).
 */
export function pciFieldsOf(device: Element, arch: string = 'x86_64'): { readonly type: string; readonly model: string; readonly bus: string } {
  const fields = { type: '', model: '', bus: '' }
  readFields(device, arch, fields)
  return fields
}

/** {@link pciFieldsOf} written into `out` (the connect table's matching reads one reused record, not a new one per device). */
function readFields(device: Element, arch: string, out: { type: string; model: string; bus: string }): void {
  const a = device.attributes
  out.type = a.type ?? ''
  switch (device.name) {
    case 'disk': {
      const target = childElement(device, 'target')
      out.model = a.model ?? ''
      out.bus = target?.attributes.bus ?? busFromTarget(target?.attributes.dev, a.device)
      return
    }
    case 'interface': out.model = modelType(device) || (x86.has(arch) ? 'rtl8139' : 'virtio'); out.bus = ''; return
    case 'video': case 'shmem': out.model = modelType(device); out.bus = ''; return
    case 'input': out.model = a.model ?? ''; out.bus = a.bus ?? ''; return
    case 'serial': out.model = modelType(device); out.bus = childElement(device, 'target')?.attributes.type ?? ''; return
    case 'filesystem': out.model = a.model ?? ''; out.bus = childElement(device, 'driver')?.attributes.type ?? ''; return
    default: out.model = a.model ?? ''; out.bus = ''
  }
}

function modelType(device: Element): string {
  return childElement(device, 'model')?.attributes.type ?? ''
}

/** The record {@link pciConnectRuleOf} reads a device's fields into (read and matched at once, never kept). */
const scratch = { type: '', model: '', bus: '' }

/**
 * A row of the table as the matching reads it: every field present, in one object shape. The rows
 * are literals with different optional fields (as many hidden classes), and every device of every
 * compose is matched against them: read from the literals, each field read was megamorphic.
 */
class Row {
  readonly type: readonly string[] | undefined
  readonly model: readonly string[] | undefined
  readonly bus: readonly string[] | undefined
  readonly connect: PciConnect
  readonly integrated: boolean
  constructor(readonly rule: PciConnectRule) {
    this.type = rule.type
    this.model = rule.model
    this.bus = rule.bus
    this.connect = rule.connect
    this.integrated = rule.integrated === true
  }
}

// The table's rows by kind, in table order (made once: the table is constant).
let rowsByKind: ReadonlyMap<string, readonly Row[]> | undefined
function rowsOfKind(): ReadonlyMap<string, readonly Row[]> {
  if (rowsByKind === undefined) {
    const rows = new Map<string, Row[]>()
    for (const rule of pciConnectTable) {
      let list = rows.get(rule.kind)
      if (list === undefined) rows.set(rule.kind, (list = []))
      list.push(new Row(rule))
    }
    rowsByKind = rows
  }
  return rowsByKind
}

/** The matching row for a device, or `undefined` (not a PCI device). */
function rowOf(device: Element, arch: string | undefined): Row | undefined {
  const rows = rowsOfKind().get(device.name)
  if (rows === undefined) return undefined
  const fields = scratch
  readFields(device, arch ?? 'x86_64', fields)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (row.type !== undefined && !row.type.includes(fields.type)) continue
    if (row.model !== undefined && !row.model.includes(fields.model)) continue
    if (row.bus !== undefined && !row.bus.includes(fields.bus)) continue
    return row
  }
  return undefined
}

/** The row of {@link pciConnectTable} for a device, or `undefined` (not a PCI device). */
export function pciConnectRuleOf(device: Element, arch?: string): PciConnectRule | undefined {
  return rowOf(device, arch)?.rule
}

export interface PciSlotOptions {
  /** The domain's PCI root is `pcie-root` (q35, ARM/RISC-V/LoongArch `virt`): see `hasPCIeRoot`. */
  readonly pcieRoot: boolean
  /** The domain's architecture (for a NIC without a model); default x86_64. */
  readonly arch?: string
}

/**
 * The slot a device will take that it does not have yet: `pcie` (a root port or switch
 * downstream port), `pci` (a conventional slot: on a PCIe machine a pci-bridge or
 * pcie-to-pci-bridge) or `undefined` — not a PCI device, integrated into the root bus, or already
 * given a bus by a `<address type='pci' bus=…>` (an address of another type: not on PCI at all).
 */
export function pciSlotNeeded(device: Element, options: PciSlotOptions): 'pcie' | 'pci' | undefined {
  const address = childElement(device, 'address')
  if (address && (address.attributes.type !== 'pci' || address.attributes.bus !== undefined)) return undefined
  const row = rowOf(device, options.arch)
  if (!row || row.connect === 'none' || row.integrated) return undefined
  if (row.connect === 'pci' || !options.pcieRoot) return 'pci'
  return 'pcie'
}

function parseNumber(value: string | undefined): number {
  if (value === undefined) return 0
  return Number.parseInt(value, value.toLowerCase().startsWith('0x') ? 16 : 10)
}

/** Slots 1–31 of a conventional bus take endpoints (slot 0 is the bridge's own on bridges, the host bridge on pci-root). */
const conventionalSlots = 31

/**
 * Whether a running domain can take one more device of this connection by hot-plug, which
 * libvirt does without adding controllers (virDomainPCIAddressEnsureAddr with HOTPLUGGABLE):
 * - PCIe root (q35, `virt`): a `pcie` device needs a free root port or switch downstream port
 *   with hot-plug on (nothing on its bus yet); a `pci` device a free slot on a pcie-to-pci-bridge
 *   or pci-bridge (pcie-root and dmi-to-pci-bridge are not hot-pluggable);
 * - PCI root (i440fx, pseries): a free slot on the root bus or on a pci-bridge;
 * - no PCI (s390 ccw, microvm): always true — nothing to check.
 * Slots in use are read from the `<address type='pci'>` of every device (a live domain has them all).
 */
export function hasFreeHotplugSlot(domain: Element, connect: 'pcie' | 'pci'): boolean {
  const root = pciRootOf(domain)
  if (root === undefined) return true
  const devices = devicesOf(domain)
  const used = new Map<number, Set<number>>()
  const visit = (element: Element): void => {
    for (const c of childElements(element)) {
      if (c.name === 'address' && c.attributes.type === 'pci' && c.attributes.bus !== undefined) {
        const bus = parseNumber(c.attributes.bus)
        let slots = used.get(bus)
        if (!slots) used.set(bus, (slots = new Set()))
        slots.add(parseNumber(c.attributes.slot))
      }
      visit(c)
    }
  }
  devices.forEach(visit)
  const controllers = devices.filter((d) => d.name === 'controller' && d.attributes.type === 'pci')
  const freeSlot = (index: number): boolean => [...(used.get(index) ?? [])].filter((s) => s >= 1 && s <= conventionalSlots).length < conventionalSlots
  if (root === 'pcie-root' && connect === 'pcie') {
    return controllers.some((d) => (d.attributes.model === 'pcie-root-port' || d.attributes.model === 'pcie-switch-downstream-port')
      && childElement(d, 'target')?.attributes.hotplug !== 'off'
      && !used.has(parseNumber(d.attributes.index)))
  }
  const bridges = controllers.filter((d) => d.attributes.model === 'pci-bridge' || d.attributes.model === 'pcie-to-pci-bridge')
  if (bridges.some((d) => freeSlot(parseNumber(d.attributes.index)))) return true
  return root === 'pci-root' && freeSlot(0)
}

/**
 * Whether libvirt reads a host PCI device as PCI Express from its config space (`config`, the bytes of sysfs'
 * `/sys/bus/pci/devices/DDDD:BB:SS.F/config`): virpci.c virPCIDeviceInit — a PCI Express capability (0x10) on the
 * capability list, else, where the list cannot be followed to one, a guess from the config's length: 256 bytes is
 * conventional PCI, any other length PCIe. (A device whose vendor and device IDs cannot be read is one libvirt takes as
 * absent: PCIe, without asking this.)
 */
export function hostPciConfigIsExpress(config: Uint8Array): boolean {
  const at = (pos: number): number | undefined => (pos < config.length ? config[pos] : undefined)
  // virPCIDeviceFindCapabilityOffset: the status register's capability-list bit, then the list from 0x34 (each entry at
  // 0x40 or above, 0xff where the kernel hides the rest); any read past the file, or a list without it, is a failure
  const status = at(6)
  let pos = status !== undefined && (status & 0x10) !== 0 ? at(0x34) : undefined
  // (libvirt follows the list without a bound; a looping one is cut here)
  for (let hops = 0; pos !== undefined && pos >= 0x40 && pos !== 0xff && hops < 64; hops++) {
    if (at(pos) === 0x10) return true
    pos = at(pos + 1)
  }
  // (failure: virPCIDeviceInit's guess from the config's length)
  return config.length !== 256
}
