// The machine features' reads found by defining probes on libvirtd 9.0 (probes h21-…, virDomainFeaturesDefParse and
// virDomainDefFormatFeatures of libvirt 9.0): model's tables say them so.
import { describe, expect, it } from 'vitest'
import { domainFeatures11, domainFeatures9, attributeReadProblem, attributeReadValue, attributeReads, attributesWrittenUnescaped, featuresSetBy, readLibvirtMemory, repeatedFeatureReads11, repeatedFeatureReads } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('the machine features', () => {
  it("HyperV's spinlock retries are read unsigned and written with %d: above 2^31 - 1 negative (h21-hv-spin-max)", () => {
    const retries = read('features/hyperv/spinlocks', 'retries')
    expect(attributeReadValue('4294967295', retries)).toBe('-1')
    expect(attributeReadValue('2147483648', retries)).toBe('-2147483648')
    expect(attributeReadValue('0x1000', retries)).toBe('4096')
    expect(attributeReadValue('2147483647', retries)).toBeUndefined()
    expect(attributeReadProblem('-1', retries, 'spinlocks')).toBe("Invalid value for attribute 'retries' in element 'spinlocks': '-1'. Expected non-negative integer value")
  })
  it("Xen's passthrough mode is read NONZERO only when on, and not kept when off (h21-xen-pt-*)", () => {
    const mode = read('features/xen/passthrough', 'mode')
    expect(attributeReadProblem('default', mode, 'passthrough')).toBe("Invalid value for attribute 'mode' in element 'passthrough': 'default'.")
    expect(attributeReadProblem('share_pt', mode, 'passthrough')).toBeUndefined()
    expect(mode[2]).toMatchObject({ unreadDropped: true, when: { of: 'self', attribute: 'state', values: ['on'] } })
    expect(read('features/xen/*', 'state')[2]).toEqual({ required: true })
  })
  it('a <tcg> is set by its translation cache, and the last one that sets it is kept (h21-tcg-two)', () => {
    expect(featuresSetBy.get('tcg')).toEqual(['tb-cache'])
    expect(repeatedFeatureReads.get('tcg')).toBe('last-set')
  })
  it("a stimer's <direct> is read only while the stimer is on (h43-hv-st-off-direct-nostate); 11.3 reads no enlightenment below a passthrough <hyperv>", () => {
    expect(read('features/hyperv/stimer/direct', 'state')[2]).toMatchObject({ required: true, when: { of: 'parent', attribute: 'state', values: ['on'] } })
    const passthrough = { ancestor: 'hyperv', attribute: 'mode', values: ['passthrough'] }
    for (const [path, attribute] of [['features/hyperv/*', 'state'], ['features/hyperv/spinlocks', 'retries'], ['features/hyperv/stimer/direct', 'state'], ['features/hyperv/tlbflush/extended', 'state']] as const) {
      expect(read(path, attribute)[2]?.unreadBelow11, path).toEqual(passthrough)
    }
    expect(read('features/hyperv/tlbflush/direct', 'state')[2]).toMatchObject({ since11: true, when: { of: 'parent', attribute: 'state', values: ['on'] } })
  })
  it("libvirt 11.3's RAS, PS/2, asynchronous teardown and AIA are read by it alone", () => {
    expect(read('features/ras', 'state')[2]).toEqual({ required: true, since11: true })
    expect(read('features/ps2', 'state')[2]).toEqual({ required: true, since11: true })
    expect(read('features/async-teardown', 'enabled')[1]).toBe('yes-no')
    expect(attributeReadProblem('default', read('features/aia', 'value'), 'aia', true)).toBe("Invalid value for attribute 'value' in element 'aia': 'default'.")
  })
  it("several <kvm>s: 9.0 keeps the last whole, 11.3 reads every one's children in turn (virDomainFeaturesKVMDefParse; h43-kvm-two)", () => {
    expect(repeatedFeatureReads.get('kvm')).toBe('whole-last')
    expect(repeatedFeatureReads11.get('kvm')).toBe('every-child')
    for (const name of ['hyperv', 'capabilities', 'xen', 'tcg', 'smm', 'hpt']) expect(repeatedFeatureReads11.get(name), name).toBe(repeatedFeatureReads.get(name))
  })
})

describe('the guest CPU', () => {
  it("a feature's name is written unescaped (virCPUDefFormatBuf; h21-cpu-feat-amp)", () => {
    expect(attributesWrittenUnescaped.get('cpu/feature')).toEqual(['name'])
    expect(attributesWrittenUnescaped.get('sysinfo/entry')).toEqual(['name'])
    // (an SMBIOS entry's name is one of libvirt's own: not in the table)
    expect(attributesWrittenUnescaped.has('system/entry')).toBe(false)
  })
})

describe('memory sizes at their limit (virDomainParseMemory)', () => {
  it('refuses 2^53 KiB or more once rounded up, in its words; beyond 2^63 - 1 bytes in virScaleInteger\'s (h21-big-tcg-*)', () => {
    expect(readLibvirtMemory('9223372036854775807', 'B', './tb-cache')).toEqual({ error: 'size value too large' })
    expect(readLibvirtMemory('9223372036854774784', 'B', './tb-cache')).toEqual({ kib: 9007199254740991 })
    expect(readLibvirtMemory('9007199254740992', 'KiB', './tb-cache')).toEqual({ error: 'value too large: 9007199254740992KiB' })
  })
})

describe('the machine features in their order (virDomainFeature)', () => {
  it('puts <xen> after <ccf-assist>, as virDomainDefFormatFeatures writes it (h21-xen-order)', () => {
    expect(domainFeatures9.indexOf('xen')).toBe(domainFeatures9.indexOf('ccf-assist') + 1)
    expect(domainFeatures9.slice(6, 9)).toEqual(['hyperv', 'kvm', 'pvspinlock'])
    expect(domainFeatures11.slice(domainFeatures9.length)).toEqual(['async-teardown', 'ras', 'ps2', 'aia'])
  })
})
