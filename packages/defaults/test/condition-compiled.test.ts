// A rule's condition (normalized: constant) is checked by its compiled clauses; a literal (a
// policy's `when`) by the interpreter. Both must give the same verdict — the same first failing
// clause, in the same words — on every condition and every domain, OS and host.
import { parseDomain } from '@virtuned/model'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assumedHost, check, domainFacts, resolveOs, type Condition, type ConditionContext, type HostCapabilities } from '../src/index.ts'
import { normalizeCondition } from '../src/condition.ts'

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const list = <T>(...values: T[]) => maybe(fc.subarray(values))

const condition: fc.Arbitrary<Condition> = fc.record({
  arch: list('x86_64', 'i686', 'aarch64', 's390x'),
  virtType: maybe(fc.constantFrom('kvm' as const, 'qemu' as const)),
  osFamily: list('linux', 'winnt', 'freebsd'),
  osId: list('debian11', 'win11', 'fedora38', 'rhel9.0'),
  osVersion: maybe(fc.constantFrom('>=11', '<12', '=11', '>9', '<=38', '11', '', '>=')),
  osSupports: list('virtio-net', 'q35', 'virtio-rng', 'qemu-xhci', 'virtio1.0-gpu'),
  osLacks: list('q35', 'qemu-xhci', 'virtio-scsi'),
  osFirmware: list('efi-required', 'efi', 'bios'),
  machine: maybe(fc.constantFrom('q35' as const, 'i440fx' as const, 'arm-virt' as const, 's390-ccw' as const)),
  q35: maybe(fc.boolean()),
  firmware: maybe(fc.constantFrom('efi' as const, 'bios' as const, 'unset' as const)),
  directKernel: maybe(fc.boolean()),
  graphics: maybe(fc.constantFrom<boolean | string>(true, false, 'spice', 'vnc')),
  has: list('devices/tpm', "devices/controller[@type='usb']", 'devices/rng'),
  lacks: list('devices/console', "devices/channel/target[@name='org.qemu.guest_agent.0']", "devices/memballoon[@model='none']"),
  hostEnum: maybe(fc.oneof(
    fc.subarray([['devices/rng/model', 'virtio'], ['os/firmware', 'efi'], ['devices/tpm/model', 'tpm-crb'], ['toString', 'x']] as [string, string][]),
    fc.constantFrom<Record<string, string>>({ 'devices/graphics/type': 'spice' }, { 'os/loader/secure': 'yes', 'os/firmware': 'efi' }),
  )),
  hostEnumIfListed: maybe(fc.subarray([['devices/panic/model', 'isa'], ['devices/video/modelType', 'bochs']] as [string, string][])),
  hostSupports: list('features/vmcoreinfo', 'cpu/host-model', 'features/hyperv', 'cpu/maximum'),
})

const domains = [
  "<domain type='kvm'><name>a</name><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><graphics type='spice'/><tpm model='tpm-crb'/></devices></domain>",
  "<domain type='kvm'><name>b</name><os><type machine='pc-i440fx-8.2'>hvm</type><loader type='pflash'>/x</loader></os><devices><console type='pty'/><controller type='usb'/></devices></domain>",
  "<domain type='kvm'><name>c</name><os><type arch='aarch64' machine='virt'>hvm</type><kernel>/k</kernel></os><devices><graphics type='vnc'/><memballoon model='none'/></devices></domain>",
  "<domain type='kvm'><name>d</name><os firmware='bios'><type arch='x86_64'>hvm</type></os><devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel><rng model='virtio'/></devices></domain>",
  "<domain type='qemu'><name>e</name><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices/></domain>",
].map((xml) => domainFacts(parseDomain(xml).root))
const oses = [undefined, resolveOs('debian11').entry, resolveOs('win11').entry, resolveOs('fedora38').entry, resolveOs('win2k').entry]
const tcg: HostCapabilities = { ...assumedHost, virtType: 'qemu', enums: { ...assumedHost.enums, 'devices/panic/model': ['pvpanic'] }, supported: { 'cpu/maximum': true } }
const hosts = [assumedHost, tcg]
const context: fc.Arbitrary<ConditionContext> = fc.record({ domain: fc.constantFrom(...domains), os: fc.constantFrom(...oses), host: fc.constantFrom(...hosts) })

describe('a compiled condition', () => {
  it('gives the verdict the interpreter gives, twice over (verdicts made once are the same)', () => {
    let failed = 0
    fc.assert(fc.property(condition, fc.array(context, { minLength: 1, maxLength: 4 }), (when, contexts) => {
      const compiled = normalizeCondition(when)
      for (const c of contexts) {
        const want = check({ ...when }, c)
        expect(check(compiled, c)).toEqual(want)
        expect(check(compiled, c)).toEqual(want)
        if (!want.holds) failed++
      }
    }), { seed: 20261203, numRuns: 3000 })
    // Both answers are exercised.
    expect(failed).toBeGreaterThan(100)
  })
})
