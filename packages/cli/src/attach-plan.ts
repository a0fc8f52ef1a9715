// A hot-plug plan with the profile's device defaults, as plan-attach, attach and fleet attach make it:
// the live domain parsed once, for the defaults (the OS and profile it records) and the plan alike.
import { deviceDefaultsLayer } from '@virtuned/defaults'
import { planAttach, type AttachOptions, type AttachPlan } from '@virtuned/hotplug'
import { parseDomain } from '@virtuned/model'
import type { Element } from '@virtuned/xml-core'

export function planWithDefaults(live: string | Uint8Array, device: Element, options: Omit<AttachOptions, 'layers'> = {}): AttachPlan {
  const document = parseDomain(live)
  // The defaults for this device, from the OS and profile the domain records (bus, discard, NIC model).
  const layer = deviceDefaultsLayer(document, device)
  return planAttach(document.tree, device, { ...options, ...(layer ? { layers: [layer] } : {}) })
}
