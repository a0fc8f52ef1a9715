// The libvirt post-parse rules preview reproduces, in libvirt's order, as data: a name (used in
// `explanation`), where libvirt does it, and the step. Facts from libvirt 11.3's
// src/conf/domain_postparse.c, src/qemu/qemu_postparse.c and src/conf/domain_conf.c.
import type { Element } from '@virtuned/xml-core'
import { PreviewError } from './errors.ts'
import {
  arch, emulatorNamed, numatunePlacement, supportsI8042, defaultNetModel, panicModelOf, scsiModelFromCaps, defaultSerialTargetType, defaultSerialModel, serialTargetTypeAfterPostParse, defaultVideoType, defaultInputBus, videoTypeUnset, videoSizesAfterPostParse, devices, virtioNetModels, has, isArmVirt, isGeneratedChannelPath, isI440fx, isLibvirt9, isLoongVirt, isPSeries, isQ35, isRiscvVirt, isS390, isX86, machineName, osType, virtType, suggestedAudioBackend,
  type PreviewContext,
  offeredMachines, udpEnds, type UdpEnd, tpmEmulatorVersion, x2apicIommuPlan,
} from './_context.ts'
import { child, ensure, insertOrdered, kids, firstTextIn, firstTextNode, mixedText, node, rankMap, textIn, type N } from './_node.ts'
import { deviceIterateOrder, driveUnitsPerController, deviceRepeatedReadInPart, attributesReadByLocalName, attributesReadByLocalName9, attributesReadByLocalNameWhen, deviceParseOrder, deviceRepeatedReadParts, domainReadOrder, domainValidationSteps, genericValidationSteps, postParseSteps, readAsOneWhenRepeated, readFirstWhenRepeated, readLastWhenRepeated, readThroughWhenRepeated, refusedWhenRepeated, repeatedFeatureReads, repeatedFeatureReads11, deviceReadParts as modelDeviceReadParts, deviceReadParts9 as modelDeviceReadParts9, deviceReadPartsByType as modelDeviceReadPartsByType, settingReadParts as modelSettingReadParts, settingReadParts9 as modelSettingReadParts9, settingsReadAmongDevices, settingRepeatedReadParts as modelSettingRepeatedReadParts, canonicalIpAddress, ccwAddressLimits, formatterChildOrders, iscsiNameWithLun, channelTargetAttributes, guestfwdPortStored, chrSourceLabels, attributesReadThroughWhenRepeated, readAsOneWhenRepeated9, hostdevSourceReadThrough, hostdevNicSourceTypeRead, hostdevNicSourceType } from '@virtuned/model'
import { s390HostPassthroughOnlyMachines, osKernelOptions, attributesByType, childrenByType, diskIotuneLimits, domainFeatures11, schemaRoot, attributeReads, attributeReadProblem, attributeReadValue, enumNames, emptyUnwritten, checkedUnwritten, attributesWrittenUnescaped, writtenWhenAllPositive, domainTypes, osTypes, busFromTarget, formatLibvirtPretty, isUserAlias, storedNetModel, hasBuiltinIde, deviceOrder, domainChildOrder, parseDiskName, diskNameParses, diskNameToIndex, integerAttributes, readUsbDeviceVersion, maxPciControllerIndex, pciAddressProblem, readCInt, readCInteger, readCUnsignedLongLong, readLibvirtInteger, readLibvirtMemory, readScaledBytes, readCUnsigned, sanitizePath, readMacAddress, formatMacAddress, archNames, archNames9, deviceNames, diskPrefixes, readCLongLong, readUuid, storageTypes9, diskQueryProtocols, networkDiskDefaultPorts, diskSourceChildrenUnwritten, tpmPassthroughDefaultPath, conditionValue, formatUsbPort, readUsbPort, localNameChildren, loadparmAsRead, nwfilterParameterKept, virtualPortParameters, memoryBackingModes, type SchemaPlace, type AttributeRead, type IntegerAttribute, numaCacheLineModulus } from '@virtuned/model'
import { assignAddresses, assignedDriveAddress, scsiHostdevAt, implicitScsiControllerRefusal, rememberUsbPort, usbAddressRefusal, usbOff, isUsbHostdev, spaprVioAddresses, asSpaprVio, virtioSerialControllerMissing } from './_pci.ts'
import { chrTcpProtocolProblem, webProtocols } from './_refusals-devices.ts'
import { formatQemuNamespace, qemuNamespaceProblem } from './_qemu-namespace.ts'
import { addScsiControllers, controllerIndexes, hostdevScsiControllerCalls, hostdevScsiControllerOf, indexesOf, insertController, isIch9Uhci } from './_controllers.ts'
import { fillFirmware, fillManualFirmware } from './firmware.ts'
import { capabilitiesAsStored, featureIsSet, firmwareFeaturesAsStored, firstOfEachName, hypervAsStored, kibRoundedUp, kvmAsStored, xenAsStored } from './_features.ts'
import { readResctrls, resctrlElements, unreadTunes } from './_resctrl.ts'
import { belowAudit, bootloaderRefusal, devicesOfKind, readSpaceLimit, rowDevices, rowScope, type Refusal, validationError } from './_refusal.ts'
import { bitmapSize, bitmapWithout, cpuMaskLength, formatBitmap, parseBitmap, readBitmap, type Bitmap } from './_bitmap.ts'
import { blkioDeviceFields, cputuneNumber, cputuneNumbers, domainRefusals, idmapNumber, osValidate, pciControllerPostParseRefusal, pciControllerRangeRefusal, resourceAppid } from './_refusals-domain.ts'
import { vcpusListStates } from './_vcpus.ts'
import { writeDomainLabels, writeSourceLabels } from './_seclabels.ts'
import { deviceRefusals } from './_refusals-devices.ts'

/** A libvirt post-parse rule reproduced by preview: its name, libvirt's source of it, and the step. */
export interface PreviewRule {
  readonly name: string
  /** Where libvirt does it (file and function), for readers checking the rule. */
  readonly source: string
  readonly apply: (ctx: PreviewContext) => void
}

/** A TPM emulator's state `<source>` types libvirt 11 reads (model's attributeReads: `file`, `dir`). */
const tpmStateSourceTypes: readonly string[] = (attributeReads.get('devices/tpm/backend/source')?.find((r) => r[0] === 'type')?.[2] as { values?: readonly string[] } | undefined)?.values ?? []

/** The highest PCI controller index preview lets reach the address assignment (each index below it is a bus to fill). */
const pciIndexAssigned = 1023
const devicesNode = (ctx: PreviewContext): N => ensure(ctx.domain, 'devices', domainChildOrder)


/**
 * What virDomainChrSourceDefParseXML refuses in an external TPM's backend, read as a character device of its `<source>`'s
 * type (virDomainTPMDefParseXML): one `<source>` (two for UDP), its mode (UNIX, TCP, UDP), TLS switch (TCP), append switch
 * (a file), reconnect (UNIX, TCP: its timeout when enabled), clipboard and mouse (a QEMU vdagent); one `<log>` and its
 * append switch; one `<protocol>`, of
 * virDomainChrTcpProtocol for TCP — all before virDomainTPMDevValidate refuses any type but a UNIX socket (probes h53-tpmy-…).
 */
function externalTpmSourceProblem(backend: N, type: string, at: string, v9: boolean): { code?: 'preview-refused'; message: string; path: string } | undefined {
  const sources = kids(backend, 'source')
  if (sources.length > 1 && type !== 'udp') return { message: 'only one source element is allowed for character device', path: `${at}/source[2]` }
  if (sources.length > 2) return { message: 'only two source elements are allowed for character device', path: `${at}/source[3]` }
  const read = (holder: N, r: AttributeRead, path: string) => {
    const problem = attributeReadProblem(holder.attrs[r[0]], r, holder.name)
    return problem === undefined ? undefined : { message: problem, path: `${path}/@${r[0]}` }
  }
  const mode: AttributeRead = ['mode', 'enum', { values: ['connect', 'bind'] }]
  for (const [i, source] of (type === 'udp' ? sources : sources.slice(0, 1)).entries()) {
    const path = `${at}/source${sources.length > 1 ? `[${i + 1}]` : ''}`
    const problem = type === 'unix' || type === 'tcp' || type === 'udp' ? read(source, mode, path)
      : type === 'file' ? read(source, ['append', 'on-off'], path) : undefined
    if (problem) return problem
    if (type === 'tcp') { const tls = read(source, ['tls', 'yes-no'], path); if (tls) return tls }
    // (a QEMU vdagent's clipboard and mouse, each required where written: a serial port's reads — model's attributeReads)
    if (type === 'qemu-vdagent') {
      for (const name of ['clipboard', 'mouse']) {
        const setting = child(source, name)
        const problem = setting === undefined ? undefined : read(setting, attributeReads.get(`devices/serial/source/${name}`)![0]!, `${path}/${name}`)
        if (problem) return problem
      }
    }
    const reconnect = type === 'unix' || type === 'tcp' ? child(source, 'reconnect') : undefined
    if (reconnect) {
      const enabled = read(reconnect, ['enabled', 'yes-no'], `${path}/reconnect`)
      if (enabled) return enabled
      if (reconnect.attrs.enabled === 'yes') { const timeout = read(reconnect, ['timeout', 'uint', { required: true }], `${path}/reconnect`); if (timeout) return timeout }
    }
  }
  const logs = kids(backend, 'log')
  if (logs.length > 1) return { message: 'only one log element is allowed for character device', path: `${at}/log[2]` }
  if (logs[0]) { const append = read(logs[0], ['append', 'on-off'], `${at}/log`); if (append) return append }
  const protocols = kids(backend, 'protocol')
  if (protocols.length > 1) return { message: 'only one protocol element is allowed for character device', path: `${at}/protocol[2]` }
  const protocol = type === 'tcp' ? protocols[0]?.attrs.type : undefined
  return protocol === undefined || (deviceNames.chrTcpProtocols as readonly string[]).includes(protocol) ? undefined : { ...(v9 ? { code: 'preview-refused' as const } : {}), message: chrTcpProtocolProblem(protocol, v9), path: `${at}/protocol/@type` }
}

function addDevice(ctx: PreviewContext, device: N): void {
  const list = devicesNode(ctx)
  // libvirt appends to the device's own array; the formatter groups arrays in deviceOrder.
  const ranks = rankMap(deviceOrder)
  const rank = ranks.get(device.name) ?? -1
  let at = list.children.length
  for (let i = list.children.length - 1; i >= 0; i--) {
    const r = ranks.get(list.children[i]!.name) ?? -1
    if (r <= rank) { at = i + 1; break }
    at = i
  }
  list.children.splice(at, 0, device)
}

/** Every element named `name` below `n`, depth first. */
function descendants(n: N, name: string, out: N[] = []): N[] {
  for (const c of n.children) { if (c.name === name) out.push(c); descendants(c, name, out) }
  return out
}

/** A size element in KiB as libvirt stores it (model's `readLibvirtMemory`: exact, rounded up), or `undefined` when it does not read. */
function toKiB(n: N): number | undefined {
  return kibOf(textIn(n), n.attrs.unit)
}

/** A size given as a value and a unit (KiB when none), in KiB as libvirt stores it, or `undefined` when it does not read. */
function kibOf(value: string | undefined, unit: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const read = readLibvirtMemory(value, unit ?? 'KiB', '')
  return 'kib' in read ? read.kib : undefined
}

// ---- generic post-parse (domain_postparse.c) -------------------------------------------------------

/**
 * The UUID libvirt's test host makes up whenever it makes one up (a domain's, a generation ID): virUUIDGenerate over
 * tests/virrandommock.c's random bytes — 0, 1, 2… at every call —, with the version 4 and RFC 4122 variant bits set.
 */
const testHostUuid = '00010203-0405-4607-8809-0a0b0c0d0e0f'

/** The arches whose KVM runs guests of the host's arch alone: capabilities with KVM for one of them say the host's arch. */
const kvmNativeOnly: ReadonlySet<string> = new Set(['x86_64', 'aarch64', 's390x', 'riscv64', 'loongarch64'])

const machineRule: PreviewRule = {
  name: 'machine-canonical',
  source: 'qemu_postparse.c qemuDomainDefMachinePostParse',
  apply(ctx) {
    // (first of the post-parse, libvirt looks up the QEMU binary the domain names — qemuDomainPostParseDataAlloc,
    // virQEMUCapsCacheLookup —: one the host lacks, where the host's are known, ends the define there)
    const emulatorText = child(child(ctx.domain, 'devices'), 'emulator')?.text
    if (ctx.options.hostEmulators !== undefined && emulatorText !== undefined && emulatorText !== '' && !ctx.options.hostEmulators.has(emulatorText)) throw new PreviewError('preview-refused', `Cannot check QEMU binary ${emulatorText}: No such file or directory`, { path: 'domain/devices/emulator' })
    const type = osType(ctx)
    // (no OS type reaches here only with a Xen bootloader, which makes the guest a Xen one: libvirt 9.0's post-parse refuses
    // the bootloader, 11 the OS type — virDomainDefParseCaps, qemuValidateDomainDef)
    if (!type || !type.text) {
      if (isLibvirt9(ctx)) throw new PreviewError('preview-refused', 'bootloader is not supported by QEMU', { path: 'domain/bootloader' })
      throw new PreviewError('preview-refused', `Emulator '${emulatorNamed(ctx)}' does not support os type 'xen'`, { path: 'domain/os/type' })
    }
    // (an empty arch is none to virXPathString: the host's, virArchFromHost — known when given, or when the capabilities
    // show the host's KVM for an arch KVM runs natively alone)
    const written = type.attrs.arch === '' ? undefined : type.attrs.arch
    const hostArch = ctx.options.hostArch ?? (ctx.caps.machines.kvm.length > 0 && kvmNativeOnly.has(ctx.caps.arch) ? ctx.caps.arch : undefined)
    const domainArch = written ?? hostArch
    // a QEMU also runs its sibling arch (virQEMUCapsIsArchSupported: i686 on qemu-system-x86_64, armv7l on aarch64, armv6l on arm, ppc64le on ppc64)
    const runs = domainArch === ctx.caps.arch || (ctx.caps.arch === 'x86_64' && domainArch === 'i686') || (ctx.caps.arch === 'aarch64' && domainArch === 'armv7l') || (ctx.caps.arch === 'armv7l' && domainArch === 'armv6l') || (ctx.caps.arch === 'ppc64' && domainArch === 'ppc64le')
    if (domainArch !== undefined && !runs) {
      // (libvirt's test host gives every emulator these capabilities: the emulator named is refused for the arch —
      // qemuValidateDomainDef's virQEMUCapsIsArchSupported, tests/testutilsqemu.c; a real host's answer depends on the
      // emulators it has, so there the capabilities are what is wrong)
      const emulator = emulatorNamed(ctx)
      if (ctx.options.testHost !== undefined && written !== undefined && emulator) throw new PreviewError('preview-arch-mismatch', `Emulator '${emulator}' does not support arch '${domainArch}'`, { path: 'domain/os/type/@arch' })
      const whose = written === undefined ? `the host's arch \`${domainArch}\`, which libvirt gives a domain whose <os><type> names none` : `the domain's arch \`${domainArch}\``
      throw new PreviewError('preview-arch-mismatch', `Unexpected capabilities for \`${ctx.caps.arch}\`, expected capabilities for ${whose}`, { path: 'domain/os/type/@arch' })
    }
    if (written === undefined) {
      type.attrs.arch = domainArch ?? ctx.caps.arch
      if (domainArch !== undefined) ctx.explain('domain/os/type/@arch', 'arch-default', `libvirt fills in the host's architecture, \`${domainArch}\`, when <os><type> names none.`)
      else ctx.skip('domain/os/type/@arch', `libvirt gives a domain whose <os><type> names no arch the host's (virArchFromHost), which these capabilities (of a QEMU for \`${ctx.caps.arch}\` without the host's KVM) do not say: preview took \`${ctx.caps.arch}\`; name the arch, or give the host's (\`hostArch\`, \`--host-arch\`).`)
    }
    const list = offeredMachines(ctx)
    // (an empty machine is none to virXPathString: the default one)
    let name = type.attrs.machine === '' ? undefined : type.attrs.machine
    if (name === undefined) {
      // (virQEMUCapsGetPreferredMachine: the first machine type the capabilities list for the virt type — QEMU's default
      // where it has one, which the cache lists first; else simply the first, as for aarch64: seen on libvirtd 9.0)
      const preferred = list[0]
      if (!preferred) throw new PreviewError('preview-unknown-machine', 'The capabilities name no default machine type; set `<os><type machine>`', { path: 'domain/os/type/@machine' })
      name = preferred.name
      type.attrs.machine = name
      ctx.explain('domain/os/type/@machine', 'machine-default', `libvirt picks QEMU's default machine type \`${name}\`.`)
    }
    const byAlias = list.find((m) => m.alias === name)
    if (byAlias) {
      type.attrs.machine = byAlias.name
      ctx.explain('domain/os/type/@machine', 'machine-canonical', `libvirt replaces the alias \`${name}\` with the versioned machine type \`${byAlias.name}\` so the guest ABI stays fixed.`)
      ctx.machine = byAlias
      return
    }
    // a machine type this QEMU lacks stays unknown (`ctx.machine` unset): libvirt's post-parse goes on with its name,
    // and its validation refuses it, first thing (the validation row in _refusals-domain.ts) — so a post-parse
    // refusal of such a domain is the one libvirt gives
    ctx.machine = list.find((m) => m.name === name)
  },
}

const emulatorRule: PreviewRule = {
  name: 'emulator-default',
  source: 'qemu_postparse.c qemuDomainDefPostParseBasic',
  apply(ctx) {
    const list = devicesNode(ctx)
    const written = child(list, 'emulator')
    // (an empty one is none to virXPathString: filled in)
    if (written && (written.text ?? '') !== '') {
      // libvirt reads the capabilities of the binary named, which must be on the host: preview has those given
      if (ctx.caps.emulator !== undefined && written.text !== ctx.caps.emulator) ctx.skip('domain/devices/emulator', `libvirt reads the capabilities of \`${written.text}\` on the host (and refuses the domain if it is not there); preview read those given, of \`${ctx.caps.emulator}\`.`)
      return
    }
    const emulator = ctx.caps.emulator ?? `/usr/bin/qemu-system-${arch(ctx)}`
    if (written) written.text = emulator
    else list.children.unshift(node('emulator', {}, [], emulator))
    ctx.explain('domain/devices/emulator', 'emulator-default', 'libvirt fills in the QEMU binary for the architecture.')
  },
}

/**
 * qemuDomainDefNumaAutoAdd (libvirt 11; 9.0 refuses such a domain): a domain with memory hot-plug and no guest NUMA,
 * parsed with an ABI update, gets one node holding the memory the memory devices do not and all the vCPUs
 * (qemuDomainDefNumaCPUsRectify), and each DIMM, NVDIMM or virtio-mem device goes on it — but
 * on s390's CCW machine. (libvirt 11.3's test pair memory-hotplug-ppc64-nonuma.)
 */
function numaAutoAdd(ctx: PreviewContext): void {
  if (isLibvirt9(ctx) || !ctx.options.abiUpdate) return
  const max = child(ctx.domain, 'maxMemory')
  const hotplug = max !== undefined && ((Number(max.attrs.slots ?? '0') || 0) > 0 || (toKiB(max) ?? 0) > 0)
  if (!hotplug || (isS390(ctx) && machineName(ctx).startsWith('s390-ccw')) || kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell').length > 0) return
  const total = child(ctx.domain, 'memory')
  let nodeMem = total ? toKiB(total) ?? 0 : 0
  for (const d of devices(ctx)) {
    if (d.name !== 'memory') continue
    const size = child(child(d, 'target'), 'size')
    const kib = size ? toKiB(size) ?? 0 : 0
    if (kib > nodeMem) throw new PreviewError('preview-invalid-value', 'Total size of memory devices exceeds the total memory size', { path: 'domain/devices/memory/target/size' })
    nodeMem -= kib
    if (d.attrs.model === 'dimm' || d.attrs.model === 'nvdimm' || d.attrs.model === 'virtio-mem') {
      const target = child(d, 'target')
      // (an empty <node> names none: virXPathInt)
      const named = child(target, 'node')
      if (target && named && (named.text ?? '') === '') named.text = '0'
      else if (target && !named) insertOrdered(target, node('node', {}, [], '0'), ['size', 'node', 'label', 'block', 'requested', 'current', 'address', 'readonly'])
    }
  }
  const cpu = ensure(ctx.domain, 'cpu', domainChildOrder)
  // (the CPU's children are put in libvirt's order when the domain is written: orderDomain)
  const numa = ensure(cpu, 'numa')
  const vcpus = Math.max(1, Number(textIn(child(ctx.domain, 'vcpu')) || '1') || 1)
  numa.children.push(node('cell', { id: '0', cpus: formatBitmap([[0, vcpus - 1]]), memory: String(nodeMem), unit: 'KiB' }))
  ctx.explain('domain/cpu/numa', 'numa-auto', 'Memory hot-plug needs a guest NUMA node: with an ABI update libvirt adds one, holding the memory the memory devices do not.')
}

const memoryRule: PreviewRule = {
  name: 'memory-kib',
  source: 'domain_conf.c virDomainParseMemory / virDomainDefPostParseMemory',
  apply(ctx) {
    for (const name of ['maxMemory', 'memory', 'currentMemory']) {
      const m = child(ctx.domain, name)
      if (!m) continue
      const kib = toKiB(m)
      if (kib === undefined) continue
      // (a maximum of 0 is no memory hot-plug: virDomainDefFormatInternal writes none — seen on libvirtd 9.0)
      if (name === 'maxMemory' && kib === 0) {
        ctx.domain.children = ctx.domain.children.filter((c) => c !== m)
        ctx.explain('domain/maxMemory', 'memory-kib', 'A maximum memory of 0 is none: libvirt writes no <maxMemory>.')
        continue
      }
      // (libvirt 11 writes no slot count of 0 — virDomainDefFormatInternal, `memory_slots > 0`; 9.0 refused one: libvirtd 11.3)
      if (name === 'maxMemory' && !isLibvirt9(ctx) && m.attrs.slots !== undefined && readCUnsigned(m.attrs.slots, 'uint') === 0n) {
        const { slots: _none, ...rest } = m.attrs
        m.attrs = rest
        ctx.explain('domain/maxMemory/@slots', 'memory-kib', 'libvirt 11 writes no memory slot count of 0.')
      }
      if (m.attrs.unit !== 'KiB' || m.text !== String(kib)) {
        m.attrs = { unit: 'KiB', ...Object.fromEntries(Object.entries(m.attrs).filter(([k]) => k !== 'unit')) }
        m.text = String(kib)
        ctx.explain(`domain/${name}`, 'memory-kib', 'libvirt stores memory sizes in KiB.')
      }
    }
    numaAutoAdd(ctx)
    // virDomainDefPostParseMemory: with an ABI update (virsh define) the initial memory is the sum of
    // the NUMA cells, and the total adds the memory devices' sizes
    const cells = kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell')
    const cellSum = cells.reduce((n, c) => n + (kibOf(c.attrs.memory, c.attrs.unit) ?? 0), 0)
    const total = child(ctx.domain, 'memory')
    if (ctx.options.abiUpdate && arch(ctx).startsWith('ppc64')) {
      for (const d of devices(ctx).filter((x) => x.name === 'memory')) {
        const size = child(child(d, 'target'), 'size')
        const kib = size ? toKiB(size) : undefined
        if (!size || kib === undefined) continue
        const labelNode = child(child(child(d, 'target'), 'label'), 'size')
        const label = d.attrs.model === 'nvdimm' && labelNode ? toKiB(labelNode) ?? 0 : 0
        // (an NVDIMM's guest area under 256 MiB was refused in the device post-parse row: qemuDomainNVDimmAlignSizePseries)
        const aligned = d.attrs.model === 'nvdimm' ? Math.floor((kib - label) / 262144) * 262144 + label : Math.ceil(kib / 262144) * 262144
        size.attrs = { unit: 'KiB' }; size.text = String(aligned)
      }
    }
    if (ctx.options.abiUpdate && cellSum > 0 && total) {
      const hotplug = devices(ctx).filter((d) => d.name === 'memory').reduce((n, d) => {
        const size = child(child(d, 'target'), 'size')
        return n + (size ? toKiB(size) ?? 0 : 0)
      }, 0)
      const kib = String(cellSum + hotplug)
      if (textIn(total) !== kib) {
        total.text = kib
        ctx.explain('domain/memory', 'memory-from-numa', 'With an ABI update libvirt sets the memory to the NUMA cells\' sum plus the memory devices.')
      }
    }
    // qemuDomainDefNumaCPUsRectify: vCPUs no cell names go to cell 0
    const vcpus = Number(textIn(child(ctx.domain, 'vcpu')) || '1')
    const cellCpus = cells.map((c) => (c.attrs.cpus === undefined ? undefined : readBitmap(c.attrs.cpus, `domain/cpu/numa/cell[${cells.indexOf(c) + 1}]/@cpus`)))
    const named = cellCpus.reduce((n, b) => n + (b ? bitmapSize(b) : 0), 0)
    // (more vCPUs named than the domain has, or higher ones, the parser refused: _refusals-domain.ts)
    const first = cells.find((c) => c.attrs.id === undefined || c.attrs.id === '0') ?? cells[0]
    if (first && named < vcpus) {
      let cpus: Bitmap = [[0, vcpus - 1]]
      cells.forEach((c, i) => { if (c !== first) for (const [a, b] of cellCpus[i] ?? []) cpus = bitmapWithout(cpus, a, b) })
      first.attrs.cpus = formatBitmap(cpus)
      ctx.explain("domain/cpu/numa/cell[@id='0']/@cpus", 'numa-cpus', 'libvirt gives the vCPUs no NUMA cell names to cell 0.')
    }
    const memory = child(ctx.domain, 'memory')
    const current = child(ctx.domain, 'currentMemory')
    if (memory && (!current || Number(textIn(current)) > Number(textIn(memory)) || textIn(current) === '0')) {
      const c = current ?? node('currentMemory')
      c.attrs = { unit: 'KiB' }
      c.text = textIn(memory)
      if (!current) insertOrdered(ctx.domain, c, domainChildOrder)
      ctx.explain('domain/currentMemory', 'memory-current', 'libvirt sets the balloon target to the full memory when it is missing or larger.')
    }
  },
}

/** The most vCPUs preview predicts for when the capabilities give the machine type no limit. */
const maxVcpusWithoutLimit = 16384

const vcpuLimitRule: PreviewRule = {
  name: 'vcpu-limit',
  source: 'qemu_validate.c qemuValidateDomainDef (virQEMUCapsGetMachineMaxCpus)',
  apply(ctx) {
    const text = child(ctx.domain, 'vcpu')?.text
    if (text === undefined) return
    const vcpus = Number(text)
    // (no vCPUs at all: the parse rows' — virDomainNumaGetMaxCPUID's 0 is not below 0)
    const limit = ctx.machine?.maxCpus
    if (limit !== undefined && vcpus > limit) {
      // (qemuValidateDomainVCpuTopology: a validation refusal, after the post-parse ones — an empty <memory> is reported
      // first, the odd-value search edit, seed 422 — and the QEMU driver's domain checks before its step: a validation
      // row, _refusals-domain.ts; a count past preview's own limit ends here)
      if (vcpus > maxVcpusWithoutLimit) {
        // (qemuDomainDefVcpusPostParse's refusals of a <vcpus> list come first: they ask nothing of the unlisted vCPUs)
        const listed = kids(child(ctx.domain, 'vcpus'), 'vcpu')
        if (listed.length > 0) vcpusListStates(listed, vcpus, true, isLibvirt9(ctx))
        throw validationError(new PreviewError('preview-refused', `Maximum CPUs greater than specified machine type limit ${limit}`, { path: 'domain/vcpu' }))
      }
      return
    }
    if (vcpus > maxVcpusWithoutLimit) throw new PreviewError('preview-limit', `${vcpus} vCPUs: preview predicts for at most ${maxVcpusWithoutLimit} when the capabilities give the machine no limit`, { path: 'domain/vcpu' })
  },
}

const vcpuRule: PreviewRule = {
  name: 'vcpu-placement',
  source: 'domain_conf.c virDomainVcpuParse',
  apply(ctx) {
    const vcpu = child(ctx.domain, 'vcpu')
    // virDomainVcpuPinDefParseXML: a pinning of a vCPU the domain does not have is dropped ("Ignoring vcpupin for
    // missing vcpus"; libvirtd 9.0)
    const cputune = child(ctx.domain, 'cputune')
    if (cputune) {
      const count = vcpu ? readCInteger(textIn(vcpu), 10) : { negative: false, magnitude: 1 }
      if (count && !count.negative) {
        const kept = cputune.children.filter((c) => { if (c.name !== 'vcpupin') return true; const id = readCInteger(c.attrs.vcpu ?? '', 10); return !id || id.negative || id.magnitude < count.magnitude })
        if (kept.length !== cputune.children.length) {
          cputune.children = kept
          // (an empty <cputune> is not written)
          if (kept.length === 0 && Object.keys(cputune.attrs).length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== cputune)
          ctx.explain('domain/cputune/vcpupin', 'vcpupin-missing-vcpu', 'A pinning of a vCPU the domain does not have is dropped.')
        }
      }
    }
    if (!vcpu) {
      // (automatic memory placement makes the vCPUs' automatic too, unless something pins them — the one vCPU, the
      // emulator or an I/O thread: virDomainDefParseXML; libvirtd 9.0)
      const placement = !vcpusPinned(ctx) && child(child(ctx.domain, 'numatune'), 'memory')?.attrs.placement === 'auto' ? 'auto' : 'static'
      const added = node('vcpu', { placement }, [], '1')
      insertOrdered(ctx.domain, added, domainChildOrder)
      ctx.explain('domain/vcpu', 'vcpu-default', 'libvirt gives a domain one vCPU when none is set.')
      // (a <vcpus> list is read against that one vCPU, and written back as any other: libvirtd 9.0)
      vcpusAsStored(ctx, added)
      return
    }
    if (vcpu.attrs.placement === undefined) {
      // automatic memory placement makes the vCPUs' automatic too, unless something pins them (seen on libvirtd 9.0;
      // the memory rule settles it once the memory tuning is read)
      const placement = !vcpusPinned(ctx) && child(child(ctx.domain, 'numatune'), 'memory')?.attrs.placement === 'auto' ? 'auto' : 'static'
      vcpu.attrs = { placement, ...vcpu.attrs }
      ctx.explain('domain/vcpu/@placement', 'vcpu-placement', `libvirt records the vCPU placement (\`${placement}\`).`)
    }
    // host CPU sets are kept as bitmaps and written back in their canonical form (virBitmapFormat: `3-5,^4` → `3,5`);
    // with automatic placement the vCPUs' own set is not read at all (the refusals checked that each reads)
    if (vcpu.attrs.cpuset !== undefined && vcpu.attrs.placement === 'auto') {
      delete vcpu.attrs.cpuset
      ctx.explain('domain/vcpu', 'vcpu-cpuset', 'With automatic placement libvirt ignores the vCPUs\' `cpuset`.')
    }
    const pins = kids(child(ctx.domain, 'cputune')).filter((c) => c.name === 'vcpupin' || c.name === 'emulatorpin' || c.name === 'iothreadpin')
    for (const e of [vcpu, ...pins]) {
      const raw = e.attrs.cpuset
      if (raw === undefined) continue
      const canonical = formatBitmap(readBitmap(raw, e === vcpu ? 'domain/vcpu/@cpuset' : `domain/cputune/${e.name}/@cpuset`, cpuMaskLength))
      if (canonical === raw) continue
      e.attrs.cpuset = canonical
      ctx.explain(e === vcpu ? 'domain/vcpu/@cpuset' : `domain/cputune/${e.name}/@cpuset`, 'cpuset-format', `libvirt keeps a CPU set as a bitmap and writes it back in its own form (\`${raw}\` → \`${canonical}\`).`)
    }
    // without a <vcpus> list the current count decides which vCPUs are online (virDomainDefSetVcpus), and the
    // formatter writes `current` only while some are offline (virDomainDefHasVcpusOffline): all of them is none
    if (!child(ctx.domain, 'vcpus') && vcpu.attrs.current !== undefined) {
      const current = readCInteger(vcpu.attrs.current, 10)
      const max = readCInteger(textIn(vcpu), 10)
      // (none online: vCPU 0 is offline, which qemuDomainDefVcpusPostParse refuses — libvirtd 9.0)
      if (current && current.magnitude === 0) throw new PreviewError('preview-refused', "vcpu 0 can't be offline", { path: 'domain/vcpu/@current' })
      if (current && max && !current.negative && current.magnitude === max.magnitude) {
        delete vcpu.attrs.current
        ctx.explain('domain/vcpu/@current', 'vcpu-current', 'Every vCPU is online: libvirt writes no current count.')
      }
    }
    vcpusAsStored(ctx, vcpu)
  },
}

/**
 * `<vcpus>`: each vCPU's state as libvirt keeps it (virDomainVcpuParse, qemuDomainDefVcpusPostParse,
 * virDomainVcpuDefPostParse, virDomainCpuDefFormat): the list decides which vCPUs are online (one not listed is
 * offline) and the domain's current count; vCPU 0 online, not hot-pluggable and first; an online vCPU's order set as
 * vCPU 0's is; a vCPU hot-pluggable unless online (and written so), one offline and not hot-pluggable refused; every
 * vCPU written, in ID order.
 */
function vcpusAsStored(ctx: PreviewContext, vcpu: N): void {
  const holder = child(ctx.domain, 'vcpus')
  if (!holder) return
  const listed = kids(holder, 'vcpu')
  if (listed.length === 0) { ctx.domain.children = ctx.domain.children.filter((c) => c !== holder); return }
  const max = readCInteger(textIn(vcpu), 10)?.magnitude ?? 1
  const states = vcpusListStates(listed, max, true, isLibvirt9(ctx))
  if (max > maxIothreadIds) throw new PreviewError('preview-limit', `<vcpus> for ${max} vCPUs is more than preview's limit of ${maxIothreadIds}`, { path: 'domain/vcpus' })
  const online: boolean[] = Array.from({ length: max }, (_, i) => states.get(i)?.online ?? false)
  const order: number[] = Array.from({ length: max }, (_, i) => states.get(i)?.order ?? 0)
  const hotpluggable: string[] = Array.from({ length: max }, (_, i) => states.get(i)?.hotpluggable ?? (online[i] ? 'no' : 'yes'))
  // (the order is kept as an unsigned int and written with %d: one above 2^31 - 1 comes back negative)
  holder.children = online.map((on, i) => node('vcpu', { id: String(i), enabled: on ? 'yes' : 'no', hotpluggable: hotpluggable[i]!, ...(order[i] ? { order: String(order[i]! | 0) } : {}) }))
  const current = online.filter(Boolean).length
  const { current: _written, ...rest } = vcpu.attrs
  vcpu.attrs = current < max ? { ...rest, current: String(current) } : rest
  ctx.explain('domain/vcpus', 'vcpus-states', 'libvirt keeps each vCPU\'s state: the listed ones decide which are online and the current count; every vCPU is written with whether it is hot-pluggable.')
}

/** The most I/O thread IDs preview writes out (libvirt numbers every one the count asks for). */
const maxIothreadIds = 16384

const iothreadsRule: PreviewRule = {
  name: 'iothread-ids',
  source: 'domain_conf.c virDomainDefParseIOThreads, virDomainIOThreadIDDefArrayInit',
  apply(ctx) {
    const count = child(ctx.domain, 'iothreads')
    const list = child(ctx.domain, 'iothreadids')
    const ids = kids(list, 'iothread')
    const wanted = count ? Number(count.text ?? '0') : 0
    // (no I/O threads: the formatter writes `<iothreads>` only when there are some — `<iothreads>0</iothreads>` is stored as
    // none, libvirtd 9.0)
    if (count && wanted === 0 && ids.length === 0) {
      ctx.domain.children = ctx.domain.children.filter((c) => c !== count)
      ctx.explain('domain/iothreads', 'iothread-ids', 'No I/O threads: libvirt writes no <iothreads>.')
      return
    }
    // more IDs than the count: the count grows to them
    if (ids.length > wanted) {
      if (count) count.text = String(ids.length)
      else insertOrdered(ctx.domain, node('iothreads', {}, [], String(ids.length)), domainChildOrder)
      return
    }
    // fewer: the missing ones take the lowest free IDs 1…count, after those given; when none was given
    // all are generated and not written back
    if (!list || ids.length === 0 || ids.length === wanted) return
    if (wanted > maxIothreadIds) {
      throw new PreviewError('preview-limit', `<iothreads>${wanted}</iothreads> with I/O thread IDs: libvirt would number ${wanted - ids.length} more, beyond preview's limit of ${maxIothreadIds}`, { path: 'domain/iothreads' })
    }
    const taken = new Set(ids.map((i) => Number(i.attrs.id)))
    let listed = ids.length
    for (let id = 1; id <= wanted && listed < wanted; id++) {
      if (taken.has(id)) continue
      list.children.push(node('iothread', { id: String(id) }))
      listed++
      ctx.explain(`domain/iothreadids/iothread[@id='${id}']`, 'iothread-ids', 'libvirt numbers the I/O threads the count asks for beyond the IDs given.')
    }
  },
}

// ---- QEMU post-parse (qemu_postparse.c) ------------------------------------------------------------

/** The arches libvirt has a CPU driver for (virCPUArchIsSupported: src/cpu/cpu_*.c); 9.0 had no RISC-V or LoongArch one. */
const cpuDriverArchs: readonly string[] = ['i686', 'x86_64', 'ppc64', 'ppc64le', 's390', 's390x', 'armv6l', 'armv7b', 'armv7l', 'aarch64', 'riscv64', 'loongarch64']
const cpuDriverArchs9: readonly string[] = cpuDriverArchs.filter((a) => a !== 'riscv64' && a !== 'loongarch64')

const cpuDefaultRule: PreviewRule = {
  name: 'cpu-default-model',
  source: 'qemu_postparse.c qemuDomainDefSetDefaultCPU',
  apply(ctx) {
    const cpu = child(ctx.domain, 'cpu')
    const mode = cpu?.attrs.mode ?? 'custom'
    // (a custom CPU's model of no name is none to virCPUDefParseXML — `string(./model[1])` — and its fallback goes with it:
    // the machine's default model is written, as for a CPU without one; seen on libvirtd 9.0, the odd-value search edit)
    const named = cpu && mode === 'custom' ? child(cpu, 'model') : undefined
    if (named && (named.text ?? '') === '' && named.attrs.vendor_id === undefined) cpu!.children = cpu!.children.filter((c) => c !== named)
    // (a nameless model that carries a vendor_id is no model either: the default one is written with that vendor_id,
    // `<model fallback='forbid' vendor_id='GenuineIntel'>qemu64</model>` — seen on libvirtd 9.0)
    const nameless = named && (named.text ?? '') === '' && named.attrs.vendor_id !== undefined ? named : undefined
    if (cpu && (mode !== 'custom' || (child(cpu, 'model') && !nameless))) return
    const a = arch(ctx)
    if (!(isLibvirt9(ctx) ? cpuDriverArchs9 : cpuDriverArchs).includes(a)) return
    // (QEMU's default CPU is usable for TCG only, but on x86, s390 and ppc64: a `kvm` or `hvf` domain elsewhere gets none)
    if (!isX86(ctx) && !isS390(ctx) && !a.startsWith('ppc64') && (ctx.domain.attrs.type ?? 'qemu') !== 'qemu') return
    const typename = ctx.machine?.defaultCPU
    if (!typename) return
    const list = ctx.caps.cpuModels[virtType(ctx)].length > 0 ? ctx.caps.cpuModels[virtType(ctx)] : ctx.caps.cpuModels[virtType(ctx) === 'kvm' ? 'tcg' : 'kvm']
    // (virQEMUCapsGetMachineDefaultCPU: the model whose QEMU type is the machine's default — none found, no default model,
    // as for ppce500's e500v2_v30, listed without its type; caps listing no models at all are read by the type's name)
    const found = list.find((c) => c.typename === typename)?.name
    if (found === undefined && list.length > 0) return
    const model = found ?? typename.replace(/-[a-z0-9_]+-cpu$/, '')
    const c = cpu ?? node('cpu')
    if (!cpu) insertOrdered(ctx.domain, c, domainChildOrder)
    if (model === 'host') {
      // s390 prefers host-model where QEMU can expand it (libvirt's tests' hosts can) — not on a KVM domain of a machine
      // type QEMU's KVM takes no CPU model on (model's s390HostPassthroughOnlyMachines; libvirt 9.0's test
      // s390-default-cpu-kvm-ccw-virtio-2.7)
      if (isS390(ctx) && !(virtType(ctx) === 'kvm' && s390HostPassthroughOnlyMachines.includes(machineName(ctx)))) c.attrs = { mode: 'host-model', ...c.attrs, check: c.attrs.check ?? 'partial' }
      else c.attrs = { mode: 'host-passthrough', ...c.attrs, check: c.attrs.check ?? 'none' }
    } else {
      const rest = Object.fromEntries(Object.entries(c.attrs).filter(([k]) => !['mode', 'match', 'check'].includes(k)))
      c.attrs = { mode: 'custom', match: 'exact', check: 'none', ...rest }
      if (nameless) { nameless.attrs = { fallback: 'forbid', vendor_id: nameless.attrs.vendor_id! }; nameless.text = model }
      else c.children.unshift(node('model', { fallback: 'forbid' }, [], model))
    }
    ctx.explain('domain/cpu', 'cpu-default-model', `libvirt writes the machine type's default CPU model (\`${model}\`) so it stays the same when QEMU's default changes.`)
  },
}

const cpuCheckRule: PreviewRule = {
  name: 'cpu-check',
  source: 'qemu_postparse.c qemuDomainDefCPUPostParse',
  apply(ctx) {
    const cpu = child(ctx.domain, 'cpu')
    if (!cpu) return
    const mode = cpu.attrs.mode ?? 'custom'
    // (emulated address bits are held to the host CPU's, which only the host knows: qemuValidateDomainDefCpu)
    if (ctx.options.hostCpuAddressBits === undefined && ctx.options.testHost === undefined && child(cpu, 'maxphysaddr')?.attrs.mode === 'emulate') ctx.skip('domain/cpu/maxphysaddr', 'libvirt holds emulated physical address bits to the host CPU\'s: give `hostCpuAddressBits` (`virsh capabilities`, <host><cpu><maxphysaddr bits>) — predicted as fitting.')
    if (mode === 'host-passthrough' && cpu.attrs.migratable === undefined) {
      cpu.attrs.migratable = has(ctx, 'cpu.migratable') ? 'on' : isX86(ctx) ? 'off' : cpu.attrs.migratable ?? ''
      if (cpu.attrs.migratable === '') delete cpu.attrs.migratable
      else ctx.explain('domain/cpu/@migratable', 'cpu-migratable', 'libvirt records whether a host-passthrough CPU is migratable.')
    }
    // a match is the custom mode's alone: libvirt drops it from the others (libvirtd 9.0)
    if (mode !== 'custom' && cpu.attrs.match !== undefined) delete cpu.attrs.match
    if (mode === 'custom' && !child(cpu, 'model')) {
      // a custom CPU left without a model (no default one for the arch — riscv64 in 9.0 —, or a KVM domain off x86, s390
      // and ppc64): a check other than the default refused by virDomainDefPostParseCPU, the last step of the generic
      // post-parse; else the formatter writes none of its attributes, and no <cpu> at all with nothing in it (libvirtd 9.0)
      if (cpu.attrs.check !== undefined && cpu.attrs.check !== 'default') throw implicitScsiControllerRefusal(ctx) ?? new PreviewError('preview-refused', 'check attribute specified for CPU with no model', { path: 'domain/cpu/@check' })
      const { mode: _mode, match: _match, check: _check, ...rest } = cpu.attrs
      cpu.attrs = rest
      if (cpu.children.length === 0 && (cpu.text ?? '').trim() === '') ctx.domain.children = ctx.domain.children.filter((c) => c !== cpu)
      return
    }
    // (virCPUDefFormatBufFull: a guest CPU with a model writes its mode, and a custom one its match, whatever its check)
    if (mode === 'custom' && (cpu.attrs.mode === undefined || cpu.attrs.match === undefined)) {
      const { mode: _m, match, ...rest } = cpu.attrs
      cpu.attrs = { mode: 'custom', match: match ?? 'exact', ...rest }
    }
    if (cpu.attrs.check !== undefined) return
    const check = mode === 'host-passthrough' || mode === 'maximum' ? 'none' : mode === 'host-model' ? 'partial' : (ctx.domain.attrs.type ?? 'qemu') === 'qemu' ? 'none' : 'partial'
    cpu.attrs.check = check
    ctx.explain('domain/cpu/@check', 'cpu-check', `libvirt sets how strictly the CPU is checked (\`${check}\`).`)
  },
}

function hasI8042(ctx: PreviewContext): boolean {
  // virQEMUCapsSupportsI8042 (11.3: supportsI8042); libvirt 9.0 gives every x86 machine its PS/2 mouse and keyboard,
  // microvm too (qemuDomainDefAddImplicitInputDevice; seen on libvirtd 9.0)
  return isLibvirt9(ctx) ? isX86(ctx) : supportsI8042(ctx)
}

/**
 * Whether an input of this type is on this bus (virDomainDefMaybeAddInput, when post-parse adds the implicit ones): in 9.0
 * an input written without a bus has its default by then, in 11.3 not yet — the bus as written.
 */
function hasInput(ctx: PreviewContext, type: string, bus: string): boolean {
  return devices(ctx).some((d) => d.name === 'input' && d.attrs.type === type && d.attrs.bus === bus)
}

/**
 * An input's default bus where none is written: libvirt 9.0's parser gives it (virDomainInputDefParseXML); 11.3 gives it in
 * the device post-parse (virDomainInputDefPostParse), after the QEMU driver's post-parse has added the implicit inputs —
 * which then see a written `<input type='mouse'/>` as no PS/2 mouse and add one beside it (libvirtd 11.3).
 */
const inputBusRule: PreviewRule = {
  name: 'input-bus',
  source: 'domain_conf.c virDomainInputDefParseXML',
  apply(ctx) {
    if (isLibvirt9(ctx)) setDefaultInputBuses(ctx)
  },
}

const inputBusPostParseRule: PreviewRule = {
  name: 'input-bus-post-parse',
  source: 'domain_postparse.c virDomainInputDefPostParse',
  apply(ctx) {
    if (!isLibvirt9(ctx)) setDefaultInputBuses(ctx)
  },
}

function setDefaultInputBuses(ctx: PreviewContext): void {
  for (const d of devices(ctx)) {
    if (d.name !== 'input' || d.attrs.bus !== undefined) continue
    const bus = defaultInputBus(ctx, d)
    // (none is kept while the rules run, and not written: inputBusNoneRule; the formatter writes the bus before the
    // model — `<input type='mouse' bus='virtio' model='virtio'>`, probe h49-im-mouse-nobus-virtio-s390, libvirtd 9.0)
    const { type, ...rest } = d.attrs
    d.attrs = type === undefined ? { bus, ...rest } : { type, bus, ...rest }
    if (bus === 'none') continue
    ctx.explain(`domain/devices/input[@type='${d.attrs.type}']/@bus`, 'input-bus', `libvirt picks the default bus \`${bus}\` for the input device.`)
  }
}

function graphicsTypes(ctx: PreviewContext): string[] {
  return devices(ctx).filter((d) => d.name === 'graphics').map((d) => d.attrs.type ?? '')
}

function controllers(ctx: PreviewContext, type?: string): N[] {
  return devices(ctx).filter((d) => d.name === 'controller' && (type === undefined || d.attrs.type === type))
}

function findController(ctx: PreviewContext, type: string, index: number): N | undefined {
  for (const c of devices(ctx)) if (c.name === 'controller' && c.attrs.type === type && Number(c.attrs.index ?? '0') === index) return c
  return undefined
}

/**
 * The USB controller model libvirt picks: for the controller it adds itself (`autoAdded`), and for one
 * written without a model (qemuDomainDefaultUSBControllerModel…; read off libvirt 11.3's test outputs where
 * its source moved on since).
 */
function defaultUsbModel(ctx: PreviewContext, autoAdded: boolean): string | undefined {
  const a = arch(ctx)
  const xhci = (): string | undefined => (has(ctx, 'qemu-xhci') ? 'qemu-xhci' : has(ctx, 'nec-usb-xhci') ? 'nec-xhci' : undefined)
  // ppc64: xHCI only where the ABI may change (abiUpdate), the controller libvirt adds too (libvirtd 9.0 on pSeries,
  // libvirt 11.3's g3beige abi-update output); else PCI OHCI, so an existing guest keeps its controller
  if (a.startsWith('ppc64')) return ctx.options.abiUpdate ? xhci() ?? (has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined) : has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined
  if (isX86(ctx)) {
    if (isQ35(ctx) && autoAdded) return xhci() ?? (has(ctx, 'ich9-usb-ehci1') ? 'ich9-ehci1' : undefined)
    return has(ctx, 'piix3-usb-uhci') ? 'piix3-uhci' : undefined
  }
  // (qemuDomainDefaultUSBControllerModel, 11.3: RISC-V virt takes the generic choice; a 32-bit ARM virt's written
  // controller too — xHCI is aarch64's and LoongArch's alone, in 9.0's qemuDomainControllerDefPostParse and 11.3's:
  // probe h26-t7-h5-a1, armv7l virt, libvirtd 9.0)
  if ((isArmVirt(ctx) && (a === 'aarch64' || autoAdded)) || isLoongVirt(ctx)) return xhci()
  if (a === 'aarch64') return autoAdded ? (has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined) : xhci()
  if (a === 'armv7l' || a === 'armv6l') return autoAdded ? (has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined) : has(ctx, 'piix3-usb-uhci') ? 'piix3-uhci' : has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined
  return has(ctx, 'piix3-usb-uhci') ? 'piix3-uhci' : has(ctx, 'pci-ohci') ? 'pci-ohci' : undefined
}

/** What qemuDomainDefAddDefaultDevices adds for the domain's arch and machine (each only when missing). */
interface ImplicitDevices { usb: boolean; sata: boolean; pciRoot: boolean; pcieRoot: boolean; balloon: boolean; itco: boolean; panic: boolean; usbKbd: boolean; usbMouse: boolean }

function implicitDevicesOf(ctx: PreviewContext): ImplicitDevices {
  const a = arch(ctx)
  const m = machineName(ctx)
  const libvirt9 = isLibvirt9(ctx)
  const out: ImplicitDevices = { usb: false, sata: false, pciRoot: false, pcieRoot: false, balloon: false, itco: false, panic: false, usbKbd: false, usbMouse: false }
  if (isX86(ctx)) {
    // every x86 machine gets a balloon and all but isapc a USB controller: isapc and microvm have no PCI bus for them,
    // so libvirt refuses them unless told `none` ("No PCI buses available", libvirtd 9.0; 11.3's post-parse alike)
    out.balloon = true
    out.usb = m !== 'isapc'
    if (m !== 'isapc' && m !== 'microvm') {
      // libvirt 9.0 did not list q35's built-in iTCO watchdog yet
      if (isQ35(ctx)) { out.pcieRoot = out.sata = true; out.itco = !isLibvirt9(ctx) }
      if (isI440fx(ctx)) out.pciRoot = true
    }
  } else if (libvirt9 && (a === 'aarch64' || a === 'armv7l' || a === 'armv6l')) {
    // libvirt 9.0: no USB controller or balloon on ARM; a PCI root on armv6l's versatilepb, a PCIe root on ARM virt
    // where QEMU has the generic host bridge (seen on libvirtd 9.0: armv7l and aarch64 versatilepb get neither)
    if (a === 'armv6l') out.pciRoot = m === 'versatilepb'
    else if (isArmVirt(ctx)) out.pcieRoot = has(ctx, 'gpex-pcihost')
  } else if (a === 'aarch64' || a === 'armv7l' || a === 'armv6l' || a === 'armv7b') {
    // (a PCI root on versatilepb only: realview's USB controller stays without one — seen on libvirtd 11.3, Debian trixie)
    if (m === 'versatilepb' || m.startsWith('realview')) { out.pciRoot = m === 'versatilepb'; out.usb = true }
    if (isArmVirt(ctx)) out.pcieRoot = true
  } else if (a === 'ppc64' || a === 'ppc64le') {
    out.pciRoot = out.usb = out.usbKbd = out.usbMouse = out.balloon = true
    out.panic = isPSeries(ctx)
  } else if (a === 'ppc' || a === 'ppcemb' || a === 'alpha' || a === 'sh4' || a === 'sh4eb' || a === 'sparc64') {
    // (big-endian SH-4 and PPC embedded with their siblings: a PCI root, USB and a balloon — probe h33-sh4eb-r2d-*, libvirtd 9.0)
    out.usb = out.balloon = out.pciRoot = true
  } else if (a === 'riscv64' || a === 'riscv32') {
    // (a balloon on every RISC-V machine; 9.0 a PCIe root only where QEMU has the generic host bridge)
    out.balloon = true
    if (isRiscvVirt(ctx)) out.pcieRoot = !libvirt9 || has(ctx, 'gpex-pcihost')
  } else if (a === 's390x' || a === 's390') {
    out.balloon = out.panic = true
    out.pciRoot = has(ctx, 'zpci')
  } else if (a === 'mips' || a === 'mipsel' || a === 'mips64' || a === 'mips64el') {
    out.usb = out.balloon = true
    out.pciRoot = m.startsWith('malta')
  } else if (a === 'loongarch64') {
    out.pcieRoot = true
  } else if (libvirt9 && a !== 'sparc') {
    // libvirt 9.0 started from "a USB controller and a balloon" and only named the arches that differ: the rest
    // (m68k, MicroBlaze, Xtensa, OpenRISC, PA-RISC…) get both — which on machines without PCI it then refuses
    // ("No PCI buses available", seen on libvirtd 9.0 with m68k q800, Xtensa sim and MicroBlaze)
    out.usb = out.balloon = true
  }
  return out
}

const defaultDevicesRule: PreviewRule = {
  name: 'default-devices',
  source: 'qemu_postparse.c qemuDomainDefAddDefaultDevices',
  apply(ctx) {
    // implicit ps2 input
    const features = child(ctx.domain, 'features')
    // (the last <ps2>'s state: each one read sets it)
    const ps2Off = kids(features, 'ps2').at(-1)?.attrs.state === 'off'
    if (hasI8042(ctx) && !ps2Off) {
      for (const type of ['mouse', 'keyboard']) {
        if (hasInput(ctx, type, 'ps2')) continue
        addDevice(ctx, node('input', { type, bus: 'ps2' }))
        ctx.explain(`domain/devices/input[@type='${type}']`, 'input-ps2', 'The machine has an i8042 controller: libvirt lists its PS/2 mouse and keyboard.')
      }
    }
    const implicit = implicitDevicesOf(ctx)
    const { usb: addUsb, sata: addSata, pciRoot: addPciRoot, pcieRoot: addPcieRoot, balloon: addBalloon, itco: addItco, panic: addPanic, usbKbd: addUsbKbd } = implicit
    if (addUsb && !findController(ctx, 'usb', 0)) {
      const model = defaultUsbModel(ctx, true)
      if (model) {
        insertController(devicesNode(ctx), node('controller', { type: 'usb', index: '0', model }), isLibvirt9(ctx))
        ctx.explain("domain/devices/controller[@type='usb']", 'usb-default', `libvirt adds the machine's default USB controller (\`${model}\`).`)
      } else if (isLibvirt9(ctx) && !isQ35(ctx)) {
        // libvirt 9.0 adds it even when QEMU has no PIIX3 UHCI to make it of: a controller of the default model
        // (QEMU's legacy -usb), which wants a PCI slot — on m68k, MicroBlaze and CRIS, "No PCI buses available"
        // (probes h33-x-*-nobal, libvirtd 9.0)
        insertController(devicesNode(ctx), node('controller', { type: 'usb', index: '0' }), true)
        ctx.explain("domain/devices/controller[@type='usb']", 'usb-default', "libvirt adds a USB controller of QEMU's default model.")
      }
    }
    if (addSata && !findController(ctx, 'sata', 0)) {
      insertController(devicesNode(ctx), node('controller', { type: 'sata', index: '0' }), isLibvirt9(ctx))
      ctx.explain("domain/devices/controller[@type='sata']", 'sata-implicit', 'q35 always has an AHCI controller at 00:1f.2.')
    }
    if ((addPciRoot || addPcieRoot) && !findController(ctx, 'pci', 0)) {
      const model = addPcieRoot ? 'pcie-root' : 'pci-root'
      insertController(devicesNode(ctx), node('controller', { type: 'pci', index: '0', model }), isLibvirt9(ctx))
      ctx.explain("domain/devices/controller[@type='pci'][@index='0']", 'pci-root', `libvirt adds the machine's root bus (\`${model}\`).`)
    }
    if (addBalloon && !devices(ctx).some((d) => d.name === 'memballoon')) {
      addDevice(ctx, node('memballoon', { model: 'virtio' }))
      ctx.explain('domain/devices/memballoon', 'memballoon-default', 'libvirt adds a virtio memory balloon unless one (or `none`) is given.')
    }
    const hasGraphics = graphicsTypes(ctx).length > 0
    // (a USB tablet is the pointer: no USB mouse beside it)
    const addUsbMouse = implicit.usbMouse && !devices(ctx).some((d) => d.name === 'input' && d.attrs.type === 'tablet' && d.attrs.bus === 'usb')
    if (addUsbKbd && hasGraphics && !hasInput(ctx, 'keyboard', 'usb')) addDevice(ctx, node('input', { type: 'keyboard', bus: 'usb' }))
    if (addUsbMouse && hasGraphics && !hasInput(ctx, 'mouse', 'usb')) addDevice(ctx, node('input', { type: 'mouse', bus: 'usb' }))
    if (addPanic) {
      const model = isPSeries(ctx) ? 'pseries' : 's390'
      if (!devices(ctx).some((d) => d.name === 'panic' && panicModelOf(ctx, d) === model)) {
        addDevice(ctx, node('panic', { model }))
        ctx.explain('domain/devices/panic', 'panic-default', `The firmware provides a panic notifier: libvirt lists it (\`${model}\`).`)
      }
    }
    if (addItco) {
      const watchdogs = devices(ctx).filter((d) => d.name === 'watchdog')
      if (!watchdogs.some((w) => w.attrs.model === 'itco')) {
        addDevice(ctx, node('watchdog', { model: 'itco', action: watchdogs[0]?.attrs.action ?? 'reset' }))
        ctx.explain("domain/devices/watchdog[@model='itco']", 'watchdog-itco', 'q35 always has the ICH9 TCO watchdog: libvirt lists it.')
      }
    }
    // qemuDomainDefAddDefaultAudioBackend: host audio only where qemu.conf allows it (nographics_allow_host_audio,
    // vnc_allow_host_audio), with the backend libvirtd's QEMU_AUDIO_DRV names (qemuxmlconftest's audio-default-*)
    if (!devices(ctx).some((d) => d.name === 'audio')) {
      const conf = ctx.options.qemuConf
      const { add, backend, passthrough } = suggestedAudioBackend(ctx)
      let type: string | undefined = add ? backend : undefined
      if (passthrough === 'host') {
        type = conf?.audioDriver
        if (type === undefined) ctx.skip('domain/devices/audio', 'qemu.conf lets this domain use the host\'s audio: its backend is libvirtd\'s QEMU_AUDIO_DRV (give `audioDriver`).')
      } else if (passthrough === 'sdl') {
        // SDL graphics always pass the host's audio through: the backend is libvirtd's QEMU_AUDIO_DRV, and a libvirtd
        // started without it adds no audio backend at all
        type = conf?.audioDriver
        if (type === undefined) ctx.explain('domain/devices/audio', 'audio-sdl-none', 'SDL graphics use the host\'s audio as libvirtd\'s QEMU_AUDIO_DRV names it: without that variable libvirt adds no audio backend.')
      }
      // QEMU calls PulseAudio `pa`; libvirt maps it to its own name
      if (type === 'pa') type = 'pulseaudio'
      if (type !== undefined) {
        // an SDL backend takes libvirtd's SDL_AUDIODRIVER as its driver
        const sdlDriver = type === 'sdl' ? conf?.sdlAudioDriver : undefined
        addDevice(ctx, node('audio', sdlDriver === undefined ? { id: '1', type } : { id: '1', type, driver: sdlDriver }))
        ctx.explain('domain/devices/audio', 'audio-default', `libvirt adds an audio backend (\`${type}\`): the last VNC, SPICE or SDL display decides it.`)
      }
    }
  },
}

/** The first port of the EHCI controller's each ICH9 UHCI companion takes (their `<master startport>`). */
const uhciStartPorts: ReadonlyMap<string, string> = new Map([['ich9-uhci1', '0'], ['ich9-uhci2', '2'], ['ich9-uhci3', '4']])

/** QEMU_USB_XHCI_MAXPORTS: the ports an xHCI controller (qemu-xhci, nec-xhci) has at most. */
const usbXhciMaxPorts = 15

const controllerModelRule: PreviewRule = {
  name: 'controller-model',
  source: 'qemu_postparse.c qemuDomainControllerDefPostParse',
  apply(ctx) {
    // (virDomainAssignControllerIndexes numbers them before any model is picked)
    const all = controllers(ctx)
    const { indexes, renumberedUsb2 } = all.some((c) => c.attrs.index === undefined) ? controllerIndexes(all) : { indexes: undefined, renumberedUsb2: false }
    for (const c of all) {
      if (c.attrs.index === undefined) c.attrs = { type: c.attrs.type ?? '', index: String(indexes!.get(c)), ...c.attrs }
      if (c.attrs.type === 'usb' && c.attrs.model === undefined) {
        // s390 has no USB: a controller without a model or an address gets model 'none'
        const model = isS390(ctx) && !child(c, 'address') ? 'none' : defaultUsbModel(ctx, false)
        if (model) { c.attrs.model = model; ctx.explain(`domain/devices/controller[@type='usb'][@index='${c.attrs.index ?? '0'}']/@model`, 'usb-model', `libvirt picks the USB controller model \`${model}\`.`) }
      }
      // (Parallels' USB controllers are not QEMU's: refused here, before any address — the domain's virt type in the words)
      if (c.attrs.type === 'usb' && (c.attrs.model === 'qusb1' || c.attrs.model === 'qusb2')) {
        throw new PreviewError('preview-refused', `USB controller model type 'qusb1' or 'qusb2' is not supported in ${ctx.domain.attrs.type ?? ''}`, { path: `domain/devices/controller[@type='usb'][@index='${c.attrs.index ?? '0'}']/@model` })
      }
      // (then an xHCI controller's ports, at most 15: the model post-parse just picked counts — a controller without one
      // off x86 is a qemu-xhci; probes h9-371, h9-372)
      const ports = c.attrs.type === 'usb' && (c.attrs.model === 'qemu-xhci' || c.attrs.model === 'nec-xhci') ? readInteger(c, 'ports') : undefined
      if (ports !== undefined && ports > usbXhciMaxPorts) {
        throw new PreviewError('preview-refused', `'${c.attrs.model}' controller only supports up to '${usbXhciMaxPorts}' ports`, { path: `domain/devices/controller[@type='usb'][@index='${c.attrs.index ?? '0'}']/@ports` })
      }
      if (c.attrs.type === 'scsi' && (c.attrs.model === undefined || c.attrs.model === 'auto')) {
        const model = scsiModelFromCaps(ctx)
        if (model === undefined) throw new PreviewError('preview-refused', `Unable to determine model for SCSI controller idx=${c.attrs.index ?? '0'}`, { path: `domain/devices/controller[@type='scsi'][@index='${c.attrs.index ?? '0'}']` })
        c.attrs.model = model
        ctx.explain(`domain/devices/controller[@type='scsi']/@model`, 'scsi-model', `libvirt picks the SCSI controller model \`${model}\`.`)
      }
      // ICH9 UHCI companions share an EHCI controller's ports: 0, 2 and 4 (given whatever controllers the domain
      // has: libvirtd 9.0 writes the master port beside an EHCI of another index or a PIIX3 UHCI too)
      const startport = c.attrs.type === 'usb' ? uhciStartPorts.get(c.attrs.model ?? '') : undefined
      if (c.attrs.type === 'usb' && startport !== undefined && !child(c, 'master')) c.children.push(node('master', { startport }))
    }
    // virDomainAssignControllerIndexes (libvirt 11): once an ICH9 USB2 controller got its index there, every
    // controller is inserted again in order, so an EHCI goes before the companions of its index
    if (renumberedUsb2 && !isLibvirt9(ctx)) {
      const list = devicesNode(ctx)
      const holder: N = { ...list, children: [] }
      for (const c of list.children) if (c.name === 'controller') insertController(holder, c)
      let k = 0
      list.children = list.children.map((d) => (d.name === 'controller' ? holder.children[k++]! : d))
    }
  },
}


/** The numbers a disk's `<geometry>` is written back with only when all are above 0. */
const geometryNumbers: readonly string[] = writtenWhenAllPositive.get('devices/disk/geometry')!

const diskRule: PreviewRule = {
  name: 'disk-defaults',
  source: 'domain_postparse.c virDomainDiskDefPostParse; qemu_postparse.c qemuDomainDeviceDiskDefPostParse',
  apply(ctx) {
    for (const d of devices(ctx)) {
      if (d.name !== 'disk') continue
      // (a geometry is written back only with all of its cylinders, heads and sectors: model's writtenWhenAllPositive)
      const geometry = child(d, 'geometry')
      if (geometry && !geometryNumbers.every((n) => (readCInteger(geometry.attrs[n] ?? '', 10)?.magnitude ?? 0) > 0)) d.children = d.children.filter((c) => c !== geometry)
      const target = child(d, 'target')
      const dev = target?.attrs.dev ?? ''
      if (target && target.attrs.bus === undefined) {
        // virDomainDiskDefPostParse: the bus the target name implies (model's busFromTarget, the one home).
        const bus = busFromTarget(dev, d.attrs.device)
        if (bus) { target.attrs.bus = bus; ctx.explain(`domain/devices/disk[target/@dev='${dev}']/target/@bus`, 'disk-bus', `libvirt derives the bus \`${bus}\` from the target name.`) }
      }
      let driver = child(d, 'driver')
      if (d.attrs.type === 'volume') {
        if (!driver) d.children.unshift(node('driver', { name: 'qemu' }))
        else if (driver.attrs.name === undefined) driver.attrs = { name: 'qemu', ...driver.attrs }
        continue
      }
      const hasSource = child(d, 'source') !== undefined
      if (!driver) {
        driver = node('driver', { name: 'qemu', type: 'raw' })
        d.children.unshift(driver)
        ctx.explain(`domain/devices/disk[target/@dev='${dev}']/driver`, 'disk-driver', 'libvirt sets the QEMU driver and the raw format when none is given.')
      } else {
        if (driver.attrs.name === undefined) driver.attrs = { name: 'qemu', ...driver.attrs }
        if (driver.attrs.type === undefined) {
          const { name, ...rest } = driver.attrs
          driver.attrs = { name: name ?? 'qemu', type: 'raw', ...rest }
        }
      }
      void hasSource
      if (target?.attrs.bus === 'usb' && target.attrs.model === undefined && d.attrs.model === undefined) {
        const cdrom = d.attrs.device === 'cdrom'
        // usb-storage is the default and is not written back; only an ABI-update cdrom becomes usb-bot
        if (cdrom && ctx.options.abiUpdate && has(ctx, 'usb-bot')) d.attrs.model = 'usb-bot'
      }
    }
  },
}


/** virDiskNameToIndex: `hda` → 0, `sdb` → 1, `vdaa` → 26. */
/** A disk target's index (`vda` 0, `vdaa` 26), -1 when it is not a disk name: model's `parseDiskName` (libvirt's virDiskNameToIndex). */
export function diskNameIndex(dev: string): number {
  return parseDiskName(dev)?.index ?? -1
}

const diskOrderRule: PreviewRule = {
  name: 'disk-order',
  source: 'domain_conf.c virDomainDiskInsert',
  apply(ctx) {
    const list = devicesNode(ctx)
    const disks = list.children.filter((d) => d.name === 'disk')
    if (disks.length < 2) return
    // each disk's bus and name index read once (the insertion below compares every pair, as libvirt does); the bus
    // as written — the parser inserts before post-parse reads a bus from the name (libvirtd 9.0 keeps vda, hda, vdb
    // written without buses in that order)
    const keys = new Map<N, { bus: string; index: number }>()
    for (const d of disks) { const target = child(d, 'target'); keys.set(d, { bus: target?.attrs.bus ?? '', index: diskNameIndex(target?.attrs.dev ?? '') }) }
    const sorted: N[] = []
    for (const disk of disks) {
      const key = keys.get(disk)!
      let insertAt = -1
      for (let i = sorted.length - 1; i >= 0; i--) {
        const cur = keys.get(sorted[i]!)!
        if (cur.bus !== key.bus) continue
        if (cur.index > key.index) insertAt = i
        else if (insertAt === -1) insertAt = i + 1
      }
      if (insertAt === -1) sorted.push(disk)
      else sorted.splice(insertAt, 0, disk)
    }
    if (sorted.every((d, i) => d === disks[i])) return
    let k = 0
    list.children = list.children.map((d) => (d.name === 'disk' ? sorted[k++]! : d))
    ctx.explain('domain/devices/disk', 'disk-order', 'libvirt keeps disks of one bus in the order of their target names.')
  },
}


const controllerOrderRule: PreviewRule = {
  name: 'controller-order',
  source: 'domain_conf.c virDomainControllerInsertPreAlloced (used by the parser too)',
  apply(ctx) {
    // the parser inserts each controller after the last one of its type with a lower or equal index (a master
    // before its companions): libvirt 9.0's parser too (seen on libvirtd 9.0 for USB controllers written out of
    // index order, and a companion before its master), though 9.0 appends the controllers it adds itself
    const list = devicesNode(ctx)
    const parsed = list.children.filter((d) => d.name === 'controller')
    if (parsed.length < 2) { addScsiHostdevControllers(ctx); return }
    const holder: N = { ...list, children: [] }
    for (const c of parsed) insertController(holder, c)
    let k = 0
    list.children = list.children.map((d) => (d.name === 'controller' ? holder.children[k++]! : d))
    addScsiHostdevControllers(ctx)
  },
}

/**
 * What the parser does as it reads each SCSI host device (virDomainDefMaybeAddHostdevSCSIcontroller): every SCSI
 * controller up to the highest one a host device's drive address names is added where none has that index yet — a
 * host device without an address reads as controller 0 then, and a controller written without an index has none
 * yet, so it is numbered after them. The check runs after each host device is read: an added controller takes the
 * model of the one the host device raising the index stands on at that time, else the default model later
 * (hostdevScsiControllerCalls). Host devices without an address get theirs after the defaults (`_pci.ts`). Checked on
 * libvirtd 9.0.
 */
function addScsiHostdevControllers(ctx: PreviewContext): void {
  const list = devicesNode(ctx)
  // (a host device without an address reads as controller 0; an address is read through the address union whatever its
  // type: model's addressFirstWord — an ISA address's iobase)
  // (libvirt 9.0 appends what it adds, here too; later versions insert it among its type)
  for (const call of hostdevScsiControllerCalls(list.children, hostdevScsiControllerOf)) addScsiControllers(ctx, list, call.highest, call.model, isLibvirt9(ctx), call.from)
}


/**
 * An interface's VLAN as libvirt keeps it (virNetDevVlanParse, virNetDevVlanFormat; its refusals are the parse rows'):
 * the first `<vlan>` alone is read; a trunk is more than one tag or `trunk='yes'` in any case, written `trunk='yes'`,
 * and `trunk='no'` on one tag is taken and dropped; each tag its id, the native one (each tag of its id) with its mode.
 */
function vlanAsStored(ctx: PreviewContext, d: N): void {
  const vlans = kids(d, 'vlan')
  if (vlans.length === 0) return
  const vlan = vlans[0]!
  if (vlans.length > 1) {
    d.children = d.children.filter((c) => c.name !== 'vlan' || c === vlan)
    ctx.explain(`${devicePath(devices(ctx), d)}/vlan`, 'unread', 'libvirt reads the first <vlan> of an interface: the others are dropped.')
  }
  const tags = kids(vlan, 'tag')
  const trunk = tags.length > 1 || vlan.attrs.trunk?.toLowerCase() === 'yes'
  let native: { mode: string; id: number } | undefined
  for (const t of tags) {
    const mode = t.attrs.nativeMode
    if (mode !== undefined && native === undefined) native = { mode, id: readCInteger(t.attrs.id ?? '', 10)?.magnitude ?? -1 }
  }
  const stored = node('vlan', trunk ? { trunk: 'yes' } : {}, tags.map((t) => {
    const id = readCInteger(t.attrs.id ?? '', 10)?.magnitude ?? 0
    return node('tag', native !== undefined && native.id === id ? { id: String(id), nativeMode: native.mode } : { id: String(id) })
  }))
  if (writtenAs(vlan) === writtenAs(stored)) return
  d.children = d.children.map((c) => (c === vlan ? stored : c))
  ctx.explain(`${devicePath(devices(ctx), d)}/vlan`, 'vlan-as-stored', `libvirt keeps a VLAN as its tags and whether it is a trunk${trunk ? ' (more than one tag, or `trunk=\'yes\'`)' : ''}, and writes back only that.`)
}

/** An element's attributes and children's, as one string (to tell whether a rewrite changed anything). */
function writtenAs(n: N): string {
  return JSON.stringify([n.attrs, n.children.map((c) => [c.name, c.attrs])])
}

const netRule: PreviewRule = {
  name: 'net-model',
  source: 'qemu_postparse.c qemuDomainDeviceNetDefPostParse',
  apply(ctx) {
    for (const d of devices(ctx)) {
      if (d.name !== 'interface') continue
      const type = d.attrs.type ?? 'user'
      // virDomainNetGenerateMAC: an interface without a MAC address gets a random one (QEMU's 52:54:00 prefix) — in 11,
      // one written all zero too (virDomainNetDefParseXML's virMacAddrIsAllClear, 11.3's source; 9.0 keeps it: probe
      // h45-mac-zero, libvirtd 9.0)
      const macAt = child(d, 'mac')
      if (!isLibvirt9(ctx) && macAt?.attrs.address !== undefined && readMacAddress(macAt.attrs.address)?.every((b) => b === 0)) {
        const { address: _zero, ...rest } = macAt.attrs
        macAt.attrs = rest
      }
      if (!child(d, 'mac')?.attrs.address) ctx.skip(`${devicePath(devices(ctx), d)}/mac`, 'An interface without a MAC address gets a random one from libvirt (52:54:00:…): preview writes none; give it one to know it.')
      // a network filter is read for network, bridge and ethernet interfaces only; of a network's source the name and
      // port group (its port ID, and the bridge or device a running domain's XML shows, are the running domain's); a
      // target name libvirt generated (vnet…, macvtap…, macvlan…) is blanked unless the tap is the user's
      // (virDomainNetDefParseXML, parsing an inactive definition; seen on libvirtd 9.0)
      if (child(d, 'filterref') && !['network', 'bridge', 'ethernet'].includes(type)) d.children = d.children.filter((c) => c.name !== 'filterref')
      // libvirt 11 (11.3's virDomainNetDefParseXML and virDomainNetDefFormat): a vhost-user source is a UNIX socket whose
      // type and mode are always written (`client` when none is given), its host device name not read; with passt's
      // back end only that device name is written — the socket's type, path, mode and reconnection are passt's
      if (!isLibvirt9(ctx) && type === 'vhostuser') {
        const source = child(d, 'source')
        if (source && child(d, 'backend')?.attrs.type === 'passt') {
          source.attrs = source.attrs.dev === undefined ? {} : { dev: source.attrs.dev }
          source.children = source.children.filter((c) => c.name !== 'reconnect')
          if (Object.keys(source.attrs).length === 0 && source.children.length === 0) d.children = d.children.filter((c) => c !== source)
        } else if (source) {
          const { path } = source.attrs
          source.attrs = { type: 'unix', ...(path === undefined ? {} : { path }), mode: source.attrs.mode === 'server' ? 'server' : 'client' }
        }
      }
      // (a filter reference is written only with its filter's name, and of its parameters those virNWFilterParseParamAttributes
      // keeps: a name and a value, each of its characters — model's nwfilterParameterKept; seen on libvirtd 9.0)
      const filterref = child(d, 'filterref')
      if (filterref && filterref.attrs.filter === undefined) d.children = d.children.filter((c) => c !== filterref)
      else if (filterref) filterref.children = filterref.children.filter((c) => c.name !== 'parameter' || nwfilterParameterKept(c.attrs.name, c.attrs.value))
      // (a script, a down script, a back-end domain and a guest-side name are read with virXPathString, which takes an empty
      // value for none, and written only when read — virDomainNetDefParseXML, virDomainNetDefFormat; seen on libvirtd 9.0)
      for (const [name, attributes] of netStringChildren) {
        for (const c of kids(d, name)) {
          for (const a of attributes) if (c.attrs[a] === '') delete c.attrs[a]
          if (!attributes.some((a) => c.attrs[a] !== undefined)) d.children = d.children.filter((x) => x !== c)
        }
      }
      // (a user interface's host device is written for a passt back end alone: virDomainNetDefFormat, 9.0 and 11.3)
      const userSource = type === 'user' ? child(d, 'source') : undefined
      if (userSource?.attrs.dev !== undefined && child(d, 'backend')?.attrs.type !== 'passt') {
        delete userSource.attrs.dev
        if (isEmpty(userSource.attrs) && userSource.children.length === 0) d.children = d.children.filter((c) => c !== userSource)
      }
      vlanAsStored(ctx, d)
      const source = child(d, 'source')
      if (type === 'network' && source && Object.keys(source.attrs).some((k) => k !== 'network' && k !== 'portgroup')) {
        source.attrs = Object.fromEntries(Object.entries(source.attrs).filter(([k]) => k === 'network' || k === 'portgroup'))
        ctx.explain('domain/devices/interface/source', 'inactive-live-state', "A network interface's port, bridge and device are the running domain's: a persistent definition keeps the network's name and port group.")
      }
      const target = child(d, 'target')
      const ifname = target?.attrs.dev
      if (target && ifname !== undefined && target.attrs.managed !== 'no' && /^(vnet|macvtap|macvlan)/.test(ifname)) {
        const { dev: _generated, ...rest } = target.attrs
        if (Object.keys(rest).length === 0 && target.children.length === 0) d.children = d.children.filter((c) => c !== target)
        else target.attrs = rest
        ctx.explain('domain/devices/interface/target', 'inactive-live-state', `libvirt generated the target name \`${ifname}\` when the domain started: a persistent definition blanks it.`)
      }
      // (a <target> with nothing in it is not written: virDomainNetDefFormat writes one for a device name or tap setting)
      if (target && isEmpty(target.attrs) && target.children.length === 0 && child(d, 'target') === target) d.children = d.children.filter((c) => c !== target)
      // (a host device interface keeps of <driver> the virtio options alone; it is written managed only when it is —
      // the parser ignores a value it does not read, libvirtd 9.0)
      if (type === 'hostdev') {
        if (d.attrs.managed !== undefined && d.attrs.managed !== 'yes') { const { managed: _, ...rest } = d.attrs; d.attrs = rest }
        // a PCI host device's <driver name> is its backend (virDomainHostdevDefParseXMLSubsys), written as the host
        // device's own, before its <source> (virDomainHostdevDefFormatSubsys; Nova's SR-IOV `vfio`, libvirtd 9.0)
        // (its PCI address written as virPCIDeviceAddressFormat writes a host's: no multifunction switch — libvirtd 9.0)
        const hostAddress = child(child(d, 'source'), 'address')
        if (hostAddress?.attrs.type === 'pci' && hostAddress.attrs.multifunction !== undefined) delete hostAddress.attrs.multifunction
        const backend = child(child(d, 'source'), 'address')?.attrs.type === 'pci' ? child(d, 'driver')?.attrs.name : undefined
        dropVirtioNetSettings(ctx, d)
        if (backend !== undefined && pciBackends.has(backend)) {
          d.children = d.children.filter((c) => c.name !== 'driver')
          const at = d.children.findIndex((c) => c.name === 'mac') + 1
          d.children.splice(at, 0, node('driver', { name: backend }))
        }
        continue
      }
      // `managed` is a host device interface's alone: the parser reads it for no other type (libvirtd 9.0)
      if (d.attrs.managed !== undefined) { const { managed: _, ...rest } = d.attrs; d.attrs = rest }
      let written = child(d, 'model')?.attrs.type
      // (an empty model is none to virXPathString: the machine's default is taken — the odd-value search edit, libvirtd 9.0;
      // a <model/> without a type likewise, seen on libvirtd 9.0)
      if (written === '' || (written === undefined && child(d, 'model') !== undefined)) { d.children = d.children.filter((c) => c.name !== 'model'); written = undefined }
      // virDomainNetDefParseXMLDriver reads the virtio-net settings of <driver> (and <backend vhost>) only for a
      // model written as virtio; the virtio options (iommu, ats, packed, page_per_vq) always
      if (written === undefined || !virtioNetModels.has(written)) dropVirtioNetSettings(ctx, d)
      if (written !== undefined) continue
      const model = defaultNetModel(ctx, d)
      if (model === undefined) continue
      if (d.attrs.type === 'network') { ctx.skip(`domain/devices/interface[mac/@address='${child(d, 'mac')?.attrs.address ?? ''}']`, 'A network backed by a device pool (hostdev) takes no model; preview assumes a bridged network.') }
      const order = ['mac', 'source', 'target', 'model']
      insertOrdered(d, node('model', { type: model }), order)
      ctx.explain('domain/devices/interface/model', 'net-model', `libvirt picks the NIC model \`${model}\` for this machine.`)
    }
  },
}

/** An interface's children read with virXPathString (an empty value is none) and written only with one of these attributes. */
const netStringChildren: readonly (readonly [string, readonly string[]])[] = [['script', ['path']], ['downscript', ['path']], ['backenddomain', ['name']], ['guest', ['dev', 'actual']]]

/** A PCI host device's backends (model's attributeReads: virDomainHostdevSubsysPCIBackend). */
const pciBackends: ReadonlySet<string> = new Set(attributeReads.get('devices/hostdev/driver')!.find(([attribute]) => attribute === 'name')![2]!.values!)

/** The `<driver>` attributes that are virtio options, kept whatever the model (virDomainVirtioOptionsParseXML). */
const virtioOptions: readonly string[] = ['iommu', 'ats', 'packed', 'page_per_vq']

/**
 * A device whose `<driver>` is its virtio options alone (libvirt 11's sound and crypto devices): the first `<driver>`
 * (virXPathNode) written with those options in virDomainVirtioOptionsFormat's order, or not at all — when `written` is
 * false or it holds none (virXMLFormatElement writes no empty element).
 */
function virtioOptionsDriver(d: N, written: boolean): void {
  const driver = child(d, 'driver')
  if (!driver) return
  const kept: Record<string, string> = {}
  if (written) for (const k of virtioOptions) if (driver.attrs[k] !== undefined) kept[k] = driver.attrs[k]!
  if (isEmpty(kept)) { d.children = d.children.filter((c) => c.name !== 'driver'); return }
  driver.attrs = kept
  driver.children = []
  d.children = d.children.filter((c) => c.name !== 'driver' || c === driver)
}

/**
 * What a NIC not written as virtio keeps of its `<driver>`: the virtio options alone (and no `<host>`/`<guest>`
 * offloads, no `<backend vhost>`); the formatter writes `<driver>` only for a virtio model, and only when it holds
 * something (checked on libvirtd 9.0).
 */
function dropVirtioNetSettings(ctx: PreviewContext, nic: N): void {
  const driver = child(nic, 'driver')
  if (driver) {
    const kept: Record<string, string> = {}
    for (const k in driver.attrs) if (virtioOptions.includes(k)) kept[k] = driver.attrs[k]!
    const model = child(nic, 'model')?.attrs.type ?? defaultNetModel(ctx, nic) ?? ''
    const keptCount = Object.keys(kept).length
    if (keptCount === 0 || !virtioNetModels.has(model)) nic.children = nic.children.filter((c) => c !== driver)
    else if (keptCount === Object.keys(driver.attrs).length && driver.children.length === 0) return dropVhostBackend(nic)
    else { driver.attrs = kept; driver.children = [] }
    ctx.explain(`domain/devices/interface[mac/@address='${child(nic, 'mac')?.attrs.address ?? ''}']/driver`, 'net-driver-virtio-only', 'The NIC\'s <driver> settings are virtio-net\'s: libvirt reads them only for a model written as virtio.')
  }
  dropVhostBackend(nic)
}

/** `<backend vhost>` is read for a virtio NIC only: dropped (and the element with it when nothing else is left). */
function dropVhostBackend(nic: N): void {
  const backend = child(nic, 'backend')
  if (backend?.attrs.vhost !== undefined) { const { vhost: _, ...rest } = backend.attrs; backend.attrs = rest; if (Object.keys(rest).length === 0) nic.children = nic.children.filter((c) => c !== backend) }
}

const videoRule: PreviewRule = {
  name: 'video-defaults',
  source: 'domain_conf.c virDomainVideoDefaultRAM, qemu_postparse.c qemuDomainDeviceVideoDefPostParse',
  apply(ctx) {
    const graphics = graphicsTypes(ctx)
    let videos = devices(ctx).filter((d) => d.name === 'video')
    if (videos.length === 0 && graphics.length > 0) {
      addDevice(ctx, node('video', {}, [node('model', {})]))
      videos = devices(ctx).filter((d) => d.name === 'video')
      ctx.explain('domain/devices/video', 'video-implicit', 'A domain with graphics gets a video device.')
    }
    const primaryAt = videos.findIndex((v) => child(v, 'model')?.attrs.primary === 'yes')
    if (primaryAt > 0) {
      // virDomainDefPostParseVideo: the primary video becomes the first
      const list = devicesNode(ctx)
      const primary = videos[primaryAt]!
      list.children.splice(list.children.indexOf(primary), 1)
      list.children.splice(list.children.indexOf(videos[0]!), 0, primary)
      videos = [primary, ...videos.filter((v) => v !== primary)]
    }
    // virDomainDefPostParseVideo: a primary video of type none is cleared but for its alias (virDomainVideoDefClear)
    if (videos[0] !== undefined && child(videos[0], 'model')?.attrs.type === 'none') {
      const alias = child(videos[0], 'alias')
      videos[0].children = [node('model', { type: 'none' }), ...(alias ? [alias] : [])]
      videos[0].attrs = {}
    }
    videos.forEach((v, i) => {
      const model = ensure(v, 'model', ['driver', 'model', 'address'])
      if (videoTypeUnset(model.attrs.type)) {
        const type = defaultVideoType(ctx)
        // (an empty or `default` type is none to the parser: the default model's, in its place)
        const { type: _written, ...rest } = model.attrs
        model.attrs = { type, ...rest }
      }
      const t = model.attrs.type
      // (a size of 0 is none: the default size is taken, and 0 is never written — heads too, but a head count of 0 is kept
      // as none, the parser giving 1 only to a model without one: virDomainVideoDefParseXML, seen on libvirtd 9.0)
      let noHeads = false
      for (const k of ['ram', 'vram', 'vram64', 'vgamem', 'heads'] as const) {
        const v3 = model.attrs[k]
        if (v3 === undefined || (v3 !== '0' && readCInteger(v3, 10)?.magnitude !== 0)) continue
        delete model.attrs[k]
        if (k === 'heads') noHeads = true
      }
      const set = (k: string, v2: string): void => { if (model.attrs[k] === undefined) model.attrs[k] = v2 }
      if (t === 'qxl') set('vgamem', '16384')
      if (t !== 'none' && !noHeads) set('heads', '1')
      // virDomainVideoDefPostParse: RAM and VRAM by default, rounded up to a power of two (vagrant-libvirt's `vram='9216'`
      // → 16384; above 2^31 none — the primary video's default again, its post-parse running twice)
      if (t !== 'none') {
        const sizes = videoSizesAfterPostParse(ctx, v, i === 0)
        for (const k of ['ram', 'vram'] as const) {
          const size = sizes[k]
          if (size === undefined) continue
          if (size === 0) delete model.attrs[k]
          else model.attrs[k] = String(size)
        }
      }
      // (the attributes are written in libvirt's order: model's attributeOrder, as every element's)
      // the first is the primary one (written so); on another, `primary` is no yes (virStringParseYesNo: `no`, `YES` or
      // anything else read as not primary, and not written — libvirtd 9.0)
      if (i === 0 && t !== 'none') model.attrs.primary = 'yes'
      else if (model.attrs.primary !== undefined && model.attrs.primary !== 'yes') delete model.attrs.primary
    })
  },
}


/** A video `<model>`'s attributes in the order libvirt writes them (virDomainVideoDefFormat). */

/** qemuDomainChrDefPostParse: the serial target type a port without one gets (none on other machines). */



const chrRule: PreviewRule = {
  name: 'serial-console',
  source: 'domain_postparse.c virDomainDefPostParseConsole; qemu_postparse.c qemuDomainChrDefPostParse',
  apply(ctx) {
    const list = devices(ctx)
    // (a target port virStrToLong_ui reads as -1 — `-1`, `4294967295` — is none, numbered later like one not written;
    // any other is kept in virDomainChrDef's int and written back with `%d`: `2147483648` is stored `-2147483648`,
    // `4294967294` is `-2` — probes h51-port-serial-7, h51-ports-serial-11 on libvirtd 9.0)
    for (const d of list) {
      if (d.name !== 'serial' && d.name !== 'parallel' && d.name !== 'console') continue
      const target = child(d, 'target')
      const read = target?.attrs.port === undefined ? undefined : readCUnsigned(target.attrs.port, 'uint')
      if (read === 0xffffffffn) delete target!.attrs.port
      else if (read !== undefined) target!.attrs.port = String(BigInt.asIntN(32, read))
    }
    // (the next port after the highest, in C's int: past 2^31 - 1 it wraps to -2^31 — h51-ports-serial-4)
    const nextPort = (highest: number): number => (highest + 1) | 0
    // the parser's reading of targets: `none` is no target type (its enumerations' first name), a parallel port reads
    // none at all; a parallel port without a number takes the one after the highest of those before it
    // (virDomainDefParseXML; each seen on libvirtd 9.0)
    let parallelPort = -1
    for (const d of list) {
      if (d.name === 'parallel') {
        let target = child(d, 'target')
        if (!target) d.children.unshift((target = node('target')))
        if (target.attrs.type !== undefined) delete target.attrs.type
        // (a port that does not read is refused later; a negative one raises no one's number: `-2` leaves the next 0 —
        // h51-ports-parallel-6)
        const written = target.attrs.port === undefined ? undefined : readCInteger(target.attrs.port, 10)
        const port = written === undefined ? undefined : written.negative ? -written.magnitude : written.magnitude
        if (target.attrs.port === undefined) target.attrs = { port: String(nextPort(parallelPort)), ...target.attrs }
        parallelPort = Math.max(parallelPort, port ?? nextPort(parallelPort))
      } else if (d.name === 'serial' || d.name === 'console') {
        const target = child(d, 'target')
        if (target?.attrs.type === 'none') delete target.attrs.type
      }
    }
    const serials = list.filter((d) => d.name === 'serial')
    // virDomainChrIsaSerialDefPostParse, before any device's post-parse: ports written as isa-serial without a
    // number take the lowest port no other isa-serial one was given
    const isaTargets = serials.map((s) => child(s, 'target')).filter((t): t is N => t?.attrs.type === 'isa-serial')
    const usedIsa = new Set(isaTargets.map((t) => t.attrs.port).filter((p) => p !== undefined).map(Number))
    for (const t of isaTargets) {
      if (t.attrs.port !== undefined) continue
      let port = 0
      while (usedIsa.has(port)) port++
      if (port >= 4) break
      usedIsa.add(port)
      t.attrs.port = String(port)
    }
    let highestPort: number | undefined
    for (const [i, s] of serials.entries()) {
      let target = child(s, 'target')
      if (!target) { target = node('target'); insertOrdered(s, target, ['source', 'protocol', 'log', 'target', 'alias', 'address']) }
      // (an ISA one written is none, as none written: the arch's default, or none at all — an ARM board that is not
      // virt keeps no type; qemuDomainChrDefPostParse, differential seed 478 on libvirtd 9.0)
      const type = serialTargetTypeAfterPostParse(ctx, s)
      if (type) { target.attrs = { type, ...target.attrs }; target.attrs.type = type }
      else if (target.attrs.type !== undefined) { const { type: _none, ...rest } = target.attrs; target.attrs = rest }
      // a serial port without a number takes the next one after the highest (virDomainDefPostParseChr…)
      if (target.attrs.port === undefined) {
        // the highest port so far, read once and then kept (a port given later in the list counts too)
        highestPort ??= serials.reduce((m, x) => { const p = child(x, 'target')?.attrs.port; return p === undefined ? m : Math.max(m, Number(p)) }, -1)
        highestPort = nextPort(highestPort)
        target.attrs.port = String(highestPort)
      }
      void i
      // (a <model> without a name is none to virDomainChrDefParseTargetXML, which reads ./model/@name: the default, or no <model>)
      const written = child(target, 'model')
      // (virXPathString reads an empty name as none too: `<model name=''/>` gets the default — libvirtd 9.0)
      if (written?.attrs.name === undefined || written.attrs.name === '') {
        const model = defaultSerialModel(ctx, type)
        if (written) target.children = target.children.filter((c) => c !== written)
        if (model) target.children.push(node('model', { name: model }))
      }
    }
    // console ↔ serial pairing (virDomainDefPostParseConsole / virDomainChrSourceDefCopy)
    const consoles = list.filter((d) => d.name === 'console')
    // the parser numbers consoles by their place, whatever port is written (a console that mirrors the first
    // serial port takes that port below); the stub console below does not move them (libvirtd 9.0)
    consoles.forEach((c, i) => {
      const t = child(c, 'target')
      if (t && (i > 0 || (t.attrs.type !== undefined && t.attrs.type !== 'serial'))) t.attrs.port = String(i)
    })
    const first = consoles[0]
    if (first) {
      const t = child(first, 'target')
      const ttype = t?.attrs.type
      const serialTarget = 'serial'
      if ((ttype === undefined || ttype === 'serial') && serialTarget === 'serial') {
        if (serials.length === 0) {
          // the console becomes serial0 (its user alias too), and the console is written again as its mirror
          const serial = node('serial', { ...first.attrs }, first.children.filter((c) => c.name !== 'target' && c.name !== 'address').map(clone))
          // the new serial port gets qemuDomainChrDefPostParse's defaults like any other: a machine without a
          // default serial target type (ARM boards other than virt…) keeps neither a type nor a model
          const stype = defaultSerialTargetType(ctx)
          const model = defaultSerialModel(ctx, stype)
          serial.children.push(node('target', stype === undefined ? { port: '0' } : { type: stype, port: '0' }, model === undefined ? [] : [node('model', { name: model })]))
          // (the console itself is moved: its address goes with it — virDomainDefAddConsoleCompat; libvirtd 9.0 keeps an
          // ISA one, a pSeries console's sPAPR VIO reg)
          const address = child(first, 'address')
          if (address) {
            const moved = clone(address)
            // (a pSeries serial port is made sPAPR VIO whatever address it had, qemuDomainAssignSpaprVIOAddresses: the
            // register read from the numbers it held — a CCW or USB one too, libvirtd 9.0)
            // (a complete virtio-serial one is reserved first: on a controller no one has, it stays to be refused)
            if (stype === 'spapr-vio-serial' && moved.attrs.type !== 'spapr-vio' && !(moved.attrs.type === 'virtio-serial' && virtioSerialControllerMissing(ctx, moved))) { moved.attrs = asSpaprVio(moved.attrs); moved.children = [] }
            serial.children.push(moved)
          }
          addDevice(ctx, serial)
          ctx.explain('domain/devices/serial', 'console-serial', 'A serial console is the first serial port: libvirt lists both.')
        }
        const s0 = devices(ctx).find((d) => d.name === 'serial')!
        first.attrs = { ...s0.attrs }
        first.children = [...s0.children.filter((c) => c.name !== 'target' && c.name !== 'address').map(clone), node('target', { type: 'serial', port: child(s0, 'target')?.attrs.port ?? '0' })]
      } else if (t && t.attrs.port === undefined) {
        t.attrs.port = '0'
      }
      void serialTarget
      // a first console that is not the serial one: with a serial port, libvirt puts a console mirroring it first
      // (virDomainDefAddConsoleCompat's stub; `<console><target type='virtio'/></console>` beside a serial port)
      const s0 = serials[0]
      const s0Type = s0 ? child(s0, 'target')?.attrs.type : undefined
      // (by the serial port's target type, whatever the machine: a USB or PCI one is not mirrored; libvirtd 9.0 mirrors
      // a g3beige port without a target type)
      if (ttype !== undefined && ttype !== 'serial' && s0 && s0Type !== 'usb-serial' && s0Type !== 'pci-serial' && s0Type !== 'isa-debug') {
        const mirror = node('console', { ...s0.attrs }, [...s0.children.filter((c) => c.name !== 'target' && c.name !== 'address').map(clone), node('target', { type: 'serial', port: child(s0, 'target')?.attrs.port ?? '0' })])
        const holder = devicesNode(ctx)
        holder.children.splice(holder.children.indexOf(first), 0, mirror)
        // (libvirt 11 renumbers the consoles by their place: virDomainDefAddConsoleCompat)
        if (!isLibvirt9(ctx)) consoles.forEach((c, i) => { const t = child(c, 'target'); if (t) t.attrs.port = String(i + 1) })
        ctx.explain('domain/devices/console', 'serial-console', 'With a serial port, the first console is its mirror: libvirt puts one before a console of another kind.')
      }
    } else if (serials.length > 0) {
      const s0 = serials[0]!
      const targetType = child(s0, 'target')?.attrs.type
      if (targetType !== 'usb-serial' && targetType !== 'pci-serial' && targetType !== 'isa-debug') {
        const console = node('console', { ...s0.attrs }, [...s0.children.filter((c) => c.name !== 'target' && c.name !== 'address').map(clone), node('target', { type: 'serial', port: child(s0, 'target')?.attrs.port ?? '0' })])
        addDevice(ctx, console)
        ctx.explain('domain/devices/console', 'serial-console', 'libvirt shows the first serial port as the console too.')
      }
    }
  },
}

function clone(n: N): N {
  return { name: n.name, attrs: { ...n.attrs }, children: n.children.map(clone), text: n.text, raw: n.raw }
}


/** The lifecycle actions libvirt writes when none is given. */
const lifecycleDefaults = [['on_poweroff', 'destroy'], ['on_reboot', 'restart'], ['on_crash', 'destroy']] as const

const lifecycleRule: PreviewRule = {
  name: 'lifecycle-default',
  source: 'domain_conf.c virDomainDefParseXML (on_poweroff, on_reboot, on_crash), virDomainDefFormatInternal (clock)',
  apply(ctx) {
    for (const [name, value] of lifecycleDefaults) {
      // (an empty action is none to virXPathString: the default, written)
      const written = child(ctx.domain, name)
      if (written && (written.text ?? '') !== '') continue
      if (written) written.text = value
      else insertOrdered(ctx.domain, node(name, {}, [], value), domainChildOrder)
      ctx.explain(`domain/${name}`, 'lifecycle-default', `libvirt writes the default lifecycle action \`${value}\`.`)
    }
    // (a lock failure action that is none or `default`, virDomainLockFailure's 0, is not written)
    const lockFailure = child(ctx.domain, 'on_lockfailure')
    if (lockFailure && ((lockFailure.text ?? '') === '' || lockFailure.text === 'default')) ctx.domain.children = ctx.domain.children.filter((c) => c !== lockFailure)
    const clock = child(ctx.domain, 'clock')
    if (!clock) {
      insertOrdered(ctx.domain, node('clock', { offset: 'utc' }), domainChildOrder)
      ctx.explain('domain/clock', 'clock-default', 'libvirt writes the default clock offset `utc`.')
    }
  },
}

const bootRule: PreviewRule = {
  name: 'boot-default',
  source: 'domain_conf.c virDomainDefParseBootXML',
  apply(ctx) {
    const os = child(ctx.domain, 'os')
    const type = osType(ctx)
    if (!os || type?.text?.trim() !== 'hvm') return
    if (child(os, 'boot')) return
    // even with a direct kernel boot: libvirt writes the default boot device whenever no device has a boot order
    if (devices(ctx).some((d) => child(d, 'boot') !== undefined)) return
    insertOrdered(os, node('boot', { dev: 'hd' }), ['type', 'firmware', 'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'dtb', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios'])
    ctx.explain('domain/os/boot', 'boot-default', 'Without a boot order libvirt boots from the first hard disk (`<boot dev=\'hd\'/>`).')
  },
}


/** A disk's encryptions: the older place under `<disk>`, then under `<source>`. */
function encryptions(d: N): N[] {
  const out: N[] = []
  const own = child(d, 'encryption')
  if (own) out.push(own)
  // (the source's, and each backing image's down the chain: qemuDomainDeviceDiskDefPostParse)
  for (let at: N | undefined = d; at; at = child(at, 'backingStore')) {
    const sourced = child(child(at, 'source'), 'encryption')
    if (sourced) out.push(sourced)
  }
  return out
}

/**
 * A feature written more than once under `<features>` as libvirt reads it: one, the last written, its children as model's
 * repeatedFeatureReads says (before any of them is read further: an SMM's TSEG size is the first written).
 */
function readRepeatedFeatures(features: N | undefined, libvirt9: boolean): void {
  if (features === undefined) return
  // (libvirt 11.3 reads no enlightenment below a `<hyperv mode='passthrough'>` — but writes those an earlier `<hyperv>`
  // set, whatever the last one's mode: virDomainFeaturesHyperVDefParse, virDomainDefFormatFeatures)
  if (!libvirt9) for (const f of features.children) if (f.name === 'hyperv' && f.attrs.mode === 'passthrough') f.children = []
  const reads = libvirt9 ? repeatedFeatureReads : repeatedFeatureReads11
  // (`first-child`: a child read by XPath from the features — `string(./features/smm/tseg)`, `…/tseg/@unit` —, one of a
  // name even below one feature: the first's text, each attribute the first written in any; probes h43-tseg-unit-second…)
  for (const f of features.children) {
    if (reads.get(f.name) === 'first-child' && f.children.length > 1) f.children = firstOfEachName(f.children)
  }
  if (features.children.length < 2) return
  // (virDomainFeaturesDefParse reads each in turn, the last setting it; seen on libvirtd 9.0)
  const last = new Map<string, N>()
  // (`last-set`: the last that sets something — an earlier one stays when none after it does)
  for (const f of features.children) if (reads.get(f.name) !== 'last-set' || featureIsSet(f) || !last.has(f.name) || !featureIsSet(last.get(f.name)!)) last.set(f.name, f)
  if (last.size === features.children.length) return
  for (const [name, f] of last) {
    const read = reads.get(name)
    if (read === undefined || read === 'whole-last' || read === 'last-set') continue
    const all = features.children.filter((x) => x.name === name)
    if (all.length < 2) continue
    if (read === 'every-child') f.children = all.flatMap((x) => x.children)
    else f.children = firstOfEachName(all.flatMap((x) => x.children))
  }
  features.children = features.children.filter((f) => last.get(f.name) === f)
}

/**
 * A network disk source's empty name, down the backing chain: read as a name (the parser asks for one) and then as none
 * — virDomainStorageSourceParse frees an empty path —, so not written (libvirtd 9.0; the odd-value search edit, seed 415).
 */
function emptyNetworkNames(ctx: PreviewContext): void {
  const list = devices(ctx)
  for (const d of list) {
    if (d.name !== 'disk') continue
    for (let at: N | undefined = d, depth = 0; at !== undefined; at = child(at, 'backingStore'), depth++) {
      const source = (at.attrs.type ?? 'file') === 'network' ? child(at, 'source') : undefined
      if (source === undefined) continue
      const where = `${devicePath(list, d)}/${'backingStore/'.repeat(depth)}source`
      // (its snapshot and configuration file, read by virXPathString — `string(./snapshot/@name)` —: an empty one is
      // none, and not written; the odd-value search edit, seed 416)
      const unnamed = source.children.filter((c) => (c.name === 'snapshot' && !c.attrs.name) || (c.name === 'config' && !c.attrs.file))
      if (unnamed.length > 0) {
        source.children = source.children.filter((c) => !unnamed.includes(c))
        for (const c of unnamed) ctx.explain(`${where}/${c.name}`, 'disk-empty-path', `libvirt reads an empty <${c.name}> as none: it is not written.`)
      }
      if (source.attrs.name !== '' || source.attrs.protocol === 'gluster' || source.attrs.protocol === 'rbd') continue
      const { name: _empty, ...rest } = source.attrs
      source.attrs = rest
      ctx.explain(`${where}/@name`, 'disk-empty-path', 'libvirt reads an empty source name as none once it has checked there is one: it is not written.')
    }
  }
}

/** Numeric IP addresses among `names` of `n` as virSocketAddrFormat writes what libvirt read (model's canonicalIpAddress). */
function canonicalAddresses(n: N, names: readonly string[]): void {
  for (const name of names) {
    const written = n.attrs[name]
    const canonical = written === undefined ? undefined : canonicalIpAddress(written, undefined)
    if (canonical !== undefined && canonical !== written) n.attrs[name] = canonical
  }
}

/** The character devices (and an RNG's backend) whose TCP source speaks a `<protocol>`. */
const chrProtocolHolders: ReadonlySet<string> = new Set(['serial', 'parallel', 'console', 'channel', 'smartcard', 'redirdev', 'backend'])

/** A TCP character device speaks raw unless told otherwise; `<protocol>` belongs to TCP alone (libvirt keeps it in the source's TCP data), so other types lose it. */
function tcpProtocol(chr: N): void {
  const protocol = child(chr, 'protocol')
  if (chr.attrs.type === 'tcp' && !protocol) insertOrdered(chr, node('protocol', { type: 'raw' }), ['source', 'protocol', 'log', 'target'])
  // (a `<protocol/>` without a type is raw too: virDomainChrSourceDefFormat writes the protocol always)
  else if (chr.attrs.type === 'tcp' && protocol!.attrs.type === undefined) protocol!.attrs = { type: 'raw', ...protocol!.attrs }
  if (chr.attrs.type !== 'tcp' && protocol) chr.children = chr.children.filter((c) => c.name !== 'protocol')
  // (a `<log>` without a file is none: `if (def->logfile)`)
  const log = child(chr, 'log')
  if (log && log.attrs.file === undefined) chr.children = chr.children.filter((c) => c !== log)
}

/**
 * A socket source connects unless told to bind, and libvirt writes which (virDomainChrSourceDefParseUnix/TCP/UDP,
 * virDomainChrSourceDefFormat): a unix source with a path, a TCP source and a UDP one without `mode` get
 * `mode='connect'`, written first (libvirtd 9.0: `<source path='/tmp/s0'/>` → `<source mode='connect' path='/tmp/s0'/>`).
 */
function socketSourceMode(chr: N): void {
  const type = chr.attrs.type
  if (type === 'udp') { udpSources(chr); return }
  if (type !== 'unix' && type !== 'tcp') return
  for (const source of chr.children) {
    if (source.name !== 'source' || source.attrs.mode !== undefined || (type === 'unix' && source.attrs.path === undefined)) continue
    source.attrs = { mode: 'connect', ...source.attrs }
  }
}

/**
 * A UDP device's sources as libvirt writes back the two ends it read (udpEnds): the bind end, then the connect end, each
 * with its mode, host and service and nothing else, and an end with neither host nor service not at all
 * (virDomainChrSourceDefFormat; libvirtd 9.0 writes a connect source given first after the bind one).
 */
function udpSources(chr: N): void {
  const { bind, connect } = udpEnds(chr)
  const end = (mode: string, e: UdpEnd | undefined): N[] => {
    if (e?.host === undefined && e?.service === undefined) return []
    const attrs: Record<string, string> = { mode }
    if (e.host !== undefined) attrs.host = e.host
    if (e.service !== undefined) attrs.service = e.service
    return [node('source', attrs)]
  }
  const sources = [...end('bind', bind), ...end('connect', connect)]
  const at = chr.children.findIndex((c) => c.name === 'source')
  if (at < 0 && sources.length === 0) return
  const rest = chr.children.filter((c) => c.name !== 'source')
  const place = at < 0 ? 0 : chr.children.slice(0, at).filter((c) => c.name !== 'source').length
  chr.children = [...rest.slice(0, place), ...sources, ...rest.slice(place)]
}

/** A disk's settings read as text by virXPathString: an empty one is none. */
const diskTextSettings: ReadonlySet<string> = new Set(['serial', 'wwn', 'vendor', 'product'])

/** Tristate features without a state mean "on" (virDomainFeaturesDefParse). */
const tristateFeatures: ReadonlySet<string> = new Set(['vmcoreinfo', 'smm', 'pvspinlock', 'htm', 'nested-hv', 'ccf-assist', 'pmu', 'vmport', 'hap'])

/**
 * Whether the domain pins its vCPUs, emulator or I/O threads to host CPUs (then automatic memory placement leaves the
 * vCPUs static: virDomainDefParseXML asks virDomainDefHasVcpuPin, which looks at the vCPUs the domain has — a pin of
 * one it lacks is dropped, so none —, the emulator's pin and virDomainIOThreadIDArrayHasPin).
 */
function vcpusPinned(ctx: PreviewContext): boolean {
  if (child(ctx.domain, 'vcpu')?.attrs.cpuset !== undefined) return true
  const vcpuEl = child(ctx.domain, 'vcpu')
  const count = vcpuEl ? readCInteger(textIn(vcpuEl), 10) : { negative: false, magnitude: 1 }
  const pinsAVcpu = (c: N): boolean => {
    const id = readCInteger(c.attrs.vcpu ?? '', 10)
    return !count || count.negative || !id || id.negative || id.magnitude < count.magnitude
  }
  if (child(ctx.domain, 'cputune')?.children.some((c) => c.name === 'emulatorpin' || c.name === 'iothreadpin' || (c.name === 'vcpupin' && pinsAVcpu(c)))) return true
  return kids(child(ctx.domain, 'iothreadids'), 'iothread').some((t) => t.attrs.cpuset !== undefined)
}

/**
 * The paths libvirt's parser cleans as it reads them (virFileSanitizePath: `/dev//input/event1/` → `/dev/input/event1`),
 * by the elements from `<domain>` down and the attribute (none: the text): a virtiofs daemon's binary, a NIC backend's
 * tap and vhost devices, an input's event device, a shared memory server's socket, an fw_cfg entry's file, a video
 * accelerator's render node, an ACPI table.
 */
const sanitizedPaths: readonly (readonly [path: readonly string[], attribute?: string])[] = [
  [['devices', 'filesystem', 'binary'], 'path'], [['devices', 'interface', 'backend'], 'tap'], [['devices', 'interface', 'backend'], 'vhost'],
  [['devices', 'input', 'source'], 'evdev'], [['devices', 'input', 'source'], 'dev'], [['devices', 'shmem', 'server'], 'path'],
  [['sysinfo', 'entry'], 'file'], [['devices', 'video', 'model', 'acceleration'], 'rendernode'], [['os', 'acpi', 'table']],
]

/** The device paths of `sanitizedPaths` by device name (the rest below the device), looked up as the devices are walked once. */
const sanitizedByDevice = /* @__PURE__ */ (() => {
  const map = new Map<string, (readonly [rest: readonly string[], attribute: string | undefined])[]>()
  for (const [path, attribute] of sanitizedPaths) if (path[0] === 'devices') map.set(path[1]!, [...(map.get(path[1]!) ?? []), [path.slice(2), attribute]])
  return map
})()

function sanitizePaths(ctx: PreviewContext): void {
  // (`path()`: the element's path, made only for an explanation)
  const clean = (n: N, path: () => readonly string[], attribute: string | undefined): void => {
    const value = attribute === undefined ? n.text : n.attrs[attribute]
    // (only a repeated or trailing slash changes: most paths are left at once)
    if (value === undefined || value.length < 2 || !(value.endsWith('/') || value.includes('//'))) return
    const sanitized = sanitizePath(value)
    if (sanitized === value) return
    if (attribute === undefined) n.text = sanitized
    else n.attrs[attribute] = sanitized
    ctx.explain(`domain/${path().join('/')}${attribute === undefined ? '' : `/@${attribute}`}`, 'path-sanitize', `libvirt cleans the path as it reads it (\`${value}\` → \`${sanitized}\`).`)
  }
  const below = (n: N, rest: readonly string[], at: number, path: () => readonly string[], attribute: string | undefined): void => {
    if (at === rest.length) { clean(n, path, attribute); return }
    for (const c of n.children) if (c.name === rest[at]) below(c, rest, at + 1, path, attribute)
  }
  for (const d of devices(ctx)) {
    const paths = sanitizedByDevice.get(d.name)
    if (paths !== undefined) for (const [rest, attribute] of paths) below(d, rest, 0, () => ['devices', d.name, ...rest], attribute)
  }
  for (const [path, attribute] of sanitizedPaths) if (path[0] !== 'devices') below(ctx.domain, path, 0, () => path, attribute)
}

/**
 * A `<bandwidth>`'s inbound and outbound rates as libvirt writes back what it read (their refusals are the parse rows');
 * whether libvirt keeps it at all: with an `<inbound>` or `<outbound>`, even one it writes nothing of (then its lines
 * are written around nothing: virNetDevBandwidthFormat — an interface's <bandwidth> closes at 6 spaces). libvirt 11.3
 * reads the first `<inbound>` and the first `<outbound>` alone (virXMLNodeGetSubelement; 9.0 refused a second).
 */
function bandwidthAsStored(bandwidth: N, firstRatesOnly: boolean): boolean {
  const held = bandwidth.children.some((c) => c.name === 'inbound' || c.name === 'outbound')
  bandwidth.children = bandwidth.children.filter((rate) => {
    if (rate.name !== 'inbound' && rate.name !== 'outbound') return true
    if (firstRatesOnly && child(bandwidth, rate.name) !== rate) return false
    const attrs: Record<string, string> = {}
    for (const [name, value] of Object.entries(rate.attrs)) {
      const read = ['average', 'peak', 'burst', 'floor'].includes(name) ? readCUnsignedLongLong(value, 10) : undefined
      if (read === undefined) attrs[name] = value
      else if (read !== 0n) attrs[name] = String(read)
    }
    rate.attrs = attrs
    return attrs.average !== undefined || attrs.floor !== undefined
  })
  if (held && bandwidth.children.length === 0) bandwidth.text = '\n      '
  return held
}

/**
 * libvirt 11's throttle groups as virDomainThrottleGroupFormat writes what virDomainDefThrottleGroupsParse read (two
 * `<throttlegroups>` are one: model's readAsOneWhenRepeated): in each group, the first of each limit, written `%llu` when
 * above 0, and the first name; no group, no `<throttlegroups>` (from 11.3's source).
 */
function throttleGroupsAsStored(ctx: PreviewContext): void {
  const holder = child(ctx.domain, 'throttlegroups')
  if (!holder) return
  const groups = kids(holder, 'throttlegroup')
  for (const group of groups) {
    const kept: N[] = []
    for (const name of diskIotuneLimits) {
      const value = readCUnsignedLongLong(child(group, name)?.text ?? '', 10)
      if (value !== undefined && value > 0n) kept.push(node(name, {}, [], String(value)))
    }
    const name = child(group, 'group_name')
    if (name) kept.push(name)
    group.children = kept
  }
  if (groups.length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== holder)
}

/**
 * `<blkiotune>` as libvirt writes what it read (virDomainDefParseXML, virDomainBlkioDeviceParseXML, its formatter): the
 * weight a number (one that does not read is none), each device's numbers in decimal, a 0 not written, a device of
 * nothing but its path not at all (unreadable device numbers were refused).
 */
function blkiotuneAsStored(ctx: PreviewContext): void {
  const blkiotune = child(ctx.domain, 'blkiotune')
  if (!blkiotune) return
  const weight = child(blkiotune, 'weight')
  const kept = blkiotune.children.filter((c) => {
    if (c === weight) {
      // (virXPathUInt: the whole text, as written)
      const read = readCInteger(c.text ?? '', 10)
      if (!read || read.negative || read.magnitude === 0 || read.magnitude > 2 ** 32 - 1) return false
      c.text = String(read.magnitude)
      return true
    }
    if (c.name !== 'device') return c.name !== 'weight'
    c.children = c.children.filter((f) => {
      const field = blkioDeviceFields.find((x) => x.element === f.name)
      if (!field) return true
      const text = f.text ?? ''
      const read = text === '' ? 0n : readCUnsigned(text, field.read)
      if (read === undefined || read === 0n) return false
      f.text = String(read)
      return true
    })
    return c.children.some((f) => f.name !== 'path')
  })
  if (kept.length === blkiotune.children.length && kept.every((c, i) => c === blkiotune.children[i])) return
  blkiotune.children = kept
  ctx.explain('domain/blkiotune', 'blkiotune-as-stored', 'libvirt keeps the blkio weight and each device\'s limits as numbers, and writes none that is 0.')
  if (kept.length === 0 && Object.keys(blkiotune.attrs).length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== blkiotune)
}

/**
 * `<resource>` as libvirt keeps it (virDomainResourceDefParse, virDomainResourceDefFormat): its partition and its Fibre
 * Channel application ID are each read with virXPathString — an empty one is none — and written only when set (a
 * `<resource>` with neither was refused): `<partition/>` beside an application ID, `<fibrechannel/>` or
 * `<fibrechannel appid=''/>` beside a partition are not written back (probes h41-r-…, libvirtd 9.0).
 */
function resourceAsStored(ctx: PreviewContext): void {
  const resource = child(ctx.domain, 'resource')
  if (!resource) return
  const appid = resourceAppid(resource)
  const kept = resource.children.filter((c) => (c.name === 'partition' ? textIn(c) !== '' : c.name === 'fibrechannel' ? appid !== undefined && c.attrs.appid === appid : true))
  if (kept.length === resource.children.length) return
  resource.children = kept
  ctx.explain('domain/resource', 'resource-as-stored', 'libvirt reads an empty partition or Fibre Channel application ID as none, and writes neither then.')
}

/**
 * What the parser read and the refusal rows checked where the release's schema lacks it, and the formatter does not write
 * (model's checkedUnwritten: an iSCSI host device's source host's transport and socket), dropped.
 */
function dropCheckedUnwritten(ctx: PreviewContext): void {
  for (const [path, names] of checkedUnwritten) {
    const steps = path.split('/')
    const walk = (n: N, depth: number, at: string): void => {
      if (depth === steps.length) {
        for (const name of names) {
          if (n.attrs[name] === undefined) continue
          ctx.explain(`${at}/@${name}`, 'checked-unwritten', `libvirt reads and checks @${name} here, and does not write it back.`)
          delete n.attrs[name]
        }
        return
      }
      let k = 0
      // (a device numbered among its kind, as the refusals name it: domain/devices/hostdev[2]/source/host)
      for (const c of n.children) if (c.name === steps[depth]) walk(c, depth + 1, `${at}/${c.name}${steps[0] === 'devices' && depth === 1 ? `[${++k}]` : ''}`)
    }
    walk(ctx.domain, 0, 'domain')
  }
}

/**
 * Says where libvirt's formatter will write a value unescaped (model's attributesWrittenUnescaped: a CPU feature's name, a
 * firmware configuration entry's), and the document is then not well-formed XML — as `virsh dumpxml` prints it, and so
 * preview's writer. (The table's parents are the domain's own children: `<cpu>`, `<sysinfo>`.)
 */
function unescapedNoted(ctx: PreviewContext): void {
  for (const [path, names] of attributesWrittenUnescaped) {
    const [parent, element] = path.split('/') as [string, string]
    for (const holder of ctx.domain.children) {
      if (holder.name !== parent) continue
      for (const e of holder.children) {
        if (e.name !== element) continue
        for (const name of names) {
          const value = e.attrs[name]
          if (value !== undefined && /[&<>'"]/.test(value)) ctx.explain(`domain/${parent}/${element}[@${name}]`, 'written-unescaped', `libvirt writes this ${name} as it is, unescaped: \`${value}\` leaves the document not well-formed XML, as \`virsh dumpxml\` prints it.`)
        }
      }
    }
  }
}

const cleanupRule: PreviewRule = {
  name: 'inactive-normalise',
  source: 'domain_conf.c virDomainDefParseXML / virDomainDefFormatInternal (inactive XML)',
  apply(ctx) {
    // (qemuDomainDefVcpusPostParse, in the driver's post-parse, comes before the devices' post-parse — a doorbell
    // shared memory device's size —: a <vcpus> list's refusals first; vcpusAsStored writes the list later)
    const listed = kids(child(ctx.domain, 'vcpus'), 'vcpu')
    if (listed.length > 0) vcpusListStates(listed, readCInteger(textIn(child(ctx.domain, 'vcpu')), 10)?.magnitude ?? 1, false, isLibvirt9(ctx))
    schedPerThread(ctx)
    sanitizePaths(ctx)
    blkiotuneAsStored(ctx)
    resourceAsStored(ctx)
    if (!isLibvirt9(ctx)) throttleGroupsAsStored(ctx)
    // a BIOS's useserial that virXMLPropTristateBool refuses is taken as `no` (virDomainDefParseBootOptions), and a
    // clock's absolute start is written as the number it read (` +5` → `5`)
    const bios = child(child(ctx.domain, 'os'), 'bios')
    if (bios?.attrs.useserial !== undefined && bios.attrs.useserial !== 'yes' && bios.attrs.useserial !== 'no') {
      ctx.explain('domain/os/bios/@useserial', 'bios-useserial', `libvirt reads \`${bios.attrs.useserial}\` as no.`)
      bios.attrs.useserial = 'no'
    }
    const clock = child(ctx.domain, 'clock')
    if (clock?.attrs.offset === 'absolute' && clock.attrs.start !== undefined) {
      const start = readCUnsignedLongLong(clock.attrs.start, 10)
      if (start !== undefined && String(start) !== clock.attrs.start) clock.attrs.start = String(start)
    }
    if (ctx.domain.attrs.id !== undefined) {
      delete ctx.domain.attrs.id
      ctx.explain('domain/@id', 'inactive-id', 'The persistent definition has no domain id: libvirt drops it.')
    }
    const topology = child(child(ctx.domain, 'cpu'), 'topology')
    if (topology) {
      const t = topology.attrs
      // clusters came with libvirt 10: a 9.0 daemon writes none
      topology.attrs = isLibvirt9(ctx)
        ? Object.fromEntries(Object.entries({ sockets: t.sockets ?? '1', dies: t.dies ?? '1', cores: t.cores ?? '1', threads: t.threads ?? '1', ...t }).filter(([k]) => k !== 'clusters'))
        : { sockets: t.sockets ?? '1', dies: t.dies ?? '1', clusters: t.clusters ?? '1', cores: t.cores ?? '1', threads: t.threads ?? '1', ...t }
    }
    // libvirt reads the ACPI tables (`./os/acpi/table`), not <acpi> itself: one without a table is not written (libvirtd 9.0;
    // two <acpi> are read as one: model's readAsOneWhenRepeated)
    const osEl = child(ctx.domain, 'os')
    const osAcpi = child(osEl, 'acpi')
    if (osEl && osAcpi && !osAcpi.children.some((c) => c.name === 'table')) osEl.children = osEl.children.filter((c) => c !== osAcpi)
    // (a table's path is its content, an empty one too, written after its open tag: `<table type='slic'></table>` — libvirtd 9.0)
    else if (osAcpi) for (const c of osAcpi.children) if (c.name === 'table' && c.text === undefined && c.children.length === 0) c.text = ''
    // virDomainDefParseBootOptions: a boot menu neither on nor off is not written; its timeout is read (a number) when it is on
    const bootmenu = child(osEl, 'bootmenu')
    if (bootmenu && bootmenu.attrs.enable === undefined) osEl!.children = osEl!.children.filter((c) => c !== bootmenu)
    else if (bootmenu && bootmenu.attrs.enable !== 'yes') delete bootmenu.attrs.timeout
    else if (bootmenu?.attrs.timeout !== undefined) {
      const read = readLibvirtInteger(bootmenu.attrs.timeout, { kind: 'uint', base: 10 }, { element: 'bootmenu', attribute: 'timeout' })
      if ('value' in read && String(read.value) !== bootmenu.attrs.timeout) bootmenu.attrs.timeout = String(read.value)
    }
    readRepeatedFeatures(child(ctx.domain, 'features'), isLibvirt9(ctx))
    emptyNetworkNames(ctx)
    // SMM's TSEG size: read (in MiB unless a unit is given) only when SMM is on, written as virFormatIntPretty does
    const smm = child(child(ctx.domain, 'features'), 'smm')
    const tseg = child(smm, 'tseg')
    if (smm && tseg) {
      // (an empty size is none: virXPathString)
      const bytes = (smm.attrs.state ?? 'on') === 'on' && textIn(tseg) !== '' ? readScaledBytes(textIn(tseg), tseg.attrs.unit, 'MiB') : undefined
      if (typeof bytes === 'bigint') { const pretty = formatLibvirtPretty(bytes); tseg.attrs = { unit: pretty.unit }; tseg.text = String(pretty.value) }
      else if (bytes === undefined) smm.children = smm.children.filter((c) => c !== tseg)
    }
    for (const d of devices(ctx)) {
      // a source with nothing in it (once the parser has refused what it requires there) is none: a disk's, a NIC's and a
      // character device's formatters write <source> only with something to say (KubeVirt's empty <source></source> on a
      // CD-ROM without media, a slirp or tap NIC, a SPICE redirection; libvirtd 9.0)
      if (!emptySourceDropped.has(d.name)) continue
      const empty = d.children.find((c) => c.name === 'source' && isEmpty(c.attrs) && c.children.length === 0 && (c.text ?? '').trim() === '')
      if (empty) d.children = d.children.filter((c) => c !== empty)
    }
    // a USB redirection filter without a rule is not written (virDomainRedirFilterDefFormat; probe h25-rd-filter-empty,
    // libvirtd 9.0)
    const deviceList = child(ctx.domain, 'devices')
    if (deviceList?.children.some((c) => c.name === 'redirfilter' && kids(c, 'usbdev').length === 0)) {
      deviceList.children = deviceList.children.filter((c) => c.name !== 'redirfilter' || kids(c, 'usbdev').length > 0)
    }
    // a PCI root's 64-bit hole: read in KiB unless a unit is given, stored in KiB rounded up (VIR_DIV_UP in 64 bits: on 11,
    // whose limit is 2^64 - 1 bytes, the last 1,023 wrap to 0); other controllers do not read it
    for (const c of devices(ctx)) {
      const hole = c.name === 'controller' && c.attrs.type === 'pci' ? child(c, 'pcihole64') : undefined
      if (!hole) continue
      // (an empty one reads as none)
      const bytes = (c.attrs.model === 'pci-root' || c.attrs.model === 'pcie-root') && textIn(hole) !== '' ? readScaledBytes(textIn(hole), hole.attrs.unit, 'KiB') : undefined
      if (typeof bytes === 'bigint') { hole.attrs = { unit: 'KiB' }; hole.text = String(((bytes + 1023n) % 2n ** 64n) / 1024n) }
      else if (bytes === undefined) c.children = c.children.filter((x) => x !== hole)
    }
    // numbers libvirt reads with virXPath* and writes back as it read them: the slot count, a memory device's and a PCI
    // controller's NUMA node, a web disk source's readahead and timeout (an empty one is none)
    const max = child(ctx.domain, 'maxMemory')
    if (max?.attrs.slots !== undefined) {
      const slots = max.attrs.slots === '' ? undefined : readCInteger(max.attrs.slots, 10)
      if (slots === undefined) delete max.attrs.slots
      else if (String(slots.magnitude) !== max.attrs.slots) max.attrs.slots = String(slots.magnitude)
    }
    for (const d of devices(ctx)) {
      // UUIDs libvirt reads with virUUIDParse and writes in its own form (lower case, dashed): a secret's, an Open vSwitch
      // port's interface id, an 802.1Qbg instance id (libvirtd 9.0: `8A9B…` comes back `8a9b…`)
      if (d.name === 'disk' || d.name === 'interface' || d.name === 'hostdev') uuidsAsWritten(d)
      // (an emulated TPM's state encryption: its secret's UUID, written only when one was read — virDomainTPMDefFormat;
      // seen on libvirtd 9.0)
      const tpmBackend = d.name === 'tpm' ? child(d, 'backend') : undefined
      const encryption = tpmBackend?.attrs.type === 'emulator' ? child(tpmBackend, 'encryption') : undefined
      if (tpmBackend && encryption) {
        const secret = encryption.attrs.secret
        const canonical = secret === undefined || secret === '' ? undefined : canonicalUuid(secret)
        if (canonical === undefined) tpmBackend.children = tpmBackend.children.filter((c) => c !== encryption)
        else if (canonical !== secret) encryption.attrs = { ...encryption.attrs, secret: canonical }
      }
      if (d.name === 'memory') {
        // virDomainMemoryDefPostParse: virtio-pmem is shared unless told (and refused otherwise: memoryModelProblem)
        if (d.attrs.model === 'virtio-pmem' && (d.attrs.access === undefined || d.attrs.access === 'default')) {
          const { model, access: _default, ...rest } = d.attrs
          d.attrs = { model: model!, access: 'shared', ...rest }
        }
        // a virtio-mem device's requested size is written with its block size, 0 when none is given; its current size is
        // the running guest's (virDomainMemoryTargetDefFormat; libvirtd 9.0)
        const memTarget = child(d, 'target')
        if (memTarget && d.attrs.model === 'virtio-mem') {
          memTarget.children = memTarget.children.filter((c) => c.name !== 'current')
          if (child(memTarget, 'block') && !child(memTarget, 'requested')) memTarget.children.push(node('requested', { unit: 'KiB' }, [], '0'))
        }
        // virDomainMemoryDefPostParse: a PPC64 NVDIMM without a UUID gets a random one
        if (d.attrs.model === 'nvdimm' && arch(ctx).startsWith('ppc64') && textIn(child(d, 'uuid')) === '') ctx.skip(`domain/devices/memory[${devicesOfKind(ctx, 'memory').indexOf(d) + 1}]/uuid`, 'A PPC64 NVDIMM without a UUID gets a random one from libvirt: preview writes none; give it one to know it.')
        const numaNode = child(child(d, 'target'), 'node')
        const read = numaNode?.text === undefined || numaNode.text === '' ? undefined : readCInteger(numaNode.text, 10)
        if (numaNode && read === undefined) child(d, 'target')!.children = child(d, 'target')!.children.filter((c) => c !== numaNode)
        else if (numaNode && read && String(read.magnitude) !== numaNode.text) numaNode.text = String(read.magnitude)
      } else if (d.name === 'controller' && d.attrs.type === 'pci') {
        // a PCI controller's NUMA node likewise (virDomainControllerDefParseXML: virXPathInt, written `%d`; a negative or
        // unreadable one was refused, an empty one is none)
        const target = child(d, 'target')
        const numaNode = child(target, 'node')
        const read = numaNode?.text === undefined || numaNode.text === '' ? undefined : readCInteger(numaNode.text, 10)
        if (numaNode && read === undefined) target!.children = target!.children.filter((c) => c !== numaNode)
        else if (numaNode && read && String(read.magnitude) !== numaNode.text) numaNode.text = String(read.magnitude)
      } else if (d.name === 'redirfilter') {
        // a USB filter's class, vendor and product are integers (base 0) written as 0x%02X / 0x%04X, a negative one
        // (`-1`: any) not at all (virDomainRedirFilterUSBDevDefParseXML/…DefFormat; libvirtd 9.0: `0x08e6` → `0x08E6`)
        for (const usbdev of d.children) {
          if (usbdev.name !== 'usbdev') continue
          let attrs: Record<string, string> | undefined
          for (const [attribute, digits] of [['class', 2], ['vendor', 4], ['product', 4]] as const) {
            const raw = usbdev.attrs[attribute]
            const value = raw === undefined ? undefined : readCInt(raw, 0)
            if (value === undefined) continue
            attrs ??= { ...usbdev.attrs }
            if (value < 0) delete attrs[attribute]
            else attrs[attribute] = `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`
          }
          if (attrs) usbdev.attrs = attrs
        }
      } else if (d.name === 'shmem') {
        // a shared memory size is read in bytes unless a unit is given (virParseScaledValue, scale 1) and written in whole
        // MiB (virDomainShmemDefFormat: bytes >> 20), none when 0 (libvirtd 9.0: `<size>4194304</size>` → `<size unit='M'>4</size>`)
        const size = child(d, 'size')
        // (an empty size is none: virXPathString — then the post-parse's 4 MiB; the odd-value search edit, seed 330)
        if (size && (size.text ?? '') === '') d.children = d.children.filter((c) => c !== size)
        const bytes = size && (size.text ?? '') !== '' ? readScaledBytes(textIn(size), size.attrs.unit, 'bytes') : undefined
        if (size && typeof bytes === 'bigint') {
          if (bytes === 0n) d.children = d.children.filter((c) => c !== size)
          else { size.attrs = { unit: 'M' }; size.text = String(bytes >> 20n) }
        }
      } else if (d.name === 'lease') {
        // virDomainLeaseDefFormat writes an offset only when it is not 0
        const target = child(d, 'target')
        if (target?.attrs.offset !== undefined && readCUnsignedLongLong(target.attrs.offset, 10) === 0n) { const { offset: _zero, ...rest } = target.attrs; target.attrs = rest }
      } else if (d.name === 'audio') {
        // virDomainAudioCommonFormat: an input or output is written only with a setting, and fixed settings always
        // with their <settings> (empty when none is given)
        for (const io of d.children) {
          if (io.name !== 'input' && io.name !== 'output') continue
          if (isEmpty(io.attrs)) d.children = d.children.filter((c) => c !== io)
          else if (io.attrs.fixedSettings === 'yes' && !child(io, 'settings')) io.children = [...io.children, node('settings', {})]
        }
      } else if (d.name === 'hostdev' && d.attrs.type === 'scsi') {
        // (an iSCSI host device's host, read as a network disk's: virDomainStorageNetworkParseHosts)
        const source = child(d, 'source')
        if (source?.attrs.protocol === 'iscsi') {
          // (a UNIX socket's host: its name and port not read — virDomainStorageNetworkParseHost —, so `<host/>` is written)
          for (const h of kids(source, 'host')) if (h.attrs.transport === 'unix' && (h.attrs.name !== undefined || h.attrs.port !== undefined)) { const { name: _n, port: _p, ...rest } = h.attrs; h.attrs = rest }
          hostPortsAsRead(source); authTypeAsWritten(child(source, 'auth')); initiatorAsWritten(source)
        }
      } else if (d.name === 'disk' && d.attrs.type === 'network') {
        const source = child(d, 'source')
        hostPortsAsRead(source)
        networkSourceAsRead(source)
      }
    }
    const nvramSource = child(child(child(ctx.domain, 'os'), 'nvram'), 'source')
    hostPortsAsRead(nvramSource)
    // (its <auth> as a disk's: `type=''` not written — libvirtd 9.0)
    authTypeAsWritten(child(nvramSource, 'auth'))
    // (a network NVRAM's hosts as a network disk's: the one storage source parser — seed 471's NBD host port 0, 10809 on
    // libvirtd 9.0 —, and its web settings and query string likewise: probes h32-net-*)
    if (nvramSource !== undefined && child(child(ctx.domain, 'os'), 'nvram')!.attrs.type === 'network' && nvramSource.attrs.protocol !== undefined) {
      networkHostsAsRead(nvramSource)
      networkSourceAsRead(nvramSource)
      if (nvramSource.attrs.query !== undefined && !diskQueryProtocols.has(nvramSource.attrs.protocol)) { const { query: _unread, ...rest } = nvramSource.attrs; nvramSource.attrs = rest }
    }
    const loader = child(child(ctx.domain, 'os'), 'loader')
    // firmware image formats are written since libvirt 9.2; a 9.0 daemon writes none
    if (loader && loader.attrs.type === 'pflash' && loader.attrs.format === undefined && !isLibvirt9(ctx)) loader.attrs.format = 'raw'
    const guestNuma = kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell').length > 0
    // memory backing settings are read once each (virXPathNode/virXPathBoolean: the first of a name), written once
    const backing = child(ctx.domain, 'memoryBacking')
    if (backing && backing.children.length > 1) {
      const names = new Set<string>()
      const once = backing.children.filter((c) => !names.has(c.name) && names.add(c.name))
      if (once.length !== backing.children.length) backing.children = once
    }
    for (const page of kids(child(child(ctx.domain, 'memoryBacking'), 'hugepages'), 'page')) {
      const kib = kibOf(page.attrs.size, page.attrs.unit)
      if (kib !== undefined) { page.attrs.size = String(kib); page.attrs.unit = 'KiB' }
      // without guest NUMA a node set of node 0 alone means nothing: libvirt clears it (virDomainDefPostParseMemtune:
      // no set bit after 0); any other stays, and validation names the node that does not exist
      // (the node set as virBitmapFormat writes what virBitmapParse read: `01` is `1`)
      const nodes = page.attrs.nodeset === undefined ? undefined : readBitmap(page.attrs.nodeset, 'domain/memoryBacking/hugepages/page/@nodeset')
      if (nodes && !guestNuma && !nodes.some(([, last]) => last >= 1)) {
        delete page.attrs.nodeset
        ctx.explain('domain/memoryBacking/hugepages/page/@nodeset', 'hugepages-nodeset', 'Without guest NUMA nodes, a huge page set for node 0 applies to the whole guest: libvirt drops the node set.')
      } else if (nodes) page.attrs.nodeset = formatBitmap(nodes)
    }
    sanitiseMetadata(ctx)
    uuidAndSysinfo(ctx)
    domainSettingsForm(ctx)
    kids(child(child(ctx.domain, 'cpu'), 'numa'), 'cell').forEach((cell, i) => { if (cell.attrs.id === undefined) cell.attrs = { id: String(i), ...cell.attrs } })
    // (extension elements were named by their namespace in parse-values: extensionNamesCanonical)
    // (the extension elements by their namespace, now that their names say it: parse-values dropped the others)
    dropUnknownElements(ctx, true)
    // (the QEMU namespace's parts as its parser reads them and its formatter writes them)
    formatQemuNamespace(ctx.domain)
    // namespace declarations of top-level extension elements (qemu:commandline) go on <domain>, as libxml2 writes them
    for (const c of ctx.domain.children) {
      if (!c.name.includes(':')) continue
      for (const k in c.attrs) {
        const v = c.attrs[k]!
        if (!k.startsWith('xmlns:')) continue
        if (c.name.slice(0, c.name.indexOf(':')) !== k.slice(6)) continue
        ctx.domain.attrs[k] = v
        delete c.attrs[k]
        if (c.raw) c.raw = { ...c.raw, attributes: Object.fromEntries(Object.entries(c.raw.attributes).filter(([a]) => a !== k)) }
      }
    }
    domainAttributes(ctx)
    const numa = child(child(ctx.domain, 'cpu'), 'numa')
    if (numa) {
      const cells = kids(numa, 'cell').sort((a, b) => Number(a.attrs.id) - Number(b.attrs.id))
      let k = 0
      numa.children = numa.children.map((c) => (c.name === 'cell' ? cells[k++]! : c))
      numaDistances(cells)
      numaPerformance(numa, cells, isLibvirt9(ctx))
    }
    // "unlimited" (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, 2^53 - 1 KiB) is the same as no limit
    const memtune = child(ctx.domain, 'memtune')
    if (memtune) {
      // each limit read once, the first of its name (virDomainParseMemoryLimit("./memtune/hard_limit[1]"…)): a repeat is dropped
      const seen = new Set<string>()
      const firsts = memtune.children.filter((c) => !seen.has(c.name) && seen.add(c.name) !== undefined)
      if (firsts.length !== memtune.children.length) {
        ctx.explain('domain/memtune', 'repeated-first', 'libvirt reads the first of each memory limit: a repeat is dropped.')
        memtune.children = firsts
      }
      // each limit in KiB, as libvirt keeps it (virDomainParseMemoryLimit; `4 GiB` → `4194304 KiB`, seen on libvirtd 9.0)
      // (a limit without a unit is in KiB, and written with it: `<hard_limit unit='KiB'>`, seen on libvirtd 9.0)
      // (an empty one is none: virXPathString — libvirtd 9.0)
      memtune.children = memtune.children.filter((c) => (c.text ?? '') !== '')
      for (const limit of memtune.children) {
        const kib = kibOf(textIn(limit), limit.attrs.unit ?? 'KiB')
        if (kib !== undefined && (limit.attrs.unit !== 'KiB' || String(kib) !== limit.text)) { limit.attrs = { ...limit.attrs, unit: 'KiB' }; limit.text = String(kib) }
      }
      // (and a guarantee of 0 is none: virDomainMemtuneFormat writes one above 0 alone — libvirtd 9.0)
      memtune.children = memtune.children.filter((c) => !(textIn(c) === '9007199254740991' && (c.attrs.unit ?? 'KiB') === 'KiB') && !(c.name === 'min_guarantee' && textIn(c) === '0'))
      if (memtune.children.length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== memtune)
    }
    // a <numatune> whose <memory> sets nothing (virDomainNumatuneSet does nothing then) and without a memnode is not
    // written (virDomainNumatuneFormatXML; `<numatune/>`, `<numatune><memory/></numatune>`: seen on libvirtd 9.0)
    // (written, even empty, a <memory> keeps automatic vCPU placement from making the memory's automatic: the parser
    // takes the placement from the vCPUs only without one — virDomainNumatuneParseXML; seen on libvirtd 9.0)
    const tune = child(ctx.domain, 'numatune')
    const memoryWritten = child(tune, 'memory') !== undefined
    const memoryPlacement = numatunePlacement(ctx)
    if (tune) {
      const unset = child(tune, 'memory')
      if (unset && isEmpty(unset.attrs)) tune.children = tune.children.filter((c) => c !== unset)
      if (!tune.children.some((c) => c.name === 'memory' || c.name === 'memnode')) ctx.domain.children = ctx.domain.children.filter((c) => c !== tune)
    }
    const vcpuEl = child(ctx.domain, 'vcpu')
    if (vcpuEl?.attrs.placement === 'auto' && !memoryWritten) {
      insertOrdered(ensure(ctx.domain, 'numatune', domainChildOrder), node('memory', { mode: 'strict', placement: 'auto' }), ['memory', 'memnode'])
      ctx.explain('domain/numatune', 'numatune-auto', 'Automatic vCPU placement implies automatic memory placement.')
    } else if (memoryPlacement !== undefined) {
      // virDomainNumatuneSet: the mode (strict unless written) and the node set or the placement, the set only when static
      const memory = child(child(ctx.domain, 'numatune'), 'memory')!
      const { mode, nodeset } = memory.attrs
      memory.attrs = { mode: mode ?? 'strict', ...(memoryPlacement === 'static' ? { nodeset: nodeset ?? '' } : { placement: 'auto' }) }
      // automatic memory placement makes the vCPUs' automatic too, unless something pins them (virDomainDefParseXML)
      if (memoryPlacement === 'auto' && vcpuEl && vcpuEl.attrs.placement !== 'auto' && !vcpusPinned(ctx)) {
        vcpuEl.attrs = { ...vcpuEl.attrs, placement: 'auto' }
        ctx.explain('domain/vcpu/@placement', 'vcpu-placement', 'Automatic memory placement makes the vCPU placement automatic too.')
      }
    }
    // without <memory>, the NUMA cells' sum is the memory size (virDomainDefPostParseMemory)
    const cellSum = kids(numa, 'cell').reduce((n, c) => n + (kibOf(c.attrs.memory, c.attrs.unit) ?? 0), 0)
    if (!child(ctx.domain, 'memory') && cellSum > 0) {
      insertOrdered(ctx.domain, node('memory', { unit: 'KiB' }, [], String(Math.ceil(cellSum))), domainChildOrder)
      ctx.explain('domain/memory', 'memory-from-numa', 'Without <memory>, libvirt sums the NUMA cells.')
    }
    for (const m of [child(child(ctx.domain, 'numatune'), 'memory'), ...kids(child(ctx.domain, 'numatune'), 'memnode')]) {
      if (m?.attrs.nodeset !== undefined) m.attrs.nodeset = formatBitmap(readBitmap(m.attrs.nodeset, `domain/numatune/${m.name}/@nodeset`))
      // (a memnode's mode is strict unless written: virDomainNumatuneNodeParseXML, written always)
      if (m?.name === 'memnode' && m.attrs.mode === undefined) m.attrs = { ...m.attrs, mode: 'strict' }
    }
    const numaMemory = child(child(ctx.domain, 'numatune'), 'memory')
    if (numaMemory?.attrs.placement === 'auto') delete numaMemory.attrs.nodeset
    // security labels as an inactive definition keeps them (_seclabels.ts); a lone label without a model takes the
    // host's first security driver (qemu.conf `security_driver`; `none` on libvirt's test host)
    if (child(ctx.domain, 'seclabel')) {
      const securityDriver = ctx.options.qemuConf?.securityDriver?.[0]
      const { unknownModel, changed } = writeDomainLabels(ctx, securityDriver)
      if (unknownModel) ctx.skip('domain/seclabel', 'A security label without a model takes the host\'s security driver (SELinux, AppArmor or none): give qemu.conf\'s `security_driver`.')
      else if (changed.length > 0) ctx.explain('domain/seclabel', 'seclabel-inactive', `libvirt keeps of a security label what an inactive definition has: its type, model (a lone label without one takes the host's first security driver${securityDriver === undefined ? '' : `, \`${securityDriver}\``}; model \`none\` is type none), \`relabel\` spelt out, a static label's label and a dynamic one's base label.`)
    }
    const features = child(ctx.domain, 'features')
    // s390 never had ACPI: an old definition's <acpi/> is dropped unless the machine has it (qemuDomainDefACPIPostParse)
    if (features && isS390(ctx) && !ctx.options.abiUpdate && child(features, 'acpi') && ctx.machine?.acpi === false) {
      features.children = features.children.filter((c) => c.name !== 'acpi')
      if (features.children.length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== features)
    }
    if (features) {
      // libvirt writes features in its own order (virDomainDefFormatFeatures)
      const ranks = rankMap(featureOrder)
      const rank = (n: N): number => ranks.get(n.name) ?? featureOrder.length
      // most are in that order already: then nothing moves
      let sorted = true
      for (let i = 1; i < features.children.length && sorted; i++) if (rank(features.children[i - 1]!) > rank(features.children[i]!)) sorted = false
      if (!sorted) {
        // (a stable insertion sort in place: a handful of features, composed domains' vmcoreinfo before vmport every time)
        const list = features.children.slice()
        for (let i = 1; i < list.length; i++) {
          const c = list[i]!
          const r = rank(c)
          let k = i - 1
          while (k >= 0 && rank(list[k]!) > r) { list[k + 1] = list[k]!; k-- }
          list[k + 1] = c
        }
        features.children = list
      }
    }
    // (a feature that sets nothing is none to the parser — `<ioapic/>`, `<hpt/>`, `<cfpc/>`…: not written back)
    if (features && features.children.some((f) => !featureIsSet(f))) features.children = features.children.filter(featureIsSet)
    for (const f of kids(features)) {
      if (f.name === 'async-teardown' && f.attrs.enabled === undefined) f.attrs.enabled = 'yes'
      // tristate features without a state mean "on" (virDomainFeaturesDefParse)
      // (`<smm/>` too: libvirtd 9.0 writes `<smm state='on'/>`)
      // (`<smm><tseg>…</tseg></smm>` too: libvirtd 9.0 writes `<smm state='on'>` around its TSEG)
      if (tristateFeatures.has(f.name) && f.attrs.state === undefined) f.attrs.state = 'on'
      if (f.name === 'hyperv' && f.attrs.mode === undefined) f.attrs = { mode: 'custom', ...f.attrs }
      // TCG's translation block cache: in KiB as libvirt keeps it (virDomainParseMemory); none or 0 is no <tcg> at all
      if (f.name === 'tcg') {
        const cache = child(f, 'tb-cache')
        const kib = cache ? kibOf(textIn(cache), cache.attrs.unit ?? 'KiB') : undefined
        if (!kib) { features!.children = features!.children.filter((c) => c !== f); continue }
        f.children = [node('tb-cache', { unit: 'KiB' }, [], String(kib))]
      }
      // the enlightenments as libvirt stores them: one per name, in its order, with only what it read (_features.ts)
      if (f.name === 'hyperv') f.children = hypervAsStored(f, isLibvirt9(ctx))
      // (`<kvm>` is written as an open and a close tag even with nothing in it: virDomainDefFormatFeatures, libvirtd 9.0)
      if (f.name === 'kvm') { f.children = kvmAsStored(f); if (f.children.length === 0) f.text = '\n    ' }
      // the process capabilities: the policy is written when it is not `default` or some capability is (so `default`
      // when none is written then) — virDomainDefFormatFeatures; `<capabilities/>` is not written back (libvirtd 9.0)
      if (f.name === 'capabilities') {
        f.children = capabilitiesAsStored(f)
        if (f.children.length === 0 && (f.attrs.policy ?? 'default') === 'default') { features!.children = features!.children.filter((c) => c !== f); continue }
        if (f.attrs.policy === undefined) f.attrs = { policy: 'default', ...f.attrs }
      }
      // (`<xen>` too is written as an open and a close tag with nothing in it: libvirtd 9.0)
      if (f.name === 'xen') { f.children = xenAsStored(f); if (f.children.length === 0) f.text = '\n    ' }
      if (f.name === 'hyperv' && f.children.length === 0) f.text = '\n    '
    }
    // (no feature, no <features>: virDomainDefFormatFeatures writes the element only around one; libvirtd 9.0)
    if (features && features.children.length === 0) ctx.domain.children = ctx.domain.children.filter((c) => c !== features)
    const cpuEl = child(ctx.domain, 'cpu')
    const cpuModel = child(cpuEl, 'model')
    // a named model may fall back to another unless told not to (an empty fallback is none to virXPathString: allow; a
    // blank name is a name — `<model> </model>`, libvirtd 9.0: the CPU model's text as read, not trimmed, here and below)
    if (cpuModel && (cpuModel.text ?? '') !== '' && (cpuModel.attrs.fallback === undefined || cpuModel.attrs.fallback === '') && cpuEl?.attrs.mode !== 'host-passthrough') cpuModel.attrs.fallback = 'allow'
    // (an empty vendor_id and an empty <vendor> are none to virXPathString: not written back — libvirtd 9.0)
    if (cpuModel?.attrs.vendor_id === '') delete cpuModel.attrs.vendor_id
    const cpuVendor = child(cpuEl, 'vendor')
    if (cpuVendor && textIn(cpuVendor) === '' && cpuVendor.children.length === 0) cpuEl!.children = cpuEl!.children.filter((c) => c !== cpuVendor)
    // SVE vector lengths imply SVE (qemuDomainDefCPUPostParse)
    const cpuFeatures = kids(cpuEl, 'feature')
    if (cpuEl && cpuFeatures.some((f) => f.attrs.name?.startsWith('sve') && f.attrs.name !== 'sve') && !cpuFeatures.some((f) => f.attrs.name === 'sve')) {
      // (appended to the features: right after the last one, wherever the CPU's other children stand — a <numa> before them)
      const lastFeature = cpuEl.children.lastIndexOf(cpuFeatures[cpuFeatures.length - 1]!)
      cpuEl.children.splice(lastFeature + 1, 0, node('feature', { policy: 'require', name: 'sve' }))
    } else {
      const sve = cpuFeatures.find((f) => f.attrs.name === 'sve')
      if (sve && cpuFeatures.some((f) => f.attrs.name?.startsWith('sve') && f.attrs.name !== 'sve') && sve.attrs.policy !== 'disable' && sve.attrs.policy !== 'forbid') sve.attrs.policy = 'require'
    }
    // an HPT's largest page size in KiB; none (blank) or 0 is not written (virDomainFeaturesDefFormat: only when above 0)
    const hpt = child(child(ctx.domain, 'features'), 'hpt')
    const maxpage = child(hpt, 'maxpagesize')
    if (maxpage) {
      // (read up to 2^64 − 1 bytes, virParseScaledValue's limit here: 15 EiB is kept, in KiB — libvirtd 9.0)
      const bytes = textIn(maxpage) === '' ? 0n : readScaledBytes(textIn(maxpage), maxpage.attrs.unit, 'KiB')
      if (bytes === 0n) hpt!.children = hpt!.children.filter((c) => c !== maxpage)
      else if (typeof bytes === 'bigint') {
        const kib = kibRoundedUp(bytes)
        if (kib === 0n) hpt!.children = hpt!.children.filter((c) => c !== maxpage)
        else { maxpage.attrs.unit = 'KiB'; maxpage.text = String(kib) }
      }
    }
    // a guest CPU's features are required unless told otherwise (virCPUDefParseXML: a feature of no policy is `require`)
    for (const f of cpuFeatures) if (f.attrs.policy === undefined) f.attrs = { policy: 'require', ...f.attrs }
    // virCPUDefFormatBuf writes a model (and vendor) for the custom and host-model modes alone: a host-passthrough or
    // maximum CPU's is dropped, named or not, whatever vendor_id it carries (seen on libvirtd 9.0; the same in 11.3)
    if (cpuEl && (cpuEl.attrs.mode === 'host-passthrough' || cpuEl.attrs.mode === 'maximum') && cpuEl.children.some((c) => c.name === 'model' || c.name === 'vendor')) {
      cpuEl.children = cpuEl.children.filter((c) => c.name !== 'model' && c.name !== 'vendor')
    }
    if (cpuEl && cpuModel && cpuEl.attrs.mode === 'host-model' && (cpuModel.text ?? '') === '') {
      // virCPUDefFormatBuf writes <model> for a model name or a vendor_id: a nameless model with a vendor_id stays
      if (cpuModel.attrs.vendor_id === undefined) cpuEl.children = cpuEl.children.filter((c) => c !== cpuModel)
      else delete cpuModel.attrs.fallback
    }
    for (const d of devices(ctx)) {
      // (a 64-bit PCI hole is read for PCI controllers alone: virDomainControllerDefParseXML — the stray-element search edit)
      if (d.name === 'controller' && d.attrs.type !== 'pci' && child(d, 'pcihole64')) d.children = d.children.filter((c) => c.name !== 'pcihole64')
      // a VMware distributed switch's port as libvirt writes what it read: the switch's UUID, the port and connection ids
      // (0 when not given: libvirt 11) as %lld, the port group when given (virDomainNetDefFormat; VMware's converter
      // writes them, libvirtd 9.0 defines them)
      if (d.name === 'interface' && d.attrs.type === 'vds') {
        const source = child(d, 'source')
        if (source !== undefined) {
          const { switchid, portid, portgroupid, connectionid, ...rest } = source.attrs
          const attrs: Record<string, string> = {}
          if (switchid !== undefined) attrs.switchid = canonicalUuid(switchid) ?? switchid
          attrs.portid = String(readCLongLong(portid ?? '0') ?? portid)
          if (portgroupid !== undefined) attrs.portgroupid = portgroupid
          attrs.connectionid = String(readCLongLong(connectionid ?? '0') ?? connectionid)
          source.attrs = { ...attrs, ...rest }
        }
      }
      const mac = child(d, 'mac')
      // (as virMacAddrFormat writes what virMacAddrParse read: two lower-case digits a byte — rewritten only when it is
      // not so already, as most are)
      if (d.name === 'interface' && mac?.attrs.address && !/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(mac.attrs.address)) {
        const bytes = readMacAddress(mac.attrs.address)
        if (bytes) mac.attrs.address = formatMacAddress(bytes)
      }
      // (a link state is written when it is up or down: none, or an empty one, is the default, not written)
      const link = d.name === 'interface' ? child(d, 'link') : undefined
      if (link && link.attrs.state !== 'up' && link.attrs.state !== 'down') d.children = d.children.filter((c) => c !== link)
      if (d.name === 'disk') {
        // (an empty serial, WWN, vendor or product is none to virXPathString: not written — oVirt's `<serial></serial>`
        // on a CD-ROM, seen on libvirtd 9.0)
        if (d.children.some((c) => diskTextSettings.has(c.name) && (c.text ?? '') === '' && c.children.length === 0)) {
          d.children = d.children.filter((c) => !(diskTextSettings.has(c.name) && (c.text ?? '') === '' && c.children.length === 0))
        }
        // (the back-end domain's name too — `string(./backenddomain/@name)`: an empty or missing one is none, its element
        // not written; probes h48-backenddomain…, libvirtd 9.0)
        const backend = child(d, 'backenddomain')
        if (backend !== undefined && (backend.attrs.name ?? '') === '') d.children = d.children.filter((c) => c.name !== 'backenddomain')
        if (d.attrs.type === undefined) d.attrs = { type: 'file', ...d.attrs }
        if (d.attrs.device === undefined) d.attrs = { type: d.attrs.type!, device: 'disk', ...d.attrs }
        const driver = child(d, 'driver')
        if (driver?.attrs.cache === 'default') delete driver.attrs.cache
        // (Xen's old `aio` format is raw: virDomainDiskDefDriverSourceParseXML)
        if (driver?.attrs.type === 'aio') driver.attrs.type = 'raw'
        // cdroms are always read-only (virDomainDiskDefPostParse); an inactive definition has no block job
        if (d.attrs.device === 'cdrom' && !child(d, 'readonly')) { insertOrdered(d, node('readonly'), formatterChildOrders['devices/disk']); ctx.explain('domain/devices/disk/readonly', 'cdrom-readonly', 'A CD-ROM is always read-only.') }
        if (child(d, 'mirror')) d.children = d.children.filter((c) => c.name !== 'mirror')
        // a read-only disk takes no snapshot anyway: libvirt does not write snapshot='no' for it (as libvirtd 9.0 writes
        // oVirt's CD-ROM back; its empty source path: parse-values)
        if (d.attrs.snapshot === 'no' && (d.attrs.device === 'cdrom' || child(d, 'readonly'))) delete d.attrs.snapshot
        const src = child(d, 'source')
        // a source's labels as an inactive definition keeps them (down the backing chain)
        for (let at: N | undefined = d; at; at = child(at, 'backingStore')) {
          const source = child(at, 'source')
          if (source && source.children.length > 0 && writeSourceLabels(source)) {
            ctx.explain('domain/devices/disk/source/seclabel', 'seclabel-inactive', 'libvirt does not keep a device label that relabels without naming a label (nor `labelskip`, live state), and spells out `relabel`.')
            // (a disk's own source left without attributes or children is not written — virXMLFormatElement: an empty
            // CD-ROM whose only label was dropped has no <source/>; probes h59-s-dcd-…, libvirtd 9.0)
            if (at === d && source.children.length === 0 && Object.keys(source.attrs).length === 0) d.children = d.children.filter((c) => c !== source)
          }
        }
        // virDomainDiskDefFormat: a tray only for a floppy or CD-ROM, and when open; `removable` only on USB
        const target = child(d, 'target')
        if (target?.attrs.tray !== undefined && (target.attrs.tray === 'closed' || !['floppy', 'cdrom'].includes(d.attrs.device ?? 'disk'))) delete target.attrs.tray
        if (target?.attrs.removable !== undefined && (target.attrs.bus ?? busFromTarget(target.attrs.dev, d.attrs.device)) !== 'usb') delete target.attrs.removable
        // the chain's `index` is the running domain's: an inactive definition is parsed without it
        if (src?.attrs.index !== undefined) delete src.attrs.index
        for (let at = child(d, 'backingStore'); at; at = child(at, 'backingStore')) {
          // a backing store without a type ends the chain: libvirt reads nothing more of it and writes <backingStore/>
          // (virDomainDiskBackingStoreParse's terminator; libvirtd 9.0)
          if (at.attrs.type === undefined) { at.attrs = {}; at.children = []; at.text = undefined; break }
          if (at.attrs.index !== undefined) delete at.attrs.index
          // (a backing store's source is written with no startup policy: virDomainDiskBackingStoreFormat passes none)
          const held = child(at, 'source')
          if (held?.attrs.startupPolicy !== undefined) { const { startupPolicy: _unwritten, ...rest } = held.attrs; held.attrs = rest }
          // (a source left with nothing — its path was empty, read as none by parse-values — is not written)
          const empty = child(at, 'source')
          if (empty !== undefined && empty.children.length === 0 && isEmpty(empty.attrs)) at.children = at.children.filter((c) => c !== empty)
        }
        for (const enc of encryptions(d)) if (enc.attrs.engine === undefined) enc.attrs.engine = 'qemu'
        // a qcow2 metadata cache size is kept in bytes (virParseScaledValue, scale 1) and written with unit='bytes'
        for (const cache of descendants(d, 'metadata_cache')) {
          const size = child(cache, 'max_size')
          const bytes = size ? readScaledBytes(textIn(size), size.attrs.unit) : undefined
          if (size && typeof bytes === 'bigint' && bytes < 2n ** 64n) { size.attrs = { unit: 'bytes' }; size.text = String(bytes) }
        }
        // (a size of 0 is none: the formatters write a metadata cache only above 0 — virDomainDiskDefFormatDriver,
        // virDomainDiskBackingStoreFormat; seen on libvirtd 9.0)
        dropZeroMetadataCaches(d)
      }
      if (d.name === 'filesystem') {
        // virDomainFSDefPostParse: pass-through unless written — but for a virtiofs daemon reached over a socket
        // (seen on libvirtd 9.0: a virtiofs share with its own binary is written accessmode='passthrough')
        // (a daemon's <binary> is read for a virtiofs filesystem alone: virDomainFSDefParseXML — dropped otherwise)
        if (child(d, 'driver')?.attrs.type !== 'virtiofs' && child(d, 'binary')) {
          d.children = d.children.filter((c) => c.name !== 'binary')
          ctx.explain(`${devicePath(devices(ctx), d)}/binary`, 'unread', 'libvirt reads a <binary> for a virtiofs filesystem alone: it is dropped.')
        }
        // (an empty accessmode is virDomainFSAccessMode's first name, the default, as if not written: seen on libvirtd 9.0)
        if (d.attrs.accessmode === '') delete d.attrs.accessmode
        if ((d.attrs.type ?? 'mount') === 'mount' && d.attrs.accessmode === undefined && child(d, 'source')?.attrs.socket === undefined) d.attrs.accessmode = 'passthrough'
        // (read in octal, virXMLPropUInt base 8, and written back as `%04o`)
        for (const k of ['fmode', 'dmode']) {
          const value = d.attrs[k]
          if (value === undefined) continue
          const octal = /^[\t\n\v\f\r ]*\+?([0-7]+)$/.exec(value)
          // (0 is not written: virDomainFSDefFormat's `if (def->fmode)` — seen on libvirtd 9.0)
          if (octal && Number.parseInt(octal[1]!, 8) === 0) delete d.attrs[k]
          else d.attrs[k] = octal ? Number.parseInt(octal[1]!, 8).toString(8).padStart(4, '0') : value.padStart(4, '0')
        }
        // virDomainFSDefFormat: a driver's format, write policy and queue are written with its type alone (the default
        // type, `default` or none, writes none of them); a <driver> left empty is not written (seen on libvirtd 9.0)
        const fsDriver = child(d, 'driver')
        // (a queue size is read for a virtiofs filesystem alone — virDomainFSDefParseXML: another's is dropped, libvirtd 9.0)
        if (fsDriver !== undefined && fsDriver.attrs.type !== undefined && fsDriver.attrs.type !== 'virtiofs' && fsDriver.attrs.queue !== undefined) {
          const { queue: _q, ...rest } = fsDriver.attrs
          fsDriver.attrs = rest
        }
        if (fsDriver !== undefined && fsDriver.attrs.type === undefined && (fsDriver.attrs.format !== undefined || fsDriver.attrs.wrpolicy !== undefined || fsDriver.attrs.queue !== undefined)) {
          const { format: _f, wrpolicy: _w, queue: _q, ...rest } = fsDriver.attrs
          fsDriver.attrs = rest
          if (isEmpty(rest) && fsDriver.children.length === 0) d.children = d.children.filter((c) => c !== fsDriver)
        }
      }
      if (d.name === 'graphics') { graphicsDefaults(ctx, d); hidePassword(ctx, d) }
      // an HTTP(S) source's cookies are secrets: `dumpxml` writes them only with --security-info
      // (virDomainDiskSourceFormatNetworkCookies: VIR_DOMAIN_DEF_FORMAT_SECURE), down the backing chain too
      if (d.name === 'disk' && !ctx.options.securityInfo) {
        for (let at: N | undefined = d; at; at = child(at, 'backingStore')) {
          const source = child(at, 'source')
          if (source && child(source, 'cookies')) {
            source.children = source.children.filter((c) => c.name !== 'cookies')
            ctx.explain('domain/devices/disk/source/cookies', 'security-info', "`virsh dumpxml` shows an HTTP disk source's cookies only with `--security-info` (preview: `securityInfo`).")
          }
        }
      }
      // virDomainHostdevDefFormat: every subsystem host device (the default mode) is written managed or not; its parser
      // ignores a managed value that is not yes or no (ignore_value: `managed='true'` is stored as no, libvirtd 9.0)
      if (d.name === 'hostdev' && d.attrs.managed !== undefined && d.attrs.managed !== 'yes' && d.attrs.managed !== 'no') d.attrs.managed = 'no'
      if (d.name === 'hostdev' && (d.attrs.mode ?? 'subsystem') === 'subsystem' && d.attrs.managed === undefined && d.attrs.type !== undefined) d.attrs = { mode: 'subsystem', type: d.attrs.type, managed: 'no', ...d.attrs }
      if (d.name === 'hostdev' && d.attrs.type === 'mdev' && d.attrs.model === 'vfio-pci' && d.attrs.display === undefined) d.attrs.display = 'off'
      // a mediated device's UUID is kept as a UUID (virUUIDParse) and written in the canonical form
      const mdevAddress = d.name === 'hostdev' && d.attrs.type === 'mdev' ? child(child(d, 'source'), 'address') : undefined
      const mdevUuid = canonicalUuid(mdevAddress?.attrs.uuid)
      if (mdevAddress && mdevUuid !== undefined) mdevAddress.attrs.uuid = mdevUuid
      if (d.name === 'hostdev') {
        const source = child(d, 'source')
        if (source?.attrs.protocol === 'iscsi' && source.attrs.name) source.attrs.name = iscsiNameWithLun(source.attrs.name)
        // (an iSCSI one's host is written with its name and a port not 0: virDomainHostdevDefFormatSubsysSCSI — `port='0'`
        // is not written back, libvirtd 9.0)
        const iscsiHost = d.attrs.type === 'scsi' && source?.attrs.protocol === 'iscsi' ? child(source, 'host') : undefined
        if (iscsiHost?.attrs.port !== undefined && readCInteger(iscsiHost.attrs.port, 10)?.magnitude === 0) delete iscsiHost.attrs.port
        // (a SCSI one's protocol `adapter` is its enumeration's 0, which virDomainHostdevDefFormatSubsysSCSI does not write —
        // libvirtd 9.0)
        if (d.attrs.type === 'scsi' && source?.attrs.protocol === 'adapter') delete source.attrs.protocol
        // a host PCI address is written in hex like a guest one, without a type
        for (const a of kids(source, 'address')) if (a.attrs.type === undefined && a.attrs.slot !== undefined) a.attrs = pciAttrs(a.attrs, false)
        // (without its multifunction switch, which virPCIDeviceAddressParseXML reads and virPCIDeviceAddressFormat does not
        // write — libvirtd 9.0)
        if (d.attrs.type === 'pci') for (const a of kids(source, 'address')) delete a.attrs.multifunction
        // (a PCI one holds its address whether or not one is read, and virDomainHostdevDefFormatSubsysPCI writes it
        // always: an empty `<source/>` is stored with 0000:00:00.0 — seen on libvirtd 9.0)
        if (source !== undefined && d.attrs.type === 'pci' && (d.attrs.mode ?? 'subsystem') === 'subsystem' && child(source, 'address') === undefined) {
          source.children = [...source.children, node('address', { domain: '0x0000', bus: '0x00', slot: '0x00', function: '0x0' })]
        }
        // (a USB one's host address is written only when its bus or device is not 0, and its <source> only with something
        // in it — virDomainHostdevDefFormatSubsysUSB, virXMLFormatElement: `<source/>` is stored as none, libvirtd 9.0)
        if (source !== undefined && d.attrs.type === 'usb' && (d.attrs.mode ?? 'subsystem') === 'subsystem') {
          const usbAddress = child(source, 'address')
          const zero = (v: string | undefined): boolean => { const r = v === undefined ? undefined : readCInteger(v, 0); return r !== undefined && r.magnitude === 0 }
          if (usbAddress && zero(usbAddress.attrs.bus) && zero(usbAddress.attrs.device)) source.children = source.children.filter((c) => c !== usbAddress)
          if (isEmpty(source.attrs) && source.children.length === 0) d.children = d.children.filter((c) => c !== source)
        }
      }
      // (a guestfwd channel's address as virSocketAddrFormat writes what it read: `0` is `0.0.0.0` — the odd-value search
      // edit, seed 371, libvirtd 9.0)
      if (d.name === 'channel') {
        const target = child(d, 'target')
        // (what the target's type reads and nothing else: model's channelTargetAttributes — `port` on a virtio channel,
        // `name` on a guestfwd one dropped; a guestfwd port kept in 16 bits, model's guestfwdPortStored — libvirtd 9.0)
        const reads = channelTargetAttributes.get(target?.attrs.type ?? '')
        if (target && reads) for (const a of Object.keys(target.attrs)) if (a !== 'type' && !reads.includes(a)) dropAttribute(ctx, target, a, () => `${devicePath(devices(ctx), d)}/target`)
        const port = target?.attrs.type === 'guestfwd' && target.attrs.port !== undefined ? readCUnsigned(target.attrs.port, 'uint') : undefined
        if (port !== undefined && port > 0xffffn) target!.attrs.port = String(guestfwdPortStored(port))
        const address = target?.attrs.type === 'guestfwd' ? target.attrs.address : undefined
        const canonical = address === undefined ? undefined : canonicalIpAddress(address, 4)
        if (canonical !== undefined && canonical !== address) target!.attrs.address = canonical
      }
      // (a teaming's type and persistent device are read with virXPathString, an empty one none, and written only when read:
      // virDomainNetTeamingInfoParseXML, virDomainNetTeamingInfoFormat — libvirtd 9.0)
      if (d.name === 'interface' || d.name === 'hostdev') {
        const teaming = child(d, 'teaming')
        if (teaming) {
          for (const a of ['type', 'persistent']) if (teaming.attrs[a] === '') delete teaming.attrs[a]
          if (teaming.attrs.type === undefined && teaming.attrs.persistent === undefined) d.children = d.children.filter((c) => c !== teaming)
        }
      }
      if (d.name === 'interface') {
        // libvirt keeps only the rx frame count of <coalesce> (virDomainNetDefCoalesceParseXML) and writes the element
        // only when that count is set and not 0 (virDomainNetDefCoalesceFormatXML)
        const coalesce = child(d, 'coalesce')
        // (read as virStrToLong_ullp reads it: blanks and a plus sign before the digits; an empty count is none)
        const raw = child(child(coalesce, 'rx'), 'frames')?.attrs.max
        const frames = raw === undefined || raw === '' ? undefined : /^[\t\n\v\f\r ]*\+?[0-9]+$/.test(raw) ? readCUnsignedLongLong(raw, 10) : undefined
        if (coalesce && (raw === undefined || raw === '' || frames === 0n)) d.children = d.children.filter((c) => c !== coalesce)
        else if (coalesce && frames !== undefined) coalesce.children = [node('rx', {}, [node('frames', { max: String(frames) })])]
        // a bandwidth's rates as libvirt keeps them (virNetDevBandwidthParseRate, virNetDevBandwidthRateFormat: numbers in
        // decimal, a 0 not written, a rate of no average and no floor not at all); an empty <bandwidth/> is not kept, nor
        // one queue (the default) — as libvirtd 9.0 writes oVirt's XML back
        const bandwidth = child(d, 'bandwidth')
        if (bandwidth && !bandwidthAsStored(bandwidth, !isLibvirt9(ctx))) d.children = d.children.filter((c) => c !== bandwidth)
        const netDriver = child(d, 'driver')
        if (netDriver?.attrs.queues?.trim() === '1') delete netDriver.attrs.queues
        // a direct (macvtap) interface's mode is VEPA unless told, and written (virDomainNetDefParseXML; libvirtd 9.0)
        const direct = d.attrs.type === 'direct' ? child(d, 'source') : undefined
        if (direct && direct.attrs.dev !== undefined && direct.attrs.mode === undefined) direct.attrs = { ...direct.attrs, mode: 'vepa' }
        // an IP address's family is written, read from the address (virDomainNetIPInfoFormat): the guest's and the host side's
        for (const holder of [d, child(d, 'source')]) {
          for (const ip of kids(holder, 'ip')) {
            const address = ip.attrs.address
            // (a family other than `ipv4` or `ipv6` — `IPV4` — is none to the parser: the address's own is written; seen on
            // libvirtd 9.0, the odd-value search edit)
            if (address === undefined) continue
            // (the address as virSocketAddrFormat writes what it read: `10.1` is `10.0.0.1`, IPv6 compressed in lower case)
            const canonical = canonicalIpAddress(address, ip.attrs.family === 'ipv4' ? 4 : ip.attrs.family === 'ipv6' ? 6 : undefined)
            if (canonical !== undefined && canonical !== address) ip.attrs.address = canonical
            // (its prefix as virStrToLong_ui read it, written in decimal and only when not 0 — seen on libvirtd 9.0)
            const prefix = ip.attrs.prefix === undefined ? undefined : readCUnsigned(ip.attrs.prefix, 'uint')
            if (prefix === 0n) { const { prefix: _p, ...rest } = ip.attrs; ip.attrs = rest } else if (prefix !== undefined) ip.attrs.prefix = String(prefix)
            if (ip.attrs.family === 'ipv4' || ip.attrs.family === 'ipv6') continue
            const { address: written, family: _f, ...rest } = ip.attrs
            ip.attrs = { address: written!, family: written!.includes(':') ? 'ipv6' : 'ipv4', ...rest }
          }
          // (a peer and a route's addresses likewise: virSocketAddrFormat — `gateway='0'` is 0.0.0.0, the odd-value search
          // edit, seed 410)
          for (const ip of kids(holder, 'ip')) canonicalAddresses(ip, ['peer'])
          for (const route of kids(holder, 'route')) canonicalAddresses(route, ['address', 'netmask', 'gateway'])
        }
        for (const forward of kids(d, 'portForward')) {
          canonicalAddresses(forward, ['address'])
          // (a range's end and destination written only beside its start — virDomainNetPortForwardRangesFormat; the
          // exclusion whatever, a range left without either not written — virXMLFormatElement: probe
          // h45-pf-passt-range-nostart, libvirtd 9.0)
          for (const range of kids(forward, 'range')) {
            if (range.attrs.start !== undefined) continue
            const { end: _e, to: _t, ...rest } = range.attrs
            range.attrs = rest
            if (Object.keys(rest).length === 0) forward.children = forward.children.filter((c) => c !== range)
          }
        }
        // a virtual port's missing IDs are made up at random (virNetDevVPortProfileParse, GENERATE_MISSING_DEFAULTS): an
        // Open vSwitch port's interface ID, an 802.1Qbg port's instance ID, both for a port of no type
        const port = child(d, 'virtualport')
        if (port) {
          const type = port.attrs.type
          // (the first <parameters> is read: virXMLNodeGetSubelement, a loop that stops at it in 9.0)
          if (kids(port, 'parameters').length > 1) {
            let first = true
            port.children = port.children.filter((c) => c.name !== 'parameters' || (first ? !(first = false) : false))
            ctx.explain(`domain/devices/interface[mac/@address='${child(d, 'mac')?.attrs.address ?? ''}']/virtualport/parameters[2]`, 'unread', 'libvirt reads the first <parameters> of a virtual port: the others are dropped.')
          }
          // (of those, what virNetDevVPortProfileFormat writes for the port's type: model's virtualPortParameters.written — a
          // MidoNet port's profile ID is not, libvirtd 9.0)
          const written = (virtualPortParameters.written as Record<string, readonly string[]>)[type ?? 'none']
          const first = child(port, 'parameters')
          if (first && written) for (const name of Object.keys(first.attrs)) if ((virtualPortParameters.written.none as readonly string[]).includes(name) && !written.includes(name)) delete first.attrs[name]
          const parameters = child(port, 'parameters')?.attrs
          // (the manager and type ids as the formatter writes what it read: `%d`, `0x10` is 16 — the odd-value search edit)
          if (parameters) {
            for (const name of ['managerid', 'typeid', 'typeidversion']) {
              const value = parameters[name]
              // (virStrToLong_ui: `-0` is 0)
              const read = value === undefined ? undefined : readCUnsigned(value, 'uint', 0)
              if (read !== undefined && String(read) !== value) parameters[name] = String(read)
            }
          }
          const random = [
            ...((type === undefined || type === 'openvswitch') && parameters?.interfaceid === undefined ? ['interfaceid'] : []),
            ...((type === undefined || type === '802.1Qbg') && parameters?.instanceid === undefined ? ['instanceid'] : []),
          ]
          if (random.length > 0) ctx.skip(`domain/devices/interface[mac/@address='${child(d, 'mac')?.attrs.address ?? ''}']/virtualport`, `libvirt gives ${type === undefined ? 'a virtual port of no type' : type === 'openvswitch' ? 'an Open vSwitch port' : `an ${type} port`} without ${random.join(' and ')} a random one.`)
        }
      }
      // virDomainMemballoonDefParseXML: the statistics period as a C int (a negative one is 0); written when not 0
      if (d.name === 'memballoon') {
        const stats = child(d, 'stats')
        const read = stats?.attrs.period === undefined ? undefined : readCInteger(stats.attrs.period, 0)
        if (stats && read) {
          if (read.negative || read.magnitude === 0) d.children = d.children.filter((c) => c !== stats)
          else if (read.magnitude <= 2 ** 31 - 1) stats.attrs.period = String(read.magnitude)
        } else if (stats && stats.attrs.period === undefined) d.children = d.children.filter((c) => c !== stats)
      }
      // virDomainRedirdevDefParseXML: a redirection without a bus is USB's (the only one), written back
      if (d.name === 'redirdev' && d.attrs.bus === undefined) d.attrs = { bus: 'usb', ...d.attrs }
      // virDomainRedirdevDefParseXML: a D-Bus redirection without a channel uses QEMU's usbredir one
      if (d.name === 'redirdev' && d.attrs.type === 'dbus') {
        const source = child(d, 'source')
        if (!source) d.children = [node('source', { channel: 'org.qemu.usbredir' }), ...d.children]
        else if (source.attrs.channel === undefined) source.attrs = { ...source.attrs, channel: 'org.qemu.usbredir' }
      }
      if (d.name === 'redirfilter') {
        for (const u of kids(d, 'usbdev')) {
          // (a version as libvirt reads and writes it: model's readUsbDeviceVersion — `+1.+1` is `1.01`; `-1` exactly is any)
          const version = u.attrs.version === undefined || u.attrs.version === '-1' ? undefined : readUsbDeviceVersion(u.attrs.version)
          if (version !== undefined) u.attrs.version = version
          else if (u.attrs.version === '-1') delete u.attrs.version
          // -1 is "any" (virDomainRedirFilterUSBDevDefParseXML), which the formatter leaves out
          for (const k of ['class', 'vendor', 'product']) if (u.attrs[k]?.trim() === '-1') delete u.attrs[k]
        }
      }
      // an emulated TPM's state kept or not is written only when kept, and its active PCR banks are a bitmap, written in
      // the banks' order (virDomainTPMPcrBank: model's tpmPcrBanks), each once, and not at all when none is set
      // (virDomainTPMDefParseXML, virDomainTPMDefFormat; seen on libvirtd 9.0)
      if (d.name === 'tpm') {
        const backend = child(d, 'backend')
        if (backend?.attrs.type === 'emulator') {
          if (backend.attrs.persistent_state === 'no') { const { persistent_state: _, ...rest } = backend.attrs; backend.attrs = rest }
          const banks = child(backend, 'active_pcr_banks')
          if (banks !== undefined) {
            const set = (deviceNames.tpmPcrBanks as readonly string[]).filter((bank) => banks.children.some((c) => c.name === bank))
            if (set.length === 0) backend.children = backend.children.filter((c) => c !== banks)
            else banks.children = set.map((bank) => node(bank, {}))
          }
        }
      }
      if ((d.name === 'channel' || d.name === 'console' || d.name === 'serial') && d.attrs.type === 'unix') {
        const src = child(d, 'source')
        // qemuDomainChrDefDropDefaultPath: a virtio channel's socket under libvirt's channel directory was
        // generated by libvirt; an inactive definition drops it, and a unix source without a path listens
        if (src && d.name === 'channel' && child(d, 'target')?.attrs.type === 'virtio' && isGeneratedChannelPath(src.attrs.path, child(d, 'target')?.attrs.name, ctx)) {
          delete src.attrs.path
          src.attrs.mode = 'bind'
          ctx.explain('domain/devices/channel/source', 'channel-default-path', "libvirt drops a virtio channel's socket path that it generated itself (under its channel directory).")
        }
        // (virDomainChrSourceDefFormat writes a unix source only with its path: mode, labels and reconnect go with it;
        // the guest agent's channel written with an empty <source>, as Go's libvirtxml does, was seen so on libvirtd 9.0)
        if (src && src.attrs.path === undefined) d.children = d.children.filter((c) => c !== src)
      }
      // virDomainWatchdogDefParseXML: a watchdog resets the guest unless told otherwise, and libvirt writes its action
      if (d.name === 'watchdog' && d.attrs.action === undefined) d.attrs = { model: d.attrs.model!, action: 'reset', ...d.attrs }
      if (d.name === 'panic' && (d.attrs.model === undefined || d.attrs.model === 'default')) {
        const model = panicModelOf(ctx, d)
        if (model) d.attrs.model = model
        else delete d.attrs.model
      }
      if (d.name === 'vsock') {
        if (d.attrs.model === undefined) d.attrs.model = 'virtio'
        // virDomainVsockDefPostParse: the guest CID is chosen when the domain starts unless one is given (the parser
        // refused a CID of 0 or one that does not read)
        const cid = child(d, 'cid')
        const address = cid?.attrs.address === undefined ? 0 : 1
        if (!cid) d.children = [node('cid', { auto: 'yes' }), ...d.children]
        else if (cid.attrs.auto === undefined) cid.attrs = { auto: address !== 0 ? 'no' : 'yes', ...cid.attrs }
      }
      // virDomainDiskExpandGroupIoTune: a disk naming only its throttling group takes the group's limits
      // from the first disk of that group that sets any
      if (d.name === 'disk') {
        const iotune = child(d, 'iotune')
        const group = textIn(child(iotune, 'group_name')).trim()
        if (iotune && group !== '' && iotune.children.every((c) => c.name === 'group_name')) {
          const donor = devices(ctx).find((o) => o !== d && o.name === 'disk' && textIn(child(child(o, 'iotune'), 'group_name')).trim() === group
            && child(o, 'iotune')!.children.some((c) => c.name !== 'group_name'))
          if (donor) {
            iotune.children = child(donor, 'iotune')!.children.map((c) => node(c.name, { ...c.attrs }, [], textIn(c)))
            ctx.explain(`domain/devices/disk[target/@dev='${child(d, 'target')?.attrs.dev ?? ''}']/iotune`, 'iotune-group', `libvirt copies the limits of throttling group \`${group}\` from another disk of the group.`)
          }
        }
      }
      // virDomainRNGDefPostParse: the random backend reads /dev/random unless told otherwise
      if (d.name === 'rng') {
        // its rate as virDomainRNGDefParseXML reads it (virXPathUInt; unreadable values were refused) and the formatter
        // writes it: none for 0 bytes, a period only beside bytes and not 0 (libvirtd 9.0: `bytes='0' period='x'` is no rate)
        const rate = child(d, 'rate')
        if (rate) {
          const bytes = rngRateValue(rate.attrs.bytes) ?? 0
          const period = bytes > 0 ? rngRateValue(rate.attrs.period) ?? 0 : 0
          if (bytes === 0) d.children = d.children.filter((c) => c !== rate)
          else rate.attrs = period > 0 ? { bytes: String(bytes), period: String(period) } : { bytes: String(bytes) }
        }
        const backend = child(d, 'backend')
        // (its file is the backend's string value, `string(./backend)`: text beside elements too, which it does not read —
        // `<backend model='random'>/dev/urandom<source …/></backend>` is /dev/urandom, libvirtd 9.0)
        const mixed = backend?.attrs.model === 'random' ? mixedText.get(backend) : undefined
        if (mixed !== undefined) { backend!.children = []; backend!.text = mixed }
        // (virXPathString: an empty file is none; a blank one is a file — `<backend model='random'> </backend>`, libvirtd 9.0)
        if (backend?.attrs.model === 'random' && (backend.text ?? '') === '') {
          backend.children = []
          backend.text = '/dev/random'
          ctx.explain('domain/devices/rng/backend', 'rng-default-source', 'A random RNG backend reads /dev/random unless told otherwise.')
        }
      }
      // (a smartcard's certificate is its content, an empty one too, written `<certificate>%s</certificate>`: open and closed
      // — virDomainSmartcardDefFormat, libvirtd 9.0; the blank-text search edit, seed 338)
      if (d.name === 'smartcard' && d.attrs.mode === 'host-certificates') for (const c of d.children) if (c.name === 'certificate' && c.text === undefined && c.children.length === 0) c.text = ''
      // (its database is `string(./database/text())`: the first text node alone — firstTextIn; probe h25-tx-db-child)
      const database = d.name === 'smartcard' && d.attrs.mode === 'host-certificates' ? child(d, 'database') : undefined
      if (database && (firstTextNode.has(database) || database.children.length > 0)) { database.text = firstTextIn(database); database.children = [] }
      if (d.name === 'filesystem' && d.attrs.type === undefined) d.attrs = { type: 'mount', ...d.attrs }
      // (a mount served by a vhost-user socket is written with the socket alone: virDomainFSDefFormat — a directory beside
      // it not written, probe h40-fs-src-mount-29, libvirtd 9.0)
      const fsSource = d.name === 'filesystem' && (d.attrs.type === 'mount' || d.attrs.type === 'bind') ? child(d, 'source') : undefined
      if (fsSource?.attrs.socket !== undefined && fsSource.attrs.dir !== undefined) { const { dir: _unwritten, ...rest } = fsSource.attrs; fsSource.attrs = rest }
      // a virtiofs queue size and daemon thread pool size as libvirt writes what it read (virDomainFSDefFormat: a queue
      // of 0 and a negative pool size not written; unreadable ones were refused)
      if (d.name === 'filesystem' && child(d, 'driver')?.attrs.type === 'virtiofs') {
        const driver = child(d, 'driver')!
        const queue = driver.attrs.queue
        if (queue !== undefined) {
          const read = queue === '' ? 0n : readCUnsigned(queue, 'ullong', 10)
          if (read === 0n) delete driver.attrs.queue
          else if (read !== undefined && String(read) !== queue) driver.attrs.queue = String(read)
        }
        const binary = child(d, 'binary')
        const pool = child(binary, 'thread_pool')
        const size = pool?.attrs.size
        if (pool && size !== undefined) {
          const read = size === '' ? -1 : readCInt(size, 10)
          if (read !== undefined && read < 0) binary!.children = binary!.children.filter((c) => c !== pool)
          else if (read !== undefined && String(read) !== size) pool.attrs.size = String(read)
        }
        // (a cache or sandbox without a mode, a lock without a switch and a thread pool without a size hold nothing, and
        // are not written: virDomainFSDefFormat — probes h40-fs-vfs27, -33, -37, -45, libvirtd 9.0)
        if (binary) {
          const holdsNothing = (c: N): boolean => ((c.name === 'cache' || c.name === 'sandbox') && c.attrs.mode === undefined) || (c.name === 'lock' && c.attrs.posix === undefined && c.attrs.flock === undefined) || (c.name === 'thread_pool' && c.attrs.size === undefined)
          if (binary.children.some(holdsNothing)) binary.children = binary.children.filter((c) => !holdsNothing(c))
        }
        // (an empty daemon path is none to virXPathString; a `<binary>` left with nothing is not written,
        // virXMLFormatElement — seen on libvirtd 9.0, seed 288)
        if (binary?.attrs.path === '') delete binary.attrs.path
        // libvirt 11.3: the daemon's open file limit, read as an unsigned long long and written — when not 0 — with `%lld`
        // (past 2^63 - 1 negative), and the user and group ID maps (virDomainFSDefParseXML, virDomainFSDefFormat; seen on
        // libvirtd 11.3)
        const openfiles = isLibvirt9(ctx) ? undefined : child(binary, 'openfiles')
        if (openfiles) {
          const max = openfiles.attrs.max
          const read = max === undefined || max === '' ? 0n : readCUnsigned(max, 'ullong', 10) ?? 0n
          if (read === 0n) binary!.children = binary!.children.filter((c) => c.name !== 'openfiles')
          else { openfiles.attrs = { max: String(BigInt.asIntN(64, read)) }; openfiles.children = []; openfiles.text = undefined; binary!.children = binary!.children.filter((c) => c.name !== 'openfiles' || c === openfiles) }
        }
        if (binary && isEmpty(binary.attrs) && binary.children.length === 0) d.children = d.children.filter((c) => c !== binary)
        if (!isLibvirt9(ctx)) idmapsAsStored(d)
      } else if (d.name === 'filesystem' && !isLibvirt9(ctx) && child(d, 'idmap')) {
        // (libvirt 11.3 reads ID maps for a virtiofs filesystem alone)
        d.children = d.children.filter((c) => c.name !== 'idmap')
      }
      const boot = child(d, 'boot')
      if (boot?.attrs.loadparm !== undefined) boot.attrs.loadparm = loadparmAsRead(boot.attrs.loadparm)
      if (d.name === 'sound' && d.attrs.model === 'virtio' && d.attrs.streams === undefined) d.attrs.streams = '2'
      // (libvirt 11: a sound device's and a crypto device's <driver> hold their virtio options alone, written in
      // virDomainVirtioOptionsFormat's order — a sound device's for a virtio card alone, though read for every model:
      // virDomainSoundDefFormat, virDomainCryptoDefFormat, from 11.3's source; 9.0 reads no <driver> there)
      if ((d.name === 'sound' || d.name === 'crypto') && !isLibvirt9(ctx)) virtioOptionsDriver(d, d.name === 'crypto' || d.attrs.model === 'virtio')
      if (d.name === 'rng') { for (const backend of d.children) if (backend.name === 'backend') { tcpProtocol(backend); socketSourceMode(backend) } } else if (chrProtocolHolders.has(d.name)) { tcpProtocol(d); socketSourceMode(d) }
      // (an external TPM's source is a character device's of the type it names: `mode='connect'` unless it binds — seen on
      // libvirtd 9.0, probe h29-g-tpm-external-plain)
      if (d.name === 'tpm') {
        const backend = child(d, 'backend')
        const source = backend?.attrs.type === 'external' ? child(backend, 'source') : undefined
        if (source !== undefined) socketSourceMode(node('backend', { type: source.attrs.type ?? '' }, [source]))
        // (and written back as a UNIX socket's type, mode and path alone — its reconnect and other settings read and not
        // kept: virDomainTPMDefFormat; the other types and modes are refused by virDomainTPMDevValidate)
        if (source?.attrs.type === 'unix' && source.attrs.path !== undefined) {
          source.attrs = { type: 'unix', mode: 'connect', path: source.attrs.path }
          source.children = []
        }
      }
      // (a character device's labels are written beside a path alone — a pty's is live state, a TCP or SPICE source
      // has none —, and read for the four character devices alone: model's chrSourceLabels, libvirtd 9.0)
      const labelHolder = d.name === 'rng' ? child(d, 'backend') : d.name === 'redirdev' || d.name === 'smartcard' || chrSourceLabels.readBy.includes(d.name) ? d : undefined
      if (labelHolder && !(chrSourceLabels.readBy.includes(d.name) && chrSourceLabels.writtenFor.includes(labelHolder.attrs.type ?? 'pty'))) {
        for (const c of labelHolder.children) if (c.name === 'source' && c.children.some((k) => k.name === 'seclabel')) c.children = c.children.filter((k) => k.name !== 'seclabel')
        // (a source left with nothing is not written: a pty's `<source><seclabel …/></source>` is stored as no <source>)
        labelHolder.children = labelHolder.children.filter((c) => c.name !== 'source' || c.children.length > 0 || !isEmpty(c.attrs))
      }
      if (d.name === 'serial' || d.name === 'parallel' || d.name === 'console' || d.name === 'channel') {
        for (const c of d.children) if (c.name === 'source' && c.children.length > 0 && writeSourceLabels(c)) ctx.explain(`domain/devices/${d.name}/source/seclabel`, 'seclabel-inactive', 'libvirt does not keep a device label that relabels without naming a label, and spells out `relabel`.')
      }
      if (d.name === 'disk' && d.attrs.type === 'vhostuser' && d.attrs.snapshot === undefined) d.attrs.snapshot = 'no'
      // (an NVMe disk's host device is managed unless told: virDomainDiskDefPostParse)
      // (its namespace read as an unsigned long long and written `%llu`: `01` is `1` — virDomainDiskSourceNVMeParse)
      if (d.name === 'disk' && d.attrs.type === 'nvme') {
        const nvme = child(d, 'source')
        if (nvme && nvme.attrs.managed === undefined) nvme.attrs.managed = 'yes'
        const ns = nvme?.attrs.namespace === undefined ? undefined : readCUnsignedLongLong(nvme.attrs.namespace, 10)
        if (nvme && ns !== undefined && String(ns) !== nvme.attrs.namespace) nvme.attrs.namespace = String(ns)
      }
      // (`delete` only when there is a state: deleting a property V8 does not know turns the object slow)
      if (d.name === 'channel') { const t = child(d, 'target'); if (t && t.attrs.state !== undefined) delete t.attrs.state }
      // (libvirt 11 looks for the host's qemu-rdp helper for an RDP display: qemuRdpAvailable)
      if (d.name === 'graphics' && d.attrs.type === 'rdp' && ctx.options.qemuRdp === undefined && !isLibvirt9(ctx)) ctx.skip('domain/devices/graphics', "libvirt offers RDP graphics only where it finds QEMU's RDP server helper (qemu-rdp) on the host: give `qemuRdp` — predicted as on a host that has it.")
      if (d.name === 'tpm') {
        if (d.attrs.model === undefined) d.attrs = { model: arch(ctx).startsWith('ppc64') ? 'tpm-spapr' : 'tpm-tis', ...d.attrs }
        const backend = child(d, 'backend')
        // (libvirt 11 keeps an emulator's state <source> as its type and path, the first alone, and writes it only with a
        // type: virDomainTPMDefParseXML, virDomainTPMDefFormat — seen on libvirtd 11.3)
        if (backend?.attrs.type === 'emulator' && !isLibvirt9(ctx) && child(backend, 'source') !== undefined) {
          const state = child(backend, 'source')!
          backend.children = backend.children.filter((c) => c.name !== 'source' || (c === state && state.attrs.type !== undefined))
          if (state.attrs.type !== undefined) state.attrs = { type: state.attrs.type, ...(state.attrs.path !== undefined ? { path: state.attrs.path } : {}) }
        }
        // (libvirt asks the host's swtpm about these backends at define: installed, and which TPM versions it offers)
        if ((backend?.attrs.type === 'emulator' || backend?.attrs.type === 'external') && ctx.options.swtpm === undefined) ctx.skip('domain/devices/tpm', 'libvirt checks the host\'s swtpm for this TPM (installed; TPM 1.2 and 2.0 offered): give `swtpm` (what `virsh domcapabilities` lists under <tpm>) — predicted as on a host whose swtpm offers both.')
        // (qemuDomainTPMDefPostParse: libvirt 11 picks TPM 2.0 but for a TIS one on x86; 9.0 picked 1.2 but for a
        // sPAPR or CRB one and on ARM virt — a RISC-V TIS TPM, 1.2 on libvirtd 9.0)
        if (backend?.attrs.type === 'emulator' && backend.attrs.version === undefined) backend.attrs.version = tpmEmulatorVersion(ctx, d)
        // (a passthrough TPM's host device when its path is left out or empty: model's tpmPassthroughDefaultPath)
        if (backend?.attrs.type === 'passthrough') {
          const device = child(backend, 'device')
          if (!device) backend.children = [node('device', { path: tpmPassthroughDefaultPath }), ...backend.children]
          else if (!device.attrs.path) device.attrs = { ...device.attrs, path: tpmPassthroughDefaultPath }
        }
      }
      if (d.name === 'disk') {
        const source = child(d, 'source')
        // (a network source's query string is read for HTTP(S) alone — model's diskQueryProtocols)
        if (d.attrs.type === 'network' && source?.attrs.query !== undefined && !diskQueryProtocols.has(source.attrs.protocol ?? '')) { const { query: _unread, ...rest } = source.attrs; source.attrs = rest }
        // virStorageSourceNetworkAssignDefaultPorts: a TCP host without a port, or with port 0 (oVirt's gluster hosts),
        // takes the protocol's (RBD and NFS have none: a port of 0 is then not written), down the backing chain too
        authTypeAsWritten(child(d, 'auth'))
        for (let at: N | undefined = d; at; at = child(at, 'backingStore')) {
          const held = at === d ? source : child(at, 'source')
          if (held) storageSourceAsWritten(held, at.attrs.type ?? 'file')
          // (a backing NVMe source's namespace and PCI address as written: virDomainDiskSourceNVMeFormat — the disk's own
          // are typed reads, model's attributeReads)
          if (held && at !== d && at.attrs.type === 'nvme') {
            const ns = held.attrs.namespace === undefined ? undefined : readCUnsignedLongLong(held.attrs.namespace, 10)
            if (ns !== undefined) held.attrs = { ...held.attrs, namespace: String(ns) }
            const address = child(held, 'address')
            if (address && ['domain', 'bus', 'slot', 'function'].every((k) => address.attrs[k] === undefined || readCInteger(address.attrs[k]!, 0) !== undefined)) address.attrs = pciAttrs(address.attrs, false)
          }
          if (held?.attrs.protocol !== undefined) networkHostsAsRead(held)
        }
        if (source?.attrs.protocol === 'iscsi' && source.attrs.name) source.attrs.name = iscsiNameWithLun(source.attrs.name)
      }
      if (d.name === 'shmem') {
        const model = child(d, 'model')?.attrs.type ?? 'ivshmem'
        const order = ['model', 'size', 'server', 'msi', 'address']
        // qemuDomainShmemDefPostParse: a doorbell needs its server, a plain device has none, and a doorbell's size is its server's
        if (model !== 'ivshmem') {
          const where = `domain/devices/shmem[@name='${d.attrs.name ?? ''}']`
          if (!child(d, 'server') && model === 'ivshmem-doorbell') throw new PreviewError('preview-refused', `shmem model '${model}' is supported only with server option enabled`, { path: `${where}/server` })
          if (child(d, 'server') && model === 'ivshmem-plain') throw new PreviewError('preview-refused', `shmem model '${model}' is supported only with server option disabled`, { path: `${where}/server` })
          if (child(d, 'server') && child(d, 'size')) throw new PreviewError('preview-refused', `shmem model '${model}' does not support size setting`, { path: `${where}/size` })
        }
        if (model !== 'ivshmem-doorbell' && !child(d, 'size')) insertOrdered(d, { ...node('size', { unit: 'M' }), text: '4' } as N, order)
        if (model !== 'ivshmem' && child(d, 'server')) {
          let msi = child(d, 'msi')
          if (!msi) { msi = node('msi'); insertOrdered(d, msi, order) }
          if (msi.attrs.ioeventfd === undefined) msi.attrs.ioeventfd = 'on'
        }
      }
      const address = child(d, 'address')
      if (address) normaliseAddress(address)
      for (const c of d.children) if (c.name === 'source') for (const a of kids(c, 'address')) normaliseAddress(a)
    }
    // (last: the device normalisations above read them — a UNIX socket's iSCSI host)
    dropCheckedUnwritten(ctx)
    unescapedNoted(ctx)
  },
}

/**
 * User and group ID maps as libvirt keeps them (virDomainDefFormatInternal; 11.3's virDomainFSDefFormat a virtiofs
 * filesystem's alike): the user maps, then the group maps, each sorted by start (virDomainIdMapEntrySort), numbers as
 * `%u`; no <idmap> without a user map.
 */
function idmapsAsStored(holder: N): void {
  const idmaps = kids(holder, 'idmap')
  if (idmaps.length === 0) return
  const entries = (kind: string): N[] => idmaps.flatMap((m) => kids(m, kind))
    .map((e) => ({ e, start: idmapNumber(e.attrs.start) ?? 0 })).sort((a, b) => a.start - b.start)
    .map(({ e }) => node(kind, { start: String(idmapNumber(e.attrs.start) ?? 0), target: String(idmapNumber(e.attrs.target) ?? 0), count: String(idmapNumber(e.attrs.count) ?? 0) }))
  const uids = entries('uid')
  const first = idmaps[0]!
  holder.children = holder.children.filter((c) => c.name !== 'idmap' || (c === first && uids.length > 0))
  if (uids.length > 0) { first.attrs = {}; first.text = undefined; first.children = [...uids, ...entries('gid')] }
}

/** A graphics password is written only with `--security-info` (VIR_DOMAIN_DEF_FORMAT_SECURE; libvirtd 9.0's plain dumpxml drops it). */
function hidePassword(ctx: PreviewContext, g: N): void {
  // a password's expiry and connected policy are written only with a password (virDomainGraphicsAuthDefFormatAttr)
  if (g.attrs.passwd === undefined && (g.attrs.passwdValidTo !== undefined || g.attrs.connected !== undefined)) {
    delete g.attrs.passwdValidTo
    delete g.attrs.connected
    ctx.explain(`domain/devices/graphics[@type='${g.attrs.type ?? ''}']`, 'graphics-password', 'Without a password libvirt keeps neither its expiry nor its connected policy.')
  }
  if (ctx.options.securityInfo || g.attrs.passwd === undefined) return
  delete g.attrs.passwd
  ctx.explain(`domain/devices/graphics[@type='${g.attrs.type ?? ''}']/@passwd`, 'graphics-password', '`virsh dumpxml` shows a graphics password only with `--security-info` (preview: `securityInfo`).')
}

/** A password validity (`2020-1-1T0:0:0`) as libvirt writes it back: `YYYY-MM-DDTHH:MM:SS` in UTC, the epoch when no such time. */
function passwordValidity(text: string): string {
  const [year, month, day, hour, minute, second] = (/^\s*([+-]?\d+)-\s*([+-]?\d+)-\s*([+-]?\d+)T\s*([+-]?\d+):\s*([+-]?\d+):\s*([+-]?\d+)$/.exec(text) ?? []).slice(1).map(Number)
  const valid = year !== undefined && year >= 1 && year <= 9999 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= new Date(Date.UTC(year, month!, 0)).getUTCDate()
    && hour! >= 0 && hour! <= 23 && minute! >= 0 && minute! <= 59 && second! >= 0 && second! < 60
  const at = new Date(valid ? Date.UTC(year, month! - 1, day!, hour!, minute!, second!) : 0)
  // (Date.UTC reads years 0–99 as 1900–1999: set the year itself; strftime's %Y pads nothing)
  if (valid && year < 100) at.setUTCFullYear(year)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`
}

function graphicsDefaults(ctx: PreviewContext, g: N): void {
  const type = g.attrs.type
  // virDomainGraphicsDefParseXMLEGLHeadless reads a first <gl>'s render node alone, and the formatter writes a <gl> only
  // with one (an empty <gl/> and `enable` dropped: seen on libvirtd 9.0)
  if (type === 'egl-headless') {
    const gl = child(g, 'gl')
    if (gl === undefined) return
    const rendernode = gl.attrs.rendernode
    if (rendernode === undefined) g.children = g.children.filter((c) => c.name !== 'gl')
    else { gl.attrs = { rendernode }; gl.children = []; gl.text = undefined; g.children = g.children.filter((c) => c.name !== 'gl' || c === gl) }
    return
  }
  if (type !== 'vnc' && type !== 'spice' && type !== 'rdp') return
  // a password's validity as libvirt keeps it (virDomainGraphicsAuthDefParseXML: read with a password alone, six numbers
  // a GDateTime in UTC takes — else none, the epoch — written back in full; seen on libvirtd 9.0)
  if (type !== 'rdp' && g.attrs.passwdValidTo !== undefined) {
    if (g.attrs.passwd === undefined) { const { passwdValidTo: _unread, ...rest } = g.attrs; g.attrs = rest } else g.attrs.passwdValidTo = passwordValidity(g.attrs.passwdValidTo)
  }
  // libvirt 11.3 reads a user name with a password alone, and writes it only beside one (virDomainGraphicsAuthDefParseXML,
  // virDomainGraphicsAuthDefFormatAttr; seen on libvirtd 11.3 — 9.0 has no user name)
  if (g.attrs.username !== undefined && g.attrs.passwd === undefined && !isLibvirt9(ctx)) { const { username: _unread, ...rest } = g.attrs; g.attrs = rest }
  // a socket libvirt generated itself (under its state directory) is dropped from the inactive definition
  const generated = (p: string | undefined): boolean => p !== undefined && p.startsWith('/var/lib/libvirt/qemu/')
  if (type === 'vnc' && generated(g.attrs.socket)) {
    delete g.attrs.socket
    g.children = g.children.filter((c) => !(c.name === 'listen' && c.attrs.type === 'socket' && generated(c.attrs.socket)))
  }
  // only an address listen keeps an address (virDomainGraphicsListenDefParseXML): a network listen's is the one the running
  // domain resolved, which an inactive definition does not read, and a socket or none listen reads none (each seen on
  // libvirtd 9.0; `<listen type='none' address='127.0.0.1'/>`: the differential's odd-form search, seed 611)
  for (const l of kids(g, 'listen')) if (l.attrs.type !== 'address' && l.attrs.address !== undefined) { const { address: _unread, ...rest } = l.attrs; l.attrs = rest }
  let firstListen = kids(g, 'listen')[0]
  // virDomainGraphicsListenDefParseXML: a first address listen without an address takes the display's own `listen`
  // (addressCompat); an empty address is none (`address[0]`) — each seen on libvirtd 9.0
  if (firstListen?.attrs.type === 'address' && firstListen.attrs.address === undefined && g.attrs.listen) firstListen.attrs.address = g.attrs.listen
  for (const l of kids(g, 'listen')) if (l.attrs.type === 'address' && l.attrs.address === '') { const { address: _empty, ...rest } = l.attrs; l.attrs = rest }
  // (and an empty network or socket is none, `network[0]`, `socketPath[0]`: not written — probes h40-g-vnc-listen33, -35)
  for (const l of kids(g, 'listen')) for (const a of ['network', 'socket']) if (l.attrs[a] === '') delete l.attrs[a]
  // (a first socket listen without a socket takes the display's own `socket` (socketCompat) — a SPICE display's too, whose
  // formatter never writes that attribute: probes h40-g-vnc-listen7, h40-g-spice-listen7, libvirtd 9.0)
  if ((type === 'vnc' || type === 'spice') && firstListen?.attrs.type === 'socket' && firstListen.attrs.socket === undefined && g.attrs.socket) firstListen.attrs.socket = g.attrs.socket
  if (type === 'spice') delete g.attrs.socket
  // virDomainGraphicsListensParseXML: a VNC server's own `socket` (the old way to write it) replaces a first listen on an
  // address or a network (seen on libvirtd 9.0)
  if (type === 'vnc' && g.attrs.socket !== undefined && (firstListen?.attrs.type === 'address' || firstListen?.attrs.type === 'network')) {
    const replaced = node('listen', { type: 'socket', socket: g.attrs.socket })
    g.children[g.children.indexOf(firstListen)] = replaced
    firstListen = replaced
    ctx.explain("domain/devices/graphics[@type='vnc']/listen", 'inactive-normalise', "A VNC server's `socket` attribute replaces its first address or network listen.")
  }
  // a VNC server listening nowhere, or on a socket, has no port: the formatter writes port and autoport only for an
  // address or network listen (virDomainGraphicsDefFormat)
  // (nor a `socket` or `listen` of its own: the formatter writes them from a first socket or address listen)
  // (nor a websocket: written with the port — probe h40-g-vnc-listen47, libvirtd 9.0)
  if (type === 'vnc' && firstListen?.attrs.type === 'none') {
    delete g.attrs.port
    delete g.attrs.autoport
    delete g.attrs.websocket
    delete g.attrs.socket
    delete g.attrs.listen
    return
  }
  if (type === 'vnc' && firstListen?.attrs.type === 'socket') {
    // (the display's `socket` is the listen's, written only with one: an empty `socket=''` beside a listen without one is
    // none — probe h40-g2-vnc13, libvirtd 9.0)
    if (firstListen.attrs.socket !== undefined) g.attrs.socket = firstListen.attrs.socket
    else delete g.attrs.socket
    delete g.attrs.listen
    delete g.attrs.port
    delete g.attrs.autoport
    delete g.attrs.websocket
    return
  }
  if (type === 'vnc' && g.attrs.socket === undefined) {
    // virDomainGraphicsDefParseXMLVNC as an inactive definition reads it: no port, or port -1, is "pick one"
    // (autoport); autoport reads yes or no, anything else leaves it as the port made it; autoport clears the port.
    // The formatter writes a port other than 0 without autoport, else -1 with it, and autoport always (each
    // checked on libvirtd 9.0: `autoport='true'` alone is autoport, beside port 5901 a fixed port; `05901` is 5901)
    const read = g.attrs.port === undefined ? undefined : readCInt(g.attrs.port, 10)
    let port = read ?? 0
    let autoport = read === undefined || read === -1
    if (autoport) port = 0
    if (g.attrs.autoport === 'yes') autoport = true
    else if (g.attrs.autoport === 'no') autoport = false
    if (autoport) port = 0
    if (port !== 0) g.attrs.port = String(port)
    else if (autoport) g.attrs.port = '-1'
    else delete g.attrs.port
    g.attrs.autoport = autoport ? 'yes' : 'no'
  }
  const listens = kids(g, 'listen')
  if (type === 'spice') {
    // virDomainGraphicsDefParseXMLSpice as an inactive definition reads it (unreadable values are refused: the parse
    // rows): ports -1 and -1 are the old way to ask for autoport, which clears both. virDomainDefPostParseGraphics:
    // an address listen with neither port nor autoport listens nowhere (type none, its address dropped). The
    // formatter writes ports other than 0 and autoport for an address or network listen only (each checked on
    // libvirtd 9.0: `05900` is 5900, port 0 listens nowhere, -1 alone is kept)
    let port = g.attrs.port === undefined ? 0 : readCInt(g.attrs.port, 10) ?? 0
    let tlsPort = g.attrs.tlsPort === undefined ? 0 : readCInt(g.attrs.tlsPort, 10) ?? 0
    const autoport = g.attrs.autoport === 'yes' || (port === -1 && tlsPort === -1)
    if (autoport) { port = 0; tlsPort = 0 }
    let first = listens[0]
    if (!first) {
      const address = g.attrs.listen
      first = node('listen', address === undefined || address === '' ? { type: 'address' } : { type: 'address', address })
      g.children.unshift(first)
    }
    if (first.attrs.type === 'address' && port === 0 && tlsPort === 0 && !autoport) { first.attrs = { type: 'none' }; delete g.attrs.listen }
    if (first.attrs.type === 'address' || first.attrs.type === 'network') {
      if (port !== 0) g.attrs.port = String(port); else delete g.attrs.port
      if (tlsPort !== 0) g.attrs.tlsPort = String(tlsPort); else delete g.attrs.tlsPort
      g.attrs.autoport = autoport ? 'yes' : 'no'
    } else { delete g.attrs.port; delete g.attrs.tlsPort; delete g.attrs.autoport }
  }
  // virDomainGraphicsListensParseXML: without a <listen>, one made of the graphics' own `socket` (VNC) or `listen`
  // (an empty one is none); the formatter writes the first address listen's address as `listen`
  if (listens.length === 0 && type !== 'spice') {
    const address = g.attrs.listen
    if (address === '') delete g.attrs.listen
    if (type === 'vnc' && g.attrs.socket !== undefined) g.children.unshift(node('listen', { type: 'socket', socket: g.attrs.socket }))
    else if (address) g.children.unshift(node('listen', { type: 'address', address }))
    else if (type === 'vnc') g.children.unshift(node('listen', { type: 'address' }))
  }
  const first = kids(g, 'listen')[0]
  if (first?.attrs.type === 'address' && first.attrs.address !== undefined) g.attrs.listen = first.attrs.address
  else if (type !== 'rdp') delete g.attrs.listen
  // (a VNC display's own `socket` made its listen: no port, autoport or websocket written — probe h40-g-vnc-listen2)
  if (type === 'vnc' && first?.attrs.type === 'socket') { delete g.attrs.port; delete g.attrs.autoport; delete g.attrs.websocket }
  // (the attributes are written in the formatter's order: model's attributeOrder, as every element's)
}

/**
 * virXMLNodeSanitizeNamespaces on <metadata>: children without a namespace are dropped, and of several
 * children in one namespace only the last stays.
 */
function sanitiseMetadata(ctx: PreviewContext): void {
  const metadata = child(ctx.domain, 'metadata')
  const raw = metadata?.raw
  // (libvirt 11 keeps a <metadata> only with an element in it, xmlFirstElementChild: virDomainDefParseXML — libvirtd 11.3;
  // 9.0 keeps any)
  if (metadata && !isLibvirt9(ctx) && !(raw ? raw.children.some((c) => c.type === 'element') : metadata.children.length > 0)) {
    ctx.domain.children = ctx.domain.children.filter((c) => c !== metadata)
    ctx.explain('domain/metadata', 'metadata-namespaces', 'libvirt 11 keeps no <metadata> without an element in it.')
    return
  }
  if (!metadata || !raw) return
  const uriOf = (e: Element): string | undefined => {
    const colon = e.name.indexOf(':')
    const key = colon < 0 ? 'xmlns' : `xmlns:${e.name.slice(0, colon)}`
    return e.attributes[key] ?? raw.attributes[key] ?? ctx.options.rootElement.attributes[key]
  }
  const elements = raw.children.filter((c): c is Element => c.type === 'element')
  const uris = elements.map(uriOf)
  const keep = elements.filter((_, i) => {
    const uri = uris[i]
    // (virXMLNodeSanitizeNamespaces keeps the first of each namespace and removes the later ones)
    return uri !== undefined && uri !== '' && uris.indexOf(uri) === i
  })
  // (and the rest of its children — text, comments, processing instructions — have no namespace either: dropped, seen on
  // libvirtd 9.0; below those elements everything stays)
  if (keep.length !== raw.children.length) {
    metadata.raw = { ...raw, children: keep }
    ctx.explain('domain/metadata', 'metadata-namespaces', 'libvirt keeps one metadata element per namespace (the first) and drops those without one, and any text, comment or processing instruction beside them.')
  }
  // libvirt keeps a copy of <metadata> (libxml2's xmlCopyNode): a prefix the copied elements and attributes use but
  // declare only on <domain> is declared again on <metadata>, in the order of first use (seen on libvirtd 9.0)
  const root = ctx.options.rootElement.attributes
  // (nothing to do unless <domain> declares a prefix: composed domains declare theirs where they use them)
  let declares = false
  for (const k in root) if (k.startsWith('xmlns:')) { declares = true; break }
  if (!declares) return
  const added: Record<string, string> = {}
  const visit = (e: Element, scope: ReadonlySet<string>): void => {
    let inner = scope
    for (const k in e.attributes) if (k.startsWith('xmlns:')) { if (inner === scope) inner = new Set(scope); (inner as Set<string>).add(k.slice(6)) }
    const prefixes = [e.name, ...Object.keys(e.attributes).filter((k) => k !== 'xmlns' && !k.startsWith('xmlns:'))]
    for (const name of prefixes) {
      const colon = name.indexOf(':')
      if (colon < 0) continue
      const prefix = name.slice(0, colon)
      if (prefix === 'xml' || inner.has(prefix) || Object.hasOwn(added, prefix)) continue
      const uri = root[`xmlns:${prefix}`]
      if (uri !== undefined) added[prefix] = uri
    }
    for (const c of e.children) if (c.type === 'element') visit(c, inner)
  }
  const current = metadata.raw!
  const own = new Set(Object.keys(metadata.attrs).filter((k) => k.startsWith('xmlns:')).map((k) => k.slice(6)))
  for (const c of current.children) if (c.type === 'element') visit(c, own)
  if (Object.keys(added).length === 0) return
  // (the element's own attributes are what the writer writes: metadata.attrs)
  for (const prefix in added) metadata.attrs[`xmlns:${prefix}`] = added[prefix]!
  ctx.explain('domain/metadata', 'metadata-namespaces', 'libvirt keeps its own copy of <metadata>: the namespaces declared on <domain> that it uses are declared on <metadata>.')
}

/**
 * A `<memoryBacking>` as virDomainMemorybackingFormat writes what the parser read: an empty source type, access or
 * allocation mode is none (virXPathString reads `''` as unset), 0 or empty allocation threads are none (written above 0); a
 * `<source>`, `<access>` or `<allocation>` then left with nothing is not written, nor a `<memoryBacking>` left empty
 * (model's emptyUnwritten) — seen on libvirtd 9.0, probes h19-mb-src-none, h19-r2-mb-src-empty, h19-mb-alloc-threads0.
 */
function memoryBackingAsWritten(domain: N): void {
  const backing = child(domain, 'memoryBacking')
  if (!backing) return
  let changed = false
  for (const [element, attribute] of memoryBackingModes) {
    const c = child(backing, element)
    if (c?.attrs[attribute] === '') { const { [attribute]: _empty, ...rest } = c.attrs; c.attrs = rest; changed = true }
  }
  const allocation = child(backing, 'allocation')
  // (an empty count is none too: virXPathUInt finds no number in `''` — `<allocation threads=''/>` alone is stored as
  // no <memoryBacking>, seen on libvirtd 9.0)
  if (allocation?.attrs.threads === '0' || allocation?.attrs.threads === '') { const { threads: _zero, ...rest } = allocation.attrs; allocation.attrs = rest; changed = true }
  if (!changed) return
  backing.children = backing.children.filter((c) => !(emptyUnwritten.has(`memoryBacking/${c.name}`) && c.children.length === 0 && isEmpty(c.attrs)))
  if (backing.children.length === 0 && isEmpty(backing.attrs) && emptyUnwritten.has('memoryBacking')) domain.children = domain.children.filter((c) => c !== backing)
}

/**
 * Domain-wide settings as libvirt writes them back (each seen on libvirtd 9.0 with XML as oVirt, Nova and Vagrant
 * write it): empty text settings (<uuid/>, <title/>, <kernel/>…) and an empty <cputune> are not kept; a variable clock has its adjustment (0) and basis (UTC) spelt out; power
 * management lists suspend-to-mem before suspend-to-disk; a guest NUMA cell's memory and a memory device's sizes are in KiB.
 */
function domainSettingsForm(ctx: PreviewContext): void {
  const domain = ctx.domain
  // an empty text setting is none: libvirt reads it as unset (a UUID it then makes up) — as Vagrant writes them
  const empty = (n: N): boolean => n.children.length === 0 && (n.text === undefined || n.text === '') && Object.keys(n.attrs).length === 0
  const emptyTop = domain.children.filter((c) => (c.name === 'uuid' || c.name === 'title' || c.name === 'description' || c.name === 'bootloader' || c.name === 'bootloader_args') && empty(c))
  if (emptyTop.length > 0) {
    domain.children = domain.children.filter((c) => !emptyTop.includes(c))
    if (emptyTop.some((c) => c.name === 'uuid')) ctx.skip('domain/uuid', 'An empty <uuid> is none: libvirt makes up a random UUID.')
  }
  // an empty <genid> asks libvirt for a generation ID: a random UUID (virDomainDefParseXML; virt-v2v writes one)
  const genid = child(domain, 'genid')
  if (genid && textIn(genid) === '') {
    // (libvirt's test host makes up the same one every time: testHostUuid)
    if (ctx.options.testHost !== undefined) {
      genid.text = testHostUuid
      ctx.explain('domain/genid', 'genid-generated', "libvirt makes up a generation ID for an empty <genid> (on libvirt's test host, from its mocked random bytes).")
    } else ctx.skip('domain/genid', 'An empty <genid> gets a random generation ID from libvirt: preview writes it empty; give one to know it.')
  }
  // a generation ID is a UUID, written in libvirt's form (lower case, dashed)
  if (genid && textIn(genid) !== '') { const canonical = canonicalUuid(textIn(genid)); if (canonical !== undefined && canonical !== genid.text) genid.text = canonical }
  // (no <uuid> at all: libvirt makes one up too, unless the SMBIOS system UUID gives it — sysinfoForm)
  const smbiosUuid = kids(domain, 'sysinfo').some((i) => kids(child(i, 'system'), 'entry').some((e) => e.attrs.name === 'uuid' && canonicalUuid(e.text ?? '') !== undefined))
  if (!child(domain, 'uuid') && !smbiosUuid && ctx.options.testHost !== undefined) {
    insertOrdered(domain, node('uuid', {}, [], testHostUuid), domainChildOrder)
    ctx.explain('domain/uuid', 'uuid-generated', "libvirt makes up a UUID for a domain without one (on libvirt's test host, from its mocked random bytes).")
  } else if (!child(domain, 'uuid') && !smbiosUuid && emptyTop.every((c) => c.name !== 'uuid')) ctx.skip('domain/uuid', 'A domain without <uuid> gets a random one from libvirt: preview writes none; give it one to know it.')
  const os = child(domain, 'os')
  // an SMBIOS mode of none, or none at all, is no <smbios> (virDomainDefFormatInternal writes a mode other than none; seen
  // on libvirtd 9.0 with virt-install's `--sysinfo none`)
  const smbios = child(os, 'smbios')
  if (os && smbios && (smbios.attrs.mode === undefined || smbios.attrs.mode === '' || smbios.attrs.mode === 'none')) {
    os.children = os.children.filter((c) => c !== smbios)
    ctx.explain('domain/os/smbios', 'smbios-none', 'An SMBIOS mode of none is the default: libvirt writes no <smbios>.')
  }
  // memory allocation threads as libvirt writes what virXPathUInt read (` 08` is 8; an empty count is none)
  const allocation = child(child(domain, 'memoryBacking'), 'allocation')
  const threads = allocation?.attrs.threads
  if (allocation && threads !== undefined && !/^[1-9][0-9]*$|^0$/.test(threads)) {
    const read = threads === '' ? undefined : readCInteger(threads, 10)
    if (read) allocation.attrs.threads = String(read.magnitude)
  }
  memoryBackingAsWritten(domain)
  // the kernel options libvirt reads by string(./os/NAME[1]) (model's osKernelOptions): an empty one is none, not written
  if (os && os.children.some((c) => osKernelOptions.includes(c.name) && empty(c))) {
    os.children = os.children.filter((c) => !(osKernelOptions.includes(c.name) && empty(c)))
  }
  // cache and memory bandwidth allocations as libvirt keeps them: one group per set of vCPUs (clipped to the domain's),
  // its caches by level, type and id with sizes in the largest unit that divides them, its bandwidths by node; every
  // group's <cachetune> before the <memorytune>s (virDomainCachetuneDefFormat, virDomainMemorytuneDefFormat)
  const tuned = child(domain, 'cputune')
  if (tuned && tuned.children.some((c) => c.name === 'cachetune' || c.name === 'memorytune')) {
    const read = readResctrls(domain, isLibvirt9(ctx))
    if ('resctrls' in read) {
      tuned.children = [...tuned.children.filter((c) => c.name !== 'cachetune' && c.name !== 'memorytune'), ...resctrlElements(read.resctrls)]
      ctx.explain('domain/cputune', 'cputune-resctrl', 'libvirt keeps cache and memory bandwidth allocations per group of vCPUs, in its own order and units.')
    }
  }
  idmapsAsStored(domain)
  const cputune = child(domain, 'cputune')
  if (cputune && cputune.children.length === 0 && Object.keys(cputune.attrs).length === 0) {
    domain.children = domain.children.filter((c) => c !== cputune)
    ctx.explain('domain/cputune', 'cputune-empty', 'libvirt keeps no empty <cputune>.')
  }
  const clock = child(domain, 'clock')
  // (an empty offset is none to virXPathString: the default, UTC — the odd-value search edit, libvirtd 9.0 —, and the
  // formatter writes the offset whatever was written: `<clock/>` is stored `<clock offset='utc'/>`, libvirtd 9.0)
  if (clock !== undefined && (clock.attrs.offset === '' || clock.attrs.offset === undefined)) {
    const { offset: _o, ...rest } = clock.attrs
    clock.attrs = { offset: 'utc', ...rest }
    ctx.explain('domain/clock/@offset', 'clock-default', 'A clock without an offset (or an empty one) has the default, `utc`.')
  }
  // a UTC or local time clock with a number of seconds to adjust by is a variable one on that basis (virDomainDefClockParse;
  // `reset` stays as written)
  // (an empty adjustment is none; one that does not read was refused)
  const adjusted = clock?.attrs.offset === 'utc' || clock?.attrs.offset === 'localtime' ? clock.attrs.adjustment : undefined
  if (clock && adjusted === '') {
    const { adjustment: _a, ...rest } = clock.attrs
    clock.attrs = rest
  } else if (clock && adjusted !== undefined && adjusted !== 'reset') {
    const read = readCLongLong(adjusted, 10)
    if (read !== undefined) {
      const { offset, adjustment: _a, basis: _b, ...rest } = clock.attrs
      clock.attrs = { offset: 'variable', adjustment: String(read), basis: offset!, ...rest }
    }
  }
  // a variable clock's adjustment as the number virXPathLongLong reads (0 when it does not read: `+7` → `7`, `reset` →
  // `0`), its basis UTC unless written; its adjustment at start (`adjustment0`) is a running domain's alone
  if (clock?.attrs.offset === 'variable') {
    const { offset, adjustment, basis, adjustment0, ...rest } = clock.attrs
    const read = String((adjustment === undefined ? undefined : readCLongLong(adjustment, 10)) ?? 0n)
    if (read !== adjustment || basis === undefined || basis === '' || adjustment0 !== undefined) {
      clock.attrs = { offset: offset!, adjustment: read, basis: basis || 'utc', ...rest }
      ctx.explain('domain/clock', 'clock-variable', 'A variable clock is written with its adjustment (default 0 seconds) and basis (default UTC).')
    }
  }
  // the CPU tuning numbers as libvirt writes what it read (` 01024` → `1024`; unreadable ones were refused)
  const tuning = child(domain, 'cputune')
  if (tuning) for (const [name, signed] of cputuneNumbers) {
    const n = child(tuning, name)
    // (an empty one is none to virXPathULongLong: not written, nor a <cputune> left empty)
    if (n !== undefined && (n.text ?? '') === '' && n.children.length === 0 && isEmpty(n.attrs)) {
      tuning.children = tuning.children.filter((c) => c !== n)
      if (tuning.children.length === 0 && isEmpty(tuning.attrs)) domain.children = domain.children.filter((c) => c !== tuning)
      continue
    }
    const written = n?.text === undefined ? undefined : cputuneNumber(n.text, signed)
    // (a period or quota of 0 is none to virDomainCputuneDefFormat: not written — `<period>0</period>`, libvirtd 9.0;
    // shares of 0 are written, the parser marks them given)
    if (written === '0' && name !== 'shares') {
      tuning.children = tuning.children.filter((c) => c !== n)
      if (tuning.children.length === 0 && isEmpty(tuning.attrs)) domain.children = domain.children.filter((c) => c !== tuning)
      continue
    }
    if (written !== undefined && written !== n!.text) n!.text = written
  }
  // power management: the first <suspend-to-mem> and <suspend-to-disk> are read, each only for its `enabled`; the
  // formatter writes <pm> only around one that says yes or no, suspend-to-mem first (virDomainPMStateParseXML,
  // virDomainDefFormatInternalSetRootName: `<pm><suspend-to-mem/></pm>` is not written back, libvirtd 9.0)
  const pm = child(domain, 'pm')
  if (pm) {
    const read = (name: string): N[] => { const enabled = child(pm, name)?.attrs.enabled; return enabled === undefined ? [] : [node(name, { enabled })] }
    const stored = [...read('suspend-to-mem'), ...read('suspend-to-disk')]
    if (stored.length === 0) domain.children = domain.children.filter((c) => c !== pm)
    else pm.children = stored
  }
  for (const cell of kids(child(child(domain, 'cpu'), 'numa'), 'cell')) {
    // (its CPUs as a bitmap in libvirt's form, `0,1` → `0-1`; its memory as the number libvirt read, ` 01048576` → `1048576`)
    const cpus = cell.attrs.cpus === undefined ? undefined : parseBitmap(cell.attrs.cpus)
    if (cpus !== undefined && cpus.length > 0) { const canonical = formatBitmap(cpus); if (canonical !== cell.attrs.cpus) cell.attrs.cpus = canonical }
    // (a set that names no CPU, `0,^0`, is not kept: virDomainNumaDefParseXML — the cell has none; seen on libvirtd 9.0)
    else if (cpus !== undefined) { const { cpus: _none, ...rest } = cell.attrs; cell.attrs = rest }
    if (cell.attrs.memory !== undefined && (cell.attrs.unit ?? 'KiB') === 'KiB') {
      const kib = kibOf(cell.attrs.memory, 'KiB')
      if (kib !== undefined && String(kib) !== cell.attrs.memory) cell.attrs.memory = String(kib)
    }
    if (cell.attrs.memory !== undefined && cell.attrs.unit !== 'KiB') {
      const { memory, unit, ...rest } = cell.attrs
      const kib = kibOf(memory, unit)
      if (kib === undefined) continue
      const attrs: Record<string, string> = {}
      for (const k in rest) { attrs[k] = rest[k]!; if (k === 'cpus') { attrs.memory = String(kib); attrs.unit = 'KiB' } }
      if (attrs.memory === undefined) { attrs.memory = String(kib); attrs.unit = 'KiB' }
      cell.attrs = attrs
    }
  }
  // a memory device's sizes are kept in KiB (virDomainParseMemory), written as numbers: `<size unit='GiB'>1</size>` →
  // 1048576 KiB, `<size unit='KiB'>0523264</size>` → 523264
  for (const d of devices(ctx)) {
    if (d.name !== 'memory') continue
    const target = child(d, 'target')
    const source = child(d, 'source')
    for (const n of [child(target, 'size'), child(target, 'block'), child(target, 'requested'), child(child(target, 'label'), 'size'), child(source, 'pagesize'), child(source, 'alignsize')]) {
      if (!n) continue
      // (an empty one is 0: virDomainParseMemory of no value — `<requested unit='GiB'></requested>` is 0 KiB, libvirtd 9.0)
      const kib = (n.text ?? '') === '' ? 0 : kibOf(textIn(n), n.attrs.unit)
      if (kib !== undefined && (n.attrs.unit !== 'KiB' || n.text !== String(kib))) { n.attrs = { ...n.attrs, unit: 'KiB' }; n.text = String(kib) }
    }
    if (source) memorySourceAsWritten(d, source)
    // (an NVDIMM's UUID as virUUIDFormat writes what it read; an empty one is none)
    const uuid = d.attrs.model === 'nvdimm' ? child(d, 'uuid') : undefined
    const canonical = uuid ? canonicalUuid(textIn(uuid)) : undefined
    if (uuid && canonical !== undefined && canonical !== uuid.text) uuid.text = canonical
    else if (uuid && textIn(uuid) === '') d.children = d.children.filter((c) => c !== uuid)
    // (an NVDIMM label of size 0, or without a size, is none: virDomainMemoryTargetDefFormat writes a label of a size —
    // the parser reads `./label/size` as optional; seen on libvirtd 9.0, probe h19-md-nvd-label-nosize)
    const label = child(target, 'label')
    const labelSize = child(label, 'size')
    if (target && label && d.attrs.model === 'nvdimm' && (labelSize === undefined || kibOf(textIn(labelSize), labelSize.attrs.unit) === 0)) target.children = target.children.filter((c) => c !== label)
  }
}

/**
 * A memory device's `<source>` as virDomainMemorySourceDefFormat writes what virDomainMemorySourceDefParseXML read (its
 * children by model are childrenByType's): a page size or alignment of 0, or empty, is none; an empty path or node mask
 * is none (virXPathString), a node mask is written in virBitmapFormat's form (`0,1` → `0-1`); a repeat is not read; a `<source>` left empty
 * is not written (virXMLFormatElement) — each seen on libvirtd 9.0.
 */
function memorySourceAsWritten(d: N, source: N): void {
  let kept: N[] | undefined
  for (let i = 0; i < source.children.length; i++) {
    const c = source.children[i]!
    if (memorySourceChildRead(source, c, i)) kept?.push(c)
    else kept ??= source.children.slice(0, i)
  }
  if (kept) source.children = kept
  if (source.children.length === 0 && isEmpty(source.attrs) && emptyUnwritten.has('devices/memory/source')) d.children = d.children.filter((c) => c !== source)
}

/** Whether the `i`th child of a memory device's `<source>` is read and written back (a node mask then in libvirt's form). */
function memorySourceChildRead(source: N, c: N, i: number): boolean {
  // (each is read once, the first of its name: `string(./nodemask)`)
  if (source.children.indexOf(child(source, c.name)!) < i) return false
  const text = textIn(c)
  if (c.name === 'pagesize' || c.name === 'alignsize') return text !== '' && kibOf(text, c.attrs.unit) !== 0
  if (c.name === 'nodemask' && text !== '') {
    const nodes = parseBitmap(text, cpuMaskLength)
    if (nodes !== undefined && nodes.length > 0) { const canonical = formatBitmap(nodes); if (canonical !== c.text) c.text = canonical }
  }
  // (a path is read as written, blank too: virXPathString — the odd-value search edit, seed 317)
  return c.name === 'pmem' || (c.name === 'path' ? (c.text ?? '') !== '' : text !== '')
}

/** A UUID as libvirt writes what it read (model's readUuid), or `undefined` for none or one that does not read. */
const canonicalUuid = (value: string | undefined): string | undefined => (value === undefined ? undefined : readUuid(value))

/** The UUIDs below a device that libvirt reads and writes canonically (see the cleanup rule). */
function uuidsAsWritten(n: N): void {
  for (const c of n.children) {
    const keys = c.name === 'secret' ? secretUuid : c.name === 'parameters' && n.name === 'virtualport' ? virtualPortUuids : undefined
    if (keys) for (const k of keys) { const v = c.attrs[k]; const canonical = v === undefined ? undefined : canonicalUuid(v); if (canonical !== undefined && canonical !== v) c.attrs = { ...c.attrs, [k]: canonical } }
    if (c.children.length > 0) uuidsAsWritten(c)
  }
}
const secretUuid: readonly string[] = ['uuid']
const virtualPortUuids: readonly string[] = ['interfaceid', 'instanceid']

/** The entries libvirt reads in each SMBIOS section of a domain's <sysinfo>, in the order it writes them. */
const smbiosEntries: Readonly<Record<string, readonly string[]>> = {
  bios: ['vendor', 'version', 'date', 'release'],
  system: ['manufacturer', 'product', 'version', 'serial', 'uuid', 'sku', 'family'],
  baseBoard: ['manufacturer', 'product', 'version', 'serial', 'asset', 'location'],
  chassis: ['manufacturer', 'version', 'serial', 'asset', 'sku'],
}

/**
 * <uuid> in libvirt's form (taken from the SMBIOS system UUID when the domain has none), and <sysinfo type='smbios'>
 * as libvirt keeps it (virSysinfoParseXML, virSysinfoFormat; checked on libvirtd 9.0): its sections in libvirt's
 * order (BIOS, system, base boards, chassis, OEM strings; nothing else), in each the first entry of every name
 * libvirt knows that says something, in its order, a section with none left out.
 */
function uuidAndSysinfo(ctx: PreviewContext): void {
  const uuid = child(ctx.domain, 'uuid')
  const written = uuid ? canonicalUuid(textIn(uuid)) : undefined
  if (uuid && written !== undefined && written !== uuid.text) uuid.text = written
  // (no <uuid>: libvirt's is a generated one, which an SMBIOS system UUID replaces)
  const generated = uuid === undefined
  for (const sysinfo of kids(ctx.domain, 'sysinfo')) {
    // (firmware configuration: libvirt reads the <entry>s alone — `<sysinfo type='fwcfg'><system>…` is stored
    // `<sysinfo type='fwcfg'/>` —, each written with its file when it has one, its value only without
    // (virSysinfoParseFWCfgDef, virSysinfoFormatFWCfg; libvirtd 9.0))
    if (sysinfo.attrs.type === 'fwcfg') {
      const entries = kids(sysinfo, 'entry').map((e) => e.attrs.file !== undefined
        ? node('entry', { name: e.attrs.name ?? '', file: e.attrs.file })
        : node('entry', { name: e.attrs.name ?? '' }, [], textIn(e)))
      const same = entries.length === sysinfo.children.length && entries.every((e, i) => {
        const was = sysinfo.children[i]!
        return was.name === 'entry' && was.children.length === 0 && JSON.stringify(was.attrs) === JSON.stringify(e.attrs) && (was.text ?? '') === (e.text ?? '')
      })
      if (!same) {
        sysinfo.children = entries
        ctx.explain('domain/sysinfo', 'sysinfo-form', 'libvirt keeps of firmware configuration data its entries alone, each with its file, or its value when it has none.')
      }
      // (an entry's name is written unescaped, as libvirt writes it: model's attributesWrittenUnescaped, unescapedNoted)
      continue
    }
    if (sysinfo.attrs.type !== 'smbios') continue
    const sections: N[] = []
    for (const name of ['bios', 'system', 'baseBoard', 'chassis']) {
      const known = smbiosEntries[name]!
      for (const section of kids(sysinfo, name)) {
        const entries: N[] = []
        for (const entryName of known) {
          const entry = section.children.find((e) => e.name === 'entry' && e.attrs.name === entryName)
          // (as written: libvirt keeps whitespace, only an empty entry says nothing)
          const text = entry?.text ?? ''
          if (text === '') continue
          entries.push(node('entry', { name: entryName }, [], entryName === 'uuid' ? canonicalUuid(text) ?? text : text))
        }
        if (entries.length > 0) sections.push(node(name, {}, entries))
        // (one BIOS, system and chassis: libvirt reads the first)
        if (name !== 'baseBoard') break
      }
    }
    const oem = child(sysinfo, 'oemStrings')
    const strings = kids(oem, 'entry')
    if (strings.length > 0) sections.push(node('oemStrings', {}, strings.map((e) => node('entry', {}, [], e.text ?? ''))))
    const before = JSON.stringify(sysinfo.children.map((c) => [c.name, c.children.map((e) => [e.attrs.name, e.text])]))
    if (JSON.stringify(sections.map((c) => [c.name, c.children.map((e) => [e.attrs.name, e.text])])) !== before) {
      sysinfo.children = sections
      ctx.explain('domain/sysinfo', 'sysinfo-form', 'libvirt keeps of SMBIOS data the entries it knows, one of each name, in its own order, and drops empty sections.')
    }
    // a domain without <uuid> takes the SMBIOS system UUID — each SMBIOS sysinfo's in turn, the last one's staying
    // (virSysinfoSystemParseXML copies it while the UUID is a generated one: two sysinfos of two UUIDs leave the
    // second's, libvirtd 9.0)
    const systemUuid = kids(child(sysinfo, 'system'), 'entry').find((e) => e.attrs.name === 'uuid')?.text
    const canonical = systemUuid === undefined ? undefined : canonicalUuid(systemUuid)
    if (generated && canonical !== undefined) {
      const given = child(ctx.domain, 'uuid')
      if (given) given.text = canonical
      else insertOrdered(ctx.domain, node('uuid', {}, [], canonical), domainChildOrder)
      ctx.explain('domain/uuid', 'uuid-from-sysinfo', 'A domain without a UUID takes its SMBIOS system UUID.')
    }
  }
}

/**
 * The attributes of <domain> libvirt writes: its type (an id is live state), and the QEMU namespace only when
 * an element of it is there (qemu:commandline…); other attributes and namespace declarations are not kept.
 */
function domainAttributes(ctx: PreviewContext): void {
  const attrs = ctx.domain.attrs
  let other = false
  // (the type first: virDomainDefFormatInternal writes it, then the namespace — `xmlns:qemu` written first, as
  // virt-manager's test domains have it, moves after it)
  let first: string | undefined
  for (const k in attrs) { first ??= k; if (k !== 'type' && k !== 'xmlns:qemu') { other = true; break } }
  const qemuUsed = ctx.domain.children.some((c) => c.name.startsWith('qemu:'))
  if (!other && (qemuUsed || attrs['xmlns:qemu'] === undefined) && (first === 'type' || attrs.type === undefined)) return
  const kept: Record<string, string> = {}
  if (attrs.type !== undefined) kept.type = attrs.type
  if (qemuUsed && attrs['xmlns:qemu'] !== undefined) kept['xmlns:qemu'] = attrs['xmlns:qemu']
  ctx.domain.attrs = kept
  ctx.explain('domain', 'domain-attributes', 'libvirt writes the domain type, and the QEMU namespace only with an element of it; other attributes of <domain> are not kept.')
}

/** The extension namespaces libvirt's QEMU driver reads, with the prefix it writes them under. */
const extensionNamespaces: Record<string, string> = { 'http://libvirt.org/schemas/domain/qemu/1.0': 'qemu' }

/**
 * `<vcpusched>` and `<iothreadsched>` name sets of threads; libvirt keeps the scheduler per thread and
 * writes one element per vCPU or I/O thread, in ID order, with a priority only for fifo and rr.
 */
function schedPerThread(ctx: PreviewContext): void {
  const cputune = child(ctx.domain, 'cputune')
  if (!cputune) return
  // the emulator's scheduler: a priority for fifo and rr alone, required there (virDomainSchedulerParseCommonAttrs)
  const emulator = child(cputune, 'emulatorsched')
  if (emulator) {
    const realtime = emulator.attrs.scheduler === 'fifo' || emulator.attrs.scheduler === 'rr'
    if (realtime && emulator.attrs.priority === undefined) throw new PreviewError('preview-invalid-value', "Missing required attribute 'priority' in element 'emulatorsched'", { path: 'domain/cputune/emulatorsched' })
    // (virDomainSchedulerFormat writes the scheduler, then a real-time one's priority: `<emulatorsched priority='2'
    // scheduler='fifo'/>` is stored with its scheduler first, libvirtd 9.0)
    const { scheduler, priority } = emulator.attrs
    emulator.attrs = { ...(scheduler !== undefined ? { scheduler } : {}), ...(realtime && priority !== undefined ? { priority } : {}) }
  }
  for (const [name, attr] of [['vcpusched', 'vcpus'], ['iothreadsched', 'iothreads']] as const) {
    const entries = kids(cputune, name)
    if (entries.length === 0) continue
    const perThread = new Map<number, Record<string, string>>()
    const vcpus = Number(textIn(child(ctx.domain, 'vcpu')) || '1')
    for (const e of entries) {
      // (virDomainSchedulerParse: the set is required, and a real-time scheduler's priority)
      if (e.attrs[attr] === undefined) throw new PreviewError('preview-invalid-value', `Missing attribute '${attr}' in element '${name}'`, { path: `domain/cputune/${name}` })
      if ((e.attrs.scheduler === 'fifo' || e.attrs.scheduler === 'rr') && e.attrs.priority === undefined) throw new PreviewError('preview-invalid-value', `Missing required attribute 'priority' in element '${name}'`, { path: `domain/cputune/${name}` })
      const ids = readBitmap(e.attrs[attr] ?? '', `domain/cputune/${name}/@${attr}`)
      // a vCPU the domain lacks is refused (virDomainDefParse… → virDomainSchedulerParse); I/O thread sets are bounded by preview
      const last = ids.length > 0 ? ids[ids.length - 1]![1] : -1
      if (name === 'vcpusched' && last >= vcpus) {
        let missing = vcpus
        for (const [a, b] of ids) if (b >= vcpus) { missing = Math.max(a, vcpus); break }
        throw new PreviewError('preview-refused', `vCPU '${missing}' is not present in domain definition`, { path: `domain/cputune/${name}/@${attr}` })
      }
      if (bitmapSize(ids) > maxIothreadIds) throw new PreviewError('preview-limit', `<${name} ${attr}='${e.attrs[attr]}'> names more threads than preview's limit of ${maxIothreadIds}`, { path: `domain/cputune/${name}/@${attr}` })
      for (const [a, b] of ids) for (let id = a; id <= b; id++) perThread.set(id, e.attrs)
    }
    // (vCPUs in ID order; I/O threads in the order of the domain's I/O thread IDs — those given, in document order,
    // then those libvirt numbered: virDomainCputuneDefFormat walks def->iothreadids — `<iothread id='5'/><iothread
    // id='3'/>` writes thread 5's scheduler first, libvirtd 9.0)
    const listed = name === 'iothreadsched' ? kids(child(ctx.domain, 'iothreadids'), 'iothread').map((t) => Number(t.attrs.id)) : []
    const rank = (id: number): number => { const at = listed.indexOf(id); return at < 0 ? listed.length + id : at }
    const split = [...perThread.keys()].sort((a, b) => rank(a) - rank(b) || a - b).map((id) => {
      const { scheduler, priority } = perThread.get(id)!
      const attrs: Record<string, string> = { [attr]: String(id) }
      if (scheduler !== undefined) attrs.scheduler = scheduler
      if ((scheduler === 'fifo' || scheduler === 'rr') && priority !== undefined) attrs.priority = priority
      return node(name, attrs)
    })
    const at = cputune.children.indexOf(entries[0]!)
    cputune.children = cputune.children.filter((c) => c.name !== name)
    cputune.children.splice(at, 0, ...split)
    if (split.length !== entries.length) ctx.explain(`domain/cputune/${name}`, 'sched-per-thread', `libvirt writes one <${name}> per thread.`)
  }
}

/**
 * virDomainNumaDefNodeDistanceParseXML: a distance given one way holds the other way too unless that one
 * is given, and a cell's distance to itself is 10 (LOCAL_DISTANCE); each cell with distances lists them
 * all, by sibling id.
 */
/**
 * virNumaCacheParse reads a cache's size and line units from `<unit>` children (`./size/unit`, not the `unit` attribute):
 * `<size value='2'><unit>MiB</unit></size>` is 2048 KiB (seen on libvirtd 9.0). Each such value in the default unit (KiB,
 * bytes), for numaPerformance to write.
 */
function numaCacheUnitElements(numa: N | undefined): void {
  for (const cell of kids(numa, 'cell')) {
    for (const cache of kids(cell, 'cache')) {
      for (const [part, scale] of [['size', 1024n], ['line', 1n]] as const) {
        const e = child(cache, part)
        const unit = child(e, 'unit')
        if (!e || !unit || e.attrs.value === undefined) continue
        const bytes = readScaledBytes(e.attrs.value, textIn(unit), part === 'size' ? 'KiB' : 'bytes')
        if (typeof bytes === 'bigint') e.attrs = { ...e.attrs, value: String((bytes + scale - 1n) / scale) }
      }
    }
  }
}

/**
 * A guest NUMA cell's memory caches and the interconnects' bandwidths as libvirt keeps them (virNumaCacheParse,
 * virDomainNumaDefParseXML; libvirt 9.0 and 11.3): a cache's size is read in KiB and its line in bytes whatever
 * unit is written — libvirt looks the units up as child elements (`./size/unit`), never as the attributes — and an
 * associativity or policy of `none` is none to libvirt 9.0; a bandwidth is a memory size, kept and written in KiB.
 */
function numaPerformance(numa: N, cells: readonly N[], libvirt9: boolean): void {
  for (const cell of cells) {
    for (const cache of kids(cell, 'cache')) {
      // (9.0 writes no `none`; 11.3 writes it: its numatune-hmat-none test)
      if (libvirt9 && (cache.attrs.associativity === 'none' || cache.attrs.policy === 'none')) {
        const { associativity, policy, ...rest } = cache.attrs
        cache.attrs = { ...rest, ...(associativity !== 'none' && associativity !== undefined ? { associativity } : {}), ...(policy !== 'none' && policy !== undefined ? { policy } : {}) }
      }
      // (the size written in KiB, the line in bytes, kept in 32 bits (model's numaCacheLineModulus), and only when not 0 — virNumaCacheFormat; the level as the number
      // read, `+2` is `2`: seen on libvirtd 9.0)
      if (cache.attrs.level !== undefined) { const level = readCInteger(cache.attrs.level, 10); if (level && !level.negative && String(level.magnitude) !== cache.attrs.level) cache.attrs = { ...cache.attrs, level: String(level.magnitude) } }
      for (const [part, unit] of [['size', 'KiB'], ['line', 'B']] as const) {
        const e = child(cache, part)
        if (!e || e.attrs.value === undefined) continue
        const bytes = readScaledBytes(e.attrs.value, undefined, part === 'size' ? 'KiB' : 'bytes')
        const value = typeof bytes !== 'bigint' ? e.attrs.value : part === 'size' ? String((bytes + 1023n) / 1024n) : String(bytes % numaCacheLineModulus)
        if (part === 'line' && value === '0') { cache.children = cache.children.filter((c) => c !== e); continue }
        e.attrs = { value, unit }
      }
    }
  }
  // (an interconnect's cache level is written only when not 0: virNumaInterconnectFormat)
  for (const link of kids(child(numa, 'interconnects'))) {
    if (link.attrs.cache !== undefined && readCUnsignedLongLong(link.attrs.cache, 10) === 0n) { const { cache: _zero, ...rest } = link.attrs; link.attrs = rest }
  }
  for (const bandwidth of kids(child(numa, 'interconnects'), 'bandwidth')) {
    const value = bandwidth.attrs.value
    const kib = value === undefined ? undefined : kibOf(value, bandwidth.attrs.unit ?? 'KiB')
    if (kib !== undefined) bandwidth.attrs = { ...bandwidth.attrs, value: String(kib), unit: 'KiB' }
  }
}

function numaDistances(cells: readonly N[]): void {
  const given = new Map<number, Map<number, string>>()
  for (const c of cells) {
    const d = child(c, 'distances')
    if (d) given.set(Number(c.attrs.id), new Map(kids(d, 'sibling').map((s) => [Number(s.attrs.id), s.attrs.value ?? ''])))
  }
  if (given.size === 0) return
  const all = new Map([...given].map(([id, m]) => [id, new Map(m)]))
  for (const [id, m] of given) {
    for (const [sibling, value] of m) {
      if (sibling === id || !cells.some((c) => Number(c.attrs.id) === sibling)) continue
      const other = all.get(sibling) ?? new Map<number, string>()
      if (!other.has(id)) other.set(id, value)
      all.set(sibling, other)
    }
  }
  for (const c of cells) {
    const id = Number(c.attrs.id)
    const m = all.get(id)
    if (!m) continue
    if (!m.has(id)) m.set(id, '10')
    const siblings = [...m].sort((a, b) => a[0] - b[0]).map(([sibling, value]) => node('sibling', { id: String(sibling), value }))
    const d = child(c, 'distances')
    if (d) d.children = siblings
    else c.children.unshift(node('distances', {}, siblings))
  }
}

/**
 * The metadata caches below `n` whose size is 0 — none written, or an empty one (virParseScaledValue reads it with
 * virXPathString: none), or 0 — removed: written as none (`<metadata_cache/>`: seen on libvirtd 9.0).
 */
function dropZeroMetadataCaches(n: N): void {
  if (n.raw) return
  const zero = (c: N): boolean => {
    if (c.name !== 'metadata_cache') return false
    const size = child(c, 'max_size')
    return size === undefined || (size.text ?? '') === '' || (size.attrs.unit === 'bytes' && size.text === '0')
  }
  if (n.children.some(zero)) n.children = n.children.filter((c) => !zero(c))
  for (const c of n.children) dropZeroMetadataCaches(c)
}

/**
 * A network storage source's hosts as virDomainStorageNetworkParseHost reads them and virDomainDiskSourceFormatNetwork
 * writes them — the transport only when it is not TCP (its 0), a UNIX socket's host without a name or a port (not read
 * for it), an RDMA host without a port of 0 — and its initiator, identity and `<ssl>` as that formatter writes them.
 */
function hostsAsRead(source: N | undefined): void {
  for (const h of kids(source, 'host')) {
    if (h.attrs.transport === 'tcp') { const { transport: _tcp, ...rest } = h.attrs; h.attrs = rest }
    else if (h.attrs.transport === 'unix' && (h.attrs.name !== undefined || h.attrs.port !== undefined)) { const { name: _n, port: _p, ...rest } = h.attrs; h.attrs = rest }
    // (a port of 0 is none: an RDMA host takes no default port — virStorageSourceNetworkAssignDefaultPorts gives TCP ones)
    else if (h.attrs.transport === 'rdma' && h.attrs.port !== undefined && readCUnsignedLongLong(h.attrs.port, 10) === 0n) { const { port: _zero, ...rest } = h.attrs; h.attrs = rest }
  }
  if (!source || source.raw) return
  // (virDomainDiskSourceNetworkParse: an initiator is its IQN's name, none without one — virStorageSourceInitiatorParseXML,
  // `string(./initiator/iqn/@name)`; an identity is NFS's (`<identity user group>`, written with one of them); an `<ssl>` is
  // its `verify`: the formatters write nothing else of them — seen on libvirtd 9.0)
  const protocol = source.attrs.protocol
  const unwritten = (c: N): boolean =>
    (c.name === 'identity' && (protocol === 'nfs' ? c.attrs.user === undefined && c.attrs.group === undefined : protocol !== 'ssh'))
    || (c.name === 'ssl' && c.attrs.verify === undefined)
  if (source.children.some(unwritten)) source.children = source.children.filter((c) => !unwritten(c))
  initiatorAsWritten(source)
}

/**
 * A network source's `<initiator>` as virStorageSourceInitiatorFormatXML writes what virStorageSourceInitiatorParseXML
 * read (`string(./initiator/iqn/@name)`): its first IQN's name, none without one — a disk's and an iSCSI host device's.
 */
function initiatorAsWritten(source: N): void {
  const initiator = child(source, 'initiator')
  if (!initiator) return
  const name = child(initiator, 'iqn')?.attrs.name
  if (!name) source.children = source.children.filter((c) => c !== initiator)
  else if (initiator.children.length !== 1 || !isEmpty(initiator.attrs)) initiator.children = [node('iqn', { name })]
}

/**
 * An `<auth>`'s type as virStorageAuthDefFormat writes what virStorageAuthDefParse read: `none` (virStorageAuthType's 0)
 * and an empty one (none to virXPathString) are not written (seen on libvirtd 9.0).
 */
function authTypeAsWritten(auth: N | undefined): void {
  if (auth && (auth.attrs.type === 'none' || auth.attrs.type === '')) { const { type: _none, ...rest } = auth.attrs; auth.attrs = rest }
}

/**
 * A network storage source's hosts as virDomainStorageSourceParse reads them (a disk's, down its backing chain, and a
 * firmware NVRAM's — one parser for all: seed 471's NBD NVRAM on libvirtd 9.0): hostsAsRead, then
 * virStorageSourceNetworkAssignDefaultPorts — a TCP host without a port, or with port 0 (oVirt's gluster hosts), takes
 * the protocol's (RBD and NFS have none: a port of 0 is then not written; model's networkDiskDefaultPorts).
 */
function networkHostsAsRead(held: N): void {
  const protocol = held.attrs.protocol!
  const port = Object.hasOwn(networkDiskDefaultPorts, protocol) ? networkDiskDefaultPorts[protocol] : undefined
  hostsAsRead(held)
  for (const h of kids(held, 'host')) {
    if ((h.attrs.transport ?? 'tcp') !== 'tcp' || (h.attrs.port !== undefined && h.attrs.port !== '0')) continue
    if (port && (h.attrs.name !== undefined || h.attrs.port === '0')) h.attrs.port = port
    else if (h.attrs.port === '0') { const { port: _zero, ...rest } = h.attrs; h.attrs = rest }
  }
}

/**
 * A disk's (or backing store's) `<source>` as virDomainDiskSourceFormat writes what virDomainStorageSourceParse read: the
 * children its type's formatter leaves out (model's diskSourceChildrenUnwritten), the first storage slice alone with its
 * offset and size as numbers (virDomainStorageSourceParseSlices: `./slices/slice[@type='storage']`), no `<slices>` without one.
 */
function storageSourceAsWritten(source: N, type: string): void {
  const unwritten = Object.hasOwn(diskSourceChildrenUnwritten, type) ? diskSourceChildrenUnwritten[type]! : undefined
  if (unwritten && source.children.some((c) => unwritten.includes(c.name))) source.children = source.children.filter((c) => !unwritten.includes(c.name))
  authTypeAsWritten(child(source, 'auth'))
  const slices = child(source, 'slices')
  if (!slices) return
  const storage = kids(slices, 'slice').find((c) => c.attrs.type === 'storage')
  const offset = storage?.attrs.offset === undefined ? undefined : readCUnsignedLongLong(storage.attrs.offset, 10)
  const size = storage?.attrs.size === undefined ? undefined : readCUnsignedLongLong(storage.attrs.size, 10)
  if (storage && offset !== undefined && size !== undefined) slices.children = [node('slice', { type: 'storage', offset: String(offset), size: String(size) })]
  else if (!storage) source.children = source.children.filter((c) => c !== slices)
}

const hexWidth: Record<string, number> = { domain: 4, bus: 2, slot: 2, function: 1 }

/** A PCI address as libvirt writes it: domain, bus, slot and function in hex of fixed width (numbers are read as C's strtol base 0 does). */
function pciAttrs(attrs: Record<string, string>, typed: boolean): Record<string, string> {
  const out: Record<string, string> = typed ? { type: 'pci' } : {}
  for (const k of ['domain', 'bus', 'slot', 'function']) {
    const raw = attrs[k] ?? '0'
    const v = /^0x/i.test(raw) ? parseInt(raw, 16) : Number(raw)
    out[k] = `0x${v.toString(16).padStart(hexWidth[k]!, '0')}`
  }
  for (const [k, v] of Object.entries(attrs)) if (!(k in out) && k !== 'type') out[k] = v
  return out
}

function normaliseAddress(a: N): void {
  if (a.attrs.type === 'pci') {
    // an address is only empty (to be assigned) when domain, bus and slot are all 0 (virPCIDeviceAddressIsEmpty);
    // otherwise what is missing is 0: `<address type='pci' bus='0x01'/>` is 01:00.0
    if (a.attrs.slot === undefined) {
      const given = (v: string | undefined): boolean => v !== undefined && Number(v) !== 0
      if (!given(a.attrs.domain) && !given(a.attrs.bus)) return
      a.attrs = { ...a.attrs, slot: '0' }
    }
    a.attrs = pciAttrs(a.attrs, true)
  } else if (a.attrs.type === 'ccw') {
    if (a.attrs.cssid === undefined && a.attrs.ssid === undefined && a.attrs.devno === undefined) return
    const n = (v: string | undefined): number => (v === undefined ? 0 : /^0x/i.test(v) ? parseInt(v, 16) : Number(v))
    a.attrs = { ...a.attrs, cssid: `0x${n(a.attrs.cssid).toString(16)}`, ssid: `0x${n(a.attrs.ssid).toString(16)}`, devno: `0x${n(a.attrs.devno).toString(16).padStart(4, '0')}` }
  } else if (a.attrs.type === 'usb') {
    // the bus as the integer it reads as, the port path as libvirt writes it back (`+1` → `1`, `1 2` → `1.2`)
    // (read as an unsigned int and written with `%d`: past 2^31 - 1 negative — virDomainDeviceInfoFormat, libvirtd 9.0)
    const bus = a.attrs.bus === undefined ? undefined : readCInteger(a.attrs.bus, 10)
    if (bus && !bus.negative && bus.magnitude <= 2 ** 32 - 1) a.attrs.bus = String(bus.magnitude > 2 ** 31 - 1 ? bus.magnitude - 2 ** 32 : bus.magnitude)
    // (a bus not written is 0, and the formatter always writes it: virDomainDeviceUSBAddressParseXML, virDomainDeviceInfoFormat;
    // `<address type='usb' port='1'/>` is stored `bus='0' port='1'` — probes h49-i-usbaddr-nobus-*, libvirtd 9.0)
    if (a.attrs.bus === undefined) a.attrs = { type: 'usb', bus: '0', ...a.attrs }
    const levels = a.attrs.port === undefined ? undefined : readUsbPort(a.attrs.port)
    if (levels) { rememberUsbPort(a, levels); const port = formatUsbPort(levels); if (port === undefined) delete a.attrs.port; else a.attrs.port = port }
  } else if (a.attrs.type === 'drive') {
    a.attrs = { type: 'drive', controller: a.attrs.controller ?? '0', bus: a.attrs.bus ?? '0', target: a.attrs.target ?? '0', unit: a.attrs.unit ?? '0', ...a.attrs }
  } else if (a.attrs.type === 'isa') {
    // virDomainDeviceISAAddressParseXML reads both in hex (with or without 0x); the formatter writes 0x%x, and
    // leaves out a 0 (libvirtd 9.0: iobase='2f8' irq='10' → 0x2f8, 0x10)
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(a.attrs)) {
      if (k !== 'iobase' && k !== 'irq') { out[k] = v; continue }
      const n = parseInt(v.replace(/^0x/i, ''), 16)
      if (!Number.isFinite(n) || !/^(?:0x)?[0-9a-f]+$/i.test(v)) { out[k] = v; continue }
      if (n > 0) out[k] = `0x${n.toString(16)}`
    }
    a.attrs = out
  }
}


/** Children of <features>, in the order libvirt writes them. */
const featureOrder = domainFeatures11

const gicRule: PreviewRule = {
  name: 'gic-version',
  source: 'qemu_postparse.c qemuDomainDefEnableDefaultFeatures',
  apply(ctx) {
    const features = child(ctx.domain, 'features')
    const gic = child(features, 'gic')
    if (!(isArmVirt(ctx) && !gic) && !(gic && gic.attrs.version === undefined && gic.attrs.state !== 'off')) return
    // the highest version the accelerator offers; TCG's GICv3 lacks an MSI controller, so TCG takes 2
    const tcg = virtType(ctx) === 'tcg'
    const offered = ctx.caps.gic.filter((g) => (tcg ? g.emulated : g.kernel) && !(tcg && g.version === 3)).map((g) => g.version)
    const version = offered.length > 0 ? Math.max(...offered) : 2
    const f = features ?? node('features')
    if (!features) insertOrdered(ctx.domain, f, domainChildOrder)
    const g = gic ?? node('gic')
    if (!gic) insertOrdered(f, g, featureOrder)
    g.attrs = { version: String(version), ...Object.fromEntries(Object.entries(g.attrs).filter(([k]) => k !== 'state')) }
    ctx.explain('domain/features/gic/@version', 'gic-version', `The virt machine always has a GIC: libvirt picks version ${version} for ${tcg ? 'TCG' : 'KVM'}.`)
  },
}

const firmwareRule: PreviewRule = {
  name: 'firmware-autoselect',
  source: 'qemu_firmware.c qemuFirmwareFillDomain',
  apply(ctx) {
    // libvirt 9.0's virDomainDefPostParseOs: enrolled keys imply secure boot, written out (libvirt 9.0's test data,
    // firmware-auto-efi-enrolled-keys); with secure boot switched off they are refused. Later versions leave both
    // to firmware autoselection.
    const wanted = child(child(ctx.domain, 'os'), 'firmware')
    if (wanted) firmwareFeaturesAsStored(wanted)
    const enrolled = kids(wanted, 'feature').find((f) => f.attrs.name === 'enrolled-keys')
    if (isLibvirt9(ctx) && wanted && enrolled?.attrs.enabled === 'yes') {
      const secure = kids(wanted, 'feature').find((f) => f.attrs.name === 'secure-boot')
      if (secure?.attrs.enabled === 'no') throw new PreviewError('preview-invalid-value', "firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled", { path: 'domain/os/firmware/feature' })
      if (!secure) {
        wanted.children.push(node('feature', { enabled: 'yes', name: 'secure-boot' }))
        ctx.explain('domain/os/firmware', 'firmware-secure-boot', 'libvirt 9.0 writes out that enrolled keys imply secure boot.')
      }
    }
    // virDomainStorageSourceParse: a typed NVRAM's empty source path is no path, and virDomainDiskSourceFormat writes no
    // <source> without attributes or children (`<nvram type='file'><source file=''/></nvram>` is stored
    // `<nvram type='file'/>`, libvirtd 9.0; a missing <source> the parser refused already)
    const typedNvram = child(child(ctx.domain, 'os'), 'nvram')
    const nvramSource = typedNvram?.attrs.type !== undefined ? child(typedNvram, 'source') : undefined
    if (typedNvram && nvramSource) {
      // (its labels as a disk source's — a label that relabels naming none is not kept: `<seclabel model='none'/>` goes —
      // and its HTTP cookies, secrets, written only with --security-info: virDomainDiskSourceFormat, libvirtd 9.0)
      if (nvramSource.children.length > 0 && writeSourceLabels(nvramSource)) ctx.explain('domain/os/nvram/source/seclabel', 'seclabel-inactive', 'libvirt does not keep a device label that relabels without naming a label (nor `labelskip`, live state), and spells out `relabel`.')
      if (!ctx.options.securityInfo && child(nvramSource, 'cookies')) {
        nvramSource.children = nvramSource.children.filter((c) => c.name !== 'cookies')
        ctx.explain('domain/os/nvram/source/cookies', 'security-info', "`virsh dumpxml` shows an HTTP NVRAM source's cookies only with `--security-info` (preview: `securityInfo`).")
      }
      const attribute = diskPathAttributes[typedNvram.attrs.type!]
      if (attribute !== undefined && attribute !== 'name' && nvramSource.attrs[attribute] === '') {
        const { [attribute]: _empty, ...rest } = nvramSource.attrs
        nvramSource.attrs = rest
      }
      if (isEmpty(nvramSource.attrs) && nvramSource.children.length === 0) typedNvram.children = typedNvram.children.filter((c) => c !== nvramSource)
    }
    // (libvirt 11 selected the firmware already, right after the machine: firmware-select)
    if (isLibvirt9(ctx)) fillManualFirmware(ctx, ctx.options.firmware)
    // virDomainDefPostParseOs: a loader given by its path alone is a ROM (checked on libvirtd 9.0)
    const manual = child(child(ctx.domain, 'os'), 'loader')
    if (manual && manual.attrs.type === undefined && (manual.text ?? '') !== '') {
      const { readonly, secure, ...rest } = manual.attrs
      manual.attrs = { ...(readonly !== undefined ? { readonly } : {}), ...(secure !== undefined ? { secure } : {}), type: 'rom', ...rest }
      ctx.explain('domain/os/loader/@type', 'loader-rom', 'A loader given by its path alone is a ROM image: libvirt writes `type=\'rom\'`.')
    }
  },
}


/**
 * libvirt 11 selects the firmware at define, in the QEMU driver's post-parse right after the machine type
 * (qemuDomainDefBootPostParse): before the rest of post-parse — the vCPUs', the CPU's, SMM's TSEG — can refuse the domain
 * and before validation sees it (it sees the filled loader, NVRAM, `<firmware>` features and SMM). qemuFirmwareFillDomain
 * first validates `<os>` as written (virDomainDefOSValidate): a define (an ABI update) fails there, before any descriptor is
 * looked at; a definition loaded keeps going. libvirt 9.0 selects when the domain starts.
 */
const firmwareSelectRule: PreviewRule = {
  name: 'firmware-select',
  source: 'qemu_postparse.c qemuDomainDefBootPostParse; qemu_firmware.c qemuFirmwareFillDomain',
  apply(ctx) {
    if (isLibvirt9(ctx)) return
    // (the features as the parser keeps them: the last of a name)
    const wanted = child(child(ctx.domain, 'os'), 'firmware')
    if (wanted) firmwareFeaturesAsStored(wanted)
    if (ctx.options.abiUpdate) {
      const problem = osValidate(ctx, true)
      if (problem) throw new PreviewError(problem.code ?? 'preview-invalid-value', problem.message, { path: problem.path })
    }
    fillFirmware(ctx, ctx.options.firmware)
    fillManualFirmware(ctx, ctx.options.firmware)
  },
}

const iommuRule: PreviewRule = {
  name: 'iommu-x2apic',
  source: 'qemu_postparse.c qemuDomainDefAddDefaultDevices, qemuDomainIOMMUDefPostParse, qemuDomainDefEnableDefaultFeatures',
  apply(ctx) {
    // more than 255 vCPUs on q35 need x2APIC, hence an IOMMU with interrupt remapping and EIM (libvirt 11's post-parse;
    // 9.0 adds none and refuses the domain while validating, seen on libvirtd 9.0)
    const vcpus = Number(textIn(child(ctx.domain, 'vcpu')) || '1')
    const needs = isX86(ctx) && isQ35(ctx) && vcpus > 255 && !isLibvirt9(ctx)
    let iommu = devices(ctx).find((d) => d.name === 'iommu')
    const plan = x2apicIommuPlan(ctx, iommu)
    if (plan === 'add') {
      iommu = node('iommu', { model: 'intel' }, [node('driver', { intremap: 'on', eim: 'on' })])
      addDevice(ctx, iommu)
      ctx.explain('domain/devices/iommu', 'iommu-x2apic', 'More than 255 vCPUs need x2APIC: libvirt adds an Intel IOMMU with interrupt remapping and EIM.')
    } else if (plan === 'eim' && iommu) {
      const driver = ensure(iommu, 'driver')
      if (driver.attrs.intremap === undefined && has(ctx, 'intel-iommu.intremap')) driver.attrs.intremap = 'on'
      if (driver.attrs.eim === undefined && has(ctx, 'intel-iommu.eim')) driver.attrs.eim = 'on'
    }
    const driver = child(iommu, 'driver')
    // (11's qemuDomainDefEnableDefaultFeatures: where no <ioapic> chose a driver — none written, or the last without one)
    const ioapics = kids(child(ctx.domain, 'features'), 'ioapic')
    if (!isLibvirt9(ctx) && iommu && (driver?.attrs.intremap === 'on' || needs) && ioapics.at(-1)?.attrs.driver === undefined) {
      const f = ensure(ctx.domain, 'features', domainChildOrder)
      f.children = f.children.filter((c) => c.name !== 'ioapic')
      insertOrdered(f, node('ioapic', { driver: 'qemu' }), featureOrder)
      ctx.explain('domain/features/ioapic', 'ioapic-split', 'Interrupt remapping needs the split I/O APIC.')
    }
  },
}

/** The integer attributes libvirt reads, by element (controllers, `<vcpu>`) or address type. */
const vcpuIntegers = integerAttributes.filter((a) => a.element === 'vcpu')
const controllerIntegers = integerAttributes.filter((a) => a.element === 'controller')
/** Controller attributes only some types keep, by the types (virDomainControllerDefParseXML; seen on libvirtd 9.0). */
const controllerTypedAttributes: ReadonlyMap<string, readonly string[]> = new Map([['ports', ['usb', 'virtio-serial']], ['vectors', ['virtio-serial']], ['maxGrantFrames', ['xenbus']], ['maxEventChannels', ['xenbus']]])

/** An attribute libvirt's parser does not keep there, dropped and explained. */
function dropAttribute(ctx: PreviewContext, n: N, attribute: string, path: () => string): void {
  delete n.attrs[attribute]
  ctx.explain(`${path()}/@${attribute}`, 'unread', `libvirt keeps no \`${attribute}\` on this element: it is dropped.`)
}
const addressIntegers = new Map<string, IntegerAttribute[]>()
for (const a of integerAttributes) if (a.addressType !== undefined) addressIntegers.set(a.addressType, [...(addressIntegers.get(a.addressType) ?? []), a])

/** A device's path with its place among same-named devices: `domain/devices/controller[3]`. */
function devicePath(list: readonly N[], d: N): string {
  let place = 0
  for (const x of list) { if (x.name === d.name) place++; if (x === d) break }
  return `domain/devices/${d.name}[${place}]`
}

/**
 * Reads the integers libvirt reads as it parses (virXMLPropInt / virXMLPropUInt) and refuses the
 * domain as libvirt does when one does not read, with libvirt's words; the values read are written
 * back as libvirt writes them (`index='+1'` is stored as `1`, a PCI `slot='010'` is octal 8).
 */
function readIntegers(element: N, attributes: readonly IntegerAttribute[], path: string | (() => string)): void {
  for (const a of attributes) {
    const raw = element.attrs[a.attribute]
    if (raw === undefined) continue
    // (the attribute's own record names its element and attribute, as libvirt's message does: element.name is a.element)
    const read = readLibvirtInteger(raw, a, a)
    if ('error' in read) throw new PreviewError('preview-invalid-value', read.error, { path: `${typeof path === 'string' ? path : path()}/@${a.attribute}` })
    const written = a.hex ? `0x${read.value.toString(16)}` : String(read.value)
    if (written !== raw) element.attrs[a.attribute] = written
  }
}

/** An integer attribute `readIntegers` has read (it leaves each as its value in decimal), or `undefined` when absent. */
function readInteger(element: N, attribute: string): number | undefined {
  const text = element.attrs[attribute]
  return text === undefined ? undefined : Number(text)
}

const chrKinds: ReadonlySet<string> = new Set(deviceNames.chrKinds)

/**
 * Whether libvirt keeps a device's info (alias, address) at all: not for the elements without one (graphics, audio,
 * a USB redirection filter, a lease), nor for a USB controller or balloon of model `none`, whose formatter writes the
 * element alone (seen on libvirtd 9.0 with a user's alias on each).
 */
const keepsDeviceInfo = (d: N): boolean =>
  !noDeviceInfo.has(d.name) && !(d.attrs.model === 'none' && (d.name === 'memballoon' || (d.name === 'controller' && d.attrs.type === 'usb')))
const noDeviceInfo: ReadonlySet<string> = new Set(['graphics', 'audio', 'redirfilter', 'lease'])
/** The parts of a device's info virDomainDeviceInfoParseXML reads beside its alias and address. */
const deviceInfoParts: ReadonlySet<string> = new Set(['master', 'boot', 'rom', 'acpi'])
/** The devices whose parser reads the first `<target>` alone (a controller's second is refused). */
const firstTargetOnly: ReadonlySet<string> = new Set(['disk', 'interface', 'serial', 'console', 'channel', 'parallel', 'memory', 'lease', 'filesystem'])
/** `<target>` and the parts of a device's info virDomainDeviceInfoParseXML reads one of (the first), each as a bit. */
const targetBit = 1
const firstOnlyBits: ReadonlyMap<string, number> = new Map(['target', 'alias', 'master', 'boot', 'rom', 'acpi', 'address', 'model', 'driver'].map((name, i) => [name, 1 << i]))
/** `<model>` and `<driver>`: the devices whose parser reads the first alone (`virXPathNode("./model")`, `string(./model/@type)`, `./driver`). */
const modelBit = firstOnlyBits.get('model')!
const driverBit = firstOnlyBits.get('driver')!
const firstModelOnly: ReadonlySet<string> = new Set(['video', 'interface'])
const firstDriverOnly: ReadonlySet<string> = new Set(['video', 'interface', 'disk'])
/** The device address types libvirt reads (virDomainDeviceAddress, model's attributesByType; `none`, its 0, is refused as unknown). */
const deviceAddressTypes: ReadonlySet<string> = new Set([...attributesByType.get('address')![0]!.sets.keys()].filter((t) => t !== 'none'))

/** The elements of the QEMU driver's namespace its parser reads (qemuDomainDefNamespaceParse). */
const qemuNamespaceElements: ReadonlySet<string> = new Set(['qemu:commandline', 'qemu:capabilities', 'qemu:override', 'qemu:deprecation'])

/** Top-level elements written more than once, read as libvirt's XPath lookups read them (checked on libvirtd 9.0). */
function readRepeatedTopElements(ctx: PreviewContext): void {
  const children = ctx.domain.children
  let repeated = false
  for (let i = 1; i < children.length && !repeated; i++) for (let k = 0; k < i; k++) if (children[k]!.name === children[i]!.name) { repeated = true; break }
  if (!repeated) return
  const first = new Map<string, N>()
  const kept: N[] = []
  for (const c of children) {
    const earlier = first.get(c.name)
    if (earlier === undefined) { first.set(c.name, c); kept.push(c); continue }
    // (some are refused twice: a second <numatune> by the table's parse rows)
    if (c.name === 'resource') throw new PreviewError('preview-invalid-value', 'only one resource element is supported', { path: 'domain/resource[2]' })
    if (c.name === 'genid') throw new PreviewError('preview-invalid-value', "element 'genid' can only appear once", { path: 'domain/genid[2]' })
    if (readAsOneWhenRepeated.has(`domain/${c.name}`)) {
      earlier.children = [...earlier.children, ...c.children]
      for (const k in c.attrs) if (earlier.attrs[k] === undefined) earlier.attrs[k] = c.attrs[k]!
      ctx.explain(`domain/${c.name}`, 'repeated-merged', `libvirt reads what every <${c.name}> element holds and writes it in one.`)
      continue
    }
    const through = readThroughWhenRepeated.get(`domain/${c.name}`)
    if (through !== undefined) for (const chain of through) readThrough(earlier, c, chain)
    if (readFirstWhenRepeated.has(`domain/${c.name}`)) { ctx.explain(`domain/${c.name}[2]`, 'repeated-first', `libvirt reads the first <${c.name}> only: the next is dropped.`); continue }
    kept.push(c)
  }
  ctx.domain.children = kept
  // (of the devices, the first <emulator> is read)
  const devicesEl = first.get('devices')
  if (devicesEl && devicesEl.children.filter((c) => c.name === 'emulator').length > 1) {
    const emulator = devicesEl.children.find((c) => c.name === 'emulator')
    devicesEl.children = devicesEl.children.filter((c) => c.name !== 'emulator' || c === emulator)
  }
}
/**
 * What libvirt reads through a second element it otherwise leaves unread (model's readThroughWhenRepeated): the first
 * `chain[0]` of `from` joins the first of `into` (its children after that one's, the next name of the chain joined the
 * same way), or stands in `into` when it has none.
 */
function readThrough(into: N, from: N, chain: readonly string[]): void {
  const [name, next] = chain
  const source = child(from, name!)
  if (source === undefined) return
  const target = child(into, name!)
  if (target === undefined) { into.children.push(source); return }
  for (const c of source.children) {
    if (next !== undefined && c.name === next && c === child(source, next) && child(target, next) !== undefined) readThrough(target, source, chain.slice(1))
    else target.children.push(c)
  }
}
const knownDomainChildren: ReadonlySet<string> = new Set(domainChildOrder)
const knownDevices: ReadonlySet<string> = new Set(deviceOrder)

/**
 * libvirt's parser looks up the elements it knows (by XPath) and never sees the others; the formatter writes only what
 * it read: an element of no known name, under <domain> or <devices>, or of a namespace no driver reads, is dropped
 * (each seen on libvirtd 9.0; a second <os> or <memory>: readRepeatedTopElements). `namespaced`:
 * the elements with a prefix (once their prefixes are libvirt's), else the others.
 */
function dropUnknownElements(ctx: PreviewContext, namespaced: boolean): void {
  const kept: N[] = []
  for (const c of ctx.domain.children) {
    // (an element declaring a default namespace is in it: <commandline xmlns='…qemu/1.0'>; one declaring the empty one is in none)
    if ((c.name.includes(':') || (c.attrs.xmlns !== undefined && c.attrs.xmlns !== '')) !== namespaced) { kept.push(c); continue }
    // (a prefix no declaration binds names no namespace: no driver reads such an element)
    const known = namespaced ? qemuNamespaceElements.has(c.name) && !ctx.options.namespaceFree : knownDomainChildren.has(c.name)
    if (!known) { ctx.explain(`domain/${c.name}`, 'unknown-element', `libvirt does not read <${c.name}>${c.name.includes(':') ? ' (no driver reads its namespace)' : ''}: it is dropped.`); continue }
    kept.push(c)
  }
  if (kept.length !== ctx.domain.children.length) ctx.domain.children = kept
  if (namespaced) return
  for (const holder of ctx.domain.children) {
    if (holder.name !== 'devices' || holder.children.every((d) => knownDevices.has(d.name))) continue
    for (const d of holder.children) if (!knownDevices.has(d.name)) ctx.explain(`domain/devices/${d.name}`, 'unknown-element', `libvirt knows no <${d.name}> device: it is dropped.`)
    holder.children = holder.children.filter((d) => knownDevices.has(d.name))
  }
}

/** The domain's own elements whose attributes a type decides (model's attributesByType below `<domain>`: the clock). */
const domainTyped: ReadonlySet<string> = new Set([...attributesByType].filter(([, byTypes]) => byTypes.some((b) => b.parent?.includes('domain'))).map(([name]) => name))
/** The domain's own elements whose children a type decides (model's childrenByType below `<domain>`: the OS). */
const domainTypedChildren: ReadonlySet<string> = new Set([...childrenByType].filter(([, byTypes]) => byTypes.some((b) => b.parent?.includes('domain'))).map(([name]) => name))

/**
 * What libvirt's parser finds of elements in a namespace below `<domain>` — prefixed, or in a default namespace declared
 * on them or above them: its XPath reads by name (`./devices/disk`, `string(./name[1])`) see only elements in no
 * namespace, so the others are not read and not written back (a `<disk xmlns='…'>` is no disk, a `<domain xmlns='…'>` has
 * no name); where it walks an element's children by their local names (model's `localNameChildren`: `./features/*`, a
 * HyperV feature's…) one is read by its local name, in no namespace. Namespace declarations below `<domain>` are not
 * written back. Seen on libvirtd 9.0. The domain's own extension elements (the QEMU namespace's) are
 * dropUnknownElements'; `<metadata>` is kept as written. Only for documents the fast path did not know whole: one it
 * knew has no namespace below its root.
 */
function hideNamespaced(ctx: PreviewContext): void {
  if (ctx.options.schemaKnown || ctx.options.namespaceFree) return
  const byName = isLibvirt9(ctx) ? attributesReadByLocalName9 : attributesReadByLocalName
  const walk = (n: N, path: string, inherited: string): void => {
    const top = path === ''
    const byLocalName = localNameChildren.has(path)
    let kept: N[] | undefined
    for (let i = 0; i < n.children.length; i++) {
      const c = n.children[i]!
      const own = c.attrs.xmlns
      const colon = c.name.indexOf(':')
      // (a libvirt element of the domain's own in a default namespace declared on it — `<features xmlns='…'>` — is not
      // read: dropped now, before validation looks at it — probe h26-tv-h18-ns-features, ACPI on aarch64, libvirtd 9.0)
      if (top && colon < 0 && own !== undefined && own !== '' && c.raw === undefined && knownDomainChildren.has(c.name) && !qemuNamespaceElements.has(c.name)) {
        kept ??= n.children.slice(0, i)
        ctx.explain(`domain/${c.name}`, 'unread', 'An element in a namespace: libvirt reads elements there by name in no namespace, so it does not see this one — it is dropped.')
        continue
      }
      // (kept as written, or the domain's own extension elements, which name their namespace themselves)
      if (c.raw !== undefined || (top && (colon >= 0 || (own !== undefined && own !== '')))) { kept?.push(c); continue }
      const ns = own ?? inherited
      if ((colon >= 0 || ns !== '') && !byLocalName) {
        kept ??= n.children.slice(0, i)
        ;(ctx.namespacedChildDropped ??= new Set()).add(n)
        ctx.explain(`${path === '' ? 'domain' : `domain/${path}`}/${c.name}`, 'unread', 'An element in a namespace: libvirt reads elements there by name in no namespace, so it does not see this one — it is dropped.')
        continue
      }
      if (colon >= 0) c.name = c.name.slice(colon + 1)
      // (the declarations go; an attribute with a prefix is read by its local name where libvirt reads it with xmlGetProp)
      let prefixed = false
      for (const k in c.attrs) {
        if (!k.includes(':') && k !== 'xmlns') continue
        if (k === 'xmlns' || k.startsWith('xmlns:')) delete c.attrs[k]
        else prefixed = true
      }
      const childPath = top ? c.name : `${path}/${c.name}`
      if (prefixed) byLocalAttributeName(c, localNameReads(byName, childPath), n, attributesReadByLocalNameWhen.get(childPath))
      walk(c, childPath, ns)
      kept?.push(c)
    }
    if (kept) n.children = kept
  }
  walk(ctx.domain, '', ctx.domain.attrs.xmlns ?? '')
}

/**
 * What model's table (attributesReadByLocalName, 9.0's or 11.3's) says libvirt reads with xmlGetProp on the element at
 * `path`: the path itself, any child of its parent (`features/*`, `features/hyperv/*`), or the same part of any device
 * (`devices/*` in place of the device's name: every device's address); a disk's backing stores' as its own.
 */
function localNameReads(table: ReadonlyMap<string, '*' | readonly string[]>, path: string): '*' | readonly string[] | undefined {
  // (a backing store's, at any depth, as the disk's: one virDomainStorageSourceParse for its source, one
  // virDomainDiskBackingStoreParse for each store — probe h29-g-backing-seclabel)
  if (path.includes('/backingStore')) path = path.replace(/(?:\/backingStore)+/, '/backingStore').replace('/backingStore/source', '/source')
  return table.get(path) ?? table.get(`${path.slice(0, path.lastIndexOf('/') + 1)}*`) ?? (path.startsWith('devices/') ? table.get(path.replace(/^devices\/[^/]+\//, 'devices/*/')) : undefined)
}

/**
 * An element's attributes as libvirt's reader finds them where it reads them with xmlGetProp (`reads`: all, `*`, or
 * those names): by local name whatever the namespace, the first of that name in the element — `<audio x:timerPeriod='7'
 * timerPeriod='5'>` has the timer period 7, written `timerPeriod='7'`, `<disk x:device='cdrom'>` is a CD-ROM (seen on
 * libvirtd 9.0; probes h25-nsa-…, h29-…). A prefixed attribute libvirt reads with XPath (`string(./model/@type)`), or
 * on an element it reads so alone (`reads` undefined), or one read only where the parent says so (`when`, model's
 * attributesReadByLocalNameWhen) and it does not, stays one, and is dropped as unread. The namespace declarations are
 * gone by then.
 */
function byLocalAttributeName(n: N, reads: '*' | readonly string[] | undefined, parent: N, when: readonly (readonly [string, string, readonly string[]])[] | undefined): void {
  if (reads === undefined) return
  const attrs: Record<string, string> = {}
  for (const k in n.attrs) {
    const colon = k.indexOf(':')
    const local = colon < 0 ? k : k.slice(colon + 1)
    // (read only where the parent says so: a host device source's startupPolicy for USB alone)
    const unread = colon >= 0 && when?.some(([attribute, of, values]) => attribute === local && !values.includes(parent.attrs[of] ?? ''))
    if (colon >= 0 && ((reads !== '*' && !reads.includes(local)) || unread)) attrs[k] = n.attrs[k]!
    else if (!Object.hasOwn(attrs, local)) attrs[local] = n.attrs[k]!
  }
  n.attrs = attrs
}

/**
 * What libvirt's parser never reads, dropped (model's schemaPlace, from libvirt's schema of the release): an attribute
 * its schema does not take on that element (`<disk foo=…>`, a `<name model=…>`, a newer release's attribute on 9.0) and
 * an element it does not take below that parent (`<disk><frobnicate/>`). Namespaced elements, namespace declarations and
 * what is kept as written (`<metadata>`) are the driver's own and stay.
 */
/**
 * A device's part written more than once of which libvirt 9.0 reads the last alone (model's readLastWhenRepeated: a PCI
 * address's `<zpci>`, virPCIDeviceAddressParseXML — probes h27-y21, h27-t1, libvirtd 9.0): the others dropped before the
 * schema's pass keeps the first of a part it takes once.
 */
function readLastOfRepeated(ctx: PreviewContext): void {
  // (libvirt 11.3 reads the first: virXMLNodeGetSubelement)
  if (!isLibvirt9(ctx)) return
  const list = devices(ctx)
  for (const d of list) {
    for (const part of readLastWhenRepeated) {
      const [holderName, name] = part.split('/') as [string, string]
      const holder = child(d, holderName)
      if (holder === undefined || (holderName === 'address' && holder.attrs.type !== 'pci')) continue
      const all = kids(holder, name)
      if (all.length < 2) continue
      holder.children = holder.children.filter((c) => c.name !== name || c === all[all.length - 1])
      ctx.explain(`${devicePath(list, d)}/${part}`, 'unread', `libvirt reads the last <${name}> of a <${holderName}> alone: the others are dropped.`)
    }
  }
}

/**
 * What libvirt reads of a host device's (or a host device interface's) later `<source>`s, before the schema's once drops
 * them (model's hostdevSourceReadThrough): a mediated device's address, a capabilities device's own element, a startup
 * policy off USB — each from any source, held by the first. A host device interface's source type is read from every
 * source (model's hostdevNicSourceTypeRead) and given to the first source's address, which the host device's parser reads:
 * one of the PCI or USB type it lacks is libvirt's zeroed one (0000:00:00.0, bus and device 0).
 */
function hostdevSourcesRead(ctx: PreviewContext): void {
  for (const d of devices(ctx)) {
    const nic = d.name === 'interface' && d.attrs.type === 'hostdev'
    if (d.name !== 'hostdev' && !nic) continue
    const sources = kids(d, 'source')
    const first = sources[0]
    if (first === undefined) continue
    let key = `${d.attrs.mode ?? 'subsystem'}/${d.attrs.type ?? ''}`
    if (nic) {
      const type = hostdevNicSourceTypeRead(sources)
      if (type === undefined) continue
      key = `subsystem/${type}`
      if (conditionValue(hostdevNicSourceType, d) !== type) {
        const address = child(first, 'address')
        if (address !== undefined) { const { type: _written, ...rest } = address.attrs; address.attrs = { type, ...rest } }
        else if (type === 'pci') first.children.push(node('address', { type, domain: '0', bus: '0', slot: '0', function: '0' }))
        else if (type === 'usb') first.children.push(node('address', { type, bus: '0', device: '0' }))
      }
    }
    const reads = sources.length > 1 ? hostdevSourceReadThrough.get(key) : undefined
    if (reads === undefined) continue
    for (const name of reads.children ?? []) {
      if (child(first, name) !== undefined) continue
      const later = sources.map((s) => child(s, name)).find((c) => c !== undefined)
      if (later !== undefined) first.children.push(later)
    }
    for (const a of reads.attributes ?? []) {
      const later = first.attrs[a] === undefined ? sources.find((s) => s.attrs[a] !== undefined) : undefined
      if (later !== undefined) first.attrs[a] = later.attrs[a]!
    }
  }
}

/**
 * A VNC display's `websocketGenerated`, which virDomainGraphicsDefParseXMLVNC reads (virStringParseYesNo) and no schema
 * has: `yes`, after a websocket that reads, is written back as websocket -1 by the inactive definition's formatter
 * (virDomainGraphicsDefFormat) — probes h40-g-vnc-wsgen0, h40-g-vnc-wsgen-ws0, libvirtd 9.0. Read before the schema's
 * drop of the attribute.
 */
function vncWebsocketGenerated(ctx: PreviewContext): void {
  for (const d of devices(ctx)) {
    if (d.name !== 'graphics' || d.attrs.type !== 'vnc' || d.attrs.websocketGenerated !== 'yes') continue
    const websocket = d.attrs.websocket
    if (websocket === undefined || readCInt(websocket, 10) !== undefined) d.attrs.websocket = '-1'
  }
}

function dropUnread(ctx: PreviewContext): void {
  let dropped: string[] | undefined
  /** Drop the attributes outside `attributes`, or outside the set of the element's type when a type decides it. */
  const filter = (n: N, attributes: ReadonlySet<string> | 'any' | undefined, ancestors: readonly N[]): void => {
    let schema: ReadonlySet<string> | 'any' | undefined
    // (a disk's source, a device's address, a character device's source, a smartcard, an RNG backend: their type's)
    const byTypes = attributesByType.get(n.name)
    if (byTypes !== undefined) {
      const parent = ancestors[ancestors.length - 1]!
      for (const byType of byTypes) {
        if ((byType.parent !== undefined && !byType.parent.includes(parent.name)) || (byType.grandparent !== undefined && byType.grandparent !== ancestors[ancestors.length - 2]?.name)) continue
        const holder = byType.typeOf === 'parent' ? parent : byType.typeOf === 'grandparent' ? ancestors[ancestors.length - 2]! : n
        const typed = byType.sets.get(holder.attrs[byType.by] ?? byType.absent)
        // (what the type reads and the release's schema takes there: a later release's attribute stays out)
        if (typed) { schema = attributes; attributes = typed }
        break
      }
    }
    if (attributes === undefined || attributes === 'any') return
    for (const k in n.attrs) {
      if ((attributes.has(k) && (schema === undefined || schema === 'any' || schema.has(k))) || k === 'xmlns' || k.startsWith('xmlns:')) continue
      // (read though the schema lacks it: the typed reads refuse it or drop it — model's `unwritten`)
      if (unwrittenReads.has(k) && unwrittenReads.has(`${ancestors.slice(1).map((a) => a.name).join('/')}/${n.name} ${k}`)) continue
      delete n.attrs[k]
      ;(dropped ??= []).push(`${pathOf(ancestors, n)} @${k}`)
    }
  }
  /** The children libvirt reads below `n` when its type decides them (childrenByType: a disk's source), else undefined. */
  const typedChildren = (n: N, ancestors: readonly N[]): ReadonlySet<string> | undefined => {
    const byTypes = childrenByType.get(n.name)
    if (byTypes === undefined) return undefined
    const parent = ancestors[ancestors.length - 1]!
    for (const byType of byTypes) {
      if ((byType.parent !== undefined && !byType.parent.includes(parent.name)) || (byType.grandparent !== undefined && byType.grandparent !== ancestors[ancestors.length - 2]?.name)) continue
      const holder = byType.typeOf === 'parent' ? parent : byType.typeOf === 'grandparent' ? ancestors[ancestors.length - 2]! : n
      return byType.sets.get((byType.byText ? child(holder, byType.by)?.text : holder.attrs[byType.by]) ?? byType.absent)
    }
    return undefined
  }
  /** Drop the children of `n` its type does not read (namespaced ones stay: the drivers'). */
  const filterChildren = (n: N, ancestors: N[]): void => {
    if (n.children.length === 0) return
    const typed = typedChildren(n, ancestors)
    if (typed === undefined || n.children.every((c) => typed.has(c.name) || c.name.includes(':'))) return
    ancestors.push(n)
    for (const c of n.children) if (!typed.has(c.name) && !c.name.includes(':')) (dropped ??= []).push(`${pathOf(ancestors, c)} <>`)
    ancestors.pop()
    n.children = n.children.filter((c) => typed.has(c.name) || c.name.includes(':'))
  }
  /** A backing store's source by the store's type (attributesByType, childrenByType), and the stores below it. */
  const filterBackingChain = (store: N, ancestors: N[]): void => {
    ancestors.push(store)
    for (const c of store.children) {
      if (c.name === 'source') { filter(c, undefined, ancestors); filterChildren(c, ancestors) }
      else if (c.name === 'backingStore') filterBackingChain(c, ancestors)
    }
    ancestors.pop()
  }
  /**
   * Whether `c`, a source `filter` emptied, is one a character device `n` writes none of (virDomainChrSourceDefFormat) —
   * but for a second source, which libvirt's parser counts and refuses before it reads any (the refusal rows; seed 387).
   */
  const emptiedSource = (n: N, c: N): boolean => c.name === 'source' && chrKinds.has(n.name) && (chrTypesWithoutSource.has(n.attrs.type!) || (n.attrs.type ?? 'pty') === 'pty') && c.children.length === 0 && isEmpty(c.attrs) && !secondSource(n)
  const visit = (n: N, place: SchemaPlace, ancestors: N[]): void => {
    filter(n, place.attributes, ancestors)
    filterChildren(n, ancestors)
    // (text where libvirt reads none — a TPM's `<backend type='emulator'>x</backend>`, an interface's backend — is not
    // read, so not written: seen on libvirtd 9.0)
    if (n.text !== undefined && !place.text && !place.anyChild && n.raw === undefined) {
      n.text = undefined
      ;(dropped ??= []).push(`${pathOf(ancestors, n)} #text`)
    }
    const children = n.children
    // (an element whose every child was in a namespace libvirt does not read, where it reads the string value: all of its
    // text, theirs too — `<serial>ab<x:y/>cd</serial>` is `abcd`, libvirtd 9.0)
    if (children.length === 0 && place.text && ctx.namespacedChildDropped?.has(n) && mixedText.has(n)) n.text = mixedText.get(n)
    if (n.raw || children.length === 0 || place.anyChild) return
    const below = place.children
    let kept: N[] | undefined
    let textBelow: string | undefined
    // (the domain's own settings stay as written: libvirt reads some from every one — `./cputune/emulatorpin` —, refuses
    // a second of others — `<numatune>` —; the rows weigh them; and so do the devices, but for the emulator's path:
    // `string(./devices/emulator[1])`)
    const readsAll = n.name === 'devices' || n.name === 'domain' || readsEveryChild.has(n.name)
    // (several of a name libvirt reads through every one, as one: model's readAsOneWhenRepeated)
    if (readAsOneParents.has(n.name)) readAsOne(n, children, isLibvirt9(ctx))
    ancestors.push(n)
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!
      const name = c.name
      // (a <privateData> is the status XML's, which libvirt reads only from its own state files: never at define)
      let at = name === 'privateData' ? undefined : below.get(name)
      if (at === undefined) {
        // (namespaced elements are the drivers': dropUnknownElements reads them — but a prefix no declaration binds, in a
        // document that declares none, is part of a plain name libxml2 reads in no namespace: an element libvirt does not know)
        if ((name.includes(':') && !ctx.options.namespaceFree) || c.attrs.xmlns !== undefined) { kept?.push(c); continue }
        // (a device's alias and address are read for every device with an info, whatever its schema says — a
        // smartcard's alias, seen on libvirtd 9.0; which devices keep them is the info rules' to say)
        if ((name === 'alias' || name === 'address') && ancestors[ancestors.length - 2]?.name === 'devices') at = deviceInfoPlace(name, ctx.options.libvirtVersion)
        if (at === undefined) {
          // (an unknown child where libvirt reads every child by name stays: it is refused)
          if (readsEveryChild.has(n.name) && readsEveryChild.has(`${ancestors[ancestors.length - 2]?.name}/${n.name}`) && !(isLibvirt9(ctx) && readsEveryChildSince11.has(n.name))) { kept?.push(c); continue }
          kept ??= children.slice(0, i)
          ;(dropped ??= []).push(`${pathOf(ancestors, c)} <>`)
          // (where libvirt reads the element's text, it reads the string value: its descendants' text too — libxml2's
          // NOBLANKS parse leaves no blank text — so `<loader><x>/a.fd</x></loader>` is a loader at /a.fd)
          if (place.text) textBelow = (textBelow ?? '') + descendantText(c)
          continue
        }
      }
      // (a second of a name the schema takes once there is not read: the parser reads the first — `virXPathNode`,
      // `string(./x[1])` — and the formatter writes that one; the repeat-child search edit, seeds 350 and 352. Not the
      // devices — libvirt refuses a second balloon or IOMMU in its own words — nor where every child is read by name)
      if (!at.repeats && i > 0 && (!readsAll || name === 'emulator') && !refusedWhenRepeated.has(`${n.name}/${name}`) && children.some((x, j) => j < i && x.name === name)) {
        kept ??= children.slice(0, i)
        ;(dropped ??= []).push(`${pathOf(ancestors, c)} <2>`)
        continue
      }
      visit(c, at, ancestors)
      if (emptiedSource(n, c)) { kept ??= children.slice(0, i); continue }
      kept?.push(c)
    }
    ancestors.pop()
    // (its first text node, XPath's `text()`, as it was before the elements go — firstTextIn: none beside elements alone)
    if (textBelow !== undefined && !firstTextNode.has(n)) firstTextNode.set(n, firstTextIn(n) ?? '')
    if (kept) n.children = kept
    // (an element that mixed text with the elements dropped: its string value, all of its text in document order)
    if (textBelow !== undefined && n.children.length === 0 && mixedText.has(n)) n.text = mixedText.get(n)
    else if (textBelow && n.children.length === 0) n.text = (n.text !== undefined && n.text.trim() !== '' ? n.text : '') + textBelow
  }
  if (ctx.options.schemaKnown) {
    // (the fast path found every element and attribute where the schema takes it: what a type decides is left, and
    // that is on a device or a child of one)
    for (const holder of ctx.domain.children) {
      if (holder.name !== 'devices') continue
      const ancestors = [ctx.domain, holder]
      for (const d of holder.children) {
        filter(d, undefined, ancestors)
        // (the devices whose children a type decides: graphics, sound)
        if (childrenByType.has(d.name)) filterChildren(d, ancestors)
        ancestors.push(d)
        let kept: N[] | undefined
        for (let i = 0; i < d.children.length; i++) {
          const c = d.children[i]!
          if (attributesByType.has(c.name)) {
            filter(c, undefined, ancestors)
            if (emptiedSource(d, c)) { kept ??= d.children.slice(0, i); continue }
          }
          // (and the device children a type decides: a source, a character device's target, a TPM's backend)
          if (childrenByType.has(c.name)) filterChildren(c, ancestors)
          // (and one level down: a host device's source address, an EGD random number generator backend's source)
          if ((c.name === 'source' || c.name === 'backend') && c.children.length > 0) {
            ancestors.push(c)
            for (const g of c.children) if (attributesByType.has(g.name)) filter(g, undefined, ancestors)
            ancestors.pop()
          }
          // (a disk's backing chain: each backing store's source by its type)
          if (c.name === 'backingStore') filterBackingChain(c, ancestors)
          kept?.push(c)
        }
        if (kept) d.children = kept
        ancestors.pop()
      }
    }
    // (and a firmware NVRAM's source, by the NVRAM's type)
    const os = child(ctx.domain, 'os')
    const nvram = child(os, 'nvram')
    const nvramSource = child(nvram, 'source')
    if (nvramSource !== undefined) filter(nvramSource, undefined, [ctx.domain, os!, nvram!])
    // (and the domain's own settings a type decides: a clock's attributes by its offset, the OS's children by its type)
    for (const c of ctx.domain.children) {
      if (domainTyped.has(c.name)) filter(c, undefined, [ctx.domain])
      if (domainTypedChildren.has(c.name)) filterChildren(c, [ctx.domain])
    }
  } else visit(ctx.domain, schemaRoot(ctx.options.libvirtVersion), [])
  if (!dropped) return
  const release = isLibvirt9(ctx) ? '9.0' : '11.3'
  for (const d of dropped) {
    const at = d.lastIndexOf(' ')
    const path = d.slice(0, at)
    const what = d.slice(at + 1)
    ctx.explain(path, 'unread', what === '<>'
      ? `libvirt ${release} reads no <${path.slice(path.lastIndexOf('/') + 1)}> there: it is dropped.`
      : what === '<2>'
        ? `libvirt ${release} reads the first <${path.slice(path.lastIndexOf('/') + 1)}> there: this one is dropped.`
      : what === '#text'
        ? `libvirt ${release} reads no text in this element: it is dropped.`
        : `libvirt ${release} reads no \`${what.slice(1)}\` attribute on this element: it is dropped.`)
  }
}

/**
 * Elements whose every child libvirt's parser reads, by its name, refusing a name it does not know (`unexpected feature
 * 'bogus'`, virDomainFeaturesDefParse and its HyperV, KVM, Xen and capabilities parts; a TPM's PCR banks): an unknown
 * child there is refused (the refusal rows), not dropped. (By name, then parent/name: the name alone is checked first.)
 */
const readsEveryChild: ReadonlySet<string> = new Set(['features', 'hyperv', 'kvm', 'xen', 'capabilities', 'stimer', 'tlbflush', 'active_pcr_banks', 'domain/features', 'features/hyperv', 'features/kvm', 'features/xen', 'features/capabilities', 'hyperv/stimer', 'hyperv/tlbflush', 'backend/active_pcr_banks'])

/** Of those, the ones whose children came with libvirt 11 (HyperV TLB flush's `<direct>`, `<extended>`): 9.0 drops them. */
const readsEveryChildSince11: ReadonlySet<string> = new Set(['tlbflush'])

/** A storage source's host ports as virStringParsePort read them (`port=' 6000'` is written 6000). */
function hostPortsAsRead(source: N | undefined): void {
  for (const host of source?.children ?? []) {
    const port = host.name === 'host' ? host.attrs.port : undefined
    const read = port === undefined ? undefined : readCInteger(port, 10)
    if (read && !read.negative && String(read.magnitude) !== port) host.attrs = { ...host.attrs, port: String(read.magnitude) }
  }
}

/**
 * A network storage source's settings as virDomainDiskSourceNetworkParse reads them (a disk's, an NVRAM's): an <ssl> for
 * HTTPS and FTPS alone, <cookies> for HTTP(S) alone (an HTTP source's <ssl verify> is not kept, seen on libvirtd 9.0); a
 * readahead size and a timeout for the web protocols alone, 0 not written (virDomainDiskSourceFormatNetwork).
 */
function networkSourceAsRead(source: N | undefined): void {
  if (!source) return
  const protocol = source.attrs.protocol ?? ''
  if (source.children.some((c) => (c.name === 'ssl' && protocol !== 'https' && protocol !== 'ftps') || (c.name === 'cookies' && protocol !== 'http' && protocol !== 'https'))) {
    source.children = source.children.filter((c) => !((c.name === 'ssl' && protocol !== 'https' && protocol !== 'ftps') || (c.name === 'cookies' && protocol !== 'http' && protocol !== 'https')))
  }
  for (const [name, attribute] of [['readahead', 'size'], ['timeout', 'seconds']] as const) {
    const n = child(source, name)
    if (n === undefined) continue
    const value = n.attrs[attribute]
    // (read only for the web protocols: on another the element is not read at all; one without its number — or with
    // it in a namespace, which `string(./readahead/@size)` does not see — is none, not written: probe h29-d-readahead)
    const read = value === undefined || value === '' || !webProtocols.has(protocol) ? undefined : readCUnsignedLongLong(value, 10)
    if (read === undefined || read === 0n) source.children = source.children.filter((c) => c !== n)
    else if (String(read) !== value) n!.attrs = { ...n!.attrs, [attribute]: String(read) }
  }
}

/** The text below an element, as XPath's string value under libxml2's NOBLANKS parse (blank text nodes gone). */
function descendantText(n: N): string {
  if (n.raw) return ''
  let text = n.text !== undefined && n.text.trim() !== '' ? n.text : ''
  for (const c of n.children) text += descendantText(c)
  return text
}

/** Whether a character device has more than one `<source>`. */
/**
 * The element whose `type` and `<source>` libvirt reads as a character device's (virDomainChrSourceDefParseXML): a serial,
 * parallel, console or channel device's own, a USB redirection's, a passthrough smartcard's, an EGD RNG backend's.
 */
function chrSourceHolder(d: N): N | undefined {
  if (chrKinds.has(d.name) || d.name === 'redirdev') return d
  if (d.name === 'smartcard') return d.attrs.mode === 'passthrough' ? d : undefined
  if (d.name !== 'rng') return undefined
  const backend = child(d, 'backend')
  return backend?.attrs.model === 'egd' ? backend : undefined
}

function secondSource(n: N): boolean {
  let sources = 0
  for (const c of n.children) if (c.name === 'source' && ++sources > 1) return true
  return false
}

/** Character device types whose parser reads no `<source>` (virDomainChrSourceDefParseXML). */
const chrTypesWithoutSource: ReadonlySet<string> = new Set(['null', 'vc', 'stdio', 'spicevmc'])

/** Whether an object has no own keys (without making the list of them). */
function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false
  return true
}

/** The schema's place of a device's `<alias>` or `<address>` (a disk's: every kind of address, a user alias). */
function deviceInfoPlace(name: string, libvirtVersion: number): SchemaPlace | undefined {
  return schemaRoot(libvirtVersion).children.get('devices')?.children.get('disk')?.children.get(name)
}

/** `domain/devices/disk` for an element and the elements above it. */
/**
 * The elements whose text libvirt reads as `string(./x/text())` (a smartcard's database, virDomainSmartcardDefParseXML):
 * XPath's first text node of every `<x>`, in document order — `<database/><database>/b</database>` is `/b` (probe
 * h53-scd-db-empty-then, libvirtd 9.0). Written twice, the first is kept holding that text.
 */
const textReadThroughWhenRepeated: ReadonlySet<string> = new Set(['smartcard/database'])

/** The parents below the domain of model's readAsOneWhenRepeated (the domain's own: readRepeatedTopElements). */
const readAsOneParents: ReadonlySet<string> = new Set([...readAsOneWhenRepeated, ...textReadThroughWhenRepeated, ...readAsOneWhenRepeated9, ...readThroughWhenRepeated.keys(), ...attributesReadThroughWhenRepeated.keys()].map((k) => k.slice(0, k.indexOf('/'))).filter((p) => p !== 'domain'))

/** Several children of one name libvirt reads through every one (model's readAsOneWhenRepeated, and libvirt 9.0's readAsOneWhenRepeated9) made one: the first, holding all their children, each attribute as first written. */
function readAsOne(n: N, children: N[], libvirt9: boolean): void {
  let first: Map<string, N> | undefined
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!
    const key = `${n.name}/${c.name}`
    if (textReadThroughWhenRepeated.has(key)) {
      const earlier = children.find((x) => x.name === c.name)!
      if (earlier === c) continue
      // (the earlier one's text node when it has one — firstTextIn's '' for none beside elements —, else this one's)
      const text = firstTextIn(c)
      if (!firstTextIn(earlier) && text) { earlier.text = text; earlier.children = []; firstTextNode.delete(earlier) }
      continue
    }
    // (what libvirt reads through the second of an element it reads the first of — model's readThroughWhenRepeated —
    // joins the first: the second is left for the schema's once to drop)
    const through = readThroughWhenRepeated.get(key)
    if (through !== undefined) {
      const earlier = children.find((x) => x.name === c.name)!
      if (earlier !== c) for (const chain of through) readThrough(earlier, c, chain)
      continue
    }
    // (and the attributes it reads through every one — model's attributesReadThroughWhenRepeated —, each the first written)
    const attributes = attributesReadThroughWhenRepeated.get(key)
    if (attributes !== undefined) {
      const earlier = children.find((x) => x.name === c.name)!
      if (earlier !== c) for (const a of attributes) if (earlier.attrs[a] === undefined && c.attrs[a] !== undefined) earlier.attrs[a] = c.attrs[a]!
      continue
    }
    if (!readAsOneWhenRepeated.has(key) && !(libvirt9 && readAsOneWhenRepeated9.has(key))) continue
    const earlier = (first ??= new Map()).get(c.name)
    if (earlier === undefined) { first.set(c.name, c); continue }
    earlier.children = [...earlier.children, ...c.children]
    for (const k in c.attrs) if (earlier.attrs[k] === undefined) earlier.attrs[k] = c.attrs[k]!
    children.splice(i--, 1)
  }
}

function pathOf(ancestors: readonly N[], n: N): string {
  let path = ''
  for (const a of ancestors) path += `${a.name}/`
  return path + n.name
}

/** An RNG rate's value as virXPathUInt reads it (virStrToLong_ui: base 10, no sign below 0, 32 bits); `undefined` if it does not read. */
function rngRateValue(text: string | undefined): number | undefined {
  // (an empty value is none to virXPathUInt: seen so on libvirtd 9.0)
  if (text === undefined || text === '') return 0
  const read = readCInteger(text, 10)
  return read === undefined || (read.negative && read.magnitude !== 0) || read.magnitude > 2 ** 32 - 1 ? undefined : read.magnitude
}

/** Where an integer libvirt writes in its own form is, by device kind: below the device (`at`), an attribute or each child's text. */
interface ReformattedInteger {
  readonly at: readonly string[]
  readonly attribute?: string
  readonly hex?: true
  /** The element's own text, read as an unsigned long long (virXPathULongLong: a NIC's `<tune><sndbuf>`, written `%llu`). */
  readonly ullong?: true
  /** A 0 the formatter does not write (`if (def->mtu)`): the element goes with it. */
  readonly zeroUnwritten?: true
}
// (the integers of model's attributeReads — boot orders, a NIC's queues, audio ids… — are written by readTypedAttributes;
// these are the ones libvirt reads otherwise: by its own string reads, or only under a condition)
const targetPort: ReformattedInteger = { at: ['target'], attribute: 'port' }
const reformattedIntegers: Readonly<Record<string, readonly ReformattedInteger[]>> = {
  disk: [{ at: ['iotune'] }, { at: ['source', 'host'], attribute: 'port' }],
  // (virDomainNetDefParseXML: the send buffer read as virXPathULongLong, the MTU as virXPathUInt — not written when 0)
  interface: [{ at: ['mtu'], attribute: 'size', zeroUnwritten: true }, { at: ['tune', 'sndbuf'], ullong: true }],
  video: ['vram', 'ram', 'vgamem', 'vram64', 'heads'].map((attribute) => ({ at: ['model'], attribute })),
  serial: [targetPort],
  parallel: [targetPort],
  console: [targetPort],
  // (a VNC server's websocket port is model's attributeReads': read, written back, and not written when 0)
  graphics: [{ at: ['audio'], attribute: 'id' }],
  // (a PCI controller's chassis and port: base-0 reads of model's attributeReads, `port='16'` being 0x10)
}

/** An <iotune> limit libvirt holds as none: empty, or a number that reads as 0 (a group's name: empty). */
function unsetLimit(c: N): boolean {
  const text = c.text ?? ''
  if (c.name === 'group_name') return text === ''
  if (text === '') return true
  const read = readCInteger(text, 10)
  return read !== undefined && read.magnitude === 0
}

/** `text` as libvirt writes the integer it reads from it (base 10, or `0x…` for `hex`), or `undefined` when it does not read. */
function reformatInteger(text: string, e: ReformattedInteger): string | undefined {
  if (e.ullong) {
    // (virStrToLong_ullp in base 10: space and a `+` before the digits, no minus sign)
    const big = readCUnsignedLongLong(text, 10)
    return big === undefined || String(big) === text ? undefined : String(big)
  }
  const read = readCInteger(text, e.hex ? 16 : 10)
  if (read === undefined || read.magnitude > 2 ** 32 - 1 || (read.negative && read.magnitude !== 0)) return undefined
  const value = read.negative ? -read.magnitude : read.magnitude
  const written = e.hex ? `0x${value.toString(16)}` : String(value === 0 ? 0 : value)
  return written === text ? undefined : written
}


/**
 * The reads libvirt makes of attributes its schema does not take there and it does not write back (model's `unwritten`),
 * as `path attribute` and by attribute name: dropUnread leaves them to the typed reads.
 */
const unwrittenReads: ReadonlySet<string> = new Set([
  ...[...attributeReads].flatMap(([path, reads]) => reads.filter((r) => r[2]?.unwritten || r[2]?.outsideSchema).flatMap((r) => [r[0], `${path} ${r[0]}`])),
  // (and those the refusal rows check, which the cleanup drops once checked: model's checkedUnwritten)
  ...[...checkedUnwritten].flatMap(([path, names]) => names.flatMap((name) => [name, `${path} ${name}`])),
])

/** model's attributeReads as a tree of element names (made once): each node's reads and its children's. */
interface AttributeReadTrie {
  readonly reads: AttributeRead[]
  readonly children: Map<string, AttributeReadTrie>
  /** An element the formatter writes only when it holds something (model's emptyUnwritten): dropped when empty. */
  emptyUnwritten?: true
}
const attributeReadTrie: AttributeReadTrie = /* @__PURE__ */ (() => {
  const root: AttributeReadTrie = { reads: [], children: new Map() }
  for (const [path, reads] of attributeReads) {
    let at = root
    for (const name of path.split('/')) { let next = at.children.get(name); if (!next) at.children.set(name, (next = { reads: [], children: new Map() })); at = next }
    at.reads.push(...reads)
  }
  // (and the elements written only when they hold something, read or not: an empty `<os><firmware/>`, a disk's `<iotune>`)
  for (const path of emptyUnwritten) {
    let at = root
    for (const name of path.split('/')) { let next = at.children.get(name); if (!next) at.children.set(name, (next = { reads: [], children: new Map() })); at = next }
    at.emptyUnwritten = true
  }
  // (a `*` below a node is every child of it: its reads come first in each named child too — the walk looks a name up
  // before the `*` — as a HyperV enlightenment's state before spinlocks' retries, a device info's master for each device)
  const merge = (into: AttributeReadTrie, from: AttributeReadTrie): void => {
    into.reads.unshift(...from.reads)
    if (from.emptyUnwritten) into.emptyUnwritten = true
    for (const [name, sub] of from.children) {
      const own = into.children.get(name)
      if (own) merge(own, sub)
      else into.children.set(name, sub)
    }
  }
  const spread = (node: AttributeReadTrie): void => {
    const star = node.children.get('*')
    if (star) for (const [name, sub] of node.children) if (name !== '*') merge(sub, star)
    for (const sub of node.children.values()) spread(sub)
  }
  spread(root)
  return root
})()

/**
 * `visit` each read of each element below `n` the tree names, in document order, until it answers true; `ancestors`
 * holds the elements from <domain> down to the one visited (for its path, made only on a refusal: attributeReadPath).
 */
function walkAttributeReads(n: N, trie: AttributeReadTrie, ancestors: N[], visit: (n: N, read: AttributeRead, ancestors: readonly N[]) => boolean, atDevice?: (d: N, when: 'first' | 'last') => boolean, among?: AmongDevices): boolean {
  ancestors.push(n)
  try {
    // (the domain's settings and its devices as libvirt's parser reads them: by kind in its order, each kind in document order)
    const devices = ancestors.length === 2 && n.name === 'devices'
    // (and a setting's parts in its parser's order where known: an NVRAM before its loader)
    const order = ancestors.length === 1 ? walkDomainRanks : devices ? deviceReadRanks : ancestors.length === 2 ? settingReadParts.get(n.name) : undefined
    // (a setting read among the devices — the launch security before the memory devices, model's settingsReadAmongDevices —
    // is read there, as the domain's child, where the domain has devices; the first of its name, `./launchSecurity`)
    const pending = ancestors.length === 1 && n.children.some((c) => c.name === 'devices') ? n.children.filter((c, i) => amongDevices.has(c.name) && n.children.findIndex((o) => o.name === c.name) === i) : []
    const settings: AmongDevices | undefined = pending.length > 0 ? { domain: n, trie, nodes: pending } : undefined
    // (visit the settings due before a device of `rank`, from the domain: `Infinity`, those left once every device is read)
    const visitAmong = (rank: number): boolean => {
      while (among !== undefined && among.nodes.length > 0 && amongDevices.get(among.nodes[0]!.name)! < rank) {
        const s = among.nodes.shift()!
        ancestors.pop()
        try { if (visitChild(among.domain, s, among.trie)) return true } finally { ancestors.push(n) }
      }
      return false
    }
    const visitChild = (parent: N, c: N, at: AttributeReadTrie): boolean => {
      const sub = at.children.get(c.name) ?? at.children.get('*')
      if (sub) {
        if (sub.reads.length > 0) {
          ancestors.push(c)
          try { for (const read of sub.reads) if (visit(c, read, ancestors)) return true } finally { ancestors.pop() }
        }
        if (sub.children.size > 0 && walkAttributeReads(c, sub, ancestors, visit, atDevice, c.name === 'devices' ? settings : undefined)) return true
        // (written empty — `<driver><host/><guest/></driver>` on a virtio NIC —, such an element is not written back: seen
        // on libvirtd 9.0)
        if (sub.emptyUnwritten && c.children.length === 0 && c.text === undefined && isEmpty(c.attrs)) parent.children = parent.children.filter((x) => x !== c)
      }
      return false
    }
    for (const c of order ? inReadOrder(n.children, order) : n.children) {
      if (settings !== undefined && amongDevices.has(c.name)) continue
      if (devices && visitAmong(deviceReadRanks.get(c.name) ?? Infinity)) return true
      if (devices && atDevice?.(c, 'first')) return true
      if (visitChild(n, c, trie)) return true
      if (devices && atDevice?.(c, 'last')) return true
    }
    return devices && visitAmong(Infinity)
  } finally { ancestors.pop() }
}

/** The domain's settings read among its devices, not yet visited (walkAttributeReads), with the domain and its reads. */
interface AmongDevices { readonly domain: N; readonly trie: AttributeReadTrie; readonly nodes: N[] }

const domainReadRanks: ReadonlyMap<string, number> = rankOf(domainReadOrder)
const deviceReadRanks: ReadonlyMap<string, number> = new Map(['emulator', ...deviceParseOrder].map((name, i) => [name, i]))

/** `children` by their rank in `ranks` (the unranked last), stably; the array itself when already in order. */
function inReadOrder(children: readonly N[], ranks: ReadonlyMap<string, number>): readonly N[] {
  let previous = -1
  let sorted = true
  // (an element of no rank — <metadata>, <title> — has no reads: it leaves the order as it is)
  for (const c of children) { const r = ranks.get(c.name); if (r === undefined) continue; if (r < previous) { sorted = false; break } previous = r }
  if (sorted) return children
  // (nearly in order as a rule: an insertion sort, stable, over the ranks read once)
  const out = children.slice()
  const rank = out.map((c) => ranks.get(c.name) ?? 999)
  for (let i = 1; i < out.length; i++) {
    const c = out[i]!
    const r = rank[i]!
    let j = i - 1
    while (j >= 0 && rank[j]! > r) { out[j + 1] = out[j]!; rank[j + 1] = rank[j]!; j-- }
    out[j + 1] = c
    rank[j + 1] = r
  }
  return out
}

/** The path of the last of `ancestors` (`domain/cpu/numa/cell[2]`: a place among same-named siblings where there are several, and a device's always). */
function attributeReadPath(ancestors: readonly N[]): string {
  let path = 'domain'
  for (let i = 1; i < ancestors.length; i++) {
    const parent = ancestors[i - 1]!
    const c = ancestors[i]!
    let place = 0
    let count = 0
    for (const x of parent.children) if (x.name === c.name) { count++; if (x === c) place = count }
    path += `/${c.name}${count > 1 || parent.name === 'devices' ? `[${place}]` : ''}`
  }
  return path
}

/** Whether `value` is a plain decimal libvirt writes back as it is (`0`, `42`): nothing to read again. */
function plainDecimal(value: string): boolean {
  const n = value.length
  if (n === 0 || n > 9) return false
  const first = value.charCodeAt(0)
  if (first < 0x30 || first > 0x39 || (first === 0x30 && n > 1)) return false
  for (let i = 1; i < n; i++) { const c = value.charCodeAt(i); if (c < 0x30 || c > 0x39) return false }
  return true
}

/** The attribute that holds a disk source's path (virStorageSource's `path`), by disk type. */
const diskPathAttributes: Readonly<Record<string, string>> = { file: 'file', block: 'dev', dir: 'dir', network: 'name' }

/**
 * An extension element is read by its namespace, whatever its prefix (<commandline xmlns='…qemu/1.0'>, <ns0:commandline>
 * with ns0 declared on it or on <domain>), and written with libvirt's prefix (qemu:) — named so as the parser reads them,
 * before the namespace's own checks (a default-namespace `<env name=' NS'>` is refused as a prefixed one is). The parser's
 * XPath (`./qemu:commandline/qemu:arg`, the prefix registered for the driver's URI) sees only elements of that URI: one
 * under libvirt's prefix bound to another URI, or to none, is not read and not written back, nor anything below it
 * (libvirtd 9.0: `<qemu:commandline xmlns:qemu='urn:x'>` dropped, its declaration with it).
 */
function extensionNamesCanonical(ctx: PreviewContext): void {
  const canonicalPrefixes = new Set(Object.values(extensionNamespaces))
  const scopeOf = (n: N, scope: Readonly<Record<string, string>>): Record<string, string> => {
    let inner = scope
    for (const k in n.attrs) if (k === 'xmlns' || k.startsWith('xmlns:')) { if (inner === scope) inner = { ...scope }; (inner as Record<string, string>)[k] = n.attrs[k]! }
    return inner as Record<string, string>
  }
  const declarationOf = (name: string): string => { const at = name.indexOf(':'); return at < 0 ? 'xmlns' : `xmlns:${name.slice(0, at)}` }
  const rootScope: Record<string, string> = {}
  for (const k in ctx.domain.attrs) if (k.startsWith('xmlns:')) rootScope[k] = ctx.domain.attrs[k]!
  // (an element under libvirt's prefix that is not in its namespace, and what is below it: not read)
  const foreign = (n: N, scope: Readonly<Record<string, string>>): boolean => {
    const at = n.name.indexOf(':')
    return at >= 0 && canonicalPrefixes.has(n.name.slice(0, at)) && extensionNamespaces[scope[declarationOf(n.name)] ?? ''] === undefined
  }
  const kept: N[] = []
  for (const c of ctx.domain.children) {
    const scope = scopeOf(c, rootScope)
    if (foreign(c, scope)) {
      ctx.explain(`domain/${c.name}`, 'unknown-element', `<${c.name}> is not in the namespace libvirt reads under that prefix: it is dropped.`)
      continue
    }
    kept.push(c)
    const declaration = declarationOf(c.name)
    const uri = declaration === 'xmlns' ? c.attrs.xmlns : scope[declaration]
    const canonical = uri === undefined ? undefined : extensionNamespaces[uri]
    if (canonical === undefined) continue
    // (each descendant by its own namespace too: a child may declare the same one under yet another prefix, or
    // libvirt's prefix for another)
    // (an attribute in another namespace is read by its local name where the driver reads it with xmlGetProp: model's
    // attributesReadByLocalName — `<qemu:arg x:value='-S'/>` is an argument, libvirtd 9.0, probe h29-q-arg)
    const byName = isLibvirt9(ctx) ? attributesReadByLocalName9 : attributesReadByLocalName
    const rename = (n: N, outer: Readonly<Record<string, string>>, parent: N, path: string): void => {
      const inner = scopeOf(n, outer)
      let prefixed = false
      for (const k in n.attrs) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) delete n.attrs[k]
        else if (k.includes(':')) prefixed = true
      }
      const at = n.name.indexOf(':')
      if (inner[declarationOf(n.name)] === uri) n.name = `${canonical}:${n.name.slice(at + 1)}`
      const here = path === '' ? n.name : `${path}/${n.name}`
      if (prefixed) byLocalAttributeName(n, byName.get(here), parent, undefined)
      n.children = n.children.filter((x) => !foreign(x, scopeOf(x, inner)))
      for (const x of n.children) rename(x, inner, n, here)
    }
    rename(c, scope, ctx.domain, '')
    c.attrs = { [`xmlns:${canonical}`]: uri!, ...c.attrs }
  }
  if (kept.length !== ctx.domain.children.length) ctx.domain.children = kept
}

const parseValuesRule: PreviewRule = {
  name: 'parse-values',
  source: 'virxml.c virXMLPropInt/virXMLPropUInt; domain_conf.c virDomainVcpuParse, virDomainControllerDefParseXML, virPCIDeviceAddressParseXML; domain_validate.c',
  apply(ctx) {
    // (the sizes and counts below are read as their string value — `string(./vcpu[1])`, virDomainParseMemory's
    // `./memory[1]` —, the text of elements inside them too, in a namespace or not: `<vcpu>1<x>2</x></vcpu>` is 12 vCPUs,
    // `<iothreads>1<x>2</x></iothreads>` 12 I/O threads — probes h41-o3-…, h41-o4-vcpu-ns, h41-o-io-elem, libvirtd 9.0)
    for (const name of ['memory', 'currentMemory', 'maxMemory', 'vcpu', 'iothreads']) {
      const n = child(ctx.domain, name)
      if (n === undefined || n.children.length === 0) continue
      n.text = mixedText.get(n) ?? descendantText(n)
      n.children = []
    }
    // (then, first of the reads: what libvirt's parser does not see of elements and attributes in a namespace, and an
    // attribute it reads by its local name, before any read — `<vcpu x:current='3' current='x'>` has 3 vCPUs online,
    // probe h29-r5-62)
    hideNamespaced(ctx)
    // memory sizes: an unsigned count of a unit, at most 2^63 - 1 bytes (virDomainParseMemory; read before the vCPUs, as
    // libvirt's parser does, in its order); an empty one is none (`string(./memory[1])` is no value: libvirtd 9.0 then
    // asks for a memory size, and takes the total for an empty <currentMemory>)
    for (const name of ['memory', 'currentMemory', 'maxMemory']) {
      const m = child(ctx.domain, name)
      if (!m) continue
      // (an empty maximum is none, a size of 0 — its slot count is still read: post-parse weighs the two)
      if ((m.text === undefined || m.text === '') && name === 'maxMemory') { m.text = '0'; continue }
      if (m.text === undefined || m.text === '') {
        // (a <memory> of no size still has its dumpCore switch read: virXMLPropTristateSwitch on ./memory[1] — the
        // odd-form search edit, seed 297)
        const dumpCore = name === 'memory' ? m.attrs.dumpCore : undefined
        if (dumpCore !== undefined && dumpCore !== 'on' && dumpCore !== 'off') throw new PreviewError('preview-invalid-value', `Invalid value for attribute 'dumpCore' in element 'memory': '${dumpCore}'.`, { path: 'domain/memory/@dumpCore' })
        ctx.domain.children = ctx.domain.children.filter((c) => c !== m)
        continue
      }
      const read = readLibvirtMemory(m.text ?? '', m.attrs.unit, `./${name}[1]`)
      if ('error' in read) throw new PreviewError('preview-invalid-value', read.error, { path: `domain/${name}` })
    }
    // <vcpu>: a base-10 unsigned count, the whole text (virXPathUInt: virStrToLong_ui, where `-1` wraps around to
    // 4294967295 — then refused as more than the machine takes; libvirtd 9.0 reads the placement next); `current` likewise
    const vcpu = child(ctx.domain, 'vcpu')
    if (vcpu) {
      const raw = vcpu.text ?? ''
      const read = readCUnsigned(raw, 'uint')
      if (read === undefined) throw new PreviewError('preview-invalid-value', 'maximum vcpus count must be an integer', { path: 'domain/vcpu' })
      if (String(read) !== raw) vcpu.text = String(read)
      readIntegers(vcpu, vcpuIntegers, 'domain/vcpu')
    }
    // <iothreads>: the same kind of count, with its own words (virDomainDefParseIOThreads)
    const iothreads = child(ctx.domain, 'iothreads')
    // (an empty count is none to virXPathString, as if not written: no I/O threads unless <iothreadids> names some)
    if (iothreads && (iothreads.text ?? '') === '') ctx.domain.children = ctx.domain.children.filter((c) => c !== iothreads)
    else if (iothreads) {
      const raw = iothreads.text ?? ''
      const read = readCInteger(raw, 10)
      if (!read || read.negative || read.magnitude > 2 ** 32 - 1) throw new PreviewError('preview-invalid-value', `invalid iothreads count '${raw}'`, { path: 'domain/iothreads' })
      if (String(read.magnitude) !== raw) iothreads.text = String(read.magnitude)
    }
    readRepeatedTopElements(ctx)
    // (once two <os> are read as one) virDomainDefParseBootFirmwareOptions: an empty `<os firmware>` is none
    // (virXPathString), and the features are those of every `./os/firmware/feature`, the formatter writing them in one `<firmware>` (libvirtd 9.0)
    const bootOsFirmware = child(ctx.domain, 'os')
    if (bootOsFirmware?.attrs.firmware === '') {
      const { firmware: _empty, ...rest } = bootOsFirmware.attrs
      bootOsFirmware.attrs = rest
    }
    const firmwares = kids(bootOsFirmware, 'firmware')
    if (firmwares.length > 1) {
      firmwares[0]!.children = firmwares.flatMap((f) => f.children.filter((c) => c.name === 'feature'))
      bootOsFirmware!.children = bootOsFirmware!.children.filter((c) => c.name !== 'firmware' || c === firmwares[0])
    }
    // (`./os/nvram/source[1]`: the source of a later <nvram> — of a second <os> — when the first has none; libvirtd 9.0)
    const nvrams = kids(bootOsFirmware, 'nvram')
    if (nvrams.length > 1 && Object.keys(nvrams[0]!.attrs).some((k) => k === 'type' || k.endsWith(':type')) && !child(nvrams[0]!, 'source')) {
      const later = nvrams.slice(1).map((v) => child(v, 'source')).find((c) => c !== undefined)
      if (later) nvrams[0]!.children = [...nvrams[0]!.children, later]
    }
    // virDomainLoaderDefParseXMLNvram: an <nvram> without a type is a path, its text (blank: none); a <source> in it is not read
    const nvram = child(child(ctx.domain, 'os'), 'nvram')
    // (its type read by local name, xmlGetProp: `x:type` is a type — model's attributesReadByLocalName)
    if (nvram !== undefined && !Object.keys(nvram.attrs).some((k) => k === 'type' || k.endsWith(':type')) && nvram.children.length > 0) {
      // (text beside the elements: its string value, all of it in document order)
      const path = mixedText.get(nvram) ?? descendantText(nvram)
      for (const c of nvram.children) ctx.explain(`domain/os/nvram/${c.name}`, 'unread', 'An <nvram> without a type is a path in its text: libvirt reads nothing below it.')
      nvram.children = []
      nvram.text = path === '' ? undefined : path
    }
    // virDomainDefParseBootXML: the first four boot devices are read (VIR_DOMAIN_BOOT_LAST), the rest not even checked
    // (five from two <os>, the repeat-child search edit, seed 358: libvirtd 9.0 writes four)
    const bootOs = child(ctx.domain, 'os')
    if (bootOs !== undefined) {
      let boots = 0
      const kept = bootOs.children.filter((c) => c.name !== 'boot' || ++boots <= 4)
      if (kept.length !== bootOs.children.length) {
        bootOs.children = kept
        ctx.explain('domain/os/boot[5]', 'unread', 'libvirt reads the first four boot devices: the rest are dropped.')
      }
    }
    // (an external TPM's backend is read as a character device whatever the schema says: its log and protocol, a TCP
    // source's TLS switch, a file's append switch — looked at before they are dropped, refused by the parse row)
    for (const d of child(ctx.domain, 'devices')?.children ?? []) {
      const backend = d.name === 'tpm' ? child(d, 'backend') : undefined
      const type = backend?.attrs.type === 'external' ? kids(backend, 'source').find((c) => c.attrs.type !== undefined)?.attrs.type : undefined
      const problem = type !== undefined && (deviceNames.chrTypes as readonly string[]).includes(type) ? externalTpmSourceProblem(backend!, type, '', isLibvirt9(ctx)) : undefined
      if (problem) (ctx.externalTpmProblems ??= new Map()).set(d, problem)
    }
    dropUnknownElements(ctx, false)
    // (a guest NUMA cache's size and line in the units of their `<unit>` children: read, though no schema has them)
    numaCacheUnitElements(child(child(ctx.domain, 'cpu'), 'numa'))
    readLastOfRepeated(ctx)
    hostdevSourcesRead(ctx)
    vncWebsocketGenerated(ctx)
    dropUnread(ctx)
    extensionNamesCanonical(ctx)
    const list = devices(ctx)
    // a disk written without <source> is a file to libvirt's parser, whatever (known) type it says ("Reset src->type in
    // case when 'source' was not present": virDomainDiskDefParseXML) — an empty block, directory or volume CD-ROM, as
    // VMware's converter writes one; the checks of its type see a file (seen on libvirtd 9.0)
    // a filesystem's space limits in bytes, as libvirt stores them (virParseScaledValue, no more than 2^64 - 1 bytes; one
    // that does not read is the parse rows' to refuse); an empty one or 0 is none (seen on libvirtd 9.0)
    for (const d of list) {
      if (d.name !== 'filesystem') continue
      for (const name of deviceNames.filesystemSpaceLimits) {
        const limit = child(d, name)
        if (!limit) continue
        const read = limit.text === undefined || limit.text === '' ? undefined : readSpaceLimit(limit, name)
        if (read !== undefined && 'error' in read) continue
        if (read === undefined || read.bytes === 0n) d.children = d.children.filter((c) => c !== limit)
        else { limit.attrs = { unit: 'bytes' }; limit.text = String(read.bytes) }
      }
    }
    const storageTypes: readonly string[] = isLibvirt9(ctx) ? storageTypes9 : deviceNames.storageTypes
    for (const d of list) {
      const type = d.name === 'disk' ? d.attrs.type : undefined
      if (type === undefined || type === 'file' || !storageTypes.includes(type) || child(d, 'source') !== undefined) continue
      d.attrs.type = 'file'
      ctx.explain(`${devicePath(list, d)}/@type`, 'disk-no-source', `A ${type} disk without <source> is an empty drive: libvirt's parser records it as a file.`)
    }
    // a device's <driver> or ACPI index, a controller's <model> or <target>, with nothing in them: libvirt holds nothing
    // for them and writes none (virXMLFormatElement leaves an empty element out; each seen on libvirtd 9.0)
    for (const d of list) {
      let kept: N[] | undefined
      let seen = 0
      for (let i = 0; i < d.children.length; i++) {
        const c = d.children[i]!
        // (a device's parser reads its first <target> and the first of each part of its device info alone —
        // `virXPathNode("./target")`, virDomainDeviceInfoParseXML: a second is not written, seen on libvirtd 9.0)
        const bit = firstOnlyBits.get(c.name)
        if (bit !== undefined && (bit === targetBit ? firstTargetOnly.has(d.name) : bit === modelBit ? firstModelOnly.has(d.name) : bit === driverBit ? firstDriverOnly.has(d.name) : true)) {
          if ((seen & bit) !== 0) {
            kept ??= d.children.slice(0, i)
            ctx.explain(`${devicePath(list, d)}/${c.name}[2]`, 'unread', `libvirt reads the first <${c.name}> of a <${d.name}> alone: this one is dropped.`)
            continue
          }
          seen |= bit
        }
        // (an input device's <source> is a passthrough or evdev one's alone: virDomainInputDefParseXML reads no other's)
        if (d.name === 'input' && c.name === 'source' && d.attrs.type !== 'passthrough' && d.attrs.type !== 'evdev') {
          kept ??= d.children.slice(0, i)
          ctx.explain(`${devicePath(list, d)}/source`, 'unread', `libvirt reads the <source> of a passthrough or evdev input device alone: this one's is dropped.`)
          continue
        }
        const holds = c.name === 'driver' || c.name === 'acpi' || (d.name === 'controller' && (c.name === 'model' || c.name === 'target'))
        // (but a second libvirt counts and refuses — a controller's <model> or <target>, empty or not: model's refusedWhenRepeated)
        if (holds && c.children.length === 0 && c.text === undefined && c.raw === undefined && isEmpty(c.attrs)
          && !(refusedWhenRepeated.has(`${d.name}/${c.name}`) && d.children.filter((x) => x.name === c.name).length > 1)) {
          kept ??= d.children.slice(0, i)
          ctx.explain(`${devicePath(list, d)}/${c.name}`, 'unread', `An empty <${c.name}> holds nothing: libvirt writes none.`)
          continue
        }
        kept?.push(c)
      }
      if (kept) d.children = kept
    }
    // the device types the parsers take when none is written: a controller is an IDE one (the enum's first), an
    // interface user networking, a character device a pty (virDomainControllerDefParseXML, virDomainNetDefParseXML,
    // virDomainChrDefParseXML; checked on libvirtd 9.0)
    for (const d of list) {
      if (d.attrs.type !== undefined) continue
      const type = d.name === 'controller' ? 'ide' : d.name === 'interface' ? 'user' : chrKinds.has(d.name) ? 'pty' : undefined
      if (type !== undefined) d.attrs = { type, ...d.attrs }
    }
    // what only a running domain's XML holds, which `virsh define` does not read (VIR_DOMAIN_DEF_PARSE_INACTIVE: the
    // document `virsh dumpxml` printed for a running guest, defined again): device aliases but a user's own
    // (virDomainDeviceInfoParseXML: `ua-` and letters, digits, `_`, `-`), a pty's path (virDomainChrSourceDefParseXML)
    for (const d of list) {
      const alias = child(d, 'alias')
      if (alias && (!isUserAlias(alias.attrs.name) || !keepsDeviceInfo(d))) {
        d.children = d.children.filter((c) => c.name !== 'alias')
        ctx.explain(`${devicePath(list, d)}/alias`, 'inactive-live-state', keepsDeviceInfo(d)
          ? `A persistent definition keeps only a user's alias (\`ua-…\`): libvirt drops \`${alias.attrs.name ?? ''}\`, the name the running QEMU had.`
          : `libvirt keeps no alias for <${d.name}>${d.attrs.model === 'none' ? " of model 'none'" : ''}: it drops \`${alias.attrs.name ?? ''}\`.`)
      }
      // (nor an address where libvirt reads no device info: "Ignoring device address for none model usb controller",
      // and likewise for a balloon of model none — virDomainControllerDefParseXML, virDomainMemballoonDefParseXML)
      if (!keepsDeviceInfo(d) && child(d, 'address')) {
        d.children = d.children.filter((c) => c.name !== 'address')
        ctx.explain(`${devicePath(list, d)}/address`, 'unread', `libvirt reads no address for <${d.name}>${d.attrs.model === 'none' ? " of model 'none'" : ''}: it is dropped.`)
      }
      // (nor the rest of virDomainDeviceInfoParseXML's parts for those of model none: a <master>, <boot>, <rom> or <acpi>
      // is neither checked nor written — no companion without a master, no ACPI index 0 refused: probes h9-384, h9-386)
      if (!keepsDeviceInfo(d) && !noDeviceInfo.has(d.name)) {
        for (const c of d.children) if (deviceInfoParts.has(c.name)) ctx.explain(`${devicePath(list, d)}/${c.name}`, 'unread', `libvirt reads no device information for <${d.name}> of model 'none': its <${c.name}> is dropped.`)
        d.children = d.children.filter((c) => !deviceInfoParts.has(c.name))
      }
      // (and `tty`, which the formatter writes beside a live pty's path and no parser reads)
      if (d.attrs.tty !== undefined && chrKinds.has(d.name)) { const { tty: _live, ...rest } = d.attrs; d.attrs = rest }
      // (wherever virDomainChrSourceDefParseXML reads a source: a passthrough smartcard's, an EGD backend's too — seen on
      // libvirtd 9.0)
      const holder = chrSourceHolder(d)
      const source = holder?.attrs.type === 'pty' ? child(holder, 'source') : undefined
      if (source?.attrs.path !== undefined) {
        delete source.attrs.path
        // (a source left empty is not written — but a second one is counted and refused first: seed 387)
        if (Object.keys(source.attrs).length === 0 && source.children.length === 0 && !secondSource(holder!)) holder!.children = holder!.children.filter((c) => c !== source)
        ctx.explain(`${devicePath(list, d)}${holder === d ? '' : '/backend'}/source/@path`, 'inactive-live-state', 'A pty\'s path is the running guest\'s: a persistent definition does not keep it.')
      }
    }
    // virDomainStorageSourceParse: an empty source path is no path — "people sometimes pass a bogus '' source path
    // when they mean to omit the source element completely (e.g. CDROM without media)" — and the formatter writes
    // no <source> without attributes or children (checked on libvirtd 9.0: a SATA CD-ROM with `file=''`)
    for (const d of list) {
      if (d.name !== 'disk') continue
      // (a backing store's likewise, down the chain: its source is then not written — the odd-value search edit, libvirtd 9.0)
      for (let at: N | undefined = d, depth = 0; at !== undefined; at = child(at, 'backingStore'), depth++) {
        const source = child(at, 'source')
        const attribute = source ? diskPathAttributes[at.attrs.type ?? 'file'] : undefined
        if (!source || attribute === undefined || source.attrs[attribute] !== '') continue
        // (a network source's empty name is a name to the parser — no "missing name" — and none after it: dropped by the
        // inactive rules, emptyNetworkNames; a gluster or RBD one is split into pool and image and refused there)
        if (attribute === 'name') continue
        const { [attribute]: _empty, ...rest } = source.attrs
        source.attrs = rest
        // (a disk's own source goes with it; a backing store's stays until the inactive rules — the parser requires one there)
        const holder = at
        if (depth === 0 && Object.keys(rest).length === 0 && source.children.length === 0) holder.children = holder.children.filter((c) => c !== source)
        ctx.explain(`${devicePath(list, d)}/${'backingStore/'.repeat(depth)}source/@${attribute}`, 'disk-empty-path', "libvirt reads an empty source path as none: the drive is empty.")
      }
    }
    // libvirt 9.0 reads a video's sizes as strings first: an empty one is none (its default is taken; libvirtd 9.0)
    if (isLibvirt9(ctx)) for (const d of list) {
      const model = d.name === 'video' ? child(d, 'model') : undefined
      if (model) for (const a of ['ram', 'vram', 'vram64', 'vgamem', 'heads']) if (model.attrs[a] === '') delete model.attrs[a]
    }
    // integers libvirt reads (strtol/strtoul over the whole text) and writes in its own form: `01` is `1`, `0x010`
    // `0x10` (each seen so on libvirtd 9.0); one that does not read is left to the checks that refuse it
    for (const d of list) {
      const entries = reformattedIntegers[d.name]
      if (entries === undefined) continue
      for (const e of entries) {
        let at: N | undefined = d
        for (const name of e.at) at = child(at, name)
        if (!at) continue
        if (e.ullong) {
          // (an empty value is none to virXPathULongLong: not specified, so not written — nor the `<tune>` holding it
          // alone; seen on libvirtd 9.0)
          if ((at.text ?? '') === '') {
            const gone = at
            const holder = e.at.length === 1 ? d : child(d, e.at[0]!)!
            holder.children = holder.children.filter((c) => c !== gone)
            if (holder !== d && holder.children.length === 0) d.children = d.children.filter((c) => c !== holder)
            continue
          }
          const v = reformatInteger(at.text!, e)
          if (v !== undefined) at.text = v
          continue
        }
        if (e.attribute === undefined) {
          // (each child's text: <iotune>'s limits but its group's name; a limit of 0 or none is no limit, which
          // virDomainDiskDefFormatIotune does not write, nor an <iotune> left empty — seen on libvirtd 9.0)
          for (const c of at.children) if (c.name !== 'group_name' && c.text !== undefined) { const v = reformatInteger(c.text, e); if (v !== undefined) c.text = v }
          const holder = at
          if (holder.children.some(unsetLimit)) {
            holder.children = holder.children.filter((c) => !unsetLimit(c))
            if (holder.children.length === 0) d.children = d.children.filter((c) => c !== holder)
          }
          continue
        }
        const value = at.attrs[e.attribute]
        const v = value === undefined ? undefined : reformatInteger(value, e)
        if (v !== undefined) at.attrs[e.attribute] = v
        // (a 0 not written: the element with it — `<mtu size='0'/>`, seen on libvirtd 9.0; an empty value is none to
        // virXPathUInt, so 0 too — `<mtu size=''/>`, the odd-form search edit, aarch64 seed 533)
        if (e.zeroUnwritten && (at.attrs[e.attribute] === '0' || at.attrs[e.attribute] === '') && e.at.length === 1) { const gone = at; d.children = d.children.filter((c) => c !== gone) }
      }
    }
    // a NIC model libvirt knows is matched without regard to case and stored in its spelling (model's
    // storedNetModel, virDomainNetSetModelString); another name only of letters, digits, `_` and `-`
    for (const d of list) {
      if (d.name !== 'interface') continue
      const model = child(d, 'model')
      const written = model?.attrs.type
      if (written === undefined) continue
      const stored = storedNetModel(written, { libvirt9: isLibvirt9(ctx) })
      // (read right after the NIC's type and trustGuestRxFilters, before the rest of it: a refusal kept for the walk of
      // libvirt's reading order, as the device integers' are — a device parsed before the NIC may be refused first)
      if (stored === undefined) (ctx.deviceIntegerRefusals ??= new Map()).set(d, { first: new PreviewError('preview-invalid-value', 'Model name contains invalid characters', { path: `${devicePath(list, d)}/model/@type` }) })
      else if (stored !== written) model!.attrs.type = stored
    }
    // (paths made only for an error)
    // the device integers libvirt reads as it parses each device: read and written back here, a refusal kept for the
    // walk of libvirt's reading order (typedReadsProblem: the controller's own first, the address last)
    for (const d of list) {
      const address = child(d, 'address')
      const attributes = address ? addressIntegers.get(address.attrs.type ?? '') : undefined
      if (d.name !== 'controller' && !attributes) continue
      // (the device's path, written out only for an error)
      const path = (): string => devicePath(list, d)
      try {
        if (d.name === 'controller') {
          // (virDomainControllerDefParseXML reads `vectors` for a virtio-serial controller alone; `ports` for every
          // type, refusing what does not read, but a USB or virtio-serial one keeps it; a Xen bus's limits are its own)
          const type = d.attrs.type
          // (one <model> and one <target> a controller, whatever its type — counted before either is read)
          let models = 0
          let targets = 0
          for (const c of d.children) { if (c.name === 'model') models++; else if (c.name === 'target') targets++ }
          if (models > 1 || targets > 1) {
            const name = models > 1 ? 'model' : 'target'
            throw new PreviewError('preview-invalid-value', `Multiple <${name}> elements in controller definition not allowed`, { path: `${path()}/${name}[2]` })
          }
          for (const [attribute, types] of controllerTypedAttributes) if (d.attrs[attribute] !== undefined && !types.includes(type!) && attribute !== 'ports') dropAttribute(ctx, d, attribute, () => path())
          readIntegers(d, controllerIntegers, path)
          if (d.attrs.ports !== undefined && !controllerTypedAttributes.get('ports')!.includes(type!)) dropAttribute(ctx, d, 'ports', () => path())
          // (a <model> and a <target> are a PCI controller's: another type's are not read, nor written — seen on libvirtd 9.0)
          if (type !== 'pci' && d.children.some((c) => c.name === 'model' || c.name === 'target')) {
            // (but the target's NUMA node is read for every type, a non-negative int (virXPathInt; an empty one is none):
            // refused as a PCI controller's is, by the parse rows — seen on libvirtd 9.0 for a SATA and a USB controller)
            const numa = child(child(d, 'target'), 'node')
            const text = numa?.text ?? ''
            if (text !== '') { const read = readCInt(text, 10); if (read === undefined || read < 0) throw new PreviewError('preview-invalid-value', 'invalid NUMA node in target', { path: `${path()}/target/node` }) }
            d.children = d.children.filter((c) => c.name !== 'model' && c.name !== 'target')
            ctx.explain(path(), 'unread', `libvirt reads a controller's <model> and <target> for a PCI one alone: a ${type} controller's are dropped.`)
          }
          const index = readInteger(d, 'index')
          // (an index above 255 is validation's refusal, after the addresses are assigned: on a PCIe machine the gaps below it
          // are pcie-root-ports that run out of slots first — libvirtd 9.0, probes h26-d-rpidx256. Up to
          // pciIndexAssigned the assignment runs as libvirt's does; beyond, preview refuses here as validation would)
          if (d.attrs.type === 'pci' && index !== undefined && index > pciIndexAssigned) {
            throw new PreviewError('preview-refused', `PCI controller index ${index} too high, maximum is ${maxPciControllerIndex}`, { path: `${path()}/@index` })
          }
        }
      } catch (error) {
        if (!(error instanceof PreviewError)) throw error
        const refused: PreviewError = error
        ;(ctx.deviceIntegerRefusals ??= new Map()).set(d, { first: refused })
        continue
      }
      if (!address || !attributes) continue
      try {
        readIntegers(address, attributes, () => `${path()}/address`)
        if (address.attrs.type === 'pci') {
          // (then its multifunction switch: virPCIDeviceAddressParseXML, libvirtd 9.0's words)
          const multifunction = address.attrs.multifunction
          if (multifunction !== undefined && multifunction !== 'on' && multifunction !== 'off') throw new PreviewError('preview-invalid-value', `Invalid value for attribute 'multifunction' in element 'address': '${multifunction}'.`, { path: `${path()}/address/@multifunction` })
          // (a domain other than 0 is refused where PCI addresses are collected, post-parse — after the machine's root bus is
          // checked: virDomainPCIAddressValidate; probe h26-tp-b-addr-dom1, libvirtd 9.0 — so not here)
          const problem = pciAddressProblem({ domain: 0, bus: readInteger(address, 'bus') ?? 0, slot: readInteger(address, 'slot') ?? 0, function: readInteger(address, 'function') ?? 0 })
          if (problem) throw new PreviewError('preview-invalid-value', problem, { path: `${path()}/address` })
        } else if (address.attrs.type === 'ccw') {
          // (virDomainDeviceCCWAddressParseXML: the three numbers — a missing one 0 — within their limits first, then all
          // three or none; libvirtd 9.0's words, probes h27-c7, -c16)
          const [cssid, ssid, devno] = (['cssid', 'ssid', 'devno'] as const).map((k) => readInteger(address, k))
          const [c, s, n] = [cssid ?? 0, ssid ?? 0, devno ?? 0]
          if (c > ccwAddressLimits.cssid || s > ccwAddressLimits.ssid || n > ccwAddressLimits.devno) {
            throw new PreviewError('preview-invalid-value', `Invalid specification for virtio ccw address: cssid='0x${c.toString(16)}' ssid='0x${s.toString(16)}' devno='0x${n.toString(16).padStart(4, '0')}'`, { path: `${path()}/address` })
          }
          const given = [cssid, ssid, devno].filter((v) => v !== undefined).length
          if (given > 0 && given < 3) throw new PreviewError('preview-invalid-value', 'Invalid partial specification for virtio ccw address', { path: `${path()}/address` })
        }
      } catch (error) {
        if (!(error instanceof PreviewError)) throw error
        const refused: PreviewError = error
        const refusals = (ctx.deviceIntegerRefusals ??= new Map())
        refusals.set(d, { ...refusals.get(d), last: refused })
      }
    }
    // every attribute of model's attributeReads, read in libvirt's order: the first its reader refuses kept for the
    // parse rows (typedReadsRefusal), an integer written as libvirt writes what it read (`+05` is `5`)
    ctx.typedReadFinding = readTypedAttributes(ctx)
  },
}


/**
 * Configurations libvirt refuses at define, as data: when, and libvirt's own words (each checked on the
 * libvirtd 9.0 sandbox; `only9` ones are values that parser did not know yet). The first that applies wins.
 */
const refusals: readonly Refusal[] = [
  // virDomainDefParseIDs, then virDomainDefParseCaps — the parser's first reads, in its order (libvirtd 9.0's words):
  // a name (`string(./name[1])`: empty is none), a UUID that reads (virUUIDParse; an empty one is generated), the
  // domain type of libvirt's enumeration, an OS type of its enumeration
  {
    code: 'preview-invalid-value', stage: 'parse',
    check: (ctx) => {
      if (!child(ctx.domain, 'name')?.text) return { message: 'missing name information', path: 'domain/name' }
      const uuid = child(ctx.domain, 'uuid')?.text
      if (uuid !== undefined && uuid !== '' && canonicalUuid(uuid) === undefined) return { message: 'malformed uuid element', path: 'domain/uuid' }
      const type = ctx.domain.attrs.type
      if (type === undefined || type === '') return { message: 'missing domain type attribute', path: 'domain/@type' }
      if (!domainTypes.has(type)) return { code: 'preview-refused', message: `invalid domain type ${type}`, path: 'domain/@type' }
      const osType = child(child(ctx.domain, 'os'), 'type')
      const os = osType?.text
      if (os !== undefined && os !== '' && !osTypes.has(os)) return { code: 'preview-refused', message: `unknown OS type '${os}'`, path: 'domain/os/type' }
      // (none, or an empty one, is an error — unless a Xen bootloader makes it a Xen guest, which the QEMU driver refuses later)
      if ((os === undefined || os === '') && bootloaderRefusal(ctx) === undefined) return { code: 'preview-no-os-type', message: 'an os <type> must be specified', path: 'domain/os/type' }
      // (an arch virArchFromString knows — libvirt 11 knows loongarch64 too; `none` is no arch —, before any host is asked)
      const archName = osType?.attrs.arch
      if (archName !== undefined && archName !== '' && !(isLibvirt9(ctx) ? archNames9 : archNames).has(archName)) return { code: 'preview-refused', message: `Unknown architecture ${archName}`, path: 'domain/os/type/@arch' }
      return undefined
    },
  },
  // virDomainDefRejectDuplicateControllers (generic post-parse, past the memory): one controller per type and index
  // (USB2 companions share theirs; a controller written without an index has been numbered — libvirtd 9.0 reports a
  // NIC model that does not read, a parse error, first)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'duplicate-controllers', kinds: ['controller'],
    check: (ctx) => {
      // The controllers as libvirt holds them when it checks (virDomainControllerInsertPreAlloced as it parses): each
      // type's together, the types in the order first written, each type's by index — so the duplicate reported is the
      // first type's with one, its lowest index twice (the repeat-child search edit, seed 382; libvirtd 9.0).
      const byType = new Map<string, number[]>()
      for (const c of rowDevices(ctx)) {
        // (a controller without an index gets the next free one later)
        const index = c.attrs.index
        if (c.name !== 'controller' || c.attrs.type === 'usb' || index === undefined) continue
        const type = c.attrs.type ?? ''
        const indexes = byType.get(type)
        if (indexes === undefined) byType.set(type, [Number(index)])
        else indexes.push(Number(index))
      }
      for (const [type, indexes] of byType) {
        if (indexes.length < 2) continue
        const sorted = indexes.sort((a, b) => a - b)
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i] === sorted[i - 1]) return { message: `Multiple '${type}' controllers with index '${sorted[i]}'`, path: `domain/devices/controller[@type='${type}'][@index='${sorted[i]}']` }
        }
      }
      return undefined
    },
  },
  // virDomainControllerDefValidate: the root buses are not plugged anywhere (the first of a controller's checks, the
  // controllers met in libvirt's order: pciControllerRangeRefusal)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['controller'],
    check: (ctx) => {
      const found = pciControllerRangeRefusal(ctx)
      return found?.address === true && rowDevices(ctx).includes(found.controller) ? { message: found.message, path: found.path } : undefined
    },
  },
  // qemuDomainControllerDefPostParse: one root bus, index 0 (pSeries alone has several PHBs). A root written
  // without an index takes the first one free when the generic post-parse numbers it (checked on libvirtd 9.0:
  // a second `<controller type='pci' model='pci-root'/>` is refused so)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['controller'],
    check: (ctx) => {
      const found = pciControllerPostParseRefusal(ctx)
      return found?.kind === 'root' ? found : undefined
    },
  },
  // qemuDomainControllerDefPostParse (post-parse, as libvirtd 9.0 showed), controller by controller: a PCI expander
  // bus only on i440fx, a PCIe one only on q35 and ARM virt (the machine's name read with its arch, known to the
  // QEMU or not)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'device', kinds: ['controller'],
    check: (ctx) => {
      const found = pciControllerPostParseRefusal(ctx)
      return found?.kind === 'expander' ? found : undefined
    },
  },
  // virDomainDiskDefValidate: a disk needs a target name, its first device check; libvirt names the disk by its source.
  // A validation, not the parser's: the post-parse (which skips a disk without one — virDomainDiskDefPostParse) and the
  // QEMU driver's domain checks refuse first, and so do the devices' checks of a disk before it (probes h42-pr2-…-disktgt,
  // libvirtd 9.0; the same in 11.3)
  {
    code: 'preview-invalid-value', stage: 'validate', kinds: ['disk'], deviceStep: 'generic',
    check: (ctx) => {
      for (const d of rowDevices(ctx)) {
        if (d.name !== 'disk' || child(d, 'target')?.attrs.dev !== undefined) continue
        const source = diskSourceName(d)
        return { message: `missing target information for device${source === undefined ? '' : ` ${source}`}`, path: `domain/devices/disk[${devicesOfKind(ctx, 'disk').indexOf(d) + 1}]/target` }
      }
      return undefined
    },
  },
  // virDomainDiskDefPostParse → virDomainDiskDefAssignAddress: a disk without an address is placed by its target
  // name, which must read as one (virDiskNameToIndex; an overflowing name wraps on 9.0); with an address the QEMU
  // driver still reads the name at validation (the next row). A SCSI disk's place must not be a SCSI host device's
  // written drive address — refused there, disk by disk, before virDomainDefPostParseCommon's checks (duplicate
  // controllers: probe h55-rt-203-q35, libvirtd 9.0; libvirt's words end without the closing quote)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'device', kinds: ['disk'],
    check: (ctx) => {
      const overflow = isLibvirt9(ctx) ? 'wrap' : 'refuse'
      let scsiHostdevs: boolean | undefined
      for (const d of rowDevices(ctx)) {
        if (d.name !== 'disk') continue
        const target = child(d, 'target')
        const dev = target?.attrs.dev
        if (dev === undefined || child(d, 'address') !== undefined) continue
        const index = diskNameToIndex(dev, overflow)
        // (a disk given an address keeps it: its name is not read here but at validation — the row below)
        if (index < 0) return { message: `Unknown disk name '${dev}' and no address specified`, path: `domain/devices/disk[target/@dev='${dev}']/target/@dev` }
        // (the bus a disk without one takes from its name, `ioemu:` dropped: virDomainDiskDefPostParse, just before)
        const name = dev.startsWith('ioemu:') ? dev.slice(6) : dev
        if ((target?.attrs.bus ?? busFromTarget(name, d.attrs.device)) !== 'scsi') continue
        scsiHostdevs ??= devicesOfKind(ctx, 'hostdev').some((h) => h.attrs.type === 'scsi')
        const at = scsiHostdevs ? assignedDriveAddress('scsi', index) : undefined
        if (at !== undefined && scsiHostdevAt(ctx, at)) {
          return { code: 'preview-refused', message: `using disk target name '${name}' conflicts with SCSI host device address controller='${at.controller}' bus='0' target='0' unit='${at.unit}`, path: `domain/devices/disk[target/@dev='${dev}']/target/@dev` }
        }
      }
      return undefined
    },
  },
  // qemuDomainDefPostParse (libvirt 9.0; 11 refuses it while validating the boot settings, _refusals-domain.ts): a Xen PV
  // bootloader, its first check — before the machine type is filled in and before any address is assigned
  {
    code: 'preview-refused', stage: 'validate', postParse: 'domain', only9: true, within: [['bootloader'], ['bootloader_args']],
    check: (ctx) => bootloaderRefusal(ctx),
  },
  // qemuDomainDefAddDefaultDevices: the root bus a machine has, on every machine libvirt gives one
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'domain', kinds: ['controller'],
    check: (ctx) => {
      const implicit = implicitDevicesOf(ctx)
      const want = implicit.pcieRoot ? 'pcie-root' : implicit.pciRoot ? 'pci-root' : undefined
      if (!want) return undefined
      // (the controller numbered 0, written so or numbered by post-parse; one without a model is printed as C's
      // "(null)": libvirtd 9.0)
      const pci = rowDevices(ctx).filter((c) => c.name === 'controller' && c.attrs.type === 'pci')
      const numbered = indexesOf(pci)
      const root = pci.find((c) => numbered.get(c) === 0)
      if (!root || root.attrs.model === want) return undefined
      return { message: `The PCI controller with index='0' must be model='${want}' for this machine type, but model='${root.attrs.model ?? '(null)'}' was found instead`, path: "domain/devices/controller[@type='pci'][@index='0']/@model" }
    },
  },
  // qemuDomainAssignPCIAddresses: a PCI controller written without a model (libvirtd 9.0's words), the first by index as
  // the address set is made (qemuDomainPCIAddressSetCreate) — the one numbered 0 too on a machine without a root bus,
  // whose post-parse gives it none (an aarch64 guest of an x86 machine type: the differential, seed 700)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'addresses', kinds: ['controller'],
    check: (ctx) => {
      const pci = rowDevices(ctx).filter((c) => c.name === 'controller' && c.attrs.type === 'pci')
      const numbered = indexesOf(pci)
      const implicit = implicitDevicesOf(ctx)
      const rooted = implicit.pcieRoot || implicit.pciRoot
      let bare: number | undefined
      for (const c of pci) {
        const index = numbered.get(c)
        if (c.attrs.model === undefined && index !== undefined && (index !== 0 || !rooted) && (bare === undefined || index < bare)) bare = index
      }
      return bare !== undefined ? { message: 'PCI controller model was not set correctly', path: `domain/devices/controller[@type='pci'][@index='${bare}']/@model` } : undefined
    },
  },
  // virDomainRNGDefParseXML: an RNG rate that does not read (its period only beside bytes)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['rng'],
    below: ['rate'],
    check: (ctx) => {
      for (const d of rowDevices(ctx)) {
        const rate = child(d, 'rate')
        if (!rate) continue
        const bytes = rngRateValue(rate.attrs.bytes)
        // (named by the device's place: the rate is read before the backend — probe h35-rng-rate-backend, libvirtd 9.0)
        if (bytes === undefined) return { message: 'invalid RNG rate bytes value', path: `${devicePath(devices(ctx), d)}/rate/@bytes` }
        if (bytes > 0 && rngRateValue(rate.attrs.period) === undefined) return { message: 'invalid RNG rate period value', path: `${devicePath(devices(ctx), d)}/rate/@period` }
      }
      return undefined
    },
  },
  // virDomainTPMDefParseXML: a backend; an emulator's state encryption secret, a UUID virUUIDParse reads (an empty one is
  // none: virXPathString) — an internal error, the odd-value search edit (seed 292)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['tpm'],
    check: (ctx) => {
      const list = rowDevices(ctx)
      // (at most two, virDomainDefParseXML's count before it reads any: named as the kind, so before any TPM's own fault —
      // probe h53-r55-392)
      if (list.filter((d) => d.name === 'tpm').length > 2) return { message: 'a maximum of two TPM devices is supported, one of them being a TPM Proxy device', path: 'domain/devices/tpm' }
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!
        if (d.name !== 'tpm') continue
        const at = `domain/devices/tpm[${i + 1}]`
        if (kids(d, 'backend').length > 1) return { message: 'only one TPM backend is supported', path: `${at}/backend[2]` }
        const backend = child(d, 'backend')
        if (!backend) return { message: 'missing TPM device backend', path: `${at}/backend` }
        if (backend.attrs.type === 'emulator') {
          const secret = child(backend, 'encryption')?.attrs.secret
          if (secret !== undefined && secret !== '' && canonicalUuid(secret) === undefined) return { code: 'preview-refused', message: `Unable to parse secret uuid '${secret}'`, path: `${at}/backend/encryption/@secret` }
          // (libvirt 11: the first <source> of its state needs a path, once its type — file or dir, model's attribute reads —
          // is read: virDomainTPMDefParseXML, seen on libvirtd 11.3)
          const state = isLibvirt9(ctx) ? undefined : child(backend, 'source')
          if (state !== undefined && state.attrs.path === undefined && (state.attrs.type === undefined || tpmStateSourceTypes.includes(state.attrs.type))) return { message: 'missing TPM source path', path: `${at}/backend/source` }
          // (then its persistent state switch, yes or no, and its active PCR banks by name)
          const persistent = backend.attrs.persistent_state
          if (persistent !== undefined && persistent !== 'yes' && persistent !== 'no') return { code: 'preview-refused', message: "Invalid persistent_state value, either 'yes' or 'no'", path: `${at}/backend/@persistent_state` }
          for (const bank of child(backend, 'active_pcr_banks')?.children ?? []) {
            if (!(deviceNames.tpmPcrBanks as readonly string[]).includes(bank.name)) return { code: 'preview-refused', message: `Unsupported PCR banks '${bank.name}'`, path: `${at}/backend/active_pcr_banks/${bank.name}` }
          }
        }
        // (an external TPM's source type: required, a character device type — 11 says "backend source type")
        if (backend.attrs.type === 'external') {
          // (`string(./backend/source/@type)`: the first <source> that has a type, in document order)
          const type = kids(backend, 'source').find((c) => c.attrs.type !== undefined)?.attrs.type ?? ''
          const v9 = isLibvirt9(ctx)
          if (type === '') return { message: v9 ? 'missing external TPM backend type' : 'missing external TPM backend source type', path: `${at}/backend/source` }
          if (!(deviceNames.chrTypes as readonly string[]).includes(type)) return { code: 'preview-refused', message: v9 ? `unknown backend type '${type}' for external TPM` : `unknown backend source type '${type}' for external TPM`, path: `${at}/backend/source/@type` }
          // (then the backend is read as a character device of that type, before the TPM's validation looks at the type)
          const problem = ctx.externalTpmProblems?.get(d)
          if (problem) return { ...problem, path: `${at}/backend${problem.path}` }
        }
      }
      return undefined
    },
  },
  // virDomainNetDefParseXML: the <source> an interface type requires, and what it must say there, in the order it is read
  // (virDomainNetDefParseXMLRequireSource, virXMLPropStringRequired; libvirt 9.0 requires a vhost-user source, later
  // versions take a passt backend without one)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['interface'],
    check: (ctx) => {
      const v9 = isLibvirt9(ctx)
      for (const d of rowDevices(ctx)) {
        const type = d.attrs.type ?? ''
        const required = d.name !== 'interface' ? undefined : type === 'vds' ? (v9 ? vdsSourceRequired9 : vdsSourceRequired) : type !== 'vhostuser' || v9 ? nicSourceRequired.get(type) : undefined
        const at = `domain/devices/interface[@type='${type}']`
        // (libvirt 11.3: a vhost-user source may be left out, and its type with it — but a type written is `unix`; seen on
        // libvirtd 11.3)
        const vhostuserType = d.name === 'interface' && type === 'vhostuser' && !v9 ? child(d, 'source')?.attrs.type : undefined
        if (vhostuserType !== undefined && vhostuserType !== 'unix') return { code: 'preview-refused', message: `Type='${vhostuserType}' unsupported for <interface type='vhostuser'>`, path: `${at}/source/@type` }
        if (required === undefined) continue
        const source = child(d, 'source')
        if (!source) return { message: `interface type='${type}' requires a 'source' element`, path: at }
        // (a VMware distributed switch's ids, each read in turn, required or not: a UUID, then long long integers in any
        // C base — virXMLPropUUID, virXMLPropLongLong)
        for (const attribute of type === 'vds' ? vdsSourceRequired9 : required) {
          const value = source.attrs[attribute]
          if (value === undefined) {
            if (!required.includes(attribute)) continue
            return { message: `Missing required attribute '${attribute}' in element 'source'`, path: `${at}/source/@${attribute}` }
          }
          if (attribute === 'switchid' && canonicalUuid(value) === undefined) return { message: `Invalid value for attribute 'switchid' in element 'source': '${value}'. Expected UUID`, path: `${at}/source/@switchid` }
          if (type === 'vds' && (attribute === 'portid' || attribute === 'connectionid') && readCLongLong(value) === undefined) return { message: `Invalid value for attribute '${attribute}' in element 'source': '${value}'. Expected long long integer value`, path: `${at}/source/@${attribute}` }
          if (type === 'vhostuser' && attribute === 'type' && source.attrs.type !== 'unix') {
            return { code: 'preview-refused', message: `Type='${source.attrs.type}' unsupported for <interface type='vhostuser'>`, path: `${at}/source/@type` }
          }
        }
        if (type === 'udp') {
          const local = child(source, 'local')
          if (!local) return { message: "'<local>' element missing for 'udp' socket interface", path: `${at}/source` }
          for (const attribute of ['address', 'port']) if (local.attrs[attribute] === undefined) return { message: `Missing required attribute '${attribute}' in element 'local'`, path: `${at}/source/local/@${attribute}` }
        }
      }
      return undefined
    },
  },
  // libvirt 9.0's parser: one watchdog at most, counted before any is read (virDomainDefParseXML; later versions take
  // the iTCO one and another)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['watchdog'], only9: true,
    check: (ctx) => (rowDevices(ctx).length > 1 ? { message: 'only a single watchdog device is supported', path: 'domain/devices/watchdog' } : undefined),
  },
  // values libvirt 9.0's daemon refuses though its source names them (an interface backend's `passt`: Debian
  // bookworm's 9.0.0, seen; the enumerations' own names per release are model's attributeReads)
  ...([
    [['interface', 'backend'], 'type', 'passt', 'preview-invalid-value'],
  ] as const).map(([at, attribute, value, code]) => {
    return {
    code, stage: 'parse' as const, only9: true as const, kinds: [at[0]],
    check: (ctx: PreviewContext) => {
      // (the first device of the kind holding it, named by its place: libvirt reads the devices of a kind in order)
      const ofKind = rowDevices(ctx)
      for (let i = 0; i < ofKind.length; i++) {
        let n: N | undefined = ofKind[i]
        for (const name of at.slice(1)) n = child(n, name)
        if (n?.attrs[attribute] !== value) continue
        const element = at[at.length - 1]!
        return { message: `Invalid value for attribute '${attribute}' in element '${element}': '${value}'.`, path: `domain/devices/${at[0]}[${i + 1}]${at.slice(1).map((x) => `/${x}`).join('')}/@${attribute}` }
      }
      return undefined
    },
  }
  }),
  // virDomainDefRejectDuplicatePanics: one panic device per model (the model as QEMU's post-parse defaults it)
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'duplicate-panics', kinds: ['panic'],
    check: (ctx) => {
      const seen = new Set<string>()
      for (const d of rowDevices(ctx)) {
        if (d.name !== 'panic') continue
        const model = panicModelOf(ctx, d) ?? 'default'
        if (seen.has(model)) return { message: `Multiple panic devices with model '${model}'`, path: 'domain/devices/panic' }
        seen.add(model)
      }
      return undefined
    },
  },
  // virDomainDefBootOrderPostParse: each boot order once, and not together with <os><boot> — the devices walked as
  // virDomainDeviceInfoIterate walks them, by kind (the disks before the interfaces: a disk's repeated order is named before
  // an interface's written earlier — the differential's repeat-child search, seed 624, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'boot-order',
    below: ['boot'],
    check: (ctx) => {
      const orders = new Set<number>()
      const list = devices(ctx)
      for (const d of deviceIterateOrder.flatMap((kind) => list.filter((x) => x.name === kind))) {
        for (const c of d.children) {
          if (c.name !== 'boot' || c.attrs.order === undefined) continue
          const order = Number(c.attrs.order)
          if (orders.has(order)) return { message: `boot order '${order}' used for more than one device`, path: `domain/devices/${d.name}/boot[@order='${c.attrs.order}']` }
          orders.add(order)
        }
      }
      if (orders.size > 0 && kids(child(ctx.domain, 'os'), 'boot').length > 0) return { message: 'per-device boot elements cannot be used together with os/boot elements', path: 'domain/os/boot' }
      return undefined
    },
  },
  // virDomainDefPostParseCheckFeatures: the QEMU driver takes no '/' in a name
  {
    code: 'preview-invalid-value', stage: 'validate', postParse: 'features',
    check: (ctx) => {
      const name = child(ctx.domain, 'name')?.text ?? ''
      return name.includes('/') ? { message: `name ${name} cannot contain '/'`, path: 'domain/name' } : undefined
    },
  },
  // virDomainDefPostParseTimer: what each timer may set, checked timer by timer
  {
    code: 'preview-refused', stage: 'validate', postParse: 'timers', within: [['clock']],
    check: (ctx) => {
      for (const timer of kids(child(ctx.domain, 'clock'), 'timer')) {
        const name = timer.attrs.name ?? ''
        const path = `domain/clock/timer[@name='${name}']`
        const unsupported = (what: string) => ({ message: `timer ${name} doesn't support setting of timer ${what}`, path })
        if ((name === 'kvmclock' || name === 'hypervclock') && timer.attrs.tickpolicy !== undefined) return unsupported('tickpolicy')
        const catchup = child(timer, 'catchup')
        const catchupSet = catchup !== undefined && ['threshold', 'slew', 'limit'].some((k) => Number(catchup.attrs[k] ?? '0') !== 0)
        if (timer.attrs.tickpolicy !== 'catchup' && catchupSet) throw new PreviewError('preview-invalid-value', "setting of timer catchup policies is only supported with tickpolicy='catchup'", { path: `${path}/catchup` })
        if (name !== 'tsc') {
          if (Number(timer.attrs.frequency ?? '0') !== 0) return unsupported('frequency')
          if (timer.attrs.mode !== undefined) return unsupported('mode')
        }
        if (name !== 'platform' && name !== 'rtc' && timer.attrs.track !== undefined) return unsupported('track')
      }
      return undefined
    },
  },
  // virDomainChrIsaSerialDefPostParse: the serials written as isa-serial, at most 4, each port once
  {
    code: 'preview-refused', stage: 'validate', postParse: 'serial', kinds: ['serial'],
    check: (ctx) => {
      const used = new Set<number>()
      let count = 0
      for (const serial of rowDevices(ctx)) {
        if (serial.name !== 'serial' || child(serial, 'target')?.attrs.type !== 'isa-serial') continue
        const port = child(serial, 'target')?.attrs.port
        const n = port === undefined ? -1 : Number(port)
        if (count++ >= 4 || n >= 4) return { message: "Maximum supported number of ISA serial ports is '4'", path: 'domain/devices/serial/target' }
        if (n !== -1) {
          if (used.has(n)) return { message: `target port '${n}' already allocated`, path: `domain/devices/serial/target[@port='${port}']` }
          used.add(n)
        }
      }
      return undefined
    },
  },
  // virDomainDefAddConsoleCompat: a serial console is the first console or none (libvirtd 9.0's words) — checked as the
  // generic post-parse adds the implicit devices, after the boot orders and timers (the repeat-child search edit, seed 386)
  {
    code: 'preview-refused', stage: 'validate', postParse: 'implicit-devices', kinds: ['console'],
    check: (ctx) => {
      const consoles = rowDevices(ctx)
      for (let i = 1; i < consoles.length; i++) {
        // (a console written without a target type is a serial one there too, on s390 as well: libvirtd 9.0)
        const type = child(consoles[i]!, 'target')?.attrs.type ?? 'serial'
        if (type === 'serial') return { message: 'Only the first console can be a serial port', path: `domain/devices/console[${i + 1}]/target/@type` }
      }
      return undefined
    },
  },
  // virDomainDefParseXML: USB switched off (`model='none'`) and another USB controller, in either order, or
  // switched off twice (checked on libvirtd 9.0)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['controller'],
    check: (ctx) => {
      let off = false
      let on = false
      // (met as that controller is read: a controller before it the parser refuses comes first — probe
      // h33-ord-usbnone-megasas, libvirtd 9.0; the refusal is placed at the controller)
      const scope = rowDevices(ctx)
      const all = devicesOfKind(ctx, 'controller')
      for (let k = 0; k < all.length; k++) {
        const c = all[k]!
        if (c.attrs.type !== 'usb') continue
        if (c.attrs.model === 'none' ? on || off : off) return scope.includes(c) ? { message: "Can't add another USB controller: USB is disabled for this domain", path: `domain/devices/controller[${k + 1}]` } : undefined
        if (c.attrs.model === 'none') off = true; else on = true
      }
      return undefined
    },
  },
  // virDomainDefParseXML, once the controllers are read: a USB companion controller (an ICH9 UHCI, or any with
  // <master>) needs a controller that is not one: any such, whatever its index (as libvirtd 9.0 answered for each
  // combination); a parse refusal, before any post-parse one (a missing USB bus…)
  {
    code: 'preview-refused', stage: 'parse', kinds: ['controller'],
    check: (ctx) => {
      let companion = false
      for (const c of rowDevices(ctx)) {
        if (c.name !== 'controller' || c.attrs.type !== 'usb') continue
        if (child(c, 'master') === undefined && !isIch9Uhci(c.attrs.model)) return undefined
        companion = true
      }
      return companion ? { message: 'No master USB controller specified', path: "domain/devices/controller[@type='usb']" } : undefined
    },
  },
  // qemuDomainDefNamespaceParse: the QEMU driver's namespace, read last of the domain (_qemu-namespace.ts)
  { code: 'preview-invalid-value', stage: 'parse', parseLast: true, within: [['qemu:commandline'], ['qemu:capabilities'], ['qemu:override']], check: (ctx) => qemuNamespaceProblem(ctx.domain) },
  // virDomainDeviceAddressParseXML: a device's address names a type libvirt knows (any device that reads its info;
  // libvirtd 9.0's words: "No type specified for device address", "unknown address type 'none'"; 11.3 reads it with
  // virXMLPropEnum, required and not `none` — its words, seen on libvirtd 11.3)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: deviceParseOrder,
    check: (ctx) => {
      // (of several, the device the parser reads first: by kind in its order, each kind in document order)
      let found: { message: string; path: string; code?: 'preview-refused' } | undefined
      let foundRank = Infinity
      const v9 = isLibvirt9(ctx)
      for (const d of rowDevices(ctx)) {
        const a = child(d, 'address')
        if (!a || !keepsDeviceInfo(d)) continue
        const type = a.attrs.type
        const problem = type === undefined ? { message: v9 ? 'No type specified for device address' : "Missing required attribute 'type' in element 'address'", at: 'address' }
          : !deviceAddressTypes.has(type) ? (v9 ? { message: `unknown address type '${type}'`, at: 'address/@type', code: 'preview-refused' as const } : { message: `Invalid value for attribute 'type' in element 'address': '${type}'.`, at: 'address/@type' })
          // (a type the schema still names but the parser refuses: the old s390 virtio bus)
          : type === 'virtio-s390' ? { message: "virtio-s390 bus doesn't have an address", at: 'address/@type' } : undefined
        const rank = problem === undefined ? Infinity : deviceReadRanks.get(d.name) ?? Infinity
        if (problem === undefined || rank >= foundRank) continue
        found = { message: problem.message, path: `${devicePath(devices(ctx), d)}/${problem.at}`, ...(problem.code ? { code: problem.code } : {}) }
        foundRank = rank
      }
      return found
    },
  },
  // USB switched off (`<controller type='usb' model='none'/>` and no other USB controller): virDomainDefParseXML
  // refuses a USB input device, USB host device or USB hub as it reads each kind (words as libvirtd 9.0 answered;
  // USB devices of other kinds: see assignUsb, post-parse)
  ...([
    // (an input without a bus is the bus 9.0's parser gives it, USB for a tablet, and off x86 for a mouse or keyboard too:
    // probe h26-ta-h9-57, libvirtd 9.0; 11.3's parser sees the bus as written, and the address assignment refuses the
    // rest — seen on libvirtd 11.3)
    ['input', (d: N, ctx: PreviewContext) => (d.attrs.bus ?? (isLibvirt9(ctx) ? defaultInputBus(ctx, d) : undefined)) === 'usb', "Can't add USB input device. USB bus is disabled", "domain/devices/input[@bus='usb']"],
    ['hostdev', (d: N) => isUsbHostdev(d), "Can't add host USB device: USB is disabled in this host", "domain/devices/hostdev[@type='usb']"],
    ['hub', (d: N) => d.attrs.type === 'usb', "Can't add USB hub: USB is disabled for this domain", "domain/devices/hub[@type='usb']"],
  ] as const).map(([kind, isUsb, message, path]): Refusal => ({
    code: 'preview-refused', stage: 'parse', kinds: [kind],
    check: (ctx) => (rowDevices(ctx).some((d) => isUsb(d, ctx)) && usbOff(ctx) ? { message, path } : undefined),
  })),
  // qemuValidateDomainDeviceDefDisk: an IDE disk on a controller other than the first (its drive address, or the
  // one its target name gives: four disks a controller) — on any machine, before the controllers are checked
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => {
      for (const d of rowDevices(ctx)) {
        const controller = diskControllerOf(ctx, d, 'ide')
        if (controller !== undefined && controller !== 0) return { message: 'Only 1 IDE controller is supported', path: `domain/devices/disk[target/@dev='${child(d, 'target')?.attrs.dev ?? ''}']` }
      }
      return undefined
    },
  },
  // qemuValidateDomainDeviceDefAddressDrive on the drive address virDomainDiskDefAssignAddress gave a floppy without one:
  // two units a floppy controller, so `fdc` and beyond name controller 1 — refused as a written one is (the drive row,
  // _refusals-devices.ts), at that disk in validation's walk (probes h31-dr-fd2-*, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk'],
    check: (ctx) => {
      for (const d of rowDevices(ctx)) {
        const target = child(d, 'target')
        // (a floppy with a floppy's name: another is refused by the generic disk checks first — "Invalid floppy device
        // name"; a disk or CD-ROM on the floppy bus by the QEMU driver's disk bus check, h31-fd*)
        if (d.attrs.device !== 'floppy' || child(d, 'address') || target?.attrs.dev === undefined || !targetNameFitsDevice(ctx, d) || (target.attrs.bus ?? busFromTarget(target.attrs.dev, d.attrs.device)) !== 'fdc') continue
        const index = diskNameToIndex(target.attrs.dev, isLibvirt9(ctx) ? 'wrap' : 'refuse')
        if (index >= driveUnitsPerController.fdc) return { message: 'Only 1 fdc controller is supported', path: `domain/devices/disk[target/@dev='${target.attrs.dev}']` }
      }
      return undefined
    },
  },
  // qemuValidateDomainDeviceDefControllerIDE: the first IDE controller is the board's where it has one (model's
  // hasBuiltinIde); any other, or any at all elsewhere (q35), is refused — written or implied by an IDE disk
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk', 'controller'], validates: 'controller',
    check: (ctx) => {
      const ide = rowDevices(ctx).filter((d) => d.name === 'controller' && d.attrs.type === 'ide')
      const indexes: number[] = [...indexesOf(ide).values()]
      for (const d of rowDevices(ctx)) {
        if (d.name !== 'disk') continue
        const c = diskControllerOf(ctx, d, 'ide')
        if (c !== undefined) indexes.push(c)
      }
      if (indexes.length === 0) return undefined
      const builtin = hasBuiltinIde(machineName(ctx), arch(ctx))
      const refused = indexes.find((i) => i !== 0 || !builtin)
      if (refused === undefined) return undefined
      // (libvirt keeps controllers of a type together, each type where its first was written — an implied IDE controller
      // after them all: a PCI controller refused by virDomainControllerDefValidate before the IDE one is met first, as a
      // pSeries PHB of target index 32 beside an IDE disk — probe h28-multi-35, libvirtd 9.0)
      const written = devicesOfKind(ctx, 'controller')
      const firstIde = written.findIndex((c) => c.attrs.type === 'ide')
      const firstPci = written.findIndex((c) => c.attrs.type === 'pci')
      if (firstPci >= 0 && (firstIde < 0 || firstPci < firstIde) && pciControllerRangeRefusal(ctx) !== undefined) return undefined
      return { message: builtin ? 'Only a single IDE controller is supported for this machine type' : 'IDE controllers are unsupported for this QEMU binary or machine type', path: `domain/devices/controller[@type='ide'][@index='${refused}']` }
    },
  },
  // qemuValidateDomainDeviceDefControllerSATA: a SATA controller needs QEMU's ich9-ahci, but q35's first (the board's) —
  // written, or one post-parse adds for a SATA disk's drive address (virDomainDefAddDiskControllersForType: every index up
  // to the highest named). The disk itself is not checked: an implied controller is met where the controllers stand in
  // the walk, after a host device's refusal (s390x, whose QEMU has no AHCI; probes h55-rx-*, libvirtd 9.0)
  {
    code: 'preview-refused', stage: 'validate', kinds: ['disk', 'controller'], validates: 'controller',
    check: (ctx) => {
      if (has(ctx, 'ich9-ahci')) return undefined
      const exempt = isQ35(ctx) ? 0 : -1
      const indexes = [...indexesOf(rowDevices(ctx).filter((d) => d.name === 'controller' && d.attrs.type === 'sata')).values()]
      let implied = -1
      for (const d of rowDevices(ctx)) { const c = diskControllerOf(ctx, d, 'sata'); if (c !== undefined && c > implied) implied = c }
      const refused = indexes.find((i) => i !== exempt) ?? (implied > exempt ? (exempt === 0 ? 1 : 0) : undefined)
      return refused === undefined ? undefined : { message: 'SATA is not supported with this QEMU binary', path: `domain/devices/controller[@type='sata'][@index='${refused}']` }
    },
  },
  // virDomainDefParseXML: the devices a domain holds one of (words checked on libvirtd 9.0; 11.3's parser reads
  // each into one place too) — counted before the first is read, so the count is refused before anything in either
  // (the kind as a whole: libvirtd 9.0 refuses two vsocks so whatever the first's CID or the second's model)
  ...([['memballoon', 'memory balloon'], ['vsock', 'vsock'], ['nvram', 'nvram']] as const).map(([kind, words]): Refusal => ({
    code: 'preview-invalid-value', stage: 'parse', kinds: [kind],
    check: (ctx) => (rowDevices(ctx).length > 1 ? { message: `only a single ${words} device is supported`, path: `domain/devices/${kind}` } : undefined),
  })),
  // one IOMMU (its parser, counted first too: 9.0's, and 11.3's virDomainDefParseXML alike)
  {
    code: 'preview-invalid-value', stage: 'parse', kinds: ['iommu'],
    check: (ctx) => (rowDevices(ctx).length > 1 ? { message: 'only a single IOMMU device is supported', path: 'domain/devices/iommu' } : undefined),
  },
]


/**
 * Whether a disk's target name fits its device as virDomainDiskDefValidate asks (a hard disk or LUN a hard disk prefix —
 * libvirt 11 NVMe too —, a floppy `fd`; a CD-ROM any): a name that does not is refused by that generic check before
 * the QEMU driver's checks of the disk's drive address (probes h31-fd*, libvirtd 9.0).
 */
function targetNameFitsDevice(ctx: PreviewContext, d: N): boolean {
  const dev = child(d, 'target')?.attrs.dev
  if (dev === undefined) return true
  const device = d.attrs.device ?? 'disk'
  if (device === 'floppy') return dev.startsWith('fd')
  if (device !== 'disk' && device !== 'lun') return true
  return diskPrefixes.some((p) => p !== 'fd' && dev.startsWith(p)) || (dev.startsWith('nvme') && !isLibvirt9(ctx))
}

/**
 * The controller of `bus` a disk on that bus stands on once post-parse has placed it: its drive address's controller, else
 * its target name's; `undefined` for another disk, or a name that does not fit its device (refused by the disk's own
 * checks, virDomainDiskDefValidate's "Invalid harddisk device name", before any controller's).
 */
function diskControllerOf(ctx: PreviewContext, d: N, bus: 'ide' | 'sata'): number | undefined {
  if (d.name !== 'disk') return undefined
  const target = child(d, 'target')
  if (!target || (target.attrs.bus ?? busFromTarget(target.attrs.dev, d.attrs.device)) !== bus || !targetNameFitsDevice(ctx, d)) return undefined
  const address = child(d, 'address')
  if (address?.attrs.type === 'drive') {
    const read = readCInteger(address.attrs.controller ?? '0', 10)
    return read && !read.negative ? read.magnitude : undefined
  }
  if (address !== undefined || target.attrs.dev === undefined) return undefined
  const index = diskNameToIndex(target.attrs.dev, isLibvirt9(ctx) ? 'wrap' : 'refuse')
  return index < 0 ? undefined : Math.floor(index / driveUnitsPerController[bus])
}

/** The <source> attributes virDomainNetDefParseXML requires of an interface type, in the order it reads them (a VDS
 * switch's: `vdsSourceRequired`; a vhost-user source's `mode`: with its value). */
const nicSourceRequired: ReadonlyMap<string, readonly string[]> = new Map([
  ['network', ['network']], ['internal', ['name']], ['bridge', ['bridge']], ['direct', ['dev']], ['vhostuser', ['type', 'path', 'mode']], ['vdpa', ['dev']],
  ['client', ['address', 'port']], ['server', ['port']], ['mcast', ['address', 'port']], ['udp', ['address', 'port']],
])

/** A VMware distributed switch's port: libvirt 11 requires the switch alone (reading the ids it is given), 9.0 all four. */
const vdsSourceRequired: readonly string[] = ['switchid']
const vdsSourceRequired9: readonly string[] = ['switchid', 'portid', 'portgroupid', 'connectionid']

/** Devices whose <source> libvirt writes only with an attribute or a child in it (virDomainDiskSourceFormat, virDomainNetDefFormat's `sourceLines`, virDomainChrSourceDefFormat). */
const emptySourceDropped: ReadonlySet<string> = new Set(['disk', 'interface', 'serial', 'console', 'channel', 'parallel', 'redirdev'])

/** What libvirt names a disk by when it lacks a target (virDomainDiskDefParseXML: its source path, a pool's volume). */
function diskSourceName(d: N): string | undefined {
  const source = child(d, 'source')
  if (!source) return undefined
  switch (d.attrs.type ?? 'file') {
    case 'file': return source.attrs.file
    case 'block': return source.attrs.dev
    case 'dir': return source.attrs.dir
    case 'network': return source.attrs.name
    case 'vhostuser': return source.attrs.path
    case 'volume': return source.attrs.pool === undefined && source.attrs.volume === undefined ? undefined : `pool = '${source.attrs.pool ?? '(null)'}', volume = '${source.attrs.volume ?? '(null)'}'`
    default: return undefined
  }
}

/**
 * The typed reads of libvirt's parser (model's attributeReads): a yes/no, on/off or integer attribute that does not
 * read, or a required one missing, in document order — after the rows about particular settings (their paths are
 * finer, and some read another attribute of the element first, as libvirt does).
 */
const typedReadsRefusal: Refusal = {
  code: 'preview-invalid-value', stage: 'parse',
  check: (ctx) => ctx.typedReadFinding,
}

/**
 * The typed reads of model's attributeReads in libvirt's reading order (with the device integers parse-values read):
 * the first that fails, or none; on the way, each integer that reads is written as libvirt writes it.
 */
/**
 * The reads a device's parser makes before what parse-values keeps as its first refusal (model's attributeReads): a
 * controller's type before its index and ports (virDomainControllerDefParseXML), a NIC's type and trustGuestRxFilters
 * before its model (virDomainNetDefParseXML).
 */
const leadingReads: ReadonlyMap<string, readonly AttributeRead[]> = new Map([
  ['controller', attributeReads.get('devices/controller')!.filter(([attribute]) => attribute === 'type')],
  ['interface', attributeReads.get('devices/interface')!.filter(([attribute]) => attribute === 'type' || attribute === 'trustGuestRxFilters')],
])

function readTypedAttributes(ctx: PreviewContext): { message: string; path: string; code?: 'preview-refused' } | undefined {
  let found: { message: string; path: string; code?: 'preview-refused' } | undefined
  // (an enumeration's names are the release's: model's values, or values11 for libvirt 11.3)
  const libvirt11 = !isLibvirt9(ctx)
  // (within a device whose parser's order of parts is known — a disk, a NIC —, every fault of it is weighed and the one in
  // the part read first kept, the device's end ending the walk; on the error path only)
  let pendingPart = Infinity
  const recorded = (d: N, when: 'first' | 'last'): boolean => {
    if (when === 'last' && found !== undefined) {
      // (a fault of the device's address, read with its information, against the typed read's part of the device)
      const address = ctx.deviceIntegerRefusals?.get(d)?.last
      if (address !== undefined && (partsOf(ctx, d)?.get('address') ?? Infinity) < pendingPart) found = { message: address.message, path: address.path ?? '', ...(address.code === 'preview-refused' ? { code: 'preview-refused' as const } : {}) }
      return true
    }
    const error = ctx.deviceIntegerRefusals?.get(d)?.[when]
    if (!error) return false
    // (what the device's parser reads before it: leadingReads)
    if (when === 'first') {
      for (const read of leadingReads.get(d.name) ?? []) {
        const problem = attributeReadProblem(d.attrs[read[0]], read, d.name, libvirt11)
        if (problem !== undefined) { found = { message: problem, path: `${devicePath(devices(ctx), d)}/@${read[0]}` }; return true }
      }
    }
    found = { message: error.message, path: error.path ?? '', ...(error.code === 'preview-refused' ? { code: 'preview-refused' as const } : {}) }
    return true
  }
  /** Whether a read made only when an attribute of the element, its parent or its device says so is made here. */
  const holderOf = (when: NonNullable<NonNullable<AttributeRead[2]>['when']>, n: N, ancestors: readonly N[]): N | undefined =>
    when.of === 'self' ? n : when.of === 'parent' ? ancestors[ancestors.length - 2] : ancestors[1]?.name === 'devices' ? ancestors[2] : undefined
  const holds = (when: NonNullable<NonNullable<AttributeRead[2]>['when']>, n: N, ancestors: readonly N[]): boolean => holdsFor(when, holderOf(when, n, ancestors))
  // (a cache or memory tune whose vCPUs all lie beyond the domain's: nothing in it is read)
  const unread = child(ctx.domain, 'cputune') === undefined ? undefined : unreadTunes(ctx.domain)
  walkAttributeReads(ctx.domain, attributeReadTrie, [], (n, read, ancestors) => {
    if (unread !== undefined && unread.size > 0 && ancestors[1]?.name === 'cputune' && ancestors[2] !== undefined && unread.has(ancestors[2])) return false
    const options = read[2]
    // (an attribute 9.0's parser does not read: its schema's drop removes it there)
    if (options?.since11 && !libvirt11) return false
    // (one libvirt 11.3 does not read below such an ancestor: a HyperV enlightenment below a passthrough <hyperv>)
    const below = libvirt11 ? options?.unreadBelow11 : undefined
    if (below !== undefined && ancestors.some((a) => a.name === below.ancestor && below.values.includes(a.attrs[below.attribute] ?? ''))) return false
    const value = n.attrs[read[0]]
    if (read[1] === 'enum') {
      // (an enumeration's `default` is its 0, what no value reads as: not written back, and post-parse fills it in as if
      // unwritten — `<cpu check='default'>`, `<vsock model='default'>`, seen on libvirtd 9.0)
      // (and a 0 of another name the formatter does not write: model's zeroUnwritten, `vgaconf='io'`)
      if (((value === 'default' && !options!.defaultWritten) || (options!.zeroUnwritten && value !== undefined)) && enumNames(options!, libvirt11)![0] === (options!.zeroUnwritten ? value : 'default') && (options!.when === undefined || holds(options!.when, n, ancestors))) {
        delete n.attrs[read[0]]
        dropIfUnwritten(n, ancestors)
        return false
      }
    }
    if (options?.when !== undefined && !holds(options.when, n, ancestors)) {
      // (not read, not kept: a reconnect's timeout when not reconnecting)
      // (but kept where the holder is of its only type: the parser refuses it there — model's refusedUnread, preview's rows)
      if (options.unreadDropped && value !== undefined && !(options.refusedUnread && options.when.onlyType?.includes(holderOf(options.when, n, ancestors)?.attrs.type ?? ''))) delete n.attrs[read[0]]
      return false
    }
    // (read, then not written back: model's `unwritten`)
    if (options?.unwritten && value !== undefined && attributeReadProblem(value, read, n.name, libvirt11) === undefined) { delete n.attrs[read[0]]; return false }
    // (a yes/no read into a plain bool: `no` is not written back)
    if (value === 'no' && options?.falseUnwritten) { delete n.attrs[read[0]]; return false }
    // (an attribute the formatter writes whatever was read: model's `absentWrittenAs`)
    if (value === undefined && options?.absentWrittenAs !== undefined) { n.attrs[read[0]] = options.absentWrittenAs; return false }
    // (the common answers first: an absent optional value, a yes/no or on/off, a plain number not zero)
    if (value === undefined ? read[2]?.required !== true : read[1] === 'yes-no' ? value === 'yes' || value === 'no' : read[1] === 'on-off' ? value === 'on' || value === 'off' : read[1] === 'enum' ? enumNames(read[2]!, libvirt11)!.includes(value) : plainDecimal(value) && (value !== '0' || (read[2]?.nonzero !== true && read[2]?.zeroUnwritten !== true)) && read[2]?.prefixed === undefined && read[2]?.readAsZero === undefined) return false
    const message = attributeReadProblem(value, read, n.name, libvirt11)
    if (message === undefined) {
      // (a 0 the formatter does not write back is no value: `queues='0'`, `rotation_rate='00'`, a virtio NIC's `queues='1'`
      // — readAsZero)
      const magnitude = value !== undefined && options?.zeroUnwritten ? readCInteger(value, options.base ?? 10)?.magnitude : undefined
      if (magnitude !== undefined && (magnitude === 0 || options!.readAsZero?.includes(magnitude))) {
        delete n.attrs[read[0]]
        dropIfUnwritten(n, ancestors)
        return false
      }
      const written = value === undefined ? undefined : attributeReadValue(value, read)
      if (written !== undefined) n.attrs[read[0]] = written
      return false
    }
    // (a refusal its caller drops: the value is none — model's refusalIgnored)
    if (options?.refusalIgnored) { delete n.attrs[read[0]]; dropIfUnwritten(n, ancestors); return false }
    const device = ancestors[1]?.name === 'devices' ? ancestors[2] : undefined
    const parts = device === undefined ? undefined : partsOf(ctx, device)
    if (parts === undefined) { found = { message, path: `${attributeReadPath(ancestors)}/@${read[0]}` }; return true }
    const partName = options?.readWith !== undefined && parts.has(options.readWith) ? options.readWith : ancestors.length === 3 ? (parts.has(`@${read[0]}`) ? `@${read[0]}` : '@')
      : ancestors.length === 4 && parts.has(`${ancestors[3]!.name}/@${read[0]}`) ? `${ancestors[3]!.name}/@${read[0]}`
      : ancestors.length >= 5 && parts.has(`${ancestors[3]!.name}/${ancestors[4]!.name}`) ? `${ancestors[3]!.name}/${ancestors[4]!.name}` : ancestors[3]!.name
    let part = parts.get(partName) ?? Infinity
    // (a child read whole before the next of its name — a filter's rules: model's deviceRepeatedReadParts)
    if (ancestors.length >= 4 && part !== Infinity && deviceRepeatedReadParts.has(`${device!.name}/${ancestors[3]!.name}`)) part = repeatedPartRank(parts, kids(device, ancestors[3]!.name).indexOf(ancestors[3]!), part)
    // (or within its own part: a display's listens — model's deviceRepeatedReadInPart)
    else if (ancestors.length >= 4 && part !== Infinity && deviceRepeatedReadInPart.has(`${device!.name}/${ancestors[3]!.name}`)) part += kids(device, ancestors[3]!.name).indexOf(ancestors[3]!) / 1000
    if (found === undefined || part < pendingPart) { found = { message, path: `${attributeReadPath(ancestors)}/@${read[0]}` }; pendingPart = part }
    return false
  }, recorded)
  return found
}

/** Whether a read's `when` holds for its holder (the element, its parent or its device). */
function holdsFor(when: NonNullable<NonNullable<AttributeRead[2]>['when']>, holder: N | undefined): boolean {
  if (when.unlessType !== undefined && holder?.attrs.type !== undefined && when.unlessType.includes(holder.attrs.type)) return false
  if (when.onlyType !== undefined && !when.onlyType.includes(holder?.attrs.type ?? '')) return false
  const said = conditionValue(when, holder)
  return said !== undefined && when.values.includes(said)
}

/**
 * The rank of the part of its device a read of `child`'s `attribute` is made with where that is not its element's
 * (model's readWith: a host device NIC's PCI backend name, read with its source), or `undefined`.
 */
function readWithRank(kind: string, child: string, attribute: string, device: N, parts: ReadonlyMap<string, number>): number | undefined {
  for (const [name, , options] of attributeReads.get(`devices/${kind}/${child}`) ?? []) {
    if (name !== attribute || options?.readWith === undefined) continue
    if (options.when !== undefined && (options.when.of !== 'device' || !holdsFor(options.when, device))) continue
    return parts.get(options.readWith)
  }
  return undefined
}

/**
 * An element the formatter writes only when it holds something (model's emptyUnwritten: a `<driver>` virXMLFormatElement
 * writes, a disk's `<blockio>`…), dropped from its parent once nothing is left in it.
 */
function dropIfUnwritten(n: N, ancestors: readonly N[]): void {
  const parent = ancestors[ancestors.length - 2]
  if (parent === undefined || !isEmpty(n.attrs) || n.children.length > 0 || n.text !== undefined) return
  if (!emptyUnwritten.has(ancestors.slice(1).map((a) => a.name).join('/'))) return
  parent.children = parent.children.filter((c) => c !== n)
}

/** Every refusal preview knows, in the order they are checked (the first that applies wins). */
const allRefusals: readonly Refusal[] = [...refusals, ...domainRefusals, ...deviceRefusals, typedReadsRefusal]

/** The rows of each stage, in order (made once). */

/** Parse-stage rows: the domain's own first, as listed; then the device rows by the first kind each reads, stably. */
function inParseOrder(rows: readonly Refusal[]): Refusal[] {
  const rank = (r: Refusal): number => {
    if (r.parseLast) return Infinity
    if (!r.kinds) return -1
    let best = Infinity
    for (const k of r.kinds) { const i = deviceParseOrder.indexOf(k); if (i >= 0 && i < best) best = i }
    return best
  }
  return rows.map((r, i) => ({ r, i, k: rank(r) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.r)
}

/**
 * Post-parse rows first, in virDomainDefPostParse's steps; then the validation rows in the order libvirt validates
 * (virDomainDefValidate): the QEMU driver's checks of the domain
 * (rows about no device kind), then each device in virDomainDeviceInfoIterateFlags' order (rows by the first kind
 * they read; rows about address types first), then virDomainDefValidateInternal's (`generic`), each group as listed.
 */
/**
 * The device kinds in the order libvirt validates them (virDomainDeviceInfoIterateFlags): the devices with device
 * information (deviceIterateOrder), then — with DOMAIN_DEVICE_ITERATE_MISSING_INFO — the displays, the audio backends and the
 * leases, last.
 */
const validateOrder: readonly string[] = [...deviceIterateOrder, 'graphics', 'audio', 'lease']

function inValidateOrder(rows: readonly Refusal[]): Refusal[] {
  const rank = (r: Refusal): number => {
    // (the devices' post-parse walks them as their validation does, kind by kind: a controller's refusal before a shared
    // memory device's whatever their order in the document — probe h42-sh-…-ctl-iothread-first, libvirtd 9.0)
    if (r.postParse === 'device' && r.kinds !== undefined) return -20 + postParseSteps.indexOf('device') + (1 + Math.min(...r.kinds.map((k) => validateOrder.indexOf(k) >>> 0))) / 1000
    if (r.postParse !== undefined) return -20 + postParseSteps.indexOf(r.postParse)
    if (r.generic) return 1000 + genericValidationSteps.indexOf(r.generic)
    if (r.addresses !== undefined) return 0
    if (!r.kinds || r.domainStep !== undefined) return -1
    if (r.validates !== undefined) return validateOrder.indexOf(r.validates)
    let best = 999
    for (const k of r.kinds) { const i = validateOrder.indexOf(k); if (i >= 0 && i < best) best = i }
    return best
  }
  return rows.map((r, i) => ({ r, i, k: rank(r) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.r)
}

const refusalsByStage: Readonly<Record<'parse' | 'validate', readonly Refusal[]>> = {
  parse: inParseOrder(allRefusals.filter((r) => r.stage === 'parse')),
  validate: inValidateOrder(allRefusals.filter((r) => r.stage === 'validate')),
}

/** The kinds of each row that names several, as a set (made once). */
const kindSets: ReadonlyMap<Refusal, ReadonlySet<string>> = /* @__PURE__ */ (() => {
  // (rows naming the same kinds share one set: the devices of those kinds are then gathered once a preview)
  const byKey = new Map<string, ReadonlySet<string>>()
  return new Map(allRefusals.filter((r) => r.kinds !== undefined && r.kinds.length > 1).map((r) => {
    const key = [...r.kinds!].sort().join(' ')
    let set = byKey.get(key)
    if (set === undefined) byKey.set(key, (set = new Set(r.kinds)))
    return [r, set]
  }))
})()

/**
 * A bit for each device kind rows of several kinds name (31 of them: one 32-bit integer holds them), and each such row's
 * kinds as a mask: refuse() gathers a row's devices by testing each device's bit, not its name in a set (the gathering
 * was a twentieth of a preview: V8's CPU profile). `undefined` when the kinds outgrow the bits: then by name.
 */
const kindBits: ReadonlyMap<string, number> | undefined = /* @__PURE__ */ (() => {
  const bits = new Map<string, number>()
  for (const set of kindSets.values()) for (const k of set) if (!bits.has(k)) bits.set(k, 1 << bits.size)
  return bits.size <= 31 ? bits : undefined
})()
/** The kind each of kindBits' bits stands for, by the bit's place. */
const kindOfBit: readonly string[] = kindBits === undefined ? [] : [...kindBits.keys()]
const maskOf = (set: ReadonlySet<string> | undefined): number => {
  let mask = 0
  if (set !== undefined && kindBits !== undefined) for (const k of set) mask |= kindBits.get(k)!
  return mask
}

/**
 * A row as refuse() reads it, every field present in one order: the loop over some 250 rows then reads objects of one
 * shape (the rows as written have a dozen shapes, and those reads were a third of its time: V8's CPU profile).
 */
interface CompiledRow {
  readonly row: Refusal
  readonly check: Refusal['check']
  readonly within: readonly (readonly string[])[] | undefined
  /** The one kind of a row about one, else undefined. */
  readonly kind: string | undefined
  /** The kinds of a row about several, else undefined. */
  readonly kinds: readonly string[] | undefined
  readonly kindSet: ReadonlySet<string> | undefined
  /** kindSet as kindBits' mask (0: none, or no bits). */
  readonly kindMask: number
  readonly addresses: readonly string[] | undefined
  readonly below: readonly string[] | undefined
}
const compile = (rows: readonly Refusal[]): readonly CompiledRow[] => rows.map((r) => ({
  row: r,
  // (the rows' checks are arrow functions: no `this` to keep)
  check: r.check,
  within: r.within,
  kind: r.kinds?.length === 1 ? r.kinds[0] : undefined,
  kinds: r.kinds !== undefined && r.kinds.length > 1 ? r.kinds : undefined,
  kindSet: kindSets.get(r),
  kindMask: maskOf(kindSets.get(r)),
  addresses: r.kinds === undefined ? r.addresses : undefined,
  below: r.below,
}))
/** Each stage's rows for libvirt 9.0 and for 11 (the rows of the other version left out once). */
/**
 * A stage's rows with an index of what makes each one apply: rows about device kinds by kind, rows about address types
 * by type, rows about settings by the domain child their paths start at, and the rest (always checked). A domain has a
 * few kinds and settings: the rows it can meet are marked from the index, and the loop skips the others at a glance
 * (most of some 300 rows; checking each one's trigger was a tenth of a preview: V8's CPU profile).
 */
interface RowTable {
  readonly rows: readonly CompiledRow[]
  readonly always: readonly number[]
  readonly byKind: ReadonlyMap<string, readonly number[]>
  readonly byAddress: ReadonlyMap<string, readonly number[]>
  readonly byTop: ReadonlyMap<string, readonly number[]>
  /** Per row, the preview that marked it last (a generation number: no clearing between previews). */
  readonly marks: Uint32Array
}
function tableOf(rows: readonly CompiledRow[]): RowTable {
  const always: number[] = []
  const byKind = new Map<string, number[]>()
  const byAddress = new Map<string, number[]>()
  const byTop = new Map<string, number[]>()
  const add = (map: Map<string, number[]>, key: string, i: number): void => { const list = map.get(key); if (list) { if (list[list.length - 1] !== i) list.push(i) } else map.set(key, [i]) }
  rows.forEach((c, i) => {
    const kinds = c.kind !== undefined ? [c.kind] : c.kinds
    if (kinds !== undefined) for (const k of kinds) add(byKind, k, i)
    else if (c.addresses !== undefined) for (const t of c.addresses) add(byAddress, t, i)
    else if (c.within !== undefined) for (const path of c.within) add(byTop, path[0]!, i)
    else always.push(i)
  })
  return { rows, always, byKind, byAddress, byTop, marks: new Uint32Array(rows.length) }
}
const compiledRows: Readonly<Record<'parse' | 'validate', { readonly nine: RowTable; readonly eleven: RowTable }>> = {
  parse: { nine: tableOf(compile(refusalsByStage.parse.filter((r) => !r.since11))), eleven: tableOf(compile(refusalsByStage.parse.filter((r) => !r.only9))) },
  validate: { nine: tableOf(compile(refusalsByStage.validate.filter((r) => !r.since11))), eleven: tableOf(compile(refusalsByStage.validate.filter((r) => !r.only9))) },
}
let generation = 0

/** Whether the domain has one of these elements (paths of names below it; `top`: the names of its children). */
function hasAnyOf(domain: N, top: ReadonlySet<string>, paths: readonly (readonly string[])[]): boolean {
  for (const path of paths) {
    if (!top.has(path[0]!)) continue
    let n: N | undefined = domain
    for (let i = 0; i < path.length && n !== undefined; i++) n = child(n, path[i]!)
    if (n !== undefined) return true
  }
  return false
}

/**
 * The names of the elements below the devices (any depth), by the devices' kind and (key '') all together: what rows
 * with `below` need. Read at each stage (post-parse adds elements between them).
 */
function namesBelowDevices(list: readonly N[]): Map<string, Set<string>> {
  const byKind = new Map<string, Set<string>>()
  const all = new Set<string>()
  byKind.set('', all)
  const stack: N[] = []
  for (const d of list) {
    if (d.children.length === 0) continue
    let names = byKind.get(d.name)
    if (names === undefined) byKind.set(d.name, names = new Set())
    for (const c of d.children) stack.push(c)
    while (stack.length > 0) {
      const n = stack.pop()!
      names.add(n.name)
      all.add(n.name)
      for (const c of n.children) stack.push(c)
    }
  }
  return byKind
}

/** Whether one of a `below` row's names stands below one of its devices (namesBelowDevices). */
function hasNamesBelow(c: CompiledRow, below: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  if (c.kinds === undefined) return namesIn(below.get(c.kind ?? ''), c.below!)
  for (const kind of c.kinds) if (namesIn(below.get(kind), c.below!)) return true
  return false
}
const namesIn = (present: ReadonlySet<string> | undefined, names: readonly string[]): boolean => {
  if (present !== undefined) for (const name of names) if (present.has(name)) return true
  return false
}

/** belowAudit: what a row its `below` names skipped would have found (only while the tests audit them). */
function auditSkippedRow(ctx: PreviewContext, c: CompiledRow, scope: readonly N[] | undefined): void {
  rowScope.devices = scope
  let found: { message: string; path: string } | undefined
  try { found = c.check(ctx) } catch (error) { if (error instanceof PreviewError) found = { message: error.message, path: error.path ?? '' } } finally { rowScope.devices = undefined }
  if (found) belowAudit.found.push(`below [${c.below!.join(', ')}] skipped '${found.message}' at ${found.path} (${child(ctx.domain, 'name')?.text ?? ''})`)
}

/**
 * Check the stage's rows in order: the first refusal of the parse stage, or of a post-parse check, is thrown; the
 * first validation refusal is returned (libvirt validates after its post-parse: the caller throws it once the
 * post-parse rules have run and refused nothing).
 */
function refuse(ctx: PreviewContext, stage: 'parse' | 'validate'): PreviewError | undefined {
  let fired: { r: Refusal; error: PreviewError; scope: readonly N[] | undefined }[] | undefined
  let parseFired: PreviewError[] | undefined
  // the devices by kind and by address type, read once (rules before this stage may have added devices)
  const list = devices(ctx)
  // (read once for both stages when the rules between them changed neither list: the same arrays, as long)
  let index = ctx.deviceIndex
  if (index === undefined || index.list !== list || index.length !== list.length || index.children !== ctx.domain.children) {
    const byKind = new Map<string, N[]>()
    let byAddress: Map<string, N[]> | undefined
    const bits: number[] = []
    let present = 0
    for (const d of list) {
      const bit = kindBits?.get(d.name) ?? 0
      bits.push(bit)
      present |= bit
      const same = byKind.get(d.name)
      if (same) same.push(d); else byKind.set(d.name, [d])
      const type = child(d, 'address')?.attrs.type
      if (type === undefined) continue
      const typed = (byAddress ??= new Map()).get(type)
      if (typed) typed.push(d); else byAddress.set(type, [d])
    }
    // the names of the domain's own elements (a row about settings the domain lacks is skipped)
    const top = new Set<string>()
    for (const c of ctx.domain.children) top.add(c.name)
    ctx.deviceIndex = index = { list, length: list.length, children: ctx.domain.children, byKind, byAddress, top, bits, present }
  }
  const { byKind, byAddress, top } = index
  const libvirt9 = isLibvirt9(ctx)
  const table = libvirt9 ? compiledRows[stage].nine : compiledRows[stage].eleven
  // (the rows this domain can meet, marked with this preview's generation)
  const marks = table.marks
  const mark = generation = (generation + 1) >>> 0 || 1
  if (mark === 1) marks.fill(0)
  for (const i of table.always) marks[i] = mark
  for (const kind of byKind.keys()) { const list = table.byKind.get(kind); if (list) for (const i of list) marks[i] = mark }
  if (byAddress) for (const type of byAddress.keys()) { const list = table.byAddress.get(type); if (list) for (const i of list) marks[i] = mark }
  for (const name of top) { const list = table.byTop.get(name); if (list) for (const i of list) marks[i] = mark }
  const rows = table.rows
  /** The devices of each set of kinds rows name, gathered once this stage. */
  const scopes = new Map<ReadonlySet<string>, N[]>()
  /** The names below the devices, read when a `below` row is met. */
  let below: Map<string, Set<string>> | undefined
  rowScope.byKind = byKind
  try {
    for (let i = 0; i < rows.length; i++) {
    if (marks[i] !== mark) continue
    const c = rows[i]!
    const r = c.row
    if (c.within !== undefined && !hasAnyOf(ctx.domain, top, c.within)) continue
    let scope: readonly N[] | undefined
    if (c.kind !== undefined) {
      // a row about kinds the domain lacks is skipped; else its device walks see those kinds only
      scope = byKind.get(c.kind)
      if (scope === undefined) continue
    } else if (c.kinds !== undefined) {
      // (one of the kinds present, as most domains have: its own list, in document order already — which kinds are there
      // read from the kinds' bits when they have some)
      let only: N[] | undefined
      let present = 0
      const mask = c.kindMask
      if (mask !== 0) {
        const m = index.present & mask
        if (m !== 0) {
          present = (m & (m - 1)) === 0 ? 1 : 2
          if (present === 1) only = byKind.get(kindOfBit[31 - Math.clz32(m)]!)
        }
      } else for (const k of c.kinds) { const same = byKind.get(k); if (same !== undefined) { only = same; present++ } }
      if (present === 0) continue
      if (present === 1) scope = only
      else {
        // (the devices of those kinds in document order, gathered once this stage: a walk testing each device's kind
        // costs less than merging the kinds' own lists by their places — V8's CPU profile)
        const named = c.kindSet!
        let gathered = scopes.get(named)
        if (gathered === undefined) {
          if (mask === 0) gathered = list.filter((d) => named.has(d.name))
          else {
            gathered = []
            const bits = index.bits
            for (let k = 0; k < list.length; k++) if ((bits[k]! & mask) !== 0) gathered.push(list[k]!)
          }
          // (the parser reads the devices kind by kind, in deviceParseOrder: a row over several kinds finds the one it reads
          // first — a serial port's second <log> before a guestfwd channel's address, whatever their order in the document;
          // probe h51-pr-gfv6-twolog on libvirtd 9.0)
          // (most documents list their devices in that order already: then nothing is made)
          if (stage === 'parse' && !inDeviceReadOrder(gathered)) gathered = gathered.map((d, k) => ({ d, k, r: deviceReadRanks.get(d.name) ?? Infinity })).sort((a, b) => a.r - b.r || a.k - b.k).map((x) => x.d)
          scopes.set(named, gathered)
        }
        scope = gathered
      }
    } else if (c.addresses !== undefined) {
      // the same for a row about addresses of some types
      const types = c.addresses
      if (byAddress === undefined) continue
      if (types.length === 1) scope = byAddress.get(types[0]!)
      else if (types.some((t) => byAddress!.has(t))) scope = list.filter((d) => types.includes(child(d, 'address')?.attrs.type ?? ''))
      if (scope === undefined) continue
    }
    if (c.below !== undefined && !hasNamesBelow(c, below ??= namesBelowDevices(list))) {
      if (belowAudit.on) auditSkippedRow(ctx, c, scope)
      continue
    }
    rowScope.devices = scope
    let found: ReturnType<Refusal['check']>
    try {
      found = c.check(ctx)
    } catch (error) {
      // (past a value the parse-values rule refused, the rows read what it left half read: only their words count; a
      // parse row's own refusal thrown from a reader — readBitmap — is weighed with the others)
      if (stage !== 'parse') throw error
      if (ctx.parseValuesError === undefined) {
        if (!(error instanceof PreviewError)) throw error
        ;(parseFired ??= []).push(error)
      }
      found = undefined
    } finally { rowScope.devices = undefined }
    if (!found) continue
    const error = new PreviewError(found.code ?? r.code, found.message, { path: found.path })
    // (the parse refusals: the one libvirt's parser meets first, below; on the error path only)
    if (stage === 'parse') { (parseFired ??= []).push(error); continue }
    // (a validation refusal waits for the post-parse ones, this stage's and the rules' after it: see deferredRefusal)
    if (r.postParse) throw error
    if (fired === undefined) fired = []
    fired.push({ r, error, scope })
    }
    if (stage === 'parse' && (parseFired !== undefined || ctx.parseValuesError !== undefined)) {
      throw firstInParseOrder(ctx, ctx.parseValuesError === undefined ? parseFired! : [ctx.parseValuesError, ...(parseFired ?? [])])
    }
    // several validation refusals: the one libvirt meets first, walking the devices as it does
    // (one row over several devices too: the device libvirt's walk meets first)
    return fired === undefined ? undefined : fired.length === 1 && (fired[0]!.scope?.length ?? 0) <= 1 ? fired[0]!.error : firstInValidationOrder(ctx, fired, list)
  } finally { rowScope.byKind = undefined; rowScope.devices = undefined }
}

/** Whether devices stand in the order the parser reads their kinds (deviceParseOrder). */
function inDeviceReadOrder(list: readonly N[]): boolean {
  let previous = -1
  for (const d of list) { const r = deviceReadRanks.get(d.name) ?? Infinity; if (r < previous) return false; previous = r }
  return true
}

/** A row's place in the table as written (allRefusals). */
const tableIndex: ReadonlyMap<Refusal, number> = new Map(allRefusals.map((r, i) => [r, i]))

/** Where a validation row stands in libvirt's virDomainDefValidate: the domain (QEMU), the devices, the domain (generic). */
const validationPhase = (r: Refusal): number => (r.generic ? 2 : r.domainStep !== undefined ? 0 : r.kinds !== undefined || r.addresses !== undefined ? 1 : 0)

/**
 * Of the validation refusals a domain has (in table order, each with the devices its row saw), the one libvirt
 * reports: its QEMU driver's domain checks first; then device by device, in virDomainDeviceInfoIterateFlags' order,
 * each device's checks (a row is placed at the first device it refuses alone, or — a check across devices, such as
 * one of a kind — at the last it saw); then its generic domain checks. Only on the error path: a domain libvirt
 * takes runs none of this.
 */
function firstInValidationOrder(ctx: PreviewContext, fired: readonly { r: Refusal; error: PreviewError; scope: readonly N[] | undefined }[], list: readonly N[]): PreviewError {
  const walk = new Map<N, number>()
  for (const kind of validateOrder) {
    // (the primary video first: virDomainDefParseXML inserts each video written primary at the head of the videos, so
    // of two the later is first — probes h49-fz-…, h49-fy-…, libvirtd 9.0)
    if (kind === 'video') {
      const videos = list.filter((d) => d.name === 'video')
      const primary = (v: N): boolean => child(v, 'model')?.attrs.primary === 'yes'
      for (const d of [...videos.filter(primary).reverse(), ...videos.filter((v) => !primary(v))]) walk.set(d, walk.size)
      continue
    }
    if (kind !== 'controller') { for (const d of list) if (d.name === kind) walk.set(d, walk.size); continue }
    // (libvirt keeps the controllers of a type together where the first was written, by index —
    // virDomainControllerInsertPreAlloced: probe h28-multid-403, libvirtd 9.0)
    const written = list.filter((d) => d.name === 'controller')
    const typeAt = new Map<string, number>()
    for (const c of written) if (!typeAt.has(c.attrs.type ?? '')) typeAt.set(c.attrs.type ?? '', typeAt.size)
    const indexOf = (c: N): number => { const n = Number(c.attrs.index); return Number.isInteger(n) ? n : -1 }
    const sorted = written.map((c, i) => ({ c, i })).sort((a, b) => (typeAt.get(a.c.attrs.type ?? '')! - typeAt.get(b.c.attrs.type ?? '')!) || (indexOf(a.c) >= 0 && indexOf(b.c) >= 0 ? indexOf(a.c) - indexOf(b.c) : 0) || a.i - b.i)
    for (const { c } of sorted) walk.set(c, walk.size)
  }
  const placed = fired.map(({ r, error: found, scope }, i) => {
    let error = found
    let at = 0
    if (validationPhase(r) === 1 && scope !== undefined) {
      const own = r.validates === undefined ? scope : scope.filter((d) => d.name === r.validates)
      const ordered = [...own].sort((a, b) => (walk.get(a) ?? 0) - (walk.get(b) ?? 0))
      // (none of the kind it validates written — an IDE controller a disk's address implies, added by the post-parse: where
      // that kind's devices stand in the walk, after every written one of its kind — virDomainControllerInsertPreAlloced
      // appends a controller of a new type; probe h28-multid-27, libvirtd 9.0)
      // (a row that validates one kind and refuses none of the written ones alone refuses an implied one: placed there too)
      at = r.validates !== undefined ? kindsBefore(list, r.validates) + list.filter((d) => d.name === r.validates).length - 0.5
        : ordered.length > 0 ? walk.get(ordered[ordered.length - 1]!) ?? 0 : 0
      for (const d of ordered) {
        rowScope.devices = [d]
        let alone: ReturnType<Refusal['check']>
        try { alone = r.check(ctx) } catch { alone = undefined } finally { rowScope.devices = undefined }
        // (and its words are that device's: a row over several kinds — the character devices' sources — finds the
        // first in document order, libvirt the first in its walk, a serial port before a parallel one before an RNG)
        if (alone) { at = walk.get(d) ?? 0; error = new PreviewError(alone.code ?? r.code, alone.message, { path: alone.path }); break }
      }
    }
    // (two checks of one device: in the table's own order, which follows libvirt's functions)
    // (the QEMU driver's domain checks in qemuValidateDomainDef's order, the generic ones in virDomainDefValidateInternal's:
    // model's domainValidationSteps, genericValidationSteps)
    const step = r.generic !== undefined ? genericValidationSteps.indexOf(r.generic) : r.domainStep !== undefined ? domainValidationSteps.indexOf(r.domainStep) : 0
    // (of one device's checks, libvirt's generic ones before its QEMU driver's: an address's type, then the device's own —
    // virDomainDeviceDefValidate; probes h48-at-…, libvirtd 9.0)
    const own = r.deviceStep === 'info' ? 0 : r.deviceStep === 'generic' ? 1 : 2
    return { error, phase: validationPhase(r), at, own, step, i: tableIndex.get(r) ?? i }
  })
  placed.sort((a, b) => a.phase - b.phase || a.at - b.at || a.own - b.own || a.step - b.step || a.i - b.i)
  return placed[0]!.error
}


/** How many of `list` virDomainDeviceInfoIterateFlags walks before the devices of `kind` (validateOrder). */
function kindsBefore(list: readonly N[], kind: string): number {
  const at = validateOrder.indexOf(kind)
  let n = 0
  for (const d of list) { const i = validateOrder.indexOf(d.name); if (i >= 0 && i < at) n++ }
  return n
}

/**
 * Of the refusals libvirt's parser would meet (the parse-values rule's first, then the parse rows' in table order), the
 * one it meets first: virDomainDefParseXML reads the domain's settings in domainReadOrder, then the devices by kind in
 * deviceParseOrder, each kind in document order (a setting read among them — the launch security — where
 * settingsReadAmongDevices puts it). A refusal is placed by its path; where a path does not tell (an
 * element libvirt reads outside those orders, a device it does not name, two refusals of one element), the earlier in
 * preview's own order stands. Only on the error path.
 */
function firstInParseOrder(ctx: PreviewContext, errors: readonly PreviewError[]): PreviewError {
  let first = errors[0]!
  let at = parsePlace(ctx, first.path)
  for (let i = 1; i < errors.length; i++) {
    const place = parsePlace(ctx, errors[i]!.path)
    if (place !== undefined && at !== undefined && earlierPlace(place, at)) { first = errors[i]!; at = place }
  }
  return first
}

/** Where the parser reads what a path names: the domain setting's rank and, for a device, its kind's rank and place among its kind. */
/** `sub`: within a setting's part, a repeated element's place and its attribute's (settingRepeatedReadParts); `index`, for a setting, its place among its kind (`sysinfo[2]`). */
interface ParsePlace { readonly setting: number; readonly kind?: number; readonly index?: number; readonly part?: number; readonly sub?: number }

function earlierPlace(a: ParsePlace, b: ParsePlace): boolean {
  if (a.setting !== b.setting) return a.setting < b.setting
  // (two parts of one domain setting; in one part, two of its repeated elements — a path naming the part itself stays
  // where preview's order puts it: a check of the whole part may come before or after its elements)
  if (a.kind === undefined && b.kind === undefined) {
    if (a.index !== undefined && b.index !== undefined && a.index !== b.index) return a.index < b.index
    if (a.part !== undefined && b.part !== undefined && a.part === b.part && a.sub !== undefined && b.sub !== undefined) return a.sub < b.sub
    return a.part !== undefined && b.part !== undefined && a.part < b.part
  }
  if (a.kind === undefined || b.kind === undefined || a.kind !== b.kind) return a.kind !== undefined && b.kind !== undefined && a.kind < b.kind
  if (a.index === undefined || b.index === undefined || a.index !== b.index) return a.index !== undefined && b.index !== undefined && a.index < b.index
  return a.part !== undefined && b.part !== undefined && a.part < b.part
}

/** A part's rank in the `place`th of a child read whole, one after the other (model's deviceRepeatedReadParts). */
function repeatedPartRank(parts: ReadonlyMap<string, number>, place: number, rank: number): number {
  return place * parts.size + rank
}

/** The ranks of names in an order (model's parse-order tables). */
function rankOf(order: readonly string[]): ReadonlyMap<string, number> {
  return new Map(order.map((name, i) => [name, i]))
}

/** Each device's and each setting's parts by their rank in the parser's order (model's deviceReadParts, settingReadParts). */
const deviceReadParts: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(Object.entries(modelDeviceReadParts).map(([kind, parts]) => [kind, rankOf(parts)]))
/** The same as libvirt 9.0's parser reads them (model's deviceReadParts9 where they differ). */
const deviceReadParts9: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map([...deviceReadParts, ...Object.entries(modelDeviceReadParts9).map(([kind, parts]): [string, ReadonlyMap<string, number>] => [kind, rankOf(parts)])])
const readPartsOf = (ctx: PreviewContext): ReadonlyMap<string, ReadonlyMap<string, number>> => (isLibvirt9(ctx) ? deviceReadParts9 : deviceReadParts)
const deviceReadPartsByType: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>> = new Map(Object.entries(modelDeviceReadPartsByType).map(([kind, byType]) => [kind, new Map(Object.entries(byType).map(([type, parts]) => [type, rankOf(parts)]))]))

/**
 * A device's parts in its parser's order: its type's where that order is the type's own (model's deviceReadPartsByType),
 * else its kind's in the release reproduced (deviceReadParts, deviceReadParts9).
 */
function partsOf(ctx: PreviewContext, d: N): ReadonlyMap<string, number> | undefined {
  return deviceReadPartsByType.get(d.name)?.get(d.attrs.type ?? '') ?? readPartsOf(ctx).get(d.name)
}
const repeatedReadParts: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(Object.entries(modelSettingRepeatedReadParts).map(([path, parts]) => [path, rankOf(parts)]))
const settingReadParts: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(Object.entries(modelSettingReadParts).map(([setting, parts]) => [setting, rankOf(parts)]))
/** The same as libvirt 9.0's parser reads them (model's settingReadParts9 where they differ). */
const settingReadParts9: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map([...settingReadParts, ...Object.entries(modelSettingReadParts9).map(([setting, parts]): [string, ReadonlyMap<string, number>] => [setting, rankOf(parts)])])
const settingPartsOf = (ctx: PreviewContext): ReadonlyMap<string, ReadonlyMap<string, number>> => (isLibvirt9(ctx) ? settingReadParts9 : settingReadParts)
/** A setting's part a path's step names in its parser's order (`undefined`: the element itself, `''`). */
function settingPart(parts: ReadonlyMap<string, number> | undefined, next: string | undefined): number | undefined {
  return parts === undefined ? undefined : next === undefined ? parts.get('') : next.startsWith('@') ? parts.get(next) ?? parts.get('@') : parts.get(/^[\w-]+/.exec(next)?.[0] ?? '')
}
/** The settings read among the devices, each placed as a kind just before the kind it precedes (model's settingsReadAmongDevices). */
const amongDevices: ReadonlyMap<string, number> = new Map(Object.entries(settingsReadAmongDevices).map(([setting, kind]) => [setting, deviceReadRanks.get(kind)! - 0.5]))
/** The domain's settings in its parser's order, a setting read among the devices just after them where there are none (walkAttributeReads). */
const walkDomainRanks: ReadonlyMap<string, number> = new Map([...domainReadRanks, ...[...amongDevices.keys()].map((setting): [string, number] => [setting, domainReadRanks.get('devices')! + 0.5])])

/** A path's steps (`disk[target/@dev='vda']` is one: slashes inside a predicate do not split). */
function pathSteps(path: string): string[] {
  const steps: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]
    if (ch === '[') depth++
    else if (ch === ']') depth--
    else if (ch === '/' && depth === 0) { steps.push(path.slice(start, i)); start = i + 1 }
  }
  steps.push(path.slice(start))
  return steps
}

function parsePlace(ctx: PreviewContext, path: string | undefined): ParsePlace | undefined {
  if (path === undefined) return undefined
  const steps = pathSteps(path)
  if (steps[0] !== 'domain' || steps.length < 2) return undefined
  const top = /^[\w:-]+/.exec(steps[1]!)?.[0] ?? ''
  // (the domain's type, its OS type and arch are read right after its name and UUIDs: virDomainDefParseCaps)
  if (steps[1] === '@type' || (top === 'os' && steps[2]?.startsWith('type'))) return { setting: (domainReadRanks.get('genid') ?? 0) + 0.5 }
  // (a part read apart from its setting — a memory's dumpCore after the maximum memory, the SMBIOS mode of <os> after the
  // sysinfo: model's domainReadOrder, `setting/part`)
  const apart = steps[2] === undefined ? undefined : domainReadRanks.get(`${top}/${/^@?[\w:-]+/.exec(steps[2])?.[0] ?? ''}`)
  if (apart !== undefined) return { setting: apart }
  // (a setting read among the devices — the launch security before the memory devices: model's settingsReadAmongDevices —,
  // placed as a kind of its own just before that kind, its parts in its parser's order)
  const among = amongDevices.get(top)
  if (among !== undefined) {
    const part = settingPart(settingPartsOf(ctx).get(top), steps[2])
    return part === undefined ? { setting: domainReadRanks.get('devices')!, kind: among, index: 0 } : { setting: domainReadRanks.get('devices')!, kind: among, index: 0, part }
  }
  const setting = domainReadRanks.get(top)
  if (setting === undefined) return undefined
  // (the features: virDomainFeaturesDefParse reads `./features/*` in document order, each whole — its own attributes,
  // then its children in turn, each child's name, state, then the rest: `<kvm><bogus/></kvm><hyperv mode='bogus'/>` is
  // refused for the KVM feature, libvirtd 9.0)
  if (top === 'features' && steps[2] !== undefined) {
    const place = documentPlace(child(ctx.domain, 'features'), steps[2])
    if (place === undefined) return { setting }
    const next = steps[3]
    if (next === undefined) return { setting, part: place.index, sub: 0 }
    if (next.startsWith('@')) return { setting, part: place.index, sub: 0.5 }
    const inner = documentPlace(place.node, next)
    const within = steps[4] === undefined ? 0 : steps[4] === '@state' ? 0.1 : steps[4].startsWith('@') ? 0.2 : 0.3
    return { setting, part: place.index, sub: inner === undefined ? 1 : 1 + inner.index + within }
  }
  if (top !== 'devices') {
    // (a setting whose parser's order of parts is known: the part the path names, `''` the element itself)
    const parts = settingPartsOf(ctx).get(top)
    const next = steps[2]
    const part = settingPart(parts, next)
    // (a repeated element of the part — a NUMA cell —: its place among its kind, then its attribute in the parser's order,
    // model's settingRepeatedReadParts; seed 315 of the differential search)
    // (a path names the first of its kind without an index when it is the only one: `cell/@id` is `cell[1]/@id`)
    // (a part that is itself repeated — a <vcpusched> —: its place among its kind, then what of it the path names in the
    // parser's order, the element itself — `''`, the checks made once it is read — last; model's settingRepeatedReadParts)
    const own = part === undefined || next === undefined ? undefined : repeatedReadParts.get(`${top}/${/^[\w-]+/.exec(next)?.[0] ?? ''}`)
    if (own !== undefined) return { setting, part: part!, sub: Number(/\[(\d+)\]$/.exec(next!)?.[1] ?? '1') + ((own.get(steps[3] ?? '') ?? own.get('')!) + 1) / 1e3 }
    const repeated = steps[3] === undefined ? undefined : /^([\w-]+)(?:\[(\d+)\])?$/.exec(steps[3])
    const attributes = repeated ? repeatedReadParts.get(`${top}/${/^[\w-]+/.exec(next!)?.[0] ?? ''}/${repeated[1]}`) : undefined
    if (part !== undefined && repeated && attributes !== undefined) return { setting, part, sub: Number(repeated[2] ?? '1') + ((attributes.get(steps[4] ?? '') ?? -1) + 1) / 1e3 }
    // (a setting written more than once that the parser reads one after the other, each whole — the <sysinfo>s —: its
    // place among them, where the path gives it, `sysinfo[2]`)
    const nth = /\[(\d+)\]$/.exec(steps[1]!)?.[1]
    const index = nth === undefined ? {} : { index: Number(nth) }
    return part === undefined ? { setting, ...index } : { setting, part, ...index }
  }
  if (steps.length < 3) return { setting }
  const step = steps[2]!
  const kindName = /^[\w-]+/.exec(step)?.[0] ?? ''
  const kind = deviceReadRanks.get(kindName)
  if (kind === undefined) return { setting }
  const ofKind = devices(ctx).filter((d) => d.name === kindName)
  // (a kind named alone: its one device or, of several, the kind as a whole — what the parser checks before it reads
  // any of them, `domain/devices/watchdog`)
  if (step === kindName) return { setting, kind, index: ofKind.length === 1 ? 0 : -1 }
  // (a place among the kind, `[2]`, or the first that a predicate holds for: `[@type='usb']`, `[target/@dev='vda']`)
  let candidates: readonly N[] = ofKind
  for (const [, predicate] of step.slice(kindName.length).matchAll(/\[([^\]]*)\]/g)) {
    if (/^[0-9]+$/.test(predicate!)) { const n = candidates[Number(predicate) - 1]; candidates = n === undefined ? [] : [n]; continue }
    const test = /^(?:([\w-]+)\/)?@([\w-]+)='([^']*)'$/.exec(predicate!)
    if (test === null) return { setting, kind }
    const [, holder, attribute, value] = test
    candidates = candidates.filter((d) => (holder === undefined ? d : child(d, holder!))?.attrs[attribute!] === value)
  }
  const index = candidates.length > 0 ? ofKind.indexOf(candidates[0]!) : -1
  if (index < 0) return { setting, kind }
  // (the part of the device: its next step, or its own attribute)
  const next = steps[3]
  const parts = partsOf(ctx, ofKind[index]!)
  // (an attribute of a child its parser reads apart from the rest of it: `source/@startupPolicy`)
  // (or of a grandchild: an encryption's `source/encryption/cipher`)
  // (a read made with another part of the device: model's readWith)
  const readWith = next !== undefined && parts !== undefined && steps.length === 5 && steps[4]!.startsWith('@') ? readWithRank(kindName, /^[\w-]+/.exec(next)?.[0] ?? '', steps[4]!.slice(1), ofKind[index]!, parts) : undefined
  const rank = readWith !== undefined ? readWith : next === undefined || parts === undefined ? undefined : next.startsWith('@') ? parts.get(next) ?? parts.get('@') : (steps.length >= 6 ? parts.get(`${/^[\w-]+/.exec(next)?.[0] ?? ''}/${steps[4]}/${steps[5]}`) : undefined) ?? (steps.length >= 5 ? parts.get(`${/^[\w-]+/.exec(next)?.[0] ?? ''}/${steps[4]}`) : undefined) ?? parts.get(/^[\w-]+/.exec(next)?.[0] ?? '')
  // (a child read whole before the next of its name — a filter's rules: its place first, then its part)
  const repeated = next === undefined || rank === undefined ? undefined : /^([\w-]+)(?:\[(\d+)\])?$/.exec(next)
  const part = repeated && deviceRepeatedReadParts.has(`${kindName}/${repeated[1]}`) ? repeatedPartRank(parts!, Number(repeated[2] ?? '1') - 1, rank!)
    // (a child read whole within its own part — a display's listens: model's deviceRepeatedReadInPart)
    : repeated && deviceRepeatedReadInPart.has(`${kindName}/${repeated[1]}`) ? rank! + (Number(repeated[2] ?? '1') - 1) / 1000 : rank
  return part === undefined ? { setting, kind, index } : { setting, kind, index, part }
}

/** The child a path's step names (`hyperv`, `cell[2]`: the first of that name, or the nth) and its place among its parent's children. */
function documentPlace(parent: N | undefined, step: string): { node: N; index: number } | undefined {
  const m = /^([\w:-]+)(?:\[(\d+)\])?$/.exec(step)
  if (!parent || !m) return undefined
  let seen = 0
  const wanted = Number(m[2] ?? '1')
  for (const [index, c] of parent.children.entries()) if (c.name === m[1] && ++seen === wanted) return { node: c, index }
  return undefined
}

/** What libvirt's parser refuses (before any post-parse step, the machine's included). */
const parseRefusalRule: PreviewRule = {
  name: 'libvirt-refuses-parse',
  source: 'domain_conf.c parser (the parse-stage refusals of the table, in libvirt\'s words)',
  apply(ctx) { refuse(ctx, 'parse') },
}

/**
 * Guest NUMA cells read again over one of their id (virDomainNumaDefParseXML): the parser refuses a second cell of an id
 * only when the memory it kept for it is not 0, else reads the later cell into the same place — its memory, memory
 * access and discard (none when not written), its vCPUs when it names some (else the earlier's stay) —, and a place no
 * cell was read into is written `<cell id='N' memory='0' unit='KiB'/>`: three cells `0 (memory 0), 1, 0` are stored as
 * cells 0, 1 and an empty 2 (seen on libvirtd 9.0, probes h47-z-redef…). Runs once the parse refusals have passed.
 */
const numaCellsRedefinedRule: PreviewRule = {
  name: 'numa-cells-redefined',
  source: 'numa_conf.c virDomainNumaDefParseXML',
  apply(ctx) {
    const numa = child(child(ctx.domain, 'cpu'), 'numa')
    const cells = kids(numa, 'cell')
    const ids = cells.map((c, i) => (c.attrs.id === undefined ? i : Number(readCInteger(c.attrs.id, 10)?.magnitude)))
    if (!numa || new Set(ids).size === cells.length) return
    const places: (N | undefined)[] = Array.from({ length: cells.length }, () => undefined)
    cells.forEach((c, i) => {
      const id = ids[i]!
      const before = places[id]
      const named = c.attrs.cpus !== undefined && (parseBitmap(c.attrs.cpus)?.length ?? 0) > 0
      const { cpus: _cpus, ...rest } = c.attrs
      const cpus = named ? c.attrs.cpus : before?.attrs.cpus
      c.attrs = { id: String(id), ...(cpus !== undefined ? { cpus } : {}), ...rest }
      c.attrs.id = String(id)
      places[id] = c
    })
    const kept = places.map((c, id) => c ?? node('cell', { id: String(id), memory: '0', unit: 'KiB' }))
    const others = numa.children.filter((c) => c.name !== 'cell')
    numa.children = [...kept, ...others]
    ctx.explain('domain/cpu/numa', 'numa-cells-redefined', 'libvirt reads a NUMA cell of an id whose memory was 0 over it; a place no cell was read into is an empty cell.')
  },
}

/** What libvirt's validation refuses (once the machine is known). */
const validateRefusalRule: PreviewRule = {
  name: 'libvirt-refuses',
  source: 'domain_validate.c, qemu_validate.c, domain_postparse.c (the validate-stage refusals of the table, in libvirt\'s words)',
  apply(ctx) {
    // (the addresses post-parse makes sPAPR VIO as validation sees them, whatever type was written: the device index read again)
    if (spaprVioAddresses(ctx)) ctx.deviceIndex = undefined
    stripXenTargetPrefix(ctx)
    noneChrTargets(ctx)
    const found = refuse(ctx, 'validate')
    // (a machine's vCPU limit, met before, is validated before these: qemuValidateDomainDef)
    ctx.deferredRefusal ??= found
  },
}

/**
 * virDomainDiskDefPostParse, first thing: a disk target written `ioemu:vda` (the Xen driver's old spelling) is `vda` — before
 * post-parse assigns its address or reads its bus from it, and before any check names it (`ioemu:` alone leaves an empty
 * name: "Unknown disk name ''"); probes h48-dev-ioemu…, libvirtd 9.0.
 */
function stripXenTargetPrefix(ctx: PreviewContext): void {
  for (const d of devicesOfKind(ctx, 'disk')) {
    const target = child(d, 'target')
    const dev = target?.attrs.dev
    if (dev === undefined || !dev.startsWith('ioemu:')) continue
    target!.attrs.dev = dev.slice('ioemu:'.length)
    ctx.explain(`${devicePath(devices(ctx), d)}/target/@dev`, 'disk-target-ioemu', "libvirt drops the Xen driver's old `ioemu:` prefix of a disk target.")
  }
}

/**
 * A serial port's or console's target type `none` and a serial port's target model `none` are the enumerations' first
 * names: the parser holds them as none written (virDomainChrDefParseTargetXML), so post-parse gives them the defaults
 * before anything validates them — a console of type `none` is a serial one, a model `none` the type's default (probes
 * h51-none-q35-1, -4, -6 on libvirtd 9.0). Once the parse refusals have passed.
 */
function noneChrTargets(ctx: PreviewContext): void {
  for (const d of devices(ctx)) {
    if (d.name !== 'serial' && d.name !== 'console') continue
    const target = child(d, 'target')
    if (target === undefined) continue
    if (target.attrs.type === 'none') delete target.attrs.type
    if (d.name === 'serial' && target.children.some((c) => c.name === 'model')) {
      // (the first <model> is the one read: ./model/@name)
      const model = target.children.find((c) => c.name === 'model')!
      if (model.attrs.name === 'none') target.children = target.children.filter((c) => c !== model)
    }
  }
}

/** The validation refusal waiting for a preview's post-parse rules to run (`undefined`: none). */
export function deferredRefusal(ctx: PreviewContext): PreviewError | undefined {
  return ctx.deferredRefusal
}

const addressRule: PreviewRule = {
  name: 'addresses',
  source: 'qemu_domain_address.c qemuDomainAssignAddresses; domain_addr.c',
  apply(ctx) {
    // qemuDomainAssignUSBAddresses, after the PCI addresses (a PCI address taken twice is refused first — a USB
    // controller written twice, the repeat-child search edit, seeds 350–359, libvirtd 9.0): the USB buses (one per
    // index) and the ports given, reserved (a port past its hub's, one given twice…)
    assignAddresses(ctx, () => {
      const refused = usbAddressRefusal(ctx, (c) => c.attrs.model ?? defaultUsbModel(ctx, false), implicitDevicesOf(ctx).usb ? defaultUsbModel(ctx, true) : undefined)
      if (refused) throw new PreviewError('preview-invalid-value', refused.message, { path: refused.path })
    })
    // (a host device interface's USB host address is written only when its bus or device is not 0, and its <source> only
    // with something in it, as a USB host device's — virDomainHostdevDefFormatSubsysUSB, libvirtd 9.0; once the guest
    // address its source's type chose is assigned)
    // (the assignment writes `0x` and two or four hex digits: those read at a glance)
    const zero = (v: string | undefined): boolean => {
      if (v === undefined) return false
      if ((v.length === 4 || v.length === 6) && v.charCodeAt(0) === 0x30 && v.charCodeAt(1) === 0x78) return v === '0x00' || v === '0x0000'
      const r = readCInteger(v, 0)
      return r !== undefined && r.magnitude === 0
    }
    for (const d of devices(ctx)) {
      // (a PCI address of domain, bus and slot 0 left so — on a device the assignment does not place on PCI, a PS/2
      // input — is empty to the formatter: its numbers not written, only a multifunction switch — virDomainDeviceInfoFormat,
      // virPCIDeviceAddressIsEmpty; probes h49-fa-…, libvirtd 9.0)
      const own = child(d, 'address')
      if (own?.attrs.type === 'pci' && zero(own.attrs.slot ?? '0') && zero(own.attrs.bus ?? '0') && zero(own.attrs.domain ?? '0')) {
        own.attrs = own.attrs.multifunction === undefined ? { type: 'pci' } : { type: 'pci', multifunction: own.attrs.multifunction }
      }
      const nicSource = d.name === 'interface' && d.attrs.type === 'hostdev' ? child(d, 'source') : undefined
      const hostAddress = child(nicSource, 'address')
      if (nicSource && hostAddress?.attrs.type === 'usb' && zero(hostAddress.attrs.bus) && zero(hostAddress.attrs.device)) {
        nicSource.children = nicSource.children.filter((c) => c !== hostAddress)
        if (isEmpty(nicSource.attrs) && nicSource.children.length === 0) d.children = d.children.filter((c) => c !== nicSource)
      }
      // (a drive, virtio-serial or CCID address's numbers, read unsigned, are written signed — `%d`, model's
      // writtenSigned: `unit='4294967295'` is stored `unit='-1'`; once every rule has read them as numbers)
      const address = child(d, 'address')
      const signed = address === undefined ? undefined : signedWrittenAddress.get(address.attrs.type ?? '')
      if (signed !== undefined) {
        for (const name of signed) {
          const v = address!.attrs[name]
          if (v !== undefined && v.length >= 10 && Number(v) > 0x7fffffff) address!.attrs[name] = String(Number(v) - 2 ** 32)
        }
      }
    }
  },
}

/** The attributes of each address type written signed though read unsigned (model's integerAttributes, `writtenSigned`). */
const signedWrittenAddress: ReadonlyMap<string, readonly string[]> = /* @__PURE__ */ (() => {
  const map = new Map<string, string[]>()
  for (const a of integerAttributes) if (a.writtenSigned && a.addressType !== undefined) map.set(a.addressType, [...(map.get(a.addressType) ?? []), a.attribute])
  return map
})()

/** The rules in the order preview applies them (libvirt's post-parse order). */
/**
 * What a libvirt 9.0 parser does not read in one context only, as data (where, what, why): the elements and attributes
 * its schema has nowhere are dropped at parse (dropUnread, model's schemaPlace); these its schema has elsewhere (a
 * `<reconnect>` of a character device's source, a TPM passthrough's `<source>`). Observed on the 9.0.0 daemon (Debian
 * bookworm) through the live oracle (`cli/test/preview-oracle.e2e.test.ts`). Applies only when reproducing 9.0.
 */
const unknownTo9: readonly { readonly at: readonly string[]; readonly attribute?: string; readonly element?: string; readonly what: string; readonly when?: (n: N, parent: N | undefined) => boolean }[] = [
  { at: ['devices', 'disk', 'source'], element: 'reconnect', what: "an NBD disk source's `<reconnect>`", when: (_, disk) => disk?.attrs.type === 'network' },
  { at: ['os', 'nvram', 'source'], element: 'reconnect', what: "an NBD NVRAM source's `<reconnect>`", when: (_, nvram) => nvram?.attrs.type === 'network' },
  { at: ['devices', 'disk', 'source'], element: 'identity', what: "an SSH disk source's `<identity>`", when: (n) => n.attrs.protocol === 'ssh' },
  { at: ['devices', 'tpm', 'backend'], element: 'source', what: "an emulated TPM's state `<source>`", when: (backend) => backend.attrs.type === 'emulator' },
  // (9.0 reads a display and a ramfb for a mediated device alone: virDomainHostdevSubsysMediatedDevDefParseXML)
  { at: ['devices', 'hostdev'], attribute: 'display', what: "a display on a host device other than a mediated one", when: (h) => h.attrs.type !== 'mdev' },
  { at: ['devices', 'hostdev'], attribute: 'ramfb', what: "a ramfb on a host device other than a mediated one", when: (h) => h.attrs.type !== 'mdev' },
]

/** Elements 9.0 writes only when they carry something: dropped once the unknown parts are gone. */
const emptyDroppedBy9: readonly (readonly string[])[] = [['os', 'loader'], ['os', 'nvram'], ['devices', 'hostdev', 'driver'], ['devices', 'iommu', 'driver']]

type UnknownTo9 = (typeof unknownTo9)[number]

/** What `walk` does at each node of a path: with the rule's context, its own data, the node and its parent. */
type Visit<T> = (ctx: PreviewContext, data: T, n: N, parent: N | undefined) => void

/** `visit` for each node at `path` below `n` (from `depth` on), with its parent, in document order (nodesAt without a list). */
function visitPath<T>(n: N, path: readonly string[], depth: number, parent: N | undefined, visit: Visit<T>, ctx: PreviewContext, data: T): void {
  if (depth === path.length) { visit(ctx, data, n, parent); return }
  const name = path[depth]
  for (const c of n.children) if (c.name === name) visitPath(c, path, depth + 1, n, visit, ctx, data)
}

const noDevices: readonly N[] = []

/** An item of `unknownTo9` at one of its nodes: the attribute or element 9.0 does not know is dropped. */
function dropUnknownTo9(ctx: PreviewContext, item: UnknownTo9, n: N, parent: N | undefined): void {
  if (item.when && !item.when(n, parent)) return
  if (item.attribute !== undefined && n.attrs[item.attribute] !== undefined) {
    delete n.attrs[item.attribute]
    ctx.explain(`domain/${item.at.join('/')}/@${item.attribute}`, 'libvirt9-unknown', `libvirt 9.0 does not know ${item.what} yet and drops it.`)
  }
  if (item.element !== undefined && child(n, item.element)) {
    n.children = n.children.filter((c) => c.name !== item.element)
    ctx.explain(`domain/${item.at.join('/')}/${item.element}`, 'libvirt9-unknown', `libvirt 9.0 does not know ${item.what} yet and drops it.`)
  }
}

/** An element 9.0 writes only when it carries something, dropped when it carries nothing (`emptyDroppedBy9`). */
function dropEmpty(_ctx: PreviewContext, _data: undefined, n: N, parent: N | undefined): void {
  // (blank text that is kept is a value: a loader or NVRAM path of a space, which libvirt writes back)
  if (parent && Object.keys(n.attrs).length === 0 && n.children.length === 0 && (n.text ?? '') === '') parent.children = parent.children.filter((c) => c !== n)
}

const libvirt9Rule: PreviewRule = {
  name: 'libvirt9-unknown',
  source: 'libvirt 9.0 domain_conf.c parser (the elements and attributes it did not know yet)',
  apply(ctx) {
    if (!isLibvirt9(ctx)) return
    // the devices by name, read once: most items name a device kind the domain does not have (the rule
    // changes what is inside devices, never the list itself)
    let devicesCount = 0
    for (const c of ctx.domain.children) if (c.name === 'devices') devicesCount++
    const devicesEl = devicesCount === 1 ? child(ctx.domain, 'devices') : undefined
    const byKind = new Map<string, N[]>()
    if (devicesEl) for (const d of devicesEl.children) { const list = byKind.get(d.name); if (list) list.push(d); else byKind.set(d.name, [d]) }
    // each node at a path, visited in document order (device paths through the index)
    const walk = <T>(path: readonly string[], visit: Visit<T>, data: T): void => {
      if (path[0] !== 'devices' || path.length < 2 || !devicesEl) { visitPath(ctx.domain, path, 0, undefined, visit, ctx, data); return }
      // (most items name a kind the domain does not have: nothing to walk)
      for (const d of byKind.get(path[1]!) ?? noDevices) visitPath(d, path, 2, devicesEl, visit, ctx, data)
    }
    for (const item of unknownTo9) {
      if (item.element === '*') {
        // a top-level element 9.0 does not know at all
        const name = item.at[0]!
        if (child(ctx.domain, name)) {
          ctx.domain.children = ctx.domain.children.filter((c) => c.name !== name)
          ctx.explain(`domain/${name}`, 'libvirt9-unknown', `libvirt 9.0 does not know ${item.what} yet and drops them.`)
        }
        continue
      }
      walk(item.at, dropUnknownTo9, item)
    }
    for (const path of emptyDroppedBy9) walk(path, dropEmpty, undefined)
  },
}

/** The parse-values rule, its refusal left for the parse rows to weigh (firstInParseOrder): libvirt's parser reads in one pass. */
const parseValuesDeferred: PreviewRule = {
  ...parseValuesRule,
  apply(ctx) {
    try {
      parseValuesRule.apply(ctx)
    } catch (error) {
      if (!(error instanceof PreviewError) || error.code === 'preview-limit') throw error
      ctx.parseValuesError = error
      // (the typed reads, the rule's last step, are weighed with its refusal: a fault the parser meets earlier wins —
      // an interface's type before a later interface's model, seen on libvirtd 9.0)
      ctx.typedReadFinding = readTypedAttributes(ctx)
    }
  },
}

/** virDomainInputDefFormat: an input device on no bus (`bus='none'`, written or an evdev device's default) is written without one. */
const inputBusNoneRule: PreviewRule = {
  name: 'input-bus-none',
  source: 'domain_conf.c virDomainInputDefFormat',
  apply(ctx) {
    for (const d of devices(ctx)) {
      if (d.name !== 'input' || d.attrs.bus !== 'none') continue
      const { bus: _none, ...rest } = d.attrs
      d.attrs = rest
    }
  },
}

export const rules: readonly PreviewRule[] = [
  // (the disks in the order the parser inserts them, virDomainDiskInsert: what post-parse and validation walk)
  parseValuesDeferred, parseRefusalRule, numaCellsRedefinedRule, diskOrderRule, machineRule, vcpuLimitRule, firmwareSelectRule, validateRefusalRule, firmwareRule, cleanupRule, emulatorRule, memoryRule, vcpuRule, iothreadsRule, lifecycleRule, bootRule, inputBusRule, diskRule, controllerOrderRule, netRule, controllerModelRule, chrRule, videoRule,
  defaultDevicesRule, inputBusPostParseRule, iommuRule, gicRule, cpuDefaultRule, cpuCheckRule, addressRule, libvirt9Rule, inputBusNoneRule,
]

/** The names of the rules preview knows, with where libvirt does each. */
export const previewRules: readonly { readonly name: string; readonly source: string }[] = rules.map(({ name, source }) => ({ name, source }))

void kids
