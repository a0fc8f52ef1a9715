// The host's PCI devices as libvirt reads them (virpci.c virPCIDeviceInit / virPCIDeviceFindCapabilityOffset): a PCI
// Express capability in the config space, or — where the capability list cannot be followed to it — a guess from the
// config's length (256 bytes: conventional PCI). Configs written here byte by byte.
import { describe, expect, it } from 'vitest'
import { hostPciConfigIsExpress as configIsPcie } from '../src/index.ts'

/** A config space of `length` bytes with the capability list `caps` ([id, offset] in order) from 0x40 on. */
function config(length: number, caps: readonly [number, number][], listBit = true): Uint8Array {
  const b = new Uint8Array(length)
  if (listBit) b[6] = 0x10
  b[0x34] = caps[0]?.[1] ?? 0
  caps.forEach(([id, at], i) => { b[at] = id; b[at + 1] = caps[i + 1]?.[1] ?? 0 })
  return b
}

describe('hostPciConfigIsExpress', () => {
  it('a PCI Express capability (0x10) anywhere on the list is PCIe, whatever the length', () => {
    expect(configIsPcie(config(256, [[0x01, 0x40], [0x10, 0x60]]))).toBe(true)
    expect(configIsPcie(config(4096, [[0x10, 0x40]]))).toBe(true)
  })
  it('no such capability: conventional PCI for a 256-byte config, PCIe for any other length (libvirt\'s guess)', () => {
    expect(configIsPcie(config(256, [[0x01, 0x40], [0x05, 0x50]]))).toBe(false)
    expect(configIsPcie(config(256, [], false))).toBe(false)
    expect(configIsPcie(config(4096, [[0x01, 0x40]]))).toBe(true)
    // (a dummy config, as libvirt's own test host writes for a device without data: too short to read)
    expect(configIsPcie(new TextEncoder().encode('some dummy config'))).toBe(true)
  })
  it('a list that loops, or points below 0x40 or at 0xff, ends the search (then the length decides)', () => {
    const looping = config(256, [[0x01, 0x40]])
    looping[0x41] = 0x40
    expect(configIsPcie(looping)).toBe(false)
    const hidden = config(256, [[0x01, 0x40]])
    hidden[0x41] = 0xff
    expect(configIsPcie(hidden)).toBe(false)
  })
})
