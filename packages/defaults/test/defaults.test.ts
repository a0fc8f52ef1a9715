import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { golden } from '../../../tools/golden.ts'
import { bare, corpus, hosts, oses } from './_golden-cases.ts'
import { parseDomain } from '@virtuned/model'
import { DefaultsError, applyDefaults, assumedHost, domainFacts, parseDomainCapabilities, upgradeReport, type HostCapabilities } from '../src/index.ts'
import { runSchema, schemaErrors, validatorMissing } from '../../../tools/schema.ts'

const fixtures = new URL('../../../fixtures/defaults/', import.meta.url).pathname

describe(`golden domains per OS × host${corpus.reason ? ` (hosts from the corpus skipped: ${corpus.reason})` : ''}`, () => {
  for (const [hostName, host] of hosts()) {
    for (const os of oses) {
      it(`${os} on ${hostName}`, () => {
        const result = applyDefaults(bare.replace("type='kvm'", `type='${host.virtType}'`), { os, host })
        golden(join(fixtures, `${os}@${hostName}.xml`), result.xml)
        // Applying again changes nothing (fill-only and idempotent).
        const again = applyDefaults(result.xml, { host })
        expect(again.xml).toBe(result.xml)
        expect(again.explanation).toEqual([])
      })
    }
  }
})

describe.skipIf(!runSchema)(`libvirt's RelaxNG schema accepts every composed domain${validatorMissing ? ` (skipped: ${validatorMissing})` : ''}`, () => {
  it('validates with virt-xml-validate', () => {
    const failures: string[] = []
    for (const [hostName, host] of hosts()) {
      for (const os of oses) {
        const errors = schemaErrors(applyDefaults(bare.replace("type='kvm'", `type='${host.virtType}'`), { os, host }).xml)
        if (errors) failures.push(`${os}@${hostName}: ${errors}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('rejects a broken domain (the check can fail)', () => {
    expect(schemaErrors(bare.replace("<vcpu>2</vcpu>", "<vcpu>two</vcpu>"))).not.toBe('')
  })
})

describe('fill-only', () => {
  it('never changes what the user wrote', () => {
    const mine = bare
      .replace("<type arch='x86_64'>hvm</type>", "<type arch='x86_64' machine='pc'>hvm</type>")
      .replace('<devices>', "<clock offset='utc'/><devices>")
      .replace("<interface type='network'><source network='default'/></interface>", "<interface type='network'><source network='default'/><model type='rtl8139'/></interface>")
    const result = applyDefaults(mine, { os: 'win10', host: assumedHost })
    const root = result.xml
    expect(root).toContain("machine='pc'")
    expect(root).toContain("<clock offset='utc'>")
    expect(root).toContain("<model type='rtl8139'/>")
    // On i440fx there are no PCIe root ports to add, and SATA is not the disk default.
    expect(root).not.toContain('pcie-root-port')
    expect(root).toMatch(/<target dev='hda' bus='ide'\/>|<target bus='ide' dev='hda'\/>/)
  })

  it('explains every node it added, with a rule, why, and sources', () => {
    const result = applyDefaults(bare, { os: 'win11', host: assumedHost })
    expect(result.explanation.length).toBeGreaterThan(10)
    for (const e of result.explanation) {
      expect(e.path).toMatch(/^\/domain\//)
      expect(e.why.length).toBeGreaterThan(20)
      expect(e.sources.length).toBeGreaterThan(0)
    }
    const byRule = new Set(result.explanation.map((e) => e.rule))
    for (const rule of ['machine-q35', 'firmware-efi', 'secure-boot', 'tpm-crb', 'hyperv-enlightenments', 'clock-windows', 'pcie-root-ports', 'disk-bus', 'nic-model']) expect(byRule).toContain(rule)
    golden(join(fixtures, 'win11@assumed.explain.txt'), result.explanation.map((e) => `${e.rule}${e.guestVisible ? ' [guest-visible]' : ''}: ${e.path}`).join('\n') + '\n')
  })

  it('says why each rule that did not apply did not', () => {
    const result = applyDefaults(bare, { os: 'debian11', host: assumedHost })
    const tpm = result.rules.find((r) => r.rule === 'tpm-crb')!
    expect(tpm).toEqual({ rule: 'tpm-crb', applied: false, because: 'the guest OS family is linux' })
  })
})

describe('OS knowledge', () => {
  it('falls back to the nearest release of the family, with a warning, and records the asked-for OS', () => {
    const result = applyDefaults(bare, { os: 'debian12', host: assumedHost })
    expect(result.os?.shortId).toBe('debian11')
    expect(result.warnings.join('\n')).toContain('does not know `debian12`')
    expect(result.xml).toContain('<libosinfo:os id="http://debian.org/debian/12"/>')
    // The recorded OS is used again without being told.
    const again = applyDefaults(result.xml, { host: assumedHost })
    expect(again.os?.shortId).toBe('debian11')
  })

  it('refuses an OS it cannot place, with a typed error', () => {
    expect(() => applyDefaults(bare, { os: 'plan9-4th', host: assumedHost })).toThrow(DefaultsError)
    try { applyDefaults(bare, { os: 'nosuchos', host: assumedHost }) } catch (e) { expect((e as DefaultsError).code).toBe('defaults-unknown-os') }
  })

  it('skips OS-dependent rules without an OS and says so', () => {
    const result = applyDefaults(bare, { host: assumedHost })
    expect(result.warnings.join('\n')).toContain('No guest OS given')
    expect(result.xml).not.toContain('machine=')
    expect(result.xml).toContain('<acpi/>')
  })
})

describe('host gating: a default never chooses what the host cannot do', () => {
  const without = (host: HostCapabilities, path: string, value: string): HostCapabilities => ({ ...host, enums: { ...host.enums, [path]: (host.enums[path] ?? []).filter((v) => v !== value) } })

  it('no TPM, no secure boot, no EFI when the host lacks them', () => {
    let host = without(assumedHost, 'devices/tpm/model', 'tpm-crb')
    host = without(host, 'os/loader/secure', 'yes')
    const result = applyDefaults(bare, { os: 'win11', host })
    expect(result.xml).not.toContain('<tpm')
    expect(result.xml).not.toContain('secure-boot')
    expect(result.xml).toContain("firmware='efi'")
    const noEfi = applyDefaults(bare, { os: 'win11', host: without(assumedHost, 'os/firmware', 'efi') })
    expect(noEfi.xml).not.toContain("firmware='efi'")
  })

  it('only the Hyper-V features the host lists; evmcs only on Intel with nesting; reenlightenment only without migration', () => {
    const host: HostCapabilities = { ...assumedHost, enums: { ...assumedHost.enums, 'features/hyperv/features': ['relaxed', 'vapic', 'evmcs', 'reenlightenment'] } }
    const amd = applyDefaults(bare, { os: 'win10', host: { ...host, cpuVendor: 'AMD', cpuFeatures: ['svm'] } }).xml
    expect(amd).toContain("<relaxed state='on'/>")
    expect(amd).not.toContain('spinlocks')
    expect(amd).not.toContain('evmcs')
    expect(amd).not.toContain('reenlightenment')
    const intel = applyDefaults(bare, { os: 'win10', host: { ...host, cpuVendor: 'Intel', cpuFeatures: ['vmx'] }, parameters: { migratable: false } }).xml
    expect(intel).toContain("<evmcs state='on'/>")
    expect(intel).toContain("<reenlightenment state='on'/>")
    // The same host object asked again with migration allowed: the set follows the parameters.
    const intelHost: HostCapabilities = { ...host, cpuVendor: 'Intel', cpuFeatures: ['vmx'] }
    expect(applyDefaults(bare, { os: 'win10', host: intelHost, parameters: { migratable: false } }).xml).toContain('reenlightenment')
    expect(applyDefaults(bare, { os: 'win10', host: intelHost }).xml).not.toContain('reenlightenment')
    expect(applyDefaults(bare, { os: 'win10', host: intelHost, parameters: { tscFrequency: 2_000_000_000 } }).xml).toContain('reenlightenment')
  })

  it.skipIf(!corpus.dir)('TCG: maximum CPU, never host-model', () => {
    const tcg = parseDomainCapabilities(readFileSync(join(corpus.dir!, 'domcaps', 'qemu_10.0.0-tcg.x86_64.xml')))
    expect(tcg.virtType).toBe('qemu')
    const xml = applyDefaults(bare.replace("type='kvm'", "type='qemu'"), { os: 'fedora37', host: tcg }).xml
    expect(xml).toContain("<cpu mode='maximum'/>")
    expect(xml).not.toContain('host-model')
  })
})

describe('profiles', () => {
  it('upgradeReport lists what a newer profile adds, marked guest-visible, and changes nothing', () => {
    const made = applyDefaults(bare, { os: 'fedora37', host: assumedHost })
    const report = upgradeReport(made.xml, '2026.12', { host: assumedHost })
    expect(report.from).toBe('2026.11')
    expect(report.to).toBe('2026.12')
    expect(report.items).toEqual([expect.objectContaining({ rule: 'memballoon-free-page-reporting', guestVisible: true, path: '/domain/devices/memballoon/@freePageReporting' })])
  })

  it('refuses an unknown profile', () => {
    expect(() => applyDefaults(bare, { profile: '1999.01' })).toThrow(/Unknown defaults profile `1999.01`/)
  })

  it('keeps the profile a domain was made with', () => {
    const made = applyDefaults(bare, { os: 'fedora37', host: assumedHost, profile: '2026.12' })
    expect(made.xml).toContain('profile="2026.12"')
    expect(applyDefaults(made.xml, { host: assumedHost }).profile).toBe('2026.12')
  })
})

describe('input errors', () => {
  it('refuses a device where a domain is expected', () => {
    expect(() => applyDefaults(parseDomain(bare).root.name === 'domain' ? '<disk/>' : '')).toThrow(/Unexpected root `<disk>`/)
  })
  it('reports bad domain capabilities with a place', () => {
    expect(() => parseDomainCapabilities('<domainCapabilities><path>', 'caps.xml')).toThrow(/caps.xml:1:/)
    expect(() => parseDomainCapabilities('<capabilities/>', 'caps.xml')).toThrow(/expected <domainCapabilities>/)
  })
})

describe('domain facts', () => {
  it('are read per tree: a tree asked about again gets its own facts, after others were asked about', () => {
    const trees = [1, 2, 3, 4].map((n) => parseDomain(`<domain type='kvm'><vcpu>${n}</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${'<rng model="virtio"/>'.repeat(n)}</devices></domain>`).root)
    const first = trees.map((t) => domainFacts(t))
    expect(first.map((f) => f.vcpus)).toEqual([1, 2, 3, 4])
    expect(domainFacts(trees[3]!)).toBe(first[3])
    expect(domainFacts(trees[0]!)).toEqual(first[0])
    expect(domainFacts(trees[0]!).pcieDevices).toBe(1)
    expect(domainFacts(trees[2]!).pcieDevices).toBe(3)
  })
})
