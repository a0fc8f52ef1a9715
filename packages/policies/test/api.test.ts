import { expect, it } from 'vitest'

// The public surface is API forever: these lists change only on purpose.
it('@virtuned/policies exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual(['PolicyConflictError', 'PolicyError', 'applyPolicies', 'builtinPolicies', 'checkCondition', 'compose', 'conditionSchema', 'defaultsChoicesSchema', 'definePolicy', 'importKubevirtPreference', 'importOpenstackImageProperties', 'isElementPath', 'maxPolicyBytes', 'parsePolicy', 'policyErrorCatalog', 'policyJsonSchema', 'policySchema', 'resolvePolicies', 'summarizeNodes'])
})
