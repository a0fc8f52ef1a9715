// A fake libvirtd for the client's tests: the framing and the few structs it needs, written
// independently of the package's own codec (plain DataView), on a unix socket in a temp dir or on
// loopback TCP. Tests script it: answer late, out of order, with errors or garbage, ping, send
// events, drop the connection mid-call.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const P = {
  OPEN: 1, CLOSE: 2, GET_VERSION: 4, GET_CAPABILITIES: 7, DESTROY: 12, GET_XML_DESC: 14, LOOKUP_BY_NAME: 23, LOOKUP_BY_UUID: 24,
  SHUTDOWN: 33, GET_HOSTNAME: 59, SUPPORTS_FEATURE: 60, AUTH_LIST: 66, AUTH_POLKIT: 70, GET_LIB_VERSION: 157, ATTACH_DEVICE_FLAGS: 160,
  DETACH_DEVICE_FLAGS: 161, UPDATE_DEVICE_FLAGS: 174, CREATE_WITH_FLAGS: 196, UNDEFINE_FLAGS: 231, LIST_ALL_DOMAINS: 273,
  REGISTER_ANY: 316, DEREGISTER_ANY: 317, EVENT_LIFECYCLE: 318, EVENT_DEVICE_REMOVED: 333, GET_DOMAIN_CAPABILITIES: 342,
  DEFINE_XML_FLAGS: 350, EVENT_DEVICE_ADDED: 354, EVENT_DEVICE_REMOVAL_FAILED: 367, DETACH_DEVICE_ALIAS: 392,
} as const
const REMOTE = 0x20008086
const KEEPALIVE = 0x6b656570

/** A minimal XDR writer (independent of src/xdr.ts). */
export class W {
  parts: number[] = []
  int(v: number): this {
    const b = new DataView(new ArrayBuffer(4))
    b.setInt32(0, v)
    this.parts.push(...new Uint8Array(b.buffer))
    return this
  }
  uint(v: number): this {
    const b = new DataView(new ArrayBuffer(4))
    b.setUint32(0, v)
    this.parts.push(...new Uint8Array(b.buffer))
    return this
  }
  uhyper(v: bigint): this {
    const b = new DataView(new ArrayBuffer(8))
    b.setBigUint64(0, v)
    this.parts.push(...new Uint8Array(b.buffer))
    return this
  }
  bytes(bytes: Uint8Array): this {
    this.parts.push(...bytes)
    while (this.parts.length % 4) this.parts.push(0)
    return this
  }
  string(s: string): this {
    const bytes = new TextEncoder().encode(s)
    return this.uint(bytes.length).bytes(bytes)
  }
  optString(s: string | undefined): this {
    return s === undefined ? this.int(0) : this.int(1).string(s)
  }
  domain(d: FakeDomain): this {
    return this.string(d.name).bytes(d.uuid).int(d.id)
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

/** A minimal XDR reader. */
export class R {
  view: DataView
  at = 0
  constructor(public data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  }
  int(): number {
    const v = this.view.getInt32(this.at)
    this.at += 4
    return v
  }
  uint(): number {
    const v = this.view.getUint32(this.at)
    this.at += 4
    return v
  }
  bytes(n: number): Uint8Array {
    const v = this.data.slice(this.at, this.at + n)
    this.at += n + ((4 - (n % 4)) % 4)
    return v
  }
  string(): string {
    return new TextDecoder().decode(this.bytes(this.uint()))
  }
  optString(): string | undefined {
    return this.int() ? this.string() : undefined
  }
  domain(): { name: string; uuid: Uint8Array; id: number } {
    return { name: this.string(), uuid: this.bytes(16), id: this.int() }
  }
}

export function packet(program: number, procedure: number, type: number, serial: number, status: number, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const head = new W().uint(28 + payload.length).uint(program).uint(1).int(procedure).int(type).uint(serial).int(status).done()
  const out = new Uint8Array(head.length + payload.length)
  out.set(head)
  out.set(payload, head.length)
  return out
}

export function errorPayload(error: { code: number; domain?: number; message?: string; level?: number; str1?: string; int1?: number }): Uint8Array {
  return new W().int(error.code).int(error.domain ?? 10).optString(error.message).int(error.level ?? 2).int(0)
    .optString(error.str1).optString(undefined).optString(undefined).int(error.int1 ?? 0).int(0).int(0).done()
}

export interface FakeDomain {
  name: string
  uuid: Uint8Array
  id: number
  aliases: string[]
}

export interface FakeCall {
  readonly procedure: number
  readonly serial: number
  readonly args: R
  readonly client: FakeClient
}

/** What a handler does with a call. */
export type Handler = (call: FakeCall) => void

export class FakeClient {
  readonly calls: Array<{ procedure: number; serial: number; flags?: number; args?: unknown }> = []
  pingsReceived = 0
  pongsReceived = 0
  #buffer = new Uint8Array()
  constructor(readonly socket: Socket, readonly server: FakeLibvirtd) {
    socket.on('data', (chunk) => this.#onData(chunk))
    socket.on('error', () => {})
  }
  #onData(chunk: Uint8Array): void {
    const next = new Uint8Array(this.#buffer.length + chunk.length)
    next.set(this.#buffer)
    next.set(chunk, this.#buffer.length)
    this.#buffer = next
    for (;;) {
      if (this.#buffer.length < 4) return
      const length = new DataView(this.#buffer.buffer, this.#buffer.byteOffset).getUint32(0)
      if (this.#buffer.length < length) return
      const message = this.#buffer.slice(0, length)
      this.#buffer = this.#buffer.slice(length)
      const r = new R(message)
      r.uint()
      const program = r.uint()
      r.uint()
      const procedure = r.int()
      const type = r.int()
      const serial = r.uint()
      r.int()
      if (program === KEEPALIVE) {
        if (procedure === 1) {
          this.pingsReceived++
          if (this.server.answerPings) this.send(packet(KEEPALIVE, 2, 2, 0, 0))
        } else this.pongsReceived++
        continue
      }
      if (program !== REMOTE || type !== 0) continue
      this.calls.push({ procedure, serial })
      const handler = this.server.handlers.get(procedure)
      const call = { procedure, serial, args: new R(message.subarray(28)), client: this }
      if (handler) handler(call)
      else this.error(call, { code: 3, domain: 13, message: `this function is not supported by the fake: ${procedure}` })
    }
  }
  send(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes)
  }
  reply(call: FakeCall, payload: Uint8Array = new Uint8Array()): void {
    this.send(packet(REMOTE, call.procedure, 1, call.serial, 0, payload))
  }
  error(call: FakeCall, error: Parameters<typeof errorPayload>[0]): void {
    this.send(packet(REMOTE, call.procedure, 1, call.serial, 1, errorPayload(error)))
  }
  event(procedure: number, payload: Uint8Array): void {
    this.send(packet(REMOTE, procedure, 2, 0, 0, payload))
  }
  ping(): void {
    this.send(packet(KEEPALIVE, 1, 2, 0, 0))
  }
  destroy(): void {
    this.socket.destroy()
  }
}

/** A registered event callback. */
export interface FakeCallback {
  id: number
  eventId: number
  domain: string | undefined
  client: FakeClient
}

export class FakeLibvirtd {
  readonly dir = mkdtempSync(join(tmpdir(), 'virtuned-fake-libvirtd-'))
  readonly socketPath = join(this.dir, 'libvirt-sock')
  readonly clients: FakeClient[] = []
  readonly handlers = new Map<number, Handler>()
  readonly domains = new Map<string, FakeDomain>()
  readonly callbacks = new Map<number, FakeCallback>()
  readonly log: Array<{ procedure: number; [key: string]: unknown }> = []
  answerPings = true
  keepaliveSupported = true
  authTypes = [0]
  nextCallbackId = 1
  #server: Server | undefined
  port = 0

  constructor() {
    this.addDomain('guest', 'c7a5fdbd-cdaf-9455-926a-d65c16db1809', -1, ['ua-disk1', 'ua-net1'])
    this.#defaults()
  }

  get client(): FakeClient {
    const client = this.clients.at(-1)
    if (!client) throw new Error('no client connected')
    return client
  }

  addDomain(name: string, uuid: string, id: number, aliases: string[] = []): FakeDomain {
    const hex = uuid.replace(/-/g, '')
    const bytes = new Uint8Array(16)
    for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
    const domain = { name, uuid: bytes, id, aliases }
    this.domains.set(name, domain)
    return domain
  }

  xmlOf(domain: FakeDomain): string {
    return `<domain type='qemu'><name>${domain.name}</name><devices>${domain.aliases.map((a) => `<disk><alias name='${a}'/></disk>`).join('')}</devices></domain>`
  }

  /** Sends an event to every callback of `eventId` registered for `domain` (or all domains). */
  emit(eventId: number, domain: FakeDomain, build: (w: W, callbackId: number) => void, procedure: number): number {
    let sent = 0
    for (const callback of this.callbacks.values()) {
      if (callback.eventId !== eventId || (callback.domain !== undefined && callback.domain !== domain.name)) continue
      const w = new W()
      build(w, callback.id)
      callback.client.event(procedure, w.done())
      sent++
    }
    return sent
  }

  emitDevice(kind: 'removed' | 'added' | 'removal-failed', domain: FakeDomain, alias: string): number {
    const eventId = kind === 'removed' ? 15 : kind === 'added' ? 19 : 22
    const procedure = kind === 'removed' ? P.EVENT_DEVICE_REMOVED : kind === 'added' ? P.EVENT_DEVICE_ADDED : P.EVENT_DEVICE_REMOVAL_FAILED
    if (kind === 'removed') domain.aliases = domain.aliases.filter((a) => a !== alias)
    return this.emit(eventId, domain, (w, id) => w.int(id).domain(domain).string(alias), procedure)
  }

  emitLifecycle(domain: FakeDomain, event: number, detail: number): number {
    return this.emit(0, domain, (w, id) => w.int(id).domain(domain).int(event).int(detail), P.EVENT_LIFECYCLE)
  }

  #findByUuid(uuid: Uint8Array): FakeDomain | undefined {
    for (const d of this.domains.values()) if (d.uuid.every((b, i) => b === uuid[i])) return d
    return undefined
  }

  noDomain(call: FakeCall, what: string): void {
    call.client.error(call, { code: 42, domain: 10, message: `Domain not found: no domain with matching ${what}`, str1: 'Domain not found' })
  }

  #defaults(): void {
    const h = this.handlers
    h.set(P.AUTH_LIST, (c) => c.client.reply(c, this.authTypes.reduce((w, t) => w.int(t), new W().uint(this.authTypes.length)).done()))
    h.set(P.AUTH_POLKIT, (c) => c.client.reply(c, new W().int(1).done()))
    h.set(P.OPEN, (c) => {
      const name = c.args.optString()
      this.log.push({ procedure: P.OPEN, name, flags: c.args.uint() })
      c.client.reply(c)
    })
    h.set(P.CLOSE, (c) => {
      this.log.push({ procedure: P.CLOSE })
      c.client.reply(c)
    })
    h.set(P.SUPPORTS_FEATURE, (c) => c.client.reply(c, new W().int(c.args.int() === 10 && this.keepaliveSupported ? 1 : 0).done()))
    h.set(P.GET_VERSION, (c) => c.client.reply(c, new W().uhyper(7002022n).done()))
    h.set(P.GET_LIB_VERSION, (c) => c.client.reply(c, new W().uhyper(9000000n).done()))
    h.set(P.GET_HOSTNAME, (c) => c.client.reply(c, new W().string('fake-host').done()))
    h.set(P.GET_CAPABILITIES, (c) => c.client.reply(c, new W().string('<capabilities><host/></capabilities>').done()))
    h.set(P.GET_DOMAIN_CAPABILITIES, (c) => {
      const [emulator, arch, machine, virttype] = [c.args.optString(), c.args.optString(), c.args.optString(), c.args.optString()]
      this.log.push({ procedure: P.GET_DOMAIN_CAPABILITIES, emulator, arch, machine, virttype, flags: c.args.uint() })
      c.client.reply(c, new W().string(`<domainCapabilities><path>${emulator ?? ''}</path><domain>${virttype ?? 'kvm'}</domain><machine>${machine ?? 'pc'}</machine><arch>${arch ?? 'x86_64'}</arch></domainCapabilities>`).done())
    })
    h.set(P.LIST_ALL_DOMAINS, (c) => {
      const need = c.args.int()
      const flags = c.args.uint()
      this.log.push({ procedure: P.LIST_ALL_DOMAINS, need, flags })
      const list = [...this.domains.values()].filter((d) => !(flags & 1) || d.id >= 0)
      const w = new W().uint(list.length)
      for (const d of list) w.domain(d)
      c.client.reply(c, w.uint(list.length).done())
    })
    h.set(P.LOOKUP_BY_NAME, (c) => {
      const name = c.args.string()
      const d = this.domains.get(name)
      if (d) c.client.reply(c, new W().domain(d).done())
      else this.noDomain(c, `name '${name}'`)
    })
    h.set(P.LOOKUP_BY_UUID, (c) => {
      const d = this.#findByUuid(c.args.bytes(16))
      if (d) c.client.reply(c, new W().domain(d).done())
      else this.noDomain(c, 'uuid')
    })
    h.set(P.DEFINE_XML_FLAGS, (c) => {
      const xml = c.args.string()
      const flags = c.args.uint()
      this.log.push({ procedure: P.DEFINE_XML_FLAGS, xml, flags })
      const name = /<name>([^<]+)<\/name>/.exec(xml)?.[1]
      if (!name) {
        c.client.error(c, { code: 27, domain: 20, message: 'XML error: missing name information' })
        return
      }
      const d = this.domains.get(name) ?? this.addDomain(name, '00000000-0000-4000-8000-' + String(this.domains.size).padStart(12, '0'), -1)
      c.client.reply(c, new W().domain(d).done())
    })
    h.set(P.UNDEFINE_FLAGS, (c) => {
      const d = c.args.domain()
      const flags = c.args.uint()
      this.log.push({ procedure: P.UNDEFINE_FLAGS, name: d.name, flags })
      if (!this.domains.delete(d.name)) this.noDomain(c, `name '${d.name}'`)
      else c.client.reply(c)
    })
    h.set(P.CREATE_WITH_FLAGS, (c) => {
      const ref = c.args.domain()
      const d = this.domains.get(ref.name)
      if (!d) return this.noDomain(c, `name '${ref.name}'`)
      if (d.id >= 0) return c.client.error(c, { code: 55, domain: 10, message: 'Requested operation is not valid: domain is already running' })
      d.id = 7
      c.client.reply(c, new W().domain(d).done())
    })
    h.set(P.DESTROY, (c) => {
      const ref = c.args.domain()
      const d = this.domains.get(ref.name)
      if (!d) return this.noDomain(c, `name '${ref.name}'`)
      if (d.id < 0) return c.client.error(c, { code: 55, domain: 10, message: 'Requested operation is not valid: domain is not running' })
      d.id = -1
      c.client.reply(c)
    })
    h.set(P.SHUTDOWN, (c) => {
      this.log.push({ procedure: P.SHUTDOWN, name: c.args.domain().name })
      c.client.reply(c)
    })
    h.set(P.GET_XML_DESC, (c) => {
      const ref = c.args.domain()
      const flags = c.args.uint()
      this.log.push({ procedure: P.GET_XML_DESC, name: ref.name, flags })
      const d = this.domains.get(ref.name)
      if (!d) return this.noDomain(c, `name '${ref.name}'`)
      c.client.reply(c, new W().string(this.xmlOf(d)).done())
    })
    for (const procedure of [P.ATTACH_DEVICE_FLAGS, P.DETACH_DEVICE_FLAGS, P.UPDATE_DEVICE_FLAGS]) {
      h.set(procedure, (c) => {
        const ref = c.args.domain()
        this.log.push({ procedure, name: ref.name, xml: c.args.string(), flags: c.args.uint() })
        c.client.reply(c)
      })
    }
    // By default, detach-by-alias behaves like a cooperative guest: the removal event, then the reply.
    h.set(P.DETACH_DEVICE_ALIAS, (c) => {
      const ref = c.args.domain()
      const alias = c.args.string()
      const flags = c.args.uint()
      this.log.push({ procedure: P.DETACH_DEVICE_ALIAS, name: ref.name, alias, flags })
      const d = this.domains.get(ref.name)
      if (!d) return this.noDomain(c, `name '${ref.name}'`)
      if (!d.aliases.includes(alias)) return c.client.error(c, { code: 99, domain: 10, message: `device not found: no device found with alias ${alias}` })
      this.emitDevice('removed', d, alias)
      c.client.reply(c)
    })
    h.set(P.REGISTER_ANY, (c) => {
      const eventId = c.args.int()
      const domain = c.args.int() ? c.args.domain().name : undefined
      // As libvirtd: one registration per event and domain filter on a connection.
      for (const cb of this.callbacks.values()) {
        if (cb.client === c.client && cb.eventId === eventId && cb.domain === domain) return c.client.error(c, { code: 8, domain: 0, message: 'invalid argument: event callback already tracked' })
      }
      const id = this.nextCallbackId++
      this.callbacks.set(id, { id, eventId, domain, client: c.client })
      c.client.reply(c, new W().int(id).done())
    })
    h.set(P.DEREGISTER_ANY, (c) => {
      const id = c.args.int()
      if (!this.callbacks.delete(id)) return c.client.error(c, { code: 8, domain: 13, message: `callback ${id} not registered` })
      c.client.reply(c)
    })
  }

  /** Starts listening on the unix socket (or, with `tcp`, on 127.0.0.1 and a free port). */
  listen(options: { tcp?: boolean } = {}): Promise<void> {
    this.#server = createServer((socket) => {
      this.clients.push(new FakeClient(socket, this))
      socket.on('close', () => {
        for (const [id, cb] of this.callbacks) if (cb.client.socket === socket) this.callbacks.delete(id)
      })
    })
    return new Promise((resolve) => {
      if (options.tcp) {
        this.#server?.listen(0, '127.0.0.1', () => {
          const address = this.#server?.address()
          this.port = typeof address === 'object' && address ? address.port : 0
          resolve()
        })
      } else this.#server?.listen(this.socketPath, () => resolve())
    })
  }

  /** Closes every client and the listener, and removes the temp dir. */
  async stop(): Promise<void> {
    for (const client of this.clients) client.socket.destroy()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Resolves once `check()` is true (polling every 5 ms), or fails after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Kinds of handle with more instances now than in `baseline` (a leak), with their counts. */
export function leakedHandles(baseline: Record<string, number>): Record<string, number> {
  const now = activeHandles()
  return Object.fromEntries(Object.entries(now).filter(([kind, count]) => count > (baseline[kind] ?? 0)))
}

/** The handles that would keep the process alive (sockets, servers, timers), by kind. */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) {
    if (!/^(Timeout|PipeWrap|TCPWrap|PipeServerWrap|TCPServerWrap|TCPSERVERWRAP|PIPESERVERWRAP|Immediate)$/.test(kind)) continue
    counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

/** The live child processes of `pid` (from /proc, so no `ps` is needed). */
export function childPids(pid = process.pid): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(ppid) === pid && state !== 'Z') out.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return out
}
