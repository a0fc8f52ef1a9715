// Disk target names and buses, as libvirt reads and writes them.

/**
 * The target prefixes libvirt knows, in the order it tries them (`drive_prefix` of
 * `virDiskNameParse`, src/util/virutil.c): `fd`, `hd`, `vd`, `sd`, `xvd`, `ubd`.
 */
export const diskPrefixes = ['fd', 'hd', 'vd', 'sd', 'xvd', 'ubd'] as const

export type DiskPrefix = (typeof diskPrefixes)[number]

/**
 * Most letters a target name may have after its prefix: libvirt accumulates the index in a C
 * `int` without an overflow check, so 6 letters (index ≤ 321,272,405, `zzzzzz`) is the longest
 * name that reads back as itself.
 */
export const maxDiskNameLetters = 6

/** The highest index a name of {@link maxDiskNameLetters} letters reaches (`…zzzzzz`). */
export const maxDiskIndex = 321_272_405

/** A parsed target name: `vdb3` → `{ prefix: 'vd', index: 1, partition: 3 }`. */
export interface DiskName {
  readonly prefix: DiskPrefix
  readonly index: number
  /** Trailing digits (a partition), 0 when there are none. */
  readonly partition: number
}

/**
 * libvirt's disk name for an index (`virIndexToDiskName`): bijective base 26 after the prefix,
 * 0 → `vda`, 25 → `vdz`, 26 → `vdaa`, 701 → `vdzz`, 702 → `vdaaa`.
 * @throws RangeError for an index that is negative, not an integer or above {@link maxDiskIndex}.
 */
export function diskNameFromIndex(prefix: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > maxDiskIndex) throw new RangeError(`Unexpected disk index ${index}, expected an integer from 0 to ${maxDiskIndex}`)
  let name = ''
  for (let i = index; i >= 0; i = Math.floor(i / 26) - 1) name = String.fromCharCode(97 + (i % 26)) + name
  return prefix + name
}

const isLower = (code: number): boolean => code >= 97 && code <= 122
const isDigit = (code: number): boolean => code >= 48 && code <= 57

/**
 * Reads a target name as libvirt's `virDiskNameParse` does: a known prefix (first match in
 * {@link diskPrefixes}), at least one `a`–`z`, then optional digits (a partition; no leading zero
 * when there are several). `undefined` where libvirt answers -1, and for names of more than
 * {@link maxDiskNameLetters} letters (libvirt's `int` overflows there).
 */
export function parseDiskName(name: string): DiskName | undefined {
  const prefix = diskPrefixes.find((p) => name.startsWith(p))
  if (prefix === undefined) return undefined
  let i = prefix.length
  if (!isLower(name.charCodeAt(i))) return undefined
  let index = 0
  let letters = 0
  for (; i < name.length && isLower(name.charCodeAt(i)); i++, letters++) index = (index + (letters === 0 ? 0 : 1)) * 26 + name.charCodeAt(i) - 97
  if (letters > maxDiskNameLetters) return undefined
  const digits = name.slice(i)
  for (let d = 0; d < digits.length; d++) if (!isDigit(digits.charCodeAt(d))) return undefined
  if (digits.length > 1 && digits.startsWith('0')) return undefined
  const partition = digits === '' ? 0 : Number(digits)
  if (partition > 2_147_483_647) return undefined
  return { prefix, index, partition }
}

/**
 * The index libvirt's `virDiskNameToIndex` reads from a target name, or -1 where it answers -1 (then a disk
 * without an address is refused: "Unknown disk name '…' and no address specified"): a known prefix, at least
 * one `a`–`z`, then digits only (ignored here, a partition is not checked). Past six letters the C `int` that
 * accumulates the index overflows: libvirt 9.0 lets it wrap (a name is refused only when it lands negative;
 * `wrap`, observed on libvirtd 9.0), libvirt 11.3 refuses it (`refuse`, its test data's `disk-target-overflow`).
 */
export function diskNameToIndex(name: string, overflow: 'wrap' | 'refuse' = 'refuse'): number {
  const prefix = diskPrefixes.find((p) => name.startsWith(p))
  if (prefix === undefined) return -1
  let i = prefix.length
  if (!isLower(name.charCodeAt(i))) return -1
  let index = 0
  for (let letters = 0; i < name.length && isLower(name.charCodeAt(i)); i++, letters++) {
    if (overflow === 'wrap') index = (Math.imul((index + (letters === 0 ? 0 : 1)) | 0, 26) + name.charCodeAt(i) - 97) | 0
    else {
      index = (index + (letters === 0 ? 0 : 1)) * 26 + name.charCodeAt(i) - 97
      if (index > 2_147_483_647) return -1
    }
  }
  for (; i < name.length; i++) if (!isDigit(name.charCodeAt(i))) return -1
  return index < 0 ? -1 : index
}

/**
 * Whether libvirt's `virDiskNameParse` reads a target name together with its partition, as the QEMU driver does
 * for a disk that has an address ("Invalid harddisk device name: …" when not): {@link diskNameToIndex}'s reading,
 * and trailing digits that make a partition — no leading zero when there are several, within a C `int`.
 */
export function diskNameParses(name: string, overflow: 'wrap' | 'refuse' = 'refuse'): boolean {
  if (diskNameToIndex(name, overflow) < 0) return false
  let start = name.length
  while (start > 0 && isDigit(name.charCodeAt(start - 1))) start--
  const digits = name.slice(start)
  return !(digits.length > 1 && digits.startsWith('0')) && (digits === '' || Number(digits) <= 2_147_483_647)
}

/** Disk buses (`<target bus>`) libvirt knows. */
export type DiskBus = 'ide' | 'fdc' | 'scsi' | 'virtio' | 'xen' | 'usb' | 'uml' | 'sata' | 'sd' | 'nvme'

const prefixBus: Readonly<Record<DiskPrefix, DiskBus>> = { fd: 'fdc', hd: 'ide', vd: 'virtio', sd: 'scsi', xvd: 'xen', ubd: 'uml' }

/**
 * The bus libvirt gives a disk written without `<target bus>` (virDomainDiskDefPostParse,
 * src/conf/domain_postparse.c): a floppy is `fdc`; otherwise by the target's prefix — `hd` ide,
 * `sd` scsi, `vd` virtio, `xvd` xen, `ubd` uml — and `ide` for anything else.
 */
export function busFromTarget(dev: string | undefined, device: string = 'disk'): DiskBus {
  if (device === 'floppy') return 'fdc'
  if (dev === undefined) return 'ide'
  for (const prefix of ['hd', 'sd', 'vd', 'xvd', 'ubd'] as const) if (dev.startsWith(prefix)) return prefixBus[prefix]
  return 'ide'
}

const busPrefix: Readonly<Record<string, DiskPrefix>> = { virtio: 'vd', ide: 'hd', fdc: 'fd', xen: 'xvd', uml: 'ubd', scsi: 'sd', sata: 'sd', usb: 'sd', sd: 'sd' }

/**
 * The prefix new targets on a bus get: `vd` virtio, `hd` ide, `fd` fdc, `xvd` xen, `ubd` uml,
 * `sd` for scsi, sata, usb and sd (and any bus libvirt has no prefix of its own for). This is how
 * virt-install and virt-manager name new disks (virtinst `DeviceDisk.get_target_prefix`); libvirt
 * itself only reads the prefix back ({@link busFromTarget}).
 */
export function prefixForBus(bus: string): DiskPrefix {
  return Object.hasOwn(busPrefix, bus) ? busPrefix[bus]! : 'sd'
}

/** Disk buses QEMU can hot-plug a disk on; IDE, SATA (AHCI) and floppy cannot. */
export const hotpluggableDiskBuses: ReadonlySet<string> = new Set(['virtio', 'scsi', 'usb'])

/**
 * A disk's I/O limits (`<iotune>`'s numbers, virDomainBlockIoTuneInfo): the 13 throttles QEMU caps at 10^15 first (the
 * totals, reads and writes in bytes, then in I/O operations per second, their bursts, the I/O size), then the bursts'
 * lengths — the order virDomainDiskDefIotuneParse reads them in (the first that is not an integer is the one refused) and
 * the formatter writes them in (a throttle group's too, libvirt 11's virDomainThrottleGroupDefParseXML and
 * virDomainThrottleGroupFormat).
 */
export const diskIotuneLimits: readonly string[] = [
  ...['bytes', 'iops'].flatMap((unit) => ['total', 'read', 'write'].map((what) => `${what}_${unit}_sec`)),
  ...['bytes', 'iops'].flatMap((unit) => ['total', 'read', 'write'].map((what) => `${what}_${unit}_sec_max`)),
  'size_iops_sec',
  ...['bytes', 'iops'].flatMap((unit) => ['total', 'read', 'write'].map((what) => `${what}_${unit}_sec_max_length`)),
]

/**
 * How many bytes a disk's SCSI inquiry strings may hold (virDomainDiskDefValidate: VENDOR_LEN, PRODUCT_LEN): a vendor 8,
 * a product 16 — libvirt 11 takes a product on IDE and SATA disks too, of up to 40 bytes there (PRODUCT_ATA_SATA_LEN;
 * 16 on SCSI, PRODUCT_SCSI_LEN, from 11.3's source).
 */
export function diskInquiryLimit(field: 'vendor' | 'product', bus: string, libvirt11: boolean): number {
  if (field === 'vendor') return 8
  return libvirt11 && bus !== 'scsi' ? 40 : 16
}

/**
 * The disk buses the QEMU driver takes a SCSI inquiry string on (qemuValidateDomainDeviceDefDiskFrontend): libvirt 9.0 a
 * vendor or product on SCSI alone ("Only scsi disk supports vendor and product"); libvirt 11 a vendor on SCSI, a product
 * on IDE, SATA and SCSI (from 11.3's source).
 */
export function diskInquiryBuses(field: 'vendor' | 'product', libvirt11: boolean): ReadonlySet<string> {
  return new Set(libvirt11 && field === 'product' ? ['ide', 'sata', 'scsi'] : ['scsi'])
}

/** The network disk protocols whose source libvirt reads a `query` string for (virDomainDiskSourceNetworkParse): any other's is dropped. */
export const diskQueryProtocols: ReadonlySet<string> = new Set(['http', 'https'])

/**
 * A network disk protocol's default port (virStorageSourceNetworkDefaultPort, the same in libvirt 9.0 and 11.3): a TCP or
 * RDMA host written without one, or with port 0, takes it (virStorageSourceNetworkAssignDefaultPorts). RBD and NFS have
 * none (0, not written); VxHS's is 9999 (seen on libvirtd 9.0).
 */
export const networkDiskDefaultPorts: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21', ftps: '990', tftp: '69', nbd: '10809', gluster: '24007', iscsi: '3260', sheepdog: '7000', ssh: '22', vxhs: '9999' }

/**
 * The children of a disk `<source>` libvirt's formatter writes for a storage source of one type only
 * (virDomainDiskSourceFormat): security labels for any but a network source, `<auth>` for any but a volume (its pool
 * holds the credentials). Read by the parser either way, so a label or an auth written there is dropped (libvirtd 9.0).
 */
export const diskSourceChildrenUnwritten: Readonly<Record<string, readonly string[]>> = { network: ['seclabel'], volume: ['auth'] }

/**
 * An iSCSI target's name as libvirt's post-parse leaves it (virDomainPostParseCheckISCSIPath, a disk's and a SCSI host
 * device's): without a LUN (`/n`) it is LUN 0 — `iqn.1992-01.com.example` is `iqn.1992-01.com.example/0`.
 */
export function iscsiNameWithLun(name: string): string {
  return name === '' || name.includes('/') ? name : `${name}/0`
}

/**
 * Free target names, in libvirt's order, for the disks of one domain: each prefix keeps a cursor
 * that only moves forward (names are only ever taken), so naming n disks is O(n + names in use),
 * not a search from `vda` for every disk.
 */
export function createTargetNamer(used: Iterable<string>): (prefix: string) => string {
  const taken = new Set(used)
  const cursors = new Map<string, number>()
  return (prefix) => {
    let i = cursors.get(prefix) ?? 0
    while (taken.has(diskNameFromIndex(prefix, i))) i++
    const name = diskNameFromIndex(prefix, i)
    taken.add(name)
    cursors.set(prefix, i + 1)
    return name
  }
}
