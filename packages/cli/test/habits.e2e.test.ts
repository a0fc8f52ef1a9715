// Issue 18 against the sandbox libvirtd: a domain composed from virt-install-style flags (bare-MiB
// memory, a SCSI disk, a SATA CD-ROM, a user NIC and a bridge-less network NIC) is defined and started
// as composed, with no edit; plan-detach's refusals match what libvirt does with the running domain.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availability, cli, sandboxDir as dir, useSandboxDomain } from './_sandbox.ts'

const name = 'vt-test-habits'

describe.skipIf(!availability.run)(`issue 18 against libvirtd${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
  const xmlFile = join(dir, `${name}.xml`)
  const liveFile = join(dir, `${name}-live.xml`)
  const image = join(dir, `${name}-scsi.qcow2`)
  const iso = join(dir, `${name}.iso`)
  const { connection } = useSandboxDomain(name, { files: [image, iso, xmlFile, liveFile] })

  it('new with virt-install habits is defined and started as composed; plan-detach refuses what libvirt refuses', async () => {
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M'])
    writeFileSync(iso, Buffer.alloc(2048 * 16))
    const made = await cli('new', '--os', 'debian11', '--name', name, '--memory', '256', '--vcpus', '1', '--connect', 'qemu:///system', '--virt-type', 'qemu',
      '--disk', `path=${image},bus=scsi`, '--disk', `${iso},device=cdrom`, '--nic', 'user', '-o', xmlFile)
    expect(made.err).toBe('')
    expect(made.code).toBe(0)
    // explain --connect reads the same host (it was accepted and ignored before): no "assumed host" warning.
    const explained = await cli('explain', xmlFile, '--connect', 'qemu:///system')
    expect(explained.code, explained.err).toBe(0)
    expect(explained.out + explained.err).not.toContain('No domain capabilities given')
    const defined = await cli('define', xmlFile)
    expect(defined).toMatchObject({ code: 0, out: `defined ${name}\n` })
    const domain = await connection().lookupDomainByName(name)
    await connection().create(domain)
    const live = (await cli('dumpxml', name)).out
    // What the flags asked for is what runs: 256 MiB, a SCSI disk with its target on a virtio-scsi
    // controller, a raw SATA CD-ROM, a user-mode NIC.
    expect(live).toMatch(/<memory unit='KiB'>262144<\/memory>/)
    expect(live).toMatch(/<controller type='scsi' index='0' model='virtio-scsi'>/)
    expect(live).toMatch(/<driver name='qemu' type='qcow2'[^>]*\/>\s*<source file='[^']*-scsi\.qcow2'[^>]*>[\s\S]*?<target dev='sda' bus='scsi'\/>/)
    expect(live).toMatch(/<disk type='file' device='cdrom'>\s*<driver name='qemu' type='raw'\/>/)
    expect(live).toContain("<interface type='user'>")
    writeFileSync(liveFile, live)
    const cdrom = /<disk type='file' device='cdrom'>[\s\S]*?<target dev='(\w+)' bus='sata'\/>/.exec(live)![1]!
    const refused = await cli('plan-detach', liveFile, '--disk', cdrom)
    expect(refused.code).toBe(1)
    expect(refused.err).toContain("SATA CD-ROM drive, which QEMU cannot unplug (\"disk device type 'cdrom' cannot be detached\")")
    // libvirt says the same.
    const alias = /<disk type='file' device='cdrom'>[\s\S]*?<alias name='([^']+)'/.exec(live)![1]!
    const libvirtSays = await connection().detach(domain, { ok: true, method: 'alias', alias, xml: '' }, { timeoutMs: 5_000 }).then((r) => JSON.stringify(r), (e: Error) => e.message)
    expect(libvirtSays).toMatch(/disk device type 'cdrom' cannot be detached/)
    // A pcie-root-port with a device behind it: refused here, and by libvirt.
    const port = /<controller type='pci' index='(\d+)' model='pcie-root-port'>[\s\S]*?<alias name='([^']+)'\/>/g
    const used = [...live.matchAll(port)].find((m) => new RegExp(`<address type='pci' domain='0x0000' bus='0x${Number(m[1]).toString(16).padStart(2, '0')}'`).test(live))!
    const busy = await cli('plan-detach', liveFile, '--alias', used[2]!)
    expect(busy.code).toBe(1)
    expect(busy.err).toContain('[DEVICE_IN_USE]')
    const libvirtOnPort = await connection().detach(domain, { ok: true, method: 'alias', alias: used[2]!, xml: '' }, { timeoutMs: 5_000 }).then((r) => JSON.stringify(r), (e: Error) => e.message)
    expect(libvirtOnPort).toMatch(/'pci' controller cannot be hot unplugged|device is busy/)
  }, 180_000)
})
