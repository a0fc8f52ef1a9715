// What libvirt stores of the enlightenments under <features> (private): <hyperv> and <kvm> are not kept as
// written but read into one slot per enumeration value — the last element of a name setting it — and written
// back from those slots in the enumeration's order, each with only what was read (virDomainFeaturesHyperVDefParse,
// virDomainFeaturesKVMDefParse, virDomainDefFormatFeatures). Checked on libvirtd 9.0: `<synic/>` before
// `<vpindex/>` comes back after it; `<spinlocks state='off' retries='4096'/>` comes back without the retries.
import { node, type N } from './_node.ts'
import { featuresSetBy, hypervEnlightenments11, hypervEnlightenments9, kvmFeatures, processCapabilities, readScaledBytes, xenFeatures } from '@virtuned/model'

/** virDomainOsDefFirmwareFeature in its order: `<os><firmware><feature name>`. */
export const firmwareFeatureNames: readonly string[] = ['enrolled-keys', 'secure-boot']

/**
 * Whether libvirt's parser reads `feature` as set (model's featuresSetBy): `<ioapic/>`, `<hpt/>`, `<cfpc/>`… without
 * what sets them are none — not written back, not validated. A size child sets it when above 0 KiB (rounded up).
 */
export function featureIsSet(feature: N): boolean {
  const by = featuresSetBy.get(feature.name)
  if (by === undefined) return true
  return by.some((what) => {
    if (what.startsWith('@')) return feature.attrs[what.slice(1)] !== undefined
    const size = feature.children.find((c) => c.name === what)
    if (size === undefined) return false
    // (an unreadable size was refused by the parse row; a blank one is none — and any that reads, whatever its limit — an
    // HPT page size up to 2^64 − 1 bytes —, sets it when above 0 once in KiB, rounded up as VIR_DIV_UP does in 64 bits)
    const bytes = readScaledBytes(size.text ?? '', size.attrs.unit, 'KiB')
    return typeof bytes === 'bigint' && kibRoundedUp(bytes) > 0n
  })
}

/**
 * A size in bytes as VIR_DIV_UP(bytes, 1024) gives it in unsigned long long: rounded up, wrapping past 2^64 − 1 —
 * an HPT page size of 18446744073709551615 bytes is 0 KiB, so none (seen on libvirtd 9.0).
 */
export const kibRoundedUp = (bytes: bigint): bigint => ((bytes + 1023n) & 0xffffffffffffffffn) / 1024n

/**
 * Elements of one name that libvirt reads by XPath from above them all (`string(./features/smm/tseg)` and
 * `string(./features/smm/tseg/@unit)`, `./features/hpt/maxpagesize`, `./tb-cache`): one per name, the first's text and
 * children with each attribute the first written in any — `<tseg>16</tseg><tseg unit='KiB'>64</tseg>` is 16 KiB
 * (libvirtd 9.0; probes h43-tseg-unit-second…, h43-hpt-unit-second…).
 */
export function firstOfEachName(elements: readonly N[]): N[] {
  const first = new Map<string, N>()
  for (const e of elements) {
    const earlier = first.get(e.name)
    if (earlier === undefined) { first.set(e.name, e); continue }
    const missing = Object.keys(e.attrs).filter((k) => earlier.attrs[k] === undefined)
    // (a copy: the element written stays as written)
    if (missing.length > 0) first.set(e.name, { ...earlier, attrs: { ...earlier.attrs, ...Object.fromEntries(missing.map((k) => [k, e.attrs[k]!])) } })
  }
  return [...first.values()]
}

/** The on/off a feature element's `state` says (the parser has refused any other value by now). */
const stateOf = (n: N): string | undefined => n.attrs.state

/**
 * `<hyperv>`'s children as libvirt stores them (the parse refusals have run: every name is known, every state given).
 * libvirt 11.3 reads none below a `passthrough` one (readRepeatedFeatures has dropped them) but writes those an earlier
 * `<hyperv>` set in any mode; 9.0 reads them in every mode. A switched-off enlightenment keeps
 * only its state: `spinlocks` its retries, `vendor_id` its value, `stimer` (and, from 11.3, `tlbflush`) their
 * `<direct>`/`<extended>` switches only when on — those switches are one setting each for the whole domain, the last
 * read while on, and written only when on.
 */
export function hypervAsStored(hyperv: N, libvirt9: boolean): N[] {
  const order = libvirt9 ? hypervEnlightenments9 : hypervEnlightenments11
  const state = new Map<string, string>()
  const attributes = new Map<string, Record<string, string>>()
  const switches: Record<string, string | undefined> = {}
  for (const c of hyperv.children) {
    const on = stateOf(c)
    if (on === undefined || !order.includes(c.name)) continue
    state.set(c.name, on)
    if (on !== 'on') continue
    if (c.name === 'spinlocks' && c.attrs.retries !== undefined) attributes.set(c.name, { retries: c.attrs.retries })
    else if (c.name === 'vendor_id' && c.attrs.value !== undefined) attributes.set(c.name, { value: c.attrs.value })
    else if (c.name === 'stimer' || (c.name === 'tlbflush' && !libvirt9)) {
      for (const s of c.children) if (s.attrs.state !== undefined) switches[`${c.name}/${s.name}`] = s.attrs.state
    }
  }
  const stored: N[] = []
  for (const name of order) {
    const on = state.get(name)
    if (on === undefined) continue
    const children: N[] = []
    if (on === 'on') {
      const parts = name === 'stimer' ? ['direct'] : name === 'tlbflush' && !libvirt9 ? ['direct', 'extended'] : []
      for (const part of parts) if (switches[`${name}/${part}`] === 'on') children.push(node(part, { state: 'on' }))
    }
    stored.push(node(name, { state: on, ...(on === 'on' ? attributes.get(name) : undefined) }, children))
  }
  return stored
}

/**
 * `<kvm>`'s children as libvirt stores them: each in the enumeration's order with its last state; `dirty-ring`'s size
 * is one setting, read while on and written whenever set (a later `state='off'` keeps an earlier size).
 */
export function kvmAsStored(kvm: N): N[] {
  const state = new Map<string, string>()
  let size: string | undefined
  for (const c of kvm.children) {
    const on = stateOf(c)
    if (on === undefined || !kvmFeatures.includes(c.name)) continue
    state.set(c.name, on)
    if (c.name === 'dirty-ring' && on === 'on' && c.attrs.size !== undefined) size = c.attrs.size
  }
  const stored: N[] = []
  for (const name of kvmFeatures) {
    const on = state.get(name)
    if (on === undefined) continue
    stored.push(node(name, { state: on, ...(name === 'dirty-ring' && size !== undefined && size !== '0' ? { size } : {}) }))
  }
  return stored
}

/**
 * `<capabilities>`' children as libvirt stores them (virDomainFeaturesCapabilitiesDefParse): one per name, its last
 * state — none written is on —, in virDomainProcessCapsFeature's order (libvirtd 9.0: `<mknod/><audit_control
 * state='off'/><mknod state='off'/>` is stored audit_control off, mknod off).
 */
export function capabilitiesAsStored(capabilities: N): N[] {
  const state = new Map<string, string>()
  for (const c of capabilities.children) if (processCapabilities.includes(c.name)) state.set(c.name, c.attrs.state ?? 'on')
  return processCapabilities.flatMap((name) => { const on = state.get(name); return on === undefined ? [] : [node(name, { state: on })] })
}

/**
 * `<xen>`'s children as libvirt stores them (virDomainFeaturesXENDefParse): one per name, the last written, in
 * virDomainXen's order (e820_host, passthrough; libvirtd 9.0).
 */
export function xenAsStored(xen: N): N[] {
  const last = new Map<string, N>()
  for (const c of xen.children) if (xenFeatures.includes(c.name)) last.set(c.name, c)
  return xenFeatures.flatMap((name) => { const c = last.get(name); return c === undefined ? [] : [c] })
}

/** `<os><firmware>`'s features as libvirt stores them: one per name, the last written, in the enumeration's order. */
export function firmwareFeaturesAsStored(firmware: N): void {
  const features = firmware.children.filter((c) => c.name === 'feature')
  if (features.length < 2) return
  const last = new Map<string, N>()
  for (const f of features) if (f.attrs.name !== undefined) last.set(f.attrs.name, f)
  const ordered = firmwareFeatureNames.flatMap((name) => last.get(name) ?? [])
  firmware.children = [...firmware.children.filter((c) => c.name !== 'feature'), ...ordered]
}
