// Issue 16 item 3: plan-attach names targets past `vdzz` as libvirt does, costs linear time in the
// devices of the live domain, and refuses a live domain over the device limits.
import { DomainModelError, deviceLimits } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { diskName, nextTarget, planAttach } from '../src/index.ts'

const domain = (devices: readonly string[]) => `<domain type='kvm'><name>d</name><os><type arch='x86_64' machine='pc'>hvm</type></os>\n<devices>\n${devices.join('\n')}\n</devices></domain>`
const disk = (i: number) => `<disk type='file' device='disk'><source file='/i/${i}.qcow2'/><target dev='${diskName('vd', i)}' bus='virtio'/><alias name='virtio-disk${i}'/></disk>`
const nic = (i: number) => `<interface type='network'><source network='default'/><alias name='net${i}'/></interface>`
const names = (count: number) => new Set(Array.from({ length: count }, (_, i) => diskName('vd', i)))
const newDisk = "<disk type='file' device='disk'><source file='/i/new.qcow2'/></disk>"

describe('target names at the boundaries', () => {
  it('nextTarget goes vdz → vdaa and vdzz → vdaaa', () => {
    expect(nextTarget('virtio', names(25))).toBe('vdz')
    expect(nextTarget('virtio', names(26))).toBe('vdaa')
    expect(nextTarget('virtio', names(701))).toBe('vdzz')
    // It used to stop at vdzz and answer "no free target".
    expect(nextTarget('virtio', names(702))).toBe('vdaaa')
    expect(nextTarget('virtio', names(1024))).toBe('vdamk')
    expect(nextTarget('scsi', new Set(['vda', 'sda']))).toBe('sdb')
  })

  it('planAttach names the disk after 26 and after 702 disks vdaa and vdaaa', () => {
    expect(planAttach(domain(Array.from({ length: 26 }, (_, i) => disk(i))), newDisk)).toMatchObject({ ok: true, target: 'vdaa' })
    expect(planAttach(domain(Array.from({ length: 702 }, (_, i) => disk(i))), newDisk)).toMatchObject({ ok: true, target: 'vdaaa' })
  })
})

describe('device limits', () => {
  it('plans on a live domain at the limits well inside 2 s', () => {
    const live = domain([...Array.from({ length: deviceLimits.disks }, (_, i) => disk(i)), ...Array.from({ length: deviceLimits.nics }, (_, i) => nic(i))])
    const start = performance.now()
    const disks = planAttach(live, newDisk)
    const nics = planAttach(live, "<interface type='network'><source network='default'/></interface>")
    expect(performance.now() - start).toBeLessThan(2000)
    expect(disks).toMatchObject({ ok: true, target: 'vdamk' })
    expect(nics).toMatchObject({ ok: true })
  })

  it('refuses a live domain one disk over the limit with model-too-many-devices', () => {
    const live = domain(Array.from({ length: deviceLimits.disks + 1 }, (_, i) => disk(i)))
    let error: unknown
    try { planAttach(live, newDisk) } catch (e) { error = e }
    expect(error).toBeInstanceOf(DomainModelError)
    expect(error).toMatchObject({ code: 'model-too-many-devices', path: 'domain/devices/disk' })
    expect(() => planAttach(domain(Array.from({ length: deviceLimits.nics + 1 }, (_, i) => nic(i))), newDisk)).toThrow(expect.objectContaining({ code: 'model-too-many-devices', path: 'domain/devices/interface' }))
    expect(planAttach(live, newDisk, { limits: { disks: 2000, nics: 2000, devices: 4096 } })).toMatchObject({ ok: true, target: 'vdaml' })
  })
})
