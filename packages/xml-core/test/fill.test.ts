import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fillAttribute, mergeTrees, parseXml, rootElement, toXml, type Element, type Root } from '../src/index.ts'
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
