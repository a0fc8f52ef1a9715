// Domain-wide settings libvirt refuses at define (private; see _refusal.ts): firmware and NVRAM, NUMA and
// huge pages, memory devices, CPU, SMBIOS, PCI expander buses' NUMA nodes…, each with libvirt's words and
// where libvirt checks it.
import type { Refusal } from './_refusal.ts'

export const domainRefusals: readonly Refusal[] = []
