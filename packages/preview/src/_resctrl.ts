// Cache and memory bandwidth allocations (<cputune><cachetune>, <memorytune>) as libvirt reads and writes them
// (private): virDomainCachetuneDefParse, virDomainMemorytuneDefParse and virresctrl.c's allocations; written back by
// virDomainCachetuneDefFormat and virDomainMemorytuneDefFormat. The same in libvirt 9.0 and 11.3 but for a bandwidth
// above 100, which only 9.0 refuses (virResctrlAllocSetMemoryBandwidth).
import { readCUnsigned, readLibvirtScaled } from '@virtuned/model'
import { cpuMaskLength, formatBitmap, parseBitmap, type Bitmap } from './_bitmap.ts'
import { child, kids, node, textIn, type N } from './_node.ts'

/** virCacheType in its order (the order allocations are written in, within a level). */
const cacheTypes = ['both', 'code', 'data'] as const

interface Monitor { readonly tag: 'cache' | 'membw'; readonly vcpus: Bitmap }

/** One resctrl group: its vCPUs, their cache sizes and memory bandwidths, and its monitors. */
export interface Resctrl {
  readonly vcpus: Bitmap
  /** Cache sizes in bytes by level, type (`cacheTypes` index) and cache id. */
  readonly caches: Map<number, Map<number, Map<number, bigint>>>
  /** Memory bandwidth percentages by node id. */
  readonly bandwidths: Map<number, number>
  readonly monitors: Monitor[]
}

export interface ResctrlProblem { readonly message: string; readonly path: string }

const sameBitmap = (p: Bitmap, q: Bitmap): boolean => p.length === q.length && p.every(([a, b], i) => q[i]![0] === a && q[i]![1] === b)
const overlap = (p: Bitmap, q: Bitmap): boolean => p.some(([a, b]) => q.some(([x, y]) => x <= b && a <= y))
const subset = (p: Bitmap, q: Bitmap): boolean => p.every(([a, b]) => q.some(([x, y]) => x <= a && b <= y))

/** virBitmapShrink: the members below `size`. */
function shrink(bitmap: Bitmap, size: number): Bitmap {
  const out: [number, number][] = []
  for (const [a, b] of bitmap) if (a < size) out.push([a, Math.min(b, size - 1)])
  return out
}

/** An unsigned attribute as virXMLPropUInt reads it, or undefined (its refusal is the typed reads', model's attributeReads). */
/** An unsigned int as virXMLPropUInt reads it (virStrToLong_uip: base 10, a minus sign refused, not wrapped). */
const uintOf = (value: string | undefined): number | undefined => { const read = value === undefined || /^[\t\n\v\f\r ]*-/.test(value) ? undefined : readCUnsigned(value, 'uint'); return read === undefined ? undefined : Number(read) }

/**
 * The domain's resctrl groups as libvirt's parser builds them from `<cputune>` (a group whose vCPUs all lie beyond the
 * domain's, or that allocates and monitors nothing, is none), or the first refusal on the way, in its words. A value
 * the typed reads refuse (a cache id, level or type, a node id or bandwidth) ends the walk without a refusal of its own.
 */
/**
 * The <cachetune>s and <memorytune>s whose vCPUs all lie beyond the domain's: virDomainCachetuneDefParse and
 * virDomainMemorytuneDefParse return once virDomainResctrlParseVcpus has shrunk them to none, before reading a cache,
 * node or monitor of theirs — `<cachetune vcpus='5'><cache id='x' …/>` on four vCPUs is taken, libvirtd 9.0.
 */
export function unreadTunes(domain: N): ReadonlySet<N> {
  const unread = new Set<N>()
  const cputune = child(domain, 'cputune')
  if (cputune === undefined) return unread
  const maxVcpus = Math.max(0, Number(textIn(child(domain, 'vcpu')) || '1') || 0)
  for (const tune of cputune.children) {
    if (tune.name !== 'cachetune' && tune.name !== 'memorytune') continue
    const written = tune.attrs.vcpus
    const parsed = written === undefined ? undefined : parseBitmap(written, cpuMaskLength)
    if (parsed !== undefined && shrink(parsed, maxVcpus).length === 0) unread.add(tune)
  }
  return unread
}

export function readResctrls(domain: N, libvirt9: boolean): { readonly resctrls: readonly Resctrl[] } | { readonly problem: ResctrlProblem } {
  const cputune = child(domain, 'cputune')
  const resctrls: Resctrl[] = []
  if (cputune === undefined) return { resctrls }
  const maxVcpus = Math.max(0, Number(textIn(child(domain, 'vcpu')) || '1') || 0)
  const stop = { resctrls }
  const place = (name: string, i: number): string => `domain/cputune/${name}[${i + 1}]`
  /** virDomainResctrlParseVcpus, then virDomainResctrlVcpuMatch over the groups so far. */
  const vcpusOf = (n: N, at: string): { vcpus: Bitmap } | { problem: ResctrlProblem } => {
    const written = n.attrs.vcpus
    if (written === undefined) return { problem: { message: `Missing ${n.name} attribute 'vcpus'`, path: at } }
    const parsed = parseBitmap(written, cpuMaskLength)
    if (parsed === undefined) return { problem: { message: `Invalid ${n.name} attribute 'vcpus' value '${written}'`, path: `${at}/@vcpus` } }
    return { vcpus: shrink(parsed, maxVcpus) }
  }
  const match = (vcpus: Bitmap, at: string): { group: Resctrl | undefined } | { problem: ResctrlProblem } => {
    for (const r of resctrls) {
      if (sameBitmap(r.vcpus, vcpus)) return { group: r }
      if (overlap(r.vcpus, vcpus)) return { problem: { message: 'Overlapping vcpus in resctrls', path: `${at}/@vcpus` } }
    }
    return { group: undefined }
  }
  /** A tune's vCPUs and the group of the same vCPUs so far (undefined: its vCPUs all lie beyond the domain's, it is none). */
  const groupOf = (tune: N, at: string): { vcpus: Bitmap; group: Resctrl | undefined } | { problem: ResctrlProblem } | undefined => {
    const read = vcpusOf(tune, at)
    if ('problem' in read) return read
    if (read.vcpus.length === 0) return undefined
    const matched = match(read.vcpus, at)
    return 'problem' in matched ? matched : { vcpus: read.vcpus, group: matched.group }
  }
  /** virDomainResctrlMonDefParse with virDomainResctrlValidateMonitor: undefined when all went well. */
  const monitorsOf = (n: N, at: string, tag: Monitor['tag'], group: Resctrl): ResctrlProblem | 'stop' | undefined => {
    const monitors = kids(n, 'monitor')
    for (let i = 0; i < monitors.length; i++) {
      const m = monitors[i]!
      const mAt = `${at}/monitor[${i + 1}]`
      if (tag === 'cache') {
        const level = uintOf(m.attrs.level)
        if (level === undefined) return 'stop'
        if (level !== 3) return { message: `Invalid monitor cache level '${level}'`, path: `${mAt}/@level` }
      }
      const read = vcpusOf(m, mAt)
      if ('problem' in read) return read.problem
      const vcpus = read.vcpus
      if (vcpus.length === 0) return { message: 'vcpus is empty', path: `${mAt}/@vcpus` }
      if (!subset(vcpus, group.vcpus)) return { message: 'Monitor vcpus conflicts with allocation', path: `${mAt}/@vcpus` }
      const equalToGroup = sameBitmap(vcpus, group.vcpus)
      const defaultAllocation = group.caches.size === 0 && group.bandwidths.size === 0
      let overlapAny = false
      let overlapOutsideGroup = false
      for (const other of group.monitors) {
        if (sameBitmap(vcpus, other.vcpus)) {
          if (other.tag !== tag) continue
          return { message: 'Identical vcpus found in same type monitors', path: `${mAt}/@vcpus` }
        }
        if (overlap(vcpus, other.vcpus)) overlapAny = true
        if (equalToGroup || sameBitmap(other.vcpus, group.vcpus)) continue
        if (overlap(vcpus, other.vcpus)) overlapOutsideGroup = true
      }
      if (overlapOutsideGroup || (defaultAllocation && overlapAny)) return { message: 'vcpus overlaps in resctrl groups', path: `${mAt}/@vcpus` }
      group.monitors.push({ tag, vcpus })
    }
    return undefined
  }

  const cachetunes = kids(cputune, 'cachetune')
  for (let t = 0; t < cachetunes.length; t++) {
    const tune = cachetunes[t]!
    const at = place('cachetune', t)
    const found = groupOf(tune, at)
    if (found === undefined) continue
    if ('problem' in found) return found
    if (found.group !== undefined) return { problem: { message: 'Identical vcpus in cachetunes found', path: `${at}/@vcpus` } }
    const group: Resctrl = { vcpus: found.vcpus, caches: new Map(), bandwidths: new Map(), monitors: [] }
    const caches = kids(tune, 'cache')
    for (let i = 0; i < caches.length; i++) {
      const c = caches[i]!
      const cAt = `${at}/cache[${i + 1}]`
      const id = uintOf(c.attrs.id)
      const level = uintOf(c.attrs.level)
      const type = cacheTypes.indexOf(c.attrs.type as (typeof cacheTypes)[number])
      if (id === undefined || level === undefined || type < 0) return stop
      // virParseScaledValue: the size in KiB unless a unit says otherwise, required
      if (c.attrs.size === undefined || c.attrs.size === '') return { problem: { message: "missing element or attribute './@size'", path: `${cAt}/@size` } }
      const size = readLibvirtScaled(c.attrs.size, c.attrs.unit, 'KiB', 2n ** 64n - 1n, './@size')
      if ('error' in size) return { problem: { message: size.error, path: `${cAt}/@size` } }
      // virResctrlAllocCheckCollision: an allocation of type both takes the whole cache
      const types = group.caches.get(level)
      const taken = (k: number): boolean => types?.get(k)?.has(id) === true
      if (taken(0) || (type === 0 ? taken(1) || taken(2) : taken(type))) {
        return { problem: { message: `Colliding cache allocations for cache level '${level}' id '${id}', type '${cacheTypes[type]}'`, path: cAt } }
      }
      let byType = types
      if (byType === undefined) group.caches.set(level, (byType = new Map()))
      let byId = byType.get(type)
      if (byId === undefined) byType.set(type, (byId = new Map()))
      byId.set(id, size.bytes)
    }
    const problem = monitorsOf(tune, at, 'cache', group)
    if (problem === 'stop') return stop
    if (problem) return { problem }
    if (group.monitors.length > 0 || caches.length > 0) resctrls.push(group)
  }

  const memorytunes = kids(cputune, 'memorytune')
  for (let t = 0; t < memorytunes.length; t++) {
    const tune = memorytunes[t]!
    const at = place('memorytune', t)
    const found = groupOf(tune, at)
    if (found === undefined) continue
    if ('problem' in found) return found
    // (a group of the same vCPUs, from a cachetune or an earlier memorytune, takes these bandwidths too)
    const group: Resctrl = found.group ?? { vcpus: found.vcpus, caches: new Map(), bandwidths: new Map(), monitors: [] }
    const nodes = kids(tune, 'node')
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!
      const id = uintOf(n.attrs.id)
      const bandwidth = uintOf(n.attrs.bandwidth)
      if (id === undefined || bandwidth === undefined) return stop
      const nAt = `${at}/node[${i + 1}]`
      // (libvirt 11 takes any percentage here: 11.3's virResctrlAllocSetMemoryBandwidth checks none, seen on libvirtd 11.3)
      if (libvirt9 && bandwidth > 100) return { problem: { message: 'Memory Bandwidth value exceeding 100 is invalid.', path: `${nAt}/@bandwidth` } }
      if (group.bandwidths.has(id)) return { problem: { message: `Memory Bandwidth already defined for node ${id}`, path: nAt } }
      group.bandwidths.set(id, bandwidth)
    }
    const before = group.monitors.length
    const problem = monitorsOf(tune, at, 'membw', group)
    if (problem === 'stop') return stop
    if (problem) return { problem }
    if (found.group === undefined && (group.monitors.length > before || nodes.length > 0)) resctrls.push(group)
  }
  return { resctrls }
}

/** virFormatIntPretty: the largest binary unit that divides the size (bytes for 0). */
function prettySize(bytes: bigint): { value: bigint; unit: string } {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes
  let u = 0
  while (u < 5 && value !== 0n && value % 1024n === 0n) { value /= 1024n; u++ }
  // (virFormatIntPretty stops at PiB, whatever is left)
  return { value, unit: units[u]! }
}

/** The `<cachetune>` and `<memorytune>` elements libvirt writes for the groups, in its order (every group's cachetune first). */
export function resctrlElements(resctrls: readonly Resctrl[]): N[] {
  const cachetunes: N[] = []
  const memorytunes: N[] = []
  for (const r of resctrls) {
    const vcpus = formatBitmap(r.vcpus)
    const caches: N[] = []
    for (const level of [...r.caches.keys()].sort((a, b) => a - b)) {
      const types = r.caches.get(level)!
      for (const type of [...types.keys()].sort((a, b) => a - b)) {
        const ids = types.get(type)!
        for (const id of [...ids.keys()].sort((a, b) => a - b)) {
          const { value, unit } = prettySize(ids.get(id)!)
          caches.push(node('cache', { id: String(id), level: String(level), type: cacheTypes[type]!, size: String(value), unit }))
        }
      }
    }
    const cacheMonitors = r.monitors.filter((m) => m.tag === 'cache').map((m) => node('monitor', { level: '3', vcpus: formatBitmap(m.vcpus) }))
    if (caches.length + cacheMonitors.length > 0) cachetunes.push({ ...node('cachetune', { vcpus }), children: [...caches, ...cacheMonitors] })
    const bandwidths = [...r.bandwidths.keys()].sort((a, b) => a - b).map((id) => node('node', { id: String(id), bandwidth: String(r.bandwidths.get(id)) }))
    const bwMonitors = r.monitors.filter((m) => m.tag === 'membw').map((m) => node('monitor', { vcpus: formatBitmap(m.vcpus) }))
    if (bandwidths.length + bwMonitors.length > 0) memorytunes.push({ ...node('memorytune', { vcpus }), children: [...bandwidths, ...bwMonitors] })
  }
  return [...cachetunes, ...memorytunes]
}
