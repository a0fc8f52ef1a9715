// The process-wide engine the libvirt packages use: `getEngine()`. Lazy and synchronous, so that
// synchronous APIs (compose, applyDefaults, planAttach) can use it and nothing is compiled until a
// merge, diff or patch is asked for (the CLI's `--help` compiles nothing).
import { wasmBase64 } from './_generated/wasm.ts'
import { instantiateEngine } from './engine.ts'
import { createReferenceEngine } from './reference.ts'
import type { Engine } from './trees.ts'

let current: Engine | undefined
let injectedModule: WebAssembly.Module | undefined
let warn: (message: string) => void = (message) => console.warn(message)

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/**
 * The engine every virtuned package merges, diffs and patches with: the one given to
 * {@link setEngine}, else the WebAssembly engine, created on first use (synchronous compile of the
 * 44 KB module inlined in this package; in workerd the module imported from `xml-core.wasm`).
 * Where WebAssembly may not be compiled — a page whose Content-Security-Policy lacks
 * `'wasm-unsafe-eval'` — it is the TypeScript reference instead, with one warning (same results,
 * slower).
 */
export function getEngine(): Engine {
  if (current) return current
  try {
    current = instantiateEngine(injectedModule ?? new WebAssembly.Module(decodeBase64(wasmBase64)))
  } catch (error) {
    // CompileError (CSP in Chromium and Firefox), EvalError (workerd without the module), or a
    // runtime without WebAssembly at all.
    current = createReferenceEngine()
    warn(`virtuned: WebAssembly is not allowed here (${(error as Error)?.message ?? String(error)}); using the TypeScript reference engine (same results, slower). Allow 'wasm-unsafe-eval' in the Content-Security-Policy to use the WebAssembly engine.`)
  }
  return current
}

/**
 * Makes `engine` the one {@link getEngine} returns (e.g. `await createEngine()` created where a
 * synchronous compile is refused, or `createReferenceEngine()` to compare); `undefined` goes back to
 * the lazy default.
 */
export function setEngine(engine: Engine | undefined): void {
  current = engine
}

/** @internal The compiled module `getEngine()` instantiates instead of compiling (the workerd entry). */
export function setDefaultModule(module: WebAssembly.Module): void {
  injectedModule = module
}

/** @internal Where the fallback warning goes (tests). */
export function setEngineWarning(sink: (message: string) => void): void {
  warn = sink
}
