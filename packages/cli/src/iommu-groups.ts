// The host's IOMMU groups as libvirt reads them (virPCIDeviceAddressGetIOMMUGroupNum: the group a host PCI device's
// sysfs `iommu_group` link names), from the kernel's own listing: DIR/<group>/devices/<DDDD:BB:SS.F>.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from './errors.ts'

/** Where the kernel lists them. */
export const systemIommuGroupsDir = '/sys/kernel/iommu_groups'

/**
 * Each host PCI device's IOMMU group under `dir` (`--iommu-groups` must exist; the system's may not: `undefined`, for
 * preview to list what it cannot know). Entries that are not a group number or a PCI address are passed over.
 */
export function readIommuGroupsDir(dir: string, given: boolean): Record<string, number> | undefined {
  if (!existsSync(dir)) {
    if (given) throw new UsageError(`Unexpected --iommu-groups \`${dir}\`: no such directory`, `Give a directory laid out as ${systemIommuGroupsDir} is (N/devices/DDDD:BB:SS.F), such as that one on the host.`)
    return undefined
  }
  const groups: Record<string, number> = {}
  for (const group of readdirSync(dir)) {
    if (!/^\d+$/.test(group)) continue
    const devices = join(dir, group, 'devices')
    if (!existsSync(devices)) continue
    for (const address of readdirSync(devices)) if (/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(address)) groups[address] = Number(group)
  }
  return groups
}
