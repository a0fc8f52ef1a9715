// The machine features libvirt 9.0 reads by XPath from `<features>` as a whole (own probes `h43-…`, each defined on the
// sandbox libvirtd 9.0 beside preview: fixtures/preview/probes/features-more.xml): SMM's TSEG and an HPT's largest page
// size are read by virParseScaledValue as `string(./features/smm/tseg)` and `string(./features/smm/tseg/@unit)`,
// `./features/hpt/maxpagesize` and its `/@unit` (virDomainFeaturesDefParse) — the first such element below any `<smm>`
// or `<hpt>`, in the unit first written in any (model's readAsOneWhenRepeated, repeatedFeatureReads). Each expected
// document or refusal is what the daemon printed.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (feat: string, machine = 'q35', arch = 'x86_64'): string =>
  `<domain type='qemu'><name>h43</name><uuid>4d1e9b2c-5a6f-4c3d-8e7f-0a1b2c3d4e5f</uuid><memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><features>${feat}</features><devices/></domain>`
const ppc = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'machine.pseries.cap-hpt-max-page-size'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
const featuresOf = (xml: string): string[] => {
  const lines = xml.split('\n')
  return lines.slice(lines.indexOf('  <features>') + 1, lines.indexOf('  </features>'))
}

describe("SMM's TSEG: the first <tseg> below any <smm>, in the unit first written in any (string(./features/smm/tseg/@unit))", () => {
  it("reads a TSEG without a unit in a later TSEG's unit (probes h43-tseg-unit-second-q35, -second2, -kib-unit-second)", () => {
    expect(refusal(dom("<smm state='on'><tseg>16</tseg><tseg unit='KiB'>64</tseg></smm>"), v9).message).toBe('SMM TSEG size must be divisible by 1 MiB')
    expect(refusal(dom("<smm state='on'><tseg>1</tseg><tseg unit='B'>64</tseg></smm>"), v9).message).toBe('SMM TSEG size must be divisible by 1 MiB')
    expect(featuresOf(predicts(dom("<smm state='on'><tseg>2</tseg><tseg unit='GiB'>64</tseg></smm>"), v9))).toEqual(["    <smm state='on'>", "      <tseg unit='GiB'>2</tseg>", '    </smm>'])
    // (near miss: the first's own unit wins)
    expect(featuresOf(predicts(dom("<smm state='on'><tseg unit='MiB'>16</tseg><tseg unit='KiB'>64</tseg></smm>"), v9))).toEqual(["    <smm state='on'>", "      <tseg unit='MiB'>16</tseg>", '    </smm>'])
  })
  it("reads it through two <smm>s (probe h43-tseg-unit-second-smm-q35): 1024 in the second's KiB is 1 MiB", () => {
    expect(featuresOf(predicts(dom("<smm state='on'><tseg>1024</tseg></smm><smm state='on'><tseg unit='KiB'>64</tseg></smm>"), v9))).toEqual(["    <smm state='on'>", "      <tseg unit='MiB'>1</tseg>", '    </smm>'])
  })
  it("refuses a later TSEG's unit that does not read, in its words, on q35 and pc (probes h43-tseg-unit-bad-second-q35, -pc)", () => {
    for (const machine of ['q35', 'pc']) {
      expect(refusal(dom("<smm state='on'><tseg>16</tseg><tseg unit='bogus'>64</tseg></smm>", machine), v9).message).toBe("unknown suffix 'bogus'")
    }
  })
})

describe("an HPT's largest page size: the first <maxpagesize> below any <hpt>, in the unit first written in any", () => {
  it("reads a size without a unit in a later size's unit (probes h43-hpt-unit-second-ps, h43-hpt-unit-second-hpt-ps)", () => {
    const hpt = ['    <hpt>', "      <maxpagesize unit='KiB'>16384</maxpagesize>", '    </hpt>']
    expect(featuresOf(predicts(dom("<hpt><maxpagesize>16</maxpagesize><maxpagesize unit='MiB'>64</maxpagesize></hpt>", 'pseries', 'ppc64'), { ...v9, caps: ppc }))).toEqual(hpt)
    expect(featuresOf(predicts(dom("<hpt><maxpagesize>16</maxpagesize></hpt><hpt><maxpagesize unit='MiB'>64</maxpagesize></hpt>", 'pseries', 'ppc64'), { ...v9, caps: ppc }))).toEqual(hpt)
  })
  it("refuses a size below a later <hpt> at the first, before the machine's check (probes h43-hpt-bad-second-hpt-ps, -q35, h43-hpt-bad-unit-second-…)", () => {
    for (const [machine, arch, caps] of [['pseries', 'ppc64', ppc], ['q35', 'x86_64', undefined]] as const) {
      const o = { ...v9, ...(caps ? { caps } : {}) }
      expect(refusal(dom("<hpt resizing='enabled'/><hpt><maxpagesize>x</maxpagesize></hpt>", machine, arch), o).message).toBe('Unable to parse HPT maxpagesize setting')
      expect(refusal(dom("<hpt><maxpagesize>16</maxpagesize><maxpagesize unit='bogus'>64</maxpagesize></hpt>", machine, arch), o).message).toBe('Unable to parse HPT maxpagesize setting')
    }
    // (near miss: a second <hpt> without a size — q35 refuses the feature, pSeries takes it)
    expect(refusal(dom("<hpt resizing='enabled'/><hpt/>"), v9).message).toMatch(/^The 'hpt' feature is not supported for architecture 'x86_64' or machine type 'pc-q35-/)
  })
})

describe("a HyperV stimer's <direct>: read only while the stimer is on, in its place among the stimer's children", () => {
  it("takes a <direct> without a state below a stimer switched off (probes h43-hv-st-off-direct-nostate, -bad)", () => {
    expect(featuresOf(predicts(dom("<hyperv><stimer state='off'><direct/></stimer></hyperv>"), v9))).toEqual(["    <hyperv mode='custom'>", "      <stimer state='off'/>", '    </hyperv>'])
    expect(featuresOf(predicts(dom("<hyperv><stimer state='off'><direct state='x'/></stimer></hyperv>"), v9))).toEqual(["    <hyperv mode='custom'>", "      <stimer state='off'/>", '    </hyperv>'])
    // (near miss: switched on, it is read)
    expect(refusal(dom("<hyperv><stimer state='on'><direct/></stimer></hyperv>"), v9).message).toBe("Missing required attribute 'state' in element 'direct'")
  })
  it('refuses a <direct> whose state does not read before a child it does not know written after it (probes h43-hv-st-directbad-bogus, -directnostate-bogus)', () => {
    expect(refusal(dom("<hyperv><stimer state='on'><direct state='x'/><bogus/></stimer></hyperv>"), v9).message).toBe("Invalid value for attribute 'state' in element 'direct': 'x'.")
    expect(refusal(dom("<hyperv><stimer state='on'><direct/><bogus/></stimer></hyperv>"), v9).message).toBe("Missing required attribute 'state' in element 'direct'")
    // (near misses: a good switch, or the unknown child first)
    expect(refusal(dom("<hyperv><stimer state='on'><direct state='on'/><bogus/></stimer></hyperv>"), v9).message).toBe('unsupported Hyper-V stimer feature: bogus')
    expect(refusal(dom("<hyperv><stimer state='on'><bogus/><direct state='x'/></stimer></hyperv>"), v9).message).toBe('unsupported Hyper-V stimer feature: bogus')
  })
})

// libvirt 11.3 (no daemon of it here: from its source, domain_conf.c's virDomainFeaturesHyperVDefParse,
// virDomainFeaturesKVMDefParse and virDomainDefFormatFeatures)
describe('libvirt 11.3: HyperV passthrough mode, several <kvm>s, the TLB flush switches', () => {
  it('reads nothing below a passthrough <hyperv> — no refusal there — but writes what an earlier <hyperv> set', () => {
    expect(featuresOf(predicts(dom("<hyperv mode='passthrough'><bogus/><relaxed/><spinlocks state='on' retries='x'/><stimer state='on'><direct/></stimer></hyperv>")))).toEqual(["    <hyperv mode='passthrough'>", '    </hyperv>'])
    expect(featuresOf(predicts(dom("<hyperv><relaxed state='on'/></hyperv><hyperv mode='passthrough'><vapic state='on'/></hyperv>")))).toEqual(["    <hyperv mode='passthrough'>", "      <relaxed state='on'/>", '    </hyperv>'])
    expect(featuresOf(predicts(dom("<hyperv mode='passthrough'><relaxed state='on'/></hyperv><hyperv><vapic state='on'/></hyperv>")))).toEqual(["    <hyperv mode='custom'>", "      <vapic state='on'/>", '    </hyperv>'])
    // (9.0 reads them in every mode)
    expect(refusal(dom("<hyperv mode='passthrough'><bogus/></hyperv>"), v9).message).toBe('unsupported HyperV Enlightenment feature: bogus')
    expect(featuresOf(predicts(dom("<hyperv mode='passthrough'><relaxed state='on'/></hyperv><hyperv><vapic state='on'/></hyperv>"), v9))).toEqual(["    <hyperv mode='custom'>", "      <relaxed state='on'/>", "      <vapic state='on'/>", '    </hyperv>'])
  })
  it("keeps every <kvm>'s settings, a dirty ring's size from an earlier one (9.0: the last <kvm> whole)", () => {
    expect(featuresOf(predicts(dom("<kvm><dirty-ring state='on' size='4096'/></kvm><kvm><hidden state='on'/></kvm>")))).toEqual(['    <kvm>', "      <hidden state='on'/>", "      <dirty-ring state='on' size='4096'/>", '    </kvm>'])
    expect(featuresOf(predicts(dom("<kvm><dirty-ring state='on' size='4096'/></kvm><kvm><hidden state='on'/></kvm>"), v9))).toEqual(['    <kvm>', "      <hidden state='on'/>", '    </kvm>'])
  })
  it("reads a TLB flush's <direct> and <extended> states while it is on, in their order among its children", () => {
    expect(refusal(dom("<hyperv><tlbflush state='on'><extended state='x'/><bogus/></tlbflush></hyperv>")).message).toBe("Invalid value for attribute 'state' in element 'extended': 'x'.")
    expect(refusal(dom("<hyperv><tlbflush state='on'><direct/></tlbflush></hyperv>")).message).toBe("Missing required attribute 'state' in element 'direct'")
    expect(refusal(dom("<hyperv><tlbflush state='on'><bogus/><extended state='x'/></tlbflush></hyperv>")).message).toBe('unsupported Hyper-V tlbflush feature: bogus')
    expect(featuresOf(predicts(dom("<hyperv><tlbflush state='off'><extended state='x'/></tlbflush></hyperv>")))).toEqual(["    <hyperv mode='custom'>", "      <tlbflush state='off'/>", '    </hyperv>'])
    // (9.0 reads no child of it: probe h43-hv-tlb-direct-bad, libvirtd 9.0)
    expect(featuresOf(predicts(dom("<hyperv><tlbflush state='on'><direct state='x'/></tlbflush></hyperv>"), v9))).toEqual(["    <hyperv mode='custom'>", "      <tlbflush state='on'/>", '    </hyperv>'])
  })
})

describe("interrupt remapping against the I/O APIC the last <ioapic> chose (virDomainDefIOMMUValidate)", () => {
  const iommu = "<iommu model='intel'><driver intremap='on'/></iommu>"
  const withIommu = (feat: string): string => dom(`<acpi/>${feat}`).replace('<devices/>', `<devices>${iommu}</devices>`)
  const split = "IOMMU interrupt remapping requires split I/O APIC (ioapic driver='qemu')"
  it('refuses it when the last <ioapic> is not the split one, and takes it when the last is (probes h43-io-qemu-kvm, -kvm-qemu, -qemu-none, -none-qemu)', () => {
    expect(refusal(withIommu("<ioapic driver='qemu'/><ioapic driver='kvm'/>"), v9).message).toBe(split)
    expect(refusal(withIommu("<ioapic driver='qemu'/><ioapic/>"), v9).message).toBe(split)
    expect(predicts(withIommu("<ioapic driver='kvm'/><ioapic driver='qemu'/>"), v9)).toContain("<ioapic driver='qemu'/>")
    expect(predicts(withIommu("<ioapic/><ioapic driver='qemu'/>"), v9)).toContain("<ioapic driver='qemu'/>")
  })
  it("libvirt 11.3 (its source, qemuDomainDefEnableDefaultFeatures): where no <ioapic> chose a driver, post-parse picks the split one", () => {
    for (const feat of ['', '<ioapic/>', "<ioapic driver='kvm'/><ioapic/>"]) expect(featuresOf(predicts(withIommu(feat)))).toEqual(['    <acpi/>', "    <ioapic driver='qemu'/>"])
    expect(refusal(withIommu("<ioapic driver='qemu'/><ioapic driver='kvm'/>")).message).toBe(split)
    // (9.0 has no such post-parse: probe h43-io-absent, libvirtd 9.0)
    expect(refusal(withIommu(''), v9).message).toBe(split)
  })
})

describe("libvirt 11.3's <ps2> written twice: the last one's state (its source: virDomainFeaturesDefParse sets it from each)", () => {
  const mouse = "<input type='mouse' bus='ps2'/>"
  it('adds the implicit PS/2 inputs and takes a PS/2 mouse and VMware port when the last switches it on', () => {
    const stored = predicts(dom("<vmport state='on'/><ps2 state='off'/><ps2 state='on'/>").replace('<devices/>', `<devices>${mouse}</devices>`))
    expect(stored).toContain("<ps2 state='on'/>")
    expect(stored).toContain("<input type='keyboard' bus='ps2'/>")
  })
  it('refuses them when the last switches it off', () => {
    expect(refusal(dom("<ps2 state='on'/><ps2 state='off'/>").replace('<devices/>', `<devices>${mouse}</devices>`)).message).toBe('ps2 bus inputs require the ps2 feature not to be disabled')
    expect(refusal(dom("<vmport state='on'/><ps2 state='on'/><ps2 state='off'/>")).message).toBe('vmport feature requires the ps2 feature not to be disabled')
    expect(predicts(dom("<ps2 state='on'/><ps2 state='off'/>"))).not.toContain("bus='ps2'")
  })
})

describe("libvirt 11.3's own features read as its parser reads them (its source, virDomainFeaturesDefParse)", () => {
  it('requires the RAS and PS/2 switches, reads an asynchronous teardown as yes or no and the AIA by name (NONZERO)', () => {
    expect(refusal(dom('<ras/>')).message).toBe("Missing required attribute 'state' in element 'ras'")
    expect(refusal(dom("<ps2 state='x'/>")).message).toBe("Invalid value for attribute 'state' in element 'ps2': 'x'.")
    expect(refusal(dom("<async-teardown enabled='x'/>")).message).toBe("Invalid value for attribute 'enabled' in element 'async-teardown': 'x'.")
    expect(refusal(dom("<aia value='default'/>")).message).toBe("Invalid value for attribute 'value' in element 'aia': 'default'.")
    // (near misses: read, then the machine's checks)
    expect(featuresOf(predicts(dom("<async-teardown enabled='no'/>")))).toEqual(["    <async-teardown enabled='no'/>"])
    expect(refusal(dom("<aia value='none'/>")).message).toBe('aia feature is only supported with RISC-V Virt machines')
    expect(refusal(dom("<ras state='on'/>")).message).toBe('ras feature is only supported with ARM Virt machines')
    // (9.0 knows none of them: probes h43-v11-…, libvirtd 9.0)
    expect(refusal(dom('<ras/>'), v9).message).toBe("unexpected feature 'ras'")
  })
})
