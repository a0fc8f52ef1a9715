import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainModelError, formatLibvirtPretty, formatSize, parseHumanSize, parseSize } from '../src/index.ts'
import { errorOf } from './_helpers.ts'

const settings = { seed: 20261124, numRuns: 300 } as const


describe('parseSize (libvirt virScaleInteger)', () => {
  const K = 1024
  it.each([
    ['b', 1], ['byte', 1], ['bytes', 1], ['B', 1], ['BYTES', 1],
    ['k', K], ['K', K], ['KiB', K], ['kib', K], ['KIB', K], ['KB', 1000], ['kb', 1000], ['kB', 1000],
    ['M', K ** 2], ['MiB', K ** 2], ['MB', 1000 ** 2], ['Mb', 1000 ** 2],
    ['G', K ** 3], ['GiB', K ** 3], ['GB', 1000 ** 3],
    ['T', K ** 4], ['TiB', K ** 4], ['TB', 1000 ** 4],
    ['P', K ** 5], ['PiB', K ** 5], ['PB', 1000 ** 5],
  ])('unit %s scales by %d', (unit, scale) => {
    expect(parseSize('1', unit)).toBe(scale)
  })

  it('knows the exa units, though one of them is already beyond a safe integer', () => {
    for (const unit of ['e', 'E', 'EiB', 'EB', 'eb']) {
      expect(parseSize('0', unit)).toBe(0)
      expect(errorOf(() => parseSize('1', unit)).code).toBe('model-value-out-of-range')
    }
  })

  it('uses the default unit when the unit is absent or empty, bytes unless told', () => {
    expect(parseSize('4096')).toBe(4096)
    expect(parseSize('4096', '')).toBe(4096)
    expect(parseSize('4096', undefined, { defaultUnit: 'KiB' })).toBe(4096 * 1024)
    expect(parseSize('4096', '', { defaultUnit: 'KiB' })).toBe(4096 * 1024)
  })

  it("reads the number as strtoull does: leading space and '+' yes, anything else no", () => {
    expect(parseSize(' \n\t+12', 'KiB')).toBe(12 * 1024)
    for (const bad of ['', ' ', '-0', '-1', '1.5', '12 ', '0x10', '1e3', 'twelve', '+-1', '١٢']) {
      const error = errorOf(() => parseSize(bad, 'KiB', { path: 'domain/memory' }))
      expect(error.code).toBe('model-invalid-value')
      expect(error.path).toBe('domain/memory')
      expect(error.message).toContain('expected a non-negative integer')
    }
  })

  it('refuses unit names libvirt does not know (ASCII case folding only)', () => {
    for (const unit of ['kibi', 'KiBs', 'iB', 'bit', 'Z', 'ZiB', 'x', 'KB ', ' KB', '\u212AiB', 'kiB2']) {
      const error = errorOf(() => parseSize('1', unit, { path: 'domain/memory/@unit' }))
      expect(error.code).toBe('model-invalid-value')
      expect(error.path).toBe('domain/memory/@unit')
      expect(error.message).toMatch(/^Unexpected unit `.*`, expected one of/)
    }
  })

  it('refuses results above Number.MAX_SAFE_INTEGER bytes', () => {
    expect(parseSize(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
    expect(errorOf(() => parseSize(String(Number.MAX_SAFE_INTEGER + 1))).code).toBe('model-value-out-of-range')
    expect(errorOf(() => parseSize('8', 'PiB')).code).toBe('model-value-out-of-range')
    expect(parseSize('7', 'PiB')).toBe(7 * 1024 ** 5)
    expect(errorOf(() => parseSize('99999999999999999999999999', 'b')).code).toBe('model-value-out-of-range')
  })
})

describe('formatSize', () => {
  it('picks the largest binary unit that divides exactly', () => {
    expect(formatSize(0)).toEqual({ value: 0, unit: 'bytes' })
    expect(formatSize(1000)).toEqual({ value: 1000, unit: 'bytes' })
    expect(formatSize(1024)).toEqual({ value: 1, unit: 'KiB' })
    expect(formatSize(1536 * 1024)).toEqual({ value: 1536, unit: 'KiB' })
    expect(formatSize(4 * 1024 ** 3)).toEqual({ value: 4, unit: 'GiB' })
    expect(formatSize(3 * 1024 ** 5)).toEqual({ value: 3, unit: 'PiB' })
  })

  it('writes in a given unit, which must divide exactly', () => {
    expect(formatSize(4 * 1024 ** 3, { unit: 'KiB' })).toEqual({ value: 4 * 1024 ** 2, unit: 'KiB' })
    expect(formatSize(2_000_000, { unit: 'MB' })).toEqual({ value: 2, unit: 'MB' })
    expect(errorOf(() => formatSize(1000, { unit: 'KiB', path: 'domain/memory' }))).toMatchObject({ code: 'model-invalid-value', path: 'domain/memory' })
    expect(errorOf(() => formatSize(1024, { unit: 'parsecs' })).code).toBe('model-invalid-value')
  })

  it('refuses byte counts that are not whole, non-negative and safe', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      expect(errorOf(() => formatSize(bad)).code).toBe('model-invalid-value')
    }
  })

  it('reads back with parseSize to the same bytes (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 33 }), (n, shift) => {
      const bytes = Math.min(n * 2 ** shift, Number.MAX_SAFE_INTEGER)
      const { value, unit } = formatSize(bytes)
      expect(parseSize(String(value), unit)).toBe(bytes)
    }), settings)
  })
})

describe('parseHumanSize', () => {
  it.each([
    ['4GiB', 4 * 1024 ** 3],
    ['512 MiB', 512 * 1024 ** 2],
    ['  2 g ', 2 * 1024 ** 3],
    ['1048576', 1048576],
    ['1.5G', 1.5 * 1024 ** 3],
    ['0.5KiB', 512],
    ['2GB', 2e9],
    ['10 bytes', 10],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseHumanSize(text)).toBe(bytes)
  })

  it('refuses what is not a whole number of bytes or not a size', () => {
    for (const bad of ['', 'GiB', '4 GiB extra', '-4GiB', '1.1b', '0.3KiB', '4 furlongs', '1,5G']) {
      expect(errorOf(() => parseHumanSize(bad, { path: 'memory' }))).toMatchObject({ code: 'model-invalid-value', path: 'memory' })
    }
    expect(errorOf(() => parseHumanSize('9PiB')).code).toBe('model-value-out-of-range')
  })
})

describe('formatLibvirtPretty', () => {
  it('writes the largest binary unit up to PiB that divides the size, else bytes as B (virFormatIntPretty)', () => {
    expect(formatLibvirtPretty(48n * 1024n * 1024n)).toEqual({ value: 48n, unit: 'MiB' })
    expect(formatLibvirtPretty(1536n)).toEqual({ value: 1536n, unit: 'B' })
    expect(formatLibvirtPretty(0n)).toEqual({ value: 0n, unit: 'B' })
    expect(formatLibvirtPretty(3n * 1024n)).toEqual({ value: 3n, unit: 'KiB' })
    expect(formatLibvirtPretty(2048n * 1024n ** 5n)).toEqual({ value: 2048n, unit: 'PiB' })
  })
})
