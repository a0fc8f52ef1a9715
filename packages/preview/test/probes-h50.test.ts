// Memory devices as libvirt 9.0 reads, checks and writes them (own probes `h50-…`, each defined on the sandbox libvirtd
// 9.0 beside preview; the expected fragments and refusals are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { predicts, refusal } from './_refusal.ts'
import { capsXml } from './_caps.ts'

const v9 = { v9: true }
const dom = (devices: string, machine = 'q35'): string =>
  `<domain type='qemu'><name>h50</name><memory unit='KiB'>1048576</memory><maxMemory slots='4' unit='KiB'>8388608</maxMemory><vcpu>2</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='524288'/><cell id='1' cpus='1' memory='524288'/></numa></cpu><devices>${devices}</devices></domain>`
const dimm = (node: string, address = ''): string =>
  `<memory model='dimm'><target><size unit='KiB'>524288</size><node>${node}</node></target>${address}</memory>`

describe("a memory device's target NUMA node (virDomainMemoryTargetDefParseXML: virXPathInt, refused when negative)", () => {
  it('`-0` reads as 0 (virStrToLong_i) and is kept as node 0', () => {
    for (const node of ['-0', '0', '+0']) {
      expect(predicts(dom(dimm(node)), v9)).toContain("<target>\n        <size unit='KiB'>524288</size>\n        <node>0</node>\n      </target>")
    }
    // (a virtio-pmem device takes no node: `-0` is one, refused by virDomainMemoryDefValidate, not by the parser)
    expect(refusal(dom("<memory model='virtio-pmem'><source><path>/tmp/pmem</path></source><target><size unit='KiB'>262144</size><node>-0</node></target></memory>"), v9))
      .toMatchObject({ message: 'virtio-pmem does not support NUMA nodes' })
  })
  it('a negative node is refused by the parser (the near miss)', () => {
    for (const node of ['-1', '-2147483648', '2147483648']) {
      expect(refusal(dom(dimm(node)), v9)).toMatchObject({ message: 'invalid value of memory device node' })
    }
  })
})

describe("a DIMM address's base (virDomainDeviceInfoFormat writes it only when not 0)", () => {
  it("`base='0'` and `base='0x0'` are stored as no base", () => {
    for (const base of ['0', '0x0', '00']) {
      expect(predicts(dom(dimm('0', `<address type='dimm' slot='1' base='${base}'/>`)), v9)).toContain("<address type='dimm' slot='1'/>\n    </memory>")
    }
    // (the near miss: a base not 0, written `0x%llx`)
    expect(predicts(dom(dimm('0', "<address type='dimm' slot='1' base='100000000'/>")), v9)).toContain("<address type='dimm' slot='1' base='0x100000000'/>")
  })
  it('two DIMMs at base 0 do not clash (qemuCheckMemoryDimmConflict looks at bases not 0)', () => {
    const out = predicts(dom(dimm('0', "<address type='dimm' slot='0' base='0x0'/>") + dimm('1', "<address type='dimm' slot='1' base='0x0'/>")), v9)
    expect(out).toContain("<address type='dimm' slot='0'/>")
    expect(out).toContain("<address type='dimm' slot='1'/>")
    expect(refusal(dom(dimm('0', "<address type='dimm' slot='0' base='0x100000000'/>") + dimm('1', "<address type='dimm' slot='1' base='0x100000000'/>")), v9))
      .toMatchObject({ message: "memory device base '0x100000000' is already being used by another memory device" })
  })
})

describe('pSeries memory devices as the device post-parse leaves them (qemuDomainMemoryDefPostParse, ABI update)', () => {
  // (a pSeries QEMU with pc-dimm and nvdimm, without virtio-mem-pci)
  const o = { ...v9, caps: capsXml({ arch: 'ppc64', flags: ['spapr-pci-host-bridge', 'pc-dimm', 'nvdimm'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" }) }
  const ppc = (devices: string): string =>
    `<domain type='qemu'><name>h50</name><memory unit='KiB'>1048576</memory><maxMemory slots='4' unit='KiB'>8388608</maxMemory><vcpu>2</vcpu><os><type arch='ppc64' machine='pseries'>hvm</type></os><cpu><numa><cell id='0' cpus='0' memory='524288'/><cell id='1' cpus='1' memory='524288'/></numa></cpu><devices>${devices}</devices></domain>`
  const vmem = (size: string, requested: string): string =>
    `<memory model='virtio-mem'><target><size unit='KiB'>${size}</size><node>0</node><block unit='KiB'>2048</block><requested unit='KiB'>${requested}</requested></target></memory>`
  it("a virtio-mem device's requested size is checked against its size rounded up to 256 MiB (virDomainMemoryDefValidate)", () => {
    expect(refusal(ppc(vmem('1', '524288')), o)).toMatchObject({ message: 'requested size must be smaller than or equal to @size (262144KiB)' })
    expect(refusal(ppc(vmem('262143', '524288')), o)).toMatchObject({ message: 'requested size must be smaller than or equal to @size (262144KiB)' })
    // (300000 KiB is 512 MiB once rounded: 524288 KiB requested is then no fault — the next is the QEMU binary's)
    expect(refusal(ppc(vmem('300000', '524288')), o)).toMatchObject({ message: "virtio-mem isn't supported by this QEMU binary" })
  })
  it("an NVDIMM's label of 0 KiB is none: a label size is required", () => {
    const nvdimm = (label: string): string =>
      `<memory model='nvdimm'><uuid>11111111-2222-3333-4444-555555555555</uuid><source><path>/tmp/nv</path></source><target><size unit='KiB'>524288</size><node>0</node>${label}</target></memory>`
    for (const label of ["<label><size unit='KiB'>0</size></label>", '<label><size></size></label>', '<label><size/></label>', '<label/>']) {
      expect(refusal(ppc(nvdimm(label)), o)).toMatchObject({ message: 'label size is required for NVDIMM device' })
    }
    expect(predicts(ppc(nvdimm("<label><size unit='KiB'>128</size></label>")), o)).toContain("<label>\n          <size unit='KiB'>128</size>\n        </label>")
  })
})

describe("the initial memory left by pSeries memory devices (virDomainDefPostParseMemory after qemuDomainMemoryDefPostParse)", () => {
  const o = { ...v9, caps: capsXml({ arch: 'ppc64', flags: ['spapr-pci-host-bridge', 'pc-dimm', 'nvdimm'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes'/>" }) }
  const ppc = (memory: string, size: string, max = '8388608'): string =>
    `<domain type='qemu'><name>h50</name><memory unit='KiB'>${memory}</memory><maxMemory slots='4' unit='KiB'>${max}</maxMemory><vcpu>1</vcpu><os><type arch='ppc64' machine='pseries'>hvm</type></os><devices><memory model='dimm'><target><size unit='KiB'>${size}</size></target></memory></devices></domain>`
  it('a DIMM rounded up to 256 MiB can leave no initial memory, or more than <memory>', () => {
    expect(refusal(ppc('524288', '524287'), o)).toMatchObject({ message: 'Memory size must be specified via <memory> or in the <numa> configuration' })
    expect(refusal(ppc('524288', '262145'), o)).toMatchObject({ message: 'Memory size must be specified via <memory> or in the <numa> configuration' })
    expect(refusal(ppc('700000', '524289'), o)).toMatchObject({ message: 'Total size of memory devices exceeds the total memory size' })
    // (the near miss: a DIMM of 256 MiB leaves 256 MiB)
    expect(predicts(ppc('524288', '262144'), o)).toContain("<memory model='dimm'>\n      <target>\n        <size unit='KiB'>262144</size>")
  })
})

describe('qemuDomainDefValidateMemoryHotplug walks the memory devices in order, each checked whole (libvirt 9.0)', () => {
  const vmem = (address: string, node = ''): string =>
    `<memory model='virtio-mem'><target><size unit='KiB'>1048576</size>${node}<block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target>${address}</memory>`
  const dimmNoNode = "<memory model='dimm'><target><size unit='KiB'>524288</size></target></memory>"
  it("a virtio-mem device's DIMM address, first, is refused before a later DIMM's missing node", () => {
    expect(refusal(dom(vmem("<address type='dimm' slot='0'/>") + dimmNoNode, 'pc'), v9)).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
    // (the near miss: the DIMM first, its missing node refused first)
    expect(refusal(dom(dimmNoNode + vmem("<address type='dimm' slot='0'/>"), 'pc'), v9)).toMatchObject({ message: 'target NUMA node needs to be specified for memory device' })
  })
  it("a virtio-mem device's missing node, first, is refused before a later DIMM's slot out of range", () => {
    expect(refusal(dom(vmem('') + dimm('0', "<address type='dimm' slot='9'/>")), v9)).toMatchObject({ message: 'target NUMA node needs to be specified for memory device' })
    expect(refusal(dom(dimm('0', "<address type='dimm' slot='9'/>") + vmem('')), v9)).toMatchObject({ message: "memory device slot '9' exceeds slots count '4'" })
  })
})

describe("a virtio-mem device's DIMM address takes its slot (qemuDomainGetMemorySlotMap, qemuCheckMemoryDimmConflict)", () => {
  const vmem = (address: string): string =>
    `<memory model='virtio-mem'><target><size unit='KiB'>1048576</size><node>1</node><block unit='KiB'>2048</block><requested unit='KiB'>0</requested></target>${address}</memory>`
  it("a DIMM on the slot of a later virtio-mem device's DIMM address is refused as taken, before the virtio-mem device's address", () => {
    expect(refusal(dom(dimm('0', "<address type='dimm' slot='0'/>") + vmem("<address type='dimm' slot='0'/>"), 'pc'), v9))
      .toMatchObject({ message: "memory device slot '0' is already being used by another memory device" })
    // (the near miss: another slot — the virtio-mem device's address is then what is refused)
    expect(refusal(dom(dimm('0', "<address type='dimm' slot='1'/>") + vmem("<address type='dimm' slot='0'/>"), 'pc'), v9))
      .toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
  })
  it('a DIMM without a slot is given the next one the virtio-mem device does not hold', () => {
    // (one slot, held by the virtio-mem device's address: none is left for the DIMM)
    const one = (devices: string): string => dom(devices).replace("slots='4'", "slots='2'")
    expect(refusal(one(vmem("<address type='dimm' slot='0'/>") + dimm('0') + dimm('0')), v9)).toMatchObject({ message: 'failed to find an empty memory slot' })
    expect(refusal(one(vmem("<address type='dimm' slot='1'/>") + dimm('0')), v9)).toMatchObject({ message: "only 'pci' addresses are supported for the virtio-mem device" })
  })
})

describe("two DIMMs on one base (qemuCheckMemoryDimmConflict) — the base as libvirt reads or makes it", () => {
  const withPci = (slot: string, fn: string): string =>
    `<memory model='dimm'><target><size unit='KiB'>524288</size><node>0</node></target><address type='pci' domain='0' bus='0' slot='${slot}' function='${fn}'/></memory>`
  it("a base written without `0x` is the same base (virXMLPropULongLong in base 16)", () => {
    expect(refusal(dom(dimm('0', "<address type='dimm' slot='0' base='100000000'/>") + dimm('1', "<address type='dimm' slot='1' base='0x100000000'/>")), v9))
      .toMatchObject({ message: "memory device base '0x100000000' is already being used by another memory device" })
    expect(predicts(dom(dimm('0', "<address type='dimm' slot='0' base='100000000'/>") + dimm('1', "<address type='dimm' slot='1' base='0x200000000'/>")), v9))
      .toContain("<address type='dimm' slot='0' base='0x100000000'/>")
  })
  it("a DIMM written with a PCI address has a base made of its numbers, checked against the others' (qemuAssignMemoryDeviceSlot keeps the union)", () => {
    // (slot 0, function 1: the base's high 32 bits are the function)
    expect(refusal(dom(withPci('0', '1') + dimm('1', "<address type='dimm' slot='2' base='0x100000000'/>"), 'pc'), v9))
      .toMatchObject({ message: "memory device base '0x100000000' is already being used by another memory device" })
    expect(predicts(dom(withPci('0', '2') + dimm('1', "<address type='dimm' slot='2' base='0x100000000'/>"), 'pc'), v9))
      .toContain("<address type='dimm' slot='0' base='0x200000000'/>")
  })
})
