// How libvirt reads the integers of a domain's attributes, and which ones it refuses at parse.
// libvirt's virXMLPropInt / virXMLPropUInt (src/util/virxml.c) read a value with virStrToLong_i /
// virStrToLong_uip (src/util/virstring.c), which are C's strtol / strtoul with the whole string
// consumed: leading white space and a sign are allowed, base 0 takes `0x…` as hex and `0…` as octal,
// an `int` must fit 32 bits, and an unsigned value refuses any `-`. The wording of the errors is
// libvirt's own, as `virsh define` prints it (checked against libvirtd 9.0).

/** How libvirt reads one attribute: a signed `int` (maybe non-negative) or an `unsigned int`, in a base (0 = C's auto). */
export interface IntegerRead {
  readonly kind: 'int' | 'uint'
  readonly base: 0 | 10 | 16
  /** `int` only: a negative value is refused ("Expected non-negative value"). */
  readonly nonNegative?: true
}

/** One attribute libvirt reads as an integer: its element, name, and (for `<address>`) the address type. */
export interface IntegerAttribute extends IntegerRead {
  readonly element: 'vcpu' | 'controller' | 'address'
  /** For `<address>`: the address `type` the attribute belongs to. */
  readonly addressType?: string
  /** Written back behind `0x` in hex (`%x`: an ISA address's I/O base and IRQ), not in decimal. */
  readonly hex?: true
  /**
   * An `unsigned int` written back as a signed one (`%d`: virDomainDeviceInfoFormat's drive, virtio-serial and CCID
   * addresses — a drive address's `unit='4294967295'` is stored `unit='-1'`, seen on libvirtd 9.0; 11.3's alike).
   */
  readonly writtenSigned?: true
  readonly attribute: string
}

const intBase10: IntegerRead = { kind: 'int', base: 10, nonNegative: true }
const uintBase10: IntegerRead = { kind: 'uint', base: 10 }
const uintAuto: IntegerRead = { kind: 'uint', base: 0 }

/**
 * The integer attributes libvirt refuses at parse when they do not read (virDomainVcpuParse, virDomainControllerDefParseXML,
 * virPCIDeviceAddressParseXML, virDomainDeviceDriveAddressParseXML, virDomainDeviceVirtioSerialAddressParseXML,
 * virDomainDeviceCcidAddressParseXML, virDomainDeviceCCWAddressParseXML, virDomainDeviceUSBAddressParseXML,
 * virDomainDeviceISAAddressParseXML, virDomainDeviceDimmAddressParseXML).
 */
export const integerAttributes: readonly IntegerAttribute[] = [
  { element: 'vcpu', attribute: 'current', ...uintBase10 },
  { element: 'controller', attribute: 'index', ...intBase10 },
  { element: 'controller', attribute: 'ports', ...intBase10 },
  { element: 'controller', attribute: 'vectors', ...intBase10 },
  ...(['domain', 'bus', 'slot', 'function'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'pci', attribute, ...uintAuto })),
  ...(['controller', 'bus', 'target', 'unit'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'drive', attribute, ...uintBase10, writtenSigned: true as const })),
  ...(['controller', 'bus', 'port'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'virtio-serial', attribute, ...uintBase10, writtenSigned: true as const })),
  ...(['controller', 'slot'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'ccid', attribute, ...uintBase10, writtenSigned: true as const })),
  ...(['cssid', 'ssid', 'devno'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'ccw', attribute, ...uintAuto })),
  // (a USB address's bus, virDomainDeviceUSBAddressParseXML; its port is a dotted path, read apart)
  { element: 'address', addressType: 'usb', attribute: 'bus', ...uintBase10 },
  // (an ISA address's I/O base and IRQ in hex, virDomainDeviceISAAddressParseXML; a DIMM slot, virDomainDeviceDimmAddressParseXML)
  ...(['iobase', 'irq'] as const).map((attribute) => ({ element: 'address' as const, addressType: 'isa', attribute, kind: 'uint' as const, base: 16 as const, hex: true as const })),
  { element: 'address', addressType: 'dimm', attribute: 'slot', ...uintBase10 },
]

const int32Max = 2 ** 31 - 1
const uint32Max = 2 ** 32 - 1

/** C's `isspace` in the "C" locale. */
function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10
  return 99
}

/**
 * The integer C's strtol/strtoul read from the whole of `text` in `base` (0: `0x` hex, leading `0`
 * octal, else decimal), as `sign` and `magnitude` (the magnitude capped just above 2^32, where both
 * readers have overflowed anyway); `undefined` when the text is not entirely one integer.
 */
export function readCInteger(text: string, base: 0 | 10 | 16): { readonly negative: boolean; readonly magnitude: number } | undefined {
  let i = 0
  const n = text.length
  while (i < n && isCSpace(text.charCodeAt(i))) i++
  let negative = false
  if (text[i] === '+' || text[i] === '-') { negative = text[i] === '-'; i++ }
  let radix: number = base
  const hexPrefix = text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text.charCodeAt(i + 2)) < 16
  if ((base === 0 || base === 16) && hexPrefix) { radix = 16; i += 2 } else if (base === 0) radix = text[i] === '0' ? 8 : 10
  const start = i
  let magnitude = 0
  for (; i < n; i++) {
    const d = digitValue(text.charCodeAt(i))
    if (d >= radix) return undefined
    magnitude = Math.min(magnitude * radix + d, uint32Max + 1)
  }
  // strtol needs a digit; a lone `0x` reads as `0` followed by an `x` that is not consumed
  if (i === start) return undefined
  return { negative, magnitude }
}

/** A C `int` as virStrToLong_i reads it (strtol over the whole text, in `base`, within 32 bits); `undefined` when it does not read. */
export function readCInt(text: string, base: 0 | 10 | 16): number | undefined {
  const found = readCInteger(text, base)
  if (!found || found.magnitude > (found.negative ? int32Max + 1 : int32Max)) return undefined
  return found.negative && found.magnitude !== 0 ? -found.magnitude : found.magnitude
}

/**
 * An attribute's value as libvirt reads it, or its error in libvirt's words
 * (`Invalid value for attribute 'index' in element 'controller': 'x'. Expected integer value`).
 */
export function readLibvirtInteger(value: string, read: IntegerRead, where: { readonly element: string; readonly attribute: string }): { readonly value: number } | { readonly error: string } {
  const found = readCInteger(value, read.base)
  const invalid = (expected: string): { error: string } => ({ error: `Invalid value for attribute '${where.attribute}' in element '${where.element}': '${value}'. ${expected}` })
  if (read.kind === 'uint') {
    // virStrToLong_uip refuses any minus sign, even on zero
    if (!found || found.negative || found.magnitude > uint32Max) return invalid('Expected non-negative integer value')
    return { value: found.magnitude }
  }
  if (!found || found.magnitude > (found.negative ? int32Max + 1 : int32Max)) return invalid('Expected integer value')
  const signed = found.negative ? -found.magnitude : found.magnitude
  if (read.nonNegative && signed < 0) return invalid('Expected non-negative value')
  return { value: signed === 0 ? 0 : signed }
}

/** The largest PCI controller index libvirt accepts (a PCI bus number is 8 bits; virDomainControllerDefValidate). */
export const maxPciControllerIndex = 255

/**
 * What libvirt refuses in a PCI address once its numbers are read, in libvirt's words, or `undefined`:
 * bus, slot and function out of range (virPCIDeviceAddressParseXML, checked in that order), then a
 * domain other than 0, which the QEMU driver does not offer.
 */
export function pciAddressProblem(address: { readonly domain: number; readonly bus: number; readonly slot: number; readonly function: number }): string | undefined {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')
  if (address.bus > 0xff) return `Invalid PCI address bus='0x${hex(address.bus, 2)}', must be <= 0xFF`
  if (address.slot > 0x1f) return `Invalid PCI address slot='0x${hex(address.slot, 2)}', must be <= 0x1F`
  if (address.function > 7) return `Invalid PCI address function=0x${hex(address.function, 1)}, must be <= 7`
  if (address.domain !== 0) return `Invalid PCI address ${hex(address.domain, 4)}:${hex(address.bus, 2)}:${hex(address.slot, 2)}.${hex(address.function, 1)}. Only PCI domain 0 is available`
  return undefined
}

/**
 * A USB redirection filter rule's device version as virDomainRedirFilterUSBVersionHelper reads it — `JJ.MN`: a major
 * number (virStrToLong_ui with an end: C space, a sign, decimal digits, something after), a `.`, a minor number over
 * the rest (virStrToLong_ui: the whole of it), each below 100, a one-character minor taken as tens (`2.1` is 2.10) —
 * written as its formatter writes it (`%d.%02d`: `+1.+1` is `1.01`, `02.00` is `2.00`), or `undefined` when libvirt
 * refuses it ("Cannot parse USB device version …"). `-1` itself, any version, is its caller's.
 */
export function readUsbDeviceVersion(text: string): string | undefined {
  const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)/.exec(text)
  if (!m) return undefined
  const major = uintOfStrtoul(m[1]!, m[2]!)
  if (major === undefined || text[m[0].length] !== '.') return undefined
  const rest = text.slice(m[0].length + 1)
  const n = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)$/.exec(rest)
  const minor = n ? uintOfStrtoul(n[1]!, n[2]!) : undefined
  if (minor === undefined || major >= 100 || minor >= 100) return undefined
  return `${major}.${String(rest.length === 1 ? minor * 10 : minor).padStart(2, '0')}`
}

/** The unsigned int virStrToLong_ui makes of strtoul's sign and digits (a minus wraps within 32 bits), or undefined. */
function uintOfStrtoul(sign: string, digits: string): number | undefined {
  const value = BigInt(digits)
  if (value > 0xffffffffn) return undefined
  return Number(sign === '-' ? (0x100000000n - value) % 0x100000000n : value)
}
