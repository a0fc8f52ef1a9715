// The attributes libvirt's domain parser reads with a typed reader (src/util/virxml.c virXMLPropTristateBool,
// virXMLPropTristateSwitch, virXMLPropUInt, virXMLPropInt), where it reads them and how: one home for what a value must
// look like to be read at all. Traced by reading each call in libvirt 9.0.0's src/conf (domain_conf.c, numa_conf.c,
// cpu_conf.c, storage_source_conf.c, device_conf.c, netdev_*_conf.c) to the element its node is — facts, not code.
// Only the reads made whatever the element's neighbours say: those under a condition (a device or source type, a
// status XML) are left out, as are the ones whose result the parser ignores, and the integers `integerAttributes`
// holds (`<vcpu current>`, a controller's index, ports and vectors, address numbers): read there, not twice. The wording of each refusal is the
// reader's own (`virsh define` prints it after "XML error: ").
import { deviceNames, storageTypes9 } from './devices.ts'
import { readCInteger } from './integers.ts'

/**
 * How libvirt reads an attribute: yes/no, on/off, an unsigned or a signed int or an unsigned long long (base 10, or C's
 * auto base 0), one of an
 * enumeration's names (`values`: libvirt 9.0's — later releases may name more).
 */
export type AttributeReadKind = 'yes-no' | 'on-off' | 'uint' | 'int' | 'ullong' | 'enum'

export interface AttributeReadOptions {
  readonly base?: 0 | 16
  /** virXML's REQUIRED: missing, it is refused. */
  readonly required?: true
  /** NONZERO: 0 is refused. */
  readonly nonzero?: true
  /** NONNEGATIVE (int): below 0 is refused. */
  readonly nonnegative?: true
  /** `enum`: the names it takes (libvirt 9.0's VIR_ENUM_IMPL, without a first `default` or `none` NONZERO refuses). */
  readonly values?: readonly string[]
  /** `enum`: libvirt 11.3's names, where they differ from 9.0's (the other enumerations read the same in both). */
  readonly values11?: readonly string[]
  /**
   * Read only when an attribute of the element itself, of its parent or of the device it belongs to (the element below
   * `<devices>`) is one of `values` (`absent`: the value when it is not written) — a PCI controller's target numbers,
   * a SCSI or USB host device's source address.
   */
  readonly when?: {
    readonly of: 'self' | 'parent' | 'device'
    /** The attribute is that holder's child's of this name (a NIC's `<model type>`; `a/b`: its grandchild's), not the holder's own. */
    readonly child?: string
    readonly attribute: string
    readonly values: readonly string[]
    /** The attribute is read with virXPathString, which takes an empty value for none (a host device NIC's source address type). */
    readonly emptyIsNone?: true
    /**
     * When the attribute is not written: the value the first of these children of the holder implies when it is there (a host
     * device NIC's `<source><vendor>`: USB).
     */
    readonly implied?: readonly (readonly [child: string, value: string])[]
    readonly absent?: string
    /** And not when the holder's `type` is one of these (a host device NIC: libvirt reads no virtio settings there). */
    readonly unlessType?: readonly string[]
    /** And only when the holder's `type` is one of these (a host device NIC's PCI backend). */
    readonly onlyType?: readonly string[]
  }
  /** A base-0 read libvirt writes back in decimal (`%u`): `bus='0x1'` is written `1`. */
  readonly decimal?: true
  /**
   * A `uint` the formatter writes with `%d`: above 2^31 - 1 it comes back negative (HyperV's spinlock `retries='4294967295'`
   * is stored as `-1`: virDomainDefFormatFeatures; seen on libvirtd 9.0).
   */
  readonly signedWritten?: true
  /**
   * A base-0 read libvirt writes back behind `0x`, in `radix`, padded to `width` digits (virPCIDeviceAddressFormat's
   * `0x%04x`, `0x%02x` and `0x%d`): `bus='0x002'` is written `0x02`.
   */
  readonly prefixed?: { readonly radix: 16 | 10; readonly width: number }
  /**
   * Read (a value the reader refuses is refused) but not written back by `dumpxml --inactive`, and not in the release's
   * schema: a USB host device's `autoAddress`, which virDomainHostdevDefFormatSubsysUSB writes for migration alone.
   */
  readonly unwritten?: true
  /** `enum`: the formatter writes the enumeration's 0 (`default`) back, as any other value (`<capabilities policy>`). */
  readonly defaultWritten?: true
  /**
   * Absent, written back as this: the formatter writes the attribute whatever was read (`<master/>` is stored
   * `<master startport='0'/>`: virDomainDeviceInfoFormat; seen on libvirtd 9.0).
   */
  readonly absentWrittenAs?: string
  /**
   * A number the formatter writes only when it is not 0 (`if (def->queues)`, `> 0`): a 0 read is as if unwritten, and
   * not written back (`<driver queues='0'/>` is stored as no `<driver>`: seen on libvirtd 9.0, the same in 11.3's
   * domain_conf.c). An element the formatter then has nothing to write for is `emptyUnwritten`'s. For an `enum`: its
   * 0, the first of `values` (a video `<driver vgaconf='io'>`).
   */
  readonly zeroUnwritten?: true
  /**
   * A value the reader refuses is not the parser's refusal: the caller takes the failed read as no value (the error it
   * reported is dropped), so the attribute is not written back (virDomainVideoDriverDefParseXML's NULL driver).
   */
  readonly refusalIgnored?: true
  /**
   * Numbers the parser sets to 0 once read (a virtio NIC's `queues='1'`: "There's always at least one TX/RX queue",
   * virDomainNetDefParseXMLDriver): with `zeroUnwritten`, not written back either (seen on libvirtd 9.0).
   */
  readonly readAsZero?: readonly number[]
  /** Read by libvirt 11.3 alone: 9.0's parser has no such attribute (nor its schema: preview drops it there). */
  readonly since11?: true
  /**
   * `enum`: names the enumeration has that its caller refuses once read, in its own words (`%s`: the value) — a firmware
   * image's `vmdk`, `Unsupported loader format 'vmdk'`. `values` are the names it takes.
   */
  readonly refusedNames?: { readonly values: readonly string[]; readonly words: string }
  /** `yes-no` read into a plain bool (virTristateBoolToBool): `no` is written as none is, not at all (SDL's `fullscreen`). */
  readonly falseUnwritten?: true
  /** With `when`: not read, the value is not kept, nor written back (a reconnect's timeout when not reconnecting). */
  readonly unreadDropped?: true
  /**
   * Read where the release's schema does not have the attribute (the parser does not validate against it): kept to be
   * read, checked and written back as read — a host device interface's `sgio`, `rawio` and `model` on the `<interface>`,
   * its USB source's `startupPolicy` and `guestReset`, its PCI source's `writeFiltering` (virDomainHostdevDefParseXMLSubsys).
   */
  readonly outsideSchema?: true
  /**
   * The part of its device (model's deviceReadParts) the read is made with, where that is not its element's: a host
   * device NIC's PCI backend, `<driver name>`, read with its source (virDomainHostdevDefParseXMLSubsys) — before its MAC,
   * where a virtio NIC's driver is read after it.
   */
  readonly readWith?: string
  /**
   * With `when` and `unreadDropped`: not dropped where its holder is of the condition's `onlyType` but the condition fails
   * — the parser refuses it there (a host device NIC's source `startupPolicy` on a source other than USB: "Setting
   * startupPolicy is only allowed for USB devices", virDomainHostdevDefParseXMLSubsys's `boolean(./source/@startupPolicy)`;
   * preview's rows give the refusal).
   */
  readonly refusedUnread?: true
  /**
   * Not read by libvirt 11.3 below an ancestor of this name whose attribute has one of these values (a HyperV
   * enlightenment's state, retries and stimer switch below `<hyperv mode='passthrough'>`: 11.3's
   * virDomainFeaturesHyperVDefParse returns before the children; 9.0's reads them in every mode).
   */
  readonly unreadBelow11?: { readonly ancestor: string; readonly attribute: string; readonly values: readonly string[] }
}

/** One attribute read: its name, how, and the reader's flags. */
export type AttributeRead = readonly [attribute: string, kind: AttributeReadKind, options?: AttributeReadOptions]


/** virDomainMouseMode's names (without its first, `default`, which NONZERO refuses): a SPICE display's and a QEMU vdagent's mouse. */
const mouseModes: readonly string[] = ['server', 'client']

const zeroUnwritten: AttributeReadOptions = { zeroUnwritten: true }
/** libvirt 11.3 reads no HyperV enlightenment below `<hyperv mode='passthrough'>` (virDomainFeaturesHyperVDefParse). */
const hypervPassthrough: AttributeReadOptions['unreadBelow11'] = { ancestor: 'hyperv', attribute: 'mode', values: ['passthrough'] }
const virtioNic: AttributeReadOptions['when'] = { of: 'device', child: 'model', attribute: 'type', values: deviceNames.virtioNetModels, unlessType: ['hostdev'] }
const virtiofsFs: AttributeReadOptions['when'] = { of: 'device', child: 'driver', attribute: 'type', values: ['virtiofs'] }
const scsiHostdev: AttributeReadOptions['when'] = { of: 'device', attribute: 'type', values: ['scsi'] }
const usbHostdev: AttributeReadOptions['when'] = { of: 'device', attribute: 'type', values: ['usb'] }
const pciHostdev: AttributeReadOptions['when'] = { of: 'device', attribute: 'type', values: ['pci'] }
// (virDomainSchedulerParseCommonAttrs: a priority is read for a real-time scheduler alone, then required)
const realtimeScheduler: AttributeReadOptions['when'] = { of: 'self', attribute: 'scheduler', values: ['fifo', 'rr'] }
const nvmeDisk: AttributeReadOptions['when'] = { of: 'device', attribute: 'type', values: ['nvme'] }

/**
 * An `<interface type='hostdev'>`'s host device type as virDomainNetDefParseXML reads it: its source address's type (an
 * empty one is none), USB when none is written but a `<source><vendor>` is ("source/vendor implies usb device"), else none —
 * which the parser refuses ("missing source address type"). `values`: the PCI one, whose `<driver name>` is read
 * (virDomainHostdevDefParseXMLSubsys reads a backend for PCI sources only). `conditionValue(hostdevNicSourceType, nic)`.
 */
export const hostdevNicSourceType = { of: 'device', child: 'source/address', attribute: 'type', values: ['pci'], emptyIsNone: true, implied: [['source/vendor', 'usb']], onlyType: ['hostdev'] } as const satisfies NonNullable<AttributeReadOptions['when']>

/** A host device interface, whatever its source. */
const hostdevNicOnly: AttributeReadOptions['when'] = { of: 'self', attribute: 'type', values: ['hostdev'] }
/** A host device interface whose source is a USB device's (its address's type, or a `<vendor>` with none). */
const hostdevNicUsb = { ...hostdevNicSourceType, values: ['usb'] } as const satisfies NonNullable<AttributeReadOptions['when']>

/** An element as `conditionValue` reads it (preview's tree, or any with names, attributes and children). */
export interface ConditionHolder {
  readonly name: string
  readonly attrs: Readonly<Record<string, string | undefined>>
  readonly children: readonly ConditionHolder[]
}

/**
 * The value an attribute read's `when` reads off its holder (the element, its parent or its device, as the caller found
 * it): the attribute of the holder or of its `child`, else the value a present `implied` child gives, else `absent`.
 */
export function conditionValue(when: NonNullable<AttributeReadOptions['when']>, holder: ConditionHolder | undefined): string | undefined {
  const owner = when.child === undefined ? holder : descendant(holder, when.child)
  const said = owner?.attrs[when.attribute]
  if (said !== undefined && (said !== '' || !when.emptyIsNone)) return said
  if (when.implied !== undefined) for (const [path, value] of when.implied) if (descendant(holder, path) !== undefined) return value
  return when.absent
}

/** The first child of each name along a `a/b` path. */
function descendant(from: ConditionHolder | undefined, path: string): ConditionHolder | undefined {
  let at = from
  for (const name of path.split('/')) at = at?.children.find((c) => c.name === name)
  return at
}
const pciController: AttributeReadOptions['when'] = { of: 'device', attribute: 'type', values: ['pci'] }
/** A host device of the subsystem mode (the default). */
const subsystemHostdev: AttributeReadOptions['when'] = { of: 'self', attribute: 'mode', values: ['subsystem'], absent: 'subsystem' }
/** virDomainHostdevSubsysPCIBackend's names, without its first (`default`), which NONZERO refuses. */
const pciBackends: readonly string[] = ['kvm', 'vfio', 'xen']

/**
 * A firmware image's format as libvirt 11.3 reads it (virDomainLoaderDefParseXML…: a loader's, an NVRAM's and its
 * template's — virXMLPropEnumDefault of virStorageFileFormat, `none` its 0, not written back), then refuses but none, raw
 * and qcow2 in its words.
 */
const firmwareFormatRead = (what: string): AttributeReadOptions => ({
  values: ['none', 'raw', 'qcow2'], since11: true, zeroUnwritten: true,
  refusedNames: { values: deviceNames.storageFormats.filter((f) => f !== 'raw' && f !== 'qcow2'), words: `Unsupported ${what} format '%s'` },
})

const reads: readonly (readonly [string, readonly AttributeRead[]])[] = [
  ['keywrap/cipher', [['name', 'enum', { values: ['aes', 'dea'], required: true }]]],
  ['keywrap/cipher', [['state', 'on-off', { required: true }]]],
  // (a disk's driver in virDomainDiskDefParseXML's order: the virtio options, then virDomainDiskDefDriverParseXML's reads)
  ['devices/disk/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off'],
    ['cache', 'enum', { values: ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'] }], ['error_policy', 'enum', { values: ['stop', 'report', 'ignore', 'enospace'] }], ['rerror_policy', 'enum', { values: ['stop', 'report', 'ignore', 'enospace'] }], ['io', 'enum', { values: ['native', 'threads', 'io_uring'] }],
    ['ioeventfd', 'on-off'], ['event_idx', 'on-off'], ['copy_on_read', 'on-off'], ['discard', 'enum', { values: ['unmap', 'ignore'] }], ['iothread', 'uint', { nonzero: true }], ['detect_zeroes', 'enum', { values: ['off', 'on', 'unmap'] }], ['queues', 'uint', zeroUnwritten], ['queue_size', 'uint', zeroUnwritten],
    // (libvirt 11: qcow2's discard-no-unref switch, after the queue size — virDomainDiskDefDriverParseXML; seen on libvirtd 11.3)
    ['discard_no_unref', 'on-off', { since11: true }]]],
  // (libvirt 11's I/O thread mapping of a disk's or a controller's driver, virDomainIothreadMappingDefParse: each thread's
  // id, then its queues' — virXMLPropUInt, REQUIRED; seen on libvirtd 11.3)
  ...['disk', 'controller'].flatMap((kind) => [
    [`devices/${kind}/driver/iothreads/iothread`, [['id', 'uint', { required: true, since11: true }]]],
    [`devices/${kind}/driver/iothreads/iothread/queue`, [['id', 'uint', { required: true, since11: true }]]],
  ] as const),
  // (a controller's own driver settings before the virtio options, virDomainControllerDefParseXML; every other device
  // reads the virtio options first)
  ['devices/controller/driver', [['queues', 'uint', zeroUnwritten], ['cmd_per_lun', 'uint', zeroUnwritten], ['max_sectors', 'uint', zeroUnwritten], ['ioeventfd', 'on-off'], ['iothread', 'uint', zeroUnwritten], ['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  // (a filesystem's, a NIC's and a video device's after their own driver settings: below)
  ['devices/input/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  ['devices/rng/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  ['devices/memballoon/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  ['devices/vsock/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  // (libvirt 11: a sound device's and a crypto device's virtio options, read last — after the device information — and for
  // every sound model, virDomainSoundDefParseXML, virDomainCryptoDefParseXML, from 11.3's source; 9.0 reads no <driver> there)
  ...['sound', 'crypto'].map((kind) => [`devices/${kind}/driver`, [['iommu', 'on-off', { since11: true }], ['ats', 'on-off', { since11: true }], ['packed', 'on-off', { since11: true }], ['page_per_vq', 'on-off', { since11: true }]]] as const),
  ['devices/disk/boot', [['order', 'uint', { required: true, nonzero: true }]]],
  ['devices/filesystem/boot', [['order', 'uint', { required: true, nonzero: true }]]],
  ['devices/interface/boot', [['order', 'uint', { required: true, nonzero: true }]]],
  ['devices/hostdev/boot', [['order', 'uint', { required: true, nonzero: true }]]],
  // (a SCSI host device's source address, read as unsigned ints and a long long in C's base — virDomainHostdevSubsysSCSIHostDefParseXML;
  // a USB one's, with its vendor and product — virDomainHostdevSubsysUSBDefParseXML; a PCI one's)
  ['devices/hostdev/source/address', [
    ['bus', 'uint', { base: 0, required: true, decimal: true, when: scsiHostdev }], ['target', 'uint', { base: 0, required: true, decimal: true, when: scsiHostdev }], ['unit', 'ullong', { base: 0, required: true, when: scsiHostdev }],
    // (a USB one's written with `%d`: 4294967295 is `-1` — virDomainHostdevDefFormatSubsysUSB, libvirtd 9.0)
    ['bus', 'uint', { base: 0, required: true, decimal: true, signedWritten: true, when: usbHostdev }], ['device', 'uint', { base: 0, required: true, decimal: true, signedWritten: true, when: usbHostdev }],
    // (a PCI one's, virPCIDeviceAddressParseXML: written back in hex)
    ['domain', 'uint', { base: 0, when: pciHostdev, prefixed: { radix: 16, width: 4 } }], ['bus', 'uint', { base: 0, when: pciHostdev, prefixed: { radix: 16, width: 2 } }],
    ['slot', 'uint', { base: 0, when: pciHostdev, prefixed: { radix: 16, width: 2 } }], ['function', 'uint', { base: 0, when: pciHostdev, prefixed: { radix: 10, width: 1 } }], ['multifunction', 'on-off', { when: pciHostdev }],
  ]],
  // (a host device interface's PCI address likewise: virDomainNetDefParseXML reads its source as a PCI host device's; a USB
  // one's bus and device as a USB host device's, written back in decimal — `bus='1'` stays `1`, past 2^31 - 1 negative, libvirtd 9.0)
  ['devices/interface/source/address', [
    ['domain', 'uint', { base: 0, when: hostdevNicSourceType, prefixed: { radix: 16, width: 4 } }], ['bus', 'uint', { base: 0, when: hostdevNicSourceType, prefixed: { radix: 16, width: 2 } }],
    ['slot', 'uint', { base: 0, when: hostdevNicSourceType, prefixed: { radix: 16, width: 2 } }], ['function', 'uint', { base: 0, when: hostdevNicSourceType, prefixed: { radix: 10, width: 1 } }],
    ['bus', 'uint', { base: 0, required: true, decimal: true, signedWritten: true, when: hostdevNicUsb }], ['device', 'uint', { base: 0, required: true, decimal: true, signedWritten: true, when: hostdevNicUsb }],
  ]],
  // (an NVMe disk's source: managed or not, virDomainDiskSourceNVMeParse)
  ['devices/disk/source', [['managed', 'yes-no', { when: nvmeDisk }]]],
  // (an NVMe disk's PCI address, virDomainDiskSourceNVMeParse → virPCIDeviceAddressParseXML, written back in hex — each of
  // the four always, 0 when not written: virPCIDeviceAddressFormat; `<address bus='0x01' …/>` gets domain='0x0000', libvirtd 9.0)
  ['devices/disk/source/address', [
    ['domain', 'uint', { base: 0, when: nvmeDisk, prefixed: { radix: 16, width: 4 }, absentWrittenAs: '0x0000' }], ['bus', 'uint', { base: 0, when: nvmeDisk, prefixed: { radix: 16, width: 2 }, absentWrittenAs: '0x00' }],
    ['slot', 'uint', { base: 0, when: nvmeDisk, prefixed: { radix: 16, width: 2 }, absentWrittenAs: '0x00' }], ['function', 'uint', { base: 0, when: nvmeDisk, prefixed: { radix: 10, width: 1 }, absentWrittenAs: '0x0' }],
  ]],
  // (written `0x%.4x`: `0x1D6B` comes back `0x1d6b`)
  // (a USB host device's source: its startup policy and guest resets, virDomainHostdevSubsysUSBDefParseXML)
  // (its address assignment in between: virTristateBool, `x` refused, and not written back — libvirtd 9.0)
  ['devices/hostdev/source', [['startupPolicy', 'enum', { values: ['mandatory', 'requisite', 'optional'], when: usbHostdev }], ['autoAddress', 'yes-no', { when: usbHostdev, unwritten: true }], ['guestReset', 'enum', { values: ['off', 'uninitialized', 'on'], when: usbHostdev }]]],
  // (a PCI host device's config space write filtering, virDomainHostdevSubsysPCIDefParseXML: read before its address, so
  // refused before the QEMU driver's own refusal of any value — libvirtd 9.0)
  ['devices/hostdev/source', [['writeFiltering', 'yes-no', { when: pciHostdev }]]],
  // (a subsystem host device's SCSI generic I/O and raw I/O, virDomainHostdevDefParseXMLSubsys: read whatever its type,
  // before the check that they are a SCSI device's — `sgio='bogus'` is refused in the reader's words, libvirtd 9.0)
  ['devices/hostdev', [['sgio', 'enum', { values: ['filtered', 'unfiltered'], when: subsystemHostdev }], ['rawio', 'yes-no', { when: subsystemHostdev }]]],
  // (a vhost-user interface's socket end, virDomainNetDefParseXML: `client` or `server`, NONZERO — `both` is refused in the
  // reader's words, libvirtd 9.0)
  ['devices/interface/source', [['mode', 'enum', { values: ['client', 'server'], when: { of: 'parent', attribute: 'type', values: ['vhostuser'] } }]]],
  // (a PCI host device's backend, virDomainHostdevSubsysPCIBackend read NONZERO after its source: `default` is refused, as
  // any other name — virDomainHostdevDefParseXMLSubsys; a host device NIC's too when its source address is a PCI one, the
  // type it takes when none is written — virDomainNetDefParseXML. Another host device's <driver> is not read: libvirtd 9.0)
  ['devices/hostdev/driver', [['name', 'enum', { values: pciBackends, when: pciHostdev }]]],
  ['devices/interface/driver', [['name', 'enum', { values: pciBackends, when: hostdevNicSourceType, readWith: 'hostdev/driver' }]]],
  // (then any NIC's virtio options, virDomainNetDefParseXMLDriver — after that backend name, read with the source:
  // `<driver name='bogus' iommu='maybe'/>` on a host device NIC is refused for its name, probe h35-nic-hostdev-driver-name-iommu)
  ['devices/interface/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  ['devices/hostdev/source/vendor', [['id', 'uint', { base: 0, required: true, nonzero: true, prefixed: { radix: 16, width: 4 }, when: usbHostdev }]]],
  ['devices/hostdev/source/product', [['id', 'uint', { base: 0, required: true, prefixed: { radix: 16, width: 4 }, when: usbHostdev }]]],
  // (a NIC's type and guest RX filter trust first, virDomainNetDefParseXML — then, for a host device NIC, its own below:
  // probe h35-nic-trust-sgio)
  ['devices/interface', [['type', 'enum', { values: ['user', 'ethernet', 'vhostuser', 'server', 'client', 'mcast', 'network', 'bridge', 'internal', 'direct', 'hostdev', 'udp', 'vdpa', 'null', 'vds'] }]]],
  ['devices/interface', [['trustGuestRxFilters', 'yes-no']]],
  // (a host device interface's own host device settings, read as a host device's: a USB one's startup policy and guest
  // reset, a PCI one's write filtering; sgio and rawio on the <interface>, whatever its source — libvirtd 9.0)
  ['devices/interface/source', [
    ['startupPolicy', 'enum', { values: ['mandatory', 'requisite', 'optional'], when: hostdevNicUsb, outsideSchema: true, unreadDropped: true, refusedUnread: true }],
    ['guestReset', 'enum', { values: ['off', 'uninitialized', 'on'], when: hostdevNicUsb, outsideSchema: true, unreadDropped: true }],
    ['writeFiltering', 'yes-no', { when: hostdevNicSourceType, outsideSchema: true, unreadDropped: true }],
  ]],
  ['devices/interface', [
    ['sgio', 'enum', { values: ['filtered', 'unfiltered'], when: hostdevNicOnly, outsideSchema: true, unreadDropped: true }],
    ['rawio', 'yes-no', { when: hostdevNicOnly, outsideSchema: true, unreadDropped: true }],
    ['model', 'enum', { values: ['vfio-pci', 'vfio-ccw', 'vfio-ap'], when: hostdevNicOnly, outsideSchema: true, unreadDropped: true }],
  ]],
  // (a host device interface's USB vendor and product likewise: `id='1234'` is written `0x04d2`, libvirtd 9.0)
  ['devices/interface/source/vendor', [['id', 'uint', { base: 0, required: true, nonzero: true, prefixed: { radix: 16, width: 4 }, when: hostdevNicUsb }]]],
  ['devices/interface/source/product', [['id', 'uint', { base: 0, required: true, prefixed: { radix: 16, width: 4 }, when: hostdevNicUsb }]]],
  // (a PCI controller's target, virDomainControllerDefParseXML; a USB companion's master port, any device's info)
  ['devices/controller/target', [['chassisNr', 'int', { base: 0, nonnegative: true, decimal: true, when: pciController }], ['chassis', 'int', { base: 0, nonnegative: true, decimal: true, when: pciController }], ['port', 'int', { base: 0, nonnegative: true, prefixed: { radix: 16, width: 0 }, when: pciController }], ['busNr', 'int', { base: 0, nonnegative: true, decimal: true, when: pciController }], ['hotplug', 'on-off', { when: pciController }], ['index', 'int', { base: 0, nonnegative: true, decimal: true, when: pciController }],
    // (11.3's memory reserve last: virXMLPropULongLong in C's base, NONZERO, written `%llu` — seen on libvirtd 11.3)
    ['memReserve', 'ullong', { base: 0, nonzero: true, since11: true, when: pciController }]]],
  // (a PCI controller's QEMU device: virDomainControllerPCIModelName, `none` taken as no name)
  ['devices/controller/model', [['name', 'enum', { when: pciController, values: ['none', 'pci-bridge', 'i82801b11-bridge', 'ioh3420', 'x3130-upstream', 'xio3130-downstream', 'pxb', 'pxb-pcie', 'pcie-root-port', 'spapr-pci-host-bridge', 'pcie-pci-bridge'] }]]],
  // (written with `%d`: past 2^31 - 1 negative — virDomainDeviceInfoFormat, libvirtd 9.0)
  ['devices/*/master', [['startport', 'uint', { absentWrittenAs: '0', signedWritten: true }]]],
  // (a device's ACPI index, virDomainDeviceInfoParseXML: base 10, NONZERO — `+05` written back `5`, seen on libvirtd 9.0)
  ['devices/*/acpi', [['index', 'uint', { nonzero: true }]]],
  // (a PCI address's zPCI identifiers, virZPCIDeviceAddressParseXML: virXMLPropUInt in base 0, written `0x%04x` and `0x%08x`)
  ['devices/*/address/zpci', [
    ['uid', 'uint', { base: 0, prefixed: { radix: 16, width: 4 }, when: { of: 'parent', attribute: 'type', values: ['pci'] } }],
    ['fid', 'uint', { base: 0, prefixed: { radix: 16, width: 8 }, when: { of: 'parent', attribute: 'type', values: ['pci'] } }],
  ]],
  // (an sPAPR VIO address's register and a DIMM's base, virXMLPropULongLong in base 16, written `0x%08llx` and `0x%llx`
  // — a DIMM's base only when not 0, virDomainDeviceInfoFormat: `base='0x0'` is stored as none, probe h50-addr-dimm-15;
  // a DIMM's slot before its base, virXMLPropUInt required — virDomainDeviceDimmAddressParseXML, 9.0 and 11.3; probe
  // h19-r2-dimm-noslot)
  ['devices/*/address', [
    ['reg', 'ullong', { base: 16, prefixed: { radix: 16, width: 8 }, when: { of: 'self', attribute: 'type', values: ['spapr-vio'] } }],
    ['slot', 'uint', { required: true, when: { of: 'self', attribute: 'type', values: ['dimm'] } }],
    ['base', 'ullong', { base: 16, prefixed: { radix: 16, width: 1 }, zeroUnwritten: true, when: { of: 'self', attribute: 'type', values: ['dimm'] } }],
  ]],
  // (an idmap's numbers are virXPathUInt's, refused in its own words: @virtuned/preview's parse rows)
  ['devices/redirdev/boot', [['order', 'uint', { required: true, nonzero: true }]]],
  ['devices/interface/rom', [['enabled', 'yes-no'], ['bar', 'on-off']]],
  ['devices/hostdev/rom', [['enabled', 'yes-no'], ['bar', 'on-off']]],
  // (a device label's relabel is not here: @virtuned/preview's seclabel row reads each label whole, in
  // virSecurityDeviceLabelDefParseXML's order — its model against the labels before it first; probes h59-rx…, libvirtd 9.0)
  // (a socket character device's end: virDomainChrSourceDefParseUnix / TCP / UDP read `mode` as connect or bind, for those
  // types alone — the odd-value search edit, libvirtd 9.0)
  ...['serial', 'parallel', 'console', 'channel', 'redirdev', 'smartcard'].map((kind) => [`devices/${kind}/source`, [['mode', 'enum', { values: ['connect', 'bind'], when: { of: 'parent', attribute: 'type', values: ['unix', 'tcp', 'udp'] } }]]] as const),
  ['devices/rng/backend/source', [['mode', 'enum', { values: ['connect', 'bind'], when: { of: 'parent', attribute: 'type', values: ['unix', 'tcp', 'udp'] } }]]],
  ['devices/disk/geometry', [['cyls', 'uint'], ['heads', 'uint'], ['secs', 'uint']]],
  ['devices/disk', [['type', 'enum', { values: storageTypes9, values11: deviceNames.storageTypes }], ['device', 'enum', { values: ['disk', 'cdrom', 'floppy', 'lun'] }], ['model', 'enum', { values: ['default', 'virtio', 'virtio-transitional', 'virtio-non-transitional'] }], ['snapshot', 'enum', { values: ['no', 'internal', 'external', 'manual'] }], ['rawio', 'yes-no'], ['sgio', 'enum', { values: ['filtered', 'unfiltered'] }]]],
  // (a disk's target: its bus and tray, then removable and rotation rate — virDomainDiskDefParseXML, 9.0 and 11.3; probe
  // h35-disk-target-bus-removable)
  ['devices/disk/target', [['bus', 'enum', { values: ['ide', 'fdc', 'scsi', 'virtio', 'xen', 'usb', 'uml', 'sata', 'sd'] }], ['tray', 'enum', { values: ['closed', 'open'] }], ['removable', 'on-off'], ['rotation_rate', 'uint', zeroUnwritten]]],
  // (libvirt 11 reads a discard granularity too, virXMLPropUInt, written when above 0 — virDomainDiskDefParseXML,
  // virDomainDiskBlockIoDefFormat, from 11.3's source; 9.0 reads none: probes h44-bio-discard_granularity-…)
  ['devices/disk/blockio', [['logical_block_size', 'uint', zeroUnwritten], ['physical_block_size', 'uint', zeroUnwritten], ['discard_granularity', 'uint', { zeroUnwritten: true, since11: true }]]],
  // (written only when `yes`: virDomainDiskDefFormat — `<transient shareBacking='no'/>` is stored `<transient/>`, libvirtd 9.0)
  ['devices/disk/transient', [['shareBacking', 'yes-no', { falseUnwritten: true }]]],
  ['devices/interface/portForward/range', [['start', 'uint', { nonzero: true }], ['end', 'uint', { nonzero: true }], ['to', 'uint', { nonzero: true }], ['exclude', 'yes-no']]],
  ['devices/interface/target', [['managed', 'yes-no']]],
  ['devices/interface/mac', [['type', 'enum', { values: ['generated', 'static'] }]]],
  ['devices/interface/mac', [['check', 'yes-no']]],
  ['devices/serial/log', [['append', 'on-off']]],
  ['devices/parallel/log', [['append', 'on-off']]],
  ['devices/console/log', [['append', 'on-off']]],
  ['devices/channel/log', [['append', 'on-off']]],
  // (a virtiofs daemon's extended attributes and locks, read for a virtiofs filesystem alone: virDomainFSDefParseXML)
  ['devices/filesystem/binary', [['xattr', 'on-off', { when: virtiofsFs }]]],
  // (an evdev input's grab, toggle and key repeat, virDomainInputDefParseXML — the odd-value search edit, seed 306)
  ['devices/input/source', [['grab', 'enum', { values: ['all'], when: { of: 'device', attribute: 'type', values: ['evdev'] } }], ['grabToggle', 'enum', { values: ['ctrl-ctrl', 'alt-alt', 'shift-shift', 'meta-meta', 'scrolllock', 'ctrl-scrolllock'], when: { of: 'device', attribute: 'type', values: ['evdev'] } }], ['repeat', 'on-off', { when: { of: 'device', attribute: 'type', values: ['evdev'] } }]]],
  ['devices/filesystem/binary/lock', [['posix', 'on-off', { when: virtiofsFs }], ['flock', 'on-off', { when: virtiofsFs }]]],
  // (the daemon's cache and sandbox modes, after the locks: virDomainFSDefParseXML's virtiofs part — the odd-value search
  // edit, seed 306)
  ['devices/filesystem/binary/cache', [['mode', 'enum', { values: ['none', 'always'], when: virtiofsFs }]]],
  ['devices/filesystem/binary/sandbox', [['mode', 'enum', { values: ['namespace', 'chroot'], when: virtiofsFs }]]],
  // (a guest forwarding channel's target port, virDomainChrDefParseTargetXML: virXMLPropUInt, required)
  ['devices/channel/target', [['port', 'uint', { required: true, when: { of: 'self', attribute: 'type', values: ['guestfwd'] } }]]],
  ['devices/redirdev/log', [['append', 'on-off']]],
  // (a passthrough smartcard's and an EGD backend's log too: virDomainChrSourceDefParseLog wherever a character device
  // source is read — probes h51-tcp-sc-log-3, h51-tcp-rng-log-3 on libvirtd 9.0)
  ['devices/smartcard/log', [['append', 'on-off']]],
  ['devices/rng/backend/log', [['append', 'on-off']]],
  // (an audio ID is written back with `%d`: above 2^31 - 1 it comes back negative — virDomainSoundDefFormat,
  // virDomainGraphicsDefFormat, virDomainAudioDefFormat; seen on libvirtd 9.0, the same in 11.3)
  ['devices/sound/audio', [['id', 'uint', { required: true, nonzero: true, signedWritten: true }]]],
  // (a VNC or D-Bus display's audio, virDomainGraphicsDefParseXMLVNC / …DBus: the same read; other types read no <audio>)
  ['devices/graphics/audio', [['id', 'uint', { required: true, nonzero: true, signedWritten: true, when: { of: 'device', attribute: 'type', values: ['vnc', 'dbus'] } }]]],
  ['devices/audio/input', [['mixingEngine', 'yes-no'], ['fixedSettings', 'yes-no'], ['voices', 'uint', { nonzero: true }], ['bufferLength', 'uint', { nonzero: true }]]],
  ['devices/audio/output', [['mixingEngine', 'yes-no'], ['fixedSettings', 'yes-no'], ['voices', 'uint', { nonzero: true }], ['bufferLength', 'uint', { nonzero: true }]]],
  ['devices/memballoon', [['model', 'enum', { values: ['virtio', 'xen', 'none', 'virtio-transitional', 'virtio-non-transitional'], required: true }]]],
  ['devices/memballoon', [['autodeflate', 'on-off'], ['freePageReporting', 'on-off']]],
  ['devices/memballoon/stats', [['period', 'int', { base: 0 }]]],
  // (a shared memory device's role, virDomainShmemRole read NONZERO: `default` refused — virDomainShmemDefParseXML; its
  // MSI vectors read in base 0 and written `%u`: `0x20` is stored as 32 — seen on libvirtd 9.0)
  // (read only for a model other than the legacy ivshmem, which one left out is: virDomainShmemDefParseXML)
  ['devices/shmem', [['role', 'enum', { values: ['master', 'peer'], when: { of: 'self', child: 'model', attribute: 'type', values: ['ivshmem-plain', 'ivshmem-doorbell'] } }]]],
  ['devices/shmem/msi', [['vectors', 'uint', { base: 0, decimal: true, zeroUnwritten: true }], ['ioeventfd', 'on-off']]],
  ['devices/video/model/acceleration', [['accel3d', 'yes-no'], ['accel2d', 'yes-no']]],
  ['devices/video/model/resolution', [['x', 'uint', { required: true }], ['y', 'uint', { required: true }]]],
  ['devices/redirfilter/usbdev', [['class', 'int', { base: 0 }], ['vendor', 'int', { base: 0 }], ['product', 'int', { base: 0 }], ['allow', 'yes-no', { required: true }]]],
  ['pm/suspend-to-mem', [['enabled', 'yes-no']]],
  ['pm/suspend-to-disk', [['enabled', 'yes-no']]],
  ['perf/event', [['name', 'enum', { values: ['cmt', 'mbmt', 'mbml', 'cpu_cycles', 'instructions', 'cache_references', 'cache_misses', 'branch_instructions', 'branch_misses', 'bus_cycles', 'stalled_cycles_frontend', 'stalled_cycles_backend', 'ref_cpu_cycles', 'cpu_clock', 'task_clock', 'page_faults', 'context_switches', 'cpu_migrations', 'page_faults_min', 'page_faults_maj', 'alignment_faults', 'emulation_faults'], required: true }]]],
  ['perf/event', [['enabled', 'yes-no', { required: true }]]],
  ['devices/memory', [['model', 'enum', { values: ['dimm', 'nvdimm', 'virtio-pmem', 'virtio-mem', 'sgx-epc'], required: true }], ['access', 'enum', { values: ['shared', 'private'] }]]],
  ['devices/memory', [['discard', 'yes-no']]],
  // (libvirt 11: a virtio-mem device's dynamic memory slots, then a virtio memory device's guest address —
  // virDomainMemoryTargetDefParseXML: virXMLPropTristateBool; virXMLPropULongLong in base 16, written `0x%llx` when not 0;
  // seen on libvirtd 11.3)
  ['devices/memory/target', [['dynamicMemslots', 'yes-no', { since11: true, when: { of: 'device', attribute: 'model', values: ['virtio-mem'] } }]]],
  ['devices/memory/target/address', [['base', 'ullong', { base: 16, prefixed: { radix: 16, width: 1 }, zeroUnwritten: true, since11: true, when: { of: 'device', attribute: 'model', values: ['virtio-mem', 'virtio-pmem'] } }]]],
  // (11.3 reads a DMA translation switch last — virDomainIOMMUDefParseXML; seen on libvirtd 11.3)
  ['devices/iommu/driver', [['intremap', 'on-off'], ['caching_mode', 'on-off'], ['iotlb', 'on-off'], ['eim', 'on-off'], ['aw_bits', 'uint', { ...zeroUnwritten, signedWritten: true }], ['dma_translation', 'on-off', { since11: true }]]],
  ['devices/vsock/cid', [['address', 'uint', { nonzero: true }], ['auto', 'yes-no']]],
  ['iothreadids/iothread', [['id', 'uint', { required: true, nonzero: true }], ['thread_pool_min', 'int', { nonnegative: true }], ['thread_pool_max', 'int', { nonnegative: true }]]],
  // (libvirt 11: an I/O thread's polling, virDomainIOThreadIDDefParseXML — virXMLPropULongLong, each written when read;
  // seen on libvirtd 11.3)
  ['iothreadids/iothread/poll', [['max', 'ullong', { since11: true }], ['grow', 'ullong', { since11: true }], ['shrink', 'ullong', { since11: true }]]],
  ['defaultiothread', [['thread_pool_min', 'int', { nonnegative: true }], ['thread_pool_max', 'int', { nonnegative: true }]]],
  ['cputune/vcpupin', [['vcpu', 'uint', { required: true }]]],
  ['cputune/iothreadpin', [['iothread', 'uint', { required: true, nonzero: true }]]],
  // (read only while the stimer is on — `<stimer state='off'><direct/></stimer>` is taken, probe h43-hv-st-off-direct-nostate,
  // libvirtd 9.0 —, and by 11.3 not below a passthrough <hyperv>)
  ['features/hyperv/stimer/direct', [['state', 'on-off', { required: true, when: { of: 'parent', attribute: 'state', values: ['on'] }, unreadBelow11: hypervPassthrough }]]],
  // (libvirt 11.3's TLB flush switches, read as the stimer's: virDomainFeaturesHyperVDefParse)
  ...['direct', 'extended'].map((name) => [`features/hyperv/tlbflush/${name}`, [['state', 'on-off', { required: true, since11: true, when: { of: 'parent', attribute: 'state', values: ['on'] }, unreadBelow11: hypervPassthrough }]]] as const),
  ['features/apic', [['eoi', 'on-off']]],
  ['features/vmcoreinfo', [['state', 'on-off']]],
  ['features/hap', [['state', 'on-off']]],
  ['features/pmu', [['state', 'on-off']]],
  ['features/pvspinlock', [['state', 'on-off']]],
  ['features/vmport', [['state', 'on-off']]],
  ['features/smm', [['state', 'on-off']]],
  ['features/htm', [['state', 'on-off', { required: true }]]],
  ['features/nested-hv', [['state', 'on-off', { required: true }]]],
  ['features/ccf-assist', [['state', 'on-off', { required: true }]]],
  // (libvirt 11.3's: RAS and PS/2 switches, required; the asynchronous teardown's `enabled`, none being yes; the RISC-V
  // AIA, NONZERO — virDomainFeaturesDefParse; 9.0 knows none of these features)
  ['features/ras', [['state', 'on-off', { required: true, since11: true }]]],
  ['features/ps2', [['state', 'on-off', { required: true, since11: true }]]],
  ['features/async-teardown', [['enabled', 'yes-no', { since11: true }]]],
  ['features/aia', [['value', 'enum', { values: ['none', 'aplic', 'aplic-imsic'], since11: true }]]],
  ['vcpus/vcpu', [['id', 'uint', { required: true }], ['enabled', 'yes-no', { required: true }], ['hotpluggable', 'yes-no'], ['order', 'uint', zeroUnwritten]]],
  ['cputune/cachetune/cache', [['id', 'uint', { required: true }], ['level', 'uint', { required: true }]]],
  // (virDomainResctrlMonDefParse: a cache monitor's level, required — a memory bandwidth monitor's is not read)
  ['cputune/cachetune/monitor', [['level', 'uint', { required: true }]]],
  ['memory', [['dumpCore', 'on-off']]],
  ['cputune/memorytune/node', [['id', 'uint', { required: true }], ['bandwidth', 'uint', { required: true }]]],
  ['numatune/memnode', [['cellid', 'uint', { required: true }]]],
  ['cpu/numa/cell/distances/sibling', [['id', 'uint', { required: true }], ['value', 'uint', { required: true }]]],
  // (a latency's value before its initiator, target and cache — virDomainNumaDefParseXML, 9.0 and 11.3: probe
  // h35-numa-latency-value-initiator; a bandwidth's value is virDomainParseMemory's, read first too)
  ['cpu/numa/interconnects/latency', [['value', 'ullong', { required: true }], ['initiator', 'uint', { required: true }], ['target', 'uint', { required: true }], ['cache', 'uint']]],
  ['cpu/numa/interconnects/bandwidth', [['initiator', 'uint', { required: true }], ['target', 'uint', { required: true }], ['cache', 'uint']]],
  ['cpu/cache', [['level', 'int', { nonnegative: true }]]],
  // (clusters came with libvirt 10: virXMLPropUIntDefault, NONZERO, between dies and cores — libvirtd 11.3)
  ['cpu/topology', [['sockets', 'uint', { required: true, nonzero: true }], ['dies', 'uint', { nonzero: true }], ['clusters', 'uint', { nonzero: true, since11: true }], ['cores', 'uint', { required: true, nonzero: true }], ['threads', 'uint', { required: true, nonzero: true }]]],
  ['cpu/maxphysaddr', [['mode', 'enum', { values: ['emulate', 'passthrough'], required: true }]]],
  ['cpu/maxphysaddr', [['bits', 'int', { nonnegative: true }]]],
  ['devices/disk/source/reservations', [['managed', 'yes-no', { required: true }]]],
  // (an HTTPS or FTPS source's certificate check, virDomainDiskSourceNetworkParse: `<ssl>` is not read for another protocol)
  ['devices/disk/source/ssl', [['verify', 'yes-no', { when: { of: 'parent', attribute: 'protocol', values: ['https', 'ftps'] } }]]],
  ['devices/interface/vlan/tag', [['id', 'uint', { required: true }]]],
  ['devices/interface/route', [['prefix', 'uint'], ['metric', 'uint', { nonzero: true }]]],
  ['devices/interface/source/route', [['prefix', 'uint'], ['metric', 'uint', { nonzero: true }]]],
  ['devices/interface/port', [['isolated', 'yes-no']]],
  // read under a condition every QEMU domain meets (an HVM guest: QEMU runs no other; the reconnect settings of a
  // source that is a socket, where alone they mean something; a virtio NIC's offloads; each child of <hyperv>, <kvm>:
  // `*`, any name)
  // (a loader's: readonly, its type — virXMLPropEnum NONZERO: `none` is refused too —, secure, stateless, in the order
  // virDomainLoaderDefParseXML reads them, 9.0 and 11.3: `type='default' stateless=''` refused for its type on libvirtd 9.0,
  // the differential's odd-form search, seed 605; a network disk's protocol, required — 9.0's names)
  ['os/loader', [['readonly', 'yes-no'], ['type', 'enum', { values: ['rom', 'pflash'] }], ['secure', 'yes-no'], ['stateless', 'yes-no'], ['format', 'enum', firmwareFormatRead('loader')]]],
  ['devices/disk/source', [['protocol', 'enum', { values: ['none', 'nbd', 'rbd', 'sheepdog', 'gluster', 'iscsi', 'http', 'https', 'ftp', 'ftps', 'tftp', 'ssh', 'vxhs', 'nfs'], required: true, when: { of: 'device', attribute: 'type', values: ['network'] } }]]],
  // (a network NVRAM's source, by the <nvram>'s type, reads its protocol as a disk's does: virDomainStorageSourceParse)
  ['os/nvram/source', [['protocol', 'enum', { values: ['none', 'nbd', 'rbd', 'sheepdog', 'gluster', 'iscsi', 'http', 'https', 'ftp', 'ftps', 'tftp', 'ssh', 'vxhs', 'nfs'], required: true, when: { of: 'parent', attribute: 'type', values: ['network'] } }]]],
  ['os/bootmenu', [['enable', 'yes-no']]],
  // (a BIOS's useserial is read with virXMLPropTristateBool, but a value it refuses is taken as `no`: no refusal, and
  // preview writes it so)
  ['os/bios', [['rebootTimeout', 'int']]],
  ['devices/graphics/listen', [['type', 'enum', { values: ['none', 'address', 'network', 'socket'], required: true }]]],
  ['os/firmware/feature', [['name', 'enum', { values: ['enrolled-keys', 'secure-boot'], required: true }], ['enabled', 'yes-no', { required: true }]]],
  // (the timeout only when reconnecting: virDomainChrSourceReconnectDefParseXML — and written only then,
  // virDomainChrSourceReconnectDefFormat, `<reconnect enabled='no' timeout='5'/>` stored without it on libvirtd 9.0; a
  // vhost-user NIC's and disk's source and an EGD backend's read it too)
  ...(['serial', 'parallel', 'console', 'channel', 'redirdev', 'smartcard', 'interface', 'disk', 'rng/backend'] as const).map((kind): [string, readonly AttributeRead[]] => [`devices/${kind}/source/reconnect`, [['enabled', 'yes-no'], ['timeout', 'uint', { required: true, unreadDropped: true, when: { of: 'self', attribute: 'enabled', values: ['yes'] } }]]]),
  // (a TCP character device's TLS switch, virDomainChrSourceDefParseTCP; a network disk's, virDomainDiskSourceNetworkParse)
  // (a character device's source: a TCP one's TLS switch, a file's append switch — virDomainChrSourceDefParseTCP, …ParseFile)
  ...(['serial', 'parallel', 'console', 'channel', 'redirdev', 'smartcard'] as const).map((kind): [string, readonly AttributeRead[]] => [`devices/${kind}/source`, [['tls', 'yes-no', { when: { of: 'device', attribute: 'type', values: ['tcp'] } }], ['append', 'on-off', { when: { of: 'device', attribute: 'type', values: ['file'] } }]]]),
  // (an EGD backend's, by the backend's type: probes h51-tcp-rng-tls-20, h51-o-file-rng-3 on libvirtd 9.0)
  ['devices/rng/backend/source', [['tls', 'yes-no', { when: { of: 'parent', attribute: 'type', values: ['tcp'] } }], ['append', 'on-off', { when: { of: 'parent', attribute: 'type', values: ['file'] } }]]],
  ['devices/disk/source', [['tls', 'yes-no', { when: { of: 'device', attribute: 'type', values: ['network'] } }]]],
  // (a socket interface's port, and a UDP one's local end: virDomainNetDefParseXML)
  ['devices/interface/source', [['port', 'int', { required: true, when: { of: 'parent', attribute: 'type', values: ['client', 'server', 'mcast', 'udp'] } }]]],
  // (a direct interface's macvtap mode, virNetDevMacVLanMode: virXMLPropEnumDefault, VEPA when none is written)
  ['devices/interface/source', [['mode', 'enum', { values: ['vepa', 'private', 'bridge', 'passthrough'], when: { of: 'parent', attribute: 'type', values: ['direct'] } }]]],
  ['devices/interface/source/local', [['port', 'int', { required: true, when: { of: 'device', attribute: 'type', values: ['udp'] } }]]],
  // (a display's own settings by its type: virDomainGraphicsDefParseXML's parts — an SDL or desktop display's fullscreen a
  // bool, written only when set: virDomainGraphicsDefFormat, `fullscreen='no'` stored as none on libvirtd 9.0)
  ['devices/graphics', [['type', 'enum', { values: ['sdl', 'vnc', 'rdp', 'desktop', 'spice', 'egl-headless', 'dbus'], required: true }]]],
  ['devices/graphics', [
    ['websocket', 'int', { zeroUnwritten: true, when: { of: 'self', attribute: 'type', values: ['vnc'] } }], ['sharePolicy', 'enum', { values: ['default', 'allow-exclusive', 'force-shared', 'ignore'], when: { of: 'self', attribute: 'type', values: ['vnc'] } }],
    ['powerControl', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['vnc'] } }], ['fullscreen', 'yes-no', { falseUnwritten: true, when: { of: 'self', attribute: 'type', values: ['sdl', 'desktop'] } }],
    ['port', 'int', { when: { of: 'self', attribute: 'type', values: ['spice'] } }], ['tlsPort', 'int', { when: { of: 'self', attribute: 'type', values: ['spice'] } }],
    ['autoport', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['spice'] } }], ['defaultMode', 'enum', { values: ['any', 'secure', 'insecure'], zeroUnwritten: true, when: { of: 'self', attribute: 'type', values: ['spice'] } }],
    // (a SPICE display's default channel mode `any`, its 0, not written; a D-Bus display's peer-to-peer switch written only
    // when set — virDomainGraphicsDefFormat: probes h40-g-spice-attr15, h40-g-dbus2, libvirtd 9.0)
    ['p2p', 'yes-no', { falseUnwritten: true, when: { of: 'self', attribute: 'type', values: ['dbus'] } }],
  ]],
  // (a mediated host device's display and RAM framebuffer switches, virDomainHostdevSubsysMediatedDevDefParseXML's caller)
  // (a SCSI host's vhost model, a mediated device's model: each read only for its type, the mdev one required)
  ['devices/hostdev', [
    ['model', 'enum', { values: ['default', 'virtio', 'virtio-transitional', 'virtio-non-transitional'], when: { of: 'self', attribute: 'type', values: ['scsi_host'] } }],
    ['model', 'enum', { values: ['vfio-pci', 'vfio-ccw', 'vfio-ap'], required: true, when: { of: 'self', attribute: 'type', values: ['mdev'] } }],
    ['display', 'on-off', { when: { of: 'self', attribute: 'type', values: ['mdev'] } }], ['ramfb', 'on-off', { when: { of: 'self', attribute: 'type', values: ['mdev'] } }],
  ]],
  // (an NVRAM store's type, virDomainLoaderDefParseXML: a storage type)
  // (read without NONZERO: `none`, virStorage's 0, passes the reader and is refused past it — preview's refusal rows)
  // (libvirt 11.3 reads its template's format and its own first, a storage file format each — virXMLPropEnumDefault, NONE
  // when none is written —, then its type)
  ['os/nvram', [['templateFormat', 'enum', firmwareFormatRead('nvram template')], ['format', 'enum', firmwareFormatRead('nvram')], ['type', 'enum', { values: ['none', ...storageTypes9], values11: ['none', ...deviceNames.storageTypes] }]]],
  // (an audio input's or output's backend settings, by the audio type: virDomainAudioCoreAudioParse, …JackParse, …OSSParse,
  // …PulseAudioParse, …SDLParse)
  ...(['input', 'output'] as const).map((io): [string, readonly AttributeRead[]] => [`devices/audio/${io}`, [
    ['bufferCount', 'uint', { zeroUnwritten: true, when: { of: 'parent', attribute: 'type', values: ['coreaudio', 'oss', 'sdl'] } }],
    ['exactName', 'yes-no', { when: { of: 'parent', attribute: 'type', values: ['jack'] } }],
    ['tryPoll', 'yes-no', { when: { of: 'parent', attribute: 'type', values: ['oss'] } }],
    ['latency', 'uint', { zeroUnwritten: true, when: { of: 'parent', attribute: 'type', values: ['pulseaudio'] } }],
    // (libvirt 11's PipeWire backend reads its latency NONZERO: virDomainAudioPipewireAudioParse, from 11.3's source)
    ['latency', 'uint', { nonzero: true, when: { of: 'parent', attribute: 'type', values: ['pipewire'] } }],
  ]]),
  // (an audio backend's fixed settings, read only when fixed: virDomainAudioCommonParse)
  ...(['input', 'output'] as const).map((io): [string, readonly AttributeRead[]] => [`devices/audio/${io}/settings`, [
    ['frequency', 'uint', { nonzero: true, when: { of: 'parent', attribute: 'fixedSettings', values: ['yes'] } }],
    ['channels', 'uint', { nonzero: true, when: { of: 'parent', attribute: 'fixedSettings', values: ['yes'] } }],
    ['format', 'enum', { values: ['u8', 's8', 'u16', 's16', 'u32', 's32', 'f32'], when: { of: 'parent', attribute: 'fixedSettings', values: ['yes'] } }],
  ]]),
  // (a SPICE display's channels, virDomainGraphicsDefParseXMLSpice: each a name and a mode, required — 9.0's and 11.3's names)
  ['devices/graphics/channel', [
    ['name', 'enum', { required: true, values: ['main', 'display', 'inputs', 'cursor', 'playback', 'record', 'smartcard', 'usbredir'], when: { of: 'parent', attribute: 'type', values: ['spice'] } }],
    ['mode', 'enum', { required: true, values: ['any', 'secure', 'insecure'], when: { of: 'parent', attribute: 'type', values: ['spice'] } }],
  ]],
  // (a SPICE display's settings, virDomainGraphicsSpiceDefParseXML: each required where its element is written)
  ...([
    ['image', 'compression', 'enum', ['auto_glz', 'auto_lz', 'quic', 'glz', 'lz', 'off']], ['jpeg', 'compression', 'enum', ['auto', 'never', 'always']],
    ['zlib', 'compression', 'enum', ['auto', 'never', 'always']], ['playback', 'compression', 'on-off', undefined], ['streaming', 'mode', 'enum', ['filter', 'all', 'off']],
    ['clipboard', 'copypaste', 'yes-no', undefined], ['filetransfer', 'enable', 'yes-no', undefined], ['gl', 'enable', 'yes-no', undefined], ['mouse', 'mode', 'enum', mouseModes],
  ] as const).map(([element, attribute, kind, values]): [string, readonly AttributeRead[]] => [`devices/graphics/${element}`, [[attribute, kind, { required: true, ...(values ? { values } : {}), when: { of: 'parent', attribute: 'type', values: ['spice'] } }]]]),
  // (an SDL or D-Bus display's GL switch, required where <gl> is written: virDomainGraphicsDefParseXMLSDL, …DBus — 9.0 and
  // 11.3; probe h35-dbus-gl-audio)
  ['devices/graphics/gl', [['enable', 'yes-no', { required: true, when: { of: 'parent', attribute: 'type', values: ['sdl', 'dbus'] } }]]],
  // (a QEMU vdagent character device's options, virDomainChrSourceDefParseQemuVdagent: each required where written)
  ...deviceNames.chrKinds.flatMap((kind): [string, readonly AttributeRead[]][] => [
    [`devices/${kind}/source/clipboard`, [['copypaste', 'yes-no', { required: true, when: { of: 'device', attribute: 'type', values: ['qemu-vdagent'] } }]]],
    [`devices/${kind}/source/mouse`, [['mode', 'enum', { required: true, values: mouseModes, when: { of: 'device', attribute: 'type', values: ['qemu-vdagent'] } }]]],
  ]),
  // (a USB redirection's, a passthrough smartcard's and an EGD backend's the same: probes h51-o-qemu-vdagent-redir-3,
  // -sc-4, -rng-7 on libvirtd 9.0)
  ...(['redirdev', 'smartcard', 'rng/backend'] as const).flatMap((kind): [string, readonly AttributeRead[]][] => {
    const when = kind === 'rng/backend' ? { of: 'device', child: 'backend', attribute: 'type', values: ['qemu-vdagent'] } as const : { of: 'device', attribute: 'type', values: ['qemu-vdagent'] } as const
    return [
      [`devices/${kind}/source/clipboard`, [['copypaste', 'yes-no', { required: true, when }]]],
      [`devices/${kind}/source/mouse`, [['mode', 'enum', { required: true, values: mouseModes, when }]]],
    ]
  }),
  // (a NIC's virtio-net settings, read only for a model written as virtio and not for a host device NIC:
  // virDomainNetDefParseXMLDriver — its virtio options above whatever the model)
  // (a virtio NIC's driver name and TX mode first, the enumerations' `default` refused — `<driver name='vhost '/>`, the
  // odd-value search edit, seed 365, libvirtd 9.0)
  ['devices/interface/driver', [['name', 'enum', { values: ['qemu', 'vhost'], when: virtioNic }], ['txmode', 'enum', { values: ['iothread', 'timer'], when: virtioNic }]]],
  ['devices/interface/driver', (['ioeventfd', 'event_idx', 'queues', 'rx_queue_size', 'tx_queue_size', 'rss', 'rss_hash_report'] as const).map((attribute): AttributeRead => [attribute, attribute === 'queues' || attribute.endsWith('_size') ? 'uint' : 'on-off', attribute === 'queues' ? { when: virtioNic, zeroUnwritten: true, readAsZero: [1] } : attribute.endsWith('_size') ? { when: virtioNic, zeroUnwritten: true } : { when: virtioNic }])],
  ['devices/interface/driver/host', ['csum', 'gso', 'tso4', 'tso6', 'ecn', 'ufo', 'mrg_rxbuf'].map((a): AttributeRead => [a, 'on-off', { when: virtioNic }])],
  ['devices/interface/driver/guest', ['csum', 'tso4', 'tso6', 'ecn', 'ufo'].map((a): AttributeRead => [a, 'on-off', { when: virtioNic }])],
  ['features/hyperv/*', [['state', 'on-off', { required: true, unreadBelow11: hypervPassthrough }]]],
  ['features/hyperv/spinlocks', [['retries', 'uint', { base: 0, required: true, decimal: true, signedWritten: true, when: { of: 'self', attribute: 'state', values: ['on'] }, unreadBelow11: hypervPassthrough }]]],
  ['features/kvm/*', [['state', 'on-off', { required: true }]]],
  // (Xen's features, virDomainFeaturesXENDefParse: each a state; passthrough's mode read only when on, NONZERO — `default`
  // refused —, not kept when off: seen on libvirtd 9.0)
  ['features/xen/*', [['state', 'on-off', { required: true }]]],
  ['features/xen/passthrough', [['mode', 'enum', { values: ['sync_pt', 'share_pt'], unreadDropped: true, when: { of: 'self', attribute: 'state', values: ['on'] } }]]],
  ['features/kvm/dirty-ring', [['size', 'uint', { base: 0, required: true, decimal: true, when: { of: 'self', attribute: 'state', values: ['on'] } }]]],
  // enumerations (virXMLPropEnum) read whatever the neighbours say, with libvirt 9.0's names
  // (a security label's type before its relabel switch: virSecurityLabelDefParseXML, 9.0 and 11.3 — preview's label rows
  // check both in that order too: probe h35-seclabel-type-relabel)
  ['seclabel', [['type', 'enum', { values: ['none', 'dynamic', 'static'] }], ['relabel', 'yes-no']]],
  ['devices/disk/geometry', [['trans', 'enum', { values: ['none', 'auto', 'lba'] }]]],
  ['devices/disk/source', [['startupPolicy', 'enum', { values: ['mandatory', 'requisite', 'optional'] }]]],
  ['devices/controller', [['type', 'enum', { values: ['ide', 'fdc', 'scsi', 'sata', 'virtio-serial', 'ccid', 'usb', 'pci', 'xenbus', 'isa'] }]]],
  ['devices/filesystem', [['type', 'enum', { values: ['mount', 'block', 'file', 'template', 'ram', 'bind', 'volume'] }], ['accessmode', 'enum', { values: ['', 'passthrough', 'mapped', 'squash'] }], ['model', 'enum', { values: ['virtio', 'virtio-transitional', 'virtio-non-transitional'] }], ['multidevs', 'enum', { values: ['default', 'remap', 'forbid', 'warn'] }]]],
  // (a filesystem's driver type and write policy before its virtio options: virDomainFSDefParseXML, 9.0 and 11.3 — probe
  // h35-fs-driver-type-iommu)
  ['devices/filesystem/driver', [['type', 'enum', { values: ['default', 'path', 'handle', 'loop', 'nbd', 'ploop', 'virtiofs'], values11: ['default', 'path', 'handle', 'loop', 'nbd', 'ploop', 'virtiofs', 'mtp'] }], ['wrpolicy', 'enum', { values: ['default', 'immediate'] }]]],
  ['devices/filesystem/driver', [['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off']]],
  // (9.0 reads the backend type NONZERO, 11.3 takes its `default` too)
  ['devices/interface/backend', [['type', 'enum', { values: ['passt'], values11: ['default', 'passt'] }]]],
  ['devices/interface/portForward', [['proto', 'enum', { values: ['tcp', 'udp'], required: true }]]],
  ['devices/smartcard', [['mode', 'enum', { values: ['host', 'host-certificates', 'passthrough'], required: true }]]],
  ['devices/tpm', [['model', 'enum', { values: ['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy'] }]]],
  // (an emulator backend's TPM version, NONZERO: `default` refused — virDomainTPMDefParseXML, seen on libvirtd 9.0)
  ['devices/tpm/backend', [['type', 'enum', { values: ['passthrough', 'emulator', 'external'], required: true }], ['version', 'enum', { values: ['1.2', '2.0'], when: { of: 'self', attribute: 'type', values: ['emulator'] } }]]],
  // (11.3's emulator: then its debug level, its state's source type — NONZERO —, and its profile's removeDisabled —
  // NONZERO —, in virDomainTPMDefParseXML's order: model's deviceReadParts; from 11.3's source, 9.0 reads none of them)
  ['devices/tpm/backend', [['debug', 'uint', { since11: true, when: { of: 'self', attribute: 'type', values: ['emulator'] } }]]],
  ['devices/tpm/backend/source', [['type', 'enum', { values: ['file', 'dir'], since11: true, when: { of: 'parent', attribute: 'type', values: ['emulator'] } }]]],
  ['devices/tpm/backend/profile', [['removeDisabled', 'enum', { values: ['check', 'fips-host'], since11: true, when: { of: 'parent', attribute: 'type', values: ['emulator'] } }]]],
  // (virDomainTimerDefParseXML's order: the name, then whether present, the tick policy, track, frequency and mode)
  ['clock/timer', [['name', 'enum', { values: ['platform', 'pit', 'rtc', 'hpet', 'tsc', 'kvmclock', 'hypervclock', 'armvtimer'], required: true }], ['present', 'yes-no'], ['tickpolicy', 'enum', { values: ['delay', 'catchup', 'merge', 'discard'] }], ['track', 'enum', { values: ['boot', 'guest', 'wall', 'realtime'] }], ['frequency', 'ullong', zeroUnwritten], ['mode', 'enum', { values: ['auto', 'native', 'emulate', 'paravirt', 'smpsafe'] }]]],
  ['clock/timer/catchup', [['threshold', 'ullong', zeroUnwritten], ['slew', 'ullong', zeroUnwritten], ['limit', 'ullong', zeroUnwritten]]],
  ['devices/lease/target', [['offset', 'ullong', zeroUnwritten]]],
  ['devices/sound', [['model', 'enum', { values: ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7'], values11: ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7', 'virtio'], required: true }]]],
  // (libvirt 11: a USB card's multichannel switch and a virtio card's streams, read for that model alone — NONZERO, written
  // with `%d` — after its codecs: virDomainSoundDefParseXML, virDomainSoundDefFormat, from 11.3's source; 9.0's schema
  // has neither)
  ['devices/sound', [
    ['multichannel', 'yes-no', { unreadDropped: true, when: { of: 'self', attribute: 'model', values: ['usb'] } }],
    ['streams', 'uint', { nonzero: true, signedWritten: true, unreadDropped: true, when: { of: 'self', attribute: 'model', values: ['virtio'] } }],
  ]],
  // (virDomainAudioDefParseXML's order: the type, then the id and timer period)
  ['devices/audio', [['type', 'enum', { values: ['none', 'alsa', 'coreaudio', 'jack', 'oss', 'pulseaudio', 'sdl', 'spice', 'file', 'dbus'], values11: ['none', 'alsa', 'coreaudio', 'jack', 'oss', 'pulseaudio', 'sdl', 'spice', 'file', 'dbus', 'pipewire'], required: true }], ['id', 'uint', { required: true, nonzero: true, signedWritten: true }], ['timerPeriod', 'uint', { nonzero: true }]]],
  // (an OSS backend's own settings, after the input's and output's common ones: virDomainAudioDefParseXML — a negative
  // DSP policy, read, is refused past the reader: preview's refusal rows; an SDL backend's driver, NONZERO — the
  // enumeration's 0 is the empty name; seen on libvirtd 9.0)
  ['devices/audio', [
    ['tryMMap', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['oss'] } }],
    ['exclusive', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['oss'] } }],
    ['dspPolicy', 'int', { when: { of: 'self', attribute: 'type', values: ['oss'] } }],
    ['driver', 'enum', { values: ['esd', 'alsa', 'arts', 'pulseaudio'], when: { of: 'self', attribute: 'type', values: ['sdl'] } }],
  ]],
  ['devices/shmem/model', [['type', 'enum', { values: ['ivshmem', 'ivshmem-plain', 'ivshmem-doorbell'] }]]],
  ['sysinfo', [['type', 'enum', { values: ['smbios', 'fwcfg'], required: true }]]],
  // (a video driver's VGA configuration, virDomainVideoDriverDefParseXML: its 0, `io`, is not written back, and a name it
  // does not read leaves the device without that driver setting — not refused, virDomainVideoDefParseXML keeps its NULL —
  // seen on libvirtd 9.0, the same in 11.3)
  // (its name, then the virtio options — virDomainVideoDefParseXML —, the VGA configuration last, once the device
  // information is read: virDomainVideoDriverDefParseXML; 9.0 and 11.3, probe h35-video-driver-name-iommu)
  ['devices/video/driver', [['name', 'enum', { values: ['qemu', 'vhostuser'] }], ['iommu', 'on-off'], ['ats', 'on-off'], ['packed', 'on-off'], ['page_per_vq', 'on-off'], ['vgaconf', 'enum', { values: ['io', 'on', 'off'], zeroUnwritten: true, refusalIgnored: true }]]],
  // (then a SEV guest's kernel hashes switch — virDomainSEVDefParseXML, 11.3's virDomainSEVCommonDefParseXML for SEV-SNP too
  // —, yes or no: probe h38-ls-hashes-policy, libvirtd 9.0; 11.3's SEV-SNP author key and VCEK switches after it)
  ['launchSecurity', [
    ['type', 'enum', { values: ['sev', 's390-pv'], values11: ['sev', 'sev-snp', 's390-pv'], required: true }],
    ['kernelHashes', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['sev', 'sev-snp'] } }],
    ['authorKey', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['sev-snp'] } }],
    ['vcek', 'yes-no', { when: { of: 'self', attribute: 'type', values: ['sev-snp'] } }],
  ]],
  ['devices/iommu', [['model', 'enum', { values: ['intel', 'smmuv3', 'virtio'], required: true }]]],
  ['devices/vsock', [['model', 'enum', { values: ['default', 'virtio', 'virtio-transitional', 'virtio-non-transitional'] }]]],
  // (11.3's crypto device, virDomainCryptoDefParseXML: its model and type, then its backend's model and queues; its pstore,
  // virDomainPstoreDefParseXML: its backend — each required, read before the device information; not in libvirt 9.0; the
  // queues written `%d` and only when not 0, virDomainCryptoDefFormat — seen on libvirtd 11.3)
  ['devices/crypto', [['model', 'enum', { values: ['virtio'], required: true, since11: true }], ['type', 'enum', { values: ['qemu'], required: true, since11: true }]]],
  ['devices/crypto/backend', [['model', 'enum', { values: ['builtin', 'lkcf'], required: true, since11: true }], ['queues', 'uint', { since11: true, zeroUnwritten: true, signedWritten: true }]]],
  ['devices/pstore', [['backend', 'enum', { values: ['acpi-erst'], required: true, since11: true }]]],
  ['features/hyperv', [['mode', 'enum', { values: ['custom', 'passthrough'] }]]],
  ['features/capabilities', [['policy', 'enum', { values: ['default', 'allow', 'deny'], defaultWritten: true }]]],
  // (then each process capability in turn, virDomainFeaturesCapabilitiesDefParse: its name, then its state, on or off —
  // none is on; probe h38-feat-caps-child-apic, libvirtd 9.0)
  ['features/capabilities/*', [['state', 'on-off']]],
  ['features/msrs', [['unknown', 'enum', { values: ['ignore', 'fault'], required: true }]]],
  ['features/gic', [['version', 'enum', { values: ['host', '2', '3'] }]]],
  ['features/ioapic', [['driver', 'enum', { values: ['qemu', 'kvm'] }]]],
  ['features/hpt', [['resizing', 'enum', { values: ['enabled', 'disabled', 'required'] }]]],
  ['features/cfpc', [['value', 'enum', { values: ['broken', 'workaround', 'fixed'] }]]],
  ['features/sbbc', [['value', 'enum', { values: ['broken', 'workaround', 'fixed'] }]]],
  ['features/ibs', [['value', 'enum', { values: ['broken', 'workaround', 'fixed-ibs', 'fixed-ccd', 'fixed-na'] }]]],
  ['cputune/vcpusched', [['scheduler', 'enum', { values: ['batch', 'idle', 'fifo', 'rr'], required: true }], ['priority', 'int', { required: true, when: realtimeScheduler }]]],
  ['cputune/iothreadsched', [['scheduler', 'enum', { values: ['batch', 'idle', 'fifo', 'rr'], required: true }], ['priority', 'int', { required: true, when: realtimeScheduler }]]],
  ['cputune/emulatorsched', [['scheduler', 'enum', { values: ['batch', 'idle', 'fifo', 'rr'], required: true }], ['priority', 'int', { required: true, when: realtimeScheduler }]]],
  ['vcpu', [['placement', 'enum', { values: ['static', 'auto'] }]]],
  ['cputune/cachetune/cache', [['type', 'enum', { values: ['both', 'code', 'data'], required: true }]]],
  ['numatune/memnode', [['mode', 'enum', { values: ['strict', 'preferred', 'interleave', 'restrictive'] }]]],
  // (virDomainNumaDefParseXML's order: a cell's id, its memory access, then its discard switch)
  ['cpu/numa/cell', [['id', 'uint'], ['memAccess', 'enum', { values: ['shared', 'private'] }], ['discard', 'yes-no']]],
  ['cpu/numa/interconnects/latency', [['type', 'enum', { values: ['access', 'read', 'write'], required: true }]]],
  ['cpu/numa/interconnects/bandwidth', [['type', 'enum', { values: ['access', 'read', 'write'], required: true }]]],
  ['cpu/cache', [['mode', 'enum', { values: ['emulate', 'passthrough', 'disable'], required: true }]]],
  ['cpu', [['migratable', 'on-off'], ['match', 'enum', { values: ['exact', 'minimum', 'strict'] }], ['check', 'enum', { values: ['default', 'none', 'partial', 'full'] }]]],
  ['devices/interface/vlan/tag', [['nativeMode', 'enum', { values: ['tagged', 'untagged'] }]]],
  ['devices/disk/encryption', [['engine', 'enum', { values: ['qemu', 'librbd'] }]]],
  // (a LUKS encryption's cipher: its key size, required — virStorageEncryptionInfoParseCipher, after the name; libvirtd 9.0)
  ...(['devices/disk/encryption/cipher', 'devices/disk/source/encryption/cipher'] as const).map((path): [string, readonly AttributeRead[]] => [path, [['size', 'uint', { required: true, when: { of: 'parent', attribute: 'format', values: ['luks'] } }]]]),
  ['devices/disk/source/encryption', [['engine', 'enum', { values: ['qemu', 'librbd'] }]]],
  // (an NVRAM source's likewise: virStorageEncryptionParseNode, probe h32-file-enc-engine-bad on libvirtd 9.0)
  ['os/nvram/source/encryption', [['engine', 'enum', { values: ['qemu', 'librbd'] }]]],
]

/**
 * The typed attribute reads, by the path of their element below <domain> (element names joined with `/`; `*`: an
 * element of any name there), each element's in libvirt's order.
 */
/**
 * The elements the formatter writes only when they hold something: the `<driver>`s it writes with virXMLFormatElement
 * (a disk's, controller's, filesystem's, NIC's, balloon's, RNG's, input's, IOMMU's, vsock's, video's), a timer's `<catchup>`, and
 * a virtio NIC's driver's `<host>` and `<guest>`, those behind a guard on their values (a disk's `<blockio>`, an audio backend's `<input>` and `<output>`, a memory
 * device's `<source>`) — libvirt
 * 9.0.0's and 11.3.0's domain_conf.c. A `<driver>` left with nothing once a 0 (`zeroUnwritten`) or a `default` is not
 * written back is no `<driver>` (seen on libvirtd 9.0).
 */
export const emptyUnwritten: ReadonlySet<string> = new Set([
  ...['disk', 'controller', 'filesystem', 'interface', 'memballoon', 'rng', 'input', 'iommu', 'vsock', 'video'].map((kind) => `devices/${kind}/driver`),
  // (a virtio NIC's offloads, virDomainNetDefFormat: virXMLFormatElement's `<host>` and `<guest>` in its `<driver>`)
  'devices/interface/driver/host', 'devices/interface/driver/guest',
  // (a reconnect without `enabled`: virDomainChrSourceReconnectDefFormat writes none — its timeout is not read then)
  ...['serial', 'parallel', 'console', 'channel', 'redirdev', 'smartcard', 'interface', 'disk', 'rng/backend'].map((kind) => `devices/${kind}/source/reconnect`),
  // (a BIOS without a serial console setting or reboot timeout, firmware without features: virDomainDefFormatInternal writes neither)
  'os/bios', 'os/firmware',
  // (a <memoryBacking>, <keywrap> or <perf> with nothing in it: its formatter writes none — libvirtd 9.0)
  'memoryBacking', 'keywrap', 'perf',
  // (a <memoryBacking>'s <source>, <access> and <allocation> without a type, a mode, or threads above 0:
  // virDomainMemorybackingFormat writes each for a setting alone — libvirtd 9.0, 11.3's alike)
  'memoryBacking/source', 'memoryBacking/access', 'memoryBacking/allocation',
  // (a NIC's or host device's <rom> without a setting: virDomainDeviceInfoFormat writes none — libvirtd 9.0)
  'devices/interface/rom', 'devices/hostdev/rom',
  'clock/timer/catchup', 'devices/disk/blockio', 'devices/audio/input', 'devices/audio/output', 'devices/memory/source',
  // (a virtio memory device's guest address of 0: virDomainMemoryTargetDefFormat writes none — libvirtd 11.3)
  'devices/memory/target/address',
  // (a disk's `<iotune>` and a guest NUMA's `<interconnects>`, virXMLFormatElement's: seen on libvirtd 9.0)
  'devices/disk/iotune', 'cpu/numa/interconnects',
  // (a NIC's <backend>, <mtu>, <tune> and <port> with nothing read: virDomainNetDefFormat writes each for a setting alone —
  // libvirtd 9.0)
  'devices/interface/backend', 'devices/interface/mtu', 'devices/interface/tune', 'devices/interface/port',
  // (an empty <blkiotune>, <iothreadids> or <defaultiothread>: virDomainDefFormatInternal writes the first only with a
  // weight or a device, the I/O thread IDs only when one was given (none was: every one is libvirt's to number), the
  // default I/O thread only with a pool size — libvirtd 9.0)
  'blkiotune', 'iothreadids', 'defaultiothread',
  // (libvirt 11: an I/O thread's `<poll>` without a setting — virDomainDefIOThreadIDsFormat's virXMLFormatElement; seen on
  // libvirtd 11.3)
  'iothreadids/iothread/poll',
  // (libvirt 11: a disk's `<throttlefilters>` without a filter — virDomainDiskDefFormatThrottleFilters' virXMLFormatElement;
  // seen on libvirtd 11.3)
  'devices/disk/throttlefilters',
])

/**
 * Attributes the formatter writes as they are, unescaped, by `parent/element`: a guest CPU's feature names
 * (virCPUDefFormatBuf's `name='%s'`, in 9.0 and 11.3 alike) — `<feature name='a&amp;b'/>` is stored as `name='a&b'`,
 * text no XML reader takes back (seen on libvirtd 9.0, where TCG takes a feature of any name) — and a firmware
 * configuration entry's name (virSysinfoFormatFWCfg's `<entry name='%s'`: `opt/a&b` is stored `name='opt/a&b'`, libvirtd
 * 9.0; 11.3's alike), and a NIC's filter reference (virNWFilterFormatParamAttributes' `filter='%s'`: `a&b` is stored
 * `filter='a&b'`, libvirtd 9.0, probe h45-fr-…-filter-amp; 11.3's alike).
 */
export const attributesWrittenUnescaped: ReadonlyMap<string, readonly string[]> = new Map([
  ['cpu/feature', ['name']], ['sysinfo/entry', ['name']], ['interface/filterref', ['filter']],
  // (a UDP interface's local end, `<local address='%s'`, virDomainNetDefFormat; an 802.1Qbh port's profile ID,
  // virNetDevVPortProfileFormat's `profileid='%s'` — probes h45-esc-udp-local, h45-esc-vp-prof, libvirtd 9.0; 11.3's alike)
  ['source/local', ['address']], ['virtualport/parameters', ['profileid']],
])

/**
 * What libvirt 9.0 alone writes unescaped, beside `attributesWrittenUnescaped`: a socket interface's address
 * (virDomainNetDefFormat's `<source address='%s' port='%d'` for a server, client, multicast or UDP end; 11.3 escapes it —
 * probes h45-esc-server-addr, h45-esc-udp-addr, libvirtd 9.0).
 */
export const attributesWrittenUnescaped9: ReadonlyMap<string, readonly string[]> = new Map([...attributesWrittenUnescaped, ['interface/source', ['address']]])

/**
 * Elements whose text the formatter puts in a child buffer before writing the element (virXMLFormatElementInternal), by
 * `parent/element`: the firmware loader's path and an NVRAM's path (virDomainLoaderDefFormat, libvirt 9.0 and 11.3).
 * The closing tag is printed on its own, so after a text ending in a newline it is indented like the element
 * (virBufferApplyIndent): `<loader>\n/a.fd\n</loader>` is stored with `    </loader>` (seen on libvirtd 9.0).
 */
export const textClosedAfterIndent: ReadonlySet<string> = new Set(['os/loader', 'os/nvram'])

/**
 * Elements the formatter writes only when all these numbers of theirs are above 0, by path below `<domain>`: else the
 * element is not written back, whatever else it holds — a disk's `<geometry>` needs cylinders, heads and sectors
 * (virDomainDiskGeometryDefFormat; `<geometry cyls='100' heads='16' trans='lba'/>` is stored as none: seen on libvirtd 9.0).
 */
export const writtenWhenAllPositive: ReadonlyMap<string, readonly string[]> = new Map([['devices/disk/geometry', ['cyls', 'heads', 'secs']]])

/**
 * Attributes the parser reads where the release's schema does not take them, checked (the refusals in the parser's words
 * are preview's rows) and never written back, by element path below `<domain>`: an iSCSI host device's source host's
 * `transport` and `socket` — virDomainHostdevSubsysSCSIiSCSIDefParseXML reads its host as a network disk's
 * (virDomainStorageNetworkParseHost: a transport of tcp, unix or rdma, a socket for unix alone, a name for the others),
 * virDomainHostdevDefFormatSubsysSCSI writes the host's name and port alone (`<host transport='unix' socket='…'/>` is
 * stored `<host/>`; `<host name='h' socket='…'/>` refused — libvirtd 9.0; 11.3's code alike). And a volume
 * filesystem's source pool, volume and mode, which virDomainFSDefParseXML reads as a volume disk's
 * (virDomainDiskSourcePoolDefParse: the two together, a mode of host or direct — refused in its words before the driver;
 * probes h40-fs-src-volume-24, h40-fs2-vol-mode-bogus, libvirtd 9.0); the QEMU driver then refuses any volume filesystem.
 */
export const checkedUnwritten: ReadonlyMap<string, readonly string[]> = new Map([['devices/hostdev/source/host', ['transport', 'socket']], ['devices/filesystem/source', ['pool', 'volume', 'mode']]])

export const attributeReads: ReadonlyMap<string, readonly AttributeRead[]> = /* @__PURE__ */ (() => {
  const byPath = new Map<string, AttributeRead[]>()
  for (const [path, list] of reads) { const known = byPath.get(path); if (known) known.push(...list); else byPath.set(path, [...list]) }
  return byPath
})()

/** libvirt's domain types (virDomainVirt: `<domain type>`) and OS types (virDomainOS: `<os><type>`), the same in 9.0 and 11.3. */
export const domainTypes: ReadonlySet<string> = new Set(['none', 'qemu', 'kqemu', 'kvm', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp', 'parallels', 'bhyve', 'vz', 'hvf'])
export const osTypes: ReadonlySet<string> = new Set(['hvm', 'xen', 'linux', 'exe', 'uml', 'xenpvh'])

/**
 * More of libvirt's names its parser reads outside attributeReads (each the same in 9.0 and 11.3 unless said): the
 * lifecycle actions (virDomainLifecycleAction: `<on_poweroff>`…), the lock failure actions (virDomainLockFailure), the
 * clock offsets (virDomainClockOffset), the boot devices (virDomainBoot), the guest CPU modes (virCPUMode), the
 * architectures (virArch, `none` not one; libvirt 9.0 lacks loongarch64).
 */
export const lifecycleActions: readonly string[] = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart']
export const lockFailureActions: readonly string[] = ['default', 'poweroff', 'restart', 'pause', 'ignore']
export const clockOffsets: readonly string[] = ['utc', 'localtime', 'variable', 'timezone', 'absolute']
/** virDomainSmbiosMode (`none`: no <smbios> written). */
export const smbiosModes: readonly string[] = ['none', 'emulate', 'host', 'sysinfo']

/** The process capabilities `<features><capabilities>` names (virDomainProcessCapsFeature; its container drivers read them). */
export const processCapabilities: readonly string[] = [
  'audit_control', 'audit_write', 'block_suspend', 'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'ipc_lock', 'ipc_owner', 'kill', 'lease',
  'linux_immutable', 'mac_admin', 'mac_override', 'mknod', 'net_admin', 'net_bind_service', 'net_broadcast', 'net_raw', 'setgid', 'setfcap', 'setpcap', 'setuid',
  'sys_admin', 'sys_boot', 'sys_chroot', 'sys_module', 'sys_nice', 'sys_pacct', 'sys_ptrace', 'sys_rawio', 'sys_resource', 'sys_time', 'sys_tty_config', 'syslog', 'wake_alarm',
]
/**
 * The machine features `<features>` names (virDomainFeature in its order, the order virDomainDefFormatFeatures writes
 * them in and qemuValidateDomainDefFeatures checks them in): 9.0's — `<xen>` after `<ccf-assist>`, not beside `<kvm>`
 * (seen on libvirtd 9.0) —; 11.3 adds `async-teardown`, `ras`, `ps2` and `aia`.
 */
export const domainFeatures9: readonly string[] = ['acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'hyperv', 'kvm', 'pvspinlock', 'capabilities', 'pmu', 'vmport', 'gic', 'smm', 'ioapic', 'hpt', 'vmcoreinfo', 'htm', 'nested-hv', 'msrs', 'ccf-assist', 'xen', 'cfpc', 'sbbc', 'ibs', 'tcg']
export const domainFeatures11: readonly string[] = [...domainFeatures9, 'async-teardown', 'ras', 'ps2', 'aia']
/** The Hyper-V enlightenments `<features><hyperv>` names (virDomainHyperv in its order): 9.0's; 11.3 adds `emsr_bitmap` and `xmm_input`. */
export const hypervEnlightenments9: readonly string[] = ['relaxed', 'vapic', 'spinlocks', 'vpindex', 'runtime', 'synic', 'stimer', 'reset', 'vendor_id', 'frequencies', 'reenlightenment', 'tlbflush', 'ipi', 'evmcs', 'avic']
export const hypervEnlightenments11: readonly string[] = [...hypervEnlightenments9, 'emsr_bitmap', 'xmm_input']
/** The KVM features `<features><kvm>` names (virDomainKVM in its order; 9.0 and 11.3 alike). */
export const kvmFeatures: readonly string[] = ['hidden', 'hint-dedicated', 'poll-control', 'pv-ipi', 'dirty-ring']
/**
 * The machine features the parser reads as none unless they say something (virDomainFeaturesDefParse), by name: what
 * sets one — an attribute (`@driver`) or a child of a size above 0 (`maxpagesize`, in KiB rounded up). `<ioapic/>`,
 * `<hpt/>` (or its `<maxpagesize>` 0), `<cfpc/>`, `<sbbc/>`, `<ibs/>`, `<tcg/>` (or its `<tb-cache>` 0) are then not written back
 * (virDomainDefFormatFeatures) and no feature to validation (qemuValidateDomainDefPSeriesFeature refuses only a set
 * one off pSeries) — seen on libvirtd 9.0; 11.3's reader is the same, and reads libvirt 11's `<aia/>` so too (its value
 * the default: not written, not validated).
 */
export const featuresSetBy: ReadonlyMap<string, readonly string[]> = new Map([
  ['ioapic', ['@driver']], ['hpt', ['@resizing', 'maxpagesize']], ['tcg', ['tb-cache']], ['cfpc', ['@value']], ['sbbc', ['@value']], ['ibs', ['@value']], ['aia', ['@value']],
])
/**
 * A guest NUMA cell's memory cache associativities and write policies (virNumaCacheAssociativity, virNumaCachePolicy, in
 * their order; 9.0 and 11.3 alike): `none` is each one's 0, which libvirt 9.0 does not write back.
 */
export const numaCacheAssociativities: readonly string[] = ['none', 'direct', 'full']
export const numaCachePolicies: readonly string[] = ['none', 'writeback', 'writethrough']
/**
 * A guest NUMA cell cache's line size is kept in bytes in an `unsigned int` (virNumaCache's `line`; 9.0 and 11.3 alike):
 * virParseScaledValue reads it up to 2^64 - 1, and what is kept is that modulo 2^32 — `18446744073709551615` is written
 * `4294967295`, `4294967296` is 0, which virNumaCacheFormat does not write (seen on libvirtd 9.0).
 */
export const numaCacheLineModulus = 2n ** 32n
/** The Xen features `<features><xen>` names (virDomainXen in its order; 9.0 and 11.3 alike). */
export const xenFeatures: readonly string[] = ['e820_host', 'passthrough']
/** What <memoryBacking> reads by enumeration, without each one's first name (none, default), which libvirt refuses too. */
export const memoryBackingModes: readonly (readonly [element: string, attribute: string, names: readonly string[]])[] = [
  ['source', 'type', ['file', 'anonymous', 'memfd']], ['access', 'mode', ['shared', 'private']], ['allocation', 'mode', ['immediate', 'ondemand']],
]
export const bootDevices: readonly string[] = ['fd', 'cdrom', 'hd', 'network']

/**
 * The ACPI table types libvirt 11's parser reads (virDomainOsACPITable: `<os><acpi><table type=…>`; QEMU refuses
 * `rawset`, and each type but `raw` may appear once). libvirt 9.0 reads one table, of type `slic` alone.
 */
export const acpiTableTypes: readonly string[] = ['raw', 'rawset', 'slic', 'msdm']
export const cpuModes: readonly string[] = ['custom', 'host-model', 'host-passthrough', 'maximum']
export const archNames9: ReadonlySet<string> = new Set(['alpha', 'armv6l', 'armv7l', 'armv7b', 'aarch64', 'cris', 'i686', 'ia64', 'lm32', 'm68k', 'microblaze', 'microblazeel', 'mips', 'mipsel', 'mips64', 'mips64el', 'openrisc', 'parisc', 'parisc64', 'ppc', 'ppcle', 'ppc64', 'ppc64le', 'ppcemb', 'riscv32', 'riscv64', 's390', 's390x', 'sh4', 'sh4eb', 'sparc', 'sparc64', 'unicore32', 'x86_64', 'xtensa', 'xtensaeb'])
export const archNames: ReadonlySet<string> = new Set([...archNames9, 'loongarch64'])

const int32Max = 2 ** 31 - 1
const uint32Max = 2 ** 32 - 1

/**
 * Which attributes libvirt reads with virXMLPropString and its typed kin (virXMLPropEnum, …UInt, …TristateBool,
 * virDomainVirtioOptionsParseXML's, virSecretLookupParseSecret's, virNWFilterParseParamAttributes') — xmlGetProp, which
 * finds an attribute by its local name whatever its namespace, the first of that name in the element (`<disk
 * x:device='cdrom'>` is a CD-ROM, `<audio x:timerPeriod='7' timerPeriod='5'>` has the period 7) — by element path below
 * `<domain>` (`devices/*` any device): `*` every attribute the element's reader takes, else the names. The rest of an
 * element's attributes are read with XPath (`string(./target/@dir)`, `string(./model/@type)`, a scaled value's
 * `./@unit`: virDomainParseMemory, virParseScaledValue), which sees attributes in no namespace only: a prefixed one is
 * not read there, and dropped. An element not listed is read with XPath alone (`<clock>`, `<os><type>`, `<alias>`,
 * `<memory>`'s unit, a NIC's `<model>`, `<link>`, `<mtu>`, a filesystem's `<target>`). Traced in libvirt 9.0's
 * domain_conf.c, cpu_conf.c, numa_conf.c, device_conf.c, storage_source_conf.c, storage_encryption_conf.c,
 * netdev_*_conf.c, networkcommon_conf.c, network_conf.c and nwfilter_params.c (function by function, each read's
 * node); seen on libvirtd 9.0 (probes h25-nsa-…, h29-…).
 */
const localNameReads9: readonly (readonly [path: string, attributes: '*' | readonly string[]])[] = [
  // (audio backends and their settings, sound cards, watchdogs, panic devices, smartcards, redirected USB, filter rules,
  // leases' targets: virDomainAudioDefParseXML, virDomainSoundDefParseXML, … — probes h25-nsa-…)
  ['devices/audio', '*'], ['devices/audio/input', '*'], ['devices/audio/output', '*'], ['devices/audio/input/settings', '*'], ['devices/audio/output/settings', '*'],
  ['devices/sound', '*'], ['devices/sound/codec', '*'], ['devices/sound/audio', '*'], ['devices/graphics/audio', '*'],
  ['devices/watchdog', '*'], ['devices/panic', '*'], ['devices/smartcard', '*'], ['devices/redirdev', '*'], ['devices/redirfilter/usbdev', '*'], ['devices/lease/target', '*'],
  // (every device's address and its zPCI part, boot order, ROM, ACPI index, USB master: virDomainDeviceAddressParseXML
  // and device_conf.c's readers, virDomainDeviceBootParseXML, virDomainDeviceInfoParseXML's `rom` and `acpi` — not its
  // alias, `string(./alias/@name)`; virDomainDeviceUSBMasterParseXML)
  ['devices/*/address', '*'], ['devices/*/address/zpci', '*'], ['devices/*/boot', '*'], ['devices/*/rom', '*'], ['devices/*/acpi', '*'], ['devices/*/master', '*'],
  // (a disk: virDomainDiskDefParseXML, …ParseSourceXML, …DriverParseXML and …DriverSourceParseXML with the virtio
  // options, …GeometryParse, virDomainStorageSourceParse, virDomainDiskSourceNetworkParse — not a snapshot's or a
  // config's `name`/`file`, readahead, timeout, `string(./snapshot/@name)` … —, virDomainStorageNetworkParseHost,
  // …ParseNFS, virDomainDiskSourcePoolDefParse, …NVMeParse (its PCI address: virPCIDeviceAddressParseXML, no type
  // read), …VHostUserParse; virDomainDiskBackingStoreParse but its `<format>`; a slice's offset and size, a cookie's name, an auth's username and type, an iSCSI initiator's name,
  // a reservation source's and an encryption's format and secret type are XPath's)
  ['devices/disk', '*'], ['devices/disk/driver', '*'], ['devices/disk/target', '*'], ['devices/disk/geometry', '*'], ['devices/disk/blockio', '*'], ['devices/disk/transient', '*'],
  ['devices/disk/source', '*'], ['devices/disk/source/host', '*'], ['devices/disk/source/address', ['domain', 'bus', 'slot', 'function', 'multifunction']],
  ['devices/disk/source/identity', '*'], ['devices/disk/source/ssl', '*'], ['devices/disk/source/reservations', ['managed']],
  ['devices/disk/source/seclabel', '*'], ['devices/disk/source/auth/secret', '*'], ['devices/disk/auth/secret', '*'],
  ['devices/disk/source/encryption', ['engine']], ['devices/disk/encryption', ['engine']], ['devices/disk/source/encryption/secret', ['uuid', 'usage']], ['devices/disk/encryption/secret', ['uuid', 'usage']],
  ['devices/disk/source/encryption/cipher', '*'], ['devices/disk/source/encryption/ivgen', '*'], ['devices/disk/encryption/cipher', '*'], ['devices/disk/encryption/ivgen', '*'],
  ['devices/disk/backingStore', '*'], ['devices/disk/backingStore/source', '*'], ['devices/disk/mirror', '*'],
  // (a controller, its driver, model, target: virDomainControllerDefParseXML)
  ['devices/controller', '*'], ['devices/controller/driver', '*'], ['devices/controller/model', '*'], ['devices/controller/target', '*'],
  // (a NIC: virDomainNetDefParseXML, …ParseXMLDriver, virDomainNetBackendParseXML, virDomainNetIPParseXML,
  // virNetDevIPRouteParseXML (the guest's and, under `<source>`, the host's), virDomainNetPortForwardDefParseXML and its
  // ranges, virNetDevBandwidthParse and …ParseRate,
  // virNetDevVlanParse's tags, virNetDevVPortProfileParse, virNWFilterParseParamAttributes, virNetworkPortOptionsParseXML
  // — not its model's type, `<guest>`, `<link>`, `<script>`, `<downscript>`, `<backenddomain>`, `<mtu>`, `<coalesce>`,
  // `<teaming>`, a VLAN's `trunk`, a host device NIC's source address `type` — its PCI or USB numbers are read so)
  ['devices/interface', '*'], ['devices/interface/source', '*'], ['devices/interface/source/local', '*'], ['devices/interface/source/reconnect', '*'],
  ['devices/interface/source/address', ['domain', 'bus', 'slot', 'function', 'multifunction', 'device']], ['devices/interface/source/vendor', '*'], ['devices/interface/source/product', '*'],
  ['devices/interface/source/ip', '*'], ['devices/interface/source/route', '*'], ['devices/interface/bandwidth', '*'],
  ['devices/interface/target', '*'], ['devices/interface/mac', '*'], ['devices/interface/driver', '*'], ['devices/interface/driver/host', '*'], ['devices/interface/driver/guest', '*'],
  ['devices/interface/backend', '*'], ['devices/interface/filterref', '*'], ['devices/interface/filterref/parameter', '*'], ['devices/interface/ip', '*'], ['devices/interface/route', '*'],
  ['devices/interface/bandwidth/inbound', '*'], ['devices/interface/bandwidth/outbound', '*'], ['devices/interface/vlan/tag', '*'], ['devices/interface/virtualport', '*'],
  ['devices/interface/virtualport/parameters', '*'], ['devices/interface/portForward', '*'], ['devices/interface/portForward/range', '*'], ['devices/interface/port', '*'],
  // (an input device: virDomainInputDefParseXML; a hub: virDomainHubDefParseXML)
  ['devices/input', '*'], ['devices/input/source', '*'], ['devices/input/driver', '*'], ['devices/hub', '*'],
  // (a display: virDomainGraphicsDefParseXML and each type's, virDomainGraphicsAuthDefParseXML, …ListensParseXML,
  // …ListenDefParseXML)
  ['devices/graphics', '*'], ['devices/graphics/listen', '*'], ['devices/graphics/gl', '*'], ['devices/graphics/channel', '*'], ['devices/graphics/image', '*'],
  ['devices/graphics/jpeg', '*'], ['devices/graphics/zlib', '*'], ['devices/graphics/playback', '*'], ['devices/graphics/streaming', '*'], ['devices/graphics/clipboard', '*'],
  ['devices/graphics/filetransfer', '*'], ['devices/graphics/mouse', '*'],
  // (a video device: its driver and its model's acceleration and resolution — virDomainVideoDriverDefParseXML,
  // …AccelDefParseXML, …ResolutionDefParseXML; 9.0 reads the model's own attributes with XPath, `string(./model/@type)`)
  ['devices/video/driver', '*'], ['devices/video/model/acceleration', '*'], ['devices/video/model/resolution', '*'],
  // (character devices: virDomainChrDefParseXML, …TargetXML — not its model's name, `string(./model/@name)` —,
  // virDomainChrSourceDefParseXML and each type's — a QEMU vdagent's clipboard and mouse too: …ParseQemuVdagent —,
  // …ReconnectDefParseXML, …ParseProtocol, …ParseLog; the sources of
  // redirected USB, smartcards and RNG backends are read alike)
  ...['serial', 'parallel', 'console', 'channel'].flatMap((d) => [`devices/${d}`, `devices/${d}/target`, `devices/${d}/source`, `devices/${d}/source/reconnect`, `devices/${d}/source/seclabel`, `devices/${d}/source/clipboard`, `devices/${d}/source/mouse`, `devices/${d}/protocol`, `devices/${d}/log`].map((p) => [p, '*'] as const)),
  ...['redirdev', 'smartcard', 'rng/backend'].flatMap((d) => [`devices/${d}/source`, `devices/${d}/source/reconnect`, `devices/${d}/source/seclabel`, `devices/${d}/protocol`, `devices/${d}/log`].map((p) => [p, '*'] as const)),
  // (a host device: virDomainHostdevDefParseXML, …XMLSubsys, …SubsysUSBDefParseXML, …PCIDefParseXML with
  // virPCIDeviceAddressParseXML, …SCSIHostDefParseXML — not an adapter's name —, …iSCSIDefParseXML, …VHostDefParseXML,
  // …MediatedDevDefParseXML; a source's startupPolicy for USB alone: attributesReadByLocalNameWhen)
  ['devices/hostdev', '*'], ['devices/hostdev/source', '*'], ['devices/hostdev/source/vendor', '*'], ['devices/hostdev/source/product', '*'], ['devices/hostdev/source/address', '*'],
  ['devices/hostdev/source/host', '*'], ['devices/hostdev/source/auth/secret', '*'], ['devices/hostdev/driver', '*'],
  // (a balloon, an RNG — not its rate, `string(./rate/@bytes)` —, a TPM — not its backend's device path, encryption
  // secret or an external backend's source type: attributesReadByLocalNameWhen —, a filesystem — not its target's
  // dir, its driver's queue, its binary's path or thread pool size —, shared memory, memory devices, IOMMU, vsock:
  // virDomainMemballoonDefParseXML, virDomainRNGDefParseXML,
  // virDomainTPMDefParseXML, virDomainFSDefParseXML, virDomainShmemDefParseXML, virDomainMemoryDefParseXML,
  // virDomainIOMMUDefParseXML, virDomainVsockDefParseXML)
  ['devices/memballoon', '*'], ['devices/memballoon/stats', '*'], ['devices/memballoon/driver', '*'],
  ['devices/rng', '*'], ['devices/rng/backend', '*'], ['devices/rng/driver', '*'],
  ['devices/tpm', '*'], ['devices/tpm/backend', '*'], ['devices/tpm/backend/source', '*'], ['devices/tpm/backend/source/reconnect', '*'],
  ['devices/filesystem', '*'], ['devices/filesystem/source', '*'], ['devices/filesystem/driver', ['type', 'wrpolicy', 'format', 'iommu', 'ats', 'packed', 'page_per_vq']],
  ['devices/filesystem/binary', ['xattr']], ['devices/filesystem/binary/lock', '*'], ['devices/filesystem/binary/cache', '*'], ['devices/filesystem/binary/sandbox', '*'],
  ['devices/shmem', '*'], ['devices/shmem/model', '*'], ['devices/shmem/server', '*'], ['devices/shmem/msi', '*'],
  ['devices/memory', '*'], ['devices/iommu', '*'], ['devices/iommu/driver', '*'], ['devices/vsock', '*'], ['devices/vsock/cid', '*'], ['devices/vsock/driver', '*'],
  // (the OS: virDomainLoaderDefParseXML, …ParseXMLNvram and a network NVRAM's source (virDomainStorageSourceParse),
  // virDomainDefParseBootXML, …BootFirmwareOptions' features,
  // …BootAcpiOptions, …BootInitOptions — not `<type>`'s arch and machine, `<os firmware>`, `<smbios mode>`, an ID map's)
  ['os/loader', '*'], ['os/nvram', '*'], ['os/nvram/source', '*'], ['os/nvram/source/host', '*'], ['os/boot', '*'], ['os/bootmenu', '*'], ['os/bios', '*'], ['os/firmware/feature', '*'], ['os/acpi/table', '*'], ['os/initenv', '*'],
  // (the guest CPU: virCPUDefParseXML — not its model's fallback and vendor_id, a host CPU's TSC counter found by an
  // XPath predicate on its name, `./counter[@name='tsc']` —, virCPUDefParseXMLCache; its NUMA
  // cells: virDomainNumaDefParseXML — not a cell's memory and unit, a cache's size and line, a bandwidth's value and
  // unit: virDomainParseMemory —, …NodeDistanceParseXML, …NodeCacheParseXML)
  ['cpu', '*'], ['cpu/topology', '*'], ['cpu/feature', '*'], ['cpu/cache', '*'], ['cpu/maxphysaddr', '*'], ['cpu/signature', '*'], ['cpu/counter', ['frequency', 'scaling']],
  ['cpu/numa/cell', ['id', 'cpus', 'memAccess', 'discard']], ['cpu/numa/cell/distances/sibling', '*'], ['cpu/numa/cell/cache', '*'],
  ['cpu/numa/interconnects/latency', '*'], ['cpu/numa/interconnects/bandwidth', ['initiator', 'target', 'cache', 'type']],
  // (the machine features, walked by local name: virDomainFeaturesDefParse, …HyperVDefParse, …KVMDefParse,
  // …XENDefParse, …CapabilitiesDefParse — not a page size's, a TSEG's or a translation cache's unit)
  ...['features/*', 'features/hyperv/*', 'features/hyperv/stimer/direct', 'features/kvm/*', 'features/xen/*', 'features/capabilities/*'].map((p) => [p, '*'] as const),
  // (a timer and its catch-up: virDomainTimerDefParseXML — `<clock>`'s own are XPath's)
  ['clock/timer', '*'], ['clock/timer/catchup', '*'],
  // (vCPUs: virDomainVcpuParse; `<memory dumpCore>`: virDomainDefParseMemory — the unit is XPath's)
  ['vcpu', '*'], ['vcpus/vcpu', '*'], ['memory', ['dumpCore']],
  // (NUMA tuning: virDomainNumatuneParseXML, …NodeParseXML; CPU tuning: virDomainVcpuPinDefParseXML,
  // virDomainEmulatorPinDefParseXML, virDomainIOThreadPinDefParseXML, virDomainThreadSchedParseHelper,
  // virDomainResctrlParseVcpus, virDomainCachetuneDefParseCache — not a cache's size and unit —,
  // virDomainResctrlMonDefParse, virDomainMemorytuneDefParseMemory; I/O threads: virDomainIOThreadIDDefParseXML,
  // virDomainDefaultIOThreadDefParse)
  ['numatune/memory', '*'], ['numatune/memnode', '*'],
  ['cputune/vcpupin', '*'], ['cputune/emulatorpin', '*'], ['cputune/iothreadpin', '*'], ['cputune/vcpusched', '*'], ['cputune/iothreadsched', '*'], ['cputune/emulatorsched', '*'],
  ['cputune/cachetune', '*'], ['cputune/cachetune/cache', ['id', 'level', 'type']], ['cputune/cachetune/monitor', '*'], ['cputune/memorytune', '*'], ['cputune/memorytune/node', '*'], ['cputune/memorytune/monitor', '*'],
  ['iothreadids/iothread', '*'], ['defaultiothread', '*'],
  // (memory backing's huge pages: their node set — not a page's size and unit; power management, perf events, key
  // wrapping, security labels, sysinfo's type and firmware config entries, launch security: virDomainHugepagesParseXML,
  // virDomainPMStateParseXML, virDomainPerfEventDefParseXML, virDomainKeyWrapCipherDefParseXML,
  // virSecurityLabelDefParseXML, virSysinfoParseXML, virSysinfoParseFWCfgDef — SMBIOS entries are found by an XPath
  // predicate, `entry[@name='vendor']`, one level down —, virDomainSecDefParseXML)
  ['memoryBacking/hugepages/page', ['nodeset']], ['pm/suspend-to-mem', '*'], ['pm/suspend-to-disk', '*'], ['perf/event', '*'], ['keywrap/cipher', '*'],
  ['seclabel', '*'], ['sysinfo', '*'], ['sysinfo/entry', '*'], ['launchSecurity', '*'],
  // (the QEMU driver's namespace, under libvirt's prefix: an argument's value, an environment variable's name and
  // value, a capability added or removed, a device override's alias and its properties — qemuDomainDefNamespaceParse*;
  // not the deprecation behaviour, `string(./qemu:deprecation/@behavior)` — probes h29-q-…)
  ['qemu:commandline/qemu:arg', '*'], ['qemu:commandline/qemu:env', '*'], ['qemu:capabilities/qemu:add', '*'], ['qemu:capabilities/qemu:del', '*'],
  ['qemu:override/qemu:device', '*'], ['qemu:override/qemu:device/qemu:frontend/qemu:property', '*'],
]
/**
 * libvirt 11.3's differences (compared with 9.0's source, function by function): a video model's own attributes are
 * read with xmlGetProp (virDomainVideoModelDefParseXML), and a TPM backend's source (`type`, `path`) and profile, a
 * crypto device and its backend, pstore, a disk's throttle filters, I/O thread mapping and data store, an SSH source's
 * known hosts, an NBD source's reconnect delay, a memory device's target, an I/O thread's polling.
 */
const localNameReads11: readonly (readonly [path: string, attributes: '*' | readonly string[]])[] = [
  ...localNameReads9, ['devices/video/model', '*'], ['devices/tpm/profile', '*'],
  ['devices/crypto', '*'], ['devices/crypto/backend', '*'], ['devices/pstore', '*'], ['devices/disk/throttlefilters/throttlefilter', '*'],
  ['iothreadids/iothread/poll', '*'], ['devices/disk/driver/iothreads/iothread', '*'], ['devices/disk/driver/iothreads/iothread/queue', '*'],
  ['devices/disk/source/knownHosts', '*'], ['devices/disk/source/reconnect', '*'], ['devices/disk/source/dataStore', '*'], ['devices/disk/source/dataStore/source', '*'],
  ['devices/memory/target', '*'], ['devices/memory/target/address', '*'],
]
export const attributesReadByLocalName9: ReadonlyMap<string, '*' | readonly string[]> = new Map(localNameReads9)
/**
 * The attributes of a path in attributesReadByLocalName that libvirt reads with xmlGetProp only when the element's
 * parent says so (its `attribute` one of `values`), and otherwise does not read at all: a host device source's
 * `startupPolicy`, read for USB alone (virDomainHostdevSubsysUSBDefParseXML) — another type's is looked for with XPath,
 * `boolean(./source/@startupPolicy)`, which does not see a prefixed one (refused plain, dropped prefixed: probes
 * h29-h3-pci-startup, -h3-pci-startup-plain; 9.0 and 11.3 alike).
 */
export const attributesReadByLocalNameWhen: ReadonlyMap<string, readonly (readonly [attribute: string, parentAttribute: string, values: readonly string[]])[]> = new Map([
  ['devices/hostdev/source', [['startupPolicy', 'type', ['usb']]]],
  // (an external TPM's source: its type with XPath, `string(./backend/source/@type)`, the rest as a character device's
  // source; 11.3's emulator source reads its type with virXMLPropEnum — probe h29-r23-15, libvirtd 9.0)
  ['devices/tpm/backend/source', [['type', 'type', ['emulator']]]],
])
export const attributesReadByLocalName: ReadonlyMap<string, '*' | readonly string[]> = new Map(localNameReads11)

/** The names an enumeration read takes in the release (`values11` for libvirt 11.3 where its names differ). */
export function enumNames(options: AttributeReadOptions, libvirt11: boolean): readonly string[] | undefined {
  return libvirt11 ? options.values11 ?? options.values : options.values
}

/**
 * The refusal libvirt's reader gives for `value` (`undefined`: the attribute is missing) of `attribute` on `element`, in
 * its words (an enumeration's names libvirt 9.0's, or 11.3's with `libvirt11`), or `undefined` when it reads.
 */
export function attributeReadProblem(value: string | undefined, [attribute, kind, options = {}]: AttributeRead, element: string, libvirt11 = false): string | undefined {
  if (value === undefined) return options.required ? `Missing required attribute '${attribute}' in element '${element}'` : undefined
  const invalid = (expected: string): string => `Invalid value for attribute '${attribute}' in element '${element}': '${value}'.${expected}`
  if (kind === 'yes-no') return value === 'yes' || value === 'no' ? undefined : invalid('')
  if (kind === 'on-off') return value === 'on' || value === 'off' ? undefined : invalid('')
  if (kind === 'enum') return enumNames(options, libvirt11)?.includes(value) ? undefined : options.refusedNames?.values.includes(value) ? options.refusedNames.words.replace('%s', value) : invalid('')
  if (kind === 'ullong') {
    // (virStrToLong_ullp: strtoull over the whole text, any minus sign refused, 64 bits)
    const big = readCUnsignedLongLong(value, options.base ?? 10)
    if (big === undefined) return invalid(' Expected non-negative integer value')
    return options.nonzero && big === 0n ? `Invalid value for attribute '${attribute}' in element '${element}': Zero is not permitted` : undefined
  }
  const read = readCInteger(value, options.base ?? 10)
  if (kind === 'uint') {
    // (virStrToLong_uip refuses any minus sign)
    if (!read || read.negative || read.magnitude > uint32Max) return invalid(' Expected non-negative integer value')
  } else {
    if (!read || read.magnitude > (read.negative ? int32Max + 1 : int32Max)) return invalid(' Expected integer value')
    if (options.nonnegative && read.negative && read.magnitude !== 0) return invalid(' Expected non-negative value')
  }
  return options.nonzero && read.magnitude === 0 ? `Invalid value for attribute '${attribute}' in element '${element}': Zero is not permitted` : undefined
}

/** A base-10 integer's value as libvirt writes what it read (`+05` is `5`), when it reads and is written otherwise. */
export function attributeReadValue(value: string, [, kind, options = {}]: AttributeRead): string | undefined {
  if (kind === 'ullong') {
    const big = readCUnsignedLongLong(value, options.base ?? 10)
    const written = big === undefined ? undefined : options.prefixed ? `0x${big.toString(options.prefixed.radix).padStart(options.prefixed.width, '0')}` : String(big)
    return written === value ? undefined : written
  }
  if ((kind !== 'uint' && kind !== 'int') || (options.base === 0 && !options.decimal && !options.prefixed)) return undefined
  const read = readCInteger(value, options.base ?? 10)
  if (!read) return undefined
  const written = options.prefixed && !read.negative ? `0x${read.magnitude.toString(options.prefixed.radix).padStart(options.prefixed.width, '0')}`
    : options.signedWritten && kind === 'uint' && !read.negative && read.magnitude > int32Max ? String(read.magnitude - (int32Max + 1) * 2)
    : String(read.negative && read.magnitude !== 0 ? -read.magnitude : read.magnitude)
  return written === value ? undefined : written
}

/**
 * A long long as virStrToLong_ll reads the whole text in C's base 0 (C space, a sign, `0x` hex, a leading 0 octal, within
 * 64 signed bits: a VMware distributed switch's port and connection ids) or in base 10 (a clock's adjustment), or
 * `undefined`.
 */
export function readCLongLong(text: string, base: 0 | 10 = 0): bigint | undefined {
  const m = base === 10 ? /^[\t\n\v\f\r ]*([+-]?)([0-9]+)$/.exec(text) : /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text)
  if (!m) return undefined
  const digits = m[2]!
  const magnitude = BigInt(base === 0 && digits.length > 1 && digits[0] === '0' && digits[1] !== 'x' && digits[1] !== 'X' ? `0o${digits.slice(1)}` : digits)
  const value = m[1] === '-' ? -magnitude : magnitude
  return value < -(2n ** 63n) || value > 2n ** 63n - 1n ? undefined : value
}

/**
 * An unsigned long long as virStrToLong_ullp reads it (C space, an optional `+`, digits in base 10, 16 — an optional
 * `0x` — or C's base 0 — `0x` hex, a leading 0 octal —, within 64 bits), or `undefined`.
 */
export function readCUnsignedLongLong(text: string, base: 0 | 10 | 16): bigint | undefined {
  if (base === 16) {
    // (strtoull in base 16: an optional 0x, then hex digits)
    const hex = /^[\t\n\v\f\r ]*\+?(?:0[xX])?([0-9a-fA-F]+)$/.exec(text)
    if (!hex) return undefined
    const value = BigInt(`0x${hex[1]}`)
    return value > 0xffffffffffffffffn ? undefined : value
  }
  const m = /^[\t\n\v\f\r ]*\+?(?:(0[xX][0-9a-fA-F]+)|(0[0-7]*)|([0-9]+))$/.exec(text)
  if (!m) return undefined
  let value: bigint
  if (base === 10) {
    if (!/^[\t\n\v\f\r ]*\+?[0-9]+$/.test(text)) return undefined
    value = BigInt(text.trim().replace(/^\+/, ''))
  } else value = m[1] !== undefined ? BigInt(m[1]) : m[2] !== undefined ? BigInt(`0o${m[2].slice(1) || '0'}`) : BigInt(m[3]!)
  return value > 0xffffffffffffffffn ? undefined : value
}

/**
 * An unsigned number as virStrToLong_ui (`uint`) or virStrToLong_ull (`ullong`) read it: in `base` (10 unless given; 0
 * is C's: `0x` hexadecimal, a leading 0 octal), the whole text; a minus sign wraps around as strtoul does (`-1` is the
 * largest; for `uint`, only within 32 bits). `undefined` when it does not read. (virStrToLong_ullp, which refuses the
 * sign, is `readCUnsignedLongLong`.)
 */
export function readCUnsigned(text: string, read: 'uint' | 'ullong', base: 0 | 10 | 16 = 10): bigint | undefined {
  const negative = /^[\t\n\v\f\r ]*-/.test(text)
  const magnitude = readCUnsignedLongLong(negative ? text.replace('-', '') : text, base)
  if (magnitude === undefined) return undefined
  const modulus = read === 'uint' ? 2n ** 32n : 2n ** 64n
  if (read === 'uint' && magnitude >= modulus) return undefined
  return negative ? (modulus - magnitude) % modulus : magnitude
}

/**
 * A MAC address as virMacAddrParse reads it — six bytes of one or two hex digits each, `:` between them, and after the
 * sixth the end or a space or control character (what follows is not read) — as its six bytes, or `undefined`. libvirt
 * writes it back as virMacAddrFormat does: `formatMacAddress`.
 */
export function readMacAddress(text: string): number[] | undefined {
  const m = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})(?:$|[\x00-\x20])/.exec(text)
  return m ? m.slice(1, 7).map((b) => Number.parseInt(b, 16)) : undefined
}

/** Six bytes as virMacAddrFormat writes them: two lower-case hex digits each, `:` between. */
export const formatMacAddress = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')

const canonicalUuidForm = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * A UUID as virUUIDParse reads it — 16 hex pairs, dashes or spaces between pairs, white space around — written as
 * virUUIDFormat writes it (8-4-4-4-12, lower case), or `undefined` when it does not read.
 */
export function readUuid(value: string): string | undefined {
  if (canonicalUuidForm.test(value)) return value
  if (!/^[ \t\n\v\f\r]*(?:[- ]*[0-9A-Fa-f]{2}){16}[ \t\n\v\f\r]*$/.test(value)) return undefined
  const hex = value.replace(/[^0-9A-Fa-f]/g, '').toLowerCase()
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Whether a SPICE port's or D-Bus channel's name is one libvirt takes: letters, digits, `_`, `-` and `.`
 * (virDomainChrSourceDefValidateChannelName, SERIAL_CHANNEL_NAME_CHARS; an empty name passes).
 */
export function isChannelName(name: string): boolean {
  return /^[A-Za-z0-9_.-]*$/.test(name)
}
