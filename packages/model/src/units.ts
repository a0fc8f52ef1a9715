import type { Point } from '@virtuned/xml-core'
import { DomainModelError } from './errors.ts'

/**
 * Sizes as libvirt reads them (`virScaleInteger` in src/util/virutil.c, called by
 * `virParseScaledValue` in src/util/virxml.c):
 *
 * - the unit is matched case-insensitively (ASCII only): `b`, `byte`, `bytes` are bytes;
 *   one letter (`k` `m` `g` `t` `p` `e`) and a letter plus `iB` (`KiB`, `mib`, …) are powers
 *   of 1024; a letter plus one `b` (`KB`, `kb`, `Mb`, …) is a power of 1000. So `K` is
 *   1024 while `KB` is 1000, and `Mb` means megabytes, not megabits;
 * - an empty or absent unit means the caller's default (KiB for `<memory>`);
 * - the number is read by `strtoull` in base 10: leading white space and one `+` are
 *   accepted, a `-` anywhere, trailing characters and an empty string are not.
 *
 * Where virtuned is stricter than libvirt: results must fit in `Number.MAX_SAFE_INTEGER`
 * bytes (8 PiB minus one byte), because a JavaScript number holds integers exactly only that
 * far; libvirt's own ceiling for memory is 2^63 bytes.
 */

const letters = 'kmgtpe'
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER)

/** ASCII lower case, as libvirt's `g_ascii_tolower`: `toLowerCase()` would also fold e.g. U+212A KELVIN SIGN to `k`. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))
}

// Sizes are read often and their units are few: each unit name is looked up once (bounded).
const scales = new Map<string, bigint | undefined>()

/** The scale of a unit name, or `undefined` when libvirt does not know it. An empty name is not a unit here. */
function scaleOf(unit: string): bigint | undefined {
  if (scales.has(unit)) return scales.get(unit)
  const scale = readScale(unit)
  if (scales.size < 256) scales.set(unit, scale)
  return scale
}

function readScale(unit: string): bigint | undefined {
  const u = asciiLower(unit)
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1n
  let base: bigint
  if (u.length === 1 || u.slice(1) === 'ib') base = 1024n
  else if (u.length === 2 && u[1] === 'b') base = 1000n
  else return undefined
  const power = letters.indexOf(u[0]!)
  return power < 0 ? undefined : base ** BigInt(power + 1)
}

const unitList = 'b, byte, bytes, KB, K, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E, EiB (any case)'

/** Where a size was read, for error messages. */
export interface SizeOptions {
  /** The unit to use when `unit` is absent or empty (libvirt's `scale` argument). Default `'bytes'`; libvirt reads `<memory>` in `'KiB'`. */
  readonly defaultUnit?: string
  /** Path of the value in the document or spec, for the error (default `size`). */
  readonly path?: string
  /** Place of the value in the source, for the error. */
  readonly place?: Point | undefined
}

function checkedScale(unit: string, options: SizeOptions): bigint {
  const scale = scaleOf(unit)
  if (scale === undefined) {
    throw new DomainModelError('model-invalid-value', `Unexpected unit \`${unit}\`, expected one of ${unitList}`, { path: options.path ?? 'size', place: options.place })
  }
  return scale
}

function toSafeNumber(value: bigint, written: string, options: SizeOptions): number {
  if (value > maxSafe) {
    throw new DomainModelError('model-value-out-of-range', `Unexpected size \`${written}\`, expected at most ${Number.MAX_SAFE_INTEGER} bytes`, { path: options.path ?? 'size', place: options.place })
  }
  return Number(value)
}

// strtoull's grammar in base 10: C `isspace` white space, an optional sign, digits.
const strtoullPattern = /^[ \t\n\v\f\r]*\+?([0-9]+)$/

/**
 * Read a size the way libvirt reads `<memory unit='…'>value</memory>` and every other
 * scaled integer in domain XML, and return it in bytes.
 *
 * @param value - The number as written (element text or attribute value).
 * @param unit - The unit as written (the `unit` attribute), if any.
 * @throws DomainModelError `model-invalid-value` for a value that is not a non-negative integer or an unknown unit,
 *   `model-value-out-of-range` for more than `Number.MAX_SAFE_INTEGER` bytes.
 * @example parseSize('4', 'GiB') === 4294967296; parseSize('1024', undefined, { defaultUnit: 'KiB' }) === 1048576
 */
export function parseSize(value: string, unit?: string, options: SizeOptions = {}): number {
  const digits = strtoullPattern.exec(value)?.[1]
  if (digits === undefined) {
    throw new DomainModelError('model-invalid-value', `Unexpected \`${value}\`, expected a non-negative integer`, { path: options.path ?? 'size', place: options.place })
  }
  const scale = unit === undefined || unit === '' ? checkedScale(options.defaultUnit ?? 'bytes', options) : checkedScale(unit, options)
  return toSafeNumber(BigInt(digits) * scale, unit ? `${value} ${unit}` : value, options)
}

/**
 * A scaled integer as libvirt reads it, in bytes, without virtuned's ceiling: strtoull's grammar and
 * virScaleInteger's units (`defaultUnit` when `unit` is absent or empty); `'value'` or `'unit'` names what does
 * not read. For callers that check libvirt's own limits.
 */
export function readScaledBytes(value: string, unit: string | undefined, defaultUnit = 'bytes'): bigint | 'value' | 'unit' {
  const digits = strtoullPattern.exec(value)?.[1]
  if (digits === undefined || BigInt(digits) > 2n ** 64n - 1n) return 'value'
  const scale = scaleOf(unit === undefined || unit === '' ? defaultUnit : unit)
  return scale === undefined ? 'unit' : BigInt(digits) * scale
}

const llongMax = 2n ** 63n - 1n

/**
 * A memory size as libvirt reads it (virDomainParseMemory → virScaleInteger): an unsigned decimal count of
 * `unit` (KiB when none is given), at most 2^63 − 1 bytes, stored in KiB rounded up — or libvirt's refusal,
 * in its words. `xpath` is how libvirt names the element in its message (`./memory[1]`).
 */
export function readLibvirtMemory(text: string, unit: string | undefined, xpath: string): { readonly kib: number } | { readonly error: string } {
  const read = readLibvirtScaled(text, unit, 'KiB', llongMax, xpath)
  if ('error' in read) return read
  // (then its KiB below 2^53 — VIR_DIV_UP(LLONG_MAX, 1024) —, else libvirt's overflow: 2^63 − 1 bytes is refused so,
  // a TCG translation cache of `9223372036854775807` bytes on libvirtd 9.0)
  const kib = (read.bytes + 1023n) / 1024n
  return kib >= (llongMax + 1023n) / 1024n ? { error: 'size value too large' } : { kib: Number(kib) }
}

/**
 * A scaled value as libvirt reads it (virParseScaledValue → virScaleInteger): an unsigned decimal count of `unit`
 * (`defaultUnit` when none is given), at most `limit` bytes — or libvirt's refusal, in its words. `xpath` is how
 * libvirt names the element in its message (`string(./features/smm/tseg)`, `./memtune/hard_limit[1]`).
 */
export function readLibvirtScaled(text: string, unit: string | undefined, defaultUnit: string, limit: bigint, xpath: string): { readonly bytes: bigint } | { readonly error: string } {
  const bytes = readScaledBytes(text, unit, defaultUnit)
  if (bytes === 'value') return { error: `Invalid value '${text}' for element or attribute '${xpath}'` }
  if (bytes === 'unit') return { error: `unknown suffix '${unit}'` }
  if (bytes > limit) return { error: `value too large: ${strtoullPattern.exec(text)![1]!.replace(/^0+(?=\d)/, '')}${unit ?? ''}` }
  return { bytes }
}

// The binary units formatSize picks from, largest first.
const binaryUnits = [['EiB', 1024n ** 6n], ['PiB', 1024n ** 5n], ['TiB', 1024n ** 4n], ['GiB', 1024n ** 3n], ['MiB', 1024n ** 2n], ['KiB', 1024n]] as const

/** A size as libvirt writes it: a whole number and a unit name. */
export interface FormattedSize {
  readonly value: number
  readonly unit: string
}

function checkBytes(bytes: number, path: string): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new DomainModelError('model-invalid-value', `Unexpected size \`${bytes}\`, expected a whole number of bytes from 0 to ${Number.MAX_SAFE_INTEGER}`, { path })
  }
}

/**
 * Write a byte count as `{ value, unit }`: in the largest binary unit (`KiB` … `EiB`) that
 * divides it exactly, or in `bytes`. With `unit`, in that unit (any name {@link parseSize}
 * accepts), which must divide the size exactly — libvirt prints memory as `unit='KiB'`.
 *
 * @throws DomainModelError `model-invalid-value` for a negative, fractional or unsafe byte count, an
 *   unknown unit, or a size that is not a whole number of `unit`.
 * @example formatSize(4294967296) → { value: 4, unit: 'GiB' }; formatSize(4294967296, { unit: 'KiB' }) → { value: 4194304, unit: 'KiB' }
 */
export function formatSize(bytes: number, options: { readonly unit?: string; readonly path?: string } = {}): FormattedSize {
  const path = options.path ?? 'size'
  checkBytes(bytes, path)
  const big = BigInt(bytes)
  if (options.unit !== undefined) {
    const scale = checkedScale(options.unit, { path })
    if (big % scale !== 0n) {
      throw new DomainModelError('model-invalid-value', `Unexpected size ${bytes} bytes, expected a whole number of ${options.unit}`, { path })
    }
    return { value: Number(big / scale), unit: options.unit }
  }
  if (big !== 0n) for (const [unit, scale] of binaryUnits) if (big % scale === 0n) return { value: Number(big / scale), unit }
  return { value: bytes, unit: 'bytes' }
}

/** Scales (bytes per unit) that are exact as a float. */
const maxExactScale = 2n ** 53n

// A number (digits, optionally a fraction), optional spaces, an optional unit.
const humanPattern = /^\s*([0-9]+)(?:\.([0-9]+))?\s*([A-Za-z]*)\s*$/

/**
 * Read a size as people write it in a spec or on a command line: `'4GiB'`, `'512 MiB'`,
 * `'1.5G'`, or a plain number of bytes (`'1048576'`). Units are libvirt's, case-insensitive
 * (so `G` and `GiB` are 1024³ and `GB` is 1000³). A fraction is accepted when the result is a
 * whole number of bytes.
 *
 * @throws DomainModelError `model-invalid-value` for anything else, `model-value-out-of-range` above `Number.MAX_SAFE_INTEGER` bytes.
 */
export function parseHumanSize(text: string, options: { readonly path?: string } = {}): number {
  const path = options.path ?? 'size'
  const match = humanPattern.exec(text)
  if (!match) {
    throw new DomainModelError('model-invalid-value', `Unexpected size \`${text}\`, expected a number and an optional unit such as \`4GiB\` or \`512 MiB\``, { path })
  }
  const [, whole, fraction = '', unit = ''] = match
  const scale = unit === '' ? 1n : checkedScale(unit, { path })
  // A whole number small enough for exact float arithmetic (the usual `4GiB`): a product of two
  // integers that comes out at most 2^53 − 1 is exact; anything larger takes the BigInt path below.
  if (fraction === '' && whole!.length <= 15 && scale <= maxExactScale) {
    const bytes = Number(whole) * Number(scale)
    if (bytes <= Number.MAX_SAFE_INTEGER) return bytes
  }
  const denominator = 10n ** BigInt(fraction.length)
  const scaled = BigInt(whole! + fraction) * scale
  if (scaled % denominator !== 0n) {
    throw new DomainModelError('model-invalid-value', `Unexpected size \`${text}\`, expected a whole number of bytes`, { path })
  }
  return toSafeNumber(scaled / denominator, text, { path })
}

/**
 * A byte count as libvirt's virFormatIntPretty writes it (the SMM `<tseg>` size): in the largest binary unit up to
 * `PiB` that divides it exactly, else in `B` (zero too).
 */
export function formatLibvirtPretty(bytes: bigint): { readonly value: bigint; readonly unit: string } {
  if (bytes === 0n || bytes % 1024n !== 0n) return { value: bytes, unit: 'B' }
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const
  let value = bytes / 1024n
  for (const unit of units) {
    if (unit === 'PiB' || value % 1024n !== 0n) return { value, unit }
    value /= 1024n
  }
  return { value, unit: 'PiB' }
}
