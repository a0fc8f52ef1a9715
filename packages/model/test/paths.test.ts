// virFileSanitizePath as libvirt applies it to some paths it reads (sanitizePath).
import { expect, it } from 'vitest'
import { sanitizePath } from '../src/index.ts'

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
