// libvirt's bitmaps (private): virBitmapParse's `0-3,^2,8` read as sorted ranges, so that a huge range such
// as `0-2147483647` stays one pair — the one home of that grammar for every rule and refusal.
import { PreviewError } from './errors.ts'

/**
 * A libvirt bitmap (virBitmapParse: `0-3,^2,8`) as sorted, disjoint, non-adjacent ranges — `[[0, 1], [3, 3], [8, 8]]`
 * — so that a huge range such as `0-2147483647` stays small; `undefined` when it is not a bitmap.
 */
export type Bitmap = readonly (readonly [number, number])[]

/** The most host CPUs a CPU set names (VIR_DOMAIN_CPUMASK_LEN: `cpuset='16384'` does not read). */
export const cpuMaskLength = 16384

export function parseBitmap(value: string, limit?: number): Bitmap | undefined {
  // virBitmapParse's grammar, read left to right: fields `N`, `N-M` (M ≥ N) and `^N` (clears N, in
  // order: `0-3,^1` and `^1,0-3` differ), separated by commas; spaces around numbers and after a comma;
  // a trailing comma is fine, an empty string or field is not (`''`, `,1`, `1,,2`, `^1-3`, `3-1` fail);
  // with a `limit` (virBitmapParse's size, not virBitmapParseUnlimited) a bit from it up fails, cleared or set
  const n = value.length
  let i = skipSpaces(value, 0)
  if (i === n) return undefined
  let out: Bitmap = []
  while (i < n) {
    const neg = value.charCodeAt(i) === 0x5e
    if (neg) i++
    const first = readInt(value, i, false)
    if (!first) return undefined
    const a = first.value
    i = skipSpaces(value, first.end)
    let b = a
    if (value.charCodeAt(i) === 0x2d) {
      if (neg) return undefined
      const last = readInt(value, skipSpaces(value, i + 1), true)
      if (!last || last.value < a) return undefined
      b = last.value
      i = skipSpaces(value, last.end)
    }
    if (limit !== undefined && b >= limit) return undefined
    out = neg ? bitmapWithout(out, a, b) : bitmapWith(out, a, b)
    if (i === n) break
    if (value.charCodeAt(i) !== 0x2c) return undefined
    i = skipSpaces(value, i + 1)
  }
  return out
}

/** Past C's isspace characters from `i` (virSkipSpaces). */
function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i)
    if (c === 0x20 || (c >= 9 && c <= 13)) i++
    else break
  }
  return i
}

/**
 * A decimal `int` at `i` as virStrToLong_i reads it (strtol, base 10): digits only where the field
 * starts (`signed` false), else leading spaces and a sign too; `undefined` without digits or past 2^31 - 1.
 */
function readInt(s: string, i: number, signed: boolean): { value: number; end: number } | undefined {
  let negative = false
  if (signed) {
    i = skipSpaces(s, i)
    const c = s.charCodeAt(i)
    if (c === 0x2b || c === 0x2d) { negative = c === 0x2d; i++ }
  }
  const start = i
  let value = 0
  while (i < s.length) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) break
    value = value * 10 + (c - 0x30)
    if (value > 2147483648) return undefined
    i++
  }
  if (i === start) return undefined
  if (negative) value = -value
  return value > 2147483647 ? undefined : { value: value === 0 ? 0 : value, end: i }
}

/** The bitmap libvirt reads, or its refusal (`Failed to parse bitmap '0-x'`). */
export function readBitmap(value: string, path: string, limit?: number): Bitmap {
  const bitmap = parseBitmap(value, limit)
  if (!bitmap) throw new PreviewError('preview-invalid-value', `Failed to parse bitmap '${value}'`, { path })
  return bitmap
}

export function bitmapWith(bitmap: Bitmap, a: number, b: number): Bitmap {
  const out: [number, number][] = []
  let lo = a
  let hi = b
  let placed = false
  for (const [x, y] of bitmap) {
    if (y + 1 < lo) out.push([x, y])
    else if (hi + 1 < x) { if (!placed) { out.push([lo, hi]); placed = true } out.push([x, y]) }
    else { lo = Math.min(lo, x); hi = Math.max(hi, y) }
  }
  if (!placed) out.push([lo, hi])
  return out.sort((p, q) => p[0] - q[0])
}

export function bitmapWithout(bitmap: Bitmap, a: number, b: number): Bitmap {
  const out: [number, number][] = []
  for (const [x, y] of bitmap) {
    if (y < a || x > b) { out.push([x, y]); continue }
    if (x < a) out.push([x, a - 1])
    if (y > b) out.push([b + 1, y])
  }
  return out
}

/** The first range of `[a, b]` that `bitmap` also holds, or an empty range `[1, 0]`. */
export function firstOverlap(bitmap: Bitmap, a: number, b: number): [number, number] {
  for (const [x, y] of bitmap) if (y >= a && x <= b) return [Math.max(a, x), Math.min(b, y)]
  return [1, 0]
}

export function bitmapSize(bitmap: Bitmap): number {
  return bitmap.reduce((n, [x, y]) => n + y - x + 1, 0)
}

/** …written back as libvirt does (virBitmapFormat): ascending ranges, `0,2`, `0-3`. */
export function formatBitmap(bitmap: Bitmap): string {
  return bitmap.map(([x, y]) => (x === y ? `${x}` : `${x}-${y}`)).join(',')
}

/** Whether two bitmaps share a member. */
export function bitmapsOverlap(p: Bitmap, q: Bitmap): boolean {
  return p.some(([a, b]) => q.some(([x, y]) => x <= b && a <= y))
}

/** The first member above `after` (virBitmapNextSetBit), or -1. */
export function nextSetBit(bitmap: Bitmap, after: number): number {
  for (const [a, b] of bitmap) if (b > after) return Math.max(a, after + 1)
  return -1
}
