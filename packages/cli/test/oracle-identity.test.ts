// The live oracles give each domain what libvirt would otherwise make up at random (tools/preview-oracle.ts withIdentity):
// the domain's own UUID — never a device's — and the NICs' MACs.
import { describe, expect, it } from 'vitest'
import { withIdentity } from '../../../tools/preview-oracle.ts'

const own = (n: number): string => `<uuid>00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}</uuid>`

describe('withIdentity', () => {
  it('gives a domain without a UUID its own, after its name, whatever UUID an NVDIMM holds', () => {
    const xml = withIdentity("<domain type='qemu'><name>d</name><devices><memory model='nvdimm'><uuid>11111111-2222-4333-8444-555555555555</uuid></memory></devices></domain>", 7)
    expect(xml).toContain(`<name>d</name>${own(7)}`)
    expect(xml).toContain('<uuid>11111111-2222-4333-8444-555555555555</uuid></memory>')
  })

  it("fills the domain's empty <uuid>, not a device's before it", () => {
    const xml = withIdentity("<domain type='qemu'><name>d</name><devices><memory model='nvdimm'><uuid/></memory></devices><uuid></uuid></domain>", 9)
    expect(xml).toBe(`<domain type='qemu'><name>d</name><devices><memory model='nvdimm'><uuid/></memory></devices>${own(9)}</domain>`)
  })

  it('keeps a UUID the domain has', () => {
    const xml = "<domain type='qemu'><name>d</name><uuid>aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee</uuid><devices/></domain>"
    expect(withIdentity(xml, 3)).toBe(xml)
  })

  it('gives each NIC without a MAC its own, an empty interface tag opened for it', () => {
    const xml = withIdentity("<domain type='qemu'><name>d</name><uuid>aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee</uuid><devices><interface type='user'/><interface type='user'><mac address='52:54:00:00:00:99'/></interface><interface type='user'><model type='e1000'/></interface></devices></domain>", 0x102)
    expect(xml).toContain("<interface type='user'><mac address='52:54:00:01:02:01'/></interface>")
    expect(xml).toContain("<mac address='52:54:00:00:00:99'/>")
    expect(xml).toContain("<interface type='user'><mac address='52:54:00:01:02:03'/><model type='e1000'/></interface>")
  })
})
