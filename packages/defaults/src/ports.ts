// Spare PCIe root ports sized from the resolved preview (issue 19): the domain as libvirt will store
// it after define — with the virtio-serial controller, the balloon and the other devices libvirt adds,
// every device on its port — tells exactly how many root ports are left free. The profile's rule
// estimates from the domain as written; given the host's QEMU capabilities, the estimate is corrected
// until the preview shows the promised number free.
import { childElement, childElements } from '@virtuned/model'
import { previewDomain, type QemuCaps } from '@virtuned/preview'
import { getEngine, rootElement, toXml, type Element, type Layer, type Root } from '@virtuned/xml-core'
import { libvirtIdentityKeys } from '@virtuned/model'

/** The pcie-root-ports of a domain (as libvirt stores it) that no device is addressed on. */
export function freeRootPorts(domain: Element): number[] {
  const devices = childElement(domain, 'devices')
  const ports: number[] = []
  const used = new Set<number>()
  for (const device of childElements(devices)) {
    if (device.name === 'controller' && device.attributes.type === 'pci' && device.attributes.model === 'pcie-root-port') ports.push(Number(device.attributes.index))
    const address = childElement(device, 'address')
    if (address?.attributes.type === 'pci' && address.attributes.bus !== undefined) used.add(Number(address.attributes.bus))
  }
  return ports.filter((p) => !used.has(p))
}

export interface PortCorrection {
  readonly tree: Root
  /** Root ports added to reach the spare count (their indexes). */
  readonly added: readonly number[]
  /** Root ports this composition had added that libvirt would leave beyond the spare count. */
  readonly removed: readonly number[]
}

/**
 * `tree` with as many free pcie-root-ports as `spare` once libvirt has addressed it: ports are added
 * after the highest PCI index, or — when the estimate gave too many — the free ones among `ours`
 * (the ports this composition added, never the user's) are taken out, highest index first.
 */
export function correctRootPorts(tree: Root, spare: number, ours: ReadonlySet<number>, qemuCaps: QemuCaps): PortCorrection {
  const added: number[] = []
  const removed: number[] = []
  // Two rounds: adding a port can move what libvirt adds itself (a bridge, its own spare port).
  for (let round = 0; round < 3; round++) {
    const predicted = rootElement(previewDomain(toXml(tree, { style: 'preserve' }), { qemuCaps, abiUpdate: true }).document)!
    const free = freeRootPorts(predicted)
    const delta = spare - free.length
    if (delta === 0) break
    const domain = rootElement(tree)!
    if (delta > 0) {
      const highest = Math.max(0, ...childElements(childElement(domain, 'devices')).filter((d) => d.name === 'controller' && d.attributes.type === 'pci').map((d) => Number(d.attributes.index)))
      const ports = Array.from({ length: delta }, (_, i) => highest + 1 + i)
      const layer: Layer = { name: 'pcie-root-ports', mode: 'fill', document: { type: 'root', children: [{ type: 'element', name: 'domain', attributes: {}, children: [{ type: 'element', name: 'devices', attributes: {}, children: ports.map((index) => ({ type: 'element' as const, name: 'controller', attributes: { type: 'pci', index: String(index), model: 'pcie-root-port' }, children: [] })) }] }] } }
      tree = getEngine().mergeTree(tree, [layer], libvirtIdentityKeys).document
      added.push(...ports)
    } else {
      const candidates = free.filter((p) => ours.has(p) || added.includes(p)).sort((a, b) => b - a).slice(0, -delta)
      if (candidates.length === 0) break
      const ops = candidates.map((index) => ({ op: 'remove' as const, path: `/domain/devices/controller[@type='pci'][@index='${index}']` }))
      tree = getEngine().patchTree(tree, { format: 'virtuned-patch/1', ops }, libvirtIdentityKeys)
      for (const index of candidates) {
        const at = added.indexOf(index)
        if (at >= 0) added.splice(at, 1)
        else removed.push(index)
      }
    }
  }
  return { tree, added, removed }
}
