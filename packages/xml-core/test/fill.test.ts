import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { attributeFiller, fillAttribute, mergeTrees, parseXml, rootElement, toXml, type Element, type Root } from '../src/index.ts'
import { element, name } from './_arbitraries.ts'

const noKeys = { rules: [] }
const asRoot = (e: Element): Root => ({ type: 'root', children: [e] })
/** The same XML as `expected` (written compactly with double quotes here). */
const xmlOf = (e: Element) => toXml(asRoot(e))
const same = (expected: string) => toXml(parseXml(expected, { positions: false }))

/** What the merge makes of the one-value layer fillAttribute stands for. */
function byMerge(e: Element, child: string | undefined, attribute: string, value: string): Element {
  const layerRoot: Element = child === undefined
    ? { type: 'element', name: e.name, attributes: { [attribute]: value }, children: [] }
    : { type: 'element', name: e.name, attributes: {}, children: [{ type: 'element', name: child, attributes: { [attribute]: value }, children: [] }] }
  const merged = mergeTrees(asRoot(e), [{ name: 'fill', mode: 'fill', document: asRoot(layerRoot) }], noKeys)
  return merged.provenance.length === 0 ? e : rootElement(merged.document)!
}

describe('fillAttribute', () => {
  it('fills a child attribute, adds the child, keeps what is set', () => {
    const disk = rootElement(parseXml("<disk type='file'><driver name='qemu'/><target dev='vda'/></disk>", { positions: false }))!
    expect(xmlOf(fillAttribute(disk, 'target/@bus', 'virtio'))).toBe(same('<disk type="file"><driver name="qemu"/><target dev="vda" bus="virtio"/></disk>'))
    expect(fillAttribute(disk, 'target/@dev', 'vdb')).toBe(disk)
    expect(xmlOf(fillAttribute(disk, 'model/@type', 'virtio'))).toBe(same('<disk type="file"><driver name="qemu"/><target dev="vda"/><model type="virtio"/></disk>'))
    expect(xmlOf(fillAttribute(disk, '@device', 'disk'))).toBe(same('<disk type="file" device="disk"><driver name="qemu"/><target dev="vda"/></disk>'))
    // The input is never changed.
    expect(xmlOf(disk)).toBe(same('<disk type="file"><driver name="qemu"/><target dev="vda"/></disk>'))
  })

  it('writes `__proto__` as an attribute, never as the prototype', () => {
    const e: Element = { type: 'element', name: 'disk', attributes: {}, children: [] }
    const filled = fillAttribute(e, 'target/@__proto__', 'x')
    const target = filled.children[0] as Element
    expect(Object.hasOwn(target.attributes, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(target.attributes)).toBe(Object.prototype)
  })

  it('refuses a path it does not handle', () => {
    const e: Element = { type: 'element', name: 'disk', attributes: {}, children: [] }
    for (const path of ['target', 'a/b/@c', '/@x', 'a/b']) expect(() => fillAttribute(e, path, 'v')).toThrow(TypeError)
  })

  it('equals the merge of the one-value layer, on any element', () => {
    fc.assert(
      fc.property(element, fc.option(name, { nil: undefined }), name, fc.string({ maxLength: 6 }), fc.boolean(), (e, newChild, attribute, value, pickExisting) => {
        const names = e.children.flatMap((c) => (c.type === 'element' ? [c.name] : []))
        const child = pickExisting && names.length > 0 ? names[0] : newChild
        const path = child === undefined ? `@${attribute}` : `${child}/@${attribute}`
        const got = fillAttribute(e, path, value)
        const want = byMerge(e, child, attribute, value)
        expect(got === e).toBe(want === e)
        expect(toXml(asRoot(got))).toBe(toXml(asRoot(want)))
        expect(got).toEqual(want)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('attributeFiller', () => {
  it('equals fillAttribute chained, value by value, and never changes its input', () => {
    const step = fc.record({ existing: fc.boolean(), child: fc.option(name, { nil: undefined }), attribute: name, value: fc.string({ maxLength: 4 }) })
    fc.assert(
      fc.property(element, fc.array(step, { maxLength: 6 }), (e, steps) => {
        const before = toXml(asRoot(e))
        const names = e.children.flatMap((c) => (c.type === 'element' ? [c.name] : []))
        const filler = attributeFiller(e)
        let chained = e
        for (const s of steps) {
          const child = s.existing && names.length > 0 ? names[0] : s.child
          const path = child === undefined ? `@${s.attribute}` : `${child}/@${s.attribute}`
          const next = fillAttribute(chained, path, s.value)
          expect(filler.fill(path, s.value)).toBe(next !== chained)
          chained = next
          expect(toXml(asRoot(filler.element))).toBe(toXml(asRoot(chained)))
          expect(filler.element).toEqual(chained)
        }
        expect(filler.element === e).toBe(chained === e)
        expect(toXml(asRoot(e))).toBe(before)
      }),
      { numRuns: 2000 },
    )
  })

  it('writes a new attribute of an existing child first when asked (a target: dev before bus)', () => {
    const disk = rootElement(parseXml("<disk type='file'><target bus='scsi'/></disk>", { positions: false }))!
    const filler = attributeFiller(disk)
    expect(filler.fill('target/@dev', 'sda', true)).toBe(true)
    expect(filler.fill('target/@dev', 'sdb', true)).toBe(false)
    expect(xmlOf(filler.element)).toBe(same('<disk type="file"><target dev="sda" bus="scsi"/></disk>'))
    expect(Object.keys((filler.element.children[0] as Element).attributes)).toEqual(['dev', 'bus'])
    expect(xmlOf(disk)).toBe(same('<disk type="file"><target bus="scsi"/></disk>'))
  })

  it('refuses a path it does not handle', () => {
    const e: Element = { type: 'element', name: 'disk', attributes: {}, children: [] }
    for (const path of ['target', 'a/b/@c', '/@x', 'a/b']) expect(() => attributeFiller(e).fill(path, 'v')).toThrow(TypeError)
  })
})
