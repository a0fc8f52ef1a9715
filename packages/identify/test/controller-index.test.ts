import { describe, expect, it } from 'vitest'
import { matchDevices } from '../src/index.ts'

describe('controllers written without index (virt-install style)', () => {
  const before = "<domain><devices><controller type='pci' model='pcie-root'/><controller type='pci' model='pcie-root-port'/><controller type='pci' model='pcie-root-port'/><controller type='usb' model='qemu-xhci'/><controller type='pci' index='3' model='pcie-root-port'/><controller type='pci' model='pcie-root-port'/></devices></domain>"
  const after = "<domain><devices><controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='2' model='pcie-root-port'/><controller type='usb' index='0' model='qemu-xhci'/><controller type='pci' index='3' model='pcie-root-port'/><controller type='pci' index='4' model='pcie-root-port'/></devices></domain>"

  it("get libvirt's indexes: per type, in document order, the lowest unused", () => {
    const result = matchDevices(before, after)
    expect(result.ambiguous).toEqual([])
    expect(result.added).toEqual([])
    expect(result.removed).toEqual([])
    expect(result.pairs.map((p) => [p.before.index, p.after.index, p.before.identity])).toEqual([
      [0, 0, "controller[@type='pci'][@index='0']"],
      [1, 1, "controller[@type='pci'][@index='1']"],
      [2, 2, "controller[@type='pci'][@index='2']"],
      [3, 3, "controller[@type='usb'][@index='0']"],
      [4, 4, "controller[@type='pci'][@index='3']"],
      [5, 5, "controller[@type='pci'][@index='4']"],
    ])
  })
})
