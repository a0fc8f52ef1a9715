// The probes of libvirt's checks and fill-ins (fixtures/preview/probes, written against libvirt 9.0's source and daemon)
// on libvirt 11.3's own daemon: Debian trixie's libvirtd 11.3 with its QEMU 10.0, in a chroot beside the sandbox
// (tools/libvirt-trixie). Each probe is defined there with the capabilities cache of its arch (its `<selfvers>` says
// 11.3: preview reproduces 11.3 from it) and previewed: the same document, or refused in the daemon's words. The few where
// libvirt makes up a random value are listed with the reason and must still differ. A probe of an arch trixie's QEMU
// no longer has (CRIS) is left out. Fails under CI=true without the chroot (.ci/run installs it), skips elsewhere.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LibvirtConnection } from '@virtuned/libvirt-adapter'
import { archNames } from '@virtuned/model'
import { parseQemuCaps, type QemuCaps } from '@virtuned/preview'
import { trixieAvailability, trixieRoot, trixieScripts } from '../../../tools/libvirt.ts'
import { cachedCaps, compareLive, emulatorOf, liveUri, sandboxFirmware, sandboxHostArch, sandboxQemuConf, startLive, type LiveOutcome } from '../../../tools/preview-oracle.ts'
import { probeArch, probes, randomOnEveryRelease, randomValue } from './_probes.ts'

const { reason, run } = trixieAvailability()

const archOf = (xml: string): string => probeArch(xml, archNames)
/** The arches whose QEMU trixie's chroot has (QEMU 10 dropped CRIS). */
const hostHas = (arch: string): boolean => existsSync(trixieRoot + emulatorOf(arch))
const tried = probes.filter((p) => hostHas(archOf(p.xml)))

/** The probes where libvirt 11.3 makes up a random value, with which: each must still differ (a fix would show here). */
const known: Readonly<Record<string, string>> = {
  ...randomOnEveryRelease,
  // (libvirt 11's virDomainNetDefParseXML takes an all-zero MAC as none given — virMacAddrIsAllClear — and makes one up)
  'h16-net-mac-zero': randomValue("an all-zero MAC's replacement", '11.3'),
  'h45-mac-zero-q35': randomValue("an all-zero MAC's replacement", '11.3'),
  'h45-mac-zero-pc': randomValue("an all-zero MAC's replacement", '11.3'),
}

describe.skipIf(!run)(`preview against a real libvirtd 11.3: probes of libvirt's checks${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let conn: LibvirtConnection
  let startedHere = false
  const outcomes = new Map<string, { outcome: LiveOutcome; daemon: string; preview: string }>()

  beforeAll(async () => {
    expect(reason, 'CI must run the libvirt 11.3 tests: install with tools/libvirt-trixie/install.sh').toBe('')
    process.env.VIRTUNED_LIVE_ROOT = trixieRoot
    try { execFileSync('virsh', ['-c', liveUri(), 'version'], { stdio: 'pipe', timeout: 30_000 }) } catch { startedHere = true }
    conn = await startLive()
    const names = new Set(probes.map((p) => p.name))
    for (const d of await conn.listAllDomains()) if (names.has(d.name)) await conn.undefine(d, { keepNvram: true })
    const capsByArch = new Map<string, QemuCaps>()
    const qemuConf = sandboxQemuConf()
    const firmware = sandboxFirmware()
    for (const p of tried) {
      const arch = archOf(p.xml)
      let caps = capsByArch.get(arch)
      if (caps === undefined) {
        execFileSync('virsh', ['-c', liveUri(), 'domcapabilities', '--virttype', 'qemu', '--arch', arch], { stdio: 'pipe', timeout: 120_000 })
        caps = parseQemuCaps(cachedCaps(emulatorOf(arch)).text)
        capsByArch.set(arch, caps)
      }
      outcomes.set(p.name, await compareLive(conn, p.xml, { qemuCaps: caps, abiUpdate: true, qemuConf, firmware, hostArch: sandboxHostArch }))
    }
  }, 1_500_000)

  afterAll(async () => {
    await conn?.close().catch(() => undefined)
    if (startedHere) execFileSync('bash', [join(trixieScripts, 'stop.sh')], { stdio: 'pipe', env: { ...process.env, VIRTUNED_TRIXIE_ROOT: trixieRoot }, timeout: 120_000 })
    delete process.env.VIRTUNED_LIVE_ROOT
  })

  it('tries the probes of every arch the host has, and the known list names only probes tried', () => {
    expect(probes.length - tried.length).toBeLessThan(100)
    for (const name of Object.keys(known)) expect(tried.some((p) => p.name === name), name).toBe(true)
    const agree = [...outcomes.values()].filter((o) => o.outcome === 'same' || o.outcome === 'bothRefused').length
    console.log(`live oracle 11.3, probes: ${agree} / ${outcomes.size} the same or refused alike (${probes.length - tried.length} left out: an arch trixie's QEMU lacks)`)
  })

  it.each(tried.filter((p) => !(p.name in known)).map((p) => [p.name, p.file]))('%s (%s): the same document, or refused in the daemon\'s words', (name) => {
    const found = outcomes.get(name)!
    expect(found.outcome, `daemon: ${found.daemon.slice(0, 400)}\npreview: ${found.preview.slice(0, 400)}`).toMatch(/^(same|bothRefused)$/)
  })

  it.each(Object.entries(known))("%s: libvirt's random value (%s)", (name) => {
    expect(outcomes.get(name)!.outcome).not.toMatch(/^(same|bothRefused)$/)
  })
})
