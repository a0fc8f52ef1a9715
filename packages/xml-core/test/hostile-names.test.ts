// Issue 16, items 13 and 15: names and values a patch writes are checked the same way by both
// engines, and attribute names that are Object.prototype members (`__proto__`, `toString`…) are
// attributes like any other — in diff, applyPatch, merge, and in both serializers' escaping.
import { beforeAll, describe, expect, it } from 'vitest'
import { createEngine, createReferenceEngine, isXmlName, parseXml, rootElement, toCanonical, toXml, type Patch, type XmlChangeEngine, type XmlEngine } from '../src/index.ts'
import { libvirtIdentityKeys as keys } from './_libvirt-keys.ts'
import { outcome, text } from './_outcome.ts'

const reference = createReferenceEngine()
let wasm: XmlEngine & XmlChangeEngine
beforeAll(async () => {
  wasm = await createEngine()
})

/** Both engines' outcome, checked equal; returns the reference's. */
function same(run: (engine: XmlChangeEngine) => unknown): unknown {
  const expected = outcome(() => run(reference))
  expect(outcome(() => run(wasm))).toEqual(expected)
  return expected
}
const patchOf = (...ops: Patch['ops']): Patch => ({ format: 'virtuned-patch/1', ops })

const prototypeNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

describe('XML names', () => {
  it('isXmlName accepts names and one namespace prefix, and nothing else', () => {
    for (const good of ['a', 'disk', '_x', 'xmlns:vt', 'vt:mode', 'a-b.c_d', 'été', 'x𝄞', '__proto__']) expect(isXmlName(good), good).toBe(true)
    for (const bad of ['', 'a b', "x='1'/><evil a", '1x', '-a', ':a', 'a:', 'a:b:c', 'a::b', 'a>', 'a"', 'a\u0000', '\uD800', 'a\tb']) expect(isXmlName(bad), JSON.stringify(bad)).toBe(false)
  })

  it('a patch that sets a non-name attribute is refused by both engines with patch-invalid-name, at the same op', () => {
    const doc = "<domain><devices><graphics type='spice'/></devices></domain>"
    for (const name of ["x='1'/><evil a", 'a b', '1x', 'a:b:c', '']) {
      const result = same((e) => e.applyPatch(doc, patchOf(
        { op: 'set-attribute', path: '/domain', name: 'ok', value: '1' },
        { op: 'set-attribute', path: "/domain/devices/graphics[@type='spice']", name, value: 'v' },
      ), keys))
      expect(result).toMatchObject({ name: 'XmlChangeError', code: 'patch-invalid-name', index: 1 })
    }
  })

  it('a value XML cannot carry (control characters, U+FFFE, lone surrogates) is refused by both engines with patch-invalid-value', () => {
    const doc = '<domain><name>a</name></domain>'
    for (const value of ['a\u0001b', '\u0000', '\uFFFE', 'x\uD800', '\u001b[31m']) {
      expect(same((e) => e.applyPatch(doc, patchOf({ op: 'set-attribute', path: '/domain', name: 'x', value }), keys))).toMatchObject({ code: 'patch-invalid-value', index: 0 })
      expect(same((e) => e.applyPatch(doc, patchOf({ op: 'set-text', path: '/domain/name', value, from: 'a' }), keys))).toMatchObject({ code: 'patch-invalid-value', index: 0 })
    }
  })

  it('quotes, <, &, >, tabs, newlines and carriage returns in values are escaped by both engines and read back as written', () => {
    const doc = '<domain><name>a</name></domain>'
    const value = `it's "q" <a> & b\tc\nd\re ]]> 𝄞`
    const out = same((e) => e.applyPatch(doc, patchOf(
      { op: 'set-attribute', path: '/domain', name: 'x', value },
      { op: 'set-text', path: '/domain/name', value, from: 'a' },
    ), keys)) as string
    expect(out).toContain(`x='it&apos;s &quot;q&quot; &lt;a&gt; &amp; b&#9;c&#10;d&#13;e ]]&gt; 𝄞'`)
    const root = rootElement(parseXml(out))!
    expect(root.attributes.x).toBe(value)
    const name = root.children.find((c) => c.type === 'element')!
    expect(name.type === 'element' && name.children[0]).toMatchObject({ type: 'text', value })
    // The canonical form and the libvirt layout of the same tree, by both engines.
    expect(text(wasm.canonicalize(out))).toBe(text(reference.canonicalize(out)))
    expect(text(wasm.format(out))).toBe(text(reference.format(out)))
    expect(toCanonical(parseXml(text(reference.canonicalize(out))))).toBe(text(reference.canonicalize(out)))
  })
})

describe('attribute names that are Object.prototype members', () => {
  it('parse keeps them as own attributes, and toXml writes them', () => {
    const root = rootElement(parseXml(`<domain ${prototypeNames.map((n, i) => `${n}='v${i}'`).join(' ')}/>`))!
    expect(Object.keys(root.attributes)).toEqual(prototypeNames)
    expect(Object.getPrototypeOf(root.attributes)).toBe(Object.prototype)
    expect(toXml(root)).toBe(`<domain ${prototypeNames.map((n, i) => `${n}='v${i}'`).join(' ')}/>\n`)
  })

  it('diff, applyPatch and merge give the same result in both engines', () => {
    for (const name of prototypeNames) {
      const a = `<domain type='kvm'><devices><disk ${name}='d'><target dev='vda'/></disk></devices></domain>`
      const b = `<domain type='kvm' ${name}='p'><devices><disk><target dev='vda'/></disk></devices></domain>`
      const forward = same((e) => e.diff(a, b, keys))
      expect(forward, name).not.toBe(JSON.stringify({ format: 'virtuned-patch/1', ops: [] }))
      expect(JSON.parse(forward as string).ops).toEqual([
        { op: 'set-attribute', path: '/domain', name, value: 'p' },
        { op: 'remove-attribute', path: "/domain/devices/disk[target/@dev='vda']", name, from: 'd' },
      ])
      same((e) => e.diff(b, a, keys))
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const patch = reference.diff(x, y, keys)
        expect(same((e) => e.applyPatch(x, patch, keys))).toBe(text(reference.format(y)))
        same((e) => e.merge(x, [{ name: 'layer', mode: 'fill', document: y }], keys))
        same((e) => e.merge(x, [{ name: 'layer', mode: 'require', document: y }], keys, { force: ['layer'] }))
      }
      // A set whose `from` is the prototype member's "value" is a precondition failure, not a crash.
      expect(same((e) => e.applyPatch(a, patchOf({ op: 'set-attribute', path: '/domain', name, value: 'x' }), keys))).toContain(`${name}='x'`)
      expect(same((e) => e.applyPatch(a, patchOf({ op: 'remove-attribute', path: '/domain', name, from: 'x' }), keys))).toMatchObject({ code: 'patch-precondition-failed', message: expect.stringContaining('found nothing') })
    }
  })

  it('`&constructor;`, `&toString;` and `&__proto__;` are undefined entities in both engines', () => {
    for (const name of prototypeNames) {
      for (const xml of [`<a>&${name};</a>`, `<a b='&${name};'/>`]) {
        expect(() => parseXml(xml), xml).toThrow(expect.objectContaining({ code: 'xml-undefined-entity' }))
        expect(() => wasm.format(xml), xml).toThrow(expect.objectContaining({ code: 'xml-undefined-entity' }))
      }
    }
  })

  it('an op called `toString` or `constructor` is an unknown op in both engines', () => {
    for (const op of ['toString', 'constructor', '__proto__']) {
      const patch = { format: 'virtuned-patch/1', ops: [{ op, path: '/domain' }] } as unknown as Patch
      expect(same((e) => e.applyPatch('<domain/>', patch, keys))).toMatchObject({ code: 'patch-invalid', index: 0 })
    }
  })

  it('identity keys read own attributes only', () => {
    const a = "<domain><devices><disk><target dev='vda'/></disk></devices></domain>"
    const table = { rules: [{ path: 'domain/devices/disk', key: ['@toString'] }] }
    expect(same((e) => e.diff(a, a.replace('<disk>', "<disk toString='t'>"), table))).toContain('disk[not(@toString)]')
  })
})
