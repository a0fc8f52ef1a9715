// The live oracle (issue 19): 200 distinct domains composed by virtuned, and libvirt's own x86_64 test
// domains the daemon accepts, defined on the sandbox libvirtd (libvirt 9.0, QEMU under TCG) and read
// back with `dumpxml --inactive`; previewDomain given that daemon's own QEMU capabilities cache must
// print the same document. Every composed domain must be exact; the corpus share is a floor (raised as
// preview learns what 9.0 drops) with every miss printed. Fails under CI=true without libvirtd or the
// corpus (tools/libvirt.ts, tools/corpus.ts), skips with the reason elsewhere.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps } from '@virtuned/preview'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'
import { cachedCaps, composedCases, corpusCases, runOracle, virshDomcaps, type OracleResult } from '../../../tools/preview-oracle.ts'
import { locateCorpus } from '../../../tools/corpus.ts'

const { reason, run } = libvirtAvailability()
const corpus = locateCorpus()
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
/** Exact corpus domains (of those the daemon accepts) when the floor was last raised (package README, "Live oracle"). */
const corpusFloor = 145

describe.skipIf(!run)(`preview against a real libvirtd${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let conn: LibvirtConnection
  let results: OracleResult[] = []
  let corpusResults: OracleResult[] = []
  let refused = 0
  let previewMicros = 0
  let daemonMicros = 0

  beforeAll(async () => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    conn = await createConnection('qemu:///system')
    const host = parseDomainCapabilities(virshDomcaps(), 'libvirtd')
    const caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
    ;({ results, previewMicros, daemonMicros } = await runOracle(conn, composedCases(200, host), caps))
    expect(corpus.dir, corpus.reason).toBeDefined()
    ;({ results: corpusResults, refused } = await runOracle(conn, corpusCases(corpus.dir!), caps))
  }, 600_000)

  afterAll(async () => {
    await conn?.close()
    execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  })

  it('defines every composed domain and predicts each without an error', () => {
    expect(results).toHaveLength(200)
    expect(results.filter((r) => r.miss?.startsWith('error')).map((r) => `${r.name}: ${r.miss}`)).toEqual([])
  })

  it('predicts every composed domain exactly', () => {
    console.log(`live oracle: composed ${results.filter((r) => r.exact).length} / ${results.length} exact (preview ${previewMicros.toFixed(0)} µs vs define + dumpxml + undefine ${daemonMicros.toFixed(0)} µs per domain, single cold calls)`)
    expect(results.filter((r) => !r.exact).map((r) => `${r.name}: ${r.miss}`)).toEqual([])
  })

  it(`predicts at least ${corpusFloor} of libvirt's x86_64 test domains the daemon accepts exactly`, () => {
    const exact = corpusResults.filter((r) => r.exact).length
    console.log(`live oracle: corpus ${exact} / ${corpusResults.length} exact (${refused} refused by libvirtd 9.0)\n${corpusResults.filter((r) => !r.exact).map((r) => `  ${r.name}: ${r.miss}`).join('\n')}`)
    expect(corpusResults.filter((r) => r.miss?.startsWith('error')).map((r) => `${r.name}: ${r.miss}`)).toEqual([])
    expect(exact).toBeGreaterThanOrEqual(corpusFloor)
  })
})
