// The `workerd` export condition: workerd refuses to compile WebAssembly from bytes at run time,
// but hands an imported `.wasm` file over as a compiled module — the only copy this entry loads.
import wasmModule from './xml-core.wasm'
import { createEngine as createEngineWith, type CreateEngineOptions } from './engine.ts'
import { engineOn } from './default-engine.ts'
import type { Engine } from './trees.ts'

export * from './_api.ts'

/** `createEngine` for workerd: uses the module imported from `xml-core.wasm` unless given another. */
export function createEngine(options: CreateEngineOptions = {}): Promise<Engine> {
  return createEngineWith({ module: wasmModule, ...options })
}

/** `getEngine` for workerd: the WebAssembly engine on the module imported from `xml-core.wasm` (instantiating is allowed there). */
export function getEngine(): Engine {
  return engineOn(() => wasmModule)
}
