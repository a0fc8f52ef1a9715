export { identityRules, identityRuleSchema, toIdentityKeys, type IdentityRule } from './rules.ts'
export { isUserAlias, aliasOf, aliasesIn, generateAlias, validateSerial, generateSerial, serialLimits, type AliasOptions } from './alias.ts'
export { matchDevices, identityOf, evaluateKey, type DeviceRef, type DevicePair, type AmbiguousMatch, type MatchResult } from './match.ts'
export { IdentityError, identifyErrorCatalog, type IdentifyErrorCode } from './errors.ts'
