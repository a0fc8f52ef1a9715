// Devices libvirt refuses at define (private; see _refusal.ts): disks, host devices, IOMMUs, character
// devices, graphics, network interfaces, USB and PCI placement…, each with libvirt's words and where libvirt
// checks it. Rows read the domain as written (libvirt validates after post-parse and address assignment:
// a row that depends on an address libvirt would assign looks at what decides that address instead).
import { bandwidthRateLimits11, deviceIterateOrder, qemuDeviceFlags, spaprVioAssignedKinds, attributeReads, attributeReadProblem, chrTargetTypeNumber, chrSourceLabels, chrSourceCompared, childrenByType, readCUnsigned, readLibvirtMemory, readMacAddress, busFromTarget, readCUnsignedLongLong, controllerModels, deviceNames, diskPrefixes, parseDiskName, diskNameParses, readCInt, readCInteger, readLibvirtInteger, readLibvirtScaled, readScaledBytes, readUuid, encryptionFormats9, watchdogModels9, isChannelName, formatMacAddress, serialTargetModelTypes, iothreadPostParseModels, serialTargetAddressTypes, serialTargetHomes, type SerialTargetHome, diskIotuneLimits, filesystemSourceAttributes, canonicalIpAddress, numericIpAddress, ipv4Value, ipv6Words, iscsiNameWithLun, netModelNames, storedNetModel, virtualPortParameters, readUsbDeviceVersion, readUsbPort, pciAddressProblem, conditionValue, hostdevNicSourceType, loadparmAsRead, addressUnionWords, diskInquiryLimit, diskInquiryBuses } from '@virtuned/model'
import { tpmEmulatorVersion, supportsI8042, x2apicIommuPlan, arch, defaultNetModel, panicModelOf, defaultScsiModel, defaultSerialTargetType, defaultSerialModel, machineFamilyOf, serialTargetTypeAfterPostParse, defaultVideoType, defaultInputBus, videoTypeUnset, videoCleared, videoSizesAfterPostParse, primaryVideo, devices, virtioNetModels, has, isArmVirt, isGeneratedChannelPath, isI440fx, isLibvirt9, isPSeries, isQ35, isS390, isX86, machineName, udpEnds, type PreviewContext, audioIdsAtValidation, audioTypeAtValidation } from './_context.ts'
import { child, firstTextIn, kids, node, textIn, type N } from './_node.ts'
import { cpuMaskLength, parseBitmap } from './_bitmap.ts'
import { cpuTopologyOverflows, devicesOfKind, readBytesValue, readSpaceLimit, rowDevices, rowScope, type Refusal } from './_refusal.ts'
import { labelledSourcesProblem, relabelConflict, sourceLabelsProblem } from './_seclabels.ts'
import { addressMadeDimm, addressTypeAtValidation, vfioApAddressDropped, assignedDriveAddress, diskIndex, chipsetFunction, defaultBusModel, defaultPciModelName, deviceInfoProblem, primedAddressType, supportsPci, virtioSerialControllerMissing } from './_pci.ts'
import { idmapNumber } from './_refusals-domain.ts'
import { hostdevScsiControllerCalls, hostdevScsiControllerOf, indexesOf, insertController } from './_controllers.ts'

/** UTF-8, to count bytes as C's strlen does. */
const utf8 = new TextEncoder()

/** The controller types libvirt reads (model's attributeReads: virDomainControllerType). */
const controllerTypes: ReadonlySet<string> = new Set(attributeReads.get('devices/controller')!.find(([attribute]) => attribute === 'type')![2]!.values!)

/** Whether a filesystem's file or directory mode is set: written, read (octal) and not 0 (virDomainFSDefParseXML). */
const fileModeSet = (value: string | undefined): boolean => {
  const octal = value === undefined ? null : /^[\t\n\v\f\r ]*\+?([0-7]+)$/.exec(value)
  return value !== undefined && (octal === null || Number.parseInt(octal[1]!, 8) !== 0)
}
/** The interface types QEMU sets an MTU on (qemuDomainNetSupportsMTU). */
const mtuTypes: ReadonlySet<string> = new Set(['network', 'bridge', 'ethernet', 'vhostuser'])
/** The devices whose sources carry security labels libvirt reads. */
const labelledKinds = ['disk', 'serial', 'parallel', 'console', 'channel']

type Found = { message: string; path: string; code?: Refusal['code'] } | undefined

/**
 * Each device's place among the devices of its kind, for the last device list asked about (made once per list and
 * length). One entry, not a WeakMap keyed by the list: V8's scavenger kept the entries' values — every device of every
 * preview — alive past two minor GCs (~1.5 MB promoted per scavenge, 3 ms pauses instead of 0.5: `--trace-gc-nvp`).
 */
let places: { readonly list: readonly N[]; readonly length: number; readonly at: Map<N, number> } | undefined

/** `domain/devices/NAME[k]`: the device's place among the devices of its kind (1-based). */
/**
 * A device whose written address post-parse replaces before validation sees it: a USB hub takes a USB port whatever
 * address it had, a virtio channel a virtio-serial port (qemuDomainAssignUSBHubs: virDomainUSBAddressAssign when it has no USB one), the primary video of
 * model none is cleared, its address with it (virDomainDefPostParseVideo) — libvirtd 9.0 takes either with a CCW or
 * an unassigned address on x86.
 */
function addressReplacedInPostParse(ctx: PreviewContext, d: N): boolean {
  if (vfioApAddressDropped(ctx, d)) return true
  if (d.name === 'hub') return d.attrs.type === 'usb' && child(d, 'address')?.attrs.type !== 'usb'
  // (a virtio channel takes a virtio-serial port unless it has one: qemuDomainAssignVirtioSerialAddresses,
  // virDomainVirtioSerialAddrIsComplete — a virtio console keeps a CCW address, and is refused for it: libvirtd 9.0)
  if (d.name === 'channel' && child(d, 'target')?.attrs.type === 'virtio') return child(d, 'address')?.attrs.type !== 'virtio-serial'
  // (a serial console without a serial port becomes serial 0, and a pSeries serial port an sPAPR VIO one whatever address
  // it had: virDomainDefAddConsoleCompat, qemuDomainAssignSpaprVIOAddresses — libvirtd 9.0)
  if (d.name === 'console' && isPSeries(ctx) && devicesOfKind(ctx, 'serial').length === 0 && devicesOfKind(ctx, 'console')[0] === d) {
    const type = child(d, 'target')?.attrs.type
    return (type === undefined || type === 'serial') && child(d, 'address')?.attrs.type !== 'spapr-vio'
  }
  return d.name === 'video' && videoCleared(devicesOfKind(ctx, 'video'), d)
}

function placeOf(list: readonly N[], d: N): string {
  let known = places
  if (known === undefined || known.list !== list || known.length !== list.length) {
    const at = new Map<N, number>()
    const counts = new Map<string, number>()
    for (const x of list) { const k = (counts.get(x.name) ?? 0) + 1; counts.set(x.name, k); at.set(x, k) }
    places = known = { list, length: list.length, at }
  }
  return `domain/devices/${d.name}[${known.at.get(d) ?? 0}]`
}

/**
 * virSecretLookupParseSecret: a `<secret>` names its secret by UUID or by usage, one of the two, a UUID as virUUIDParse
 * reads it (model's readUuid) — the same in 9.0 and 11.3.
 */
function secretLookupProblem(secret: N, path: string): { message: string; path: string; code: 'preview-invalid-value' } | undefined {
  const { uuid, usage } = secret.attrs
  if (uuid === undefined && usage === undefined) return { message: 'missing secret uuid or usage attribute', path, code: 'preview-invalid-value' }
  if (uuid !== undefined && usage !== undefined) return { message: 'either secret uuid or usage expected', path, code: 'preview-invalid-value' }
  if (uuid !== undefined && readUuid(uuid) === undefined) return { message: `invalid secret uuid '${uuid}'`, path: `${path}/@uuid`, code: 'preview-invalid-value' }
  return undefined
}

/**
 * virStorageAuthDefParse: an `<auth>` names its user, a type of its names (an empty one is none) and a `<secret>` named by
 * UUID or usage — a disk's, a network NVRAM store's, an iSCSI host device's (libvirtd 9.0's words).
 */
function storageAuthProblem(auth: N, where: string): { message: string; path: string; code: 'preview-invalid-value' | 'preview-refused' } | undefined {
  if (!auth.attrs.username) return { code: 'preview-invalid-value', message: 'missing username for auth', path: `${where}/@username` }
  const type = auth.attrs.type
  if (type !== undefined && type !== '' && !(deviceNames.authTypes as readonly string[]).includes(type)) return { code: 'preview-refused', message: `unknown auth type '${type}'`, path: `${where}/@type` }
  const secret = child(auth, 'secret')
  if (!secret) return { code: 'preview-invalid-value', message: 'Missing <secret> element in auth', path: `${where}/secret` }
  return secretLookupProblem(secret, `${where}/secret`)
}

/**
 * qemuValidateCheckSCSIControllerIOThreads, in libvirt's words: a virtio-scsi controller with an I/O thread is a virtio PCI
 * or CCW one (its address type as validation sees it: the one written, or the virtio-mmio one post-parse gave it — an
 * ARM vexpress board's, an ARM virt domain's with a device written on virtio-mmio; probe h52-ar-…), and names a thread
 * the domain has.
 */
function scsiIothreadAddressProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const address = child(d, 'address')?.attrs.type ?? primedAddressType(ctx, d)
  return address !== undefined && address !== 'none' && address !== 'pci' && address !== 'ccw'
    ? { message: 'virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers', path: `${placeOf(list, d)}/address/@type` } : undefined
}
/**
 * libvirt 11's qemuDomainValidateIothreadMapping: a disk's or a virtio-scsi controller's `<iothreads>` mapping over its
 * `queues` — queues counted when the first thread maps some; each thread once, one the domain has, every thread mapping
 * queues or none; each queue in range, once; every queue mapped (seen on libvirtd 11.3).
 */
function iothreadMappingProblem(ctx: PreviewContext, driver: N | undefined, at: string): Found {
  const threads = kids(child(driver, 'iothreads'), 'iothread')
  if (threads.length === 0) return undefined
  const path = `${at}/driver/iothreads`
  const queueCount = uint(driver!.attrs.queues, 10) ?? 0
  const mapsQueues = (t: N): boolean => kids(t, 'queue').length > 0
  const mapped: boolean[] | undefined = mapsQueues(threads[0]!) ? [] : undefined
  if (mapped && queueCount === 0) return { message: "'queue' count must be configured for explicit iothread to queue mapping", path }
  const seen = new Set<number>()
  for (const t of threads) {
    const id = uint(t.attrs.id, 10) ?? 0
    if (seen.has(id)) return { message: `duplicate mapping for iothread '${id}'`, path }
    seen.add(id)
    if (!iothreadIds(ctx).has(id)) return { message: `iothread '${id}' not defined in iothreadid`, path }
    if ((mapped !== undefined) !== mapsQueues(t)) return { message: 'iothread to queue mapping must be provided for all iothreads or for none', path }
    for (const q of kids(t, 'queue')) {
      const queue = uint(q.attrs.id, 10) ?? 0
      if (queue >= queueCount) return { message: `iothread queue '${queue}' mapping out of range`, path }
      if (mapped![queue]) return { message: `iothread queue '${queue}' is already assigned`, path }
      mapped![queue] = true
    }
  }
  if (mapped) for (let queue = 0; queue < queueCount; queue++) if (!mapped[queue]) return { message: `missing iothread mapping for queue '${queue}'`, path }
  return undefined
}
const controllerIothreadUndefined = (d: N, list: readonly N[], id: number): Found => ({ message: `controller iothread '${id}' not defined in iothreadid`, path: `${placeOf(list, d)}/driver/@iothread` })

/** An unsigned number as libvirt's parsers read it (base 0: `0x` hex, leading `0` octal), or `undefined`. */
function uint(text: string | undefined, base: 0 | 10 | 16 = 0): number | undefined {
  if (text === undefined) return undefined
  const read = readCInteger(text, base)
  return read && !read.negative ? read.magnitude : undefined
}

/**
 * What qemuValidateDomainDeviceDefControllerPCI lets each PCI controller model have, option by option in its order:
 * `take` lists the models an option is valid for (a PHB's target index and NUMA node, a 64-bit PCI hole on the root
 * buses, a pci-bridge's chassisNr…); on any other model a written one is refused. memReserve came with libvirt 11.
 */
const pciControllerOptions: readonly { readonly option: string; readonly take: readonly string[]; readonly read: (c: N) => boolean; readonly since11?: true }[] = [
  { option: 'busNr', take: ['pci-expander-bus', 'pcie-expander-bus'], read: (c) => child(c, 'target')?.attrs.busNr !== undefined },
  { option: 'numaNode', take: ['pci-expander-bus', 'pcie-expander-bus', 'pci-root'], read: (c) => numaNodeOf(c) !== undefined },
  { option: 'chassisNr', take: ['pci-bridge'], read: (c) => child(c, 'target')?.attrs.chassisNr !== undefined },
  { option: 'chassis', take: ['pcie-root-port', 'pcie-switch-downstream-port'], read: (c) => child(c, 'target')?.attrs.chassis !== undefined },
  { option: 'port', take: ['pcie-root-port', 'pcie-switch-downstream-port'], read: (c) => child(c, 'target')?.attrs.port !== undefined },
]
const { pciHotplug: pciHotplugFlags, pciModelNames, pciModelNameFlags } = qemuDeviceFlags
const knownPciModelNames: ReadonlySet<string> = new Set(['none', ...Object.values(pciModelNames).flat()])

/** A PCI controller's `<target><node>` as virXPathInt reads it, or `undefined` (none, or not a number: the parser refuses that). */
function numaNodeOf(c: N): number | undefined {
  const text = textIn(child(child(c, 'target'), 'node'))
  return text === '' ? undefined : uint(text, 10)
}

/** The first of qemuValidateDomainDeviceDefControllerPCI's refusals for one PCI controller, in its order (libvirt's words). */
function pciControllerProblem(ctx: PreviewContext, c: N, index: number): Found {
  const model = c.attrs.model
  const names = model === undefined ? undefined : pciModelNames[model]
  if (model === undefined || names === undefined) return undefined
  // (a machine without PCI — an ARM board but virt and versatilepb — has no addresses assigned, and its controllers no
  // defaults: no model name, chassis, port, chassisNr nor busNr but those written — libvirtd 9.0, probes h26-o-*)
  const assigned = supportsPci(ctx)
  const missing = (option: string, modelName: string): Found => ({ code: 'preview-refused', message: `Required option '${option}' is not set for PCI controller with index '${index}', model '${model}' and modelName '${modelName}'`, path: `domain/devices/controller[@type='pci'][@index='${index}']` })
  if (c.children.length === 0) {
    // (nothing written but the model: its index, and the QEMU device its default model name is)
    const root = model === 'pci-root' || model === 'pcie-root'
    const named = assigned ? defaultPciModelName(ctx, model) : undefined
    if (!root && named === undefined) return missing('modelName', 'none')
    if (!root && index === 0) return { message: `Index for '${model}' controllers must be > 0`, path: `domain/devices/controller[@type='pci'][@index='${index}']/@index` }
    if (root && named === undefined && index !== 0) return { message: `Index for '${model}' controllers must be 0`, path: `domain/devices/controller[@type='pci'][@index='${index}']/@index` }
    return named !== undefined && !has(ctx, pciModelNameFlags[named] ?? named) ? { message: `The '${named}' device is not supported by this QEMU binary`, path: `domain/devices/controller[@type='pci'][@index='${index}']/model/@name` } : undefined
  }
  const written = child(c, 'model')?.attrs.name
  // (a name libvirt does not know is the parser's to refuse)
  if (written !== undefined && !knownPciModelNames.has(written)) return undefined
  const modelName = written === undefined || written === 'none' ? (assigned ? defaultPciModelName(ctx, model) : undefined) ?? 'none' : written
  const base = `domain/devices/controller[@type='pci'][@index='`
  const invalid = (option: string, at: string): Found => ({ message: `Option '${option}' is not valid for PCI controller with index '${index}', model '${model}' and modelName '${modelName}'`, path: `${base}${index}']/${at}` })
  const root = model === 'pci-root' || model === 'pcie-root'
  const phb = model === 'pci-root' && modelName === 'spapr-pci-host-bridge'
  // the model name: none on pcie-root, nor on a pci-root but pSeries'; else one its model allows
  if (modelName !== 'none') {
    if (model === 'pcie-root' || (model === 'pci-root' && !isPSeries(ctx))) return invalid('modelName', 'model/@name')
    if (!names.includes(modelName)) return { message: `Option 'modelName' has invalid value for PCI controller with index '${index}', model '${model}' and modelName '${modelName}'`, path: `${base}${index}']/model/@name` }
  } else if (!root) return missing('modelName', modelName)
  if (!root && index === 0) return { message: `Index for '${model}' controllers must be > 0`, path: `${base}${index}']/@index` }
  if (root && !phb && index !== 0) return { message: `Index for '${model}' controllers must be 0`, path: `${base}${index}']/@index` }
  const target = child(c, 'target')
  if (target?.attrs.index !== undefined && !phb) return invalid('targetIndex', 'target/@index')
  // (the parser reads a 64-bit hole on the root buses only: on another model it is never set)
  if (root && child(c, 'pcihole64') && (model === 'pci-root' ? !isI440fx(ctx) : !isQ35(ctx))) return { message: `Setting the 64-bit PCI hole size is not supported for machine '${machineName(ctx)}'`, path: `${base}${index}']/pcihole64` }
  for (const o of pciControllerOptions) {
    if (!o.read(c)) {
      // (an option its model needs, not written, is missing where libvirt set no default; a NUMA node is never needed)
      if (!assigned && o.option !== 'numaNode' && o.take.includes(model)) return missing(o.option, modelName)
      continue
    }
    // (a PHB takes a NUMA node but the default one, of target index 0; another pci-root none)
    const refused = o.option === 'numaNode' && model === 'pci-root' ? !phb || (target?.attrs.index === undefined ? index === 0 : uint(target.attrs.index) === 0) : !o.take.includes(model)
    if (refused) return invalid(o.option, o.option === 'numaNode' ? 'target/node' : `target/@${o.option}`)
  }
  if (target?.attrs.hotplug !== undefined) {
    const flag = pciHotplugFlags[model]
    if (flag === undefined) return invalid('hotplug', 'target/@hotplug')
    if (!has(ctx, flag)) return { message: `setting the 'hotplug' property on a '${model === 'pci-root' ? 'pci-root' : modelName}' device is not supported by this QEMU binary`, path: `${base}${index}']/target/@hotplug` }
  }
  if (!isLibvirt9(ctx) && target?.attrs.memReserve !== undefined && model !== 'pcie-root-port' && model !== 'pci-bridge') return invalid('memReserve', 'target/@memReserve')
  if (modelName !== 'none' && !has(ctx, pciModelNameFlags[modelName] ?? modelName)) return { message: `The '${modelName}' device is not supported by this QEMU binary`, path: `${base}${index}']/model/@name` }
  if (phb && numaNodeOf(c) !== undefined && !has(ctx, 'spapr-pci-host-bridge.numa_node')) return { message: `Option 'numaNode' is not supported by '${modelName}' device with this QEMU binary`, path: `${base}${index}']/target/node` }
  return undefined
}

/** The address types each host device subsystem takes (virDomainHostdevDefValidate; none: any), with libvirt's words. */
const hostdevAddressTypes: Readonly<Record<string, { readonly types: readonly string[]; readonly message: string }>> = {
  pci: { types: ['pci', 'unassigned'], message: "PCI host devices must use 'pci' or 'unassigned' address type" },
  scsi: { types: ['drive'], message: "SCSI host device must use 'drive' address type" },
  scsi_host: { types: ['pci', 'ccw'], message: "SCSI_host host device must use 'pci' or 'ccw' address type" },
  usb: { types: ['usb'], message: "USB host device must use 'usb' address type" },
}

/** A TCP character device's protocol libvirt does not know, in its words: 9.0's own, 11.3's virXMLPropEnum's (seen on libvirtd 11.3). */
export const chrTcpProtocolProblem = (protocol: string, v9: boolean): string => v9 ? `Unknown protocol '${protocol}'` : `Invalid value for attribute 'type' in element 'protocol': '${protocol}'.`

/** The network disk protocols whose source reads a readahead size and a timeout. */
export const webProtocols: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ftps'])



/**
 * A volume source's mode libvirt does not take (virDomainDiskSourcePoolDefParse), in its words: 9.0's own, 11.3's
 * virXMLPropEnum's (NONZERO: `default` too; seen on libvirtd 11.3).
 */
const volumeModeProblem = (mode: string, v9: boolean): string => v9 ? `unknown source mode '${mode}' for volume type disk` : `Invalid value for attribute 'mode' in element 'source': '${mode}'.`

/**
 * A vhost SCSI host device's protocol left out (virDomainHostdevSubsysSCSIVHostDefParseXML), in its words: 9.0's own,
 * 11.3's virXMLPropEnum's (REQUIRED; seen on libvirtd 11.3).
 */
const scsiHostProtocolMissing = (v9: boolean): string => v9 ? 'Missing scsi_host subsystem protocol' : "Missing required attribute 'protocol' in element 'source'"

/**
 * A storage source's first host port that virStringParsePort refuses (a decimal up to 65535), or the host's own problem
 * read before it, in the release's words (`v9`: libvirt 9.0's).
 */
function hostPortProblem(source: N | undefined, path: () => string, v9: boolean): Found {
  if (source === undefined) return undefined
  for (const host of source.children) {
    if (host.name !== 'host') continue
    // (virDomainStorageNetworkParseHost: a transport of its enumeration — TCP when none —, a socket for UNIX's alone, a
    // name for the others, then the port; a host path is the port path's element. libvirt 11.3 reads the transport with
    // virXMLPropEnumDefault — its words, and a socket beside no transport named at TCP's; seen on libvirtd 11.3)
    const hostPath = (): string => path().replace(/\/@port$/, '')
    const transport = host.attrs.transport
    if (!v9) {
      // (11.3: the transport read with virXMLPropEnumDefault — `fd` one of its names, refused for a disk's hosts —, then by
      // transport: a UNIX one's socket; a TCP or RDMA one's socket refused naming the transport, then its port, then its
      // name — seen on libvirtd 11.3)
      const read = transport ?? 'tcp'
      if (!['tcp', 'unix', 'rdma', 'fd'].includes(read)) return { code: 'preview-invalid-value', message: `Invalid value for attribute 'transport' in element 'host': '${read}'.`, path: `${hostPath()}/@transport` }
      if (read === 'unix') {
        if (host.attrs.socket === undefined) return { message: 'missing socket for unix transport', path: hostPath() }
        continue
      }
      if (read === 'fd') return { message: "transport 'fd' is now allowed", path: `${hostPath()}/@transport` }
      if (host.attrs.socket !== undefined) return { message: `transport '${read}' does not support socket attribute`, path: `${hostPath()}/@socket` }
      const port = host.attrs.port
      const problem = port === undefined ? undefined : portProblem(port, path)
      if (problem) return problem
      if (host.attrs.name === undefined) return { message: 'missing name for host', path: hostPath() }
      continue
    }
    if (transport !== undefined && transport !== 'tcp' && transport !== 'unix' && transport !== 'rdma') return { code: 'preview-refused', message: `unknown protocol transport type '${transport}'`, path: `${hostPath()}/@transport` }
    if (transport === 'unix' && host.attrs.socket === undefined) return { message: 'missing socket for unix transport', path: hostPath() }
    if (transport !== 'unix' && host.attrs.socket !== undefined) return { message: `transport '${transport ?? (v9 ? '(null)' : 'tcp')}' does not support socket attribute`, path: `${hostPath()}/@socket` }
    if (transport === 'unix') continue
    if (host.attrs.name === undefined) return { message: 'missing name for host', path: hostPath() }
    const port = host.attrs.port
    const problem = port === undefined ? undefined : portProblem(port, path)
    if (problem) return problem
  }
  return undefined
}

/** virStringParsePort's refusal of a port (a decimal up to 65535). */
function portProblem(port: string, path: () => string): Found {
  const read = readCInteger(port, 10)
  if (!read || read.negative) return { message: `failed to parse port number '${port}'`, path: path() }
  if (read.magnitude > 65535) return { message: `port '${port}' out of range`, path: path() }
  return undefined
}

/** Whether a disk's `<iotune>` sets anything: a group name or a limit not 0 (qemuDiskConfigBlkdeviotuneEnabled). */
function iotuneSet(iotune: N | undefined): boolean {
  return iotune !== undefined && iotune.children.some((c) => (c.name === 'group_name' ? textIn(c) !== '' : (c.text ?? '') !== '' && c.text !== '0'))
}

/** The first device (in document order) for which `problem` has words. */
function firstDevice(ctx: PreviewContext, problem: (d: N, list: readonly N[]) => Found): Found {
  const list = devices(ctx)
  // (a row naming its kinds walks those devices only: rowScope)
  for (const d of rowScope.devices ?? list) {
    const found = problem(d, list)
    if (found) return found
  }
  return undefined
}

/**
 * The SCSI controllers' models by index as validation sees them: the ones written with an index, the ones the parser
 * adds for SCSI host devices (every index up to the highest a host device's address names, none given reading as 0;
 * the default model), then the ones written without an index, numbered into the indexes left (their model or the
 * default). `undefined` models are the default's.
 */
function scsiModelsAtValidation(ctx: PreviewContext): Map<number, string | undefined> {
  const written = devicesOfKind(ctx, 'controller').filter((c) => c.attrs.type === 'scsi')
  const models = new Map<number, string | undefined>()
  for (const c of written) if (c.attrs.index !== undefined) { const i = uint(c.attrs.index, 10); if (i !== undefined) models.set(i, c.attrs.model) }
  let highest = -1
  const hostdevs = devicesOfKind(ctx, 'hostdev')
  for (const h of hostdevs) {
    if ((h.attrs.mode ?? 'subsystem') !== 'subsystem' || h.attrs.type !== 'scsi') continue
    const a = child(h, 'address')
    const n = a?.attrs.type === 'drive' ? uint(a.attrs.controller ?? '0', 10) ?? -1 : 0
    if (n > highest && n <= 1024) highest = n
  }
  // (the controllers the parser adds for the host devices, one read after the other, take the model of the controller the
  // host device raising the highest index stands on then — virDomainDefMaybeAddHostdevSCSIcontroller: an lsisas1078
  // controller 0, a host device on it and one on controller 2 make 1 and 2 lsisas1078 ones, whose target 8 libvirtd 9.0
  // takes; probes h55-rs-*)
  if (highest >= 0) {
    for (const call of hostdevScsiControllerCalls([...written, ...hostdevs], hostdevScsiControllerOf)) {
      for (let i = call.from; i <= Math.min(call.highest, 1024); i++) if (!models.has(i)) models.set(i, call.model)
    }
  }
  for (let i = 0; i <= highest; i++) if (!models.has(i)) models.set(i, undefined)
  for (const c of written) {
    if (c.attrs.index !== undefined) continue
    let free = 0
    while (models.has(free)) free++
    models.set(free, c.attrs.model)
  }
  return models
}

/** Whether virUUIDParse reads a UUID (model's readUuid). */
const uuidParses = (text: string): boolean => readUuid(text) !== undefined

/** An sPAPR-VIO register as virXMLPropULongLong reads it (base 16, whole text), exactly; `undefined` when it does not read. */
function spaprReg(text: string | undefined): bigint | undefined {
  const m = text === undefined ? null : /^[ \t\n\v\f\r]*\+?(?:0[xX])?([0-9A-Fa-f]+)$/.exec(text)
  if (!m) return undefined
  const value = BigInt(`0x${m[1]!}`)
  return value <= 0xffffffffffffffffn ? value : undefined
}

/** The virtio options of a device's `<driver>`, in the order libvirt checks them. */
const virtioOptionNames = ['iommu', 'ats', 'packed', 'page_per_vq'] as const

/** Whether a disk, NIC, video or memory device is a virtio one once post-parse has given it its defaults. */
function isVirtioDevice(ctx: PreviewContext, d: N): boolean {
  switch (d.name) {
    case 'disk': { const target = child(d, 'target'); return (target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)) === 'virtio' }
    case 'interface': return virtioNetModels.has(child(d, 'model')?.attrs.type ?? defaultNetModel(ctx, d) ?? '')
    case 'video': { const type = child(d, 'model')?.attrs.type; return (type === undefined || type === 'default' ? defaultVideoType(ctx) : type) === 'virtio' }
    case 'memory': return d.attrs.model === 'virtio-pmem' || d.attrs.model === 'virtio-mem'
    default: return true
  }
}

/** The target name prefixes of a hard disk or LUN (virDomainDiskDefValidate): model's, but a floppy's. */
const harddiskPrefixes = diskPrefixes.filter((p) => p !== 'fd')

/** The most bytes a disk's `<vendor>` and `<product>` take (virDomainDiskDefValidate). */

const diskPath = (d: N): string => `domain/devices/disk[target/@dev='${child(d, 'target')?.attrs.dev ?? ''}']`

/** virDomainCheckVirtioOptionsAreAbsent: the first virtio option of a device's `<driver>` when the device is not virtio. */
function virtioOptionProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const driver = child(d, 'driver')
  if (!driver) return undefined
  const option = virtioOptionNames.find((o) => driver.attrs[o] !== undefined)
  // (a none video's driver is cleared by post-parse: virDomainDefPostParseVideo)
  if (option === undefined || isVirtioDevice(ctx, d) || (d.name === 'video' && videoCleared(devicesOfKind(ctx, 'video'), d))) return undefined
  return { message: option === 'page_per_vq' ? 'page_per_vq option is only supported for virtio devices' : `${option} driver option is only supported for virtio devices`, path: `${placeOf(list, d)}/driver/@${option}` }
}

/**
 * A NIC's model once post-parse has run, as libvirt stores it (storedNetModel: a known one in its spelling, another as
 * written; an empty one is none): the written one, else the default (defaultNetModel; `undefined` for a host device).
 */
function netModelAfterPostParse(ctx: PreviewContext, nic: N): string | undefined {
  const written = child(nic, 'model')?.attrs.type
  return written === undefined || written === '' ? defaultNetModel(ctx, nic) : storedNetModel(written, { libvirt9: isLibvirt9(ctx) }) ?? written
}

/** virDomainNetModelTypeToString of a stored model: a model libvirt does not know by name is `unknown` there. */
function netModelEnumName(ctx: PreviewContext, model: string | undefined): string {
  return model !== undefined && (netModelNames as readonly string[]).includes(model) && !(model === 'igb' && isLibvirt9(ctx)) ? model : 'unknown'
}

/**
 * virDomainNetDefValidate (domain_validate.c), in its order: host-side addresses and an unmanaged tap device are an
 * ethernet interface's, teaming's persistent attribute goes with transient teaming, port isolation
 * (virDomainNetDefValidatePortOptions), the virtio options of a NIC that is not virtio; 9.0: a vhost-user interface's
 * model and reconnection; 11: port forwarding.
 */
function netDefProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const path = new LazyPath(() => placeOf(list, d))
  const type = d.attrs.type ?? ''
  const source = child(d, 'source')
  if (type !== 'ethernet' && (child(source, 'ip') || child(source, 'route'))) {
    return { message: `Invalid attempt to set network interface host-side IP route and/or address info on interface of type '${type}'. This is only supported on interfaces of type 'ethernet'`, path: `${path}/source/${child(source, 'ip') ? 'ip' : 'route'}` }
  }
  if (type !== 'ethernet' && child(d, 'target')?.attrs.managed === 'no') return { message: `unmanaged target dev is not supported on interfaces of type '${type}'`, path: `${path}/target/@managed` }
  const teaming = teamingOf(d)
  if (teaming?.type === 'transient' && teaming.persistent === undefined) return { message: "teaming persistent attribute must be set if teaming type is 'transient'", path: `${path}/teaming` }
  if (teaming && teaming.type !== 'transient' && teaming.persistent !== undefined) return { message: `teaming persistent attribute not allowed if teaming type is '${teaming.type ?? ''}'`, path: `${path}/teaming/@persistent` }
  // (virDomainNetDefValidatePortOptions: an isolated port is a host bridge's — a virtual network's or a bridge's —
  // without a virtual port profile; the words name the MAC address, one libvirt makes up when none is written)
  if (child(d, 'port')?.attrs.isolated === 'yes') {
    const written = child(d, 'mac')?.attrs.address
    const bytes = written === undefined ? undefined : readMacAddress(written)
    const mac = bytes === undefined ? '(a MAC address libvirt makes up)' : formatMacAddress(bytes)
    if (type !== 'network' && type !== 'bridge') return { message: `interface ${mac} - <port isolated='yes'/> is not supported for network interfaces with type='${type}'`, path: `${path}/port/@isolated` }
    const profile = child(d, 'virtualport')?.attrs.type
    if (profile !== undefined && profile !== 'none') return { message: `interface ${mac} - <port isolated='yes'/> is not supported for network interfaces with virtualport type='${profile}'`, path: `${path}/port/@isolated` }
  }
  const virtioOption = virtioOptionProblem(ctx, d, list)
  if (virtioOption) return virtioOption
  if (isLibvirt9(ctx)) {
    if (type !== 'vhostuser') return undefined
    // (9.0 gives a vhost-user interface without a model the machine's default: virtio on the virt boards and s390)
    if (!virtioNetModels.has(netModelAfterPostParse(ctx, d) ?? '')) {
      return { message: "Wrong or no <model> 'type' attribute specified with <interface type='vhostuser'/>. vhostuser requires the virtio-net* frontend", path: `${path}/model` }
    }
    return source?.attrs.mode === 'server' && child(source, 'reconnect')?.attrs.enabled === 'yes'
      ? { message: "'reconnect' attribute unsupported 'server' mode for <interface type='vhostuser'>", path: `${path}/source/reconnect` } : undefined
  }
  // libvirt 11 (11.3's virDomainNetDefValidate): passt's back end is user networking's and vhost-user's; port forwarding
  // is passt's (libvirtd 9.0 takes it and ignores it); then the bandwidth's rates within tc's limits
  // (virNetDevBandwidthValidate: model's bandwidthRateLimits11; 9.0 checks none — probes h45-bw-in-avg-big,
  // h45-bw-in-floor-big, libvirtd 9.0)
  if (type !== 'user' && type !== 'vhostuser' && child(d, 'backend')?.attrs.type === 'passt') {
    return { message: "The 'passt' backend can only be used with interface type='user' or type='vhostuser'", path: `${path}/backend/@type` }
  }
  if (child(d, 'portForward') && !((type === 'user' || type === 'vhostuser') && child(d, 'backend')?.attrs.type === 'passt')) {
    return { message: "The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'", path: `${path}/portForward` }
  }
  // (each forward's ranges: a start where an end, a target port or an exclusion is written — the parser's NONZERO reads
  // have refused a 0; seen on libvirtd 11.3)
  for (const [i, forward] of kids(d, 'portForward').entries()) {
    for (const [j, range] of kids(forward, 'range').entries()) {
      const { start, end, to, exclude } = range.attrs
      if (start === undefined && (end !== undefined || to !== undefined || exclude !== undefined)) {
        return { message: "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified", path: `${path}/portForward[${i + 1}]/range[${j + 1}]` }
      }
    }
  }
  const bandwidth = child(d, 'bandwidth')
  for (const name of ['inbound', 'outbound']) {
    const rate = child(bandwidth, name)
    if (!rate) continue
    for (const [attribute, limit] of bandwidthRateLimits11) {
      const value = rate.attrs[attribute]
      const read = value === undefined ? undefined : readCUnsignedLongLong(value, 10)
      if (read !== undefined && read > limit) return { message: `value '${read}' is too big for '${attribute}' parameter, maximum is '${limit}'`, path: `${path}/bandwidth/${name}/@${attribute}` }
    }
  }
  return undefined
}

/**
 * libvirt 11.3's virNetDevBandwidthParse of an interface's `<bandwidth>`: its class ID read as an unsigned int
 * (virXMLPropUInt), then refused there; the first `<inbound>` and the first `<outbound>` alone (virXMLNodeGetSubelement: a
 * second is not read, nor refused); each rate's four numbers read as unsigned long longs in that order (virXMLPropULongLong's
 * words), then an average or a floor required, peak and burst beside an average, and a floor — written, even `0` — only
 * inbound on a virtual network's interface (virNetDevBandwidthParseRate's allowFloor: "floor attribute is not supported
 * for this config" for an outbound one too; 9.0 said "'floor' attribute allowed only in <inbound> element").
 */
function bandwidthProblem11(d: N, bandwidth: N, at: { toString(): string }): Found {
  const classID = attributeReadProblem(bandwidth.attrs.classID, ['classID', 'uint'], 'bandwidth', true)
  if (classID) return { message: classID, path: `${at}/@classID` }
  if (bandwidth.attrs.classID !== undefined) return { message: 'classID attribute not supported on <bandwidth> in this usage context', path: `${at}/@classID` }
  for (const name of ['inbound', 'outbound'] as const) {
    const rate = child(bandwidth, name)
    if (!rate) continue
    const refused = (message: string, attribute?: string, code?: 'preview-refused') => ({ message, path: `${at}/${name}${attribute ? `/@${attribute}` : ''}`, ...(code ? { code } : {}) })
    for (const attribute of ['average', 'peak', 'burst', 'floor']) {
      const problem = attributeReadProblem(rate.attrs[attribute], [attribute, 'ullong'], name, true)
      if (problem) return refused(problem, attribute)
    }
    const { average, peak, burst, floor } = rate.attrs
    if (average === undefined && floor === undefined) return refused('Missing mandatory average or floor attributes')
    if ((peak !== undefined || burst !== undefined) && average === undefined) return refused("'peak' and 'burst' require 'average' attribute", undefined, 'preview-refused')
    if (floor !== undefined && (name === 'outbound' || d.attrs.type !== 'network')) return refused('floor attribute is not supported for this config', 'floor', 'preview-refused')
  }
  return undefined
}

/** libvirt 11 (qemuValidateDomainDeviceDefShmem): a shared memory size is a power of two of at least 1 MiB (XML error words). */
function shmemSizeProblem(d: N, list: readonly N[]): Found {
  const size = child(d, 'size')
  if (!size) return undefined
  const bytes = readScaledBytes((size.text ?? '').trim(), size.attrs.unit, 'bytes')
  if (typeof bytes !== 'bigint' || bytes === 0n) return undefined
  return bytes < 1024n * 1024n || (bytes & (bytes - 1n)) !== 0n ? { code: 'preview-invalid-value', message: 'shmem size must be a power of 2 and at least 1 MiB (1024 KiB)', path: `${placeOf(list, d)}/size` } : undefined
}

/**
 * qemuValidateDomainDeviceDefNetwork (qemu_validate.c), in its order: the guest-side addresses and routes (user
 * networking's alone: one IPv4 address, prefix 4–27, one IPv6, prefix 64, no peer), a vDPA interface's model (11: a
 * vhost-user one's reconnection, shared memory and model), virtio queue sizes, the MTU, teaming, receive coalescing.
 */
function qemuNetProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const path = new LazyPath(() => placeOf(list, d))
  const type = d.attrs.type ?? ''
  const model = netModelAfterPostParse(ctx, d)
  const source = child(d, 'source')
  // (libvirt 11, from 11.3's source: a guest-side route refused on any interface first; a passt vhost-user one's addresses
  // checked as user networking's; on any other, addresses refused in their own words)
  const userLike = type === 'user' || (!isLibvirt9(ctx) && type === 'vhostuser' && child(d, 'backend')?.attrs.type === 'passt')
  if (!isLibvirt9(ctx) && child(d, 'route')) return { message: 'Invalid attempt to set network interface guest-side IP route, not supported by QEMU', path: `${path}/route` }
  if (userLike) {
    if (child(d, 'route')) return { message: 'Invalid attempt to set network interface guest-side IP route, not supported by QEMU', path: `${path}/route` }
    // (libvirt 11: a backend the domain capabilities offer — model's qemuDeviceFlags.netBackends; 9.0 checks none)
    if (!isLibvirt9(ctx)) {
      const backend = child(d, 'backend')?.attrs.type ?? 'default'
      const flag = Object.hasOwn(qemuDeviceFlags.netBackends, backend) ? qemuDeviceFlags.netBackends[backend]! : undefined
      if (flag !== undefined && !has(ctx, flag)) return { message: `the '${backend}' network backend is not supported with this QEMU binary`, path: `${path}/backend/@type` }
    }
    let v4 = false
    let v6 = false
    for (const ip of kids(d, 'ip')) {
      if (ip.attrs.peer !== undefined) return { message: 'Invalid attempt to set peer IP for guest', path: `${path}/ip/@peer` }
      const prefix = ip.attrs.prefix === undefined ? 0 : Number(ip.attrs.prefix)
      if ((ip.attrs.address ?? '').includes(':')) {
        if (v6) return { message: 'Only one IPv6 address per interface is allowed', path: `${path}/ip` }
        v6 = true
        if (prefix && prefix !== 64) return { message: `unsupported IPv6 address prefix='${prefix}' - must be 64`, path: `${path}/ip/@prefix` }
      } else if (ip.attrs.address !== undefined) {
        if (v4) return { message: 'Only one IPv4 address per interface is allowed', path: `${path}/ip` }
        v4 = true
        if (prefix > 0 && (prefix < 4 || prefix > 27)) return { code: 'preview-invalid-value', message: 'invalid prefix, must be in range of 4-27', path: `${path}/ip/@prefix` }
      }
    }
  } else if (!isLibvirt9(ctx)) {
    if (child(d, 'ip')) return { message: 'Invalid attempt to set network interface guest-side IP address info, not supported by QEMU', path: `${path}/ip` }
  } else if (type === 'vdpa') {
    // (9.0: QEMU's vhost-vdpa backend, then a vDPA interface is plain virtio, not a transitional one; named as the model
    // enum does — `unknown` for a model it does not know)
    if (!has(ctx, qemuDeviceFlags.net.vdpa.flag)) return { message: qemuDeviceFlags.net.vdpa.message, path: `${path}/@type` }
    if (model !== 'virtio') return { message: `invalid model for interface of type 'vdpa': '${netModelEnumName(ctx, model)}'`, path: `${path}/model` }
  } else if (child(d, 'ip') || child(d, 'route')) {
    return { message: 'Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU', path: `${path}/${child(d, 'ip') ? 'ip' : 'route'}` }
  }
  // (libvirt 11: QEMU's vhost-vdpa backend, before a vhost-user interface's checks)
  if (!isLibvirt9(ctx) && type === 'vdpa' && !has(ctx, qemuDeviceFlags.net.vdpa.flag)) return { message: qemuDeviceFlags.net.vdpa.message, path: `${path}/@type` }
  if (!isLibvirt9(ctx)) {
    // (11.3: a vhost-user socket's path, unless passt's back end makes it — the parser no longer requires it —; a
    // vhost-user server does not reconnect, and needs shared memory; vDPA and vhost-user interfaces are virtio)
    if (type === 'vhostuser' && source?.attrs.path === undefined && child(d, 'backend')?.attrs.type !== 'passt') {
      return { code: 'preview-invalid-value', message: "Missing required attribute 'path' in element 'source'", path: `${path}/source` }
    }
    if (type === 'vhostuser' && source?.attrs.mode === 'server' && child(source, 'reconnect')?.attrs.enabled === 'yes') {
      return { message: "'reconnect' attribute is not supported when source mode='server' for <interface type='vhostuser'>", path: `${path}/source/reconnect` }
    }
    if (type === 'vhostuser' && !hasSharedMemory(ctx)) return { message: "'interface' requires shared memory", path: `${path}` }
    if ((type === 'vdpa' || type === 'vhostuser') && !virtioNetModels.has(model ?? '')) {
      return { message: `invalid model for interface of type '${type}': '${netModelEnumName(ctx, model)}' - must be 'virtio'`, path: `${path}/model` }
    }
  }
  // virtio queue sizes are powers of two (the parser reads them for a model written as virtio alone)
  const written = child(d, 'model')?.attrs.type
  if (written !== undefined && virtioNetModels.has(storedNetModel(written) ?? '')) {
    const driver = child(d, 'driver')
    for (const k of ['rx_queue_size', 'tx_queue_size'] as const) {
      const size = uint(driver?.attrs[k], 10)
      if (size !== undefined && size > 0 && (size & (size - 1)) !== 0) return { message: `${k} has to be a power of two`, path: `${path}/driver/@${k}` }
    }
    // (then RSS and its hash reporting, on or off: QEMU's virtio-net rss property)
    for (const [k, check] of [['rss', qemuDeviceFlags.net.rss], ['rss_hash_report', qemuDeviceFlags.net.rssHashReport]] as const) {
      if (driver?.attrs[k] !== undefined && !has(ctx, check.flag)) return { message: check.message, path: `${path}/driver/@${k}` }
    }
  }
  // qemuDomainNetSupportsMTU: an MTU for the types QEMU's backends set one on (user networking through passt only)
  const mtu = uint(child(d, 'mtu')?.attrs.size, 10)
  if (mtu !== undefined && mtu > 0 && !mtuTypes.has(type) && !(type === 'user' && child(d, 'backend')?.attrs.type === 'passt')) {
    return { message: `setting MTU on interface type ${type} is not supported yet`, path: `${path}/mtu` }
  }
  // the persistent side of a team is virtio (virDomainNetGetModelString: a host device's, which has none, is `(null)`);
  // the transient side a host device (a virtual network may be a pool of them, which only the host knows: taken)
  const teaming = teamingOf(d)?.type
  if (teaming === 'persistent' && !virtioNetModels.has(model ?? '')) return { message: `virtio-net teaming persistent interface must be <model type='virtio'/>, not '${model ?? '(null)'}'`, path: `${path}/model` }
  if (teaming === 'transient' && type !== 'hostdev' && type !== 'network') return { message: `virtio-net teaming transient interface must be type='hostdev', not '${type}'`, path: `${path}/@type` }
  // receive coalescing is a virtual network's or a bridge's (qemuValidateNetSupportsCoalesce; an empty frame count is
  // no coalescing: virXPathString) — seen on libvirtd 9.0
  if (type !== 'network' && type !== 'bridge' && (child(child(child(d, 'coalesce'), 'rx'), 'frames')?.attrs.max ?? '') !== '') {
    return { message: `coalesce settings on interface type ${type || 'user'} are not supported`, path: `${path}/coalesce` }
  }
  return undefined
}

/**
 * virDomainFSDefValidate (domain_validate.c), in its order: a target (the words name the source, else the socket), a boot
 * order for virtiofs alone; libvirt 11: no two virtiofs filesystems of one target, nor this one on a virtiofs one's target
 * (9.0 checks virtiofs ones once every device is validated).
 */
function fsDefProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const path = new LazyPath(() => placeOf(list, d))
  const source = child(d, 'source')?.attrs
  const dir = child(d, 'target')?.attrs.dir
  // (read with virXPathString, which takes an empty directory for none — the odd-value search edit, seed 484)
  if (dir === undefined || dir === '') {
    const read = filesystemSourceAttributes[d.attrs.type ?? 'mount']
    const named = (read === undefined ? undefined : source?.[read]) ?? source?.socket
    return { message: named === undefined ? 'missing target information for device' : `missing target information for device ${named}`, path: `${path}` }
  }
  const virtiofs = child(d, 'driver')?.attrs.type === 'virtiofs'
  if (child(d, 'boot') && !virtiofs) return { message: 'boot order is only supported for virtiofs', path: `${path}/boot` }
  if (isLibvirt9(ctx)) return undefined
  // (11.3 gathers every virtiofs filesystem's target first — two of one target refused whichever filesystem is being
  // validated —, then looks this one's up there: a filesystem of another driver on a virtiofs target is refused too;
  // seen on libvirtd 11.3)
  const virtiofsTargets = new Map<string, N>()
  for (const f of devicesOfKind(ctx, 'filesystem')) {
    const at = child(f, 'driver')?.attrs.type === 'virtiofs' ? child(f, 'target')?.attrs.dir : undefined
    if (at === undefined || at === '') continue
    if (virtiofsTargets.has(at)) return { message: `filesystem target '${at}' specified twice`, path: `${placeOf(list, f)}/target/@dir` }
    virtiofsTargets.set(at, f)
  }
  const holder = virtiofsTargets.get(dir)
  return holder !== undefined && holder !== d ? { message: `filesystem target '${dir}' specified twice`, path: `${path}/target/@dir` } : undefined
}

/**
 * qemuValidateDomainDeviceDefFS (qemu_validate.c), in its order: a mount filesystem (11: no space limits), file modes with
 * the mapped access mode, then by the driver — a handle driver passes through; loop, NBD and ploop drivers are not QEMU's;
 * virtiofs (without a socket of its own) passes through and has no write policy, then no model, format, several devices or
 * file modes, and needs shared memory; 11: an MTP driver passes through. The access mode is post-parse's: passthrough when
 * none is written, but for a filesystem with a socket (virDomainFSDefPostParse). A sandbox is read for virtiofs alone: its
 * check is never met.
 */
function qemuFsProblem(ctx: PreviewContext, d: N, list: readonly N[]): Found {
  const path = new LazyPath(() => placeOf(list, d))
  if ((d.attrs.type ?? 'mount') !== 'mount') return { message: 'only supports mount filesystem type', path: `${path}/@type` }
  // (libvirt 11 refuses space limits QEMU cannot keep; 9.0 stores them: model's deviceNames.filesystemSpaceLimits)
  if (!isLibvirt9(ctx)) {
    const limit = deviceNames.filesystemSpaceLimits.find((name) => { const text = child(d, name)?.text; return text !== undefined && text !== '' && text !== '0' })
    if (limit !== undefined) return { message: 'filesystem usage limits are not supported with QEMU', path: `${path}/${limit}` }
  }
  // (a multidevs policy is QEMU's fsdev property)
  if (d.attrs.multidevs !== undefined && d.attrs.multidevs !== 'default' && !has(ctx, qemuDeviceFlags.fsMultidevs.flag)) return { message: qemuDeviceFlags.fsMultidevs.message, path: `${path}/@multidevs` }
  // (a mode of 0 is none: `if (def->fmode || def->dmode)`)
  const modes = fileModeSet(d.attrs.fmode) || fileModeSet(d.attrs.dmode)
  if (modes && d.attrs.accessmode !== 'mapped') return { message: 'fmode and dmode must be used with accessmode=mapped', path: `${path}` }
  const driver = child(d, 'driver')?.attrs
  const socket = child(d, 'source')?.attrs.socket !== undefined
  const passthrough = (d.attrs.accessmode ?? (socket ? 'default' : 'passthrough')) === 'passthrough'
  if (driver?.type === 'handle' && !passthrough) return { message: 'only supports passthrough accessmode', path: `${path}/@accessmode` }
  if (driver?.type === 'loop' || driver?.type === 'nbd' || driver?.type === 'ploop') return { message: 'Filesystem driver type not supported', path: `${path}/driver/@type` }
  // (libvirt 11's MTP driver passes through too — from 11.3's source)
  if (driver?.type === 'mtp' && !isLibvirt9(ctx) && !has(ctx, qemuDeviceFlags.filesystemDrivers.mtp!.flag)) return { message: qemuDeviceFlags.filesystemDrivers.mtp!.message, path: `${path}/driver/@type` }
  if (driver?.type === 'mtp' && !passthrough) return { message: 'mtp only supports passthrough accessmode', path: `${path}/@accessmode` }
  if (driver?.type !== 'virtiofs') return undefined
  if (!socket) {
    // (libvirt 11 takes a read-only virtiofs)
    if (isLibvirt9(ctx) && child(d, 'readonly')) return { message: 'virtiofs does not yet support read-only mode', path: `${path}/readonly` }
    if (!passthrough) return { message: 'virtiofs only supports passthrough accessmode', path: `${path}/@accessmode` }
    if (driver.wrpolicy !== undefined) return { message: 'virtiofs does not support wrpolicy', path: `${path}/driver/@wrpolicy` }
  }
  if (d.attrs.model !== undefined) return { message: 'virtiofs does not support model', path: `${path}/@model` }
  if (driver.format !== undefined) return { message: 'virtiofs does not support format', path: `${path}/driver/@format` }
  // (then QEMU's vhost-user-fs device)
  if (!has(ctx, qemuDeviceFlags.filesystemDrivers.virtiofs!.flag)) return { message: qemuDeviceFlags.filesystemDrivers.virtiofs!.message, path: `${path}/driver/@type` }
  if (d.attrs.multidevs !== undefined && d.attrs.multidevs !== 'default') return { message: 'virtiofs does not support multidevs', path: `${path}/@multidevs` }
  if (modes) return { message: 'virtiofs does not support fmode and dmode', path: `${path}` }
  if (!hasSharedMemory(ctx)) return { message: "'virtiofs' requires shared memory", path: `${path}` }
  // (a boot order: QEMU's bootindex property of the device)
  return child(d, 'boot') && !has(ctx, qemuDeviceFlags.virtiofsBootOrder.flag) ? { message: qemuDeviceFlags.virtiofsBootOrder.message, path: `${path}/boot` } : undefined
}

/**
 * A device's path, written out only when a message uses it (`${path}`): a row reads every device of its kinds
 * on every preview, and almost never refuses one, so the path is made only for a refusal.
 */
class LazyPath {
  constructor(private readonly make: () => string) {}
  toString(): string { return this.make() }
}

/** virStorageSourceNetCookieValidate: a cookie's name and value in RFC 6265's characters (a value optionally quoted). */
function cookieProblem(name: string, value: string): string | undefined {
  if (/[\x01-\x1f ",;\\()<>@:/[\]?={}]/.test(name)) return `cookie name '${name}' contains invalid characters`
  const quoted = value.startsWith('"')
  if (quoted && (value.length < 2 || !value.endsWith('"'))) return `value of cookie '${name}' contains invalid characters`
  if (/[\x01-\x1f ",;\\]/.test(quoted ? value.slice(1, -1) : value)) return `value of cookie '${name}' contains invalid characters`
  return undefined
}

/** The encryption of a disk's source (libvirt reads it under `<source>` or, the older place, under `<disk>`). */
/**
 * qemuDomainValidateStorageSource past the formats above, for one image of a disk's chain (`depth` 0: the disk itself,
 * its format post-parse's raw when none is written and it is no volume): a FAT image is a directory's, a directory is a
 * read-only FAT image; persistent reservations need QEMU's helper; cookies are HTTP's, each named and valued in RFC
 * 6265's characters, once each; TFTP is gone from QEMU; NFS has one TCP host without a port (each seen on libvirtd 9.0).
 */
function storageSourceProblem(ctx: PreviewContext, image: N, depth: number, written: string | undefined): { message: string; at: string } | undefined {
  const type = image.attrs.type ?? 'file'
  const format = written === undefined && depth === 0 && type !== 'volume' && type !== 'network' ? 'raw' : written
  const formatAt = depth === 0 ? 'driver/@type' : 'format/@type'
  if (format === 'fat' && type !== 'volume' && type !== 'dir') return { message: "storage format 'fat' is supported only with 'dir' storage type", at: formatAt }
  if (type === 'dir') {
    if (format !== undefined && format !== 'fat' && format !== 'none') return { message: "storage type 'dir' requires use of storage format 'fat'", at: formatAt }
    // (a backing image is read-only; a disk is with <readonly/>, a CD-ROM always)
    if (depth === 0 && !child(image, 'readonly') && image.attrs.device !== 'cdrom') return { message: "virtual FAT storage can't be accessed in read-write mode", at: 'readonly' }
  }
  const source = child(image, 'source')
  if (child(source, 'reservations') && !has(ctx, 'pr-manager-helper')) return { message: 'reservations not supported with this QEMU binary', at: 'source/reservations' }
  const network = type === 'network' ? networkSourceProblem(source) : undefined
  if (network) return network
  // (then a metadata cache size, qcow2's — the disk's driver's, a backing image's format's; a TLS host name, NBD's)
  const cacheAt = depth === 0 ? 'driver/metadata_cache' : 'format/metadata_cache'
  const cache = child(child(child(image, depth === 0 ? 'driver' : 'format'), 'metadata_cache'), 'max_size')
  const cacheSize = cache ? readScaledBytes(textIn(cache), cache.attrs.unit) : undefined
  if (typeof cacheSize === 'bigint' && cacheSize > 0n && format !== 'qcow2') return { message: 'metadata cache max size control is supported only with qcow2 images', at: cacheAt }
  if (source?.attrs.tlsHostname !== undefined && (type !== 'network' || source.attrs.protocol !== 'nbd')) return { message: "'tlsHostname' field is supported only with NBD disks", at: 'source/@tlsHostname' }
  return undefined
}

/** A qcow2 metadata cache's size as libvirt reads `xpath` (readBytesValue; an empty one is none, virXPathString): its words for one that does not read. */
function metadataCacheSizeProblem(size: N | undefined, xpath: string): string | undefined {
  if (size === undefined || (size.text ?? '') === '') return undefined
  const read = readBytesValue(size, xpath)
  return 'error' in read ? read.error : undefined
}

/** storageSourceProblem's network part: cookies, TFTP, NFS hosts (a loader's NVRAM's too: qemuValidateDomainDefNvram). */
export function networkSourceProblem(source: N | undefined): { message: string; at: string } | undefined {
  const protocol = source?.attrs.protocol
  if (protocol === 'http' || protocol === 'https') {
    const cookies = kids(child(source, 'cookies'), 'cookie')
    const names = new Set<string>()
    for (const [i, cookie] of cookies.entries()) {
      const name = cookie.attrs.name ?? ''
      const at = `source/cookies/cookie[${i + 1}]`
      if (name === '') return { message: 'cookie name must not be empty', at }
      const problem = cookieProblem(name, cookie.text ?? '')
      if (problem) return { message: problem, at }
    }
    for (const cookie of cookies) {
      const name = cookie.attrs.name ?? ''
      if (names.has(name)) return { message: `duplicate cookie '${name}'`, at: 'source/cookies' }
      names.add(name)
    }
  }
  if (protocol === 'tftp') return { message: "'tftp' protocol is not supported with this QEMU binary", at: 'source/@protocol' }
  if (protocol === 'nfs') {
    const hosts = kids(source, 'host')
    if (hosts.length !== 1) return { message: "'nfs' protocol requires the usage of exactly one host", at: 'source/host' }
    if ((hosts[0]!.attrs.transport ?? 'tcp') !== 'tcp') return { message: "'nfs' host must use TCP protocol", at: 'source/host/@transport' }
    const port = hosts[0]!.attrs.port
    if (port !== undefined && port !== '' && readCInteger(port, 10)?.magnitude !== 0) return { message: "port cannot be specified in 'nfs' protocol host", at: 'source/host/@port' }
  }
  return undefined
}


/**
 * virNetDevIPRouteCreate past its addresses (libvirt 9.0's and 11.3's networkcommon_conf.c): what the route's family
 * asks of its address, gateway, netmask and prefix (IPv4 when none is written), then that the address is the network's
 * under its netmask or prefix (a prefix not written is 0: only the default route). Its words (a gateway's IPv4 words
 * name the address, as libvirt's do), and where below the route.
 */
function routeFamilyProblem(route: N, detail: string): { message: string; at: string } | undefined {
  const { family, address, gateway, netmask } = route.attrs as Record<string, string | undefined>
  const prefixText = route.attrs.prefix
  const prefix = prefixText === undefined ? 0 : readCInteger(prefixText, 10)?.magnitude ?? 0
  const words = (text: string): string => `${detail}: ${text} in route definition`
  if (family === undefined || family === 'ipv4') {
    const which = family === undefined ? 'No family specified' : 'IPv4 family specified'
    if (!numericIpAddress(address!, 4)) return { message: words(`${which} for non-IPv4 address '${address}'`), at: '/@address' }
    if (!numericIpAddress(gateway!, 4)) return { message: words(`${which} for non-IPv4 gateway '${address}'`), at: '/@gateway' }
    if (netmask !== undefined) {
      if (!numericIpAddress(netmask, undefined)) return { message: words(`Bad netmask address '${netmask}'`), at: '/@netmask' }
      if (!numericIpAddress(netmask, 4)) return { message: `${detail}: Invalid netmask '${netmask}' for address '${address}' (both must be IPv4)`, at: '/@netmask' }
      if (prefixText !== undefined) return { message: `${detail}: Route definition cannot have both a prefix and a netmask`, at: '/@prefix' }
    }
    if (prefix > 32) return { message: `${detail}: Invalid prefix ${prefix} specified in route definition, must be 0 - 32`, at: '/@prefix' }
    const value = ipv4Value(address!)!
    const mask = netmask !== undefined ? ipv4Value(netmask)! : prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix)
    // (32-bit AND without the sign: the two as high and low halves)
    const masked = (Math.floor(value / 65536) & Math.floor(mask / 65536)) * 65536 + ((value % 65536) & (mask % 65536))
    if (masked !== value) return { message: `${detail}: Address '${address}' in route definition is not a network address`, at: '/@address' }
    return undefined
  }
  if (family === 'ipv6') {
    if (!numericIpAddress(address!, 6)) return { message: words(`ipv6 family specified for non-IPv6 address '${address}'`), at: '/@address' }
    if (netmask !== undefined) return { message: words(`Specifying netmask invalid for IPv6 address '${address}'`), at: '/@netmask' }
    if (!numericIpAddress(gateway!, 6)) return { message: words(`ipv6 specified for non-IPv6 gateway address '${gateway}'`), at: '/@gateway' }
    if (prefix > 128) return { message: `${detail}: Invalid prefix ${prefix} specified in route definition, must be 0 - 128`, at: '/@prefix' }
    const words16 = ipv6Words(address!)!
    for (let i = 0; i < 8; i++) {
      const kept = Math.max(0, Math.min(16, prefix - 16 * i))
      const mask = kept === 0 ? 0 : 0xffff - (2 ** (16 - kept) - 1)
      if ((words16[i]! & mask) !== words16[i]) return { message: `${detail}: Address '${address}' in route definition is not a network address`, at: '/@address' }
    }
    return undefined
  }
  return { message: words(`Unrecognized family '${family}'`), at: '/@family' }
}


/** The interface types whose <virtualport> virDomainNetDefParseXML reads, and virNetDevVPortProfile's types (not `none`). */
const virtualPortHolders: ReadonlySet<string> = new Set(['network', 'bridge', 'direct', 'hostdev'])

/** virValidateWWN: 16 hex digits, after an optional `0x`. */
const wwnReads = (text: string): boolean => /^(?:0x)?[0-9a-fA-F]{16}$/.test(text)

const encryptionOf = (d: N): N | undefined => child(child(d, 'source'), 'encryption') ?? child(d, 'encryption')

/**
 * Whether a disk has no medium (virStorageSourceIsEmpty): a file, block or directory disk without its path (an empty
 * path is none), a volume disk without a source (the parser makes it an empty file), a network disk without a protocol
 * or of protocol `none`.
 */
function diskSourceEmpty(d: N): boolean {
  const source = child(d, 'source')
  switch (d.attrs.type ?? 'file') {
    case 'file': return !source?.attrs.file
    case 'block': return !source?.attrs.dev
    case 'dir': return !source?.attrs.dir
    case 'volume': return source === undefined
    // (a network source of protocol `none`, virStorageNetProtocol's 0, is empty too: virStorageSourceIsEmpty — the
    // differential's odd-form search, seed 631, libvirtd 9.0)
    case 'network': return source?.attrs.protocol === undefined || source.attrs.protocol === 'none'
    default: return false
  }
}

/**
 * A disk's source path as virDomainDiskGetSource gives it when libvirt validates (a network disk's name — a gluster or
 * RBD one's past its pool, which virDomainDiskSourceNetworkParse splits off into the volume: the repeat-child search
 * edit, seed 386 —; none for a volume before it is looked up, nor for a vhost-user socket).
 */
function diskSourcePath(d: N): string | undefined {
  const source = child(d, 'source')
  const path = (() => {
    switch (d.attrs.type ?? 'file') {
      case 'file': return source?.attrs.file
      case 'block': return source?.attrs.dev
      case 'dir': return source?.attrs.dir
      case 'network': {
        const name = source?.attrs.name
        const split = source?.attrs.protocol === 'gluster' || source?.attrs.protocol === 'rbd'
        // (an iSCSI name without a LUN is LUN 0 once post-parse has run: virDomainPostParseCheckISCSIPath — seed 429)
        if (name !== undefined && source?.attrs.protocol === 'iscsi') return iscsiNameWithLun(name)
        return name !== undefined && split && name.indexOf('/') > 0 ? name.slice(name.indexOf('/') + 1) : name
      }
      // (a vhost-user disk's socket is no source path: `<null>` in libvirt's words — seed 429)
      default: return undefined
    }
  })()
  return path === '' ? undefined : path
}

/** A disk's `<auth>` (under `<source>`, or the older place under `<disk>`). */
const authOf = (d: N): N | undefined => child(child(d, 'source'), 'auth') ?? child(d, 'auth')

// ---- host devices: virDomainHostdevMatch (domain_conf.c), source by source -------------------------

/**
 * What names the host device a `<hostdev>` takes, as virDomainHostdevMatch compares two of them: one key,
 * or for USB the pair libvirt picks from (bus and device when both are set, non-zero; else vendor and
 * product). Keys, so that thousands of host devices are compared in one pass.
 */
/** A host device interface's keys, as the host device it stands for (its source address's type: PCI unless USB). */
function interfaceHostdevKeys(nic: N): ReturnType<typeof hostDeviceKeys> {
  const source = child(nic, 'source')
  if (!source) return undefined
  // (its host device's type as the parser reads it: a vendor with no address type is USB — probe h40-m1-1, libvirtd 9.0)
  return hostDeviceKeys(node('hostdev', { mode: 'subsystem', type: conditionValue(hostdevNicSourceType, nic) === 'usb' ? 'usb' : 'pci' }, [source]))
}

function hostDeviceKeys(h: N): { key?: string; usbAddress?: string; usbIds?: string } | undefined {
  if ((h.attrs.mode ?? 'subsystem') !== 'subsystem') return undefined
  const source = child(h, 'source')
  if (!source) return undefined
  const numbers = (n: N | undefined, names: readonly string[]): string | undefined => {
    const values = names.map((k) => uint(n?.attrs[k] ?? '0'))
    return values.every((v) => v !== undefined) ? values.join(':') : undefined
  }
  switch (h.attrs.type) {
    case 'pci': {
      // virDomainHostdevMatchSubsysPCI: the host PCI address
      const address = numbers(child(source, 'address'), ['domain', 'bus', 'slot', 'function'])
      return address === undefined ? undefined : { key: `pci ${address}` }
    }
    case 'usb': {
      // virDomainHostdevMatchSubsysUSB
      const address = child(source, 'address')
      const bus = uint(address?.attrs.bus ?? '0')
      const device = uint(address?.attrs.device ?? '0')
      // (none written is 0, libvirt's zeroed source: two USB devices of neither IDs nor address are one — probe
      // h40-d-nicempty-usb-2, libvirtd 9.0)
      const vendor = uint(child(source, 'vendor')?.attrs.id ?? '0')
      const product = uint(child(source, 'product')?.attrs.id ?? '0')
      return {
        ...(bus !== undefined && device !== undefined && bus > 0 && device > 0 ? { usbAddress: `${bus}:${device}` } : {}),
        ...(vendor !== undefined && product !== undefined ? { usbIds: `${vendor}:${product}` } : {}),
      }
    }
    case 'scsi': {
      // virDomainHostdevMatchSubsysSCSIHost / …SCSIiSCSI
      const protocol = source.attrs.protocol ?? ''
      if (protocol === 'iscsi') {
        const host = child(source, 'host')?.attrs.name
        return source.attrs.name === undefined || host === undefined ? undefined : { key: `iscsi ${source.attrs.name} ${host}` }
      }
      const adapter = child(source, 'adapter')?.attrs.name
      const address = numbers(child(source, 'address'), ['bus', 'target', 'unit'])
      return adapter === undefined || address === undefined ? undefined : { key: `scsi ${protocol} ${adapter} ${address}` }
    }
    case 'scsi_host':
      // the vhost protocol and the target's WWPN
      return source.attrs.wwpn === undefined ? undefined : { key: `scsi_host ${source.attrs.protocol ?? ''} ${source.attrs.wwpn}` }
    case 'mdev': {
      // virDomainHostdevMatchSubsysMediatedDev: the mediated device's UUID
      const uuid = child(source, 'address')?.attrs.uuid
      return uuid === undefined ? undefined : { key: `mdev ${uuid}` }
    }
    default:
      return undefined
  }
}

// ---- character devices -----------------------------------------------------------------------------

/** The devices whose `<source>` is a character device backend (serial, parallel, channel, console). */
const chardevKinds: ReadonlySet<string> = new Set(['serial', 'parallel', 'channel', 'console'])

// ---- graphics ----------------------------------------------------------------------------------------

/** The listen type libvirt validates a graphics device with: its first `<listen>`'s (an address when none is written). */
const listenType = (g: N): string => kids(g, 'listen')[0]?.attrs.type ?? 'address'

/** Whether the features switch ACPI on (`<acpi/>`, no `state='off'`). */
const acpiOn = (ctx: PreviewContext): boolean => {
  const acpi = child(child(ctx.domain, 'features'), 'acpi')
  return acpi !== undefined && acpi.attrs.state !== 'off'
}

/** Whether the domain's memory is shared (qemuValidateDomainDefVhostUserRequireSharedMemory). */
function hasSharedMemory(ctx: PreviewContext): boolean {
  const shared = child(child(ctx.domain, 'memoryBacking'), 'access')?.attrs.mode === 'shared'
  const cells = kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell')
  // (libvirt 9.0: without NUMA cells, shared access counts only on a machine whose RAM QEMU names — its default RAM ID: SH-4's
  // r2d has none, probe h33-k-sh4-r2d-disk-vhostuser; 11.3 asks for the access alone)
  if (cells.length === 0) return shared && (!isLibvirt9(ctx) || ctx.machine?.defaultRAMid !== undefined)
  return cells.every((c) => c.attrs.memAccess === 'shared' || (c.attrs.memAccess === undefined && shared))
}

/** The domain's I/O thread IDs: those written, then the lowest free ones up to `<iothreads>` (virDomainIOThreadIDDefArrayInit). */
function iothreadIds(ctx: PreviewContext): Set<number> {
  // (read once per preview: the validate rows run before the rule that numbers the threads)
  const known = ctx.iothreadIds
  if (known) return known
  const ids = new Set<number>()
  ctx.iothreadIds = ids
  for (const t of kids(child(ctx.domain, 'iothreadids'), 'iothread')) { const id = uint(t.attrs.id, 10); if (id !== undefined) ids.add(id) }
  const count = uint(child(ctx.domain, 'iothreads')?.text?.trim(), 10) ?? 0
  for (let next = 1; ids.size < Math.min(count, 16_384); next++) ids.add(next)
  return ids
}

/** A character device backend's type, for the devices that have one. */
const chardevType = (d: N): string | undefined => (chardevKinds.has(d.name) || d.name === 'redirdev' || (d.name === 'smartcard' && d.attrs.mode === 'passthrough') ? d.attrs.type ?? 'pty'
  : d.name === 'rng' ? egdBackend(d)?.attrs.type : undefined)
/** An RNG's EGD backend: a character device too (its type was required by the parser). */
const egdBackend = (d: N): N | undefined => { const backend = child(d, 'backend'); return backend?.attrs.model === 'egd' ? backend : undefined }

/** The IOMMU `<driver>` attributes only the Intel model takes (virDomainIOMMUDefValidate); `dma_translation` since 10.x. */
const intelOnlyIommuAttributes = ['intremap', 'caching_mode', 'eim', 'iotlb', 'aw_bits'] as const

/** The machines a panic model belongs to (qemuValidateDomainDefPanic), with libvirt's words when it is elsewhere. */
const panicMachines: Readonly<Record<string, readonly [(ctx: PreviewContext) => boolean, string]>> = {
  s390: [isS390, "only S390 guests support panic device of model 's390'"],
  hyperv: [isX86, "only i686 and x86_64 guests support panic device of model 'hyperv'"],
  pseries: [isPSeries, "only pSeries guests support panic device of model 'pseries'"],
}

/** The panic models each parser knows (virDomainPanicModel). */
const panicModels9 = ['default', 'isa', 'pseries', 'hyperv', 's390']
const panicModels11 = [...panicModels9, 'pvpanic']

const missing = (attribute: string, element: string): string => `Missing required attribute '${attribute}' in element '${element}'`

/**
 * Attributes a device's parser requires (virXMLPropEnum with VIR_XML_PROP_REQUIRED, or its own check): the device
 * kind, the child holding the attribute (none: the device element), libvirt 11.3's words and 9.0's where they
 * differ, the refusal code (an internal error or an unsupported configuration where libvirt reports one).
 */
const requiredParts: readonly { kind: string; child?: string; attribute: string; words: string; words9?: string; code?: 'preview-refused'; when?: (d: N) => boolean }[] = [
  { kind: 'smartcard', attribute: 'mode', words: missing('mode', 'smartcard') },
  { kind: 'channel', child: 'target', attribute: 'type', words: "unknown target type '(null)' specified for character device", code: 'preview-refused' },
  { kind: 'input', attribute: 'type', words: 'missing input device type' },
  { kind: 'tpm', child: 'backend', attribute: 'type', words: missing('type', 'backend') },
  { kind: 'graphics', attribute: 'type', words: missing('type', 'graphics') },
  { kind: 'sound', attribute: 'model', words: missing('model', 'sound') },
  { kind: 'audio', attribute: 'type', words: missing('type', 'audio') },
  { kind: 'audio', attribute: 'id', words: missing('id', 'audio') },
  // (either mode's: virDomainHostdevDefParseXMLSubsys and …Caps in 9.0, the type read REQUIRED in 11.3 — libvirtd 9.0)
  { kind: 'hostdev', attribute: 'type', words: missing('type', 'hostdev'), words9: 'missing source address type', when: (d) => ['subsystem', 'capabilities'].includes(d.attrs.mode ?? 'subsystem') },
  { kind: 'redirdev', attribute: 'type', words: 'missing type in redirdev' },
  { kind: 'hub', attribute: 'type', words: 'missing hub device type' },
  { kind: 'watchdog', attribute: 'model', words: missing('model', 'watchdog'), words9: 'watchdog must contain model name' },
  { kind: 'memballoon', attribute: 'model', words: missing('model', 'memballoon') },
  { kind: 'shmem', attribute: 'name', words: "shmem element must contain 'name' attribute" },
  { kind: 'iommu', attribute: 'model', words: missing('model', 'iommu') },
]

/**
 * A host PCI address's multifunction switch that does not read or numbers out of range, in libvirt's words
 * (virPCIDeviceAddressParseXML: each number read in C's base, the switch, then,
 * unless domain, bus and slot are all 0, bus, slot and function checked — model's pciAddressProblem; any domain is a
 * host's), or `undefined` — also when a number does not read (its reader refuses it).
 */
function hostPciAddressProblem(address: N | undefined): string | undefined {
  if (address === undefined) return undefined
  const numbers = (['domain', 'bus', 'slot', 'function'] as const).map((name) => {
    const text = address.attrs[name]
    if (text === undefined) return 0
    const read = readCInteger(text, 0)
    return read && !read.negative && read.magnitude <= 0xffffffff ? Number(read.magnitude) : undefined
  })
  if (numbers.some((n) => n === undefined)) return undefined
  // (its multifunction switch next, read as on or off — `ON` refused in the reader's words, libvirtd 9.0)
  const multifunction = address.attrs.multifunction
  if (multifunction !== undefined && multifunction !== 'on' && multifunction !== 'off') return `Invalid value for attribute 'multifunction' in element 'address': '${multifunction}'.`
  const [domain, bus, slot, fn] = numbers as number[]
  if (domain === 0 && bus === 0 && slot === 0) return undefined
  return pciAddressProblem({ domain: 0, bus: bus!, slot: slot!, function: fn! })
}

/**
 * A device's `<teaming>` as virDomainNetTeamingInfoParseXML reads it: its type and persistent device with virXPathString,
 * an empty value none, and no teaming at all when neither is read (`<teaming persistent=''/>` is none — libvirtd 9.0).
 */
export function teamingOf(d: N): { readonly type: string | undefined; readonly persistent: string | undefined } | undefined {
  const attrs = child(d, 'teaming')?.attrs
  const type = attrs?.type === '' ? undefined : attrs?.type
  const persistent = attrs?.persistent === '' ? undefined : attrs?.persistent
  return type === undefined && persistent === undefined ? undefined : { type, persistent }
}

/** Child elements a device's parser requires, with libvirt's words (the same in 9.0 and 11.3). */
const requiredChildren: readonly { kind: string; child: string; words: string }[] = [
  { kind: 'memory', child: 'target', words: 'missing <target> element for <memory> device' },
]

/** The I/O limits virDomainDiskDefValidate takes as a total or as read and write ones, with its words for them. */
const diskIotuneTotals: readonly string[] = ['bytes_sec', 'iops_sec', 'bytes_sec_max', 'iops_sec_max']

/**
 * virDomainDiskIoTuneValidate, of a disk's `<iotune>` or (libvirt 11) a throttle group: a total limit beside a read or
 * write one of its kind — the message and the total's element name.
 */
export function iotuneTotalsConflict(limits: N | undefined, read?: (name: string) => bigint): { message: string; at: string } | undefined {
  if (!limits) return undefined
  const set = (name: string): boolean => (read ? read(name) : readCUnsignedLongLong(textIn(child(limits, name)), 10) ?? 0n) !== 0n
  for (const what of diskIotuneTotals) {
    if (set(`total_${what}`) && (set(`read_${what}`) || set(`write_${what}`))) return { message: `total and read/write ${what} cannot be set at the same time`, at: `total_${what}` }
  }
  return undefined
}

/**
 * What virDomainStorageSourceParse refuses in a disk's `<source>` by the disk's type (libvirtd 9.0's words): a network
 * source's name (NBD's may be left out), a volume's pool and volume together and its mode, an NVMe source's PCI type,
 * namespace (a base-10 number) and address; then the first storage slice's offset and size (unsigned, base 10).
 */
function diskSourceProblem(d: N, v9: boolean): { message: string; at: string } | undefined {
  const source = child(d, 'source')
  if (!source) return undefined
  const type = d.attrs.type ?? 'file'
  const a = source.attrs
  if (type === 'network' && a.protocol !== undefined && a.protocol !== 'nbd' && a.name === undefined) return { message: 'missing name for disk source', at: '' }
  if (type === 'volume' && (a.pool !== undefined || a.volume !== undefined)) {
    if (a.pool === undefined || a.volume === undefined) return { message: "'pool' and 'volume' must be specified together for 'pool' type source", at: '' }
    if (a.mode !== undefined && a.mode !== 'host' && a.mode !== 'direct') return { message: volumeModeProblem(a.mode, v9), at: '/@mode' }
  }
  if (type === 'nvme') {
    if (a.type === undefined) return { message: "missing 'type' attribute to disk source", at: '' }
    if (a.type !== 'pci') return { message: `unsupported source type '${a.type}'`, at: '/@type' }
    // (11.3 reads it with virXMLPropULongLong, REQUIRED: virDomainDiskSourceNVMeParse — seen on libvirtd 11.3)
    if (a.namespace === undefined) return { message: v9 ? "missing 'namespace' attribute to disk source" : "Missing required attribute 'namespace' in element 'source'", at: '' }
    if (readCUnsignedLongLong(a.namespace, 10) === undefined) return { message: v9 ? `malformed namespace '${a.namespace}'` : `Invalid value for attribute 'namespace' in element 'source': '${a.namespace}'. Expected non-negative integer value`, at: '/@namespace' }
    if (!child(source, 'address')) return { message: 'NVMe disk source is missing address', at: '' }
  }
  const encrypted = luksInfoProblem(child(source, 'encryption'))
  if (encrypted) return { message: encrypted.message, at: `/encryption${encrypted.at}` }
  // (virStoragePRDefParseXML: an unmanaged reservation, or one naming anything of its helper's socket, names all three —
  // an empty one is none to virXPathString —, a UNIX socket the client connects to)
  const reservations = child(source, 'reservations')
  if (reservations) {
    const helper = child(reservations, 'source')?.attrs ?? {}
    const [prType, prPath, prMode] = [helper.type, helper.path, helper.mode].map((v) => (v === '' ? undefined : v))
    if (reservations.attrs.managed === 'no' || prType !== undefined || prPath !== undefined || prMode !== undefined) {
      if (prType === undefined) return { message: 'missing connection type for <reservations/>', at: '/reservations' }
      if (prPath === undefined) return { message: 'missing path for <reservations/>', at: '/reservations' }
      if (prMode === undefined) return { message: 'missing connection mode for <reservations/>', at: '/reservations' }
    }
    if (prType !== undefined && prType !== 'unix') return { message: `unsupported connection type for <reservations/>: ${prType}`, at: '/reservations/source/@type' }
    if (prMode !== undefined && prMode !== 'client') return { message: `unsupported connection mode for <reservations/>: ${prMode}`, at: '/reservations/source/@mode' }
  }
  // (the first storage slice alone is read: `./slices/slice[@type='storage']`)
  for (const slice of kids(child(source, 'slices'), 'slice').filter((c) => c.attrs.type === 'storage').slice(0, 1)) {
    const { offset, size } = slice.attrs
    if (!offset || !size) return { message: 'missing offset or size attribute of slice', at: '/slices/slice' }
    if (!/^[\t\n\v\f\r ]*\+?[0-9]+$/.test(offset) || readCUnsignedLongLong(offset, 10) === undefined) return { message: `malformed value '${offset}' of 'offset' attribute of slice`, at: '/slices/slice/@offset' }
    if (!/^[\t\n\v\f\r ]*\+?[0-9]+$/.test(size) || readCUnsignedLongLong(size, 10) === undefined) return { message: `malformed value '${size}' of 'size' attribute of slice`, at: '/slices/slice/@size' }
  }
  return undefined
}

/**
 * virStorageEncryptionParseNode: a LUKS encryption's `<cipher>` names its cipher (its key size is a typed read: model's
 * attributeReads), and an `<ivgen>` needs that cipher, and names its generator (libvirt 9.0's words, as 11.3's).
 */
function luksInfoProblem(encryption: N | undefined): { message: string; at: string } | undefined {
  if (encryption?.attrs.format !== 'luks') return undefined
  // (after the secrets: one of no type, or of a type or a volume that does not read, is the encryption row's refusal —
  // `<secret x:type=…>` before an `<ivgen>` without a cipher, seen on libvirtd 9.0, probe h29-r6-68)
  for (const secret of kids(encryption, 'secret')) {
    const type = secret.attrs.type
    if (type === undefined || !(deviceNames.encryptionSecretTypes as readonly string[]).includes(type) || secretLookupProblem(secret, '') !== undefined) return undefined
  }
  const cipher = child(encryption, 'cipher')
  if (cipher && cipher.attrs.name === undefined) return { message: "cipher info missing 'name' attribute", at: '/cipher' }
  const ivgen = child(encryption, 'ivgen')
  if (ivgen && cipher?.attrs.name === undefined) return { message: 'ivgen element found, but cipher is missing', at: '/ivgen' }
  if (ivgen && ivgen.attrs.name === undefined) return { message: 'missing ivgen info name string', at: '/ivgen' }
  return undefined
}

/**
 * Whether virDomainGraphicsAuthDefParseXML reads a password's validity: six base-10 ints (virStrToLong_i: blanks and a
 * sign before each) joined by `-`, `-`, `T`, `:`, `:`, nothing after.
 */
function validityTimeReads(text: string): boolean {
  const part = '[\\t\\n\\v\\f\\r ]*[+-]?(\\d+)'
  const m = new RegExp(`^${part}-${part}-${part}T${part}:${part}:${part}$`).exec(text)
  return m !== null && m.slice(1).every((n) => Number(n) <= 2147483647)
}

/** How many of model's diskIotuneLimits QEMU caps at 10^15 (the first ones). */
const diskIotuneThrottled = 13

/** A disk's I/O limits in diskIotuneLimits' order, as the numbers libvirt reads (0: none). */
function iotuneLimits(iotune: N): bigint[] {
  return diskIotuneLimits.map((name) => readCUnsignedLongLong(textIn(child(iotune, name)), 10) ?? 0n)
}

/** A disk's I/O limits once post-parse gave one that names only its group the first limits another disk of the group sets. */
function groupIotuneLimits(ctx: PreviewContext, d: N): bigint[] {
  const iotune = child(d, 'iotune')!
  const own = iotuneLimits(iotune)
  const group = textIn(child(iotune, 'group_name'))
  if (group === '' || own.some((v) => v !== 0n)) return own
  for (const other of devicesOfKind(ctx, 'disk')) {
    const theirs = child(other, 'iotune')
    if (other === d || theirs === undefined || textIn(child(theirs, 'group_name')) !== group) continue
    const limits = iotuneLimits(theirs)
    if (limits.some((v) => v !== 0n)) return limits
  }
  return own
}

/**
 * What a vhost-user disk has that it cannot (virDomainDiskVhostUserValidate, in its order): a snapshot mode but `no`,
 * driver settings (cache but `default`, error policies, I/O mode, ioeventfd, copy on read, discard, an I/O thread, zero
 * detection, a metadata cache), then I/O limits, a backing store, encryption, read-only (a CD-ROM is, once
 * virDomainDiskDefPostParse has run) or shared access, transience, a
 * serial, WWN, vendor or product, authentication, a geometry or a block size.
 */
function vhostUserDiskProblem(d: N): { what: string; at: string } | undefined {
  const driver = child(d, 'driver')?.attrs ?? {}
  // (its bus first — virtio alone; what a disk off virtio cannot have is refused before, by virDomainDiskDefValidate's
  // own checks: a virtio model, queues, event_idx, ioeventfd)
  const target = child(d, 'target')
  const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)
  const offVirtioRefused = (d.attrs.model ?? '').startsWith('virtio') || driver.queues !== undefined || driver.event_idx !== undefined || driver.ioeventfd !== undefined
  if (bus !== 'virtio') return offVirtioRefused ? undefined : { what: 'bus', at: 'target/@bus' }
  if (d.attrs.snapshot !== undefined && d.attrs.snapshot !== 'no') return { what: 'snapshot', at: '@snapshot' }
  const settings: readonly (readonly [string, string, boolean])[] = [
    ['cache', 'cache', driver.cache !== undefined && driver.cache !== 'default'],
    ['error_policy', 'error_policy', driver.error_policy !== undefined || driver.rerror_policy !== undefined],
    ['io', 'io', driver.io !== undefined], ['ioeventfd', 'ioeventfd', driver.ioeventfd !== undefined], ['copy_on_read', 'copy_on_read', driver.copy_on_read !== undefined],
    ['discard', 'discard', driver.discard !== undefined], ['iothread', 'iothread', (readCUnsignedLongLong(driver.iothread ?? '0', 10) ?? 0n) !== 0n], ['detect_zeroes', 'detect_zeroes', driver.detect_zeroes !== undefined],
  ]
  for (const [what, attribute, set] of settings) if (set) return { what, at: `driver/@${attribute}` }
  const cache = child(child(child(d, 'driver'), 'metadata_cache'), 'max_size')
  if (cache && (readCUnsignedLongLong(textIn(cache), 10) ?? 0n) !== 0n) return { what: 'metadata_cache', at: 'driver/metadata_cache' }
  const iotune = child(d, 'iotune')
  if (iotune && (textIn(child(iotune, 'group_name')) !== '' || diskIotuneLimits.some((name) => (readCUnsignedLongLong(textIn(child(iotune, name)), 10) ?? 0n) !== 0n))) return { what: 'iotune', at: 'iotune' }
  const source = child(d, 'source')
  const elements: readonly (readonly [string, N | undefined])[] = [
    ['backingStore', child(d, 'backingStore')], ['encryption', child(source, 'encryption') ?? child(d, 'encryption')], ['readonly', child(d, 'readonly') ?? (d.attrs.device === 'cdrom' ? d : undefined)], ['shareable', child(d, 'shareable')],
    ['transient', child(d, 'transient')], ['serial', child(d, 'serial')], ['wwn', child(d, 'wwn')], ['vendor', child(d, 'vendor')], ['product', child(d, 'product')],
    ['auth', child(source, 'auth') ?? child(d, 'auth')],
  ]
  // (a serial, WWN, vendor or product is its text: an empty one is none, virXPathString)
  const textual = new Set(['serial', 'wwn', 'vendor', 'product'])
  for (const [what, n] of elements) {
    if (n === undefined || (textual.has(what) && textIn(n) === '')) continue
    return { what, at: (what === 'auth' || what === 'encryption') && child(source, what) ? `source/${what}` : what }
  }
  const geometry = child(d, 'geometry')?.attrs
  const positive = (value: string | undefined): boolean => (readCUnsignedLongLong(value ?? '0', 10) ?? 0n) > 0n
  if (geometry && (positive(geometry.cyls) || positive(geometry.heads) || positive(geometry.secs) || (geometry.trans !== undefined && geometry.trans !== 'default'))) return { what: 'geometry', at: 'geometry' }
  const blockio = child(d, 'blockio')?.attrs
  if (blockio && (positive(blockio.logical_block_size) || positive(blockio.physical_block_size))) return { what: 'blockio', at: 'blockio' }
  return undefined
}

/** The protocols a network NVRAM store's source reads (model's attributeReads). */
const nvramProtocols: readonly string[] = attributeReads.get('os/nvram/source')?.find((r) => r[0] === 'protocol')?.[2]?.values ?? []

/** What a host device's `<source>` reads by type (model's childrenByType). */
const hostdevSourceReads = childrenByType.get('source')?.find((byType) => byType.parent?.includes('hostdev'))

/** What a memory device's `<source>` reads by model (model's childrenByType), and the order its values are checked in. */
const memorySourceReads = childrenByType.get('source')?.find((byType) => byType.parent?.includes('memory'))
const memorySourceReadOrder: readonly string[] = ['pagesize', 'alignsize', 'nodemask']

/**
 * Whether two character devices' sources are the same to virDomainChrSourceDefIsEqual: the same type (pty when not
 * written) and, by that type, the same values of what model's chrSourceCompared names.
 */
function sameChrSource(a: N, b: N): boolean {
  const type = a.attrs.type ?? 'pty'
  if ((b.attrs.type ?? 'pty') !== type) return false
  const value = (d: N, name: string): string | undefined => {
    const source = child(d, 'source')
    switch (name) {
      case 'mode': return source?.attrs.mode === 'bind' || (type === 'unix' && source?.attrs.path === undefined) ? 'bind' : 'connect'
      case 'protocol': return child(d, 'protocol')?.attrs.type ?? 'raw'
      case 'reconnect': { const r = child(source, 'reconnect'); return r === undefined ? undefined : `${r.attrs.enabled}/${r.attrs.enabled === 'yes' ? String(uint(r.attrs.timeout, 10)) : ''}` }
      case 'bind': case 'connect': { const end = udpEnds(d)[name]; return `${end?.host}/${end?.service}` }
      case 'clipboard': return child(source, 'clipboard')?.attrs.copypaste
      case 'mouse': return child(source, 'mouse')?.attrs.mode
      default: return source?.attrs[name]
    }
  }
  return (chrSourceCompared[type] ?? []).every((name) => value(a, name) === value(b, name))
}

/**
 * libvirt 11.3's qemuValidateDomainDeviceDefMemory: the model's QEMU device — a virtio-mem device's by its address, PCI's
 * or CCW's (none asked on another) —, an NVDIMM's read-only property; on CCW a virtio-mem device's page size the boot
 * memory's (the first huge page's, 0 for `<hugepages/>` without pages) and no NUMA node but 0; its dynamic memory slots.
 */
function memoryDeviceQemuProblem11(ctx: PreviewContext, m: N, path: string): { message: string; path: string } | undefined {
  const model = m.attrs.model ?? ''
  const need = qemuDeviceFlags.memoryModels[model]
  if (model === 'virtio-mem') {
    const type = child(m, 'address')?.attrs.type ?? primedAddressType(ctx, m) ?? 'pci'
    const flag = type === 'pci' ? need!.flag : type === 'ccw' ? need!.ccwFlag : undefined
    if (flag !== undefined && !has(ctx, flag)) return { message: need!.message, path: `${path}/@model` }
    if (type === 'ccw') {
      const pagesize = child(child(m, 'source'), 'pagesize')
      const pageKib = pagesize && textIn(pagesize) !== '' ? readLibvirtMemory(textIn(pagesize), pagesize.attrs.unit, '') : undefined
      const hugepages = child(child(ctx.domain, 'memoryBacking'), 'hugepages')
      const first = child(hugepages, 'page')
      const bootRead = first?.attrs.size !== undefined ? readLibvirtMemory(first.attrs.size, first.attrs.unit, '') : undefined
      const boot = bootRead && 'kib' in bootRead ? bootRead.kib : 0
      if (pageKib && 'kib' in pageKib && pageKib.kib !== 0 && hugepages && pageKib.kib !== boot) return { message: "virtio-mem-ccw can't use different page size than the boot memory", path: `${path}/source/pagesize` }
      const nodeText = child(child(m, 'target'), 'node')?.text ?? ''
      const node = nodeText === '' ? undefined : readCInt(nodeText, 10)
      if (node !== undefined && node !== 0) return { message: 'NUMA nodes are not supported for virtio-mem-ccw', path: `${path}/target/node` }
    }
    const { dynamicMemslots } = qemuDeviceFlags.more11
    if (child(m, 'target')?.attrs.dynamicMemslots === 'yes' && !has(ctx, dynamicMemslots.flag)) return { message: dynamicMemslots.message, path: `${path}/target/@dynamicMemslots` }
    return undefined
  }
  if (need !== undefined && !has(ctx, need.flag)) return { message: need.message, path: `${path}/@model` }
  if (model === 'nvdimm' && child(child(m, 'target'), 'readonly') && !has(ctx, 'nvdimm.unarmed')) return { message: 'nvdimm readonly property is not available with this QEMU binary', path: `${path}/target/readonly` }
  return undefined
}

export const deviceRefusals: readonly Refusal[] = [
  // virSecurityDeviceLabelDefParseXML: the labels of a disk's sources (down its backing chain) and of a character
  // device's (a disk's label overriding a domain label that does not relabel is virDomainDiskDefValidate's, below)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: labelledKinds,
    check: (ctx) => firstDevice(ctx, (d, list) => labelledSourcesProblem(d, (source) => sourceLabelsProblem(source, `${d.name === 'disk' ? diskPath(d) : placeOf(list, d)}/source`, !isLibvirt9(ctx)))),
  },
  // virDomainControllerDefParseXML: a controller's model is one its type knows (model's controllerModels), read right
  // after the type (a type that does not read is the typed reads' refusal); libvirtd 9.0's words
  {
    code: 'preview-refused', stage: 'parse', kinds: ['controller'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.attrs.model
      if (model === undefined) return undefined
      const type = d.attrs.type ?? 'ide'
      if (!controllerTypes.has(type)) return undefined
      return controllerModels.get(type)?.includes(model) ? undefined : { message: `Unknown model type '${model}'`, path: `${placeOf(list, d)}/@model` }
    }),
  },
  // virDomainDeviceUSBAddressParsePort (device_conf.c, as each device's address is parsed): a USB port path is up to
  // four port numbers joined by dots (USB hubs nest four deep); the same words on libvirtd 9.0
  {
    code: 'preview-invalid-value', stage: 'parse', addresses: ['usb'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const a = child(d, 'address')
      const port = a?.attrs.type === 'usb' ? a.attrs.port : undefined
      return port !== undefined && readUsbPort(port) === undefined ? { message: "Cannot parse <address> 'port' attribute", path: `${placeOf(list, d)}/address/@port` } : undefined
    }),
  },
  // ---- host devices ----
  // virDomainHostdevDefParseXMLSubsys / …Caps: a host device's type of its mode's enumeration (virDomainHostdevSubsysType,
  // virDomainHostdevCapsType); a vhost SCSI host's protocol, required and `vhost` (its enumeration's first name, none,
  // refused too) — libvirtd 9.0's words, the odd-value search edit's finds
  {
    code: 'preview-refused', stage: 'parse', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'hostdev') return undefined
      const mode = d.attrs.mode ?? 'subsystem'
      const type = d.attrs.type
      const types: readonly string[] | undefined = mode === 'subsystem' ? deviceNames.hostdevSubsysTypes : mode === 'capabilities' ? deviceNames.hostdevCapsTypes : undefined
      if (type === undefined || types === undefined) return undefined
      // (libvirt 11.3 reads it with virXMLPropEnum: its words, an XML error — seen on libvirtd 11.3)
      if (!types.includes(type)) {
        return isLibvirt9(ctx) ? { message: `unknown host device source address type '${type}'`, path: `${placeOf(list, d)}/@type` }
          : { code: 'preview-invalid-value', message: `Invalid value for attribute 'type' in element 'hostdev': '${type}'.`, path: `${placeOf(list, d)}/@type` }
      }
      // (then its <source>, required in both modes — nova's test domains write a PCI one without)
      if (child(d, 'source') === undefined) return { code: 'preview-invalid-value', message: 'Missing <source> element in hostdev device', path: placeOf(list, d) }
      // (a capabilities device's own element: a block device's, a character device's, a network interface's)
      // (model's childrenByType names the element; libvirt's words name the device: storage, character, net)
      const own = mode === 'capabilities' ? hostdevSourceReads?.sets.get(type)?.values().next().value : undefined
      const words = ({ storage: 'storage', misc: 'character', net: 'net' } as Record<string, string>)[type]
      // (read as a string, `string(./source/block[1])`: an empty one is none)
      if (own !== undefined && words !== undefined && (child(child(d, 'source'), own)?.text ?? '') === '') return { code: 'preview-invalid-value', message: `Missing <${own}> element in hostdev ${words} device`, path: `${placeOf(list, d)}/source` }
      // (a startup policy is a USB device's)
      if (mode === 'subsystem' && type !== 'usb' && child(d, 'source')!.attrs.startupPolicy !== undefined) return { message: 'Setting startupPolicy is only allowed for USB devices', path: `${placeOf(list, d)}/source/@startupPolicy` }
      // (a SCSI host device's source protocol, virDomainHostdevSubsysSCSIProtocol: 9.0's words, 11's virXMLPropEnum's —
      // the odd-value search edit, seed 290)
      const source = child(d, 'source')!
      // (a USB device's vendor and product go together — virDomainHostdevSubsysUSBDefParseXML, internal errors)
      if (mode === 'subsystem' && type === 'usb') {
        const vendor = child(source, 'vendor')
        const product = child(source, 'product')
        if (vendor && !product) return { message: 'missing product', path: `${placeOf(list, d)}/source/vendor` }
        if (product && !vendor) return { message: 'missing vendor', path: `${placeOf(list, d)}/source/product` }
      }
      // (a PCI device's host address in range once read, unless all of domain, bus and slot are 0 — virPCIDeviceAddressParseXML)
      const hostPci = mode === 'subsystem' && type === 'pci' ? hostPciAddressProblem(child(source, 'address')) : undefined
      if (hostPci !== undefined) return { code: 'preview-invalid-value', message: hostPci, path: `${placeOf(list, d)}/source/address` }
      if (type === 'scsi') {
        const scsiProtocol = source.attrs.protocol
        if (scsiProtocol !== undefined && !(deviceNames.hostdevScsiProtocols as readonly string[]).includes(scsiProtocol)) {
          return isLibvirt9(ctx) ? { message: `Unknown SCSI subsystem protocol '${scsiProtocol}'`, path: `${placeOf(list, d)}/source/@protocol` }
            : { code: 'preview-invalid-value', message: `Invalid value for attribute 'protocol' in element 'source': '${scsiProtocol}'.`, path: `${placeOf(list, d)}/source/@protocol` }
        }
        // (an iSCSI LUN names its target and one host; a host adapter's LUN its address and the adapter)
        if (scsiProtocol === 'iscsi') {
          if (source.attrs.name === undefined) return { code: 'preview-invalid-value', message: 'missing iSCSI hostdev source path name', path: `${placeOf(list, d)}/source` }
          const hosts = kids(source, 'host').length
          if (hosts < 1) return { code: 'preview-invalid-value', message: 'missing the host address for the iSCSI hostdev', path: `${placeOf(list, d)}/source` }
          if (hosts > 1) return { code: 'preview-invalid-value', message: 'only one source host address may be specified for the iSCSI hostdev', path: `${placeOf(list, d)}/source/host[2]` }
          // (then its <auth>, read as a disk's (virStorageAuthDefParse: a user name, an auth type of its names, a <secret>
          // named by UUID or usage), whose secret must be an iSCSI one — virSecretUsageType's names, else its own words,
          // then the host device's; libvirtd 9.0)
          const auth = child(source, 'auth')
          if (auth) {
            const where = `${placeOf(list, d)}/source/auth`
            const problem = storageAuthProblem(auth, where)
            if (problem) return problem
            const secretType = child(auth, 'secret')!.attrs.type
            if (secretType === undefined || !['none', 'volume', 'ceph', 'iscsi', 'tls', 'vtpm'].includes(secretType)) return { message: `invalid secret type ${secretType ?? '(null)'}`, path: `${where}/secret/@type` }
            if (secretType !== 'iscsi') return { message: `hostdev invalid secret type '${secretType}'`, path: `${where}/secret/@type` }
          }
          return undefined
        }
        if (!child(source, 'address')) return { code: 'preview-invalid-value', message: "'address' must be specified for scsi hostdev source", path: `${placeOf(list, d)}/source` }
        if ((child(source, 'adapter')?.attrs.name ?? '') === '') return { code: 'preview-invalid-value', message: "'adapter' name must be specified for scsi hostdev source", path: `${placeOf(list, d)}/source/adapter` }
        return undefined
      }
      if (type !== 'scsi_host') return undefined
      const protocol = child(d, 'source')?.attrs.protocol
      if (protocol === undefined) return { code: 'preview-invalid-value', message: scsiHostProtocolMissing(isLibvirt9(ctx)), path: `${placeOf(list, d)}/source` }
      if (protocol !== 'vhost') {
        return isLibvirt9(ctx) ? { message: `Unknown scsi_host subsystem protocol '${protocol}'`, path: `${placeOf(list, d)}/source/@protocol` }
          : { code: 'preview-invalid-value', message: `Invalid value for attribute 'protocol' in element 'source': '${protocol}'.`, path: `${placeOf(list, d)}/source/@protocol` }
      }
      // (its target's WWPN: `naa.` and a WWN — virValidateWWN: 16 hex digits, after an optional 0x)
      const wwpn = child(d, 'source')?.attrs.wwpn
      if (wwpn === undefined) return { code: 'preview-invalid-value', message: 'missing vhost-scsi hostdev source wwpn', path: `${placeOf(list, d)}/source` }
      return wwpn.startsWith('naa.') && wwnReads(wwpn.slice(4)) ? undefined : { code: 'preview-invalid-value', message: "malformed 'wwpn' value", path: `${placeOf(list, d)}/source/@wwpn` }
    }),
  },
  // virDomainHostdevDefParseXMLSubsys: `rawio` belongs to SCSI host devices (libvirtd 9.0 says so too, in its
  // log — and then crashes on the error path, so the sandbox is never asked)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'hostdev' || (d.attrs.mode ?? 'subsystem') !== 'subsystem' || d.attrs.type === 'scsi') return undefined
      // (sgio likewise, read right after it)
      const attribute = d.attrs.rawio !== undefined ? 'rawio' : d.attrs.sgio !== undefined ? 'sgio' : undefined
      return attribute ? { message: `${attribute} is only supported for scsi host device`, path: `${placeOf(list, d)}/@${attribute}` } : undefined
    }),
  },
  // virDomainHostdevSubsysMediatedDevDefParseXML: a mediated device is named by the UUID of its source address
  // (libvirt 11.3's words are 9.0's, seen on libvirtd 9.0 for each)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'hostdev' && (d.attrs.mode ?? 'subsystem') === 'subsystem' && d.attrs.type === 'mdev' ? child(d, 'source') : undefined
      if (!source) return undefined
      const address = child(source, 'address')
      if (!address) return { message: 'Missing <address> element', path: `${placeOf(list, d)}/source` }
      const uuid = address.attrs.uuid
      if (uuid === undefined) return { message: "Missing 'uuid' attribute for element <address>", path: `${placeOf(list, d)}/source/address` }
      return uuidParses(uuid) ? undefined : { message: 'Cannot parse uuid attribute of element <address>', path: `${placeOf(list, d)}/source/address/@uuid` }
    }),
  },
  // virDomainHostdevDefValidate (generic, before the QEMU driver's checks of the device — its address's and the rows below:
  // a PCI host device's CCW address off s390 refused for its type, probe h40-v-pci-ga-ccw, libvirtd 9.0): the address type each host
  // device subsystem takes, no unfiltered SG_IO, teaming only transient, persistent and on a PCI host device
  {
    code: 'preview-refused', stage: 'validate', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'hostdev') return undefined
      const path = placeOf(list, d)
      // (as validation sees it, after post-parse: a SCSI host device without an address primed virtio-mmio on an ARM
      // virt domain with a virtio-mmio device, or a vexpress board — refused; probe h31-pr-scsihost, libvirtd 9.0)
      const type = child(d, 'address')?.attrs.type ?? primedAddressType(ctx, d)
      const subsystem = (d.attrs.mode ?? 'subsystem') === 'subsystem'
      if (subsystem && type !== undefined && type !== 'none') {
        const allowed = hostdevAddressTypes[d.attrs.type ?? '']
        if (allowed !== undefined && !allowed.types.includes(type)) return { message: allowed.message, path: `${path}/address/@type` }
      }
      if (subsystem && d.attrs.type === 'scsi' && d.attrs.sgio === 'unfiltered') return { message: 'unfiltered sgio is no longer supported', path: `${path}/@sgio` }
      const teaming = teamingOf(d)
      if (teaming) {
        if (teaming.type !== 'transient') return { message: "teaming hostdev devices must have type='transient'", path: `${path}/teaming/@type` }
        if (teaming.persistent === undefined) return { message: 'missing required persistent attribute in hostdev teaming element', path: `${path}/teaming` }
        if (!subsystem || d.attrs.type !== 'pci') return { message: 'teaming is only supported for pci hostdev devices', path: `${path}/teaming` }
      }
      return undefined
    }),
  },
  // virDomainHostdevDefValidate on a host device interface's host device (in libvirt's host devices' list, validated in the
  // walk's host devices after the interfaces): the address type its source's type takes — a virtio one on s390 primed CCW
  // by qemuDomainPrimeVirtioDeviceAddresses, whatever the interface's type (probe h40-s-nicpci-model, libvirtd 9.0); a
  // written one of another type is the interface's own QEMU check's, met first
  {
    code: 'preview-refused', stage: 'validate', kinds: ['interface'], validates: 'hostdev',
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'interface' || d.attrs.type !== 'hostdev' || child(d, 'address') !== undefined) return undefined
      const type = primedAddressType(ctx, d)
      const allowed = type === undefined ? undefined : hostdevAddressTypes[conditionValue(hostdevNicSourceType, d) ?? '']
      return allowed !== undefined && !allowed.types.includes(type!) ? { message: allowed.message, path: `${placeOf(list, d)}/address/@type` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefHostdev: a vhost SCSI target is not bootable; QEMU filters no PCI configuration writes
  // (the doc's `writeFiltering` is Xen's)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'hostdev') return undefined
      // (no capabilities mode in QEMU, named by the domain's virt type; then by subsystem type: a USB device's guest
      // reset, a VFIO PCI device and a vhost SCSI one the QEMU has — a mediated device's: the row below)
      const mode = d.attrs.mode ?? 'subsystem'
      if (mode === 'capabilities') return { message: `hostdev mode 'capabilities' is not supported in ${ctx.domain.attrs.type ?? ''}`, path: `${placeOf(list, d)}/@mode` }
      if (mode !== 'subsystem') return undefined
      const type = d.attrs.type
      if (type === 'usb' && child(d, 'source')?.attrs.guestReset !== undefined && child(d, 'source')?.attrs.guestReset !== 'off' && !has(ctx, 'usb-host.guest-resets-all')) {
        return { message: 'guestReset is not supported with this version of QEMU', path: `${placeOf(list, d)}/source/@guestReset` }
      }
      if (type === 'pci' && (child(d, 'driver')?.attrs.name ?? 'vfio') === 'vfio' && !has(ctx, 'vfio-pci')) return { message: 'VFIO PCI device assignment is not supported by this version of qemu', path: placeOf(list, d) }
      if (type === 'scsi_host' && child(d, 'boot')) return { message: 'booting from assigned devices is not supported by vhost SCSI devices', path: `${placeOf(list, d)}/boot` }
      if (type === 'scsi_host' && child(d, 'source')?.attrs.protocol === 'vhost' && !has(ctx, 'vhost-scsi')) return { message: "This QEMU doesn't support vhost-scsi devices", path: placeOf(list, d) }
      const filtering = type === 'pci' ? child(d, 'source')?.attrs.writeFiltering : undefined
      return filtering !== undefined && filtering !== 'default' ? { message: 'Write filtering of PCI device configuration space is not supported by qemu', path: `${placeOf(list, d)}/source/@writeFiltering` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefHostdev on a host device interface's host device: its PCI source's write filtering, which
  // QEMU does not do (libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'interface' || d.attrs.type !== 'hostdev' || conditionValue(hostdevNicSourceType, d) !== 'pci') return undefined
      return child(d, 'source')?.attrs.writeFiltering !== undefined ? { message: 'Write filtering of PCI device configuration space is not supported by qemu', path: `${placeOf(list, d)}/source/@writeFiltering` } : undefined
    }),
  },
  // virDomainDefHostdevValidate: one host device once — a host device interface's too (the parser puts it in the
  // host device list as it reads the interfaces, before any <hostdev>: libvirtd 9.0 refuses two interfaces of one
  // PCI address, or an interface and a <hostdev>); one mediated device with ramfb
  {
    code: 'preview-invalid-value', stage: 'validate', generic: 'hostdev', kinds: ['hostdev', 'interface'],
    check: (ctx) => {
      const list = devices(ctx)
      // the keys of the host devices before: one per kind, USB ones by address (when set) or by IDs (when not)
      const keys = new Set<string>()
      const usbAddresses = new Set<string>()
      const usbIdsOfUnaddressed = new Set<string>()
      let ramfb = false
      // (most domains have NICs and no host device: one pass over the row's devices finds that out)
      let count = 0
      for (const d of rowDevices(ctx)) if (d.name === 'hostdev' || d.attrs.type === 'hostdev') count++
      if (count < 2) return undefined
      const held = [...list.filter((d) => d.name === 'interface' && d.attrs.type === 'hostdev'), ...list.filter((d) => d.name === 'hostdev')]
      for (const h of held) {
        const k = h.name === 'hostdev' ? hostDeviceKeys(h) : interfaceHostdevKeys(h)
        if (k) {
          const twin = k.key !== undefined ? keys.has(k.key)
            : (k.usbAddress !== undefined && usbAddresses.has(k.usbAddress)) || (k.usbIds !== undefined && usbIdsOfUnaddressed.has(k.usbIds))
          if (twin) return { message: 'Hostdev already exists in the domain configuration', path: placeOf(list, h) }
          if (k.key !== undefined) keys.add(k.key)
          else if (k.usbAddress !== undefined) usbAddresses.add(k.usbAddress)
          else if (k.usbIds !== undefined) usbIdsOfUnaddressed.add(k.usbIds)
        }
        if ((h.attrs.mode ?? 'subsystem') === 'subsystem' && h.attrs.type === 'mdev' && h.attrs.ramfb === 'on') {
          if (ramfb) return { message: "Only one vgpu device can have 'ramfb' enabled", path: `${placeOf(list, h)}/@ramfb` }
          ramfb = true
        }
      }
      return undefined
    },
  },
  // virDomainCCWAddressAssign (domain_addr.c, from qemuDomainAssignS390Addresses): a CCW device number once — on an s390
  // CCW machine alone (elsewhere the set is never made: a CCW address is refused in validation, libvirtd 9.0), the
  // primary video of model none cleared before (virDomainDefPostParseVideo)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'addresses', addresses: ['ccw'],
    check: (ctx) => {
      if (!machineName(ctx).startsWith('s390-ccw')) return undefined
      // (the virtio-serial ports are reserved before: a complete one on a controller no one has is refused first, there)
      if (devices(ctx).some((d) => { const a = child(d, 'address'); return a?.attrs.type === 'virtio-serial' && virtioSerialControllerMissing(ctx, a) })) return undefined
      const seen = new Set<string>()
      // (virDomainDeviceInfoIterate skips the first console when it stands for serial 0 — written as a serial one or with no
      // target type, beside a serial port: virDomainSkipBackcompatConsole; without one it is moved to serial 0, its address
      // with it — probes h27-xc0, -xc10, h27-m31-161, libvirtd 9.0)
      const consoles = devicesOfKind(ctx, 'console')
      const aliasType = child(consoles[0], 'target')?.attrs.type
      const alias = consoles.length > 0 && (aliasType === undefined || aliasType === 'serial') && devicesOfKind(ctx, 'serial').length > 0 ? consoles[0] : undefined
      return firstDevice(ctx, (d, list) => {
        const a = child(d, 'address')
        // (the virtio-serial ports are assigned before, a virtio channel's CCW address gone; a USB hub's is replaced after)
        if (a?.attrs.type !== 'ccw' || d === alias || (d.name !== 'hub' && addressReplacedInPostParse(ctx, d))) return undefined
        const [cssid, ssid, devno] = [uint(a.attrs.cssid), uint(a.attrs.ssid), uint(a.attrs.devno)]
        if (cssid === undefined || ssid === undefined || devno === undefined) return undefined
        const key = `${cssid.toString(16)}.${ssid.toString(16)}.${devno.toString(16).padStart(4, '0')}`
        if (seen.has(key)) return { message: `The CCW devno '${key}' is in use already`, path: `${placeOf(list, d)}/address` }
        seen.add(key)
        return undefined
      })
    },
  },
  // virDomainDeviceInfoValidate: an unassigned address is a host device's alone (seen on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', addresses: ['unassigned'], deviceStep: 'info',
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name !== 'hostdev' && !addressMadeDimm(d) && !addressReplacedInPostParse(ctx, d) && child(d, 'address')?.attrs.type === 'unassigned' ? { message: "address of type 'unassigned' is supported only for hostdevs", path: `${placeOf(list, d)}/address/@type` } : undefined)),
  },
  // virDomainShmemDefValidate: a shared memory name is a file name; virDomainVsockDefValidate: guest CIDs
  // 0–2 are reserved; virDomainInputDefValidate: PS/2 carries a mouse and a keyboard — the generic checks, before the
  // QEMU driver's of the same device, its address's included (virDomainDeviceDefValidate: a shared memory name with a
  // slash, a CID of 2, before a CCW address off s390 or the model's QEMU device — libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['shmem', 'vsock', 'input'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const path = new LazyPath(() => placeOf(list, d))
      if (d.name === 'shmem') {
        const name = d.attrs.name ?? ''
        if (name.includes('/')) return { message: "shmem name cannot include '/' character", path: `${path}/@name` }
        if (name === '.' || name === '..') return { message: `shmem name cannot be equal to '${name}'`, path: `${path}/@name` }
      }
      if (d.name === 'vsock') {
        const cid = uint(child(d, 'cid')?.attrs.address, 10)
        if (cid !== undefined && cid > 0 && cid <= 2) return { message: 'guest CIDs must be >= 3', path: `${path}/cid/@address` }
      }
      if (d.name === 'input') {
        const { type, model } = d.attrs
        // (the bus the parser gave it when none is written: defaultInputBus)
        const bus = d.attrs.bus ?? defaultInputBus(ctx, d)
        if (bus === 'ps2' && type !== undefined && type !== 'mouse' && type !== 'keyboard') return { message: `ps2 bus does not support ${type} input device`, path: `${path}/@bus` }
        // (then no Xen bus in a QEMU guest, a passthrough device on virtio, an evdev device on no bus, a virtio model on
        // virtio — an evdev device's bus before a CCW address off s390, probes h49-fa-…, libvirtd 9.0)
        if (bus === 'xen') return { message: 'unsupported input bus xen', path: `${path}/@bus` }
        if (type === 'passthrough' && bus !== 'virtio') return { message: "only bus 'virtio' is supported for 'passthrough' input devices", path: `${path}/@bus` }
        if (type === 'evdev' && bus !== 'none') return { message: "input evdev doesn't support bus element", path: `${path}/@bus` }
        if (model !== undefined && model.startsWith('virtio') && bus !== 'virtio') return { message: `only bus 'virtio' is supported for input model '${model}'`, path: `${path}/@model` }
      }
      return undefined
    }),
  },
  // virDomainSmartcardDefValidate (generic, before the character device checks of a passthrough card): a smartcard sits
  // on a CCID controller (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['smartcard'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const type = d.name === 'smartcard' ? child(d, 'address')?.attrs.type : undefined
      return type !== undefined && type !== 'none' && type !== 'ccid' ? { message: "Controllers must use the 'ccid' address type", path: `${placeOf(list, d)}/address/@type` } : undefined
    }),
  },
  // virDomainEnsureAudioID: a sound device (virDomainSoundDefValidate, where libvirt walks the sound devices) names an
  // audio backend there is (a VNC display's is checked with the display's own checks) — a generic check, before the QEMU
  // driver's of the same card (its address's, its model's: probes h25-c1-mix-5, -76, -237, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['sound'],
    check: (ctx) => {
      const audios = devicesOfKind(ctx, 'audio')
      // (none written: the one post-parse may add, ID 1 — audioIdsAtValidation)
      const ids = new Set<number>(audios.length === 0 ? audioIdsAtValidation(ctx, audios) : [])
      for (const a of audios) { const id = uint(a.attrs.id, 10); if (id !== undefined) ids.add(id) }
      return firstDevice(ctx, (d, l) => {
        if (d.name !== 'sound') return undefined
        const id = uint(child(d, 'audio')?.attrs.id, 10)
        return id !== undefined && id !== 0 && !ids.has(id) ? { message: `no audio device with ID ${id}`, path: `${placeOf(l, d)}/audio/@id` } : undefined
      })
    },
  },
  // virDomainTPMDevValidate: an emulated TPM's active PCR banks are TPM 2.0's; an external TPM connects to a UNIX socket
  // it names (libvirtd 9.0's words; 11 says `connect` for the mode)
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['tpm'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const backend = d.name === 'tpm' ? child(d, 'backend') : undefined
      if (backend?.attrs.type === 'emulator') {
        if ((child(backend, 'active_pcr_banks')?.children.length ?? 0) > 0 && tpmEmulatorVersion(ctx, d) !== '2.0') return { message: "<active_pcr_banks/> requires TPM version '2.0'", path: `${placeOf(list, d)}/backend/active_pcr_banks` }
        // (libvirt 11's TPM profiles are TPM 2.0's too — from 11.3's source)
        return !isLibvirt9(ctx) && child(backend, 'profile')?.attrs.source && tpmEmulatorVersion(ctx, d) !== '2.0' ? { message: "<profile/> requires TPM version '2.0'", path: `${placeOf(list, d)}/backend/profile` } : undefined
      }
      if (backend?.attrs.type !== 'external') return undefined
      const source = child(backend, 'source')
      if (source?.attrs.type !== 'unix') return { message: "only source type 'unix' is supported for external TPM device", path: `${placeOf(list, d)}/backend/source/@type` }
      if (source.attrs.mode === 'bind') return { message: isLibvirt9(ctx) ? "only 'client' mode is supported for external TPM device" : "only 'connect' mode is supported for external TPM device", path: `${placeOf(list, d)}/backend/source/@mode` }
      return source.attrs.path === undefined ? { message: 'missing socket path for external TPM device', path: `${placeOf(list, d)}/backend/source` } : undefined
    }),
  },

  // virDomainChrSourceDefValidate (generic: before the QEMU driver's check of the device's address — a console's file
  // without a path is refused before its CCW address off s390, libvirtd 9.0): the source a backend needs (a virtio or Xen channel's UNIX socket path
  // is generated); an EGD random number generator's backend, a passthrough smartcard and a redirected USB
  // device are character devices too. The first console of serial type is serial 0's copy (its own source
  // is not read).
  {
    code: 'preview-refused', stage: 'validate', kinds: ['serial', 'parallel', 'channel', 'console', 'rng', 'redirdev', 'smartcard'],
    check: (ctx) => {
      const list = devices(ctx)
      const firstConsole = devicesOfKind(ctx, 'console')[0]
      const serialCopy = firstConsole && (child(firstConsole, 'target')?.attrs.type ?? 'serial') === 'serial' && devicesOfKind(ctx, 'serial').length > 0 ? firstConsole : undefined
      return firstDevice(ctx, (d) => {
        const backend = d.name === 'rng' ? egdBackend(d)
          : chardevKinds.has(d.name) || d.name === 'redirdev' || (d.name === 'smartcard' && d.attrs.mode === 'passthrough') ? d : undefined
        if (!backend) return undefined
        // (the first serial console stays only when its source is serial 0's — model's chrSourceCompared —, and is then
        // validated with its own labels; another was replaced by a stub: virDomainDefAddConsoleCompat, libvirtd 9.0)
        if (d === serialCopy) return sameChrSource(devicesOfKind(ctx, 'serial')[0]!, d) ? relabelConflict(ctx, d, () => placeOf(list, d), ctx.options.qemuConf?.securityDriver?.[0]) : undefined
        const type = backend.attrs.type ?? 'pty'
        const source = child(backend, 'source')
        const at = (): string => `${placeOf(list, d)}${backend === d ? '' : '/backend'}`
        if (type === 'file' || type === 'dev' || type === 'pipe' || type === 'unix') {
          const target = child(d, 'target')?.attrs.type
          const generated = type === 'unix' && d.name === 'channel' && (target === 'virtio' || target === 'xen')
          if (source?.attrs.path === undefined && !generated) return { message: 'Missing source path attribute for char device', path: at() }
        }
        // (an nmdm device has both ends or neither)
        if (type === 'nmdm' && (source?.attrs.master === undefined) !== (source?.attrs.slave === undefined)) return { message: 'Should define both master and slave path attributes for nmdm device', path: `${at()}/source` }
        if (type === 'tcp') {
          if (source?.attrs.host === undefined) return { message: 'Missing source host attribute for char device', path: at() }
          if (source.attrs.service === undefined) return { message: 'Missing source service attribute for char device', path: at() }
        }
        // (a UDP device sends to a service: its connect end's — a source without a mode connects)
        if (type === 'udp' && udpEnds(backend).connect?.service === undefined) {
          return { message: 'Missing source service attribute for char device', path: at() }
        }
        // (a SPICE port's or D-Bus channel's name, of letters, digits, `_`, `-` and `.`: virDomainChrSourceDefValidateChannelName
        // — the odd-value search edit, seed 294)
        if (type === 'spiceport' || type === 'dbus') {
          const channel = source?.attrs.channel
          // (a D-Bus USB redirection without one gets QEMU's usbredir channel as it is parsed)
          if (channel === undefined && !(d.name === 'redirdev' && type === 'dbus')) return { message: 'Missing source channel attribute for char device', path: at() }
          if (channel !== undefined && !isChannelName(channel)) return { message: 'Invalid character in source channel for char device', path: `${at()}/source/@channel` }
        }
        // (a virtio channel's socket libvirt generated is dropped first, and a UNIX character device without a path then
        // listens — qemuDomainChrDefPostParse; libvirtd 9.0)
        const generatedPath = type === 'unix' && d.name === 'channel' && child(d, 'target')?.attrs.type === 'virtio' && isGeneratedChannelPath(source?.attrs.path, child(d, 'target')?.attrs.name, ctx)
        const listens = source?.attrs.mode === 'bind' || (type === 'unix' && chardevKinds.has(d.name) && (source?.attrs.path === undefined || generatedPath))
        // (any reconnect written, `no` too: libvirt tests the tristate for not absent — virDomainChrSourceDefValidate)
        const reconnect = child(source, 'reconnect')?.attrs.enabled
        if ((type === 'tcp' || type === 'unix') && listens && (reconnect === 'yes' || reconnect === 'no')) {
          return { message: 'chardev reconnect is possible only for connect mode', path: `${at()}/source/reconnect` }
        }
        // (last, its labels against the domain's, whatever the source type — read for the four character devices alone,
        // model's chrSourceLabels: a label overriding a domain label that does not relabel; libvirtd 9.0)
        if (backend === d && chrSourceLabels.readBy.includes(d.name)) return relabelConflict(ctx, d, () => placeOf(list, d), ctx.options.qemuConf?.securityDriver?.[0])
        return undefined
      })
    },
  },
  // virDomainNetDefValidate (generic: virDomainDeviceDefValidateInternal, before the QEMU driver's checks of the same
  // interface — its address's, ACPI index's and ROM's, qemuValidateDomainDeviceInfo, then its own: a persistent teaming
  // naming a partner refused before an ACPI index off PCI on s390's CCW, probe h45-fz1-231-s390, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'interface' ? netDefProblem(ctx, d, list) : undefined)),
  },
  // qemuValidateDomainDeviceDefZPCIAddress: a zPCI uid from 1 to 0xffff
  {
    code: 'preview-invalid-value', stage: 'validate', addresses: ['pci'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const a = child(d, 'address')
      // (without zPCI in this QEMU, the row below refuses first, as libvirt does; an address post-parse replaces is not checked)
      const uid = a?.attrs.type === 'pci' && has(ctx, 'zpci') && !addressReplacedInPostParse(ctx, d) ? child(a, 'zpci')?.attrs.uid : undefined
      const value = uint(uid)
      if (value === undefined || (value > 0 && value <= 0xffff)) return undefined
      return { message: `Invalid PCI address uid='0x${value.toString(16).padStart(4, '0')}', must be > 0x0000 and <= 0xffff`, path: `${placeOf(list, d)}/address/zpci/@uid` }
    }),
  },

  // qemuValidateDomainDeviceDefZPCIAddress: zPCI needs a QEMU with it (validation's: a USB hub's address is a USB port
  // by then)
  {
    code: 'preview-refused', stage: 'validate', addresses: ['pci'],
    check: (ctx) => (has(ctx, 'zpci') ? undefined : firstDevice(ctx, (d, list) => {
      const a = child(d, 'address')
      return a?.attrs.type === 'pci' && child(a, 'zpci') && !addressReplacedInPostParse(ctx, d) ? { message: "This QEMU binary doesn't support zPCI", path: `${placeOf(list, d)}/address/zpci` } : undefined
    })),
  },
  // qemuValidateDomainMdevDefVFIOPCI / …VFIOAP: mediated devices do not boot; a vfio-pci display needs
  // graphics; one vfio-ap device
  {
    code: 'preview-refused', stage: 'validate', kinds: ['hostdev'],
    check: (ctx) => {
      const list = devices(ctx)
      const graphics = devicesOfKind(ctx, 'graphics').length > 0
      let ap = false
      return firstDevice(ctx, (d) => {
        if (d.name !== 'hostdev' || (d.attrs.mode ?? 'subsystem') !== 'subsystem' || d.attrs.type !== 'mdev') return undefined
        const path = new LazyPath(() => placeOf(list, d))
        const model = d.attrs.model
        // (each model's QEMU device first: vfio-pci, vfio-ap, vfio-ccw)
        if (model === 'vfio-pci' && !has(ctx, 'vfio-pci')) return { message: 'VFIO PCI device assignment is not supported by this version of QEMU', path: `${path}` }
        if (model === 'vfio-ap' && !has(ctx, 'vfio-ap')) return { message: 'VFIO AP device assignment is not supported by this version of QEMU', path: `${path}` }
        if (model === 'vfio-ccw' && !has(ctx, 'vfio-ccw')) return { message: 'VFIO CCW device assignment is not supported by this version of QEMU', path: `${path}` }
        if ((model === 'vfio-pci' || model === 'vfio-ap') && child(d, 'boot')) return { message: `booting from assigned devices is not supported by mediated devices of model ${model}`, path: `${path}/boot` }
        // (libvirt 9.0 asks QEMU for the display property; 11 takes it as every QEMU it supports has it)
        if (model === 'vfio-pci' && d.attrs.display !== undefined && isLibvirt9(ctx) && !has(ctx, 'vfio-pci.display')) return { message: 'display property of device vfio-pci is not supported by this version of QEMU', path: `${path}/@display` }
        if (model === 'vfio-pci' && d.attrs.display === 'on' && !graphics) return { message: "graphics device is needed for attribute value 'display=on' in <hostdev>", path: `${path}/@display` }
        if (model === 'vfio-ap') {
          if (ap) return { message: 'Only one hostdev of model vfio-ap is supported', path: `${path}` }
          ap = true
        }
        return undefined
      })
    },
  },

  // ---- IOMMU: virDomainIOMMUDefValidate, qemuValidateDomainDeviceDefIOMMU ----
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['iommu'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'iommu') return undefined
      if (d.attrs.model === 'virtio' || d.attrs.model === 'smmuv3') {
        const driver = child(d, 'driver')
        const extra = [...intelOnlyIommuAttributes, ...(isLibvirt9(ctx) ? [] : ['dma_translation'] as const)].find((k) => driver?.attrs[k] !== undefined)
        if (extra) return { message: `iommu model '${d.attrs.model}' doesn't support additional attributes`, path: `${placeOf(list, d)}/driver/@${extra}` }
      }
      // (an Intel or SMMUv3 IOMMU is part of the machine: no address — before the QEMU driver's checks, seen on libvirtd 9.0)
      return (d.attrs.model === 'intel' || d.attrs.model === 'smmuv3') && child(d, 'address')
        ? { message: `iommu model '${d.attrs.model}' can't have address`, path: `${placeOf(list, d)}/address` } : undefined
    }),
  },
  // ---- video: virDomainVideoDefValidate, its checks in its order (probes h49-fz-…, libvirtd 9.0: a none video beside
  // others before a non-virtio video's virtio option, a zero resolution before a QXL-only size, that before a ramfb's
  // address, that before the virtio options) — the generic checks, before the QEMU driver's of the same video, its
  // address's included (a ramfb's address before a CCW address off s390, probes h49-fa-…) ----
  {
    code: 'preview-refused', stage: 'validate', kinds: ['video'],
    check: (ctx) => {
      const list = devices(ctx)
      const videos = devicesOfKind(ctx, 'video')
      // (each video validated looks at every video for a none one — a loop over the domain's videos, first in the
      // function —, then at its own settings: the row's videos alone, so that it is placed at the video libvirt validates)
      const none = videos.length > 1 ? videos.find((v) => child(v, 'model')?.attrs.type === 'none') : undefined
      for (const v of rowDevices(ctx)) {
        if (v.name !== 'video') continue
        if (none) return { message: "a 'none' video type must be the only video device defined for the domain", path: `${placeOf(list, none)}/model/@type` }
        // (a primary none video is cleared by post-parse — virDomainVideoDefClear —: nothing of it left to refuse)
        if (videoCleared(videos, v)) continue
        const model = child(v, 'model')
        const written = model?.attrs.type
        const type = written === undefined || written === 'default' ? defaultVideoType(ctx) : written
        // (the back end: a vhost-user display is a virtio one; a render node is a vhost-user display's)
        if (child(v, 'driver')?.attrs.name === 'vhostuser') {
          if (type !== 'virtio') return { message: "'vhostuser' driver is only supported with 'virtio' device", path: `${placeOf(list, v)}/driver/@name` }
        } else if (child(model, 'acceleration')?.attrs.rendernode !== undefined) {
          return { message: "unsupported rendernode accel attribute without 'vhostuser'", path: `${placeOf(list, v)}/model/acceleration/@rendernode` }
        }
        // (a resolution of 0 pixels either way, seen on libvirtd 9.0)
        const resolution = child(model, 'resolution')?.attrs
        if (resolution !== undefined && [resolution.x, resolution.y].some((n) => readCInteger(n ?? '', 10)?.magnitude === 0)) return { message: 'video resolution values must be greater than 0', path: `${placeOf(list, v)}/model/resolution` }
        // (a model of no type too: post-parse's default is never QXL — `<model vram64='65536'/>`, seen on libvirtd 9.0, probe
        // h29-g-vram64-notype-plain; the values libvirt holds then, not the attributes written: 0 is none, and RAM is
        // post-parse's — rounded up to a power of two in 32 bits, so past 2^31 KiB it is 0 too: `ram='4294967295'` on a
        // VGA passes, probes h49-v-*)
        if (type !== 'qxl') {
          const ram = videoSizesAfterPostParse(ctx, v, primaryVideo(videos) === v).ram
          const held = (k: 'ram' | 'vram64' | 'vgamem'): boolean => model?.attrs[k] !== undefined &&
            (k === 'ram' ? ram !== 0 : readCInteger(model.attrs[k]!, 10)?.magnitude !== 0)
          const extra = (['ram', 'vram64', 'vgamem'] as const).find(held)
          if (extra) return { message: `${extra} attribute only supported for video type qxl`, path: `${placeOf(list, v)}/model/@${extra}` }
        }
        if (type === 'ramfb' && child(v, 'address')) return { message: 'address not supported for video type ramfb', path: `${placeOf(list, v)}/address` }
        const option = virtioOptionProblem(ctx, v, list)
        if (option) return option
      }
      return undefined
    },
  },
  // qemuValidateDomainDeviceDefAddress (before any check of the device's own): a CCW address belongs to an s390
  // CCW machine (libvirtd 9.0's words; a device has no alias at define)
  {
    code: 'preview-refused', stage: 'validate', addresses: ['ccw'],
    check: (ctx) => (machineName(ctx).startsWith('s390-ccw') ? undefined : firstDevice(ctx, (d, list) => (child(d, 'address')?.attrs.type === 'ccw' && !addressMadeDimm(d) && !addressReplacedInPostParse(ctx, d)
      ? { message: isLibvirt9(ctx) ? `cannot use CCW address type for device '<null>' using machine type '${machineName(ctx)}'` : `CCW addresses are not supported by machine type '${machineName(ctx)}'`, path: `${placeOf(list, d)}/address/@type` } : undefined))),
  },
  // qemuValidateDomainDeviceDefMemory (libvirt 11.3: after the device's address checks above — a virtio-mem device's CCW
  // address on a machine without CCW is refused first, seen on libvirtd 11.3; 9.0's in memoryDevicesValidate)
  { code: 'preview-refused', stage: 'validate', since11: true, kinds: ['memory'], check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'memory' ? memoryDeviceQemuProblem11(ctx, d, placeOf(list, d)) : undefined)) },
  // qemuValidateDomainDeviceDefAddress (after address assignment): an sPAPR-VIO register is 32 bits (libvirtd 9.0's words)
  // — the device's first QEMU check, before its own (a spapr-vio-serial port's machine, the NVRAM's arch, a USB disk's
  // address: probes h54-b-…-viobig); not an address post-parse replaced (a USB hub's USB port) or dropped (s390's vfio-ap)
  {
    code: 'preview-refused', stage: 'validate', addresses: ['spapr-vio'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const a = child(d, 'address')
      const reg = a?.attrs.type === 'spapr-vio' && !addressMadeDimm(d) && !addressReplacedInPostParse(ctx, d) ? spaprReg(a.attrs.reg) : undefined
      return reg !== undefined && reg > 0xffffffffn ? { message: `spapr-vio reg='0x${reg.toString(16)}' exceeds maximum possible value (0xffffffff)`, path: `${placeOf(list, d)}/address/@reg` } : undefined
    }),
  },
  // qemuValidateDomainDeviceInfo, after the address's check above: an ACPI index needs QEMU's support and a PCI device,
  // ROM tuning a PCI device — on the address as validation sees it: the one written, or the virtio-mmio or CCW one
  // post-parse primes a device without one with, a USB port or drive address assigned (addressTypeAtValidation); met at
  // its device in libvirt's walk (an ARM virt NIC's ACPI index on a primed virtio-mmio address before a later SCSI host
  // device's or IOMMU's refusal — probes h31-q3, h31-qn32, libvirtd 9.0; a USB tablet's before a vsock's CID,
  // h31-ao-tab-acpi-vsock2). The sPAPR VIO ones are checked once assigned (_pci.ts).
  {
    code: 'preview-refused', stage: 'validate', kinds: deviceIterateOrder,
    below: ['acpi', 'rom'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const acpi = child(d, 'acpi')
      const rom = child(d, 'rom')
      if (!acpi && !rom) return undefined
      const problem = deviceInfoProblem(ctx, acpi, rom, addressTypeAtValidation(ctx, d), placeOf(list, d))
      return problem === undefined ? undefined : { message: problem.message, path: problem.path ?? placeOf(list, d) }
    }),
  },
  {
    code: 'preview-refused', stage: 'validate', kinds: ['iommu'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'iommu') return undefined
      const path = new LazyPath(() => placeOf(list, d))
      // (each model on its machines, then its QEMU devices: model's qemuDeviceFlags.iommu)
      const model = d.attrs.model ?? ''
      const needs = Object.hasOwn(qemuDeviceFlags.iommu.models, model) ? qemuDeviceFlags.iommu.models[model]! : []
      const missing = (): boolean => needs.some((flag) => !has(ctx, flag))
      if (model === 'intel' && !isQ35(ctx)) return { message: "IOMMU device: 'intel' is only supported with Q35 machines", path: `${path}` }
      if (model === 'smmuv3' && !isArmVirt(ctx)) return { message: "IOMMU device: 'smmuv3' is only supported with ARM Virt machines", path: `${path}` }
      if ((model === 'intel' || model === 'smmuv3') && missing()) return { message: `IOMMU device: '${model}' is not supported with this QEMU binary`, path: `${path}/@model` }
      if (model === 'virtio') {
        if (!isQ35(ctx) && !isArmVirt(ctx)) return { message: "IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines", path: `${path}` }
        if (missing()) return { message: "IOMMU device: 'virtio' is not supported with this QEMU binary", path: `${path}/@model` }
        if (!acpiOn(ctx)) return { message: "IOMMU device: 'virtio' requires ACPI", path: `${path}` }
        // (a CCW address is refused earlier, as on any q35 device; checked on libvirtd 9.0)
        const type = child(d, 'address')?.attrs.type
        if (type !== undefined && type !== 'pci' && type !== 'ccw') return { message: "IOMMU device: 'virtio' needs a PCI address", path: `${path}/address/@type` }
      }
      // (then each driver setting's Intel IOMMU property, whatever the model — libvirt checks them for SMMUv3 and virtio too,
      // so a setting those models lack is refused by its flag; libvirt 9.0 does not read dma_translation)
      const driver = child(d, 'driver')?.attrs
      if (driver) {
        for (const [name, check] of Object.entries(qemuDeviceFlags.iommu.driver)) {
          const value = driver[name]
          if (value === undefined || (name === 'aw_bits' && !((uint(value, 10) ?? 0) > 0)) || (name === 'dma_translation' && isLibvirt9(ctx))) continue
          if (!has(ctx, check.flag)) return { message: check.message, path: `${path}/driver/@${name}` }
        }
      }
      return undefined
    }),
  },

  // virDomainDefIOMMUValidate (once every device is validated): interrupt remapping needs the split I/O APIC, EIM needs
  // interrupt remapping
  {
    code: 'preview-refused', stage: 'validate', generic: 'iommu', kinds: ['iommu'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'iommu') return undefined
      const path = new LazyPath(() => placeOf(list, d))
      const driver = child(d, 'driver')
      // (the I/O APIC the last <ioapic> chose — `<ioapic driver='qemu'/><ioapic driver='kvm'/>` is KVM's, probe
      // h43-io-qemu-kvm, libvirtd 9.0 —; none chosen, 11.3's post-parse makes it the split one:
      // qemuDomainDefEnableDefaultFeatures)
      const ioapic = kids(child(ctx.domain, 'features'), 'ioapic').at(-1)?.attrs.driver
      // (11.3's post-parse turns on an Intel IOMMU's interrupt remapping and EIM left unset where more than 255 vCPUs need
      // EIM, each its QEMU has — qemuDomainIOMMUDefPostParse, x2apicIommuPlan —: checked as set, seen on libvirtd 11.3)
      const eimPlan = x2apicIommuPlan(ctx, d) === 'eim'
      const intremap = driver?.attrs.intremap ?? (eimPlan && has(ctx, 'intel-iommu.intremap') ? 'on' : undefined)
      const eim = driver?.attrs.eim ?? (eimPlan && has(ctx, 'intel-iommu.eim') ? 'on' : undefined)
      if (intremap === 'on' && ioapic !== 'qemu' && (isLibvirt9(ctx) || ioapic !== undefined)) {
        return { message: "IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')", path: `${path}/driver/@intremap` }
      }
      if (eim === 'on' && intremap !== 'on') return { message: 'IOMMU eim requires interrupt remapping to be enabled', path: `${path}/driver/@eim` }
      return undefined
    }),
  },

  // virDomainDefDuplicateDriveAddressesValidate (the generic domain checks' step, after every device's checks and before
  // the later steps — a second primary video: probe h31-dd*, libvirtd 9.0): no two disks of one bus at one drive address,
  // written or the one virDomainDiskDefAssignAddress gives; the first disk (in the order libvirt keeps them) named
  {
    code: 'preview-refused', stage: 'validate', generic: 'duplicate-drive-addresses', kinds: ['disk'],
    check: (ctx) => {
      const disks = rowDevices(ctx).filter((d) => d.name === 'disk')
      if (disks.length < 2) return undefined
      const placed: { d: N; key: string; at: number[] }[] = []
      for (const d of disks) {
        const target = child(d, 'target')
        const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)
        const a = child(d, 'address')
        let at: number[] | undefined
        if (a?.attrs.type === 'drive') at = ['controller', 'bus', 'target', 'unit'].map((n) => uint(a.attrs[n] ?? '0') ?? 0)
        else if (!a && target?.attrs.dev !== undefined) {
          const idx = diskIndex(target.attrs.dev)
          const assigned = idx === undefined ? undefined : assignedDriveAddress(bus, idx)
          if (assigned) at = [assigned.controller!, assigned.bus!, assigned.target!, assigned.unit!].map(Number)
        }
        if (at !== undefined) placed.push({ d, key: `${bus}:${at.join(':')}`, at })
      }
      // (libvirt compares each disk with every later one: the first disk that has a twin is named, with its numbers)
      for (const [i, p] of placed.entries()) {
        if (!placed.slice(i + 1).some((q) => q.key === p.key)) continue
        const dev = child(p.d, 'target')?.attrs.dev ?? ''
        const [controller, b, t, unit] = p.at
        return { message: `Found duplicate drive address for disk with target name '${dev}' controller='${controller}' bus='${b}' target='${t}' unit='${unit}'`, path: `domain/devices/disk[target/@dev='${dev}']/address` }
      }
      return undefined
    },
  },
  // virDomainDefDuplicateDriveAddressesValidate: a SCSI host device's drive address is not another SCSI host device's
  // (libvirt passes the bus before the controller to that message: reproduced; a SCSI disk's is the post-parse row's)
  {
    code: 'preview-refused', stage: 'validate', generic: 'duplicate-drive-addresses', kinds: ['hostdev'],
    check: (ctx) => {
      const drive = (d: N): number[] | undefined => {
        const a = child(d, 'address')
        return a?.attrs.type === 'drive' ? [uint(a.attrs.controller) ?? 0, uint(a.attrs.bus) ?? 0, uint(a.attrs.target) ?? 0, uint(a.attrs.unit) ?? 0] : undefined
      }
      const scsi = rowDevices(ctx).filter((h) => h.name === 'hostdev' && h.attrs.mode !== 'capabilities' && h.attrs.type === 'scsi' && drive(h) !== undefined)
      const words = ([controller, bus, target, unit]: number[]) => `SCSI host address controller='${bus}' bus='${controller}' target='${target}' unit='${unit}'`
      const same = (p: number[], q: number[]) => p.every((x, i) => x === q[i])
      for (const [i, h] of scsi.entries()) {
        const at = drive(h)!
        if (scsi.slice(i + 1).some((o) => same(at, drive(o)!))) return { message: `${words(at)} in use by another SCSI host device`, path: `domain/devices/hostdev[@type='scsi'][${i + 1}]/address` }
      }
      return undefined
    },
  },

  // ---- controllers ----
  // libvirt 11's virDomainControllerDefValidate, the generic validation before the QEMU driver's checks below (seen on
  // libvirtd 11.3): I/O threads — an `<iothreads>` mapping too — on a controller other than virtio-scsi
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const driver = d.name === 'controller' ? child(d, 'driver') : undefined
      if (!driver) return undefined
      const single = driver.attrs.iothread !== undefined && uint(driver.attrs.iothread, 10) !== 0
      if (!single && kids(child(driver, 'iothreads'), 'iothread').length === 0) return undefined
      // (a SCSI controller of model `auto` has the default one: qemuDomainGetSCSIControllerModel — s390x's virtio-scsi, seen on libvirtd 11.3)
      return d.attrs.type !== 'scsi' || !(d.attrs.model === undefined || d.attrs.model === 'auto' ? defaultScsiModel(ctx) : d.attrs.model).startsWith('virtio-') ? { message: "iothreads are supported only by 'virtio-scsi' controllers", path: `${placeOf(list, d)}/driver` } : undefined
    }),
  },

  // qemuValidateCheckSCSIControllerModel (its first check of a controller): a SCSI model this QEMU has (written, or the
  // default post-parse gave it); BusLogic never (VMware's converter writes it). The ESP models' checks report without
  // refusing: libvirt defines the domain anyway.
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'controller' || d.attrs.type !== 'scsi') return undefined
      const written = d.attrs.model
      const model = written === undefined || written === 'auto' ? defaultScsiModel(ctx) : written
      if (model === 'buslogic') return { message: 'Unsupported controller model: buslogic', path: `${placeOf(list, d)}/@model` }
      const needs = qemuDeviceFlags.scsiModels[model]
      if (needs === undefined || has(ctx, needs[0])) return undefined
      return { message: `This QEMU doesn't support ${needs[1]}`, path: `${placeOf(list, d)}/@model` }
    }),
  },
  // qemuValidateDomainDeviceDefControllerAttributes: virtio-scsi's driver settings on any other controller (a SCSI
  // controller without a model takes the default one first); libvirtd 9.0's words, checked there
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    below: ['driver'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const driver = d.name === 'controller' ? child(d, 'driver') : undefined
      if (!driver) return undefined
      // (`auto` is the default model too: qemuDomainGetSCSIControllerModel)
      const model = d.attrs.type === 'scsi' ? (d.attrs.model === undefined || d.attrs.model === 'auto' ? defaultScsiModel(ctx) : d.attrs.model) : undefined
      if (model !== undefined && model.startsWith('virtio')) return undefined
      // (a 0 is none: `if (controller->queues)`…)
      const set = (k: string): boolean => driver.attrs[k] !== undefined && (k === 'ioeventfd' || (uint(driver.attrs[k], 10) ?? 1) !== 0)
      const setting = (['queues', 'cmd_per_lun', 'max_sectors', 'ioeventfd'] as const).find(set)
      if (setting) return { message: `'${setting}' is only supported by virtio-scsi controller`, path: `${placeOf(list, d)}/driver/@${setting}` }
      // (an iothread on a controller of another type whose model number passed post-parse: model's iothreadPostParseModels)
      return set('iothread') ? { message: "'iothread' is only supported for virtio-scsi controller", path: `${placeOf(list, d)}/driver/@iothread` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefControllerSCSI, after the attributes' check above (qemuValidateDomainDeviceDefController):
  // an ESP (ncr53c90) controller is the built-in one of a SPARC, MIPS Magnum or PICA-61, or m68k Q800 machine, as SCSI
  // controller 0 (libvirtd 9.0's words; `<driver queues='2'/>` on one is refused for the queues first)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'controller' || d.attrs.type !== 'scsi' || d.attrs.model !== 'ncr53c90') return undefined
      if ((uint(d.attrs.index ?? '0', 10) ?? 0) !== 0) return { message: 'ncr53c90 can only be used as first SCSI controller', path: `${placeOf(list, d)}/@index` }
      const a = arch(ctx)
      const builtin = a === 'sparc' || (a.startsWith('mips64') && (machineName(ctx) === 'magnum' || machineName(ctx) === 'pica61')) || (a === 'm68k' && machineName(ctx) === 'q800')
      return builtin ? undefined : { message: 'ncr53c90 SCSI controller is not a built-in for this machine', path: `${placeOf(list, d)}/@model` }
    }),
  },
  // virDomainAudioCommonParse: fixed settings need the mixing engine, and settings are read only when fixed (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['audio'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'audio') return undefined
      for (const io of [child(d, 'input'), child(d, 'output')]) {
        if (!io) continue
        const path = `${placeOf(list, d)}/${io.name}`
        if (io.attrs.fixedSettings === 'yes' && io.attrs.mixingEngine !== 'yes') return { message: 'fixed audio settings requires mixing engine', path: `${path}/@fixedSettings` }
        if (child(io, 'settings') && io.attrs.fixedSettings !== 'yes') return { message: 'audio settings specified without fixed settings flag', path: `${path}/settings` }
      }
      // (virDomainAudioDefParseXML: an OSS backend's DSP policy, once read as an int, is not negative — an XML error, the
      // value as read: `-07` is -7; seen on libvirtd 9.0)
      const policy = d.attrs.type === 'oss' && d.attrs.dspPolicy !== undefined ? readCInteger(d.attrs.dspPolicy, 10) : undefined
      if (policy?.negative && policy.magnitude !== 0 && policy.magnitude <= 2 ** 31) {
        return { code: 'preview-invalid-value', message: `cannot parse 'dspPolicy' value '-${policy.magnitude}'`, path: `${placeOf(list, d)}/@dspPolicy` }
      }
      return undefined
    }),
  },
  // virDomainControllerDefParseXML: a root bus's 64-bit PCI hole reads as a scaled number (virParseScaledValue: KiB
  // unless a unit is given; an empty one is none). 9.0's limit, `1024ULL * ULONG_MAX`, wraps in 64 bits to 2^64 - 1024
  // bytes (2^54 KiB refused); 11's is ULLONG_MAX
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['controller'],
    below: ['pcihole64'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'controller' || d.attrs.type !== 'pci' || (d.attrs.model !== 'pci-root' && d.attrs.model !== 'pcie-root')) return undefined
      const hole = child(d, 'pcihole64')
      // (the text as written: strtoull takes leading blanks, not trailing ones)
      const text = hole?.text ?? ''
      if (text === '') return undefined
      const read = readLibvirtScaled(text, hole!.attrs.unit, 'KiB', isLibvirt9(ctx) ? 2n ** 64n - 1024n : 2n ** 64n - 1n, './pcihole64')
      return 'error' in read ? { message: read.error, path: `${placeOf(list, d)}/pcihole64` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefControllerPCI: which options each PCI controller model takes (pciControllerOptions), the
  // model name its model allows, its index, the QEMU device and hot-plug support the host's QEMU has. Checked once
  // post-parse has filled in the defaults (model name, chassis, port, busNr, a PHB's target index), so only what the
  // domain wrote can be wrong here.
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    check: (ctx) => {
      const pci = devicesOfKind(ctx, 'controller').filter((c) => c.attrs.type === 'pci')
      if (pci.length === 0) return undefined
      // (controllers written without an index numbered as post-parse numbers them; most domains write every one)
      const numbered = pci.every((c) => c.attrs.index !== undefined) ? undefined : indexesOf(pci)
      const indexOf = (c: N): number => (numbered === undefined ? Number(c.attrs.index) : numbered.get(c) ?? 0)
      // (libvirt keeps the PCI controllers by index, whatever order they were written in — virDomainControllerInsertPreAlloced;
      // the refusal is the first one's, placed at that controller: probe h28-multic-332, libvirtd 9.0) — one written
      // without an index just past the last one before it, where it stays once numbered (probe h33-ord-1, libvirtd 9.0)
      let ordered: readonly N[] = pci
      // (written by index already, as composed and dumped domains are: that order)
      let byIndex = numbered === undefined
      for (let i = 1; byIndex && i < pci.length; i++) byIndex = Number(pci[i - 1]!.attrs.index) < Number(pci[i]!.attrs.index)
      if (!byIndex) {
        const holder: N = { name: 'devices', attrs: {}, children: [], text: undefined, raw: undefined }
        for (const c of pci) insertController(holder, c)
        ordered = holder.children
      }
      const scope = rowDevices(ctx)
      // (libvirt 11.3 on a machine without PCI: the buses qemuDomainAssignPCIAddresses adds for the indexes no controller
      // takes below the largest — a model but no model name, refused — are kept among the written ones by index
      // (virDomainDefMaybeAddController, virDomainControllerInsert), so validation meets the first before any written
      // with a larger index: `index='4'` and `index='2'` on vexpress-a15 refused at index 1, seen on libvirtd 11.3;
      // libvirt 9.0 meets them after every written one, the address assignment's refusal then — assignPciAddresses)
      const gaps: number[] = []
      if (!isLibvirt9(ctx) && !supportsPci(ctx)) {
        const taken = new Set(pci.map(indexOf))
        const max = Math.max(...taken)
        // (the first gap is all it takes)
        for (let i = 1; Number.isInteger(max) && i < max; i++) if (!taken.has(i)) { gaps.push(i); break }
      }
      for (const c of ordered) {
        const index = indexOf(c)
        if (gaps.length > 0 && gaps[0]! < index) {
          const model = defaultBusModel(ctx, { pcieRoot: pci.some((p) => indexOf(p) === 0 && p.attrs.model === 'pcie-root') })
          return scope.some((p) => p.name === 'controller' && p.attrs.type === 'pci')
            ? { code: 'preview-refused', message: `Required option 'modelName' is not set for PCI controller with index '${gaps[0]}', model '${model}' and modelName 'none'`, path: `domain/devices/controller[@type='pci'][@index='${gaps[0]}']` }
            : undefined
        }
        const found = pciControllerProblem(ctx, c, index)
        if (found) return scope.includes(c) ? found : undefined
      }
      return undefined
    },
  },
  // qemuValidateDomainDeviceDefAddressDrive (every device's drive address, validated before the device itself): by the
  // disk's bus — any other device's is taken as a SCSI host device's. A SCSI controller has one bus, an LSI Logic one
  // target 0 (a controller written, or the one post-parse adds for a disk or SCSI host device: its model the default
  // when none is written); one IDE and one floppy controller, target 0; SATA bus and target 0. libvirtd 9.0's words.
  {
    code: 'preview-refused', stage: 'validate', addresses: ['drive'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const a = child(d, 'address')
      if (a?.attrs.type !== 'drive' || chipsetFunction(ctx, d) !== undefined || addressMadeDimm(d) || addressReplacedInPostParse(ctx, d)) return undefined
      const target = d.name === 'disk' ? child(d, 'target') : undefined
      const bus = d.name === 'disk' ? target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device) : 'scsi'
      const at = (name: string): string => `${placeOf(list, d)}/address/@${name}`
      const number = (name: string): number => uint(a.attrs[name] ?? '0', 10) ?? 0
      switch (bus) {
        case 'scsi': {
          if (number('bus') !== 0) return { message: 'SCSI controller only supports 1 bus', path: at('bus') }
          const models = scsiModelsAtValidation(ctx)
          const index = number('controller')
          // (a disk or SCSI host device has its controller by now; another device only one written)
          const implied = d.name === 'disk' || (d.name === 'hostdev' && d.attrs.type === 'scsi')
          if (!implied && !models.has(index)) return undefined
          // (a model of `auto` is no model: the QEMU driver's post-parse has given it the default one by now —
          // qemuDomainSetSCSIControllerModel; libvirtd 9.0 refuses target 1 behind `model='auto'` on x86 as LSI Logic's)
          const written = models.get(index)
          const model = written === undefined || written === 'auto' ? defaultScsiModel(ctx) : written
          if (model === 'lsilogic') return number('target') !== 0 ? { message: "target must be 0 for controller model 'lsilogic'", path: at('target') } : undefined
          if (has(ctx, 'scsi-disk.channel')) return undefined
          if (number('target') > 7) return { message: "This QEMU doesn't support target greater than 7", path: at('target') }
          return number('bus') !== 0 && number('unit') !== 0 ? { message: 'This QEMU only supports both bus and unit equal to 0', path: at('unit') } : undefined
        }
        case 'ide':
          if (number('controller') !== 0) return { message: 'Only 1 IDE controller is supported', path: at('controller') }
          return number('target') !== 0 ? { message: 'target must be 0 for ide controller', path: at('target') } : undefined
        case 'fdc':
          if (number('controller') !== 0) return { message: 'Only 1 fdc controller is supported', path: at('controller') }
          if (number('bus') !== 0) return { message: 'Only 1 fdc bus is supported', path: at('bus') }
          return number('target') !== 0 ? { message: 'target must be 0 for controller fdc', path: at('target') } : undefined
        case 'sata':
          if (number('bus') !== 0) return { message: 'bus must be 0 for sata controller', path: at('bus') }
          return number('target') !== 0 ? { message: 'target must be 0 for sata controller', path: at('target') } : undefined
        default:
          return undefined
      }
    }),
  },
  // virDomainPostParseCheckISCSIPath (the generic device post-parse) looks for a `/` in an iSCSI disk source's name: one
  // written empty the parser reads as none, and libvirtd 9.0 dies there (11.3's code is the same). No libvirt words to
  // give: refused in preview's own, so that no such domain is taken for one libvirt would store (seen on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'device', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'disk' && d.attrs.type === 'network' ? child(d, 'source') : undefined
      if (source?.attrs.protocol !== 'iscsi' || (source.attrs.name !== undefined && source.attrs.name !== '')) return undefined
      return { message: "an iSCSI disk source without a target name: libvirt's post-parse reads the missing name (virDomainPostParseCheckISCSIPath) and libvirtd dies on this domain — give the target's IQN in <source name='…'>", path: `${placeOf(list, d)}/source/@name` }
    }),
  },
  // qemuDomainShmemDefPostParse (the QEMU driver's device post-parse): a doorbell needs its server, a plain device has none,
  // and a server's device takes no size — refused as the devices are post-parsed, before virDomainDefPostParseCommon's
  // timer checks (probe h42-pr3-tmode-shmem-server-plain, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'device', kinds: ['shmem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = child(d, 'model')?.attrs.type ?? 'ivshmem'
      if (d.name !== 'shmem' || model === 'ivshmem') return undefined
      const server = child(d, 'server') !== undefined
      if (!server && model === 'ivshmem-doorbell') return { message: `shmem model '${model}' is supported only with server option enabled`, path: `${placeOf(list, d)}/server` }
      if (server && model === 'ivshmem-plain') return { message: `shmem model '${model}' is supported only with server option disabled`, path: `${placeOf(list, d)}/server` }
      if (server && child(d, 'size')) return { message: `shmem model '${model}' does not support size setting`, path: `${placeOf(list, d)}/size` }
      return undefined
    }),
  },
  // virDomainControllerDefPostParse: only a virtio-scsi controller takes an I/O thread (a SCSI controller
  // without a model is left alone: its model is the host's default, picked before this check)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['controller'],
    below: ['driver'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      // (an iothread of 0 is none: read without NONZERO, checked and written only when set)
      if (d.name !== 'controller' || (uint(child(d, 'driver')?.attrs.iothread, 10) ?? 1) === 0 || child(d, 'driver')?.attrs.iothread === undefined) return undefined
      // (a SCSI controller without a model — or `auto` — takes the default one first: libvirtd 9.0 refuses an I/O thread on LSI Logic so)
      const model = d.attrs.type === 'scsi' && (d.attrs.model === undefined || d.attrs.model === 'auto') ? defaultScsiModel(ctx) : d.attrs.model
      // (the post-parse compares model numbers whatever the type: model's iothreadPostParseModels; those of other types
      // are refused by the QEMU driver's controller attribute checks later)
      if (d.attrs.type !== 'scsi' && model !== undefined && iothreadPostParseModels[d.attrs.type ?? '']?.includes(model)) return undefined
      // (a virtio-scsi controller's thread is the QEMU driver's to check, device by device: the row below)
      if (d.attrs.type === 'scsi' && model!.startsWith('virtio-')) return undefined
      return { message: "'iothread' attribute only supported for virtio scsi controllers", path: `${placeOf(list, d)}/driver/@iothread` }
    }),
  },
  // qemuValidateCheckSCSIControllerIOThreads (libvirt 9.0; 11's is its controller validation, below): a virtio-scsi
  // controller's I/O thread needs a virtio PCI or CCW controller, then a thread the domain has — checked as the devices
  // are validated, a disk's thread before a controller's (the differential's blank-text search, seed 630, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'], only9: true,
    below: ['driver'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'controller' || d.attrs.type !== 'scsi') return undefined
      const id = uint(child(d, 'driver')?.attrs.iothread, 10)
      if (id === undefined || id === 0) return undefined
      const model = d.attrs.model === undefined || d.attrs.model === 'auto' ? defaultScsiModel(ctx) : d.attrs.model
      if (!model?.startsWith('virtio-')) return undefined
      const address = scsiIothreadAddressProblem(ctx, d, list)
      if (address) return address
      return iothreadIds(ctx).has(id) ? undefined : controllerIothreadUndefined(d, list, id)
    }),
  },
  // libvirt 11's virDomainControllerDefValidate (from 11.3's source; past the post-parse's check of an `iothread`, above):
  // I/O threads — an `<iothreads>` mapping too — are a virtio-scsi controller's, named one way; then the QEMU driver's checks
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const driver = d.name === 'controller' ? child(d, 'driver') : undefined
      if (!driver) return undefined
      const single = driver.attrs.iothread !== undefined && uint(driver.attrs.iothread, 10) !== 0
      const mapped = kids(child(driver, 'iothreads'), 'iothread').length > 0
      if (!single && !mapped) return undefined
      // (of another controller: the row at the controllers' start)
      if (d.attrs.type !== 'scsi' || !(d.attrs.model === undefined || d.attrs.model === 'auto' ? defaultScsiModel(ctx) : d.attrs.model).startsWith('virtio-')) return undefined
      // (a virtio-scsi one: the QEMU driver's qemuValidateCheckSCSIControllerIOThreads first — its address, its thread —,
      // then the generic validation's one way of naming them)
      const address = scsiIothreadAddressProblem(ctx, d, list)
      if (address) return address
      const { scsiIothreadMapping } = qemuDeviceFlags.more11
      if (mapped && !single && !has(ctx, scsiIothreadMapping.flag)) return { message: scsiIothreadMapping.message, path: `${placeOf(list, d)}/driver/iothreads` }
      const mapping = mapped && !single ? iothreadMappingProblem(ctx, driver, placeOf(list, d)) : undefined
      if (mapping) return mapping
      const id = uint(driver.attrs.iothread, 10)
      if (single && id !== undefined && !iothreadIds(ctx).has(id)) return controllerIothreadUndefined(d, list, id)
      return single && mapped ? { code: 'preview-invalid-value', message: "controller driver 'iothread' attribute can't be used together with 'iothreads' subelement", path: `${placeOf(list, d)}/driver/iothreads` } : undefined
    }),
  },
  // ---- disks ----
  // virDomainDiskDefParseXML: one <auth> and one <encryption>, each under <source> or (the older place) under <disk>
  // (the <auth> words checked on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['disk'],
    below: ['auth', 'encryption'],
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      for (const name of ['auth', 'encryption']) {
        if (child(d, name) && child(child(d, 'source'), name)) return { message: `an <${name}> definition already found for disk source`, path: `${diskPath(d)}/${name}` }
      }
      return undefined
    }),
  },
  // virStorageAuthDefParse: an <auth> names its user, a type of its own and a <secret>; virDomainDiskBackingStoreParse:
  // a backing store with a type has a format and a source, each of a kind libvirt knows (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    below: ['auth', 'backingStore'],
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const auth = authOf(d)
      const problem = auth && storageAuthProblem(auth, `${diskPath(d)}/${child(child(d, 'source'), 'auth') ? 'source/' : ''}auth`)
      if (problem) return problem
      let depth = 0
      // (each backing store's source read as the disk's own is, after it: virDomainStorageSourceParse — an NVMe image
      // without its PCI address refused; probe h55-nv-*, libvirtd 9.0)
      const topSourced = diskSourceProblem(d, isLibvirt9(ctx)) === undefined
      for (let at = child(d, 'backingStore'); at; at = child(at, 'backingStore'), depth++) {
        const type = at.attrs.type
        // (a backing store without a type ends the chain)
        if (type === undefined) break
        const where = `${diskPath(d)}/${'backingStore/'.repeat(depth + 1).slice(0, -1)}`
        const format = child(at, 'format')?.attrs.type
        if (!format) return { message: 'missing disk backing store format', path: `${where}/format` }
        if (!child(at, 'source')) return { message: 'missing disk backing store source', path: `${where}/source` }
        if (!(deviceNames.storageTypes as readonly string[]).includes(type) || (type === 'vhostvdpa' && isLibvirt9(ctx))) return { message: `unknown storage source type '${type}'`, path: `${where}/@type` }
        if (!(deviceNames.storageFormats as readonly string[]).includes(format)) return { message: `unknown storage source format '${format}'`, path: `${where}/format/@type` }
        // (then its format's metadata cache size: the differential, seed 950)
        const cache = metadataCacheSizeProblem(child(child(child(at, 'format'), 'metadata_cache'), 'max_size'), './format/metadata_cache/max_size')
        if (cache) return { message: cache, path: `${where}/format/metadata_cache/max_size` }
        const sourced = topSourced ? diskSourceProblem(at, isLibvirt9(ctx)) : undefined
        if (sourced) return { message: sourced.message, path: `${where}/source${sourced.at}` }
      }
      return undefined
    }),
  },
  // virDomainDiskDefDriverSourceParseXML (after the source and its backing chain): the driver's format is a storage
  // format libvirt knows (`aio`, Xen's old word for raw, too); libvirtd 9.0's words
  {
    code: 'preview-refused', stage: 'parse', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const format = d.name === 'disk' ? child(d, 'driver')?.attrs.type : undefined
      if (format === undefined || format === 'aio' || (deviceNames.storageFormats as readonly string[]).includes(format)) return undefined
      return { message: `unknown driver format value '${format}'`, path: `${diskPath(d)}/driver/@type` }
    }),
  },
  // virDomainDiskDefDriverSourceParseXML, after the driver's format: a qcow2 metadata cache's size (the differential, seed
  // 950, libvirtd 9.0: a unit of ' ' refused before a drive address's bus, read later)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    below: ['metadata_cache'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const problem = d.name === 'disk' ? metadataCacheSizeProblem(child(child(child(d, 'driver'), 'metadata_cache'), 'max_size'), './metadata_cache/max_size') : undefined
      return problem ? { message: problem, path: `${diskPath(d)}/driver/metadata_cache/max_size` } : undefined
    }),
  },
  // virDomainDiskDefValidateSource: virDomainDiskDefValidateSourceChainOne for each image of the chain, the disk's own
  // source then each backing store's — libvirt 11: Sheepdog is gone (libvirtd 9.0 takes it); a network image's
  // authentication; a LUKS image's cipher, libvirt's to choose
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'], deviceStep: 'generic',
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const libvirt11 = !isLibvirt9(ctx)
      for (let at: N | undefined = d, depth = 0; at; at = child(at, 'backingStore'), depth++) {
        const source = child(at, 'source')
        // (the disk's own authentication and encryption may stand beside its source; a backing store's are in its source)
        const base = depth === 0 ? diskPath(d) : `${diskPath(d)}/${'backingStore/'.repeat(depth)}source`
        const network = at.attrs.type === 'network'
        const protocol = source?.attrs.protocol ?? ''
        if (libvirt11 && network && protocol === 'sheepdog') {
          return { message: "'sheepdog' protocol is no longer supported by any hypervisor driver", path: `${diskPath(d)}/${'backingStore/'.repeat(depth)}source/@protocol` }
        }
        const auth = !network ? undefined : depth === 0 ? authOf(d) : child(source, 'auth')
        if (auth) {
          if (['nbd', 'sheepdog', 'gluster', 'tftp', 'vxhs', 'nfs'].includes(protocol)) return { message: `authentication is not supported for protocol '${protocol}'`, path: `${diskPath(d)}/${'backingStore/'.repeat(depth)}source/@protocol` }
          const type = child(auth, 'secret')?.attrs.type
          if (type === undefined || !['none', 'volume', 'ceph', 'iscsi', 'tls', 'vtpm'].includes(type)) return { message: `unknown secret type '${type ?? '<null>'}'`, path: `${base}/auth/secret` }
          if ((protocol === 'iscsi' && type !== 'iscsi') || (protocol === 'rbd' && type !== 'ceph')) return { message: `invalid secret type '${type}'`, path: `${base}/auth/secret/@type` }
        }
        const encryption = depth === 0 ? encryptionOf(d) : child(source, 'encryption')
        if (encryption?.attrs.format === 'luks' && child(encryption, 'cipher')) return { message: 'supplying <cipher> for domain disk definition is unnecessary', path: `${base}/encryption/cipher` }
      }
      return undefined
    }),
  },
  // virDomainDiskDefSourceLUNValidate: a LUN is a block device (or an iSCSI LUN) in raw format;
  // virDomainDiskDefValidate: floppies and the floppy bus go together; qemuValidateDomainDeviceDefDiskFrontend:
  // a USB disk sits on USB
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'], deviceStep: 'generic',
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'disk') return undefined
      const device = d.attrs.device ?? 'disk'
      const type = d.attrs.type ?? 'file'
      const path = new LazyPath(() => diskPath(d))
      if (device === 'lun') {
        const protocol = child(d, 'source')?.attrs.protocol
        if (type === 'network' && protocol !== 'iscsi') return { message: `disk device='lun' is not supported for protocol='${protocol ?? ''}'`, path: `${path}/source/@protocol` }
        if (type !== 'network' && type !== 'block' && type !== 'volume') return { message: "disk device='lun' is only valid for block type disk source", path: `${path}/@type` }
        const format = child(d, 'driver')?.attrs.type
        if (format !== undefined && format !== 'raw') return { message: "disk device 'lun' must use 'raw' format", path: `${path}/driver/@type` }
        if (child(child(child(d, 'source'), 'slices'), 'slice')) return { message: "disk device 'lun' doesn't support storage slice", path: `${path}/source/slices` }
        const encryption = encryptionOf(d)
        if (encryption && (encryption.attrs.format ?? 'default') !== 'default') return { message: "disk device 'lun' doesn't support encryption", path: `${path}/${encryption === child(d, 'encryption') ? '' : 'source/'}encryption/@format` }
      } else {
        // (persistent reservations, raw I/O and SG_IO are a LUN's: virDomainDiskDefValidate, seen on libvirtd 9.0)
        if (child(child(d, 'source'), 'reservations')) return { message: '<reservations/> allowed only for lun devices', path: `${path}/source/reservations` }
        if (d.attrs.rawio !== undefined) return { message: "rawio can be used only with device='lun'", path: `${path}/@rawio` }
        if (d.attrs.sgio === 'filtered') return { message: "sgio can be used only with device='lun'", path: `${path}/@sgio` }
      }
      // (virDomainDiskDefValidate, in its order: the I/O limits — a total beside a read or write one; a vhost-user disk's
      // settings it cannot have — virt-install's and nova's disks on libvirtd 9.0)
      // (as post-parse leaves them: a disk naming only its group has the limits of the first disk of the group that has
      // some — virDomainDiskExpandGroupIoTune —, refused for them at that disk)
      const iotune = child(d, 'iotune')
      const expanded = iotune ? groupIotuneLimits(ctx, d) : []
      const conflict = iotuneTotalsConflict(iotune, (name) => expanded[diskIotuneLimits.indexOf(name)] ?? 0n)
      if (conflict) return { code: 'preview-invalid-value', message: conflict.message, path: `${path}/iotune/${conflict.at}` }
      // (then virDomainDiskAddressDiskBusCompatibility: an IDE, floppy, SCSI or SATA disk's address is a drive address —
      // after a LUN's source or a disk's raw I/O, before what only a virtio disk takes; probes h48-vp-…, libvirtd 9.0)
      {
        const target = child(d, 'target')
        const dev = target?.attrs.dev ?? ''
        const bus = target?.attrs.bus ?? busFromTarget(dev, device)
        const address = child(d, 'address')?.attrs.type
        // (an unassigned one is refused first, as any device's but a host device's: virDomainDeviceInfoValidate)
        if (address !== undefined && address !== 'drive' && address !== 'unassigned' && (bus === 'ide' || bus === 'fdc' || bus === 'scsi' || bus === 'sata')) {
          return { message: `Invalid address type '${address}' for the disk '${dev}' with the bus type '${bus}'`, path: `${path}/address/@type` }
        }
      }
      // (then what only a virtio disk takes: a virtio model, queues — libvirt 11: a queue size too, 11.3's source)
      {
        const target = child(d, 'target')
        const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, device)
        const driver = child(d, 'driver')
        if (bus !== 'virtio') {
          const model = d.attrs.model
          if (model === 'virtio' || model === 'virtio-transitional' || model === 'virtio-non-transitional') return { message: `disk model '${model}' not supported for bus '${bus}'`, path: `${path}/@model` }
          if (driver?.attrs.queues !== undefined && uint(driver.attrs.queues, 10) !== 0) {
            return { message: isLibvirt9(ctx) ? 'queues attribute in disk driver element is only supported by virtio-blk' : 'queues attribute in disk driver element is only supported for virtio bus', path: `${path}/driver/@queues` }
          }
          if (!isLibvirt9(ctx) && driver?.attrs.queue_size !== undefined && uint(driver.attrs.queue_size, 10) !== 0) {
            return { message: 'queue_size attribute in disk driver is only supported for virtio bus', path: `${path}/driver/@queue_size` }
          }
          // (then the event index and I/O event fd switches, then the virtio options — virDomainCheckVirtioOptionsAreAbsent —, in
          // the same block: before a tray, a floppy's bus, a startup policy or a missing medium; probes h48-vp-…, libvirtd 9.0)
          if (driver?.attrs.event_idx !== undefined) return { message: 'disk event_idx mode supported only for virtio bus', path: `${placeOf(list, d)}/driver/@event_idx` }
          if (driver?.attrs.ioeventfd !== undefined) return { message: 'disk ioeventfd mode supported only for virtio bus', path: `${placeOf(list, d)}/driver/@ioeventfd` }
          const option = virtioOptionProblem(ctx, d, list)
          if (option) return option
        }
      }
      // (NVMe namespaces start from 1: virDomainDiskDefValidate, seen on libvirtd 9.0)
      if (type === 'nvme' && readCUnsignedLongLong(child(d, 'source')?.attrs.namespace ?? '', 10) === 0n) return { message: "NVMe namespace can't be zero", path: `${path}/source/@namespace` }
      if (type === 'vhostuser') {
        const unsupported = vhostUserDiskProblem(d)
        if (unsupported) return { message: unsupported.what === 'bus' ? 'vhostuser disk supports only virtio bus' : unsupported.what === 'snapshot' ? 'only snapshot=no is supported with vhostuser disk' : `${unsupported.what} is not supported with vhostuser disk`, path: `${path}/${unsupported.at}` }
      }
      // (then virSecurityDeviceLabelDefValidate down the chain: a label overriding a domain label that does not relabel —
      // a validation, so after every device's parse faults, a serial port's after the disk too; probes h59-ord-…, libvirtd 9.0)
      const overriding = relabelConflict(ctx, d, () => path.toString(), ctx.options.qemuConf?.securityDriver?.[0])
      if (overriding) return overriding
      const target = child(d, 'target')
      const bus = target?.attrs.bus
      // (then a tray off CD-ROMs and floppies, and the SCSI inquiry strings: printable ASCII (virStringIsPrintable) that
      // fits its field — a vendor's 8 bytes, a product's (model's diskInquiryLimit), the vendor's checks first)
      // (`closed` is the tray's 0, as good as none: `disk->tray_status &&` — probes h48-tray-closed-…, libvirtd 9.0)
      if (target?.attrs.tray !== undefined && target.attrs.tray !== 'closed' && device !== 'cdrom' && device !== 'floppy') return { message: 'tray is only valid for cdrom and floppy', path: `${path}/target/@tray` }
      for (const name of ['vendor', 'product'] as const) {
        const text = textIn(child(d, name))
        if (text === '') continue
        if (!/^[\x20-\x7e]*$/.test(text)) return { code: 'preview-invalid-value', message: `disk ${name} is not printable string`, path: `${path}/${name}` }
        const max = diskInquiryLimit(name, bus ?? busFromTarget(target?.attrs.dev, device), !isLibvirt9(ctx))
        if (utf8.encode(text).length > max) return { message: `disk ${name} is more than ${max} characters`, path: `${path}/${name}` }
      }
      if (device === 'floppy' && bus !== undefined && bus !== 'fdc') return { message: `Invalid bus type '${bus}' for floppy disk`, path: `${path}/target/@bus` }
      if (device !== 'floppy' && bus === 'fdc') return { message: "Invalid bus type 'fdc' for disk", path: `${path}/target/@bus` }
      if (target?.attrs.removable !== undefined) {
        // libvirt 9.0: USB disks only; later versions take SCSI hard disks too
        const removableBus = bus ?? busFromTarget(target.attrs.dev, device)
        if (isLibvirt9(ctx) ? removableBus !== 'usb' : removableBus !== 'usb' && !(removableBus === 'scsi' && device === 'disk')) {
          return { message: isLibvirt9(ctx) ? 'removable is only valid for usb disks' : 'removable is only valid for usb or scsi disks', path: `${path}/target/@removable` }
        }
      }
      // (virDomainDiskDefValidateStartupPolicy: a startup policy for a local or volume disk; `requisite` a CD-ROM's or floppy's)
      const startupPolicy = child(d, 'source')?.attrs.startupPolicy
      if (startupPolicy !== undefined && startupPolicy !== 'default') {
        if (type !== 'file' && type !== 'block' && type !== 'dir' && type !== 'volume') return { code: 'preview-invalid-value', message: `disk startupPolicy '${startupPolicy}' is not allowed for disk of '${type}' type`, path: `${path}/source/@startupPolicy` }
        if (startupPolicy === 'requisite' && device !== 'cdrom' && device !== 'floppy') return { code: 'preview-invalid-value', message: "disk startupPolicy 'requisite' is allowed only for cdrom or floppy", path: `${path}/source/@startupPolicy` }
      }
      // (a WWN first: 16 hex digits, after an optional 0x — virValidateWWN, an internal error; libvirtd 9.0 — an empty
      // <wwn> is none: virXPathString)
      const wwn = child(d, 'wwn')?.text
      if (wwn !== undefined && wwn !== '' && !wwnReads(wwn)) return { message: `Malformed wwn: ${wwn}`, path: `${path}/wwn` }
      // the target name's prefix for the device (a CD-ROM's is not checked; libvirt 11 knows NVMe disks too)
      const dev = child(d, 'target')?.attrs.dev
      if (dev !== undefined) {
        if ((device === 'disk' || device === 'lun') && !harddiskPrefixes.some((p) => dev.startsWith(p)) && !(dev.startsWith('nvme') && !isLibvirt9(ctx))) return { message: `Invalid harddisk device name: ${dev}`, path: `${path}/target/@dev` }
        if (device === 'floppy' && !dev.startsWith('fd')) return { message: `Invalid floppy device name: ${dev}`, path: `${path}/target/@dev` }
      }
      // a hard disk has a medium (only a CD-ROM, floppy or LUN may be empty; libvirtd 9.0's words)
      if (device === 'disk' && diskSourceEmpty(d)) return { message: `missing source information for device ${dev ?? ''}`, path: `${path}/source` }
      return undefined
    }),
  },
  // libvirt 11's virDomainDiskDefValidate, after the medium (from 11.3's source): qcow2's discard-no-unref on a writable
  // image, one way of naming a disk's I/O threads, throttle filters without I/O limits, off CD-ROMs, of groups the
  // domain defines
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'], deviceStep: 'generic', since11: true,
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const driver = child(d, 'driver')
      const path = new LazyPath(() => diskPath(d))
      if (driver?.attrs.discard_no_unref === 'on') {
        if (driver.attrs.type !== 'qcow2') return { message: "'discard_no_unref' only works with qcow2 disk format", path: `${path}/driver/@discard_no_unref` }
        if (child(d, 'readonly') || d.attrs.device === 'cdrom') return { message: "'discard_no_unref' is not compatible with read-only disk", path: `${path}/driver/@discard_no_unref` }
      }
      if (driver?.attrs.iothread !== undefined && uint(driver.attrs.iothread, 10) !== 0 && kids(child(driver, 'iothreads'), 'iothread').length > 0) {
        return { code: 'preview-invalid-value', message: "disk driver 'iothread' attribute can't be used together with 'iothreads' subelement", path: `${path}/driver/iothreads` }
      }
      const filters = kids(child(d, 'throttlefilters'), 'throttlefilter')
      if (filters.length === 0) return undefined
      const iotune = child(d, 'iotune')
      if (iotuneSet(iotune)) {
        return { message: `block 'throttlefilters' can't be used together with 'iotune' for disk '${child(d, 'target')?.attrs.dev ?? ''}'`, path: `${path}/throttlefilters` }
      }
      if (d.attrs.device === 'cdrom') return { message: "cdrom device with throttle filters isn't supported", path: `${path}/throttlefilters` }
      const groups = new Set(kids(ctx.domain, 'throttlegroups').flatMap((h) => kids(h, 'throttlegroup')).map((g) => child(g, 'group_name')?.text ?? ''))
      const missing = filters.find((f) => !groups.has(f.attrs.group ?? ''))
      // (a filter without a group — its parser reports none missing and goes on — is named as glibc prints a NULL string)
      return missing ? { code: 'preview-invalid-value', message: `throttle group '${missing.attrs.group ?? '(null)'}' not found`, path: `${path}/throttlefilters` } : undefined
    }),
  },
  // libvirt 11 (qemuValidateDomainDeviceDefDisk): a qcow2 image's discard-no-unref is QEMU's (after the generic checks above)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'], since11: true,
    check: (ctx) => (has(ctx, qemuDeviceFlags.more11.discardNoUnref.flag) ? undefined : firstDevice(ctx, (d) => (d.name === 'disk' && child(d, 'driver')?.attrs.discard_no_unref !== undefined
      ? { message: qemuDeviceFlags.more11.discardNoUnref.message, path: `${diskPath(d)}/driver/@discard_no_unref` } : undefined))),
  },
  // qemuValidateDomainDeviceDefDiskFrontend: what a disk's bus and device take (a CD-ROM is read-only whatever it says)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => {
      let ids: Set<number> | undefined
      return firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const device = d.attrs.device ?? 'disk'
      const target = child(d, 'target')
      const dev = target?.attrs.dev ?? ''
      const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, device)
      const driver = child(d, 'driver')
      const readonly = child(d, 'readonly') !== undefined || device === 'cdrom'
      const path = new LazyPath(() => diskPath(d))
      // qemuValidateDomainDeviceDefDiskFrontend: a CHS geometry (all three numbers) not on USB or SD, its translation on IDE alone
      const geometry = child(d, 'geometry')?.attrs
      if (geometry && [geometry.cyls, geometry.heads, geometry.secs].every((v) => (uint(v, 10) ?? 0) > 0)) {
        if (bus === 'usb' || bus === 'sd') return { message: `CHS geometry can not be set for '${bus}' bus`, path: `${path}/geometry` }
        if (geometry.trans !== undefined && geometry.trans !== 'default' && bus !== 'ide') return { message: `CHS translation mode can only be set for 'ide' bus not '${bus}'`, path: `${path}/geometry/@trans` }
      }
      // (an SD card carries no serial: an internal error)
      if (bus === 'sd' && textIn(child(d, 'serial')) !== '') return { message: "Serial property not supported for drive bus 'sd'", path: `${path}/serial` }
      if (device === 'cdrom' && (bus === 'virtio' || bus === 'sd')) return { message: `disk type of '${dev}' does not support ejectable media`, path: `${path}/target/@bus` }
      if (driver?.attrs.copy_on_read === 'on' && readonly) return { message: `copy_on_read is not compatible with read-only disk '${dev}'`, path: `${path}/driver/@copy_on_read` }
      if (driver?.attrs.copy_on_read === 'on' && (device === 'cdrom' || device === 'floppy')) return { message: `copy_on_read is not supported with removable disk '${dev}'`, path: `${path}/driver/@copy_on_read` }
      if (textIn(child(d, 'wwn')) !== '' && bus !== 'ide' && bus !== 'scsi') return { message: 'Only ide and scsi disk support wwn', path: `${path}/wwn` }
      // (9.0 then asks for the WWN's QEMU property: an IDE disk's, then — as libvirt has it — a SCSI disk's for any other)
      if (textIn(child(d, 'wwn')) !== '' && isLibvirt9(ctx)) {
        const { ideWwn9, scsiWwn9 } = qemuDeviceFlags.disk
        if (bus === 'ide' && !has(ctx, ideWwn9.flag)) return { message: ideWwn9.message, path: `${path}/wwn` }
        if (bus !== 'scsi' && !has(ctx, scsiWwn9.flag)) return { message: scsiWwn9.message, path: `${path}/wwn` }
      }
      // (then the SCSI inquiry strings' buses: libvirt 9.0's words for either, libvirt 11's for each)
      for (const name of ['vendor', 'product'] as const) {
        if (textIn(child(d, name)) === '' || diskInquiryBuses(name, !isLibvirt9(ctx)).has(bus)) continue
        const message = isLibvirt9(ctx) ? 'Only scsi disk supports vendor and product' : name === 'vendor' ? "Only scsi disk supports 'vendor'" : "Only ide, sata and scsi disk supports 'product'"
        return { message, path: `${path}/${name}` }
      }
      // (a LUN passes the host's device through — a SCSI or virtio disk, the bus its name gives when none is written —: no
      // copy on read, WWN, vendor or product of its own)
      if (device === 'lun') {
        if (bus !== 'scsi' && bus !== 'virtio') return { message: `disk device='lun' is not supported for bus='${bus}'`, path: `${path}/target/@bus` }
        if (bus === 'scsi' && !has(ctx, qemuDeviceFlags.disk.scsiBlock.flag)) return { message: qemuDeviceFlags.disk.scsiBlock.message, path: `${path}/target/@bus` }
        // (libvirt 11: a LUN on virtio needs QEMU's SCSI emulation in virtio-blk — the `virtio-blk-pci.scsi` capability QEMU
        // 9.1 and later lack —, checked in this switch on the bus: before its other checks, seen on libvirtd 11.3; 9.0 takes it)
        if (bus === 'virtio' && !isLibvirt9(ctx) && !has(ctx, 'virtio-blk-pci.scsi')) return { message: "This QEMU doesn't support SCSI emulation with 'virtio-blk' device", path: `${path}/target/@bus` }
        if (driver?.attrs.copy_on_read === 'on') return { message: `copy_on_read is not compatible with 'lun' disk '${dev}'`, path: `${path}/driver/@copy_on_read` }
        if (textIn(child(d, 'wwn')) !== '') return { message: 'Setting wwn is not supported for lun device', path: `${path}/wwn` }
        if (textIn(child(d, 'vendor')) !== '' || textIn(child(d, 'product')) !== '') return { message: 'Setting vendor or product is not supported for lun device', path: `${path}/${textIn(child(d, 'vendor')) !== '' ? 'vendor' : 'product'}` }
      }
      // (a rotation rate is a SCSI, IDE or SATA hard disk's, libvirtd 9.0's words; then by bus: a virtio disk's queue size, a
      // USB disk's QEMU device before its address, then — 9.0 — its removable flag: each QEMU's property or device)
      if (target?.attrs.rotation_rate !== undefined) {
        if (bus !== 'scsi' && bus !== 'ide' && bus !== 'sata') return { message: 'rotation rate is only valid for SCSI/IDE/SATA bus', path: `${path}/target/@rotation_rate` }
        if (device !== 'disk') return { message: 'rotation rate is only valid for disk device', path: `${path}/target/@rotation_rate` }
        if (!has(ctx, qemuDeviceFlags.disk.rotationRate.flag)) return { message: qemuDeviceFlags.disk.rotationRate.message, path: `${path}/target/@rotation_rate` }
      }
      {
        const address = child(d, 'address')?.attrs.type
        const disk = qemuDeviceFlags.disk
        if (bus === 'virtio' && (uint(driver?.attrs.queue_size, 10) ?? 0) > 0 && !has(ctx, disk.virtioQueueSize.flag)) return { message: disk.virtioQueueSize.message, path: `${path}/driver/@queue_size` }
        if (bus === 'usb' && !has(ctx, disk.usbStorage.flag)) return { message: disk.usbStorage.message, path: `${path}/target/@bus` }
        if (bus === 'usb' && address !== undefined && address !== 'usb') return { message: 'unexpected address type for usb disk', path: `${path}/address/@type` }
        if (bus === 'usb' && isLibvirt9(ctx) && target?.attrs.removable !== undefined && !has(ctx, disk.usbRemovable9.flag)) return { message: disk.usbRemovable9.message, path: `${path}/target/@removable` }
      }
      // (then a read-only IDE or SATA hard disk, native I/O's cache modes, io_uring's QEMU support)
      if (device === 'disk' && child(d, 'readonly') && (bus === 'ide' || bus === 'sata')) return { message: `readonly ${bus} disks are not supported`, path: `${path}/readonly` }
      if (driver?.attrs.io === 'native' && driver.attrs.cache !== 'none' && driver.attrs.cache !== 'directsync') return { message: "io='native' needs either no disk cache or directsync cache mode", path: `${path}/driver/@io` }
      if (driver?.attrs.io === 'io_uring' && !has(ctx, qemuDeviceFlags.disk.ioUring.flag)) return { message: qemuDeviceFlags.disk.ioUring.message, path: `${path}/driver/@io` }
      // (qemuValidateDomainDeviceDefDiskFrontend's last checks: a serial QEMU can carry — QEMU's scsi-block passes the
      // LUN's own through, libvirt refuses one written (Nova's `hw_scsi_model` LUNs) —, I/O threads for virtio disks and
      // threads the domain has)
      const serial = child(d, 'serial')?.text?.trim()
      if (serial && bus === 'scsi' && device === 'lun') return { message: "scsi-block 'lun' devices do not support the serial property", path: `${path}/serial` }
      if (serial !== undefined && !/^[A-Za-z0-9\-_ .+]*$/.test(serial)) return { message: `driver serial '${serial}' contains unsafe characters`, path: `${path}/serial` }
      const iothread = uint(driver?.attrs.iothread, 10)
      // (libvirt 11: a virtio disk's I/O thread mapping, QEMU's property — a mapping beside a thread is the generic
      // check's refusal)
      const { diskIothreadMapping } = qemuDeviceFlags.more11
      if (!isLibvirt9(ctx) && bus === 'virtio' && !(iothread !== undefined && iothread > 0) && kids(child(driver, 'iothreads'), 'iothread').length > 0 && !has(ctx, diskIothreadMapping.flag)) {
        return { message: diskIothreadMapping.message.replace('%s', target?.attrs.dev ?? ''), path: `${path}/driver/iothreads` }
      }
      // (11.3: a mapping on another bus refused as a thread is, then the mapping itself before the thread — seen on libvirtd 11.3)
      if (!isLibvirt9(ctx) && !(iothread !== undefined && iothread > 0) && kids(child(driver, 'iothreads'), 'iothread').length > 0) {
        if (bus !== 'virtio') return { message: `IOThreads not available for bus ${bus} target ${target?.attrs.dev ?? ''}`, path: `${path}/driver/iothreads` }
        const mapping = iothreadMappingProblem(ctx, driver, `${path}`)
        if (mapping) return mapping
      }
      if (iothread !== undefined && iothread > 0) {
        if (bus !== 'virtio') return { message: `IOThreads not available for bus ${bus} target ${target?.attrs.dev ?? ''}`, path: `${path}/driver/@iothread` }
        if (!(ids ??= iothreadIds(ctx)).has(iothread)) return { message: `Disk iothread '${iothread}' not defined in iothreadid`, path: `${path}/driver/@iothread` }
      }
      return undefined
      })
    },
  },
  // qemuValidateDomainDeviceDefDiskBlkdeviotune, then …DiskTransient (libvirtd 9.0's words): a group name with limits, the
  // same limits on every disk of a group, none above QEMU's 10^15; a transient disk a writable file with a medium
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    below: ['iotune', 'transient'],
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const path = new LazyPath(() => diskPath(d))
      const dev = child(d, 'target')?.attrs.dev ?? ''
      const iotune = child(d, 'iotune')
      if (iotune) {
        // (as post-parse leaves them: a disk naming only its group has the first of the group's limits — virDomainDiskExpandGroupIoTune)
        const limits = groupIotuneLimits(ctx, d)
        const group = textIn(child(iotune, 'group_name'))
        if (group !== '' && !limits.some((v) => v !== 0n)) return { message: 'group_name can be configured only together with settings', path: `${path}/iotune/group_name` }
        // (libvirt 11 then refuses I/O limits on an SD card, which never worked — from 11.3's source: after the front end's
        // checks and a group name alone)
        const target = child(d, 'target')
        if (!isLibvirt9(ctx) && (target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)) === 'sd' && (group !== '' || limits.some((v) => v !== 0n))) {
          return { message: "<iotune> is not supported with bus='sd'", path: `${path}/iotune` }
        }
        if (group !== '') {
          for (const other of devicesOfKind(ctx, 'disk')) {
            const theirs = child(other, 'iotune')
            if (other === d || theirs === undefined || textIn(child(theirs, 'group_name')) !== group || (child(other, 'target')?.attrs.dev ?? '') === dev) continue
            const their = groupIotuneLimits(ctx, other)
            if (their.some((v, i) => v !== limits[i])) return { message: `different iotunes for disks ${dev} and ${child(other, 'target')?.attrs.dev ?? ''}`, path: `${path}/iotune` }
          }
        }
        if (limits.some((v, i) => i < diskIotuneThrottled && v > 1000000000000000n)) return { code: 'preview-invalid-value', message: 'block I/O throttle limit must be no more than 1000000000000000 using QEMU', path: `${path}/iotune` }
      }
      if (child(d, 'transient')) {
        const device = d.attrs.device ?? 'disk'
        if (diskSourceEmpty(d)) return { message: `transient disk '${dev}' must not be empty`, path: `${path}/transient` }
        if (child(d, 'readonly') || device === 'cdrom') return { message: `transient disk '${dev}' must not be read-only`, path: `${path}/transient` }
        if ((d.attrs.type ?? 'file') !== 'file') return { message: `transient disk supported only with 'file' type (${dev})`, path: `${path}/transient` }
        if (device !== 'disk') return { message: `transient disk supported only with 'disk' device (${dev})`, path: `${path}/transient` }
        // (sharing its backing image: QEMU's set-action, unless the domain may reboot — qemuProcessRebootAllowed, the
        // lifecycle actions as post-parse leaves them: on_reboot restart, on_poweroff and on_crash destroy)
        const { transientShareBacking } = qemuDeviceFlags.disk
        if (child(d, 'transient')?.attrs.shareBacking === 'yes' && !has(ctx, transientShareBacking.flag)) {
          const action = (name: string, fallback: string): string => textIn(child(ctx.domain, name)) || fallback
          const crash = action('on_crash', 'destroy')
          const rebootAllowed = action('on_reboot', 'restart') !== 'destroy' || action('on_poweroff', 'destroy') !== 'destroy' || (crash !== 'destroy' && crash !== 'coredump-destroy')
          if (!rebootAllowed) return { message: transientShareBacking.message, path: `${path}/transient/@shareBacking` }
        }
      }
      return undefined
    }),
  },

  // libvirt 11 (qemuValidateDomainDeviceDefDiskFrontend): a USB disk has a medium (virStorageSourceIsEmpty: a local
  // source without its path, an empty path read as none); libvirtd 9.0 takes it. (A LUN on virtio: the LUN checks above.)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'], since11: true,
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const device = d.attrs.device ?? 'disk'
      const target = child(d, 'target')
      const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, device)
      return bus === 'usb' && diskSourceEmpty(d) ? { message: "'usb' disk must not be empty", path: `${diskPath(d)}` } : undefined
    }),
  },
  // virDomainDiskDefValidate / qemuValidateDomainDeviceDefDisk: what only a virtio disk has (a vhost-user source; its
  // event_idx and ioeventfd are the LUN checks' row's), and transient disks sharing their backing image on virtio, SCSI and USB only (libvirtd 9.0's
  // words, its "transiend" too); a bus left out is the one the target name gives
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'disk') return undefined
      const target = child(d, 'target')
      const bus = target?.attrs.bus ?? busFromTarget(target?.attrs.dev, d.attrs.device)
      if (bus === 'virtio') return undefined
      if (d.attrs.type === 'vhostuser') return { message: 'vhostuser disk supports only virtio bus', path: `${placeOf(list, d)}/target/@bus` }
      if (bus !== 'scsi' && bus !== 'usb' && child(d, 'transient')?.attrs.shareBacking === 'yes') return { message: `disk bus '${bus}' doesn't support transiend disk backing image sharing`, path: `${placeOf(list, d)}/transient/@shareBacking` }
      return undefined
    }),
  },
  // (qemuValidateDomainDeviceDefDisk after its front end checks, in its order: shared access, the driver's name, then
  // qemuDomainValidateStorageSource for each image of the chain — a disk refused for two reasons is refused for the
  // first: virt-manager's test domains on libvirtd 9.0)
  // qemuValidateDomainDeviceDefDisk / qemuBlockStorageSourceSupportsConcurrentAccess: a writable shared
  // disk must be raw (a disk without a format: libvirtd 9.0 takes it)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    below: ['shareable'],
    check: (ctx) => firstDevice(ctx, (d) => {
      // (a CD-ROM is read-only whatever it says)
      if (d.name !== 'disk' || !child(d, 'shareable') || child(d, 'readonly') || d.attrs.device === 'cdrom') return undefined
      // (a volume's format is left unset by post-parse — qemuDomainDeviceDiskDefPostParse —, not raw: refused; probes
      // h48-mix-…, libvirtd 9.0; libvirt 11: a raw image QEMU decrypts as LUKS is not raw either, qemuBlockStorageSourceIsRaw)
      const format = child(d, 'driver')?.attrs.type ?? (d.attrs.type === 'volume' ? 'none' : undefined)
      const encryption = isLibvirt9(ctx) ? undefined : encryptionOf(d)
      const luks = encryption !== undefined && encryption.attrs.format === 'luks' && (encryption.attrs.engine ?? 'qemu') === 'qemu'
      return (format !== undefined && format !== 'raw') || (luks && (format ?? 'raw') === 'raw')
        ? { message: `shared access for disk '${child(d, 'target')?.attrs.dev ?? ''}' requires use of supported storage format`, path: `${diskPath(d)}/shareable` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefDisk: the QEMU driver's disks have the driver name `qemu`, or none (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const name = d.name === 'disk' ? child(d, 'driver')?.attrs.name : undefined
      return name !== undefined && name !== 'qemu' ? { message: `unsupported driver name '${name}' for disk '${child(d, 'target')?.attrs.dev ?? ''}'`, path: `${diskPath(d)}/driver/@name` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefDisk, after the driver's name: the target a disk name (virDiskNameParse) without a
  // partition — a name that does not read with an address given (without one post-parse refused it already, as it
  // assigned the address); after the front end's and the generic checks (probes h48-vp-…-partition, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const dev = d.name === 'disk' ? child(d, 'target')?.attrs.dev : undefined
      if (dev === undefined) return undefined
      if (child(d, 'address') !== undefined && !diskNameParses(dev, isLibvirt9(ctx) ? 'wrap' : 'refuse')) return { message: `invalid disk target '${dev}'`, path: `${diskPath(d)}/target/@dev` }
      if ((parseDiskName(dev)?.partition ?? 0) > 0) return { message: `invalid disk target '${dev}', partitions can't appear in disk targets`, path: `${diskPath(d)}/target/@dev` }
      return undefined
    }),
  },
  // qemuDomainValidateStorageSource, for every image of the chain: QEMU has no `cow` format; a directory is a disk type (QEMU's vvfat), never
  // a format, and an ISO image is raw to QEMU (checked on the sandbox libvirtd 9.0: the disk's format and a backing
  // store's alike, a CD-ROM's too); then its other checks (storageSourceProblem)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      let format = child(d, 'driver')?.attrs.type
      let path = 'driver/@type'
      for (let at: N | undefined = d, depth = 0; at; at = child(at, 'backingStore'), depth++) {
        if (depth > 0) { format = child(at, 'format')?.attrs.type; path = `${'backingStore/'.repeat(depth)}format/@type` }
        // (a backing store without a type ends the chain)
        if (depth > 0 && at.attrs.type === undefined) break
        if (format === 'cow') return { message: "'cow' storage format is not supported", path: `${diskPath(d)}/${path}` }
        if (format === 'dir') return { message: "'directory' storage format is not directly supported by QEMU, use 'dir' disk type instead", path: `${diskPath(d)}/${path}` }
        if (format === 'iso') return { message: "storage format 'iso' is not directly supported by QEMU, use 'raw' instead", path: `${diskPath(d)}/${path}` }
        const problem = storageSourceProblem(ctx, at, depth, format)
        if (problem) return { message: problem.message, path: `${diskPath(d)}/${'backingStore/'.repeat(depth)}${problem.at}` }
      }
      return undefined
    }),
  },
  // qemuDomainValidateStorageSource: a disk's encryption — never qcow's old one; QEMU's engine (the default) decrypts
  // LUKS on raw or qcow2 images only (a disk without a format is probed as raw: libvirtd 9.0 takes it), one secret
  // (libvirt 11); librbd's needs the QEMU to have it and (as libvirt tests it) a network or RBD source
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    below: ['encryption'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const encryption = d.name === 'disk' ? encryptionOf(d) : undefined
      if (encryption === undefined) return undefined
      const at = `${diskPath(d)}/encryption`
      const format = encryption.attrs.format
      if (format === 'default' || format === 'qcow') return { message: 'old qcow/qcow2 encryption is not supported', path: `${at}/@format` }
      const secrets = kids(encryption, 'secret').length
      if ((encryption.attrs.engine ?? 'qemu') === 'qemu') {
        if (format === 'luks') {
          const image = child(d, 'driver')?.attrs.type
          if (image !== undefined && image !== 'raw' && image !== 'qcow2') return { message: "encryption is supported only with 'raw' and 'qcow2' image format", path: `${diskPath(d)}/driver/@type` }
        } else if (format === 'luks2' || format === 'luks-any') {
          return { message: isLibvirt9(ctx) ? `${format} is currently not supported by the qemu encryption engine` : `'${format}' is currently not supported by the qemu encryption engine`, path: `${at}/@format` }
        }
        return secrets > 1 && !isLibvirt9(ctx) ? { message: 'qemu encryption engine expects only a single secret', path: `${at}/secret[2]` } : undefined
      }
      if (encryption.attrs.engine !== 'librbd') return undefined
      if (!has(ctx, 'rbd-encryption')) return { message: 'librbd encryption is not supported by this QEMU binary', path: `${at}/@engine` }
      if (d.attrs.type !== 'network' && child(d, 'source')?.attrs.protocol !== 'rbd') return { message: 'librbd encryption is supported only with RBD backed disks', path: `${at}/@engine` }
      if (isLibvirt9(ctx)) return undefined
      if (secrets > 1 && !has(ctx, 'rbd-encryption-layering')) return { message: 'librbd encryption layering is not supported by this QEMU binary', path: `${at}/secret[2]` }
      return format === 'luks-any' && !has(ctx, 'rbd-encryption-luks-any') ? { message: 'luks-any encryption is not supported by this QEMU binary', path: `${at}/@format` } : undefined
    }),
  },
  // virDomainCheckVirtioOptionsAreAbsent: the virtio options of <driver> on a device that is not virtio — a NIC or
  // memory device of another model (a model left out is the default one), in the options' order; a row per kind, each
  // checked where libvirt validates that kind
  // (a NIC's: in virDomainNetDefValidate's order, netDefProblem)
  // (a disk's: with the rest of what only a virtio disk takes, virDomainDiskDefValidate — the row of the LUN checks above)
  // (a video's: the last of virDomainVideoDefValidate's checks, in its row)
  ...(['memory'] as const).map((kind): Refusal => ({
    code: 'preview-refused', stage: 'validate', kinds: [kind],
    check: (ctx) => {
      const list = devices(ctx)
      // (the row's devices — those of its kind, or the one it is placed at, firstInValidationOrder —, not every one of
      // the kind: a second video's packed option is not the first video's refusal, which libvirt gives its vhost-user
      // driver — the differential, seed 900, libvirtd 9.0)
      for (const d of rowDevices(ctx)) {
        const found = d.name === kind ? virtioOptionProblem(ctx, d, list) : undefined
        if (found) return found
      }
      return undefined
    },
  })),

  // ---- video: virDomainDefVideoValidate, one primary video device — the domain's generic step, after every device's
  // checks (virDomainDefValidateInternal: a video model QEMU lacks is refused first — probe h26-ta-h1-v14, libvirtd 9.0) ----
  {
    code: 'preview-refused', stage: 'validate', generic: 'video', kinds: ['video'],
    check: (ctx) => {
      const primaries = devicesOfKind(ctx, 'video').filter((v) => child(v, 'model')?.attrs.primary === 'yes')
      return primaries.length > 1 ? { message: 'Only one primary video device is supported', path: `${placeOf(devices(ctx), primaries[1]!)}/model/@primary` } : undefined
    },
  },
  // qemuValidateDomainDeviceDefVideo, its first check: a model the domain capabilities offer (a model left out is the
  // default one; none always, xen, vbox, parallels and gop never — virQEMUCapsFillDomainDeviceVideoCaps)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['video'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'video') return undefined
      const written = child(d, 'model')?.attrs.type
      const type = videoTypeUnset(written) ? defaultVideoType(ctx) : written!
      const flag = qemuDeviceFlags.videoModels[type]
      return flag !== null && (flag === undefined || !has(ctx, flag)) ? { message: `domain configuration does not support video model '${type}'`, path: `${placeOf(list, d)}/model/@type` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefVideo: besides the primary one (the first written `primary='yes'`, else the first),
  // only QXL and virtio displays — a secondary one without a model takes the machine's default (checked on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['video'],
    // (the primary one found among all the videos, the ones checked those in the row's scope: checked a device at a time
    // too, to be placed in libvirt's device walk against another video's refusal — probe h26-r4-22, libvirtd 9.0)
    check: (ctx) => {
      const videos = devicesOfKind(ctx, 'video')
      if (videos.length < 2) return undefined
      // (each written primary='yes' is a primary one to this check — two are the generic step's to refuse, after it:
      // probe h26-x-video-2primary-q35 —; with none written, the first is)
      const primaryWritten = videos.some((v) => child(v, 'model')?.attrs.primary === 'yes')
      for (const v of rowDevices(ctx)) {
        if (v.name !== 'video' || (primaryWritten ? child(v, 'model')?.attrs.primary === 'yes' : v === videos[0])) continue
        const written = child(v, 'model')?.attrs.type
        // (an empty type is none to the parser too: the odd-value search edit, seed 406)
        const type = videoTypeUnset(written) ? defaultVideoType(ctx) : written
        if (type !== 'qxl' && type !== 'virtio' && type !== 'none') return { message: `video type '${type}' is only valid as primary video device`, path: `${placeOf(devices(ctx), v)}/model/@type` }
      }
      return undefined
    },
  },

  // qemuValidateDomainDeviceDefVideo: a display other than QXL and virtio has one head — a head count written as another
  // number, 0 too (the parser's 1 is for a model without one), is refused (the odd-value search edit, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['video'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.name === 'video' ? child(d, 'model') : undefined
      const heads = model?.attrs.heads
      if (heads === undefined || heads === '') return undefined
      const written = model!.attrs.type
      const type = written === undefined || written === '' || written === 'default' ? defaultVideoType(ctx) : written
      if (type === 'qxl' || type === 'virtio' || type === 'none') return undefined
      const read = readCInteger(heads, 10)
      return read && !read.negative && read.magnitude !== 1 ? { message: `video type '${type}' doesn't support multiple 'heads'`, path: `${placeOf(list, d)}/model/@heads` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefVideo: a QXL display's VGA memory at least 1 MiB and a power of two (its RAM and VRAM are
  // rounded up by post-parse, VGA memory is not), a VGA or VMware display's VRAM at least 1 MiB (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['video'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.name === 'video' && !videoCleared(list.filter((v) => v.name === 'video'), d) ? child(d, 'model') : undefined
      // (the model post-parse gave it: a model left out is the default one)
      const type = model === undefined ? undefined : videoTypeUnset(model.attrs.type) ? defaultVideoType(ctx) : model.attrs.type
      const accel = child(model, 'acceleration')?.attrs
      // (the sizes as post-parse leaves them: by default, rounded up to a power of two)
      const sizes = type === 'qxl' || type === 'vga' || type === 'vmvga' ? videoSizesAfterPostParse(ctx, d, primaryVideo(list.filter((v) => v.name === 'video')) === d) : undefined
      if (accel?.accel2d === 'yes') return { message: 'qemu does not support the accel2d setting', path: `${placeOf(list, d)}/model/acceleration/@accel2d` }
      // (a QXL device's sizes in KiB that QEMU takes in bytes: at most UINT_MAX / 1024, video RAM first — as post-parse
      // leaves them, rounded up to a power of two: 4194303 is refused too)
      if (type === 'qxl') {
        for (const size of ['vram', 'ram'] as const) {
          if ((sizes![size] ?? 0) > 4194303) return { message: `value for '${size}' must be less than '4194303'`, path: `${placeOf(list, d)}/model/@${size}` }
        }
      }
      if (type === 'qxl' && model!.attrs.vgamem !== undefined) {
        const vgamem = Number(model!.attrs.vgamem)
        if (vgamem > 0 && vgamem < 1024) return { message: "value for 'vgamem' must be at least 1 MiB (1024 KiB)", path: `${placeOf(list, d)}/model/@vgamem` }
        if (vgamem > 0 && !Number.isInteger(Math.log2(vgamem))) return { message: "value for 'vgamem' must be power of two", path: `${placeOf(list, d)}/model/@vgamem` }
      }
      // a resolution on a model QEMU sets none for (as post-parse leaves the model: a model left out is the default one)
      if (child(model, 'resolution') && !qemuDeviceFlags.videoResolutionModels.includes(type!)) return { message: 'model resolution is not supported', path: `${placeOf(list, d)}/model/resolution` }
      if (type === 'vga' || type === 'vmvga') {
        const vram = sizes!.vram ?? 0
        if (vram > 0 && vram < 1024) return { message: "value for 'vram' must be at least 1 MiB (1024 KiB)", path: `${placeOf(list, d)}/model/@vram` }
      }
      // (a vhost-user virtio GPU: QEMU's vhost-user-gpu device)
      if (child(d, 'driver')?.attrs.name === 'vhostuser' && type === 'virtio' && !has(ctx, qemuDeviceFlags.vhostUserGpu.flag)) return { message: qemuDeviceFlags.vhostUserGpu.message, path: `${placeOf(list, d)}/driver/@name` }
      // 3D acceleration: virtio's alone, with QEMU's virgl (a vhost-user GPU's backend has its own)
      if (accel?.accel3d === 'yes' && child(d, 'driver')?.attrs.name !== 'vhostuser') {
        if (type !== 'virtio') return { message: "3d acceleration is supported only with 'virtio' video device", path: `${placeOf(list, d)}/model/acceleration/@accel3d` }
        if (!has(ctx, 'virtio-gpu.virgl') && !has(ctx, 'virtio-gpu-gl-pci') && !has(ctx, 'virtio-vga-gl')) return { message: '3d acceleration is not supported by this QEMU binary', path: `${placeOf(list, d)}/model/acceleration/@accel3d` }
      }
      // (libvirt 11: a virtio video's blob resources, QEMU's property, and on a memfd memory backend)
      const blob = type === 'virtio' && !isLibvirt9(ctx) ? model?.attrs.blob : undefined
      if (blob !== undefined) {
        if (!has(ctx, qemuDeviceFlags.more11.blob.flag)) return { message: qemuDeviceFlags.more11.blob.message, path: `${placeOf(list, d)}/model/@blob` }
        if (blob === 'on' && child(child(ctx.domain, 'memoryBacking'), 'source')?.attrs.type !== 'memfd') return { message: "'blob' support for virtio-gpu devices requires a memfd memory backend", path: `${placeOf(list, d)}/model/@blob` }
      }
      return undefined
    }),
  },

  // ---- watchdogs: qemuValidateDomainWatchdogDef ----
  {
    code: 'preview-refused', stage: 'validate', kinds: ['watchdog'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'watchdog') return undefined
      const address = child(d, 'address')?.attrs.type
      const path = new LazyPath(() => placeOf(list, d))
      const v11 = !isLibvirt9(ctx)
      // (libvirt 11: the watchdogs share one action — the first's, `reset` when none is written; from 11.3's source)
      if (v11) {
        const first = devicesOfKind(ctx, 'watchdog')[0]!
        if ((first.attrs.action ?? 'reset') !== (d.attrs.action ?? 'reset')) return { message: 'watchdogs with different actions are not supported with this QEMU binary', path: `${path}/@action` }
      }
      if (d.attrs.model === 'diag288') {
        if (address !== undefined) return { message: 'diag288 model of watchdog is virtual and cannot go on any bus.', path: `${path}/address` }
        if (!isS390(ctx)) return { message: 'diag288 model of watchdog is allowed for s390 and s390x only', path: `${path}/@model` }
      }
      if (d.attrs.model === 'i6300esb' && address !== undefined && address !== 'pci') return { message: 'i6300esb model of watchdog can go only on PCI bus', path: `${path}/address` }
      // (an ib700 sits at its fixed ISA port: no address at all)
      // (libvirt 11: an ib700 on i440fx alone; the iTCO one is part of the Q35 chipset, at no address of its own)
      if (d.attrs.model === 'ib700' && v11 && !isI440fx(ctx)) return { message: 'ib700 model of watchdog cannot be used with this machine type', path: `${path}/@model` }
      if (d.attrs.model === 'ib700' && address !== undefined && address !== 'none') return { message: 'ib700 model of watchdog does not support configuring the address', path: `${path}/address` }
      if (d.attrs.model === 'itco' && v11) {
        if (address !== undefined && address !== 'none') return { message: 'itco model of watchdog is part of the machine and cannot have any address set.', path: `${path}/address` }
        if (!isQ35(ctx)) return { message: 'itco model of watchdog is only part of q35 machine', path: `${path}/@model` }
      }
      return undefined
    }),
  },

  // ---- character devices: their generic checks (the smartcard's address, every source) are with the other generic
  // device checks, before the QEMU driver's of the device's address (above) ----
  // qemuValidateDomainRNGDef: the backend's QEMU object (an EGD backend's, before its character device's QEMU checks below;
  // a backend without a model is refused by the parser)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['rng'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const backend = d.name === 'rng' ? child(d, 'backend')?.attrs.model ?? '' : ''
      const check = Object.hasOwn(qemuDeviceFlags.rngBackends, backend) ? qemuDeviceFlags.rngBackends[backend]! : undefined
      return check !== undefined && !has(ctx, check.flag) ? { message: check.message, path: `${placeOf(list, d)}/backend/@model` } : undefined
    }),
  },
  // qemuValidateDomainChrSourceDef: libvirt 11's QEMU TCP character devices speak raw or telnet only (libvirtd 9.0 takes
  // `tls` and `telnets`) — any device's character source: a serial, parallel, channel or console, an RNG's EGD backend, a
  // USB redirection, a passthrough smartcard (seen on libvirtd 11.3) —; then qemuValidateDomainChrSourceReconnectDef: a
  // reconnecting character device waits at least a second (a character device's source alone: a vhost-user interface's
  // is not checked — libvirtd 9.0, the same in 11.3's qemu_validate.c)
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['serial', 'parallel', 'channel', 'console', 'rng', 'redirdev', 'smartcard'],
    below: ['reconnect', 'protocol'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const backend = d.name === 'rng' ? child(d, 'backend') : d
      // (a TCP or UNIX socket's alone: no other source type reads a reconnect — an EGD backend over UDP's is not looked at,
      // probe h51-udp-rng-12 on libvirtd 9.0)
      const type = backend?.attrs.type
      const at = `${placeOf(list, d)}${backend === d ? '' : '/backend'}`
      const protocol = type === 'tcp' && !isLibvirt9(ctx) && (d.name !== 'smartcard' || d.attrs.mode === 'passthrough') ? child(backend, 'protocol')?.attrs.type : undefined
      if (protocol === 'tls' || protocol === 'telnets') return { code: 'preview-refused', message: `tcp chardev protocol '${protocol}' not supported`, path: `${at}/protocol/@type` }
      const reconnect = type === 'tcp' || type === 'unix' ? child(child(backend, 'source'), 'reconnect') : undefined
      return reconnect?.attrs.enabled === 'yes' && uint(reconnect.attrs.timeout, 10) === 0
        ? { message: "chardev reconnect source timeout cannot be '0'", path: `${at}/source/reconnect/@timeout` } : undefined
    }),
  },
  // qemuValidateDomainChrSourceDef: SPICE character devices need SPICE graphics, a QEMU vdagent its QEMU's support
  // (SPICE audio: with the audio backends, below); qemuValidateDomainSmartcardDef: one smartcard
  {
    code: 'preview-refused', stage: 'validate', kinds: ['serial', 'parallel', 'channel', 'console', 'rng', 'redirdev', 'smartcard'],
    check: (ctx) => {
      const spice = devicesOfKind(ctx, 'graphics').some((g) => g.attrs.type === 'spice')
      // with USB switched off, libvirt's post-parse refuses a redirected USB device first (other words)
      const usbOff = devicesOfKind(ctx, 'controller').some((c) => c.attrs.type === 'usb' && c.attrs.model === 'none')
      // (the domain's count of smartcards, on the first card already: def->nsmartcards — probe h25-d1-valid-36, libvirtd 9.0)
      const smartcards = devicesOfKind(ctx, 'smartcard').length
      return firstDevice(ctx, (d, list) => {
        // (QEMU takes one smartcard, on CCID controller 0 slot 0: a card written elsewhere is refused the same way; then
        // its mode's QEMU device, before a passthrough card's character device is checked)
        if (d.name === 'smartcard') {
          const a = child(d, 'address')
          const elsewhere = a !== undefined && (a.attrs.type !== 'ccid' || Number(a.attrs.controller ?? '0') !== 0 || Number(a.attrs.slot ?? '0') !== 0)
          if (smartcards > 1 || elsewhere) return { message: 'this QEMU binary lacks multiple smartcard support', path: placeOf(list, d) }
          const mode = qemuDeviceFlags.smartcardModes[d.attrs.mode ?? '']
          if (mode !== undefined && !has(ctx, mode.flag)) return { message: mode.message, path: `${placeOf(list, d)}/@mode` }
        }
        const type = d.name === 'redirdev' && usbOff ? undefined : chardevType(d)
        if (!spice && (type === 'spicevmc' || type === 'spiceport')) return { message: `chardev '${type}' not supported without spice graphics`, path: `${placeOf(list, d)}${d.name === 'rng' ? '/backend' : ''}/@type` }
        if (type === 'qemu-vdagent' && !has(ctx, 'chardev.qemu-vdagent')) return { message: "chardev 'qemu-vdagent' not supported in this QEMU binary", path: `${placeOf(list, d)}${d.name === 'rng' ? '/backend' : ''}/@type` }
        // (a USB redirection after its character device: QEMU's usb-redir, and its filter when rules are written —
        // qemuValidateDomainRedirdevDef)
        if (d.name === 'redirdev' && !usbOff) {
          const { usbRedir, usbRedirFilter } = qemuDeviceFlags
          if (!has(ctx, usbRedir.flag)) return { message: usbRedir.message, path: `${placeOf(list, d)}/@bus` }
          if (kids(devices(ctx).find((f) => f.name === 'redirfilter'), 'usbdev').length > 0 && !has(ctx, usbRedirFilter.flag)) return { message: usbRedirFilter.message, path: `${placeOf(list, d)}` }
        }
        return undefined
      })
    },
  },
  // libvirt 11 (qemuValidateDomainRNGDef, last): an RNG model the domain capabilities offer — virtio-rng, and for a
  // (non-)transitional one QEMU's transitional virtio-pci devices (model's qemuDeviceFlags.rngModels11)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['rng'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.name === 'rng' ? d.attrs.model ?? '' : ''
      const needs = Object.hasOwn(qemuDeviceFlags.rngModels11, model) ? qemuDeviceFlags.rngModels11[model]! : undefined
      return needs !== undefined && needs.some((flag) => !has(ctx, flag)) ? { message: `domain configuration does not support rng model '${model}'`, path: `${placeOf(list, d)}/@model` } : undefined
    }),
  },
  // qemuValidateDomainChrDef, port by port: its target (qemuValidateDomainChrTargetDef: the address its target type
  // plugs into, then the target type its model needs), then the machine its target type and model belong to (spapr-vty
  // to pSeries, PL011 to ARM virt, 16550A to RISC-V or LoongArch virt, SCLP to s390: model's serialTargetHomes). A serial
  // console that becomes the first serial port keeps its address (virDomainDefAddConsoleCompat moves it); libvirtd 9.0's words
  {
    code: 'preview-refused', stage: 'validate', kinds: ['serial', 'console'],
    check: (ctx) => {
      const list = devices(ctx)
      const serials = devicesOfKind(ctx, 'serial')
      const first = devicesOfKind(ctx, 'console')[0]
      const firstType = first ? child(first, 'target')?.attrs.type : undefined
      const ports = serials.length === 0 && first && (firstType === undefined || firstType === 'serial') ? [first] : serials
      // (the first port refused is the one reported, placed at that port: virDomainDeviceInfoIterate meets them one by one —
      // an sPAPR VIO register out of range on an earlier port is met first, probe h28-multie-598, libvirtd 9.0)
      const scope = rowDevices(ctx)
      const at = <T>(d: N, found: T): T | undefined => (scope.includes(d) ? found : undefined)
      for (const d of ports) {
        const target = d.name === 'serial' ? child(d, 'target') : undefined
        // (an ISA serial port written is post-parse's default for the arch, as none written: qemuDomainChrDefPostParse)
        const type = d.name === 'serial' ? serialTargetTypeAfterPostParse(ctx, d) : defaultSerialTargetType(ctx)
        // (post-parse gives a spapr-vio-serial port a spapr-vio address whatever was written: qemuDomainAssignSpaprVIOAddresses)
        const address = type === 'spapr-vio-serial' ? undefined : child(d, 'address')?.attrs.type
        const wanted = type === undefined ? undefined : serialTargetAddressTypes[type]
        if (address !== undefined && address !== 'none' && wanted !== undefined && address !== wanted) {
          return at(d, { message: wanted === 'none' ? `Target type '${type}' cannot have an associated address` : `Target type '${type}' requires address type '${wanted}'`, path: `${placeOf(list, d)}/address/@type` })
        }
        // then its target model, the one its target type takes
        // (an empty name is none to virXPathString: the default model)
        const writtenModel = child(target, 'model')?.attrs.name || undefined
        const modelType = writtenModel === undefined ? undefined : serialTargetModelTypes[writtenModel]
        if (modelType !== undefined && modelType !== type) return at(d, { message: `Target model '${writtenModel}' requires target type '${modelType}'`, path: `${placeOf(list, d)}/target/model/@name` })
        if (d.name !== 'serial') continue
        // then its machine, with the model post-parse gave it
        const model = writtenModel ?? defaultSerialModel(ctx, type)
        const family = machineFamilyOf(ctx)
        const fits = (homes: readonly SerialTargetHome[] | undefined): boolean => homes === undefined || homes.some((h) => h === family || (h === 's390' && isS390(ctx)))
        if (!fits(type === undefined ? undefined : serialTargetHomes.types[type]) || !fits(model === undefined ? undefined : serialTargetHomes.models[model])) {
          return at(d, { message: `Serial device with target type '${type ?? 'none'}' and target model '${model ?? 'none'}' not compatible with guest architecture or machine type`, path: `${placeOf(list, d)}/target` })
        }
      }
      return undefined
    },
  },

  // virDomainChrDefPostParse (each device's post-parse): an isa-debug serial port is x86's (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'device', kinds: ['serial'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'serial' && child(d, 'target')?.attrs.type === 'isa-debug' && !isX86(ctx)
      ? { message: 'isa-debug serial type only valid on x86 architecture', path: `${placeOf(list, d)}/target/@type` } : undefined)),
  },

  // TPM 1.2 has no ARM interface (libvirt 11 says so by architecture; 9.0's qemuValidateDomainDeviceDefTPM for ARM virt) —
  // checked before the QEMU binary's TPM backends and models, as qemuValidateDomainDeviceDefTPM does (probe
  // h26-ta-h9-186: a TPM 1.2 CRB on aarch64 virt, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['tpm'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const backend = d.name === 'tpm' ? child(d, 'backend') : undefined
      if (backend?.attrs.type !== 'emulator') return undefined
      // (first, a version the host's swtpm offers — none without swtpm: virQEMUCapsFillDomainDeviceTPMCaps; the `swtpm` option)
      const swtpm = ctx.options.swtpm
      if (swtpm !== undefined && !(swtpm ?? []).includes(tpmEmulatorVersion(ctx, d))) return { message: `TPM version '${tpmEmulatorVersion(ctx, d)}' is not supported`, path: `${placeOf(list, d)}/backend/@version` }
      if (tpmEmulatorVersion(ctx, d) !== '1.2') return undefined
      // (TPM 1.2: libvirt 9.0 refuses a CRB or sPAPR interface and ARM; 11 takes a TIS one on x86 alone)
      const model = d.attrs.model ?? (arch(ctx).startsWith('ppc64') ? 'tpm-spapr' : 'tpm-tis')
      const at = `${placeOf(list, d)}/backend/@version`
      if (isLibvirt9(ctx)) {
        if (model === 'tpm-crb') return { message: "Unsupported interface 'tpm-crb' for TPM 1.2", path: at }
        if (model === 'tpm-spapr') return { message: 'TPM 1.2 is not supported with the SPAPR device model', path: at }
        return isArmVirt(ctx) ? { message: 'TPM 1.2 is not supported on ARM', path: at } : undefined
      }
      if (model !== 'tpm-tis') return { message: `TPM 1.2 is not supported for model '${model}'`, path: at }
      return !isX86(ctx) ? { message: `TPM 1.2 is not supported on architecture '${arch(ctx)}'`, path: at } : undefined
    }),
  },
  // ---- what this QEMU binary has (qemu_validate.c; libvirtd 9.0's words, seen with its aarch64, ppc64 and s390x
  // QEMUs): the device a model needs, by the capabilities' flags ----
  // qemuValidateDomainDeviceDefTPM: the TPM model (a model left out is the arch's default) and backend
  {
    code: 'preview-refused', stage: 'validate', kinds: ['tpm'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'tpm') return undefined
      const model = d.attrs.model ?? (arch(ctx).startsWith('ppc64') ? 'tpm-spapr' : 'tpm-tis')
      const emulator = child(child(ctx.domain, 'devices'), 'emulator')?.text?.trim() || ctx.caps.emulator || ''
      const backend = child(d, 'backend')?.attrs.type
      const backendFlag = backend === undefined ? undefined : qemuDeviceFlags.tpmBackends[backend]
      // (the emulator and external backends only where swtpm is installed: virQEMUCapsFillDomainDeviceTPMCaps)
      if ((backendFlag !== undefined && !has(ctx, backendFlag)) || (ctx.options.swtpm === null && (backend === 'emulator' || backend === 'external'))) return { message: `The QEMU executable ${emulator} does not support TPM backend type ${backend}`, path: `${placeOf(list, d)}/backend/@type` }
      // (a pSeries TPM proxy passes the host's TPM through)
      if (arch(ctx).startsWith('ppc64') && model === 'spapr-tpm-proxy' && backend !== 'passthrough') return { message: "TPM Proxy model spapr-tpm-proxy requires 'Passthrough' backend", path: `${placeOf(list, d)}/backend/@type` }
      const flag = qemuDeviceFlags.tpmModels[model]
      return flag !== undefined && !has(ctx, flag) ? { message: `The QEMU executable ${emulator} does not support TPM model ${model}`, path: `${placeOf(list, d)}/@model` } : undefined
    }),
  },
  // qemuValidateDomainDeviceDefMemballoon: a balloon QEMU has (none, or a virtio one)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['memballoon'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.name === 'memballoon' ? d.attrs.model : undefined
      if (model === undefined || model === 'none') return undefined
      if (!qemuDeviceFlags.memballoonModels.includes(model)) return { message: `Memory balloon device type '${model}' is not supported by this version of qemu`, path: `${placeOf(list, d)}/@model` }
      // (then its settings, each QEMU's property: written at all, on or off)
      for (const [name, check] of Object.entries(qemuDeviceFlags.memballoonOptions)) {
        if (d.attrs[name] !== undefined && !has(ctx, check.flag)) return { message: check.message, path: `${placeOf(list, d)}/@${name}` }
      }
      return undefined
    }),
  },
  // qemuValidateDomainDeviceDefHub: a USB hub is QEMU's usb-hub (another type the parser refuses)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['hub'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'hub' && d.attrs.type === 'usb' && !has(ctx, qemuDeviceFlags.usbHub.flag) ? { message: qemuDeviceFlags.usbHub.message, path: `${placeOf(list, d)}/@type` } : undefined)),
  },
  // qemuValidateDomainDeviceDefShmem, qemuValidateDomainDeviceDefSound, qemuValidateDomainDeviceDefControllerSATA / the
  // disk's SATA bus
  {
    code: 'preview-refused', stage: 'validate', kinds: ['shmem', 'sound', 'disk', 'controller'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name === 'shmem') {
        // (libvirt 11: a size first — a power of two of at least 1 MiB —, then the legacy ivshmem, gone whatever QEMU has)
        if (!isLibvirt9(ctx)) {
          const size = shmemSizeProblem(d, list)
          if (size) return size
        }
        const model = child(d, 'model')?.attrs.type ?? 'ivshmem'
        const removed = isLibvirt9(ctx) || !Object.hasOwn(qemuDeviceFlags.shmemModelsRemoved11, model) ? undefined : qemuDeviceFlags.shmemModelsRemoved11[model]
        if (removed !== undefined) return { message: removed, path: `${placeOf(list, d)}/model/@type` }
        const flag = qemuDeviceFlags.shmemModels[model]
        // (the legacy ivshmem device has words of its own)
        if (flag !== undefined && !has(ctx, flag)) return { message: model === 'ivshmem' ? 'ivshmem device is not supported with this QEMU binary' : `shmem model '${model}' is not supported by this QEMU binary`, path: `${placeOf(list, d)}/model/@type` }
      }
      // (the model's QEMU device, ICH7 never; then an HDA controller's codecs, each its QEMU device)
      if (d.name === 'sound') {
        const model = d.attrs.model ?? ''
        const need = qemuDeviceFlags.soundModels[model]
        if (need !== undefined && !has(ctx, need.flag)) return { message: need.message, path: `${placeOf(list, d)}/@model` }
        if (qemuDeviceFlags.soundModelsRefused.includes(model)) return { message: `sound card model '${model}' is not supported by qemu`, path: `${placeOf(list, d)}/@model` }
        if (model === 'ich6' || model === 'ich9') {
          const codecs = kids(d, 'codec')
          for (let i = 0; i < codecs.length; i++) {
            const device = qemuDeviceFlags.soundCodecs[codecs[i]!.attrs.type ?? '']
            if (device !== undefined && !has(ctx, device)) return { message: `${device} not supported in this QEMU binary`, path: `${placeOf(list, d)}/codec[${i + 1}]/@type` }
          }
        }
      }
      return undefined
    }),
  },

  // ---- network interfaces ----
  // (a virtio NIC's queue count: model's attributeReads, read for a model written as virtio alone)
  // virDomainFSDefParseXML: a virtiofs filesystem's queue size (virStrToLong_ull) and daemon thread pool size
  // (virStrToLong_i), in base 10, the whole text (an empty one is none: virXPathString); 11.3's open file limit and ID maps
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'filesystem' || child(d, 'driver')?.attrs.type !== 'virtiofs') return undefined
      const queue = child(d, 'driver')!.attrs.queue
      // (virStrToLong_ull, strtoull's: a minus wraps — `-1` is 2^64 - 1, probe h40-fs2-vfs-queue-neg1, libvirtd 9.0)
      if (queue && readCUnsigned(queue, 'ullong', 10) === undefined) return { message: `cannot parse queue size '${queue}' for virtiofs`, path: `${placeOf(list, d)}/driver/@queue` }
      const pool = child(child(d, 'binary'), 'thread_pool')?.attrs.size
      if (pool && readCInt(pool, 10) === undefined) return { message: `cannot parse thread pool size '${pool}' for virtiofs`, path: `${placeOf(list, d)}/binary/thread_pool/@size` }
      if (isLibvirt9(ctx)) return undefined
      // (libvirt 11.3: then the daemon's open file limit, virStrToLong_ull; after the daemon's switches and modes its user
      // and group ID maps, each number read with virXPathUInt — missing or empty refused too; seen on libvirtd 11.3)
      const openfiles = kids(child(d, 'binary'), 'openfiles').find((o) => o.attrs.max !== undefined)?.attrs.max
      if (openfiles && readCUnsigned(openfiles, 'ullong', 10) === undefined) return { message: `cannot parse openfiles '${openfiles}' for virtiofs`, path: `${placeOf(list, d)}/binary/openfiles/@max` }
      for (const kind of ['uid', 'gid']) {
        for (const entry of kids(d, 'idmap').flatMap((m) => kids(m, kind))) {
          if (['start', 'target', 'count'].some((a) => idmapNumber(entry.attrs[a]) === undefined)) return { message: 'invalid idmap start/target/count settings', path: `${placeOf(list, d)}/idmap/${kind}` }
        }
      }
      return undefined
    }),
  },
  // virDomainFSDefParseXML: a driver's format, a storage format libvirt knows (virStorageFileFormat; its 0, `none`, refused
  // too) — read after the driver's type and write policy (VIR_ERR_CONFIG_UNSUPPORTED, seen on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const format = d.name === 'filesystem' ? child(d, 'driver')?.attrs.format : undefined
      if (format === undefined || (deviceNames.storageFormats as readonly string[]).includes(format)) return undefined
      return { message: `unknown driver format value '${format}'`, path: `${placeOf(list, d)}/driver/@format` }
    }),
  },
  // virDomainFSDefParseXML → virDomainDiskSourcePoolDefParse: a volume filesystem's pool and volume together, its mode
  // one of a volume disk's (libvirtd 9.0's words; read before the driver — probes h40-fs-src-volume-24, h40-fs2-vol-mode-bogus)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'filesystem' && d.attrs.type === 'volume' ? child(d, 'source') : undefined
      const a = source?.attrs
      if (a === undefined || (a.pool === undefined && a.volume === undefined)) return undefined
      if (a.pool === undefined || a.volume === undefined) return { message: "'pool' and 'volume' must be specified together for 'pool' type source", path: `${placeOf(list, d)}/source/@pool` }
      return a.mode !== undefined && a.mode !== 'host' && a.mode !== 'direct' ? { ...(isLibvirt9(ctx) ? { code: 'preview-refused' as const } : {}), message: volumeModeProblem(a.mode, isLibvirt9(ctx)), path: `${placeOf(list, d)}/source/@mode` } : undefined
    }),
  },
  // virDomainFSDefParseXML, after the driver and binary: a source its type reads (a directory, file, device or template
  // name; a RAM filesystem's usage, in base 10; a volume's pool), unless a vhost-user socket serves it — "missing source
  // information for device" and the target's directory (nova's test domains write a filesystem with neither)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'filesystem') return undefined
      const type = d.attrs.type ?? 'mount'
      const source = child(d, 'source')
      if (type === 'ram') {
        const usage = source?.attrs.usage
        if (usage === undefined) return { message: "missing 'usage' attribute for RAM filesystem", path: `${placeOf(list, d)}/source` }
        // (virStrToLong_ull: a minus wraps, `-1` is 2^64 - 1 — probe h40-fs2-ram-neg1, libvirtd 9.0)
        const read = readCUnsigned(usage, 'ullong', 10)
        if (read === undefined) return { message: `cannot parse usage '${usage}' for RAM filesystem`, path: `${placeOf(list, d)}/source/@usage` }
        // (then scaled by its units, KiB when none, the value read named in virScaleInteger's words — `units='furlong'`, seen
        // on libvirtd 9.0; `usage='18014398509481984'` without units past 2^64 - 1 bytes, probe h40-fs2-ram-big)
        const units = source!.attrs.units
        const scaled = readLibvirtScaled(String(read), units === '' ? undefined : units, 'KiB', 0xffffffffffffffffn, '')
        return 'error' in scaled ? { code: 'preview-refused', message: scaled.error, path: `${placeOf(list, d)}/source/@units` } : undefined
      }
      const read = filesystemSourceAttributes[type]
      if (read === undefined || source?.attrs[read] !== undefined || source?.attrs.socket !== undefined) return undefined
      const target = child(d, 'target')?.attrs.dir
      return { message: target ? `missing source information for device ${target}` : 'missing source information for device', path: `${placeOf(list, d)}/source` }
    }),
  },
  // virNetDevBandwidthParse, on an interface's first <bandwidth>: no class ID there, one <inbound> and one <outbound>, each
  // rate's numbers unsigned long longs (an average or a floor at least; peak and burst beside an average), a floor
  // inbound only and on a virtual network's interface (virNetDevBandwidthParseRate; libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    below: ['bandwidth'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const bandwidth = d.name === 'interface' ? child(d, 'bandwidth') : undefined
      if (!bandwidth) return undefined
      const at = new LazyPath(() => `${placeOf(list, d)}/bandwidth`)
      if (!isLibvirt9(ctx)) return bandwidthProblem11(d, bandwidth, at)
      if (bandwidth.attrs.classID !== undefined) return { message: 'classID attribute not supported on <bandwidth> in this usage context', path: `${at}/@classID` }
      for (const name of ['inbound', 'outbound']) if (kids(bandwidth, name).length > 1) return { message: `Only one child <${name}> element allowed`, path: `${at}/${name}` }
      for (const name of ['inbound', 'outbound'] as const) {
        const rate = child(bandwidth, name)
        if (!rate) continue
        const { average, peak, burst, floor } = rate.attrs
        const unreadable = (value: string | undefined): boolean => value !== undefined && readCUnsignedLongLong(value, 10) === undefined
        const refused = (message: string, attribute?: string) => ({ message, path: `${at}/${name}${attribute ? `/@${attribute}` : ''}`, code: 'preview-refused' as const })
        if (average !== undefined && unreadable(average)) return refused(`could not convert bandwidth average value '${average}'`, 'average')
        if (average === undefined && floor === undefined) return { message: 'Missing mandatory average or floor attributes', path: `${at}/${name}` }
        if ((peak !== undefined || burst !== undefined) && average === undefined) return refused("'peak' and 'burst' require 'average' attribute")
        for (const [attribute, value] of [['peak', peak], ['burst', burst], ['floor', floor]] as const) if (unreadable(value)) return refused(`could not convert bandwidth ${attribute} value '${value}'`, attribute)
        const floorSet = floor !== undefined && readCUnsignedLongLong(floor, 10) !== 0n
        if (floorSet && name === 'inbound' && d.attrs.type !== 'network') return refused('floor attribute is not supported for this config', 'floor')
        if (floorSet && name === 'outbound') return refused("'floor' attribute allowed only in <inbound> element", 'floor')
      }
      return undefined
    }),
  },
  // virNetDevVlanParse, on an interface's first <vlan> (its tags' ids and native modes are the typed reads'): a tag at
  // least, ids up to 4095, one native tag, and what `trunk` may say (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    below: ['vlan'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const vlan = d.name === 'interface' ? child(d, 'vlan') : undefined
      if (!vlan) return undefined
      const at = new LazyPath(() => `${placeOf(list, d)}/vlan`)
      const tags = kids(vlan, 'tag')
      if (tags.length === 0) return { message: "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement", path: `${at}` }
      let native = false
      for (const [i, t] of tags.entries()) {
        const id = uint(t.attrs.id, 10)
        if (id !== undefined && id > 4095) return { message: `vlan tag id ${id} too large (maximum 4095)`, path: `${at}/tag[${i + 1}]/@id` }
        if (t.attrs.nativeMode !== undefined && t.attrs.nativeMode !== 'default') {
          if (native) return { message: 'duplicate native vlan setting', path: `${at}/tag[${i + 1}]/@nativeMode` }
          native = true
        }
      }
      // (read with virXPathString: an empty one is none — libvirtd 9.0)
      const trunk = vlan.attrs.trunk
      if (trunk === undefined || trunk === '' || trunk.toLowerCase() === 'yes') return undefined
      if (tags.length > 1) return { message: `invalid "trunk='${trunk}'" in <vlan> - trunk='yes' is required for more than one vlan tag`, path: `${at}/@trunk` }
      if (native) return { message: `invalid configuration in <vlan> - "trunk='no'" is not allowed with a native vlan id`, path: `${at}/@trunk` }
      if (trunk.toLowerCase() !== 'no') return { message: `invalid "trunk='${trunk}'" in <vlan> - must be yes or no`, path: `${at}/@trunk` }
      return undefined
    }),
  },
  // qemuValidateDomainDeviceDefNetwork: an interface at a time, as libvirt validates them (its conf checks — the row of
  // virDomainNetDefValidate, with the generic ones —, its address, ACPI index and ROM, then these, before the next
  // interface's)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'interface' ? qemuNetProblem(ctx, d, list) : undefined)),
  },
  // qemuValidateDomainDeviceDefDisk: a vhost-user disk needs QEMU's vhost-user-blk, then shared memory (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'disk' || d.attrs.type !== 'vhostuser') return undefined
      if (!has(ctx, qemuDeviceFlags.disk.vhostUser.flag)) return { message: qemuDeviceFlags.disk.vhostUser.message, path: `${placeOf(list, d)}/@type` }
      return hasSharedMemory(ctx) ? undefined : { message: "'vhostuser' requires shared memory", path: placeOf(list, d) }
    }),
  },
  // virStringParsePort: a network NVRAM store's host port likewise (virDomainStorageSourceParse, libvirtd 9.0's words) —
  // once its protocol reads: the protocol is read first (the typed reads refuse it; the odd-value search edit, seed 415)
  {
    code: 'preview-invalid-value', stage: 'parse', within: [['os', 'nvram']],
    check: (ctx) => {
      const source = child(child(child(ctx.domain, 'os'), 'nvram'), 'source')
      const protocol = source?.attrs.protocol
      if (protocol !== undefined && !nvramProtocols.includes(protocol)) return undefined
      // (as a disk's source, virDomainDiskSourceNetworkParse: a name but for NBD, a gluster or RBD one `pool/image` split
      // before the hosts are read; then the source's encryption — libvirtd 9.0)
      const network = child(child(ctx.domain, 'os'), 'nvram')?.attrs.type === 'network' && protocol !== undefined
      const name = source?.attrs.name
      if (network && protocol !== 'nbd' && name === undefined) return { message: 'missing name for disk source', path: 'domain/os/nvram/source' }
      if (network && name !== undefined && (protocol === 'gluster' || protocol === 'rbd') && name.indexOf('/') <= 0) return { message: `can't split path '${name}' into pool name and image name`, path: 'domain/os/nvram/source/@name' }
      const port = hostPortProblem(source, () => 'domain/os/nvram/source/host/@port', isLibvirt9(ctx))
      if (port) return port
      // (then its <auth> and its encryption, virDomainStorageSourceParse: `<auth type='network'>`, the differential's
      // stray-attribute search, seed 613, libvirtd 9.0)
      const auth = child(source, 'auth')
      const problem = auth && storageAuthProblem(auth, 'domain/os/nvram/source/auth')
      if (problem) return problem
      const encryption = child(source, 'encryption')
      return encryption ? encryptionParseProblem(ctx, encryption, () => 'domain/os/nvram/source/encryption') : undefined
    },
  },
  // virDomainChrDefParseTargetXML: a serial, parallel or console target port that does not read (virStrToLong_ui);
  // virStringParsePort: a network disk host's port, after its gluster or RBD name split in two (libvirtd 9.0's words), and
  // an iSCSI host device's (virDomainHostdevSubsysSCSIiSCSIDefParseXML reads its host as a disk's)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk', 'serial', 'parallel', 'console', 'hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name === 'hostdev') {
        const source = d.attrs.type === 'scsi' ? child(d, 'source') : undefined
        return source?.attrs.protocol === 'iscsi' ? hostPortProblem(source, () => `${placeOf(list, d)}/source/host/@port`, isLibvirt9(ctx)) : undefined
      }
      if (d.name === 'disk') {
        const problem = diskSourceProblem(d, isLibvirt9(ctx))
        if (problem) return { message: problem.message, path: `${placeOf(list, d)}/source${problem.at}` }
        // (a disk-level <encryption>, read after the source: virDomainDiskDefParseSourceXML)
        const encrypted = luksInfoProblem(child(d, 'encryption'))
        if (encrypted) return { message: encrypted.message, path: `${placeOf(list, d)}/encryption${encrypted.at}` }
        // (virDomainDiskSourceNetworkParse, before the hosts: a gluster or RBD name is `pool/image`)
        const source = d.attrs.type === 'network' ? child(d, 'source') : undefined
        const name = source?.attrs.name
        if (name !== undefined && (source!.attrs.protocol === 'gluster' || source!.attrs.protocol === 'rbd') && name.indexOf('/') <= 0) {
          return { message: `can't split path '${name}' into pool name and image name`, path: `${placeOf(list, d)}/source/@name` }
        }
        const port = hostPortProblem(child(d, 'source'), () => `${placeOf(list, d)}/source/host/@port`, isLibvirt9(ctx))
        if (port) return port
        // (virDomainDiskDefDriverParseXML: `enospace` is a write error's policy alone — an unsupported configuration)
        if (child(d, 'driver')?.attrs.rerror_policy === 'enospace') return { code: 'preview-refused', message: "Invalid disk read error policy: 'enospace'", path: `${placeOf(list, d)}/driver/@rerror_policy` }
        return undefined
      }
      if (d.name !== 'serial' && d.name !== 'parallel' && d.name !== 'console') return undefined
      // (virStrToLong_ui: a minus sign wraps around, `-1` being the largest)
      const port = child(d, 'target')?.attrs.port
      return port !== undefined && readCUnsigned(port, 'uint') === undefined ? { message: `Invalid port number: ${port}`, path: `${placeOf(list, d)}/target/@port` } : undefined
    }),
  },
  // virDomainVideoDefParseXML: a video size or head count that does not read as an unsigned int — libvirt 9.0 in its
  // own words (an empty one is none there), 11's virXMLPropUInt in the reader's
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['video'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.name === 'video' ? child(d, 'model') : undefined
      if (!model) return undefined
      // (read after the model's type: one libvirt does not know is refused first — seed 326 of the differential search)
      const type = model.attrs.type
      if (type !== undefined && type !== '' && !(deviceNames.videoModels as readonly string[]).includes(type)) return undefined
      const v9 = isLibvirt9(ctx)
      for (const attribute of ['ram', 'vram', 'vram64', 'vgamem', 'heads']) {
        const value = model.attrs[attribute]
        if (value === undefined || (v9 && value === '')) continue
        const read = readCInteger(value, 10)
        if (read && !read.negative && read.magnitude <= 0xffffffff) continue
        return { message: v9 ? `cannot parse video ${attribute} '${value}'` : `Invalid value for attribute '${attribute}' in element 'model': '${value}'. Expected non-negative integer value`, path: `${placeOf(list, d)}/model/@${attribute}` }
      }
      return undefined
    }),
  },
  // virDomainGraphicsDefParseXMLVNC / …Spice: ports that do not read as an int, SPICE's autoport not yes or no
  // (libvirtd 9.0's words; VNC's autoport is read leniently: graphicsDefaults)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['graphics'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      // (the device's path only for a refusal)
      if (d.attrs.type === 'vnc') return d.attrs.port !== undefined && readCInt(d.attrs.port, 10) === undefined ? { message: `cannot parse vnc port ${d.attrs.port}`, path: `${placeOf(list, d)}/@port` } : undefined
      if (d.attrs.type !== 'spice') return undefined
      for (const attribute of ['port', 'tlsPort']) {
        const value = d.attrs[attribute]
        if (value !== undefined && readCInt(value, 10) === undefined) return { message: `Invalid value for attribute '${attribute}' in element 'graphics': '${value}'. Expected integer value`, path: `${placeOf(list, d)}/@${attribute}` }
      }
      const autoport = d.attrs.autoport
      return autoport !== undefined && autoport !== 'yes' && autoport !== 'no' ? { message: `Invalid value for attribute 'autoport' in element 'graphics': '${autoport}'.`, path: `${placeOf(list, d)}/@autoport` } : undefined
    }),
  },
  // virDomainGraphicsListenDefParseXML, each <listen> of a VNC, SPICE or RDP display in turn: socket and none listens are
  // VNC's and SPICE's; the first agrees with the display's own `listen`/`socket` (the old form); a network or socket
  // named only on its own listen type (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['graphics'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const type = d.attrs.type
      if (type !== 'vnc' && type !== 'spice' && type !== 'rdp') return undefined
      let i = 0
      for (const l of d.children) {
        if (l.name !== 'listen') continue
        const at = (): string => `${placeOf(list, d)}/listen[${i + 1}]`
        const listen = l.attrs.type
        if ((listen === 'socket' || listen === 'none') && type === 'rdp') return { message: `listen type '${listen}' is not available for graphics type '${type}'`, path: `${at()}/@type` }
        if (i === 0 && listen === 'address' && l.attrs.address !== undefined && d.attrs.listen !== undefined && l.attrs.address !== d.attrs.listen) {
          return { message: `graphics 'listen' attribute '${d.attrs.listen}' must match 'address' attribute of first listen element (found '${l.attrs.address}')`, path: `${at()}/@address` }
        }
        if (i === 0 && listen === 'socket' && l.attrs.socket !== undefined && d.attrs.socket !== undefined && l.attrs.socket !== d.attrs.socket) {
          return { message: `graphics 'socket' attribute '${d.attrs.socket}' must match 'socket' attribute of first listen element (found '${l.attrs.socket}')`, path: `${at()}/@socket` }
        }
        if (l.attrs.network && listen !== 'network') return { code: 'preview-invalid-value', message: "'network' attribute is valid only for listen type 'network'", path: `${at()}/@network` }
        if (l.attrs.socket && listen !== 'socket') return { code: 'preview-invalid-value', message: "'socket' attribute is valid only for listen type 'socket'", path: `${at()}/@socket` }
        i++
      }
      return undefined
    }),
  },

  // ---- graphics: qemuValidateDomainDeviceDefGraphics ----
  {
    code: 'preview-refused', stage: 'validate', kinds: ['graphics'],
    check: (ctx) => {
      const list = devices(ctx)
      const graphics = devicesOfKind(ctx, 'graphics')
      const eglHeadless = graphics.some((o) => o.attrs.type === 'egl-headless')
      let audioIds: ReadonlySet<number> | undefined
      // (the row's displays — each placed where libvirt validates it, firstInValidationOrder —, weighed against every one)
      for (const g of rowDevices(ctx)) {
        if (g.name !== 'graphics') continue
        const path = new LazyPath(() => placeOf(list, g))
        // virDomainGraphicsDefValidate first: virDomainGraphicsDefListensValidate, a VNC display's audio backend
        // (virDomainEnsureAudioID: one written, else the one post-parse adds, ID 1), a D-Bus display's peer-to-peer mode
        if ((g.attrs.type === 'vnc' || g.attrs.type === 'spice' || g.attrs.type === 'rdp') && kids(g, 'listen').some((l) => l.attrs.type === 'network' && (l.attrs.network ?? '') === '')) {
          return { message: "'network' attribute is required for listen type 'network'", path: `${path}/listen` }
        }
        // (in the words' code of the audio backends' own check, below)
        const audioId = g.attrs.type === 'vnc' ? uint(child(g, 'audio')?.attrs.id, 10) : undefined
        if (audioId !== undefined && audioId !== 0 && !(audioIds ??= audioIdsAtValidation(ctx, devicesOfKind(ctx, 'audio'))).has(audioId)) {
          return { code: 'preview-invalid-value', message: `no audio device with ID ${audioId}`, path: `${path}/audio/@id` }
        }
        if (g.attrs.type === 'dbus' && g.attrs.p2p === 'yes' && g.attrs.address !== undefined) return { message: 'D-Bus p2p with an address is not supported', path: `${path}/@address` }
        // graphics types this QEMU driver never offers (9.0 has no RDP; later versions do, through D-Bus)
        if (g.attrs.type === 'desktop' || (g.attrs.type === 'rdp' && isLibvirt9(ctx))) return { message: `${g.attrs.type} graphics are not supported with this QEMU`, path: `${path}/@type` }
        // (and those whose QEMU display the capabilities lack: model's qemuDeviceFlags.graphics.types — a QEMU built without SPICE)
        const { graphics: flags } = qemuDeviceFlags
        const typeFlag = Object.hasOwn(flags.types, g.attrs.type ?? '') ? flags.types[g.attrs.type!] : undefined
        // (libvirt 11's RDP also needs the host's qemu-rdp helper: virQEMUCapsFillDomainDeviceGraphicsCaps, the `qemuRdp` option)
        if ((typeFlag !== undefined && !has(ctx, typeFlag)) || (g.attrs.type === 'rdp' && ctx.options.qemuRdp === false)) return { message: `${g.attrs.type} graphics are not supported with this QEMU`, path: `${path}/@type` }
        // qemuValidateDomainDeviceDefVNCGraphics: power control, QEMU's; a VNC password of at most 8 bytes
        if (g.attrs.type === 'vnc' && g.attrs.powerControl !== undefined && !has(ctx, flags.vncPowerControl.flag)) return { message: flags.vncPowerControl.message, path: `${path}/@powerControl` }
        const passwd = g.attrs.type === 'vnc' ? g.attrs.passwd : undefined
        const bytes = passwd === undefined ? 0 : new TextEncoder().encode(passwd).length
        if (bytes > 8) return { message: `VNC password is ${bytes} characters long, only 8 permitted`, path: `${path}/@passwd` }
        // qemuValidateDomainDeviceDefRDPGraphics (libvirt 11, from 11.3's source): QEMU's RDP server has one user and no
        // password expiry
        if (g.attrs.type === 'rdp') {
          if (g.attrs.replaceUser === 'yes') return { message: "RDP doesn't support 'replaceUser'", path: `${path}/@replaceUser` }
          if (g.attrs.multiUser === 'yes') return { message: "RDP doesn't support 'multiUser'", path: `${path}/@multiUser` }
          if (g.attrs.passwdValidTo !== undefined) return { message: "RDP password expiration isn't supported", path: `${path}/@passwdValidTo` }
        }
        // egl-headless pairs with VNC and SPICE only (each other type refused, in document order; checked on libvirtd 9.0),
        // and '-spice gl=on' and '-display egl-headless' exclude each other
        if (eglHeadless && g.attrs.type !== 'egl-headless' && g.attrs.type !== 'vnc' && g.attrs.type !== 'spice') {
          return { message: "graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types", path: `${path}/@type` }
        }
        if (g.attrs.type === 'spice' && child(g, 'gl')?.attrs.enable === 'yes' && eglHeadless) return { message: 'multiple OpenGL displays are not supported by QEMU', path: `${path}/gl` }
        // qemuValidateDomainDeviceDefSPICEGraphics: a TLS port needs qemu.conf's spice_tls (off unless set;
        // libvirt's test host sets it); autoport clears the ports first (libvirtd 9.0 takes tlsPort 5901 with it)
        const tlsPort = g.attrs.type === 'spice' && g.attrs.autoport !== 'yes' ? readCInteger(g.attrs.tlsPort ?? '', 10) : undefined
        const listen = listenType(g)
        if (tlsPort && !tlsPort.negative && tlsPort.magnitude > 0 && (listen === 'address' || listen === 'network') && ctx.options.qemuConf?.spiceTls !== true) {
          return { message: 'spice TLS port set in XML configuration, but TLS is disabled in qemu.conf', path: `${path}/@tlsPort` }
        }
        // (then SPICE's OpenGL and its render node; egl-headless's render node: each QEMU's)
        const gl = child(g, 'gl')
        if (g.attrs.type === 'spice' && gl?.attrs.enable === 'yes') {
          if (!has(ctx, flags.spiceGl.flag)) return { message: flags.spiceGl.message, path: `${path}/gl/@enable` }
          if (gl.attrs.rendernode !== undefined && !has(ctx, flags.spiceRendernode.flag)) return { message: flags.spiceRendernode.message, path: `${path}/gl/@rendernode` }
        }
        if (g.attrs.type === 'egl-headless' && gl?.attrs.rendernode !== undefined && !has(ctx, flags.eglHeadlessRendernode.flag)) return { message: flags.eglHeadlessRendernode.message, path: `${path}/gl/@rendernode` }
        // qemuValidateDomainDeviceDefDBusGraphics: a D-Bus display's audio backend, when there is one of its ID (the one
        // post-parse adds too), is a D-Bus one — a display's check, before any audio backend's (probe h25-e1-gfx-35,
        // libvirtd 9.0)
        const dbusAudio = g.attrs.type === 'dbus' ? uint(child(g, 'audio')?.attrs.id, 10) : undefined
        if (dbusAudio !== undefined && dbusAudio > 0) {
          const type = audioTypeAtValidation(ctx, devicesOfKind(ctx, 'audio'), dbusAudio)
          if (type !== undefined && type !== 'dbus') return { message: "The associated audio is not of 'dbus' kind.", path: `${path}/audio/@id` }
        }
      }
      return undefined
    },
  },

  // ---- others ----
  // virDomainAudioDefValidate: one audio backend per ID (the audio backends are validated last of all devices), then
  // qemuValidateDomainDeviceDefAudio: SPICE audio with SPICE graphics
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['audio'],
    check: (ctx) => {
      const list = devices(ctx)
      const audios = devicesOfKind(ctx, 'audio')
      const spice = list.some((g) => g.name === 'graphics' && g.attrs.type === 'spice')
      // (each backend's ID against every other's, before or after it: the first of two backends sharing an ID is
      // refused for it before its own QEMU checks — probe h25-au-dup-and-spice, libvirtd 9.0)
      const count = new Map<number, number>()
      for (const a of audios) { const id = uint(a.attrs.id, 10); if (id !== undefined) count.set(id, (count.get(id) ?? 0) + 1) }
      // (the row's backends — each placed where libvirt validates it, firstInValidationOrder)
      for (const a of rowDevices(ctx)) {
        if (a.name !== 'audio') continue
        const id = uint(a.attrs.id, 10)
        if (id !== undefined && count.get(id)! > 1) return { message: `audio ID ${id} is used multiple times`, path: `${placeOf(list, a)}/@id` }
        if (!spice && a.attrs.type === 'spice') return { code: 'preview-refused', message: 'Spice audio is not supported without spice graphics', path: `${placeOf(list, a)}/@type` }
        if (a.attrs.type === 'dbus' && !has(ctx, qemuDeviceFlags.dbusAudio.flag)) return { code: 'preview-refused', message: qemuDeviceFlags.dbusAudio.message, path: `${placeOf(list, a)}/@type` }
      }
      return undefined
    },
  },
  // virDomainVsockDefParseXML: the guest CID, a nonzero base-10 unsigned number, and whether it is chosen at start
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['vsock'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const cid = child(d, 'cid')
      const raw = cid?.attrs.address
      if (raw !== undefined) {
        const read = readLibvirtInteger(raw, { kind: 'uint', base: 10 }, { element: 'cid', attribute: 'address' })
        if ('error' in read) return { message: read.error, path: `${placeOf(list, d)}/cid/@address` }
        if (read.value === 0) return { message: "Invalid value for attribute 'address' in element 'cid': Zero is not permitted", path: `${placeOf(list, d)}/cid/@address` }
      }
      const auto = cid?.attrs.auto
      if (auto !== undefined && auto !== 'yes' && auto !== 'no') return { message: `Invalid value for attribute 'auto' in element 'cid': '${auto}'.`, path: `${placeOf(list, d)}/cid/@auto` }
      return undefined
    }),
  },
  // qemuValidateDomainDeviceDefVsock: QEMU's vhost-vsock device (after the generic CID check, earlier in the table)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['vsock'],
    check: (ctx) => (has(ctx, qemuDeviceFlags.vsock.flag) ? undefined : firstDevice(ctx, (d, list) => (d.name === 'vsock' ? { message: qemuDeviceFlags.vsock.message, path: placeOf(list, d) } : undefined))),
  },
  // libvirt 11 (qemuValidateDomainDeviceDefInput): a PS/2 input written out with the machine's PS/2 switched
  // off (libvirt 9.0 does not know the ps2 feature at all); the words of libvirt 11.3's test data
  {
    code: 'preview-refused', stage: 'validate', kinds: ['input'], since11: true, within: [['features', 'ps2']],
    // (the last <ps2>'s state: each one read sets it)
    check: (ctx) => (kids(child(ctx.domain, 'features'), 'ps2').at(-1)?.attrs.state !== 'off' ? undefined : firstDevice(ctx, (d, list) => (d.name === 'input' && d.attrs.bus === 'ps2'
      ? { message: 'ps2 bus inputs require the ps2 feature not to be disabled', path: `${placeOf(list, d)}/@bus` } : undefined))),
  },
  // virDomainHostdevDefPostParse: a mediated device's address is its bus's (PCI for vfio-pci, CCW for vfio-ccw), checked
  // in the devices' post-parse — after the parser counts the watchdogs (probe h27-r2-139) — and before the machine's
  // buses are (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'hostdev' || d.attrs.type !== 'mdev') return undefined
      const bus = d.attrs.model === 'vfio-pci' ? 'pci' : d.attrs.model === 'vfio-ccw' ? 'ccw' : undefined
      const type = child(d, 'address')?.attrs.type
      return bus !== undefined && type !== undefined && type !== bus ? { message: `Unsupported address type '${type}' with mediated device model '${d.attrs.model}'`, path: `${placeOf(list, d)}/address/@type` } : undefined
    }),
  },
  // virDomainHostdevDefPostParse: a SCSI host device's address — read as a drive address whatever its type, model's
  // addressUnionWords: a virtio-mmio or unassigned one is 0:0:0:0 — is not a SCSI disk's (written, or the one the disk's
  // post-parse gave it, before the host devices'), in the devices' post-parse: before any validation (probes h40-u-mmio,
  // h40-u-ccid, libvirtd 9.0's words, the numbers in order)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['hostdev'],
    check: (ctx) => {
      const disks = devicesOfKind(ctx, 'disk').filter((d) => (child(d, 'target')?.attrs.bus ?? busFromTarget(child(d, 'target')?.attrs.dev, d.attrs.device)) === 'scsi')
      if (disks.length === 0) return undefined
      const taken = new Set<string>()
      for (const d of disks) {
        const a = child(d, 'address')
        const dev = child(d, 'target')?.attrs.dev
        const idx = a === undefined && dev !== undefined ? diskIndex(dev) : undefined
        const assigned = idx === undefined ? undefined : assignedDriveAddress('scsi', idx)
        if (a?.attrs.type === 'drive') taken.add(['controller', 'bus', 'target', 'unit'].map((n) => uint(a.attrs[n] ?? '0') ?? 0).join(':'))
        else if (assigned) {
          const at = [assigned.controller, assigned.bus, assigned.target, assigned.unit].map(Number).join(':')
          // (a disk given the drive address a SCSI host device's drive address holds is refused first, at the disk — its
          // post-parse comes before the host devices' —, in its own words: the address assignment's, _pci.ts; probe h40-u-drive)
          if (devicesOfKind(ctx, 'hostdev').some((h) => h.attrs.type === 'scsi' && child(h, 'address')?.attrs.type === 'drive' && addressUnionWords('drive', child(h, 'address')!.attrs).join(':') === at)) return undefined
          taken.add(at)
        }
      }
      let i = 0
      return firstDevice(ctx, (h) => {
        if (h.name !== 'hostdev' || (h.attrs.mode ?? 'subsystem') !== 'subsystem' || h.attrs.type !== 'scsi') return undefined
        i++
        const a = child(h, 'address')
        if (a === undefined) return undefined
        const words = addressUnionWords(a.attrs.type ?? '', a.attrs)
        if (!taken.has(words.join(':'))) return undefined
        const [controller, bus, target, unit] = words
        return { message: `SCSI host address controller='${controller}' bus='${bus}' target='${target}' unit='${unit}' in use by a SCSI disk`, path: `domain/devices/hostdev[@type='scsi'][${i}]/address` }
      })
    },
  },
  // qemu_validate.c: unfiltered SG_IO is gone, on a LUN disk and a SCSI host device alike (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk', 'hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.attrs.sgio === 'unfiltered'
      ? { message: 'unfiltered sgio is no longer supported', path: `${d.name === 'disk' ? diskPath(d) : placeOf(list, d)}/@sgio` } : undefined)),
  },
  // virDomainShmemDefParseXML: MSI belongs to a shared memory device with a server (checked on libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['shmem'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'shmem' && child(d, 'msi') && !child(d, 'server')
      ? { message: 'msi option is only supported with a server', path: `${placeOf(list, d)}/msi` } : undefined)),
  },
  // virDomainShmemDefParseXML: a shared memory size read as virDomainParseScaledValue reads it (bytes unless a unit is
  // given; an empty one is none, a blank one is refused) — the odd-value search edit, seed 298, libvirtd 9.0's words
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['shmem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const size = d.name === 'shmem' ? child(d, 'size') : undefined
      const text = size?.text ?? ''
      if (!size || text === '') return undefined
      const read = readLibvirtScaled(text, size.attrs.unit, 'bytes', 0xffffffffffffffffn, './size[1]')
      return 'error' in read ? { message: read.error, path: `${placeOf(list, d)}/size` } : undefined
    }),
  },
  // qemuDomainAssignSpaprVIOAddress: an sPAPR-VIO register written twice (the console is serial 0's copy) — asked of the
  // devices post-parse gives sPAPR-VIO addresses (model's spaprVioAssignedKinds: NICs, controllers, serial ports, the NVRAM
  // and TPMs, in that order), each against every other device's: two of the other kinds (a balloon and an RNG) may share
  // one (libvirtd 9.0 takes them on x86)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'addresses', addresses: ['spapr-vio'],
    check: (ctx) => {
      // (the assigned kinds in libvirt's order — NICs, then controllers, serial ports, the NVRAM, TPMs —, each device with
      // a written register against every other device's: the first taken twice is refused, whatever the document order —
      // probe h28-multie-141, libvirtd 9.0; libvirt's words name no device)
      const regs = new Map<N, bigint>()
      const count = new Map<bigint, number>()
      for (const d of devices(ctx)) {
        const a = child(d, 'address')
        const reg = d.name !== 'console' && a?.attrs.type === 'spapr-vio' ? spaprReg(a.attrs.reg) : undefined
        if (reg === undefined) continue
        regs.set(d, reg)
        count.set(reg, (count.get(reg) ?? 0) + 1)
      }
      for (const kind of spaprVioAssignedKinds) {
        const list = devices(ctx).filter((d) => d.name === kind)
        for (const d of list) {
          const reg = regs.get(d)
          if (reg === undefined || (count.get(reg) ?? 0) < 2) continue
          return { message: `spapr-vio address ${reg === 0n ? '0' : `0x${reg.toString(16)}`} already in use`, path: `${placeOf(list, d)}/address/@reg` }
        }
      }
      return undefined
    },
  },
  // qemuValidateDomainDeviceDefNVRAM: an NVRAM device is pSeries', where QEMU has it (libvirt's words; go-xml's NVRAM
  // test domain, defined on libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['nvram'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (!isPSeries(ctx)) return { message: 'nvram device is only supported for PPC64', path: placeOf(list, d) }
      // (its address is then the sPAPR VIO one with a register that post-parse gives it: "nvram address type must be
      // spaprvio" is never met)
      return has(ctx, 'nvram') ? undefined : { message: 'nvram device is not supported by this QEMU binary', path: placeOf(list, d) }
    }),
  },
  // qemuValidateDomainDefPanic (a domain check, before any device's): firmware and hypervisor panic notifiers have no
  // address and belong to their arch; the ISA one is QEMU's pvpanic at an ISA address or none (libvirt 9.0 gives every
  // machine without a default model that one); libvirt 11: the PCI pvpanic (ARM virt's default,
  // qemuDomainDefaultPanicModel) sits on PCI (an address left out is assigned one), and a panic device without a model
  // on a machine without a default is refused
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'panic', kinds: ['panic'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'panic') return undefined
      // (an x86 default, isa, has no rule here)
      const model = panicModelOf(ctx, d)
      const path = new LazyPath(() => placeOf(list, d))
      if (model === undefined) return { message: 'no panic model provided, and no default for the architecture and machine type', path: `${path}` }
      // (a QEMU device's flag first: model's qemuDeviceFlags.panicModels)
      const device = Object.hasOwn(qemuDeviceFlags.panicModels, model) ? qemuDeviceFlags.panicModels[model]! : undefined
      if (device !== undefined && !has(ctx, device.flag)) return { message: device.message, path: `${path}/@model` }
      if (model === 'isa') {
        const type = child(d, 'address')?.attrs.type
        return type !== undefined && type !== 'none' && type !== 'isa' ? { message: 'panic is supported only with ISA address type', path: `${path}/address/@type` } : undefined
      }
      if (model === 'pvpanic') {
        const type = child(d, 'address')?.attrs.type
        // (one without an address has the PCI one assignment gives it — none on a machine without PCI, qemuDomainSupportsPCI:
        // an aarch64 sbsa-ref's refused, seen on libvirtd 11.3)
        const unset = type === undefined || type === 'none'
        return (unset ? !supportsPci(ctx) : type !== 'pci') ? { message: 'pvpanic is supported only with PCI address type', path: unset ? `${path}` : `${path}/address/@type` } : undefined
      }
      const rule = Object.hasOwn(panicMachines, model) ? panicMachines[model] : undefined
      if (!rule) return undefined
      if (!rule[0](ctx)) return { message: rule[1], path: `${path}/@model` }
      return child(d, 'address') ? { message: `setting the panic device address is not supported for model '${model}'`, path: `${path}/address` } : undefined
    }),
  },
  // qemuValidateDomainDefTPMs (a domain check, after the panic devices'): one TPM proxy, one other TPM
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'tpms', kinds: ['tpm'],
    check: (ctx) => {
      let proxy = 0
      let other = 0
      return firstDevice(ctx, (d, list) => {
        if (d.name !== 'tpm') return undefined
        if (d.attrs.model === 'spapr-tpm-proxy' ? ++proxy > 1 : ++other > 1) {
          return { message: `only a single TPM ${d.attrs.model === 'spapr-tpm-proxy' ? 'Proxy' : 'non-proxy'} device is supported`, path: placeOf(list, d) }
        }
        return undefined
      })
    },
  },
  // qemuValidateDomainDefWatchdogs (libvirt 11, which takes several watchdogs — the iTCO one Q35 has, and another): one
  // of each model but i6300esb (from libvirt 11.3's source; 9.0's parser takes one watchdog at all)
  {
    code: 'preview-refused', stage: 'validate', domainStep: 'watchdogs', kinds: ['watchdog'], since11: true,
    check: (ctx) => {
      const seen = new Set<string>()
      return firstDevice(ctx, (d, list) => {
        const model = d.name === 'watchdog' ? d.attrs.model : undefined
        if (model === undefined || model === 'i6300esb') return undefined
        if (seen.has(model)) return { message: `domain can only have one watchdog with model '${model}'`, path: placeOf(list, d) }
        seen.add(model)
        return undefined
      })
    },
  },
  // libvirt 11's ACPI ERST store (from 11.3's source): one a domain (counted before the first is read, as a vsock is); QEMU's device on a PCI bus (qemuValidateDomainDeviceDefPstore),
  // then a path and a power-of-two size of at least 4 KiB (virDomainPstoreDefValidate)
  // (then its size, required — virDomainParseMemory, after its backend and path, before the device information: model's
  // deviceReadParts)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['pstore'], since11: true,
    check: (ctx) => {
      const list = rowDevices(ctx)
      if (list.length > 1) return { message: 'only a single pstore device is supported', path: 'domain/devices/pstore' }
      const d = list[0]
      if (d === undefined) return undefined
      const size = child(d, 'size')
      if (size === undefined) return { message: "missing element or attribute './size'", path: 'domain/devices/pstore[1]/size' }
      const read = readLibvirtMemory(textIn(size), size.attrs.unit, './size')
      return 'error' in read ? { message: read.error, path: 'domain/devices/pstore[1]/size' } : undefined
    },
  },
  {
    code: 'preview-refused', stage: 'validate', kinds: ['pstore'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'pstore') return undefined
      const path = placeOf(list, d)
      if (!has(ctx, 'acpi-erst')) return { message: 'acpi-erst backend of pstore device is not supported', path: `${path}/@backend` }
      const address = child(d, 'address')?.attrs.type
      if (address !== undefined && address !== 'none' && address !== 'pci') return { message: 'ACPI ERST device must reside on a PCI bus', path: `${path}/address/@type` }
      if ((child(d, 'path')?.text ?? '') === '') return { code: 'preview-invalid-value', message: 'missing path for ACPI ERST pstore device', path: `${path}/path` }
      const size = child(d, 'size')
      const read = size === undefined ? undefined : readLibvirtMemory(textIn(size), size.attrs.unit ?? 'KiB', './size')
      const kib = read !== undefined && 'kib' in read ? read.kib : 0
      return kib < 4 || (kib & (kib - 1)) !== 0 ? { code: 'preview-invalid-value', message: 'invalid size of ACPI ERST pstore device', path: `${path}/size` } : undefined
    }),
  },
  // virDomainCryptoDefParseXML (libvirt 11, after the device's model and type): one backend, neither none nor two (seen on libvirtd 11.3)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['crypto'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'crypto' && kids(d, 'backend').length !== 1 ? { message: 'only one crypto backend is supported', path: `${placeOf(list, d)}/backend` } : undefined)),
  },
  // libvirt 11's qemuValidateDomainDeviceDefCrypto: a crypto device's model, type and backend among the ones its QEMU
  // offers (virQEMUCapsFillDomainDeviceCryptoCaps: virtio with QEMU's virtio-crypto; the builtin backend always, the
  // Linux kernel's, lkcf, with QEMU's cryptodev-backend-lkcf — refused by QEMU 10.0, seen on libvirtd 11.3)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['crypto'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'crypto') return undefined
      const path = placeOf(list, d)
      if (d.attrs.model === 'virtio' && !has(ctx, 'virtio-crypto')) return { message: 'crypto model virtio is not supported', path: `${path}/@model` }
      const backend = child(d, 'backend')?.attrs.model
      return backend === 'lkcf' && !has(ctx, 'cryptodev-backend-lkcf') ? { message: 'crypto backend lkcf is not supported', path: `${path}/backend/@model` } : undefined
    }),
  },
  // virDomainFSDefValidate, then qemuValidateDomainDeviceDefFS: what a filesystem can be, one after the other as libvirt
  // validates them
  {
    code: 'preview-refused', stage: 'validate', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'filesystem' ? fsDefProblem(ctx, d, list) ?? qemuFsProblem(ctx, d, list) : undefined)),
  },
  // libvirt 9.0 (virDomainDefFSValidate, once every device is validated): two virtiofs filesystems with one target (11 checks
  // it with each filesystem: fsDefProblem)
  {
    code: 'preview-refused', stage: 'validate', generic: 'fs', kinds: ['filesystem'], only9: true,
    check: (ctx) => {
      const targets = new Set<string>()
      return firstDevice(ctx, (d, list) => {
        const dir = d.name === 'filesystem' && child(d, 'driver')?.attrs.type === 'virtiofs' ? child(d, 'target')?.attrs.dir : undefined
        if (dir === undefined) return undefined
        if (targets.has(dir)) return { message: `filesystem target '${dir}' specified twice`, path: `${placeOf(list, d)}/target/@dir` }
        targets.add(dir)
        return undefined
      })
    },
  },
  // qemuValidateDomainDeviceDefInput (virDomainInputDefValidate's checks are the generic row's, above): no
  // (non-)transitional virtio input
  {
    code: 'preview-refused', stage: 'validate', kinds: ['input'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'input') return undefined
      const path = new LazyPath(() => placeOf(list, d))
      const { type, model } = d.attrs
      // (the bus the parser gave it when none is written: defaultInputBus)
      const bus = d.attrs.bus ?? defaultInputBus(ctx, d)
      // what the QEMU binary has (qemuValidateDomainDeviceDefInput): PS/2 off x86 through an i8042 controller, a USB
      // keyboard, a virtio input device (at a CCW address — an s390 device without one gets it — its CCW variant)
      const flags = qemuDeviceFlags.input
      // (11.3: a PS/2 input where the machine has no i8042 — supportsI8042 —, whatever the arch)
      if (bus === 'ps2' && (isLibvirt9(ctx) ? !isX86(ctx) && !has(ctx, flags.ps2) : !supportsI8042(ctx))) return { message: 'ps2 is not supported by this QEMU binary', path: `${path}/@bus` }
      if (bus === 'usb' && type === 'keyboard' && !has(ctx, flags.usbKeyboard.flag)) return { message: flags.usbKeyboard.message, path: `${path}/@type` }
      if (bus !== 'virtio') return undefined
      if (model === 'virtio-transitional' || model === 'virtio-non-transitional') return { message: `virtio (non-)transitional models are not supported for input type=${type ?? ''}`, path: `${path}/@model` }
      const virtio = flags.virtio[type ?? '']
      if (virtio === undefined) return undefined
      const address = child(d, 'address')?.attrs.type
      const ccw = address === 'ccw' || (address === undefined && isS390(ctx) && has(ctx, 'virtio-ccw'))
      if (!has(ctx, virtio.flag) || (ccw && (virtio.ccwFlag === undefined || !has(ctx, virtio.ccwFlag)))) return { message: `${virtio.device} is not supported by this QEMU binary`, path: `${path}/@type` }
      return undefined
    }),
  },
  // libvirt 11 (qemuValidateDomainDeviceDefFS): virtiofs boots only from PCI (an s390 device without an address gets a CCW one)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['filesystem'], since11: true,
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'filesystem' || child(d, 'driver')?.attrs.type !== 'virtiofs' || !child(d, 'boot')) return undefined
      const address = child(d, 'address')?.attrs.type ?? (isS390(ctx) ? 'ccw' : 'pci')
      return address !== 'pci' ? { message: 'setting virtiofs boot order is supported only with PCI bus', path: `${placeOf(list, d)}/boot` } : undefined
    }),
  },
  // virDomainChrDefParseXML: a character device's type of virDomainChrType (none is a pty), and a passthrough smartcard's
  {
    code: 'preview-refused', stage: 'parse', kinds: ['serial', 'parallel', 'console', 'channel', 'smartcard'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      // (and a passthrough smartcard's: virDomainSmartcardDefParseXML)
      if (d.name === 'smartcard' ? d.attrs.mode !== 'passthrough' : d.name !== 'serial' && d.name !== 'parallel' && d.name !== 'console' && d.name !== 'channel') return undefined
      const type = d.attrs.type
      return type === undefined || (deviceNames.chrTypes as readonly string[]).includes(type) ? undefined : { message: `unknown type presented to host for character device: ${type}`, path: `${placeOf(list, d)}/@type` }
    }),
  },
  // virDomainChrSourceDefParseXML: one <source> per character device, two for a UDP one (its connect and bind ends) —
  // serial ports, consoles, channels, a passthrough smartcard, a redirected USB device, an EGD generator's backend (an
  // external TPM's, of its <source>'s type: rules.ts's externalTpmSourceProblem)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['serial', 'parallel', 'console', 'channel', 'smartcard', 'redirdev', 'rng'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const backend = d.name === 'rng' ? egdBackend(d) : d.name === 'smartcard' && d.attrs.mode !== 'passthrough' ? undefined : d
      if (backend === undefined) return undefined
      let sources = 0
      for (const c of backend.children) if (c.name === 'source') sources++
      if (sources < 2) return undefined
      const at = `${placeOf(list, d)}${backend === d ? '' : '/backend'}/source[${backend.attrs.type === 'udp' ? 3 : 2}]`
      if (backend.attrs.type !== 'udp') return { message: 'only one source element is allowed for character device', path: at }
      return sources > 2 ? { message: 'only two source elements are allowed for character device', path: at } : undefined
    }),
  },
  // virStorageEncryptionParseNode: an encryption's format, one of virStorageEncryptionFormat (libvirt 11 adds luks-any) —
  // a disk's own, its source's, down the backing chain
  {
    code: 'preview-refused', stage: 'parse', kinds: ['disk'],
    below: ['encryption'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'disk') return undefined
      const own = child(d, 'encryption')
      // (the path written only for a refusal: `at()`, the encryption's, `depth` backing stores down)
      const found = (encryption: N, at: () => string) => encryptionParseProblem(ctx, encryption, at)
      let depth = 0
      for (let n: N | undefined = d; n !== undefined; n = child(n, 'backingStore'), depth++) {
        const sourced = child(child(n, 'source'), 'encryption')
        const problem = sourced !== undefined ? found(sourced, () => `${placeOf(list, d)}${'/backingStore'.repeat(depth)}/source/encryption`) : undefined
        if (problem) return problem
      }
      return own !== undefined ? found(own, () => `${placeOf(list, d)}/encryption`) : undefined
    }),
  },
  // virDomainRedirdevDefParseXML: a redirected device's bus, when written, of virDomainRedirdevBus (an empty one too is
  // refused — the odd-value search edit, libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['redirdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'redirdev' && d.attrs.bus !== undefined && d.attrs.bus !== 'usb' ? { message: `unknown redirdev bus '${d.attrs.bus}'`, path: `${placeOf(list, d)}/@bus` } : undefined)),
  },
  // virDomainHubDefParseXML: a hub's type of virDomainHubType (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['hub'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'hub' && d.attrs.type !== undefined && d.attrs.type !== 'usb' ? { message: `unknown hub device type '${d.attrs.type}'`, path: `${placeOf(list, d)}/@type` } : undefined)),
  },
  // virDomainChrSourceDefParseProtocol: a TCP character device's protocol of virDomainChrTcpProtocol (read for TCP alone)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['serial', 'parallel', 'console', 'channel', 'smartcard', 'redirdev', 'rng'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const holder = d.name === 'rng' ? egdBackend(d) : d.name === 'smartcard' && d.attrs.mode !== 'passthrough' ? undefined : d
      // (virDomainChrSourceDefParseXML: one <log> and one <protocol>, whatever the type — XML errors)
      const where = holder === d ? '' : '/backend'
      if (holder && kids(holder, 'log').length > 1) return { code: 'preview-invalid-value', message: 'only one log element is allowed for character device', path: `${placeOf(list, d)}${where}/log[2]` }
      if (holder && kids(holder, 'protocol').length > 1) return { code: 'preview-invalid-value', message: 'only one protocol element is allowed for character device', path: `${placeOf(list, d)}${where}/protocol[2]` }
      // (a guest forwarding channel's address is IPv4: virDomainChrDefParseTargetXML)
      const target = d.name === 'channel' ? child(d, 'target') : undefined
      // (virSocketAddrParse first: an address getaddrinfo does not take as a numeric host is refused in its words —
      // `1.2.3.4.5`, libvirtd 9.0)
      const guestfwd = target?.attrs.type === 'guestfwd' ? target.attrs.address : undefined
      if (target?.attrs.type === 'guestfwd' && guestfwd === undefined) return { code: 'preview-invalid-value', message: 'guestfwd channel does not define a target address', path: `${placeOf(list, d)}/target/@address` }
      if (guestfwd !== undefined && canonicalIpAddress(guestfwd, undefined) === undefined) return { code: 'preview-refused', message: `Cannot parse socket address '${guestfwd}': Name or service not known`, path: `${placeOf(list, d)}/target/@address` }
      if (guestfwd !== undefined && guestfwd.includes(':')) return { message: 'guestfwd channel only supports IPv4 addresses', path: `${placeOf(list, d)}/target/@address` }
      if (holder?.attrs.type !== 'tcp') return undefined
      const type = child(holder, 'protocol')?.attrs.type
      return type === undefined || (deviceNames.chrTcpProtocols as readonly string[]).includes(type) ? undefined : { ...(isLibvirt9(ctx) ? {} : { code: 'preview-invalid-value' as const }), message: chrTcpProtocolProblem(type, isLibvirt9(ctx)), path: `${placeOf(list, d)}${holder === d ? '' : '/backend'}/protocol/@type` }
    }),
  },
  // virNetDevVPortProfileParse (an interface of type network, bridge, direct or hostdev): a virtual port's type of its
  // enumeration, then its first <parameters>' ids — manager and type version bytes, a 24-bit type id (any C base), the
  // instance and interface ids UUIDs, a profile id of at most 39 bytes (the odd-value search edit, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      // (a host device interface's source first: its address type names the host device's type — a USB device's vendor
      // says USB when none is written —, one of virDomainHostdevSubsysType)
      if (d.name === 'interface' && d.attrs.type === 'hostdev') {
        const source = child(d, 'source')
        const written = child(source, 'address')?.attrs.type
        const type = written === undefined || written === '' ? (child(source, 'vendor') ? 'usb' : undefined) : written
        // (named at the type it lacks: the parser asks for it before the interface's own attributes — an sgio it does not
        // know —, probe h36-nic-hostdev-notype-sgio; libvirt 11.3 looks the missing name up as any other —
        // virDomainHostdevSubsysTypeFromString of NULL — and names it `(null)`, seen on libvirtd 11.3)
        if (type === undefined) {
          return isLibvirt9(ctx) ? { message: 'missing source address type', path: `${placeOf(list, d)}/source/address/@type` }
            : { code: 'preview-refused', message: "unknown host device source address type '(null)'", path: `${placeOf(list, d)}/source/address/@type` }
        }
        if (!(deviceNames.hostdevSubsysTypes as readonly string[]).includes(type)) return { code: 'preview-refused', message: `unknown host device source address type '${type}'`, path: `${placeOf(list, d)}/source/address/@type` }
        // (then what virDomainHostdevDefParseXMLSubsys checks of any host device, in its order, with the <interface> for the
        // device: a startup policy a USB device's, sgio and rawio a SCSI device's, a model a mediated or vhost SCSI
        // device's — its words name the host device's type, `type='pci'`; libvirtd 9.0)
        if (type !== 'usb' && source?.attrs.startupPolicy !== undefined) return { message: 'Setting startupPolicy is only allowed for USB devices', path: `${placeOf(list, d)}/source/@startupPolicy` }
        if (type !== 'scsi' && d.attrs.sgio !== undefined) return { message: 'sgio is only supported for scsi host device', path: `${placeOf(list, d)}/@sgio` }
        if (type !== 'scsi' && d.attrs.rawio !== undefined) return { message: 'rawio is only supported for scsi host device', path: `${placeOf(list, d)}/@rawio` }
        if (type !== 'mdev' && type !== 'scsi_host' && d.attrs.model !== undefined) return { message: `'model' attribute in <hostdev> is only supported when type='${type}'`, path: `${placeOf(list, d)}/@model` }
        // (a USB one's vendor and product go together, internal errors)
        if (type === 'usb' && child(source, 'vendor') && !child(source, 'product')) return { code: 'preview-refused', message: 'missing product', path: `${placeOf(list, d)}/source/vendor` }
        if (type === 'usb' && child(source, 'product') && !child(source, 'vendor')) return { code: 'preview-refused', message: 'missing vendor', path: `${placeOf(list, d)}/source/product` }
        // (a PCI one's address in range, as a host device's)
        const hostPci = type === 'pci' ? hostPciAddressProblem(child(source, 'address')) : undefined
        if (hostPci !== undefined) return { message: hostPci, path: `${placeOf(list, d)}/source/address` }
        // (the other types' sources read as a host device's, virDomainHostdevDefParseXMLSubsys with the interface for the
        // device: a mediated device's model, required, on the <interface>; a SCSI LUN's adapter; a vhost SCSI host's
        // protocol — libvirtd 9.0)
        if (type === 'mdev' && d.attrs.model === undefined) return { message: "Missing required attribute 'model' in element 'interface'", path: placeOf(list, d) }
        if (type === 'scsi' && source?.attrs.protocol === undefined && (child(source, 'adapter')?.attrs.name ?? '') === '') return { message: "'adapter' name must be specified for scsi hostdev source", path: `${placeOf(list, d)}/source` }
        if (type === 'scsi_host' && source?.attrs.protocol === undefined) return { message: scsiHostProtocolMissing(isLibvirt9(ctx)), path: `${placeOf(list, d)}/source` }
      }
      // (an interface of another type has none: refused, not dropped)
      if (d.name === 'interface' && !virtualPortHolders.has(d.attrs.type ?? '') && child(d, 'virtualport')) return { code: 'preview-refused', message: `<virtualport> element unsupported for <interface type='${d.attrs.type ?? ''}'>`, path: `${placeOf(list, d)}/virtualport` }
      const port = d.name === 'interface' && virtualPortHolders.has(d.attrs.type ?? '') ? child(d, 'virtualport') : undefined
      if (port === undefined) return undefined
      const at = `${placeOf(list, d)}/virtualport`
      const type = port.attrs.type
      if (type !== undefined && !(deviceNames.virtualPortTypes as readonly string[]).includes(type)) return { code: 'preview-refused', message: `unknown virtualport type ${type}`, path: `${at}/@type` }
      // (a bridge's, a macvtap device's and a host device's port is complete: of a type — VIR_VPORT_XML_REQUIRE_TYPE —
      // and with what that type needs, checked once its parameters read; a virtual network's may be either)
      const complete = (virtualPortParameters.strictInterfaceTypes as readonly string[]).includes(d.attrs.type ?? '')
      if (complete && type === undefined) return { message: 'missing required virtualport type', path: at }
      const p = child(port, 'parameters')?.attrs ?? {}
      // (virStrToLong_ui in C's base: a minus wraps within 32 bits — `-1` is out of range, not unreadable: the odd-value
      // search edit, seed 721 on i686)
      for (const [name, max] of [['managerid', 0xff], ['typeid', 0xffffff], ['typeidversion', 0xff]] as const) {
        const value = p[name]
        if (value === undefined) continue
        const read = readCUnsigned(value, 'uint', 0)
        if (read === undefined) return { message: `cannot parse value of ${name} parameter`, path: `${at}/parameters/@${name}` }
        if (read > max) return { message: name === 'typeid' ? 'value for typeid out of range' : `value of ${name} out of range`, path: `${at}/parameters/@${name}` }
      }
      if (p.instanceid !== undefined && !uuidParses(p.instanceid)) return { message: 'cannot parse instanceid parameter as a uuid', path: `${at}/parameters/@instanceid` }
      if (p.profileid !== undefined && new TextEncoder().encode(p.profileid).length >= 40) return { message: 'profileid parameter too long', path: `${at}/parameters/@profileid` }
      if (p.interfaceid !== undefined && !uuidParses(p.interfaceid)) return { message: 'cannot parse interfaceid parameter as a uuid', path: `${at}/parameters/@interfaceid` }
      if (type === undefined) return undefined
      // virNetDevVPortProfileCheckComplete (the IDs libvirt makes up are not missing), then virNetDevVPortProfileCheckNoExtras
      // (an empty profile ID is none: profileID[0])
      const given = (name: string): boolean => (name === 'profileid' ? (p.profileid ?? '') !== '' : p[name] !== undefined)
      const known = type as keyof typeof virtualPortParameters.required
      const missing = complete ? (virtualPortParameters.required[known] as readonly string[]).find((name) => !given(name)) : undefined
      if (missing !== undefined) return { message: `missing ${missing} in <virtualport type='${type}'>`, path: `${at}/parameters` }
      const extra = (virtualPortParameters.extra[known] as readonly string[]).find(given)
      return extra !== undefined ? { message: `extra ${extra} unsupported in <virtualport type='${type}'>`, path: `${at}/parameters/@${extra}` } : undefined
    }),
  },
  // virDomainNetDefParseXML, in its order: virDomainDeviceInfoParseXML's no ROM tuning of a ROM switched off; later a
  // teaming type of its enumeration, then a send buffer size virXPathULongLong reads (libvirtd 9.0's words; teaming
  // before the send buffer: probes h45-pr-teaming-sndbuf, h45-pr-sndbuf-teaming)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface', 'hostdev'],
    below: ['sndbuf', 'teaming', 'rom'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const rom = child(d, 'rom')?.attrs
      if (rom?.enabled === 'no' && (rom.bar !== undefined || rom.file !== undefined)) return { code: 'preview-refused', message: 'ROM tuning is not supported when ROM is disabled', path: `${placeOf(list, d)}/rom` }
      // (a host device's teaming too, read by the same parser after its information: virDomainHostdevDefParseXML —
      // probe h29-r38-93, libvirtd 9.0)
      if (d.name === 'interface' || d.name === 'hostdev') {
        const teaming = teamingOf(d)
        if (teaming && teaming.type !== 'persistent' && teaming.type !== 'transient') {
          return { code: 'preview-refused', message: `unknown teaming type '${teaming.type ?? '(null)'}'`, path: `${placeOf(list, d)}/teaming/@type` }
        }
      }
      if (d.name === 'interface') {
        const sndbuf = child(child(d, 'tune'), 'sndbuf')
        if (sndbuf && textIn(sndbuf) !== '' && readCUnsignedLongLong(textIn(sndbuf), 10) === undefined) return { message: 'sndbuf must be a positive integer', path: `${placeOf(list, d)}/tune/sndbuf` }
      }
      return undefined
    }),
  },
  // virDomainInputDefParseXML, virDomainRedirdevDefParseXML (after the device information): a USB device's address is a
  // USB one; virDomainChrDefParseXML: a channel names its target type (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['input', 'redirdev', 'channel'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name === 'channel') return child(d, 'target') === undefined ? { message: 'target type must be specified for channel device', path: placeOf(list, d) } : undefined
      if (d.name !== 'input' && d.name !== 'redirdev') return undefined
      // (an input's bus not written is 9.0's parser's default, read before the address: a tablet's on x86 is USB — probe
      // h49-fz-14-pc, libvirtd 9.0; 11.3 gives the default in post-parse, after this check)
      if ((d.name === 'input' ? d.attrs.bus ?? (isLibvirt9(ctx) ? defaultInputBus(ctx, d) : undefined) : d.attrs.bus) !== 'usb') return undefined
      const type = child(d, 'address')?.attrs.type
      return type !== undefined && type !== 'none' && type !== 'usb' ? { message: 'Invalid address for a USB device', path: `${placeOf(list, d)}/address/@type` } : undefined
    }),
  },
  // virDomainDefParseXML: one set of USB redirection filter rules (an internal error), counted before any is read — the
  // kind's path, before every filter's own faults (probe h25-c1-mix-44, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['redirfilter'],
    check: (ctx) => (devicesOfKind(ctx, 'redirfilter').length > 1 ? { message: 'only one set of redirection filter rule is supported', path: 'domain/devices/redirfilter' } : undefined),
  },
  // virDomainRedirFilterUSBDevDefParseXML, rule by rule: its class, right after it is read (an int, base 0: its reader
  // refuses what does not read), one byte or -1 for any — libvirt names another in hex, a negative one as its 32 bits (an
  // internal error; seen on libvirtd 9.0); then its version, `-1` (any) or JJ.MN (virDomainRedirFilterUSBVersionHelper:
  // model's readUsbDeviceVersion; `3`, `1.`, `1.100` refused — seen on libvirtd 9.0). (The rule's vendor and product,
  // read between them, are the typed reads', weighed after this row.)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['redirfilter'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'redirfilter') return undefined
      const rules = kids(d, 'usbdev')
      const reads = attributeReads.get('devices/redirfilter/usbdev') ?? []
      // (a rule's own typed reads, in the parser's order, where this row's checks stand between them: a rule is read
      // whole before the next — the first rule's `allow` is refused before the second's class, probe
      // h25-rd-filter-first-bad, libvirtd 9.0)
      const typed = (rule: N, attribute: string, at: (a: string) => string): { message: string; path: string } | undefined => {
        const r = reads.find((x) => x[0] === attribute)
        const problem = r === undefined ? undefined : attributeReadProblem(rule.attrs[attribute], r, 'usbdev', !isLibvirt9(ctx))
        return problem === undefined ? undefined : { message: problem, path: at(attribute) }
      }
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!
        const at = (attribute: string): string => `${placeOf(list, d)}/usbdev${rules.length > 1 ? `[${i + 1}]` : ''}/@${attribute}`
        const classRead = typed(rule, 'class', at)
        if (classRead) return classRead
        const raw = rule.attrs.class
        const value = raw === undefined ? undefined : readCInt(raw, 0)
        if (value !== undefined && value !== -1 && (value & ~0xff) !== 0) return { message: `Invalid USB Class code 0x${(value >>> 0).toString(16)}`, path: at('class') }
        const idRead = typed(rule, 'vendor', at) ?? typed(rule, 'product', at)
        if (idRead) return idRead
        const version = rule.attrs.version
        if (version !== undefined && version !== '-1' && readUsbDeviceVersion(version) === undefined) return { message: `Cannot parse USB device version ${version}`, path: at('version') }
        const allowRead = typed(rule, 'allow', at)
        if (allowRead) return allowRead
      }
      return undefined
    }),
  },
  // virDomainRedirdevDefParseXML: a USB redirected device's address, once its device information is read, is a USB one
  // or none (VIR_ERR_XML_ERROR, seen on libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['redirdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const type = d.name === 'redirdev' && (d.attrs.bus ?? 'usb') === 'usb' ? child(d, 'address')?.attrs.type : undefined
      return type !== undefined && type !== 'usb' ? { message: 'Invalid address for a USB device', path: `${placeOf(list, d)}/address/@type` } : undefined
    }),
  },
  // virDomainFSDefParseXML: a filesystem's space limits, scaled values of at most 2^64 - 1 bytes (virParseScaledValue's words,
  // seen on libvirtd 9.0; model's deviceNames.filesystemSpaceLimits)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'filesystem') return undefined
      for (const name of deviceNames.filesystemSpaceLimits) {
        const limit = child(d, name)
        if (limit?.text === undefined || limit.text === '') continue
        const read = readSpaceLimit(limit, name)
        if ('error' in read) return { message: read.error, path: `${placeOf(list, d)}/${name}` }
      }
      return undefined
    }),
  },
  // virDomainControllerDefParseXML, after the target's attributes: the NUMA node below the target, a non-negative int
  // (virXPathInt; an empty one is none — libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['controller'],
    below: ['node'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const numa = d.name === 'controller' ? child(child(d, 'target'), 'node') : undefined
      // (as written: a blank one does not read — `<node> </node>`, the blank-text search edit, seed 343)
      const text = numa?.text ?? ''
      if (numa === undefined || text === '') return undefined
      const read = readCInt(text, 10)
      return read === undefined || read < 0 ? { message: 'invalid NUMA node in target', path: `${placeOf(list, d)}/target/node` } : undefined
    }),
  },
  // virDomainChrDefParseXML, after the source: a SPICE agent channel is a virtio one; a USB serial port sits on USB (after
  // the device information); virDomainGraphicsDefParseXMLRDP: an RDP port virStrToLong_i reads; virDomainNetDefParseXML:
  // the receive coalescing frame count within 32 bits (libvirtd 9.0's words)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['channel', 'serial', 'parallel', 'console', 'graphics', 'interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      // (a target type libvirt does not know was refused before, as it read the target: the row of the targets' names)
      // (libvirt compares the target type's number, whatever the device, with the channel's virtio: a serial port's
      // usb-serial and a console's xen are that number and pass, a channel's, console's virtio or a parallel port not —
      // model's chrTargetTypeNumber; seen on libvirtd 9.0, the same in 11.3)
      if (d.attrs.type === 'spicevmc' && deviceNames.chrKinds.includes(d.name)) {
        const target = child(d, 'target')?.attrs.type
        const number = chrTargetTypeNumber(d.name, target)
        if (number !== undefined && number !== chrTargetTypeNumber('channel', 'virtio')) return { message: 'spicevmc device type only supports virtio', path: target === undefined ? `${placeOf(list, d)}/@type` : `${placeOf(list, d)}/target/@type` }
      }
      if (d.name === 'serial' && child(d, 'target')?.attrs.type === 'usb-serial') {
        const address = child(d, 'address')?.attrs.type
        if (address !== undefined && address !== 'none' && address !== 'usb') return { message: 'usb-serial requires address of usb type', path: `${placeOf(list, d)}/address/@type` }
      }
      if (d.name === 'graphics' && d.attrs.type === 'rdp' && d.attrs.port !== undefined && readCInt(d.attrs.port, 10) === undefined) return { message: `cannot parse rdp port ${d.attrs.port}`, path: `${placeOf(list, d)}/@port` }
      const frames = d.name === 'interface' ? child(child(child(d, 'coalesce'), 'rx'), 'frames')?.attrs.max : undefined
      if (frames !== undefined && frames !== '') {
        const read = /^[\t\n\v\f\r ]*\+?[0-9]+$/.test(frames) ? readCUnsignedLongLong(frames, 10) : undefined
        if (read === undefined) return { code: 'preview-invalid-value', message: `cannot parse value '${frames}' for coalesce parameter`, path: `${placeOf(list, d)}/coalesce/rx/frames/@max` }
        if (read > 4294967295n) return { message: `value '${read}' is too big for coalesce parameter, maximum is '4294967295'`, path: `${placeOf(list, d)}/coalesce/rx/frames/@max` }
      }
      return undefined
    }),
  },
  // virDomainSmartcardDefParseXML: three certificates and an absolute database path for a card of host certificates, a
  // character device type for a passthrough one; virDomainVideoAccelDefParseXML: an <acceleration> that says something;
  // virDomainFSDefParseXML: file and directory modes of at most 0777; virDomainGraphicsAuthDefParseXML: a password's
  // validity as YYYY-MM-DDTHH:MM:SS, then a `connected` it knows (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['smartcard', 'video', 'filesystem', 'graphics'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name === 'smartcard' && d.attrs.mode === 'host-certificates') {
        if (kids(d, 'certificate').length !== 3) return { message: 'host-certificates mode needs exactly three certificates', path: `${placeOf(list, d)}/certificate` }
        const database = child(d, 'database')
        // (`string(./database/text())` as written, blank or not; an empty one is none, and the parser fails without a word —
        // libvirtd 9.0, the blank-text search edit, seed 338)
        const path = firstTextIn(database) ?? ''
        if (database && path === '') return { code: 'preview-refused', message: 'An error occurred, but the cause is unknown', path: `${placeOf(list, d)}/database` }
        if (database && !path.startsWith('/')) return { message: `expecting absolute path: ${path}`, path: `${placeOf(list, d)}/database` }
      }
      if (d.name === 'smartcard' && d.attrs.mode === 'passthrough' && d.attrs.type === undefined) return { message: 'passthrough mode requires a character device type attribute', path: `${placeOf(list, d)}/@type` }
      const accel = d.name === 'video' ? child(child(d, 'model'), 'acceleration')?.attrs : undefined
      if (accel && accel.rendernode === undefined && accel.accel3d === undefined && accel.accel2d === undefined) return { code: 'preview-refused', message: 'missing values for acceleration', path: `${placeOf(list, d)}/model/acceleration` }
      if (d.name === 'filesystem') {
        for (const mode of ['fmode', 'dmode'] as const) {
          // (read in base 8, virXMLPropUInt: what does not read is the attribute reader's to refuse)
          const octal = /^[\t\n\v\f\r ]*\+?([0-7]+)$/.exec(d.attrs[mode] ?? '')
          const value = octal ? Number.parseInt(octal[1]!, 8) : undefined
          if (value !== undefined && value > 0o777 && value <= 0xffffffff) return { message: `invalid ${mode}: '0${value.toString(8)}'`, path: `${placeOf(list, d)}/@${mode}` }
        }
      }
      const validTo = d.name === 'graphics' ? d.attrs.passwdValidTo : undefined
      if (validTo !== undefined && d.attrs.passwd !== undefined && !validityTimeReads(validTo)) return { code: 'preview-refused', message: `cannot parse password validity time '${validTo}', expect YYYY-MM-DDTHH:MM:SS`, path: `${placeOf(list, d)}/@passwdValidTo` }
      // (then, with a password, what connected clients get: one of virDomainGraphicsAuthConnected's, `keep` for VNC)
      const connected = d.name === 'graphics' && d.attrs.passwd !== undefined && (d.attrs.type === 'vnc' || d.attrs.type === 'spice') ? d.attrs.connected : undefined
      if (connected !== undefined) {
        if (!deviceNames.graphicsConnected.includes(connected)) return { code: 'preview-refused', message: `unknown connected value ${connected}`, path: `${placeOf(list, d)}/@connected` }
        if (d.attrs.type === 'vnc' && connected !== 'keep') return { code: 'preview-refused', message: "VNC supports connected='keep' only", path: `${placeOf(list, d)}/@connected` }
      }
      return undefined
    }),
  },
  // virDomainWatchdogDefParseXML: a watchdog's model of virDomainWatchdogModel, then its action of virDomainWatchdogAction
  // (none written: reset) — libvirtd 9.0's words (the odd-value search edit, `IB700`), 11's virXMLPropEnum's
  {
    code: 'preview-refused', stage: 'parse', kinds: ['watchdog'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'watchdog') return undefined
      const v9 = isLibvirt9(ctx)
      const { model, action } = d.attrs
      if (model !== undefined && !(v9 ? watchdogModels9 : deviceNames.watchdogModels as readonly string[]).includes(model)) {
        return { message: v9 ? `unknown watchdog model '${model}'` : `Invalid value for attribute 'model' in element 'watchdog': '${model}'.`, path: `${placeOf(list, d)}/@model`, ...(v9 ? {} : { code: 'preview-invalid-value' as const }) }
      }
      if (action !== undefined && !(deviceNames.watchdogActions as readonly string[]).includes(action)) {
        return { message: v9 ? `unknown watchdog action '${action}'` : `Invalid value for attribute 'action' in element 'watchdog': '${action}'.`, path: `${placeOf(list, d)}/@action`, ...(v9 ? {} : { code: 'preview-invalid-value' as const }) }
      }
      return undefined
    }),
  },
  // virDomainDiskSourceVHostUserParse: a vhost-user disk's source is a UNIX socket with a path
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'disk' && d.attrs.type === 'vhostuser' ? child(d, 'source') : undefined
      if (source === undefined) return undefined
      const path = `${placeOf(list, d)}/source`
      if (source.attrs.type === undefined) return { message: "missing 'type' attribute for vhostuser disk source", path: `${path}/@type` }
      if (source.attrs.type !== 'unix') return { message: "invalid 'type' attribute for vhostuser disk source", path: `${path}/@type` }
      return source.attrs.path === undefined ? { message: "missing 'path' attribute for vhostuser disk source", path: `${path}/@path` } : undefined
    }),
  },
  // virDomainVideoDefParseXML: a video model of virDomainVideo; virDomainHostdevDefParseXML: a host device's mode;
  // virDomainRedirdevDefParseXML: a redirected device's character device type — the same names in libvirt 9.0 and 11.3,
  // but 11.3 reads the first two with virXMLPropEnumDefault (virDomainVideoModelDefParseXML): its words, and an empty
  // model refused, where 9.0's virXPathString takes it for none
  {
    code: 'preview-refused', stage: 'parse', kinds: ['video', 'hostdev', 'redirdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const v9 = isLibvirt9(ctx)
      if (d.name === 'video') {
        const model = child(d, 'model')?.attrs.type
        if (model === undefined || (model === '' && v9) || (deviceNames.videoModels as readonly string[]).includes(model)) return undefined
        const path = `${placeOf(list, d)}/model/@type`
        return v9 ? { message: `unknown video model '${model}'`, path } : { code: 'preview-invalid-value', message: `Invalid value for attribute 'type' in element 'model': '${model}'.`, path }
      }
      if (d.name === 'hostdev') {
        const mode = d.attrs.mode
        if (mode === undefined || mode === 'subsystem' || mode === 'capabilities') return undefined
        const path = `${placeOf(list, d)}/@mode`
        return v9 ? { message: `unknown hostdev mode '${mode}'`, path } : { code: 'preview-invalid-value', message: `Invalid value for attribute 'mode' in element 'hostdev': '${mode}'.`, path }
      }
      if (d.name !== 'redirdev') return undefined
      const type = d.attrs.type
      return type === undefined || (deviceNames.chrTypes as readonly string[]).includes(type) ? undefined : { message: `unknown redirdev character device type '${type}'`, path: `${placeOf(list, d)}/@type` }
    }),
  },
  // virDomainFSDefParseXML: a filesystem's file and directory modes, octal (virXMLPropUInt in base 8)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['filesystem'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'filesystem') return undefined
      for (const k of ['fmode', 'dmode']) {
        const value = d.attrs[k]
        const octal = value === undefined ? undefined : /^[\t\n\v\f\r ]*\+?([0-7]+)$/.exec(value)
        if (value !== undefined && (octal === null || Number.parseInt(octal![1]!, 8) > 0xffffffff)) return { message: `Invalid value for attribute '${k}' in element 'filesystem': '${value}'. Expected non-negative integer value`, path: `${placeOf(list, d)}/@${k}` }
      }
      return undefined
    }),
  },
  // virDomainNetDefParseXML: a MAC address virMacAddrParse reads, and a unicast one (its first byte's low bit clear)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const address = d.name === 'interface' ? child(d, 'mac')?.attrs.address : undefined
      if (address === undefined) return undefined
      // (most are written as libvirt writes them: read only when not)
      if (/^[0-9a-f][02468ace](?::[0-9a-f]{2}){5}$/.test(address)) return undefined
      const bytes = readMacAddress(address)
      if (bytes === undefined) return { message: `unable to parse mac address '${address}'`, path: `${placeOf(list, d)}/mac/@address` }
      return (bytes[0]! & 1) === 1 ? { message: `expected unicast mac address, found multicast '${address}'`, path: `${placeOf(list, d)}/mac/@address` } : undefined
    }),
  },
  // virDomainNetDefParseXML: a link state up or down (read with the NIC, checked after its driver and backend)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['interface'],
    below: ['link'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const state = d.name === 'interface' ? child(d, 'link')?.attrs.state : undefined
      return state === undefined || state === '' || state === 'up' || state === 'down' ? undefined : { message: `unknown interface link state '${state}'`, path: `${placeOf(list, d)}/link/@state` }
    }),
  },
  // virDomainNetDefParseXML: an MTU size virXPathUInt reads (an empty one is none)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    below: ['mtu'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const size = d.name === 'interface' ? child(d, 'mtu')?.attrs.size : undefined
      if (size === undefined || size === '') return undefined
      const read = readCInteger(size, 10)
      return read === undefined || read.negative || read.magnitude > 2 ** 32 - 1 ? { message: 'malformed mtu size', path: `${placeOf(list, d)}/mtu/@size` } : undefined
    }),
  },
  // virDomainDeviceBootParseXML: a boot entry's loadparm, upper-cased, is 1 to 8 of [A-Z0-9.] and spaces (virDomainDeviceLoadparmIsValid;
  // blank is empty to virStringIsEmpty, the length is strlen's: bytes)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk', 'interface', 'hostdev', 'redirdev', 'filesystem'],
    below: ['boot'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const loadparm = child(d, 'boot')?.attrs.loadparm
      if (loadparm === undefined) return undefined
      const upper = loadparmAsRead(loadparm)
      const path = `${placeOf(list, d)}/boot/@loadparm`
      if (/^[\t\n\v\f\r ]*$/.test(upper) || utf8.encode(upper).length > 8) return { message: `loadparm value '${upper}' must be between 1 and 8 characters`, path }
      if (!/^[A-Za-z0-9. ]*$/.test(upper)) return { message: `invalid loadparm value '${upper}', expecting chars in set of [a-zA-Z0-9.] and blank spaces`, path }
      return undefined
    }),
  },
  // virDomainPanicDefParseXML: a panic model the parser knows (libvirt 9.0 does not know pvpanic yet)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['panic'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const model = d.attrs.model
      const known = isLibvirt9(ctx) ? panicModels9 : panicModels11
      return d.name === 'panic' && model !== undefined && !known.includes(model) ? { message: `unknown panic model '${model}'`, path: `${placeOf(list, d)}/@model` } : undefined
    }),
  },
  // virDomainRNGDefParseXML, in its order: the model, exactly one backend, the backend's model, and an EGD backend's
  // character device type (9.0 reads the names with its own words, 11.3 with virXMLPropEnum's; seen on libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['rng'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'rng') return undefined
      // (the device's place only for a refusal: placeOf counts the devices)
      const at = (): string => placeOf(list, d)
      const v9 = isLibvirt9(ctx)
      const model = d.attrs.model
      if (model === undefined) return { message: v9 ? 'missing RNG device model' : missing('model', 'rng'), path: `${at()}/@model` }
      if (!(deviceNames.rngModels as readonly string[]).includes(model)) {
        return v9 ? { message: `unknown RNG model '${model}'`, path: `${at()}/@model`, code: 'preview-refused' } : { message: `Invalid value for attribute 'model' in element 'rng': '${model}'.`, path: `${at()}/@model` }
      }
      const backends = kids(d, 'backend')
      if (backends.length !== 1) return { message: 'only one RNG backend is supported', path: `${at()}/backend` }
      const backend = backends[0]!
      const kind = backend.attrs.model
      if (kind === undefined) return { message: v9 ? 'missing RNG device backend model' : missing('model', 'backend'), path: `${at()}/backend/@model` }
      if (!(deviceNames.rngBackends as readonly string[]).includes(kind)) {
        return v9 ? { message: `unknown RNG backend model '${kind}'`, path: `${at()}/backend/@model`, code: 'preview-refused' } : { message: `Invalid value for attribute 'model' in element 'backend': '${kind}'.`, path: `${at()}/backend/@model` }
      }
      if (kind !== 'egd') return undefined
      const type = backend.attrs.type
      if (type === undefined) return { message: 'missing EGD backend type', path: `${at()}/backend/@type` }
      if (!(deviceNames.chrTypes as readonly string[]).includes(type)) return { message: `unknown backend type '${type}' for egd`, path: `${at()}/backend/@type`, code: 'preview-refused' }
      return undefined
    }),
  },
  // the parts of a device libvirt's parser requires (checked on libvirtd 9.0; 11.3's words from its source), in the
  // order virDomainDefParseXML reads the kinds of devices
  ...requiredParts.map(({ kind, child: at, attribute, words, words9, code, when }): Refusal => ({
    code: code ?? 'preview-invalid-value', stage: 'parse', kinds: [kind],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== kind || (when && !when(d))) return undefined
      const holders = at === undefined ? [d] : kids(d, at)
      if (holders.every((h) => h.attrs[attribute] !== undefined)) return undefined
      return { message: (isLibvirt9(ctx) && words9) || words, path: `${placeOf(list, d)}${at === undefined ? '' : `/${at}`}/@${attribute}` }
    }),
  })),
  // a sound device's codecs, each of libvirt's types (virDomainSoundCodecDefParseXML, in document order: a missing type
  // is '(null)' to it; model's deviceNames.soundCodecTypes — seed 315 of the differential search, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['sound'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'sound') return undefined
      const codecs = kids(d, 'codec')
      const at = codecs.findIndex((c) => !(deviceNames.soundCodecTypes as readonly string[]).includes(c.attrs.type ?? ''))
      return at < 0 ? undefined : { message: `unknown codec type '${codecs[at]!.attrs.type ?? '(null)'}'`, path: `${placeOf(list, d)}/codec${codecs.length > 1 ? `[${at + 1}]` : ''}/@type` }
    }),
  },
  // names the device parsers read with their own words (model's deviceNames; libvirtd 9.0's words): a character
  // device's target type and a serial port's target model (virDomainChrDefParseTargetXML), an input device's type,
  // model and bus, in that order (virDomainInputDefParseXML)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['serial', 'console', 'channel'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const target = child(d, 'target')
      const types = deviceNames.chrTargetTypes.get(d.name)
      if (!target || !types) return undefined
      const type = target.attrs.type
      if (type !== undefined && !types.includes(type)) return { message: `unknown target type '${type}' specified for character device`, path: `${placeOf(list, d)}/target/@type` }
      const model = d.name === 'serial' ? child(target, 'model')?.attrs.name : undefined
      if (model !== undefined && model !== '' && !(deviceNames.serialTargetModels as readonly string[]).includes(model)) return { message: `unknown target model '${model}' specified for character device`, path: `${placeOf(list, d)}/target/model/@name` }
      return undefined
    }),
  },
  {
    code: 'preview-refused', stage: 'parse', kinds: ['input'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'input') return undefined
      const { type, model, bus } = d.attrs
      if (type !== undefined && !(deviceNames.inputTypes as readonly string[]).includes(type)) return { message: `unknown input device type '${type}'`, path: `${placeOf(list, d)}/@type` }
      if (model !== undefined && !(deviceNames.inputModels as readonly string[]).includes(model)) return { message: `unknown input model '${model}'`, path: `${placeOf(list, d)}/@model` }
      if (bus !== undefined && !(deviceNames.inputBuses as readonly string[]).includes(bus)) return { message: `unknown input bus type '${bus}'`, path: `${placeOf(list, d)}/@bus` }
      return undefined
    }),
  },
  // virDomainInputDefParseXML: a passthrough input's <source> names its event device in `evdev`, an evdev input's in
  // `dev` (an XML error, libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['input'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'input' ? child(d, 'source') : undefined
      const attribute = d.attrs.type === 'passthrough' ? 'evdev' : d.attrs.type === 'evdev' ? 'dev' : undefined
      return source && attribute && source.attrs[attribute] === undefined ? { message: 'Missing evdev path for input device', path: `${placeOf(list, d)}/source/@${attribute}` } : undefined
    }),
  },
  // a disk's I/O limits, unsigned long longs (virDomainDiskDefIotuneParse: virXPathULongLong, an empty one is none;
  // libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    below: ['iotune'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const iotunes = d.name === 'disk' ? kids(d, 'iotune') : []
      if (iotunes.length === 0) return undefined
      // (in libvirt's order, each `string(./iotune/NAME)`: the first of its name below any <iotune>)
      for (const name of diskIotuneLimits) {
        const text = textIn(iotunes.flatMap((i) => kids(i, name))[0])
        if (text === '' || /^[\t\n\v\f\r ]*\+?[0-9]+$/.test(text) && BigInt(text.trim()) <= 0xffffffffffffffffn) continue
        return { message: `disk iotune field '${name}' must be an integer`, path: `${diskPath(d)}/iotune/${name}` }
      }
      return undefined
    }),
  },
  // libvirt 11's virDomainDiskDefThrottleFiltersParse, right after the I/O limits: each filter's group once per disk
  // (from 11.3's source; 9.0 reads no filter)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'], since11: true,
    below: ['throttlefilters'],
    check: (ctx) => firstDevice(ctx, (d) => {
      if (d.name !== 'disk') return undefined
      const seen = new Set<string>()
      for (const filter of kids(d, 'throttlefilters').flatMap((holder) => kids(holder, 'throttlefilter'))) {
        const group = filter.attrs.group
        if (group === undefined) continue
        if (seen.has(group)) return { message: `duplicate filter name '${group}' found`, path: `${diskPath(d)}/throttlefilters` }
        seen.add(group)
      }
      return undefined
    }),
  },
  // an NVDIMM's UUID (virDomainMemoryDefParseXML), then the memory device's source, read before its target
  // (virDomainMemorySourceDefParseXML, by model): a DIMM's or virtio-mem
  // device's page size, then its host node mask; an SGX EPC section's node mask; an NVDIMM's alignment — sizes read as
  // virDomainParseMemory reads them, a node mask a bitmap of at most VIR_DOMAIN_CPUMASK_LEN nodes naming one (an empty
  // one is none: virXPathString); libvirtd 9.0's words, the odd-value search edit's find
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['memory'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'memory') return undefined
      const model = d.attrs.model
      // (an NVDIMM's UUID first: virUUIDParse's, an empty one is none)
      const uuid = model === 'nvdimm' ? child(d, 'uuid') : undefined
      if (uuid !== undefined && textIn(uuid) !== '' && readUuid(textIn(uuid)) === undefined) return { message: 'malformed uuid element', path: `${placeOf(list, d)}/uuid`, code: 'preview-refused' }
      const source = child(d, 'source')
      if (!source) return undefined
      const at = `${placeOf(list, d)}/source`
      // (the children the model reads are model's childrenByType; the sizes are read before the node mask)
      const reads = model === undefined ? undefined : memorySourceReads?.sets.get(model)
      for (const name of memorySourceReadOrder) {
        if (!reads?.has(name)) continue
        const n = child(source, name)
        const text = n === undefined ? '' : textIn(n)
        if (text === '') continue
        if (name === 'nodemask') {
          const nodes = parseBitmap(text, cpuMaskLength)
          if (nodes === undefined) return { message: `Failed to parse bitmap '${text}'`, path: `${at}/nodemask` }
          if (nodes.length === 0) return { message: `Invalid value of 'nodemask': ${text}`, path: `${at}/nodemask`, code: 'preview-refused' }
          continue
        }
        const read = readLibvirtMemory(text, n!.attrs.unit, `./${name}`)
        if ('error' in read) return { message: read.error, path: `${at}/${name}` }
      }
      return undefined
    }),
  },
  // virDomainStorageNetCookiesParse (as an HTTP(S) disk's source is parsed): each cookie named and valued (virXPathString:
  // an empty name or value is none), then virStorageSourceNetCookiesValidate, cookie by cookie — its characters, then a
  // later cookie of its name; libvirtd 9.0's words, the odd-value search edit (seed 290)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    below: ['cookies'],
    check: (ctx) => firstDevice(ctx, (d) => {
      const source = d.name === 'disk' && d.attrs.type === 'network' ? child(d, 'source') : undefined
      const protocol = source?.attrs.protocol
      if (protocol !== 'http' && protocol !== 'https') return undefined
      const cookies = kids(child(source, 'cookies'), 'cookie')
      const at = (i: number): string => `${diskPath(d)}/source/cookies/cookie[${i + 1}]`
      for (const [i, cookie] of cookies.entries()) {
        if ((cookie.attrs.name ?? '') === '') return { message: 'missing cookie name', path: at(i) }
        if ((cookie.text ?? '') === '') return { message: `missing value for cookie '${cookie.attrs.name}'`, path: at(i) }
      }
      for (const [i, cookie] of cookies.entries()) {
        const problem = cookieProblem(cookie.attrs.name!, cookie.text!)
        if (problem) return { message: problem, path: at(i) }
        for (let j = i + 1; j < cookies.length; j++) if (cookies[j]!.attrs.name === cookie.attrs.name) return { message: `duplicate cookie '${cookie.attrs.name}'`, path: at(j) }
      }
      return undefined
    }),
  },
  // a memory device's size (virDomainMemoryTargetDefParseXML: virDomainParseMemory, required — an empty or blank one is
  // none to virXPathULongLong)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['memory'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const target = d.name === 'memory' ? child(d, 'target') : undefined
      const size = child(target, 'size')
      if (!target) return undefined
      const path = `${placeOf(list, d)}/target/size`
      if (size === undefined || (size.text ?? '') === '') return { message: "missing element or attribute './size'", path }
      // (a size that is there is read: virDomainParseMemory's words when it does not)
      const read = readLibvirtMemory(size.text!, size.attrs.unit, './size')
      if ('error' in read) return { message: read.error, path }
      // then by model (virDomainMemoryTargetDefParseXML): an NVDIMM's label size, at least 128 KiB and below the size; a
      // virtio-mem device's block and requested sizes, read as sizes
      const sizeOf = (n: N | undefined, xpath: string): { kib: number } | { error: string } | undefined => (n === undefined || (n.text ?? '') === '' ? undefined : readLibvirtMemory(n.text!, n.attrs.unit, xpath))
      if (d.attrs.model === 'nvdimm') {
        const label = sizeOf(child(child(target, 'label'), 'size'), './label/size')
        const at = `${placeOf(list, d)}/target/label/size`
        if (label !== undefined && 'error' in label) return { message: label.error, path: at }
        const kib = label?.kib ?? 0
        if (kib !== 0 && kib < 128) return { message: 'nvdimm label must be at least 128KiB', path: at }
        if (kib >= read.kib) return { message: 'label size must be smaller than NVDIMM size', path: at }
      } else if (d.attrs.model === 'virtio-mem') {
        for (const name of ['block', 'requested']) {
          const other = sizeOf(child(target, name), `./${name}`)
          if (other !== undefined && 'error' in other) return { message: other.error, path: `${placeOf(list, d)}/target/${name}` }
        }
      }
      return undefined
    }),
  },
  // virDomainNetPortForwardDefParseXML: a port forward's address is numeric (virSocketAddrParse; libvirtd 9.0 reads it
  // too, passt or not — the odd-value search edit, seed 410)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    below: ['portForward'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'interface') return undefined
      const forwards = kids(d, 'portForward')
      for (let i = 0; i < forwards.length; i++) {
        const address = forwards[i]!.attrs.address
        if (address !== undefined && !numericIpAddress(address, undefined)) return { message: `Invalid address '${address}' in <portForward>`, path: `${placeOf(list, d)}/portForward[${i + 1}]/@address` }
      }
      return undefined
    }),
  },
  // virDomainHostdevDefParseXMLSubsys: a host device's model is a mediated or SCSI host device's alone (libvirtd 9.0's words)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['hostdev'],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === 'hostdev' && (d.attrs.mode ?? 'subsystem') === 'subsystem' && d.attrs.model !== undefined && d.attrs.type !== 'mdev' && d.attrs.type !== 'scsi_host' && d.attrs.type !== undefined
      ? { message: `'model' attribute in <hostdev> is only supported when type='${d.attrs.type}'`, path: `${placeOf(list, d)}/@model` } : undefined)),
  },
  // virDomainNetIPParseXML: an interface's IP address is numeric, its prefix an unsigned decimal, at most 32 (IPv4) or
  // 128 (IPv6) — and a capabilities network host device's, read from the host device (virDomainHostdevDefParseXMLCaps,
  // after its interface: probes h40-c-net-ip-bad, h40-c-net-route-bad, libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface', 'hostdev'],
    below: ['ip', 'route'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const capsNet = d.name === 'hostdev' && d.attrs.mode === 'capabilities' && d.attrs.type === 'net'
      if (d.name !== 'interface' && !capsNet) return undefined
      // (the host side's with the source, then the guest's — virDomainNetIPInfoParseXML: the addresses, then the routes)
      for (const holder of capsNet ? [d] : [child(d, 'source'), d]) {
        const detail = capsNet ? 'Domain hostdev device' : holder === d ? 'guest interface' : 'interface host IP'
        const ipAt = `${placeOf(list, d)}${holder === d ? '' : '/source'}/ip`
        for (const ip of holder?.children ?? []) {
          if (ip.name !== 'ip') continue
          // (the address first: a numeric one of the family written, or of any when none is — virSocketAddrParse,
          // getaddrinfo's numeric hosts; the odd-value search edit, libvirtd 9.0)
          const address = ip.attrs.address
          if (address === undefined) return { message: 'Missing required address in <ip>', path: ipAt }
          const family = ip.attrs.family === 'ipv4' ? 4 : ip.attrs.family === 'ipv6' ? 6 : undefined
          if (!numericIpAddress(address, family)) return { message: `Invalid address '${address}' in <ip>`, path: `${ipAt}/@address` }
          const prefix = ip.attrs.prefix
          if (prefix !== undefined) {
            const read = readCInteger(prefix, 10)
            const v6 = ip.attrs.family === 'ipv6' || (ip.attrs.family === undefined && (ip.attrs.address ?? '').includes(':'))
            if (!read || read.negative || read.magnitude > (v6 ? 128 : 32)) return { message: `Invalid prefix value '${prefix}' in <ip>`, path: `${ipAt}/@prefix` }
          }
          // (then a peer: a numeric address of the family written, else of the address's own — virSocketAddrParse
          // given virSocketAddrNumericFamily's: an IPv6 peer of an IPv4 address refused; probe h45-ip-…-v4-peer-v6)
          const peer = ip.attrs.peer
          if (peer !== undefined && !numericIpAddress(peer, family ?? (address.includes(':') ? 6 : 4))) return { message: `Invalid peer '${peer}' in <ip>`, path: `${ipAt}/@peer` }
        }
        for (const route of holder?.children ?? []) {
          if (route.name !== 'route') continue
          const at = `${placeOf(list, d)}${holder === d ? '' : '/source'}/route`
          const { address, gateway } = route.attrs
          if (address === undefined) return { message: `${detail}: Missing required address attribute in route definition`, path: at }
          if (gateway === undefined) return { message: `${detail}: Missing required gateway attribute in route definition`, path: at }
          if (!numericIpAddress(address, undefined)) return { message: `${detail}: Bad network address '${address}' in route definition`, path: `${at}/@address` }
          if (!numericIpAddress(gateway, undefined)) return { message: `${detail}: Bad gateway address '${gateway}' in route definition`, path: `${at}/@gateway` }
          const problem = routeFamilyProblem(route, detail)
          if (problem) return { message: problem.message, path: `${at}${problem.at}` }
        }
      }
      return undefined
    }),
  },
  // virDomainMemoryTargetDefParseXML: a target NUMA node reads as a non-negative int (virXPathInt; empty is none; `-0`
  // reads as 0 and is kept — libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['memory'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const text = d.name === 'memory' ? child(child(d, 'target'), 'node')?.text ?? '' : ''
      if (text === '') return undefined
      const read = readCInt(text, 10)
      return read === undefined || read < 0 ? { message: 'invalid value of memory device node', path: `${placeOf(list, d)}/target/node` } : undefined
    }),
  },
  // virDomainDiskSourceNetworkParse: an HTTP(S) or FTP(S) source's readahead size and timeout read as unsigned long longs
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['disk'],
    below: ['readahead', 'timeout'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      const source = d.name === 'disk' && d.attrs.type === 'network' ? child(d, 'source') : undefined
      if (!source || !webProtocols.has(source.attrs.protocol ?? '')) return undefined
      for (const [name, attribute] of [['readahead', 'size'], ['timeout', 'seconds']] as const) {
        const value = child(source, name)?.attrs[attribute]
        if (value !== undefined && value !== '' && readCUnsignedLongLong(value, 10) === undefined) return { message: 'invalid readahead size or timeout', path: `${placeOf(list, d)}/source/${name}/@${attribute}` }
      }
      return undefined
    }),
  },
  // …and the child elements it requires
  // virDomainLeaseDefParseXML: a key and a lockspace (each an XPath string, so an empty one is none — a missing
  // lockspace fails without a word of why), a target with a path, in that order (libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['lease'],
    check: (ctx) => firstDevice(ctx, (d, list) => {
      if (d.name !== 'lease') return undefined
      const at = placeOf(list, d)
      if (textIn(child(d, 'key')) === '') return { message: "Missing 'key' element for lease", path: `${at}/key` }
      if (textIn(child(d, 'lockspace')) === '') return { code: 'preview-refused', message: 'An error occurred, but the cause is unknown', path: `${at}/lockspace` }
      const target = child(d, 'target')
      if (!target) return { message: "Missing 'target' element for lease", path: `${at}/target` }
      if (target.attrs.path === undefined) return { message: "Missing 'path' attribute to 'target' element for lease", path: `${at}/target/@path` }
      return undefined
    }),
  },
  ...requiredChildren.map(({ kind, child: name, words }): Refusal => ({
    code: 'preview-invalid-value', stage: 'parse', kinds: [kind],
    check: (ctx) => firstDevice(ctx, (d, list) => (d.name === kind && !child(d, name) ? { message: words, path: `${placeOf(list, d)}/${name}` } : undefined)),
  })),
  // ---- virDomainDefValidateInternal: once every device is validated ----
  // virDomainDefDuplicateDiskInfoValidate: one disk per target name, the pair named as libvirt holds its disks — the
  // parser inserts each disk after the last of its bus (as written) whose target index is not above its own
  // (virDomainDiskInsert). libvirtd 9.0's words.
  {
    code: 'preview-invalid-value', stage: 'validate', generic: 'duplicate-disk-info', kinds: ['disk'],
    check: (ctx) => {
      const disks = rowDevices(ctx)
      // (most domains have no two disks of one name: the order is made only when some do)
      const names = new Set<string>()
      if (disks.every((d) => { const dev = child(d, 'target')?.attrs.dev; return dev === undefined || (!names.has(dev) && names.add(dev)) })) return undefined
      const key = (d: N) => ({ bus: child(d, 'target')?.attrs.bus ?? '', index: parseDiskName(child(d, 'target')?.attrs.dev ?? '')?.index ?? -1 })
      const held: { d: N; bus: string; index: number }[] = []
      for (const d of disks) {
        const k = { d, ...key(d) }
        let insertAt = -1
        for (let i = held.length - 1; i >= 0; i--) {
          if (held[i]!.bus !== k.bus) continue
          if (held[i]!.index > k.index) insertAt = i
          else if (insertAt === -1) insertAt = i + 1
        }
        if (insertAt === -1) held.push(k); else held.splice(insertAt, 0, k)
      }
      for (let i = 0; i < held.length; i++) {
        const dev = child(held[i]!.d, 'target')?.attrs.dev
        if (dev === undefined) continue
        const twin = held.slice(i + 1).find((o) => child(o.d, 'target')?.attrs.dev === dev)
        if (twin) return { message: `target '${dev}' duplicated for disk sources '${diskSourcePath(held[i]!.d) ?? '<null>'}' and '${diskSourcePath(twin.d) ?? '<null>'}'`, path: `${diskPath(twin.d)}/target/@dev` }
      }
      return undefined
    },
  },
  // virDomainDefGetVcpusTopology: the topology's product, step by step as libvirt multiplies it (sockets, dies, clusters
  // in 11, cores, threads), above UINT_MAX (the QEMU driver's own topology check passes over it). Seen on libvirtd 9.0.
  {
    code: 'preview-refused', stage: 'validate', generic: 'vcpus-topology', within: [['cpu', 'topology']],
    check: (ctx) => {
      const topology = child(child(ctx.domain, 'cpu'), 'topology')
      if (!topology || topology.attrs.sockets === undefined) return undefined
      const names = ['sockets', 'dies', ...(isLibvirt9(ctx) ? [] : ['clusters']), 'cores', 'threads']
      const values = names.map((n) => (topology.attrs[n] === undefined ? (n === 'sockets' ? 0 : 1) : uint(topology.attrs[n], 10) ?? 0))
      return values[0] !== 0 && cpuTopologyOverflows(values) ? { message: 'cpu topology results in more than 4294967295 cpus', path: 'domain/cpu/topology' } : undefined
    },
  },
  // virDomainDefValidateAliases: a user's alias names one device (the parser kept only `ua-…` ones), walked in
  // virDomainDeviceInfoIterateFlags' order; the serial port a serial console mirrors is left out, as libvirt's
  // back-compat for consoles does. libvirtd 9.0's words.
  {
    code: 'preview-refused', stage: 'validate', generic: 'aliases',
    below: ['alias'],
    check: (ctx) => {
      const list = devices(ctx)
      let aliased: N[] | undefined
      for (const d of list) if (child(d, 'alias')) (aliased ??= []).push(d)
      if (aliased === undefined || aliased.length < 2) return undefined
      // (virDomainDefAddConsoleCompat: the first console mirrors the first serial port when it is written as a serial
      // console, or when the port is one a console can be — every target type but PCI, USB and ISA debug)
      const serial = list.find((d) => d.name === 'serial')
      const console = list.find((d) => d.name === 'console')
      const consoleIsSerial = console !== undefined && (child(console, 'target')?.attrs.type ?? 'serial') === 'serial'
      const serialTarget = child(serial, 'target')?.attrs.type
      const mirrored = serial !== undefined && (consoleIsSerial || !['pci-serial', 'usb-serial', 'isa-debug'].includes(serialTarget ?? ''))
      const seen = new Set<string>()
      for (const kind of deviceIterateOrder) {
        for (const d of aliased) {
          if (d.name !== kind || (mirrored && (d === serial || (consoleIsSerial && d === console)))) continue
          const name = child(d, 'alias')!.attrs.name!
          if (seen.has(name)) return { message: `non unique alias detected: ${name}`, path: `${placeOf(list, d)}/alias/@name` }
          seen.add(name)
        }
      }
      return undefined
    },
  },
  // qemuValidateDomainChrDef: no parallel port on s390 or pSeries — the last check of a parallel port, after the generic
  // ones of its source (a file without a path, a reconnect when listening: libvirtd 9.0) and the driver's of its address,
  // source and target
  {
    code: 'preview-refused', stage: 'validate', kinds: ['parallel'],
    check: (ctx) => (isS390(ctx) || isPSeries(ctx) ? firstDevice(ctx, (d, list) => (d.name === 'parallel' ? { message: 'parallel ports are not supported', path: placeOf(list, d) } : undefined)) : undefined),
  },
]

/**
 * virStorageEncryptionParseNode: an encryption's format, one of virStorageEncryptionFormat (libvirt 11 adds luks-any),
 * then each secret in order — its type, then the volume it names (virStorageEncryptionSecretParse). `at()`: the
 * encryption's path, made only for a refusal. A disk's, its source's and its backing stores', an NVRAM source's.
 */
function encryptionParseProblem(ctx: PreviewContext, encryption: N, at: () => string): { message: string; path: string; code?: Refusal['code'] } | undefined {
  const formats: readonly string[] = isLibvirt9(ctx) ? encryptionFormats9 : deviceNames.encryptionFormats
  const format = encryption.attrs.format
  if (format === undefined || format === '') return { message: 'unknown volume encryption format', path: `${at()}/@format`, code: 'preview-invalid-value' }
  if (!formats.includes(format)) return { message: `unknown volume encryption format type ${format}`, path: `${at()}/@format` }
  // (then each secret, in order: its type, then the volume it names — virStorageEncryptionSecretParse)
  let k = 0
  for (const secret of encryption.children) {
    if (secret.name !== 'secret') continue
    k++
    const type = secret.attrs.type
    if (type === undefined || type === '') return { message: 'unknown volume encryption secret type', path: `${at()}/secret[${k}]/@type`, code: 'preview-invalid-value' }
    if (!(deviceNames.encryptionSecretTypes as readonly string[]).includes(type)) return { message: `unknown volume encryption secret type ${type}`, path: `${at()}/secret[${k}]/@type` }
    const problem = secretLookupProblem(secret, `${at()}/secret[${k}]`)
    if (problem) return problem
  }
  return undefined
}
