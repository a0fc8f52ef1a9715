// `virtuned edit`: virt-xml's verbs on a domain file or a defined domain — --edit [SELECTOR],
// --add-device, --remove-device with a --disk or --nic option (virt-install's keys, the same parser
// as new/plan-attach/attach), --print-diff, --print-xml, --define, --update (live, with hot-plug
// planning), --confirm. Every change is made by the model's device edits (addDevice, removeDevice,
// replaceDevice) and xml-core's merge on the document tree; nothing is built as a string.
import { parseArgs } from 'node:util'
import { createTwoFilesPatch } from 'diff'
import { deviceDefaultsLayer } from '@virtuned/defaults'
import { deviceFromSpec, nextTarget, planAttach, planDetach } from '@virtuned/hotplug'
import { type DomainRef, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { addDevice, parseDomain, removeDevice, replaceDevice, serialize, type LibvirtDocument } from '@virtuned/model'
import { VirtunedError, getEngine, parseXml, rootElement, type Element, type ElementContent } from '@virtuned/xml-core'
import type { CommandContext } from './compose-commands.ts'
import { deviceOptionsHelp, diskSpec, nicSpec, parseDeviceOption } from './device-options.ts'
import { UsageError } from './errors.ts'
import { decodeFile } from './files.ts'
import { defaultUri, withConnection } from './libvirt-commands.ts'

export const editHelp = `Usage: virtuned edit FILE|- ACTION DEVICE [OUTPUT]
       virtuned edit --connect URI NAME ACTION DEVICE [--print-diff|--print-xml] [--define] [--update] [--confirm]

Change one device of a domain, as virt-xml does (same verbs, virt-install's device keys).
Actions (one):
  --edit [SELECTOR]     change the selected device(s): the first by default; a 1-based index,
                        \`all\`, or target=vdb, alias=ua-x, mac=52:54:00:…, path=/x.qcow2
                        (a bare vdb, ua-x, MAC or /path means the same)
  --add-device          add the device (disk target, bus and NIC model from the guest OS's defaults)
  --remove-device       remove the devices the option selects: --disk vdb, --disk 2, --disk all,
                        --disk /x.qcow2, --nic 52:54:00:12:34:56, --nic alias=ua-net1
Device (one): --disk KEY=VALUE,... | --nic KEY=VALUE,... (--network is the same); with --edit an
  empty value removes the setting (--disk cache=).
Output:
  FILE or -        prints the changed XML (libvirt's layout); -o/--output FILE writes it, --in-place
                   rewrites FILE (atomically: readers see the old file or the new one)
  --print-diff     print a unified diff of the change instead of the XML
  --print-xml      print the changed XML (the default for a file)
  --connect URI NAME   edit the domain's persistent XML on libvirtd; it is defined unless
                   --print-diff/--print-xml is given without --define
  --define         define the changed XML (with a file: on --connect URI, default ${defaultUri});
                   --no-define: never (with --connect, only print or --update)
  --update         also change the running domain: hot-plug (--add-device, planned as
                   \`plan-attach\` does), hot-unplug (--remove-device, by alias), or update the
                   device (--edit). Exit 1 with the reasons when it cannot be done live.
  --confirm        print the diff and ask before writing, defining or updating
Exit codes: 0 changed · 1 nothing selected, refused live or not confirmed · 2 bad input or usage.

${deviceOptionsHelp()}`

type Kind = 'disk' | 'nic'
const elementName: Readonly<Record<Kind, string>> = { disk: 'disk', nic: 'interface' }

// ---- elements: small copy-on-write changes on xast-like elements ------------------------------

function isElement(node: ElementContent | undefined): node is Element {
  return node?.type === 'element'
}

function childOf(element: Element, name: string): Element | undefined {
  return element.children.find((c): c is Element => isElement(c) && c.name === name)
}

function element(name: string, attributes: Record<string, string> = {}, children: ElementContent[] = []): Element {
  return { type: 'element', name, attributes, children }
}

/** `element` with its child `name` replaced by `make(existing)` (appended when missing), or removed when `make` returns undefined. */
function withChild(parent: Element, name: string, make: (existing: Element | undefined) => Element | undefined): Element {
  const existing = childOf(parent, name)
  const next = make(existing)
  if (existing === undefined) return next === undefined ? parent : { ...parent, children: [...parent.children, next] }
  const children: ElementContent[] = []
  for (const c of parent.children) {
    if (c !== existing) children.push(c)
    else if (next !== undefined) children.push(next)
  }
  return { ...parent, children }
}

function withAttributes(e: Element, changes: Readonly<Record<string, string | undefined>>): Element {
  const attributes: Record<string, string> = { ...e.attributes }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete attributes[k]
    else attributes[k] = v
  }
  return { ...e, attributes }
}

/** Set (or with `undefined` remove) attributes of the child `name`; a child left with no attributes and no content goes. */
function setChildAttributes(parent: Element, name: string, changes: Readonly<Record<string, string | undefined>>): Element {
  return withChild(parent, name, (existing) => {
    const next = withAttributes(existing ?? element(name), changes)
    return Object.keys(next.attributes).length === 0 && next.children.length === 0 ? undefined : next
  })
}

function setChildText(parent: Element, name: string, value: string | undefined): Element {
  return withChild(parent, name, (existing) => (value === undefined ? undefined : { ...(existing ?? element(name)), children: [{ type: 'text', value }] }))
}

function setFlag(parent: Element, name: string, on: boolean): Element {
  return withChild(parent, name, (existing) => (on ? existing ?? element(name) : undefined))
}

// ---- selecting devices ----------------------------------------------------------------------

function devicesOfKind(document: LibvirtDocument, kind: Kind): Element[] {
  const devices = childOf(document.root, 'devices')
  return devices ? devices.children.filter((c): c is Element => isElement(c) && c.name === elementName[kind]) : []
}

const macPattern = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i
const targetPattern = /^(vd|sd|hd|xvd|fd|ubd)[a-z]+$/

/** A device's property a selector can name. */
function property(device: Element, key: string): string | undefined {
  switch (key) {
    case 'target': return childOf(device, 'target')?.attributes.dev
    case 'alias': return childOf(device, 'alias')?.attributes.name
    case 'mac': return childOf(device, 'mac')?.attributes.address?.toLowerCase()
    case 'path': {
      const source = childOf(device, 'source')
      return source?.attributes.file ?? source?.attributes.dev ?? source?.attributes.volume
    }
    case 'network': return device.attributes.type === 'network' ? childOf(device, 'source')?.attributes.network : undefined
    case 'bridge': return device.attributes.type === 'bridge' ? childOf(device, 'source')?.attributes.bridge : undefined
    default: return undefined
  }
}

const selectorKeys = ['target', 'alias', 'mac', 'path', 'network', 'bridge'] as const

/** `key=value` or a bare value read as the key its shape says (vdb → target, /x → path, a MAC, ua-… → alias). */
function selectorTest(selector: string): { key: string; value: string } {
  const eq = selector.indexOf('=')
  if (eq > 0) {
    const key = selector.slice(0, eq)
    if (!(selectorKeys as readonly string[]).includes(key)) throw new UsageError(`Unexpected selector key \`${key}\`, expected one of ${selectorKeys.join(', ')}, an index or \`all\``)
    const value = selector.slice(eq + 1)
    return { key, value: key === 'mac' ? value.toLowerCase() : value }
  }
  if (macPattern.test(selector)) return { key: 'mac', value: selector.toLowerCase() }
  if (selector.startsWith('/')) return { key: 'path', value: selector }
  if (targetPattern.test(selector)) return { key: 'target', value: selector }
  return { key: 'alias', value: selector }
}

/** The devices of `kind` a selector names: the first (none given), an index (1-based), `all`, or a property. */
function select(document: LibvirtDocument, kind: Kind, selector: string | undefined): Element[] {
  const all = devicesOfKind(document, kind)
  if (selector === undefined) return all.slice(0, 1)
  if (selector === 'all') return all
  if (/^[0-9]+$/.test(selector)) {
    const n = Number(selector)
    if (n < 1) throw new UsageError(`Unexpected index \`${selector}\`, expected 1 or more (devices count from 1, as in virt-xml)`)
    return all.slice(n - 1, n)
  }
  const { key, value } = selectorTest(selector)
  return all.filter((d) => property(d, key) === value)
}

// ---- edits --------------------------------------------------------------------------------

const yes = (v: string) => v === 'yes' || v === 'on' || v === 'true'

/** The disk with the keys of a `--disk` option changed; an empty value removes the setting. */
function editDisk(disk: Element, fields: Readonly<Record<string, string>>, bare: string | undefined): Element {
  let d = disk
  const path = bare ?? fields.path
  for (const [key, raw] of Object.entries({ ...fields, ...(path === undefined ? {} : { path }) })) {
    const value = raw === '' ? undefined : raw
    switch (key) {
      case 'path': {
        if (value !== undefined && !value.startsWith('/')) throw new UsageError(`Unexpected --disk path \`${value}\`, expected an absolute path`)
        const attribute = d.attributes.type === 'block' ? 'dev' : 'file'
        // An empty path ejects a CD-ROM's media (virt-xml's `--disk path=`).
        d = value === undefined ? withChild(d, 'source', () => undefined) : setChildAttributes(d, 'source', { [attribute]: value })
        break
      }
      case 'format': d = setChildAttributes(d, 'driver', { name: value === undefined ? undefined : childOf(d, 'driver')?.attributes.name ?? 'qemu', type: value }); break
      case 'cache': d = setChildAttributes(d, 'driver', { cache: value }); break
      case 'discard': d = setChildAttributes(d, 'driver', { discard: value }); break
      case 'bus': d = setChildAttributes(d, 'target', { bus: value }); break
      case 'target': d = setChildAttributes(d, 'target', { dev: value }); break
      case 'device': d = withAttributes(d, { device: value }); break
      case 'serial': d = setChildText(d, 'serial', value); break
      case 'readonly': d = setFlag(d, 'readonly', value !== undefined && yes(value)); break
      case 'shareable': d = setFlag(d, 'shareable', value !== undefined && yes(value)); break
      case 'boot.order': d = setChildAttributes(d, 'boot', { order: value }); break
      case 'alias.name': d = setChildAttributes(d, 'alias', { name: value }); break
      case 'size': throw new UsageError('Unexpected size= with --edit: virtuned does not resize images', 'Resize the image itself (qemu-img resize, virsh blockresize).')
    }
  }
  return d
}

/** The interface with the keys of a `--nic` option changed. */
function editNic(nic: Element, fields: Readonly<Record<string, string>>, bare: string | undefined): Element {
  let n = nic
  const source = (type: string, attributes: Record<string, string>) => {
    n = withAttributes(n, { type })
    n = withChild(n, 'source', () => (Object.keys(attributes).length === 0 ? undefined : element('source', attributes)))
  }
  if (bare !== undefined) {
    if (bare === 'user') source('user', {})
    else source('network', { network: bare })
  }
  if (fields.network) source('network', { network: fields.network })
  if (fields.bridge) source('bridge', { bridge: fields.bridge })
  if (fields.type === 'user') source('user', {})
  if (fields.type === 'direct' || (fields.source && !fields.type)) source('direct', { dev: fields.source ?? property(n, 'path') ?? '', mode: 'bridge' })
  for (const [key, raw] of Object.entries(fields)) {
    const value = raw === '' ? undefined : raw
    switch (key) {
      case 'model': n = setChildAttributes(n, 'model', { type: value }); break
      case 'mac':
        if (value !== undefined && !macPattern.test(value)) throw new UsageError(`Unexpected --nic mac=\`${value}\`, expected six hex pairs such as 52:54:00:12:34:56`)
        n = setChildAttributes(n, 'mac', { address: value?.toLowerCase() })
        break
      case 'boot.order': n = setChildAttributes(n, 'boot', { order: value }); break
      case 'alias.name': n = setChildAttributes(n, 'alias', { name: value }); break
    }
  }
  return n
}

/**
 * The device an `--add-device` option describes, completed as virt-install would: the guest OS's
 * defaults (bus, NIC model) by xml-core's merge, then the next free target for the bus.
 */
function newDevice(document: LibvirtDocument, kind: Kind, value: string): Element {
  let device = deviceFromSpec(kind === 'disk' ? { disk: diskSpec(value) } : { nic: nicSpec(value) })
  const layer = deviceDefaultsLayer(document, device)
  if (layer) device = rootElement(getEngine().mergeTree({ type: 'root', children: [device] }, [layer], { rules: [] }).document)!
  if (kind === 'disk' && childOf(device, 'target')?.attributes.dev === undefined) {
    const bus = childOf(device, 'target')?.attributes.bus ?? (device.attributes.device === 'cdrom' ? 'sata' : 'virtio')
    const taken = new Set(devicesOfKind(document, 'disk').map((d) => property(d, 'target')).filter((t): t is string => t !== undefined))
    const dev = nextTarget(bus, taken)
    if (dev === undefined) throw new UsageError(`No free target name left for bus \`${bus}\``)
    device = setChildAttributes(device, 'target', { dev, bus })
  }
  return device
}

interface Change {
  readonly document: LibvirtDocument
  /** The devices changed, before and after (after is undefined for a removal, before for an addition). */
  readonly devices: readonly { readonly before?: Element; readonly after?: Element }[]
}

type Action = { readonly verb: 'edit'; readonly selector: string | undefined } | { readonly verb: 'add' } | { readonly verb: 'remove' }

function change(document: LibvirtDocument, action: Action, kind: Kind, value: string): Change {
  if (action.verb === 'add') {
    const device = newDevice(document, kind, value)
    return { document: addDevice(document, device), devices: [{ after: device }] }
  }
  if (action.verb === 'remove') {
    const found = select(document, kind, value)
    if (found.length === 0) throw new NothingSelected(kind, value)
    let next = document
    for (const d of found) next = removeDevice(next, d)
    return { document: next, devices: found.map((before) => ({ before })) }
  }
  const found = select(document, kind, action.selector)
  if (found.length === 0) throw new NothingSelected(kind, action.selector ?? '1')
  const { bare, fields } = parseDeviceOption(kind, value)
  let next = document
  const devices: { before: Element; after: Element }[] = []
  for (const before of found) {
    const after = kind === 'disk' ? editDisk(before, fields, bare) : editNic(before, fields, bare)
    next = replaceDevice(next, before, after)
    devices.push({ before, after })
  }
  return { document: next, devices }
}

/** No device matched the selector: exit 1, as `plan-detach` does, naming what there is. */
class NothingSelected extends VirtunedError {
  constructor(kind: Kind, selector: string) {
    super('cli-edit-no-device', `No ${elementName[kind]} matches \`${selector}\``, { note: 'Select by index (1, 2, …), all, target=vdb, alias=ua-x, mac=… or path=/x; `virtuned match A A` lists the devices.' })
    this.name = 'NothingSelected'
  }
}

// ---- the command --------------------------------------------------------------------------

/** `--edit` takes an optional selector (virt-xml's `--edit [EDIT]`): the next word when it looks like one. */
function splitEditSelector(args: readonly string[]): { args: string[]; selector: string | undefined; edit: boolean } {
  const out: string[] = []
  let selector: string | undefined
  let edit = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a.startsWith('--edit=')) { edit = true; selector = a.slice('--edit='.length); continue }
    if (a !== '--edit') { out.push(a); continue }
    edit = true
    const next = args[i + 1]
    if (next !== undefined && !next.startsWith('-') && (/^([0-9]+|all)$/.test(next) || /^[a-z]+=/.test(next) || macPattern.test(next) || targetPattern.test(next) || next.startsWith('ua-'))) {
      selector = next
      i++
    }
  }
  return { args: out, selector, edit }
}

function unifiedDiff(before: string, after: string): string {
  // As virt-xml prints it: `--- Original XML` / `+++ Altered XML` and three lines of context.
  const patch = createTwoFilesPatch('Original XML', 'Altered XML', before, after, undefined, undefined, { context: 3 })
  return patch.replace(/^=+\n/, '').replace(/^(---|\+\+\+) (Original|Altered) XML\t\n/gm, '$1 $2 XML\n')
}

async function confirmed(context: CommandContext, question: string): Promise<boolean> {
  context.io.stdout(`${question} (y/n): `)
  const answer = new TextDecoder().decode(await context.io.readStdin(64)).trim().toLowerCase()
  context.io.stdout('\n')
  return answer === 'y' || answer === 'yes'
}

export async function editCommand(context: CommandContext, argv: string[]): Promise<number> {
  try {
    return await edit(context, argv)
  } catch (error) {
    // Nothing matched the selector: a failed check (exit 1, as plan-detach), not bad input.
    if (!(error instanceof NothingSelected)) throw error
    context.report('virtuned', error)
    return 1
  }
}

async function edit(context: CommandContext, argv: string[]): Promise<number> {
  const split = splitEditSelector(argv)
  const { values, positionals } = parseArgs({
    args: split.args, allowPositionals: true,
    options: {
      disk: { type: 'string', multiple: true }, nic: { type: 'string', multiple: true }, network: { type: 'string', multiple: true },
      'add-device': { type: 'boolean' }, 'remove-device': { type: 'boolean' },
      'print-diff': { type: 'boolean' }, 'print-xml': { type: 'boolean' },
      define: { type: 'boolean' }, 'no-define': { type: 'boolean' }, update: { type: 'boolean' }, confirm: { type: 'boolean' },
      connect: { type: 'string', short: 'c' }, output: { type: 'string', short: 'o' }, 'in-place': { type: 'boolean' },
    },
  })
  const verbs = [split.edit && 'edit', values['add-device'] && 'add-device', values['remove-device'] && 'remove-device'].filter(Boolean)
  if (verbs.length !== 1) throw new UsageError(verbs.length === 0 ? 'Expected an action: --edit [SELECTOR], --add-device or --remove-device' : `Unexpected ${verbs.map((v) => `--${v}`).join(' with ')}, expected one action`, 'Example: virtuned edit web.xml --add-device --disk /var/lib/libvirt/images/data.qcow2 --print-diff')
  const options = [...(values.disk ?? []).map((v) => ['disk', v] as const), ...[...(values.nic ?? []), ...(values.network ?? [])].map((v) => ['nic', v] as const)]
  if (options.length !== 1) throw new UsageError(options.length === 0 ? 'Expected a device option: --disk KEY=VALUE,... or --nic KEY=VALUE,...' : 'Unexpected more than one device option, expected one --disk or --nic', 'Run `virtuned edit` once per device.')
  const [kind, value] = options[0]!
  const action: Action = split.edit ? { verb: 'edit', selector: split.selector } : values['add-device'] ? { verb: 'add' } : { verb: 'remove' }
  if (values.define && values['no-define']) throw new UsageError('Unexpected --define with --no-define')
  if (values['print-diff'] && values['print-xml']) throw new UsageError('Unexpected --print-diff with --print-xml, expected one')
  if (values.output !== undefined && values['in-place']) throw new UsageError('Unexpected -o with --in-place, expected one')

  if (positionals.length !== 1) throw new UsageError(`Unexpected ${positionals.length} arguments, expected one domain FILE (or - for standard input), or --connect URI NAME`)
  // With --connect, NAME is a domain on libvirtd; `-`, a path or a name ending in .xml is a file (then --connect is where --define goes).
  const remote = values.connect !== undefined && positionals[0] !== '-' && !positionals[0]!.includes('/') && !/\.xml$/i.test(positionals[0]!)
  if (remote) return editRemote(context, values.connect!, positionals[0]!, action, kind, value, values)
  if (values.update) throw new UsageError('Unexpected --update with a file, expected --connect URI NAME', 'A running domain is changed through libvirtd: virtuned edit --connect qemu:///system NAME --update …')

  const file = positionals[0]!
  const source = decodeFile(file, await context.read(file))
  const before = parseDomain(source)
  const changed = change(before, action, kind, value)
  const original = serialize(before)
  const xml = serialize(changed.document)
  const output = values['in-place'] ? (file === '-' ? undefined : file) : values.output
  if (values['in-place'] && file === '-') throw new UsageError('Unexpected --in-place with standard input, expected a FILE', 'Write with -o FILE.')
  if (values.confirm) {
    context.io.stdout(unifiedDiff(original, xml))
    if (!(await confirmed(context, output !== undefined ? `Write ${output}?` : values.define ? 'Define the changed domain?' : 'Print the changed XML?'))) { context.io.stderr('virtuned: not confirmed; nothing changed\n'); return 1 }
  }
  if (values['print-diff']) context.io.stdout(unifiedDiff(original, xml))
  if (output !== undefined && output !== '-') await context.io.writeFileAtomic(output, xml, file === '-' ? {} : { modeFrom: file })
  else if (!values['print-diff']) context.io.stdout(xml)
  if (values.define) {
    await withConnection(values.connect ?? defaultUri, async (conn) => {
      const domain = await conn.defineXML(xml)
      context.io.stderr(`virtuned: defined ${domain.name}\n`)
    })
  }
  return 0
}

interface RemoteFlags {
  readonly 'print-diff'?: boolean | undefined
  readonly 'print-xml'?: boolean | undefined
  readonly define?: boolean | undefined
  readonly 'no-define'?: boolean | undefined
  readonly update?: boolean | undefined
  readonly confirm?: boolean | undefined
}

/** `edit --connect URI NAME`: the persistent XML changed and defined (as virt-xml), and with --update the running domain. */
async function editRemote(context: CommandContext, uri: string, name: string, action: Action, kind: Kind, value: string, flags: RemoteFlags): Promise<number> {
  return withConnection(uri, async (conn) => {
    const domain = await conn.lookupDomainByName(name)
    const inactive = parseDomain(await conn.getXMLDesc(domain, { inactive: true }))
    let changed = change(inactive, action, kind, value)
    const printing = flags['print-diff'] === true || flags['print-xml'] === true
    const define = flags['no-define'] !== true && (flags.define === true || !printing)
    // The live change, planned before anything is written: a refusal changes nothing.
    let live: (() => Promise<{ ok: boolean; message: string }>) | undefined
    if (flags.update) {
      const plan = await planLive(conn, domain, action, kind, value, changed)
      if (!plan.ok) {
        for (const p of plan.problems) context.io.stderr(`${name}: ${p} \n`)
        return 1
      }
      changed = plan.persistent
      live = plan.run
    }
    const original = serialize(inactive)
    const xml = serialize(changed.document)
    if (flags.confirm) {
      context.io.stdout(unifiedDiff(original, xml))
      if (!(await confirmed(context, `${define ? 'Define' : 'Apply'} the change to ${name}${live ? ' and the running guest' : ''}?`))) { context.io.stderr('virtuned: not confirmed; nothing changed\n'); return 1 }
    }
    if (flags['print-diff']) context.io.stdout(unifiedDiff(original, xml))
    if (flags['print-xml']) context.io.stdout(xml)
    // The running guest first, as virt-xml does: a guest that refuses leaves the definition as it was.
    if (live) {
      const outcome = await live()
      context.io.stderr(`virtuned: ${outcome.message}\n`)
      if (!outcome.ok) return 1
    }
    if (define) {
      await conn.defineXML(xml)
      context.io.stderr(`virtuned: defined ${name}\n`)
    }
    return 0
  })
}

type LivePlan =
  | { readonly ok: true; readonly persistent: Change; readonly run: () => Promise<{ ok: boolean; message: string }> }
  | { readonly ok: false; readonly problems: readonly string[] }

/**
 * The live half of `--update`, planned on the live XML: an added device goes through `planAttach`
 * (a free hot-pluggable port, alias, serial, MAC; the persistent XML gets the same device), a removed
 * one through `planDetach` (by alias, waiting for libvirt's event), an edited one is sent to
 * `virDomainUpdateDeviceFlags` as the live device with the same keys changed.
 */
async function planLive(conn: LibvirtConnection, domain: DomainRef, action: Action, kind: Kind, value: string, persistent: Change): Promise<LivePlan> {
  const liveXml = await conn.getXMLDesc(domain)
  const live = parseDomain(liveXml)
  if (live.root.attributes.id === undefined) return { ok: false, problems: ['the domain is not running: drop --update to change its definition only [cli-edit-not-running]'] }
  if (action.verb === 'add') {
    const device = persistent.devices[0]!.after!
    const plan = planAttach(liveXml, device)
    if (!plan.ok) return { ok: false, problems: plan.problems.map((p) => `${p.message} [${p.code}]${p.policy ? ` (the \`${p.policy}\` policy prevents this)` : ''}`) }
    // The persistent definition gets the very device the guest gets (same alias, serial, MAC).
    const element = rootElement(parseXml(plan.xml))!
    const document = replaceDevice(persistent.document, device, element)
    return { ok: true, persistent: { document, devices: [{ after: element }] }, run: async () => { const r = await conn.attach(domain, plan); return { ok: r.verified, message: `attached ${r.alias}${r.verified ? '' : ' — but it is not in the live XML; the definition was left as it was'}` } } }
  }
  const found = select(live, kind, action.verb === 'remove' ? value : action.selector)
  if (found.length !== 1) return { ok: false, problems: [`${found.length === 0 ? 'no' : found.length} live ${elementName[kind]}s match; --update changes exactly one [cli-edit-live-selector]`] }
  const device = found[0]!
  if (action.verb === 'remove') {
    const alias = property(device, 'alias')
    const plan = planDetach(liveXml, alias !== undefined ? { alias } : { device })
    if (!plan.ok) return { ok: false, problems: plan.problems.map((p) => `${p.message} [${p.code}]`) }
    return { ok: true, persistent, run: async () => { const r = await conn.detach(domain, plan); return { ok: r.ok, message: `${r.outcome} ${r.alias}${r.ok ? '' : '; the definition was left as it was'}` } } }
  }
  const { bare, fields } = parseDeviceOption(kind, value)
  const updated = kind === 'disk' ? editDisk(device, fields, bare) : editNic(device, fields, bare)
  const xml = serialize({ type: 'root', children: [updated] })
  return { ok: true, persistent, run: async () => { await conn.updateDevice(domain, xml, { live: true }); return { ok: true, message: `updated the running ${elementName[kind]}` } } }
}
