// What libvirt can read where, from its RelaxNG schema (tabulated by tools/schema-attributes.ts into
// schema-elements.ts): libvirt's parser looks up the elements and attributes it knows and never sees the others, and its
// formatter writes only what it read — every document it writes is valid against its schema (its tests check that) —
// so an element or attribute the schema does not take where it stands is one `virsh define` drops. The table is keyed
// by the element's grandparent, parent and own name, the union over the schema's contexts of that ending: it can keep
// what one context does not take (a `bridge` on a network interface's `<source>`), never drop what some context takes.
import { schemaAttributeSets, schemaElements } from './schema-elements.ts'
import { deviceNames } from './devices.ts'

/** What the schema takes at one element. */
export interface SchemaPlace {
  /** The attributes it may carry (any: an extension point). */
  readonly attributes: ReadonlySet<string> | 'any'
  /** Whether any element may stand below it (`<metadata>`: the application's own). */
  readonly anyChild: boolean
  /** Whether it holds text (libvirt reads its text: a `<loader>`'s path, a CPU `<model>`'s name). */
  readonly text: boolean
  /**
   * Whether it may stand more than once below its parent (`<boot>` in `<os>`, a `<feature>` in `<cpu>`): where it may not,
   * libvirt's parser reads the first (`virXPathNode`, `string(./x[1])`) and its formatter writes that one alone.
   */
  readonly repeats: boolean
  /** The elements the schema takes below it, by name (of the same release). */
  readonly children: ReadonlyMap<string, SchemaPlace>
}

const noChildren: ReadonlyMap<string, SchemaPlace> = new Map()

/** libvirt 11.3's place of `<domain>` and 9.0's, read from the table once each, when first asked. */
const roots: [SchemaPlace | undefined, SchemaPlace | undefined] = [undefined, undefined]

/** The places of one release (0: the newest column, 1: the older), linked: a place's children are its group's. */
function readTable(column: 0 | 1): SchemaPlace {
  const sets = schemaAttributeSets.split('|').map((s): ReadonlySet<string> | 'any' => (s === '*' ? 'any' : new Set(s === '' ? [] : s.split(' '))))
  // (`grandparent/parent` → the places below that pair, by name)
  const groups = new Map<string, Map<string, SchemaPlace>>()
  const linked: [SchemaPlace, string][] = []
  for (const [, pair, body] of schemaElements.matchAll(/([^{}]*)\{([^}]*)\}/g)) {
    const into = new Map<string, SchemaPlace>()
    groups.set(pair!, into)
    const parent = pair!.slice(pair!.indexOf('/') + 1)
    for (const entry of body!.split(' ')) {
      const [name, forms] = entry.split(':') as [string, string]
      const both = forms.split(',')
      const form = both[column] ?? both[0]!
      if (form === '') continue
      const place: SchemaPlace = { attributes: sets[Number.parseInt(form, 10)]!, anyChild: form.includes('+'), text: form.includes('~'), repeats: form.includes('*'), children: noChildren }
      into.set(name, place)
      linked.push([place, `${parent}/${name}`])
    }
  }
  // (the device information libvirt's parser reads on every device that has it, where the schema leaves it out: see
  // deviceInfoReaders — each in the place the schema gives it on a device that takes it)
  for (const info of deviceInfoChildren) {
    const place = [...groups.entries()].find(([pair, into]) => pair.startsWith('devices/') && into.has(info))?.[1].get(info)
    if (place === undefined) continue
    for (const device of deviceInfoReaders) {
      const into = groups.get(`devices/${device}`)
      if (into !== undefined && !into.has(info)) into.set(info, place)
    }
  }
  // (linked once all are read: the places below one are those of the group of its parent and its own name)
  for (const [place, pair] of linked) (place as { children: ReadonlyMap<string, SchemaPlace> }).children = groups.get(pair) ?? noChildren
  return groups.get('/')!.get('domain')!
}

/**
 * The devices whose parser reads the device information (virDomainDeviceInfoParseXML: a user alias, a USB companion's
 * `<master>`, an ACPI index, an address — `<boot>` and `<rom>` only where the parser is told to), in libvirt 9.0's and
 * 11.3's src/conf alike, and its formatter writes it back (virDomainDeviceInfoFormat) for every one of them. The schema
 * takes a `<master>` on a controller alone, an alias not on a smartcard: `virsh define` does not validate, and keeps them.
 */
const deviceInfoReaders: readonly string[] = [
  'disk', 'controller', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel', 'console', 'channel', 'input', 'sound', 'video',
  'hostdev', 'watchdog', 'memballoon', 'rng', 'crypto', 'tpm', 'nvram', 'hub', 'redirdev', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'pstore',
]
const deviceInfoChildren: readonly string[] = ['alias', 'master', 'acpi', 'address']

/** libvirt's schema's place for `<domain>` in the release of `libvirtVersion` (libvirt's encoding: below 11.0.0 libvirt 9.0's schema, else 11.3's). */
export function schemaRoot(libvirtVersion: number): SchemaPlace {
  const column = libvirtVersion < 11_000_000 ? 1 : 0
  return (roots[column] ??= readTable(column))
}

/**
 * What libvirt's schema takes at the element a path of names reaches from `<domain>` (`['devices', 'disk', 'driver']`;
 * empty: `<domain>` itself), in the release of `libvirtVersion` (see schemaRoot); `undefined` when no such element
 * stands there in that release.
 */
export function schemaPlace(path: readonly string[], libvirtVersion: number): SchemaPlace | undefined {
  let place: SchemaPlace | undefined = schemaRoot(libvirtVersion)
  for (const name of path) place = place?.children.get(name)
  return place
}

/** Where a type decides what an element reads: the element's parent and grandparent names (undefined: any), whose attribute names the type, and the attributes read for each. */
export interface AttributesByType {
  /** The parent's names (undefined: any). */
  readonly parent?: readonly string[]
  readonly grandparent?: string
  /** The element holding the attribute that names the type: the element itself, its parent or its grandparent. */
  readonly typeOf: 'grandparent' | 'parent' | 'self'
  /** That attribute (`type`, `mode`, `model`) — or, with `byText`, the child element whose text names the type (`<os><type>`). */
  readonly by: string
  /** `by` names a child element, whose text (the first of that name) is the type. */
  readonly byText?: true
  /** The type when that attribute is not written. */
  readonly absent: string
  /** The attributes read for each type (a type not listed is left to what refuses it). */
  readonly sets: ReadonlyMap<string, ReadonlySet<string>>
}

/** The character device types (virDomainChrType), for what every one of them reads alike. */
const chrTypes: readonly string[] = deviceNames.chrTypes

const setsOf = (table: Readonly<Record<string, readonly string[]>>, always: readonly string[]): ReadonlyMap<string, ReadonlySet<string>> => new Map(Object.entries(table).map(([type, names]) => [type, new Set([...names, ...always])]))

/**
 * The attribute of a filesystem's `<source>` that is its source, by the filesystem's type (virDomainFSDefParseXML: a
 * directory, a file, a block device, a template name; a RAM filesystem's is a size, a volume's its pool and volume).
 */
export const filesystemSourceAttributes: Readonly<Record<string, string>> = { mount: 'dir', bind: 'dir', file: 'file', block: 'dev', template: 'name' }

/** A character device source's attributes by its type (virDomainChrSourceDefParseXML), for attributesByType. */
const chrSourceAttributeSets = setsOf({
  file: ['path', 'append'], dev: ['path'], pipe: ['path'], unix: ['mode', 'path'], udp: ['mode', 'host', 'service'],
  tcp: ['mode', 'host', 'service', 'tls'], spiceport: ['channel'], dbus: ['channel'], nmdm: ['master', 'slave'], 'qemu-vdagent': [],
  null: [], vc: [], stdio: [], spicevmc: [], pty: ['path'],
}, [])

/** Where a disk's source stands and what names its type (the disk's, a backing store's): for attributesByType and childrenByType. */
const diskSource = { parent: ['disk'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'file' } as const
const backingStoreSource = { parent: ['backingStore'], typeOf: 'parent', by: 'type', absent: 'file' } as const

/** An audio input's or output's attributes by the audio type (virDomainAudioCommonParse and each backend's parser). */
const audioIoAttributes = setsOf({
  none: [], alsa: ['dev'], coreaudio: ['bufferCount'], jack: ['serverName', 'clientName', 'connectPorts', 'exactName'],
  oss: ['dev', 'tryPoll', 'bufferCount'], pulseaudio: ['name', 'streamName', 'latency'], sdl: ['bufferCount'], spice: [], file: [], dbus: [],
  pipewire: ['name', 'streamName', 'latency'],
}, ['mixingEngine', 'fixedSettings', 'voices', 'bufferLength'])

/** A storage source's attributes by its type (virDomainStorageSourceParse). */
const storageSourceTypeAttributes: Readonly<Record<string, readonly string[]>> = {
  file: ['file', 'fdgroup'], block: ['dev'], dir: ['dir'], network: ['protocol', 'name', 'tls', 'tlsHostname', 'query'],
  volume: ['pool', 'volume', 'mode'], nvme: ['type', 'namespace', 'managed'], vhostuser: ['type', 'path'], vhostvdpa: ['dev'],
}
/** A disk source's attributes by the disk's (or backing store's) type: the storage source's and its startup policy. */
const diskSourceAttributes = setsOf(storageSourceTypeAttributes, ['startupPolicy'])

/**
 * Attributes libvirt reads by a type the schema's union cannot tell apart, by element name: a disk's `<source>` by the
 * disk's type (virDomainStorageSourceParse; `startupPolicy` for every type, virDomainDiskDefParseXML; `index` only from
 * a running domain's status), a device's `<address>` by its own type (virDomainDeviceAddressParseXML), a smartcard by
 * its mode (a passthrough one's character device `type`), an RNG backend by its model (an EGD one's `type`), a character
 * device's `<source>` by the device's type (virDomainChrSourceDefParseXML), an interface's by the interface's, a host
 * device's source address by the host device's. Read in
 * libvirt 9.0's and 11.3's src/conf (the same in both; vhostvdpa from 11.3 — 9.0 refuses that disk type). An attribute
 * outside its type's set is not read, and so not written back.
 */
export const attributesByType: ReadonlyMap<string, readonly AttributesByType[]> = new Map<string, readonly AttributesByType[]>([
  ['source', [{
    ...diskSource, sets: diskSourceAttributes,
  }, {
    // (a backing store's source likewise, by the backing store's type: virDomainDiskBackingStoreParse)
    ...backingStoreSource, sets: diskSourceAttributes,
  }, {
    // (a firmware NVRAM's source by the `<nvram>`'s type, read as a storage source: virDomainLoaderDefParseXMLNvram — no
    // startup policy there; an `<nvram>` without a type is a path in its text, and its source is not read at all)
    parent: ['nvram'], grandparent: 'os', typeOf: 'parent', by: 'type', absent: '', sets: setsOf(storageSourceTypeAttributes, []),
  }, {
    // (virDomainChrSourceDefParseXML; a pty's path, read only from a running domain's status, is the inactive rules' to drop,
    // tlsFromConfig is status only)
    parent: deviceNames.chrKinds, grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'pty', sets: chrSourceAttributeSets,
  }, {
    // (the same reader for a USB redirection's and a passthrough smartcard's source, by their own type, and an EGD random
    // number generator backend's, by the backend's: a spicevmc one's `path` is not read, so not written back — seen on
    // libvirtd 9.0)
    parent: ['redirdev', 'smartcard'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'pty', sets: chrSourceAttributeSets,
  }, {
    parent: ['backend'], grandparent: 'rng', typeOf: 'parent', by: 'type', absent: 'pty', sets: chrSourceAttributeSets,
  }, {
    // (a filesystem's source by the filesystem's type: virDomainFSDefParseXML, the same in 9.0 and 11.3 — a virtiofs daemon's
    // socket whatever the type; `<source dev>` on a mount is not read, so not written back: seen on libvirtd 9.0. A volume's
    // pool and volume, which libvirt reads, are not in the schema's union there: preview keeps what both take)
    parent: ['filesystem'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'mount',
    sets: setsOf({ ...Object.fromEntries(Object.entries(filesystemSourceAttributes).map(([type, name]) => [type, [name]])), ram: ['usage', 'units'], volume: [] }, ['socket']),
  }, {
    // (virDomainNetDefParseXML; a network's `portid`, read only from a running domain's status, is not kept by define;
    // a vhost-user interface's `dev` is libvirt 11's, for a passt backend)
    parent: ['interface'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'user',
    sets: setsOf({
      network: ['network', 'portgroup'], bridge: ['bridge'], direct: ['dev', 'mode'], ethernet: [], vhostuser: ['type', 'path', 'mode', 'dev'],
      vdpa: ['dev'], client: ['address', 'port'], server: ['address', 'port'], mcast: ['address', 'port'], udp: ['address', 'port'],
      user: ['dev'], internal: ['name'], vds: ['switchid', 'portid', 'portgroupid', 'connectionid'], null: [],
      // (a host device interface's source as a host device's: a USB one's startup policy and guest reset, a PCI one's write
      // filtering — virDomainHostdevDefParseXMLSubsys, written back by virDomainHostdevDefFormatSubsys; libvirtd 9.0)
      hostdev: ['startupPolicy', 'guestReset', 'writeFiltering'],
    }, []),
  }, {
    // (a host device's <source> by the host device's type, virDomainHostdevDefParseXMLSubsys: a PCI one's write filtering,
    // a USB one's address assignment and guest reset, a SCSI one's protocol and iSCSI target, a vhost SCSI
    // host's protocol and WWPN; a capabilities one's nothing — `<source protocol='vhost' wwpn='…' name='x'/>` is stored
    // without the name, libvirtd 9.0)
    parent: ['hostdev'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: setsOf({
      pci: ['writeFiltering'], usb: ['autoAddress', 'guestReset'], scsi: ['protocol', 'name'], scsi_host: ['protocol', 'wwpn'], mdev: [],
      storage: [], misc: [], net: [],
      // (and any subsystem device's startup policy, looked for to be refused off USB)
    }, ['startupPolicy']),
  }, {
    // (virDomainInputDefParseXML: a passthrough input's event device, an evdev one's with its grab and repeat settings)
    parent: ['input'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: setsOf({ passthrough: ['evdev'], evdev: ['dev', 'grab', 'grabToggle', 'repeat'], mouse: [], tablet: [], keyboard: [] }, []),
  }]],
  ['clock', [{
    // (virDomainDefClockParse, virDomainClockDefFormat: a UTC or local time clock's adjustment — `reset`, or seconds that make
    // it a variable one —, a variable clock's adjustment and basis (its adjustment0, read too, is written for a running
    // domain only and is not in the schema),
    // a timezone clock's zone, an absolute one's start; seen on libvirtd 9.0: a UTC clock's basis and a timezone clock's
    // adjustment are not written back)
    parent: ['domain'], typeOf: 'self', by: 'offset', absent: 'utc',
    sets: setsOf({ utc: ['adjustment'], localtime: ['adjustment'], variable: ['adjustment', 'basis'], timezone: ['timezone'], absolute: ['start'] }, ['offset']),
  }]],
  ['address', [{
    grandparent: 'devices', typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({
      pci: ['domain', 'bus', 'slot', 'function', 'multifunction'], drive: ['controller', 'bus', 'target', 'unit'],
      'virtio-serial': ['controller', 'bus', 'port'], ccid: ['controller', 'slot'], usb: ['bus', 'port'], 'spapr-vio': ['reg'],
      ccw: ['cssid', 'ssid', 'devno'], isa: ['iobase', 'irq'], dimm: ['slot', 'base'], 'virtio-mmio': [], 'virtio-s390': [], none: [], unassigned: [],
    }, ['type']),
  }, {
    // (a host device's source address, by the host device's type: virPCIDeviceAddressParseXML's numbers as its formatter
    // writes them — and its multifunction switch, read, refused when not on or off, not written: @virtuned/preview drops
    // it —, a USB device's bus and device, a SCSI host adapter's bus, target and unit, a mediated device's UUID)
    parent: ['source'], grandparent: 'hostdev', typeOf: 'grandparent', by: 'type', absent: '',
    sets: setsOf({ pci: ['domain', 'bus', 'slot', 'function', 'multifunction'], usb: ['bus', 'device'], scsi: ['bus', 'target', 'unit'], mdev: ['uuid'] }, []),
  }]],
  // (a display's attributes by its type: virDomainGraphicsDefParseXML's parts — listeners on VNC, RDP and SPICE, a socket on
  // VNC, passwords on VNC and SPICE and, from libvirt 11, RDP, with a user name; what a release's schema lacks stays out)
  ['graphics', [{
    parent: ['devices'], typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({
      vnc: ['port', 'websocket', 'autoport', 'sharePolicy', 'powerControl', 'keymap', 'listen', 'socket', 'passwd', 'passwdValidTo', 'connected', 'username'],
      sdl: ['fullscreen', 'xauth', 'display'], desktop: ['fullscreen', 'display'], 'egl-headless': [], dbus: ['p2p', 'address'],
      rdp: ['port', 'autoport', 'replaceUser', 'multiUser', 'listen', 'passwd', 'passwdValidTo', 'connected', 'username'],
      // (and a SPICE display's `socket`, which virDomainGraphicsListenDefParseXML reads for its first socket listen — the
      // formatter never writes it: probes h40-g-spice-listen6, h40-g-spice-listen7, libvirtd 9.0)
      spice: ['port', 'tlsPort', 'autoport', 'defaultMode', 'keymap', 'listen', 'socket', 'passwd', 'passwdValidTo', 'connected', 'username'],
    }, ['type']),
  }]],
  // (a display's <gl> by the display's type: an SDL display reads its switch alone, virDomainGraphicsDefParseXMLSDL — a
  // render node not read, nor written: probe h40-g-sdl-gl4, libvirtd 9.0 —; egl-headless its render node alone)
  ['gl', [{
    parent: ['graphics'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: setsOf({ sdl: ['enable'], spice: ['enable', 'rendernode'], dbus: ['enable', 'rendernode'], 'egl-headless': ['rendernode'] }, []),
  }]],
  // (an audio input's or output's attributes by the audio type: the common ones, then its backend's)
  ['input', [{
    parent: ['audio'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: audioIoAttributes,
  }]],
  ['output', [{
    parent: ['audio'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: audioIoAttributes,
  }]],
  // (an audio backend's own attributes by its type: virDomainAudioDefParseXML — OSS's, PulseAudio's server, SDL's driver,
  // a file's path, PipeWire's runtime directory in libvirt 11)
  ['audio', [{
    parent: ['devices'], typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({
      none: [], alsa: [], coreaudio: [], jack: [], oss: ['tryMMap', 'exclusive', 'dspPolicy'], pulseaudio: ['serverName'], sdl: ['driver'],
      spice: [], file: ['path'], dbus: [], pipewire: ['runtimeDir'],
    }, ['id', 'type', 'timerPeriod']),
  }]],
  // (a SCSI host device's adapter: its name alone, virDomainHostdevSubsysSCSIHostDefParseXML — the schema's union also
  // takes a storage pool adapter's)
  ['adapter', [{ parent: ['source'], grandparent: 'hostdev', typeOf: 'grandparent', by: 'type', absent: '', sets: setsOf({ scsi: ['name'] }, []) }]],
  ['smartcard', [{ parent: ['devices'], typeOf: 'self', by: 'mode', absent: '', sets: setsOf({ host: [], 'host-certificates': [], passthrough: ['type'] }, ['mode']) }]],
  ['backend', [
    { parent: ['rng'], grandparent: 'devices', typeOf: 'self', by: 'model', absent: '', sets: setsOf({ random: [], egd: ['type'], builtin: [] }, ['model']) },
    // (a TPM's backend, virDomainTPMDefParseXML: an emulator's version, state and (11) debug level alone — a passthrough's or
    // an external one's are not read, so not written back: seen on libvirtd 9.0)
    { parent: ['tpm'], grandparent: 'devices', typeOf: 'self', by: 'type', absent: '', sets: setsOf({ passthrough: [], emulator: ['version', 'persistent_state', 'debug'], external: [] }, ['type']) },
  ]],
])

/** A disk source's children by the disk's (or backing store's) type (virDomainStorageSourceParse). */
const diskSourceChildren = setsOf({
  file: [], block: [], dir: [], volume: [], vhostvdpa: [],
  network: ['host', 'snapshot', 'config', 'ssl', 'cookies', 'readahead', 'timeout', 'initiator', 'identity', 'knownHosts', 'reconnect'],
  nvme: ['address'], vhostuser: ['reconnect'],
}, ['auth', 'encryption', 'reservations', 'slices', 'seclabel', 'dataStore'])

/**
 * A guest's kernel options (virDomainDefParseBootKernelOptions: libvirt 11's shim too — 9.0's schema has none), each
 * read by `virXPathString("string(./os/NAME[1])")`: the first one's string value, an empty one none (not written back —
 * an empty `<root></root>` beside a kernel is dropped, as an empty `<kernel>` is; libvirtd 9.0).
 */
export const osKernelOptions: readonly string[] = ['kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'root']
const kernelOptions = osKernelOptions

/**
 * Child elements libvirt reads by a type the schema's union cannot tell apart, by element name (the same selectors as
 * `attributesByType`; `sets` name children): a disk's `<source>` by the disk's type (virDomainStorageSourceParse —
 * a network source's hosts and protocol settings, an NVMe one's PCI address, a vhost-user one's reconnect; then for every
 * type its auth, encryption, persistent reservations, slices, security labels and, from libvirt 11, data store). A child
 * outside its type's set is not read, and so not written back (`<source file=…><host …/></source>` loses the host:
 * seen on libvirtd 9.0); an interface's `<source>` by the interface's type; a graphics device's settings by its type
 (a VNC display's `<image>` is SPICE's, not read).
 */
export const childrenByType: ReadonlyMap<string, readonly AttributesByType[]> = new Map<string, readonly AttributesByType[]>([
  ['os', [{
    // (virDomainDefParseBootOptions by the OS type, `string(./os/type[1])`: a full virtual machine's kernel options,
    // firmware, loader and NVRAM, ACPI tables and boot settings; a Xen or UML guest's kernel options and loader; a
    // container's init options — the rest not read, so not written back: `<init>` on a QEMU guest is dropped, libvirtd 9.0;
    // the SMBIOS mode for every type, virDomainDefParseXML)
    parent: ['domain'], typeOf: 'self', by: 'type', byText: true, absent: '',
    sets: setsOf({
      hvm: [...kernelOptions, 'firmware', 'loader', 'nvram', 'acpi', 'boot', 'bootmenu', 'bios'],
      xen: [...kernelOptions, 'loader', 'nvram'], xenpvh: [...kernelOptions, 'loader', 'nvram'], uml: [...kernelOptions, 'loader', 'nvram'],
      exe: ['init', 'cmdline', 'initdir', 'inituser', 'initgroup', 'initarg', 'initenv'], linux: [],
    }, ['type', 'smbios']),
  }]],
  ['source', [{
    ...diskSource, sets: diskSourceChildren,
  }, {
    ...backingStoreSource, sets: diskSourceChildren,
  }, {
    // (an interface's `<source>` by the interface's type, virDomainNetDefParseXML: a host device's PCI or USB address, a
    // UDP socket's local end, a vhost-user socket's reconnect; the host side's IP addresses and routes for every type)
    parent: ['interface'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'user',
    sets: setsOf({
      network: [], bridge: [], direct: [], ethernet: [], vdpa: [], client: [], server: [], mcast: [], user: [], internal: [], vds: [], null: [],
      hostdev: ['address', 'vendor', 'product'], udp: ['local'], vhostuser: ['reconnect'],
    }, ['ip', 'route']),
  }, {
    // (a host device's `<source>` by the host device's type, virDomainHostdevDefParseXMLSubsys and …Caps: a PCI device's
    // address, a USB device's vendor, product and address, a SCSI one's adapter and address or, over iSCSI, its host, auth
    // and initiator, a mediated device's address, a SCSI vhost's nothing; a block or character device's path, a network
    // interface's name)
    parent: ['hostdev'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: '',
    sets: setsOf({
      pci: ['address'], usb: ['vendor', 'product', 'address'], scsi: ['adapter', 'address', 'host', 'auth', 'initiator'], scsi_host: [], mdev: ['address'],
      storage: ['block'], misc: ['char'], net: ['interface'],
    }, []),
  }, {
    // (a character device's `<source>` by its type, virDomainChrSourceDefParseXML: a socket's reconnect, the QEMU vdagent's
    // clipboard and mouse; a device label for every type of a serial, parallel, console or channel device — a file's
    // `<reconnect>` is dropped, seen on libvirtd 9.0)
    parent: deviceNames.chrKinds, grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'pty',
    sets: setsOf({ ...Object.fromEntries(chrTypes.map((t) => [t, []])), tcp: ['reconnect'], unix: ['reconnect'], 'qemu-vdagent': ['clipboard', 'mouse'] }, ['seclabel']),
  }, {
    // (a USB redirection's or passthrough smartcard's: the same parser without a device label — the QEMU vdagent's clipboard
    // and mouse kept, virDomainChrSourceDefFormat; probe h51-o-qemu-vdagent-redir-0 on libvirtd 9.0)
    parent: ['redirdev', 'smartcard'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'pty',
    sets: setsOf({ ...Object.fromEntries(chrTypes.map((t) => [t, []])), tcp: ['reconnect'], unix: ['reconnect'], 'qemu-vdagent': ['clipboard', 'mouse'] }, []),
  }, {
    // (a memory device's `<source>` by its model, virDomainMemorySourceDefParseXML: a DIMM's or virtio-mem device's host
    // NUMA nodes and page size, an NVDIMM's path, alignment and persistence, a virtio-pmem device's path, an SGX EPC
    // section's nodes — the same in 9.0 and 11.3; anything else is not read: `<pagesize>` on an NVDIMM is dropped, seen
    // on libvirtd 9.0)
    parent: ['memory'], grandparent: 'devices', typeOf: 'parent', by: 'model', absent: '',
    sets: setsOf({
      dimm: ['nodemask', 'pagesize'], 'virtio-mem': ['nodemask', 'pagesize'], nvdimm: ['path', 'alignsize', 'pmem'], 'virtio-pmem': ['path'], 'sgx-epc': ['nodemask'],
    }, []),
  }]],
  // (a character device's target: only a serial port's reads a `<model>`, virDomainChrDefParseTargetXML — whatever the
  // device's type; a console's, a channel's or a parallel port's reads no child)
  ['target', [{
    parent: ['console', 'channel', 'parallel'], grandparent: 'devices', typeOf: 'parent', by: 'type', absent: 'pty',
    sets: setsOf(Object.fromEntries(chrTypes.map((t) => [t, []])), []),
  }, {
    // (a memory device's target by its model, virDomainMemoryTargetDefParseXML: the size and NUMA node for every model; an
    // NVDIMM's label and read-only switch, a virtio-mem device's block and requested sizes, and from libvirt 11 a
    // virtio-mem or virtio-pmem device's address — anything else is not read: a DIMM's `<requested>` is dropped, seen on
    // libvirtd 9.0 (the stray-element search edit, seed 299))
    parent: ['memory'], grandparent: 'devices', typeOf: 'parent', by: 'model', absent: '',
    sets: setsOf({ dimm: [], 'virtio-mem': ['block', 'requested', 'address'], nvdimm: ['label', 'readonly'], 'virtio-pmem': ['address'], 'sgx-epc': [] }, ['size', 'node']),
  }]],
  // (a host device's children by its type, virDomainHostdevDefParseXML: a PCI one's `<driver>` (its backend,
  // virDomainHostdevDefParseXMLSubsys), a SCSI one's `<readonly/>` and `<shareable/>` — the others' are not read, so not
  // written back: `<hostdev type='pci'><readonly/>`, `<hostdev type='usb'><driver name='vfio'/>` lose them, seen on libvirtd 9.0;
  // a capabilities network device's IP addresses and routes, read from the host device — virDomainHostdevDefParseXMLCaps:
  // probe h40-c-net-ip-bad, libvirtd 9.0)
  ['hostdev', [{
    parent: ['devices'], typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({ pci: ['driver'], usb: [], scsi: ['readonly', 'shareable'], scsi_host: [], mdev: [], storage: [], misc: [], net: ['ip', 'route'] }, ['source', 'teaming', 'boot', 'alias', 'master', 'rom', 'acpi', 'address']),
  }]],
  // (a sound device's codecs, read for the HD audio models alone: virDomainSoundModelSupportsCodecs; its audio backend and
  // device info for every model)
  ['sound', [{
    parent: ['devices'], typeOf: 'self', by: 'model', absent: '',
    sets: setsOf({
      ich6: ['codec'], ich7: [], ich9: ['codec'], sb16: [], es1370: [], pcspk: [], ac97: [], usb: [], 'virtio': [],
    }, ['audio', 'driver', 'alias', 'address', 'acpi', 'boot', 'rom', 'master']),
  }]],
  // (a smartcard's children by its mode, virDomainSmartcardDefParseXML: the certificates and database of a card of host
  // certificates, a passthrough card's character device source, protocol and log — a host card's certificates are not
  // read, so not written back: probe h25-sc-host-certs-ignored, libvirtd 9.0; the device info for every mode)
  ['smartcard', [{
    parent: ['devices'], typeOf: 'self', by: 'mode', absent: '',
    sets: setsOf({ host: [], 'host-certificates': ['certificate', 'database'], passthrough: ['source', 'protocol', 'log'] }, ['alias', 'address', 'acpi', 'boot', 'rom', 'master']),
  }]],
  // (a device's address: a PCI one's `<zpci>` alone, virPCIDeviceAddressParseXML — any other type reads no child, so a
  // `<zpci>` in a CCW address is not written back: the stray-element search edit, seed 760 on s390x, libvirtd 9.0)
  ['address', [{
    grandparent: 'devices', typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({
      pci: ['zpci'], drive: [], 'virtio-serial': [], ccid: [], usb: [], 'spapr-vio': [], ccw: [], isa: [], dimm: [], 'virtio-mmio': [], 'virtio-s390': [], none: [], unassigned: [],
    }, []),
  }]],
  // (a memory device's UUID, read for an NVDIMM alone: virDomainMemoryDefParseXML — `<memory model='dimm'><uuid>` loses
  // it, seen on libvirtd 9.0)
  ['memory', [{
    parent: ['devices'], typeOf: 'self', by: 'model', absent: '',
    sets: setsOf({ dimm: [], 'virtio-mem': [], nvdimm: ['uuid'], 'virtio-pmem': [], 'sgx-epc': [] }, ['source', 'target', 'alias', 'address', 'acpi']),
  }]],
  // (a TPM's backend by its type, virDomainTPMDefParseXML: a passthrough one's device, an emulator's encryption and PCR
  // banks — from libvirt 11 its state's source and its profile too —, an external one's socket; a passthrough
  // backend's `<source>` is dropped, seen on libvirtd 9.0)
  ['backend', [{
    parent: ['tpm'], grandparent: 'devices', typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({ passthrough: ['device'], emulator: ['encryption', 'active_pcr_banks', 'source', 'profile'], external: ['source'] }, []),
  }]],
  // (a graphics device's settings by its type, virDomainGraphicsDefParseXML and its parts per type: the same in 9.0 and 11.3)
  ['graphics', [{
    parent: ['devices'], typeOf: 'self', by: 'type', absent: '',
    sets: setsOf({
      vnc: ['listen', 'audio'], sdl: ['gl'], rdp: ['listen'], desktop: [], 'egl-headless': ['gl'], dbus: ['audio', 'gl'],
      spice: ['listen', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'clipboard', 'filetransfer', 'gl', 'mouse'],
    }, []),
  }]],
])

/**
 * Where libvirt's parser walks an element's children by their local names (`virXPathNodeSet("./features/*")`,
 * xmlFirstElementChild…) rather than reading each by name with XPath: by path below `<domain>`. A child in a namespace —
 * prefixed, or in a default namespace — is read there as its local name; anywhere else XPath, which names no namespace,
 * does not see it (libvirt 9.0.0's and 11.3.0's domain_conf.c: the features, HyperV, KVM, Xen and capability features, a
 * HyperV stimer's, a TPM's active PCR banks; seen on libvirtd 9.0).
 */
export const localNameChildren: ReadonlySet<string> = new Set(['features', 'features/hyperv', 'features/hyperv/stimer', 'features/hyperv/tlbflush', 'features/kvm', 'features/xen', 'features/capabilities', 'devices/tpm/backend/active_pcr_banks'])
