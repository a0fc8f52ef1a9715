import { isUserAlias } from '@virtuned/model'
import type { Element } from '@virtuned/xml-core'
import { IdentityError } from './errors.ts'

/** Whether `name` is a valid user alias: libvirt's rule, as model holds it (`ua-` then letters, digits, `_`, `-`). */
export { isUserAlias }

/** The `<alias name>` of a device, if any (libvirt's own, like `virtio-disk0`, or a user alias). */
export function aliasOf(device: Element): string | undefined {
  for (const child of device.children) if (child.type === 'element' && child.name === 'alias') return child.attributes['name']
  return undefined
}

/** Every alias in use among the devices of a domain's `<devices>`. */
export function aliasesIn(devices: readonly Element[]): Set<string> {
  const taken = new Set<string>()
  for (const device of devices) {
    const alias = aliasOf(device)
    if (alias !== undefined) taken.add(alias)
  }
  return taken
}

/** FNV-1a, 32 bits, as base-36: short, stable across runtimes. */
function shortHash(text: string): string {
  let h = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0
  return h.toString(36).padStart(7, '0').slice(-7)
}

export interface AliasOptions {
  /** The name the caller wants (`ua-` is added when missing); refused if invalid or taken. */
  readonly name?: string
  /** What makes this device this device (a volume id, a spec name, a MAC): the same seed gives the same alias. */
  readonly seed?: string
}

/**
 * A user alias for a new device: the caller's name (validated, unique), or
 * `ua-<kind>-<7 base-36 chars>` derived from `seed` (deterministic), with `-2`, `-3`… on collision.
 * Throws `IdentityError` for a bad or taken name.
 */
export function generateAlias(kind: string, taken: ReadonlySet<string>, options: AliasOptions = {}): string {
  if (options.name !== undefined) {
    const name = options.name.startsWith('ua-') ? options.name : `ua-${options.name}`
    if (!isUserAlias(name)) throw new IdentityError('identify-invalid-alias', `Unexpected alias \`${name}\`, expected \`ua-\` then letters, digits, \`_\` or \`-\``)
    if (taken.has(name)) throw new IdentityError('identify-alias-taken', `Unexpected alias \`${name}\`: another device of the domain has it`)
    return name
  }
  const safeKind = kind.replace(/[^a-zA-Z0-9_-]/g, '-')
  const base = `ua-${safeKind}-${shortHash(`${kind}\u0000${options.seed ?? ''}`)}`
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

/** Longest serial QEMU keeps, by disk bus: virtio-blk's ID is 20 bytes, ATA's serial 20, SCSI's 36. */
export const serialLimits: Readonly<Record<string, number>> = { virtio: 20, sata: 20, ide: 20, scsi: 36, usb: 36 }

const serialPattern = /^[A-Za-z0-9_.-]+$/

/**
 * Check a disk serial for a bus: what the guest will see as the disk's stable name
 * (`/dev/disk/by-id/virtio-<serial>` for virtio-blk). Throws `IdentityError`.
 */
export function validateSerial(serial: string, bus: string): string {
  const limit = serialLimits[bus] ?? 20
  if (!serialPattern.test(serial) || serial.length > limit) {
    throw new IdentityError('identify-invalid-serial', `Unexpected serial \`${serial}\` for bus \`${bus}\`, expected 1–${limit} of [A-Za-z0-9_.-]`)
  }
  return serial
}

/** A serial derived from a seed (deterministic), fitting the bus's limit: `vt-` + base-36 hash. */
export function generateSerial(seed: string, bus: string): string {
  const limit = serialLimits[bus] ?? 20
  const serial = `vt-${shortHash(seed)}${shortHash(`${seed}\u0001`)}`
  return serial.slice(0, limit)
}
