// The `workerd` export condition: workerd refuses to compile WebAssembly from bytes at run time,
// but hands an imported `.wasm` file over as a compiled module.
import wasmModule from './libxml2.wasm'
import { createValidator as createValidatorWith, type CreateValidatorOptions, type SchemaValidator } from './validator.ts'

export * from './index.ts'

/** `createValidator` for workerd: uses the module imported from `libxml2.wasm` unless given another. */
export function createValidator(options: CreateValidatorOptions = {}): Promise<SchemaValidator> {
  return createValidatorWith({ module: wasmModule, ...options })
}
