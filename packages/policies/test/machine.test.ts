// Machine families in policies (issue 17: one model of libvirt; issue 18 item 4): a versioned q35
// satisfies `pcie` and is kept, conditions read libvirt's families with the architecture
// (src/qemu/qemu_domain.c qemuDomainMachineIs*), and retargeted disks are named as libvirt names them.
import { serialize } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { PolicyConflictError, applyPolicies, compose, definePolicy } from '../src/index.ts'

const domain = (machine: string, devices = '', arch = 'x86_64') => `<domain type='kvm'><name>g</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`

describe('pcie and a versioned q35 machine (issue 18 item 4)', () => {
  it('pc-q35-7.2 satisfies pcie and hotplug-ready and keeps its version', () => {
    for (const policies of [['pcie'], ['hotplug-ready']]) {
      const result = applyPolicies(domain('pc-q35-7.2'), { policies })
      expect(serialize(result.document)).toContain("machine='pc-q35-7.2'")
      expect(result.applied).toContain('pcie')
    }
    expect(compose(domain('pc-q35-7.2'), { policies: ['hotplug-ready'], os: 'debian11' }).xml).toContain("machine='pc-q35-7.2'")
  })
  it('--convert keeps a versioned q35 (guest ABI) while it converts what pcie refuses', () => {
    const result = applyPolicies(domain('pc-q35-7.2', "<controller type='ide' index='0'/><disk type='file' device='disk'><source file='/i/a'/><target dev='hda' bus='ide'/></disk>"), { policies: ['pcie'], convert: true })
    const xml = serialize(result.document)
    expect(xml).toContain("machine='pc-q35-7.2'")
    expect(xml).not.toContain("type='ide'")
    expect(xml).toContain("<target dev='sda' bus='sata'/>")
  })
  it('an i440fx machine is a conflict without --convert and becomes q35 with it', () => {
    expect(() => applyPolicies(domain('pc-i440fx-7.2'), { policies: ['pcie'] })).toThrow(PolicyConflictError)
    try { applyPolicies(domain('pc-i440fx-7.2'), { policies: ['pcie'] }) } catch (error) {
      expect((error as PolicyConflictError).clashes).toContainEqual(expect.objectContaining({ path: '/domain/os/type/@machine', current: 'pc-i440fx-7.2', wanted: 'q35', requester: 'pcie' }))
    }
    expect(serialize(applyPolicies(domain('pc-i440fx-7.2'), { policies: ['pcie'], convert: true }).document)).toContain("machine='q35'")
    // --force overrides it, reported.
    const forced = applyPolicies(domain('pc-i440fx-7.2'), { policies: ['pcie'], force: true })
    expect(serialize(forced.document)).toContain("machine='q35'")
    expect(forced.warnings.join('\n')).toContain('pc-i440fx-7.2')
  })
  it('a domain without a machine gets q35 from pcie, pc from legacy-pc; a versioned pc satisfies legacy-pc', () => {
    const unset = "<domain type='kvm'><name>g</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>"
    expect(serialize(applyPolicies(unset, { policies: ['pcie'] }).document)).toContain("machine='q35'")
    expect(serialize(applyPolicies(unset, { policies: ['legacy-pc'] }).document)).toContain("machine='pc'")
    expect(serialize(applyPolicies(domain('pc-i440fx-7.2'), { policies: ['legacy-pc'] }).document)).toContain("machine='pc-i440fx-7.2'")
  })
})

describe('the machine condition is a family with its architecture', () => {
  const only = (machine: string) => definePolicy({ name: 'only', version: 1, description: 'x', when: { machine }, prefer: '<vcpu>2</vcpu>' })
  it('aarch64 virt, pseries and s390 are not `pc`', () => {
    const library = { only: only('pc') }
    for (const [machine, arch] of [['virt', 'aarch64'], ['pseries', 'ppc64le'], ['s390-ccw-virtio', 's390x']] as const) {
      expect(applyPolicies(domain(machine, '', arch), { policies: ['only'], library }).skipped.map((s) => s.policy), `${arch} ${machine}`).toEqual(['only'])
    }
    expect(applyPolicies(domain('pc-i440fx-7.2'), { policies: ['only'], library }).applied).toEqual(['only'])
  })
  it('names families: arm-virt, q35 (pc-q35-*)', () => {
    expect(applyPolicies(domain('virt-9.2', '', 'aarch64'), { policies: ['only'], library: { only: only('arm-virt') } }).applied).toEqual(['only'])
    expect(applyPolicies(domain('pc-q35-8.2'), { policies: ['only'], library: { only: only('q35') } }).applied).toEqual(['only'])
    expect(applyPolicies(domain('q35', '', 'aarch64'), { policies: ['only'], library: { only: only('q35') } }).skipped).toHaveLength(1)
  })
})

describe('retarget names disks as libvirt does (src/util/virutil.c virIndexToDiskName)', () => {
  it('past sdzz comes sdaaa, not `sd{a`', () => {
    const sata = Array.from({ length: 702 }, (_, i) => {
      let name = ''
      for (let n = i; n >= 0; n = Math.floor(n / 26) - 1) name = String.fromCharCode(97 + (n % 26)) + name
      return `<disk type='file' device='disk'><source file='/i/${i}'/><target dev='sd${name}' bus='sata'/></disk>`
    }).join('')
    const ide = "<disk type='file' device='disk'><source file='/i/ide'/><target dev='hda' bus='ide'/></disk>"
    const xml = serialize(applyPolicies(domain('pc', sata + ide), { policies: ['pcie'], convert: true }).document)
    expect(xml).toContain("<source file='/i/ide'/>\n      <target dev='sdaaa' bus='sata'/>")
    expect(xml).not.toContain('{')
  })
})

describe('one condition language (the defaults\' clauses in a policy file)', () => {
  it('a policy `when` takes graphics, osSupports, q35 and hostEnumIfListed, checked by the defaults\' check', () => {
    const spiceOnly = definePolicy({ name: 'spice-only', version: 1, description: 'x', when: { graphics: 'spice', q35: true, osSupports: ['virtio-net'], hostEnumIfListed: [['devices/graphics/type', 'spice']] }, prefer: '<vcpu>2</vcpu>' })
    const library = { 'spice-only': spiceOnly }
    expect(applyPolicies(domain('q35', "<graphics type='spice'/>"), { policies: ['spice-only'], library, os: 'debian11' }).applied).toEqual(['spice-only'])
    expect(applyPolicies(domain('q35', "<graphics type='vnc'/>"), { policies: ['spice-only'], library, os: 'debian11' }).skipped).toEqual([{ policy: 'spice-only', because: 'the domain has no spice graphics' }])
  })
})
