// The `workerd` export condition: workerd refuses to compile WebAssembly from bytes at run time,
// but hands an imported `.wasm` file over as a compiled module.
import wasmModule from './xml-core.wasm'
import { createEngine as createEngineWith, type CreateEngineOptions } from './engine.ts'
import { setDefaultModule } from './default-engine.ts'
import type { Engine } from './trees.ts'

export * from './index.ts'

// getEngine() instantiates this module (instantiating is allowed in workerd; compiling is not).
setDefaultModule(wasmModule)

/** `createEngine` for workerd: uses the module imported from `xml-core.wasm` unless given another. */
export function createEngine(options: CreateEngineOptions = {}): Promise<Engine> {
  return createEngineWith({ module: wasmModule, ...options })
}
