// Domain-wide settings libvirt refuses at define (_refusals-domain.ts): firmware and NVRAM, NUMA and huge
// pages, memory devices, CPU caches, SMBIOS, features, pSeries and s390 limits. The 9.0 messages are what
// libvirtd 9.0 answered to `virsh define` of the same configuration; the 11.3 ones are libvirt's words
// (its test data's .err files, its source). Each rule also has a domain just inside it that preview predicts.
import { describe, expect, it } from 'vitest'
import { previewDomain } from '../src/index.ts'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

interface Dom { readonly os?: string; readonly osAttrs?: string; readonly extra?: string; readonly devices?: string; readonly machine?: string; readonly arch?: string; readonly vcpu?: number }
const dom = (d: Dom = {}): string => `<domain type='qemu'>
  <name>t</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>${d.vcpu ?? 1}</vcpu>
  <os${d.osAttrs ? ` ${d.osAttrs}` : ''}><type arch='${d.arch ?? 'x86_64'}' machine='${d.machine ?? 'q35'}'>hvm</type>${d.os ?? ''}</os>
  ${d.extra ?? ''}
  <devices>${d.devices ?? ''}</devices>
</domain>
`
const numa = (cells: number, vcpu = cells): string =>
  `<cpu><numa>${Array.from({ length: cells }, (_, i) => `<cell id='${i}' cpus='${i % vcpu}' memory='${1024 / cells}' unit='MiB'/>`).join('')}</numa></cpu>`

const ppcCaps = capsXml({ arch: 'ppc64', flags: ['pci-ohci', 'spapr-pci-host-bridge', 'spapr-pci-host-bridge.numa_node'], machines: "<machine type='tcg' name='pseries-9.9' alias='pseries' default='yes' defaultCPU='power9_v2.0-powerpc64-cpu'/>" })
const s390Caps = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const armCaps = capsXml({ arch: 'aarch64', flags: ['qemu-xhci', 'pcie-root-port'], machines: "<machine type='tcg' name='virt-9.9' alias='virt' default='yes'/>", extra: "<gic version='3' kernel='no' emulated='yes'/>" })

describe('features each parser knows', () => {
  it("refuses a feature the parser does not know: 9.0 knows none added after 'tcg'", () => {
    expect(refusal(dom({ extra: "<features><acpi/><bogus/></features>" }))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: "unexpected feature 'bogus'", path: 'domain/features/bogus' })
    expect(refusal(dom({ extra: "<features><ps2 state='on'/></features>" }), { v9: true })).toMatchObject({ code: 'preview-refused', message: "unexpected feature 'ps2'", path: 'domain/features/ps2' })
    expect(predicts(dom({ extra: "<features><acpi/><ps2 state='on'/></features>" }))).toContain("<ps2 state='on'/>")
    expect(predicts(dom({ extra: "<features><acpi/><tcg/></features>" }), { v9: true })).toContain('<acpi/>')
  })

  it('refuses a HyperV enlightenment the parser does not know (9.0: emsr_bitmap and xmm_input are unknown)', () => {
    const hyperv = (x: string) => dom({ machine: 'pc', extra: `<features><acpi/><hyperv mode='custom'><relaxed state='on'/>${x}</hyperv></features>` })
    expect(refusal(hyperv("<emsr_bitmap state='on'/>"), { v9: true })).toMatchObject({ code: 'preview-refused', message: 'unsupported HyperV Enlightenment feature: emsr_bitmap', path: 'domain/features/hyperv/emsr_bitmap' })
    expect(refusal(hyperv("<bogus state='on'/>")).message).toBe('unsupported HyperV Enlightenment feature: bogus')
    expect(predicts(hyperv("<emsr_bitmap state='on'/>"))).toContain("<emsr_bitmap state='on'/>")
  })
})

describe('guest NUMA cells', () => {
  const cells = (ids: readonly (string | undefined)[]) => dom({ vcpu: 2, extra: `<cpu><numa>${ids.map((id, i) => `<cell${id === undefined ? '' : ` id='${id}'`} cpus='${i}' memory='512' unit='MiB'/>`).join('')}</numa></cpu>` })
  it('are numbered 0…n-1, each once (a cell without an id takes its place)', () => {
    expect(refusal(cells(['1', '2']))).toMatchObject({
      code: 'preview-invalid-value', path: 'domain/cpu/numa/cell[2]/@id',
      message: "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not starting from 0 are not allowed",
    })
    expect(refusal(cells(['0', '0'])).message).toBe("Duplicate NUMA cell info for cell id '0'")
    expect(refusal(cells(['1', undefined])).message).toBe("Duplicate NUMA cell info for cell id '1'")
    expect(predicts(cells(['1', '0']))).toContain("<cell id='1' cpus='0'")
  })

  it("take libvirt's memory access and discard values only, memory access read first (libvirtd 9.0's words)", () => {
    const cell = (attrs: string) => dom({ vcpu: 2, extra: `<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/><cell id='1' cpus='1' memory='512' unit='MiB' ${attrs}/></numa></cpu>` })
    for (const bad of ['invalid', 'default', '']) {
      expect(refusal(cell(`memAccess='${bad}'`))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: `Invalid value for attribute 'memAccess' in element 'cell': '${bad}'.`, path: 'domain/cpu/numa/cell[2]/@memAccess' })
    }
    expect(refusal(cell("discard='maybe'"))).toMatchObject({ message: "Invalid value for attribute 'discard' in element 'cell': 'maybe'.", path: 'domain/cpu/numa/cell[2]/@discard' })
    expect(refusal(cell("discard='absent' memAccess='bad'")).message).toBe("Invalid value for attribute 'memAccess' in element 'cell': 'bad'.")
    expect(predicts(cell("memAccess='shared' discard='yes'"))).toContain("memAccess='shared' discard='yes'")
  })
})

describe('SMBIOS', () => {
  const bios = (date: string) => dom({ os: "<smbios mode='sysinfo'/>", extra: `<sysinfo type='smbios'><bios><entry name='date'>${date}</entry></bios></sysinfo>` })
  it('takes a BIOS date as mm/dd/yy or mm/dd/yyyy from 1900', () => {
    for (const date of ['999/999/123', '12/31', '13/01/2020', '01/32/2020', '01/01/1899', 'x']) {
      expect(refusal(bios(date))).toMatchObject({ code: 'preview-invalid-value', message: "Invalid BIOS 'date' format", path: "domain/sysinfo/bios/entry[@name='date']" })
    }
    expect(predicts(bios('12/31/99'))).toContain('12/31/99')
    expect(predicts(bios('01/02/2025'))).toContain('01/02/2025')
  })
})

describe('ACPI tables (libvirt 9.0)', () => {
  const tables = (t: string) => dom({ machine: 'pc', os: `<acpi>${t}</acpi>`, extra: '<features><acpi/></features>' })
  it("takes one table, of type 'slic' (later versions take several, and raw and msdm ones)", () => {
    const two = tables("<table type='slic'>/a.dat</table><table type='raw'>/b.dat</table>")
    expect(refusal(two, { v9: true })).toMatchObject({ code: 'preview-invalid-value', message: 'Only one acpi table is supported', path: 'domain/os/acpi/table[2]' })
    expect(refusal(tables("<table type='raw'>/b.dat</table>"), { v9: true }).message).toBe('Unknown acpi table type: raw')
    expect(predicts(tables("<table type='slic'>/a.dat</table>"), { v9: true })).toContain("<table type='slic'>/a.dat</table>")
    expect(predicts(two)).toContain("<table type='raw'>/b.dat</table>")
  })
  const acpis = (t: string) => dom({ machine: 'pc', os: t, extra: '<features><acpi/></features>' })
  it('counts the tables of every <acpi> (`./os/acpi/table`), and writes them in one (the repeat-child search edit, seed 740; probes h36-acpi-…)', () => {
    expect(refusal(acpis("<acpi><table type='slic'>/a.dat</table></acpi><acpi><table type='slic'>/b.dat</table></acpi>"), { v9: true }).message).toBe('Only one acpi table is supported')
    expect(refusal(acpis("<acpi/><acpi><table type='raw'>/a.dat</table></acpi>"), { v9: true }).message).toBe('Unknown acpi table type: raw')
    const one = "<acpi>\n      <table type='slic'>/a.dat</table>\n    </acpi>"
    expect(predicts(acpis("<acpi/><acpi><table type='slic'>/a.dat</table></acpi>"), { v9: true })).toContain(one)
    expect(predicts(acpis("<acpi><table type='slic'>/a.dat</table></acpi><acpi/>"), { v9: true })).toContain(one)
    // (libvirt 11.3, from its source: several tables, one <acpi>)
    expect(predicts(acpis("<acpi><table type='raw'>/a.dat</table></acpi><acpi><table type='msdm'>/b.dat</table></acpi>"))).toContain("<acpi>\n      <table type='raw'>/a.dat</table>\n      <table type='msdm'>/b.dat</table>\n    </acpi>")
  })
  it("libvirt 11.3's reads (virDomainDefParseBootAcpiOptions, qemuValidateDomainDefBoot): a type required, of its names, each but raw once; rawset not QEMU's", () => {
    expect(refusal(tables('<table>/a.dat</table>'))).toMatchObject({ message: "Missing required attribute 'type' in element 'table'", path: 'domain/os/acpi/table[1]' })
    expect(refusal(tables("<table type='bogus'>/a.dat</table>")).message).toBe("Invalid value for attribute 'type' in element 'table': 'bogus'.")
    expect(refusal(tables("<table type=''>/a.dat</table>")).message).toBe("Invalid value for attribute 'type' in element 'table': ''.")
    expect(refusal(tables("<table type='msdm'>/a.dat</table><table type='slic'>/b.dat</table><table type='msdm'>/c.dat</table>"))).toMatchObject({ message: "ACPI table type 'msdm' may only appear once", path: 'domain/os/acpi/table[3]/@type' })
    expect(refusal(acpis("<acpi><table type='slic'>/a.dat</table></acpi><acpi><table type='slic'>/b.dat</table></acpi>")).message).toBe("ACPI table type 'slic' may only appear once")
    expect(refusal(tables("<table type='rawset'>/a.dat</table>"))).toMatchObject({ code: 'preview-refused', message: "ACPI table type 'rawset' is not supported" })
    expect(predicts(tables("<table type='raw'>/a.dat</table><table type='raw'>/b.dat</table>"))).toContain("<table type='raw'>/b.dat</table>")
  })
})

describe("libvirt 11's throttle groups (virDomainDefThrottleGroupsParse, virDomainDefValidateThrottleGroups, virDomainThrottleGroupFormat; from 11.3's source)", () => {
  const groups = (g: string): string => dom({ machine: 'pc', extra: g })
  it('reads each limit as an unsigned long long, then the name, required and once; refuses a total beside a read or write limit', () => {
    expect(refusal(groups('<throttlegroups><throttlegroup><total_bytes_sec>10</total_bytes_sec></throttlegroup></throttlegroups>'))).toMatchObject({ message: 'missing group name', path: 'domain/throttlegroups/throttlegroup[1]/group_name' })
    expect(refusal(groups('<throttlegroups><throttlegroup><group_name></group_name></throttlegroup></throttlegroups>')).message).toBe('missing group name')
    expect(refusal(groups('<throttlegroups><throttlegroup><group_name>a</group_name></throttlegroup><throttlegroup><group_name>a</group_name></throttlegroup></throttlegroups>')).message).toBe("duplicate group name 'a' found")
    // (a limit that does not read before a name that is missing)
    expect(refusal(groups('<throttlegroups><throttlegroup><write_iops_sec>-1</write_iops_sec></throttlegroup></throttlegroups>')).message).toBe("throttle group field 'write_iops_sec' must be an integer")
    expect(refusal(groups('<throttlegroups><throttlegroup><total_bytes_sec>1</total_bytes_sec><read_bytes_sec>1</read_bytes_sec><group_name>a</group_name></throttlegroup></throttlegroups>'))).toMatchObject({ message: 'total and read/write bytes_sec cannot be set at the same time', path: 'domain/throttlegroups/throttlegroup[1]/total_bytes_sec' })
    // (libvirt 9.0 knows no throttle groups: not read, not written)
    expect(predicts(groups('<throttlegroups><throttlegroup><write_iops_sec>-1</write_iops_sec></throttlegroup></throttlegroups>'), { v9: true })).not.toContain('throttle')
  })
  it('writes the limits above 0 as numbers, the name last, the groups of every <throttlegroups> in one', () => {
    const xml = predicts(groups('<throttlegroups><throttlegroup><group_name>a</group_name><total_iops_sec>05</total_iops_sec><read_bytes_sec>0</read_bytes_sec></throttlegroup></throttlegroups><throttlegroups><throttlegroup><group_name>b</group_name></throttlegroup></throttlegroups>'))
    expect(xml).toContain('<throttlegroups>\n    <throttlegroup>\n      <total_iops_sec>5</total_iops_sec>\n      <group_name>a</group_name>\n    </throttlegroup>\n    <throttlegroup>\n      <group_name>b</group_name>\n    </throttlegroup>\n  </throttlegroups>')
    expect(predicts(groups('<throttlegroups/>'))).not.toContain('throttlegroups')
  })
})

describe('memory hot-plug', () => {
  it('libvirt 9.0 needs both the maximum size and the slot count', () => {
    const sizeOnly = dom({ extra: `<maxMemory unit='GiB'>4</maxMemory>${numa(1)}` })
    expect(refusal(sizeOnly, { v9: true })).toMatchObject({ code: 'preview-invalid-value', message: 'both maximum memory size and memory slot count must be specified', path: 'domain/maxMemory' })
    expect(refusal(dom({ extra: `<maxMemory slots='0' unit='GiB'>4</maxMemory>${numa(1)}` }), { v9: true }).message).toBe('both maximum memory size and memory slot count must be specified')
    expect(predicts(sizeOnly)).toMatch(/<maxMemory unit='KiB'>4194304<\/maxMemory>/)
  })

  it('needs a guest NUMA node (but on ppc64) — libvirt 11 adds one itself when it parses with an ABI update, as virsh define does', () => {
    const hotplug = (extra: string) => dom({ extra: `<maxMemory slots='4' unit='GiB'>4</maxMemory>${extra}` })
    expect(refusal(hotplug(''), { v9: true })).toMatchObject({ code: 'preview-refused', message: 'At least one numa node has to be configured when enabling memory hotplug', path: 'domain/maxMemory' })
    expect(predicts(hotplug(''))).toMatch(/<cell id='0' cpus='0' memory='\d+' unit='KiB'\/>/)
    expect(predicts(hotplug(numa(1)))).toMatch(/<maxMemory [^>]*>4194304<\/maxMemory>/)
  })

  const mem = (model: string, node: string | undefined, base?: string, size = 1024) =>
    `<memory model='${model}'><target><size unit='MiB'>${size}</size>${node === undefined ? '' : `<node>${node}</node>`}${model === 'virtio-mem' ? "<block unit='KiB'>2048</block><requested unit='KiB'>0</requested>" : ''}${base ? `<address base='${base}'/>` : ''}</target></memory>`
  const withMems = (mems: string, cells = 1) => dom({ vcpu: 2, extra: `<maxMemory slots='4' unit='GiB'>16</maxMemory>${cells ? numa(cells, 2) : ''}`, devices: mems })

  it("refuses a memory device on a guest NUMA node the domain lacks", () => {
    expect(refusal(withMems(mem('dimm', '1')))).toMatchObject({
      code: 'preview-refused', path: 'domain/devices/memory[1]/target/node',
      message: "can't add memory backend for guest node '1' as the guest has only '1' NUMA nodes configured",
    })
    expect(predicts(withMems(mem('dimm', '1'), 2))).toContain('<node>1</node>')
  })

  it('refuses virtio memory whose guest ranges overlap', () => {
    const two = (second: string) => withMems(mem('virtio-mem', '0', '0x140000000') + mem('virtio-mem', '0', second, 2048))
    expect(refusal(two('0x170000000'))).toMatchObject({
      code: 'preview-refused', path: 'domain/devices/memory[1]/target/address',
      message: 'memory device address [0x140000000:0x180000000] overlaps with other memory device (0x170000000)',
    })
    expect(predicts(two('0x180000000'))).toContain("<address base='0x180000000'/>")
  })
})

describe('CPU caches', () => {
  const cache = (cpu: string, c: string) => dom({ extra: `<cpu ${cpu}><cache ${c}/></cpu>` })
  it("passes the host's through only with a host CPU, emulates only level 3", () => {
    expect(refusal(cache("mode='host-model'", "mode='passthrough'"))).toMatchObject({
      code: 'preview-refused', path: 'domain/cpu/cache', message: "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs",
    })
    expect(refusal(cache("mode='host-passthrough'", "mode='passthrough' level='3'")).message).toBe("unsupported CPU cache level for mode 'passthrough'")
    expect(refusal(cache("mode='custom'", "mode='emulate'")).message).toBe("CPU cache mode 'emulate' can only be used with level='3'")
    expect(predicts(cache("mode='maximum'", "mode='passthrough'"))).toContain("<cache mode='passthrough'/>")
    expect(predicts(cache("mode='custom'", "level='3' mode='emulate'"))).toContain("<cache level='3' mode='emulate'/>")
  })
})

describe('launch security', () => {
  const sev = dom({ extra: "<launchSecurity type='sev'><cbitpos>47</cbitpos><reducedPhysBits>1</reducedPhysBits><policy>0x0003</policy></launchSecurity>" })
  it("refuses SEV when the capabilities say QEMU has no sev-guest: 9.0 in SEV's words, 11.3 naming the type", () => {
    expect(refusal(sev, { v9: true })).toMatchObject({ code: 'preview-refused', message: 'SEV launch security is not supported with this QEMU binary', path: 'domain/launchSecurity' })
    expect(refusal(sev)).toMatchObject({ code: 'preview-refused', message: "'sev' launch security is not supported with this QEMU binary", path: 'domain/launchSecurity' })
    expect(predicts(sev, { caps: capsXml({ flags: ['sev-guest', 'qemu-xhci', 'pcie-root-port'] }) })).toContain("<launchSecurity type='sev'>")
  })

  it("refuses SEV-SNP (libvirt 11) without QEMU's sev-snp-guest, whatever else it has (virQEMUCapsFillDomainLaunchSecurity)", () => {
    const snp = dom({ extra: "<launchSecurity type='sev-snp'><cbitpos>51</cbitpos><reducedPhysBits>1</reducedPhysBits><policy>0x00030000</policy></launchSecurity>" })
    expect(refusal(snp, { caps: capsXml({ flags: ['sev-guest', 'qemu-xhci', 'pcie-root-port'] }) })).toMatchObject({ code: 'preview-refused', message: "'sev-snp' launch security is not supported with this QEMU binary", path: 'domain/launchSecurity' })
    expect(predicts(snp, { caps: capsXml({ flags: ['sev-snp-guest', 'qemu-xhci', 'pcie-root-port'] }) })).toContain("<launchSecurity type='sev-snp'>")
  })
})

describe('pSeries and s390', () => {
  const pseries = (devices: string, extra = '') => dom({ arch: 'ppc64', machine: 'pseries', devices, extra })
  it('have no parallel port', () => {
    expect(refusal(pseries("<parallel type='pty'/>"), { caps: ppcCaps })).toMatchObject({ code: 'preview-refused', message: 'parallel ports are not supported', path: 'domain/devices/parallel[1]' })
    expect(refusal(dom({ arch: 's390x', machine: 's390-ccw-virtio', devices: "<parallel type='pty'/>" }), { caps: s390Caps }).message).toBe('parallel ports are not supported')
    expect(predicts(dom({ machine: 'pc', devices: "<parallel type='pty'/>" }))).toContain("<parallel type='pty'")
  })

  it("keep target index 0 and no NUMA node for the default PHB", () => {
    const phb = (index: number, target: string) => `<controller type='pci' index='${index}' model='pci-root'>${target}</controller>`
    expect(refusal(pseries(phb(0, "<target index='1'/>"), numa(1)), { caps: ppcCaps })).toMatchObject({
      code: 'preview-refused', path: "domain/devices/controller[@type='pci'][@index='0']/target/@index", message: 'Only the PCI controller with index 0 can have target index 0, and vice versa',
    })
    expect(refusal(pseries(phb(0, '') + phb(1, "<target index='0'/>"), numa(1)), { caps: ppcCaps }).message).toBe('Only the PCI controller with index 0 can have target index 0, and vice versa')
    expect(refusal(pseries(phb(0, "<target index='0'><node>0</node></target>"), numa(1)), { caps: ppcCaps })).toMatchObject({
      code: 'preview-refused', message: "The PCI controller with index=0 can't be associated with a NUMA node", path: "domain/devices/controller[@type='pci'][@index='0']/target/node",
    })
    expect(predicts(pseries(phb(0, '') + phb(1, "<target index='1'><node>0</node></target>"), numa(1)), { caps: ppcCaps })).toContain('<node>0</node>')
  })
})

describe('PCI expander buses', () => {
  const pxb = (node: number, model = 'pci-expander-bus', machine = 'pc') =>
    dom({ machine, vcpu: 2, extra: numa(1, 2), devices: `<controller type='pci' index='1' model='${model}'><target busNr='254'><node>${node}</node></target></controller>` })
  it("sit on a guest NUMA node the domain has", () => {
    expect(refusal(pxb(1))).toMatchObject({
      code: 'preview-invalid-value', path: "domain/devices/controller[@type='pci'][@index='1']/target/node",
      message: "pci-expander-bus with index 1 is configured for a NUMA node (1) not present in the domain's <cpu><numa> array (1)",
    })
    expect(refusal(pxb(3, 'pcie-expander-bus', 'q35')).message).toBe("pcie-expander-bus with index 1 is configured for a NUMA node (3) not present in the domain's <cpu><numa> array (1)")
    expect(predicts(pxb(0))).toContain('<node>0</node>')
  })
})

describe('huge pages', () => {
  const pages = (p: string, extra = '') => dom({ vcpu: 2, extra: `<memoryBacking><hugepages>${p}</hugepages></memoryBacking>${extra}` })
  const page = (size: string, nodeset?: string) => `<page size='${size}' unit='KiB'${nodeset === undefined ? '' : ` nodeset='${nodeset}'`}/>`
  it("name guest NUMA nodes the domain has (node 0 alone when it has none)", () => {
    expect(refusal(pages(page('2048', '1')))).toMatchObject({ code: 'preview-invalid-value', message: 'hugepages: node 1 not found', path: 'domain/memoryBacking/hugepages/page[1]/@nodeset' })
    expect(refusal(pages(page('2048', '0,1'))).message).toBe('hugepages: node 0 not found')
    expect(refusal(pages(page('2048', '1,4'), numa(2))).message).toBe('hugepages: node 4 not found')
    expect(predicts(pages(page('2048', '0')))).toContain("<page size='2048' unit='KiB'")
    expect(predicts(pages(page('2048', '1'), numa(2)))).toContain("nodeset='1'")
  })

  it('one size without a node set, node sets that do not intersect', () => {
    expect(refusal(pages(page('2048') + page('1048576')))).toMatchObject({ code: 'preview-invalid-value', message: 'two master hugepages detected: 1048576 and 2048', path: 'domain/memoryBacking/hugepages/page[2]' })
    expect(refusal(pages(page('2048', '0') + page('1048576', '0-1'), numa(2))).message).toBe('nodeset attribute of hugepages of sizes 1048576 and 2048 intersect')
    expect(predicts(pages(page('2048', '0') + page('1048576', '1'), numa(2)))).toContain("nodeset='1'")
  })
})

describe('firmware, loader and NVRAM', () => {
  const code = '/usr/share/OVMF/OVMF_CODE.fd'
  const vars = '/var/lib/libvirt/qemu/nvram/t_VARS.fd'
  const fw = (os: string, firmware?: string, machine = 'q35') => dom({ machine, os, osAttrs: firmware ? `firmware='${firmware}'` : '', extra: '<features><acpi/></features>' })

  it('a manual loader needs a path, and NVRAM only with a pflash one that is not stateless', () => {
    expect(refusal(fw("<loader readonly='yes' type='pflash'/>"))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: 'no loader path specified and firmware auto selection disabled', path: 'domain/os/loader' })
    expect(refusal(fw(`<nvram>${vars}</nvram>`)).message).toBe('no loader path specified and firmware auto selection disabled')
    expect(refusal(fw(`<loader stateless='no'>${code}</loader>`, undefined, 'pc'))).toMatchObject({ message: 'Only pflash loader type permits NVRAM', path: 'domain/os/loader/@stateless' })
    expect(refusal(fw(`<loader stateless='yes' readonly='yes' type='pflash'>${code}</loader><nvram>${vars}</nvram>`)).message).toBe('NVRAM is not permitted when loader is stateless')
    expect(refusal(fw(`<loader stateless='yes' readonly='yes' type='pflash'>${code}</loader><nvram template='/usr/share/OVMF/OVMF_VARS.fd'/>`))).toMatchObject({ message: 'NVRAM template is not permitted when loader is stateless', path: 'domain/os/nvram/@template' })
    expect(refusal(fw("<firmware><feature enabled='yes' name='secure-boot'/></firmware>")).message).toBe('cannot use feature-based firmware autoselection when firmware autoselection is disabled')
    expect(predicts(fw(`<loader readonly='yes' type='pflash' stateless='no'>${code}</loader><nvram>${vars}</nvram>`))).toContain(`${vars}</nvram>`)
    expect(predicts(fw(`<loader stateless='yes' type='pflash'>${code}</loader>`))).toContain("stateless='yes'")
  })

  it('autoselected firmware: NVRAM only with EFI, no enrolled keys without secure boot', () => {
    expect(refusal(fw("<loader stateless='no'/>", 'bios'))).toMatchObject({ code: 'preview-invalid-value', message: 'Only EFI firmware permits NVRAM', path: 'domain/os/loader/@stateless' })
    expect(refusal(fw(`<nvram>${vars}</nvram>`, 'bios'))).toMatchObject({ message: "firmware type 'bios' does not support nvram", path: 'domain/os/nvram' })
    expect(refusal(fw("<firmware><feature enabled='yes' name='enrolled-keys'/><feature enabled='no' name='secure-boot'/></firmware>", 'efi')).message)
      .toBe("firmware feature 'enrolled-keys' cannot be enabled when firmware feature 'secure-boot' is disabled")
    // (no firmware descriptors given: the selection itself is listed as not predicted)
    expect(predicts(fw("<loader stateless='no'/>", 'efi'))).toContain("firmware='efi'")
  })

  it('libvirt 9.0 takes no manual loader settings with autoselection (11.3 does)', () => {
    const v9 = { v9: true }
    expect(refusal(fw("<loader readonly='no' type='pflash'/>", 'efi'), v9)).toMatchObject({ message: "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled", path: 'domain/os/loader/@readonly' })
    expect(refusal(fw(`<loader>${code}</loader>`, 'efi'), v9).message).toBe("loader attribute 'type' cannot be specified when firmware autoselection is enabled")
    expect(refusal(fw("<nvram template='/x/VARS.fd'/>", 'efi'), v9).message).toBe("nvram attribute 'template' cannot be specified when firmware autoselection is enabled")
    expect(refusal(fw("<loader secure='no'/>", 'efi'), v9).message).toBe("loader attribute 'secure' cannot be specified when firmware autoselection is enabled")
    expect(refusal(fw(`<loader stateless='yes'/><nvram>${vars}</nvram>`, 'efi'), v9).message).toBe('NVRAM is not permitted when loader is stateless')
    expect(predicts(fw("<loader secure='yes' stateless='no'/>", 'efi'), v9)).toContain("firmware='efi'")
    expect(predicts(fw("<loader readonly='yes' type='pflash'/>", 'efi'))).toContain("firmware='efi'")
  })

  it('on aarch64, ACPI needs UEFI', () => {
    const arm = (os: string, osAttrs = '') => dom({ arch: 'aarch64', machine: 'virt', os, osAttrs, extra: '<features><acpi/></features>' })
    expect(refusal(arm(''), { caps: armCaps })).toMatchObject({ code: 'preview-refused', message: 'ACPI requires UEFI on this architecture', path: 'domain/features/acpi' })
    expect(refusal(arm("<loader type='rom'>/usr/share/AAVMF/AAVMF_CODE.fd</loader>"), { caps: armCaps }).message).toBe('ACPI requires UEFI on this architecture')
    expect(refusal(arm('<loader>/usr/share/AAVMF/AAVMF_CODE.fd</loader>'), { caps: armCaps, v9: true }).message).toBe('ACPI requires UEFI on this architecture')
    expect(predicts(arm("<loader readonly='yes' type='pflash'>/usr/share/AAVMF/AAVMF_CODE.fd</loader>"), { caps: armCaps })).toContain('<acpi/>')
  })
})

describe('boot, lifecycle, CPU tuning and topology', () => {
  it('reads the boot menu timeout (when the menu is on) and the reboot timeout as integers, in range', () => {
    const boot = (os: string) => dom({ os })
    expect(refusal(boot("<bootmenu enable='yes' timeout='abc'/>"))).toMatchObject({ code: 'preview-invalid-value', path: 'domain/os/bootmenu/@timeout', message: "Invalid value for attribute 'timeout' in element 'bootmenu': 'abc'. Expected non-negative integer value" })
    expect(refusal(boot("<bootmenu enable='yes' timeout='70000'/>"))).toMatchObject({ code: 'preview-refused', message: 'invalid value for boot menu timeout, must be in range [0,65535]' })
    expect(refusal(boot("<bios rebootTimeout='x'/>")).message).toBe("Invalid value for attribute 'rebootTimeout' in element 'bios': 'x'. Expected integer value")
    expect(refusal(boot("<bios rebootTimeout='-2'/>"))).toMatchObject({ code: 'preview-refused', message: 'invalid value for rebootTimeout, must be in range [-1,65535]', path: 'domain/os/bios/@rebootTimeout' })
    expect(predicts(boot("<bootmenu enable='yes' timeout='65535'/><bios rebootTimeout='-1'/>"))).toContain("rebootTimeout='-1'")
    expect(predicts(boot("<bootmenu enable='no' timeout='70000'/>"))).toContain("<bootmenu enable='no'")
  })

  it('takes a core dump only on a crash', () => {
    expect(refusal(dom({ extra: '<on_reboot>coredump-restart</on_reboot>' }))).toMatchObject({ code: 'preview-refused', message: "Lifecycle event 'reboot' doesn't support 'coredump-restart' action", path: 'domain/on_reboot' })
    expect(refusal(dom({ extra: '<on_poweroff>coredump-destroy</on_poweroff>' })).message).toBe("Lifecycle event 'poweroff' doesn't support 'coredump-destroy' action")
    expect(predicts(dom({ extra: '<on_crash>coredump-destroy</on_crash>' }))).toContain('<on_crash>coredump-destroy</on_crash>')
  })

  it('bounds CPU periods and quotas (and, in 9.0, the shares)', () => {
    const tune = (t: string) => dom({ extra: `<cputune>${t}</cputune>` })
    expect(refusal(tune('<period>100</period>'))).toMatchObject({ code: 'preview-refused', message: "Value of cputune 'period' must be in range [1000, 1000000]", path: 'domain/cputune/period' })
    expect(refusal(tune('<emulator_quota>999</emulator_quota>')).message).toBe("Value of cputune 'emulator_quota' must be in range [1000, 17592186044415]")
    expect(refusal(tune('<shares>1</shares>'), { v9: true }).message).toBe("Value of cputune 'shares' must be in range [2, 262144]")
    expect(predicts(tune('<shares>1</shares>'))).toContain('<shares>1</shares>')
    expect(predicts(tune('<period>1000</period><quota>-1</quota>'))).toContain('<quota>-1</quota>')
  })

  it('needs a topology that makes the vCPU count (9.0 ignores clusters)', () => {
    const topo = (t: string, vcpu: number) => dom({ vcpu, extra: `<cpu><topology ${t}/></cpu>` })
    expect(refusal(topo("sockets='2' cores='2' threads='1'", 2))).toMatchObject({ code: 'preview-refused', message: "CPU topology doesn't match maximum vcpu count", path: 'domain/cpu/topology' })
    expect(refusal(topo("sockets='1' dies='1' clusters='2' cores='2' threads='2'", 8), { v9: true }).message).toBe("CPU topology doesn't match maximum vcpu count")
    expect(predicts(topo("sockets='1' dies='1' clusters='2' cores='2' threads='2'", 8))).toContain("clusters='2'")
    expect(predicts(topo("sockets='2' dies='2' cores='1' threads='1'", 4))).toContain("dies='2'")
  })

  it('memory devices need memory hot-plug', () => {
    expect(refusal(dom({ extra: numa(1), devices: "<memory model='dimm'><target><size unit='MiB'>128</size><node>0</node></target></memory>" }))).toMatchObject({
      code: 'preview-refused', message: "cannot use/hotplug a memory device when domain 'maxMemory' is not defined", path: 'domain/devices/memory[1]',
    })
  })
})

describe('features per architecture and machine, clock timers, SMBIOS UUID, memory sizes', () => {
  it("refuses a feature the architecture or machine does not have, in libvirt's feature order", () => {
    expect(refusal(dom({ extra: "<features><acpi/><gic version='3'/><hpt resizing='enabled'/></features>" }))).toEqual({
      name: 'PreviewError', code: 'preview-refused', path: 'domain/features/gic',
      message: "The 'gic' feature is not supported for architecture 'x86_64' or machine type 'pc-q35-9.9'",
    })
    expect(refusal(dom({ extra: "<features><htm state='on'/></features>" })).message).toBe("The 'htm' feature is not supported for architecture 'x86_64' or machine type 'pc-q35-9.9'")
    // libvirt 11: VMware's port needs the i8042 controller (libvirt's test data: machine-i8042-off-vmport-on)
    expect(refusal(dom({ extra: "<features><vmport state='on'/><ps2 state='off'/></features>" }))).toMatchObject({ code: 'preview-refused', message: 'vmport feature requires the ps2 feature not to be disabled', path: 'domain/features/vmport/@state' })
    expect(predicts(dom({ extra: "<features><vmport state='off'/><ps2 state='off'/></features>" }))).toContain("<ps2 state='off'/>")
    const arm = (f: string) => dom({ arch: 'aarch64', machine: 'virt', extra: `<features>${f}</features>` })
    expect(refusal(arm("<pvspinlock state='on'/>"), { caps: armCaps }).message).toBe("The 'pvspinlock' feature is not supported for architecture 'aarch64' or machine type 'virt-9.9'")
    expect(refusal(arm("<ioapic driver='kvm'/>"), { caps: armCaps }).message).toBe("The 'ioapic' feature is not supported for architecture 'aarch64' or machine type 'virt-9.9'")
    expect(refusal(arm("<apic eoi='on'/>"), { caps: armCaps }).message).toBe("The 'eoi' attribute of the 'apic' feature is not supported for architecture 'aarch64' or machine type 'virt-9.9'")
    expect(refusal(dom({ arch: 's390x', machine: 's390-ccw-virtio', extra: "<features><hyperv><relaxed state='on'/></hyperv></features>" }), { caps: s390Caps }).message)
      .toBe("Hyperv features are not supported for architecture 's390x' or machine type 's390-ccw-virtio-9.9'")
    expect(refusal(dom({ arch: 'ppc64', machine: 'pseries', extra: "<features><pmu state='off'/></features>" }), { caps: ppcCaps })).toMatchObject({ message: "PMU is always enabled for architecture 'ppc64'", path: 'domain/features/pmu/@state' })
    expect(predicts(arm("<gic version='3'/>"), { caps: armCaps })).toContain("<gic version='3'/>")
    expect(predicts(dom({ extra: "<features><acpi/><apic eoi='on'/><pvspinlock state='off'/><pmu state='off'/></features>" }))).toContain("<apic eoi='on'/>")
  })

  it('has no platform timer, and an RTC that neither merges nor discards ticks', () => {
    const clock = (t: string) => dom({ extra: `<clock offset='utc'>${t}</clock>` })
    expect(refusal(clock("<timer name='platform' present='no'/>"))).toMatchObject({ code: 'preview-refused', message: "unsupported timer type (name) 'platform'", path: "domain/clock/timer[@name='platform']" })
    expect(refusal(clock("<timer name='rtc' tickpolicy='merge'/>")).message).toBe("unsupported rtc timer tickpolicy 'merge'")
    expect(predicts(clock("<timer name='rtc' tickpolicy='catchup'/>"))).toContain("tickpolicy='catchup'")
  })

  it("takes an SMBIOS system UUID only when it is the domain's", () => {
    const uuid = 'c7a5fdbd-edaf-9455-926a-d65c16db1809'
    const withUuid = (system: string) => dom({ extra: `<uuid>${uuid}</uuid><sysinfo type='smbios'><system><entry name='uuid'>${system}</entry></system></sysinfo>` })
    expect(refusal(withUuid('c7a5fdbd-edaf-9455-926a-d65c16db1800'))).toMatchObject({ code: 'preview-invalid-value', message: 'UUID mismatch between <uuid> and <sysinfo>', path: "domain/sysinfo/system/entry[@name='uuid']" })
    expect(predicts(withUuid(uuid.toUpperCase().replace(/-/g, '')))).toContain(`<uuid>${uuid}</uuid>`)
  })

  it('keeps memory devices within the memory, and the hot-plug maximum above the total', () => {
    expect(refusal(dom({ vcpu: 2, extra: `<maxMemory slots='2' unit='MiB'>512</maxMemory>${numa(1, 2)}` }))).toMatchObject({
      code: 'preview-invalid-value', message: 'maximum memory size must be equal or greater than the actual memory size', path: 'domain/maxMemory',
    })
    const dimm = "<memory model='dimm'><target><size unit='MiB'>2048</size></target></memory>"
    expect(refusal(dom({ extra: "<maxMemory slots='2' unit='GiB'>8</maxMemory>", devices: dimm })).message).toBe('Total size of memory devices exceeds the total memory size')
    expect(predicts(dom({ vcpu: 2, extra: `<maxMemory slots='2' unit='MiB'>1024</maxMemory>${numa(1, 2)}` }))).toContain('maxMemory')
  })
})

describe('DIMM slots', () => {
  const dimm = (address = '', node = '<node>0</node>') => `<memory model='dimm'><target><size unit='MiB'>128</size>${node}</target>${address}</memory>`
  const slotted = (slots: number, mems: string, v9 = false) => refusal(dom({ vcpu: 2, extra: `<maxMemory slots='${slots}' unit='GiB'>4</maxMemory>${numa(1, 2)}`, devices: mems }), { v9 })
  const fits = (slots: number, mems: string) => predicts(dom({ vcpu: 2, extra: `<maxMemory slots='${slots}' unit='GiB'>4</maxMemory>${numa(1, 2)}`, devices: mems }))
  it('gives the DIMMs without a slot the free ones, and refuses when there are none left', () => {
    expect(slotted(2, dimm() + dimm("<address type='dimm' slot='0'/>") + dimm())).toMatchObject({ code: 'preview-refused', message: 'failed to find an empty memory slot', path: 'domain/devices/memory[3]' })
    // (11.3 checks each DIMM's slot before counting them — qemuDomainDefValidateMemoryHotplug, seen on libvirtd 11.3; 9.0 counts first)
    expect(slotted(1, dimm("<address type='dimm' slot='0'/>") + dimm("<address type='dimm' slot='1'/>"))).toMatchObject({ message: "memory device slot '1' exceeds slots count '1'", path: 'domain/devices/memory[2]/address/@slot' })
    expect(slotted(1, dimm("<address type='dimm' slot='0'/>") + dimm("<address type='dimm' slot='1'/>"), true)).toMatchObject({ message: "memory device count '2' exceeds slots count '1'", path: 'domain/maxMemory/@slots' })
    expect(fits(2, dimm() + dimm("<address type='dimm' slot='1'/>"))).toContain("slot='1'")
  })

  it('refuses a slot out of range or taken, a base taken, and a DIMM without a node when the guest has NUMA', () => {
    expect(slotted(2, dimm("<address type='dimm' slot='2'/>")).message).toBe("memory device slot '2' exceeds slots count '2'")
    expect(slotted(2, dimm("<address type='dimm' slot='1'/>") + dimm("<address type='dimm' slot='1'/>")).message).toBe("memory device slot '1' is already being used by another memory device")
    // (11.3: their ranges overlap — virDomainMemoryDefCheckConflict, seen on libvirtd 11.3; 9.0: the base is taken)
    expect(slotted(2, dimm("<address type='dimm' slot='0' base='0x100000000'/>") + dimm("<address type='dimm' slot='1' base='0x100000000'/>")).message)
      .toBe('memory device address [0x100000000:0x108000000] overlaps with other memory device (0x100000000)')
    expect(slotted(2, dimm("<address type='dimm' slot='0' base='0x100000000'/>") + dimm("<address type='dimm' slot='1' base='0x100000000'/>"), true).message)
      .toBe("memory device base '0x100000000' is already being used by another memory device")
    expect(slotted(2, dimm('', ''))).toMatchObject({ message: 'target NUMA node needs to be specified for memory device', path: 'domain/devices/memory[1]/target' })
  })
})

describe('guest NUMA (numa_conf.c)', () => {
  const cell = (id: number, cpus: string | undefined, inner = '') => `<cell id='${id}'${cpus === undefined ? '' : ` cpus='${cpus}'`} memory='512' unit='MiB'${inner ? `>${inner}</cell>` : '/>'}`
  const guest = (numa: string, extra = '') => dom({ vcpu: 2, extra: `<cpu><numa>${numa}</numa></cpu>${extra}` })
  it('cells with vCPUs of their own, distances to cells that exist', () => {
    expect(refusal(guest(cell(0, '0-1') + cell(1, '1')))).toMatchObject({ code: 'preview-invalid-value', message: 'NUMA cells 1 and 0 have overlapping vCPU ids', path: 'domain/cpu/numa/cell[2]/@cpus' })
    expect(refusal(dom({ extra: '<cpu><numa/></cpu>' })).message).toBe('NUMA topology defined without NUMA cells')
    const dist = (s: string) => guest(cell(0, '0', `<distances>${s}</distances>`) + cell(1, '1'))
    expect(refusal(dist("<sibling id='0' value='10'/><sibling id='5' value='20'/>"))).toMatchObject({ message: "'sibling_id 5' does not refer to a valid cell within NUMA 'cell id 0'", path: 'domain/cpu/numa/cell[1]/distances/sibling[2]/@id' })
    expect(refusal(dist("<sibling id='0' value='15'/>")).message).toBe("'value 15' is invalid for 'sibling id 0' under NUMA 'cell id 0'")
    expect(refusal(dist("<sibling id='1' value='10'/>")).message).toBe("'value 10' is invalid for 'sibling id 1' under NUMA 'cell id 0'")
    expect(refusal(dist("<sibling id='1' value='256'/>")).message).toBe("'value 256' is invalid for 'sibling id 1' under NUMA 'cell id 0'")
    expect(refusal(dist('')).message).toBe('NUMA distances defined without siblings')
    expect(predicts(dist("<sibling id='0' value='10'/><sibling id='1' value='255'/>"))).toContain("<sibling id='1' value='255'/>")
  })

  it('<numatune>: once, known modes, a node set for static placement, memnodes on cells that exist', () => {
    const two = cell(0, '0') + cell(1, '1')
    expect(refusal(guest(two, "<numatune><memory mode='strict'/></numatune>"))).toMatchObject({ message: "nodeset for NUMA memory tuning must be set if 'placement' is 'static'", path: 'domain/numatune/memory' })
    expect(refusal(guest(two, "<numatune><memory mode='bogus' nodeset='0'/></numatune>")).message).toBe("Unsupported NUMA memory tuning mode 'bogus'")
    expect(refusal(guest(two, "<numatune><memory mode='strict' nodeset='0'/></numatune><numatune/>")).message).toBe('only one numatune is supported')
    expect(refusal(guest(two, "<numatune><memnode cellid='5' mode='strict' nodeset='0'/></numatune>"))).toMatchObject({ message: "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell", path: 'domain/numatune/memnode[1]/@cellid' })
    expect(refusal(guest(two, "<numatune><memnode cellid='0' nodeset='0'/><memnode cellid='0' nodeset='0'/></numatune>")).message).toBe('Multiple memnode elements with cellid 0')
    expect(refusal(guest(two, "<numatune><memnode cellid='0'/></numatune>")).message).toBe('Missing required nodeset attribute in memnode element')
    expect(refusal(guest(two, "<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='strict' nodeset='0'/></numatune>")).message)
      .toBe("'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element")
    expect(predicts(guest(two, "<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>"))).toContain("<memnode cellid='0' mode='restrictive' nodeset='0'/>")
    // (11.3: no <memory> is strict's mode, refused beside a restrictive memnode — seen on libvirtd 11.3)
    expect(refusal(guest(two, "<numatune><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>")).message).toBe("'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element")
    // (9.0 checks it one way only; 11.3 both, a domain without <memory> taken as strict: libvirt11-domain.test.ts)
    expect(predicts(guest(two, "<numatune><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>"), { v9: true })).toContain("mode='restrictive'")
    expect(predicts(dom({ extra: "<numatune><memory mode='strict'/></numatune>" }).replace('<vcpu>', "<vcpu placement='auto'>"))).toContain('<numatune>')
  })

  it('cache levels up to 3, once each; interconnects between nodes that exist', () => {
    const cache = (level: number) => `<cache level='${level}' associativity='direct' policy='writeback'><size value='10' unit='KiB'/><line value='8' unit='B'/></cache>`
    expect(refusal(guest(cell(0, '0', cache(4)) + cell(1, '1')))).toMatchObject({ message: "Ain't nobody heard of that much cache level" })
    expect(refusal(guest(cell(0, '0', cache(1) + cache(1)) + cell(1, '1'))).message).toBe("Cache level '1' already defined")
    const link = (l: string, cells = cell(0, '0') + cell(1, '1')) => guest(`${cells}<interconnects>${l}</interconnects>`)
    expect(refusal(link("<latency initiator='0' target='2' type='access' value='5'/>"))).toMatchObject({ message: "'target' refers to a non-existent NUMA node", path: 'domain/cpu/numa/interconnects/latency/@target' })
    expect(refusal(link("<latency initiator='1' target='0' type='access' value='5'/>", cell(0, '0-1') + cell(1, undefined))).message).toBe("NUMA nodes without CPUs can't be initiator")
    expect(refusal(link("<latency initiator='0' target='1' type='access' value='5'/><latency initiator='1' target='0' type='access' value='5'/>")).message).toBe('Link already defined')
    expect(refusal(link("<latency initiator='0' target='1' cache='1' type='access' value='5'/>")).message).toBe("'cache' refers to a non-existent NUMA node cache")
    expect(predicts(link("<latency initiator='0' target='1' type='access' value='5'/><bandwidth initiator='0' target='1' type='access' value='204800' unit='KiB'/>"))).toContain('<interconnects>')
  })
})

describe('vCPUs, I/O threads, pinning, CPU features, blkio', () => {
  it('no more current vCPUs than the maximum', () => {
    expect(refusal(dom({ vcpu: 2 }).replace('<vcpu>', "<vcpu current='4'>"))).toMatchObject({ code: 'preview-refused', message: 'maximum vCPU count must not be less than current vCPU count', path: 'domain/vcpu/@current' })
    expect(predicts(dom({ vcpu: 2 }).replace('<vcpu>', "<vcpu current='1'>"))).toContain("current='1'")
  })

  it('I/O thread ids: given, nonzero, once each', () => {
    const ids = (t: string) => dom({ extra: `<iothreads>2</iothreads><iothreadids>${t}</iothreadids>` })
    expect(refusal(ids("<iothread id='1'/><iothread id='1'/>"))).toMatchObject({ code: 'preview-invalid-value', message: "duplicate iothread id '1' found", path: 'domain/iothreadids/iothread[2]' })
    expect(refusal(ids("<iothread id='0'/>")).message).toBe("Invalid value for attribute 'id' in element 'iothread': Zero is not permitted")
    expect(refusal(ids('<iothread/>')).message).toBe("Missing required attribute 'id' in element 'iothread'")
    expect(refusal(ids("<iothread id='x'/>")).message).toBe("Invalid value for attribute 'id' in element 'iothread': 'x'. Expected non-negative integer value")
    expect(predicts(ids("<iothread id='5'/>"))).toContain("<iothread id='5'/>")
  })

  it('one emulator pinning, one pinning per vCPU, pinnings of I/O threads the domain has', () => {
    const tune = (t: string, extra = '') => dom({ vcpu: 2, extra: `${extra}<cputune>${t}</cputune>` })
    expect(refusal(tune("<emulatorpin cpuset='0'/><emulatorpin cpuset='1'/>"))).toMatchObject({ code: 'preview-invalid-value', message: 'only one emulatorpin is supported' })
    expect(refusal(tune("<vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='0' cpuset='1'/>")).message).toBe("duplicate vcpupin for vcpu '0'")
    const threads = "<iothreads>2</iothreads><iothreadids><iothread id='5'/></iothreadids>"
    expect(refusal(tune("<iothreadpin iothread='2' cpuset='0'/>", threads))).toMatchObject({ code: 'preview-refused', message: "Cannot find 'iothread' : 2", path: "domain/cputune/iothreadpin[@iothread='2']" })
    expect(predicts(tune("<iothreadpin iothread='1' cpuset='0'/><iothreadpin iothread='5' cpuset='1'/>", threads))).toContain("<iothreadpin iothread='5' cpuset='1'/>")
    // a scheduler's set, thread by thread, after the pins (checked on libvirtd 9.0: the same words)
    expect(refusal(tune("<iothreadsched iothreads='1' scheduler='batch'/><iothreadsched iothreads='2' scheduler='fifo' priority='1'/>", '<iothreads>1</iothreads>'))).toMatchObject({
      code: 'preview-refused', message: "Cannot find 'iothread' : 2", path: 'domain/cputune/iothreadsched[2]',
    })
    expect(refusal(tune("<iothreadsched iothreads='4-9,^6' scheduler='batch'/>", threads)).message).toBe("Cannot find 'iothread' : 4")
    expect(refusal(tune("<iothreadpin iothread='3' cpuset='0'/><iothreadsched iothreads='3' scheduler='batch'/>", threads)).path).toBe("domain/cputune/iothreadpin[@iothread='3']")
    expect(predicts(tune("<iothreadsched iothreads='1,5' scheduler='batch'/>", threads))).toContain("<iothreadsched iothreads='5' scheduler='batch'/>")
  })

  it("host CPU sets read as libvirt's bitmaps and written back in libvirt's form (each case as libvirtd 9.0 answered)", () => {
    const vcpu = (attrs: string, extra = '') => dom({ vcpu: 2, extra }).replace('<vcpu>', `<vcpu ${attrs}>`)
    const cpuset = (set: string) => vcpu(`cpuset='${set}'`)
    for (const bad of ['aaa', '', ' ', ',1', '1,,2', '^1-3', '3-1', '2147483648', '16384', '0,^16384']) {
      expect(refusal(cpuset(bad))).toEqual({ name: 'PreviewError', code: 'preview-invalid-value', message: `Failed to parse bitmap '${bad}'`, path: 'domain/vcpu/@cpuset' })
    }
    expect(refusal(cpuset('^1'))).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value of 'cpuset': ^1", path: 'domain/vcpu/@cpuset' })
    const written = (set: string) => /<vcpu [^>]*>/.exec(predicts(cpuset(set)))![0]
    expect(written('1-4,^3,6')).toBe("<vcpu placement='static' cpuset='1-2,4,6'>")
    expect(written('0-3, ^1 ,5')).toBe("<vcpu placement='static' cpuset='0,2-3,5'>")
    expect(written('1 - 3')).toBe("<vcpu placement='static' cpuset='1-3'>")
    expect(written('01-03')).toBe("<vcpu placement='static' cpuset='1-3'>")
    expect(written('1,')).toBe("<vcpu placement='static' cpuset='1'>")
    expect(written('16383')).toBe("<vcpu placement='static' cpuset='16383'>")
    // automatic placement: the set is not read; automatic memory placement leaves vCPUs that name their CPUs static
    expect(predicts(vcpu("placement='auto' cpuset='aaa'"))).toContain("<vcpu placement='auto'>2</vcpu>")
    const autoMemory = predicts(vcpu("cpuset='1-2'", "<numatune><memory mode='strict' placement='auto'/></numatune>"))
    expect(autoMemory).toContain("<vcpu placement='static' cpuset='1-2'>2</vcpu>")
    expect(autoMemory).toContain("<memory mode='strict' placement='auto'/>")
    // the pinnings' sets, the same way
    const tune = (t: string) => dom({ vcpu: 2, extra: `<iothreads>1</iothreads><cputune>${t}</cputune>` })
    expect(refusal(tune("<vcpupin vcpu='0' cpuset='0,^0'/>"))).toMatchObject({ code: 'preview-invalid-value', message: "Invalid value of 'cpuset': 0,^0", path: "domain/cputune/vcpupin[@vcpu='0']/@cpuset" })
    expect(refusal(tune("<emulatorpin cpuset='0,^0'/>")).path).toBe('domain/cputune/emulatorpin/@cpuset')
    expect(refusal(tune("<iothreadpin iothread='1' cpuset='100000'/>"))).toMatchObject({ message: "Failed to parse bitmap '100000'", path: "domain/cputune/iothreadpin[@iothread='1']/@cpuset" })
    const pinned = predicts(tune("<vcpupin vcpu='0' cpuset='1-3,^2'/><emulatorpin cpuset='1-3,^2'/><iothreadpin iothread='1' cpuset='1-3,^2'/>"))
    expect(pinned).toContain("<vcpupin vcpu='0' cpuset='1,3'/>")
    expect(pinned).toContain("<emulatorpin cpuset='1,3'/>")
    expect(pinned).toContain("<iothreadpin iothread='1' cpuset='1,3'/>")
  })

  it('CPU features only with a model (or a host CPU mode)', () => {
    expect(refusal(dom({ extra: "<cpu><feature policy='require' name='vmx'/></cpu>" }))).toMatchObject({ code: 'preview-invalid-value', message: 'Non-empty feature list specified without CPU model', path: 'domain/cpu/feature' })
    expect(predicts(dom({ extra: "<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>" }))).toContain("name='vmx'")
  })

  it('one blkio tuning per device path', () => {
    const blkio = (a: string, b: string) => dom({ extra: `<blkiotune><device><path>${a}</path><weight>100</weight></device><device><path>${b}</path><weight>200</weight></device></blkiotune>` })
    expect(refusal(blkio('/dev/sda', '/dev/sda'))).toMatchObject({ code: 'preview-refused', message: "duplicate blkio device path '/dev/sda'" })
    expect(predicts(blkio('/dev/sda', '/dev/sdb'))).toContain('/dev/sdb')
  })
})

describe('qemuValidateDomainDef: ACPI, UEFI, genid, BIOS serial, lifecycle, power management, cache tuning, huge page backing', () => {
  it("refuses ACPI on a machine whose capabilities say it has none (libvirt 11; s390x drops it from a definition read without an ABI update)", () => {
    const caps = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' acpi='no'/>" })
    const xml = dom({ arch: 's390x', machine: 's390-ccw-virtio', extra: '<features><acpi/></features>' })
    expect(refusal(xml, { caps })).toMatchObject({ code: 'preview-refused', message: "machine type 's390-ccw-virtio-9.9' does not support ACPI", path: 'domain/features/acpi' })
    expect(previewDomain(xml, { qemuCaps: caps, abiUpdate: false }).xml).not.toContain('<acpi/>')
  })

  it('refuses min_guarantee, UEFI without ACPI on x86, genid without vmgenid', () => {
    expect(refusal(dom({ extra: "<memtune><min_guarantee unit='MiB'>100</min_guarantee></memtune>" }))).toMatchObject({ message: "Parameter 'min_guarantee' not supported by QEMU.", path: 'domain/memtune/min_guarantee' })
    expect(refusal(dom({ os: "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>" }))).toMatchObject({ message: 'UEFI requires ACPI on this architecture' })
    expect(refusal(dom({ osAttrs: "firmware='efi'" }), { v9: true }).message).toBe('UEFI requires ACPI on this architecture')
    expect(refusal(dom({ extra: '<genid/>' })).message).toBe("this QEMU does not support the 'genid' capability")
    expect(predicts(dom({ extra: '<genid/>' }), { caps: capsXml({ flags: ['vmgenid', 'qemu-xhci', 'pcie-root-port'] }) })).toContain('<genid')
  })

  it('the BIOS serial console: x86 only, and a serial port (a console makes one)', () => {
    expect(refusal(dom({ os: "<bios useserial='yes'/>" }))).toMatchObject({ message: 'need at least one serial port to use BIOS serial output', path: 'domain/os/bios/@useserial' })
    expect(refusal(dom({ arch: 'aarch64', machine: 'virt', os: "<bios useserial='yes'/>" }), { caps: armCaps }).message).toBe('BIOS serial console only supported on x86 architectures')
    expect(predicts(dom({ os: "<bios useserial='yes'/>", devices: "<console type='pty'/>" }))).toContain("useserial='yes'")
  })

  it('lifecycle actions the QEMU driver has', () => {
    expect(refusal(dom({ extra: '<on_poweroff>preserve</on_poweroff>' })).message).toBe("qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'")
    expect(refusal(dom({ extra: '<on_crash>rename-restart</on_crash>' })).message).toBe("qemu driver doesn't support the 'rename-restart' action for 'on_reboot'/'on_poweroff'/'on_crash'")
    expect(refusal(dom({ extra: '<on_poweroff>restart</on_poweroff><on_reboot>destroy</on_reboot>' })).message).toBe("qemu driver doesn't support 'onReboot' set to 'destroy and 'onPoweroff' set to 'reboot'")
    expect(predicts(dom({ extra: '<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>preserve</on_crash>' }))).toContain('<on_crash>preserve</on_crash>')
  })

  it('ACPI S3/S4 settings only on x86 (9.0 words them one at a time), cache tuning only with KVM', () => {
    const pm = (p: string) => dom({ arch: 'aarch64', machine: 'virt', extra: `<pm>${p}</pm>` })
    expect(refusal(pm("<suspend-to-mem enabled='no'/>"), { caps: armCaps }).message).toBe('setting ACPI S3/S4 not supported')
    expect(refusal(pm("<suspend-to-disk enabled='yes'/>"), { caps: armCaps, v9: true }).message).toBe('setting ACPI S4 not supported')
    expect(predicts(dom({ extra: "<pm><suspend-to-mem enabled='no'/></pm>" }))).toContain("<suspend-to-mem enabled='no'/>")
    expect(refusal(dom({ extra: "<cputune><cachetune vcpus='0'><cache id='0' level='3' type='both' size='1' unit='MiB'/></cachetune></cputune>" })).message).toBe('cachetune is only supported for KVM domains')
  })

  it('huge pages are preallocated file-backed memory', () => {
    const backing = (b: string) => dom({ extra: `<memoryBacking><hugepages/>${b}</memoryBacking>` })
    expect(refusal(backing("<allocation mode='ondemand'/>"))).toMatchObject({ message: 'hugepages are not allowed with memory allocation ondemand', path: 'domain/memoryBacking/allocation/@mode' })
    expect(refusal(backing("<source type='anonymous'/>")).message).toBe('hugepages are not allowed with anonymous memory source')
    expect(predicts(backing("<allocation mode='immediate'/>"))).toContain('<hugepages/>')
  })
})

describe('secure boot (qemuValidateDomainDefBoot; libvirtd 9.0\'s words, found by the differential search)', () => {
  const secure = (machine: string, features: string, firmware = '') => `<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu>
    <os${firmware}><type arch='x86_64' machine='${machine}'>hvm</type><loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader></os>
    <features><acpi/>${features}</features><devices/></domain>`
  it('is q35\'s, with SMM on', () => {
    expect(refusal(secure('pc', "<smm state='on'/>"))).toEqual({ name: 'PreviewError', code: 'preview-refused', message: 'Secure boot is supported with q35 machine types only', path: 'domain/os/loader/@secure' })
    expect(refusal(secure('q35', '')).message).toBe('Secure boot requires SMM feature enabled')
    expect(refusal(secure('q35', "<smm state='off'/>")).message).toBe('Secure boot requires SMM feature enabled')
    expect(predicts(secure('q35', '<smm/>'))).toContain("secure='yes'")
  })
})

describe('a CPU topology without <vcpu> (differential search, libvirtd 9.0)', () => {
  it('counts one vCPU', () => {
    const xml = "<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><topology sockets='3' dies='1' cores='2' threads='1'/></cpu><devices/></domain>"
    expect(refusal(xml)).toMatchObject({ message: "CPU topology doesn't match maximum vcpu count", path: 'domain/cpu/topology' })
    expect(predicts(xml.replace("sockets='3'", "sockets='1'").replace("cores='2'", "cores='1'"))).toContain('<topology')
  })
})

describe('BIOS output on a serial port (differential search, libvirtd 9.0)', () => {
  it('needs a serial port, which a serial console makes', () => {
    const bios = (devices: string) => `<domain type='qemu'><name>t</name><memory unit='MiB'>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type><bios useserial='yes'/></os><devices>${devices}</devices></domain>`
    expect(refusal(bios(''))).toMatchObject({ message: 'need at least one serial port to use BIOS serial output', path: 'domain/os/bios/@useserial' })
    expect(predicts(bios("<console type='pty'/>"))).toContain("<bios useserial='yes'/>")
  })
})
