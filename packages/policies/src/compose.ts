// Composition: requested policies + what they require, ordered deterministically, turned into
// prefer (fill) and require layers and merged by xml-core onto the domain; then the defaults
// fill what is still unset. Conflicts are collected, never resolved silently.
import { applyDefaults, assumedHost, check, domainFacts, normalizeCondition, resolveOs, type ApplyDefaultsOptions, type Condition, type DefaultsParameters, type ExplainedNode, type HostCapabilities, type OsEntry, type OsTable, type RuleOutcome } from '@virtuned/defaults'
import {
  checkDeviceLimits, createTargetNamer, fromSpec, inLibvirtOrder, libvirtIdentityKeys, machineFamily, machineForFamily, machineOf, parseDomain, prefixForBus,
  type DomainSpecInput, type LibvirtDocument, type MachineFamily,
} from '@virtuned/model'
import { escapeXml, exactPaths, getEngine, isXmlName, parseXml, rootElement, splitPath, toXml, valuePaths, type Element, type Layer, type PatchOp, type Provenance, type Root } from '@virtuned/xml-core'
import { RE2JS } from 're2js'
import { PolicyConflictError, PolicyError, type PolicyClash } from './errors.ts'
import { builtinPolicies } from './library.ts'
import { compileParameterPattern, type ConversionStep, type Policy, type PolicyCondition } from './schema.ts'
import { selectAll, selectIdentities, selectsAny } from './select.ts'

/** A policy by name, with parameter values (`{ name: 'hotplug-ready', parameters: { ports: 4 } }`). */
export interface PolicyRequest {
  readonly name: string
  readonly parameters?: Readonly<Record<string, string | number | boolean>>
}

export interface ApplyPoliciesOptions {
  readonly policies: readonly (string | PolicyRequest)[]
  /** Extra policies (from files) by name; they shadow built-ins of the same name. */
  readonly library?: Readonly<Record<string, Policy>>
  readonly os?: string
  /** The OS table to look `os` up in (an installed osinfo-db); default: the built-in one. */
  readonly osTable?: OsTable
  readonly host?: HostCapabilities
  /** Let a policy's `require` win over a value the user wrote (each override is reported). */
  readonly force?: boolean
  /** Convert a domain that contradicts a policy (refused elements, `require`s against the user) instead of failing. */
  readonly convert?: boolean
}

/** One change a conversion made. */
export interface ConversionChange {
  readonly policy: string
  readonly why: string
  readonly guestVisible: boolean
  readonly op: PatchOp
}

export interface PolicyNode {
  readonly path: string
  readonly policy: string
  readonly action: 'added' | 'set' | 'overridden'
  readonly previous?: string
}

export interface PoliciesResult {
  readonly document: LibvirtDocument
  /** Applied policies, in the order they were merged. */
  readonly applied: readonly string[]
  /** Policies whose `when` did not hold, and why. */
  readonly skipped: readonly { readonly policy: string; readonly because: string }[]
  readonly explanation: readonly PolicyNode[]
  readonly conversions: readonly ConversionChange[]
  /** What the policies ask of the defaults (root-port spares, device models…). */
  readonly defaults: Partial<DefaultsParameters>
  readonly warnings: readonly string[]
}

type Library = Readonly<Record<string, Policy>>

/**
 * A table entry by a name the user gave: own entries only, so `toString`, `constructor` or
 * `__proto__` are names like any other, never Object.prototype's members.
 */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined
}

/** Most policies one request may apply (each once, with what they require): more is a mistake, not a configuration. */
export const maxPoliciesPerRequest = 256

/** A compiled `pattern` of a string parameter (RE2 syntax, linear-time), cached by its source. */
const compiledPatterns = new Map<string, RE2JS>()
function patternOf(source: string): RE2JS {
  let compiled = compiledPatterns.get(source)
  if (compiled === undefined) {
    // The schema compiled it when the policy was loaded: this cannot throw for a loaded policy.
    compiled = compileParameterPattern(source)
    if (compiledPatterns.size < 1000) compiledPatterns.set(source, compiled)
  }
  return compiled
}

function request(r: string | PolicyRequest): PolicyRequest {
  if (typeof r !== 'string') return r
  // `name` or `name:param=value,param=value`
  // Split at the first `:` and each pair's first `=` (String#split's limit would drop the rest of a value).
  const colon = r.indexOf(':')
  if (colon < 0) return { name: r }
  const name = r.slice(0, colon)
  const rest = r.slice(colon + 1)
  // No prototype: `--policy spice:__proto__=1` is a parameter named `__proto__` (and unknown).
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>
  for (const pair of rest.split(',')) {
    const equals = pair.indexOf('=')
    const key = equals < 0 ? pair : pair.slice(0, equals)
    const value = equals < 0 ? undefined : pair.slice(equals + 1)
    if (!key || value === undefined) throw new PolicyError('policy-bad-parameter', `Unexpected \`${pair}\` in \`${r}\`, expected \`name:param=value\``)
    if (Object.hasOwn(parameters, key)) throw new PolicyError('policy-bad-parameter', `Unexpected second \`${key}\` in \`${r}\`, expected each parameter once`, { path: `${name}.${key}` })
    parameters[key] = value
  }
  return { name, parameters }
}

/**
 * The policies to apply: each request's requirements first (depth-first, in the order they are
 * listed), then the request itself, each once, in the order given.
 * @throws PolicyError `policy-unknown` or `policy-cycle`.
 */
export function resolvePolicies(requested: readonly (string | PolicyRequest)[], library: Library = builtinPolicies): { policy: Policy; parameters: Readonly<Record<string, string | number | boolean>> }[] {
  if (requested.length > maxPoliciesPerRequest) throw new PolicyError('policy-too-many', `${requested.length} policies requested, expected at most ${maxPoliciesPerRequest}`)
  const out: { policy: Policy; parameters: Readonly<Record<string, string | number | boolean>> }[] = []
  const done = new Set<string>()
  const visiting: string[] = []
  const given = new Map(requested.map((r) => { const q = request(r); return [q.name, q.parameters ?? {}] as const }))
  const visit = (name: string, from: string | undefined): void => {
    if (done.has(name)) return
    if (visiting.includes(name)) throw new PolicyError('policy-cycle', `Policies require each other in a circle: ${[...visiting.slice(visiting.indexOf(name)), name].join(' → ')}`, { path: name })
    const policy = own(library, name) ?? own(builtinPolicies, name)
    if (!policy) throw new PolicyError('policy-unknown', `Unknown policy \`${name}\`${from ? ` (required by \`${from}\`)` : ''}; known: ${Object.keys({ ...builtinPolicies, ...library }).sort().join(', ')}`, { path: name })
    visiting.push(name)
    for (const r of policy.requires) visit(r, name)
    visiting.pop()
    done.add(name)
    if (out.length >= maxPoliciesPerRequest) throw new PolicyError('policy-too-many', `More than ${maxPoliciesPerRequest} policies with what they require, expected at most ${maxPoliciesPerRequest}`, { path: name })
    out.push({ policy, parameters: given.get(name) ?? {} })
  }
  for (const r of requested) visit(request(r).name, undefined)
  return out
}


/** XML 1.0 `Char`: what a text or attribute value can carry at all (no NUL, no U+FFFE, no lone surrogate). */
const xmlChars = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u

/** Whether a table has no own enumerable key (what `Object.keys(table).length === 0` says, without the array). */
function isEmpty(table: object): boolean {
  for (const key in table) if (Object.hasOwn(table, key)) return false
  return true
}

/** Parameter values checked against their declarations, defaults filled in. */
/** The values of a policy that declares no parameter, given none: one shared empty table (nothing writes to it). */
const noValues: Record<string, string | number | boolean> = Object.freeze(Object.create(null) as Record<string, string | number | boolean>)

function parameterValues(policy: Pick<Policy, 'name' | 'parameters'>, given: Readonly<Record<string, string | number | boolean>>): Record<string, string | number | boolean> {
  if (isEmpty(given) && isEmpty(policy.parameters)) return noValues
  const values: Record<string, string | number | boolean> = Object.create(null) as Record<string, string | number | boolean>
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(policy.parameters, key)) throw new PolicyError('policy-bad-parameter', `Unknown parameter \`${key}\` for policy \`${policy.name}\`${Object.keys(policy.parameters).length ? `, expected one of ${Object.keys(policy.parameters).join(', ')}` : ' (it takes none)'}`, { path: `${policy.name}.${key}` })
  }
  for (const [key, spec] of Object.entries(policy.parameters)) {
    const raw = own(given, key)
    // `where` is the key path (data); messages name the parameter as it is written: `--policy name:param=value`.
    const where = `${policy.name}.${key}`
    if (raw === undefined) { values[key] = spec.default; continue }
    // A parameter is a value, never a JS object smuggled in through a TypeScript caller.
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw new PolicyError('policy-bad-parameter', `Unexpected ${typeof raw} for ${policy.name}:${key}, expected a string, number or boolean`, { path: where })
    if (spec.type === 'integer') {
      const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw)) ? Number(raw) : NaN
      if (!Number.isInteger(n)) throw new PolicyError('policy-bad-parameter', `Unexpected \`${String(raw)}\` for ${policy.name}:${key}, expected an integer`, { path: where })
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw new PolicyError('policy-bad-parameter', `Unexpected ${n} for ${policy.name}:${key}, expected ${spec.min ?? '…'}–${spec.max ?? '…'}`, { path: where })
      values[key] = n
    } else if (spec.type === 'boolean') {
      if (raw !== true && raw !== false && raw !== 'true' && raw !== 'false') throw new PolicyError('policy-bad-parameter', `Unexpected \`${String(raw)}\` for ${policy.name}:${key}, expected true or false`, { path: where })
      values[key] = raw === true || raw === 'true'
    } else {
      const text = String(raw)
      if (!xmlChars.test(text)) throw new PolicyError('policy-bad-parameter', `Unexpected character in ${JSON.stringify(text)} for ${policy.name}:${key}, expected only characters XML 1.0 can carry`, { path: where })
      // RE2 semantics (re2js): linear in the value's length whatever the pattern, so a pattern
      // such as `(a+)+` cannot stall a request (a backtracking RegExp took 76 s on 30 characters).
      if (spec.pattern !== undefined && !patternOf(spec.pattern).matches(text)) throw new PolicyError('policy-bad-parameter', `Unexpected \`${text}\` for ${policy.name}:${key}, expected ${spec.pattern}`, { path: where })
      values[key] = text
    }
  }
  return values
}

/** `${name}` → the value, XML-escaped: a parameter can never add or alter XML structure. */
function substitute(text: string, values: Readonly<Record<string, string | number | boolean>>, policy: string): string {
  // Most fragments have no parameter: the text as it is (what `replace` gives back), without a regular-expression pass.
  if (!text.includes('${')) return text
  return text.replace(/\$\{([a-zA-Z0-9]+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new PolicyError('policy-bad-parameter', `Policy \`${policy}\` uses \`\${${name}}\` but declares no such parameter`, { path: `${policy}.${name}` })
    return escapeXml(String(values[name]))
  })
}

const fragments = new Map<string, Root>()
/** Each policy's layers by their XML: made once per policy, mode and text (the merge keeps what it learns of a layer by its document). */
const policyLayers = new Map<string, Layer>()

function layerOf(policy: string, mode: Layer['mode'], which: string, xml: string): Layer {
  const known = policyLayers.get(xml)
  if (known !== undefined && known.name === policy && known.mode === mode) return known
  const layer: Layer = { name: policy, mode, document: fragment(policy, which, xml) }
  if (known === undefined && policyLayers.size < 1000) policyLayers.set(xml, layer)
  return layer
}

function fragment(policy: string, which: string, xml: string): Root {
  const known = fragments.get(xml)
  if (known) return known
  try {
    const parsed = parseXml(`<domain>${xml}</domain>`, { positions: false })
    if (fragments.size < 1000) fragments.set(xml, parsed)
    return parsed
  } catch (error) {
    throw new PolicyError('policy-bad-fragment', `Policy \`${policy}\`: its \`${which}\` XML is not well-formed: ${(error as Error).message}`, { path: `${policy}.${which}`, cause: error })
  }
}

/**
 * Whether a policy's `when` holds, and if not why: the one condition language of virtuned
 * (`check` of @virtuned/defaults, which the defaults' rules use too).
 */
export function checkCondition(when: PolicyCondition | undefined, domain: Element, os: OsEntry | undefined, host: HostCapabilities): string | undefined {
  const verdict = check(when, { domain: domainFacts(domain), os, host })
  return verdict.holds ? undefined : verdict.because
}

/**
 * The built-in policies' conditions, each normalized (and so compiled) once: they are constant.
 * A policy from a library is read as it is on every check.
 */
const builtinConditions = new Map<Policy, Condition | undefined>()
function conditionOf(policy: Policy): PolicyCondition | Condition | undefined {
  if (policy.when === undefined || own(builtinPolicies, policy.name) !== policy) return policy.when
  let condition = builtinConditions.get(policy)
  if (condition === undefined) builtinConditions.set(policy, (condition = normalizeCondition(policy.when as Condition)))
  return condition
}

/**
 * A policy as compose reads it: every field it reads, in one object shape. Policies come out of the
 * schema with only the fields they were written with — as many hidden classes as there are
 * combinations — and compose reads a dozen fields of each on every call: from those objects every
 * such read was megamorphic. Made once per built-in policy (they are constant), per call for a
 * library's own (a caller's objects are never keys of anything kept).
 */
class PlannedPolicy {
  readonly name: string
  readonly requires: readonly string[]
  readonly conflicts: readonly string[]
  readonly parameters: Policy['parameters']
  readonly when: PolicyCondition | Condition | undefined
  readonly prefer: string | undefined
  readonly require: string | undefined
  readonly machine: Policy['machine']
  readonly defaults: Policy['defaults']
  readonly refuses: readonly string[]
  readonly convert: Policy['convert']
  constructor(readonly policy: Policy) {
    this.name = policy.name
    this.requires = policy.requires
    this.conflicts = policy.conflicts
    this.parameters = policy.parameters
    this.when = conditionOf(policy)
    this.prefer = policy.prefer
    this.require = policy.require
    this.machine = policy.machine
    this.defaults = policy.defaults
    this.refuses = policy.refuses
    this.convert = policy.convert
  }
}

const plannedBuiltins = new Map<Policy, PlannedPolicy>()
function plannedOf(policy: Policy): PlannedPolicy {
  if (own(builtinPolicies, policy.name) !== policy) return new PlannedPolicy(policy)
  let planned = plannedBuiltins.get(policy)
  if (planned === undefined) plannedBuiltins.set(policy, (planned = new PlannedPolicy(policy)))
  return planned
}

/** Moves the disks on bus `from` to bus `to`, each with the next free target name of the new prefix (as libvirt names them). */
/** Disks on bus `from` moved to `to`: each replaced by itself with a new target name and bus, and without its old drive address. */
function retargetOps(root: Element, from: string, to: string): PatchOp[] {
  const next = createTargetNamer(selectAll(root, 'devices/disk/target').map((t) => t.element.attributes.dev).filter((d): d is string => d !== undefined))
  const prefix = prefixForBus(to)
  const ops: PatchOp[] = []
  for (const { element: disk, path } of selectIdentities(root, 'devices/disk', libvirtIdentityKeys)) {
    const target = disk.children.find((c): c is Element => c.type === 'element' && c.name === 'target')
    if (!target || target.attributes.bus !== from) continue
    const newTarget: Element = { ...target, attributes: { ...target.attributes, dev: next(prefix), bus: to } }
    // The old drive address names an IDE controller/unit: libvirt assigns a SATA one.
    const moved: Element = { ...disk, children: disk.children.filter((c) => !(c.type === 'element' && c.name === 'address')).map((c) => (c === target ? newTarget : c)) }
    ops.push({ op: 'replace', path, xml: toXml(moved, { style: 'preserve' }) })
  }
  return ops
}

/**
 * A conversion step as an xml-core patch on the domain as it is: every selected node addressed by
 * its identity path, last first (removing or renaming one leaves the numbering of those before it
 * as it was). The ops are what the result reports.
 */
function conversionOps(root: Element, step: ConversionStep): PatchOp[] {
  const selected = (path: string) => selectIdentities(root, path, libvirtIdentityKeys).reverse()
  if ('remove' in step) return selected(step.remove).map(({ path }) => ({ op: 'remove', path }))
  if ('set' in step) {
    // The schema checks the name; a library handed over as TypeScript data may skip the schema.
    if (!isXmlName(step.set.attribute)) throw new PolicyError('policy-invalid', `Unexpected attribute name ${JSON.stringify(step.set.attribute)} in a \`convert\` step, expected an XML name`, { path: 'convert.set.attribute' })
    const { attribute, value } = step.set
    return selected(step.set.path)
      .filter(({ element }) => !Object.hasOwn(element.attributes, attribute) || element.attributes[attribute] !== value)
      .map(({ element, path }) => ({ op: 'set-attribute', path, name: attribute, value, ...(Object.hasOwn(element.attributes, attribute) ? { from: element.attributes[attribute]! } : {}) }))
  }
  if ('replace' in step) return selected(step.replace.path).map(({ path }) => ({ op: 'replace', path, xml: step.replace.xml }))
  if ('machine' in step) {
    // A machine of the family is kept as written: its version is the guest ABI.
    const { machine } = machineOf(root)
    if (machine !== undefined && otherMachine(root, step.machine) === undefined) return []
    const wanted = machineForFamily(step.machine)!
    return selected('os/type').map(({ path }) => ({ op: 'set-attribute', path, name: 'machine', value: wanted, ...(machine === undefined ? {} : { from: machine }) }))
  }
  return retargetOps(root, step.retarget.from, step.retarget.to)
}

/** Whether the domain's machine is written and of another family than `family`. */
function otherMachine(root: Element, family: MachineFamily): string | undefined {
  const { machine, arch } = machineOf(root)
  return machine !== undefined && machineFamily(machine, arch) !== family ? machine : undefined
}

function toDocument(input: string | Uint8Array | LibvirtDocument): LibvirtDocument {
  return typeof input === 'string' || input instanceof Uint8Array ? parseDomain(input) : input
}

/**
 * Applies policies to a domain (without the defaults: see {@link compose}).
 * @throws PolicyConflictError with every clash; PolicyError for unknown policies, bad parameters, cycles.
 */
export function applyPolicies(input: string | Uint8Array | LibvirtDocument, options: ApplyPoliciesOptions): PoliciesResult {
  // (Not a copy of the built-ins on every call: resolvePolicies looks in both.)
  const library = options.library === undefined ? builtinPolicies : { ...builtinPolicies, ...options.library }
  const resolved = resolvePolicies(options.policies, library)
  const plans = resolved.map((r) => ({ policy: plannedOf(r.policy), parameters: r.parameters }))
  const host = options.host ?? assumedHost
  const os = options.os !== undefined ? resolveOs(options.os, options.osTable).entry : undefined
  const given = toDocument(input)
  // Refused before any work that grows with the device count (model-too-many-devices).
  checkDeviceLimits(given)
  let tree = given.tree
  const warnings: string[] = []
  const clashes: PolicyClash[] = []
  // The names, made when a policy declares a conflict (most declare none).
  let names: Set<string> | undefined
  for (const { policy } of plans) {
    if (policy.conflicts.length > 0) names ??= new Set(plans.map((r) => r.policy.name))
    for (const other of policy.conflicts) {
      // Each pair once, whichever side declares it.
      if (names!.has(other) && !clashes.some((c) => c.kind === 'declared' && ((c.holder === policy.name && c.requester === other) || (c.holder === other && c.requester === policy.name)))) {
        clashes.push({ path: '', current: '', wanted: '', holder: other, requester: policy.name, kind: 'declared' })
      }
    }
  }
  if (clashes.length > 0) throw new PolicyConflictError(clashes)

  const applied: string[] = []
  const skipped: { policy: string; because: string }[] = []
  const conversions: ConversionChange[] = []
  const layers: Layer[] = []
  const defaults: Record<string, unknown> = {}
  const forced: string[] = []
  for (const { policy, parameters } of mergeOrder(plans)) {
    const because = checkCondition(policy.when as PolicyCondition | undefined, rootElement(tree)!, os, host)
    if (because !== undefined) { skipped.push({ policy: policy.name, because }); warnings.push(`Policy \`${policy.name}\` skipped: ${because}.`); continue }
    const values = parameterValues(policy, parameters)
    // A domain with what the policy refuses: convert it, or that is a conflict.
    if (options.convert && policy.convert && (policy.refuses.some((path) => selectsAny(rootElement(tree)!, path)) || contradicts(tree, policy, values))) {
      for (const step of policy.convert) {
        const ops = conversionOps(rootElement(tree)!, step)
        if (ops.length === 0) continue
        tree = getEngine().patchTree(tree, { format: 'virtuned-patch/1', ops }, libvirtIdentityKeys)
        for (const op of ops) conversions.push({ policy: policy.name, why: step.why, guestVisible: step.guestVisible, op })
      }
    }
    // What the policy refuses and is still there (no --convert, or no conversion for it) is a conflict.
    for (const path of policy.refuses) {
      if (selectsAny(rootElement(tree)!, path)) clashes.push({ path, current: 'present', wanted: 'absent', holder: 'user', requester: policy.name, kind: 'require-vs-user' })
    }
    if (policy.require !== undefined) {
      layers.push(layerOf(policy.name, 'require', 'require', substitute(policy.require, values, policy.name)))
      if (options.force) forced.push(policy.name)
    }
    if (policy.machine !== undefined) {
      // A machine of the family is kept as written (pc-q35-7.2 satisfies q35); none gets the family's
      // machine as a require (two policies wanting different machines clash in the merge); another
      // family is a conflict, which --force overrides.
      const other = otherMachine(rootElement(tree)!, policy.machine)
      const wanted = machineForFamily(policy.machine)!
      if (other !== undefined && !options.force) clashes.push({ path: '/domain/os/type/@machine', current: other, wanted, holder: 'user', requester: policy.name, kind: 'require-vs-user' })
      else if (other !== undefined || machineOf(rootElement(tree)!).machine === undefined) {
        layers.push(layerOf(policy.name, 'require', 'machine', `<os><type machine='${wanted}'>hvm</type></os>`))
        if (options.force) forced.push(policy.name)
      }
    }
    if (policy.prefer !== undefined) layers.push(layerOf(policy.name, 'fill', 'prefer', substitute(policy.prefer, values, policy.name)))
    const wants = policy.defaults
    if (wants !== undefined) {
      for (const key of Object.keys(wants)) {
        const value = wants[key as keyof typeof wants]
        defaults[key] = typeof value === 'string' && value.startsWith('${') ? own(values, value.slice(2, -1)) : value
      }
    }
    applied.push(policy.name)
  }
  const merged = getEngine().mergeTree(tree, layers, libvirtIdentityKeys, { force: forced })
  for (const c of merged.conflicts) {
    clashes.push({ path: c.path, current: c.current, wanted: c.wanted, holder: c.holder === 'base' ? 'user' : c.holder, requester: c.requester, kind: c.holder === 'base' ? 'require-vs-user' : 'require-vs-require' })
  }
  if (clashes.length > 0) throw new PolicyConflictError(clashes)
  // In libvirt's order when first read: compose hands the merged tree to the defaults, which sort once at the end.
  const outcome = new PoliciesOutcome({ kind: 'domain', tree: merged.document, root: rootElement(merged.document)! }, applied, skipped, merged.provenance, conversions, defaults as Partial<DefaultsParameters>, warnings)
  if (merged.provenance.some((p) => p.action === 'overridden')) {
    for (const n of outcome.explanation) if (n.action === 'overridden') warnings.push(`--force: \`${n.policy}\` replaced your ${n.path} ${JSON.stringify(n.previous)}.`)
  }
  return outcome
}

/**
 * A result whose explanation paths are made exact for XPath (the first of equal identities gets its
 * `[1]`) when first read: a walk of the whole domain that a caller wanting only the XML never pays for.
 */
class PoliciesOutcome implements PoliciesResult {
  readonly #provenance: readonly Provenance[]
  #explanation: readonly PolicyNode[] | undefined
  /** The merged document as the merge left it (what compose continues from), and in libvirt's order once read. */
  readonly #merged: LibvirtDocument
  #document: LibvirtDocument | undefined

  constructor(
    merged: LibvirtDocument,
    readonly applied: readonly string[],
    readonly skipped: readonly { readonly policy: string; readonly because: string }[],
    provenance: readonly Provenance[],
    readonly conversions: readonly ConversionChange[],
    readonly defaults: Partial<DefaultsParameters>,
    readonly warnings: readonly string[],
  ) {
    this.#merged = merged
    this.#provenance = provenance
  }

  get document(): LibvirtDocument {
    return (this.#document ??= inLibvirtOrder(this.#merged))
  }

  /** The document before sorting: compose goes on from it (the defaults sort once, at the end). */
  static unsorted(result: PoliciesResult): LibvirtDocument {
    return result instanceof PoliciesOutcome ? result.#merged : result.document
  }

  get explanation(): readonly PolicyNode[] {
    if (this.#explanation === undefined) {
      const exact = exactPaths(this.document.tree, this.#provenance.map((p) => p.path), libvirtIdentityKeys)
      this.#explanation = this.#provenance.map((p, i) => ({ path: exact[i]!, policy: p.source, action: p.action, ...(p.previous === undefined ? {} : { previous: p.previous }) }))
    }
    return this.#explanation
  }

  /** Plain data, the explanation included. */
  toJSON(): PoliciesResult {
    return { document: this.document, applied: this.applied, skipped: this.skipped, explanation: this.explanation, conversions: this.conversions, defaults: this.defaults, warnings: this.warnings }
  }
}

/**
 * The order layers are merged in: every policy after what it requires, ties broken by name, so
 * that (without conflicts) the result does not depend on the order the policies were listed in.
 */
function mergeOrder<T extends { policy: { readonly name: string; readonly requires: readonly string[] } }>(resolved: readonly T[]): T[] {
  const pending = [...resolved]
  const placed = new Set<string>()
  const out: T[] = []
  while (pending.length > 0) {
    // The first by name of those whose requirements are placed (names are unique), found in one pass.
    let next: T | undefined
    for (const r of pending) if ((next === undefined || r.policy.name < next.policy.name) && r.policy.requires.every((q) => placed.has(q))) next = r
    next = next!
    out.push(next)
    placed.add(next.policy.name)
    pending.splice(pending.indexOf(next), 1)
  }
  return out
}

/** Whether the policy's `require` clashes with the domain as it is (then --convert converts it). */
function contradicts(tree: Root, policy: Pick<PlannedPolicy, 'name' | 'machine' | 'require'>, values: Readonly<Record<string, string | number | boolean>>): boolean {
  if (policy.machine !== undefined && otherMachine(rootElement(tree)!, policy.machine) !== undefined) return true
  if (policy.require === undefined) return false
  const probe = getEngine().mergeTree(tree, [{ name: policy.name, mode: 'require', document: fragment(policy.name, 'require', substitute(policy.require, values, policy.name)) }], libvirtIdentityKeys)
  return probe.conflicts.length > 0
}

export interface ComposeOptions extends Omit<ApplyPoliciesOptions, 'policies'> {
  readonly policies?: ApplyPoliciesOptions['policies']
  /** Defaults profile (default: the latest released). */
  readonly profile?: string
  readonly parameters?: Partial<DefaultsParameters>
  /** The host's QEMU capabilities: spare root ports sized from the resolved preview (see `applyDefaults`). */
  readonly qemuCaps?: ApplyDefaultsOptions['qemuCaps']
}

/** Who set a node of the composed domain. */
export interface NodeOrigin {
  readonly path: string
  /** `user`, `policy:<name>` or `default:<rule>`. */
  readonly source: string
  readonly why?: string
  readonly guestVisible?: boolean
}

export interface ComposeResult {
  readonly document: LibvirtDocument
  readonly xml: string
  readonly os?: OsEntry
  readonly profile: string
  readonly policies: PoliciesResult
  readonly defaults: readonly ExplainedNode[]
  readonly rules: readonly RuleOutcome[]
  readonly warnings: readonly string[]
  /** Every element, attribute and text of the result, with who set it (computed on first read). */
  readonly origins: readonly NodeOrigin[]
}

/**
 * A complete domain from a spec or domain XML: policies first (their `require`s over the
 * user's values are conflicts), then the defaults fill what is still unset.
 */
export function compose(input: string | Uint8Array | LibvirtDocument | DomainSpecInput, options: ComposeOptions = {}): ComposeResult {
  const document = typeof input === 'string' || input instanceof Uint8Array || ('kind' in input && 'tree' in input) ? toDocument(input as string | LibvirtDocument) : fromSpec(input as DomainSpecInput)
  // The options as they are when they name the policies (no copy: spreading an options object is a
  // generic copy on every call).
  const policies = applyPolicies(document, options.policies === undefined ? { ...options, policies: [] } : options as ApplyPoliciesOptions)
  // Sorted once, by the defaults, at the end.
  const defaultsOptions: { -readonly [K in keyof ApplyDefaultsOptions]: ApplyDefaultsOptions[K] } = {
    parameters: options.parameters === undefined ? policies.defaults : { ...policies.defaults, ...options.parameters },
  }
  if (options.os !== undefined) defaultsOptions.os = options.os
  if (options.osTable !== undefined) defaultsOptions.osTable = options.osTable
  if (options.host !== undefined) defaultsOptions.host = options.host
  if (options.profile !== undefined) defaultsOptions.profile = options.profile
  if (options.qemuCaps !== undefined) defaultsOptions.qemuCaps = options.qemuCaps
  const result = applyDefaults(PoliciesOutcome.unsorted(policies), defaultsOptions)
  return new Composition(result, policies)
}

/**
 * A compose result. `origins` is a getter on the class, computed on first read (walking every
 * node costs more than composing). Not a getter in an object literal: V8 keeps a literal's
 * accessor in the object's hidden class, so each result would get a new hidden class holding the
 * getter's closure, and every discarded result would stay reachable until the next full GC.
 */
class Composition implements ComposeResult {
  readonly document: LibvirtDocument
  readonly xml: string
  readonly os?: OsEntry
  readonly profile: string
  readonly policies: PoliciesResult
  readonly rules: readonly RuleOutcome[]
  readonly warnings: readonly string[]
  readonly #result: ReturnType<typeof applyDefaults>
  #origins: NodeOrigin[] | undefined

  constructor(result: ReturnType<typeof applyDefaults>, policies: PoliciesResult) {
    this.document = result.document
    this.xml = result.xml
    if (result.os) this.os = result.os
    this.profile = result.profile
    this.policies = policies
    this.#result = result
    this.rules = result.rules
    this.warnings = [...policies.warnings, ...result.warnings]
  }

  /** Every node the defaults added, with its rule (paths made exact when first read). */
  get defaults(): readonly ExplainedNode[] {
    return this.#result.explanation
  }

  get origins(): readonly NodeOrigin[] {
    return (this.#origins ??= originsOf(this.document.tree, this.policies, this.defaults))
  }

  /** Plain data, `origins` included (JSON.stringify, structured logs). */
  toJSON(): ComposeResult {
    return { document: this.document, xml: this.xml, ...(this.os ? { os: this.os } : {}), profile: this.profile, policies: this.policies, defaults: this.defaults, rules: this.rules, warnings: this.warnings, origins: this.origins }
  }
}

/** Whether an identity path names an element (not `…/@attr` or `…/text()`). */
export function isElementPath(path: string): boolean {
  return !/\/(@[^/\]]+|text\(\))$/.test(path)
}

/**
 * The nodes worth showing a reader: each element added, and each value set on an element that
 * was already there (values inside an added element go with it).
 */
export function summarizeNodes<T extends { readonly path: string }>(nodes: readonly T[], sourceOf: (node: T) => string): T[] {
  const elements = new Set(nodes.filter((n) => isElementPath(n.path)).map((n) => `${sourceOf(n)} ${n.path}`))
  return nodes.filter((n) => {
    if (isElementPath(n.path)) return !elements.has(`${sourceOf(n)} ${n.path.slice(0, n.path.lastIndexOf('/'))}`)
    return !elements.has(`${sourceOf(n)} ${n.path.slice(0, n.path.lastIndexOf('/'))}`)
  })
}

function originsOf(tree: Root, policies: PoliciesResult, defaults: readonly ExplainedNode[]): NodeOrigin[] {
  // Every path exact for XPath in the final document (the defaults may have added a sibling
  // that shares a policy element's identity since the policies' paths were taken).
  const exact = (paths: readonly string[]) => exactPaths(tree, paths, libvirtIdentityKeys)
  const policyPaths = exact(policies.explanation.map((p) => p.path))
  const defaultPaths = exact(defaults.map((d) => d.path))
  const by = new Map<string, NodeOrigin>()
  policies.explanation.forEach((p, i) => by.set(policyPaths[i]!, { path: policyPaths[i]!, source: `policy:${p.policy}` }))
  defaults.forEach((d, i) => by.set(defaultPaths[i]!, { path: defaultPaths[i]!, source: `default:${d.rule}`, why: d.why, guestVisible: d.guestVisible }))
  // The nearest element a layer added at or above a path, memoised per element path: paths come
  // parents first, so each is one lookup (tens of thousands of paths in a large domain).
  const nearest = new Map<string, NodeOrigin | undefined>()
  const parentOf = (path: string): string => path.slice(0, path.length - splitPath(path).at(-1)!.length - 1)
  const addedAt = (path: string): NodeOrigin | undefined => {
    if (path === '') return undefined
    if (nearest.has(path)) return nearest.get(path)
    const own = by.get(path)
    const found = own && isElementPath(own.path) ? own : addedAt(parentOf(path))
    nearest.set(path, found)
    return found
  }
  return exact(valuePaths(tree, libvirtIdentityKeys)).map((path) => {
    const own = by.get(path)
    if (own) return { ...own, path }
    // Inside an element a layer added: the same layer set it (nearest added ancestor).
    const ancestor = addedAt(parentOf(path))
    return ancestor ? { ...ancestor, path } : { path, source: 'user' }
  })
}
