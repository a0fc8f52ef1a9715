// The order libvirt's domain parser reads a domain in (virDomainDefParseXML and the parsers it calls, libvirt 9.0's and
// 11.3's src/conf): of several faults, the one it meets first is the one `virsh define` reports. Data, read by
// @virtuned/preview to weigh its refusals; paths name elements below <domain>.
import { deviceNames } from './devices.ts'

/**
 * The kinds of devices in the order virDomainDefParseXML reads them (after the domain's own settings): the first
 * fault in that order is the one libvirt's parser reports.
 */
export const deviceParseOrder: readonly string[] = ['disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'parallel', 'serial', 'console', 'channel', 'input', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'watchdog', 'memballoon', 'rng', 'crypto', 'tpm', 'nvram', 'hub', 'redirdev', 'redirfilter', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'pstore']

/**
 * The order virDomainDefParseXML reads the domain's settings in (the devices: deviceParseOrder) — the title (refused with a
 * newline) and description right after the IDs, before any other setting (a blank title before an unknown lifecycle action:
 * the differential's blank-text search, seed 631, libvirtd 9.0). `setting/part`: a part read apart from its setting —
 * virDomainDefParseMemory reads the memory's `dumpCore` after the current and maximum memory and the slots (probe
 * h38-mem-dumpcore-max); the SMBIOS mode of <os> is read once the sysinfo is, after every device (probe h38-smbios-mode-device).
 * virDomainDefParseIOThreads reads the default I/O thread before the I/O thread IDs (probe h38-iothreads-default-ids);
 * virDomainDefLifecycleParse the reboot action before the power-off one. The same in libvirt 9.0's and 11.3's source (11.3
 * reads its throttle groups after <os>, virDomainDefThrottleGroupsParse; 9.0 none); a setting read among the devices:
 * settingsReadAmongDevices.
 */
export const domainReadOrder: readonly string[] = ['name', 'uuid', 'genid', 'title', 'description', 'seclabel', 'memory', 'currentMemory', 'maxMemory', 'memory/@dumpCore', 'memoryBacking', 'blkiotune', 'memtune', 'vcpu', 'vcpus', 'iothreads', 'defaultiothread', 'iothreadids', 'cputune', 'cpu', 'numatune', 'resource', 'features', 'on_reboot', 'on_poweroff', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'clock', 'os', 'throttlegroups', 'devices', 'idmap', 'sysinfo', 'os/smbios', 'keywrap']

/**
 * The domain's settings virDomainDefParseXML reads among its devices, each before the devices of the kind named: the
 * launch security after the shared memory devices, before the memory devices (libvirt 9.0's and 11.3's source; an unknown
 * launch security type refused before a memory device's size, a vsock's or an IOMMU's attributes, after a shared memory
 * device's role or a TPM's model — probes h38-ls-type-*, libvirtd 9.0).
 */
export const settingsReadAmongDevices: Readonly<Record<string, string>> = { launchSecurity: 'memory' }

/**
 * Within a domain setting, the order its parser reads its parts in (`''`: the element itself, its text; `@`: its
 * attributes): virDomainVcpuParse reads the count, then `current`, the placement and the CPU set; virCPUDefParseXML
 * the CPU's attributes, arch, microcode, signature, TSC counter, model, vendor, topology, features, cache and address
 * size, and virDomainNumaDefParseXML its NUMA cells after it; a part not listed is not placed (libvirt 9.0's and 11.3's
 * source).
 */
export const settingReadParts: Readonly<Record<string, readonly string[]>> = {
  vcpu: ['', '@current', '@placement', '@cpuset'],
  cpu: ['@', 'arch', 'microcode', 'signature', 'counter', 'model', 'vendor', 'topology', 'feature', 'cache', 'maxphysaddr', 'numa'],
  // (virDomainDefTunablesParse: the CPU tunables, then the pins, schedulers and cache and memory tunes)
  cputune: ['shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota', 'iothread_period', 'iothread_quota', 'vcpupin', 'emulatorpin', 'iothreadpin', 'vcpusched', 'iothreadsched', 'emulatorsched', 'cachetune', 'memorytune'],
  // (virDomainDefParseBootOptions for an HVM guest: the kernel's options, the firmware and its features — the firmware's
  // name is read first but checked after the features, virDomainDefParseBootFirmwareOptions —, the loader —
  // virDomainLoaderDefParseXML: the NVRAM before the loader's own attributes —, ACPI tables, then the boot devices,
  // boot menu and BIOS)
  os: ['kernel', 'initrd', 'cmdline', 'dtb', 'root', '@', 'firmware', '@firmware', 'nvram', 'loader', 'acpi', 'boot', 'bootmenu', 'bios'],
  // (virDomainDefParseIOThreads: its I/O threads one by one)
  iothreadids: ['iothread'],
  // (virDomainDefParseXML: suspend to memory, then to disk, wherever each is written — probe h35-pm-disk-mem)
  pm: ['suspend-to-mem', 'suspend-to-disk'],
  // (virDomainDefParseMemory: the backing's source type, access mode, allocation mode and threads, then its huge pages —
  // probes h38-mb-*; virDomainDefTunablesParse: the block I/O weight, then its devices one by one, each its path, weight,
  // byte and I/O rates — probes h38-blkio-*; the memory limits hard, soft, guaranteed, swap — probes h38-memtune-*)
  memoryBacking: ['source', 'access', 'allocation', 'hugepages', 'nosharepages', 'locked', 'discard'],
  blkiotune: ['weight', 'device'],
  memtune: ['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit'],
  // (virDomainNumatuneParseXML: its <memory>, then the <memnode>s one by one — probe h38-numatune-memory-memnode)
  numatune: ['memory', 'memnode'],
  // (virDomainDefClockParse: its offset and what the offset reads — adjustment, basis, timezone, start —, then the timers
  // one by one, virDomainTimerDefParseXML — probes h38-clock-*)
  clock: ['@offset', '@', 'timer'],
  // (virDomainPerfDefParseXML, virDomainKeyWrapDefParseXML: their events and ciphers one by one — probes h38-perf-*, h38-keywrap-*)
  perf: ['event'],
  keywrap: ['cipher'],
  // (virDomainSecDefParseXML, 11.3's virDomainSEVCommonDefParseXML: the type, kernel hashes, C-bit position and reduced
  // physical bits, then — virDomainSEVDefParseXML, …SEVSNP… (the author key and VCEK first) — the policy; 9.0's order is
  // settingReadParts9's)
  launchSecurity: ['@type', '@kernelHashes', 'cbitpos', 'reducedPhysBits', '@authorKey', '@vcek', 'policy', '@'],
  // (virSysinfoParseXML: its type, then virSysinfoParseSMBIOSDef its BIOS, system, base boards, chassis and OEM strings in
  // that order, wherever written — probe h38-sysinfo-bios-system —, or virSysinfoParseFWCfgDef its entries one by one)
  sysinfo: ['@type', 'bios', 'system', 'baseBoard', 'chassis', 'oemStrings', 'entry'],
}

/**
 * Where libvirt 9.0's parser reads a setting's parts in another order than 11.3's (settingReadParts, which these replace when
 * reproducing 9.0): its virDomainSEVDefParseXML read the kernel hashes, then the policy, then the C-bit position and the
 * reduced physical bits (an unreadable policy before an unreadable C-bit position: probe h38-ls-policy-cbitpos, libvirtd 9.0).
 */
export const settingReadParts9: Readonly<Record<string, readonly string[]>> = {
  launchSecurity: ['@type', '@kernelHashes', 'policy', 'cbitpos', 'reducedPhysBits', '@'],
}

/**
 * The attributes of a setting's repeated element in the order its parser reads them, each element in document order
 * (by the element's path below the setting's): a NUMA cell's ID, vCPUs, memory size and unit, access mode and discard
 * switch (virDomainNumaDefParseXML, libvirt 9.0's and 11.3's source).
 */
export const settingRepeatedReadParts: Readonly<Record<string, readonly string[]>> = {
  'cpu/numa/cell': ['@id', '@cpus', '@memory', '@unit', '@memAccess', '@discard'],
  // (a setting's part that is itself repeated, `''` the checks made once the element is read: virDomainSchedulerParse
  // reads a scheduler's thread set, then virDomainSchedulerParseCommonAttrs its scheduler and priority, then
  // virDomainThreadSchedParseHelper looks each thread up; virDomainIOThreadIDDefParseXML reads an I/O thread's ID and
  // pool sizes (11.3: and its <poll>) before virDomainDefParseIOThreads looks for the ID among the earlier ones — libvirtd 9.0)
  'cputune/vcpusched': ['@vcpus', '@scheduler', '@priority', ''],
  'cputune/iothreadsched': ['@iothreads', '@scheduler', '@priority', ''],
  'iothreadids/iothread': ['@id', '@thread_pool_min', '@thread_pool_max', 'poll', ''],
  // (virDomainLoaderDefParseXMLNvram: an NVRAM's template, then — 11.3 — its template's format and its format, then its
  // type, then its source — a typed one's hosts, auth, encryption…: an unknown type is refused before a host port that does
  // not read; the differential's odd-form search, seed 660, libvirtd 9.0)
  'os/nvram': ['@template', '@templateFormat', '@format', '@type', 'source', ''],
}

/**
 * The device kinds in the order libvirt walks a domain's devices (virDomainDeviceInfoIterateFlags, every console; 11.3 adds
 * crypto and pstore devices at the end): the order of address assignment's passes, of validation device by device, and of
 * the boot order check (virDomainDefBootOrderPostParse).
 */
export const deviceIterateOrder: readonly string[] = ['disk', 'interface', 'sound', 'hostdev', 'video', 'controller', 'smartcard', 'serial', 'parallel', 'channel', 'console', 'input', 'filesystem', 'watchdog', 'memballoon', 'rng', 'nvram', 'hub', 'shmem', 'tpm', 'panic', 'memory', 'redirdev', 'iommu', 'vsock', 'crypto', 'pstore']

/** virDomainDeviceInfoParseXML's parts, in its order (an address's zPCI part read once the address's own attributes are). */
export const deviceInfoParts: readonly string[] = ['alias', 'master', 'boot', 'rom', 'acpi', 'address', 'address/zpci']


/** A subsystem host device's source parts after its own attributes (virDomainHostdevDefParseXMLSubsys: by type, below). */
const hostdevSourceParts = ['source/@startupPolicy', 'source/@autoAddress', 'source/@guestReset', 'source/@writeFiltering', 'source/vendor', 'source/product', 'source'] as const
/** …then its driver by type, its information, its read-only and shareable switches. */
const hostdevTailParts = ['driver', ...deviceInfoParts, 'readonly', 'shareable'] as const

/** A NIC's parts from its source on (virDomainNetDefParseXML: deviceReadParts' interface). */
const interfaceSourceParts = [
  // (a UDP socket's local end: its address, then its port — virDomainNetDefParseXML; probe h36-udp-local-bare)
  'source', 'source/local/@address', 'source/local/@port', 'source/vendor', 'source/product', 'source/address', 'hostdev/driver', 'virtualport', 'target', 'guest', 'script', 'downscript', 'backenddomain', 'filterref', 'bandwidth', 'vlan', 'mac',
  'alias', 'master', 'boot', 'rom', 'acpi', 'address', 'ip', 'route', 'portForward', 'driver', 'backend', 'link', 'teaming', 'tune', 'mtu', 'coalesce',
] as const

/**
 * Within one device, the order its parser reads its parts in (`@`: the device's own attributes but its type), where
 * read in libvirt 9.0's and 11.3's source: virDomainDiskDefParseXML reads the source (its hosts too) before the disk's
 * attributes, then the source's startup policy, the target, geometry, block I/O, driver…, and the device information
 * last (`child/@attribute`: an attribute read apart from the rest of its element). A part not listed is
 * not placed (preview keeps its own order there).
 */
export const deviceReadParts: Readonly<Record<string, readonly string[]>> = {
  // (virDomainControllerDefParseXML: its type, model and index, its driver, model name and target, the device
  // information, then its ports, vectors and the rest)
  controller: ['@type', '@model', '@index', 'driver', 'model', 'target', ...deviceInfoParts, '@'],
  // (virDomainMemoryDefParseXML, the same in 9.0 and 11.3: its model, access and discard, an NVDIMM's UUID, its source —
  // page size and node mask, or path and alignment —, its target — the NUMA node before the size: the search edit
  // blank-text, seed 691 —, then the device information)
  memory: ['@model', '@access', '@discard', 'uuid', 'source/pagesize', 'source/nodemask', 'source/path', 'source/alignsize', 'source',
    'target/node', 'target/size', 'target/label', 'target/readonly', 'target/block', 'target/requested', 'target/@dynamicMemslots', 'target/address', 'target', ...deviceInfoParts, '@'],
  // (virDomainFSDefParseXML: its type, access mode, file and directory modes — each checked as read —, model and
  // multidevs, then the rest; its driver — before a missing source is refused, probe h35-fs-nosource-driver —, then a virtiofs daemon's binary: its xattr, locks, cache and sandbox
  // — probes h35-fs-fmode-model, h35-fs-cache-lock)
  // (its space limits, then a volume's pool, volume and mode — virDomainDiskSourcePoolDefParse — before the driver:
  // probes h40-fs2-space-drv, h40-fs2-vol-pool-drvfmt, libvirtd 9.0)
  filesystem: ['@type', '@accessmode', '@fmode', '@dmode', '@model', '@multidevs', '@', 'space_hard_limit', 'space_soft_limit', 'source/@pool', 'source/@mode', 'driver', 'binary', 'binary/lock', 'binary/cache', 'binary/sandbox'],
  // (virDomainGraphicsDefParseXML: its type; then, for VNC, SPICE and RDP, its listens before its own attributes — a VNC
  // port, then the rest: probe h35-vnc-port-websocket; each type's own order: deviceReadPartsByType)
  graphics: ['@type', 'listen', '@port', '@'],
  // (virDomainVideoDefParseXML, 11.3: its model — virDomainVideoModelDefParseXML —, then its driver, then the device
  // information, then the driver's VGA configuration, virDomainVideoDriverDefParseXML — probe h38-video-vgaconf-address;
  // the model's primary switch, acceleration and resolution before its type and sizes, as 9.0's — probe
  // h38-video-res-accel, seen on libvirtd 11.3; 9.0's order is deviceReadParts9's)
  video: ['model/@primary', 'model/acceleration', 'model/resolution', 'model', 'driver', ...deviceInfoParts, 'driver/@vgaconf'],
  // (the parsers that read a device's own attributes and children, then its information, then — for the virtio
  // devices — its `<driver>`: virDomainMemballoonDefParseXML, …RNG…, …Input…, …Vsock…, …Watchdog…, …Hub…; an IOMMU's
  // driver and a sound device's codecs and audio before the information; a panic device's information before its model)
  memballoon: ['@', 'stats', ...deviceInfoParts, 'driver'],
  rng: ['@', 'rate', 'backend', ...deviceInfoParts, 'driver'],
  // (its source's event device first, refused when missing before the source's grab, toggle and repeat are read)
  input: ['@', ...deviceInfoParts, 'source/@evdev', 'source/@dev', 'source', 'driver'],
  vsock: ['@', 'cid', ...deviceInfoParts, 'driver'],
  watchdog: ['@', ...deviceInfoParts],
  hub: ['@', ...deviceInfoParts],
  iommu: ['@', 'driver', ...deviceInfoParts],
  // (11.3 reads a sound device's virtio options — its <driver> — last, virDomainSoundDefParseXML)
  sound: ['@', 'codec', '@multichannel', '@streams', 'audio', ...deviceInfoParts, 'driver'],
  panic: [...deviceInfoParts, '@'],
  // (virDomainTPMDefParseXML: its model, then its backends — counted, one required —, the backend's type, then by type an
  // emulator's version, (11.3) debug level, state encryption secret, (11.3) source, persistent state switch, active PCR banks
  // and (11.3) profile, or an external one's source; then the device information — probes h38-tpm-*, libvirtd 9.0)
  tpm: ['@model', 'backend', 'backend/@type', 'backend/@version', 'backend/@debug', 'backend/encryption', 'backend/source', 'backend/@persistent_state', 'backend/active_pcr_banks', 'backend/profile', ...deviceInfoParts],
  // (virDomainShmemDefParseXML: its model, name and role, size, server, MSI vectors and ioeventfd — an MSI without a server
  // refused then —, then the device information — probes h38-shmem-*, libvirtd 9.0)
  shmem: ['model', '@name', '@role', 'size', 'server', 'msi/@vectors', 'msi/@ioeventfd', 'msi', ...deviceInfoParts],
  // (virDomainLeaseDefParseXML: its key, lockspace, target, the target's path, then its offset — probes h38-lease-*)
  lease: ['key', 'lockspace', 'target', 'target/@path', 'target/@offset'],
  // (virDomainNVRAMDefParseXML: the device information alone)
  nvram: [...deviceInfoParts],
  // (11.3's virDomainCryptoDefParseXML: its model and type, its backends — counted —, the backend's model and queues, the
  // device information, then its virtio driver options; virDomainPstoreDefParseXML: its backend, path and size, then the
  // device information — neither in libvirt 9.0)
  crypto: ['@model', '@type', 'backend', 'backend/@model', 'backend/@queues', ...deviceInfoParts, 'driver'],
  pstore: ['@backend', 'path', 'size', ...deviceInfoParts],
  // (virDomainAudioDefParseXML: its type, ID and timer period; each direction's common settings, the input's first
  // (virDomainAudioCommonParse: its switches and sizes, then its <settings>); then the type's own attributes — the
  // audio's, then the input's, then the output's (…SDLParse, …OSSParse…): an SDL input's bufferCount after the
  // output's settings, seen on libvirtd 9.0; within a direction its mixing engine, fixed settings — fixed ones without
  // the engine refused there —, voices and buffer length: probe h25-fz-au-67)
  audio: [
    '@type', '@id', '@timerPeriod',
    ...['input', 'output'].flatMap((io) => [`${io}/@mixingEngine`, `${io}/@fixedSettings`, `${io}/@voices`, `${io}/@bufferLength`, io, `${io}/settings`]), '@',
    // (an OSS direction's poll switch before its buffer count, virDomainAudioOSSParse: probe h25-fz2-au-230)
    ...['input', 'output'].flatMap((io) => ['tryPoll', 'bufferCount', 'exactName', 'latency'].map((a) => `${io}/@${a}`)),
  ],
  // (virDomainRedirdevDefParseXML: its bus, its character device type, the source — log and protocol with it —, then its
  // information and boot order, whose address must then be a USB one; virDomainSmartcardDefParseXML: its mode, then by
  // mode the certificates and database or the passthrough type and source, then its information — probes h25-c1-mix-18,
  // -123, -235, -290, libvirtd 9.0)
  redirdev: ['@bus', '@type', '@', 'source', 'log', 'protocol', ...deviceInfoParts],
  smartcard: ['@mode', 'certificate', 'database', '@type', '@', 'source', 'log', 'protocol', ...deviceInfoParts],
  // (virDomainRedirFilterUSBDevDefParseXML, rule by rule: its class — checked as read —, vendor, product, version, allow)
  redirfilter: ['usbdev/@class', 'usbdev/@vendor', 'usbdev/@product', 'usbdev/@version', 'usbdev/@allow'],
  // (virDomainChrDefParseXML: its type, its target, its source — log and protocol with it —, then its information)
  // (the target's type and model read before the rest of it — virDomainChrDefParseXML before …ParseTargetXML: an unknown
  // target type before a port that does not read, probe h35-serial-target-type-port)
  // (a guest forwarding channel's target address — missing, not an address, not IPv4 — before its port, required: the
  // rest of the target; virDomainChrDefParseTargetXML, 9.0 and 11.3, probe h42-pr3-alone-chr-guestfwd-noaddr)
  ...Object.fromEntries(deviceNames.chrKinds.map((kind) => [kind, ['@', 'target/@type', 'target/model', 'target/@address', 'target', 'source', 'log', 'protocol', ...deviceInfoParts]])),
  // (virDomainHostdevDefParseXML: its mode — then by mode its type (virDomainHostdevDefParseXMLSubsys: before its sgio and
  // rawio, probe h35-hostdev-type-sgio) and the rest —, its source and driver by type, then its information)
  // (a USB source's startup policy, address assignment and guest reset, then its vendor, then its product, then its address
  // — virDomainHostdevSubsysUSBDefParseXML, whatever the document order: probe h35-hostdev-usb-vendor-product; a PCI
  // source's write filtering before its address)
  // (a capabilities network device's IP addresses and routes right after its source, before its information —
  // virDomainHostdevDefParseXMLCaps: probe h40-c-net-noiface-ip-bad, libvirtd 9.0)
  hostdev: ['@mode', '@type', '@', ...hostdevSourceParts, 'ip', 'route', ...hostdevTailParts],
  // (an encryption's cipher and ivgen after its secrets: virStorageEncryptionParseNode — probe h29-g-cipher-secret-untyped-plain;
  // the I/O tuning after the transient switch and before the device information — 11.3: then its throttle filters —,
  // virDomainDiskDefIotuneParse: an unreadable limit refused before an unknown address type, probe h34-disk-iotune-address)
  // (a disk-level <encryption>, then the backing chain, with the source, before the disk's own attributes —
  // virDomainDiskDefParseSourceXML: probes h36-enc-…, the differential, seed 1040, libvirtd 9.0; 11.3's alike)
  // (the driver's virtio options, then virDomainDiskDefDriverParseXML's reads up to the read error policy, whose `enospace`
  // is refused as soon as read — before an unreadable I/O mode or anything after it: probes h48-pp-rerrp-…, libvirtd 9.0; 11.3's alike)
  disk: ['@type', 'source', 'source/encryption/cipher', 'source/encryption/ivgen', 'encryption', 'encryption/cipher', 'encryption/ivgen', 'backingStore', '@', 'source/@startupPolicy', 'target', 'geometry', 'blockio', 'driver/@iommu', 'driver/@ats', 'driver/@packed', 'driver/@page_per_vq', 'driver/@cache', 'driver/@error_policy', 'driver/@rerror_policy', 'driver', 'mirror', 'auth', 'transient', 'iotune', 'throttlefilters', 'alias', 'master', 'boot', 'rom', 'acpi', 'address'],
  // (virDomainNetDefParseXML: its type and attributes, the model's name, the source's host-side addresses then routes
  // (virDomainNetIPInfoParseXML, before the rest of the source), the source, …, the MAC, the device information, the
  // guest side's addresses, then the driver, the backend; a link state is checked after those, though read before; a host
  // device NIC's PCI backend, `hostdev/driver`, with its source: attributeReads' readWith — probe h35-nic-hostdev-driver-name-mac)
  // (a host device NIC's USB source: its vendor, product, then address — virDomainHostdevSubsysUSBDefParseXML, probe
  // h35-nic-hostdev-usb-vendor-product)
  interface: ['@', 'model', 'source/ip', 'source/route', ...interfaceSourceParts],
}

/**
 * A device's parts where its parser's order depends on its type (its `type` attribute), by kind and type; any other type
 * takes deviceReadParts' list: a display — virDomainGraphicsDefParseXMLVNC reads its listens, port and attributes, its
 * `<audio>`, then its password and validity time, then its connected action (virDomainGraphicsAuthDefParseXML); …Spice its
 * listens, attributes, password, then its channels, image, JPEG, zlib, playback, streaming, clipboard, file transfer, GL
 * and mouse settings in that order, wherever written; …DBus its attributes, GL, then `<audio>`; …SDL its attributes,
 * then GL (libvirt 9.0's and 11.3's source; probes h35-spice-validto-channel, -spice-image-jpeg, -dbus-gl-audio).
 */
export const deviceReadPartsByType: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  // (a subsystem host device other than USB: a source startup policy — any, refused for those types — is checked before
  // its sgio and rawio are read, virDomainHostdevDefParseXMLSubsys: probe h35-hostdev-pci-startup-sgio)
  hostdev: Object.fromEntries(['pci', 'scsi', 'scsi_host', 'mdev'].map((type) => [type, ['@mode', '@type', 'source/@startupPolicy', '@', ...hostdevSourceParts.filter((p) => p !== 'source/@startupPolicy'), ...hostdevTailParts]])),
  // (a host device NIC: its type and RX filter trust, its host-side addresses, then virDomainHostdevDefParseXMLSubsys — the
  // source address's type, a startup policy refused off USB, then the sgio, rawio and model on the <interface> —, then its
  // source: probe h35-nic-hostdev-pci-startup-sgio)
  interface: {
    hostdev: ['@type', '@trustGuestRxFilters', 'model', 'source/ip', 'source/route', 'source/address/@type', 'source/@startupPolicy', '@', ...interfaceSourceParts],
  },
  graphics: {
    vnc: ['@type', 'listen', '@port', '@', 'audio', '@passwd', '@passwdValidTo', '@connected'],
    spice: ['@type', 'listen', '@port', '@', '@passwd', '@passwdValidTo', '@connected', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'clipboard', 'filetransfer', 'gl', 'mouse'],
    dbus: ['@type', '@', 'gl', 'audio'],
    sdl: ['@type', '@', 'gl'],
  },
}

/**
 * Where libvirt 9.0's parser reads a device's parts in another order than 11.3's (deviceReadParts, which these replace when
 * reproducing 9.0): its virDomainVideoDefParseXML read the model's primary switch, acceleration and resolution, then the
 * driver, then the rest of the model (type and sizes) — an empty `accel3d` is refused before a driver name it does not know
 * (the differential's odd-form search, seed 622; probe h34-video-accel-driver, libvirtd 9.0).
 */
export const deviceReadParts9: Readonly<Record<string, readonly string[]>> = {
  video: ['model/@primary', 'model/acceleration', 'model/resolution', 'driver', 'model', ...deviceInfoParts, 'driver/@vgaconf'],
}

/**
 * The children of a device its parser reads whole, one after the other (each with its parts of deviceReadParts before
 * the next child's): a redirection filter's rules, virDomainRedirFilterUSBDevDefParseXML called rule by rule — the first
 * rule's `allow` is refused before the second rule's class (probe h25-c1-mix-122, libvirtd 9.0).
 */
export const deviceRepeatedReadParts: ReadonlySet<string> = new Set(['redirfilter/usbdev'])

/**
 * The children of a device its parser reads whole, one after the other, within their own part of deviceReadParts (the
 * parts after it read once they are all read): a VNC, SPICE or RDP display's listens, virDomainGraphicsListensParseXML —
 * the first listen's address against the display's `listen` attribute refused before the second listen's type, both
 * before the display's port (probe h49-fg-963-q35, libvirtd 9.0).
 */
export const deviceRepeatedReadInPart: ReadonlySet<string> = new Set(['graphics/listen'])

/**
 * The steps of the QEMU driver's domain validation (qemuValidateDomainDef, qemu_validate.c), in its order — made before
 * any device is validated, the first refusal ending it: the emulator (OS type, arch, virt type, machine) and the
 * function's own checks (min_guarantee, ACPI and UEFI, the generation ID, the BIOS serial console); the lifecycle
 * actions; the CPU (qemuValidateDomainDefCpu: address bits, cache, mode); memory hot-plug; I/O threads; timers; power
 * management; boot (secure boot, the NVRAM); the vCPU topology; cache tuning; the features; memory; NUMA; consoles;
 * SMBIOS/firmware config; panic devices; TPMs; watchdogs (libvirt 11); launch security. The same in 9.0 and 11.3.
 */
export const domainValidationSteps = [
  'machine', 'lifecycle', 'cpu', 'memory-hotplug', 'iothreads', 'timers', 'pm', 'boot', 'vcpu-topology', 'cachetune', 'features',
  'memory', 'numa', 'console', 'sysinfo', 'panic', 'tpms', 'watchdogs', 'launch-security',
] as const

/** One of domainValidationSteps. */
export type DomainValidationStep = (typeof domainValidationSteps)[number]

/**
 * The steps of libvirt's generic domain validation (virDomainDefValidateInternal, domain_validate.c), in its order —
 * made once every device is validated, the first refusal ending it. 9.0 checks the filesystems between the NUMA cells
 * and the I/O threads; 11.3 checks them elsewhere and ends with launch security and throttle groups.
 */
export const genericValidationSteps = [
  'resource', 'duplicate-disk-info', 'hostdev', 'duplicate-drive-addresses', 'vcpus-topology', 'aliases', 'iommu', 'lifecycle', 'memtune', 'os',
  'cputune', 'boot', 'video', 'tunables', 'idmap', 'numa', 'fs', 'iothreads', 'launch-security', 'throttle-groups',
] as const

/** One of genericValidationSteps. */
export type GenericValidationStep = (typeof genericValidationSteps)[number]

/**
 * The steps of libvirt's post-parse (virDomainDefPostParse, domain_postparse.c), in its order: the QEMU driver's domain
 * post-parse, ISA serial ports, each device's, then virDomainDefPostParseCommon's own steps (memory, duplicate
 * controllers, duplicate panics, boot order, timers, the implicit devices — virDomainDefAddConsoleCompat's check of the
 * consoles first), address assignment, the features check. The first refusal ends it, before any validation.
 */
export const postParseSteps = ['domain', 'serial', 'device', 'memory', 'duplicate-controllers', 'duplicate-panics', 'boot-order', 'timers', 'implicit-devices', 'addresses', 'features'] as const

/** One of postParseSteps. */
export type PostParseStep = (typeof postParseSteps)[number]

/**
 * Elements the schema takes once where libvirt's parser counts them and refuses a second in its own words (`parent/child`:
 * "Multiple <model> elements in controller definition not allowed", "only one emulatorpin is supported", "at most one CPU
 * cache element may be specified", "only one RNG backend is supported", "Only one child <inbound> element allowed",
 * "only one log element is allowed for character device", "only one TPM backend is supported"; each seen on libvirtd 9.0).
 * A second of any other such name is not read: the parser reads the first, the formatter writes it alone.
 */
/** The devices whose parser reads a device info (virDomainDeviceInfoParseXML: an alias, an address…). */
const devicesWithInfo: readonly string[] = [
  'disk', 'controller', 'filesystem', 'interface', 'input', 'sound', 'hostdev', 'video', 'watchdog', 'memballoon', 'rng', 'smartcard',
  'redirdev', 'hub', 'panic', 'shmem', 'tpm', 'memory', 'iommu', 'vsock', 'nvram', ...deviceNames.chrKinds,
]

export const refusedWhenRepeated: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'controller/model', 'controller/target', 'cputune/emulatorpin', 'cputune/emulatorsched', 'cpu/cache', 'rng/backend',
  'bandwidth/inbound', 'bandwidth/outbound', 'tpm/backend',
  // ("only one log element is allowed for character device", and so its protocol: virDomainChrSourceDefParseXML, for the
  // character devices, a passthrough smartcard, a redirected device and an RNG's or TPM's backend — seed 381)
  // ("only one source element is allowed for character device" too, but for a UDP one's two ends — seed 387)
  ...[...deviceNames.chrKinds, 'smartcard', 'redirdev', 'backend'].flatMap((chardev) => [`${chardev}/log`, `${chardev}/protocol`, `${chardev}/source`]),
])

/**
 * Elements the schema takes once that libvirt reads by XPath through every one written (`parent/child`): several are
 * read as one holding all their children in document order, each attribute as first written (XPath's
 * `string(./clock/@offset)` finds one only a later element has) — `./cputune/vcpupin`, `./features/*`, `./clock/timer`,
 * `./devices/disk`; `<os>`: `./os/type[1]`, `./os/boot` (two `<boot dev='hd'/>` from two `<os>`, libvirtd 9.0);
 * `./memoryBacking/hugepages/page` reads the pages of two `<hugepages>` (and refuses "two master hugepages detected");
 * `./os/acpi/table` the tables of two `<acpi>`, libvirt 11's `./throttlegroups/throttlegroup` the groups of two
 * `<throttlegroups>`.
 */
export const readAsOneWhenRepeated: ReadonlySet<string> = /* @__PURE__ */ new Set([
  ...['os', 'devices', 'cputune', 'memtune', 'blkiotune', 'pm', 'features', 'memoryBacking', 'perf', 'iothreadids', 'clock', 'keywrap', 'idmap', 'vcpus', 'throttlegroups'].map((name) => `domain/${name}`),
  'memoryBacking/hugepages',
  // (`./os/acpi/table`: the tables of every <acpi>, written in one — the repeat-child search edit, seed 740)
  'os/acpi',
  // (read by `string(./x/@a)` or `./x/y` from the device or setting, each attribute and child the first written in any
  // of them — probes h39, libvirtd 9.0, the same in 11.3's parsers: a device's alias, virDomainDeviceInfoParseXML; a
  // NIC's model, link, script, downscript, backend domain, guest name, tune, MTU and teaming, virDomainNetDefParseXML,
  // virDomainNetTeamingInfoParseXML; a filesystem's target and binary, virDomainFSDefParseXML; the memory backing's
  // source, access and allocation, virDomainDefParseMemory; the SMBIOS mode; an RNG's rate; a disk's I/O tuning,
  // virDomainDiskDefIotuneParse; a network source's snapshot, config, readahead and timeout,
  // virDomainDiskSourceNetworkParse; a TPM backend's encryption and a passthrough one's device, `string(./backend/device/@path)`
  // — probe h53-tpmd-dev-none-path —; a SCSI host device's adapter; the resource's fibrechannel, virDomainResourceDefParse)
  ...devicesWithInfo.map((device) => `${device}/alias`),
  ...['model', 'link', 'script', 'downscript', 'backenddomain', 'guest', 'tune', 'mtu', 'teaming'].map((name) => `interface/${name}`),
  'filesystem/target', 'filesystem/binary', 'memoryBacking/source', 'memoryBacking/access', 'memoryBacking/allocation', 'os/smbios', 'rng/rate', 'disk/iotune',
  'source/snapshot', 'source/config', 'source/readahead', 'source/timeout', 'backend/encryption', 'backend/device', 'source/adapter', 'resource/fibrechannel',
  // (and a disk's backend domain, `string(./backenddomain/@name)`; a disk source's slices, `./slices/slice[@type='storage']`,
  // virDomainStorageSourceParseSlices; a TPM's PCR banks, `./backend/active_pcr_banks/*`, virDomainTPMDefParseXML)
  'disk/backenddomain', 'source/slices', 'backend/active_pcr_banks',
  // (a size read by virDomainParseMemory or virParseScaledValue — `./size` and `./size/@unit` —: the first's value in the
  // unit first written in any, `<size>128</size><size unit='MiB'>1</size>` 128 MiB; probes h39-dimmsize2unit…, libvirtd
  // 9.0, the same in 11.3: a memory device's size, label, block, requested size, page and alignment size; a PCI root's
  // 64-bit hole; a disk driver's or backing format's metadata cache; TCG's translation cache; and virtiofs's thread
  // pool, `string(./binary/thread_pool/@size)`; a NIC's coalesced frames, `string(./rx/frames/@max)`)
  'target/size', 'target/label', 'label/size', 'target/block', 'target/requested', 'source/pagesize', 'source/alignsize', 'controller/pcihole64',
  'driver/metadata_cache', 'format/metadata_cache', 'metadata_cache/max_size', 'tcg/tb-cache', 'binary/thread_pool', 'coalesce/rx', 'rx/frames',
  // (SMM's TSEG and an HPT's largest page size, `string(./features/smm/tseg)` and `string(./features/smm/tseg/@unit)`,
  // `./features/hpt/maxpagesize` in virDomainFeaturesDefParse: `<tseg>16</tseg><tseg unit='KiB'>64</tseg>` is 16 KiB —
  // probes h43-tseg-unit-second, h43-hpt-bad-unit-second, libvirtd 9.0; the same in 11.3)
  'smm/tseg', 'hpt/maxpagesize',
  // (a backing store's format, `string(./format/@type)` and `./format/metadata_cache/max_size` in
  // virDomainDiskBackingStoreParse: `<format/><format type='qcow2'/>` is qcow2 — probe h39-bsformat2, libvirtd 9.0)
  'backingStore/format',
  // (an iSCSI source's initiator, `string(./initiator/iqn/@name)` in virStorageSourceInitiatorParseXML — probes
  // h39-iscsiinit2, h39-iscsiiqn2, libvirtd 9.0)
  'source/initiator', 'initiator/iqn',
  // (libvirt 11's throttle filters, `./throttlefilters/throttlefilter` in virDomainDiskDefThrottleFiltersParse: the filters
  // of every <throttlefilters>, written in one — from 11.3's source; 9.0 reads none)
  'disk/throttlefilters',
])

/**
 * Of libvirt 9.0's, what its parser reads as readAsOneWhenRepeated's and 11.3's reads the first of alone: a video
 * device's `<model>` — 9.0's virDomainVideoDefParseXML reads each attribute by `string(./model/@type)` and the like and
 * `./model/acceleration`, `./model/resolution` through every one (probes h39-vmodel2…, libvirtd 9.0); 11.3's reads
 * `virXPathNode("./model")`, the first.
 */
export const readAsOneWhenRepeated9: ReadonlySet<string> = /* @__PURE__ */ new Set(['video/model'])

/**
 * A device's parts (`holder/part`) written more than once of which libvirt 9.0 reads the last alone: a PCI address's
 * `<zpci>` — 9.0's virPCIDeviceAddressParseXML walks every child and keeps the last zpci it meets (probes h27-y21, h27-t1:
 * the first's bad uid not read, libvirtd 9.0); 11.3's takes the first (virXMLNodeGetSubelement), as the schema's pass does.
 */
export const readLastWhenRepeated: ReadonlySet<string> = /* @__PURE__ */ new Set(['address/zpci'])

/**
 * The domain's own settings libvirt reads once, the first written (`./cpu[1]`, `string(./on_crash[1])`,
 * `./launchSecurity`): a second is not read, nor written back. (Below the domain, the schema's cardinality says it:
 * `SchemaPlace.repeats`.)
 */
export const readFirstWhenRepeated: ReadonlySet<string> = /* @__PURE__ */ new Set(
  ['memory', 'name', 'uuid', 'title', 'description', 'metadata', 'maxMemory', 'currentMemory', 'vcpu', 'iothreads', 'defaultiothread', 'cpu', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'launchSecurity'].map((name) => `domain/${name}`),
)

/**
 * Of the settings read once (`readFirstWhenRepeated`), what libvirt still reads through every one written, as a chain of
 * names each taken first of its parent: `./cpu/numa[1]/cell` and `./cpu/numa[1]/interconnects[1]/latency` are the cells
 * and interconnects of each `<cpu>`'s first `<numa>` (virDomainNumaDefParseXML). So the cells of two `<cpu>` are stored
 * in the first, in document order (an id written in both is refused: "Duplicate NUMA cell info"; libvirtd 9.0). Each
 * entry a list of such chains.
 */
export const readThroughWhenRepeated: ReadonlyMap<string, readonly (readonly string[])[]> = /* @__PURE__ */ new Map([
  ['domain/cpu', [['numa', 'interconnects']]],
  // (a NIC's first <driver> is read, but `./driver/host` and `./driver/guest` are the first written in any of them:
  // virDomainNetDefParseXMLDriver — probe h39-ndriver2, libvirtd 9.0; 11.3 the same)
  ['interface/driver', [['host'], ['guest']]],
])

/**
 * Of an element read once, the first written (`virXPathNode("./driver")`), the attributes libvirt still reads through
 * every one, each the first written in any (`parent/child` → attributes): a filesystem's driver queue,
 * `string(./driver/@queue)` in virDomainFSDefParseXML — `<driver type='virtiofs'/><driver queue='1024'/>` is a virtiofs
 * driver of queue 1024 (probe h39-fsdriverqueue2, libvirtd 9.0; 11.3 the same).
 */
export const attributesReadThroughWhenRepeated: ReadonlyMap<string, readonly string[]> = /* @__PURE__ */ new Map([['filesystem/driver', ['queue']]])

/**
 * What libvirt reads of a host device's `<source>` through every one written, by the host device's `mode/type` (a host
 * device interface's by its source's type, `subsystem/…`): virDomainHostdevDefParseXMLSubsys reads the first `<source>`
 * (`virXPathNode("./source")`) but checks `boolean(./source/@startupPolicy)` — any source's, refused off USB —; a
 * mediated device's address is `virXPathNode("./source/address")`, the first in any source
 * (virDomainHostdevSubsysMediatedDevDefParseXML); a capabilities device's block device, character device or interface
 * `string(./source/block[1])` and the like, the first in any source (virDomainHostdevDefParseXMLCaps). `children`: the
 * first of that name in any `<source>` stands in the first when it has none; `attributes`: the first source holding one
 * gives it. Seen on libvirtd 9.0 (probes h40-mdev-src2-addr-second, h40-pci-src2-startup, h40-caps-storage-src2; 11.3
 * reads them so too).
 */
export const hostdevSourceReadThrough: ReadonlyMap<string, { readonly children?: readonly string[]; readonly attributes?: readonly string[] }> = /* @__PURE__ */ new Map([
  ['subsystem/pci', { attributes: ['startupPolicy'] }],
  ['subsystem/scsi', { attributes: ['startupPolicy'] }],
  ['subsystem/scsi_host', { attributes: ['startupPolicy'] }],
  ['subsystem/mdev', { children: ['address'], attributes: ['startupPolicy'] }],
  ['capabilities/storage', { children: ['block'] }],
  ['capabilities/misc', { children: ['char'] }],
  ['capabilities/net', { children: ['interface'] }],
])

/**
 * A host device interface's source type as virDomainNetDefParseXML reads it from every `<source>`:
 * `string(./source/address/@type)` — the first `type` written on any source's address, in document order, an empty one
 * none — else USB when any source has a `<vendor>` (`virXPathNode("./source/vendor")`); the host device's parser then
 * reads the first `<source>` (its first address's numbers) as that type's. `<source><address domain='0' bus='6' …/>
 * </source><source><address type='pci' …/></source>` is the PCI device 0000:06:…, probe h40-nic-src2-type-second,
 * libvirtd 9.0.
 */
export function hostdevNicSourceTypeRead(sources: readonly { readonly attrs: Readonly<Record<string, string | undefined>>; readonly children: readonly { readonly name: string; readonly attrs: Readonly<Record<string, string | undefined>> }[] }[]): string | undefined {
  for (const source of sources) {
    for (const address of source.children) {
      if (address.name !== 'address') continue
      const type = address.attrs.type
      if (type !== undefined) return type === '' ? vendorImpliesUsb(sources) : type
    }
  }
  return vendorImpliesUsb(sources)
}

const vendorImpliesUsb = (sources: readonly { readonly children: readonly { readonly name: string }[] }[]): string | undefined => (sources.some((s) => s.children.some((c) => c.name === 'vendor')) ? 'usb' : undefined)

/**
 * How libvirt reads a feature written more than once under `<features>` (virDomainFeaturesDefParse reads `./features/*`
 * in turn, each setting what it holds; the formatter writes each feature once). `every-child`: the children of every
 * one, in document order, with the last one's attributes (HyperV's enlightenments, the process capabilities, Xen's
 * features: per child name the last); `whole-last`: the last replaces the earlier ones whole (KVM's and TCG's
 * settings, made anew); `last-set`: the last one that sets something, whole (a `<tcg>` without a translation cache, or
 * of 0, returns before it is stored: virDomainFeaturesTCGDefParse — `<tcg><tb-cache>64</tb-cache></tcg><tcg/>` keeps the
 * first, libvirtd 9.0); `first-child`: the last one's attributes, each child the first of its name in any of them with
 * each attribute the first written in any (read by XPath from the features: `string(./features/smm/tseg)` and
 * `string(./features/smm/tseg/@unit)`, `./features/hpt/maxpagesize` — `<smm><tseg>16</tseg></smm><smm><tseg
 * unit='KiB'>64</tseg></smm>` is 16 KiB, probe h43-tseg-unit-second-smm; each `<hpt>` reads the first below any, so
 * `<hpt resizing='enabled'/><hpt><maxpagesize>x</maxpagesize></hpt>` is refused at the first). Any other feature:
 * the last. Seen on libvirtd 9.0 (the repeat-child search edit, seed 399).
 */
export const repeatedFeatureReads: ReadonlyMap<string, 'every-child' | 'whole-last' | 'last-set' | 'first-child'> = /* @__PURE__ */ new Map([
  ['hyperv', 'every-child'], ['capabilities', 'every-child'], ['xen', 'every-child'], ['kvm', 'whole-last'], ['tcg', 'last-set'], ['smm', 'first-child'], ['hpt', 'first-child'],
])

/**
 * libvirt 11.3's reads of a repeated feature where they differ from 9.0's repeatedFeatureReads: `<kvm>`'s settings are
 * made once and kept across several (virDomainFeaturesKVMDefParse: `if (!def->kvm_features)`), so every `<kvm>`'s
 * children are read in turn, the dirty ring's size kept from an earlier one — `every-child`; 9.0 makes them anew for each.
 * (11.3's HyperV parser also returns before the children of a `<hyperv mode='passthrough'>`, yet writes those an
 * earlier `<hyperv>` set: preview's engine.)
 */
export const repeatedFeatureReads11: ReadonlyMap<string, 'every-child' | 'whole-last' | 'last-set' | 'first-child'> = /* @__PURE__ */ new Map([
  ...repeatedFeatureReads, ['kvm', 'every-child'],
])
