// The parser's fast paths against what XML says, with oracles written here from the spec, not
// from the parser: a value is one slice unless a reference or a line break splits it, an end tag
// `</name>` is matched in place, start places are counted on from the last one (and from the top
// when an error lies behind it). Each test runs the fast and the general path on the same content.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { applyMutation, mutationOf } from '../../../tools/mutations.ts'
import { parseXml, toXml, XmlSyntaxError, type Element, type ElementContent, type Point, type Root } from '../src/index.ts'
import { element } from './_arbitraries.ts'

const settings = { seed: 20261203, numRuns: 400 } as const

// ---- oracles -------------------------------------------------------------------

/** XML 1.0 §2.11: `\r\n` and a lone `\r` in literal text read as `\n`. */
const lineEnds = (literal: string): string => literal.replace(/\r\n?/g, '\n')
/** XML 1.0 §3.3.3: then a literal tab or newline in an attribute value reads as a space. */
const attributeSpace = (literal: string): string => lineEnds(literal).replace(/[\t\n]/g, ' ')

/**
 * The point of byte `offset` of UTF-8 `bytes`: a `\r` ends a line, and so does a `\n` that does
 * not follow one (`\r\n` is one line end); columns count code points, a leading BOM none.
 */
function pointAt(bytes: Uint8Array, offset: number): Point {
  let line = 1
  let column = 1
  for (let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; i < offset; i++) {
    const b = bytes[i]!
    if (b === 0x0d || (b === 0x0a && bytes[i - 1] !== 0x0d)) { line++; column = 1 }
    else if (b !== 0x0a && (b & 0xc0) !== 0x80) column++
  }
  return { line, column, offset }
}

/** Every node with its parent's name, depth first. */
function* nodesOf(root: Root): Generator<ElementContent | Root> {
  yield root
  const stack: (Root | Element)[] = [root]
  while (stack.length > 0) {
    const parent = stack.pop()!
    for (const child of parent.children) {
      yield child
      if (child.type === 'element') stack.push(child)
    }
  }
}

const strip = (root: Root): unknown => JSON.parse(JSON.stringify(root, (key, value) => (key === 'position' ? undefined : value)))

/** The error as data, or `undefined` when the input parses. */
function errorOf(run: () => unknown): { code: string; message: string; place: Point | undefined; snippet: string } | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(XmlSyntaxError)
    const { code, message, place, snippet } = error as XmlSyntaxError
    return { code, message, place, snippet }
  }
}

/**
 * Checks every position in `root` against the bytes: each point where the oracle puts its offset,
 * each element's bytes from `<name` to `>`, each comment, CDATA section and instruction in its
 * delimiters; and the tree without positions is the same tree.
 */
function checkPositions(bytes: Uint8Array, root: Root): void {
  const decoder = new TextDecoder()
  for (const node of nodesOf(root)) {
    const { start, end } = node.position!
    expect(start).toEqual(pointAt(bytes, start.offset))
    expect(end).toEqual(pointAt(bytes, end.offset))
    const source = decoder.decode(bytes.subarray(start.offset, end.offset))
    if (node.type === 'element') {
      expect(source.startsWith('<' + node.name)).toBe(true)
      expect(source.endsWith('>')).toBe(true)
    } else if (node.type === 'comment') expect(lineEnds(source)).toBe('<!--' + node.value + '-->')
    else if (node.type === 'cdata') expect(source.startsWith('<![CDATA[') && source.endsWith(']]>')).toBe(true)
    else if (node.type === 'instruction') expect(source.startsWith('<?' + node.name) && source.endsWith('?>')).toBe(true)
    else if (node.type === 'text' && !source.includes('&') && !source.includes('\r')) expect(source).toBe(node.value)
  }
}

// ---- values: one slice, or pieces around references ------------------------------

// A piece of content: literal characters (no markup), or characters written as references.
const literalChar = fc.oneof(
  fc.constantFrom('a', 'Z', '0', ' ', '\t', '\n', '\r', '\r\n', '/', '=', '>', 'é', '€', '𝄞', '\u0085', '\u2028'),
  fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCodePoint(c)).filter((c) => !'<&"\']'.includes(c)),
)
const piece = fc.oneof(
  fc.array(literalChar, { minLength: 1, maxLength: 6 }).map((cs) => ({ literal: true as const, text: cs.join('') })),
  fc.array(fc.oneof(literalChar, fc.constantFrom('<', '&', '"', "'", ']', '>')), { minLength: 1, maxLength: 3 }).map((cs) => ({ literal: false as const, text: cs.join('') })),
)
const referenceOf = (text: string, style: number): string => Array.from(text, (c) => {
  const named: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }
  if (style === 0 && named[c]) return named[c]
  const code = c.codePointAt(0)!
  return style === 1 ? `&#${code};` : `&#x${code.toString(16)};`
}).join('')

/** The markup for `pieces`, and what the parser must read from it as text and as an attribute value. */
function spell(pieces: readonly { literal: boolean; text: string }[], style: number): { markup: string; text: string; attribute: string } {
  let markup = ''
  let text = ''
  let attribute = ''
  let run = ''
  const flush = () => { text += lineEnds(run); attribute += attributeSpace(run); run = '' }
  for (const p of pieces) {
    if (p.literal) { markup += p.text; run += p.text; continue }
    flush()
    markup += referenceOf(p.text, style)
    text += p.text
    attribute += p.text
  }
  flush()
  return { markup, text, attribute }
}

describe('values', () => {
  it('text and attribute values read as XML says, with and without references between literal runs', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }), fc.nat({ max: 2 }), fc.boolean(), (pieces, style, positions) => {
      const { markup, text, attribute } = spell(pieces, style)
      const root = parseXml(`<r a="${markup}" b='${markup}'>${markup}</r>`, { positions })
      const r = root.children[0] as Element
      expect(r.attributes).toEqual({ a: attribute, b: attribute })
      expect(r.children).toHaveLength(text === '' ? 0 : 1)
      if (text !== '') expect((r.children[0] as { value: string }).value).toBe(text)
    }), settings)
  })

  it('a literal \\r before a reference and a \\n after it are two line ends, not one', () => {
    const r = parseXml("<r a='x\r&#65;\ny'>x\r&#65;\ny</r>").children[0] as Element
    expect(r.attributes['a']).toBe('x A y')
    expect(r.children[0]).toMatchObject({ value: 'x\nA\ny' })
    const crlf = parseXml("<r a='x\r\ny\t'>x\r\ny\rz</r>").children[0] as Element
    expect(crlf.attributes['a']).toBe('x y ')
    expect(crlf.children[0]).toMatchObject({ value: 'x\ny\nz' })
  })

  it('a bad character or reference is placed where it is, in the first piece or after a reference', () => {
    const cases: [string, string, number][] = [
      ["<r a='ab\u0001'/>", 'xml-invalid-character', 8],
      ["<r a='&amp;ab\u0001'/>", 'xml-invalid-character', 13],
      ["<r a='&amp;\r\n<'/>", 'xml-unexpected-character', 13],
      ["<r a='x&bogus;'/>", 'xml-undefined-entity', 7],
      ["<r a='x&#0;'/>", 'xml-invalid-character', 7],
      ["<r a='x&#xD800;'/>", 'xml-invalid-character', 7],
      ["<r a='x&amp y'/>", 'xml-unexpected-character', 7],
      ["<r a='x", 'xml-unexpected-eof', 7],
      ["<r a='x&amp;", 'xml-unexpected-eof', 12],
      ['<r>ab\uffff</r>', 'xml-invalid-character', 5],
      ['<r>&lt;ab\ud800</r>', 'xml-invalid-character', 9],
      ['<r>a]]>b</r>', 'xml-unexpected-character', 4],
      ['<r>&amp;]]></r>', 'xml-unexpected-character', 8],
      ['<r>x&</r>', 'xml-unexpected-character', 4],
    ]
    for (const [input, code, index] of cases) {
      for (const positions of [true, false]) {
        const error = errorOf(() => parseXml(input, { positions }))
        expect(error, input).toMatchObject({ code, place: pointAt(new TextEncoder().encode(input), new TextEncoder().encode(input.slice(0, index)).length) })
      }
    }
  })
})

// ---- end tags: in place, or read as a name ------------------------------------------

describe('end tags', () => {
  it('`</name>`, `</name >` and a name that only starts the same close the same element', () => {
    for (const [input, name] of [['<a></a>', 'a'], ['<a></a >', 'a'], ['<a></a\r\n\t>', 'a'], ['<é𝄞></é𝄞>', 'é𝄞'], ['<v:a><b/></v:a>', 'v:a']] as const) {
      const root = parseXml(input)
      const a = root.children[0] as Element
      expect(a.name).toBe(name)
      checkPositions(new TextEncoder().encode(input), root)
      expect(a.position!.end.offset).toBe(new TextEncoder().encode(input).length)
    }
  })

  it('a different name is a mismatch at its `<`, even when it only adds to or cuts the open name', () => {
    const cases: [string, string, string, number][] = [
      ['<a></ab>', 'xml-mismatched-tag', 'Unexpected `</ab>`, expected `</a>`', 3],
      ['<ab></a>', 'xml-mismatched-tag', 'Unexpected `</a>`, expected `</ab>`', 4],
      ['<a>\n<b></a></b>', 'xml-mismatched-tag', 'Unexpected `</a>`, expected `</b>`', 7],
      ['<a:b></a>', 'xml-mismatched-tag', 'Unexpected `</a>`, expected `</a:b>`', 5],
      ['<é></e>', 'xml-mismatched-tag', 'Unexpected `</e>`, expected `</é>`', 3],
      ['<a></a', 'xml-unexpected-eof', 'Unexpected end of input, expected `>`', 6],
      ['<a></a x>', 'xml-unexpected-character', 'Unexpected `x`, expected `>`', 7],
      ['<a></>', 'xml-unexpected-character', 'Unexpected `>`, expected a name', 5],
      ['<a><b>', 'xml-unexpected-eof', 'Unexpected end of input, expected `</b>`', 6],
    ]
    for (const [input, code, message, index] of cases) {
      const bytes = new TextEncoder().encode(input)
      for (const positions of [true, false]) {
        expect(errorOf(() => parseXml(input, { positions })), input).toMatchObject({ code, message, place: pointAt(bytes, new TextEncoder().encode(input.slice(0, index)).length) })
      }
    }
  })
})

// ---- attributes ---------------------------------------------------------------------

describe('start tags', () => {
  it('attributes in document order as own properties of a plain object, whatever their names', () => {
    const a = parseXml("<a z='1' __proto__='2' constructor = \"3\" toString\n=\n'4' b='5'/>").children[0] as Element
    expect(Object.getPrototypeOf(a.attributes)).toBe(Object.prototype)
    expect(Object.keys(a.attributes)).toEqual(['z', '__proto__', 'constructor', 'toString', 'b'])
    expect(Object.getOwnPropertyDescriptor(a.attributes, '__proto__')).toEqual({ value: '2', writable: true, enumerable: true, configurable: true })
    expect({ ...a.attributes }).toEqual(JSON.parse('{"z":"1","__proto__":"2","constructor":"3","toString":"4","b":"5"}'))
  })

  it('a second attribute of a name is refused at its start, among few or many attributes', () => {
    for (const count of [1, 3, 12, 40]) for (const name of ['k0', '__proto__', 'toString']) {
      const before = Array.from({ length: count }, (_, i) => `k${i}='${i}'`).join(' ')
      const input = `<a ${before} ${name === 'k0' ? '' : `${name}='x' `}q='1' ${name}='y'/>`
      const error = errorOf(() => parseXml(input))
      expect(error, input).toMatchObject({ code: 'xml-duplicate-attribute', place: { offset: input.lastIndexOf(` ${name}=`) + 1 } })
    }
  })

  it('`=` and the quote may be spaced; a missing space, `=` or quote is placed where it is missing', () => {
    expect((parseXml("<a b \t=\n 'c'/>").children[0] as Element).attributes).toEqual({ b: 'c' })
    const cases: [string, string, number][] = [
      ["<a b='1'c='2'/>", 'xml-unexpected-character', 8],
      ["<a b'1'/>", 'xml-unexpected-character', 4],
      ['<a b=1/>', 'xml-unexpected-character', 5],
      ["<a b= '1' /x>", 'xml-unexpected-character', 10],
      ['<a b', 'xml-unexpected-eof', 4],
      ['<a 1b="x"/>', 'xml-unexpected-character', 3],
    ]
    for (const [input, code, offset] of cases) expect(errorOf(() => parseXml(input)), input).toMatchObject({ code, place: { offset } })
  })
})

// ---- positions ------------------------------------------------------------------------

describe('positions', () => {
  it('a document after a BOM starts at column 1, byte 3, as its root element does', () => {
    const root = parseXml(new TextEncoder().encode('\ufeff<a/>\n'))
    expect(root.position).toEqual({ start: { line: 1, column: 1, offset: 3 }, end: { line: 2, column: 1, offset: 8 } })
    expect(root.children[0]!.position!.start).toEqual(root.position!.start)
  })

  it('on generated documents, with CRLF line ends and a BOM, every place is where the bytes put it', () => {
    fc.assert(fc.property(element, fc.boolean(), fc.boolean(), (tree, crlf, bom) => {
      let text = toXml(tree, { style: 'preserve' })
      if (crlf) text = text.replace(/\n/g, '\r\n')
      const bytes = new TextEncoder().encode((bom ? '\ufeff' : '') + text)
      const root = parseXml(bytes)
      checkPositions(bytes, root)
      expect(strip(parseXml(bytes, { positions: false }))).toEqual(strip(root))
    }), settings)
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`the corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = () => corpusFiles(corpus.dir!, ['domains', 'hotplug/devices', 'generic']).map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))

  it('every document: each place where its bytes put it, and the same tree without positions', () => {
    let checked = 0
    for (const bytes of files()) {
      let root: Root
      try {
        root = parseXml(bytes)
      } catch (error) {
        // A file the parser refuses is refused the same way without positions.
        expect(errorOf(() => parseXml(bytes, { positions: false }))).toEqual(errorOf(() => parseXml(bytes)))
        continue
      }
      checkPositions(bytes, root)
      expect(strip(parseXml(bytes, { positions: false }))).toEqual(strip(root))
      checked++
    }
    expect(checked).toBeGreaterThan(500)
  })

  it('mutated documents: an error is placed where its offset is, the same with and without positions', () => {
    const all = files().filter((f) => f.length < 20_000)
    let refused = 0
    fc.assert(fc.property(mutationOf(all.length), (mutation) => {
      const bytes = applyMutation(all[mutation.file]!, mutation)
      const error = errorOf(() => parseXml(bytes))
      expect(errorOf(() => parseXml(bytes, { positions: false }))).toEqual(error)
      if (error === undefined) return
      refused++
      // An error at a byte that starts no character (invalid UTF-8) is placed at that byte.
      expect(error.place).toEqual(pointAt(bytes, error.place!.offset))
    }), { seed: 20261203, numRuns: 1500 })
    expect(refused).toBeGreaterThan(100)
  })
})
