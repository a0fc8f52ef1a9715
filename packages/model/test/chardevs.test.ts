// Character device facts of libvirt 9.0's parser and formatter (domain_conf.c: virDomainChrDefParseXML,
// virDomainChrDefParseTargetXML, virDomainChrSourceDefParseXML, virDomainChrSourceDefFormat), each seen on libvirtd 9.0.
import { describe, expect, it } from 'vitest'
import { attributesByType, channelTargetAttributes, chrSourceCompared, chrSourceLabels, chrTargetTypeNumber, deviceNames, guestfwdPortStored } from '../src/index.ts'

describe('chrTargetTypeNumber (virDomainChrTargetTypeFromString, virDomainChrDefaultTargetType)', () => {
  it("is the target type's place in its own device's enumeration", () => {
    expect(chrTargetTypeNumber('channel', 'virtio')).toBe(2)
    expect(chrTargetTypeNumber('serial', 'usb-serial')).toBe(2)
    expect(chrTargetTypeNumber('console', 'xen')).toBe(2)
    expect(chrTargetTypeNumber('console', 'virtio')).toBe(4)
    expect(chrTargetTypeNumber('serial', 'isa-serial')).toBe(1)
  })

  it('a parallel port reads none (0); a serial port or console without one is 0; a channel without one or an unknown name none', () => {
    expect(chrTargetTypeNumber('parallel', 'virtio')).toBe(0)
    expect(chrTargetTypeNumber('serial', undefined)).toBe(0)
    expect(chrTargetTypeNumber('console', undefined)).toBe(0)
    expect(chrTargetTypeNumber('channel', undefined)).toBeUndefined()
    expect(chrTargetTypeNumber('serial', 'virtio')).toBeUndefined()
  })
})

describe('channelTargetAttributes (virDomainChrDefParseTargetXML)', () => {
  it('lists every channel target type libvirt knows, and what each reads', () => {
    expect([...channelTargetAttributes.keys()]).toEqual(deviceNames.chrTargetTypes.get('channel'))
    expect(channelTargetAttributes.get('guestfwd')).toEqual(['address', 'port'])
    expect(channelTargetAttributes.get('virtio')).not.toContain('port')
    expect(channelTargetAttributes.get('none')).toEqual([])
  })
})

describe('guestfwdPortStored (virSocketAddrSetPort)', () => {
  it('keeps 16 bits of the unsigned int read', () => {
    expect(guestfwdPortStored(70000)).toBe(4464)
    expect(guestfwdPortStored(65536)).toBe(0)
    expect(guestfwdPortStored(65535)).toBe(65535)
    expect(guestfwdPortStored(4294967295n)).toBe(65535)
  })
})

describe('chrSourceLabels (virDomainChrSourceDefParseXML, virDomainChrSourceDefFormat)', () => {
  it('labels are read for the four character devices alone and written beside a path alone', () => {
    expect([...chrSourceLabels.readBy].sort()).toEqual([...deviceNames.chrKinds].sort())
    expect(chrSourceLabels.readBy).not.toContain('rng')
    expect(chrSourceLabels.writtenFor).not.toContain('pty')
    expect(chrSourceLabels.writtenFor).not.toContain('tcp')
    for (const type of chrSourceLabels.writtenFor) expect(deviceNames.chrTypes).toContain(type)
  })
})

describe('chrSourceCompared (virDomainChrSourceDefIsEqual)', () => {
  it('names every source type libvirt knows; labels and logs are never compared', () => {
    expect(Object.keys(chrSourceCompared).sort()).toEqual([...deviceNames.chrTypes].sort())
    for (const names of Object.values(chrSourceCompared)) {
      expect(names).not.toContain('seclabel')
      expect(names).not.toContain('log')
    }
    expect(chrSourceCompared.tcp).toContain('protocol')
    expect(chrSourceCompared.pty).toEqual([])
  })
})

describe("attributesByType: a character device source's attributes wherever libvirt reads one", () => {
  const entry = (parent: string, grandparent: string) => attributesByType.get('source')!.find((e) => e.parent?.includes(parent) && e.grandparent === grandparent)
  it('a USB redirection, a passthrough smartcard and an EGD backend read their source as a serial port does', () => {
    for (const [parent, grandparent] of [['redirdev', 'devices'], ['smartcard', 'devices'], ['backend', 'rng']] as const) {
      const sets = entry(parent, grandparent)!.sets
      expect([...sets.get('spicevmc')!]).toEqual([])
      expect([...sets.get('tcp')!].sort()).toEqual(['host', 'mode', 'service', 'tls'])
      expect(sets).toBe(entry('serial', 'devices')!.sets)
    }
  })
})
