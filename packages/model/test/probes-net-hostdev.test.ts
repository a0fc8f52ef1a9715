// libvirt facts found probing network interfaces and host devices on libvirtd 9.0 (probes h16-…).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReads } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('network interface and host device parser facts', () => {
  it("reads a subsystem host device's sgio and rawio whatever its type", () => {
    expect(attributeReadProblem('bogus', read('devices/hostdev', 'sgio'), 'hostdev')).toBe("Invalid value for attribute 'sgio' in element 'hostdev': 'bogus'.")
    expect(attributeReadProblem('on', read('devices/hostdev', 'rawio'), 'hostdev')).toBe("Invalid value for attribute 'rawio' in element 'hostdev': 'on'.")
    expect(read('devices/hostdev', 'sgio')[2]!.when).toMatchObject({ of: 'self', attribute: 'mode', absent: 'subsystem' })
  })

})
