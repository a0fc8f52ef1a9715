// The CLI against the sandbox libvirtd (tools/libvirt-sandbox): new --connect reads the host's
// capabilities, define, attach --disk, detach --disk, dumpxml. In CI a libvirtd that cannot start
// is a failure; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availability, cli, sandboxDir as dir, sandboxScripts as sandbox, useSandboxDomain } from './_sandbox.ts'

const name = 'vt-test-cli'

describe.skipIf(!availability.run)(`virtuned against libvirtd${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
  const xmlFile = join(dir, `${name}.xml`)
  const log = join(dir, `${name}.log`)
  const image = join(dir, `${name}-data.qcow2`)
  const { connection } = useSandboxDomain(name, { files: [image], buildGuest: true })

  it('new --connect composes for the host libvirtd reports; define; attach and detach a disk', async () => {
    const spec = join(dir, `${name}.yaml`)
    writeFileSync(log, '')
    writeFileSync(spec, [`name: ${name}`, 'type: qemu', 'memory: 256MiB', 'vcpus: 1', 'os:', `  kernel: ${join(sandbox, '.guest/vmlinuz')}`, `  initrd: ${join(sandbox, '.guest/initrd.img')}`, '  cmdline: console=ttyS0 panic=-1', ''].join('\n'))
    const made = await cli('new', '--spec', spec, '--os', 'debian11', '--connect', 'qemu:///system', '--policy', 'hotplug-ready:ports=2', '-o', xmlFile)
    expect(made.err).toBe('')
    expect(made.code).toBe(0)
    // The host is TCG here: the CPU the defaults chose says they read libvirtd's capabilities.
    const xml = readFileSync(xmlFile, 'utf8')
    expect(xml).toContain("<cpu mode='maximum'/>")
    // A serial log for the boot check (an app's own choice, added to the composed file).
    writeFileSync(xmlFile, xml.replace("<console type='pty'/>", `<serial type='file'><source path='${log}'/><target port='0'/></serial>`))
    const defined = await cli('define', xmlFile)
    expect(defined).toMatchObject({ code: 0, out: `defined ${name}\n` })
    const domain = await connection().lookupDomainByName(name)
    await connection().create(domain)
    const deadline = Date.now() + 90_000
    while (!readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY')) {
      if (Date.now() > deadline) throw new Error('the guest did not boot within 90 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M'])
    const attached = await cli('attach', name, '--disk', image)
    expect(attached.err).toBe('')
    expect(attached.out).toMatch(/^attached ua-disk-[0-9a-z]+ \(the guest sees \/dev\/disk\/by-id\/virtio-/)
    const withDisk = (await cli('dumpxml', name)).out
    expect(withDisk).toContain(`<source file='${image}'`)
    // The device got the defaults for the OS the domain records (debian11): virtio, discard on qcow2.
    expect(withDisk).toMatch(/<driver name='qemu' type='qcow2' discard='unmap'\/>\s*<source file='[^']*-data.qcow2'/)
    const detached = await cli('detach', name, '--disk', 'vda')
    expect(detached.out).toMatch(/^removed ua-disk-[0-9a-z]+ after 1 request\n$/)
    expect((await cli('dumpxml', name)).out).not.toContain(image)
  }, 180_000)

  it('new --connect refuses a domain type the host does not offer, naming the ones it does', async () => {
    const spec = join(dir, `${name}-xen.yaml`)
    writeFileSync(spec, [`name: ${name}-xen`, 'type: xen', 'memory: 256MiB', 'vcpus: 1', ''].join('\n'))
    const made = await cli('new', '--spec', spec, '--os', 'debian11', '--connect', 'qemu:///system')
    expect(made.code).toBe(2)
    expect(made.err).toMatch(/Unexpected domain type `xen`: qemu:\/\/\/system offers (kvm and qemu|qemu) for x86_64/)
  })

  it('reports libvirt errors as one line with libvirt\'s code', async () => {
    const missing = await cli('dumpxml', 'vt-test-no-such-domain')
    expect(missing.code).toBe(2)
    expect(missing.err.split('\n')[0]).toMatch(/no domain with matching name 'vt-test-no-such-domain'.*\[.*\]/i)
    expect(missing.err).not.toMatch(/\n\s+at /)
  })
})
