// The identity table lives in @virtuned/model (libvirt/identity.ts), ONE table for merge, diff,
// patch and matching; identify keeps its names for it.
import { deviceIdentityRules, identityRuleSchema, toIdentityKeys, type DeviceIdentityRule } from '@virtuned/model'

export { identityRuleSchema, toIdentityKeys }

/** How a device kind is identified (see `identityRuleSchema` of `@virtuned/model`). */
export type IdentityRule = DeviceIdentityRule

/** The table of identity rules for every device kind under `<devices>` (libvirt's schema names). */
export const identityRules: readonly IdentityRule[] = deviceIdentityRules
