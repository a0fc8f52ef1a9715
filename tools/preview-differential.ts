// A differential search for preview's blind spots (issue 19): domains as clients edit them — libvirt's
// own test domains, the client samples (fixtures/preview/clients) and composed ones, each changed by one
// to three edits a management application makes (addresses or controllers dropped, the machine switched
// between pc and q35, a device dropped, copied or taken from another domain, a disk moved to another bus,
// a model left out, the document saved from a running guest…) — are defined on the sandbox libvirtd and compared with previewDomain. Both must
// agree: the same stored document, or both refuse.
//   npx tsx --conditions=@virtuned/source tools/preview-differential.ts [COUNT] [--seed N] [--arch A] [--edit NAME] [--keep DIR] [--misses] [--words] [--seeds PATH]...
// --seeds PATH adds the domains of XML files written elsewhere (a file or a directory of them: virt-manager's test data…)
// to the seeds, put on the sandbox's host as preview-live-files does with --any-machine; VIRTUNED_CORPUS names another
// corpus of libvirt's test domains (libvirt-heldout's, the 9.0 suite's).
// --keep DIR writes each domain apart as NAME.xml, each refused in other words as words-NAME.xml and each the daemon
// died on as died-NAME.xml.
// --edit NAME also takes the search edits kept out of the default mix: odd-form, odd-value, stray-attribute,
// shuffle-attributes, stray-element, stray-text, blank-text, shuffle-children, repeat-child, cdata-text.
// Needs root and the sandbox running (tools/libvirt-sandbox/start.sh). Deterministic for a seed.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { parseDomainCapabilities, type HostCapabilities } from '@virtuned/defaults'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { attributeReads, canonicalize } from '@virtuned/model'
import { parseQemuCaps, previewDomain, type QemuCaps, type QemuConf } from '@virtuned/preview'
import { parseXml, toXml, type Element, type ElementContent } from '@virtuned/xml-core'
import { cachedCaps, composedCases, corpusCases, daemonKillers, domainsInFile, emulatorOf, liveUri, lost, startLive, onSandboxHost, sandboxFirmware, xmlFilesIn, sandboxHostArch, sandboxHostPci, sandboxHostCpuAddressBits, sandboxQemuConf, sandboxSwtpm, sandboxQemuRdp, sandboxEmulators, emulatorNamedIn, virshDomcaps } from './preview-oracle.ts'
import { coreMessage } from './preview-score.ts'
import { seededRandom } from './random.ts'

/** A mutable copy of an element tree (xml-core's is read-only by convention). */
interface E { name: string; attributes: Record<string, string>; children: (E | { type: 'text' | 'cdata'; value: string })[] }
const isE = (c: E['children'][number]): c is E => !('type' in c)

function toMutable(e: Element): E {
  return { name: e.name, attributes: { ...e.attributes }, children: e.children.flatMap((c): E['children'] => (c.type === 'element' ? [toMutable(c)] : c.type === 'text' || c.type === 'cdata' ? [{ type: c.type, value: c.value }] : [])) }
}
function toElement(e: E): Element {
  return { type: 'element', name: e.name, attributes: e.attributes, children: e.children.map((c): ElementContent => (isE(c) ? toElement(c) : c)) }
}
const clone = (e: E): E => toMutable(toElement(e))
const kids = (e: E | undefined, name?: string): E[] => (e ? e.children.filter(isE).filter((c) => name === undefined || c.name === name) : [])
const child = (e: E | undefined, name: string): E | undefined => kids(e, name)[0]

const generator = seededRandom

interface Edit { readonly name: string; apply(domain: E, random: () => number, donors: readonly E[]): boolean }
const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!
const devicesOf = (d: E) => child(d, 'devices')
function stripAddress(device: E): void {
  device.children = device.children.filter((c) => !isE(c) || (c.name !== 'address' && c.name !== 'alias'))
}
function usedTargets(d: E): Set<string> {
  return new Set(kids(devicesOf(d), 'disk').map((x) => child(x, 'target')?.attributes.dev ?? ''))
}
function freeTarget(d: E, prefix: string): string {
  const used = usedTargets(d)
  for (let i = 0; i < 26; i++) { const name = prefix + String.fromCharCode(0x61 + i); if (!used.has(name)) return name }
  return `${prefix}aa`
}

const edits: readonly Edit[] = [
  { name: 'strip-addresses', apply(d) { const ds = kids(devicesOf(d)); ds.forEach(stripAddress); return ds.length > 0 } },
  { name: 'strip-controllers', apply(d) {
    const devs = devicesOf(d); if (!devs) return false
    devs.children = devs.children.filter((c) => !isE(c) || c.name !== 'controller'); kids(devs).forEach(stripAddress); return true
  } },
  { name: 'drop-device', apply(d, random) {
    const devs = devicesOf(d); const list = kids(devs).filter((c) => c.name !== 'emulator'); if (!devs || list.length === 0) return false
    const gone = pick(list, random); devs.children = devs.children.filter((c) => c !== gone); return true
  } },
  { name: 'swap-machine', apply(d) {
    const type = child(child(d, 'os'), 'type'); const m = type?.attributes.machine; if (!type || m === undefined) return false
    if (/q35/.test(m)) type.attributes.machine = 'pc'
    else if (/^pc|i440fx/.test(m)) type.attributes.machine = 'q35'
    else return false
    const devs = devicesOf(d)
    if (devs) {
      devs.children = devs.children.filter((c) => !isE(c) || c.name !== 'controller')
      kids(devs).forEach(stripAddress)
      // IDE is pc's only
      if (type.attributes.machine === 'q35') for (const disk of kids(devs, 'disk')) { const t = child(disk, 'target'); if (t?.attributes.bus === 'ide') { t.attributes.bus = 'sata'; t.attributes.dev = freeTarget(d, 'sd') } }
    }
    return true
  } },
  { name: 'graft-device', apply(d, random, donors) {
    const donor = pick(donors, random)
    const candidates = kids(devicesOf(donor)).filter((c) => c.name !== 'emulator' && c.name !== 'controller')
    const devs = devicesOf(d); if (!devs || candidates.length === 0) return false
    const device = clone(pick(candidates, random)); stripAddress(device)
    if (device.name === 'disk') { const t = child(device, 'target'); if (!t) return false; t.attributes.dev = freeTarget(d, (t.attributes.dev ?? 'vda').replace(/[a-z]+$/, '').replace(/^$/, 'vd') || 'vd') }
    devs.children.push(device); return true
  } },
  { name: 'copy-device', apply(d, random) {
    const devs = devicesOf(d); const list = kids(devs).filter((c) => ['disk', 'interface', 'serial', 'channel', 'input', 'video', 'rng', 'sound', 'redirdev', 'hostdev', 'watchdog', 'controller'].includes(c.name)); if (!devs || list.length === 0) return false
    const device = clone(pick(list, random)); stripAddress(device)
    if (device.name === 'disk') { const t = child(device, 'target'); if (!t) return false; t.attributes.dev = freeTarget(d, (t.attributes.dev ?? 'vda').replace(/[a-z]+$/, '') || 'vd') }
    if (device.name === 'controller') delete device.attributes.index
    if (device.name === 'interface') device.children = device.children.filter((c) => !isE(c) || c.name !== 'mac')
    devs.children.push(device); return true
  } },
  { name: 'drop-model', apply(d, random) {
    const list = kids(devicesOf(d)).filter((c) => (c.name === 'controller' && c.attributes.model !== undefined) || ((c.name === 'interface' || c.name === 'video' || c.name === 'sound') && (child(c, 'model') !== undefined || c.attributes.model !== undefined)))
    if (list.length === 0) return false
    const device = pick(list, random)
    if (device.name === 'controller' || device.name === 'sound') { delete device.attributes.model; device.children = device.children.filter((c) => !isE(c) || c.name !== 'model') }
    else device.children = device.children.filter((c) => !isE(c) || c.name !== 'model')
    stripAddress(device); return true
  } },
  { name: 'disk-bus', apply(d, random) {
    const disks = kids(devicesOf(d), 'disk').filter((x) => child(x, 'target')); if (disks.length === 0) return false
    const disk = pick(disks, random); const t = child(disk, 'target')!
    const machine = child(child(d, 'os'), 'type')?.attributes.machine ?? ''
    const buses = ['virtio', 'sata', 'scsi', 'usb', ...(/q35/.test(machine) ? [] : ['ide'])]
    const bus = pick(buses, random)
    t.attributes.bus = bus; t.attributes.dev = freeTarget(d, bus === 'virtio' ? 'vd' : bus === 'ide' ? 'hd' : 'sd'); stripAddress(disk); return true
  } },
  { name: 'drop-index', apply(d) { const cs = kids(devicesOf(d), 'controller'); cs.forEach((c) => delete c.attributes.index); return cs.length > 0 } },
  { name: 'add-device', apply(d, random) {
    const devs = devicesOf(d); if (!devs) return false
    const xml = pick(deviceCatalog, random)
    const device = toMutable(parseXml(xml, { positions: false }).children.find((c): c is Element => c.type === 'element')!)
    if (device.name === 'disk') { const t = child(device, 'target')!; t.attributes.dev = freeTarget(d, t.attributes.dev!.replace(/[a-z]$/, '')) }
    devs.children.push(device); return true
  } },
  { name: 'versioned-machine', apply(d, random) {
    const type = child(child(d, 'os'), 'type'); const m = type?.attributes.machine
    if (!type || m === undefined) return false
    const q35 = /q35/.test(m)
    const names = q35 ? ['pc-q35-6.2', 'pc-q35-7.0', 'pc-q35-7.2', 'q35'] : ['pc-i440fx-6.2', 'pc-i440fx-7.0', 'pc-i440fx-7.2', 'pc']
    type.attributes.machine = pick(names, random); return true
  } },
  { name: 'boot-order', apply(d, random) {
    const list = kids(devicesOf(d)).filter((c) => c.name === 'disk' || c.name === 'interface')
    if (list.length === 0) return false
    const os = child(d, 'os'); if (os) os.children = os.children.filter((c) => !isE(c) || c.name !== 'boot')
    for (const x of list) x.children = x.children.filter((c) => !isE(c) || c.name !== 'boot')
    let order = 1
    for (const x of list) if (random() < 0.6) x.children.push({ name: 'boot', attributes: { order: String(order++) }, children: [] })
    return true
  } },
  { name: 'domain-setting', apply(d, random) {
    // settings clients write outside <devices> (virt-install's --cpu/--boot/--features, Nova's flavor extras)
    const settings: readonly [string, string][] = [
      ['cpu', "<cpu mode='host-model'/>"], ['cpu', "<cpu mode='host-passthrough' check='none' migratable='on'/>"],
      ['cpu', "<cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>"],
      ['features', "<features><acpi/><apic/><vmport state='off'/></features>"], ['features', '<features><acpi/><apic/><pae/><hap state="on"/></features>'],
      ['clock', "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/><timer name='hpet' present='no'/></clock>"],
      ['pm', "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>"],
      ['memoryBacking', "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"],
      ['memtune', "<memtune><hard_limit unit='G'>4</hard_limit></memtune>"],
      ['iothreads', '<iothreads>2</iothreads>'],
      ['on_crash', '<on_crash>restart</on_crash>'],
    ]
    const [name, xml] = pick(settings, random)
    const e = toMutable(parseXml(xml, { positions: false }).children.find((c): c is Element => c.type === 'element')!)
    const at = d.children.findIndex((c) => isE(c) && c.name === name)
    if (at >= 0) d.children[at] = e
    else d.children.splice(Math.max(0, d.children.findIndex((c) => isE(c) && c.name === 'devices')), 0, e)
    return true
  } },
  { name: 'nic-kind', apply(d, random) {
    const nics = kids(devicesOf(d), 'interface'); if (nics.length === 0) return false
    const nic = pick(nics, random)
    const kinds: readonly [string, string | undefined][] = [['network', "<source network='default'/>"], ['bridge', "<source bridge='br0'/>"], ['user', undefined], ['ethernet', "<target dev='tap9' managed='no'/>"], ['direct', "<source dev='eth0' mode='bridge'/>"]]
    const [type, source] = pick(kinds, random)
    nic.attributes.type = type
    nic.children = nic.children.filter((c) => !isE(c) || (c.name !== 'source' && c.name !== 'target' && c.name !== 'virtualport'))
    if (source) nic.children.push(toMutable(parseXml(source, { positions: false }).children.find((c): c is Element => c.type === 'element')!))
    stripAddress(nic); return true
  } },
  { name: 'efi', apply(d, random) {
    const os = child(d, 'os'); if (!os) return false
    os.children = os.children.filter((c) => !isE(c) || (c.name !== 'loader' && c.name !== 'nvram'))
    if (random() < 0.5) os.attributes.firmware = 'efi'
    else { delete os.attributes.firmware; os.children.push(toMutable(parseXml("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>", { positions: false }).children.find((c): c is Element => c.type === 'element')!)) }
    return true
  } },
  // what `virsh dumpxml` adds to a running domain, which a user saves and defines again: the domain id, device
  // aliases (QEMU's, and now and then a user's `ua-` one), pty paths, generated tap names, network ports, the
  // graphics port given, a dynamic DAC label
  { name: 'as-running', apply(d, random) {
    const ds = kids(devicesOf(d)); if (ds.length === 0) return false
    d.attributes.id = String(1 + Math.floor(random() * 40))
    const seen = new Map<string, number>()
    for (const x of ds) {
      if (x.name === 'emulator' || child(x, 'alias') || random() < 0.1) continue
      const n = seen.get(x.name) ?? 0; seen.set(x.name, n + 1)
      const name = `${random() < 0.1 ? 'ua-' : ''}${x.name}${n}`
      const at = x.children.findIndex((c) => isE(c) && c.name === 'address')
      const alias: E = { name: 'alias', attributes: { name }, children: [] }
      if (at >= 0) x.children.splice(at, 0, alias); else x.children.push(alias)
      if (['serial', 'console', 'channel', 'parallel'].includes(x.name) && (x.attributes.type ?? 'pty') === 'pty' && !child(x, 'source')) {
        const pts = `/dev/pts/${Math.floor(random() * 9)}`
        x.children.unshift({ name: 'source', attributes: { path: pts }, children: [] })
        if (x.name === 'console') x.attributes.tty = pts
      }
      if (x.name === 'interface' && x.attributes.type === 'network' && !child(x, 'target')) {
        const src = child(x, 'source')
        if (src) { src.attributes.portid = '5c6bd1d4-1e4e-4c6b-8b55-9f6bd1f8d1aa'; src.attributes.bridge = 'virbr0' }
        x.children.push({ name: 'target', attributes: { dev: `vnet${n}` }, children: [] })
      }
      if (x.name === 'graphics' && x.attributes.autoport === 'yes') x.attributes.port = String(5900 + n)
    }
    if (!kids(d, 'seclabel').length && random() < 0.5) d.children.push(toMutable(parseXml("<seclabel type='dynamic' model='dac' relabel='yes'><label>+64055:+64055</label><imagelabel>+64055:+64055</imagelabel></seclabel>", { positions: false }).children.find((c): c is Element => c.type === 'element')!))
    return true
  } },
  { name: 'drop-domain-part', apply(d, random) {
    const parts = kids(d).filter((c) => ['features', 'cpu', 'clock', 'pm', 'on_poweroff', 'on_reboot', 'on_crash', 'currentMemory', 'vcpu'].includes(c.name)); if (parts.length === 0) return false
    const gone = pick(parts, random); d.children = d.children.filter((c) => c !== gone); return true
  } },
]

/**
 * Edits only asked for by name (`--edit NAME`): searches whose finds are not all answered yet, kept out of the
 * default mix (and so out of `npm test`'s edits oracle) until they are.
 */
const searchEdits: readonly Edit[] = [
  // a value written in another form the reader may take (or refuse): an integer with a leading zero, a plus sign or
  // space before it, a hex number with a zero after `0x`, a yes/no or on/off switch as true/false, an empty value
  { name: 'odd-form', apply(d, random) {
    const spots: { e: E; attribute?: string; enumeration?: true }[] = []
    const walk = (e: E, path: string): void => {
      // (an enumeration libvirt reads, model's attributeReads: its value in another case, `default`, or unknown)
      const enums = new Set((attributeReads.get(path) ?? []).filter((r) => r[1] === 'enum').map((r) => r[0]))
      for (const [k, v] of Object.entries(e.attributes)) {
        if (k.startsWith('xmlns')) continue
        if (/^(?:\d+|0x[0-9a-f]+|yes|no|on|off)$/.test(v)) spots.push({ e, attribute: k })
        else if (enums.has(k)) spots.push({ e, attribute: k, enumeration: true })
      }
      const text = e.children.length === 1 && !isE(e.children[0]!) ? (e.children[0] as { value: string }).value : undefined
      if (text !== undefined && /^\d+$/.test(text)) spots.push({ e })
      for (const c of e.children) if (isE(c) && c.name !== 'metadata') walk(c, `${path}/${c.name}`)
    }
    for (const c of kids(d)) if (c.name !== 'name' && c.name !== 'uuid') walk(c, c.name)
    if (spots.length === 0) return false
    const { e, attribute, enumeration } = pick(spots, random)
    const value = attribute === undefined ? (e.children[0] as { value: string }).value : e.attributes[attribute]!
    const forms = enumeration ? [value.toUpperCase(), 'default', 'none', 'bogus', '']
      : /^\d+$/.test(value) ? [`0${value}`, `+${value}`, ` ${value}`, `${value} `, '']
      : value.startsWith('0x') ? [`0x0${value.slice(2)}`, value.toUpperCase().replace('0X', '0x'), '']
      : [value === 'yes' || value === 'on' ? 'true' : 'false', value.toUpperCase(), '']
    const form = pick(forms, random)
    if (attribute === undefined) e.children = [{ type: 'text', value: form }]
    else e.attributes[attribute] = form
    return true
  } },
  // any value at all in a form no reader may take — what odd-form leaves alone, the values model's attributeReads does
  // not list (a MAC address, a link state, a path, a name): empty, blank, garbage, another case, a space around it
  { name: 'odd-value', apply(d, random) {
    const spots: { e: E; attribute?: string }[] = []
    const walk = (e: E): void => {
      for (const k of Object.keys(e.attributes)) if (!k.startsWith('xmlns')) spots.push({ e, attribute: k })
      const text = e.children.length === 1 && !isE(e.children[0]!) ? (e.children[0] as { value: string }).value : undefined
      if (text !== undefined && text.trim() !== '') spots.push({ e })
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c)
    }
    for (const c of kids(d)) if (c.name !== 'name' && c.name !== 'uuid') walk(c)
    if (spots.length === 0) return false
    const { e, attribute } = pick(spots, random)
    const value = attribute === undefined ? (e.children[0] as { value: string }).value : e.attributes[attribute]!
    const form = pick(['', ' ', 'zz', `${value}x`, ` ${value}`, `${value} `, value.toUpperCase(), '-1', '0'], random)
    if (attribute === undefined) e.children = [{ type: 'text', value: form }]
    else e.attributes[attribute] = form
    return true
  } },
  // an attribute where libvirt reads none of that name: made up, or one another element of the domain has (a
  // `bridge` on a network interface's source, a `bus` on a controller, a typo'd or newer libvirt's name)
  { name: 'stray-attribute', apply(d, random) {
    const elements: E[] = []
    const named: [string, string][] = []
    const walk = (e: E): void => {
      elements.push(e)
      for (const [k, v] of Object.entries(e.attributes)) if (!k.startsWith('xmlns')) named.push([k, v])
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c)
    }
    walk(d)
    const e = pick(elements, random)
    const [k, v] = random() < 0.3 || named.length === 0 ? ['vtStray', 'yes'] : pick(named, random)
    if (k in e.attributes) return false
    e.attributes[k] = v
    return true
  } },
  // every element's attributes in another order, as a client writes them that builds XML from a Go struct or a dict
  // (libvirt writes them in its formatter's order whatever the input's)
  { name: 'shuffle-attributes', apply(d, random) {
    let changed = false
    const walk = (e: E): void => {
      const entries = Object.entries(e.attributes).filter(([k]) => !k.startsWith('xmlns'))
      if (entries.length > 1) {
        const shuffled = [...entries]
        for (let i = shuffled.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!] }
        if (shuffled.some(([k], i) => k !== entries[i]![0])) changed = true
        const namespaces = Object.entries(e.attributes).filter(([k]) => k.startsWith('xmlns'))
        e.attributes = Object.fromEntries([...shuffled, ...namespaces])
      }
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c)
    }
    walk(d)
    return changed
  } },
  // an element where libvirt may read none of that name: a leaf of the domain (`<boot>`, `<readonly/>`, `<alias>`…)
  // copied below another element, or a made-up one
  { name: 'stray-element', apply(d, random) {
    const elements: E[] = []
    const leaves: E[] = []
    const walk = (e: E, depth: number): void => {
      if (depth > 0) elements.push(e)
      if (kids(e).length === 0 && depth > 1) leaves.push(e)
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c, depth + 1)
    }
    walk(d, 0)
    const into = pick(elements, random)
    if (!into.children.every(isE) && into.children.length > 0) return false
    const moved: E = random() < 0.2 || leaves.length === 0 ? { name: 'vtStray', attributes: {}, children: [] } : clone(pick(leaves, random))
    if (moved.name === into.name) return false
    into.children.push(moved)
    return true
  } },
  // text where libvirt may read none: in an empty element (`<boot dev='hd'>x</boot>`, `<backend type='emulator'> </backend>`)
  // or before another element's children; a word, a blank run, or another element's text
  { name: 'stray-text', apply(d, random) {
    const empties: E[] = []
    const parents: E[] = []
    const texts: string[] = []
    const walk = (e: E, depth: number): void => {
      if (depth > 0 && e.children.length === 0) empties.push(e)
      if (depth > 0 && e.children.length > 0 && e.children.every(isE)) parents.push(e)
      for (const c of e.children) {
        if (!isE(c)) { if (c.value.trim() !== '') texts.push(c.value) }
        else if (c.name !== 'metadata' && !c.name.includes(':')) walk(c, depth + 1)
      }
    }
    walk(d, 0)
    const value = random() < 0.3 ? ' ' : random() < 0.5 || texts.length === 0 ? 'vtStray' : pick(texts, random)
    if (random() < 0.8 || parents.length === 0) {
      if (empties.length === 0) return false
      pick(empties, random).children.push({ type: 'text', value })
    } else pick(parents, random).children.unshift({ type: 'text', value })
    return true
  } },
  // a leaf's text made blank or empty (libxml2 keeps a leaf's blank text: libvirt reads `<model> </model>` as ' ')
  { name: 'blank-text', apply(d, random) {
    const leaves: E[] = []
    const walk = (e: E): void => {
      // (not the emulator: a blank path is host state libvirt checks, preview lists as not predicted)
      if (e.children.length > 0 && e.children.every((c) => !isE(c)) && e.name !== 'emulator') leaves.push(e)
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c)
    }
    walk(d)
    if (leaves.length === 0) return false
    const leaf = pick(leaves, random)
    const r = random()
    leaf.children = r < 0.2 ? [] : [{ type: 'text', value: r < 0.7 ? ' ' : '\n  ' }]
    return true
  } },
  // an element's children in another order (libvirt reads most by name: the order it writes is its own; devices, boot
  // devices, NUMA cells and features keep some of theirs)
  { name: 'shuffle-children', apply(d, random) {
    const parents: E[] = []
    const walk = (e: E): void => {
      if (kids(e).length > 1) parents.push(e)
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) walk(c)
    }
    walk(d)
    if (parents.length === 0) return false
    const e = pick(parents, random)
    const shuffled = [...kids(e)]
    for (let i = shuffled.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!] }
    if (shuffled.every((c, i) => c === kids(e)[i])) return false
    e.children = shuffled
    return true
  } },
  // a child element written twice, the copy right after it or last (two <driver>s, two <os>es, two <target>s): libvirt
  // reads the first, all, or refuses
  { name: 'repeat-child', apply(d, random) {
    const pairs: [E, E][] = []
    const walk = (e: E, depth: number): void => {
      for (const c of e.children) if (isE(c) && c.name !== 'metadata' && !c.name.includes(':')) { if (depth > 0 || (c.name !== 'name' && c.name !== 'uuid' && c.name !== 'devices')) pairs.push([e, c]); walk(c, depth + 1) }
    }
    walk(d, 0)
    if (pairs.length === 0) return false
    const [parent, c] = pick(pairs, random)
    const copy = clone(c)
    if (random() < 0.5) parent.children.splice(parent.children.indexOf(c) + 1, 0, copy)
    else parent.children.push(copy)
    return true
  } },
  // text written as a CDATA section (`<source><![CDATA[/a.img]]>`: the same text to libxml2)
  { name: 'cdata-text', apply(d, random) {
    const texts: { type: 'text' | 'cdata'; value: string }[] = []
    const walk = (e: E): void => {
      for (const c of e.children) {
        if (!isE(c)) { if (c.type === 'text' && c.value.trim() !== '' && !c.value.includes(']]>')) texts.push(c) }
        else if (c.name !== 'metadata' && !c.name.includes(':') && c.name !== 'name' && c.name !== 'uuid') walk(c)
      }
    }
    walk(d)
    if (texts.length === 0) return false
    const t = pick(texts, random)
    t.type = 'cdata'
    return true
  } },
]

/** Devices clients add (virt-manager's "Add Hardware", Nova's and KubeVirt's extras), without addresses. */
const deviceCatalog: readonly string[] = [
  "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>",
  "<tpm model='tpm-tis'><backend type='emulator'/></tpm>",
  "<watchdog model='i6300esb' action='reset'/>",
  "<watchdog model='itco' action='poweroff'/>",
  "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
  "<sound model='ich9'/>", "<sound model='ac97'/>", "<sound model='ich6'/>", "<sound model='usb'/>",
  "<serial type='pty'/>", "<console type='pty'/>",
  "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
  "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>",
  "<redirdev bus='usb' type='spicevmc'/>",
  "<input type='tablet' bus='usb'/>", "<input type='keyboard' bus='virtio'/>", "<input type='mouse' bus='virtio'/>",
  "<graphics type='vnc' port='-1' autoport='yes'/>", "<graphics type='spice' autoport='yes'><image compression='off'/></graphics>",
  "<video><model type='virtio' heads='1'/></video>", "<video><model type='qxl'/></video>", "<video><model type='vga'/></video>",
  "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x00' function='0x0'/></source></hostdev>",
  "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>",
  "<memballoon model='none'/>", "<panic model='isa'/>", "<panic model='pvpanic'/>",
  "<interface type='network'><source network='default'/><model type='virtio'/></interface>",
  "<interface type='bridge'><source bridge='br0'/><model type='e1000e'/></interface>",
  "<interface type='user'/>",
  "<controller type='usb' model='qemu-xhci' ports='15'/>", "<controller type='scsi' model='virtio-scsi'/>",
  "<controller type='virtio-serial'/>", "<controller type='pci' model='pcie-root-port'/>",
  "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>",
  "<disk type='file' device='disk'><driver name='qemu' type='qcow2' discard='unmap'/><source file='/var/lib/libvirt/images/extra.qcow2'/><target dev='vda' bus='virtio'/></disk>",
  "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/extra.img'/><target dev='sda' bus='scsi'/></disk>",
  "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/usb.img'/><target dev='sda' bus='usb'/></disk>",
  "<smartcard mode='passthrough' type='spicevmc'/>",
  "<vsock model='virtio'><cid auto='yes'/></vsock>",
  "<iommu model='intel'><driver intremap='on'/></iommu>",
  "<shmem name='ivshmem0'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem>",
]

/**
 * The name and UUID of the `n`th domain tried: this run's own (its process id in both), so that two runs at once on the one
 * daemon do not define over each other's domains — the edits, seeded, stay the same from run to run.
 */
const nameOf = (n: number): string => `vt-diff-${process.pid}-${n}`
const uuidOf = (n: number): string => `00000000-0000-4000-9000-${(process.pid * 2 ** 20 + n).toString(16).padStart(12, '0')}`

/** Given values libvirt would otherwise make up at random: the name, a UUID and each NIC's MAC. */
function settle(d: E, n: number): void {
  const set = (name: string, value: string) => { let e = child(d, name); if (!e) { e = { name, attributes: {}, children: [] }; d.children.splice(name === 'name' ? 0 : 1, 0, e) } e.children = [{ type: 'text', value }] }
  set('name', nameOf(n))
  set('uuid', uuidOf(n))
  let k = 0
  for (const nic of kids(devicesOf(d), 'interface')) {
    const mac = `52:54:00:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}:${(k++ & 0xff).toString(16).padStart(2, '0')}`
    const given = child(nic, 'mac')
    if (given) given.attributes.address = mac
    else nic.children.unshift({ name: 'mac', attributes: { address: mac }, children: [] })
  }
}

export interface DifferentialResult {
  /** Edited domains the daemon died on (each brought back: counted in none of the others). */
  readonly died: number
  /** Those domains (kept with --keep as `died-NAME.xml`: a libvirtd crash to report, or one to retry). */
  readonly diedOn: readonly { readonly name: string; readonly xml: string }[]
  /** Edited domains tried, from how many seeds the daemon accepts as they are. */
  readonly tried: number
  readonly seeds: number
  readonly same: number
  readonly bothRefused: number
  /** Refusals both made in other words: preview's words ⟂ libvirt's, with how many. */
  readonly otherWords: ReadonlyMap<string, number>
  /** The domains refused in other words (kept with --keep as `words-NAME.xml`). */
  readonly worded: readonly { name: string; xml: string }[]
  /** What set preview apart from the daemon, with the domains and their edits. */
  readonly misses: ReadonlyMap<string, readonly { readonly name: string; readonly edits: readonly string[]; readonly xml: string }[]>
}

/** A domain's architecture as written (`<type arch>`; x86_64 when none is). */
const archOf = (xml: string): string => /<type[^>]*\barch=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? 'x86_64'

/**
 * The seed domains of an architecture: libvirt's test domains of it (the corpus), the client samples of it, for x86_64
 * 40 composed domains (the daemon's `daemonKillers` are left out) and the domains of it in `others` (files or
 * directories of XML written elsewhere, put on the sandbox's host: onSandboxHost).
 */
export function differentialSeeds(corpusDir: string, clientsDir: string, host: HostCapabilities | undefined, arch = 'x86_64', others: readonly string[] = []): { name: string; xml: string }[] {
  const corpus = arch === 'x86_64' ? corpusCases(corpusDir) : readdirSync(join(corpusDir, 'domains')).filter((f) => f.endsWith('.xml') && !(f in daemonKillers)).sort()
    .map((f) => ({ name: f, xml: readFileSync(join(corpusDir, 'domains', f), 'utf8') })).filter((c) => archOf(c.xml) === arch)
  return [
    ...corpus,
    ...readdirSync(clientsDir).filter((f) => f.endsWith('.xml')).map((f) => ({ name: f, xml: readFileSync(join(clientsDir, f), 'utf8') })).filter((c) => archOf(c.xml) === arch),
    ...(arch === 'x86_64' && host ? composedCases(40, host) : []),
    ...others.flatMap(xmlFilesIn).flatMap((f) => domainsInFile(f, true)).filter((c) => archOf(c.xml) === arch).map((c) => ({ name: c.name, xml: onSandboxHost(c.xml, arch, { anyMachine: true }) })),
  ]
}

/** The QEMU binary that runs an architecture (ppc64le guests run on qemu-system-ppc64). */
/** The QEMU binary libvirt runs a guest arch on (virQEMUCapsArchToString: i686 on i386's, 32-bit ARM on arm's). */

/**
 * `count` edited domains, deterministic for `seed`: each defined on the daemon behind `conn`, read back and undefined,
 * and previewed with the daemon's capabilities and qemu.conf.
 */
export async function runDifferential(conn: LibvirtConnection, seeds: readonly { name: string; xml: string }[], caps: QemuCaps, qemuConf: QemuConf, count: number, seed: number, only?: string, reconnect?: () => Promise<LibvirtConnection>): Promise<DifferentialResult> {
  const chosen = only === undefined ? edits : [...edits, ...searchEdits].filter((e) => e.name === only)
  if (chosen.length === 0) throw new Error(`differential: no edit named ${only}; the edits: ${[...edits, ...searchEdits].map((e) => e.name).join(', ')}`)
  type Outcome = { stored: string } | { refused: string }
  // (the firmware descriptors the daemon reads)
  const firmware = sandboxFirmware()
  // (undefined keeping the NVRAM: define never creates it, and an edited domain's <nvram> may name any file — an
  // emulator's path moved there by stray-element once had `undefine --nvram` delete the emulator itself)
  // (libvirtd 9.0 dies on some error paths — daemonKillers —: given `reconnect`, it is brought back and the domain
  // counted apart, as one the daemon cannot answer)
  const define = async (xml: string): Promise<Outcome | { died: true }> => {
    let domain
    try { domain = await conn.defineXML(xml) } catch (error) {
      if (reconnect && lost(error)) { conn = await reconnect(); return { died: true } }
      return { refused: (error as Error).message }
    }
    try { return { stored: await conn.getXMLDesc(domain, { inactive: true }) } } finally { await conn.undefine(domain, { keepNvram: true }) }
  }
  // (the capabilities of the emulator a domain names when the host has that binary — an i686 guest of libvirt's tests
  // runs on qemu-system-x86_64, whose default CPU is not qemu-system-i386's —, else the arch's: preview is given the
  // capabilities of the binary libvirt probes, as a host's cache holds one per binary)
  const byEmulator = new Map<string, QemuCaps>()
  const capsFor = (xml: string): QemuCaps => {
    // (the emulator named: libvirt reads that binary's capabilities)
    const named = emulatorNamedIn(xml)
    if (named === undefined || named === caps.emulator || !named.startsWith('/') || !existsSync(named)) return caps
    if (!byEmulator.has(named)) { try { byEmulator.set(named, parseQemuCaps(cachedCaps(named).text)) } catch { byEmulator.set(named, caps) } }
    return byEmulator.get(named)!
  }
  // the seeds the daemon takes as they are
  const accepted: E[] = []
  for (const [i, s] of seeds.entries()) {
    let d: E
    try { d = toMutable(parseXml(s.xml, { positions: false }).children.find((c): c is Element => c.type === 'element')!) } catch { continue }
    settle(d, 60000 + i)
    const answer = await define(toXml(toElement(d)))
    if ('stored' in answer) accepted.push(d)
  }
  const random = generator(seed)
  const misses = new Map<string, { name: string; edits: string[]; xml: string }[]>()
  let same = 0
  let bothRefused = 0
  const otherWords = new Map<string, number>()
  const worded: { name: string; xml: string }[] = []
  let tried = 0
  let died = 0
  const diedOn: { name: string; xml: string }[] = []
  for (let n = 0; tried < count && n < count * 20 && accepted.length > 0; n++) {
    const d = clone(pick(accepted, random))
    const applied: string[] = []
    const wanted = 1 + Math.floor(random() * 3)
    for (let k = 0; k < 12 && applied.length < wanted; k++) { const e = pick(chosen, random); if (e.apply(d, random, accepted)) applied.push(e.name) }
    if (applied.length === 0) continue
    settle(d, n)
    const xml = toXml(toElement(d))
    tried++
    const answer = await define(xml)
    if ('died' in answer) { died++; diedOn.push({ name: nameOf(n), xml }); continue }
    const daemon = answer
    let predicted: Outcome
    try { predicted = { stored: previewDomain(xml, { qemuCaps: capsFor(xml), abiUpdate: true, qemuConf, firmware, hostArch: sandboxHostArch, ...(sandboxHostPci !== undefined ? { hostPciDevices: sandboxHostPci } : {}), ...(sandboxHostCpuAddressBits() !== undefined ? { hostCpuAddressBits: sandboxHostCpuAddressBits()! } : {}), swtpm: sandboxSwtpm(), qemuRdp: sandboxQemuRdp(), hostEmulators: sandboxEmulators(xml) }).xml } } catch (error) { predicted = { refused: (error as Error).message } }
    let miss: string | undefined
    if ('refused' in daemon && 'refused' in predicted) {
      bothRefused++
      // (libvirt's message carries its error class before the words: "unsupported configuration: …"; preview's
      // may add a hint after them: "…; this QEMU offers e.g. …")
      const words = coreMessage(daemon.refused.replace(/^.*?error: /s, ''))
      if (!daemon.refused.includes(predicted.refused) && !predicted.refused.startsWith(words)) {
        const key = `${predicted.refused.slice(0, 100)}  ⟂  ${daemon.refused.replace(/^.*?error: /s, '').slice(0, 100)}`
        otherWords.set(key, (otherWords.get(key) ?? 0) + 1)
        worded.push({ name: nameOf(n), xml })
      }
    }
    else if ('refused' in daemon) miss = `libvirt refuses, preview takes: ${daemon.refused.replace(/^.*?: /, '')}`
    else if ('refused' in predicted) miss = `preview refuses, libvirt takes: ${predicted.refused}`
    else {
      // (the text byte for byte: a canonical difference first, else the first line apart)
      const diff = daemon.stored === predicted.stored ? '' : firstDifference(pretty(daemon.stored), pretty(predicted.stored)) || `text: ${firstDifference(daemon.stored, predicted.stored)}`
      if (diff === '') same++
      else miss = diff
    }
    if (miss !== undefined) {
      const key = miss.slice(0, 160)
      const list = misses.get(key) ?? []
      list.push({ name: nameOf(n), edits: applied, xml })
      misses.set(key, list)
    }
  }
  return { tried, seeds: accepted.length, same, bothRefused, otherWords, worded, misses, died, diedOn }
}

const pretty = (xml: string) => canonicalize(xml, { comments: false }).replaceAll('><', '>\n<')
const firstDifference = (a: string, b: string) => { const x = a.split('\n'); const y = b.split('\n'); for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `${x[i] ?? '(end)'} | ${y[i] ?? '(end)'}`; return '' }

if (import.meta.url === `file://${process.argv[1]}`) {
  const { toolArgs } = await import('./args.ts')
  const { values: args, positionals } = toolArgs('preview-differential', {
    allowPositionals: true,
    options: { seed: { type: 'string', default: '1' }, keep: { type: 'string' }, arch: { type: 'string', default: 'x86_64' }, edit: { type: 'string' }, misses: { type: 'boolean' }, words: { type: 'boolean' }, seeds: { type: 'string', multiple: true } },
  })
  if (positionals.length > 1 || (positionals[0] !== undefined && !/^[0-9]+$/.test(positionals[0]))) { console.error(`preview-differential: expected one COUNT, got ${positionals.join(' ')}`); process.exit(2) }
  const count = Number(positionals[0] ?? 500)
  const seed = Number(args.seed) || 1
  const keep = args.keep
  const arch = args.arch
  const only = args.edit
  const root = new URL('..', import.meta.url).pathname
  const host = arch === 'x86_64' ? parseDomainCapabilities(virshDomcaps(), 'libvirtd') : undefined
  // (libvirtd writes an architecture's capabilities cache when it is first asked about it)
  if (arch !== 'x86_64') execFileSync('virsh', ['-c', liveUri(), 'domcapabilities', '--virttype', 'qemu', '--arch', arch], { stdio: 'pipe', timeout: 120_000 })
  const caps = parseQemuCaps(cachedCaps(emulatorOf(arch)).text)
  const seeds = differentialSeeds(process.env.VIRTUNED_CORPUS ?? join(root, '../shared/corpus'), join(root, 'fixtures/preview/clients'), host, arch, args.seeds ?? [])
  let conn = await createConnection(liveUri())
  const reconnect = async (): Promise<LibvirtConnection> => {
    await conn.close().catch(() => undefined)
    return (conn = await startLive())
  }
  let result: DifferentialResult
  try { result = await runDifferential(conn, seeds, caps, sandboxQemuConf(), count, seed, only, reconnect) } finally { await conn.close().catch(() => undefined) }
  const missed = [...result.misses.values()].reduce((s, l) => s + l.length, 0)
  console.log(`differential (${arch}, seed ${seed}): ${result.tried} edited domains from ${result.seeds} seeds; ${result.same} the same, ${result.bothRefused} refused by both, ${missed} apart${result.died > 0 ? `; libvirtd died on ${result.died} (brought back)` : ''}`)
  if (keep) { mkdirSync(keep, { recursive: true }); for (const l of result.misses.values()) for (const m of l) writeFileSync(join(keep, `${m.name}.xml`), m.xml); for (const w of result.worded) writeFileSync(join(keep, `words-${w.name}.xml`), w.xml); for (const k of result.diedOn) writeFileSync(join(keep, `died-${k.name}.xml`), k.xml) }
  const worded = [...result.otherWords.values()].reduce((a, b) => a + b, 0)
  console.log(`  of the ${result.bothRefused} refused by both, ${worded} in other words than libvirt's`)
  if (args.words) for (const [k, n] of [...result.otherWords].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${k}`)
  if (args.misses) for (const [k, l] of [...result.misses].sort((a, b) => b[1].length - a[1].length)) console.log(`${String(l.length).padStart(4)}  ${k}\n        ${l.slice(0, 3).map((m) => `${m.name} [${m.edits.join(', ')}]`).join('; ')}`)
}
