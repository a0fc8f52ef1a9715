// Byte-level mutations of corpus documents (tools/mutations.ts): whatever comes out — malformed,
// not UTF-8, truncated, still valid — the WebAssembly libxml2 gives native xmllint's verdict, never
// throws, and locates every refusal by line.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { createValidator } from '../src/index.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { applyMutation, mutationOf } from '../../../tools/mutations.ts'
import { nativeVerdictsOf, xmllint } from './_native.ts'

const corpus = locateCorpus()

it.skipIf(corpus.dir === undefined || xmllint.skip)(`300 mutated documents: xmllint's verdict, each refusal located — ${xmllint.label} ${corpus.reason}`, async () => {
  const validator = await createValidator()
  const files = corpusFiles(corpus.dir!, ['generic', 'domains']).filter((_, i) => i % 5 === 0)
  const documents = files.map((f) => new Uint8Array(readFileSync(join(corpus.dir!, f))))
  const mutated = fc.sample(mutationOf(documents.length), { numRuns: 300, seed: 20 }).map((m) => applyMutation(documents[m.file]!, m))
  const native = nativeVerdictsOf(join(corpus.dir!, 'schemas/domain.rng'), mutated.map((bytes) => Buffer.from(bytes).toString('latin1')), 'latin1')
  let refused = 0
  for (const [i, bytes] of mutated.entries()) {
    const result = validator.validate(bytes)
    expect(result.valid, `mutation ${i}`).toBe(native[i]!.valid)
    if (!result.valid) {
      refused++
      expect(result.errors[0]!.line, `mutation ${i}: ${JSON.stringify(result.errors[0])}`).toBeGreaterThan(0)
    }
  }
  expect(refused).toBeGreaterThan(100)
})
