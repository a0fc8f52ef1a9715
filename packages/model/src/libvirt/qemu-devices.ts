// The QEMU capability flags each device model, type or backend needs before libvirt's QEMU driver takes it: the
// names are virQEMUCaps' (qemu_capabilities.c's string table: what a capabilities file's `<qemuCaps><flag name=…/>`
// holds), the checks qemu_validate.c's and the domain capabilities' (virQEMUCapsFillDomainDevice*Caps), the same in
// libvirt 9.0 and 11.3 unless said. Where a refusal has words of its own for a device, they are here with it.

/** A flag, and libvirt's words when the QEMU lacks it. */
export interface QemuFlagCheck {
  readonly flag: string
  readonly message: string
}

/** What a virtio input device is to QEMU (qemuValidateDomainDeviceDefInput): its name, its flag, its CCW one's flag. */
export interface VirtioInputCaps {
  /** The QEMU device named in the refusal (`%s is not supported by this QEMU binary`). */
  readonly device: string
  readonly flag: string
  /** The flag of its CCW variant, needed at a CCW address (`undefined`: QEMU has none — QEMU_CAPS_LAST, never set). */
  readonly ccwFlag: string | undefined
}

export const qemuDeviceFlags: {
  /** virQEMUCapsFillDomainDeviceTPMCaps: the flag that offers each TPM model. */
  readonly tpmModels: Readonly<Record<string, string>>
  /**
   * virQEMUCapsFillDomainDeviceTPMCaps: the flag that offers each TPM backend (emulator and external both with the
   * tpm-emulator flag, and only on a host with swtpm — preview assumes one). Refused with "The QEMU executable … does
   * not support TPM backend type …".
   */
  readonly tpmBackends: Readonly<Record<string, string>>
  /**
   * virQEMUCapsFillDomainDeviceVideoCaps: the flag that offers each video model (`none` always, so no flag). A model
   * not listed (xen, vbox, parallels, gop) is never offered: "domain configuration does not support video model '…'".
   */
  readonly videoModels: Readonly<Record<string, string | null>>
  /**
   * qemuValidateDomainDeviceDefVideo: the video models that take a `<resolution>` ("model resolution is not
   * supported" on the others).
   */
  readonly videoResolutionModels: readonly string[]
  /** qemuValidateDomainDeviceDefShmem: the flag each shared memory model needs (its words in preview: the legacy ivshmem's are its own). */
  readonly shmemModels: Readonly<Record<string, string>>
  /**
   * qemuValidateDomainDeviceDefShmem, libvirt 11 (not 9.0): the shared memory models refused whatever QEMU has, with
   * libvirt's words — the legacy ivshmem (its flag retired; after the size check).
   */
  readonly shmemModelsRemoved11: Readonly<Record<string, string>>
  /** qemuValidateDomainDeviceDefSound: the flag each sound model needs, with libvirt's words (virtio: libvirt 11's model, which 9.0's parser does not know). */
  readonly soundModels: Readonly<Record<string, QemuFlagCheck>>
  /** qemuValidateDomainDeviceDefSound: the sound models the QEMU driver refuses whatever QEMU has ("sound card model '…' is not supported by qemu"). */
  readonly soundModelsRefused: readonly string[]
  /**
   * qemuSoundCodecTypeToCaps: each HDA codec's QEMU device — its flag, and its name in "… not supported in this QEMU
   * binary" (qemuSoundCodecType).
   */
  readonly soundCodecs: Readonly<Record<string, string>>
  /** qemuValidateCheckSCSIControllerModel: the flag each SCSI controller model needs, and how libvirt names the controller. */
  readonly scsiModels: Readonly<Record<string, readonly [flag: string, words: string]>>
  /** qemuValidateDomainDeviceDefControllerPCI: the QEMU property of the hot-plug switch per PCI controller model (a model not listed has none). */
  readonly pciHotplug: Readonly<Record<string, string>>
  /** virDomainControllerPCIModelName: the model names each PCI controller model may be (each a QEMU device). */
  readonly pciModelNames: Readonly<Record<string, readonly string[]>>
  /** The model names whose flag is not the name itself (i82801b11-bridge: QEMU_CAPS_DEVICE_DMI_TO_PCI_BRIDGE). */
  readonly pciModelNameFlags: Readonly<Record<string, string>>
  /**
   * qemuValidateDomainDeviceDefInput, in its order: a PS/2 device off x86 needs the i8042 controller ("ps2 is not
   * supported by this QEMU binary"), a USB keyboard usb-kbd; a virtio input device by type its device's flag (and its
   * CCW variant's at a CCW address).
   */
  readonly input: {
    readonly ps2: string
    readonly usbKeyboard: QemuFlagCheck
    readonly virtio: Readonly<Record<string, VirtioInputCaps>>
  }
  /** qemuValidateDomainDeviceDefMemballoon: the balloon models QEMU has (none aside; any other is "Memory balloon device type '…' is not supported by this version of qemu"). */
  readonly memballoonModels: readonly string[]
  /**
   * qemuValidateDomainDefPanic: the flag each panic model that is a QEMU device needs, with libvirt's words — the ISA
   * pvpanic, and libvirt 11's PCI one (model `pvpanic`, which 9.0's parser does not know). Checked before its address.
   */
  readonly panicModels: Readonly<Record<string, QemuFlagCheck>>
  /**
   * qemuValidateDomainDeviceDefNetwork: a vDPA interface's backend (before its model), and on a virtio model RSS and
   * its hash reporting — written at all, on or off (a tristate: anything but absent) — after the queue sizes.
   */
  readonly net: { readonly vdpa: QemuFlagCheck; readonly rss: QemuFlagCheck; readonly rssHashReport: QemuFlagCheck }
  /**
   * virQEMUCapsFillDomainDeviceNetCaps, libvirt 11 (9.0 checks none): the flag that offers each backend of user
   * networking, and of a vhost-user interface with the passt backend — else "the '…' network backend is not supported
   * with this QEMU binary" (qemuValidateDomainDeviceDefNetwork, after the guest-side route, before the addresses).
   */
  readonly netBackends: Readonly<Record<string, string>>
  /** qemuValidateDomainDeviceDefFS: a multidevs other than `default` (after the filesystem type; 11: after the space limits). */
  readonly fsMultidevs: QemuFlagCheck
  /**
   * qemuValidateDomainDefPSeriesFeature, libvirt 9.0 (11.3 retired these flags and asks none): the machine property
   * each pSeries feature needs once set, with libvirt's words; `hpt` only for a maximum page size above 0.
   */
  readonly pseriesFeatures9: Readonly<Record<string, QemuFlagCheck>>
  /**
   * qemuValidateDomainDefFeatures, libvirt 11's features (9.0's parser knows none of them): asynchronous teardown switched
   * on, then — once on their machine, ARM virt's and RISC-V virt's — RAS and AIA, each QEMU's property.
   */
  readonly features11: Readonly<Record<'async-teardown' | 'ras' | 'aia', QemuFlagCheck>>
  /**
   * More of libvirt 11's checks (9.0 reads none of these settings): a shim's machine property (qemuValidateDomainDefBoot,
   * last), a virtio-mem device's dynamic memory slots (after its device), an I/O thread mapping of a virtio disk
   * (before its thread) and of a virtio-scsi controller (after its address), a qcow2 image's discard-no-unref (after the
   * disk's target), a virtio video's blob resources (then a memfd memory backend, not a flag).
   */
  readonly more11: Readonly<Record<'shim' | 'dynamicMemslots' | 'diskIothreadMapping' | 'scsiIothreadMapping' | 'discardNoUnref' | 'blob', QemuFlagCheck>>
  /** qemuValidateDomainRNGDef: each RNG backend's QEMU object (an EGD one's before its character device's checks). */
  readonly rngBackends: Readonly<Record<string, QemuFlagCheck>>
  /**
   * qemuValidateDomainDeviceDefMemory: the QEMU device each memory device model needs, with libvirt's words without it;
   * `ccwFlag`, libvirt 11's virtio-mem at a CCW address (the same words; 9.0 takes virtio memory on PCI alone).
   */
  readonly memoryModels: Readonly<Record<string, QemuFlagCheck & { readonly ccwFlag?: string }>>
  /**
   * qemuValidateDomainRNGDef, libvirt 11 (virQEMUCapsFillDomainDeviceRNGCaps; 9.0 asks none): the flags each RNG model
   * needs, checked last — "domain configuration does not support rng model '…'".
   */
  readonly rngModels11: Readonly<Record<string, readonly string[]>>
  /** qemuValidateDomainDeviceDefVsock: QEMU's vhost-vsock device (after the generic guest CID check). */
  readonly vsock: QemuFlagCheck
  /** qemuValidateDomainDeviceDefMemballoon: a virtio balloon's settings — written at all, on or off — each its QEMU property (after the model). */
  readonly memballoonOptions: Readonly<Record<'autodeflate' | 'freePageReporting', QemuFlagCheck>>
  /**
   * qemuValidateDomainDeviceDefFS: a filesystem driver's QEMU device — virtiofs's after its model and format, before its
   * multidevs; libvirt 11's MTP driver's before its access mode —, and a virtiofs boot order's (after its shared memory).
   */
  readonly filesystemDrivers: Readonly<Record<string, QemuFlagCheck>>
  readonly virtiofsBootOrder: QemuFlagCheck
  /**
   * qemuValidateDomainDeviceDefDiskFrontend, in its order: a WWN's property on an IDE disk, then (a slip kept as
   * libvirt has it) on any disk but a SCSI one, the SCSI disk's (libvirt 9.0 alone); a SCSI LUN's scsi-block device; a
   * rotation rate's property; by bus, a virtio disk's queue size, a USB disk's usb-storage device (before its address)
   * and its removable flag (9.0 alone).
   */
  readonly disk: {
    readonly ideWwn9: QemuFlagCheck
    readonly scsiWwn9: QemuFlagCheck
    readonly scsiBlock: QemuFlagCheck
    readonly rotationRate: QemuFlagCheck
    readonly virtioQueueSize: QemuFlagCheck
    readonly usbStorage: QemuFlagCheck
    readonly usbRemovable9: QemuFlagCheck
    /** qemuValidateDomainDeviceDefDiskFrontend: io_uring's QEMU AIO (after io='native''s cache check). */
    readonly ioUring: QemuFlagCheck
    /**
     * qemuValidateDomainDeviceDefDiskTransient: a transient disk sharing its backing image needs QEMU's set-action when
     * the domain may not reboot (on_reboot, on_poweroff and on_crash all destroy; qemuProcessRebootAllowed).
     */
    readonly transientShareBacking: QemuFlagCheck
    /** qemuValidateDomainDeviceDefDisk: a vhost-user disk's QEMU device, before its shared memory. */
    readonly vhostUser: QemuFlagCheck
  }
  /** qemuValidateDomainDeviceDefVideo: a virtio video with the vhost-user driver's QEMU device (before 3D acceleration). */
  readonly vhostUserGpu: QemuFlagCheck
  /**
   * qemuValidateDomainDeviceDefIOMMU: the flags each IOMMU model needs once its machine is right ("IOMMU device: '…' is
   * not supported with this QEMU binary", before virtio's ACPI), then each `<driver>` setting's Intel IOMMU property,
   * whatever the model (written at all; aw_bits above 0) — dma_translation libvirt 11's alone.
   */
  readonly iommu: { readonly models: Readonly<Record<string, readonly string[]>>; readonly driver: Readonly<Record<string, QemuFlagCheck>> }
  /**
   * virQEMUCapsFillDomainDeviceGraphicsCaps: the flag that offers each display type ("… graphics are not supported with
   * this QEMU"; RDP — libvirt 11, through D-Bus — also needs the host's RDP server, which preview assumes); then
   * qemuValidateDomainDevice…Graphics: SPICE's OpenGL and its render node, egl-headless's render node, VNC's power control.
   */
  readonly graphics: {
    readonly types: Readonly<Record<string, string>>
    readonly spiceGl: QemuFlagCheck
    readonly spiceRendernode: QemuFlagCheck
    readonly eglHeadlessRendernode: QemuFlagCheck
    readonly vncPowerControl: QemuFlagCheck
  }
  /** qemuValidateDomainDeviceDefAudio: a D-Bus audio backend's QEMU display. */
  readonly dbusAudio: QemuFlagCheck
  /**
   * The QEMU driver's domain checks (qemuValidateDomainDef's steps): an I/O thread's pool (qemuValidateDomainDefIOThreads:
   * any I/O thread's or the default one's minimum or maximum written); with huge pages, preallocation threads and a
   * memfd source (qemuValidateDomainDefMemory: after ondemand allocation, the threads before the anonymous source, memfd
   * after it); a guest NUMA topology's HMAT — caches or interconnects (qemuValidateDomainDefNuma).
   */
  readonly domain: {
    readonly iothreadPool: QemuFlagCheck
    readonly preallocThreads: QemuFlagCheck
    readonly memfdHugepages: QemuFlagCheck
    readonly numaHmat: QemuFlagCheck
  }
  /**
   * qemuValidateDomainDef's launch security: the flags each type needs (virQEMUCapsFillDomainLaunchSecurity's types in
   * 11.3: SEV the sev-guest object, SEV-SNP sev-snp-guest, s390 PV both s390-pv-guest and the machine's confidential guest
   * support). libvirt 9.0 checks SEV and s390 PV in words of their own (`words9`), 11.3 every type in one form naming it
   * (`words11`, `%s` the type); then SEV's measured direct kernel boot (`kernelHashes` written) needs its flag, in both.
   */
  readonly launchSecurity: {
    readonly types: Readonly<Record<string, readonly string[]>>
    readonly words9: Readonly<Record<string, string>>
    readonly words11: string
    readonly sevKernelHashes: QemuFlagCheck
  }
  /** qemuValidateDomainDeviceDefHub: a USB hub's flag (the other hub types are refused first). */
  readonly usbHub: QemuFlagCheck
  /** qemuValidateDomainRedirdevDef: USB redirection's flag (after the source's checks and the bus), then its filter's. */
  readonly usbRedir: QemuFlagCheck
  readonly usbRedirFilter: QemuFlagCheck
  /** qemuValidateDomainSmartcardDef: each smartcard mode's flag (after the one-card-at-CCID-0.0 check). */
  readonly smartcardModes: Readonly<Record<string, QemuFlagCheck>>
} = {
  tpmModels: { 'tpm-tis': 'tpm-tis', 'tpm-crb': 'tpm-crb', 'tpm-spapr': 'tpm-spapr', 'spapr-tpm-proxy': 'spapr-tpm-proxy' },
  tpmBackends: { passthrough: 'tpm-passthrough', emulator: 'tpm-emulator', external: 'tpm-emulator' },
  videoModels: { none: null, vga: 'VGA', cirrus: 'cirrus-vga', vmvga: 'vmware-svga', qxl: 'qxl', virtio: 'virtio-gpu', bochs: 'bochs-display', ramfb: 'ramfb' },
  videoResolutionModels: ['vga', 'qxl', 'virtio', 'bochs'],
  shmemModels: { ivshmem: 'ivshmem', 'ivshmem-plain': 'ivshmem-plain', 'ivshmem-doorbell': 'ivshmem-doorbell' },
  shmemModelsRemoved11: { ivshmem: 'ivshmem device is no longer supported' },
  soundModels: {
    usb: { flag: 'usb-audio', message: 'usb-audio controller is not supported by this QEMU binary' },
    ich9: { flag: 'ich9-intel-hda', message: 'The ich9-intel-hda audio controller is not supported in this QEMU binary' },
    virtio: { flag: 'virtio-sound', message: 'virtio-sound controller is not supported in this QEMU binary' },
  },
  soundModelsRefused: ['ich7'],
  soundCodecs: { duplex: 'hda-duplex', micro: 'hda-micro', output: 'hda-output' },
  scsiModels: {
    lsilogic: ['lsi', 'the LSI 53C895A SCSI controller'],
    'virtio-scsi': ['virtio-scsi-pci', 'virtio scsi controller'],
    'virtio-transitional': ['virtio-scsi-pci', 'virtio scsi controller'],
    'virtio-non-transitional': ['virtio-scsi-pci', 'virtio scsi controller'],
    lsisas1068: ['mptsas1068', 'the LSI SAS1068 (MPT Fusion) controller'],
    lsisas1078: ['megasas', 'the LSI SAS1078 (MegaRAID) controller'],
    vmpvscsi: ['pvscsi', 'the pvscsi (VMware paravirtual SCSI) controller'],
  },
  pciHotplug: { 'pci-root': 'piix4.acpi-root-pci-hotplug', 'pcie-root-port': 'pcie-root-port.hotplug', 'pcie-switch-downstream-port': 'pcie-root-port.hotplug' },
  pciModelNames: {
    'pci-root': ['spapr-pci-host-bridge'], 'pcie-root': [], 'pci-bridge': ['pci-bridge'], 'dmi-to-pci-bridge': ['i82801b11-bridge'],
    'pcie-root-port': ['ioh3420', 'pcie-root-port'], 'pcie-switch-upstream-port': ['x3130-upstream'], 'pcie-switch-downstream-port': ['xio3130-downstream'],
    'pci-expander-bus': ['pxb'], 'pcie-expander-bus': ['pxb-pcie'], 'pcie-to-pci-bridge': ['pcie-pci-bridge'],
  },
  pciModelNameFlags: { 'i82801b11-bridge': 'dmi-to-pci-bridge' },
  input: {
    ps2: 'i8042',
    usbKeyboard: { flag: 'usb-kbd', message: 'usb keyboard is not supported by this QEMU binary' },
    virtio: {
      mouse: { device: 'virtio-mouse', flag: 'virtio-mouse', ccwFlag: 'virtio-mouse-ccw' },
      tablet: { device: 'virtio-tablet', flag: 'virtio-tablet', ccwFlag: 'virtio-tablet-ccw' },
      keyboard: { device: 'virtio-keyboard', flag: 'virtio-keyboard', ccwFlag: 'virtio-keyboard-ccw' },
      passthrough: { device: 'virtio-input-host', flag: 'virtio-input-host', ccwFlag: undefined },
      evdev: { device: 'input-linux', flag: 'input-linux', ccwFlag: undefined },
    },
  },
  memballoonModels: ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
  panicModels: {
    isa: { flag: 'pvpanic', message: 'the QEMU binary does not support the ISA panic device' },
    pvpanic: { flag: 'pvpanic-pci', message: 'the QEMU binary does not support the PCI pvpanic device' },
  },
  net: {
    vdpa: { flag: 'netdev.vhost-vdpa', message: 'vDPA devices are not supported with this QEMU binary' },
    rss: { flag: 'virtio-net.rss', message: 'virtio rss is not supported with this QEMU binary' },
    rssHashReport: { flag: 'virtio-net.rss', message: 'virtio rss hash report is not supported with this QEMU binary' },
  },
  netBackends: { default: 'netdev.user', passt: 'netdev.stream' },
  fsMultidevs: { flag: 'fsdev.multidevs', message: 'multidevs is not supported with this QEMU binary' },
  features11: {
    'async-teardown': { flag: 'run-with.async-teardown', message: 'asynchronous teardown is not available with this QEMU binary' },
    ras: { flag: 'machine.virt.ras', message: 'ras feature is not available with this QEMU binary' },
    aia: { flag: 'machine.virt.aia', message: 'aia feature is not available with this QEMU binary' },
  },
  memoryModels: {
    dimm: { flag: 'pc-dimm', message: "memory hotplug isn't supported by this QEMU binary" },
    nvdimm: { flag: 'nvdimm', message: "nvdimm isn't supported by this QEMU binary" },
    'virtio-pmem': { flag: 'virtio-pmem-pci', message: "virtio-pmem isn't supported by this QEMU binary" },
    'virtio-mem': { flag: 'virtio-mem-pci', message: "virtio-mem isn't supported by this QEMU binary", ccwFlag: 'virtio-mem-ccw' },
    'sgx-epc': { flag: 'sgx-epc', message: "sgx epc isn't supported by this QEMU binary" },
  },
  more11: {
    shim: { flag: 'shim', message: 'shim is not supported by this QEMU binary' },
    dynamicMemslots: { flag: 'virtio-mem-pci.dynamic-memslots', message: 'virtio-mem does not support dynamicMemslots' },
    diskIothreadMapping: { flag: 'virtio-blk.iothread-mapping', message: "IOThread mapping for disk '%s' is not available with this QEMU binary" },
    scsiIothreadMapping: { flag: 'virtio-scsi.iothread-mapping', message: 'IOThread mapping for virtio-scsi controllers is not available with this QEMU binary' },
    discardNoUnref: { flag: 'qcow2-discard-no-unref', message: "'discard_no_unref' is not supported by this QEMU binary" },
    blob: { flag: 'virtio-gpu.blob', message: "this QEMU does not support 'blob' for virtio-gpu devices" },
  },
  pseriesFeatures9: {
    hpt: { flag: 'machine.pseries.cap-hpt-max-page-size', message: 'Configuring the page size for HPT guests is not supported by this QEMU binary' },
    htm: { flag: 'machine.pseries.cap-htm', message: 'HTM configuration is not supported by this QEMU binary' },
    'nested-hv': { flag: 'machine.pseries.cap-nested-hv', message: 'Nested HV configuration is not supported by this QEMU binary' },
    'ccf-assist': { flag: 'machine.pseries.cap-ccf-assist', message: 'ccf-assist configuration is not supported by this QEMU binary' },
    cfpc: { flag: 'machine.pseries.cap-cfpc', message: 'cfpc configuration is not supported by this QEMU binary' },
    sbbc: { flag: 'machine.pseries.cap-sbbc', message: 'sbbc configuration is not supported by this QEMU binary' },
    ibs: { flag: 'machine.pseries.cap-ibs', message: 'ibs configuration is not supported by this QEMU binary' },
  },
  rngBackends: {
    random: { flag: 'rng-random', message: "this qemu doesn't support the rng-random backend" },
    egd: { flag: 'rng-egd', message: "this qemu doesn't support the rng-egd backend" },
    builtin: { flag: 'rng-builtin', message: "this qemu doesn't support the rng-builtin backend" },
  },
  rngModels11: { virtio: ['virtio-rng'], 'virtio-transitional': ['virtio-rng', 'virtio-pci-non-transitional'], 'virtio-non-transitional': ['virtio-rng', 'virtio-pci-non-transitional'] },
  vsock: { flag: 'vhost-vsock', message: 'vsock device is not supported with this QEMU binary' },
  memballoonOptions: {
    autodeflate: { flag: 'virtio-balloon-pci.deflate-on-oom', message: 'deflate-on-oom is not supported by this QEMU binary' },
    freePageReporting: { flag: 'virtio-balloon.free-page-reporting', message: 'freePageReporting is not supported by this QEMU binary' },
  },
  filesystemDrivers: {
    virtiofs: { flag: 'vhost-user-fs', message: 'virtiofs is not supported with this QEMU binary' },
    mtp: { flag: 'usb-mtp', message: 'mtp is not supported with this QEMU binary' },
  },
  virtiofsBootOrder: { flag: 'vhost-user-fs.bootindex', message: 'setting virtiofs boot order is not supported with this QEMU binary' },
  disk: {
    ideWwn9: { flag: 'ide-drive.wwn', message: 'Setting wwn for ide disk is not supported by this QEMU' },
    scsiWwn9: { flag: 'scsi-disk.wwn', message: 'Setting wwn for scsi disk is not supported by this QEMU' },
    scsiBlock: { flag: 'scsi-block', message: "This QEMU doesn't support scsi-block for lun passthrough" },
    rotationRate: { flag: 'rotation-rate', message: 'rotation rate is not supported with this QEMU' },
    virtioQueueSize: { flag: 'virtio-blk.queue-size', message: "queue-size property isn't supported by this QEMU binary" },
    usbStorage: { flag: 'usb-storage', message: "This QEMU doesn't support '-device usb-storage'" },
    usbRemovable9: { flag: 'usb-storage.removable', message: "This QEMU doesn't support setting the removable flag of USB storage devices" },
    transientShareBacking: { flag: 'set-action', message: "transient disk backing image sharing with destroy action of lifecycle isn't supported by this QEMU binary" },
    ioUring: { flag: 'aio.io_uring', message: 'io uring is not supported by this QEMU binary' },
    vhostUser: { flag: 'vhost-user-blk', message: 'vhostuser disk is not supported with this QEMU binary' },
  },
  vhostUserGpu: { flag: 'vhost-user-gpu', message: "this QEMU does not support 'vhost-user' video device" },
  iommu: {
    models: { intel: ['intel-iommu'], smmuv3: ['machine.virt.iommu'], virtio: ['virtio-iommu-pci', 'virtio-iommu.boot-bypass'] },
    driver: {
      intremap: { flag: 'intel-iommu.intremap', message: 'iommu: interrupt remapping is not supported with this QEMU binary' },
      caching_mode: { flag: 'intel-iommu.caching-mode', message: 'iommu: caching mode is not supported with this QEMU binary' },
      eim: { flag: 'intel-iommu.eim', message: 'iommu: eim is not supported with this QEMU binary' },
      iotlb: { flag: 'intel-iommu.device-iotlb', message: 'iommu: device IOTLB is not supported with this QEMU binary' },
      aw_bits: { flag: 'intel-iommu.aw-bits', message: 'iommu: aw_bits is not supported with this QEMU binary' },
      dma_translation: { flag: 'intel-iommu.dma-translation', message: 'iommu: updating dma translation is not supported with this QEMU binary' },
    },
  },
  graphics: {
    types: { sdl: 'sdl', vnc: 'vnc', spice: 'spice', 'egl-headless': 'egl-headless', dbus: 'display-dbus', rdp: 'display-dbus' },
    spiceGl: { flag: 'spice-gl', message: "This QEMU doesn't support spice OpenGL" },
    spiceRendernode: { flag: 'spice-rendernode', message: "This QEMU doesn't support spice OpenGL rendernode" },
    eglHeadlessRendernode: { flag: 'egl-headless.rendernode', message: "This QEMU doesn't support OpenGL rendernode with egl-headless graphics type" },
    vncPowerControl: { flag: 'vnc-power-control', message: 'VNC power control is not available' },
  },
  dbusAudio: { flag: 'display-dbus', message: 'D-Bus audio is not supported with this QEMU' },
  domain: {
    iothreadPool: { flag: 'iothread.thread-pool-max', message: 'thread_pool_min and thread_pool_max is not supported by this QEMU binary' },
    preallocThreads: { flag: 'memory-backend-file.prealloc-threads', message: 'preallocation threads are unsupported with this QEMU' },
    memfdHugepages: { flag: 'memory-backend-memfd.hugetlb', message: 'hugepages is not supported with memfd memory source' },
    numaHmat: { flag: 'numa.hmat', message: 'HMAT is not supported with this QEMU' },
  },
  launchSecurity: {
    types: { sev: ['sev-guest'], 'sev-snp': ['sev-snp-guest'], 's390-pv': ['confidential-guest-support', 's390-pv-guest'] },
    words9: { sev: 'SEV launch security is not supported with this QEMU binary', 's390-pv': 'S390 PV launch security is not supported with this QEMU binary' },
    words11: "'%s' launch security is not supported with this QEMU binary",
    sevKernelHashes: { flag: 'sev-guest-kernel-hashes', message: 'SEV measured direct kernel boot is not supported with this QEMU binary' },
  },
  usbHub: { flag: 'usb-hub', message: 'usb-hub not supported by QEMU binary' },
  usbRedir: { flag: 'usb-redir', message: 'USB redirection is not supported by this version of QEMU' },
  usbRedirFilter: { flag: 'usb-redir.filter', message: 'USB redirection filter is not supported by this version of QEMU' },
  smartcardModes: {
    host: { flag: 'ccid-emulated', message: 'this QEMU binary lacks smartcard host mode support' },
    'host-certificates': { flag: 'ccid-emulated', message: 'this QEMU binary lacks smartcard host mode support' },
    passthrough: { flag: 'ccid-passthru', message: 'this QEMU binary lacks smartcard passthrough mode support' },
  },
}

/**
 * The capability flag each domain type QEMU runs needs (virQEMUCapsIsVirtTypeSupported, libvirt 9.0 and 11.3 alike):
 * `qemu` (TCG) needs QEMU_CAPS_TCG, `kvm` QEMU_CAPS_KVM, `hvf` QEMU_CAPS_HVF — a KVM domain on a QEMU probed without KVM is
 * refused ("Emulator '…' does not support virt type 'kvm'"), and any other domain type always.
 */
export const virtTypeFlags: Readonly<Record<string, string>> = { qemu: 'tcg', kvm: 'kvm', hvf: 'hvf' }

/**
 * The capability flags libvirt stops writing into its capabilities files once every QEMU it supports has them (it
 * retires them, X_QEMU_CAPS_…, and takes the feature as given), each with the QEMU version since which QEMU has it
 * (libvirt's encoding: major × 1,000,000 + minor × 1,000 + micro). A file from such a QEMU without the flag — one a
 * later libvirt wrote — stands for a QEMU that has it: `set-action` (the QMP command, QEMU 6.0) is in each of libvirt
 * 9.0's and 11.3's test capabilities of QEMU 6.0 and later and in none before, and in none of a later libvirt's (its
 * ppc64 QEMU 10.0 file lacks it where 11.3's x86_64 QEMU 10.0 file holds it). Of the flags retired after 11.3 this
 * table names the ones preview reads.
 */
export const retiredQemuFlags: Readonly<Record<string, number>> = { 'set-action': 6_000_000 }

/**
 * virDomainVideoDefaultRAM: the video RAM (KiB) a model without one takes — for a QXL display its RAM too — in a QEMU
 * domain (a VirtualBox or VMware domain's VGA models take less); a model not listed takes none (0: not written).
 */
export const videoDefaultRam: Readonly<Record<string, number>> = { vga: 16384, cirrus: 16384, vmvga: 16384, bochs: 16384, xen: 4096, qxl: 65536 }

/**
 * VIR_ROUND_UP_POWER_OF_TWO (internal.h) on a C unsigned int: the least power of two not below the value; 0 stays 0,
 * and a value above 2^31 becomes 0 (no power of two fits).
 */
export function roundUpPowerOfTwo(value: number): number {
  if (value <= 0 || value > 2 ** 31) return 0
  let p = 1
  while (p < value) p *= 2
  return p
}
