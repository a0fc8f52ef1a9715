// Fuzz: hostile variants of the corpus's domains (see tools/fuzz.ts) through parseLibvirtXml,
// viewDomain / viewDevice, toSpec (and fromSpec of what it read), serialize and the WebAssembly
// engine. Every input ends in a result or a VirtunedError within the time bound; the heap comes
// back to where it was, and the engine still answers correctly afterwards.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEngine, VirtunedError } from '@virtuned/xml-core'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { FuzzTally, hostileDocument, perInputLimitMs } from '../../../tools/fuzz.ts'
import { canonicalize, fromSpec, parseLibvirtXml, serialize, toSpec, viewDevice, viewDomain } from '../src/index.ts'

/** A full collection, if the runtime lets us ask for one (`--expose-gc`, or the flag set now). */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc
  if (exposed) return exposed
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return undefined
  }
}

const corpus = locateCorpus()

describe.skipIf(!corpus.dir)(`fuzz @virtuned/model${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = corpus.dir ? corpusFiles(corpus.dir, ['domains']) : []
  const documents = files.map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))

  it('ends every mutated document in a result or a typed error, in time, with the heap bounded', async () => {
    const gc = collector()
    const engine = await createEngine()
    gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    const tally = new FuzzTally('model')
    let specs = 0
    let views = 0
    fc.assert(fc.property(hostileDocument(documents), ({ input, label }) => {
      const start = performance.now()
      let outcome: string | undefined
      try {
        const document = parseLibvirtXml(input)
        // What parses serializes to what parses again (in both layouts).
        parseLibvirtXml(serialize(document))
        parseLibvirtXml(serialize(document, { style: 'preserve' }))
        // The engine agrees with the reference on everything that parses.
        expect(canonicalize(input, { engine })).toBe(canonicalize(input))
        if (document.kind === 'domain') {
          viewDomain(document)
          views++
          const reading = toSpec(document)
          // What toSpec reads is a spec fromSpec writes.
          serialize(fromSpec(reading.spec))
          specs++
        } else viewDevice(document)
      } catch (error) {
        if (!(error instanceof VirtunedError)) throw error
        outcome = error.code
        // Whatever the reference refuses, the engine refuses too (and keeps working).
        try {
          canonicalize(input, { engine })
        } catch (engineError) {
          if (!(engineError instanceof VirtunedError)) throw engineError
        }
      }
      const ms = performance.now() - start
      tally.record(outcome, ms, label)
      if (ms > perInputLimitMs) throw new Error(`${label} took ${ms.toFixed(0)} ms`)
    }), { seed: 42, numRuns: 2000 })

    gc?.()
    const grown = process.memoryUsage().heapUsed - heapBefore
    // With a forced collection ~200 MB is plenty; without one, allow what garbage may still sit there.
    expect(grown).toBeLessThan((gc ? 200 : 400) * 1024 * 1024)
    // The engine still answers correctly on a good document after all of the above.
    const good = documents[0]!
    expect(canonicalize(good, { engine })).toBe(canonicalize(good))
    expect(new TextDecoder().decode(engine.canonicalize("<domain type='kvm'><name>ok</name></domain>"))).toBe('<domain type="kvm"><name>ok</name></domain>')

    expect(tally.slow).toEqual([])
    expect(tally.ok).toBeGreaterThan(100)
    expect(tally.typed).toBeGreaterThan(500)
    if (process.env.FUZZ_DEBUG) console.log([...tally.byCode].sort((a, b) => b[1] - a[1]))
    console.log(tally.line(` (${views} domain views, ${specs} specs)`) + `, heap +${(grown / 1024 / 1024).toFixed(0)} MB`)
  })
})
