// Where libvirt puts a controller it parses or adds (virDomainControllerInsertPreAlloced): among the
// controllers of its type, before the earliest one with a larger index (or, for a master, before a
// companion of the same index), else after the last one; one written without an index just past the last of
// its type; else after all controllers; libvirt 9.0 (for the ones it adds): after all controllers. Also the
// SCSI controllers host devices need and the numbering of controllers written without an index. Private.
import type { PreviewContext } from './_context.ts'
import { node, type N } from './_node.ts'
import { PreviewError } from './errors.ts'

/** An ICH9 UHCI companion model (ich9-uhci1…3): no ports of its own, its EHCI's bus holds them. */
export const isIch9Uhci = (model: string | undefined): boolean => model !== undefined && /^ich9-uhci[123]$/.test(model)

/** A model of ICH9's USB2 set: the EHCI master or one of its UHCI companions. */
export const isIch9Usb2 = (model: string | undefined): boolean => model === 'ich9-ehci1' || isIch9Uhci(model)

/** A USB companion: one with `<master>`, or an ICH9 UHCI (which the parser gives its master port anyway). */
export const isUsbCompanion = (c: N): boolean => c.children.some((k) => k.name === 'master') || isIch9Uhci(c.attrs.model)

export function insertController(devices: N, controller: N, legacy = false): void {
  const list = devices.children
  // (a controller written without an index is -1 to the parser until post-parse numbers it)
  const index = Number(controller.attrs.index ?? '-1')
  let insertAt = -1
  if (controller.attrs.index === undefined && !legacy) {
    // one without an index goes just past the last one of its type (checked on libvirtd 9.0)
    for (let i = list.length - 1; i >= 0; i--) {
      const current = list[i]!
      if (current.name === 'controller' && current.attrs.type === controller.attrs.type) { insertAt = i + 1; break }
    }
  } else if (!legacy) {
    // a libvirt 9.0 daemon puts the controllers it adds after all others (seen for pci and virtio-serial ones)
    // walking back over the controllers of its type: before any with a larger index, and a master before
    // a companion of the same index; else after the last one seen. A USB companion is one with <master>
    // or an ICH9 UHCI, which the parser gives its master port to anyway.
    const companion = isUsbCompanion
    for (let i = list.length - 1; i >= 0; i--) {
      const current = list[i]!
      if (current.name !== 'controller' || current.attrs.type !== controller.attrs.type) continue
      const currentIndex = Number(current.attrs.index ?? '-1')
      if (currentIndex > index) insertAt = i
      else if (currentIndex === index && !companion(controller) && companion(current)) insertAt = i
      else if (insertAt < 0) insertAt = i + 1
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

/** The most SCSI controllers preview adds for host devices (as for disks: each needs a slot); beyond, `preview-limit`. */
const maxAddedScsiControllers = 1024

/** SCSI controllers 0…`highest` where none has that index, placed as libvirt adds them (`legacy`: libvirt 9.0 after post-parse). */
export function addScsiControllers(ctx: PreviewContext, list: N, highest: number, model: string | undefined, legacy: boolean): void {
  if (highest >= maxAddedScsiControllers) {
    throw new PreviewError('preview-limit', `A SCSI host device's drive address names controller ${highest}: libvirt would add ${highest + 1} SCSI controllers, more than preview's limit of ${maxAddedScsiControllers}`, { path: `domain/devices/hostdev/address[@controller='${highest}']` })
  }
  for (let i = 0; i <= highest; i++) {
    if (list.children.some((c) => c.name === 'controller' && c.attrs.type === 'scsi' && c.attrs.index !== undefined && Number(c.attrs.index) === i)) continue
    insertController(list, node('controller', model === undefined ? { type: 'scsi', index: String(i) } : { type: 'scsi', index: String(i), model }), legacy)
    ctx.explain(`domain/devices/controller[@type='scsi'][@index='${i}']`, 'scsi-hostdev-controller', 'A SCSI host device needs its controller: libvirt adds it.')
  }
}

/**
 * The indexes of controllers of one type once post-parse has numbered the ones written without: each of those, in
 * turn, the first one free (what controller-model does later; refusal rows read it before).
 */
export function indexesOf(controllersOfType: readonly N[]): Map<N, number> {
  const out = new Map<N, number>()
  const used = new Set<number>()
  for (const c of controllersOfType) if (c.attrs.index !== undefined) { const i = Number(c.attrs.index); used.add(i); out.set(c, i) }
  for (const c of controllersOfType) {
    if (c.attrs.index !== undefined) continue
    let free = 0
    while (used.has(free)) free++
    used.add(free)
    out.set(c, free)
  }
  return out
}
