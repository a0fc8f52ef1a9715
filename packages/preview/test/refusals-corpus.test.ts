// libvirt's deliberately refused test domains (../shared/corpus/expected-parse-errors.txt: refused with an
// arch's newest capabilities): what preview refuses, it refuses in libvirt's words; the count it refuses is
// a floor, raised as refusals are added. Fails under CI=true without the corpus (tools/corpus.ts), skips
// with a reason elsewhere.
import { describe, expect, it } from 'vitest'
import { locateCorpus } from '../../../tools/corpus.ts'
import { scoreRefusals } from '../../../tools/preview-score.ts'

const { dir, reason } = locateCorpus()

/** Refused in libvirt's words when last raised (`npx tsx --conditions=@virtuned/source tools/preview-score.ts --refusals`). */
const floor = 78

/** Refused by preview in other words than libvirt's, and why that is right. */
const otherWords: Record<string, string> = {
  // an s390x domain tested with x86_64 capabilities: libvirt reaches the loadparm check first, preview
  // refuses capabilities of another arch than the domain's before reading anything else
  'domains/machine-loadparm-s390-len-invalid.xml': "Unexpected capabilities for `x86_64`, expected capabilities for the domain's arch `s390x`",
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
