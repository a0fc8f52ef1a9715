// Where libvirt puts a controller it parses or adds (virDomainControllerInsertPreAlloced): among the
// controllers of its type, before the earliest one with a larger index (or, for a master, before a
// companion of the same index), else after the last one; one written without an index just past the last of
// its type; else after all controllers; libvirt 9.0 (for the ones it adds): after all controllers. Also the
// SCSI controllers host devices need and the numbering of controllers written without an index. Private.
import type { PreviewContext } from './_context.ts'
import { node, type N } from './_node.ts'
import { PreviewError } from './errors.ts'
import { addressFirstWord } from '@virtuned/model'

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

/**
 * What virDomainDefMaybeAddHostdevSCSIcontroller reads of the SCSI host devices, in their order: the highest controller
 * index their drive addresses name (`controllerOf`: how an address reads as one), and the model of the controller the
 * device raising it stands on, when it exists with a model — the model of the controllers it adds ("keeping the same
 * controller model for all SCSI hostdevs"), `undefined` when none.
 */
export function hostdevScsiControllers(list: N, controllerOf: (address: N | undefined) => number): { highest: number; model: string | undefined } {
  let highest = -1
  let model: string | undefined
  for (const h of list.children) {
    if (h.name !== 'hostdev' || (h.attrs.mode ?? 'subsystem') !== 'subsystem' || h.attrs.type !== 'scsi') continue
    const controller = controllerOf(h.children.find((c) => c.name === 'address'))
    // (libvirt compares it as a C int: one above INT_MAX reads as negative and adds nothing)
    if (!(controller > highest) || controller > 2 ** 31 - 1) continue
    highest = controller
    const on = list.children.find((c) => c.name === 'controller' && c.attrs.type === 'scsi' && c.attrs.index !== undefined && Number(c.attrs.index) === controller)
    if (on?.attrs.model !== undefined) model = on.attrs.model
  }
  return { highest, model }
}

/**
 * The controller a SCSI host device's address names as the parser reads it: 0 without one, a drive address's
 * controller, else the first word of the address union whatever its type (model's addressFirstWord — an ISA
 * address's iobase).
 */
export const hostdevScsiControllerOf = (a: N | undefined): number =>
  a === undefined ? 0 : a.attrs.type === 'drive' ? Number(a.attrs.controller ?? '0') : addressFirstWord(a.attrs.type ?? '', a.attrs)

/** One call of virDomainDefMaybeAddHostdevSCSIcontroller that adds controllers: indexes `from`…`highest`, of `model`. */
export interface HostdevScsiControllerCall { readonly from: number; readonly highest: number; readonly model: string | undefined }

/**
 * What the parser adds as it reads the SCSI host devices one after the other (virDomainDefMaybeAddHostdevSCSIcontroller
 * after each, over the host devices read so far): each call that raises the highest index adds the controllers above
 * the ones there, of the model of the controller the host device raising the index last stands on then — a controller
 * an earlier call added without a model counts as none (libvirtd 9.0: a host device on controller 0 read before one on a
 * virtio-scsi controller 1 gets an LSI Logic controller 0 on x86, not a virtio-scsi one; probes h55-rs-*). `children`:
 * the devices in document order; only a call that raises the index adds anything (all below are there by then).
 */
export function hostdevScsiControllerCalls(children: readonly N[], controllerOf: (address: N | undefined) => number): HostdevScsiControllerCall[] {
  const calls: HostdevScsiControllerCall[] = []
  const hostdevs: number[] = []
  // (the first SCSI controller of each index: its model, `undefined` when written without one or added without one)
  const present = new Map<number, string | undefined>()
  for (const c of children) {
    if (c.name === 'controller' && c.attrs.type === 'scsi' && c.attrs.index !== undefined) { const i = Number(c.attrs.index); if (!present.has(i)) present.set(i, c.attrs.model) }
    if (c.name === 'hostdev' && (c.attrs.mode ?? 'subsystem') === 'subsystem' && c.attrs.type === 'scsi') hostdevs.push(controllerOf(c.children.find((x) => x.name === 'address')))
  }
  let covered = -1
  for (let k = 0; k < hostdevs.length; k++) {
    const raised = hostdevs[k]!
    // (libvirt compares it as a C int: one above INT_MAX reads as negative and adds nothing)
    if (!(raised > covered) || raised > 2 ** 31 - 1) continue
    let highest = -1
    let model: string | undefined
    for (let j = 0; j <= k; j++) {
      const controller = hostdevs[j]!
      if (!(controller > highest) || controller > 2 ** 31 - 1) continue
      highest = controller
      const on = present.get(controller)
      if (on !== undefined) model = on
    }
    calls.push({ from: covered + 1, highest, model })
    if (highest >= maxAddedScsiControllers) break
    for (let i = covered + 1; i <= highest; i++) if (!present.has(i)) present.set(i, model)
    covered = highest
  }
  return calls
}

/** SCSI controllers `from`…`highest` where none has that index, placed as libvirt adds them (`legacy`: libvirt 9.0 after post-parse). */
export function addScsiControllers(ctx: PreviewContext, list: N, highest: number, model: string | undefined, legacy: boolean, from = 0): void {
  if (highest >= maxAddedScsiControllers) {
    throw new PreviewError('preview-limit', `A SCSI host device's drive address names controller ${highest}: libvirt would add ${highest + 1} SCSI controllers, more than preview's limit of ${maxAddedScsiControllers}`, { path: `domain/devices/hostdev/address[@controller='${highest}']` })
  }
  for (let i = from; i <= highest; i++) {
    if (list.children.some((c) => c.name === 'controller' && c.attrs.type === 'scsi' && c.attrs.index !== undefined && Number(c.attrs.index) === i)) continue
    insertController(list, node('controller', model === undefined ? { type: 'scsi', index: String(i) } : { type: 'scsi', index: String(i), model }), legacy)
    ctx.explain(`domain/devices/controller[@type='scsi'][@index='${i}']`, 'scsi-hostdev-controller', 'A SCSI host device needs its controller: libvirt adds it.')
  }
}

/**
 * The indexes of controllers once post-parse has numbered the ones written without (virDomainAssignControllerIndexes,
 * which runs before any device's post-parse: models as written). In the order given (libvirt's list), each one without
 * an index takes the first index free among those of its type; but a controller of ICH9's USB2 set (EHCI or UHCI) takes
 * the index of the USB controller just before it when that one is of the set too and that index has no controller of
 * its own model yet (what libvirtd 9.0 does: a UHCI after its EHCI shares its index, a UHCI after a controller of
 * another model takes a new one; a `<master>` alone does not count). `renumberedUsb2`: a USB2 controller was numbered
 * past the first place, after which libvirt 11 inserts every controller again in order.
 */
export function controllerIndexes(controllersInOrder: readonly N[]): { readonly indexes: Map<N, number>; readonly renumberedUsb2: boolean } {
  const indexes = new Map<N, number>()
  // (most domains write every index: nothing to number)
  let unnumbered = false
  for (const c of controllersInOrder) {
    if (c.attrs.index === undefined) { unnumbered = true; break }
    indexes.set(c, Number(c.attrs.index))
  }
  if (!unnumbered) return { indexes, renumberedUsb2: false }
  indexes.clear()
  const used = new Map<string, Set<number>>()
  const usedOf = (type: string): Set<number> => { let set = used.get(type); if (set === undefined) used.set(type, (set = new Set())); return set }
  for (const c of controllersInOrder) if (c.attrs.index !== undefined) { const i = Number(c.attrs.index); usedOf(c.attrs.type ?? '').add(i); indexes.set(c, i) }
  let renumberedUsb2 = false
  let previousUsb: N | undefined
  controllersInOrder.forEach((c, at) => {
    const type = c.attrs.type ?? ''
    if (c.attrs.index === undefined) {
      let index: number | undefined
      if (at > 0 && type === 'usb' && isIch9Usb2(c.attrs.model)) {
        renumberedUsb2 = true
        const before = previousUsb !== undefined && isIch9Usb2(previousUsb.attrs.model) ? indexes.get(previousUsb) : undefined
        if (before !== undefined && !controllersInOrder.some((x) => x.attrs.type === 'usb' && indexes.get(x) === before && x.attrs.model === c.attrs.model)) index = before
      }
      if (index === undefined) {
        const taken = usedOf(type)
        index = 0
        while (taken.has(index)) index++
      }
      usedOf(type).add(index)
      indexes.set(c, index)
    }
    if (type === 'usb') previousUsb = c
  })
  return { indexes, renumberedUsb2 }
}

/** The indexes of controllers of one type once post-parse has numbered the ones written without (controllerIndexes). */
export const indexesOf = (controllersOfType: readonly N[]): Map<N, number> => controllerIndexes(controllersOfType).indexes
