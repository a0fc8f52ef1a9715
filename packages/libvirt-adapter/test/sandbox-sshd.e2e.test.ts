// The sandbox's sshd (tools/libvirt-sandbox/sshd.sh), which the remote suite reaches qemu+ssh through: `start`
// must return only once the sshd is up (its pid file written and the port accepting) and `stop` only once it is
// gone (the port free for the next start). sshd daemonises before it writes its pid file, and the remote suite,
// starting the sandbox itself on a fresh CI host, once looked for that file a few milliseconds too early.
// Its own directory and port, so the sandbox's sshd (other suites') is untouched. In CI (CI=true) it must run.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createConnection as tcpConnect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability([['/usr/sbin/sshd', 'sshd not installed (Debian openssh-server; tools/libvirt-sandbox/install.sh)']])
const dir = mkdtempSync(join(tmpdir(), 'vt-sshd-'))
const sshd = (...args: string[]) => execFileSync('bash', [join(sandbox, 'sshd.sh'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Whether 127.0.0.1:port accepts a TCP connection now (one try). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.skipIf(!run)(`the sandbox sshd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  afterAll(() => {
    if (existsSync(join(dir, 'sshd.pid'))) sshd('stop', dir)
    rmSync(dir, { recursive: true, force: true })
  })

  it('start returns with the sshd up and accepting; stop returns with it gone and the port free; again at once', async () => {
    expect(reason, 'CI must run the sandbox tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    const port = await freePort()
    for (let round = 1; round <= 5; round++) {
      const said = sshd('start', dir, String(port))
      expect(existsSync(join(dir, 'sshd.pid')), `round ${round}: no pid file right after start (${said.trim()})`).toBe(true)
      const pid = Number(readFileSync(join(dir, 'sshd.pid'), 'utf8').trim())
      expect(alive(pid), `round ${round}: sshd ${pid} is not running`).toBe(true)
      expect(await accepts(port), `round ${round}: nothing accepts on 127.0.0.1:${port}`).toBe(true)
      expect(said).toContain(`up on 127.0.0.1:${port} (pid ${pid})`)
      // a second start finds it running and leaves it
      sshd('start', dir, String(port))
      expect(Number(readFileSync(join(dir, 'sshd.pid'), 'utf8').trim())).toBe(pid)
      sshd('stop', dir)
      expect(alive(pid), `round ${round}: sshd ${pid} still running after stop`).toBe(false)
      expect(existsSync(join(dir, 'sshd.pid'))).toBe(false)
      expect(await accepts(port), `round ${round}: 127.0.0.1:${port} still accepts after stop`).toBe(false)
    }
  }, 120_000)

  it('says why when the sshd cannot come up (its port taken by something else), and exits non-zero', async () => {
    expect(reason, 'CI must run the sandbox tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const error = (() => {
        try {
          sshd('start', dir, String(port))
        } catch (e) {
          return e as { status: number; stderr: string }
        }
        throw new Error('sshd.sh start succeeded on a taken port')
      })()
      expect(error.status).toBe(1)
      expect(error.stderr).toContain(`did not come up on 127.0.0.1:${port}`)
      expect(existsSync(join(dir, 'sshd.pid'))).toBe(false)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 120_000)
})
