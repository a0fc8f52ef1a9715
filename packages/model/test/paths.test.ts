// virFileSanitizePath as libvirt applies it to some paths it reads (sanitizePath), and virStrToLong_ui / _ull (readCUnsigned).
import { expect, it } from 'vitest'
import { readCUnsigned, sanitizePath } from '../src/index.ts'

it('collapses repeated slashes and drops a trailing one; keeps a leading `//`, a lone `/` and URIs', () => {
  expect(sanitizePath('/dev//input/event1/')).toBe('/dev/input/event1')
  expect(sanitizePath('///foo///bar/')).toBe('/foo/bar')
  expect(sanitizePath('//dev/vhost-net')).toBe('//dev/vhost-net')
  expect(sanitizePath('//')).toBe('//')
  expect(sanitizePath('/')).toBe('/')
  expect(sanitizePath('////')).toBe('/')
  expect(sanitizePath('/../foo')).toBe('/../foo')
  expect(sanitizePath('relative//path/')).toBe('relative/path')
  expect(sanitizePath('http://host//a/')).toBe('http://host//a/')
})

it('reads unsigned numbers as virStrToLong_ui and _ull do: the whole text in base 10, a minus sign wrapping around (readCUnsigned)', () => {
  expect(readCUnsigned(' 0500', 'uint')).toBe(500n)
  expect(readCUnsigned('-1', 'uint')).toBe(4294967295n)
  expect(readCUnsigned('-1', 'ullong')).toBe(18446744073709551615n)
  expect(readCUnsigned('4294967296', 'uint')).toBeUndefined()
  expect(readCUnsigned('4294967296', 'ullong')).toBe(4294967296n)
  // (in C's base, as virNetDevVPortProfileParse reads a port's IDs: hexadecimal, octal, a minus wrapping within 32 bits)
  expect(readCUnsigned('0x10', 'uint', 0)).toBe(16n)
  expect(readCUnsigned('010', 'uint', 0)).toBe(8n)
  expect(readCUnsigned('-0x1', 'uint', 0)).toBe(4294967295n)
  expect(readCUnsigned('-0', 'uint', 0)).toBe(0n)
  expect(readCUnsigned('-4294967296', 'uint', 0)).toBeUndefined()
  expect(readCUnsigned('0x10', 'uint')).toBeUndefined()
  expect(readCUnsigned('500 ', 'uint')).toBeUndefined()
  expect(readCUnsigned('', 'ullong')).toBeUndefined()
})
