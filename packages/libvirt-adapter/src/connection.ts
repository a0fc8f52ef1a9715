// A connection to libvirtd: open (auth list, polkit, CONNECT_OPEN, keepalive), typed procedures,
// domain event subscriptions, and a clean close.
import { RpcClient, type KeepaliveOptions } from './_rpc.ts'
import { detachAndWait as runDetachAndWait, type DetachOptions, type DetachResult } from './detach.ts'
import { LibvirtConnectionError, LibvirtProtocolError, LibvirtUsageError } from './errors.ts'
import { attachPlan, detachPlan, type AttachPlanLike, type AttachResult, type DetachPlanLike, type RefusedPlan } from './plans.ts'
import { Subscription, decodeDomainEvent, domainEventIds, type DomainEvent, type DomainEventKind, type DomainEventOf, type DomainEventSubscription } from './events.ts'
import {
  AUTH_TYPE_LIST_MAX,
  DOMAIN_LIST_MAX,
  STRING_MAX,
  UUID_LENGTH,
  authTypes,
  features,
  procedures,
  readDomain,
  uuidFromString,
  uuidToString,
  writeDomain,
  writeOptionalString,
  type DomainRef,
} from './protocol.ts'
import { defaultTransport } from './remote.ts'
import type { Transport, TransportFactory } from './transport.ts'
import { parseLibvirtUri, type ConnectTarget } from './uri.ts'
import type { XdrReader, XdrWriter } from './xdr.ts'

/** libvirt's flag values for the procedures this client speaks (libvirt-domain.h), as data. */
export const libvirtFlags = {
  /** `virDomainModificationImpact` / `virDomainDeviceModifyFlags`. */
  affect: { current: 0, live: 1, config: 2 },
  /** `virDomainXMLFlags` for getXMLDesc. */
  xml: { secure: 1, inactive: 2, updateCpu: 4, migratable: 8 },
  /** `virDomainDefineFlags`. */
  define: { validate: 1 },
  /** `virDomainUndefineFlagsValues`. */
  undefine: { managedSave: 1, snapshotsMetadata: 2, nvram: 4, keepNvram: 8, checkpointsMetadata: 16, tpm: 32, keepTpm: 64 },
  /** `virConnectListAllDomainsFlags`. */
  listDomains: {
    active: 1, inactive: 2, persistent: 4, transient: 8, running: 16, paused: 32, shutoff: 64, other: 128,
    managedSave: 256, noManagedSave: 512, autostart: 1024, noAutostart: 2048, hasSnapshot: 4096, noSnapshot: 8192, hasCheckpoint: 16384, noCheckpoint: 32768,
  },
  /** `virConnectFlags`. */
  connect: { readOnly: 1 },
} as const

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  /** A transport, or a factory for one; by default {@link createRemoteTransport}'s: unix, tcp, tls and ssh (ext refused). */
  readonly transport?: Transport | TransportFactory
  /** Time to establish the transport. Default 10 000 ms. */
  readonly connectTimeoutMs?: number
  /** Default per-call timeout; each call can override it. Default 60 000 ms. */
  readonly callTimeoutMs?: number
  /** Ping after `intervalMs` of silence and close as dead after `count` unanswered pings (libvirt's defaults: 5000 ms, 5). `false` disables pinging; pings from libvirtd are always answered. */
  readonly keepalive?: Partial<KeepaliveOptions> | false
  /** Open read-only (`VIR_CONNECT_RO`). */
  readonly readOnly?: boolean
  /** How long close() waits for CONNECT_CLOSE's reply and the transport to end. Default 2000 ms. */
  readonly closeTimeoutMs?: number
  /** Queue size of a subscription read with `for await` (oldest events are dropped beyond it). Default 1000. */
  readonly maxQueuedEvents?: number
}

/** Per-call options. */
export interface CallOptions {
  /** Overrides the connection's `callTimeoutMs`. */
  readonly timeoutMs?: number
}

/** `live` and/or `config` (neither means libvirt's `VIR_DOMAIN_AFFECT_CURRENT`). */
export interface DeviceFlags extends CallOptions {
  readonly live?: boolean
  readonly config?: boolean
}

export interface DomainCapabilitiesQuery extends CallOptions {
  readonly emulator?: string
  readonly arch?: string
  readonly machine?: string
  readonly virttype?: string
}

export interface XmlDescOptions extends CallOptions {
  /** The persistent configuration (`VIR_DOMAIN_XML_INACTIVE`) instead of the live one. */
  readonly inactive?: boolean
  /** The live XML (the default); `live: true` with `inactive: true` is an error. */
  readonly live?: boolean
  /** Include security-sensitive data such as passwords (`VIR_DOMAIN_XML_SECURE`). */
  readonly security?: boolean
  readonly migratable?: boolean
}

export interface SubscribeOptions<E> extends CallOptions {
  /** Only this domain's events (filtered by libvirtd). */
  readonly domain?: DomainRef
  /** Receives every event synchronously, from the moment libvirtd registered the callback. */
  readonly listener?: (event: E) => void
}

/**
 * The operations hot-plug plans are run with (`attach(plan)` / `detach(plan)`) — the seam between
 * plans and the wire. A fake of this interface is enough to test plan execution without libvirtd.
 */
export interface HotplugTarget {
  attachDevice(domain: DomainRef, xml: string, options?: DeviceFlags): Promise<void>
  detachAndWait(domain: DomainRef, alias: string, options?: DetachOptions): Promise<DetachResult>
  getXMLDesc(domain: DomainRef, options?: XmlDescOptions): Promise<string>
}

/** One CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY on libvirtd and the local subscriptions sharing it. */
interface Registration {
  readonly key: string
  callbackId: number
  readonly subscribers: Set<Subscription<DomainEvent>>
  /** Settles when libvirtd answered the registration. */
  ready: Promise<void>
}

function deviceFlags(options: DeviceFlags): number {
  return (options.live ? libvirtFlags.affect.live : 0) | (options.config ? libvirtFlags.affect.config : 0)
}

function timeout(options: CallOptions): { timeoutMs?: number } {
  return options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }
}

const none = (): undefined => undefined

/** A libvirt version number (`major * 1 000 000 + minor * 1 000 + micro`) as `major.minor.micro`. */
export function formatVersion(version: number): string {
  return `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1000) % 1000}.${version % 1000}`
}

/** An open connection to libvirtd. Create it with {@link createConnection}. */
export class LibvirtConnection implements HotplugTarget {
  /** The parsed URI. */
  readonly target: ConnectTarget
  /** Resolves (never rejects) with the reason once the connection has ended, whether closed or lost. */
  readonly closed: Promise<LibvirtConnectionError | LibvirtProtocolError>
  readonly #rpc: RpcClient
  /** One server-side registration per (event, domain filter), shared by every local subscription to it. */
  readonly #registrations = new Map<string, Registration>()
  /** The same registrations by the callbackID libvirtd assigned (what events carry). */
  readonly #byCallbackId = new Map<number, Registration>()
  /** Deregistrations in flight, by key: a new registration of that key waits for them. */
  readonly #releasing = new Map<string, Promise<void>>()
  readonly #closeTimeoutMs: number
  readonly #maxQueued: number

  /** @internal Use {@link createConnection}. */
  readonly #uri: string
  readonly #options: ConnectionOptions

  constructor(transport: Transport, target: ConnectTarget, options: ConnectionOptions, uri = '') {
    this.target = target
    this.#uri = uri
    this.#options = options
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2000
    this.#maxQueued = options.maxQueuedEvents ?? 1000
    let ended!: (error: LibvirtConnectionError | LibvirtProtocolError) => void
    this.closed = new Promise((resolve) => (ended = resolve))
    const keepalive = options.keepalive === false ? false : { intervalMs: options.keepalive?.intervalMs ?? 5000, count: options.keepalive?.count ?? 5 }
    this.#rpc = new RpcClient(transport, {
      callTimeoutMs: options.callTimeoutMs ?? 60_000,
      keepalive,
      onEvent: (procedure, reader) => this.#onEvent(procedure, reader),
      onEnd: (error) => {
        const subscriptions = [...this.#registrations.values()].flatMap((r) => [...r.subscribers])
        this.#registrations.clear()
        this.#byCallbackId.clear()
        for (const subscription of subscriptions) subscription.end(error.code === 'libvirt-closed' ? undefined : error)
        ended(error)
      },
    })
  }

  /** Whether calls can be made (false once close() started or the connection dropped). */
  get isOpen(): boolean {
    return this.#rpc.isOpen
  }

  /**
   * Calls any remote procedure: `encode` writes the `_args` struct, `decode` reads the `_ret` struct.
   * For procedures this class has no method for yet (numbers in `remote_protocol.x`).
   */
  call<T>(procedure: number, encode: ((writer: XdrWriter) => void) | undefined, decode: (reader: XdrReader) => T, options: CallOptions = {}): Promise<T> {
    return this.#rpc.call(procedure, encode, decode, timeout(options))
  }

  /** @internal The opening handshake. */
  async open(options: ConnectionOptions): Promise<void> {
    const types = await this.#rpc.call(procedures.AUTH_LIST, undefined, (r) => r.array(AUTH_TYPE_LIST_MAX, (x) => x.int()))
    if (types.length > 0 && !types.includes(authTypes.none)) {
      if (!types.includes(authTypes.polkit)) {
        throw new LibvirtUsageError('libvirt-auth-unsupported', `libvirtd asks for authentication ${types.map((t) => (t === authTypes.sasl ? 'SASL' : String(t))).join(', ')}, which this client does not speak`)
      }
      await this.#rpc.call(procedures.AUTH_POLKIT, undefined, (r) => r.int())
    }
    await this.#rpc.call(procedures.CONNECT_OPEN, (w) => {
      writeOptionalString(w, this.target.name)
      w.uint(options.readOnly ? libvirtFlags.connect.readOnly : 0)
    }, none)
    if (options.keepalive !== false) {
      const supported = await this.#rpc.call(procedures.CONNECT_SUPPORTS_FEATURE, (w) => w.int(features.PROGRAM_KEEPALIVE), (r) => r.int())
      if (supported === 1) this.#rpc.startKeepalive()
    }
  }

  /** The hypervisor's version (`virConnectGetVersion`), e.g. 7002022 for QEMU 7.2.22 (see {@link formatVersion}). */
  getVersion(options: CallOptions = {}): Promise<number> {
    return this.#rpc.call(procedures.CONNECT_GET_VERSION, undefined, (r) => Number(r.uhyper()), timeout(options))
  }

  /** libvirt's own version (`virConnectGetLibVersion`), e.g. 9000000 for 9.0.0. */
  getLibVersion(options: CallOptions = {}): Promise<number> {
    return this.#rpc.call(procedures.CONNECT_GET_LIB_VERSION, undefined, (r) => Number(r.uhyper()), timeout(options))
  }

  /** The host's name as libvirtd sees it. */
  getHostname(options: CallOptions = {}): Promise<string> {
    return this.#rpc.call(procedures.CONNECT_GET_HOSTNAME, undefined, (r) => r.string(STRING_MAX), timeout(options))
  }

  /** The host capabilities XML (`<capabilities>`). */
  getCapabilities(options: CallOptions = {}): Promise<string> {
    return this.#rpc.call(procedures.CONNECT_GET_CAPABILITIES, undefined, (r) => r.string(STRING_MAX), timeout(options))
  }

  /** The domain capabilities XML (`<domainCapabilities>`) for an emulator/arch/machine/virttype (each optional). */
  getDomainCapabilities(query: DomainCapabilitiesQuery = {}): Promise<string> {
    return this.#rpc.call(procedures.CONNECT_GET_DOMAIN_CAPABILITIES, (w) => {
      writeOptionalString(w, query.emulator)
      writeOptionalString(w, query.arch)
      writeOptionalString(w, query.machine)
      writeOptionalString(w, query.virttype)
      w.uint(0)
    }, (r) => r.string(STRING_MAX), timeout(query))
  }

  /** Domains matching `flags` (see `libvirtFlags.listDomains`; 0 = all). */
  listAllDomains(flags = 0, options: CallOptions = {}): Promise<DomainRef[]> {
    return this.#rpc.call(procedures.CONNECT_LIST_ALL_DOMAINS, (w) => w.int(1).uint(flags), (r) => {
      const domains = r.array(DOMAIN_LIST_MAX, readDomain, 24)
      r.uint()
      return domains
    }, timeout(options))
  }

  /** The domain with this name; a LibvirtError `VIR_ERR_NO_DOMAIN` if there is none. */
  lookupDomainByName(name: string, options: CallOptions = {}): Promise<DomainRef> {
    return this.#rpc.call(procedures.DOMAIN_LOOKUP_BY_NAME, (w) => w.string(name, STRING_MAX), readDomain, timeout(options))
  }

  /** The domain with this UUID (string, with or without dashes, or 16 bytes). */
  lookupDomainByUUID(uuid: string | Uint8Array, options: CallOptions = {}): Promise<DomainRef> {
    let bytes: Uint8Array
    try {
      bytes = typeof uuid === 'string' ? uuidFromString(uuid) : uuid
    } catch (error) {
      return Promise.reject(new LibvirtUsageError('libvirt-bad-argument', (error as Error).message))
    }
    if (bytes.length !== UUID_LENGTH) return Promise.reject(new LibvirtUsageError('libvirt-bad-argument', `Unexpected UUID of ${bytes.length} bytes, expected ${UUID_LENGTH}`))
    return this.#rpc.call(procedures.DOMAIN_LOOKUP_BY_UUID, (w) => w.fixedOpaque(bytes, UUID_LENGTH), readDomain, timeout(options))
  }

  /** Defines (or redefines) a persistent domain (`virDomainDefineXMLFlags`); `validate` checks it against libvirt's schema. */
  defineXML(xml: string, options: { readonly validate?: boolean } & CallOptions = {}): Promise<DomainRef> {
    return this.#rpc.call(procedures.DOMAIN_DEFINE_XML_FLAGS, (w) => w.string(xml, STRING_MAX).uint(options.validate ? libvirtFlags.define.validate : 0), readDomain, timeout(options))
  }

  /** Removes a persistent domain's configuration; `nvram` also deletes its NVRAM file. `flags` adds raw `libvirtFlags.undefine` bits. */
  undefine(domain: DomainRef, options: { readonly nvram?: boolean; readonly keepNvram?: boolean; readonly flags?: number } & CallOptions = {}): Promise<void> {
    // (`nvram` deletes the file the domain's <nvram> names, `keepNvram` leaves it; a domain with an existing NVRAM
    // file and neither is refused: "cannot undefine domain with nvram")
    if (options.nvram && options.keepNvram) return Promise.reject(new LibvirtUsageError('libvirt-bad-argument', 'undefine: `nvram` (delete the NVRAM file) and `keepNvram` (keep it) exclude each other'))
    const flags = (options.nvram ? libvirtFlags.undefine.nvram : 0) | (options.keepNvram ? libvirtFlags.undefine.keepNvram : 0) | (options.flags ?? 0)
    return this.#rpc.call(procedures.DOMAIN_UNDEFINE_FLAGS, (w) => {
      writeDomain(w, domain)
      w.uint(flags)
    }, none, timeout(options))
  }

  /** Starts a defined domain; resolves with its reference, now with its running `id`. */
  create(domain: DomainRef, options: CallOptions = {}): Promise<DomainRef> {
    return this.#rpc.call(procedures.DOMAIN_CREATE_WITH_FLAGS, (w) => {
      writeDomain(w, domain)
      w.uint(0)
    }, readDomain, timeout(options))
  }

  /** Stops a domain at once (pulls the plug). */
  destroy(domain: DomainRef, options: CallOptions = {}): Promise<void> {
    return this.#rpc.call(procedures.DOMAIN_DESTROY, (w) => writeDomain(w, domain), none, timeout(options))
  }

  /** Asks the guest to shut down (ACPI); returns before it has. Watch the `lifecycle` event. */
  shutdown(domain: DomainRef, options: CallOptions = {}): Promise<void> {
    return this.#rpc.call(procedures.DOMAIN_SHUTDOWN, (w) => writeDomain(w, domain), none, timeout(options))
  }

  /** The domain XML: live by default, `inactive` for the persistent configuration. */
  getXMLDesc(domain: DomainRef, options: XmlDescOptions = {}): Promise<string> {
    if (options.live && options.inactive) return Promise.reject(new LibvirtUsageError('libvirt-bad-argument', 'getXMLDesc: `live` and `inactive` exclude each other'))
    const flags = (options.inactive ? libvirtFlags.xml.inactive : 0) | (options.security ? libvirtFlags.xml.secure : 0) | (options.migratable ? libvirtFlags.xml.migratable : 0)
    return this.#rpc.call(procedures.DOMAIN_GET_XML_DESC, (w) => {
      writeDomain(w, domain)
      w.uint(flags)
    }, (r) => r.string(STRING_MAX), timeout(options))
  }

  /** Hot-plugs (`live`) and/or adds to the configuration (`config`) one device (`virDomainAttachDeviceFlags`). */
  attachDevice(domain: DomainRef, xml: string, options: DeviceFlags = {}): Promise<void> {
    return this.#deviceCall(procedures.DOMAIN_ATTACH_DEVICE_FLAGS, domain, xml, options)
  }

  /** Requests removal of the device described by `xml` (`virDomainDetachDeviceFlags`). Live removal completes when the guest agrees. */
  detachDevice(domain: DomainRef, xml: string, options: DeviceFlags = {}): Promise<void> {
    return this.#deviceCall(procedures.DOMAIN_DETACH_DEVICE_FLAGS, domain, xml, options)
  }

  /** Requests removal of the device with this alias (`virDomainDetachDeviceAlias`, libvirt ≥ 4.4). Asynchronous: wait for `device-removed`, or use {@link detachAndWait}. */
  detachDeviceAlias(domain: DomainRef, alias: string, options: DeviceFlags = {}): Promise<void> {
    return this.#deviceCall(procedures.DOMAIN_DETACH_DEVICE_ALIAS, domain, alias, options)
  }

  /** Changes a device in place, e.g. a CD-ROM's media (`virDomainUpdateDeviceFlags`). */
  updateDevice(domain: DomainRef, xml: string, options: DeviceFlags = {}): Promise<void> {
    return this.#deviceCall(procedures.DOMAIN_UPDATE_DEVICE_FLAGS, domain, xml, options)
  }

  #deviceCall(procedure: number, domain: DomainRef, text: string, options: DeviceFlags): Promise<void> {
    return this.#rpc.call(procedure, (w) => {
      writeDomain(w, domain)
      w.string(text, STRING_MAX).uint(deviceFlags(options))
    }, none, timeout(options))
  }

  /**
   * Registers for domain events of one kind (for one domain, or all). Subscribe *before* the request
   * whose outcome you wait for, so a fast event is never missed.
   *
   * libvirtd accepts one registration per event and domain filter on a connection (a second one is
   * refused with "event callback already tracked"), so, as libvirt's own client does, subscriptions
   * with the same kind and filter share one registration: it is made by the first and removed with
   * the last, and each event goes to all of them.
   */
  async subscribe<K extends DomainEventKind>(kind: K, options: SubscribeOptions<DomainEventOf<K>> = {}): Promise<DomainEventSubscription<DomainEventOf<K>>> {
    const eventId = domainEventIds[kind]
    if (eventId === undefined) throw new LibvirtUsageError('libvirt-bad-argument', `Unexpected event kind \`${String(kind)}\`, expected one of ${Object.keys(domainEventIds).join(', ')}`)
    const key = `${eventId}:${options.domain ? uuidToString(options.domain.uuid) : '*'}`
    const subscription = new Subscription<DomainEventOf<K>>(kind, {
      listener: options.listener,
      maxQueued: this.#maxQueued,
      deregister: (s) => this.#release(key, s as unknown as Subscription<DomainEvent>),
    })
    const local = subscription as unknown as Subscription<DomainEvent>
    try {
      for (let releasing = this.#releasing.get(key); releasing; releasing = this.#releasing.get(key)) await releasing
      let registration = this.#registrations.get(key)
      if (!registration) {
        const created: Registration = { key, callbackId: -1, subscribers: new Set(), ready: Promise.resolve() }
        created.ready = this.#rpc.call(procedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, (w) => {
          w.int(eventId)
          w.optional(options.domain, writeDomain)
        }, (r) => {
          // Runs as the reply is read, before any later packet: the first event finds its subscribers.
          created.callbackId = r.int()
          this.#byCallbackId.set(created.callbackId, created)
        }, timeout(options)).catch((error: unknown) => {
          if (this.#registrations.get(key) === created) this.#registrations.delete(key)
          if (created.callbackId >= 0) this.#byCallbackId.delete(created.callbackId)
          throw error
        })
        this.#registrations.set(key, created)
        registration = created
      }
      // Joined before the reply is read, so no event after the registration is missed.
      registration.subscribers.add(local)
      await registration.ready
      subscription.callbackId = registration.callbackId
    } catch (error) {
      this.#registrations.get(key)?.subscribers.delete(local)
      subscription.end()
      throw error
    }
    return subscription
  }

  /** A subscription closed: leave its registration, and deregister it on libvirtd when it was the last. */
  async #release(key: string, subscription: Subscription<DomainEvent>): Promise<void> {
    const registration = this.#registrations.get(key)
    if (!registration || !registration.subscribers.delete(subscription) || registration.subscribers.size > 0) return
    this.#registrations.delete(key)
    this.#byCallbackId.delete(registration.callbackId)
    if (!this.#rpc.isOpen) return
    const releasing = this.#rpc.call(procedures.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, (w) => w.int(registration.callbackId), none).catch((error: unknown) => {
      if (!(error instanceof LibvirtConnectionError)) throw error
    })
    const settled = releasing.then(none, none).finally(() => {
      if (this.#releasing.get(key) === settled) this.#releasing.delete(key)
    })
    this.#releasing.set(key, settled)
    await releasing
  }

  #onEvent(procedure: number, reader: XdrReader): void {
    const event = decodeDomainEvent(procedure, reader)
    if (!event) return
    const registration = this.#byCallbackId.get(event.callbackId)
    if (!registration) return
    for (const subscription of [...registration.subscribers]) subscription.deliver(event)
  }

  /**
   * Detaches a device by alias and waits until the guest has let it go: subscribes to
   * `device-removed` / `device-removal-failed` first, sends `detachDeviceAlias` (live), retries a
   * bounded number of times, and on success returns the new live XML. Outcomes are data; only
   * libvirt errors other than "already in the process of unplug" are thrown.
   */
  detachAndWait(domain: DomainRef, alias: string, options: DetachOptions = {}): Promise<DetachResult> {
    return runDetachAndWait(this, domain, alias, options)
  }

  /**
   * Runs an attach plan (`@virtuned/hotplug`'s `planAttach` result): sends its `xml` with its `flags`
   * (`live` by default), then reads the domain XML back (live, or the persistent one for `config`) and
   * says whether it has the plan's alias. A plan with `ok: false` is refused (`libvirt-plan-refused`)
   * without sending anything.
   */
  attach(domain: DomainRef, plan: AttachPlanLike | RefusedPlan, options: CallOptions = {}): Promise<AttachResult> {
    return attachPlan(this, domain, plan, timeout(options))
  }

  /** Runs a detach plan (`planDetach`'s result): {@link detachAndWait} with its alias. */
  detach(domain: DomainRef, plan: DetachPlanLike | RefusedPlan, options: DetachOptions = {}): Promise<DetachResult> {
    return detachPlan(this, domain, plan, options)
  }

  /**
   * Closes the connection: pending calls are rejected with `libvirt-closed`, libvirtd is told
   * (CONNECT_CLOSE), subscriptions end, and the socket is released. Later calls fail with
   * `libvirt-closed`. Idempotent.
   */
  /**
   * A new connection to the same URI with the same options (this one is closed first if it is
   * still open): what to do after `closed` reports a lost connection or a keepalive timeout.
   * Subscriptions are not carried over; subscribe again on the new connection.
   * @throws LibvirtUsageError `libvirt-bad-argument` when the connection was made from a transport
   *   instance (give a transport factory to be able to reconnect).
   */
  async reconnect(): Promise<LibvirtConnection> {
    if (this.#options.transport !== undefined && typeof this.#options.transport !== 'function') {
      throw new LibvirtUsageError('libvirt-bad-argument', 'Cannot reconnect a connection made from a transport instance: pass a transport factory to createConnection()')
    }
    if (this.isOpen) await this.close()
    return createConnection(this.#uri, this.#options)
  }

  async close(): Promise<void> {
    await this.#rpc.close(() => this.#rpc.call(procedures.CONNECT_CLOSE, undefined, none, { timeoutMs: this.#closeTimeoutMs, internal: true }), this.#closeTimeoutMs)
  }
}

/**
 * Opens a connection to libvirtd: `qemu:///system` (unix socket `/var/run/libvirt/libvirt-sock`, or
 * `?socket=/path`), `qemu+tcp://host[:port]/system`, `qemu+tls://host[:port]/system` (x509, libvirt's
 * certificate layout) or `qemu+ssh://[user@]host[:port]/system` (the system ssh and virt-ssh-helper),
 * then authenticates (none or polkit), opens the driver and starts keepalive. Node only (node:net,
 * node:tls, node:child_process) unless `options.transport` supplies the byte stream.
 */
export async function createConnection(uri = 'qemu:///system', options: ConnectionOptions = {}): Promise<LibvirtConnection> {
  const target = parseLibvirtUri(uri)
  const transport = typeof options.transport === 'function'
    ? await options.transport(target, { timeoutMs: options.connectTimeoutMs ?? 10_000 })
    : options.transport ?? await defaultTransport(target, { timeoutMs: options.connectTimeoutMs ?? 10_000 })
  const connection = new LibvirtConnection(transport, target, options, uri)
  try {
    await connection.open(options)
  } catch (error) {
    await connection.close()
    throw error
  }
  return connection
}
