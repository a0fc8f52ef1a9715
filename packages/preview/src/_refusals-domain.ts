// Domain-wide settings libvirt refuses at define (private; see _refusal.ts): firmware and NVRAM, NUMA and
// huge pages, memory devices, CPU, SMBIOS, PCI expander buses' NUMA nodes…, each with libvirt's words and
// where libvirt checks it. Facts from libvirt 11.3's src/conf/domain_validate.c, src/conf/domain_conf.c,
// src/conf/numa_conf.c, src/qemu/qemu_validate.c and src/qemu/qemu_domain.c; libvirt 9.0's words and
// conditions as its daemon (Debian bookworm) answered `virsh define`.
import { acpiTableTypes, bootDevices, diskIotuneLimits, clockOffsets, cpuModes, lifecycleActions, lockFailureActions, memoryBackingModes, smbiosModes, processCapabilities, readCInteger, readCInt, readUuid, readCUnsigned, readCUnsignedLongLong, readCLongLong, readLibvirtInteger, readLibvirtMemory, readLibvirtScaled, storageTypes9, deviceNames } from '@virtuned/model'

import { arch, devices, emulatorNamed, has, isArmVirt, isI440fx, isLibvirt9, isPSeries, isQ35, isRiscvVirt, isS390, isX86, machineFamilyOf, machineName, numatunePlacement, offeredMachines, x2apicIommuPlan, type PreviewContext } from './_context.ts'
import { child, kids, node, textIn, type N } from './_node.ts'
import { readResctrls } from './_resctrl.ts'
import { bootloaderRefusal, cpuTopologyOverflows, devicesOfKind, rowDevices, type Refusal } from './_refusal.ts'
import { indexesOf } from './_controllers.ts'
import { domainLabelsProblem } from './_seclabels.ts'
import { bitmapSize, bitmapsOverlap, cpuMaskLength, nextSetBit, parseBitmap, readBitmap, type Bitmap } from './_bitmap.ts'
import { manualDescriptor } from './firmware.ts'
import { featureIsSet, firstOfEachName } from './_features.ts'
import { iotuneTotalsConflict, networkSourceProblem } from './_refusals-devices.ts'
import { vcpusListStates } from './_vcpus.ts'
import { addressMadeDimm, primedAddressType, unionDimmBase, unionFilledPciPort } from './_pci.ts'
import { PreviewError } from './errors.ts'
import { attributeReadProblem, virtTypeFlags, repeatedFeatureReads, domainFeatures11, domainFeatures9, hypervEnlightenments11, hypervEnlightenments9, kvmFeatures, numaCacheAssociativities, numaCachePolicies, qemuDeviceFlags, xenFeatures, attributeReads } from '@virtuned/model'

/** The lifecycle elements, each with its names (model's), in the order virDomainDefLifecycleParse reads them. */
const lifecycleElements: readonly (readonly [string, readonly string[]])[] = [
  ['on_reboot', lifecycleActions], ['on_poweroff', lifecycleActions], ['on_crash', lifecycleActions], ['on_lockfailure', lockFailureActions],
]

/** Whether a memory device names its target NUMA node (virXPathInt: an empty or blank <node> names none). */
const hasTargetNode = (m: N): boolean => (child(child(m, 'target'), 'node')?.text ?? '') !== ''

/** A memory device's target NUMA node as virXPathInt reads it (`-0` is 0, `+1` is 1), or `undefined` (none; a negative one the parser refused). */
function memoryTargetNode(m: N): number | undefined {
  const text = child(child(m, 'target'), 'node')?.text ?? ''
  const read = text === '' ? undefined : readCInt(text, 10)
  return read !== undefined && read >= 0 ? read : undefined
}

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED (KiB) in bytes: the most a memory tuning limit takes. */
const memoryParamUnlimitedBytes = (2n ** 53n - 1n) * 1024n

// ---- small readers ------------------------------------------------------------------------------------

const os = (ctx: PreviewContext): N | undefined => child(ctx.domain, 'os')

/**
 * The throttle groups as `./throttlegroups/throttlegroup` finds them (libvirt 11): every <throttlegroups>'s, in document order
 * (parse-values reads two as one, model's readAsOneWhenRepeated — but the parse rows also weigh a tree it left half read).
 */
const throttleGroups = (ctx: PreviewContext): N[] => kids(ctx.domain, 'throttlegroups').flatMap((groups) => kids(groups, 'throttlegroup'))

/** The OS's ACPI tables as `./os/acpi/table` finds them: every <acpi>'s, in document order (see throttleGroups). */
const acpiTables = (ctx: PreviewContext): N[] => kids(os(ctx), 'acpi').flatMap((acpi) => kids(acpi, 'table'))
const numaCells = (ctx: PreviewContext): N[] => kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell')

/**
 * The guest NUMA nodes validation counts: the written cells, or — libvirt 11 parsing with an ABI update (`virsh define`) a
 * domain with memory hot-plug and none — the one qemuDomainDefNumaAutoAdd adds in post-parse, but on s390's CCW machine
 * (rules.ts numaAutoAdd; a DIMM on node 0 of a domain without NUMA is defined — seen on libvirtd 11.3).
 */
function numaCellsAtValidation(ctx: PreviewContext): number {
  const written = numaCells(ctx).length
  if (written > 0 || isLibvirt9(ctx) || !ctx.options.abiUpdate || (isS390(ctx) && machineName(ctx).startsWith('s390-ccw'))) return written
  const max = child(ctx.domain, 'maxMemory')
  return max !== undefined && ((Number(max.attrs.slots ?? '0') || 0) > 0 || (kib(max) ?? 0) > 0) ? 1 : 0
}

/**
 * The memory of the guest NUMA node libvirt 11's qemuDomainDefNumaAutoAdd adds (the domain's post-parse, before its
 * devices' — sizes as read, not yet aligned on ppc64): `<memory>` less every memory device's size; `-1` when a device
 * does not fit in what is left ("Total size of memory devices exceeds the total memory size"); `undefined` when no node
 * is added (numaCellsAtValidation's conditions; rules.ts numaAutoAdd writes it).
 */
function numaAutoAddedMemory(ctx: PreviewContext): number | undefined {
  if (numaCells(ctx).length > 0 || numaCellsAtValidation(ctx) === 0) return undefined
  let nodeMem = kib(child(ctx.domain, 'memory')) ?? 0
  for (const m of devicesOfKind(ctx, 'memory')) {
    const size = kib(child(child(m, 'target'), 'size')) ?? 0
    if (size > nodeMem) return -1
    nodeMem -= size
  }
  return nodeMem
}

/** A size element in KiB as libvirt reads it (KiB when no unit), or `undefined` when it does not read. */
function kib(n: N | undefined, defaultUnit = 'KiB'): number | undefined {
  if (!n) return undefined
  const read = readLibvirtMemory(textIn(n), n.attrs.unit ?? defaultUnit, '')
  return 'kib' in read ? read.kib : undefined
}

/**
 * The domain's I/O thread IDs (virDomainDefParseIOThreads, virDomainIOThreadIDDefArrayInit): those given, then the lowest
 * free ones up to the <iothreads> count.
 */
function ioThreadIds(ctx: PreviewContext): Set<number> {
  const ids = new Set(kids(child(ctx.domain, 'iothreadids'), 'iothread').map((t) => uint(t.attrs.id)).filter((x): x is number => x !== undefined))
  const count = uint(textIn(child(ctx.domain, 'iothreads'))) ?? 0
  for (let next = 1; ids.size < count && next <= count + ids.size; next++) ids.add(next)
  return ids
}

/** A string's length as C's strlen counts it: its UTF-8 bytes. */
const utf8 = /* @__PURE__ */ new TextEncoder()
const utf8Length = (text: string): number => utf8.encode(text).length

/** An unsigned decimal as libvirt's virXMLPropUInt / virStrToLong_ui read it (model's readCInteger), or `undefined`. */
function uint(value: string | undefined): number | undefined {
  const read = value === undefined ? undefined : readCInteger(value, 10)
  return read && !read.negative && read.magnitude <= 0xffffffff ? read.magnitude : undefined
}

/** A non-negative C int as virXMLPropInt reads it (base 0: `0x` hex, leading `0` octal), or `undefined` (unset, or refused by the parser). */
function int(value: string | undefined): number | undefined {
  const read = value === undefined ? undefined : readCInteger(value, 0)
  return read && !read.negative && read.magnitude <= 2 ** 31 - 1 ? read.magnitude : undefined
}

/** The PCI controller `<target>` numbers virDomainControllerDefValidate bounds, in its order. */
const pciTargetRanges: readonly (readonly [string, number, number])[] = [['chassisNr', 1, 255], ['chassis', 0, 255], ['port', 0, 255], ['busNr', 1, 254]]

/** A libvirt bitmap as ranges (`_bitmap.ts`), `undefined` when absent or when it does not read (the parse rules refuse that already). */
type Ranges = Bitmap
const ranges = (value: string | undefined): Ranges | undefined => (value === undefined ? undefined : parseBitmap(value))
const overlaps = bitmapsOverlap
const nextSet = nextSetBit

// ---- firmware and NVRAM (virDomainDefOSValidate) ---------------------------------------------------

/** What libvirt's parser makes of `<os>`'s `<loader>` and `<nvram>` (virDomainDefParseBootLoaderOptions). */
interface LoaderDef {
  readonly loader: N | undefined
  readonly nvram: N | undefined
  readonly firmware: string | undefined
  readonly path: string
  /** An NVRAM (loader->nvram): libvirt 11 reads one from any `<nvram>`; 9.0 only from a path or a typed source, not a template alone. */
  readonly hasNvramStore: boolean
}

function loaderDef(ctx: PreviewContext): LoaderDef | undefined {
  const o = os(ctx)
  const loader = child(o, 'loader')
  const nvram = child(o, 'nvram')
  // libvirt makes a loader definition when either element is there
  if (!loader && !nvram) return undefined
  return {
    loader, nvram, firmware: o?.attrs.firmware, path: loader?.text ?? '',
    // (virDomainLoaderDefParseXMLNvram: 9.0 returns early on an empty path, 11.3 keeps the NVRAM to fill its path in)
    hasNvramStore: nvram !== undefined && (!isLibvirt9(ctx) || nvram.attrs.type !== undefined || (nvram.text ?? '') !== ''),
  }
}

/** The `<os><firmware><feature>` list: feature-based firmware autoselection. */
const firmwareFeatures = (ctx: PreviewContext): N[] => kids(child(os(ctx), 'firmware'), 'feature')

/**
 * virDomainDefOSValidate, libvirt 11.3 (and 9.0's checks shared with it, which come after 9.0's own). `beforeFirmware`:
 * libvirt 11's firmware selection runs it first, on the definition as written (qemuFirmwareFillDomain, from
 * qemuDomainDefBootPostParse) — a define refuses there, before any descriptor is looked at; without it, as validation
 * sees the definition once the firmware is filled.
 */
export function osValidate(ctx: PreviewContext, beforeFirmware = false): { code?: 'preview-refused'; message: string; path: string } | undefined {
  const v9 = isLibvirt9(ctx)
  const features = firmwareFeatures(ctx)
  const o = os(ctx)
  const firmware = o?.attrs.firmware
  if (firmware !== undefined) {
    // (a feature written twice: the last one, virDomainDefParseBootFirmwareOptions)
    const state = (name: string): string | undefined => [...features].reverse().find((f) => f.attrs.name === name)?.attrs.enabled
    if (state('enrolled-keys') === 'yes' && state('secure-boot') === 'no') {
      return { message: "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled", path: 'domain/os/firmware' }
    }
  }
  const def = loaderDef(ctx)
  if (firmware !== undefined) {
    if (!def) return undefined
    if (v9) {
      // libvirt 9.0 takes no manual loader settings along with autoselection
      const loader = def.loader
      if (loader?.attrs.readonly !== undefined) return { message: "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled", path: 'domain/os/loader/@readonly' }
      // (9.0's parser gives a loader with a path a type, so a path is refused as a type)
      if (loader?.attrs.type !== undefined || def.path !== '') return { message: "loader attribute 'type' cannot be specified when firmware autoselection is enabled", path: loader?.attrs.type !== undefined ? 'domain/os/loader/@type' : 'domain/os/loader' }
      if (def.nvram?.attrs.template !== undefined) return { message: "nvram attribute 'template' cannot be specified when firmware autoselection is enabled", path: 'domain/os/nvram/@template' }
      if (loader?.attrs.secure === 'no') return { message: "loader attribute 'secure' cannot be specified when firmware autoselection is enabled", path: 'domain/os/loader/@secure' }
    }
    if (def.hasNvramStore && firmware !== 'efi') return { message: `firmware type '${firmware}' does not support nvram`, path: 'domain/os/nvram' }
  } else {
    // (a manual loader found in a descriptor turns autoselection on before validation: libvirt 11)
    if (features.length > 0 && (v9 || beforeFirmware || manualDescriptor(ctx, ctx.options.firmware) === undefined)) return { message: 'cannot use feature-based firmware autoselection when firmware autoselection is disabled', path: 'domain/os/firmware' }
    if (!def) return undefined
    if (def.path === '') return { message: 'no loader path specified and firmware auto selection disabled', path: def.loader ? 'domain/os/loader' : 'domain/os/nvram' }
  }
  const stateless = def.loader?.attrs.stateless
  if (stateless === 'yes') {
    // libvirt 11 fills an autoselected firmware before it validates (a failed match has its own words): only
    // a manual loader is checked here then
    if (firmware !== undefined && !v9 && !beforeFirmware) return shimValidate(ctx)
    if (def.nvram?.attrs.template !== undefined) return { message: 'NVRAM template is not permitted when loader is stateless', path: 'domain/os/nvram/@template' }
    if (def.hasNvramStore) return { message: 'NVRAM is not permitted when loader is stateless', path: 'domain/os/nvram' }
  } else if (stateless === 'no') {
    if (firmware === undefined) {
      if (def.loader?.attrs.type !== 'pflash') return { message: 'Only pflash loader type permits NVRAM', path: 'domain/os/loader/@stateless' }
    } else if (firmware !== 'efi') {
      return { message: 'Only EFI firmware permits NVRAM', path: 'domain/os/loader/@stateless' }
    }
  }
  return shimValidate(ctx)
}

/**
 * virDomainDefOSValidate's last check (libvirt 11): a shim loads a kernel — reached only with a loader definition (the
 * function returns early without one; seen on libvirtd 11.3: a shim without kernel or loader is stored).
 */
function shimValidate(ctx: PreviewContext): { code: 'preview-refused'; message: string; path: string } | undefined {
  const o = os(ctx)
  return !isLibvirt9(ctx) && textIn(child(o, 'shim')) !== '' && textIn(child(o, 'kernel')) === '' ? { code: 'preview-refused', message: 'shim only allowed with kernel option', path: 'domain/os/shim' } : undefined
}

// ---- huge pages (virDomainDefPostParseMemtune, virDomainDefMemtuneValidate) -----------------------------

function hugepagesValidate(ctx: PreviewContext): { message: string; path: string } | undefined {
  const pages = kids(child(child(ctx.domain, 'memoryBacking'), 'hugepages'), 'page')
  if (pages.length === 0) return undefined
  const cells = numaCells(ctx).length
  const read = pages.map((p) => {
    let nodes = p.attrs.nodeset === undefined ? undefined : ranges(p.attrs.nodeset)
    // without guest NUMA nodes, a node set of node 0 alone means nothing and is dropped (post-parse)
    if (nodes && cells === 0 && nextSet(nodes, 0) < 0) nodes = undefined
    return { size: kib({ ...p, text: p.attrs.size ?? '' }), nodes }
  })
  for (let i = 0; i < read.length; i++) {
    const page = read[i]!
    for (let j = 0; j < i; j++) {
      const other = read[j]!
      if (page.nodes && other.nodes && overlaps(page.nodes, other.nodes)) {
        return { message: `nodeset attribute of hugepages of sizes ${page.size} and ${other.size} intersect`, path: `domain/memoryBacking/hugepages/page[${i + 1}]/@nodeset` }
      }
      if (!page.nodes && !other.nodes) return { message: `two master hugepages detected: ${page.size} and ${other.size}`, path: `domain/memoryBacking/hugepages/page[${i + 1}]` }
    }
    if (!page.nodes) continue
    const missing = nextSet(page.nodes, cells - 1)
    if (missing >= 0) return { message: `hugepages: node ${missing} not found`, path: `domain/memoryBacking/hugepages/page[${i + 1}]/@nodeset` }
  }
  return undefined
}

// ---- memory devices (virDomainMemoryDefValidate) --------------------------------------------------------

/** A virtio-mem / virtio-pmem device's guest address (`<target><address base>`), 0 when none. */
function memoryBase(m: N): bigint {
  if (m.attrs.model !== 'virtio-mem' && m.attrs.model !== 'virtio-pmem') return 0n
  const base = child(child(m, 'target'), 'address')?.attrs.base
  if (base === undefined || !/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(base)) return 0n
  return BigInt(base.trim())
}

/**
 * A memory device's size in KiB as the device post-parse leaves it (qemuDomainMemoryDefPostParse, with an ABI update as
 * define has it): on ppc64 an NVDIMM's guest area (its size less the label) aligned down to 256 MiB, any other model's
 * size rounded up to 256 MiB; elsewhere as read. `undefined` when it does not read.
 */
function memoryDeviceSize(ctx: PreviewContext, m: N): number | undefined {
  const target = child(m, 'target')
  const read = kib(child(target, 'size'))
  if (read === undefined || !ctx.options.abiUpdate || !arch(ctx).startsWith('ppc64')) return read
  if (m.attrs.model !== 'nvdimm') return Math.ceil(read / 262144) * 262144
  const label = kib(child(child(target, 'label'), 'size')) ?? 0
  // (a guest area under 256 MiB was refused by the device post-parse: its size is kept)
  return read - label < 262144 ? read : Math.floor((read - label) / 262144) * 262144 + label
}

/**
 * virDomainMemoryDefValidate's checks of each model: an NVDIMM's and a virtio-pmem's backing path, discard and the
 * PPC64-only label size and UUID; virtio-pmem's shared access and no NUMA node; virtio-mem's requested size against
 * its size and block (a block of at least the host's transparent huge page, 2 MiB on the hosts preview knows).
 */
function memoryModelProblem(ctx: PreviewContext, m: N, path: string, hasNode: boolean): { message: string; path: string } | undefined {
  const model = m.attrs.model
  const source = child(m, 'source')
  const target = child(m, 'target')
  const ppc64 = arch(ctx).startsWith('ppc64')
  if (model === 'nvdimm' || model === 'virtio-pmem') {
    if (!child(source, 'path')?.text) return { message: `path is required for model '${model}'`, path: `${path}/source/path` }
    if (m.attrs.discard === 'yes') return { message: model === 'nvdimm' ? 'discard is not supported for nvdimms' : `discard is not supported for model '${model}'`, path: `${path}/@discard` }
  }
  if (model === 'nvdimm') {
    // (a label of 0 KiB, or an empty size, is none: virDomainParseMemory leaves the label size 0)
    if (ppc64 && (kib(child(child(target, 'label'), 'size')) ?? 0) === 0) return { message: 'label size is required for NVDIMM device', path: `${path}/target/label` }
    if (!ppc64 && textIn(child(m, 'uuid')) !== '') return { message: 'UUID is not supported for NVDIMM device', path: `${path}/uuid` }
  }
  if (model === 'virtio-pmem') {
    // (post-parse makes a virtio-pmem device of no access mode shared: one written otherwise is refused)
    if (m.attrs.access !== undefined && m.attrs.access !== 'shared' && m.attrs.access !== 'default') return { message: 'shared access mode required for virtio-pmem device', path: `${path}/@access` }
    if (hasNode) return { message: 'virtio-pmem does not support NUMA nodes', path: `${path}/target/node` }
    // (libvirt 11: its guest address on a host page's boundary — 4096 bytes on the hosts preview knows)
    if (!isLibvirt9(ctx) && memoryStart11(m) % 4096n !== 0n) return { message: 'memory address must be aligned to 4096 bytes', path: `${path}/target/address/@base` }
  }
  if (model === 'virtio-mem') {
    // (its size as the device post-parse left it: on ppc64 rounded up to 256 MiB; the refusal names that size)
    const size = memoryDeviceSize(ctx, m) ?? 0
    const block = kib(child(target, 'block')) ?? 0
    const requested = kib(child(target, 'requested')) ?? 0
    if (requested > size) return { message: `requested size must be smaller than or equal to @size (${size}KiB)`, path: `${path}/target/requested` }
    if (block <= 0 || !Number.isInteger(Math.log2(block))) return { message: 'block size must be a power of two', path: `${path}/target/block` }
    if (block < 2048) return { message: 'block size too small, must be at least 2048KiB', path: `${path}/target/block` }
    if (requested % block !== 0) return { message: 'requested size must be an integer multiple of block size', path: `${path}/target/requested` }
    // (libvirt 11: its guest address on a block's boundary — the block in KiB, the address in bytes)
    if (!isLibvirt9(ctx) && memoryStart11(m) % (BigInt(block) * 1024n) !== 0n) return { message: 'memory device address must be aligned to blocksize', path: `${path}/target/address/@base` }
  }
  // (an SGX EPC section has no address of its own — seen on libvirtd 9.0)
  if (model === 'sgx-epc' && child(m, 'address')) return { message: "memory device address is not supported for model 'sgx-epc'", path: `${path}/address` }
  return undefined
}

/**
 * Each memory device as libvirt validates them, one after the other: virDomainMemoryDefValidate (its guest NUMA node, its
 * model's checks, its address against the others'), then qemuValidateDomainDeviceDefMemory (the model's QEMU device —
 * seen on libvirtd 9.0: a path or block size refused before the device QEMU lacks).
 */
function memoryDevicesValidate(ctx: PreviewContext): { message: string; path: string } | undefined {
  const mems = devicesOfKind(ctx, 'memory')
  const cells = numaCellsAtValidation(ctx)
  // (the row's devices — each placed where libvirt validates it, firstInValidationOrder —, their addresses against every one's)
  for (const m of rowDevices(ctx)) {
    if (m.name !== 'memory') continue
    const path = `domain/devices/memory[${mems.indexOf(m) + 1}]`
    const node = memoryTargetNode(m)
    if (node !== undefined) {
      if (cells === 0) return { message: "can't add memory backend as guest has no NUMA nodes configured", path: `${path}/target/node` }
      if (node >= cells) return { message: `can't add memory backend for guest node '${node}' as the guest has only '${cells}' NUMA nodes configured`, path: `${path}/target/node` }
    }
    const problem = memoryModelProblem(ctx, m, path, node !== undefined)
    if (problem) return problem
    // (libvirt 11.3: the device's slot and guest range against the others', then the QEMU driver's checks — after its
    // address's, memoryDeviceQemuValidate11 in the devices' table)
    if (!isLibvirt9(ctx)) {
      const conflict = memoryConflict11(ctx, m, mems, path)
      if (conflict) return conflict
      continue
    }
    const start = memoryBase(m)
    const size = memoryDeviceSize(ctx, m)
    if (start !== 0n && size !== undefined) {
      const end = start + BigInt(size) * 1024n
      for (const other of mems) {
        if (other === m) continue
        const otherStart = memoryBase(other)
        if (otherStart !== 0n && start <= otherStart && end > otherStart) {
          return { message: `memory device address [0x${start.toString(16)}:0x${end.toString(16)}] overlaps with other memory device (0x${otherStart.toString(16)})`, path: `${path}/target/address` }
        }
      }
    }
    const need = qemuDeviceFlags.memoryModels[m.attrs.model ?? '']
    if (need !== undefined && !has(ctx, need.flag)) return { message: need.message, path: `${path}/@model` }
    if (m.attrs.model === 'nvdimm' && child(child(m, 'target'), 'readonly') && !has(ctx, 'nvdimm.unarmed')) return { message: 'nvdimm readonly property is not available with this QEMU binary', path: `${path}/target/readonly` }
  }
  return undefined
}

// ---- the table ---------------------------------------------------------------------------------------

/** `<features>` each parser knows (virDomainFeature): 9.0's, and 11.3's with the later four. */
const featuresOf9 = domainFeatures9
const featuresOf11 = domainFeatures11

/** virCPUFeaturePolicy: what a guest CPU's `<feature policy>` may say. */
const cpuFeaturePolicies: ReadonlySet<string> = new Set(['force', 'require', 'optional', 'disable', 'forbid'])
/** The accelerators a probed capabilities cache lists as flags (QEMU_CAPS_TCG, QEMU_CAPS_KVM, QEMU_CAPS_HVF): model's virtTypeFlags. */
const accelerators = Object.values(virtTypeFlags)
/** The GIC versions `<gic version>` takes (virGICVersion without its zero, 'none'). */
const gicVersions = ['host', '2', '3']

/** A BIOS date libvirt takes (virSysinfoBIOSParseXML): mm/dd/yy or mm/dd/yyyy, 1900 or later. */
function biosDateValid(date: string): boolean {
  const m = /^\s*([+-]?\d+)\/\s*([+-]?\d+)\/\s*([+-]?\d+)$/.exec(date)
  if (!m) return false
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if ([month, day, year].some((n) => Math.abs(n) > 2 ** 31 - 1)) return false
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 0 && !(year >= 100 && year < 1900)
}

/** virDomainDefCputuneValidate's ranges: periods in µs, quotas (when positive) in µs (VIR_CGROUP_CPU_PERIOD_*, VIR_CGROUP_CPU_QUOTA_*). */
const cputuneRanges: readonly (readonly [string, number, number])[] = [
  ...['period', 'global_period', 'emulator_period', 'iothread_period'].map((n) => [n, 1000, 1000000] as const),
  ...['quota', 'global_quota', 'emulator_quota', 'iothread_quota'].map((n) => [n, 1000, 17592186044415] as const),
]

/**
 * A <cputune> number as libvirt read it (virXPathULongLong / virXPathLongLong: strtoull / strtoll, leading blanks and a
 * sign taken — ` 1` is 1: libvirtd 9.0 then refuses it as a share), or `undefined` when there is none or it does not read.
 */
function cputuneValue(cputune: N, name: string): number | undefined {
  const text = child(cputune, name)?.text
  const read = text === undefined ? undefined : cputuneNumber(text, cputuneNumbers.find(([n]) => n === name)?.[1] ?? false)
  return read === undefined ? undefined : Number(read)
}

/** The storage types a loader's NVRAM cannot be (qemuValidateDomainDefNvram; 11.3 adds vhostvdpa, which 9.0 does not read). */
const nvramUnsupportedTypes: ReadonlySet<string> = new Set(['dir', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'])

/**
 * qemuValidateDomainDefNvram: a typed NVRAM (`<nvram type><source>`, virDomainStorageSourceParse) is a file, a block
 * device or a network image, without slices or persistent reservations; then qemuDomainValidateStorageSource's network
 * checks (TFTP, NFS hosts…). A path written as the element's text is a file. Each seen on libvirtd 9.0.
 */
function nvramValidate(ctx: PreviewContext): { message: string; path: string } | undefined {
  const nvram = child(os(ctx), 'nvram')
  const type = nvram?.attrs.type
  if (nvram === undefined || type === undefined) return undefined
  if (nvramUnsupportedTypes.has(type)) return { message: `unsupported nvram disk type '${type}'`, path: 'domain/os/nvram/@type' }
  const source = child(nvram, 'source')
  if (kids(child(source, 'slices'), 'slice').some((s) => s.attrs.type === 'storage')) return { message: 'slices are not supported with NVRAM', path: 'domain/os/nvram/source/slices' }
  if (child(source, 'reservations')) return { message: 'persistent reservations are not supported with NVRAM', path: 'domain/os/nvram/source/reservations' }
  const network = type === 'network' ? networkSourceProblem(source) : undefined
  if (network) return { message: network.message, path: `domain/os/nvram/${network.at}` }
  // (its encryption as a disk's — but nothing gives an NVRAM's the QEMU engine, as post-parse does a disk's: one
  // written without an engine is refused in the words of an enumeration out of range, seen on libvirtd 9.0)
  const encryption = child(source, 'encryption')
  if (encryption) {
    const at = 'domain/os/nvram/source/encryption'
    const format = encryption.attrs.format
    if (format === undefined || format === 'default' || format === 'qcow') return { message: 'old qcow/qcow2 encryption is not supported', path: `${at}/@format` }
    const engine = encryption.attrs.engine
    if (engine === 'qemu') {
      if (format === 'luks2' || format === 'luks-any') return { message: isLibvirt9(ctx) ? `${format} is currently not supported by the qemu encryption engine` : `'${format}' is currently not supported by the qemu encryption engine`, path: `${at}/@format` }
      if (!isLibvirt9(ctx) && kids(encryption, 'secret').length > 1) return { message: 'qemu encryption engine expects only a single secret', path: `${at}/secret[2]` }
    } else if (engine === 'librbd') {
      if (!has(ctx, 'rbd-encryption')) return { message: 'librbd encryption is not supported by this QEMU binary', path: `${at}/@engine` }
      if (type !== 'network' && source?.attrs.protocol !== 'rbd') return { message: 'librbd encryption is supported only with RBD backed disks', path: `${at}/@engine` }
    } else {
      return { message: 'Unexpected enum value 0 for virStorageEncryptionEngine', path: at }
    }
  }
  // (a TLS host name is NBD's)
  if (source?.attrs.tlsHostname !== undefined && (type !== 'network' || source.attrs.protocol !== 'nbd')) return { message: "'tlsHostname' field is supported only with NBD disks", path: 'domain/os/nvram/source/@tlsHostname' }
  return undefined
}

/** A `<resource>`'s Fibre Channel application ID as libvirt reads it (`string(./fibrechannel/@appid)`: the first given; empty is none). */
export function resourceAppid(resource: N): string | undefined {
  const appid = kids(resource, 'fibrechannel').find((f) => f.attrs.appid !== undefined)?.attrs.appid
  return appid === '' ? undefined : appid
}

/** An <hpt>'s maximum page size in KiB as libvirt reads it (0: none, or one that does not read — refused by the parse rows). */
function hptMaxPageSize(hpt: N): number {
  const size = child(hpt, 'maxpagesize')
  if (size === undefined) return 0
  const read = readLibvirtMemory(size.text ?? '', size.attrs.unit ?? 'KiB', '')
  return 'kib' in read ? read.kib : 0
}

/** pSeries-only machine features (qemuValidateDomainDefPSeriesFeature). */
const pseriesFeatures = ['hpt', 'htm', 'nested-hv', 'ccf-assist', 'cfpc', 'sbbc', 'ibs']

/** A feature's path below <features>, with its place when its name is written more than once (`gic[2]`). */
function featurePath(features: N, f: N): string {
  const same = features.children.filter((c) => c.name === f.name)
  return `domain/features/${f.name}${same.length > 1 ? `[${same.indexOf(f) + 1}]` : ''}`
}

/**
 * The feature of a name as libvirt holds it once every one written is read (model's repeatedFeatureReads; one written
 * once is itself): the last, the last that sets something, or the last's attributes with the children of all of them.
 */
function effectiveFeature(features: N, name: string): N | undefined {
  const all = kids(features, name)
  const read = repeatedFeatureReads.get(name)
  // (a `first-child` feature's children are read by XPath from the features: one of a name, as firstOfEachName reads them)
  if (all.length < 2) return read === 'first-child' && all[0] !== undefined && all[0].children.length > 1 ? { ...all[0], children: firstOfEachName(all[0].children) } : all[0]
  const last = all[all.length - 1]!
  if (read === 'last-set') return [...all].reverse().find(featureIsSet) ?? last
  if (read === 'every-child') return { ...last, children: all.flatMap((x) => x.children) }
  if (read === 'first-child') return { ...last, children: firstOfEachName(all.flatMap((x) => x.children)) }
  return last
}

/** qemuValidateDomainDefFeatures: features an architecture or machine does not have, in libvirt's feature order. */
function featuresValidate(ctx: PreviewContext): { message: string; path: string } | undefined {
  // (11.3's post-parse gives an IOMMU with interrupt remapping the split I/O APIC where no <ioapic> chose a driver, on
  // any architecture — qemuDomainDefEnableDefaultFeatures —, which this validation then refuses off x86: seen on
  // libvirtd 11.3 with an aarch64 SMMUv3's `intremap='on'`)
  const remapping = !isLibvirt9(ctx) && devices(ctx).find((d) => d.name === 'iommu' && child(d, 'driver')?.attrs.intremap === 'on') !== undefined
  const features = child(ctx.domain, 'features') ?? (remapping ? node('features', {}, []) : undefined)
  if (!features) return undefined
  const a = arch(ctx)
  const notFor = (name: string) => ({ message: `The '${name}' feature is not supported for architecture '${a}' or machine type '${machineName(ctx)}'`, path: `domain/features/${name}` })
  for (const name of featuresOf11) {
    // (a feature written more than once: as libvirt holds it once all are read — `<apic eoi='on'/><apic/>` has no EOI)
    const written = effectiveFeature(features, name)
    const f = name === 'ioapic' && remapping && kids(features, 'ioapic').at(-1)?.attrs.driver === undefined ? node('ioapic', { driver: 'qemu' }) : written
    if (!f) continue
    if (name === 'apic' && f.attrs.eoi !== undefined && !isX86(ctx)) {
      return { message: `The 'eoi' attribute of the 'apic' feature is not supported for architecture '${a}' or machine type '${machineName(ctx)}'`, path: 'domain/features/apic/@eoi' }
    }
    if (name === 'hyperv' && !isX86(ctx) && !isArmVirt(ctx)) return { message: `Hyperv features are not supported for architecture '${a}' or machine type '${machineName(ctx)}'`, path: 'domain/features/hyperv' }
    // TCG features are QEMU's (not KVM's), a translation block cache a whole number of MiB
    if (name === 'tcg') {
      const cache = child(f, 'tb-cache')
      const kib = cache ? readLibvirtMemory(textIn(cache), cache.attrs.unit ?? 'KiB', '') : undefined
      if (kib && 'kib' in kib && kib.kib > 0) {
        if (ctx.domain.attrs.type !== 'qemu') return { message: `TCG features are incompatible with domain type '${ctx.domain.attrs.type ?? ''}'`, path: 'domain/features/tcg' }
        if (kib.kib % 1024 !== 0) return { message: 'tb-cache size must be an integer multiple of MiB', path: 'domain/features/tcg/tb-cache' }
      }
    }
    // (an <ioapic> without a driver is no I/O APIC setting)
    if ((name === 'pvspinlock' || (name === 'ioapic' && f.attrs.driver !== undefined)) && !isX86(ctx)) return notFor(name)
    if (name === 'pmu' && f.attrs.state === 'off' && (a === 'ppc64' || a === 'ppc64le')) return { message: `PMU is always enabled for architecture '${a}'`, path: 'domain/features/pmu/@state' }
    if (name === 'gic' && !isArmVirt(ctx)) return notFor(name)
    // (the vmcoreinfo device: `<vmcoreinfo/>` is on)
    if (name === 'vmcoreinfo' && (f.attrs.state ?? 'on') === 'on' && !has(ctx, 'vmcoreinfo')) return { message: 'vmcoreinfo is not available with this QEMU binary', path: 'domain/features/vmcoreinfo' }
    // (VMware's port is the PC machines' — i440fx, q35 —, whatever its state: virQEMUCapsSupportsVmport; libvirtd 9.0's
    // words, seen with its aarch64 QEMU)
    if (name === 'vmport' && !(isX86(ctx) && (isQ35(ctx) || machineFamilyOf(ctx) === 'i440fx'))) return { message: 'vmport is not available with this QEMU binary', path: 'domain/features/vmport' }
    // (VMware's port goes through the i8042 controller: a libvirt 11 check, and 9.0 knows no <ps2> feature)
    // (the last <ps2>'s state: each one read sets it)
    if (name === 'vmport' && f.attrs.state === 'on' && effectiveFeature(features, 'ps2')?.attrs.state === 'off') {
      return { message: 'vmport feature requires the ps2 feature not to be disabled', path: 'domain/features/vmport/@state' }
    }
    // (libvirt 11's own features: asynchronous teardown switched on, RAS on ARM virt, AIA — a value written — on RISC-V
    // virt, each then QEMU's property: model's qemuDeviceFlags.features11)
    if (!isLibvirt9(ctx)) {
      const { features11 } = qemuDeviceFlags
      if (name === 'async-teardown' && (f.attrs.enabled ?? 'yes') === 'yes' && !has(ctx, features11['async-teardown'].flag)) return { message: features11['async-teardown'].message, path: 'domain/features/async-teardown' }
      if (name === 'ras' && f.attrs.state !== undefined) {
        if (!isArmVirt(ctx)) return { message: 'ras feature is only supported with ARM Virt machines', path: 'domain/features/ras' }
        if (!has(ctx, features11.ras.flag)) return { message: features11.ras.message, path: 'domain/features/ras' }
      }
      if (name === 'aia' && f.attrs.value !== undefined && f.attrs.value !== 'default') {
        if (!isRiscvVirt(ctx)) return { message: 'aia feature is only supported with RISC-V Virt machines', path: 'domain/features/aia' }
        if (!has(ctx, features11.aia.flag)) return { message: features11.aia.message, path: 'domain/features/aia' }
      }
    }
    // (an <hpt>, <cfpc>, <sbbc>, <ibs> that sets nothing is none: qemuValidateDomainDefPSeriesFeature refuses a set one)
    // (HPT's switch is set by any <hpt> that sets something and never cleared by a later one: `<hpt resizing='enabled'/><hpt/>`
    // is refused off pSeries though nothing of it is written back — libvirtd 9.0)
    const set = name === 'hpt' ? kids(features, 'hpt').some(featureIsSet) : featureIsSet(f)
    if (pseriesFeatures.includes(name) && !isPSeries(ctx) && set) return notFor(name)
    // (libvirt 9.0 then asks QEMU for the machine property each sets — model's qemuDeviceFlags.pseriesFeatures9 —, an
    // <hpt> only for a maximum page size; 11.3 asks none)
    const pseries = isLibvirt9(ctx) && isPSeries(ctx) && Object.hasOwn(qemuDeviceFlags.pseriesFeatures9, name) && featureIsSet(f) ? qemuDeviceFlags.pseriesFeatures9[name]! : undefined
    if (pseries !== undefined && (name !== 'hpt' || hptMaxPageSize(f) > 0) && !has(ctx, pseries.flag)) return { message: pseries.message, path: `domain/features/${name}${name === 'hpt' ? '/maxpagesize' : ''}` }
  }
  return undefined
}

/** A UUID in the form libvirt writes (model's readUuid: virUUIDParse's grammar), for comparing two; `undefined` for none. */
const uuidKey = (value: string | undefined): string | undefined => (value === undefined ? undefined : readUuid(value))

// ---- guest NUMA (numa_conf.c) -------------------------------------------------------------------------

type Found = { message: string; path: string } | undefined

/** A NUMA cell's enumerated attributes in the order libvirt reads them, with the values it takes. */
const cellEnums = [['memAccess', ['shared', 'private']], ['discard', ['yes', 'no']]] as const

function numaParse(ctx: PreviewContext): Found {
  const numa = child(child(ctx.domain, 'cpu'), 'numa')
  if (!numa) return undefined
  const cells = kids(numa, 'cell')
  if (cells.length === 0) return { message: 'NUMA topology defined without NUMA cells', path: 'domain/cpu/numa' }
  const n = cells.length
  const cpus = new Map<number, Ranges>()
  // (each id's cell read so far: a cell of an id read before is refused only when that one's memory was not 0 — the
  // parser looks at the memory it kept —, else it is read again over it: numaCellsRedefined; a first one with a cache
  // or distances preview refuses still, libvirt then reads past its arrays)
  const earlier = new Map<number, { kib: number, cell: N }>()
  for (const [i, c] of cells.entries()) {
    const id = c.attrs.id === undefined ? i : uint(c.attrs.id)
    if (id === undefined) return undefined
    const path = `domain/cpu/numa/cell[${i + 1}]`
    if (id >= n) return { message: "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed", path: `${path}/@id` }
    const before = earlier.get(id)
    if (before && (before.kib !== 0 || child(before.cell, 'cache') || child(before.cell, 'distances'))) return { message: `Duplicate NUMA cell info for cell id '${id}'`, path: `${path}/@id` }
    // (a cell naming no vCPUs keeps those of the one read before it of its id)
    const named = ranges(c.attrs.cpus) ?? []
    const mask = named.length === 0 ? cpus.get(id) ?? [] : named
    cpus.set(id, mask)
    // (against the cells read before, by their ids)
    for (let j = 0; j < n; j++) {
      const other = cpus.get(j)
      if (j === id || !other || mask.length === 0) continue
      if (overlaps(other, mask)) return { message: `NUMA cells ${id} and ${j} have overlapping vCPU ids`, path: `${path}/@cpus` }
    }
    // the cell's memory, required (virDomainParseMemory: an empty value is none; libvirtd 9.0's words)
    const memory = c.attrs.memory
    if (memory === undefined || memory === '') return { message: "missing element or attribute './@memory'", path: `${path}/@memory` }
    const size = readLibvirtMemory(memory, c.attrs.unit, './@memory')
    if ('error' in size) return { message: size.error, path: `${path}/@memory` }
    earlier.set(id, { kib: size.kib, cell: c })
    // the cell's memory access and discard, libvirt enumerations without a `default` spelling (checked on libvirtd 9.0)
    for (const [attribute, values] of cellEnums) {
      const value = c.attrs[attribute]
      if (value !== undefined && !(values as readonly string[]).includes(value)) return { message: `Invalid value for attribute '${attribute}' in element 'cell': '${value}'.`, path: `${path}/@${attribute}` }
    }
    const distances = child(c, 'distances')
    if (!distances) { const cache = numaCellCacheProblem(c, id, path, !isLibvirt9(ctx)); if (cache) return cache; continue }
    const siblings = kids(distances, 'sibling')
    if (siblings.length === 0) return { message: 'NUMA distances defined without siblings', path: `${path}/distances` }
    for (const [k, sib] of siblings.entries()) {
      const sibling = uint(sib.attrs.id)
      if (sibling === undefined) return undefined
      if (sibling >= n) return { message: `'sibling_id ${sibling}' does not refer to a valid cell within NUMA 'cell id ${id}'`, path: `${path}/distances/sibling[${k + 1}]/@id` }
      const value = uint(sib.attrs.value)
      if (value === undefined) return undefined
      if (value < 10 || value > 255 || (sibling === id) !== (value === 10)) return { message: `'value ${value}' is invalid for 'sibling id ${sibling}' under NUMA 'cell id ${id}'`, path: `${path}/distances/sibling[${k + 1}]/@value` }
    }
    const cache = numaCellCacheProblem(c, id, path, !isLibvirt9(ctx))
    if (cache) return cache
  }
  // (the interconnects after the cells: a bandwidth's value first, read with XPath as a scaled size — required, in KiB
  // unless its unit says otherwise: virDomainParseMemory's words, seen on libvirtd 9.0 — probe h29-cpu2-bw-value)
  for (const [i, l] of kids(child(numa, 'interconnects')).entries()) {
    if (l.name !== 'bandwidth') continue
    const at = `domain/cpu/numa/interconnects/*[${i + 1}]/@value`
    const value = l.attrs.value
    if (value === undefined || value === '') return { message: "missing element or attribute './@value'", path: at }
    const size = readLibvirtMemory(value, l.attrs.unit, './@value')
    if ('error' in size) return { message: size.error, path: at }
  }
  return undefined
}

/**
 * virDomainNumaDefNodeCacheParseXML, after the cell's distances: each memory cache's level (a positive number), its
 * associativity and policy (model's numaCacheAssociativities, numaCachePolicies), its size (KiB) and line (bytes), both
 * required. libvirt 9.0 in its own words — a missing policy is reported as `'(null)'`, its error overwritten by the
 * next; 11.3 reads the three attributes with virXMLProp's readers, in theirs.
 */
function numaCellCacheProblem(cell: N, id: number, path: string, libvirt11: boolean): Found {
  for (const [i, cache] of kids(cell, 'cache').entries()) {
    const at = `${path}/cache[${i + 1}]`
    const { level, associativity, policy } = cache.attrs
    if (libvirt11) {
      const words = attributeReadProblem(level, ['level', 'uint', { required: true, nonzero: true }], 'cache', true)
        ?? attributeReadProblem(associativity, ['associativity', 'enum', { required: true, values: numaCacheAssociativities }], 'cache', true)
        ?? attributeReadProblem(policy, ['policy', 'enum', { required: true, values: numaCachePolicies }], 'cache', true)
      if (words) return { message: words, path: at }
    } else {
      if (level === undefined) return { message: `Missing 'level' attribute in cache element for NUMA node ${id}`, path: `${at}/@level` }
      const read = readCInteger(level, 10)
      if (!read || read.negative || read.magnitude === 0 || read.magnitude > 4294967295) return { message: `Invalid 'level' attribute in cache element for NUMA node ${id}`, path: `${at}/@level` }
      if (associativity === undefined) return { message: `Missing 'associativity' attribute in cache element for NUMA node ${id}`, path: `${at}/@associativity` }
      if (!numaCacheAssociativities.includes(associativity)) return { message: `Invalid cache associativity '${associativity}'`, path: `${at}/@associativity` }
      if (policy === undefined || !numaCachePolicies.includes(policy)) return { message: `Invalid cache policy '${policy ?? '(null)'}'`, path: `${at}/@policy` }
    }
    // (the units are looked up as child elements, `./size/unit`: the attribute is never read — a size in KiB, a line in bytes)
    const size = child(cache, 'size')?.attrs.value
    if (size === undefined || size === '') return { message: "missing element or attribute './size/@value'", path: `${at}/size/@value` }
    const kib = readLibvirtMemory(size, undefined, './size/@value')
    if ('error' in kib) return { message: kib.error, path: `${at}/size/@value` }
    const line = child(cache, 'line')?.attrs.value
    if (line === undefined || line === '') return { message: "missing element or attribute './line/@value'", path: `${at}/line/@value` }
    const bytes = readLibvirtScaled(line, undefined, 'bytes', 2n ** 64n - 1n, './line/@value')
    if ('error' in bytes) return { message: bytes.error, path: `${at}/line/@value` }
  }
  return undefined
}

/**
 * A set of host CPUs (`<vcpu cpuset>`, the pins' `cpuset`) as libvirt reads it: a bitmap of at most
 * VIR_DOMAIN_CPUMASK_LEN CPUs that names at least one (checked on libvirtd 9.0 for each of the four).
 */
function cpuSetProblem(raw: string | undefined, path: string): Found {
  if (raw === undefined) return undefined
  const set = parseBitmap(raw, cpuMaskLength)
  if (set === undefined) return { message: `Failed to parse bitmap '${raw}'`, path }
  return set.length === 0 ? { message: `Invalid value of 'cpuset': ${raw}`, path } : undefined
}

const numatuneModes = ['strict', 'preferred', 'interleave', 'restrictive']

function numatuneParse(ctx: PreviewContext): Found {
  const tunes = kids(ctx.domain, 'numatune')
  if (tunes.length > 1) return { message: 'only one numatune is supported', path: 'domain/numatune[2]' }
  const numatune = tunes[0]
  if (!numatune) return undefined
  const memory = child(numatune, 'memory')
  if (memory) {
    const { mode, placement, nodeset } = memory.attrs
    if (mode !== undefined && !numatuneModes.includes(mode)) return { message: `Unsupported NUMA memory tuning mode '${mode}'`, path: 'domain/numatune/memory/@mode' }
    if (placement !== undefined && placement !== 'static' && placement !== 'auto') return { message: `Unsupported NUMA memory placement mode '${placement}'`, path: 'domain/numatune/memory/@placement' }
    // (a node set is a bitmap of at most VIR_DOMAIN_CPUMASK_LEN nodes naming one: an empty one does not read)
    const nodes = nodeset === undefined ? undefined : parseBitmap(nodeset, cpuMaskLength)
    if (nodeset !== undefined && nodes === undefined) return { message: `Failed to parse bitmap '${nodeset}'`, path: 'domain/numatune/memory/@nodeset' }
    if (nodeset !== undefined && nodes && nodes.length === 0) return { message: `Invalid value of 'nodeset': ${nodeset}`, path: 'domain/numatune/memory/@nodeset' }
    // virDomainNumatuneSet: a static placement (the default with static vCPU placement) needs a node set
    const vcpuStatic = child(ctx.domain, 'vcpu')?.attrs.placement !== 'auto'
    const effective = placement ?? (nodeset !== undefined || vcpuStatic ? 'static' : 'auto')
    if ((mode !== undefined || placement !== undefined || nodeset !== undefined) && effective === 'static' && nodeset === undefined) {
      return { message: "nodeset for NUMA memory tuning must be set if 'placement' is 'static'", path: 'domain/numatune/memory' }
    }
  }
  const memnodes = kids(numatune, 'memnode')
  const cells = numaCells(ctx).length
  // (auto placement with memnodes and memnodes without cells: refused by the next row — virDomainNumatuneNodeParseXML
  // checks both before it reads a memnode; the placement is the memory's, or automatic vCPU placement's when the memory
  // sets none: a memnode of a cell the guest lacks is refused for the placement, probe h41-fza-234, libvirtd 9.0)
  if (memnodes.length === 0 || cells === 0 || numatunePlacement(ctx) === 'auto') return undefined
  const seen = new Set<number>()
  for (const [i, m] of memnodes.entries()) {
    const path = `domain/numatune/memnode[${i + 1}]`
    const cellid = uint(m.attrs.cellid)
    if (cellid === undefined) return undefined
    if (cellid >= cells) return { message: "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell", path: `${path}/@cellid` }
    if (seen.has(cellid)) return { message: `Multiple memnode elements with cellid ${cellid}`, path: `${path}/@cellid` }
    seen.add(cellid)
    if (m.attrs.mode !== undefined && !numatuneModes.includes(m.attrs.mode)) return undefined
    // (libvirt 9.0 checks a restrictive memory's nodes as it reads them, and only that way round; 11 when validating, both ways)
    if (isLibvirt9(ctx) && (memory?.attrs.mode ?? 'strict') === 'restrictive' && (m.attrs.mode ?? 'strict') !== 'restrictive') {
      return { message: "'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element", path: `${path}/@mode` }
    }
    if (m.attrs.nodeset === undefined) return { message: 'Missing required nodeset attribute in memnode element', path }
    const nodes = parseBitmap(m.attrs.nodeset, cpuMaskLength)
    if (nodes === undefined) return { message: `Failed to parse bitmap '${m.attrs.nodeset}'`, path: `${path}/@nodeset` }
    if (nodes.length === 0) return { message: `Invalid value of 'nodeset': ${m.attrs.nodeset}`, path: `${path}/@nodeset` }
  }
  return undefined
}

function numaValidate(ctx: PreviewContext): Found {
  const numa = child(child(ctx.domain, 'cpu'), 'numa')
  const cells = kids(numa, 'cell')
  if (cells.length === 0) return undefined
  const numatune = child(ctx.domain, 'numatune')
  const memoryMode = child(numatune, 'memory') ? (child(numatune, 'memory')!.attrs.mode ?? 'strict') : undefined
  const byId = new Map<number, N>()
  cells.forEach((c, i) => byId.set(c.attrs.id === undefined ? i : uint(c.attrs.id) ?? -1, c))
  for (let id = 0; id < cells.length; id++) {
    const memnode = kids(numatune, 'memnode').find((m) => uint(m.attrs.cellid) === id)
    if (memnode && !isLibvirt9(ctx)) {
      const mode = memnode.attrs.mode ?? 'strict'
      if (memoryMode === 'restrictive' && mode !== 'restrictive') return { message: "'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element", path: 'domain/numatune/memnode/@mode' }
      // (without a <memory> the domain's mode is strict, the enumeration's first: virDomainNumaDefValidate — libvirtd 11.3)
      if (mode === 'restrictive' && (memoryMode ?? 'strict') !== 'restrictive') return { message: "'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element", path: 'domain/numatune/memory/@mode' }
    }
    const seen = new Set<number>()
    for (const cache of kids(byId.get(id), 'cache')) {
      const level = uint(cache.attrs.level)
      if (level === undefined) continue
      if (level > 3) return { message: "Ain't nobody heard of that much cache level", path: 'domain/cpu/numa/cell/cache/@level' }
      if (seen.has(level)) return { message: `Cache level '${level}' already defined`, path: 'domain/cpu/numa/cell/cache/@level' }
      seen.add(level)
    }
  }
  const links = kids(child(numa, 'interconnects')).filter((l) => l.name === 'latency' || l.name === 'bandwidth')
  const named = cells.reduce((n, c) => n + bitmapSize(ranges(c.attrs.cpus) ?? []), 0)
  const cell0Filled = named < Number(textIn(child(ctx.domain, 'vcpu')) || '1')
  const read = links.map((l) => ({ type: l.name, initiator: uint(l.attrs.initiator), target: uint(l.attrs.target), cache: uint(l.attrs.cache ?? '0'), access: l.attrs.type }))
  for (const [i, l] of read.entries()) {
    const path = `domain/cpu/numa/interconnects/${l.type}`
    if (l.initiator === undefined || l.target === undefined || l.cache === undefined) return undefined
    if (l.initiator >= cells.length) return { message: "'initiator' refers to a non-existent NUMA node", path: `${path}/@initiator` }
    if (l.target >= cells.length) return { message: "'target' refers to a non-existent NUMA node", path: `${path}/@target` }
    // (cell 0 has the vCPUs no cell names by now: the QEMU driver's post-parse gave them to it — qemuDomainDefNumaCPUsRectify —
    // before the validation; a lone cell without `cpus` can be an initiator, seen on libvirtd 9.0)
    if ((ranges(byId.get(l.initiator)?.attrs.cpus) ?? []).length === 0 && !(l.initiator === 0 && cell0Filled)) return { message: "NUMA nodes without CPUs can't be initiator", path: `${path}/@initiator` }
    if (l.cache > 0 && !kids(byId.get(l.target), 'cache').some((c) => uint(c.attrs.level) === l.cache)) return { message: "'cache' refers to a non-existent NUMA node cache", path: `${path}/@cache` }
    for (const ll of read.slice(0, i)) {
      if (l.type === ll.type && l.initiator === ll.initiator && l.target === ll.target && l.cache === ll.cache && l.access === ll.access) return { message: 'Duplicate info for NUMA latencies', path }
      if (l.initiator !== l.target && l.initiator === ll.target && l.target === ll.initiator) return { message: 'Link already defined', path }
    }
  }
  return undefined
}

/** A blkio device's numbers (virDomainBlkioDeviceParseXML): each element, how it is read and the words of its refusal. */
export const blkioDeviceFields: readonly { readonly element: string; readonly read: 'uint' | 'ullong'; readonly words: string }[] = [
  { element: 'weight', read: 'uint', words: 'weight' }, { element: 'read_bytes_sec', read: 'ullong', words: 'read bytes sec' },
  { element: 'write_bytes_sec', read: 'ullong', words: 'write bytes sec' }, { element: 'read_iops_sec', read: 'uint', words: 'read iops sec' },
  { element: 'write_iops_sec', read: 'uint', words: 'write iops sec' },
]

/** A memory device's address type as validation sees it: the one written, else the one post-parse primes (CCW on s390's CCW machine, virtio-mmio). */
const memoryAddressType = (ctx: PreviewContext, m: N): string | undefined => child(m, 'address')?.attrs.type ?? primedAddressType(ctx, m)

/**
 * A DIMM's base as read — virXMLPropULongLong in base 16, `0x` optional —, or, for a DIMM or NVDIMM written with
 * another address type, the one the slot assignment left from that address's numbers: assignDimms; probe
 * h50-union-pci-base-clash, libvirtd 9.0. `undefined`: no DIMM address, or none written.
 */
function dimmBase(m: N): bigint | undefined {
  const a = child(m, 'address')
  if (a === undefined) return undefined
  if (addressMadeDimm(m)) return unionDimmBase(a)
  return a.attrs.type === 'dimm' && a.attrs.base !== undefined ? readCUnsignedLongLong(a.attrs.base, 16) : undefined
}

/**
 * libvirt 11.3's qemuDomainDefValidateMemoryHotplug over the devices, one after the other in the domain's order
 * (qemuDomainDefValidateMemoryHotplugDevice): a DIMM's or NVDIMM's slot within the slot count, then its guest NUMA node
 * when the domain has some; a virtio-pmem device on PCI; a virtio-mem device on PCI or CCW (CCW on s390 when none was
 * written), then its node; an SGX EPC section not at all. Then the devices that take a slot — DIMMs and NVDIMMs alone —
 * against the slot count. (Two devices on one slot or base are virDomainMemoryDefCheckConflict's, each device's
 * validation, later: memoryConflict11.) Seen on libvirtd 11.3.
 */
function memoryHotplugDevices11(ctx: PreviewContext, hotplug: NonNullable<ReturnType<typeof memorySlots>>): { message: string; path: string } | undefined {
  const { slots, mems, dimms, slotOf } = hotplug
  // (the written nodes: with an ABI update and none, qemuDomainDefNumaAutoAdd put every DIMM, NVDIMM and virtio-mem device on its own)
  const cells = numaCells(ctx).length
  for (const m of mems) {
    const path = `domain/devices/memory[${mems.indexOf(m) + 1}]`
    const model = m.attrs.model
    const type = memoryAddressType(ctx, m)
    if (model === 'dimm' || model === 'nvdimm') {
      const slot = slotOf(m)
      if (slot !== undefined && slot >= slots) return { message: `memory device slot '${slot}' exceeds slots count '${slots}'`, path: `${path}/address/@slot` }
    } else if (model === 'virtio-pmem') {
      if (type !== undefined && type !== 'none' && type !== 'pci') return { message: "only 'pci' addresses are supported for the virtio-pmem device", path: `${path}/address/@type` }
      continue
    } else if (model === 'virtio-mem') {
      if (type !== undefined && type !== 'none' && type !== 'pci' && type !== 'ccw') return { message: "only 'pci' and 'ccw' addresses are supported for the virtio-mem device", path: `${path}/address/@type` }
    } else continue
    if (cells > 0 && !hasTargetNode(m)) return { message: 'target NUMA node needs to be specified for memory device', path: `${path}/target` }
  }
  if (dimms.length > slots) return { message: `count of memory devices requiring memory slots '${dimms.length}' exceeds slots count '${slots}'`, path: 'domain/maxMemory/@slots' }
  return undefined
}

/**
 * The bytes a memory device takes in the guest's address space (virDomainMemoryGetMappedSize): its size as post-parse
 * left it, an NVDIMM's less its label rounded up to its alignment (the host's page, 4 KiB, when none is given).
 */
function memoryMappedBytes(ctx: PreviewContext, m: N): bigint {
  let size = memoryDeviceSize(ctx, m) ?? 0
  if (m.attrs.model === 'nvdimm') {
    const align = kib(child(child(m, 'source'), 'alignsize')) || 4
    const label = kib(child(child(child(m, 'target'), 'label'), 'size')) ?? 0
    size -= Math.ceil(label / align) * align
  }
  return BigInt(size) * 1024n
}

/**
 * A memory device's guest address as libvirt 11.3 reads it (bytes): a virtio memory device's `<target><address base>`
 * (virXMLPropULongLong in base 16), a DIMM's or NVDIMM's DIMM address base (dimmBase); 0 when none.
 */
function memoryStart11(m: N): bigint {
  const model = m.attrs.model
  if (model === 'virtio-mem' || model === 'virtio-pmem') {
    const base = child(child(m, 'target'), 'address')?.attrs.base
    return base === undefined ? 0n : readCUnsignedLongLong(base, 16) ?? 0n
  }
  return model === 'dimm' || model === 'nvdimm' ? dimmBase(m) ?? 0n : 0n
}

/**
 * virDomainMemoryDefCheckConflict (libvirt 11.3, each memory device's validation, last): a DIMM's or NVDIMM's DIMM slot
 * taken by another device's DIMM address, then — the other devices in turn — its guest range meeting another's (a DIMM
 * base or a virtio memory address; an SGX EPC section has none). Seen on libvirtd 11.3.
 */
function memoryConflict11(ctx: PreviewContext, m: N, mems: readonly N[], path: string): { message: string; path: string } | undefined {
  const dimmAddress = (x: N): boolean => child(x, 'address')?.attrs.type === 'dimm' || addressMadeDimm(x)
  const slotOf = (x: N): number | undefined => (child(x, 'address')?.attrs.type === 'dimm' ? uint(child(x, 'address')!.attrs.slot) : undefined)
  const thisAddr = (m.attrs.model === 'dimm' || m.attrs.model === 'nvdimm') && dimmAddress(m)
  const start = memoryStart11(m)
  if (start === 0n && !thisAddr) return undefined
  const end = start + memoryMappedBytes(ctx, m)
  const slot = thisAddr ? slotOf(m) : undefined
  for (const other of mems) {
    if (other === m) continue
    if (slot !== undefined && dimmAddress(other) && slotOf(other) === slot) return { message: `memory device slot '${slot}' is already being used by another memory device`, path: `${path}/address/@slot` }
    if (other.attrs.model === 'sgx-epc') continue
    const otherStart = memoryStart11(other)
    if (start === 0n || otherStart === 0n) continue
    const otherEnd = otherStart + memoryMappedBytes(ctx, other)
    if ((start <= otherStart && end > otherStart) || (otherStart <= start && otherEnd > start)) {
      return { message: `memory device address [0x${start.toString(16)}:0x${end.toString(16)}] overlaps with other memory device (0x${otherStart.toString(16)})`, path: `${path}/${thisAddr ? 'address/@base' : 'target/address'}` }
    }
  }
  return undefined
}

/**
 * A domain's memory hot-plug as its DIMM checks read it (maxMemory set): the slots, every memory device, the DIMMs and
 * NVDIMMs, and a device's DIMM slot when its address gives one; `undefined` without memory hot-plug.
 */
function memorySlots(ctx: PreviewContext): { slots: number; mems: N[]; dimms: N[]; slotOf: (m: N) => number | undefined } | undefined {
  const max = child(ctx.domain, 'maxMemory')
  if (!max || (kib(max) ?? 0) === 0) return undefined
  const mems = devices(ctx).filter((d) => d.name === 'memory')
  return {
    slots: uint(max.attrs.slots) ?? 0,
    mems,
    dimms: mems.filter((m) => m.attrs.model === 'dimm' || m.attrs.model === 'nvdimm'),
    slotOf: (m) => { const a = child(m, 'address'); return a?.attrs.type === 'dimm' ? uint(a.attrs.slot) : undefined },
  }
}

export const domainRefusals: readonly Refusal[] = [
  // virSecurityLabelDefsParseXML: the domain's security labels, read before any device (device labels refer to them)
  { code: 'preview-invalid-value', stage: 'parse', within: [['seclabel']], check: domainLabelsProblem },
  // virDomainParseMemoryLimit, virDomainParseMemory: memory tuning limits that read, in KiB by default, at most
  // VIR_DOMAIN_MEMORY_PARAM_UNLIMITED KiB (min_guarantee: a memory size), in libvirt's order and words
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['memtune']],
    check: (ctx) => {
      const memtune = child(ctx.domain, 'memtune')
      for (const name of ['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit']) {
        const limit = child(memtune, name)
        if (!limit) continue
        const xpath = `./memtune/${name}[1]`
        // (the text as written: strtoull takes leading blanks, not trailing ones, nor a blank; an empty limit is none to
        // virXPathString — `<hard_limit></hard_limit>`, libvirtd 9.0)
        const text = limit.text ?? ''
        if (text === '') continue
        const read = name === 'min_guarantee' ? readLibvirtMemory(text, limit.attrs.unit, xpath) : readLibvirtScaled(text, limit.attrs.unit, 'KiB', memoryParamUnlimitedBytes, xpath)
        if ('error' in read) return { message: read.error, path: `domain/memtune/${name}` }
      }
      return undefined
    },
  },
  // virDomainDefTunablesParse: the CPU tuning numbers (virXPathULongLong / LongLong over the element's text; libvirtd
  // 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cputune']],
    check: (ctx) => {
      const cputune = child(ctx.domain, 'cputune')
      for (const [name, signed] of cputuneNumbers) {
        const text = child(cputune, name)?.text
        if (text === undefined || text === '' || cputuneNumber(text, signed) !== undefined) continue
        return { message: `can't parse cputune ${name.replace('_', ' ')} value`, path: `domain/cputune/${name}` }
      }
      return undefined
    },
  },
  // virDomainFeaturesDefParse: an SMM TSEG size (read only with SMM on) that reads, in MiB by default
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['features', 'smm']],
    check: (ctx) => {
      // (each <smm> switched on reads `string(./features/smm/tseg)`: the first TSEG written below any of them)
      const features = child(ctx.domain, 'features')!
      const smms = kids(features, 'smm')
      const on = smms.find((x) => (x.attrs.state ?? 'on') === 'on')
      // (its value the first's, its unit the first written in any: `string(./features/smm/tseg/@unit)`)
      const tseg = firstOfEachName(smms.flatMap((x) => kids(x, 'tseg')))[0]
      // (an empty size is none: virXPathString takes '' for no value — `<tseg unit='MiB'></tseg>` is not refused, libvirtd 9.0)
      if (!tseg || !on || textIn(tseg) === '') return undefined
      const read = readLibvirtScaled(textIn(tseg), tseg.attrs.unit, 'MiB', 2n ** 64n - 1n, 'string(./features/smm/tseg)')
      return 'error' in read ? { message: read.error, path: `${featurePath(features, on)}/tseg` } : undefined
    },
  },
  // virDomainFeaturesTCGDefParse: a translation block cache size that virDomainParseMemory reads, in KiB by default —
  // every <tcg>'s in turn (an empty one is none; `x` is refused in its words, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['features', 'tcg']],
    check: (ctx) => {
      for (const tcg of kids(child(ctx.domain, 'features'), 'tcg')) {
        const cache = child(tcg, 'tb-cache')
        if (!cache || textIn(cache) === '') continue
        const read = readLibvirtMemory(textIn(cache), cache.attrs.unit, './tb-cache')
        if ('error' in read) return { message: read.error, path: `${featurePath(child(ctx.domain, 'features')!, tcg)}/tb-cache` }
      }
      return undefined
    },
  },
  // virCPUDefParseXML: a guest CPU's mode of virCPUMode (an empty one too is none of them), and its model's fallback, read
  // unless the mode is host-passthrough or maximum (an empty one is none)
  {
    code: 'preview-refused', stage: 'parse', within: [['cpu']],
    check: (ctx) => {
      const cpu = child(ctx.domain, 'cpu')!
      const mode = cpu.attrs.mode
      if (mode !== undefined && !cpuModes.includes(mode)) return { message: `Invalid mode attribute '${mode}'`, path: 'domain/cpu/@mode' }
      if (mode === 'host-passthrough' || mode === 'maximum') return undefined
      const fallback = child(cpu, 'model')?.attrs.fallback
      return fallback === undefined || fallback === '' || fallback === 'allow' || fallback === 'forbid' ? undefined : { message: 'Invalid fallback attribute', path: 'domain/cpu/model/@fallback' }
    },
  },
  // virDomainDefLifecycleParse: each lifecycle action of its enumeration, in this order (the first element's text as
  // XPath's string() gives it, spaces and all; an empty one is the default)
  {
    code: 'preview-refused', stage: 'parse', within: [['on_reboot'], ['on_poweroff'], ['on_crash'], ['on_lockfailure']],
    check: (ctx) => {
      for (const [name, values] of lifecycleElements) {
        const text = child(ctx.domain, name)?.text ?? ''
        if (text !== '' && !values.includes(text)) return { message: `unknown ${name} action: ${text}`, path: `domain/${name}` }
      }
      return undefined
    },
  },
  // virDomainDefClockParse: a clock offset of its enumeration (an empty one is none); then by offset: a UTC or local time
  // clock's adjustment `reset` or a base-10 long long (virStrToLong_ll), a variable one's basis of its enumeration (its
  // adjustments are read as 0 when they do not read), a time zone named, an absolute start (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', within: [['clock']],
    check: (ctx) => {
      const clock = child(ctx.domain, 'clock')!
      const offset = clock.attrs.offset
      if (offset !== undefined && offset !== '' && !clockOffsets.includes(offset)) return { message: `unknown clock offset '${offset}'`, path: 'domain/clock/@offset' }
      const { adjustment, basis } = clock.attrs
      if ((offset === 'utc' || offset === 'localtime') && adjustment !== undefined && adjustment !== '' && adjustment !== 'reset' && readCLongLong(adjustment, 10) === undefined) {
        return { code: 'preview-invalid-value', message: `unknown clock adjustment '${adjustment}'`, path: 'domain/clock/@adjustment' }
      }
      if (offset === 'variable' && basis !== undefined && basis !== '' && basis !== 'utc' && basis !== 'localtime') return { message: `unknown clock basis '${basis}'`, path: 'domain/clock/@basis' }
      if (offset === 'timezone' && (clock.attrs.timezone ?? '') === '') return { message: "missing 'timezone' attribute for clock with offset='timezone'", path: 'domain/clock/@timezone' }
      if (offset === 'absolute' && readCUnsignedLongLong(clock.attrs.start ?? '', 10) === undefined) return { message: "missing 'start' attribute for clock with offset='absolute'", path: 'domain/clock/@start' }
      return undefined
    },
  },
  // virDomainDefParseBootOptions (an HVM guest's): a firmware of bios or efi (an empty one is none), then each of the
  // first four boot devices of its enumeration, required
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['os']],
    check: (ctx) => {
      const o = os(ctx)
      if (textIn(child(o, 'type')) !== 'hvm') return undefined
      const firmware = o!.attrs.firmware
      if (firmware !== undefined && firmware !== '' && firmware !== 'bios' && firmware !== 'efi') return { message: `unknown firmware value ${firmware}`, path: 'domain/os/@firmware' }
      const boots = kids(o, 'boot').slice(0, 4)
      for (let i = 0; i < boots.length; i++) {
        const dev = boots[i]!.attrs.dev
        const path = `domain/os/boot[${i + 1}]/@dev`
        if (dev === undefined) return { message: "Missing required attribute 'dev' in element 'boot'", path }
        if (!bootDevices.includes(dev)) return { message: `Invalid value for attribute 'dev' in element 'boot': '${dev}'.`, path }
      }
      return undefined
    },
  },
  // virDomainFeaturesDefParse: an HPT's largest page size (in KiB by default) that virParseScaledValue reads — its own words
  // for any that does not (an empty one is none)
  {
    code: 'preview-refused', stage: 'parse', within: [['features', 'hpt']],
    check: (ctx) => {
      // (each <hpt> reads `string(./features/hpt/maxpagesize)` and its `/@unit`: the first below any of them, in the unit
      // first written in any — `<hpt resizing='enabled'/><hpt><maxpagesize>x</maxpagesize></hpt>` is refused, libvirtd 9.0)
      const maxpage = firstOfEachName(kids(child(ctx.domain, 'features'), 'hpt').flatMap((h) => kids(h, 'maxpagesize')))[0]
      // (the text as XPath's string() gives it: a blank one is gone under libxml2's NOBLANKS, a trailing space stays)
      const text = maxpage?.text ?? ''
      if (!maxpage || text === '') return undefined
      const read = readLibvirtScaled(text, maxpage.attrs.unit, 'KiB', 2n ** 64n - 1n, 'string(./features/hpt/maxpagesize)')
      return 'error' in read ? { message: 'Unable to parse HPT maxpagesize setting', path: 'domain/features/hpt/maxpagesize' } : undefined
    },
  },
  // virDomainVcpuParse: no more current vCPUs than the maximum (virDomainDefSetVcpus) — asked only without a `<vcpus>`
  // list: a list of vCPUs decides which are online, `current` read (as an unsigned int) and then ignored
  {
    code: 'preview-refused', stage: 'parse', within: [['vcpu']],
    check: (ctx) => {
      if (kids(child(ctx.domain, 'vcpus'), 'vcpu').length > 0) return undefined
      const vcpu = child(ctx.domain, 'vcpu')
      const max = uint(textIn(vcpu))
      const current = vcpu?.attrs.current === undefined ? undefined : uint(vcpu.attrs.current)
      return max !== undefined && current !== undefined && max < current ? { message: 'maximum vCPU count must not be less than current vCPU count', path: 'domain/vcpu/@current' } : undefined
    },
  },
  // virDomainVcpuParse: the host CPUs the vCPUs may run on (read only with static placement: libvirt drops it with auto)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['vcpu']],
    check: (ctx) => {
      const vcpu = child(ctx.domain, 'vcpu')
      return vcpu?.attrs.placement === 'auto' ? undefined : cpuSetProblem(vcpu?.attrs.cpuset, 'domain/vcpu/@cpuset')
    },
  },
  // virDomainDefParseIOThreads (virDomainIOThreadIDDefParseXML): I/O thread ids, nonzero, once each
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['iothreadids']],
    check: (ctx) => {
      const seen = new Set<number>()
      for (const [i, t] of kids(child(ctx.domain, 'iothreadids'), 'iothread').entries()) {
        const path = `domain/iothreadids/iothread[${i + 1}]/@id`
        const raw = t.attrs.id
        if (raw === undefined) return { message: "Missing required attribute 'id' in element 'iothread'", path }
        const read = readLibvirtInteger(raw, { kind: 'uint', base: 10 }, { element: 'iothread', attribute: 'id' })
        if ('error' in read) return { message: read.error, path }
        if (read.value === 0) return { message: "Invalid value for attribute 'id' in element 'iothread': Zero is not permitted", path }
        // (once the element is read, its pool sizes too: model's settingRepeatedReadParts)
        if (seen.has(read.value)) return { message: `duplicate iothread id '${read.value}' found`, path: `domain/iothreadids/iothread[${i + 1}]` }
        seen.add(read.value)
      }
      return undefined
    },
  },
  // virDomainDefTunablesParse: one emulator pinning, one pinning per vCPU, each pinning's host CPUs
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cputune']],
    check: (ctx) => {
      const cputune = child(ctx.domain, 'cputune')
      if (!cputune) return undefined
      const pinned = new Set<number>()
      // (a pin of a vCPU the domain has names its host CPUs — libvirt ignores a pin of one it lacks — internal errors)
      const vcpus = uint(textIn(child(ctx.domain, 'vcpu'))) ?? 1
      for (const pin of kids(cputune, 'vcpupin')) {
        const vcpu = uint(pin.attrs.vcpu)
        if (vcpu === undefined) continue
        if (vcpu < vcpus && pin.attrs.cpuset === undefined) return { code: 'preview-refused', message: 'missing cpuset for vcpupin', path: `domain/cputune/vcpupin[@vcpu='${vcpu}']` }
        if (pinned.has(vcpu)) return { message: `duplicate vcpupin for vcpu '${vcpu}'`, path: `domain/cputune/vcpupin[@vcpu='${vcpu}']` }
        pinned.add(vcpu)
        const found = cpuSetProblem(pin.attrs.cpuset, `domain/cputune/vcpupin[@vcpu='${pin.attrs.vcpu}']/@cpuset`)
        if (found) return found
      }
      // (then the emulator's: one — after the vCPUs' pins, libvirtd 9.0 —, with its host CPUs)
      if (kids(cputune, 'emulatorpin').length > 1) return { message: 'only one emulatorpin is supported', path: 'domain/cputune/emulatorpin[2]' }
      const emulatorPin = child(cputune, 'emulatorpin')
      if (emulatorPin && emulatorPin.attrs.cpuset === undefined) return { code: 'preview-refused', message: 'missing cpuset for emulatorpin', path: 'domain/cputune/emulatorpin' }
      const emulator = cpuSetProblem(emulatorPin?.attrs.cpuset, 'domain/cputune/emulatorpin/@cpuset')
      if (emulator) return emulator
      // (then each I/O thread's pin, read whole before the next: virDomainIOThreadPinDefParseXML looks its thread up
      // before it reads the host CPUs — `<iothreadpin iothread='5' cpuset='x'/>` without thread 5 is refused for the
      // thread —, then one pin per thread)
      const threads = new Set<number>()
      const pins = kids(cputune, 'iothreadpin')
      const ids = pins.length > 0 ? ioThreadIds(ctx) : new Set<number>()
      for (const pin of pins) {
        const at = `domain/cputune/iothreadpin[@iothread='${pin.attrs.iothread}']`
        const id = uint(pin.attrs.iothread)
        if (id !== undefined && id > 0 && !ids.has(id)) return { code: 'preview-refused', message: `Cannot find 'iothread' : ${id}`, path: at }
        if (pin.attrs.cpuset === undefined) return { code: 'preview-refused', message: 'missing cpuset for iothreadpin', path: at }
        const found = cpuSetProblem(pin.attrs.cpuset, `${at}/@cpuset`)
        if (found) return found
        if (id !== undefined && threads.has(id)) return { code: 'preview-refused', message: `duplicate iothreadpin for same iothread '${id}'`, path: at }
        if (id !== undefined) threads.add(id)
      }
      // (then one emulator scheduler; the vCPUs' and I/O threads' schedulers are the row below's)
      if (kids(cputune, 'emulatorsched').length > 1) return { message: 'only one emulatorsched is supported', path: 'domain/cputune/emulatorsched[2]' }
      return undefined
    },
  },
  // virDomainThreadSchedParseHelper (virDomainSchedulerParse, virDomainSchedulerParseCommonAttrs): the <vcpusched>s, then
  // the <iothreadsched>s, each in document order — its thread set (required, read, naming one), its scheduler and
  // priority (model's attributeReads, weighed by their place: model's settingRepeatedReadParts), then thread by thread
  // in ID order one the domain lacks (thread 0 too), or one an earlier element named (libvirtd 9.0: `<vcpusched
  // vcpus='1'/><vcpusched vcpus='1-5'/>` overlaps before vCPU 4 is missed)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cputune', 'vcpusched'], ['cputune', 'iothreadsched']],
    check: (ctx) => {
      const cputune = child(ctx.domain, 'cputune')
      const vcpus = uint(textIn(child(ctx.domain, 'vcpu'))) ?? 1
      let threads: ReadonlySet<number> | undefined
      for (const [name, attribute] of [['vcpusched', 'vcpus'], ['iothreadsched', 'iothreads']] as const) {
        const taken = new Set<number>()
        for (const [i, sched] of kids(cputune, name).entries()) {
          const at = `domain/cputune/${name}[${i + 1}]`
          const raw = sched.attrs[attribute]
          if (raw === undefined) return { message: `Missing attribute '${attribute}' in element '${name}'`, path: `${at}/@${attribute}` }
          const set = parseBitmap(raw, cpuMaskLength)
          if (set === undefined) return { message: `Failed to parse bitmap '${raw}'`, path: `${at}/@${attribute}` }
          if (set.length === 0) return { code: 'preview-refused', message: `'${attribute}' scheduler bitmap '${raw}' is empty`, path: `${at}/@${attribute}` }
          const has = name === 'vcpusched' ? (id: number): boolean => id < vcpus : (id: number): boolean => (threads ??= ioThreadIds(ctx)).has(id)
          // (ascending, each range stops at the first thread missing: the loop is as long as the domain has threads)
          for (const [a, b] of set) {
            for (let id = a; id <= b; id++) {
              if (!has(id)) return { code: 'preview-refused', message: name === 'vcpusched' ? `vCPU '${id}' is not present in domain definition` : `Cannot find 'iothread' : ${id}`, path: at }
              if (taken.has(id)) return { message: `'${name}' attributes '${attribute}' must not overlap`, path: at }
              taken.add(id)
            }
          }
        }
      }
      return undefined
    },
  },
  // virDomainCachetuneDefParse, virDomainMemorytuneDefParse (the last of virDomainDefTunablesParse): each group's vCPUs,
  // cache sizes and bandwidths, none twice, and its monitors inside it (_resctrl.ts)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cputune', 'cachetune'], ['cputune', 'memorytune']],
    check: (ctx) => { const read = readResctrls(ctx.domain, isLibvirt9(ctx)); return 'problem' in read ? read.problem : undefined },
  },
  // virDomainPerfDefParseXML: `./perf/event` (the events of every <perf>, in document order), each read whole before the
  // next — its name, its enabled state (model's attributeReads), then none named twice (libvirtd 9.0: an unknown name
  // after a repeated one is refused for its name when it comes first)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['perf']],
    check: (ctx) => {
      const reads = attributeReads.get('perf/event') ?? []
      const seen = new Set<string>()
      for (const perf of kids(ctx.domain, 'perf')) {
        for (const e of kids(perf, 'event')) {
          for (const read of reads) {
            const message = attributeReadProblem(e.attrs[read[0]], read, 'event')
            if (message) return { message, path: `domain/perf/event/@${read[0]}` }
          }
          const name = e.attrs.name!
          if (seen.has(name)) return { message: `perf event '${name}' was already specified`, path: `domain/perf/event[@name='${name}']` }
          seen.add(name)
        }
      }
      return undefined
    },
  },
  // virDomainDefParseXML: a title on one line; virDomainKeyWrapDefParseXML: `./keywrap/cipher`, each read whole before the
  // next — its name, its state (model's attributeReads), then one of each name (libvirtd 9.0's words: a bad state on a
  // second `aes` is refused for its state, probe h41-kw-bad-after-dup)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['title'], ['keywrap']],
    check: (ctx) => {
      // (as written: a blank title of a newline is refused too — the blank-text search edit, seed 343)
      if ((child(ctx.domain, 'title')?.text ?? '').includes('\n')) return { message: "Domain title can't contain newlines", path: 'domain/title' }
      const reads = attributeReads.get('keywrap/cipher') ?? []
      const seen = new Set<string>()
      for (const cipher of kids(child(ctx.domain, 'keywrap'), 'cipher')) {
        for (const read of reads) {
          const message = attributeReadProblem(cipher.attrs[read[0]], read, 'cipher')
          if (message) return { message, path: `domain/keywrap/cipher/@${read[0]}` }
        }
        const name = cipher.attrs.name ?? ''
        if (seen.has(name)) return { message: `A domain definition can have no more than one cipher node with name ${name}`, path: `domain/keywrap/cipher[@name='${name}']` }
        seen.add(name)
      }
      return undefined
    },
  },
  // virCPUDefParseXML, before the features: `migratable` (once read, on or off) for the host-passthrough and maximum modes; a vendor ID of 12
  // characters; a vendor with a model (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cpu']],
    check: (ctx) => {
      const cpu = child(ctx.domain, 'cpu')!
      const mode = cpu.attrs.mode ?? 'custom'
      // (checked once read: a value the switch reader refuses is refused in its words first — probe h35-cpu-migratable-match)
      if ((cpu.attrs.migratable === 'on' || cpu.attrs.migratable === 'off') && mode !== 'host-passthrough' && mode !== 'maximum') return { code: 'preview-refused', message: "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode", path: 'domain/cpu/@migratable' }
      const model = child(cpu, 'model')
      // (a model's vendor_id is read for the custom and host-model modes alone; no comma in it, for QEMU's command line)
      const vendorId = mode === 'host-passthrough' || mode === 'maximum' ? undefined : model?.attrs.vendor_id
      // (strlen: UTF-8 bytes, not characters — six `é` are 12; an empty one is none to virXPathString)
      if (vendorId !== undefined && vendorId !== '' && utf8Length(vendorId) !== 12) return { message: 'vendor_id must be exactly 12 characters long', path: 'domain/cpu/model/@vendor_id' }
      if (vendorId !== undefined && vendorId.includes(',')) return { message: 'vendor id is invalid', path: 'domain/cpu/model/@vendor_id' }
      // (an empty <vendor> is none to virXPathString: not refused without a model, nor written back — libvirtd 9.0)
      if (textIn(child(cpu, 'vendor')) !== '' && (model?.text ?? '') === '') return { message: 'CPU vendor specified without CPU model', path: 'domain/cpu/vendor' }
      return undefined
    },
  },
  // virCPUDefParseXML: CPU features name a model's changes (a custom CPU without a model has none)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['cpu']],
    check: (ctx) => {
      const cpu = child(ctx.domain, 'cpu')
      if (!cpu) return undefined
      // (a model of no text is none: virXPathString)
      if (kids(cpu, 'feature').length > 0 && (cpu.attrs.mode ?? 'custom') === 'custom' && (child(cpu, 'model')?.text ?? '') === '') return { message: 'Non-empty feature list specified without CPU model', path: 'domain/cpu/feature' }
      // then each feature in turn: a policy it knows, a name, one of each name
      const seen = new Set<string>()
      for (const [i, f] of kids(cpu, 'feature').entries()) {
        const path = `domain/cpu/feature[${i + 1}]`
        const policy = f.attrs.policy
        if (policy !== undefined && !cpuFeaturePolicies.has(policy)) return { code: 'preview-refused', message: 'Invalid CPU feature policy', path: `${path}/@policy` }
        const name = f.attrs.name
        if (!name) return { message: 'Invalid CPU feature name', path: `${path}/@name` }
        if (seen.has(name)) return { message: `CPU feature '${name}' specified more than once`, path: `${path}/@name` }
        seen.add(name)
      }
      if (kids(cpu, 'cache').length > 1) return { message: 'at most one CPU cache element may be specified', path: 'domain/cpu/cache[2]' }
      // (virCPUDefParseXMLCache: a level, when given, from 1 to 3 — read before the mode)
      const level = child(cpu, 'cache')?.attrs.level
      const read = level === undefined ? undefined : readCInteger(level, 10)
      if (read && !read.negative && read.magnitude <= 2147483647 && (read.magnitude < 1 || read.magnitude > 3)) return { message: 'invalid CPU cache level, must be in range [1,3]', path: 'domain/cpu/cache/@level' }
      return undefined
    },
  },
  // qemuDomainDefVcpusPostParse (post-parse, right before the CPU's): vCPU 0 online, not hot-pluggable and first; the
  // online vCPUs all ordered or none; the non-hot-pluggable ones before the others, in order — refused before the SVE
  // lengths and SMM's TSEG (`<vcpu current='0'>` beside a TSEG on pc: libvirtd 9.0 refuses the vCPU). The vCPU rule reads
  // the same when it writes the list back.
  {
    code: 'preview-refused', stage: 'validate', postParse: 'domain', within: [['vcpu'], ['vcpus']],
    check: (ctx) => vcpusPostParseProblem(ctx),
  },
  // qemuDomainDefCPUPostParse (post-parse, before any validation; any arch): SVE vector lengths (features named sve…)
  // with the sve feature itself (the last one named so) disabled or forbidden. libvirtd 9.0's words.
  {
    code: 'preview-refused', stage: 'validate', postParse: 'domain', within: [['cpu', 'feature']],
    check: (ctx) => {
      const features = kids(child(ctx.domain, 'cpu'), 'feature')
      let sve: N | undefined
      for (const f of features) if (f.attrs.name === 'sve') sve = f
      if (sve?.attrs.policy !== 'disable' && sve?.attrs.policy !== 'forbid') return undefined
      return features.some((f) => f.attrs.name !== 'sve' && f.attrs.name?.startsWith('sve'))
        ? { message: 'SVE disabled, but SVE vector lengths provided', path: "domain/cpu/feature[@name='sve']/@policy" } : undefined
    },
  },
  // qemuDomainDefTsegPostParse: SMM's TSEG — right after the CPU's post-parse (SVE refused first, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'domain', within: [['features', 'smm']],
    check: (ctx) => {
      // (a TSEG size is read only with SMM on — the last <smm>'s state —, and an empty one is none: `string(./features/smm/tseg)`,
      // the first written below any <smm>)
      const smm = effectiveFeature(child(ctx.domain, 'features')!, 'smm')
      const tseg = child(smm, 'tseg')
      if (!tseg || (smm!.attrs.state ?? 'on') !== 'on' || textIn(tseg) === '') return undefined
      if (!isQ35(ctx)) return { message: 'SMM TSEG is only supported with q35 machine type', path: 'domain/features/smm/tseg' }
      const read = readLibvirtScaled(textIn(tseg), tseg.attrs.unit, 'MiB', 2n ** 64n - 1n, '')
      return 'bytes' in read && read.bytes % 1048576n !== 0n ? { message: 'SMM TSEG size must be divisible by 1 MiB', path: 'domain/features/smm/tseg' } : undefined
    },
  },
  // qemuValidateDomainDef (its first checks): an HVM guest (the other OS types are Xen's and containers'); a virt type
  // this QEMU has (virQEMUCapsIsVirtTypeSupported) — none but QEMU's own (TCG), KVM and Apple's HVF, each only where the
  // capabilities hold its flag, when they list their accelerators at all (a probed cache lists `tcg` or `kvm`): a KVM
  // domain on a QEMU probed without KVM (another arch's, a host without /dev/kvm) is refused, and so is a TCG one on a
  // QEMU built without TCG. libvirtd 9.0's words (probe h27-o3: a KVM domain with the sandbox's s390x QEMU).
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'machine',
    check: (ctx) => {
      const emulator = (): string => emulatorNamed(ctx)
      const os = child(child(ctx.domain, 'os'), 'type')?.text
      if (os !== undefined && os !== 'hvm') return { message: `Emulator '${emulator()}' does not support os type '${os}'`, path: 'domain/os/type' }
      const type = ctx.domain.attrs.type ?? ''
      const accelerator = Object.hasOwn(virtTypeFlags, type) ? virtTypeFlags[type] : undefined
      if (accelerator !== undefined && (has(ctx, accelerator) || !accelerators.some((f) => has(ctx, f)))) return undefined
      return { message: `Emulator '${emulator()}' does not support virt type '${type}'`, path: 'domain/@type' }
    },
  },
  // qemuValidateDomainDef, next: a machine type the QEMU offers (virQEMUCapsIsMachineSupported; preview's post-parse
  // left an unknown one unresolved) — libvirt's words, then the machines there are
  {
    code: 'preview-unknown-machine', stage: 'validate', domainStep: 'machine',
    check: (ctx) => {
      if (ctx.machine !== undefined) return undefined
      const list = offeredMachines(ctx)
      const name = machineName(ctx)
      if (list.some((m) => m.name === name)) return undefined
      const emulator = emulatorNamed(ctx)
      return { message: `Emulator '${emulator}' does not support machine type '${name}'; this QEMU offers e.g. ${list.slice(0, 3).map((m) => `\`${m.name}\``).join(', ')}`, path: 'domain/os/type/@machine' }
    },
  },
  // virDomainBlkioDeviceParseXML: each blkio device's path, and its numbers as virStrToLong_ui / _ull read them
  // (libvirtd 9.0's words; an empty one is none)
  {
    code: 'preview-refused', stage: 'parse', within: [['blkiotune']],
    check: (ctx) => {
      for (const [i, device] of kids(child(ctx.domain, 'blkiotune'), 'device').entries()) {
        const at = `domain/blkiotune/device[${i + 1}]`
        // (virXPathString: an empty path is none, a blank one a path — a leaf's blank text is kept)
        if ((child(device, 'path')?.text ?? '') === '') return { message: 'missing per-device path', path: `${at}/path` }
        for (const { element, read, words } of blkioDeviceFields) {
          // (the text as written: virXPathString does not trim, and virStrToLong_* refuse what follows the number)
          const text = child(device, element)?.text ?? ''
          if (text !== '' && readCUnsigned(text, read) === undefined) return { message: `could not parse ${words} ${text}`, path: `${at}/${element}` }
        }
      }
      return undefined
    },
  },
  // virDomainDefTunablesValidate: one blkio tuning per device path
  {
    code: 'preview-refused', stage: 'validate', generic: 'tunables', within: [['blkiotune']],
    check: (ctx) => {
      const paths = kids(child(ctx.domain, 'blkiotune'), 'device').map((d) => child(d, 'path')?.text ?? '')
      const dup = paths.find((p, i) => paths.indexOf(p) < i)
      return dup !== undefined ? { message: `duplicate blkio device path '${dup}'`, path: 'domain/blkiotune/device/path' } : undefined
    },
  },
  // virDomainDefIdMapValidate, right after: user and group IDs mapped both, each map's lowest start the container's root
  {
    code: 'preview-refused', stage: 'validate', generic: 'idmap', within: [['idmap']],
    check: (ctx) => {
      const starts = (kind: string): number[] => kids(ctx.domain, 'idmap').flatMap((m) => kids(m, kind)).map((e) => idmapNumber(e.attrs.start) ?? 0)
      const uids = starts('uid')
      const gids = starts('gid')
      if ((uids.length > 0) !== (gids.length > 0)) return { message: 'uid and gid should be mapped both', path: `domain/idmap/${uids.length > 0 ? 'gid' : 'uid'}` }
      if ((uids.length > 0 && Math.min(...uids) !== 0) || (gids.length > 0 && Math.min(...gids) !== 0)) return { message: 'You must map the root user of container', path: 'domain/idmap' }
      return undefined
    },
  },
  // virDomainSEVDefParseXML: a policy in hex (required), a C-bit position and reduced physical address bits as unsigned
  // ints without a sign (virXPathUInt: an empty one is none) — libvirtd 9.0's words; 9.0 reads the policy first, 11.3
  // (virDomainSEVCommonDefParseXML) the C-bit position and reduced bits first (model's settingReadParts, settingReadParts9)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['launchSecurity']],
    check: (ctx) => {
      const sec = child(ctx.domain, 'launchSecurity')!
      // (11.3's SEV-SNP reads its policy as SEV's after the common settings, in 64 bits — virDomainSEVSNPDefParseXML's
      // virXPathULongLongBase: none refused as well, seen on libvirtd 11.3)
      const snp = sec.attrs.type === 'sev-snp' && !isLibvirt9(ctx)
      if (sec.attrs.type !== 'sev' && !snp) return undefined
      const policy = textIn(child(sec, 'policy'))
      const policyRefused = policy === '' || readCUnsignedLongLong(policy, 16) === undefined || (!snp && readCUnsignedLongLong(policy, 16)! > 0xffffffffn)
      if (policyRefused && isLibvirt9(ctx)) return { message: 'failed to get launch security policy', path: 'domain/launchSecurity/policy' }
      for (const [name, words] of [['cbitpos', 'cbitpos'], ['reducedPhysBits', 'reduced-phys-bits']] as const) {
        const text = textIn(child(sec, name))
        // (virStrToLong_uip: no sign, within 32 bits)
        const read = text === '' ? 0n : readCUnsignedLongLong(text, 10)
        if (read === undefined || read > 0xffffffffn) return { message: `Invalid format for launch security ${words}`, path: `domain/launchSecurity/${name}` }
      }
      return policyRefused ? { message: 'failed to get launch security policy', path: 'domain/launchSecurity/policy' } : undefined
    },
  },
  // virDomainDefParseIDs: a generation ID virUUIDParse reads (an empty one asks for a new one) — an internal error
  {
    code: 'preview-refused', stage: 'parse', within: [['genid']],
    check: (ctx) => {
      // (virUUIDParse skips blanks around the UUID; a blank one is no UUID — `<genid> </genid>`, libvirtd 9.0)
      const text = child(ctx.domain, 'genid')?.text ?? ''
      return text !== '' && uuidKey(text.trim()) === undefined ? { message: 'malformed genid element', path: 'domain/genid' } : undefined
    },
  },
  // virSysinfoSystemParseXML: an SMBIOS system UUID virUUIDParse reads, the domain's (when the domain gives one);
  // virSysinfoParseFWCfgDef: a firmware config entry names itself and has a value or a file (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['sysinfo']],
    check: (ctx) => {
      const uuid = uuidKey(textIn(child(ctx.domain, 'uuid')) || undefined)
      for (const sysinfo of kids(ctx.domain, 'sysinfo')) {
        if (sysinfo.attrs.type === 'fwcfg') {
          const at = sysinfoPath(ctx, sysinfo, "[@type='fwcfg']")
          for (const entry of kids(sysinfo, 'entry')) {
            if (entry.attrs.name === undefined) return { message: "Firmware entry is missing 'name' attribute", path: `${at}/entry` }
            if (textIn(entry).trim() === '' && entry.attrs.file === undefined) return { message: "Firmware entry must have either value or 'file' attribute", path: `${at}/entry[@name='${entry.attrs.name}']` }
          }
          continue
        }
        if (sysinfo.attrs.type !== 'smbios') continue
        const entry = kids(child(sysinfo, 'system'), 'entry').find((e) => e.attrs.name === 'uuid')
        const text = textIn(entry)
        if (text !== '' && uuidKey(text) === undefined) return { message: 'malformed <sysinfo> uuid element', path: `${sysinfoPath(ctx, sysinfo)}/system/entry[@name='uuid']` }
        const other = uuidKey(entry?.text)
        if (uuid !== undefined && other !== undefined && other !== uuid) return { message: 'UUID mismatch between <uuid> and <sysinfo>', path: `${sysinfoPath(ctx, sysinfo)}/system/entry[@name='uuid']` }
      }
      return undefined
    },
  },
  // virDomainDefParseXML (after the sysinfo): an SMBIOS mode of virDomainSmbiosMode (an empty one is none)
  {
    code: 'preview-refused', stage: 'parse', within: [['os', 'smbios']],
    check: (ctx) => {
      const mode = child(child(ctx.domain, 'os'), 'smbios')?.attrs.mode
      return mode === undefined || mode === '' || smbiosModes.includes(mode) ? undefined : { message: `unknown smbios mode '${mode}'`, path: 'domain/os/smbios/@mode' }
    },
  },
  // qemuDomainDefNumaAutoAdd (libvirt 11, the QEMU driver's domain post-parse, its last step — before the devices'
  // post-parse, ppc64's NVDIMM alignment): the node it adds holds what the memory devices leave of <memory>; a device
  // that does not fit is refused (seen on libvirtd 11.3)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'domain', since11: true, kinds: ['memory'],
    check: (ctx) => (numaAutoAddedMemory(ctx) === -1 ? { message: 'Total size of memory devices exceeds the total memory size', path: 'domain/devices/memory' } : undefined),
  },
  // virDomainDefPostParseMemory, in its order: the total is the guest NUMA nodes' and the memory devices' (with ABI
  // update, as define has it, or without <memory>), else <memory>, which the devices must fit in; the initial memory
  // (the total but the devices') must be more than none (libvirtd 9.0: memory 0, or a DIMM as large as <memory>);
  // virDomainDefPostParseCommon, first: a container's (os type exe) init binary — an empty one none —, before the QEMU
  // driver's validation refuses the os type (probe h27-o2, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'memory',
    check: (ctx) => {
      const os = child(ctx.domain, 'os')
      return child(os, 'type')?.text === 'exe' && textIn(child(os, 'init')) === '' ? { message: 'init binary must be specified', path: 'domain/os' } : undefined
    },
  },
  // a hot-plug maximum with its slot count; the maximum at least the total
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'memory',
    check: (ctx) => {
      const memoryDevices = devicesOfKind(ctx, 'memory')
      // (the devices' sizes as their post-parse left them: ppc64's aligned)
      const hotplug = memoryDevices.reduce((sum, m) => sum + (memoryDeviceSize(ctx, m) ?? 0), 0)
      const memory = kib(child(ctx.domain, 'memory')) ?? 0
      const cells = memory === 0 || ctx.options.abiUpdate ? numaCells(ctx) : []
      // (libvirt 11 with an ABI update: the node qemuDomainDefNumaAutoAdd added, holding what the devices did not — seen on libvirtd 11.3)
      const added = isLibvirt9(ctx) ? undefined : numaAutoAddedMemory(ctx)
      const numaTotal = added !== undefined ? Math.max(added, 0) : cells.reduce((sum, c) => sum + (kib({ ...c, text: c.attrs.memory ?? '' }) ?? 0), 0)
      if (numaTotal === 0 && hotplug > memory) return { message: 'Total size of memory devices exceeds the total memory size', path: 'domain/devices/memory' }
      const total = numaTotal > 0 ? numaTotal + hotplug : memory
      if (total - hotplug === 0) return { message: 'Memory size must be specified via <memory> or in the <numa> configuration', path: 'domain/memory' }
      // (memory hot-plug: libvirt 9.0 needs both the maximum and the slot count; 11 takes a maximum alone, for virtio-mem)
      const maxMemory = child(ctx.domain, 'maxMemory')
      const max = kib(maxMemory) ?? 0
      const slots = uint(maxMemory?.attrs.slots) ?? 0
      if (isLibvirt9(ctx) && (max > 0 || slots > 0) && !(max > 0 && slots > 0)) return { message: 'both maximum memory size and memory slot count must be specified', path: 'domain/maxMemory' }
      if (!isLibvirt9(ctx) && max === 0 && slots > 0) return { message: 'maximum memory size must be specified when specifying number of memory slots', path: 'domain/maxMemory' }
      return max > 0 && max < total ? { message: 'maximum memory size must be equal or greater than the actual memory size', path: 'domain/maxMemory' } : undefined
    },
  },
  // qemuValidateDomainDefFeatures (11.3: an IOMMU's interrupt remapping gives the domain an <ioapic>, below)
  { code: 'preview-refused', stage: 'validate', domainStep: 'features', within: [['features'], ['devices', 'iommu']], check: featuresValidate },
  // qemuValidateDomainDefClockTimers, timer by timer: timers QEMU does not have; the x86 timers (TSC, kvmclock, Hyper-V
  // clock) switched on elsewhere (libvirtd 9.0's words, with the domain's virt type as written and its machine as
  // post-parse settles it); an RTC that tracks the boot time; a PIT merging lost ticks
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'timers', within: [['clock']],
    check: (ctx) => {
      for (const t of kids(child(ctx.domain, 'clock'), 'timer')) {
        const name = t.attrs.name
        const path = `domain/clock/timer[@name='${name ?? ''}']`
        if (name === 'platform') return { message: "unsupported timer type (name) 'platform'", path }
        // the ARM virtual timer is KVM's, on ARM virt machines
        if (name === 'armvtimer' && (ctx.domain.attrs.type !== 'kvm' || !isArmVirt(ctx))) {
          return { message: `Configuring the '${name}' timer is not supported for virtType=${ctx.domain.attrs.type ?? ''} arch=${arch(ctx)} machine=${machineName(ctx)} guests`, path }
        }
        if ((name === 'tsc' || name === 'kvmclock' || name === 'hypervclock') && t.attrs.present === 'yes' && !isX86(ctx)) {
          return { message: `Configuring the '${name}' timer is not supported for virtType=${ctx.domain.attrs.type ?? ''} arch=${arch(ctx)} machine=${machineName(ctx)} guests`, path: `${path}/@present` }
        }
        const policy = t.attrs.tickpolicy
        if (name === 'rtc' && t.attrs.track === 'boot') return { message: "unsupported rtc timer track 'boot'", path: `${path}/@track` }
        if (name === 'rtc' && (policy === 'merge' || policy === 'discard')) return { message: `unsupported rtc timer tickpolicy '${policy}'`, path: `${path}/@tickpolicy` }
        // (catching up needs QEMU's lost-tick policy of the KVM PIT; merging never)
        if (name === 'pit' && (policy === 'merge' || (policy === 'catchup' && !has(ctx, 'kvm-pit-lost-tick-policy')))) return { message: `unsupported pit tickpolicy '${policy}'`, path: `${path}/@tickpolicy` }
        // an HPET switched on: libvirt 9.0 asks QEMU's -no-hpet (x86 QEMUs before the machine's hpet property), 11 an x86
        // arch (virt-install's `--clock hpet_present=yes` on an aarch64 guest, seen on libvirtd 9.0)
        if (name === 'hpet' && t.attrs.present === 'yes') {
          if (isLibvirt9(ctx) && !has(ctx, 'no-hpet')) return { message: 'hpet timer is not supported', path: `${path}/@present` }
          if (!isLibvirt9(ctx) && !isX86(ctx)) return { message: 'hpet timer is not supported by this architecture', path: `${path}/@present` }
        }
        if (name === 'armvtimer') {
          if (t.attrs.present === 'no') return { message: "The 'armvtimer' timer can't be disabled", path: `${path}/@present` }
          if (!has(ctx, 'cpu.kvm-no-adjvtime')) return { message: "Configuring the 'armvtimer' timer is not supported with this QEMU binary", path }
          if (policy === 'catchup' || policy === 'merge') return { message: `The 'armvtimer' timer does not support tickpolicy '${policy}'`, path: `${path}/@tickpolicy` }
        }
      }
      return undefined
    },
  },
  // qemuValidateDomainDefClockTimers' end: an absolute clock starts by 9999-12-31T23:59:59, the most glib converts
  // (seen on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'timers', within: [['clock']],
    check: (ctx) => {
      const clock = child(ctx.domain, 'clock')
      const start = clock?.attrs.offset === 'absolute' ? readCUnsignedLongLong(clock.attrs.start ?? '', 10) : undefined
      return start !== undefined && start > 253402300799n ? { message: "The maximum 'start' value for <clock offset='absolute'> is 253402300799", path: 'domain/clock/@start' } : undefined
    },
  },
  // virDomainDefParseBootXML: a boot menu timeout (read when the menu is enabled) and the BIOS reboot timeout are integers
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['os', 'bootmenu'], ['os', 'bios']],
    check: (ctx) => {
      const menu = child(os(ctx), 'bootmenu')
      const timeout = menu?.attrs.enable === 'yes' ? menu.attrs.timeout : undefined
      if (timeout !== undefined) {
        const read = readLibvirtInteger(timeout, { kind: 'uint', base: 10 }, { element: 'bootmenu', attribute: 'timeout' })
        if ('error' in read) return { message: read.error, path: 'domain/os/bootmenu/@timeout' }
      }
      const reboot = child(os(ctx), 'bios')?.attrs.rebootTimeout
      if (reboot !== undefined) {
        const read = readLibvirtInteger(reboot, { kind: 'int', base: 10 }, { element: 'bios', attribute: 'rebootTimeout' })
        if ('error' in read) return { message: read.error, path: 'domain/os/bios/@rebootTimeout' }
      }
      return undefined
    },
  },
  // virDomainDefBootValidate: their ranges
  {
    code: 'preview-refused', stage: 'validate', generic: 'boot', within: [['os', 'bootmenu'], ['os', 'bios']],
    check: (ctx) => {
      const menu = child(os(ctx), 'bootmenu')
      const timeout = menu?.attrs.enable === 'yes' && menu.attrs.timeout !== undefined ? readLibvirtInteger(menu.attrs.timeout, { kind: 'uint', base: 10 }, { element: 'bootmenu', attribute: 'timeout' }) : undefined
      if (timeout && 'value' in timeout && timeout.value > 65535) return { message: 'invalid value for boot menu timeout, must be in range [0,65535]', path: 'domain/os/bootmenu/@timeout' }
      const rebootRaw = child(os(ctx), 'bios')?.attrs.rebootTimeout
      const reboot = rebootRaw !== undefined ? readLibvirtInteger(rebootRaw, { kind: 'int', base: 10 }, { element: 'bios', attribute: 'rebootTimeout' }) : undefined
      if (reboot && 'value' in reboot && (reboot.value < -1 || reboot.value > 65535)) return { message: 'invalid value for rebootTimeout, must be in range [-1,65535]', path: 'domain/os/bios/@rebootTimeout' }
      return undefined
    },
  },
  // virDomainDefLifecycleActionValidate: a core dump only on a crash
  {
    code: 'preview-refused', stage: 'validate', generic: 'lifecycle', within: [['on_poweroff'], ['on_reboot']],
    check: (ctx) => {
      for (const event of ['poweroff', 'reboot']) {
        const action = textIn(child(ctx.domain, `on_${event}`))
        if (action === 'coredump-destroy' || action === 'coredump-restart') return { message: `Lifecycle event '${event}' doesn't support '${action}' action`, path: `domain/on_${event}` }
      }
      return undefined
    },
  },
  // virDomainDefCputuneValidate: periods and quotas (libvirt 9.0 also bounds the shares, later versions leave them to the cgroup)
  {
    code: 'preview-refused', stage: 'validate', generic: 'cputune', within: [['cputune']],
    check: (ctx) => {
      const cputune = child(ctx.domain, 'cputune')
      if (!cputune) return undefined
      const shares = cputuneValue(cputune, 'shares')
      if (isLibvirt9(ctx) && shares !== undefined && shares > 0 && (shares < 2 || shares > 262144)) return { message: "Value of cputune 'shares' must be in range [2, 262144]", path: 'domain/cputune/shares' }
      for (const [name, min, max] of cputuneRanges) {
        const value = cputuneValue(cputune, name)
        if (value !== undefined && value > 0 && (value < min || value > max)) return { message: `Value of cputune '${name}' must be in range [${min}, ${max}]`, path: `domain/cputune/${name}` }
      }
      return undefined
    },
  },
  // virDomainFeaturesDefParse, feature by feature in document order: a feature the parser does not know (9.0 knows
  // none after 'tcg'); a GIC version of virGICVersion's but 'none' (VIR_XML_PROP_NONZERO: 'none' is its zero; the
  // same words on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', within: [['features']],
    check: (ctx) => {
      const known = isLibvirt9(ctx) ? featuresOf9 : featuresOf11
      for (const f of kids(child(ctx.domain, 'features'))) {
        if (!known.includes(f.name)) return { message: `unexpected feature '${f.name}'`, path: featurePath(child(ctx.domain, 'features')!, f) }
        const version = f.name === 'gic' ? f.attrs.version : undefined
        if (version !== undefined && !gicVersions.includes(version)) {
          return { code: 'preview-invalid-value', message: `Invalid value for attribute 'version' in element 'gic': '${version}'.`, path: `${featurePath(child(ctx.domain, 'features')!, f)}/@version` }
        }
      }
      return undefined
    },
  },
  // virDomainFeaturesXENDefParse: each Xen feature a known one (seen on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', within: [['features', 'xen']],
    check: (ctx) => {
      const features = child(ctx.domain, 'features')!
      for (const xen of kids(features, 'xen')) {
        const odd = xen.children.find((c) => !xenFeatures.includes(c.name))
        if (odd) return { message: `unsupported Xen feature: ${odd.name}`, path: `${featurePath(features, xen)}/${odd.name}` }
      }
      return undefined
    },
  },
  // virDomainFeaturesCapabilitiesDefParse: each process capability a known one (model's processCapabilities)
  {
    code: 'preview-refused', stage: 'parse', within: [['features', 'capabilities']],
    check: (ctx) => {
      const features = child(ctx.domain, 'features')!
      for (const capabilities of kids(features, 'capabilities')) {
        const odd = capabilities.children.find((c) => !processCapabilities.includes(c.name))
        if (odd) return { message: `unexpected capability feature '${odd.name}'`, path: `${featurePath(features, capabilities)}/${odd.name}` }
      }
      return undefined
    },
  },
  // virDomainFeaturesHyperVDefParse: an enlightenment the parser does not know
  {
    code: 'preview-refused', stage: 'parse', within: [['features', 'hyperv']],
    check: (ctx) => {
      const known = isLibvirt9(ctx) ? hypervEnlightenments9 : hypervEnlightenments11
      const features = child(ctx.domain, 'features')!
      for (const hyperv of kids(features, 'hyperv')) {
        // (11.3 returns before the children of a passthrough one: none is read)
        if (!isLibvirt9(ctx) && hyperv.attrs.mode === 'passthrough') continue
        const f = hyperv.children.find((x) => !known.includes(x.name))
        if (f) return { message: `unsupported HyperV Enlightenment feature: ${f.name}`, path: `${featurePath(features, hyperv)}/${f.name}` }
      }
      return undefined
    },
  },
  // virDomainFeaturesHyperVDefParse, in the enlightenments' order: what an enlightenment switched on reads (a
  // switched-off one reads nothing more; 11.3 reads no enlightenment in passthrough mode)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['features', 'hyperv']],
    check: (ctx) => {
      const features = child(ctx.domain, 'features')!
      const v9 = isLibvirt9(ctx)
      for (const hyperv of kids(features, 'hyperv')) {
        if (!v9 && hyperv.attrs.mode === 'passthrough') continue
        for (const e of hyperv.children) {
          if (e.attrs.state !== 'on') continue
          const path = `${featurePath(features, hyperv)}/${e.name}`
          if (e.name === 'spinlocks') {
            // (its retries read as an unsigned integer, base 0, by attributeReads: one that does not read is left to it — an
            // empty or negative count is refused in its words, seed 315 of the differential search)
            const read = e.attrs.retries === undefined ? undefined : readCInteger(e.attrs.retries, 0)
            const retries = read === undefined || read.negative || read.magnitude > 0xffffffff ? undefined : read.magnitude
            if (retries !== undefined && retries < 0xfff) return { message: 'HyperV spinlock retry count must be at least 4095', path: `${path}/@retries` }
          } else if (e.name === 'vendor_id') {
            const value = e.attrs.value
            if (value === undefined) return { message: "missing 'value' attribute for HyperV feature 'vendor_id'", path }
            // (STRLIM counts bytes: seven `é` are 14, refused — seen on libvirtd 9.0)
            if (utf8Length(value) > 12) return { message: 'HyperV vendor_id value must not be more than 12 characters.', path: `${path}/@value` }
            if (value.includes(',')) return { message: 'HyperV vendor_id value is invalid', path: `${path}/@value` }
          } else if (e.name === 'stimer' || (e.name === 'tlbflush' && !v9)) {
            const parts = e.name === 'stimer' ? ['direct'] : ['direct', 'extended']
            // (its children walked in order: a switch whose state does not read is met first — attributeReads' words,
            // `<direct state='x'/><bogus/>`, probe h43-hv-st-directbad-bogus, libvirtd 9.0)
            const odd = e.children.find((c) => !parts.includes(c.name) || (c.attrs.state !== 'on' && c.attrs.state !== 'off'))
            if (odd && !parts.includes(odd.name)) return { code: 'preview-refused', message: `unsupported Hyper-V ${e.name} feature: ${odd.name}`, path: `${path}/${odd.name}` }
          }
        }
      }
      return undefined
    },
  },
  // virDomainFeaturesKVMDefParse: a feature it does not know; a dirty ring of a size KVM takes
  {
    code: 'preview-refused', stage: 'parse', within: [['features', 'kvm']],
    check: (ctx) => {
      const features = child(ctx.domain, 'features')!
      for (const kvm of kids(features, 'kvm')) for (const f of kvm.children) {
        if (!kvmFeatures.includes(f.name)) return { message: `unsupported KVM feature: ${f.name}`, path: `${featurePath(features, kvm)}/${f.name}` }
        if (f.name !== 'dirty-ring' || f.attrs.state !== 'on' || f.attrs.size === undefined) continue
        // (its size as virXMLPropUInt reads it, base 0 — `0x400` and `02000` are 1024; one that does not read is left
        // to attributeReads' words, read first — `-4096`, seen on libvirtd 9.0)
        const read = readCInteger(f.attrs.size, 0)
        if (read === undefined || read.negative || read.magnitude > 0xffffffff) continue
        const size = read.magnitude
        if (size === 0 || (size & (size - 1)) !== 0 || size < 1024 || size > 65536) {
          return { code: 'preview-invalid-value', message: 'dirty ring must be power of 2 and ranges [1024, 65536]', path: `${featurePath(features, kvm)}/dirty-ring/@size` }
        }
      }
      return undefined
    },
  },
  // virDomainNumaDefParseXML: guest NUMA cells are numbered 0…n-1, one cell each (a cell without an id is its place),
  // with vCPUs no other cell has, and distances to cells that exist (virDomainNumaDefNodeDistanceParseXML)
  { code: 'preview-invalid-value', stage: 'parse', within: [['cpu', 'numa']], check: numaParse },
  // virDomainDefParseXML, right after: the cells name no more vCPUs, and none higher, than the domain has (libvirtd
  // 9.0's words; read before any device, so before what post-parse and validation refuse) — virDomainNumaGetMaxCPUID
  // starts from 0, so a domain of no vCPUs is refused here with or without cells (the same in 11.3)
  {
    code: 'preview-refused', stage: 'parse', within: [['cpu', 'numa'], ['vcpu']],
    check: (ctx) => {
      const cells = kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell')
      const vcpus = Number(textIn(child(ctx.domain, 'vcpu')) || '1')
      if (cells.length === 0) return vcpus === 0 ? { message: 'CPU IDs in <numa> exceed the <vcpu> count', path: 'domain/cpu/numa' } : undefined
      let named = 0
      let highest = 0
      // (the vCPUs of each cell's place: a cell read again over its id's place replaces them when it names some)
      const byPlace = new Map<number, ReturnType<typeof readBitmap>>()
      for (const [i, c] of cells.entries()) {
        if (c.attrs.cpus === undefined) continue
        const set = readBitmap(c.attrs.cpus, `domain/cpu/numa/cell[${i + 1}]/@cpus`)
        const place = c.attrs.id === undefined ? i : Number(readCInteger(c.attrs.id, 10)?.magnitude ?? i)
        if (set.length > 0 || !byPlace.has(place)) byPlace.set(place, set)
      }
      for (const set of byPlace.values()) {
        named += bitmapSize(set)
        if (set.length > 0) highest = Math.max(highest, set[set.length - 1]![1])
      }
      if (named > vcpus) return { message: 'Number of CPUs in <numa> exceeds the <vcpu> count', path: 'domain/cpu/numa' }
      if (highest >= vcpus) return { message: 'CPU IDs in <numa> exceed the <vcpu> count', path: 'domain/cpu/numa' }
      return undefined
    },
  },
  // virDomainNumatuneParseXML, virDomainNumatuneNodeParseXML: <numatune>
  { code: 'preview-invalid-value', stage: 'parse', within: [['numatune']], check: numatuneParse },
  // virDomainNumatuneNodeParseXML: per-node bindings need static placement, then guest NUMA cells (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', within: [['numatune']],
    check: (ctx) => {
      const numatune = child(ctx.domain, 'numatune')
      if (!numatune || kids(numatune, 'memnode').length === 0) return undefined
      if (numatunePlacement(ctx) === 'auto') return { message: 'Per-node binding is not compatible with automatic NUMA placement.', path: 'domain/numatune/memnode' }
      if (kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell').length === 0) return { code: 'preview-invalid-value', message: "Element 'memnode' is invalid without any guest NUMA cells", path: 'domain/numatune/memnode' }
      return undefined
    },
  },
  // virDomainResourceDefParse: a <resource> with neither a partition nor a Fibre Channel application ID (each read with
  // virXPathString: an empty one is none) fails without reporting why — libvirtd 9.0 says just this (11.3 alike)
  {
    code: 'preview-refused', stage: 'parse', within: [['resource']],
    check: (ctx) => {
      const resource = child(ctx.domain, 'resource')!
      if (resourceAppid(resource) !== undefined || textIn(child(resource, 'partition')) !== '') return undefined
      return { message: 'An error occurred, but the cause is unknown', path: 'domain/resource' }
    },
  },
  // virDomainDefResourceValidate: the Fibre Channel application ID printable ASCII (virStringIsPrintable), of 1 to 128 bytes
  {
    code: 'preview-refused', stage: 'validate', generic: 'resource', within: [['resource', 'fibrechannel']],
    check: (ctx) => {
      const appid = resourceAppid(child(ctx.domain, 'resource')!)
      if (appid === undefined) return undefined
      if (!/^[\x20-\x7e]*$/.test(appid)) return { code: 'preview-invalid-value', message: "Fibre Channel 'appid' is not a printable string", path: 'domain/resource/fibrechannel/@appid' }
      if (appid.length > 128) return { message: "Fibre Channel 'appid' string length must be between [1, 128]", path: 'domain/resource/fibrechannel/@appid' }
      return undefined
    },
  },
  // virDomainNumaDefValidate: restrictive modes together (libvirtd 9.0 takes a restrictive memnode without a <memory>), cache levels, interconnects between nodes that exist
  { code: 'preview-invalid-value', stage: 'validate', generic: 'numa', within: [['cpu', 'numa']], check: numaValidate },
  // virSysinfoBIOSParseXML: the SMBIOS BIOS date
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['sysinfo']],
    check: (ctx) => {
      for (const sysinfo of kids(ctx.domain, 'sysinfo')) {
        if (sysinfo.attrs.type !== 'smbios') continue
        const date = kids(child(sysinfo, 'bios'), 'entry').find((e) => e.attrs.name === 'date')
        // (an empty date is none to virXPathString: not checked, not kept — libvirtd 9.0)
        if (date && (date.text ?? '') !== '' && !biosDateValid(date.text ?? '')) return { message: "Invalid BIOS 'date' format", path: `${sysinfoPath(ctx, sysinfo)}/bios/entry[@name='date']` }
      }
      return undefined
    },
  },
  // libvirt 9.0's parser: one ACPI table, of type 'slic' (later versions take several, and 'raw' and 'msdm') — counted
  // as `./os/acpi/table` finds them, in every <acpi> of the OS (the repeat-child search edit, seed 740)
  {
    code: 'preview-invalid-value', stage: 'parse', only9: true, within: [['os', 'acpi']],
    check: (ctx) => {
      const tables = acpiTables(ctx)
      if (tables.length > 1) return { message: 'Only one acpi table is supported', path: 'domain/os/acpi/table[2]' }
      const type = tables[0]?.attrs.type
      if (tables.length === 1 && type === undefined) return { message: 'Missing acpi table type', path: 'domain/os/acpi/table' }
      if (type !== undefined && type !== 'slic') return { message: `Unknown acpi table type: ${type}`, path: 'domain/os/acpi/table/@type' }
      return undefined
    },
  },
  // libvirt 11's parser (virDomainDefParseBootAcpiOptions): each table of `./os/acpi/table` in turn — its type required, one
  // of virDomainOsACPITable's names, and but `raw` each type once
  {
    code: 'preview-invalid-value', stage: 'parse', since11: true, within: [['os', 'acpi']],
    check: (ctx) => {
      const seen = new Set<string>()
      for (const [i, table] of acpiTables(ctx).entries()) {
        const path = `domain/os/acpi/table[${i + 1}]`
        const type = table.attrs.type
        if (type === undefined) return { message: "Missing required attribute 'type' in element 'table'", path }
        if (!(acpiTableTypes as readonly string[]).includes(type)) return { message: `Invalid value for attribute 'type' in element 'table': '${type}'.`, path: `${path}/@type` }
        if (seen.has(type) && type !== 'raw') return { message: `ACPI table type '${type}' may only appear once`, path: `${path}/@type` }
        seen.add(type)
      }
      return undefined
    },
  },
  // libvirt 11's parser (virDomainDefThrottleGroupsParse): each group of `./throttlegroups/throttlegroup` in turn — its
  // limits in virDomainThrottleGroupDefParseXML's order, unsigned long longs (virXPathULongLong: an empty one is none),
  // then its name, required, and not a name an earlier group has
  {
    code: 'preview-invalid-value', stage: 'parse', since11: true, within: [['throttlegroups']],
    check: (ctx) => {
      const names = new Set<string>()
      for (const [i, group] of throttleGroups(ctx).entries()) {
        const path = `domain/throttlegroups/throttlegroup[${i + 1}]`
        for (const name of diskIotuneLimits) {
          const text = child(group, name)?.text ?? ''
          if (text !== '' && readCUnsignedLongLong(text, 10) === undefined) return { message: `throttle group field '${name}' must be an integer`, path: `${path}/${name}` }
        }
        const name = textIn(child(group, 'group_name'))
        if (name === '') return { message: 'missing group name', path: `${path}/group_name` }
        if (names.has(name)) return { message: `duplicate group name '${name}' found`, path: `${path}/group_name` }
        names.add(name)
      }
      return undefined
    },
  },
  // virDomainDefValidateThrottleGroups (libvirt 11): a group's limits as a disk's (virDomainDiskIoTuneValidate)
  {
    code: 'preview-invalid-value', stage: 'validate', generic: 'throttle-groups', since11: true, within: [['throttlegroups']],
    check: (ctx) => {
      for (const [i, group] of throttleGroups(ctx).entries()) {
        const conflict = iotuneTotalsConflict(group)
        if (conflict) return { message: conflict.message, path: `domain/throttlegroups/throttlegroup[${i + 1}]/${conflict.at}` }
      }
      return undefined
    },
  },
  // qemuValidateDomainDefBoot (libvirt 11): a `rawset` table is another hypervisor's
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'boot', since11: true, within: [['os', 'acpi']],
    check: (ctx) => {
      const at = acpiTables(ctx).findIndex((t) => t.attrs.type === 'rawset')
      return at < 0 ? undefined : { message: "ACPI table type 'rawset' is not supported", path: `domain/os/acpi/table[${at + 1}]/@type` }
    },
  },
  // virDomainDefParseXML: the memory backing's source type, access mode and allocation mode of their enumerations (the
  // first name of each, `none` or `default`, is refused too; an empty one is none), its allocation threads an unsigned
  // int (libvirtd 9.0's words; the odd-value search edit found them)
  {
    code: 'preview-refused', stage: 'parse', within: [['memoryBacking']],
    check: (ctx) => {
      const backing = child(ctx.domain, 'memoryBacking')
      for (const [element, attribute, names] of memoryBackingModes) {
        const value = child(backing, element)?.attrs[attribute]
        if (value !== undefined && value !== '' && !names.includes(value)) return { message: `unknown memoryBacking/${element}/${attribute} '${value}'`, path: `domain/memoryBacking/${element}/@${attribute}` }
      }
      const threads = child(backing, 'allocation')?.attrs.threads
      if (threads !== undefined && threads !== '') {
        const read = readCInteger(threads, 10)
        if (!read || read.negative || read.magnitude > 0xffffffff) return { code: 'preview-invalid-value', message: 'Failed to parse memory allocation threads', path: 'domain/memoryBacking/allocation/@threads' }
      }
      return undefined
    },
  },
  // virDomainHugepagesParseXML: each huge page's size reads as a memory size (required; an empty one is none) and is not
  // 0; then its node set, a bitmap naming a node (virBitmapParse: an empty one does not read — libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['memoryBacking', 'hugepages']],
    check: (ctx) => {
      const pages = kids(child(child(ctx.domain, 'memoryBacking'), 'hugepages'), 'page')
      for (let i = 0; i < pages.length; i++) {
        const page = pages[i]!
        const path = `domain/memoryBacking/hugepages/page[${i + 1}]/@size`
        const size = page.attrs.size
        if (size === undefined || size === '') return { message: "missing element or attribute './@size'", path }
        const read = readLibvirtMemory(size, page.attrs.unit || 'KiB', './@size')
        if ('error' in read) return { message: read.error, path }
        if (read.kib === 0) return { message: "hugepage size can't be zero", path }
        const nodeset = page.attrs.nodeset
        if (nodeset === undefined) continue
        const nodes = parseBitmap(nodeset, cpuMaskLength)
        if (nodes === undefined) return { message: `Failed to parse bitmap '${nodeset}'`, path: `domain/memoryBacking/hugepages/page[${i + 1}]/@nodeset` }
        if (nodes.length === 0) return { message: `Invalid value of 'nodeset': ${nodeset}`, path: `domain/memoryBacking/hugepages/page[${i + 1}]/@nodeset`, code: 'preview-refused' }
      }
      return undefined
    },
  },
  // virDomainDefParseBootLoaderOptions: an NVRAM of storage type `none` (virStorage's 0, which its reader takes) is
  // refused by the storage source parser with a source ("unexpected disk type none"), else with no error reported —
  // libvirtd 9.0's words, the odd-form search edit; the same code in 11.3
  {
    code: 'preview-refused', stage: 'parse', within: [['os', 'nvram']],
    check: (ctx) => {
      const nvram = child(child(ctx.domain, 'os'), 'nvram')
      const type = nvram?.attrs.type
      // (a type the reader takes: another is refused in its words, the attribute reads' row)
      if (type === undefined || (type !== 'none' && !(isLibvirt9(ctx) ? storageTypes9 : deviceNames.storageTypes).includes(type))) return undefined
      // (a typed NVRAM without a <source> fails the same way, whatever its type: virDomainLoaderDefParseXMLNvram)
      if (!child(nvram, 'source')) return { message: 'An error occurred, but the cause is unknown', path: 'domain/os/nvram' }
      return type === 'none' ? { message: 'unexpected disk type none', path: 'domain/os/nvram/@type' } : undefined
    },
  },
  // virDomainVcpuParse: each `<vcpus>` entry's ID is one of the domain's vCPUs (one when no <vcpu> says how many) — read
  // at parse, before any validation (the default mix, seed 293, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['vcpus']],
    check: (ctx) => {
      const count = child(ctx.domain, 'vcpu')
      const max = count === undefined ? 1 : readCUnsigned(textIn(count), 'uint')
      if (max === undefined) return undefined
      for (const v of kids(child(ctx.domain, 'vcpus'), 'vcpu')) {
        const id = v.attrs.id === undefined ? undefined : uint(v.attrs.id)
        if (id !== undefined && BigInt(id) >= max) return { message: `vcpu id '${id}' is out of range of maximum vcpu count`, path: `domain/vcpus/vcpu[@id='${v.attrs.id}']` }
      }
      return undefined
    },
  },
  // virDomainDefParseMemory: the slot count reads as an unsigned int (virXPathUInt; empty is none)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['maxMemory']],
    check: (ctx) => {
      const slots = child(ctx.domain, 'maxMemory')?.attrs.slots
      return slots !== undefined && slots !== '' && uint(slots) === undefined ? { message: 'Failed to parse memory slot count', path: 'domain/maxMemory/@slots' } : undefined
    },
  },
  // qemuValidateDomainDef, in its order: the machine's ACPI (libvirt 11: from the capabilities' machine types),
  // min_guarantee, UEFI without ACPI on x86, ACPI without UEFI on aarch64, a VM generation ID without QEMU's vmgenid, the BIOS serial console,
  // the lifecycle actions QEMU has (qemuValidateLifecycleAction)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'machine',
    check: (ctx) => {
      const features = child(ctx.domain, 'features')
      const acpi = child(features, 'acpi') !== undefined && (child(features, 'acpi')!.attrs.state ?? 'on') === 'on'
      // (qemuDomainDefACPIPostParse drops it on s390x from a definition read without an ABI update: not at define)
      if (!isLibvirt9(ctx) && acpi && ctx.machine?.acpi === false && (ctx.options.abiUpdate || !isS390(ctx))) return { message: `machine type '${machineName(ctx)}' does not support ACPI`, path: 'domain/features/acpi' }
      // (a guarantee of none or 0 KiB is none: `def->mem.min_guarantee` — libvirtd 9.0)
      const guarantee = child(child(ctx.domain, 'memtune'), 'min_guarantee')
      const guaranteed = guarantee !== undefined && (guarantee.text ?? '') !== '' ? readLibvirtMemory(guarantee.text!, guarantee.attrs.unit, './memtune/min_guarantee[1]') : undefined
      if (guaranteed !== undefined && ('error' in guaranteed || guaranteed.kib > 0)) return { message: "Parameter 'min_guarantee' not supported by QEMU.", path: 'domain/memtune/min_guarantee' }
      const o = os(ctx)
      if (isX86(ctx) && !acpi && (o?.attrs.firmware === 'efi' || child(o, 'loader')?.attrs.type === 'pflash')) return { message: 'UEFI requires ACPI on this architecture', path: 'domain/features' }
      // on aarch64, ACPI needs UEFI (autoselected, or a pflash loader; before the lifecycle actions: virt-install's aarch64
      // domains on libvirtd 9.0). libvirt 11 selected the firmware already, and a loader written without a type matches no
      // descriptor (qemuFirmwareOSInterfaceTypeFromOsDefLoaderType: no interface) — it is a ROM (libvirtd 11.3)
      if (acpi && arch(ctx) === 'aarch64' && o?.attrs.firmware !== 'efi' && child(o, 'loader')?.attrs.type !== 'pflash') return { message: 'ACPI requires UEFI on this architecture', path: 'domain/features/acpi' }
      if (child(ctx.domain, 'genid') && !has(ctx, 'vmgenid')) return { message: "this QEMU does not support the 'genid' capability", path: 'domain/genid' }
      if (child(o, 'bios')?.attrs.useserial === 'yes') {
        if (!isX86(ctx)) return { message: 'BIOS serial console only supported on x86 architectures', path: 'domain/os/bios/@useserial' }
        // (a serial console without a serial port becomes serial port 0 in post-parse: a console without a target type is one)
        if (devicesOfKind(ctx, 'serial').length === 0) {
          const console = devicesOfKind(ctx, 'console')[0]
          const type = console ? child(console, 'target')?.attrs.type : undefined
          if (!console || (type !== undefined && type !== 'serial')) return { code: 'preview-invalid-value', message: 'need at least one serial port to use BIOS serial output', path: 'domain/os/bios/@useserial' }
        }
      }
      const action = (event: string) => textIn(child(ctx.domain, `on_${event}`))
      if (['poweroff', 'reboot', 'crash'].some((e) => action(e) === 'rename-restart')) return { message: "qemu driver doesn't support the 'rename-restart' action for 'on_reboot'/'on_poweroff'/'on_crash'", path: 'domain' }
      if (action('poweroff') === 'preserve' || action('reboot') === 'preserve') return { message: "qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'", path: 'domain' }
      if (action('poweroff') === 'restart' && action('reboot') === 'destroy') return { message: "qemu driver doesn't support 'onReboot' set to 'destroy and 'onPoweroff' set to 'reboot'", path: 'domain/on_reboot' }
      return undefined
    },
  },
  // qemuValidateDomainVCpuTopology (after qemuValidateDomainDef's own checks above and its CPU, memory hot-plug,
  // I/O thread, timer, power management and boot ones, which this table lists elsewhere): the topology makes the
  // vCPU count (9.0 does not know clusters and ignores them); then the vCPUs present at boot are whole hot-plug units — on pSeries a core, its threads (qemuValidateDefGetVcpuHotplugGranularity:
  // read from the topology, not the capabilities; libvirt 9.0 checks it when QEMU has query-hotpluggable-cpus, seen there)
  // qemuValidateDomainVCpuTopology, first: no more vCPUs than the machine takes (virQEMUCapsGetMachineMaxCpus) — after the
  // domain's CPU, memory hot-plug, timer, PM and boot checks (an ARM domain's emulated timer, PM or BIOS serial console
  // refused first: probes h31-x*, libvirtd 9.0); a count past preview's own limit ends in the rule vcpu-limit
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'vcpu-topology', within: [['vcpu']],
    check: (ctx) => {
      const limit = ctx.machine?.maxCpus
      const text = child(ctx.domain, 'vcpu')?.text
      return limit !== undefined && text !== undefined && Number(text) > limit ? { message: `Maximum CPUs greater than specified machine type limit ${limit}`, path: 'domain/vcpu' } : undefined
    },
  },
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'vcpu-topology', within: [['cpu', 'topology']],
    check: (ctx) => {
      const topology = child(child(ctx.domain, 'cpu'), 'topology')
      if (!topology) return undefined
      const names = ['sockets', 'dies', ...(isLibvirt9(ctx) ? [] : ['clusters']), 'cores', 'threads']
      const values = names.map((n) => (topology.attrs[n] === undefined && (n === 'dies' || n === 'clusters') ? 1 : uint(topology.attrs[n])))
      // (a domain without <vcpu> has one: libvirtd 9.0 refuses a topology of more)
      const vcpuElement = child(ctx.domain, 'vcpu')
      const vcpus = vcpuElement === undefined ? 1 : uint(textIn(vcpuElement))
      if (vcpus === undefined || values.some((v) => v === undefined || v === 0)) return undefined
      const product = values.reduce<number>((a, v) => a * v!, 1)
      // (a topology of more than 2^32 - 1 vCPUs is refused by the generic validation, after this: cpuTopologyOverflow)
      if (cpuTopologyOverflows(values as number[])) return undefined
      if (product !== vcpus) return { message: "CPU topology doesn't match maximum vcpu count", path: 'domain/cpu/topology' }
      if (!isPSeries(ctx) || (isLibvirt9(ctx) && !has(ctx, 'query-hotpluggable-cpus'))) return undefined
      const granularity = values[values.length - 1]!
      // (a <vcpus> list decides which are online, `current` ignored: virDomainVcpuParse — each ID's last `enabled`)
      const listed = kids(child(ctx.domain, 'vcpus'), 'vcpu')
      const online = new Map<string, boolean>()
      for (const v of listed) if (v.attrs.id !== undefined) online.set(String(uint(v.attrs.id) ?? v.attrs.id), v.attrs.enabled === 'yes')
      const current = listed.length > 0 ? [...online.values()].filter(Boolean).length : vcpuElement?.attrs.current === undefined ? vcpus : uint(vcpuElement.attrs.current)
      const at = listed.length > 0 ? 'domain/vcpus' : vcpuElement?.attrs.current === undefined ? 'domain/vcpu' : 'domain/vcpu/@current'
      return current !== undefined && current % granularity !== 0
        ? { message: `vCPUs count must be a multiple of the vCPU hotplug granularity (${granularity})`, path: at } : undefined
    },
  },
  // virDomainDefValidateIOThreads (the generic validation's last step): each I/O thread's pool, then the default thread's
  // — a maximum of 0 is none, and a minimum above the maximum is refused, one left out counting as -1 (so a minimum
  // alone is refused: libvirtd 9.0, and 11.3's source alike)
  {
    code: 'preview-refused', stage: 'validate', generic: 'iothreads', within: [['iothreadids'], ['defaultiothread']],
    check: (ctx) => {
      const pools = [...kids(child(ctx.domain, 'iothreadids'), 'iothread'), ...kids(ctx.domain, 'defaultiothread').slice(0, 1)]
      for (const t of pools) {
        const read = (name: string): number => (t.attrs[name] === undefined ? -1 : readCInt(t.attrs[name]!, 10) ?? -1)
        const [min, max] = [read('thread_pool_min'), read('thread_pool_max')]
        const at = t.name === 'iothread' ? `domain/iothreadids/iothread[@id='${t.attrs.id ?? ''}']` : 'domain/defaultiothread'
        if (max === 0) return { message: 'thread_pool_max must be a positive integer', path: `${at}/@thread_pool_max` }
        if (min > max) return { message: 'thread_pool_min must be smaller or equal to thread_pool_max', path: `${at}/@thread_pool_min` }
      }
      return undefined
    },
  },
  // qemuValidateDomainDefVcpus, last: more than 255 vCPUs on x86 need a Q35 machine and an IOMMU with extended interrupt
  // mode (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'vcpu-topology', within: [['vcpu']],
    check: (ctx) => {
      const vcpus = uint(textIn(child(ctx.domain, 'vcpu')))
      if (vcpus === undefined || vcpus <= 255 || !isX86(ctx)) return undefined
      if (!isQ35(ctx)) return { message: 'more than 255 vCPUs are only supported on q35-based machine types', path: 'domain/vcpu' }
      const iommu = devices(ctx).find((d) => d.name === 'iommu')
      const eim = child(iommu, 'driver')?.attrs.eim
      // (as libvirt 11's post-parse leaves the IOMMU: the rule iommu-x2apic's plan)
      const plan = x2apicIommuPlan(ctx, iommu)
      const added = plan === 'add' || (plan === 'eim' && eim === undefined && has(ctx, 'intel-iommu.eim'))
      return eim === 'on' || added ? undefined : { message: 'more than 255 vCPUs require extended interrupt mode enabled on the iommu device', path: 'domain/vcpu' }
    },
  },
  // qemuValidateDomainDefCpu, first: the maximum physical address bits and the CPU cache are x86's; a number of bits is
  // not passed through (nor left out when emulated: libvirt 9.0 alone); host cache modes. libvirtd 9.0's words.
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'cpu', within: [['cpu', 'maxphysaddr'], ['cpu', 'cache']],
    check: (ctx) => {
      const cpu = child(ctx.domain, 'cpu')
      const addr = child(cpu, 'maxphysaddr')
      if (addr) {
        if (!isX86(ctx)) return { message: `CPU maximum physical address bits specification is not supported for '${arch(ctx)}' architecture`, path: 'domain/cpu/maxphysaddr' }
        if (addr.attrs.mode === 'passthrough' && addr.attrs.bits !== undefined) return { message: "CPU maximum physical address bits number specification cannot be used with mode='passthrough'", path: 'domain/cpu/maxphysaddr/@bits' }
        if (isLibvirt9(ctx) && addr.attrs.mode === 'emulate' && addr.attrs.bits === undefined) return { message: "if using CPU maximum physical address mode='emulate', bits= must be specified too", path: 'domain/cpu/maxphysaddr' }
        // (then no more bits than the host CPU's, where the host's CPU says how many: the `hostCpuAddressBits` option)
        const hostBits = ctx.options.hostCpuAddressBits
        if (hostBits !== undefined && addr.attrs.mode === 'emulate' && addr.attrs.bits !== undefined && Number(addr.attrs.bits) > hostBits) return { message: 'The number of virtual CPU address bits cannot exceed the number supported by the host CPU', path: 'domain/cpu/maxphysaddr/@bits' }
      }
      const cache = child(cpu, 'cache')
      if (!cache) return undefined
      if (!isX86(ctx)) return { message: `CPU cache specification is not supported for '${arch(ctx)}' architecture`, path: 'domain/cpu/cache' }
      const mode = cache.attrs.mode
      const level = cache.attrs.level
      const path = 'domain/cpu/cache'
      if (mode === 'emulate' && level !== '3') return { message: "CPU cache mode 'emulate' can only be used with level='3'", path }
      if (mode === 'passthrough') {
        const cpuMode = cpu?.attrs.mode ?? 'custom'
        if (cpuMode !== 'host-passthrough' && cpuMode !== 'maximum') return { message: "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs", path }
      }
      if ((mode === 'passthrough' || mode === 'disable') && level !== undefined) return { message: `unsupported CPU cache level for mode '${mode}'`, path: `${path}/@level` }
      return undefined
    },
  },
  // qemuValidateDomainDefCpu, after the address bits and the cache: a migratable host-passthrough CPU needs QEMU's
  // `migratable` CPU property — `off` does not, nor does a maximum CPU (libvirtd 9.0's words, seen with its aarch64 and
  // i386 QEMUs)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'cpu', within: [['cpu']],
    check: (ctx) => {
      const cpu = child(ctx.domain, 'cpu')
      if (cpu?.attrs.mode === 'host-passthrough' && cpu.attrs.migratable !== undefined && cpu.attrs.migratable !== 'off' && !has(ctx, 'cpu.migratable')) {
        return { message: 'Migratable attribute for host-passthrough CPU is not supported by this QEMU binary', path: 'domain/cpu/@migratable' }
      }
      // (a maximum CPU is QEMU's `max` model: libvirtd 9.0's riscv64 and ppc64 QEMUs lack it — virt-install writes one)
      if (cpu?.attrs.mode === 'maximum' && !has(ctx, 'cpu-max')) return { message: 'maximum CPU is not supported by QEMU binary', path: 'domain/cpu/@mode' }
      return undefined
    },
  },
  // qemuValidateDomainDefPM: ACPI S3/S4 only on x86 (9.0: where QEMU can disable them, one at a time)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'pm', within: [['pm']],
    check: (ctx) => {
      const pm = child(ctx.domain, 'pm')
      const s3 = child(pm, 'suspend-to-mem')?.attrs.enabled !== undefined
      const s4 = child(pm, 'suspend-to-disk')?.attrs.enabled !== undefined
      // (libvirt 9.0 asks QEMU for the disable-s3/disable-s4 properties instead of the arch: its ppc64 QEMU has them)
      if (isLibvirt9(ctx)) {
        if (s3 && !has(ctx, 'disable-s3')) return { message: 'setting ACPI S3 not supported', path: 'domain/pm' }
        if (s4 && !has(ctx, 'disable-s4')) return { message: 'setting ACPI S4 not supported', path: 'domain/pm' }
      } else if ((s3 || s4) && !isX86(ctx)) return { message: 'setting ACPI S3/S4 not supported', path: 'domain/pm' }
      return undefined
    },
  },
  // qemuValidateDomainDef, after the vCPU topology: cache tuning only with KVM
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'cachetune', within: [['cputune']],
    check: (ctx) => {
      const cputune = child(ctx.domain, 'cputune')
      // (groups libvirt kept: one whose vCPUs all lie beyond the domain's, or that allocates nothing, is none)
      if ((child(cputune, 'cachetune') || child(cputune, 'memorytune')) && ctx.domain.attrs.type !== 'kvm') {
        const read = readResctrls(ctx.domain, isLibvirt9(ctx))
        if (!('resctrls' in read) || read.resctrls.length > 0) return { message: 'cachetune is only supported for KVM domains', path: 'domain/cputune' }
      }
      return undefined
    },
  },
  // qemuValidateDomainDefNuma: a guest NUMA topology's HMAT (caches or interconnects) is QEMU's numa.hmat
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'numa', within: [['cpu', 'numa']],
    check: (ctx) => {
      const numa = child(child(ctx.domain, 'cpu'), 'numa')
      const links = kids(child(numa, 'interconnects')).some((l) => l.name === 'latency' || l.name === 'bandwidth')
      const hmat = links || numaCells(ctx).some((c) => child(c, 'cache') !== undefined)
      return hmat && !has(ctx, qemuDeviceFlags.domain.numaHmat.flag) ? { message: qemuDeviceFlags.domain.numaHmat.message, path: links ? 'domain/cpu/numa/interconnects' : 'domain/cpu/numa/cell/cache' } : undefined
    },
  },
  // qemuValidateDomainDefIOThreads: an I/O thread pool (any I/O thread's or the default one's minimum or maximum) is QEMU's
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'iothreads', within: [['iothreadids'], ['defaultiothread']],
    check: (ctx) => {
      const pools = [...kids(child(ctx.domain, 'iothreadids'), 'iothread'), ...kids(ctx.domain, 'defaultiothread').slice(0, 1)]
      // (read as ints, -1 when not written: an I/O thread's other than -1, the default thread's from 0 up)
      const read = (t: N, name: string): number => (t.attrs[name] === undefined ? -1 : readCInt(t.attrs[name]!, 10) ?? -1)
      const set = pools.find((t) => ['thread_pool_min', 'thread_pool_max'].some((name) => (t.name === 'iothread' ? read(t, name) !== -1 : read(t, name) >= 0)))
      return set !== undefined && !has(ctx, qemuDeviceFlags.domain.iothreadPool.flag)
        ? { message: qemuDeviceFlags.domain.iothreadPool.message, path: set.name === 'iothread' ? `domain/iothreadids/iothread[@id='${set.attrs.id ?? ''}']` : 'domain/defaultiothread' } : undefined
    },
  },
  // qemuValidateDomainDefMemory: huge pages are preallocated file-backed memory
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'memory', within: [['memoryBacking']],
    check: (ctx) => {
      const backing = child(ctx.domain, 'memoryBacking')
      // (an empty <hugepages/> is one default-size page)
      if (!child(backing, 'hugepages')) return undefined
      const flags = qemuDeviceFlags.domain
      if (child(backing, 'allocation')?.attrs.mode === 'ondemand') return { message: 'hugepages are not allowed with memory allocation ondemand', path: 'domain/memoryBacking/allocation/@mode' }
      // (preallocation threads, then the source: QEMU's memory backend properties)
      if ((uint(child(backing, 'allocation')?.attrs.threads) ?? 0) > 0 && !has(ctx, flags.preallocThreads.flag)) return { message: flags.preallocThreads.message, path: 'domain/memoryBacking/allocation/@threads' }
      if (child(backing, 'source')?.attrs.type === 'anonymous') return { message: 'hugepages are not allowed with anonymous memory source', path: 'domain/memoryBacking/source/@type' }
      if (child(backing, 'source')?.attrs.type === 'memfd' && !has(ctx, flags.memfdHugepages.flag)) return { message: flags.memfdHugepages.message, path: 'domain/memoryBacking/source/@type' }
      // (an access mode other than private needs guest NUMA nodes unless the machine has a default RAM backend QEMU
      // names — the capabilities' defaultRAMid; a first page of the host's own size is exempt: 4 KiB is left to the host)
      const access = child(backing, 'access')?.attrs.mode
      if (access !== undefined && access !== 'private' && ctx.machine !== undefined && ctx.machine.defaultRAMid === undefined && numaCells(ctx).length === 0) {
        const page = kids(child(backing, 'hugepages'), 'page')[0]
        const size = page?.attrs.size === undefined ? undefined : readLibvirtMemory(page.attrs.size, page.attrs.unit || 'KiB', './@size')
        if (!(size && 'kib' in size && size.kib === 4)) return { message: `memory access mode '${access}' not supported without guest numa node`, path: 'domain/memoryBacking/access/@mode' }
      }
      return undefined
    },
  },
  // qemuValidateDomainDef (launch security): each type its QEMU flags (model's qemuDeviceFlags.launchSecurity) — 9.0 in
  // words of SEV's and s390 PV's own, 11.3 naming the type (virQEMUCapsFillDomainLaunchSecurity: SEV-SNP's too) —, then SEV's
  // kernel hashes their flag and s390 PV a host whose KVM runs such guests
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'launch-security', within: [['launchSecurity']],
    check: (ctx) => {
      const sec = child(ctx.domain, 'launchSecurity')
      const type = sec?.attrs.type
      const checks = qemuDeviceFlags.launchSecurity
      const flags = type === undefined ? undefined : checks.types[type]
      if (!sec || type === undefined || flags === undefined) return undefined
      if (!flags.every((flag) => has(ctx, flag))) {
        const message = isLibvirt9(ctx) ? checks.words9[type] : checks.words11.replace('%s', type)
        return message === undefined ? undefined : { message, path: 'domain/launchSecurity' }
      }
      if (type === 'sev' && sec.attrs.kernelHashes !== undefined && !has(ctx, checks.sevKernelHashes.flag)) return { message: checks.sevKernelHashes.message, path: 'domain/launchSecurity/@kernelHashes' }
      if (type !== 's390-pv') return undefined
      // (libvirt's test host says yes whenever QEMU has both: tests/domaincapsmock.c)
      const secure = ctx.caps.kvmSupportsSecureGuest === true || ctx.options.testHost !== undefined
      return secure ? undefined : { message: 'S390 PV launch security is not supported by this host or kernel', path: 'domain/launchSecurity' }
    },
  },
  // qemuDomainDefValidateMemoryHotplug: memory devices need memory hot-plug, which needs guest NUMA (but on ppc64, where QEMU adds one)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'memory-hotplug',
    check: (ctx) => {
      const max = child(ctx.domain, 'maxMemory')
      if (!max || (kib(max) ?? 0) === 0) {
        // (any memory device, an SGX EPC section too: nmems — seen on libvirtd 9.0, and so 11.3's source)
        const mem = devicesOfKind(ctx, 'memory').length > 0 ? 0 : -1
        return mem >= 0 ? { message: "cannot use/hotplug a memory device when domain 'maxMemory' is not defined", path: `domain/devices/memory[${mem + 1}]` } : undefined
      }
      if (arch(ctx).startsWith('ppc64') || numaCells(ctx).length > 0) return undefined
      // (libvirt 11 leaves s390 to QEMU too; and with an ABI update, as `virsh define` parses, it adds the node itself
      // — qemuDomainDefNumaAutoAdd, see the memory-kib rule — but on s390's CCW machine)
      if (!isLibvirt9(ctx) && (isS390(ctx) || ctx.options.abiUpdate)) return undefined
      return { message: 'At least one numa node has to be configured when enabling memory hotplug', path: 'domain/maxMemory' }
    },
  },
  // virDomainControllerDefValidate (every machine's PCI controllers, by index as libvirt keeps them): an index up to 255;
  // a target index (pSeries PHBs) in 0–30, 0 for index 0 alone; chassisNr, chassis, port and busNr in their ranges;
  // no NUMA node for index 0. libvirtd 9.0's words (seen with a pSeries PHB of target index 31).
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    // (placed at the controller it refuses: virDomainDeviceInfoIterate meets the controllers one by one)
    check: (ctx) => {
      const found = pciControllerRangeRefusal(ctx)
      // (a root bus's address: the row of its own)
      return found !== undefined && found.address !== true && rowDevices(ctx).includes(found.controller) ? { message: found.message, path: found.path } : undefined
    },
  },
  // qemu_domain.c (PCI controllers' NUMA node): a PCI controller's node is one of the guest's NUMA nodes (an expander bus,
  // a PHB; on any other model validation refuses it after this, as a pci-root of index 0 — seen on libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['controller'],
    check: (ctx) => {
      const found = pciControllerPostParseRefusal(ctx)
      return found?.kind === 'node' ? found : undefined
    },
  },
  // qemuDomainMemoryDefPostParse → qemuDomainNVDimmAlignSizePseries (with an ABI update, ppc64): an NVDIMM's guest area,
  // its size less the label, is aligned down to 256 MiB and cannot be smaller — a device post-parse refusal (memory
  // devices after the disks and controllers: this row after theirs, the PCI controllers' NUMA node above), before the
  // addresses' (sPAPR VIO registers taken twice) and any validation (probes h28-multi-*, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'device', kinds: ['memory'],
    check: (ctx) => {
      if (!ctx.options.abiUpdate || !arch(ctx).startsWith('ppc64')) return undefined
      const mems = rowDevices(ctx).filter((d) => d.name === 'memory')
      for (const [i, d] of mems.entries()) {
        const size = d.attrs.model === 'nvdimm' ? child(child(d, 'target'), 'size') : undefined
        const sizeKib = size ? kib(size) : undefined
        if (sizeKib === undefined) continue
        const labelNode = child(child(child(d, 'target'), 'label'), 'size')
        const label = labelNode ? kib(labelNode) ?? 0 : 0
        if (sizeKib - label < 262144) return { message: 'minimum target size for the NVDIMM must be 256MB plus the label size', path: `domain/devices/memory[${i + 1}]/target/size` }
      }
      return undefined
    },
  },
  // qemuDomainAssignMemorySlots (post-parse, the last of the addresses): the DIMMs without a slot take the free ones, in order
  {
    code: 'preview-refused', stage: 'validate', postParse: 'addresses', kinds: ['memory'],
    check: (ctx) => {
      const hotplug = memorySlots(ctx)
      if (!hotplug) return undefined
      const { slots, mems, dimms, slotOf } = hotplug
      // (any memory device's DIMM address takes its slot, a virtio-mem device's too: qemuDomainGetMemorySlotMap)
      const taken = new Set(mems.map(slotOf).filter((x): x is number => x !== undefined && x < slots))
      const needing = dimms.filter((m) => slotOf(m) === undefined)
      if (needing.length > slots - taken.size) return { message: 'failed to find an empty memory slot', path: `domain/devices/memory[${mems.indexOf(needing[slots - taken.size]!) + 1}]` }
      return undefined
    },
  },
  // qemuDomainDefValidateMemoryHotplug and qemuDomainDefValidateMemoryHotplugDevice (validation, not post-parse: a PCI
  // address or an sPAPR VIO register refused at post-parse is reported first — probes h28-multic-*, libvirtd 9.0): the
  // slots counted, each DIMM's slot and base, and a guest NUMA node when the domain has some
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'memory-hotplug', kinds: ['memory'],
    check: (ctx) => {
      const hotplug = memorySlots(ctx)
      if (!hotplug) return undefined
      if (!isLibvirt9(ctx)) return memoryHotplugDevices11(ctx, hotplug)
      const { slots, mems, slotOf } = hotplug
      // validation: 9.0 counts every memory device against the slots, before any device's checks
      if (mems.length > slots) return { message: `memory device count '${mems.length}' exceeds slots count '${slots}'`, path: 'domain/maxMemory/@slots' }
      const cells = numaCells(ctx).length
      const baseOf = dimmBase
      // (a virtio memory device's address — CCW on s390 when none was written — is refused before its node)
      const badAddress = (m: N): boolean => {
        const type = memoryAddressType(ctx, m)
        return (m.attrs.model === 'virtio-pmem' || m.attrs.model === 'virtio-mem') && type !== undefined && type !== 'none' && type !== 'pci'
      }
      // (9.0 walks every device in the domain's order, each checked whole before the next: a virtio device's address
      // and a virtio-mem device's node among the DIMMs' checks — the next rule's words for the address; probe
      // h50-fz-489, libvirtd 9.0)
      for (const m of mems) {
        const path = `domain/devices/memory[${mems.indexOf(m) + 1}]`
        if (m.attrs.model === 'virtio-pmem' || m.attrs.model === 'virtio-mem') {
          if (badAddress(m)) return { message: `only 'pci' addresses are supported for the ${m.attrs.model} device`, path: `${path}/address/@type` }
          if (m.attrs.model === 'virtio-mem' && cells > 0 && !hasTargetNode(m)) return { message: 'target NUMA node needs to be specified for memory device', path: `${path}/target` }
          continue
        }
        if (m.attrs.model !== 'dimm' && m.attrs.model !== 'nvdimm') continue
        if (cells > 0 && !hasTargetNode(m)) return { message: 'target NUMA node needs to be specified for memory device', path: `${path}/target` }
        const slot = slotOf(m)
        if (slot !== undefined && slot >= slots) return { message: `memory device slot '${slot}' exceeds slots count '${slots}'`, path: `${path}/address/@slot` }
        const base = baseOf(m)
        // (against every other memory device with a DIMM address, of any model: qemuCheckMemoryDimmConflict)
        for (const other of mems) {
          if (other === m) continue
          if (slot !== undefined && slotOf(other) === slot) return { message: `memory device slot '${slot}' is already being used by another memory device`, path: `${path}/address/@slot` }
          if (base !== undefined && base !== 0n && baseOf(other) === base) return { message: `memory device base '0x${base.toString(16)}' is already being used by another memory device`, path: `${path}/address/@base` }
        }
      }
      return undefined
    },
  },
  // virDomainMemoryDefValidate: a memory device's guest NUMA node, and virtio memory ranges that overlap
  // qemuDomainDefValidateMemoryHotplugDevice (the domain's validation, before its devices'): a virtio memory device sits
  // on PCI — one given another address, or on s390 given a CCW one by the address assignment, is refused before its
  // model's QEMU device is looked for (libvirtd 9.0, probe h19-r2-vmem-s390); a DIMM given another address type has a
  // DIMM one made of its numbers at post-parse (_pci.ts assignDimms): not checked here
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'memory-hotplug', kinds: ['memory'],
    check: (ctx) => {
      const max = child(ctx.domain, 'maxMemory')
      // (libvirt 11.3: the walk above, memoryHotplugDevices11)
      if (!max || (kib(max) ?? 0) === 0 || !isLibvirt9(ctx)) return undefined
      const mems = devices(ctx).filter((d) => d.name === 'memory')
      // (preview validates before it assigns addresses: one without an address on s390's CCW machine gets a CCW one, on
      // an ARM virt domain with a virtio-mmio device a virtio-mmio one — probe h31-pr-vmem, libvirtd 9.0)
      for (const m of mems) {
        const type = memoryAddressType(ctx, m)
        if ((m.attrs.model === 'virtio-pmem' || m.attrs.model === 'virtio-mem') && type !== undefined && type !== 'none' && type !== 'pci') {
          return { message: `only 'pci' addresses are supported for the ${m.attrs.model} device`, path: `domain/devices/memory[${mems.indexOf(m) + 1}]/address/@type` }
        }
      }
      return undefined
    },
  },
  { code: 'preview-refused', stage: 'validate', kinds: ['memory'], check: memoryDevicesValidate },
  // virDomainDefMemtuneValidate (after virDomainDefPostParseMemtune): huge page node sets
  { code: 'preview-invalid-value', stage: 'validate', generic: 'memtune', within: [['memoryBacking']], check: hugepagesValidate },
  // virDomainDefOSValidate: firmware autoselection, the loader and its NVRAM
  { code: 'preview-invalid-value', stage: 'validate', generic: 'os', check: (ctx) => osValidate(ctx) },
  // qemuValidateDomainDefBoot (libvirt 11; 9.0 refuses it in its post-parse, rules.ts): a Xen PV bootloader, written
  // by tools converting Xen guests (xl/xm configurations), has no QEMU equivalent
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'boot', since11: true, within: [['bootloader'], ['bootloader_args']],
    check: (ctx) => bootloaderRefusal(ctx),
  },
  // qemuValidateDomainDefBoot: a secure-boot loader is QEMU's q35 on x86_64 only, with SMM on unless the firmware is
  // autoselected (which turns SMM on itself) — libvirtd 9.0's words, checked there; then the NVRAM
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'boot', within: [['os', 'loader'], ['os', 'nvram']],
    check: (ctx) => {
      const o = os(ctx)
      if (child(o, 'loader')?.attrs.secure === 'yes') {
        if (!isQ35(ctx)) return { message: 'Secure boot is supported with q35 machine types only', path: 'domain/os/loader/@secure' }
        if (arch(ctx) !== 'x86_64') return { message: 'Secure boot is supported for x86_64 architecture only', path: 'domain/os/loader/@secure' }
        const features = child(ctx.domain, 'features')
        const smm = features ? effectiveFeature(features, 'smm') : undefined
        if (o?.attrs.firmware === undefined && (!smm || (smm.attrs.state ?? 'on') !== 'on')) return { message: 'Secure boot requires SMM feature enabled', path: 'domain/features/smm' }
      }
      return nvramValidate(ctx)
    },
  },
  // libvirt 11 (qemuValidateDomainDefBoot, last): a shim is QEMU's machine property
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'boot', since11: true, within: [['os', 'shim']],
    check: (ctx) => (textIn(child(os(ctx), 'shim')) !== '' && !has(ctx, qemuDeviceFlags.more11.shim.flag) ? { message: qemuDeviceFlags.more11.shim.message, path: 'domain/os/shim' } : undefined),
  },
  // qemuValidateDomainDefConsole (after the OS type, boot, topology, feature, memory and NUMA checks): a console's target
  // QEMU has — serial (a console without a target type is one) or virtio, an SCLP one where QEMU has it; an LXC, OpenVZ,
  // UML or Xen console never (converted definitions write them)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'console', within: [['devices', 'console']],
    check: (ctx) => {
      for (const console of devicesOfKind(ctx, 'console')) {
        const type = child(console, 'target')?.attrs.type ?? 'serial'
        if (type === 'serial' || type === 'virtio') continue
        if (type === 'sclp') { if (!has(ctx, 's390-sclp')) return { message: 'sclpconsole is not supported in this QEMU binary', path: 'domain/devices/console/target/@type' }; continue }
        if (type === 'sclplm') { if (!has(ctx, 'sclplmconsole')) return { message: 'sclplmconsole is not supported in this QEMU binary', path: 'domain/devices/console/target/@type' }; continue }
        return { message: `unsupported console target type ${type}`, path: 'domain/devices/console/target/@type' }
      }
      return undefined
    },
  },
  // qemuValidateDomainDefSysinfo (after the console): QEMU's firmware config entries are named opt/…, not under a reserved prefix
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'sysinfo', within: [['sysinfo']],
    check: (ctx) => {
      for (const sysinfo of kids(ctx.domain, 'sysinfo')) {
        if (sysinfo.attrs.type !== 'fwcfg') continue
        for (const e of kids(sysinfo, 'entry')) {
          const name = e.attrs.name ?? ''
          if (!name.startsWith('opt/')) return { message: 'Invalid firmware name', path: `domain/sysinfo[@type='fwcfg']/entry[@name='${name}']` }
          if (name.startsWith('opt/ovmf/') || name.startsWith('opt/org.qemu/')) return { message: 'That firmware name is reserved', path: `domain/sysinfo[@type='fwcfg']/entry[@name='${name}']` }
        }
      }
      return undefined
    },
  },
  // virDomainIdmapDefParseXML: each user, then each group mapping has a start, a target and a count virXPathUInt reads
  // (present, not empty, virStrToLong_uip in base 10) — in libvirt 9.0's and 11.3's words
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['idmap']],
    check: (ctx) => {
      for (const kind of ['uid', 'gid']) {
        let k = 0
        for (const idmap of kids(ctx.domain, 'idmap')) {
          for (const entry of kids(idmap, kind)) {
            k++
            for (const attribute of ['start', 'target', 'count']) {
              const read = idmapNumber(entry.attrs[attribute])
              if (read === undefined) return { message: 'invalid idmap start/target/count settings', path: `domain/idmap/${kind}[${k}]/@${attribute}` }
            }
          }
        }
      }
      return undefined
    },
  },
]

/**
 * An idmap number as virXPathUInt reads it — none when missing or empty (virXPathEvalString), else virStrToLong_uip in base
 * 10 (model's readLibvirtInteger) — or `undefined`.
 */
export function idmapNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  const read = readLibvirtInteger(text, idmapRead, idmapPlace)
  return 'value' in read ? read.value : undefined
}
const idmapRead = { kind: 'uint', base: 10 } as const
const idmapPlace = { element: 'idmap', attribute: 'start' } as const

/** The numbers of <cputune> libvirt reads, in its order, and whether each is signed (a quota) or not (shares, periods). */
export const cputuneNumbers: readonly (readonly [string, boolean])[] = [['shares', false], ['period', false], ['quota', true], ['global_period', false], ['global_quota', true], ['emulator_period', false], ['emulator_quota', true], ['iothread_period', false], ['iothread_quota', true]]

/** A <cputune> number as strtoull / strtoll read it (all of the text, a sign, 64 bits), in decimal; `undefined` if it does not read. */
export function cputuneNumber(text: string, signed: boolean): string | undefined {
  const match = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text)
  if (!match) return undefined
  const value = BigInt(match[2]!) * (match[1] === '-' ? -1n : 1n)
  // (virStrToLong_ullp refuses any minus sign: `-0` shares are refused, libvirtd 9.0)
  if (signed ? value < -(2n ** 63n) || value > 2n ** 63n - 1n : value > 2n ** 64n - 1n || match[1] === '-') return undefined
  return String(value)
}

/** What qemuDomainDefVcpusPostParse refuses of the vCPUs' states (`<vcpu current>`, or the `<vcpus>` list), or `undefined`. */
function vcpusPostParseProblem(ctx: PreviewContext): { message: string; path: string } | undefined {
  const vcpu = child(ctx.domain, 'vcpu')
  const listed = kids(child(ctx.domain, 'vcpus'), 'vcpu')
  if (listed.length === 0) {
    // (without a list the current count decides: none online is vCPU 0 offline)
    const current = vcpu?.attrs.current === undefined ? undefined : readCInteger(vcpu.attrs.current, 10)
    return current && current.magnitude === 0 ? { message: "vcpu 0 can't be offline", path: 'domain/vcpu/@current' } : undefined
  }
  const max = readCInteger(textIn(vcpu), 10)?.magnitude ?? 1
  // (a count past what preview writes out is its limit's, the vCPU rule's)
  if (max > 16384) return undefined
  // (the driver's checks alone: the generic post-parse's come after the devices')
  try {
    vcpusListStates(listed, max, false, isLibvirt9(ctx))
  } catch (error) {
    if (error instanceof PreviewError && error.code === 'preview-refused') return { message: error.message, path: error.path ?? 'domain/vcpus' }
    // (an ID past the count is the parser's, refused where the parse rows refuse it)
    if (error instanceof PreviewError) return undefined
    throw error
  }
  return undefined
}

/**
 * The target indexes post-parse gives the pSeries PHBs written without one, walking them by index
 * (qemuDomainAddressFindNewTargetIndex, as _pci.ts assigns them): the lowest from 1 no PHB before has, nor a later one
 * written as a PHB by its model name; index 0 takes 0. For validation, which meets the 31st's out of range at that
 * controller in its walk (before a later device's refusal: probe h31-dd22, libvirtd 9.0).
 */
function phbTargetIndexes(phbs: readonly N[], numbered: ReadonlyMap<N, number>): Map<N, number> {
  const out = new Map<N, number>()
  for (const [ci, c] of phbs.entries()) {
    if (child(c, 'target')?.attrs.index !== undefined) continue
    const index = numbered.get(c) ?? 0
    const taken = new Set<number>()
    for (const [xi, x] of phbs.entries()) {
      const written = int(child(x, 'target')?.attrs.index)
      const known = written ?? out.get(x)
      if (known !== undefined && (xi < ci || child(x, 'model')?.attrs.name === 'spapr-pci-host-bridge')) taken.add(known)
    }
    let free = 0
    if (index !== 0) for (free = 1; free <= 31 && taken.has(free); free++);
    if (free <= 31) out.set(c, free)
  }
  return out
}

/**
 * virDomainControllerDefValidate's refusals of the PCI controllers (every machine's, by index as libvirt keeps them): an
 * index up to 255; a target index (pSeries PHBs) in 0–30, 0 for index 0 alone; chassisNr, chassis, port and busNr in
 * their ranges; no NUMA node for index 0 (`undefined`: none).
 */
export function pciControllerRangeRefusal(ctx: PreviewContext): { message: string; path: string; controller: N; address?: true } | undefined {
  const pci = devicesOfKind(ctx, 'controller').filter((c) => c.attrs.type === 'pci')
  // (a pSeries domain's PHBs without a target index take one at post-parse: 31 of them reach the last, out of range)
  const phbs = isPSeries(ctx) ? pci.filter((c) => c.attrs.model === 'pci-root') : []
  // (most domains write no <target> and small indexes: nothing to check, without numbering anything)
  if (pci.length <= 256 && phbs.length <= 30 && !pci.some((c) => child(c, 'target') !== undefined || (c.attrs.index !== undefined && !(Number(c.attrs.index) <= 255)) || unionFilledPciPort(c) !== undefined || rootWithAddress(c))) return undefined
  // (controllers written without an index numbered as post-parse numbers them)
  const numbered = indexesOf(pci)
  const byIndex = controllerArrayOrder(pci)
  const assigned = phbs.length > 30 ? phbTargetIndexes(byIndex.filter((c) => c.attrs.model === 'pci-root'), numbered) : undefined
  for (const c of byIndex) {
    const index = numbered.get(c) ?? 0
    const path = `domain/devices/controller[@type='pci'][@index='${index}']`
    // (first of a controller's checks: a root bus with an address — a pSeries PHB with one met before an unnumbered PHB
    // of target index 1 kept after it, probe h57-ua-phb2-addr, libvirtd 9.0)
    if (rootWithAddress(c)) return { message: 'pci-root and pcie-root controllers should not have an address', path: `domain/devices/controller[@type='pci'][@model='${c.attrs.model}']/address`, controller: c, address: true }
    // (11.3: the controllers address assignment adds for the indexes below the highest — pci-bridges on a PC — are kept in
    // index order, and the first of them above 255 is refused: index 256, seen on libvirtd 11.3 with a pci-bridge at 300)
    if (index > 255) return { message: `PCI controller index ${isLibvirt9(ctx) ? index : 256} too high, maximum is 255`, path: `${path}/@index`, controller: c }
    const target = child(c, 'target')
    const targetIndex = int(target?.attrs.index) ?? assigned?.get(c)
    if (targetIndex !== undefined) {
      if (targetIndex > 30) return { message: `PCI controller target index '${targetIndex}' out of range - must be 0-30`, path: `${path}/target/@index`, controller: c }
      if ((index === 0) !== (targetIndex === 0)) return { message: 'Only the PCI controller with index 0 can have target index 0, and vice versa', path: `${path}/target/@index`, controller: c }
    }
    for (const [name, min, max] of pciTargetRanges) {
      // (a port post-parse filled in from an address of another type: checked as a written one)
      const value = int(target?.attrs[name]) ?? (name === 'port' ? unionFilledPciPort(c) : undefined)
      if (value !== undefined && (value < min || value > max)) return { message: `PCI controller ${name} '${value}' out of range - must be ${min}-${max}`, path: `${path}/target/@${name}`, controller: c }
    }
    const node = child(target, 'node')
    if (index === 0 && node && int(textIn(node)) !== undefined) return { message: "The PCI controller with index=0 can't be associated with a NUMA node", path: `${path}/target/node`, controller: c }
  }
  return undefined
}

/**
 * qemuDomainControllerDefPostParse's refusals of the PCI controllers, met controller by controller in the order libvirt
 * keeps them (controllerArrayOrder: index 1 before index 2 whatever the document's order — probes h57-nn-…, h57-zo-…,
 * libvirtd 9.0): a root bus of an index other than 0 (but on pSeries), an expander bus off its machines, a NUMA node
 * past the guest's cells — each controller named by its index, one the generic post-parse gave too. `kind` tells the
 * rows apart (each keeps its place in the table).
 */
export function pciControllerPostParseRefusal(ctx: PreviewContext): { kind: 'root' | 'expander' | 'node'; message: string; path: string } | undefined {
  const pci = devicesOfKind(ctx, 'controller').filter((c) => c.attrs.type === 'pci')
  if (pci.length === 0) return undefined
  const numbered = indexesOf(pci)
  const cells = numaCells(ctx).length
  for (const c of controllerArrayOrder(pci)) {
    const model = c.attrs.model
    const index = numbered.get(c) ?? 0
    if (!isPSeries(ctx) && (model === 'pci-root' || model === 'pcie-root') && index !== 0) {
      return { kind: 'root', message: 'pci-root and pcie-root controllers should have index 0', path: `domain/devices/controller[@type='pci'][@model='${model}'][@index='${c.attrs.index ?? String(index)}']/@index` }
    }
    if (model === 'pci-expander-bus' && !isI440fx(ctx)) return { kind: 'expander', message: 'pci-expander-bus controllers are only supported on 440fx-based machinetypes', path: "domain/devices/controller[@model='pci-expander-bus']" }
    if (model === 'pcie-expander-bus' && !isQ35(ctx) && !isArmVirt(ctx)) return { kind: 'expander', message: 'pcie-expander-bus controllers are not supported with this machine type', path: "domain/devices/controller[@model='pcie-expander-bus']" }
    if (model === undefined) continue
    const node = uint(textIn(child(child(c, 'target'), 'node')) || undefined)
    if (node === undefined || node < cells) continue
    return { kind: 'node', message: `${model} with index ${index} is configured for a NUMA node (${node}) not present in the domain's <cpu><numa> array (${cells})`, path: `domain/devices/controller[@type='pci'][@index='${index}']/target/node` }
  }
  return undefined
}

/** A pci-root or pcie-root controller written with an address (virDomainControllerDefValidate refuses it). */
function rootWithAddress(c: N): boolean {
  return (c.attrs.model === 'pci-root' || c.attrs.model === 'pcie-root') && child(c, 'address') !== undefined
}

/**
 * The controllers of one type in the order libvirt keeps them (virDomainControllerInsertPreAlloced, as the parser adds
 * each): one with an index before the first of a higher index, one without after the last so far — numbered later
 * (virDomainAssignControllerIndexes) but left in its place. Validation meets them so: an unnumbered pci-bridge written
 * after index 3, numbered 1, is met after index 2 (probe h57-ua-…, libvirtd 9.0).
 */
function controllerArrayOrder(list: readonly N[]): N[] {
  const kept: { c: N; idx: number }[] = []
  for (const c of list) {
    const idx = c.attrs.index === undefined ? -1 : Number(c.attrs.index)
    let at = -1
    for (let i = kept.length - 1; i >= 0; i--) {
      if (idx === -1) { at = i + 1; break }
      if (kept[i]!.idx > idx) at = i
      else if (at === -1) at = i + 1
    }
    kept.splice(at === -1 ? kept.length : at, 0, { c, idx })
  }
  return kept.map((k) => k.c)
}

/**
 * Where a refusal names a <sysinfo>: the domain's one (`predicate` telling it apart: `[@type='fwcfg']`), or its place among
 * several — virDomainDefParseXML parses each in document order, each whole (a firmware config entry of the first refused
 * before the second's SMBIOS BIOS date: probe h38-sysinfo-two-first, libvirtd 9.0).
 */
function sysinfoPath(ctx: PreviewContext, sysinfo: N, predicate = ''): string {
  const all = kids(ctx.domain, 'sysinfo')
  return all.length > 1 ? `domain/sysinfo[${all.indexOf(sysinfo) + 1}]` : `domain/sysinfo${predicate}`
}
