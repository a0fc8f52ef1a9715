// Where libvirt puts things when it formats a domain, and which elements are devices: the one list
// of each. Read from libvirt's formatter (src/conf/domain_conf.c, virDomainDefFormatInternalSetRootName
// and virDomainDefFormatOS… in master) and checked against every file libvirt wrote in the corpus
// (domains-out, generic-out, hotplug/domains): no adjacent pair there contradicts these lists.
import { readCInteger } from './integers.ts'
import { machineFamily, type MachineFamily } from './machines.ts'

/** Children of `<domain>`, in libvirt's order (`hwuuid` and `iommufd` are libvirt ≥ 11.x). */
export const domainChildOrder = Object.freeze([
  'name', 'uuid', 'hwuuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
  'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread',
  'throttlegroups', 'cputune', 'numatune', 'iommufd', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap',
  'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
  'seclabel', 'keywrap', 'launchSecurity',
] as const)

/**
 * Children of `<devices>`, in libvirt's order: `nvram` (pseries) after `rng`, `crypto` before
 * `iommu`, as virDomainDefFormatInternalSetRootName writes them.
 */
export const deviceOrder = Object.freeze([
  'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console',
  'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev', 'redirfilter', 'hub',
  'watchdog', 'memballoon', 'rng', 'nvram', 'panic', 'shmem', 'memory', 'crypto', 'iommu', 'vsock', 'pstore',
] as const)

/**
 * Children of `<os>`, in libvirt's order: the container `init*` elements, then `loader`/`varstore`/
 * `nvram`, direct-kernel boot, then `acpi`, `boot`, `bootmenu`, `bios` and last `smbios`.
 */
export const osChildOrder = Object.freeze([
  'type', 'firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup', 'loader', 'varstore', 'nvram',
  'kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'root', 'acpi', 'boot', 'bootmenu', 'bios', 'smbios',
] as const)

/**
 * Root elements libvirt accepts as one device (attach, detach, update: `virsh attach-device`):
 * the children of `<devices>`, the same list as {@link deviceOrder}.
 */
export const deviceKinds = deviceOrder

export type DeviceKind = (typeof deviceKinds)[number]

const deviceKindSet: ReadonlySet<string> = new Set(deviceKinds)

/** Whether an element name is a libvirt device kind. */
export function isDeviceKind(name: string): name is DeviceKind {
  return deviceKindSet.has(name)
}

/** Each frozen order's names with their first place (the orders above: made once each). */
const frozenRanks = new WeakMap<readonly string[], ReadonlyMap<string, number>>()

/** The names of a frozen order with their first place (a constant: made once), or `undefined` for any other order (a caller may still change it). */
function ranksOf(order: readonly string[]): ReadonlyMap<string, number> | undefined {
  if (!Object.isFrozen(order)) return undefined
  let ranks = frozenRanks.get(order)
  if (ranks === undefined) {
    const made = new Map<string, number>()
    order.forEach((n, i) => { if (!made.has(n)) made.set(n, i) })
    frozenRanks.set(order, (ranks = made))
  }
  return ranks
}

/** `order.indexOf(name)`, by the order's ranks when it has them. */
function indexIn(order: readonly string[], ranks: ReadonlyMap<string, number> | undefined, name: string): number {
  return ranks === undefined ? order.indexOf(name) : ranks.get(name) ?? -1
}

/** Rank of a name in an order, or `undefined` for names the order does not know. */
export function rankIn(order: readonly string[], name: string): number | undefined {
  const index = indexIn(order, ranksOf(order), name)
  return index < 0 ? undefined : index
}

/** Lists of up to this many nodes are sorted by insertion (merges append to a list in order, so it is nearly sorted); longer ones by `Array#sort`. */
const insertionLimit = 128

/**
 * Sorts the children of `parent` into `order`, stably; a name the order does not know keeps its
 * place after the known name before it. Text between elements (indentation) is dropped: the
 * serializer lays the document out again.
 */
export function sortChildren<E extends { type: string; name?: string; children?: readonly unknown[] }>(children: readonly E[], order: readonly string[]): E[] {
  const kept: E[] = []
  const rank: number[] = []
  const insert = children.length <= insertionLimit
  const ranks = ranksOf(order)
  let last = -1
  for (let ci = 0; ci < children.length; ci++) {
    const c = children[ci]!
    if (c.type !== 'element' && c.type !== 'comment') continue
    const r = c.type === 'element' ? indexIn(order, ranks, c.name ?? '') : -1
    const at = r >= 0 ? (last = r) : last + 0.5
    let j = kept.length
    kept.push(c)
    rank.push(at)
    if (!insert) continue
    // Stable: a child moves only past children of a greater rank.
    while (j > 0 && rank[j - 1]! > at) { kept[j] = kept[j - 1]!; rank[j] = rank[j - 1]!; j-- }
    kept[j] = c
    rank[j] = at
  }
  if (insert) return kept
  const indexes = kept.map((_, i) => i).sort((a, b) => rank[a]! - rank[b]! || a - b)
  return indexes.map((i) => kept[i]!)
}

/**
 * The NIC models libvirt knows by name (domain_conf.c virDomainNetModel), in its spelling. libvirt matches a
 * written `<model type>` against them without regard to case and stores this spelling (`ViRtIo` is stored as
 * `virtio`); any other name is kept as written if it is made of letters, digits, `_` and `-`. `igb` is newer
 * than libvirt 9.0 (which keeps it as written).
 */
export const netModelNames = Object.freeze([
  'netfront', 'rtl8139', 'virtio', 'e1000', 'e1000e', 'igb', 'virtio-transitional', 'virtio-non-transitional', 'usb-net',
  'spapr-vlan', 'lan9118', 'scm91c111', 'vlance', 'vmxnet', 'vmxnet2', 'vmxnet3', 'Am79C970A', 'Am79C973', '82540EM',
  '82545EM', '82543GC',
] as const)

const netModelByLowerCase = new Map<string, string>(netModelNames.map((m) => [m.toLowerCase(), m]))

/**
 * How libvirt stores a NIC's `<model type>` (virDomainNetSetModelString): a known model in its own spelling,
 * another name as written, `undefined` for a name libvirt refuses ("Model name contains invalid characters").
 */
export function storedNetModel(model: string, options: { libvirt9?: boolean } = {}): string | undefined {
  const known = netModelByLowerCase.get(model.toLowerCase())
  if (known !== undefined && !(options.libvirt9 && known === 'igb')) return known
  return /^[A-Za-z0-9_-]*$/.test(model) ? model : undefined
}

/**
 * The controller models libvirt knows, by controller type (domain_conf.c virDomainControllerModelTypeFromString and
 * its VIR_ENUM_IMPLs: the same in libvirt 9.0 and 11.3). A type not listed takes no model: any `model` on a SATA,
 * floppy, CCID, Xen bus or ISA controller is refused, as is a name not in its type's list ("Unknown model type").
 */
export const controllerModels: ReadonlyMap<string, readonly string[]> = new Map([
  ['scsi', ['auto', 'buslogic', 'lsilogic', 'lsisas1068', 'vmpvscsi', 'ibmvscsi', 'virtio-scsi', 'lsisas1078', 'virtio-transitional', 'virtio-non-transitional', 'ncr53c90', 'dc390', 'am53c974']],
  ['usb', ['piix3-uhci', 'piix4-uhci', 'ehci', 'ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3', 'vt82c686b-uhci', 'pci-ohci', 'nec-xhci', 'qusb1', 'qusb2', 'qemu-xhci', 'none']],
  ['pci', ['pci-root', 'pcie-root', 'pci-bridge', 'dmi-to-pci-bridge', 'pcie-to-pci-bridge', 'pcie-root-port', 'pcie-switch-upstream-port', 'pcie-switch-downstream-port', 'pci-expander-bus', 'pcie-expander-bus']],
  ['ide', ['piix3', 'piix4', 'ich6']],
  ['virtio-serial', ['virtio', 'virtio-transitional', 'virtio-non-transitional']],
])

/**
 * The units of one disk controller as virDomainDiskDefAssignAddress counts a disk's target name (index → controller,
 * unit): IDE 4 (two buses of two), SATA 6, floppy 2, SCSI 7 — QEMU's domains have the narrow SCSI bus
 * (SCSI_NARROW_BUS_MAX_CONT_UNIT; its driver does not set VIR_DOMAIN_DEF_FEATURE_WIDE_SCSI). The same in libvirt 9.0 and 11.3.
 */
export const driveUnitsPerController: Readonly<Record<'ide' | 'sata' | 'fdc' | 'scsi', number>> = { ide: 4, sata: 6, fdc: 2, scsi: 7 }

/**
 * The units a SCSI controller model takes on bus 0, target 0 (virDomainSCSIDriveAddressIsUsed, "taken from QEMU source
 * code"): its last unit, and a unit it reserves; a model not listed has neither. A unit past the last or the reserved one
 * counts as used when libvirt looks for a SCSI host device's free unit. The same in libvirt 9.0 and 11.3.
 */
export const scsiControllerUnits: Readonly<Record<string, { readonly last?: number; readonly reserved?: number }>> = {
  'virtio-scsi': { last: 16383 }, 'virtio-transitional': { last: 16383 }, 'virtio-non-transitional': { last: 16383 },
  ibmvscsi: { last: 31, reserved: 7 }, lsisas1068: { last: 1 }, lsisas1078: { last: 255 },
  lsilogic: { reserved: 7 }, vmpvscsi: { reserved: 7 }, buslogic: { reserved: 7 },
  ncr53c90: { last: 6 }, dc390: { last: 6 }, am53c974: { last: 6 },
}

/**
 * Names libvirt's device parser reads with its own words for a name it does not know (domain_conf.c's VIR_ENUM_IMPLs,
 * the same in libvirt 9.0 and 11.3; a first `default` is no name to it): a character device's target type by device
 * (virDomainChrTargetTypeFromString: a parallel port reads none), a serial port's target model, an input device's
 * type, bus and model (virDomainInputDefParseXML), an `<auth>`'s type, a backing store's type and format
 * (virDomainDiskBackingStoreParse, virDomainStorageSourceParseBase).
 */
export const deviceNames = {
  chrTargetTypes: new Map<string, readonly string[]>([
    ['serial', ['none', 'isa-serial', 'usb-serial', 'pci-serial', 'spapr-vio-serial', 'system-serial', 'sclp-serial', 'isa-debug']],
    ['channel', ['none', 'guestfwd', 'virtio', 'xen']],
    ['console', ['none', 'serial', 'xen', 'uml', 'virtio', 'lxc', 'openvz', 'sclp', 'sclplm']],
  ]),
  serialTargetModels: ['none', 'isa-serial', 'usb-serial', 'pci-serial', 'spapr-vty', 'pl011', 'sclpconsole', 'sclplmconsole', '16550a', 'isa-debugcon'],
  inputTypes: ['mouse', 'tablet', 'keyboard', 'passthrough', 'evdev'],
  inputBuses: ['ps2', 'usb', 'xen', 'parallels', 'virtio', 'none'],
  inputModels: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
  /** The character devices: `<devices>` children whose parser is virDomainChrDefParseXML (virDomainChrDeviceType). */
  chrKinds: ['parallel', 'serial', 'console', 'channel'] as readonly string[],
  /** A character device's source types (virDomainChr: a serial port's, an EGD random number generator's backend…). */
  chrTypes: ['null', 'vc', 'pty', 'dev', 'file', 'pipe', 'stdio', 'udp', 'tcp', 'unix', 'spicevmc', 'spiceport', 'nmdm', 'qemu-vdagent', 'dbus'],
  /** The NIC models libvirt counts as virtio (virDomainNetIsVirtioModel): their <driver> settings are virtio-net's. */
  virtioNetModels: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
  /** virDomainVideo (9.0 and 11.3; `default` its 0). */
  videoModels: ['default', 'vga', 'cirrus', 'vmvga', 'xen', 'vbox', 'qxl', 'parallels', 'virtio', 'gop', 'none', 'bochs', 'ramfb'],
  /** A random number generator's models and backends (virDomainRNGModel, virDomainRNGBackend). */
  rngModels: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
  rngBackends: ['random', 'egd', 'builtin'],
  /**
   * What a display does with connected clients when its password changes (virDomainGraphicsAuthConnected, without its
   * 0, `default`, which virDomainGraphicsAuthDefParseXML refuses as unknown; a VNC server takes `keep` alone).
   */
  graphicsConnected: ['fail', 'disconnect', 'keep'] as readonly string[],
  /** An `<auth>`'s own types (virStorageAuthType: virStorageAuthDefParse, shared with storage pools). */
  authTypes: ['none', 'chap', 'ceph'],
  /** A storage source's types (virStorage, without its first `none`; `vhostvdpa` is libvirt 11's) and formats (virStorageFileFormat). */
  storageTypes: ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'],
  storageFormats: ['raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk'],
  /** A storage source's encryption formats (virStorageEncryptionFormat; `luks-any` is libvirt 11's). */
  encryptionFormats: ['default', 'qcow', 'luks', 'luks2', 'luks-any'],
  /** An encryption's secret types (virStorageEncryptionSecretType, 9.0 and 11.3). */
  encryptionSecretTypes: ['passphrase'],
  /** A watchdog's models (virDomainWatchdogModel; `itco` is libvirt 11's). */
  watchdogModels: ['i6300esb', 'ib700', 'diag288', 'itco'],
  /** A watchdog's actions (virDomainWatchdogAction). */
  watchdogActions: ['reset', 'shutdown', 'poweroff', 'pause', 'dump', 'none', 'inject-nmi'],
  /** A TCP character device's protocols (virDomainChrTcpProtocol). */
  chrTcpProtocols: ['raw', 'telnet', 'telnets', 'tls'],
  /** A host device's types by mode (virDomainHostdevSubsysType, virDomainHostdevCapsType). */
  hostdevSubsysTypes: ['usb', 'pci', 'scsi', 'scsi_host', 'mdev'],
  hostdevCapsTypes: ['storage', 'misc', 'net'],
  /** A SCSI host device's source protocols (virDomainHostdevSubsysSCSIProtocol, 9.0 and 11.3). */
  hostdevScsiProtocols: ['adapter', 'iscsi'],
  // (the PCR banks an emulated TPM activates, virDomainTPMPcrBank)
  tpmPcrBanks: ['sha1', 'sha256', 'sha384', 'sha512'],
  /**
   * A filesystem's space limits, in the order virDomainFSDefParseXML reads them (scaled values, bytes by default, at most
   * 2^64 - 1 bytes; stored in bytes, 0 as none) and virDomainFSDefFormat writes them, after the device information.
   */
  filesystemSpaceLimits: ['space_hard_limit', 'space_soft_limit'],
  /** A sound device's codec types (virDomainSoundCodec, the same in 9.0 and 11.3). */
  soundCodecTypes: ['duplex', 'micro', 'output'],
  /** A virtual port's types (virNetDevVPortProfile, without its first `none`). */
  virtualPortTypes: ['802.1Qbg', '802.1Qbh', 'openvswitch', 'midonet'],
} as const

/**
 * A NIC's `<virtualport>` as virNetDevVPortProfileParse checks it (the same in 9.0 and 11.3). `strictInterfaceTypes`: the
 * interface types whose port must be complete (virDomainNetDefParseXML passes VIR_VPORT_XML_REQUIRE_TYPE and
 * …REQUIRE_ALL_ATTRIBUTES for a bridge, a macvtap device and a host device; a virtual network's port may be either);
 * `required`: the `<parameters>` a complete port of each type has (virNetDevVPortProfileCheckComplete, in its order — an
 * 802.1Qbg port's instance ID and an Open vSwitch port's interface ID are made up at random when missing; `missing
 * managerid in <virtualport type='802.1Qbg'>`); `extra`: those a port of each type may not have, whatever the interface
 * (virNetDevVPortProfileCheckNoExtras, in its order; `extra managerid unsupported in <virtualport type='openvswitch'>`).
 * An empty profile ID is none (`profileID[0]`). `written`: the `<parameters>` virNetDevVPortProfileFormat writes back for a
 * port of each type (`none`: of no type) — a MidoNet port's profile ID, read and not refused, is not written (libvirtd 9.0).
 */
export const virtualPortParameters = {
  strictInterfaceTypes: ['bridge', 'direct', 'hostdev'],
  required: { '802.1Qbg': ['managerid', 'typeid', 'typeidversion'], '802.1Qbh': ['profileid'], openvswitch: [], midonet: ['interfaceid'] },
  extra: {
    '802.1Qbg': ['profileid', 'interfaceid'],
    '802.1Qbh': ['managerid', 'typeid', 'typeidversion', 'instanceid', 'interfaceid'],
    openvswitch: ['managerid', 'typeid', 'typeidversion', 'instanceid'],
    midonet: [],
  },
  written: {
    none: ['managerid', 'typeid', 'typeidversion', 'instanceid', 'interfaceid', 'profileid'],
    '802.1Qbg': ['managerid', 'typeid', 'typeidversion', 'instanceid'], '802.1Qbh': ['profileid'], openvswitch: ['interfaceid', 'profileid'], midonet: ['interfaceid'],
  },
} as const satisfies { strictInterfaceTypes: readonly string[]; required: Record<string, readonly string[]>; extra: Record<string, readonly string[]>; written: Record<string, readonly string[]> }

/**
 * The largest value of each `<bandwidth>` rate's attribute libvirt 11 takes (virNetDevBandwidthRateValidate, called by
 * 11.3's virDomainNetDefValidate; limits "taken straight from 'tc' sources"): average, peak and floor up to 2^54, a burst
 * up to UINT_MAX >> 10, in that order, each rate inbound then outbound — `value '4194304' is too big for 'burst'
 * parameter, maximum is '4194303'`. libvirt 9.0 checks none (probes h45-bw-in-avg-big, h45-bw-in-floor-big: 2^64 - 1
 * stored by libvirtd 9.0).
 */
export const bandwidthRateLimits11: readonly (readonly [attribute: 'average' | 'peak' | 'burst' | 'floor', limit: bigint])[] = [
  ['average', 1n << 54n], ['peak', 1n << 54n], ['burst', 4294967295n >> 10n], ['floor', 1n << 54n],
]

/** libvirt 9.0's disk types, encryption formats and watchdog models: `vhostvdpa`, `luks-any` and `itco` came with 11. */
export const storageTypes9: readonly string[] = deviceNames.storageTypes.filter((t) => t !== 'vhostvdpa')
export const encryptionFormats9: readonly string[] = deviceNames.encryptionFormats.filter((f) => f !== 'luks-any')
export const watchdogModels9: readonly string[] = deviceNames.watchdogModels.filter((m) => m !== 'itco')

/**
 * The number a character device's target type is to libvirt (its place in the device's own enumeration,
 * virDomainChrTargetTypeFromString): 0 for a parallel port (it reads none) and for a serial port or console without one
 * (virDomainChrDefaultTargetType); `undefined` for a channel without one or a name the device does not know (both
 * refused). libvirt compares this number across devices: a spicevmc source passes where it equals the channel's
 * `virtio` (virDomainChrDefParseXML) — a serial port's `usb-serial`, a console's `xen`.
 */
export function chrTargetTypeNumber(kind: string, targetType: string | undefined): number | undefined {
  if (kind === 'parallel') return 0
  const names = deviceNames.chrTargetTypes.get(kind)
  if (names === undefined) return undefined
  if (targetType === undefined) return kind === 'channel' ? undefined : 0
  const i = names.indexOf(targetType)
  return i < 0 ? undefined : i
}

/**
 * The attributes of a channel's `<target>` libvirt reads, by the target's type (virDomainChrDefParseTargetXML): a guest
 * forwarding channel's address and port, a virtio or Xen channel's name (a virtio one's state in live XML alone, which
 * `dumpxml --inactive` does not write); nothing else, whatever is written (`port` on a virtio channel, `name` on a
 * guestfwd one — dropped, seen on libvirtd 9.0; the same in 11.3). Keyed by target type, `type` itself not listed.
 */
export const channelTargetAttributes: ReadonlyMap<string, readonly string[]> = new Map([
  ['none', []],
  ['guestfwd', ['address', 'port']],
  ['virtio', ['name', 'state']],
  ['xen', ['name']],
])

/**
 * A guest forwarding channel's port as libvirt stores it: read as an unsigned int, then set into the socket address's
 * 16-bit port (virSocketAddrSetPort: `htons`), so it wraps — `70000` is stored `4464`, `65536` is `0` (libvirtd 9.0;
 * 11.3 the same).
 */
export function guestfwdPortStored(port: bigint | number): number {
  return Number(BigInt(port) & 0xffffn)
}

/**
 * Where a character device's `<source>` keeps its `<seclabel>`s: libvirt reads them (virDomainChrSourceDefParseXML, from
 * the first `<source>`) for a serial or parallel port, a console and a channel alone — not for an EGD RNG backend, a
 * passthrough smartcard or a redirected USB device, which parse the same source without a device to label —, checks
 * them against the domain's labels whatever the source type (virDomainChrSourceDefValidate), and writes them
 * (virDomainChrSourceDefFormat) only beside a file, device or pipe path or a UNIX socket's path: a pty's path is live
 * state, so an inactive definition writes no `<source>` for it; a TCP, UDP, SPICE or D-Bus source writes none (seen on
 * libvirtd 9.0; the same in 11.3).
 */
export const chrSourceLabels = {
  readBy: ['serial', 'parallel', 'console', 'channel'] as readonly string[],
  writtenFor: ['dev', 'file', 'pipe', 'unix'] as readonly string[],
} as const

/**
 * What libvirt compares of two character device sources to call them the same (virDomainChrSourceDefIsEqual), by source
 * type: a first serial console whose source is the first serial port's stays — validated, its labels too — where
 * another is replaced by a stub (virDomainDefAddConsoleCompat). Names: a `<source>` attribute (`mode`: bind or connect,
 * connect when not written), `protocol` (the TCP protocol, raw when not written), `reconnect` (enabled and timeout),
 * `bind`/`connect` (a UDP end's host and service), the QEMU vdagent's `clipboard` and `mouse`. A pty's path is not read
 * into an inactive definition: two ptys are the same. Labels and `<log>` are not compared.
 */
export const chrSourceCompared: Readonly<Record<string, readonly string[]>> = {
  file: ['path', 'append'], pty: [], dev: ['path'], pipe: ['path'], nmdm: ['master', 'slave'], udp: ['bind', 'connect'],
  tcp: ['mode', 'protocol', 'host', 'service', 'reconnect'], unix: ['mode', 'path', 'reconnect'], spiceport: ['channel'],
  spicevmc: [], 'qemu-vdagent': ['clipboard', 'mouse'], dbus: ['channel'], null: [], vc: [], stdio: [],
}

/**
 * A serial port's target model and type, both ways: the type each model needs (qemuValidateChrSerialTargetModelToTargetType:
 * a model with another type is refused) and the model post-parse gives a port of each type that names none
 * (qemuDomainChrDefPostParse; a `system-serial` port's is the machine's: PL011 on ARM virt, 16550A on RISC-V virt).
 */
export const serialTargetModelTypes: Readonly<Record<string, string>> = {
  'isa-serial': 'isa-serial', 'usb-serial': 'usb-serial', 'pci-serial': 'pci-serial', 'spapr-vty': 'spapr-vio-serial', pl011: 'system-serial',
  sclpconsole: 'sclp-serial', sclplmconsole: 'sclp-serial', '16550a': 'system-serial', 'isa-debugcon': 'isa-debug',
}
export const serialTargetDefaultModels: Readonly<Record<string, string>> = {
  'isa-serial': 'isa-serial', 'usb-serial': 'usb-serial', 'pci-serial': 'pci-serial', 'spapr-vio-serial': 'spapr-vty', 'sclp-serial': 'sclpconsole', 'isa-debug': 'isa-debugcon',
}
/** A `system-serial` port's model when none is written, by machine family (qemuDomainChrDefPostParse; elsewhere none). */
export const systemSerialDefaultModels: Readonly<Partial<Record<MachineFamily, string>>> = { 'arm-virt': 'pl011', 'riscv-virt': '16550a', 'loongarch-virt': '16550a' }

/**
 * The address type a serial port's target type plugs into (qemuValidateChrSerialTargetTypeToAddressType): a port
 * with another address is refused (`Target type 'isa-serial' requires address type 'isa'`); `none`: the port takes
 * no address at all (`Target type 'system-serial' cannot have an associated address`). Checked after post-parse,
 * which gives a `spapr-vio-serial` port a spapr-vio address whatever was written (qemuDomainAssignSpaprVIOAddresses).
 */
export const serialTargetAddressTypes: Readonly<Record<string, string>> = {
  'isa-serial': 'isa', 'isa-debug': 'isa', 'usb-serial': 'usb', 'pci-serial': 'pci', 'spapr-vio-serial': 'spapr-vio', 'system-serial': 'none', 'sclp-serial': 'none',
}

/**
 * Where a machine-bound serial target type or model may stand (qemuValidateDomainChrDef, once the target type and
 * model agree): machine families, or `s390` for any s390 architecture (ARCH_IS_S390). Anywhere else libvirt refuses
 * the port: `Serial device with target type 'sclp-serial' and target model 'sclpconsole' not compatible with guest
 * architecture or machine type`. The 16550A's LoongArch board is libvirt 11's (9.0 knows no LoongArch).
 */
export const serialTargetHomes: {
  readonly types: Readonly<Record<string, readonly SerialTargetHome[]>>
  readonly models: Readonly<Record<string, readonly SerialTargetHome[]>>
} = {
  types: { 'spapr-vio-serial': ['pseries'], 'sclp-serial': ['s390'] },
  models: { 'spapr-vty': ['pseries'], sclpconsole: ['s390'], sclplmconsole: ['s390'], pl011: ['arm-virt'], '16550a': ['riscv-virt', 'loongarch-virt'] },
}
/** A machine family, or `s390`: every machine of an s390 architecture. */
export type SerialTargetHome = MachineFamily | 's390'

/** Whether a serial port of this target type and model (as post-parse left them) fits the machine (serialTargetHomes). */
export function serialTargetFits(type: string | undefined, model: string | undefined, machine: string, arch: string): boolean {
  const family = machineFamily(machine, arch)
  const fits = (homes: readonly SerialTargetHome[] | undefined): boolean =>
    homes === undefined || homes.some((h) => h === family || (h === 's390' && (arch === 's390' || arch === 's390x')))
  return fits(type === undefined ? undefined : serialTargetHomes.types[type]) && fits(model === undefined ? undefined : serialTargetHomes.models[model])
}

/**
 * The kinds of device qemuDomainAssignSpaprVIOAddresses walks, in its order: NICs, controllers, serial ports, the NVRAM and
 * TPMs — each given its kind's default register when it has none, and each register written checked against every other
 * device's ("spapr-vio address 0x5000 already in use": a TPM's against a balloon's, libvirtd 9.0). Other devices may
 * share a register between them (a balloon and an RNG: libvirtd 9.0 takes them).
 */
export const spaprVioAssignedKinds: readonly string[] = ['interface', 'controller', 'serial', 'nvram', 'tpm']

/**
 * The sPAPR VIO register libvirt reads from an address of another type. Its post-parse makes some devices' addresses
 * sPAPR VIO whatever type was written (qemuDomainAssignSpaprVIOAddresses: a spapr-vlan NIC, an ibmvscsi controller and
 * a spapr-vio-serial port on any machine, the NVRAM and every TPM but the proxy on pSeries) by changing the address's
 * type alone. The address is a C union, so the register is what lies in its first two 32-bit fields (low word first:
 * a little-endian host, as libvirt's test host and x86_64 hosts are) and whether one was given is the low byte of the
 * third; not given, the device takes the next free register from its kind's base. For each address type: its fields
 * in that order (attribute, the base libvirt reads it in; a USB port's first and second numbers of `port='1.2'`), a gap
 * where the union has padding.
 */
export const spaprVioOverlays: Readonly<Record<string, readonly (readonly [attribute: string, base: 0 | 10 | 16] | undefined)[]>> = {
  pci: [['domain', 0], ['bus', 0], ['slot', 0]],
  drive: [['controller', 10], ['bus', 10], ['target', 10]],
  'virtio-serial': [['controller', 10], ['bus', 10], ['port', 10]],
  ccid: [['controller', 10], ['slot', 10]],
  usb: [['bus', 10], ['port', 10], ['port', 10]],
  isa: [['iobase', 16], ['irq', 16]],
  ccw: [['cssid', 0], ['ssid', 0], ['devno', 0]],
  dimm: [['slot', 10], undefined, ['base', 16]],
}

/**
 * What an address of any type holds in the device information union's first four 32-bit words (virDomainDeviceInfo's
 * `addr`, on a little-endian host): each type's fields in their struct's order — a PCI address's domain, bus, slot and
 * function; a drive address's controller, bus, target and unit; a virtio-serial one's controller, bus and port; a CCID
 * one's controller and slot; a USB one's bus and first three port numbers; an ISA one's iobase and irq; a CCW one's
 * cssid, ssid, devno and whether all three were written (`assigned`, its low byte); a DIMM one's slot, padding and base
 * (low word first); a sPAPR VIO register (low word first) and whether one was given —, 0 where the type holds nothing
 * (virtio-mmio, unassigned). The numbers are the ones the parser accepted. libvirt reads a SCSI host device's address as
 * a drive address whatever its type: virDomainDefMaybeAddHostdevSCSIcontroller its controller (an ISA iobase of 0x300 is
 * controller 768, so SCSI controllers 0 to 768 are added — probe h40-v-scsi-ga-isa) and virDomainHostdevDefPostParse
 * the four, against the SCSI disks' (`<address type='virtio-mmio'/>` is 0:0:0:0, "in use by a SCSI disk" sda — probe
 * h40-u-mmio, libvirtd 9.0).
 */
export function addressUnionWords(type: string, attributes: Readonly<Record<string, string>>): readonly [number, number, number, number] {
  const read = (attribute: string, base: 0 | 10 | 16): number => {
    const text = attributes[attribute]
    const found = text === undefined ? undefined : readCInteger(text, base)
    return found === undefined || found.negative ? 0 : found.magnitude
  }
  // (an unsigned long long in base 16, as two words: low first)
  const words64 = (attribute: string): [number, number] => {
    const hex = attributes[attribute] === undefined ? null : /^[\t\n\v\f\r ]*\+?(?:0[xX])?([0-9a-fA-F]+)$/.exec(attributes[attribute]!)
    const value = hex === null ? 0n : BigInt(`0x${hex[1]!}`) & 0xffffffffffffffffn
    return [Number(value & 0xffffffffn), Number(value >> 32n)]
  }
  switch (type) {
    case 'pci': return [read('domain', 0), read('bus', 0), read('slot', 0), read('function', 0)]
    case 'drive': return [read('controller', 10), read('bus', 10), read('target', 10), read('unit', 10)]
    case 'virtio-serial': return [read('controller', 10), read('bus', 10), read('port', 10), 0]
    case 'ccid': return [read('controller', 10), read('slot', 10), 0, 0]
    case 'usb': {
      const ports = (attributes.port ?? '').split('.').map((p) => { const found = p === '' ? undefined : readCInteger(p, 10); return found === undefined || found.negative ? 0 : found.magnitude })
      return [read('bus', 10), ports[0] ?? 0, ports[1] ?? 0, ports[2] ?? 0]
    }
    case 'isa': return [read('iobase', 16), read('irq', 16), 0, 0]
    // (`assigned` when all three are written, whatever their values: virCCWDeviceAddressParseXML tests what
    // virXMLPropUInt returned — `<address type='ccw' cssid='0x0' ssid='0x0' devno='0x0000'/>` is 0:0:0:1, probe h40-u-ccw)
    case 'ccw': return [read('cssid', 0), read('ssid', 0), read('devno', 0), ['cssid', 'ssid', 'devno'].every((a) => attributes[a] !== undefined) ? 1 : 0]
    case 'dimm': { const [low, high] = words64('base'); return [read('slot', 10), 0, low, high] }
    case 'spapr-vio': { const [low, high] = words64('reg'); return [low, high, attributes.reg === undefined ? 0 : 1, 0] }
    default: return [0, 0, 0, 0]
  }
}

/** The first of addressUnionWords: what virDomainDefMaybeAddHostdevSCSIcontroller reads as a SCSI host device's controller. */
export function addressFirstWord(type: string, attributes: Readonly<Record<string, string>>): number {
  return addressUnionWords(type, attributes)[0]
}

/**
 * The largest channel subsystem ID, subchannel set ID and device number a CCW address may hold (VIR_CCW_DEVICE_MAX_CSSID,
 * _SSID, _DEVNO in virccw.h; virCCWDeviceAddressIsValid, which virDomainDeviceCCWAddressParseXML asks before it looks at
 * what was written — a missing value is 0 — and the same in libvirt 11.3).
 */
export const ccwAddressLimits = { cssid: 254, ssid: 3, devno: 0xffff } as const

/**
 * The register an address of another type becomes when libvirt makes it sPAPR VIO (spaprVioOverlays), or `undefined`
 * when it reads as none given. The numbers are the ones the parser accepted (a value it refuses never gets here).
 */
export function spaprVioRegisterFrom(type: string, attributes: Readonly<Record<string, string>>): bigint | undefined {
  const fields = spaprVioOverlays[type]
  if (fields === undefined) return undefined
  const words = fields.map((field, i) => {
    if (field === undefined) return 0n
    const [attribute, base] = field
    let text = attributes[attribute]
    // (a USB port is read number by number: `1.2` is port[0] = 1, port[1] = 2)
    if (type === 'usb' && attribute === 'port') text = text?.split('.')[i - 1]
    if (text === undefined) return 0n
    const found = readCInteger(text, base)
    return found === undefined || found.negative ? 0n : BigInt(found.magnitude)
  })
  if (((words[2] ?? 0n) & 0xffn) === 0n) return undefined
  return ((words[0] ?? 0n) & 0xffffffffn) | (((words[1] ?? 0n) & 0xffffffffn) << 32n)
}

/**
 * The controller models virDomainControllerDefPostParse lets an `iothread` through with, by controller type: it compares
 * the model's number with virtio-scsi's three whatever the type, so the USB and PCI models of those numbers pass too
 * (libvirt 9.0's enumerations; the QEMU driver refuses those later in its own words: "'iothread' is only supported for
 * virtio-scsi controller"). Any other model, or none, is refused at post-parse.
 */
export const iothreadPostParseModels: Readonly<Record<string, readonly string[]>> = {
  scsi: ['virtio-scsi', 'virtio-transitional', 'virtio-non-transitional'],
  usb: ['ich9-uhci3', 'pci-ohci', 'nec-xhci'],
  pci: ['pcie-switch-upstream-port', 'pci-expander-bus', 'pcie-expander-bus'],
}

/** The host TPM a passthrough TPM uses when its `<device path>` is left out or empty (VIR_DOMAIN_TPM_DEFAULT_DEVICE). */
export const tpmPassthroughDefaultPath = '/dev/tpm0'
