// The memory backing's elements libvirt 9.0's formatter writes only for a setting (virDomainMemorybackingFormat;
// probes h19-mb-src-none, h19-mb-access-none, h19-mb-alloc-empty: fixtures/preview/probes/memory.xml).
import { describe, expect, it } from 'vitest'
import { attributeReads, emptyUnwritten } from '../src/index.ts'

describe('emptyUnwritten: a <memoryBacking>\'s children', () => {
  it('lists <source>, <access> and <allocation>, not <hugepages> (written empty: huge pages of the default size)', () => {
    for (const path of ['memoryBacking/source', 'memoryBacking/access', 'memoryBacking/allocation']) expect(emptyUnwritten.has(path)).toBe(true)
    expect(emptyUnwritten.has('memoryBacking/hugepages')).toBe(false)
  })
})

describe("attributeReads: a DIMM address's slot", () => {
  it('reads the slot as a required unsigned number, only for a DIMM address, before its base', () => {
    const reads = attributeReads.get('devices/*/address')!
    const slot = reads.find(([name]) => name === 'slot')!
    expect(slot[1]).toBe('uint')
    expect(slot[2]).toMatchObject({ required: true, when: { of: 'self', attribute: 'type', values: ['dimm'] } })
    expect(reads.findIndex(([name]) => name === 'slot')).toBeLessThan(reads.findIndex(([name]) => name === 'base'))
  })
})
