// The order libvirt writes attributes in (attributeOrder, tabulated by tools/attribute-orders.ts from libvirt's test
// outputs and, for drivers, its formatters).
import { describe, expect, it } from 'vitest'
import { attributeOrder, inAttributeOrder } from '../src/index.ts'

describe('attributeOrder', () => {
  it("gives what libvirt writes before each attribute, what follows from the table's rows included", () => {
    const driver = attributeOrder('devices', 'disk', 'driver')!.before
    expect([...driver.get('type')!]).toEqual(['name'])
    // (the table keeps direct predecessors; name before type before cache … before iothread follows)
    expect(driver.get('iothread')!.has('name')).toBe(true)
    expect(driver.get('iothread')!.has('io')).toBe(true)
    expect(driver.get('name')!.size).toBe(0)
    const cpu = attributeOrder('', 'domain', 'cpu')!.before
    expect(cpu.get('migratable')!.has('check')).toBe(true)
    expect(attributeOrder('cpu', 'feature', 'x')).toBeUndefined()
  })

  it('orders no pair libvirt never writes together: the attributes of different address types', () => {
    const address = attributeOrder('devices', 'disk', 'address')!.before
    expect(address.get('cssid')!.has('domain') || address.get('domain')!.has('cssid')).toBe(false)
    expect(address.get('bus')!.has('domain')).toBe(true)
  })
})

describe('inAttributeOrder', () => {
  it("puts attributes in libvirt's order, the same object when they are; a pair never seen together as given", () => {
    const driver = attributeOrder('devices', 'disk', 'driver')!
    const given = { name: 'qemu', type: 'raw' }
    expect(inAttributeOrder(given, driver)).toBe(given)
    // (each time the first as given that nothing left must precede: `foo`, which libvirt never wrote there, at once)
    expect(Object.keys(inAttributeOrder({ discard: 'unmap', type: 'raw', foo: 'x', name: 'qemu' }, driver))).toEqual(['foo', 'name', 'type', 'discard'])
    const address = attributeOrder('devices', 'disk', 'address')!
    expect(Object.keys(inAttributeOrder({ cssid: '0', type: 'ccw', domain: '0' }, address))).toEqual(['type', 'cssid', 'domain'])
  })
})
