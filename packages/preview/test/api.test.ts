import { expect, it } from 'vitest'

// The public surface is API forever: this list changes only on purpose.
it('exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual([
    'PreviewError', 'isFirmwareDescriptor', 'parseQemuCaps', 'parseQemuConf', 'previewDomain', 'previewDomains', 'previewErrorCatalog', 'previewRules', 'stripMachineAliases', 'testDataLibvirtVersion',
  ])
})

// A result is plain data to its reader: `document` and `explanation` are built when first read, yet they are
// own enumerable properties, so a spread, JSON or a structured clone (a worker's postMessage) carries them.
it('gives a result whose lazy parts copy like plain data', async () => {
  const { previewDomain } = await import('../src/index.ts')
  const { capsXml, domainXml } = await import('./_caps.ts')
  const result = previewDomain(domainXml('pc', '<disk type="file" device="disk"><source file="/a.img"/><target dev="vda" bus="virtio"/></disk>'), { qemuCaps: capsXml() })
  expect(Object.keys(result)).toEqual(['xml', 'document', 'explanation', 'notPredicted'])
  const json = JSON.parse(JSON.stringify(result)) as typeof result
  expect(json.document).toEqual(result.document)
  expect(json.explanation.length).toBeGreaterThan(0)
  expect(json.explanation).toEqual(result.explanation)
  const cloned = structuredClone(result)
  expect(cloned.document).toEqual(result.document)
  expect({ ...result }.explanation).toBe(result.explanation)
  // read twice, built once
  expect(result.document).toBe(result.document)
})

it('lists a libvirt release other than 9.0 and 11.3 in notPredicted, read as the nearer of the two', async () => {
  const { previewDomain } = await import('../src/index.ts')
  const { capsXml } = await import('./_caps.ts')
  const xml = "<domain type='qemu'><name>v</name><uuid>8c1f0a4e-0000-4000-8000-000000000001</uuid><memory>524288</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>"
  const reasons = (libvirtVersion?: number) => previewDomain(xml, { qemuCaps: capsXml(), abiUpdate: true, ...(libvirtVersion === undefined ? {} : { libvirtVersion }) }).notPredicted.filter((n) => n.path === 'domain').map((n) => n.reason)
  expect(reasons()).toEqual([])
  expect(reasons(9_000_000)).toEqual([])
  expect(reasons(11_003_000)).toEqual([])
  expect(reasons(10_000_000)).toEqual([expect.stringContaining('libvirt 10.0.0: preview reproduces libvirt 9.0 and 11.3 and reads this release as 9.0')])
  expect(reasons(11_006_000)).toEqual([expect.stringContaining('reads this release as 11.3')])
})
