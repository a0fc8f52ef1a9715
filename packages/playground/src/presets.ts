// Host presets: `virsh domcapabilities` documents the project wrote from its own libvirt sandbox
// (scripts/domcaps-presets.mjs; each file's first comment says how). Each is a small chunk of its
// own, fetched when chosen.
const files = import.meta.glob<string>('./presets/*.xml', { query: '?raw', import: 'default' })

export interface HostPreset {
  readonly id: string
  readonly label: string
  readonly load: () => Promise<string>
}

function preset(id: string, label: string): HostPreset {
  const load = files[`./presets/${id}.xml`]
  if (!load) throw new Error(`bug in the playground: no preset file ${id}.xml`)
  return { id, label, load }
}

/** The presets, in the order the page lists them. */
export const hostPresets: readonly HostPreset[] = [
  preset('kvm-q35', 'KVM host, q35 (x86_64; QEMU 7.2, libvirt 9.0)'),
  preset('tcg-q35', 'No KVM: TCG emulation, q35 (x86_64; QEMU 7.2, libvirt 9.0)'),
  preset('tcg-i440fx', 'No KVM: TCG emulation, i440fx (x86_64; QEMU 7.2, libvirt 9.0)'),
  preset('tcg-aarch64-virt', 'ARM: TCG emulation, virt (aarch64; QEMU 7.2, libvirt 9.0)'),
  preset('tcg-s390x', 'IBM Z: TCG emulation, s390-ccw-virtio (s390x; QEMU 7.2, libvirt 9.0)'),
]

// QEMU capabilities presets for the Preview: libvirt's own QEMU capabilities cache files from the
// project's libvirt sandbox (scripts/qemucaps-presets.mjs; each file's first comment says how). About
// 200 kB each (12 kB gzipped for x86_64): chunks of their own, fetched when chosen, never in the first paint.
const qemuFiles = import.meta.glob<string>('./presets/qemucaps/*.xml', { query: '?raw', import: 'default' })

function qemuPreset(id: string, label: string): HostPreset {
  const load = qemuFiles[`./presets/qemucaps/${id}.xml`]
  if (!load) throw new Error(`bug in the playground: no QEMU capabilities preset file qemucaps/${id}.xml`)
  return { id, label, load }
}

/** The QEMU capabilities presets (named by architecture), in the order the page lists them. */
export const qemuCapsPresets: readonly HostPreset[] = [
  qemuPreset('x86_64', 'x86_64 (QEMU 7.2, libvirt 9.0: the project’s sandbox)'),
  qemuPreset('aarch64', 'aarch64 (QEMU 7.2, libvirt 9.0: the project’s sandbox)'),
  qemuPreset('s390x', 's390x (QEMU 7.2, libvirt 9.0: the project’s sandbox)'),
]

/**
 * The same host's QEMU firmware descriptors (firmware.json, written beside the presets): libvirt's
 * firmware autoselection reads them for `<os firmware='efi'>`. A chunk of its own (2 kB gzipped), loaded
 * with a preset; the Preview gives them to preview only with a preset (a pasted file comes from
 * another host, whose descriptors the page does not have).
 */
export async function loadPresetFirmware(): Promise<unknown[]> {
  const { default: text } = await import('./presets/qemucaps/firmware.json?raw')
  return (JSON.parse(text) as { descriptors: unknown[] }).descriptors
}
