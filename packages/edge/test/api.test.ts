import { expect, it } from 'vitest'

// The public surface is API forever: these lists change only on purpose.
it('@virtuned/edge exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toEqual(['applyRequest', 'composeRequest', 'createHandler', 'diffRequest', 'edgeDeviceLimits', 'openapi', 'planAttachRequest', 'planDetachRequest', 'previewRequest', 'problemSchema', 'routes', 'validateRequest'])
})
it('@virtuned/edge/node exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/node.ts')).sort()).toEqual(['serveNode'])
})
