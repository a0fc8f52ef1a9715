// In which order libvirt's formatter writes the attributes of each element of a domain, tabulated from what it wrote:
// libvirt's own test outputs (qemuxmlconftest's `domains-out`, every one a `virsh dumpxml` text). The formatter writes
// an element's attributes in the order of its code, whatever order the input gave them, and canonical comparison hides
// that — a user diffing `virsh dumpxml` with preview's text does not. Keyed like model's schema places, by the last
// three element names (`devices/disk/driver`); for each attribute, the ones libvirt wrote before it. A pair never seen
// together (or written both ways) is not constrained: preview keeps the order it was given.
//   npx tsx tools/attribute-orders.ts [--check] [DIR/domains-out …]
// Reads the shared corpus's outputs (libvirt 11.3.0), and those of libvirt 11.3.0's whole suite and of 9.0.0's when
// `tools/libvirt-heldout.ts` has laid them out (node_modules/.cache/libvirt-heldout/corpus, node_modules/.cache/
// libvirt-9.0.0/corpus) — or the directories given. `--check` fails when the committed table differs.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseXml, type Element } from '@virtuned/xml-core'

const root = join(import.meta.dirname, '..')
const out = join(root, 'packages/model/src/libvirt/attribute-orders.ts')
const check = process.argv.includes('--check')
const given = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const dirs = given.length > 0 ? given.map((d) => resolve(d)) : [
  join(root, '../shared/corpus/domains-out'),
  join(root, 'node_modules/.cache/libvirt-heldout/corpus/domains-out'),
  join(root, 'node_modules/.cache/libvirt-9.0.0/corpus/domains-out'),
].filter((d) => existsSync(d))

/** key → attribute → (later attribute → times seen after it), and each attribute's positions (for ties). */
const seen = new Map<string, { after: Map<string, Map<string, number>>; position: Map<string, number[]> }>()
let documents = 0
for (const dir of dirs) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    const root = parseXml(readFileSync(join(dir, file), 'utf8')).children.find((c): c is Element => c.type === 'element')
    if (root?.name !== 'domain') continue
    documents++
    const walk = (e: Element, grandparent: string, parent: string): void => {
      // (what libvirt keeps as written — metadata, other namespaces — is not its formatter's)
      if (e.name === 'metadata' || e.name.includes(':')) return
      const names = Object.keys(e.attributes).filter((a) => !a.includes(':'))
      if (names.length > 0) {
        const key = `${grandparent}/${parent}/${e.name}`
        let entry = seen.get(key)
        if (!entry) seen.set(key, (entry = { after: new Map(), position: new Map() }))
        names.forEach((a, i) => {
          const positions = entry!.position.get(a) ?? []
          positions.push(i)
          entry!.position.set(a, positions)
          const later = entry!.after.get(a) ?? new Map<string, number>()
          for (const b of names.slice(i + 1)) later.set(b, (later.get(b) ?? 0) + 1)
          entry!.after.set(a, later)
        })
      }
      for (const c of e.children) if (c.type === 'element') walk(c, parent, e.name)
    }
    walk(root, '', '')
  }
}

// Where libvirt's test outputs leave pairs apart that clients write together, its formatters' own order (read in
// libvirt 11.3.0's and 9.0.0's sources: domain_conf.c virDomainDiskDefFormatDriver, virDomainVirtioNetDriverFormat,
// virDomainControllerDriverFormat — each closing with virDomainVirtioOptionsFormat's —, virDomainVsockDefFormat, virDomainSoundDefFormat, virDomainCryptoDefFormat, virDomainIOMMUDefFormat, virDomainMemballoonDefFormat, virDomainDeviceInfoFormat, virDomainChrSourceDefFormat, virDomainNetDefFormat's MAC and guest names, networkcommon_conf.c virNetDevIPRouteFormat, virDomainChrSourceReconnectDefFormat, virDomainNetBackendFormat, virDomainControllerDefFormatPCI, nwfilter_params.c virNWFilterFormatParamAttributes, virDomainDiskDefFormat,
// virDomainTimerDefFormat, virDomainDiskSourceFormat, virDomainVideoAccelDefFormat, virDomainNetDefFormat's sources, virDomainDeviceInfoFormat's ROM, virDomainDiskSourceFormatNetwork's hosts, cpu_conf.c virCPUDefFormatBuf's model, storage_source_conf.c virStorageAuthDefFormat, virNetDevBandwidthRateFormat, virDomainGraphicsDefFormat, the `<bios>` and perf events of virDomainDefFormatInternal; virsecret.c virSecretLookupFormatSecret): each
// sequence taken as if seen once, and an output that contradicts one stops the tool. (The pairs left were found by
// `tools/preview-differential.ts --edit shuffle-attributes` against libvirtd 9.0.)
const formatterOrders: Readonly<Record<string, readonly string[]>> = {
  'devices/disk/driver': ['name type cache error_policy rerror_policy io ioeventfd event_idx copy_on_read discard iothread detect_zeroes discard_no_unref queues queue_size iommu ats packed page_per_vq'],
  'devices/interface/driver': ['name txmode ioeventfd event_idx queues rx_queue_size tx_queue_size rss rss_hash_report iommu ats packed page_per_vq'],
  'devices/controller/driver': ['queues cmd_per_lun max_sectors ioeventfd iothread iommu ats packed page_per_vq'],
  // (the devices whose <driver> is the virtio options alone: a vsock's, virDomainVsockDefFormat, and 11.3's sound and crypto
  // devices', virDomainSoundDefFormat, virDomainCryptoDefFormat; an IOMMU's driver: virDomainIOMMUDefFormat — 11.3's DMA
  // translation last; probes h58-ord-…, libvirtd 9.0)
  ...Object.fromEntries(['devices/vsock/driver', 'devices/sound/driver', 'devices/crypto/driver'].map((key) => [key, ['iommu ats packed page_per_vq']])),
  'devices/iommu/driver': ['intremap caching_mode eim iotlb aw_bits dma_translation'],
  // (a device's address by its type, virDomainDeviceInfoFormat — the type, then PCI's domain, bus, slot, function and
  // multifunction, a drive's controller, bus, target and unit, a virtio-serial port's controller, bus and port, a CCID
  // slot's controller and slot, USB's bus and port, sPAPR VIO's register, CCW's cssid, ssid and devno, ISA's I/O base and
  // IRQ, a DIMM's slot and base —, and its boot order before the load parameter; every device's: libvirt's outputs show
  // some types on some devices only — probes h58-rev-…, each probe of five files written with its attributes reversed,
  // libvirtd 9.0)
  ...Object.fromEntries(['disk', 'controller', 'filesystem', 'interface', 'input', 'sound', 'video', 'hostdev', 'watchdog', 'memballoon', 'rng', 'tpm', 'nvram', 'hub', 'redirdev', 'smartcard', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'crypto', 'pstore', 'serial', 'parallel', 'channel', 'console'].flatMap((kind) => [
    [`devices/${kind}/address`, ['type domain bus slot function multifunction', 'type controller bus target unit', 'type controller bus port', 'type controller slot', 'type bus port', 'type reg', 'type cssid ssid devno', 'type iobase irq', 'type slot base']],
    [`devices/${kind}/boot`, ['order loadparm']],
  ])),
  // (a character device's source and log, virDomainChrSourceDefFormat — an nmdm pair's master before its slave, a TCP
  // source's mode, host, service and TLS switch, the log's file before its append switch: on the four character devices,
  // a smartcard, a redirected USB device and an EGD backend; probes h58-rev-…, libvirtd 9.0)
  ...Object.fromEntries(['devices/serial', 'devices/parallel', 'devices/channel', 'devices/console', 'devices/smartcard', 'devices/redirdev', 'rng/backend'].flatMap((at) => [
    [`${at}/source`, ['master slave', 'mode host service tls', 'path append', 'mode path']],
    [`${at}/log`, ['file append']],
  ])),
  // (a character device source's reconnect: virDomainChrSourceReconnectDefFormat — enabled, then the timeout)
  ...Object.fromEntries(['serial', 'parallel', 'channel', 'console', 'smartcard', 'redirdev', 'interface', 'backend'].map((at) => [`${at}/source/reconnect`, ['enabled timeout']])),
  // (an interface's back end, virDomainNetBackendFormat — 11's type, then the tap and vhost devices and the log file; a
  // filter reference's parameters, name then value — virNWFilterFormatParamAttributes; a host device interface's source
  // address, USB's bus before its device — its type first: probes h58-rev-…, libvirtd 9.0)
  'devices/interface/backend': ['type tap vhost logFile'],
  'interface/filterref/parameter': ['name value'],
  'interface/source/address': ['type bus device'],
  // (a PCI controller's target: virDomainControllerDefFormatPCI — chassisNr, chassis, port, busNr, index, hotplug, then
  // 11's memReserve; probe h58-rev-…, libvirtd 9.0)
  'devices/controller/target': ['chassisNr chassis port busNr index hotplug memReserve'],
  // (an interface's MAC address, its type and check; the guest-side name, then the actual one; a route's family, address,
  // netmask or prefix, gateway and metric, virNetDevIPRouteFormat — on an interface, its source, a host device: probes
  // h58-rev-…, libvirtd 9.0)
  'devices/interface/mac': ['address type check'],
  'devices/interface/guest': ['dev actual'],
  ...Object.fromEntries(['devices/interface/route', 'interface/source/route', 'devices/hostdev/route'].map((key) => [key, ['family address netmask prefix gateway metric']])),
  // (a balloon: virDomainMemballoonDefFormat — its model, then the deflate-on-OOM and free page reporting switches;
  // probe h58-ord-bal, libvirtd 9.0)
  'domain/devices/memballoon': ['model autodeflate freePageReporting'],
  'domain/devices/disk': ['type device model rawio sgio snapshot'],
  // (a storage source by its type: virDomainDiskSourceFormat, a network one's virDomainDiskSourceFormatNetwork, NVMe's and
  // vhost-user's; the startup policy after a local one's — on a disk's source, a backing store's and an NVRAM's)
  ...Object.fromEntries(['devices/disk/source', 'disk/backingStore/source', 'backingStore/backingStore/source', 'os/nvram/source'].map((key) => [key, [
    'pool volume mode startupPolicy', 'file fdgroup startupPolicy', 'dev startupPolicy', 'dir startupPolicy', 'protocol name query tls tlsHostname', 'type managed namespace', 'type path',
  ]])),
  'domain/clock/timer': ['name present tickpolicy track frequency mode'],
  'domain/os/bios': ['useserial rebootTimeout'],
  'domain/perf/event': ['name enabled'],
  // (a display by its type: virDomainGraphicsDefFormat, the password last — virDomainGraphicsAuthDefFormatAttr)
  'domain/devices/graphics': [
    'type socket port autoport websocket listen keymap sharePolicy powerControl passwd passwdValidTo connected',
    'type port tlsPort autoport listen keymap defaultMode passwd passwdValidTo connected',
  ],
  // (an input: virDomainInputDefFormat — its type, bus, then model; probe h49-im-pt-nobus-virtio, libvirtd 9.0)
  'domain/devices/input': ['type bus model'],
  // (a filesystem, its driver: virDomainFSDefFormat — the model and multidevs before the file and directory modes, the
  // driver's format and write policy before its queue, then the virtio options; a host device: virDomainHostdevDefFormat
  // — sgio and rawio after managed, before the model —, a USB one's source: virDomainHostdevDefFormatSubsysUSB — the
  // startup policy before the guest reset; probes h40-o-…, libvirtd 9.0)
  'domain/devices/filesystem': ['type accessmode model multidevs fmode dmode'],
  'devices/filesystem/driver': ['type format wrpolicy queue iommu ats packed page_per_vq'],
  'domain/devices/hostdev': ['mode type managed sgio rawio model display ramfb'],
  'devices/hostdev/source': ['startupPolicy guestReset'],
  // (an interface: virDomainNetDefFormat — a host device's managed before the RX filter trust; probe h40-y1-h84)
  'domain/devices/interface': ['type managed trustGuestRxFilters'],
  // (a device's ROM: virDomainDeviceInfoFormat — enabled, bar, file; on an interface and a host device; probe
  // h45-rom-enabled-yes-file, libvirtd 9.0)
  'devices/interface/rom': ['enabled bar file'],
  'devices/hostdev/rom': ['enabled bar file'],
  // (a bandwidth's rates: virNetDevBandwidthRateFormat, netdev_bandwidth_conf.c — average, peak, floor, burst)
  'interface/bandwidth/inbound': ['average peak floor burst'],
  'interface/bandwidth/outbound': ['average peak floor burst'],
  // (an interface's source by its type: virDomainNetDefFormat)
  'devices/interface/source': ['network portgroup portid', 'type path mode', 'address port', 'dev mode', 'switchid portid portgroupid connectionid'],
  ...Object.fromEntries(['disk/auth/secret', 'source/auth/secret', 'disk/encryption/secret', 'source/encryption/secret'].map((key) => [key, ['type uuid', 'type usage']])),
  // (a network source's hosts: virDomainDiskSourceFormatNetwork — name, port, transport, socket; a guest CPU's model:
  // virCPUDefFormatBuf — fallback, vendor_id; seen on libvirtd 9.0)
  ...Object.fromEntries(['disk/source/host', 'backingStore/source/host', 'nvram/source/host'].map((key) => [key, ['name port transport socket']])),
  'domain/cpu/model': ['fallback vendor_id'],
  // (an <auth>'s type before its user name: virStorageAuthDefFormat — on a disk, its source, a backing store's, an iSCSI
  // host device's; seen on libvirtd 9.0)
  ...Object.fromEntries(['devices/disk/auth', 'disk/source/auth', 'backingStore/source/auth', 'hostdev/source/auth'].map((key) => [key, ['type username']])),
  // (a video model's acceleration: virDomainVideoAccelDefFormat — seen on libvirtd 9.0)
  'video/model/acceleration': ['accel3d accel2d rendernode'],
  // (an audio backend by its type: virDomainAudioDefFormat — its ID, type and timer period, then an OSS one's switches and
  // DSP policy, PulseAudio's server, SDL's driver, a file's path; each direction's common settings, then the type's own
  // (virDomainAudioCommonFormat: ALSA's device, JACK's names, ports and exact-name switch, OSS's device, buffer count and
  // poll switch, PulseAudio's names and latency) — probe h25-fz2-au-301, libvirtd 9.0)
  'domain/devices/audio': ['id type timerPeriod tryMMap exclusive dspPolicy', 'id type timerPeriod serverName', 'id type timerPeriod driver', 'id type timerPeriod path'],
  ...Object.fromEntries(['devices/audio/input', 'devices/audio/output'].map((key) => [key, [
    'mixingEngine fixedSettings voices bufferLength dev', 'mixingEngine fixedSettings voices bufferLength bufferCount',
    'mixingEngine fixedSettings voices bufferLength serverName clientName connectPorts exactName',
    'mixingEngine fixedSettings voices bufferLength dev bufferCount tryPoll', 'mixingEngine fixedSettings voices bufferLength name streamName latency',
  ]])),
}
for (const [key, sequences] of Object.entries(formatterOrders)) {
  for (const sequence of sequences) {
    const names = sequence.split(' ')
    let entry = seen.get(key)
    if (!entry) seen.set(key, (entry = { after: new Map(), position: new Map() }))
    names.forEach((a, i) => {
      for (const b of names.slice(i + 1)) {
        if ((entry!.after.get(b)?.get(a) ?? 0) > 0) throw new Error(`attribute-orders: libvirt's outputs write ${b} before ${a} at ${key}, its formatter's order the other way`)
        const later = entry!.after.get(a) ?? new Map<string, number>()
        later.set(b, (later.get(b) ?? 0) + 1)
        entry!.after.set(a, later)
      }
      if (!entry!.position.has(a)) entry!.position.set(a, [i])
    })
  }
}

/**
 * Per key: its attributes (in an order no output contradicts) and, for each, the ones libvirt wrote before it (their
 * places in that list; a pair never seen together, or seen both ways, gets no constraint: preview keeps it as written).
 */
const rows: [key: string, order: string[], before: number[][]][] = []
let free = 0
for (const [key, { after, position }] of [...seen].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  const names = [...position.keys()]
  const count = (a: string, b: string): number => after.get(a)?.get(b) ?? 0
  // a → b when libvirt wrote a before b and never the other way
  const edges = new Map<string, Set<string>>(names.map((n) => [n, new Set()]))
  const incoming = new Map<string, number>(names.map((n) => [n, 0]))
  for (const a of names) for (const b of names) {
    if (a >= b) continue
    const ab = count(a, b), ba = count(b, a)
    if (ab > 0 && ba > 0) free++
    else if (ab > 0) { edges.get(a)!.add(b); incoming.set(b, incoming.get(b)! + 1) }
    else if (ba > 0) { edges.get(b)!.add(a); incoming.set(a, incoming.get(a)! + 1) }
  }
  // Kahn's order, among the ready ones the one libvirt writes earliest on average
  const mean = (n: string): number => { const p = position.get(n)!; return p.reduce((s, x) => s + x, 0) / p.length }
  const order: string[] = []
  const ready = names.filter((n) => incoming.get(n) === 0)
  while (ready.length > 0) {
    ready.sort((a, b) => mean(a) - mean(b) || (a < b ? -1 : 1))
    const n = ready.shift()!
    order.push(n)
    for (const m of edges.get(n)!) { incoming.set(m, incoming.get(m)! - 1); if (incoming.get(m) === 0) ready.push(m) }
  }
  if (order.length !== names.length) throw new Error(`attribute-orders: the orders seen at ${key} are circular`)
  if (order.length < 2) continue
  // (each attribute's direct predecessors, less those another of them follows: the reader restores the rest)
  const closure: Set<number>[] = []
  const before = order.map((b, k) => {
    const direct = order.flatMap((a, i) => (edges.get(a)!.has(b) ? [i] : []))
    closure[k] = new Set(direct.flatMap((i) => [i, ...closure[i]!]))
    return direct.filter((i) => !direct.some((j) => j !== i && closure[j]!.has(i)))
  })
  rows.push([key, order, before])
}

const text = `// Generated by tools/attribute-orders.ts from libvirt's test outputs (${documents} documents, libvirt 11.3.0 and 9.0.0): do not edit.
// Per element (by grandparent, parent and name): its attributes, and for each (\`;\`-separated, in that order) the places
// of the ones libvirt's formatter wrote before it (space-separated).
export const attributeOrderRows: readonly (readonly [key: string, attributes: string, before: string])[] = [
${rows.map(([key, order, before]) => `  [${JSON.stringify(key)}, ${JSON.stringify(order.join(' '))}, ${JSON.stringify(before.map((b) => b.join(' ')).join(';'))}],`).join('\n')}
]
`
if (check) {
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) { console.error(`attribute-orders: ${out} is not what libvirt's outputs give; run tools/attribute-orders.ts`); process.exit(1) }
  console.log(`attribute-orders: ${out} is up to date (${rows.length} elements, ${documents} documents)`)
} else {
  writeFileSync(out, text)
  console.log(`attribute-orders: ${rows.length} elements (${free} pairs written both ways), from ${documents} documents in ${dirs.length} directories → ${out} (${text.length} bytes)`)
}
