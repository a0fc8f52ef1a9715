// Properties of composition, checked on generated inputs (fast-check, fixed seeds).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PolicyConflictError, builtinPolicies, compose, definePolicy, type Policy } from '../src/index.ts'

const bare = `<domain type='kvm'><name>p</name><memory unit='GiB'>2</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/p.qcow2'/></disk><interface type='network'><source network='default'/></interface></devices></domain>`

/** Built-in policies that can be combined freely (no declared conflicts among them, all apply to Linux on x86). */
const compatible = ['pcie', 'spice', 'hotplug-ready', 'secure-boot', 'tpm', 'virtio', 'crash-dump', 'guest-agent', 'performance']

describe('composition properties', () => {
  it('without conflicts, the order policies are listed in does not change the result', () => {
    fc.assert(fc.property(fc.subarray(compatible, { minLength: 1 }), fc.nat(), (set, seed) => {
      const shuffled = [...set].sort((a, b) => ((a.charCodeAt(0) * 31 + seed) % 7) - ((b.charCodeAt(0) * 31 + seed) % 7) || a.localeCompare(b) * (seed % 2 ? 1 : -1))
      expect(compose(bare, { os: 'debian11', policies: shuffled }).xml).toBe(compose(bare, { os: 'debian11', policies: set }).xml)
    }), { seed: 42, numRuns: 60 })
  })

  it('is idempotent: composing the result again changes nothing', () => {
    fc.assert(fc.property(fc.subarray(compatible), fc.constantFrom('debian11', 'win11', 'fedora37', 'freebsd13.1'), (set, os) => {
      const once = compose(bare, { os, policies: set })
      const twice = compose(once.xml, { os, policies: set })
      expect(twice.xml).toBe(once.xml)
      expect(twice.defaults).toEqual([])
    }), { seed: 7, numRuns: 40 })
  })

  const userValues = fc.record({
    machine: fc.constantFrom('q35', 'pc-q35-7.2'),
    offset: fc.constantFrom('utc', 'localtime', 'variable'),
    nic: fc.constantFrom('rtl8139', 'e1000', 'virtio'),
    graphics: fc.constantFrom('vnc', 'spice'),
    vcpus: fc.integer({ min: 1, max: 64 }),
    video: fc.constantFrom('vga', 'bochs', 'cirrus'),
  })

  it('a prefer never overrides a value the user wrote', () => {
    const preferOnly = ['guest-agent', 'crash-dump', 'tpm', 'virtio', 'spice', 'vnc', 'headless'].filter((n) => builtinPolicies[n]!.require === undefined)
    fc.assert(fc.property(userValues, fc.subarray(preferOnly, { maxLength: 1 }), fc.subarray(['guest-agent', 'crash-dump', 'tpm', 'virtio']), (v, graphicsPolicy, others) => {
      const xml = bare
        .replace("<type arch='x86_64'>", `<type arch='x86_64' machine='${v.machine}'>`)
        .replace('<vcpu>2</vcpu>', `<vcpu>${v.vcpus}</vcpu>`)
        .replace('<devices>', `<clock offset='${v.offset}'/><devices><graphics type='${v.graphics}'/><video><model type='${v.video}'/></video>`)
        .replace("<source network='default'/>", `<source network='default'/><model type='${v.nic}'/>`)
      let result
      try {
        result = compose(xml, { os: 'debian11', policies: [...graphicsPolicy, ...others] })
      } catch (error) {
        // A policy that refuses the user's graphics is a reported conflict, not an override.
        expect(error).toBeInstanceOf(PolicyConflictError)
        return
      }
      expect(result.xml).toContain(`machine='${v.machine}'`)
      expect(result.xml).toContain(`<vcpu>${v.vcpus}</vcpu>`)
      expect(result.xml).toContain(`<clock offset='${v.offset}'`)
      expect(result.xml).toContain(`<model type='${v.nic}'/>`)
      expect(result.xml).toContain(`<graphics type='${v.graphics}'`)
      expect(result.xml).toContain(`<model type='${v.video}'/>`)
      for (const o of result.origins) if (o.source !== 'user') expect(['/domain/vcpu/text()', '/domain/os/type/@machine', '/domain/clock/@offset']).not.toContain(o.path)
    }), { seed: 11, numRuns: 80 })
  })

  it('every conflict is reported exactly once', () => {
    // Two generated policies requiring values for the same few places, plus the user's own values.
    const place = fc.constantFrom(['vcpu', '<vcpu>@</vcpu>'], ['machine', "<os><type machine='@'>hvm</type></os>"], ['offset', "<clock offset='@'/>"], ['title', '<title>@</title>'])
    const wish = fc.tuple(place, fc.constantFrom('1', '2', '3'))
    fc.assert(fc.property(fc.uniqueArray(wish, { selector: ([p]) => p[0], maxLength: 4 }), fc.uniqueArray(wish, { selector: ([p]) => p[0], maxLength: 4 }), (a, b) => {
      const make = (name: string, wishes: typeof a): Policy => definePolicy({ name, version: 1, description: name, ...(wishes.length ? { require: wishes.map(([[, x], v]) => x.replace('@', v)).join('') } : {}) })
      const library = { first: make('first', a), second: make('second', b) }
      const base = bare.replace('<vcpu>2</vcpu>', '')
      const expected = a.filter(([[p], v]) => b.some(([[q], w]) => q === p && w !== v)).length
      try {
        compose(base, { os: 'debian11', policies: ['first', 'second'], library })
        expect(expected).toBe(0)
      } catch (error) {
        expect(error).toBeInstanceOf(PolicyConflictError)
        const clashes = (error as PolicyConflictError).clashes
        expect(clashes).toHaveLength(expected)
        expect(new Set(clashes.map((c) => c.path)).size).toBe(clashes.length)
      }
    }), { seed: 5, numRuns: 120 })
  })
})
