// The host CPU's physical address bits, which libvirt holds an emulated CPU's to (qemu_validate.c qemuValidateDomainDefCpu:
// the driver's host CPU, not the capabilities cache). The host is data: `hostCpuAddressBits` (`virsh capabilities`,
// <host><cpu><maxphysaddr bits>); libvirtd 9.0 on this host (48 bits) refused 99 in these words (probe h13-cpu-mpa-big).
import { describe, expect, it } from 'vitest'
import { previewDomain, PreviewError, type PreviewOptions } from '../src/index.ts'
import { capsXml } from './_caps.ts'

const caps = capsXml()
const x86 = (addr: string): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>524288</memory><vcpu>4</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><model>qemu64</model>${addr}</cpu><devices/></domain>`
const preview = (xml: string, options: Partial<PreviewOptions> = {}) => previewDomain(xml, { qemuCaps: caps, abiUpdate: true, ...options })
const refusal = (xml: string, options: Partial<PreviewOptions>): unknown => { try { preview(xml, options) } catch (e) { return e } return undefined }

describe.each([['11.3', 11_003_000], ['9.0', 9_000_000]])('libvirt %s', (_, libvirtVersion) => {
  it("more emulated bits than the host CPU's are refused; as many are stored", () => {
    expect(refusal(x86("<maxphysaddr mode='emulate' bits='99'/>"), { libvirtVersion, hostCpuAddressBits: 48 })).toMatchObject({ code: 'preview-refused', message: 'The number of virtual CPU address bits cannot exceed the number supported by the host CPU', path: 'domain/cpu/maxphysaddr/@bits' })
    expect(refusal(x86("<maxphysaddr mode='emulate' bits='49'/>"), { libvirtVersion, hostCpuAddressBits: 48 })).toMatchObject({ code: 'preview-refused' })
    const fits = preview(x86("<maxphysaddr mode='emulate' bits='48'/>"), { libvirtVersion, hostCpuAddressBits: 48 })
    expect(fits.xml).toContain("<maxphysaddr mode='emulate' bits='48'/>")
    expect(fits.notPredicted.filter((n) => n.path === 'domain/cpu/maxphysaddr')).toEqual([])
  })
  it('near misses: passed-through bits are not held to it; without it, predicted as fitting and listed as not predicted', () => {
    expect(preview(x86("<maxphysaddr mode='passthrough'/>"), { libvirtVersion, hostCpuAddressBits: 1 }).xml).toContain("<maxphysaddr mode='passthrough'/>")
    const unknown = preview(x86("<maxphysaddr mode='emulate' bits='99'/>"), { libvirtVersion })
    expect(unknown.xml).toContain("bits='99'")
    expect(unknown.notPredicted.map((n) => n.path)).toContain('domain/cpu/maxphysaddr')
    // (libvirt's test host's CPU says no bits: nothing to check, nothing unknown)
    expect(preview(x86("<maxphysaddr mode='emulate' bits='99'/>"), { libvirtVersion, testHost: 'latest' }).notPredicted.map((n) => n.path)).not.toContain('domain/cpu/maxphysaddr')
  })
})

it('bits that are not a count: a typed error', () => {
  for (const hostCpuAddressBits of [-1, 1.5, Number.NaN, '48' as unknown as number]) expect(refusal(x86(''), { hostCpuAddressBits })).toBeInstanceOf(PreviewError)
  expect(refusal(x86(''), { hostCpuAddressBits: -1 })).toMatchObject({ code: 'preview-bad-host-cpu' })
})
