// libvirt's bitmaps (private): virBitmapParse's `0-3,^2,8` read as sorted ranges, so that a huge range such
// as `0-2147483647` stays one pair — the one home of that grammar for every rule and refusal.
import { PreviewError } from './errors.ts'

/**
 * A libvirt bitmap (virBitmapParse: `0-3,^2,8`) as sorted, disjoint, non-adjacent ranges — `[[0, 1], [3, 3], [8, 8]]`
 * — so that a huge range such as `0-2147483647` stays small; `undefined` when it is not a bitmap.
 */
export type Bitmap = readonly (readonly [number, number])[]

export function parseBitmap(value: string): Bitmap | undefined {
  let out: Bitmap = []
  for (const raw of value.split(',')) {
    const part = raw.trim()
    if (part === '') continue
    const neg = part.startsWith('^')
    const m = /^(\d+)(?:-(\d+))?$/.exec(neg ? part.slice(1) : part)
    if (!m) return undefined
    const a = Number(m[1])
    const b = m[2] === undefined ? a : Number(m[2])
    if (b < a) continue
    out = neg ? bitmapWithout(out, a, b) : bitmapWith(out, a, b)
  }
  return out
}

/** The bitmap libvirt reads, or its refusal (`Failed to parse bitmap '0-x'`). */
export function readBitmap(value: string, path: string): Bitmap {
  const bitmap = parseBitmap(value)
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
