// The commands that compose domains: new, apply, explain, defaults, policies, validate, diff, patch.
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { createTwoFilesPatch } from 'diff'
import { assumedHost, checkHostArch, checkOsArch, checkProfileArch, getProfile, parseDomainCapabilities, profileForArch, profiles, resolveOs, rules, type HostCapabilities, type Rule } from '@virtuned/defaults'
import { addDevice, fromSpec, libvirtIdentityKeys, parseDomain, parseLibvirtXml, serialize, type DomainSpecInput } from '@virtuned/model'
import { applyPolicies, builtinPolicies, compose, importKubevirtPreference, importOpenstackImageProperties, summarizeNodes, parsePolicy, policyJsonSchema, type ComposeResult, type Policy } from '@virtuned/policies'
import { parseQemuCaps, type QemuCaps } from '@virtuned/preview'
import { VirtunedError, XmlChangeError, getEngine, type Patch } from '@virtuned/xml-core'
import { createConnection } from '@virtuned/libvirt-adapter'
import { UsageError, aboutFile } from './errors.ts'
import { controllerXml, diskSpec, hostdevXml, memorySize, nicSpec, refuseMissingBuses } from './device-options.ts'
import { decodeFile } from './files.ts'
import { osTableFor } from './osinfo-table.ts'
import type { CliIo, InputKind } from './io.ts'

export interface CommandContext {
  readonly io: CliIo
  readonly read: (file: string, kind?: InputKind) => Promise<Uint8Array>
  readonly report: (file: string, error: unknown) => void
}


async function hostOption(context: CommandContext, file: string | undefined): Promise<HostCapabilities | undefined> {
  if (file === undefined) return undefined
  return parseDomainCapabilities(await context.read(file), file)
}

/** `--qemucaps FILE`: the host's QEMU capabilities, so spare root ports are sized from the resolved preview. */
async function qemuCapsOption(context: CommandContext, file: string | undefined): Promise<{ qemuCaps?: QemuCaps }> {
  if (file === undefined) return {}
  const text = await context.read(file, 'document')
  return { qemuCaps: aboutFile(file, () => parseQemuCaps(text)) }
}

/**
 * The host's domain capabilities for the virt type the domain asks for (`type='qemu'` is TCG even
 * on a host with KVM: a KVM host's capabilities would give it a host-model CPU TCG cannot run);
 * a domain that names none gets KVM's when libvirt offers it.
 */
async function hostFromLibvirt(uri: string, wanted: string | undefined, arch = 'x86_64'): Promise<HostCapabilities> {
  const conn = await createConnection(uri)
  try {
    const caps = await conn.getCapabilities()
    // The domain types offered for this architecture: its <guest> block (KVM for x86_64 says nothing of aarch64 under TCG).
    const guests = caps.split('<guest>').slice(1).filter((g) => new RegExp(`<arch name=['"]${arch}['"]`).test(g))
    if (guests.length === 0) throw new UsageError(`Unexpected architecture \`${arch}\`: ${uri} runs no ${arch} guests`, `Install its QEMU (Debian: qemu-system-arm for aarch64, qemu-system-ppc for ppc64le, qemu-system-misc for s390x), or pick another --arch.`)
    const offered = (type: string) => guests.some((g) => new RegExp(`<domain type=['"]${type}['"]`).test(g))
    if (wanted !== undefined && !offered(wanted)) throw new UsageError(`Unexpected domain type \`${wanted}\`: ${uri} offers ${['kvm', 'qemu'].filter(offered).join(' and ') || 'neither kvm nor qemu'} for ${arch}`)
    const virttype = wanted ?? (offered('kvm') ? 'kvm' : 'qemu')
    return parseDomainCapabilities(await conn.getDomainCapabilities({ virttype, arch }), `${uri} (domain capabilities, ${virttype}, ${arch})`)
  } finally {
    await conn.close()
  }
}

/** The architecture a spec (`os.arch`) or domain XML (`os/type/@arch`) writes, if any; bad XML is left for compose to report. */
function domainArch(input: DomainSpecInput | string): string | undefined {
  if (typeof input !== 'string') {
    const os = (input as { os?: unknown }).os
    const arch = os !== null && typeof os === 'object' ? (os as { arch?: unknown }).arch : undefined
    return typeof arch === 'string' ? arch : undefined
  }
  try {
    const os = parseDomain(input).root.children.find((c) => c.type === 'element' && c.name === 'os')
    const type = os?.type === 'element' ? os.children.find((c) => c.type === 'element' && c.name === 'type') : undefined
    return type?.type === 'element' ? type.attributes.arch : undefined
  } catch {
    return undefined
  }
}

/** The guest's architecture before the host is read: the one written in the spec or domain, else `--arch`; they must agree. */
function wantedArch(input: DomainSpecInput | string, flag: string | undefined): string | undefined {
  if (flag !== undefined && !/^[a-z0-9_]+$/.test(flag)) throw new UsageError(`Unexpected --arch \`${flag}\`, expected an architecture name such as \`x86_64\` or \`aarch64\``)
  const written = domainArch(input)
  if (written !== undefined && flag !== undefined && written !== flag) throw new UsageError(`Unexpected --arch ${flag} for a domain written for ${written}`, `Leave --arch out, or change the domain's architecture (os.arch in a spec, <type arch=…> in XML).`)
  return written ?? flag
}

/** The `type` a spec or domain XML gives (`kvm`, `qemu`), if any; bad XML is left for compose to report. */
function domainType(input: DomainSpecInput | string): string | undefined {
  if (typeof input !== 'string') return typeof input.type === 'string' ? input.type : undefined
  try {
    return parseDomain(input).root.attributes.type
  } catch {
    return undefined
  }
}

async function policyLibrary(context: CommandContext, files: readonly string[]): Promise<Record<string, Policy>> {
  const library: Record<string, Policy> = {}
  for (const file of files) {
    const source = decodeFile(file, await context.read(file, 'policy'))
    const policy = /VirtualMachine(Cluster)?Preference/.test(source) ? importKubevirtPreference(source, file).policy
      : /"(hw|os)_[a-z_]+"\s*:/.test(source) ? importOpenstackImageProperties(source, file.replace(/^.*\//, '').replace(/\.[^.]*$/, ''), file).policy
        : parsePolicy(source, file)
    library[policy.name] = policy
  }
  return library
}

function policyList(values: readonly string[] | undefined): string[] {
  // `--policy a,b --policy c:ports=4`: commas separate policies except inside `name:k=v,k=v`.
  const out: string[] = []
  for (const value of values ?? []) {
    for (const part of value.split(/,(?![a-zA-Z0-9]+=)/)) if (part) out.push(part)
  }
  return out
}

/**
 * Writes next to the target and renames: readers see the old file or the new one, never half.
 * An existing target keeps its mode; a new one takes the mode of `input` (the file it was made from).
 */
async function writeOutput(context: CommandContext, file: string | undefined, content: string, input?: string): Promise<void> {
  if (file === undefined || file === '-') context.io.stdout(content)
  else await context.io.writeFileAtomic(file, content, input === undefined || input === '-' ? {} : { modeFrom: input })
}

/** What `--validate` found in the output of new/apply; `valid` decides the exit code. */
interface OutputCheck { readonly valid: boolean; readonly json: { schema: string; valid: boolean; errors: unknown[] } }

/**
 * `new`/`apply --validate`: libvirt's schema verdict on the XML about to be written, as `validate`
 * gives it (the host's schemas when installed, else the shipped ones), on stderr (stdout may be the
 * XML): `schema: SET` and each problem as `OUTPUT:line:column: message [code]`.
 */
async function checkOutput(context: CommandContext, xml: string, output: string | undefined, json: boolean): Promise<OutputCheck> {
  const check = await context.io.relaxng(new TextEncoder().encode(xml), undefined, 'domain')
  if (check === undefined) return { valid: true, json: { schema: 'not checked', valid: true, errors: [] } }
  if (!json) {
    const { formatProblem } = await import('./schema.ts')
    const name = output === undefined || output === '-' ? '<output>' : output
    context.io.stderr(`virtuned: schema: ${check.schema}: the output is ${check.problems.length === 0 ? 'valid' : 'invalid'}\n`)
    for (const p of check.problems) context.io.stderr(`${formatProblem(name, p)}\n`)
  }
  return { valid: check.problems.length === 0, json: { schema: check.schema, valid: check.problems.length === 0, errors: [...check.problems] } }
}

/** An invalid result is not written over a file (`-o`, `--in-place`); on stdout it is shown, the problems name its lines. */
function refuseInvalid(check: OutputCheck | undefined, output: string | undefined, context: CommandContext): boolean {
  if (check === undefined || check.valid || output === undefined || output === '-') return false
  context.io.stderr(`virtuned: ${output} not written: the result fails libvirt's schema (exit 1)\n`)
  return true
}

function printExplanation(io: CliIo, result: ComposeResult, to: 'stdout' | 'stderr'): void {
  const out = (s: string) => io[to](s)
  out(`# Explanation: profile ${result.profile}${result.os ? `, guest OS ${result.os.shortId} (${result.os.name})` : ''}\n`)
  if (result.policies.applied.length) out(`# Policies applied: ${result.policies.applied.join(', ')}\n`)
  for (const s of result.policies.skipped) out(`# Policy ${s.policy} skipped: ${s.because}\n`)
  for (const c of result.policies.conversions) out(`# convert (${c.policy}${c.guestVisible ? ', guest-visible' : ''}): ${c.op.op} ${c.op.path} — ${c.why}\n`)
  const byPolicy = summarizeNodes(result.policies.explanation, (n) => n.policy)
  for (const n of byPolicy) out(`  policy:${n.policy.padEnd(22)} ${n.action.padEnd(10)} ${n.path}\n`)
  const seen = new Set<string>()
  for (const d of summarizeNodes(result.defaults, (n) => n.rule)) {
    out(`  default:${d.rule.padEnd(21)} ${(d.guestVisible ? 'guest' : 'host').padEnd(10)} ${d.path}\n`)
    if (!seen.has(d.rule)) { seen.add(d.rule); out(`      why: ${d.why}\n      source: ${d.sources.map((s) => `${s.name} (${s.ref})`).join('; ')}\n`) }
  }
  const notApplied = result.rules.filter((r) => !r.applied)
  if (notApplied.length) out(`# Defaults not applied: ${notApplied.map((r) => `${r.rule} (${r.because})`).join('; ')}\n`)
  for (const w of result.warnings) out(`# warning: ${w}\n`)
}

const composeOptions = {
  os: { type: 'string' },
  domcaps: { type: 'string' },
  qemucaps: { type: 'string' },
  connect: { type: 'string', short: 'c' },
  profile: { type: 'string' },
  policy: { type: 'string', multiple: true },
  'policy-file': { type: 'string', multiple: true },
  force: { type: 'boolean' },
  convert: { type: 'boolean' },
  explain: { type: 'boolean' },
  json: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'virt-type': { type: 'string' },
  arch: { type: 'string' },
  'osinfo-db': { type: 'string' },
} as const

/**
 * The host's architecture and virt type decide the domain's, as virt-install's do: a spec that names
 * no `type` gets the capabilities' (`qemu` for TCG), or `--virt-type`; a domain that names no
 * architecture gets the capabilities' (`--arch`, or the one written, must be theirs: a typed
 * `defaults-arch-mismatch` otherwise). Without capabilities only x86_64 can be assumed.
 */
function hostChoices(host: HostCapabilities | undefined, values: { 'virt-type'?: string | undefined; arch?: string | undefined }, written?: string): { type?: string; arch: string } {
  const wanted = values['virt-type']
  if (wanted !== undefined && wanted !== 'kvm' && wanted !== 'qemu') throw new UsageError(`Unexpected --virt-type \`${wanted}\`, expected \`kvm\` or \`qemu\``)
  if (wanted !== undefined && host !== undefined && host.virtType !== wanted) {
    throw new UsageError(`Unexpected --virt-type ${wanted} with domain capabilities for ${host.virtType} (${host.source})`, `Give the capabilities for ${wanted}: virsh domcapabilities --virttype ${wanted}`)
  }
  const given = written ?? values.arch
  const arch = host !== undefined ? checkHostArch(given, host) : given ?? 'x86_64'
  if (host === undefined && arch !== 'x86_64') throw new UsageError(`Expected domain capabilities for ${arch} (--domcaps FILE or --connect URI): only an x86_64 host is assumed without them`, `virsh domcapabilities --arch ${arch} --virttype qemu > ${arch}.xml, then --domcaps ${arch}.xml`)
  const type = wanted ?? host?.virtType
  return type === undefined ? { arch } : { type, arch }
}

/**
 * The profile for the guest's architecture and the refusals that come with it: a profile named
 * (`--profile`) must cover the architecture, and the OS must be published for it (osinfo-db).
 * With no profile named and an architecture the latest released profile does not cover, the
 * profile that does (2026.12 for aarch64, s390x, ppc64le), with a warning when it is not released.
 */
function archChoices(context: CommandContext, arch: string, values: { os?: string | undefined; profile?: string | undefined; 'osinfo-db'?: string | undefined }): { profile?: string } {
  if (values.os !== undefined) checkOsArch(resolveOs(values.os, osTableFor(values['osinfo-db'])).entry, arch)
  if (values.profile !== undefined) { checkProfileArch(getProfile(values.profile), arch); return { profile: values.profile } }
  const latest = getProfile()
  if (latest.arches.includes(arch)) return {}
  const profile = profileForArch(arch)
  if (profile === undefined) checkProfileArch(latest, arch)
  context.io.stderr(`virtuned: warning: profile ${latest.id} has no rules for ${arch}: using profile ${profile} (name one with --profile)\n`)
  return { profile: profile! }
}

export async function newCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { ...composeOptions, validate: { type: 'boolean' }, name: { type: 'string' }, memory: { type: 'string' }, vcpus: { type: 'string' }, disk: { type: 'string', multiple: true }, nic: { type: 'string', multiple: true }, controller: { type: 'string', multiple: true }, hostdev: { type: 'string', multiple: true }, spec: { type: 'string' } },
  })
  if (positionals.length > 0) throw new UsageError(`Unexpected argument \`${positionals[0]}\``)
  // Devices the spec has no field for, in the same option syntax as plan-attach and attach: added to
  // the domain the spec gives, before policies and defaults.
  const extraDevices = [...(values.controller ?? []).map(controllerXml), ...(values.hostdev ?? []).map(hostdevXml)]
  let spec: DomainSpecInput
  if (values.spec !== undefined) {
    const source = decodeFile(values.spec, await context.read(values.spec, 'spec'))
    let data: unknown
    // maxAliasCount: a "billion laughs" of YAML aliases is refused, not expanded.
    try { data = parseYaml(source, { maxAliasCount: 100 }) } catch (error) { throw new UsageError(`${values.spec}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`, 'Fix the spec file syntax.') }
    spec = data as DomainSpecInput
    // A spec's number is bytes (the model's unit); a guest smaller than a kernel is a typo for MiB, refused here too.
    if (spec !== null && typeof spec === 'object' && (typeof spec.memory === 'number' || typeof spec.memory === 'string')) memorySize(spec.memory, `${values.spec}: memory`)
  } else {
    if (values.name === undefined) throw new UsageError('Expected --name (or --spec FILE)', 'Example: virtuned new --os debian11 --name web --memory 2GiB --vcpus 2 --disk size=10G --nic network=default')
    const vcpus = values.vcpus === undefined ? undefined : Number(values.vcpus)
    if (vcpus !== undefined && (!Number.isInteger(vcpus) || vcpus < 1)) throw new UsageError(`Unexpected --vcpus \`${values.vcpus}\`, expected a whole number ≥ 1`)
    const os = values.os !== undefined ? resolveOs(values.os, osTableFor(values['osinfo-db'])) : undefined
    const memory: string | number | undefined = values.memory ?? (os?.entry.recRam ? Math.max(os.entry.recRam, os.entry.minRam ?? 0) : undefined) // the OS table's figures are bytes
    if (memory === undefined) throw new UsageError('Expected --memory (e.g. 2GiB): the OS recommends none')
    spec = {
      name: values.name,
      memory: memorySize(memory),
      vcpus: vcpus ?? Math.max(os?.entry.minCpus ?? 1, 1),
      disks: (values.disk ?? []).map((d, i) => diskSpec(d, { name: values.name!, index: i })),
      nics: (values.nic ?? []).map(nicSpec),
    }
  }
  return composeAndPrint(context, spec, values, undefined, extraDevices)
}

/**
 * Runs `work` on the document or spec read from `file`: an error it throws about a place in the
 * input (a device limit at line 1026) names that file, not `virtuned` (the CLI prints `file:line:column`).
 */
function inFile<T>(file: string | undefined, work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (file !== undefined && error instanceof VirtunedError && !(error instanceof UsageError) && !('file' in error)) Object.defineProperty(error, 'file', { value: file === '-' ? '<stdin>' : file, enumerable: true })
    throw error
  }
}

async function composeAndPrint(context: CommandContext, input: DomainSpecInput | string, values: { os?: string | undefined; domcaps?: string | undefined; qemucaps?: string | undefined; connect?: string | undefined; 'virt-type'?: string | undefined; arch?: string | undefined; 'osinfo-db'?: string | undefined; profile?: string | undefined; policy?: string[] | undefined; 'policy-file'?: string[] | undefined; force?: boolean | undefined; convert?: boolean | undefined; explain?: boolean | undefined; json?: boolean | undefined; output?: string | undefined; validate?: boolean | undefined }, from?: string, extraDevices: readonly string[] = []): Promise<number> {
  if (values.domcaps !== undefined && values.connect !== undefined) throw new UsageError('Unexpected --domcaps with --connect, expected one source of host capabilities')
  const archWanted = wantedArch(input, values.arch)
  let host = values.connect !== undefined ? await hostFromLibvirt(values.connect, domainType(input) ?? values['virt-type'], archWanted) : await hostOption(context, values.domcaps)
  const choices = hostChoices(host, values, domainArch(input))
  const archProfile = archChoices(context, choices.arch, values)
  // `--virt-type qemu` with no capabilities: the assumed host, run by TCG (its `maximum` CPU, not `host-model`).
  if (host === undefined && (choices.type ?? domainType(input)) === 'qemu') {
    host = { ...assumedHost, virtType: 'qemu', supported: { ...assumedHost.supported, 'cpu/host-model': false, 'cpu/maximum': true }, source: 'assumed (TCG)' }
    context.io.stderr('virtuned: warning: No domain capabilities given: assuming an x86_64 TCG host with common features (use --domcaps or --connect for the real host).\n')
  }
  // A spec that names no type takes the host's (TCG capabilities → `qemu`); a type written in a spec or domain is kept.
  if (typeof input !== 'string' && input.type === undefined && choices.type !== undefined) input = { ...input, type: choices.type as 'kvm' }
  const written = domainType(input)
  if (host !== undefined && written !== undefined && (written === 'kvm' || written === 'qemu') && written !== host.virtType) {
    context.io.stderr(`virtuned: warning: the domain's type is ${written} but the capabilities (${host.source}) are for ${host.virtType}: the defaults follow the capabilities; give ${written}'s (virsh domcapabilities --virttype ${written}) or change the type.\n`)
  }
  const library = await policyLibrary(context, values['policy-file'] ?? [])
  const qemuCaps = await qemuCapsOption(context, values.qemucaps)
  const spec = input
  const given = () => (extraDevices.length === 0 || typeof spec === 'string' ? spec : extraDevices.reduce((document, xml) => addDevice(document, parseLibvirtXml(xml).root), fromSpec(spec)))
  const result = inFile(from ?? (values as { spec?: string }).spec, () => compose(given(), {
    ...(values.os === undefined ? {} : { os: values.os }),
    osTable: osTableFor(values['osinfo-db']),
    ...(host === undefined ? {} : { host }),
    ...archProfile,
    ...qemuCaps,
    policies: policyList(values.policy),
    library,
    force: values.force === true,
    convert: values.convert === true,
  }))
  if (typeof input !== 'string') refuseMissingBuses(result.document)
  const check = values.validate ? await checkOutput(context, result.xml, values.output, values.json === true) : undefined
  if (refuseInvalid(check, values.output, context)) return 1
  if (values.json) {
    await writeOutput(context, values.output, JSON.stringify({ xml: result.xml, profile: result.profile, os: result.os?.id, policies: result.policies.applied, skipped: result.policies.skipped, conversions: result.policies.conversions, defaults: result.defaults, rules: result.rules, origins: result.origins, warnings: result.warnings, ...(check ? { schema: check.json } : {}) }, null, 2) + '\n', from)
    return check?.valid === false ? 1 : 0
  }
  await writeOutput(context, values.output, result.xml, from)
  if (values.explain) printExplanation(context.io, result, values.output === undefined ? 'stderr' : 'stdout')
  else for (const w of result.warnings) context.io.stderr(`virtuned: warning: ${w}\n`)
  return check?.valid === false ? 1 : 0
}

export async function applyCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...composeOptions, defaults: { type: 'boolean' }, 'in-place': { type: 'boolean' }, validate: { type: 'boolean' } } })
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} files, expected one domain FILE`)
  if (!values.defaults && !(values.policy?.length)) throw new UsageError('Expected --defaults and/or --policy NAME', 'Example: virtuned apply guest.xml --defaults --os debian11')
  const file = positionals[0]!
  const source = decodeFile(file, await context.read(file))
  parseDomain(source) // a clear error with its place before anything else
  const output = values['in-place'] ? file : values.output
  if (!values.defaults) return applyPoliciesOnly(context, source, { ...values, output }, file)
  return composeAndPrint(context, source, { ...values, output }, file)
}

/**
 * `apply FILE --policy pcie --convert` without `--defaults`: the policies (and their conversions) only,
 * as `virt-xml --convert-to-q35` converts without adding anything else. What a policy asks of the
 * defaults (root-port spares, device models) needs `--defaults`: said in a warning, not done.
 */
async function applyPoliciesOnly(context: CommandContext, source: string, values: { os?: string | undefined; domcaps?: string | undefined; connect?: string | undefined; 'osinfo-db'?: string | undefined; policy?: string[] | undefined; 'policy-file'?: string[] | undefined; force?: boolean | undefined; convert?: boolean | undefined; explain?: boolean | undefined; json?: boolean | undefined; output?: string | undefined; validate?: boolean | undefined }, from: string): Promise<number> {
  if (values.domcaps !== undefined && values.connect !== undefined) throw new UsageError('Unexpected --domcaps with --connect, expected one source of host capabilities')
  const host = values.connect !== undefined ? await hostFromLibvirt(values.connect, domainType(source)) : await hostOption(context, values.domcaps)
  const library = await policyLibrary(context, values['policy-file'] ?? [])
  const result = inFile(from, () => applyPolicies(source, {
    ...(values.os === undefined ? {} : { os: values.os, osTable: osTableFor(values['osinfo-db']) }),
    ...(host === undefined ? {} : { host }),
    policies: policyList(values.policy),
    library,
    force: values.force === true,
    convert: values.convert === true,
  }))
  const xml = serialize(result.document)
  const asked = Object.keys(result.defaults)
  const warnings = [...result.warnings, ...(asked.length > 0 ? [`The policies ask the defaults for ${asked.join(', ')}; without --defaults nothing of that was added (add --defaults to fill them).`] : [])]
  const check = values.validate ? await checkOutput(context, xml, values.output, values.json === true) : undefined
  if (refuseInvalid(check, values.output, context)) return 1
  if (values.json) {
    await writeOutput(context, values.output, JSON.stringify({ xml, policies: result.applied, skipped: result.skipped, conversions: result.conversions, explanation: result.explanation, warnings, ...(check ? { schema: check.json } : {}) }, null, 2) + '\n', from)
    return check?.valid === false ? 1 : 0
  }
  await writeOutput(context, values.output, xml, from)
  const to = (s: string) => (values.output === undefined ? context.io.stderr(s) : context.io.stdout(s))
  if (values.explain) {
    to(`# Explanation: policies only (no --defaults)\n`)
    if (result.applied.length) to(`# Policies applied: ${result.applied.join(', ')}\n`)
    for (const s of result.skipped) to(`# Policy ${s.policy} skipped: ${s.because}\n`)
    for (const c of result.conversions) to(`# convert (${c.policy}${c.guestVisible ? ', guest-visible' : ''}): ${c.op.op} ${c.op.path} — ${c.why}\n`)
    for (const n of summarizeNodes(result.explanation, (x) => x.policy)) to(`  policy:${n.policy.padEnd(22)} ${n.action.padEnd(10)} ${n.path}\n`)
  }
  for (const w of warnings) context.io.stderr(`virtuned: warning: ${w}\n`)
  return check?.valid === false ? 1 : 0
}

export async function explainCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: composeOptions })
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} files, expected one domain FILE`)
  const source = decodeFile(positionals[0]!, await context.read(positionals[0]!))
  // As apply: --connect reads libvirtd's capabilities (it was accepted and ignored before).
  if (values.domcaps !== undefined && values.connect !== undefined) throw new UsageError('Unexpected --domcaps with --connect, expected one source of host capabilities')
  const host = values.connect !== undefined ? await hostFromLibvirt(values.connect, domainType(source), wantedArch(source, values.arch)) : await hostOption(context, values.domcaps)
  const explainArch = archChoices(context, hostChoices(host, values, domainArch(source)).arch, values) // the same refusals and profile as new/apply
  const library = await policyLibrary(context, values['policy-file'] ?? [])
  const explainCaps = await qemuCapsOption(context, values.qemucaps)
  const result = inFile(positionals[0], () => compose(source, {
    ...(values.os === undefined ? {} : { os: values.os }),
    osTable: osTableFor(values['osinfo-db']),
    ...(host === undefined ? {} : { host }),
    ...explainArch,
    ...explainCaps,
    policies: policyList(values.policy),
    library,
    force: values.force === true,
    convert: values.convert === true,
  }))
  if (values.json) {
    context.io.stdout(JSON.stringify(result.origins, null, 2) + '\n')
    return 0
  }
  const user = result.origins.filter((o) => o.source === 'user').length
  context.io.stdout(`# ${positionals[0]}: ${result.origins.length} nodes after composing; ${user} from the file, ${result.origins.length - user} added by policies and defaults:\n`)
  printExplanation(context.io, result, 'stdout')
  return 0
}

export async function defaultsCommand(context: CommandContext, args: string[]): Promise<number> {
  const [sub, id, ...rest] = args
  const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, allowPositionals: false })
  const out = (s: string) => context.io.stdout(s)
  if (sub === 'list') {
    for (const p of Object.values(profiles)) out(`${p.id}${p.released ? '' : ' (not released)'}: ${p.summary}\n  architectures: ${p.arches.join(', ')}\n`)
    out('\nRules (virtuned defaults show RULE):\n')
    for (const r of Object.values(rules)) out(`  ${r.id.padEnd(32)} ${r.guestVisible ? 'guest-visible' : 'host-only    '} ${r.sets}\n`)
    return 0
  }
  if (sub === 'show' && id !== undefined) {
    const rule = (rules as Readonly<Record<string, Rule>>)[id]
    if (rule) {
      if (values.json) { out(JSON.stringify({ ...rule, fill: typeof rule.fill === 'function' ? '(computed)' : rule.fill, device: rule.device ? rule.device.kind : undefined }, null, 2) + '\n'); return 0 }
      out(`${rule.id} (revision ${rule.revision}, ${rule.guestVisible ? 'guest-visible' : 'host-only'}${rule.minLibvirt ? `, libvirt ≥ ${rule.minLibvirt}` : ''}${rule.minQemu ? `, QEMU ≥ ${rule.minQemu}` : ''})\n  sets: ${rule.sets}\n  why: ${rule.why}\n  when: ${JSON.stringify(rule.when)}\n  sources:\n${rule.sources.map((s) => `    ${s.name}: ${s.ref}`).join('\n')}\n`)
      if (typeof rule.fill === 'string') out(`  fill: ${rule.fill}\n`)
      return 0
    }
    const profile = getProfile(id)
    out(`${profile.id}${profile.released ? '' : ' (not released)'}: ${profile.summary}\n${profile.rules.map((r) => `  ${r}`).join('\n')}\n`)
    return 0
  }
  if (sub === 'os') {
    const filter = id ?? ''
    const table = osTableFor(undefined)
    for (const e of table.entries) if (e.shortId.includes(filter) || e.name.toLowerCase().includes(filter.toLowerCase())) out(`${e.shortId.padEnd(24)} ${e.name}${e.arches ? ` (${e.arches.join(', ')})` : ''}\n`)
    out(`# from ${table.source}\n`)
    return 0
  }
  throw new UsageError('Expected `defaults list`, `defaults show PROFILE|RULE` or `defaults os [FILTER]`')
}

export async function policiesCommand(context: CommandContext, args: string[]): Promise<number> {
  const [sub, id] = args
  const out = (s: string) => context.io.stdout(s)
  if (sub === 'list') {
    for (const p of Object.values(builtinPolicies)) out(`${p.name.padEnd(18)} ${p.description}\n`)
    return 0
  }
  if (sub === 'show' && id !== undefined) {
    const p = builtinPolicies[id]
    if (!p) throw new UsageError(`Unknown policy \`${id}\`, expected one of ${Object.keys(builtinPolicies).join(', ')}`)
    out(JSON.stringify(p, null, 2) + '\n')
    return 0
  }
  if (sub === 'import' && id !== undefined) {
    // `import kubevirt FILE`, `import openstack FILE [NAME]`, or `import FILE` (recognised by content).
    const [kind, file] = id === 'kubevirt' || id === 'openstack' ? [id, args[2]] : [undefined, id]
    if (file === undefined) throw new UsageError('Expected `policies import kubevirt|openstack FILE`')
    const source = decodeFile(file, await context.read(file))
    const openstack = kind === 'openstack' || (kind === undefined && !/VirtualMachine(Cluster)?Preference/.test(source))
    const name = args[3] ?? file.replace(/^.*\//, '').replace(/\.[^.]*$/, '')
    const imported = openstack ? importOpenstackImageProperties(source, name, file) : importKubevirtPreference(source, file)
    out(JSON.stringify(imported.policy, null, 2) + '\n')
    for (const u of imported.unmapped) context.io.stderr(`virtuned: not mapped: ${'field' in u ? u.field : u.property} — ${u.reason}\n`)
    return 0
  }
  if (sub === 'schema') {
    out(JSON.stringify(policyJsonSchema, null, 2) + '\n')
    return 0
  }
  throw new UsageError('Expected `policies list`, `policies show NAME`, `policies import kubevirt|openstack FILE` or `policies schema`')
}

/** libvirt's RelaxNG schemas: Debian's libvirt-clients installs them here. */
export const systemSchemaDir = '/usr/share/libvirt/schemas'

/** A problem of `validate --json`: located, with its code; `path` and `expected` for schema problems. */
interface ValidateProblem { line?: number; column?: number; code?: string; path?: string; expected?: readonly string[]; message: string }

/**
 * libvirt's schema check of a document the CLI wrote or read: prints which set answered (once per
 * set and run) and each problem as `file:line:column: message [code]`. `undefined`: no schema for it.
 */
export async function schemaCheck(context: CommandContext, file: string, document: Uint8Array | string, root: string, schemaDir: string | undefined, announced: Set<string>, print: boolean): Promise<{ schema: string; problems: ValidateProblem[] } | undefined> {
  const bytes = typeof document === 'string' ? new TextEncoder().encode(document) : document
  const check = await context.io.relaxng(bytes, schemaDir, root)
  if (check === undefined) return undefined
  if (print && !announced.has(check.schema)) {
    announced.add(check.schema)
    context.io.stdout(`schema: ${check.schema}\n`)
  }
  const { formatProblem } = await import('./schema.ts')
  if (print) for (const p of check.problems) context.io.stdout(`${formatProblem(file, p)}\n`)
  return { schema: check.schema, problems: check.problems.map((p) => ({ line: p.line, column: p.column, code: p.code, path: p.path, ...(p.expected ? { expected: p.expected } : {}), message: p.message })) }
}

export async function validateCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'schema-dir': { type: 'string' }, 'no-schema': { type: 'boolean' }, json: { type: 'boolean' } } })
  if (positionals.length === 0) throw new UsageError('Expected at least one FILE')
  let failed = 0
  let unreadable = false
  const announced = new Set<string>()
  const results: { file: string; valid: boolean; schema: 'checked' | 'no schema' | 'skipped'; schemaSet?: string; errors: ValidateProblem[] }[] = []
  for (const file of positionals) {
    let source: Uint8Array
    let root: string
    try {
      source = await context.read(file)
      root = parseLibvirtXml(source).root.name
    } catch (error) {
      if (!(error instanceof VirtunedError)) throw error
      if (!values.json) context.report(file, error)
      results.push({ file, valid: false, schema: 'skipped', errors: [{ ...(error.place ? { line: error.place.line, column: error.place.column } : {}), code: error.code, message: error.message }] })
      unreadable = unreadable || error.code === 'cli-unreadable-input'
      failed++
      continue
    }
    if (values['no-schema']) {
      results.push({ file, valid: true, schema: 'skipped', errors: [] })
      if (!values.json) context.io.stdout(`${file}: well-formed\n`)
      continue
    }
    const check = await schemaCheck(context, file, source, root, values['schema-dir'], announced, !values.json)
    if (check === undefined) {
      results.push({ file, valid: true, schema: 'no schema', errors: [] })
      if (!values.json) context.io.stdout(`${file}: well-formed (libvirt has no schema for a <${root}> alone)\n`)
    } else if (check.problems.length === 0) {
      results.push({ file, valid: true, schema: 'checked', schemaSet: check.schema, errors: [] })
      if (!values.json) context.io.stdout(`${file}: valid\n`)
    } else {
      failed++
      results.push({ file, valid: false, schema: 'checked', schemaSet: check.schema, errors: check.problems })
    }
  }
  if (values.json) context.io.stdout(JSON.stringify(results, null, 2) + '\n')
  return unreadable ? 2 : failed > 0 ? 1 : 0
}


export async function diffCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } })
  if (positionals.length !== 2) throw new UsageError(`Unexpected ${positionals.length} files, expected A.xml B.xml`)
  const [a, b] = await Promise.all(positionals.map((f) => context.read(f)))
  const documents = [aboutFile(positionals[0]!, () => parseLibvirtXml(a!)), aboutFile(positionals[1]!, () => parseLibvirtXml(b!))] as const
  const engine = getEngine()
  const patch = engine.diff(a!, b!, libvirtIdentityKeys)
  if (values.json) {
    // Each removed or replaced element with the XML it had in A: the reverse diff inserts (or puts back) exactly those.
    const reverse = engine.diff(b!, a!, libvirtIdentityKeys).ops
    const before = (path: string): string | undefined => {
      const back = reverse.find((r) => (r.op === 'insert' && `${r.path}/${r.as}` === path) || (r.op === 'replace' && r.path === path))
      return back && 'xml' in back ? back.xml : undefined
    }
    const ops = patch.ops.map((op) => (op.op === 'remove' || op.op === 'replace') && before(op.path) !== undefined ? { ...op, removed: before(op.path) } : op)
    context.io.stdout(JSON.stringify({ ...patch, ops }, null, 2) + '\n')
  } else if (patch.ops.length > 0) {
    // virt-xml's --print-diff: a unified diff of the two domains, both in libvirt's layout.
    const [left, right] = documents.map((d) => serialize(d))
    const text = createTwoFilesPatch(positionals[0]!, positionals[1]!, left!, right!, undefined, undefined, { context: 3 })
    context.io.stdout(text.split('\n').slice(text.startsWith('====') ? 1 : 0).join('\n'))
    // Changes no line shows (device order alone, attribute order): say what they are.
    if (left === right) for (const op of patch.ops) context.io.stdout(`# ${op.op} ${op.path}${'order' in op ? `: ${op.order.join(', ')}` : ''}\n`)
  }
  return patch.ops.length > 0 ? 1 : 0
}

export async function patchCommand(context: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } })
  if (positionals.length !== 2) throw new UsageError(`Unexpected ${positionals.length} files, expected DOMAIN.xml PATCH.json`)
  const domain = await context.read(positionals[0]!)
  let patch: Patch
  try { patch = JSON.parse(decodeFile(positionals[1]!, await context.read(positionals[1]!))) as Patch } catch (error) {
    if (error instanceof VirtunedError) throw error
    throw new UsageError(`${positionals[1]}: not JSON: ${(error as Error).message}`, 'Give a patch as printed by `virtuned diff --json`.')
  }
  let result: string | Uint8Array
  try {
    result = getEngine().applyPatch(domain, patch, libvirtIdentityKeys)
  } catch (error) {
    if (!(error instanceof XmlChangeError) || error.index === undefined) throw error
    // xml-core counts operations from 0; people (and editors' line of the op) count from 1.
    const count = Array.isArray(patch.ops) ? patch.ops.length : 0
    const message = error.message.replace(/^Operation [0-9]+/, `Operation ${error.index + 1} of ${count}`)
    context.report(positionals[1]!, new XmlChangeError(error.code, message, { index: error.index, ...(error.path === undefined ? {} : { path: error.path }), cause: error }))
    return 2
  }
  await writeOutput(context, values.output, serialize(parseLibvirtXml(result)), positionals[0])
  return 0
}
