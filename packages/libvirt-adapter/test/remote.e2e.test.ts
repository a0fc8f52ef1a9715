// The adapter over the real remote transports of the sandbox libvirtd (tools/libvirt-sandbox): TLS on
// 127.0.0.1:16514 with the sandbox CA, and ssh through the sandbox sshd on 127.0.0.1:2222 running
// virt-ssh-helper. Define, dumpxml, start, attach and detach-by-alias over each, with virsh over the
// same transport as the peer client; then every failure a fleet meets, provoked for real: a client
// certificate from a foreign CA, an expired one, a wrong host name, an untrusted server, a key not in
// authorized_keys, an unknown host key, nothing listening, and sshd killed in the middle of a call.
// In CI (CI=true) missing parts are failures; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { planAttach, planDetach } from '@virtuned/hotplug'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LibvirtConnectionError, createConnection, type LibvirtConnection } from '../src/index.ts'
import { libvirtAvailability, sandboxDir as dir, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability([
  ['/usr/sbin/sshd', 'sshd not installed (Debian openssh-server; tools/libvirt-sandbox/install.sh)'],
  ['/usr/bin/openssl', 'openssl not installed (tools/libvirt-sandbox/install.sh)'],
  ['/usr/bin/virt-ssh-helper', 'virt-ssh-helper not installed (Debian libvirt-daemon)'],
])
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
const pki = join(dir, 'pki')
const ssh = join(dir, 'ssh')
const tlsUri = (pkipath = 'client', host = '127.0.0.1') => `qemu+tls://${host}/system?pkipath=${join(pki, pkipath)}`
const sshUri = (key = 'id_ed25519', knownHosts = join(ssh, 'known_hosts')) => `qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(ssh, key)}&known_hosts=${knownHosts}`
/** virsh's ssh transport does not read `known_hosts=` (only libssh does): it gets `no_verify=1`. */
const virshSshUri = `qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(ssh, 'id_ed25519')}&no_verify=1`
const names = { tls: 'vt-test-remote-tls', ssh: 'vt-test-remote-ssh' } as const
let started = false

function virsh(uri: string, ...args: string[]): string {
  return execFileSync('virsh', ['-c', uri, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
}
function virshFails(uri: string, ...args: string[]): string {
  try {
    virsh(uri, ...args)
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error)
  }
  throw new Error(`virsh -c ${uri} ${args.join(' ')} succeeded`)
}

async function until(what: string, check: () => boolean | Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function guestXml(name: string): { xml: string; log: string } {
  const log = join(dir, `${name}.log`)
  writeFileSync(log, '')
  const xml = readFileSync(join(sandbox, 'guest-template.xml'), 'utf8')
    .replace('@NAME@', name).replaceAll('@GUEST@', join(sandbox, '.guest')).replace('@LOG@', log)
    .replace('@PORTS@', "<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/>")
  return { xml, log }
}

function removeDomain(name: string): void {
  for (const args of [['destroy', name], ['undefine', name]]) {
    try {
      execFileSync('virsh', ['-c', 'qemu:///system', ...args], { stdio: 'ignore', timeout: 30_000 })
    } catch {
      // not there
    }
  }
}

/** Our ssh children (never anyone else's processes). */
function sshChildren(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter((l) => / ssh$/.test(l))
  } catch {
    return []
  }
}

/** The processes below `pid` (children, grandchildren, …). */
function descendants(pid: number): number[] {
  let children = ''
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
  } catch {
    return []
  }
  return children.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0).flatMap((child) => [child, ...descendants(child)])
}

/** The socket inodes a process holds. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (m) inodes.add(m[1]!)
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone
  }
  return inodes
}

/** /proc/net/tcp as [local port, remote port, inode]. */
function tcpTable(): Array<[number, number, string]> {
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length > 9)
    .map((f) => [Number.parseInt(f[1]!.split(':')[1]!, 16), Number.parseInt(f[2]!.split(':')[1]!, 16), f[9]!])
}

/**
 * The sandbox sshd's processes serving *our* ssh child's connection (found by its TCP ports in
 * /proc), with their children — so another suite's ssh sessions to the same sshd are left alone.
 */
function ourSshdSession(): number[] {
  const ours = sshChildren().map((l) => Number(l.split(/\s+/)[0]))
  expect(ours).toHaveLength(1)
  const inodes = socketInodes(ours[0]!)
  const table = tcpTable()
  const localPort = table.find(([, remote, inode]) => remote === 2222 && inodes.has(inode))?.[0]
  expect(localPort, 'the ssh child\'s TCP connection to 127.0.0.1:2222').toBeDefined()
  const serverInodes = new Set(table.filter(([local, remote]) => local === 2222 && remote === localPort).map(([, , inode]) => inode))
  const listener = Number(readFileSync(join(dir, 'sshd.pid'), 'utf8').trim())
  const session = descendants(listener).filter((pid) => [...socketInodes(pid)].some((inode) => serverInodes.has(inode)))
  return [...new Set(session.flatMap((pid) => [pid, ...descendants(pid)]))]
}

/** A typed one-line error with this code, within `seconds`. */
async function failsWith(promise: Promise<unknown>, code: string, seconds = 15): Promise<LibvirtConnectionError> {
  const t = Date.now()
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(Date.now() - t).toBeLessThan(seconds * 1000)
  expect(error, `expected ${code}`).toBeInstanceOf(LibvirtConnectionError)
  expect((error as LibvirtConnectionError).code, (error as Error).message).toBe(code)
  expect((error as Error).message).not.toContain('\n')
  return error as LibvirtConnectionError
}

/** define → dumpxml (and virsh's) → start → attach a disk → virsh sees its alias → detach by alias → virsh no longer sees it. */
async function fullCycle(conn: LibvirtConnection, name: string, peer: string): Promise<void> {
  removeDomain(name)
  const { xml, log } = guestXml(name)
  const defined = await conn.defineXML(xml, { validate: true })
  expect(defined.name).toBe(name)
  expect(await conn.getXMLDesc(defined, { inactive: true })).toContain(`<name>${name}</name>`)
  expect(virsh(peer, 'dumpxml', name, '--inactive')).toContain(`<name>${name}</name>`)
  const running = await conn.create(defined)
  await until(`${name} to boot`, () => readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY'), 90)
  const image = join(dir, `${name}.qcow2`)
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M'])
  const plan = planAttach(await conn.getXMLDesc(running), { disk: { source: { file: image }, format: 'qcow2' } }, { seed: name })
  expect(plan.ok).toBe(true)
  if (!plan.ok) return
  const attached = await conn.attach(running, plan)
  expect(attached.verified).toBe(true)
  expect(virsh(peer, 'dumpxml', name)).toContain(`<alias name='${plan.alias}'/>`)
  const detach = planDetach(attached.xml, { alias: plan.alias })
  expect(detach.ok).toBe(true)
  if (!detach.ok) return
  const result = await conn.detach(running, detach, { timeoutMs: 30_000 })
  expect(result).toMatchObject({ ok: true, outcome: 'removed', alias: plan.alias })
  expect(virsh(peer, 'dumpxml', name)).not.toContain(`<alias name='${plan.alias}'/>`)
  await conn.destroy(running)
  await conn.undefine(running)
  expect(virsh(peer, 'list', '--all', '--name')).not.toContain(name)
  rmSync(image, { force: true })
}

describe.skipIf(!run)(`the adapter over qemu+tls and qemu+ssh to the sandbox${reason ? ` (skipped: ${reason})` : ''}`, () => {
  beforeAll(() => {
    expect(reason, 'CI must run the remote tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
    // start.sh returns with sshd up (tools/libvirt-sandbox/sshd.sh waits for its pid file) or says why not
    const said = execFileSync('bash', [join(sandbox, 'start.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env, timeout: 180_000 })
    started = true
    expect(existsSync(join(pki, 'client', 'cacert.pem')), `the sandbox has no certificates: the running libvirtd was started without TLS (stop.sh --force, then again); start.sh said: ${said}`).toBe(true)
    expect(existsSync(join(dir, 'sshd.pid')), `the sandbox sshd is not running (see ${join(dir, 'sshd.log')}); start.sh said: ${said}`).toBe(true)
    for (const name of Object.values(names)) removeDomain(name)
  }, 400_000)

  afterAll(() => {
    try {
      for (const name of Object.values(names)) removeDomain(name)
    } finally {
      if (started) execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    }
  }, 120_000)

  it('qemu+tls: define, dumpxml, start, attach a disk and detach it by alias; virsh over qemu+tls sees each step', async () => {
    const conn = await createConnection(tlsUri())
    try {
      expect(conn.target).toMatchObject({ transport: 'tls', host: '127.0.0.1', port: 16514, name: 'qemu:///system' })
      expect(await conn.getHostname()).toBe(virsh(tlsUri(), 'hostname').trim())
      await fullCycle(conn, names.tls, tlsUri())
    } finally {
      await conn.close()
    }
  }, 180_000)

  it('qemu+ssh through virt-ssh-helper: define, dumpxml, start, attach a disk and detach it by alias; virsh over qemu+ssh sees each step; no ssh left behind', async () => {
    const conn = await createConnection(sshUri())
    try {
      expect(conn.target).toMatchObject({ transport: 'ssh', host: '127.0.0.1', port: 2222, user: 'root' })
      await fullCycle(conn, names.ssh, virshSshUri)
    } finally {
      await conn.close()
    }
    await until('the ssh child to exit', () => sshChildren().length === 0, 5)
  }, 180_000)

  it('qemu+ssh with proxy=netcat runs `nc -U` on the host instead', async () => {
    const conn = await createConnection(`${sshUri()}&proxy=netcat`)
    try {
      expect((await conn.listAllDomains()).length).toBeGreaterThanOrEqual(0)
      expect(await conn.getLibVersion()).toBeGreaterThan(4_000_000)
    } finally {
      await conn.close()
    }
  }, 60_000)

  it('TLS failures are typed, one line, and fast; virsh fails the same way', async () => {
    // A client certificate from another CA: our cacert.pem trusts libvirtd, libvirtd does not trust us.
    const foreign = await failsWith(createConnection(tlsUri('foreign')), 'libvirt-tls-rejected')
    expect(foreign.message).toContain('refused our client certificate')
    expect(virshFails(tlsUri('foreign'), 'hostname')).toMatch(/TLS confirmation|verification/)
    // Expired: refused before connecting, as libvirt's own client does.
    expect((await failsWith(createConnection(tlsUri('expired')), 'libvirt-tls-cert-expired')).message).toMatch(/expired on/)
    expect(virshFails(tlsUri('expired'), 'hostname')).toMatch(/has expired/)
    // libvirtd's certificate names IP:127.0.0.1 and DNS:virtuned-sandbox, not localhost.
    expect((await failsWith(createConnection(tlsUri('client', 'localhost')), 'libvirt-tls-hostname-mismatch')).message).toContain('IP Address:127.0.0.1')
    expect(virshFails(tlsUri('client', 'localhost'), 'hostname')).toMatch(/does not match the hostname|verify peer/)
    // cacert.pem without the sandbox CA: libvirtd's certificate is untrusted.
    await failsWith(createConnection(tlsUri('untrusting')), 'libvirt-tls-untrusted')
    // Nothing listens on that port.
    await failsWith(createConnection(`qemu+tls://127.0.0.1:1/system?pkipath=${join(pki, 'client')}`), 'libvirt-connect-failed')
    // A pkipath without the files.
    await failsWith(createConnection(tlsUri('nowhere')), 'libvirt-tls-bad-pki')
  }, 60_000)

  it('SSH failures are typed, one line, never a prompt; no ssh child is left', async () => {
    const other = await failsWith(createConnection(sshUri('other_ed25519')), 'libvirt-ssh-auth-failed')
    expect(other.message).toContain('Permission denied')
    expect(virshFails(`qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(ssh, 'other_ed25519')}&no_verify=1`, 'hostname')).toMatch(/Permission denied|authentication/i)
    await failsWith(createConnection(sshUri('id_ed25519', '/dev/null')), 'libvirt-ssh-host-key')
    await failsWith(createConnection(`qemu+ssh://root@127.0.0.1:1/system?keyfile=${join(ssh, 'id_ed25519')}&no_verify=1`), 'libvirt-connect-failed')
    await until('ssh children to exit', () => sshChildren().length === 0, 5)
  }, 60_000)

  it('sshd killed in the middle of a call: the call fails with libvirt-connection-lost, no hang, no ssh left; another session lives on', async () => {
    const conn = await createConnection(sshUri(), { keepalive: false })
    expect(await conn.getHostname()).toBeTruthy()
    const sessions = ourSshdSession()
    expect(sessions.length).toBeGreaterThan(0)
    // Another client of the same sshd, which must not notice.
    const bystander = await createConnection(sshUri(), { keepalive: false })
    // Only this connection's sshd processes (other suites may be using the same sshd). Frozen first,
    // so the call is surely in flight when the host goes away.
    for (const pid of sessions) process.kill(pid, 'SIGSTOP')
    const call = conn.getCapabilities()
    await new Promise((r) => setTimeout(r, 200))
    for (const pid of sessions) process.kill(pid, 'SIGKILL')
    const error = await failsWith(call, 'libvirt-connection-lost', 10)
    expect(error.message).toContain('127.0.0.1')
    expect((await conn.closed).code).toBe('libvirt-connection-lost')
    await conn.close()
    expect(await bystander.getHostname()).toBeTruthy()
    await bystander.close()
    await until('the ssh child to exit', () => sshChildren().length === 0, 5)
    // The listener itself lives on: a new connection works.
    const again = await createConnection(sshUri())
    expect(await again.getHostname()).toBeTruthy()
    await again.close()
  }, 60_000)
})
