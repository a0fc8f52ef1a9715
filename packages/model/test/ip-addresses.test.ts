import { describe, expect, it } from 'vitest'
import { canonicalIpAddress, ipv4Value, ipv6Words, iscsiNameWithLun, numericIpAddress } from '../src/index.ts'

// virSocketAddrParse reads numeric hosts as getaddrinfo(AI_NUMERICHOST) does (inet_aton, inet_pton);
// virSocketAddrFormat writes them back with inet_ntop.
describe('canonicalIpAddress', () => {
  it.each([
    ['10.1', '10.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x7f.1', '127.0.0.1'],
    ['010.0.0.1', '8.0.0.1'],
    ['192.168.122.1', '192.168.122.1'],
    ['FE80::1', 'fe80::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
  ])('%s is written %s', (text, written) => {
    expect(canonicalIpAddress(text, undefined)).toBe(written)
  })

  it.each(['256.1.1.1', '1.2.3.4.5', 'host.example', '', '1::2::3', '::1.2.3', 'fe80::1%', '08.1.1.1'])('%s does not read', (text) => {
    expect(canonicalIpAddress(text, undefined)).toBeUndefined()
    expect(numericIpAddress(text, undefined)).toBe(false)
  })

  it('keeps to the family asked for', () => {
    expect(canonicalIpAddress('::1', 4)).toBeUndefined()
    expect(canonicalIpAddress('1.2.3.4', 6)).toBeUndefined()
    expect(numericIpAddress('1.2.3', 4)).toBe(true)
    expect(ipv4Value('1.2.3')).toBe(0x01020003)
    expect(ipv6Words('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304])
  })
})

// (not an address, but the same kind of fact: how libvirt completes a name it read — virDomainPostParseCheckISCSIPath)
describe('iscsiNameWithLun', () => {
  it('gives an iSCSI target without a LUN LUN 0, and leaves one with a LUN (or an empty name) as it is', () => {
    expect(iscsiNameWithLun('iqn.1992-01.com.example')).toBe('iqn.1992-01.com.example/0')
    expect(iscsiNameWithLun('iqn.1992-01.com.example/3')).toBe('iqn.1992-01.com.example/3')
    expect(iscsiNameWithLun('')).toBe('')
  })
})
