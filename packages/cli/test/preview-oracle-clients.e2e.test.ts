// The live oracle on XML as other tools write it (issue 19: "XML written by other tools"): domains in the
// shapes virt-install (x86_64, aarch64, ppc64le, s390x), virt-manager, Nova, KubeVirt, oVirt, Vagrant, the
// Terraform provider, OpenNebula and libguestfs send, plus four kitchen sinks (fixtures/preview/clients,
// written for virtuned: hand-made in those tools' styles, with their UUIDs and MACs given so that nothing
// random is left), each defined on the sandbox libvirtd (libvirt 9.0, QEMU under TCG) and read back with
// `dumpxml --inactive`: previewDomain, given that daemon's QEMU capabilities cache for the domain's
// architecture and its qemu.conf, must print the same document. Fails under CI=true without libvirtd
// (tools/libvirt.ts), skips with the reason elsewhere.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnection, type LibvirtConnection } from '@virtuned/libvirt-adapter'
import { parseQemuCaps } from '@virtuned/preview'
import { libvirtAvailability, sandboxScripts as sandbox } from '../../../tools/libvirt.ts'
import { cachedCaps, emulatorOf, runOracle, sandboxQemuConf, type OracleCase, type OracleResult } from '../../../tools/preview-oracle.ts'

const { reason, run } = libvirtAvailability()
const env = { ...process.env, VIRTUNED_SANDBOX_HOLDER: String(process.pid) }
const dir = join(import.meta.dirname, '../../../fixtures/preview/clients')
const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
/** The cases by their architecture (`<type arch>`, x86_64 when none is written). */
const byArch = new Map<string, OracleCase[]>()
for (const f of files) {
  const xml = readFileSync(join(dir, f), 'utf8')
  const arch = /<type[^>]*\barch=['"]([^'"]+)['"]/.exec(xml)?.[1] ?? 'x86_64'
  byArch.set(arch, [...(byArch.get(arch) ?? []), { name: f, xml }])
}

describe.skipIf(!run)(`preview against a real libvirtd: XML as other tools write it${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let conn: LibvirtConnection
  const results = new Map<string, OracleResult>()

  beforeAll(async () => {
    expect(reason, 'CI must run the real-libvirt tests: install with tools/libvirt-sandbox/install.sh').toBe('')
    execFileSync('bash', [join(sandbox, 'start.sh')], { stdio: 'pipe', env, timeout: 120_000 })
    conn = await createConnection('qemu:///system')
    // a run that died half-way may have left one of these defined: its name or UUID would clash
    const names = new Set(files.map((f) => /<name>([^<]*)<\/name>/.exec(readFileSync(join(dir, f), 'utf8'))?.[1]))
    for (const d of await conn.listAllDomains()) if (names.has(d.name)) await conn.undefine(d, { keepNvram: true })
    for (const [arch, cases] of byArch) {
      // libvirtd writes an emulator's capabilities cache when it first probes it: on a fresh host, ask it now
      execFileSync('virsh', ['-c', 'qemu:///system', 'domcapabilities', '--virttype', 'qemu', '--arch', arch], { stdio: 'pipe', timeout: 120_000 })
      const caps = parseQemuCaps(cachedCaps(emulatorOf(arch)).text)
      for (const r of (await runOracle(conn, cases, caps, undefined, sandboxQemuConf())).results) results.set(r.name, r)
    }
  }, 600_000)

  afterAll(async () => {
    await conn?.close().catch(() => undefined)
    execFileSync('bash', [join(sandbox, 'stop.sh')], { stdio: 'pipe', env, timeout: 120_000 })
  })

  it('has the samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(19)
  })

  it.each(files)('%s: libvirtd accepts it and preview predicts what it stores', (f) => {
    const r = results.get(f)
    expect(r, `${f} was not defined`).toBeDefined()
    expect(r!.miss ?? '', f).toBe('')
    expect(r!.exact).toBe(true)
  })
})
