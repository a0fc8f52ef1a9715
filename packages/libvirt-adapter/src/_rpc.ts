// The RPC engine under a connection: serials, the table of pending calls, per-call timers,
// keepalive, and the one place that decides what a packet from libvirtd means.
import { LibvirtConnectionError, LibvirtError, LibvirtProtocolError, LibvirtTimeoutError, XdrError } from './errors.ts'
import {
  FrameDecoder,
  decodePacket,
  finishMessage,
  keepaliveProcedures,
  messageStatus,
  messageTypes,
  payloadReader,
  procedureName,
  programs,
  readRemoteError,
  startMessage,
  type Packet,
} from './protocol.ts'
import type { Transport } from './transport.ts'
import type { XdrReader, XdrWriter } from './xdr.ts'

/** Keepalive settings: ping after `intervalMs` of silence, declare the peer dead after `count` unanswered intervals. */
export interface KeepaliveOptions {
  readonly intervalMs: number
  readonly count: number
}

export interface RpcOptions {
  readonly callTimeoutMs: number
  readonly keepalive: KeepaliveOptions | false
  /** A REMOTE program MESSAGE (an event). Runs synchronously in the read path. */
  readonly onEvent: (procedure: number, payload: XdrReader) => void
  /** The connection ended; `error` says why (never thrown). */
  readonly onEnd: (error: LibvirtConnectionError | LibvirtProtocolError) => void
}

interface Pending {
  readonly procedure: number
  readonly decode: (reader: XdrReader) => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout> | undefined
}

type State = 'open' | 'closing' | 'closed'

/** The engine; see `connection.ts` for the public face. */
export class RpcClient {
  readonly #transport: Transport
  readonly #options: RpcOptions
  readonly #frames = new FrameDecoder()
  readonly #pending = new Map<number, Pending>()
  #serial = 0
  #state: State = 'open'
  #endError: LibvirtConnectionError | LibvirtProtocolError | undefined
  #keepaliveTimer: ReturnType<typeof setInterval> | undefined
  #lastReceived = Date.now()
  #missedPings = 0
  #ended = false
  readonly #endWaiters: Array<() => void> = []

  constructor(transport: Transport, options: RpcOptions) {
    this.#transport = transport
    this.#options = options
    transport.attach({
      data: (chunk) => this.#onData(chunk),
      end: (error) => this.#onEnd(error),
    })
  }

  /** Whether calls can still be made. */
  get isOpen(): boolean {
    return this.#state === 'open'
  }

  /** Number of calls waiting for a reply. */
  get pendingCalls(): number {
    return this.#pending.size
  }

  /**
   * Sends a call and resolves with its decoded reply. `decode` runs synchronously when the reply is
   * read, before any later packet (so a subscription can be in place before its first event).
   */
  call<T>(procedure: number, encode: ((writer: XdrWriter) => void) | undefined, decode: (reader: XdrReader) => T, options: { timeoutMs?: number | undefined; internal?: boolean } = {}): Promise<T> {
    if (this.#state !== 'open' && !(options.internal && !this.#ended)) return Promise.reject(this.#notOpenError())
    let packet: Uint8Array
    const serial = this.#nextSerial()
    try {
      const writer = startMessage({ program: programs.remote, version: programs.remoteVersion, procedure, type: messageTypes.call, serial, status: messageStatus.ok })
      encode?.(writer)
      packet = finishMessage(writer)
    } catch (error) {
      if (error instanceof XdrError && error.code === 'xdr-limit-exceeded') {
        return Promise.reject(new LibvirtProtocolError('libvirt-message-too-large', `${procedureName(procedure)}: ${error.message}`, { cause: error }))
      }
      return Promise.reject(error)
    }
    const timeoutMs = options.timeoutMs ?? this.#options.callTimeoutMs
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { procedure, decode, resolve: resolve as (value: unknown) => void, reject, timer: undefined }
      if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          if (this.#pending.get(serial) !== pending) return
          this.#pending.delete(serial)
          reject(new LibvirtTimeoutError(procedureName(procedure), timeoutMs))
        }, timeoutMs)
      }
      this.#pending.set(serial, pending)
      this.#transport.write(packet)
    })
  }

  /** Starts pinging on silence (call once libvirtd said it speaks keepalive). */
  startKeepalive(): void {
    const settings = this.#options.keepalive
    if (!settings || this.#keepaliveTimer || this.#state !== 'open') return
    this.#lastReceived = Date.now()
    this.#keepaliveTimer = setInterval(() => this.#keepaliveTick(settings), settings.intervalMs)
    this.#keepaliveTimer.unref?.()
  }

  /**
   * Rejects pending calls with `libvirt-closed`, lets `farewell` (CONNECT_CLOSE) run as the last
   * call, then ends the transport. Idempotent; resolves when the transport has ended.
   */
  async close(farewell?: () => Promise<unknown>, timeoutMs = 2000): Promise<void> {
    if (this.#state === 'open') {
      this.#state = 'closing'
      this.#stopKeepalive()
      this.#failPending(new LibvirtConnectionError('libvirt-closed', 'The connection was closed'))
      if (farewell && !this.#ended) {
        try {
          await farewell()
        } catch {
          // The server may already be gone; closing goes on.
        }
      }
      this.#transport.close()
    }
    if (this.#ended) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#endWaiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  #nextSerial(): number {
    this.#serial = this.#serial >= 0xffff_ffff ? 1 : this.#serial + 1
    return this.#serial
  }

  #notOpenError(): Error {
    if (this.#state !== 'open' && this.#endError === undefined) return new LibvirtConnectionError('libvirt-closed', 'The connection was closed')
    return this.#endError ?? new LibvirtConnectionError('libvirt-closed', 'The connection was closed')
  }

  #keepaliveTick(settings: KeepaliveOptions): void {
    if (Date.now() - this.#lastReceived < settings.intervalMs) {
      this.#missedPings = 0
      return
    }
    if (this.#missedPings >= settings.count) {
      this.#fatal(new LibvirtConnectionError('libvirt-keepalive-timeout', `libvirtd did not answer ${settings.count} keepalive pings sent every ${settings.intervalMs} ms`))
      return
    }
    this.#missedPings++
    this.#sendKeepalive(keepaliveProcedures.ping)
  }

  #sendKeepalive(procedure: number): void {
    const writer = startMessage({ program: programs.keepalive, version: programs.keepaliveVersion, procedure, type: messageTypes.message, serial: 0, status: messageStatus.ok })
    this.#transport.write(finishMessage(writer))
  }

  #stopKeepalive(): void {
    if (this.#keepaliveTimer) clearInterval(this.#keepaliveTimer)
    this.#keepaliveTimer = undefined
  }

  #onData(chunk: Uint8Array): void {
    if (this.#ended) return
    this.#lastReceived = Date.now()
    this.#missedPings = 0
    let packets: Uint8Array[]
    try {
      packets = this.#frames.push(chunk)
    } catch (error) {
      this.#fatal(error as LibvirtProtocolError)
      return
    }
    for (const bytes of packets) {
      if (this.#ended) return
      let packet: Packet
      try {
        packet = decodePacket(bytes)
      } catch (error) {
        this.#fatal(new LibvirtProtocolError('libvirt-protocol', `Undecodable message header: ${(error as Error).message}`, { cause: error }))
        return
      }
      this.#dispatch(packet)
    }
  }

  #dispatch(packet: Packet): void {
    const { header } = packet
    if (header.program === programs.keepalive) {
      if (header.procedure === keepaliveProcedures.ping && this.#state !== 'closed') this.#sendKeepalive(keepaliveProcedures.pong)
      return
    }
    if (header.program !== programs.remote) {
      this.#fatal(new LibvirtProtocolError('libvirt-protocol', `Unexpected program 0x${header.program.toString(16)}, expected REMOTE_PROGRAM 0x${programs.remote.toString(16)} or keepalive`))
      return
    }
    if (header.version !== programs.remoteVersion) {
      this.#fatal(new LibvirtProtocolError('libvirt-protocol', `Unexpected protocol version ${header.version}, expected ${programs.remoteVersion}`))
      return
    }
    switch (header.type) {
      case messageTypes.reply:
      case messageTypes.replyWithFds:
        this.#reply(packet)
        return
      case messageTypes.message:
        if (this.#state === 'open') {
          try {
            this.#options.onEvent(header.procedure, payloadReader(packet))
          } catch {
            // An event this client cannot decode is dropped; replies and other events go on.
          }
        }
        return
      default:
        // Streams are not used by this client; a CALL from the server is not part of the protocol.
        return
    }
  }

  #reply(packet: Packet): void {
    const { header } = packet
    const pending = this.#pending.get(header.serial)
    if (!pending) return // a reply after its call timed out, or to a call rejected by close()
    this.#pending.delete(header.serial)
    if (pending.timer) clearTimeout(pending.timer)
    const name = procedureName(pending.procedure)
    if (header.procedure !== pending.procedure) {
      pending.reject(new LibvirtProtocolError('libvirt-protocol', `Reply to serial ${header.serial} is for procedure ${header.procedure}, expected ${name}`))
      return
    }
    if (header.type === messageTypes.replyWithFds) {
      pending.reject(new LibvirtProtocolError('libvirt-protocol', `${name}: reply carries file descriptors, which this transport cannot receive`))
      return
    }
    const reader = payloadReader(packet)
    try {
      if (header.status === messageStatus.ok) {
        const value = pending.decode(reader)
        reader.end()
        pending.resolve(value)
      } else if (header.status === messageStatus.error) {
        const fields = readRemoteError(reader)
        reader.end()
        pending.reject(new LibvirtError(fields, name))
      } else {
        pending.reject(new LibvirtProtocolError('libvirt-protocol', `${name}: unexpected reply status ${header.status}`))
      }
    } catch (error) {
      pending.reject(new LibvirtProtocolError('libvirt-protocol', `${name}: undecodable reply: ${(error as Error).message}`, { cause: error }))
    }
  }

  #failPending(error: Error): void {
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const entry of pending) {
      if (entry.timer) clearTimeout(entry.timer)
      entry.reject(error)
    }
  }

  /** A broken stream or a dead peer: everything pending fails with `error`, and the transport is closed. */
  #fatal(error: LibvirtConnectionError | LibvirtProtocolError): void {
    if (this.#ended) return
    this.#endError ??= error
    this.#transport.close()
    this.#onEnd()
  }

  #onEnd(cause?: Error): void {
    if (this.#ended) return
    this.#ended = true
    const wasClosing = this.#state !== 'open'
    this.#state = 'closed'
    this.#stopKeepalive()
    // A transport that knows why it ended (ssh refused our key, the host closed mid-call) says so with a typed error.
    const error = this.#endError ?? (wasClosing
      ? new LibvirtConnectionError('libvirt-closed', 'The connection was closed')
      : cause instanceof LibvirtConnectionError ? cause
        : new LibvirtConnectionError('libvirt-connection-lost', cause ? `Connection to libvirtd lost: ${cause.message}` : 'Connection to libvirtd lost', cause ? { cause } : {}))
    this.#endError = error
    if (this.#frames.pending > 0 && error.code === 'libvirt-connection-lost') {
      this.#endError = new LibvirtConnectionError('libvirt-connection-lost', `Connection to libvirtd lost in the middle of a packet (${this.#frames.pending} bytes of it received)`, cause ? { cause } : {})
    }
    this.#failPending(this.#endError)
    for (const waiter of this.#endWaiters.splice(0)) waiter()
    this.#options.onEnd(this.#endError)
  }
}
