import type { Element } from '@virtuned/xml-core'
import {
  attr,
  attributesOf,
  boolAttr,
  child,
  childrenOf,
  defined,
  firstChild,
  intAttr,
  textOf,
  uintAttr,
  uintText,
  type Located,
} from './_xml.ts'
import type { LibvirtDocument } from './document.ts'
import { isDeviceKind } from './libvirt/devices.ts'
import { DomainModelError } from './errors.ts'
import { parseSize } from './units.ts'
import type {
  ClockView,
  CpuView,
  DeviceView,
  DeviceViewKind,
  DeviceViewOf,
  DomainView,
  FeaturesView,
  OsView,
  SizeView,
  VcpuView,
} from './views-schema.ts'

// Views read; they never repair. A value libvirt itself would refuse (a size that is not
// a number, an unknown unit, `autoport='maybe'`) throws DomainModelError with its path.
// Everything else, including elements and attributes the view does not model, stays
// reachable through `element`.

function size(at: Located | undefined, defaultUnit: string): SizeView | undefined {
  if (!at) return undefined
  const value = textOf(at.element)
  const unit = attr(at.element, 'unit')
  const place = at.element.position?.start
  // Check the unit on its own first, so an unknown unit is reported at `…/@unit`.
  if (unit) parseSize('0', unit, { path: `${at.path}/@unit`, place })
  const bytes = parseSize(value, unit, { defaultUnit, path: at.path, place })
  return defined({ bytes, value, unit })
}

/** The element's own text when it is not just layout (`<nvram>` may hold a `<source>` instead). */
function pathText(element: Element): string | undefined {
  const value = textOf(element)
  return value.trim() === '' ? undefined : value
}

function textChild(parent: Located | undefined, name: string): string | undefined {
  const found = parent && firstChild(parent.element, name)
  return found ? textOf(found) : undefined
}

function attrOfChild(parent: Located, name: string, attribute: string): string | undefined {
  return attr(firstChild(parent.element, name), attribute)
}

function bootOrder(at: Located): number | undefined {
  const boot = child(at, 'boot')
  return boot && uintAttr(boot, 'order')
}

function recordOf(at: Located, name: string): Readonly<Record<string, string>> | undefined {
  return attributesOf(firstChild(at.element, name))
}

// ---- domain sections ----------------------------------------------------------

function viewVcpu(at: Located): VcpuView {
  return defined({
    count: uintText(at),
    placement: attr(at.element, 'placement'),
    cpuset: attr(at.element, 'cpuset'),
    current: uintAttr(at, 'current'),
    element: at.element,
  })
}

function viewOs(at: Located): OsView {
  const type = child(at, 'type')
  const loader = child(at, 'loader')
  const nvram = child(at, 'nvram')
  const bootmenu = child(at, 'bootmenu')
  const firmware = child(at, 'firmware')
  return defined({
    type: type && textOf(type.element),
    arch: attr(type?.element, 'arch'),
    machine: attr(type?.element, 'machine'),
    firmware: attr(at.element, 'firmware'),
    firmwareFeatures: firmware
      ? childrenOf(firmware, 'feature').map((f) => ({ name: attr(f.element, 'name') ?? '', enabled: boolAttr(f, 'enabled') ?? false }))
      : [],
    loader: loader && defined({
      path: pathText(loader.element),
      readonly: boolAttr(loader, 'readonly'),
      type: attr(loader.element, 'type'),
      secure: boolAttr(loader, 'secure'),
      stateless: boolAttr(loader, 'stateless'),
      format: attr(loader.element, 'format'),
    }),
    nvram: nvram && defined({
      path: pathText(nvram.element),
      template: attr(nvram.element, 'template'),
      format: attr(nvram.element, 'format'),
    }),
    boot: childrenOf(at, 'boot').map((b) => attr(b.element, 'dev') ?? ''),
    bootmenu: bootmenu && defined({ enable: boolAttr(bootmenu, 'enable'), timeout: uintAttr(bootmenu, 'timeout') }),
    kernel: textChild(at, 'kernel'),
    initrd: textChild(at, 'initrd'),
    cmdline: textChild(at, 'cmdline'),
    dtb: textChild(at, 'dtb'),
    element: at.element,
  })
}

function settingsOf(at: Located): Readonly<Record<string, Readonly<Record<string, string>>>> {
  const out: Record<string, Readonly<Record<string, string>>> = {}
  // defineProperty: an element named `__proto__` is a setting, not the record's prototype.
  for (const c of childrenOf(at)) Object.defineProperty(out, c.element.name, { value: { ...c.element.attributes }, writable: true, enumerable: true, configurable: true })
  return out
}

function viewFeatures(at: Located): FeaturesView {
  const hyperv = child(at, 'hyperv')
  const kvm = child(at, 'kvm')
  return defined({
    names: childrenOf(at).map((c) => c.element.name),
    attributes: settingsOf(at),
    hyperv: hyperv && defined({ mode: attr(hyperv.element, 'mode'), settings: settingsOf(hyperv) }),
    kvm: kvm && { settings: settingsOf(kvm) },
    element: at.element,
  })
}

function viewCpu(at: Located): CpuView {
  const model = child(at, 'model')
  const topology = child(at, 'topology')
  return defined({
    mode: attr(at.element, 'mode'),
    match: attr(at.element, 'match'),
    check: attr(at.element, 'check'),
    migratable: boolAttr(at, 'migratable'),
    model: model && defined({ name: textOf(model.element), fallback: attr(model.element, 'fallback'), vendorId: attr(model.element, 'vendor_id') }),
    vendor: textChild(at, 'vendor'),
    topology: topology && defined({
      sockets: uintAttr(topology, 'sockets'),
      dies: uintAttr(topology, 'dies'),
      clusters: uintAttr(topology, 'clusters'),
      cores: uintAttr(topology, 'cores'),
      threads: uintAttr(topology, 'threads'),
    }),
    features: childrenOf(at, 'feature').map((f) => defined({ name: attr(f.element, 'name') ?? '', policy: attr(f.element, 'policy') })),
    element: at.element,
  })
}

function viewClock(at: Located): ClockView {
  return defined({
    offset: attr(at.element, 'offset'),
    timezone: attr(at.element, 'timezone'),
    adjustment: attr(at.element, 'adjustment'),
    basis: attr(at.element, 'basis'),
    timers: childrenOf(at, 'timer').map((t) => defined({
      name: attr(t.element, 'name') ?? '',
      present: boolAttr(t, 'present'),
      tickpolicy: attr(t.element, 'tickpolicy'),
      track: attr(t.element, 'track'),
      mode: attr(t.element, 'mode'),
      frequency: uintAttr(t, 'frequency'),
    })),
    element: at.element,
  })
}

// ---- devices --------------------------------------------------------------------

type Fields<K extends DeviceViewKind> = Omit<DeviceViewOf<K>, 'kind' | 'alias' | 'address' | 'element'>
type Readers = { readonly [K in DeviceViewKind]: (at: Located) => Fields<K> }

function chardev(at: Located): Fields<'serial'> {
  return defined({
    type: attr(at.element, 'type'),
    source: recordOf(at, 'source'),
    target: recordOf(at, 'target'),
    protocol: attrOfChild(at, 'protocol', 'type'),
  })
}

const readers: Readers = {
  emulator: (at) => ({ path: textOf(at.element) }),
  disk: (at) => {
    const source = child(at, 'source')
    const target = firstChild(at.element, 'target')
    return defined({
      type: attr(at.element, 'type'),
      device: attr(at.element, 'device'),
      driver: recordOf(at, 'driver'),
      source: source && defined({
        file: attr(source.element, 'file'),
        dev: attr(source.element, 'dev'),
        dir: attr(source.element, 'dir'),
        pool: attr(source.element, 'pool'),
        volume: attr(source.element, 'volume'),
        mode: attr(source.element, 'mode'),
        protocol: attr(source.element, 'protocol'),
        name: attr(source.element, 'name'),
        type: attr(source.element, 'type'),
        path: attr(source.element, 'path'),
        startupPolicy: attr(source.element, 'startupPolicy'),
        hosts: childrenOf(source, 'host').map((h) => defined({
          name: attr(h.element, 'name'),
          port: attr(h.element, 'port'),
          transport: attr(h.element, 'transport'),
          socket: attr(h.element, 'socket'),
        })),
      }),
      target: target && defined({ dev: attr(target, 'dev'), bus: attr(target, 'bus'), tray: attr(target, 'tray') }),
      serial: textChild(at, 'serial'),
      wwn: textChild(at, 'wwn'),
      readonly: firstChild(at.element, 'readonly') !== undefined,
      shareable: firstChild(at.element, 'shareable') !== undefined,
      transient: firstChild(at.element, 'transient') !== undefined,
      bootOrder: bootOrder(at),
    })
  },
  controller: (at) => defined({
    type: attr(at.element, 'type'),
    index: uintAttr(at, 'index'),
    model: attr(at.element, 'model'),
    ports: uintAttr(at, 'ports'),
    driver: recordOf(at, 'driver'),
    target: recordOf(at, 'target'),
  }),
  lease: (at) => defined({ lockspace: textChild(at, 'lockspace'), key: textChild(at, 'key'), target: recordOf(at, 'target') }),
  filesystem: (at) => defined({
    type: attr(at.element, 'type'),
    accessmode: attr(at.element, 'accessmode'),
    driver: recordOf(at, 'driver'),
    source: recordOf(at, 'source'),
    target: attrOfChild(at, 'target', 'dir'),
    readonly: firstChild(at.element, 'readonly') !== undefined,
    bootOrder: bootOrder(at),
  }),
  interface: (at) => defined({
    type: attr(at.element, 'type'),
    mac: attrOfChild(at, 'mac', 'address'),
    source: recordOf(at, 'source'),
    model: attrOfChild(at, 'model', 'type'),
    target: attrOfChild(at, 'target', 'dev'),
    driver: recordOf(at, 'driver'),
    bootOrder: bootOrder(at),
  }),
  input: (at) => defined({ type: attr(at.element, 'type'), bus: attr(at.element, 'bus'), model: attr(at.element, 'model'), source: recordOf(at, 'source') }),
  sound: (at) => defined({ model: attr(at.element, 'model'), codecs: childrenOf(at, 'codec').map((c) => attr(c.element, 'type') ?? '') }),
  hostdev: (at) => {
    const source = child(at, 'source')
    return defined({
      mode: attr(at.element, 'mode'),
      type: attr(at.element, 'type'),
      managed: boolAttr(at, 'managed'),
      model: attr(at.element, 'model'),
      source: attributesOf(source?.element),
      sourceAddress: source && recordOf(source, 'address'),
      vendor: source && attrOfChild(source, 'vendor', 'id'),
      product: source && attrOfChild(source, 'product', 'id'),
      bootOrder: bootOrder(at),
    })
  },
  graphics: (at) => defined({
    type: attr(at.element, 'type'),
    port: intAttr(at, 'port'),
    tlsPort: intAttr(at, 'tlsPort'),
    autoport: boolAttr(at, 'autoport'),
    listen: attr(at.element, 'listen'),
    listens: childrenOf(at, 'listen').map((l) => ({ ...l.element.attributes })),
    passwd: attr(at.element, 'passwd'),
    keymap: attr(at.element, 'keymap'),
    socket: attr(at.element, 'socket'),
  }),
  video: (at) => {
    const model = child(at, 'model')
    return defined({
      model: model && defined({
        type: attr(model.element, 'type'),
        heads: uintAttr(model, 'heads'),
        vram: uintAttr(model, 'vram'),
        ram: uintAttr(model, 'ram'),
        vgamem: uintAttr(model, 'vgamem'),
        vram64: uintAttr(model, 'vram64'),
        primary: boolAttr(model, 'primary'),
      }),
      driver: recordOf(at, 'driver'),
    })
  },
  console: chardev,
  serial: chardev,
  parallel: chardev,
  channel: chardev,
  smartcard: (at) => defined({
    mode: attr(at.element, 'mode'),
    type: attr(at.element, 'type'),
    certificates: childrenOf(at, 'certificate').map((c) => textOf(c.element)),
    database: textChild(at, 'database'),
  }),
  hub: (at) => defined({ type: attr(at.element, 'type') }),
  redirdev: (at) => defined({ bus: attr(at.element, 'bus'), type: attr(at.element, 'type'), source: recordOf(at, 'source'), bootOrder: bootOrder(at) }),
  redirfilter: (at) => ({ rules: childrenOf(at, 'usbdev').map((u) => ({ ...u.element.attributes })) }),
  rng: (at) => {
    const backend = firstChild(at.element, 'backend')
    return defined({
      model: attr(at.element, 'model'),
      backend: backend && defined({ model: attr(backend, 'model'), type: attr(backend, 'type'), path: pathText(backend) }),
      rate: recordOf(at, 'rate'),
    })
  },
  tpm: (at) => {
    const backend = firstChild(at.element, 'backend')
    return defined({
      model: attr(at.element, 'model'),
      backend: backend && defined({ type: attr(backend, 'type'), version: attr(backend, 'version'), path: attr(firstChild(backend, 'device'), 'path') }),
    })
  },
  memballoon: (at) => {
    const stats = child(at, 'stats')
    return defined({
      model: attr(at.element, 'model'),
      autodeflate: boolAttr(at, 'autodeflate'),
      freePageReporting: boolAttr(at, 'freePageReporting'),
      statsPeriod: stats && uintAttr(stats, 'period'),
    })
  },
  watchdog: (at) => defined({ model: attr(at.element, 'model'), action: attr(at.element, 'action') }),
  panic: (at) => defined({ model: attr(at.element, 'model') }),
  // libvirt reads the shmem size with scale 1 (bytes), memory-device sizes as memory (KiB).
  shmem: (at) => defined({
    name: attr(at.element, 'name'),
    role: attr(at.element, 'role'),
    model: attrOfChild(at, 'model', 'type'),
    size: size(child(at, 'size'), 'bytes'),
    server: attrOfChild(at, 'server', 'path'),
  }),
  memory: (at) => {
    const source = child(at, 'source')
    const target = child(at, 'target')
    return defined({
      model: attr(at.element, 'model'),
      access: attr(at.element, 'access'),
      discard: boolAttr(at, 'discard'),
      source: source && defined({ path: textChild(source, 'path'), pagesize: size(child(source, 'pagesize'), 'KiB'), nodemask: textChild(source, 'nodemask') }),
      target: target && defined({
        size: size(child(target, 'size'), 'KiB'),
        node: (() => { const node = child(target, 'node'); return node && uintText(node) })(),
        requested: size(child(target, 'requested'), 'KiB'),
        block: size(child(target, 'block'), 'KiB'),
      }),
    })
  },
  iommu: (at) => defined({ model: attr(at.element, 'model'), driver: recordOf(at, 'driver') }),
  vsock: (at) => {
    const cid = child(at, 'cid')
    return defined({ model: attr(at.element, 'model'), cid: cid && defined({ auto: boolAttr(cid, 'auto'), address: uintAttr(cid, 'address') }) })
  },
  audio: (at) => defined({ id: uintAttr(at, 'id'), type: attr(at.element, 'type') }),
  crypto: (at) => defined({ model: attr(at.element, 'model'), type: attr(at.element, 'type'), backend: recordOf(at, 'backend') }),
  pstore: (at) => defined({ backend: attr(at.element, 'backend'), path: textChild(at, 'path'), size: size(child(at, 'size'), 'KiB') }),
  nvram: () => ({}),
  other: (at) => ({ name: at.element.name }),
}

function viewDeviceAt(at: Located): DeviceView {
  const kind: DeviceViewKind = isDeviceKind(at.element.name) ? at.element.name : 'other'
  const read = readers[kind] as (at: Located) => object
  return defined({
    kind,
    alias: attrOfChild(at, 'alias', 'name'),
    address: recordOf(at, 'address'),
    ...read(at),
    element: at.element,
  }) as DeviceView
}

/**
 * The typed view of one device element (`<disk>`, `<interface>`, …; an unknown name
 * gives `kind: 'other'`), e.g. `viewDevice(parseDevice(xml))` for the XML given to attach.
 *
 * @param device - A device document or element.
 * @param options.path - Where the element is, for error messages (default: its name).
 * @throws DomainModelError `model-invalid-value` / `model-value-out-of-range` for a value libvirt would refuse.
 */
export function viewDevice(device: LibvirtDocument | Element, options: { readonly path?: string } = {}): DeviceView {
  const element = 'type' in device ? device : device.root
  return viewDeviceAt({ element, path: options.path ?? element.name })
}

type DevicesView = DomainView['devices']

function viewDevices(at: Located | undefined): DevicesView {
  const lists = Object.fromEntries(Object.keys(readers).map((kind) => [kind, [] as DeviceView[]])) as Record<DeviceViewKind, DeviceView[]>
  if (at) for (const c of childrenOf(at)) {
    const view = viewDeviceAt(c)
    lists[view.kind].push(view)
  }
  return lists as unknown as DevicesView
}

/**
 * Read a domain's main parts as plain, read-only data: identity, memory (in bytes and as
 * written), vCPUs, OS and boot, features, CPU, clock, lifecycle actions and every device
 * by kind. Nothing is copied out of reach: each part carries its `element`, and
 * `devices` holds every child of `<devices>` in exactly one list (unknown names in `other`).
 *
 * @throws DomainModelError `model-unexpected-root` when the document is not a domain;
 *   `model-invalid-value` / `model-value-out-of-range` for a value libvirt would refuse
 *   (the error's `path` says where, e.g. `domain/memory`).
 */
export function viewDomain(document: LibvirtDocument): DomainView {
  const root = document.root
  if (root.name !== 'domain') {
    throw new DomainModelError('model-unexpected-root', `Unexpected root \`<${root.name}>\`, expected \`<domain>\``, { path: root.name, place: root.position?.start })
  }
  const at: Located = { element: root, path: 'domain' }
  const vcpu = child(at, 'vcpu')
  const os = child(at, 'os')
  const features = child(at, 'features')
  const cpu = child(at, 'cpu')
  const clock = child(at, 'clock')
  const maxMemory = child(at, 'maxMemory')
  const maxSize = size(maxMemory, 'KiB')
  return defined({
    type: attr(root, 'type'),
    name: textChild(at, 'name'),
    uuid: textChild(at, 'uuid'),
    title: textChild(at, 'title'),
    description: textChild(at, 'description'),
    memory: size(child(at, 'memory'), 'KiB'),
    currentMemory: size(child(at, 'currentMemory'), 'KiB'),
    maxMemory: maxSize && maxMemory && defined({ ...maxSize, slots: uintAttr(maxMemory, 'slots') }),
    vcpu: vcpu && viewVcpu(vcpu),
    os: os && viewOs(os),
    features: features && viewFeatures(features),
    cpu: cpu && viewCpu(cpu),
    clock: clock && viewClock(clock),
    onPoweroff: textChild(at, 'on_poweroff'),
    onReboot: textChild(at, 'on_reboot'),
    onCrash: textChild(at, 'on_crash'),
    onLockfailure: textChild(at, 'on_lockfailure'),
    devices: viewDevices(child(at, 'devices')),
    element: root,
  })
}
