// ONE identity table for libvirt domains: how each device kind (and the repeated elements outside
// <devices>) is told apart from its siblings. Merge, diff and patch (xml-core, through
// `libvirtIdentityKeys`) and device matching (@virtuned/identify) read this table and nothing else.
import type { IdentityKeys, IdentityRule as XmlIdentityRule } from '@virtuned/xml-core'
import { z } from 'zod'

/**
 * How a device kind is identified, as data. `keys` are key expressions (xml-core's
 * PATCH-FORMAT.md: `@attr`, `child/@attr`, `child` for text); `by` says what kind of identity that
 * is, so callers know how far to trust it:
 *
 * - `stable`: survives re-plugging and libvirt's post-parse (a MAC, a host device's source address);
 * - `target`: a host-side name the guest may order differently (`vda` is an ordering hint to the guest);
 * - `singleton`: at most one such device (or one per key) is expected, so the kind itself is the identity;
 * - `position`: nothing better exists; matching falls back to order and says so.
 *
 * A user alias (`<alias name='ua-…'/>`) beats every rule when present.
 */
/**
 * libvirt's user alias, the one kind of device alias a persistent definition keeps and hot-plug takes: `ua-` then
 * letters, digits, `_` and `-` (virDomainDeviceAliasIsUserAlias and USER_ALIAS_CHARS in virDomainDeviceInfoParseXML;
 * libvirtd 9.0 keeps `ua-` alone too). The aliases QEMU's devices get (`virtio-disk0`, `net0`) are not.
 */
export function isUserAlias(name: string | undefined): boolean {
  return name !== undefined && /^ua-[A-Za-z0-9_-]*$/.test(name)
}

export const identityRuleSchema = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Only for devices whose `type` attribute has this value (host devices differ by type). */
  type: z.string().regex(/^[a-z0-9_-]+$/).optional(),
  /** Only for devices whose `model` attribute has this value (the TPM proxy beside the one TPM). */
  model: z.string().regex(/^[a-z0-9_-]+$/).optional(),
  keys: z.array(z.string().regex(/^(?:@[^/@\s]+|[^/@\s]+(?:\/[^/@\s]+)*(?:\/@[^/@\s]+)?)$/)),
  by: z.enum(['stable', 'target', 'singleton', 'position']),
  /** More values that must agree when a key is missing on one side (libvirt fills in MACs, for one). */
  shape: z.array(z.string()).optional(),
  /** What the guest sees of this device, for guest-side identity. */
  guest: z.string().optional(),
  /**
   * Key values compared as libvirt writes them back (xml-core's `normalizeKeyValue`): MACs and
   * UUIDs in lower case, PCI and USB numbers as `0x` hex of libvirt's width, SCSI numbers in decimal.
   */
  normalize: z.record(z.string(), z.enum(['lowercase', 'decimal', 'hex1', 'hex2', 'hex4'])).optional(),
  note: z.string(),
})
  .refine((r) => r.type === undefined || r.model === undefined, { message: 'Expected at most one of `type` and `model`' })
  .refine((r) => Object.keys(r.normalize ?? {}).every((k) => r.keys.includes(k)), { message: 'Expected `normalize` to name keys of the rule' })

export type DeviceIdentityRule = z.infer<typeof identityRuleSchema>

/**
 * Every device kind under `<devices>` (libvirt's schema names), settled against libvirt's own
 * validation where the old merge and matching tables disagreed:
 * panic and watchdog by model (libvirt allows one per model: `qemuValidateDomainDefPanic`,
 * `qemuValidateDomainDefWatchdogs`, which lets only i6300esb repeat); one TPM besides the
 * spapr-tpm-proxy (`qemuValidateDomainDefTPMs`: "only a single TPM non-proxy device"), so a
 * second TPM model is a conflict, not a second device; parallel ports by port; crypto by model
 * and type; pstore by backend; video by order.
 */
export const deviceIdentityRules: readonly DeviceIdentityRule[] = z.array(identityRuleSchema).parse([
  { kind: 'disk', keys: ['target/@dev'], by: 'target', shape: ['source/@file', 'source/@dev', 'source/@name', 'source/@volume'], guest: 'the disk serial: /dev/disk/by-id/virtio-<serial> (virtio-blk), scsi-0QEMU_QEMU_HARDDISK_<serial> (SCSI)', note: 'the target name is unique per domain, but the guest orders disks itself: match by ua- alias or serial across reboots' },
  { kind: 'interface', keys: ['mac/@address'], by: 'stable', shape: ['@type', 'source/@network', 'source/@bridge', 'source/@dev', 'model/@type'], guest: 'the MAC address', normalize: { 'mac/@address': 'lowercase' }, note: 'libvirt fills in a MAC when none is given: an interface without one is matched by type, source and model when exactly one fits' },
  { kind: 'controller', keys: ['@type', '@index'], by: 'stable', note: 'type and index are unique per domain; libvirt adds controllers (and their indexes) itself' },
  { kind: 'hostdev', type: 'pci', keys: ['source/address/@domain', 'source/address/@bus', 'source/address/@slot', 'source/address/@function'], by: 'stable', normalize: { 'source/address/@domain': 'hex4', 'source/address/@bus': 'hex2', 'source/address/@slot': 'hex2', 'source/address/@function': 'hex1' }, note: 'the host PCI address domain:bus:slot.function, as libvirt writes it (0x%04x, 0x%02x, 0x%02x, 0x%x)' },
  { kind: 'hostdev', type: 'usb', keys: ['source/vendor/@id', 'source/product/@id'], by: 'stable', normalize: { 'source/vendor/@id': 'hex4', 'source/product/@id': 'hex4' }, note: 'vendor and product — never the USB bus/device numbers, which change when the device is re-plugged (virt-xml cannot find a re-plugged device to unplug for that reason)' },
  { kind: 'hostdev', type: 'mdev', keys: ['source/address/@uuid'], by: 'stable', normalize: { 'source/address/@uuid': 'lowercase' }, note: 'the mediated device UUID' },
  { kind: 'hostdev', type: 'scsi', keys: ['source/adapter/@name', 'source/address/@bus', 'source/address/@target', 'source/address/@unit'], by: 'stable', normalize: { 'source/address/@bus': 'decimal', 'source/address/@target': 'decimal', 'source/address/@unit': 'decimal' }, note: 'the host SCSI adapter and address (libvirt writes the numbers in decimal)' },
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
  { kind: 'tpm', model: 'spapr-tpm-proxy', keys: ['@model'], by: 'singleton', note: 'the pSeries TPM proxy, beside the one TPM' },
  { kind: 'tpm', keys: [], by: 'singleton', note: 'one TPM (libvirt refuses a second non-proxy TPM): another model is a conflict, not another device' },
  { kind: 'memballoon', keys: [], by: 'singleton', note: 'one balloon' },
  { kind: 'watchdog', keys: ['@model'], by: 'singleton', note: 'one per model (libvirt lets only i6300esb repeat)' },
  { kind: 'panic', keys: ['@model'], by: 'singleton', note: 'one per model' },
  { kind: 'iommu', keys: [], by: 'singleton', note: 'one IOMMU' },
  { kind: 'vsock', keys: [], by: 'singleton', note: 'one vsock; the guest sees its cid' },
  { kind: 'shmem', keys: ['@name'], by: 'stable', note: 'by name' },
  { kind: 'memory', keys: ['@model', 'target/node', 'address/@base'], by: 'position', note: 'DIMMs of one size and node are identical until libvirt gives them a base address' },
  { kind: 'lease', keys: ['lockspace', 'key'], by: 'stable', note: 'by lockspace and key' },
  { kind: 'emulator', keys: [], by: 'singleton', note: 'the emulator binary' },
  { kind: 'crypto', keys: ['@model', '@type'], by: 'singleton', note: 'by model and type' },
  { kind: 'pstore', keys: ['@backend'], by: 'singleton', note: 'by backend' },
  { kind: 'nvram', keys: [], by: 'singleton', note: 'one NVRAM device (pSeries)' },
])

/** The repeated elements outside `<devices>`, and inside any device (merge and diff need them too). */
export const domainIdentityRules: readonly XmlIdentityRule[] = [
  { path: 'domain/os/boot', key: ['@dev'] },
  { path: 'domain/features/*', key: [] },
  { path: 'domain/cpu/feature', key: ['@name'] },
  { path: 'domain/cpu/numa/cell', key: ['@id'] },
  { path: 'domain/clock/timer', key: ['@name'] },
  { path: 'domain/features/hyperv/*', key: [] },
  { path: 'domain/devices/*/driver', key: [] },
  { path: 'domain/iothreadids/iothread', key: ['@id'] },
  { path: 'domain/vcpus/vcpu', key: ['@id'] },
  { path: 'domain/cputune/vcpupin', key: ['@vcpu'] },
  { path: 'domain/numatune/memnode', key: ['@cellid'] },
  { path: 'domain/resource/partition', key: [] },
  { path: 'domain/seclabel', key: ['@model'] },
  { path: 'domain/sysinfo', key: ['@type'] },
  { path: 'domain/sysinfo/*/entry', key: ['@name'] },
  { path: 'domain/metadata/*', key: [] },
  { path: 'domain/devices/*/source/host', key: ['@name', '@port', '@socket'] },
]

/** The xml-core path of a device rule: `domain/devices/hostdev[@type='pci']`. */
function pathOf(rule: DeviceIdentityRule): string {
  const predicate = rule.type !== undefined ? `[@type='${rule.type}']` : rule.model !== undefined ? `[@model='${rule.model}']` : ''
  return `domain/devices/${rule.kind}${predicate}`
}

/**
 * A device table as xml-core's identity keys, with `base` rules for everything that is not a
 * device kind of the table (`domainIdentityRules` by default), so merge and diff match devices
 * the way matching does.
 */
export function toIdentityKeys(rules: readonly DeviceIdentityRule[], base: IdentityKeys | readonly XmlIdentityRule[] = domainIdentityRules): IdentityKeys {
  const devices = new Set(rules.map(pathOf))
  const others = 'rules' in base ? base.rules : base
  return {
    userAliases: true,
    rules: [
      ...rules.map((r) => ({ path: pathOf(r), key: r.keys, ...(r.normalize ? { normalize: r.normalize } : {}), note: r.note })),
      ...others.filter((r) => !devices.has(r.path)),
    ],
  }
}

/** libvirt's identities as xml-core's merge, diff and patch take them: one table with matching. */
export const libvirtIdentityKeys: IdentityKeys = toIdentityKeys(deviceIdentityRules)

/** The rule for a device: the first whose kind (and type or model, if it names one) fits. */
export function identityRuleOf(element: { readonly name: string; readonly attributes: Readonly<Record<string, string>> }, rules: readonly DeviceIdentityRule[] = deviceIdentityRules): DeviceIdentityRule | undefined {
  return rules.find((r) => r.kind === element.name && (r.type === undefined || r.type === element.attributes['type']) && (r.model === undefined || r.model === element.attributes['model']))
}
