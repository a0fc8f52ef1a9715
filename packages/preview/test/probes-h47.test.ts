// Guest NUMA, its caches and interconnects, memory backing and <numatune> as libvirt 9.0 reads them (own probes `h47-…`,
// each defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals are what the daemon
// stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (inner: { cpu?: string, backing?: string }, machine = 'q35'): string =>
  `<domain type='qemu'><name>h47</name><memory>1048576</memory><vcpu>4</vcpu>${inner.backing ?? ''}<os><type arch='x86_64' machine='${machine}'>hvm</type></os>${inner.cpu ?? ''}<devices></devices></domain>`
const cached = (kids: string): string =>
  `<cpu><numa><cell id='0' cpus='0-1' memory='524288'><cache level='1' associativity='full' policy='none'>${kids}</cache></cell><cell id='1' cpus='2-3' memory='524288'/></numa></cpu>`

describe("a NUMA cell cache's line size (virNumaCache's unsigned int line, virNumaCacheFormat)", () => {
  it('is kept modulo 2^32: the largest the parser reads is written 4294967295', () => {
    expect(predicts(dom({ cpu: cached("<size value='1' unit='KiB'/><line value='18446744073709551615'/>") }), v9))
      .toContain("<cache level='1' associativity='full'>\n          <size value='1' unit='KiB'/>\n          <line value='4294967295' unit='B'/>\n        </cache>")
    // (the near miss: 2^32 - 1 itself, kept as written)
    expect(predicts(dom({ cpu: cached("<size value='1' unit='KiB'/><line value='4294967295'/>") }), v9)).toContain("<line value='4294967295' unit='B'/>")
    expect(predicts(dom({ cpu: cached("<size value='1' unit='KiB'/><line value='4294967297'/>") }), v9)).toContain("<line value='1' unit='B'/>")
  })
  it('a line of 2^32 bytes is 0 and not written, in bytes or in a <unit> child (4 GiB)', () => {
    for (const line of ["<line value='4294967296'/>", "<line value='4'><unit>GiB</unit></line>"]) {
      const out = predicts(dom({ cpu: cached(`<size value='1' unit='KiB'/>${line}`) }), v9)
      expect(out).toContain("<cache level='1' associativity='full'>\n          <size value='1' unit='KiB'/>\n        </cache>")
    }
    // (past 2^64 - 1 it does not read: refused)
    expect(refusal(dom({ cpu: cached("<size value='1' unit='KiB'/><line value='18446744073709551616'/>") }), v9))
      .toMatchObject({ message: "Invalid value '18446744073709551616' for element or attribute './line/@value'" })
  })
})

describe('memory allocation threads (virDomainMemoryBackingParseXML: virXPathUInt)', () => {
  it("an empty count is none: `<allocation threads=''/>` alone leaves no <memoryBacking>", () => {
    const out = predicts(dom({ backing: "<memoryBacking><allocation threads=''/></memoryBacking>" }), v9)
    expect(out).not.toContain('<memoryBacking')
    expect(out).not.toContain('<allocation')
    // (near misses: a count kept, and an empty count beside a mode — the mode alone written)
    expect(predicts(dom({ backing: "<memoryBacking><allocation threads='1'/></memoryBacking>" }), v9)).toContain("<allocation threads='1'/>")
    expect(predicts(dom({ backing: "<memoryBacking><allocation mode='immediate' threads=''/></memoryBacking>" }), v9)).toContain("<memoryBacking>\n    <allocation mode='immediate'/>\n  </memoryBacking>")
  })
})
