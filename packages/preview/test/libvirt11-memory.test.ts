// Memory devices and memory hot-plug as libvirt 11.3's own daemon takes them where 9.0's differs, found by defining the
// probes of fixtures/preview/probes (memory-devices-more, memory, numa-more) on Debian trixie's libvirtd 11.3
// (tools/libvirt-trixie) next to preview. The expected fragments and refusals are what that daemon stored or said; the
// near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const v9 = { v9: true }

/** An x86_64 domain with memory hot-plug (4 slots, 8 GiB), two guest NUMA nodes of 512 MiB, and these memory devices. */
const hotplug = (devices: string, machine = 'q35', slots = 4): string => `<domain type='qemu'><name>t</name><memory unit='KiB'>1048576</memory>
  <maxMemory slots='${slots}' unit='KiB'>8388608</maxMemory><vcpu>2</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os>
  <cpu><numa><cell id='0' cpus='0' memory='524288'/><cell id='1' cpus='1' memory='524288'/></numa></cpu><devices>${devices}</devices></domain>`
const dimm = (node: string, address = ''): string => `<memory model='dimm'><target><size unit='KiB'>524288</size>${node === '' ? '' : `<node>${node}</node>`}</target>${address}</memory>`
const virtioMem = (target = '', address = ''): string =>
  `<memory model='virtio-mem'><target><size unit='KiB'>1048576</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>0</requested>${target}</target>${address}</memory>`

describe('qemuDomainDefValidateMemoryHotplug (11.3: device by device, then the slots DIMMs take)', () => {
  it("a DIMM's slot past the slot count before another's missing node or a slot taken twice", () => {
    // (the slot taken twice is the devices' validation's, later: virDomainMemoryDefCheckConflict)
    const twice = hotplug(dimm('0', "<address type='dimm' slot='1'/>") + dimm('0', "<address type='dimm' slot='1'/>") + dimm('0', "<address type='dimm' slot='9'/>"))
    expect(refusal(twice)).toMatchObject({ message: "memory device slot '9' exceeds slots count '4'" })
    expect(refusal(twice, v9)).toMatchObject({ message: "memory device slot '1' is already being used by another memory device" })
    // (its own slot before its node)
    const unplaced = hotplug(dimm('', "<address type='dimm' slot='9'/>"))
    expect(refusal(unplaced)).toMatchObject({ message: "memory device slot '9' exceeds slots count '4'" })
    expect(refusal(unplaced, v9)).toMatchObject({ message: 'target NUMA node needs to be specified for memory device' })
  })
  it("the DIMMs counted against the slots after every device's checks, in 11.3's words", () => {
    const five = hotplug([0, 1, 2, 3, 3].map((slot) => dimm('0', `<address type='dimm' slot='${slot}'/>`)).join(''), 'q35')
    expect(refusal(five)).toMatchObject({ message: "count of memory devices requiring memory slots '5' exceeds slots count '4'" })
    expect(refusal(five, v9)).toMatchObject({ message: "memory device count '5' exceeds slots count '4'" })
    const three = hotplug(dimm('0') + dimm('0') + dimm('0', "<address type='dimm' slot='3'/>"), 'q35', 2)
    expect(refusal(three)).toMatchObject({ message: "memory device slot '3' exceeds slots count '2'" })
  })
  it("a virtio-mem device's DIMM address refused before the DIMMs after it (the domain's order)", () => {
    const xml = hotplug(virtioMem('', "<address type='dimm' slot='0'/>") + dimm('0', "<address type='dimm' slot='9'/>"))
    expect(refusal(xml)).toMatchObject({ message: "only 'pci' and 'ccw' addresses are supported for the virtio-mem device" })
  })
})

describe('virDomainMemoryDefCheckConflict (11.3: each device, after its own checks)', () => {
  it('two DIMMs at one base: their ranges overlap, in 11.3 words; a guest node out of range first', () => {
    const xml = hotplug(dimm('0', "<address type='dimm' slot='0' base='0x100000000'/>") + dimm('1', "<address type='dimm' slot='1' base='0x100000000'/>"))
    expect(refusal(xml)).toMatchObject({ message: 'memory device address [0x100000000:0x120000000] overlaps with other memory device (0x100000000)' })
    expect(refusal(xml, v9)).toMatchObject({ message: "memory device base '0x100000000' is already being used by another memory device" })
    // (a range that starts inside an earlier one's)
    const inside = hotplug(dimm('0', "<address type='dimm' slot='0' base='0x100000000'/>") + dimm('0', "<address type='dimm' slot='1' base='0x110000000'/>"))
    expect(refusal(inside)).toMatchObject({ message: 'memory device address [0x100000000:0x120000000] overlaps with other memory device (0x110000000)' })
    const node = hotplug(dimm('5', "<address type='dimm' slot='1'/>") + dimm('0', "<address type='dimm' slot='1'/>"))
    expect(refusal(node)).toMatchObject({ message: "can't add memory backend for guest node '5' as the guest has only '2' NUMA nodes configured" })
    expect(refusal(node, v9)).toMatchObject({ message: "memory device slot '1' is already being used by another memory device" })
  })
})

describe("a virtio memory device's guest address (11.3: <target><address base>)", () => {
  it('read as an unsigned long long in base 16, written when not 0', () => {
    expect(refusal(hotplug(virtioMem("<address base='zz'/>")))).toMatchObject({ message: "Invalid value for attribute 'base' in element 'address': 'zz'. Expected non-negative integer value" })
    expect(predicts(hotplug(virtioMem("<address base='0'/>")))).not.toContain('<address base')
    expect(predicts(hotplug(virtioMem("<address base='0x140000000'/>")))).toContain("<address base='0x140000000'/>")
  })
  it("on its block's boundary", () => {
    expect(refusal(hotplug(virtioMem("<address base='0x100000001'/>")))).toMatchObject({ message: 'memory device address must be aligned to blocksize' })
    // (decimal digits are read in base 16)
    expect(refusal(hotplug(virtioMem("<address base='4294967296'/>")))).toMatchObject({ message: 'memory device address must be aligned to blocksize' })
  })
  it("its dynamic memory slots: virXMLPropTristateBool's words", () => {
    const xml = hotplug(virtioMem().replace('<target>', "<target dynamicMemslots='bad'>"))
    expect(refusal(xml)).toMatchObject({ message: "Invalid value for attribute 'dynamicMemslots' in element 'target': 'bad'." })
    expect(predicts(hotplug(virtioMem().replace('<target>', "<target dynamicMemslots='yes'>")))).toContain("<target dynamicMemslots='yes'>")
  })
})

describe('qemuValidateDomainDeviceDefMemory (11.3): virtio-mem on CCW', () => {
  const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw', 'virtio-mem-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes'/>" })
  const domain = (devices: string): string => `<domain type='qemu'><name>t</name><memory unit='KiB'>1048576</memory><maxMemory slots='4' unit='KiB'>8388608</maxMemory><vcpu>2</vcpu>
    <os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='524288'/><cell id='1' cpus='1' memory='524288'/></numa></cpu><devices>${devices}</devices></domain>`
  it('no guest NUMA node but 0', () => {
    expect(refusal(domain(virtioMem() + virtioMem().replace('<node>0</node>', '<node>1</node>')), { caps: s390 })).toMatchObject({ message: 'NUMA nodes are not supported for virtio-mem-ccw' })
    expect(predicts(domain(virtioMem()), { caps: s390 })).toContain("<address type='ccw'")
  })
})

describe('qemuDomainDefNumaAutoAdd (11.3, with an ABI update: the node holds what the devices leave, before ppc64 aligns them)', () => {
  const ppc = capsXml({ arch: 'ppc64', flags: ['pc-dimm', 'spapr-pci-host-bridge', 'qemu-xhci'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" })
  const domain = (memory: number, devices: string): string => `<domain type='qemu'><name>t</name><memory unit='KiB'>${memory}</memory><maxMemory slots='4' unit='KiB'>8388608</maxMemory><vcpu>1</vcpu>
    <os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>${devices}</devices></domain>`
  const pdimm = (kib: number): string => `<memory model='dimm'><target><size unit='KiB'>${kib}</size></target></memory>`
  it('a DIMM aligned up past <memory> leaves the node its 1 KiB', () => {
    const xml = predicts(domain(524288, pdimm(524287)), { caps: ppc })
    expect(xml).toContain("<memory unit='KiB'>524289</memory>")
    expect(xml).toContain("<cell id='0' cpus='0' memory='1' unit='KiB'/>")
  })
  it('a device that does not fit in what the earlier ones leave is refused before the devices are aligned', () => {
    // (an NVDIMM too small once aligned is refused by its device's post-parse, which comes after)
    const nvdimm = "<memory model='nvdimm'><source><path>/tmp/n</path></source><target><size unit='KiB'>262145</size><label><size unit='KiB'>256</size></label></target></memory>"
    const xml = domain(524288, pdimm(262144) + "<memory model='virtio-pmem'><source><path>/tmp/p</path></source><target><size unit='KiB'>524416</size></target></memory>" + nvdimm)
    expect(refusal(xml, { caps: ppc })).toMatchObject({ message: 'Total size of memory devices exceeds the total memory size' })
    expect(refusal(domain(1048576, pdimm(262144) + nvdimm), { caps: ppc })).toMatchObject({ message: 'minimum target size for the NVDIMM must be 256MB plus the label size' })
  })
})

describe('a crypto device (11.3: virDomainCryptoDefParseXML, virDomainCryptoDefFormat)', () => {
  it('one backend, whose queue count of 0 is none', () => {
    expect(refusal("<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><crypto model='virtio' type='qemu'/></devices></domain>"))
      .toMatchObject({ message: 'only one crypto backend is supported' })
    const xml = predicts("<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><crypto model='virtio' type='qemu'><backend model='builtin' queues='0'/></crypto></devices></domain>")
    expect(xml).toContain("<backend model='builtin'/>")
  })
})
