// The shape of one configuration libvirt refuses at define (private): rules as data. The table lives in
// rules.ts (PCI buses, disks, memory, …), _refusals-domain.ts (domain-wide settings: firmware, NUMA,
// memory devices, CPU, SMBIOS…) and _refusals-devices.ts (devices: disks, host devices, IOMMU,
// character devices, graphics, network…), each row with libvirt's own words.
import { devices, type PreviewContext } from './_context.ts'
import type { N } from './_node.ts'

export interface Refusal {
  readonly code: 'preview-invalid-value' | 'preview-refused'
  /** `parse`: libvirt's parser (before post-parse: the machine is as written); `validate`: once post-parse has run. */
  readonly stage: 'parse' | 'validate'
  /** Only when reproducing libvirt 9.0 (a value that parser did not know yet, or a check later versions dropped). */
  readonly only9?: true
  /** Only when reproducing libvirt 11 (a check libvirt 9.0 did not make yet). */
  readonly since11?: true
  /**
   * The device kinds (element names under `<devices>`) the check is about: it runs only when the domain has
   * one of them. Left out, it always runs (checks of domain-wide settings). Most domains have a few kinds,
   * so most device checks are skipped without walking the devices.
   */
  readonly kinds?: readonly string[]
  /**
   * The address types (`<address type=…>` of a device, as written) the check is about: it runs only when a
   * device has one, and its device walks see those devices only (not together with `kinds`). A domain
   * usually has none of these yet (libvirt assigns them), so such a check costs nothing there.
   */
  readonly addresses?: readonly string[]
  /**
   * For a check of domain-wide settings: the elements it reads, each a path of names below `<domain>` (the
   * first of each name, as `child` finds it). It runs only when one of them is there: the check finds nothing
   * without them. Most domains lack most of these settings (guest NUMA, CPU tuning, SMBIOS…).
   */
  readonly within?: readonly (readonly string[])[]
  /**
   * The refusal, in libvirt's words (for the version reproduced: `isLibvirt9(ctx)`), with where; `undefined` when it
   * does not apply. A `code` of its own overrides the row's (a row following one libvirt function that reports both).
   */
  readonly check: (ctx: PreviewContext) => { message: string; path: string; code?: Refusal['code'] } | undefined
}

/**
 * While a row with `kinds` (or `addresses`) is checked: the domain's devices of those kinds (with such an
 * address), in document order (refuse() sets it around the check). Device walks (`firstDevice`) read only
 * these: the row is about them alone.
 */
export const rowScope: { devices: readonly N[] | undefined; byKind: ReadonlyMap<string, readonly N[]> | undefined } = { devices: undefined, byKind: undefined }

const none: readonly N[] = []

/** The devices a row is about: its kinds' while refuse() checks it (`rowScope`), else every device. */
export function rowDevices(ctx: PreviewContext): readonly N[] {
  return rowScope.devices ?? devices(ctx)
}

/** The domain's devices of one kind, in document order (from refuse()'s index of the stage while rows are checked). */
export function devicesOfKind(ctx: PreviewContext, name: string): readonly N[] {
  const byKind = rowScope.byKind
  if (byKind !== undefined) return byKind.get(name) ?? none
  return devices(ctx).filter((d) => d.name === name)
}
