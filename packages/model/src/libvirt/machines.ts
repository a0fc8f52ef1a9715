// Machine families, as libvirt's QEMU driver tells them apart (src/qemu/qemu_domain.c,
// qemuDomainMachineIs*): every test takes the architecture, so `virt` is an ARM, RISC-V or
// LoongArch board only on those architectures and `q35` is PCI Express only on x86.
import type { Element } from '@virtuned/xml-core'
import { childElement, childElements } from './tree.ts'

export type MachineFamily =
  | 'q35' | 'i440fx' | 'microvm' | 'isapc' | 'xenfv'
  | 'arm-virt' | 'riscv-virt' | 'loongarch-virt' | 'pseries' | 's390-ccw' | 'other'

/** Every family {@link machineFamily} can answer, for schemas. */
export const machineFamilies: readonly MachineFamily[] = ['q35', 'i440fx', 'microvm', 'isapc', 'xenfv', 'arm-virt', 'riscv-virt', 'loongarch-virt', 'pseries', 's390-ccw', 'other']

const x86 = new Set(['i686', 'x86_64'])
const arm = new Set(['armv6l', 'armv7l', 'aarch64'])
const riscv = new Set(['riscv32', 'riscv64'])
const ppc64 = new Set(['ppc64', 'ppc64le'])
const s390 = new Set(['s390', 's390x'])

const isVirt = (machine: string): boolean => machine === 'virt' || machine.startsWith('virt-')

/**
 * The s390 machine types on which QEMU's KVM takes no CPU model but the host's (qemu_capabilities.c's
 * s390HostPassthroughOnlyMachines, libvirt 9.0 and 11.3): a KVM domain there is given `host-passthrough` where its
 * default CPU is the host's, not `host-model` (virQEMUCapsIsCPUModeSupported).
 */
export const s390HostPassthroughOnlyMachines: readonly string[] = ['s390-ccw-virtio-2.4', 's390-ccw-virtio-2.5', 's390-ccw-virtio-2.6', 's390-ccw-virtio-2.7']

/**
 * The family of a machine type on an architecture:
 * - `q35`: x86 and `q35` or `pc-q35-*` (qemuDomainMachineIsQ35);
 * - `i440fx`: x86 and `pc`, `pc-0.*`, `pc-1.*`, `pc-i440fx-*` or `rhel*` (qemuDomainMachineIsI440FX);
 * - `microvm`, `isapc`: x86 and exactly that name; `xenfv`: x86 and `xenfv*`;
 * - `arm-virt`, `riscv-virt`, `loongarch-virt`: `virt` or `virt-*` on that architecture;
 * - `pseries`: ppc64/ppc64le and `pseries` or `pseries-*`; `s390-ccw`: s390/s390x and `s390-ccw*`;
 * - `other` for everything else.
 */
export function machineFamily(machine: string, arch: string = 'x86_64'): MachineFamily {
  if (x86.has(arch)) {
    if (machine === 'q35' || machine.startsWith('pc-q35-')) return 'q35'
    if (machine === 'pc' || machine.startsWith('pc-0.') || machine.startsWith('pc-1.') || machine.startsWith('pc-i440fx-') || machine.startsWith('rhel')) return 'i440fx'
    if (machine === 'microvm') return 'microvm'
    if (machine === 'isapc') return 'isapc'
    if (machine.startsWith('xenfv')) return 'xenfv'
    return 'other'
  }
  if (arm.has(arch)) return isVirt(machine) ? 'arm-virt' : 'other'
  if (riscv.has(arch)) return isVirt(machine) ? 'riscv-virt' : 'other'
  if (arch === 'loongarch64') return isVirt(machine) ? 'loongarch-virt' : 'other'
  if (ppc64.has(arch)) return machine === 'pseries' || machine.startsWith('pseries-') ? 'pseries' : 'other'
  if (s390.has(arch)) return machine.startsWith('s390-ccw') ? 's390-ccw' : 'other'
  return 'other'
}

/** Whether a machine is q35 (`q35`, `pc-q35-8.2`…) on an x86 architecture. */
export function isQ35(machine: string, arch: string = 'x86_64'): boolean {
  return machineFamily(machine, arch) === 'q35'
}

/**
 * Whether the machine has an IDE controller of its own (qemuDomainHasBuiltinIDE): i440fx, MIPS Malta, SPARC
 * sun4u and PowerMac G3 — there the first IDE controller is the board's, and it is the only one; elsewhere libvirt
 * refuses IDE altogether.
 */
export function hasBuiltinIde(machine: string, arch: string = 'x86_64'): boolean {
  return machineFamily(machine, arch) === 'i440fx' || machine === 'malta' || machine === 'sun4u' || machine === 'g3beige'
}

/**
 * Whether the machine's SCSI controller is a built-in NCR 53C90 (ESP: qemuDomainHasBuiltinESP) — SPARC, MIPS Magnum and
 * Pica-61, the m68k Quadra 800: there a SCSI controller without a model is that one (`ncr53c90`).
 */
export function hasBuiltinEsp(machine: string, arch: string): boolean {
  return arch === 'sparc' || ((arch === 'mips64' || arch === 'mips64el') && (machine === 'magnum' || machine === 'pica61')) || (arch === 'm68k' && machine === 'q800')
}

/**
 * The machine families with an i8042 PS/2 controller, QEMU's PC machines (virQEMUCapsSupportsI8042, libvirt 11: i440fx,
 * q35, Xen's fully virtualised, isapc — where the QEMU binary has the `i8042` device): post-parse gives them a PS/2 mouse
 * and keyboard, and validation takes a PS/2 input on them alone (seen on libvirtd 11.3).
 */
export const i8042MachineFamilies: ReadonlySet<MachineFamily> = new Set(['i440fx', 'q35', 'xenfv', 'isapc'])

/** Families whose PCI root is `pcie-root` (libvirt adds one to them in qemuDomainDefAddDefaultDevices). */
const pcieRootFamilies: ReadonlySet<MachineFamily> = new Set(['q35', 'arm-virt', 'riscv-virt', 'loongarch-virt'])

/** Families whose PCI root is `pci-root` (i440fx's host bridge, pseries' PHB). */
const pciRootFamilies: ReadonlySet<MachineFamily> = new Set(['i440fx', 'pseries', 'xenfv'])

/** The machine and architecture of a `<domain>` as written (`os/type/@machine`, `@arch`; arch x86_64 when unset). */
export function machineOf(domain: Element): { readonly machine: string | undefined; readonly arch: string } {
  const type = childElement(childElement(domain, 'os'), 'type')
  return { machine: type?.attributes.machine, arch: type?.attributes.arch ?? 'x86_64' }
}

/**
 * The domain's PCI root: `pcie-root` or `pci-root` as its `<controller type='pci' index='0'>`
 * says (qemuDomainHasPCIeRoot reads that controller), else as libvirt would add it for the
 * machine family; `undefined` for machines without PCI (s390 ccw, microvm, isapc, unknown).
 */
export function pciRootOf(domain: Element): 'pcie-root' | 'pci-root' | undefined {
  for (const c of childElements(childElement(domain, 'devices'), 'controller')) {
    if (c.attributes.type === 'pci' && Number(c.attributes.index ?? '0') === 0) {
      const model = c.attributes.model
      if (model === 'pcie-root' || model === 'pci-root') return model
    }
  }
  const { machine, arch } = machineOf(domain)
  if (machine === undefined) return undefined
  const family = machineFamily(machine, arch)
  return pcieRootFamilies.has(family) ? 'pcie-root' : pciRootFamilies.has(family) ? 'pci-root' : undefined
}

/** Whether the domain's PCI root is PCI Express (qemuDomainHasPCIeRoot): then endpoints need root ports. */
export function hasPCIeRoot(domain: Element): boolean {
  return pciRootOf(domain) === 'pcie-root'
}

const familyMachines: Readonly<Partial<Record<MachineFamily, string>>> = {
  'q35': 'q35', 'i440fx': 'pc', 'microvm': 'microvm', 'isapc': 'isapc', 'xenfv': 'xenfv',
  'arm-virt': 'virt', 'riscv-virt': 'virt', 'loongarch-virt': 'virt', 'pseries': 'pseries', 's390-ccw': 's390-ccw-virtio',
}

/**
 * The machine type to write for a family when none of it is there yet: QEMU's unversioned alias
 * of the family's newest machine (`q35`, `pc`, `virt`, `pseries`, `s390-ccw-virtio`…); `undefined`
 * for `other`. A machine already of the family (`pc-q35-7.2`) is kept by callers: its version is
 * the guest's ABI.
 */
export function machineForFamily(family: MachineFamily): string | undefined {
  return familyMachines[family]
}

/** The family an architecture's guests get when no machine is written (x86: `q35` or `i440fx`, decided by the OS). */
export function defaultFamilyOf(arch: string): MachineFamily | undefined {
  if (arm.has(arch)) return 'arm-virt'
  if (riscv.has(arch)) return 'riscv-virt'
  if (arch === 'loongarch64') return 'loongarch-virt'
  if (ppc64.has(arch)) return 'pseries'
  if (s390.has(arch)) return 's390-ccw'
  return undefined
}
