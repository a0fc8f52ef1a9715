// pSeries guests (ppc64 `pseries`) end to end as libvirtd 9.0 stored or refused them at define: PHB target indexes
// (qemuDomainAddressFindNewTargetIndex, then virDomainControllerDefValidate) and NVDIMM sizes
// (qemuDomainNVDimmAlignSizePseries). Own probes h28-*, each defined on the sandbox libvirtd beside preview; the
// expectations are the daemon's.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const caps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'nvdimm', 'virtio-net'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const ppc = (devices: string, top = '', extra = ''): string => `<domain type='qemu'><name>t</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1048576</memory>${top}<os><type arch='ppc64' machine='pseries'>hvm</type></os>${extra}<devices>${devices}</devices></domain>`
// (memory hot-plug with two vCPUs in one guest NUMA cell: what the NVDIMM cases need)
const top = "<maxMemory slots='4'>4194304</maxMemory><vcpu>2</vcpu>"
const numa = "<cpu><numa><cell id='0' cpus='0-1' memory='1048576'/></numa></cpu>"
const phb = (i: number): string => `<controller type='pci' index='${i}' model='pci-root'/>`
const phbs = (n: number): string => Array.from({ length: n }, (_, i) => phb(i + 1)).join('')

describe('PHBs written without a target index (qemuDomainAddressFindNewTargetIndex, then validation)', () => {
  it('the 31st takes target index 31, which validation refuses (0-30)', () => {
    expect(refusal(ppc(phbs(31)), { caps, v9: true })).toMatchObject({ message: "PCI controller target index '31' out of range - must be 0-30" })
  })
  it('near misses: 30 take 1-30; a 32nd finds none free (post-parse, before validation)', () => {
    const xml = predicts(ppc(phbs(30)), { caps, v9: true })
    expect(xml).toContain("<controller type='pci' index='30' model='pci-root'>\n      <model name='spapr-pci-host-bridge'/>\n      <target index='30'/>")
    expect(refusal(ppc(phbs(32)), { caps, v9: true })).toMatchObject({ message: 'No usable target index found for 0' })
  })
})

describe('a pSeries NVDIMM: its size less the label aligned down to 256 MiB (qemuDomainNVDimmAlignSizePseries)', () => {
  const nvdimm = (size: string, label: string): string => `<memory model='nvdimm'><uuid>11111111-2222-3333-4444-555555555555</uuid><source><path>/tmp/nvdimm</path></source><target><size unit='KiB'>${size}</size><node>0</node><label><size unit='KiB'>${label}</size></label></target></memory>`
  const words = 'minimum target size for the NVDIMM must be 256MB plus the label size'
  it('a guest area under 256 MiB is refused: 100 MiB, or 512 MiB with a 300 MiB label', () => {
    expect(refusal(ppc(nvdimm('102400', '128'), top, numa), { caps, v9: true })).toMatchObject({ message: words })
    expect(refusal(ppc(nvdimm('524288', '307200'), top, numa), { caps, v9: true })).toMatchObject({ message: words })
    expect(refusal(ppc(nvdimm('262271', '128'), top, numa), { caps, v9: true })).toMatchObject({ message: words })
  })
  it('near misses: 256 MiB and the label fit; 512 MiB and a KiB over the label are aligned down to 256 MiB and the label', () => {
    expect(predicts(ppc(nvdimm('262272', '128'), top, numa), { caps, v9: true })).toContain("<size unit='KiB'>262272</size>")
    expect(predicts(ppc(nvdimm('524289', '128'), top, numa), { caps, v9: true })).toContain("<size unit='KiB'>262272</size>")
  })
})

describe("a machine's default CPU model (qemuDomainDefSetDefaultCPU, virQEMUCapsGetMachineDefaultCPU)", () => {
  const machines = "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>\n<machine type='tcg' name='ppce500' maxCpus='32' defaultCPU='e500v2_v30-powerpc64-cpu'/>"
  const cpus = "<cpu type='tcg' name='e500v2_v30'/>\n<cpu type='tcg' name='power9_v2.0' typename='power9_v2.0-powerpc64-cpu'/>"
  const listed = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge'], machines, extra: cpus })
  const dom = (machine: string): string => `<domain type='qemu'><name>t</name><memory>1048576</memory><os><type arch='ppc64' machine='${machine}'>hvm</type></os><devices/></domain>`
  it("ppce500's default CPU type is listed without its QEMU type name: no model is written", () => {
    expect(predicts(dom('ppce500'), { caps: listed, v9: true })).not.toContain('<cpu')
  })
  it('near miss: pseries finds power9_v2.0 by its type name', () => {
    expect(predicts(dom('pseries'), { caps: listed, v9: true })).toContain("<cpu mode='custom' match='exact' check='none'>\n    <model fallback='forbid'>power9_v2.0</model>")
  })
})

describe('which of several refusals libvirt reports on pSeries (post-parse before validation; controllers one by one)', () => {
  const small = "<memory model='nvdimm'><uuid>11111111-2222-3333-4444-555555555555</uuid><source><path>/tmp/nvdimm</path></source><target><size unit='MiB'>100</size><node>0</node><label><size unit='KiB'>128</size></label></target></memory>"
  const dupVio = "<serial type='pty'><address type='spapr-vio' reg='0x2000'/></serial><controller type='scsi'><address type='spapr-vio' reg='0x2000'/></controller>"
  const slot9 = "<memory model='dimm'><target><size unit='MiB'>256</size><node>0</node></target><address type='dimm' slot='9'/></memory>"
  const nvdWords = 'minimum target size for the NVDIMM must be 256MB plus the label size'
  it("a small NVDIMM (device post-parse) before an sPAPR VIO register taken twice (addresses) and a DIMM slot past the slots", () => {
    expect(refusal(ppc(dupVio + small, top, numa), { caps, v9: true })).toMatchObject({ message: nvdWords })
    expect(refusal(ppc(slot9 + small, top, numa), { caps, v9: true })).toMatchObject({ message: nvdWords })
  })
  it('near misses: with a 512 MiB NVDIMM the register and the slot are what is refused', () => {
    const fine = small.replace("<size unit='MiB'>100</size>", "<size unit='MiB'>512</size>")
    expect(refusal(ppc(dupVio + fine, top, numa), { caps, v9: true })).toMatchObject({ message: 'spapr-vio address 0x2000 already in use' })
    expect(refusal(ppc(slot9 + fine, top, numa), { caps, v9: true })).toMatchObject({ message: "memory device slot '9' exceeds slots count '4'" })
  })
  const phb32 = "<controller type='pci' index='1' model='pci-root'><target index='32'/></controller>"
  const ideDisk = "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
  const pciWords = "PCI controller target index '32' out of range - must be 0-30"
  const ideWords = 'IDE controllers are unsupported for this QEMU binary or machine type'
  it('a PHB of target index 32 is met before the IDE controller an IDE disk implies (added after the written controllers)', () => {
    expect(refusal(ppc(phb32 + ideDisk), { caps, v9: true })).toMatchObject({ message: pciWords })
    expect(refusal(ppc(ideDisk + phb32), { caps, v9: true })).toMatchObject({ message: pciWords })
    expect(refusal(ppc(phb32 + "<controller type='ide'/>"), { caps, v9: true })).toMatchObject({ message: pciWords })
  })
  it('near misses: an IDE controller written before the PHB is met first, a USB controller before both or not', () => {
    expect(refusal(ppc("<controller type='ide'/>" + phb32), { caps, v9: true })).toMatchObject({ message: ideWords })
    expect(refusal(ppc("<controller type='usb'/><controller type='ide'/>" + phb32), { caps, v9: true })).toMatchObject({ message: ideWords })
  })
})

describe('memory slots checked at validation, PCI controllers by index (libvirtd 9.0, probes h28-multic-*)', () => {
  const slot9 = "<memory model='dimm'><target><size unit='MiB'>256</size><node>0</node></target><address type='dimm' slot='9'/></memory>"
  const bridge7 = "<controller type='pci' index='7' model='pci-bridge'><address type='pci' bus='7' slot='1'/></controller>"
  it('a DIMM slot past the slots (qemuDomainDefValidateMemoryHotplugDevice) comes after a post-parse address refusal', () => {
    expect(refusal(ppc(slot9 + bridge7, top, numa), { caps, v9: true })).toMatchObject({ message: "PCI controller at index 7 (0x07) has bus='0x07', but index must be larger than bus" })
    expect(refusal(ppc(bridge7 + slot9, top, numa), { caps, v9: true })).toMatchObject({ message: "PCI controller at index 7 (0x07) has bus='0x07', but index must be larger than bus" })
  })
  it('near miss: without the bridge the slot is refused', () => {
    expect(refusal(ppc(slot9, top, numa), { caps, v9: true })).toMatchObject({ message: "memory device slot '9' exceeds slots count '4'" })
  })
  const chassis5 = "<controller type='pci' index='5' model='pci-root'><target index='5' chassisNr='3'/></controller>"
  const bridgeName6 = "<controller type='pci' index='6' model='pci-root'><model name='pci-bridge'/></controller>"
  it('two PCI controllers qemuValidateDomainDeviceDefControllerPCI refuses: the lower index, whatever the written order', () => {
    const words = "Option 'chassisNr' is not valid for PCI controller with index '5', model 'pci-root' and modelName 'spapr-pci-host-bridge'"
    expect(refusal(ppc(bridgeName6 + chassis5), { caps, v9: true })).toMatchObject({ message: words })
    expect(refusal(ppc(chassis5 + bridgeName6), { caps, v9: true })).toMatchObject({ message: words })
  })
  it('near miss: the index 6 one alone is refused for its model name', () => {
    expect(refusal(ppc(bridgeName6), { caps, v9: true })).toMatchObject({ message: "Option 'modelName' has invalid value for PCI controller with index '6', model 'pci-root' and modelName 'pci-bridge'" })
  })
})

describe('controllers in the order libvirt keeps them when several are refused (probes h28-multid-27, h28-multid-403)', () => {
  const bridgeName6 = "<controller type='pci' index='6' model='pci-root'><model name='pci-bridge'/></controller>"
  const target0 = "<controller type='pci' index='4' model='pci-root'><target index='0'/></controller>"
  it('a PHB of index 4 written after one of index 6 is still validated first (generic check before the QEMU one)', () => {
    expect(refusal(ppc(bridgeName6 + target0), { caps, v9: true })).toMatchObject({ message: 'Only the PCI controller with index 0 can have target index 0, and vice versa' })
  })
  const ideDisk = "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
  const queues = "<controller type='scsi' model='ibmvscsi' index='4'><driver queues='2'/></controller>"
  it('an IDE controller an IDE disk implies comes after the written SCSI controller', () => {
    expect(refusal(ppc(ideDisk + queues), { caps: capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'spapr-vscsi'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" }), v9: true })).toMatchObject({ message: "'queues' is only supported by virtio-scsi controller" })
  })
  it('near miss: without the queues the IDE controller is refused', () => {
    expect(refusal(ppc(ideDisk + "<controller type='scsi' model='ibmvscsi' index='4'/>"), { caps: capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'spapr-vscsi'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" }), v9: true })).toMatchObject({ message: 'IDE controllers are unsupported for this QEMU binary or machine type' })
  })
})

describe('sPAPR VIO registers taken twice and serial ports, in the order libvirt meets them (probes h28-multie-141, -598)', () => {
  const vio = (reg: string): string => `<address type='spapr-vio' reg='${reg}'/>`
  it('the NICs are given registers first: a NIC register taken twice is reported before a serial/SCSI pair written earlier', () => {
    const xml = ppc(`<serial type='pty'>${vio('0x2000')}</serial><controller type='scsi'>${vio('0x2000')}</controller><serial type='pty'>${vio('0x30000000')}</serial><interface type='user'><model type='spapr-vlan'/>${vio('0x30000000')}</interface>`)
    expect(refusal(xml, { caps, v9: true })).toMatchObject({ message: 'spapr-vio address 0x30000000 already in use' })
  })
  it('near miss: the NIC on a free register leaves the SCSI controller (before the serial ports) to be refused', () => {
    const xml = ppc(`<serial type='pty'>${vio('0x2000')}</serial><controller type='scsi'>${vio('0x2000')}</controller><interface type='user'><model type='spapr-vlan'/>${vio('0x5000')}</interface>`)
    expect(refusal(xml, { caps, v9: true })).toMatchObject({ message: 'spapr-vio address 0x2000 already in use' })
  })
  it("a register past 32 bits on the first serial port is met before the second's target model", () => {
    const xml = ppc(`<serial type='pty'>${vio('0x100000000')}</serial><serial type='pty'><target type='spapr-vio-serial'><model name='isa-serial'/></target></serial>`)
    expect(refusal(xml, { caps, v9: true })).toMatchObject({ message: "spapr-vio reg='0x100000000' exceeds maximum possible value (0xffffffff)" })
  })
  it('near miss: the ports the other way round, the target model is met first', () => {
    const xml = ppc(`<serial type='pty'><target type='spapr-vio-serial'><model name='isa-serial'/></target></serial><serial type='pty'>${vio('0x100000000')}</serial>`)
    expect(refusal(xml, { caps, v9: true })).toMatchObject({ message: "Target model 'isa-serial' requires target type 'isa-serial'" })
  })
})

describe("a PPC64 NVDIMM's UUID where virDomainMemoryDefFormat writes it: before its source, wherever written", () => {
  it('moves a UUID written after the source or the target to the front (the shuffle-children search edit, seed 710; probes h36-nvdimm-uuid-…)', () => {
        const uuid = '<uuid>49545eb3-75e1-2d0a-acdd-f0294406c99e</uuid>'
    const source = '<source><path>/tmp/nv</path></source>'
    const target = "<target><size unit='KiB'>524288</size><node>0</node><label><size unit='KiB'>128</size></label></target>"
    const memoryOf = (xml: string): string => /<memory model[\s\S]*?<\/memory>/.exec(xml)![0]
    const front = `<memory model='nvdimm'>\n      ${uuid}\n      <source>`
    expect(memoryOf(predicts(ppc(`<memory model='nvdimm'>${source}${uuid}${target}</memory>`, top, numa), { caps, v9: true }))).toContain(front)
    expect(memoryOf(predicts(ppc(`<memory model='nvdimm'>${source}${target}${uuid}</memory>`, top, numa), { caps, v9: true }))).toContain(front)
    expect(memoryOf(predicts(ppc(`<memory model='nvdimm'>${uuid}${source}${target}</memory>`, top, numa), { caps, v9: true }))).toContain(front)
  })
})
