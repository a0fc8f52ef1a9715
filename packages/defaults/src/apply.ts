// applyDefaults: a profile's rules, checked against the guest OS, the host and the domain, merged
// as fill-only layers by xml-core (a default never replaces a value that is there), explained.
import { checkDeviceLimits, childElement, createTargetNamer, el, inLibvirtOrder, libosinfoNamespace, libvirtIdentityKeys, metadataElement, metadataName, parseDomain, prefixForBus, recordedOsId, serialize, type DeviceLimits, type LibvirtDocument } from '@virtuned/model'
import { attributeFiller, childSegments, exactPaths, getEngine, parseXml, rootElement, withChildren, type Element, type Layer, type Provenance, type Root } from '@virtuned/xml-core'
import { DefaultsError } from './errors.ts'
import { child, domainFacts, forgetRecentFacts, type DiskFacts } from './facts.ts'

import { assumedHost, checkHostArch, type HostCapabilities } from './host.ts'
import { checkOsArch, resolveOs, defaultOsTable } from './os.ts'
import type { OsEntry, OsTable } from './osinfo.ts'
import { checkProfileArch, getProfile, profileForArch, profileRules, type Profile } from './profiles.ts'
import { check, defaultParameters, type DefaultsParameters, type Rule, type RuleContext, type RuleSource } from './rules.ts'
import { normalizeCondition } from './condition.ts'
import { correctRootPorts } from './ports.ts'
import { parseQemuCaps, type QemuCaps } from '@virtuned/preview'

/** The rules that add spare PCIe root ports (q35, ARM virt): sized from the preview when the QEMU capabilities are given. */
const rootPortRules = new Set(['pcie-root-ports', 'pcie-root-ports-arm-virt'])

/** The namespace of virtuned's own record in `<metadata>`. */
export const defaultsNamespace = 'https://virtuned.dev/xmlns/defaults/1'

export interface ApplyDefaultsOptions {
  /** libosinfo short id or URI. Left out: the id recorded in the domain's `<metadata>`, else no OS rules. */
  readonly os?: string
  readonly osTable?: OsTable
  /** Parsed domain capabilities; left out, {@link assumedHost} (with a warning). */
  readonly host?: HostCapabilities
  /** Profile id; left out: the one recorded in the domain, else the latest released. */
  readonly profile?: string
  readonly parameters?: Partial<DefaultsParameters>
  /** How many devices the domain may have (default `deviceLimits` of `@virtuned/model`); raise only for trusted input. */
  readonly limits?: DeviceLimits
  /**
   * The host's QEMU capabilities (`/var/cache/libvirt/qemu/capabilities/*.xml`, parsed or as text).
   * Given, the spare PCIe root ports are sized from `@virtuned/preview`'s prediction of the domain
   * as libvirt stores it — the devices libvirt adds take their ports first — so that exactly
   * `spareRootPorts` are free after `virsh define`. Left out, the rule's estimate from the domain as
   * written stands.
   */
  readonly qemuCaps?: QemuCaps | string | Uint8Array
}

/** One value or element a default added, and why. */
export interface ExplainedNode {
  /** Identity path (`/domain/devices/rng[@model='virtio'][backend/@model='random']`, `…/@machine`). */
  readonly path: string
  readonly rule: string
  readonly why: string
  readonly sources: readonly RuleSource[]
  readonly guestVisible: boolean
}

export interface RuleOutcome {
  readonly rule: string
  readonly applied: boolean
  /** Why it did not apply (the first condition that failed, or that everything was already set). */
  readonly because?: string
}

export interface DefaultsResult {
  readonly document: LibvirtDocument
  readonly xml: string
  readonly profile: string
  readonly os?: OsEntry
  readonly host: string
  /** Every node added, with its rule. */
  readonly explanation: readonly ExplainedNode[]
  /** Each rule of the profile: applied or why not. */
  readonly rules: readonly RuleOutcome[]
  readonly warnings: readonly string[]
}

/** Each fill's layer, by its XML: the parsed fragment and the layer object, made once per rule and fill. */
const fragments = new Map<string, Layer>()

function layerOf(name: string, xml: string): Layer {
  const known = fragments.get(xml)
  if (known !== undefined && known.name === name) return known
  // (The same XML under another rule's name: the same parsed document in a layer of its own.)
  const layer: Layer = { name, mode: 'fill', document: known?.document ?? parseXml(`<domain>${xml}</domain>`, { positions: false }) }
  if (known === undefined && fragments.size < 1000) fragments.set(xml, layer)
  return layer
}

function withRoot(tree: Root, root: Element): Root {
  const old = rootElement(tree)
  return { ...tree, children: tree.children.map((c) => (c === old ? root : c)) }
}

/** Runs the device-level rules (disk bus and target, discard, NIC model) on each device that lacks the value. */
function applyDeviceRules(tree: Root, deviceRules: readonly Rule[], context: RuleContext, explanation: RawExplanation): Root {
  const domain = rootElement(tree)!
  const devices = child(domain, 'devices')
  if (!devices || deviceRules.length === 0) return tree
  const disks = context.domain.disks
  // A disk's facts by its element: a scan of a few disks, a map of many.
  const byElement = disks.length > 8 ? new Map<Element, DiskFacts>(disks.map((d) => [d.element, d])) : undefined
  const factsOf = (node: Element): DiskFacts | undefined => {
    if (byElement !== undefined) return byElement.get(node)
    for (let i = 0; i < disks.length; i++) if (disks[i]!.element === node) return disks[i]
    return undefined
  }
  // Made when a disk first needs a name (most are given one): the names in use as the stage began.
  let namer: ((prefix: string) => string) | undefined
  const nextTarget = (prefix: string): string => (namer ??= createTargetNamer(disks.map((d) => d.target).filter((t): t is string => t !== undefined)))(prefix)
  const filledAt = new Map<number, { path: string; rule: Rule }[]>()
  const updated = devices.children.map((node, index) => {
    if (node.type !== 'element' || (node.name !== 'disk' && node.name !== 'interface')) return node
    // One copy of the device (and of each child a rule fills) for all its rules' values.
    const device = attributeFiller(node)
    const original = factsOf(node)
    // Each rule sees the disk as the earlier rules left it (the I/O thread rule needs the bus): read
    // again after a rule changed it, else the same facts.
    let changes = 0
    let readAt = -1
    let read: DiskFacts | undefined
    const diskOf = (d: Element): DiskFacts | undefined => {
      if (!original) return undefined
      if (readAt === changes) return read
      const target = child(d, 'target')
      const driver = child(d, 'driver')
      readAt = changes
      // What a rule changed wins; what it did not is as the disk was given.
      return (read = { element: d, device: original.device, target: target?.attributes.dev ?? original.target, bus: target?.attributes.bus ?? original.bus, format: driver?.attributes.type ?? original.format, hasAddress: original.hasAddress })
    }
    const disk = original
    let filled: { path: string; rule: Rule }[] | undefined
    for (let r = 0; r < deviceRules.length; r++) {
      const rule = deviceRules[r]!
      if (rule.device?.kind !== node.name) continue
      const values = rule.device.fill(device.element, context, diskOf(device.element))
      if (!values) continue
      for (const path in values) {
        if (!Object.hasOwn(values, path)) continue
        const value = values[path]!
        // A disk given without a target gets the first free name for its bus, as libvirt needs one
        // (written first, as libvirt writes a target).
        if (path === 'target/@bus' && disk && disk.target === undefined && child(device.element, 'target')?.attributes.dev === undefined) {
          device.fill('target/@dev', nextTarget(prefixForBus(value)), true)
          changes++
          ;(filled ??= []).push({ path: 'target/@dev', rule })
        }
        if (device.fill(path, value)) {
          changes++
          ;(filled ??= []).push({ path, rule })
        }
      }
    }
    if (filled !== undefined) filledAt.set(index, filled)
    return device.element
  })
  if (updated.every((node, i) => node === devices.children[i])) return tree
  const newDevices: Element = withChildren(devices, updated)
  // Paths name each device by its identity after the fill (a new target names the disk), as
  // xml-core's merge and patches do: the same segments, from the same identity table — computed
  // when the explanation is read (see DeviceFillNode).
  const segments = new DeviceSegments(newDevices)
  let element = 0
  updated.forEach((node, index) => {
    if (node.type !== 'element') return
    const at = element++
    for (const f of filledAt.get(index) ?? []) explanation.push(new DeviceFillNode(segments, at, f.path, f.rule))
  })
  return withRoot(tree, withChildren(domain, domain.children.map((c) => (c === devices ? newDevices : c))))
}

/** The identity segments of a `<devices>` element's children, computed once, when first asked. */
class DeviceSegments {
  #segments: readonly string[] | undefined
  constructor(readonly devices: Element) {}
  at(index: number): string {
    return (this.#segments ??= childSegments(this.devices, ['domain', 'devices'], libvirtIdentityKeys))[index]!
  }
}

/**
 * A value a device rule filled, whose path (the device's identity segment, which walks every sibling)
 * is made when first read: a caller that wants only the XML never pays for it. Made plain data
 * before it leaves (see DefaultsOutcome.explanation).
 */
class DeviceFillNode implements ExplainedNode {
  readonly rule: string
  readonly why: string
  readonly sources: readonly RuleSource[]
  readonly guestVisible: boolean
  constructor(private readonly segments: DeviceSegments, private readonly element: number, private readonly rest: string, rule: Rule) {
    this.rule = rule.id
    this.why = rule.why
    this.sources = rule.sources
    this.guestVisible = rule.guestVisible
  }
  get path(): string {
    return `/domain/devices/${this.segments.at(this.element)}/${this.rest}`
  }
  plain(): ExplainedNode {
    return { path: this.path, rule: this.rule, why: this.why, sources: this.sources, guestVisible: this.guestVisible }
  }
}

function explain(path: string, rule: Rule): ExplainedNode {
  return { path, rule: rule.id, why: rule.why, sources: rule.sources, guestVisible: rule.guestVisible }
}

/**
 * What one stage's merge added, explained when read: its provenance and the rules that made its
 * layers, made into nodes (one per provenance entry) only if the explanation is asked for — a
 * caller that wants only the XML never pays for them.
 */
class MergeNodes {
  constructor(private readonly provenance: readonly Provenance[], private readonly rules: readonly Rule[]) {}
  nodes(): ExplainedNode[] {
    const out: ExplainedNode[] = []
    let at = -1
    for (const p of this.provenance) {
      at = ruleIndex(this.rules, p.source, at)
      if (at >= 0) out.push(explain(p.path, this.rules[at]!))
    }
    return out
  }
}

/** An explanation in the making: nodes, device fills (their paths made when read), whole merges (their nodes made when read). */
type RawExplanation = (ExplainedNode | MergeNodes)[]

/** The nodes of a raw explanation, in order, each plain data. */
function explanationNodes(raw: RawExplanation): ExplainedNode[] {
  const out: ExplainedNode[] = []
  for (const e of raw) {
    if (e instanceof MergeNodes) out.push(...e.nodes())
    else out.push(e instanceof DeviceFillNode ? e.plain() : e)
  }
  return out
}

/** The profile recorded in `<metadata>` (virtuned's namespace, any prefix: ElementTree writes `ns1:defaults`). */
export function recordedProfile(domain: Element): string | undefined {
  return metadataElement(domain, defaultsNamespace)?.attributes.profile
}

/** Metadata layers by the value they record, then by the name they use (few names per value). */
const metadataFragments = new Map<string, { readonly name: string; readonly prefix: string; readonly declare: boolean; readonly uri: string; readonly document: Root }[]>()
let metadataFragmentCount = 0

/**
 * A `<metadata>` layer holding one element of namespace `uri`, built as a tree (every value is
 * escaped when the result is written) and named with the prefix the domain already uses for
 * `uri`, so the layer fills the element libvirt keeps rather than adding a second one.
 */
function metadataFragment(domain: Element, uri: string, preferred: string, local: string, value: string, build: (qualify: (name: string) => string) => { attributes: Record<string, string>; children: Element[] }): Root {
  const name = metadataName(domain, uri, preferred, local)
  // Equal layers are the same object, so xml-core's per-layer caches serve every composition; the
  // content is a function of the name and `value` alone, so it is built only on a miss. (Found by
  // the value, then by comparing the name: no key string to build and hash on every call.)
  const known = metadataFragments.get(value)
  if (known !== undefined) {
    for (const entry of known) if (entry.name === name.name && entry.prefix === name.prefix && entry.declare === name.declare && entry.uri === uri) return entry.document
  }
  const qualify = (n: string) => (name.prefix === '' ? n : `${name.prefix}:${n}`)
  const content = build(qualify)
  const declaration = name.declare ? { [name.prefix === '' ? 'xmlns' : `xmlns:${name.prefix}`]: uri } : {}
  const document: Root = { type: 'root', children: [el('domain', {}, [el('metadata', {}, [el(name.name, { ...declaration, ...content.attributes }, content.children)])])] }
  if (metadataFragmentCount < 1000) {
    metadataFragmentCount++
    if (known === undefined) metadataFragments.set(value, [{ name: name.name, prefix: name.prefix, declare: name.declare, uri, document }])
    else known.push({ name: name.name, prefix: name.prefix, declare: name.declare, uri, document })
  }
  return document
}

/** The `<metadata>` layer: the OS (as virt-manager records it) and the profile used. */
function metadataLayers(domain: Element, osId: string | undefined, profile: Profile): { fill: Layer; record: Layer } {
  const fill: Root = osId === undefined
    ? emptyMetadata
    : metadataFragment(domain, libosinfoNamespace, 'libosinfo', 'libosinfo', osId, (q) => ({ attributes: {}, children: [el(q('os'), { id: osId })] }))
  return {
    fill: { name: 'metadata', mode: 'fill', document: fill },
    record: { name: 'defaults-record', mode: 'require', document: metadataFragment(domain, defaultsNamespace, 'virtuned', 'defaults', profile.id, () => ({ attributes: { profile: profile.id }, children: [] })) },
  }
}

const emptyMetadata: Root = { type: 'root', children: [el('domain', {}, [el('metadata')])] }

const stageNames = ['platform', 'devices', 'topology'] as const
interface Plan {
  /** The rules of each stage, in the profile's order. */
  readonly stages: readonly (readonly Rule[])[]
  /** Each stage rule's place in the profile (where its outcome goes), parallel to `stages`. */
  readonly places: readonly (readonly number[])[]
  /** Each stage rule's outcomes, parallel to `stages`. */
  readonly outcomes: readonly (readonly Outcomes[])[]
  readonly size: number
}

/**
 * A rule's outcomes, made once (a rule is constant): applied, or not applied and why. The reasons
 * a condition gives are few per rule (checked conditions answer one verdict per value they name).
 */
class Outcomes {
  readonly applied: RuleOutcome
  readonly nothingToAdd: RuleOutcome
  readonly alreadySet: RuleOutcome
  readonly #because = new Map<string, RuleOutcome>()
  #device: { readonly already: RuleOutcome; readonly none: RuleOutcome } | undefined
  constructor(readonly rule: Rule) {
    this.applied = Object.freeze({ rule: rule.id, applied: true })
    this.nothingToAdd = this.notApplied('nothing to add')
    this.alreadySet = this.notApplied('the domain already has every value it sets')
  }

  notApplied(because: string): RuleOutcome {
    let outcome = this.#because.get(because)
    if (outcome === undefined) {
      outcome = Object.freeze({ rule: this.rule.id, applied: false, because })
      if (this.#because.size < 64) this.#because.set(because, outcome)
    }
    return outcome
  }

  /** A device rule that changed nothing: every device of its kind has the value, or there is none. */
  unchanged(devicesOfKind: boolean): RuleOutcome {
    const kind = this.rule.device!.kind
    const device = (this.#device ??= {
      already: this.notApplied(`every ${kind} already has the value`),
      none: this.notApplied(`the domain has no ${kind === 'interface' ? 'interfaces' : `${kind}s`}`),
    })
    return devicesOfKind ? device.already : device.none
  }
}
const plans = new WeakMap<Profile, Plan>()

/**
 * A rule as the stages read it: every field present (undefined where the rule has none), always in
 * this order, and its condition normalized. The stage loops read `device`, `fill`, `when` and `id` of
 * every rule on every compose; rules written as literals with different optional fields are as many
 * hidden classes, which made each of those reads megamorphic (a generic lookup).
 */
function planned(r: Rule): Rule {
  return {
    id: r.id, revision: r.revision, sets: r.sets, why: r.why, sources: r.sources, guestVisible: r.guestVisible,
    minLibvirt: r.minLibvirt, minQemu: r.minQemu, stage: r.stage, when: r.when === undefined ? r.when : normalizeCondition(r.when), fill: r.fill, device: r.device,
  } as Rule
}

/** A profile's rules by stage, and each rule's place in the profile (profiles never change). */
function planOf(profile: Profile): Plan {
  let plan = plans.get(profile)
  if (!plan) {
    // Each rule's condition in one object shape (see normalizeCondition): checked on every compose.
    const all = profileRules(profile).map(planned)
    const order = new Map(profile.rules.map((id, i) => [id as string, i]))
    const stages = stageNames.map((stage) => all.filter((r) => r.stage === stage))
    plan = { stages, places: stages.map((rules) => rules.map((r) => order.get(r.id)!)), outcomes: stages.map((rules) => rules.map((r) => new Outcomes(r))), size: profile.rules.length }
    plans.set(profile, plan)
  }
  return plan
}

/** Where in `rules` the rule named `id` is, or -1 (provenance comes in runs of one layer: `hint` is the last answer). */
function ruleIndex(rules: readonly Rule[], id: string, hint: number): number {
  if (hint >= 0 && hint < rules.length && rules[hint]!.id === id) return hint
  for (let i = 0; i < rules.length; i++) if (rules[i]!.id === id) return i
  return -1
}

/**
 * The parameters in one object shape (every key, `undefined` where unset): the rules read them on
 * every compose, and the given ones come in as many shapes as there are policy combinations.
 * Equal to `{ ...defaultParameters, ...given }` for every key a rule reads.
 */
function parametersOf(given: Partial<DefaultsParameters> | undefined): DefaultsParameters {
  const value = <K extends keyof DefaultsParameters>(key: K): DefaultsParameters[K] => (given !== undefined && Object.hasOwn(given, key) ? given[key] : defaultParameters[key]) as DefaultsParameters[K]
  return {
    spareRootPorts: value('spareRootPorts'), migratable: value('migratable'), tscFrequency: value('tscFrequency'), diskBus: value('diskBus'),
    nicModel: value('nicModel'), videoModel: value('videoModel'), multiqueue: value('multiqueue'), diskIothread: value('diskIothread'),
  } as DefaultsParameters
}

function toDocument(input: string | Uint8Array | LibvirtDocument, limits?: DeviceLimits): LibvirtDocument {
  const document = typeof input === 'string' || input instanceof Uint8Array ? parseDomain(input) : input
  if (document.kind !== 'domain') throw new DefaultsError('defaults-not-a-domain', `Expected a <domain>, got <${document.root.name}>`, { path: document.root.name })
  // Before any work that grows with the device count.
  checkDeviceLimits(document, limits)
  return document
}

/**
 * Applies a defaults profile to a domain: fill-only (nothing the domain says is changed) and
 * idempotent (applying the same profile again changes nothing). Records the profile and the
 * guest OS in `<metadata>` so that later applications and hot-plug plans use the same knowledge.
 *
 * @throws DefaultsError `defaults-unknown-os` / `defaults-unknown-profile`; XmlSyntaxError and
 *   DomainModelError for input that is not a domain, and DomainModelError `model-too-many-devices`
 *   for more devices than `deviceLimits` of `@virtuned/model`.
 */
export function applyDefaults(input: string | Uint8Array | LibvirtDocument, options: ApplyDefaultsOptions = {}): DefaultsResult {
  const document = toDocument(input, options.limits)
  const warnings: string[] = []
  const host = options.host ?? assumedHost
  // The guest's architecture: as the domain writes it (it must be the host's), else the host's.
  const writtenArch = childElement(childElement(document.root, 'os'), 'type')?.attributes.arch
  const arch = checkHostArch(writtenArch, host)
  // A profile named (or recorded) must cover the architecture; none named: the latest released
  // that does, else the profile that does, with a warning (as the CLI chooses).
  const named = options.profile ?? recordedProfile(document.root)
  let profile = getProfile(named ?? undefined)
  if (named === undefined && !profile.arches.includes(arch)) {
    const other = profileForArch(arch)
    if (other !== undefined) {
      warnings.push(`Profile ${profile.id} has no rules for ${arch}: using profile ${other}.`)
      profile = getProfile(other)
    }
  }
  checkProfileArch(profile, arch)
  if (!profile.released) warnings.push(`Profile ${profile.id} is not released yet: its output may still change.`)
  const osId = options.os ?? recordedOsId(document.root)
  let os: OsEntry | undefined
  let recordAs: string | undefined
  if (osId !== undefined) {
    const resolved = resolveOs(osId, options.osTable ?? defaultOsTable)
    os = resolved.entry
    recordAs = resolved.recordAs
    if (resolved.warning) warnings.push(resolved.warning)
    checkOsArch(os, arch)
  } else {
    warnings.push('No guest OS given (--os, or libosinfo metadata): rules that depend on the OS are skipped.')
  }
  if (!options.host) warnings.push('No domain capabilities given: assuming a KVM x86_64 host with common features (use --domcaps or --connect for the real host).')
  const parameters = parametersOf(options.parameters)

  let tree = document.tree
  let explanation: RawExplanation = []
  const { stages, places, outcomes: ruleOutcomes, size } = planOf(profile)
  // Each rule's outcome at its place in the profile (each rule has one).
  const outcomes: (RuleOutcome | undefined)[] = new Array<RuleOutcome | undefined>(size).fill(undefined)
  const meta = metadataLayers(document.root, recordAs, profile)
  // What each device contributes to the facts, read once for all stages (their trees share devices).
  const deviceMemo = new Map<Element, unknown>()
  for (let stage = 0; stage < stages.length; stage++) {
    const stageRules = stages[stage]!
    const stagePlaces = places[stage]!
    const stageOutcomes = ruleOutcomes[stage]!
    const last = stage === stages.length - 1
    let facts = domainFacts(rootElement(tree)!, deviceMemo)
    let context: RuleContext = { os, host, domain: facts, parameters, vcpus: facts.vcpus, iothreads: facts.iothreads }
    const deviceRules: Rule[] = []
    // Where each applied device rule is in the stage.
    const deviceAt: number[] = []
    for (let r = 0; r < stageRules.length; r++) {
      const rule = stageRules[r]!
      if (!rule.device) continue
      const verdict = check(rule.when, context)
      if (verdict.holds) { deviceRules.push(rule); deviceAt.push(r) }
      else outcomes[stagePlaces[r]!] = stageOutcomes[r]!.notApplied(verdict.because)
    }
    if (deviceRules.length > 0) {
      const before = explanation.length
      tree = applyDeviceRules(tree, deviceRules, context, explanation)
      // "Already has the value" is only true of devices that are there: with none of the kind, say so.
      const devices = child(rootElement(tree)!, 'devices')
      for (let r = 0; r < deviceRules.length; r++) {
        const rule = deviceRules[r]!
        let touched = false
        // (What applyDeviceRules added: device fill nodes, never a merge's.)
        for (let i = before; i < explanation.length && !touched; i++) touched = (explanation[i] as ExplainedNode).rule === rule.id
        const at = deviceAt[r]!
        outcomes[stagePlaces[at]!] = touched ? stageOutcomes[at]!.applied : stageOutcomes[at]!.unchanged(devices !== undefined && childElement(devices, rule.device!.kind) !== undefined)
      }
      facts = domainFacts(rootElement(tree)!, deviceMemo)
      // (A literal of the same shape, not a spread: a spread's copy is a hidden class of its own.)
      context = { os, host, domain: facts, parameters, vcpus: facts.vcpus, iothreads: facts.iothreads }
    }
    // The last stage's merge also writes <metadata> (the OS first, then the forced profile record:
    // it alone can require, so the stage's own layers after it need not track who holds what).
    const layers: Layer[] = last ? [meta.fill, meta.record] : []
    // The rules that made a layer, in layer order, with their places in the profile.
    const layerRules: Rule[] = []
    // Where each rule that made a layer is in the stage.
    const layerAt: number[] = []
    for (let r = 0; r < stageRules.length; r++) {
      const rule = stageRules[r]!
      if (rule.device) continue
      const verdict = check(rule.when, context)
      if (!verdict.holds) { outcomes[stagePlaces[r]!] = stageOutcomes[r]!.notApplied(verdict.because); continue }
      const xml = typeof rule.fill === 'function' ? rule.fill(context) : rule.fill
      if (xml === undefined) { outcomes[stagePlaces[r]!] = stageOutcomes[r]!.nothingToAdd; continue }
      layers.push(layerOf(rule.id, xml))
      layerRules.push(rule)
      layerAt.push(r)
    }
    if (layers.length === 0) continue
    const merged = getEngine().mergeTree(tree, layers, libvirtIdentityKeys, last ? { force: [meta.record.name] } : {})
    tree = merged.document
    const touched: boolean[] = new Array<boolean>(layerRules.length).fill(false)
    let at = -1
    for (const p of merged.provenance) {
      at = ruleIndex(layerRules, p.source, at)
      if (at >= 0) touched[at] = true
    }
    if (merged.provenance.length > 0) explanation.push(new MergeNodes(merged.provenance, layerRules))
    for (let r = 0; r < layerRules.length; r++) {
      const at = layerAt[r]!
      outcomes[stagePlaces[at]!] = touched[r] ? stageOutcomes[at]!.applied : stageOutcomes[at]!.alreadySet
    }
  }
  // The root ports are corrected on the explanation's nodes (made now: the correction is rare).
  const nodes = options.qemuCaps === undefined ? undefined : explanationNodes(explanation)
  const portRule = nodes?.find((e) => rootPortRules.has(e.rule))
  if (options.qemuCaps !== undefined && nodes !== undefined && portRule !== undefined) {
    explanation = nodes
    const rule = profileRules(profile).find((r) => r.id === portRule.rule)!
    const ours = new Set(nodes.filter((e) => e.rule === rule.id).map((e) => Number(/\[@index='([0-9]+)'\]$/.exec(e.path)?.[1] ?? NaN)))
    const caps = typeof options.qemuCaps === 'string' || options.qemuCaps instanceof Uint8Array ? parseQemuCaps(options.qemuCaps) : options.qemuCaps
    const corrected = correctRootPorts(tree, parameters.spareRootPorts, ours, caps)
    tree = corrected.tree
    // The explanation names the ports there are: the ones taken out go, the ones put in come.
    const gone = new Set(corrected.removed.map((i) => `/domain/devices/controller[@type='pci'][@index='${i}']`))
    for (let i = nodes.length - 1; i >= 0; i--) if (gone.has(nodes[i]!.path)) nodes.splice(i, 1)
    for (const index of corrected.added) nodes.push(explain(`/domain/devices/controller[@type='pci'][@index='${index}']`, rule))
  }
  const ordered = inLibvirtOrder({ kind: 'domain', tree, root: rootElement(tree)! })
  forgetRecentFacts()
  // In the profile's order (each rule has one outcome, at its place).
  return new DefaultsOutcome(ordered, profile.id, os, host.source, explanation, outcomes.filter((o): o is RuleOutcome => o !== undefined), warnings)
}

/**
 * A result whose explanation paths are made exact for XPath (the first of equal identities gets its
 * `[1]`) when first read: a walk of the whole domain that a caller wanting only the XML never pays for.
 */
class DefaultsOutcome implements DefaultsResult {
  readonly document: LibvirtDocument
  readonly xml: string
  readonly profile: string
  readonly os?: OsEntry
  readonly host: string
  readonly rules: readonly RuleOutcome[]
  readonly warnings: readonly string[]
  readonly #raw: RawExplanation
  #explanation: readonly ExplainedNode[] | undefined

  constructor(document: LibvirtDocument, profile: string, os: OsEntry | undefined, host: string, raw: RawExplanation, rules: readonly RuleOutcome[], warnings: readonly string[]) {
    this.document = document
    this.xml = serialize(document)
    this.profile = profile
    if (os) this.os = os
    this.host = host
    this.rules = rules
    this.warnings = warnings
    this.#raw = raw
  }

  get explanation(): readonly ExplainedNode[] {
    if (this.#explanation === undefined) {
      const raw = explanationNodes(this.#raw)
      const exact = exactPaths(this.document.tree, raw.map((e) => e.path), libvirtIdentityKeys)
      this.#explanation = raw.map((e, i) => (exact[i] === e.path ? e : { ...e, path: exact[i]! }))
    }
    return this.#explanation
  }

  /** Plain data, the explanation included. */
  toJSON(): DefaultsResult {
    return { document: this.document, xml: this.xml, profile: this.profile, ...(this.os ? { os: this.os } : {}), host: this.host, explanation: this.explanation, rules: this.rules, warnings: this.warnings }
  }
}

/** One difference a newer profile would make. */
export interface UpgradeItem {
  readonly path: string
  readonly rule: string
  readonly why: string
  readonly guestVisible: boolean
}

/**
 * What applying `newerProfile` would add to a domain made with an older one, each item marked
 * guest-visible or not. Changes nothing: the domain is returned untouched by the caller's choice.
 */
export function upgradeReport(input: string | Uint8Array | LibvirtDocument, newerProfile: string, options: Omit<ApplyDefaultsOptions, 'profile'> = {}): { readonly from: string | undefined; readonly to: string; readonly items: readonly UpgradeItem[]; readonly warnings: readonly string[] } {
  const document = toDocument(input, options.limits)
  const from = recordedProfile(document.root)
  const result = applyDefaults(document, { ...options, profile: newerProfile })
  return {
    from,
    to: result.profile,
    items: result.explanation.map((e) => ({ path: e.path, rule: e.rule, why: e.why, guestVisible: e.guestVisible })),
    warnings: result.warnings,
  }
}

export type { Provenance }
