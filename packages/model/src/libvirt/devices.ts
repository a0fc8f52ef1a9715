// Where libvirt puts things when it formats a domain, and which elements are devices: the one list
// of each. Read from libvirt's formatter (src/conf/domain_conf.c, virDomainDefFormatInternalSetRootName
// and virDomainDefFormatOS… in master) and checked against every file libvirt wrote in the corpus
// (domains-out, generic-out, hotplug/domains): no adjacent pair there contradicts these lists.

/** Children of `<domain>`, in libvirt's order (`hwuuid` and `iommufd` are libvirt ≥ 11.x). */
export const domainChildOrder = [
  'name', 'uuid', 'hwuuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
  'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread',
  'throttlegroups', 'cputune', 'numatune', 'iommufd', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap',
  'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
  'seclabel', 'keywrap', 'launchSecurity',
] as const

/**
 * Children of `<devices>`, in libvirt's order: `nvram` (pseries) after `rng`, `crypto` before
 * `iommu`, as virDomainDefFormatInternalSetRootName writes them.
 */
export const deviceOrder = [
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console',
  'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub',
  'watchdog', 'memballoon', 'rng', 'nvram', 'panic', 'shmem', 'memory', 'crypto', 'iommu', 'vsock', 'pstore',
] as const

/**
 * Children of `<os>`, in libvirt's order: the container `init*` elements, then `loader`/`varstore`/
 * `nvram`, direct-kernel boot, then `acpi`, `boot`, `bootmenu`, `bios` and last `smbios`.
 */
export const osChildOrder = [
  'type', 'firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup', 'loader', 'varstore', 'nvram',
  'kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'root', 'acpi', 'boot', 'bootmenu', 'bios', 'smbios',
] as const

/**
 * Root elements libvirt accepts as one device (attach, detach, update: `virsh attach-device`):
 * the children of `<devices>`, the same list as {@link deviceOrder}.
 */
export const deviceKinds = deviceOrder

export type DeviceKind = (typeof deviceKinds)[number]

const deviceKindSet: ReadonlySet<string> = new Set(deviceKinds)

/** Whether an element name is a libvirt device kind. */
export function isDeviceKind(name: string): name is DeviceKind {
  return deviceKindSet.has(name)
}

// Each order's ranks by name, made once per order (the orders are constants): a map lookup instead
// of a scan of up to 50 names per element.
const rankTables = new WeakMap<readonly string[], ReadonlyMap<string, number>>()

function ranksOf(order: readonly string[]): ReadonlyMap<string, number> {
  let table = rankTables.get(order)
  if (table === undefined) {
    const ranks = new Map<string, number>()
    // The first place of a name, as `indexOf` finds it.
    order.forEach((name, i) => { if (!ranks.has(name)) ranks.set(name, i) })
    rankTables.set(order, (table = ranks))
  }
  return table
}

/** Rank of a name in an order, or `undefined` for names the order does not know. */
export function rankIn(order: readonly string[], name: string): number | undefined {
  return ranksOf(order).get(name)
}

/**
 * Sorts the children of `parent` into `order`, stably; a name the order does not know keeps its
 * place after the known name before it. Text between elements (indentation) is dropped: the
 * serializer lays the document out again.
 */
export function sortChildren<E extends { type: string; name?: string; children?: readonly unknown[] }>(children: readonly E[], order: readonly string[]): E[] {
  const ranks = ranksOf(order)
  const kept: E[] = []
  const rank: number[] = []
  let last = -1
  let inOrder = true
  for (let ci = 0; ci < children.length; ci++) {
    const c = children[ci]!
    if (c.type !== 'element' && c.type !== 'comment') continue
    const r = c.type === 'element' ? ranks.get(c.name ?? '') : undefined
    if (r !== undefined) last = r
    const at = r ?? last + 0.5
    if (rank.length > 0 && at < rank[rank.length - 1]!) inOrder = false
    kept.push(c)
    rank.push(at)
  }
  // Already in order (equal ranks keep their order: the sort is stable): nothing to move.
  if (inOrder) return kept
  const indexes = kept.map((_, i) => i).sort((a, b) => rank[a]! - rank[b]! || a - b)
  return indexes.map((i) => kept[i]!)
}
