// The findings are never guesses: on documents libxml2 accepts, the explanation walks the whole
// tree and finds nothing (every other corpus document — about 600 — with libvirt 11.3.0's schemas;
// the whole corpus passes too, in twice the time).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { parseXml } from '@virtuned/xml-core'
import { createValidator } from '../src/index.ts'
import { createExplainer } from '../src/explain.ts'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { schemaFiles, shippedSchemas } from './_native.ts'

const corpus = locateCorpus()

it.skipIf(corpus.dir === undefined)(`finds nothing wrong in ~600 corpus documents libxml2 accepts ${corpus.reason}`, async () => {
  const validator = await createValidator()
  const explainer = createExplainer(new Map(Object.entries(schemaFiles(shippedSchemas))), 'domain.rng')
  const files = corpusFiles(corpus.dir!, ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug/domains']).filter((_, i) => i % 2 === 0)
  const wrong: string[] = []
  let checked = 0
  for (const file of files) {
    const text = readFileSync(join(corpus.dir!, file), 'utf8')
    if (!validator.validate(text).valid) continue
    checked++
    const tree = parseXml(text)
    const root = tree.children.find((c) => c.type === 'element')!
    for (const finding of explainer.explain(tree, [`/${root.name}`])) wrong.push(`${file}: ${finding.message} (${finding.path})`)
  }
  expect(checked).toBeGreaterThan(570)
  expect(wrong).toEqual([])
})
