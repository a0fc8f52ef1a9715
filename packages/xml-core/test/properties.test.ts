import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { applyMutation, mutationOf } from '../../../tools/mutations.ts'
import { parseXml, toCanonical, toXml, XmlSyntaxError, type Element } from '../src/index.ts'

// Deterministic: a fixed seed and bounded runs, so CI sees the same cases every time.
const settings = { seed: 20261124, numRuns: 400 } as const

import { element } from './_arbitraries.ts'

/** What the parser returns for a tree it reads back: adjacent text nodes joined. */
function normalise(node: Element): unknown {
  const children: unknown[] = []
  for (const child of node.children) {
    const last = children[children.length - 1] as { type: string; value: string } | undefined
    if (child.type === 'text' && last?.type === 'text') last.value += child.value
    else if (child.type === 'element') children.push(normalise(child))
    else children.push({ ...child })
  }
  return { type: 'element', name: node.name, attributes: node.attributes, children }
}

function strip(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'position' ? undefined : value)))
}

describe('parse and serialize (properties)', () => {
  it('preserve style reads back as the same tree', () => {
    fc.assert(fc.property(element, (tree) => {
      const text = toXml(tree, { style: 'preserve' })
      const root = parseXml(text, { positions: false })
      expect(strip(root.children[0])).toEqual(strip(normalise(tree)))
    }), settings)
  })

  it('serialize(parse(x)) is a fixed point in both styles, and keeps the canonical form', () => {
    fc.assert(fc.property(element, (tree) => {
      for (const style of ['libvirt', 'preserve'] as const) {
        const once = toXml(tree, { style })
        const parsed = parseXml(once)
        expect(toXml(parsed, { style })).toBe(once)
        expect(toCanonical(parsed)).toBe(toCanonical(tree))
      }
    }), settings)
  })
})

const corpus = locateCorpus()
describe.skipIf(!corpus.dir)(`mutated corpus files${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  it('give a document or a typed error, never anything else', () => {
    const dir = corpus.dir!
    const files = corpusFiles(dir, ['domains', 'hotplug/devices']).map((f) => new Uint8Array(readFileSync(join(dir, f))))
    let parsed = 0
    let refused = 0
    fc.assert(fc.property(mutationOf(files.length), (mutation) => {
      const bytes = applyMutation(files[mutation.file]!, mutation)
      try {
        const root = parseXml(bytes)
        // A document that parses also round-trips.
        expect(toCanonical(parseXml(toXml(root)))).toBe(toCanonical(root))
        parsed++
      } catch (error) {
        expect(error).toBeInstanceOf(XmlSyntaxError)
        const { place, code } = error as XmlSyntaxError
        expect(code).toMatch(/^xml-/)
        expect(place!.offset).toBeLessThanOrEqual(bytes.length)
        expect(place!.line).toBeGreaterThanOrEqual(1)
        refused++
      }
    }), { seed: 20261124, numRuns: 3000 })
    // Both outcomes must really occur, or the mutations test nothing.
    expect(parsed).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(100)
  })
})

describe('the WebAssembly engine on generated trees', () => {
  it('formats and canonicalizes exactly as the reference', async () => {
    const { createEngine, createReferenceEngine } = await import('../src/index.ts')
    const wasm = await createEngine()
    const reference = createReferenceEngine()
    fc.assert(fc.property(element, (tree) => {
      const text = toXml(tree, { style: 'preserve' })
      expect(Buffer.from(wasm.format(text)).equals(Buffer.from(reference.format(text)))).toBe(true)
      for (const comments of [true, false]) expect(Buffer.from(wasm.canonicalize(text, { comments })).equals(Buffer.from(reference.canonicalize(text, { comments })))).toBe(true)
    }), settings)
  })
})
