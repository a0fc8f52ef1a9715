// The TLS and SSH transports without a libvirtd: TLS against a node:tls front (certificates from the
// sandbox's pki.sh) relaying to the fake libvirtd, and SSH through a stand-in `ssh` (test/fake-ssh.mjs)
// that either pipes to the fake or fails the way OpenSSH does. Every failure is typed, one line,
// bounded in time, and leaves no socket, timer or child process behind.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer, connect as netConnect, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LibvirtConnectionError, createConnection, createRemoteTransport, loadTlsCredentials, locateTlsFiles, parseLibvirtUri, sshCommandLine } from '../src/index.ts'
import { FakeLibvirtd, P, activeHandles, leakedHandles, until } from './fake-libvirtd.ts'

const fakeSsh = new URL('./fake-ssh.mjs', import.meta.url).pathname
const pkiScript = new URL('../../../tools/libvirt-sandbox/pki.sh', import.meta.url).pathname
const hasOpenssl = existsSync('/usr/bin/openssl')

async function failure(promise: Promise<unknown>): Promise<LibvirtConnectionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  expect((error as Error).message).not.toContain('\n')
  return error as LibvirtConnectionError
}

describe('the ssh command line (as libvirt builds it)', () => {
  it('maps user, port, keyfile, no_verify, known_hosts and sshauth; BatchMode, -T -e none; virt-ssh-helper or nc by proxy', () => {
    const target = parseLibvirtUri('qemu+ssh://admin@host.example:2200/system?keyfile=/k/id&no_verify=1&known_hosts=/k/kh&sshauth=privkey,agent')
    const args = sshCommandLine(target, { timeoutMs: 10_000 })
    expect(args.slice(0, -1)).toEqual(['-T', '-e', 'none', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', '2200', '-l', 'admin', '-i', '/k/id',
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/k/kh', '-o', 'PreferredAuthentications=publickey', '--', 'host.example'])
    expect(args.at(-1)).toBe(`sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then exec virt-ssh-helper '\\''qemu:///system'\\''; else if '\\''nc'\\'' -q 2>&1 | grep "requires an argument" >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; exec '\\''nc'\\'' $ARG -U '\\''/var/run/libvirt/libvirt-sock'\\''; fi'`)
    // No port in the URI: no -p (libvirt leaves it to ssh and ~/.ssh/config), though the target says 22.
    expect(parseLibvirtUri('qemu+ssh://h/system').port).toBe(22)
    expect(sshCommandLine(parseLibvirtUri('qemu+ssh://h/system'), { timeoutMs: 500 })).not.toContain('-p')
    expect(sshCommandLine(parseLibvirtUri('qemu+ssh://h:22/system'), { timeoutMs: 500 }).join(' ')).toContain('-p 22')
    expect(sshCommandLine(parseLibvirtUri('qemu+ssh://h/system?proxy=native'), { timeoutMs: 500 }).slice(-3)).toEqual(['--', 'h', "virt-ssh-helper 'qemu:///system'"])
    expect(sshCommandLine(parseLibvirtUri('qemu+ssh://h/system?proxy=netcat&socket=/run/x&netcat=ncat'), { timeoutMs: 500 }).at(-1)).toContain("exec '\\''ncat'\\'' $ARG -U '\\''/run/x'\\''")
    expect(() => sshCommandLine(parseLibvirtUri('qemu+ssh://h/system?proxy=telnet'), { timeoutMs: 500 })).toThrow(expect.objectContaining({ code: 'libvirt-bad-uri' }))
    expect(() => sshCommandLine(parseLibvirtUri('qemu+ssh://h/system?sshauth=magic'), { timeoutMs: 500 })).toThrow(expect.objectContaining({ code: 'libvirt-bad-uri' }))
  })
})

describe('libvirt\'s certificate locations', () => {
  it('pkipath, root\'s /etc/pki, and a user\'s ~/.pki/libvirt with each file falling back to the system one', () => {
    expect(locateTlsFiles(parseLibvirtUri('qemu+tls://h/system?pkipath=/p'))).toEqual({ cacert: '/p/cacert.pem', clientcert: '/p/clientcert.pem', clientkey: '/p/clientkey.pem', from: 'pkipath' })
    expect(locateTlsFiles(parseLibvirtUri('qemu+tls://h/system'), { root: true })).toEqual({ cacert: '/etc/pki/CA/cacert.pem', clientcert: '/etc/pki/libvirt/clientcert.pem', clientkey: '/etc/pki/libvirt/private/clientkey.pem', from: 'system' })
    const own = new Set(['/home/u/.pki/libvirt/clientcert.pem', '/home/u/.pki/libvirt/clientkey.pem'])
    expect(locateTlsFiles(parseLibvirtUri('qemu+tls://h/system'), { root: false, home: '/home/u', exists: (p) => own.has(p) }))
      .toEqual({ cacert: '/etc/pki/CA/cacert.pem', clientcert: '/home/u/.pki/libvirt/clientcert.pem', clientkey: '/home/u/.pki/libvirt/clientkey.pem', from: 'user' })
  })
})

describe.skipIf(!hasOpenssl)('qemu+tls against a node:tls front of the fake libvirtd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'virtuned-tls-'))
  const pki = join(dir, 'pki')
  const fake = new FakeLibvirtd()
  const servers: Server[] = []
  let port = 0
  let silentPort = 0
  let closingPort = 0
  let expiredPort = 0
  const uri = (set: string, host = '127.0.0.1', at = port) => `qemu+tls://${host}:${at}/system?pkipath=${join(pki, set)}`
  const listen = (server: Server) => new Promise<number>((resolve) => {
    servers.push(server)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
  })

  beforeAll(async () => {
    execFileSync('bash', [pkiScript, pki, '127.0.0.1'], { stdio: 'pipe', timeout: 60_000 })
    await fake.listen()
    const key = readFileSync(join(pki, 'server/serverkey.pem'))
    const cert = readFileSync(join(pki, 'server/servercert.pem'))
    const ca = readFileSync(join(pki, 'ca/cacert.pem'))
    // As libvirtd: our CA only, a client certificate required, then the confirmation byte.
    port = await listen(createTlsServer({ key, cert, ca, requestCert: true, rejectUnauthorized: true }, (socket: TLSSocket) => {
      socket.write(Buffer.from([1]))
      const upstream = netConnect(fake.socketPath)
      socket.pipe(upstream).pipe(socket)
      socket.on('error', () => upstream.destroy())
      upstream.on('error', () => socket.destroy())
      upstream.on('close', () => socket.destroy())
    }))
    // Accepts TCP and never speaks TLS.
    silentPort = await listen(createNetServer(() => {}))
    // Completes the handshake, then closes without confirming (libvirtd refusing our certificate or address).
    closingPort = await listen(createTlsServer({ key, cert }, (socket) => socket.destroy()))
    // A server whose certificate expired yesterday.
    expiredPort = await listen(createTlsServer({ key: readFileSync(join(pki, 'expired-server/serverkey.pem')), cert: readFileSync(join(pki, 'expired-server/servercert.pem')) }, (socket) => socket.destroy()))
  }, 60_000)

  afterAll(async () => {
    for (const server of servers) {
      server.close()
      ;(server as Server & { closeAllConnections?: () => void }).closeAllConnections?.()
    }
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens, calls and closes; the server is checked against its IP', async () => {
    const baseline = activeHandles()
    const conn = await createConnection(uri('client'))
    expect(conn.target).toMatchObject({ transport: 'tls', port })
    expect(await conn.getHostname()).toBe('fake-host')
    await conn.close()
    await until(() => Object.keys(leakedHandles(baseline)).length === 0, 2000)
  })

  it('a host that closes in the middle of a call: libvirt-connection-lost', async () => {
    const conn = await createConnection(uri('client'), { keepalive: false })
    fake.handlers.set(P.GET_CAPABILITIES, (c) => c.client.destroy())
    try {
      expect((await failure(conn.getCapabilities())).code).toBe('libvirt-connection-lost')
    } finally {
      fake.handlers.delete(P.GET_CAPABILITIES)
      await conn.close()
    }
  })

  it('each certificate problem has its code', async () => {
    const baseline = activeHandles()
    expect((await failure(createConnection(uri('foreign')))).code).toBe('libvirt-tls-rejected')
    expect((await failure(createConnection(uri('expired')))).code).toBe('libvirt-tls-cert-expired')
    expect((await failure(createConnection(uri('untrusting')))).code).toBe('libvirt-tls-untrusted')
    const wrongName = await failure(createConnection(uri('client', 'localhost')))
    expect(wrongName.code).toBe('libvirt-tls-hostname-mismatch')
    expect(wrongName.message).toContain('DNS:virtuned-sandbox')
    expect((await failure(createConnection(uri('client', '127.0.0.1', closingPort)))).code).toBe('libvirt-tls-rejected')
    const expiredServer = await failure(createConnection(uri('client', '127.0.0.1', expiredPort)))
    expect(expiredServer.code).toBe('libvirt-tls-cert-expired')
    expect(expiredServer.message).toMatch(/^libvirtd's certificate at 127\.0\.0\.1:\d+ expired on /)
    expect((await failure(createConnection(uri('missing')))).code).toBe('libvirt-tls-bad-pki')
    // no_verify=1 skips the server checks (here: the untrusted CA) but not libvirtd's check of us.
    expect((await failure(createConnection(`${uri('untrusting')}&no_verify=1`))).code).toBe('libvirt-tls-rejected')
    await until(() => Object.keys(leakedHandles(baseline)).length === 0, 2000)
  })

  it('a key that does not belong to the certificate is refused before connecting', () => {
    const mixed = join(dir, 'mixed')
    execFileSync('mkdir', ['-p', mixed])
    writeFileSync(join(mixed, 'cacert.pem'), readFileSync(join(pki, 'client/cacert.pem')))
    writeFileSync(join(mixed, 'clientcert.pem'), readFileSync(join(pki, 'client/clientcert.pem')))
    writeFileSync(join(mixed, 'clientkey.pem'), readFileSync(join(pki, 'foreign/clientkey.pem')))
    expect(() => loadTlsCredentials(parseLibvirtUri(`qemu+tls://h/system?pkipath=${mixed}`))).toThrow(expect.objectContaining({ code: 'libvirt-tls-bad-pki', message: expect.stringContaining('does not belong') }))
  })

  it('a host that accepts TCP but never completes the handshake: libvirt-handshake-timeout, no hang', async () => {
    const baseline = activeHandles()
    const t = Date.now()
    const error = await failure(createConnection(uri('client', '127.0.0.1', silentPort), { connectTimeoutMs: 300 }))
    expect(error.code).toBe('libvirt-handshake-timeout')
    expect(Date.now() - t).toBeLessThan(5000)
    await until(() => Object.keys(leakedHandles(baseline)).length === 0, 2000)
  })
})

describe('qemu+ssh through a stand-in ssh', () => {
  const fake = new FakeLibvirtd()
  const dir = mkdtempSync(join(tmpdir(), 'virtuned-ssh-'))
  const argsFile = join(dir, 'args')
  const transport = createRemoteTransport({ sshCommand: fakeSsh })
  const uri = 'qemu+ssh://root@fake:2222/system?keyfile=/k/id&no_verify=1'
  const mode = (m: string) => {
    process.env.FAKE_SSH_MODE = m
  }

  beforeAll(async () => {
    await fake.listen()
    process.env.FAKE_SSH_SOCKET = fake.socketPath
    process.env.FAKE_SSH_ARGS = argsFile
  })
  afterAll(async () => {
    delete process.env.FAKE_SSH_MODE
    delete process.env.FAKE_SSH_SOCKET
    delete process.env.FAKE_SSH_ARGS
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs ssh with libvirt\'s arguments and speaks RPC over its stdio; close ends the child', async () => {
    mode('proxy')
    const baseline = activeHandles()
    const conn = await createConnection(uri, { transport })
    expect(await conn.getHostname()).toBe('fake-host')
    expect(fake.log.find((l) => l.procedure === P.OPEN)).toMatchObject({ name: 'qemu:///system' })
    const recorded = JSON.parse(readFileSync(argsFile, 'utf8').trim().split('\n').at(-1)!)
    expect(recorded).toEqual(sshCommandLine(conn.target, { timeoutMs: 10_000 }))
    await conn.close()
    await until(() => Object.keys(leakedHandles(baseline)).length === 0 && !process.getActiveResourcesInfo().includes('ProcessWrap'), 3000)
  })

  it('the host closing mid-call: libvirt-connection-lost, and the child is gone', async () => {
    mode('proxy')
    const conn = await createConnection(uri, { transport, keepalive: false })
    fake.handlers.set(P.GET_CAPABILITIES, (c) => c.client.destroy())
    try {
      const error = await failure(conn.getCapabilities())
      expect(error.code).toBe('libvirt-connection-lost')
      expect(error.message).toContain('closed by remote host')
    } finally {
      fake.handlers.delete(P.GET_CAPABILITIES)
      await conn.close()
    }
    await until(() => !process.getActiveResourcesInfo().includes('ProcessWrap'), 3000)
  })

  it('OpenSSH\'s failures are typed: key refused, host key unknown, host unreachable; a hanging login times out and the child is killed', async () => {
    const baseline = activeHandles()
    for (const [m, code] of [['deny', 'libvirt-ssh-auth-failed'], ['hostkey', 'libvirt-ssh-host-key'], ['refused', 'libvirt-connect-failed']] as const) {
      mode(m)
      expect((await failure(createConnection(uri, { transport }))).code).toBe(code)
    }
    mode('hang')
    const t = Date.now()
    expect((await failure(createConnection(uri, { transport, connectTimeoutMs: 300 }))).code).toBe('libvirt-handshake-timeout')
    expect(Date.now() - t).toBeLessThan(5000)
    await until(() => Object.keys(leakedHandles(baseline)).length === 0 && !process.getActiveResourcesInfo().includes('ProcessWrap'), 3000)
  })

  it('a missing ssh is a typed error; qemu+ext is refused unless allowed', async () => {
    expect((await failure(createConnection(uri, { transport: createRemoteTransport({ sshCommand: join(dir, 'no-ssh') }) }))).code).toBe('libvirt-ssh-failed')
    const ext = `qemu+ext://localhost/system?command=${fakeSsh}`
    expect(await failure(createConnection(ext))).toMatchObject({ name: 'LibvirtUsageError', code: 'libvirt-ext-refused' })
    mode('proxy')
    const conn = await createConnection(ext, { transport: createRemoteTransport({ allowExt: true }) })
    expect(await conn.getHostname()).toBe('fake-host')
    await conn.close()
  })
})
