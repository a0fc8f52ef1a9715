// Defaults beyond x86 (issue 22): goldens per architecture × OS on the sandbox's own domain
// capabilities, what each architecture must and must not get, the typed refusals, and the proof
// that the new rules never fire on x86 (every x86 golden case gives the same domain with 2026.12).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { golden } from '../../../tools/golden.ts'
import { runSchema, schemaErrors, validatorMissing } from '../../../tools/schema.ts'
import { DefaultsError, applyDefaults, compileOsTable, parseOsinfoXml, assumedHost, check, checkHostArch, checkOsArch, checkProfileArch, domainFacts, getProfile, osHasArch, profileForArch, profileRules, resolveOs, type HostCapabilities } from '../src/index.ts'
import { parseDomain } from '@virtuned/model'
import { archBare, archCases, archFixtures, archHost, arches, type Arch } from './_arch-cases.ts'
import { bare, hosts, oses } from './_golden-cases.ts'

const profile = '2026.12'

describe('golden domains per architecture × OS (sandbox TCG domain capabilities, profile 2026.12)', () => {
  for (const { arch, os } of archCases()) {
    it(`${os} on ${arch}`, () => {
      const host = archHost(arch)
      const result = applyDefaults(archBare(arch), { os, host, profile })
      golden(join(archFixtures, `${os}@${arch}-tcg.xml`), result.xml)
      const again = applyDefaults(result.xml, { host })
      expect(again.xml).toBe(result.xml)
      expect(again.explanation).toEqual([])
    })
  }

  it('covers the brief: 4 OSes on aarch64 and s390x, 3 on ppc64le (osinfo-db has no Fedora 37 for ppc64le)', () => {
    const count = (arch: Arch) => archCases().filter((c) => c.arch === arch).length
    expect([count('aarch64'), count('s390x'), count('ppc64le')]).toEqual([4, 4, 3])
  })
})

/** Every match of `pattern` in `xml`. */
function find(xml: string, pattern: RegExp): string[] {
  return [...xml.matchAll(pattern)].map((m) => m[0])
}

describe('what each architecture gets', () => {
  const compose = (arch: Arch, os = 'debian11', host: HostCapabilities = archHost(arch)) => applyDefaults(archBare(arch), { os, host, profile })

  it('aarch64: virt, UEFI, ACPI, the GIC the host lists highest, maximum CPU under TCG, PL011, USB keyboard and tablet, virtio-gpu, root ports with spares', () => {
    const xml = compose('aarch64').xml
    expect(xml).toContain("<os firmware='efi'>")
    expect(xml).toContain("<type arch='aarch64' machine='virt'>hvm</type>")
    expect(xml).toContain('<acpi/>')
    expect(xml).toContain("<gic version='3'/>")
    expect(xml).toContain("<cpu mode='maximum'/>")
    expect(xml).toContain("<model name='pl011'/>")
    expect(xml).toContain("<input type='keyboard' bus='usb'/>")
    expect(xml).toContain("<input type='tablet' bus='usb'/>")
    expect(xml).toContain("<controller type='usb' index='0' model='qemu-xhci' ports='15'/>")
    expect(xml).toContain("<model type='virtio'/>")
    expect(xml).toContain("<target dev='vda' bus='virtio'/>")
    // One port per PCIe device (disk, NIC, USB, video, balloon, RNG, virtio-serial) plus 4 spares.
    expect(find(xml, /model='pcie-root-port'/g)).toHaveLength(7 + 4)
    for (const x86 of ['q35', "name='pit'", 'hpet', '<apic/>', 'hyperv', 'vmport', '<pm>', 'ps2', "model='isa'"]) expect(xml).not.toContain(x86)
  })

  it('aarch64 video is virtio-gpu (ramfb on a host without it) whatever osinfo lists; ppc64le video is the VGA SLOF draws on', () => {
    expect(compose('aarch64', 'ubuntu22.04').xml).toContain("<video>\n      <model type='virtio'/>")
    const noVirtioGpu: HostCapabilities = { ...archHost('aarch64'), enums: { ...archHost('aarch64').enums, 'devices/video/modelType': ['vga', 'ramfb', 'bochs'] } }
    expect(compose('aarch64', 'debian11', noVirtioGpu).xml).toContain("<model type='ramfb'/>")
    expect(compose('ppc64le', 'debian11').xml).toContain("<video>\n      <model type='vga'/>")
  })

  it('aarch64: a GICv2-only host gets version 2; KVM gets host-passthrough', () => {
    const v2: HostCapabilities = { ...archHost('aarch64'), enums: { ...archHost('aarch64').enums, 'features/gic/version': ['2'] } }
    expect(compose('aarch64', 'debian11', v2).xml).toContain("<gic version='2'/>")
    const kvm: HostCapabilities = { ...archHost('aarch64'), virtType: 'kvm', supported: { ...archHost('aarch64').supported, 'cpu/host-passthrough': true } }
    const xml = applyDefaults(archBare('aarch64').replace("type='qemu'", "type='kvm'"), { os: 'debian11', host: kvm, profile }).xml
    expect(xml).toContain("<cpu mode='host-passthrough'/>")
    expect(xml).not.toContain('maximum')
  })

  it('aarch64 booting a kernel directly gets no firmware and no ACPI (libvirt refuses ACPI without UEFI there)', () => {
    const direct = archBare('aarch64').replace('<os><type>hvm</type></os>', '<os><type>hvm</type><kernel>/boot/vmlinuz</kernel></os>')
    const xml = applyDefaults(direct, { os: 'debian11', host: archHost('aarch64'), profile }).xml
    expect(xml).not.toContain('firmware=')
    expect(xml).not.toContain('<acpi/>')
    expect(xml).toContain("<gic version='3'/>")
  })

  it('s390x: s390-ccw-virtio, SCLP console, no USB, no graphics, no PCI root ports, maximum CPU under TCG, host-model under KVM', () => {
    const xml = compose('s390x').xml
    expect(xml).toContain("<type arch='s390x' machine='s390-ccw-virtio'>hvm</type>")
    expect(xml).toContain("<target type='sclp'/>")
    expect(xml).toContain("<cpu mode='maximum'/>")
    for (const absent of ['usb', '<graphics', '<video', 'pcie', 'firmware=', '<acpi/>', 'pit', 'serial']) expect(xml).not.toContain(absent)
    const kvm: HostCapabilities = { ...archHost('s390x'), virtType: 'kvm', supported: { ...archHost('s390x').supported, 'cpu/host-model': true } }
    expect(applyDefaults(archBare('s390x').replace("type='qemu'", "type='kvm'"), { os: 'debian11', host: kvm, profile }).xml).toContain("<cpu mode='host-model'/>")
  })

  it('s390x with graphics: virtio tablet and keyboard (there is no USB)', () => {
    const gfx = archBare('s390x').replace("<interface type='user'/>", "<interface type='user'/><graphics type='vnc'/>")
    const xml = applyDefaults(gfx, { os: 'debian11', host: archHost('s390x'), profile }).xml
    expect(xml).toContain("<input type='tablet' bus='virtio'/>")
    expect(xml).toContain("<input type='keyboard' bus='virtio'/>")
    expect(xml).not.toContain("bus='usb'")
  })

  it('ppc64le: pseries, spapr-vty console, USB keyboard and tablet with graphics, and no CPU under TCG (the host lists no maximum: QEMU picks its POWER default)', () => {
    const xml = compose('ppc64le').xml
    expect(xml).toContain("<type arch='ppc64le' machine='pseries'>hvm</type>")
    expect(xml).toContain("<target type='spapr-vio-serial'>")
    expect(xml).toContain("<model name='spapr-vty'/>")
    expect(xml).toContain("<input type='keyboard' bus='usb'/>")
    expect(xml).not.toContain('<cpu')
    expect(xml).not.toContain('pcie-root-port')
  })

  it('a CD-ROM goes on SCSI (with a virtio-scsi controller) off x86', () => {
    for (const arch of arches) {
      const cdrom = archBare(arch).replace("<interface type='user'/>", "<interface type='user'/><disk type='file' device='cdrom'><source file='/x.iso'/></disk>")
      const xml = applyDefaults(cdrom, { os: 'debian11', host: archHost(arch), profile }).xml
      expect(xml, arch).toContain("<target dev='sda' bus='scsi'/>")
      expect(xml, arch).toContain("<controller type='scsi' index='0' model='virtio-scsi'/>")
    }
  })

  it('the architecture is taken from the capabilities when the domain names none, and a written one is kept', () => {
    const facts = domainFacts(parseDomain(archBare('aarch64')).root)
    expect(facts.archWritten).toBe(false)
    expect(check({ arch: ['aarch64'] }, { domain: facts, os: undefined, host: archHost('aarch64') })).toEqual({ holds: true })
    expect(check({ arch: ['x86_64'] }, { domain: facts, os: undefined, host: archHost('aarch64') })).toEqual({ holds: false, because: 'arch is aarch64' })
    const written = domainFacts(parseDomain(archBare('aarch64').replace('<type>', "<type arch='x86_64'>")).root)
    expect(check({ arch: ['x86_64'] }, { domain: written, os: undefined, host: archHost('aarch64') })).toEqual({ holds: true })
  })
})

describe('x86 rules never fire beyond x86, and the new rules never on x86', () => {
  it('no rule whose condition names an x86 architecture applies on aarch64, s390x or ppc64le', () => {
    const x86Rules = profileRules(getProfile(profile)).filter((r) => r.when.arch?.some((a) => a === 'x86_64' || a === 'i686')).map((r) => r.id)
    expect(x86Rules.length).toBeGreaterThan(10)
    for (const { arch, os } of archCases()) {
      const applied = applyDefaults(archBare(arch), { os, host: archHost(arch), profile }).rules.filter((r) => r.applied).map((r) => r.rule)
      expect(applied.filter((r) => x86Rules.includes(r)), `${os}@${arch}`).toEqual([])
    }
  })

  it('every x86 golden case gives the same domain with 2026.12 as with 2026.11, but for free page reporting and the profile record', () => {
    let compared = 0
    for (const [hostName, host] of hosts()) {
      for (const os of oses) {
        const input = bare.replace("type='kvm'", `type='${host.virtType}'`)
        const old = applyDefaults(input, { os, host, profile: '2026.11' }).xml
        const next = applyDefaults(input, { os, host, profile }).xml
        expect(next.replace(" freePageReporting='on'", '').replace('profile="2026.12"', 'profile="2026.11"'), `${os}@${hostName}`).toBe(old)
        compared++
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10)
  })

  it('a domain without an architecture on an x86 host stays without one (libvirt defaults it, as before)', () => {
    const xml = applyDefaults(bare.replace("<type arch='x86_64'>", '<type>'), { os: 'debian11', host: assumedHost, profile }).xml
    expect(xml).toContain("<type machine='q35'>hvm</type>")
  })
})

describe("osinfo-db's architectures per OS", () => {
  it('are the arch of its media, trees and images (all counts as every one), not inherited; none listed is none known', () => {
    const xml = `<libosinfo version="0.0.1">
  <os id="http://example.org/a/1"><short-id>a1</short-id><name>A 1</name><family>linux</family>
    <media arch="x86_64"/><media arch="aarch64"/><tree arch="s390x"/><image arch="aarch64" format="qcow2"/></os>
  <os id="http://example.org/a/2"><short-id>a2</short-id><name>A 2</name><family>linux</family><derives-from id="http://example.org/a/1"/></os>
  <os id="http://example.org/a/3"><short-id>a3</short-id><name>A 3</name><family>linux</family><media/></os>
</libosinfo>`
    const records = parseOsinfoXml(xml)
    expect(records.map((r) => r.arches)).toEqual([['aarch64', 's390x', 'x86_64'], [], ['all']])
    const table = compileOsTable(records, 'test')
    const entry = (id: string) => table.entries.find((e) => e.shortId === id)!
    expect(entry('a1').arches).toEqual(['aarch64', 's390x', 'x86_64'])
    expect('arches' in entry('a2')).toBe(false)
    expect(osHasArch(entry('a1'), 'ppc64le')).toBe(false)
    expect(osHasArch(entry('a2'), 'ppc64le')).toBe(true)
    expect(osHasArch(entry('a3'), 'ppc64le')).toBe(true)
  })
})

describe('refusals: typed errors', () => {
  it('an OS osinfo-db does not publish for the architecture', () => {
    expect(() => checkOsArch(resolveOs('fedora37').entry, 'ppc64le')).toThrow(DefaultsError)
    expect(() => checkOsArch(resolveOs('win11').entry, 's390x')).toThrow(expect.objectContaining({ code: 'defaults-os-not-for-arch', message: 'Unexpected OS `win11` (Microsoft Windows 11) on s390x: osinfo-db publishes it for x86_64 only' }))
    expect(osHasArch(resolveOs('fedora37').entry, 'aarch64')).toBe(true)
    // An i686-only release installs on x86_64; an OS listing no media says nothing and is allowed.
    expect(osHasArch({ ...resolveOs('debian11').entry, arches: ['i686'] }, 'x86_64')).toBe(true)
    expect(osHasArch({ ...resolveOs('debian11').entry, arches: ['i686'] }, 'aarch64')).toBe(false)
    const { arches: _none, ...unknown } = resolveOs('debian11').entry
    expect(osHasArch(unknown, 's390x')).toBe(true)
  })

  it('a written architecture the capabilities are not for', () => {
    expect(checkHostArch(undefined, archHost('s390x'))).toBe('s390x')
    expect(checkHostArch('s390x', archHost('s390x'))).toBe('s390x')
    expect(() => checkHostArch('aarch64', archHost('s390x'))).toThrow(expect.objectContaining({ code: 'defaults-arch-mismatch' }))
  })

  it('a profile without rules for the architecture, and which profile has them', () => {
    expect(() => checkProfileArch(getProfile('2026.11'), 'aarch64')).toThrow(expect.objectContaining({ code: 'defaults-profile-not-for-arch' }))
    expect(() => checkProfileArch(getProfile('2026.12'), 'aarch64')).not.toThrow()
    expect(profileForArch('x86_64')).toBe('2026.11')
    expect(profileForArch('s390x')).toBe('2026.12')
    expect(profileForArch('riscv64')).toBeUndefined()
  })
})

describe.skipIf(!runSchema)(`libvirt's RelaxNG schema accepts every architecture's golden${validatorMissing ? ` (skipped: ${validatorMissing})` : ''}`, () => {
  it('validates with virt-xml-validate', () => {
    const failures: string[] = []
    for (const { arch, os } of archCases()) {
      const errors = schemaErrors(applyDefaults(archBare(arch), { os, host: archHost(arch), profile }).xml)
      if (errors) failures.push(`${os}@${arch}: ${errors}`)
    }
    expect(failures).toEqual([])
  })
})

describe('applyDefaults itself refuses what the CLI refuses (library and edge callers alike)', () => {
  const written = (arch: string) => archBare('aarch64').replace('<type>hvm</type>', `<type arch='${arch}'>hvm</type>`)
  const codeOf = (f: () => unknown) => { try { f(); return undefined } catch (error) { return (error as DefaultsError).code } }

  it('an architecture the domain capabilities are not for', () => {
    expect(codeOf(() => applyDefaults(written('s390x'), { os: 'debian11', host: archHost('aarch64') }))).toBe('defaults-arch-mismatch')
    // No capabilities: an x86_64 host is assumed, and an aarch64 domain does not run there.
    expect(codeOf(() => applyDefaults(written('aarch64'), { os: 'debian11' }))).toBe('defaults-arch-mismatch')
  })

  it('an OS osinfo-db does not publish for the architecture, and a named profile that does not cover it', () => {
    expect(codeOf(() => applyDefaults(archBare('aarch64'), { os: 'win11', host: archHost('aarch64') }))).toBe('defaults-os-not-for-arch')
    expect(codeOf(() => applyDefaults(archBare('aarch64'), { os: 'debian11', host: archHost('aarch64'), profile: '2026.11' }))).toBe('defaults-profile-not-for-arch')
  })

  it('no profile named: the one that covers the architecture, with a warning', () => {
    const result = applyDefaults(archBare('aarch64'), { os: 'debian11', host: archHost('aarch64') })
    expect(result.profile).toBe(profileForArch('aarch64'))
    expect(result.warnings.some((w) => w.includes('has no rules for aarch64'))).toBe(true)
  })
})
