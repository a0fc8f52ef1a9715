import { planWithDefaults } from './attach-plan.ts'
import { previewCommand, previewHelp } from './preview-command.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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
import { VirtunedError, getEngine, type XmlEngine, type XmlStyle } from '@virtuned/xml-core'
import { matchDevices } from '@virtuned/identify'
import { planDetach } from '@virtuned/hotplug'
import { formatError, InputError, InputTooLargeError, printable, UsageError } from './errors.ts'
import { deviceOptionsHelp, hotplugDevice, hotplugOptionsHelp, nearest } from './device-options.ts'
import { commandFlags, parseArgsMessage, subcommands } from './flags.ts'
import { exampleSpec } from './example.ts'
import { applyCommand, defaultsCommand, diffCommand, explainCommand, newCommand, patchCommand, policiesCommand, validateCommand, type CommandContext } from './compose-commands.ts'
import { builtinPolicies, compose, summarizeNodes } from '@virtuned/policies'
import { attachCommand, defineCommand, detachCommand, dumpxmlCommand } from './libvirt-commands.ts'
import { fleetCommand, fleetHelp } from './fleet-command.ts'
import { editCommand, editHelp } from './edit-command.ts'
import { expandInputs, isBulk, jobCount, outputPaths, runBulk, summary, type BulkCommand, type BulkTask } from './bulk.ts'
import { decodeFile } from './files.ts'
import { osTableFor } from './osinfo-table.ts'
import { inputLimits, type CliIo, type InputKind } from './io.ts'

// The package's own version (src/ and dist/ both sit beside package.json's folder).
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const usage = `virtuned — defaults, policies and device identity for libvirt domains

Usage: virtuned <command> [options]

Commands:
  new                   a complete domain: --os debian11 --name N --memory 2GiB --vcpus 2
                        --disk size=10G --nic network=default [--policy spice,hotplug-ready]
  apply FILE --defaults add defaults and policies to an existing domain (--policy, --convert)
  explain FILE          which policy, default or user input sets each node
  defaults list|show|os the defaults profiles, rules and known OSes
  policies list|show|import|schema   the built-in policies; import KubeVirt preferences and OpenStack image properties
  validate FILE...      well-formed, readable, and valid for libvirt's RelaxNG schema
  diff A B / patch A P  the identity-keyed difference of two domains, and applying it
  preview FILE --qemucaps CAPS   what libvirt will store after define (dumpxml --inactive), without a libvirtd
  completion bash       shell completion: source <(virtuned completion bash)
  define FILE | dumpxml NAME | attach NAME ... | detach NAME ...
                        against libvirtd (--connect URI, default qemu:///system)
  fleet HOSTS-FILE COMMAND  dumpxml/define/attach/detach/apply/preview/events on many hosts
                        (qemu+tls, qemu+ssh, qemu+tcp URIs; --concurrency N, --json)
  edit FILE|--connect URI NAME   virt-xml's verbs: --edit [SEL] | --add-device | --remove-device
                        with --disk/--nic; --print-diff, -o/--in-place, --define, --update, --confirm
  fmt FILE|-            print domain or device XML in libvirt's own layout
  roundtrip FILE...     parse → serialize → parse each file and compare
  demo                  compose the embedded example spec, validate it, explain it
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
       virtuned fmt DIR|GLOB|FILE... (--in-place | --check) [--jobs N [--jobs-force]] [--glob]

Parse libvirt domain XML (or one device element such as <disk>) and print it.
  --style libvirt    as \`virsh dumpxml\` prints it: two-space indent, 'single quotes' (default)
  --style preserve   keep the input's own whitespace and line breaks
Nothing is dropped: unknown elements, <metadata> children, comments, CDATA and
the XML declaration are kept. "-" reads standard input.
With directories (searched for *.xml), quoted globs or several files, the files
are formatted in parallel worker threads: --in-place rewrites each atomically
(a killed run leaves every file old or new), --check only reports (exit 1 if any differ).

Bulk runs (directories, quoted globs, several files):
  A path that exists is that path, even with [ ] * ? { } in its name; a name is a
  glob only when no such path exists, or always with --glob.
  Directories are searched for *.xml (not hidden files). A symbolic link is followed
  only if it points inside the directory or glob base it was found in; links out of
  the tree, loops and a file reached a second time are listed as "skipped".
  --jobs N         worker threads (default: the CPUs, at most 8); more than the CPUs
                   is lowered to the CPU count with a notice unless --jobs-force.
  Writes are atomic and keep each file's mode (and owner, as root); a file that is not
  UTF-8 is refused and left untouched; write failures are counted as "not written" (exit 2).
`,
  roundtrip: `Usage: virtuned roundtrip FILE... | DIR | GLOB [--style libvirt|preserve] [--jobs N [--jobs-force]] [--glob]

For each file: parse, serialize, parse again and compare the two documents by
their canonical form (comments included). Prints a diff for each failure and a
closing line "N passed, N failed". Exit 1 if any failed, 2 if a file is not
readable or not well-formed XML. DIR and GLOB run as bulk runs (see \`virtuned fmt --help\`).
`,
  match: `Usage: virtuned match BEFORE.xml AFTER.xml [--json]

Pair the devices of two versions of a domain (inactive vs live, before vs after
hot-plug) by identity: user alias, then the kind's keys (disk target, MAC, …).
Prints pairs, added, removed and ambiguous devices. Exit 1 if any are ambiguous.
`,
  'plan-attach': `Usage: virtuned plan-attach LIVE-DOMAIN.xml (DEVICE.xml | --disk PATH[,KEY=VALUE...] | --nic NETWORK|KEY=VALUE,...
                   | --controller TYPE[,KEY=VALUE...] | --hostdev DEVICE[,KEY=VALUE...])
                   [--bus B] [--alias NAME] [--seed S] [--qemucaps FILE] [--json]

Complete a device for hot-plug into the running domain: next free target, an
alias, a serial or MAC, and a preflight (free PCIe port, hot-pluggable bus).
Prints the device XML. Exit 1 with the problems if it cannot be attached.
--bus B is short for ,bus=B in --disk. --qemucaps FILE (the host's QEMU capabilities
cache) plans against the domain as libvirt will store it — for a domain not defined
yet, whose ports libvirt's own additions (virtio-serial, balloon) take first.

${deviceOptionsHelp()}${hotplugOptionsHelp()}`,
  'plan-detach': `Usage: virtuned plan-detach LIVE-DOMAIN.xml (--alias A | --disk vdb | --mac M) [--json]

Find the device to detach and print its alias (for detach-device-alias).
Exit 1 if nothing or more than one device matches.
`,
  demo: `Usage: virtuned demo

Compose a complete domain from an embedded example spec (a Debian web server
with SPICE, ready for hot-plug), validate it, print it, and explain what the
defaults and policies added. This is what \`npm start\` runs.
`,
  new: `Usage: virtuned new --name N [--os ID] [--memory SIZE] [--vcpus N]
                    [--disk size=10G[,path=P,format=F,bus=B,...]]... [--nic user|network=NAME|bridge=BR[,...]]...
                    [--policy a,b[:param=v]]... [--policy-file F]... [--profile P]
                    [--connect URI | --domcaps FILE] [--qemucaps FILE] [--virt-type kvm|qemu] [--arch ARCH] [--osinfo-db DIR]
                    [--spec FILE] [--explain] [--json] [-o FILE] [--force] [--convert] [--validate]

Print a complete domain: your values, the policies you name, and the defaults for
the guest OS (libosinfo id, e.g. debian11, win11) and host (domain capabilities
from \`virsh domcapabilities\` in --domcaps FILE, or read from libvirtd with --connect URI,
e.g. qemu:///system). --spec reads an abstract spec (YAML or JSON)
instead of the flags. --explain prints what each policy and default added, and why.
-o writes the file atomically. The disk image itself is not created.
--validate checks the result against libvirt's RelaxNG schema as \`virtuned validate\` does
(problems on stderr; exit 1, and -o writes nothing, when it is invalid).
--qemucaps FILE (the host's /var/cache/libvirt/qemu/capabilities/*.xml) sizes the spare PCIe
root ports from \`virtuned preview\`'s prediction, so that exactly the promised number is free
after \`virsh define\` (libvirt's own additions — virtio-serial, balloon — take ports first).

--memory SIZE: a bare number is MiB, as virt-install's (--memory 2048 is 2 GiB);
units are libvirt's: 2GB is 2·1000³ bytes, 2GiB is 2·1024³ (G, GiB: 1024³; GB: 1000³).
A guest below 64 MiB is refused. Without --memory, the OS's recommended RAM.

${deviceOptionsHelp()}${hotplugOptionsHelp()}
Examples:
  virtuned new --os debian11 --name web --memory 2GiB --vcpus 2 --disk size=20G --nic network=default
  virtuned new --os win11 --name w --memory 4GiB --vcpus 2 --disk size=64G --nic network=default --policy spice,windows-optimized --explain
`,
  apply: `Usage: virtuned apply FILE [--defaults] [--os ID] [--policy a,b]... [--policy-file F]... [--convert] [--force]
                     [--connect URI | --domcaps FILE] [--qemucaps FILE] [--virt-type kvm|qemu] [--arch ARCH] [--osinfo-db DIR]
                     [--profile P] [--in-place | -o FILE] [--explain] [--json] [--validate]
       virtuned apply DIR|GLOB|FILE... [--defaults] ... (--in-place | --output-dir DIR) [--jobs N [--jobs-force]] [--glob]

Add the defaults (--defaults) and policies (--policy) to an existing domain; each is a choice
of its own: \`apply old.xml --policy pcie --convert\` converts to q35 and adds nothing else, as
\`virt-xml --convert-to-q35\` does. Only unset values are filled;
a policy that contradicts the domain is a conflict (exit 2) unless --convert
converts the domain (e.g. --policy pcie on an i440fx domain) or --force lets the
policy's requirement win over your value. --in-place replaces FILE atomically,
keeping its mode (and owner, as root); -o gives a new file FILE's mode.
--output-dir keeps the inputs' layout below their common directory (vms/a/x.xml and
vms/b/x.xml from vms → DIR/a/x.xml, DIR/b/x.xml) and refuses two inputs for one output.
A file that is not UTF-8 is refused, never rewritten. Bulk runs: see \`virtuned fmt --help\`.
--validate checks the result against libvirt's RelaxNG schema as \`virtuned validate\` does
(problems on stderr; exit 1, and nothing is written over a file, when it is invalid).
`,
  explain: `Usage: virtuned explain FILE [--os ID] [--connect URI | --domcaps FILE] [--qemucaps FILE] [--policy a,b]... [--policy-file F]... [--profile P]
                       [--convert] [--force] [--virt-type kvm|qemu] [--arch ARCH] [--osinfo-db DIR] [--json]

Compose FILE with the defaults as \`virtuned apply\` does, and list, for every node added, the
policy or default rule that added it, why, and the source of the rule.
`,
  defaults: `Usage: virtuned defaults list | show PROFILE|RULE [--json] | os [FILTER]
`,
  policies: `Usage: virtuned policies list | show NAME | import kubevirt PREFERENCE.yaml | import openstack PROPERTIES.json [NAME] | schema

import prints the policy a KubeVirt VirtualMachine(Cluster)Preference or OpenStack image
properties (hw_disk_bus, hw_vif_model, hw_firmware_type, …) become, and lists on stderr what it
could not map. new, apply and explain also read such files directly as policy files (their --help).
`,
  completion: `Usage: virtuned completion bash

Print a bash completion script: source <(virtuned completion bash)
`,
  validate: `Usage: virtuned validate FILE... | DIR | GLOB [--schema-dir DIR] [--no-schema] [--jobs N [--jobs-force]] [--glob] [--json]

Well-formedness, the model's checks, and libvirt's RelaxNG schema, checked by libxml2
compiled to WebAssembly (no xmllint needed) against --schema-dir DIR, else the host's
libvirt schemas (/usr/share/libvirt/schemas, Debian libvirt-clients) when installed, else
libvirt 11.3.0's, shipped with virtuned; the first line says which. Each problem is printed
as FILE:LINE:COLUMN: message [code]. A device alone (<disk>, …) has no schema in libvirt.
Exit 1 if any file is invalid, 2 if a file cannot be read. libvirt (libxml2) refuses a
text or attribute over 10 MB: such a file is reported invalid. DIR and GLOB run as bulk
runs (see \`virtuned fmt --help\`).
`,
  diff: `Usage: virtuned diff A.xml B.xml [--json]

The changes from A to B, lists matched by device identity (exit 1 if any).
`,
  define: `Usage: virtuned define FILE [--connect URI] [--no-validate]

Define a domain on libvirtd (validated against libvirt's schema by libvirtd).
`,
  dumpxml: `Usage: virtuned dumpxml NAME [--connect URI] [--inactive]
`,
  attach: `Usage: virtuned attach NAME (DEVICE.xml | --disk PATH[,KEY=VALUE...] | --nic NETWORK|KEY=VALUE,... | --controller … | --hostdev …) [--bus B] [--alias A] [--connect URI] [--json]

Plan the device against the live domain (next target, alias, serial or MAC, a free
hot-pluggable port), attach it live, and check the live XML has it.
Example: virtuned attach web --disk /var/lib/libvirt/images/data.qcow2,bus=scsi

${deviceOptionsHelp()}${hotplugOptionsHelp()}`,
  detach: `Usage: virtuned detach NAME (--alias A | --disk vdb | --mac M) [--timeout SECONDS] [--connect URI] [--json]

Find the device, detach it by alias, and wait for libvirt's device-removed event
(retrying the request a bounded number of times). Exit 1 if the guest refuses.
`,
  fleet: fleetHelp,
  edit: editHelp,
  preview: `Usage: ${previewHelp}`,
  patch: `Usage: virtuned patch DOMAIN.xml PATCH.json [-o FILE]

Apply a patch printed by \`virtuned diff --json\`: all or nothing.
`,
}

interface Context {
  readonly io: CliIo
  readonly debug: boolean
}

function styleOption(value: string | undefined): XmlStyle {
  if (value === undefined || value === 'libvirt' || value === 'preserve') return value ?? 'libvirt'
  throw new UsageError(`Unexpected --style \`${value}\`, expected \`libvirt\` or \`preserve\``)
}

async function readInput(io: CliIo, file: string, kind: InputKind = 'document'): Promise<Uint8Array> {
  const { bytes: limit, what } = inputLimits[kind]
  let bytes: Uint8Array
  try {
    bytes = file === '-' ? await io.readStdin(limit) : await io.readFile(file, limit)
  } catch (cause) {
    throw new InputError(file, cause)
  }
  if (bytes.byteLength > limit) throw new InputTooLargeError(file, limit, what)
  return bytes
}

function report(context: Context, file: string, error: unknown): void {
  context.io.stderr(formatError(file, error) + '\n')
  if (context.debug && error instanceof Error && error.stack) context.io.stderr(error.stack + '\n')
}

/** Options every bulk command takes. */
const bulkOptions = { jobs: { type: 'string', short: 'j' }, 'jobs-force': { type: 'boolean' }, glob: { type: 'boolean' } } as const

interface BulkFlags { readonly jobs?: string | undefined; readonly 'jobs-force'?: boolean | undefined; readonly glob?: boolean | undefined }

/** Runs a bulk command over directories, globs and file lists, printing one summary. */
async function bulk(context: Context, command: BulkCommand, inputs: readonly string[], task: Omit<BulkTask, 'command' | 'file'> & { outputDir?: string }, flags: BulkFlags): Promise<number> {
  const { workers, notice } = jobCount(flags.jobs, flags['jobs-force'] === true)
  const { files, skipped } = await expandInputs(inputs, { glob: flags.glob === true })
  if (files.length === 0) {
    for (const s of skipped) context.io.stderr(`virtuned: skipped ${s.path}: ${s.reason}\n`)
    throw new UsageError('No files to work on', 'Name files, directories (searched for *.xml) or quoted globs.')
  }
  const { outputDir, ...rest } = task
  const outputs = outputDir === undefined ? undefined : outputPaths(files, outputDir)
  if (notice) context.io.stderr(notice + '\n')
  const outcomes = await runBulk(files.map((f, i) => ({ command, file: f.path, real: f.real, ...rest, ...(outputs ? { output: outputs[i]! } : {}) })), {
    workers,
    ...(context.io.isTerminal ? { progress: (line: string) => context.io.stderr(line) } : {}),
  })
  if (context.io.isTerminal) context.io.stderr('\n')
  const { lines, exit } = summary(outcomes, command, skipped)
  context.io.stdout(lines.join('\n') + '\n')
  // `fmt --check`: a file that would change is a failed check (exit 1), as the help says.
  return exit === 0 && task.check === true && outcomes.some((o) => o.status === 'changed') ? 1 : exit
}

async function fmt(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { style: { type: 'string' }, 'in-place': { type: 'boolean' }, check: { type: 'boolean' }, ...bulkOptions }, allowPositionals: true })
  const style = styleOption(values.style)
  // --in-place and --check take the bulk path even for one file: the same atomic, mode-keeping write and summary.
  if (values['in-place'] || values.check || await isBulk(positionals, { glob: values.glob === true })) {
    if (positionals.includes('-')) throw new UsageError('Unexpected `-` with --in-place or --check, expected files')
    if (!values['in-place'] && !values.check) throw new UsageError('Formatting many files needs --in-place (rewrite them) or --check (report the ones that differ)')
    return bulk(context, 'fmt', positionals, { style, inPlace: values['in-place'] === true, check: values.check === true }, values)
  }
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
function roundtripOne(engine: XmlEngine, document: LibvirtDocument, file: string, style: XmlStyle): string | undefined {
  const first = serialize(document, { style })
  const again = parseLibvirtXml(first)
  const options = { engine }
  if (canonicalize(document, options) === canonicalize(again, options) && serialize(again, { style }) === first) return undefined
  return createTwoFilesPatch(`${file} (parsed)`, `${file} (serialized and parsed again)`, serialize(document), serialize(again), undefined, undefined, { context: 2 })
}

async function roundtrip(context: Context, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { style: { type: 'string' }, ...bulkOptions }, allowPositionals: true })
  const style = styleOption(values.style)
  if (positionals.length === 0) throw new UsageError('Unexpected no files, expected at least one FILE')
  // Directories and globs run in parallel worker threads; a plain file list runs here, with diffs.
  if (positionals.length === 1 && await isBulk(positionals, { glob: values.glob === true })) return bulk(context, 'roundtrip', positionals, { style }, values)
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
    const difference = roundtripOne(getEngine(), document, file, style)
    if (difference === undefined) passed++
    else {
      failed++
      context.io.stdout(`FAIL ${file}\n${difference}\n`)
    }
  }
  context.io.stdout(`${passed} passed, ${failed} failed\n`)
  return badInput ? 2 : failed > 0 ? 1 : 0
}

function formatBytes(bytes: number): string {
  const { value, unit } = formatSize(bytes)
  return `${value} ${unit}`
}

async function demo(context: Context, args: string[]): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false })
  const io = context.io
  io.stdout(`# virtuned demo: compose a domain from this spec with the defaults and the policies ${exampleSpec.policies.join(', ')}\n`)
  io.stdout(JSON.stringify(exampleSpec.spec, null, 2).replace(/^/gm, '#   ') + '\n\n')
  const result = compose(exampleSpec.spec, { os: exampleSpec.os, policies: exampleSpec.policies })
  io.stdout(result.xml)
  const check = await io.relaxng(new TextEncoder().encode(result.xml), undefined, 'domain')
  const problems = check?.problems
  io.stdout(check === undefined
    ? '\n# Validation: well-formed and read back by the model; libvirt\'s RelaxNG schema was not checked.\n'
    : check.problems.length === 0 ? `\n# Validation: valid for libvirt's RelaxNG schema (${check.schema}).\n`
      : `\n# Validation FAILED (${check.schema}):\n${check.problems.map((p) => `#   line ${p.line}: ${p.message} [${p.code}]`).join('\n')}\n`)
  const view = viewDomain(result.document)
  const list = Object.values(view.devices).flat().filter((d) => d.kind !== 'emulator') as DeviceView[]
  io.stdout(`# ${view.name}: ${view.memory ? formatBytes(view.memory.bytes) : 'no'} memory, ${view.vcpu?.count ?? 1} vCPUs, ${list.length} devices\n\n`)
  const user = result.origins.filter((o) => o.source === 'user').length
  io.stdout(`# What was added: ${result.origins.length - user} of ${result.origins.length} nodes came from policies and defaults.\n`)
  for (const name of result.policies.applied) {
    const nodes = summarizeNodes(result.policies.explanation.filter((n) => n.policy === name), (n) => n.policy)
    io.stdout(`#  policy ${name}: ${nodes.map((n) => n.path.replace('/domain/', '')).join(', ') || '(its choices went to the defaults)'}\n`)
  }
  const byRule = new Map<string, string[]>()
  for (const d of summarizeNodes(result.defaults, (n) => n.rule)) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d.path.replace('/domain/', '')])
  for (const [rule, paths] of byRule) {
    const d = result.defaults.find((x) => x.rule === rule)!
    io.stdout(`#  default ${rule}${d.guestVisible ? '' : ' (host-only)'}: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}\n#      ${d.why}\n`)
  }
  for (const w of result.warnings) io.stdout(`# note: ${w}\n`)
  io.stdout(`\n# Try: virtuned new --os win11 --name w11 --memory 4GiB --vcpus 2 --disk size=64G --nic network=default --policy spice --explain\n`)
  return problems && problems.length > 0 ? 1 : 0
}

async function readDomain(context: Context, file: string): Promise<string> {
  const text = decodeFile(file, await readInput(context.io, file))
  parseLibvirtXml(text) // refuses what is not libvirt XML, with its place
  return text
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
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, alias: { type: 'string' }, seed: { type: 'string' }, disk: { type: 'string' }, bus: { type: 'string' }, nic: { type: 'string' }, controller: { type: 'string' }, hostdev: { type: 'string' }, qemucaps: { type: 'string' } }, allowPositionals: true })
  const given = hotplugDevice(values)
  // A domain not defined yet, planned as libvirt will store it (its own additions on their ports).
  const qemuCaps = values.qemucaps === undefined ? undefined : await readInput(context.io, values.qemucaps)
  if (positionals.length !== (given ? 1 : 2)) throw new UsageError(given ? 'Unexpected files, expected LIVE-DOMAIN.xml with a device option' : `Unexpected ${positionals.length} files, expected LIVE-DOMAIN.xml DEVICE.xml (or --disk, --nic, --controller, --hostdev)`)
  return withInputs(context, positionals, ([domain, device]) => {
    const element = given ?? parseLibvirtXml(device!).root
    const plan = planWithDefaults(domain!, element, { ...(values.alias ? { alias: values.alias } : {}), ...(values.seed ? { seed: values.seed } : {}), ...(qemuCaps ? { qemuCaps } : {}) })
    if (values.json) context.io.stdout(JSON.stringify(plan, null, 2) + '\n')
    else if (plan.ok) context.io.stdout(plan.xml + `<!-- alias ${plan.alias}${plan.guestId ? `; the guest sees ${plan.guestId}` : ''}; filled in: ${plan.filled.join(', ') || 'nothing'} -->\n`)
    // The problems are about the domain (no free port, a policy): name the domain file, or the device file when one was given.
    else for (const p of plan.problems) context.io.stderr(printable(`${positionals[1] ?? positionals[0]}: ${p.message} [${p.code}]${p.policy ? `\n  hint: the \`${p.policy}\` policy prevents this` : ''}`) + '\n')
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
    else for (const p of plan.problems) context.io.stderr(printable(`${positionals[0]}: ${p.message} [${p.code}]`) + '\n')
    return plan.ok ? 0 : 1
  })
}

/**
 * `virtuned completion bash`: subcommands, each command's own options (the ones its parser takes),
 * OS ids after --os, policy names after --policy, files elsewhere (`source <(virtuned completion bash)`).
 */
async function completion(context: Context, args: string[]): Promise<number> {
  if (args[0] !== 'bash') throw new UsageError('Expected `completion bash`', 'source <(virtuned completion bash)')
  const names = Object.keys(commands)
  const cases = names.map((c) => `    ${c}) opts="${[...(commandFlags[c] ?? []), '--help'].join(' ')}"; words="${(subcommands[c] ?? []).join(' ')}" ;;`).join('\n')
  const osIds = [...new Set(osTableFor(undefined).entries.map((e) => e.shortId))].join(' ')
  const policyNames = Object.keys(builtinPolicies).join(' ')
  context.io.stdout(`# bash completion for virtuned
_virtuned() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}" opts="" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=( $(compgen -W "${names.join(' ')} --help --version" -- "$cur") ); return; fi
  case "$prev" in
    --os) COMPREPLY=( $(compgen -W "${osIds}" -- "$cur") ); return ;;
    --policy) COMPREPLY=( $(compgen -W "${policyNames}" -- "$cur") ); return ;;
    --style) COMPREPLY=( $(compgen -W "libvirt preserve" -- "$cur") ); return ;;
    --virt-type) COMPREPLY=( $(compgen -W "kvm qemu" -- "$cur") ); return ;;
    --connect|-c) COMPREPLY=( $(compgen -W "qemu:///system qemu:///session" -- "$cur") ); return ;;
  esac
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); return; fi
  if [ -n "$words" ] && [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=( $(compgen -W "$words" -- "$cur") ); return; fi
  if [ "$cmd" = policies ] && [ "$prev" = show ]; then COMPREPLY=( $(compgen -W "${policyNames}" -- "$cur") ); return; fi
  COMPREPLY=( $(compgen -f -- "$cur") )
}
complete -o filenames -F _virtuned virtuned
`)
  return 0
}

const commands: Readonly<Record<string, (context: Context, args: string[]) => Promise<number>>> = {
  completion,
  fmt, roundtrip, demo, match, 'plan-attach': planAttachCommand, 'plan-detach': planDetachCommand,
  new: (c, a) => newCommand(commandContext(c), a),
  apply: async (c, a) => {
    const { values, positionals } = parseArgs({
      args: a, allowPositionals: true,
      options: { defaults: { type: 'boolean' }, 'in-place': { type: 'boolean' }, 'output-dir': { type: 'string' }, os: { type: 'string' }, profile: { type: 'string' }, policy: { type: 'string', multiple: true }, domcaps: { type: 'string' }, qemucaps: { type: 'string' }, force: { type: 'boolean' }, convert: { type: 'boolean' }, explain: { type: 'boolean' }, json: { type: 'boolean' }, output: { type: 'string', short: 'o' }, 'policy-file': { type: 'string', multiple: true }, connect: { type: 'string', short: 'c' }, 'virt-type': { type: 'string' }, arch: { type: 'string' }, 'osinfo-db': { type: 'string' }, validate: { type: 'boolean' }, ...bulkOptions },
    })
    if (!(await isBulk(positionals, { glob: values.glob === true }))) {
      if (values['output-dir'] !== undefined) throw new UsageError('--output-dir is for many files; write one file with -o FILE')
      return applyCommand(commandContext(c), a.filter((x) => x !== '--glob'))
    }
    if (!values.defaults && !values.policy?.length) throw new UsageError('Expected --defaults and/or --policy NAME', 'Example: virtuned apply vms/ --policy pcie --convert --in-place')
    if (!values['in-place'] && !values['output-dir']) throw new UsageError('Applying to many files needs --in-place or --output-dir DIR')
    if (values.validate) throw new UsageError('--validate is for one file; check the results of a bulk run with `virtuned validate DIR`')
    const domcaps = values.domcaps === undefined ? undefined : decodeFile(values.domcaps, await readInput(c.io, values.domcaps))
    const qemucaps = values.qemucaps === undefined ? undefined : decodeFile(values.qemucaps, await readInput(c.io, values.qemucaps))
    return bulk(c, 'apply', positionals, {
      inPlace: values['in-place'] === true,
      ...(values['output-dir'] ? { outputDir: values['output-dir'] } : {}),
      compose: { ...(values.os ? { os: values.os } : {}), ...(values.profile ? { profile: values.profile } : {}), ...(domcaps ? { domcaps } : {}), ...(qemucaps ? { qemucaps } : {}), policies: (values.policy ?? []).flatMap((p) => p.split(/,(?![a-zA-Z0-9]+=)/)), force: values.force === true, convert: values.convert === true, defaults: values.defaults === true, ...(values['osinfo-db'] ? { osinfoDb: values['osinfo-db'] } : {}) },
    }, values)
  },
  explain: (c, a) => explainCommand(commandContext(c), a),
  defaults: (c, a) => defaultsCommand(commandContext(c), a),
  policies: (c, a) => policiesCommand(commandContext(c), a),
  validate: async (c, a) => {
    const { values, positionals } = parseArgs({ args: a, allowPositionals: true, options: { 'schema-dir': { type: 'string' }, 'no-schema': { type: 'boolean' }, json: { type: 'boolean' }, ...bulkOptions } })
    // A directory the user named is meant to be used: one without libvirt's schemas is an error, not a quiet "well-formed".
    const schemaDir = values['schema-dir']
    if (schemaDir !== undefined && !values['no-schema'] && !existsSync(join(schemaDir, 'domain.rng'))) {
      throw new UsageError(`Unexpected --schema-dir \`${schemaDir}\`: ${existsSync(schemaDir) ? 'it has no domain.rng' : 'no such directory'}, expected libvirt's RelaxNG schemas`, 'Give the directory of libvirt\'s schemas (Debian: /usr/share/libvirt/schemas, package libvirt-clients), or check well-formedness only with --no-schema.')
    }
    if (positionals.length === 1 && await isBulk(positionals, { glob: values.glob === true })) {
      if (values.json) throw new UsageError('--json is for single files; bulk runs print one line per finding and a summary')
      if (!values['no-schema']) {
        const { schemaSetFor } = await import('./schema.ts')
        c.io.stdout(`schema: ${schemaSetFor('domain', schemaDir)!.label}\n`)
      }
      return bulk(c, 'validate', positionals, { noSchema: values['no-schema'] === true, ...(values['schema-dir'] ? { schemaDir: values['schema-dir'] } : {}) }, values)
    }
    return validateCommand(commandContext(c), a.filter((x, i) => x !== '--jobs' && x !== '-j' && x !== '--jobs-force' && x !== '--glob' && a[i - 1] !== '--jobs' && a[i - 1] !== '-j'))
  },
  diff: (c, a) => diffCommand(commandContext(c), a),
  patch: (c, a) => patchCommand(commandContext(c), a),
  preview: (c, a) => previewCommand(commandContext(c), a),
  define: (c, a) => defineCommand(commandContext(c), a),
  dumpxml: (c, a) => dumpxmlCommand(commandContext(c), a),
  attach: (c, a) => attachCommand(commandContext(c), a),
  detach: (c, a) => detachCommand(commandContext(c), a),
  fleet: (c, a) => fleetCommand(commandContext(c), a),
  edit: (c, a) => editCommand(commandContext(c), a),
}

function commandContext(context: Context): CommandContext {
  return { io: context.io, read: (file, kind) => readInput(context.io, file, kind), report: (file, error) => report(context, file, error) }
}

/** Run the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug')
  const args = argv.filter((a) => a !== '--debug')
  try {
    // Every merge, diff, patch and canonical comparison goes through xml-core's getEngine(): the
    // WebAssembly engine, compiled on first use (never for `--help`, `--version` or `schema`).
    const context: Context = { io, debug }
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
    if (!handler) {
      const near = nearest(command, Object.keys(commands))
      throw new UsageError(`Unexpected command \`${command}\`${near ? `, did you mean \`${near}\`?` : ''}`, `The commands: ${Object.keys(commands).join(', ')}. Run \`virtuned --help\` for what each does.`)
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(commandHelp[command]!)
      return 0
    }
    return await handler(context, rest)
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // node:util's words ("Unknown option '--x'. To specify a positional argument…") replaced by ours, with the nearest option.
      const { message, note } = parseArgsMessage(args[0], error)
      io.stderr(printable(`virtuned: ${message}\n  hint: ${note}`) + '\n')
      return 2
    }
    if (error instanceof UsageError) {
      io.stderr(printable(`virtuned: ${error.message}\n  hint: ${error.note ?? 'Run `virtuned --help` for the commands and options.'}`) + '\n')
      return 2
    }
    if (error instanceof VirtunedError) {
      // Errors about one file (unwritable, not UTF-8) name it, as compilers do.
      const file = 'file' in error && typeof error.file === 'string' ? error.file : 'virtuned'
      io.stderr(formatError(file, error) + '\n')
      if (debug && error.stack) io.stderr(error.stack + '\n')
      return 2
    }
    io.stderr(`virtuned: internal error: ${error instanceof Error ? error.message : String(error)}\n  hint: this is a bug in virtuned; run again with --debug and report the stack trace.\n`)
    if (debug && error instanceof Error && error.stack) io.stderr(error.stack + '\n')
    return 70
  }
}
