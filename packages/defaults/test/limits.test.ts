// Issue 16 item 3: naming disk targets is linear in the number of disks, names follow libvirt's
// virIndexToDiskName at every length boundary, and a domain over the device limits is refused.
import { DomainModelError, deviceLimits, parseDomain } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { applyDefaults } from '../src/index.ts'

/** libvirt's disk name for an index, written independently of the code under test. */
function libvirtName(prefix: string, index: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  if (index < 26) return prefix + letters[index]
  if (index < 26 + 26 * 26) return prefix + letters[Math.floor((index - 26) / 26)] + letters[(index - 26) % 26]
  const rest = index - 26 - 26 * 26
  return prefix + letters[Math.floor(rest / 676)] + letters[Math.floor(rest / 26) % 26] + letters[rest % 26]
}

function domain(devices: readonly string[]): string {
  return `<domain type='kvm'><name>many</name><memory unit='KiB'>1048576</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os>\n<devices>\n${devices.join('\n')}\n</devices></domain>`
}
const named = (dev: string, bus = 'virtio') => `<disk type='file' device='disk'><source file='/img/${dev}.qcow2'/><target dev='${dev}' bus='${bus}'/></disk>`
const bare = (i: number) => `<disk type='file' device='disk'><source file='/img/new${i}.qcow2'/></disk>`
const nic = "<interface type='network'><source network='default'/></interface>"

/** The target names of the disks, in document order. */
function targets(xml: string): string[] {
  const devices = parseDomain(xml).root.children.find((c) => c.type === 'element' && c.name === 'devices')
  if (devices?.type !== 'element') return []
  return devices.children.flatMap((d) => {
    if (d.type !== 'element' || d.name !== 'disk') return []
    const target = d.children.find((c) => c.type === 'element' && c.name === 'target')
    return target?.type === 'element' && target.attributes['dev'] !== undefined ? [target.attributes['dev']] : []
  })
}

const newTargets = (given: number, added: number, options = {}) => {
  const existing = Array.from({ length: given }, (_, i) => named(libvirtName('vd', i)))
  const out = targets(applyDefaults(domain([...existing, ...Array.from({ length: added }, (_, i) => bare(i))]), { os: 'debian11', ...options }).xml)
  return out.slice(given)
}

describe('disk target names', () => {
  it('agree with libvirt from vda to vdaaa', () => {
    expect([0, 25, 26, 701, 702].map((i) => libvirtName('vd', i))).toEqual(['vda', 'vdz', 'vdaa', 'vdzz', 'vdaaa'])
  })

  it('go vdz → vdaa after 25 named disks', () => {
    expect(newTargets(25, 2)).toEqual(['vdz', 'vdaa'])
  })

  it('go vdzz → vdaaa after 701 named disks', () => {
    expect(newTargets(701, 2)).toEqual(['vdzz', 'vdaaa'])
  })

  it('fill the gaps first, in order, and never reuse a name', () => {
    const xml = applyDefaults(domain([named('vdb'), bare(0), named('vdd'), bare(1), bare(2), named('sda', 'sata'), bare(3)]), { os: 'debian11' }).xml
    expect(targets(xml)).toEqual(['vdb', 'vda', 'vdd', 'vdc', 'vde', 'sda', 'vdf'])
  })

  it('name 1,024 new disks vda … vdamj, each once', () => {
    const names = newTargets(0, 1024)
    expect(names).toEqual(Array.from({ length: 1024 }, (_, i) => libvirtName('vd', i)))
    expect(names.at(-1)).toBe('vdamj')
  })
})

describe('work grows linearly with the devices', () => {
  const raised = { disks: 100_000, nics: 100_000, devices: 100_000 }
  /** How many `Set#has` lookups applyDefaults makes: the old free-name search made n²/2 of them. */
  function lookups(disks: number): number {
    const xml = domain(Array.from({ length: disks }, (_, i) => bare(i)))
    const document = parseDomain(xml)
    const has = Set.prototype.has
    let count = 0
    Set.prototype.has = function (this: Set<unknown>, value: unknown) { count++; return has.call(this, value) }
    try {
      applyDefaults(document, { os: 'debian11', limits: raised })
    } finally {
      Set.prototype.has = has
    }
    return count
  }

  it('counts lookups: twice the disks, at most about twice the lookups', () => {
    const small = lookups(1500)
    const large = lookups(3000)
    // The search from `vda` for every disk gave 4× here (about 4.5 million lookups at 3,000 disks).
    expect(large / small).toBeLessThan(2.5)
    expect(large).toBeLessThan(200_000)
  })

  it('composes 1,024 disks and 1,024 NICs (the limits) well inside 2 s', () => {
    const xml = domain([...Array.from({ length: 1024 }, (_, i) => bare(i)), ...Array.from({ length: 1024 }, () => nic)])
    const start = performance.now()
    const result = applyDefaults(xml, { os: 'debian11' })
    expect(performance.now() - start).toBeLessThan(2000)
    expect(targets(result.xml)).toHaveLength(1024)
  })
})

describe('device limits', () => {
  it('refuse one disk over the limit with model-too-many-devices, before any work', () => {
    const xml = domain(Array.from({ length: deviceLimits.disks + 1 }, (_, i) => bare(i)))
    let error: unknown
    try { applyDefaults(xml, { os: 'debian11' }) } catch (e) { error = e }
    expect(error).toBeInstanceOf(DomainModelError)
    expect((error as DomainModelError).code).toBe('model-too-many-devices')
    expect((error as DomainModelError).path).toBe('domain/devices/disk')
  })

  it('refuse one NIC or one device over the limit, as a document too', () => {
    const nics = parseDomain(domain(Array.from({ length: deviceLimits.nics + 1 }, () => nic)))
    expect(() => applyDefaults(nics)).toThrow(expect.objectContaining({ code: 'model-too-many-devices', path: 'domain/devices/interface' }))
    const all = domain(Array.from({ length: deviceLimits.devices + 1 }, () => "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"))
    expect(() => applyDefaults(all)).toThrow(expect.objectContaining({ code: 'model-too-many-devices', path: 'domain/devices' }))
  })
})
