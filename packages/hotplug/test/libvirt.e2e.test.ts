// Hot-plug plans against a real libvirtd + QEMU (TCG) from tools/libvirt-sandbox, driven with virsh
// (the TypeScript adapter will take virsh's place). In CI (CI=true) a libvirtd that cannot start is a
// failure; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planAttach, planDetach, verifyAttach, verifyDetach } from '../src/index.ts'
import { libvirtAvailability, sandboxDir as dir, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability()

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
}

function virshError(...args: string[]): string {
  try {
    virsh(...args)
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error)
  }
  return ''
}

async function until(what: string, check: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Defines and starts a q35 guest of the tiny kernel with `ports` spare root ports; waits for it to boot. */
async function boot(name: string, ports: number): Promise<void> {
  const log = join(dir, `${name}.log`)
  writeFileSync(log, '')
  const xml = readFileSync(join(sandbox, 'guest-template.xml'), 'utf8')
    .replace('@NAME@', name).replaceAll('@GUEST@', join(sandbox, '.guest')).replace('@LOG@', log)
    .replace('@PORTS@', Array.from({ length: ports }, (_, i) => `<controller type='pci' index='${i + 1}' model='pcie-root-port'/>`).join(''))
  writeFileSync(join(dir, `${name}.xml`), xml)
  virsh('define', join(dir, `${name}.xml`), '--validate')
  virsh('start', name)
  await until(`${name} to boot`, () => readFileSync(log, 'utf8').includes('VIRTUNED-GUEST-READY'), 90)
}

function image(name: string): string {
  const path = join(dir, `${name}.qcow2`)
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path, '64M'])
  return path
}

describe.skipIf(!run)(`hot-plug plans on a real libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  beforeAll(() => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync(join(sandbox, 'build-guest.sh'), { stdio: 'pipe', timeout: 300_000 })
    execFileSync(join(sandbox, 'start.sh'), { stdio: 'pipe', timeout: 60_000 })
  }, 400_000)

  afterAll(() => {
    if (reason === '') execFileSync(join(sandbox, 'stop.sh'), { stdio: 'pipe', timeout: 60_000 })
  })

  it('attaches a planned virtio disk and NIC, finds them again, and detaches them by alias', async () => {
    await boot('vt-test-e2e', 4)
    const before = virsh('dumpxml', 'vt-test-e2e')
    const disk = planAttach(before, `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${image('vt-e2e-data')}'/></disk>`, { seed: 'e2e-data' })
    expect(disk.ok).toBe(true)
    if (!disk.ok) return
    writeFileSync(join(dir, 'plan-disk.xml'), disk.xml)
    virsh('attach-device', 'vt-test-e2e', join(dir, 'plan-disk.xml'), '--live')
    const withDisk = virsh('dumpxml', 'vt-test-e2e')
    expect(verifyAttach(before, withDisk, disk)).toBe(true)
    expect(withDisk).toContain(`<serial>${disk.serial}</serial>`)

    const nic = planAttach(withDisk, "<interface type='user'><model type='virtio'/></interface>", { alias: 'e2e-nic' })
    expect(nic).toMatchObject({ ok: true, alias: 'ua-e2e-nic' })
    if (!nic.ok) return
    writeFileSync(join(dir, 'plan-nic.xml'), nic.xml)
    virsh('attach-device', 'vt-test-e2e', join(dir, 'plan-nic.xml'), '--live')
    const withBoth = virsh('dumpxml', 'vt-test-e2e')
    expect(verifyAttach(withDisk, withBoth, nic)).toBe(true)
    expect(withBoth.toLowerCase()).toContain(nic.mac)

    for (const selector of [{ disk: disk.target! }, { mac: nic.mac! }]) {
      const detach = planDetach(virsh('dumpxml', 'vt-test-e2e'), selector)
      expect(detach.ok).toBe(true)
      if (!detach.ok) return
      virsh('detach-device-alias', 'vt-test-e2e', detach.alias, '--live')
      await until(`${detach.alias} to go`, () => verifyDetach(virsh('dumpxml', 'vt-test-e2e'), detach), 30)
    }
    virsh('destroy', 'vt-test-e2e')
    virsh('undefine', 'vt-test-e2e')
  })

  it('refuses a disk when no hot-pluggable port is left, where libvirt says "No more available PCI slots"', async () => {
    // Given no ports, libvirt adds one for its USB controller and reserves one for hot-plug.
    await boot('vt-test-e2e-full', 0)
    const first = planAttach(virsh('dumpxml', 'vt-test-e2e-full'), `<disk type='file'><driver name='qemu' type='qcow2'/><source file='${image('vt-e2e-one')}'/></disk>`)
    expect(first.ok).toBe(true)
    if (!first.ok) return
    writeFileSync(join(dir, 'plan-one.xml'), first.xml)
    virsh('attach-device', 'vt-test-e2e-full', join(dir, 'plan-one.xml'), '--live')
    const device = `<disk type='file'><driver name='qemu' type='qcow2'/><source file='${image('vt-e2e-two')}'/><target dev='vdz' bus='virtio'/></disk>`
    expect(planAttach(virsh('dumpxml', 'vt-test-e2e-full'), device)).toMatchObject({ ok: false, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT', policy: 'hotplug-ready' }] })
    // Past the preflight, libvirt itself refuses.
    writeFileSync(join(dir, 'plan-two.xml'), device)
    expect(virshError('attach-device', 'vt-test-e2e-full', join(dir, 'plan-two.xml'), '--live')).toContain('No more available PCI slots')
    virsh('destroy', 'vt-test-e2e-full')
    virsh('undefine', 'vt-test-e2e-full')
  })

  // libvirt's connect table (qemuDomainDeviceCalculatePCIConnectFlags, model's pciConnectTable): an e1000 is
  // conventional PCI, which a pcie-root-port does not take; hot-plug adds no pcie-to-pci-bridge.
  it('refuses a conventional PCI NIC on q35 with free root ports but no PCI bridge, as libvirt does; a PCIe one goes on a port', async () => {
    await boot('vt-test-e2e-pci', 2)
    const e1000 = "<interface type='user'><model type='e1000'/></interface>"
    expect(planAttach(virsh('dumpxml', 'vt-test-e2e-pci'), e1000)).toMatchObject({ ok: false, problems: [{ code: 'NO_FREE_HOTPLUG_SLOT' }] })
    writeFileSync(join(dir, 'plan-e1000.xml'), e1000)
    expect(virshError('attach-device', 'vt-test-e2e-pci', join(dir, 'plan-e1000.xml'), '--live')).toContain('No more available PCI slots')
    const before = virsh('dumpxml', 'vt-test-e2e-pci')
    const e1000e = planAttach(before, "<interface type='user'><model type='e1000e'/></interface>")
    expect(e1000e.ok).toBe(true)
    if (!e1000e.ok) return
    writeFileSync(join(dir, 'plan-e1000e.xml'), e1000e.xml)
    virsh('attach-device', 'vt-test-e2e-pci', join(dir, 'plan-e1000e.xml'), '--live')
    expect(verifyAttach(before, virsh('dumpxml', 'vt-test-e2e-pci'), e1000e)).toBe(true)
    virsh('destroy', 'vt-test-e2e-pci')
    virsh('undefine', 'vt-test-e2e-pci')
  })
})
