// The shape of one configuration libvirt refuses at define (private): rules as data. The table lives in
// rules.ts (PCI buses, disks, memory, …), _refusals-domain.ts (domain-wide settings: firmware, NUMA,
// memory devices, CPU, SMBIOS…) and _refusals-devices.ts (devices: disks, host devices, IOMMU,
// character devices, graphics, network…), each row with libvirt's own words.
import { devices, type PreviewContext } from './_context.ts'
import type { N } from './_node.ts'
import { readLibvirtScaled, type DomainValidationStep, type GenericValidationStep, type PostParseStep } from '@virtuned/model'

/** One of model's postParseSteps (virDomainDefPostParse's order). */
export type PostParsePhase = PostParseStep

export interface Refusal {
  /** `preview-unknown-machine`: the one check of a machine type the QEMU lacks; `preview-no-os-type`: a domain without an OS type. */
  readonly code: 'preview-invalid-value' | 'preview-refused' | 'preview-unknown-machine' | 'preview-no-os-type'
  /** `parse`: libvirt's parser (before post-parse: the machine is as written); `validate`: once post-parse has run. */
  readonly stage: 'parse' | 'validate'
  /**
   * A `validate` row for a check libvirt makes in its post-parse, and where there (virDomainDefPostParse's order: the
   * QEMU driver's domain post-parse, ISA serial ports, each device's, the generic one, address assignment, the
   * features check): refused at once. The other `validate` refusals wait until preview's post-parse rules have run —
   * libvirt validates only after its post-parse, whose own refusals come first (`deferredRefusal`).
   */
  readonly postParse?: PostParsePhase
  /**
   * A `validate` row for a check of virDomainDefValidateInternal (domain_validate.c: tunables, boot, NUMA, aliases,
   * one disk per target…), which libvirt makes once every device is validated: checked after the device rows, in
   * that function's order (model's genericValidationSteps).
   */
  readonly generic?: GenericValidationStep
  /**
   * A `validate` row for a check of the QEMU driver's domain validation (qemuValidateDomainDef: the machine, the CPU,
   * timers, boot, features, memory…, and its checks across the devices of a kind — the panic devices, the TPMs), which
   * libvirt makes before any device's: weighed before the device rows, in that function's order (model's
   * domainValidationSteps), rows of one step in table order. A row with `kinds` and a step reads only those devices.
   */
  readonly domainStep?: DomainValidationStep
  /**
   * For a `validate` row that reads several kinds: the one libvirt validates (its place in libvirt's walk of the
   * devices); else the first of `kinds` in that walk.
   */
  readonly validates?: string
  /**
   * For a `validate` row about a device: where libvirt's virDomainDeviceDefValidate makes the check among that device's —
   * `info`, its address's (virDomainDeviceInfoValidate), then `generic`, the device's own generic checks
   * (virDomainDeviceDefValidateInternal: virDomainDiskDefValidate…), before the rest, the QEMU driver's
   * (qemuValidateDomainDeviceDef: its address checks first, then the device's). Left out: the QEMU driver's, or a row
   * weighed by its place in the table alone.
   */
  readonly deviceStep?: 'info' | 'generic'
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
   * For a check about settings devices rarely have (an interface's IP addresses, a disk's I/O tuning or encryption, a
   * device's alias or boot order…): element names, one of which must stand somewhere below one of the row's devices (those
   * of `kinds`; every device for a row without kinds) for the check to find anything. Without one it is skipped — names
   * read off the domain as it stands when the stage's rows are checked. List every element the check's refusals need.
   */
  readonly below?: readonly string[]
  /** A `parse` row about what libvirt's parser reads after the rest of the domain (the driver's namespace): checked last. */
  readonly parseLast?: true
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

/**
 * For the tests: while `on`, refuse() still checks each row its `below` names skip and keeps here what one would have
 * found — a `below` list missing an element its check needs. Off in use.
 */
export const belowAudit: { on: boolean; readonly found: string[] } = { on: false, found: [] }

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

/**
 * Errors the post-parse rules throw for checks libvirt makes while validating (after its post-parse): a refusal
 * found earlier by the table's validation rows wins over them (previewDomain).
 */
export const validationErrors: WeakSet<Error> = new WeakSet()

/** An error of a check libvirt makes while validating, thrown from a rule that runs with the post-parse ones. */
export function validationError<E extends Error>(error: E): E {
  validationErrors.add(error)
  return error
}

/**
 * A Xen PV bootloader (`<bootloader>`, `<bootloader_args>`), which the QEMU driver refuses; an empty one is none
 * (virXPathString reads an empty text as no value).
 */
export function bootloaderRefusal(ctx: PreviewContext): { message: string; path: string } | undefined {
  for (const c of ctx.domain.children) {
    if ((c.name === 'bootloader' || c.name === 'bootloader_args') && c.text !== undefined && c.text !== '') return { message: 'bootloader is not supported by QEMU', path: `domain/${c.name}` }
  }
  return undefined
}

/**
 * Whether a CPU topology's product passes UINT_MAX, multiplied in the given order as virDomainDefGetVcpusTopology
 * does (each step checked: a 64-bit product of two 32-bit numbers).
 */
export function cpuTopologyOverflows(values: readonly number[]): boolean {
  let product = 1
  for (const v of values) if ((product *= v) > 4294967295) return true
  return false
}

/**
 * A size in bytes as virParseScaledValue reads `xpath` with scale 1 and no other bound than 2^64 - 1 (a filesystem's
 * space limit, a qcow2 metadata cache) — its bytes, or libvirt's words for what does not read.
 */
export function readBytesValue(n: N, xpath: string): { bytes: bigint } | { error: string } {
  return readLibvirtScaled(n.text ?? '', n.attrs.unit, 'bytes', 0xffffffffffffffffn, xpath)
}

/** A filesystem space limit as libvirt reads `./NAME[1]` (model's deviceNames.filesystemSpaceLimits): readBytesValue. */
export function readSpaceLimit(limit: N, name: string): { bytes: bigint } | { error: string } {
  return readBytesValue(limit, `./${name}[1]`)
}
