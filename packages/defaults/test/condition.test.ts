// One condition language for the defaults' rules and the policies' `when` (issue 17): `check`.
import { parseDomain } from '@virtuned/model'
import { describe, expect, it } from 'vitest'
import { assumedHost, check, domainFacts, resolveOs, rules, type Condition } from '../src/index.ts'

const facts = (devices: string, machine = 'q35', arch = 'x86_64') => domainFacts(parseDomain(`<domain type='kvm'><name>g</name><os><type arch='${arch}' machine='${machine}'>hvm</type></os><devices>${devices}</devices></domain>`).root)
const verdict = (when: Condition, devices = '', machine = 'q35', arch = 'x86_64') => check(when, { domain: facts(devices, machine, arch), os: resolveOs('debian11').entry, host: assumedHost })

describe('check', () => {
  it('reads has/lacks as paths (the policies\' path language)', () => {
    expect(verdict({ lacks: ['devices/tpm'] }, "<tpm model='tpm-crb'/>")).toEqual({ holds: false, because: 'the domain already has devices/tpm' })
    expect(verdict({ lacks: ["devices/controller[@type='usb']"] }, "<controller type='usb' model='qemu-xhci'/>").holds).toBe(false)
    expect(verdict({ lacks: ["devices/channel/target[@name='org.qemu.guest_agent.0']"] }, "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>").holds).toBe(false)
    expect(verdict({ has: ['devices/rng'] })).toEqual({ holds: false, because: 'the domain has no devices/rng' })
  })
  it('reads the machine as a family with its arch, q35 as shorthand', () => {
    expect(verdict({ machine: 'q35' }, '', 'pc-q35-7.2').holds).toBe(true)
    expect(verdict({ q35: true }, '', 'pc-q35-7.2').holds).toBe(true)
    expect(verdict({ machine: 'i440fx' }, '', 'virt', 'aarch64')).toEqual({ holds: false, because: 'the machine is virt (arm-virt)' })
  })
  it('takes the policies\' clauses (osId, osVersion, hostEnum as a record) and the defaults\' (osSupports, hostEnumIfListed)', () => {
    expect(verdict({ osId: ['debian11'], osVersion: '>=11', osSupports: ['virtio-net'] }).holds).toBe(true)
    expect(verdict({ osVersion: '<11' })).toEqual({ holds: false, because: 'the guest OS version 11 is not <11' })
    expect(verdict({ hostEnum: { 'devices/rng/model': 'virtio' } }).holds).toBe(true)
    expect(verdict({ hostEnum: JSON.parse('{"__proto__": "x"}') as Record<string, string> })).toEqual({ holds: false, because: 'the host does not list __proto__=x' })
    expect(verdict({ hostEnum: [['toString', 'x']] })).toEqual({ holds: false, because: 'the host does not list toString=x' })
  })
  it('is what the rules use: a tpm already there stops tpm-crb', () => {
    expect(check(rules['tpm-crb'].when, { domain: facts("<tpm model='tpm-tis'/>"), os: resolveOs('win11').entry, host: assumedHost })).toEqual({ holds: false, because: 'the domain already has devices/tpm' })
  })
})
