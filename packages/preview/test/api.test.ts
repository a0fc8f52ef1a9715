import { expect, it } from 'vitest'

// The public surface is API forever: this list changes only on purpose.
it('exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual([
    'PreviewError', 'isFirmwareDescriptor', 'parseQemuCaps', 'parseQemuConf', 'previewDomain', 'previewErrorCatalog', 'previewRules', 'stripMachineAliases', 'testDataLibvirtVersion',
  ])
})
