// Fuzz: hostile variants of the corpus's domains (see tools/fuzz.ts) through compose() with random
// built-in policies and through applyDefaults(). Every input ends in a result or a VirtunedError
// within the time bound. And compose is idempotent on its own output.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyDefaults } from '@virtuned/defaults'
import { parseDomain } from '@virtuned/model'
import { VirtunedError } from '@virtuned/xml-core'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { FuzzTally, hostileDocument, perInputLimitMs } from '../../../tools/fuzz.ts'
import { builtinPolicies, compose } from '../src/index.ts'

const corpus = locateCorpus()
const oses = ['debian11', 'win11', 'fedora37', 'nosuchos', 'http://debian.org/debian/12']
const policyNames = [...Object.keys(builtinPolicies), 'hotplug-ready:ports=2', 'hotplug-ready:ports=-1', 'nosuch']

/** The code of the VirtunedError `run` throws, or undefined when it returns; other errors propagate. */
function outcomeOf(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    if (!(error instanceof VirtunedError)) throw error
    return error.code
  }
}

describe.skipIf(!corpus.dir)(`fuzz @virtuned/policies and @virtuned/defaults${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const files = corpus.dir ? corpusFiles(corpus.dir, ['domains']) : []
  const documents = files.map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))

  it('ends every mutated domain in a composed domain or a typed error, in time', () => {
    const composeTally = new FuzzTally('policies compose')
    const defaultsTally = new FuzzTally('defaults applyDefaults')
    const request = fc.record({
      os: fc.constantFrom(...oses),
      policies: fc.subarray(policyNames, { maxLength: 3 }),
      force: fc.boolean(),
      convert: fc.boolean(),
    })
    fc.assert(fc.property(hostileDocument(documents), request, ({ input, label }, options) => {
      let start = performance.now()
      const composed = outcomeOf(() => {
        const result = compose(input, options)
        // What compose answers is a domain that parses.
        parseDomain(result.xml)
      })
      let ms = performance.now() - start
      composeTally.record(composed, ms, label)
      if (ms > perInputLimitMs) throw new Error(`compose ${label} took ${ms.toFixed(0)} ms`)

      start = performance.now()
      const defaulted = outcomeOf(() => parseDomain(applyDefaults(input, { os: options.os }).xml))
      ms = performance.now() - start
      defaultsTally.record(defaulted, ms, label)
      if (ms > perInputLimitMs) throw new Error(`applyDefaults ${label} took ${ms.toFixed(0)} ms`)
    }), { seed: 42, numRuns: 1500 })
    expect(composeTally.slow).toEqual([])
    expect(defaultsTally.slow).toEqual([])
    expect(composeTally.ok).toBeGreaterThan(50)
    expect(defaultsTally.ok).toBeGreaterThan(50)
    if (process.env.FUZZ_DEBUG) console.log([...composeTally.byCode].sort((a, b) => b[1] - a[1]), [...defaultsTally.byCode].sort((a, b) => b[1] - a[1]))
    console.log(composeTally.line())
    console.log(defaultsTally.line())
  })

  it('is idempotent: composing its own output gives the same XML', () => {
    // A fixed sample: every second domain of the corpus.
    const sample = documents.map((_, i) => i).filter((i) => i % 2 === 0)
    let same = 0
    let refused = 0
    for (const file of sample) {
      let first: string
      try {
        first = compose(documents[file]!, { os: 'debian11', policies: [] }).xml
      } catch (error) {
        // Documents compose refuses (a typed error) are not part of this property.
        if (!(error instanceof VirtunedError)) throw error
        refused++
        continue
      }
      const second = compose(first, { os: 'debian11', policies: [] }).xml
      expect(second, files[file]).toBe(first)
      same++
    }
    console.log(`fuzz policies compose idempotence: ${sample.length} corpus domains, ${same} same, ${refused} refused with a typed error`)
    expect(same).toBeGreaterThan(sample.length / 2)
  })
})
