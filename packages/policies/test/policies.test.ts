import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { golden } from '../../../tools/golden.ts'
import {
  PolicyConflictError, PolicyError, applyPolicies, builtinPolicies, compose, definePolicy, importKubevirtPreference, importOpenstackImageProperties, parsePolicy, policyJsonSchema, resolvePolicies,
} from '../src/index.ts'
import { runSchema, schemaErrors, validatorMissing } from '../../../tools/schema.ts'
import { bare, bases, combos, legacy } from './_bases.ts'

const fixtures = new URL('../../../fixtures/policies/', import.meta.url).pathname


const osFor = (name: string) => (name === 'windows-optimized' ? 'win11' : 'debian11')


describe('built-in library', () => {
  const names = Object.keys(builtinPolicies).sort()
  it('has the policies the issue names', () => {
    expect(names).toEqual(['crash-dump', 'guest-agent', 'headless', 'hotplug-ready', 'legacy-pc', 'minimal', 'pcie', 'performance', 'secure-boot', 'spice', 'tpm', 'virtio', 'vnc', 'windows-optimized'].sort())
  })
  for (const name of names) {
    it(`${name}: golden composed domain`, () => {
      const result = compose(bare, { os: osFor(name), policies: [name] })
      expect(result.policies.applied).toContain(name)
      golden(join(fixtures, `${name}.xml`), result.xml)
    })
  }
  for (const c of combos().filter((x) => x.base !== 'bare')) {
    it(`${c.policy} on the ${c.base} base (${c.os}): golden`, () => {
      golden(join(fixtures, 'bases', `${c.base}-${c.policy}.xml`), compose(c.xml, { os: c.os, policies: [c.policy] }).xml)
    })
  }
  it('refuses vnc, headless and minimal on a SPICE desktop without --convert, and converts with it', () => {
    for (const policy of ['vnc', 'headless', 'minimal']) {
      expect(() => compose(bases.desktop!.xml, { os: 'win10', policies: [policy] }), policy).toThrow(PolicyConflictError)
      expect(compose(bases.desktop!.xml, { os: 'win10', policies: [policy], convert: true }).xml, policy).not.toContain("graphics type='spice'")
    }
  })
  it.skipIf(!runSchema)(`every composed domain is valid for libvirt's schema${validatorMissing ? ` (skipped: ${validatorMissing})` : ''}`, () => {
    const failures: string[] = []
    for (const c of combos()) {
      const errors = schemaErrors(compose(c.xml, { os: c.os, policies: [c.policy] }).xml)
      if (errors) failures.push(`${c.base} + ${c.policy}: ${errors}`)
    }
    expect(failures).toEqual([])
  })
})

describe('composition', () => {
  it('puts requirements first, then the order given, each once', () => {
    expect(resolvePolicies(['spice', 'hotplug-ready', 'secure-boot']).map((r) => r.policy.name)).toEqual(['spice', 'pcie', 'hotplug-ready', 'secure-boot'])
    // Merged after what they require, ties by name: listing order does not change the result.
    expect(compose(bare, { os: 'debian11', policies: ['spice', 'hotplug-ready', 'secure-boot'] }).policies.applied).toEqual(['pcie', 'hotplug-ready', 'secure-boot', 'spice'])
  })

  it('gives the same domain whatever order compatible policies are listed in', () => {
    const set = ['spice', 'hotplug-ready', 'crash-dump', 'guest-agent', 'tpm']
    const reference = compose(bare, { os: 'debian11', policies: set }).xml
    const permutations = [[...set].reverse(), ['tpm', 'spice', 'guest-agent', 'hotplug-ready', 'crash-dump'], ['crash-dump', 'tpm', 'hotplug-ready', 'spice', 'guest-agent']]
    for (const order of permutations) expect(compose(bare, { os: 'debian11', policies: order }).xml).toBe(reference)
  })

  it('passes parameters: hotplug-ready:ports=2 leaves 2 spare ports', () => {
    const two = compose(bare, { os: 'debian11', policies: ['hotplug-ready:ports=2'] }).xml
    const eight = compose(bare, { os: 'debian11', policies: ['hotplug-ready'] }).xml
    const ports = (xml: string) => xml.split('pcie-root-port').length - 1
    expect(ports(eight) - ports(two)).toBe(6)
  })

  it('refuses bad parameters with the policy and parameter named', () => {
    expect(() => compose(bare, { policies: ['hotplug-ready:ports=99'] })).toThrow(/hotplug-ready.ports, expected 0–32/)
    expect(() => compose(bare, { policies: ['hotplug-ready:ports=many'] })).toThrow(/expected an integer/)
    expect(() => compose(bare, { policies: ['hotplug-ready:slots=2'] })).toThrow(/Unknown parameter `slots`/)
  })

  it('refuses unknown policies and cycles', () => {
    expect(() => resolvePolicies(['nope'])).toThrow(PolicyError)
    const a = definePolicy({ name: 'a', version: 1, description: 'a', requires: ['b'] })
    const b = definePolicy({ name: 'b', version: 1, description: 'b', requires: ['a'] })
    expect(() => resolvePolicies(['a'], { a, b })).toThrow(/circle: a → b → a/)
  })

  it('skips a policy whose `when` does not hold, saying why', () => {
    const result = compose(bare, { os: 'debian11', policies: ['windows-optimized'] })
    expect(result.policies.skipped).toEqual([{ policy: 'windows-optimized', because: 'the guest OS family is linux' }])
    expect(result.warnings.join('\n')).toContain('windows-optimized` skipped')
  })
})

describe('conflicts', () => {
  it('declared conflicts', () => {
    try {
      compose(bare, { policies: ['spice', 'vnc'] })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyConflictError)
      expect((error as PolicyConflictError).clashes).toEqual([
        expect.objectContaining({ kind: 'declared', requester: 'spice', holder: 'vnc' }),
      ])
    }
  })

  it('two requires that disagree, listed with path, values and policies', () => {
    const one = definePolicy({ name: 'one', version: 1, description: 'x', require: "<vcpu>4</vcpu><os><type machine='q35'>hvm</type></os>" })
    const two = definePolicy({ name: 'two', version: 1, description: 'y', require: "<vcpu>8</vcpu><os><type machine='pc'>hvm</type></os>" })
    try {
      applyPolicies(bare.replace('<vcpu>2</vcpu>', ''), { policies: ['one', 'two'], library: { one, two } })
      expect.unreachable()
    } catch (error) {
      expect((error as PolicyConflictError).clashes).toEqual([
        { path: '/domain/vcpu/text()', current: '4', wanted: '8', holder: 'one', requester: 'two', kind: 'require-vs-require' },
        { path: '/domain/os/type/@machine', current: 'q35', wanted: 'pc', holder: 'one', requester: 'two', kind: 'require-vs-require' },
      ])
    }
  })

  it("a require against the user's value; --force lets it win and says so", () => {
    const mine = bare.replace("<type arch='x86_64'>", "<type arch='x86_64' machine='pc'>")
    expect(() => compose(mine, { policies: ['pcie'] })).toThrow(/\/domain\/os\/type\/@machine: user has "pc", pcie requires "q35"/)
    const forced = compose(mine, { os: 'debian11', policies: ['pcie'], force: true })
    expect(forced.xml).toContain("machine='q35'")
    expect(forced.warnings.join('\n')).toContain('--force: `pcie` replaced your /domain/os/type/@machine "pc"')
  })
})

describe('conversions', () => {
  it('without --convert an i440fx/SPICE domain contradicts pcie and vnc', () => {
    expect(() => compose(legacy, { policies: ['pcie', 'vnc'] })).toThrow(PolicyConflictError)
  })

  it('with --convert: q35 and VNC, every change explained and guest-visible ones flagged', () => {
    const result = compose(legacy, { os: 'debian11', policies: ['pcie', 'vnc'], convert: true })
    golden(join(fixtures, 'convert-pcie-vnc.xml'), result.xml)
    golden(join(fixtures, 'convert-pcie-vnc.changes.txt'), result.policies.conversions.map((c) => `${c.policy} ${c.guestVisible ? 'guest-visible' : 'host-only    '} ${c.op.op} ${c.op.path}: ${c.why}`).join('\n') + '\n')
    expect(result.xml).not.toMatch(/type='pci' domain=|bus='ide'|model type='e1000'|ich6|qxl|spicevmc|pci-root'/)
    expect(result.xml).toContain("<target dev='sda' bus='sata'/>")
    expect(result.xml).toContain("<target dev='sdb' bus='sata'/>")
    expect(result.policies.conversions.some((c) => c.guestVisible)).toBe(true)
    expect(result.policies.conversions.some((c) => !c.guestVisible)).toBe(true)
  })

  it.skipIf(!runSchema)('the converted domain is valid for libvirt', () => {
    expect(schemaErrors(compose(legacy, { os: 'debian11', policies: ['pcie', 'vnc'], convert: true }).xml)).toBe('')
  })
})

describe('explain', () => {
  it('names, for every node, the policy, default or user that set it', () => {
    const result = compose(bare, { os: 'debian11', policies: ['spice', 'hotplug-ready'] })
    const by = new Map(result.origins.map((o) => [o.path, o.source]))
    expect(by.get('/domain/os/type/@machine')).toBe('policy:pcie')
    expect(by.get("/domain/devices/graphics[@type='spice']/@autoport")).toBe('policy:spice')
    expect(by.get('/domain/features/acpi')).toBe('default:features-acpi-apic')
    expect(by.get('/domain/name/text()')).toBe('user')
    expect(by.get("/domain/devices/disk[target/@dev='vda']/target/@bus")).toBe('default:disk-bus')
    expect(result.origins.every((o) => o.source === 'user' || o.source.startsWith('policy:') || o.source.startsWith('default:'))).toBe(true)
  })

  it('computes origins on first read, once, and includes them in the JSON of the result', () => {
    const result = compose(bare, { os: 'debian11', policies: ['spice'] })
    expect(Object.keys(result)).not.toContain('origins')
    expect(result.origins).toBe(result.origins)
    const json = JSON.parse(JSON.stringify(result)) as { origins: unknown; xml: string; rules: unknown }
    expect(json.origins).toEqual(result.origins)
    expect(json.xml).toBe(result.xml)
    expect(json.rules).toEqual(result.rules)
  })
})

describe('policy files', () => {
  it('reads YAML and JSON', () => {
    const yaml = parsePolicy('name: serial\nversion: 1\ndescription: a serial console\nprefer: "<devices><serial type=\'pty\'/></devices>"\n', 'serial.yaml')
    const json = parsePolicy(JSON.stringify({ name: 'serial', version: 1, description: 'a serial console', prefer: "<devices><serial type='pty'/></devices>" }), 'serial.json')
    expect(yaml).toEqual(json)
  })

  it('points at the file, line and key of a schema error', () => {
    const text = 'name: ports\nversion: 1\ndescription: x\nparameters:\n  ports:\n    type: integer\n    default: eight\n    description: p\n'
    expect(() => parsePolicy(text, 'ports.yaml')).toThrow(/^ports.yaml:7:14: parameters.ports.default: /)
    try { parsePolicy(text, 'ports.yaml') } catch (e) { expect((e as PolicyError).place).toEqual({ line: 7, column: 14, offset: expect.any(Number) }); expect((e as PolicyError).code).toBe('policy-invalid') }
  })

  it('points at YAML syntax errors', () => {
    expect(() => parsePolicy('name: x\n  bad: [1,\n', 'bad.yaml')).toThrow(/^bad.yaml:\d+:\d+: /)
  })

  it('refuses unknown keys (a typo is not ignored)', () => {
    expect(() => parsePolicy('name: x\nversion: 1\ndescription: d\nprefered: "<vcpu>2</vcpu>"\n', 'typo.yaml')).toThrow(/prefered/)
  })

  it('escapes parameter values: no value can create XML structure', () => {
    const p = definePolicy({ name: 'titled', version: 1, description: 't', parameters: { title: { type: 'string', default: 'x', description: 't' } }, prefer: '<title>${title}</title>' })
    const evil = "</title><devices><hostdev mode='subsystem' type='pci'/></devices><title>"
    const result = applyPolicies(bare, { policies: [{ name: 'titled', parameters: { title: evil } }], library: { titled: p } })
    expect(result.document.root.children.filter((c) => c.type === 'element' && c.name === 'title')).toHaveLength(1)
    expect(JSON.stringify(result.document.root)).not.toContain('"hostdev"')
  })

  it('exports a JSON Schema for editors', () => {
    expect(policyJsonSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['name', 'version', 'description']) })
  })
})

const preference = readFileSync(new URL('../../../fixtures/policies/import/kubevirt-windows.yaml', import.meta.url), 'utf8')

describe('KubeVirt preferences', () => {
  it('becomes a policy, with what it cannot map listed', () => {
    const { policy, unmapped } = importKubevirtPreference(preference, 'windows.yaml')
    expect(policy.name).toBe('kv-example-windows')
    expect(policy.defaults).toEqual({ diskBus: 'sata', nicModel: 'e1000e' })
    expect(policy.prefer).toContain("<os firmware='efi'><firmware><feature enabled='yes' name='secure-boot'/>")
    expect(policy.prefer).toContain("<spinlocks state='on' retries='8191'/>")
    expect(policy.prefer).toContain("<stimer state='on'><direct state='on'/></stimer>")
    expect(policy.prefer).toContain("<timer name='hypervclock'/>")
    expect(policy.prefer).toContain("<memballoon model='none'/>")
    expect(unmapped.map((u) => u.field)).toEqual(['spec.preferredTerminationGracePeriodSeconds', 'spec.preferredSubdomain'])
    const composed = compose(bare, { os: 'win11', policies: [policy.name], library: { [policy.name]: policy } })
    expect(composed.xml).toContain("<target dev='sda' bus='sata'/>")
    expect(composed.xml).toContain("<model type='e1000e'/>")
  })

  it.skipIf(!runSchema)('the composed domain is valid for libvirt', () => {
    const { policy } = importKubevirtPreference(preference)
    expect(schemaErrors(compose(bare, { os: 'win11', policies: [policy.name], library: { [policy.name]: policy } }).xml)).toBe('')
  })

  it('refuses what is not a preference', () => {
    expect(() => importKubevirtPreference('kind: Pod\n')).toThrow(/expected kind VirtualMachinePreference/)
  })
})

describe('OpenStack image properties', () => {
  const read = (name: string) => readFileSync(new URL(`../../../fixtures/policies/import/${name}`, import.meta.url), 'utf8')

  it('a Windows image becomes a policy: machine, UEFI + secure boot, TPM, buses, models, clock', () => {
    const { policy, unmapped } = importOpenstackImageProperties(read('openstack-windows.json'), 'win11-image')
    expect(policy.name).toBe('os-win11-image')
    expect(policy.defaults).toEqual({ diskBus: 'sata', nicModel: 'e1000e' })
    expect(policy.prefer).toContain("<os firmware='efi'><type machine='q35'>hvm</type><firmware><feature enabled='yes' name='secure-boot'/>")
    expect(policy.prefer).toContain("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>")
    expect(policy.prefer).toContain("<clock offset='localtime'>")
    expect(unmapped.map((u) => u.property)).toEqual(['os_distro', 'os_version'])
    const composed = compose(bare, { os: 'win11', policies: [policy.name], library: { [policy.name]: policy } })
    expect(composed.xml).toContain("<target dev='sda' bus='sata'/>")
    expect(composed.xml).toContain("<model type='qxl'/>")
  })

  it('a Linux image: virtio-scsi disks, multiqueue virtio NICs, RNG; the CD-ROM bus is listed as unmapped', () => {
    const { policy, unmapped } = importOpenstackImageProperties(read('openstack-linux.json'), 'debian')
    expect(policy.defaults).toEqual({ diskBus: 'scsi', nicModel: 'virtio', multiqueue: true })
    expect(unmapped.map((u) => u.property)).toEqual(['hw_cdrom_bus', 'os_distro'])
    const composed = compose(bare, { os: 'debian11', policies: [policy.name], library: { [policy.name]: policy } })
    expect(composed.xml).toContain("<target dev='sda' bus='scsi'/>")
    expect(composed.xml).toContain("<controller type='scsi' index='0' model='virtio-scsi'/>")
    expect(composed.xml).toContain("<driver queues='2'/>")
  })

  it.skipIf(!runSchema)('both compose into domains valid for libvirt', () => {
    for (const [file, os] of [['openstack-windows.json', 'win11'], ['openstack-linux.json', 'debian11']] as const) {
      const { policy } = importOpenstackImageProperties(read(file), file)
      expect(schemaErrors(compose(bare, { os, policies: [policy.name], library: { [policy.name]: policy } }).xml), file).toBe('')
    }
  })

  it('refuses values Nova would refuse, naming the property', () => {
    expect(() => importOpenstackImageProperties({ hw_disk_bus: 'floppy' })).toThrow(/hw_disk_bus: unexpected "floppy", expected virtio, scsi, sata, ide, usb/)
    expect(() => importOpenstackImageProperties('{oops', 'x', 'img.json')).toThrow(/img.json: not JSON/)
  })
})
