// The client against a fake libvirtd (test/fake-libvirtd.ts) on a unix socket in a temp dir:
// handshake, every typed procedure, multiplexing, timeouts, keepalive, drops, close, malformed
// packets, events and detachAndWait. Every test ends with no socket, server or timer left behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LibvirtConnectionError,
  LibvirtError,
  LibvirtProtocolError,
  LibvirtTimeoutError,
  LibvirtUsageError,
  createConnection,
  formatVersion,
  libvirtFlags,
  uuidToString,
  type ConnectionOptions,
  type DomainEvent,
  type LibvirtConnection,
} from '../src/index.ts'
import { FakeLibvirtd, P, W, activeHandles, leakedHandles, packet, until, type FakeCall } from './fake-libvirtd.ts'

let server: FakeLibvirtd
let connections: LibvirtConnection[] = []
let baseline: Record<string, number>

async function connect(options: ConnectionOptions = {}): Promise<LibvirtConnection> {
  const connection = await createConnection(`qemu:///system?socket=${server.socketPath}`, { keepalive: false, ...options })
  connections.push(connection)
  return connection
}

async function guest(connection: LibvirtConnection) {
  return connection.lookupDomainByName('guest')
}

beforeEach(async () => {
  baseline = activeHandles()
  server = new FakeLibvirtd()
  await server.listen()
  connections = []
})

afterEach(async () => {
  await Promise.all(connections.map((c) => c.close()))
  await server.stop()
  // No leaked socket, server or timer: no kind of handle has more instances than before the test.
  await until(() => Object.keys(leakedHandles(baseline)).length === 0, 2000).catch(() => {
    expect(leakedHandles(baseline)).toEqual({})
  })
})

describe('handshake', () => {
  it('lists auth types, opens the driver by name and asks about keepalive', async () => {
    await connect({ keepalive: { intervalMs: 1000 } })
    const procedures = server.client.calls.map((c) => c.procedure)
    expect(procedures).toEqual([P.AUTH_LIST, P.OPEN, P.SUPPORTS_FEATURE])
    expect(server.log[0]).toEqual({ procedure: P.OPEN, name: 'qemu:///system', flags: 0 })
  })

  it('opens read-only with VIR_CONNECT_RO and skips keepalive when disabled', async () => {
    await connect({ readOnly: true })
    expect(server.log[0]).toMatchObject({ flags: 1 })
    expect(server.client.calls.map((c) => c.procedure)).toEqual([P.AUTH_LIST, P.OPEN])
  })

  it('does polkit when that is what the server asks for', async () => {
    server.authTypes = [2]
    await connect()
    expect(server.client.calls.map((c) => c.procedure)).toEqual([P.AUTH_LIST, P.AUTH_POLKIT, P.OPEN])
  })

  it('refuses SASL-only servers with a typed error and closes the socket', async () => {
    server.authTypes = [1]
    const error = await connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtUsageError)
    expect(error).toMatchObject({ code: 'libvirt-auth-unsupported' })
  })

  it('reports a missing socket as libvirt-connect-failed', async () => {
    const error = await createConnection(`qemu:///system?socket=${server.dir}/nothing-here`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtConnectionError)
    expect(error).toMatchObject({ code: 'libvirt-connect-failed' })
  })

  it('refuses URIs it cannot open', async () => {
    await expect(createConnection('qemu+pigeon://host/system')).rejects.toMatchObject({ code: 'libvirt-bad-uri' })
    await expect(createConnection('qemu+ext://host/system?command=/bin/true')).rejects.toMatchObject({ code: 'libvirt-ext-refused' })
    await expect(createConnection('qemu:///session')).rejects.toMatchObject({ code: 'libvirt-bad-uri' })
    await expect(createConnection('not a uri')).rejects.toMatchObject({ code: 'libvirt-bad-uri' })
  })

  it('speaks TCP on loopback (qemu+tcp://host:port/system)', async () => {
    const tcp = new FakeLibvirtd()
    await tcp.listen({ tcp: true })
    try {
      const connection = await createConnection(`qemu+tcp://127.0.0.1:${tcp.port}/system`, { keepalive: false })
      expect(await connection.getHostname()).toBe('fake-host')
      expect(tcp.log[0]).toEqual({ procedure: P.OPEN, name: 'qemu:///system', flags: 0 })
      await connection.close()
    } finally {
      await tcp.stop()
    }
  })
})

describe('procedures', () => {
  it('reads versions, hostname and capabilities', async () => {
    const c = await connect()
    expect(await c.getVersion()).toBe(7002022)
    expect(formatVersion(await c.getVersion())).toBe('7.2.22')
    expect(formatVersion(await c.getLibVersion())).toBe('9.0.0')
    expect(await c.getHostname()).toBe('fake-host')
    expect(await c.getCapabilities()).toContain('<capabilities>')
  })

  it('passes the domain capabilities query, absent fields as NULL', async () => {
    const c = await connect()
    const xml = await c.getDomainCapabilities({ emulator: '/usr/bin/qemu-system-x86_64', virttype: 'qemu' })
    expect(xml).toContain('<domain>qemu</domain>')
    expect(server.log.at(-1)).toEqual({ procedure: P.GET_DOMAIN_CAPABILITIES, emulator: '/usr/bin/qemu-system-x86_64', arch: undefined, machine: undefined, virttype: 'qemu', flags: 0 })
  })

  it('lists and looks up domains by name and UUID', async () => {
    const c = await connect()
    const all = await c.listAllDomains()
    expect(all.map((d) => d.name)).toEqual(['guest'])
    expect(server.log.at(-1)).toEqual({ procedure: P.LIST_ALL_DOMAINS, need: 1, flags: 0 })
    await c.listAllDomains(libvirtFlags.listDomains.active | libvirtFlags.listDomains.persistent)
    expect(server.log.at(-1)).toMatchObject({ flags: 5 })
    const byName = await guest(c)
    expect(uuidToString(byName.uuid)).toBe('c7a5fdbd-cdaf-9455-926a-d65c16db1809')
    expect(byName.id).toBe(-1)
    expect(await c.lookupDomainByUUID('c7a5fdbd-cdaf-9455-926a-d65c16db1809')).toEqual(byName)
    expect(await c.lookupDomainByUUID(byName.uuid)).toEqual(byName)
    await expect(c.lookupDomainByUUID('nope')).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
  })

  it('defines with the validate flag, starts, stops, undefines with or keeping nvram', async () => {
    const c = await connect()
    const dom = await c.defineXML("<domain type='qemu'><name>vt-new</name></domain>", { validate: true })
    expect(dom.name).toBe('vt-new')
    expect(server.log.at(-1)).toMatchObject({ procedure: P.DEFINE_XML_FLAGS, flags: 1 })
    const running = await c.create(dom)
    expect(running.id).toBe(7)
    await c.shutdown(running)
    await c.destroy(running)
    await c.undefine(dom, { nvram: true })
    expect(server.log.at(-1)).toEqual({ procedure: P.UNDEFINE_FLAGS, name: 'vt-new', flags: 4 })
    const two = await c.defineXML("<domain type='qemu'><name>vt-two</name></domain>")
    expect(server.log.at(-1)).toMatchObject({ flags: 0 })
    await expect(c.undefine(two, { nvram: true, keepNvram: true })).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
    await c.undefine(two, { keepNvram: true })
    expect(server.log.at(-1)).toEqual({ procedure: P.UNDEFINE_FLAGS, name: 'vt-two', flags: 8 })
  })

  it('maps XML and device flags', async () => {
    const c = await connect()
    const dom = await guest(c)
    expect(await c.getXMLDesc(dom)).toContain("<alias name='ua-disk1'/>")
    expect(server.log.at(-1)).toMatchObject({ flags: 0 })
    await c.getXMLDesc(dom, { inactive: true, security: true })
    expect(server.log.at(-1)).toMatchObject({ flags: 3 })
    await expect(c.getXMLDesc(dom, { inactive: true, live: true })).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
    await c.attachDevice(dom, '<disk/>', { live: true, config: true })
    expect(server.log.at(-1)).toEqual({ procedure: P.ATTACH_DEVICE_FLAGS, name: 'guest', xml: '<disk/>', flags: 3 })
    await c.detachDevice(dom, '<disk/>', { config: true })
    expect(server.log.at(-1)).toMatchObject({ procedure: P.DETACH_DEVICE_FLAGS, flags: 2 })
    await c.updateDevice(dom, '<disk/>')
    expect(server.log.at(-1)).toMatchObject({ procedure: P.UPDATE_DEVICE_FLAGS, flags: 0 })
    await c.detachDeviceAlias(dom, 'ua-net1', { live: true })
    expect(server.log.at(-1)).toEqual({ procedure: P.DETACH_DEVICE_ALIAS, name: 'guest', alias: 'ua-net1', flags: 1 })
  })

  it('turns libvirt errors into LibvirtError with code, domain, level and names', async () => {
    const c = await connect()
    const error = await c.lookupDomainByName('missing').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtError)
    expect(error).toMatchObject({
      code: 'libvirt-error',
      libvirtCode: 42,
      codeName: 'VIR_ERR_NO_DOMAIN',
      domain: 10,
      domainName: 'VIR_FROM_QEMU',
      level: 2,
      levelName: 'VIR_ERR_ERROR',
      str1: 'Domain not found',
      procedure: 'DOMAIN_LOOKUP_BY_NAME',
      message: "Domain not found: no domain with matching name 'missing'",
    })
    const xmlError = await c.defineXML('<domain/>').catch((e: unknown) => e)
    expect(xmlError).toMatchObject({ codeName: 'VIR_ERR_XML_ERROR', domainName: 'VIR_FROM_DOMAIN' })
    const invalid = await c.destroy(await guest(c)).catch((e: unknown) => e)
    expect(invalid).toMatchObject({ codeName: 'VIR_ERR_OPERATION_INVALID' })
    // The connection is still fine after errors.
    expect(await c.getHostname()).toBe('fake-host')
  })

  it('refuses a request over libvirt\'s string limit before sending it', async () => {
    const c = await connect()
    const huge = `<domain><name>x</name><description>${'x'.repeat(4_194_305)}</description></domain>`
    await expect(c.defineXML(huge)).rejects.toMatchObject({ code: 'libvirt-message-too-large' })
    expect(server.client.calls.at(-1)?.procedure).not.toBe(P.DEFINE_XML_FLAGS)
    expect(await c.getHostname()).toBe('fake-host')
  })

  it('calls any procedure through call()', async () => {
    const c = await connect()
    const hostname = await c.call(P.GET_HOSTNAME, undefined, (r) => r.string(1024))
    expect(hostname).toBe('fake-host')
  })
})

describe('multiplexing and timeouts', () => {
  it('matches replies to calls by serial when they come back out of order', async () => {
    const c = await connect()
    const held: FakeCall[] = []
    server.handlers.set(P.GET_HOSTNAME, (call) => {
      held.push(call)
      if (held.length === 20) for (const h of [...held].reverse()) h.client.reply(h, new W().string(`host-${h.serial}`).done())
    })
    const serials: number[] = []
    const results = await Promise.all(Array.from({ length: 20 }, () => c.getHostname()))
    for (const call of held) serials.push(call.serial)
    expect(results).toEqual(serials.map((s) => `host-${s}`))
    expect(new Set(serials).size).toBe(20)
  })

  it('times a call out with LibvirtTimeoutError, drops the late reply and stays usable', async () => {
    const c = await connect()
    let late: FakeCall | undefined
    server.handlers.set(P.GET_CAPABILITIES, (call) => {
      late = call
    })
    const started = Date.now()
    const error = await c.getCapabilities({ timeoutMs: 50 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtTimeoutError)
    expect(error).toMatchObject({ code: 'libvirt-timeout', procedure: 'CONNECT_GET_CAPABILITIES', timeoutMs: 50 })
    expect(Date.now() - started).toBeLessThan(1000)
    late?.client.reply(late, new W().string('<late/>').done())
    expect(await c.getHostname()).toBe('fake-host')
  })

  it('uses the connection-wide default timeout', async () => {
    const c = await connect({ callTimeoutMs: 30 })
    server.handlers.set(P.GET_CAPABILITIES, () => {})
    await expect(c.getCapabilities()).rejects.toBeInstanceOf(LibvirtTimeoutError)
  })
})

describe('keepalive', () => {
  it('answers libvirtd\'s pings with pongs', async () => {
    await connect()
    server.client.ping()
    server.client.ping()
    await until(() => server.client.pongsReceived === 2)
  })

  it('pings when idle and stays open while libvirtd answers', async () => {
    const c = await connect({ keepalive: { intervalMs: 20, count: 2 } })
    await until(() => server.client.pingsReceived >= 4)
    expect(c.isOpen).toBe(true)
  })

  it('does not ping when the server does not support keepalive', async () => {
    server.keepaliveSupported = false
    await connect({ keepalive: { intervalMs: 10, count: 1 } })
    await new Promise((r) => setTimeout(r, 80))
    expect(server.client.pingsReceived).toBe(0)
  })

  it('closes a connection as dead after count unanswered pings, rejecting pending calls', async () => {
    server.answerPings = false
    const c = await connect({ keepalive: { intervalMs: 20, count: 3 } })
    server.handlers.set(P.GET_CAPABILITIES, () => {})
    const pending = c.getCapabilities().catch((e: unknown) => e)
    const reason = await c.closed
    expect(reason).toMatchObject({ code: 'libvirt-keepalive-timeout' })
    expect(await pending).toMatchObject({ code: 'libvirt-keepalive-timeout' })
    expect(server.client.pingsReceived).toBe(3)
    await expect(c.getHostname()).rejects.toMatchObject({ code: 'libvirt-keepalive-timeout' })
  })
})

describe('dropped connection and close', () => {
  it('rejects every pending call when libvirtd drops the connection mid-call', async () => {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, () => {})
    server.handlers.set(P.GET_HOSTNAME, (call) => call.client.destroy())
    const a = c.getCapabilities().catch((e: unknown) => e)
    const b = c.getHostname().catch((e: unknown) => e)
    const [ea, eb] = await Promise.all([a, b])
    expect(ea).toBeInstanceOf(LibvirtConnectionError)
    expect(ea).toMatchObject({ code: 'libvirt-connection-lost' })
    expect(eb).toMatchObject({ code: 'libvirt-connection-lost' })
    expect(await c.closed).toMatchObject({ code: 'libvirt-connection-lost' })
    expect(c.isOpen).toBe(false)
    await expect(c.getVersion()).rejects.toMatchObject({ code: 'libvirt-connection-lost' })
  })

  it('reconnects when asked: a new connection to the same URI with the same options', async () => {
    const c = await connect()
    server.handlers.set(P.GET_HOSTNAME, (call) => call.client.destroy())
    await c.getHostname().catch(() => undefined)
    expect(await c.closed).toMatchObject({ code: 'libvirt-connection-lost' })
    server.handlers.delete(P.GET_HOSTNAME)
    const again = await c.reconnect()
    connections.push(again)
    expect(again.isOpen).toBe(true)
    expect(await again.getVersion()).toBeGreaterThan(0)
  })

  it('says so when the connection drops in the middle of a packet', async () => {
    const c = await connect()
    server.handlers.set(P.GET_HOSTNAME, (call) => {
      const whole = packet(0x20008086, P.GET_HOSTNAME, 1, call.serial, 0, new W().string('cut-short').done())
      call.client.send(whole.subarray(0, 30))
      setTimeout(() => call.client.destroy(), 10)
    })
    const error = await c.getHostname().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'libvirt-connection-lost' })
    expect((error as Error).message).toMatch(/middle of a packet/)
  })

  it('close() rejects pending calls, tells libvirtd, and fails later calls cleanly', async () => {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, () => {})
    const pending = c.getCapabilities().catch((e: unknown) => e)
    await until(() => server.client.calls.some((call) => call.procedure === P.GET_CAPABILITIES))
    await c.close()
    expect(await pending).toMatchObject({ code: 'libvirt-closed' })
    expect(server.log.some((l) => l.procedure === P.CLOSE)).toBe(true)
    await expect(c.getHostname()).rejects.toMatchObject({ code: 'libvirt-closed' })
    expect(await c.closed).toMatchObject({ code: 'libvirt-closed' })
    await c.close()
  })

  it('close() still finishes when libvirtd does not answer CONNECT_CLOSE', async () => {
    const c = await connect({ closeTimeoutMs: 50 })
    server.handlers.set(P.CLOSE, () => {})
    const started = Date.now()
    await c.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(c.isOpen).toBe(false)
  })
})

describe('malformed packets', () => {
  async function sendRaw(bytes: Uint8Array) {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, (call) => call.client.send(bytes))
    return { c, result: await c.getCapabilities().catch((e: unknown) => e) }
  }

  it('closes on a length word over VIR_NET_MESSAGE_MAX without waiting for the bytes', async () => {
    const { c, result } = await sendRaw(new W().uint(16_777_221).done())
    expect(result).toBeInstanceOf(LibvirtProtocolError)
    expect(result).toMatchObject({ code: 'libvirt-protocol' })
    expect(await c.closed).toMatchObject({ code: 'libvirt-protocol' })
  })

  it('closes on a length word too small for a header', async () => {
    const { result } = await sendRaw(new W().uint(12).uint(0).uint(0).done())
    expect(result).toMatchObject({ code: 'libvirt-protocol' })
  })

  it('closes on a foreign program or version', async () => {
    const { result } = await sendRaw(packet(0x12345678, 1, 1, 1, 0))
    expect(result).toMatchObject({ code: 'libvirt-protocol' })
    const c2 = await connect()
    server.handlers.set(P.GET_HOSTNAME, (call) => {
      const p = packet(0x20008086, P.GET_HOSTNAME, 1, call.serial, 0)
      new DataView(p.buffer).setUint32(8, 2)
      call.client.send(p)
    })
    await expect(c2.getHostname()).rejects.toMatchObject({ code: 'libvirt-protocol' })
  })

  it('rejects only the call whose reply does not decode, and keeps the connection', async () => {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, (call) => call.client.reply(call, new W().uint(100).done()))
    server.handlers.set(P.GET_VERSION, (call) => call.client.reply(call, new W().uhyper(1n).uint(0).done()))
    server.handlers.set(P.LOOKUP_BY_NAME, (call) => call.client.reply(call, new W().string('x').bytes(new Uint8Array(16)).done()))
    await expect(c.getCapabilities()).rejects.toMatchObject({ code: 'libvirt-protocol', cause: { code: 'xdr-truncated' } })
    await expect(c.getVersion()).rejects.toMatchObject({ code: 'libvirt-protocol', cause: { code: 'xdr-trailing-bytes' } })
    await expect(c.lookupDomainByName('x')).rejects.toMatchObject({ cause: { code: 'xdr-truncated' } })
    expect(c.isOpen).toBe(true)
    expect(await c.getHostname()).toBe('fake-host')
  })

  it('rejects an error reply that does not decode as a protocol error', async () => {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, (call) => call.client.send(packet(0x20008086, P.GET_CAPABILITIES, 1, call.serial, 1, new W().int(1).done())))
    await expect(c.getCapabilities()).rejects.toMatchObject({ code: 'libvirt-protocol' })
  })

  it('rejects a reply with an unknown status or for another procedure', async () => {
    const c = await connect()
    server.handlers.set(P.GET_CAPABILITIES, (call) => call.client.send(packet(0x20008086, P.GET_CAPABILITIES, 1, call.serial, 7)))
    server.handlers.set(P.GET_HOSTNAME, (call) => call.client.send(packet(0x20008086, P.GET_VERSION, 1, call.serial, 0, new W().uhyper(1n).done())))
    await expect(c.getCapabilities()).rejects.toMatchObject({ code: 'libvirt-protocol' })
    await expect(c.getHostname()).rejects.toMatchObject({ code: 'libvirt-protocol' })
  })

  it('ignores replies to unknown serials, streams and undecodable events', async () => {
    const c = await connect()
    server.handlers.set(P.GET_HOSTNAME, (call) => {
      call.client.send(packet(0x20008086, P.GET_HOSTNAME, 1, 9999, 0, new W().string('stray').done()))
      call.client.send(packet(0x20008086, 0, 3, call.serial, 2, new Uint8Array([1, 2, 3, 4])))
      call.client.event(P.EVENT_DEVICE_REMOVED, new W().int(1).done())
      call.client.reply(call, new W().string('fake-host').done())
    })
    expect(await c.getHostname()).toBe('fake-host')
    expect(c.isOpen).toBe(true)
  })
})

describe('events', () => {
  it('delivers lifecycle events to an async iterator and deregisters on close', async () => {
    const c = await connect()
    const sub = await c.subscribe('lifecycle')
    expect(sub.callbackId).toBe(1)
    const domain = server.domains.get('guest')!
    server.emitLifecycle(domain, 2, 0)
    server.emitLifecycle(domain, 5, 1)
    const seen: DomainEvent[] = []
    for await (const event of sub) {
      seen.push(event)
      if (seen.length === 2) break
    }
    expect(seen.map((e) => e.type === 'lifecycle' && [e.eventName, e.detail])).toEqual([['started', 0], ['stopped', 1]])
    expect(seen[0]?.domain.name).toBe('guest')
    await until(() => server.callbacks.size === 0)
    expect(server.client.calls.at(-1)?.procedure).toBe(P.DEREGISTER_ANY)
  })

  it('filters by domain on the server and routes by callback id', async () => {
    const c = await connect()
    const other = server.addDomain('other', '11111111-2222-3333-4444-555555555555', 3)
    const dom = await guest(c)
    const added: string[] = []
    const removed: string[] = []
    const a = await c.subscribe('device-added', { domain: dom, listener: (e) => added.push(e.alias) })
    const r = await c.subscribe('device-removed', { listener: (e) => removed.push(`${e.domain.name}:${e.alias}`) })
    expect(server.callbacks.get(a.callbackId)?.domain).toBe('guest')
    expect(server.callbacks.get(r.callbackId)?.domain).toBeUndefined()
    server.emitDevice('added', server.domains.get('guest')!, 'ua-new')
    server.emitDevice('added', other, 'ua-elsewhere')
    server.emitDevice('removed', other, 'ua-gone')
    await until(() => added.length === 1 && removed.length === 1)
    expect(added).toEqual(['ua-new'])
    expect(removed).toEqual(['other:ua-gone'])
    await a.close()
    await r.close()
    await a.close()
    expect(server.callbacks.size).toBe(0)
  })

  it('delivers an event that follows the register reply in the same chunk', async () => {
    const c = await connect()
    server.handlers.set(P.REGISTER_ANY, (call) => {
      call.args.int()
      const domain = server.domains.get('guest')!
      const id = server.nextCallbackId++
      server.callbacks.set(id, { id, eventId: 19, domain: undefined, client: call.client })
      const reply = packet(0x20008086, P.REGISTER_ANY, 1, call.serial, 0, new W().int(id).done())
      const event = packet(0x20008086, P.EVENT_DEVICE_ADDED, 2, 0, 0, new W().int(id).domain(domain).string('ua-fast').done())
      const both = new Uint8Array(reply.length + event.length)
      both.set(reply)
      both.set(event, reply.length)
      call.client.send(both)
    })
    const sub = await c.subscribe('device-added')
    const first = await sub[Symbol.asyncIterator]().next()
    expect(first.value).toMatchObject({ type: 'device-added', alias: 'ua-fast' })
    await sub.close()
  })

  it('bounds the queue of an unread subscription', async () => {
    const c = await connect({ maxQueuedEvents: 3 })
    const sub = await c.subscribe('device-added')
    for (let i = 0; i < 5; i++) server.emitDevice('added', server.domains.get('guest')!, `ua-${i}`)
    await until(() => sub.dropped === 2)
    const it = sub[Symbol.asyncIterator]()
    expect((await it.next()).value).toMatchObject({ alias: 'ua-2' })
    await sub.close()
    expect(await it.next()).toEqual({ value: undefined, done: true })
  })

  it('ends iteration with the error when the connection drops, and done on close', async () => {
    const c = await connect()
    const sub = await c.subscribe('lifecycle')
    const next = sub[Symbol.asyncIterator]().next()
    server.client.destroy()
    await expect(next).rejects.toMatchObject({ code: 'libvirt-connection-lost' })
    const c2 = await connect()
    const sub2 = await c2.subscribe('lifecycle')
    const next2 = sub2[Symbol.asyncIterator]().next()
    await c2.close()
    expect(await next2).toEqual({ value: undefined, done: true })
    await sub2.close()
  })

  it('shares one registration between subscriptions of the same kind and filter, as libvirtd allows only one', async () => {
    const c = await connect()
    const dom = await guest(c)
    const seen: string[] = []
    const [a, b] = await Promise.all([
      c.subscribe('device-removed', { domain: dom, listener: (e) => seen.push(`a:${e.alias}`) }),
      c.subscribe('device-removed', { domain: dom, listener: (e) => seen.push(`b:${e.alias}`) }),
    ])
    const all = await c.subscribe('device-removed', { listener: (e) => seen.push(`all:${e.alias}`) })
    expect(a.callbackId).toBe(b.callbackId)
    expect(all.callbackId).not.toBe(a.callbackId)
    expect(server.callbacks.size).toBe(2)
    server.emitDevice('removed', server.domains.get('guest')!, 'ua-x')
    await until(() => seen.length === 3)
    expect(seen.sort()).toEqual(['a:ua-x', 'all:ua-x', 'b:ua-x'])
    await a.close()
    expect(server.callbacks.size).toBe(2)
    server.emitDevice('removed', server.domains.get('guest')!, 'ua-y')
    await until(() => seen.length === 5)
    expect(seen.filter((x) => x.endsWith('ua-y')).sort()).toEqual(['all:ua-y', 'b:ua-y'])
    // The last one out deregisters; a new subscription right after registers again.
    const closing = b.close()
    const again = await c.subscribe('device-removed', { domain: dom })
    await closing
    expect(server.callbacks.size).toBe(2)
    expect(again.callbackId).not.toBe(a.callbackId)
    await again.close()
    await all.close()
    expect(server.callbacks.size).toBe(0)
  })

  it('refuses an unknown event kind', async () => {
    const c = await connect()
    await expect(c.subscribe('reboot' as 'lifecycle')).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
  })
})

describe('detachAndWait', () => {
  it('subscribes first, detaches live, and returns the verified live XML (event before the reply)', async () => {
    const c = await connect()
    const dom = await guest(c)
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 1000 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', alias: 'ua-disk1', attempts: 1, verified: true })
    expect(result.ok && result.xml).not.toContain('ua-disk1')
    const order = server.client.calls.map((call) => call.procedure)
    expect(order.indexOf(P.REGISTER_ANY)).toBeLessThan(order.indexOf(P.DETACH_DEVICE_ALIAS))
    expect(server.log.find((l) => l.procedure === P.DETACH_DEVICE_ALIAS)).toMatchObject({ flags: 1 })
    expect(server.callbacks.size).toBe(0)
  })

  it('waits for an event that comes after the reply', async () => {
    const c = await connect()
    const dom = await guest(c)
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      call.args.domain()
      const alias = call.args.string()
      call.client.reply(call)
      setTimeout(() => server.emitDevice('removed', server.domains.get('guest')!, alias), 30)
    })
    const result = await c.detachAndWait(dom, 'ua-net1', { timeoutMs: 1000 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', attempts: 1, verified: true })
  })

  it('ignores removal events for other aliases', async () => {
    const c = await connect()
    const dom = await guest(c)
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      call.client.reply(call)
      server.emitDevice('removed', server.domains.get('guest')!, 'ua-net1')
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 40, retries: 0 })
    expect(result).toEqual({ ok: false, outcome: 'timeout', alias: 'ua-disk1', attempts: 1 })
  })

  it('reports the guest refusing (device-removal-failed)', async () => {
    const c = await connect()
    const dom = await guest(c)
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      call.args.domain()
      const alias = call.args.string()
      call.client.reply(call)
      server.emitDevice('removal-failed', server.domains.get('guest')!, alias)
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 1000 })
    expect(result).toEqual({ ok: false, outcome: 'removal-failed', alias: 'ua-disk1', attempts: 1 })
  })

  it('retries after a silent attempt and succeeds on the next one', async () => {
    const c = await connect()
    const dom = await guest(c)
    let attempts = 0
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      call.args.domain()
      const alias = call.args.string()
      attempts++
      call.client.reply(call)
      if (attempts === 2) server.emitDevice('removed', server.domains.get('guest')!, alias)
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 40, retries: 3, retryDelayMs: 5 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', attempts: 2 })
  })

  it('treats "already in the process of unplug" as still pending, and reports it when nothing comes', async () => {
    const c = await connect()
    const dom = await guest(c)
    let attempts = 0
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      attempts++
      if (attempts === 1) call.client.reply(call)
      else call.client.error(call, { code: 1, domain: 10, message: "internal error: unable to execute QEMU command 'device_del': Device ua-disk1 is already in the process of unplug" })
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 30, retries: 2, retryDelayMs: 5 })
    expect(result).toEqual({ ok: false, outcome: 'in-progress', alias: 'ua-disk1', attempts: 3 })
  })

  it('completes when the event comes while libvirt says the unplug is in progress', async () => {
    const c = await connect()
    const dom = await guest(c)
    let attempts = 0
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      attempts++
      if (attempts === 1) return call.client.reply(call)
      call.client.error(call, { code: 1, domain: 10, message: 'Device ua-disk1 is already in the process of unplug' })
      setTimeout(() => server.emitDevice('removed', server.domains.get('guest')!, 'ua-disk1'), 10)
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 30, retries: 2, retryDelayMs: 5 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', attempts: 2 })
  })

  it('times out after the bounded attempts', async () => {
    const c = await connect()
    const dom = await guest(c)
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => call.client.reply(call))
    const started = Date.now()
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 30, retries: 2, retryDelayMs: 10 })
    expect(result).toEqual({ ok: false, outcome: 'timeout', alias: 'ua-disk1', attempts: 3 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
    expect(server.client.calls.filter((call) => call.procedure === P.DETACH_DEVICE_ALIAS)).toHaveLength(3)
    expect(server.callbacks.size).toBe(0)
  })

  it('counts a device that vanished between attempts as removed, and verifies the XML', async () => {
    const c = await connect()
    const dom = await guest(c)
    let attempts = 0
    server.handlers.set(P.DETACH_DEVICE_ALIAS, (call) => {
      attempts++
      if (attempts === 1) {
        server.domains.get('guest')!.aliases = ['ua-net1']
        return call.client.reply(call)
      }
      call.client.error(call, { code: 99, domain: 10, message: 'device not found: no device found with alias ua-disk1' })
    })
    const result = await c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 20, retries: 1, retryDelayMs: 5 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', attempts: 2, verified: true })
  })

  it('runs concurrently on one domain, next to the caller\'s own device-removed subscription', async () => {
    const c = await connect()
    const dom = await guest(c)
    server.domains.get('guest')!.aliases.push('ua-net1')
    const mine: string[] = []
    const watch = await c.subscribe('device-removed', { domain: dom, listener: (e) => mine.push(e.alias) })
    const results = await Promise.all([c.detachAndWait(dom, 'ua-disk1', { timeoutMs: 1000 }), c.detachAndWait(dom, 'ua-net1', { timeoutMs: 1000 })])
    expect(results.map((r) => r.outcome)).toEqual(['removed', 'removed'])
    expect(mine.sort()).toEqual(['ua-disk1', 'ua-net1'])
    expect(server.callbacks.size).toBe(1)
    await watch.close()
    expect(server.callbacks.size).toBe(0)
  })

  it('throws other libvirt errors (no such device on the first attempt, no domain)', async () => {
    const c = await connect()
    const dom = await guest(c)
    await expect(c.detachAndWait(dom, 'ua-nothing', { timeoutMs: 20 })).rejects.toMatchObject({ codeName: 'VIR_ERR_DEVICE_MISSING' })
    const ghost = { ...dom, name: 'ghost' }
    await expect(c.detachAndWait(ghost, 'ua-disk1', { timeoutMs: 20 })).rejects.toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN' })
    expect(server.callbacks.size).toBe(0)
  })
})

describe('attach(plan) and detach(plan)', () => {
  // Plans as @virtuned/hotplug's planAttach / planDetach return them.
  const diskPlan = { ok: true as const, kind: 'disk', xml: "<disk type='file'><alias name='ua-disk9'/></disk>", alias: 'ua-disk9', flags: 'live' as const, filled: [] }

  function attachAdds() {
    server.handlers.set(P.ATTACH_DEVICE_FLAGS, (call) => {
      const ref = call.args.domain()
      const xml = call.args.string()
      server.log.push({ procedure: P.ATTACH_DEVICE_FLAGS, name: ref.name, xml, flags: call.args.uint() })
      server.domains.get(ref.name)!.aliases.push(/alias name='([^']+)'/.exec(xml)![1]!)
      call.client.reply(call)
    })
  }

  it('sends the plan\'s XML with its flags and reads the domain XML back', async () => {
    attachAdds()
    const c = await connect()
    const dom = await guest(c)
    const result = await c.attach(dom, diskPlan)
    expect(result).toMatchObject({ alias: 'ua-disk9', verified: true })
    expect(result.xml).toContain("<alias name='ua-disk9'/>")
    const [attach, xml] = server.log.slice(-2)
    expect(attach).toEqual({ procedure: P.ATTACH_DEVICE_FLAGS, name: 'guest', xml: diskPlan.xml, flags: 1 })
    expect(xml).toMatchObject({ procedure: P.GET_XML_DESC, flags: 0 })
    await c.attach(dom, { ...diskPlan, alias: 'ua-disk8', xml: "<disk><alias name='ua-disk8'/></disk>", flags: 'live+config' })
    expect(server.log.at(-2)).toMatchObject({ flags: 3 })
    // config only: the persistent XML is read back.
    await c.attach(dom, { ...diskPlan, alias: 'ua-disk7', xml: "<disk><alias name='ua-disk7'/></disk>", flags: 'config' })
    expect(server.log.slice(-2)).toMatchObject([{ flags: 2 }, { procedure: P.GET_XML_DESC, flags: 2 }])
  })

  it('says when the alias is not in the XML read back', async () => {
    const c = await connect()
    const dom = await guest(c)
    expect(await c.attach(dom, diskPlan)).toMatchObject({ alias: 'ua-disk9', verified: false })
  })

  it('refuses a plan with ok: false without sending anything', async () => {
    const c = await connect()
    const dom = await guest(c)
    const refused = { ok: false as const, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT', message: 'No free hot-pluggable pcie-root-port', policy: 'hotplug-ready' }] }
    const error = await c.attach(dom, refused).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LibvirtUsageError)
    expect(error).toMatchObject({ code: 'libvirt-plan-refused' })
    expect((error as Error).message).toContain('NO_FREE_HOTPLUG_SLOT')
    await expect(c.detach(dom, { ok: false, problems: [{ code: 'NOT_FOUND', message: 'No device matches' }] })).rejects.toMatchObject({ code: 'libvirt-plan-refused' })
    await expect(c.detach(dom, { alias: '' })).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
    expect(server.log.some((l) => l.procedure === P.ATTACH_DEVICE_FLAGS || l.procedure === P.DETACH_DEVICE_ALIAS)).toBe(false)
  })

  it('detaches a plan\'s device by alias and waits for it to go', async () => {
    const c = await connect()
    const dom = await guest(c)
    const result = await c.detach(dom, { ok: true, method: 'alias', alias: 'ua-disk1', xml: "<disk><alias name='ua-disk1'/></disk>" }, { timeoutMs: 1000 })
    expect(result).toMatchObject({ ok: true, outcome: 'removed', alias: 'ua-disk1', verified: true })
    expect(server.log.find((l) => l.procedure === P.DETACH_DEVICE_ALIAS)).toMatchObject({ alias: 'ua-disk1', flags: 1 })
  })
})
