// Detach by alias and wait for the guest, the way Nova and oVirt learned to: listen first, ask,
// wait a bounded time, ask again a bounded number of times, and tell apart "removed", "the guest
// refused", "still unplugging" and "nothing happened".
import { parseXml, type Element, type Root } from '@virtuned/xml-core'
import { isDeviceMissing, isUnplugInProgress } from './errors.ts'
import type { DeviceEvent, DomainEventSubscription, LifecycleEvent } from './events.ts'
import { uuidToString, type DomainRef } from './protocol.ts'
import type { LibvirtConnection } from './connection.ts'

/** Options of `detachAndWait`. Nova waits 8 × 20 s, oVirt 30 s; the defaults are shorter, for interactive use. */
export interface DetachOptions {
  /** How long each attempt waits for the device-removed event. Default 10 000 ms. */
  readonly timeoutMs?: number
  /** How many times the request is sent again after an attempt timed out. Default 2 (3 attempts). */
  readonly retries?: number
  /** Pause before each retry (events are still awaited meanwhile). Default 1000 ms. */
  readonly retryDelayMs?: number
  /** Per-call timeout of the detach and get-XML requests. */
  readonly callTimeoutMs?: number
}

/** How a detach ended. Only `removed` is `ok`. */
export type DetachResult =
  | {
      readonly ok: true
      readonly outcome: 'removed'
      readonly alias: string
      readonly attempts: number
      /** The live domain XML after the removal. */
      readonly xml: string
      /** Whether that XML indeed no longer has a device with the alias. */
      readonly verified: boolean
    }
  | {
      readonly ok: false
      /**
       * `removal-failed`: the guest refused the unplug (libvirt's device-removal-failed event).
       * `in-progress`: libvirt/QEMU kept answering "already in the process of unplug" and no event came.
       * `timeout`: the requests were accepted but no event came within the attempts.
       * `domain-stopped`: the domain stopped (destroyed, shut down, crashed) while waiting.
       */
      readonly outcome: 'removal-failed' | 'in-progress' | 'timeout' | 'domain-stopped'
      readonly alias: string
      readonly attempts: number
    }

/** What `detachAndWait` needs from a connection. */
export interface DetachTarget {
  subscribe: LibvirtConnection['subscribe']
  detachDeviceAlias(domain: DomainRef, alias: string, options: { live?: boolean; timeoutMs?: number }): Promise<void>
  getXMLDesc(domain: DomainRef, options: { timeoutMs?: number }): Promise<string>
}

function walk(node: Root | Element, visit: (element: Element) => boolean): boolean {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (visit(child) || walk(child, visit)) return true
  }
  return false
}

/** Whether domain XML has an `<alias name="…">` with this name. */
export function hasDeviceAlias(xml: string, alias: string): boolean {
  return walk(parseXml(xml, { positions: false }), (element) => element.name === 'alias' && element.attributes.name === alias)
}

function sameDomain(a: DomainRef, b: DomainRef): boolean {
  return uuidToString(a.uuid) === uuidToString(b.uuid)
}

export async function detachAndWait(target: DetachTarget, domain: DomainRef, alias: string, options: DetachOptions = {}): Promise<DetachResult> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const retries = options.retries ?? 2
  const retryDelayMs = options.retryDelayMs ?? 1000
  const call = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }

  let settled: 'removed' | 'removal-failed' | 'domain-stopped' | undefined
  let wake: (() => void) | undefined
  const listener = (event: DeviceEvent) => {
    if (settled || event.alias !== alias || !sameDomain(event.domain, domain)) return
    settled = event.type === 'device-removed' ? 'removed' : 'removal-failed'
    wake?.()
  }
  /** Resolves after `ms`, or as soon as an event settled the outcome. */
  const waitFor = (ms: number) => new Promise<void>((resolve) => {
    if (settled) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      wake = undefined
      resolve()
    }
    wake = done
  })

  // Listen before asking: a device that goes at once must not be missed.
  const subscriptions: Array<DomainEventSubscription<DeviceEvent> | DomainEventSubscription<LifecycleEvent>> = []
  // A domain that stops while we wait will never send the event: end at once, and say why.
  const onLifecycle = (event: LifecycleEvent) => {
    if (settled || !sameDomain(event.domain, domain) || event.eventName !== 'stopped') return
    settled = 'domain-stopped'
    wake?.()
  }
  try {
    subscriptions.push(await target.subscribe('device-removed', { domain, listener, ...call }))
    subscriptions.push(await target.subscribe('device-removal-failed', { domain, listener, ...call }))
    subscriptions.push(await target.subscribe('lifecycle', { domain, listener: onLifecycle, ...call }))

    let attempts = 0
    let inProgress = false
    for (let attempt = 0; attempt <= retries && !settled; attempt++) {
      if (attempt > 0) await waitFor(retryDelayMs)
      if (settled) break
      attempts++
      try {
        await target.detachDeviceAlias(domain, alias, { live: true, ...call })
        inProgress = false
      } catch (error) {
        if (settled === 'domain-stopped') break
        if (isUnplugInProgress(error)) inProgress = true
        else if (attempt > 0 && isDeviceMissing(error)) {
          // Gone between attempts (its event may have been lost with a reconnect): check the XML below.
          settled = 'removed'
          break
        } else throw error
      }
      await waitFor(timeoutMs)
    }

    if (settled === 'removed') {
      const xml = await target.getXMLDesc(domain, call)
      return { ok: true, outcome: 'removed', alias, attempts, xml, verified: !hasDeviceAlias(xml, alias) }
    }
    if (settled === 'removal-failed' || settled === 'domain-stopped') return { ok: false, outcome: settled, alias, attempts }
    return { ok: false, outcome: inProgress ? 'in-progress' : 'timeout', alias, attempts }
  } finally {
    wake?.()
    await Promise.allSettled(subscriptions.map((s) => s.close()))
  }
}
