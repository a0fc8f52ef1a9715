import { expect, it } from 'vitest'

// The public surface is API forever: this list changes only on purpose.
it('exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual([
    'PreviewError', 'isFirmwareDescriptor', 'parseQemuCaps', 'parseQemuConf', 'previewDomain', 'previewErrorCatalog', 'previewRules', 'stripMachineAliases', 'testDataLibvirtVersion',
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
