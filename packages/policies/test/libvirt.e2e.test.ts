// The defaults against real parts: the sandbox libvirtd (tools/libvirt-sandbox) reads its own
// domain capabilities, accepts every composed domain with `virsh define --validate`, and
// virt-install (Debian virtinst) makes the same decisions or ones the README explains.
// In CI (CI=true) a missing libvirtd or virt-install is a failure; elsewhere the suite skips.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLibvirtXml, type LibvirtDocument } from '@virtuned/model'
import { compose } from '../src/index.ts'
import type { Element } from '@virtuned/xml-core'
import { golden } from '../../../tools/golden.ts'
import { parseDomainCapabilities, type HostCapabilities } from '@virtuned/defaults'
import { virtinstDifferences } from './virtinst-differences.ts'
import { combos } from './_bases.ts'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'

const { reason, run } = libvirtAvailability([['/usr/bin/virt-install', 'virt-install not installed (Debian virtinst)']])
const holder = String(process.pid)
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: holder }

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** The ten OSes of the comparison, with the memory each needs. */
const oses: readonly [string, string][] = [
  ['win11', '4GiB'], ['win10', '4GiB'], ['win2k22', '4GiB'], ['debian11', '2GiB'], ['fedora37', '2GiB'], ['rhel9.0', '2GiB'],
  ['ubuntu22.04', '2GiB'], ['alpinelinux3.17', '1GiB'], ['opensuse15.4', '2GiB'], ['freebsd13.1', '2GiB'],
]

const kib = (size: string) => (Number(size.replace('GiB', '')) * 1024 * 1024)

function elements(e: Element | undefined, name?: string): Element[] {
  return (e?.children ?? []).filter((c): c is Element => c.type === 'element' && (name === undefined || c.name === name))
}
const first = (e: Element | undefined, name: string) => elements(e, name)[0]

/** The decisions both tools make, as comparable strings. */
export function decisions(document: LibvirtDocument): Record<string, string> {
  const root = document.root
  const os = first(root, 'os')
  const devices = first(root, 'devices')
  const machine = first(os, 'type')?.attributes.machine ?? ''
  const loader = first(os, 'loader')
  const features = first(root, 'features')
  const clock = first(root, 'clock')
  const firmwareFeatures = elements(first(os, 'firmware'), 'feature').filter((f) => f.attributes.enabled === 'yes').map((f) => f.attributes.name)
  const disk = first(devices, 'disk')
  const nic = first(devices, 'interface')
  return {
    machine: /q35/.test(machine) ? 'q35' : /pc|i440fx/.test(machine) ? 'i440fx' : machine || '(libvirt default)',
    firmware: os?.attributes.firmware ?? (loader ? 'efi (loader)' : 'bios'),
    'secure boot': firmwareFeatures.includes('secure-boot') || loader?.attributes.secure === 'yes' ? 'yes' : 'no',
    'disk bus': first(disk, 'target')?.attributes.bus ?? '',
    'NIC model': first(nic, 'model')?.attributes.type ?? '(libvirt default)',
    video: first(first(devices, 'video'), 'model')?.attributes.type ?? 'none',
    'Hyper-V': elements(first(features, 'hyperv')).map((e) => e.name).sort().join(' ') || 'none',
    clock: `${clock?.attributes.offset ?? 'utc'}; ${elements(clock, 'timer').map((t) => `${t.attributes.name}${t.attributes.tickpolicy ? `=${t.attributes.tickpolicy}` : ''}${t.attributes.present ? `(${t.attributes.present})` : ''}`).sort().join(' ')}`,
    tablet: elements(devices, 'input').some((i) => i.attributes.type === 'tablet') ? 'usb tablet' : 'none',
    USB: elements(devices, 'controller').filter((c) => c.attributes.type === 'usb').map((c) => c.attributes.model ?? 'default').join(' ') || 'none',
    channels: elements(devices, 'channel').map((c) => first(c, 'target')?.attributes.name ?? '').sort().join(' ') || 'none',
    RNG: first(devices, 'rng')?.attributes.model ?? 'none',
    TPM: first(devices, 'tpm')?.attributes.model ?? 'none',
    'root ports': String(elements(devices, 'controller').filter((c) => c.attributes.model === 'pcie-root-port').length),
    'crash (panic, vmcoreinfo)': `${first(devices, 'panic')?.attributes.model ?? 'none'}, ${first(features, 'vmcoreinfo') ? 'on' : 'off'}`,
    CPU: first(root, 'cpu')?.attributes.mode ?? '(libvirt default)',
    sound: first(devices, 'sound')?.attributes.model ?? 'none',
  }
}

describe.skipIf(!run)(`defaults on a real libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let host: HostCapabilities
  let dir: string

  beforeAll(() => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh and apt-get install virtinst').toBe('')
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    dir = mkdtempSync(join(tmpdir(), 'virtuned-defaults-e2e-'))
    host = parseDomainCapabilities(virsh('domcapabilities', '--virttype', 'qemu', '--arch', 'x86_64', '--machine', 'q35'), 'libvirtd')
  }, 180_000)

  afterAll(() => {
    // virt-install defines a storage pool for each directory it sees a disk in: remove ours.
    if (dir) {
      for (const pool of virsh('pool-list', '--all', '--name').split('\n').map((p) => p.trim()).filter(Boolean)) {
        if (!virsh('pool-dumpxml', pool).includes(`<path>${dir}</path>`)) continue
        try { virsh('pool-destroy', pool) } catch { /* not active */ }
        virsh('pool-undefine', pool)
      }
      rmSync(dir, { recursive: true, force: true })
    }
    execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  })

  it("reads libvirtd's domain capabilities (TCG host)", () => {
    expect(host.virtType).toBe('qemu')
    expect(host.enums['devices/disk/bus']).toContain('virtio')
  })

  it('libvirtd accepts every composed domain with define --validate (golden on its own domain capabilities)', () => {
    const failures: string[] = []
    for (const [os, memory] of oses) {
      const name = `vt-defaults-${os.replace(/[^a-z0-9]/g, '')}`
      const result = compose({ type: 'qemu', name, memory, vcpus: 2, disks: [{ source: { file: `/var/lib/libvirt/images/${name}.qcow2` }, format: 'qcow2' }], nics: [{ type: 'user' }] }, { os, host, policies: ['spice', 'hotplug-ready'] })
      // Pinned for the CI machine's libvirt (Debian bookworm: libvirt 9.0, QEMU 7.2, TCG).
      golden(new URL(`../../../fixtures/defaults/${os}@libvirtd-tcg.xml`, import.meta.url).pathname, result.xml)
      const file = join(dir, `${name}.xml`)
      writeFileSync(file, result.xml)
      try {
        virsh('define', file, '--validate')
        virsh('undefine', name, '--nvram')
      } catch (error) {
        failures.push(`${os}: ${(error as { stderr?: string }).stderr ?? String(error)}`)
        try { virsh('undefine', name, '--nvram') } catch { /* it was not defined */ }
      }
    }
    expect(failures).toEqual([])
  }, 120_000)

  it('libvirtd accepts every built-in policy on every base domain, and a converted i440fx/SPICE domain', () => {
    const failures: string[] = []
    const define = (name: string, xml: string) => {
      const file = join(dir, `${name}.xml`)
      // The test host is TCG: the domain type follows the host, as `virtuned new --connect` does.
      writeFileSync(file, xml.replace(/^<domain type='kvm'>/, "<domain type='qemu'>").replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`))
      try {
        virsh('define', file, '--validate')
        virsh('undefine', name, '--nvram')
      } catch (error) {
        failures.push(`${name}: ${(error as { stderr?: string }).stderr ?? String(error)}`)
        try { virsh('undefine', name, '--nvram') } catch { /* not defined */ }
      }
    }
    for (const c of combos()) define(`vt-policy-${c.base}-${c.policy}`, compose(c.xml, { os: c.os, host, policies: [c.policy] }).xml)
    const legacy = "<domain type='qemu'><name>x</name><memory unit='KiB'>1048576</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/libvirt/images/l.img'/><target dev='hda' bus='ide'/></disk><controller type='ide' index='0'/><interface type='user'><model type='e1000'/></interface><graphics type='spice'/><channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel><video><model type='qxl'/></video><sound model='ich6'/></devices></domain>"
    define('vt-policy-converted', compose(legacy, { os: 'debian11', host, policies: ['pcie', 'vnc', 'hotplug-ready'], convert: true }).xml)
    expect(failures).toEqual([])
  }, 300_000)

  it('decides as virt-install does, or better for the reasons the README gives', () => {
    const table: string[] = []
    const undocumented: string[] = []
    for (const [os, memory] of oses) {
      const name = `vt-virtinst-${os.replace(/[^a-z0-9]/g, '')}`
      const disk = join(dir, `${name}.qcow2`)
      // Both get the same request: OS, memory, 2 vCPUs, one qcow2 disk, a user-mode NIC, SPICE.
      const theirs = execFileSync('virt-install', [
        '--connect', 'qemu:///system', '--print-xml', '--dry-run', '--virt-type', 'qemu', '--os-variant', os, '--name', name,
        '--memory', String(kib(memory) / 1024), '--vcpus', '2', '--disk', `path=${disk},size=1,format=qcow2`, '--network', 'user', '--graphics', 'spice',
      ], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
      const ours = compose({ type: 'qemu', name, memory, vcpus: 2, disks: [{ source: { file: disk }, format: 'qcow2' }], nics: [{ type: 'user' }] }, { os, host, policies: ['spice'] })
      const a = decisions(parseLibvirtXml(theirs))
      const b = decisions(ours.document)
      for (const key of Object.keys(a)) {
        const same = a[key] === b[key]
        table.push(`| ${os} | ${key} | ${a[key]} | ${b[key]} | ${same ? "same" : virtinstDifferences[key]?.verdict ?? "?"} |`)
        if (!same && !virtinstDifferences[key]?.accepts(a[key]!, b[key]!, os)) undocumented.push(`${os} ${key}: virt-install ${a[key]} vs virtuned ${b[key]}`)
      }
    }
    golden(new URL('../../../fixtures/defaults/virtinst-comparison.md', import.meta.url).pathname, ['| OS | decision | virt-install | virtuned | verdict |', '|---|---|---|---|---|', ...table].join('\n') + '\n')
    expect(undocumented).toEqual([])
  }, 300_000)
})
