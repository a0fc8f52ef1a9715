import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { applyMutation, mutationOf } from '../../../tools/mutations.ts'
import { createEngine, createReferenceEngine, XmlEngineError, XmlSyntaxError, type XmlEngine } from '../src/index.ts'
import { engineInternals } from '../src/_internals.ts'

const decoder = new TextDecoder()
const reference = createReferenceEngine()
let wasm: XmlEngine
beforeAll(async () => {
  wasm = await createEngine()
})

// One conformance list, run against both engines (unstorage-style): same inputs, same answers.
const cases: readonly { name: string; input: string; canonical?: string; withoutComments?: string; error?: string }[] = [
  { name: 'declaration and outer whitespace dropped', input: '<?xml version="1.0"?>\n<a/>\n', canonical: '<a/>' },
  { name: 'attributes sorted by code point', input: "<a z='1' b='2' é='3' e='4' 𝄞='5' \uffed='6'/>", canonical: '<a b="2" e="4" z="1" é="3" \uffed="6" 𝄞="5"/>' },
  { name: 'layout whitespace dropped between elements only', input: '<a>\n  <b> x </b>\n  <c>  </c>\n</a>', canonical: '<a><b> x </b><c>  </c></a>' },
  { name: 'CDATA joins adjacent text', input: '<a>x<![CDATA[<y>]]>z</a>', canonical: '<a>x&lt;y&gt;z</a>' },
  { name: 'comments kept or dropped', input: '<a>x<!-- c -->y<b/><?pi data?></a>', canonical: '<a>x<!-- c -->y<b/><?pi data?></a>', withoutComments: '<a>xy<b/></a>' },
  { name: 'escapes', input: '<a v="&quot;&amp;&lt;&#9;&#10;&#13;\'">&amp;&lt;&gt;&#13;"\'</a>', canonical: '<a v="&quot;&amp;&lt;&#9;&#10;&#13;\'">&amp;&lt;&gt;&#13;"\'</a>' },
  { name: 'empty elements', input: '<a><b></b><c><![CDATA[]]></c><d><!--x--></d></a>', canonical: '<a><b/><c/><d><!--x--></d></a>', withoutComments: '<a><b/><c/><d/></a>' },
  { name: 'carriage returns', input: '<a v="1\r\n2">x\r\ny\rz</a>', canonical: '<a v="1 2">x\ny\nz</a>' },
  { name: 'a whitespace-only run with a character reference', input: '<a>&#13;<b/> &#10; </a>', canonical: '<a><b/></a>' },
  { name: 'root comments and instructions', input: '<!--a--><?p?><r/><!--b-->', canonical: '<!--a--><?p?><r/><!--b-->', withoutComments: '<r/>' },
  { name: 'many attributes (hash and merge sort paths)', input: `<a ${Array.from({ length: 40 }, (_, i) => `k${39 - i}="${i}"`).join(' ')}/>` },
  { name: 'duplicate among many attributes', input: `<a ${Array.from({ length: 40 }, (_, i) => `k${i}="${i}"`).join(' ')} k7="x"/>`, error: 'xml-duplicate-attribute' },
  { name: 'mismatched tag', input: '<a><b></a>', error: 'xml-mismatched-tag' },
  { name: 'doctype', input: '<!DOCTYPE a><a/>', error: 'xml-doctype-refused' },
  { name: 'U+FFFE in text', input: '<a>\ufffe</a>', error: 'xml-invalid-character' },
  { name: 'reference to a non-character', input: '<a>&#xFFFE;</a>', error: 'xml-invalid-character' },
  { name: 'overlong reference', input: '<a>&#x0000000041;</a>', error: 'xml-invalid-character' },
]

describe.each([['reference', () => reference], ['wasm', () => wasm]] as const)('%s engine', (_, engine) => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        expect(() => engine().canonicalize(c.input)).toThrow(XmlSyntaxError)
        try { engine().canonicalize(c.input) } catch (error) { expect((error as XmlSyntaxError).code).toBe(c.error) }
        return
      }
      const canonical = decoder.decode(engine().canonicalize(c.input))
      if (c.canonical !== undefined) expect(canonical).toBe(c.canonical)
      expect(decoder.decode(engine().canonicalize(c.input, { comments: false }))).toBe(c.withoutComments ?? c.canonical ?? decoder.decode(reference.canonicalize(c.input, { comments: false })))
      expect(canonical).toBe(decoder.decode(reference.canonicalize(c.input)))
      expect(decoder.decode(engine().format(c.input))).toBe(decoder.decode(reference.format(c.input)))
    })
  }

  it("writes <metadata> itself as libxml2 does, its own attributes and text too (libvirt hands it to libxml2 whole)", () => {
    const doc = "<domain type='kvm'><metadata xmlns:nova='urn:nova' a=\"it's\"><nova:x nova:k='v'/></metadata><name>d</name></domain>"
    expect(decoder.decode(engine().format(doc))).toBe(
      "<domain type='kvm'>\n  <metadata xmlns:nova=\"urn:nova\" a=\"it's\">\n    <nova:x nova:k=\"v\"/>\n  </metadata>\n  <name>d</name>\n</domain>\n",
    )
    expect(decoder.decode(engine().format("<d><metadata xmlns:x='urn:x'/><metadata b='1'>it's</metadata></d>"))).toBe(
      "<d>\n  <metadata xmlns:x=\"urn:x\"/>\n  <metadata b=\"1\">it's</metadata>\n</d>\n",
    )
  })

  it('lays out comments and processing instructions in <metadata> on lines as libxml2 does, not libvirt\'s own (libvirtd 9.0: probes h14-meta-*)', () => {
    expect(decoder.decode(engine().format("<d><metadata><x:a xmlns:x='urn:x'> <!-- c --> <?p q?></x:a></metadata><e><!-- c --></e></d>"))).toBe(
      '<d>\n  <metadata>\n    <x:a xmlns:x="urn:x">\n      <!-- c -->\n      <?p q?>\n    </x:a>\n  </metadata>\n  <e><!-- c --></e>\n</d>\n',
    )
    // (text beside them is kept as written: libxml2 lays out no content with text)
    expect(decoder.decode(engine().format("<metadata><x:a xmlns:x='urn:x'>t<!-- c --></x:a></metadata>"))).toBe('<metadata>\n  <x:a xmlns:x="urn:x">t<!-- c --></x:a>\n</metadata>\n')
  })

  it('refuses input over the size limit, typed', async () => {
    const small = engine().kind === 'wasm' ? await createEngine({ maxInputBytes: 10 }) : createReferenceEngine({ maxInputBytes: 10 })
    expect(() => small.canonicalize('<a>0123456789</a>')).toThrow(expect.objectContaining({ code: 'xml-too-large' }))
    expect(decoder.decode(small.canonicalize('<a/>'))).toBe('<a/>')
  })

  it('reports a lone surrogate in a string exactly as the reference does', () => {
    expect(() => engine().canonicalize('<a>\ud800</a>')).toThrow(expect.objectContaining({ code: 'xml-invalid-character', place: expect.objectContaining({ offset: 3 }) }))
  })
})

describe('wasm engine specifics', () => {
  it('refuses a bad maxInputBytes', async () => {
    await expect(createEngine({ maxInputBytes: -1 })).rejects.toThrow(XmlEngineError)
  })

  it('accepts a precompiled module (workerd) and raw bytes', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../build/xml-core.wasm', import.meta.url)))
    for (const module of [bytes, new WebAssembly.Module(bytes)]) {
      const engine = await createEngine({ module })
      expect(decoder.decode(engine.canonicalize('<b y="1" x="2"/>'))).toBe('<b x="2" y="1"/>')
    }
  })

  it('keeps memory bounded over 300 calls on a 300 KB document', async () => {
    const engine = await createEngine()
    const big = `<domain>${'<disk type="file"><source file="/a/b"/><target dev="vda" bus="virtio"/></disk>'.repeat(4000)}</domain>`
    expect(big.length).toBeGreaterThan(300_000)
    engine.canonicalize(big)
    const after1 = engineInternals.get(engine)!.memoryBytes()
    for (let i = 0; i < 300; i++) engine.canonicalize(big)
    expect(engineInternals.get(engine)!.memoryBytes()).toBe(after1)
    expect(after1).toBeLessThan(16 * 1024 * 1024)
  })

  it('turns a trap into a typed error and works again afterwards', async () => {
    const engine = await createEngine()
    engineInternals.get(engine)!.trapNextCall()
    expect(() => engine.canonicalize('<a/>')).toThrow(expect.objectContaining({ code: 'engine-trap' }))
    expect(decoder.decode(engine.canonicalize('<a/>'))).toBe('<a/>')
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`wasm ≡ reference on the corpus${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = corpus.dir ? corpusFiles(corpus.dir, ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug', 'domcaps']) : []
  const documents = files.map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))

  it('gives identical bytes on every file, with and without comments', () => {
    expect(documents.length).toBe(1280)
    const differing: string[] = []
    for (const [i, bytes] of documents.entries()) {
      for (const comments of [true, false]) {
        const a = reference.canonicalize(bytes, { comments })
        const b = wasm.canonicalize(bytes, { comments })
        if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) differing.push(`${files[i]} (comments: ${comments})`)
      }
    }
    expect(differing).toEqual([])
  })

  it("formats every file in libvirt's layout with identical bytes", () => {
    const differing = files.filter((_, i) => Buffer.compare(Buffer.from(reference.format(documents[i]!)), Buffer.from(wasm.format(documents[i]!))) !== 0)
    expect(differing).toEqual([])
  })

  it('gives the same output or the same error code at the same byte for mutated files', () => {
    const raw = engineInternals.get(wasm)!.raw
    let errors = 0
    fc.assert(fc.property(mutationOf(documents.length), (mutation) => {
      const input = applyMutation(documents[mutation.file]!, mutation)
      let expected: { code: string; offset: number } | Uint8Array
      try {
        expected = reference.canonicalize(input)
      } catch (error) {
        expect(error).toBeInstanceOf(XmlSyntaxError)
        expected = { code: (error as XmlSyntaxError).code, offset: (error as XmlSyntaxError).place!.offset }
      }
      const answer = raw(input, true)
      if (expected instanceof Uint8Array) {
        expect(answer.code).toBe(0)
        expect(Buffer.from(answer.output!).equals(Buffer.from(expected))).toBe(true)
        expect(Buffer.from(raw(input, true, 'format').output!).equals(Buffer.from(reference.format(input)))).toBe(true)
      } else {
        errors++
        const codes = [undefined, 'xml-invalid-utf8', 'xml-invalid-character', 'xml-unexpected-character', 'xml-unexpected-eof', 'xml-mismatched-tag', 'xml-duplicate-attribute', 'xml-undefined-entity', 'xml-doctype-refused', 'xml-no-root', 'xml-content-after-root', 'xml-too-deep', 'xml-misplaced-declaration']
        expect({ code: codes[answer.code], offset: answer.offset }).toEqual(expected)
      }
    }), { seed: 20261124, numRuns: 3000 })
    expect(errors).toBeGreaterThan(300)
  })
})
