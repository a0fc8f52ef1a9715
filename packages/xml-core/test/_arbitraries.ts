// fast-check arbitraries of XML trees, shared by the property tests.
import fc from 'fast-check'
import type { Element, ElementContent } from '../src/index.ts'

export const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,8}$/).filter((n) => !/^xml/i.test(n))
// Any XML Char, with the characters that need escaping over-represented.
export const xmlChar = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', ' ', ']', '-', '?'),
  fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
)
export const chars = (max: number) => fc.array(xmlChar, { maxLength: max }).map((a) => a.join(''))

const leaf: fc.Arbitrary<ElementContent> = fc.oneof(
  // Text as the parser would give it back: \r never survives a literal newline.
  chars(12).filter((v) => v.length > 0).map((value) => ({ type: 'text' as const, value })),
  // Carriage returns removed before the checks: `-\r-` would otherwise become a `--` in a comment.
  chars(10).map((v) => v.replace(/\r/g, '')).filter((v) => !v.includes('--') && !v.endsWith('-')).map((value) => ({ type: 'comment' as const, value })),
  chars(10).map((v) => v.replace(/\r/g, '')).filter((v) => !v.includes(']]>')).map((value) => ({ type: 'cdata' as const, value })),
  fc.record({ name, value: chars(8).map((v) => v.replace(/\r/g, '')).filter((v) => !v.includes('?>') && !/^[ \t\n\r]/.test(v)) }).map(({ name, value }) => ({ type: 'instruction' as const, name, value })),
)

export const { element } = fc.letrec<{ element: Element; content: ElementContent }>((tie) => ({
  element: fc.record({
    name,
    attributes: fc.dictionary(name, chars(8), { maxKeys: 4 }).map((a) => Object.assign({}, a)),
    children: fc.array(tie('content'), { maxLength: 5 }),
  }).map((e) => ({ type: 'element' as const, ...e })),
  content: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('element')),
}))

