// Hostile numbers in real domains: every number written in a sample of libvirt's own test domains
// (../shared/corpus), replaced one at a time by a value at or beyond what libvirt reads, must give a
// prediction or a typed error — never a TypeError or RangeError, never a run that exhausts memory or
// time (a run away makes this test time out or its worker die). Before, `index='4294967295'` on a PCI
// controller, `cpus='0-2147483647'` and `<iothreads>4294967295</iothreads>` did. Fails under CI=true
// without the corpus (tools/corpus.ts), skips with a reason elsewhere.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VirtunedError } from '@virtuned/xml-core'
import { previewDomain } from '../src/index.ts'
import { capsXml } from './_caps.ts'
import { locateCorpus } from '../../../tools/corpus.ts'

const { dir, reason } = locateCorpus()
const hostile = ['4294967295', '2147483648', 'x', '-1', '0-2147483647']
// a number written as an attribute value or as an element's whole text
const numberSpot = /(=')([0-9][0-9,^x-]*)(')|(=")([0-9][0-9,^x-]*)(")|(>)([0-9][0-9,^x-]*)(<)/g

describe.skipIf(!dir)(`hostile numbers in libvirt's test domains${dir ? '' : ` (skipped: ${reason})`}`, () => {
  it('give a prediction or a typed error, for every number of every fourth x86_64 domain', () => {
    const qemuCaps = capsXml()
    const files = readdirSync(join(dir!, 'domains')).filter((f) => f.endsWith('.xml')).sort()
    const untyped: string[] = []
    let calls = 0
    files.forEach((file, i) => {
      if (i % 4 !== 0) return
      const xml = readFileSync(join(dir!, 'domains', file), 'utf8')
      if (/arch=['"](?!x86_64)/.test(xml)) return
      for (const m of xml.matchAll(numberSpot)) {
        const at = m.index + (m[1] ?? m[4] ?? m[7])!.length
        const length = (m[2] ?? m[5] ?? m[8])!.length
        for (const value of hostile) {
          calls++
          try {
            previewDomain(xml.slice(0, at) + value + xml.slice(at + length), { qemuCaps, abiUpdate: true })
          } catch (error) {
            if (!(error instanceof VirtunedError)) untyped.push(`${file} at ${at} ← ${value}: ${String(error).slice(0, 120)}`)
          }
        }
      }
    })
    expect(calls).toBeGreaterThan(500)
    expect(untyped).toEqual([])
  }, 240_000)
})
