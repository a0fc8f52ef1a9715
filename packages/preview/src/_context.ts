// What every rule reads and writes (private): the domain being resolved, the host, the record of changes.
import type { PreviewError } from './errors.ts'
import type { Element } from '@virtuned/xml-core'
import type { MachineType, QemuCaps, VirtType } from './caps.ts'
import type { Explanation, NotPredicted } from './preview.ts'
import type { FirmwareDescriptor } from './firmware.ts'
import type { QemuConf } from './qemu-conf.ts'
import type { HostPciDevice } from './_host-pci.ts'
import { child, textIn, type N } from './_node.ts'
import { deviceNames, hasBuiltinEsp, i8042MachineFamilies, machineFamily, qemuDeviceFlags, readCInteger, roundUpPowerOfTwo, serialTargetDefaultModels, systemSerialDefaultModels, videoDefaultRam, type MachineFamily } from '@virtuned/model'

export interface ContextOptions {
  readonly abiUpdate: boolean
  readonly libvirtVersion: number
  /** The fast path read every element and attribute where libvirt's schema (of that release) takes it. */
  readonly schemaKnown?: boolean
  /** The document names no namespace (no `xmlns`, no `xml:` prefix): no element or attribute in one to look for. */
  readonly namespaceFree?: boolean
  readonly testHost: 'latest' | 'versioned' | undefined
  readonly rootElement: Element
  readonly firmware: readonly FirmwareDescriptor[] | undefined
  /** The host's qemu.conf settings that act on define (the test host's when `testHost` is set). */
  readonly qemuConf: QemuConf | undefined
  /** Graphics passwords are kept (`virsh dumpxml --security-info`). */
  readonly securityInfo: boolean
  /** The host's architecture when given (libvirt's tests': x86_64). */
  readonly hostArch?: string | undefined
  /** The host's PCI devices, by address in sysfs' spelling (the test host's when `testHost` is set); `undefined`: not known. */
  readonly hostPciDevices?: ReadonlyMap<string, HostPciDevice> | undefined
  /** The TPM versions the host's swtpm offers, `null` without swtpm; `undefined`: not known (the test host's: both). */
  readonly swtpm?: readonly string[] | null | undefined
  /** Whether the host has QEMU's RDP server helper (qemu-rdp); `undefined`: not known (the test host's: it has). */
  readonly qemuRdp?: boolean | undefined
  /** The host CPU's physical address bits; `undefined`: not known (the test host's CPU says none: nothing to check). */
  readonly hostCpuAddressBits?: number | undefined
  /** The QEMU binaries the host has, by path; `undefined`: not known. */
  readonly hostEmulators?: ReadonlySet<string> | undefined
}

/** The domain's devices by kind and by address type, and the names of its children (read for the refusal rows). */
export interface DeviceIndex {
  readonly list: readonly N[]
  readonly length: number
  readonly children: readonly N[]
  readonly byKind: Map<string, N[]>
  readonly byAddress: Map<string, N[]> | undefined
  readonly top: Set<string>
  /** Each device's kind bit (refuse's kindBits; 0 for a kind no row of several kinds names), parallel to `list`. */
  readonly bits: readonly number[]
  /** The kind bits of every device together. */
  readonly present: number
}

export interface PreviewContext {
  readonly domain: N
  readonly caps: QemuCaps
  readonly options: ContextOptions
  /** The changes explained, in order (`PciAddressNote`s written out in words when the result's explanation is read). */
  readonly explanation: (Explanation | PciAddressNote)[]
  readonly notPredicted: NotPredicted[]
  /** Set by the machine rule: the resolved machine type, when the capabilities know it. */
  machine: MachineType | undefined
  /**
   * What some rules keep for the rest of one preview (fields, not WeakMaps keyed by the context: a WeakMap entry per
   * preview was a tenth of the validation rule's time, V8's CPU profile): the first typed read refused (parse-values,
   * for the parse rows), the validation refusal waiting for the post-parse rules, the domain's I/O thread IDs.
   */
  typedReadFinding: { message: string; path: string; code?: 'preview-refused' } | undefined
  deferredRefusal: PreviewError | undefined
  /** What the parse-values rule refused, waiting for the parse rows: libvirt's parser reports whichever it meets first. */
  parseValuesError: PreviewError | undefined
  iothreadIds: Set<number> | undefined
  /** The last machine family read, with the machine and arch it was read from (they may change while the rules run). */
  familyMemo: { readonly machine: string; readonly arch: string; readonly family: MachineFamily } | undefined
  /** The refusal rows' index of the devices by kind and address type and of the domain's children, with the lists it was read from. */
  deviceIndex: DeviceIndex | undefined
  /**
   * Where the domain's <devices> and <os> were last found (the node and its place among the domain's children):
   * `devices(ctx)` and `osType(ctx)` are called some 150 and 100 times a preview, and <devices> comes near the end of
   * twenty-odd children (the two were half of every child lookup's steps, counted). Still good while that place holds
   * that node: any insertion or removal before it moves it.
   */
  devicesAt: ChildAt | undefined
  osAt: ChildAt | undefined
  /**
   * The PCI buses the address assignment's dry run added (libvirt 9.0 gives them no zPCI extension; a written address
   * on one is checked against it in pass 2), and each device's integers the parse-values rule refused. Per preview, on
   * the context: kept in module-level WeakMaps keyed by the preview's nodes, they made V8's scavenger keep every
   * preview's tree alive past two minor GCs (~1.5 MB promoted per scavenge, 3 ms pauses: `--trace-gc-nvp`).
   */
  addedBuses: Set<N> | undefined
  deviceIntegerRefusals: Map<N, { readonly first?: PreviewError; readonly last?: PreviewError }> | undefined
  /** The elements whose children in a namespace the parse dropped (their text, where libvirt reads it, is the string value). */
  namespacedChildDropped: Set<N> | undefined
  /**
   * What the parser refuses in each external TPM's backend read as a character device, found before the parts no schema
   * or type keeps are dropped (its `<log>`, `<protocol>`, a TCP source's TLS switch: rules.ts's externalTpmSourceProblem).
   */
  externalTpmProblems: Map<N, { readonly code?: 'preview-refused'; readonly message: string; readonly path: string }> | undefined
  explain(path: string, rule: string, why: string): void
  /** A PCI address given to a device, explained in words only when the result's explanation is read. */
  explainPciAddress(note: PciAddressNote): void
  skip(path: string, reason: string): void
}

/**
 * A PCI address preview gave a device, as the parts of its explanation (`pci-address`): a composed domain gets
 * some twenty, and most callers read the XML alone, so their words are written only when the explanation is read.
 */
export interface PciAddressNote {
  /** The device's element name and `type`, as they were when the address was given. */
  readonly device: string
  readonly type: string | undefined
  /** The address's numbers as written. */
  readonly bus: string
  readonly slot: string
  readonly fn: string
}

/** The explanation of a PCI address in words (what `explain` would have recorded). */
export function pciAddressExplanation(n: PciAddressNote): Explanation {
  return { path: `domain/devices/${n.device}${n.type ? `[@type='${n.type}']` : ''}/address`, rule: 'pci-address', why: `libvirt assigns the next free PCI slot (${n.bus}:${n.slot}.${n.fn}).` }
}

export function createContext(domain: N, caps: QemuCaps, options: ContextOptions): PreviewContext {
  const explanation: (Explanation | PciAddressNote)[] = []
  const notPredicted: NotPredicted[] = []
  return {
    domain, caps, options, explanation, notPredicted, machine: undefined, familyMemo: undefined,
    typedReadFinding: undefined, deferredRefusal: undefined, parseValuesError: undefined, iothreadIds: undefined, deviceIndex: undefined, devicesAt: undefined, osAt: undefined,
    addedBuses: undefined, deviceIntegerRefusals: undefined, namespacedChildDropped: undefined, externalTpmProblems: undefined,
    explain(path, rule, why) { explanation.push({ path, rule, why }) },
    explainPciAddress(note) { explanation.push(note) },
    skip(path, reason) { notPredicted.push({ path, reason }) },
  }
}

// ---- readers every rule shares ---------------------------------------------------------------------

/** A domain child's node and place, as `devicesAt`/`osAt` keep them. */
interface ChildAt { readonly children: N[]; readonly node: N; readonly index: number }

/** The domain's first child of this name, from `at` while its place still holds it, else found again (`undefined`: none). */
function domainChildAt(ctx: PreviewContext, name: string, at: ChildAt | undefined): ChildAt | undefined {
  const children = ctx.domain.children
  if (at !== undefined && at.children === children && children[at.index] === at.node) return at
  for (let i = 0; i < children.length; i++) if (children[i]!.name === name) return { children, node: children[i]!, index: i }
  return undefined
}

export function osType(ctx: PreviewContext): N | undefined {
  const at = ctx.osAt = domainChildAt(ctx, 'os', ctx.osAt)
  return at === undefined ? undefined : child(at.node, 'type')
}

/**
 * The machine types the capabilities offer for the domain's virt type (a cache probed without KVM lists TCG machines
 * only, and the other way round: then the other list).
 */
export function offeredMachines(ctx: PreviewContext): readonly MachineType[] {
  const own = ctx.caps.machines[virtType(ctx)]
  return own.length > 0 ? own : ctx.caps.machines[virtType(ctx) === 'kvm' ? 'tcg' : 'kvm']
}

export function machineName(ctx: PreviewContext): string {
  return osType(ctx)?.attrs.machine ?? ''
}

/**
 * The emulator libvirt names in its words: the domain's `<emulator>`, else the capabilities' own (the binary libvirt's
 * post-parse gives a domain naming none).
 */
export function emulatorNamed(ctx: PreviewContext): string {
  return textIn(child(child(ctx.domain, 'devices'), 'emulator')) || ctx.caps.emulator || ''
}

export function virtType(ctx: PreviewContext): VirtType {
  return ctx.domain.attrs.type === 'kvm' ? 'kvm' : 'tcg'
}

export function arch(ctx: PreviewContext): string {
  return osType(ctx)?.attrs.arch ?? ctx.caps.arch
}

export function devices(ctx: PreviewContext): N[] {
  const at = ctx.devicesAt = domainChildAt(ctx, 'devices', ctx.devicesAt)
  return at === undefined ? [] : at.node.children
}

// Machine families are model's (one home of libvirt's facts).
export function isI440fx(ctx: PreviewContext): boolean {
  return family(ctx) === 'i440fx'
}

export function isQ35(ctx: PreviewContext): boolean {
  return family(ctx) === 'q35'
}

export function isX86(ctx: PreviewContext): boolean {
  const a = arch(ctx)
  return a === 'x86_64' || a === 'i686'
}

export function isS390(ctx: PreviewContext): boolean {
  return arch(ctx) === 's390x'
}

/** The machine's family (model's `machineFamily`), read again only when the machine or arch changed. */
export function machineFamilyOf(ctx: PreviewContext): MachineFamily {
  const type = osType(ctx)
  const machine = type?.attrs.machine ?? ''
  const a = type?.attrs.arch ?? ctx.caps.arch
  const memo = ctx.familyMemo
  if (memo !== undefined && memo.machine === machine && memo.arch === a) return memo.family
  const family = machineFamily(machine, a)
  ctx.familyMemo = { machine, arch: a, family }
  return family
}

const family = machineFamilyOf

/**
 * Whether the machine has QEMU's i8042 PS/2 controller as libvirt 11.3 sees it (virQEMUCapsSupportsI8042): QEMU has the
 * device and the machine is a PC one — i440fx, q35, Xen's fully virtualised, isapc. Post-parse then adds the PS/2 mouse
 * and keyboard, and validation takes a PS/2 input (a pSeries' refused where its QEMU has the device: seen on libvirtd 11.3).
 */
export function supportsI8042(ctx: PreviewContext): boolean {
  return i8042MachineFamilies.has(family(ctx)) && has(ctx, qemuDeviceFlags.input.ps2)
}

export function isArmVirt(ctx: PreviewContext): boolean {
  return family(ctx) === 'arm-virt'
}

export function isPSeries(ctx: PreviewContext): boolean {
  return family(ctx) === 'pseries'
}

export function isRiscvVirt(ctx: PreviewContext): boolean {
  return family(ctx) === 'riscv-virt'
}

export function isLoongVirt(ctx: PreviewContext): boolean {
  return family(ctx) === 'loongarch-virt'
}

export function has(ctx: PreviewContext, flag: string): boolean {
  return ctx.caps.flags.has(flag)
}

/**
 * Whether to reproduce libvirt 9.0 (Debian bookworm) where it differs from 11.3, as observed on a 9.0
 * daemon: versions before 11.0 are treated as 9.0 (nothing between the two has been checked).
 */
export function isLibvirt9(ctx: PreviewContext): boolean {
  return ctx.options.libvirtVersion < 11_000_000
}

/** The NIC models libvirt counts as virtio (model's deviceNames: virDomainNetIsVirtioModel). */
export const virtioNetModels: ReadonlySet<string> = new Set(deviceNames.virtioNetModels)

/**
 * qemuDomainDefaultNetModel (with qemuDomainDeviceNetDefPostParse's vDPA and vhost-user): the model an `<interface>` without
 * one takes, in libvirt's spelling (model's `netModelNames`: VIR_DOMAIN_NET_MODEL_SMC91C111 is written `scm91c111`).
 * A host device interface takes none (`undefined`: post-parse skips it, and libvirt's words print its model as `(null)`);
 * a vhost-user one takes virtio from libvirt 11 on (9.0 gave it the machine's default, virtio on the virt boards and s390
 * alone — seen on libvirtd 9.0).
 */
export function defaultNetModel(ctx: PreviewContext, nic: N): string | undefined {
  if (nic.attrs.type === 'hostdev') return undefined
  return nic.attrs.type === 'vdpa' || (nic.attrs.type === 'vhostuser' && !isLibvirt9(ctx)) ? 'virtio'
    : isS390(ctx) || isLoongVirt(ctx) || isRiscvVirt(ctx) || isArmVirt(ctx) ? 'virtio'
    : arch(ctx).startsWith('arm') || arch(ctx) === 'aarch64' ? (machineName(ctx) === 'versatilepb' ? 'scm91c111' : 'lan9118')
    : has(ctx, 'rtl8139') ? 'rtl8139' : has(ctx, 'e1000') ? 'e1000' : has(ctx, 'virtio-net') ? 'virtio' : 'rtl8139'
}

/**
 * qemuDomainDefSuggestDefaultAudioBackend: whether libvirt's domain post-parse adds an audio backend (id 1) to a domain
 * without one, and which — each VNC, SPICE or SDL display in turn decides (the last one wins); other displays (RDP, D-Bus,
 * egl-headless) leave it; none at all means the no-graphics setting (checked on libvirtd 9.0: SPICE then VNC gives `none`,
 * VNC then SPICE `spice`). `passthrough`: the host's audio, whose backend is libvirtd's QEMU_AUDIO_DRV (qemu.conf's
 * vnc_allow_host_audio or nographics_allow_host_audio; SDL always, and without that variable nothing is added).
 */
export function suggestedAudioBackend(ctx: PreviewContext): { add: boolean; backend: string; passthrough: 'host' | 'sdl' | undefined } {
  const conf = ctx.options.qemuConf
  let add = false
  let backend = 'none'
  let passthrough: 'host' | 'sdl' | undefined
  let graphics = false
  for (const d of devices(ctx)) {
    if (d.name !== 'graphics') continue
    graphics = true
    const t = d.attrs.type
    if (t === 'vnc') { passthrough = conf?.vncAllowHostAudio === true ? 'host' : undefined; if (!passthrough) backend = 'none'; add = true }
    else if (t === 'spice') { passthrough = undefined; backend = 'spice'; add = true }
    else if (t === 'sdl') { passthrough = 'sdl'; add = true }
  }
  if (!graphics) { passthrough = conf?.nographicsAllowHostAudio === true ? 'host' : undefined; add = true }
  return { add, backend, passthrough }
}

/** The audio IDs validation sees: the written backends', else the one post-parse adds (suggestedAudioBackend), `1`. */
export function audioIdsAtValidation(ctx: PreviewContext, written: readonly N[]): ReadonlySet<number> {
  if (written.length > 0) return new Set(written.map((a) => Number(a.attrs.id)).filter((id) => Number.isInteger(id)))
  const { add, passthrough } = suggestedAudioBackend(ctx)
  return add && !(passthrough === 'sdl' && ctx.options.qemuConf?.audioDriver === undefined) ? new Set([1]) : new Set()
}

/**
 * The type of the audio backend of `id` validation finds (virDomainDefFindAudioByID: the first written with that ID, else
 * the one post-parse adds, ID 1 — suggestedAudioBackend; QEMU_AUDIO_DRV's for the host's audio, PulseAudio's `pa` its
 * own name), or `undefined` when there is none (or its type is libvirtd's unknown environment).
 */
export function audioTypeAtValidation(ctx: PreviewContext, written: readonly N[], id: number): string | undefined {
  if (written.length > 0) return written.find((a) => Number(a.attrs.id) === id)?.attrs.type
  if (id !== 1) return undefined
  const { add, backend, passthrough } = suggestedAudioBackend(ctx)
  if (!add) return undefined
  const type = passthrough === undefined ? backend : ctx.options.qemuConf?.audioDriver
  return type === 'pa' ? 'pulseaudio' : type
}

/** qemuDomainDefaultSCSIControllerModel: the model a SCSI controller without one takes. */
export function defaultScsiModel(ctx: PreviewContext): string {
  return scsiModelFromCaps(ctx) ?? 'virtio-scsi'
}

/**
 * qemuDomainGetSCSIControllerModel: the model a SCSI controller without one takes — sPAPR VSCSI on pSeries, virtio-scsi
 * on s390 (and, 11.3, LoongArch virt), else LSI Logic or virtio-scsi where QEMU has them, else the machine's built-in
 * ESP — or `undefined` where there is none: libvirt refuses the controller ("Unable to determine model for SCSI
 * controller", MicroBlaze and CRIS on libvirtd 9.0, probes h33-x-*-sda).
 */
export function scsiModelFromCaps(ctx: PreviewContext): string | undefined {
  if (isPSeries(ctx)) return 'ibmvscsi'
  if (isS390(ctx) || (!isLibvirt9(ctx) && isLoongVirt(ctx))) return 'virtio-scsi'
  if (has(ctx, 'lsi')) return 'lsilogic'
  if (has(ctx, 'virtio-scsi-pci')) return 'virtio-scsi'
  return hasBuiltinEsp(machineName(ctx), arch(ctx)) ? 'ncr53c90' : undefined
}

/** qemuDomainChrDefPostParse: the target type of a serial port written without one. */
export function defaultSerialTargetType(ctx: PreviewContext): string | undefined {
  return isX86(ctx) ? 'isa-serial' : isPSeries(ctx) ? 'spapr-vio-serial' : isArmVirt(ctx) || isLoongVirt(ctx) || isRiscvVirt(ctx) ? 'system-serial' : isS390(ctx) ? 'sclp-serial' : undefined
}

/** A serial port's target type as qemuDomainChrDefPostParse leaves it: an ISA one written is the arch's default, as none written. */
export function serialTargetTypeAfterPostParse(ctx: PreviewContext, serial: N): string | undefined {
  const written = child(serial, 'target')?.attrs.type
  return (written === 'isa-serial' ? undefined : written) ?? defaultSerialTargetType(ctx)
}

/** The model qemuDomainChrDefPostParse gives a serial port of a target type that names none (model's tables; `undefined`: none). */
export function defaultSerialModel(ctx: PreviewContext, type: string | undefined): string | undefined {
  if (type === undefined) return undefined
  return serialTargetDefaultModels[type] ?? (type === 'system-serial' ? systemSerialDefaultModels[family(ctx)] : undefined)
}

/** qemuDomainDefaultVideoDevice: the model a `<video>` without one takes. */
/** Whether a video `<model>`'s type is none to the parser — not written, empty, or `default` — and so the machine's default. */
export const videoTypeUnset = (type: string | undefined): boolean => type === undefined || type === '' || type === 'default'

export function defaultVideoType(ctx: PreviewContext): string {
  return arch(ctx).startsWith('ppc64') ? 'vga' : isArmVirt(ctx) || isLoongVirt(ctx) || isRiscvVirt(ctx) || isS390(ctx) ? 'virtio' : has(ctx, 'cirrus-vga') ? 'cirrus' : 'vga'
}

/**
 * The bus an input device without one gets (virDomainInputDefParseXML in 9.0, virDomainInputDefPostParse in 11.3): on
 * x86 a mouse or keyboard PS/2; on s390, and a passthrough device anywhere, virtio; an evdev device none; else USB.
 */
export function defaultInputBus(ctx: PreviewContext, input: N): string {
  const type = input.attrs.type
  if ((type === 'mouse' || type === 'keyboard') && isX86(ctx)) return 'ps2'
  if (isS390(ctx) || type === 'passthrough') return 'virtio'
  return type === 'evdev' ? 'none' : 'usb'
}

/**
 * The primary video of these (the domain's videos, as written): the first written `primary='yes'`, else the first — the
 * one virDomainDefParseXML puts first and virDomainDefPostParseVideo handles.
 */
export function primaryVideo(videos: readonly N[]): N | undefined {
  return videos.find((v) => child(v, 'model')?.attrs.primary === 'yes') ?? videos[0]
}

/**
 * virDomainDefPostParseVideo: a primary video of type none is cleared (virDomainVideoDefClear): all but its alias goes,
 * and validation sees a bare `none` video.
 */
export function videoCleared(videos: readonly N[], d: N): boolean {
  return child(d, 'model')?.attrs.type === 'none' && primaryVideo(videos) === d
}

/**
 * A video's RAM and VRAM (KiB) as post-parse leaves them (virDomainVideoDefPostParse): a size not written (or 0) takes
 * the model's default (model's videoDefaultRam: a QXL display's RAM, any model's VRAM), then both are rounded up to a
 * power of two (roundUpPowerOfTwo: above 2^31 they become 0). The primary video's post-parse runs twice
 * (virDomainDefPostParseVideo), so a size rounded to 0 takes the default again there. `undefined`: a size that does
 * not read (the parser's to refuse).
 */
export function videoSizesAfterPostParse(ctx: PreviewContext, d: N, primary: boolean): { ram: number | undefined; vram: number | undefined } {
  const model = child(d, 'model')
  const type = videoTypeUnset(model?.attrs.type) ? defaultVideoType(ctx) : model!.attrs.type!
  const read = (k: string): number | undefined => {
    const v = model?.attrs[k]
    if (v === undefined || v === '') return 0
    const r = readCInteger(v, 10)
    return r && !r.negative && r.magnitude <= 0xffffffff ? r.magnitude : undefined
  }
  let ram = read('ram')
  let vram = read('vram')
  for (let pass = 0; pass < (primary ? 2 : 1); pass++) {
    if (ram === 0 && type === 'qxl') ram = videoDefaultRam.qxl!
    if (vram === 0) vram = videoDefaultRam[type] ?? 0
    if (ram !== undefined) ram = roundUpPowerOfTwo(ram)
    if (vram !== undefined) vram = roundUpPowerOfTwo(vram)
  }
  return { ram, vram }
}

/**
 * qemuDomainDefaultPanicModel: the model a `<panic>` without one takes (none on other machines). libvirt 9.0's
 * post-parse gives every machine but pSeries and s390 the ISA one (checked on libvirtd 9.0: an aarch64 `virt` or
 * ppc64 `powernv9` domain with `<panic/>` is refused for the ISA panic device its QEMU lacks).
 */
export function defaultPanicModel(ctx: PreviewContext): string | undefined {
  return isPSeries(ctx) ? 'pseries' : isS390(ctx) ? 's390' : isX86(ctx) || isLibvirt9(ctx) ? 'isa' : isArmVirt(ctx) ? 'pvpanic' : undefined
}

/**
 * A panic device's model after post-parse: the one written, or for none — and for `default`, the enumeration's 0, which is
 * none to post-parse and the formatter alike — defaultPanicModel's (virDomainPanicModel; probes h25-pn-default-*, libvirtd 9.0).
 */
export function panicModelOf(ctx: PreviewContext, panic: N): string | undefined {
  const written = panic.attrs.model
  return written === undefined || written === 'default' ? defaultPanicModel(ctx) : written
}

/**
 * A socket path libvirt generated for a virtio channel, dropped from an inactive definition
 * (qemuDomainChrDefDropDefaultPath). libvirt 11: under one of the QEMU driver's channel directories (the
 * runtime one — `/run/libvirt/qemu/channel` on a system daemon, `/var/run/…` on libvirt's test host —, the
 * library one and the configuration one), an optional `target/`, then `NAME.`, `domain-ID-NAME/` or
 * `ID-NAME/`, then the channel's target name. libvirt 9.0 matched `^DIR/([^/]+\.)|(domain-[^/]+/)NAME$` with
 * DIR its channel target directory (its test host's: /tmp/channel) — an alternation without a group, so either half
 * alone matches.
 */
export function isGeneratedChannelPath(path: string | undefined, target: string | undefined, ctx?: PreviewContext): boolean {
  if (path === undefined) return false
  // (a nameless channel: the formatter writes nothing for the missing name — virBufferEscapeRegex with NULL —, not the
  // closing `$` either, so the expression is a prefix; libvirtd 9.0 drops `/tmp/domain-1/x` beside no name)
  if (!ctx || isLibvirt9(ctx)) {
    // (a system daemon's channel target directory; libvirt 9.0's test host sets its own, /tmp/channel — tests/testutilsqemu.c)
    const dir = ctx?.options.testHost ? '/tmp/channel' : '/var/lib/libvirt/qemu/channel/target'
    // (9.0's `^dir/([^/]+\.)|(domain-[^/]+/)name$`: the alternation splits the anchors — the second half anywhere)
    return path.startsWith(`${dir}/`) && /^[^/]+\./.test(path.slice(dir.length + 1)) || (target === undefined ? /domain-[^/]+\//.test(path) : new RegExp(`domain-[^/]+/${escapeRegExp(target)}$`).test(path))
  }
  const runtime = ctx.options.testHost ? '/var/run/libvirt/qemu/channel' : '/run/libvirt/qemu/channel'
  if (target === undefined) {
    return [runtime, '/var/lib/libvirt/qemu/channel', '/etc/libvirt/qemu/channel'].some((prefix) => path.startsWith(`${prefix}/`) && /^(?:target\/)?(?:[^/]+\.|domain-[^/]+\/|[0-9]+-[^/]+\/)/.test(path.slice(prefix.length + 1)))
  }
  for (const prefix of [runtime, '/var/lib/libvirt/qemu/channel', '/etc/libvirt/qemu/channel']) {
    if (!path.startsWith(`${prefix}/`) || !path.endsWith(target)) continue
    let rest = path.slice(prefix.length + 1, path.length - target.length)
    if (rest.startsWith('target/')) rest = rest.slice('target/'.length)
    if (/^(?:[^/]+\.|domain-[^/]+\/|[0-9]+-[^/]+\/)$/.test(rest)) return true
  }
  return false
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The placement of the domain's `<numatune><memory>` as virDomainNumatuneParseXML and virDomainNumatuneSet settle it:
 * as written, else `static` with a node set or static vCPU placement, else `auto`; `auto` also when the vCPUs are
 * placed automatically and no `<memory>` is written. `undefined`: no memory tuning.
 */
export function numatunePlacement(ctx: PreviewContext): 'static' | 'auto' | undefined {
  const vcpuStatic = child(ctx.domain, 'vcpu')?.attrs.placement !== 'auto'
  const memory = child(child(ctx.domain, 'numatune'), 'memory')
  if (!memory) return vcpuStatic ? undefined : 'auto'
  const { mode, placement, nodeset } = memory.attrs
  if (mode === undefined && placement === undefined && nodeset === undefined) return undefined
  if (placement === 'static' || placement === 'auto') return placement
  return nodeset !== undefined || vcpuStatic ? 'static' : 'auto'
}

/** A UDP character device's two ends, as libvirt reads them: each a host and a service, either possibly missing. */
export interface UdpEnd { readonly host: string | undefined; readonly service: string | undefined }
export interface UdpEnds { readonly bind: UdpEnd | undefined; readonly connect: UdpEnd | undefined }

/**
 * virDomainChrSourceDefParseUDP over a UDP device's (at most two) sources: each end is the first source of its mode (a
 * source without a mode connects) — unless that one named neither host nor service, when a later source of the mode
 * may give them.
 */
export function udpEnds(backend: N): UdpEnds {
  let bind: UdpEnds['bind']
  let connect: UdpEnds['connect']
  for (const c of backend.children) {
    if (c.name !== 'source') continue
    const mode = c.attrs.mode ?? 'connect'
    const end = { host: c.attrs.host, service: c.attrs.service }
    if (mode === 'connect' && connect?.host === undefined && connect?.service === undefined) connect = end
    else if (mode === 'bind' && bind?.host === undefined && bind?.service === undefined) bind = end
  }
  return { bind, connect }
}

/**
 * An emulated TPM's version as libvirt validates it: as written, else qemuDomainTPMDefPostParse's — libvirt 11 picks
 * TPM 2.0 but for a TIS one on x86; 9.0 picked 1.2 but for a sPAPR or CRB one and on ARM virt (a RISC-V TIS TPM, 1.2 on
 * libvirtd 9.0). A model left out is TIS (sPAPR on ppc64).
 */
export function tpmEmulatorVersion(ctx: PreviewContext, tpm: N): string {
  const written = child(tpm, 'backend')?.attrs.version
  if (written !== undefined) return written
  const model = tpm.attrs.model ?? (arch(ctx).startsWith('ppc64') ? 'tpm-spapr' : 'tpm-tis')
  const v2 = isLibvirt9(ctx) ? model === 'tpm-spapr' || model === 'tpm-crb' || isArmVirt(ctx) : !(model === 'tpm-tis' && isX86(ctx))
  return v2 ? '2.0' : '1.2'
}

/**
 * What libvirt 11's post-parse does for a Q35 domain of more than 255 x86 vCPUs, which need x2APIC (qemuDomainDefAddDefaultDevices,
 * qemuDomainIOMMUDefPostParse): `add` an Intel IOMMU with interrupt remapping and EIM where QEMU has them and the domain has
 * no IOMMU; `eim` to switch EIM on for an Intel IOMMU that says nothing of it (with `--abi-update`); else nothing (libvirt
 * 9.0 adds none: its validation refuses the domain).
 */
export function x2apicIommuPlan(ctx: PreviewContext, iommu: N | undefined): 'add' | 'eim' | undefined {
  if (isLibvirt9(ctx) || !isX86(ctx) || !isQ35(ctx) || Number(child(ctx.domain, 'vcpu')?.text || '1') <= 255) return undefined
  if (iommu === undefined) return has(ctx, 'intel-iommu') && has(ctx, 'intel-iommu.intremap') && has(ctx, 'intel-iommu.eim') ? 'add' : undefined
  return iommu.attrs.model === 'intel' && ctx.options.abiUpdate === true ? 'eim' : undefined
}
