// The golden cases of fixtures/defaults/arch (issue 22): the sandbox libvirtd's own TCG domain
// capabilities for aarch64, s390x and ppc64le (dumped by us, see the folder's README), and the OSes
// of the brief that osinfo-db publishes for each architecture.
import { readFileSync } from 'node:fs'
import { osHasArch, parseDomainCapabilities, resolveOs, type HostCapabilities } from '../src/index.ts'

export const archFixtures = new URL('../../../fixtures/defaults/arch/', import.meta.url).pathname

export const arches = ['aarch64', 's390x', 'ppc64le'] as const
export type Arch = (typeof arches)[number]

/** The machine `virsh domcapabilities --machine` was asked for. */
export const archMachines: Readonly<Record<Arch, string>> = { aarch64: 'virt', s390x: 's390-ccw-virtio', ppc64le: 'pseries' }

export const archOses = ['debian11', 'fedora37', 'ubuntu22.04', 'rhel9.0'] as const

export function archHost(arch: Arch): HostCapabilities {
  const file = `domcaps-${arch}-tcg.xml`
  return parseDomainCapabilities(readFileSync(archFixtures + file), file)
}

/** Every (arch, OS) pair osinfo-db knows (fedora37 has no ppc64le release in osinfo-db 20221203). */
export function archCases(): { arch: Arch; os: string }[] {
  return arches.flatMap((arch) => archOses.filter((os) => osHasArch(resolveOs(os).entry, arch)).map((os) => ({ arch, os })))
}

/**
 * A domain as `virtuned new --domcaps` writes it for these hosts before defaults: no architecture
 * (the capabilities give it), one thin disk, a user-mode NIC, and VNC except on s390x (no graphics
 * by default there: a 3270/SCLP console machine).
 */
export function archBare(arch: Arch, name = 'guest', disk = '/var/lib/libvirt/images/guest.qcow2'): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='KiB'>2097152</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/></disk>
    <interface type='user'/>${arch === 's390x' ? '' : "\n    <graphics type='vnc'/>"}
  </devices>
</domain>`
}
