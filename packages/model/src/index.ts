export {
  parseDomain,
  parseDevice,
  parseLibvirtXml,
  serialize,
  canonicalize,
  isSemanticallyEqual,
  isDeviceKind,
  deviceKinds,
  type LibvirtDocument,
  type DeviceKind,
  type CanonicalizeOptions,
} from './document.ts'
export { DomainModelError, modelErrorCatalog, type ModelErrorCode } from './errors.ts'
