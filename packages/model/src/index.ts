export {
  parseDomain,
  parseDevice,
  parseLibvirtXml,
  serialize,
  canonicalize,
  isSemanticallyEqual,
  inLibvirtOrder,
  isDeviceKind,
  deviceKinds,
  type LibvirtDocument,
  type DeviceKind,
  type CanonicalizeOptions,
} from './document.ts'
export { DomainModelError, modelErrorCatalog, type ModelErrorCode } from './errors.ts'
export { parseSize, formatSize, parseHumanSize, type SizeOptions, type FormattedSize } from './units.ts'
export { viewDomain, viewDevice } from './views.ts'
export {
  domainViewSchema,
  deviceViewSchema,
  deviceViewSchemas,
  sizeViewSchema,
  type DomainView,
  type DeviceView,
  type DeviceViewKind,
  type DeviceViewOf,
  type SizeView,
  type VcpuView,
  type OsView,
  type FeaturesView,
  type CpuView,
  type ClockView,
} from './views-schema.ts'
export {
  setName,
  setTitle,
  setDescription,
  setMemory,
  setCurrentMemory,
  setVcpus,
  addDevice,
  removeDevice,
  replaceDevice,
  type DeviceMatch,
  type SetMemoryOptions,
} from './edit.ts'
export {
  domainSpecSchema,
  domainSpecJsonSchema,
  specFeatures,
  parseSpec,
  validateSpec,
  type DomainSpec,
  type DomainSpecInput,
  type SpecProblem,
  type SpecOptions,
} from './spec.ts'
export { deviceLimits, checkDeviceLimits, type DeviceLimits } from './limits.ts'
export { fromSpec, toSpec, libosinfoNamespace, type SpecReading } from './spec-xml.ts'
