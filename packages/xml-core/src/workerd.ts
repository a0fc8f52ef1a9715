// The `workerd` export condition: workerd refuses to compile WebAssembly from bytes at run time,
// but hands an imported `.wasm` file over as a compiled module.
import wasmModule from './xml-core.wasm'
import { createEngine as createEngineWith, type CreateEngineOptions } from './engine.ts'
import type { XmlEngine } from './reference.ts'

export * from './index.ts'

/** `createEngine` for workerd: uses the module imported from `xml-core.wasm` unless given another. */
export function createEngine(options: CreateEngineOptions = {}): Promise<XmlEngine> {
  return createEngineWith({ module: wasmModule, ...options })
}
