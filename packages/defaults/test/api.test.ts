import { expect, it } from 'vitest'

// The public surface is API forever: these lists change only on purpose.
it('@virtuned/defaults exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual(['DefaultsError', 'applyDefaults', 'assumedHost', 'check', 'checkHostArch', 'checkOsArch', 'checkProfileArch', 'compileOsTable', 'defaultOsTable', 'defaultParameters', 'defaultsErrorCatalog', 'defaultsNamespace', 'deviceDefaultsLayer', 'domainFacts', 'freeRootPorts', 'getProfile', 'guestArch', 'hostHas', 'latestProfile', 'normalizeCondition', 'osHasArch', 'osSupports', 'osinfoDeviceNames', 'parseDomainCapabilities', 'parseOsinfoXml', 'profileForArch', 'profileRules', 'profiles', 'resolveOs', 'rules', 'upgradeReport'])
})
it('@virtuned/defaults/node exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/node.ts')).sort()).toEqual(['loadOsinfoDb', 'systemOsinfoDir'])
})
