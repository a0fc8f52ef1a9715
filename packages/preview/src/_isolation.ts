// pSeries isolation groups (private): on pSeries libvirt keeps host PCI devices of different IOMMU groups on different
// PHBs (qemu_domain_address.c qemuDomainSetupIsolationGroups / qemuDomainFillDeviceIsolationGroup; domain_addr.c
// virDomainPCIAddressGetNextAddr and virDomainPCIAddressReserveAddrInternal follow the groups). A host device's group is
// its host IOMMU group + 1 (0 is every emulated device's), read from the host's sysfs — the host is data here: the
// caller's `iommuGroups`, or the test host's.
import { readCInteger } from '@virtuned/model'
import { child, type N } from './_node.ts'
import { PreviewError } from './errors.ts'
import { devices, isPSeries, type PreviewContext } from './_context.ts'

/**
 * The IOMMU groups of libvirt's test host (tests/virpcimock.c, the same in 9.0 and 11.3): qemuxmlconftest's host devices
 * have these groups, any other none.
 */
export const testHostIommuGroups: Readonly<Record<string, number>> = {
  '0000:00:00.0': 0, '0000:00:01.0': 1, '0000:00:02.0': 2, '0000:00:03.0': 3, '0001:00:00.0': 4, '0001:01:00.0': 5,
  '0001:01:00.1': 5, '0005:80:00.0': 6, '0005:90:01.0': 7, '0005:90:01.1': 7, '0005:90:01.2': 7, '0005:90:01.3': 7,
  '0000:0a:01.0': 8, '0000:0a:02.0': 8, '0000:0a:03.0': 8, '0000:06:12.0': 9, '0000:06:12.1': 10, '0000:06:12.2': 11,
  '0021:de:1f.0': 12, '0021:de:1f.1': 13, '0000:01:00.0': 14, '0000:02:00.0': 15, '0000:03:00.0': 16,
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/** A host PCI address in sysfs' spelling (`0000:01:00.0`), or `undefined` past its ranges. */
function addressKey(domain: number, bus: number, slot: number, fn: number): string | undefined {
  if (domain > 0xffff || bus > 0xff || slot > 0x1f || fn > 7) return undefined
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`
}

/**
 * `iommuGroups` as given (host PCI address → IOMMU group) read into sysfs' spelling: each address `DDDD:BB:SS.F` in hex,
 * either case, the domain optional (`01:00.0` is `0000:01:00.0`, as lspci prints it); each group an integer from 0.
 */
export function readIommuGroups(given: Readonly<Record<string, number>>): ReadonlyMap<string, number> {
  const out = new Map<string, number>()
  for (const [address, group] of Object.entries(given)) {
    const m = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(address)
    const key = m ? addressKey(parseInt(m[1] ?? '0', 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16), Number(m[4])) : undefined
    if (key === undefined) throw new PreviewError('preview-bad-iommu-groups', `Unexpected host PCI address \`${address}\` in iommuGroups: expected DDDD:BB:SS.F in hex (e.g. 0000:01:00.0)`, { path: `iommuGroups/${address}` })
    if (!Number.isSafeInteger(group) || group < 0) throw new PreviewError('preview-bad-iommu-groups', `Unexpected IOMMU group \`${String(group)}\` for ${address} in iommuGroups: expected an integer from 0`, { path: `iommuGroups/${address}` })
    out.set(key, group)
  }
  return out
}

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

/** Whether the device is a host PCI device libvirt isolates (a PCI `<hostdev>` of mode subsystem, or a PCI hostdev NIC). */
function isolated(d: N): boolean {
  if (d.name === 'hostdev') return (d.attrs.mode ?? 'subsystem') === 'subsystem' && d.attrs.type === 'pci'
  return d.name === 'interface' && d.attrs.type === 'hostdev' && child(child(d, 'source'), 'address')?.attrs.type === 'pci'
}

/**
 * Each isolated device's group on a pSeries domain (IOMMU group + 1; a host device the host does not know — no IOMMU
 * group in sysfs — is not isolated, as libvirt warns and goes on), or `undefined` on any other machine or when none is.
 * Without the host's groups, a pSeries host device is listed as not predicted (and placed as if the host had none).
 */
export function isolationGroups(ctx: PreviewContext): ReadonlyMap<N, number> | undefined {
  if (!isPSeries(ctx)) return undefined
  const groups = ctx.options.iommuGroups
  let out: Map<N, number> | undefined
  for (const d of devices(ctx)) {
    if (!isolated(d)) continue
    if (groups === undefined) {
      ctx.skip(`domain/devices/${d.name}`, 'On pSeries libvirt keeps host devices of different IOMMU groups (read from the host\'s sysfs) on separate PHBs: give the host\'s `iommuGroups` to predict their addresses (placed here as if the host had none).')
      continue
    }
    const address = hostAddressOf(d)
    const group = address === undefined ? undefined : groups.get(address)
    if (group !== undefined) (out ??= new Map()).set(d, group + 1)
  }
  return out
}
