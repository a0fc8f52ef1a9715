// The host's PCI devices as libvirt reads them at define (virpci.c): each device under /sys/bus/pci/devices, its IOMMU
// group (virPCIDeviceAddressGetIOMMUGroupNum: the group its `iommu_group` link names) and whether it is PCI Express
// (virPCIDeviceIsPCIExpress: a PCI Express capability in its config space; where the capability list cannot be read to
// the end, libvirt guesses from the config file's length — 256 bytes is conventional PCI, any other PCIe; a device whose
// vendor and device IDs cannot be read is one libvirt takes as absent, so PCIe).
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { hostPciConfigIsExpress } from '@virtuned/model'
import type { HostPciDevice } from '@virtuned/preview'
import { UsageError } from './errors.ts'

/** Where the kernel lists them. */
export const systemHostPciDir = '/sys/bus/pci/devices'

/**
 * The PCI devices under `dir` (`--host-pci` must exist; the system's may not: `undefined`, for preview to list what it
 * cannot know). An entry that is not a PCI address is passed over; a device without a readable config is PCIe (libvirt's
 * guess when it cannot open it).
 */
export function readHostPciDir(dir: string, given: boolean): Record<string, HostPciDevice> | undefined {
  if (!existsSync(dir)) {
    if (given) throw new UsageError(`Unexpected --host-pci \`${dir}\`: no such directory`, `Give a directory laid out as ${systemHostPciDir} is (DDDD:BB:SS.F/iommu_group, DDDD:BB:SS.F/config), such as that one on the host.`)
    return undefined
  }
  const devices: Record<string, HostPciDevice> = {}
  for (const address of readdirSync(dir)) {
    if (!/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(address)) continue
    let iommuGroup: number | undefined
    try { const group = basename(readlinkSync(join(dir, address, 'iommu_group'))); if (/^\d+$/.test(group)) iommuGroup = Number(group) } catch { /* no IOMMU group */ }
    // (virPCIDeviceNew reads the vendor and device IDs first: without them libvirt takes the device as absent — PCIe)
    let pcie: boolean | undefined = true
    try {
      if (readFileSync(join(dir, address, 'vendor'), 'utf8').trim() !== '' && readFileSync(join(dir, address, 'device'), 'utf8').trim() !== '') {
        const file = join(dir, address, 'config')
        const config = readFileSync(file)
        // (the kernel gives a user other than root the first 64 bytes alone; libvirtd, as root, reads them all: what it
        // reads is not known then — preview assumes PCIe and says so)
        pcie = config.length < statSync(file).size ? undefined : hostPciConfigIsExpress(config)
      }
    } catch { /* unreadable: PCIe, as libvirt takes it */ }
    devices[address] = { ...(iommuGroup !== undefined ? { iommuGroup } : {}), ...(pcie !== undefined ? { pcie } : {}) }
  }
  return devices
}
