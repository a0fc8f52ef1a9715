// A real aarch64 boot (issue 22): Debian's arm64 kernel and a busybox-static arm64 initramfs
// (tools/libvirt-sandbox/build-guest-arm64.sh) booted directly on the virt board under TCG, in a
// domain `virtuned new --connect --arch aarch64` composed from libvirtd's own capabilities; the guest
// prints its ready line on the PL011 console; a disk is hot-plugged by `virtuned attach` (the guest's
// pciehp brings it up as vda) and detached by alias with `virtuned detach --alias` (the guest powers
// the slot off: its acknowledgement). In CI a missing libvirtd or guest is a failure; elsewhere the suite skips.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availability, cli, sandboxDir as dir, sandboxScripts as sandbox, useSandboxDomain } from './_sandbox.ts'

const name = 'vt-test-cli-arm64-boot'
const reason = availability.reason || (existsSync('/usr/bin/qemu-system-aarch64') ? '' : 'qemu-system-aarch64 not installed (tools/libvirt-sandbox/install.sh)')
const guest = join(sandbox, '.guest-arm64')

async function until(what: string, check: () => boolean, seconds: number): Promise<number> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > seconds * 1000) throw new Error(`timed out after ${seconds} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return Date.now() - start
}

describe.skipIf(!availability.run)(`an aarch64 guest boots, takes a disk and gives it back${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const log = join(dir, `${name}.log`)
  const image = join(dir, `${name}-data.qcow2`)
  const xmlFile = join(dir, `${name}.xml`)
  const { connection } = useSandboxDomain(name, { files: [image, log, xmlFile] })

  it('boots to its ready line; virtuned attach, then detach --alias with the guest\'s acknowledgement', async () => {
    expect(reason, 'CI must run: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync(join(sandbox, 'build-guest-arm64.sh'), { stdio: 'pipe', timeout: 600_000 })
    const spec = join(dir, `${name}.yaml`)
    writeFileSync(spec, [`name: ${name}`, 'memory: 512MiB', 'vcpus: 1', 'os:', `  kernel: ${join(guest, 'vmlinuz')}`, `  initrd: ${join(guest, 'initrd.img')}`, '  cmdline: console=ttyAMA0 panic=-1', ''].join('\n'))
    const made = await cli('new', '--spec', spec, '--os', 'debian11', '--connect', 'qemu:///system', '--arch', 'aarch64', '--validate', '-o', xmlFile)
    expect(made.code, made.err).toBe(0)
    const xml = readFileSync(xmlFile, 'utf8')
    // Booted directly: no firmware, no ACPI (device tree); the virt board with the console on its PL011, spare root ports.
    expect(xml).toContain("<type arch='aarch64' machine='virt'>hvm</type>")
    expect(xml).not.toContain('firmware=')
    expect(xml).toContain("<model name='pl011'/>")
    expect(xml.match(/pcie-root-port/g)?.length).toBeGreaterThanOrEqual(4)
    // The console to a file, to read the guest's lines (an app's own choice, as in libvirt.e2e.test.ts).
    writeFileSync(log, '')
    writeFileSync(xmlFile, xml.replace("<serial type='pty'>", `<serial type='file'><source path='${log}'/>`))
    expect(await cli('define', xmlFile)).toMatchObject({ code: 0, out: `defined ${name}\n` })
    await connection().create(await connection().lookupDomainByName(name))
    await until('the ready line', () => readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY'), 240)

    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M'])
    const attached = await cli('attach', name, '--disk', image, '--alias', 'data')
    expect(attached.err).toBe('')
    expect(attached.out).toMatch(/^attached ua-data /)
    // The guest's pciehp powers the slot on and virtio_blk names the disk: it has the device.
    await until('the guest to see the disk', () => /virtio_blk virtio\d+: \[vda\]/.test(readFileSync(log, 'utf8')), 60)
    // QEMU refuses an unplug while the slot's power indicator still blinks from the plug ("guest is
    // busy"): the guest has not finished bringing the slot up. Asked again, as an app would.
    let detached = await cli('detach', name, '--alias', 'ua-data', '--timeout', '60')
    for (let i = 0; i < 30 && detached.code !== 0 && detached.err.includes('guest is busy (power indicator blinking)'); i++) {
      await new Promise((r) => setTimeout(r, 1000))
      detached = await cli('detach', name, '--alias', 'ua-data', '--timeout', '60')
    }
    expect(detached.err).toBe('')
    expect(detached.out).toMatch(/^removed ua-data after 1 request\n$/)
    expect(readFileSync(log, 'utf8')).toMatch(/pciehp: Slot\([^)]*\):? Powering off due to button press/)
    expect((await cli('dumpxml', name)).out).not.toContain(image)
  }, 600_000)
})
