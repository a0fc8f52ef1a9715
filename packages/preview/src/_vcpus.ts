// qemuDomainDefVcpusPostParse and virDomainVcpuDefPostParse on a `<vcpus>` list (private): one reading of the list's
// states and their checks, for the refusal row (post-parse, in libvirt's order among the domain's post-parse refusals),
// the vCPU limit rule and the vCPU rule that writes the list back.
import { readCInteger } from '@virtuned/model'
import { PreviewError } from './errors.ts'
import type { N } from './_node.ts'

/**
 * The states a `<vcpus>` list gives its vCPUs (by ID; the others offline, hot-pluggable not said, no order), after the
 * checks of the parser and of post-parse on them, in their order: an ID within the count (virDomainVcpuParse, the
 * last entry of an ID deciding); vCPU 0 online, not hot-pluggable and first, every online vCPU ordered as vCPU 0 is, a
 * non-hot-pluggable one neither after a hot-pluggable one nor ordered before its predecessor
 * (qemuDomainDefVcpusPostParse, the driver's post-parse); none offline and not hot-pluggable (virDomainVcpuDefPostParse,
 * the generic post-parse, after the devices' — `generic`). Only the listed vCPUs are walked: the checks ask nothing of the others, however many the domain has.
 */
export function vcpusListStates(listed: readonly N[], max: number, generic = true, libvirt9 = false): Map<number, { online: boolean; hotpluggable: string | undefined; order: number }> {
  const states = new Map<number, { online: boolean; hotpluggable: string | undefined; order: number }>()
  for (const v of listed) {
    const id = readCInteger(v.attrs.id ?? '', 10)
    if (!id || id.negative) continue
    if (id.magnitude >= max) throw new PreviewError('preview-invalid-value', `vcpu id '${id.magnitude}' is out of range of maximum vcpu count`, { path: `domain/vcpus/vcpu[@id='${v.attrs.id}']` })
    // (a repeated ID's entry sets all three again: an attribute left out is reset to none — virXMLPropEnumInternal,
    // virXMLPropUInt)
    states.set(id.magnitude, {
      online: v.attrs.enabled === 'yes',
      hotpluggable: v.attrs.hotpluggable,
      order: v.attrs.order === undefined ? 0 : readCInteger(v.attrs.order, 10)?.magnitude ?? 0,
    })
  }
  const refuse = (message: string): never => { throw new PreviewError('preview-refused', message, { path: 'domain/vcpus' }) }
  const none = { online: false, hotpluggable: undefined, order: 0 }
  const first = states.get(0) ?? none
  if (!first.online) refuse("vcpu 0 can't be offline")
  if (first.hotpluggable === 'yes') refuse("vcpu0 can't be hotpluggable")
  if (first.order !== 0 && first.order !== 1) refuse('vcpu0 must be enabled first')
  const ordered = first.order !== 0
  const ids = [...states.keys()].filter((i) => i > 0).sort((a, b) => a - b)
  for (const i of ids) {
    const v = states.get(i)!
    if (v.online && (v.order !== 0) !== ordered) refuse('all vcpus must have either set or unset order')
    if (v.hotpluggable === 'no') {
      const prev = states.get(i - 1) ?? none
      // (9.0 spells it `hotplugable`, 11.3 `hotpluggable`: qemuDomainDefVcpusPostParse)
      if (prev.hotpluggable === 'yes') refuse(`online non-hotpluggable vcpus need to be ordered prior to ${libvirt9 ? 'hotplugable' : 'hotpluggable'} vcpus`)
      if (prev.order > v.order) refuse('online non-hotpluggable vcpus must be ordered in ascending order')
    }
  }
  // (the generic post-parse's, after the devices': `generic` false asks the driver's alone)
  if (generic) for (const i of [0, ...ids]) {
    const v = states.get(i)!
    if (v.hotpluggable === 'no' && !v.online) refuse(`vcpu '${i}' is both offline and not hotpluggable`)
  }
  return states
}

