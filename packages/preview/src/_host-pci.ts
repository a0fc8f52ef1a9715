// The host's PCI devices (private), which libvirt reads from the host's sysfs at define for a domain's host devices:
// - whether one is PCI Express, where the machine has PCIe (qemu_domain_address.c qemuDomainDeviceCalculatePCIConnectFlags:
//   virPCIDeviceIsPCIExpress; a device the host lacks is taken as PCIe);
// - its IOMMU group, on pSeries, where libvirt keeps host devices of different groups on different PHBs, off the default
//   one (qemuDomainSetupIsolationGroups / qemuDomainFillDeviceIsolationGroup; domain_addr.c virDomainPCIAddressGetNextAddr
//   and virDomainPCIAddressReserveAddrInternal follow the groups): a device's isolation group is its IOMMU group + 1
//   (0 is every emulated device's).
// The host is data here: the caller's `hostPciDevices`, or the test host's under `testHost`.
import { readCInteger } from '@virtuned/model'
import { child, type N } from './_node.ts'
import { PreviewError } from './errors.ts'
import { devices, isPSeries, type PreviewContext } from './_context.ts'

/** One of the host's PCI devices: its IOMMU group (none without an IOMMU) and whether it is PCI Express (unknown: unsaid). */
export interface HostPciDevice {
  readonly iommuGroup?: number | undefined
  readonly pcie?: boolean | undefined
}

/**
 * The PCI devices of libvirt's test host (tests/virpcimock.c, the same in 9.0 and 11.3): their IOMMU groups, and whether
 * libvirt reads each as PCIe — from its config in tests/virpcitestdata (a PCI Express capability, or, for one the mock
 * gives a dummy config, libvirt's guess for a config it cannot read that is not 256 bytes long: PCIe).
 */
export const testHostPciDevices: Readonly<Record<string, HostPciDevice>> = /* @__PURE__ */ (() => {
  const conventional = new Set(['0000:00:02.0', '0000:06:12.0', '0000:06:12.1', '0000:06:12.2', '0005:90:01.0', '0005:90:01.1', '0005:90:01.2'])
  const groups: Record<string, number> = {
    '0000:00:00.0': 0, '0000:00:01.0': 1, '0000:00:02.0': 2, '0000:00:03.0': 3, '0001:00:00.0': 4, '0001:01:00.0': 5,
    '0001:01:00.1': 5, '0005:80:00.0': 6, '0005:90:01.0': 7, '0005:90:01.1': 7, '0005:90:01.2': 7, '0005:90:01.3': 7,
    '0000:0a:01.0': 8, '0000:0a:02.0': 8, '0000:0a:03.0': 8, '0000:06:12.0': 9, '0000:06:12.1': 10, '0000:06:12.2': 11,
    '0021:de:1f.0': 12, '0021:de:1f.1': 13, '0000:01:00.0': 14, '0000:02:00.0': 15, '0000:03:00.0': 16,
  }
  const out: Record<string, HostPciDevice> = {}
  for (const [address, iommuGroup] of Object.entries(groups)) out[address] = { iommuGroup, pcie: !conventional.has(address) }
  return out
})()

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/** A host PCI address in sysfs' spelling (`0000:01:00.0`), or `undefined` past its ranges. */
function addressKey(domain: number, bus: number, slot: number, fn: number): string | undefined {
  if (domain > 0xffff || bus > 0xff || slot > 0x1f || fn > 7) return undefined
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`
}

/**
 * `hostPciDevices` as given, by address in sysfs' spelling: each address `DDDD:BB:SS.F` in hex, either case, the domain
 * optional (`01:00.0` is `0000:01:00.0`, as lspci prints it); an IOMMU group an integer from 0, `pcie` a boolean.
 */
export function readHostPciDevices(given: Readonly<Record<string, HostPciDevice>>): ReadonlyMap<string, HostPciDevice> {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new PreviewError('preview-bad-host-pci', 'Unexpected hostPciDevices: expected an object of host PCI addresses')
  // (read once per object given: a caller previews many domains with the same options, and a host may list thousands)
  const known = readDevices.get(given)
  if (known !== undefined) return known
  const out = new Map<string, HostPciDevice>()
  for (const [address, device] of Object.entries(given)) {
    const m = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(address)
    const key = m ? addressKey(parseInt(m[1] ?? '0', 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16), Number(m[4])) : undefined
    const path = `hostPciDevices/${address}`
    if (key === undefined) throw new PreviewError('preview-bad-host-pci', `Unexpected host PCI address \`${address}\` in hostPciDevices: expected DDDD:BB:SS.F in hex (e.g. 0000:01:00.0)`, { path })
    if (typeof device !== 'object' || device === null) throw new PreviewError('preview-bad-host-pci', `Unexpected ${JSON.stringify(device)} for ${address} in hostPciDevices: expected { iommuGroup?, pcie? }`, { path })
    const { iommuGroup, pcie } = device
    if (iommuGroup !== undefined && (!Number.isSafeInteger(iommuGroup) || iommuGroup < 0)) throw new PreviewError('preview-bad-host-pci', `Unexpected IOMMU group \`${String(iommuGroup)}\` for ${address} in hostPciDevices: expected an integer from 0`, { path: `${path}/iommuGroup` })
    if (pcie !== undefined && typeof pcie !== 'boolean') throw new PreviewError('preview-bad-host-pci', `Unexpected pcie \`${String(pcie)}\` for ${address} in hostPciDevices: expected true or false`, { path: `${path}/pcie` })
    out.set(key, { ...(iommuGroup !== undefined ? { iommuGroup } : {}), ...(pcie !== undefined ? { pcie } : {}) })
  }
  readDevices.set(given, out)
  return out
}

/** The devices of each `hostPciDevices` object read so far (kept as long as the caller keeps the object). */
const readDevices = /* @__PURE__ */ new WeakMap<object, ReadonlyMap<string, HostPciDevice>>()

/** The host PCI address a host device (or an `<interface type='hostdev'>`) passes through, in sysfs' spelling. */
function hostAddressOf(d: N): string | undefined {
  const a = child(child(d, 'source'), 'address')
  if (a === undefined) return undefined
  // (virPCIDeviceAddressParseXML: each an unsigned integer in C's bases)
  const read = (name: string): number | undefined => { const v = a.attrs[name]; if (v === undefined) return 0; const r = readCInteger(v, 0); return r && !r.negative ? r.magnitude : undefined }
  const [domain, bus, slot, fn] = [read('domain'), read('bus'), read('slot'), read('function')]
  if (domain === undefined || bus === undefined || slot === undefined || fn === undefined) return undefined
  return addressKey(domain, bus, slot, fn)
}

/** Whether the device passes a host PCI device through (a PCI `<hostdev>` of mode subsystem, or a PCI hostdev NIC). */
function passesHostPci(d: N): boolean {
  if (d.name === 'hostdev') return (d.attrs.mode ?? 'subsystem') === 'subsystem' && d.attrs.type === 'pci'
  return d.name === 'interface' && d.attrs.type === 'hostdev' && child(child(d, 'source'), 'address')?.attrs.type === 'pci'
}

/**
 * Whether libvirt reads the host PCI device a device passes through as conventional PCI (only asked where the machine has
 * PCIe and the device has no guest PCI address yet): a device the host has, known not to be PCIe. One the host lacks, or
 * whose kind is not known, is PCIe — the second listed in `notPredicted` (once per device: `noted`).
 */
export function hostPciConventional(ctx: PreviewContext, d: N, noted?: Set<N>): boolean {
  if (!passesHostPci(d)) return false
  const known = ctx.options.hostPciDevices
  const address = known === undefined ? undefined : hostAddressOf(d)
  const device = address === undefined ? undefined : known!.get(address)
  if (device?.pcie !== undefined) return !device.pcie
  if ((known === undefined || device !== undefined) && noted !== undefined && !noted.has(d)) {
    noted.add(d)
    ctx.skip(`domain/devices/${d.name}`, 'Whether a host PCI device is PCI Express is read from the host\'s sysfs: give the host\'s `hostPciDevices` (preview assumes PCIe).')
  }
  return false
}

/**
 * Each isolated device's group on a pSeries domain (IOMMU group + 1; a device the host lacks, or without an IOMMU group, is
 * not isolated, as libvirt warns and goes on), or `undefined` on any other machine or when none is. Without the host's
 * devices, a pSeries host device is listed as not predicted (and placed as if the host had no IOMMU groups).
 */
export function isolationGroups(ctx: PreviewContext): ReadonlyMap<N, number> | undefined {
  if (!isPSeries(ctx)) return undefined
  const known = ctx.options.hostPciDevices
  let out: Map<N, number> | undefined
  for (const d of devices(ctx)) {
    if (!passesHostPci(d)) continue
    if (known === undefined) {
      ctx.skip(`domain/devices/${d.name}`, 'On pSeries libvirt keeps host devices of different IOMMU groups (read from the host\'s sysfs) on separate PHBs: give the host\'s `hostPciDevices` to predict their addresses (placed here as if the host had no IOMMU groups).')
      continue
    }
    const address = hostAddressOf(d)
    const group = address === undefined ? undefined : known.get(address)?.iommuGroup
    if (group !== undefined) (out ??= new Map()).set(d, group + 1)
  }
  return out
}
