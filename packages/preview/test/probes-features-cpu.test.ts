// The machine features and the guest CPU as libvirt 9.0's parser reads them and its formatter writes them
// (virDomainFeaturesDefParse and its HyperV, KVM, Xen and TCG parts, virDomainDefFormatFeatures, qemuDomainDefTsegPostParse;
// virCPUDefParseXML): each case here was defined on the sandbox libvirtd 9.0 beside preview (probes h21-…:
// fixtures/preview/probes/features-cpu.xml), the expected document or refusal written from what the daemon printed.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const dom = (features: string, machine = 'q35', cpu = ''): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>
  <os><type arch='x86_64' machine='${machine}'>hvm</type></os><features>${features}</features>${cpu}<devices/></domain>`
const featuresOf = (xml: string): string => (/<features>[\s\S]*?<\/features>/.exec(xml)?.[0] ?? '').replace(/\n\s*/g, '')
const v9 = { v9: true }

describe('HyperV enlightenments (virDomainFeaturesHyperVDefParse, virDomainDefFormatFeatures)', () => {
  it("writes the spinlock retries with %d: above 2^31 - 1 they come back negative (probes h21-hv-spin-max, -2g)", () => {
    expect(featuresOf(predicts(dom("<hyperv><spinlocks state='on' retries='4294967295'/></hyperv>"), v9))).toContain("<spinlocks state='on' retries='-1'/>")
    expect(featuresOf(predicts(dom("<hyperv><spinlocks state='on' retries='2147483648'/></hyperv>"), v9))).toContain("<spinlocks state='on' retries='-2147483648'/>")
    expect(featuresOf(predicts(dom("<hyperv><spinlocks state='on' retries='2147483647'/></hyperv>"), v9))).toContain("<spinlocks state='on' retries='2147483647'/>")
  })
  it('counts a vendor ID in bytes: seven é are 14, refused; six are 12, taken (STRLIM; probe h21-hv-vid-utf8)', () => {
    expect(refusal(dom("<hyperv><vendor_id state='on' value='ééééééé'/></hyperv>"), v9).message).toBe('HyperV vendor_id value must not be more than 12 characters.')
    expect(featuresOf(predicts(dom("<hyperv><vendor_id state='on' value='éééééé'/></hyperv>"), v9))).toContain("<vendor_id state='on' value='éééééé'/>")
  })
})

describe('KVM features (virDomainFeaturesKVMDefParse)', () => {
  it("reads a dirty ring's size as virXMLPropUInt does before checking it (probe h21-kvm-dr-neg)", () => {
    expect(refusal(dom("<kvm><dirty-ring state='on' size='-4096'/></kvm>"), v9).message).toBe("Invalid value for attribute 'size' in element 'dirty-ring': '-4096'. Expected non-negative integer value")
    expect(refusal(dom("<kvm><dirty-ring state='on' size='0'/></kvm>"), v9).message).toBe('dirty ring must be power of 2 and ranges [1024, 65536]')
  })
  it('reads it in base 0: 0x400 and 02000 are 1024, written in decimal (probes h21-kvm-dr-hex, -oct)', () => {
    expect(featuresOf(predicts(dom("<kvm><dirty-ring state='on' size='0x400'/></kvm>"), v9))).toContain("<dirty-ring state='on' size='1024'/>")
    expect(featuresOf(predicts(dom("<kvm><dirty-ring state='on' size='02000'/></kvm>"), v9))).toContain("<dirty-ring state='on' size='1024'/>")
  })
})

describe("SMM and its TSEG (virDomainFeaturesDefParse, qemuDomainDefTsegPostParse)", () => {
  it("writes state='on' for an <smm> without one around its TSEG (probes h21-smm-tseg-gib, -bytes)", () => {
    expect(featuresOf(predicts(dom("<smm><tseg unit='GiB'>1</tseg></smm>"), v9))).toBe("<features><smm state='on'><tseg unit='GiB'>1</tseg></smm></features>")
    expect(featuresOf(predicts(dom("<smm><tseg unit='B'>16777216</tseg></smm>"), v9))).toBe("<features><smm state='on'><tseg unit='MiB'>16</tseg></smm></features>")
  })
  it('reads an empty TSEG as none: not refused, not written, not checked against the machine (probe h21-smm-tseg-empty)', () => {
    expect(featuresOf(predicts(dom("<smm><tseg unit='MiB'></tseg></smm>"), v9))).toBe("<features><smm state='on'/></features>")
    expect(featuresOf(predicts(dom("<smm><tseg unit='MiB'></tseg></smm>", 'pc'), v9))).toBe("<features><smm state='on'/></features>")
    expect(refusal(dom("<smm><tseg unit='MiB'>16</tseg></smm>", 'pc'), v9).message).toBe('SMM TSEG is only supported with q35 machine type')
  })
})

describe('the order of the post-parse refusals (qemuDomainDefPostParse)', () => {
  it("refuses SVE lengths beside a disabled SVE before a TSEG off q35: the CPU's post-parse runs first (probe h21-ord-sve-tseg)", () => {
    const arm = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='aarch64' machine='virt'>hvm</type></os>
      <features><smm><tseg unit='MiB'>16</tseg></smm></features><cpu mode='maximum'><feature policy='disable' name='sve'/><feature policy='require' name='sve128'/></cpu><devices/></domain>`
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(refusal(arm, { caps, v9: true }).message).toBe('SVE disabled, but SVE vector lengths provided')
    expect(refusal(arm.replace("<feature policy='disable' name='sve'/>", ''), { caps, v9: true }).message).toBe('SMM TSEG is only supported with q35 machine type')
  })
})

describe('the features read in document order (virDomainFeaturesDefParse: `./features/*`, each whole)', () => {
  it('refuses the first feature written that it cannot read, each one\'s children in turn (probes h21-po-*)', () => {
    expect(refusal(dom("<kvm><bogus state='on'/></kvm><hyperv><bogus state='on'/></hyperv>"), v9).message).toBe('unsupported KVM feature: bogus')
    expect(refusal(dom("<hyperv><bogus state='on'/></hyperv><kvm><bogus state='on'/></kvm>"), v9).message).toBe('unsupported HyperV Enlightenment feature: bogus')
    expect(refusal(dom("<hyperv mode='bogus'/><bogus/>"), v9).message).toBe("Invalid value for attribute 'mode' in element 'hyperv': 'bogus'.")
    expect(refusal(dom("<bogus/><hyperv mode='bogus'/>"), v9).message).toBe("unexpected feature 'bogus'")
    expect(refusal(dom("<xen><bogus state='on'/></xen><smm><tseg>x</tseg></smm>"), v9).message).toBe('unsupported Xen feature: bogus')
    expect(refusal(dom("<capabilities policy='bogus'/><tcg><tb-cache>x</tb-cache></tcg>"), v9).message).toBe("Invalid value for attribute 'policy' in element 'capabilities': 'bogus'.")
    expect(refusal(dom("<ioapic driver='bogus'/><gic version='bogus'/>"), v9).message).toBe("Invalid value for attribute 'driver' in element 'ioapic': 'bogus'.")
    expect(refusal(dom("<hyperv><relaxed/><bogus state='on'/></hyperv>"), v9).message).toBe("Missing required attribute 'state' in element 'relaxed'")
  })
  it("refuses vCPU 0 offline before a TSEG off q35: qemuDomainDefVcpusPostParse runs first (probe h21-po-tseg-vcpus)", () => {
    const pc = dom("<smm><tseg unit='MiB'>16</tseg></smm>", 'pc').replace('<os>', "<vcpu current='0'>1</vcpu><os>")
    expect(refusal(pc, v9).message).toBe("vcpu 0 can't be offline")
  })
})

describe('a feature written twice (virDomainFeaturesDefParse reads each in turn; probes h21-rnd1-*)', () => {
  it('reads every <hyperv> and <kvm>: a fault in the second refused', () => {
    expect(refusal(dom("<hyperv><synic state='on'/></hyperv><hyperv><spinlocks state='on' retries='100'/></hyperv>"), v9).message).toBe('HyperV spinlock retry count must be at least 4095')
    expect(refusal(dom("<kvm><hidden state='on'/></kvm><kvm><bogus state='on'/></kvm>"), v9).message).toBe('unsupported KVM feature: bogus')
  })
  it('places a fault of the second of a name where it stands: after what comes between (h21-rnd1-187)', () => {
    const arm = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='aarch64' machine='virt'>hvm</type></os>
      <features><gic/><kvm><dirty-ring state='on' size='5000'/></kvm><gic version='x'/></features><devices/></domain>`
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(refusal(arm, { caps, v9: true }).message).toBe('dirty ring must be power of 2 and ranges [1024, 65536]')
  })
  it("keeps HPT's switch once an <hpt> sets it: refused off pSeries though a later one sets nothing (h21-rep2-hpt-x86)", () => {
    expect(refusal(dom("<hpt resizing='enabled'/><hpt/>"), v9).message).toBe("The 'hpt' feature is not supported for architecture 'x86_64' or machine type 'pc-q35-9.9'")
    expect(featuresOf(predicts(dom("<cfpc value='fixed'/><cfpc/>"), v9))).toBe('')
  })
  it("checks the TSEG against the last <smm>'s state (h21-rnd1-22)", () => {
    expect(featuresOf(predicts(dom("<smm><tseg unit='MiB'>16</tseg></smm><smm state='off'/>", 'pc'), v9))).toBe("<features><smm state='off'/></features>")
    expect(refusal(dom("<smm state='off'/><smm><tseg unit='MiB'>16</tseg></smm>", 'pc'), v9).message).toBe('SMM TSEG is only supported with q35 machine type')
  })
})

describe('Xen features on a QEMU domain (virDomainFeaturesXENDefParse)', () => {
  it('writes <xen> where virDomainFeature has it: after <ccf-assist> and <msrs>, before <tcg> (probe h21-xen-order-b)', () => {
    expect(featuresOf(predicts(dom("<tcg><tb-cache unit='MiB'>16</tb-cache></tcg><xen><e820_host state='on'/></xen><capabilities policy='deny'/><smm/>"), v9)))
      .toBe("<features><capabilities policy='deny'/><smm state='on'/><xen><e820_host state='on'/></xen><tcg><tb-cache unit='KiB'>16384</tb-cache></tcg></features>")
  })
  it("reads passthrough's mode only when on, NONZERO: `default` and an unknown name refused (probes h21-xen-pt-*)", () => {
    expect(refusal(dom("<xen><passthrough state='on' mode='default'/></xen>"), v9).message).toBe("Invalid value for attribute 'mode' in element 'passthrough': 'default'.")
    expect(refusal(dom("<xen><passthrough state='on' mode='bogus'/></xen>"), v9).message).toBe("Invalid value for attribute 'mode' in element 'passthrough': 'bogus'.")
    expect(featuresOf(predicts(dom("<xen><passthrough state='off' mode='bogus'/></xen>"), v9))).toBe("<features><xen><passthrough state='off'/></xen></features>")
    expect(featuresOf(predicts(dom("<xen><e820_host state='on'/><passthrough state='on' mode='sync_pt'/></xen>"), v9))).toContain("<passthrough state='on' mode='sync_pt'/>")
  })
  it('asks each for its state (probe h21-xen-nostate)', () => {
    expect(refusal(dom('<xen><e820_host/></xen>'), v9).message).toBe("Missing required attribute 'state' in element 'e820_host'")
  })
  it('writes an empty <xen> as an open and a close tag (probe h21-xen-empty)', () => {
    expect(predicts(dom('<xen/>'), v9)).toContain('<features>\n    <xen>\n    </xen>\n  </features>')
  })
})

describe("TCG's translation block cache (virDomainFeaturesTCGDefParse)", () => {
  it("refuses a size virDomainParseMemory does not read, in its words (probe h21-tcg-bad)", () => {
    expect(refusal(dom("<tcg><tb-cache unit='MiB'>x</tb-cache></tcg>"), v9).message).toBe("Invalid value 'x' for element or attribute './tb-cache'")
    expect(refusal(dom("<tcg><tb-cache unit='MiB'>64</tb-cache></tcg><tcg><tb-cache>y</tb-cache></tcg>"), v9).message).toBe("Invalid value 'y' for element or attribute './tb-cache'")
  })
  it('keeps the last <tcg> that sets a cache: a later one without is not stored (probes h21-tcg-two, -two-b)', () => {
    expect(featuresOf(predicts(dom("<tcg><tb-cache unit='MiB'>64</tb-cache></tcg><tcg/>"), v9))).toBe("<features><tcg><tb-cache unit='KiB'>65536</tb-cache></tcg></features>")
    expect(featuresOf(predicts(dom("<tcg><tb-cache unit='MiB'>64</tb-cache></tcg><tcg><tb-cache unit='MiB'>32</tb-cache></tcg>"), v9))).toBe("<features><tcg><tb-cache unit='KiB'>32768</tb-cache></tcg></features>")
  })
})

describe('sizes at their limits (virDomainParseMemory, virParseScaledValue)', () => {
  const ppc = (features: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='ppc64' machine='pseries'>hvm</type></os><features>${features}</features><devices/></domain>`
  const ppcCaps = capsXml({ arch: 'ppc64', machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
  it('refuses a translation cache of 2^53 KiB or more: 2^63 - 1 bytes overflows (probe h21-big-tcg-b)', () => {
    expect(refusal(dom("<tcg><tb-cache unit='B'>9223372036854775807</tb-cache></tcg>"), v9).message).toBe('size value too large')
    expect(refusal(dom("<tcg><tb-cache unit='KiB'>9007199254740992</tb-cache></tcg>"), v9).message).toBe('value too large: 9007199254740992KiB')
    expect(featuresOf(predicts(dom("<tcg><tb-cache unit='KiB'>9007199254739968</tb-cache></tcg>"), v9))).toContain("<tb-cache unit='KiB'>9007199254739968</tb-cache>")
  })
  it("keeps an HPT page size up to 2^64 - 1 bytes, in KiB rounded up in 64 bits: the last KiB wraps to none (probes h21-big-hpt-*)", () => {
    expect(featuresOf(predicts(ppc("<hpt><maxpagesize unit='EiB'>15</maxpagesize></hpt>"), { caps: ppcCaps, v9: true }))).toBe("<features><hpt><maxpagesize unit='KiB'>16888498602639360</maxpagesize></hpt></features>")
    expect(predicts(ppc("<hpt><maxpagesize unit='b'>18446744073709551615</maxpagesize></hpt>"), { caps: ppcCaps, v9: true })).not.toContain('<hpt')
    expect(featuresOf(predicts(ppc("<hpt resizing='enabled'><maxpagesize unit='b'>18446744073709551615</maxpagesize></hpt>"), { caps: ppcCaps, v9: true }))).toBe("<features><hpt resizing='enabled'/></features>")
  })
})

describe('the guest CPU (virCPUDefParseXML)', () => {
  const cpu = (body: string, attrs = ''): string => dom('<acpi/>', 'pc', `<cpu${attrs}>${body}</cpu>`)
  it("counts a model's vendor_id in bytes, and reads an empty one as none (probes h21-cpu-vid-*)", () => {
    expect(predicts(cpu("<model vendor_id='éééééé'>qemu64</model>"), v9)).toContain("<model fallback='allow' vendor_id='éééééé'>qemu64</model>")
    expect(refusal(cpu("<model vendor_id='ééééééGenu'>qemu64</model>"), v9).message).toBe('vendor_id must be exactly 12 characters long')
    expect(predicts(cpu("<model vendor_id=''>qemu64</model>"), v9)).toContain("<model fallback='allow'>qemu64</model>")
  })
  it('reads an empty <vendor> as none: not refused without a model, not written (probes h21-cpu-vendor-empty, -empty-model)', () => {
    expect(predicts(cpu('<vendor></vendor>'), v9)).not.toContain('<vendor')
    expect(predicts(cpu('<model>qemu64</model><vendor></vendor>'), v9)).not.toContain('<vendor')
    expect(refusal(cpu('<vendor>Intel</vendor>'), v9).message).toBe('CPU vendor specified without CPU model')
  })
  it("drops a host-model CPU's nameless model whose vendor_id is empty (probe h21-cpu-vid-empty-hm)", () => {
    expect(predicts(cpu("<model vendor_id=''/>", " mode='host-model'"), v9)).toContain("<cpu mode='host-model' check='partial'/>")
  })
  it("writes a feature's name as it is, unescaped (virCPUDefFormatBuf's `name='%s'`; probes h21-cpu-feat-amp, -quote)", () => {
    expect(predicts(cpu("<model>qemu64</model><feature policy='require' name='a&amp;b'/>"), v9)).toContain("<feature policy='require' name='a&b'/>")
    expect(predicts(cpu(`<model>qemu64</model><feature policy='require' name="a'b"/>`), v9)).toContain("<feature policy='require' name='a'b'/>")
    // (beyond ASCII too — the other writer)
    expect(predicts(cpu("<model>qemu64</model><feature policy='require' name='é&amp;'/>"), v9)).toContain("<feature policy='require' name='é&'/>")
    // (its policy and any other element's attributes are escaped as ever)
    expect(predicts(cpu("<model vendor_id='a&amp;bcdefghijk'>qemu64</model>"), v9)).toContain("vendor_id='a&amp;bcdefghijk'")
  })
  it('appends the SVE feature its vector lengths imply after every feature written, a <numa> before them too (probe h21-cf-sve-numa)', () => {
    const caps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port', 'gpex-pcihost', 'cpu-max'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    const arm = `<domain type='qemu'><name>t</name><memory unit='KiB'>262144</memory><vcpu>2</vcpu><os><type arch='aarch64' machine='virt'>hvm</type></os>
      <cpu mode='maximum'><numa><cell id='0' cpus='0-1' memory='262144'/></numa><feature policy='require' name='sve256'/><feature policy='require' name='pmu'/></cpu><devices/></domain>`
    const cpuOf = /<cpu[\s\S]*?<\/cpu>/.exec(predicts(arm, { caps, v9: true }))![0].replace(/\n\s*/g, '')
    expect(cpuOf).toBe("<cpu mode='maximum' check='none'><feature policy='require' name='sve256'/><feature policy='require' name='pmu'/><feature policy='require' name='sve'/><numa><cell id='0' cpus='0-1' memory='262144' unit='KiB'/></numa></cpu>")
  })
  it('keeps a custom CPU without a model where the arch has no default one: its check refused, its attributes not written (probes h21-chk-rv-*)', () => {
    const rvCaps = capsXml({ arch: 'riscv64', flags: ['gpex-pcihost', 'pcie-root-port', 'virtio-pci-non-transitional', 'qemu-xhci'], machines: "<machine type='tcg' name='virt' default='yes'/>" })
    const rv = (cpu: string): string => `<domain type='qemu'><name>t</name><memory unit='KiB'>262144</memory><vcpu>2</vcpu><os><type arch='riscv64' machine='virt'>hvm</type></os>${cpu}<devices/></domain>`
    expect(refusal(rv("<cpu check='none'/>"), { caps: rvCaps, v9: true }).message).toBe('check attribute specified for CPU with no model')
    expect(predicts(rv("<cpu match='minimum'/>"), { caps: rvCaps, v9: true })).not.toContain('<cpu')
    expect(predicts(rv("<cpu mode='custom' match='exact' check='default'><topology sockets='1' cores='2' threads='1'/></cpu>"), { caps: rvCaps, v9: true }))
      .toContain("<cpu>\n    <topology sockets='1' dies='1' cores='2' threads='1'/>\n  </cpu>")
  })
})
