// How many devices one domain may have before virtuned refuses to compose, apply or plan on it.
// The work per device is linear, but a request must not hold a server's event loop for long: these
// bounds keep one compose under ~100 ms while staying well above what real guests use (see README).
import { rootElement, type Element, type Root } from '@virtuned/xml-core'
import type { LibvirtDocument } from './document.ts'
import { DomainModelError } from './errors.ts'

/** Device counts per domain. */
export interface DeviceLimits {
  /** `<disk>` elements (spec: `disks`). */
  readonly disks: number
  /** `<interface>` elements (spec: `nics`). */
  readonly nics: number
  /** Every child element of `<devices>` (controllers and root ports included; spec: all device lists). */
  readonly devices: number
}

/**
 * The default limits: 1,024 disks, 1,024 NICs, 4,096 devices in all. Four times what the largest
 * mainstream hypervisors allow one VM (256 disks, 10 NICs on vSphere; 256 SCSI disks on Hyper-V), and
 * room for a PCIe root port per disk and NIC on a q35 machine (2,048 devices + 2,048 ports).
 */
export const deviceLimits: DeviceLimits = Object.freeze({ disks: 1024, nics: 1024, devices: 4096 })


/** The device lists of a spec and what each stands for in `<devices>`. */
const specLists = ['disks', 'nics', 'graphics', 'sound'] as const

/**
 * Whether spec input (before the schema) has more devices than the limits: checked first, so an
 * oversized spec is refused in time proportional to its list lengths, not to its content.
 */
export function specDeviceLimitProblem(input: unknown, limits: DeviceLimits = deviceLimits): { readonly path: string; readonly message: string } | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  const lists = input as Record<string, unknown>
  const length = (key: string): number => {
    const value = Object.hasOwn(lists, key) ? lists[key] : undefined
    return Array.isArray(value) ? value.length : 0
  }
  const disks = length('disks')
  if (disks > limits.disks) return { path: 'disks', message: `Unexpected ${disks} disks, expected at most ${limits.disks} in one domain` }
  const nics = length('nics')
  if (nics > limits.nics) return { path: 'nics', message: `Unexpected ${nics} NICs, expected at most ${limits.nics} in one domain` }
  // The single devices (tpm, rng, video) count one each, at most three.
  const total = specLists.reduce((sum, key) => sum + length(key), 3)
  if (total > limits.devices) {
    const largest = specLists.reduce((a, b) => (length(b) > length(a) ? b : a))
    return { path: largest, message: `Unexpected ${total} devices, expected at most ${limits.devices} in one domain` }
  }
  return undefined
}

/**
 * Refuse a domain with more devices than the limits (in the XML as given), before any work that
 * grows with the device count.
 *
 * @throws DomainModelError `model-too-many-devices`, whose `path` names the list (`domain/devices/disk`)
 *   and whose `place` is the first device over the limit.
 */
export function checkDeviceLimits(input: LibvirtDocument | Root | Element, limits: DeviceLimits = deviceLimits): void {
  const root = 'kind' in input ? input.root : input.type === 'root' ? rootElement(input) : input
  if (root === undefined || root.name !== 'domain') return
  let devices: Element | undefined
  for (const c of root.children) if (c.type === 'element' && c.name === 'devices') { devices = c; break }
  if (devices === undefined) return
  let disks = 0
  let nics = 0
  let total = 0
  for (const c of devices.children) {
    if (c.type !== 'element') continue
    total++
    if (c.name === 'disk' && ++disks > limits.disks) throw tooMany(c, 'domain/devices/disk', `\`<disk>\` number ${disks}, expected at most ${limits.disks} disks`)
    if (c.name === 'interface' && ++nics > limits.nics) throw tooMany(c, 'domain/devices/interface', `\`<interface>\` number ${nics}, expected at most ${limits.nics} NICs`)
    if (total > limits.devices) throw tooMany(c, 'domain/devices', `device number ${total} (\`<${c.name}>\`), expected at most ${limits.devices} devices`)
  }
}

function tooMany(element: Element, path: string, what: string): DomainModelError {
  return new DomainModelError('model-too-many-devices', `Unexpected ${what} in one domain`, { path, place: element.position?.start })
}
