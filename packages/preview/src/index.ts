export { parseQemuCaps, stripMachineAliases, testDataLibvirtVersion, type QemuCaps, type MachineType, type CpuModel, type VirtType } from './caps.ts'
export { previewDomain, type PreviewOptions, type PreviewResult, type Explanation, type NotPredicted } from './preview.ts'
export { PreviewError, previewErrorCatalog, type PreviewErrorCode } from './errors.ts'
export { previewRules, type PreviewRule } from './rules.ts'
