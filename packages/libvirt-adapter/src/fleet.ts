// Many hosts at once: run an operation on each with bounded concurrency and get one outcome per host
// (a failure is data, never a reason to stop the others), or hold connections to all of them and read
// their domain events as one stream.
import { VirtunedError } from '@virtuned/xml-core'
import { createConnection, type ConnectionOptions, type LibvirtConnection } from './connection.ts'
import { LibvirtUsageError } from './errors.ts'
import type { DomainEvent, DomainEventKind, DomainEventSubscription } from './events.ts'

/** One host of a fleet: a libvirt URI, a name to report it by, and tags to select it. */
export interface FleetHost {
  readonly name: string
  readonly uri: string
  readonly tags?: readonly string[]
}

/** Why a host failed, as data (`code` is the error's stable code; `internal` for a bug). */
export interface HostFailure {
  readonly code: string
  readonly message: string
  readonly note?: string
}

/** What happened on one host. `ms` counts from the connect to the end of the operation. */
export type HostOutcome<T> =
  | { readonly host: FleetHost; readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly host: FleetHost; readonly ok: false; readonly error: HostFailure; readonly cause: unknown; readonly ms: number }

/** Options of {@link runOnHosts} and {@link connectMany}: the connection options for every host, plus the fleet's own. */
export interface FleetOptions extends ConnectionOptions {
  /** Hosts worked on at the same time (connections open at once). Default 16. */
  readonly concurrency?: number
  /** Stops starting hosts once aborted; those not started end as `fleet-aborted`. */
  readonly signal?: AbortSignal
  /** Called as each host finishes, in completion order (for progress). */
  readonly onOutcome?: (outcome: HostOutcome<unknown>, done: number, total: number) => void
}

/** An error as a one-line, JSON-safe failure. */
export function hostFailure(error: unknown): HostFailure {
  // One line per host, whatever the error's own layout (a list of policy conflicts has several).
  const line = (text: string) => text.trim().replace(/:?\s*\n\s*/g, (m) => (m.startsWith(':') ? ': ' : '; '))
  if (error instanceof VirtunedError) return { code: error.code, message: line(error.message), ...(error.note ? { note: line(error.note) } : {}) }
  return { code: 'internal', message: line(error instanceof Error ? error.message : String(error)) }
}

function concurrencyOf(options: FleetOptions, total: number): number {
  const value = options.concurrency ?? 16
  if (!Number.isInteger(value) || value < 1) throw new LibvirtUsageError('libvirt-bad-argument', `Unexpected concurrency ${value}, expected an integer ≥ 1`)
  return Math.max(1, Math.min(value, total))
}

/** Runs `work(index)` for 0…total-1 with at most `limit` at a time. */
async function pool(total: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < total) await work(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, total) }, worker))
}

const aborted: HostFailure = { code: 'fleet-aborted', message: 'Not started: the run was aborted', note: 'Run again for the hosts listed as aborted.' }

/**
 * Connects to each host, runs `task` on the connection, and closes it — at most `concurrency` hosts at
 * a time. Resolves with one outcome per host, in the order of `hosts`; never rejects for a host's
 * failure (refused certificate, unreachable host, a libvirt error, a dropped connection: each is that
 * host's outcome).
 */
export async function runOnHosts<T>(hosts: readonly FleetHost[], task: (connection: LibvirtConnection, host: FleetHost) => Promise<T>, options: FleetOptions = {}): Promise<HostOutcome<T>[]> {
  const outcomes = new Array<HostOutcome<T>>(hosts.length)
  const limit = concurrencyOf(options, hosts.length)
  const { concurrency: _c, signal, onOutcome, ...connection } = options
  let done = 0
  await pool(hosts.length, limit, async (index) => {
    const host = hosts[index]!
    const start = performance.now()
    let outcome: HostOutcome<T>
    if (signal?.aborted) {
      outcome = { host, ok: false, error: aborted, cause: signal.reason, ms: 0 }
    } else {
      let conn: LibvirtConnection | undefined
      try {
        conn = await createConnection(host.uri, connection)
        const value = await task(conn, host)
        outcome = { host, ok: true, value, ms: performance.now() - start }
      } catch (error) {
        outcome = { host, ok: false, error: hostFailure(error), cause: error, ms: performance.now() - start }
      } finally {
        await conn?.close()
      }
    }
    outcomes[index] = outcome
    done++
    onOutcome?.(outcome as HostOutcome<unknown>, done, hosts.length)
  })
  return outcomes
}

/** An event from one host of a {@link Fleet}, or the news that a host's connection ended. */
export type FleetEvent =
  | { readonly type: 'event'; readonly host: FleetHost; readonly event: DomainEvent }
  | { readonly type: 'host-lost'; readonly host: FleetHost; readonly error: HostFailure }

/** Connections to many hosts, opened by {@link connectMany}. */
export interface Fleet {
  /** One entry per host, in the order given: the open connection, or why it could not be opened. */
  readonly hosts: ReadonlyArray<{ readonly host: FleetHost; readonly ok: true; readonly connection: LibvirtConnection } | { readonly host: FleetHost; readonly ok: false; readonly error: HostFailure; readonly cause: unknown }>
  /** The open connections. */
  readonly connections: ReadonlyArray<{ readonly host: FleetHost; readonly connection: LibvirtConnection }>
  /**
   * Subscribes to one kind of domain event on every open connection and merges them into one stream,
   * each tagged with its host. A host whose connection drops yields one `host-lost` item and the stream
   * goes on with the others; it ends when every host's subscription has ended, or on `close()`.
   * Beyond `maxQueued` unread items (default 10 000) the oldest are dropped and counted in `dropped`.
   */
  events(kind: DomainEventKind, options?: { readonly maxQueued?: number }): Promise<FleetEventStream>
  /** Closes every connection (and so every stream). Idempotent. */
  close(): Promise<void>
}

/** The merged stream of {@link Fleet.events}. */
export interface FleetEventStream extends AsyncIterable<FleetEvent> {
  /** Items dropped because the queue was full. */
  readonly dropped: number
  /** Hosts whose subscription could not be made, with why. */
  readonly failed: ReadonlyArray<{ readonly host: FleetHost; readonly error: HostFailure }>
  /** Ends the stream and deregisters on every host. */
  close(): Promise<void>
}

/**
 * Opens connections to every host (at most `concurrency` connects at a time) and keeps them open.
 * Hosts that cannot be reached are reported in `hosts`, not thrown.
 */
export async function connectMany(hosts: readonly FleetHost[], options: FleetOptions = {}): Promise<Fleet> {
  const limit = concurrencyOf(options, hosts.length)
  const { concurrency: _c, signal, onOutcome, ...connection } = options
  const entries = new Array<Fleet['hosts'][number]>(hosts.length)
  let done = 0
  await pool(hosts.length, limit, async (index) => {
    const host = hosts[index]!
    const start = performance.now()
    try {
      if (signal?.aborted) throw signal.reason
      const conn = await createConnection(host.uri, connection)
      entries[index] = { host, ok: true, connection: conn }
      done++
      onOutcome?.({ host, ok: true, value: conn, ms: performance.now() - start }, done, hosts.length)
    } catch (error) {
      const failure = signal?.aborted && !(error instanceof VirtunedError) ? aborted : hostFailure(error)
      entries[index] = { host, ok: false, error: failure, cause: error }
      done++
      onOutcome?.({ host, ok: false, error: failure, cause: error, ms: performance.now() - start }, done, hosts.length)
    }
  })
  const open = entries.flatMap((e) => (e.ok ? [{ host: e.host, connection: e.connection }] : []))
  const streams = new Set<FleetEventStream>()
  let closing: Promise<void> | undefined
  return {
    hosts: entries,
    connections: open,
    async events(kind, eventOptions = {}) {
      const stream = await mergedEvents(open, kind, eventOptions.maxQueued ?? 10_000)
      streams.add(stream)
      return stream
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...streams].map((s) => s.close()))
        await Promise.all(open.map((o) => o.connection.close()))
      })()
      return closing
    },
  }
}

async function mergedEvents(open: ReadonlyArray<{ readonly host: FleetHost; readonly connection: LibvirtConnection }>, kind: DomainEventKind, maxQueued: number): Promise<FleetEventStream> {
  const queue: FleetEvent[] = []
  const waiters: Array<(result: IteratorResult<FleetEvent>) => void> = []
  const failed: Array<{ host: FleetHost; error: HostFailure }> = []
  let dropped = 0
  let live = 0
  let ended = false
  const push = (item: FleetEvent) => {
    if (ended) return
    const waiter = waiters.shift()
    if (waiter) return waiter({ value: item, done: false })
    queue.push(item)
    if (queue.length > maxQueued) {
      queue.shift()
      dropped++
    }
  }
  const finishIfIdle = () => {
    if (live > 0 || ended) return
    ended = true
    for (const waiter of waiters.splice(0)) waiter({ value: undefined, done: true })
  }
  const subscriptions: DomainEventSubscription[] = []
  await Promise.all(open.map(async ({ host, connection }) => {
    try {
      const subscription = await connection.subscribe(kind, { listener: (event) => push({ type: 'event', host, event }) })
      subscriptions.push(subscription)
      live++
      void connection.closed.then((reason) => {
        if (reason.code !== 'libvirt-closed') push({ type: 'host-lost', host, error: hostFailure(reason) })
        live--
        finishIfIdle()
      })
    } catch (error) {
      failed.push({ host, error: hostFailure(error) })
    }
  }))
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      ended = true
      queue.length = 0
      for (const waiter of waiters.splice(0)) waiter({ value: undefined, done: true })
      await Promise.all(subscriptions.map((s) => s.close().catch(() => undefined)))
    })()
    return closing
  }
  finishIfIdle()
  return {
    get dropped() {
      return dropped
    },
    failed,
    close,
    [Symbol.asyncIterator]() {
      return {
        next: () => {
          const item = queue.shift()
          if (item) return Promise.resolve({ value: item, done: false })
          if (ended) return Promise.resolve({ value: undefined, done: true })
          return new Promise((resolve) => waiters.push(resolve))
        },
        return: async () => {
          await close()
          return { value: undefined, done: true }
        },
      }
    },
  }
}
