// A document that starts with a BOM: error places are places in the bytes (the BOM's 3 bytes count in
// the offset, not as a column), the same from the reference parser and from the WebAssembly engine.
import { describe, expect, it } from 'vitest'
import { createEngine, parseXml, XmlSyntaxError } from '../src/index.ts'

const bom = [0xef, 0xbb, 0xbf]
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)))

function placeOf(run: () => unknown): { code: string; offset: number | undefined; line: number | undefined; column: number | undefined } {
  try {
    run()
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error
    return { code: error.code, offset: error.place?.offset, line: error.place?.line, column: error.place?.column }
  }
  throw new Error('expected an XmlSyntaxError')
}

describe('error places after a BOM', () => {
  const cases: [string, Uint8Array, { code: string; offset: number; line: number; column: number }][] = [
    ['invalid UTF-8', bytes(bom, '<a>', [0xff], '</a>'), { code: 'xml-invalid-utf8', offset: 6, line: 1, column: 4 }],
    ['invalid UTF-8 on a later line', bytes(bom, '<a>\n  ', [0xc3, 0x28], '</a>'), { code: 'xml-invalid-utf8', offset: 9, line: 2, column: 3 }],
    ['invalid UTF-8 without a BOM', bytes('<a>', [0xff], '</a>'), { code: 'xml-invalid-utf8', offset: 3, line: 1, column: 4 }],
    ['a mismatched end tag', bytes(bom, '<a></b>'), { code: 'xml-mismatched-tag', offset: 6, line: 1, column: 4 }],
  ]
  for (const [what, input, want] of cases) {
    it(`${what}: the reference parser`, () => {
      expect(placeOf(() => parseXml(input))).toEqual(want)
    })
    it(`${what}: the WebAssembly engine`, async () => {
      const engine = await createEngine()
      expect(placeOf(() => engine.canonicalize(input))).toEqual(want)
    })
  }
})
