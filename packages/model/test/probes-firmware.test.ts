// The formatter facts the firmware probes (`h32-…`, libvirtd 9.0) found.
import { expect, it } from 'vitest'
import { textClosedAfterIndent } from '../src/index.ts'

it('the loader and NVRAM paths are written through a child buffer (virDomainLoaderDefFormat): their closing tags indent after a newline', () => {
  expect([...textClosedAfterIndent].sort()).toEqual(['os/loader', 'os/nvram'])
  // (the other texts are printed with their closing tag in one call: a description, a kernel path)
  expect(textClosedAfterIndent.has('domain/description')).toBe(false)
  expect(textClosedAfterIndent.has('os/kernel')).toBe(false)
})
