// libvirt's QEMU capabilities cache (`<qemuCaps>`, virQEMUCapsLoadCache) read into plain data.
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { childElement, childElements, retiredQemuFlags, textOf } from '@virtuned/model'
import { PreviewError } from './errors.ts'

/** Accelerator a machine type or CPU model was probed for. */
export type VirtType = 'kvm' | 'tcg'

/** One machine type QEMU offers (`<machine>` of the cache). */
export interface MachineType {
  readonly name: string
  /** The short name (`pc`, `q35`, `virt`, …) that stands for this versioned type, if any. */
  readonly alias: string | undefined
  readonly isDefault: boolean
  /** QEMU's default CPU model as a QOM type name (`qemu64-x86_64-cpu`). */
  readonly defaultCPU: string | undefined
  readonly deprecated: boolean
  readonly hotplugCpus: boolean
  readonly maxCpus: number | undefined
  readonly acpi: boolean | undefined
  /** The id of the machine's default RAM backend (`mach-virt.ram`), when QEMU names one. */
  readonly defaultRAMid: string | undefined
}

/** One CPU model QEMU offers (`<cpu>` of the cache). */
export interface CpuModel {
  readonly name: string
  readonly typename: string | undefined
  readonly usable: 'yes' | 'no' | 'unknown'
  readonly deprecated: boolean
}

/** What preview knows about a host's QEMU, read from its capabilities cache. */
export interface QemuCaps {
  readonly arch: string
  /** QEMU's version as libvirt encodes it: major × 1,000,000 + minor × 1,000 + micro. */
  readonly qemuVersion: number
  /** The libvirt version that probed QEMU (`<selfvers>`), same encoding; 0 in libvirt's test files means 11.3.0. */
  readonly libvirtVersion: number
  readonly emulator: string | undefined
  readonly flags: ReadonlySet<string>
  readonly machines: Readonly<Record<VirtType, readonly MachineType[]>>
  readonly cpuModels: Readonly<Record<VirtType, readonly CpuModel[]>>
  /** ARM GIC versions and whether KVM (`kernel`) or TCG (`emulated`) offers each. */
  readonly gic: readonly GicCapability[]
  /** The host's KVM runs secure guests (`<kvmSupportsSecureGuest/>`: s390 protected virtualization, AMD SEV); absent: no. */
  readonly kvmSupportsSecureGuest?: boolean
}

export interface GicCapability {
  readonly version: number
  readonly kernel: boolean
  readonly emulated: boolean
}

/** The libvirt version libvirt's own test data stands for (`<selfvers>0</selfvers>`). */
export const testDataLibvirtVersion = 11_003_000

function num(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value.trim())
}

function yes(value: string | undefined): boolean {
  return value === 'yes'
}

/**
 * Read libvirt's QEMU capabilities cache XML. Throws `PreviewError` `preview-not-qemucaps` for another
 * document and `preview-bad-qemucaps` for a cache without `<arch>` or machine types.
 */
export function parseQemuCaps(xml: string | Uint8Array): QemuCaps {
  if (typeof xml !== 'string' && !(xml instanceof Uint8Array)) throw new PreviewError('preview-bad-argument', `Unexpected capabilities (${xml === null || xml === undefined ? String(xml) : Array.isArray(xml) ? 'an array' : `a${typeof xml === 'object' ? 'n' : ''} ${typeof xml}`}): expected the cache file's XML, a string or its bytes (a Uint8Array)`)
  const root = rootElement(parseXml(xml))
  if (!root || root.name !== 'qemuCaps') {
    throw new PreviewError('preview-not-qemucaps', `Unexpected root \`<${root?.name ?? ''}>\`, expected \`<qemuCaps>\``, { path: root?.name, place: root?.position?.start })
  }
  const arch = textOf(childElement(root, 'arch')).trim()
  if (!arch) throw new PreviewError('preview-bad-qemucaps', 'Missing `<arch>` in `<qemuCaps>`', { path: 'qemuCaps/arch', place: root.position?.start })
  const flags = new Set<string>()
  const machines: Record<VirtType, MachineType[]> = { kvm: [], tcg: [] }
  const cpuModels: Record<VirtType, CpuModel[]> = { kvm: [], tcg: [] }
  const gic: GicCapability[] = []
  for (const child of childElements(root)) {
    if (child.name === 'flag' && child.attributes.name) flags.add(child.attributes.name)
    else if (child.name === 'machine') {
      const type = virtType(child)
      const a = child.attributes
      // (libvirt's own reader refuses these too: virQEMUCapsLoadMachines)
      if (!a.name) throw new PreviewError('preview-bad-qemucaps', 'Missing machine name in `<qemuCaps>`', { path: 'qemuCaps/machine/@name', place: child.position?.start })
      if (a.maxCpus !== undefined && num(a.maxCpus) === undefined) throw new PreviewError('preview-bad-qemucaps', `Unexpected maxCpus \`${a.maxCpus}\` of machine \`${a.name}\`, expected a CPU count`, { path: `qemuCaps/machine[@name='${a.name}']/@maxCpus`, place: child.position?.start })
      machines[type].push({
        name: a.name ?? '', alias: a.alias, isDefault: yes(a.default), defaultCPU: a.defaultCPU, deprecated: yes(a.deprecated),
        hotplugCpus: yes(a.hotplugCpus), maxCpus: num(a.maxCpus), acpi: a.acpi === undefined ? undefined : yes(a.acpi), defaultRAMid: a.defaultRAMid,
      })
    } else if (child.name === 'gic' && num(child.attributes.version) !== undefined) {
      gic.push({ version: num(child.attributes.version)!, kernel: yes(child.attributes.kernel), emulated: yes(child.attributes.emulated) })
    } else if (child.name === 'cpu' && child.attributes.name) {
      const a = child.attributes
      cpuModels[virtType(child)].push({
        name: a.name!, typename: a.typename, deprecated: yes(a.deprecated),
        usable: a.usable === 'yes' ? 'yes' : a.usable === 'no' ? 'no' : 'unknown',
      })
    }
  }
  if (machines.kvm.length === 0 && machines.tcg.length === 0) {
    throw new PreviewError('preview-bad-qemucaps', 'No `<machine>` in `<qemuCaps>`', { path: 'qemuCaps', place: root.position?.start })
  }
  // the versions, when given, are numbers (libvirt's encoding: major × 1,000,000 + minor × 1,000 + micro)
  for (const name of ['selfvers', 'version']) {
    const element = childElement(root, name)
    if (element && num(textOf(element)) === undefined) throw new PreviewError('preview-bad-qemucaps', `Unexpected <${name}> \`${textOf(element).trim()}\` in \`<qemuCaps>\`, expected a version number such as 9000000`, { path: `qemuCaps/${name}`, place: element.position?.start })
  }
  const selfvers = num(textOf(childElement(root, 'selfvers'))) ?? 0
  const emulator = textOf(childElement(root, 'emulator')).trim()
  const qemuVersion = num(textOf(childElement(root, 'version'))) ?? 0
  // a flag a later libvirt retired (no longer writes: its QEMUs all have it) is there when the QEMU is new enough
  for (const [flag, since] of Object.entries(retiredQemuFlags)) if (qemuVersion >= since) flags.add(flag)
  return {
    arch,
    qemuVersion,
    libvirtVersion: selfvers === 0 ? testDataLibvirtVersion : selfvers,
    emulator: emulator || undefined,
    flags,
    machines,
    cpuModels,
    gic,
    kvmSupportsSecureGuest: childElement(root, 'kvmSupportsSecureGuest') !== undefined,
  }
}

function virtType(element: Element): VirtType {
  return element.attributes.type === 'tcg' ? 'tcg' : 'kvm'
}

/**
 * The capabilities with every machine alias removed, as libvirt's `qemuxmlconftest` prepares the
 * `latest` capabilities (`virQEMUCapsStripMachineAliases`): `pc` and `q35` stay as written.
 */
export function stripMachineAliases(caps: QemuCaps): QemuCaps {
  // Each alias becomes a machine type of its own with the same properties (virQEMUCapsStripMachineAliasesForVirtType).
  // The alias entries come first, so the default machine is the alias (`pc`), as libvirt's tests expect.
  const strip = (list: readonly MachineType[]): MachineType[] => [
    ...list.filter((m) => m.alias !== undefined).map((m) => ({ ...m, name: m.alias!, alias: undefined })),
    ...list.map((m) => ({ ...m, alias: undefined })),
  ]
  return { ...caps, machines: { kvm: strip(caps.machines.kvm), tcg: strip(caps.machines.tcg) } }
}
