import { z } from 'zod'
import type { IdentityKeys } from '@virtuned/xml-core'

/**
 * How a device kind is identified, as data. `keys` are key expressions (see xml-core's
 * PATCH-FORMAT.md: `@attr`, `child/@attr`, `child` for text); `by` says what kind of identity that
 * is, so callers know how far to trust it:
 *
 * - `stable`: survives re-plugging and libvirt's post-parse (a MAC, a host device's source address);
 * - `target`: a host-side name the guest may order differently (`vda` is an ordering hint to the guest);
 * - `singleton`: at most one such device is expected, so the kind itself is the identity;
 * - `position`: nothing better exists; matching falls back to order and says so.
 *
 * A user alias (`<alias name='ua-…'/>`) beats every rule when present.
 */
export const identityRuleSchema = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Only for devices whose `type` attribute has this value (host devices differ by type). */
  type: z.string().regex(/^[a-z0-9_-]+$/).optional(),
  keys: z.array(z.string().regex(/^(?:@[^/@\s]+|[^/@\s]+(?:\/[^/@\s]+)*(?:\/@[^/@\s]+)?)$/)),
  by: z.enum(['stable', 'target', 'singleton', 'position']),
  /** More values that must agree when a key is missing on one side (libvirt fills in MACs, for one). */
  shape: z.array(z.string()).optional(),
  /** What the guest sees of this device, for guest-side identity. */
  guest: z.string().optional(),
  note: z.string(),
})

export type IdentityRule = z.infer<typeof identityRuleSchema>

/** The table of identity rules for every device kind under `<devices>` (libvirt's schema names). */
export const identityRules: readonly IdentityRule[] = z.array(identityRuleSchema).parse([
  { kind: 'disk', keys: ['target/@dev'], by: 'target', shape: ['source/@file', 'source/@dev', 'source/@name', 'source/@volume'], guest: 'the disk serial: /dev/disk/by-id/virtio-<serial> (virtio-blk), scsi-0QEMU_QEMU_HARDDISK_<serial> (SCSI)', note: 'the target name is unique per domain, but the guest orders disks itself: match by ua- alias or serial across reboots' },
  { kind: 'interface', keys: ['mac/@address'], by: 'stable', shape: ['@type', 'source/@network', 'source/@bridge', 'source/@dev', 'model/@type'], guest: 'the MAC address', note: 'libvirt fills in a MAC when none is given: an interface without one is matched by type, source and model when exactly one fits' },
  { kind: 'controller', keys: ['@type', '@index'], by: 'stable', note: 'type and index are unique per domain; libvirt adds controllers (and their indexes) itself' },
  { kind: 'hostdev', type: 'pci', keys: ['source/address/@domain', 'source/address/@bus', 'source/address/@slot', 'source/address/@function'], by: 'stable', note: 'the host PCI address domain:bus:slot.function' },
  { kind: 'hostdev', type: 'usb', keys: ['source/vendor/@id', 'source/product/@id'], by: 'stable', note: 'vendor and product — never the USB bus/device numbers, which change when the device is re-plugged (virt-xml cannot find a re-plugged device to unplug for that reason)' },
  { kind: 'hostdev', type: 'mdev', keys: ['source/address/@uuid'], by: 'stable', note: 'the mediated device UUID' },
  { kind: 'hostdev', type: 'scsi', keys: ['source/adapter/@name', 'source/address/@bus', 'source/address/@target', 'source/address/@unit'], by: 'stable', note: 'the host SCSI adapter and address' },
  { kind: 'hostdev', keys: ['@type'], by: 'position', note: 'other host device types (scsi_host, …): by type, then order' },
  { kind: 'filesystem', keys: ['target/@dir'], by: 'stable', note: 'the mount tag the guest sees' },
  { kind: 'serial', keys: ['target/@port'], by: 'target', note: 'the port number (libvirt numbers them when missing)' },
  { kind: 'parallel', keys: ['target/@port'], by: 'target', note: 'the port number' },
  { kind: 'console', keys: ['target/@type', 'target/@port'], by: 'target', note: 'console type and port' },
  { kind: 'channel', keys: ['target/@type', 'target/@name'], by: 'stable', guest: 'the virtio-serial port name (/dev/virtio-ports/<name>)', note: 'virtio channels by name, guestfwd by address' },
  { kind: 'graphics', keys: ['@type'], by: 'singleton', note: 'one per protocol' },
  { kind: 'video', keys: [], by: 'position', note: 'nothing tells two video devices apart but their order; the first is the primary' },
  { kind: 'input', keys: ['@type', '@bus'], by: 'stable', note: 'libvirt adds a PS/2 mouse and keyboard on x86' },
  { kind: 'sound', keys: ['@model'], by: 'stable', note: 'by model' },
  { kind: 'audio', keys: ['@id'], by: 'stable', note: 'by id' },
  { kind: 'hub', keys: ['@type'], by: 'position', note: 'USB hubs are identical; by order' },
  { kind: 'redirdev', keys: ['@bus', '@type'], by: 'position', note: 'redirection channels of the same type are identical; by order' },
  { kind: 'redirfilter', keys: [], by: 'singleton', note: 'one filter list' },
  { kind: 'smartcard', keys: ['@mode'], by: 'singleton', note: 'by mode' },
  { kind: 'rng', keys: ['@model', 'backend/@model'], by: 'singleton', note: 'one per model and backend' },
  { kind: 'tpm', keys: ['@model'], by: 'singleton', note: 'one TPM' },
  { kind: 'memballoon', keys: [], by: 'singleton', note: 'one balloon' },
  { kind: 'watchdog', keys: ['@model'], by: 'singleton', note: 'one per model' },
  { kind: 'panic', keys: ['@model'], by: 'singleton', note: 'one per model' },
  { kind: 'iommu', keys: [], by: 'singleton', note: 'one IOMMU' },
  { kind: 'vsock', keys: [], by: 'singleton', note: 'one vsock; the guest sees its cid' },
  { kind: 'shmem', keys: ['@name'], by: 'stable', note: 'by name' },
  { kind: 'memory', keys: ['@model', 'target/node', 'address/@base'], by: 'position', note: 'DIMMs of one size and node are identical until libvirt gives them a base address' },
  { kind: 'lease', keys: ['lockspace', 'key'], by: 'stable', note: 'by lockspace and key' },
  { kind: 'emulator', keys: [], by: 'singleton', note: 'the emulator binary' },
  { kind: 'crypto', keys: ['@model', '@type'], by: 'singleton', note: 'by model and type' },
  { kind: 'pstore', keys: ['@backend'], by: 'singleton', note: 'by backend' },
])

/**
 * The table as xml-core's identity keys, so merge and diff match devices the way `identify` does.
 * Other paths (os, cpu, features, …) keep xml-core's own rules.
 */
export function toIdentityKeys(rules: readonly IdentityRule[], base: IdentityKeys): IdentityKeys {
  const devices = new Set(rules.map((r) => `domain/devices/${r.kind}`))
  return {
    userAliases: true,
    rules: [
      ...rules.map((r) => ({ path: `domain/devices/${r.kind}${r.type ? `[@type='${r.type}']` : ''}`, key: r.keys, note: r.note })),
      ...base.rules.filter((r) => !devices.has(r.path)),
    ],
  }
}
