// Where libvirt puts a controller it adds (virDomainControllerInsertPreAlloced): after the last
// controller of the same type whose index is not larger, else before the first one with a larger
// index, else after all controllers; libvirt 9.0: after all controllers. Private.
import type { N } from './_node.ts'

export function insertController(devices: N, controller: N, legacy = false): void {
  const list = devices.children
  const index = Number(controller.attrs.index ?? '0')
  let insertAt = -1
  // a libvirt 9.0 daemon puts the controllers it adds after all others (seen for pci and virtio-serial ones)
  if (!legacy) {
    for (let i = list.length - 1; i >= 0; i--) {
      const current = list[i]!
      if (current.name !== 'controller' || current.attrs.type !== controller.attrs.type) continue
      if (Number(current.attrs.index ?? '0') > index) insertAt = i
      else { insertAt = i + 1; break }
    }
  }
  if (insertAt < 0) {
    // after the last controller (the formatter groups devices by kind anyway)
    let last = -1
    for (let i = 0; i < list.length; i++) if (list[i]!.name === 'controller') last = i
    insertAt = last >= 0 ? last + 1 : list.length
  }
  list.splice(insertAt, 0, controller)
}
