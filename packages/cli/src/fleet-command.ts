// `virtuned fleet HOSTS-FILE COMMAND …`: one operation on many libvirt hosts (qemu+tls, qemu+ssh,
// qemu+tcp, local sockets) with bounded concurrency, a progress bar on a terminal, a per-host result
// table (or --json), and exit 1 when any host failed. Failures of one host never stop the others.
import { planWithDefaults } from './attach-plan.ts'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { deviceFromSpec, planDetach } from '@virtuned/hotplug'
import { connectMany, parseLibvirtUri, runOnHosts, type DomainEventKind, type FleetHost, type HostOutcome, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { parseLibvirtXml } from '@virtuned/model'
import { compose } from '@virtuned/policies'
import { VirtunedError } from '@virtuned/xml-core'
import { parse as parseYaml } from 'yaml'
import type { CommandContext } from './compose-commands.ts'
import { printable, UsageError } from './errors.ts'
import { decodeFile } from './files.ts'

export const fleetHelp = `Usage: virtuned fleet HOSTS-FILE COMMAND [ARGS] [--concurrency N] [--tag T]... [--timeout SECONDS] [--json]

Run one command on every host of HOSTS-FILE, at most --concurrency hosts at a time
(default 16), and print one line per host (or --json). A host that fails (refused
certificate, unreachable, libvirt error, connection dropped) is reported and the
others go on. Exit 0 if every host succeeded, 1 if any failed, 2 for bad usage.

HOSTS-FILE: libvirt URIs, one per line (# comments), named by their host[:port]; or YAML:
  hosts:
    - { name: web-1, uri: 'qemu+tls://10.0.0.1/system', tags: [web, eu] }
    - { name: db-1, uri: 'qemu+ssh://root@10.0.0.2/system?keyfile=/root/.ssh/fleet' }
--tag T keeps the hosts that have every tag given.

Commands:
  dumpxml NAME [--inactive] [--output-dir DIR]   the domain XML (to DIR/HOST.xml, or in --json)
  define FILE [--no-validate]                    define (or redefine) FILE on every host
  attach NAME (DEVICE.xml | --disk PATH [--bus B] | --nic NETWORK|user) [--alias A]
                                                 plan against each live domain, attach live, verify
  detach NAME (--alias A | --disk vdb | --mac M) detach by alias and wait for device-removed
  apply NAME --policy P[,Q]... [--os ID] [--force|--convert]
                                                 compose the persistent XML with the policies and the
                                                 host's capabilities, then redefine it (--force lets a
                                                 policy win a conflict, --convert converts, as \`apply\`)
  preview NAME --policy P[,Q]... [--os ID] [--force|--convert]
                                                 what apply would change; nothing is sent
  hostname                                       a cheap probe: connect, ask, close
  events [--kind lifecycle|device-added|device-removed|device-removal-failed] [--for SECONDS]
                                                 domain events of every host on one stream

URIs: qemu:///system, qemu+tcp://H/system, qemu+tls://H[:16514]/system[?pkipath=DIR&no_verify=1],
qemu+ssh://[USER@]H[:22]/system[?keyfile=KEY&known_hosts=FILE&no_verify=1&proxy=netcat].
ssh never prompts (BatchMode): use keys. qemu+ext is refused.
`

/** A hosts file that cannot be used: names the file and line. */
export class FleetHostsError extends VirtunedError {
  readonly file: string
  constructor(file: string, message: string, line?: number) {
    super('cli-fleet-hosts', message, { note: 'Give libvirt URIs one per line, or YAML `hosts:` entries with `uri` (and optional `name`, `tags`). See `virtuned fleet --help`.', ...(line === undefined ? {} : { place: { line, column: 1, offset: 0 } }) })
    this.name = 'FleetHostsError'
    this.file = file
  }
}

/** The default name of a host: its URI's user@host:port, or the URI for local sockets. */
function defaultName(uri: string): string {
  const authority = /^[a-z0-9+]+:\/\/([^/?#]*)/i.exec(uri)?.[1]
  return authority ? authority : uri
}

/** Reads a hosts file: libvirt URIs one per line, or YAML (`hosts:` or a list) with `uri`, `name`, `tags`. */
export function parseHostsFile(text: string, file: string): FleetHost[] {
  const lines = text.split(/\r?\n/)
  const significant = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const isYaml = significant.length > 0 && /^(hosts\s*:|-\s)/.test(significant[0]!)
  const hosts: Array<FleetHost & { line?: number }> = []
  if (isYaml) {
    let data: unknown
    try {
      data = parseYaml(text)
    } catch (error) {
      const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line
      throw new FleetHostsError(file, `Unreadable YAML: ${(error as Error).message.split('\n')[0]}`, line)
    }
    const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { hosts?: unknown }).hosts) ? (data as { hosts: unknown[] }).hosts : undefined
    if (!list) throw new FleetHostsError(file, 'Unexpected YAML, expected `hosts:` with a list of hosts')
    list.forEach((entry, index) => {
      if (typeof entry === 'string') return hosts.push({ name: defaultName(entry), uri: entry })
      if (!entry || typeof entry !== 'object' || typeof (entry as { uri?: unknown }).uri !== 'string') throw new FleetHostsError(file, `Unexpected host #${index + 1}, expected a URI or { uri, name, tags }`)
      const { uri, name, tags } = entry as { uri: string; name?: unknown; tags?: unknown }
      const tagList = tags === undefined ? [] : typeof tags === 'string' ? tags.split(',').map((t) => t.trim()).filter(Boolean) : Array.isArray(tags) && tags.every((t) => typeof t === 'string') ? tags as string[] : undefined
      if (!tagList) throw new FleetHostsError(file, `Unexpected tags of host #${index + 1}, expected a list of strings`)
      hosts.push({ name: name === undefined ? defaultName(uri) : String(name), uri, tags: tagList })
    })
  } else {
    lines.forEach((raw, index) => {
      const line = raw.replace(/\s+#.*$/, '').trim()
      if (!line || line.startsWith('#')) return
      if (/\s/.test(line)) throw new FleetHostsError(file, `Unexpected \`${line}\`, expected one URI on the line`, index + 1)
      hosts.push({ name: defaultName(line), uri: line, line: index + 1 })
    })
  }
  if (hosts.length === 0) throw new FleetHostsError(file, 'No hosts in the file')
  const seen = new Map<string, FleetHost>()
  for (const host of hosts) {
    try {
      parseLibvirtUri(host.uri)
    } catch (error) {
      throw new FleetHostsError(file, `Host ${host.name}: ${(error as Error).message}`, host.line)
    }
    if (seen.has(host.name)) throw new FleetHostsError(file, `Unexpected second host named \`${host.name}\`, expected unique names (give each a name in YAML)`, host.line)
    seen.set(host.name, host)
  }
  return hosts.map(({ line: _line, ...host }) => host)
}

/** What one host's run produced: a line for the table and data for --json. */
interface HostResult {
  readonly detail: string
  readonly data?: Record<string, unknown>
}

type Task = (conn: LibvirtConnection, host: FleetHost) => Promise<HostResult>

const options = {
  concurrency: { type: 'string', short: 'j' },
  tag: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  inactive: { type: 'boolean' },
  'output-dir': { type: 'string' },
  'no-validate': { type: 'boolean' },
  disk: { type: 'string' },
  bus: { type: 'string' },
  nic: { type: 'string' },
  alias: { type: 'string' },
  mac: { type: 'string' },
  policy: { type: 'string', multiple: true },
  os: { type: 'string' },
  force: { type: 'boolean' },
  convert: { type: 'boolean' },
  kind: { type: 'string' },
  for: { type: 'string' },
} as const

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true }>>['values']

/** Refuses options that do not belong to the command. */
function only(command: string, values: Values, allowed: readonly string[]): void {
  const common = ['concurrency', 'tag', 'timeout', 'json']
  for (const key of Object.keys(values)) {
    if (!common.includes(key) && !allowed.includes(key)) throw new UsageError(`Unexpected --${key} for \`fleet … ${command}\``, 'Run `virtuned fleet --help` for each command\'s options.')
  }
}

/** --NAME SECONDS in milliseconds; `fallbackMs` when not given. */
function seconds(value: string | undefined, name: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs
  const ms = Number(value) * 1000
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`Unexpected --${name} \`${value}\`, expected seconds`)
  return ms
}

/** A refused hot-plug plan as an error with the plan's own code. */
function planFailure(problems: readonly { code: string; message: string }[]): VirtunedError {
  const first = problems[0] ?? { code: 'hotplug-refused', message: 'The plan was refused' }
  return new VirtunedError(first.code, problems.map((p) => p.message).join('; '), { note: 'Fix the domain (or choose another device), then run again for the hosts that failed.' })
}

function policiesOf(values: Values): string[] {
  const policies = (values.policy ?? []).flatMap((p) => p.split(/,(?![a-zA-Z0-9]+=)/)).filter(Boolean)
  if (policies.length === 0) throw new UsageError('Expected --policy NAME (one or more)')
  return policies
}

/** compose() for a host: the persistent XML with the policies, on that host's domain capabilities. */
async function composeOnHost(conn: LibvirtConnection, name: string, policies: string[], flags: { os?: string | undefined; force?: boolean | undefined; convert?: boolean | undefined }): Promise<{ before: string; after: string; added: number; domain: Awaited<ReturnType<LibvirtConnection['lookupDomainByName']>> }> {
  const domain = await conn.lookupDomainByName(name)
  const before = await conn.getXMLDesc(domain, { inactive: true })
  const virttype = /<domain\b[^>]*\btype=['"]([a-z]+)['"]/.exec(before)?.[1] ?? 'kvm'
  const host = parseDomainCapabilities(await conn.getDomainCapabilities({ virttype }), `domain capabilities (${virttype})`)
  const result = compose(before, { policies, host, force: flags.force === true, convert: flags.convert === true, ...(flags.os ? { os: flags.os } : {}) })
  return { before, after: result.xml, added: result.origins.filter((o) => o.source !== 'user').length, domain }
}

async function buildTask(context: CommandContext, command: string, args: string[], values: Values): Promise<Task> {
  switch (command) {
    case 'hostname':
      only(command, values, [])
      if (args.length !== 0) throw new UsageError('Unexpected arguments, expected `hostname` alone')
      return async (conn) => {
        const name = await conn.getHostname()
        return { detail: name, data: { hostname: name } }
      }
    case 'dumpxml': {
      only(command, values, ['inactive', 'output-dir'])
      if (args.length !== 1) throw new UsageError('Expected `dumpxml NAME`')
      const outputDir = values['output-dir']
      return async (conn, host) => {
        const xml = await conn.getXMLDesc(await conn.lookupDomainByName(args[0]!), { inactive: values.inactive === true })
        if (outputDir === undefined) return { detail: `${xml.length} bytes`, data: { xml } }
        const file = join(outputDir, `${host.name.replace(/[^A-Za-z0-9._@-]/g, '_')}.xml`)
        await context.io.writeFileAtomic(file, xml)
        return { detail: `written to ${file}`, data: { file } }
      }
    }
    case 'define': {
      only(command, values, ['no-validate'])
      if (args.length !== 1) throw new UsageError('Expected `define FILE`')
      const xml = decodeFile(args[0]!, await context.read(args[0]!))
      parseLibvirtXml(xml)
      return async (conn) => {
        const domain = await conn.defineXML(xml, { validate: values['no-validate'] !== true })
        return { detail: `defined ${domain.name}`, data: { name: domain.name } }
      }
    }
    case 'attach': {
      only(command, values, ['disk', 'bus', 'nic', 'alias'])
      const shortcut = values.disk !== undefined || values.nic !== undefined
      if (values.disk !== undefined && values.nic !== undefined) throw new UsageError('Unexpected --disk with --nic, expected one device')
      if (args.length !== (shortcut ? 1 : 2)) throw new UsageError('Expected `attach NAME DEVICE.xml`, or NAME with --disk PATH / --nic NETWORK')
      const element = values.disk !== undefined
        ? deviceFromSpec({ disk: { source: { file: values.disk }, format: values.disk.endsWith('.qcow2') ? 'qcow2' : 'raw', ...(values.bus ? { bus: values.bus as 'virtio' } : {}) } })
        : values.nic !== undefined ? deviceFromSpec({ nic: values.nic === 'user' ? { type: 'user' } : { type: 'network', source: values.nic } })
          : parseLibvirtXml(await context.read(args[1]!)).root
      return async (conn) => {
        const domain = await conn.lookupDomainByName(args[0]!)
        const live = await conn.getXMLDesc(domain)
        const plan = planWithDefaults(live, element, values.alias ? { alias: values.alias } : {})
        if (!plan.ok) throw planFailure(plan.problems)
        const result = await conn.attach(domain, plan)
        if (!result.verified) throw new VirtunedError('cli-attach-unverified', `Attached ${result.alias}, but it is not in the live XML`, { note: 'Check the domain with dumpxml; libvirt accepted the request.' })
        return { detail: `attached ${result.alias}${plan.guestId ? ` (${plan.guestId})` : ''}`, data: { alias: result.alias, verified: result.verified } }
      }
    }
    case 'detach': {
      only(command, values, ['alias', 'disk', 'mac'])
      if (args.length !== 1) throw new UsageError('Expected `detach NAME`')
      if ([values.alias, values.disk, values.mac].filter((v) => v !== undefined).length !== 1) throw new UsageError('Expected exactly one of --alias, --disk, --mac')
      const selector = { ...(values.alias ? { alias: values.alias } : {}), ...(values.disk ? { disk: values.disk } : {}), ...(values.mac ? { mac: values.mac } : {}) }
      return async (conn) => {
        const domain = await conn.lookupDomainByName(args[0]!)
        const plan = planDetach(await conn.getXMLDesc(domain), selector)
        if (!plan.ok) throw planFailure(plan.problems)
        const result = await conn.detach(domain, plan)
        if (!result.ok) throw new VirtunedError('cli-detach-failed', `${result.alias}: ${result.outcome} after ${result.attempts} requests`, { note: 'The guest did not let the device go (is it running an OS with ACPI hot-plug?).' })
        return { detail: `${result.outcome} ${result.alias}`, data: { alias: result.alias, outcome: result.outcome, attempts: result.attempts } }
      }
    }
    case 'apply':
    case 'preview': {
      only(command, values, ['policy', 'os', 'force', 'convert'])
      if (args.length !== 1) throw new UsageError(`Expected \`${command} NAME --policy P\``)
      const policies = policiesOf(values)
      return async (conn) => {
        const { before, after, added, domain } = await composeOnHost(conn, args[0]!, policies, values)
        const changed = before !== after
        if (command === 'preview') return { detail: changed ? `would change: ${added} nodes from policies and defaults` : 'no change', data: { changed, added, xml: after } }
        if (!changed) return { detail: 'no change', data: { changed } }
        await conn.defineXML(after, { validate: true })
        return { detail: `redefined ${domain.name}: ${added} nodes from policies and defaults`, data: { changed, added } }
      }
    }
    default:
      throw new UsageError(`Unexpected fleet command \`${command}\`, expected dumpxml, define, attach, detach, apply, preview, hostname or events`)
  }
}

function progressLine(done: number, total: number, failed: number): string {
  const width = 30
  const filled = Math.round((done / total) * width)
  return `\rfleet [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} hosts${failed ? `, ${failed} failed` : ''}`
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function report(context: CommandContext, command: string, outcomes: readonly HostOutcome<HostResult>[], elapsedMs: number, json: boolean): number {
  const failed = outcomes.filter((o) => !o.ok).length
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b)
  const stats = { hosts: outcomes.length, ok: outcomes.length - failed, failed, seconds: Number((elapsedMs / 1000).toFixed(3)), hostsPerSecond: Number((outcomes.length / (elapsedMs / 1000)).toFixed(1)), p50Ms: Math.round(percentile(times, 50)), p99Ms: Math.round(percentile(times, 99)) }
  if (json) {
    context.io.stdout(JSON.stringify({
      command,
      ...stats,
      results: outcomes.map((o) => ({ name: o.host.name, uri: o.host.uri, tags: o.host.tags ?? [], ok: o.ok, ms: Math.round(o.ms), ...(o.ok ? { result: o.value.data ?? {} } : { error: o.error }) })),
    }, null, 2) + '\n')
  } else {
    const width = Math.max(4, ...outcomes.map((o) => o.host.name.length))
    // Host names come from the file, details and messages from the hosts: no escape sequence reaches the terminal.
    const lines = [`${'HOST'.padEnd(width)}  RESULT  ${'TIME'.padStart(8)}  DETAIL`]
    for (const o of outcomes) {
      const time = `${Math.round(o.ms)} ms`.padStart(8)
      const detail = o.ok ? o.value.detail : `${o.error.message} [${o.error.code}]`
      lines.push(`${o.host.name.padEnd(width)}  ${o.ok ? 'ok    ' : 'FAILED'}  ${time}  ${detail.replace(/\s*\n\s*/g, ' ')}`)
    }
    lines.push(`${stats.hosts} hosts: ${stats.ok} ok, ${stats.failed} failed in ${stats.seconds} s (${stats.hostsPerSecond} hosts/s, p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms)`)
    context.io.stdout(printable(lines.join('\n')) + '\n')
  }
  return failed > 0 ? 1 : 0
}

const eventKinds = ['lifecycle', 'device-added', 'device-removed', 'device-removal-failed'] as const

async function events(context: CommandContext, hosts: readonly FleetHost[], values: Values, connection: { concurrency: number; connectTimeoutMs: number; callTimeoutMs: number }): Promise<number> {
  const kind = (values.kind ?? 'lifecycle') as DomainEventKind
  if (!(eventKinds as readonly string[]).includes(kind)) throw new UsageError(`Unexpected --kind \`${values.kind}\`, expected ${eventKinds.join(', ')}`)
  const duration = seconds(values.for, 'for', Number.POSITIVE_INFINITY)
  const fleet = await connectMany(hosts, connection)
  let failed = 0
  for (const entry of fleet.hosts) {
    if (entry.ok) continue
    failed++
    context.io.stderr(printable(`${entry.host.name}: ${entry.error.message} [${entry.error.code}]`) + '\n')
  }
  const stream = await fleet.events(kind)
  for (const f of stream.failed) {
    failed++
    context.io.stderr(printable(`${f.host.name}: ${f.error.message} [${f.error.code}]`) + '\n')
  }
  const timer = Number.isFinite(duration) ? setTimeout(() => void stream.close(), duration) : undefined
  const stop = () => void stream.close()
  process.once('SIGINT', stop)
  try {
    for await (const item of stream) {
      if (item.type === 'host-lost') {
        failed++
        if (values.json) context.io.stdout(JSON.stringify({ host: item.host.name, lost: item.error }) + '\n')
        else context.io.stderr(printable(`${item.host.name}: ${item.error.message} [${item.error.code}]`) + '\n')
        continue
      }
      const e = item.event
      const what = e.type === 'lifecycle' ? e.eventName : e.alias
      if (values.json) context.io.stdout(JSON.stringify({ host: item.host.name, type: e.type, domain: e.domain.name, ...(e.type === 'lifecycle' ? { event: e.eventName, detail: e.detail } : { alias: e.alias }) }) + '\n')
      else context.io.stdout(printable(`${item.host.name}\t${e.domain.name}\t${e.type}\t${what}`) + '\n')
    }
  } finally {
    clearTimeout(timer)
    process.off('SIGINT', stop)
    await fleet.close()
  }
  return failed > 0 ? 1 : 0
}

/** `virtuned fleet HOSTS-FILE COMMAND …`. */
export async function fleetCommand(context: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true })
  const [file, command, ...args] = positionals
  if (file === undefined || command === undefined) throw new UsageError('Expected `fleet HOSTS-FILE COMMAND`', 'Run `virtuned fleet --help` for the commands.')
  const concurrency = values.concurrency === undefined ? 16 : Number(values.concurrency)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) throw new UsageError(`Unexpected --concurrency \`${values.concurrency}\`, expected 1 to 1024`)
  const timeoutMs = seconds(values.timeout, 'timeout', 60_000)
  let hosts = parseHostsFile(decodeFile(file, await context.read(file)), file)
  if (values.tag) {
    const wanted = values.tag.flatMap((t) => t.split(','))
    hosts = hosts.filter((h) => wanted.every((t) => h.tags?.includes(t)))
    if (hosts.length === 0) throw new UsageError(`No host of ${file} has the tags ${wanted.join(', ')}`)
  }
  const connection = { concurrency, connectTimeoutMs: Math.min(timeoutMs, 10_000), callTimeoutMs: timeoutMs }
  if (command === 'events') {
    only(command, values, ['kind', 'for'])
    return events(context, hosts, values, connection)
  }
  const task = await buildTask(context, command, args, values)
  const terminal = context.io.isTerminal === true && values.json !== true
  let failed = 0
  const started = performance.now()
  const outcomes = await runOnHosts(hosts, task, {
    ...connection,
    onOutcome: (outcome, done, total) => {
      if (!outcome.ok) failed++
      if (terminal) context.io.stderr(progressLine(done, total, failed))
    },
  })
  if (terminal) context.io.stderr('\n')
  return report(context, command, outcomes, performance.now() - started, values.json === true)
}
