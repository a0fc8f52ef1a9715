// Many hosts at once, simulated on loopback: 200 fake libvirtd servers, a tenth of them slow (500 ms per call), some
// closing the connection in the middle of a call, some not listening at all. Every host gets its own
// outcome, the run never waits for more than `concurrency` connections at once (file descriptors and
// memory stay bounded), and nothing is left open afterwards. Then events from many hosts on one stream.
import { readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectMany, createRemoteTransport, runOnHosts, type FleetEvent, type FleetHost } from '../src/index.ts'
import { FakeLibvirtd, P, activeHandles, childPids, leakedHandles, until } from './fake-libvirtd.ts'

const total = 200
const slow = new Set(Array.from({ length: total / 10 }, (_, i) => i * 10 + 3))
const dropping = new Set([7, 51, 99, 150, 198])
const fakes: FakeLibvirtd[] = []
let unreachablePort = 0

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const openFds = () => readdirSync('/proc/self/fd').length

beforeAll(async () => {
  for (let i = 0; i < total; i++) {
    const fake = new FakeLibvirtd()
    const xml = fake.handlers.get(P.GET_XML_DESC)!
    if (slow.has(i)) fake.handlers.set(P.GET_XML_DESC, (c) => void setTimeout(() => xml(c), 500))
    if (dropping.has(i)) fake.handlers.set(P.GET_XML_DESC, (c) => c.client.destroy())
    await fake.listen({ tcp: true })
    fakes.push(fake)
  }
  unreachablePort = await freePort()
})

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.stop()))
})

describe('runOnHosts', () => {
  it('200 hosts (20 slow, 5 closing mid-call, 1 not listening): one outcome per host in order, bounded fds and memory, no leaks', async () => {
    const hosts: FleetHost[] = fakes.map((f, i) => ({ name: `fake-${i}`, uri: `qemu+tcp://127.0.0.1:${f.port}/system`, tags: slow.has(i) ? ['slow'] : [] }))
    hosts.push({ name: 'nobody', uri: `qemu+tcp://127.0.0.1:${unreachablePort}/system` })
    const baseline = activeHandles()
    const fdsBefore = openFds()
    const heapBefore = process.memoryUsage().heapUsed
    let maxFds = fdsBefore
    const sampler = setInterval(() => (maxFds = Math.max(maxFds, openFds())), 2)
    const progress: number[] = []
    const concurrency = 32
    const started = performance.now()
    const outcomes = await runOnHosts(hosts, async (conn) => {
      const domain = await conn.lookupDomainByName('guest')
      return (await conn.getXMLDesc(domain)).length
    }, { concurrency, keepalive: false, onOutcome: (_o, done) => progress.push(done) })
    const elapsed = performance.now() - started
    clearInterval(sampler)

    expect(outcomes.map((o) => o.host.name)).toEqual(hosts.map((h) => h.name))
    expect(progress).toEqual(Array.from({ length: hosts.length }, (_, i) => i + 1))
    const failed = outcomes.filter((o) => !o.ok)
    expect(failed.map((o) => o.host.name).sort()).toEqual([...[...dropping].map((i) => `fake-${i}`), 'nobody'].sort())
    for (const o of failed) {
      if (o.ok) continue
      expect(o.error.code).toBe(o.host.name === 'nobody' ? 'libvirt-connect-failed' : 'libvirt-connection-lost')
      expect(o.error.message).not.toContain('\n')
    }
    expect(outcomes.filter((o) => o.ok)).toHaveLength(total - dropping.size)
    for (const o of outcomes) if (o.ok) expect(o.value).toBeGreaterThan(50)
    // At most `concurrency` connections at once: each is two descriptors here (client and fake server side).
    expect(maxFds - fdsBefore).toBeLessThanOrEqual(concurrency * 2 + 16)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)
    // 20 slow hosts of 500 ms each, 32 at a time: not serialised (20 × 500 ms alone would be 10 s).
    expect(elapsed).toBeLessThan(5000)
    await until(() => Object.keys(leakedHandles(baseline)).length === 0 && openFds() <= fdsBefore, 3000)
  }, 20_000)

  it('a throwing task and a libvirt error are outcomes too; an aborted run reports the hosts it did not start', async () => {
    const hosts = fakes.slice(0, 6).map((f, i) => ({ name: `h${i}`, uri: `qemu+tcp://127.0.0.1:${f.port}/system` }))
    const outcomes = await runOnHosts(hosts, async (conn, host) => {
      if (host.name === 'h1') throw new Error('boom')
      if (host.name === 'h2') await conn.lookupDomainByName('missing')
      return host.name
    }, { concurrency: 2, keepalive: false })
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'internal', 'libvirt-error', 'ok', 'ok', 'ok'])

    const controller = new AbortController()
    const partial = await runOnHosts(hosts, async (_c, host) => {
      if (host.name === 'h0') controller.abort()
      return host.name
    }, { concurrency: 1, keepalive: false, signal: controller.signal })
    expect(partial.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'fleet-aborted', 'fleet-aborted', 'fleet-aborted', 'fleet-aborted', 'fleet-aborted'])
    await expect(runOnHosts(hosts, async () => 1, { concurrency: 0 })).rejects.toMatchObject({ code: 'libvirt-bad-argument' })
  })
})

describe('runOnHosts over ssh', () => {
  it('16 ssh hosts through a stand-in ssh (2 refusing the key, 2 hanging, 2 unreachable): typed outcomes, and no child process left', async () => {
    const children = () => childPids().length
    const before = children()
    // The stand-in ssh pipes to this fake's unix socket, as virt-ssh-helper would on each host.
    const behind = new FakeLibvirtd()
    await behind.listen()
    process.env.FAKE_SSH_SOCKET = behind.socketPath
    const transport = createRemoteTransport({ sshCommand: new URL('./fake-ssh.mjs', import.meta.url).pathname })
    const hostsOf = (names: string[]) => names.map((name) => ({ name, uri: `qemu+ssh://root@${name}/system?no_verify=1` }))
    let running = 0
    let maxRunning = 0
    // Node starting 8 stand-ins at once on a busy machine can take a second: the default connect timeout here,
    const outcomes = await runOnHosts(hostsOf([...Array.from({ length: 10 }, (_, i) => `ok${i}`), 'deny-1', 'deny-2', 'refused-1', 'refused-2']), async (conn) => {
      maxRunning = Math.max(maxRunning, ++running)
      try {
        return await conn.getHostname()
      } finally {
        running--
      }
    }, { concurrency: 8, keepalive: false, transport })
    // and a short one for the hosts whose login hangs.
    const hung = await runOnHosts(hostsOf(['hang-1', 'hang-2']), (conn) => conn.getHostname(), { concurrency: 8, keepalive: false, connectTimeoutMs: 500, transport })
    const codes = Object.fromEntries([...outcomes, ...hung].map((o) => [o.host.name, o.ok ? o.value : o.error.code]))
    for (let i = 0; i < 10; i++) expect(codes[`ok${i}`]).toBe('fake-host')
    expect([codes['deny-1'], codes['deny-2'], codes['hang-1'], codes['hang-2'], codes['refused-1'], codes['refused-2']])
      .toEqual(['libvirt-ssh-auth-failed', 'libvirt-ssh-auth-failed', 'libvirt-handshake-timeout', 'libvirt-handshake-timeout', 'libvirt-connect-failed', 'libvirt-connect-failed'])
    expect(maxRunning).toBeLessThanOrEqual(8)
    await until(() => children() <= before, 3000)
    delete process.env.FAKE_SSH_SOCKET
    await behind.stop()
  }, 30_000)
})

describe('connectMany', () => {
  it('events from many hosts on one stream, tagged by host; a host that drops is one host-lost item; close ends it all', async () => {
    const baseline = activeHandles()
    const some = fakes.slice(20, 25)
    const hosts = some.map((f, i) => ({ name: `e${i}`, uri: `qemu+tcp://127.0.0.1:${f.port}/system` }))
    hosts.push({ name: 'nobody', uri: `qemu+tcp://127.0.0.1:${unreachablePort}/system` })
    const fleet = await connectMany(hosts, { concurrency: 4, keepalive: false })
    expect(fleet.hosts.map((h) => (h.ok ? 'ok' : h.error.code))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'libvirt-connect-failed'])
    const stream = await fleet.events('lifecycle')
    const seen: FleetEvent[] = []
    const reading = (async () => {
      for await (const item of stream) seen.push(item)
    })()
    some.forEach((fake, i) => fake.emitLifecycle(fake.domains.get('guest')!, i % 2 === 0 ? 2 : 5, 0))
    await until(() => seen.length === 5)
    expect(seen.map((s) => (s.type === 'event' ? `${s.host.name}:${s.event.type === 'lifecycle' ? s.event.eventName : ''}` : '')).sort())
      .toEqual(['e0:started', 'e1:stopped', 'e2:started', 'e3:stopped', 'e4:started'])
    some[2]!.clients.at(-1)!.destroy()
    await until(() => seen.some((s) => s.type === 'host-lost'))
    expect(seen.find((s) => s.type === 'host-lost')).toMatchObject({ host: { name: 'e2' }, error: { code: 'libvirt-connection-lost' } })
    some[0]!.emitLifecycle(some[0]!.domains.get('guest')!, 0, 0)
    await until(() => seen.length === 7)
    await fleet.close()
    await reading
    await until(() => Object.keys(leakedHandles(baseline)).length === 0, 3000)
  })
})
