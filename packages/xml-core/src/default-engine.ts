// The process-wide engine the libvirt packages use: `getEngine()`. Lazy and synchronous, so that
// synchronous APIs (compose, applyDefaults, planAttach) can use it and nothing is compiled until a
// merge, diff or patch is asked for (the CLI's `--help` compiles nothing).
import { instantiateEngine } from './engine.ts'
import { createReferenceEngine } from './reference.ts'
import type { Engine } from './trees.ts'

let current: Engine | undefined
let warn: (message: string) => void = (message) => console.warn(message)

/**
 * The shared engine: the one set, else the WebAssembly engine on the module `source` gives (called
 * once, on first use), else — where WebAssembly may not be compiled — the TypeScript reference with
 * one warning. Each entry's `getEngine` calls this with its own copy of the module.
 */
export function engineOn(source: () => WebAssembly.Module): Engine {
  if (current) return current
  try {
    current = instantiateEngine(source())
  } catch (error) {
    // CompileError (CSP in Chromium and Firefox), EvalError or CompileError in workerd ("Wasm code
    // generation disallowed by embedder"), or a runtime without WebAssembly at all.
    current = createReferenceEngine()
    warn(`virtuned: WebAssembly is not allowed here (${(error as Error)?.message ?? String(error)}); using the TypeScript reference engine (same results, slower). To use the WebAssembly engine, allow 'wasm-unsafe-eval' in the page's Content-Security-Policy, or pass the compiled xml-core.wasm module: setEngine(await createEngine({ module })).`)
  }
  return current
}

/**
 * Makes `engine` the one `getEngine()` returns (e.g. `await createEngine()` created where a
 * synchronous compile is refused, or `createReferenceEngine()` to compare); `undefined` goes back to
 * the lazy default.
 */
export function setEngine(engine: Engine | undefined): void {
  current = engine
}

/** @internal Where the fallback warning goes (tests). */
export function setEngineWarning(sink: (message: string) => void): void {
  warn = sink
}
