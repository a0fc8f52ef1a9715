// Memory, huge pages, memory devices and guest NUMA as libvirt 9.0 reads, fills in and writes them
// (virDomainDefParseMemory, virDomainMemorybackingFormat, virDomainMemoryDefParseXML, virDomainMemoryTargetDefFormat,
// qemuDomainAssignMemorySlots): each case here was defined on the sandbox libvirtd 9.0 beside preview (probes h19-…:
// fixtures/preview/probes/memory.xml), the expected documents written from what the daemon printed.
import { describe, expect, it } from 'vitest'
import { emptyUnwritten } from '@virtuned/model'
import { predicts, refusal } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const dom = (parts: { body?: string; devices?: string; machine?: string }): string => `<domain type='qemu'><name>t</name><memory>524288</memory>${parts.body ?? ''}
  <os><type arch='x86_64' machine='${parts.machine ?? 'pc'}'>hvm</type></os><devices>${parts.devices ?? ''}</devices></domain>`
const hotplug = "<maxMemory slots='4'>4194304</maxMemory><cpu><numa><cell id='0' cpus='0' memory='524288'/></numa></cpu>"
const target = "<target><size unit='KiB'>524288</size><node>0</node></target>"
const dimm = (extra = ''): string => `<memory model='dimm'>${target}${extra}</memory>`
const backingOf = (xml: string): string | undefined => /<memoryBacking[\s\S]*?<\/memoryBacking>|<memoryBacking\/>/.exec(xml)?.[0]
const addressesOf = (xml: string): string[] => [...xml.matchAll(/<memory model='(?:dimm|nvdimm)'[\s\S]*?<\/memory>/g)].map((m) => /<address [^>]*\/>/.exec(m[0])?.[0] ?? '')

describe('<memoryBacking>: what virDomainMemorybackingFormat writes for a setting alone', () => {
  it('writes no <source>, <access> or <allocation> without a type, a mode or threads (probes h19-mb-src-none, h19-mb-access-none, h19-mb-alloc-empty)', () => {
    expect(emptyUnwritten.has('memoryBacking/source')).toBe(true)
    expect(backingOf(predicts(dom({ body: '<memoryBacking><source/></memoryBacking>' })))).toBeUndefined()
    expect(backingOf(predicts(dom({ body: '<memoryBacking><access/></memoryBacking>' })))).toBeUndefined()
    expect(backingOf(predicts(dom({ body: '<memoryBacking><allocation/></memoryBacking>' })))).toBeUndefined()
    // (beside a setting the rest stays)
    expect(backingOf(predicts(dom({ body: "<memoryBacking><source/><access mode='shared'/></memoryBacking>" })))).toBe("<memoryBacking>\n    <access mode='shared'/>\n  </memoryBacking>")
  })
  it("reads an empty source type, access or allocation mode as none (virXPathString): not written (probes h19-r2-mb-src-empty, h19-r2-mb-access-empty)", () => {
    expect(backingOf(predicts(dom({ body: "<memoryBacking><source type=''/></memoryBacking>" })))).toBeUndefined()
    expect(backingOf(predicts(dom({ body: "<memoryBacking><access mode=''/></memoryBacking>" })))).toBeUndefined()
    expect(backingOf(predicts(dom({ body: "<memoryBacking><allocation mode='' threads='2'/><locked/></memoryBacking>" })))).toBe("<memoryBacking>\n    <locked/>\n    <allocation threads='2'/>\n  </memoryBacking>")
  })
  it('writes allocation threads only above 0: `threads=0` alone is no <allocation> (probe h19-mb-alloc-threads0)', () => {
    expect(backingOf(predicts(dom({ body: "<memoryBacking><allocation threads='0'/></memoryBacking>" })))).toBeUndefined()
    expect(backingOf(predicts(dom({ body: "<memoryBacking><allocation mode='immediate' threads='0'/></memoryBacking>" })))).toContain("<allocation mode='immediate'/>")
    expect(backingOf(predicts(dom({ body: "<memoryBacking><allocation threads='4'/></memoryBacking>" })))).toContain("<allocation threads='4'/>")
  })
})

describe('memory devices: the DIMM slot and an address of another type (qemuAssignMemoryDeviceSlot)', () => {
  it("turns a DIMM's PCI address into a DIMM one in the next free slot, the base what the union held there (probes h19-md-dimm-addr-pci, -pci-fn)", () => {
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='pci' bus='0' slot='5'/>") })))).toEqual(["<address type='dimm' slot='0' base='0x5'/>"])
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='pci' bus='0' slot='6' function='2'/>") })))).toEqual(["<address type='dimm' slot='0' base='0x200000006'/>"])
  })
  it('reads a drive address\'s target and unit, a virtio-serial port, as the base; an ISA address leaves none (probes h19-md-dimm-addr-drive, -vser-ctl, -isa)', () => {
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='drive' controller='0' bus='0' target='3' unit='1'/>") })))).toEqual(["<address type='dimm' slot='0' base='0x100000003'/>"])
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='virtio-serial' controller='0' bus='0' port='7'/>") + "<controller type='virtio-serial' index='0'/>" })))).toEqual(["<address type='dimm' slot='0' base='0x7'/>"])
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='isa' iobase='0x100'/>") })))).toEqual(["<address type='dimm' slot='0'/>"])
  })
  it("reads a CCW address's devno and its assigned flag, an sPAPR VIO address's has_reg, as the base; their types' own checks never see them (probes h19-r4-dimm-addr-ccw, -spapr, -unassigned, h19-r4-nvd-addr-drive)", () => {
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='ccw' cssid='0xfe' ssid='0' devno='0x0005'/>") })))).toEqual(["<address type='dimm' slot='0' base='0x100000005'/>"])
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='spapr-vio' reg='0x2000'/>") })))).toEqual(["<address type='dimm' slot='0' base='0x1'/>"])
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='unassigned'/>") })))).toEqual(["<address type='dimm' slot='0'/>"])
    const nv = "<memory model='nvdimm'><source><path>/tmp/nv</path></source>" + target + "<address type='drive' controller='1' bus='2' target='0' unit='4'/></memory>"
    expect(addressesOf(predicts(dom({ body: hotplug, devices: nv })))).toEqual(["<address type='dimm' slot='0' base='0x400000000'/>"])
    // (any other device keeps those checks)
    expect(refusal(dom({ devices: "<watchdog model='i6300esb'><address type='unassigned'/></watchdog>" })).message).toBe("address of type 'unassigned' is supported only for hostdevs")
  })
  it('gives slots in order around the DIMM addresses given (probe h19-md-dimm-mixed-order)', () => {
    const devices = dimm() + dimm("<address type='pci' bus='0' slot='9'/>") + dimm("<address type='dimm' slot='0'/>")
    expect(addressesOf(predicts(dom({ body: hotplug, devices })))).toEqual(["<address type='dimm' slot='1'/>", "<address type='dimm' slot='2' base='0x9'/>", "<address type='dimm' slot='0'/>"])
  })
})

describe("an NVDIMM's label (virDomainMemoryTargetDefFormat writes a label of a size)", () => {
  it('writes no <label/> without a size (probe h19-md-nvd-label-nosize)', () => {
    const nv = (label: string): string => `<memory model='nvdimm'><source><path>/tmp/nvdimm</path></source><target><size unit='KiB'>524288</size><node>0</node>${label}</target></memory>`
    expect(predicts(dom({ body: hotplug, devices: nv('<label/>') }))).not.toContain('<label')
    expect(predicts(dom({ body: hotplug, devices: nv("<label><size unit='KiB'>128</size></label>") }))).toContain("<label>\n          <size unit='KiB'>128</size>\n        </label>")
  })
})

describe('memory devices: the slot a DIMM address needs, the PCI a virtio one needs', () => {
  it("refuses a DIMM address without a slot in virXMLPropUInt's words (probe h19-r2-dimm-noslot)", () => {
    expect(refusal(dom({ body: hotplug, devices: dimm("<address type='dimm' base='0x100000000'/>") })).message).toBe("Missing required attribute 'slot' in element 'address'")
    expect(addressesOf(predicts(dom({ body: hotplug, devices: dimm("<address type='dimm' slot='2' base='0x100000000'/>") })))).toEqual(["<address type='dimm' slot='2' base='0x100000000'/>"])
  })
  it("refuses a virtio-mem device on s390's CCW before looking for its QEMU device: the domain's hot-plug check comes first (probe h19-r2-vmem-s390)", () => {
    const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
    const vmem = "<memory model='virtio-mem'><target><size unit='KiB'>1048576</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>524288</requested></target></memory>"
    const xml = `<domain type='qemu'><name>t</name><memory>524288</memory>${hotplug}<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${vmem}</devices></domain>`
    expect(refusal(xml, { caps: s390Caps, v9: true }).message).toBe("only 'pci' addresses are supported for the virtio-mem device")
    // (libvirt 11.3 takes virtio-mem on CCW — its test domain memory-hotplug-virtio-mem-ccw-s390x —, a virtio-pmem one not, in its words)
    expect(refusal(xml, { caps: s390Caps }).message).not.toMatch(/addresses are supported/)
    expect(refusal(xml.replace('</devices>', "<memory model='virtio-pmem'><source><path>/tmp/p</path></source><target><size unit='KiB'>262144</size></target></memory></devices>").replace(vmem, ''), { caps: s390Caps }).message).toBe("only 'pci' addresses are supported for the virtio-pmem device")
    const pciMem = vmem.replace('</memory>', "<address type='drive' controller='0' bus='0' target='0' unit='0'/></memory>")
    expect(refusal(dom({ body: hotplug, devices: pciMem })).message).toBe("only 'pci' and 'ccw' addresses are supported for the virtio-mem device")
    // (on x86 without QEMU's virtio-mem-pci: its QEMU device missing)
    expect(refusal(dom({ body: hotplug, devices: vmem }), { caps: capsXml({ flags: [] }) }).message).toBe("virtio-mem isn't supported by this QEMU binary")
  })
})

describe('memory devices: read in their parser\'s order (virDomainMemoryDefParseXML, the same in 9.0 and 11.3)', () => {
  const nvdimm = (uuid: string, source: string, target: string, extra = ''): string => `<memory model='nvdimm'${extra}>${uuid}<source><path>/tmp/nv</path>${source}</source><target>${target}</target></memory>`
  const withHotplug = (devices: string): string => dom({ body: hotplug, devices })
  it("the target's NUMA node before its size (the blank-text search edit, seed 691; probes h36-memdev-node-size…)", () => {
    expect(refusal(withHotplug(nvdimm('', '', "<size unit='KiB'> </size><node> </node>")))).toMatchObject({ message: 'invalid value of memory device node', path: 'domain/devices/memory[1]/target/node' })
    // (written after it, the node is still read first; a node that reads leaves the size's refusal)
    expect(refusal(withHotplug("<memory model='dimm'><target><node>x</node><size unit='KiB'>x</size></target></memory>")).message).toBe('invalid value of memory device node')
    expect(refusal(withHotplug(nvdimm('', '', "<size unit='KiB'> </size><node>0</node>")))).toMatchObject({ message: "Invalid value ' ' for element or attribute './size'", path: 'domain/devices/memory[1]/target/size' })
    // (an NVDIMM label's size after the node)
    expect(refusal(withHotplug(nvdimm('', '', "<size unit='KiB'>524288</size><label><size unit='KiB'>x</size></label><node>q</node>"))).message).toBe('invalid value of memory device node')
  })
  it('its attributes, an NVDIMM\'s UUID and the source before the target; the target before the device information (probes h36-memdev-…)', () => {
    const target = "<size unit='KiB'>524288</size><node>0</node>"
    expect(refusal(withHotplug(nvdimm('<uuid>nope</uuid>', "<alignsize unit='KiB'>x</alignsize>", target))).message).toBe('malformed uuid element')
    expect(refusal(withHotplug(nvdimm("<uuid>9066901e-c90a-46ad-8b55-c18868cf92ae</uuid>", "<alignsize unit='KiB'>x</alignsize>", target))).message).toBe("Invalid value 'x' for element or attribute './alignsize'")
    expect(refusal(withHotplug(nvdimm('<uuid>nope</uuid>', '', target, " discard='maybe'"))).message).toBe("Invalid value for attribute 'discard' in element 'memory': 'maybe'.")
    expect(refusal(withHotplug("<memory model='dimm'><source><pagesize unit='KiB'>x</pagesize></source><target><size unit='KiB'>524288</size><node>-1</node></target></memory>")).message).toBe("Invalid value 'x' for element or attribute './pagesize'")
    expect(refusal(withHotplug("<memory model='dimm'><source><nodemask>x</nodemask></source><target><size unit='KiB'>y</size><node>0</node></target></memory>")).message).toBe("Failed to parse bitmap 'x'")
    expect(refusal(withHotplug("<memory model='dimm' access='bogus'></memory>")).message).toBe("Invalid value for attribute 'access' in element 'memory': 'bogus'.")
    expect(refusal(withHotplug("<memory model='dimm'><target><size unit='KiB'>524288</size><node>z</node></target><address type='dimm' slot='x'/></memory>")).message).toBe('invalid value of memory device node')
    expect(refusal(withHotplug("<memory model='dimm'><target><size unit='KiB'>524288</size><node>0</node></target><address type='dimm' slot='x'/></memory>")).message).toContain("Invalid value for attribute 'slot' in element 'address': 'x'.")
  })
})
