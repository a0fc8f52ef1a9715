// The QEMU capability flags device models need (qemuDeviceFlags): each a flag libvirt knows, and one QEMUs report.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { attributeReads, deviceNames, qemuDeviceFlags, retiredQemuFlags, roundUpPowerOfTwo, videoDefaultRam, virtTypeFlags } from '../src/index.ts'

/**
 * libvirt 9.0's virQEMUCaps string table (src/qemu/qemu_capabilities.c, VIR_ENUM_IMPL(virQEMUCaps, …)) without the
 * retired flags (X_QEMU_CAPS_…, which libvirt never sets), as read from the source.
 */
const libvirtFlags9: ReadonlySet<string> = new Set(`
  kvm sdl no-hpet spice hda-duplex ccid-emulated ccid-passthru piix3-usb-uhci piix4-usb-uhci usb-ehci ich9-usb-ehci1
  vt82c686b-usb-uhci pci-ohci usb-redir usb-hub ich9-ahci no-acpi virtio-blk-pci.scsi scsi-disk.channel scsi-block
  hda-micro nec-usb-xhci lsi virtio-scsi-pci disable-s3 disable-s4 usb-redir.filter ide-drive.wwn scsi-disk.wwn
  seccomp-sandbox vnc qxl VGA cirrus-vga vmware-svga s390-sclp usb-serial virtio-rng rng-random rng-egd virtio-ccw
  megasas tpm-passthrough tpm-tis nvram pci-bridge vfio-pci dmi-to-pci-bridge usb-storage usb-storage.removable
  virtio-mmio ich9-intel-hda kvm-pit-lost-tick-policy pvpanic enable-fips usb-kbd usb-audio rtc-reset-reinjection
  iothread migrate-rdma ivshmem VGA.vgamem_mb vmware-svga.vgamem_mb qxl.vgamem_mb pc-dimm machine-vmport-opt
  aes-key-wrap dea-key-wrap pci-serial aarch64-off gpex-pcihost ioh3420 x3130-upstream xio3130-downstream rtl8139
  e1000 virtio-net gic-version virtio-gpu virtio-gpu.virgl virtio-keyboard virtio-mouse virtio-tablet
  virtio-input-host ich9-disable-s3 ich9-disable-s4 virtio-balloon-pci.deflate-on-oom mptsas1068 spice-gl
  qxl.vram64_size_mb pxb pxb-pcie intel-iommu query-hotpluggable-cpus virtio-vga ivshmem-plain ivshmem-doorbell
  vhost-scsi query-cpu-model-expansion spice-rendernode nvdimm pcie-root-port query-cpu-definitions cpu-cache
  qemu-xhci intel-iommu.intremap intel-iommu.caching-mode intel-iommu.eim intel-iommu.device-iotlb loadparm
  spapr-pci-host-bridge spapr-pci-host-bridge.numa_node chardev-reconnect vxhs vmcoreinfo spapr-vty sclplmconsole
  isa-serial pl011 virtio-gpu-ccw virtio-keyboard-ccw virtio-mouse-ccw virtio-tablet-ccw pcie-pci-bridge nbd-tls
  tpm-crb pr-manager-helper vfio-ccw screendump_device hda-output vmgenid vhost-vsock tpm-emulator mch
  mch.extended-tseg-mbytes sev-guest machine.pseries.cap-hpt-max-page-size machine.pseries.cap-htm egl-headless
  vfio-pci.display vfio-ap zpci memory-backend-memfd memory-backend-memfd.hugetlb iothread.poll-max-ns
  machine.pseries.cap-nested-hv egl-headless.rendernode memory-backend-file.pmem nvdimm.unarmed
  virtio-pci-non-transitional machine.virt.iommu nbd-bitmap x86-max-cpu cpu-unavailable-features
  canonical-cpu-features bochs-display migration-file-drop-cache dbus-vmstate vhost-user-gpu vhost-user-vga
  incremental-backup query-cpu-model-baseline query-cpu-model-comparison ramfb machine.pseries.cap-ccf-assist
  arm-max-cpu drive-nvme smp-dies i8042 rng-builtin tpm-spapr cpu.kvm-no-adjvtime vhost-user-fs
  query-named-block-nodes.flat blockdev-snapshot.allow-write-only-overlay blockdev-reopen fsdev.multidevs
  pcie-root-port.hotplug aio.io_uring machine.pseries.cap-cfpc machine.pseries.cap-sbbc machine.pseries.cap-ibs tcg
  virtio-blk-pci.scsi.default.disabled pvscsi cpu.migratable intel-iommu.aw-bits spapr-tpm-proxy numa.hmat
  usb-host.hostdevice virtio-balloon.free-page-reporting block-export-add netdev.vhost-vdpa ncr53c90 dc390 am53c974
  virtio-pmem-pci vhost-user-fs.bootindex vhost-user-blk cpu-max
  memory-backend-file.x-use-canonical-path-for-ramblock-id migration-param.block-bitmap-mapping vnc-power-control
  object.qapified rotation-rate compat-deprecated acpi-index input-linux virtio-gpu-gl-pci virtio-vga-gl
  confidential-guest-support s390-pv-guest set-action virtio-blk.queue-size virtio-mem-pci
  memory-backend-file.reserve piix4.acpi-root-pci-hotplug netdev.json chardev.json query-dirty-rate rbd-encryption
  sev-guest-kernel-hashes sev-inject-launch-secret device.json+hotplug hvf virtio-mem-pci.prealloc calc-dirty-rate
  dirtyrate-param.mode blockdev.nbd.tls-hostname memory-backend-file.prealloc-threads virtio-iommu-pci
  virtio-iommu.boot-bypass virtio-net.rss chardev.qemu-vdagent display-dbus iothread.thread-pool-max
  usb-host.guest-resets-all migration.blocked-reasons query-stats query-stats-schemas sgx-epc thread-context
  screenshot-format-png machine-hpet netdev.stream
`.split(/\s+/).filter(Boolean))

/**
 * The flags of libvirt 11.3's checks that 9.0's table does not have (as read from 11.3's qemu_capabilities.c): user
 * networking's backend, the PCI pvpanic, virtio sound, the MTP filesystem driver, the Intel IOMMU's DMA translation, 11's features.
 */
const libvirtFlags11Only: ReadonlySet<string> = new Set(['netdev.user', 'pvpanic-pci', 'virtio-sound', 'usb-mtp', 'intel-iommu.dma-translation', 'run-with.async-teardown', 'machine.virt.ras', 'machine.virt.aia',
  'shim', 'virtio-mem-pci.dynamic-memslots', 'virtio-blk.iothread-mapping', 'virtio-scsi.iothread-mapping', 'qcow2-discard-no-unref', 'virtio-gpu.blob', 'sev-snp-guest'])

/** Every flag the tables name. */
function namedFlags(): string[] {
  const f = qemuDeviceFlags
  return [
    ...Object.values(f.tpmModels), ...Object.values(f.tpmBackends), ...Object.values(f.videoModels).filter((v): v is string => v !== null),
    ...Object.values(f.shmemModels), ...Object.values(f.soundModels).map((c) => c.flag), ...Object.values(f.soundCodecs),
    ...Object.values(f.scsiModels).map(([flag]) => flag), ...Object.values(f.pciHotplug),
    ...Object.values(f.pciModelNames).flat().map((name) => f.pciModelNameFlags[name] ?? name),
    f.input.ps2, f.input.usbKeyboard.flag, ...Object.values(f.input.virtio).flatMap((v) => [v.flag, ...(v.ccwFlag === undefined ? [] : [v.ccwFlag])]),
    f.usbHub.flag, f.usbRedir.flag, f.usbRedirFilter.flag, ...Object.values(f.smartcardModes).map((c) => c.flag),
    ...Object.values(f.panicModels).map((c) => c.flag), f.net.vdpa.flag, f.net.rss.flag, f.net.rssHashReport.flag, ...Object.values(f.netBackends),
    f.fsMultidevs.flag, ...Object.values(f.pseriesFeatures9).map((c) => c.flag),
    ...Object.values(f.rngBackends).map((c) => c.flag), ...Object.values(f.rngModels11).flat(), f.vsock.flag, ...Object.values(f.memballoonOptions).map((c) => c.flag),
    ...Object.values(f.filesystemDrivers).map((c) => c.flag), f.virtiofsBootOrder.flag, ...Object.values(f.disk).map((c) => c.flag),
    ...Object.values(f.iommu.models).flat(), ...Object.values(f.iommu.driver).map((c) => c.flag),
    ...Object.values(f.graphics.types), f.graphics.spiceGl.flag, f.graphics.spiceRendernode.flag, f.graphics.eglHeadlessRendernode.flag, f.graphics.vncPowerControl.flag, f.dbusAudio.flag, f.vhostUserGpu.flag,
    ...Object.values(f.domain).map((c) => c.flag), ...Object.values(f.features11).map((c) => c.flag), ...Object.values(f.more11).map((c) => c.flag),
    ...Object.values(f.launchSecurity.types).flat(), f.launchSecurity.sevKernelHashes.flag,
  ]
}

describe('qemuDeviceFlags (qemu_validate.c, virQEMUCapsFillDomainDevice*Caps)', () => {
  it("names only flags libvirt 9.0 knows and sets, but for the few of 11.3's checks alone", () => {
    expect(libvirtFlags9.size).toBe(245)
    expect(namedFlags().filter((flag) => !libvirtFlags9.has(flag)).sort()).toEqual([...libvirtFlags11Only].sort())
    // (and those are the checks 9.0 cannot reach: models its parser does not know, a backend check it does not make)
    expect([qemuDeviceFlags.panicModels.pvpanic!.flag, qemuDeviceFlags.soundModels.virtio!.flag, qemuDeviceFlags.netBackends.default, qemuDeviceFlags.filesystemDrivers.mtp!.flag, qemuDeviceFlags.iommu.driver.dma_translation!.flag, ...Object.values(qemuDeviceFlags.features11).map((c) => c.flag), ...Object.values(qemuDeviceFlags.more11).map((c) => c.flag), ...qemuDeviceFlags.launchSecurity.types['sev-snp']!].sort()).toEqual([...libvirtFlags11Only].sort())
  })

  it("words the pSeries features' checks (9.0) for the features libvirt knows, each its machine property", () => {
    expect(Object.keys(qemuDeviceFlags.pseriesFeatures9)).toEqual(['hpt', 'htm', 'nested-hv', 'ccf-assist', 'cfpc', 'sbbc', 'ibs'])
    for (const [name, check] of Object.entries(qemuDeviceFlags.pseriesFeatures9)) expect(check.flag, name).toBe(`machine.pseries.cap-${name === 'hpt' ? 'hpt-max-page-size' : name}`)
  })

  it("keys the launch security checks by the types libvirt reads: 9.0's words for its two, 11.3's for each (qemuValidateDomainDef)", () => {
    const types = attributeReads.get('launchSecurity')!.find((r) => r[0] === 'type')![2]!
    expect(Object.keys(qemuDeviceFlags.launchSecurity.types).sort()).toEqual([...types.values11!].sort())
    expect(Object.keys(qemuDeviceFlags.launchSecurity.words9).sort()).toEqual([...types.values!].sort())
    expect(qemuDeviceFlags.launchSecurity.words11).toContain('%s')
  })

  it('keys the tables by names libvirt reads', () => {
    const video: ReadonlySet<string> = new Set(deviceNames.videoModels)
    for (const model of [...Object.keys(qemuDeviceFlags.videoModels), ...qemuDeviceFlags.videoResolutionModels]) expect(video.has(model), model).toBe(true)
    // (xen, vbox, parallels and gop are never offered: the domain capabilities fill none of them)
    expect(deviceNames.videoModels.filter((m) => m !== 'default' && !(m in qemuDeviceFlags.videoModels))).toEqual(['xen', 'vbox', 'parallels', 'gop'])
    expect(Object.keys(qemuDeviceFlags.soundCodecs)).toEqual(deviceNames.soundCodecTypes)
    expect(Object.keys(qemuDeviceFlags.input.virtio).sort()).toEqual(['evdev', 'keyboard', 'mouse', 'passthrough', 'tablet'])
  })
})

const corpus = locateCorpus()

describe.skipIf(!corpus.dir)(`the flags QEMUs report${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it("every flag named is in some capabilities file of the corpus (but the legacy ivshmem, gone since QEMU 4.0, and the flags of the checks 9.0 alone makes, which 11.3 retired and its files no longer hold)", () => {
    const dir = join(corpus.dir!, 'qemucaps')
    const seen = new Set<string>()
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/<flag name='([^']+)'\/>/g)) seen.add(m[1]!)
    }
    expect(seen.size).toBeGreaterThan(100)
    const { ideWwn9, scsiWwn9, usbRemovable9 } = qemuDeviceFlags.disk
    expect(namedFlags().filter((flag) => !seen.has(flag))).toEqual(['ivshmem', ...Object.values(qemuDeviceFlags.pseriesFeatures9).map((c) => c.flag), ideWwn9.flag, scsiWwn9.flag, usbRemovable9.flag])
  })

  it('holds each retired flag (retiredQemuFlags) in every capabilities file of a QEMU since its version (11.3\'s: the flag is still written)', () => {
    const dir = join(corpus.dir!, 'qemucaps')
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(dir, f), 'utf8'))
    expect(Object.keys(retiredQemuFlags).length).toBeGreaterThan(0)
    for (const [flag, since] of Object.entries(retiredQemuFlags)) {
      expect(namedFlags()).toContain(flag)
      const newer = files.filter((text) => Number(/<version>(\d+)<\/version>/.exec(text)![1]) >= since)
      expect(newer.length, flag).toBeGreaterThan(10)
      expect(newer.filter((text) => !text.includes(`<flag name='${flag}'/>`)).length, flag).toBe(0)
    }
  })

  it('names for each domain type QEMU runs the flag its capabilities files hold for it (virtTypeFlags)', () => {
    const dir = join(corpus.dir!, 'qemucaps')
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const)
    expect(Object.keys(virtTypeFlags).sort()).toEqual(['hvf', 'kvm', 'qemu'])
    for (const flag of Object.values(virtTypeFlags)) expect(files.some(([, text]) => text.includes(`<flag name='${flag}'/>`)), flag).toBe(true)
    // (an HVF capabilities file holds the HVF flag; a file probed with KVM machines, the KVM flag)
    for (const [name, text] of files) {
      if (name.includes('+hvf')) expect(text, name).toContain(`<flag name='${virtTypeFlags.hvf}'/>`)
      if (text.includes("<machine type='kvm'")) expect(text, name).toContain(`<flag name='${virtTypeFlags.kvm}'/>`)
    }
  })
})

describe('a video\'s sizes after post-parse (virDomainVideoDefPostParse)', () => {
  it('rounds up as VIR_ROUND_UP_POWER_OF_TWO on an unsigned int (libvirtd 9.0 stored vram 600 as 1024, 3000000000 as none)', () => {
    expect([0, 1, 2, 3, 600, 1023, 1024, 1025, 9216, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3000000000].map(roundUpPowerOfTwo))
      .toEqual([0, 1, 2, 4, 1024, 1024, 1024, 2048, 16384, 2 ** 31, 2 ** 31, 0, 0])
  })

  it('gives the models QEMU draws in memory a default size, the others none', () => {
    const video: ReadonlySet<string> = new Set(deviceNames.videoModels)
    for (const model of Object.keys(videoDefaultRam)) expect(video.has(model), model).toBe(true)
    expect(videoDefaultRam.virtio ?? 0).toBe(0)
    for (const size of Object.values(videoDefaultRam)) expect(roundUpPowerOfTwo(size)).toBe(size)
  })
})
