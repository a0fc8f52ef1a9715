import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseXml, rootElement, withChildren, type Element } from '../src/index.ts'
import { element } from './_arbitraries.ts'

describe('withChildren', () => {
  it('is `{ ...element, children }` (the source position kept), the element itself unchanged', () => {
    fc.assert(fc.property(element, element, (e, other) => {
      const children = other.children
      expect(withChildren(e, children)).toStrictEqual({ ...e, children })
    }))
    const parsed = rootElement(parseXml("<os firmware='efi'><type>hvm</type></os>"))!
    const made = withChildren(parsed, [])
    expect(made).toStrictEqual({ ...parsed, children: [] })
    expect(made.position).toBe(parsed.position)
    expect(parsed.children).toHaveLength(1)
  })

  it('builds every element without a position in one object shape (not a spread per call site)', () => {
    const a: Element = { type: 'element', name: 'devices', attributes: { x: '1' }, children: [] }
    const made = withChildren(a, [a])
    expect(Object.keys(made)).toEqual(['type', 'name', 'attributes', 'children'])
    expect(made.attributes).toBe(a.attributes)
    expect(made.children).toEqual([a])
  })
})
