// libvirt facts found probing network interfaces and host devices on libvirtd 9.0 (probes h16-…).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads, conditionValue, emptyUnwritten, nwfilterParameterKept } from '../src/index.ts'

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
})
