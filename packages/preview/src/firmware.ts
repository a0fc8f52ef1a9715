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

/**
 * The NVRAM file libvirt makes up: `<nvramDir>/<name>_VARS.fd`, `.qcow2` for a qcow2 one, and when defining (an ABI update)
 * `.raw` for a raw one whose template ends so (qemuFirmwareEnsureNVRAM; qemuDomainNVRAMPathFormat in 9.0).
 */
function nvramPath(ctx: PreviewContext, format: string | undefined, template?: string): string {
  // (the name as read, blanks and all: qemuDomainNVRAMPathFormat prints def->name, libvirtd 9.0)
  const name = ctx.domain.children.find((c) => c.name === 'name')?.text ?? ''
  const ext = format === 'qcow2' ? '.qcow2' : format !== 'raw' ? '' : ctx.options.abiUpdate && template?.endsWith('.raw') ? '.raw' : '.fd'
  return `${nvramDir}/${name}_VARS${ext}`
}

/** libvirt 9.0: an NVRAM without a path gets one (qemuDomainNVRAMPathGenerate). */
function fillNvramPath(ctx: PreviewContext, nvram: N, format: string, template?: string): void {
  if (nvram.attrs.type !== undefined || (nvram.text !== undefined && nvram.text !== '') || nvram.children.length > 0) return
  nvram.text = nvramPath(ctx, format, template)
}

/** The attribute naming a local NVRAM source's path, by its type (virStorageSourceIsLocalStorage: file, block, dir). */
const localNvramPathAttribute: Readonly<Record<string, string>> = { file: 'file', block: 'dev', dir: 'dir' }

/** Whether an NVRAM is stored locally (virStorageSourceIsLocalStorage): a path, or a file, block or dir source. */
const nvramIsLocal = (nvram: N): boolean => nvram.attrs.type === undefined || localNvramPathAttribute[nvram.attrs.type] !== undefined

/** virStorageSourceIsEmpty on an NVRAM as read: a local one without its path (an empty path is none). */
function nvramIsEmpty(nvram: N): boolean {
  const type = nvram.attrs.type
  if (type === undefined) return (nvram.text ?? '') === ''
  const attribute = localNvramPathAttribute[type]
  return attribute !== undefined && (child(nvram, 'source')?.attrs[attribute] ?? '') === ''
}

/**
 * qemuFirmwareEnsureNVRAM (libvirt 11): a read-only, stateful pflash loader's NVRAM takes the loader's format when it has
 * none; one without a store — none written, or a local one without its path, typed or not — is made anew: a file in the
 * template's format (else the loader's) at the path libvirt makes up, `type='file'` with a `<source>` when the NVRAM
 * was written typed (the new-style NVRAM the parser noted), the template kept.
 */
function ensureNvram(ctx: PreviewContext, os: N): void {
  const loader = child(os, 'loader')
  if (!loader || loader.attrs.type !== 'pflash' || loader.attrs.readonly !== 'yes' || loader.attrs.stateless === 'yes') return
  const written = child(os, 'nvram')
  if (written && !nvramIsEmpty(written)) {
    if (written.attrs.format === undefined && loader.attrs.format !== undefined) written.attrs = { ...written.attrs, format: loader.attrs.format }
    return
  }
  const nvram = written ?? ensure(os, 'nvram', osChildOrder)
  const { template, templateFormat, type } = nvram.attrs
  const format = templateFormat ?? loader.attrs.format
  nvram.attrs = {
    ...(template !== undefined ? { template } : {}), ...(templateFormat !== undefined ? { templateFormat } : {}),
    ...(type !== undefined ? { type: 'file' } : {}), ...(format !== undefined ? { format } : {}),
  }
  const path = nvramPath(ctx, format, template)
  if (type !== undefined) {
    nvram.children = [node('source', { file: path })]
    nvram.text = undefined
  } else {
    nvram.children = []
    nvram.text = path
  }
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
  ensureNvram(ctx, os)
}

/** The legacy `CODE:VARS` pair of a loader qemuFirmwareFillDomainLegacy takes (read-write, stateless and non-raw loaders are not). */
function legacyPair(ctx: PreviewContext, loader: N): { code: string; vars: string } | undefined {
  if (loader.attrs.type !== 'pflash' || loader.attrs.readonly === 'no' || loader.attrs.stateless === 'yes') return undefined
  if (loader.attrs.format !== undefined && loader.attrs.format !== 'raw') return undefined
  // (the path as written, blanks and all: STRNEQ against the list's, qemuFirmwareFillDomainLegacy)
  const path = loader.text ?? ''
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
  if (loader.attrs.type !== 'pflash' || (loader.text ?? '') === '' || loader.attrs.readonly === 'no') return undefined
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
    // (the path as written, blanks and all: qemuFirmwareMatchDomain compares it with STRNEQ; only an empty one is none)
    if (loader.text !== undefined && loader.text !== '' && loader.text !== executable.filename) return false
    if (manual && (loader.text ?? '') === '') return false
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
  // (SMM's state is the last <smm>'s: virDomainFeaturesDefParse reads each in turn)
  const smm = kids(child(ctx.domain, 'features'), 'smm').at(-1)
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
  // template, which an NVRAM not stored locally (network, volume) does not use
  const fw = ensure(os, 'firmware', osChildOrder)
  const writtenNvram = child(os, 'nvram')
  const notLocal = d.mapping.device === 'flash' && writtenNvram !== undefined && !nvramIsLocal(writtenNvram)
  fw.children = [
    ...fw.children.filter((c) => c.name !== 'feature'),
    ...(notLocal ? ['secure-boot'] : firmwareFeatureNames).map((name) => node('feature', { enabled: features.has(name) ? 'yes' : 'no', name })),
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
    // qemuFirmwareEnableFeaturesModern: the descriptor's template replaces any written — for a local NVRAM or none only
    // (libvirt cannot copy one into a network or volume NVRAM, which gets none)
    const written = child(os, 'nvram')
    const { template: _t, templateFormat: _f, ...rest } = written?.attrs ?? {}
    if (!written || nvramIsLocal(written)) ensure(os, 'nvram', osChildOrder).attrs = { template: template.filename, templateFormat: template.format ?? attrs.format, ...rest }
    else written.attrs = rest
  }
  // qemuFirmwareEnsureNVRAM: an NVRAM with a store keeps its format (else the loader's), one without is made anew
  if (flash) ensureNvram(ctx, os)
  if (features.has('requires-smm')) {
    const f = ensure(ctx.domain, 'features', domainChildOrder)
    const smm = child(f, 'smm')
    if (!smm) insertOrdered(f, node('smm', { state: 'on' }), domainFeatures11)
  }
  ctx.explain('domain/os/loader', 'firmware-autoselect', `libvirt picks the first firmware descriptor that fits (\`${d.name}\`) and writes its files.`)
}
