// Profiles: named, versioned lists of rules. A released profile never changes (golden tests pin
// its output); new knowledge goes into a new profile.
import { DefaultsError } from './errors.ts'
import { rules, type Rule, type RuleId } from './rules.ts'

export interface Profile {
  /** `YYYY.MM`. */
  readonly id: string
  readonly released: boolean
  readonly summary: string
  /** Rule ids in the order they apply. */
  readonly rules: readonly RuleId[]
  /** The guest architectures its rules are written for (libvirt's names); others are refused by {@link checkProfileArch}. */
  readonly arches: readonly string[]
}

const base2026_11: readonly RuleId[] = [
  'machine-q35', 'machine-pc', 'features-acpi-apic', 'firmware-efi', 'hyperv-enlightenments', 'clock-windows', 'clock-utc', 'pm-no-suspend',
  'cpu-host-model', 'cpu-maximum-tcg', 'vmcoreinfo',
  'disk-bus', 'disk-discard', 'disk-iothread', 'nic-model', 'nic-multiqueue', 'secure-boot', 'tpm-crb', 'pvpanic', 'rng-virtio', 'memballoon-stats',
  'vmport-off', 'guest-agent-channel', 'spice-vdagent-channel', 'console-pty', 'usb-xhci', 'usb2-ehci', 'usb-tablet', 'spice-sound', 'video', 'virtio-scsi-controller',
  'pcie-root-ports',
]

export const profiles = {
  '2026.11': {
    id: '2026.11', released: true, arches: ['x86_64', 'i686'],
    summary: 'The first released set: q35, ACPI, UEFI/secure boot/TPM where the OS needs them, Hyper-V for Windows, virtio devices, guest agent, crash dumps, PCIe ports for hot-plug.',
    rules: base2026_11,
  },
  '2026.12': {
    id: '2026.12', released: false, arches: ['x86_64', 'i686', 'aarch64', 's390x', 'ppc64le', 'ppc64'],
    summary: '2026.11 plus free page reporting for Linux guests, and aarch64 (virt), s390x (s390-ccw-virtio) and ppc64le (pseries) guests (not released yet: may still change).',
    rules: [
      // Beyond x86 first in each stage: the architecture, machine, firmware and console the later rules read.
      'arch-written', 'machine-arm-virt', 'machine-s390-ccw', 'machine-pseries', 'firmware-efi-aarch64', 'features-acpi-aarch64', 'features-gic',
      'clock-utc-beyond-x86', 'cpu-maximum-tcg-beyond-x86', 'cpu-host-passthrough-kvm', 'cpu-host-model-s390x', 'console-pl011', 'console-sclp', 'console-spapr-vio', 'input-virtio-s390x', 'video-beyond-x86',
      'cdrom-bus-beyond-x86', ...base2026_11.slice(0, -1), 'usb-xhci-beyond-x86', 'usb-keyboard', 'memballoon-free-page-reporting', 'pcie-root-ports', 'pcie-root-ports-arm-virt',
    ],
  },
} as const satisfies Record<string, Profile>

export type ProfileId = keyof typeof profiles

/** The profile used when none is named: the newest released one. */
export const latestProfile: ProfileId = '2026.11'

export function getProfile(id: string = latestProfile): Profile {
  const profile = (profiles as Record<string, Profile>)[id]
  if (!profile) throw new DefaultsError('defaults-unknown-profile', `Unknown defaults profile \`${id}\`, expected one of ${Object.keys(profiles).join(', ')}`, { path: id })
  return profile
}

/**
 * The profile for a guest architecture when none is named: the latest released one if its rules
 * cover the architecture, else the oldest (then newest unreleased) profile that does; `undefined` when none does.
 */
export function profileForArch(arch: string): ProfileId | undefined {
  if ((profiles[latestProfile].arches as readonly string[]).includes(arch)) return latestProfile
  const covering = (Object.values(profiles) as Profile[]).filter((p) => p.arches.includes(arch))
  return (covering.find((p) => p.released) ?? covering[covering.length - 1])?.id as ProfileId | undefined
}

/**
 * Refuses a profile whose rules are not written for the guest's architecture (2026.11 knows x86
 * only: an aarch64 guest would get no machine, firmware or console).
 * @throws DefaultsError `defaults-profile-not-for-arch`
 */
export function checkProfileArch(profile: Profile, arch: string): void {
  if (profile.arches.includes(arch)) return
  const other = profileForArch(arch)
  throw new DefaultsError('defaults-profile-not-for-arch', `Unexpected architecture \`${arch}\` for defaults profile ${profile.id}, which covers ${profile.arches.join(', ')}${other ? `; profile ${other} covers ${arch}` : ''}`, { path: profile.id })
}

export function profileRules(profile: Profile): readonly Rule[] {
  return profile.rules.map((id) => rules[id])
}
