// The formatter facts the firmware probes (`h32-…`, libvirtd 9.0) found.
import { expect, it } from 'vitest'
import { textClosedAfterIndent } from '../src/index.ts'

it('the loader and NVRAM paths are written through a child buffer (virDomainLoaderDefFormat): their closing tags indent after a newline', () => {
  expect([...textClosedAfterIndent].sort()).toEqual(['os/loader', 'os/nvram'])
  // (the other texts are printed with their closing tag in one call: a description, a kernel path)
  expect(textClosedAfterIndent.has('domain/description')).toBe(false)
  expect(textClosedAfterIndent.has('os/kernel')).toBe(false)
})

it("an NVRAM's network source is a disk's: its hosts written name, port, transport, socket; its encryption's engine read as a disk's", async () => {
  const { attributeOrder, inAttributeOrder, attributeReads } = await import('../src/index.ts')
  const order = attributeOrder('nvram', 'source', 'host')!
  expect(Object.keys(inAttributeOrder({ socket: '/s', transport: 'unix', name: 'h' }, order))).toEqual(['name', 'transport', 'socket'])
  expect(Object.keys(inAttributeOrder({ transport: 'rdma', port: '1', name: 'h' }, order))).toEqual(['name', 'port', 'transport'])
  expect(attributeReads.get('os/nvram/source/encryption')).toEqual(attributeReads.get('devices/disk/source/encryption'))
})

it("the firmware's attributes are read by local name (xmlGetProp), <os firmware> not (XPath)", async () => {
  const { attributesReadByLocalName } = await import('../src/index.ts')
  for (const path of ['os/loader', 'os/nvram', 'os/nvram/source', 'os/nvram/source/host', 'os/firmware/feature']) expect(attributesReadByLocalName.has(path), path).toBe(true)
  expect(attributesReadByLocalName.has('os')).toBe(false)
})
