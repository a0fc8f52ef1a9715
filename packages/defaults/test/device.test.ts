import { toXml } from '@virtuned/xml-core'
import { describe, expect, it } from 'vitest'
import { planAttach } from '@virtuned/hotplug'
import { applyDefaults, assumedHost, deviceDefaultsLayer } from '../src/index.ts'

const bare = `<domain type='kvm'><name>g</name><memory unit='GiB'>2</memory><vcpu>4</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/root.qcow2'/></disk></devices></domain>`

describe('defaults for a hot-plugged device', () => {
  it('uses the OS and profile recorded in the domain, as a fill layer the plan merges', () => {
    const live = applyDefaults(bare, { os: 'debian11', host: assumedHost }).xml
    const disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/data.qcow2'/></disk>"
    const layer = deviceDefaultsLayer(live, disk)!
    expect(layer.filled).toEqual(['disk-bus: target/@bus=virtio', 'disk-discard: driver/@discard=unmap'])
    // A tree, as xml-core's merge takes it: no XML text written and parsed again on the way.
    expect(toXml(layer.document, { style: 'preserve' })).toBe("<disk><target bus='virtio'/><driver discard='unmap'/></disk>")
    const plan = planAttach(live, disk, { layers: [layer], seed: 'data' })
    expect(plan).toMatchObject({ ok: true, target: 'vdb' })
    if (plan.ok) {
      expect(plan.xml).toContain("discard='unmap'")
      expect(plan.xml).toMatch(/<target (dev='vdb' bus='virtio'|bus='virtio' dev='vdb')\/>/)
    }
  })

  it('leaves what the device says, and follows the OS (e1000e for Windows on q35)', () => {
    const win = applyDefaults(bare, { os: 'win10', host: assumedHost }).xml
    expect(deviceDefaultsLayer(win, "<interface type='network'><source network='default'/></interface>")!.filled).toEqual(['nic-model: model/@type=e1000e'])
    expect(deviceDefaultsLayer(win, "<interface type='network'><source network='default'/><model type='virtio'/></interface>")).toBeUndefined()
  })

  it('hands policy choices through parameters (multiqueue for virtio NICs)', () => {
    const live = applyDefaults(bare, { os: 'fedora37', host: assumedHost }).xml
    const layer = deviceDefaultsLayer(live, "<interface type='network'><source network='default'/></interface>", { parameters: { multiqueue: true } })!
    expect(layer.filled).toEqual(['nic-model: model/@type=virtio', 'nic-multiqueue: driver/@queues=4'])
  })
})
