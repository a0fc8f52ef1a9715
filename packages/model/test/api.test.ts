import { expect, it } from 'vitest'

// The public surface, pinned: adding or removing an export is a deliberate change to this list.
it('exports exactly the public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual([
    'DomainModelError',
    'addDevice',
    'canonicalize',
    'checkDeviceLimits',
    'deviceKinds',
    'deviceLimits',
    'deviceViewSchema',
    'deviceViewSchemas',
    'domainSpecJsonSchema',
    'domainSpecSchema',
    'domainViewSchema',
    'formatSize',
    'fromSpec',
    'inLibvirtOrder',
    'isDeviceKind',
    'isSemanticallyEqual',
    'libosinfoNamespace',
    'modelErrorCatalog',
    'parseDevice',
    'parseDomain',
    'parseHumanSize',
    'parseLibvirtXml',
    'parseSize',
    'parseSpec',
    'removeDevice',
    'replaceDevice',
    'serialize',
    'setCurrentMemory',
    'setDescription',
    'setMemory',
    'setName',
    'setTitle',
    'setVcpus',
    'sizeViewSchema',
    'specFeatures',
    'toSpec',
    'validateSpec',
    'viewDevice',
    'viewDomain',
  ])
})

it('documents every error code it can throw', async () => {
  const { modelErrorCatalog } = await import('../src/index.ts')
  expect(Object.keys(modelErrorCatalog).sort()).toEqual([
    'model-device-ambiguous',
    'model-device-not-found',
    'model-invalid-spec',
    'model-invalid-value',
    'model-missing-element',
    'model-too-many-devices',
    'model-unexpected-root',
    'model-value-out-of-range',
  ])
})
