// What the host can do, read from libvirt's domain capabilities (`virsh domcapabilities`).
import { parseXml, rootElement, type Element } from '@virtuned/xml-core'
import { DefaultsError } from './errors.ts'

/**
 * Domain capabilities as plain data. `enums` holds every `<enum name=…>` by its element path
 * (`devices/disk/bus`, `os/firmware`, `features/hyperv/features`, `os/loader/secure`);
 * `supported` every `supported='yes|no'` by path (`devices/tpm`, `features/vmcoreinfo`,
 * `cpu/host-passthrough`). Immutable, as every input of the defaults: what is computed from a host
 * (its Hyper-V set) is kept for the host object last asked about.
 */
export interface HostCapabilities {
  readonly emulator?: string
  /** `kvm` or `qemu` (TCG). */
  readonly virtType: string
  /** The machine the capabilities are for, e.g. `pc-q35-10.0`. */
  readonly machine?: string
  readonly arch: string
  /** `Intel`, `AMD`… of the host-model CPU, when listed. */
  readonly cpuVendor?: string
  /** Features the host-model CPU requires (`vmx`/`svm` means nested virtualization is on). */
  readonly cpuFeatures?: readonly string[]
  readonly enums: Readonly<Record<string, readonly string[]>>
  readonly supported: Readonly<Record<string, boolean>>
  /** Where the description came from (a file name, `libvirtd`, or `assumed`). */
  readonly source: string
}

function elements(e: Element): Element[] {
  return e.children.filter((c): c is Element => c.type === 'element')
}

function text(e: Element): string {
  return e.children.map((c) => (c.type === 'text' ? c.value : '')).join('').trim()
}

/**
 * Reads `virsh domcapabilities` output.
 * @throws DefaultsError `defaults-bad-domcaps` (with the XML error's place) when it is not domain capabilities.
 */
export function parseDomainCapabilities(xml: string | Uint8Array, source = 'domcapabilities'): HostCapabilities {
  let root: Element | undefined
  try {
    root = rootElement(parseXml(xml))
  } catch (error) {
    const place = (error as { place?: { line: number; column: number } }).place
    throw new DefaultsError('defaults-bad-domcaps', `${source}${place ? `:${place.line}:${place.column}` : ''}: ${(error as Error).message}`, { path: source, ...(place ? { place: place as never } : {}), cause: error })
  }
  if (!root || root.name !== 'domainCapabilities') {
    throw new DefaultsError('defaults-bad-domcaps', `${source}: expected <domainCapabilities>, got <${root?.name ?? 'nothing'}>`, { path: source })
  }
  const enums: Record<string, string[]> = {}
  const supported: Record<string, boolean> = {}
  let cpuVendor: string | undefined
  const cpuFeatures: string[] = []
  const walk = (e: Element, path: string): void => {
    for (const child of elements(e)) {
      if (child.name === 'enum') {
        const name = child.attributes.name
        if (name) enums[path ? `${path}/${name}` : name] = elements(child).filter((v) => v.name === 'value').map(text)
        continue
      }
      // CPU modes are <mode name='host-passthrough' supported='yes'>: key them by name.
      const key = child.name === 'mode' && child.attributes.name ? child.attributes.name : child.name
      const childPath = path ? `${path}/${key}` : key
      if (child.attributes.supported !== undefined) supported[childPath] = child.attributes.supported === 'yes'
      if (path === 'cpu/host-model' && child.name === 'vendor') cpuVendor = text(child)
      if (path === 'cpu/host-model' && child.name === 'model' && cpuVendor === undefined && child.attributes.vendor) cpuVendor = child.attributes.vendor
      if (path === 'cpu/host-model' && child.name === 'feature' && child.attributes.policy === 'require' && child.attributes.name) cpuFeatures.push(child.attributes.name)
      if (child.name === 'value' && path === 'os/loader') (enums['os/loader/values'] ??= []).push(text(child))
      walk(child, childPath)
    }
  }
  walk(root, '')
  const field = (name: string) => { const e = elements(root!).find((c) => c.name === name); return e ? text(e) : undefined }
  const emulator = field('path')
  const machine = field('machine')
  return {
    ...(emulator ? { emulator } : {}),
    virtType: field('domain') ?? 'kvm',
    ...(machine ? { machine } : {}),
    arch: field('arch') ?? 'x86_64',
    ...(cpuVendor ? { cpuVendor } : {}),
    cpuFeatures,
    enums,
    supported,
    source,
  }
}

/**
 * The host assumed when no domain capabilities are given: x86_64 KVM with what every QEMU ≥ 6.2
 * and libvirt ≥ 8.0 offer (q35, EFI firmware auto-selection with secure boot, virtio devices,
 * emulated TPM 2.0, the Hyper-V set without `evmcs`, SPICE and VNC). Rules that depend on more
 * (evmcs, host-passthrough) stay off. Results made with it say so in their warnings.
 */
export const assumedHost: HostCapabilities = {
  virtType: 'kvm',
  arch: 'x86_64',
  machine: 'q35',
  enums: {
    'os/firmware': ['bios', 'efi'],
    'os/loader/secure': ['yes', 'no'],
    'devices/disk/bus': ['ide', 'fdc', 'scsi', 'virtio', 'usb', 'sata'],
    'devices/graphics/type': ['sdl', 'vnc', 'spice', 'egl-headless', 'dbus'],
    'devices/video/modelType': ['vga', 'cirrus', 'virtio', 'none', 'bochs', 'ramfb', 'qxl'],
    'devices/rng/model': ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
    'devices/rng/backendModel': ['random', 'egd', 'builtin'],
    'devices/tpm/model': ['tpm-tis', 'tpm-crb'],
    'devices/tpm/backendModel': ['emulator'],
    'devices/tpm/backendVersion': ['2.0'],
    'devices/redirdev/bus': ['usb'],
    'devices/channel/type': ['pty', 'unix', 'spicevmc'],
    'devices/panic/model': ['isa', 'hyperv'],
    'features/hyperv/features': ['relaxed', 'vapic', 'spinlocks', 'vpindex', 'runtime', 'synic', 'stimer', 'reset', 'frequencies', 'reenlightenment', 'tlbflush', 'ipi'],
  },
  supported: {
    os: true, 'os/loader': true, 'cpu/host-passthrough': false, 'cpu/host-model': true, 'devices/disk': true, 'devices/graphics': true,
    'devices/video': true, 'devices/rng': true, 'devices/tpm': true, 'devices/redirdev': true, 'devices/channel': true, 'devices/panic': true,
    'features/vmcoreinfo': true, 'features/hyperv': true,
  },
  source: 'assumed (no domain capabilities given)',
}

/** Whether the host lists `value` in the enum at `path` (an enum the host does not report at all counts as no). */
export function hostHas(host: HostCapabilities, path: string, value: string): boolean {
  return host.enums[path]?.includes(value) ?? false
}

/**
 * The guest's architecture: the one the domain writes (`os/type/@arch`), else the host's
 * (libvirt's default). A written one must be the capabilities' own: the defaults read the
 * capabilities of one architecture (`virsh domcapabilities --arch`).
 * @throws DefaultsError `defaults-arch-mismatch` when they differ.
 */
export function checkHostArch(written: string | undefined, host: HostCapabilities): string {
  if (written === undefined || written === host.arch) return host.arch
  throw new DefaultsError('defaults-arch-mismatch', `Unexpected architecture \`${written}\` with domain capabilities for ${host.arch} (${host.source})`, { path: 'os/type/@arch' })
}
