// Domain events as libvirt sends them to a client that registered a callback
// (REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY): each message carries the callbackID
// the server assigned, so one connection can hold many independent subscriptions.
import { procedures, readDomain, type DomainRef } from './protocol.ts'
import type { XdrReader } from './xdr.ts'

/** `virDomainEventID` values of the events this client decodes. */
export const domainEventIds = {
  lifecycle: 0,
  'device-removed': 15,
  'device-added': 19,
  'device-removal-failed': 22,
} as const

/** The events {@link LibvirtConnection.subscribe} accepts. */
export type DomainEventKind = keyof typeof domainEventIds

/** `virDomainEventType`, index → name. */
export const lifecycleEventNames = ['defined', 'undefined', 'started', 'suspended', 'resumed', 'stopped', 'shutdown', 'pmsuspended', 'crashed'] as const

/** A domain started, stopped, was defined… `event` and `detail` are libvirt's numbers (`virDomainEventType` and its detail enum). */
export interface LifecycleEvent {
  readonly type: 'lifecycle'
  readonly callbackId: number
  readonly domain: DomainRef
  readonly event: number
  /** `lifecycleEventNames[event]`, or `unknown` for a newer value. */
  readonly eventName: string
  readonly detail: number
}

/** A device was hot-plugged (`device-added`), its unplug completed (`device-removed`), or the guest refused it (`device-removal-failed`). */
export interface DeviceEvent {
  readonly type: 'device-added' | 'device-removed' | 'device-removal-failed'
  readonly callbackId: number
  readonly domain: DomainRef
  /** The device alias (`ua-…` for user aliases). */
  readonly alias: string
}

export type DomainEvent = LifecycleEvent | DeviceEvent

/** The event type each kind delivers. */
export type DomainEventOf<K extends DomainEventKind> = K extends 'lifecycle' ? LifecycleEvent : DeviceEvent & { readonly type: K }

/** Decodes an event MESSAGE; `undefined` for a procedure this client does not handle. */
export function decodeDomainEvent(procedure: number, reader: XdrReader): DomainEvent | undefined {
  switch (procedure) {
    case procedures.DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
      const callbackId = reader.int()
      const domain = readDomain(reader)
      const event = reader.int()
      const detail = reader.int()
      reader.end()
      return { type: 'lifecycle', callbackId, domain, event, eventName: lifecycleEventNames[event] ?? 'unknown', detail }
    }
    case procedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED:
    case procedures.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED:
    case procedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED: {
      const callbackId = reader.int()
      const domain = readDomain(reader)
      const alias = reader.string(4_194_304)
      reader.end()
      const type = procedure === procedures.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED ? 'device-removed' : procedure === procedures.DOMAIN_EVENT_CALLBACK_DEVICE_ADDED ? 'device-added' : 'device-removal-failed'
      return { type, callbackId, domain, alias }
    }
    default:
      return undefined
  }
}

/**
 * One registration with libvirtd. Events go to the `listener` given at subscribe time (so none is
 * missed between the server's reply and your code) or, without one, into a bounded queue read with
 * `for await`. `close()` deregisters; a dropped connection ends iteration with its error.
 */
export interface DomainEventSubscription<E extends DomainEvent = DomainEvent> extends AsyncIterable<E> {
  readonly kind: DomainEventKind
  /** The callbackID libvirtd assigned. */
  readonly callbackId: number
  /** Events dropped because the queue was full (only without a listener). */
  readonly dropped: number
  /** Deregisters (CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY) and ends iteration. Idempotent. */
  close(): Promise<void>
}

/** The subscription object the connection fills. */
export class Subscription<E extends DomainEvent> implements DomainEventSubscription<E> {
  readonly kind: DomainEventKind
  callbackId = -1
  dropped = 0
  readonly #listener: ((event: E) => void) | undefined
  readonly #maxQueued: number
  readonly #queue: E[] = []
  readonly #waiters: Array<{ resolve: (result: IteratorResult<E>) => void; reject: (error: Error) => void }> = []
  #ended: { error?: Error } | undefined
  #closing: Promise<void> | undefined
  readonly #deregister: (subscription: Subscription<E>) => Promise<void>

  constructor(kind: DomainEventKind, options: { listener?: ((event: E) => void) | undefined; maxQueued: number; deregister: (subscription: Subscription<E>) => Promise<void> }) {
    this.kind = kind
    this.#listener = options.listener
    this.#maxQueued = options.maxQueued
    this.#deregister = options.deregister
  }

  /** Called by the connection for each event with this callbackID. */
  deliver(event: E): void {
    if (this.#ended) return
    if (this.#listener) {
      try {
        this.#listener(event)
      } catch (error) {
        // A throwing listener is the caller's bug: surface it, as EventEmitter would, without breaking the read loop.
        queueMicrotask(() => {
          throw error
        })
      }
      return
    }
    const waiter = this.#waiters.shift()
    if (waiter) {
      waiter.resolve({ value: event, done: false })
      return
    }
    this.#queue.push(event)
    if (this.#queue.length > this.#maxQueued) {
      this.#queue.shift()
      this.dropped++
    }
  }

  /** Ends iteration: with `error` after the queue is drained, or done. */
  end(error?: Error): void {
    if (this.#ended) return
    this.#ended = error ? { error } : {}
    for (const waiter of this.#waiters.splice(0)) {
      if (error) waiter.reject(error)
      else waiter.resolve({ value: undefined, done: true })
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#queue.length = 0
      this.end()
      await this.#deregister(this)
    })()
    return this.#closing
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => {
        const event = this.#queue.shift()
        if (event) return Promise.resolve({ value: event, done: false })
        if (this.#ended) return this.#ended.error ? Promise.reject(this.#ended.error) : Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
      },
      return: async () => {
        await this.close()
        return { value: undefined, done: true }
      },
    }
  }
}
