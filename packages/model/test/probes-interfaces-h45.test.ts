// A NIC's less probed parts as libvirt 9.0 reads and writes them, found by defining probes on libvirtd 9.0 (probes
// h45-…, fixtures/preview/probes/interfaces-more.xml): model's tables say them so.
import { describe, expect, it } from 'vitest'
import { attributeOrder, attributeReads, attributesWrittenUnescaped, attributesWrittenUnescaped9, inAttributeOrder } from '../src/index.ts'

describe("a NIC's driver offloads", () => {
  it("are read only for a virtio model, as its other virtio-net settings (virDomainNetDefParseXMLDriver; h45-off-e1000)", () => {
    for (const path of ['devices/interface/driver/host', 'devices/interface/driver/guest']) {
      const reads = attributeReads.get(path)!
      expect(reads.map((r) => r[0])).toContain('csum')
      for (const r of reads) expect(r[2]?.when).toEqual(attributeReads.get('devices/interface/driver')!.find((x) => x[0] === 'queues')![2]!.when)
    }
  })
})

describe("a device's <rom>", () => {
  it('is written enabled, bar, file (virDomainDeviceInfoFormat; h45-rom-enabled-yes-file)', () => {
    for (const parent of ['interface', 'hostdev']) {
      const order = attributeOrder('devices', parent, 'rom')!
      expect(Object.keys(inAttributeOrder({ file: '/a', bar: 'off', enabled: 'yes' }, order))).toEqual(['enabled', 'bar', 'file'])
      expect(Object.keys(inAttributeOrder({ enabled: 'yes', file: '/a', bar: 'off' }, order))).toEqual(['enabled', 'bar', 'file'])
    }
  })
})

describe("a NIC's filter reference", () => {
  it("is written unescaped (virNWFilterFormatParamAttributes' filter='%s'; h45-fr-…-filter-amp)", () => {
    expect(attributesWrittenUnescaped.get('interface/filterref')).toEqual(['filter'])
    // (its parameters' names and values are checked by the parser: no character to escape gets through)
    expect(attributesWrittenUnescaped.has('filterref/parameter')).toBe(false)
  })
  it("and a UDP end's local address and an 802.1Qbh port's profile ID, in both releases; a socket's own address in 9.0 alone (h45-esc-…)", () => {
    expect(attributesWrittenUnescaped.get('source/local')).toEqual(['address'])
    expect(attributesWrittenUnescaped.get('virtualport/parameters')).toEqual(['profileid'])
    expect(attributesWrittenUnescaped.has('interface/source')).toBe(false)
    expect(attributesWrittenUnescaped9.get('interface/source')).toEqual(['address'])
    for (const [path, names] of attributesWrittenUnescaped) expect(attributesWrittenUnescaped9.get(path)).toEqual(names)
  })
})

describe("libvirt 11's bandwidth limits (virNetDevBandwidthRateValidate)", () => {
  it("are tc's: average, peak and floor up to 2^54, a burst up to UINT_MAX >> 10, in that order", async () => {
    const { bandwidthRateLimits11 } = await import('../src/index.ts')
    expect(bandwidthRateLimits11).toEqual([['average', 18014398509481984n], ['peak', 18014398509481984n], ['burst', 4194303n], ['floor', 18014398509481984n]])
  })
})
