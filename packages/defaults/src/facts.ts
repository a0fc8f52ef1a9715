// What the rules need to know about a domain, read from its tree.
import type { Element } from '@virtuned/xml-core'

export interface DiskFacts {
  readonly element: Element
  readonly device: string
  readonly target?: string
  readonly bus?: string
  readonly format?: string
  readonly hasAddress: boolean
}

/** A domain as the rules' conditions see it. */
export interface DomainFacts {
  readonly type: string
  readonly vcpus: number
  readonly iothreads: number
  readonly arch: string
  /** `os/type/@machine` as written (`q35`, `pc-q35-8.2`, `pc`…), undefined when unset. */
  readonly machine?: string
  /** q35-family machine (PCI Express): written so, or unset on a host whose default will be set to q35. */
  readonly isQ35: boolean
  /** `efi` with `os/@firmware='efi'` or a pflash loader; `bios` when written so; undefined when unset. */
  readonly firmware?: 'efi' | 'bios'
  readonly directKernel: boolean
  readonly graphics: readonly string[]
  readonly disks: readonly DiskFacts[]
  readonly interfaces: readonly Element[]
  /** Every `devices/<name>` present, e.g. `rng`, `tpm`, `controller[usb]`, `channel[org.qemu.guest_agent.0]`. */
  readonly present: ReadonlySet<string>
  readonly rootPorts: number
  /** Highest `controller[@type='pci']/@index` in use. */
  readonly maxPciIndex: number
  /** Devices that will each take a PCIe slot of their own on q35 (virtio, xhci, e1000e, …) and have no address yet. */
  readonly pcieDevices: number
}

export function elementChildren(e: Element | undefined, name?: string): Element[] {
  if (!e) return []
  return e.children.filter((c): c is Element => c.type === 'element' && (name === undefined || c.name === name))
}

export function child(e: Element | undefined, name: string): Element | undefined {
  return elementChildren(e, name)[0]
}

export function textOf(e: Element | undefined): string | undefined {
  if (!e) return undefined
  const v = e.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.value : '')).join('').trim()
  return v === '' ? undefined : v
}

const q35Machine = /^(q35|pc-q35-.*)$/

// Devices that sit on a PCIe root port of their own on q35, when libvirt places them.
function takesPciePort(device: Element): boolean {
  if (child(device, 'address')) return false
  const model = device.attributes.model ?? child(device, 'model')?.attributes.type
  switch (device.name) {
    case 'disk': return child(device, 'target')?.attributes.bus === 'virtio'
    case 'interface': return model === undefined || model === 'virtio' || model === 'e1000e' || model === 'virtio-non-transitional'
    case 'controller':
      if (device.attributes.type === 'usb') return model === 'qemu-xhci' || model === 'nec-xhci'
      if (device.attributes.type === 'scsi') return model === 'virtio-scsi'
      if (device.attributes.type === 'virtio-serial') return true
      return false
    case 'rng':
    case 'memballoon':
      return model === 'virtio' || model === 'virtio-non-transitional'
    case 'video': return model === 'virtio'
    case 'input': return device.attributes.bus === 'virtio'
    case 'filesystem':
    case 'vsock':
      return true
    case 'hostdev': return device.attributes.type === 'pci'
    default: return false
  }
}

// Trees are immutable by convention (every virtuned edit and merge makes a new one), so the facts of
// a <domain> element are computed once: policies' conditions and the defaults' stages ask again.
const known = new WeakMap<Element, DomainFacts>()

export function domainFacts(domain: Element): DomainFacts {
  let facts = known.get(domain)
  if (!facts) {
    facts = readFacts(domain)
    known.set(domain, facts)
  }
  return facts
}

function readFacts(domain: Element): DomainFacts {
  const os = child(domain, 'os')
  const type = child(os, 'type')
  const devices = child(domain, 'devices')
  const all = elementChildren(devices)
  const present = new Set<string>()
  let rootPorts = 0
  let maxPciIndex = -1
  let pcieDevices = 0
  let virtioSerial = false
  for (const d of all) {
    present.add(d.name)
    if (d.name === 'controller') {
      present.add(`controller[${d.attributes.type ?? ''}]`)
      if (d.attributes.type === 'pci') {
        maxPciIndex = Math.max(maxPciIndex, Number(d.attributes.index ?? 0))
        if (d.attributes.model === 'pcie-root-port') rootPorts++
      }
      if (d.attributes.type === 'virtio-serial') virtioSerial = true
    }
    if (d.name === 'channel') {
      const name = child(d, 'target')?.attributes.name
      if (name) present.add(`channel[${name}]`)
      if (child(d, 'target')?.attributes.type === 'virtio') virtioSerial = true
    }
    if (d.name === 'memballoon') present.add(`memballoon[${d.attributes.model ?? ''}]`)
    if (d.name === 'input') present.add(`input[${d.attributes.type ?? ''}]`)
    if (takesPciePort(d)) pcieDevices++
  }
  // Channels of type virtio make libvirt add a virtio-serial controller, which takes a port.
  if (virtioSerial && !present.has('controller[virtio-serial]')) pcieDevices++
  const machine = type?.attributes.machine
  const loader = child(os, 'loader')
  const firmware = os?.attributes.firmware === 'efi' || loader?.attributes.type === 'pflash' ? 'efi' : os?.attributes.firmware === 'bios' || loader ? 'bios' : undefined
  return {
    type: domain.attributes.type ?? 'kvm',
    vcpus: Number(textOf(child(domain, 'vcpu')) ?? 1) || 1,
    iothreads: Number(textOf(child(domain, 'iothreads')) ?? 0) || 0,
    arch: type?.attributes.arch ?? 'x86_64',
    ...(machine === undefined ? {} : { machine }),
    isQ35: machine !== undefined && q35Machine.test(machine),
    ...(firmware === undefined ? {} : { firmware }),
    directKernel: child(os, 'kernel') !== undefined,
    graphics: elementChildren(devices, 'graphics').map((g) => g.attributes.type ?? ''),
    disks: elementChildren(devices, 'disk').map((d) => {
      const target = child(d, 'target')
      const driver = child(d, 'driver')
      return {
        element: d,
        device: d.attributes.device ?? 'disk',
        ...(target?.attributes.dev === undefined ? {} : { target: target.attributes.dev }),
        ...(target?.attributes.bus === undefined ? {} : { bus: target.attributes.bus }),
        ...(driver?.attributes.type === undefined ? {} : { format: driver.attributes.type }),
        hasAddress: child(d, 'address') !== undefined,
      }
    }),
    interfaces: elementChildren(devices, 'interface'),
    present,
    rootPorts,
    maxPciIndex,
    pcieDevices,
  }
}
