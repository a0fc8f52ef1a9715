// Exact-match share on libvirt's own test pairs (../shared/corpus): a floor, raised as rules are added.
// Fails under CI=true without the corpus (tools/corpus.ts), skips with a reason elsewhere.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { scorePreview, scoreRefusals, formatTable } from '../../../tools/preview-score.ts'

const { dir, reason } = locateCorpus()

/** The floors: the exact counts reached when they were last raised (see README, "Score"). */
const floors = { x86_64: 412, all: 548 }

describe.skipIf(!dir)(`preview on libvirt's test pairs${dir ? '' : ` (skipped: ${reason})`}`, () => {
  const score = scorePreview(dir!)

  it('scores every pair of the corpus except the ones libvirt refuses', () => {
    expect(score.total).toBeGreaterThan(500)
    expect(score.skipped.every((s) => s.includes('libvirt refuses'))).toBe(true)
  })

  it(`keeps x86_64 at ≥ ${floors.x86_64} exact pairs and all arches at ≥ ${floors.all}`, () => {
    const x86 = score.rows.filter((r) => r.group.startsWith('x86_64')).reduce((n, r) => n + r.exact, 0)
    if (x86 < floors.x86_64 || score.exact < floors.all) console.log(formatTable(score))
    expect(x86).toBeGreaterThanOrEqual(floors.x86_64)
    expect(score.exact).toBeGreaterThanOrEqual(floors.all)
  })

  it('is exact as text too, byte for byte, wherever it is exact in canonical form (libvirt\'s attribute order, quotes, layout)', () => {
    const text = scorePreview(dir!, { text: true })
    const canonical = new Set(score.pairs.filter((p) => p.exact).map((p) => p.output))
    expect(text.pairs.filter((p) => canonical.has(p.output) && !p.exact).map((p) => `${p.output}: ${p.miss}`)).toEqual([])
  })

  it('never throws on a pair libvirt accepts', () => {
    expect(score.pairs.filter((p) => p.miss?.startsWith('error')).map((p) => `${p.output}: ${p.miss}`)).toEqual([])
  })
})

describe('the scorer on a capabilities file preview cannot read (a newer release\'s suite)', () => {
  it('counts the pairs and refusals using it as misses with the typed error, and goes on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtuned-score-'))
    try {
      for (const d of ['domains', 'domains-out', 'qemucaps']) mkdirSync(join(dir, d))
      const domain = "<domain type='qemu'><name>a</name><memory>1024</memory><os><type arch='x86_64'>hvm</type></os></domain>"
      writeFileSync(join(dir, 'domains', 'a.xml'), domain)
      writeFileSync(join(dir, 'domains', 'b.xml'), domain)
      writeFileSync(join(dir, 'domains-out', 'a.x86_64-latest.xml'), domain)
      writeFileSync(join(dir, 'qemucaps', 'caps_99.0.0_x86_64.xml'), '<qemuCaps><arch>x86_64</arch></qemuCaps>')
      writeFileSync(join(dir, 'expected-parse-errors.txt'), 'domains/b.xml\tparse\talways\tx86_64-latest\tXML error: refused\n')
      const score = scorePreview(dir)
      expect(score.pairs.map((p) => [p.output, p.exact, p.miss])).toEqual([['a.x86_64-latest.xml', false, 'error preview-bad-qemucaps No `<machine>` in `<qemuCaps>`']])
      expect(scoreRefusals(dir).map((r) => [r.input, r.outcome, r.preview])).toEqual([['domains/b.xml', 'other', 'No `<machine>` in `<qemuCaps>`']])
    } finally { rmSync(dir, { recursive: true, force: true }) }
  })
})
