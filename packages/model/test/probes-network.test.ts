// Facts found by probing libvirtd 9.0 (each checked against its words there and against libvirt's source).
import { describe, expect, it } from 'vitest'
import { deviceNames, virtualPortParameters } from '../src/index.ts'

describe('virtualPortParameters (virNetDevVPortProfileParse)', () => {
  it('names every virtual port type, and a bridge, a macvtap device and a host device need a complete port — a virtual network not', () => {
    expect(Object.keys(virtualPortParameters.required).sort()).toEqual([...deviceNames.virtualPortTypes].sort())
    expect(Object.keys(virtualPortParameters.extra).sort()).toEqual([...deviceNames.virtualPortTypes].sort())
    expect(virtualPortParameters.strictInterfaceTypes).toEqual(['bridge', 'direct', 'hostdev'])
  })
  it("an 802.1Qbg port needs its manager, type and type version (its instance ID is made up), and takes no interface ID", () => {
    expect(virtualPortParameters.required['802.1Qbg']).toEqual(['managerid', 'typeid', 'typeidversion'])
    expect(virtualPortParameters.extra['802.1Qbg']).toContain('interfaceid')
    // (an Open vSwitch port's interface ID is made up when missing: nothing required)
    expect(virtualPortParameters.required.openvswitch).toEqual([])
    expect(virtualPortParameters.extra.openvswitch[0]).toBe('managerid')
  })
})
