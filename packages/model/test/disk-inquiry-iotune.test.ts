// A disk's I/O limits in libvirt's order and its SCSI inquiry strings' limits and buses (libvirt 9.0's and 11.3's
// domain_conf.c, domain_validate.c, qemu_validate.c; the preview probes h44-… on libvirtd 9.0).
import { describe, expect, it } from 'vitest'
import { attributeReads, diskInquiryBuses, diskInquiryLimit, diskIotuneLimits } from '../src/index.ts'

describe('diskIotuneLimits', () => {
  it("lists the limits in virDomainDiskDefIotuneParse's order: bytes then operations, each total, read, write", () => {
    expect(diskIotuneLimits.slice(0, 6)).toEqual(['total_bytes_sec', 'read_bytes_sec', 'write_bytes_sec', 'total_iops_sec', 'read_iops_sec', 'write_iops_sec'])
    expect(diskIotuneLimits.slice(6, 12)).toEqual(diskIotuneLimits.slice(0, 6).map((name) => `${name}_max`))
    expect(diskIotuneLimits[12]).toBe('size_iops_sec')
    expect(diskIotuneLimits.slice(13)).toEqual(diskIotuneLimits.slice(0, 6).map((name) => `${name}_max_length`))
  })
})

describe('diskInquiryLimit and diskInquiryBuses', () => {
  it('takes a vendor of 8 bytes and a product of 16 (libvirt 11: 40 off SCSI)', () => {
    for (const bus of ['scsi', 'sata', 'virtio']) {
      expect(diskInquiryLimit('vendor', bus, false)).toBe(8)
      expect(diskInquiryLimit('vendor', bus, true)).toBe(8)
      expect(diskInquiryLimit('product', bus, false)).toBe(16)
    }
    expect(diskInquiryLimit('product', 'scsi', true)).toBe(16)
    expect(diskInquiryLimit('product', 'sata', true)).toBe(40)
    expect(diskInquiryLimit('product', 'ide', true)).toBe(40)
  })
  it('takes them on SCSI disks (libvirt 11: a product on IDE and SATA ones too)', () => {
    expect([...diskInquiryBuses('vendor', false)]).toEqual(['scsi'])
    expect([...diskInquiryBuses('product', false)]).toEqual(['scsi'])
    expect([...diskInquiryBuses('vendor', true)]).toEqual(['scsi'])
    expect([...diskInquiryBuses('product', true)].sort()).toEqual(['ide', 'sata', 'scsi'])
  })
})

describe("a disk's <blockio> as attributeReads has it", () => {
  it("reads the block sizes in both versions, libvirt 11's discard granularity too (virXMLPropUInt, 0 not written)", () => {
    const reads = attributeReads.get('devices/disk/blockio')!
    expect(reads.map(([name]) => name)).toEqual(['logical_block_size', 'physical_block_size', 'discard_granularity'])
    expect(reads.every(([, type, options]) => type === 'uint' && options?.zeroUnwritten === true)).toBe(true)
    expect(reads.map(([, , options]) => options?.since11 === true)).toEqual([false, false, true])
  })
})
