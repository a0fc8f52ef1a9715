// Issue 16 item 3: compose refuses more devices than the limits before any policy or default runs,
// and composes a domain at the limits quickly (naming 1,024 disk targets used to be quadratic).
import { DomainModelError, deviceLimits } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { applyPolicies, compose } from '../src/index.ts'

const disk = (i: number) => ({ source: { file: `/var/lib/libvirt/images/d${i}.qcow2` } })
const nic = () => ({ type: 'network' as const, source: 'default' })
const xml = (disks: number, nics = 0) => `<domain type='kvm'><name>x</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${
  "<disk type='file' device='disk'><source file='/d.qcow2'/></disk>".repeat(disks)}${"<interface type='network'><source network='default'/></interface>".repeat(nics)}</devices></domain>`

function errorOf(run: () => unknown): DomainModelError {
  try { run() } catch (error) { expect(error).toBeInstanceOf(DomainModelError); return error as DomainModelError }
  throw new Error('expected a DomainModelError')
}

describe('device limits in compose', () => {
  it('compose 1,024 disks and 1,024 NICs, from a spec and from XML, well inside 2 s each', () => {
    let start = performance.now()
    const fromSpec = compose({ name: 'many', memory: '1GiB', vcpus: 1, disks: Array.from({ length: 1024 }, (_, i) => disk(i)), nics: Array.from({ length: 1024 }, nic) }, { os: 'debian11' })
    expect(performance.now() - start).toBeLessThan(2000)
    expect(fromSpec.xml).toContain("<target dev='vdamj' bus='virtio'/>")
    start = performance.now()
    const fromXml = compose(xml(1024, 1024), { os: 'debian11', policies: ['hotplug-ready'] })
    expect(performance.now() - start).toBeLessThan(2000)
    expect(fromXml.xml).toContain("<target dev='vdamj' bus='virtio'/>")
  })

  it('refuse one disk or NIC over, from a spec or XML, with model-too-many-devices', () => {
    expect(errorOf(() => compose({ name: 'x', memory: '1GiB', vcpus: 1, disks: Array.from({ length: deviceLimits.disks + 1 }, (_, i) => disk(i)) }))).toMatchObject({ code: 'model-too-many-devices', path: 'disks' })
    expect(errorOf(() => compose({ name: 'x', memory: '1GiB', vcpus: 1, nics: Array.from({ length: deviceLimits.nics + 1 }, nic) }))).toMatchObject({ code: 'model-too-many-devices', path: 'nics' })
    expect(errorOf(() => compose(xml(deviceLimits.disks + 1)))).toMatchObject({ code: 'model-too-many-devices', path: 'domain/devices/disk' })
    expect(errorOf(() => applyPolicies(xml(0, deviceLimits.nics + 1), { policies: ['hotplug-ready'] }))).toMatchObject({ code: 'model-too-many-devices', path: 'domain/devices/interface' })
  })
})
