// Problems come at a line and a column counted in code points (virtuned's and libxml2's places);
// CodeMirror counts UTF-16 units. offsetOf converts, clamped to the document.
import { describe, expect, it } from 'vitest'
import { Text } from '@codemirror/state'
import { offsetOf } from '../src/editor.ts'

describe('offsetOf', () => {
  const doc = Text.of(['<domain>', "  <name>😀é名</name><bad/>", '</domain>'])
  it('counts columns in code points, so an astral character is one column and two units', () => {
    const line2 = doc.line(2).from
    expect(offsetOf(doc, 2, 1)).toBe(line2)
    expect(doc.sliceString(offsetOf(doc, 2, 9), offsetOf(doc, 2, 10))).toBe('😀')
    expect(doc.sliceString(offsetOf(doc, 2, 10), offsetOf(doc, 2, 11))).toBe('é')
    expect(doc.sliceString(offsetOf(doc, 2, 19), offsetOf(doc, 2, 19) + 5)).toBe('<bad/')
  })
  it('clamps a place beyond the document to its nearest end', () => {
    expect(offsetOf(doc, 9, 1)).toBe(doc.line(3).from)
    expect(offsetOf(doc, 1, 99)).toBe(doc.line(1).to)
    expect(offsetOf(doc, 0, 0)).toBe(0)
  })
})
