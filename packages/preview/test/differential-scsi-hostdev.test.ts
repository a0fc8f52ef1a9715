// SCSI host devices past a controller's units (virDomainDefMaybeAddHostdevSCSIcontroller after virDomainHostdevAssignAddress):
// the controller libvirt adds takes the model of the one below it — "keeping the same controller model for all SCSI
// hostdevs" —, the default model only when that one has none. Found by the differential search (seed 1137, held-out
// corpus, strip-addresses), checked on libvirtd 9.0 beside the near misses.
import { describe, expect, it } from 'vitest'
import { predicts } from './_refusal.ts'

const hostdevs = (n: number): string => Array.from({ length: n }, (_, u) => `<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='${u}'/></source></hostdev>`).join('')
const dom = (controller: string): string => `<domain type='qemu'><name>t</name><memory>262144</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${controller}${hostdevs(9)}</devices></domain>`

describe('SCSI controllers added for host devices', () => {
  it('take the model of the controller the host devices filled', () => {
    expect(predicts(dom("<controller type='scsi' index='0' model='virtio-scsi'/>"), { v9: true })).toContain("<controller type='scsi' index='1' model='virtio-scsi'>")
  })
  it('take the default model when that controller was written without one (resolved to it first)', () => {
    const xml = predicts(dom("<controller type='scsi' index='0'/>"), { v9: true })
    expect(xml).toContain("<controller type='scsi' index='1' model='lsilogic'>")
    expect(xml).not.toContain('virtio-scsi')
  })
  it('fill an lsisas1068 controller at its second unit (the last its model has), then the next controller', () => {
    // (virDomainSCSIDriveAddressIsUsed counts a unit past the model's last as used; checked on libvirtd 9.0)
    const xml = predicts(dom("<controller type='scsi' index='0' model='lsisas1068'/>"), { v9: true })
    const units = [...xml.matchAll(/<address type='drive' controller='(\d+)' bus='0' target='0' unit='(\d+)'\/>/g)].map((m) => `${m[1]}:${m[2]}`)
    expect(units).toEqual(['0:0', '0:1', '1:0', '1:1', '1:2', '1:3', '1:4', '1:5', '1:6'])
    expect(xml).toContain("<controller type='scsi' index='1' model='lsisas1068'>")
  })
  it('count an lsisas1068 controller written above the first by its own limit', () => {
    const xml = predicts(dom("<controller type='scsi' index='0' model='lsilogic'/><controller type='scsi' index='1' model='lsisas1068'/>"), { v9: true })
    const units = [...xml.matchAll(/<address type='drive' controller='(\d+)' bus='0' target='0' unit='(\d+)'\/>/g)].map((m) => `${m[1]}:${m[2]}`)
    expect(units).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '0:6', '1:0', '1:1'])
  })
})
