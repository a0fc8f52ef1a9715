import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusFiles, locateCorpus } from '../../../tools/corpus.ts'
import { canonicalize, parseLibvirtXml, serialize } from '../src/index.ts'

const corpus = locateCorpus()
const folders = ['domains', 'domains-out', 'generic', 'generic-out', 'hotplug']

describe.skipIf(!corpus.dir)(`corpus round trip${corpus.reason ? ` (skipped: ${corpus.reason})` : ''}`, () => {
  const dir = corpus.dir!
  // describe.skipIf still runs this body to collect the tests: no corpus, no files.
  const files = corpus.dir ? corpusFiles(dir, folders) : []

  it('finds the whole corpus', () => {
    // 586 + 548 + 32 + 12 inputs and outputs, 35 devices, 49 domains, 12 cpu files (see the corpus README).
    expect(files.length).toBe(1274)
  })

  it('parses every file and round-trips it losslessly in both styles', () => {
    const failures: string[] = []
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)))
      const document = parseLibvirtXml(bytes)
      const canonical = canonicalize(document)
      for (const style of ['libvirt', 'preserve'] as const) {
        const text = serialize(document, { style })
        const again = parseLibvirtXml(text)
        if (canonicalize(again) !== canonical) failures.push(`${file} (${style}): canonical form changed`)
        if (serialize(again, { style }) !== text) failures.push(`${file} (${style}): not a fixed point`)
      }
    }
    expect(failures).toEqual([])
  })

  it("serializes libvirt's own output byte-identically", () => {
    const formatted = files.filter((f) => f.startsWith('domains-out/') || f.startsWith('generic-out/') || f.startsWith('hotplug/domains/'))
    const differing: string[] = []
    for (const file of formatted) {
      const source = readFileSync(join(dir, file), 'utf8')
      if (serialize(parseLibvirtXml(source)) !== source) differing.push(file)
    }
    // Every file libvirt itself wrote (domains-out, generic-out, live hotplug domains) comes back byte for byte.
    expect({ files: formatted.length, differing }).toEqual({ files: 609, differing: [] })
  })

  it("reads libvirt's deliberately invalid documents too (they are well-formed XML)", () => {
    const rows = readFileSync(join(dir, 'expected-parse-errors.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    expect(rows.length).toBeGreaterThan(100)
    let read = 0
    for (const row of rows) {
      const path = join(dir, row.split('\t')[0]!)
      const document = parseLibvirtXml(new Uint8Array(readFileSync(path)))
      expect(canonicalize(parseLibvirtXml(serialize(document)))).toBe(canonicalize(document))
      read++
    }
    expect(read).toBe(rows.length)
  })
})
