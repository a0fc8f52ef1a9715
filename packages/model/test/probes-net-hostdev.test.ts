// libvirt facts found probing network interfaces and host devices on libvirtd 9.0 (probes h16-…).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads, conditionValue, emptyUnwritten, nwfilterParameterKept, virtualPortParameters, attributesByType } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('network interface and host device parser facts', () => {
  it("keeps a filter parameter with a name and a value of libvirt's characters (virNWFilterParseParamAttributes)", () => {
    expect(nwfilterParameterKept('IP', '10.0.0.1')).toBe(true)
    expect(nwfilterParameterKept('MAC', '52:54:00:11:22:33')).toBe(true)
    expect(nwfilterParameterKept('1_x', 'a_b.c')).toBe(true)
    for (const [name, value] of [['IP', undefined], [undefined, '1'], ['IP', ''], ['IP', 'a b'], ['I-P', '1'], ['IP', '10.0.0.0/8']] as const) {
      expect(nwfilterParameterKept(name, value), `${name} ${value}`).toBe(false)
    }
  })

  it("reads a subsystem host device's sgio and rawio whatever its type, a vhost-user NIC's socket end by name", () => {
    expect(attributeReadProblem('bogus', read('devices/hostdev', 'sgio'), 'hostdev')).toBe("Invalid value for attribute 'sgio' in element 'hostdev': 'bogus'.")
    expect(attributeReadProblem('on', read('devices/hostdev', 'rawio'), 'hostdev')).toBe("Invalid value for attribute 'rawio' in element 'hostdev': 'on'.")
    expect(read('devices/hostdev', 'sgio')[2]!.when).toMatchObject({ of: 'self', attribute: 'mode', absent: 'subsystem' })
    const vhostuserMode = attributeReads.get('devices/interface/source')!.find((r) => r[0] === 'mode' && r[2]?.when?.values.includes('vhostuser'))!
    expect(vhostuserMode[2]!.values).toEqual(['client', 'server'])
    expect(attributeReadProblem('both', vhostuserMode, 'source')).toBe("Invalid value for attribute 'mode' in element 'source': 'both'.")
    const holder = { name: 'interface', attrs: { type: 'vhostuser' }, children: [] }
    expect(conditionValue(vhostuserMode[2]!.when!, holder)).toBe('vhostuser')
  })

  it("lists a NIC's <backend>, <mtu>, <tune> and <port> as written only when they hold something", () => {
    for (const path of ['devices/interface/backend', 'devices/interface/mtu', 'devices/interface/tune', 'devices/interface/port']) expect(emptyUnwritten.has(path), path).toBe(true)
  })

  it("writes of a virtual port's parameters those of its type (virNetDevVPortProfileFormat): a MidoNet port's interface ID alone", () => {
    expect(virtualPortParameters.written.midonet).toEqual(['interfaceid'])
    expect(virtualPortParameters.written.openvswitch).toEqual(['interfaceid', 'profileid'])
    // (what a type may not have at all is refused, never written: extras and written do not meet)
    for (const [type, extra] of Object.entries(virtualPortParameters.extra)) for (const name of extra) expect((virtualPortParameters.written as Record<string, readonly string[]>)[type], `${type} ${name}`).not.toContain(name)
  })

  it("reads a host device interface's USB source address in decimal, its PCI one in hex", () => {
    const reads = attributeReads.get('devices/interface/source/address')!
    const nic = (type: string) => ({ name: 'interface', attrs: { type: 'hostdev' }, children: [{ name: 'source', attrs: {}, children: [{ name: 'address', attrs: { type }, children: [] }] }] })
    const usbBus = reads.find((r) => r[0] === 'bus' && r[2]?.decimal)!
    const pciBus = reads.find((r) => r[0] === 'bus' && r[2]?.prefixed)!
    expect(conditionValue(usbBus[2]!.when!, nic('usb'))).toBe('usb')
    expect(usbBus[2]!.when!.values).toEqual(['usb'])
    expect(pciBus[2]!.when!.values).toEqual(['pci'])
  })

  it("reads a host device interface's USB vendor and product as a USB host device's, and keeps a host PCI address's multifunction switch to be read", () => {
    expect(attributeReadProblem('0', read('devices/interface/source/vendor', 'id'), 'vendor')).toBe("Invalid value for attribute 'id' in element 'vendor': Zero is not permitted")
    expect(read('devices/interface/source/product', 'id')[2]).toMatchObject({ base: 0, prefixed: { radix: 16, width: 4 } })
    expect(attributesByType.get('address')!.find((p) => p.grandparent === 'hostdev')!.sets.get('pci')).toContain('multifunction')
  })

  it("reads a host device interface's host device settings outside the schema, and only for such an interface", () => {
    const nicReads = attributeReads.get('devices/interface')!
    for (const name of ['sgio', 'rawio', 'model']) {
      const r = nicReads.find((x) => x[0] === name)!
      expect(r[2]).toMatchObject({ outsideSchema: true, unreadDropped: true, when: { of: 'self', attribute: 'type', values: ['hostdev'] } })
    }
    const sourceReads = attributeReads.get('devices/interface/source')!
    expect(sourceReads.find((x) => x[0] === 'startupPolicy')![2]!.when!.values).toEqual(['usb'])
    expect(sourceReads.find((x) => x[0] === 'writeFiltering')![2]!.when!.values).toEqual(['pci'])
  })
})


describe('checkedUnwritten: read where the schema lacks them, never written back', () => {
  it("names an iSCSI host device's source host's transport and socket, and nothing a network disk's host writes", async () => {
    const { checkedUnwritten } = await import('../src/index.ts')
    expect(checkedUnwritten.get('devices/hostdev/source/host')).toEqual(['transport', 'socket'])
    expect(checkedUnwritten.has('devices/disk/source/host')).toBe(false)
  })
})
