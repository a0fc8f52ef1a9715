// PCI addresses written in a domain, checked as libvirt checks them when it collects the addresses in use
// (qemuDomainCollectPCIAddress → virDomainPCIAddressValidate): every message here is what libvirtd 9.0
// answered to `virsh define` of the same configuration (and libvirt 11.3's .err files, where its tests have one).
import { describe, expect, it } from 'vitest'
import { previewDomain } from '../src/index.ts'
import { capsXml, domainXml } from './_caps.ts'

const refusal = (xml: string, libvirtVersion?: number) => {
  try {
    previewDomain(xml, { qemuCaps: capsXml(), abiUpdate: true, ...(libvirtVersion === undefined ? {} : { libvirtVersion }) })
  } catch (error) {
    const e = error as { name: string; code: string; message: string; path: string }
    return { name: e.name, code: e.code, message: e.message, path: e.path }
  }
  throw new Error('expected preview to refuse the domain')
}
const predicts = (xml: string, libvirtVersion?: number): string => previewDomain(xml, { qemuCaps: capsXml(), abiUpdate: true, ...(libvirtVersion === undefined ? {} : { libvirtVersion }) }).xml

describe('a written PCI address on a bus that does not take the device', () => {
  it('an expander bus behind a pci-bridge, a PCIe one behind a root port', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='2' model='pci-expander-bus'><address type='pci' bus='1' slot='1'/></controller>"))).toEqual({
      name: 'PreviewError', code: 'preview-invalid-value', path: "domain/devices/controller[@type='pci'][@index='2'][@model='pci-expander-bus']/address",
      message: "The device at PCI address 0000:01:01.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a pci-expander-bus.",
    })
    expect(refusal(domainXml('q35', "<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-expander-bus'><address type='pci' bus='1'/></controller>")).message)
      .toBe("The device at PCI address 0000:01:00.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a pcie-expander-bus.")
  })

  it('a root port behind a pci-bridge', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='2' model='pcie-root-port'><address type='pci' bus='1' slot='2'/></controller>")).message)
      .toBe("The device at PCI address 0000:01:02.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a pcie-root-port.")
  })

  it('takes a written PCI device in a PCIe slot and a PCIe one behind a PCI bridge (what a user wrote, libvirt keeps)', () => {
    const xml = predicts(domainXml('q35', "<controller type='pci' index='1' model='pcie-to-pci-bridge'/><controller type='pci' index='2' model='pcie-root-port'/><interface type='user'><model type='e1000e'/><address type='pci' bus='1' slot='3'/></interface>"))
    expect(xml).toContain("<address type='pci' domain='0x0000' bus='0x01' slot='0x03' function='0x0'/>")
    expect(predicts(domainXml('q35', "<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pci-bridge'><address type='pci' bus='1' slot='0'/></controller>"))).toContain("model='pci-bridge'")
  })
})

describe("a written PCI address outside its bus's slots", () => {
  it('slot 0 of a pci-bridge, slot 1 of a root port', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pci-bridge'/><interface type='user'><model type='virtio'/><address type='pci' bus='1' slot='0'/></interface>"))).toMatchObject({
      code: 'preview-invalid-value', path: "domain/devices/interface[@type='user']/address", message: 'Invalid PCI address 0000:01:00.0. slot must be >= 1',
    })
    expect(refusal(domainXml('q35', "<controller type='pci' index='1' model='pcie-root-port'/><interface type='user'><model type='virtio'/><address type='pci' bus='1' slot='1'/></interface>")).message)
      .toBe('Invalid PCI address 0000:01:01.0. slot must be <= 0')
  })

  it('a bus-only address is the device\'s (slot 0), an all-zero one is assigned (virPCIDeviceAddressIsEmpty)', () => {
    expect(predicts(domainXml('q35', "<controller type='pci' index='1' model='pcie-root-port'/><interface type='user'><model type='virtio'/><address type='pci' bus='1'/></interface>")))
      .toContain("<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>")
    expect(predicts(domainXml('pc', "<interface type='user'><model type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/></interface>")))
      .toMatch(/<model type='virtio'\/>\s*<address type='pci' domain='0x0000' bus='0x00' slot='0x0[1-9a-f]' function='0x0'\/>/)
  })
})

describe('integrated devices and the PIIX3', () => {
  it('a virtio IOMMU only on bus 0, even on a bus the dry run would add', () => {
    expect(refusal(domainXml('q35', "<iommu model='virtio'><address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></iommu>", '<features><acpi/></features>'))).toMatchObject({
      code: 'preview-invalid-value', message: 'The device at PCI address 0000:01:00.0 needs to be an integrated device (bus=0)',
    })
  })

  it("the PIIX3's USB function on a machine whose bus 0 is PCIe", () => {
    expect(refusal(domainXml('q35', "<controller type='usb' index='0' model='piix3-uhci'><address type='pci' bus='0' slot='1' function='2'/></controller>"))).toMatchObject({
      code: 'preview-refused', message: 'Bus 0 must be PCI for integrated PIIX3 USB or IDE controllers',
    })
    expect(predicts(domainXml('pc', "<controller type='usb' index='0' model='piix3-uhci'><address type='pci' bus='0' slot='1' function='2'/></controller>"))).toContain("model='piix3-uhci'")
  })
})

describe('a usb-net NIC', () => {
  const nic = "<interface type='user'><mac address='00:11:22:33:44:55'/><model type='usb-net'/></interface>"
  it('libvirt 9.0 asks it a PCI slot it cannot have', () => {
    expect(refusal(domainXml('pc', nic), 9_000_000)).toMatchObject({ code: 'preview-refused', message: 'Cannot automatically add a new PCI bus for a device with connect flags 00' })
  })
  it('libvirt 11 plugs it into USB', () => {
    expect(predicts(domainXml('pc', nic))).toContain("<model type='usb-net'/>")
  })
})

describe('a machine without a PCI bus', () => {
  const isapc = capsXml({ machines: "<machine type='tcg' name='isapc' maxCpus='1' defaultCPU='qemu64-x86_64-cpu'/><machine type='tcg' name='pc-i440fx-9.9' alias='pc' default='yes' maxCpus='255' defaultCPU='qemu64-x86_64-cpu'/><cpu type='tcg' name='qemu64' typename='qemu64-x86_64-cpu' usable='yes'/>" })
  const run = (devices: string) => previewDomain(domainXml('isapc', devices), { qemuCaps: isapc, abiUpdate: true })
  it('isapc: a USB controller that wants a slot has none', () => {
    expect(() => run("<controller type='usb' index='0'/>")).toThrow(expect.objectContaining({ code: 'preview-invalid-value', message: 'No PCI buses available', path: "domain/devices/controller[@type='usb'][@index='0'][@model='piix3-uhci']" }))
    expect(run("<memballoon model='none'/>").xml).toContain("<memballoon model='none'/>")
  })
})

describe('PCI controllers libvirt cannot complete', () => {
  it('a pci-bridge on a bus of a higher index', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='2' model='pci-bridge'><address type='pci' bus='3' slot='1'/></controller><controller type='pci' index='3' model='pci-bridge'><address type='pci' bus='1' slot='1'/></controller>"))).toMatchObject({
      code: 'preview-refused', message: "PCI controller at index 2 (0x02) has bus='0x03', but index must be larger than bus",
    })
  })

  it('an expander bus with no bus number left below the lowest in use', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pci-expander-bus'><target busNr='2'/></controller><controller type='pci' index='2' model='pci-expander-bus'/>"))).toMatchObject({
      code: 'preview-refused', message: 'No free busNr lower than current lowest busNr is available to auto-assign to bus 0. Must be manually assigned',
    })
    expect(predicts(domainXml('pc', "<controller type='pci' index='1' model='pci-expander-bus'><target busNr='200'/></controller><controller type='pci' index='2' model='pci-expander-bus'/>"))).toContain("<target busNr='198'/>")
  })

  it('a virtio disk with an address of another kind', () => {
    expect(refusal(domainXml('pc', "<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vda' bus='virtio'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>"))).toMatchObject({
      code: 'preview-refused', message: "virtio disk cannot have an address of type 'drive'",
    })
  })
})

describe('USB switched off', () => {
  const off = "<controller type='usb' index='0' model='none'/>"
  it('a USB input device or hub has nowhere to go', () => {
    expect(refusal(domainXml('pc', `${off}<input type='tablet' bus='usb'/>`))).toMatchObject({ code: 'preview-refused', message: "Can't add USB input device. USB bus is disabled" })
    expect(refusal(domainXml('pc', `${off}<hub type='usb'/>`)).message).toBe("Can't add USB hub: USB is disabled for this domain")
  })
  it('a USB host device is refused as the parser reads it, before anything post-parse or validation refuses (libvirtd 9.0)', () => {
    const usbHostdev = "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>"
    expect(refusal(domainXml('pc', `${off}${usbHostdev}`))).toMatchObject({ code: 'preview-refused', message: "Can't add host USB device: USB is disabled in this host" })
    // (the parser reads host devices before hubs, inputs before both)
    expect(refusal(domainXml('pc', `${off}<hub type='usb'/>${usbHostdev}`)).message).toBe("Can't add host USB device: USB is disabled in this host")
    expect(refusal(domainXml('pc', `${off}${usbHostdev}<input type='tablet' bus='usb'/>`)).message).toBe("Can't add USB input device. USB bus is disabled")
    // (guest NUMA is read before any device: its vCPU count first)
    expect(refusal(domainXml('pc', `${off}${usbHostdev}`, "<cpu><numa><cell id='0' cpus='0-3' memory='262144' unit='KiB'/></numa></cpu>")).message).toBe('Number of CPUs in <numa> exceeds the <vcpu> count')
  })
  it('what address assignment refuses comes before what validation refuses (libvirt validates after its post-parse; libvirtd 9.0)', () => {
    // (a SPICE redirection without SPICE graphics is a validation refusal; no USB for it, one of address assignment)
    expect(refusal(domainXml('pc', `${off}<redirdev bus='usb' type='spicevmc'/>`)).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
    expect(refusal(domainXml('pc', "<redirdev bus='usb' type='spicevmc'/>")).message).toBe("chardev 'spicevmc' not supported without spice graphics")
  })
  it('any other USB device, counted as a new definition is addressed', () => {
    expect(refusal(domainXml('pc', `${off}<redirdev bus='usb' type='spicevmc'/>`)).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
    expect(refusal(domainXml('pc', `${off}<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='sda' bus='usb'/></disk>`)).message).toBe('USB is disabled for this domain, but USB devices are present in the domain XML')
  })
  it('without USB devices, or with a USB controller added by libvirt, nothing is refused', () => {
    expect(predicts(domainXml('pc', `${off}<input type='mouse' bus='ps2'/>`))).toContain("<controller type='usb' index='0' model='none'/>")
    expect(predicts(domainXml('pc', "<input type='tablet' bus='usb'/>"))).toContain("<input type='tablet' bus='usb'>")
  })
})

describe('several refusals: the one libvirt reports', () => {
  it('validation walks the devices as libvirt does: each device\'s checks, device after device (libvirtd 9.0)', () => {
    const floppy = "<disk type='file' device='floppy'><source file='/tmp/f.img'/><target dev='fda' bus='usb'/></disk>"
    // (a disk is validated before any controller, whatever the table's order or the document's)
    expect(refusal(domainXml('pc', `<controller type='ide' index='1'/>${floppy}`)).message).toBe("Invalid bus type 'usb' for floppy disk")
    expect(refusal(domainXml('pc', "<controller type='ide' index='1'/>")).message).toBe('Only a single IDE controller is supported for this machine type')
    // (two faults of one video device: in the order of libvirt's virDomainVideoDefValidate)
    const video = "<video><driver name='vhostuser' iommu='on'/><model type='vga'/></video>"
    expect(refusal(domainXml('pc', video, "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")).message).toBe("'vhostuser' driver is only supported with 'virtio' device")
  })
  it('a per-node memory binding without guest NUMA is the parser\'s refusal: before any validation (libvirtd 9.0)', () => {
    const memnode = "<numatune><memnode cellid='0' mode='strict' nodeset='0'/></numatune><cpu><topology sockets='1' cores='4' threads='1'/></cpu>"
    expect(refusal(domainXml('pc', '', memnode))).toMatchObject({ code: 'preview-invalid-value', message: "Element 'memnode' is invalid without any guest NUMA cells" })
  })
})

describe("what each PCI controller model takes (qemuValidateDomainDeviceDefControllerPCI; libvirtd 9.0's words)", () => {
  const pci = (machine: string, controller: string) => domainXml(machine, controller)
  it('a model name its model allows, none on pcie-root (nor on pci-root but pSeries)', () => {
    expect(refusal(pci('q35', "<controller type='pci' index='0' model='pcie-root'><model name='ioh3420'/></controller>"))).toMatchObject({
      code: 'preview-refused', path: "domain/devices/controller[@type='pci'][@index='0']/model/@name",
      message: "Option 'modelName' is not valid for PCI controller with index '0', model 'pcie-root' and modelName 'ioh3420'",
    })
    expect(refusal(pci('q35', "<controller type='pci' index='1' model='pcie-root-port'><model name='pci-bridge'/></controller>")).message)
      .toBe("Option 'modelName' has invalid value for PCI controller with index '1', model 'pcie-root-port' and modelName 'pci-bridge'")
    // a name libvirt does not know is refused as it reads it (the names checked are 9.0's); `none` is no name (the default is given)
    expect(refusal(pci('q35', "<controller type='pci' index='1' model='pcie-root-port'><model name='foo'/></controller>"), 9000000)).toMatchObject({ message: "Invalid value for attribute 'name' in element 'model': 'foo'.", path: "domain/devices/controller[1]/model/@name" })
    expect(predicts(pci('q35', "<controller type='pci' index='1' model='pcie-root-port'><model name='none'/></controller>"))).toContain("<model name='pcie-root-port'/>")
    expect(predicts(pci('pc', "<controller type='pci' index='0' model='pci-root'><model name='none'/></controller>"))).toContain("<controller type='pci' index='0' model='pci-root'/>")
    expect(predicts(pci('q35', "<controller type='pci' index='1' model='pcie-root-port'><model name='ioh3420'/></controller>"))).toContain("<model name='ioh3420'/>")
    // (a <model> without a name is none too)
    expect(predicts(pci('q35', "<controller type='pci' index='0' model='pcie-root'><model>cortex-a57</model></controller>"))).toContain("<controller type='pci' index='0' model='pcie-root'/>")
  })

  it('the options of other models refused, in their order, with the model name post-parse gives', () => {
    const option = (machine: string, model: string, inner: string) => refusal(pci(machine, `<controller type='pci' index='1' model='${model}'>${inner}</controller>`)).message
    expect(option('q35', 'pcie-root-port', "<target chassisNr='3'/>")).toBe("Option 'chassisNr' is not valid for PCI controller with index '1', model 'pcie-root-port' and modelName 'pcie-root-port'")
    expect(option('q35', 'pcie-root-port', "<target busNr='3'/>")).toBe("Option 'busNr' is not valid for PCI controller with index '1', model 'pcie-root-port' and modelName 'pcie-root-port'")
    expect(option('pc', 'pci-bridge', "<target chassis='3' port='2'/>")).toBe("Option 'chassis' is not valid for PCI controller with index '1', model 'pci-bridge' and modelName 'pci-bridge'")
    expect(option('q35', 'pcie-switch-upstream-port', "<target hotplug='on'/>")).toBe("Option 'hotplug' is not valid for PCI controller with index '1', model 'pcie-switch-upstream-port' and modelName 'x3130-upstream'")
    // (a NUMA node the guest lacks is refused first, by post-parse, on any model — libvirtd 9.0)
    expect(option('pc', 'pci-bridge', "<target><node>0</node></target>")).toBe("pci-bridge with index 1 is configured for a NUMA node (0) not present in the domain's <cpu><numa> array (0)")
    // what each takes stays (a 64-bit hole on a root bus of its machine; on another model it is not read at all)
    expect(predicts(pci('q35', "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off'/></controller>"))).toContain("hotplug='off'")
    expect(predicts(pci('q35', "<controller type='pci' index='0' model='pcie-root'><pcihole64 unit='KiB'>1024</pcihole64></controller>"))).toContain('<pcihole64 unit=\'KiB\'>1024</pcihole64>')
    expect(predicts(pci('pc', "<controller type='pci' index='1' model='pci-bridge'><pcihole64 unit='KiB'>1024</pcihole64></controller>"))).not.toContain('pcihole64')
    expect(refusal(pci('pc', "<controller type='pci' index='0' model='pcie-root'><pcihole64 unit='KiB'>1024</pcihole64></controller>")).message).not.toContain('Option')
  })

  it("the QEMU device and hot-plug switch the host's QEMU has", () => {
    const bare = (flags: readonly string[]) => capsXml({ flags })
    const x = (caps: string, controller: string) => {
      try { previewDomain(domainXml('q35', controller), { qemuCaps: caps, abiUpdate: true }) } catch (e) { return (e as Error).message }
      return 'predicted'
    }
    expect(x(bare(['pcie-root-port', 'qemu-xhci', 'ich9-ahci', 'virtio-pci-non-transitional']), "<controller type='pci' index='1' model='pcie-root-port'><model name='ioh3420'/></controller>")).toBe("The 'ioh3420' device is not supported by this QEMU binary")
    expect(x(bare(['pcie-root-port', 'qemu-xhci', 'ich9-ahci', 'virtio-pci-non-transitional']), "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off'/></controller>")).toBe("setting the 'hotplug' property on a 'pcie-root-port' device is not supported by this QEMU binary")
  })
})

describe('controllers the dry run cannot add a bus for (virDomainPCIAddressSetGrow)', () => {
  it('a PCIe-to-PCI bridge with no root port free gives its connect flags', () => {
    for (const machine of ['q35', 'pc']) {
      expect(refusal(domainXml(machine, "<controller type='pci' index='1' model='pcie-to-pci-bridge'/>"))).toMatchObject({ code: 'preview-refused', message: 'Cannot automatically add a new PCI bus for a device with connect flags 2000' })
    }
  })
  it('an upstream port gets a root port, which a PCI machine has no slot for', () => {
    expect(refusal(domainXml('pc', "<controller type='pci' index='1' model='pcie-switch-upstream-port'/>")).message)
      .toBe("a PCI slot is needed to connect a PCI controller model='pcie-root-port', but none is available, and it cannot be automatically added")
    expect(predicts(domainXml('q35', "<controller type='pci' index='1' model='pcie-switch-upstream-port'/>"))).toContain("model='pcie-switch-upstream-port'")
  })
})

describe("host devices' PCI slots in libvirt's hostdev list order (qemuDomainAssignDevicePCISlots)", () => {
  it('a host device NIC before every <hostdev>, whatever the document order (virDomainNetInsert; libvirtd 9.0 on pc, q35 and pSeries)', () => {
    const hostdev = (fn: number) => `<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x${fn}'/></source></hostdev>`
    const nic = "<interface type='hostdev' managed='yes'><mac address='52:54:00:12:34:56'/><source><address type='pci' domain='0x0000' bus='0x06' slot='0x12' function='0x6'/></source></interface>"
    const out = predicts(domainXml('pc', hostdev(5) + nic + hostdev(7)))
    const slotOf = (marker: string): string => {
      const at = out.indexOf(marker)
      return /<address type='pci' domain='0x0000' bus='0x00' slot='(0x[0-9a-f]+)'/.exec(out.slice(out.indexOf('</source>', at)))![1]!
    }
    // (the NIC takes the first slot of the three, then the host devices in document order)
    const slots = [slotOf("<interface type='hostdev'"), slotOf("function='0x5'"), slotOf("function='0x7'")].map(Number)
    expect(slots[1]).toBe(slots[0]! + 1)
    expect(slots[2]).toBe(slots[0]! + 2)
  })
})
