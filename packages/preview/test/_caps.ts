// A small hand-written QEMU capabilities cache for unit tests (not libvirt's test data).
export interface CapsOptions {
  readonly arch?: string
  readonly flags?: readonly string[]
  readonly machines?: string
  readonly selfvers?: string
  /** QEMU's version in libvirt's encoding (default 9009000, QEMU 9.9). */
  readonly version?: string
  readonly extra?: string
}

export const x86Flags = [
  'piix3-usb-uhci', 'qemu-xhci', 'ich9-usb-ehci1', 'cirrus-vga', 'VGA', 'qxl', 'rtl8139', 'e1000', 'virtio-net', 'lsi', 'virtio-scsi-pci', 'mptsas1068', 'megasas', 'pvscsi', 'cpu-max',
  'pcie-root-port', 'pcie-pci-bridge', 'cpu.migratable', 'usb-storage', 'usb-bot', 'virtio-pci-non-transitional',
  // the devices validation asks the QEMU binary for (an x86_64 QEMU has them all)
  'ich9-ahci', 'ivshmem', 'ivshmem-plain', 'ivshmem-doorbell', 'tpm-tis', 'tpm-crb', 'tpm-emulator', 'tpm-passthrough', 'pvpanic', 'ich9-intel-hda', 'virtio-gpu',
  'vmware-svga', 'bochs-display', 'ramfb', 'usb-audio', 'hda-duplex', 'hda-micro', 'hda-output', 'usb-kbd', 'i8042', 'virtio-mouse', 'virtio-tablet', 'virtio-keyboard',
  'virtio-input-host', 'input-linux', 'usb-hub', 'usb-redir', 'usb-redir.filter', 'ccid-emulated', 'ccid-passthru',
  'chardev.qemu-vdagent', 'disable-s3', 'disable-s4', 'pc-dimm', 'nvdimm', 'virtio-mem-pci', 'virtio-pmem-pci', 'acpi-index', 'vfio-pci', 'vhost-scsi', 'vmcoreinfo',
  // the PCI controllers' QEMU devices and settings (qemuValidateDomainDeviceDefControllerPCI), SCSI disk channels
  'pci-bridge', 'dmi-to-pci-bridge', 'ioh3420', 'x3130-upstream', 'xio3130-downstream', 'pxb', 'pxb-pcie', 'pcie-root-port.hotplug', 'piix4.acpi-root-pci-hotplug', 'scsi-disk.channel',
  // the network and filesystem backends and settings (user networking, passt's stream, vDPA, virtio RSS, fsdev multidevs), the PCI pvpanic, virtio sound
  'netdev.user', 'netdev.stream', 'netdev.vhost-vdpa', 'virtio-net.rss', 'fsdev.multidevs', 'pvpanic-pci', 'virtio-sound',
  // RNG backends, vsock, the balloon's settings, virtiofs (and its boot order), MTP
  'virtio-rng', 'rng-random', 'rng-egd', 'rng-builtin', 'vhost-vsock', 'virtio-balloon-pci.deflate-on-oom', 'virtio-balloon.free-page-reporting', 'vhost-user-fs', 'vhost-user-fs.bootindex', 'usb-mtp',
  // disks: a SCSI LUN's scsi-block, WWNs, a rotation rate, a virtio queue size, USB storage and its removable flag
  'set-action', 'aio.io_uring', 'vhost-user-blk', 'vhost-user-gpu', 'scsi-block', 'ide-drive.wwn', 'scsi-disk.wwn', 'rotation-rate', 'virtio-blk.queue-size', 'usb-storage.removable',
  // the IOMMUs and the Intel IOMMU's settings
  'intel-iommu', 'virtio-iommu-pci', 'virtio-iommu.boot-bypass', 'intel-iommu.intremap', 'intel-iommu.caching-mode', 'intel-iommu.eim', 'intel-iommu.device-iotlb', 'intel-iommu.aw-bits', 'intel-iommu.dma-translation',
  // the displays (a QEMU built with SPICE, SDL, egl-headless and D-Bus) and their settings
  'sdl', 'vnc', 'spice', 'egl-headless', 'display-dbus', 'spice-gl', 'spice-rendernode', 'egl-headless.rendernode', 'vnc-power-control',
  // I/O thread pools, memory preallocation threads, memfd huge pages, NUMA HMAT
  'iothread.thread-pool-max', 'memory-backend-file.prealloc-threads', 'memory-backend-memfd.hugetlb', 'numa.hmat', 'run-with.async-teardown',
  // libvirt 11's: a shim, virtio crypto, virtio-mem's dynamic memory slots, I/O thread mappings, qcow2's discard-no-unref, virtio-gpu blobs
  'shim', 'virtio-crypto', 'virtio-mem-pci.dynamic-memslots', 'virtio-blk.iothread-mapping', 'virtio-scsi.iothread-mapping', 'qcow2-discard-no-unref', 'virtio-gpu.blob',
]

// (the machines' RAM IDs as QEMU names them: libvirt 9.0 reads them for shared memory without NUMA cells)
const x86Machines = `
  <machine type='tcg' name='pc-i440fx-9.9' alias='pc' default='yes' hotplugCpus='yes' maxCpus='255' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram'/>
  <machine type='tcg' name='pc-q35-9.9' alias='q35' hotplugCpus='yes' maxCpus='288' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram'/>
  <machine type='tcg' name='pc-i440fx-2.0' deprecated='yes' defaultCPU='qemu64-x86_64-cpu'/>
  <machine type='kvm' name='pc-i440fx-9.9' alias='pc' default='yes' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram'/>
  <machine type='kvm' name='pc-q35-9.9' alias='q35' defaultCPU='qemu64-x86_64-cpu' defaultRAMid='pc.ram'/>
  <cpu type='tcg' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>
  <cpu type='tcg' name='max' typename='max-x86_64-cpu' usable='yes'/>
  <cpu type='kvm' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>`

/** `<qemuCaps>` for an x86_64 QEMU by default. */
export function capsXml(options: CapsOptions = {}): string {
  const flags = (options.flags ?? x86Flags).map((f) => `  <flag name='${f}'/>`).join('\n')
  return `<qemuCaps>
  <emulator>/usr/bin/qemu-system-${options.arch ?? 'x86_64'}</emulator>
  <selfvers>${options.selfvers ?? '0'}</selfvers>
  <version>${options.version ?? '9009000'}</version>
${flags}
  <arch>${options.arch ?? 'x86_64'}</arch>
${options.machines ?? x86Machines}
${options.extra ?? ''}
</qemuCaps>
`
}

/** A domain with the given machine and devices (TCG, 1 vCPU, 1 GiB). */
export function domainXml(machine: string | undefined, devices: string, extra = '', arch = 'x86_64'): string {
  return `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='${arch}'${machine === undefined ? '' : ` machine='${machine}'`}>hvm</type></os>
  ${extra}
  <devices>
${devices}
  </devices>
</domain>
`
}
