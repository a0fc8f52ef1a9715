import { parseArgs } from 'node:util'
import { createTwoFilesPatch } from 'diff'
import {
  canonicalize,
  parseLibvirtXml,
  serialize,
  viewDomain,
  formatSize,
  type DeviceView,
  type LibvirtDocument,
} from '@virtuned/model'
import { VirtunedError, createEngine, type XmlEngine, type XmlStyle } from '@virtuned/xml-core'
import { matchDevices } from '@virtuned/identify'
import { planAttach, planDetach } from '@virtuned/hotplug'
import { formatError, InputError, UsageError } from './errors.ts'
import { exampleDomainXml } from './example.ts'
import type { CliIo } from './io.ts'

const version = '0.0.0'

const usage = `virtuned — defaults, policies and device identity for libvirt domains

Usage: virtuned <command> [options]

Commands:
  fmt FILE|-            print domain or device XML in libvirt's own layout
  roundtrip FILE...     parse → serialize → parse each file and compare
  demo                  format and summarise an embedded example domain
  match A B             which devices of two versions of a domain are the same
  plan-attach DOMAIN DEVICE   the device XML to hot-plug into a live domain
  plan-detach DOMAIN --alias A|--disk vdb|--mac M   what to send to detach

Options:
  -h, --help            help for virtuned or a command
  -v, --version         print the version
      --debug           print stack traces for errors

Exit codes: 0 ok · 1 a check failed · 2 bad input or usage.
`

const commandHelp: Readonly<Record<string, string>> = {
  fmt: `Usage: virtuned fmt FILE|- [--style libvirt|preserve]

Parse libvirt domain XML (or one device element such as <disk>) and print it.
  --style libvirt    as \`virsh dumpxml\` prints it: two-space indent, 'single quotes' (default)
  --style preserve   keep the input's own whitespace and line breaks
Nothing is dropped: unknown elements, <metadata> children, comments, CDATA and
the XML declaration are kept. "-" reads standard input.
`,
  roundtrip: `Usage: virtuned roundtrip FILE... [--style libvirt|preserve]

For each file: parse, serialize, parse again and compare the two documents by
their canonical form (comments included). Prints a diff for each failure and a
closing line "N passed, N failed". Exit 1 if any failed, 2 if a file is not
readable or not well-formed XML.
`,
  match: `Usage: virtuned match BEFORE.xml AFTER.xml [--json]

Pair the devices of two versions of a domain (inactive vs live, before vs after
hot-plug) by identity: user alias, then the kind's keys (disk target, MAC, …).
Prints pairs, added, removed and ambiguous devices. Exit 1 if any are ambiguous.
`,
  'plan-attach': `Usage: virtuned plan-attach LIVE-DOMAIN.xml (DEVICE.xml | --disk PATH [--bus B] | --nic NETWORK)
                   [--alias NAME] [--seed S] [--json]

Complete a device for hot-plug into the running domain: next free target, an
alias, a serial or MAC, and a preflight (free PCIe port, hot-pluggable bus).
Prints the device XML. Exit 1 with the problems if it cannot be attached.
`,
  'plan-detach': `Usage: virtuned plan-detach LIVE-DOMAIN.xml (--alias A | --disk vdb | --mac M) [--json]

Find the device to detach and print its alias (for detach-device-alias).
Exit 1 if nothing or more than one device matches.
`,
  demo: `Usage: virtuned demo

Parse an embedded example domain, print it in libvirt's layout and summarise
its devices. This is what \`npm start\` runs.
`,
}

interface Context {
  readonly io: CliIo
  readonly debug: boolean
  readonly engine: XmlEngine
}

function styleOption(value: string | undefined): XmlStyle {
  if (value === undefined || value === 'libvirt' || value === 'preserve') return value ?? 'libvirt'
  throw new UsageError(`Unexpected --style \`${value}\`, expected \`libvirt\` or \`preserve\``)
}

async function readInput(io: CliIo, file: string): Promise<Uint8Array> {
  try {
    return file === '-' ? await io.readStdin() : await io.readFile(file)
  } catch (cause) {
    throw new InputError(file, cause)
  }
}

function report(context: Context, file: string, error: unknown): void {
  context.io.stderr(formatError(file, error) + '\n')
  if (context.debug && error instanceof Error && error.stack) context.io.stderr(error.stack + '\n')
}

async function fmt(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { style: { type: 'string' } }, allowPositionals: true })
  const style = styleOption(values.style)
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} files, expected one FILE or -`)
  const file = positionals[0]!
  try {
    const document = parseLibvirtXml(await readInput(context.io, file))
    context.io.stdout(serialize(document, { style }))
    return 0
  } catch (error) {
    if (!(error instanceof VirtunedError)) throw error
    report(context, file === '-' ? '<stdin>' : file, error)
    return 2
  }
}

/** One file's round trip: undefined when it holds, else a human-readable diff. */
function roundtripOne(context: Context, document: LibvirtDocument, file: string, style: XmlStyle): string | undefined {
  const first = serialize(document, { style })
  const again = parseLibvirtXml(first)
  const options = { engine: context.engine }
  if (canonicalize(document, options) === canonicalize(again, options) && serialize(again, { style }) === first) return undefined
  return createTwoFilesPatch(`${file} (parsed)`, `${file} (serialized and parsed again)`, serialize(document), serialize(again), undefined, undefined, { context: 2 })
}

async function roundtrip(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { style: { type: 'string' } }, allowPositionals: true })
  const style = styleOption(values.style)
  if (positionals.length === 0) throw new UsageError('Unexpected no files, expected at least one FILE')
  let passed = 0
  let failed = 0
  let badInput = false
  for (const file of positionals) {
    let document: LibvirtDocument
    try {
      document = parseLibvirtXml(await readInput(context.io, file))
    } catch (error) {
      if (!(error instanceof VirtunedError)) throw error
      report(context, file, error)
      failed++
      badInput = true
      continue
    }
    const difference = roundtripOne(context, document, file, style)
    if (difference === undefined) passed++
    else {
      failed++
      context.io.stdout(`FAIL ${file}\n${difference}\n`)
    }
  }
  context.io.stdout(`${passed} passed, ${failed} failed\n`)
  return badInput ? 2 : failed > 0 ? 1 : 0
}

/** One line per device for the demo, from the model's typed view. */
function describeDevice(device: DeviceView): string {
  const parts: string[] = []
  switch (device.kind) {
    case 'disk':
      parts.push(`${device.device ?? 'disk'} ${device.target?.dev ?? '?'} on ${device.target?.bus ?? 'default bus'}`)
      if (device.source?.file) parts.push(device.source.file)
      if (device.serial) parts.push(`serial ${device.serial}`)
      break
    case 'interface':
      parts.push(`${device.type ?? ''} ${device.source?.network ?? device.source?.bridge ?? ''}`.trim(), `mac ${device.mac ?? 'assigned by libvirt'}`, `model ${device.model ?? 'default'}`)
      break
    default: {
      const kind = 'type' in device ? device.type : 'model' in device ? device.model : undefined
      if (typeof kind === 'string') parts.push(kind)
      else if (kind && typeof kind === 'object' && 'type' in kind && typeof kind.type === 'string') parts.push(kind.type)
    }
  }
  if (device.alias) parts.push(`alias ${device.alias}`)
  return `${device.kind.padEnd(10)} ${parts.join(', ')}`
}

function formatBytes(bytes: number): string {
  const { value, unit } = formatSize(bytes)
  return `${value} ${unit}`
}

async function demo(context: Context, args: string[]): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false })
  const document = parseLibvirtXml(exampleDomainXml)
  context.io.stdout('# The example domain in libvirt\'s own layout (virtuned fmt):\n\n')
  context.io.stdout(serialize(document))
  const view = viewDomain(document)
  const list = Object.values(view.devices).flat().filter((d) => d.kind !== 'emulator') as DeviceView[]
  context.io.stdout(`\n# ${view.name}: ${view.memory ? formatBytes(view.memory.bytes) : 'no'} memory, ${view.vcpu?.count ?? 1} vCPUs, ${list.length} devices:\n`)
  for (const device of list) context.io.stdout(`  ${describeDevice(device)}\n`)
  const canonical = canonicalize(document, { engine: context.engine, comments: false })
  context.io.stdout(`\n# Canonical form (${context.engine.kind} engine): ${new TextEncoder().encode(canonical).length} bytes; round trip ${roundtripOne(context, document, 'example', 'libvirt') === undefined ? 'lossless' : 'LOST DATA'}\n`)
  return 0
}

async function readDomain(context: Context, file: string): Promise<string> {
  const bytes = await readInput(context.io, file)
  parseLibvirtXml(bytes) // refuses what is not libvirt XML, with its place
  return new TextDecoder().decode(bytes)
}

async function withInputs(context: Context, files: string[], run: (texts: string[]) => number): Promise<number> {
  const texts: string[] = []
  for (const file of files) {
    try {
      texts.push(await readDomain(context, file))
    } catch (error) {
      if (!(error instanceof VirtunedError)) throw error
      report(context, file === '-' ? '<stdin>' : file, error)
      return 2
    }
  }
  return run(texts)
}

async function match(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true })
  if (positionals.length !== 2) throw new UsageError(`Unexpected ${positionals.length} files, expected BEFORE.xml AFTER.xml`)
  return withInputs(context, positionals, ([before, after]) => {
    const result = matchDevices(before!, after!)
    if (values.json) {
      const ref = (d: { kind: string; index: number; identity: string }) => ({ kind: d.kind, index: d.index, identity: d.identity })
      context.io.stdout(JSON.stringify({ pairs: result.pairs.map((p) => ({ before: ref(p.before), after: ref(p.after), by: p.by })), added: result.added.map(ref), removed: result.removed.map(ref), ambiguous: result.ambiguous.map((a) => ({ kind: a.kind, identity: a.identity, before: a.before.map(ref), after: a.after.map(ref) })) }, null, 2) + '\n')
    } else {
      for (const p of result.pairs) context.io.stdout(`same     ${p.before.identity}${p.after.identity !== p.before.identity ? ` = ${p.after.identity}` : ''} (by ${p.by})\n`)
      for (const d of result.added) context.io.stdout(`added    ${d.identity}\n`)
      for (const d of result.removed) context.io.stdout(`removed  ${d.identity}\n`)
      for (const a of result.ambiguous) context.io.stdout(`ambiguous ${a.identity}: ${a.before.length} before, ${a.after.length} after — select by alias\n`)
    }
    return result.ambiguous.length > 0 ? 1 : 0
  })
}

async function planAttachCommand(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, alias: { type: 'string' }, seed: { type: 'string' }, disk: { type: 'string' }, bus: { type: 'string' }, nic: { type: 'string' } }, allowPositionals: true })
  const shortcut = values.disk !== undefined || values.nic !== undefined
  if (values.disk !== undefined && values.nic !== undefined) throw new UsageError('Unexpected --disk with --nic, expected one device')
  if (positionals.length !== (shortcut ? 1 : 2)) throw new UsageError(shortcut ? 'Unexpected files, expected LIVE-DOMAIN.xml with --disk or --nic' : `Unexpected ${positionals.length} files, expected LIVE-DOMAIN.xml DEVICE.xml (or --disk PATH / --nic NETWORK)`)
  return withInputs(context, positionals, ([domain, device]) => {
    const abstract = values.disk !== undefined
      ? { disk: { source: { file: values.disk }, ...(values.bus ? { bus: values.bus as 'virtio' } : {}) } }
      : values.nic !== undefined ? { nic: { type: 'network' as const, source: values.nic, model: 'virtio' } } : undefined
    const plan = planAttach(domain!, abstract ?? parseLibvirtXml(device!).root, { ...(values.alias ? { alias: values.alias } : {}), ...(values.seed ? { seed: values.seed } : {}) })
    if (values.json) context.io.stdout(JSON.stringify(plan, null, 2) + '\n')
    else if (plan.ok) context.io.stdout(plan.xml + `<!-- alias ${plan.alias}${plan.guestId ? `; the guest sees ${plan.guestId}` : ''}; filled in: ${plan.filled.join(', ') || 'nothing'} -->\n`)
    else for (const p of plan.problems) context.io.stderr(`${positionals[1]}: ${p.message} [${p.code}]${p.policy ? `\n  hint: the \`${p.policy}\` policy prevents this` : ''}\n`)
    return plan.ok ? 0 : 1
  })
}

async function planDetachCommand(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, alias: { type: 'string' }, disk: { type: 'string' }, mac: { type: 'string' } }, allowPositionals: true })
  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} files, expected LIVE-DOMAIN.xml`)
  if ([values.alias, values.disk, values.mac].filter((v) => v !== undefined).length !== 1) throw new UsageError('Unexpected selector, expected exactly one of --alias, --disk, --mac')
  return withInputs(context, positionals, ([domain]) => {
    const plan = planDetach(domain!, { ...(values.alias ? { alias: values.alias } : {}), ...(values.disk ? { disk: values.disk } : {}), ...(values.mac ? { mac: values.mac } : {}) })
    if (values.json) context.io.stdout(JSON.stringify(plan, null, 2) + '\n')
    else if (plan.ok) context.io.stdout(`${plan.alias}\n`)
    else for (const p of plan.problems) context.io.stderr(`${positionals[0]}: ${p.message} [${p.code}]\n`)
    return plan.ok ? 0 : 1
  })
}

const commands: Readonly<Record<string, (context: Context, args: string[]) => Promise<number>>> = {
  fmt, roundtrip, demo, match, 'plan-attach': planAttachCommand, 'plan-detach': planDetachCommand,
}

/** Run the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug')
  const args = argv.filter((a) => a !== '--debug')
  try {
    // The WebAssembly engine answers every canonical comparison the CLI makes.
    const context: Context = { io, debug, engine: await createEngine() }
    const [command, ...rest] = args
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined
      io.stdout(topic && commandHelp[topic] ? commandHelp[topic] : usage)
      return 0
    }
    if (command === '-v' || command === '--version') {
      io.stdout(`virtuned ${version}\n`)
      return 0
    }
    const handler = commands[command]
    if (!handler) throw new UsageError(`Unexpected command \`${command}\`, expected one of ${Object.keys(commands).join(', ')}`)
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(commandHelp[command]!)
      return 0
    }
    return await handler(context, rest)
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`virtuned: ${error.message}\n${error instanceof UsageError && error.note ? `  hint: ${error.note}\n` : '  hint: Run `virtuned --help` for the commands and options.\n'}`)
      return 2
    }
    if (error instanceof VirtunedError) {
      io.stderr(formatError('virtuned', error) + '\n')
      if (debug && error.stack) io.stderr(error.stack + '\n')
      return 2
    }
    io.stderr(`virtuned: internal error: ${error instanceof Error ? error.message : String(error)}\n  hint: this is a bug in virtuned; run again with --debug and report the stack trace.\n`)
    if (debug && error instanceof Error && error.stack) io.stderr(error.stack + '\n')
    return 70
  }
}
