// In which order libvirt's formatter writes the children of an element below <domain>, whatever the order they were
// written in: the one list of each, read from src/conf/domain_conf.c (the *Format functions named beside each) and
// checked on libvirtd 9.0 (preview's shuffle-children search edit, tools/preview-differential.ts). The domain's own
// children, <os>'s and <devices>' are in devices.ts. A name an order does not list keeps its place after the listed
// name before it (sortChildren).
import { deviceNames, osChildOrder } from './devices.ts'

const order = (...names: string[]): readonly string[] => Object.freeze(names)

/**
 * virDomainDiskSourceFormat: the type's own children, then slices, labels, auth, encryption, reservations, the data store.
 * A network source's (virDomainDiskSourceFormatNetwork): the hosts, an NFS source's identity, (11.x) an NBD source's
 * reconnect delay, the snapshot, the config file, the initiator (read for any protocol), then the curl protocols' SSL
 * check, cookies, read-ahead and timeout, (11.x) an SSH source's known hosts — probes h37-src-nfs and h37-src-https-init,
 * libvirtd 9.0; 11.3's formatter alike, but for an SSH source's identity, written after its known hosts ({@link sshDiskSource}).
 */
const diskSource = order('host', 'identity', 'reconnect', 'snapshot', 'config', 'initiator', 'ssl', 'cookies', 'readahead', 'timeout', 'knownHosts', 'address', 'slices', 'seclabel', 'auth', 'encryption', 'reservations', 'dataStore')

/** An SSH disk source (libvirt 11.x: 9.0 reads neither): its identity after its known hosts (virDomainDiskSourceFormatNetwork). */
const sshDiskSource = order(...diskSource.filter((n) => n !== 'identity' && n !== 'knownHosts').flatMap((n) => (n === 'timeout' ? [n, 'knownHosts', 'identity'] : [n])))

/** virDomainChrDefFormat: the source, then the target and the device information (as virDomainDeviceInfoFormat writes it). */
const chardev = order('source', 'protocol', 'log', 'target', 'alias', 'master', 'acpi', 'address')

/** virDomainNetDefFormat (VLAN, virtual port, bandwidth: in that order, as libvirtd 9.0 writes them). */
const netInterface = order('mac', 'source', 'vlan', 'virtualport', 'bandwidth', 'port', 'ip', 'route', 'portForward', 'script', 'downscript', 'backenddomain', 'target', 'guest', 'model', 'driver', 'backend', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'boot', 'alias', 'master', 'rom', 'acpi', 'address')

/** virDomainHostdevDefFormatSubsys: a host device's source — a USB device's IDs, a SCSI adapter, the address; an iSCSI target's host, its auth, the initiator. */
const hostdevSource = order('vendor', 'product', 'adapter', 'address', 'host', 'auth', 'initiator')

/** qemu-vdagent's options (virDomainChrSourceDefFormat). */
const vdagentSource = order('clipboard', 'mouse')

/** A character device's source: a UNIX socket's labels, then its reconnect (virDomainChrSourceDefFormat — probe h37-chr-unix-src, libvirtd 9.0; 11.3's alike). */
const chardevSource = order('seclabel', 'reconnect')

/**
 * Children in libvirt's order, by the element's path below `<domain>`. Beside the plain paths:
 * - a disk's `source` and `backingStore` orders hold in every backing store of the chain, however deep (an SSH source's
 *   own order, `devices/disk/source[@protocol='ssh']`, too);
 * - `devices/interface[@type='hostdev']` is a host device interface: its `<driver>` is the host device's, written before
 *   its source (virDomainHostdevDefFormatSubsys), and its source is a host device's;
 * - `…[@type='qemu-vdagent']/source` is a character device's source of that type (`devices/serial/source`… any other's).
 * Devices end with their device information ({@link deviceInfoChildOrder}), in those orders or after them.
 */
export const formatterChildOrders: Readonly<Record<string, readonly string[]>> = Object.freeze({
  os: osChildOrder,
  // (a firmware NVRAM's source is a disk source: virDomainDiskSourceFormat — the shuffle-children search edit, seed 349)
  'os/nvram/source': diskSource,
  // virDomainDefFormatBlkiotune: the weight, then each device's (its path, weight, then its limits)
  blkiotune: order('weight', 'device'),
  'blkiotune/device': order('path', 'weight', 'read_iops_sec', 'write_iops_sec', 'read_bytes_sec', 'write_bytes_sec'),
  // virDomainMemtuneFormat: the hard and soft limits, the guarantee, then the swap limit (11.3's alike; QEMU refuses a
  // guarantee, so only the other three are seen on libvirtd 9.0)
  memtune: order('hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit'),
  // virDomainMemoryBackingFormat
  memoryBacking: order('hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'),
  // virDomainCputuneDefFormat (the emulator pinning between the vCPU and I/O thread ones: libvirtd 9.0)
  cputune: order('shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period', 'iothread_quota', 'vcpupin', 'emulatorpin', 'iothreadpin', 'emulatorsched', 'vcpusched', 'iothreadsched', 'cachetune', 'memorytune'),
  // virDomainNumatuneFormatXML
  numatune: order('memory', 'memnode'),
  // virCPUDefFormatBuf: model, vendor, topology, cache, physical address bits, features, then the guest NUMA cells
  cpu: order('model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'),
  // virDomainNumaDefFormatXML: the cells, then their interconnects (each in the order read)
  'cpu/numa': order('cell', 'interconnects'),
  // (a cell's distances, then its caches: virNumaDistanceFormat, virNumaCacheFormat; a cache's size, then its line —
  // probe h37-cpu-cache, libvirtd 9.0; 11.3's formatter alike)
  'cpu/numa/cell': order('distances', 'cache'),
  'cpu/numa/cell/cache': order('size', 'line'),
  // virDomainSecDefFormat: SEV's and SEV-SNP's C-bit position and reduced physical address bits (virDomainSEVCommonDefFormat),
  // the policy, then SEV's certificate and session, or (11.x) SEV-SNP's workarounds, ID block, ID auth and host data
  // (virDomainSEVDefFormat, virDomainSEVSNPDefFormat: read from 9.0's and 11.3's source — the sandbox's QEMU has no SEV)
  launchSecurity: order('cbitpos', 'reducedPhysBits', 'policy', 'dhCert', 'session', 'guestVisibleWorkarounds', 'idBlock', 'idAuth', 'hostData'),
  // virDomainResourceDefFormat: the partition, then the Fibre Channel application ID (probe h37-resource; 11.3's alike)
  resource: order('partition', 'fibrechannel'),
  // virDomainDiskDefFormat with its device information (an <auth> written in the older place, under <disk>, stays there,
  // before <source>; the boot order is part of the device information, after the SCSI product, before the alias: both
  // seen on libvirtd 9.0)
  'devices/disk': order('driver', 'auth', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio', 'target', 'iotune', 'throttlefilters', 'readonly', 'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot', 'alias', 'address'),
  // virDomainDiskDefFormatDriver: the metadata cache, then (11.x: virDomainIothreadMappingDefFormat) the I/O thread mapping
  'devices/disk/driver': order('metadata_cache', 'iothreads'),
  'devices/disk/source': diskSource,
  "devices/disk/source[@protocol='ssh']": sshDiskSource,
  // virDomainDiskBackingStoreFormat
  'devices/disk/backingStore': order('format', 'source', 'backingStore'),
  // virDomainDiskDefFormatIotune: the limits, then the maxima, the I/O size and group, then the maxima's lengths
  'devices/disk/iotune': order(
    ...['bytes_sec', 'iops_sec', 'bytes_sec_max', 'iops_sec_max'].flatMap((what) => ['total', 'read', 'write'].map((which) => `${which}_${what}`)),
    'size_iops_sec', 'group_name',
    ...['bytes_sec_max_length', 'iops_sec_max_length'].flatMap((what) => ['total', 'read', 'write'].map((which) => `${which}_${what}`)),
  ),
  // (11.x) virDomainThrottleGroupFormat: a throttle group's limits, maxima, I/O size and maxima's lengths as a disk's
  // <iotune>, but its name last (11.3's source: 9.0 has no throttle groups)
  'throttlegroups/throttlegroup': order(
    ...['bytes_sec', 'iops_sec', 'bytes_sec_max', 'iops_sec_max'].flatMap((what) => ['total', 'read', 'write'].map((which) => `${which}_${what}`)),
    'size_iops_sec',
    ...['bytes_sec_max_length', 'iops_sec_max_length'].flatMap((what) => ['total', 'read', 'write'].map((which) => `${which}_${what}`)),
    'group_name',
  ),
  // virDomainControllerDefFormat: a PCI controller's model and target, then the driver (then the device information, the 64-bit hole)
  'devices/controller': order('model', 'target', 'driver'),
  // virDomainLeaseDefFormat
  'devices/lease': order('lockspace', 'key', 'target'),
  // virDomainFSDefFormat (libvirtd 9.0 writes a virtiofs filesystem written target-first as driver, binary, source, target; 11.3 the ID map after the binary)
  'devices/filesystem': order('driver', 'binary', 'idmap', 'source', 'target', 'readonly'),
  // (a virtiofs daemon's options: cache, sandbox, lock, thread pool; 11.x: then its open files limit)
  'devices/filesystem/binary': order('cache', 'sandbox', 'lock', 'thread_pool', 'openfiles'),
  'devices/interface': netInterface,
  "devices/interface[@type='hostdev']": order('mac', 'driver', ...netInterface.filter((n) => n !== 'mac' && n !== 'driver')),
  // (a tap's host-side addresses, then its routes: virDomainNetIPInfoFormat — the shuffle-children search edit, seed 349)
  'devices/interface/source': order('ip', 'route'),
  // (a host device interface's source is a PCI host device's: its address; virDomainHostdevDefFormatSubsys)
  "devices/interface[@type='hostdev']/source": order('vendor', 'product', 'address'),
  // virNetDevBandwidthFormat: inbound, then outbound
  'devices/interface/bandwidth': order('inbound', 'outbound'),
  // virDomainNetDefFormat's driver: the host's offloads, then the guest's
  'devices/interface/driver': order('host', 'guest'),
  // virDomainSmartcardDefFormat: the certificates, then the database (the shuffle-children search edit, seed 354)
  'devices/smartcard': order('certificate', 'database', 'source', 'protocol'),
  ...Object.fromEntries(deviceNames.chrKinds.flatMap((kind) => [[`devices/${kind}`, chardev], [`devices/${kind}/source`, chardevSource], [`devices/${kind}[@type='qemu-vdagent']/source`, vdagentSource]])),
  // virDomainGraphicsDefFormat
  'devices/graphics': order('listen', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'mouse', 'clipboard', 'filetransfer', 'gl', 'audio'),
  // virDomainAudioDefFormat: input, then output
  'devices/audio': order('input', 'output'),
  // virDomainSoundDefFormat: the codecs, then the audio backend (then the device information; probe h25-snd-order,
  // libvirtd 9.0)
  'devices/sound': order('codec', 'audio'),
  // virDomainVideoDefFormat (the virtio options' <driver> first)
  'devices/video': order('driver', 'model'),
  // virDomainInputDefFormat: the virtio options' <driver>, then the source (the differential's shuffle-children search,
  // seed 631, libvirtd 9.0; 11.3's formatter alike)
  'devices/input': order('driver', 'source'),
  // virDomainHostdevDefFormat: a PCI device's driver, the source, teaming, then read-only and shareable (seed 363)
  'devices/hostdev': order('driver', 'source', 'teaming', 'readonly', 'shareable'),
  'devices/hostdev/source': hostdevSource,
  // virDomainRedirdevDefFormat: its character device's source, then the protocol (seed 360)
  'devices/redirdev': order('source', 'protocol'),
  // virDomainRNGDefFormat
  'devices/rng': order('rate', 'backend', 'driver'),
  // (an EGD backend's character device source, then its protocol: virDomainChrSourceDefFormat — probe h37-rng-egd)
  'devices/rng/backend': order('source', 'protocol', 'log'),
  // virDomainTPMDefFormat's backend: a passthrough's device; an emulator's encryption, its active PCR banks (11.3: then
  // its state source and profile); an external one's source (probe h37-tpm-be, libvirtd 9.0)
  'devices/tpm/backend': order('device', 'encryption', 'active_pcr_banks', 'source', 'profile'),
  // virDomainVideoDefFormat's model: acceleration, then resolution (virDomainVideoAccelDefFormat,
  // virDomainVideoResolutionDefFormat — probe h37-video-model; 11.3's alike)
  'devices/video/model': order('acceleration', 'resolution'),
  // virDomainShmemDefFormat
  'devices/shmem': order('model', 'size', 'server', 'msi'),
  // virDomainMemoryDefFormat: an NVDIMM's UUID, the source, then the target (the shuffle-children search edit, seed 710 on
  // ppc64); virDomainMemorySourceDefFormat, virDomainMemoryTargetDefFormat
  'devices/memory': order('uuid', 'source', 'target'),
  'devices/memory/source': order('nodemask', 'pagesize', 'path', 'alignsize', 'pmem'),
  // (11.x) virDomainCryptoDefFormat: the backend, then the virtio options' <driver>; virDomainPstoreDefFormat: the path, then the size
  // (libvirt 11.3's formatters: neither device is in 9.0)
  'devices/crypto': order('backend', 'driver'),
  'devices/pstore': order('path', 'size'),
  'devices/memory/target': order('size', 'node', 'label', 'readonly', 'block', 'requested', 'current', 'address'),
})

/** virDomainDeviceInfoFormat: boot order, alias, USB master, ROM, ACPI index, address (checked on libvirtd 9.0) — the end of every device. */
export const deviceInfoChildOrder: readonly string[] = order('boot', 'alias', 'master', 'rom', 'acpi', 'address')

/**
 * What some devices write after their device information: memballoon, vsock and sound their `<driver>`, a PCI root
 * its 64-bit hole (virDomainControllerDefFormat, seen on libvirtd 9.0), a filesystem its space limits (virDomainFSDefFormat).
 */
export const afterDeviceInfo: Readonly<Record<string, readonly string[]>> = Object.freeze({
  memballoon: order('driver'),
  vsock: order('driver'),
  sound: order('driver'),
  controller: order('pcihole64'),
  filesystem: order(...deviceNames.filesystemSpaceLimits),
})
