// Running hot-plug plans (the objects `@virtuned/hotplug`'s planAttach / planDetach return) on a
// connection. Typed structurally, so this package does not depend on @virtuned/hotplug at runtime.
import type { DetachOptions, DetachResult } from './detach.ts'
import { hasDeviceAlias } from './detach.ts'
import { LibvirtUsageError } from './errors.ts'
import type { DomainRef } from './protocol.ts'

/** Why a plan could not be made (hotplug's `Problem`). */
export interface PlanProblem {
  readonly code: string
  readonly message: string
}

/** What a plan that could not be made looks like (`{ ok: false, problems }`). */
export interface RefusedPlan {
  readonly ok: false
  readonly problems: readonly PlanProblem[]
}

/** The part of hotplug's `AttachPlan` (`ok: true`) that running it needs. */
export interface AttachPlanLike {
  readonly ok?: true
  /** The device XML for `virDomainAttachDeviceFlags`. */
  readonly xml: string
  /** The device's user alias (`ua-…`), to find it again and to detach it. */
  readonly alias: string
  /** Where the change goes; default `live`. */
  readonly flags?: 'live' | 'config' | 'live+config'
}

/** The part of hotplug's `DetachPlan` (`ok: true`) that running it needs. */
export interface DetachPlanLike {
  readonly ok?: true
  readonly method?: 'alias'
  readonly alias: string
  /** The device's live XML (for `virDomainDetachDeviceFlags`; not needed by alias). */
  readonly xml?: string
}

/** How `attach(plan)` ended: the domain XML read back after the attach, and whether it has the alias. */
export interface AttachResult {
  readonly alias: string
  /** The live XML (the persistent one for a `config`-only plan), read right after the attach. */
  readonly xml: string
  /** Whether that XML has a device with the plan's alias. */
  readonly verified: boolean
}

/** What `attachPlan` needs from a connection. */
export interface PlanTarget {
  attachDevice(domain: DomainRef, xml: string, options: { live?: boolean; config?: boolean; timeoutMs?: number }): Promise<void>
  getXMLDesc(domain: DomainRef, options: { inactive?: boolean; timeoutMs?: number }): Promise<string>
  detachAndWait(domain: DomainRef, alias: string, options?: DetachOptions): Promise<DetachResult>
}

function refuse(what: string, plan: RefusedPlan): never {
  const problems = plan.problems.map((p) => `${p.code}: ${p.message}`).join('; ')
  throw new LibvirtUsageError('libvirt-plan-refused', `${what}: the plan was refused (${problems || 'no problems listed'}); nothing was sent`)
}

/** Sends an attach plan's XML with its flags, then reads the domain XML back and checks for the alias. */
export async function attachPlan(target: PlanTarget, domain: DomainRef, plan: AttachPlanLike | RefusedPlan, options: { timeoutMs?: number } = {}): Promise<AttachResult> {
  if (plan.ok === false) refuse('attach', plan)
  const { xml, alias } = plan
  if (typeof xml !== 'string' || typeof alias !== 'string') throw new LibvirtUsageError('libvirt-bad-argument', 'attach: expected a plan with `xml` and `alias` strings')
  const flags = plan.flags ?? 'live'
  const live = flags !== 'config'
  const config = flags !== 'live'
  const call = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }
  await target.attachDevice(domain, xml, { live, config, ...call })
  const after = await target.getXMLDesc(domain, { inactive: !live, ...call })
  return { alias, xml: after, verified: hasDeviceAlias(after, alias) }
}

/** Detaches a plan's device by alias from the running guest and waits for it to go (see `detachAndWait`). */
export async function detachPlan(target: PlanTarget, domain: DomainRef, plan: DetachPlanLike | RefusedPlan, options: DetachOptions = {}): Promise<DetachResult> {
  if (plan.ok === false) refuse('detach', plan)
  if (typeof plan.alias !== 'string' || plan.alias === '') throw new LibvirtUsageError('libvirt-bad-argument', 'detach: expected a plan with an `alias`')
  return target.detachAndWait(domain, plan.alias, options)
}
