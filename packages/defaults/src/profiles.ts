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
    id: '2026.11', released: true,
    summary: 'The first released set: q35, ACPI, UEFI/secure boot/TPM where the OS needs them, Hyper-V for Windows, virtio devices, guest agent, crash dumps, PCIe ports for hot-plug.',
    rules: base2026_11,
  },
  '2026.12': {
    id: '2026.12', released: false,
    summary: '2026.11 plus free page reporting for Linux guests (not released yet: may still change).',
    rules: [...base2026_11.slice(0, -1), 'memballoon-free-page-reporting', 'pcie-root-ports'],
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

export function profileRules(profile: Profile): readonly Rule[] {
  return profile.rules.map((id) => rules[id])
}
