// The live oracle on libvirt's own test domains (issue 19): every x86_64 domain of ../shared/corpus is
// defined on the sandbox libvirtd (libvirt 9.0, QEMU under TCG); each one the daemon accepts is read back
// with `dumpxml --inactive` and previewDomain — given that daemon's QEMU capabilities cache and its
// qemu.conf — must print the same document: one test per domain, the first differing line on a miss.
// Domains the daemon refuses preview must refuse in the daemon's words (and they must stay few: a floor on the accepted);
// those it dies on instead of refusing are left out with the reason (`daemonKillers`). Fails under CI=true
// without libvirtd (tools/libvirt.ts) or the corpus (tools/corpus.ts), skips with the reason elsewhere.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps, previewDomain, type QemuCaps } from '@virtuned/preview'
import { locateCorpus } from '../../../tools/corpus.ts'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'
import { cachedCaps, corpusCases, daemonKillers, runOracle, sameRefusal, sandboxHostArch, sandboxQemuConf, type OracleResult } from '../../../tools/preview-oracle.ts'

const { reason, run } = libvirtAvailability()
const corpus = locateCorpus()
const cases = corpus.dir ? corpusCases(corpus.dir) : []
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
/** Accepted by libvirtd 9.0 on 2026-12-03: 348 of the 446 x86_64 domains tried. A drop means refusals that are not libvirt's own. */
const acceptedFloor = 348
const why = reason || corpus.reason

describe.skipIf(!run || !corpus.dir)(`preview against a real libvirtd: libvirt's x86_64 test domains${why ? ` (skipped: ${why})` : ''}`, () => {
  let conn: LibvirtConnection
  const results = new Map<string, OracleResult>()
  const refusals = new Map<string, string>()
  let restarts = 0
  let seconds = 0
  let caps: QemuCaps | undefined

  beforeAll(async () => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    conn = await createConnection('qemu:///system')
    // a run that died half-way may have left one of libvirt's test domains defined: its name or UUID would clash
    const names = new Set(cases.map((c) => /<name>([^<]*)<\/name>/.exec(c.xml)?.[1]))
    for (const d of await conn.listAllDomains()) if (names.has(d.name)) await conn.undefine(d, { keepNvram: true })
    caps = parseQemuCaps(cachedCaps('/usr/bin/qemu-system-x86_64').text)
    const reconnect = async () => {
      execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
      return (conn = await createConnection('qemu:///system'))
    }
    const t0 = performance.now()
    const run = await runOracle(conn, cases, caps, reconnect, sandboxQemuConf())
    seconds = (performance.now() - t0) / 1000
    for (const r of run.results) results.set(r.name, r)
    for (const r of run.refusals) refusals.set(r.name, r.reason)
    restarts = run.restarts
  }, 600_000)

  afterAll(async () => {
    await conn?.close().catch(() => undefined)
    execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  })

  it('tries every x86_64 domain but the ones libvirtd dies on, and the daemon accepts as many as it did', () => {
    const exact = [...results.values()].filter((r) => r.exact).length
    console.log(`live oracle: libvirt's test domains ${exact} / ${results.size} exact, ${refusals.size} refused, ${Object.keys(daemonKillers).length} left out (daemonKillers), libvirtd restarted ${restarts} times, ${seconds.toFixed(1)} s`)
    expect(cases.some((c) => c.name in daemonKillers)).toBe(false)
    expect(results.size + refusals.size).toBe(cases.length)
    expect(results.size).toBeGreaterThanOrEqual(acceptedFloor)
    // a refusal because of an earlier run's leftovers would hide a domain
    expect([...refusals].filter(([, r]) => /domain '[^']*' (?:already exists|is already defined)/i.test(r))).toEqual([])
  })

  for (const c of cases) {
    it(c.name, () => {
      const refusal = refusals.get(c.name)
      if (refusal !== undefined) {
        // the daemon refuses it: preview must refuse it too, in the daemon's words (the first refusal libvirt meets)
        let preview = '(preview predicted it)'
        try { previewDomain(c.xml, { qemuCaps: caps!, abiUpdate: true, qemuConf: sandboxQemuConf(), hostArch: sandboxHostArch }) } catch (e) { preview = (e as Error).message }
        expect(sameRefusal(refusal, preview), `libvirtd: ${refusal} | preview: ${preview}`).toBe(true)
        return
      }
      const r = results.get(c.name)
      expect(r, 'the run did not reach this domain').toBeDefined()
      expect(r!.miss ?? '', 'first differing canonical line: libvirtd | preview').toBe('')
    })
  }
})
