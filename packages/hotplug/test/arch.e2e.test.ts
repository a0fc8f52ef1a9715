// Hot-plug plans beyond x86 against the sandbox libvirtd (issue 22), on the defaults' own goldens
// (fixtures/defaults/arch): on a running aarch64 virt guest every planned disk goes live onto a free
// root port until the plan says none is left — and libvirt then refuses the same device; on s390x
// the planned ccw addresses are the ones libvirt takes (attached to the persistent definition, as
// an s390x guest without a bootable disk stops in a disabled wait). In CI (CI=true) a missing
// libvirtd or QEMU is a failure; elsewhere the suite skips with the reason.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planAttach } from '../src/index.ts'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability([
  ['/usr/bin/qemu-system-aarch64', 'qemu-system-aarch64 not installed (tools/libvirt-sandbox/install.sh: qemu-system-arm)'],
  ['/usr/bin/qemu-system-s390x', 'qemu-system-s390x not installed (tools/libvirt-sandbox/install.sh: qemu-system-misc)'],
  ['/usr/share/AAVMF/AAVMF_CODE.fd', 'AAVMF not installed (tools/libvirt-sandbox/install.sh: qemu-efi-aarch64)'],
])
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
}
function virshError(...args: string[]): string {
  try { virsh(...args) } catch (error) { return String((error as { stderr?: string }).stderr ?? error) }
  return ''
}

describe.skipIf(!run)(`hot-plug plans beyond x86 on a real libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: string
  const names = ['vt-arch-hotplug-aarch64', 'vt-arch-hotplug-s390x']
  const cleanup = () => { for (const n of names) { virshError('destroy', n); virshError('undefine', n, '--nvram') } }

  beforeAll(() => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 180_000 })
    dir = mkdtempSync(join(tmpdir(), 'virtuned-hotplug-arch-'))
    cleanup()
  }, 240_000)

  afterAll(() => {
    cleanup()
    if (dir) rmSync(dir, { recursive: true, force: true })
    execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  }, 120_000)

  /** A golden of fixtures/defaults/arch, renamed, on a disk image of its own, defined. */
  function define(golden: string, name: string): void {
    const image = join(dir, `${name}.qcow2`)
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M'])
    const xml = readFileSync(new URL(`../../../fixtures/defaults/arch/${golden}`, import.meta.url), 'utf8')
      .replace('<name>guest</name>', `<name>${name}</name>`).replace('/var/lib/libvirt/images/guest.qcow2', image)
    writeFileSync(join(dir, `${name}.xml`), xml)
    virsh('define', join(dir, `${name}.xml`), '--validate')
  }
  function disk(name: string, i: number): string {
    const image = join(dir, `${name}-data${i}.qcow2`)
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M'])
    return `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${image}'/></disk>`
  }

  it('aarch64: planned disks go live onto free root ports until the plan says none is left, and libvirt then agrees', () => {
    const name = names[0]!
    define('debian11@aarch64-tcg.xml', name)
    virsh('start', name)
    const attached: string[] = []
    let refused: { xml: string; code: string } | undefined
    for (let i = 0; i < 16 && refused === undefined; i++) {
      const device = disk(name, i)
      const plan = planAttach(virsh('dumpxml', name), device, { seed: `${name}-${i}` })
      if (!plan.ok) { refused = { xml: device.replace('</disk>', `<target dev='vd${String.fromCharCode(0x62 + i)}' bus='virtio'/></disk>`), code: plan.problems[0]!.code }; break }
      const file = join(dir, `${name}-plan${i}.xml`)
      writeFileSync(file, plan.xml)
      virsh('attach-device', name, file, '--live')
      const live = virsh('dumpxml', name)
      expect(live).toContain(`<alias name='${plan.alias}'/>`)
      attached.push(plan.alias)
    }
    // The golden has 4 spare root ports (pcie-root-ports-arm-virt: one per device + 4).
    expect(attached).toHaveLength(4)
    expect(refused?.code).toBe('NO_FREE_HOTPLUG_SLOT')
    const file = join(dir, `${name}-refused.xml`)
    writeFileSync(file, refused!.xml)
    expect(virshError('attach-device', name, file, '--live')).toContain('No more available PCI slots')
  }, 240_000)

  it('s390x: the planned ccw addresses are the ones libvirt takes; a taken one is refused by both', () => {
    const name = names[1]!
    define('debian11@s390x-tcg.xml', name)
    // libvirt gave every virtio device a ccw address at define time: plan on that definition.
    const planned: string[] = []
    for (let i = 0; i < 3; i++) {
      const plan = planAttach(virsh('dumpxml', name, '--inactive'), disk(name, i), { seed: `${name}-${i}`, flags: 'config' })
      if (!plan.ok) throw new Error(JSON.stringify(plan.problems))
      const devno = /devno='(0x[0-9a-f]{4})'/.exec(plan.xml)![1]!
      const file = join(dir, `${name}-plan${i}.xml`)
      writeFileSync(file, plan.xml)
      virsh('attach-device', name, file, '--config')
      const defined = virsh('dumpxml', name, '--inactive')
      // The disk is where the plan put it.
      const at = defined.indexOf(`<alias name='${plan.alias}'/>`)
      expect(at, plan.alias).toBeGreaterThan(0)
      expect(defined.slice(at, defined.indexOf('</disk>', at))).toContain(`devno='${devno}'`)
      planned.push(devno)
    }
    expect(new Set(planned).size).toBe(3)
    const taken = disk(name, 9).replace('</disk>', `<target dev='vdz' bus='virtio'/><address type='ccw' cssid='0xfe' ssid='0x0' devno='${planned[0]}'/></disk>`)
    expect(planAttach(virsh('dumpxml', name, '--inactive'), taken)).toMatchObject({ ok: false, problems: [{ code: 'CCW_ADDRESS_TAKEN' }] })
    const file = join(dir, `${name}-taken.xml`)
    writeFileSync(file, taken)
    expect(virshError('attach-device', name, file, '--config')).toContain(`The CCW devno 'fe.0.${planned[0]!.slice(2)}' is in use already`)
    // And the domain with three more disks still starts (then stops in a disabled wait without a bootable disk).
    expect(virshError('start', name)).toBe('')
  }, 240_000)
})
