// Hostile input: every document ends in a result or a typed error, in both engines, and the
// WebAssembly instance keeps working afterwards.
import { beforeAll, describe, expect, it } from 'vitest'
import { createEngine, createReferenceEngine, XmlSyntaxError, type XmlEngine } from '../src/index.ts'

const big = 64 * 1024 * 1024
let engines: [string, XmlEngine][]
beforeAll(async () => {
  engines = [['reference', createReferenceEngine({ maxInputBytes: big })], ['wasm', await createEngine({ maxInputBytes: big })]]
})

function codeOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(XmlSyntaxError)
    return (error as XmlSyntaxError).code
  }
  return 'ok'
}

describe('hostile documents', () => {
  it('refuses 100,000-deep nesting at the depth limit, without exhausting any stack', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000)
    for (const [, engine] of engines) {
      expect(codeOf(() => engine.canonicalize(deep))).toBe('xml-too-deep')
      expect(codeOf(() => engine.format(deep))).toBe('xml-too-deep')
    }
  })

  it('refuses billion laughs and external entities: no DOCTYPE is read', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    const external = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    for (const [, engine] of engines) {
      expect(codeOf(() => engine.canonicalize(laughs))).toBe('xml-doctype-refused')
      expect(codeOf(() => engine.canonicalize(external))).toBe('xml-doctype-refused')
      expect(codeOf(() => engine.canonicalize('<d>&x;</d>'))).toBe('xml-undefined-entity')
    }
  })

  it('reads a 50 MB attribute value when the limit allows it, identically, and refuses it under the default limit', async () => {
    const value = 'x'.repeat(50 * 1024 * 1024)
    const doc = `<domain><description note="${value}"/></domain>`
    const outputs = engines.map(([, engine]) => engine.canonicalize(doc))
    expect(outputs[0]!.length).toBe(doc.length)
    expect(Buffer.from(outputs[1]!).equals(Buffer.from(outputs[0]!))).toBe(true)
    expect(codeOf(() => createReferenceEngine().canonicalize(doc))).toBe('xml-too-large')
    const small = await createEngine()
    expect(codeOf(() => small.canonicalize(doc))).toBe('xml-too-large')
  })

  it('reads a BOM and CRLF line ends as the same document', () => {
    const plain = "<domain type='kvm'>\n  <name>a\nb</name>\n</domain>\n"
    const windows = '\ufeff' + plain.replaceAll('\n', '\r\n')
    for (const [, engine] of engines) {
      expect(Buffer.from(engine.canonicalize(new TextEncoder().encode(windows))).equals(Buffer.from(engine.canonicalize(plain)))).toBe(true)
    }
  })

  it('keeps the WebAssembly instance working after all of the above', () => {
    const wasm = engines[1]![1]
    expect(new TextDecoder().decode(wasm.canonicalize("<a b='1'/>"))).toBe('<a b="1"/>')
  })
})
