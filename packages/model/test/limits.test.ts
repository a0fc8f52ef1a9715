import { describe, expect, it } from 'vitest'
import { checkDeviceLimits, deviceLimits, domainSpecJsonSchema, domainSpecSchema, fromSpec, parseDomain, parseSpec, validateSpec } from '../src/index.ts'
import { errorOf } from './_helpers.ts'

const disk = (i: number) => ({ source: { file: `/var/lib/libvirt/images/d${i}.qcow2` } })
const nic = () => ({ type: 'network' as const, source: 'default' })
const spec = (disks: number, nics = 0) => ({
  name: 'many', memory: '1GiB', vcpus: 1,
  disks: Array.from({ length: disks }, (_, i) => disk(i)),
  nics: Array.from({ length: nics }, nic),
})

function domainXml(counts: { disks?: number; nics?: number; others?: number }): string {
  const devices = [
    ...Array.from({ length: counts.disks ?? 0 }, (_, i) => `<disk type='file' device='disk'><source file='/d${i}'/><target dev='vd${i}x'/></disk>`),
    ...Array.from({ length: counts.nics ?? 0 }, () => "<interface type='network'><source network='default'/></interface>"),
    ...Array.from({ length: counts.others ?? 0 }, () => "<controller type='pci' model='pcie-root-port'/>"),
  ]
  return `<domain type='kvm'><name>many</name><memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os>\n<devices>${devices.join('\n')}</devices></domain>`
}

describe('device limits (issue 16 item 3)', () => {
  it('are 1,024 disks, 1,024 NICs and 4,096 devices', () => {
    expect(deviceLimits).toEqual({ disks: 1024, nics: 1024, devices: 4096 })
    expect(Object.isFrozen(deviceLimits)).toBe(true)
  })

  it('accept a spec at the limits', () => {
    const parsed = parseSpec(spec(deviceLimits.disks, deviceLimits.nics))
    expect(parsed.disks).toHaveLength(1024)
    expect(parsed.nics).toHaveLength(1024)
  })

  it('refuse a spec one disk or one NIC over, with the code and the list path', () => {
    const disks = errorOf(() => parseSpec(spec(deviceLimits.disks + 1)))
    expect(disks.code).toBe('model-too-many-devices')
    expect(disks.path).toBe('disks')
    expect(disks.message).toMatch(/1025 disks, expected at most 1024/)
    expect(disks.note).toMatch(/split the devices over several domains/)
    const nics = errorOf(() => fromSpec(spec(0, deviceLimits.nics + 1)))
    expect(nics.code).toBe('model-too-many-devices')
    expect(nics.path).toBe('nics')
    expect(validateSpec(spec(deviceLimits.disks + 1))).toEqual({ ok: false, problems: [{ path: 'disks', message: 'Unexpected 1025 disks, expected at most 1024 in one domain' }] })
  })

  it('refuse a spec of 40,000 disks at once, without reading them', () => {
    // The probe's request: 40,000 disks in 1 MB took 194 s to compose.
    const huge = { name: 'x', memory: '1GiB', vcpus: 1, disks: new Array(40_000).fill({ bogus: true }) }
    expect(errorOf(() => parseSpec(huge)).code).toBe('model-too-many-devices')
  })

  it('make the schema throw for 300,000 disks (a 1 MB request of `{}`) before reading any of them', () => {
    // Counts the disks read: zod used to read all 300,000 (330 ms) before any length check.
    let read = 0
    const disks = new Proxy(new Array(300_000).fill({}), { get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && read++, Reflect.get(target, key, receiver)) })
    const error = errorOf(() => domainSpecSchema.safeParse({ name: 'x', memory: '1GiB', vcpus: 1, disks }))
    expect(read).toBe(0)
    expect(error).toMatchObject({ code: 'model-too-many-devices', path: 'disks', message: 'Unexpected 300000 disks, expected at most 1024 in one domain' })
    expect(domainSpecSchema.safeParse(spec(1024, 1024)).success).toBe(true)
  })

  it('count every device list of a spec toward the total', () => {
    const sound = { ...spec(1000, 1000), sound: Array.from({ length: 2094 }, () => ({ model: 'ich9' })) }
    const error = errorOf(() => parseSpec(sound))
    expect(error.code).toBe('model-too-many-devices')
    expect(error.path).toBe('sound')
    expect(error.message).toMatch(/4097 devices, expected at most 4096/)
  })

  it('show in the JSON Schema as maxItems', () => {
    const properties = domainSpecJsonSchema['properties'] as Record<string, { maxItems?: number }>
    expect(properties['disks']?.maxItems).toBe(1024)
    expect(properties['nics']?.maxItems).toBe(1024)
  })

  it('accept a domain at the limits and refuse one device over, pointing at it', () => {
    checkDeviceLimits(parseDomain(domainXml({ disks: 1024, nics: 1024, others: 2048 })))
    const disks = errorOf(() => checkDeviceLimits(parseDomain(domainXml({ disks: 1025 }))))
    expect(disks.code).toBe('model-too-many-devices')
    expect(disks.path).toBe('domain/devices/disk')
    expect(disks.message).toBe('Unexpected `<disk>` number 1025, expected at most 1024 disks in one domain')
    expect(disks.place?.line).toBe(1026)
    const nics = errorOf(() => checkDeviceLimits(parseDomain(domainXml({ nics: 1025 })).tree))
    expect(nics.path).toBe('domain/devices/interface')
    const total = errorOf(() => checkDeviceLimits(parseDomain(domainXml({ disks: 1024, nics: 1024, others: 2049 })).root))
    expect(total.path).toBe('domain/devices')
    expect(total.message).toMatch(/device number 4097 \(`<controller>`\), expected at most 4096/)
  })

  it('take other limits when given', () => {
    const raised = { disks: 2000, nics: 2000, devices: 8000 }
    expect(fromSpec(spec(1500), { limits: raised }).root.name).toBe('domain')
    expect(validateSpec(spec(3), { limits: { disks: 2, nics: 2, devices: 8 } }).ok).toBe(false)
    expect(errorOf(() => checkDeviceLimits(parseDomain(domainXml({ disks: 3 })), { disks: 2, nics: 2, devices: 8 })).code).toBe('model-too-many-devices')
  })
})
