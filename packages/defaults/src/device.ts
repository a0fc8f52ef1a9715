// Defaults for one device about to be hot-plugged: the profile's device rules (disk bus, discard,
// NIC model, multiqueue…) evaluated against the live domain, as a fill layer for @virtuned/hotplug.
import { fillAttribute, parseXml, rootElement, type Element, type Root } from '@virtuned/xml-core'
import { parseDomain, recordedOsId, type LibvirtDocument } from '@virtuned/model'
import { domainFacts, child } from './facts.ts'
import { assumedHost, type HostCapabilities } from './host.ts'
import { resolveOs, defaultOsTable } from './os.ts'
import type { OsTable } from './osinfo.ts'
import { getProfile, profileRules } from './profiles.ts'
import { check, defaultParameters, type DefaultsParameters, type RuleContext } from './rules.ts'
import { recordedProfile } from './apply.ts'

export interface DeviceDefaultsOptions {
  readonly os?: string
  readonly osTable?: OsTable
  readonly host?: HostCapabilities
  readonly profile?: string
  readonly parameters?: Partial<DefaultsParameters>
}

/** A device-rooted fill layer (`{ name, mode, document }`: xml-core's `Layer`, the shape hotplug's `layers` take). */
export interface DeviceDefaultsLayer {
  readonly name: string
  readonly mode: 'fill'
  /** The layer as a tree (`<disk><target bus='virtio'/></disk>`); `toXml` writes it out. */
  readonly document: Root
  /** `rule-id: child/@attr=value` for each value the layer fills. */
  readonly filled: readonly string[]
}

/**
 * The defaults for `device` in `domain`, using the OS and profile recorded in the domain's metadata
 * (or given). Only device-level rules apply; values the device already has are left alone by the
 * fill. Returns `undefined` when no rule has anything to add.
 */
export function deviceDefaultsLayer(domain: string | Uint8Array | LibvirtDocument, device: string | Element, options: DeviceDefaultsOptions = {}): DeviceDefaultsLayer | undefined {
  const root = (typeof domain === 'string' || domain instanceof Uint8Array ? parseDomain(domain) : domain).root
  const element = typeof device === 'string' ? rootElement(parseXml(device))! : device
  const osId = options.os ?? recordedOsId(root)
  const profile = getProfile(options.profile ?? recordedProfile(root) ?? undefined)
  // Without OS knowledge the plan's own choices (virtio, the hot-pluggable bus) stand.
  if (osId === undefined) return undefined
  const os = resolveOs(osId, options.osTable ?? defaultOsTable).entry
  const facts = domainFacts(root)
  const context: RuleContext = { os, host: options.host ?? assumedHost, domain: facts, parameters: { ...defaultParameters, ...options.parameters }, vcpus: facts.vcpus, iothreads: facts.iothreads }
  const target = child(element, 'target')
  const driver = child(element, 'driver')
  const disk = element.name === 'disk'
    ? { element, device: element.attributes.device ?? 'disk', hasAddress: false, ...(target?.attributes.dev ? { target: target.attributes.dev } : {}), ...(target?.attributes.bus ? { bus: target.attributes.bus } : {}), ...(driver?.attributes.type ? { format: driver.attributes.type } : {}) }
    : undefined
  const values = new Map<string, Map<string, string>>()
  const filled: string[] = []
  // Each rule sees the device as the earlier rules left it (multiqueue needs the virtio model).
  let current = element
  for (const rule of profileRules(profile)) {
    if (rule.device?.kind !== element.name || !check(rule.when, context).holds) continue
    const wanted = rule.device.fill(current, context, disk)
    for (const [path, value] of Object.entries(wanted ?? {})) {
      const [childName, attr] = path.split('/@') as [string, string]
      // A hot-plugged disk gets its target name from the plan, which knows the free ones.
      if (path === 'target/@dev') continue
      if (child(element, childName)?.attributes[attr] !== undefined) continue
      const attrs = values.get(childName) ?? new Map<string, string>()
      if (!attrs.has(attr)) { attrs.set(attr, value); filled.push(`${rule.id}: ${path}=${value}`) }
      values.set(childName, attrs)
      current = fillAttribute(current, path, value)
    }
  }
  if (filled.length === 0) return undefined
  const children: Element[] = [...values].map(([name, attrs]) => ({ type: 'element', name, attributes: Object.fromEntries(attrs), children: [] }))
  const layer: Element = { type: 'element', name: element.name, attributes: {}, children }
  return { name: `defaults ${profile.id}`, mode: 'fill', document: { type: 'root', children: [layer] }, filled }
}
