// What libvirt 11.3's own daemon stores or says where preview's 11.3 mode differed, for the probes of
// fixtures/preview/probes no other area covers (part order, other architectures, …), found by defining them on Debian
// trixie's libvirtd 11.3 (tools/libvirt-trixie) next to preview. The expected refusals are that daemon's words; the near
// misses beside them what 9.0 does.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { refusal } from './_refusal.ts'

const v9 = { v9: true }

describe("a video model's parts in 11.3's order (virDomainVideoModelDefParseXML: primary, acceleration, resolution, then type and sizes)", () => {
  const video = (model: string, inner: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><video><model ${model}>${inner}</model></video></devices></domain>`
  it('the acceleration is read before the resolution, wherever written (probe h38-video-res-accel, seen on libvirtd 11.3)', () => {
    const both = video("type='virtio'", "<resolution x='a' y='1'/><acceleration accel3d='maybe'/>")
    expect(refusal(both)).toMatchObject({ message: "Invalid value for attribute 'accel3d' in element 'acceleration': 'maybe'." })
    expect(refusal(both, v9)).toMatchObject({ message: "Invalid value for attribute 'accel3d' in element 'acceleration': 'maybe'." })
    // (near miss: the resolution's fault alone)
    expect(refusal(video("type='virtio'", "<resolution x='a' y='1'/><acceleration accel3d='yes'/>"))).toMatchObject({ message: "Invalid value for attribute 'x' in element 'resolution': 'a'. Expected non-negative integer value" })
    // (and the resolution before the model's own type — as before)
    expect(refusal(video("type='bogusmodel'", "<resolution x='a' y='1'/>"))).toMatchObject({ message: "Invalid value for attribute 'x' in element 'resolution': 'a'. Expected non-negative integer value" })
    expect(refusal(video("type='bogusmodel'", "<resolution x='1' y='1'/>"))).toMatchObject({ message: "Invalid value for attribute 'type' in element 'model': 'bogusmodel'." })
  })
})

describe('PCI controllers on a board without PCI: the buses added for the missing indexes (qemuDomainAssignPCIAddresses)', () => {
  const arm = capsXml({ arch: 'armv7l', flags: ['pci-bridge', 'pcie-root-port', 'usb-ehci', 'piix3-usb-uhci', 'pci-ohci'], machines: "<machine type='tcg' name='vexpress-a15' maxCpus='4'/><machine type='tcg' name='highbank' maxCpus='4'/>" })
  const board = (devices: string): string => `<domain type='qemu'><name>t</name><memory>524288</memory><os><type arch='armv7l' machine='vexpress-a15'>hvm</type></os><devices>${devices}</devices></domain>`
  const noName = (index: number): string => `Required option 'modelName' is not set for PCI controller with index '${index}', model 'pci-bridge' and modelName 'none'`
  it('11.3 keeps them among the written ones by index (virDomainControllerInsert): validation refuses the first gap (probes h33-ord-*, seen on libvirtd 11.3)', () => {
    for (const devices of [
      "<controller type='pci' index='4' model='pci-bridge'/><controller type='pci' model='pci-bridge'/>",
      "<controller type='pci' index='4' model='pci-bridge'/><controller type='pci' index='2' model='pci-bridge'/>",
      "<controller type='pci' index='4' model='pci-bridge'/><sound model='ich6'/><controller type='pci' model='pci-bridge'/>",
    ]) expect(refusal(board(devices), { caps: arm })).toMatchObject({ code: 'preview-refused', message: noName(1) })
    // (9.0 meets them after every written one)
    expect(refusal(board("<controller type='pci' index='4' model='pci-bridge'/><controller type='pci' index='2' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(2) })
  })
  it('near misses: a written controller before the first gap is refused first; with no gap, the written one', () => {
    expect(refusal(board("<controller type='pci' index='1' model='pci-bridge'/><controller type='pci' index='3' model='pci-bridge'/>"), { caps: arm })).toMatchObject({ message: noName(1) })
    expect(refusal(board("<controller type='pci' index='2' model='pci-bridge'/><controller type='pci' index='1' model='pci-bridge'/>"), { caps: arm })).toMatchObject({ message: noName(1) })
    expect(refusal(board("<controller type='pci' index='3' model='pci-bridge'/>"), { caps: arm })).toMatchObject({ message: noName(1) })
    expect(refusal(board("<controller type='pci' index='3' model='pci-bridge'/>"), { caps: arm, v9: true })).toMatchObject({ message: noName(3) })
  })
})
