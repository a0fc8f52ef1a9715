// XDR (RFC 4506) as libvirt's remote protocol uses it: big-endian 4-byte units, lengths before
// strings, opaques and arrays, zero padding to a multiple of 4, pointers as a bool then the value.
// Decoding is bounds-checked everywhere: a short, oversized or garbled buffer is an XdrError with
// the byte offset, never a RangeError from a DataView and never an allocation sized by the peer.
import { XdrError } from './errors.ts'

const utf8Decoder = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()

const INT_MIN = -0x8000_0000
const INT_MAX = 0x7fff_ffff
const UINT_MAX = 0xffff_ffff
const HYPER_MIN = -(2n ** 63n)
const HYPER_MAX = 2n ** 63n - 1n
const UHYPER_MAX = 2n ** 64n - 1n

function pad(length: number): number {
  return (4 - (length & 3)) & 3
}

/** Reads XDR values from a byte range, front to back. Every read checks what is left first. */
export class XdrReader {
  readonly #view: DataView
  readonly #bytes: Uint8Array
  readonly #end: number
  #offset: number

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    if (offset < 0 || end > bytes.length || offset > end) throw new XdrError('xdr-truncated', `Range ${offset}…${end} is outside the ${bytes.length}-byte buffer`, offset)
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#offset = offset
    this.#end = end
  }

  /** The position of the next read. */
  get offset(): number {
    return this.#offset
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.#end - this.#offset
  }

  #need(count: number, what: string): void {
    if (count > this.#end - this.#offset) {
      throw new XdrError('xdr-truncated', `Unexpected end of data, expected ${what} (${count} bytes, ${this.#end - this.#offset} left)`, this.#offset)
    }
  }

  /** A signed 32-bit `int`. */
  int(): number {
    this.#need(4, 'an int')
    const value = this.#view.getInt32(this.#offset)
    this.#offset += 4
    return value
  }

  /** An `unsigned int`. */
  uint(): number {
    this.#need(4, 'an unsigned int')
    const value = this.#view.getUint32(this.#offset)
    this.#offset += 4
    return value
  }

  /** A signed 64-bit `hyper`. */
  hyper(): bigint {
    this.#need(8, 'a hyper')
    const value = this.#view.getBigInt64(this.#offset)
    this.#offset += 8
    return value
  }

  /** An `unsigned hyper`. */
  uhyper(): bigint {
    this.#need(8, 'an unsigned hyper')
    const value = this.#view.getBigUint64(this.#offset)
    this.#offset += 8
    return value
  }

  /** A `bool`: exactly 0 or 1. */
  bool(): boolean {
    const at = this.#offset
    const value = this.int()
    if (value !== 0 && value !== 1) throw new XdrError('xdr-invalid-value', `Unexpected bool ${value}, expected 0 or 1`, at)
    return value === 1
  }

  /** `opaque name[length]`: exactly `length` bytes, then padding. Returns a copy. */
  fixedOpaque(length: number): Uint8Array {
    this.#need(length + pad(length), `${length} opaque bytes`)
    // A copy as a plain Uint8Array (Buffer#slice would be a view that keeps the whole packet alive).
    const value = new Uint8Array(this.#bytes.subarray(this.#offset, this.#offset + length))
    this.#offset += length + pad(length)
    return value
  }

  /** `opaque name<max>`: a length (≤ `max`), the bytes, padding. Returns a copy. */
  opaque(max: number): Uint8Array {
    const at = this.#offset
    const length = this.uint()
    if (length > max) throw new XdrError('xdr-limit-exceeded', `Opaque of ${length} bytes is over its limit of ${max}`, at)
    return this.fixedOpaque(length)
  }

  /** `string name<max>`: UTF-8, at most `max` bytes. */
  string(max: number): string {
    const at = this.#offset
    const bytes = this.opaque(max)
    try {
      return utf8Decoder.decode(bytes)
    } catch {
      throw new XdrError('xdr-invalid-utf8', `String of ${bytes.length} bytes is not valid UTF-8`, at + 4)
    }
  }

  /** `type *name`: a bool, then the value when it is 1. */
  optional<T>(read: (reader: XdrReader) => T): T | undefined {
    return this.bool() ? read(this) : undefined
  }

  /**
   * `type name<max>`: a count (≤ `max`), then the elements. `minSize` is the smallest encoding of one
   * element (4 for anything XDR), so a count the remaining bytes cannot hold fails before any loop.
   */
  array<T>(max: number, read: (reader: XdrReader) => T, minSize = 4): T[] {
    const at = this.#offset
    const count = this.uint()
    if (count > max) throw new XdrError('xdr-limit-exceeded', `Array of ${count} elements is over its limit of ${max}`, at)
    if (count * minSize > this.remaining) throw new XdrError('xdr-truncated', `Array announces ${count} elements but only ${this.remaining} bytes follow`, at)
    const items: T[] = []
    for (let i = 0; i < count; i++) items.push(read(this))
    return items
  }

  /** `union switch (int discriminant)`: reads the discriminant and the arm it selects. */
  union<T>(arms: Readonly<Record<number, (reader: XdrReader) => T>>): { discriminant: number; value: T } {
    const at = this.#offset
    const discriminant = this.int()
    const arm = arms[discriminant]
    if (!arm) throw new XdrError('xdr-invalid-value', `Unexpected union discriminant ${discriminant}, expected one of ${Object.keys(arms).join(', ')}`, at)
    return { discriminant, value: arm(this) }
  }

  /** Asserts that everything was read. */
  end(): void {
    if (this.#offset !== this.#end) throw new XdrError('xdr-trailing-bytes', `Unexpected ${this.#end - this.#offset} bytes after the last field`, this.#offset)
  }
}

/** Writes XDR values into a growing buffer that refuses to pass `maxBytes`. */
export class XdrWriter {
  #bytes: Uint8Array
  #view: DataView
  #length = 0
  readonly #maxBytes: number

  constructor(options: { maxBytes?: number; initialBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER
    this.#bytes = new Uint8Array(options.initialBytes ?? 256)
    this.#view = new DataView(this.#bytes.buffer)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length
  }

  /**
   * Room for `count` more bytes; returns where they go. Call it before reading `#view`: growing
   * replaces the view, and `this.#view.setUint32(this.#reserve(4), v)` would write through the old one
   * (a call's target is read before its arguments run).
   */
  #reserve(count: number): number {
    const at = this.#length
    const needed = at + count
    if (needed > this.#maxBytes) throw new XdrError('xdr-limit-exceeded', `Message of at least ${needed} bytes is over the ${this.#maxBytes}-byte limit`, at)
    if (needed > this.#bytes.length) {
      let size = this.#bytes.length * 2
      while (size < needed) size *= 2
      const grown = new Uint8Array(Math.min(size, Math.max(needed, this.#maxBytes)))
      grown.set(this.#bytes.subarray(0, at))
      this.#bytes = grown
      this.#view = new DataView(grown.buffer)
    }
    this.#length = needed
    return at
  }

  #integer(value: number, min: number, max: number, what: string): void {
    if (!Number.isInteger(value) || value < min || value > max) throw new XdrError('xdr-invalid-value', `Unexpected ${what} ${value}, expected an integer in ${min}…${max}`, this.#length)
  }

  int(value: number): this {
    this.#integer(value, INT_MIN, INT_MAX, 'int')
    const at = this.#reserve(4)
    this.#view.setInt32(at, value)
    return this
  }

  uint(value: number): this {
    this.#integer(value, 0, UINT_MAX, 'unsigned int')
    const at = this.#reserve(4)
    this.#view.setUint32(at, value)
    return this
  }

  hyper(value: bigint): this {
    if (value < HYPER_MIN || value > HYPER_MAX) throw new XdrError('xdr-invalid-value', `Unexpected hyper ${value}, out of 64-bit signed range`, this.#length)
    const at = this.#reserve(8)
    this.#view.setBigInt64(at, value)
    return this
  }

  uhyper(value: bigint): this {
    if (value < 0n || value > UHYPER_MAX) throw new XdrError('xdr-invalid-value', `Unexpected unsigned hyper ${value}, out of 64-bit unsigned range`, this.#length)
    const at = this.#reserve(8)
    this.#view.setBigUint64(at, value)
    return this
  }

  bool(value: boolean): this {
    return this.int(value ? 1 : 0)
  }

  /** `opaque name[length]`: the bytes must be exactly `length` long. */
  fixedOpaque(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) throw new XdrError('xdr-invalid-value', `Unexpected ${bytes.length} bytes for a fixed opaque of ${length}`, this.#length)
    const at = this.#reserve(length + pad(length))
    this.#bytes.set(bytes, at)
    this.#bytes.fill(0, at + length, at + length + pad(length))
    return this
  }

  /** `opaque name<max>`. */
  opaque(bytes: Uint8Array, max: number): this {
    if (bytes.length > max) throw new XdrError('xdr-limit-exceeded', `Opaque of ${bytes.length} bytes is over its limit of ${max}`, this.#length)
    this.uint(bytes.length)
    return this.fixedOpaque(bytes, bytes.length)
  }

  /** `string name<max>` (UTF-8; `max` counts bytes). */
  string(value: string, max: number): this {
    return this.opaque(utf8Encoder.encode(value), max)
  }

  /** `type *name`. */
  optional<T>(value: T | undefined, write: (writer: XdrWriter, value: T) => void): this {
    this.bool(value !== undefined)
    if (value !== undefined) write(this, value)
    return this
  }

  /** `type name<max>`. */
  array<T>(items: readonly T[], max: number, write: (writer: XdrWriter, item: T) => void): this {
    if (items.length > max) throw new XdrError('xdr-limit-exceeded', `Array of ${items.length} elements is over its limit of ${max}`, this.#length)
    this.uint(items.length)
    for (const item of items) write(this, item)
    return this
  }

  /** Raw bytes, already XDR-encoded (no length, no padding added). */
  raw(bytes: Uint8Array): this {
    this.#bytes.set(bytes, this.#reserve(bytes.length))
    return this
  }

  /** Overwrites an unsigned int at `offset` (for a length word written before its content). */
  patchUint(offset: number, value: number): this {
    this.#integer(value, 0, UINT_MAX, 'unsigned int')
    if (offset < 0 || offset + 4 > this.#length) throw new XdrError('xdr-invalid-value', `Cannot patch at ${offset}`, offset)
    this.#view.setUint32(offset, value)
    return this
  }

  /** The bytes written (a copy, sized exactly). */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length)
  }
}
