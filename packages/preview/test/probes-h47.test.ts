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

describe('a NUMA cell read again over its id (virDomainNumaDefParseXML: the duplicate check looks at the memory kept)', () => {
  const cells = (inner: string, vcpu = 4): string =>
    `<domain type='qemu'><name>h47</name><memory>1048576</memory><vcpu>${vcpu}</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><cpu><numa>${inner}</numa></cpu><devices></devices></domain>`
  it('over a cell of memory 0 the later one is read into its place; the place left is an empty cell', () => {
    const out = predicts(cells("<cell id='0' cpus='0-1' memory='0'/><cell id='1' cpus='2-3' memory='524288'/><cell id='0' cpus='4-5' memory='524288'/>", 6), v9)
    // (vCPUs 0-1, named by no cell now, go to cell 0: qemuDomainDefNumaCPUsRectify)
    expect(out).toContain("<numa>\n      <cell id='0' cpus='0-1,4-5' memory='524288' unit='KiB'/>\n      <cell id='1' cpus='2-3' memory='524288' unit='KiB'/>\n      <cell id='2' memory='0' unit='KiB'/>\n    </numa>")
    expect(out).toContain("<memory unit='KiB'>1048576</memory>")
    // (a cell without an id is its position's: the second cell is read over cell 1)
    expect(predicts(cells("<cell id='1' cpus='0-1' memory='0'/><cell cpus='2-3' memory='1048576'/>"), v9))
      .toContain("<cell id='0' cpus='0-1' memory='0' unit='KiB'/>\n      <cell id='1' cpus='2-3' memory='1048576' unit='KiB'/>")
    // (its memory access and discard are the later cell's: none when it writes none)
    const again = predicts(cells("<cell id='0' cpus='0-3' memory='0' memAccess='shared' discard='yes'/><cell id='0' cpus='0-3' memory='1048576'/>"), v9)
    expect(again).toContain("<cell id='0' cpus='0-3' memory='1048576' unit='KiB'/>\n      <cell id='1' memory='0' unit='KiB'/>")
    // (its vCPUs counted once against <vcpu>: the same four named twice are not eight)
    expect(predicts(cells("<cell id='0' cpus='0-1' memory='0'/><cell id='1' cpus='2-3' memory='524288'/><cell id='0' cpus='0-1' memory='524288'/>"), v9))
      .toContain("<cell id='0' cpus='0-1' memory='524288' unit='KiB'/>\n      <cell id='1' cpus='2-3' memory='524288' unit='KiB'/>\n      <cell id='2' memory='0' unit='KiB'/>")
  })
  it('refused once the memory kept for the id is not 0, and the later cell checked against the others', () => {
    expect(refusal(cells("<cell id='0' cpus='0-1' memory='0'/><cell id='0' cpus='2-3' memory='1048576'/><cell id='0' memory='1'/>"), v9))
      .toMatchObject({ message: "Duplicate NUMA cell info for cell id '0'" })
    expect(refusal(cells("<cell id='0' cpus='0-1' memory='524288'/><cell id='0' cpus='2-3' memory='524288'/>"), v9))
      .toMatchObject({ message: "Duplicate NUMA cell info for cell id '0'" })
    expect(refusal(cells("<cell id='0' cpus='0-1' memory='0'/><cell id='1' cpus='2-3' memory='524288'/><cell id='0' cpus='2' memory='524288'/>"), v9))
      .toMatchObject({ message: 'NUMA cells 0 and 1 have overlapping vCPU ids' })
    expect(refusal(cells("<cell id='0' cpus='0-1' memory='0'/><cell id='0' cpus='4' memory='1048576'/>"), v9))
      .toMatchObject({ message: 'CPU IDs in <numa> exceed the <vcpu> count' })
  })
})

describe("an interconnect's initiator and the vCPUs the QEMU driver gives cell 0 (qemuDomainDefNumaCPUsRectify before virDomainNumaDefValidate)", () => {
  const hmat = (cells: string, links: string): string =>
    `<domain type='qemu'><name>h47</name><memory>1048576</memory><vcpu>4</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><cpu><numa>${cells}<interconnects>${links}</interconnects></numa></cpu><devices></devices></domain>`
  const latency = (i: number, t: number): string => `<latency initiator='${i}' target='${t}' type='access' value='5'/>`
  it('cell 0 naming no vCPUs is an initiator when vCPUs are left for it', () => {
    expect(predicts(hmat("<cell id='0' memory='1048576'/>", latency(0, 0)), v9))
      .toContain("<cell id='0' cpus='0-3' memory='1048576' unit='KiB'/>\n      <interconnects>\n        <latency initiator='0' target='0' type='access' value='5'/>")
    expect(predicts(hmat("<cell id='0' memory='524288'/><cell id='1' cpus='0-1' memory='524288'/>", latency(0, 1)), v9))
      .toContain("<cell id='0' cpus='2-3' memory='524288' unit='KiB'/>\n      <cell id='1' cpus='0-1' memory='524288' unit='KiB'/>")
  })
  it('refused when the other cells name every vCPU, or for another cell without vCPUs', () => {
    expect(refusal(hmat("<cell id='0' memory='524288'/><cell id='1' cpus='0-3' memory='524288'/>", latency(0, 1)), v9))
      .toMatchObject({ message: "NUMA nodes without CPUs can't be initiator" })
    expect(refusal(hmat("<cell id='0' cpus='0-1' memory='524288'/><cell id='1' memory='524288'/>", latency(1, 0)), v9))
      .toMatchObject({ message: "NUMA nodes without CPUs can't be initiator" })
  })
})
