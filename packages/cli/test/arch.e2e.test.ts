// `virtuned new --connect URI --arch A` against the sandbox libvirtd (issue 22): the capabilities
// of that architecture are read from libvirtd, the domain composed for it is valid for libvirt's
// schema and defined by `virtuned define`; an architecture libvirtd runs no guests of is refused.
// In CI a libvirtd that cannot start is a failure; elsewhere the suite skips with the reason.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availability, cli, sandboxDir as dir, useSandboxDomain } from './_sandbox.ts'

const name = 'vt-test-cli-arch'
const machines = { aarch64: 'virt', s390x: 's390-ccw-virtio', ppc64le: 'pseries' } as const
const missing = Object.keys(machines).find((arch) => !existsSync(`/usr/bin/qemu-system-${arch}`))
const reason = availability.reason || (missing ? `qemu-system-${missing} not installed (tools/libvirt-sandbox/install.sh)` : '')

describe.skipIf(!availability.run)(`virtuned new --arch against libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const { connection } = useSandboxDomain(name)

  for (const [arch, machine] of Object.entries(machines)) {
    it(`new --connect --arch ${arch} composes from libvirtd's ${arch} capabilities; define accepts it`, async () => {
      expect(reason, 'CI must run: install with tools/libvirt-sandbox/install.sh').toBe('')
      const file = join(dir, `${name}-${arch}.xml`)
      const made = await cli('new', '--connect', 'qemu:///system', '--arch', arch, '--os', 'debian11', '--name', name, '--memory', '1GiB', '--disk', `size=1G,path=${join(dir, `${name}.qcow2`)}`, '--nic', 'user', '--validate', '-o', file)
      expect(made.code, made.err).toBe(0)
      expect(made.err).toContain('using profile 2026.12')
      expect(made.err).toContain('the output is valid')
      const xml = readFileSync(file, 'utf8')
      expect(xml).toContain(`<type arch='${arch}' machine='${machine}'>hvm</type>`)
      expect(xml).toMatch(/^<domain type='qemu'>/)
      const defined = await cli('define', file)
      expect(defined).toMatchObject({ code: 0, out: `defined ${name}\n` })
      await connection().undefine(await connection().lookupDomainByName(name), { nvram: true })
    }, 120_000)
  }

  it('an architecture libvirtd runs no guests of is refused, naming what to install', async () => {
    const made = await cli('new', '--connect', 'qemu:///system', '--arch', 'sparc64', '--name', name, '--memory', '1GiB')
    expect(made.code).toBe(2)
    expect(made.err).toContain('Unexpected architecture `sparc64`: qemu:///system runs no sparc64 guests')
  })
})
