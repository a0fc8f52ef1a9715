// libvirt facts found probing its device parsers on libvirtd 9.0 (domain_conf.c's readers and formatters).
import { describe, expect, it } from 'vitest'
import { attributeReadProblem, attributeReadValue, attributeReads, deviceNames, emptyUnwritten } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('device parser facts', () => {
  it("a device's ACPI index: NONZERO, base 10, written back in decimal (virDomainDeviceInfoParseXML)", () => {
    const acpi = read('devices/*/acpi', 'index')
    expect(attributeReadProblem('0', acpi, 'acpi')).toBe("Invalid value for attribute 'index' in element 'acpi': Zero is not permitted")
    expect(attributeReadProblem('0x5', acpi, 'acpi')).toBe("Invalid value for attribute 'index' in element 'acpi': '0x5'. Expected non-negative integer value")
    expect(attributeReadValue('+05', acpi)).toBe('5')
  })

  it("a virtio NIC's one queue is none (virDomainNetDefParseXMLDriver), its empty <host>/<guest> not written", () => {
    expect(read('devices/interface/driver', 'queues')[2]).toMatchObject({ zeroUnwritten: true, readAsZero: [1] })
    expect(emptyUnwritten.has('devices/interface/driver/host')).toBe(true)
    expect(emptyUnwritten.has('devices/interface/driver/guest')).toBe(true)
  })

  it("a reconnect's timeout is read, and kept, only when enabled='yes' (virDomainChrSourceReconnectDefParseXML)", () => {
    for (const kind of ['serial', 'interface', 'rng/backend']) {
      expect(read(`devices/${kind}/source/reconnect`, 'timeout')[2]).toMatchObject({ unreadDropped: true, when: { of: 'self', attribute: 'enabled', values: ['yes'] } })
      expect(emptyUnwritten.has(`devices/${kind}/source/reconnect`)).toBe(true)
    }
  })

  it("a display's parser: SPICE channels, SDL's fullscreen, what connected clients get", () => {
    expect(attributeReadProblem(undefined, read('devices/graphics/channel', 'mode'), 'channel')).toBe("Missing required attribute 'mode' in element 'channel'")
    expect(attributeReadProblem('bogus', read('devices/graphics/channel', 'name'), 'channel')).toBe("Invalid value for attribute 'name' in element 'channel': 'bogus'.")
    expect(read('devices/graphics', 'fullscreen')[2]).toMatchObject({ falseUnwritten: true })
    expect(deviceNames.graphicsConnected).toEqual(['fail', 'disconnect', 'keep'])
  })
})
