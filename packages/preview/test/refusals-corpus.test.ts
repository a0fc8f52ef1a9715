// libvirt's deliberately refused test domains (../shared/corpus/expected-parse-errors.txt: refused with an
// arch's newest capabilities): what preview refuses, it refuses in libvirt's words; the count it refuses is
// a floor, raised as refusals are added. Fails under CI=true without the corpus (tools/corpus.ts), skips
// with a reason elsewhere.
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { scoreRefusals } from '../../../tools/preview-score.ts'

const { dir, reason } = locateCorpus()

/** Refused in libvirt's words when last raised (`npx tsx --conditions=@virtuned/source tools/preview-score.ts --refusals`). */
const floor = 79

/** Refused by preview in other words than libvirt's, and why that is right. */
const otherWords: Record<string, string> = {
  // (none since 2026-12-05: the s390x domain libvirt's tests read with x86_64 capabilities is refused for its boot
  // loadparm while parsing, as libvirt does, before its arch is compared with the capabilities')
}

describe.skipIf(!dir)(`libvirt's refused test domains${dir ? '' : ` (skipped: ${reason})`}`, () => {
  const results = scoreRefusals(dir!)

  it('reads every refusal of the corpus for the newest capabilities', () => {
    expect(results.length).toBeGreaterThan(70)
  })

  it(`refuses at least ${floor} of them in libvirt's own words`, () => {
    expect(results.filter((r) => r.outcome === 'same').length).toBeGreaterThanOrEqual(floor)
  })

  it("never refuses one in other words than libvirt's, but for the listed reasons", () => {
    const other = results.filter((r) => r.outcome === 'other').map((r) => [r.input, r.preview])
    expect(Object.fromEntries(other)).toEqual(Object.fromEntries(other.map(([input]) => [input, otherWords[input!] ?? '(not listed)'])))
  })
})
