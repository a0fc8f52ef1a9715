// The graphics policies off x86 (issue 22): s390x has no USB, so `vnc` leaves the pointer to the
// defaults (virtio input there) and `spice`, whose redirection channels are USB devices, is skipped
// with the reason; on aarch64 both keep their USB tablet from the defaults.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseDomainCapabilities } from '@virtuned/defaults'
import { compose } from '../src/index.ts'

const fixtures = new URL('../../../fixtures/defaults/arch/', import.meta.url).pathname
const host = (arch: string) => parseDomainCapabilities(readFileSync(`${fixtures}domcaps-${arch}-tcg.xml`), `domcaps-${arch}-tcg.xml`)
const spec = (arch: string) => ({ name: 'g', memory: '2GiB', vcpus: 2, os: { arch }, disks: [{ source: { file: '/i/g.qcow2' }, format: 'qcow2' as const }], nics: [{ type: 'user' as const }] })

describe('graphics policies by architecture', () => {
  it('vnc on s390x: VNC graphics and virtio input, nothing on USB', () => {
    const result = compose(spec('s390x'), { os: 'debian11', policies: ['vnc'], host: host('s390x'), profile: '2026.12' })
    expect(result.xml).toContain("<graphics type='vnc'")
    expect(result.xml).toContain("<input type='tablet' bus='virtio'/>")
    expect(result.xml).not.toMatch(/bus='usb'|type='usb'/)
  })

  it('spice on s390x is skipped, with the reason', () => {
    const result = compose(spec('s390x'), { os: 'debian11', policies: ['spice'], host: host('s390x'), profile: '2026.12' })
    expect(result.policies.skipped).toEqual([{ policy: 'spice', because: expect.stringContaining('arch is s390x') }])
    expect(result.xml).not.toMatch(/bus='usb'|spicevmc/)
  })

  it('vnc on aarch64: the USB tablet comes from the defaults', () => {
    const result = compose(spec('aarch64'), { os: 'debian11', policies: ['vnc'], host: host('aarch64'), profile: '2026.12' })
    expect(result.xml).toContain("<input type='tablet' bus='usb'/>")
    expect(result.origins.find((o) => o.path.includes("input[@type='tablet']"))?.source).toBe('default:usb-tablet')
  })
})
