// The rules: data. Each says what it sets, why (with sources), when it applies (a condition as
// data, evaluated by `check`), its effect as a fill-only layer, the versions it needs and whether
// the guest can see it. Rules never change once a profile that holds them is released: a better
// rule is a new id or a new `revision`, in a new profile.
import { busFromTarget } from '@virtuned/model'
import { escapeXml, type Element } from '@virtuned/xml-core'
import { guestArch, type Condition, type ConditionContext } from './condition.ts'
import { child, type DiskFacts } from './facts.ts'
import { hostHas, type HostCapabilities } from './host.ts'
import { osSupports } from './os.ts'

// The one condition language (condition.ts), re-exported where the rules' users import it.
export { check, type Condition } from './condition.ts'

export type SourceName = 'libvirt' | 'qemu' | 'virtinst' | 'nova' | 'kubevirt' | 'libosinfo' | 'ovirt' | 'virtuned'

export interface RuleSource {
  readonly name: SourceName
  /** A document, file or function, e.g. `formatdomain.html#hypervisor-features`, `virtinst/guest.py _add_default_rng`. */
  readonly ref: string
}

/** What a rule's condition and fill see: the condition context (domain facts, OS, host) and the knobs. */
export interface RuleContext extends ConditionContext {
  readonly vcpus: number
  readonly iothreads: number
  readonly parameters: DefaultsParameters
}

/** Knobs a caller (or a policy) turns; each has a documented default. */
export interface DefaultsParameters {
  /** Free hot-pluggable pcie-root-ports to leave beyond the devices' own. Default 4. */
  readonly spareRootPorts: number
  /** Guests that must live-migrate get no TSC-bound Hyper-V `reenlightenment`. Default true. */
  readonly migratable: boolean
  /** A TSC frequency pinned by a policy (Hz) makes `reenlightenment` safe. */
  readonly tscFrequency?: number
  /** A bus for disks that name none (a policy's choice, e.g. `virtio` with virtio-win drivers). */
  readonly diskBus?: 'virtio' | 'sata' | 'scsi' | 'ide'
  /** A model for NICs that name none. */
  readonly nicModel?: 'virtio' | 'e1000e' | 'e1000' | 'rtl8139'
  /** A model for the video device the defaults add (a policy's choice, e.g. `virtio` with virtio-win drivers). */
  readonly videoModel?: 'virtio' | 'vga' | 'qxl' | 'bochs'
  /** virtio NICs get one queue per vCPU (the performance policy). Default false. */
  readonly multiqueue?: boolean
  /** virtio disks run in an I/O thread (the performance policy). Default false. */
  readonly diskIothread?: boolean
}

export const defaultParameters: DefaultsParameters = { spareRootPorts: 4, migratable: true }

/** A device-level effect: attributes to fill on each device of a kind that lacks them. */
export interface DeviceFill {
  readonly kind: 'disk' | 'interface'
  /** For one device: `{ 'target/@bus': 'virtio' }`-style values to fill, or nothing. */
  readonly fill: (device: Element, context: RuleContext, disk?: DiskFacts) => Readonly<Record<string, string>> | undefined
}

export interface Rule {
  /** Stable id, e.g. `hyperv-enlightenments`. */
  readonly id: string
  /** Bumped when a later profile carries a changed rule under the same id. */
  readonly revision: number
  /** What it sets, in libvirt's terms. */
  readonly sets: string
  readonly why: string
  readonly sources: readonly RuleSource[]
  /** Visible to the guest (changes its ABI: devices, machine, CPU, firmware, clock). */
  readonly guestVisible: boolean
  readonly minLibvirt?: string
  readonly minQemu?: string
  /** Rules of an earlier stage are merged before the next stage's conditions are read. */
  readonly stage: 'platform' | 'devices' | 'topology'
  readonly when: Condition
  /** Children of `<domain>` to fill, as XML; a function for what depends on the context. */
  readonly fill?: string | ((context: RuleContext) => string | undefined)
  readonly device?: DeviceFill
}

const x86 = ['x86_64', 'i686'] as const
/** The other architectures virtuned has rules for (issue 22): ARM's `virt`, IBM Z's `s390-ccw-virtio`, POWER's `pseries`. */
const aarch64 = ['aarch64'] as const
const s390x = ['s390x'] as const
const ppc64 = ['ppc64le', 'ppc64'] as const
const beyondX86 = [...aarch64, ...s390x, ...ppc64] as const

// ---- computed effects -----------------------------------------------------------------------

// Computed fills give the same string object for the same inputs: applyDefaults finds a fill's
// parsed fragment by its text, and a string built anew would be flattened and hashed every time.
let lastHyperv: { readonly host: HostCapabilities; readonly pinned: boolean; readonly xml: string | undefined } | undefined
const rootPortsByShape = new Map<number, string>()

/** The Hyper-V enlightenments the host lists, with Nova's and KubeVirt's hard-won exceptions. */
function hypervFill(c: RuleContext): string | undefined {
  const pinned = c.parameters.tscFrequency !== undefined || !c.parameters.migratable
  if (lastHyperv?.host !== c.host || lastHyperv.pinned !== pinned) lastHyperv = { host: c.host, pinned, xml: hypervXml(c.host, pinned) }
  return lastHyperv.xml
}

function hypervXml(host: HostCapabilities, pinned: boolean): string | undefined {
  const has = (name: string) => hostHas(host, 'features/hyperv/features', name)
  const parts: string[] = []
  const on = (name: string, extra = '') => { if (has(name)) parts.push(`<${name} state='on'${extra}/>`) }
  on('relaxed'); on('vapic'); on('spinlocks', " retries='8191'"); on('vpindex'); on('runtime')
  if (has('synic') && has('vpindex')) on('synic')
  if (has('stimer') && has('synic') && has('vpindex')) parts.push("<stimer state='on'><direct state='on'/></stimer>")
  on('reset'); on('frequencies')
  if (has('tlbflush') && has('vpindex')) on('tlbflush')
  if (has('ipi') && has('vpindex')) on('ipi')
  // evmcs: Intel with nesting only (Nova turned it off after it broke guests on AMD hosts).
  const nested = host.cpuFeatures?.includes('vmx') ?? false
  if (has('evmcs') && host.cpuVendor === 'Intel' && nested) on('evmcs')
  // reenlightenment: only when the TSC frequency is pinned or the guest never migrates (Nova
  // dropped it after it broke live migration; KubeVirt keeps it together with TSC pinning).
  if (has('reenlightenment') && pinned) on('reenlightenment')
  return parts.length === 0 ? undefined : `<features><hyperv mode='custom'>${parts.join('')}</hyperv></features>`
}

function videoModel(c: RuleContext): string {
  const host = (m: string) => hostHas(c.host, 'devices/video/modelType', m)
  if (c.parameters.videoModel !== undefined) return c.parameters.videoModel
  if (osSupports(c.os, 'virtio1.0-gpu') && host('virtio')) return 'virtio'
  // QXL drivers come with every Linux and with virtio-win; osinfo lists them unevenly.
  if (c.domain.graphics.includes('spice') && host('qxl')) return 'qxl'
  if (c.domain.firmware === 'efi' && host('bochs')) return 'bochs'
  return 'vga'
}

function diskBus(c: RuleContext): string {
  if (c.parameters.diskBus !== undefined) return c.parameters.diskBus
  if (osSupports(c.os, 'virtio-block') && hostHas(c.host, 'devices/disk/bus', 'virtio')) return 'virtio'
  return c.domain.isQ35 ? 'sata' : 'ide'
}

function rootPortsFill(c: RuleContext): string | undefined {
  // Ports a device's address already sits on (a defined or live domain) are not free: count the free ones only.
  const wanted = c.domain.pcieDevices + c.parameters.spareRootPorts
  const missing = wanted - (c.domain.rootPorts - c.domain.usedRootPorts)
  if (missing <= 0) return undefined
  const first = Math.max(c.domain.maxPciIndex, 0) + 1
  const shape = first * 1024 + missing
  let xml = rootPortsByShape.get(shape)
  if (xml === undefined) {
    const ports = Array.from({ length: missing }, (_, i) => `<controller type='pci' index='${first + i}' model='pcie-root-port'/>`)
    xml = `<devices><controller type='pci' index='0' model='pcie-root'/>${ports.join('')}</devices>`
    if (missing < 1024 && rootPortsByShape.size < 1000) rootPortsByShape.set(shape, xml)
  }
  return xml
}

/** The highest GIC version the host lists (`features/gic/version`): GICv3 takes more than 8 vCPUs and is what KVM hosts of today have. */
function gicFill(c: RuleContext): string | undefined {
  const versions = (c.host.enums['features/gic/version'] ?? []).filter((v) => /^[0-9]+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : gicXml(versions[0])
}
const gicFills = new Map<string, string>()
function gicXml(version: string): string {
  let xml = gicFills.get(version)
  if (xml === undefined) gicFills.set(version, (xml = `<features><gic version='${escapeXml(version)}'/></features>`))
  return xml
}

const videoFills = { vga: "<devices><video><model type='vga'/></video></devices>", virtio: "<devices><video><model type='virtio'/></video></devices>", ramfb: "<devices><video><model type='ramfb'/></video></devices>" } as const
const guestArchIsPpc = (c: RuleContext): boolean => (ppc64 as readonly string[]).includes(guestArch(c))

const archFills = new Map<string, string>()
/** `<os><type arch=…>` for a domain that writes none: the host's architecture, which the conditions already read. */
function archFill(c: RuleContext): string | undefined {
  if (c.domain.archWritten) return undefined
  let xml = archFills.get(c.host.arch)
  if (xml === undefined) archFills.set(c.host.arch, (xml = `<os><type arch='${escapeXml(c.host.arch)}'>hvm</type></os>`))
  return xml
}

// ---- the rules ------------------------------------------------------------------------------

export const rules = {
  'machine-q35': {
    id: 'machine-q35', revision: 1, stage: 'platform', guestVisible: true, minQemu: '2.11',
    sets: "os/type/@machine = 'q35'",
    why: 'PCI Express, native hot-plug of PCIe devices, SATA instead of IDE and secure boot need q35; i440fx is kept for OSes without q35 support.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _set_default_machine' }, { name: 'kubevirt', ref: 'pkg/virt-api/webhooks defaults: q35 machine' }, { name: 'libosinfo', ref: 'device http://qemu.org/chipset/x86/q35' }],
    when: { arch: x86, osSupports: ['q35'] },
    fill: "<os><type machine='q35'>hvm</type></os>",
  },
  'machine-pc': {
    id: 'machine-pc', revision: 1, stage: 'platform', guestVisible: true,
    sets: "os/type/@machine = 'pc' (i440fx) for OSes without q35 support",
    why: 'Written out rather than left to the hypervisor default, so the guest keeps its chipset if a later libvirt or QEMU changes that default.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _set_default_machine (first machine of the capabilities)' }, { name: 'libosinfo', ref: 'no http://qemu.org/chipset/x86/q35 device' }],
    when: { arch: x86, osLacks: ['q35'] },
    fill: "<os><type machine='pc'>hvm</type></os>",
  },
  'features-acpi-apic': {
    id: 'features-acpi-apic', revision: 1, stage: 'platform', guestVisible: true,
    sets: 'features/acpi, features/apic',
    why: 'Without ACPI the guest never sees a hot-unplug request (detach never completes) and cannot be shut down gracefully; without the APIC an SMP x86 guest does not boot.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#hypervisor-features' }, { name: 'virtinst', ref: 'virtinst/domain/features.py set_defaults' }, { name: 'nova', ref: 'nova/virt/libvirt/driver.py _set_features' }],
    when: { arch: x86 },
    fill: '<features><acpi/><apic/></features>',
  },
  'firmware-efi': {
    id: 'firmware-efi', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '5.2.0',
    sets: "os/@firmware = 'efi' (libvirt selects the loader and NVRAM template)",
    why: 'The OS does not boot with BIOS (osinfo lists BIOS as unsupported); firmware auto-selection picks a matching UEFI build on every host.',
    sources: [{ name: 'libosinfo', ref: '<firmware type="bios" supported="false"/>' }, { name: 'virtinst', ref: 'virtinst/guest.py prefers_uefi / enable_uefi' }, { name: 'libvirt', ref: 'formatdomain.html#bios-bootloader (firmware autoselection)' }],
    when: { osFirmware: ['efi-required'], firmware: 'unset', directKernel: false, hostEnum: [['os/firmware', 'efi']] },
    fill: "<os firmware='efi'/>",
  },
  'secure-boot': {
    id: 'secure-boot', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '8.6.0',
    sets: "os/firmware/feature secure-boot + enrolled-keys, features/smm",
    why: 'An OS that requires UEFI (Windows 11) also expects Secure Boot with Microsoft keys enrolled; Secure Boot firmware needs SMM.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#bios-bootloader (firmware feature)' }, { name: 'kubevirt', ref: 'common-instancetypes windows.11 preference: preferredEfi secureBoot' }, { name: 'virtinst', ref: 'virtinst/domain/os.py secure_boot' }],
    when: { arch: x86, osFirmware: ['efi-required'], firmware: 'efi', q35: true, hostEnum: [['os/loader/secure', 'yes']] },
    fill: "<os firmware='efi'><firmware><feature enabled='yes' name='enrolled-keys'/><feature enabled='yes' name='secure-boot'/></firmware></os><features><smm state='on'/></features>",
  },
  'tpm-crb': {
    id: 'tpm-crb', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '6.1.0',
    sets: "devices/tpm model='tpm-crb', backend emulator version 2.0",
    why: 'Windows 11 requires a TPM 2.0; CRB is the TPM 2.0 interface of modern firmware.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_tpm; devices/tpm.py' }, { name: 'kubevirt', ref: 'preference preferredTPM (windows.11)' }],
    when: { osFirmware: ['efi-required'], osFamily: ['winnt'], lacks: ['devices/tpm'], hostEnum: [['devices/tpm/model', 'tpm-crb'], ['devices/tpm/backendModel', 'emulator']] },
    fill: "<devices><tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm></devices>",
  },
  'hyperv-enlightenments': {
    id: 'hyperv-enlightenments', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '8.0.0',
    sets: 'features/hyperv: relaxed, vapic, spinlocks 8191, vpindex, runtime, synic, stimer+direct, reset, frequencies, tlbflush, ipi (evmcs, reenlightenment only when safe)',
    why: 'Windows runs markedly faster and keeps time with the enlightenments its kernel expects from a hypervisor; each is gated on the host listing it.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#hypervisor-features' }, { name: 'virtinst', ref: 'virtinst/domain/features.py _set_hyperv_defaults' }, { name: 'nova', ref: 'nova/virt/libvirt/driver.py _set_features (evmcs and reenlightenment dropped)' }, { name: 'kubevirt', ref: 'pkg/virt-launcher hyperv features, reenlightenment with TSC frequency' }],
    when: { arch: x86, osFamily: ['winnt'], hostSupports: ['features/hyperv'] },
    fill: hypervFill,
  },
  'clock-windows': {
    id: 'clock-windows', revision: 1, stage: 'platform', guestVisible: true,
    sets: "clock offset='localtime'; rtc catchup, pit delay, hpet off, hypervclock on",
    why: "Windows keeps the RTC in local time (virtinst and Nova use localtime; KubeVirt uses utc and expects RealTimeIsUniversal in the guest — we follow what an unmodified Windows expects). Lost ticks are caught up, HPET is slow under virtualization, and the Hyper-V clock is a stable clocksource.",
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/clock.py set_defaults' }, { name: 'nova', ref: 'nova/virt/libvirt/driver.py _set_clock (os_type windows)' }, { name: 'kubevirt', ref: 'clock utc default (contrast)' }],
    when: { arch: x86, osFamily: ['winnt', 'win9x'] },
    fill: "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/><timer name='hypervclock' present='yes'/></clock>",
  },
  'clock-utc': {
    id: 'clock-utc', revision: 1, stage: 'platform', guestVisible: true,
    sets: "clock offset='utc'; rtc catchup, pit delay, hpet off",
    why: 'Unix-like guests keep the RTC in UTC; catch up lost RTC ticks, delay PIT ticks, and leave out the slow emulated HPET.',
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/clock.py set_defaults' }, { name: 'nova', ref: 'nova/virt/libvirt/driver.py _set_clock' }],
    when: { arch: x86, osFamily: ['linux', 'freebsd', 'netbsd', 'openbsd', 'dragonflybsd', 'solaris'] },
    fill: "<clock offset='utc'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/></clock>",
  },
  'pm-no-suspend': {
    id: 'pm-no-suspend', revision: 1, stage: 'platform', guestVisible: true,
    sets: "pm/suspend-to-mem and suspend-to-disk enabled='no'",
    why: "An ACPI power button press must shut the guest down, not suspend it into a state the management app cannot see.",
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/pm.py set_defaults' }],
    when: { arch: x86 },
    fill: "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>",
  },
  'cpu-host-model': {
    id: 'cpu-host-model', revision: 1, stage: 'platform', guestVisible: true,
    sets: "cpu mode='host-model' (KVM)",
    why: "The host's CPU features, expanded into a named model that migrates between equal hosts (Nova's default); host-passthrough is faster but ties the guest to identical hosts, so it is the performance policy's choice.",
    sources: [{ name: 'nova', ref: 'nova/virt/libvirt/driver.py cpu_mode default host-model' }, { name: 'virtinst', ref: 'virtinst/domain/cpu.py _get_app_default_mode' }],
    when: { arch: x86, virtType: 'kvm', hostSupports: ['cpu/host-model'] },
    fill: "<cpu mode='host-model'/>",
  },
  'cpu-maximum-tcg': {
    id: 'cpu-maximum-tcg', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '7.1.0',
    sets: "cpu mode='maximum' (TCG)",
    why: 'Without KVM there is no host CPU to pass through; `maximum` gives the guest every feature TCG emulates (x86-64-v2 and later baselines boot).',
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/cpu.py _should_use_maximum_cpu_mode' }, { name: 'libvirt', ref: 'formatdomain.html#cpu-model-and-topology (maximum)' }],
    when: { arch: x86, virtType: 'qemu', hostSupports: ['cpu/maximum'] },
    fill: "<cpu mode='maximum'/>",
  },
  'vmcoreinfo': {
    id: 'vmcoreinfo', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '4.4.0', minQemu: '2.11',
    sets: "features/vmcoreinfo state='on'",
    why: 'Lets a host-side dump (virsh dump, kdump) of a KASLR Linux kernel be analysed: the guest publishes where its kernel is.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#hypervisor-features (vmcoreinfo)' }, { name: 'kubevirt', ref: 'design: vmcoreinfo for crash dumps' }],
    when: { osFamily: ['linux'], hostSupports: ['features/vmcoreinfo'] },
    fill: "<features><vmcoreinfo state='on'/></features>",
  },
  'pvpanic': {
    id: 'pvpanic', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '1.2.1',
    sets: "devices/panic model='isa' (the ISA pvpanic device)",
    why: 'A guest kernel panic becomes a libvirt event (and on_crash action) instead of a hung guest nobody notices.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#panic-device' }, { name: 'nova', ref: 'hw_pvpanic / pvpanic device' }],
    when: { arch: x86, osFamily: ['linux'], lacks: ['devices/panic'], hostEnumIfListed: [['devices/panic/model', 'isa']] },
    fill: "<devices><panic model='isa'/></devices>",
  },
  'rng-virtio': {
    id: 'rng-virtio', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '1.3.4',
    sets: "devices/rng model='virtio' from /dev/urandom",
    why: 'Early boot (SSH host keys, TLS) blocks on entropy in a VM without a hardware RNG; /dev/urandom never blocks the host.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_rng' }, { name: 'kubevirt', ref: 'autoattachRNG' }, { name: 'nova', ref: 'hw_rng_model' }],
    when: { osSupports: ['virtio-rng'], lacks: ['devices/rng'], hostEnum: [['devices/rng/model', 'virtio'], ['devices/rng/backendModel', 'random']] },
    fill: "<devices><rng model='virtio'><backend model='random'>/dev/urandom</backend></rng></devices>",
  },
  'memballoon-stats': {
    id: 'memballoon-stats', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/memballoon model='virtio' with stats period 10 s",
    why: 'Guest memory statistics (free, cached, swapped) for the management app, refreshed every 10 seconds; the balloon also lets memory be handed back.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_memballoon' }, { name: 'nova', ref: 'mem_stats_period_seconds (default 10)' }],
    when: { osSupports: ['virtio-balloon'], lacks: ["devices/memballoon[@model='none']"] },
    fill: "<devices><memballoon model='virtio'><stats period='10'/></memballoon></devices>",
  },
  'guest-agent-channel': {
    id: 'guest-agent-channel', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '1.0.6',
    sets: "devices/channel unix → virtio org.qemu.guest_agent.0",
    why: 'The QEMU guest agent gives clean shutdown, filesystem freeze for backups, IP addresses and time sync.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_channels' }, { name: 'kubevirt', ref: 'guest agent channel always added' }],
    when: { osSupports: ['virtio-console'], lacks: ["devices/channel/target[@name='org.qemu.guest_agent.0']"] },
    fill: "<devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices>",
  },
  'spice-vdagent-channel': {
    id: 'spice-vdagent-channel', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/channel spicevmc → virtio com.redhat.spice.0",
    why: 'With SPICE, the vdagent channel gives clipboard sharing, display resizing and a seamless mouse.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_spice_channels' }],
    when: { graphics: 'spice', lacks: ["devices/channel/target[@name='com.redhat.spice.0']"], hostEnum: [['devices/channel/type', 'spicevmc']] },
    fill: "<devices><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel></devices>",
  },
  'usb-xhci': {
    id: 'usb-xhci', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '3.3.0', minQemu: '2.9',
    sets: "devices/controller usb model='qemu-xhci' ports='15'",
    why: 'One USB 3 controller serves every USB speed with fewer interrupts than the legacy UHCI/EHCI set.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_usb_controller' }],
    when: { arch: x86, osSupports: ['qemu-xhci'], lacks: ["devices/controller[@type='usb']"] },
    fill: "<devices><controller type='usb' index='0' model='qemu-xhci' ports='15'/></devices>",
  },
  'vmport-off': {
    id: 'vmport-off', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '1.2.16',
    sets: "features/vmport state='off' with SPICE",
    why: 'The VMware I/O port fights the SPICE agent for the mouse; off, the tablet and vdagent own the pointer.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_spice_devices (vmport off)' }],
    when: { arch: x86, graphics: 'spice' },
    fill: "<features><vmport state='off'/></features>",
  },
  'spice-sound': {
    id: 'spice-sound', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/sound: ich9 on q35, ich6 on i440fx, with SPICE",
    why: 'A SPICE desktop carries audio to the viewer; it needs a sound card the guest has drivers for.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_spice_sound; devices/sound.py default_model' }],
    when: { graphics: 'spice', lacks: ['devices/sound'] },
    // Intel HDA has had drivers everywhere since 2004 (osinfo does not list it for every OS).
    fill: (c) => `<devices><sound model='${c.domain.isQ35 ? 'ich9' : 'ich6'}'/></devices>`,
  },
  'console-pty': {
    id: 'console-pty', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/console type='pty' (libvirt makes it a serial port and its console)",
    why: '`virsh console` and boot logs need a console; a headless guest without one cannot be reached when its network is down.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_console_device' }],
    when: { lacks: ['devices/console', 'devices/serial'] },
    fill: "<devices><console type='pty'/></devices>",
  },
  'usb2-ehci': {
    id: 'usb2-ehci', revision: 1, stage: 'devices', guestVisible: true,
    sets: 'devices/controller usb: ich9-ehci1 with ich9-uhci1..3 companions, for OSes without xHCI drivers',
    why: 'USB 2 speed for guests osinfo does not credit with an xHCI driver, instead of the USB 1.1 PIIX3 controller libvirt would pick.',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/controller.py get_usb2_controllers' }],
    when: { arch: x86, osLacks: ['qemu-xhci'], lacks: ["devices/controller[@type='usb']"] },
    fill: "<devices><controller type='usb' index='0' model='ich9-ehci1'/><controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller><controller type='usb' index='0' model='ich9-uhci2'><master startport='2'/></controller><controller type='usb' index='0' model='ich9-uhci3'><master startport='4'/></controller></devices>",
  },
  'usb-tablet': {
    id: 'usb-tablet', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/input type='tablet' bus='usb'",
    why: 'An absolute pointer: the mouse follows the viewer without grabbing.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_input_device' }, { name: 'nova', ref: 'pointer_model usbtablet' }],
    when: { graphics: true, lacks: ["devices/input[@type='tablet']"] },
    fill: "<devices><input type='tablet' bus='usb'/></devices>",
  },
  'video': {
    id: 'video', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/video model: virtio where the OS has virtio-gpu, qxl for SPICE, bochs with UEFI, else vga",
    why: 'A display needs a video device; virtio-gpu where the guest has drivers, the best the OS knows otherwise.',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/video.py default_model' }],
    when: { graphics: true, lacks: ['devices/video'] },
    fill: (c) => `<devices><video><model type='${escapeXml(videoModel(c))}'/></video></devices>`,
  },
  'virtio-scsi-controller': {
    id: 'virtio-scsi-controller', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/controller scsi model='virtio-scsi'",
    why: 'SCSI disks need a controller; virtio-scsi is the one with in-box drivers on modern guests (libvirt would pick lsilogic).',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py add_virtioscsi_controller' }],
    when: { osSupports: ['virtio-scsi'], lacks: ["devices/controller[@type='scsi']"] },
    fill: (c) => (c.domain.disks.some((d) => d.bus === 'scsi') ? "<devices><controller type='scsi' index='0' model='virtio-scsi'/></devices>" : undefined),
  },
  'disk-bus': {
    id: 'disk-bus', revision: 1, stage: 'devices', guestVisible: true,
    sets: 'disk target/@bus (and target/@dev when missing): virtio where the OS has drivers, else SATA on q35, IDE on i440fx',
    why: 'virtio-blk is the fastest disk path; guests without drivers get the best bus they can boot from.',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/disk.py _default_bus, generate_target' }, { name: 'kubevirt', ref: 'preferredDiskBus' }],
    when: {},
    device: {
      kind: 'disk',
      fill: (_device, c, disk) => {
        if (!disk) return undefined
        // A bus given without a target still needs one (`<target bus='scsi'/>` fails libvirt's schema): naming it is the fill's job.
        if (disk.bus !== undefined) return disk.target === undefined ? { 'target/@bus': disk.bus } : undefined
        if (disk.device === 'floppy') return { 'target/@bus': 'fdc' }
        if (disk.target !== undefined) {
          // The bus libvirt reads from the target's prefix (vd virtio, xvd xen, hd ide, ubd uml), with
          // one choice of virtuned's: `sdX` is SATA on q35 (as virt-install names SATA disks; libvirt
          // would read scsi and need a SCSI controller), SCSI elsewhere; q35 has no IDE, so a name
          // with no prefix libvirt knows is SATA there (libvirt's ide elsewhere).
          if (disk.target.startsWith('sd')) return { 'target/@bus': c.domain.isQ35 ? 'sata' : 'scsi' }
          const bus = busFromTarget(disk.target, disk.device)
          return { 'target/@bus': bus === 'ide' && !disk.target.startsWith('hd') && c.domain.isQ35 ? 'sata' : bus }
        }
        // CD-ROMs stay off virtio-blk (it has no removable media).
        const bus = disk.device === 'cdrom' ? (c.domain.isQ35 ? 'sata' : 'ide') : diskBus(c)
        return { 'target/@bus': bus }
      },
    },
  },
  'disk-discard': {
    id: 'disk-discard', revision: 1, stage: 'devices', guestVisible: false,
    sets: "disk driver/@discard='unmap' on thin (qcow2) images",
    why: 'Space the guest frees (fstrim) goes back to the host instead of staying allocated in the image.',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/disk.py set_defaults (sparse storage)' }, { name: 'nova', ref: 'hw_disk_discard=unmap' }],
    when: {},
    device: {
      kind: 'disk',
      fill: (_device, _c, disk) => (disk && disk.format === 'qcow2' && disk.device === 'disk' ? { 'driver/@discard': 'unmap' } : undefined),
    },
  },
  'nic-model': {
    id: 'nic-model', revision: 1, stage: 'devices', guestVisible: true,
    sets: "interface model/@type: virtio where the OS has drivers, else e1000e on q35, e1000 on i440fx",
    why: 'virtio-net is the fastest NIC; without drivers, e1000e (PCIe) or e1000 are in every OS.',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/interface.py default_model' }, { name: 'kubevirt', ref: 'preferredInterfaceModel' }],
    when: {},
    device: {
      kind: 'interface',
      fill: (device, c) => {
        if (child(device, 'model')) return undefined
        const model = c.parameters.nicModel ?? (osSupports(c.os, 'virtio-net') ? 'virtio' : c.domain.isQ35 ? 'e1000e' : 'e1000')
        return { 'model/@type': model }
      },
    },
  },
  'nic-multiqueue': {
    id: 'nic-multiqueue', revision: 1, stage: 'devices', guestVisible: true,
    sets: "interface driver/@queues = vCPUs for virtio NICs (only when a policy asks: multiqueue)",
    why: 'One receive/transmit queue per vCPU spreads network interrupts over the CPUs.',
    sources: [{ name: 'nova', ref: 'hw_vif_multiqueue_enabled' }, { name: 'kubevirt', ref: 'networkInterfaceMultiqueue' }],
    when: {},
    device: {
      kind: 'interface',
      fill: (device, c) => {
        if (c.parameters.multiqueue !== true || child(device, 'model')?.attributes.type !== 'virtio' || c.vcpus < 2) return undefined
        return { 'driver/@queues': String(Math.min(c.vcpus, 8)) }
      },
    },
  },
  'disk-iothread': {
    id: 'disk-iothread', revision: 1, stage: 'devices', guestVisible: false,
    sets: "disk driver/@iothread='1' for virtio disks (only when a policy asks and the domain has iothreads)",
    why: 'An I/O thread takes disk emulation off the main QEMU loop and the vCPU threads.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#iothreads-allocation' }, { name: 'kubevirt', ref: 'ioThreadsPolicy' }],
    when: {},
    device: {
      kind: 'disk',
      fill: (_device, c, disk) => (c.parameters.diskIothread === true && c.iothreads > 0 && disk?.bus === 'virtio' ? { 'driver/@iothread': '1' } : undefined),
    },
  },
  'pcie-root-ports': {
    id: 'pcie-root-ports', revision: 1, stage: 'topology', guestVisible: true, minLibvirt: '3.6.0',
    sets: 'devices/controller pci pcie-root + one pcie-root-port per PCIe device plus spares (4 by default)',
    why: 'On q35 every hot-plugged PCIe device needs a free root port of its own; ports cannot be added to a running guest, so they are planned now.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py add_q35_pcie_controllers (14 ports)' }, { name: 'kubevirt', ref: 'hotplug ports: placePCIDevicesOnRootComplex / extra root ports' }, { name: 'libvirt', ref: 'docs/pci-hotplug.rst' }],
    when: { q35: true },
    fill: rootPortsFill,
  },
  'memballoon-free-page-reporting': {
    id: 'memballoon-free-page-reporting', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '6.9.0', minQemu: '5.1',
    sets: "devices/memballoon/@freePageReporting='on'",
    why: 'Linux ≥ 5.7 hands pages it freed back to the host by itself, so an idle guest stops holding memory it used once.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#memory-balloon-device (freePageReporting)' }, { name: 'kubevirt', ref: 'free page reporting enabled by default (v1.0)' }],
    when: { osFamily: ['linux'], osSupports: ['virtio-balloon'], lacks: ["devices/memballoon[@model='none']"] },
    fill: "<devices><memballoon model='virtio' freePageReporting='on'/></devices>",
  },

  // ---- beyond x86 (issue 22): aarch64 virt, s390x s390-ccw-virtio, ppc64le pseries; profile 2026.12 ----
  'arch-written': {
    id: 'arch-written', revision: 1, stage: 'platform', guestVisible: true,
    sets: "os/type/@arch = the domain capabilities' architecture, when the domain names none (off x86)",
    why: "libvirt gives a domain without an architecture the host's own: on an x86 host composing for aarch64, s390x or ppc64le under TCG that is the wrong one, so the capabilities' architecture is written out.",
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#bios-bootloader (os/type arch: defaults to the host architecture)' }, { name: 'virtinst', ref: 'virtinst/guest.py set_capabilities_defaults (os.arch from the capabilities guest)' }],
    when: { arch: beyondX86 },
    fill: archFill,
  },
  'machine-arm-virt': {
    id: 'machine-arm-virt', revision: 1, stage: 'platform', guestVisible: true,
    sets: "os/type/@machine = 'virt' (aarch64)",
    why: "QEMU has no default board for aarch64; `virt` is the one made for guests (PCIe, virtio, GIC, UEFI) and the one every distribution's arm64 kernel supports.",
    sources: [{ name: 'qemu', ref: 'docs/system/arm/virt.rst' }, { name: 'virtinst', ref: 'virtinst/guest.py _set_default_machine (aarch64: virt)' }, { name: 'libvirt', ref: 'docs/kbase (aarch64 guests: virt machine)' }],
    when: { arch: aarch64 },
    fill: "<os><type machine='virt'>hvm</type></os>",
  },
  'machine-s390-ccw': {
    id: 'machine-s390-ccw', revision: 1, stage: 'platform', guestVisible: true,
    sets: "os/type/@machine = 's390-ccw-virtio' (s390x)",
    why: 'The only s390x machine of QEMU for KVM and TCG guests: channel I/O (CCW) with virtio-ccw devices.',
    sources: [{ name: 'qemu', ref: 'docs/system/target-s390x.rst (s390-ccw-virtio)' }, { name: 'virtinst', ref: 'virtinst/guest.py _set_default_machine (s390x: s390-ccw-virtio)' }],
    when: { arch: s390x },
    fill: "<os><type machine='s390-ccw-virtio'>hvm</type></os>",
  },
  'machine-pseries': {
    id: 'machine-pseries', revision: 1, stage: 'platform', guestVisible: true,
    sets: "os/type/@machine = 'pseries' (ppc64le, ppc64)",
    why: 'The PAPR machine every POWER distribution supports as a guest, under KVM (HV) and TCG; written out so the guest keeps its machine when the default changes.',
    sources: [{ name: 'qemu', ref: 'docs/system/ppc/pseries.rst' }, { name: 'virtinst', ref: 'virtinst/guest.py _set_default_machine (ppc64: pseries)' }],
    when: { arch: ppc64 },
    fill: "<os><type machine='pseries'>hvm</type></os>",
  },
  'firmware-efi-aarch64': {
    id: 'firmware-efi-aarch64', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '5.2.0',
    sets: "os/@firmware = 'efi' on aarch64 (libvirt picks AAVMF and its NVRAM template)",
    why: 'Arm64 distributions boot with UEFI (AAVMF): there is no BIOS on aarch64, and without firmware QEMU only boots a kernel given directly.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py prefers_uefi (aarch64 always)' }, { name: 'libvirt', ref: 'formatdomain.html#bios-bootloader (firmware autoselection)' }, { name: 'qemu', ref: 'docs/system/arm/virt.rst (booting: UEFI firmware)' }],
    when: { arch: aarch64, firmware: 'unset', directKernel: false, hostEnum: [['os/firmware', 'efi']] },
    fill: "<os firmware='efi'/>",
  },
  'features-acpi-aarch64': {
    id: 'features-acpi-aarch64', revision: 1, stage: 'platform', guestVisible: true,
    sets: 'features/acpi on aarch64 with UEFI',
    why: 'Distribution kernels describe the arm64 virt board through ACPI tables under UEFI (libvirt refuses ACPI on aarch64 without UEFI, hence only when firmware is booted).',
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/features.py set_defaults (acpi when the guest supports it)' }, { name: 'libvirt', ref: 'formatdomain.html#hypervisor-features (acpi)' }],
    when: { arch: aarch64, directKernel: false, hostEnum: [['os/firmware', 'efi']] },
    fill: '<features><acpi/></features>',
  },
  'features-gic': {
    id: 'features-gic', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '1.2.16',
    sets: "features/gic version = the highest the host lists (features/gic/version of the domain capabilities)",
    why: 'The interrupt controller is guest ABI: written out from what the host can do (GICv3 for more than 8 vCPUs and on KVM hosts with a GICv3) so it stays the same on every host the guest moves to.',
    sources: [{ name: 'libvirt', ref: 'formatdomaincaps.html#gic-capabilities; formatdomain.html#hypervisor-features (gic)' }, { name: 'qemu', ref: 'docs/system/arm/virt.rst (gic-version)' }],
    when: { arch: aarch64, hostSupports: ['features/gic'] },
    fill: gicFill,
  },
  'clock-utc-beyond-x86': {
    id: 'clock-utc-beyond-x86', revision: 1, stage: 'platform', guestVisible: true,
    sets: "clock offset='utc' (no timers) on aarch64, s390x and ppc64",
    why: 'The RTC keeps UTC as every Unix-like guest expects; the rtc/pit/hpet timer tuning of x86 names devices these machines do not have.',
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/clock.py set_defaults' }, { name: 'libvirt', ref: 'formatdomain.html#time-keeping' }],
    when: { arch: beyondX86 },
    fill: "<clock offset='utc'/>",
  },
  'cpu-maximum-tcg-beyond-x86': {
    id: 'cpu-maximum-tcg-beyond-x86', revision: 1, stage: 'platform', guestVisible: true, minLibvirt: '7.1.0',
    sets: "cpu mode='maximum' under TCG on aarch64 and s390x (ppc64 TCG lists no maximum: QEMU's default POWER CPU)",
    why: "Without KVM there is no host CPU; `maximum` is QEMU's `-cpu max`, every feature TCG emulates (virt-install's cortex-a57 lacks the newer features arm64 distributions use).",
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#cpu-model-and-topology (maximum)' }, { name: 'virtinst', ref: 'virtinst/domain/cpu.py _should_use_maximum_cpu_mode' }, { name: 'qemu', ref: 'docs/system/arm/cpu-features.rst (max)' }],
    when: { arch: beyondX86, virtType: 'qemu', hostSupports: ['cpu/maximum'] },
    fill: "<cpu mode='maximum'/>",
  },
  'cpu-host-passthrough-kvm': {
    id: 'cpu-host-passthrough-kvm', revision: 1, stage: 'platform', guestVisible: true,
    sets: "cpu mode='host-passthrough' under KVM on aarch64 and ppc64",
    why: 'KVM on Arm and POWER runs the guest on the host CPU itself; libvirt has no host-model expansion there (ppc64 host-model means a compatibility mode), and virt-install and Nova pass the host CPU through.',
    sources: [{ name: 'virtinst', ref: 'virtinst/domain/cpu.py set_defaults (aarch64/ppc64 KVM: host-passthrough)' }, { name: 'libvirt', ref: 'formatdomain.html#cpu-model-and-topology (host-passthrough)' }, { name: 'nova', ref: 'nova/virt/libvirt/driver.py cpu_mode (aarch64: host-passthrough)' }],
    when: { arch: [...aarch64, ...ppc64], virtType: 'kvm', hostSupports: ['cpu/host-passthrough'] },
    fill: "<cpu mode='host-passthrough'/>",
  },
  'cpu-host-model-s390x': {
    id: 'cpu-host-model-s390x', revision: 1, stage: 'platform', guestVisible: true,
    sets: "cpu mode='host-model' under KVM on s390x",
    why: "IBM Z's CPU models are expanded by QEMU from the host's (libvirt's host-model); the guest migrates between machines of one generation.",
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#cpu-model-and-topology (host-model)' }, { name: 'virtinst', ref: 'virtinst/domain/cpu.py _get_app_default_mode' }, { name: 'qemu', ref: 'docs/system/s390x/cpu-topology.rst; target/s390x CPU models' }],
    when: { arch: s390x, virtType: 'kvm', hostSupports: ['cpu/host-model'] },
    fill: "<cpu mode='host-model'/>",
  },
  // The console is the board's own device on these machines (not a PCI one), so it is a platform
  // rule: merged before the devices stage, where `console-pty` then finds a console and stays out.
  'console-pl011': {
    id: 'console-pl011', revision: 1, stage: 'platform', guestVisible: true,
    sets: "devices/serial pty on the virt board's PL011 UART (libvirt makes it the console)",
    why: "The virt board's UART is a PL011: the console the firmware and every arm64 kernel (earlycon) write to, before any virtio driver is loaded.",
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#consoles-serial-parallel-channel-devices (system-serial, pl011)' }, { name: 'qemu', ref: 'docs/system/arm/virt.rst (PL011 UART)' }, { name: 'virtinst', ref: 'virtinst/guest.py _add_default_console_device' }],
    when: { arch: aarch64, lacks: ['devices/console', 'devices/serial'] },
    fill: "<devices><serial type='pty'><target type='system-serial'><model name='pl011'/></target></serial></devices>",
  },
  'console-sclp': {
    id: 'console-sclp', revision: 1, stage: 'platform', guestVisible: true,
    sets: "devices/console pty on SCLP (s390x)",
    why: "IBM Z has no UART: the SCLP console is the one the firmware and the kernel use (console=ttysclp0).",
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#consoles-serial-parallel-channel-devices (sclp)' }, { name: 'virtinst', ref: 'virtinst/guest.py _add_default_console_device (s390x: sclp)' }],
    when: { arch: s390x, lacks: ['devices/console', 'devices/serial'] },
    fill: "<devices><console type='pty'><target type='sclp'/></console></devices>",
  },
  'console-spapr-vio': {
    id: 'console-spapr-vio', revision: 1, stage: 'platform', guestVisible: true,
    sets: "devices/serial pty on the sPAPR VIO bus (spapr-vty; libvirt makes it the console)",
    why: 'The pseries console is the hypervisor virtual terminal (hvc0) of PAPR: SLOF and the kernel write to it.',
    sources: [{ name: 'libvirt', ref: 'formatdomain.html#consoles-serial-parallel-channel-devices (spapr-vio-serial, spapr-vty)' }, { name: 'qemu', ref: 'docs/system/ppc/pseries.rst' }],
    when: { arch: ppc64, lacks: ['devices/console', 'devices/serial'] },
    fill: "<devices><serial type='pty'><target type='spapr-vio-serial'><model name='spapr-vty'/></target></serial></devices>",
  },
  'video-beyond-x86': {
    id: 'video-beyond-x86', revision: 1, stage: 'platform', guestVisible: true,
    sets: "devices/video model: virtio on aarch64 (ramfb when the host has no virtio-gpu), vga on ppc64 (pseries), with graphics",
    why: "The virt board has no legacy VGA: AAVMF and every arm64 kernel drive virtio-gpu (ramfb is the firmware framebuffer without it); on pseries SLOF draws only on a standard VGA, so a virtio-gpu would stay black until the guest's driver loads. A platform rule: the generic `video` rule then finds a video and stays out.",
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/video.py default_model (aarch64 virt: virtio; pseries: vga)' }, { name: 'qemu', ref: 'docs/system/arm/virt.rst (graphics: virtio-gpu, ramfb)' }, { name: 'libvirt', ref: 'formatdomain.html#video-devices' }],
    when: { arch: [...aarch64, ...ppc64], graphics: true, lacks: ['devices/video'] },
    fill: (c) => videoFills[guestArchIsPpc(c) ? 'vga' : hostHas(c.host, 'devices/video/modelType', 'virtio') ? 'virtio' : 'ramfb'],
  },
  'usb-xhci-beyond-x86': {
    id: 'usb-xhci-beyond-x86', revision: 1, stage: 'devices', guestVisible: true, minLibvirt: '3.3.0', minQemu: '2.9',
    sets: "devices/controller usb model='qemu-xhci' ports='15' on aarch64 and ppc64 with graphics (none on s390x)",
    why: 'The keyboard and tablet of a graphical console are USB devices here (there is no PS/2); XHCI serves every speed. Headless guests and s390x (no USB) get none.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_usb_controller (aarch64, ppc64: qemu-xhci)' }, { name: 'libvirt', ref: 'formatdomain.html#usb-controller' }],
    when: { arch: [...aarch64, ...ppc64], graphics: true, lacks: ["devices/controller[@type='usb']"] },
    fill: "<devices><controller type='usb' index='0' model='qemu-xhci' ports='15'/></devices>",
  },
  'usb-keyboard': {
    id: 'usb-keyboard', revision: 1, stage: 'devices', guestVisible: true,
    sets: "devices/input type='keyboard' bus='usb' on aarch64 and ppc64 with graphics",
    why: 'These machines have no PS/2 keyboard: without a USB one the graphical console cannot type.',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_input_device (usb keyboard off x86)' }, { name: 'libvirt', ref: 'formatdomain.html#input-devices' }],
    when: { arch: [...aarch64, ...ppc64], graphics: true, lacks: ["devices/input[@type='keyboard']"] },
    fill: "<devices><input type='keyboard' bus='usb'/></devices>",
  },
  'input-virtio-s390x': {
    id: 'input-virtio-s390x', revision: 1, stage: 'platform', guestVisible: true,
    sets: "devices/input tablet and keyboard on bus='virtio' (s390x with graphics)",
    why: 's390x has no USB: a graphical console needs virtio input devices (virtio-ccw).',
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py _add_default_input_device (s390x: virtio)' }, { name: 'libvirt', ref: 'formatdomain.html#input-devices (bus virtio)' }],
    // A platform rule so that usb-tablet (devices stage) finds the tablet and adds no USB one.
    when: { arch: s390x, graphics: true, lacks: ["devices/input[@type='tablet']"] },
    fill: "<devices><input type='tablet' bus='virtio'/><input type='keyboard' bus='virtio'/></devices>",
  },
  'cdrom-bus-beyond-x86': {
    id: 'cdrom-bus-beyond-x86', revision: 1, stage: 'devices', guestVisible: true,
    sets: "disk target/@bus='scsi' for CD-ROMs (and floppies refused by libvirt aside) on aarch64, s390x and ppc64",
    why: 'These machines have no IDE or SATA controller of their own and virtio-blk has no removable media: a CD-ROM goes on virtio-scsi (the virtio-scsi-controller rule adds the controller).',
    sources: [{ name: 'virtinst', ref: 'virtinst/devices/disk.py _default_bus (cdrom off x86: scsi)' }, { name: 'libvirt', ref: 'formatdomain.html#hard-drives-floppy-disks-cdroms (target bus)' }],
    when: { arch: beyondX86 },
    device: {
      kind: 'disk',
      fill: (_device, _c, disk) => (disk && disk.device === 'cdrom' && disk.bus === undefined && disk.target === undefined ? { 'target/@bus': 'scsi' } : undefined),
    },
  },
  'pcie-root-ports-arm-virt': {
    id: 'pcie-root-ports-arm-virt', revision: 1, stage: 'topology', guestVisible: true, minLibvirt: '3.6.0',
    sets: 'devices/controller pci pcie-root + one pcie-root-port per PCIe device plus spares (4 by default), on aarch64 virt',
    why: "The virt board is PCI Express like q35: each hot-plugged device needs a free root port of its own, and ports cannot be added to a running guest.",
    sources: [{ name: 'virtinst', ref: 'virtinst/guest.py add_q35_pcie_controllers (also for aarch64 virt)' }, { name: 'libvirt', ref: 'docs/pci-addresses.rst, docs/pci-hotplug.rst' }],
    when: { machine: 'arm-virt' },
    fill: rootPortsFill,
  },
} as const satisfies Record<string, Rule>

export type RuleId = keyof typeof rules
