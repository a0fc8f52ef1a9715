// `virtuned fleet` on the sandbox's real remote transports: the same libvirtd reached as qemu+tls,
// qemu+ssh and qemu:///system (three "hosts"), plus a host whose client certificate libvirtd refuses.
// define, dumpxml, apply a policy and redefine, attach and detach by alias, with virsh as the peer
// client. In CI (CI=true) missing parts are failures; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnection } from '@virtuned/libvirt-adapter'
import { run } from '../src/index.ts'
import { nodeIo } from '../src/io.ts'
import { libvirtAvailability, sandboxDir as dir, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run: runIt } = libvirtAvailability([
  ['/usr/sbin/sshd', 'sshd not installed (Debian openssh-server; tools/libvirt-sandbox/install.sh)'],
  ['/usr/bin/openssl', 'openssl not installed (tools/libvirt-sandbox/install.sh)'],
])
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
const name = 'vt-test-fleet'
const tls = `qemu+tls://127.0.0.1/system?pkipath=${join(dir, 'pki/client')}`
const ssh = `qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(dir, 'ssh/id_ed25519')}&known_hosts=${join(dir, 'ssh/known_hosts')}`
const hostsFile = join(dir, 'vt-test-fleet-hosts.yaml')
const domainFile = join(dir, `${name}.xml`)
const log = join(dir, `${name}.log`)
const image = join(dir, `${name}-data.qcow2`)

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const real = await nodeIo()
  let out = ''
  let err = ''
  const code = await run(args, { ...real, isTerminal: false, stdout: (t) => { out += t }, stderr: (t) => { err += t } })
  return { code, out, err }
}

function virsh(uri: string, ...args: string[]): string {
  return execFileSync('virsh', ['-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 })
}

function remove(): void {
  for (const args of [['destroy', name], ['undefine', name]]) {
    try {
      execFileSync('virsh', ['-c', 'qemu:///system', ...args], { stdio: 'ignore', timeout: 30_000 })
    } catch {
      // not there
    }
  }
}

describe.skipIf(!runIt)(`virtuned fleet over qemu+tls and qemu+ssh${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let started = false
  beforeAll(() => {
    expect(reason, 'CI must run the remote tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 180_000 })
    started = true
    remove()
    writeFileSync(hostsFile, [
      'hosts:',
      `  - { name: tls, uri: '${tls}', tags: [good] }`,
      `  - { name: ssh, uri: '${ssh}', tags: [good] }`,
      `  - { name: local, uri: 'qemu:///system', tags: [good] }`,
      `  - { name: stranger, uri: 'qemu+tls://127.0.0.1/system?pkipath=${join(dir, 'pki/foreign')}' }`,
      '',
    ].join('\n'))
    writeFileSync(log, '')
    writeFileSync(domainFile, readFileSync(join(sandbox, 'guest-template.xml'), 'utf8')
      .replace('@NAME@', name).replace('</name>', '</name>\n  <uuid>5f1c0f9e-7a43-4b8e-9d1a-0c2f6e8a9b10</uuid>')
      .replaceAll('@GUEST@', join(sandbox, '.guest')).replace('@LOG@', log).replace('@PORTS@', '')
      // as the adapter's e2e composes it: the policy adds the PCIe topology itself
      .replace("<controller type='pci' index='0' model='pcie-root'/>", ''))
  }, 400_000)

  afterAll(() => {
    try {
      remove()
      for (const f of [hostsFile, domainFile, image]) rmSync(f, { force: true })
    } finally {
      if (started) execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    }
  }, 120_000)

  it('define on every host: three succeed, the refused certificate is reported, exit 1; dumpxml --json on the good ones', async () => {
    const defined = await cli('fleet', hostsFile, 'define', domainFile, '--concurrency', '1')
    expect(defined.code).toBe(1)
    expect(defined.out).toMatch(/^tls +ok .* defined vt-test-fleet$/m)
    expect(defined.out).toMatch(/^ssh +ok .* defined vt-test-fleet$/m)
    expect(defined.out).toMatch(/^stranger +FAILED .*\[libvirt-tls-rejected\]$/m)
    expect(defined.out).toMatch(/4 hosts: 3 ok, 1 failed/)
    expect(virsh(tls, 'dumpxml', name, '--inactive')).toContain(`<name>${name}</name>`)

    const dumped = await cli('fleet', hostsFile, 'dumpxml', name, '--inactive', '--tag', 'good', '--json')
    expect(dumped.code).toBe(0)
    const report = JSON.parse(dumped.out)
    expect(report.results.map((r: { name: string }) => r.name)).toEqual(['tls', 'ssh', 'local'])
    for (const r of report.results) expect(r.result.xml).toContain(`<name>${name}</name>`)
  }, 60_000)

  it('preview and apply a policy on the host\'s capabilities, then redefine; virsh sees the ports', async () => {
    // libvirt stores the machine as pc-q35-7.2: a versioned q35 satisfies the pcie policy (under
    // hotplug-ready) and is kept, so no --force is needed (issue 18 item 4).
    const preview = await cli('fleet', hostsFile, 'preview', name, '--policy', 'hotplug-ready:ports=2', '--tag', 'good')
    expect(preview.code, preview.out + preview.err).toBe(0)
    expect(preview.out).toMatch(/^tls +ok .* would change: \d+ nodes/m)
    // preview sends nothing
    const before = virsh(tls, 'dumpxml', name, '--inactive')
    const applied = await cli('fleet', hostsFile, 'apply', name, '--policy', 'hotplug-ready:ports=2', '--tag', 'good', '--concurrency', '1')
    expect(applied.code, applied.out + applied.err).toBe(0)
    expect(applied.out).toMatch(/^tls +ok .* redefined vt-test-fleet/m)
    expect(virsh(tls, 'dumpxml', name, '--inactive')).not.toBe(before)
    expect(virsh(tls, 'dumpxml', name, '--inactive')).toMatch(/machine='pc-q35-\d+\.\d+'/)
    expect(virsh(`qemu+ssh://root@127.0.0.1:2222/system?keyfile=${join(dir, 'ssh/id_ed25519')}&no_verify=1`, 'dumpxml', name, '--inactive').match(/model='pcie-root-port'/g)?.length).toBeGreaterThanOrEqual(2)
  }, 60_000)

  it('attach a disk and detach it by alias on the running guest: the first host (tls) does it, the others report the alias taken or gone', async () => {
    const conn = await createConnection('qemu:///system')
    try {
      await conn.create(await conn.lookupDomainByName(name))
      const deadline = Date.now() + 90_000
      while (!readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY')) {
        if (Date.now() > deadline) throw new Error('guest did not boot')
        await new Promise((r) => setTimeout(r, 200))
      }
    } finally {
      await conn.close()
    }
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M'])
    const attached = await cli('fleet', hostsFile, 'attach', name, '--disk', image, '--alias', 'ua-fleet-disk', '--tag', 'good', '--json', '--concurrency', '1')
    const results = JSON.parse(attached.out).results as Array<{ name: string; ok: boolean; result?: { alias: string }; error?: { code: string } }>
    // One libvirtd behind three URIs: the first host attaches, the others find the alias taken.
    expect(results[0]).toMatchObject({ name: 'tls', ok: true, result: { alias: 'ua-fleet-disk' } })
    expect(results.slice(1).every((r) => !r.ok)).toBe(true)
    expect(attached.code).toBe(1)
    expect(virsh(tls, 'dumpxml', name)).toContain("<alias name='ua-fleet-disk'/>")
    const detached = await cli('fleet', hostsFile, 'detach', name, '--alias', 'ua-fleet-disk', '--tag', 'good', '--concurrency', '1')
    expect(detached.out).toMatch(/^tls +ok .* removed ua-fleet-disk$/m)
    expect(virsh(tls, 'dumpxml', name)).not.toContain('ua-fleet-disk')
  }, 180_000)
})
