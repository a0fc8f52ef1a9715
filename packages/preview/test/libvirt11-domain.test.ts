// The domain's own settings as libvirt 11.3's daemon stores or refuses them where preview's 11.3 mode differed — firmware
// selection and its checks, memory hot-plug slots, the vCPU list's words, NUMA memory modes — found by defining the probes of
// fixtures/preview/probes on Debian trixie's libvirtd 11.3 (tools/libvirt-trixie) next to preview. The expected fragments and
// refusals are that daemon's; the near misses beside them 9.0's.
import { describe, expect, it } from 'vitest'
import { previewDomain, type FirmwareDescriptor } from '../src/index.ts'
import { predicts, refusal } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const v9 = { v9: true }

const efi = (name: string, file: string, features: string[]): FirmwareDescriptor => ({
  name,
  'interface-types': ['uefi'],
  mapping: { device: 'flash', mode: 'split', executable: { filename: `/fw/${file}_CODE.fd`, format: 'raw' }, 'nvram-template': { filename: `/fw/${file}_VARS.fd`, format: 'raw' } },
  targets: [{ architecture: 'x86_64', machines: ['pc-q35-*'] }],
  features,
})
// (UEFI only, for q35 only: no BIOS descriptor)
const firmware = [efi('30-sb.json', 'sb', ['enrolled-keys', 'requires-smm', 'secure-boot']), efi('50-plain.json', 'plain', [])]

const domain = (os: string, osAttrs = '', features = '<acpi/>', machine = 'q35'): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>512</memory>
  <os${osAttrs}><type arch='x86_64' machine='${machine}'>hvm</type>${os}</os>
  <features>${features}</features>
  <devices/>
</domain>`

const options = (libvirt9 = false) => ({ qemuCaps: capsXml(), abiUpdate: true, firmware, ...(libvirt9 ? { libvirtVersion: 9000000 } : {}) })
const stored = (xml: string, libvirt9 = false): string => previewDomain(xml, options(libvirt9)).xml
function refused(xml: string, libvirt9 = false): string {
  try {
    previewDomain(xml, options(libvirt9))
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('not refused')
}

describe('firmware selection checks <os> as written first (qemuFirmwareFillDomain → virDomainDefOSValidate, libvirtd 11.3)', () => {
  it('refuses in virDomainDefOSValidate\'s words before it looks for a descriptor that fits', () => {
    // (no BIOS descriptor here: before, preview looked for one first and said it found none)
    expect(refused(domain('<nvram>/var/tmp/x_VARS.fd</nvram>', " firmware='bios'"))).toBe("firmware type 'bios' does not support nvram")
    expect(refused(domain("<firmware><feature enabled='yes' name='enrolled-keys'/><feature enabled='no' name='secure-boot'/></firmware>", " firmware='efi'")))
      .toBe("firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled")
    expect(refused(domain("<loader stateless='yes'/><nvram template='/fw/plain_VARS.fd'/>", " firmware='efi'"))).toBe('NVRAM template is not permitted when loader is stateless')
    expect(refused(domain("<loader stateless='no'/>", " firmware='bios'"))).toBe('Only EFI firmware permits NVRAM')
  })
  it('11.3 reads an NVRAM from any <nvram>, a template alone too (virDomainLoaderDefParseXMLNvram); 9.0 only from a path or a source', () => {
    expect(refused(domain("<loader stateless='yes'>/fw/x.fd</loader><nvram/>"))).toBe('NVRAM is not permitted when loader is stateless')
    expect(stored(domain("<loader stateless='yes'>/fw/x.fd</loader><nvram/>"), true)).toContain("<loader type='rom' stateless='yes'>/fw/x.fd</loader>")
  })
  it('selects before the rest of the driver\'s post-parse refuses (qemuDomainDefBootPostParse before qemuDomainDefTsegPostParse)', () => {
    const pcTseg = domain('', " firmware='efi'", "<acpi/><smm state='on'><tseg unit='MiB'>48</tseg></smm>", 'pc')
    expect(refused(pcTseg)).toBe("Unable to find 'efi' firmware that is compatible with the current configuration")
    // (9.0 selects when the domain starts: its post-parse refuses the TSEG)
    expect(refused(pcTseg, true)).toBe('SMM TSEG is only supported with q35 machine type')
  })
  it('validates the domain as selection filled it: SMM on for a secure-boot loader (qemuFirmwareEnableFeaturesModern)', () => {
    const manual = domain("<loader readonly='yes' secure='yes' type='pflash'>/fw/sb_CODE.fd</loader>")
    const xml = stored(manual)
    expect(xml).toContain("<os firmware='efi'>")
    expect(xml).toContain("<smm state='on'/>")
    expect(refused(manual, true)).toBe('Secure boot requires SMM feature enabled')
  })
  it('takes the last <smm> as the domain\'s SMM state when matching a descriptor that requires it', () => {
    const sb = (smm: string): string => domain('', " firmware='efi'", `<acpi/>${smm}`)
    expect(stored(sb("<smm state='off'/><smm state='on'/>"))).toContain("<loader readonly='yes' secure='yes' type='pflash' format='raw'>/fw/sb_CODE.fd</loader>")
    expect(stored(sb("<smm state='on'/><smm state='off'/>"))).toContain("<loader readonly='yes' type='pflash' format='raw'>/fw/plain_CODE.fd</loader>")
  })
  it('matches a loader\'s path as written, blanks and all (qemuFirmwareMatchDomain, qemuFirmwareFillDomainLegacy: STRNEQ)', () => {
    const xml = stored(domain("<loader readonly='yes' type='pflash'> /fw/plain_CODE.fd </loader>"))
    expect(xml).toContain("<loader readonly='yes' type='pflash' format='raw'> /fw/plain_CODE.fd </loader>")
    expect(xml).toContain("<nvram format='raw'>/var/lib/libvirt/qemu/nvram/t_VARS.fd</nvram>")
    expect(stored(domain("<loader readonly='yes' type='pflash'>/fw/plain_CODE.fd</loader>"))).toContain("<nvram template='/fw/plain_VARS.fd' templateFormat='raw' format='raw'>")
  })
  it('makes a typed NVRAM without its path anew: a file at the path libvirt makes up (qemuFirmwareEnsureNVRAM)', () => {
    const xml = stored(domain("<loader readonly='yes' type='pflash'>/fw/plain_CODE.fd</loader><nvram type='block'><source dev=''/></nvram>"))
    expect(xml).toContain("<nvram template='/fw/plain_VARS.fd' templateFormat='raw' type='file' format='raw'>\n      <source file='/var/lib/libvirt/qemu/nvram/t_VARS.fd'/>\n    </nvram>")
    // (one with its path is kept)
    expect(stored(domain("<loader readonly='yes' type='pflash'>/fw/plain_CODE.fd</loader><nvram type='block'><source dev='/dev/x'/></nvram>")))
      .toContain("<nvram template='/fw/plain_VARS.fd' templateFormat='raw' type='block' format='raw'>\n      <source dev='/dev/x'/>\n    </nvram>")
  })
  it('on aarch64 a loader written without a type matches no descriptor: a ROM, and ACPI wants UEFI', () => {
    const arm = `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='aarch64' machine='virt'>hvm</type><loader>/fw/aa.fd</loader></os><features><acpi/></features><devices/></domain>`
    const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })
    expect(refusal(arm, { caps: armCaps })).toMatchObject({ message: 'ACPI requires UEFI on this architecture' })
    expect(refusal(arm, { caps: armCaps, v9: true })).toMatchObject({ message: 'ACPI requires UEFI on this architecture' })
  })
})

describe('<metadata> (virDomainDefParseXML: xmlFirstElementChild, libvirtd 11.3)', () => {
  it('keeps none without an element in it; one whose elements have no namespace is kept, empty; 9.0 keeps any', () => {
    const xml = (metadata: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><metadata>${metadata}</metadata><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>`
    expect(predicts(xml(' <!-- c --> text '))).not.toContain('<metadata')
    expect(predicts(xml('<foo/>'))).toContain('<metadata/>')
    expect(predicts(xml(' <!-- c --> text '), v9)).toContain('<metadata/>')
  })
})

describe('memory, vCPUs and NUMA tuning (libvirtd 11.3)', () => {
  const dom = (inner: string): string => `<domain type='qemu'><name>t</name>${inner}<os><type arch='x86_64' machine='q35'>hvm</type></os><devices/></domain>`
  it('writes no memory slot count of 0 (virDomainDefFormatInternal); 9.0 wants both size and slots', () => {
    const xml = dom("<maxMemory slots='0' unit='GiB'>4</maxMemory><memory unit='MiB'>512</memory>")
    expect(predicts(xml)).toContain("<maxMemory unit='KiB'>4194304</maxMemory>")
    expect(refusal(xml, v9)).toMatchObject({ message: 'both maximum memory size and memory slot count must be specified' })
  })
  it('reads a topology\'s clusters as virXMLPropUIntDefault does, NONZERO (virCPUDefParseXML); 9.0 does not read them', () => {
    const xml = (clusters: string): string => dom(`<memory unit='MiB'>512</memory><cpu><topology sockets='1' dies='1' clusters='${clusters}' cores='1' threads='1'/></cpu>`)
    expect(refusal(xml('x')).message).toBe("Invalid value for attribute 'clusters' in element 'topology': 'x'. Expected non-negative integer value")
    expect(refusal(xml('0')).message).toBe("Invalid value for attribute 'clusters' in element 'topology': Zero is not permitted")
    expect(predicts(xml('x'), v9)).toContain("<topology sockets='1' dies='1' cores='1' threads='1'/>")
  })
  it('spells `hotpluggable` in the vCPU list\'s order check (qemuDomainDefVcpusPostParse); 9.0 `hotplugable`', () => {
    const xml = dom("<memory unit='MiB'>512</memory><vcpu>4</vcpu><vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='yes' hotpluggable='yes'/><vcpu id='2' enabled='yes' hotpluggable='no'/></vcpus>")
    expect(refusal(xml).message).toBe('online non-hotpluggable vcpus need to be ordered prior to hotpluggable vcpus')
    expect(refusal(xml, v9).message).toBe('online non-hotpluggable vcpus need to be ordered prior to hotplugable vcpus')
  })
  it('takes a domain without <numatune><memory> as strict: a restrictive memnode is refused (virDomainNumaDefValidate)', () => {
    const xml = dom("<memory unit='MiB'>512</memory><vcpu>2</vcpu><numatune><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>")
      .replace('</os>', "</os><cpu><numa><cell id='0' cpus='0-1' memory='512' unit='MiB'/></numa></cpu>")
    expect(refusal(xml).message).toBe("'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element")
  })
})
