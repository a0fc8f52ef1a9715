// Finding an OS in the table, with a fallback to the nearest known release of the same family.
import { DefaultsError } from './errors.ts'
import type { OsEntry, OsTable } from './osinfo.ts'
import { osTable as embeddedTable } from './os-table.generated.ts'

/** The OS the rules will consult, and how it was found. */
export interface ResolvedOs {
  readonly entry: OsEntry
  /** What the caller asked for. */
  readonly requested: string
  /** The libosinfo URI to record in the domain: the requested OS's, also when another release stands in. */
  readonly recordAs: string
  /** Set when the table did not know `requested` and a related release stands in for it. */
  readonly warning?: string
}

/** The table compiled from osinfo-db at build time (see `scripts/gen-os-table.ts`). */
export const defaultOsTable: OsTable = embeddedTable

const indexes = new WeakMap<OsTable, Map<string, OsEntry>>()

function index(table: OsTable): Map<string, OsEntry> {
  let map = indexes.get(table)
  if (!map) {
    map = new Map()
    for (const e of table.entries) { map.set(e.id, e); map.set(e.shortId, e) }
    indexes.set(table, map)
  }
  return map
}

/** `debian12` → `{ stem: 'debian', version: [12] }`; `http://fedoraproject.org/fedora/38` → `fedora`, `[38]`. */
function splitId(id: string): { stem: string; version: number[] } | undefined {
  const uri = /^https?:\/\/[^/]+\/(.+)\/([0-9][0-9.]*)$/.exec(id)
  if (uri) return { stem: uri[1]!.replace(/\//g, ''), version: uri[2]!.split('.').map(Number) }
  const short = /^([a-z][a-z-]*?)([0-9][0-9.]*)$/.exec(id)
  if (short) return { stem: short[1]!, version: short[2]!.split('.').filter(Boolean).map(Number) }
  return undefined
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Looks an OS up by libosinfo short id or URI. An id the table does not know but whose family it
 * does (`debian12` with a database that stops at `debian11`) resolves to the nearest release —
 * the newest one not newer than asked, else the oldest newer one — with a warning saying so.
 * @throws DefaultsError `defaults-unknown-os` when nothing of that family is known.
 */
export function resolveOs(id: string, table: OsTable = defaultOsTable): ResolvedOs {
  const known = index(table).get(id)
  if (known) return { entry: known, requested: id, recordAs: known.id }
  const wanted = splitId(id)
  if (wanted) {
    const family = table.entries
      .map((entry) => ({ entry, parts: splitId(entry.shortId) }))
      .filter((c): c is { entry: OsEntry; parts: { stem: string; version: number[] } } => c.parts?.stem === wanted.stem)
    if (family.length > 0) {
      const older = family.filter((c) => compare(c.parts.version, wanted.version) <= 0).sort((a, b) => compare(b.parts.version, a.parts.version))
      const newer = family.filter((c) => compare(c.parts.version, wanted.version) > 0).sort((a, b) => compare(a.parts.version, b.parts.version))
      const pick = (older[0] ?? newer[0])!
      const uri = /^https?:/.test(id) ? id : pick.entry.id.replace(/[0-9][0-9.]*$/, wanted.version.join('.'))
      return {
        entry: pick.entry,
        requested: id,
        recordAs: uri,
        warning: `${table.source} does not know \`${id}\`; using the nearest known release \`${pick.entry.shortId}\` (${pick.entry.name}). For exact knowledge install a newer osinfo-db (Debian: apt install osinfo-db; the CLI reads /usr/share/osinfo when it is newer than its table) or point the CLI at one with --osinfo-db DIR.`,
      }
    }
  }
  throw new DefaultsError('defaults-unknown-os', `Unknown OS \`${id}\` in ${table.source}, and no release of its family is known`, { path: id })
}

// Rules ask an OS about its devices many times per composition: a set per (immutable) entry.
const deviceSets = new WeakMap<OsEntry, ReadonlySet<string>>()

/**
 * The devices an OS supports under every name a rule may ask by: its own ids, and for each virtio 1.0
 * id (`virtio1.0-net`) the transitional one (`virtio-net`), made once per entry, so that a question is
 * one lookup of a constant string (not a new `virtio1.0-…` string, hashed, on every miss).
 */
function supportedDevices(os: OsEntry): ReadonlySet<string> {
  let devices = deviceSets.get(os)
  if (devices === undefined) {
    const names = new Set(os.devices)
    for (const id of os.devices) if (id.startsWith('virtio1.0-')) names.add('virtio-' + id.slice(10))
    deviceSets.set(os, (devices = names))
  }
  return devices
}

/** Whether the OS has in-box drivers for a device (either the virtio 1.0 or the transitional id for virtio). */
export function osSupports(os: OsEntry | undefined, device: string): boolean {
  return os !== undefined && supportedDevices(os).has(device)
}

/** Architectures that run another's guests natively: an `i686` release installs on `x86_64`, a `ppc64` one on `ppc64le` kernels' machines. */
const runsAlso: Readonly<Record<string, readonly string[]>> = { x86_64: ['i686'] }

/** Whether osinfo-db publishes the OS for an architecture (true when it lists no architectures at all: nothing is known). */
export function osHasArch(os: OsEntry, arch: string): boolean {
  const arches = os.arches
  if (arches === undefined || arches.length === 0 || arches.includes('all') || arches.includes(arch)) return true
  return (runsAlso[arch] ?? []).some((a) => arches.includes(a))
}

/**
 * Refuses an OS that osinfo-db does not publish for the guest's architecture (no installer media,
 * tree or cloud image of it): `win11` on s390x, `fedora37` on ppc64le.
 * @throws DefaultsError `defaults-os-not-for-arch`
 */
export function checkOsArch(os: OsEntry, arch: string): void {
  if (osHasArch(os, arch)) return
  throw new DefaultsError('defaults-os-not-for-arch', `Unexpected OS \`${os.shortId}\` (${os.name}) on ${arch}: osinfo-db publishes it for ${os.arches!.join(', ')} only`, { path: os.shortId })
}
