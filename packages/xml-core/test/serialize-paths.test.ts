// The serializer's escaping and its short paths (a leaf, one text child), against oracles written
// here from the documented tables: every character in every context, and the same content through
// the general path (text split in two nodes, frozen shared subtrees) gives the same bytes.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeXml, toCanonical, toXml, type Element, type ElementContent } from '../src/index.ts'
import { chars } from './_arbitraries.ts'

const settings = { seed: 20261203, numRuns: 400 } as const

// The tables in toXml's and toCanonical's documentation.
const libvirtText: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' }
const libvirtAttribute: Record<string, string> = { ...libvirtText, '\n': '&#10;', '\t': '&#9;' }
const libxml2Text: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const libxml2Attribute: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\t': '&#9;', '\r': '&#13;' }
const canonicalText: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const canonicalAttribute: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }
const by = (table: Record<string, string>) => (value: string): string => Array.from(value, (c) => table[c] ?? c).join('')

const text = (value: string): ElementContent => ({ type: 'text', value })
const el = (name: string, attributes: Record<string, string>, children: ElementContent[] = []): Element => ({ type: 'element', name, attributes, children })

/** A document with `v` in every context: libvirt text and attributes, libxml2's inside <metadata>. */
function documentOf(v: string): Element {
  return el('r', { a: v }, [text('\n  '), el('x', {}, [text(v)]), el('metadata', {}, [el('m', { b: v }, [text(v)]), el('n', { c: v })])])
}
function expectedOf(v: string): string {
  return `<r a='${by(libvirtAttribute)(v)}'>\n` +
    `  <x>${by(libvirtText)(v)}</x>\n` +
    '  <metadata>\n' +
    `    <m b="${by(libxml2Attribute)(v)}">${by(libxml2Text)(v)}</m>\n` +
    `    <n c="${by(libxml2Attribute)(v)}"/>\n` +
    '  </metadata>\n' +
    '</r>\n'
}

describe('escaping', () => {
  it('every ASCII character, and some beyond, at the start, middle and end of a value, in every context', () => {
    const characters = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', '\u2028', '\uffed', '𝄞']
    for (const c of characters) {
      for (const v of [c, `${c}a`, `a${c}`, `a${c}${c}b${c}`, `${c}é${c}`]) {
        expect(toXml(documentOf(v)), JSON.stringify(v)).toBe(expectedOf(v))
        expect(escapeXml(v)).toBe(by(libvirtAttribute)(v))
        expect(toXml(el('r', { a: v }, [text(v)]), { style: 'preserve' })).toBe(`<r a='${by(libvirtAttribute)(v)}'>${by(libvirtText)(v)}</r>`)
        expect(toCanonical(el('r', { a: v }, [text(v)]))).toBe(`<r a="${by(canonicalAttribute)(v)}">${by(canonicalText)(v)}</r>`)
      }
    }
  })

  it('any value, in every context, as the tables say', () => {
    fc.assert(fc.property(chars(16), (v) => {
      expect(toXml(documentOf(v))).toBe(expectedOf(v))
      expect(escapeXml(v)).toBe(by(libvirtAttribute)(v))
    }), settings)
  })
})

describe('layout', () => {
  it('a leaf and a one-text element read the same through the general path (text in two nodes, a frozen copy)', () => {
    fc.assert(fc.property(chars(6), chars(6), fc.nat({ max: 3 }), (a, b, indent) => {
      const whole = el('d', {}, [text('\n'), el('leaf', { k: a }), el('one', { k: b }, [text(a + b)]), el('metadata', {}, [el('one', {}, [text(a + b)])])])
      const split = el('d', {}, [text('\n'), el('leaf', { k: a }, []), el('one', { k: b }, [text(a), text(b)]), el('metadata', {}, [el('one', {}, [text(a), text(b)])])])
      const frozen = structuredClone(whole)
      const freeze = (e: Element): void => { for (const c of e.children) if (c.type === 'element') freeze(c); Object.freeze(e) }
      for (const c of frozen.children) if (c.type === 'element') freeze(c)
      const expected = toXml(split, { indent })
      expect(toXml(whole, { indent })).toBe(expected)
      expect(toXml(frozen, { indent })).toBe(expected)
      expect(toXml(frozen, { indent })).toBe(expected) // the second time from the shared text
      expect(toXml(whole, { style: 'preserve' })).toBe(toXml(split, { style: 'preserve' }))
    }), settings)
  })

  it('a one-text element whose text is only whitespace keeps it, on one line', () => {
    expect(toXml(el('d', {}, [el('a', {}, [text('  ')]), el('b', {}, [text('\n')])]))).toBe("<d>\n  <a>  </a>\n  <b>\n</b>\n</d>\n")
  })
})
