// One condition language for the defaults' rules (`when`) and the policies' `when` (issue 17):
// one shape, one checker, one set of reasons. Policies validate the same shape with zod
// (`conditionSchema` of @virtuned/policies) and call `check` through their `checkCondition`.
import { defaultFamilyOf, selectsAny, type MachineFamily } from '@virtuned/model'
import { selectsInDevices, type DomainFacts } from './facts.ts'
import type { HostCapabilities } from './host.ts'
import { osSupports } from './os.ts'
import type { OsEntry } from './osinfo.ts'

/** When a rule or a policy applies. Every clause given must hold; an absent clause always holds. */
export interface Condition {
  /** The guest's architecture: `os/type/@arch` as written, else the host's (the domain capabilities' `<arch>`). */
  readonly arch?: readonly string[] | undefined
  readonly virtType?: 'kvm' | 'qemu' | undefined
  /** osinfo families (`linux`, `winnt`, `freebsd`…); with an unknown OS the clause fails (as do all `os*` clauses). */
  readonly osFamily?: readonly string[] | undefined
  /** osinfo short ids (`win11`, `debian11`). */
  readonly osId?: readonly string[] | undefined
  /** The OS version, compared numerically: `>=10`, `<12`, `=11`. */
  readonly osVersion?: string | undefined
  /** The OS has in-box drivers for every listed device (osinfo device names). */
  readonly osSupports?: readonly string[] | undefined
  /** A known OS without in-box drivers for any of these devices. */
  readonly osLacks?: readonly string[] | undefined
  /** The OS's firmware needs. */
  readonly osFirmware?: readonly OsEntry['firmware'][] | undefined
  /**
   * The machine family (`machineFamily` of @virtuned/model: `q35` for `q35` and `pc-q35-*` on x86,
   * `i440fx`, `arm-virt`, `pseries`, `s390-ccw`…). Unset machines count as the family they will
   * get: the architecture's default off x86, on x86 `q35` when the OS supports it, else `i440fx`.
   */
  readonly machine?: MachineFamily | undefined
  /** Shorthand: the machine is (or is not) written as a q35 one. */
  readonly q35?: boolean | undefined
  readonly firmware?: 'efi' | 'bios' | 'unset' | undefined
  readonly directKernel?: boolean | undefined
  /** Any graphics (`true`), none (`false`), or graphics of this type. */
  readonly graphics?: boolean | string | undefined
  /** Paths (`selectAll`/`selectsAny` of @virtuned/model) that must select something in the domain: `devices/tpm`. */
  readonly has?: readonly string[] | undefined
  /** Paths that must select nothing: `devices/controller[@type='usb']`, `devices/channel/target[@name='org.qemu.guest_agent.0']`. */
  readonly lacks?: readonly string[] | undefined
  /** Enum values the host's domain capabilities must list: `[path, value]` pairs, or a record `{ path: value }`. */
  readonly hostEnum?: readonly (readonly [string, string])[] | Readonly<Record<string, string>> | undefined
  /** Like `hostEnum`, but a host that does not report the enum at all (older libvirt) passes: for devices every QEMU of the architecture has. */
  readonly hostEnumIfListed?: readonly (readonly [string, string])[] | undefined
  /** `supported='yes'` paths the host must report (`features/vmcoreinfo`). */
  readonly hostSupports?: readonly string[] | undefined
}

/** What a condition is checked against. */
export interface ConditionContext {
  readonly domain: DomainFacts
  readonly os: OsEntry | undefined
  readonly host: HostCapabilities
}

export type ConditionVerdict = { readonly holds: true } | { readonly holds: false; readonly because: string }

const holds = { holds: true } as const
const no = (because: string): ConditionVerdict => ({ holds: false, because })

// Own properties only: a path such as `__proto__` or `toString` from a policy file is not a key of the prototype.
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

const conditionKeys = ['arch', 'virtType', 'osFamily', 'osId', 'osVersion', 'osSupports', 'osLacks', 'osFirmware', 'machine', 'q35', 'firmware', 'directKernel', 'graphics', 'has', 'lacks', 'hostEnum', 'hostEnumIfListed', 'hostSupports'] as const satisfies readonly (keyof Condition)[]

/**
 * A condition in one object shape: every key, `undefined` where unset, in one order (so one hidden
 * class), and a cheap test for it (`instanceof`).
 */
class Normalized implements Condition {
  declare readonly arch: Condition['arch']
  declare readonly virtType: Condition['virtType']
  declare readonly osFamily: Condition['osFamily']
  declare readonly osId: Condition['osId']
  declare readonly osVersion: Condition['osVersion']
  declare readonly osSupports: Condition['osSupports']
  declare readonly osLacks: Condition['osLacks']
  declare readonly osFirmware: Condition['osFirmware']
  declare readonly machine: Condition['machine']
  declare readonly q35: Condition['q35']
  declare readonly firmware: Condition['firmware']
  declare readonly directKernel: Condition['directKernel']
  declare readonly graphics: Condition['graphics']
  declare readonly has: Condition['has']
  declare readonly lacks: Condition['lacks']
  declare readonly hostEnum: Condition['hostEnum']
  declare readonly hostEnumIfListed: Condition['hostEnumIfListed']
  declare readonly hostSupports: Condition['hostSupports']
  /**
   * The compiled clauses, made on the first check (a private field: no property of the condition, and
   * writable though the condition is frozen) — read straight from the condition instead of a table.
   */
  #compiled: Compiled | undefined
  // (Fields declared, not defined: the constructor's assignments make the one shape, in this order.)
  constructor(when: Condition) {
    // Read as `check` always read them: plain property reads.
    this.arch = when.arch
    this.virtType = when.virtType
    this.osFamily = when.osFamily
    this.osId = when.osId
    this.osVersion = when.osVersion
    this.osSupports = when.osSupports
    this.osLacks = when.osLacks
    this.osFirmware = when.osFirmware
    this.machine = when.machine
    this.q35 = when.q35
    this.firmware = when.firmware
    this.directKernel = when.directKernel
    this.graphics = when.graphics
    this.has = when.has
    this.lacks = when.lacks
    this.hostEnum = when.hostEnum
    this.hostEnumIfListed = when.hostEnumIfListed
    this.hostSupports = when.hostSupports
    this.#compiled = undefined
  }

  /** The condition's compiled clauses (see {@link compile}). */
  compiled(): Compiled {
    return (this.#compiled ??= compile(this))
  }
}

/** The condition without clauses, normalized: it always holds. */
const always: Condition = Object.freeze(new Normalized({}))

/**
 * The same condition as an object of one shape (every key, `undefined` where unset), frozen.
 * {@link check} reads many optional keys: on rules' conditions of one shape those reads stay
 * monomorphic, which made the defaults' rule checks several times cheaper than on literal shapes.
 */
export function normalizeCondition(when: Condition): Condition {
  if (when instanceof Normalized) return when
  const out = new Normalized(when)
  // No clause: the one object `check` answers at once (the device rules apply to every domain).
  for (const key of conditionKeys) if (out[key] !== undefined) return Object.freeze(out)
  return always
}

// What an absent list clause iterates: one shared empty list, not a new one per clause per check.
const none: readonly string[] = []
const nonePairs: readonly (readonly [string, string])[] = []

function pairs(enums: Condition['hostEnum']): readonly (readonly [string, string])[] {
  return enums === undefined ? nonePairs : Array.isArray(enums) ? enums as readonly (readonly [string, string])[] : Object.entries(enums)
}

function versionCompare(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** The guest's architecture as the rules see it: written in the domain, else the host's (as libvirt defaults it). */
export function guestArch(c: ConditionContext): string {
  return c.domain.archWritten ? c.domain.arch : c.host.arch
}

const unknownOs = 'the guest OS is not known (give --os)'

/** Whether a condition holds, and if not the first clause that failed (for `explain`). */

/** What libosinfo's firmware values say about a guest, for "not applied" reasons (`efi` is not "requires EFI"). */
const firmwareWords: Readonly<Record<string, string>> = { 'efi-required': 'requires EFI', efi: 'supports EFI but does not require it', bios: 'boots with BIOS only' }
export function check(when: Condition | undefined, c: ConditionContext): ConditionVerdict {
  if (!when) return holds
  // A normalized condition (frozen, constant: a rule's) is checked by its compiled clauses.
  if (when instanceof Normalized) return when === always ? holds : when.compiled()(c)
  // A literal (a policy's `when`) in the one shape too: `check` then reads every condition through
  // the same hidden class, where literals of many shapes made each of its reads a generic lookup.
  // (Not frozen, not kept: a literal is read afresh on every check, as it always was.)
  return interpret(new Normalized(when), c)
}

/** {@link check} of a condition in the one shape, clause by clause as written. */
function interpret(when: Normalized, c: ConditionContext): ConditionVerdict {
  const d = c.domain
  const arch = guestArch(c)
  if (when.arch && !when.arch.includes(arch)) return no(`arch is ${arch}`)
  if (when.virtType && c.host.virtType !== when.virtType) return no(`the host's virt type is ${c.host.virtType}`)
  if (when.osFamily || when.osId || when.osVersion || when.osLacks || when.osFirmware || when.osSupports) {
    const os = c.os
    if (!os) return no(unknownOs)
    if (when.osFamily && !when.osFamily.includes(os.family)) return no(`the guest OS family is ${os.family}`)
    if (when.osId && !when.osId.includes(os.shortId)) return no(`the guest OS is ${os.shortId}`)
    if (when.osVersion) {
      const [, op, v] = /^(>=|<=|>|<|=)(.*)$/.exec(when.osVersion) ?? []
      const diff = versionCompare(os.version, v ?? '')
      const ok = op === '>=' ? diff >= 0 : op === '<=' ? diff <= 0 : op === '>' ? diff > 0 : op === '<' ? diff < 0 : diff === 0
      if (!ok) return no(`the guest OS version ${os.version} is not ${when.osVersion}`)
    }
    for (const device of when.osLacks ?? none) if (osSupports(os, device)) return no(`${os.shortId} supports ${device}`)
    if (when.osFirmware && !when.osFirmware.includes(os.firmware)) return no(`${os.shortId} ${firmwareWords[os.firmware] ?? `has firmware \`${os.firmware}\``}`)
    for (const device of when.osSupports ?? none) if (!osSupports(os, device)) return no(`${os.shortId} has no in-box ${device} driver`)
  }
  if (when.machine !== undefined) {
    const family = d.machineFamily ?? defaultFamilyOf(arch) ?? (c.os?.devices.includes('q35') ? 'q35' : 'i440fx')
    if (family !== when.machine) return no(`the machine is ${d.machine ?? family}${d.machine === undefined || d.machine === family ? '' : ` (${family})`}`)
  }
  if (when.q35 !== undefined && d.isQ35 !== when.q35) return no(when.q35 ? 'the machine is not q35' : 'the machine is q35')
  if (when.firmware !== undefined) {
    const firmware = d.firmware ?? 'unset'
    if (firmware !== when.firmware) return no(`firmware is ${firmware}`)
  }
  if (when.directKernel !== undefined && d.directKernel !== when.directKernel) return no(d.directKernel ? 'the domain boots a kernel directly' : 'the domain boots no kernel directly')
  if (when.graphics !== undefined) {
    if (when.graphics === true && d.graphics.length === 0) return no('the domain has no graphics')
    if (when.graphics === false && d.graphics.length > 0) return no('the domain has graphics')
    if (typeof when.graphics === 'string' && !d.graphics.includes(when.graphics)) return no(`the domain has no ${when.graphics} graphics`)
  }
  for (const path of when.has ?? none) if (!selectsAny(d.element, path)) return no(`the domain has no ${path}`)
  for (const path of when.lacks ?? none) if (selectsAny(d.element, path)) return no(`the domain already has ${path}`)
  for (const [path, value] of pairs(when.hostEnum)) if (!(own(c.host.enums, path)?.includes(value) ?? false)) return no(`the host does not list ${path}=${value}`)
  for (const [path, value] of when.hostEnumIfListed ?? nonePairs) {
    const listed = own(c.host.enums, path)
    if (listed !== undefined && !listed.includes(value)) return no(`the host does not list ${path}=${value}`)
  }
  for (const path of when.hostSupports ?? none) if (own(c.host.supported, path) !== true) return no(`the host does not support ${path}`)
  return holds
}

/** A path's steps below `<devices>` (`tpm` of `devices/tpm`), or `undefined` for a path elsewhere. */
function belowDevices(path: string): string | undefined {
  return path.startsWith('devices/') && path.length > 8 ? path.slice(8) : undefined
}

/** `selectsAny(domain, path)`; a path below `<devices>` from the `<devices>` the facts found. */
function selects(c: ConditionContext, path: string, rest: string | undefined): boolean {
  if (rest !== undefined) {
    const found = selectsInDevices(c.domain, rest)
    if (found !== undefined) return found
  }
  return selectsAny(c.domain.element, path)
}

// ---- compiled conditions ------------------------------------------------------------------------
// A normalized condition is constant (frozen; a rule's `when`): compiled once into the list of its
// clauses, each a test that answers a verdict or nothing. The verdicts are the interpreter's, word
// for word and clause for clause (the same first failure), made once per value they name (the
// architecture, the OS entry, the machine…: values of the OS table and the host, few) instead of a
// new string and object on every check.

type Clause = (c: ConditionContext, arch: string) => ConditionVerdict | undefined
type Compiled = (c: ConditionContext) => ConditionVerdict

/** Verdicts by the value they name; past a bound (an unusual OS table), made per call. */
class Verdicts<K> {
  readonly #known = new Map<K, ConditionVerdict>()
  constructor(private readonly because: (key: K) => string) {}
  of(key: K): ConditionVerdict {
    let verdict = this.#known.get(key)
    if (verdict === undefined) {
      verdict = Object.freeze({ holds: false, because: this.because(key) }) as ConditionVerdict
      if (this.#known.size < 256) this.#known.set(key, verdict)
    }
    return verdict
  }
}

const noOs: ConditionVerdict = Object.freeze({ holds: false, because: unknownOs }) as ConditionVerdict
const verdict = (because: string): ConditionVerdict => Object.freeze({ holds: false, because }) as ConditionVerdict

function compile(when: Normalized): Compiled {
  const clauses: Clause[] = []
  if (when.arch) {
    const arches = when.arch
    const failed = new Verdicts<string>((arch) => `arch is ${arch}`)
    clauses.push((_c, arch) => (arches.includes(arch) ? undefined : failed.of(arch)))
  }
  if (when.virtType) {
    const virtType = when.virtType
    const failed = new Verdicts<string>((type) => `the host's virt type is ${type}`)
    clauses.push((c) => (c.host.virtType !== virtType ? failed.of(c.host.virtType) : undefined))
  }
  if (when.osFamily || when.osId || when.osVersion || when.osLacks || when.osFirmware || when.osSupports) {
    const os: ((os: OsEntry) => ConditionVerdict | undefined)[] = []
    if (when.osFamily) {
      const families = when.osFamily
      const failed = new Verdicts<string>((family) => `the guest OS family is ${family}`)
      os.push((o) => (families.includes(o.family) ? undefined : failed.of(o.family)))
    }
    if (when.osId) {
      const ids = when.osId
      const failed = new Verdicts<string>((id) => `the guest OS is ${id}`)
      os.push((o) => (ids.includes(o.shortId) ? undefined : failed.of(o.shortId)))
    }
    if (when.osVersion) {
      const written = when.osVersion
      const [, op, v] = /^(>=|<=|>|<|=)(.*)$/.exec(written) ?? []
      const wanted = v ?? ''
      const failed = new Verdicts<string>((version) => `the guest OS version ${version} is not ${written}`)
      os.push((o) => {
        const diff = versionCompare(o.version, wanted)
        const ok = op === '>=' ? diff >= 0 : op === '<=' ? diff <= 0 : op === '>' ? diff > 0 : op === '<' ? diff < 0 : diff === 0
        return ok ? undefined : failed.of(o.version)
      })
    }
    for (const device of when.osLacks ?? none) {
      const failed = new Verdicts<string>((id) => `${id} supports ${device}`)
      os.push((o) => (osSupports(o, device) ? failed.of(o.shortId) : undefined))
    }
    if (when.osFirmware) {
      const firmwares = when.osFirmware
      const failed = new Verdicts<OsEntry>((o) => `${o.shortId} ${firmwareWords[o.firmware] ?? `has firmware \`${o.firmware}\``}`)
      os.push((o) => (firmwares.includes(o.firmware) ? undefined : failed.of(o)))
    }
    for (const device of when.osSupports ?? none) {
      const failed = new Verdicts<string>((id) => `${id} has no in-box ${device} driver`)
      os.push((o) => (osSupports(o, device) ? undefined : failed.of(o.shortId)))
    }
    clauses.push((c) => {
      const o = c.os
      if (!o) return noOs
      for (let i = 0; i < os.length; i++) {
        const failed = os[i]!(o)
        if (failed !== undefined) return failed
      }
      return undefined
    })
  }
  if (when.machine !== undefined) {
    const machine = when.machine
    const failed = new Verdicts<string>((written) => `the machine is ${written}`)
    clauses.push((c, arch) => {
      const d = c.domain
      const family = d.machineFamily ?? defaultFamilyOf(arch) ?? (c.os?.devices.includes('q35') ? 'q35' : 'i440fx')
      if (family === machine) return undefined
      return failed.of(d.machine === undefined || d.machine === family ? family : `${d.machine} (${family})`)
    })
  }
  if (when.q35 !== undefined) {
    const q35 = when.q35
    const failed = verdict(q35 ? 'the machine is not q35' : 'the machine is q35')
    clauses.push((c) => (c.domain.isQ35 !== q35 ? failed : undefined))
  }
  if (when.firmware !== undefined) {
    const firmware = when.firmware
    const failed = new Verdicts<string>((written) => `firmware is ${written}`)
    clauses.push((c) => {
      const written = c.domain.firmware ?? 'unset'
      return written !== firmware ? failed.of(written) : undefined
    })
  }
  if (when.directKernel !== undefined) {
    const directKernel = when.directKernel
    const failed = verdict(directKernel ? 'the domain boots no kernel directly' : 'the domain boots a kernel directly')
    clauses.push((c) => (c.domain.directKernel !== directKernel ? failed : undefined))
  }
  if (when.graphics !== undefined) {
    const graphics = when.graphics
    if (graphics === true) {
      const failed = verdict('the domain has no graphics')
      clauses.push((c) => (c.domain.graphics.length === 0 ? failed : undefined))
    } else if (graphics === false) {
      const failed = verdict('the domain has graphics')
      clauses.push((c) => (c.domain.graphics.length > 0 ? failed : undefined))
    } else if (typeof graphics === 'string') {
      const failed = verdict(`the domain has no ${graphics} graphics`)
      clauses.push((c) => (!c.domain.graphics.includes(graphics) ? failed : undefined))
    }
  }
  for (const path of when.has ?? none) {
    const failed = verdict(`the domain has no ${path}`)
    const rest = belowDevices(path)
    clauses.push((c) => (!selects(c, path, rest) ? failed : undefined))
  }
  for (const path of when.lacks ?? none) {
    const failed = verdict(`the domain already has ${path}`)
    const rest = belowDevices(path)
    clauses.push((c) => (selects(c, path, rest) ? failed : undefined))
  }
  for (const [path, value] of pairs(when.hostEnum)) {
    const failed = verdict(`the host does not list ${path}=${value}`)
    clauses.push((c) => (!(own(c.host.enums, path)?.includes(value) ?? false) ? failed : undefined))
  }
  for (const [path, value] of when.hostEnumIfListed ?? nonePairs) {
    const failed = verdict(`the host does not list ${path}=${value}`)
    clauses.push((c) => {
      const listed = own(c.host.enums, path)
      return listed !== undefined && !listed.includes(value) ? failed : undefined
    })
  }
  for (const path of when.hostSupports ?? none) {
    const failed = verdict(`the host does not support ${path}`)
    clauses.push((c) => (own(c.host.supported, path) !== true ? failed : undefined))
  }
  return (c) => {
    const arch = guestArch(c)
    for (let i = 0; i < clauses.length; i++) {
      const failed = clauses[i]!(c, arch)
      if (failed !== undefined) return failed
    }
    return holds
  }
}
