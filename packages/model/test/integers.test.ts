import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads, attributeReadValue, integerAttributes, pciAddressProblem, readCInt, readCInteger, readLibvirtInteger, readLibvirtMemory, readLibvirtScaled } from '../src/index.ts'

// Every expectation here is what libvirtd 9.0 answered to `virsh define` (the words) or stored (the values).
const rule = (element: string, attribute: string, addressType?: string) => {
  const found = integerAttributes.find((a) => a.element === element && a.attribute === attribute && a.addressType === addressType)
  if (!found) throw new Error(`no rule for ${element}/@${attribute}`)
  return found
}
const read = (value: string, element: string, attribute: string, addressType?: string) =>
  readLibvirtInteger(value, rule(element, attribute, addressType), { element, attribute })

describe('readLibvirtInteger', () => {
  it('reads a controller index as C strtol base 10 does: sign and leading space allowed, leading zeros decimal', () => {
    expect(read('+1', 'controller', 'index')).toEqual({ value: 1 })
    expect(read(' 2', 'controller', 'index')).toEqual({ value: 2 })
    expect(read('010', 'controller', 'index')).toEqual({ value: 10 })
    expect(read('0', 'controller', 'index')).toEqual({ value: 0 })
  })

  it("refuses what libvirt refuses, in libvirt's words", () => {
    for (const bad of ['x', '1e3', '99999999999', '0x1', '', '2147483648']) {
      expect(read(bad, 'controller', 'index')).toEqual({ error: `Invalid value for attribute 'index' in element 'controller': '${bad}'. Expected integer value` })
    }
    expect(read('-1', 'controller', 'index')).toEqual({ error: "Invalid value for attribute 'index' in element 'controller': '-1'. Expected non-negative value" })
    expect(read('-1', 'controller', 'ports')).toEqual({ error: "Invalid value for attribute 'ports' in element 'controller': '-1'. Expected non-negative value" })
    expect(read('abc', 'controller', 'ports')).toEqual({ error: "Invalid value for attribute 'ports' in element 'controller': 'abc'. Expected integer value" })
  })

  it('reads PCI address numbers in C base 0 (0x hex, leading 0 octal) and refuses any minus sign', () => {
    expect(read('010', 'address', 'slot', 'pci')).toEqual({ value: 8 })
    expect(read(' 3', 'address', 'slot', 'pci')).toEqual({ value: 3 })
    expect(read('0x1f', 'address', 'slot', 'pci')).toEqual({ value: 31 })
    expect(read('0X0A', 'address', 'bus', 'pci')).toEqual({ value: 10 })
    for (const [attribute, bad] of [['bus', 'zz'], ['bus', ''], ['slot', '-1'], ['slot', '0x'], ['function', '-0'], ['bus', '4294967296']] as const) {
      expect(read(bad, 'address', attribute, 'pci')).toEqual({ error: `Invalid value for attribute '${attribute}' in element 'address': '${bad}'. Expected non-negative integer value` })
    }
  })

  it('reads drive, virtio-serial, CCID and CCW address numbers as libvirt does', () => {
    expect(read('010', 'address', 'unit', 'drive')).toEqual({ value: 10 })
    expect(read('0x2', 'address', 'unit', 'drive')).toEqual({ error: "Invalid value for attribute 'unit' in element 'address': '0x2'. Expected non-negative integer value" })
    expect(read('x', 'address', 'controller', 'drive')).toEqual({ error: "Invalid value for attribute 'controller' in element 'address': 'x'. Expected non-negative integer value" })
    expect(read('-2', 'address', 'port', 'virtio-serial')).toEqual({ error: "Invalid value for attribute 'port' in element 'address': '-2'. Expected non-negative integer value" })
    expect(read('x', 'address', 'controller', 'ccid')).toEqual({ error: "Invalid value for attribute 'controller' in element 'address': 'x'. Expected non-negative integer value" })
    expect(read('x', 'address', 'cssid', 'ccw')).toEqual({ error: "Invalid value for attribute 'cssid' in element 'address': 'x'. Expected non-negative integer value" })
    expect(read('0xfe', 'address', 'cssid', 'ccw')).toEqual({ value: 0xfe })
  })

  it("reads <vcpu current> as an unsigned number", () => {
    expect(read('x', 'vcpu', 'current')).toEqual({ error: "Invalid value for attribute 'current' in element 'vcpu': 'x'. Expected non-negative integer value" })
  })
})

describe('readCInteger', () => {
  it('needs the whole text to be one integer', () => {
    expect(readCInteger('4 ', 10)).toBeUndefined()
    expect(readCInteger('-1x', 10)).toBeUndefined()
    expect(readCInteger('08', 0)).toBeUndefined()
    expect(readCInteger('\t\n 7', 10)).toEqual({ negative: false, magnitude: 7 })
    expect(readCInteger('-0x10', 16)).toEqual({ negative: true, magnitude: 16 })
  })

  it('caps the magnitude above 2^32 instead of losing precision on long digit strings', () => {
    expect(readCInteger('9'.repeat(400), 10)).toEqual({ negative: false, magnitude: 2 ** 32 })
  })
})

describe('pciAddressProblem', () => {
  const at = (domain: number, bus: number, slot: number, fn: number) => pciAddressProblem({ domain, bus, slot, function: fn })
  it("names the first thing libvirt refuses, in libvirt's words", () => {
    expect(at(0, 0, 0x99, 0)).toBe("Invalid PCI address slot='0x99', must be <= 0x1F")
    expect(at(0, 0, 2, 9)).toBe('Invalid PCI address function=0x9, must be <= 7')
    expect(at(0, 0x100, 2, 0)).toBe("Invalid PCI address bus='0x100', must be <= 0xFF")
    expect(at(0x10000, 0, 2, 0)).toBe('Invalid PCI address 10000:00:02.0. Only PCI domain 0 is available')
    expect(at(1, 0, 3, 0)).toBe('Invalid PCI address 0001:00:03.0. Only PCI domain 0 is available')
    // the range checks come before the domain's
    expect(at(1, 0, 0x99, 0)).toBe("Invalid PCI address slot='0x99', must be <= 0x1F")
    expect(at(0, 0, 0x20, 8)).toBe("Invalid PCI address slot='0x20', must be <= 0x1F")
    expect(at(0x10000, 0x100, 3, 0)).toBe("Invalid PCI address bus='0x100', must be <= 0xFF")
    expect(at(0, 0xff, 0x1f, 7)).toBeUndefined()
  })
})

describe('readLibvirtMemory', () => {
  it('reads a size in KiB as libvirt stores it: any unit, rounded up, exact up to 2^63 − 1 bytes', () => {
    expect(readLibvirtMemory(' 4', 'GiB', './memory[1]')).toEqual({ kib: 4194304 })
    expect(readLibvirtMemory('1000', 'MB', './memory[1]')).toEqual({ kib: 976563 })
    expect(readLibvirtMemory('1048576', undefined, './memory[1]')).toEqual({ kib: 1048576 })
    expect(readLibvirtMemory('9007199254740991', 'KiB', './memory[1]')).toEqual({ kib: 9007199254740991 })
    expect(readLibvirtMemory('1', 'b', './memory[1]')).toEqual({ kib: 1 })
  })

  it("refuses what libvirt refuses, in libvirt's words", () => {
    expect(readLibvirtMemory('99999', 'EiB', './memory[1]')).toEqual({ error: 'value too large: 99999EiB' })
    expect(readLibvirtMemory('9007199254740993', 'KiB', './memory[1]')).toEqual({ error: 'value too large: 9007199254740993KiB' })
    expect(readLibvirtMemory('99999999999999999999999', 'KiB', './memory[1]')).toEqual({ error: "Invalid value '99999999999999999999999' for element or attribute './memory[1]'" })
    expect(readLibvirtMemory('-5', undefined, './memory[1]')).toEqual({ error: "Invalid value '-5' for element or attribute './memory[1]'" })
    expect(readLibvirtMemory('1', 'bogus', './memory[1]')).toEqual({ error: "unknown suffix 'bogus'" })
  })
})

describe('readLibvirtScaled', () => {
  it('reads in the default unit up to the limit given, in bytes; past it, libvirt\'s overflow words (tseg, memtune on libvirtd 9.0)', () => {
    expect(readLibvirtScaled('48', undefined, 'MiB', 2n ** 64n - 1n, 'string(./features/smm/tseg)')).toEqual({ bytes: 48n * 1024n * 1024n })
    expect(readLibvirtScaled('15', 'EiB', 'MiB', 2n ** 64n - 1n, 'string(./features/smm/tseg)')).toEqual({ bytes: 15n * 1024n ** 6n })
    expect(readLibvirtScaled('99999', 'EiB', 'MiB', 2n ** 64n - 1n, 'string(./features/smm/tseg)')).toEqual({ error: 'value too large: 99999EiB' })
    const unlimited = (2n ** 53n - 1n) * 1024n
    expect(readLibvirtScaled('9007199254740991', undefined, 'KiB', unlimited, './memtune/hard_limit[1]')).toEqual({ bytes: unlimited })
    expect(readLibvirtScaled('9007199254740992', undefined, 'KiB', unlimited, './memtune/hard_limit[1]')).toEqual({ error: 'value too large: 9007199254740992' })
    expect(readLibvirtScaled('x', 'GiB', 'KiB', unlimited, './memtune/hard_limit[1]')).toEqual({ error: "Invalid value 'x' for element or attribute './memtune/hard_limit[1]'" })
  })
})

describe('readCInt', () => {
  it('reads a C int as virStrToLong_i does: all of the text, a sign, leading space, 32 bits', () => {
    expect(readCInt(' +05901', 10)).toBe(5901)
    expect(readCInt('-1', 10)).toBe(-1)
    expect(readCInt('-0', 10)).toBe(0)
    expect(readCInt('-2147483648', 10)).toBe(-2147483648)
    expect(readCInt('2147483648', 10)).toBeUndefined()
    expect(readCInt('5901 ', 10)).toBeUndefined()
    expect(readCInt('abc', 10)).toBeUndefined()
  })
})

describe('attributeReads', () => {
  it("knows libvirt's typed reads by element, and refuses in the reader's words", () => {
    const topology = attributeReads.get('cpu/topology')!
    const sockets = topology.find(([a]) => a === 'sockets')!
    expect(attributeReadProblem(undefined, sockets, 'topology')).toBe("Missing required attribute 'sockets' in element 'topology'")
    expect(attributeReadProblem('0', sockets, 'topology')).toBe("Invalid value for attribute 'sockets' in element 'topology': Zero is not permitted")
    expect(attributeReadProblem('-1', sockets, 'topology')).toBe("Invalid value for attribute 'sockets' in element 'topology': '-1'. Expected non-negative integer value")
    expect(attributeReadProblem(' +2', sockets, 'topology')).toBeUndefined()
    expect(attributeReadValue(' +2', sockets)).toBe('2')
    // unsigned long longs (virStrToLong_ullp), past 2^53 exactly: a timer's frequency (libvirtd 9.0's words)
    const frequency = attributeReads.get('clock/timer')!.find(([a]) => a === 'frequency')!
    expect(attributeReadValue(' 4567890000', frequency)).toBe('4567890000')
    expect(attributeReadValue('018446744073709551615', frequency)).toBe('18446744073709551615')
    expect(attributeReadProblem('18446744073709551616', frequency, 'timer')).toBe("Invalid value for attribute 'frequency' in element 'timer': '18446744073709551616'. Expected non-negative integer value")
    expect(attributeReadProblem('-1', frequency, 'timer')).toBe("Invalid value for attribute 'frequency' in element 'timer': '-1'. Expected non-negative integer value")
    const readonly = attributeReads.get('os/loader')!.find(([a]) => a === 'readonly')!
    expect(attributeReadProblem('yes', readonly, 'loader')).toBeUndefined()
    expect(attributeReadProblem('default', readonly, 'loader')).toBe("Invalid value for attribute 'readonly' in element 'loader': 'default'.")
    // enumerations, with libvirt 9.0's names (a first `default` NONZERO refuses is not among them)
    const io = attributeReads.get('devices/disk/driver')!.find(([a]) => a === 'io')!
    expect(attributeReadProblem('native', io, 'driver')).toBeUndefined()
    expect(attributeReadProblem('default', io, 'driver')).toBe("Invalid value for attribute 'io' in element 'driver': 'default'.")
    // one list per element, the conditional reads merged in (a NIC's driver: the virtio options and its queues)
    expect(attributeReads.get('devices/interface/driver')!.map(([a]) => a)).toEqual(expect.arrayContaining(['iommu', 'queues', 'rx_queue_size']))
  })
})

describe('integerAttributes: what the formatter writes back signed', () => {
  it("a drive, virtio-serial or CCID address's numbers (`%d`: unit 4294967295 stored -1, probe h48), not a PCI or CCW address's", () => {
    for (const attribute of ['controller', 'bus', 'target', 'unit']) expect(rule('address', attribute, 'drive').writtenSigned).toBe(true)
    expect(rule('address', 'port', 'virtio-serial').writtenSigned).toBe(true)
    expect(rule('address', 'slot', 'ccid').writtenSigned).toBe(true)
    expect(rule('address', 'slot', 'pci').writtenSigned).toBeUndefined()
    expect(rule('address', 'devno', 'ccw').writtenSigned).toBeUndefined()
    expect(rule('controller', 'index').writtenSigned).toBeUndefined()
  })
})
