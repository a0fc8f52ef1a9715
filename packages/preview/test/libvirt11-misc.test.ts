// What libvirt 11.3's own daemon (Debian trixie's libvirtd 11.3, tools/libvirt-trixie) said for the probes of
// fixtures/preview/probes that preview's 11.3 mode still answered otherwise; the near misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { predicts, refusal, x86Domain } from './_refusal.ts'

const v9 = { v9: true }

describe("a PCI controller with no slot left in the real address assignment (11.3: virDomainPCIAddressGetNextAddr's words)", () => {
  // (the pcie-root-ports filling the index gap below the expander bus take pcie-root's slots in index order, before it)
  const gap = (index: number, model: string, machine: string, root: string): string =>
    x86Domain(`<controller type='pci' index='0' model='${root}'/><controller type='pci' index='${index}' model='${model}'><target busNr='100'/></controller>`, machine)
  it('a pcie-expander-bus at index 256 on q35: "No more available PCI slots" (seen on libvirtd 11.3)', () => {
    const xml = gap(256, 'pcie-expander-bus', 'q35', 'pcie-root')
    expect(refusal(xml)).toMatchObject({ message: 'No more available PCI slots' })
    // (9.0 with these capabilities: validation's index check; on the sandbox's host, virDomainPCIAddressSetGrow's words)
    expect(refusal(xml, v9)).toMatchObject({ message: 'PCI controller index 256 too high, maximum is 255' })
    // (a pci-expander-bus at 255 on a PC, its gap filled by pci-bridges: the same words — libvirtd 11.3)
    expect(refusal(gap(255, 'pci-expander-bus', 'pc', 'pci-root'))).toMatchObject({ message: 'No more available PCI slots' })
    // (not the dry run's refusals: a pcie-root-port at 256 is refused there, with virDomainPCIAddressSetGrow's words, as on
    // libvirtd 11.3 — and an expander bus that fits is seated)
    expect(refusal(x86Domain("<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='256' model='pcie-root-port'/>", 'q35')))
      .toMatchObject({ message: "a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added" })
    expect(predicts(gap(100, 'pcie-expander-bus', 'q35', 'pcie-root'))).toContain("<controller type='pci' index='100' model='pcie-expander-bus'>")
  })
})
