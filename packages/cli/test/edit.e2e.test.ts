// Issue 18 items 10 and 3 against the sandbox libvirtd (tools/libvirt-sandbox): `new --connect`
// without a type composes for the host (TCG here: type='qemu'), the domain is defined and started as
// composed, then `edit --connect URI NAME` prints a diff without defining, defines an edit, and with
// --update hot-plugs and hot-unplugs a disk (planned as plan-attach/plan-detach plan it). In CI a
// libvirtd that cannot start is a failure; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availability, cli, sandboxDir as dir, sandboxScripts as sandbox, useSandboxDomain } from './_sandbox.ts'

const name = 'vt-test-edit'
const uri = 'qemu:///system'

describe.skipIf(!availability.run)(`virtuned edit against libvirtd${availability.reason ? ` (skipped: ${availability.reason})` : ''}`, () => {
  const xmlFile = join(dir, `${name}.xml`)
  const log = join(dir, `${name}.log`)
  const image = join(dir, `${name}-data.qcow2`)
  const boot = join(dir, `${name}-first.qcow2`)
  const { connection } = useSandboxDomain(name, { files: [image, boot], buildGuest: true, uri })

  it('new --connect --virt-type qemu gives that type; edit --print-diff, --define and --update (hot-plug and unplug)', async () => {
    const spec = join(dir, `${name}.yaml`)
    writeFileSync(log, '')
    // No `type:` in the spec: --virt-type chooses, as virt-install's (item 3); the sandbox's /dev/kvm may be nested or
    // broken ("failed to set MSR"), so TCG, with libvirtd's TCG capabilities (the `maximum` CPU).
    writeFileSync(spec, [`name: ${name}`, 'memory: 256MiB', 'vcpus: 1', 'os:', `  kernel: ${join(sandbox, '.guest/vmlinuz')}`, `  initrd: ${join(sandbox, '.guest/initrd.img')}`, '  cmdline: console=ttyS0 panic=-1', ''].join('\n'))
    const made = await cli('new', '--spec', spec, '--os', 'debian11', '--connect', uri, '--policy', 'hotplug-ready:ports=2', '--virt-type', 'qemu', '-o', xmlFile)
    expect(made.err).toBe('')
    expect(made.code).toBe(0)
    const composed = readFileSync(xmlFile, 'utf8')
    expect(composed).toMatch(/^<domain type='qemu'>/)
    expect(composed).toContain("<cpu mode='maximum'/>")
    writeFileSync(xmlFile, composed.replace("<console type='pty'/>", `<serial type='file'><source path='${log}'/><target port='0'/></serial>`))
    expect((await cli('define', xmlFile)).code).toBe(0)
    const domain = await connection().lookupDomainByName(name)

    // --print-diff alone prints and defines nothing.
    const before = await connection().getXMLDesc(domain, { inactive: true })
    const diff = await cli('edit', '--connect', uri, name, '--add-device', '--nic', 'network=nonexistent,model=virtio', '--print-diff')
    expect(diff.code).toBe(0)
    expect(diff.out).toMatch(/^--- Original XML\n\+\+\+ Altered XML\n/)
    expect(diff.out).toContain("+      <source network='nonexistent'/>")
    expect(await connection().getXMLDesc(domain, { inactive: true })).toBe(before)

    // Without --print-*, the change is defined (virt-xml's default with --connect).
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', boot, '64M'])
    const first = await cli('edit', '--connect', uri, name, '--add-device', '--disk', boot)
    expect(first.code, first.err).toBe(0)
    expect(await connection().getXMLDesc(domain, { inactive: true })).toMatch(new RegExp(`<source file='${boot}'/>\\s*<target dev='vda' bus='virtio'/>`))
    const edited = await cli('edit', '--connect', uri, name, '--edit', 'target=vda', '--disk', 'cache=none')
    expect(edited.code, edited.err).toBe(0)
    expect(await connection().getXMLDesc(domain, { inactive: true })).toMatch(/<driver name='qemu' type='qcow2' cache='none'/)

    await connection().create(domain)
    const deadline = Date.now() + 90_000
    while (!readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY')) {
      if (Date.now() > deadline) throw new Error('the guest did not boot within 90 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M'])
    const added = await cli('edit', '--connect', uri, name, '--add-device', '--disk', image, '--update')
    expect(added.code, added.err).toBe(0)
    expect(added.err).toMatch(/attached ua-disk-[0-9a-z]+/)
    const alias = /attached (ua-disk-[0-9a-z]+)/.exec(added.err)![1]!
    // The running guest and the definition have the same device (same alias).
    expect(await connection().getXMLDesc(domain)).toContain(`<alias name='${alias}'/>`)
    expect(await connection().getXMLDesc(domain, { inactive: true })).toContain(`<alias name='${alias}'/>`)

    // --edit --update goes to virDomainUpdateDeviceFlags first; libvirt refuses a live cache change, and the
    // definition is left as it was.
    const definition = await connection().getXMLDesc(domain, { inactive: true })
    const live = await cli('edit', '--connect', uri, name, '--edit', `alias=${alias}`, '--disk', 'cache=writeback', '--update')
    expect(live.code).toBe(2)
    expect(live.err).toMatch(/cache/)
    expect(await connection().getXMLDesc(domain, { inactive: true })).toBe(definition)

    const removed = await cli('edit', '--connect', uri, name, '--remove-device', '--disk', `alias=${alias}`, '--update')
    expect(removed.code, removed.err).toBe(0)
    expect(removed.err).toMatch(new RegExp(`removed ${alias}`))
    expect(await connection().getXMLDesc(domain)).not.toContain(image)
    expect(await connection().getXMLDesc(domain, { inactive: true })).not.toContain(image)
  }, 240_000)

  it('--update on a domain that is not running exits 1 and changes nothing; a FILE edited with --define', async () => {
    const domain = await connection().lookupDomainByName(name)
    await connection().destroy(domain).catch(() => undefined)
    const persistent = await connection().getXMLDesc(domain, { inactive: true })
    const refused = await cli('edit', '--connect', uri, name, '--remove-device', '--disk', 'vda', '--update')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('cli-edit-not-running')
    expect(await connection().getXMLDesc(domain, { inactive: true })).toBe(persistent)

    // A file edited and defined (--define with a FILE goes to --connect).
    const file = join(dir, `${name}-edit.xml`)
    writeFileSync(file, persistent)
    const defined = await cli('edit', file, '--edit', 'target=vda', '--disk', 'cache=directsync', '--define', '--connect', uri, '-o', file)
    expect(defined.code, defined.err).toBe(0)
    expect(defined.err).toContain(`defined ${name}`)
    expect(await connection().getXMLDesc(domain, { inactive: true })).toMatch(/<driver name='qemu' type='qcow2' cache='directsync'/)
    expect(readFileSync(file, 'utf8')).toContain("cache='directsync'")
    rmSync(file, { force: true })
  }, 120_000)
})
