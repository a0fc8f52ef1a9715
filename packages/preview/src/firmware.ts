// Firmware autoselection (qemu_firmware.c qemuFirmwareFillDomain): the first QEMU firmware descriptor
// (docs/interop/firmware.json) that fits the domain fills in <loader>, <nvram>, the <firmware> features
// and SMM. The descriptors are data the caller reads (the host's /usr/share/qemu/firmware and friends).
import { PreviewError } from './errors.ts'
import { child, ensure, insertOrdered, kids, node, type N } from './_node.ts'
import { firmwareFeatureNames } from './_features.ts'
import { arch, isLibvirt9, machineName, type PreviewContext } from './_context.ts'
import { domainChildOrder, domainFeatures11, osChildOrder } from '@virtuned/model'

/** One QEMU firmware descriptor (the JSON of a `*.json` file), with the file name it came from. */
export interface FirmwareDescriptor {
  readonly name: string
  readonly 'interface-types': readonly string[]
  readonly mapping: {
    readonly device: string
    readonly mode?: string
    readonly filename?: string
    readonly executable?: { readonly filename: string; readonly format?: string }
    readonly 'nvram-template'?: { readonly filename: string; readonly format?: string }
  }
  readonly targets: readonly { readonly architecture: string; readonly machines: readonly string[] }[]
  readonly features?: readonly string[]
}

/** Whether a parsed JSON value is a usable descriptor (libvirt skips the others). */
export function isFirmwareDescriptor(value: unknown): value is Omit<FirmwareDescriptor, 'name'> {
  const v = value as Partial<FirmwareDescriptor> | null
  return typeof v === 'object' && v !== null && Array.isArray(v['interface-types']) && typeof v.mapping === 'object' && v.mapping !== null
    && typeof v.mapping.device === 'string' && Array.isArray(v.targets)
}

/** fnmatch(3) for the machine globs of descriptors (`pc-q35-*`). */
function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)
  return re.test(value)
}

const nvramDir = '/var/lib/libvirt/qemu/nvram'

/** qemuDomainNVRAMPathGenerate: `<nvramDir>/<name>_VARS.fd` (with an ABI update, the format's own extension). */
function fillNvramPath(ctx: PreviewContext, nvram: N, format: string, template?: string): void {
  if (nvram.attrs.type !== undefined || (nvram.text !== undefined && nvram.text !== '') || nvram.children.length > 0) return
  // (the name as read, blanks and all: qemuDomainNVRAMPathFormat prints def->name, libvirtd 9.0)
  const name = ctx.domain.children.find((c) => c.name === 'name')?.text ?? ''
  const templateExt = /\.[a-z0-9]+$/i.exec(template ?? '')?.[0]
  const ext = format === 'qcow2' ? '.qcow2' : ctx.options.abiUpdate && templateExt ? templateExt : '.fd'
  nvram.text = `${nvramDir}/${name}_VARS${ext}`
}

/**
 * libvirt's built-in legacy list of UEFI `CODE:VARS` pairs (qemu_conf.c DEFAULT_LOADER_NVRAM), used when
 * qemu.conf sets no `nvram` list.
 */
export const defaultLegacyFirmware: readonly string[] = [
  '/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd',
  '/usr/share/OVMF/OVMF_CODE.secboot.fd:/usr/share/OVMF/OVMF_VARS.fd',
  '/usr/share/AAVMF/AAVMF_CODE.fd:/usr/share/AAVMF/AAVMF_VARS.fd',
  '/usr/share/AAVMF/AAVMF32_CODE.fd:/usr/share/AAVMF/AAVMF32_VARS.fd',
]

/**
 * A manual firmware configuration (`<loader>` without `<os firmware>`), as qemuFirmwareFillDomain takes it:
 * a loader written as a ROM needs nothing; a read-only pflash loader a descriptor has is recorded as
 * `firmware='efi'` with the descriptor's features and NVRAM template; else a loader in the legacy
 * `CODE:VARS` list (qemu.conf's `nvram`, or libvirt's own) takes its pair's template; else the image is
 * taken to be raw. Then the NVRAM path is generated (qemuFirmwareEnsureNVRAM).
 */
export function fillManualFirmware(ctx: PreviewContext, descriptors: readonly FirmwareDescriptor[] | undefined): void {
  const os = child(ctx.domain, 'os')
  const loader = child(os, 'loader')
  if (!os || !loader || os.attrs.firmware !== undefined || loader.attrs.type === 'rom') return
  const v9 = isLibvirt9(ctx)
  const d = v9 ? undefined : manualDescriptor(ctx, descriptors)
  if (d) {
    os.attrs = { firmware: 'efi', ...os.attrs }
    fill(ctx, os, d)
    return
  }
  // libvirt 9.0 fills a manual configuration in only when QEMU starts (it writes no formats either)
  if (v9) {
    if (loader.attrs.type === 'pflash' && loader.attrs.readonly === 'yes' && loader.attrs.stateless !== 'yes') fillNvramPath(ctx, ensure(os, 'nvram', osChildOrder), 'raw')
    return
  }
  const pair = legacyPair(ctx, loader)
  if (pair) {
    const { readonly: _r, type: _t, format: _f, ...rest } = loader.attrs
    loader.attrs = { readonly: 'yes', ...(rest.secure !== undefined ? { secure: rest.secure } : {}), type: 'pflash', ...rest, format: 'raw' }
    const nvram = ensure(os, 'nvram', osChildOrder)
    if (nvram.attrs.template === undefined) nvram.attrs = { template: pair.vars, templateFormat: 'raw', ...nvram.attrs }
    else if (nvram.attrs.templateFormat === undefined) nvram.attrs = { template: nvram.attrs.template, templateFormat: 'raw', ...nvram.attrs }
    ctx.explain('domain/os/nvram', 'firmware-legacy', `The loader is in libvirt's legacy firmware list: its NVRAM template is \`${pair.vars}\`.`)
  } else if (loader.attrs.format === undefined) {
    // a custom firmware build, or a loader given by its path alone (a ROM once post-parse types it): raw
    loader.attrs = { ...loader.attrs, format: 'raw' }
  }
  // qemuFirmwareEnsureNVRAM: a read-only, stateful pflash loader gets an NVRAM file
  if (loader.attrs.type === 'pflash' && loader.attrs.readonly === 'yes' && loader.attrs.stateless !== 'yes') {
    const nvram = ensure(os, 'nvram', osChildOrder)
    const format = nvram.attrs.format ?? nvram.attrs.templateFormat ?? loader.attrs.format ?? 'raw'
    nvram.attrs = { ...nvram.attrs, format }
    fillNvramPath(ctx, nvram, format, nvram.attrs.template)
  }
}

/** The legacy `CODE:VARS` pair of a loader qemuFirmwareFillDomainLegacy takes (read-write, stateless and non-raw loaders are not). */
function legacyPair(ctx: PreviewContext, loader: N): { code: string; vars: string } | undefined {
  if (loader.attrs.type !== 'pflash' || loader.attrs.readonly === 'no' || loader.attrs.stateless === 'yes') return undefined
  if (loader.attrs.format !== undefined && loader.attrs.format !== 'raw') return undefined
  const path = (loader.text ?? '').trim()
  for (const entry of ctx.options.qemuConf?.nvram ?? defaultLegacyFirmware) {
    const at = entry.indexOf(':')
    if (at > 0 && entry.slice(0, at) === path) return { code: path, vars: entry.slice(at + 1) }
  }
  return undefined
}

/**
 * The descriptor a manual read-only pflash loader (given by its path, without `<os firmware>`) is found in: libvirt
 * then fills in the rest from it and turns autoselection on (`firmware='efi'`), before validation.
 */
export function manualDescriptor(ctx: PreviewContext, descriptors: readonly FirmwareDescriptor[] | undefined): FirmwareDescriptor | undefined {
  const os = child(ctx.domain, 'os')
  const loader = child(os, 'loader')
  if (!os || !loader || os.attrs.firmware !== undefined || !descriptors) return undefined
  if (loader.attrs.type !== 'pflash' || (loader.text ?? '').trim() === '' || loader.attrs.readonly === 'no') return undefined
  return descriptors.find((x) => matches(ctx, x, 'efi', true))
}

function matches(ctx: PreviewContext, d: FirmwareDescriptor, want: 'efi' | 'bios', manual: boolean): boolean {
  if (!d['interface-types'].includes(want === 'efi' ? 'uefi' : 'bios')) return false
  const a = arch(ctx)
  const m = machineName(ctx)
  const archNames = a === 'i686' ? ['i386'] : [a]
  if (!d.targets.some((t) => archNames.includes(t.architecture) && t.machines.some((g) => glob(g, m)))) return false
  const features = new Set(d.features ?? [])
  const os = child(ctx.domain, 'os')!
  for (const f of kids(child(os, 'firmware'), 'feature')) {
    if (f.attrs.enabled === 'yes' && !features.has(f.attrs.name ?? '')) return false
    if (f.attrs.enabled === 'no' && features.has(f.attrs.name ?? '')) return false
  }
  const flash = d.mapping.device === 'flash'
  const executable = flash ? d.mapping.executable : d.mapping.filename !== undefined ? { filename: d.mapping.filename, format: 'raw' } : undefined
  if (!executable) return false
  const loader = child(os, 'loader')
  if (loader) {
    if (loader.attrs.type === 'pflash' && !flash) return false
    if (loader.attrs.type === 'rom' && d.mapping.device !== 'memory') return false
    if (loader.text !== undefined && loader.text.trim() !== '' && loader.text.trim() !== executable.filename) return false
    if (manual && (loader.text ?? '').trim() === '') return false
    const stateless = loader.attrs.stateless === 'yes'
    if (flash && stateless !== (d.mapping.mode === 'stateless')) return false
    if (loader.attrs.secure === 'yes' && !features.has('requires-smm')) return false
    if (loader.attrs.secure === 'no' && features.has('requires-smm')) return false
  } else if (flash && d.mapping.mode === 'stateless') {
    return false
  }
  // without a format: the NVRAM's format, else raw (the historical default) unless the ABI may change
  const nvramFormat = child(os, 'nvram')?.attrs.format
  const wantFormat = loader?.attrs.format ?? nvramFormat ?? (ctx.options.abiUpdate ? undefined : 'raw')
  if (wantFormat !== undefined && wantFormat !== (executable.format ?? 'raw')) return false
  if (loader?.attrs.readonly === 'no' && flash && d.mapping.mode !== 'combined') return false
  if (flash && d.mapping.mode === 'combined') return false
  const nvram = child(os, 'nvram')
  const template = d.mapping['nvram-template']
  if (nvram && flash) {
    if (nvram.attrs.template !== undefined && nvram.attrs.template !== template?.filename) return false
    if (nvram.attrs.templateFormat !== undefined && nvram.attrs.templateFormat !== (template?.format ?? 'raw')) return false
  }
  const smm = child(child(ctx.domain, 'features'), 'smm')
  if (smm?.attrs.state === 'off' && features.has('requires-smm')) return false
  const sev = child(ctx.domain, 'launchSecurity')
  if (sev?.attrs.type === 'sev' && !features.has('amd-sev')) return false
  if (sev?.attrs.type === 'sev-snp' && !features.has('amd-sev-snp')) return false
  if (!sev && (features.has('intel-tdx') || (features.has('amd-sev-snp') && !features.has('amd-sev')))) return false
  return true
}

/**
 * `<os firmware='efi|bios'>`: fill in the first descriptor that fits; without descriptors (or without a
 * fitting one) the domain is left as written and the reason goes to `notPredicted`.
 */
export function fillFirmware(ctx: PreviewContext, descriptors: readonly FirmwareDescriptor[] | undefined): void {
  const os = child(ctx.domain, 'os')
  const want = os?.attrs.firmware
  // (libvirt 9.0 selects the firmware when the domain starts: its definition keeps the request as written)
  if (!os || (want !== 'efi' && want !== 'bios') || isLibvirt9(ctx)) return
  if (!descriptors) {
    ctx.skip('domain/os', 'Firmware autoselection reads the host\'s firmware descriptors: pass `firmware` to predict it.')
    return
  }
  // qemuDomainDefFirmwarePostParse: without an ABI update (a definition loaded, not defined) the image stays raw
  if (!ctx.options.abiUpdate) {
    // (the parser gave a loader without a format the NVRAM's: virDomainLoaderDefParseXML)
    const loader = ensure(os, 'loader', osChildOrder)
    if (loader.attrs.format === undefined && child(os, 'nvram')?.attrs.format === undefined) loader.attrs = { ...loader.attrs, format: 'raw' }
  }
  const d = descriptors.find((x) => matches(ctx, x, want, false))
  if (!d) {
    // defining (an ABI update) fails; loading an existing definition keeps it as it is
    if (ctx.options.abiUpdate) throw new PreviewError('preview-refused', `Unable to find '${want}' firmware that is compatible with the current configuration`, { path: 'domain/os/@firmware' })
    ctx.skip('domain/os', `No firmware descriptor fits this ${want} domain: libvirt keeps the definition, and refuses to start it.`)
    return
  }
  fill(ctx, os, d)
}

/** Write a matching descriptor's files and features into <os>. */
function fill(ctx: PreviewContext, os: N, d: FirmwareDescriptor): void {
  const features = new Set(d.features ?? [])
  // qemuFirmwareSetOsFeatures: both features as the chosen descriptor has them, in libvirt's order, whatever the
  // domain asked for (what it asked for matched the descriptor already); enrolled keys live in the NVRAM
  // template, which a network NVRAM does not use
  const fw = ensure(os, 'firmware', osChildOrder)
  const network = child(os, 'nvram')?.attrs.type === 'network'
  fw.children = [
    ...fw.children.filter((c) => c.name !== 'feature'),
    ...(network ? ['secure-boot'] : firmwareFeatureNames).map((name) => node('feature', { enabled: features.has(name) ? 'yes' : 'no', name })),
  ]
  const flash = d.mapping.device === 'flash'
  const executable = flash ? d.mapping.executable! : { filename: d.mapping.filename!, format: 'raw' }
  const loader = ensure(os, 'loader', osChildOrder)
  const attrs: Record<string, string> = {}
  if (flash) attrs.readonly = loader.attrs.readonly ?? 'yes'
  if (loader.attrs.secure !== undefined || features.has('requires-smm')) attrs.secure = loader.attrs.secure ?? 'yes'
  attrs.type = flash ? 'pflash' : 'rom'
  if (loader.attrs.stateless !== undefined) attrs.stateless = loader.attrs.stateless
  attrs.format = executable.format ?? 'raw'
  loader.attrs = attrs
  loader.text = executable.filename
  const template = d.mapping['nvram-template']
  if (flash && d.mapping.mode !== 'stateless' && template) {
    const nvram = ensure(os, 'nvram', osChildOrder)
    const extra = Object.fromEntries(Object.entries(nvram.attrs).filter(([k]) => !['template', 'templateFormat', 'format'].includes(k)))
    // qemuFirmwareEnableFeaturesModern: the descriptor's template replaces any written (a network NVRAM has none:
    // libvirt cannot copy one into it); qemuFirmwareEnsureNVRAM: an NVRAM with a store keeps its format (else the
    // loader's), one without is made anew in the template's format
    const templateFormat = template.format ?? attrs.format
    const hasStore = nvram.attrs.type !== undefined || (nvram.text ?? '').trim() !== ''
    const format = hasStore ? nvram.attrs.format ?? attrs.format : nvram.attrs.type === 'network' ? attrs.format : templateFormat
    if (nvram.attrs.type === 'network') nvram.attrs = { ...extra, format }
    else nvram.attrs = { template: template.filename, templateFormat, ...extra, format }
    fillNvramPath(ctx, nvram, format, nvram.attrs.template)
  }
  if (features.has('requires-smm')) {
    const f = ensure(ctx.domain, 'features', domainChildOrder)
    const smm = child(f, 'smm')
    if (!smm) insertOrdered(f, node('smm', { state: 'on' }), domainFeatures11)
  }
  ctx.explain('domain/os/loader', 'firmware-autoselect', `libvirt picks the first firmware descriptor that fits (\`${d.name}\`) and writes its files.`)
}
