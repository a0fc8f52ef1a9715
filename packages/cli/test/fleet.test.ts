// `virtuned fleet` against fake libvirtd servers on loopback (the adapter's test fake): 200 hosts, a
// tenth of them slow and some closing the connection mid-call, plus one that is not listening. Every
// host gets a line (or a JSON entry), failures are reported without stopping the rest, exit 1 if any
// failed; a terminal gets a progress bar; hosts files as URI lines or YAML with names and tags.
import { readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../src/index.ts'
import { parseHostsFile } from '../src/fleet-command.ts'
import { FakeLibvirtd, P, W, activeHandles, leakedHandles, until } from '../../libvirt-adapter/test/fake-libvirtd.ts'
import { memoryIo } from './_io.ts'

const total = 200
const slow = new Set(Array.from({ length: total / 10 }, (_, i) => i * 10 + 4))
const dropping = new Set([9, 88, 177])
const fakes: FakeLibvirtd[] = []
let deadPort = 0

const uriOf = (fake: FakeLibvirtd) => `qemu+tcp://127.0.0.1:${fake.port}/system`

beforeAll(async () => {
  for (let i = 0; i < total; i++) {
    const fake = new FakeLibvirtd()
    const xml = fake.handlers.get(P.GET_XML_DESC)!
    if (slow.has(i)) fake.handlers.set(P.GET_XML_DESC, (c) => void setTimeout(() => xml(c), 500))
    if (dropping.has(i)) fake.handlers.set(P.GET_XML_DESC, (c) => c.client.destroy())
    await fake.listen({ tcp: true })
    fakes.push(fake)
  }
  deadPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
})

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.stop()))
})

describe('virtuned fleet', () => {
  it('dumpxml on 201 hosts: a line per host in file order, the failures named with their codes, exit 1, no leaks', async () => {
    const hosts = ['# the fleet', ...fakes.map(uriOf), `qemu+tcp://127.0.0.1:${deadPort}/system   # switched off`].join('\n')
    const baseline = activeHandles()
    const fds = readdirSync('/proc/self/fd').length
    const io = memoryIo({ 'hosts.txt': hosts }, { readDisk: false })
    expect(await run(['fleet', 'hosts.txt', 'dumpxml', 'guest', '--concurrency', '32'], io)).toBe(1)
    const lines = io.out.trim().split('\n')
    expect(lines[0]).toMatch(/^HOST +RESULT +TIME +DETAIL$/)
    expect(lines).toHaveLength(total + 3)
    const rows = lines.slice(1, -1)
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([...fakes.map((f) => `127.0.0.1:${f.port}`), `127.0.0.1:${deadPort}`])
    const failed = rows.filter((r) => / FAILED /.test(r))
    expect(failed).toHaveLength(dropping.size + 1)
    for (const i of dropping) expect(rows[i]).toMatch(/FAILED .*\[libvirt-connection-lost\]$/)
    expect(rows.at(-1)).toMatch(/FAILED .*Cannot connect.*\[libvirt-connect-failed\]$/)
    expect(rows[0]).toMatch(/ ok .* \d+ bytes$/)
    expect(lines.at(-1)).toMatch(/^201 hosts: 197 ok, 4 failed in [\d.]+ s \([\d.]+ hosts\/s, p50 \d+ ms, p99 \d+ ms\)$/)
    expect(io.err).toBe('')
    await until(() => Object.keys(leakedHandles(baseline)).length === 0 && readdirSync('/proc/self/fd').length <= fds, 3000)
  }, 20_000)

  it('--json carries each host\'s result or error; a terminal gets a progress bar on stderr', async () => {
    const io = memoryIo({ 'hosts.txt': fakes.slice(0, 12).map(uriOf).join('\n') }, { readDisk: false, terminal: true })
    expect(await run(['fleet', 'hosts.txt', 'dumpxml', 'guest', '--json', '-j', '4'], io)).toBe(1)
    const report = JSON.parse(io.out)
    expect(report).toMatchObject({ command: 'dumpxml', hosts: 12, ok: 11, failed: 1 })
    expect(report.results[0]).toMatchObject({ ok: true, result: { xml: expect.stringContaining('<name>guest</name>') } })
    expect(report.results[9]).toMatchObject({ ok: false, error: { code: 'libvirt-connection-lost' } })
    // --json is for machines: no progress bar even on a terminal.
    expect(io.err).toBe('')
    const table = memoryIo({ 'hosts.txt': fakes.slice(0, 3).map(uriOf).join('\n') }, { readDisk: false, terminal: true })
    expect(await run(['fleet', 'hosts.txt', 'hostname'], table)).toBe(0)
    expect(table.err).toContain('\rfleet [##########')
    expect(table.err).toContain('3/3 hosts')
    expect(table.out).toMatch(/ ok .* fake-host\n/)
  })

  it('YAML hosts with names and tags, --tag selects; define, detach by alias and --output-dir on the selected hosts', async () => {
    const yaml = ['hosts:', ...fakes.slice(20, 26).map((f, i) => `  - { name: node-${i}, uri: '${uriOf(f)}', tags: [${i % 2 ? 'odd' : 'even'}, eu] }`)].join('\n')
    const domain = "<domain type='qemu'><name>vt-fleet</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>"
    const io = memoryIo({ 'fleet.yaml': yaml, 'd.xml': domain }, { readDisk: false })
    expect(await run(['fleet', 'fleet.yaml', 'define', 'd.xml', '--tag', 'even', '--tag', 'eu'], io), io.out + io.err).toBe(0)
    expect(io.out).toMatch(/^node-0 .* defined vt-fleet$/m)
    expect(io.out).not.toContain('node-1')
    expect(fakes.slice(20, 26).map((f) => f.domains.has('vt-fleet'))).toEqual([true, false, true, false, true, false])

    const detach = memoryIo({ 'fleet.yaml': yaml }, { readDisk: false })
    expect(await run(['fleet', 'fleet.yaml', 'detach', 'guest', '--alias', 'ua-disk1', '--tag', 'odd', '--json'], detach), detach.out + detach.err).toBe(0)
    expect(JSON.parse(detach.out).results.map((r: { name: string; result: { outcome: string } }) => `${r.name}:${r.result.outcome}`)).toEqual(['node-1:removed', 'node-3:removed', 'node-5:removed'])

    const dump = memoryIo({ 'fleet.yaml': yaml }, { readDisk: false })
    expect(await run(['fleet', 'fleet.yaml', 'dumpxml', 'guest', '--tag', 'even', '--output-dir', 'out'], dump)).toBe(0)
    expect(Object.keys(dump.written).sort()).toEqual(['out/node-0.xml', 'out/node-2.xml', 'out/node-4.xml'])
  })

  it('bad hosts files and usage are exit 2 with the file and line; qemu+ext is refused per host', async () => {
    const cases: Array<[Record<string, string>, string[], RegExp]> = [
      [{ 'h.txt': 'qemu+tcp://a/system\nnot a uri\n' }, ['fleet', 'h.txt', 'hostname'], /^h\.txt:2:1: Unexpected `not a uri`.*\[cli-fleet-hosts\]/],
      [{ 'h.txt': 'qemu+tcp://a/system\nqemu+tcp://a/system\n' }, ['fleet', 'h.txt', 'hostname'], /h\.txt:2:1: Unexpected second host named `a`/],
      [{ 'h.txt': 'hosts:\n  - { name: x }\n' }, ['fleet', 'h.txt', 'hostname'], /Unexpected host #1/],
      [{ 'h.txt': '# nothing\n' }, ['fleet', 'h.txt', 'hostname'], /No hosts in the file/],
      [{ 'h.txt': 'qemu+tcp://a/system\n' }, ['fleet', 'h.txt', 'reboot'], /Unexpected fleet command `reboot`/],
      [{ 'h.txt': 'qemu+tcp://a/system\n' }, ['fleet', 'h.txt', 'dumpxml', 'x', '--policy', 'p'], /Unexpected --policy for `fleet … dumpxml`/],
      [{ 'h.txt': 'qemu+tcp://a/system\n' }, ['fleet', 'h.txt', 'hostname', '--concurrency', '0'], /Unexpected --concurrency `0`/],
      [{}, ['fleet', 'missing.txt', 'hostname'], /Cannot read missing\.txt/],
    ]
    for (const [files, argv, message] of cases) {
      const io = memoryIo(files, { readDisk: false })
      expect(await run(argv, io), argv.join(' ')).toBe(2)
      expect(io.err, argv.join(' ')).toMatch(message)
    }
    const ext = memoryIo({ 'h.txt': 'qemu+ext://localhost/system?command=/bin/true\n' }, { readDisk: false })
    expect(await run(['fleet', 'h.txt', 'hostname'], ext)).toBe(1)
    expect(ext.out).toContain('[libvirt-ext-refused]')
  })

  it('events: lifecycle events of many hosts on one stream, one line each', async () => {
    const some = fakes.slice(40, 44)
    const io = memoryIo({ 'h.txt': some.map(uriOf).join('\n') }, { readDisk: false })
    const running = run(['fleet', 'h.txt', 'events', '--kind', 'lifecycle', '--for', '1'], io)
    await until(() => some.every((f) => f.callbacks.size > 0), 3000)
    some.forEach((f) => f.emitLifecycle(f.domains.get('guest')!, 2, 0))
    expect(await running).toBe(0)
    expect(io.out.trim().split('\n').sort()).toEqual(some.map((f) => `127.0.0.1:${f.port}\tguest\tlifecycle\tstarted`).sort())
  })

  it('what hosts send reaches the terminal as one printable line per host', async () => {
    const fake = fakes[60]!
    const hostname = fake.handlers.get(P.GET_HOSTNAME)!
    fake.handlers.set(P.GET_HOSTNAME, (c) => c.client.reply(c, new W().string('\x1b]0;pwned\x07\x1b[31mevil\x1b[0m\nsecond line').done()))
    try {
      const io = memoryIo({ 'h.txt': uriOf(fake) }, { readDisk: false })
      expect(await run(['fleet', 'h.txt', 'hostname'], io)).toBe(0)
      expect(io.out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
      expect(io.out.split('\n')[1]).toMatch(/ ok .* evil second line$/)
    } finally {
      fake.handlers.set(P.GET_HOSTNAME, hostname)
    }
  })

  it('parseHostsFile: names default to user@host:port, YAML lists of strings, comma tags', () => {
    expect(parseHostsFile('qemu+ssh://root@h1:2222/system?keyfile=/k\nqemu:///system\n', 'f')).toEqual([
      { name: 'root@h1:2222', uri: 'qemu+ssh://root@h1:2222/system?keyfile=/k' },
      { name: 'qemu:///system', uri: 'qemu:///system' },
    ])
    expect(parseHostsFile("- 'qemu+tls://a/system'\n- { uri: 'qemu+tls://b/system', tags: 'x, y' }\n", 'f')).toEqual([
      { name: 'a', uri: 'qemu+tls://a/system' },
      { name: 'b', uri: 'qemu+tls://b/system', tags: ['x', 'y'] },
    ])
  })
})
