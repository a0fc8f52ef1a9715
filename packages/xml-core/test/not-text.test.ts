// Inputs of another type than the types say (from JavaScript): `xml-not-text` naming what was given, from the parser and
// from both engines alike — never a TypeError from inside ("bytes.subarray is not a function").
import { beforeAll, describe, expect, it } from 'vitest'
import { createEngine, createReferenceEngine, parseXml, XmlSyntaxError, type XmlEngine } from '../src/index.ts'

let wasm: XmlEngine
beforeAll(async () => { wasm = await createEngine() })

const notText = (given: string) => expect.objectContaining({ name: 'XmlSyntaxError', code: 'xml-not-text', message: `Unexpected input (${given}): expected XML text, a string or its bytes (a Uint8Array)` })
const caught = (run: () => unknown): unknown => { try { run(); return undefined } catch (error) { return error } }

describe('input that is not text', () => {
  const cases: [unknown, string][] = [[undefined, 'undefined'], [null, 'null'], [42, 'a number'], [{}, 'an object'], [['<a/>'], 'an array'], [new ArrayBuffer(4), 'an object']]

  it('is xml-not-text from parseXml, naming what was given', () => {
    for (const [input, given] of cases) {
      const error = caught(() => parseXml(input as never))
      expect(error).toBeInstanceOf(XmlSyntaxError)
      expect(error).toEqual(notText(given))
    }
    // (the near misses: text, its bytes, a Buffer)
    for (const input of ['<a/>', new TextEncoder().encode('<a/>'), Buffer.from('<a/>')]) expect(parseXml(input).children[0]).toMatchObject({ name: 'a' })
  })

  it('is xml-not-text from both engines', () => {
    for (const engine of [wasm, createReferenceEngine()]) {
      for (const [input, given] of cases) {
        expect(caught(() => engine.canonicalize(input as never))).toEqual(notText(given))
        expect(caught(() => engine.format(input as never))).toEqual(notText(given))
      }
      expect(new TextDecoder().decode(engine.canonicalize('<a  x="1"/>'))).toBe('<a x="1"/>')
    }
  })
})
