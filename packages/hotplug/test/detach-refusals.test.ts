import { describe, expect, it } from 'vitest'
import { planDetach } from '../src/index.ts'

const live = (devices: string, extra = '') => `<domain type='kvm'><name>x</name>${extra}<os><type machine='q35'>hvm</type></os><devices>${devices}</devices></domain>`
const port = (index: number) => `<controller type='pci' index='${index}' model='pcie-root-port'><alias name='pci.${index}'/></controller>`

describe('planDetach refuses what libvirt refuses to unplug', () => {
  it('the primary video device', () => {
    const plan = planDetach(live("<video><model type='vga'/><alias name='video0'/></video>"), { alias: 'video0' })
    expect(plan).toMatchObject({ ok: false, problems: [{ code: 'NOT_DETACHABLE', message: expect.stringContaining('video0 is the primary video device') }] })
  })

  it('a SATA CD-ROM (by bus, as libvirt: SCSI and USB CD-ROMs unplug)', () => {
    const sata = planDetach(live("<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><alias name='sata0-0-0'/></disk>"), { disk: 'sda' })
    expect(sata).toMatchObject({ ok: false, problems: [{ code: 'NOT_DETACHABLE', message: expect.stringContaining('sata0-0-0 is a SATA CD-ROM drive, which QEMU cannot unplug') }] })
    expect(planDetach(live("<disk type='file' device='cdrom'><target dev='sda' bus='scsi'/><alias name='scsi0-0-0-0'/></disk>"), { disk: 'sda' }).ok).toBe(true)
    const ide = planDetach(live("<disk type='file'><target dev='hda' bus='ide'/><alias name='ide0-0-0'/></disk>"), { disk: 'hda' })
    expect(ide).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('This type of disk cannot be hot unplugged') }] })
  })

  it('a pcie-root-port in use, and one that is free (PCI controllers never unplug)', () => {
    const domain = live(`${port(1)}${port(2)}<disk type='file'><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></disk>`)
    expect(planDetach(domain, { alias: 'pci.1' })).toMatchObject({ ok: false, problems: [{ code: 'DEVICE_IN_USE', message: expect.stringContaining('in use by virtio-disk0') }] })
    expect(planDetach(domain, { alias: 'pci.2' })).toMatchObject({ ok: false, problems: [{ code: 'NOT_DETACHABLE' }] })
  })

  it('memory without hot-plug support, and kinds libvirt has no live detach for', () => {
    expect(planDetach(live("<memory model='dimm'><target><size unit='KiB'>524288</size></target><alias name='dimm0'/></memory>"), { alias: 'dimm0' })).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('no <maxMemory') }] })
    expect(planDetach(live("<memory model='dimm'><target><size unit='KiB'>524288</size></target><alias name='dimm0'/></memory>", "<maxMemory slots='4' unit='KiB'>8388608</maxMemory>"), { alias: 'dimm0' }).ok).toBe(true)
    expect(planDetach(live("<memballoon model='virtio'><alias name='balloon0'/></memballoon>"), { alias: 'balloon0' })).toMatchObject({ ok: false, problems: [{ code: 'NOT_DETACHABLE', message: expect.stringContaining('no live detach of <memballoon>') }] })
  })

  it('still plans what libvirt unplugs: a virtio disk, a NIC, a free SCSI controller', () => {
    expect(planDetach(live("<disk type='file'><target dev='vdb' bus='virtio'/><alias name='ua-data'/></disk>"), { disk: 'vdb' })).toMatchObject({ ok: true, alias: 'ua-data' })
    expect(planDetach(live("<interface type='user'><mac address='52:54:00:00:00:01'/><alias name='net0'/></interface>"), { mac: '52:54:00:00:00:01' })).toMatchObject({ ok: true, alias: 'net0' })
    expect(planDetach(live("<controller type='scsi' index='0' model='virtio-scsi'><alias name='scsi0'/></controller>"), { alias: 'scsi0' })).toMatchObject({ ok: true })
    expect(planDetach(live("<controller type='scsi' index='0' model='virtio-scsi'><alias name='scsi0'/></controller><disk type='file'><target dev='sda' bus='scsi'/><alias name='scsi0-0-0-0'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>"), { alias: 'scsi0' })).toMatchObject({ ok: false, problems: [{ code: 'DEVICE_IN_USE' }] })
  })
})
