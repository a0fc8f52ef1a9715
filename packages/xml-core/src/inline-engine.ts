// getEngine() over the module inlined in this package as base64 (no file or network access: Node,
// browsers, Deno, Bun). The workerd entry has its own, over the imported `xml-core.wasm`.
import { wasmBase64 } from './_generated/wasm.ts'
import { engineOn } from './default-engine.ts'
import type { Engine } from './trees.ts'

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const compileInlined = (): WebAssembly.Module => new WebAssembly.Module(decodeBase64(wasmBase64))

/**
 * The engine every virtuned package merges, diffs and patches with: the one given to `setEngine`,
 * else the WebAssembly engine, created on first use (a synchronous compile of the module inlined in
 * this package). Where WebAssembly may not be compiled — a page whose Content-Security-Policy lacks
 * `'wasm-unsafe-eval'` — it is the TypeScript reference instead, with one warning (same results,
 * slower).
 */
export function getEngine(): Engine {
  return engineOn(compileInlined)
}
